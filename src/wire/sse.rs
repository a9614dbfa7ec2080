//! A WHATWG-conformant, incremental, byte-fed Server-Sent Events parser
//! (HTML Standard §9.2.5–9.2.6, "Parsing an event stream" and "Interpreting an event stream").
//!
//! Feed it raw body bytes in whatever pieces the network delivers; it yields the same events for
//! every way of splitting the input:
//! - one leading BOM (EF BB BF) is stripped, even when it is split across feeds; later BOMs are
//!   ordinary characters (so `\u{FEFF}data` is an unknown field, as WPT `format-bom` expects);
//! - lines end at CR, LF or CRLF. A CR ends its line at once; an LF that follows it (in the same or
//!   the next feed) is dropped, so no event waits for the next read (eventsource-parser issue #17);
//! - lines are UTF-8 decoded whole, so a character split across feeds decodes correctly; invalid
//!   sequences become U+FFFD as `TextDecoder` does;
//! - an event that is not terminated by a blank line when the body ends is discarded
//!   ([`SseParser::finish`] reports it).
//!
//! Lines longer than `max_line_bytes` (and events whose data grows beyond it) are dropped without
//! being buffered; each yields one [`SseItem::OversizedLine`] and parsing resumes at the next line.
//!
//! The BOM, line ends, decoding and the line cap are [`LineSplitter`]'s ([`LineEnds::Any`]), the
//! same splitter the newline-delimited formats use; this module interprets the lines.

use super::lines::{LineEnds, LineItem, LineSplitter};
use super::scan::split_once_ascii;

/// One dispatched event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SseEvent<'a> {
    /// The event type (`event:` field), `"message"` when absent or empty.
    pub event: &'a str,
    /// The data buffer: `data:` lines joined with LF, trailing LF removed. Never empty.
    pub data: &'a str,
    /// The last event ID at dispatch time (persists across events; `""` until an `id:` field).
    pub id: &'a str,
}

/// What the parser yields, in stream order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SseItem<'a> {
    /// A complete event was dispatched.
    Event(SseEvent<'a>),
    /// A line (or an event's data) exceeded the cap and was dropped. Yielded once per such line.
    OversizedLine,
}

/// Incremental SSE parser. See the module docs for the exact rules.
#[derive(Clone, Debug)]
pub struct SseParser {
    lines: LineSplitter,
    fields: EventFields,
}

/// The event being assembled from field lines, and what persists across events.
#[derive(Clone, Debug)]
struct EventFields {
    max_data_bytes: usize,
    data: String,
    event: String,
    id: String,
    /// The current event's data exceeded the cap; the event will be dropped.
    event_oversized: bool,
    retry_ms: Option<u64>,
}

impl SseParser {
    /// A parser that drops lines (and event data) longer than `max_line_bytes`.
    ///
    /// If you're not sure, use 1 MiB (`1 << 20`), the [`crate::wire::DecoderConfig`] default.
    pub fn new(max_line_bytes: usize) -> Self {
        SseParser {
            lines: LineSplitter::with_ends(max_line_bytes, LineEnds::Any),
            fields: EventFields {
                max_data_bytes: max_line_bytes,
                data: String::new(),
                event: String::new(),
                id: String::new(),
                event_oversized: false,
                retry_ms: None,
            },
        }
    }

    /// The last event ID seen (`id:` fields without NUL), `""` if none.
    pub fn last_event_id(&self) -> &str {
        &self.fields.id
    }

    /// The last valid `retry:` value (ASCII digits only), in milliseconds.
    pub fn retry_ms(&self) -> Option<u64> {
        self.fields.retry_ms
    }

    /// Parses the next piece of the body, calling `on` for every item it completes.
    pub fn feed<F: FnMut(SseItem<'_>)>(&mut self, bytes: &[u8], on: &mut F) {
        let fields = &mut self.fields;
        self.lines.feed(bytes, &mut |item| match item {
            LineItem::Line(line) => fields.process_line(line, on),
            LineItem::OversizedLine => on(SseItem::OversizedLine),
        });
    }

    /// Ends the stream: discards an unterminated event (as the spec requires) and resets the
    /// per-event state. Returns true if something was discarded (a partial line, or an event
    /// with data but without its terminating blank line).
    pub fn finish(&mut self) -> bool {
        let partial_line = self.lines.finish();
        let f = &mut self.fields;
        let unterminated = partial_line || !f.data.is_empty() || f.event_oversized;
        f.data.clear();
        f.event.clear();
        f.event_oversized = false;
        unterminated
    }
}

impl EventFields {
    fn process_line<F: FnMut(SseItem<'_>)>(&mut self, line: &str, on: &mut F) {
        if line.is_empty() {
            self.dispatch(on);
            return;
        }
        if line.starts_with(':') {
            return; // comment
        }
        let (field, value) = match split_once_ascii(line, b':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => self.append_data(value, on),
            "event" => {
                self.event.clear();
                self.event.push_str(value);
            }
            "id" if !value.as_bytes().contains(&0) => {
                self.id.clear();
                self.id.push_str(value);
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Too many digits for u64: keep the previous value rather than guess.
                if let Ok(ms) = value.parse() {
                    self.retry_ms = Some(ms);
                }
            }
            _ => {}
        }
    }

    fn append_data<F: FnMut(SseItem<'_>)>(&mut self, value: &str, on: &mut F) {
        if self.event_oversized {
            return;
        }
        if self.data.len() + value.len() + 1 > self.max_data_bytes.saturating_add(1) {
            self.event_oversized = true;
            self.data.clear();
            on(SseItem::OversizedLine);
            return;
        }
        self.data.push_str(value);
        self.data.push('\n');
    }

    fn dispatch<F: FnMut(SseItem<'_>)>(&mut self, on: &mut F) {
        if self.event_oversized || self.data.is_empty() {
            self.event_oversized = false;
            self.data.clear();
            self.event.clear();
            return;
        }
        if self.data.ends_with('\n') {
            self.data.pop();
        }
        let event = if self.event.is_empty() {
            "message"
        } else {
            &self.event
        };
        on(SseItem::Event(SseEvent {
            event,
            data: &self.data,
            id: &self.id,
        }));
        self.data.clear();
        self.event.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&[u8]]) -> Vec<(String, String)> {
        let mut parser = SseParser::new(64);
        let mut out = Vec::new();
        for chunk in chunks {
            parser.feed(chunk, &mut |item| {
                if let SseItem::Event(ev) = item {
                    out.push((ev.event.to_owned(), ev.data.to_owned()));
                }
            });
        }
        out
    }

    #[test]
    fn cr_at_feed_end_dispatches_once() {
        let got = events(&[b"data: a\r", b"\n\r", b"\ndata: b\r\r"]);
        assert_eq!(
            got,
            vec![
                ("message".into(), "a".into()),
                ("message".into(), "b".into())
            ]
        );
    }

    #[test]
    fn split_bom_is_stripped() {
        assert_eq!(
            events(&[b"\xEF", b"\xBB", b"\xBFdata:1\n\n"]),
            vec![("message".into(), "1".into())]
        );
        assert_eq!(events(&[b"\xEF", b"data:1\n\n"]).len(), 0);
    }

    #[test]
    fn oversized_line_is_dropped_and_reported_once() {
        let mut parser = SseParser::new(8);
        let mut items = Vec::new();
        for chunk in [&b"data: 0123"[..], b"456789", b"abc\ndata: ok\n\n"] {
            parser.feed(chunk, &mut |item| items.push(format!("{item:?}")));
        }
        assert_eq!(items.len(), 2);
        assert_eq!(items[0], "OversizedLine");
        assert!(!parser.finish());
    }
}
