//! OpenAI Chat Completions chunks (`chat.completion.chunk`), as sent by OpenAI, vLLM, llama.cpp,
//! OpenRouter and other compatible servers.
//!
//! Per event: `Message{has_choices}`, then for each choice its reasoning (`reasoning_content`,
//! `reasoning`), content, refusal (→ `Other`) and tool-call argument deltas, then `Usage` when the
//! chunk carries a usage object, then `Error` for an `{"error": …}` payload. A choice's
//! `finish_reason` (after its deltas) gives `Finish`. Empty or null text
//! emits nothing (the role chunk is a bare `Message`). `obfuscation` and other fields are skipped.

use super::fields::{
    Any, count, items_in, opt_any, opt_in, opt_text, parse, record, record_inline,
};
use super::json::{Count, DONE, Items, Sink, emit_error, emit_finish, emit_text};
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
    finish_reason: Option<Any<'a>>,
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

// The readers fill the structs in place (`opt_in`, `items_in`): returning them by value moved a
// few hundred bytes per level per event, a visible share of the decode time.

fn chunk<'a>(s: &mut Scanner<'a>, chunk: &mut Chunk<'a>) -> Res<()> {
    record_inline(s, &["choices", "usage", "error"], |s, field| match field {
        0 => opt_in(s, &mut chunk.choices, |s, choices| {
            items_in(s, choices, choice)
        }),
        1 => opt_in(s, &mut chunk.usage, usage),
        _ => opt_any(s).map(|error| chunk.error = error),
    })
}

fn choice<'a>(s: &mut Scanner<'a>, choice: &mut Choice<'a>) -> Res<()> {
    record_inline(s, &["delta", "finish_reason"], |s, field| match field {
        0 => opt_in(s, &mut choice.delta, delta),
        _ => opt_any(s).map(|reason| choice.finish_reason = reason),
    })
}

fn delta<'a>(s: &mut Scanner<'a>, delta: &mut Delta<'a>) -> Res<()> {
    let names = [
        "content",
        "reasoning_content",
        "reasoning",
        "refusal",
        "tool_calls",
    ];
    record_inline(s, &names, |s, field| {
        let slot = match field {
            0 => &mut delta.content,
            1 => &mut delta.reasoning_content,
            2 => &mut delta.reasoning,
            3 => &mut delta.refusal,
            _ => {
                return opt_in(s, &mut delta.tool_calls, |s, calls| {
                    items_in(s, calls, tool_call)
                });
            }
        };
        *slot = opt_text(s)?;
        Ok(())
    })
}

/// A tool call's `function.arguments` (`tool_calls[].function` is optional, and so is its
/// `arguments`).
fn tool_call<'a>(s: &mut Scanner<'a>, arguments: &mut Option<Cow<'a, str>>) -> Res<()> {
    record(s, &["function"], |s, _| {
        let mut function: Option<Option<Cow<'a, str>>> = None;
        opt_in(s, &mut function, |s, text| {
            record(s, &["arguments"], |s, _| {
                *text = opt_text(s)?;
                Ok(())
            })
        })?;
        *arguments = function.flatten();
        Ok(())
    })
}

fn usage(s: &mut Scanner<'_>, usage: &mut ChatUsage) -> Res<()> {
    let names = [
        "prompt_tokens",
        "completion_tokens",
        "completion_tokens_details",
    ];
    record(s, &names, |s, field| {
        match field {
            0 => usage.prompt_tokens = count(s)?,
            1 => usage.completion_tokens = count(s)?,
            _ => opt_in(s, &mut usage.reasoning_tokens, |s, tokens| {
                record(s, &["reasoning_tokens"], |s, _| {
                    *tokens = count(s)?;
                    Ok(())
                })
            })?,
        }
        Ok(())
    })
}

/// Decodes one SSE event of a Chat Completions stream.
pub(crate) fn decode_event(event: &str, data: &str, sink: &mut Sink<'_>) {
    if data == DONE {
        sink(Signal::Message { has_choices: false });
        sink(Signal::End);
        return;
    }
    let mut chunk = Chunk::default();
    if parse(data, |s| self::chunk(s, &mut chunk)).is_err() {
        sink(Signal::Message { has_choices: false });
        sink(Signal::ParseError);
        return;
    }
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
