//! Rebuilding and merging aggregates from exports: `merge_metric` + `import_counts` give bucket-for-bucket the
//! aggregate that recorded everything (the lossless merge of sharded reports), and refuse other bucket settings.

use chat_vitals::aggregate::{Aggregate, AggregateConfig, AggregateCounts, ImportError, METRICS};
use chat_vitals::metrics::{MetricsConfig, Outcome, Recorder, ResponseReport};
use chat_vitals::signal::{DeltaKind, Signal};
use chat_vitals::time::Micros;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Serializer, V2Serializer};

fn response(i: u64) -> ResponseReport {
    let mut r = Recorder::new(MetricsConfig::default(), Micros::ZERO);
    let mut at = 80_000 + i * 7_919 % 400_000;
    for k in 0..(3 + i % 5) {
        r.signal(
            Micros(at),
            &Signal::Delta {
                kind: DeltaKind::Content,
                text: "word ",
                tokens: None,
            },
        );
        at += 10_000 + (i * 31 + k * 997) % 300_000;
    }
    let outcome = if i % 7 == 3 {
        Outcome::Aborted
    } else {
        Outcome::Complete
    };
    r.end(Micros(at), outcome, None);
    r.report()
}

/// An aggregate rebuilt from another's exports, as a merge reads a report.
fn rebuild_into(target: &mut Aggregate, source: &Aggregate) {
    for def in METRICS {
        let encoded = source.encode_metric(def.name).unwrap();
        target.merge_metric(def.name, &encoded).unwrap();
    }
    let summary = serde_json::to_string(&source.summary()).unwrap();
    let counts: AggregateCounts = serde_json::from_str(&summary).unwrap();
    target.import_counts(&counts).unwrap();
}

fn bucket_counts(a: &Aggregate, metric: &str) -> Vec<(u64, u64)> {
    let (_, h) = a.metric(metric).unwrap();
    h.histogram
        .iter_recorded()
        .map(|v| (v.value_iterated_to(), v.count_at_value()))
        .collect()
}

#[test]
fn four_shards_merge_to_the_single_aggregate_bucket_for_bucket() {
    let mut shards: Vec<Aggregate> = (0..4)
        .map(|_| Aggregate::new(AggregateConfig { warmup: 1 }))
        .collect();
    // Each shard's first response is its warm-up.
    for i in 0..40u64 {
        let r = response(i);
        shards[(i / 10) as usize].add(&r);
    }
    let mut merged = Aggregate::new(AggregateConfig::default());
    for s in &shards {
        rebuild_into(&mut merged, s);
    }
    // The single run that recorded the same responses and skipped the same four as warm-up.
    let mut expected = Aggregate::new(AggregateConfig::default());
    for i in 0..40u64 {
        if i % 10 == 0 {
            expected.skip_warmup();
        } else {
            expected.add(&response(i));
        }
    }
    for def in METRICS {
        assert_eq!(
            bucket_counts(&merged, def.name),
            bucket_counts(&expected, def.name),
            "{}",
            def.name
        );
    }
    assert_eq!(merged.summary(), expected.summary());
    assert_eq!(merged.summary().responses, 36);
    assert_eq!(merged.summary().warmup_skipped, 4);
}

#[test]
fn other_bucket_settings_are_refused_by_the_exact_merge_only() {
    let mut foreign: Histogram<u64> = Histogram::new_with_bounds(1, 3_600_000_000, 2).unwrap();
    foreign.record(12_345).unwrap();
    let mut bytes = Vec::new();
    V2Serializer::new().serialize(&foreign, &mut bytes).unwrap();
    let encoded = bytes;
    let mut a = Aggregate::new(AggregateConfig::default());
    assert_eq!(
        a.merge_metric("ttft", &encoded),
        Err(ImportError::Incompatible {
            digits: 2,
            lowest: 1
        })
    );
    assert_eq!(a.summary().metrics["ttft"].count, 0, "nothing merged");
    let msg = a.merge_metric("ttft", &encoded).unwrap_err().to_string();
    assert!(
        msg.contains("2 significant digits") && msg.contains("3 digits"),
        "{msg}"
    );
    a.import_metric("ttft", &encoded).unwrap(); // the lossy import still takes it
    assert_eq!(a.summary().metrics["ttft"].count, 1);
}

#[test]
fn a_responses_gaps_in_explicit_buckets_add_up_to_its_gap_count_and_mean() {
    use chat_vitals::aggregate::series_buckets;
    let r = response(12);
    let b = series_buckets(
        Some(&r.gap_histogram),
        &[10.0, 20.0, 40.0, 80.0, 160.0, 320.0],
    )
    .unwrap();
    assert_eq!(b.counts.iter().sum::<u64>(), r.gap_count);
    assert!((b.sum_ms - r.gap_mean_ms.unwrap() * r.gap_count as f64).abs() < 0.001 * b.sum_ms);
    assert_eq!(series_buckets(None, &[1.0]).unwrap().counts, vec![0, 0]);
    assert!(series_buckets(None, &[2.0, 1.0]).is_err());
}

#[test]
fn the_recorders_series_are_the_reports_histograms() {
    let mut rec = Recorder::new(MetricsConfig::default(), Micros::ZERO);
    for k in 0..20u64 {
        rec.signal(
            Micros(50_000 + k * 23_000),
            &Signal::Delta {
                kind: DeltaKind::Content,
                text: "w ",
                tokens: None,
            },
        );
    }
    rec.end(Micros(600_000), Outcome::Complete, None);
    let report = rec.report();
    let gaps = rec.series_histogram("gaps").unwrap();
    assert_eq!(gaps.histogram.len(), report.gap_histogram.histogram.len());
    assert_eq!(gaps.histogram.len(), 19);
    assert!(rec.series_histogram("ttft").is_none());
}
