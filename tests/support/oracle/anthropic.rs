//! Anthropic Messages stream events. The JSON `type` field decides (the `event:` name when absent).
//!
//! - `content_block_delta`: `text_delta` → `Content`, `thinking_delta` → `Reasoning`,
//!   `input_json_delta` (`partial_json`) → `Tool`, `signature_delta` → nothing, other delta types
//!   carrying `text` → `Other`;
//! - `message_start` → `Usage{input_tokens}` (its `output_tokens` is a placeholder, so it is left out);
//! - `message_delta` → `Usage` with the cumulative `output_tokens` (and `input_tokens` if given);
//! - `message_stop` → `End`; `error` → `Error` with `error.type`;
//! - `ping` and every other event are a bare `Message`.

use super::json::{Count, DONE, Sink, Text, emit_error, emit_finish, emit_text};
use chat_vitals::signal::{DeltaKind, Signal, Usage};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Event<'a> {
    #[serde(default, borrow, rename = "type")]
    kind: Option<Text<'a>>,
    #[serde(default, borrow)]
    delta: Option<Delta<'a>>,
    #[serde(default)]
    message: Option<Message>,
    #[serde(default)]
    usage: Option<MessageUsage>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct Delta<'a> {
    #[serde(default, borrow, rename = "type")]
    kind: Option<Text<'a>>,
    #[serde(default, borrow)]
    text: Option<Text<'a>>,
    #[serde(default, borrow)]
    thinking: Option<Text<'a>>,
    #[serde(default, borrow)]
    partial_json: Option<Text<'a>>,
    #[serde(default)]
    stop_reason: Option<Value>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    usage: Option<MessageUsage>,
}

#[derive(Deserialize)]
struct MessageUsage {
    #[serde(default)]
    input_tokens: Count,
    #[serde(default)]
    output_tokens: Count,
}

/// Decodes one SSE event of an Anthropic Messages stream.
pub(crate) fn decode_event(event: &str, data: &str, sink: &mut Sink<'_>) {
    sink(Signal::Message { has_choices: false });
    if data == DONE {
        sink(Signal::End);
        return;
    }
    let Ok(parsed) = serde_json::from_str::<Event<'_>>(data) else {
        sink(Signal::ParseError);
        return;
    };
    match parsed.kind.as_deref().unwrap_or(event) {
        "content_block_delta" => {
            if let Some(delta) = &parsed.delta {
                emit_delta(delta, sink);
            }
        }
        "message_start" => {
            if let Some(usage) = parsed.message.and_then(|m| m.usage) {
                let input_tokens = usage.input_tokens.get();
                sink(Signal::Usage(Usage {
                    input_tokens,
                    ..Usage::default()
                }));
            }
        }
        "message_delta" => {
            emit_finish(
                sink,
                parsed.delta.as_ref().and_then(|d| d.stop_reason.as_ref()),
            );
            if let Some(usage) = parsed.usage {
                sink(Signal::Usage(Usage {
                    input_tokens: usage.input_tokens.get(),
                    output_tokens: usage.output_tokens.get(),
                    reasoning_tokens: None,
                }));
            }
        }
        "message_stop" => sink(Signal::End),
        "error" => match parsed.error {
            Some(error) if !error.is_null() => emit_error(sink, Some(&error)),
            _ => sink(Signal::Error {
                class: "error".to_owned(),
            }),
        },
        _ => {}
    }
}

fn emit_delta(delta: &Delta<'_>, sink: &mut Sink<'_>) {
    match delta.kind.as_deref() {
        Some("text_delta") => emit_text(sink, DeltaKind::Content, delta.text.as_deref()),
        Some("thinking_delta") => emit_text(sink, DeltaKind::Reasoning, delta.thinking.as_deref()),
        Some("input_json_delta") => emit_text(sink, DeltaKind::Tool, delta.partial_json.as_deref()),
        Some("signature_delta") => {}
        _ => emit_text(sink, DeltaKind::Other, delta.text.as_deref()),
    }
}
