//! HdrHistogram's V2 encoding, read without DEFLATE: the `HISTF…` wrapper (zlib + base64) is undone by the JS
//! binding (`src/wasm/histf.js`, the browser's `DecompressionStream`), so the wasm gets the inner V2 bytes.
//!
//! Why not `hdrhistogram`'s `Deserializer`: it reads the compressed cookie too, which links DEFLATE's inflater
//! into every build that imports (measured: the full wasm 92,776 -> 85,645 B brotli without it; BENCHMARKS.md
//! row 3). The crate's payload reader is private, so the few lines of LEB128 + ZigZag below read the payload; they
//! are checked against the crate's `Deserializer` (tests below and tests/aggregate_exports.rs). Bucket positions
//! come from the crate (`next_non_equivalent`), not from our own bucket arithmetic.

use hdrhistogram::Histogram;

use super::error::ImportError;
use super::import_guard::Header;

fn bad(why: &str) -> ImportError {
    ImportError::NotAHistogram(why.to_owned())
}

/// One LEB128-64b9B number (HdrHistogram's variant: the 9th byte contributes all 8 bits) at `*at`.
fn read_varint(payload: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for i in 0..9 {
        let b = *payload.get(*at)?;
        *at += 1;
        if i == 8 {
            return Some(value | u64::from(b) << 56);
        }
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn zig_zag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// Reads the payload of a checked V2 header (`import_guard::check`): `(value, count)` for every non-empty bucket in
/// increasing value order, where `value` is the bucket's highest equivalent value (as the crate's `iter_recorded`
/// reports it). Returns an error for a payload that runs past its buckets or ends inside a number.
pub fn buckets(header: &Header<'_>) -> Result<Vec<(u64, u64)>, ImportError> {
    let Header {
        settings,
        highest,
        payload,
    } = *header;
    // A histogram of 1-byte counts: only the crate's bucket layout is used, never its counts.
    let layout = Histogram::<u8>::new_with_bounds(settings.lowest, highest, settings.digits as u8)
        .map_err(|_| bad("histogram bounds out of range"))?;
    let slots = layout.distinct_values() as u64;
    let mut buckets = Vec::new();
    let (mut at, mut index, mut value) = (0usize, 0u64, 0u64);
    while at < payload.len() {
        let n = zig_zag(
            read_varint(payload, &mut at).ok_or_else(|| bad("payload ends inside a number"))?,
        );
        let step = if n < 0 { n.unsigned_abs() } else { 1 };
        if index + step > slots {
            return Err(bad("payload has more buckets than its header declares"));
        }
        if n > 0 {
            buckets.push((layout.highest_equivalent(value), n as u64));
        }
        for _ in 0..step {
            value = layout.next_non_equivalent(value);
        }
        index += step;
    }
    Ok(buckets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::import_guard::check;

    fn decode(bytes: &[u8]) -> Result<Vec<(u64, u64)>, ImportError> {
        buckets(&check(bytes)?)
    }
    use hdrhistogram::serialization::{Deserializer, Serializer, V2Serializer};

    fn v2(h: &Histogram<u64>) -> Vec<u8> {
        let mut out = Vec::new();
        V2Serializer::new().serialize(h, &mut out).unwrap();
        out
    }

    #[test]
    fn decodes_like_the_crate_deserializer() {
        let mut h = Histogram::<u64>::new_with_bounds(1, 3_600_000_000, 3).unwrap();
        for v in [1, 2, 2, 1000, 1001, 123_456, 3_599_999_999] {
            h.record(v).unwrap();
        }
        h.record_n(77, u64::MAX / 4).unwrap(); // a count that needs all 9 varint bytes
        let bytes = v2(&h);
        let reference: Histogram<u64> = Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .unwrap();
        let expected: Vec<(u64, u64)> = reference
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect();
        assert_eq!(expected.len(), 7, "every distinct bucket");
        assert_eq!(decode(&bytes).unwrap(), expected);
    }

    #[test]
    fn an_empty_histogram_has_no_buckets() {
        let h = Histogram::<u64>::new_with_bounds(1, 1000, 2).unwrap();
        assert!(decode(&v2(&h)).unwrap().is_empty());
    }

    #[test]
    fn truncated_or_overlong_payloads_are_refused() {
        let mut h = Histogram::<u64>::new_with_bounds(1, 1000, 2).unwrap();
        h.record(999).unwrap();
        let mut bytes = v2(&h);
        // A number that never ends: the last byte gets its continuation bit.
        let last = bytes.len() - 1;
        bytes[last] |= 0x80;
        assert!(decode(&bytes).is_err());
        // A zero run past the last bucket (ZigZag of -10^6 = 1999999, three varint bytes), payload length fixed up.
        let mut bytes = v2(&h);
        bytes.extend([0xff, 0x88, 0x7a]);
        let len = (bytes.len() - 40) as u32;
        bytes[4..8].copy_from_slice(&len.to_be_bytes());
        assert!(decode(&bytes).is_err());
    }

    #[test]
    fn varints_match_the_leb128_64b9b_rules() {
        let mut at = 0;
        assert_eq!(read_varint(&[0x7f], &mut at), Some(127));
        at = 0;
        assert_eq!(read_varint(&[0x80, 0x01], &mut at), Some(128));
        at = 0;
        assert_eq!(read_varint(&[0xff; 9], &mut at), Some(u64::MAX));
        assert_eq!(at, 9);
        at = 0;
        assert_eq!(read_varint(&[0x80], &mut at), None);
        assert_eq!((zig_zag(1), zig_zag(2), zig_zag(3)), (-1, 1, -2));
    }
}
