//! Values to JS without serde: a [`Tape`] decoded by a few lines of JS, and error messages whose numbers JS
//! formats (no float formatting in the wasm).

use wasm_bindgen::prelude::*;

use crate::tape::{Tape, ToTape};

#[wasm_bindgen(inline_js = r#"
// Ops as in src/tape.rs: 0 number, 1 null, 2 true, 3 false, 4 string, 5 object, 6 list, 7 end.
export function decodeTape(nums, text) {
  const root = {}; const stack = [root]; let p = 0;
  for (let i = 0; i < nums.length;) {
    const op = nums[i++];
    if (op === 7) { stack.pop(); continue; }
    const top = stack[stack.length - 1];
    const key = text.slice(p, p += nums[i++]);
    let v = null;
    if (op === 0) v = nums[i++];
    else if (op === 2) v = true;
    else if (op === 3) v = false;
    else if (op === 4) v = text.slice(p, p += nums[i++]);
    else if (op === 5) { v = {}; stack.push(v); } else if (op === 6) { v = []; stack.push(v); }
    if (Array.isArray(top)) top.push(v); else top[key] = v;
  }
  return root;
}
export function errorWith(range, texts, nums) {
  const parts = texts.split('\u0001');
  return new (range ? RangeError : Error)(parts.map((t, i) => (i < nums.length ? t + nums[i] : t)).join(''));
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = decodeTape)]
    fn decode_tape(nums: &[f64], text: &str) -> JsValue;
    #[wasm_bindgen(js_name = errorWith)]
    fn error_with(range: bool, texts: &str, nums: &[f64]) -> JsValue;
}

/// A value as a plain JS object (maps as objects, `None` and non-finite numbers as `null`).
pub fn to_js(value: &impl ToTape) -> JsValue {
    let Tape { nums, text } = value.to_tape();
    decode_tape(&nums, &text)
}

/// An `Error` (`RangeError` if `range`) whose message is `texts[0]`, `nums[0]` (formatted by JS), `texts[1]`, …
pub fn error_with_numbers(range: bool, texts: &[&str], nums: &[f64]) -> JsValue {
    // A loop, not `join`: `join`'s generic copy routine is ~1.5 KB of wasm (BENCHMARKS.md row 3).
    let mut joined = String::new();
    for (i, t) in texts.iter().enumerate() {
        if i > 0 {
            joined.push('\u{1}');
        }
        joined.push_str(t);
    }
    error_with(range, &joined, nums)
}
