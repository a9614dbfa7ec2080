//! [`Meter`]: one measured response end to end — bytes and arrival times in, a [`MeterReport`] out.
//!
//! It glues the two halves of the core: a [`StreamDecoder`] turns body bytes into [`Signal`]s and a
//! [`Recorder`] turns timed signals into metrics. It also decides the response's [`Outcome`] from what
//! the transport and the decoder saw, so every caller (the fetch wrapper, the manual path, tests) gets the
//! same rules:
//!
//! | seen | outcome |
//! |---|---|
//! | HTTP status outside 200–299 | `http-error` (no TTFT) |
//! | an error event or error payload in the stream | `error`, with the server's class |
//! | the client aborted ([`EndReason::Aborted`]: the app's `AbortSignal`, or the app cancelled its reader) after the stream finished (see below) | `complete` (SDKs abort their own request once they read `[DONE]`) |
//! | the client aborted otherwise | `aborted` |
//! | a body read failed ([`EndReason::ReadError`]: a reset, a chunked body cut mid-chunk), whatever arrived before | `interrupted` |
//! | the request failed before a response ([`EndReason::Error`]) | `error`, class `network` |
//! | the response was not a stream ([`EndReason::NotStreamed`]: passed through unread) | `not-streamed` |
//! | the body ended inside an event, or without the format's end marker | `truncated` |
//! | otherwise | `complete` |
//!
//! "The stream finished" means its end marker arrived and, for the formats that send a finish
//! reason before it ([`WireFormat::finish_reason_precedes_end`]: Chat Completions, Anthropic), a
//! finish reason arrived too. A read error is never a clean end: the app's own read failed the
//! same way, and a server that preempts a request may send `[DONE]` without a finish reason and
//! then drop the connection. (In WebKit a cut-off body ends as a normal read, so there a cut
//! plain-text body, which has no end marker, cannot be told from a whole one.)
//!
//! ```
//! use chat_vitals::meter::{EndReason, Meter, MeterConfig};
//! use chat_vitals::time::Micros;
//!
//! let mut m = Meter::new(MeterConfig::default(), Micros(0));
//! m.headers(Micros(80_000), 200, [("content-type", "text/event-stream")]);
//! m.chunk(Micros(120_000), b"data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n");
//! m.chunk(Micros(150_000), b"data: [DONE]\n\n");
//! m.end(Micros(151_000), EndReason::Eof);
//! assert_eq!(m.report().response.ttft_ms, Some(120.0));
//! ```

use serde::{Deserialize, Serialize};

use crate::metrics::{MetricsConfig, Outcome, Recorder, ResponseReport};
use crate::signal::{DeltaKind, Signal};
use crate::time::Micros;
use crate::wire::{DecoderConfig, DetectedBy, StreamDecoder, StreamEnd, WireFormat};

/// How the transport ended the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EndReason {
    /// The body ended normally (reader `done`).
    Eof,
    /// The request was aborted (`AbortSignal`, the app cancelled the body).
    Aborted,
    /// The request failed before any response (`fetch` rejected: DNS, refused connection, CORS).
    Error,
    /// A read of the body failed after the response started (a connection reset, a chunked body
    /// closed mid-chunk): in Chromium and Firefox a `TypeError` from `reader.read()`. Never a
    /// clean end, even after the end marker.
    ReadError,
    /// The response was not a stream (e.g. a JSON body); passed through and recorded as such.
    NotStreamed,
}

impl std::str::FromStr for EndReason {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "eof" | "complete" => EndReason::Eof,
            "aborted" => EndReason::Aborted,
            "error" => EndReason::Error,
            "read-error" => EndReason::ReadError,
            "not-streamed" => EndReason::NotStreamed,
            _ => {
                return Err(crate::message::concat(&[
                    "unknown end reason \"",
                    s,
                    "\"; use eof, aborted, read-error, error or not-streamed",
                ]));
            }
        })
    }
}

/// Configuration of one [`Meter`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MeterConfig {
    /// Metric definitions and thresholds.
    #[serde(flatten)]
    pub metrics: MetricsConfig,
    /// Force a wire format instead of detecting it.
    pub format: Option<WireFormat>,
    /// Longest line or event kept, in bytes (longer ones are dropped and counted). 0 = default (1 MiB).
    pub max_line_bytes: usize,
    /// Keep the answer text so the page can render it with [`Meter::take_text`]. Off by default: the
    /// text never leaves the page either way, and is never part of a report.
    pub capture_text: bool,
    /// Who chose `format`: the user (`override`, the default) or a preset (`preset`, reported as
    /// `formatDetectedBy: "preset"`). Ignored without `format`.
    pub format_source: FormatSource,
}

/// Who chose a forced [`MeterConfig::format`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormatSource {
    /// The user named the format. Reported as `formatDetectedBy: "override"`.
    #[default]
    Override,
    /// A preset (a named endpoint kind) implies the format. Reported as `"preset"`.
    Preset,
}

/// Largest captured-but-not-taken text kept (a renderer that stops taking must not grow memory).
const MAX_CAPTURED_BYTES: usize = 1 << 20;

/// A response's report: the metrics plus what the decoder found out.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeterReport {
    /// Every metric (flattened into the same JSON object).
    #[serde(flatten)]
    pub response: ResponseReport,
    /// The wire format used (`null` until detected).
    pub format: Option<WireFormat>,
    /// How the format was chosen (`override`, `preset`, `header`, `content-type`, `first-bytes`, `fallback`).
    pub format_detected_by: Option<DetectedBy>,
    /// False when the response was not a stream (passed through, recorded as such).
    pub streamed: bool,
}

/// One measured response.
pub struct Meter {
    decoder: StreamDecoder,
    recorder: Recorder,
    capture_text: bool,
    captured: String,
    error_class: Option<String>,
    http_status: Option<u16>,
    streamed: bool,
    ended: bool,
    /// The format's end marker arrived (`[DONE]`, `message_stop`, …).
    end_marker_seen: bool,
    /// A finish reason arrived (`finish_reason`, `stop_reason`, …).
    finish_seen: bool,
    format_source: FormatSource,
}

impl Meter {
    /// Starts measuring a response whose request started at `request_start` (caller's clock).
    pub fn new(config: MeterConfig, request_start: Micros) -> Self {
        let mut decoder_config = DecoderConfig {
            format: config.format,
            ..DecoderConfig::default()
        };
        if config.max_line_bytes > 0 {
            decoder_config.max_line_bytes = config.max_line_bytes;
        }
        Meter {
            decoder: StreamDecoder::new(decoder_config),
            recorder: Recorder::new(config.metrics, request_start),
            capture_text: config.capture_text,
            captured: String::new(),
            error_class: None,
            http_status: None,
            streamed: true,
            ended: false,
            end_marker_seen: false,
            finish_seen: false,
            format_source: config.format_source,
        }
    }

    /// The user's send action (click/Enter), when the app marks it.
    pub fn mark_send_action(&mut self, at: Micros) {
        self.recorder.mark_send_action(at);
    }

    /// Response status and headers arrived.
    pub fn headers<'h>(
        &mut self,
        at: Micros,
        status: u16,
        headers: impl IntoIterator<Item = (&'h str, &'h str)>,
    ) {
        if self.ended {
            return;
        }
        self.http_status = Some(status);
        self.recorder.headers(at, status);
        self.decoder.set_headers(headers);
    }

    /// A network read of the body arrived at `at`.
    pub fn chunk(&mut self, at: Micros, bytes: &[u8]) {
        if self.ended || bytes.is_empty() {
            return;
        }
        self.recorder.bytes(at, bytes.len());
        let Meter {
            decoder,
            recorder,
            capture_text,
            captured,
            error_class,
            end_marker_seen,
            finish_seen,
            ..
        } = self;
        decoder.feed(bytes, &mut |s| {
            *end_marker_seen |= matches!(s, Signal::End);
            *finish_seen |= matches!(s, Signal::Finish { .. });
            on_signal(recorder, *capture_text, captured, error_class, at, s)
        });
    }

    /// A paint made text visible: `visible_chars` is the total visible now.
    pub fn paint(&mut self, at: Micros, visible_chars: u32) {
        self.recorder.paint(at, visible_chars);
    }

    /// A rendered frame that started at `frame_start` (after its paint, if any); see [`Recorder::frame`].
    pub fn frame(&mut self, frame_start: Micros) {
        self.recorder.frame(frame_start);
    }

    /// The caller observes long animation frames for this response (see [`Recorder::observe_long_frames`]).
    pub fn observe_long_frames(&mut self) {
        self.recorder.observe_long_frames();
    }

    /// A long animation frame (see [`Recorder::long_frame`]); accepted after `end` too.
    pub fn long_frame(&mut self, start: Micros, duration_ms: f64, blocking_ms: f64) {
        self.recorder.long_frame(start, duration_ms, blocking_ms);
    }

    /// Only the first paint will be timed (see [`crate::metrics::Recorder::first_paint_only`]).
    pub fn first_paint_only(&mut self) {
        self.recorder.first_paint_only();
    }

    /// Marks the perceived metrics invalid (e.g. the page was hidden), with the reason.
    pub fn invalidate_perceived(&mut self, reason: &str) {
        self.recorder.invalidate_perceived(reason);
    }

    /// Text captured since the last call (only with `capture_text`).
    pub fn take_text(&mut self) -> String {
        std::mem::take(&mut self.captured)
    }

    /// Ends the response. Further calls (and chunks) are ignored.
    pub fn end(&mut self, at: Micros, reason: EndReason) {
        if self.ended {
            return;
        }
        self.ended = true;
        let Meter {
            decoder,
            recorder,
            capture_text,
            captured,
            error_class,
            ..
        } = self;
        let end = decoder
            .finish(&mut |s| on_signal(recorder, *capture_text, captured, error_class, at, s));
        let counters = self.decoder.counters();
        self.recorder
            .set_diagnostics(counters.parse_errors, counters.oversized_lines);
        if reason == EndReason::NotStreamed {
            self.streamed = false;
        }
        let (outcome, class) = self.outcome(reason, end);
        self.recorder.end(at, outcome, class.as_deref());
    }

    /// The stream finished: its end marker arrived and, where the format sends a finish reason
    /// before it, the finish reason too.
    fn stream_finished(&self) -> bool {
        let needs_finish = self
            .decoder
            .format()
            .is_some_and(|(f, _)| f.finish_reason_precedes_end());
        self.end_marker_seen && (self.finish_seen || !needs_finish)
    }

    /// The outcome rules of the module docs.
    fn outcome(&self, reason: EndReason, end: StreamEnd) -> (Outcome, Option<String>) {
        if !self.http_status.is_none_or(|s| (200..300).contains(&s)) {
            return (Outcome::HttpError, None);
        }
        if let Some(class) = self.error_class.clone() {
            return (Outcome::Error, Some(class));
        }
        match reason {
            // The client stopped reading a whole answer (SDKs abort their own request after `[DONE]`).
            EndReason::Aborted if self.stream_finished() => (Outcome::Complete, None),
            EndReason::Aborted => (Outcome::Aborted, None),
            EndReason::ReadError => (Outcome::Interrupted, None),
            EndReason::Error => (Outcome::Error, Some("network".to_string())),
            EndReason::NotStreamed => (Outcome::NotStreamed, None),
            EndReason::Eof if end.unterminated || !end.saw_end_marker => (Outcome::Truncated, None),
            EndReason::Eof => (Outcome::Complete, None),
        }
    }

    /// A per-chunk series' histogram without building a report (see [`Recorder::series_histogram`]).
    pub fn series_histogram(&self, series: &str) -> Option<&crate::metrics::CountingHistogram> {
        self.recorder.series_histogram(series)
    }

    /// True once [`Meter::end`] was called.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// The report so far (live while streaming, final after `end`).
    pub fn report(&self) -> MeterReport {
        let format = self.decoder.format();
        let by = |by: DetectedBy| match (by, self.format_source) {
            (DetectedBy::Override, FormatSource::Preset) => DetectedBy::Preset,
            (by, _) => by,
        };
        MeterReport {
            response: self.recorder.report(),
            format: format.map(|f| f.0),
            format_detected_by: format.map(|f| by(f.1)),
            streamed: self.streamed,
        }
    }
}

fn on_signal(
    recorder: &mut Recorder,
    capture_text: bool,
    captured: &mut String,
    error_class: &mut Option<String>,
    at: Micros,
    s: Signal<'_>,
) {
    match &s {
        Signal::Error { class } if error_class.is_none() => *error_class = Some(class.clone()),
        Signal::Delta {
            kind: DeltaKind::Content,
            text,
            ..
        } if capture_text && captured.len() + text.len() <= MAX_CAPTURED_BYTES => {
            captured.push_str(text)
        }
        _ => {}
    }
    recorder.signal(at, &s);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sse(m: &mut Meter, at_ms: u64, body: &str) {
        m.chunk(Micros(at_ms * 1000), body.as_bytes());
    }

    const ROLE: &str =
        "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n";
    const HI: &str = "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n";

    #[test]
    fn complete_stream_and_ttft_rules() {
        let mut m = Meter::new(MeterConfig::default(), Micros(0));
        m.headers(Micros(50_000), 200, [("content-type", "text/event-stream")]);
        sse(&mut m, 60, ROLE);
        sse(&mut m, 100, HI);
        sse(&mut m, 130, HI);
        sse(&mut m, 140, "data: [DONE]\n\n");
        m.end(Micros(141_000), EndReason::Eof);
        let r = m.report();
        assert_eq!(r.response.outcome, Some(Outcome::Complete));
        assert_eq!(r.response.ttft_ms, Some(100.0));
        assert_eq!(r.response.ttft_by_rule.first_choices, Some(60.0));
        assert_eq!(r.format, Some(WireFormat::OpenAiChat));
        assert_eq!(r.format_detected_by, Some(DetectedBy::FirstBytes));
    }

    #[test]
    fn missing_terminator_is_truncated_and_abort_wins_over_it() {
        let mut m = Meter::new(MeterConfig::default(), Micros(0));
        m.headers(Micros(1), 200, []);
        sse(&mut m, 10, HI);
        m.end(Micros(20_000), EndReason::Eof);
        assert_eq!(m.report().response.outcome, Some(Outcome::Truncated));

        let mut a = Meter::new(MeterConfig::default(), Micros(0));
        sse(&mut a, 10, HI);
        a.end(Micros(20_000), EndReason::Aborted);
        assert_eq!(a.report().response.outcome, Some(Outcome::Aborted));
    }

    #[test]
    fn only_a_client_abort_after_a_finished_stream_is_complete() {
        const STOP: &str = "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
        let ended = |body: &[&str], reason| {
            let mut m = Meter::new(MeterConfig::default(), Micros(0));
            for (i, part) in body.iter().enumerate() {
                sse(&mut m, 10 * (i as u64 + 1), part);
            }
            m.end(Micros(100_000), reason);
            m.report().response.outcome
        };
        let whole = [HI, STOP, "data: [DONE]\n\n"];
        let no_finish = [HI, "data: [DONE]\n\n"];
        assert_eq!(ended(&whole, EndReason::Aborted), Some(Outcome::Complete));
        assert_eq!(
            ended(&no_finish, EndReason::Aborted),
            Some(Outcome::Aborted)
        );
        assert_eq!(
            ended(&whole, EndReason::ReadError),
            Some(Outcome::Interrupted)
        );
        assert_eq!(
            ended(&no_finish, EndReason::ReadError),
            Some(Outcome::Interrupted)
        );
        assert_eq!(ended(&whole, EndReason::Eof), Some(Outcome::Complete));
        assert_eq!(ended(&no_finish, EndReason::Eof), Some(Outcome::Complete));
    }

    #[test]
    fn error_payload_and_http_error() {
        let mut m = Meter::new(MeterConfig::default(), Micros(0));
        sse(
            &mut m,
            10,
            "data: {\"error\":{\"type\":\"server_error\",\"message\":\"x\"}}\n\n",
        );
        m.end(Micros(20_000), EndReason::Eof);
        let r = m.report().response;
        assert_eq!(r.outcome, Some(Outcome::Error));
        assert_eq!(r.error_class.as_deref(), Some("server_error"));

        let mut h = Meter::new(MeterConfig::default(), Micros(0));
        h.headers(Micros(5_000), 503, [("content-type", "application/json")]);
        sse(&mut h, 10, "{\"error\":\"busy\"}");
        h.end(Micros(20_000), EndReason::Eof);
        let r = h.report().response;
        assert_eq!(r.outcome, Some(Outcome::HttpError));
        assert_eq!(r.http_status, Some(503));
        assert_eq!(r.ttft_ms, None);
    }

    #[test]
    fn captured_text_is_taken_once_and_ignored_after_end() {
        let cfg = MeterConfig {
            capture_text: true,
            ..MeterConfig::default()
        };
        let mut m = Meter::new(cfg, Micros(0));
        sse(&mut m, 10, HI);
        sse(&mut m, 20, HI);
        assert_eq!(m.take_text(), "HiHi");
        assert_eq!(m.take_text(), "");
        m.end(Micros(30_000), EndReason::Eof);
        sse(&mut m, 40, HI);
        assert_eq!(m.take_text(), "");
        assert_eq!(m.report().response.content_chars, 4);
    }

    #[test]
    fn config_from_json_flattens_metric_options() {
        let c: MeterConfig = serde_json::from_str(r#"{"format":"anthropic","firstTokenRule":"first-choices","stallThresholdMs":500,"captureText":true}"#).unwrap();
        assert_eq!(c.format, Some(WireFormat::Anthropic));
        assert_eq!(c.metrics.stall_threshold_ms, 500.0);
        assert!(c.capture_text);
    }
}
