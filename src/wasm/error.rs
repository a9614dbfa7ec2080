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

/// Serializes a report-like value to a plain JS object (maps as objects, `None` as `null`).
pub fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&ser).map_err(error)
}

/// Reads options from an optional JS object (`undefined`/`null` → defaults).
pub fn from_js<T: serde::de::DeserializeOwned + Default>(value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| error(format!("invalid options: {e}")))
}
