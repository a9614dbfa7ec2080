//! Typed reads on the [`Scanner`], each with the exact acceptance rules of the serde type it
//! replaces in the old derive structs (`Option<T>`, `Option<Text>`, `Count`, `Option<Value>`,
//! `Option<IgnoredAny>`, a struct with every field `#[serde(default)]`, an array), so that an
//! event is a `ParseError` exactly when deserializing it into those structs failed.

use super::json::{Count, Items};
use super::scanner::{Invalid, Res, Scanner};
use std::borrow::Cow;

/// Reads the whole of `src` as one value with `read`; only whitespace may follow it.
pub(crate) fn parse<'a, T>(src: &'a str, read: impl FnOnce(&mut Scanner<'a>) -> Res<T>) -> Res<T> {
    let mut scanner = Scanner::new(src);
    let value = read(&mut scanner)?;
    scanner.end()?;
    Ok(value)
}

/// A struct as serde derive reads one whose fields all have `#[serde(default)]`: either an
/// object, whose members named in `names` go to `field(scanner, index)` and whose other members
/// are skipped (a known name twice is an error: serde's "duplicate field"), or an array holding
/// the fields in declaration order (fewer elements leave defaults, more are an error).
///
/// Keys are compared after unescaping, as serde does (`"con\u0074ent"` is `content`).
/// At most 32 names.
///
/// The body is compiled once for every struct (the callback is `dyn`): inlining it into each
/// reader cost ~21 KB of wasm. [`record_inline`] is the same for the few hottest readers.
pub(crate) fn record<'a>(
    s: &mut Scanner<'a>,
    names: &[&str],
    mut field: impl FnMut(&mut Scanner<'a>, usize) -> Res<()>,
) -> Res<()> {
    record_inline::<&mut dyn FnMut(&mut Scanner<'a>, usize) -> Res<()>>(s, names, &mut field)
}

/// [`record`] specialized for its callback, for the per-chunk readers of the commonest format.
pub(crate) fn record_inline<'a, F: FnMut(&mut Scanner<'a>, usize) -> Res<()>>(
    s: &mut Scanner<'a>,
    names: &[&str],
    mut field: F,
) -> Res<()> {
    s.enter()?;
    if s.eat(b'{') {
        let mut seen = 0u32;
        let mut first = true;
        while s.more(b'}', first)? {
            first = false;
            let key = s.key()?;
            match names.iter().position(|name| *name == key.as_ref()) {
                Some(index) => {
                    let bit = 1u32.checked_shl(index as u32).ok_or(Invalid)?;
                    if seen & bit != 0 {
                        return Err(Invalid);
                    }
                    seen |= bit;
                    field(s, index)?;
                }
                None => s.skip()?,
            }
        }
    } else if s.eat(b'[') {
        let mut index = 0;
        while s.more(b']', index == 0)? {
            if index >= names.len() {
                return Err(Invalid);
            }
            field(s, index)?;
            index += 1;
        }
    } else {
        return Err(Invalid);
    }
    s.leave();
    Ok(())
}

/// A JSON array (serde `deserialize_seq`: an object is an error), read in place: each element
/// is a default `T` filled by `read`. For large element structs (a Chat Completions choice) this
/// avoids moving them through `Result`s, which was a visible share of the decode profile (memcpy).
pub(crate) fn items_in<'a, T: Default>(
    s: &mut Scanner<'a>,
    out: &mut Items<T>,
    mut read: impl FnMut(&mut Scanner<'a>, &mut T) -> Res<()>,
) -> Res<()> {
    s.enter()?;
    s.expect(b'[')?;
    let mut first = true;
    while s.more(b']', first)? {
        first = false;
        read(s, out.push_default())?;
    }
    s.leave();
    Ok(())
}

/// [`opt`] read in place: `null` leaves `None`, anything else is read into a default `T`.
pub(crate) fn opt_in<'a, T: Default>(
    s: &mut Scanner<'a>,
    slot: &mut Option<T>,
    read: impl FnOnce(&mut Scanner<'a>, &mut T) -> Res<()>,
) -> Res<()> {
    if s.null()? {
        *slot = None;
        Ok(())
    } else {
        read(s, slot.insert(T::default()))
    }
}

/// `Option<T>`: `null` is `None`, anything else must be a `T`.
pub(crate) fn opt<'a, T>(
    s: &mut Scanner<'a>,
    read: impl FnOnce(&mut Scanner<'a>) -> Res<T>,
) -> Res<Option<T>> {
    if s.null()? {
        Ok(None)
    } else {
        read(s).map(Some)
    }
}

/// `Option<&str>`-like text: `null` or a string (strictly decoded).
pub(crate) fn opt_text<'a>(s: &mut Scanner<'a>) -> Res<Option<Cow<'a, str>>> {
    opt(s, Scanner::string)
}

/// `Option<bool>`.
pub(crate) fn opt_bool(s: &mut Scanner<'_>) -> Res<Option<bool>> {
    opt(s, Scanner::bool)
}

/// `Option<IgnoredAny>`: whether a non-null value is there (it is skipped).
pub(crate) fn present(s: &mut Scanner<'_>) -> Res<bool> {
    if s.null()? {
        Ok(false)
    } else {
        s.skip().map(|()| true)
    }
}

/// A token count: `null` or a number (see [`Count`]).
pub(crate) fn count(s: &mut Scanner<'_>) -> Res<Count> {
    if s.null()? {
        return Ok(Count::default());
    }
    let text = s.number()?;
    number_value(text).map(|n| Count::new(Some(n)))
}

/// The `f64` serde_json gives for a number's text, or `Invalid` where serde_json reports
/// "number out of range" (e.g. `1e400`).
///
/// Plain integers of up to 19 digits (every token count in practice) are converted here; any
/// other number goes through [`super::number`], a port of serde_json's parser, so rounding and range
/// errors are serde_json's (its default float parsing is not correctly rounded, and the
/// difference can decide `2.9999999999999999 as u64`).
pub(crate) fn number_value(text: &str) -> Res<f64> {
    let bytes = text.as_bytes();
    if !bytes.is_empty() && bytes.len() <= 19 && bytes.iter().all(u8::is_ascii_digit) {
        let n = bytes.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        return Ok(n as f64);
    }
    super::number::value(text).ok_or(Invalid)
}

/// A value the old structs held as a `serde_json::Value`, reduced to what the adapters look at.
#[derive(Debug, Default)]
pub(crate) enum Any<'a> {
    /// `null`.
    #[default]
    Null,
    /// An object, with the members the error classes use.
    Object(Members<'a>),
    /// Anything else (a string, number, boolean or array), as kept for an object member.
    Scalar(Member<'a>),
}

/// The members of an object that error classes read; for a repeated key the last one counts,
/// as in `serde_json::Map`.
#[derive(Debug, Default)]
pub(crate) struct Members<'a> {
    /// `type`.
    pub(crate) kind: Option<Member<'a>>,
    /// `code`.
    pub(crate) code: Option<Member<'a>>,
    /// `reason`.
    pub(crate) reason: Option<Member<'a>>,
}

/// A value that is not an object (or an object member whose inside is not needed).
#[derive(Debug, Default)]
pub(crate) enum Member<'a> {
    /// A string.
    Str(Cow<'a, str>),
    /// A number, as its JSON text.
    Num(&'a str),
    /// `null`, a boolean, an array or an object.
    #[default]
    Other,
}

impl Member<'_> {
    /// A non-empty string, or a number as its JSON text, as sent (`429`, `1E-7`: printing a parsed `f64` would
    /// need float formatting in the wasm, BENCHMARKS.md row 3); `None` for anything else.
    pub(crate) fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Member::Str(s) if !s.is_empty() => Some(Cow::Borrowed(s)),
            Member::Num(text) => Some(Cow::Borrowed(text)),
            _ => None,
        }
    }

    /// A non-empty string.
    pub(crate) fn non_empty_str(&self) -> Option<&str> {
        match self {
            Member::Str(s) if !s.is_empty() => Some(s),
            _ => None,
        }
    }
}

/// Reads any value as deserializing a `serde_json::Value` would accept it: strings strictly
/// decoded, numbers within `f64` range, the nesting limit enforced (recursion is bounded by it).
/// Nested members are checked and dropped; only a top-level object's members are kept.
pub(crate) fn any<'a>(s: &mut Scanner<'a>) -> Res<Any<'a>> {
    match s.peek() {
        Some(b'{') => {
            s.enter()?;
            s.expect(b'{')?;
            let mut members = Members::default();
            let mut first = true;
            while s.more(b'}', first)? {
                first = false;
                let key = s.key()?;
                let value = match any(s)? {
                    Any::Scalar(member) => member,
                    Any::Null | Any::Object(_) => Member::Other,
                };
                match key.as_ref() {
                    "type" => members.kind = Some(value),
                    "code" => members.code = Some(value),
                    "reason" => members.reason = Some(value),
                    _ => {}
                }
            }
            s.leave();
            Ok(Any::Object(members))
        }
        Some(b'[') => {
            s.enter()?;
            s.expect(b'[')?;
            let mut first = true;
            while s.more(b']', first)? {
                first = false;
                any(s)?;
            }
            s.leave();
            Ok(Any::Scalar(Member::Other))
        }
        Some(b'"') => s.string().map(|text| Any::Scalar(Member::Str(text))),
        Some(b'n') => s.null().map(|_| Any::Null),
        Some(b't' | b'f') => s.bool().map(|_| Any::Scalar(Member::Other)),
        _ => {
            let text = s.number()?;
            number_value(text)?;
            Ok(Any::Scalar(Member::Num(text)))
        }
    }
}

/// `Option<Value>`: `null` is `None`.
pub(crate) fn opt_any<'a>(s: &mut Scanner<'a>) -> Res<Option<Any<'a>>> {
    opt(s, any)
}
