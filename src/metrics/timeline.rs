//! The raw per-response timeline: one record per chunk and per paint, kept up to a cap.

use serde::Serialize;

use crate::signal::DeltaKind;

/// One chunk: every delta that arrived with the same timestamp (one network read).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkRecord {
    /// Arrival, ms after request start.
    pub at_ms: f64,
    /// Bytes read at that timestamp.
    pub bytes: u64,
    /// Tokens the wire declared for the chunk's deltas; `None` when it declared none.
    pub tokens: Option<u64>,
    /// Deltas merged into the chunk.
    pub deltas: u32,
    /// Answer chars (Unicode scalar values).
    pub content_chars: u64,
    /// Reasoning chars.
    pub reasoning_chars: u64,
    /// Tool-call argument chars.
    pub tool_chars: u64,
    /// Other chars.
    pub other_chars: u64,
    /// Kind of the chunk's first delta.
    pub kind: DeltaKind,
}

impl ChunkRecord {
    /// Adds chars of one kind.
    pub fn add_chars(&mut self, kind: DeltaKind, chars: u64) {
        let slot = match kind {
            DeltaKind::Content => &mut self.content_chars,
            DeltaKind::Reasoning => &mut self.reasoning_chars,
            DeltaKind::Tool => &mut self.tool_chars,
            DeltaKind::Other => &mut self.other_chars,
        };
        *slot += chars;
    }
}

/// One paint that made text visible.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaintRecord {
    /// Paint time, ms after request start.
    pub at_ms: f64,
    /// Answer chars visible after this paint.
    pub visible_chars: u32,
}

/// Chunk and paint records, each list capped at `cap` entries.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    /// Chunks in arrival order.
    pub chunks: Vec<ChunkRecord>,
    /// Paints in order.
    pub paints: Vec<PaintRecord>,
    /// Some records were not kept because a list reached the cap.
    pub truncated: bool,
    #[serde(skip)]
    cap: usize,
}

impl Timeline {
    /// An empty timeline keeping at most `cap` chunks and `cap` paints.
    pub fn new(cap: usize) -> Self {
        Timeline {
            cap,
            ..Timeline::default()
        }
    }

    /// Appends a chunk; returns whether it was kept.
    pub fn push_chunk(&mut self, record: ChunkRecord) -> bool {
        if self.chunks.len() < self.cap {
            self.chunks.push(record);
            true
        } else {
            self.truncated = true;
            false
        }
    }

    /// Appends a paint (dropped and flagged past the cap).
    pub fn push_paint(&mut self, record: PaintRecord) {
        if self.paints.len() < self.cap {
            self.paints.push(record);
        } else {
            self.truncated = true;
        }
    }
}
