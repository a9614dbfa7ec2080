//! Vercel AI SDK ≤ 4 data stream: one `TYPE:JSON` part per line.
//!
//! `0:"text"` → `Content`; `g:"text"` → `Reasoning`; `c:{argsTextDelta}` (tool-call argument
//! delta) → `Tool`; `d:{finishReason, usage:{promptTokens, completionTokens}}` → `Finish`, `Usage`,
//! then `End`;
//! `3:"message"` → `Error{class: "error"}` (free text never goes into a class). Other part types are
//! a bare `Message`. A line without a `TYPE:` prefix or with malformed JSON is a `ParseError`.
//! Blank lines are skipped without a `Message`.

use super::fields::{Any, count, opt, opt_any, opt_text, parse, record};
use super::json::{Count, Sink, emit_finish, emit_text};
use super::scan::{is_blank, split_once_ascii};
use super::scanner::{Res, Scanner};
use crate::signal::{DeltaKind, Signal, Usage};

/// A finish part's `finishReason` and `usage` (`promptTokens`, `completionTokens`).
type FinishPart<'a> = (Option<Any<'a>>, Option<(Count, Count)>);

fn finish_usage<'a>(s: &mut Scanner<'a>) -> Res<FinishPart<'a>> {
    let mut usage = None;
    let mut reason = None;
    record(s, &["usage", "finishReason"], |s, field| {
        if field == 1 {
            reason = opt_any(s)?;
            return Ok(());
        }
        usage = opt(s, |s| {
            let mut tokens = (Count::default(), Count::default());
            record(s, &["promptTokens", "completionTokens"], |s, field| {
                let n = count(s)?;
                match field {
                    0 => tokens.0 = n,
                    _ => tokens.1 = n,
                }
                Ok(())
            })?;
            Ok(tokens)
        })?;
        Ok(())
    })?;
    Ok((reason, usage))
}

/// Decodes one line of a data stream.
pub(crate) fn decode_line(line: &str, sink: &mut Sink<'_>) {
    if is_blank(line) {
        return;
    }
    sink(Signal::Message { has_choices: false });
    let Some((code, json)) = split_once_ascii(line, b':') else {
        sink(Signal::ParseError);
        return;
    };
    let ok = match code {
        "0" => text_part(json, DeltaKind::Content, sink),
        "g" => text_part(json, DeltaKind::Reasoning, sink),
        "c" => parse(json, |s| {
            let mut delta = None;
            record(s, &["argsTextDelta"], |s, _| {
                delta = opt_text(s)?;
                Ok(())
            })?;
            Ok(delta)
        })
        .map(|delta| emit_text(sink, DeltaKind::Tool, delta.as_deref()))
        .is_ok(),
        "d" => finish_part(json, sink),
        "3" => {
            let ok = parse(json, Scanner::skip).is_ok();
            sink(Signal::Error {
                class: "error".to_owned(),
            });
            ok
        }
        _ => parse(json, Scanner::skip).is_ok(),
    };
    if !ok {
        sink(Signal::ParseError);
    }
}

fn text_part(json: &str, kind: DeltaKind, sink: &mut Sink<'_>) -> bool {
    match parse(json, Scanner::string) {
        Ok(text) => {
            emit_text(sink, kind, Some(text.as_ref()));
            true
        }
        Err(_) => false,
    }
}

fn finish_part(json: &str, sink: &mut Sink<'_>) -> bool {
    let Ok((reason, usage)) = parse(json, finish_usage) else {
        return false;
    };
    emit_finish(sink, reason.as_ref());
    if let Some((prompt_tokens, completion_tokens)) = usage {
        sink(Signal::Usage(Usage {
            input_tokens: prompt_tokens.get(),
            output_tokens: completion_tokens.get(),
            reasoning_tokens: None,
        }));
    }
    sink(Signal::End);
    true
}
