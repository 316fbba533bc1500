//! Which connections are open, from where, and which wait idle between requests: what lets the
//! listener close the connection idle longest when the cap, or one address's share, is reached
//! (issue 28: 4,100 idle keep-alive connections kept every new client out).

use futures::task::AtomicWaker;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use tokio::time::Instant;

/// Every open connection, by client address, and which of them wait idle between requests: so
/// that when the cap is reached, or one address holds its share, the connection idle longest is
/// closed to admit the new one (as nginx reuses its oldest keep-alive connection), instead of
/// the new client waiting until an idle one times out. Only the accepting side reads it, and
/// only at a bound; a connection writes only its own entry.
#[derive(Default)]
pub struct OpenConnections {
    all: Mutex<Registry>,
}

#[derive(Default)]
struct Registry {
    next: u64,
    connections: HashMap<u64, Arc<Watch>>,
    per_address: HashMap<IpAddr, usize>,
}

/// One connection's state as the accepting side sees it.
pub(super) struct Watch {
    address: IpAddr,
    /// While the connection waits for a request: since when, in nanoseconds since `EPOCH` (the
    /// smallest has been idle longest; a connection just accepted, the newest, goes last);
    /// `BUSY` while a request is under way; `CLOSING` once it was asked to close.
    idle_since: AtomicU64,
    close: AtomicBool,
    pub(super) waker: AtomicWaker,
}

pub(super) const BUSY: u64 = u64::MAX;
const CLOSING: u64 = u64::MAX - 1;

impl Watch {
    /// Records the connection idle since `since` (nanoseconds since `EPOCH`), or `BUSY`; a
    /// connection asked to close stays so.
    pub(super) fn set_idle_since(&self, since: u64) {
        if self.idle_since.load(Ordering::Relaxed) != CLOSING {
            self.idle_since.store(since, Ordering::Relaxed);
        }
    }

    /// Whether the accepting side asked this connection to close.
    pub(super) fn asked_to_close(&self) -> bool {
        self.close.load(Ordering::Acquire)
    }
}

/// What `Watch::idle_since` counts from.
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

pub(super) fn nanos(at: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(*EPOCH).as_nanos()).unwrap_or(CLOSING - 1)
}

/// A connection's entry among the open ones: removed when the connection closes.
pub struct Entry {
    id: u64,
    pub(super) watch: Arc<Watch>,
    open: Arc<OpenConnections>,
}

impl Drop for Entry {
    fn drop(&mut self) {
        let mut all = self.open.lock();
        all.connections.remove(&self.id);
        if let Some(count) = all.per_address.get_mut(&self.watch.address) {
            *count -= 1;
            if *count == 0 {
                all.per_address.remove(&self.watch.address);
            }
        }
    }
}

impl OpenConnections {
    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.all
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Enters a connection from `address`, idle until it sends its first request.
    pub fn enter(self: &Arc<Self>, address: IpAddr) -> Entry {
        let watch = Arc::new(Watch {
            address,
            idle_since: AtomicU64::new(nanos(Instant::now())),
            close: AtomicBool::new(false),
            waker: AtomicWaker::new(),
        });
        let mut all = self.lock();
        all.next += 1;
        let id = all.next;
        all.connections.insert(id, watch.clone());
        *all.per_address.entry(address).or_default() += 1;
        Entry {
            id,
            watch,
            open: self.clone(),
        }
    }

    /// How many connections `address` holds open.
    pub fn held_by(&self, address: IpAddr) -> usize {
        self.lock().per_address.get(&address).copied().unwrap_or(0)
    }

    /// Asks the connection idle longest (of `address`, or of anyone) to close; `false` when
    /// none is idle. Linear in the open connections: it runs only at a bound.
    pub fn close_longest_idle(&self, address: Option<IpAddr>) -> bool {
        let all = self.lock();
        let chosen = all
            .connections
            .values()
            .filter(|watch| address.is_none_or(|address| watch.address == address))
            .filter(|watch| watch.idle_since.load(Ordering::Relaxed) < CLOSING)
            .min_by_key(|watch| watch.idle_since.load(Ordering::Relaxed));
        let Some(watch) = chosen else {
            return false;
        };
        watch.idle_since.store(CLOSING, Ordering::Relaxed);
        watch.close.store(true, Ordering::Release);
        watch.waker.wake();
        true
    }
}
