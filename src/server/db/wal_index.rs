//! Whether a SQLite database in WAL mode may have changed, without a transaction: every commit
//! rewrites the WAL-index header in the `-shm` file beside the database (its `iChange` counter
//! goes up by one per transaction; https://www.sqlite.org/walformat.html, "The WAL-Index
//! Header"). The header is kept twice, written second copy first; SQLite's own readers check
//! for changes by reading both copies and comparing them, and so does this, with one `pread`
//! and no lock (the file is shared memory that SQLite maps; Linux reads and maps files through
//! one page cache, so a read sees what a mapping wrote).
//!
//! The one use: a header equal to one seen *before* a real read means no commit has happened
//! since, so that read's answer still holds. Anything unexpected (no `-shm` file, a header not
//! written yet, two copies that differ mid-write, another format) answers "unknown", and the
//! caller reads the database.

use std::fs::File;
use std::path::Path;

/// Bytes in one copy of the header.
pub(super) const HEADER_BYTES: usize = 48;

/// `iVersion` of the only WAL-index format there is (SQLite 3.7.0 and later).
const FORMAT_VERSION: u32 = 3_007_000;

/// One consistent copy of the header.
pub(super) type Header = [u8; HEADER_BYTES];

/// The `-shm` file of one database, open for reading.
#[derive(Debug)]
pub(super) struct WalIndex(File);

impl WalIndex {
    /// The WAL index of the database at `database` (`None` off Linux, or without a `-shm`
    /// file: not in WAL mode, or not opened yet).
    pub(super) fn open(database: &Path) -> Option<WalIndex> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let mut shm = database.as_os_str().to_owned();
        shm.push("-shm");
        File::open(shm).ok().map(WalIndex)
    }

    /// The header now, when both copies agree and it is the known format; `None` otherwise.
    pub(super) fn header(&self) -> Option<Header> {
        use std::os::unix::fs::FileExt;
        let mut both = [0u8; 2 * HEADER_BYTES];
        if self.0.read_at(&mut both, 0).ok()? != both.len() {
            return None;
        }
        consistent(&both)
    }
}

/// The header from the file's first `2 × HEADER_BYTES` bytes: both copies equal, initialised,
/// of the known format.
fn consistent(both: &[u8; 2 * HEADER_BYTES]) -> Option<Header> {
    let (first, second) = both.split_at(HEADER_BYTES);
    let header: Header = first.try_into().ok()?;
    let version = u32::from_ne_bytes(header[..4].try_into().ok()?);
    // `isInit`, the byte after `iVersion`, `unused` and `iChange`.
    let initialised = header[12] == 1;
    (first == second && initialised && version == FORMAT_VERSION).then_some(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(change: u32) -> [u8; 2 * HEADER_BYTES] {
        let mut one = [0u8; HEADER_BYTES];
        one[..4].copy_from_slice(&FORMAT_VERSION.to_ne_bytes());
        one[8..12].copy_from_slice(&change.to_ne_bytes());
        one[12] = 1;
        let mut both = [0u8; 2 * HEADER_BYTES];
        both[..HEADER_BYTES].copy_from_slice(&one);
        both[HEADER_BYTES..].copy_from_slice(&one);
        both
    }

    #[test]
    fn a_header_counts_only_when_both_copies_agree_and_it_is_known() {
        assert!(consistent(&header(7)).is_some());
        assert_ne!(consistent(&header(7)), consistent(&header(8)));
        // Mid-write: the second copy is written first.
        let mut torn = header(7);
        torn[HEADER_BYTES + 8] = 8;
        assert_eq!(consistent(&torn), None);
        let mut uninitialised = header(7);
        uninitialised[12] = 0;
        uninitialised[HEADER_BYTES + 12] = 0;
        assert_eq!(consistent(&uninitialised), None);
        let mut other_format = header(7);
        other_format[0] ^= 1;
        other_format[HEADER_BYTES] ^= 1;
        assert_eq!(consistent(&other_format), None);
    }
}
