//! Finish reasons (issue 13): every format's own field reaches `Signal::Finish`, the report's
//! `finishReason` and `cutByLength`, the aggregate's `finishReasons` counts and the
//! `cutByLength` budget key.

mod common;

use chat_vitals::aggregate::{Aggregate, AggregateConfig};
use chat_vitals::budget::check_budget;
use chat_vitals::meter::{EndReason, Meter, MeterConfig};
use chat_vitals::time::Micros;
use chat_vitals::wire::WireFormat;

const CHAT: &str = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n\
data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n\
data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n\
data: [DONE]\n\n";

const RESPONSES_COMPLETED: &str = "event: response.output_text.delta\n\
data: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n\
event: response.completed\n\
data: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n";

const RESPONSES_INCOMPLETE: &str = "event: response.output_text.delta\n\
data: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n\
event: response.incomplete\n\
data: {\"type\":\"response.incomplete\",\"response\":{\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"}}}\n\n";

const ANTHROPIC: &str = "event: message_start\n\
data: {\"type\":\"message_start\",\"message\":{\"stop_reason\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n\
event: content_block_delta\n\
data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n\
event: message_delta\n\
data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}\n\n\
event: message_stop\n\
data: {\"type\":\"message_stop\"}\n\n";

const OLLAMA: &str = "{\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n\
{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":4,\"eval_count\":1}\n";

const AI_SDK_UI: &str = "data: {\"type\":\"text-delta\",\"id\":\"t1\",\"delta\":\"Hi\"}\n\n\
data: {\"type\":\"finish\",\"finishReason\":\"tool-calls\"}\n\n\
data: [DONE]\n\n";

const AI_SDK_DATA: &str = "0:\"Hi\"\n\
d:{\"finishReason\":\"content-filter\",\"usage\":{\"promptTokens\":1,\"completionTokens\":1}}\n";

fn finish_reasons(format: WireFormat, body: &str) -> Vec<String> {
    common::decode(Some(format), &[], body.as_bytes()).finish_reasons
}

#[test]
fn every_format_reports_its_own_finish_field() {
    let cases = [
        (WireFormat::OpenAiChat, CHAT, "length"),
        (
            WireFormat::OpenAiResponses,
            RESPONSES_COMPLETED,
            "completed",
        ),
        (
            WireFormat::OpenAiResponses,
            RESPONSES_INCOMPLETE,
            "max_output_tokens",
        ),
        (WireFormat::Anthropic, ANTHROPIC, "max_tokens"),
        (WireFormat::Ollama, OLLAMA, "stop"),
        (WireFormat::AiSdkUi, AI_SDK_UI, "tool-calls"),
        (WireFormat::AiSdkData, AI_SDK_DATA, "content-filter"),
    ];
    for (format, body, reason) in cases {
        assert_eq!(finish_reasons(format, body), [reason], "{format}");
        let report = meter_report(Some(format), body, EndReason::Eof);
        assert_eq!(report.finish_reason.as_deref(), Some(reason), "{format}");
    }
    // `finish_reason: null` on the role and content chunks says nothing.
    assert!(
        finish_reasons(
            WireFormat::OpenAiChat,
            &CHAT[..CHAT
                .find("data: {\"choices\":[{\"index\":0,\"delta\":{}")
                .unwrap()]
        )
        .is_empty()
    );
    assert!(finish_reasons(WireFormat::Text, "stop").is_empty());
}

#[test]
fn finish_reasons_do_not_depend_on_how_the_body_was_split() {
    for body in [CHAT, ANTHROPIC, OLLAMA, AI_SDK_DATA] {
        let whole = common::decode(None, &[], body.as_bytes()).finish_reasons;
        for cut in 1..body.len() {
            let split = common::decode_cuts(None, 1 << 20, &[], body.as_bytes(), &[cut]);
            assert_eq!(split.finish_reasons, whole, "cut at {cut} of {body:?}");
        }
    }
}

#[test]
fn a_long_finish_reason_is_cut_at_a_char_boundary() {
    let long = "é".repeat(100);
    let body = format!(
        "data: {{\"choices\":[{{\"delta\":{{\"content\":\"x\"}},\"finish_reason\":\"{long}\"}}]}}\n\ndata: [DONE]\n\n"
    );
    let report = meter_report(None, &body, EndReason::Eof);
    let reason = report.finish_reason.expect("a finish reason");
    assert_eq!(reason.len(), chat_vitals::metrics::MAX_FINISH_REASON_BYTES);
    assert!(long.starts_with(&reason));
}

fn meter_report(
    format: Option<WireFormat>,
    body: &str,
    end: EndReason,
) -> chat_vitals::metrics::ResponseReport {
    let mut m = Meter::new(
        MeterConfig {
            format,
            ..MeterConfig::default()
        },
        Micros(0),
    );
    m.headers(Micros(10_000), 200, []);
    m.chunk(Micros(20_000), body.as_bytes());
    m.end(Micros(30_000), end);
    m.report().response
}

#[test]
fn cut_by_length_is_set_for_each_formats_length_reason_only() {
    let cut = |format, body| meter_report(Some(format), body, EndReason::Eof).cut_by_length;
    assert_eq!(cut(WireFormat::OpenAiChat, CHAT), Some(true));
    assert_eq!(cut(WireFormat::Anthropic, ANTHROPIC), Some(true));
    assert_eq!(
        cut(WireFormat::OpenAiResponses, RESPONSES_INCOMPLETE),
        Some(true)
    );
    assert_eq!(cut(WireFormat::Ollama, OLLAMA), Some(false));
    assert_eq!(cut(WireFormat::Text, "plain"), None);
}

#[test]
fn the_summary_counts_finish_reasons_and_the_budget_limits_the_share_cut_by_length() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    let stop = CHAT.replace("\"length\"", "\"stop\"");
    for body in [CHAT, CHAT, CHAT, &stop, &stop] {
        let mut m = Meter::new(MeterConfig::default(), Micros(0));
        m.chunk(Micros(20_000), body.as_bytes());
        m.end(Micros(30_000), EndReason::Eof);
        agg.add(&m.report().response);
    }
    let mut none = Meter::new(MeterConfig::default(), Micros(0));
    none.chunk(Micros(20_000), b"plain text, no finish reason");
    none.end(Micros(30_000), EndReason::Eof);
    agg.add(&none.report().response);

    let summary = agg.summary();
    assert_eq!(summary.finish_reasons.get("length"), Some(&3));
    assert_eq!(summary.finish_reasons.get("stop"), Some(&2));
    assert_eq!(
        summary.finish_reasons.len(),
        2,
        "no key for a response without one"
    );
    let cut = &summary.metrics["cutByLength"];
    assert_eq!(cut.count, 5, "only responses with a finish reason");
    assert_eq!(cut.mean, Some(0.6), "3 of 5 cut by length, exactly");

    let result = check_budget(r#"{"cutByLength.mean": 0.5}"#, &agg).expect("valid budget");
    assert!(!result.pass);
    assert_eq!(result.violations[0].actual, Some(0.6));
    assert!(
        check_budget(r#"{"cutByLength.mean": 0.6}"#, &agg)
            .unwrap()
            .pass
    );

    let mut other = Aggregate::new(AggregateConfig::default());
    other.merge(&agg);
    other.merge(&agg);
    assert_eq!(other.summary().finish_reasons.get("length"), Some(&6));
}

#[test]
fn invented_finish_reasons_are_capped_in_the_summary() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    let max = chat_vitals::aggregate::MAX_FINISH_REASONS;
    for i in 0..max + 5 {
        let body = CHAT.replace("\"length\"", &format!("\"r{i}\""));
        let mut m = Meter::new(MeterConfig::default(), Micros(0));
        m.chunk(Micros(20_000), body.as_bytes());
        m.end(Micros(30_000), EndReason::Eof);
        agg.add(&m.report().response);
    }
    let counts = agg.summary().finish_reasons;
    assert_eq!(counts.len(), max + 1);
    assert_eq!(
        counts.get(chat_vitals::aggregate::OTHER_FINISH_REASONS),
        Some(&5)
    );
}
