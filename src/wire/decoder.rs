//! [`StreamDecoder`]: detection plus framing plus the per-format adapters, behind one feed API.

use super::config::{DecoderConfig, DecoderCounters, StreamEnd};
use super::detect::{Plan, Sniffed, plan_from_headers, sniff_body, sse_dialect};
use super::format::{DetectedBy, WireFormat};
use super::json::Sink;
use super::lines::{LineItem, LineSplitter};
use super::sse::{SseItem, SseParser};
use super::utf8::Utf8Decoder;
use super::{ai_sdk_data, ai_sdk_ui, anthropic, ollama, openai_chat, openai_responses};
use crate::signal::{DeltaKind, Signal};

/// Where the decoder is in the body.
#[derive(Debug)]
enum Stage {
    /// Buffering the first bytes until they decide the framing.
    Sniffing { head: Vec<u8>, text_plain: bool },
    /// SSE framing; `dialect` is set by the override/header, or by the first event that names one.
    Sse { parser: SseParser, dialect: Dialect },
    /// Newline-delimited framing (Ollama, AI SDK data stream).
    Lines {
        splitter: LineSplitter,
        format: WireFormat,
    },
    /// Unframed UTF-8 text.
    Text { utf8: Utf8Decoder },
}

/// Which SSE dialect decodes the events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    /// No event yet.
    Undecided,
    /// Every event so far named no dialect: decoded as Chat Completions (a `Fallback` guess), and
    /// the next event is asked again, so a stream whose first event is unrecognized still finds
    /// its dialect.
    Guessed,
    /// Decided by the override, a header, or an event that named the dialect.
    Decided(WireFormat),
}

/// Incremental decoder of one streamed response body into [`Signal`]s. See the module docs.
#[derive(Debug)]
pub struct StreamDecoder {
    max_line_bytes: usize,
    stage: Stage,
    format: Option<(WireFormat, DetectedBy)>,
    counters: DecoderCounters,
    saw_end: bool,
    finished: Option<StreamEnd>,
}

impl StreamDecoder {
    /// A decoder for one response. With `config.format` set, no detection takes place.
    pub fn new(config: DecoderConfig) -> Self {
        let mut decoder = StreamDecoder {
            max_line_bytes: config.max_line_bytes,
            stage: Stage::Sniffing {
                head: Vec::new(),
                text_plain: false,
            },
            format: None,
            counters: DecoderCounters::default(),
            saw_end: false,
            finished: None,
        };
        if let Some(format) = config.format {
            decoder.start(format, DetectedBy::Override);
        }
        decoder
    }

    /// Response headers, before any body bytes. Names are case-insensitive.
    ///
    /// Ignored when a format was forced in the config, or once body bytes have been fed.
    pub fn set_headers<'h>(&mut self, headers: impl IntoIterator<Item = (&'h str, &'h str)>) {
        if self.format.is_some()
            || self.counters.bytes > 0
            || !matches!(self.stage, Stage::Sniffing { .. })
        {
            return;
        }
        match plan_from_headers(headers) {
            Plan::Known(format, by) => self.start(format, by),
            Plan::Sse => {
                self.stage = Stage::Sse {
                    parser: SseParser::new(self.max_line_bytes),
                    dialect: Dialect::Undecided,
                }
            }
            Plan::Sniff { text_plain } => {
                self.stage = Stage::Sniffing {
                    head: Vec::new(),
                    text_plain,
                }
            }
        }
    }

    /// Decodes the next piece of the body, calling `sink` for every signal it completes.
    /// Ignored after [`finish`](Self::finish).
    pub fn feed(&mut self, bytes: &[u8], sink: &mut dyn FnMut(Signal<'_>)) {
        if self.finished.is_some() {
            return;
        }
        self.counters.bytes = self.counters.bytes.saturating_add(bytes.len() as u64);
        if let Stage::Sniffing { head, text_plain } = &mut self.stage {
            head.extend_from_slice(bytes);
            let Some(sniffed) = sniff_body(head, false, *text_plain) else {
                return;
            };
            let head = std::mem::take(head);
            self.start_sniffed(sniffed);
            self.run(&head, sink);
        } else {
            self.run(bytes, sink);
        }
    }

    /// End of body. Flushes what can be flushed and reports whether an event/line was left
    /// unterminated. Calling it again returns the same result and emits nothing.
    pub fn finish(&mut self, sink: &mut dyn FnMut(Signal<'_>)) -> StreamEnd {
        if let Some(end) = self.finished {
            return end;
        }
        if let Stage::Sniffing { head, text_plain } = &mut self.stage {
            let sniffed = sniff_body(head, true, *text_plain);
            let head = std::mem::take(head);
            // `sniff_body` always decides at the end of the body; Text is its own fallback.
            self.start_sniffed(
                sniffed.unwrap_or(Sniffed::Known(WireFormat::Text, DetectedBy::Fallback)),
            );
            self.run(&head, sink);
        }
        let unterminated = {
            let StreamDecoder {
                stage,
                counters,
                saw_end,
                ..
            } = self;
            let sink = &mut counting(counters, saw_end, sink);
            match stage {
                Stage::Sniffing { .. } => false,
                Stage::Sse { parser, .. } => parser.finish(),
                Stage::Lines { splitter, .. } => splitter.finish(),
                Stage::Text { utf8 } => {
                    emit_text_piece(utf8.finish(), sink);
                    sink(Signal::End);
                    false
                }
            }
        };
        if self.format.is_none() {
            // An SSE body without a single event: nothing named a dialect.
            self.format = Some((WireFormat::OpenAiChat, DetectedBy::Fallback));
        }
        let end = StreamEnd {
            unterminated,
            saw_end_marker: self.saw_end,
        };
        self.finished = Some(end);
        end
    }

    /// The format in use and what decided it; `None` while still undecided (before the first
    /// decisive bytes, or before the first SSE event when only the SSE framing is known).
    /// Always `Some` after [`finish`](Self::finish): an SSE body without any event is reported as
    /// Chat Completions by `Fallback`.
    pub fn format(&self) -> Option<(WireFormat, DetectedBy)> {
        self.format
    }

    /// Running totals.
    pub fn counters(&self) -> DecoderCounters {
        self.counters
    }

    fn start_sniffed(&mut self, sniffed: Sniffed) {
        match sniffed {
            Sniffed::Sse => {
                self.stage = Stage::Sse {
                    parser: SseParser::new(self.max_line_bytes),
                    dialect: Dialect::Undecided,
                }
            }
            Sniffed::Known(format, by) => self.start(format, by),
        }
    }

    fn start(&mut self, format: WireFormat, by: DetectedBy) {
        self.format = Some((format, by));
        self.stage = match format {
            WireFormat::Ollama | WireFormat::AiSdkData => Stage::Lines {
                splitter: LineSplitter::new(self.max_line_bytes),
                format,
            },
            WireFormat::Text => Stage::Text {
                utf8: Utf8Decoder::new(),
            },
            sse => Stage::Sse {
                parser: SseParser::new(self.max_line_bytes),
                dialect: Dialect::Decided(sse),
            },
        };
    }

    /// Runs body bytes through the decided framing and adapter.
    fn run(&mut self, bytes: &[u8], sink: &mut dyn FnMut(Signal<'_>)) {
        let StreamDecoder {
            stage,
            format,
            counters,
            saw_end,
            ..
        } = self;
        let sink = &mut counting(counters, saw_end, sink);
        match stage {
            Stage::Sniffing { .. } => {}
            Stage::Sse { parser, dialect } => parser.feed(bytes, &mut |item| match item {
                SseItem::Event(event) => {
                    let decoding = dialect_of(dialect, format, event.event, event.data);
                    decode_sse_event(decoding, event.event, event.data, sink);
                }
                SseItem::OversizedLine => sink(Signal::OversizedLine),
            }),
            Stage::Lines { splitter, format } => {
                let format = *format;
                splitter.feed(bytes, &mut |item| match item {
                    LineItem::Line(line) if format == WireFormat::Ollama => {
                        ollama::decode_line(line, sink)
                    }
                    LineItem::Line(line) => ai_sdk_data::decode_line(line, sink),
                    LineItem::OversizedLine => sink(Signal::OversizedLine),
                });
            }
            Stage::Text { utf8 } => emit_text_piece(utf8.decode(bytes), sink),
        }
    }
}

/// The dialect that decodes this event: the decided one, else what this event names (deciding it
/// and recording it in `format`), else Chat Completions as a `Fallback` guess.
fn dialect_of(
    dialect: &mut Dialect,
    format: &mut Option<(WireFormat, DetectedBy)>,
    event: &str,
    data: &str,
) -> WireFormat {
    if let Dialect::Decided(decided) = *dialect {
        return decided;
    }
    let named = sse_dialect(event, data);
    *format = Some(named);
    *dialect = match named {
        (_, DetectedBy::Fallback) => Dialect::Guessed,
        (decided, _) => Dialect::Decided(decided),
    };
    named.0
}

fn decode_sse_event(dialect: WireFormat, event: &str, data: &str, sink: &mut Sink<'_>) {
    match dialect {
        WireFormat::OpenAiResponses => openai_responses::decode_event(event, data, sink),
        WireFormat::Anthropic => anthropic::decode_event(event, data, sink),
        WireFormat::AiSdkUi => ai_sdk_ui::decode_event(event, data, sink),
        _ => openai_chat::decode_event(event, data, sink),
    }
}

/// Plain text: each non-empty decoded piece is one message with one content delta.
fn emit_text_piece(text: &str, sink: &mut Sink<'_>) {
    if !text.is_empty() {
        sink(Signal::Message { has_choices: false });
        sink(Signal::Delta {
            kind: DeltaKind::Content,
            text,
            tokens: None,
        });
    }
}

/// Wraps the caller's sink to keep the counters and the end-marker flag.
fn counting<'a>(
    counters: &'a mut DecoderCounters,
    saw_end: &'a mut bool,
    sink: &'a mut dyn FnMut(Signal<'_>),
) -> impl FnMut(Signal<'_>) + 'a {
    move |signal| {
        match signal {
            Signal::Message { .. } => counters.messages += 1,
            Signal::ParseError => counters.parse_errors += 1,
            Signal::OversizedLine => counters.oversized_lines += 1,
            Signal::End => *saw_end = true,
            _ => {}
        }
        sink(signal)
    }
}
