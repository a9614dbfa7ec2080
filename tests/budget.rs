//! Budgets: passing, each kind of violation, key errors, and metrics without data.

use chat_vitals::aggregate::{Aggregate, AggregateConfig};
use chat_vitals::budget::{Budget, BudgetError, check_budget};
use chat_vitals::metrics::{MetricsConfig, Outcome, Recorder, ResponseReport};
use chat_vitals::signal::{DeltaKind, Signal};
use chat_vitals::time::Micros;

/// Content at `ttft_ms`, then every `gap_ms` for `chunks − 1` more chunks.
fn response(ttft_ms: u64, gap_ms: u64, chunks: u64) -> ResponseReport {
    let mut r = Recorder::new(MetricsConfig::default(), Micros::ZERO);
    let mut at = ttft_ms * 1000;
    for i in 0..chunks {
        if i > 0 {
            at += gap_ms * 1000;
        }
        r.signal(
            Micros(at),
            &Signal::Delta {
                kind: DeltaKind::Content,
                text: "tok",
                tokens: None,
            },
        );
    }
    r.end(Micros(at), Outcome::Complete, None);
    r.report()
}

/// TTFT 100, 200, 300 ms; 20 ms gaps; no stalls. Fluidity: 1 (0 of 5 deadlines missed), 4/7 (3 of 7:
/// each missed first-token deadline adds one), 4/9 (5 of 9); `fluidity_of_each_response` checks it.
fn aggregate() -> Aggregate {
    let mut agg = Aggregate::new(AggregateConfig::default());
    for ttft in [100, 200, 300] {
        agg.add(&response(ttft, 20, 5));
    }
    agg
}

#[test]
fn passing_budget() {
    let json = r#"{"ttft.p95": 1000, "stalls.max": 0, "fluidity.p10": 0.4, "ttft.count": 3, "gaps.p99": 25, "tpot.mean": 20.1}"#;
    let result = check_budget(json, &aggregate()).unwrap();
    assert!(result.pass, "{:?}", result.violations);
    assert_eq!(result.checked, 6);
    assert!(result.violations.is_empty());
}

#[test]
fn lower_is_better_violation() {
    let result = check_budget(r#"{"ttft.p50": 150}"#, &aggregate()).unwrap();
    assert!(!result.pass);
    let v = &result.violations[0];
    assert_eq!((v.key.as_str(), v.limit), ("ttft.p50", 150.0));
    let actual = v.actual.unwrap();
    assert!((actual - 200.0).abs() <= 0.2, "{actual}");
    assert!(
        v.reason.contains("ttft.p50") && v.reason.contains("above the limit 150"),
        "{}",
        v.reason
    );
}

#[test]
fn higher_is_better_violation() {
    // TTFT 200 and 300 ms miss the 100 ms first-token deadline, so fluidity.min < 1.
    let result = check_budget(r#"{"fluidity.min": 0.99}"#, &aggregate()).unwrap();
    assert!(!result.pass);
    assert!(result.violations[0].reason.contains("below the limit 0.99"));
}

#[test]
fn count_stddev_cv_and_out_of_range_violations() {
    let mut agg = aggregate();
    agg.add(&response(100, 7_200_000, 2)); // a 2 h gap: out of the gaps histogram's range
    let json = r#"{"ttft.count": 10, "ttft.stddev": 1, "ttft.cv": 0.01, "gaps.outOfRange": 0}"#;
    let result = check_budget(json, &agg).unwrap();
    let keys: Vec<&str> = result.violations.iter().map(|v| v.key.as_str()).collect();
    // Lines are checked in key order.
    assert_eq!(
        keys,
        ["gaps.outOfRange", "ttft.count", "ttft.cv", "ttft.stddev"]
    );
    assert_eq!(result.violations[0].actual, Some(1.0));
    assert_eq!(result.violations[1].actual, Some(4.0));
    assert!(
        result.violations[1]
            .reason
            .contains("fewer than the required 10")
    );
}

#[test]
fn metric_without_data_fails() {
    let result = check_budget(r#"{"costUsd.p50": 1, "costUsd.count": 0}"#, &aggregate()).unwrap();
    assert!(!result.pass);
    assert_eq!(result.violations.len(), 1);
    let v = &result.violations[0];
    assert_eq!((v.key.as_str(), v.actual), ("costUsd.p50", None));
    assert!(v.reason.contains("no data"));
    let empty = Aggregate::new(AggregateConfig::default());
    assert!(!check_budget(r#"{"ttft.p95": 1000}"#, &empty).unwrap().pass);
}

#[test]
fn key_and_document_errors_name_the_key() {
    let err = |json: &str| Budget::parse(json).unwrap_err();
    assert_eq!(
        err(r#"{"ttftt.p95": 1}"#),
        BudgetError::UnknownMetric("ttftt.p95".into())
    );
    assert_eq!(
        err(r#"{"ttft.p101": 1}"#),
        BudgetError::UnknownStat("ttft.p101".into())
    );
    assert_eq!(
        err(r#"{"ttft.median": 1}"#),
        BudgetError::UnknownStat("ttft.median".into())
    );
    assert_eq!(
        err(r#"{"ttft": 1}"#),
        BudgetError::UnknownStat("ttft".into())
    );
    assert_eq!(
        err(r#"{"ttft.p95": "1s"}"#),
        BudgetError::LimitNotANumber("ttft.p95".into())
    );
    assert_eq!(err("[1]"), BudgetError::NotAnObject);
    assert!(matches!(err("{"), BudgetError::NotJson(_)));
    assert!(
        err(r#"{"ttftt.p95": 1}"#)
            .to_string()
            .contains("\"ttftt.p95\"")
    );
    let ok = Budget::parse(r#"{"ttft.p99.9": 1, "ttft.p10": 2, "qoe.outOfRange": 0}"#).unwrap();
    assert_eq!(ok.lines.len(), 3);
}

#[test]
fn result_serializes_camel_case() {
    let result = check_budget(r#"{"ttft.p50": 150}"#, &aggregate()).unwrap();
    let json = serde_json::to_value(&result).unwrap();
    assert_eq!(json["pass"], false);
    assert_eq!(json["violations"][0]["key"], "ttft.p50");
    assert!(json["violations"][0]["reason"].is_string());
}

#[test]
fn fluidity_of_each_response() {
    let fluidity = |ttft| {
        let r = response(ttft, 20, 5);
        let (missed, total) = (r.fluidity_missed_deadlines, r.fluidity_total_deadlines);
        (r.fluidity_index.expect("defined"), missed, total)
    };
    assert_eq!(fluidity(100), (1.0, 0, 5));
    assert_eq!(fluidity(200), (4.0 / 7.0, 3, 7));
    assert_eq!(fluidity(300), (4.0 / 9.0, 5, 9));
}
