//! Reports as a flat tape — numbers plus one string — that the bindings' JS decoder (`src/wasm/js.rs`)
//! turns into a plain JS object.
//!
//! Why not serde_json: serializing to JSON text needs float formatting, and serde's generic code for every report
//! type was ~68 KB of the embedded wasm (BENCHMARKS.md row 3). The tape holds `f64`s as they are, so nothing is
//! formatted and a value reaches JS bit for bit.
//!
//! Format: `nums` is a sequence of ops. Every op but [`END`] is `[op, key length]` followed by its value, and its
//! key is the next `key length` UTF-16 units of `text` (ignored inside a list). [`NUM`] has one more number (the
//! value); [`STR`] has one more number (the length of the string, which follows the key in `text`); [`OBJ`] and
//! [`LIST`] open a container that [`END`] closes. A missing or non-finite number is [`NULL`], as in JSON.
//!
//! Adding a report field is one line in the matching `write_*` function below; the host test
//! `tape_matches_serde_json` fails if a serialized field is missing from the tape (or the other way round).

use crate::aggregate::{AggregateSummary, MetricRow, MetricSummary};
use crate::meter::MeterReport;
use crate::metrics::{ChunkRecord, PaintRecord, Timeline};
use crate::metrics::{PaintScope, ReportDiagnostic, ResponseReport, TokenSource, TtftByRule};
use crate::rating::{Direction, Rating, ThresholdRow};
use crate::signal::DeltaKind;

/// A number follows.
pub const NUM: f64 = 0.0;
/// `null`.
pub const NULL: f64 = 1.0;
/// `true`.
pub const TRUE: f64 = 2.0;
/// `false`.
pub const FALSE: f64 = 3.0;
/// A string follows in `text`.
pub const STR: f64 = 4.0;
/// An object opens.
pub const OBJ: f64 = 5.0;
/// A list opens.
pub const LIST: f64 = 6.0;
/// The innermost object or list closes.
pub const END: f64 = 7.0;

/// The tape being written: the root is an object.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tape {
    /// Ops and numbers.
    pub nums: Vec<f64>,
    /// Keys and strings, back to back.
    pub text: String,
}

fn utf16_len(s: &str) -> f64 {
    s.encode_utf16().count() as f64
}

impl Tape {
    #[inline(never)] // one call per field keeps each writer small (BENCHMARKS.md row 3)
    fn op(&mut self, op: f64, key: &str) {
        self.nums.push(op);
        self.nums.push(utf16_len(key));
        self.text.push_str(key);
    }
    /// A number; `None`, NaN and ±∞ become `null`.
    #[inline(never)]
    pub fn num(&mut self, key: &str, v: Option<f64>) {
        match v.filter(|v| v.is_finite()) {
            Some(v) => {
                self.op(NUM, key);
                self.nums.push(v);
            }
            None => self.op(NULL, key),
        }
    }
    /// A count (exact in `f64` up to 2^53).
    #[inline(never)]
    pub fn count(&mut self, key: &str, v: Option<u64>) {
        self.num(key, v.map(|v| v as f64));
    }
    /// A boolean.
    #[inline(never)]
    pub fn flag(&mut self, key: &str, v: bool) {
        self.op(if v { TRUE } else { FALSE }, key);
    }
    /// A boolean or `null`.
    #[inline(never)]
    pub fn maybe_flag(&mut self, key: &str, v: Option<bool>) {
        match v {
            Some(v) => self.flag(key, v),
            None => self.op(NULL, key),
        }
    }
    /// A string or `null`.
    #[inline(never)]
    pub fn text(&mut self, key: &str, v: Option<&str>) {
        match v {
            Some(v) => {
                self.op(STR, key);
                self.nums.push(utf16_len(v));
                self.text.push_str(v);
            }
            None => self.op(NULL, key),
        }
    }
    /// A nested object written by `body`.
    pub fn obj(&mut self, key: &str, body: impl FnOnce(&mut Tape)) {
        self.op(OBJ, key);
        body(self);
        self.nums.push(END);
    }
    /// A list with one element per item, each written by `item` (as a keyless value: use key `""`).
    pub fn list<T>(&mut self, key: &str, items: &[T], mut item: impl FnMut(&mut Tape, &T)) {
        self.op(LIST, key);
        for x in items {
            item(self, x);
        }
        self.nums.push(END);
    }
}

/// Values that can be written as the root object of a tape.
pub trait ToTape {
    /// Writes the fields of `self` into the root object.
    fn write(&self, t: &mut Tape);
    /// The whole tape.
    fn to_tape(&self) -> Tape {
        let mut t = Tape::default();
        self.write(&mut t);
        t
    }
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::LowerIsBetter => "lower-is-better",
        Direction::HigherIsBetter => "higher-is-better",
    }
}

/// The kebab-case name of a rating (as in reports).
pub fn rating_name(r: Rating) -> &'static str {
    match r {
        Rating::Good => "good",
        Rating::NeedsImprovement => "needs-improvement",
        Rating::Poor => "poor",
    }
}

fn token_source(s: TokenSource) -> &'static str {
    match s {
        TokenSource::Usage => "usage",
        TokenSource::Events => "events",
        TokenSource::Estimate => "estimate",
    }
}

fn paint_scope(s: PaintScope) -> &'static str {
    match s {
        PaintScope::All => "all",
        PaintScope::First => "first",
    }
}

fn diagnostic(d: ReportDiagnostic) -> &'static str {
    match d {
        ReportDiagnostic::EventsWithoutText => "events-without-text",
    }
}

fn delta_kind(k: DeltaKind) -> &'static str {
    match k {
        DeltaKind::Content => "content",
        DeltaKind::Reasoning => "reasoning",
        DeltaKind::Tool => "tool",
        DeltaKind::Other => "other",
    }
}

impl ToTape for MeterReport {
    fn write(&self, t: &mut Tape) {
        write_response(t, &self.response);
        t.text("format", self.format.map(|f| f.as_str()));
        t.text(
            "formatDetectedBy",
            self.format_detected_by.map(|d| d.as_str()),
        );
        t.flag("streamed", self.streamed);
    }
}

/// Every field of a [`ResponseReport`], in its serde order: one line per field.
fn write_response(t: &mut Tape, r: &ResponseReport) {
    t.text("firstTokenRule", Some(r.first_token_rule.as_str()));
    t.num("ttftMs", r.ttft_ms);
    t.obj("ttftByRule", |t| write_ttft_by_rule(t, &r.ttft_by_rule));
    t.num("ttfbMs", r.ttfb_ms);
    t.num("perceivedTtftMs", r.perceived_ttft_ms);
    t.num("perceivedTtftFromSendMs", r.perceived_ttft_from_send_ms);
    t.text(
        "perceivedInvalidReason",
        r.perceived_invalid_reason.as_deref(),
    );
    t.text("paintScope", Some(paint_scope(r.paint_scope)));
    t.num("e2eLastContentMs", r.e2e_last_content_ms);
    t.num("e2eStreamEndMs", r.e2e_stream_end_ms);
    t.count("outputTokens", r.output_tokens);
    t.text("tokenSource", r.token_source.map(token_source));
    t.count("inputTokens", r.input_tokens);
    t.count("reasoningTokens", r.reasoning_tokens);
    t.num("tpotMs", r.tpot_ms);
    t.num("guidellmItlMs", r.guidellm_itl_ms);
    t.num("guidellmTpotMs", r.guidellm_tpot_ms);
    t.num("decodeTokensPerSecond", r.decode_tokens_per_second);
    t.num("outputTokensPerSecond", r.output_tokens_per_second);
    t.count("chunkCount", Some(r.chunk_count));
    t.count("outputChunkCount", Some(r.output_chunk_count));
    t.count("eventCount", Some(r.event_count));
    t.count("bytes", Some(r.bytes));
    t.count("contentChars", Some(r.content_chars));
    t.count("reasoningChars", Some(r.reasoning_chars));
    t.count("toolChars", Some(r.tool_chars));
    t.count("otherChars", Some(r.other_chars));
    t.count("gapCount", Some(r.gap_count));
    t.num("gapMeanMs", r.gap_mean_ms);
    t.num("gapJitterMs", r.gap_jitter_ms);
    t.num("gapCv", r.gap_cv);
    t.num("gapP50Ms", r.gap_p50_ms);
    t.num("gapP95Ms", r.gap_p95_ms);
    t.num("gapP99Ms", r.gap_p99_ms);
    t.num("gapMaxMs", r.gap_max_ms);
    t.count("gapsOutOfRange", Some(r.gaps_out_of_range));
    t.num("stallThresholdMs", Some(r.stall_threshold_ms));
    t.count("stallCount", r.stall_count);
    t.num("stallTotalMs", r.stall_total_ms);
    t.num("stallLongestMs", r.stall_longest_ms);
    t.num("fluidityIndex", r.fluidity_index);
    t.count("fluidityMissedDeadlines", Some(r.fluidity_missed_deadlines));
    t.count("fluidityTotalDeadlines", Some(r.fluidity_total_deadlines));
    t.num("qoe", r.qoe);
    t.num("burstShareChunk", r.burst_share_chunk);
    t.num("burstSharePaint", r.burst_share_paint);
    t.count("paintCount", Some(r.paint_count));
    t.num("charsPerPaintMean", r.chars_per_paint_mean);
    t.count("charsPerPaintMax", r.chars_per_paint_max);
    t.count("renderLagCount", Some(r.render_lag_count));
    t.num("renderLagP50Ms", r.render_lag_p50_ms);
    t.num("renderLagP95Ms", r.render_lag_p95_ms);
    t.num("renderLagMaxMs", r.render_lag_max_ms);
    t.count("frameCount", r.frame_count);
    t.count("unpaintedFrameCount", r.unpainted_frame_count);
    t.count("longFrameCount", r.long_frame_count);
    t.num("longFrameTotalMs", r.long_frame_total_ms);
    t.num("longFrameBlockingMs", r.long_frame_blocking_ms);
    t.num("longFrameMaxMs", r.long_frame_max_ms);
    t.num("costUsd", r.cost_usd);
    t.num("costPer1kOutputTokensUsd", r.cost_per_1k_output_tokens_usd);
    t.num(
        "outputTokensPerSecondPerUsd",
        r.output_tokens_per_second_per_usd,
    );
    t.text("finishReason", r.finish_reason.as_deref());
    t.maybe_flag("cutByLength", r.cut_by_length);
    t.text("outcome", r.outcome.map(|o| o.as_str()));
    t.text("errorClass", r.error_class.as_deref());
    t.count("httpStatus", r.http_status.map(u64::from));
    t.flag("endMarkerSeen", r.end_marker_seen);
    t.count("parseErrors", Some(r.parse_errors));
    t.count("oversizedLines", Some(r.oversized_lines));
    t.list("diagnostics", &r.diagnostics, |t, d| {
        t.text("", Some(diagnostic(*d)))
    });
    t.flag("timelineTruncated", r.timeline_truncated);
    t.obj("timeline", |t| write_timeline(t, &r.timeline));
    t.obj("ratings", |t| {
        for (name, rating) in &r.ratings {
            t.text(name, Some(rating_name(*rating)));
        }
    });
}

fn write_ttft_by_rule(t: &mut Tape, r: &TtftByRule) {
    t.num("firstByte", r.first_byte);
    t.num("firstEvent", r.first_event);
    t.num("firstChoices", r.first_choices);
    t.num("firstContent", r.first_content);
    t.num("firstAnswer", r.first_answer);
    t.num("firstPaint", r.first_paint);
}

fn write_timeline(t: &mut Tape, tl: &Timeline) {
    t.list("chunks", &tl.chunks, |t, c| {
        t.obj("", |t| write_chunk(t, c))
    });
    t.list("paints", &tl.paints, |t, p| {
        t.obj("", |t| write_paint(t, p))
    });
    t.flag("truncated", tl.truncated);
}

fn write_chunk(t: &mut Tape, c: &ChunkRecord) {
    t.num("atMs", Some(c.at_ms));
    t.count("bytes", Some(u64::from(c.bytes)));
    t.count("tokens", c.tokens.map(u64::from));
    t.count("deltas", Some(u64::from(c.deltas)));
    t.count("contentChars", Some(u64::from(c.content_chars)));
    t.count("reasoningChars", Some(u64::from(c.reasoning_chars)));
    t.count("toolChars", Some(u64::from(c.tool_chars)));
    t.count("otherChars", Some(u64::from(c.other_chars)));
    t.text("kind", Some(delta_kind(c.kind)));
}

fn write_paint(t: &mut Tape, p: &PaintRecord) {
    t.num("atMs", Some(p.at_ms));
    t.count("visibleChars", Some(u64::from(p.visible_chars)));
}

impl ToTape for AggregateSummary {
    fn write(&self, t: &mut Tape) {
        t.count("responses", Some(self.responses));
        t.count("warmupSkipped", Some(self.warmup_skipped));
        t.count("perceivedExcluded", Some(self.perceived_excluded));
        t.obj("outcomes", |t| {
            for (name, n) in &self.outcomes {
                t.count(name, Some(*n));
            }
        });
        t.obj("finishReasons", |t| {
            for (name, n) in &self.finish_reasons {
                t.count(name, Some(*n));
            }
        });
        t.obj("metrics", |t| {
            for (name, m) in &self.metrics {
                t.obj(name, |t| write_metric_summary(t, m));
            }
        });
    }
}

fn write_metric_summary(t: &mut Tape, m: &MetricSummary) {
    t.text("unit", Some(m.unit));
    t.count("count", Some(m.count));
    t.num("min", m.min);
    t.num("max", m.max);
    t.num("mean", m.mean);
    t.num("stddev", m.stddev);
    t.num("variance", m.variance);
    t.num("cv", m.cv);
    t.num("p50", m.p50);
    t.num("p75", m.p75);
    t.num("p90", m.p90);
    t.num("p95", m.p95);
    t.num("p99", m.p99);
    t.num("p99.9", m.p99_9);
    t.count("outOfRange", Some(m.out_of_range));
}

/// `{ metric: { good, poor, direction } }`.
impl ToTape for crate::map::Map<&'static str, ThresholdRow> {
    fn write(&self, t: &mut Tape) {
        for (name, row) in self {
            t.obj(name, |t| {
                t.num("good", Some(row.good));
                t.num("poor", Some(row.poor));
                t.text("direction", Some(direction(row.direction)));
            });
        }
    }
}

/// `{ list: [{ name, unit, direction, perceived }] }` (the bindings hand out `list`).
impl ToTape for Vec<MetricRow> {
    fn write(&self, t: &mut Tape) {
        t.list("list", self, |t, m| {
            t.obj("", |t| {
                t.text("name", Some(m.name));
                t.text("unit", Some(m.unit));
                t.text("direction", Some(direction(m.direction)));
                t.flag("perceived", m.perceived);
            })
        });
    }
}

/// `{ pass, checked, violations: [{ key, limit, actual, reason }] }` (the full build's `checkBudget()`).
#[cfg(feature = "full")]
impl ToTape for crate::budget::BudgetResult {
    fn write(&self, t: &mut Tape) {
        t.flag("pass", self.pass);
        t.count("checked", Some(self.checked as u64));
        t.list("violations", &self.violations, |t, v| {
            t.obj("", |t| {
                t.text("key", Some(&v.key));
                t.num("limit", Some(v.limit));
                t.num("actual", v.actual);
                t.text("reason", Some(&v.reason));
            })
        });
    }
}

/// `{ list: [{ percentile, value }] }` (the full build's `spectrum()` hands out `list`).
#[cfg(feature = "full")]
impl ToTape for Vec<crate::aggregate::SpectrumPoint> {
    fn write(&self, t: &mut Tape) {
        t.list("list", self, |t, p| {
            t.obj("", |t| {
                t.num("percentile", Some(p.percentile));
                t.num("value", Some(p.value));
            })
        });
    }
}

/// `{ list: [{ from, to, count }] }` (the full build's `logBins()` hands out `list`).
#[cfg(feature = "full")]
impl ToTape for Vec<crate::aggregate::Bin> {
    fn write(&self, t: &mut Tape) {
        t.list("list", self, |t, b| {
            t.obj("", |t| {
                t.num("from", Some(b.from));
                t.num("to", Some(b.to));
                t.count("count", Some(b.count));
            })
        });
    }
}

#[cfg(test)]
#[path = "tape_tests.rs"]
mod tests;
