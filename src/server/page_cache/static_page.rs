//! A public page made static: rendered once with a CSP nonce, then stored without it (its
//! inline scripts, the same few on every public page, allowed by their hashes instead), so every
//! response is the same bytes, kept as they are and compressed with brotli and gzip.

use crate::server::auth::random::hex;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use sha2::Digest;
use std::io::Write;

/// One rendered page, ready to send.
pub(super) struct StaticPage {
    identity: Bytes,
    brotli: Bytes,
    gzip: Bytes,
    pub(super) etag: HeaderValue,
}

/// The page's body without its nonce (its inline scripts are then allowed by their hashes, see
/// `security::stored_page_policy`); `None` when the nonce is used in a way this does not know
/// (then the page is not cached). A script that reached the page any other way (an escaping bug,
/// stored text) is not one of those few and is refused by the browser, as it was with the nonce.
fn without_nonce(body: &str, nonce: &str) -> Option<String> {
    let body = body.replace(&format!(" nonce=\"{nonce}\""), "");
    (!body.contains(nonce)).then_some(body)
}

/// How hard to compress: `Fast` while a request waits (brotli 5, gzip 6: about a millisecond),
/// `Best` in the background afterwards (brotli 11, gzip 9: tens of milliseconds, a tenth
/// smaller).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Effort {
    Fast,
    Best,
}

fn compress_brotli(bytes: &[u8], effort: Effort) -> Vec<u8> {
    // Quality 11 with the smallest window that holds the page; quality 5 with a 1 MB window
    // (its hashers for windows of 64 KB and less are thirty times slower, measured on an article).
    let (quality, window) = match effort {
        Effort::Best => (11, window_bits(bytes.len())),
        Effort::Fast => (5, 20),
    };
    let mut out = Vec::with_capacity(bytes.len() / 3);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, quality, window);
        // Writing to a Vec cannot fail.
        let _ = writer.write_all(bytes);
    }
    out
}

/// The smallest brotli window that holds a page of `len` bytes whole (10 to 22 bits): the same
/// output as a larger one, and at quality 11 the encoder's memory grows with the window (eight
/// bytes per position: 8 MB for a 1 MB window, for a page of ten kilobytes).
fn window_bits(len: usize) -> u32 {
    let needed = usize::BITS - len.saturating_sub(1).leading_zeros();
    needed.clamp(10, 22)
}

fn compress_gzip(bytes: &[u8], effort: Effort) -> Vec<u8> {
    let level = if effort == Effort::Best {
        flate2::Compression::best()
    } else {
        flate2::Compression::default()
    };
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), level);
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// A weak ETag for `body`: the first 96 bits of its SHA-256, so every instance that serves the
/// same bytes names them alike.
pub fn weak_etag(body: &[u8]) -> HeaderValue {
    let digest = sha2::Sha256::digest(body);
    HeaderValue::from_str(&format!("W/\"{}\"", hex(&digest[..12])))
        .expect("hex in quotes is a valid header value")
}

impl StaticPage {
    /// Makes a page rendered with `nonce` static; `None` if it cannot be.
    pub(super) fn new(body: &str, nonce: &str, effort: Effort) -> Option<StaticPage> {
        let body = without_nonce(body, nonce)?;
        let etag = weak_etag(body.as_bytes());
        Some(StaticPage::compressed(body.into(), etag, effort))
    }

    /// The memory the page holds: its three encodings and its ETag.
    pub(super) fn bytes(&self) -> usize {
        self.identity.len() + self.brotli.len() + self.gzip.len() + self.etag.len()
    }

    /// The same page compressed with `Effort::Best` (same bytes once decompressed, same ETag).
    pub(super) fn recompressed(&self) -> StaticPage {
        StaticPage::compressed(self.identity.clone(), self.etag.clone(), Effort::Best)
    }

    fn compressed(identity: Bytes, etag: HeaderValue, effort: Effort) -> StaticPage {
        StaticPage {
            brotli: compress_brotli(&identity, effort).into(),
            gzip: compress_gzip(&identity, effort).into(),
            identity,
            etag,
        }
    }

    /// The body for the best encoding the request accepts, and that encoding's
    /// `Content-Encoding` (none for the page as it is).
    pub(super) fn body_for(&self, request: &HeaderMap) -> (Bytes, Option<HeaderValue>) {
        match negotiate(request) {
            Encoding::Brotli => (self.brotli.clone(), Some(HeaderValue::from_static("br"))),
            Encoding::Gzip => (self.gzip.clone(), Some(HeaderValue::from_static("gzip"))),
            Encoding::Identity => (self.identity.clone(), None),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// The best encoding `Accept-Encoding` allows: brotli, then gzip, else none.
fn negotiate(headers: &HeaderMap) -> Encoding {
    let mut brotli = false;
    let mut gzip = false;
    for value in headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
    {
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|param| {
                param
                    .split_once('=')
                    .filter(|(name, _)| name.trim() == "q")
                    .and_then(|(_, q)| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            if name.eq_ignore_ascii_case("br") {
                brotli = true;
            } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
                gzip = true;
            }
        }
    }
    if brotli {
        Encoding::Brotli
    } else if gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<head><script type=\"application/ld+json\">{\"a\":1}</script>\
        <script type=\"module\" src=\"/pkg/x.js\"></script></head>\
        <body><script nonce=\"n0nce123\">print()</script><p>nonce</p>\
        <script nonce=\"n0nce123\">__X=[];</script><script nonce=\"n0nce123\">print()</script></body>";

    #[test]
    fn a_stored_page_has_no_nonce() {
        let body = without_nonce(PAGE, "n0nce123").unwrap();
        assert!(!body.contains("n0nce123"));
        assert!(body.contains("<script>print()</script><p>nonce</p><script>__X=[];</script>"));
        // A script the page did not render with the nonce stays as it was.
        let page = "<title></title><script>alert(1)</script></title>\
            <script nonce=\"n0nce123\">print()</script><script nonce=\"other\">x()</script>";
        let body = without_nonce(page, "n0nce123").unwrap();
        assert!(body.contains("<script>alert(1)</script>"));
        assert!(body.contains("<script nonce=\"other\">x()</script>"));
    }

    #[test]
    fn every_encoding_holds_the_same_page() {
        let fast = StaticPage::new(PAGE, "n0nce123", Effort::Fast).unwrap();
        let page = fast.recompressed();
        assert_eq!(page.etag, fast.etag);
        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(&mut &page.brotli[..], &mut unbrotli).unwrap();
        let mut ungzip = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(&page.gzip[..]),
            &mut ungzip,
        )
        .unwrap();
        assert_eq!(unbrotli, page.identity);
        assert_eq!(ungzip.as_bytes(), page.identity);
        assert!(page.etag.to_str().unwrap().starts_with("W/\""));
    }

    #[test]
    fn the_brotli_window_holds_the_whole_page() {
        assert_eq!(window_bits(0), 10);
        assert_eq!(window_bits(1024), 10);
        assert_eq!(window_bits(1025), 11);
        assert_eq!(window_bits(8 * 1024), 13);
        assert_eq!(window_bits(8 * 1024 + 1), 14);
        assert_eq!(window_bits(64 << 20), 22);
    }

    #[test]
    fn encodings_are_negotiated() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            negotiate(&headers)
        };
        assert_eq!(with("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(with("gzip"), Encoding::Gzip);
        assert_eq!(with("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(with("identity"), Encoding::Identity);
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
    }
}
