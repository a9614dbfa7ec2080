//! Ollama NDJSON lines, from `/api/chat` (`message.content`, `message.thinking`) and
//! `/api/generate` (`response`, `thinking`).
//!
//! Per line: `Message`, then `Reasoning` and `Content` deltas; a line with `"done": true` then
//! gives `Usage{prompt_eval_count, eval_count}` and `End`; `{"error": "…"}` gives `Error`
//! (class `"error"`: Ollama's errors are free text, which never goes into a class); a
//! `done_reason` (`stop`, `length`, `load`, …) gives `Finish` before the usage.
//! Blank lines are skipped without a `Message`.

use super::fields::{Any, count, opt, opt_any, opt_bool, opt_text, parse, record};
use super::json::{Count, Sink, emit_finish, emit_text};
use super::scan::is_blank;
use super::scanner::{Res, Scanner};
use crate::signal::{DeltaKind, Signal, Usage};
use std::borrow::Cow;

/// What a line carries; `None` where the member is absent or `null`.
#[derive(Default)]
struct Line<'a> {
    message: Option<ChatMessage<'a>>,
    response: Option<Cow<'a, str>>,
    thinking: Option<Cow<'a, str>>,
    done: Option<bool>,
    prompt_eval_count: Count,
    eval_count: Count,
    error: Option<Any<'a>>,
    done_reason: Option<Any<'a>>,
}

#[derive(Default)]
struct ChatMessage<'a> {
    content: Option<Cow<'a, str>>,
    thinking: Option<Cow<'a, str>>,
}

const LINE_FIELDS: [&str; 8] = [
    "message",
    "response",
    "thinking",
    "done",
    "prompt_eval_count",
    "eval_count",
    "error",
    "done_reason",
];

fn line<'a>(s: &mut Scanner<'a>) -> Res<Line<'a>> {
    let mut line = Line::default();
    record(s, &LINE_FIELDS, |s, field| {
        match field {
            0 => line.message = opt(s, message)?,
            1 => line.response = opt_text(s)?,
            2 => line.thinking = opt_text(s)?,
            3 => line.done = opt_bool(s)?,
            4 => line.prompt_eval_count = count(s)?,
            5 => line.eval_count = count(s)?,
            6 => line.error = opt_any(s)?,
            _ => line.done_reason = opt_any(s)?,
        }
        Ok(())
    })?;
    Ok(line)
}

fn message<'a>(s: &mut Scanner<'a>) -> Res<ChatMessage<'a>> {
    let mut message = ChatMessage::default();
    record(s, &["content", "thinking"], |s, field| {
        let text = opt_text(s)?;
        match field {
            0 => message.content = text,
            _ => message.thinking = text,
        }
        Ok(())
    })?;
    Ok(message)
}

/// Decodes one NDJSON line of an Ollama stream.
pub(crate) fn decode_line(line: &str, sink: &mut Sink<'_>) {
    if is_blank(line) {
        return;
    }
    sink(Signal::Message { has_choices: false });
    let Ok(parsed) = parse(line, self::line) else {
        sink(Signal::ParseError);
        return;
    };
    if let Some(message) = &parsed.message {
        emit_text(sink, DeltaKind::Reasoning, message.thinking.as_deref());
        emit_text(sink, DeltaKind::Content, message.content.as_deref());
    }
    emit_text(sink, DeltaKind::Reasoning, parsed.thinking.as_deref());
    emit_text(sink, DeltaKind::Content, parsed.response.as_deref());
    if parsed
        .error
        .as_ref()
        .is_some_and(|e| !matches!(e, Any::Null))
    {
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
