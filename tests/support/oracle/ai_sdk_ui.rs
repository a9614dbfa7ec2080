//! Vercel AI SDK UI message stream v1: SSE events whose `data` is a JSON part.
//!
//! `text-delta` (`delta`) → `Content`; `reasoning-delta` (`delta`) → `Reasoning`;
//! `tool-input-delta` (`inputTextDelta`) → `Tool`; `error` → `Error{class: "error"}` (the part
//! only has free `errorText`, which never goes into a class); `abort` → `Error{class: "abort"}`;
//! `[DONE]` → `End`. Every other part (`start`, `finish`, `data-*`, …) is a bare `Message`; the
//! protocol carries no token counts.

use super::json::{DONE, Sink, Text, emit_finish, emit_text};
use chat_vitals::signal::{DeltaKind, Signal};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Part<'a> {
    #[serde(default, borrow, rename = "type")]
    kind: Option<Text<'a>>,
    #[serde(default, borrow)]
    delta: Option<Text<'a>>,
    #[serde(default, borrow)]
    input_text_delta: Option<Text<'a>>,
    #[serde(default)]
    finish_reason: Option<serde_json::Value>,
}

/// Decodes one SSE event of an AI SDK UI message stream.
pub(crate) fn decode_event(_event: &str, data: &str, sink: &mut Sink<'_>) {
    sink(Signal::Message { has_choices: false });
    if data == DONE {
        sink(Signal::End);
        return;
    }
    let Ok(part) = serde_json::from_str::<Part<'_>>(data) else {
        sink(Signal::ParseError);
        return;
    };
    match part.kind.as_deref() {
        Some("text-delta") => emit_text(sink, DeltaKind::Content, part.delta.as_deref()),
        Some("reasoning-delta") => emit_text(sink, DeltaKind::Reasoning, part.delta.as_deref()),
        Some("tool-input-delta") => {
            emit_text(sink, DeltaKind::Tool, part.input_text_delta.as_deref())
        }
        Some("error") => sink(Signal::Error {
            class: "error".to_owned(),
        }),
        Some("abort") => sink(Signal::Error {
            class: "abort".to_owned(),
        }),
        Some("finish") => emit_finish(sink, part.finish_reason.as_ref()),
        _ => {}
    }
}
