//! The one incremental line splitter of every line-based framing: where lines end, the oversize
//! rule, one leading BOM and whole-line UTF-8 decoding. [`LineEnds::Lf`] serves the
//! newline-delimited formats (Ollama NDJSON, the AI SDK legacy data stream): lines end at LF, a CR
//! right before the LF is removed (CRLF) and a lone CR is line content. [`LineEnds::Any`] serves
//! [`super::sse::SseParser`]: lines end at CR, LF or CRLF; a CR ends its line at once and an LF
//! right after it (in the same or the next feed) is dropped, so no line waits for the next read.
//!
//! One leading BOM is stripped (as `TextDecoder` does), even when split. Lines are UTF-8 decoded
//! whole (invalid sequences → U+FFFD), so a character split across feeds decodes correctly.
//! Lines longer than `max_line_bytes` (terminator excluded) are dropped without being buffered;
//! each yields one [`LineItem::OversizedLine`] and splitting resumes at the next line.

use super::scan::{LeadingBom, decode_lossy};

/// What ends a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnds {
    /// LF or CRLF; a lone CR is content (NDJSON, the AI SDK data stream).
    Lf,
    /// CR, LF or CRLF (Server-Sent Events).
    Any,
}

/// What the splitter yields, in stream order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineItem<'a> {
    /// A complete line without its terminator (may be empty).
    Line(&'a str),
    /// A line exceeded the cap and was dropped. Yielded once per such line.
    OversizedLine,
}

/// Incremental line splitter.
#[derive(Clone, Debug)]
pub struct LineSplitter {
    max_line_bytes: usize,
    ends: LineEnds,
    /// Strips a BOM at the start of the stream.
    bom: LeadingBom,
    /// [`LineEnds::Any`]: the previous feed ended with CR, so an LF starting the next one is its CRLF.
    after_cr: bool,
    /// Bytes of the current, not yet terminated line.
    line: Vec<u8>,
    /// The current line exceeded the cap; its bytes are being dropped.
    line_oversized: bool,
}

impl LineSplitter {
    /// An LF / CRLF splitter that drops lines longer than `max_line_bytes` (terminator excluded).
    pub fn new(max_line_bytes: usize) -> Self {
        LineSplitter::with_ends(max_line_bytes, LineEnds::Lf)
    }

    /// A splitter for `ends` that drops lines longer than `max_line_bytes` (terminator excluded).
    pub fn with_ends(max_line_bytes: usize, ends: LineEnds) -> Self {
        LineSplitter {
            max_line_bytes,
            ends,
            bom: LeadingBom::new(),
            after_cr: false,
            line: Vec::new(),
            line_oversized: false,
        }
    }

    /// Splits the next piece of the body, calling `on` for every item it completes.
    pub fn feed<F: FnMut(LineItem<'_>)>(&mut self, bytes: &[u8], on: &mut F) {
        let (not_bom, mut input) = self.bom.skip(bytes);
        self.line.extend_from_slice(not_bom);
        if self.after_cr && !input.is_empty() {
            self.after_cr = false;
            if let Some((b'\n', rest)) = input.split_first() {
                input = rest;
            }
        }
        while let Some(pos) = self.find_end(input) {
            let (line, rest) = input.split_at(pos);
            self.end_line(line, on);
            input = match rest {
                [b'\r', b'\n', after @ ..] => after,
                [b'\r'] => {
                    self.after_cr = true;
                    &[]
                }
                [_, after @ ..] => after,
                [] => &[],
            };
        }
        self.append_partial(input, on);
    }

    /// Ends the stream, discarding a partial last line. Returns true if one was discarded.
    pub fn finish(&mut self) -> bool {
        let partial_bom = !self.bom.finish().is_empty();
        let unterminated = partial_bom || !self.line.is_empty() || self.line_oversized;
        self.after_cr = false;
        self.line.clear();
        self.line_oversized = false;
        unterminated
    }

    /// Index of the next line terminator in `bytes` (only LF for [`LineEnds::Lf`]).
    fn find_end(&self, bytes: &[u8]) -> Option<usize> {
        match self.ends {
            LineEnds::Lf => memchr::memchr(b'\n', bytes),
            LineEnds::Any => memchr::memchr2(b'\n', b'\r', bytes),
        }
    }

    /// Raw bytes held for a line: with [`LineEnds::Lf`] one more than the cap, for the CR of a CRLF
    /// (removed at the line end).
    fn raw_cap(&self) -> usize {
        match self.ends {
            LineEnds::Lf => self.max_line_bytes.saturating_add(1),
            LineEnds::Any => self.max_line_bytes,
        }
    }

    /// Adds bytes of a line whose end has not arrived yet, enforcing the cap.
    fn append_partial<F: FnMut(LineItem<'_>)>(&mut self, part: &[u8], on: &mut F) {
        if self.line_oversized || part.is_empty() {
            return;
        }
        if self.line.len() + part.len() > self.raw_cap() {
            self.line_oversized = true;
            self.line.clear();
            on(LineItem::OversizedLine);
        } else {
            self.line.extend_from_slice(part);
        }
    }

    /// A line terminator arrived; `tail` is the part of the line in the current feed.
    fn end_line<F: FnMut(LineItem<'_>)>(&mut self, tail: &[u8], on: &mut F) {
        if self.line.is_empty() && !self.line_oversized {
            self.emit(tail, on);
            return;
        }
        self.append_partial(tail, on);
        if self.line_oversized {
            self.line_oversized = false;
            return;
        }
        let line = std::mem::take(&mut self.line);
        self.emit(&line, on);
        self.line = line;
        self.line.clear();
    }

    fn emit<F: FnMut(LineItem<'_>)>(&self, raw: &[u8], on: &mut F) {
        let line = match self.ends {
            LineEnds::Lf => raw.strip_suffix(b"\r").unwrap_or(raw),
            LineEnds::Any => raw,
        };
        if line.len() > self.max_line_bytes {
            on(LineItem::OversizedLine);
        } else {
            on(LineItem::Line(&decode_lossy(line)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(max: usize, ends: LineEnds, chunks: &[&[u8]]) -> Vec<String> {
        let mut splitter = LineSplitter::with_ends(max, ends);
        let mut out = Vec::new();
        for chunk in chunks {
            splitter.feed(chunk, &mut |item| match item {
                LineItem::Line(l) => out.push(l.to_owned()),
                LineItem::OversizedLine => out.push("<oversized>".to_owned()),
            });
        }
        out
    }

    fn lines(max: usize, chunks: &[&[u8]]) -> Vec<String> {
        split(max, LineEnds::Lf, chunks)
    }

    #[test]
    fn crlf_and_lf_split_across_feeds() {
        assert_eq!(
            lines(16, &[b"a\r", b"\nb\n\xC3", b"\xA9\r\n"]),
            ["a", "b", "é"]
        );
    }

    #[test]
    fn leading_bom_is_stripped_once() {
        assert_eq!(
            lines(16, &[b"\xEF\xBB", b"\xBFa\n\xEF\xBB\xBFb\n"]),
            ["a", "\u{FEFF}b"]
        );
        assert_eq!(lines(16, &[b"\xEF", b"a\n"]), ["\u{FFFD}a"]);
    }

    #[test]
    fn oversized_lines_are_dropped_once() {
        assert_eq!(
            lines(3, &[b"abcd", b"ef\nok\r\n1234\n"]),
            ["<oversized>", "ok", "<oversized>"]
        );
        assert_eq!(lines(3, &[b"abc\r\n"]), ["abc"]);
    }

    #[test]
    fn any_line_end_splits_at_cr_lf_and_crlf_across_feeds() {
        assert_eq!(
            split(16, LineEnds::Any, &[b"a\r", b"\nb\rc\n\r\nd\r", b"e\n"]),
            ["a", "b", "c", "", "d", "e"]
        );
        // A lone CR is content for LF lines, a terminator for Any.
        assert_eq!(lines(16, &[b"a\rb\n"]), ["a\rb"]);
    }

    #[test]
    fn any_line_end_caps_without_room_for_a_cr() {
        assert_eq!(
            split(3, LineEnds::Any, &[b"abc\r\nabcd\n", b"ab", b"cd\rok\r"]),
            ["abc", "<oversized>", "<oversized>", "ok"]
        );
    }
}
