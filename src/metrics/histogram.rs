//! The one histogram shape used everywhere: `Histogram<u64>` over 1 µs … 1 hour, 3 significant digits.

use hdrhistogram::Histogram;

/// Lowest discernible value of every histogram (1 µs, or 1 unit of a scaled metric).
pub const LOWEST_DISCERNIBLE: u64 = 1;
/// Highest trackable value of every histogram: 1 hour in µs (3 600 000 000).
pub const HIGHEST_TRACKABLE: u64 = 3_600_000_000;
/// Significant decimal digits (relative error ≤ 10^-3).
pub const SIGNIFICANT_DIGITS: u8 = 3;

/// A new empty histogram with the crate-wide bounds.
pub fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(LOWEST_DISCERNIBLE, HIGHEST_TRACKABLE, SIGNIFICANT_DIGITS)
        .expect("invariant: constant bounds 1..3.6e9 at 3 digits are valid")
}

/// A histogram that counts the values it could not hold instead of dropping them silently.
#[derive(Clone, Debug)]
pub struct CountingHistogram {
    /// The values in range.
    pub histogram: Histogram<u64>,
    /// Values above [`HIGHEST_TRACKABLE`] (not recorded, only counted).
    pub out_of_range: u64,
}

impl Default for CountingHistogram {
    fn default() -> Self {
        CountingHistogram {
            histogram: new_histogram(),
            out_of_range: 0,
        }
    }
}

impl CountingHistogram {
    /// Records `value`, or counts it as out of range.
    pub fn record(&mut self, value: u64) {
        if self.histogram.record(value).is_err() {
            self.out_of_range += 1;
        }
    }

    /// Adds another one's values and out-of-range count.
    pub fn merge(&mut self, other: &CountingHistogram) {
        self.out_of_range += other.out_of_range;
        // Both have the same bounds, so `add` cannot fail; count its values if it ever does.
        if self.histogram.add(&other.histogram).is_err() {
            self.out_of_range += other.histogram.len();
        }
    }

    /// Value at quantile `q` (0..=1) in the histogram's unit, `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        (!self.histogram.is_empty()).then(|| self.histogram.value_at_quantile(q))
    }

    /// Empties it.
    pub fn reset(&mut self) {
        self.histogram.reset();
        self.out_of_range = 0;
    }
}
