//! OpenAI Chat Completions chunks (`chat.completion.chunk`), as sent by OpenAI, vLLM, llama.cpp,
//! OpenRouter and other compatible servers.
//!
//! Per event: `Message{has_choices}`, then for each choice its reasoning (`reasoning_content`,
//! `reasoning`), content, refusal (→ `Other`) and tool-call argument deltas, then `Usage` when the
//! chunk carries a usage object, then `Error` for an `{"error": …}` payload. Empty or null text
//! emits nothing (the role chunk is a bare `Message`). `obfuscation` and other fields are skipped.

use super::fields::{Any, count, items, opt, opt_any, opt_text, parse, record};
use super::json::{Count, DONE, Items, Sink, emit_error, emit_text};
use super::scanner::{Res, Scanner};
use crate::signal::{DeltaKind, Signal, Usage};
use std::borrow::Cow;

/// What a chunk carries; `None` / empty where the member is absent or `null`.
#[derive(Default)]
struct Chunk<'a> {
    choices: Option<Items<Choice<'a>>>,
    usage: Option<ChatUsage>,
    error: Option<Any<'a>>,
}

#[derive(Default)]
struct Choice<'a> {
    delta: Option<Delta<'a>>,
}

#[derive(Default)]
struct Delta<'a> {
    content: Option<Cow<'a, str>>,
    reasoning_content: Option<Cow<'a, str>>,
    reasoning: Option<Cow<'a, str>>,
    refusal: Option<Cow<'a, str>>,
    /// Each call's `function.arguments`, in order.
    tool_calls: Option<Items<Option<Cow<'a, str>>>>,
}

#[derive(Default)]
struct ChatUsage {
    prompt_tokens: Count,
    completion_tokens: Count,
    reasoning_tokens: Option<Count>,
}

fn chunk<'a>(s: &mut Scanner<'a>) -> Res<Chunk<'a>> {
    let mut chunk = Chunk::default();
    record(s, &["choices", "usage", "error"], |s, field| {
        match field {
            0 => chunk.choices = opt(s, |s| items(s, choice))?,
            1 => chunk.usage = opt(s, usage)?,
            _ => chunk.error = opt_any(s)?,
        }
        Ok(())
    })?;
    Ok(chunk)
}

fn choice<'a>(s: &mut Scanner<'a>) -> Res<Choice<'a>> {
    let mut choice = Choice::default();
    record(s, &["delta"], |s, _| {
        choice.delta = opt(s, delta)?;
        Ok(())
    })?;
    Ok(choice)
}

fn delta<'a>(s: &mut Scanner<'a>) -> Res<Delta<'a>> {
    let names = [
        "content",
        "reasoning_content",
        "reasoning",
        "refusal",
        "tool_calls",
    ];
    let mut delta = Delta::default();
    record(s, &names, |s, field| {
        match field {
            0 => delta.content = opt_text(s)?,
            1 => delta.reasoning_content = opt_text(s)?,
            2 => delta.reasoning = opt_text(s)?,
            3 => delta.refusal = opt_text(s)?,
            _ => delta.tool_calls = opt(s, |s| items(s, tool_call))?,
        }
        Ok(())
    })?;
    Ok(delta)
}

/// A tool call's `function.arguments` (`tool_calls[].function` is optional, and so is its
/// `arguments`).
fn tool_call<'a>(s: &mut Scanner<'a>) -> Res<Option<Cow<'a, str>>> {
    let mut arguments = None;
    record(s, &["function"], |s, _| {
        let function = opt(s, |s| {
            let mut text = None;
            record(s, &["arguments"], |s, _| {
                text = opt_text(s)?;
                Ok(())
            })?;
            Ok(text)
        })?;
        arguments = function.flatten();
        Ok(())
    })?;
    Ok(arguments)
}

fn usage(s: &mut Scanner<'_>) -> Res<ChatUsage> {
    let names = [
        "prompt_tokens",
        "completion_tokens",
        "completion_tokens_details",
    ];
    let mut usage = ChatUsage::default();
    record(s, &names, |s, field| {
        match field {
            0 => usage.prompt_tokens = count(s)?,
            1 => usage.completion_tokens = count(s)?,
            _ => {
                usage.reasoning_tokens = opt(s, |s| {
                    let mut tokens = Count::default();
                    record(s, &["reasoning_tokens"], |s, _| {
                        tokens = count(s)?;
                        Ok(())
                    })?;
                    Ok(tokens)
                })?
            }
        }
        Ok(())
    })?;
    Ok(usage)
}

/// Decodes one SSE event of a Chat Completions stream.
pub(crate) fn decode_event(event: &str, data: &str, sink: &mut Sink<'_>) {
    if data == DONE {
        sink(Signal::Message { has_choices: false });
        sink(Signal::End);
        return;
    }
    let Ok(chunk) = parse(data, chunk) else {
        sink(Signal::Message { has_choices: false });
        sink(Signal::ParseError);
        return;
    };
    let choices = chunk.choices.unwrap_or_default();
    sink(Signal::Message {
        has_choices: !choices.is_empty(),
    });
    for delta in choices.iter().filter_map(|c| c.delta.as_ref()) {
        emit_delta(delta, sink);
    }
    if let Some(usage) = chunk.usage {
        sink(Signal::Usage(Usage {
            input_tokens: usage.prompt_tokens.get(),
            output_tokens: usage.completion_tokens.get(),
            reasoning_tokens: usage.reasoning_tokens.and_then(Count::get),
        }));
    }
    match chunk.error {
        Some(error) if !matches!(error, Any::Null) => emit_error(sink, Some(&error)),
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
    for arguments in delta.tool_calls.iter().flat_map(Items::iter) {
        emit_text(sink, DeltaKind::Tool, arguments.as_deref());
    }
}
