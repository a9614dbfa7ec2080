//! Turns a [`Recorder`]'s online state into a [`ResponseReport`].

use std::collections::BTreeMap;

use super::histogram::CountingHistogram;
use super::names::{Outcome, is_length_limit};
use super::recorder::Recorder;
use super::report::{PaintScope, ResponseReport, TokenSource, TtftByRule};
use crate::time::Micros;

fn us_to_ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// `num / den` when both are finite and `den > 0`.
fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0 && num.is_finite() && den.is_finite()).then(|| num / den)
}

impl Recorder {
    fn offset_ms(&self, at: Option<Micros>) -> Option<f64> {
        at.map(|t| t.since(self.start).as_ms())
    }

    fn is_http_error(&self) -> bool {
        matches!(self.end, Some((_, Outcome::HttpError)))
            || self.http_status.is_some_and(|s| s >= 400)
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
        let output_chars = self.chars[0] + self.chars[1];
        if let Some(n) = self.usage.output_tokens {
            (Some(n), Some(TokenSource::Usage))
        } else if self.event_tokens > 0 || output_chars == 0 {
            (Some(self.event_tokens), Some(TokenSource::Events))
        } else {
            (Some(output_chars.div_ceil(4)), Some(TokenSource::Estimate))
        }
    }

    /// The report so far: callable at any time (live) and after [`Recorder::end`].
    pub fn report(&self) -> ResponseReport {
        let by_rule = self.ttft_by_rule();
        let (n, token_source) = self.output_tokens();
        let first_us = self
            .first_output_at
            .map(|t| t.since(self.start).as_micros());
        let last_us = self.last_output_at.map(|t| t.since(self.start).as_micros());
        let span_us = match (first_us, last_us) {
            (Some(f), Some(l)) => Some(l.saturating_sub(f)),
            _ => None,
        };
        let n_f = n.map(|v| v as f64);
        let per_token_after_first = |n: f64| (n >= 2.0).then_some(n - 1.0);
        let tpot_ms = match (span_us, n_f.and_then(per_token_after_first)) {
            (Some(span), Some(k)) => Some(us_to_ms(span) / k),
            _ => None,
        };
        let n_pos = n_f.filter(|&v| v >= 1.0);
        let guidellm_tpot_ms = last_us.zip(n_pos).map(|(l, n)| us_to_ms(l) / n);
        let decode_tps = span_us
            .zip(n_f.and_then(per_token_after_first))
            .and_then(|(s, k)| ratio(k, s as f64 / 1e6));
        let output_tps = last_us
            .zip(n_pos)
            .and_then(|(l, n)| ratio(n, l as f64 / 1e6));
        let cost_usd = match (self.config.cost, self.usage.input_tokens, n) {
            (Some(c), Some(input), Some(out)) => Some(
                input as f64 * c.input_usd_per_mtok / 1e6
                    + out as f64 * c.output_usd_per_mtok / 1e6,
            )
            .filter(|v| v.is_finite()),
            _ => None,
        };
        let gaps = &self.gaps;
        let gap_q = |q: f64| gaps.histogram.quantile(q).map(us_to_ms);
        let stalls_on = gaps.counts_stalls();
        let paint = &self.paint;
        let frames = &self.frames;
        let all_paints = self.paint_scope == PaintScope::All;
        let long_on = frames.long_observed;
        let output_chars = self.chars[0] + self.chars[1];
        let mut report = ResponseReport {
            first_token_rule: self.config.first_token_rule,
            ttft_ms: by_rule.get(self.config.first_token_rule),
            ttft_by_rule: by_rule,
            ttfb_ms: self.offset_ms(self.headers_at),
            perceived_ttft_ms: by_rule.first_paint,
            perceived_ttft_from_send_ms: match (self.send_action, paint.first_visible_at) {
                (Some(s), Some(p)) if !self.is_http_error() => Some(p.since(s).as_ms()),
                _ => None,
            },
            perceived_invalid_reason: self.perceived_invalid.clone(),
            paint_scope: self.paint_scope,
            e2e_last_content_ms: last_us.map(us_to_ms),
            e2e_stream_end_ms: self.offset_ms(self.end.map(|(at, _)| at)),
            output_tokens: n,
            token_source,
            input_tokens: self.usage.input_tokens,
            reasoning_tokens: self.usage.reasoning_tokens,
            tpot_ms,
            guidellm_itl_ms: tpot_ms,
            guidellm_tpot_ms,
            decode_tokens_per_second: decode_tps,
            output_tokens_per_second: output_tps,
            chunk_count: self.chunk_count,
            output_chunk_count: self.output_chunk_count,
            event_count: self.events,
            bytes: self.bytes_total,
            content_chars: self.chars[0],
            reasoning_chars: self.chars[1],
            tool_chars: self.chars[2],
            other_chars: self.chars[3],
            gap_count: gaps.count,
            gap_mean_ms: gaps.mean_us().map(|v| v / 1000.0),
            gap_jitter_ms: gaps.stddev_us().map(|v| v / 1000.0),
            gap_cv: gaps.cv(),
            gap_p50_ms: gap_q(0.5),
            gap_p95_ms: gap_q(0.95),
            gap_p99_ms: gap_q(0.99),
            gap_max_ms: (gaps.count > 0).then(|| us_to_ms(gaps.max_us)),
            gaps_out_of_range: gaps.histogram.out_of_range,
            stall_threshold_ms: self.config.stall_threshold_ms,
            stall_count: stalls_on.then_some(gaps.stall_count),
            stall_total_ms: stalls_on.then(|| us_to_ms(gaps.stall_total_us)),
            stall_longest_ms: (stalls_on && gaps.stall_count > 0)
                .then(|| us_to_ms(gaps.stall_longest_us)),
            fluidity_index: self.fluidity.index(),
            fluidity_missed_deadlines: self.fluidity.counts().0,
            fluidity_total_deadlines: self.fluidity.counts().1,
            qoe: self.qoe.value(),
            burst_share_chunk: ratio(self.largest_chunk_output_chars as f64, output_chars as f64),
            burst_share_paint: all_paints.then(|| paint.burst_share()).flatten(),
            paint_count: paint.paints,
            chars_per_paint_mean: all_paints.then(|| paint.chars_per_paint_mean()).flatten(),
            chars_per_paint_max: (all_paints && paint.growing_paints > 0)
                .then_some(paint.largest_burst_chars),
            render_lag_count: if all_paints {
                paint.lag.histogram.len()
            } else {
                0
            },
            render_lag_p50_ms: all_paints
                .then(|| paint.lag.quantile(0.5))
                .flatten()
                .map(us_to_ms),
            render_lag_p95_ms: all_paints
                .then(|| paint.lag.quantile(0.95))
                .flatten()
                .map(us_to_ms),
            render_lag_max_ms: (all_paints && !paint.lag.histogram.is_empty())
                .then(|| us_to_ms(paint.lag_max_us)),
            frame_count: (all_paints && frames.frames > 0).then_some(frames.frames),
            unpainted_frame_count: (all_paints && frames.frames > 0)
                .then_some(frames.unpainted_frames),
            long_frame_count: long_on.then_some(frames.long_frames),
            long_frame_total_ms: long_on.then(|| us_to_ms(frames.long_total_us)),
            long_frame_blocking_ms: long_on.then(|| us_to_ms(frames.long_blocking_us)),
            long_frame_max_ms: (long_on && frames.long_frames > 0)
                .then(|| us_to_ms(frames.long_max_us)),
            cost_usd,
            cost_per_1k_output_tokens_usd: cost_usd
                .zip(n_pos)
                .and_then(|(c, n)| ratio(c * 1000.0, n)),
            finish_reason: self.finish_reason.clone(),
            cut_by_length: self.finish_reason.as_deref().map(is_length_limit),
            output_tokens_per_second_per_usd: output_tps
                .zip(cost_usd)
                .and_then(|(t, c)| ratio(t, c)),
            outcome: self.end.map(|(_, o)| o),
            error_class: self.error_class.clone(),
            http_status: self.http_status,
            end_marker_seen: self.end_marker_seen,
            parse_errors: self.parse_errors,
            oversized_lines: self.oversized_lines,
            timeline_truncated: self.timeline.truncated,
            timeline: self.timeline.clone(),
            ratings: BTreeMap::new(),
            gap_histogram: gaps.histogram.clone(),
            render_lag_histogram: if all_paints {
                paint.lag.clone()
            } else {
                CountingHistogram::compact()
            },
        };
        report.ratings = self.config.ratings.rate_report(&report);
        report
    }
}
