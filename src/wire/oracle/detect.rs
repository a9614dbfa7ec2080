//! The old serde-based SSE dialect probe, kept verbatim as part of the test oracle.

use super::json::Text;
use crate::wire::format::{DetectedBy, WireFormat};
use serde::Deserialize;
use serde::de::IgnoredAny;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe<'a> {
    #[serde(default, borrow, rename = "type")]
    kind: Option<Text<'a>>,
    #[serde(default, borrow)]
    object: Option<Text<'a>>,
    #[serde(default)]
    choices: Option<IgnoredAny>,
    #[serde(default)]
    error_text: Option<IgnoredAny>,
    #[serde(default, rename = "sequence_number")]
    sequence_number: Option<IgnoredAny>,
    #[serde(default)]
    code: Option<IgnoredAny>,
    #[serde(default)]
    error: Option<IgnoredAny>,
}

const ANTHROPIC_TYPES: [&str; 7] = [
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
    "ping",
];

const AI_SDK_UI_TYPES: [&str; 16] = [
    "start",
    "finish",
    "start-step",
    "finish-step",
    "reset-step",
    "text-start",
    "text-delta",
    "text-end",
    "reasoning-start",
    "reasoning-delta",
    "reasoning-end",
    "source-url",
    "source-document",
    "file",
    "abort",
    "message-metadata",
];

/// Decides the SSE dialect from the first dispatched event. Falls back to Chat Completions, the
/// most common dialect, when the event names none (e.g. `[DONE]` or an unknown payload).
pub(crate) fn sse_dialect(event: &str, data: &str) -> (WireFormat, DetectedBy) {
    let probe = serde_json::from_str::<Probe<'_>>(data).ok();
    let from_json = probe.as_ref().and_then(dialect_from_json);
    match from_json.or_else(|| dialect_from_event_name(event)) {
        Some(format) => (format, DetectedBy::FirstBytes),
        None => (WireFormat::OpenAiChat, DetectedBy::Fallback),
    }
}

fn dialect_from_json(probe: &Probe<'_>) -> Option<WireFormat> {
    if probe.choices.is_some() || probe.object.as_deref() == Some("chat.completion.chunk") {
        return Some(WireFormat::OpenAiChat);
    }
    let Some(kind) = probe.kind.as_deref() else {
        return probe.error.is_some().then_some(WireFormat::OpenAiChat);
    };
    if kind.starts_with("response.") {
        Some(WireFormat::OpenAiResponses)
    } else if ANTHROPIC_TYPES.contains(&kind) {
        Some(WireFormat::Anthropic)
    } else if AI_SDK_UI_TYPES.contains(&kind)
        || kind.starts_with("data-")
        || kind.starts_with("tool-")
    {
        Some(WireFormat::AiSdkUi)
    } else if kind == "error" {
        if probe.error_text.is_some() {
            Some(WireFormat::AiSdkUi)
        } else if probe.sequence_number.is_some() || (probe.code.is_some() && probe.error.is_none())
        {
            Some(WireFormat::OpenAiResponses)
        } else {
            probe.error.is_some().then_some(WireFormat::Anthropic)
        }
    } else {
        None
    }
}

fn dialect_from_event_name(event: &str) -> Option<WireFormat> {
    if event.starts_with("response.") {
        Some(WireFormat::OpenAiResponses)
    } else if ANTHROPIC_TYPES.contains(&event) {
        Some(WireFormat::Anthropic)
    } else {
        None
    }
}
