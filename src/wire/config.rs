//! The decoder's configuration, counters and end-of-body report.

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::StreamDecoder;
use super::format::WireFormat;
#[cfg(doc)]
use crate::signal::Signal;

/// How a [`StreamDecoder`] is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DecoderConfig {
    /// Force a format instead of detecting it. `None` (the default) detects it from the headers and
    /// the first bytes.
    pub format: Option<WireFormat>,
    /// Longest line (and SSE event data) kept, in bytes; longer ones are dropped and counted as
    /// oversized. If you're not sure, keep the default, 1 MiB.
    pub max_line_bytes: usize,
}

impl DecoderConfig {
    /// The default cap on line / event size: 1 MiB.
    pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;
}

impl Default for DecoderConfig {
    fn default() -> Self {
        DecoderConfig {
            format: None,
            max_line_bytes: Self::DEFAULT_MAX_LINE_BYTES,
        }
    }
}

/// Running totals of a decoder.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DecoderCounters {
    /// Messages that could not be parsed ([`Signal::ParseError`]s emitted).
    pub parse_errors: u64,
    /// Lines or events dropped for exceeding the cap ([`Signal::OversizedLine`]s emitted).
    pub oversized_lines: u64,
    /// Complete framed messages ([`Signal::Message`]s emitted).
    pub messages: u64,
    /// Body bytes fed.
    pub bytes: u64,
}

/// How the body ended, returned by [`StreamDecoder::finish`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamEnd {
    /// A partial event or line was left at the end of the body and discarded (truncation).
    pub unterminated: bool,
    /// The format's end marker was seen ([`Signal::End`] was emitted at least once). For plain
    /// text the end of the body is the end marker.
    pub saw_end_marker: bool,
}
