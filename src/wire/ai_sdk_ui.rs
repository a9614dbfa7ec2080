//! Vercel AI SDK UI message stream v1: SSE events whose `data` is a JSON part.
//!
//! `text-delta` (`delta`) → `Content`; `reasoning-delta` (`delta`) → `Reasoning`;
//! `tool-input-delta` (`inputTextDelta`) → `Tool`; `error` → `Error{class: "error"}` (the part
//! only has free `errorText`, which never goes into a class); `abort` → `Error{class: "abort"}`;
//! `finish` with a `finishReason` → `Finish`; `[DONE]` → `End`. Every other part (`start`,
//! `data-*`, …) is a bare `Message`; the protocol carries no token counts.

use super::fields::{Any, opt_any, opt_text, parse, record};
use super::json::{DONE, Sink, emit_finish, emit_text};
use super::scanner::{Res, Scanner};
use crate::signal::{DeltaKind, Signal};
use std::borrow::Cow;

/// A part's `type`, `delta` and `inputTextDelta`.
#[derive(Default)]
struct Part<'a> {
    kind: Option<Cow<'a, str>>,
    delta: Option<Cow<'a, str>>,
    input_text_delta: Option<Cow<'a, str>>,
    finish_reason: Option<Any<'a>>,
}

fn part<'a>(s: &mut Scanner<'a>) -> Res<Part<'a>> {
    let mut part = Part::default();
    let names = ["type", "delta", "inputTextDelta", "finishReason"];
    record(s, &names, |s, field| {
        if field == 3 {
            part.finish_reason = opt_any(s)?;
            return Ok(());
        }
        let text = opt_text(s)?;
        match field {
            0 => part.kind = text,
            1 => part.delta = text,
            _ => part.input_text_delta = text,
        }
        Ok(())
    })?;
    Ok(part)
}

/// Decodes one SSE event of an AI SDK UI message stream.
pub(crate) fn decode_event(_event: &str, data: &str, sink: &mut Sink<'_>) {
    sink(Signal::Message { has_choices: false });
    if data == DONE {
        sink(Signal::End);
        return;
    }
    let Ok(part) = parse(data, part) else {
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
