//! The small named enums of the metrics API: [`FirstTokenRule`] and [`Outcome`], with kebab-case
//! names in JSON, `as_str` and `FromStr`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::message::{Message, concat};

/// Which arrival ends "time to first token". Every rule is always reported in `ttftByRule`; this one
/// is the headline `ttftMs`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FirstTokenRule {
    /// The first response-body byte (k6/AIPerf `http_req_receiving` start; not a token).
    FirstByte,
    /// The first complete framed message of any kind (OTel `time_to_first_chunk`).
    FirstEvent,
    /// The first message with a non-empty `choices` array, role-only chunks included (vLLM bench).
    FirstChoices,
    /// The first non-empty content or reasoning delta (AIPerf TTFT, GuideLLM; GenAI-Perf when no reasoning).
    #[default]
    FirstContent,
    /// The first non-empty answer (`content`) delta, skipping reasoning (AIPerf TTFO).
    FirstAnswer,
    /// The first paint that made answer text visible (perceived TTFT).
    FirstPaint,
}

impl FirstTokenRule {
    /// Every rule, in pipeline order.
    pub const ALL: [FirstTokenRule; 6] = [
        FirstTokenRule::FirstByte,
        FirstTokenRule::FirstEvent,
        FirstTokenRule::FirstChoices,
        FirstTokenRule::FirstContent,
        FirstTokenRule::FirstAnswer,
        FirstTokenRule::FirstPaint,
    ];

    /// The kebab-case name (`"first-content"`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FirstTokenRule::FirstByte => "first-byte",
            FirstTokenRule::FirstEvent => "first-event",
            FirstTokenRule::FirstChoices => "first-choices",
            FirstTokenRule::FirstContent => "first-content",
            FirstTokenRule::FirstAnswer => "first-answer",
            FirstTokenRule::FirstPaint => "first-paint",
        }
    }
}

/// A name that is not one of the enum's kebab-case names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownNameError {
    /// What was being parsed (`"first-token rule"`, `"outcome"`).
    pub what: &'static str,
    /// The rejected input.
    pub input: String,
    /// The accepted names.
    pub expected: &'static str,
}

impl Message for UnknownNameError {
    fn message(&self) -> String {
        concat(&[
            "unknown ",
            self.what,
            " \"",
            &self.input,
            "\"; use one of: ",
            self.expected,
        ])
    }
}

impl fmt::Display for UnknownNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for UnknownNameError {}

/// The member of `all` whose name is `s`: what every `FromStr` of a named enum does. The names are compared in
/// one out-of-line loop instead of a comparison unrolled per member in each `from_str` (−2.3 KB raw, −603 B
/// brotli of the embedded wasm for the rule, outcome and format parsers; BENCHMARKS.md row 3).
pub(crate) fn find_name<T: Copy, const N: usize>(
    all: [T; N],
    name: fn(T) -> &'static str,
    s: &str,
) -> Option<T> {
    let names = all.map(name);
    name_position(&names, s).map(|i| all[i])
}

#[inline(never)]
fn name_position(names: &[&str], s: &str) -> Option<usize> {
    names.iter().position(|n| *n == s)
}

impl FromStr for FirstTokenRule {
    type Err = UnknownNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        find_name(FirstTokenRule::ALL, FirstTokenRule::as_str, s).ok_or_else(|| UnknownNameError {
            what: "first-token rule",
            input: s.to_owned(),
            expected: "first-byte, first-event, first-choices, first-content, first-answer, first-paint",
        })
    }
}

/// How a response ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The stream ended normally (end marker or clean close).
    Complete,
    /// The body ended cleanly but without the format's end marker, or inside an event.
    Truncated,
    /// A body read failed (connection reset, chunked body cut mid-chunk): the app's own read failed
    /// too. Never `complete`, whatever arrived before (a preempting server may send `[DONE]` first).
    Interrupted,
    /// The client aborted (user pressed Stop, navigation, timeout).
    Aborted,
    /// The stream reported an error, or the request failed before a response (class `network`).
    Error,
    /// The response had a non-2xx HTTP status; no token arrived, so TTFT is undefined.
    HttpError,
    /// The response was not a stream (e.g. an `application/json` document): passed through
    /// unread, so nothing was measured and nothing can be said about how it ended.
    NotStreamed,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 7] = [
        Outcome::Complete,
        Outcome::Truncated,
        Outcome::Interrupted,
        Outcome::Aborted,
        Outcome::Error,
        Outcome::HttpError,
        Outcome::NotStreamed,
    ];

    /// The kebab-case name (`"http-error"`), as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Complete => "complete",
            Outcome::Truncated => "truncated",
            Outcome::Interrupted => "interrupted",
            Outcome::Aborted => "aborted",
            Outcome::Error => "error",
            Outcome::HttpError => "http-error",
            Outcome::NotStreamed => "not-streamed",
        }
    }
}

impl FromStr for Outcome {
    type Err = UnknownNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        find_name(Outcome::ALL, Outcome::as_str, s).ok_or_else(|| UnknownNameError {
            what: "outcome",
            input: s.to_owned(),
            expected: "complete, truncated, interrupted, aborted, error, http-error, not-streamed",
        })
    }
}

/// The finish reasons that mean "cut by the output-token limit", per format: OpenAI Chat, Ollama
/// and the AI SDK say `length`, Anthropic `max_tokens`, the Responses API `max_output_tokens`.
pub const LENGTH_FINISH_REASONS: [&str; 3] = ["length", "max_tokens", "max_output_tokens"];

/// True when a finish reason says the answer was cut by the output-token limit.
pub fn is_length_limit(reason: &str) -> bool {
    LENGTH_FINISH_REASONS.contains(&reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in FirstTokenRule::ALL {
            assert_eq!(r.as_str().parse::<FirstTokenRule>(), Ok(r));
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.as_str())
            );
        }
        for o in Outcome::ALL {
            assert_eq!(o.as_str().parse::<Outcome>(), Ok(o));
            assert_eq!(
                serde_json::to_string(&o).unwrap(),
                format!("\"{}\"", o.as_str())
            );
        }
        assert!(
            "first-token"
                .parse::<FirstTokenRule>()
                .unwrap_err()
                .to_string()
                .contains("first-content")
        );
    }
}
