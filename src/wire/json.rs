//! Helpers shared by the format adapters: emitting deltas, error classes, lenient numbers.

use super::fields::{Any, Member};
use crate::signal::{DeltaKind, Signal};
use std::borrow::Cow;

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
/// Messages are never used: the class must not carry user-visible text. Anything but an object
/// (a bare string, a number) is `"error"`.
pub(crate) fn error_class(error: &Any<'_>) -> String {
    let Any::Object(members) = error else {
        return "error".to_owned();
    };
    let field =
        |value: &Option<Member<'_>>| value.as_ref().and_then(|m| m.text().map(Cow::into_owned));
    field(&members.kind)
        .or_else(|| field(&members.code))
        .unwrap_or_else(|| "error".to_owned())
}

/// Emits `Error` for an `error` value that is present and not null.
pub(crate) fn emit_error(sink: &mut Sink<'_>, error: Option<&Any<'_>>) {
    if let Some(error) = error.filter(|e| !matches!(e, Any::Null)) {
        sink(Signal::Error {
            class: error_class(error),
        });
    }
}

/// Emits `Finish` when `reason` is a non-empty string (any other value, `null` included, says
/// nothing: servers send `"finish_reason": null` on every chunk but the last).
pub(crate) fn emit_finish(sink: &mut Sink<'_>, reason: Option<&Any<'_>>) {
    if let Some(Any::Scalar(member)) = reason
        && let Some(reason) = member.non_empty_str()
    {
        sink(Signal::Finish { reason });
    }
}

/// A token count that tolerates floats and nulls (`NaN` serializes as `null` in JS).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Count(Option<f64>);

impl Count {
    /// A count read as `value` (`None` for `null`).
    pub(crate) fn new(value: Option<f64>) -> Self {
        Count(value)
    }

    /// The count as a whole number, if it was a finite, non-negative number.
    pub(crate) fn get(self) -> Option<u64> {
        // `as` saturates; counts beyond 2^53 are not meaningful anyway.
        self.0
            .filter(|n| n.is_finite() && *n >= 0.0)
            .map(|n| n as u64)
    }
}

/// A JSON array kept without a heap allocation when it has at most one element (the usual
/// `choices` / `tool_calls` shape), which saves a malloc/free pair per chunk.
#[derive(Debug)]
pub(crate) struct Items<T> {
    first: Option<T>,
    rest: Vec<T>,
}

impl<T> Default for Items<T> {
    fn default() -> Self {
        Items {
            first: None,
            rest: Vec::new(),
        }
    }
}

impl<T> Items<T> {
    /// True for an empty array.
    pub(crate) fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    /// Appends a default element and returns it, to be filled in place.
    pub(crate) fn push_default(&mut self) -> &mut T
    where
        T: Default,
    {
        if self.first.is_none() {
            return self.first.insert(T::default());
        }
        self.rest.push(T::default());
        self.rest
            .last_mut()
            .expect("invariant: an element was just pushed")
    }

    /// The elements in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.first.iter().chain(self.rest.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::fields::{any, parse};

    fn class(json: &str) -> String {
        error_class(&parse(json, any).expect("valid JSON"))
    }

    #[test]
    fn error_class_prefers_type_then_code() {
        assert_eq!(
            class(r#"{"type": "server_error", "code": "x"}"#),
            "server_error"
        );
        assert_eq!(class(r#"{"code": 429, "message": "slow down"}"#), "429");
        assert_eq!(class(r#""something broke""#), "error");
        assert_eq!(class(r#"{"message": "secret text"}"#), "error");
        assert_eq!(class(r#"{"type": "", "code": "c"}"#), "c");
        // The last of repeated keys counts, as in serde_json::Map.
        assert_eq!(class(r#"{"type": "a", "type": "b"}"#), "b");
        assert_eq!(class(r#"{"type": "a", "type": null, "code": 7}"#), "7");
    }

    #[test]
    fn numeric_codes_are_kept_as_sent() {
        for code in [
            "429",
            "-3",
            "0",
            "-0",
            "1.5",
            "1.0",
            "1e20",
            "1E-7",
            "123456789012345678901",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "0.1",
            "2.5e-300",
            "1.7976931348623157e308",
        ] {
            assert_eq!(class(&format!(r#"{{"code":{code}}}"#)), code);
        }
        // Out of f64 range is not a valid number for serde_json either: the object is invalid JSON to it.
        assert!(parse(r#"{"code": 1e400}"#, any).is_err());
    }

    #[test]
    fn items_keep_order() {
        let mut items = Items::default();
        assert!(items.is_empty());
        for n in [1, 2, 3] {
            *items.push_default() = n;
        }
        assert_eq!(items.iter().copied().collect::<Vec<_>>(), [1, 2, 3]);
    }
}
