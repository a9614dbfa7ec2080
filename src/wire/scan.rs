//! Byte-level helpers shared by the framings: lossy UTF-8 decoding that stays on std's fast
//! validator for valid input, and stripping of one leading BOM that may arrive split across
//! feeds. Line ends are found with `memchr` (in [`super::lines`]).

use std::borrow::Cow;

/// `String::from_utf8_lossy`, but valid input (the norm) goes through `str::from_utf8`, whose
/// ASCII fast path is several times quicker than the lossy chunk iterator.
pub(crate) fn decode_lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// `s.split_once(byte as char)` for an ASCII `byte`, found with `memchr`: no `str` pattern searcher,
/// whose slicing panics (and their formatting) would otherwise be linked into the wasm (BENCHMARKS.md row 3).
pub(crate) fn split_once_ascii(s: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii());
    let at = memchr::memchr(byte, s.as_bytes())?;
    // An ASCII byte is always a char boundary, so neither `get` can fail.
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// Whether `s` is empty or only whitespace (`s.trim().is_empty()` without the trimming code).
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Strips one UTF-8 BOM (EF BB BF) at the very start of a stream, as `TextDecoder` does, even
/// when its bytes arrive in separate feeds.
#[derive(Clone, Debug)]
pub(crate) struct LeadingBom {
    /// BOM bytes matched so far; `None` once settled (stripped, or known absent).
    matched: Option<usize>,
}

impl LeadingBom {
    /// Nothing seen yet.
    pub(crate) fn new() -> Self {
        LeadingBom { matched: Some(0) }
    }

    /// Consumes BOM bytes from the start of `bytes`. Returns the bytes held back by earlier feeds
    /// that turned out not to be a BOM (content, to be processed first) and the rest of `bytes`.
    pub(crate) fn skip<'b>(&mut self, bytes: &'b [u8]) -> (&'static [u8], &'b [u8]) {
        let Some(mut matched) = self.matched else {
            return (&[], bytes);
        };
        let mut input = bytes;
        while let Some((&b, rest)) = input.split_first() {
            if BOM.get(matched) != Some(&b) {
                self.matched = None;
                return (BOM.get(..matched).unwrap_or_default(), input);
            }
            matched += 1;
            input = rest;
            if matched == BOM.len() {
                self.matched = None;
                return (&[], input);
            }
        }
        self.matched = Some(matched);
        (&[], input)
    }

    /// At the end of the stream: the bytes of an incomplete BOM prefix, which are content.
    pub(crate) fn finish(&mut self) -> &'static [u8] {
        let held = BOM.get(..self.matched.unwrap_or(0)).unwrap_or_default();
        self.matched = None;
        held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_once_ascii_is_str_split_once() {
        for s in [
            "data: x",
            "data",
            ":comment",
            "é:ü:ß",
            "",
            ":",
            "a:",
            "\u{1F600}:\u{1F600}",
        ] {
            assert_eq!(split_once_ascii(s, b':'), s.split_once(':'), "{s:?}");
        }
        assert_eq!(
            split_once_ascii("text/plain; charset=utf-8", b';'),
            Some(("text/plain", " charset=utf-8"))
        );
    }

    #[test]
    fn is_blank_is_trim_is_empty() {
        for s in ["", " ", "\t\r", "\u{a0}\u{2003}", " x ", "\u{feff}", "a"] {
            assert_eq!(is_blank(s), s.trim().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn bom_is_stripped_across_feeds_and_replayed_when_absent() {
        let mut bom = LeadingBom::new();
        assert_eq!(bom.skip(b"\xEF"), (&[][..], &[][..]));
        assert_eq!(bom.skip(b"\xBB\xBFa"), (&[][..], &b"a"[..]));
        assert_eq!(bom.skip(b"\xEF\xBB\xBF"), (&[][..], &b"\xEF\xBB\xBF"[..]));
        let mut partial = LeadingBom::new();
        assert_eq!(partial.skip(b"\xEF\xBB"), (&[][..], &[][..]));
        assert_eq!(partial.skip(b"x"), (&b"\xEF\xBB"[..], &b"x"[..]));
        let mut cut = LeadingBom::new();
        assert_eq!(cut.skip(b"\xEF"), (&[][..], &[][..]));
        assert_eq!(cut.finish(), b"\xEF");
    }
}
