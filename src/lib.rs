//! # chat-vitals
//!
//! Measures how streamed LLM chat responses feel where the user is: in the browser. The core (every
//! module except `wasm`) is platform-free Rust: it never reads a clock — timestamps are passed in as
//! [`time::Micros`] — and never imports `wasm_bindgen`, `js_sys` or `web_sys`. The `wasm` module is the one
//! thin binding layer that the ES module in `www/` talks to.
//!
//! Pipeline: bytes + arrival timestamps → [`wire`] (SSE / NDJSON / text decoders and per-format adapters)
//! → [`signal::Signal`]s → [`metrics`] (per-response recorder and report) → [`aggregate`] (HdrHistograms,
//! percentiles, exports) → [`rating`] and [`budget`].
//!
//! ## Panics and error handling
//! No input can make the core panic: malformed streams become counted parse errors and typed outcomes,
//! bad arguments become error enums (which the bindings turn into JS `Error`s). A panic would trap the
//! whole wasm module, so it is treated as a bug.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod aggregate;
#[cfg(feature = "full")]
pub mod budget;
pub mod map;
pub mod message;
pub mod meter;
pub mod metrics;
pub mod rating;
pub mod signal;
pub mod tape;
pub mod time;
pub mod wasm;
pub mod wire;
