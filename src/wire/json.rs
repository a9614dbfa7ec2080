//! Helpers shared by the format adapters: emitting deltas, error classes, lenient numbers.

use crate::signal::{DeltaKind, Signal};
use serde::Deserialize;
use serde_json::Value;

/// Where adapters send their signals.
pub(crate) type Sink<'s> = dyn FnMut(Signal<'_>) + 's;

/// The `data` of an SSE event that ends a stream (Chat Completions, AI SDK UI; tolerated elsewhere).
pub(crate) const DONE: &str = "[DONE]";

/// Emits a delta unless the text is absent or empty (an empty delta is not a token).
pub(crate) fn emit_text(sink: &mut Sink<'_>, kind: DeltaKind, text: Option<&str>) {
    if let Some(text) = text.filter(|t| !t.is_empty()) {
        sink(Signal::Delta {
            kind,
            text,
            tokens: None,
        });
    }
}

/// The class of an error object: its `type`, else its `code` (string or number), else `"error"`.
/// Messages are never used: the class must not carry user-visible text.
pub(crate) fn error_class(error: &Value) -> String {
    let field = |name: &str| match error.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    field("type")
        .or_else(|| field("code"))
        .unwrap_or_else(|| "error".to_owned())
}

/// Emits `Error` for an `error` value that is present and not null.
pub(crate) fn emit_error(sink: &mut Sink<'_>, error: Option<&Value>) {
    if let Some(error) = error.filter(|e| !e.is_null()) {
        sink(Signal::Error {
            class: error_class(error),
        });
    }
}

/// A token count that tolerates floats and nulls (`NaN` serializes as `null` in JS).
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(transparent)]
pub(crate) struct Count(Option<f64>);

impl Count {
    /// The count as a whole number, if it was a finite, non-negative number.
    pub(crate) fn get(self) -> Option<u64> {
        // `as` saturates; counts beyond 2^53 are not meaningful anyway.
        self.0
            .filter(|n| n.is_finite() && *n >= 0.0)
            .map(|n| n as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_class_prefers_type_then_code() {
        assert_eq!(
            error_class(&json!({"type": "server_error", "code": "x"})),
            "server_error"
        );
        assert_eq!(
            error_class(&json!({"code": 429, "message": "slow down"})),
            "429"
        );
        assert_eq!(error_class(&json!("something broke")), "error");
        assert_eq!(error_class(&json!({"message": "secret text"})), "error");
    }
}
