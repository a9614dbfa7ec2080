//! Frame-side perceived metrics: unpainted frames, long animation frames overlapping the stream,
//! and how they reach aggregates (excluded when the perceived metrics are invalid).

use chat_vitals::aggregate::{Aggregate, AggregateConfig};
use chat_vitals::metrics::{MetricsConfig, Outcome, PaintScope, Recorder};
use chat_vitals::signal::{DeltaKind, Signal};
use chat_vitals::time::Micros;

const START_MS: f64 = 1000.0;

fn at(offset_ms: f64) -> Micros {
    Micros::from_ms(START_MS + offset_ms).unwrap()
}

fn content(r: &mut Recorder, offset_ms: f64, text: &str) {
    let s = Signal::Delta {
        kind: DeltaKind::Content,
        text,
        tokens: None,
    };
    r.signal(at(offset_ms), &s);
}

/// Text every 30 ms, painted only every 100 ms (a throttled renderer), frames every ~16.7 ms.
fn throttled() -> Recorder {
    let mut r = Recorder::new(MetricsConfig::default(), at(0.0));
    r.observe_long_frames();
    // "aa" at 100, "bb" at 130, "cc" at 160, "dd" at 190.
    for (i, t) in [100.0, 130.0, 160.0, 190.0].iter().enumerate() {
        content(&mut r, *t, ["aa", "bb", "cc", "dd"][i]);
    }
    // Frames start every 20 ms from 90; paints land 5 ms after the start of the frames at 110 and 210.
    let mut f = 90.0;
    while f <= 230.0 {
        if f == 110.0 {
            r.paint(at(f + 5.0), 2);
        }
        if f == 210.0 {
            r.paint(at(f + 5.0), 8);
        }
        r.frame(at(f));
        f += 20.0;
    }
    r
}

#[test]
fn frames_that_leave_arrived_text_unpainted_are_counted() {
    let rep = throttled().report();
    // Frames at 90 … 230: 8 frames. Unpainted: text from 130 waits in the frames at 130, 150, 170,
    // 190 (the one at 210 paints everything) → 4.
    assert_eq!(rep.frame_count, Some(8));
    assert_eq!(rep.unpainted_frame_count, Some(4));
    assert_eq!(rep.chars_per_paint_max, Some(6));
    assert_eq!(rep.perceived_ttft_ms, Some(115.0));
    assert_eq!(rep.render_lag_max_ms, Some(85.0)); // "bb" arrived at 130, shown at 215
}

#[test]
fn long_frames_count_only_when_they_overlap_the_stream() {
    let mut r = throttled();
    r.long_frame(at(-200.0), 80.0, 30.0); // ended before the request started
    r.long_frame(at(-40.0), 60.0, 10.0); // overlaps the start
    r.long_frame(at(150.0), 95.0, 45.0);
    r.long_frame(at(160.0), 30.0, 0.0); // not long
    r.end(at(300.0), Outcome::Complete, None);
    r.frame(at(320.0)); // after end: ignored
    r.long_frame(at(290.0), 70.0, 20.0); // delivered late, started before the end: counted
    r.long_frame(at(301.0), 70.0, 20.0); // after the end
    let rep = r.report();
    assert_eq!(rep.frame_count, Some(8));
    assert_eq!(rep.long_frame_count, Some(3));
    assert_eq!(rep.long_frame_total_ms, Some(225.0));
    assert_eq!(rep.long_frame_blocking_ms, Some(75.0));
    assert_eq!(rep.long_frame_max_ms, Some(95.0));
}

#[test]
fn frame_metrics_are_null_when_not_observed() {
    let mut r = Recorder::new(MetricsConfig::default(), at(0.0));
    content(&mut r, 10.0, "x");
    let rep = r.report();
    assert_eq!(rep.frame_count, None);
    assert_eq!(rep.unpainted_frame_count, None);
    assert_eq!(rep.long_frame_count, None);
    assert_eq!(rep.long_frame_max_ms, None);
    let mut r = Recorder::new(MetricsConfig::default(), at(0.0));
    r.observe_long_frames();
    let rep = r.report();
    assert_eq!(rep.long_frame_count, Some(0));
    assert_eq!(rep.long_frame_total_ms, Some(0.0));
    assert_eq!(rep.long_frame_max_ms, None);
}

#[test]
fn aggregates_hold_frame_metrics_and_skip_them_when_perceived_is_invalid() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    let mut a = throttled();
    a.long_frame(at(150.0), 95.0, 45.0);
    a.end(at(300.0), Outcome::Complete, None);
    agg.add(&a.report());
    let mut b = throttled();
    b.long_frame(at(150.0), 95.0, 45.0);
    b.invalidate_perceived("page-hidden");
    b.end(at(300.0), Outcome::Complete, None);
    let rb = b.report();
    assert_eq!(rb.perceived_invalid_reason.as_deref(), Some("page-hidden"));
    agg.add(&rb);
    let s = agg.summary();
    assert_eq!(s.responses, 2);
    assert_eq!(s.perceived_excluded, 1);
    for (name, value) in [
        ("longFrames", 1.0),
        ("longFrameBlocking", 45.0),
        ("unpaintedFrames", 4.0),
    ] {
        let m = &s.metrics[name];
        assert_eq!(m.count, 1, "{name}");
        let max = m.max.unwrap();
        assert!((max - value).abs() <= value * 1e-3, "{name}: {max}");
    }
    // Network metrics keep both responses.
    assert_eq!(s.metrics["ttft"].count, 2);
}

#[test]
fn first_paint_only_keeps_perceived_ttft_and_nulls_what_it_did_not_measure() {
    let mut r = Recorder::new(MetricsConfig::default(), at(0.0));
    r.first_paint_only();
    content(&mut r, 100.0, "aa");
    r.frame(at(105.0));
    r.paint(at(118.0), 2);
    r.frame(at(121.0));
    content(&mut r, 130.0, "bb");
    r.paint(at(150.0), 4); // after the first paint: ignored
    r.end(at(200.0), Outcome::Complete, None);
    let rep = r.report();
    assert_eq!(rep.paint_scope, PaintScope::First);
    assert_eq!(rep.perceived_ttft_ms, Some(118.0));
    assert_eq!(rep.paint_count, 1);
    assert_eq!(rep.render_lag_count, 0);
    assert_eq!(rep.render_lag_p50_ms, None);
    assert_eq!(rep.render_lag_max_ms, None);
    assert_eq!(rep.chars_per_paint_max, None);
    assert_eq!(rep.burst_share_paint, None);
    assert_eq!(rep.frame_count, None);
    assert_eq!(rep.unpainted_frame_count, None);
    assert!(
        rep.render_lag_histogram.histogram.is_empty(),
        "nothing pooled into aggregates"
    );
    assert_eq!(rep.timeline.paints.len(), 1);
    let json = serde_json::to_value(&rep).unwrap();
    assert_eq!(json["paintScope"], "first");

    // The same responses with every paint: render lag and bursts are measured, scope "all".
    let mut all = Recorder::new(MetricsConfig::default(), at(0.0));
    content(&mut all, 100.0, "aa");
    all.paint(at(118.0), 2);
    content(&mut all, 130.0, "bb");
    all.paint(at(150.0), 4);
    let rep = all.report();
    assert_eq!(rep.paint_scope, PaintScope::All);
    assert_eq!(rep.paint_count, 2);
    assert_eq!(rep.render_lag_max_ms, Some(20.0));
    assert_eq!(serde_json::to_value(&rep).unwrap()["paintScope"], "all");
}
