//! The shape of an aggregated metric for plotting: an HdrHistogram percentile spectrum and log-spaced bins.

use serde::Serialize;

use super::error::UnknownMetric;
use super::store::Aggregate;

/// One point of a percentile spectrum (HdrHistogram's "percentile distribution").
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpectrumPoint {
    /// Percentile, 0–100.
    pub percentile: f64,
    /// Value at that percentile, in the metric's display unit.
    pub value: f64,
}

/// One histogram bin, `[from, to)` in the metric's display unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bin {
    /// Lower edge.
    pub from: f64,
    /// Upper edge.
    pub to: f64,
    /// Samples in the bin.
    pub count: u64,
}

/// Percentiles plotted on a log "1/(1−p)" axis: dense near the tail, as HdrHistogram's plots are.
const SPECTRUM_PERCENTILES: &[f64] = &[
    0.0, 10.0, 25.0, 50.0, 75.0, 80.0, 90.0, 93.75, 95.0, 96.875, 98.0, 99.0, 99.5, 99.75, 99.9,
    99.95, 99.99, 100.0,
];

impl Aggregate {
    /// The percentile spectrum of `metric` (empty when it has no samples).
    ///
    /// Returns an error naming the metric and the valid ones if no metric has this name.
    pub fn spectrum(&self, metric: &str) -> Result<Vec<SpectrumPoint>, UnknownMetric> {
        let (def, h) = self
            .metric(metric)
            .ok_or_else(|| UnknownMetric(metric.to_owned()))?;
        if h.histogram.is_empty() {
            return Ok(Vec::new());
        }
        Ok(SPECTRUM_PERCENTILES
            .iter()
            .map(|&p| SpectrumPoint {
                percentile: p,
                value: h.histogram.value_at_quantile(p / 100.0) as f64 / def.scale,
            })
            .collect())
    }

    /// `bins` log-spaced bins from the metric's min to max (at most 200 bins; empty when no samples).
    ///
    /// Returns an error naming the metric and the valid ones if no metric has this name.
    pub fn log_bins(&self, metric: &str, bins: usize) -> Result<Vec<Bin>, UnknownMetric> {
        let (def, h) = self
            .metric(metric)
            .ok_or_else(|| UnknownMetric(metric.to_owned()))?;
        let hist = &h.histogram;
        if hist.is_empty() || bins == 0 {
            return Ok(Vec::new());
        }
        let bins = bins.min(200);
        let (lo, hi) = (hist.min().max(1) as f64, (hist.max().max(1) as f64) * 1.001);
        let ln_ratio = (hi / lo).ln() / bins as f64;
        let mut out: Vec<Bin> = (0..bins)
            .map(|i| Bin {
                from: lo * (ln_ratio * i as f64).exp() / def.scale,
                to: lo * (ln_ratio * (i + 1) as f64).exp() / def.scale,
                count: 0,
            })
            .collect();
        for v in hist.iter_recorded() {
            let value = v.value_iterated_to().max(1) as f64;
            let i = if ln_ratio > 0.0 {
                ((value / lo).ln() / ln_ratio).floor().max(0.0) as usize
            } else {
                0
            };
            if let Some(bin) = out.get_mut(i.min(bins - 1)) {
                bin.count += v.count_at_value();
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::aggregate::{Aggregate, AggregateConfig};

    #[test]
    fn empty_metric_has_no_shape_and_an_unknown_one_is_an_error() {
        let a = Aggregate::new(AggregateConfig::default());
        assert_eq!(a.spectrum("ttft"), Ok(vec![]));
        assert_eq!(a.log_bins("gaps", 10), Ok(vec![]));
        for err in [
            a.spectrum("nope").expect_err("unknown"),
            a.log_bins("nope", 10).expect_err("unknown"),
        ] {
            let message = err.to_string();
            assert!(message.contains("\"nope\""), "{message}");
            assert!(message.contains("ttft, "), "{message}");
            assert!(message.contains("perceivedTtft"), "{message}");
        }
    }
}
