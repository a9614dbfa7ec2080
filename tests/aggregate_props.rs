//! Property tests of the aggregate (merge, percentiles, export/import) and of chunk merging.
//! `PROPTEST_CASES` sets the number of cases (default 24, to keep debug runs fast).
// proptest is a host-only dev-dependency; wasm-pack test builds every test target for wasm32.
#![cfg(not(target_arch = "wasm32"))]

use chat_vitals::aggregate::{Aggregate, AggregateConfig, METRICS};
use chat_vitals::metrics::{MetricsConfig, Outcome, Recorder, ResponseReport};
use chat_vitals::signal::{DeltaKind, Signal};
use chat_vitals::time::Micros;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    ProptestConfig::with_cases(cases)
}

/// A response: TTFT and then (gap, tokens) per chunk, all in µs; and an outcome index.
#[derive(Clone, Debug)]
struct Timeline {
    ttft_us: u64,
    chunks: Vec<(u64, u32)>,
    outcome: usize,
}

fn timeline() -> impl Strategy<Value = Timeline> {
    (
        1u64..5_000_000,
        prop::collection::vec((1u64..2_000_000, 1u32..5), 0..12),
        0usize..5,
    )
        .prop_map(|(ttft_us, chunks, outcome)| Timeline {
            ttft_us,
            chunks,
            outcome,
        })
}

/// Records `t`; each chunk's tokens are split into deltas of the sizes `split` gives.
fn record(t: &Timeline, split: impl Fn(u32) -> Vec<u32>) -> ResponseReport {
    let mut r = Recorder::new(MetricsConfig::default(), Micros::ZERO);
    r.headers(Micros(t.ttft_us / 2), 200);
    let mut at = t.ttft_us;
    for (i, &(gap, tokens)) in t.chunks.iter().enumerate() {
        if i > 0 {
            at += gap;
        }
        r.bytes(Micros(at), 64);
        for part in split(tokens) {
            let text = "ab".repeat(part as usize);
            r.signal(
                Micros(at),
                &Signal::Delta {
                    kind: DeltaKind::Content,
                    text: &text,
                    tokens: Some(part),
                },
            );
        }
        r.paint(
            Micros(at + 1_000),
            u32::try_from(i + 1).unwrap_or(u32::MAX) * 1_000,
        );
    }
    r.end(Micros(at + 500), Outcome::ALL[t.outcome], None);
    r.report()
}

fn whole(tokens: u32) -> Vec<u32> {
    vec![tokens]
}

fn singles(tokens: u32) -> Vec<u32> {
    vec![1; tokens as usize]
}

fn aggregate(reports: &[ResponseReport]) -> Aggregate {
    let mut agg = Aggregate::new(AggregateConfig::default());
    for r in reports {
        agg.add(r);
    }
    agg
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn merge_equals_recording_everything(ts in prop::collection::vec(timeline(), 0..8), cut in 0usize..8) {
        let reports: Vec<ResponseReport> = ts.iter().map(|t| record(t, whole)).collect();
        let cut = cut.min(reports.len());
        let mut left = aggregate(&reports[..cut]);
        left.merge(&aggregate(&reports[cut..]));
        prop_assert_eq!(left.summary(), aggregate(&reports).summary());
    }

    #[test]
    fn percentiles_are_within_one_bucket(ttfts_us in prop::collection::vec(1u64..3_600_000_000, 1..120)) {
        let reports: Vec<ResponseReport> = ttfts_us
            .iter()
            .map(|&ttft_us| record(&Timeline { ttft_us, chunks: vec![(1, 1)], outcome: 0 }, whole))
            .collect();
        let summary = aggregate(&reports).summary();
        let ttft = &summary.metrics["ttft"];
        let mut sorted = ttfts_us.clone();
        sorted.sort_unstable();
        let n = sorted.len() as f64;
        for (q, actual) in [(0.5, ttft.p50), (0.75, ttft.p75), (0.9, ttft.p90), (0.95, ttft.p95), (0.99, ttft.p99), (0.999, ttft.p99_9)] {
            let actual_us = actual.unwrap() * 1000.0;
            // Nearest rank; allow either neighbour of a rank that q·n hits only up to rounding.
            let ok = [-1e-9, 1e-9].iter().any(|eps| {
                let rank = ((q * n + eps).ceil() as usize).clamp(1, sorted.len());
                let exact = sorted[rank - 1] as f64;
                (actual_us - exact).abs() <= exact * 1e-3 + 1e-6
            });
            prop_assert!(ok, "q={} actual={} sorted={:?}", q, actual_us, sorted);
        }
        let exact_max = *sorted.last().unwrap() as f64;
        prop_assert!((ttft.max.unwrap() * 1000.0 - exact_max).abs() <= exact_max * 1e-3);
    }

    #[test]
    fn splitting_a_chunk_at_one_timestamp_changes_nothing(t in timeline()) {
        let (a, b) = (record(&t, whole), record(&t, singles));
        prop_assert_eq!(a.ttft_ms, b.ttft_ms);
        prop_assert_eq!(a.tpot_ms, b.tpot_ms);
        prop_assert_eq!(a.output_tokens, b.output_tokens);
        prop_assert_eq!((a.chunk_count, a.gap_count), (b.chunk_count, b.gap_count));
        prop_assert_eq!(a.gap_p95_ms, b.gap_p95_ms);
        prop_assert_eq!(a.fluidity_index, b.fluidity_index);
        prop_assert_eq!(a.qoe, b.qoe);
        prop_assert_eq!(a.burst_share_chunk, b.burst_share_chunk);
        prop_assert_eq!(a.render_lag_p95_ms, b.render_lag_p95_ms);
    }

    #[test]
    fn export_import_round_trip(ts in prop::collection::vec(timeline(), 0..6)) {
        let reports: Vec<ResponseReport> = ts.iter().map(|t| record(t, whole)).collect();
        let original = aggregate(&reports);
        let mut restored = Aggregate::new(AggregateConfig::default());
        for (name, encoded) in original.encode_all().unwrap() {
            restored.import_metric(name, &encoded).unwrap();
        }
        for m in METRICS {
            let (_, a) = original.metric(m.name).unwrap();
            let (_, b) = restored.metric(m.name).unwrap();
            let values = |h: &hdrhistogram::Histogram<u64>| {
                h.iter_recorded().map(|v| (v.value_iterated_to(), v.count_at_value())).collect::<Vec<_>>()
            };
            prop_assert_eq!(values(&a.histogram), values(&b.histogram), "metric {}", m.name);
        }
        let (a, b) = (original.summary(), restored.summary());
        prop_assert_eq!(a.metrics, b.metrics);
    }
}
