//! Format detection: from response headers, from the first bytes of the body, and (for SSE) from
//! the first event. Every rule is a function of a prefix of the stream, so the outcome does not
//! depend on how the body was split into feeds.

use super::fields::{opt_text, parse, present, record};
use super::format::{DetectedBy, WireFormat};
use super::scan::split_once_ascii;
use super::scanner::{Res, Scanner};
use std::borrow::Cow;

/// At most this many body bytes are buffered to decide the framing; then the decision is made
/// with what arrived (as at the end of the body).
pub(crate) const SNIFF_LIMIT_BYTES: usize = 512;

/// What the headers say about the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// The format is known.
    Known(WireFormat, DetectedBy),
    /// SSE (`text/event-stream`); the first event decides the dialect.
    Sse,
    /// Look at the first bytes. `text_plain`: the content type said `text/plain`, so only the AI SDK
    /// data stream (which is served as `text/plain`) can override plain text.
    Sniff {
        /// The content type was `text/plain`.
        text_plain: bool,
    },
}

/// Decides what the response headers determine. Names are case-insensitive; vendor protocol
/// headers win over the content type whatever their order.
pub(crate) fn plan_from_headers<'h>(headers: impl IntoIterator<Item = (&'h str, &'h str)>) -> Plan {
    let mut vendor = None;
    let mut content_type = None;
    for (name, value) in headers {
        // HTTP's optional whitespace is SP and HTAB (RFC 9110 5.6.3): ASCII trimming is the rule.
        let name = name.trim_ascii();
        let is_v1 = value.trim_ascii().eq_ignore_ascii_case("v1");
        if name.eq_ignore_ascii_case("x-vercel-ai-ui-message-stream") && is_v1 {
            vendor = Some(WireFormat::AiSdkUi);
        } else if name.eq_ignore_ascii_case("x-vercel-ai-data-stream") && is_v1 {
            vendor = Some(WireFormat::AiSdkData);
        } else if name.eq_ignore_ascii_case("content-type") {
            content_type = Some(value);
        }
    }
    if let Some(format) = vendor {
        return Plan::Known(format, DetectedBy::Header);
    }
    let essence = content_type
        .map(|v| split_once_ascii(v, b';').map_or(v, |(essence, _)| essence))
        .unwrap_or("")
        .trim_ascii()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/event-stream" => Plan::Sse,
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines" => Plan::Known(WireFormat::Ollama, DetectedBy::ContentType),
        "text/plain" => Plan::Sniff { text_plain: true },
        _ => Plan::Sniff { text_plain: false },
    }
}

/// What the first bytes say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// SSE framing; the first event decides the dialect.
    Sse,
    /// The format is known.
    Known(WireFormat, DetectedBy),
}

const SSE_STARTS: [&[u8]; 5] = [b"data:", b"event:", b"id:", b"retry:", b":"];
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Classifies the body from its first bytes, or returns `None` when more bytes are needed.
/// `at_eof`: no more bytes will come, decide now.
pub(crate) fn sniff_body(head: &[u8], at_eof: bool, text_plain: bool) -> Option<Sniffed> {
    let at_eof = at_eof || head.len() >= SNIFF_LIMIT_BYTES;
    let head = head.get(..SNIFF_LIMIT_BYTES).unwrap_or(head);
    let body = match head.strip_prefix(BOM) {
        Some(rest) => rest,
        None if BOM.starts_with(head) && !at_eof => return None,
        None => head,
    };
    let start = body
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    let rest = start.and_then(|i| body.get(i..)).unwrap_or_default();
    let text = if text_plain {
        DetectedBy::ContentType
    } else {
        DetectedBy::Fallback
    };
    if rest.is_empty() {
        return at_eof.then_some(Sniffed::Known(WireFormat::Text, text));
    }
    if is_data_stream_part(rest) {
        return Some(Sniffed::Known(
            WireFormat::AiSdkData,
            DetectedBy::FirstBytes,
        ));
    }
    if !text_plain {
        if SSE_STARTS.iter().any(|p| rest.starts_with(p)) {
            return Some(Sniffed::Sse);
        }
        if rest.first() == Some(&b'{') {
            // A JSON object per line is NDJSON, but nothing says whose: Ollama is a guess.
            return Some(Sniffed::Known(WireFormat::Ollama, DetectedBy::Fallback));
        }
    }
    let may_grow = could_be_data_stream_part(rest)
        || (!text_plain && SSE_STARTS.iter().any(|p| p.starts_with(rest)));
    if may_grow && !at_eof {
        return None;
    }
    Some(Sniffed::Known(WireFormat::Text, text))
}

/// `0:"…`, `g:"…`, `d:{…`: a one-character part code, a colon, the start of a JSON value.
fn is_data_stream_part(bytes: &[u8]) -> bool {
    match bytes {
        [code, b':', json, ..] => {
            is_part_code(*code)
                && matches!(
                    json,
                    b'"' | b'{' | b'[' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
                )
        }
        _ => false,
    }
}

fn could_be_data_stream_part(bytes: &[u8]) -> bool {
    match bytes {
        [code] | [code, b':'] => is_part_code(*code),
        _ => false,
    }
}

fn is_part_code(code: u8) -> bool {
    code.is_ascii_digit() || code.is_ascii_lowercase()
}

/// What the first event's JSON says about its dialect. Keys as each wire spells them: `errorText`
/// (AI SDK UI error part), `sequence_number` (OpenAI Responses events). The `bool`s say whether
/// the member is present (whatever its value).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DialectProbe<'a> {
    /// `type`, when a string.
    pub kind: Option<Cow<'a, str>>,
    /// `object`, when a string.
    pub object: Option<Cow<'a, str>>,
    /// `choices` is present.
    pub choices: bool,
    /// `errorText` is present.
    pub error_text: bool,
    /// `sequence_number` is present.
    pub sequence_number: bool,
    /// `code` is present.
    pub code: bool,
    /// `error` is present.
    pub error: bool,
}

const PROBE_FIELDS: [&str; 7] = [
    "type",
    "object",
    "choices",
    "errorText",
    "sequence_number",
    "code",
    "error",
];

fn probe<'a>(s: &mut Scanner<'a>) -> Res<DialectProbe<'a>> {
    let mut probe = DialectProbe::default();
    record(s, &PROBE_FIELDS, |s, field| {
        match field {
            0 => probe.kind = opt_text(s)?,
            1 => probe.object = opt_text(s)?,
            2 => probe.choices = present(s)?,
            3 => probe.error_text = present(s)?,
            4 => probe.sequence_number = present(s)?,
            5 => probe.code = present(s)?,
            _ => probe.error = present(s)?,
        }
        Ok(())
    })?;
    Ok(probe)
}

/// Anthropic Messages event types (the `type` member and the SSE event name).
pub const ANTHROPIC_TYPES: [&str; 7] = [
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
    "ping",
];

/// AI SDK UI message stream part types (besides `data-*`, `tool-*` and `error`).
pub const AI_SDK_UI_TYPES: [&str; 16] = [
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
    decide_dialect(parse(data, probe).ok().as_ref(), event)
}

/// The dialect rule: the first event's JSON (`None` when its data is not a JSON object), else its
/// event name, else Chat Completions by `Fallback`.
pub fn decide_dialect(probe: Option<&DialectProbe<'_>>, event: &str) -> (WireFormat, DetectedBy) {
    match probe
        .and_then(dialect_from_json)
        .or_else(|| dialect_from_event_name(event))
    {
        Some(format) => (format, DetectedBy::FirstBytes),
        None => (WireFormat::OpenAiChat, DetectedBy::Fallback),
    }
}

fn dialect_from_json(probe: &DialectProbe<'_>) -> Option<WireFormat> {
    if probe.choices || probe.object.as_deref() == Some("chat.completion.chunk") {
        return Some(WireFormat::OpenAiChat);
    }
    let Some(kind) = probe.kind.as_deref() else {
        return probe.error.then_some(WireFormat::OpenAiChat);
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
        if probe.error_text {
            Some(WireFormat::AiSdkUi)
        } else if probe.sequence_number || (probe.code && !probe.error) {
            Some(WireFormat::OpenAiResponses)
        } else {
            probe.error.then_some(WireFormat::Anthropic)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_waits_for_a_decidable_prefix() {
        assert_eq!(sniff_body(b"da", false, false), None);
        assert_eq!(sniff_body(b"d", false, false), None);
        assert_eq!(sniff_body(b"d:", false, false), None);
        assert_eq!(
            sniff_body(b"d:{", false, false),
            Some(Sniffed::Known(
                WireFormat::AiSdkData,
                DetectedBy::FirstBytes
            ))
        );
        assert_eq!(sniff_body(b"data:", false, false), Some(Sniffed::Sse));
        assert_eq!(sniff_body(b"\xEF\xBB", false, false), None);
        assert_eq!(
            sniff_body(b"\n {", false, false),
            Some(Sniffed::Known(WireFormat::Ollama, DetectedBy::Fallback))
        );
        assert_eq!(
            sniff_body(b"Hello", false, false),
            Some(Sniffed::Known(WireFormat::Text, DetectedBy::Fallback))
        );
        assert_eq!(
            sniff_body(b"da", true, false),
            Some(Sniffed::Known(WireFormat::Text, DetectedBy::Fallback))
        );
        assert_eq!(
            sniff_body(b"data: x", false, true),
            Some(Sniffed::Known(WireFormat::Text, DetectedBy::ContentType))
        );
    }

    #[test]
    fn first_event_decides_the_dialect() {
        let chat = r#"{"choices":[],"object":"chat.completion.chunk"}"#;
        assert_eq!(
            sse_dialect("message", chat),
            (WireFormat::OpenAiChat, DetectedBy::FirstBytes)
        );
        assert_eq!(
            sse_dialect("message", r#"{"type":"message_start"}"#).0,
            WireFormat::Anthropic
        );
        assert_eq!(
            sse_dialect("message", r#"{"type":"start"}"#).0,
            WireFormat::AiSdkUi
        );
        assert_eq!(
            sse_dialect("response.created", "not json").0,
            WireFormat::OpenAiResponses
        );
        // An OpenAI Responses error event with a null code is known by its sequence_number.
        let responses_error =
            r#"{"type":"error","code":null,"message":"m","param":null,"sequence_number":2}"#;
        assert_eq!(
            sse_dialect("error", responses_error),
            (WireFormat::OpenAiResponses, DetectedBy::FirstBytes)
        );
        assert_eq!(
            sse_dialect("error", r#"{"type":"error","errorText":"boom"}"#).0,
            WireFormat::AiSdkUi
        );
        assert_eq!(
            sse_dialect("message", "[DONE]"),
            (WireFormat::OpenAiChat, DetectedBy::Fallback)
        );
    }
}
