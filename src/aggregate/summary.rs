//! [`AggregateSummary`]: per-metric statistics in display units.

use crate::map::Map;

use serde::Serialize;

use super::metric::{METRICS, MetricDef};
use super::store::Aggregate;
use crate::metrics::CountingHistogram;

/// Statistics of one metric, in its display unit (ms for times). Percentiles are HdrHistogram
/// values (highest equivalent value of the bucket, ±0.1 %); empty metrics have `count` 0 and `null`s.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricSummary {
    /// Display unit.
    pub unit: &'static str,
    /// Samples recorded.
    pub count: u64,
    /// Smallest sample.
    pub min: Option<f64>,
    /// Largest sample.
    pub max: Option<f64>,
    /// Mean.
    pub mean: Option<f64>,
    /// Population standard deviation.
    pub stddev: Option<f64>,
    /// stddev².
    pub variance: Option<f64>,
    /// stddev / mean (mean > 0).
    pub cv: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// 99th percentile.
    pub p99: Option<f64>,
    /// 99.9th percentile.
    #[serde(rename = "p99.9")]
    pub p99_9: Option<f64>,
    /// Samples above the histogram range or not finite (not in the statistics above).
    pub out_of_range: u64,
}

impl MetricSummary {
    fn empty(unit: &'static str, out_of_range: u64) -> Self {
        MetricSummary {
            unit,
            count: 0,
            min: None,
            max: None,
            mean: None,
            stddev: None,
            variance: None,
            cv: None,
            p50: None,
            p75: None,
            p90: None,
            p95: None,
            p99: None,
            p99_9: None,
            out_of_range,
        }
    }

    /// Summarizes a histogram stored with `def`'s scale.
    pub fn of(def: &MetricDef, h: &CountingHistogram) -> Self {
        let hist = &h.histogram;
        if hist.is_empty() {
            return MetricSummary::empty(def.unit, h.out_of_range);
        }
        let unscale = |v: f64| Some(def.clamp(v / def.scale));
        let q = |p: f64| unscale(hist.value_at_quantile(p) as f64);
        let stddev = Some(hist.stdev() / def.scale);
        let mean = unscale(hist.mean());
        MetricSummary {
            unit: def.unit,
            count: hist.len(),
            min: unscale(hist.min() as f64),
            max: unscale(hist.max() as f64),
            mean,
            stddev,
            variance: stddev.map(|s| s * s),
            cv: stddev.zip(mean).and_then(|(s, m)| (m > 0.0).then(|| s / m)),
            p50: q(0.5),
            p75: q(0.75),
            p90: q(0.9),
            p95: q(0.95),
            p99: q(0.99),
            p99_9: q(0.999),
            out_of_range: h.out_of_range,
        }
    }
}

/// Everything an [`Aggregate`] holds, summarized.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AggregateSummary {
    /// Responses recorded (warm-up excluded).
    pub responses: u64,
    /// Responses skipped as warm-up.
    pub warmup_skipped: u64,
    /// Responses whose perceived metrics were excluded (invalidated, e.g. page hidden).
    pub perceived_excluded: u64,
    /// Recorded responses per outcome.
    pub outcomes: Map<String, u64>,
    /// Recorded responses per finish reason as the wire said it (`{"stop": 17, "length": 3}`);
    /// responses without a finish reason are not counted.
    pub finish_reasons: Map<String, u64>,
    /// Per metric, by name.
    pub metrics: Map<&'static str, MetricSummary>,
}

impl Aggregate {
    /// Summarizes every metric.
    pub fn summary(&self) -> AggregateSummary {
        AggregateSummary {
            responses: self.responses,
            warmup_skipped: self.warmup_skipped,
            perceived_excluded: self.perceived_excluded,
            outcomes: self.outcomes.clone(),
            finish_reasons: self.finish_reasons.clone(),
            // Inserts, not `collect()` (which sorts first: one more sort monomorph in the wasm).
            metrics: {
                let mut metrics = Map::new();
                for (def, h) in METRICS.iter().zip(&self.histograms) {
                    metrics.insert(def.name, MetricSummary::of(def, h));
                }
                metrics
            },
        }
    }
}
