//! Header checks before an imported V2 histogram's payload is read (`v2.rs`).
//!
//! A hostile payload length or range would make the bucket layout allocate up to gigabytes, and an allocation
//! failure aborts the whole wasm module. So the header is read first and anything outside bounds no real export
//! needs is refused. (Inflating a `HISTF…` text, with its own size cap, is the JS binding's: src/wasm/histf.js.)

use super::error::ImportError;

const V2_COOKIE: u32 = 0x1c84_9313;
const V2_COMPRESSED_COOKIE: u32 = 0x1c84_9314;
/// Largest highest-trackable value accepted (2^40 µs ≈ 12.7 days; ours is 1 h).
const MAX_HIGHEST: u64 = 1 << 40;
/// HdrHistogram supports 0–5 significant digits.
const MAX_DIGITS: u32 = 5;

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn be_u64(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at + 8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_be_bytes(a))
}

fn bad(why: &str) -> ImportError {
    ImportError::NotAHistogram(why.to_owned())
}

/// The bucket settings a V2 header declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Significant decimal digits.
    pub digits: u32,
    /// Lowest discernible value.
    pub lowest: u64,
}

/// A checked V2 header and the payload it frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    /// The bucket settings.
    pub settings: Settings,
    /// Highest trackable value.
    pub highest: u64,
    /// The counts, LEB128-64b9B + ZigZag encoded.
    pub payload: &'a [u8],
}

/// Checks an uncompressed V2 histogram's header. Returns its bucket settings, its highest trackable value and
/// its payload: `Ok` means the payload lies within the bytes and the bucket layout is bounded (≤ 5 digits, highest
/// ≤ 2^40), so building it cannot exhaust the wasm's memory. A compressed histogram (cookie `0x1c849314`) is
/// refused: the JS binding inflates it first, with its own cap.
pub fn check(b: &[u8]) -> Result<Header<'_>, ImportError> {
    match be_u32(b, 0) {
        Some(V2_COOKIE) => check_header(b),
        Some(V2_COMPRESSED_COOKIE) => Err(bad(
            "DEFLATE-compressed V2: inflate it before the core reads it",
        )),
        _ => Err(bad("not an HdrHistogram V2 encoding (cookie)")),
    }
}

fn check_header(b: &[u8]) -> Result<Header<'_>, ImportError> {
    let payload_len = be_u32(b, 4).ok_or_else(|| bad("truncated header"))? as usize;
    let digits = be_u32(b, 12).ok_or_else(|| bad("truncated header"))?;
    let lowest = be_u64(b, 16).ok_or_else(|| bad("truncated header"))?;
    let highest = be_u64(b, 24).ok_or_else(|| bad("truncated header"))?;
    if payload_len > b.len().saturating_sub(40) {
        return Err(bad("payload length exceeds the data"));
    }
    if digits > MAX_DIGITS
        || lowest == 0
        || highest > MAX_HIGHEST
        || highest < lowest.saturating_mul(2)
    {
        return Err(bad(
            "histogram bounds out of range (lowest ≥ 1, highest ≤ 2^40, ≤ 5 digits)",
        ));
    }
    // What the crate's deserializer refuses too: a normalizing offset, and a double histogram's value ratio.
    if be_u32(b, 8) != Some(0) || be_u64(b, 32) != Some(1.0f64.to_bits()) {
        return Err(bad(
            "normalizing offset or integer-to-double ratio is not supported",
        ));
    }
    let payload = b
        .get(40..40 + payload_len)
        .ok_or_else(|| bad("truncated header"))?;
    Ok(Header {
        settings: Settings { digits, lowest },
        highest,
        payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(payload_len: u32, digits: u32, lowest: u64, highest: u64) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend(V2_COOKIE.to_be_bytes());
        b.extend(payload_len.to_be_bytes());
        b.extend(0u32.to_be_bytes());
        b.extend(digits.to_be_bytes());
        b.extend(lowest.to_be_bytes());
        b.extend(highest.to_be_bytes());
        b.extend(1.0f64.to_be_bytes());
        b
    }

    #[test]
    fn hostile_headers_are_refused() {
        assert_eq!(
            check(&header(0, 3, 1, 3_600_000_000)),
            Ok(Header {
                settings: Settings {
                    digits: 3,
                    lowest: 1
                },
                highest: 3_600_000_000,
                payload: &[]
            })
        );
        let mut ratio = header(0, 3, 1, 1000);
        ratio[32..40].copy_from_slice(&2.0f64.to_be_bytes());
        assert!(check(&ratio).is_err(), "a double histogram");
        assert!(
            check(&header(0, 3, 1, 1000)[..36]).is_err(),
            "header shorter than 40 bytes"
        );
        assert!(
            check(&header(i32::MAX as u32, 3, 1, 3_600_000_000)).is_err(),
            "payload length beyond data"
        );
        assert!(
            check(&header(0, 3, 1, u64::MAX / 2)).is_err(),
            "range too large"
        );
        assert!(check(&header(0, 9, 1, 1000)).is_err(), "digits");
        assert!(check(&header(0, 3, 0, 1000)).is_err(), "lowest 0");
        assert!(
            check(&[0x1c, 0x84, 0x93, 0x14, 0xff, 0xff, 0xff, 0xff]).is_err(),
            "a compressed histogram (inflated by the JS binding, never by the core)"
        );
        assert!(check(&[1, 2, 3]).is_err());
        assert!(check(&[]).is_err());
    }
}
