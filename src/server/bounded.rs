//! Work that costs a lot of memory or CPU, run off the async worker threads (which must stay free
//! to answer patients) and only a few at a time, so no burst of requests can take the machine.
//!
//! These bounds are the process's own, like tokio's blocking pool they run on: one per process,
//! whatever the number of databases or tests it serves. Each is a semaphore; a request that
//! cannot get a place within `WAIT` is refused as busy (503 with `Retry-After`), not queued
//! without end.

use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a request waits for a place before it is told the server is busy.
pub const WAIT: Duration = Duration::from_secs(10);

/// What a refused request tells the client to wait, in seconds (`Retry-After`).
pub const RETRY_AFTER_SECS: u64 = 5;

/// One kind of bounded work.
pub struct Bounded {
    places: Semaphore,
    size: u32,
    what: &'static str,
}

/// There was no place within `WAIT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many {0} at once")]
pub struct Busy(pub &'static str);

/// Argon2id password checks and hashes: each holds 19 MiB while it runs, so eight at once hold
/// about 150 MiB, whatever arrives.
pub static PASSWORD_WORK: Bounded = Bounded::new(8, "password checks");

/// Writers' heavy requests (history diffs, Markdown previews): one at a time, so on a two-core
/// machine one core always answers patients.
pub static EDITOR_WORK: Bounded = Bounded::new(1, "editor renders");

/// Searches (`server::search`): two at a time, one a core, each a few milliseconds; whatever
/// strangers type waits its turn here instead of taking the machine.
pub static SEARCH_WORK: Bounded = Bounded::new(2, "searches");

/// At shutdown, once no request is served any more: waits for the bounded work still running
/// (work whose request went away runs on to its end) for at most `within`, and starts no more.
/// Returns what was still running then; the caller exits without waiting for it.
pub async fn finish_all(within: Duration) -> Vec<&'static str> {
    let mut unfinished = Vec::new();
    let deadline = tokio::time::Instant::now() + within;
    for bound in [&PASSWORD_WORK, &EDITOR_WORK, &SEARCH_WORK] {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        if !bound.finish(left).await {
            unfinished.push(bound.what);
        }
    }
    unfinished
}

/// Makes glibc give memory blocks of a megabyte and more back to the system when they are freed
/// (each its own mapping), instead of keeping them in a per-thread arena for reuse. Without it,
/// the 19 MiB block of every Argon2 check stays in whichever arena its blocking thread used (and
/// glibc raises its threshold after the first such block): 8 checks at once measured 1.2 GB of
/// resident memory, not 150 MB. Called once at start, before any password is checked.
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only changes allocator tuning; a fixed M_MMAP_THRESHOLD is a
        // documented, supported setting (mallopt(3)), valid at any time.
        let set = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024) };
        if set != 1 {
            tracing::warn!("could not set the allocator's mmap threshold");
        }
    }
}

/// Gives the calling thread the lowest scheduling priority (nice 19), so work nobody waits for
/// (brotli 11 of stored pages) runs on the cores requests leave idle instead of sharing them
/// with requests while staff publish. Linux schedules threads, so this changes only the calling
/// thread. A failure is logged and harmless.
pub fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and setpriority only read and change this thread's own scheduling
        // attributes (setpriority(2): on Linux PRIO_PROCESS with a thread id names that thread).
        let done = unsafe {
            let thread = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, 19)
        };
        if done != 0 {
            tracing::warn!(error = %std::io::Error::last_os_error(), "could not lower a background thread's priority");
        }
    }
}

impl Bounded {
    const fn new(places: u32, what: &'static str) -> Bounded {
        Bounded {
            places: Semaphore::const_new(places as usize),
            size: places,
            what,
        }
    }

    /// Runs `work` on the blocking pool once a place is free; `Busy` if none frees within `WAIT`.
    /// The place goes with the work, not with the request: it is given back when `work` ends,
    /// even if the request that asked for it was dropped meanwhile (its client went away, or it
    /// timed out), since the work runs on regardless. So no more than the bound ever run.
    pub async fn run<T, F>(&'static self, work: F) -> Result<T, Busy>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let busy = Busy(self.what);
        let place = tokio::time::timeout(WAIT, self.places.acquire())
            .await
            .map_err(|_| busy)?
            .map_err(|_| busy)?;
        let result = tokio::task::spawn_blocking(move || {
            let _place = place;
            work()
        })
        .await;
        // A panic inside `work` is the only way to get here with an error; it was logged by the
        // panic hook, and the request is answered as busy rather than taking the server down.
        result.map_err(|_| busy)
    }

    /// How many places are free now (for tests).
    pub fn free_places(&self) -> usize {
        self.places.available_permits()
    }

    /// Waits until no work of this kind runs, or `within` has passed: `false` if some still
    /// does. Takes every place for good, so nothing new starts (for shutting down).
    async fn finish(&'static self, within: Duration) -> bool {
        match tokio::time::timeout(within, self.places.acquire_many(self.size)).await {
            Ok(Ok(all)) => {
                all.forget();
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static TWO: Bounded = Bounded::new(2, "test jobs");

    #[cfg(target_os = "linux")]
    #[test]
    fn a_lowered_thread_runs_at_nice_19_and_its_neighbours_do_not() {
        // SAFETY: gettid and getpriority only read this thread's scheduling attributes.
        let nice = || unsafe {
            *libc::__errno_location() = 0;
            libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t)
        };
        let before = nice();
        let lowered = std::thread::spawn(move || {
            lower_this_threads_priority();
            nice()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, 19);
        assert_eq!(nice(), before, "only the calling thread is lowered");
    }

    static ONE: Bounded = Bounded::new(1, "test jobs, one at a time");

    /// Issue 28, item 2: a request dropped while its work runs (its client went away) gave its
    /// place back at once, and the next request's work ran beside the first.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_place_is_held_until_the_work_ends_even_if_its_request_is_dropped() {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let job = |running: Arc<AtomicUsize>, most: Arc<AtomicUsize>| {
            move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(300));
                running.fetch_sub(1, Ordering::SeqCst);
            }
        };
        let abandoned = tokio::spawn(ONE.run(job(running.clone(), most.clone())));
        tokio::time::sleep(Duration::from_millis(50)).await;
        abandoned.abort();
        let _ = abandoned.await;
        assert_eq!(running.load(Ordering::SeqCst), 1, "the work runs on");
        assert_eq!(ONE.free_places(), 0, "and keeps its place");
        ONE.run(job(running.clone(), most.clone())).await.unwrap();
        assert_eq!(most.load(Ordering::SeqCst), 1);
        assert_eq!(ONE.free_places(), 1);
    }

    static STOPPING: Bounded = Bounded::new(2, "test jobs at shutdown");

    /// At shutdown, running work (its request gone or not) is waited for within the grace,
    /// and nothing new starts after.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn shutdown_waits_for_running_work_within_the_grace_then_starts_none() {
        let done = Arc::new(AtomicUsize::new(0));
        let finished = done.clone();
        let abandoned = tokio::spawn(STOPPING.run(move || {
            std::thread::sleep(Duration::from_millis(300));
            finished.fetch_add(1, Ordering::SeqCst);
        }));
        tokio::time::sleep(Duration::from_millis(50)).await;
        abandoned.abort();
        assert!(
            !STOPPING.finish(Duration::from_millis(10)).await,
            "still running"
        );
        assert!(STOPPING.finish(Duration::from_secs(5)).await);
        assert_eq!(done.load(Ordering::SeqCst), 1, "it ran to its end first");
        let late = tokio::time::timeout(Duration::from_millis(50), STOPPING.places.acquire());
        assert!(late.await.is_err(), "no place is given after shutdown");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_the_bound_run_at_once() {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs = (0..12).map(|_| {
            let (running, most) = (running.clone(), most.clone());
            tokio::spawn(TWO.run(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
            }))
        });
        for job in jobs.collect::<Vec<_>>() {
            job.await.unwrap().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(TWO.free_places(), 2);
    }
}
