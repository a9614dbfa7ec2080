//! JSON numbers exactly as serde_json reads them (without its `float_roundtrip` feature), so the decoders need
//! no serde_json: [`value`] is `serde_json::from_str::<f64>` on a number's text. A port of serde_json 1.0's
//! `parse_integer` …
//! `f64_from_parts` (de.rs), checked against serde_json itself by the tests below and the differential oracle.
//!
//! The text has already passed the scanner's number grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).

/// A parsed number, as serde_json keeps it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Num {
    /// A non-negative integer that fits `u64`.
    U64(u64),
    /// A negative integer that fits `i64`.
    I64(i64),
    /// Anything else.
    F64(f64),
}

/// serde_json's `overflow!(a * 10 + b, c)`.
fn overflows<
    T: Copy + PartialOrd + std::ops::Div<Output = T> + std::ops::Rem<Output = T> + From<u8>,
>(
    a: T,
    b: T,
    c: T,
) -> bool {
    let ten = T::from(10);
    a >= c / ten && (a > c / ten || b > c % ten)
}

/// The number `text` is, or `None` where serde_json says "number out of range" (e.g. `1e400`).
pub(crate) fn parse(text: &str) -> Option<Num> {
    let b = text.as_bytes();
    let positive = b.first() != Some(&b'-');
    let mut i = usize::from(!positive);
    let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| c - b'0');
    let mut significand: u64 = 0;
    let mut exponent: i32 = 0;
    let mut long = false;
    while let Some(d) = digit(i) {
        if long || overflows(significand, u64::from(d), u64::MAX) {
            long = true;
            exponent += 1;
        } else {
            significand = significand * 10 + u64::from(d);
        }
        i += 1;
    }
    let fraction = b.get(i) == Some(&b'.');
    let exp_mark = |i: usize| matches!(b.get(i), Some(b'e' | b'E'));
    if !fraction && !exp_mark(i) && !long {
        return Some(if positive {
            Num::U64(significand)
        } else {
            let neg = (significand as i64).wrapping_neg();
            if neg >= 0 {
                Num::F64(-(significand as f64))
            } else {
                Num::I64(neg)
            }
        });
    }
    if fraction {
        i += 1;
        let mut skipping = false;
        while let Some(d) = digit(i) {
            if !skipping && overflows(significand, u64::from(d), u64::MAX) {
                skipping = true;
            } else if !skipping {
                significand = significand * 10 + u64::from(d);
                exponent -= 1;
            }
            i += 1;
        }
    }
    if exp_mark(i) {
        i += 1;
        let positive_exp = b.get(i) != Some(&b'-');
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let mut exp: i32 = 0;
        while let Some(d) = digit(i) {
            if overflows(exp, i32::from(d), i32::MAX) {
                if significand != 0 && positive_exp {
                    return None;
                }
                return Some(Num::F64(if positive { 0.0 } else { -0.0 }));
            }
            exp = exp * 10 + i32::from(d);
            i += 1;
        }
        exponent = if positive_exp {
            exponent.saturating_add(exp)
        } else {
            exponent.saturating_sub(exp)
        };
    }
    f64_from_parts(positive, significand, exponent).map(Num::F64)
}

fn f64_from_parts(positive: bool, significand: u64, mut exponent: i32) -> Option<f64> {
    let mut f = significand as f64;
    loop {
        match pow10(exponent.unsigned_abs()) {
            Some(pow) => {
                if exponent >= 0 {
                    f *= pow;
                    if f.is_infinite() {
                        return None;
                    }
                } else {
                    f /= pow;
                }
                break;
            }
            None => {
                if f == 0.0 {
                    break;
                }
                if exponent >= 0 {
                    return None;
                }
                f /= 1e308;
                exponent += 308;
            }
        }
    }
    Some(if positive { f } else { -f })
}

/// `10^n` as the nearest `f64` for `n <= 308` (`None` above): the values of serde_json's `POW10` table of the
/// literals `1e0 … 1e308`, computed instead of stored (the table was 2.5 KB of the embedded wasm; BENCHMARKS.md
/// row 3). Only numbers with a fraction or an exponent come here, never a plain token count. The test below checks
/// all 309 values bit for bit against the table.
fn pow10(n: u32) -> Option<f64> {
    // 10^n = 5^n · 2^n; 5^n is kept as a 125-bit mantissa `m` (top bit 124) times 2^shift, truncated as it grows.
    const TOP: u32 = 124;
    const DROP: u32 = TOP + 1 - 53;
    if n > 308 {
        return None;
    }
    let mut m: u128 = 1 << TOP;
    let mut shift = -(TOP as i32);
    for _ in 0..n {
        m += m << 2; // · 5: below 2^128 because m < 2^125
        while m >> (TOP + 1) != 0 {
            m >>= 1;
            shift += 1;
        }
    }
    // The nearest 53-bit mantissa, ties to even.
    let mut mantissa = (m >> DROP) as u64;
    let rest = m & ((1 << DROP) - 1);
    let half = 1 << (DROP - 1);
    if rest > half || (rest == half && mantissa & 1 == 1) {
        mantissa += 1;
    }
    let exp2 = shift + DROP as i32 + n as i32; // in -52 ..= 971: 2^exp2 is a normal f64
    Some(mantissa as f64 * f64::from_bits(((exp2 + 1023) as u64) << 52))
}

/// `serde_json::from_str::<f64>(text)`: `None` when out of range.
pub(crate) fn value(text: &str) -> Option<f64> {
    Some(match parse(text)? {
        Num::U64(n) => n as f64,
        Num::I64(n) => n as f64,
        Num::F64(f) => f,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Grammar-valid number texts, one a line: the one list of cases, which tests/wire_differential.rs also
    /// draws its generated documents' numbers from.
    const CASES: &str = include_str!("../../tests/fixtures/json-numbers.txt");

    #[test]
    fn powers_of_ten_are_the_literals() {
        for (n, literal) in POW10.iter().enumerate() {
            assert_eq!(
                pow10(n as u32).map(f64::to_bits),
                Some(literal.to_bits()),
                "1e{n}"
            );
        }
        assert_eq!(pow10(309), None);
    }

    /// serde_json 1.0's table (de.rs), which `pow10` replaces.
    static POW10: [f64; 309] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31,
        1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46,
        1e47, 1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61,
        1e62, 1e63, 1e64, 1e65, 1e66, 1e67, 1e68, 1e69, 1e70, 1e71, 1e72, 1e73, 1e74, 1e75, 1e76,
        1e77, 1e78, 1e79, 1e80, 1e81, 1e82, 1e83, 1e84, 1e85, 1e86, 1e87, 1e88, 1e89, 1e90, 1e91,
        1e92, 1e93, 1e94, 1e95, 1e96, 1e97, 1e98, 1e99, 1e100, 1e101, 1e102, 1e103, 1e104, 1e105,
        1e106, 1e107, 1e108, 1e109, 1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118,
        1e119, 1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129, 1e130, 1e131,
        1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139, 1e140, 1e141, 1e142, 1e143, 1e144,
        1e145, 1e146, 1e147, 1e148, 1e149, 1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157,
        1e158, 1e159, 1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168, 1e169, 1e170,
        1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179, 1e180, 1e181, 1e182, 1e183,
        1e184, 1e185, 1e186, 1e187, 1e188, 1e189, 1e190, 1e191, 1e192, 1e193, 1e194, 1e195, 1e196,
        1e197, 1e198, 1e199, 1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209,
        1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219, 1e220, 1e221, 1e222,
        1e223, 1e224, 1e225, 1e226, 1e227, 1e228, 1e229, 1e230, 1e231, 1e232, 1e233, 1e234, 1e235,
        1e236, 1e237, 1e238, 1e239, 1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248,
        1e249, 1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259, 1e260, 1e261,
        1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269, 1e270, 1e271, 1e272, 1e273, 1e274,
        1e275, 1e276, 1e277, 1e278, 1e279, 1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287,
        1e288, 1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, 1e300,
        1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
    ];

    #[test]
    fn reads_like_serde_json() {
        assert!(
            CASES.lines().count() >= 38,
            "every case of the fixture is read"
        );
        for text in CASES.lines() {
            let serde_value = serde_json::from_str::<f64>(text).ok();
            assert_eq!(
                value(text).map(f64::to_bits),
                serde_value.map(f64::to_bits),
                "{text}"
            );
        }
    }
}
