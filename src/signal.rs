//! The vocabulary shared by the wire decoders (`wire`) and the metrics engine (`metrics`):
//! what a decoded stream tells the recorder, independent of the wire format it came in.

use serde::{Deserialize, Serialize};

/// What kind of text a delta carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeltaKind {
    /// Answer text the user reads (`delta.content`, `text_delta`, `response.output_text.delta`, …).
    Content,
    /// Reasoning / thinking text (`reasoning_content`, `thinking_delta`, `reasoning-delta`, …).
    Reasoning,
    /// Tool-call arguments (`tool_calls[].function.arguments`, `input_json_delta`, …).
    Tool,
    /// Anything else that carries text (refusals, unknown delta kinds).
    Other,
}

/// Token counts as the server reported them. `None` = the wire did not say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// Prompt / input tokens.
    pub input_tokens: Option<u64>,
    /// Output tokens (completion tokens; includes reasoning tokens where the server counts them there).
    pub output_tokens: Option<u64>,
    /// Reasoning tokens, when broken out.
    pub reasoning_tokens: Option<u64>,
}

/// One thing a decoder learned from the stream. Emitted in stream order.
#[derive(Clone, Debug, PartialEq)]
pub enum Signal<'a> {
    /// A complete framed message was decoded (an SSE event, an NDJSON line, a data-stream line),
    /// whatever it contained — keep-alives like Anthropic `ping` included. `has_choices` is true for a
    /// Chat Completions message with a non-empty `choices` array (vLLM bench's first-token rule).
    Message {
        /// The message carried a non-empty `choices` array.
        has_choices: bool,
    },
    /// Text arrived.
    Delta {
        /// What kind of text.
        kind: DeltaKind,
        /// The text itself. Never leaves the page unless the user opts in; the recorder only counts it.
        text: &'a str,
        /// Tokens in this delta when the wire says so (rare); `None` otherwise.
        tokens: Option<u32>,
    },
    /// The server reported token usage (OpenAI usage chunk, Anthropic `message_delta`, Ollama final line, …).
    /// Later reports replace earlier ones field by field (Anthropic's counts are cumulative).
    Usage(Usage),
    /// Why the model stopped, as the wire says it: OpenAI Chat `finish_reason` (`stop`, `length`,
    /// `tool_calls`, `content_filter`), Responses `status` or `incomplete_details.reason`
    /// (`completed`, `max_output_tokens`), Anthropic `stop_reason` (`end_turn`, `max_tokens`),
    /// Ollama `done_reason`, AI SDK `finishReason`. Only non-empty strings; a later one replaces an
    /// earlier one.
    Finish {
        /// The wire's value (a server label, never free text from the answer).
        reason: &'a str,
    },
    /// The format's own end-of-stream marker (`[DONE]`, `message_stop`, `"done": true`, `response.completed`, …).
    End,
    /// The stream reported an error (`event: error`, an `{"error": …}` payload, `response.failed`, …).
    Error {
        /// The error class the server gave (`type`/`code`), or `"error"` when it gave none.
        class: String,
    },
    /// One message could not be parsed (malformed JSON, unknown framing). The stream goes on.
    ParseError,
    /// A line exceeded the configured cap; it was dropped and counted.
    OversizedLine,
}
