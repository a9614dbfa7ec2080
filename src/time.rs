//! Time as the core sees it: microseconds passed in by the caller. The core never reads a clock.

use std::fmt;

/// A point in time or a duration in whole microseconds.
///
/// Points in time are on the caller's clock (in the browser: `performance.now()`, converted from ms);
/// the core only ever subtracts them. Durations between two points saturate at zero, so an
/// out-of-order timestamp can never produce a negative (or wrapped) latency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Micros(pub u64);

/// Why a millisecond value could not become [`Micros`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeError {
    /// The value was NaN or infinite. Pass a finite `performance.now()` value.
    NotFinite,
    /// The value was negative. Timestamps and durations are never negative.
    Negative,
}

impl TimeError {
    fn as_str(self) -> &'static str {
        match self {
            TimeError::NotFinite => {
                "timestamp is NaN or infinite; pass a finite performance.now() value in ms"
            }
            TimeError::Negative => {
                "timestamp is negative; pass a performance.now() value in ms (>= 0)"
            }
        }
    }
}

impl crate::message::Message for TimeError {
    fn message(&self) -> String {
        self.as_str().into()
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::error::Error for TimeError {}

impl Micros {
    /// Zero.
    pub const ZERO: Micros = Micros(0);

    /// Converts milliseconds (as `performance.now()` gives them) to microseconds, rounding to nearest.
    ///
    /// Returns an error if `ms` is NaN, infinite or negative.
    pub fn from_ms(ms: f64) -> Result<Micros, TimeError> {
        if !ms.is_finite() {
            return Err(TimeError::NotFinite);
        }
        if ms < 0.0 {
            return Err(TimeError::Negative);
        }
        // f64 → u64 `as` saturates; 2^64 µs is ~584k years, so saturation is unreachable in practice.
        Ok(Micros((ms * 1000.0).round() as u64))
    }

    /// Whole microseconds.
    pub fn as_micros(self) -> u64 {
        self.0
    }

    /// Milliseconds as f64, the unit every JS-facing value uses.
    pub fn as_ms(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// `self - earlier`, or zero if `earlier` is later than `self`.
    pub fn since(self, earlier: Micros) -> Micros {
        Micros(self.0.saturating_sub(earlier.0))
    }
}

impl fmt::Display for Micros {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} ms", self.as_ms())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_ms_rounds_to_nearest_micro() {
        assert_eq!(Micros::from_ms(1.2345), Ok(Micros(1235)));
        assert_eq!(Micros::from_ms(0.0), Ok(Micros(0)));
        assert_eq!(Micros::from_ms(0.0004), Ok(Micros(0)));
    }

    #[test]
    fn from_ms_rejects_bad_input() {
        assert_eq!(Micros::from_ms(f64::NAN), Err(TimeError::NotFinite));
        assert_eq!(Micros::from_ms(f64::INFINITY), Err(TimeError::NotFinite));
        assert_eq!(Micros::from_ms(-1.0), Err(TimeError::Negative));
    }

    #[test]
    fn since_saturates() {
        assert_eq!(Micros(5).since(Micros(9)), Micros(0));
        assert_eq!(Micros(9).since(Micros(5)), Micros(4));
    }
}
