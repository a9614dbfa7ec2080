//! The raw per-response timeline: one record per chunk and per paint, kept up to a cap.

use serde::Serialize;

use crate::signal::DeltaKind;

/// One chunk: every delta that arrived with the same timestamp (one network read).
///
/// Counts are `u32` (saturating): 48 bytes per record instead of 72, since a live response keeps up to
/// `timelineCap` of them (BENCHMARKS.md row 5). One chunk of more than 4 G bytes or chars is not a real stream.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChunkRecord {
    /// Arrival, ms after request start.
    pub at_ms: f64,
    /// Bytes read at that timestamp.
    pub bytes: u32,
    /// Tokens the wire declared for the chunk's deltas; `None` when it declared none.
    pub tokens: Option<u32>,
    /// Deltas merged into the chunk.
    pub deltas: u32,
    /// Answer chars (Unicode scalar values).
    pub content_chars: u32,
    /// Reasoning chars.
    pub reasoning_chars: u32,
    /// Tool-call argument chars.
    pub tool_chars: u32,
    /// Other chars.
    pub other_chars: u32,
    /// Kind of the chunk's first delta.
    pub kind: DeltaKind,
}

impl ChunkRecord {
    /// Adds chars of one kind.
    pub fn add_chars(&mut self, kind: DeltaKind, chars: u64) {
        let chars = u32::try_from(chars).unwrap_or(u32::MAX);
        let slot = match kind {
            DeltaKind::Content => &mut self.content_chars,
            DeltaKind::Reasoning => &mut self.reasoning_chars,
            DeltaKind::Tool => &mut self.tool_chars,
            DeltaKind::Other => &mut self.other_chars,
        };
        *slot = slot.saturating_add(chars);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_record_counts_saturate_instead_of_wrapping() {
        let mut r = ChunkRecord {
            at_ms: 0.0,
            bytes: 0,
            tokens: None,
            deltas: 0,
            content_chars: u32::MAX - 1,
            reasoning_chars: 0,
            tool_chars: 0,
            other_chars: 0,
            kind: DeltaKind::Content,
        };
        r.add_chars(DeltaKind::Content, 5);
        r.add_chars(DeltaKind::Tool, u64::MAX);
        r.add_chars(DeltaKind::Reasoning, 7);
        assert_eq!(r.content_chars, u32::MAX);
        assert_eq!(r.tool_chars, u32::MAX);
        assert_eq!(r.reasoning_chars, 7);
        assert_eq!(std::mem::size_of::<ChunkRecord>(), 48);
    }
}
