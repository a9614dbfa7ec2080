//! An incremental line splitter for newline-delimited formats (Ollama NDJSON, the AI SDK legacy
//! data stream): lines end at LF, and a CR right before the LF is removed (CRLF). A lone CR is
//! line content. One leading BOM is stripped (as `TextDecoder` does), even when split. Lines are UTF-8 decoded whole (invalid sequences → U+FFFD), so a character split
//! across feeds decodes correctly.
//!
//! Lines longer than `max_line_bytes` are dropped without being buffered; each yields one
//! [`LineItem::OversizedLine`] and splitting resumes at the next line.

use super::scan::{LeadingBom, decode_lossy, find_lf};

/// What the splitter yields, in stream order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineItem<'a> {
    /// A complete line without its terminator (may be empty).
    Line(&'a str),
    /// A line exceeded the cap and was dropped. Yielded once per such line.
    OversizedLine,
}

/// Incremental LF / CRLF line splitter.
#[derive(Clone, Debug)]
pub struct LineSplitter {
    max_line_bytes: usize,
    /// Strips a BOM at the start of the stream.
    bom: LeadingBom,
    /// Bytes of the current, not yet terminated line.
    line: Vec<u8>,
    /// The current line exceeded the cap; its bytes are being dropped.
    line_oversized: bool,
}

impl LineSplitter {
    /// A splitter that drops lines longer than `max_line_bytes` (terminator excluded).
    pub fn new(max_line_bytes: usize) -> Self {
        LineSplitter {
            max_line_bytes,
            bom: LeadingBom::new(),
            line: Vec::new(),
            line_oversized: false,
        }
    }

    /// Splits the next piece of the body, calling `on` for every item it completes.
    pub fn feed<F: FnMut(LineItem<'_>)>(&mut self, bytes: &[u8], on: &mut F) {
        let (not_bom, mut input) = self.bom.skip(bytes);
        self.line.extend_from_slice(not_bom);
        while let Some(pos) = find_lf(input) {
            let (line, rest) = input.split_at(pos);
            self.end_line(line, on);
            input = rest.get(1..).unwrap_or_default();
        }
        self.append_partial(input, on);
    }

    /// Ends the stream, discarding a partial last line. Returns true if one was discarded.
    pub fn finish(&mut self) -> bool {
        let partial_bom = !self.bom.finish().is_empty();
        let unterminated = partial_bom || !self.line.is_empty() || self.line_oversized;
        self.line.clear();
        self.line_oversized = false;
        unterminated
    }

    /// Raw bytes may hold one more byte than the cap: the CR of a CRLF, removed at the line end.
    fn raw_cap(&self) -> usize {
        self.max_line_bytes.saturating_add(1)
    }

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
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
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

    fn lines(max: usize, chunks: &[&[u8]]) -> Vec<String> {
        let mut splitter = LineSplitter::new(max);
        let mut out = Vec::new();
        for chunk in chunks {
            splitter.feed(chunk, &mut |item| match item {
                LineItem::Line(l) => out.push(l.to_owned()),
                LineItem::OversizedLine => out.push("<oversized>".to_owned()),
            });
        }
        out
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
}
