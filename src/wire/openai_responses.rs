//! OpenAI Responses API stream events. The JSON `type` field decides; the SSE `event:` name is
//! used only when the payload has no `type` (the SDK's fixtures omit `event:` lines).
//!
//! - `response.output_text.delta` → `Content`; `response.reasoning_text.delta` and
//!   `response.reasoning_summary_text.delta` → `Reasoning`; `response.function_call_arguments.delta`
//!   → `Tool`; `response.refusal.delta` → `Other`;
//! - `response.completed` → `Usage` (when present), `Finish` (`response.status`, else
//!   `completed`), then `End`;
//! - `response.failed` / `response.incomplete` → `Usage` (when present), `Finish`
//!   (`incomplete_details.reason`, else `response.status`, else `failed` / `incomplete`), then
//!   `Error` (class: the response's `error.code`/`type`, or `incomplete_details.reason`, else the
//!   event name);
//! - `error` → `Error` (class from `code`/`type`, top-level or nested `error`);
//! - `[DONE]`, if a server sends it, → `End`. Every other event is a bare `Message`.

use super::fields::{Any, count, opt, opt_any, opt_text, parse, record};
use super::json::{Count, DONE, Sink, emit_text, error_class};
use super::scanner::{Res, Scanner};
use crate::signal::{DeltaKind, Signal, Usage};
use std::borrow::Cow;

/// What an event carries; `None` where the member is absent or `null`.
#[derive(Default)]
struct Event<'a> {
    kind: Option<Cow<'a, str>>,
    delta: Option<Cow<'a, str>>,
    response: Option<Response<'a>>,
    code: Option<Any<'a>>,
    error: Option<Any<'a>>,
}

#[derive(Default)]
struct Response<'a> {
    usage: Option<ResponseUsage>,
    error: Option<Any<'a>>,
    incomplete_details: Option<Any<'a>>,
    status: Option<Any<'a>>,
}

#[derive(Default)]
struct ResponseUsage {
    input_tokens: Count,
    output_tokens: Count,
    reasoning_tokens: Option<Count>,
}

fn event<'a>(s: &mut Scanner<'a>) -> Res<Event<'a>> {
    let mut event = Event::default();
    record(
        s,
        &["type", "delta", "response", "code", "error"],
        |s, field| {
            match field {
                0 => event.kind = opt_text(s)?,
                1 => event.delta = opt_text(s)?,
                2 => event.response = opt(s, response)?,
                3 => event.code = opt_any(s)?,
                _ => event.error = opt_any(s)?,
            }
            Ok(())
        },
    )?;
    Ok(event)
}

fn response<'a>(s: &mut Scanner<'a>) -> Res<Response<'a>> {
    let mut response = Response::default();
    let names = ["usage", "error", "incomplete_details", "status"];
    record(s, &names, |s, field| {
        match field {
            0 => response.usage = opt(s, usage)?,
            1 => response.error = opt_any(s)?,
            2 => response.incomplete_details = opt_any(s)?,
            _ => response.status = opt_any(s)?,
        }
        Ok(())
    })?;
    Ok(response)
}

fn usage(s: &mut Scanner<'_>) -> Res<ResponseUsage> {
    let names = ["input_tokens", "output_tokens", "output_tokens_details"];
    let mut usage = ResponseUsage::default();
    record(s, &names, |s, field| {
        match field {
            0 => usage.input_tokens = count(s)?,
            1 => usage.output_tokens = count(s)?,
            _ => {
                usage.reasoning_tokens = opt(s, |s| {
                    let mut tokens = Count::default();
                    record(s, &["reasoning_tokens"], |s, _| {
                        tokens = count(s)?;
                        Ok(())
                    })?;
                    Ok(tokens)
                })?
            }
        }
        Ok(())
    })?;
    Ok(usage)
}

/// Decodes one SSE event of a Responses API stream.
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
    let kind = parsed.kind.as_deref().unwrap_or(event);
    let delta = parsed.delta.as_deref();
    match kind {
        "response.output_text.delta" => emit_text(sink, DeltaKind::Content, delta),
        "response.reasoning_text.delta" | "response.reasoning_summary_text.delta" => {
            emit_text(sink, DeltaKind::Reasoning, delta)
        }
        "response.function_call_arguments.delta" => emit_text(sink, DeltaKind::Tool, delta),
        "response.refusal.delta" => emit_text(sink, DeltaKind::Other, delta),
        "response.completed" => {
            emit_usage(parsed.response.as_ref(), sink);
            emit_status(parsed.response.as_ref(), "completed", sink);
            sink(Signal::End);
        }
        "response.failed" | "response.incomplete" => {
            emit_usage(parsed.response.as_ref(), sink);
            let fallback = kind.strip_prefix("response.").unwrap_or(kind);
            emit_status(parsed.response.as_ref(), fallback, sink);
            let class = parsed.response.as_ref().and_then(response_error_class);
            sink(Signal::Error {
                class: class.unwrap_or_else(|| fallback.to_owned()),
            });
        }
        "error" => {
            let class = match (&parsed.error, &parsed.code) {
                (Some(error), _) if matches!(error, Any::Object(_)) => error_class(error),
                (_, Some(Any::Scalar(code))) => code.non_empty_str().unwrap_or("error").to_owned(),
                _ => "error".to_owned(),
            };
            sink(Signal::Error { class });
        }
        _ => {}
    }
}

fn emit_usage(response: Option<&Response<'_>>, sink: &mut Sink<'_>) {
    if let Some(usage) = response.and_then(|r| r.usage.as_ref()) {
        sink(Signal::Usage(Usage {
            input_tokens: usage.input_tokens.get(),
            output_tokens: usage.output_tokens.get(),
            reasoning_tokens: usage.reasoning_tokens.and_then(Count::get),
        }));
    }
}

/// `Finish` with the response's `incomplete_details.reason`, else its `status`, else `fallback`.
fn emit_status(response: Option<&Response<'_>>, fallback: &str, sink: &mut Sink<'_>) {
    let reason = |value: Option<&Any<'_>>| match value {
        Some(Any::Scalar(member)) => member.non_empty_str().map(str::to_owned),
        _ => None,
    };
    let detail = response.and_then(|r| match r.incomplete_details.as_ref() {
        Some(Any::Object(details)) => details.reason.as_ref()?.non_empty_str().map(str::to_owned),
        _ => None,
    });
    let reason = detail
        .or_else(|| response.and_then(|r| reason(r.status.as_ref())))
        .unwrap_or_else(|| fallback.to_owned());
    sink(Signal::Finish { reason: &reason });
}

fn response_error_class(response: &Response<'_>) -> Option<String> {
    if let Some(error) = response
        .error
        .as_ref()
        .filter(|e| matches!(e, Any::Object(_)))
    {
        return Some(error_class(error)).filter(|c| c != "error");
    }
    match response.incomplete_details.as_ref()? {
        Any::Object(details) => details.reason.as_ref()?.non_empty_str().map(str::to_owned),
        _ => None,
    }
}
