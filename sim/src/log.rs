//! The ground-truth log: per request, what the endpoint sent and when (ms after the request arrived).

use serde::Serialize;
use std::sync::Mutex;

/// Requests kept; older ones are dropped first (the server is bounded in memory too).
const MAX_REQUESTS: usize = 20_000;

/// One write to the socket.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEvent {
    /// Milliseconds after the request (head and body) was read, taken just before the write.
    pub offset_ms: f64,
    /// `headers`, `role`, `preamble`, `content`, `error`, `finish`, `usage`, `done`.
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
    /// `complete`, `truncated`, `error`, `http-error`, `client-closed`, `non-streaming`.
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

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
