//! Property tests: for every format, a random valid stream decodes to the same signals however
//! it is split (including inside UTF-8 characters and between CR and LF), and the decoded text
//! equals the text that was encoded (with or without a leading BOM). A fuzz property feeds arbitrary bytes to every format and to
//! auto-detection: nothing panics, counters stay sane, and chunking still does not matter.
//!
//! The number of cases follows the standard `PROPTEST_CASES` environment variable (default 256).
// proptest is a host-only dev-dependency; wasm-pack test builds every test target for wasm32.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use chat_vitals::signal::DeltaKind;
use chat_vitals::wire::{DecoderConfig, WireFormat};
use common::*;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::json;

/// One generated delta: its kind and text.
type Piece = (DeltaKind, String);

fn text() -> impl Strategy<Value = String> {
    // ASCII, 2-, 3- and 4-byte characters, and characters JSON must escape.
    "[a-zA-Z0-9 .,é߷世界😀🌍\\n\\r\\t\"\\\\]{1,12}"
}

fn pieces(kinds: &'static [DeltaKind]) -> impl Strategy<Value = Vec<Piece>> {
    prop::collection::vec((prop::sample::select(kinds), text()), 0..10)
}

fn line_end() -> impl Strategy<Value = &'static str> {
    prop::sample::select(&["\n", "\r\n", "\r"][..])
}

const ALL_KINDS: &[DeltaKind] = &[
    DeltaKind::Content,
    DeltaKind::Reasoning,
    DeltaKind::Tool,
    DeltaKind::Other,
];
const THREE_KINDS: &[DeltaKind] = &[DeltaKind::Content, DeltaKind::Reasoning, DeltaKind::Tool];
const TWO_KINDS: &[DeltaKind] = &[DeltaKind::Content, DeltaKind::Reasoning];

/// An SSE event with the given line ending, sometimes preceded by a comment or an id.
fn sse_event(event: Option<&str>, data: &serde_json::Value, eol: &str, n: usize) -> String {
    let mut out = String::new();
    if n.is_multiple_of(3) {
        out.push_str(&format!(": keep-alive{eol}id: {n}{eol}"));
    }
    if let Some(event) = event {
        out.push_str(&format!("event: {event}{eol}"));
    }
    out.push_str(&format!("data: {data}{eol}{eol}"));
    out
}

fn chat_body(pieces: &[Piece], eol: &str, error: bool) -> String {
    let mut out = sse_event(
        None,
        &json!({"choices":[{"delta":{"role":"assistant","content":""}}]}),
        eol,
        1,
    );
    for (n, (kind, text)) in pieces.iter().enumerate() {
        let delta = match kind {
            DeltaKind::Content => json!({"content": text}),
            DeltaKind::Reasoning => json!({"reasoning_content": text}),
            DeltaKind::Tool => json!({"tool_calls":[{"index":0,"function":{"arguments": text}}]}),
            DeltaKind::Other => json!({"refusal": text}),
        };
        out.push_str(&sse_event(
            None,
            &json!({"choices":[{"index":0,"delta":delta}],"obfuscation":"x"}),
            eol,
            n,
        ));
    }
    if error {
        out.push_str(&sse_event(
            None,
            &json!({"error":{"message":"boom","type":"server_error"}}),
            eol,
            2,
        ));
    }
    out.push_str(&sse_event(
        None,
        &json!({"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":pieces.len()}}),
        eol,
        2,
    ));
    out + "data: [DONE]" + eol + eol
}

fn responses_body(pieces: &[Piece], eol: &str, error: bool) -> String {
    let mut out = String::new();
    for (n, (kind, text)) in pieces.iter().enumerate() {
        let kind = match kind {
            DeltaKind::Content => "response.output_text.delta",
            DeltaKind::Reasoning => "response.reasoning_text.delta",
            DeltaKind::Tool => "response.function_call_arguments.delta",
            DeltaKind::Other => "response.refusal.delta",
        };
        let named = (n.is_multiple_of(2)).then_some(kind);
        out.push_str(&sse_event(
            named,
            &json!({"type": kind, "sequence_number": n, "delta": text}),
            eol,
            n,
        ));
    }
    if error {
        out.push_str(&sse_event(
            Some("error"),
            &json!({"type":"error","code":"server_error","message":"boom"}),
            eol,
            1,
        ));
    }
    let usage = json!({"input_tokens": 3, "output_tokens": pieces.len()});
    out + &sse_event(
        Some("response.completed"),
        &json!({"type":"response.completed","response":{"usage":usage}}),
        eol,
        1,
    )
}

fn anthropic_body(pieces: &[Piece], eol: &str, error: bool) -> String {
    let start =
        json!({"type":"message_start","message":{"usage":{"input_tokens":3,"output_tokens":1}}});
    let mut out = sse_event(Some("message_start"), &start, eol, 1);
    for (n, (kind, text)) in pieces.iter().enumerate() {
        let delta = match kind {
            DeltaKind::Reasoning => json!({"type":"thinking_delta","thinking": text}),
            DeltaKind::Tool => json!({"type":"input_json_delta","partial_json": text}),
            _ => json!({"type":"text_delta","text": text}),
        };
        out.push_str(&sse_event(
            Some("content_block_delta"),
            &json!({"type":"content_block_delta","index":0,"delta":delta}),
            eol,
            n,
        ));
        if n % 4 == 1 {
            out.push_str(&sse_event(Some("ping"), &json!({"type":"ping"}), eol, n));
        }
    }
    if error {
        let body = json!({"type":"error","error":{"type":"overloaded_error","message":"x"}});
        out.push_str(&sse_event(Some("error"), &body, eol, 1));
    }
    out.push_str(&sse_event(
        Some("message_delta"),
        &json!({"type":"message_delta","usage":{"output_tokens":pieces.len()}}),
        eol,
        1,
    ));
    out + &sse_event(
        Some("message_stop"),
        &json!({"type":"message_stop"}),
        eol,
        1,
    )
}

fn ai_sdk_ui_body(pieces: &[Piece], eol: &str, error: bool) -> String {
    let mut out = sse_event(None, &json!({"type":"start"}), eol, 1);
    for (n, (kind, text)) in pieces.iter().enumerate() {
        let part = match kind {
            DeltaKind::Reasoning => json!({"type":"reasoning-delta","id":"r","delta": text}),
            DeltaKind::Tool => {
                json!({"type":"tool-input-delta","toolCallId":"t","inputTextDelta": text})
            }
            _ => json!({"type":"text-delta","id":"t","delta": text}),
        };
        out.push_str(&sse_event(None, &part, eol, n));
    }
    if error {
        out.push_str(&sse_event(
            None,
            &json!({"type":"error","errorText":"boom"}),
            eol,
            1,
        ));
    }
    out + &sse_event(None, &json!({"type":"finish"}), eol, 1) + "data: [DONE]" + eol + eol
}

fn ollama_body(pieces: &[Piece], crlf: bool, error: bool) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    for (n, (kind, text)) in pieces.iter().enumerate() {
        let line = match (kind, n.is_multiple_of(2)) {
            (DeltaKind::Reasoning, true) => {
                json!({"message":{"role":"assistant","content":"","thinking": text},"done":false})
            }
            (DeltaKind::Reasoning, false) => json!({"response":"","thinking": text,"done":false}),
            (_, true) => json!({"message":{"role":"assistant","content": text},"done":false}),
            (_, false) => json!({"response": text,"done":false}),
        };
        out.push_str(&format!("{line}{eol}"));
    }
    if error {
        out.push_str(&format!("{}{eol}", json!({"error":"boom"})));
    }
    out + &format!(
        "{}{eol}",
        json!({"done":true,"prompt_eval_count":3,"eval_count":pieces.len()})
    )
}

fn ai_sdk_data_body(pieces: &[Piece], crlf: bool, error: bool) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut out = format!("f:{}{eol}", json!({"messageId":"m"}));
    for (kind, text) in pieces {
        let line = match kind {
            DeltaKind::Reasoning => format!("g:{}", json!(text)),
            DeltaKind::Tool => format!("c:{}", json!({"toolCallId":"t","argsTextDelta": text})),
            _ => format!("0:{}", json!(text)),
        };
        out.push_str(&line);
        out.push_str(eol);
    }
    if error {
        out.push_str(&format!("3:{}{eol}", json!("boom")));
    }
    out + &format!(
        "d:{}{eol}",
        json!({"finishReason":"stop","usage":{"promptTokens":3,"completionTokens":pieces.len()}})
    )
}

/// The expected per-kind text of a piece list.
fn expected_text(pieces: &[Piece], kind: DeltaKind) -> String {
    pieces
        .iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, t)| t.as_str())
        .collect()
}

/// Sorted cut positions from random indices, plus (sometimes) a cut after every CR.
fn cuts_for(body: &[u8], picks: &[Index], after_cr: bool) -> Vec<usize> {
    let mut cuts: Vec<usize> = picks.iter().map(|i| i.index(body.len() + 1)).collect();
    if after_cr {
        cuts.extend(
            body.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\r')
                .map(|(i, _)| i + 1),
        );
    }
    cuts.sort_unstable();
    cuts
}

/// Decodes whole and split, with the format forced and auto-detected, and checks they agree and
/// that the text is what was encoded.
fn check_stream(
    format: WireFormat,
    body: &str,
    pieces: &[Piece],
    error: bool,
    picks: &[Index],
    after_cr: bool,
) -> Result<(), TestCaseError> {
    let body = body.as_bytes();
    let max = DecoderConfig::DEFAULT_MAX_LINE_BYTES;
    let cuts = cuts_for(body, picks, after_cr);
    let whole = decode_cuts(Some(format), max, &[], body, &[]);
    prop_assert!(
        whole.end.saw_end_marker && !whole.end.unterminated,
        "{:?}",
        whole.end
    );
    prop_assert_eq!(whole.counters.parse_errors, 0);
    let summary = summarize(&whole.signals);
    prop_assert_eq!(&summary.content, &expected_text(pieces, DeltaKind::Content));
    prop_assert_eq!(
        &summary.reasoning,
        &expected_text(pieces, DeltaKind::Reasoning)
    );
    prop_assert_eq!(&summary.tool, &expected_text(pieces, DeltaKind::Tool));
    prop_assert_eq!(&summary.other, &expected_text(pieces, DeltaKind::Other));
    let errors = summary
        .rest
        .iter()
        .filter(|s| matches!(s, Sig::Error(_)))
        .count();
    prop_assert_eq!(errors, usize::from(error));
    // The AI SDK UI protocol carries no token counts; every other generated stream reports usage.
    let usage = summary.rest.iter().any(|s| matches!(s, Sig::Usage(..)));
    prop_assert_eq!(usage, format != WireFormat::AiSdkUi);
    let split = decode_cuts(Some(format), max, &[], body, &cuts);
    prop_assert_eq!(&split, &whole);
    // A leading BOM, split anywhere, changes nothing.
    let with_bom = [&b"\xEF\xBB\xBF"[..], body].concat();
    let bom_cuts = cuts_for(&with_bom, picks, after_cr);
    let bom = decode_cuts(Some(format), max, &[], &with_bom, &bom_cuts);
    prop_assert_eq!(&bom.signals, &whole.signals);
    let detected = decode_cuts(None, max, &[], body, &cuts);
    prop_assert_eq!(detected.format.map(|f| f.0), Some(format));
    prop_assert_eq!(&detected.signals, &whole.signals);
    Ok(())
}

fn picks() -> impl Strategy<Value = Vec<Index>> {
    prop::collection::vec(any::<Index>(), 0..16)
}

proptest! {
    #[test]
    fn openai_chat_is_split_invariant(p in pieces(ALL_KINDS), eol in line_end(), cuts in picks(), cr in any::<bool>(), err in any::<bool>()) {
        check_stream(WireFormat::OpenAiChat, &chat_body(&p, eol, err), &p, err, &cuts, cr)?;
    }

    #[test]
    fn openai_responses_is_split_invariant(p in pieces(ALL_KINDS), eol in line_end(), cuts in picks(), cr in any::<bool>(), err in any::<bool>()) {
        check_stream(WireFormat::OpenAiResponses, &responses_body(&p, eol, err), &p, err, &cuts, cr)?;
    }

    #[test]
    fn anthropic_is_split_invariant(p in pieces(THREE_KINDS), eol in line_end(), cuts in picks(), cr in any::<bool>(), err in any::<bool>()) {
        check_stream(WireFormat::Anthropic, &anthropic_body(&p, eol, err), &p, err, &cuts, cr)?;
    }

    #[test]
    fn ai_sdk_ui_is_split_invariant(p in pieces(THREE_KINDS), eol in line_end(), cuts in picks(), cr in any::<bool>(), err in any::<bool>()) {
        check_stream(WireFormat::AiSdkUi, &ai_sdk_ui_body(&p, eol, err), &p, err, &cuts, cr)?;
    }

    #[test]
    fn ollama_is_split_invariant(p in pieces(TWO_KINDS), crlf in any::<bool>(), cuts in picks(), cr in any::<bool>(), err in any::<bool>()) {
        check_stream(WireFormat::Ollama, &ollama_body(&p, crlf, err), &p, err, &cuts, cr)?;
    }

    #[test]
    fn ai_sdk_data_is_split_invariant(p in pieces(THREE_KINDS), crlf in any::<bool>(), cuts in picks(), cr in any::<bool>(), err in any::<bool>()) {
        check_stream(WireFormat::AiSdkData, &ai_sdk_data_body(&p, crlf, err), &p, err, &cuts, cr)?;
    }

    #[test]
    fn text_is_split_invariant(body in "[a-zA-Z0-9 .,é߷世界😀\\n\\r]{0,64}", cuts in picks()) {
        let bytes = body.as_bytes();
        let cuts = cuts_for(bytes, &cuts, false);
        let max = DecoderConfig::DEFAULT_MAX_LINE_BYTES;
        let whole = decode_cuts(Some(WireFormat::Text), max, &[], bytes, &[]);
        let split = decode_cuts(Some(WireFormat::Text), max, &[], bytes, &cuts);
        prop_assert_eq!(&summarize(&whole.signals).content, &body);
        prop_assert_eq!(summarize(&split.signals), summarize(&whole.signals));
        prop_assert_eq!(split.end, whole.end);
        let with_bom = [&b"\xEF\xBB\xBF"[..], bytes].concat();
        let bom = decode_cuts(Some(WireFormat::Text), max, &[], &with_bom, &cuts);
        prop_assert_eq!(summarize(&bom.signals), summarize(&whole.signals));
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_stay_split_invariant(
        body in fuzz_body(),
        cuts in picks(),
        format in prop::option::of(prop::sample::select(&WireFormat::ALL[..])),
        max in prop::sample::select(&[4usize, 16, 1 << 20][..]),
        content_type in prop::sample::select(&["", "text/event-stream", "application/x-ndjson", "text/plain"][..]),
    ) {
        let cuts = cuts_for(&body, &cuts, true);
        let headers = [("content-type", content_type)];
        let whole = decode_cuts(format, max, &headers, &body, &[]);
        let split = decode_cuts(format, max, &headers, &body, &cuts);
        for decoded in [&whole, &split] {
            let c = decoded.counters;
            prop_assert_eq!(c.bytes, body.len() as u64);
            prop_assert!(c.parse_errors <= c.messages);
            prop_assert!(c.messages <= c.bytes + 1 && c.oversized_lines <= c.bytes);
            prop_assert!(decoded.format.is_some());
        }
        prop_assert_eq!(whole.format, split.format);
        prop_assert_eq!(whole.end, split.end);
        prop_assert_eq!(summarize(&whole.signals), summarize(&split.signals));
        if whole.format.map(|f| f.0) != Some(WireFormat::Text) {
            prop_assert_eq!(&whole.signals, &split.signals);
        }
    }
}

/// Arbitrary bytes, and byte soup made of wire-format tokens (more likely to reach deep paths).
fn fuzz_body() -> impl Strategy<Value = Vec<u8>> {
    const TOKENS: &[&[u8]] = &[
        b"data:",
        b"data: ",
        b"event: ",
        b"id: ",
        b"retry: 1",
        b":",
        b"\r",
        b"\n",
        b"\r\n",
        b"\xEF\xBB\xBF",
        b"[DONE]",
        b"{",
        b"}",
        b"\"",
        b"0:",
        b"g:",
        b"d:",
        b"3:",
        b"{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}",
        b"{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"y\"}}",
        b"{\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":1}}}",
        b"{\"type\":\"text-delta\",\"delta\":\"z\"}",
        b"{\"response\":\"w\",\"done\":true}",
        b"{\"error\":{\"type\":\"e\"}}",
        b"\xF0\x9F\x98",
        b"\x80",
        b"\xFF",
        "é".as_bytes(),
        b"\0",
        b"0123456789",
    ];
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        prop::collection::vec(prop::sample::select(TOKENS), 0..48).prop_map(|parts| parts.concat()),
    ]
}
