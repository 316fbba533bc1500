//! The map of the site's URL areas, beside the route table (`crate::app`): one answer, used by
//! the router's layers, the page cache, the page shell and the sign-in redirect (and its `?next=`).

/// The parts of the URL space, each with its own rules: whether a page may be stored and served
/// to anyone (`Public`), needs a staff session (`Staff`), is a server function with a bounded
/// body (`Api`), or is neither a page nor a function (`Assets`, `Health`). The one place that
/// decides which a path is in; the router's layers, the page cache, the page shell and the
/// sign-in redirect all ask here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// Patients' pages: everything not below.
    Public,
    /// `/admin` and everything under it.
    Staff,
    /// Server functions, under `/api/`.
    Api,
    /// Compiled CSS, JavaScript and WebAssembly, under `/pkg/`.
    Assets,
    /// `/healthz` and `/readyz`.
    Health,
}

impl Area {
    /// The area `path` (a URL's path, without its query) belongs to.
    pub fn of(path: &str) -> Area {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/admin") {
            Area::Staff
        } else if under("/api") {
            Area::Api
        } else if under("/pkg") {
            Area::Assets
        } else if path == "/healthz" || path == "/readyz" {
            Area::Health
        } else {
            Area::Public
        }
    }
}

/// Where to go after signing in: `next` if it is a path inside the admin area, else `/admin`
/// (never another site).
pub fn safe_admin_path(next: &str) -> &str {
    let path = next.split_once('?').map_or(next, |(path, _)| path);
    let inside = Area::of(path) == Area::Staff && !next.contains("//") && !next.contains('\\');
    if inside { next } else { "/admin" }
}

/// `to` with `?next=` the path to come back to afterwards.
#[cfg(feature = "ssr")]
pub fn with_next(to: &str, next: &str) -> String {
    format!(
        "{to}?next={}",
        percent_encoding::utf8_percent_encode(next, NEXT_ESCAPED)
    )
}

/// What `next` escapes: everything but unreserved characters and `/`, so the sign-in page's
/// address stays readable (`?next=/admin/articles/3`) and the path comes back whole.
#[cfg(feature = "ssr")]
const NEXT_ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_sign_in_only_admin_paths_are_followed() {
        assert_eq!(safe_admin_path("/admin/articles/3"), "/admin/articles/3");
        assert_eq!(safe_admin_path("/admin"), "/admin");
        for outside in [
            "https://evil.example",
            "//evil.example",
            "/admin//evil",
            "/administrator",
            "/",
            "/admin/\\evil",
            "",
        ] {
            assert_eq!(safe_admin_path(outside), "/admin", "{outside}");
        }
    }

    #[test]
    fn each_path_has_one_area_and_lookalikes_are_public() {
        let cases = [
            ("/", Area::Public),
            ("/articles/ketamine-and-brain-plasticity", Area::Public),
            ("/help-now", Area::Public),
            ("/administrator", Area::Public),
            ("/apis", Area::Public),
            ("/admin", Area::Staff),
            ("/admin/", Area::Staff),
            ("/admin/articles/3/history", Area::Staff),
            ("/api/articles/list", Area::Api),
            ("/pkg/plasticity.css", Area::Assets),
            ("/healthz", Area::Health),
            ("/readyz", Area::Health),
        ];
        for (path, area) in cases {
            assert_eq!(Area::of(path), area, "{path}");
        }
    }
}
