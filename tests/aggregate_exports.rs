//! Aggregate bookkeeping (warm-up, outcomes, reset) and the HdrHistogram exports.

use chat_vitals::aggregate::{Aggregate, AggregateConfig, ExportError, ImportError};
use chat_vitals::metrics::{MetricsConfig, Outcome, Recorder, ResponseReport};
use chat_vitals::signal::{DeltaKind, Signal};
use chat_vitals::time::Micros;
use hdrhistogram::serialization::interval_log::{IntervalLogIterator, LogEntry};

fn response(ttft_ms: u64, outcome: Outcome) -> ResponseReport {
    let mut r = Recorder::new(MetricsConfig::default(), Micros::ZERO);
    r.signal(
        Micros(ttft_ms * 1000),
        &Signal::Delta {
            kind: DeltaKind::Content,
            text: "a",
            tokens: None,
        },
    );
    r.signal(
        Micros(ttft_ms * 1000 + 30_000),
        &Signal::Delta {
            kind: DeltaKind::Content,
            text: "b",
            tokens: None,
        },
    );
    r.end(Micros(ttft_ms * 1000 + 40_000), outcome, None);
    r.report()
}

#[test]
fn warmup_outcomes_and_reset() {
    let mut agg = Aggregate::new(AggregateConfig { warmup: 2 });
    assert!(!agg.add(&response(5_000, Outcome::Complete)));
    assert!(!agg.add(&response(5_000, Outcome::Complete)));
    assert!(agg.add(&response(100, Outcome::Complete)));
    assert!(agg.add(&response(200, Outcome::Aborted)));
    let s = agg.summary();
    assert_eq!((s.responses, s.warmup_skipped), (2, 2));
    assert_eq!(s.outcomes["complete"], 1);
    assert_eq!(s.outcomes["aborted"], 1);
    let ttft = &s.metrics["ttft"];
    assert_eq!(ttft.count, 2);
    assert!((ttft.max.unwrap() - 200.0).abs() < 0.2);
    assert_eq!(s.metrics["gaps"].count, 2); // pooled: one 30 ms gap per response
    assert_eq!(ttft.unit, "ms");
    let json = serde_json::to_value(&s).unwrap();
    assert!(json["metrics"]["ttft"]["p99.9"].is_number());
    assert!(json["metrics"]["costUsd"]["p50"].is_null());
    agg.reset();
    assert_eq!(agg.summary().responses, 0);
    assert!(!agg.add(&response(1, Outcome::Complete))); // warm-up counts again after reset
}

#[test]
fn histf_export_decodes_like_the_reference() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    agg.add(&response(42, Outcome::Complete));
    let encoded = agg.export_metric("ttft").unwrap();
    assert!(encoded.starts_with("HISTF"), "{encoded}");
    let mut other = Aggregate::new(AggregateConfig::default());
    other.import_metric("ttft", &encoded).unwrap();
    assert_eq!(other.summary().metrics["ttft"].count, 1);
    // The HdrHistogramJS README sample: one value, 42.
    other
        .import_metric(
            "outputTokens",
            "HISTFAAAAB542pNpmSzMwMDAxAABzFCaEUoz2X+AMIKZAEARAtM=",
        )
        .unwrap();
    assert_eq!(other.summary().metrics["outputTokens"].max, Some(42.0));
}

#[test]
fn export_and_import_errors() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    assert_eq!(
        agg.export_metric("nope"),
        Err(ExportError::UnknownMetric("nope".into()))
    );
    assert_eq!(
        agg.import_metric("nope", "HISTF"),
        Err(ImportError::UnknownMetric("nope".into()))
    );
    assert_eq!(
        agg.import_metric("ttft", "not base64!"),
        Err(ImportError::NotBase64)
    );
    assert!(matches!(
        agg.import_metric("ttft", "AAAAAAAA"),
        Err(ImportError::NotAHistogram(_))
    ));
    assert!(matches!(
        agg.interval_log(f64::NAN, 1.0),
        Err(ExportError::InvalidTime(_))
    ));
    assert!(matches!(
        agg.interval_log(0.0, -1.0),
        Err(ExportError::InvalidTime(_))
    ));
}

#[test]
fn interval_log_has_version_legend_and_tags() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    agg.add(&response(100, Outcome::Complete));
    let log = agg.interval_log(1_764_300_000.5, 60.0).unwrap();
    assert!(
        log.starts_with("#[Histogram log format version 1.3]\n"),
        "{log}"
    );
    assert!(log.contains(
        "#\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\""
    ));
    assert!(log.contains("#[StartTime: 1764300000.500 (seconds since epoch)]"));
    let mut tags = Vec::new();
    for entry in IntervalLogIterator::new(log.as_bytes()) {
        if let LogEntry::Interval(h) = entry.unwrap() {
            assert!(h.encoded_histogram().starts_with("HISTF"));
            assert_eq!(h.duration().as_secs(), 60);
            tags.push(h.tag().unwrap().as_str().to_owned());
        }
    }
    assert!(tags.contains(&"ttft".to_owned()) && tags.contains(&"gaps".to_owned()));
    assert!(!tags.contains(&"costUsd".to_owned())); // empty metrics are not written
}
