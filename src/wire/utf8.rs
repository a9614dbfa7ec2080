//! An incremental UTF-8 decoder for unframed text bodies, equivalent to a streaming
//! `TextDecoder`: one leading BOM is stripped (even when split across feeds), an incomplete sequence at the end of a feed is held back until the next feed,
//! invalid bytes become U+FFFD (one per maximal invalid subpart), and an incomplete sequence
//! left at the end of the stream becomes one U+FFFD.

use super::scan::{LeadingBom, decode_lossy};
use std::borrow::Cow;

/// Incremental, lossy UTF-8 decoder.
#[derive(Clone, Debug)]
pub struct Utf8Decoder {
    /// Strips a BOM at the start of the stream.
    bom: LeadingBom,
    /// Bytes of an incomplete trailing sequence (at most 3), or the working copy when joining.
    carry: Vec<u8>,
    /// Decoded output when it cannot be borrowed from the input.
    out: String,
}

impl Default for Utf8Decoder {
    fn default() -> Self {
        Utf8Decoder {
            bom: LeadingBom::new(),
            carry: Vec::new(),
            out: String::new(),
        }
    }
}

impl Utf8Decoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes the next piece. The result borrows `bytes` when it is valid UTF-8 and nothing is
    /// held back (the common case); otherwise it is built in an internal, reused buffer.
    /// Returns `""` if the piece completes no character.
    pub fn decode<'s>(&'s mut self, bytes: &'s [u8]) -> &'s str {
        let (not_bom, bytes) = self.bom.skip(bytes);
        self.carry.extend_from_slice(not_bom);
        if self.carry.is_empty() {
            match std::str::from_utf8(bytes) {
                Ok(text) => return text,
                Err(e) if e.error_len().is_none() => {
                    let (valid, tail) = bytes.split_at(e.valid_up_to());
                    self.carry.extend_from_slice(tail);
                    // `valid` is valid UTF-8 by construction, so this borrows.
                    return match decode_lossy(valid) {
                        Cow::Borrowed(text) => text,
                        Cow::Owned(text) => {
                            self.out = text;
                            &self.out
                        }
                    };
                }
                Err(_) => {}
            }
        }
        self.carry.extend_from_slice(bytes);
        let input = std::mem::take(&mut self.carry);
        self.out.clear();
        let mut rest = &input[..];
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.out.push_str(text);
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    self.out.push_str(&decode_lossy(valid));
                    match e.error_len() {
                        Some(len) => {
                            self.out.push(char::REPLACEMENT_CHARACTER);
                            rest = after.get(len..).unwrap_or_default();
                        }
                        None => {
                            rest = after;
                            break;
                        }
                    }
                }
            }
        }
        // Keep the incomplete tail, reusing the buffer.
        let consumed = input.len() - rest.len();
        let mut input = input;
        input.drain(..consumed);
        self.carry = input;
        &self.out
    }

    /// Ends the stream: returns U+FFFD if an incomplete sequence was held back, `""` otherwise.
    pub fn finish(&mut self) -> &'static str {
        // A lone "EF" or "EF BB" at the very end is an incomplete sequence too.
        let partial_bom = !self.bom.finish().is_empty();
        if self.carry.is_empty() && !partial_bom {
            ""
        } else {
            self.carry.clear();
            "\u{FFFD}"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(chunks: &[&[u8]]) -> String {
        let mut decoder = Utf8Decoder::new();
        let mut out = String::new();
        for chunk in chunks {
            out.push_str(decoder.decode(chunk));
        }
        out.push_str(decoder.finish());
        out
    }

    #[test]
    fn split_characters_decode_whole() {
        let text = "héllo 😀 世界";
        let bytes = text.as_bytes();
        for i in 0..=bytes.len() {
            for j in i..=bytes.len() {
                assert_eq!(decode_all(&[&bytes[..i], &bytes[i..j], &bytes[j..]]), text);
            }
        }
    }

    #[test]
    fn leading_bom_is_stripped_once() {
        assert_eq!(
            decode_all(&[b"\xEF", b"\xBB", b"\xBFa\xEF\xBB\xBF"]),
            "a\u{FEFF}"
        );
        assert_eq!(decode_all(&[b"\xEF\xBB"]), "\u{FFFD}");
        assert_eq!(decode_all(&[b"\xEF", b"a"]), "\u{FFFD}a");
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        assert_eq!(decode_all(&[b"a\xFFb"]), "a\u{FFFD}b");
        assert_eq!(decode_all(&[b"a\xF0\x9F", b"b"]), "a\u{FFFD}b");
        assert_eq!(decode_all(&[b"a\xF0\x9F"]), "a\u{FFFD}");
        assert_eq!(decode_all(&[b"\xFF\xFE"]), "\u{FFFD}\u{FFFD}");
    }
}
