//! Byte-level helpers shared by the framings: line-end search eight bytes at a time (SWAR, in
//! safe code), lossy UTF-8 decoding that stays on std's fast validator for valid input, and
//! stripping of one leading BOM that may arrive split across feeds.
//!
//! `iter().position` tests one byte per step and is not vectorized at `opt-level = "s"` (the
//! release profile), which made scanning a third of the SSE parser's time. Comparing a whole
//! `u64` word against a repeated byte finds the first match with a handful of integer ops.

use std::borrow::Cow;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// A word with the high bit set in (at least) the lowest byte of `word` that equals `byte`.
/// Bits above the first match may be spurious (borrow propagation); the lowest one is exact.
fn match_mask(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGHS
}

fn word(chunk: &[u8]) -> u64 {
    let bytes: [u8; 8] = chunk
        .try_into()
        .expect("invariant: chunks_exact(8) yields 8-byte chunks");
    u64::from_le_bytes(bytes)
}

/// Index of the first `\n` or `\r` in `bytes`.
pub(crate) fn find_cr_or_lf(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let w = word(chunk);
        let mask = match_mask(w, b'\n') | match_mask(w, b'\r');
        if mask != 0 {
            return Some(offset + (mask.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map(|i| offset + i)
}

/// Index of the first `\n` in `bytes`.
pub(crate) fn find_lf(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mask = match_mask(word(chunk), b'\n');
        if mask != 0 {
            return Some(offset + (mask.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| offset + i)
}

/// `String::from_utf8_lossy`, but valid input (the norm) goes through `str::from_utf8`, whose
/// ASCII fast path is several times quicker than the lossy chunk iterator.
pub(crate) fn decode_lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
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

    #[test]
    fn agrees_with_position_everywhere() {
        // Every position of a CR or LF among bytes that stress borrow propagation (0x0b, 0x0e, 0x8a, …).
        let filler = [b'a', 0x00, 0x0b, 0x0c, 0x0e, 0x8a, 0x8d, 0xff, 0x09];
        for len in 0..40 {
            for at in 0..=len {
                for (i, fill) in filler.iter().enumerate() {
                    let mut bytes = vec![*fill; len];
                    let mut second = bytes.clone();
                    if let Some(b) = bytes.get_mut(at) {
                        *b = if i % 2 == 0 { b'\n' } else { b'\r' };
                    }
                    let expected = bytes.iter().position(|&b| b == b'\n' || b == b'\r');
                    assert_eq!(find_cr_or_lf(&bytes), expected, "{bytes:?}");
                    if let Some(b) = second.get_mut(at) {
                        *b = b'\n';
                    }
                    assert_eq!(find_lf(&second), second.iter().position(|&b| b == b'\n'));
                    assert_eq!(find_lf(&bytes), bytes.iter().position(|&b| b == b'\n'));
                }
            }
        }
    }
}
