//! Header checks before an imported `HISTF…` histogram reaches the `hdrhistogram` deserializer.
//!
//! The deserializer trusts the header: a hostile payload length or range makes it allocate up to gigabytes,
//! and an allocation failure aborts the whole wasm module. So we read the header ourselves first —
//! inflating the DEFLATE payload with a cap — and refuse anything outside bounds no real export needs.

use std::io::Read;

use super::error::ImportError;

const V2_COOKIE: u32 = 0x1c84_9313;
const V2_COMPRESSED_COOKIE: u32 = 0x1c84_9314;
/// Largest inflated histogram accepted (a full 1 h, 3-digit histogram is far smaller).
const MAX_INFLATED_BYTES: u64 = 8 << 20;
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

/// Checks a V2 (optionally DEFLATE-compressed) histogram's header and returns its bucket settings. `Ok` means
/// the deserializer's allocations are bounded.
pub fn check(bytes: &[u8]) -> Result<Settings, ImportError> {
    match be_u32(bytes, 0) {
        Some(V2_COOKIE) => check_v2(bytes),
        Some(V2_COMPRESSED_COOKIE) => {
            let compressed_len =
                be_u32(bytes, 4).ok_or_else(|| bad("truncated compressed header"))? as usize;
            let zlib = bytes
                .get(8..)
                .ok_or_else(|| bad("truncated compressed header"))?;
            if compressed_len > zlib.len() {
                return Err(bad("compressed length exceeds the data"));
            }
            let mut inflated = Vec::new();
            flate2::read::ZlibDecoder::new(&zlib[..compressed_len])
                .take(MAX_INFLATED_BYTES + 1)
                .read_to_end(&mut inflated)
                .map_err(|_| bad("payload is not a zlib stream"))?;
            if inflated.len() as u64 > MAX_INFLATED_BYTES {
                return Err(bad("inflated histogram is larger than 8 MiB"));
            }
            check_v2(&inflated)
        }
        _ => Err(bad("not an HdrHistogram V2 encoding (cookie)")),
    }
}

fn check_v2(b: &[u8]) -> Result<Settings, ImportError> {
    if be_u32(b, 0) != Some(V2_COOKIE) {
        return Err(bad("inner encoding is not V2"));
    }
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
    Ok(Settings { digits, lowest })
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
            Ok(Settings {
                digits: 3,
                lowest: 1
            })
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
            "compressed length beyond data"
        );
        assert!(check(&[1, 2, 3]).is_err());
        assert!(check(&[]).is_err());
    }
}
