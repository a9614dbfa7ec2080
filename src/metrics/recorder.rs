//! [`Recorder`]: fed one response's events in stream order, computes every metric online.

use super::config::MetricsConfig;
use super::fluidity::Fluidity;
use super::frames::FrameStats;
use super::gap_stats::GapStats;
use super::histogram::CountingHistogram;
use super::names::Outcome;
use super::paint::PaintStats;
use super::qoe::Qoe;
use super::report::PaintScope;
use super::timeline::{ChunkRecord, PaintRecord, Timeline};
use crate::signal::{DeltaKind, Signal, Usage};
use crate::time::Micros;

/// The chunk deltas are currently merging into (all deltas with the same `at`).
#[derive(Clone, Debug)]
pub(super) struct OpenChunk {
    pub at: Micros,
    pub is_output: bool,
    pub output_chars: u64,
    /// Index of its record in the timeline, if kept.
    pub record: Option<usize>,
}

/// Records one streamed response and reports its metrics.
///
/// Feed it in stream order, with timestamps on the caller's clock (the same clock as
/// `request_start`). Every method accepts any input without panicking: timestamps earlier than
/// expected give zero durations (never negative ones). Memory stays bounded: raw records are capped
/// by `timeline_cap`, every metric is computed online.
#[derive(Clone, Debug)]
pub struct Recorder {
    pub(super) config: MetricsConfig,
    pub(super) start: Micros,
    pub(super) send_action: Option<Micros>,
    pub(super) headers_at: Option<Micros>,
    pub(super) http_status: Option<u16>,
    pub(super) first_byte_at: Option<Micros>,
    pub(super) bytes_total: u64,
    last_read: (Micros, u64),
    pub(super) first_event_at: Option<Micros>,
    pub(super) first_choices_at: Option<Micros>,
    pub(super) events: u64,
    pub(super) first_output_at: Option<Micros>,
    pub(super) first_answer_at: Option<Micros>,
    pub(super) last_output_at: Option<Micros>,
    pub(super) chunk: Option<OpenChunk>,
    pub(super) chunk_count: u64,
    pub(super) output_chunk_count: u64,
    /// Chars per kind: content, reasoning, tool, other.
    pub(super) chars: [u64; 4],
    pub(super) event_tokens: u64,
    pub(super) largest_chunk_output_chars: u64,
    pub(super) usage: Usage,
    pub(super) gaps: GapStats,
    pub(super) fluidity: Fluidity,
    pub(super) qoe: Qoe,
    pub(super) paint: PaintStats,
    pub(super) frames: FrameStats,
    pub(super) timeline: Timeline,
    pub(super) end: Option<(Micros, Outcome)>,
    pub(super) error_class: Option<String>,
    pub(super) end_marker_seen: bool,
    /// The last finish reason the wire gave (bounded, see [`MAX_FINISH_REASON_BYTES`]).
    pub(super) finish_reason: Option<String>,
    pub(super) parse_errors: u64,
    pub(super) oversized_lines: u64,
    pub(super) perceived_invalid: Option<String>,
    pub(super) paint_scope: PaintScope,
}

/// Longest finish reason kept, in bytes: the wire's values are short labels (`stop`,
/// `max_tokens`); a longer one is cut at a char boundary so a misbehaving server cannot grow reports.
pub const MAX_FINISH_REASON_BYTES: usize = 64;

fn bounded_label(reason: &str) -> String {
    let mut end = reason.len().min(MAX_FINISH_REASON_BYTES);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    reason[..end].to_owned()
}

fn kind_index(kind: DeltaKind) -> usize {
    match kind {
        DeltaKind::Content => 0,
        DeltaKind::Reasoning => 1,
        DeltaKind::Tool => 2,
        DeltaKind::Other => 3,
    }
}

impl Recorder {
    /// Starts recording a response whose request was sent at `request_start`.
    ///
    /// An invalid config value (see [`MetricsConfig::validate`]) does not fail here: the metric that
    /// depends on it is reported as `null`.
    pub fn new(config: MetricsConfig, request_start: Micros) -> Self {
        let stall_us = (config.stall_threshold_ms.is_finite() && config.stall_threshold_ms > 0.0)
            .then(|| (config.stall_threshold_ms * 1000.0).round() as u64);
        let fluidity = Fluidity::new(
            config.fluidity.ttft_deadline_ms,
            config.fluidity.tbt_deadline_ms,
        );
        let q = config.qoe;
        Recorder {
            start: request_start,
            send_action: None,
            headers_at: None,
            http_status: None,
            first_byte_at: None,
            bytes_total: 0,
            last_read: (Micros::ZERO, 0),
            first_event_at: None,
            first_choices_at: None,
            events: 0,
            first_output_at: None,
            first_answer_at: None,
            last_output_at: None,
            chunk: None,
            chunk_count: 0,
            output_chunk_count: 0,
            chars: [0; 4],
            event_tokens: 0,
            largest_chunk_output_chars: 0,
            usage: Usage::default(),
            gaps: GapStats::new(stall_us),
            fluidity,
            qoe: Qoe::new(
                q.reading_tokens_per_s,
                q.ttft_expected_ms,
                q.ttft_penalty_alpha,
            ),
            paint: PaintStats::default(),
            frames: FrameStats::default(),
            timeline: Timeline::new(config.timeline_cap),
            end: None,
            error_class: None,
            end_marker_seen: false,
            finish_reason: None,
            parse_errors: 0,
            oversized_lines: 0,
            perceived_invalid: None,
            paint_scope: PaintScope::All,
            config,
        }
    }

    /// A per-chunk series' histogram (µs) without building a report, for exporters that read it per
    /// response: `"gaps"`, or `"renderLag"` (only when every paint was timed, as the report has it).
    /// `None` for another name or an untimed render lag.
    pub fn series_histogram(&self, series: &str) -> Option<&CountingHistogram> {
        match series {
            "gaps" => Some(&self.gaps.histogram),
            "renderLag" if self.paint_scope == PaintScope::All => Some(&self.paint.lag),
            _ => None,
        }
    }

    /// The user's send action (click / Enter), for perceived TTFT from the user's point of view.
    pub fn mark_send_action(&mut self, at: Micros) {
        self.send_action = Some(at);
    }

    /// Response headers arrived with `http_status` (the first call wins).
    pub fn headers(&mut self, at: Micros, http_status: u16) {
        if self.headers_at.is_none() {
            self.headers_at = Some(at);
            self.http_status = Some(http_status);
        }
    }

    /// A network read of `len` bytes arrived at `at`; the first non-empty one is the first byte.
    pub fn bytes(&mut self, at: Micros, len: usize) {
        let len = len as u64;
        if len > 0 {
            self.first_byte_at.get_or_insert(at);
        }
        self.bytes_total = self.bytes_total.saturating_add(len);
        self.last_read = if self.last_read.0 == at {
            (at, self.last_read.1.saturating_add(len))
        } else {
            (at, len)
        };
        if let Some(chunk) = &self.chunk
            && chunk.at == at
            && let Some(r) = chunk.record.and_then(|i| self.timeline.chunks.get_mut(i))
        {
            r.bytes = r
                .bytes
                .saturating_add(u32::try_from(len).unwrap_or(u32::MAX));
        }
    }

    /// One decoded signal; `at` is the arrival time of the read that completed it.
    pub fn signal(&mut self, at: Micros, signal: &Signal<'_>) {
        match signal {
            Signal::Message { has_choices } => {
                self.events += 1;
                self.first_event_at.get_or_insert(at);
                if *has_choices {
                    self.first_choices_at.get_or_insert(at);
                }
            }
            Signal::Delta { kind, text, tokens } => self.delta(at, *kind, text, *tokens),
            Signal::Usage(u) => {
                self.usage.input_tokens = u.input_tokens.or(self.usage.input_tokens);
                self.usage.output_tokens = u.output_tokens.or(self.usage.output_tokens);
                self.usage.reasoning_tokens = u.reasoning_tokens.or(self.usage.reasoning_tokens);
            }
            Signal::Finish { reason } => self.finish_reason = Some(bounded_label(reason)),
            Signal::End => self.end_marker_seen = true,
            Signal::Error { class } => {
                self.error_class.get_or_insert_with(|| class.clone());
            }
            Signal::ParseError => self.parse_errors += 1,
            Signal::OversizedLine => self.oversized_lines += 1,
        }
    }

    fn delta(&mut self, at: Micros, kind: DeltaKind, text: &str, tokens: Option<u32>) {
        let chars = text.chars().count() as u64;
        if chars == 0 {
            return;
        }
        self.open_chunk(at, kind);
        self.chars[kind_index(kind)] += chars;
        let index = self.chunk.as_ref().and_then(|c| c.record);
        if let Some(r) = index.and_then(|i| self.timeline.chunks.get_mut(i)) {
            r.deltas = r.deltas.saturating_add(1);
            r.add_chars(kind, chars);
            if let Some(t) = tokens {
                r.tokens = Some(r.tokens.unwrap_or(0).saturating_add(t));
            }
        }
        if kind == DeltaKind::Content {
            self.first_answer_at.get_or_insert(at);
            if !self.first_paint_done() {
                self.paint.content_arrived(at, self.chars[0]); // waits for the paint that shows it
            }
        }
        if matches!(kind, DeltaKind::Content | DeltaKind::Reasoning) {
            self.output_delta(at, chars, tokens.map_or(1, u64::from));
        }
    }

    /// Starts a new chunk unless `at` equals the open chunk's timestamp.
    fn open_chunk(&mut self, at: Micros, kind: DeltaKind) {
        if self.chunk.as_ref().is_some_and(|c| c.at == at) {
            return;
        }
        self.chunk_count += 1;
        let bytes = if self.last_read.0 == at {
            self.last_read.1
        } else {
            0
        };
        let record = ChunkRecord {
            at_ms: at.since(self.start).as_ms(),
            bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
            tokens: None,
            deltas: 0,
            content_chars: 0,
            reasoning_chars: 0,
            tool_chars: 0,
            other_chars: 0,
            kind,
        };
        let kept = self.timeline.push_chunk(record);
        let index = kept.then(|| self.timeline.chunks.len() - 1);
        self.chunk = Some(OpenChunk {
            at,
            is_output: false,
            output_chars: 0,
            record: index,
        });
    }

    /// Content or reasoning text with `tokens` tokens arrived in the open chunk.
    fn output_delta(&mut self, at: Micros, chars: u64, tokens: u64) {
        self.event_tokens = self.event_tokens.saturating_add(tokens);
        let Some(chunk) = self.chunk.as_mut() else {
            return;
        };
        chunk.output_chars += chars;
        self.largest_chunk_output_chars = self.largest_chunk_output_chars.max(chunk.output_chars);
        let at_s = at.since(self.start).as_micros() as f64 / 1e6;
        if chunk.is_output {
            // Same read as the previous output delta: more tokens, no new gap.
            self.fluidity.same_time(tokens);
            self.qoe.deliver(at_s, tokens);
            return;
        }
        chunk.is_output = true;
        self.output_chunk_count += 1;
        let interval_us = match self.last_output_at {
            None => at.since(self.start).as_micros(),
            Some(prev) => {
                let gap = at.since(prev).as_micros();
                self.gaps.record(gap);
                gap
            }
        };
        self.first_output_at.get_or_insert(at);
        self.last_output_at = Some(at);
        self.fluidity.chunk(interval_us, tokens.max(1));
        self.qoe.deliver(at_s, tokens);
    }

    /// A paint that made text visible; `visible_chars` = answer chars visible now (Unicode scalar
    /// values, e.g. `[...text].length` in JS, not UTF-16 units).
    pub fn paint(&mut self, at: Micros, visible_chars: u32) {
        if self.first_paint_done() {
            return;
        }
        self.paint.paint(at, u64::from(visible_chars));
        self.timeline.push_paint(PaintRecord {
            at_ms: at.since(self.start).as_ms(),
            visible_chars,
        });
    }

    /// A frame that started at `frame_start` was rendered; call it after the frame's
    /// [`Recorder::paint`] (if it made text visible). Counts the frame, and counts it as unpainted
    /// when answer text that arrived at or before `frame_start` is still not visible. Ignored after
    /// [`Recorder::end`].
    pub fn frame(&mut self, frame_start: Micros) {
        if self.end.is_some() || self.first_paint_done() {
            return;
        }
        let waiting = self.paint.text_waiting_since(frame_start);
        self.frames.frame(waiting);
    }

    /// The caller observes long animation frames for this response (the browser supports them):
    /// without this call the long-frame metrics are `null`, not 0.
    pub fn observe_long_frames(&mut self) {
        self.frames.long_observed = true;
    }

    /// A long animation frame started at `start` and lasted `duration_ms`, of which `blocking_ms`
    /// was blocking (LoAF `blockingDuration`). Counted when it is ≥ 50 ms and overlaps the stream
    /// (request start … end); may be reported after [`Recorder::end`], as browsers deliver the
    /// entries late. Non-finite or negative values are ignored.
    pub fn long_frame(&mut self, start: Micros, duration_ms: f64, blocking_ms: f64) {
        let end = self.end.map(|(at, _)| at);
        self.frames.long_observed = true;
        self.frames
            .long_frame(start, duration_ms, blocking_ms, self.start, end);
    }

    /// The response ended at `at` (the first call wins). `error_class` overrides a class the stream reported.
    pub fn end(&mut self, at: Micros, outcome: Outcome, error_class: Option<&str>) {
        if self.end.is_some() {
            return;
        }
        self.end = Some((at, outcome));
        if let Some(class) = error_class {
            self.error_class = Some(class.to_owned());
        }
    }

    /// Replaces the counted parse errors and oversized lines with the decoder's own totals.
    pub fn set_diagnostics(&mut self, parse_errors: u64, oversized_lines: u64) {
        self.parse_errors = parse_errors;
        self.oversized_lines = oversized_lines;
    }

    /// Only the first paint with visible text will be reported (the page stops timing frames after it):
    /// later [`Recorder::paint`] and [`Recorder::frame`] calls are ignored, and the report gives
    /// perceived TTFT with `paintScope: "first"` and `null` for render lag, bursts and frame counts.
    pub fn first_paint_only(&mut self) {
        self.paint_scope = PaintScope::First;
    }

    fn first_paint_done(&self) -> bool {
        self.paint_scope == PaintScope::First && self.paint.first_visible_at.is_some()
    }

    /// Marks the perceived (paint-based) metrics as invalid, e.g. `"page-hidden"`: they stay in the
    /// report, with this reason, but aggregates skip them. The first reason wins.
    pub fn invalidate_perceived(&mut self, reason: &str) {
        self.perceived_invalid
            .get_or_insert_with(|| reason.to_owned());
    }
}
