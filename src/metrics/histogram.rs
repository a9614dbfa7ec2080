//! The one histogram shape used everywhere: `Histogram<u64>` over 1 µs … 1 hour, 3 significant digits.
//!
//! Histograms start small and auto-resize up to what they hold ([`new_compact_histogram`]), so memory
//! follows the data (an aggregate of 26 metrics over typical chats is a few hundred KiB instead of
//! ~5 MiB at a fixed 1 h range). The 1 h cap is enforced by [`CountingHistogram`], which counts
//! larger values as out of range instead of recording them. Bucket boundaries depend only on the
//! lowest value and the precision, so compact and fixed-range histograms merge exactly.

use hdrhistogram::Histogram;

/// Lowest discernible value of every histogram (1 µs, or 1 unit of a scaled metric).
pub const LOWEST_DISCERNIBLE: u64 = 1;
/// Highest trackable value of every histogram: 1 hour in µs (3 600 000 000).
pub const HIGHEST_TRACKABLE: u64 = 3_600_000_000;
/// Significant decimal digits (relative error ≤ 10^-3).
pub const SIGNIFICANT_DIGITS: u8 = 3;

/// A new empty histogram with the crate-wide bounds.
#[inline(never)] // one copy of hdrhistogram's constructor (BENCHMARKS.md row 3)
pub fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(LOWEST_DISCERNIBLE, HIGHEST_TRACKABLE, SIGNIFICANT_DIGITS)
        .expect("invariant: constant bounds 1..3.6e9 at 3 digits are valid")
}

/// A new empty histogram with the crate-wide precision that starts small and grows as values arrive
/// (per-response histograms: a typical response needs a few tens of KiB instead of ~190 KiB).
/// [`CountingHistogram`] still refuses values above [`HIGHEST_TRACKABLE`], so merging one into a
/// [`new_histogram`] never fails.
#[inline(never)] // one copy of hdrhistogram's constructor (BENCHMARKS.md row 3)
pub fn new_compact_histogram() -> Histogram<u64> {
    let mut h = Histogram::new_with_bounds(LOWEST_DISCERNIBLE, 2, SIGNIFICANT_DIGITS)
        .expect("invariant: constant bounds 1..2 at 3 digits are valid");
    h.auto(true);
    h
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
    /// Same as [`CountingHistogram::compact`].
    fn default() -> Self {
        CountingHistogram::compact()
    }
}

impl CountingHistogram {
    /// An empty one over a [`new_compact_histogram`] (same buckets, grows on demand).
    pub fn compact() -> Self {
        CountingHistogram {
            histogram: new_compact_histogram(),
            out_of_range: 0,
        }
    }

    /// Records `value`, or counts it as out of range (above [`HIGHEST_TRACKABLE`]).
    pub fn record(&mut self, value: u64) {
        self.record_n(value, 1);
    }

    /// Records `count` samples of `value`, or counts them as out of range.
    pub fn record_n(&mut self, value: u64, count: u64) {
        if value > HIGHEST_TRACKABLE || self.histogram.record_n(value, count).is_err() {
            self.out_of_range = self.out_of_range.saturating_add(count);
        }
    }

    /// Adds another one's values and out-of-range count.
    pub fn merge(&mut self, other: &CountingHistogram) {
        self.out_of_range += other.out_of_range;
        // Both hold only values ≤ HIGHEST_TRACKABLE at the same precision, so `add` cannot fail;
        // fall back to value-by-value recording (counting what does not fit) if it ever does.
        if self.histogram.add(&other.histogram).is_err() {
            for v in other.histogram.iter_recorded() {
                self.record_n(v.value_iterated_to(), v.count_at_value());
            }
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
