//! The one thin wasm-bindgen layer: converts JS values to core types and back, nothing else.
//! Every other module is platform-free; `scripts/check-architecture.sh` enforces that only this
//! module imports `wasm_bindgen`, `js_sys` or `web_sys`.
//!
//! JS names are camelCase, times are milliseconds (like `performance.now()`), errors are real JS
//! `Error`/`RangeError` objects, and report objects have TypeScript types (`types.rs`).

mod aggregate;
mod alloc;
mod error;
#[cfg(feature = "full")]
mod full;
mod js;
mod meter;
mod options;
mod types;

pub use aggregate::JsAggregate;
#[cfg(feature = "full")]
pub use full::{metrics, thresholds};
pub use meter::JsMeter;

use wasm_bindgen::prelude::*;

use crate::rating::RatingConfig;
use error::range_error;

/// The crate version, for reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// True in the full build (Cargo feature `full`: merge, `HISTF…`/`.hlog` export and import, budgets, spectra),
/// false in the embedded default build.
#[wasm_bindgen]
pub fn full() -> bool {
    cfg!(feature = "full")
}

/// Rates `value` of `metric` with the default thresholds: `"good"`, `"needs-improvement"`, `"poor"`, or
/// `undefined` when the metric has no thresholds.
#[wasm_bindgen(unchecked_return_type = "Rating | undefined")]
pub fn rate(metric: &str, value: f64) -> Result<JsValue, JsValue> {
    Ok(match RatingConfig::default().rate(metric, value) {
        Some(r) => JsValue::from_str(crate::tape::rating_name(r)),
        None => JsValue::UNDEFINED,
    })
}

/// Validates a wire-format name (`"openai-chat"`, …); throws `RangeError` listing the valid ones.
#[wasm_bindgen(js_name = checkFormat)]
pub fn check_format(name: &str) -> Result<(), JsValue> {
    name.parse::<crate::wire::WireFormat>()
        .map(|_| ())
        .map_err(range_error)
}
