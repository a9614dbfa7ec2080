//! OpenAI Chat Completions chunks (`chat.completion.chunk`), as sent by OpenAI, vLLM, llama.cpp,
//! OpenRouter and other compatible servers.
//!
//! Per event: `Message{has_choices}`, then for each choice its reasoning (`reasoning_content`,
//! `reasoning`), content, refusal (→ `Other`) and tool-call argument deltas, then `Usage` when the
//! chunk carries a usage object, then `Error` for an `{"error": …}` payload. Empty or null text
//! emits nothing (the role chunk is a bare `Message`). `obfuscation` and other fields are skipped.

use super::json::{Count, DONE, Items, Sink, Text, emit_error, emit_finish, emit_text};
use chat_vitals::signal::{DeltaKind, Signal, Usage};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Chunk<'a> {
    #[serde(default, borrow)]
    choices: Option<Items<Choice<'a>>>,
    #[serde(default)]
    usage: Option<ChatUsage>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct Choice<'a> {
    #[serde(default, borrow)]
    delta: Option<Delta<'a>>,
    #[serde(default)]
    finish_reason: Option<Value>,
}

#[derive(Deserialize)]
struct Delta<'a> {
    #[serde(default, borrow)]
    content: Option<Text<'a>>,
    #[serde(default, borrow)]
    reasoning_content: Option<Text<'a>>,
    #[serde(default, borrow)]
    reasoning: Option<Text<'a>>,
    #[serde(default, borrow)]
    refusal: Option<Text<'a>>,
    #[serde(default, borrow)]
    tool_calls: Option<Items<ToolCall<'a>>>,
}

#[derive(Deserialize)]
struct ToolCall<'a> {
    #[serde(default, borrow)]
    function: Option<Function<'a>>,
}

#[derive(Deserialize)]
struct Function<'a> {
    #[serde(default, borrow)]
    arguments: Option<Text<'a>>,
}

#[derive(Deserialize)]
struct ChatUsage {
    #[serde(default)]
    prompt_tokens: Count,
    #[serde(default)]
    completion_tokens: Count,
    #[serde(default)]
    completion_tokens_details: Option<CompletionDetails>,
}

#[derive(Deserialize)]
struct CompletionDetails {
    #[serde(default)]
    reasoning_tokens: Count,
}

/// Decodes one SSE event of a Chat Completions stream.
pub(crate) fn decode_event(event: &str, data: &str, sink: &mut Sink<'_>) {
    if data == DONE {
        sink(Signal::Message { has_choices: false });
        sink(Signal::End);
        return;
    }
    let Ok(chunk) = serde_json::from_str::<Chunk<'_>>(data) else {
        sink(Signal::Message { has_choices: false });
        sink(Signal::ParseError);
        return;
    };
    let choices = chunk.choices.unwrap_or_default();
    sink(Signal::Message {
        has_choices: !choices.is_empty(),
    });
    for choice in choices.iter() {
        if let Some(delta) = &choice.delta {
            emit_delta(delta, sink);
        }
        emit_finish(sink, choice.finish_reason.as_ref());
    }
    if let Some(usage) = chunk.usage {
        sink(Signal::Usage(Usage {
            input_tokens: usage.prompt_tokens.get(),
            output_tokens: usage.completion_tokens.get(),
            reasoning_tokens: usage
                .completion_tokens_details
                .and_then(|d| d.reasoning_tokens.get()),
        }));
    }
    match chunk.error {
        Some(error) if !error.is_null() => emit_error(sink, Some(&error)),
        // openai-node throws on `event: error` even when the payload has no `error` key.
        _ if event == "error" => sink(Signal::Error {
            class: "error".to_owned(),
        }),
        _ => {}
    }
}

fn emit_delta(delta: &Delta<'_>, sink: &mut Sink<'_>) {
    emit_text(
        sink,
        DeltaKind::Reasoning,
        delta.reasoning_content.as_deref(),
    );
    emit_text(sink, DeltaKind::Reasoning, delta.reasoning.as_deref());
    emit_text(sink, DeltaKind::Content, delta.content.as_deref());
    emit_text(sink, DeltaKind::Other, delta.refusal.as_deref());
    for call in delta.tool_calls.iter().flat_map(Items::iter) {
        let arguments = call.function.as_ref().and_then(|f| f.arguments.as_deref());
        emit_text(sink, DeltaKind::Tool, arguments);
    }
}
