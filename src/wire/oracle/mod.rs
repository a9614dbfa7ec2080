//! The serde-derive adapters this crate used before the scanner, kept verbatim (test builds
//! only) as the oracle of the differential tests in `differential.rs`: for any input, the
//! scanner-based adapters must emit exactly the signals these did.

mod ai_sdk_data;
mod ai_sdk_ui;
mod anthropic;
mod detect;
mod differential;
mod json;
mod ollama;
mod openai_chat;
mod openai_responses;
