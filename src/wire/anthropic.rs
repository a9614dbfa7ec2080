//! Anthropic Messages stream events. The JSON `type` field decides (the `event:` name when absent).
//!
//! - `content_block_delta`: `text_delta` → `Content`, `thinking_delta` → `Reasoning`,
//!   `input_json_delta` (`partial_json`) → `Tool`, `signature_delta` → nothing, other delta types
//!   carrying `text` → `Other`;
//! - `message_start` → `Usage{input_tokens}` (its `output_tokens` is a placeholder, so it is left out);
//! - `message_delta` → `Finish` with `delta.stop_reason` (`end_turn`, `max_tokens`, `tool_use`, …),
//!   then `Usage` with the cumulative `output_tokens` (and `input_tokens` if given);
//! - `message_stop` → `End`; `error` → `Error` with `error.type`;
//! - `ping` and every other event are a bare `Message`.

use super::fields::{Any, count, opt, opt_any, opt_text, parse, record};
use super::json::{Count, DONE, Sink, emit_error, emit_finish, emit_text};
use super::scanner::{Res, Scanner};
use crate::signal::{DeltaKind, Signal, Usage};
use std::borrow::Cow;

/// What an event carries; `None` where the member is absent or `null`.
#[derive(Default)]
struct Event<'a> {
    kind: Option<Cow<'a, str>>,
    delta: Option<Delta<'a>>,
    /// `message.usage` (of `message_start`).
    message_usage: Option<MessageUsage>,
    usage: Option<MessageUsage>,
    error: Option<Any<'a>>,
}

#[derive(Default)]
struct Delta<'a> {
    kind: Option<Cow<'a, str>>,
    text: Option<Cow<'a, str>>,
    thinking: Option<Cow<'a, str>>,
    partial_json: Option<Cow<'a, str>>,
    /// `message_delta`'s `delta.stop_reason`.
    stop_reason: Option<Any<'a>>,
}

#[derive(Default)]
struct MessageUsage {
    input_tokens: Count,
    output_tokens: Count,
}

fn event<'a>(s: &mut Scanner<'a>) -> Res<Event<'a>> {
    let mut event = Event::default();
    let names = ["type", "delta", "message", "usage", "error"];
    record(s, &names, |s, field| {
        match field {
            0 => event.kind = opt_text(s)?,
            1 => event.delta = opt(s, delta)?,
            2 => {
                let message = opt(s, |s| {
                    let mut usage = None;
                    record(s, &["usage"], |s, _| {
                        usage = opt(s, message_usage)?;
                        Ok(())
                    })?;
                    Ok(usage)
                })?;
                event.message_usage = message.flatten();
            }
            3 => event.usage = opt(s, message_usage)?,
            _ => event.error = opt_any(s)?,
        }
        Ok(())
    })?;
    Ok(event)
}

fn delta<'a>(s: &mut Scanner<'a>) -> Res<Delta<'a>> {
    let mut delta = Delta::default();
    let names = ["type", "text", "thinking", "partial_json", "stop_reason"];
    record(s, &names, |s, field| {
        if field == 4 {
            delta.stop_reason = opt_any(s)?;
            return Ok(());
        }
        let text = opt_text(s)?;
        match field {
            0 => delta.kind = text,
            1 => delta.text = text,
            2 => delta.thinking = text,
            _ => delta.partial_json = text,
        }
        Ok(())
    })?;
    Ok(delta)
}

fn message_usage(s: &mut Scanner<'_>) -> Res<MessageUsage> {
    let mut usage = MessageUsage::default();
    record(s, &["input_tokens", "output_tokens"], |s, field| {
        let tokens = count(s)?;
        match field {
            0 => usage.input_tokens = tokens,
            _ => usage.output_tokens = tokens,
        }
        Ok(())
    })?;
    Ok(usage)
}

/// Decodes one SSE event of an Anthropic Messages stream.
pub(crate) fn decode_event(event: &str, data: &str, sink: &mut Sink<'_>) {
    sink(Signal::Message { has_choices: false });
    if data == DONE {
        sink(Signal::End);
        return;
    }
    let Ok(parsed) = parse(data, self::event) else {
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
            if let Some(usage) = parsed.message_usage {
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
            Some(error) if !matches!(error, Any::Null) => emit_error(sink, Some(&error)),
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
