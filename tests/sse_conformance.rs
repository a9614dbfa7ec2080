//! SSE conformance: cases transcribed from the WHATWG HTML Standard §9.2.6 rules, covering the
//! categories of the web-platform-tests `eventsource/format-*` vectors and of the
//! rexxars/eventsource-parser suite (see docs in `src/wire/sse.rs`).
//!
//! Every case runs through a chunk-invariance harness: the input as one chunk, one byte at a
//! time, at every 2-way split (sampled for long inputs) and at a sample of 3-way splits, and must
//! give exactly the expected events, oversized-line count, retry and truncation report each time.

use chat_vitals::wire::sse::{SseItem, SseParser};

const BOM: &str = "\u{FEFF}";
const DEFAULT_MAX: usize = 1 << 20;

#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    /// (type, data, last event id) per dispatched event.
    events: Vec<(String, String, String)>,
    oversized: usize,
    retry_ms: Option<u64>,
    unterminated: bool,
}

struct Case {
    input: Vec<u8>,
    max_line_bytes: usize,
    expected: Outcome,
}

fn case(input: impl AsRef<[u8]>, events: &[(&str, &str, &str)]) -> Case {
    Case {
        input: input.as_ref().to_vec(),
        max_line_bytes: DEFAULT_MAX,
        expected: Outcome {
            events: events
                .iter()
                .map(|(t, d, i)| ((*t).into(), (*d).into(), (*i).into()))
                .collect(),
            oversized: 0,
            retry_ms: None,
            unterminated: false,
        },
    }
}

/// Shorthand for unnamed events without id.
fn messages(input: impl AsRef<[u8]>, data: &[&str]) -> Case {
    let events: Vec<_> = data.iter().map(|d| ("message", *d, "")).collect();
    case(input, &events)
}

impl Case {
    fn retry(mut self, ms: u64) -> Self {
        self.expected.retry_ms = Some(ms);
        self
    }
    fn unterminated(mut self) -> Self {
        self.expected.unterminated = true;
        self
    }
    fn max(mut self, bytes: usize, oversized: usize) -> Self {
        self.max_line_bytes = bytes;
        self.expected.oversized = oversized;
        self
    }

    fn decode(&self, cuts: &[usize]) -> Outcome {
        let mut parser = SseParser::new(self.max_line_bytes);
        let mut outcome = Outcome {
            events: Vec::new(),
            oversized: 0,
            retry_ms: None,
            unterminated: false,
        };
        let mut start = 0;
        for &cut in cuts.iter().chain(std::iter::once(&self.input.len())) {
            parser.feed(&self.input[start..cut], &mut |item| match item {
                SseItem::Event(ev) => {
                    outcome
                        .events
                        .push((ev.event.into(), ev.data.into(), ev.id.into()))
                }
                SseItem::OversizedLine => outcome.oversized += 1,
            });
            start = cut;
        }
        outcome.retry_ms = parser.retry_ms();
        outcome.unterminated = parser.finish();
        outcome
    }

    fn check(&self, cuts: &[usize]) {
        let got = self.decode(cuts);
        assert_eq!(
            got,
            self.expected,
            "input {:?} split at {cuts:?}",
            String::from_utf8_lossy(&self.input)
        );
    }

    /// Whole, byte by byte, every (or a sample of) 2-way split, a sample of 3-way splits.
    fn run(self) {
        let n = self.input.len();
        self.check(&[]);
        self.check(&(1..n).collect::<Vec<_>>());
        let stride = (n / 400).max(1);
        for i in (0..=n).step_by(stride) {
            self.check(&[i]);
        }
        let mut seed = 0x9E37_79B9_u64 ^ n as u64;
        let mut next = |bound: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % (bound + 1)
        };
        if n <= 40 {
            for i in 0..=n {
                for j in i..=n {
                    self.check(&[i, j]);
                }
            }
        } else {
            for _ in 0..300 {
                let (a, b) = (next(n), next(n));
                self.check(&[a.min(b), a.max(b)]);
            }
        }
    }
}

fn x2048() -> String {
    "x".repeat(2048)
}

// ---- web-platform-tests eventsource/format-* (body = message + newline suffix of message.py) ----

#[test]
fn wpt_format_field_data() {
    messages(
        "data:\n\ndata\ndata\n\ndata:test\n\n\n",
        &["", "\n", "test"],
    )
    .run();
}

#[test]
fn wpt_event_data_message2() {
    let input = "data:msg\ndata: msg\n\n:\nfalsefield:msg\n\nfalsefield:msg\nData:data\n\ndata\n\ndata:end\n\n";
    messages(input, &["msg\nmsg", "", "end"]).run();
}

#[test]
fn wpt_format_comments() {
    let x = x2048();
    let input = format!("data:1\r:\0\n:\r\ndata:2\n:{x}\rdata:3\n:data:fail\r:{x}\ndata:4\n\n");
    messages(input, &["1\n2\n3\n4"]).run();
}

#[test]
fn wpt_format_field_parsing() {
    let input = "data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n";
    messages(input, &["\0\n 2\n1\n3\n\n4"]).run();
}

#[test]
fn wpt_format_leading_space() {
    messages("data:\ttest\rdata: \ndata:test\n\n", &["\ttest\n\ntest"]).run();
}

#[test]
fn wpt_format_newlines() {
    messages("data:test\r\ndata\ndata:test\r\n\r", &["test\n\ntest"]).run();
}

#[test]
fn wpt_format_bom() {
    messages(
        format!("{BOM}data:1\n\n{BOM}data:2\n\ndata:3\n\n"),
        &["1", "3"],
    )
    .run();
}

#[test]
fn wpt_format_bom_2() {
    messages(
        format!("{BOM}{BOM}data:1\n\ndata:2\n\ndata:3\n\n"),
        &["2", "3"],
    )
    .run();
}

#[test]
fn wpt_format_bom_split_is_still_stripped() {
    // The harness splits the three BOM bytes in every way.
    messages(format!("{BOM}data:1\n\n"), &["1"]).run();
}

#[test]
fn wpt_format_bom_utf16_le_and_be_make_the_first_line_unknown() {
    messages(b"\xFF\xFEdata:1\n\ndata:2\n\n", &["2"]).run();
    messages(b"\xFE\xFFdata:1\n\ndata:2\n\n", &["2"]).run();
}

#[test]
fn wpt_format_data_before_final_empty_line() {
    messages("retry:1000\ndata:test1\n\nid:test\ndata:test2", &["test1"])
        .retry(1000)
        .unterminated()
        .run();
}

#[test]
fn wpt_format_null_character() {
    messages("data:\0\n\n", &["\0"]).run();
}

#[test]
fn wpt_format_field_event_empty() {
    messages("event: \ndata:data\n\n", &["data"]).run();
}

#[test]
fn wpt_format_field_event() {
    case(
        "event:test\ndata:x\n\ndata:y\n\n",
        &[("test", "x", ""), ("message", "y", "")],
    )
    .run();
}

#[test]
fn wpt_format_field_retry_bogus() {
    messages("retry:2000\nretry:1000x\ndata:x\n\n", &["x"])
        .retry(2000)
        .run();
}

#[test]
fn wpt_format_field_retry() {
    messages("retry:03000\ndata:x\n\n", &["x"])
        .retry(3000)
        .run();
}

#[test]
fn wpt_format_field_retry_empty() {
    messages("retry\ndata:x\n\nretry:\ndata:y\n\n", &["x", "y"]).run();
}

#[test]
fn wpt_format_field_id_persists() {
    case(
        "id:1\ndata:a\n\ndata:b\n\n",
        &[("message", "a", "1"), ("message", "b", "1")],
    )
    .run();
}

#[test]
fn wpt_format_field_id_2_resets_with_bare_id() {
    case(
        "id:1\ndata:a\n\nid\ndata:b\n\n",
        &[("message", "a", "1"), ("message", "b", "")],
    )
    .run();
}

#[test]
fn wpt_format_field_id_3_resets_with_empty_id() {
    case(
        "id:1\ndata:a\n\nid:\ndata:b\n\nid: 2\ndata:c\n\n",
        &[
            ("message", "a", "1"),
            ("message", "b", ""),
            ("message", "c", "2"),
        ],
    )
    .run();
}

#[test]
fn wpt_format_field_id_null_is_ignored() {
    case(
        "id:1\ndata:a\n\nid:a\0b\ndata:b\n\n",
        &[("message", "a", "1"), ("message", "b", "1")],
    )
    .run();
}

#[test]
fn wpt_format_field_unknown() {
    let input =
        "data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n";
    messages(input, &["test\n\ntest"]).run();
}

#[test]
fn wpt_format_utf8() {
    messages("data:ok\u{2026}\n\n", &["ok\u{2026}"]).run();
}

// ---- eventsource-parser categories ----

#[test]
fn parser_basic_unnamed_event() {
    messages("data: hello\n\n", &["hello"]).run();
}

#[test]
fn parser_named_event_with_id() {
    case("event: ping\nid: 7\ndata: {}\n\n", &[("ping", "{}", "7")]).run();
}

#[test]
fn parser_event_type_resets_after_dispatch_even_without_data() {
    case(
        "event:foo\n\nevent:bar\ndata:1\n\ndata:2\n\n",
        &[("bar", "1", ""), ("message", "2", "")],
    )
    .run();
}

#[test]
fn parser_multi_line_data() {
    messages("data: a\ndata: b\ndata: c\n\n", &["a\nb\nc"]).run();
}

#[test]
fn parser_heartbeat_comments() {
    messages(": ping\n\n: ping\n\ndata: x\n\n:\n\n", &["x"]).run();
}

#[test]
fn parser_id_and_retry() {
    case(
        "id: abc\nretry: 50\ndata: x\n\n",
        &[("message", "x", "abc")],
    )
    .retry(50)
    .run();
}

#[test]
fn parser_invalid_retry_values_are_ignored() {
    messages(
        "retry: -1\nretry: 1 000\nretry: 1.5\nretry: 99999999999999999999999\ndata: x\n\n",
        &["x"],
    )
    .run();
}

#[test]
fn parser_multibyte_characters() {
    messages("data: 你好 🌍 émoji\ndata: ☃\n\n", &["你好 🌍 émoji\n☃"]).run();
}

#[test]
fn parser_invalid_utf8_becomes_replacement_character() {
    messages(b"data: a\xFFb\xF0\x9F\n\n", &["a\u{FFFD}b\u{FFFD}"]).run();
}

#[test]
fn parser_crlf_stream() {
    case(
        "event: a\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n",
        &[("a", "1", ""), ("message", "2", "")],
    )
    .run();
}

#[test]
fn parser_cr_only_stream() {
    messages("data: 1\r\rdata: 2\r\r", &["1", "2"]).run();
}

#[test]
fn parser_mixed_line_endings() {
    messages("data: 1\r\n\ndata: 2\n\r\ndata: 3\r\r\n", &["1", "2", "3"]).run();
}

#[test]
fn parser_cr_then_crlf_dispatches_once() {
    // eventsource-parser issue #17: a CR at a chunk end may be half of a CRLF.
    messages("data: a\r\r\ndata: b\r\n\r\n", &["a", "b"]).run();
}

#[test]
fn parser_bare_cr_terminators_dispatch_exactly_once() {
    messages("data: a\r\r\r\rdata: b\r\r", &["a", "b"]).run();
}

#[test]
fn parser_value_with_colons() {
    messages("data: a:b: c\n\n", &["a:b: c"]).run();
}

#[test]
fn parser_only_one_leading_space_removed() {
    messages("data:  two\ndata:\tx\n\n", &[" two\n\tx"]).run();
}

#[test]
fn parser_field_names_are_case_sensitive() {
    messages("DATA:x\nData:y\nEvent:z\n\ndata:ok\n\n", &["ok"]).run();
}

#[test]
fn parser_blank_lines_without_data_dispatch_nothing() {
    messages("\n\n\r\n\rdata: x\n\n\n\n", &["x"]).run();
}

#[test]
fn parser_stream_ending_before_the_blank_line_discards_the_event() {
    messages("data: a\n\ndata: x\n", &["a"])
        .unterminated()
        .run();
}

#[test]
fn parser_stream_ending_mid_line_discards_the_event() {
    messages("data: a\n\ndata: x", &["a"]).unterminated().run();
}

#[test]
fn parser_trailing_comment_is_not_truncation() {
    messages("data: a\n\n: bye\n", &["a"]).run();
}

#[test]
fn parser_large_message() {
    let big = "y".repeat(64 * 1024);
    messages(format!("data: {big}\n\n"), &[&big]).run();
}

#[test]
fn parser_oversized_line_is_dropped_and_parsing_resumes() {
    messages("data: 0123456789abcdefghij\n\ndata: ok\n\n", &["ok"])
        .max(16, 1)
        .run();
}

#[test]
fn parser_oversized_event_data_is_dropped() {
    // Each line fits in 16 bytes but the joined data does not.
    messages(
        "data: 0123456789\ndata: 0123456789\n\ndata: ok\n\n",
        &["ok"],
    )
    .max(16, 1)
    .run();
}

#[test]
fn parser_oversized_comment_and_partial_line() {
    messages(
        ":0123456789abcdefghij\rdata: ok\r\rdata: 0123456789abcdefghij",
        &["ok"],
    )
    .max(16, 2)
    .unterminated()
    .run();
}

#[test]
fn parser_line_exactly_at_the_cap_is_kept() {
    messages("data: 0123456789\r\n\r\n", &["0123456789"])
        .max(16, 0)
        .run();
}
