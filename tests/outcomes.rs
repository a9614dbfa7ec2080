//! Outcome rules (issue 13, issue 14 defect 1): a client's own abort after a finished stream is
//! `complete`; a broken stream never is. "Finished" = the end marker, plus a finish reason for
//! the formats that send one before it (Chat Completions, Anthropic).

use chat_vitals::meter::{EndReason, FormatSource, Meter, MeterConfig};
use chat_vitals::metrics::Outcome;
use chat_vitals::time::Micros;
use chat_vitals::wire::{DetectedBy, WireFormat};

const CONTENT: &str = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n";
const FINISH: &str =
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
const DONE: &str = "data: [DONE]\n\n";

fn outcome(headers: &[(&str, &str)], parts: &[&str], end: EndReason) -> Option<Outcome> {
    let mut m = Meter::new(MeterConfig::default(), Micros(0));
    m.headers(Micros(5_000), 200, headers.iter().copied());
    for (i, part) in parts.iter().enumerate() {
        m.chunk(Micros(10_000 * (i as u64 + 1)), part.as_bytes());
    }
    m.end(Micros(1_000_000), end);
    m.report().response.outcome
}

const SSE: &[(&str, &str)] = &[("content-type", "text/event-stream")];

#[test]
fn the_preempted_llama_cpp_python_stream_is_interrupted_not_complete() {
    // Content, `[DONE]` without a finish reason, then the connection drops mid chunked body:
    // the browser's read fails (TypeError), which the kit reports as a read error.
    let parts = [CONTENT, CONTENT, DONE];
    assert_eq!(
        outcome(SSE, &parts, EndReason::ReadError),
        Some(Outcome::Interrupted)
    );
}

#[test]
fn a_read_error_is_interrupted_even_after_a_whole_answer() {
    assert_eq!(
        outcome(SSE, &[CONTENT, FINISH, DONE], EndReason::ReadError),
        Some(Outcome::Interrupted)
    );
    assert_eq!(
        outcome(SSE, &[CONTENT], EndReason::ReadError),
        Some(Outcome::Interrupted)
    );
}

#[test]
fn a_cut_off_plain_text_body_read_error_is_interrupted() {
    // Text has no end marker: the end of the body is its end, so only the read error tells.
    let text = &[("content-type", "text/plain")];
    assert_eq!(
        outcome(text, &["Once upon a ti"], EndReason::ReadError),
        Some(Outcome::Interrupted)
    );
    assert_eq!(
        outcome(text, &["Once upon a time."], EndReason::Eof),
        Some(Outcome::Complete)
    );
    assert_eq!(
        outcome(text, &["Once upon"], EndReason::Aborted),
        Some(Outcome::Aborted),
        "text never finishes before the body ends"
    );
}

#[test]
fn a_client_abort_is_complete_only_after_the_end_marker_and_the_finish_reason() {
    assert_eq!(
        outcome(SSE, &[CONTENT, FINISH, DONE], EndReason::Aborted),
        Some(Outcome::Complete),
        "SDKs abort their own request after [DONE]"
    );
    assert_eq!(
        outcome(SSE, &[CONTENT, DONE], EndReason::Aborted),
        Some(Outcome::Aborted),
        "[DONE] without a finish reason"
    );
    assert_eq!(
        outcome(SSE, &[CONTENT, FINISH], EndReason::Aborted),
        Some(Outcome::Aborted),
        "a finish reason without [DONE]"
    );
}

#[test]
fn formats_whose_end_marker_is_the_finish_event_need_nothing_more() {
    let ndjson = &[("content-type", "application/x-ndjson")];
    let old_ollama = "{\"response\":\"Hi\",\"done\":false}\n{\"response\":\"\",\"done\":true,\"eval_count\":1}\n";
    assert_eq!(
        outcome(ndjson, &[old_ollama], EndReason::Aborted),
        Some(Outcome::Complete),
        "Ollama before done_reason: \"done\": true is the end"
    );
    let anthropic_stop_only = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    assert_eq!(
        outcome(SSE, &[anthropic_stop_only], EndReason::Aborted),
        Some(Outcome::Aborted),
        "Anthropic sends stop_reason in message_delta before message_stop"
    );
}

#[test]
fn a_failed_request_is_a_network_error_and_a_clean_close_without_marker_is_truncated() {
    let mut m = Meter::new(MeterConfig::default(), Micros(0));
    m.end(Micros(1_000), EndReason::Error);
    let r = m.report().response;
    assert_eq!(r.outcome, Some(Outcome::Error));
    assert_eq!(r.error_class.as_deref(), Some("network"));
    assert_eq!(
        outcome(SSE, &[CONTENT, FINISH, DONE], EndReason::Error),
        Some(Outcome::Error),
        "never complete"
    );
    assert_eq!(
        outcome(SSE, &[CONTENT], EndReason::Eof),
        Some(Outcome::Truncated)
    );
}

#[test]
fn end_reasons_parse_by_name_and_the_error_lists_them() {
    assert_eq!("read-error".parse::<EndReason>(), Ok(EndReason::ReadError));
    let err = "reset".parse::<EndReason>().unwrap_err();
    assert!(err.contains("read-error"), "{err}");
    assert_eq!("interrupted".parse::<Outcome>(), Ok(Outcome::Interrupted));
}

#[test]
fn a_format_chosen_by_a_preset_is_reported_as_preset() {
    let report = |format_source| {
        let mut m = Meter::new(
            MeterConfig {
                format: Some(WireFormat::Anthropic),
                format_source,
                ..MeterConfig::default()
            },
            Micros(0),
        );
        m.chunk(Micros(1_000), b"event: ping\ndata: {\"type\":\"ping\"}\n\n");
        m.report().format_detected_by
    };
    assert_eq!(report(FormatSource::Preset), Some(DetectedBy::Preset));
    assert_eq!(report(FormatSource::Override), Some(DetectedBy::Override));
    let config: MeterConfig =
        serde_json::from_str(r#"{"format":"ollama","formatSource":"preset"}"#).unwrap();
    assert_eq!(config.format_source, FormatSource::Preset);
}

#[test]
fn options_may_set_part_of_fluidity_and_qoe_and_bad_ratings_name_the_option() {
    let config: MeterConfig = serde_json::from_str(
        r#"{"fluidity":{"ttftDeadlineMs":200},"qoe":{"readingTokensPerS":3.3}}"#,
    )
    .expect("partial objects keep the other defaults");
    assert_eq!(config.metrics.fluidity.ttft_deadline_ms, 200.0);
    assert_eq!(config.metrics.fluidity.tbt_deadline_ms, 50.0);
    assert_eq!(config.metrics.qoe.ttft_expected_ms, 1000.0);
    assert_eq!(config.metrics.validate(), Ok(()));

    let bad = |json: &str| {
        let c: MeterConfig = serde_json::from_str(json).expect("parses");
        let e = c.metrics.validate().expect_err("invalid");
        (e.option(), e.to_string())
    };
    let (option, message) = bad(r#"{"ratings":{"ttfx":[1,2]}}"#);
    assert_eq!(option, "ratings.ttfx");
    assert!(message.contains("perceivedTtft"), "{message}");
    assert_eq!(bad(r#"{"ratings":{"ttft":[3000,800]}}"#).0, "ratings.ttft");
    assert_eq!(
        bad(r#"{"ratings":{"fluidity":[0.6,0.9]}}"#).0,
        "ratings.fluidity"
    );
    assert_eq!(
        bad(r#"{"cost":{"inputUsdPerMtok":-1,"outputUsdPerMtok":1}}"#).0,
        "cost"
    );
    assert_eq!(
        bad(r#"{"qoe":{"readingTokensPerS":0}}"#).0,
        "qoe.readingTokensPerS"
    );
    let ok: MeterConfig =
        serde_json::from_str(r#"{"ratings":{"ttft":[800,3000],"fluidity":[0.9,0.6]}}"#).unwrap();
    assert_eq!(ok.metrics.validate(), Ok(()));
}

#[test]
fn a_response_that_was_not_a_stream_has_its_own_outcome_and_is_not_counted_complete() {
    use chat_vitals::aggregate::{Aggregate, AggregateConfig};
    let json = &[("content-type", "application/json")][..];
    let mut m = Meter::new(MeterConfig::default(), Micros(0));
    m.headers(Micros(5_000), 200, json.iter().copied());
    m.end(Micros(6_000), EndReason::NotStreamed);
    let report = m.report();
    assert_eq!(report.response.outcome, Some(Outcome::NotStreamed));
    assert!(!report.streamed);
    assert_eq!(
        serde_json::to_value(Outcome::NotStreamed).unwrap(),
        "not-streamed"
    );
    let mut agg = Aggregate::new(AggregateConfig::default());
    agg.add(&report.response);
    assert_eq!(agg.outcomes().get("not-streamed"), Some(&1));
    assert_eq!(agg.outcomes().get("complete"), None);
}
