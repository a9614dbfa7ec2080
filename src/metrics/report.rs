//! [`ResponseReport`]: every metric of one response, as serialized to camelCase JSON.

use crate::map::Map;

use serde::Serialize;

use super::histogram::CountingHistogram;
use super::names::{FirstTokenRule, Outcome};
use super::timeline::Timeline;
use crate::rating::Rating;

/// Where `outputTokens` came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenSource {
    /// The server's usage report (`usage.completion_tokens`, `output_tokens`, `eval_count`, …).
    Usage,
    /// Counted from content and reasoning deltas: the wire's per-delta token count when given, else 1 per delta.
    Events,
    /// chars / 4 (rounded up), used only when deltas carried text but declared 0 tokens.
    Estimate,
}

/// Which paints the page reported: every paint that made text visible, or only the first one
/// (`observe(…, {paints: 'first'})`: perceived TTFT at the cost of one frame loop until then).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PaintScope {
    /// Every paint: render lag, bursts and unpainted frames are measured.
    #[default]
    All,
    /// Only the first paint: perceived TTFT only; render lag, bursts and frame counts are `null`.
    First,
}

/// A problem with the measurement itself, found once the response ended (JSON: its kebab-case code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportDiagnostic {
    /// The stream completed and framed events arrived, but none carried text
    /// of any kind: the wire format is probably wrong. Check `format` / `formatDetectedBy`, or
    /// set the `format` option.
    EventsWithoutText,
}

/// TTFT under every first-token rule, ms after request start; `null` when the event never happened
/// (and for all rules on an HTTP error).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TtftByRule {
    /// First response-body byte.
    pub first_byte: Option<f64>,
    /// First framed message (OTel time_to_first_chunk).
    pub first_event: Option<f64>,
    /// First message with `choices` (vLLM bench).
    pub first_choices: Option<f64>,
    /// First non-empty content or reasoning delta (AIPerf TTFT, GuideLLM).
    pub first_content: Option<f64>,
    /// First non-empty answer delta after any reasoning (AIPerf TTFO).
    pub first_answer: Option<f64>,
    /// First paint with visible answer text (perceived TTFT).
    pub first_paint: Option<f64>,
}

impl TtftByRule {
    /// The value under `rule`.
    pub fn get(&self, rule: FirstTokenRule) -> Option<f64> {
        match rule {
            FirstTokenRule::FirstByte => self.first_byte,
            FirstTokenRule::FirstEvent => self.first_event,
            FirstTokenRule::FirstChoices => self.first_choices,
            FirstTokenRule::FirstContent => self.first_content,
            FirstTokenRule::FirstAnswer => self.first_answer,
            FirstTokenRule::FirstPaint => self.first_paint,
        }
    }
}

/// Every metric of one response. Times are ms (f64, µs precision) after request start unless named
/// otherwise; `None` (JSON `null`) = undefined for this response, never 0 or NaN. See docs/METRICS.md.
/// `Default` is the empty report [`crate::metrics::Recorder::report`] fills section by section.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseReport {
    /// The rule `ttftMs` uses.
    pub first_token_rule: FirstTokenRule,
    /// TTFT under `firstTokenRule`.
    pub ttft_ms: Option<f64>,
    /// TTFT under every rule.
    pub ttft_by_rule: TtftByRule,
    /// Response headers − request start.
    pub ttfb_ms: Option<f64>,
    /// First paint with visible text − request start.
    pub perceived_ttft_ms: Option<f64>,
    /// First paint with visible text − the user's send action (when marked).
    pub perceived_ttft_from_send_ms: Option<f64>,
    /// Why perceived metrics are invalid (e.g. `"page-hidden"`); aggregates skip them when set.
    pub perceived_invalid_reason: Option<String>,
    /// `all`, or `first` when only the first paint was timed (the other paint metrics are then `null`).
    pub paint_scope: PaintScope,
    /// Last content/reasoning chunk − request start (AIPerf request latency).
    pub e2e_last_content_ms: Option<f64>,
    /// Stream end (`end()`) − request start.
    pub e2e_stream_end_ms: Option<f64>,
    /// Output tokens N (see `tokenSource`).
    pub output_tokens: Option<u64>,
    /// Where N came from.
    pub token_source: Option<TokenSource>,
    /// Input tokens from usage.
    pub input_tokens: Option<u64>,
    /// Reasoning tokens from usage.
    pub reasoning_tokens: Option<u64>,
    /// (t_last − t_first) / (N − 1), first/last content chunk (vLLM/MLPerf/AIPerf/GenAI-Perf TPOT/ITL); N ≥ 2.
    pub tpot_ms: Option<f64>,
    /// GuideLLM ITL = (t_last − t_first) / (N − 1); numerically equal to `tpotMs`.
    pub guidellm_itl_ms: Option<f64>,
    /// GuideLLM TPOT = (t_last − t_start) / N; N ≥ 1.
    pub guidellm_tpot_ms: Option<f64>,
    /// (N − 1) / (t_last − t_first) in tokens/s (after the first token).
    pub decode_tokens_per_second: Option<f64>,
    /// N / (t_last − t_start) in tokens/s (end to end).
    pub output_tokens_per_second: Option<f64>,
    /// Chunks (reads that carried text of any kind).
    pub chunk_count: u64,
    /// Chunks carrying content or reasoning text.
    pub output_chunk_count: u64,
    /// Framed messages decoded.
    pub event_count: u64,
    /// Body bytes read.
    pub bytes: u64,
    /// Answer chars.
    pub content_chars: u64,
    /// Reasoning chars.
    pub reasoning_chars: u64,
    /// Tool-call argument chars.
    pub tool_chars: u64,
    /// Other chars.
    pub other_chars: u64,
    /// Gaps between consecutive output chunks (AIPerf ICL, OTel time_per_output_chunk).
    pub gap_count: u64,
    /// Mean gap.
    pub gap_mean_ms: Option<f64>,
    /// Population stddev of the gaps; ≥ 2 gaps.
    pub gap_jitter_ms: Option<f64>,
    /// Gap stddev / mean; ≥ 2 gaps and mean > 0.
    pub gap_cv: Option<f64>,
    /// Median gap (HdrHistogram, ±0.1 %).
    pub gap_p50_ms: Option<f64>,
    /// 95th percentile gap.
    pub gap_p95_ms: Option<f64>,
    /// 99th percentile gap.
    pub gap_p99_ms: Option<f64>,
    /// Largest gap (exact).
    pub gap_max_ms: Option<f64>,
    /// Gaps above the histogram range (1 h); in the stats above, missing from the percentiles.
    pub gaps_out_of_range: u64,
    /// The stall threshold used.
    pub stall_threshold_ms: f64,
    /// Gaps ≥ the threshold; `null` when the threshold is invalid.
    pub stall_count: Option<u64>,
    /// Sum of stalling gaps.
    pub stall_total_ms: Option<f64>,
    /// Longest stalling gap; `null` without stalls.
    pub stall_longest_ms: Option<f64>,
    /// Etalon fluidity-index in [0, 1].
    pub fluidity_index: Option<f64>,
    /// Missed token deadlines (Etalon).
    pub fluidity_missed_deadlines: u64,
    /// Token deadlines in total (Etalon).
    pub fluidity_total_deadlines: u64,
    /// Andes reading-pace QoE in [0, 1].
    pub qoe: Option<f64>,
    /// Largest share of output chars that arrived in one chunk.
    pub burst_share_chunk: Option<f64>,
    /// Largest share of visible chars that appeared in one paint.
    pub burst_share_paint: Option<f64>,
    /// Paint calls.
    pub paint_count: u64,
    /// Mean chars made visible per growing paint.
    pub chars_per_paint_mean: Option<f64>,
    /// Most chars one paint made visible.
    pub chars_per_paint_max: Option<u64>,
    /// Chunks whose render lag is known.
    pub render_lag_count: u64,
    /// Median render lag (chunk arrival → first paint showing it).
    pub render_lag_p50_ms: Option<f64>,
    /// 95th percentile render lag.
    pub render_lag_p95_ms: Option<f64>,
    /// Largest render lag.
    pub render_lag_max_ms: Option<f64>,
    /// Rendered frames seen while the response was live (`null` when the page reported none).
    pub frame_count: Option<u64>,
    /// Frames that started after answer text arrived and still did not show it (`null` without frames).
    pub unpainted_frame_count: Option<u64>,
    /// Long animation frames (≥ 50 ms) overlapping the stream; `null` when the browser has no LoAF.
    pub long_frame_count: Option<u64>,
    /// Sum of their durations.
    pub long_frame_total_ms: Option<f64>,
    /// Sum of their blocking durations (LoAF `blockingDuration`).
    pub long_frame_blocking_ms: Option<f64>,
    /// Longest one; `null` without long frames.
    pub long_frame_max_ms: Option<f64>,
    /// Input × input price + output × output price (prices in USD per million tokens); needs
    /// prices, input and output tokens.
    pub cost_usd: Option<f64>,
    /// `costUsd / outputTokens × 1000`: what 1000 output tokens cost with this response's input
    /// share; output tokens ≥ 1.
    pub cost_per_1k_output_tokens_usd: Option<f64>,
    /// `outputTokensPerSecond / costUsd`; cost > 0.
    pub output_tokens_per_second_per_usd: Option<f64>,
    /// Why the model stopped, as the wire says it (`stop`, `length`, `end_turn`, `max_tokens`,
    /// `tool_calls`, `completed`, …; the last one given); `null` when the wire gave none.
    pub finish_reason: Option<String>,
    /// The finish reason says the answer was cut by the output-token limit (`length`,
    /// `max_tokens`, `max_output_tokens`); `null` without a finish reason.
    pub cut_by_length: Option<bool>,
    /// How it ended; `null` while live.
    pub outcome: Option<Outcome>,
    /// Error class from `end()` or the stream.
    pub error_class: Option<String>,
    /// HTTP status of the response headers.
    pub http_status: Option<u16>,
    /// The format's end marker was seen.
    pub end_marker_seen: bool,
    /// Messages that could not be parsed.
    pub parse_errors: u64,
    /// Lines dropped for exceeding the line cap.
    pub oversized_lines: u64,
    /// Problems with the measurement found at the end (codes, see [`ReportDiagnostic`]); empty
    /// while live and when there are none.
    pub diagnostics: Vec<ReportDiagnostic>,
    /// Raw records were dropped at `timelineCap` (metrics are still exact).
    pub timeline_truncated: bool,
    /// Raw chunk and paint records.
    pub timeline: Timeline,
    /// Web-vitals style ratings of the headline metrics that are defined.
    pub ratings: Map<String, Rating>,
    /// Every gap in µs, for pooling across responses (not serialized).
    #[serde(skip)]
    pub gap_histogram: CountingHistogram,
    /// Every render lag in µs, for pooling (not serialized).
    #[serde(skip)]
    pub render_lag_histogram: CountingHistogram,
}
