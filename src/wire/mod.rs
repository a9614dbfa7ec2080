//! Wire decoders: response body bytes in, [`Signal`](crate::signal::Signal)s out.
//!
//! [`StreamDecoder`] detects the [`WireFormat`] (or takes it from [`DecoderConfig::format`]),
//! frames the body (SSE, newline-delimited lines, or plain text) and turns every framed message
//! into signals: a [`Signal::Message`](crate::signal::Signal::Message) first, then its deltas,
//! usage, end marker or error. The framing layers are public for testing and reuse:
//! [`sse::SseParser`] (WHATWG-conformant SSE, on the line splitter), [`lines::LineSplitter`]
//! (the one implementation of line ends, the line cap and the BOM: LF / CRLF, or CR / LF / CRLF for SSE) and
//! [`utf8::Utf8Decoder`] (incremental lossy UTF-8).
//!
//! ## Usage
//! ```
//! use chat_vitals::signal::Signal;
//! use chat_vitals::wire::{DecoderConfig, StreamDecoder};
//!
//! let mut decoder = StreamDecoder::new(DecoderConfig::default());
//! decoder.set_headers([("Content-Type", "text/event-stream")]);
//! let mut on_signal = |signal: Signal<'_>| println!("{signal:?}");
//! decoder.feed(b"data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n", &mut on_signal);
//! decoder.feed(b"data: [DONE]\n\n", &mut on_signal);
//! let end = decoder.finish(&mut on_signal);
//! assert!(end.saw_end_marker && !end.unterminated);
//! println!("{:?} {:?}", decoder.format(), decoder.counters());
//! ```
//!
//! ## Signals per format
//! Every framed message (SSE event, NDJSON / data-stream line, plain-text feed) first yields
//! `Message` (`has_choices` only for a Chat Completions chunk with a non-empty `choices`), then:
//!
//! | Format | Content | Reasoning | Tool | Other | Usage | End | Error class |
//! |---|---|---|---|---|---|---|---|
//! | `openai-chat` | `delta.content` | `delta.reasoning_content`, `delta.reasoning` | `tool_calls[].function.arguments` | `delta.refusal` | `usage` object (`choices: []` chunk) | `[DONE]` | `error.type` / `error.code`; `event: error` → `"error"` |
//! | `openai-responses` | `response.output_text.delta` | `response.reasoning_text.delta`, `response.reasoning_summary_text.delta` | `response.function_call_arguments.delta` | `response.refusal.delta` | `response.completed` (also failed/incomplete) | `response.completed`, `[DONE]` | `error`: `code`; `response.failed`: `error.code`; `response.incomplete`: `incomplete_details.reason` |
//! | `anthropic` | `text_delta` | `thinking_delta` | `input_json_delta` | other deltas with `text` | `message_start` (input), `message_delta` (cumulative output) | `message_stop` | `error.type` |
//! | `ollama` | `response`, `message.content` | `thinking`, `message.thinking` | — | — | `"done": true` line | `"done": true` line | `"error"` |
//! | `ai-sdk-ui` | `text-delta` | `reasoning-delta` | `tool-input-delta` | — | — | `[DONE]` | `"error"`, `"abort"` |
//! | `ai-sdk-data` | `0:` | `g:` | `c:` `argsTextDelta` | — | `d:` usage | `d:` | `3:` → `"error"` |
//! | `text` | every decoded piece | — | — | — | — | end of body | — |
//!
//! Empty or null text yields no delta. Error classes never contain server-provided messages.
//! Every framing strips one leading BOM and decodes UTF-8 lossily (U+FFFD), whole lines at a time.
//!
//! ## Detection
//! In order of precedence ([`DetectedBy`] records which one decided):
//! 1. `Override`: [`DecoderConfig::format`].
//! 2. `Header`: `x-vercel-ai-ui-message-stream: v1` → AI SDK UI, `x-vercel-ai-data-stream: v1` →
//!    AI SDK data stream.
//! 3. `ContentType`: `application/x-ndjson` / `application/jsonl` → Ollama; `text/plain` → text
//!    (unless the body starts like an AI SDK data stream, which is served as `text/plain`).
//! 4. `FirstBytes`: `data:` / `event:` / `id:` / `retry:` / `:` → SSE; `0:"`, `g:"`, `d:{` (a
//!    one-character code, a colon, JSON) → AI SDK data stream. For SSE (from these bytes or from
//!    `text/event-stream`) the first event whose JSON (`choices`, `type`) or event name names a
//!    dialect picks Chat Completions, Responses, Anthropic or AI SDK UI, recorded as `FirstBytes`.
//! 5. `Fallback`, a guess, labelled as one: `{` first → Ollama NDJSON (a JSON object per line says
//!    nothing about whose); anything else → text; SSE events that name no dialect are decoded as
//!    Chat Completions, and every later event is asked again until one names its dialect (so an
//!    Anthropic stream behind an unrecognized first event still yields its content).
//!
//! Detection buffers at most a few hundred bytes and depends only on the stream's content, not
//! on how it was split into feeds; at [`StreamDecoder::finish`] it decides with what it has.
//! [`StreamDecoder::format`] is `None` until it has decided.
//!
//! ## JSON
//! Each message's JSON is read in place by a small borrowed scanner (`scanner.rs`, typed reads in
//! `fields.rs`) that extracts only the members its format needs and skips the rest without
//! building it. It accepts exactly the JSON the previous serde_json derive structs accepted
//! (checked by differential tests against them: `tests/wire_differential.rs`, the old adapters in
//! `tests/support/oracle/`), so "cannot be parsed" below
//! means the same as before; serde_json itself is still used for reports and configuration.
//!
//! ## Errors
//! Nothing panics and nothing stops decoding: a message that cannot be parsed yields
//! `Signal::ParseError` (after its `Message`), an over-long line yields `Signal::OversizedLine`,
//! and both are counted in [`DecoderCounters`]. A body that ends inside an event or line reports
//! [`StreamEnd::unterminated`]; a body without its format's end marker reports
//! `saw_end_marker == false`.

#[doc(hidden)]
pub mod adapters;
mod ai_sdk_data;
mod ai_sdk_ui;
mod anthropic;
mod config;
mod decoder;
mod detect;
mod fields;
mod format;
mod json;
pub mod lines;
mod number;
mod ollama;
mod openai_chat;
mod openai_responses;
mod scan;
mod scanner;
pub mod sse;
pub mod utf8;

pub use config::{DecoderConfig, DecoderCounters, StreamEnd};
pub use decoder::StreamDecoder;
pub use format::{DetectedBy, UnknownWireFormat, WireFormat};
