//! Hand-computed timelines with exact expected values for every metric of the per-response report.

use chat_vitals::aggregate::{Aggregate, AggregateConfig};
use chat_vitals::metrics::{
    CostConfig, FirstTokenRule, MetricsConfig, Outcome, Recorder, ResponseReport, TokenSource,
};
use chat_vitals::rating::Rating;
use chat_vitals::signal::{DeltaKind, Signal, Usage};
use chat_vitals::time::Micros;

const START_MS: f64 = 1000.0;

/// Absolute time `offset_ms` after the request start.
fn at(offset_ms: f64) -> Micros {
    Micros::from_ms(START_MS + offset_ms).unwrap()
}

fn delta(kind: DeltaKind, text: &str, tokens: Option<u32>) -> Signal<'_> {
    Signal::Delta { kind, text, tokens }
}

fn content(text: &str) -> Signal<'_> {
    delta(DeltaKind::Content, text, None)
}

const MSG: Signal<'static> = Signal::Message { has_choices: true };

fn recorder(config: MetricsConfig) -> Recorder {
    Recorder::new(config, at(0.0))
}

#[track_caller]
fn close(actual: Option<f64>, expected: f64) {
    let a = actual.unwrap_or_else(|| panic!("expected {expected}, got None"));
    assert!(
        (a - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "expected {expected}, got {a}"
    );
}

/// Within one HdrHistogram bucket (relative 10^-3).
#[track_caller]
fn within_bucket(actual: Option<f64>, expected: f64) {
    let a = actual.unwrap_or_else(|| panic!("expected {expected}, got None"));
    assert!(
        (a - expected).abs() <= expected * 1e-3,
        "expected ≈{expected}, got {a}"
    );
}

/// Role-only first chunk, four content chunks (one stall), usage, paints, cost.
fn chat_stream() -> ResponseReport {
    let config = MetricsConfig {
        cost: Some(CostConfig {
            input_usd_per_mtok: 1.0,
            output_usd_per_mtok: 2.0,
        }),
        ..MetricsConfig::default()
    };
    let mut r = recorder(config);
    r.mark_send_action(at(-10.0));
    r.headers(at(100.0), 200);
    r.bytes(at(150.0), 50);
    r.signal(at(150.0), &MSG); // {"delta":{"role":"assistant"}}
    for (t, text) in [
        (300.0, "Hello"),
        (350.0, " world"),
        (400.0, "!"),
        (700.0, " Bye"),
    ] {
        r.bytes(at(t), 60);
        r.signal(at(t), &MSG);
        r.signal(at(t), &content(text));
        match t {
            300.0 => r.paint(at(320.0), 5),
            400.0 => r.paint(at(420.0), 12),
            700.0 => r.paint(at(720.0), 16),
            _ => {}
        }
    }
    r.signal(at(750.0), &Signal::Message { has_choices: false });
    let usage = Usage {
        input_tokens: Some(10),
        output_tokens: Some(4),
        reasoning_tokens: None,
    };
    r.signal(at(750.0), &Signal::Usage(usage));
    r.signal(at(760.0), &Signal::End);
    r.end(at(770.0), Outcome::Complete, None);
    r.report()
}

#[test]
fn ttft_under_every_rule() {
    let rep = chat_stream();
    let by = rep.ttft_by_rule;
    close(by.first_byte, 150.0);
    close(by.first_event, 150.0);
    close(by.first_choices, 150.0); // vLLM counts the role-only chunk
    close(by.first_content, 300.0); // GenAI-Perf/AIPerf do not
    close(by.first_answer, 300.0); // no reasoning: TTFO = TTFT
    close(by.first_paint, 320.0);
    assert_eq!(rep.first_token_rule, FirstTokenRule::FirstContent);
    close(rep.ttft_ms, 300.0);
    close(rep.ttfb_ms, 100.0);
    close(rep.perceived_ttft_ms, 320.0);
    close(rep.perceived_ttft_from_send_ms, 330.0);
}

#[test]
fn latency_tokens_and_throughput() {
    let rep = chat_stream();
    close(rep.e2e_last_content_ms, 700.0);
    close(rep.e2e_stream_end_ms, 770.0);
    assert_eq!(rep.output_tokens, Some(4));
    assert_eq!(rep.token_source, Some(TokenSource::Usage));
    assert_eq!(rep.input_tokens, Some(10));
    close(rep.tpot_ms, 400.0 / 3.0); // (700 − 300) / (4 − 1)
    close(rep.guidellm_itl_ms, 400.0 / 3.0);
    close(rep.guidellm_tpot_ms, 175.0); // 700 / 4
    close(rep.decode_tokens_per_second, 7.5); // 3 / 0.4 s
    close(rep.output_tokens_per_second, 4.0 / 0.7);
    close(rep.cost_usd, 10.0 * 1e-6 + 4.0 * 2e-6);
    close(rep.output_tokens_per_second_per_usd, (4.0 / 0.7) / 1.8e-5);
    assert_eq!(
        (rep.chunk_count, rep.output_chunk_count, rep.event_count),
        (4, 4, 6)
    );
    assert_eq!((rep.bytes, rep.content_chars), (50 + 4 * 60, 16));
    assert_eq!(rep.outcome, Some(Outcome::Complete));
    assert!(rep.end_marker_seen);
}

#[test]
fn gaps_stalls_and_smoothness() {
    let rep = chat_stream();
    // Gaps 50, 50, 300 ms.
    assert_eq!(rep.gap_count, 3);
    let mean = 400.0 / 3.0;
    close(rep.gap_mean_ms, mean);
    let var = [50.0f64, 50.0, 300.0]
        .iter()
        .map(|g| (g - mean).powi(2))
        .sum::<f64>()
        / 3.0;
    close(rep.gap_jitter_ms, var.sqrt());
    close(rep.gap_cv, var.sqrt() / mean);
    within_bucket(rep.gap_p50_ms, 50.0);
    within_bucket(rep.gap_p99_ms, 300.0);
    close(rep.gap_max_ms, 300.0);
    assert_eq!(rep.stall_count, Some(1));
    close(rep.stall_total_ms, 300.0);
    close(rep.stall_longest_ms, 300.0);
    // Etalon (D_p 100, D_d 50): TTFT 300 → 1 + (300 − 100) // 50 = 5 misses; 50, 50 hit;
    // 300 → 300 // 50 = 6 misses. 2 hits of 13.
    assert_eq!(
        (rep.fluidity_missed_deadlines, rep.fluidity_total_deadlines),
        (11, 13)
    );
    close(rep.fluidity_index, 2.0 / 13.0);
    // Digestion starts at 0.3 s at 4.8 tok/s and stays ahead of the expected curve (starts at 1 s).
    close(rep.qoe, 1.0);
    close(rep.burst_share_chunk, 6.0 / 16.0);
}

#[test]
fn paints_and_render_lag() {
    let rep = chat_stream();
    assert_eq!(rep.paint_count, 3);
    close(rep.chars_per_paint_mean, 16.0 / 3.0);
    assert_eq!(rep.chars_per_paint_max, Some(7));
    close(rep.burst_share_paint, 7.0 / 16.0);
    // Lags: 300→320 (20), 350→420 (70), 400→420 (20), 700→720 (20).
    assert_eq!(rep.render_lag_count, 4);
    within_bucket(rep.render_lag_p50_ms, 20.0);
    within_bucket(rep.render_lag_p95_ms, 70.0);
    close(rep.render_lag_max_ms, 70.0);
}

#[test]
fn ratings_and_json_shape() {
    let rep = chat_stream();
    assert_eq!(rep.ratings["ttft"], Rating::Good);
    assert_eq!(rep.ratings["tpot"], Rating::NeedsImprovement);
    assert_eq!(rep.ratings["fluidity"], Rating::Poor);
    assert_eq!(rep.ratings["qoe"], Rating::Good);
    assert_eq!(rep.ratings["stalls"], Rating::NeedsImprovement);
    let json = serde_json::to_value(&rep).unwrap();
    assert_eq!(json["firstTokenRule"], "first-content");
    assert_eq!(json["ttftMs"], 300.0);
    assert_eq!(json["ttftByRule"]["firstChoices"], 150.0);
    assert_eq!(json["tokenSource"], "usage");
    assert_eq!(json["stallTotalMs"], 300.0);
    assert_eq!(json["outcome"], "complete");
    assert_eq!(json["ratings"]["tpot"], "needs-improvement");
    assert_eq!(json["timelineTruncated"], false);
    let chunks = json["timeline"]["chunks"].as_array().unwrap();
    let offsets: Vec<f64> = chunks.iter().map(|c| c["atMs"].as_f64().unwrap()).collect();
    assert_eq!(offsets, [300.0, 350.0, 400.0, 700.0]);
    assert_eq!(chunks[0]["bytes"], 60);
    assert_eq!(chunks[0]["contentChars"], 5);
    assert_eq!(chunks[0]["kind"], "content");
    assert_eq!(json["timeline"]["paints"][1]["visibleChars"], 12);
    assert!(json.get("gapHistogram").is_none());
}

#[test]
fn zero_content_tokens() {
    let mut r = recorder(MetricsConfig::default());
    r.headers(at(50.0), 200);
    r.bytes(at(80.0), 30);
    r.signal(at(80.0), &MSG);
    r.signal(at(90.0), &Signal::End);
    r.end(at(95.0), Outcome::Complete, None);
    let rep = r.report();
    close(rep.ttft_by_rule.first_event, 80.0);
    assert_eq!(rep.ttft_ms, None);
    assert_eq!(rep.output_tokens, Some(0));
    assert_eq!(rep.token_source, Some(TokenSource::Events));
    assert_eq!(
        (
            rep.tpot_ms,
            rep.guidellm_tpot_ms,
            rep.output_tokens_per_second
        ),
        (None, None, None)
    );
    assert_eq!(
        (rep.e2e_last_content_ms, rep.gap_mean_ms, rep.gap_p50_ms),
        (None, None, None)
    );
    assert_eq!(
        (rep.fluidity_index, rep.qoe, rep.burst_share_chunk),
        (None, None, None)
    );
    assert_eq!((rep.stall_count, rep.stall_longest_ms), (Some(0), None));
    close(rep.e2e_stream_end_ms, 95.0);
    let json = serde_json::to_string(&rep).unwrap();
    assert!(json.contains("\"tpotMs\":null") && !json.contains("NaN"));
}

#[test]
fn one_token_has_no_tpot() {
    let mut r = recorder(MetricsConfig::default());
    r.signal(at(200.0), &content("Hi"));
    r.end(at(210.0), Outcome::Complete, None);
    let rep = r.report();
    assert_eq!(rep.output_tokens, Some(1));
    assert_eq!(
        (
            rep.tpot_ms,
            rep.guidellm_itl_ms,
            rep.decode_tokens_per_second
        ),
        (None, None, None)
    );
    close(rep.guidellm_tpot_ms, 200.0);
    close(rep.output_tokens_per_second, 5.0);
    assert_eq!(
        (rep.gap_count, rep.gap_jitter_ms, rep.gap_cv),
        (0, None, None)
    );
    close(rep.fluidity_index, 0.0); // 200 ms > 100 ms deadline: 1 + (200 − 100) // 50 = 3 misses
    close(rep.burst_share_chunk, 1.0);
    assert!(
        serde_json::to_string(&rep)
            .unwrap()
            .contains("\"tpotMs\":null")
    );
}

#[test]
fn multi_token_chunks() {
    let mut r = recorder(MetricsConfig::default());
    r.signal(at(100.0), &delta(DeltaKind::Content, "abcdefghij", Some(3)));
    r.signal(at(150.0), &delta(DeltaKind::Content, "klmnop", Some(2)));
    r.end(at(150.0), Outcome::Complete, None);
    let rep = r.report();
    assert_eq!(
        (rep.output_tokens, rep.token_source),
        (Some(5), Some(TokenSource::Events))
    );
    close(rep.tpot_ms, 12.5); // (150 − 100) / (5 − 1): extra tokens add no gap samples
    assert_eq!(rep.gap_count, 1);
    // 100 ≤ 100 hit; 2 tokens at gap 0 add 2 × 50 slack; 50 ≤ 50 + 100 hit; 1 more at gap 0.
    assert_eq!(
        (rep.fluidity_missed_deadlines, rep.fluidity_total_deadlines),
        (0, 5)
    );
    close(rep.fluidity_index, 1.0);
    assert_eq!(rep.timeline.chunks[0].tokens, Some(3));
}

#[test]
fn role_only_first_chunk_separates_first_choices_from_first_content() {
    let mut r = recorder(MetricsConfig {
        first_token_rule: FirstTokenRule::FirstChoices,
        ..Default::default()
    });
    r.signal(at(5.0), &MSG);
    r.signal(at(214.0), &MSG);
    r.signal(at(214.0), &content("x"));
    let rep = r.report();
    close(rep.ttft_ms, 5.0);
    close(rep.ttft_by_rule.first_content, 214.0);
    assert_eq!(rep.outcome, None); // live
}

#[test]
fn reasoning_before_answer() {
    let config = MetricsConfig {
        first_token_rule: FirstTokenRule::FirstAnswer,
        ..Default::default()
    };
    let mut r = recorder(config);
    r.signal(
        at(100.0),
        &delta(DeltaKind::Reasoning, "Let me think", None),
    );
    r.signal(at(200.0), &delta(DeltaKind::Reasoning, " hard.", None));
    r.signal(at(500.0), &content("Yes"));
    r.signal(at(600.0), &content("."));
    r.end(at(600.0), Outcome::Complete, None);
    let rep = r.report();
    close(rep.ttft_by_rule.first_content, 100.0);
    close(rep.ttft_by_rule.first_answer, 500.0); // AIPerf TTFO
    close(rep.ttft_ms, 500.0);
    assert_eq!((rep.reasoning_chars, rep.content_chars), (18, 4));
    assert_eq!(rep.output_tokens, Some(4));
    close(rep.tpot_ms, 500.0 / 3.0); // from the first output (reasoning) chunk
    assert_eq!(rep.stall_count, Some(1)); // 200 → 500
    close(rep.burst_share_chunk, 12.0 / 22.0);
}

#[test]
fn aborted_mid_stream() {
    let mut r = recorder(MetricsConfig::default());
    r.signal(at(100.0), &content("a"));
    r.signal(at(200.0), &content("b"));
    assert_eq!(r.report().outcome, None);
    r.end(at(300.0), Outcome::Aborted, Some("user-stop"));
    r.end(at(900.0), Outcome::Complete, None); // ignored: the first end wins
    let rep = r.report();
    assert_eq!(rep.outcome, Some(Outcome::Aborted));
    assert_eq!(rep.error_class.as_deref(), Some("user-stop"));
    close(rep.e2e_last_content_ms, 200.0);
    close(rep.e2e_stream_end_ms, 300.0);
    close(rep.tpot_ms, 100.0);
    assert!(!rep.end_marker_seen);
}

#[test]
fn http_error_has_no_ttft() {
    let mut r = recorder(MetricsConfig::default());
    r.headers(at(100.0), 500);
    r.bytes(at(120.0), 40);
    r.signal(
        at(120.0),
        &Signal::Error {
            class: "server_error".into(),
        },
    );
    r.end(at(130.0), Outcome::HttpError, None);
    let rep = r.report();
    assert_eq!(rep.ttft_ms, None);
    assert_eq!(rep.ttft_by_rule.first_byte, None);
    close(rep.ttfb_ms, 100.0);
    assert_eq!(rep.http_status, Some(500));
    assert_eq!(rep.outcome, Some(Outcome::HttpError));
    assert_eq!(rep.error_class.as_deref(), Some("server_error"));
    assert!(!rep.ratings.contains_key("ttft"));
}

#[test]
fn stall_beyond_histogram_range_is_counted() {
    let two_hours_ms = 7_200_000.0;
    let mut r = recorder(MetricsConfig::default());
    r.signal(at(100.0), &content("a"));
    r.signal(at(100.0 + two_hours_ms), &content("b"));
    r.end(at(100.0 + two_hours_ms), Outcome::Complete, None);
    let rep = r.report();
    assert_eq!((rep.gap_count, rep.gaps_out_of_range), (1, 1));
    assert_eq!(rep.gap_p50_ms, None); // nothing in range to take percentiles of
    close(rep.gap_max_ms, two_hours_ms);
    assert_eq!(rep.stall_count, Some(1));
    close(rep.stall_total_ms, two_hours_ms);
    let mut agg = Aggregate::new(AggregateConfig::default());
    agg.add(&rep);
    let s = agg.summary();
    assert_eq!(
        (s.metrics["gaps"].count, s.metrics["gaps"].out_of_range),
        (0, 1)
    );
    assert_eq!(s.metrics["stallLongest"].out_of_range, 1);
    assert_eq!(s.metrics["ttft"].count, 1);
}

#[test]
fn token_source_usage_events_estimate() {
    let run = |usage: Option<u64>, tokens: Option<u32>| {
        let mut r = recorder(MetricsConfig::default());
        for (t, text) in [(100.0, "abcd"), (150.0, "efgh"), (200.0, "ijkl")] {
            r.signal(at(t), &delta(DeltaKind::Content, text, tokens));
        }
        if let Some(n) = usage {
            r.signal(
                at(210.0),
                &Signal::Usage(Usage {
                    output_tokens: Some(n),
                    ..Usage::default()
                }),
            );
        }
        r.report()
    };
    let with_usage = run(Some(10), None);
    assert_eq!(
        (with_usage.output_tokens, with_usage.token_source),
        (Some(10), Some(TokenSource::Usage))
    );
    close(with_usage.tpot_ms, 100.0 / 9.0);
    let events = run(None, None);
    assert_eq!(
        (events.output_tokens, events.token_source),
        (Some(3), Some(TokenSource::Events))
    );
    close(events.tpot_ms, 50.0);
    let estimate = run(None, Some(0));
    assert_eq!(
        (estimate.output_tokens, estimate.token_source),
        (Some(3), Some(TokenSource::Estimate))
    );
}

/// 20 tokens, TTFT 100 ms, one 60 ms gap and eighteen 40 ms gaps (D_p 100, D_d 50).
fn etalon(stall_first: bool) -> ResponseReport {
    let mut gaps = vec![40.0; 18];
    if stall_first {
        gaps.insert(0, 60.0)
    } else {
        gaps.push(60.0)
    }
    let mut r = recorder(MetricsConfig::default());
    let mut t = 100.0;
    r.signal(at(t), &content("t"));
    for g in gaps {
        t += g;
        r.signal(at(t), &content("t"));
    }
    r.report()
}

#[test]
fn etalon_early_stall_vs_late_stall() {
    let (early, late) = (etalon(true), etalon(false));
    // Early: the 60 ms gap comes with no slack → 60 // 50 = 1 miss of 20 deadlines.
    close(early.fluidity_index, 0.95);
    // Late: eighteen 40 ms gaps banked 180 ms of slack, so 60 ≤ 50 + 180 is met.
    close(late.fluidity_index, 1.0);
    // Same TPOT and the same gap distribution.
    close(early.tpot_ms, 780.0 / 19.0);
    close(late.tpot_ms, 780.0 / 19.0);
    assert_eq!(early.gap_p95_ms, late.gap_p95_ms);
}

#[test]
fn qoe_worked_examples() {
    let config = |alpha| MetricsConfig {
        qoe: chat_vitals::metrics::QoeConfig {
            reading_tokens_per_s: 2.0,
            ttft_expected_ms: 1000.0,
            ttft_penalty_alpha: alpha,
        },
        ..MetricsConfig::default()
    };
    // 2 tokens at 1 s, 2 at 3 s: ∫min(A, T) = 1 + 2 + 3 = 6 of an expected 8.
    let mut r = Recorder::new(config(None), Micros::ZERO);
    r.signal(Micros(1_000_000), &delta(DeltaKind::Content, "ab", Some(2)));
    r.signal(Micros(3_000_000), &delta(DeltaKind::Content, "cd", Some(2)));
    close(r.report().qoe, 0.75);
    // 4 tokens at 2 s: 4 of 8, then α^(2 − 1) = 0.5.
    let mut r = Recorder::new(config(Some(0.5)), Micros::ZERO);
    r.signal(
        Micros(2_000_000),
        &delta(DeltaKind::Content, "abcd", Some(4)),
    );
    close(r.report().qoe, 0.25);
}

#[test]
fn timeline_is_capped_but_metrics_stay_exact() {
    let mut r = recorder(MetricsConfig {
        timeline_cap: 2,
        ..Default::default()
    });
    for i in 0..5 {
        r.signal(at(100.0 + 10.0 * i as f64), &content("x"));
        r.paint(at(101.0 + 10.0 * i as f64), i + 1);
    }
    let rep = r.report();
    assert!(rep.timeline_truncated);
    assert_eq!(
        (rep.timeline.chunks.len(), rep.timeline.paints.len()),
        (2, 2)
    );
    assert_eq!(
        (rep.gap_count, rep.output_chunk_count, rep.render_lag_count),
        (4, 5, 5)
    );
    close(rep.tpot_ms, 10.0);
}

#[test]
fn same_timestamp_deltas_merge_into_one_chunk() {
    let mut one = recorder(MetricsConfig::default());
    let mut split = recorder(MetricsConfig::default());
    one.bytes(at(100.0), 80);
    one.signal(
        at(100.0),
        &delta(DeltaKind::Content, "Hello world", Some(2)),
    );
    split.bytes(at(100.0), 40);
    split.signal(at(100.0), &delta(DeltaKind::Content, "Hello", Some(1)));
    split.bytes(at(100.0), 40);
    split.signal(at(100.0), &delta(DeltaKind::Content, " world", Some(1)));
    for r in [&mut one, &mut split] {
        r.signal(at(180.0), &delta(DeltaKind::Content, "!", Some(1)));
    }
    let (a, b) = (one.report(), split.report());
    assert_eq!((a.chunk_count, b.chunk_count), (2, 2));
    assert_eq!(
        (a.ttft_ms, a.tpot_ms, a.fluidity_index, a.qoe),
        (b.ttft_ms, b.tpot_ms, b.fluidity_index, b.qoe)
    );
    assert_eq!(a.burst_share_chunk, b.burst_share_chunk);
    assert_eq!(b.timeline.chunks[0].bytes, 80);
    assert_eq!(b.timeline.chunks[0].deltas, 2);
}

#[test]
fn invalidated_perceived_metrics_are_kept_but_flagged() {
    let mut r = recorder(MetricsConfig::default());
    r.signal(at(100.0), &content("x"));
    r.paint(at(130.0), 1);
    r.invalidate_perceived("page-hidden");
    let rep = r.report();
    assert_eq!(rep.perceived_invalid_reason.as_deref(), Some("page-hidden"));
    close(rep.perceived_ttft_ms, 130.0);
    assert!(!rep.ratings.contains_key("perceivedTtft"));
    let mut agg = Aggregate::new(AggregateConfig::default());
    agg.add(&rep);
    let s = agg.summary();
    assert_eq!(
        (
            s.metrics["perceivedTtft"].count,
            s.metrics["renderLag"].count,
            s.metrics["ttft"].count
        ),
        (0, 0, 1)
    );
    assert_eq!(s.perceived_excluded, 1);
}

#[test]
fn diagnostics_are_counted_or_set() {
    let mut r = recorder(MetricsConfig::default());
    r.signal(at(1.0), &Signal::ParseError);
    r.signal(at(1.0), &Signal::OversizedLine);
    assert_eq!(
        (r.report().parse_errors, r.report().oversized_lines),
        (1, 1)
    );
    r.set_diagnostics(7, 3);
    assert_eq!(
        (r.report().parse_errors, r.report().oversized_lines),
        (7, 3)
    );
}

#[test]
fn out_of_order_and_hostile_inputs_do_not_panic() {
    let mut r = recorder(MetricsConfig {
        stall_threshold_ms: f64::NAN,
        timeline_cap: 0,
        ..MetricsConfig::default()
    });
    r.signal(Micros(0), &content("before start"));
    r.signal(
        Micros(u64::MAX),
        &delta(DeltaKind::Content, "x", Some(u32::MAX)),
    );
    r.signal(Micros(5), &content("back in time"));
    r.paint(Micros(u64::MAX), u32::MAX);
    r.bytes(Micros(u64::MAX), usize::MAX);
    r.bytes(Micros(u64::MAX), usize::MAX);
    r.end(Micros(3), Outcome::Error, None);
    let rep = r.report();
    assert_eq!(rep.stall_count, None);
    assert!(serde_json::to_string(&rep).is_ok());
}
