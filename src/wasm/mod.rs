//! The one thin wasm-bindgen layer: converts JS values to core types and back, nothing else.
//! Every other module is platform-free; `scripts/check-architecture.sh` enforces that only this
//! module imports `wasm_bindgen`, `js_sys` or `web_sys`.

use wasm_bindgen::prelude::*;

/// The crate version, for reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
