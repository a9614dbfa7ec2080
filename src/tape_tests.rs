//! The tape carries exactly what serde serializes: decoded back here, it equals `serde_json::to_value`.

use serde_json::{Map, Value};

use super::*;
use crate::aggregate::{Aggregate, AggregateConfig};
use crate::meter::{EndReason, Meter, MeterConfig};
use crate::metrics::CostConfig;
use crate::time::Micros;

/// The Rust twin of `www/kit/tape.js`.
fn decode(t: &Tape) -> Value {
    let text: Vec<u16> = t.text.encode_utf16().collect();
    let (mut i, mut p) = (0, 0);
    let take = |n: f64, p: &mut usize| {
        let s = String::from_utf16(&text[*p..*p + n as usize]).unwrap();
        *p += n as usize;
        s
    };
    let mut stack: Vec<(String, Value)> = vec![(String::new(), Value::Object(Map::new()))];
    while i < t.nums.len() {
        let op = t.nums[i];
        i += 1;
        if op == END {
            let (key, v) = stack.pop().unwrap();
            put(&mut stack.last_mut().unwrap().1, key, v);
            continue;
        }
        let key = take(t.nums[i], &mut p);
        i += 1;
        let v = match op {
            NUM => {
                i += 1;
                serde_json::json!(t.nums[i - 1])
            }
            NULL => Value::Null,
            TRUE => Value::Bool(true),
            FALSE => Value::Bool(false),
            STR => {
                i += 1;
                Value::String(take(t.nums[i - 1], &mut p))
            }
            OBJ => {
                stack.push((key, Value::Object(Map::new())));
                continue;
            }
            LIST => {
                stack.push((key, Value::Array(vec![])));
                continue;
            }
            _ => panic!("bad op {op}"),
        };
        put(&mut stack.last_mut().unwrap().1, key, v);
    }
    assert_eq!(stack.len(), 1, "every container closed");
    stack.pop().unwrap().1
}

fn put(parent: &mut Value, key: String, v: Value) {
    match parent {
        Value::Object(m) => {
            m.insert(key, v);
        }
        Value::Array(a) => a.push(v),
        _ => unreachable!(),
    }
}

/// Numbers compared as f64 (serde writes u64 counts as integers, the tape as f64).
fn normalize(v: Value) -> Value {
    match v {
        Value::Number(n) => serde_json::json!(n.as_f64().unwrap()),
        Value::Array(a) => Value::Array(a.into_iter().map(normalize).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, normalize(v))).collect()),
        v => v,
    }
}

fn assert_same<T: ToTape + serde::Serialize>(v: &T) {
    let serde = normalize(serde_json::to_value(v).unwrap());
    let tape = normalize(decode(&v.to_tape()));
    assert_eq!(tape, serde);
}

fn busy_meter() -> Meter {
    let config = MeterConfig {
        metrics: crate::metrics::MetricsConfig {
            cost: Some(CostConfig {
                input_usd_per_mtok: 2.5,
                output_usd_per_mtok: 10.0,
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut m = Meter::new(config, Micros(0));
    m.mark_send_action(Micros(0));
    m.headers(Micros(80_000), 200, [("content-type", "text/event-stream")]);
    m.observe_long_frames();
    for i in 0..40u64 {
        let ev = format!("data: {{\"choices\":[{{\"delta\":{{\"content\":\"wörd{i} \"}}}}]}}\n\n");
        m.chunk(
            Micros(100_000 + i * 37_000 + (i % 7) * 90_000),
            ev.as_bytes(),
        );
        m.paint(
            Micros(110_000 + i * 37_000 + (i % 7) * 90_000),
            (6 * (i + 1)) as u32,
        );
        m.frame(Micros(105_000 + i * 37_000 + (i % 7) * 90_000));
    }
    m.long_frame(Micros(300_000), 80.0, 30.0);
    m.chunk(
        Micros(2_000_000),
        b"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":40}}\n\ndata: [DONE]\n\n",
    );
    m.end(Micros(2_001_000), EndReason::Eof);
    m
}

#[test]
fn tape_matches_serde_json_for_reports() {
    let busy = busy_meter().report();
    assert!(busy.response.cost_usd.is_some() && !busy.response.timeline.paints.is_empty());
    assert_same(&busy);
    let fresh = Meter::new(MeterConfig::default(), Micros(0)).report();
    assert_same(&fresh);
    let mut hidden = busy_meter();
    hidden.invalidate_perceived("page-hidden \u{1F600} \0 end");
    assert_same(&hidden.report());
}

#[test]
fn tape_matches_serde_json_for_summaries_and_tables() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    assert_same(&agg.summary());
    agg.add(&busy_meter().report().response);
    agg.add(
        &Meter::new(MeterConfig::default(), Micros(0))
            .report()
            .response,
    );
    assert_same(&agg.summary());
    assert_same(&crate::rating::threshold_table());
    let rows = crate::aggregate::metric_table();
    let tape = decode(&rows.to_tape());
    assert_eq!(
        normalize(tape["list"].clone()),
        normalize(serde_json::to_value(&rows).unwrap())
    );
}

/// The full build's results: budget checks, `exportHistograms()`, spectra and bins, as serde_json wrote them.
#[cfg(all(feature = "full", feature = "json"))]
#[test]
fn tape_matches_serde_json_for_full_build_results() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    agg.add(&busy_meter().report().response);
    let budget = crate::budget::Budget::parse(r#"{"ttft.p95": 1, "qoe.mean": 2, "tpot.p50": 1e9, "longFrameBlocking.p50": 1, "perceivedTtftFromSend.p95": 1}"#).unwrap();
    let measured = budget.check(&agg);
    let empty = budget.check(&Aggregate::new(AggregateConfig::default()));
    assert!(
        !measured.violations.is_empty() && measured.violations.iter().all(|v| v.actual.is_some())
    );
    assert!(!empty.violations.is_empty() && empty.violations.iter().all(|v| v.actual.is_none()));
    assert_same(&measured);
    assert_same(&empty);
    for list in [
        serde_json::to_value(agg.spectrum("ttft").unwrap()).unwrap(),
        serde_json::to_value(agg.log_bins("ttft", 5).unwrap()).unwrap(),
    ] {
        assert!(list.as_array().is_some_and(|l| !l.is_empty()));
    }
    let spectrum = agg.spectrum("ttft").unwrap();
    assert_eq!(
        normalize(decode(&spectrum.to_tape())["list"].clone()),
        normalize(serde_json::to_value(&spectrum).unwrap())
    );
    let bins = agg.log_bins("ttft", 5).unwrap();
    assert_eq!(
        normalize(decode(&bins.to_tape())["list"].clone()),
        normalize(serde_json::to_value(&bins).unwrap())
    );
}

#[test]
fn non_finite_numbers_are_null_like_json() {
    let mut t = Tape::default();
    t.num("a", Some(f64::NAN));
    t.num("b", Some(f64::INFINITY));
    t.num("c", Some(-0.5));
    assert_eq!(
        decode(&t),
        serde_json::json!({"a": null, "b": null, "c": -0.5})
    );
}
