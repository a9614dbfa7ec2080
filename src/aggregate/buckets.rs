//! Explicit-bucket counts of a histogram, as OTLP `HistogramDataPoint.bucketCounts` wants them.
//!
//! OTLP buckets are `(-inf, b0]`, `(b(i-1), b(i)]`, `(b_last, +inf)`. An HdrHistogram bucket holds values within
//! 0.1 % of each other (3 digits); it is counted by its lowest equivalent value, so a value at most one
//! HdrHistogram bucket (≤ 0.1 %) above a bound may be counted at the bound. Browser timers tick in 5–100 µs steps
//! and the GenAI bounds (10 ms · 2^k) start HdrHistogram buckets, so a value equal to a bound is counted in it.

use super::error::BucketError;
use crate::metrics::CountingHistogram;

/// Per-chunk samples of one response, in ms: its gaps or its render lags.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesBuckets {
    /// `bounds.len() + 1` counts (see [`explicit_bucket_counts`]).
    pub counts: Vec<u64>,
    /// Sum of the samples in range, ms (HdrHistogram mean × count, ±0.1 %).
    pub sum_ms: f64,
}

/// Names [`series_buckets`] reads: a response's gaps and its render lags.
pub const SERIES: [&str; 2] = ["gaps", "renderLag"];

/// The explicit-bucket counts of one response's per-chunk series histogram (µs; `None` = no samples) over
/// `bounds_ms`, with the samples' sum.
///
/// Returns an error for bad bounds.
pub fn series_buckets(
    h: Option<&CountingHistogram>,
    bounds_ms: &[f64],
) -> Result<SeriesBuckets, BucketError> {
    const US_PER_MS: f64 = 1000.0;
    let Some(h) = h else {
        check_bounds(bounds_ms)?;
        return Ok(SeriesBuckets {
            counts: vec![0; bounds_ms.len() + 1],
            sum_ms: 0.0,
        });
    };
    Ok(SeriesBuckets {
        counts: explicit_bucket_counts(h, US_PER_MS, bounds_ms)?,
        sum_ms: h.histogram.mean() * h.histogram.len() as f64 / US_PER_MS,
    })
}

/// `bounds.len() + 1` counts of `h` (stored × `scale`) over explicit `bounds` given in display units.
/// Out-of-range values (above 1 h) are counted in the last bucket, `(b_last, +inf)`.
///
/// Returns an error if a bound is not finite or the bounds do not strictly increase.
pub fn explicit_bucket_counts(
    h: &CountingHistogram,
    scale: f64,
    bounds: &[f64],
) -> Result<Vec<u64>, BucketError> {
    check_bounds(bounds)?;
    let stored: Vec<f64> = bounds.iter().map(|b| b * scale).collect();
    let mut counts = vec![0u64; bounds.len() + 1];
    let hist = &h.histogram;
    for v in hist.iter_recorded() {
        let value = hist.lowest_equivalent(v.value_iterated_to()) as f64;
        let i = stored.partition_point(|&b| b < value);
        counts[i] += v.count_at_value();
    }
    counts[bounds.len()] += h.out_of_range;
    Ok(counts)
}

fn check_bounds(bounds: &[f64]) -> Result<(), BucketError> {
    if let Some(b) = bounds.iter().find(|b| !b.is_finite()) {
        return Err(BucketError::NotFinite(*b));
    }
    if let Some(w) = bounds.windows(2).find(|w| w[0] >= w[1]) {
        return Err(BucketError::NotIncreasing(w[0], w[1]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::histogram::HIGHEST_TRACKABLE;

    fn hist(values_us: &[u64]) -> CountingHistogram {
        let mut h = CountingHistogram::compact();
        for &v in values_us {
            h.record(v);
        }
        h
    }

    #[test]
    fn counts_fall_in_otlp_buckets_upper_bound_inclusive() {
        // 10 ms and 20 ms exactly sit in the bucket they bound; 10.5 ms is above 10 ms.
        let h = hist(&[1_000, 10_000, 10_500, 20_000, 20_100, 100_000_000]);
        let c = explicit_bucket_counts(&h, 1000.0, &[10.0, 20.0, 40.0]).unwrap();
        assert_eq!(c, vec![2, 2, 1, 1]);
        assert_eq!(c.iter().sum::<u64>(), 6);
    }

    #[test]
    fn out_of_range_values_count_in_the_last_bucket() {
        let mut h = hist(&[5_000]);
        h.record(HIGHEST_TRACKABLE + 1);
        assert_eq!(h.out_of_range, 1);
        let c = explicit_bucket_counts(&h, 1000.0, &[10.0]).unwrap();
        assert_eq!(c, vec![1, 1]);
    }

    #[test]
    fn empty_bounds_give_one_bucket_and_bad_bounds_are_errors() {
        let h = hist(&[5, 6]);
        assert_eq!(explicit_bucket_counts(&h, 1.0, &[]).unwrap(), vec![2]);
        assert_eq!(
            explicit_bucket_counts(&h, 1.0, &[2.0, 2.0]),
            Err(BucketError::NotIncreasing(2.0, 2.0))
        );
        assert!(matches!(
            explicit_bucket_counts(&h, 1.0, &[f64::NAN]),
            Err(BucketError::NotFinite(_))
        ));
    }
}
