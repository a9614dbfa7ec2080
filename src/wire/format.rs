//! The names of the supported wire formats and of the ways a format can be detected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A wire format of a streamed chat response.
///
/// Names (`as_str`, `FromStr`, serde) are stable kebab-case strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WireFormat {
    /// OpenAI Chat Completions (and compatible servers: vLLM, llama.cpp, …): SSE `data:` JSON chunks,
    /// `data: [DONE]`. Name `"openai-chat"`.
    #[serde(rename = "openai-chat")]
    OpenAiChat,
    /// OpenAI Responses API: named SSE events (`response.output_text.delta`, …). Name `"openai-responses"`.
    #[serde(rename = "openai-responses")]
    OpenAiResponses,
    /// Anthropic Messages: named SSE events (`content_block_delta`, `message_stop`, …). Name `"anthropic"`.
    #[serde(rename = "anthropic")]
    Anthropic,
    /// Ollama `/api/chat` and `/api/generate`: NDJSON lines. Name `"ollama"`.
    #[serde(rename = "ollama")]
    Ollama,
    /// Vercel AI SDK UI message stream v1: SSE `data:` JSON parts. Name `"ai-sdk-ui"`.
    #[serde(rename = "ai-sdk-ui")]
    AiSdkUi,
    /// Vercel AI SDK ≤ 4 data stream: `TYPE:JSON` lines. Name `"ai-sdk-data"`.
    #[serde(rename = "ai-sdk-data")]
    AiSdkData,
    /// Plain text (AI SDK text stream protocol, or anything unframed). Name `"text"`.
    #[serde(rename = "text")]
    Text,
}

impl WireFormat {
    /// Every format, in declaration order.
    pub const ALL: [WireFormat; 7] = [
        WireFormat::OpenAiChat,
        WireFormat::OpenAiResponses,
        WireFormat::Anthropic,
        WireFormat::Ollama,
        WireFormat::AiSdkUi,
        WireFormat::AiSdkData,
        WireFormat::Text,
    ];

    /// The stable kebab-case name, e.g. `"openai-chat"`.
    pub fn as_str(self) -> &'static str {
        match self {
            WireFormat::OpenAiChat => "openai-chat",
            WireFormat::OpenAiResponses => "openai-responses",
            WireFormat::Anthropic => "anthropic",
            WireFormat::Ollama => "ollama",
            WireFormat::AiSdkUi => "ai-sdk-ui",
            WireFormat::AiSdkData => "ai-sdk-data",
            WireFormat::Text => "text",
        }
    }

    /// True for the formats that send a finish reason in its own event before the end marker
    /// (Chat Completions `finish_reason`, Anthropic `message_delta.stop_reason`): there the end
    /// marker alone does not show that the model finished (a preempted llama.cpp-python request
    /// sends `[DONE]` without a finish reason). In the other formats the end marker is itself the
    /// finish event (`response.completed`, Ollama `"done": true`, AI SDK `d:`), or the format
    /// has no finish reason (text; the AI SDK UI `finish` part has one only in newer versions).
    pub fn finish_reason_precedes_end(self) -> bool {
        matches!(self, WireFormat::OpenAiChat | WireFormat::Anthropic)
    }

    /// True for the formats framed as Server-Sent Events.
    pub fn is_sse(self) -> bool {
        matches!(
            self,
            WireFormat::OpenAiChat
                | WireFormat::OpenAiResponses
                | WireFormat::Anthropic
                | WireFormat::AiSdkUi
        )
    }
}

impl fmt::Display for WireFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no [`WireFormat`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownWireFormat {
    /// The string that was given.
    pub value: String,
}

impl crate::message::Message for UnknownWireFormat {
    fn message(&self) -> String {
        let names = crate::message::list(&mut WireFormat::ALL.iter().map(|f| f.as_str()));
        crate::message::concat(&[
            "unknown wire format \"",
            &self.value,
            "\"; use one of: ",
            &names,
        ])
    }
}

impl fmt::Display for UnknownWireFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::message::Message::message(self))
    }
}

impl std::error::Error for UnknownWireFormat {}

impl FromStr for WireFormat {
    type Err = UnknownWireFormat;

    /// Parses a stable name (`"openai-chat"`, …). Returns an error naming the bad value and
    /// listing the valid ones.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::metrics::find_name(WireFormat::ALL, WireFormat::as_str, s).ok_or_else(|| {
            UnknownWireFormat {
                value: s.to_owned(),
            }
        })
    }
}

/// What decided the wire format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DetectedBy {
    /// [`crate::wire::DecoderConfig::format`] named it. Name `"override"`.
    Override,
    /// A protocol header (`x-vercel-ai-ui-message-stream: v1`, `x-vercel-ai-data-stream: v1`). Name `"header"`.
    Header,
    /// The content type alone (`application/x-ndjson` → Ollama, `text/plain` → text). Name `"content-type"`.
    ContentType,
    /// The body: its first bytes (framing) or its first SSE event (which SSE dialect), possibly after
    /// a `text/event-stream` content type narrowed it to the SSE family. Name `"first-bytes"`.
    FirstBytes,
    /// Nothing was decisive and a default was guessed: Ollama for a body starting with `{`, text for
    /// an unrecognized body, Chat Completions for an SSE stream while no event names a dialect (a
    /// later event that names one replaces the guess). Name `"fallback"`.
    Fallback,
    /// A preset chose it: the caller forced the format (as with `Override`) because a named
    /// endpoint kind (the audit page's and CLI's presets) implies it, not because the user named
    /// a format. Set by [`crate::meter::MeterConfig::format_source`]. Name `"preset"`.
    Preset,
}

impl DetectedBy {
    /// The stable kebab-case name, e.g. `"content-type"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DetectedBy::Override => "override",
            DetectedBy::Header => "header",
            DetectedBy::ContentType => "content-type",
            DetectedBy::FirstBytes => "first-bytes",
            DetectedBy::Fallback => "fallback",
            DetectedBy::Preset => "preset",
        }
    }
}

impl fmt::Display for DetectedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for format in WireFormat::ALL {
            assert_eq!(format.as_str().parse::<WireFormat>(), Ok(format));
            let json = serde_json::to_string(&format).expect("serializes");
            assert_eq!(json, format!("\"{}\"", format.as_str()));
        }
        let err = "openai".parse::<WireFormat>().expect_err("not a format");
        assert!(err.to_string().contains("\"openai\""));
        assert!(err.to_string().contains("ai-sdk-data"));
        assert_eq!(
            serde_json::to_string(&DetectedBy::FirstBytes).expect("serializes"),
            "\"first-bytes\""
        );
    }
}
