//! Turns a [`Recorder`]'s online state into a [`ResponseReport`], one responsibility per function:
//! TTFT, tokens and rates, volume, gaps and stalls, smoothness, paints (under the paint scope), long
//! frames, cost, and how the response ended. Each fills its own fields of the report.

use super::config::CostConfig;
use super::frames::FrameStats;
use super::gap_stats::GapStats;
use super::histogram::CountingHistogram;
use super::names::{Outcome, is_length_limit};
use super::paint::PaintStats;
use super::recorder::Recorder;
use super::report::{PaintScope, ReportDiagnostic, ResponseReport, TokenSource, TtftByRule};
use crate::time::Micros;

fn us_to_ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// `num / den` when both are finite and `den > 0`.
fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0 && num.is_finite() && den.is_finite()).then(|| num / den)
}

/// TPOT and throughput from the first and last output chunk (µs after request start) and N tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct TokenRates {
    tpot_ms: Option<f64>,
    guidellm_tpot_ms: Option<f64>,
    decode_tokens_per_second: Option<f64>,
    output_tokens_per_second: Option<f64>,
}

fn token_rates(first_us: Option<u64>, last_us: Option<u64>, n: Option<u64>) -> TokenRates {
    let span_us = first_us.zip(last_us).map(|(f, l)| l.saturating_sub(f));
    let n = n.map(|v| v as f64);
    // Tokens after the first one: the intervals TPOT divides by (N >= 2).
    let after_first = n.filter(|&v| v >= 2.0).map(|v| v - 1.0);
    let n_pos = n.filter(|&v| v >= 1.0);
    TokenRates {
        tpot_ms: span_us.zip(after_first).map(|(s, k)| us_to_ms(s) / k),
        guidellm_tpot_ms: last_us.zip(n_pos).map(|(l, n)| us_to_ms(l) / n),
        decode_tokens_per_second: span_us
            .zip(after_first)
            .and_then(|(s, k)| ratio(k, s as f64 / 1e6)),
        output_tokens_per_second: last_us
            .zip(n_pos)
            .and_then(|(l, n)| ratio(n, l as f64 / 1e6)),
    }
}

/// Input × input price + output × output price; `None` without prices or either token count.
fn cost_usd(cost: Option<CostConfig>, input: Option<u64>, output: Option<u64>) -> Option<f64> {
    let (c, input, output) = (cost?, input?, output?);
    Some(input as f64 * c.input_usd_per_mtok / 1e6 + output as f64 * c.output_usd_per_mtok / 1e6)
        .filter(|v| v.is_finite())
}

/// Gap statistics and stalls; the stall fields are `null` when the stall threshold is invalid.
fn put_gaps(r: &mut ResponseReport, gaps: &GapStats) {
    let q = |q: f64| gaps.histogram.quantile(q).map(us_to_ms);
    r.gap_count = gaps.count;
    r.gap_mean_ms = gaps.mean_us().map(|v| v / 1000.0);
    r.gap_jitter_ms = gaps.stddev_us().map(|v| v / 1000.0);
    r.gap_cv = gaps.cv();
    r.gap_p50_ms = q(0.5);
    r.gap_p95_ms = q(0.95);
    r.gap_p99_ms = q(0.99);
    r.gap_max_ms = (gaps.count > 0).then(|| us_to_ms(gaps.max_us));
    r.gaps_out_of_range = gaps.histogram.out_of_range;
    r.gap_histogram = gaps.histogram.clone();
    let stalls_on = gaps.counts_stalls();
    r.stall_count = stalls_on.then_some(gaps.stall_count);
    r.stall_total_ms = stalls_on.then(|| us_to_ms(gaps.stall_total_us));
    r.stall_longest_ms =
        (stalls_on && gaps.stall_count > 0).then(|| us_to_ms(gaps.stall_longest_us));
}

/// The paint-scope rule: paint metrics beyond the first paint (bursts, chars per paint, render lag,
/// frame counts) exist only when every paint was timed (`PaintScope::All`); with `First` they are
/// `null` (counts 0, empty lag histogram), since the page stopped timing after the first paint.
fn put_paints(r: &mut ResponseReport, paint: &PaintStats, frames: &FrameStats, scope: PaintScope) {
    r.paint_scope = scope;
    r.paint_count = paint.paints;
    if scope != PaintScope::All {
        r.render_lag_histogram = CountingHistogram::compact();
        return;
    }
    r.burst_share_paint = paint.burst_share();
    r.chars_per_paint_mean = paint.chars_per_paint_mean();
    r.chars_per_paint_max = (paint.growing_paints > 0).then_some(paint.largest_burst_chars);
    r.render_lag_count = paint.lag.histogram.len();
    r.render_lag_p50_ms = paint.lag.quantile(0.5).map(us_to_ms);
    r.render_lag_p95_ms = paint.lag.quantile(0.95).map(us_to_ms);
    r.render_lag_max_ms = (!paint.lag.histogram.is_empty()).then(|| us_to_ms(paint.lag_max_us));
    r.render_lag_histogram = paint.lag.clone();
    r.frame_count = (frames.frames > 0).then_some(frames.frames);
    r.unpainted_frame_count = (frames.frames > 0).then_some(frames.unpainted_frames);
}

/// Long animation frames: `null` unless the page observed them (the browser supports LoAF), in any
/// paint scope (they are counted for the whole stream, not per paint).
fn put_long_frames(r: &mut ResponseReport, frames: &FrameStats) {
    let on = frames.long_observed;
    r.long_frame_count = on.then_some(frames.long_frames);
    r.long_frame_total_ms = on.then(|| us_to_ms(frames.long_total_us));
    r.long_frame_blocking_ms = on.then(|| us_to_ms(frames.long_blocking_us));
    r.long_frame_max_ms = (on && frames.long_frames > 0).then(|| us_to_ms(frames.long_max_us));
}

impl Recorder {
    fn offset_ms(&self, at: Option<Micros>) -> Option<f64> {
        at.map(|t| t.since(self.start).as_ms())
    }

    fn offset_us(&self, at: Option<Micros>) -> Option<u64> {
        at.map(|t| t.since(self.start).as_micros())
    }

    fn is_http_error(&self) -> bool {
        matches!(self.end, Some((_, Outcome::HttpError)))
            || self.http_status.is_some_and(|s| s >= 400)
    }

    fn output_chars(&self) -> u64 {
        self.chars[0] + self.chars[1]
    }

    fn ttft_by_rule(&self) -> TtftByRule {
        if self.is_http_error() {
            return TtftByRule::default();
        }
        TtftByRule {
            first_byte: self.offset_ms(self.first_byte_at),
            first_event: self.offset_ms(self.first_event_at),
            first_choices: self.offset_ms(self.first_choices_at),
            first_content: self.offset_ms(self.first_output_at),
            first_answer: self.offset_ms(self.first_answer_at),
            first_paint: self.offset_ms(self.paint.first_visible_at),
        }
    }

    /// Output tokens N and where they came from.
    fn output_tokens(&self) -> (Option<u64>, Option<TokenSource>) {
        let output_chars = self.output_chars();
        if let Some(n) = self.usage.output_tokens {
            (Some(n), Some(TokenSource::Usage))
        } else if self.event_tokens > 0 || output_chars == 0 {
            (Some(self.event_tokens), Some(TokenSource::Events))
        } else {
            (Some(output_chars.div_ceil(4)), Some(TokenSource::Estimate))
        }
    }

    /// TTFT under every rule, TTFB and perceived TTFT (all `null` on an HTTP error but TTFB).
    fn put_ttft(&self, r: &mut ResponseReport) {
        let by_rule = self.ttft_by_rule();
        r.first_token_rule = self.config.first_token_rule;
        r.ttft_ms = by_rule.get(self.config.first_token_rule);
        r.ttft_by_rule = by_rule;
        r.ttfb_ms = self.offset_ms(self.headers_at);
        r.perceived_ttft_ms = by_rule.first_paint;
        r.perceived_ttft_from_send_ms = match (self.send_action, self.paint.first_visible_at) {
            (Some(s), Some(p)) if !self.is_http_error() => Some(p.since(s).as_ms()),
            _ => None,
        };
        r.perceived_invalid_reason = self.perceived_invalid.clone();
    }

    /// Token counts, latencies to the last content and the stream end, TPOT and throughput.
    fn put_tokens(&self, r: &mut ResponseReport) {
        let (n, token_source) = self.output_tokens();
        let last_us = self.offset_us(self.last_output_at);
        let rates = token_rates(self.offset_us(self.first_output_at), last_us, n);
        r.e2e_last_content_ms = last_us.map(us_to_ms);
        r.e2e_stream_end_ms = self.offset_ms(self.end.map(|(at, _)| at));
        r.output_tokens = n;
        r.token_source = token_source;
        r.input_tokens = self.usage.input_tokens;
        r.reasoning_tokens = self.usage.reasoning_tokens;
        r.tpot_ms = rates.tpot_ms;
        r.guidellm_itl_ms = rates.tpot_ms;
        r.guidellm_tpot_ms = rates.guidellm_tpot_ms;
        r.decode_tokens_per_second = rates.decode_tokens_per_second;
        r.output_tokens_per_second = rates.output_tokens_per_second;
    }

    /// How much arrived: chunks, events, bytes and chars per kind.
    fn put_volume(&self, r: &mut ResponseReport) {
        r.chunk_count = self.chunk_count;
        r.output_chunk_count = self.output_chunk_count;
        r.event_count = self.events;
        r.bytes = self.bytes_total;
        [
            r.content_chars,
            r.reasoning_chars,
            r.tool_chars,
            r.other_chars,
        ] = self.chars;
    }

    /// Etalon fluidity, Andes QoE and the largest chunk's share of the output.
    fn put_smoothness(&self, r: &mut ResponseReport) {
        r.stall_threshold_ms = self.config.stall_threshold_ms;
        r.fluidity_index = self.fluidity.index();
        (r.fluidity_missed_deadlines, r.fluidity_total_deadlines) = self.fluidity.counts();
        r.qoe = self.qoe.value();
        r.burst_share_chunk = ratio(
            self.largest_chunk_output_chars as f64,
            self.output_chars() as f64,
        );
    }

    /// Cost, cost per 1000 output tokens, and throughput per dollar (needs [`Recorder::put_tokens`] first).
    fn put_cost(&self, r: &mut ResponseReport) {
        r.cost_usd = cost_usd(self.config.cost, self.usage.input_tokens, r.output_tokens);
        r.cost_per_1k_output_tokens_usd = r
            .cost_usd
            .zip(r.output_tokens.filter(|&n| n >= 1))
            .and_then(|(c, n)| ratio(c * 1000.0, n as f64));
        r.output_tokens_per_second_per_usd = r
            .output_tokens_per_second
            .zip(r.cost_usd)
            .and_then(|(t, c)| ratio(t, c));
    }

    /// Outcome, finish reason, errors, decoder diagnostics and the raw timeline.
    fn put_ending(&self, r: &mut ResponseReport) {
        r.outcome = self.end.map(|(_, o)| o);
        r.error_class = self.error_class.clone();
        r.http_status = self.http_status;
        r.end_marker_seen = self.end_marker_seen;
        r.finish_reason = self.finish_reason.clone();
        r.cut_by_length = self.finish_reason.as_deref().map(is_length_limit);
        r.parse_errors = self.parse_errors;
        r.oversized_lines = self.oversized_lines;
        r.diagnostics = self.diagnostics();
        r.timeline_truncated = self.timeline.truncated;
        r.timeline = self.timeline.clone();
    }

    /// Measurement problems visible once the response ended (see [`ReportDiagnostic`]).
    fn diagnostics(&self) -> Vec<ReportDiagnostic> {
        // Only a stream that finished: a truncated or broken one explains its missing text itself.
        let completed = matches!(self.end, Some((_, Outcome::Complete))) && !self.is_http_error();
        let any_text = self.chars.iter().any(|&c| c > 0);
        let mut found = Vec::new();
        if completed && self.events > 0 && !any_text {
            found.push(ReportDiagnostic::EventsWithoutText);
        }
        found
    }

    /// The report so far: callable at any time (live) and after [`Recorder::end`].
    pub fn report(&self) -> ResponseReport {
        let mut r = ResponseReport::default();
        self.put_ttft(&mut r);
        self.put_tokens(&mut r);
        self.put_volume(&mut r);
        put_gaps(&mut r, &self.gaps);
        self.put_smoothness(&mut r);
        put_paints(&mut r, &self.paint, &self.frames, self.paint_scope);
        put_long_frames(&mut r, &self.frames);
        self.put_cost(&mut r);
        self.put_ending(&mut r);
        r.ratings = self.config.ratings.rate_report(&r);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two growing paints (3 then 5 chars) with a render lag of 2 ms, and 4 frames (1 unpainted).
    fn painted() -> (PaintStats, FrameStats) {
        let mut p = PaintStats::default();
        p.content_arrived(Micros(1_000), 3);
        p.paint(Micros(3_000), 3);
        p.content_arrived(Micros(4_000), 5);
        p.paint(Micros(6_000), 5);
        let mut f = FrameStats::default();
        for waiting in [false, true, false, false] {
            f.frame(waiting);
        }
        (p, f)
    }

    /// The paint fields of [`painted`] under `scope`.
    fn painted_report(scope: PaintScope) -> ResponseReport {
        let (p, f) = painted();
        let mut r = ResponseReport::default();
        put_paints(&mut r, &p, &f, scope);
        r
    }

    #[test]
    fn every_paint_scope_reports_bursts_lag_and_frames() {
        let r = painted_report(PaintScope::All);
        assert_eq!(r.paint_scope, PaintScope::All);
        assert_eq!(r.paint_count, 2);
        assert_eq!(r.burst_share_paint, Some(3.0 / 5.0));
        assert_eq!(r.chars_per_paint_mean, Some(2.5));
        assert_eq!(r.chars_per_paint_max, Some(3));
        assert_eq!(r.render_lag_count, 2);
        assert_eq!(r.render_lag_max_ms, Some(2.0));
        assert!((r.render_lag_p50_ms.unwrap() - 2.0).abs() < 0.01);
        assert_eq!(r.render_lag_histogram.histogram.len(), 2);
        assert_eq!((r.frame_count, r.unpainted_frame_count), (Some(4), Some(1)));
    }

    #[test]
    fn first_paint_scope_nulls_everything_past_the_first_paint() {
        let r = painted_report(PaintScope::First);
        assert_eq!(r.paint_scope, PaintScope::First);
        assert_eq!(r.paint_count, 2, "paint calls are still counted");
        assert_eq!(r.burst_share_paint, None);
        assert_eq!(r.chars_per_paint_mean, None);
        assert_eq!(r.chars_per_paint_max, None);
        assert_eq!(r.render_lag_count, 0);
        assert_eq!(
            (
                r.render_lag_p50_ms,
                r.render_lag_p95_ms,
                r.render_lag_max_ms
            ),
            (None, None, None)
        );
        assert!(r.render_lag_histogram.histogram.is_empty());
        assert_eq!((r.frame_count, r.unpainted_frame_count), (None, None));
    }

    #[test]
    fn no_frames_reported_means_null_frame_counts() {
        let (p, _) = painted();
        let mut r = ResponseReport::default();
        put_paints(&mut r, &p, &FrameStats::default(), PaintScope::All);
        assert_eq!((r.frame_count, r.unpainted_frame_count), (None, None));
    }

    #[test]
    fn long_frames_are_null_unless_observed_and_max_needs_one() {
        let mut f = FrameStats::default();
        let mut r = ResponseReport::default();
        put_long_frames(&mut r, &f);
        assert_eq!((r.long_frame_count, r.long_frame_total_ms), (None, None));
        f.long_observed = true;
        put_long_frames(&mut r, &f);
        assert_eq!(r.long_frame_count, Some(0));
        assert_eq!(r.long_frame_total_ms, Some(0.0));
        assert_eq!(r.long_frame_max_ms, None);
        f.long_frame(Micros(0), 80.0, 30.0, Micros(0), None);
        put_long_frames(&mut r, &f);
        assert_eq!(r.long_frame_count, Some(1));
        assert_eq!(r.long_frame_max_ms, Some(80.0));
        assert_eq!(r.long_frame_blocking_ms, Some(30.0));
    }

    #[test]
    fn token_rates_need_two_tokens_for_tpot_and_one_for_throughput() {
        // First output at 100 ms, last at 400 ms, 4 tokens: 3 intervals of 100 ms.
        let r = token_rates(Some(100_000), Some(400_000), Some(4));
        assert_eq!(r.tpot_ms, Some(100.0));
        assert_eq!(r.guidellm_tpot_ms, Some(100.0));
        assert_eq!(r.decode_tokens_per_second, Some(10.0));
        assert_eq!(r.output_tokens_per_second, Some(10.0));
        let one = token_rates(Some(100_000), Some(100_000), Some(1));
        assert_eq!((one.tpot_ms, one.decode_tokens_per_second), (None, None));
        assert_eq!(one.guidellm_tpot_ms, Some(100.0));
        assert_eq!(token_rates(None, None, Some(0)), TokenRates::default());
    }

    #[test]
    fn events_without_any_text_are_a_diagnostic_once_the_stream_ended() {
        use crate::metrics::MetricsConfig;
        use crate::signal::{DeltaKind, Signal};
        let events_only = || {
            let mut r = Recorder::new(MetricsConfig::default(), Micros(0));
            for at in [10, 20] {
                r.signal(Micros(at), &Signal::Message { has_choices: false });
            }
            r
        };
        let mut live = events_only();
        assert!(live.report().diagnostics.is_empty(), "not while live");
        live.end(Micros(30), Outcome::Complete, None);
        assert_eq!(
            live.report().diagnostics,
            [ReportDiagnostic::EventsWithoutText]
        );
        let mut truncated = events_only();
        truncated.end(Micros(30), Outcome::Truncated, None);
        assert!(
            truncated.report().diagnostics.is_empty(),
            "the cut explains it"
        );
        let mut aborted = events_only();
        aborted.end(Micros(30), Outcome::Aborted, None);
        assert!(
            aborted.report().diagnostics.is_empty(),
            "the user stopped it"
        );
        let mut tool_only = events_only();
        let delta = Signal::Delta {
            kind: DeltaKind::Tool,
            text: "{}",
            tokens: None,
        };
        tool_only.signal(Micros(25), &delta);
        tool_only.end(Micros(30), Outcome::Complete, None);
        assert!(
            tool_only.report().diagnostics.is_empty(),
            "tool text is text"
        );
        let mut empty = Recorder::new(MetricsConfig::default(), Micros(0));
        empty.end(Micros(30), Outcome::Complete, None);
        assert!(
            empty.report().diagnostics.is_empty(),
            "no events: nothing to doubt"
        );
    }

    #[test]
    fn cost_needs_prices_and_both_token_counts() {
        let c = CostConfig {
            input_usd_per_mtok: 2.0,
            output_usd_per_mtok: 8.0,
        };
        assert_eq!(cost_usd(Some(c), Some(1_000_000), Some(500_000)), Some(6.0));
        assert_eq!(cost_usd(None, Some(1), Some(1)), None);
        assert_eq!(cost_usd(Some(c), None, Some(1)), None);
        assert_eq!(cost_usd(Some(c), Some(1), None), None);
    }
}
