//! Core errors → JS `Error`s. Out-of-range arguments become `RangeError`s, everything else `Error` with the
//! core's message (which says how to fix it). Never bare strings. Messages with a number go through
//! [`config_error`], which lets JS format the number. Messages are [`Message`]s, so the embedded build links no
//! `core::fmt` (the full build's import and budget errors pass their `Display` text as a `String`).

use wasm_bindgen::JsValue;

use crate::message::{Message, concat};

/// An argument outside its valid range (bad timestamp, unknown name).
pub fn range_error(e: impl Message) -> JsValue {
    js_sys::RangeError::new(&e.message()).into()
}

/// Any other failure.
pub fn error(e: impl Message) -> JsValue {
    js_sys::Error::new(&e.message()).into()
}

/// [`range_error`] with an error's `Display` text: the full build's import, export and budget errors, which format
/// numbers (the full build links `core::fmt` anyway).
#[cfg(feature = "full")]
pub fn range_error_shown(e: impl std::fmt::Display) -> JsValue {
    range_error(e.to_string())
}

/// [`error`] with an error's `Display` text (see [`range_error_shown`]).
#[cfg(feature = "full")]
pub fn error_shown(e: impl std::fmt::Display) -> JsValue {
    error(e.to_string())
}

/// A configuration error naming the option (`invalid option stallThresholdMs: …`); its number is formatted by JS.
pub fn config_error(e: crate::metrics::ConfigError) -> JsValue {
    let option = e.option();
    match e.parts() {
        Some((before, value, after)) => {
            let before = concat(&["invalid option ", &option, ": ", before]);
            super::js::error_with_numbers(false, &[&before, after], &[value])
        }
        None => error(concat(&[
            "invalid option ",
            &option,
            ": ",
            &e.text().unwrap_or_default(),
        ])),
    }
}

/// A bucket-bounds error as a `RangeError` (its numbers formatted by JS, the message as the core's `Display`).
pub fn bucket_error(e: crate::aggregate::BucketError) -> JsValue {
    use crate::aggregate::BucketError::*;
    match e {
        NotFinite(b) => super::js::error_with_numbers(
            true,
            &["bucket bound ", " is not finite; pass finite numbers"],
            &[b],
        ),
        NotIncreasing(a, b) => super::js::error_with_numbers(
            true,
            &[
                "bucket bounds must strictly increase, but ",
                " is followed by ",
                "",
            ],
            &[a, b],
        ),
        UnknownSeries(s) => range_error(concat(&[
            "unknown series \"",
            &s,
            "\"; use \"gaps\" or \"renderLag\"",
        ])),
    }
}
