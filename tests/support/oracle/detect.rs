//! The old serde-based SSE dialect probe, kept verbatim as part of the test oracle; the dialect
//! rule and its tables are the production ones.

use super::json::Text;
use chat_vitals::wire::adapters::{DialectProbe, decide_dialect};
use chat_vitals::wire::{DetectedBy, WireFormat};
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::borrow::Cow;

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

impl Probe<'_> {
    /// The production probe with the same members, for the production rule.
    fn to_production(&self) -> DialectProbe<'_> {
        DialectProbe {
            kind: self.kind.as_ref().map(|t| Cow::Borrowed(&*t.0)),
            object: self.object.as_ref().map(|t| Cow::Borrowed(&*t.0)),
            choices: self.choices.is_some(),
            error_text: self.error_text.is_some(),
            sequence_number: self.sequence_number.is_some(),
            code: self.code.is_some(),
            error: self.error.is_some(),
        }
    }
}

/// The old serde probe of the first event, decided by the production rule (so the differential
/// test checks the scanner's probe against serde's, with one copy of the rule and its tables).
pub(crate) fn sse_dialect(event: &str, data: &str) -> (WireFormat, DetectedBy) {
    let probe = serde_json::from_str::<Probe<'_>>(data).ok();
    decide_dialect(probe.as_ref().map(Probe::to_production).as_ref(), event)
}
