//! Where every log line goes: one buffer in memory, written to standard error by one thread, in
//! batches, as nginx writes its access log (`buffer=64k flush=…`). A worker appends its line
//! under a lock held for a copy and goes on: no system call, no allocation and no thread woken
//! per line. The writer thread is woken once per batch, lets lines gather for up to
//! `GATHER` (or until `BATCH` bytes are waiting), then writes them in one call.
//!
//! Nothing is dropped: when `MAX_HELD` bytes wait (a disk that stalls), workers wait for room.
//! Every line is written before the process exits: `LogGuard`, dropped when `main` returns,
//! writes what is left and waits for it.
//!
//! Both kinds of line share the buffer, so they keep their order: request lines, formatted here
//! by `server::http::request_log` without going through `tracing`, and every other event, formatted
//! by `tracing_subscriber` and handed over whole through `MakeWriter`.
//!
//! Why ours and not `tracing-appender` (used until 8a6a2b0): its `non_blocking` writer sends
//! every line through a channel as a buffer of its own and wakes the writer thread for it, and
//! drops lines when its queue is full unless told to block. With this buffer (and request lines
//! formatted without a `tracing` event) the seed article served 1.13 times as many requests as
//! with tracing-appender, alternating the two builds (90,423 against 79,859 req/s,
//! `bench/ab.sh`, bench/RESULTS.md 2026-12-04), and the shutdown test counts every line written.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Lines wait at most this long before they are written.
pub const GATHER: Duration = Duration::from_millis(50);
/// A batch this large is written at once.
pub const BATCH: usize = 64 * 1024;
/// Workers wait for room while this much waits to be written.
pub const MAX_HELD: usize = 4 * 1024 * 1024;

#[derive(Default)]
struct Held {
    lines: Vec<u8>,
    closing: bool,
}

/// The buffer, shared by every worker and the writer thread.
#[derive(Default)]
pub struct LogBuffer {
    held: Mutex<Held>,
    /// The writer waits here for lines.
    wake: Condvar,
    /// Workers wait here for room.
    room: Condvar,
}

impl LogBuffer {
    fn lock(&self) -> MutexGuard<'_, Held> {
        self.held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Appends `line` (one or more whole lines); waits while the buffer is full.
    pub fn append(&self, line: &[u8]) {
        let mut held = self.lock();
        while held.lines.len() >= MAX_HELD && !held.closing {
            held = self
                .room
                .wait(held)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        let before = held.lines.len();
        held.lines.extend_from_slice(line);
        // Woken once when lines start to wait, and once when they make a batch.
        if before == 0 || (before < BATCH && held.lines.len() >= BATCH) {
            self.wake.notify_one();
        }
    }

    /// The next batch (swapped with `spare`, which is empty), after letting lines gather;
    /// `None` once closing and nothing is left.
    fn next_batch(&self, spare: Vec<u8>) -> Option<Vec<u8>> {
        let mut held = self.lock();
        while held.lines.is_empty() && !held.closing {
            held = self
                .wake
                .wait(held)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        let deadline = Instant::now() + GATHER;
        while held.lines.len() < BATCH && !held.closing {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            held = self
                .wake
                .wait_timeout(held, left)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        if held.lines.is_empty() {
            return None;
        }
        let batch = std::mem::replace(&mut held.lines, spare);
        self.room.notify_all();
        Some(batch)
    }

    fn close(&self) {
        self.lock().closing = true;
        self.wake.notify_all();
        self.room.notify_all();
    }
}

/// Writes every line appended to `buffer` to `out`, until the guard is dropped.
pub fn start(
    buffer: Arc<LogBuffer>,
    mut out: impl Write + Send + 'static,
) -> std::io::Result<LogGuard> {
    let shared = buffer.clone();
    let thread = std::thread::Builder::new()
        .name("plasticity-log".into())
        .spawn(move || {
            let mut spare = Vec::with_capacity(BATCH);
            while let Some(mut batch) = shared.next_batch(spare) {
                // Nowhere to report a failed write of the log: the lines are lost, as they
                // would be with any logger.
                let _ = out.write_all(&batch).and_then(|()| out.flush());
                batch.clear();
                spare = batch;
            }
        })?;
    Ok(LogGuard {
        buffer,
        thread: Some(thread),
    })
}

/// Dropped when the process is about to exit: writes every line still waiting.
pub struct LogGuard {
    buffer: Arc<LogBuffer>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.buffer.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `tracing_subscriber`'s writer: each event is formatted whole, then appended as one piece.
#[derive(Clone)]
pub struct EventWriter(pub Arc<LogBuffer>);

/// One event's bytes, appended when the formatter is done with them.
pub struct Event {
    buffer: Arc<LogBuffer>,
    bytes: Vec<u8>,
}

impl Write for Event {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.bytes.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Event {
    fn drop(&mut self) {
        if !self.bytes.is_empty() {
            self.buffer.append(&self.bytes);
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for EventWriter {
    type Writer = Event;

    fn make_writer(&'a self) -> Event {
        Event {
            buffer: self.0.clone(),
            bytes: Vec::with_capacity(256),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Write` into shared memory, to read what the thread wrote.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_from_every_thread_is_written_whole_by_the_time_the_guard_is_dropped() {
        let out = Shared::default();
        let buffer = Arc::new(LogBuffer::default());
        let guard = start(buffer.clone(), out.clone()).unwrap();
        let threads: Vec<_> = (0..4)
            .map(|thread| {
                let buffer = buffer.clone();
                std::thread::spawn(move || {
                    for line in 0..20_000 {
                        buffer.append(format!("thread {thread} line {line}\n").as_bytes());
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        drop(guard);
        let written = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len(), 80_000);
        for thread in 0..4 {
            let own: Vec<&str> = lines
                .iter()
                .filter(|line| line.starts_with(&format!("thread {thread} ")))
                .copied()
                .collect();
            let expected: Vec<String> = (0..20_000)
                .map(|line| format!("thread {thread} line {line}"))
                .collect();
            assert_eq!(own, expected, "each thread's lines, whole and in order");
        }
    }

    #[test]
    fn a_line_is_written_within_the_gathering_time_without_more_lines() {
        let out = Shared::default();
        let buffer = Arc::new(LogBuffer::default());
        let _guard = start(buffer.clone(), out.clone()).unwrap();
        buffer.append(b"alone\n");
        let waited = Instant::now();
        while out.0.lock().unwrap().is_empty() {
            assert!(waited.elapsed() < Duration::from_secs(5), "never written");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(&out.0.lock().unwrap()[..], b"alone\n");
    }

    #[test]
    fn a_stalled_disk_makes_workers_wait_instead_of_growing_the_buffer() {
        /// Blocks every write until the test lets it go.
        struct Stalled(Arc<(Mutex<bool>, Condvar)>);
        impl Write for Stalled {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                let (open, turn) = &*self.0;
                let mut open = open.lock().unwrap();
                while !*open {
                    open = turn.wait(open).unwrap();
                }
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let gate = Arc::new((Mutex::new(false), Condvar::new()));
        let buffer = Arc::new(LogBuffer::default());
        let guard = start(buffer.clone(), Stalled(gate.clone())).unwrap();
        let line = vec![b'x'; 1023];
        let writer = {
            let buffer = buffer.clone();
            std::thread::spawn(move || {
                for _ in 0..(3 * MAX_HELD / 1024) {
                    buffer.append(&line);
                }
            })
        };
        std::thread::sleep(Duration::from_millis(300));
        assert!(!writer.is_finished(), "the worker waits for room");
        assert!(buffer.lock().lines.len() <= MAX_HELD + 1023);
        *gate.0.lock().unwrap() = true;
        gate.1.notify_all();
        writer.join().unwrap();
        drop(guard);
    }
}
