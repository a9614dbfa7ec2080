//! Aggregate bookkeeping (warm-up, outcomes, reset) and the HdrHistogram exports.

use chat_vitals::aggregate::{Aggregate, AggregateConfig, ExportError, ImportError};
use chat_vitals::metrics::{MetricsConfig, Outcome, Recorder, ResponseReport};
use chat_vitals::signal::{DeltaKind, Signal};
use chat_vitals::time::Micros;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};

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
fn v2_export_decodes_like_the_reference() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    agg.add(&response(42, Outcome::Complete));
    let v2 = agg.encode_metric("ttft").unwrap();
    assert_eq!(
        &v2[..4],
        &[0x1c, 0x84, 0x93, 0x13],
        "uncompressed V2 cookie"
    );
    let reference: Histogram<u64> = Deserializer::new().deserialize(&mut v2.as_slice()).unwrap();
    assert_eq!(reference.len(), 1);
    assert!(
        reference.equivalent(reference.max(), 42_000),
        "42 ms stored in µs"
    );
    let mut other = Aggregate::new(AggregateConfig::default());
    other.import_metric("ttft", &v2).unwrap();
    assert_eq!(other.summary().metrics["ttft"].count, 1);
    assert_eq!(
        other.summary().metrics["ttft"].max,
        agg.summary().metrics["ttft"].max
    );
}

#[test]
fn export_and_import_errors() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    assert_eq!(
        agg.encode_metric("nope"),
        Err(ExportError::UnknownMetric("nope".into()))
    );
    let v2 = agg.encode_metric("ttft").unwrap();
    assert_eq!(
        agg.import_metric("nope", &v2),
        Err(ImportError::UnknownMetric("nope".into()))
    );
    assert!(matches!(
        agg.import_metric("ttft", b"AAAAAAAA"),
        Err(ImportError::NotAHistogram(_))
    ));
    // A compressed histogram is the JS binding's to inflate (src/wasm/histf.js), never the core's.
    let mut compressed = Vec::new();
    V2DeflateSerializer::new()
        .serialize(&Histogram::<u64>::new(3).unwrap(), &mut compressed)
        .unwrap();
    let refused = agg
        .import_metric("ttft", &compressed)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("inflate it"), "{refused}");
}

#[test]
fn interval_entries_are_the_non_empty_metrics() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    agg.add(&response(100, Outcome::Complete));
    let entries = agg.interval_entries().unwrap();
    let tags: Vec<&str> = entries.iter().map(|e| e.tag).collect();
    assert!(tags.contains(&"ttft") && tags.contains(&"gaps"), "{tags:?}");
    assert!(!tags.contains(&"costUsd"), "empty metrics are not written");
    let ttft = entries.iter().find(|e| e.tag == "ttft").unwrap();
    let h: Histogram<u64> = Deserializer::new()
        .deserialize(&mut ttft.v2.as_slice())
        .unwrap();
    assert_eq!(ttft.max_stored, h.max());
    assert!(h.equivalent(h.max(), 100_000));
}
