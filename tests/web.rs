//! The JS-facing contract of the bindings, in headless Chromium (`wasm-pack test --headless --chrome --test web`).
#![cfg(target_arch = "wasm32")]

use chat_vitals::wasm::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}
