//! The stored pages of one content version, with least-recently-used eviction.

use super::static_page::StaticPage;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Default)]
pub(super) struct Pages {
    pub(super) version: Option<i64>,
    pub(super) pages: HashMap<String, Stored>,
    /// Counts lookups; each page remembers the count at its last use.
    clock: u64,
}

pub(super) struct Stored {
    pub(super) page: Arc<StaticPage>,
    used: u64,
}

impl Pages {
    /// The page stored under `key` at `version`, marked as just used; another version empties
    /// the cache first.
    pub(super) fn lookup(&mut self, key: &str, version: i64) -> Option<Arc<StaticPage>> {
        if self.version != Some(version) {
            self.pages.clear();
            self.version = Some(version);
        }
        self.clock += 1;
        let now = self.clock;
        self.pages.get_mut(key).map(|stored| {
            stored.used = now;
            stored.page.clone()
        })
    }

    /// Stores `page` if the cache is still at `version`. When `max` pages are stored, the least
    /// recently used one makes room (a scan of the entries: microseconds, and only when a new
    /// page is stored into a full cache).
    pub(super) fn store(&mut self, key: String, version: i64, page: Arc<StaticPage>, max: usize) {
        if self.version != Some(version) {
            return;
        }
        if self.pages.len() >= max && !self.pages.contains_key(&key) {
            let oldest = self
                .pages
                .iter()
                .min_by_key(|(_, stored)| stored.used)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                self.pages.remove(&oldest);
            }
        }
        self.clock += 1;
        let used = self.clock;
        self.pages.insert(key, Stored { page, used });
    }
}

#[cfg(test)]
mod tests {
    use super::super::static_page::Effort;
    use super::*;

    #[test]
    fn a_full_cache_drops_the_least_recently_used_page_only() {
        let page =
            || Arc::new(StaticPage::new("<p>x</p>", "n0nce1234567890ab", Effort::Fast).unwrap());
        let mut pages = Pages::default();
        assert!(pages.lookup("/", 1).is_none());
        for key in ["/", "/a", "/b"] {
            pages.store(key.into(), 1, page(), 3);
        }
        // "/" is read, so "/a" is now the least recently used.
        assert!(pages.lookup("/", 1).is_some());
        pages.store("/c".into(), 1, page(), 3);
        assert_eq!(pages.pages.len(), 3);
        assert!(pages.lookup("/a", 1).is_none());
        for kept in ["/", "/b", "/c"] {
            assert!(pages.lookup(kept, 1).is_some(), "{kept}");
        }
        // Thousands of new keys never empty the cache at once.
        for n in 0..1000 {
            pages.store(format!("/?page={n}"), 1, page(), 3);
            assert_eq!(pages.pages.len(), 3);
        }
    }
}
