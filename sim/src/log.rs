//! The ground-truth log: per request, what the endpoint sent and when (ms after the request arrived).

use serde::Serialize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Requests kept; older ones are dropped first (the server is bounded in memory too).
const MAX_REQUESTS: usize = 20_000;

/// One write to the socket.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEvent {
    /// Milliseconds after the request (head and body) was read, taken just before the write.
    pub offset_ms: f64,
    /// `headers`, `role`, `preamble`, `content`, `error`, `finish`, `usage`, `done`; for a
    /// preempted response `done-no-finish` (the end marker without a finish reason) and
    /// `broken-chunk` (the chunk cut off when the connection closed: `bytes` of it were sent).
    pub kind: &'static str,
    pub bytes: usize,
    /// Tokens carried (content writes only).
    pub tokens: usize,
    /// The text carried (content writes only).
    pub text: String,
}

/// Everything about one request.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestLog {
    pub id: String,
    pub path: String,
    pub format: &'static str,
    pub profile: String,
    pub seed: u64,
    pub model: String,
    /// Wall-clock time (ms since the Unix epoch) when the request was read; `offsetMs` values count from here.
    pub arrived_unix_ms: f64,
    pub status: u16,
    /// `complete`, `truncated`, `preempted`, `error`, `http-error`, `client-closed`, `non-streaming`.
    pub outcome: &'static str,
    /// Offset of the first content write (the endpoint's own TTFT), if any.
    pub ttft_ms: Option<f64>,
    pub output_tokens: usize,
    pub text: String,
    pub events: Vec<LogEvent>,
}

/// Shared store.
#[derive(Default)]
pub struct LogStore {
    entries: Mutex<Vec<RequestLog>>,
    in_flight: AtomicUsize,
}

/// Counts one streamed request as being served until it is dropped (after its entry is pushed).
pub struct Serving<'a>(&'a AtomicUsize);

impl Drop for Serving<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl LogStore {
    pub fn push(&self, entry: RequestLog) {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if e.len() >= MAX_REQUESTS {
            e.remove(0);
        }
        e.push(entry);
    }

    /// All entries, or the one with `id`.
    pub fn snapshot(&self, id: Option<&str>) -> Vec<RequestLog> {
        let e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        e.iter()
            .filter(|r| id.is_none_or(|id| r.id == id))
            .cloned()
            .collect()
    }

    /// Marks a request as arrived; it stays in flight until the guard drops.
    pub fn serving(&self) -> Serving<'_> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        Serving(&self.in_flight)
    }

    /// Requests that arrived and are not logged yet (a test waits for 0 instead of guessing a log length).
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_in_flight_until_its_guard_drops() {
        let log = LogStore::default();
        assert_eq!(log.in_flight(), 0);
        let a = log.serving();
        let b = log.serving();
        assert_eq!(log.in_flight(), 2);
        drop(a);
        assert_eq!(log.in_flight(), 1);
        drop(b);
        assert_eq!(log.in_flight(), 0);
    }
}
