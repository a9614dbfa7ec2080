//! The JS-facing contract of the bindings, in headless Chromium (`wasm-pack test --headless --chrome --test web`):
//! real JS values in and out, real JS `Error`/`RangeError`s, report objects with the documented field names.
#![cfg(target_arch = "wasm32")]

use chat_vitals::wasm::*;
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |o, k| {
        Reflect::get(&o, &JsValue::from_str(k)).expect("object")
    })
}

/// A JS error's `message`.
fn message(e: &JsValue) -> String {
    get(e, "message").as_string().expect("an Error")
}

fn obj(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("valid JSON")
}

fn headers(pairs: &[(&str, &str)]) -> JsValue {
    let a = Array::new();
    for (k, v) in pairs {
        a.push(&Array::of2(&JsValue::from_str(k), &JsValue::from_str(v)));
    }
    a.into()
}

const ROLE: &str =
    "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n";
const HI: &str = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";

fn streamed_meter(start_ms: f64) -> JsMeter {
    let mut m = JsMeter::new(start_ms, JsValue::UNDEFINED).unwrap();
    m.headers(
        start_ms + 40.0,
        200,
        headers(&[("content-type", "text/event-stream")]),
    )
    .unwrap();
    m.chunk(start_ms + 50.0, ROLE.as_bytes()).unwrap();
    m.chunk(start_ms + 120.0, HI.as_bytes()).unwrap();
    m.chunk(start_ms + 150.0, HI.as_bytes()).unwrap();
    m.chunk(start_ms + 151.0, b"data: [DONE]\n\n").unwrap();
    m.end(start_ms + 152.0, "eof").unwrap();
    m
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn meter_report_is_a_plain_object_with_camel_case_ms_fields() {
    let m = streamed_meter(1000.0);
    let r = m.report().unwrap();
    assert_eq!(get(&r, "ttftMs").as_f64(), Some(120.0));
    assert_eq!(get(&r, "ttftByRule.firstChoices").as_f64(), Some(50.0));
    assert_eq!(get(&r, "outcome").as_string().as_deref(), Some("complete"));
    assert_eq!(
        get(&r, "format").as_string().as_deref(),
        Some("openai-chat")
    );
    assert_eq!(get(&r, "gapCount").as_f64(), Some(1.0));
    assert_eq!(get(&r, "tpotMs").as_f64(), Some(30.0));
    assert!(
        get(&r, "perceivedTtftMs").is_null(),
        "undefined metrics are null, not 0 or NaN"
    );
    let chunks: Array = get(&r, "timeline.chunks").dyn_into().unwrap();
    assert_eq!(chunks.length(), 2);
    assert!(m.ended());
}

/// Calls `method` on a JS object through JS (for a wasm-bindgen class: through its generated glue).
fn call(object: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    let f: js_sys::Function = Reflect::get(object, &method.into())
        .expect("object")
        .dyn_into()
        .expect("a method");
    f.apply(object, &args.iter().collect::<Array>())
        .expect("no throw")
}

#[wasm_bindgen_test]
fn chunk_accepts_a_uint8array_view() {
    // As the kit calls it: from JS, with a view into a larger buffer (byteOffset 3, other bytes on
    // both sides). Reading the whole buffer would count 6 more bytes and break the SSE line.
    let meter: JsValue = JsMeter::new(0.0, JsValue::UNDEFINED).unwrap().into();
    let len = HI.len() as u32;
    let buffer = Uint8Array::new_with_length(len + 6);
    buffer.fill(b'x', 0, len + 6);
    buffer.set(&Uint8Array::from(HI.as_bytes()), 3);
    let view = buffer.subarray(3, 3 + len);
    assert_eq!((view.byte_offset(), view.length()), (3, len));
    call(&meter, "chunk", &[10.0.into(), view.into()]);
    let report = call(&meter, "report", &[]);
    assert_eq!(get(&report, "bytes").as_f64(), Some(f64::from(len)));
    assert_eq!(get(&report, "contentChars").as_f64(), Some(2.0));
}

#[wasm_bindgen_test]
fn bad_timestamps_and_names_are_range_errors() {
    let e = JsMeter::new(f64::NAN, JsValue::UNDEFINED)
        .err()
        .expect("NaN start rejected");
    assert!(e.is_instance_of::<js_sys::RangeError>());
    let mut m = JsMeter::new(0.0, JsValue::UNDEFINED).unwrap();
    assert!(
        m.chunk(-1.0, b"x")
            .err()
            .unwrap()
            .is_instance_of::<js_sys::RangeError>()
    );
    let e = m.end(1.0, "finished").err().unwrap();
    assert!(e.is_instance_of::<js_sys::RangeError>());
    assert!(message(&e).contains("aborted"));
}

#[wasm_bindgen_test]
fn invalid_options_are_errors_that_say_what_to_fix() {
    let e = JsMeter::new(0.0, obj(r#"{"stallThresholdMs": -5}"#))
        .err()
        .unwrap();
    assert!(e.is_instance_of::<js_sys::Error>());
    let msg = message(&e);
    assert!(msg.contains("stallThresholdMs"), "{msg}");
    let e = JsMeter::new(0.0, obj(r#"{"format": "carrier-pigeon"}"#))
        .err()
        .unwrap();
    assert!(e.is_instance_of::<js_sys::Error>());
    assert!(
        check_format("carrier-pigeon")
            .err()
            .unwrap()
            .is_instance_of::<js_sys::RangeError>()
    );
    assert!(check_format("anthropic").is_ok());
}

#[wasm_bindgen_test]
async fn aggregate_summary_export_and_budget() {
    let mut agg = JsAggregate::new(JsValue::UNDEFINED).unwrap();
    assert!(
        !agg.add(&streamed_meter(0.0), Some(true)),
        "warm-up is skipped"
    );
    assert!(agg.add(&streamed_meter(500.0), None));
    assert!(agg.add(&streamed_meter(900.0), None));
    assert_eq!(agg.responses(), 2.0);
    let s = agg.summary().unwrap();
    assert_eq!(get(&s, "metrics.ttft.count").as_f64(), Some(2.0));
    assert!((get(&s, "metrics.ttft.p50").as_f64().unwrap() - 120.0).abs() < 0.2);
    assert_eq!(get(&s, "warmupSkipped").as_f64(), Some(1.0));
    let histf = JsFuture::from(agg.export_histogram("ttft")).await.unwrap();
    assert!(histf.as_string().unwrap().starts_with("HISTF"));
    assert!(
        JsFuture::from(agg.export_histogram("nope"))
            .await
            .err()
            .unwrap()
            .is_instance_of::<js_sys::RangeError>()
    );
    // Import resolves once merged; a bad text rejects with a RangeError and changes nothing.
    let other = JsAggregate::new(JsValue::UNDEFINED).unwrap();
    let text = histf.as_string().unwrap();
    JsFuture::from(other.import_histogram("ttft".into(), &text))
        .await
        .unwrap();
    let bad = JsFuture::from(other.merge_histogram("ttft".into(), "HISTF!"))
        .await
        .err()
        .unwrap();
    assert!(
        bad.is_instance_of::<js_sys::RangeError>(),
        "{}",
        message(&bad)
    );
    assert_eq!(
        get(&other.summary().unwrap(), "metrics.ttft.count").as_f64(),
        Some(2.0)
    );
    // One rule for an unknown metric: a RangeError naming it and the valid ones.
    for e in [
        agg.spectrum("nope").err().unwrap(),
        agg.log_bins("nope", 8).err().unwrap(),
    ] {
        assert!(e.is_instance_of::<js_sys::RangeError>());
        let msg = message(&e);
        assert!(msg.contains("\"nope\"") && msg.contains("ttft, "), "{msg}");
    }
    assert!(agg.spectrum("ttft").is_ok());
    let ok = agg.check_budget(obj(r#"{"ttft.p95": 1000}"#)).unwrap();
    assert_eq!(get(&ok, "pass").as_bool(), Some(true));
    let bad = agg
        .check_budget(JsValue::from_str(r#"{"ttft.p95": 10}"#))
        .unwrap();
    assert_eq!(get(&bad, "pass").as_bool(), Some(false));
    let e = agg.check_budget(obj(r#"{"tfft.p95": 10}"#)).err().unwrap();
    assert!(message(&e).contains("tfft"));
    let hlog = JsFuture::from(agg.to_hlog(1_700_000_000.0, None))
        .await
        .unwrap();
    assert!(hlog.as_string().unwrap().contains("Tag=ttft,"));
}

#[wasm_bindgen_test]
fn ratings_follow_web_vitals_conventions() {
    assert_eq!(
        rate("ttft", 100.0).unwrap().as_string().as_deref(),
        Some("good")
    );
    assert_eq!(
        rate("ttft", 5000.0).unwrap().as_string().as_deref(),
        Some("poor")
    );
    assert!(rate("bytes", 1.0).unwrap().is_undefined());
    let t = thresholds().unwrap();
    assert_eq!(
        get(&t, "ttft.direction").as_string().as_deref(),
        Some("lower-is-better")
    );
}
