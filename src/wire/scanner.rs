//! A borrowed JSON scanner for the per-event hot path: it walks one event's JSON in place,
//! reads the few members an adapter needs and skips the rest without building them.
//!
//! Why not serde_json derive structs (as before): every format's visitor monomorphs made the
//! largest function of the wasm, and deserializing dominated the decode profile. The scanner is
//! one small non-generic lexer; the typed reads on top of it live in `fields.rs`.
//!
//! It accepts exactly the JSON that serde_json accepts where the old structs used it, so an
//! event that failed to deserialize before is still a `ParseError` (the differential tests in
//! `tests/wire_differential.rs` check this against the old adapters in `tests/support/oracle/`):
//! - [`Scanner::skip`] is serde's `IgnoredAny`: full syntax check (strings, escapes, numbers,
//!   literals, commas) but no nesting limit (it is iterative, like serde_json's `ignore_value`),
//!   and `\u` escapes are not checked for surrogate pairing;
//! - [`Scanner::string`] is a strict string read: a lone surrogate escape is an error, as in
//!   serde_json's `parse_str`;
//! - containers read member by member go through [`Scanner::enter`], which enforces serde_json's
//!   recursion limit (128 levels including the top-level value);
//! - whitespace is JSON's four characters only; anything but whitespace after the top-level value
//!   is an error ([`Scanner::end`]).
//!
//! Errors carry no detail ([`Invalid`]): the adapters only need "did it parse".
//! Nothing here can panic: every byte access is `get()`, and slices are taken at ASCII
//! delimiters of a `&str`, so they are always on character boundaries.

use std::borrow::Cow;

/// The input is not JSON of the expected shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Invalid;

/// The scanner's result type.
pub(crate) type Res<T> = Result<T, Invalid>;

/// serde_json's recursion limit: the 128th nested container is an error.
const DEPTH_LIMIT: u32 = 128;

/// A cursor over one JSON text.
pub(crate) struct Scanner<'a> {
    src: &'a str,
    pos: usize,
    depth_left: u32,
}

impl<'a> Scanner<'a> {
    /// A scanner at the start of `src`.
    pub(crate) fn new(src: &'a str) -> Self {
        Scanner {
            src,
            pos: 0,
            depth_left: DEPTH_LIMIT,
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.src.as_bytes().get(at).copied()
    }

    /// Skips whitespace and returns the next byte without consuming it.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.byte(self.pos) {
            self.pos += 1;
        }
        self.byte(self.pos)
    }

    /// Consumes `byte` (after whitespace) or fails.
    pub(crate) fn expect(&mut self, byte: u8) -> Res<()> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Invalid)
        }
    }

    /// Consumes `byte` (after whitespace) if it is next.
    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        if next {
            self.pos += 1;
        }
        next
    }

    /// After the top-level value: only whitespace may follow.
    pub(crate) fn end(&mut self) -> Res<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(Invalid),
        }
    }

    /// Enters a container read member by member; fails at the nesting limit.
    pub(crate) fn enter(&mut self) -> Res<()> {
        self.depth_left = self.depth_left.saturating_sub(1);
        if self.depth_left == 0 {
            Err(Invalid)
        } else {
            Ok(())
        }
    }

    /// Leaves a container entered with [`enter`](Self::enter).
    pub(crate) fn leave(&mut self) {
        self.depth_left += 1;
    }

    /// The separator before the next element of a container whose opening bracket (or last
    /// element) was just read: true if an element follows, false at `close` (consumed).
    /// `first`: no element has been read yet. A trailing comma is an error (at the element).
    pub(crate) fn more(&mut self, close: u8, first: bool) -> Res<bool> {
        if self.eat(close) {
            Ok(false)
        } else if first || self.eat(b',') {
            Ok(true)
        } else {
            Err(Invalid)
        }
    }

    /// Consumes `null` if it is next (a literal that starts with `n` but is not `null` is an
    /// error, as in serde_json's `Option` handling).
    pub(crate) fn null(&mut self) -> Res<bool> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Consumes `true` or `false`.
    pub(crate) fn bool(&mut self) -> Res<bool> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => Err(Invalid),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Res<()> {
        let end = self.pos + word.len();
        if self.src.as_bytes().get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(Invalid)
        }
    }

    /// Reads a string strictly: escapes decoded, lone surrogate escapes rejected. Borrowed from
    /// the input unless it has escapes.
    pub(crate) fn string(&mut self) -> Res<Cow<'a, str>> {
        self.expect(b'"')?;
        let start = self.pos;
        let stop = self.find_string_stop();
        self.pos = stop;
        match self.byte(stop) {
            Some(b'"') => {
                self.pos += 1;
                self.src.get(start..stop).map(Cow::Borrowed).ok_or(Invalid)
            }
            Some(b'\\') => {
                let mut out = self.src.get(start..stop).ok_or(Invalid)?.to_owned();
                self.unescape_rest(&mut out)?;
                Ok(Cow::Owned(out))
            }
            _ => Err(Invalid),
        }
    }

    /// The rest of a string after its first backslash (at `pos`), appended to `out`.
    fn unescape_rest(&mut self, out: &mut String) -> Res<()> {
        loop {
            match self.byte(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                _ => return Err(Invalid),
            }
            let start = self.pos;
            let stop = self.find_string_stop();
            out.push_str(self.src.get(start..stop).ok_or(Invalid)?);
            self.pos = stop;
        }
    }

    /// Decodes one escape after its backslash.
    fn escape(&mut self) -> Res<char> {
        let c = self.byte(self.pos).ok_or(Invalid)?;
        self.pos += 1;
        Ok(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(Invalid),
        })
    }

    /// `\uXXXX` (after `\u`), with a surrogate pair as two escapes; a lone surrogate is an error.
    fn unicode_escape(&mut self) -> Res<char> {
        let high = self.hex4()?;
        if !(0xD800..=0xDFFF).contains(&high) {
            return char::from_u32(u32::from(high)).ok_or(Invalid);
        }
        if high >= 0xDC00 || self.byte(self.pos) != Some(b'\\') {
            return Err(Invalid);
        }
        if self.byte(self.pos + 1) != Some(b'u') {
            return Err(Invalid);
        }
        self.pos += 2;
        let low = self.hex4()?;
        if !(0xDC00..=0xDFFF).contains(&low) {
            return Err(Invalid);
        }
        let code = 0x1_0000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
        char::from_u32(code).ok_or(Invalid)
    }

    fn hex4(&mut self) -> Res<u16> {
        let mut value = 0u16;
        for _ in 0..4 {
            let digit = match self.byte(self.pos) {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(Invalid),
            };
            value = value << 4 | u16::from(digit);
            self.pos += 1;
        }
        Ok(value)
    }

    /// Skips a string (at its opening quote) as `IgnoredAny` does: escapes must be well formed,
    /// but surrogates are not paired.
    fn skip_string(&mut self) -> Res<()> {
        self.expect(b'"')?;
        loop {
            self.pos = self.find_string_stop();
            match self.byte(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.byte(self.pos) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 1
                        }
                        Some(b'u') => {
                            self.pos += 1;
                            self.hex4()?;
                        }
                        _ => return Err(Invalid),
                    }
                }
                _ => return Err(Invalid),
            }
        }
    }

    /// Index of the first `"`, `\` or control character at or after `pos` (or the end).
    /// Eight bytes at a time: strings are most of an event's bytes.
    fn find_string_stop(&self) -> usize {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let bytes = self.src.as_bytes();
        let mut at = self.pos;
        while let Some(chunk) = bytes.get(at..at + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let w = u64::from_le_bytes(word);
            let ctrl = w.wrapping_sub(ONES * 0x20) & !w;
            let q = w ^ (ONES * u64::from(b'"'));
            let quote = q.wrapping_sub(ONES) & !q;
            let s = w ^ (ONES * u64::from(b'\\'));
            let slash = s.wrapping_sub(ONES) & !s;
            let mask = (ctrl | quote | slash) & HIGHS;
            if mask != 0 {
                return at + (mask.trailing_zeros() / 8) as usize;
            }
            at += 8;
        }
        while let Some(&b) = bytes.get(at) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            at += 1;
        }
        at
    }

    /// Consumes a number and returns its text (JSON syntax checked, value not computed).
    pub(crate) fn number(&mut self) -> Res<&'a str> {
        self.peek();
        let start = self.pos;
        if self.byte(self.pos) == Some(b'-') {
            self.pos += 1;
        }
        match self.byte(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(Invalid),
        }
        if self.byte(self.pos) == Some(b'.') {
            self.pos += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.byte(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.byte(self.pos) {
                self.pos += 1;
            }
            self.some_digits()?;
        }
        self.src.get(start..self.pos).ok_or(Invalid)
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.byte(self.pos) {
            self.pos += 1;
        }
    }

    fn some_digits(&mut self) -> Res<()> {
        let start = self.pos;
        self.digits();
        if self.pos == start {
            Err(Invalid)
        } else {
            Ok(())
        }
    }

    /// Reads an object key (strict string) and its colon.
    pub(crate) fn key(&mut self) -> Res<Cow<'a, str>> {
        let key = self.string()?;
        self.expect(b':')?;
        Ok(key)
    }

    /// Skips one value of any kind, as serde's `IgnoredAny` does (see the module docs).
    /// Iterative: the open containers are a bit stack, so deep nesting cannot overflow the stack.
    pub(crate) fn skip(&mut self) -> Res<()> {
        let mut open = BitStack::default();
        loop {
            match self.peek() {
                Some(b'{') => {
                    self.pos += 1;
                    if !self.eat(b'}') {
                        open.push(true);
                        self.skip_key()?;
                        continue;
                    }
                }
                Some(b'[') => {
                    self.pos += 1;
                    if !self.eat(b']') {
                        open.push(false);
                        continue;
                    }
                }
                Some(b'"') => self.skip_string()?,
                Some(b'n') => self.literal(b"null")?,
                Some(b't' | b'f') => {
                    self.bool()?;
                }
                _ => {
                    self.number()?;
                }
            }
            // A value is complete: close containers until one continues with a comma.
            loop {
                let Some(in_object) = open.top() else {
                    return Ok(());
                };
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if in_object {
                            self.skip_key()?;
                        }
                        break;
                    }
                    Some(b'}') if in_object => {}
                    Some(b']') if !in_object => {}
                    _ => return Err(Invalid),
                }
                self.pos += 1;
                open.pop();
            }
        }
    }

    fn skip_key(&mut self) -> Res<()> {
        self.skip_string()?;
        self.expect(b':')
    }
}

/// The kinds (object or array) of the containers [`Scanner::skip`] is inside: 128 levels
/// without allocating, deeper ones on the heap.
#[derive(Default)]
struct BitStack {
    len: usize,
    inline: u128,
    deeper: Vec<bool>,
}

impl BitStack {
    fn push(&mut self, bit: bool) {
        if self.len < 128 {
            self.inline = (self.inline & !(1 << self.len)) | (u128::from(bit) << self.len);
        } else {
            self.deeper.push(bit);
        }
        self.len += 1;
    }

    fn top(&self) -> Option<bool> {
        let index = self.len.checked_sub(1)?;
        if index < 128 {
            Some(self.inline >> index & 1 == 1)
        } else {
            self.deeper.last().copied()
        }
    }

    fn pop(&mut self) {
        if self.len > 128 {
            self.deeper.pop();
        }
        self.len = self.len.saturating_sub(1);
    }
}

#[cfg(test)]
#[path = "scanner_tests.rs"]
mod tests;
