//! Differential tests: the scanner-based adapters against the old serde-derive ones, on
//! generated events of every format (random member subsets and order, extra and duplicate keys,
//! escaped keys, escapes and unicode in strings, tricky numbers, wrong types, structs given as
//! arrays, deep nesting) and on random mutations of them (truncation, inserted or deleted
//! characters). Every input goes through every decoder, so each decoder also sees the other
//! formats' events.
//!
//! The generator is a seeded splitmix64 (one proptest `u64` per case) so a failure prints the
//! input; `PROPTEST_CASES` scales the proptests and `DIFF_SEEDS` the fixed sweep (30,000 seeds).

#![cfg(not(target_arch = "wasm32"))]

#[path = "support/oracle/mod.rs"]
mod oracle;

use chat_vitals::signal::Signal;
use chat_vitals::wire::adapters;
use proptest::prelude::*;
use std::sync::LazyLock;

/// The signals of one decode, as their `Debug` text.
fn collect(decode: impl FnOnce(&mut dyn FnMut(Signal<'_>))) -> Vec<String> {
    let mut out = Vec::new();
    decode(&mut |signal| out.push(format!("{signal:?}")));
    out
}

/// The decoders keep a numeric error code as the JSON text the server sent (`1E-7`); the oracle, built on
/// `serde_json::Value`, can only print the number it parsed (`1e-7`). Both sides' classes go through
/// serde_json's print, which keeps every other difference visible; `src/wire/json.rs` tests the exact text.
fn as_oracle_prints(signal: Signal<'_>) -> Signal<'_> {
    match signal {
        Signal::Error { class } => match class.parse::<serde_json::Number>() {
            Ok(number) => Signal::Error {
                class: number.to_string(),
            },
            Err(_) => Signal::Error { class },
        },
        other => other,
    }
}

const EVENTS: [&str; 12] = [
    "message",
    "error",
    "response.completed",
    "response.failed",
    "response.incomplete",
    "response.output_text.delta",
    "content_block_delta",
    "message_start",
    "message_delta",
    "message_stop",
    "ping",
    "text-delta",
];

const DATA_CODES: [&str; 8] = ["0", "g", "c", "d", "3", "2", "x", ""];

/// Asserts that every decoder agrees with its oracle on `data`; `pick` varies the event name
/// and data-stream code.
fn check(data: &str, pick: u64) {
    let event = EVENTS[(pick % EVENTS.len() as u64) as usize];
    macro_rules! same {
        ($new:path, $old:path, $($arg:expr),*) => {
            let new = collect(|sink| $new($($arg,)* &mut |signal| sink(as_oracle_prints(signal))));
            let old = collect(|sink| $old($($arg,)* &mut |signal| sink(as_oracle_prints(signal))));
            assert_eq!(new, old, "{} on event {event:?} data {data:?}", stringify!($new));
        };
    }
    for event in [event, "message"] {
        same!(
            adapters::openai_chat,
            oracle::openai_chat::decode_event,
            event,
            data
        );
        same!(
            adapters::openai_responses,
            oracle::openai_responses::decode_event,
            event,
            data
        );
        same!(
            adapters::anthropic,
            oracle::anthropic::decode_event,
            event,
            data
        );
        same!(
            adapters::ai_sdk_ui,
            oracle::ai_sdk_ui::decode_event,
            event,
            data
        );
        assert_eq!(
            adapters::sse_dialect(event, data),
            oracle::detect::sse_dialect(event, data),
            "sse_dialect on event {event:?} data {data:?}"
        );
    }
    same!(adapters::ollama, oracle::ollama::decode_line, data);
    same!(
        adapters::ai_sdk_data,
        oracle::ai_sdk_data::decode_line,
        data
    );
    let code = DATA_CODES[(pick / 16 % DATA_CODES.len() as u64) as usize];
    let line = format!("{code}:{data}");
    let data = line.as_str();
    same!(
        adapters::ai_sdk_data,
        oracle::ai_sdk_data::decode_line,
        data
    );
}

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability 1/n.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }
}

/// The shape of an event, to generate plausible ones.
enum S {
    Obj(&'static [(&'static str, S)]),
    Arr(&'static S),
    Text,
    Num,
    Bool,
    Lit(&'static [&'static str]),
    Any,
}

const ERROR: S = S::Obj(&[
    (
        "type",
        S::Lit(&["server_error", "overloaded_error", "error", ""]),
    ),
    ("code", S::Lit(&["rate_limit", "", "429"])),
    ("code", S::Num),
    ("message", S::Text),
    ("reason", S::Text),
]);

const COUNTS: S = S::Obj(&[
    ("prompt_tokens", S::Num),
    ("completion_tokens", S::Num),
    (
        "completion_tokens_details",
        S::Obj(&[("reasoning_tokens", S::Num)]),
    ),
    ("input_tokens", S::Num),
    ("output_tokens", S::Num),
    (
        "output_tokens_details",
        S::Obj(&[("reasoning_tokens", S::Num)]),
    ),
]);

const CHAT: S = S::Obj(&[
    (
        "choices",
        S::Arr(&S::Obj(&[
            (
                "delta",
                S::Obj(&[
                    ("content", S::Text),
                    ("reasoning_content", S::Text),
                    ("reasoning", S::Text),
                    ("refusal", S::Text),
                    (
                        "tool_calls",
                        S::Arr(&S::Obj(&[
                            (
                                "function",
                                S::Obj(&[("arguments", S::Text), ("name", S::Text)]),
                            ),
                            ("index", S::Num),
                        ])),
                    ),
                    ("role", S::Lit(&["assistant"])),
                ]),
            ),
            ("index", S::Num),
            ("finish_reason", S::Lit(&["stop", "length"])),
            ("logprobs", S::Any),
        ])),
    ),
    ("usage", COUNTS),
    ("error", ERROR),
    ("object", S::Lit(&["chat.completion.chunk"])),
    ("obfuscation", S::Text),
]);

const RESPONSES: S = S::Obj(&[
    (
        "type",
        S::Lit(&[
            "response.output_text.delta",
            "response.reasoning_text.delta",
            "response.reasoning_summary_text.delta",
            "response.function_call_arguments.delta",
            "response.refusal.delta",
            "response.completed",
            "response.failed",
            "response.incomplete",
            "error",
            "response.created",
        ]),
    ),
    ("delta", S::Text),
    (
        "response",
        S::Obj(&[
            ("usage", COUNTS),
            ("error", ERROR),
            (
                "incomplete_details",
                S::Obj(&[("reason", S::Lit(&["max_output_tokens", ""]))]),
            ),
            ("id", S::Text),
        ]),
    ),
    ("code", S::Lit(&["server_error", ""])),
    ("error", ERROR),
    ("sequence_number", S::Num),
    ("sequenceNumber", S::Num),
    ("message", S::Text),
]);

const ANTHROPIC: S = S::Obj(&[
    (
        "type",
        S::Lit(&[
            "content_block_delta",
            "message_start",
            "message_delta",
            "message_stop",
            "error",
            "ping",
        ]),
    ),
    (
        "delta",
        S::Obj(&[
            (
                "type",
                S::Lit(&[
                    "text_delta",
                    "thinking_delta",
                    "input_json_delta",
                    "signature_delta",
                    "citations_delta",
                ]),
            ),
            ("text", S::Text),
            ("thinking", S::Text),
            ("partial_json", S::Text),
            ("signature", S::Text),
        ]),
    ),
    ("message", S::Obj(&[("usage", COUNTS), ("id", S::Text)])),
    ("usage", COUNTS),
    ("error", ERROR),
    ("index", S::Num),
]);

const OLLAMA: S = S::Obj(&[
    (
        "message",
        S::Obj(&[
            ("content", S::Text),
            ("thinking", S::Text),
            ("role", S::Text),
        ]),
    ),
    ("response", S::Text),
    ("thinking", S::Text),
    ("done", S::Bool),
    ("prompt_eval_count", S::Num),
    ("eval_count", S::Num),
    ("error", S::Text),
    ("model", S::Text),
]);

const UI: S = S::Obj(&[
    (
        "type",
        S::Lit(&[
            "text-delta",
            "reasoning-delta",
            "tool-input-delta",
            "error",
            "abort",
            "start",
            "finish",
            "data-x",
        ]),
    ),
    ("delta", S::Text),
    ("inputTextDelta", S::Text),
    ("errorText", S::Text),
    ("id", S::Text),
]);

const DATA: S = S::Obj(&[
    ("argsTextDelta", S::Text),
    ("finishReason", S::Lit(&["stop"])),
    (
        "usage",
        S::Obj(&[("promptTokens", S::Num), ("completionTokens", S::Num)]),
    ),
]);

const SCHEMAS: [&S; 7] = [&CHAT, &RESPONSES, &ANTHROPIC, &OLLAMA, &UI, &DATA, &S::Text];

const KEYS: [&str; 14] = [
    "content",
    "type",
    "delta",
    "choices",
    "error",
    "code",
    "usage",
    "x",
    "",
    "text",
    "object",
    "errorText",
    "done",
    "reason",
];

/// String pieces: plain, multi-byte, every escape, surrogate pairs, lone surrogates and invalid
/// escapes or raw control characters (which must fail).
const PIECES: [&str; 26] = [
    "a",
    "Hi ",
    "é",
    "世界",
    "😀",
    "\\n",
    "\\t",
    "\\\"",
    "\\\\",
    "\\/",
    "\\b\\f\\r",
    "\\u00e9",
    "\\u0041",
    "\\uD83D\\uDE00",
    "\\ud83c\\udf0d",
    "\\ud800",
    "\\udc00",
    "\\ud800\\u0041",
    "\\ud800\\n",
    "\\uDBFF\\uDFFF",
    "\\x",
    "\\u12G4",
    "\u{1}",
    "\t",
    "\u{7f}",
    "'",
];

/// Numbers: the number parser's own cases (counts, negative, zero forms, floats, exponents, out of range,
/// u64/i64 limits: tests/fixtures/json-numbers.txt, which `src/wire/number.rs` checks against serde_json) and
/// malformed ones.
static NUMBERS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let valid = include_str!("fixtures/json-numbers.txt").lines();
    valid.chain(MALFORMED_NUMBERS).collect()
});

const MALFORMED_NUMBERS: [&str; 10] = [
    "01", "1.", ".5", "-", "+1", "1e", "1e+", "--1", "0x10", "NaN",
];

const WS: [&str; 6] = ["", "", "", " ", "\n", "\r\n\t"];

struct Gen {
    rng: Rng,
    out: String,
}

impl Gen {
    fn ws(&mut self) {
        let ws = *self.rng.pick(&WS);
        self.out.push_str(ws);
    }

    fn string(&mut self) {
        self.out.push('"');
        for _ in 0..self.rng.below(5) {
            let piece = if self.rng.one_in(20) {
                *self.rng.pick(&PIECES)
            } else {
                *self.rng.pick(&PIECES[..15])
            };
            self.out.push_str(piece);
        }
        self.out.push('"');
    }

    /// A key, sometimes with an escape (`"con\u0074ent"` is `content` after unescaping).
    fn key(&mut self, key: &str) {
        if !key.is_empty() && self.rng.one_in(15) {
            let at = self.rng.below(key.len());
            let (head, tail) = key.split_at(at);
            let mut chars = tail.chars();
            let c = chars.next().unwrap_or('a');
            self.out
                .push_str(&format!("\"{head}\\u{:04x}{}\"", c as u32, chars.as_str()));
        } else {
            self.out.push_str(&format!("\"{key}\""));
        }
        self.ws();
        self.out.push(':');
        self.ws();
    }

    fn number(&mut self) {
        if self.rng.one_in(2) {
            let n = self.rng.below(100_000);
            self.out.push_str(&n.to_string());
        } else {
            let n = *self.rng.pick(&NUMBERS[..]);
            self.out.push_str(n);
        }
    }

    /// A random value of any kind, nested at most `depth` deep.
    fn any(&mut self, depth: usize) {
        match self.rng.below(if depth == 0 { 6 } else { 8 }) {
            0 => self.out.push_str(
                self.rng
                    .pick::<&str>(&["null", "true", "false", "nul", "tru"]),
            ),
            1 | 2 => self.string(),
            3 | 4 => self.number(),
            5 => self
                .out
                .push_str(self.rng.pick::<&str>(&["[]", "{}", "[ ]", "{ }"])),
            6 => {
                self.out.push('[');
                for i in 0..self.rng.below(4) {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.ws();
                    self.any(depth - 1);
                }
                self.out.push(']');
            }
            _ => {
                self.out.push('{');
                for i in 0..self.rng.below(4) {
                    if i > 0 {
                        self.out.push(',');
                    }
                    let key = *self.rng.pick(&KEYS);
                    self.key(key);
                    self.any(depth - 1);
                }
                self.out.push('}');
            }
        }
    }

    fn value(&mut self, schema: &S, depth: usize) {
        if self.rng.one_in(40) {
            return self.any(2);
        }
        if self.rng.one_in(20) {
            return self.out.push_str("null");
        }
        match schema {
            S::Obj(members) => self.object(members, depth),
            S::Arr(item) => {
                self.out.push('[');
                let n = if self.rng.one_in(3) {
                    self.rng.below(4)
                } else {
                    1
                };
                for i in 0..n {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.ws();
                    self.value(item, depth + 1);
                }
                self.out.push(']');
            }
            S::Text => self.string(),
            S::Num => self.number(),
            S::Bool => self.out.push_str(self.rng.pick::<&str>(&["true", "false"])),
            S::Lit(values) => {
                let value = *self.rng.pick(values);
                self.out.push_str(&format!("\"{value}\""));
            }
            S::Any => self.any(2),
        }
    }

    fn object(&mut self, members: &[(&str, S)], depth: usize) {
        if self.rng.one_in(25) {
            // A struct given as an array of its fields in order (serde accepts it).
            self.out.push('[');
            for i in 0..self.rng.below(members.len() + 2) {
                if i > 0 {
                    self.out.push(',');
                }
                match members.get(i) {
                    Some((_, schema)) => self.value(schema, depth + 1),
                    None => self.any(1),
                }
            }
            self.out.push(']');
            return;
        }
        let mut chosen: Vec<usize> = (0..members.len()).filter(|_| !self.rng.one_in(4)).collect();
        if self.rng.one_in(12) && !chosen.is_empty() {
            let again = chosen[self.rng.below(chosen.len())];
            chosen.push(again);
        }
        for i in (1..chosen.len()).rev() {
            if self.rng.one_in(3) {
                let j = self.rng.below(i + 1);
                chosen.swap(i, j);
            }
        }
        let extras = if self.rng.one_in(4) {
            self.rng.below(3)
        } else {
            0
        };
        self.out.push('{');
        self.ws();
        let mut first = true;
        for slot in 0..chosen.len() + extras {
            if !first {
                self.out.push(',');
                self.ws();
            }
            first = false;
            match chosen.get(slot).and_then(|&m| members.get(m)) {
                Some((key, schema)) => {
                    self.key(key);
                    self.value(schema, depth + 1);
                }
                None => {
                    let key = *self.rng.pick(&KEYS);
                    self.key(key);
                    self.any(3);
                }
            }
            self.ws();
        }
        self.out.push('}');
    }

    /// Random edits: truncation, inserted JSON-significant text, deleted or duplicated text.
    fn mutate(&mut self) {
        const INSERTS: [&str; 16] = [
            "\"", "\\", ",", "}", "]", "{", "[", ":", " ", "\u{1}", "null", "1", "e", "-", "\\u",
            "\\ud800",
        ];
        for _ in 0..1 + self.rng.below(3) {
            let len = self.out.len();
            let mut at = self.rng.below(len + 1);
            while !self.out.is_char_boundary(at) {
                at -= 1;
            }
            match self.rng.below(4) {
                0 => self.out.truncate(at),
                1 => {
                    let insert = *self.rng.pick(&INSERTS);
                    self.out.insert_str(at, insert);
                }
                2 => {
                    if let Some(c) = self.out[at..].chars().next() {
                        self.out.replace_range(at..at + c.len_utf8(), "");
                    }
                }
                _ => {
                    let mut end = (at + self.rng.below(8)).min(len);
                    while !self.out.is_char_boundary(end) {
                        end -= 1;
                    }
                    let copy = self.out[at..end].to_owned();
                    self.out.insert_str(end, &copy);
                }
            }
        }
    }
}

/// One generated input for `seed`.
fn generate(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng(seed),
        out: String::new(),
    };
    if g.rng.one_in(10) {
        g.ws();
    }
    match g.rng.below(12) {
        0 => g.any(4),
        _ => {
            let schema = *g.rng.pick(&SCHEMAS);
            g.value(schema, 0);
        }
    }
    if g.rng.one_in(10) {
        g.ws();
    }
    if g.rng.one_in(4) {
        g.mutate();
    }
    g.out
}

#[test]
fn sweep_of_generated_events_matches_the_oracle() {
    let (mut deltas, mut usages, mut errors, mut parse_errors) = (0, 0, 0, 0);
    let mut valid = 0;
    // `DIFF_SEEDS=1000000 cargo test --test wire_differential sweep` for a longer run.
    let seeds: usize = std::env::var("DIFF_SEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(30_000);
    for seed in 0..seeds as u64 {
        let data = generate(seed);
        check(&data, seed);
        // The generator must reach the interesting outcomes, not only parse errors.
        let signals = [
            collect(|sink| adapters::openai_chat("message", &data, sink)),
            collect(|sink| adapters::openai_responses("message", &data, sink)),
            collect(|sink| adapters::anthropic("message", &data, sink)),
            collect(|sink| adapters::ollama(&data, sink)),
        ]
        .concat();
        valid += usize::from(serde_json::from_str::<serde::de::IgnoredAny>(&data).is_ok());
        let has = |prefix: &str| signals.iter().any(|s| s.starts_with(prefix));
        deltas += usize::from(has("Delta"));
        usages += usize::from(has("Usage"));
        errors += usize::from(has("Error"));
        parse_errors += usize::from(has("ParseError"));
    }
    for (what, n) in [
        ("valid JSON", valid),
        ("deltas", deltas),
        ("usages", usages),
        ("errors", errors),
        ("parse errors", parse_errors),
    ] {
        eprintln!("{what}: {n} of {seeds} inputs");
        assert!(n > seeds / 30, "only {n} of {seeds} inputs gave {what}");
    }
}

proptest! {
    #[test]
    fn generated_events_match_the_oracle(seed in any::<u64>()) {
        check(&generate(seed), seed);
    }

    #[test]
    fn arbitrary_text_matches_the_oracle(data in "[\\[\\]{}\":,\\\\ a-z0-9.eE+\\-nulltrfs\u{1}é😀]{0,40}", pick in any::<u64>()) {
        check(&data, pick);
    }
}

#[test]
fn hand_picked_edge_cases_match_the_oracle() {
    let cases = [
        r#"{"choices":[{"delta":{"content":"a","content":"b"}}]}"#,
        r#"{"choices":[{"delta":{"con\u0074ent":"a"}}]}"#,
        r#"{"choices":[{"delta":{"content":"\ud800"}}]}"#,
        r#"{"choices":[{"delta":{"x":"\ud800"}}]}"#,
        r#"{"choices":[{"delta":{"\ud800":1}}]}"#,
        r#"{"choices":[[["hi"]]]}"#,
        r#"{"choices":[[["hi", null, null, "no"]]]}"#,
        r#"{"choices":[[["hi", null, null, "no", null, 1]]]}"#,
        r#"[[{"delta":{"content":"x"}}], {"prompt_tokens": 1}]"#,
        r#"{"choices":null,"usage":{"prompt_tokens":1e400}}"#,
        r#"{"usage":{"prompt_tokens":-0,"completion_tokens":2.9999999999999999}}"#,
        r#"{"usage":{"prompt_tokens":"1"}}"#,
        r#"{"error":{"code":1e400}}"#,
        r#"{"x":1e400}"#,
        r#"{"error":{"code":-0}}"#,
        r#"{"error":{"code":1.0e2}}"#,
        r#"{"error":{"type":"a","type":"b"}}"#,
        r#"{"error":{"type":"a"},"error":null}"#,
        r#"{"type":"error","code":"c","sequenceNumber":1}"#,
        r#"{"type":"error","code":"c","sequence_number":1}"#,
        r#"{"type":"response.incomplete","response":{"incomplete_details":{"reason":"r","reason":""}}}"#,
        r#"{"type":"response.failed","response":{"error":{"type":"error","code":"c"}}}"#,
        r#"{"type":"message_start","message":{"usage":{"input_tokens":5}}}"#,
        r#"{"done":true,"prompt_eval_count":null,"eval_count":3.5}"#,
        r#"{"done":1}"#,
        "\"text\"",
        "\"te\\u0000xt\"",
        "{\"a\":1} ",
        "{\"a\":1} x",
        "{\"a\":1}\u{a0}",
        "{\"a\":[1,]}",
        "{\"a\":{\"b\":1,}}",
        "{\"a\" 1}",
        "{,}",
        "[,]",
        "",
        " ",
        "[DONE]",
        "[DONE] ",
    ];
    for (i, case) in cases.iter().enumerate() {
        for pick in 0..16 * DATA_CODES.len() as u64 {
            check(case, pick + i as u64);
        }
    }
}

#[test]
fn deep_nesting_matches_the_oracle() {
    for depth in [1, 100, 124, 125, 126, 127, 128, 129, 200, 5_000] {
        let nest = |inner: &str| format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        for value in [nest(""), nest("1"), objects] {
            for template in [
                "{\"x\":V}",
                "{\"error\":V}",
                "{\"error\":{\"type\":V}}",
                "{\"choices\":[{\"delta\":{\"x\":V}}]}",
                "{\"choices\":V}",
                "{\"type\":\"error\",\"code\":V}",
                "{\"response\":{\"incomplete_details\":V}}",
                "{\"logprobs\":V,\"choices\":[]}",
                "V",
            ] {
                let data = template.replace('V', &value);
                for pick in [0, 1, 16, 33, 50] {
                    check(&data, pick);
                }
                check(&format!("{data}x"), 0);
            }
        }
    }
}
