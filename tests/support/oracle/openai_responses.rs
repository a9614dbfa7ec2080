//! OpenAI Responses API stream events. The JSON `type` field decides; the SSE `event:` name is
//! used only when the payload has no `type` (the SDK's fixtures omit `event:` lines).
//!
//! - `response.output_text.delta` → `Content`; `response.reasoning_text.delta` and
//!   `response.reasoning_summary_text.delta` → `Reasoning`; `response.function_call_arguments.delta`
//!   → `Tool`; `response.refusal.delta` → `Other`;
//! - `response.completed` → `Usage` (when present), then `End`;
//! - `response.failed` / `response.incomplete` → `Usage` (when present), then `Error` (class: the
//!   response's `error.code`/`type`, or `incomplete_details.reason`, else the event name);
//! - `error` → `Error` (class from `code`/`type`, top-level or nested `error`);
//! - `[DONE]`, if a server sends it, → `End`. Every other event is a bare `Message`.

use super::json::{Count, DONE, Sink, Text, emit_text, error_class};
use chat_vitals::signal::{DeltaKind, Signal, Usage};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Event<'a> {
    #[serde(default, borrow, rename = "type")]
    kind: Option<Text<'a>>,
    #[serde(default, borrow)]
    delta: Option<Text<'a>>,
    #[serde(default)]
    response: Option<Response>,
    #[serde(default)]
    code: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    usage: Option<ResponseUsage>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(default)]
    incomplete_details: Option<Value>,
    #[serde(default)]
    status: Option<Value>,
}

#[derive(Deserialize)]
struct ResponseUsage {
    #[serde(default)]
    input_tokens: Count,
    #[serde(default)]
    output_tokens: Count,
    #[serde(default)]
    output_tokens_details: Option<OutputDetails>,
}

#[derive(Deserialize)]
struct OutputDetails {
    #[serde(default)]
    reasoning_tokens: Count,
}

/// Decodes one SSE event of a Responses API stream.
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
            let fallback = kind.trim_start_matches("response.");
            emit_status(parsed.response.as_ref(), fallback, sink);
            let class = parsed.response.as_ref().and_then(response_error_class);
            sink(Signal::Error {
                class: class.unwrap_or_else(|| fallback.to_owned()),
            });
        }
        "error" => {
            let class = match (&parsed.error, &parsed.code) {
                (Some(error), _) if error.is_object() => error_class(error),
                (_, Some(Value::String(code))) if !code.is_empty() => code.clone(),
                _ => "error".to_owned(),
            };
            sink(Signal::Error { class });
        }
        _ => {}
    }
}

fn emit_usage(response: Option<&Response>, sink: &mut Sink<'_>) {
    if let Some(usage) = response.and_then(|r| r.usage.as_ref()) {
        sink(Signal::Usage(Usage {
            input_tokens: usage.input_tokens.get(),
            output_tokens: usage.output_tokens.get(),
            reasoning_tokens: usage
                .output_tokens_details
                .as_ref()
                .and_then(|d| d.reasoning_tokens.get()),
        }));
    }
}

fn emit_status(response: Option<&Response>, fallback: &str, sink: &mut Sink<'_>) {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    let reason = response
        .and_then(|r| text(r.incomplete_details.as_ref()?.get("reason")))
        .or_else(|| response.and_then(|r| text(r.status.as_ref())))
        .unwrap_or_else(|| fallback.to_owned());
    sink(Signal::Finish { reason: &reason });
}

fn response_error_class(response: &Response) -> Option<String> {
    if let Some(error) = response.error.as_ref().filter(|e| e.is_object()) {
        return Some(error_class(error)).filter(|c| c != "error");
    }
    match response.incomplete_details.as_ref()?.get("reason")? {
        Value::String(reason) if !reason.is_empty() => Some(reason.clone()),
        _ => None,
    }
}
