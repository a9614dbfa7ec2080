//! Per-format fixtures (the exact examples of `wire-formats.md`) decoded through the public
//! `StreamDecoder`, asserting the exact signal sequence; plus errors, parse errors, `[DONE]`,
//! truncation, oversized lines and every detection path. Table-driven: each table row is one
//! body with everything expected of it, and one loop asserts all of it.

mod common;

use chat_vitals::wire::{DecoderConfig, DetectedBy, StreamDecoder, StreamEnd, WireFormat};
use common::*;

const CLEAN: StreamEnd = StreamEnd {
    unterminated: false,
    saw_end_marker: true,
};
/// Decoded cleanly but no end marker arrived.
const NO_MARKER: StreamEnd = StreamEnd {
    unterminated: false,
    saw_end_marker: false,
};
/// Cut inside an event or line.
const CUT: StreamEnd = StreamEnd {
    unterminated: true,
    saw_end_marker: false,
};
type Headers = &'static [(&'static str, &'static str)];
const SSE: Headers = &[("Content-Type", "text/event-stream; charset=utf-8")];
const NDJSON: &[(&str, &str)] = &[("content-type", "application/x-ndjson")];
const UI_HEADERS: &[(&str, &str)] = &[
    ("content-type", "text/event-stream"),
    ("x-vercel-ai-ui-message-stream", "v1"),
];
const DATA_HEADERS: &[(&str, &str)] = &[
    ("X-Vercel-AI-Data-Stream", "v1"),
    ("content-type", "text/plain; charset=utf-8"),
];

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

/// One body and everything expected of it.
struct Case {
    name: &'static str,
    /// Forced format (`None`: detected).
    format: Option<WireFormat>,
    headers: Headers,
    body: &'static str,
    signals: Vec<Sig>,
    end: StreamEnd,
    /// The format and what decided it, after the decode.
    detected: (WireFormat, DetectedBy),
}

/// Decodes every case whole and asserts its signals, end, format and counters (messages and
/// parse errors as many as the signals say, every byte counted).
fn check(cases: Vec<Case>) {
    for c in cases {
        let got = decode(c.format, c.headers, c.body.as_bytes());
        assert_eq!(got.signals, c.signals, "{}", c.name);
        assert_eq!(got.end, c.end, "{}", c.name);
        assert_eq!(got.format, Some(c.detected), "{}", c.name);
        let count = |f: fn(&Sig) -> bool| c.signals.iter().filter(|s| f(s)).count() as u64;
        assert_eq!(
            got.counters.messages,
            count(|s| matches!(s, Sig::Msg(_))),
            "{}",
            c.name
        );
        assert_eq!(
            got.counters.parse_errors,
            count(|s| *s == Sig::ParseError),
            "{}",
            c.name
        );
        assert_eq!(got.counters.bytes, c.body.len() as u64, "{}", c.name);
    }
}

// ---- fixtures ----

fn ollama_signals(output_tokens: u64) -> Vec<Sig> {
    vec![
        msg(),
        content("The"),
        msg(),
        Sig::Usage(Some(26), Some(output_tokens), None),
        Sig::End,
    ]
}

/// The reference examples, each with the headers its server sends.
fn fixtures() -> Vec<Case> {
    vec![
        Case {
            name: "openai-chat",
            format: None,
            headers: SSE,
            body: CHAT,
            signals: vec![
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
            ],
            end: CLEAN,
            detected: (WireFormat::OpenAiChat, DetectedBy::FirstBytes),
        },
        Case {
            name: "openai-responses",
            format: None,
            headers: SSE,
            body: RESPONSES,
            signals: vec![
                msg(),
                msg(),
                msg(),
                msg(),
                content("Hello"),
                msg(),
                msg(),
                Sig::Usage(Some(9), Some(1), None),
                Sig::End,
            ],
            end: CLEAN,
            detected: (WireFormat::OpenAiResponses, DetectedBy::FirstBytes),
        },
        Case {
            name: "anthropic",
            format: None,
            headers: SSE,
            body: ANTHROPIC,
            signals: vec![
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
            ],
            end: CLEAN,
            detected: (WireFormat::Anthropic, DetectedBy::FirstBytes),
        },
        Case {
            name: "ollama generate",
            format: None,
            headers: NDJSON,
            body: OLLAMA_GENERATE,
            signals: ollama_signals(259),
            end: CLEAN,
            detected: (WireFormat::Ollama, DetectedBy::ContentType),
        },
        Case {
            name: "ollama chat, no content type: NDJSON, Ollama only a guess",
            format: None,
            headers: &[],
            body: OLLAMA_CHAT,
            signals: ollama_signals(282),
            end: CLEAN,
            detected: (WireFormat::Ollama, DetectedBy::Fallback),
        },
        Case {
            name: "ai-sdk-ui",
            format: None,
            headers: UI_HEADERS,
            body: AI_SDK_UI,
            signals: vec![
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
            ],
            end: CLEAN,
            detected: (WireFormat::AiSdkUi, DetectedBy::Header),
        },
        Case {
            name: "ai-sdk-data",
            format: None,
            headers: DATA_HEADERS,
            body: AI_SDK_DATA,
            signals: vec![
                msg(),
                content("example"),
                msg(),
                Sig::Usage(Some(10), Some(20), None),
                Sig::End,
            ],
            end: CLEAN,
            detected: (WireFormat::AiSdkData, DetectedBy::Header),
        },
    ]
}

#[test]
fn fixtures_decode_to_their_exact_signals_however_split() {
    check(fixtures());
    for f in fixtures() {
        assert_split_invariant(f.headers, f.body);
        assert_split_invariant(&[], f.body);
    }
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

// ---- per-format details: delta kinds, errors (class, never message), parse errors, cuts ----

#[test]
fn openai_chat_details() {
    let chat = Some(WireFormat::OpenAiChat);
    let forced = (WireFormat::OpenAiChat, DetectedBy::Override);
    check(vec![
        Case {
            name: "null content role chunk: a message without delta",
            format: chat,
            headers: &[],
            body: "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n",
            signals: vec![Sig::Msg(true)],
            end: NO_MARKER,
            detected: forced,
        },
        Case {
            name: "reasoning, tool and refusal deltas; usage with reasoning tokens",
            format: chat,
            headers: &[],
            body: concat!(
                "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"think\"}}]}\n\n",
                "data: {\"choices\":[{\"delta\":{\"reasoning\":\"more\"}}]}\n\n",
                "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n",
                "data: {\"choices\":[{\"delta\":{\"refusal\":\"no\"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}},{\"index\":1,\"delta\":{\"content\":\"B\"}}]}\n\n",
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":5,\"completion_tokens_details\":{\"reasoning_tokens\":3}}}\n\n",
            ),
            signals: vec![
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
            ],
            end: NO_MARKER,
            detected: forced,
        },
        Case {
            name: "error payloads give their class, never their message",
            format: chat,
            headers: &[],
            body: concat!(
                "data: {\"error\":{\"message\":\"secret\",\"type\":\"server_error\",\"code\":null}}\n\n",
                "data: {\"error\":{\"message\":\"secret\",\"code\":\"rate_limit_exceeded\"}}\n\n",
                "event: error\ndata: {\"message\":\"secret\"}\n\n",
            ),
            signals: vec![
                msg(),
                error("server_error"),
                msg(),
                error("rate_limit_exceeded"),
                msg(),
                error("error"),
            ],
            end: NO_MARKER,
            detected: forced,
        },
        Case {
            name: "a parse error does not stop decoding",
            format: chat,
            headers: &[],
            body: "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {not json\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\ndata: [DONE]\n\n",
            signals: vec![
                Sig::Msg(true),
                content("a"),
                msg(),
                Sig::ParseError,
                Sig::Msg(true),
                content("b"),
                msg(),
                Sig::End,
            ],
            end: CLEAN,
            detected: forced,
        },
        Case {
            name: "truncated inside an event: unterminated, no end marker",
            format: chat,
            headers: &[],
            body: "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"con",
            signals: vec![Sig::Msg(true), content("a")],
            end: CUT,
            detected: forced,
        },
        Case {
            name: "no blank line after [DONE]: never dispatched",
            format: chat,
            headers: &[],
            body: "data: [DONE]\n",
            signals: vec![],
            end: CUT,
            detected: forced,
        },
    ]);
}

#[test]
fn openai_responses_details() {
    check(vec![
        Case {
            name: "delta kinds without event lines, detected from the data",
            format: None,
            headers: &[],
            body: concat!(
                "data: {\"type\":\"response.reasoning_text.delta\",\"delta\":\"r1\"}\n\n",
                "data: {\"type\":\"response.reasoning_summary_text.delta\",\"delta\":\"r2\"}\n\n",
                "data: {\"type\":\"response.function_call_arguments.delta\",\"delta\":\"{}\"}\n\n",
                "data: {\"type\":\"response.refusal.delta\",\"delta\":\"no\"}\n\n",
                "data: {\"type\":\"response.output_text.delta\",\"delta\":\"hi\",\"obfuscation\":\"xx\"}\n\n",
                "data: {\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":3,\"output_tokens\":9,\"output_tokens_details\":{\"reasoning_tokens\":4}}}}\n\n",
                "data: [DONE]\n\n",
            ),
            signals: vec![
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
            ],
            end: CLEAN,
            detected: (WireFormat::OpenAiResponses, DetectedBy::FirstBytes),
        },
        Case {
            name: "failed, incomplete and error events",
            format: Some(WireFormat::OpenAiResponses),
            headers: &[],
            body: concat!(
                "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"error\":{\"code\":\"server_error\",\"message\":\"secret\"}}}\n\n",
                "event: response.incomplete\ndata: {\"type\":\"response.incomplete\",\"response\":{\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}}\n\n",
                "event: error\ndata: {\"type\":\"error\",\"code\":\"ERR_SOMETHING\",\"message\":\"secret\",\"sequence_number\":1}\n\n",
                "event: error\ndata: {\"type\":\"error\"}\n\n",
            ),
            signals: vec![
                msg(),
                error("server_error"),
                msg(),
                Sig::Usage(Some(1), Some(2), None),
                error("max_output_tokens"),
                msg(),
                error("ERR_SOMETHING"),
                msg(),
                error("error"),
            ],
            end: NO_MARKER,
            detected: (WireFormat::OpenAiResponses, DetectedBy::Override),
        },
    ]);
}

#[test]
fn anthropic_ollama_and_ai_sdk_details() {
    check(vec![
        Case {
            name: "anthropic thinking, signature and tool deltas, error event",
            format: None,
            headers: SSE,
            body: concat!(
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":\"}}\n\n",
                "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
            ),
            signals: vec![
                msg(),
                reasoning("hmm"),
                msg(),
                msg(),
                tool("{\"q\":"),
                msg(),
                error("overloaded_error"),
            ],
            end: NO_MARKER,
            detected: (WireFormat::Anthropic, DetectedBy::FirstBytes),
        },
        Case {
            name: "ollama thinking, errors, parse errors and CRLF",
            format: Some(WireFormat::Ollama),
            headers: &[],
            body: concat!(
                "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"hm\"},\"done\":false}\r\n",
                "\r\n",
                "{\"response\":\"\",\"thinking\":\"gen\",\"done\":false}\n",
                "{not json}\n",
                "{\"error\":\"model 'x' not found\"}\n",
            ),
            signals: vec![
                msg(),
                reasoning("hm"),
                msg(),
                reasoning("gen"),
                msg(),
                Sig::ParseError,
                msg(),
                error("error"),
            ],
            end: NO_MARKER,
            detected: (WireFormat::Ollama, DetectedBy::Override),
        },
        Case {
            name: "ollama cut inside a line",
            format: Some(WireFormat::Ollama),
            headers: &[],
            body: "{\"response\":\"a\",\"done\":false}\n{\"response\":\"b\"",
            signals: vec![msg(), content("a")],
            end: CUT,
            detected: (WireFormat::Ollama, DetectedBy::Override),
        },
        Case {
            name: "ai-sdk-ui reasoning, tool, error and abort",
            format: Some(WireFormat::AiSdkUi),
            headers: &[],
            body: concat!(
                "data: {\"type\":\"reasoning-delta\",\"id\":\"r\",\"delta\":\"why\"}\n\n",
                "data: {\"type\":\"tool-input-delta\",\"toolCallId\":\"c\",\"inputTextDelta\":\"{\\\"x\\\"\"}\n\n",
                "data: {\"type\":\"error\",\"errorText\":\"secret details\"}\n\n",
                "data: {\"type\":\"abort\"}\n\n",
                "data: oops\n\n",
            ),
            signals: vec![
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
            ],
            end: NO_MARKER,
            detected: (WireFormat::AiSdkUi, DetectedBy::Override),
        },
        Case {
            name: "ai-sdk-data reasoning, tool, error and parse errors",
            format: None,
            headers: &[],
            body: concat!(
                "f:{\"messageId\":\"m\"}\n",
                "g:\"because\\n\"\n",
                "c:{\"toolCallId\":\"t\",\"argsTextDelta\":\"{}\"}\n",
                "3:\"secret failure\"\n",
                "0:not json\n",
                "no colon here\n",
                "d:{\"finishReason\":\"error\",\"usage\":{\"promptTokens\":null,\"completionTokens\":2.0}}\n",
            ),
            signals: vec![
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
            ],
            end: CLEAN,
            detected: (WireFormat::AiSdkData, DetectedBy::FirstBytes),
        },
    ]);
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

// ---- line cap ----

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
        ("X-Vercel-AI-UI-Message-Stream", " v1\t"),
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
        // HTTP optional whitespace (SP, HTAB) around the essence is not part of it.
        " \tapplication/x-ndjson \t; charset=utf-8",
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
fn detection_by_first_bytes_and_first_event() {
    let cases: [(Headers, &[u8], WireFormat); 7] = [
        (
            &[],
            b"event: message_start\ndata: {}\n\n",
            WireFormat::Anthropic,
        ),
        (
            &[],
            b"\xEF\xBB\xBF: hi\n\nid: 1\ndata: {\"choices\":[]}\n\n",
            WireFormat::OpenAiChat,
        ),
        (&[], b"0:\"x\"\n", WireFormat::AiSdkData),
        (&[], b"g:\"x\"\n", WireFormat::AiSdkData),
        (&[], AI_SDK_DATA.as_bytes(), WireFormat::AiSdkData),
        (SSE, AI_SDK_UI.as_bytes(), WireFormat::AiSdkUi),
        (&[], AI_SDK_UI.as_bytes(), WireFormat::AiSdkUi),
    ];
    for (headers, body, format) in cases {
        assert_eq!(
            decode(None, headers, body).format,
            Some((format, DetectedBy::FirstBytes)),
            "{body:?}"
        );
    }
}

#[test]
fn an_unrecognized_first_event_is_decided_again_by_the_next() {
    // Before: the first event locked the stream to Chat Completions, so this Anthropic answer gave
    // no content (and no TTFT).
    let body = concat!(
        "data: {\"hello\":1}\n\n",
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    );
    let got = decode(None, SSE, body.as_bytes());
    assert_eq!(
        got.format,
        Some((WireFormat::Anthropic, DetectedBy::FirstBytes))
    );
    assert_eq!(
        got.signals,
        vec![
            msg(),
            msg(),
            Sig::Usage(Some(3), None, None),
            msg(),
            content("Hi"),
            msg(),
            Sig::End
        ]
    );
    assert_eq!(got.end, CLEAN);
    assert_split_invariant(SSE, body);
    // While no event names a dialect, the guess is reported as one.
    let mut decoder = StreamDecoder::new(DecoderConfig::default());
    decoder.set_headers(SSE.iter().copied());
    decoder.feed(b"data: {\"hello\":1}\n\n", &mut |_| {});
    assert_eq!(
        decoder.format(),
        Some((WireFormat::OpenAiChat, DetectedBy::Fallback))
    );
    // Once decided, a later event does not change it.
    let decided = concat!(
        "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n",
        "data: {\"type\":\"message_start\"}\n\n",
    );
    assert_eq!(
        decode(None, SSE, decided.as_bytes()).format,
        Some((WireFormat::OpenAiChat, DetectedBy::FirstBytes))
    );
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
    // A JSON object first is NDJSON, but nothing says it is Ollama's: a guess, labelled so.
    assert_eq!(
        decode(None, &[], b"\n{\"response\":\"x\"}\n").format,
        Some((WireFormat::Ollama, DetectedBy::Fallback))
    );
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
