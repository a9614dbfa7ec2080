//! Vercel AI SDK ≤ 4 data stream: one `TYPE:JSON` part per line.
//!
//! `0:"text"` → `Content`; `g:"text"` → `Reasoning`; `c:{argsTextDelta}` (tool-call argument
//! delta) → `Tool`; `d:{finishReason, usage:{promptTokens, completionTokens}}` → `Usage`, then `End`;
//! `3:"message"` → `Error{class: "error"}` (free text never goes into a class). Other part types are
//! a bare `Message`. A line without a `TYPE:` prefix or with malformed JSON is a `ParseError`.
//! Blank lines are skipped without a `Message`.

use super::json::{Count, Sink, Text, emit_finish, emit_text};
use chat_vitals::signal::{DeltaKind, Signal, Usage};
use serde::Deserialize;
use serde::de::IgnoredAny;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Finish {
    #[serde(default)]
    usage: Option<FinishUsage>,
    #[serde(default)]
    finish_reason: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FinishUsage {
    #[serde(default)]
    prompt_tokens: Count,
    #[serde(default)]
    completion_tokens: Count,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ToolDelta<'a> {
    #[serde(default, borrow)]
    args_text_delta: Option<Text<'a>>,
}

/// Decodes one line of a data stream.
pub(crate) fn decode_line(line: &str, sink: &mut Sink<'_>) {
    if line.trim().is_empty() {
        return;
    }
    sink(Signal::Message { has_choices: false });
    let Some((code, json)) = line.split_once(':') else {
        sink(Signal::ParseError);
        return;
    };
    let ok = match code {
        "0" => text_part(json, DeltaKind::Content, sink),
        "g" => text_part(json, DeltaKind::Reasoning, sink),
        "c" => serde_json::from_str::<ToolDelta<'_>>(json)
            .map(|part| emit_text(sink, DeltaKind::Tool, part.args_text_delta.as_deref()))
            .is_ok(),
        "d" => finish_part(json, sink),
        "3" => {
            let ok = serde_json::from_str::<IgnoredAny>(json).is_ok();
            sink(Signal::Error {
                class: "error".to_owned(),
            });
            ok
        }
        _ => serde_json::from_str::<IgnoredAny>(json).is_ok(),
    };
    if !ok {
        sink(Signal::ParseError);
    }
}

fn text_part(json: &str, kind: DeltaKind, sink: &mut Sink<'_>) -> bool {
    match serde_json::from_str::<Text<'_>>(json) {
        Ok(text) => {
            emit_text(sink, kind, Some(&text));
            true
        }
        Err(_) => false,
    }
}

fn finish_part(json: &str, sink: &mut Sink<'_>) -> bool {
    let Ok(finish) = serde_json::from_str::<Finish>(json) else {
        return false;
    };
    emit_finish(sink, finish.finish_reason.as_ref());
    if let Some(usage) = finish.usage {
        sink(Signal::Usage(Usage {
            input_tokens: usage.prompt_tokens.get(),
            output_tokens: usage.completion_tokens.get(),
            reasoning_tokens: None,
        }));
    }
    sink(Signal::End);
    true
}
