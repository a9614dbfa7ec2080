//! Test helpers shared by the wire test files: owned signals and a decode-with-splits driver.
#![allow(dead_code)] // each test file uses a different subset

use chat_vitals::signal::{DeltaKind, Signal, Usage};
use chat_vitals::wire::{
    DecoderConfig, DecoderCounters, DetectedBy, StreamDecoder, StreamEnd, WireFormat,
};

/// An owned copy of a [`Signal`], for comparing sequences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sig {
    Msg(bool),
    Delta(DeltaKind, String),
    Usage(Option<u64>, Option<u64>, Option<u64>),
    Finish(String),
    End,
    Error(String),
    ParseError,
    Oversized,
}

impl From<Signal<'_>> for Sig {
    fn from(signal: Signal<'_>) -> Self {
        match signal {
            Signal::Message { has_choices } => Sig::Msg(has_choices),
            Signal::Delta { kind, text, .. } => Sig::Delta(kind, text.to_owned()),
            Signal::Usage(Usage {
                input_tokens,
                output_tokens,
                reasoning_tokens,
            }) => Sig::Usage(input_tokens, output_tokens, reasoning_tokens),
            Signal::Finish { reason } => Sig::Finish(reason.to_owned()),
            Signal::End => Sig::End,
            Signal::Error { class } => Sig::Error(class),
            Signal::ParseError => Sig::ParseError,
            Signal::OversizedLine => Sig::Oversized,
        }
    }
}

pub fn msg() -> Sig {
    Sig::Msg(false)
}
pub fn content(text: &str) -> Sig {
    Sig::Delta(DeltaKind::Content, text.to_owned())
}
pub fn reasoning(text: &str) -> Sig {
    Sig::Delta(DeltaKind::Reasoning, text.to_owned())
}
pub fn tool(text: &str) -> Sig {
    Sig::Delta(DeltaKind::Tool, text.to_owned())
}
pub fn other(text: &str) -> Sig {
    Sig::Delta(DeltaKind::Other, text.to_owned())
}
pub fn error(class: &str) -> Sig {
    Sig::Error(class.to_owned())
}

/// Everything one decode produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// Every signal but `Finish` (the fixtures' expected sequences predate finish reasons).
    pub signals: Vec<Sig>,
    /// The `Finish` reasons, in order.
    pub finish_reasons: Vec<String>,
    pub end: StreamEnd,
    pub counters: DecoderCounters,
    pub format: Option<(WireFormat, DetectedBy)>,
}

/// Decodes `body` fed in pieces cut at `cuts` (sorted, each ≤ body.len()).
pub fn decode_cuts(
    format: Option<WireFormat>,
    max_line_bytes: usize,
    headers: &[(&str, &str)],
    body: &[u8],
    cuts: &[usize],
) -> Decoded {
    let mut decoder = StreamDecoder::new(DecoderConfig {
        format,
        max_line_bytes,
    });
    decoder.set_headers(headers.iter().copied());
    let mut signals = Vec::new();
    let mut finish_reasons = Vec::new();
    let mut sink = |signal: Signal<'_>| match Sig::from(signal) {
        Sig::Finish(reason) => finish_reasons.push(reason),
        sig => signals.push(sig),
    };
    let mut start = 0;
    for &cut in cuts.iter().chain(std::iter::once(&body.len())) {
        let cut = cut.clamp(start, body.len());
        decoder.feed(&body[start..cut], &mut sink);
        start = cut;
    }
    let end = decoder.finish(&mut sink);
    Decoded {
        signals,
        finish_reasons,
        end,
        counters: decoder.counters(),
        format: decoder.format(),
    }
}

/// Decodes `body` as one chunk with the default line cap.
pub fn decode(format: Option<WireFormat>, headers: &[(&str, &str)], body: &[u8]) -> Decoded {
    decode_cuts(
        format,
        DecoderConfig::DEFAULT_MAX_LINE_BYTES,
        headers,
        body,
        &[],
    )
}

/// Text per delta kind, usage, end and error signals: what must not depend on chunking even for
/// plain text (where each feed is its own message).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Summary {
    pub content: String,
    pub reasoning: String,
    pub tool: String,
    pub other: String,
    pub rest: Vec<Sig>,
}

pub fn summarize(signals: &[Sig]) -> Summary {
    let mut summary = Summary::default();
    for signal in signals {
        match signal {
            Sig::Delta(DeltaKind::Content, t) => summary.content.push_str(t),
            Sig::Delta(DeltaKind::Reasoning, t) => summary.reasoning.push_str(t),
            Sig::Delta(DeltaKind::Tool, t) => summary.tool.push_str(t),
            Sig::Delta(DeltaKind::Other, t) => summary.other.push_str(t),
            Sig::Msg(_) => {}
            s => summary.rest.push(s.clone()),
        }
    }
    summary
}
