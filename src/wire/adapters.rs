//! The per-format message decoders and the SSE dialect rule, public only so that the differential
//! tests (`tests/wire_differential.rs`) can run them against the serde-derive oracle in
//! `tests/support/oracle/`, which imports the production tables from here instead of copying them.
//! Not a stable API: use [`super::StreamDecoder`].

use super::format::{DetectedBy, WireFormat};
use crate::signal::Signal;

pub use super::detect::{AI_SDK_UI_TYPES, ANTHROPIC_TYPES, DialectProbe, decide_dialect};

/// Where the decoders send their signals.
pub type Sink<'s> = dyn FnMut(Signal<'_>) + 's;

/// The `data` of an SSE event that ends a stream.
pub const DONE: &str = super::json::DONE;

/// One Chat Completions SSE event.
pub fn openai_chat(event: &str, data: &str, sink: &mut Sink<'_>) {
    super::openai_chat::decode_event(event, data, sink);
}

/// One OpenAI Responses SSE event.
pub fn openai_responses(event: &str, data: &str, sink: &mut Sink<'_>) {
    super::openai_responses::decode_event(event, data, sink);
}

/// One Anthropic Messages SSE event.
pub fn anthropic(event: &str, data: &str, sink: &mut Sink<'_>) {
    super::anthropic::decode_event(event, data, sink);
}

/// One AI SDK UI message stream SSE event.
pub fn ai_sdk_ui(event: &str, data: &str, sink: &mut Sink<'_>) {
    super::ai_sdk_ui::decode_event(event, data, sink);
}

/// One Ollama NDJSON line.
pub fn ollama(line: &str, sink: &mut Sink<'_>) {
    super::ollama::decode_line(line, sink);
}

/// One AI SDK data stream line.
pub fn ai_sdk_data(line: &str, sink: &mut Sink<'_>) {
    super::ai_sdk_data::decode_line(line, sink);
}

/// The dialect of an SSE stream from its first event (scanner-based probe + [`decide_dialect`]).
pub fn sse_dialect(event: &str, data: &str) -> (WireFormat, DetectedBy) {
    super::detect::sse_dialect(event, data)
}
