//! The old serde-based helpers, kept verbatim as part of the test oracle.

use chat_vitals::signal::{DeltaKind, Signal};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;

/// Where adapters send their signals.
pub(crate) type Sink<'s> = dyn FnMut(Signal<'_>) + 's;

/// The `data` of an SSE event that ends a stream: the production constant.
pub(crate) use chat_vitals::wire::adapters::DONE;

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

/// Emits `Finish` when `reason` is a non-empty string (added with finish reasons, not part of the
/// old adapters).
pub(crate) fn emit_finish(sink: &mut Sink<'_>, reason: Option<&Value>) {
    if let Some(Value::String(reason)) = reason
        && !reason.is_empty()
    {
        sink(Signal::Finish { reason });
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

/// A JSON string, borrowed from the input unless it has escapes.
///
/// `Option<Cow<'a, str>>` with `#[serde(borrow)]` does not borrow (serde only special-cases a bare
/// `Cow`), which cost one allocation per delta; this type always borrows when it can.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Text<'a>(pub(crate) Cow<'a, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;

        impl<'de> serde::de::Visitor<'de> for TextVisitor {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(TextVisitor)
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

    /// The elements in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.first.iter().chain(self.rest.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Items<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for ItemsVisitor<T> {
            type Value = Items<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an array")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Items<T>, A::Error> {
                let first = seq.next_element()?;
                let mut rest = Vec::new();
                while let Some(item) = seq.next_element()? {
                    rest.push(item);
                }
                Ok(Items { first, rest })
            }
        }

        deserializer.deserialize_seq(ItemsVisitor(std::marker::PhantomData))
    }
}
