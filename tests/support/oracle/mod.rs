//! The serde-derive adapters chat-vitals used before the scanner, kept verbatim (test support,
//! outside the library) as the oracle of the differential tests in `tests/wire_differential.rs`:
//! for any input, the scanner-based adapters must emit exactly the signals these did. Constant
//! tables and the dialect rule are imported from the library (`chat_vitals::wire::adapters`).
//! The one addition since: finish reasons (`Signal::Finish`), read here into `Option<Value>`
//! members beside the old ones, so the differential tests check the scanner's finish fields too.

pub mod ai_sdk_data;
pub mod ai_sdk_ui;
pub mod anthropic;
pub mod detect;
pub mod json;
pub mod ollama;
pub mod openai_chat;
pub mod openai_responses;
