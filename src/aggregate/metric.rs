//! The aggregated metrics: names, units, storage scales, directions — the one place scales live.
//!
//! Every histogram stores `round(value × scale)` as a `u64` in 1 … 3 600 000 000:
//!
//! | unit | scale | stored as | range held |
//! |---|---|---|---|
//! | `ms` (times) | 1 000 | µs | 1 µs … 1 h |
//! | `ratio` (fluidity, QoE, CV, burst shares) | 1 000 000 | millionths | 10⁻⁶ … 3 600 |
//! | `tokens/s` | 1 000 | milli-tokens/s | 0.001 … 3.6 M tokens/s |
//! | `count` (stalls, tokens, chars) | 1 | itself | 1 … 3.6 G |
//! | `usd` | 1 000 000 | micro-USD | $0.000001 … $3 600 |
//! | `tokens/s/usd` | 1 | itself | 1 … 3.6 G |
//! | `share` (`cutByLength`: 1 cut by length, 0 not) | 1 | itself | exact, so its mean is the exact share |
//!
//! Values above the range (or not finite) are counted in `outOfRange`, never clamped. A bucket's
//! reported value is its highest equivalent value, which for a ratio bounded by 1 (fluidity, QoE,
//! burst shares) can read 1.000447 for samples of exactly 1: summaries clamp those metrics' statistics
//! to [`MetricDef::max`], the largest value a sample can have.

use serde::Serialize;

use crate::metrics::ResponseReport;
use crate::rating::Direction;

/// Where a metric's samples come from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// One sample per response.
    PerResponse(fn(&ResponseReport) -> Option<f64>),
    /// Every gap of every response (the per-response gap histograms merged).
    PooledGaps,
    /// Every render lag of every response.
    PooledRenderLag,
}

/// One aggregated metric.
#[derive(Clone, Copy, Debug)]
pub struct MetricDef {
    /// Name in summaries, exports, `.hlog` tags and budget keys (no dots, commas or spaces).
    pub name: &'static str,
    /// Display unit of summary values and budget limits.
    pub unit: &'static str,
    /// Stored value = round(display value × scale).
    pub scale: f64,
    /// Whether lower or higher is better (budgets use it).
    pub direction: Direction,
    /// Paint-based: skipped for responses whose perceived metrics are invalid.
    pub perceived: bool,
    /// Where samples come from.
    pub source: Source,
    /// The largest value a sample can have (1 for ratios in [0, 1]); summary statistics are
    /// clamped to it. `None` = unbounded.
    pub max: Option<f64>,
}

impl MetricDef {
    /// The same metric with samples bounded by `max`.
    const fn at_most(self, max: f64) -> MetricDef {
        MetricDef {
            max: Some(max),
            ..self
        }
    }

    /// `value` clamped to this metric's range.
    pub fn clamp(&self, value: f64) -> f64 {
        match self.max {
            Some(max) if value > max => max,
            _ => value,
        }
    }
}

const MS: f64 = 1_000.0;
const RATIO: f64 = 1_000_000.0;
const TPS: f64 = 1_000.0;
const USD: f64 = 1_000_000.0;

const fn def(
    name: &'static str,
    unit: &'static str,
    scale: f64,
    direction: Direction,
    perceived: bool,
    source: Source,
) -> MetricDef {
    MetricDef {
        name,
        unit,
        scale,
        direction,
        perceived,
        source,
        max: None,
    }
}

use Direction::{HigherIsBetter as Hi, LowerIsBetter as Lo};
use Source::PerResponse as Per;

/// Every aggregated metric, in summary order.
pub const METRICS: &[MetricDef] = &[
    def("ttft", "ms", MS, Lo, false, Per(|r| r.ttft_ms)),
    def("ttfb", "ms", MS, Lo, false, Per(|r| r.ttfb_ms)),
    def(
        "perceivedTtft",
        "ms",
        MS,
        Lo,
        true,
        Per(|r| r.perceived_ttft_ms),
    ),
    def(
        "perceivedTtftFromSend",
        "ms",
        MS,
        Lo,
        true,
        Per(|r| r.perceived_ttft_from_send_ms),
    ),
    def(
        "e2eLastContent",
        "ms",
        MS,
        Lo,
        false,
        Per(|r| r.e2e_last_content_ms),
    ),
    def(
        "e2eStreamEnd",
        "ms",
        MS,
        Lo,
        false,
        Per(|r| r.e2e_stream_end_ms),
    ),
    def("tpot", "ms", MS, Lo, false, Per(|r| r.tpot_ms)),
    def(
        "guidellmTpot",
        "ms",
        MS,
        Lo,
        false,
        Per(|r| r.guidellm_tpot_ms),
    ),
    def("gaps", "ms", MS, Lo, false, Source::PooledGaps),
    def("gapMax", "ms", MS, Lo, false, Per(|r| r.gap_max_ms)),
    def("gapJitter", "ms", MS, Lo, false, Per(|r| r.gap_jitter_ms)),
    def("gapCv", "ratio", RATIO, Lo, false, Per(|r| r.gap_cv)),
    def(
        "stalls",
        "count",
        1.0,
        Lo,
        false,
        Per(|r| r.stall_count.map(|c| c as f64)),
    ),
    def("stallTotal", "ms", MS, Lo, false, Per(|r| r.stall_total_ms)),
    def(
        "stallLongest",
        "ms",
        MS,
        Lo,
        false,
        Per(|r| r.stall_longest_ms),
    ),
    def(
        "fluidity",
        "ratio",
        RATIO,
        Hi,
        false,
        Per(|r| r.fluidity_index),
    )
    .at_most(1.0),
    def("qoe", "ratio", RATIO, Hi, false, Per(|r| r.qoe)).at_most(1.0),
    def(
        "burstShareChunk",
        "ratio",
        RATIO,
        Lo,
        false,
        Per(|r| r.burst_share_chunk),
    )
    .at_most(1.0),
    def(
        "burstSharePaint",
        "ratio",
        RATIO,
        Lo,
        true,
        Per(|r| r.burst_share_paint),
    )
    .at_most(1.0),
    def(
        "charsPerPaintMax",
        "count",
        1.0,
        Lo,
        true,
        Per(|r| r.chars_per_paint_max.map(|c| c as f64)),
    ),
    def("renderLag", "ms", MS, Lo, true, Source::PooledRenderLag),
    def(
        "unpaintedFrames",
        "count",
        1.0,
        Lo,
        true,
        Per(|r| r.unpainted_frame_count.map(|c| c as f64)),
    ),
    def(
        "longFrames",
        "count",
        1.0,
        Lo,
        true,
        Per(|r| r.long_frame_count.map(|c| c as f64)),
    ),
    def(
        "longFrameBlocking",
        "ms",
        MS,
        Lo,
        true,
        Per(|r| r.long_frame_blocking_ms),
    ),
    def(
        "decodeTokensPerSecond",
        "tokens/s",
        TPS,
        Hi,
        false,
        Per(|r| r.decode_tokens_per_second),
    ),
    def(
        "outputTokensPerSecond",
        "tokens/s",
        TPS,
        Hi,
        false,
        Per(|r| r.output_tokens_per_second),
    ),
    def(
        "outputTokens",
        "count",
        1.0,
        Hi,
        false,
        Per(|r| r.output_tokens.map(|n| n as f64)),
    ),
    def("costUsd", "usd", USD, Lo, false, Per(|r| r.cost_usd)),
    def(
        "costPer1kOutputTokens",
        "usd",
        USD,
        Lo,
        false,
        Per(|r| r.cost_per_1k_output_tokens_usd),
    ),
    def(
        "outputTokensPerSecondPerUsd",
        "tokens/s/usd",
        1.0,
        Hi,
        false,
        Per(|r| r.output_tokens_per_second_per_usd),
    ),
    // 1 when the finish reason says the output-token limit cut the answer, 0 for any other finish
    // reason, no sample without one: `cutByLength.mean` is the share cut by length.
    def(
        "cutByLength",
        "share",
        1.0,
        Lo,
        false,
        Per(|r| r.cut_by_length.map(|cut| if cut { 1.0 } else { 0.0 })),
    )
    .at_most(1.0),
];

/// Index of the metric called `name` in [`METRICS`].
pub fn metric_index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| m.name == name)
}

/// The stored integer for a display value; `None` when it is not finite or negative.
pub fn to_stored(value: f64, scale: f64) -> Option<u64> {
    let v = (value * scale).round();
    // `as` saturates; values ≥ 2^64 land on u64::MAX, which the histogram counts as out of range.
    (v.is_finite() && v >= 0.0).then_some(v as u64)
}

/// One row of [`metric_table`]: what JS learns about an aggregated metric.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MetricRow {
    /// Name in summaries, exports and budget keys.
    pub name: &'static str,
    /// Display unit.
    pub unit: &'static str,
    /// Which way is better.
    pub direction: Direction,
    /// Paint-based (skipped when perceived metrics are invalid).
    pub perceived: bool,
}

/// Every aggregated metric in summary order (what `metrics()` hands to JS).
pub fn metric_table() -> Vec<MetricRow> {
    METRICS
        .iter()
        .map(|m| MetricRow {
            name: m.name,
            unit: m.unit,
            direction: m.direction,
            perceived: m.perceived,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_tag_safe() {
        for (i, m) in METRICS.iter().enumerate() {
            assert_eq!(metric_index(m.name), Some(i));
            assert!(!m.name.contains(['.', ',', ' ']));
        }
    }

    #[test]
    fn stored_values_round() {
        assert_eq!(to_stored(1.2345, 1000.0), Some(1235));
        assert_eq!(to_stored(f64::NAN, 1.0), None);
        assert_eq!(to_stored(-1.0, 1.0), None);
    }
}
