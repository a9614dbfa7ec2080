//! Ollama NDJSON lines, from `/api/chat` (`message.content`, `message.thinking`) and
//! `/api/generate` (`response`, `thinking`).
//!
//! Per line: `Message`, then `Reasoning` and `Content` deltas; a line with `"done": true` then
//! gives `Usage{prompt_eval_count, eval_count}` and `End`; `{"error": "…"}` gives `Error`
//! (class `"error"`: Ollama's errors are free text, which never goes into a class).
//! Blank lines are skipped without a `Message`.

use super::json::{Count, Sink, Text, emit_finish, emit_text};
use chat_vitals::signal::{DeltaKind, Signal, Usage};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(default, borrow)]
    message: Option<ChatMessage<'a>>,
    #[serde(default, borrow)]
    response: Option<Text<'a>>,
    #[serde(default, borrow)]
    thinking: Option<Text<'a>>,
    #[serde(default)]
    done: Option<bool>,
    #[serde(default)]
    prompt_eval_count: Count,
    #[serde(default)]
    eval_count: Count,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    done_reason: Option<Value>,
}

#[derive(Deserialize)]
struct ChatMessage<'a> {
    #[serde(default, borrow)]
    content: Option<Text<'a>>,
    #[serde(default, borrow)]
    thinking: Option<Text<'a>>,
}

/// Decodes one NDJSON line of an Ollama stream.
pub(crate) fn decode_line(line: &str, sink: &mut Sink<'_>) {
    if line.trim().is_empty() {
        return;
    }
    sink(Signal::Message { has_choices: false });
    let Ok(parsed) = serde_json::from_str::<Line<'_>>(line) else {
        sink(Signal::ParseError);
        return;
    };
    if let Some(message) = &parsed.message {
        emit_text(sink, DeltaKind::Reasoning, message.thinking.as_deref());
        emit_text(sink, DeltaKind::Content, message.content.as_deref());
    }
    emit_text(sink, DeltaKind::Reasoning, parsed.thinking.as_deref());
    emit_text(sink, DeltaKind::Content, parsed.response.as_deref());
    if parsed.error.as_ref().is_some_and(|e| !e.is_null()) {
        sink(Signal::Error {
            class: "error".to_owned(),
        });
    }
    emit_finish(sink, parsed.done_reason.as_ref());
    if parsed.done == Some(true) {
        sink(Signal::Usage(Usage {
            input_tokens: parsed.prompt_eval_count.get(),
            output_tokens: parsed.eval_count.get(),
            reasoning_tokens: None,
        }));
        sink(Signal::End);
    }
}
