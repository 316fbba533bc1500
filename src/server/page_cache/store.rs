//! The stored pages of one content version, bounded by bytes, least recently used evicted.

use super::static_page::StaticPage;
use crate::server::db::Changes;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Default)]
pub(super) struct Pages {
    pub(super) version: Option<i64>,
    pub(super) pages: HashMap<String, Stored>,
    /// What the stored pages hold (see `StaticPage::bytes`).
    bytes: usize,
    /// Counts lookups; each page remembers the count at its last use.
    clock: u64,
    /// The day (UTC, days since 1970) the stored pages were rendered on: an article page says
    /// whether it is due for review, which changes at midnight with no change to the content,
    /// so a new day starts with no stored pages.
    day: u64,
}

pub(super) struct Stored {
    pub(super) page: Arc<StaticPage>,
    used: u64,
}

/// Today, as days since 1970-01-01 (UTC).
fn today() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() / 86_400)
}

impl Pages {
    /// The page stored under `key`, marked as just used, if the cache is at `version` or later
    /// (a later version holds every change `version` does).
    pub(super) fn lookup(&mut self, key: &str, version: i64) -> Option<Arc<StaticPage>> {
        if self.version.is_none_or(|stored| stored < version) {
            return None;
        }
        self.start_today();
        self.clock += 1;
        let now = self.clock;
        self.pages.get_mut(key).map(|stored| {
            stored.used = now;
            stored.page.clone()
        })
    }

    /// Drops every stored page if they were rendered on an earlier day.
    fn start_today(&mut self) {
        let today = today();
        if self.day != today {
            self.pages.clear();
            self.bytes = 0;
            self.day = today;
        }
    }

    /// Moves the cache to `version`, dropping the pages `changes` (everything since the cache's
    /// version) touched. Returns how many pages were dropped.
    pub(super) fn move_to(&mut self, version: i64, changes: &Changes) -> usize {
        let before = self.pages.len();
        match changes {
            Changes::Everything | Changes::EveryPage(_) => self.pages.clear(),
            Changes::Search => {}
            Changes::Articles(slugs) => self.pages.retain(|key, _| !touched(key, slugs)),
        }
        self.bytes = self.pages.values().map(|stored| stored.page.bytes()).sum();
        self.version = Some(version);
        before - self.pages.len()
    }

    /// What the stored pages hold, in bytes.
    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }

    /// Replaces the page under `key` with `new` if it is still `old` (the same render).
    pub(super) fn replace(&mut self, key: &str, old: &Arc<StaticPage>, new: StaticPage) {
        if let Some(stored) = self.pages.get_mut(key)
            && Arc::ptr_eq(&stored.page, old)
        {
            self.bytes = self.bytes - old.bytes() + new.bytes();
            stored.page = Arc::new(new);
        }
    }

    /// Stores `page` if the cache is still at `version` and the page fits in `budget` bytes
    /// (says whether it did). While the pages would hold more than `budget`, the least recently
    /// used one makes room (a scan of the entries: microseconds, and only when a new page is
    /// stored into a full cache).
    pub(super) fn store(
        &mut self,
        key: String,
        version: i64,
        page: Arc<StaticPage>,
        budget: usize,
    ) -> bool {
        if self.version != Some(version) || page.bytes() > budget {
            return false;
        }
        self.start_today();
        if let Some(old) = self.pages.remove(&key) {
            self.bytes -= old.page.bytes();
        }
        while self.bytes + page.bytes() > budget {
            let oldest = self
                .pages
                .iter()
                .min_by_key(|(_, stored)| stored.used)
                .map(|(key, _)| key.clone());
            let Some(stored) = oldest.and_then(|oldest| self.pages.remove(&oldest)) else {
                break;
            };
            self.bytes -= stored.page.bytes();
        }
        self.clock += 1;
        let used = self.clock;
        self.bytes += page.bytes();
        self.pages.insert(key, Stored { page, used });
        true
    }
}

/// Whether the page stored under `key` shows any of the articles `slugs`: their own pages, and
/// the list pages (every page of the home page's list, since a publish or unpublish shifts them
/// all). The crisis page shows no article.
fn touched(key: &str, slugs: &[String]) -> bool {
    // The lists: home, and the topics (a publish can change any topic's list and count).
    let list =
        key == "/" || key.starts_with("/?") || key == "/topics" || key.starts_with("/topics/");
    let article = key
        .strip_prefix("/articles/")
        .is_some_and(|slug| slugs.iter().any(|touched| touched == slug));
    list || article
}

#[cfg(test)]
mod tests {
    use super::super::static_page::Effort;
    use super::*;

    #[test]
    fn pages_rendered_on_an_earlier_day_are_not_served() {
        let page =
            Arc::new(StaticPage::new("<p>x</p>", "n0nce1234567890ab", Effort::Fast).unwrap());
        let mut pages = Pages::default();
        pages.move_to(1, &Changes::Everything);
        assert!(pages.store("/articles/a".into(), 1, page, usize::MAX));
        assert!(pages.lookup("/articles/a", 1).is_some());
        // As if midnight (UTC) had passed since they were rendered.
        pages.day -= 1;
        assert!(pages.lookup("/articles/a", 1).is_none());
        assert_eq!((pages.pages.len(), pages.bytes()), (0, 0));
    }

    #[test]
    fn a_full_cache_drops_the_least_recently_used_pages_and_a_change_only_what_it_touched() {
        let page =
            || Arc::new(StaticPage::new("<p>x</p>", "n0nce1234567890ab", Effort::Fast).unwrap());
        // Budgets in pages: each holds the same bytes.
        let one = page().bytes();
        let (three, ten) = (3 * one, 10 * one);
        let mut pages = Pages::default();
        pages.move_to(1, &Changes::Everything);
        assert!(pages.lookup("/", 1).is_none());
        for key in ["/", "/a", "/b"] {
            pages.store(key.into(), 1, page(), three);
        }
        // "/" is read, so "/a" is now the least recently used.
        assert!(pages.lookup("/", 1).is_some());
        pages.store("/c".into(), 1, page(), three);
        assert_eq!(pages.pages.len(), 3);
        assert_eq!(pages.bytes(), three);
        // A page larger than the whole budget is not stored, and drops nothing.
        assert!(!pages.store("/big".into(), 1, page(), one - 1));
        assert!(pages.lookup("/a", 1).is_none());
        for kept in ["/", "/b", "/c"] {
            assert!(pages.lookup(kept, 1).is_some(), "{kept}");
        }
        // A change of one article drops its page and the list pages, and nothing else.
        for key in ["/", "/?before=b", "/articles/a", "/articles/b", "/help-now"] {
            pages.store(key.into(), 1, page(), ten);
        }
        let dropped = pages.move_to(2, &Changes::Articles(vec!["a".into()]));
        assert_eq!(dropped, 3);
        for kept in ["/articles/b", "/help-now"] {
            assert!(pages.lookup(kept, 2).is_some(), "{kept}");
        }
        for gone in ["/", "/?before=b", "/articles/a"] {
            assert!(pages.lookup(gone, 2).is_none(), "{gone}");
        }
        // An older version's request may be answered from the newer cache, never the reverse.
        assert!(pages.lookup("/articles/b", 1).is_some());
        assert!(pages.lookup("/articles/b", 3).is_none());
        // A page rendered at an older version is not stored.
        pages.store("/articles/a".into(), 1, page(), ten);
        assert!(pages.lookup("/articles/a", 2).is_none());
        pages.move_to(3, &Changes::Everything);
        assert!(pages.pages.is_empty());
        assert_eq!(pages.bytes(), 0);

        // Thousands of new keys never empty the cache at once.
        for n in 0..1000 {
            pages.store(format!("/?before=a{n}"), 3, page(), three);
            assert_eq!(pages.pages.len(), (n + 1).min(3));
            assert!(pages.bytes() <= three);
        }
    }
}
