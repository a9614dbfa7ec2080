//! Per-format fixtures (the exact examples of `wire-formats.md`) decoded through the public
//! `StreamDecoder`, asserting the exact signal sequence; plus errors, parse errors, `[DONE]`,
//! truncation, oversized lines and every detection path.

mod common;

use chat_vitals::wire::{DecoderConfig, DetectedBy, StreamDecoder, StreamEnd, WireFormat};
use common::*;

const CLEAN: StreamEnd = StreamEnd {
    unterminated: false,
    saw_end_marker: true,
};
const SSE: &[(&str, &str)] = &[("Content-Type", "text/event-stream; charset=utf-8")];

const CHAT: &str = r#"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null,"obfuscation":"qT7x"}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null,"obfuscation":"Zr0c1"}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}],"usage":null,"obfuscation":"p9"}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null,"obfuscation":"M4kd"}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}

data: [DONE]

"#;

// The reference elides parts of `response` with `...`; those are dropped here to keep it JSON.
const RESPONSES: &str = r#"event: response.created
data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","output":[]}}

event: response.output_item.added
data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","status":"in_progress","content":[]}}

event: response.content_part.added
data: {"type":"response.content_part.added","sequence_number":2,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hello","logprobs":[]}

event: response.output_text.done
data: {"type":"response.output_text.done","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"text":"Hello","logprobs":[]}

event: response.completed
data: {"type":"response.completed","sequence_number":7,"response":{"id":"resp_1","status":"completed","usage":{"input_tokens":9,"output_tokens":1,"total_tokens":10}}}

"#;

const ANTHROPIC: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":11,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}

event: message_stop
data: {"type":"message_stop"}

"#;

const OLLAMA_GENERATE: &str = r#"{"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","response":"The","done":false}
{"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","response":"","done":true,"context":[1,2,3],"total_duration":10706818083,"load_duration":6338219291,"prompt_eval_count":26,"prompt_eval_duration":130079000,"eval_count":259,"eval_duration":4232710000}
"#;

const OLLAMA_CHAT: &str = r#"{"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"The","images":null},"done":false}
{"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","message":{"role":"assistant","content":""},"done":true,"total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}
"#;

const AI_SDK_UI: &str = r#"data: {"type":"start","messageId":"msg_1"}

data: {"type":"start-step"}

data: {"type":"text-start","id":"t1"}

data: {"type":"text-delta","id":"t1","delta":"Hello"}

data: {"type":"text-delta","id":"t1","delta":" world"}

data: {"type":"text-end","id":"t1"}

data: {"type":"finish-step"}

data: {"type":"finish"}

data: [DONE]

"#;

const AI_SDK_DATA: &str = "0:\"example\"\nd:{\"finishReason\":\"stop\",\"usage\":{\"promptTokens\":10,\"completionTokens\":20}}\n";

/// Whole, byte by byte and every 2-way split give the same result (detection included).
fn assert_split_invariant(headers: &[(&str, &str)], body: &str) {
    let body = body.as_bytes();
    let max = DecoderConfig::DEFAULT_MAX_LINE_BYTES;
    let whole = decode_cuts(None, max, headers, body, &[]);
    let bytewise = decode_cuts(
        None,
        max,
        headers,
        body,
        &(1..body.len()).collect::<Vec<_>>(),
    );
    assert_eq!(summarize(&bytewise.signals), summarize(&whole.signals));
    assert_eq!((bytewise.end, bytewise.format), (whole.end, whole.format));
    for cut in 0..=body.len() {
        let split = decode_cuts(None, max, headers, body, &[cut]);
        assert_eq!(split.signals, whole.signals, "split at {cut}");
        assert_eq!(
            (split.end, split.format, split.counters),
            (whole.end, whole.format, whole.counters)
        );
    }
}

// ---- fixtures ----

#[test]
fn openai_chat_fixture() {
    let got = decode(None, SSE, CHAT.as_bytes());
    let expected = vec![
        Sig::Msg(true),
        Sig::Msg(true),
        content("Hel"),
        Sig::Msg(true),
        content("lo"),
        Sig::Msg(true),
        msg(),
        Sig::Usage(Some(9), Some(12), None),
        msg(),
        Sig::End,
    ];
    assert_eq!(got.signals, expected);
    assert_eq!(got.end, CLEAN);
    assert_eq!(
        got.format,
        Some((WireFormat::OpenAiChat, DetectedBy::FirstBytes))
    );
    assert_eq!(got.counters.messages, 6);
    assert_eq!(got.counters.bytes, CHAT.len() as u64);
    assert_split_invariant(SSE, CHAT);
    assert_split_invariant(&[], CHAT);
}

#[test]
fn openai_responses_fixture() {
    let got = decode(None, SSE, RESPONSES.as_bytes());
    let expected = vec![
        msg(),
        msg(),
        msg(),
        msg(),
        content("Hello"),
        msg(),
        msg(),
        Sig::Usage(Some(9), Some(1), None),
        Sig::End,
    ];
    assert_eq!(got.signals, expected);
    assert_eq!(got.end, CLEAN);
    assert_eq!(
        got.format,
        Some((WireFormat::OpenAiResponses, DetectedBy::FirstBytes))
    );
    assert_split_invariant(&[], RESPONSES);
}

#[test]
fn anthropic_fixture() {
    let got = decode(None, SSE, ANTHROPIC.as_bytes());
    let expected = vec![
        msg(),
        Sig::Usage(Some(11), None, None),
        msg(),
        msg(),
        msg(),
        content("Hello"),
        msg(),
        msg(),
        Sig::Usage(None, Some(6), None),
        msg(),
        Sig::End,
    ];
    assert_eq!(got.signals, expected);
    assert_eq!(got.end, CLEAN);
    assert_eq!(
        got.format,
        Some((WireFormat::Anthropic, DetectedBy::FirstBytes))
    );
    assert_split_invariant(&[], ANTHROPIC);
}

#[test]
fn ollama_generate_and_chat_fixtures() {
    let expected = |output| {
        vec![
            msg(),
            content("The"),
            msg(),
            Sig::Usage(Some(26), Some(output), None),
            Sig::End,
        ]
    };
    let ndjson = &[("content-type", "application/x-ndjson")][..];
    let generate = decode(None, ndjson, OLLAMA_GENERATE.as_bytes());
    assert_eq!(generate.signals, expected(259));
    assert_eq!(generate.end, CLEAN);
    assert_eq!(
        generate.format,
        Some((WireFormat::Ollama, DetectedBy::ContentType))
    );
    let chat = decode(None, &[], OLLAMA_CHAT.as_bytes());
    assert_eq!(chat.signals, expected(282));
    assert_eq!(
        chat.format,
        Some((WireFormat::Ollama, DetectedBy::FirstBytes))
    );
    assert_split_invariant(&[], OLLAMA_CHAT);
}

#[test]
fn leading_bom_is_stripped_in_every_framing() {
    let ollama = [&b"\xEF\xBB\xBF"[..], OLLAMA_CHAT.as_bytes()].concat();
    assert_eq!(
        decode_cuts(None, 1 << 20, &[], &ollama, &[1, 2]).signals,
        decode(None, &[], OLLAMA_CHAT.as_bytes()).signals
    );
    let text = decode_cuts(
        Some(WireFormat::Text),
        1 << 20,
        &[],
        b"\xEF\xBB\xBFhi",
        &[2],
    );
    assert_eq!(text.signals, vec![msg(), content("hi"), Sig::End]);
}

#[test]
fn ai_sdk_ui_fixture() {
    let headers = &[
        ("content-type", "text/event-stream"),
        ("x-vercel-ai-ui-message-stream", "v1"),
    ][..];
    let got = decode(None, headers, AI_SDK_UI.as_bytes());
    let expected = vec![
        msg(),
        msg(),
        msg(),
        msg(),
        content("Hello"),
        msg(),
        content(" world"),
        msg(),
        msg(),
        msg(),
        msg(),
        Sig::End,
    ];
    assert_eq!(got.signals, expected);
    assert_eq!(got.end, CLEAN);
    assert_eq!(got.format, Some((WireFormat::AiSdkUi, DetectedBy::Header)));
    assert_eq!(
        decode(None, SSE, AI_SDK_UI.as_bytes()).format,
        Some((WireFormat::AiSdkUi, DetectedBy::FirstBytes))
    );
    assert_split_invariant(&[], AI_SDK_UI);
}

#[test]
fn ai_sdk_data_fixture() {
    let headers = &[
        ("X-Vercel-AI-Data-Stream", "v1"),
        ("content-type", "text/plain; charset=utf-8"),
    ][..];
    let got = decode(None, headers, AI_SDK_DATA.as_bytes());
    let expected = vec![
        msg(),
        content("example"),
        msg(),
        Sig::Usage(Some(10), Some(20), None),
        Sig::End,
    ];
    assert_eq!(got.signals, expected);
    assert_eq!(got.end, CLEAN);
    assert_eq!(
        got.format,
        Some((WireFormat::AiSdkData, DetectedBy::Header))
    );
    assert_eq!(
        decode(None, &[], AI_SDK_DATA.as_bytes()).format,
        Some((WireFormat::AiSdkData, DetectedBy::FirstBytes))
    );
    assert_split_invariant(&[], AI_SDK_DATA);
}

#[test]
fn plain_text_is_content_and_eof_is_the_end() {
    let mut decoder = StreamDecoder::new(DecoderConfig {
        format: Some(WireFormat::Text),
        ..DecoderConfig::default()
    });
    let mut signals = Vec::new();
    let mut sink = |s: chat_vitals::signal::Signal<'_>| signals.push(Sig::from(s));
    decoder.feed("Hé".as_bytes(), &mut sink);
    decoder.feed(b"llo \xF0\x9F", &mut sink); // first half of 😀
    decoder.feed(b"\x98\x80", &mut sink);
    decoder.feed(b"!\xE2\x82", &mut sink); // an incomplete "€" left at the end
    let end = decoder.finish(&mut sink);
    let expected = vec![
        msg(),
        content("Hé"),
        msg(),
        content("llo "),
        msg(),
        content("😀"),
        msg(),
        content("!"),
        msg(),
        content("\u{FFFD}"),
        Sig::End,
    ];
    assert_eq!(signals, expected);
    assert_eq!(end, CLEAN);
    assert_eq!(
        decoder.format(),
        Some((WireFormat::Text, DetectedBy::Override))
    );
}

// ---- OpenAI Chat Completions details ----

fn chat(body: &str) -> common::Decoded {
    decode(Some(WireFormat::OpenAiChat), &[], body.as_bytes())
}

#[test]
fn chat_null_content_role_chunk_is_a_message_without_delta() {
    let got =
        chat("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n");
    assert_eq!(got.signals, vec![Sig::Msg(true)]);
    assert_eq!(
        got.end,
        StreamEnd {
            unterminated: false,
            saw_end_marker: false
        }
    );
}

#[test]
fn chat_reasoning_tool_and_refusal_deltas() {
    let body = concat!(
        "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"think\"}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"reasoning\":\"more\"}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"refusal\":\"no\"}}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}},{\"index\":1,\"delta\":{\"content\":\"B\"}}]}\n\n",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":5,\"completion_tokens_details\":{\"reasoning_tokens\":3}}}\n\n",
    );
    let expected = vec![
        Sig::Msg(true),
        reasoning("think"),
        Sig::Msg(true),
        reasoning("more"),
        Sig::Msg(true),
        tool("{\"a\""),
        Sig::Msg(true),
        other("no"),
        Sig::Msg(true),
        content("A"),
        content("B"),
        msg(),
        Sig::Usage(Some(1), Some(5), Some(3)),
    ];
    assert_eq!(chat(body).signals, expected);
}

#[test]
fn chat_error_payloads_give_their_class_never_their_message() {
    let body = concat!(
        "data: {\"error\":{\"message\":\"secret\",\"type\":\"server_error\",\"code\":null}}\n\n",
        "data: {\"error\":{\"message\":\"secret\",\"code\":\"rate_limit_exceeded\"}}\n\n",
        "event: error\ndata: {\"message\":\"secret\"}\n\n",
    );
    let expected = vec![
        msg(),
        error("server_error"),
        msg(),
        error("rate_limit_exceeded"),
        msg(),
        error("error"),
    ];
    assert_eq!(chat(body).signals, expected);
}

#[test]
fn chat_parse_error_does_not_stop_decoding() {
    let body = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {not json\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\ndata: [DONE]\n\n";
    let got = chat(body);
    let expected = vec![
        Sig::Msg(true),
        content("a"),
        msg(),
        Sig::ParseError,
        Sig::Msg(true),
        content("b"),
        msg(),
        Sig::End,
    ];
    assert_eq!(got.signals, expected);
    assert_eq!(got.counters.parse_errors, 1);
    assert_eq!(got.end, CLEAN);
}

#[test]
fn chat_truncated_stream_reports_unterminated_and_no_end_marker() {
    let body = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"con";
    let got = chat(body);
    assert_eq!(got.signals, vec![Sig::Msg(true), content("a")]);
    assert_eq!(
        got.end,
        StreamEnd {
            unterminated: true,
            saw_end_marker: false
        }
    );
    // Missing blank line after [DONE]: the event is never dispatched.
    let got = chat("data: [DONE]\n");
    assert_eq!(
        got.end,
        StreamEnd {
            unterminated: true,
            saw_end_marker: false
        }
    );
}

#[test]
fn oversized_lines_are_dropped_counted_and_decoding_continues() {
    let big = "x".repeat(200);
    let body = format!(
        "data: {{\"choices\":[{{\"delta\":{{\"content\":\"{big}\"}}}}]}}\n\ndata: {{\"choices\":[]}}\n\n"
    );
    let got = decode_cuts(
        Some(WireFormat::OpenAiChat),
        64,
        &[],
        body.as_bytes(),
        &[10, 100],
    );
    assert_eq!(got.signals, vec![Sig::Oversized, Sig::Msg(false)]);
    assert_eq!(got.counters.oversized_lines, 1);
    let lines = format!("{{\"response\":\"{big}\"}}\n{{\"response\":\"ok\"}}\n");
    let got = decode_cuts(Some(WireFormat::Ollama), 64, &[], lines.as_bytes(), &[]);
    assert_eq!(got.signals, vec![Sig::Oversized, msg(), content("ok")]);
}

// ---- Responses API details ----

#[test]
fn responses_delta_kinds_without_event_lines() {
    let body = concat!(
        "data: {\"type\":\"response.reasoning_text.delta\",\"delta\":\"r1\"}\n\n",
        "data: {\"type\":\"response.reasoning_summary_text.delta\",\"delta\":\"r2\"}\n\n",
        "data: {\"type\":\"response.function_call_arguments.delta\",\"delta\":\"{}\"}\n\n",
        "data: {\"type\":\"response.refusal.delta\",\"delta\":\"no\"}\n\n",
        "data: {\"type\":\"response.output_text.delta\",\"delta\":\"hi\",\"obfuscation\":\"xx\"}\n\n",
        "data: {\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":3,\"output_tokens\":9,\"output_tokens_details\":{\"reasoning_tokens\":4}}}}\n\n",
        "data: [DONE]\n\n",
    );
    let got = decode(None, &[], body.as_bytes());
    let expected = vec![
        msg(),
        reasoning("r1"),
        msg(),
        reasoning("r2"),
        msg(),
        tool("{}"),
        msg(),
        other("no"),
        msg(),
        content("hi"),
        msg(),
        Sig::Usage(Some(3), Some(9), Some(4)),
        Sig::End,
        msg(),
        Sig::End,
    ];
    assert_eq!(got.signals, expected);
    assert_eq!(
        got.format,
        Some((WireFormat::OpenAiResponses, DetectedBy::FirstBytes))
    );
}

#[test]
fn responses_failed_incomplete_and_error_events() {
    let body = concat!(
        "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"error\":{\"code\":\"server_error\",\"message\":\"secret\"}}}\n\n",
        "event: response.incomplete\ndata: {\"type\":\"response.incomplete\",\"response\":{\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}}\n\n",
        "event: error\ndata: {\"type\":\"error\",\"code\":\"ERR_SOMETHING\",\"message\":\"secret\",\"sequence_number\":1}\n\n",
        "event: error\ndata: {\"type\":\"error\"}\n\n",
    );
    let got = decode(Some(WireFormat::OpenAiResponses), &[], body.as_bytes());
    let expected = vec![
        msg(),
        error("server_error"),
        msg(),
        Sig::Usage(Some(1), Some(2), None),
        error("max_output_tokens"),
        msg(),
        error("ERR_SOMETHING"),
        msg(),
        error("error"),
    ];
    assert_eq!(got.signals, expected);
    assert!(!got.end.saw_end_marker);
}

// ---- Anthropic details ----

#[test]
fn anthropic_delta_kinds_and_error() {
    let body = concat!(
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":\"}}\n\n",
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
    );
    let got = decode(None, SSE, body.as_bytes());
    let expected = vec![
        msg(),
        reasoning("hmm"),
        msg(),
        msg(),
        tool("{\"q\":"),
        msg(),
        error("overloaded_error"),
    ];
    assert_eq!(got.signals, expected);
    assert_eq!(
        got.format,
        Some((WireFormat::Anthropic, DetectedBy::FirstBytes))
    );
    assert_eq!(
        got.end,
        StreamEnd {
            unterminated: false,
            saw_end_marker: false
        }
    );
}

// ---- Ollama details ----

#[test]
fn ollama_thinking_errors_parse_errors_and_crlf() {
    let body = concat!(
        "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"hm\"},\"done\":false}\r\n",
        "\r\n",
        "{\"response\":\"\",\"thinking\":\"gen\",\"done\":false}\n",
        "{not json}\n",
        "{\"error\":\"model 'x' not found\"}\n",
    );
    let got = decode(Some(WireFormat::Ollama), &[], body.as_bytes());
    let expected = vec![
        msg(),
        reasoning("hm"),
        msg(),
        reasoning("gen"),
        msg(),
        Sig::ParseError,
        msg(),
        error("error"),
    ];
    assert_eq!(got.signals, expected);
    assert_eq!(
        got.end,
        StreamEnd {
            unterminated: false,
            saw_end_marker: false
        }
    );
    let got = decode(
        Some(WireFormat::Ollama),
        &[],
        b"{\"response\":\"a\",\"done\":false}\n{\"response\":\"b\"",
    );
    assert_eq!(got.signals, vec![msg(), content("a")]);
    assert_eq!(
        got.end,
        StreamEnd {
            unterminated: true,
            saw_end_marker: false
        }
    );
}

// ---- AI SDK details ----

#[test]
fn ai_sdk_ui_reasoning_tool_error_and_abort() {
    let body = concat!(
        "data: {\"type\":\"reasoning-delta\",\"id\":\"r\",\"delta\":\"why\"}\n\n",
        "data: {\"type\":\"tool-input-delta\",\"toolCallId\":\"c\",\"inputTextDelta\":\"{\\\"x\\\"\"}\n\n",
        "data: {\"type\":\"error\",\"errorText\":\"secret details\"}\n\n",
        "data: {\"type\":\"abort\"}\n\n",
        "data: oops\n\n",
    );
    let got = decode(Some(WireFormat::AiSdkUi), &[], body.as_bytes());
    let expected = vec![
        msg(),
        reasoning("why"),
        msg(),
        tool("{\"x\""),
        msg(),
        error("error"),
        msg(),
        error("abort"),
        msg(),
        Sig::ParseError,
    ];
    assert_eq!(got.signals, expected);
}

#[test]
fn ai_sdk_data_reasoning_tool_error_and_parse_errors() {
    let body = concat!(
        "f:{\"messageId\":\"m\"}\n",
        "g:\"because\\n\"\n",
        "c:{\"toolCallId\":\"t\",\"argsTextDelta\":\"{}\"}\n",
        "3:\"secret failure\"\n",
        "0:not json\n",
        "no colon here\n",
        "d:{\"finishReason\":\"error\",\"usage\":{\"promptTokens\":null,\"completionTokens\":2.0}}\n",
    );
    let got = decode(None, &[], body.as_bytes());
    let expected = vec![
        msg(),
        msg(),
        reasoning("because\n"),
        msg(),
        tool("{}"),
        msg(),
        error("error"),
        msg(),
        Sig::ParseError,
        msg(),
        Sig::ParseError,
        msg(),
        Sig::Usage(None, Some(2), None),
        Sig::End,
    ];
    assert_eq!(got.signals, expected);
    assert_eq!(
        got.format,
        Some((WireFormat::AiSdkData, DetectedBy::FirstBytes))
    );
    assert_eq!(got.counters.parse_errors, 2);
}

// ---- detection ----

#[test]
fn detection_override_wins_over_headers_and_bytes() {
    let mut decoder = StreamDecoder::new(DecoderConfig {
        format: Some(WireFormat::Anthropic),
        ..DecoderConfig::default()
    });
    decoder.set_headers([
        ("x-vercel-ai-ui-message-stream", "v1"),
        ("content-type", "application/x-ndjson"),
    ]);
    assert_eq!(
        decoder.format(),
        Some((WireFormat::Anthropic, DetectedBy::Override))
    );
    let got = decode(Some(WireFormat::Anthropic), SSE, CHAT.as_bytes());
    assert_eq!(
        got.format,
        Some((WireFormat::Anthropic, DetectedBy::Override))
    );
}

#[test]
fn detection_by_header_is_case_insensitive_and_beats_content_type() {
    let mut decoder = StreamDecoder::new(DecoderConfig::default());
    decoder.set_headers([
        ("Content-Type", "application/x-ndjson"),
        ("X-Vercel-AI-UI-Message-Stream", "v1"),
    ]);
    assert_eq!(
        decoder.format(),
        Some((WireFormat::AiSdkUi, DetectedBy::Header))
    );
}

#[test]
fn detection_by_content_type() {
    for ct in [
        "application/x-ndjson",
        "application/jsonl; charset=utf-8",
        "Application/X-NDJSON",
    ] {
        assert_eq!(
            decode(None, &[("content-type", ct)], b"").format,
            Some((WireFormat::Ollama, DetectedBy::ContentType))
        );
    }
    let text = decode(
        None,
        &[("content-type", "text/plain; charset=utf-8")],
        b"data: not sse\n\n",
    );
    assert_eq!(
        text.format,
        Some((WireFormat::Text, DetectedBy::ContentType))
    );
    assert_eq!(summarize(&text.signals).content, "data: not sse\n\n");
    // text/event-stream narrows to SSE; the first event picks the dialect and is recorded honestly.
    let mut decoder = StreamDecoder::new(DecoderConfig::default());
    decoder.set_headers([("content-type", "text/event-stream")]);
    decoder.feed(b": keep-alive\n\n", &mut |_| {});
    assert_eq!(decoder.format(), None);
    decoder.feed(b"data: {\"type\":\"message_start\"}\n\n", &mut |_| {});
    assert_eq!(
        decoder.format(),
        Some((WireFormat::Anthropic, DetectedBy::FirstBytes))
    );
}

#[test]
fn detection_by_first_bytes() {
    let cases: [(&[u8], WireFormat); 5] = [
        (b"event: message_start\ndata: {}\n\n", WireFormat::Anthropic),
        (
            b"\xEF\xBB\xBF: hi\n\nid: 1\ndata: {\"choices\":[]}\n\n",
            WireFormat::OpenAiChat,
        ),
        (b"\n{\"response\":\"x\"}\n", WireFormat::Ollama),
        (b"0:\"x\"\n", WireFormat::AiSdkData),
        (b"g:\"x\"\n", WireFormat::AiSdkData),
    ];
    for (body, format) in cases {
        assert_eq!(
            decode(None, &[], body).format,
            Some((format, DetectedBy::FirstBytes)),
            "{body:?}"
        );
    }
}

#[test]
fn detection_fallbacks() {
    let text = decode(None, &[], b"Hello, world");
    assert_eq!(text.format, Some((WireFormat::Text, DetectedBy::Fallback)));
    assert_eq!(text.signals, vec![msg(), content("Hello, world"), Sig::End]);
    // Too short to decide before the end: decided at finish with what arrived.
    let short = decode(None, &[], b"da");
    assert_eq!(short.format, Some((WireFormat::Text, DetectedBy::Fallback)));
    assert_eq!(summarize(&short.signals).content, "da");
    assert_eq!(
        decode(None, &[], b"").format,
        Some((WireFormat::Text, DetectedBy::Fallback))
    );
    // An SSE stream whose first event names no dialect is decoded as Chat Completions.
    let done = decode(None, SSE, b"data: [DONE]\n\n");
    assert_eq!(
        done.format,
        Some((WireFormat::OpenAiChat, DetectedBy::Fallback))
    );
    assert_eq!(done.signals, vec![msg(), Sig::End]);
}

#[test]
fn finish_is_idempotent_and_later_feeds_are_ignored() {
    let mut decoder = StreamDecoder::new(DecoderConfig::default());
    let mut count = 0;
    decoder.feed(AI_SDK_DATA.as_bytes(), &mut |_| count += 1);
    let first = decoder.finish(&mut |_| count += 1);
    decoder.feed(b"0:\"more\"\n", &mut |_| count += 1);
    assert_eq!(decoder.finish(&mut |_| count += 1), first);
    assert_eq!(count, 6, "msg, delta, msg, finish, usage, end");
}
