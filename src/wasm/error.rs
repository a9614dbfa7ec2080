//! Core errors → JS `Error`s. Out-of-range arguments become `RangeError`s, everything else `Error` with the
//! core's message (which says how to fix it). Never bare strings.

use wasm_bindgen::JsValue;

/// An argument outside its valid range (bad timestamp, unknown name).
pub fn range_error(e: impl std::fmt::Display) -> JsValue {
    js_sys::RangeError::new(&e.to_string()).into()
}

/// Any other failure.
pub fn error(e: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&e.to_string()).into()
}

/// Serializes a report-like value to a plain JS object (maps as objects, `None` as `null`) through one JSON string
/// and `JSON.parse`: a per-field serializer (serde-wasm-bindgen) cost ~50 KB of wasm (BENCHMARKS.md row 3), and
/// reports cross the boundary once per response.
pub fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(value).map_err(error)?;
    js_sys::JSON::parse(&json)
}

/// Reads options from an optional JS object (`undefined`/`null` → defaults) through `JSON.stringify`.
pub fn from_js<T: serde::de::DeserializeOwned + Default>(value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let json = js_sys::JSON::stringify(&value)
        .map_err(|_| error("invalid options: not JSON-serializable (a BigInt or a cycle?)"))?;
    let json: String = json.into();
    serde_json::from_str(&json).map_err(|e| error(format!("invalid options: {e}")))
}
