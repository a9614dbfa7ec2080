//! Online statistics over the gaps between consecutive output chunks: Welford mean/variance, the
//! per-response gap histogram, and stall accounting.

use super::histogram::CountingHistogram;

/// Running gap statistics. All inputs are µs.
#[derive(Clone, Debug)]
pub struct GapStats {
    /// Number of gaps.
    pub count: u64,
    mean_us: f64,
    m2: f64,
    /// Largest gap, µs.
    pub max_us: u64,
    /// Every gap, µs (pooled by the aggregate).
    pub histogram: CountingHistogram,
    stall_threshold_us: Option<u64>,
    /// Gaps at or above the stall threshold.
    pub stall_count: u64,
    /// Sum of the stalling gaps, µs.
    pub stall_total_us: u64,
    /// Longest stalling gap, µs (0 when none).
    pub stall_longest_us: u64,
}

impl GapStats {
    /// New, with the stall threshold in µs (`None` = stalls are not counted).
    pub fn new(stall_threshold_us: Option<u64>) -> Self {
        GapStats {
            count: 0,
            mean_us: 0.0,
            m2: 0.0,
            max_us: 0,
            histogram: CountingHistogram::compact(),
            stall_threshold_us,
            stall_count: 0,
            stall_total_us: 0,
            stall_longest_us: 0,
        }
    }

    /// Adds one gap.
    pub fn record(&mut self, gap_us: u64) {
        self.count += 1;
        let x = gap_us as f64;
        let delta = x - self.mean_us;
        self.mean_us += delta / self.count as f64;
        self.m2 += delta * (x - self.mean_us);
        self.max_us = self.max_us.max(gap_us);
        self.histogram.record(gap_us);
        if let Some(t) = self.stall_threshold_us
            && gap_us >= t
        {
            self.stall_count += 1;
            self.stall_total_us = self.stall_total_us.saturating_add(gap_us);
            self.stall_longest_us = self.stall_longest_us.max(gap_us);
        }
    }

    /// Mean gap, µs; `None` without gaps.
    pub fn mean_us(&self) -> Option<f64> {
        (self.count > 0).then_some(self.mean_us)
    }

    /// Population standard deviation (jitter), µs; `None` with fewer than 2 gaps.
    pub fn stddev_us(&self) -> Option<f64> {
        (self.count >= 2).then(|| (self.m2 / self.count as f64).max(0.0).sqrt())
    }

    /// Coefficient of variation (stddev / mean); `None` with fewer than 2 gaps or a zero mean.
    pub fn cv(&self) -> Option<f64> {
        let sd = self.stddev_us()?;
        (self.mean_us > 0.0).then(|| sd / self.mean_us)
    }

    /// Whether stalls are counted (the threshold was valid).
    pub fn counts_stalls(&self) -> bool {
        self.stall_threshold_us.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welford_matches_population_stddev() {
        let mut g = GapStats::new(Some(250_000));
        for v in [10_000, 20_000, 30_000, 300_000] {
            g.record(v);
        }
        let mean = 90_000.0;
        let var = [10_000.0f64, 20_000.0, 30_000.0, 300_000.0]
            .iter()
            .map(|x| (x - mean).powi(2))
            .sum::<f64>()
            / 4.0;
        assert!((g.mean_us().unwrap() - mean).abs() < 1e-6);
        assert!((g.stddev_us().unwrap() - var.sqrt()).abs() < 1e-6);
        assert_eq!(
            (g.stall_count, g.stall_total_us, g.stall_longest_us),
            (1, 300_000, 300_000)
        );
    }

    #[test]
    fn one_gap_has_no_jitter() {
        let mut g = GapStats::new(None);
        g.record(5);
        assert_eq!(g.stddev_us(), None);
        assert_eq!(g.cv(), None);
        assert_eq!(g.stall_count, 0);
    }
}
