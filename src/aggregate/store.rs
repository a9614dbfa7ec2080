//! [`Aggregate`]: one HdrHistogram per metric across responses.

use crate::map::Map;

use serde::{Deserialize, Serialize};

use super::metric::{METRICS, MetricDef, Source, metric_index, to_stored};
use crate::metrics::{CountingHistogram, Outcome, ResponseReport};

/// Distinct finish reasons counted by name; further ones (a server inventing labels) are counted
/// together under [`OTHER_FINISH_REASONS`], so the summary stays small.
pub const MAX_FINISH_REASONS: usize = 32;

/// The key that counts finish reasons beyond [`MAX_FINISH_REASONS`].
pub const OTHER_FINISH_REASONS: &str = "(other)";

pub(super) fn count_finish_reason(counts: &mut Map<String, u64>, reason: &str, n: u64) {
    let key = if counts.contains_key(reason) || counts.len() < MAX_FINISH_REASONS {
        reason
    } else {
        OTHER_FINISH_REASONS
    };
    *counts.entry(key.to_owned()).or_insert(0) += n;
}

/// How an [`Aggregate`] treats incoming reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AggregateConfig {
    /// The first `warmup` reports passed to [`Aggregate::add`] are counted as skipped and not
    /// recorded (warm-up bursts distort tails). Default 0.
    pub warmup: usize,
}

/// Histograms of every metric in [`METRICS`] across responses, plus response counts.
#[derive(Clone, Debug)]
pub struct Aggregate {
    config: AggregateConfig,
    pub(super) offered: u64,
    pub(super) warmup_skipped: u64,
    pub(super) responses: u64,
    pub(super) outcomes: Map<String, u64>,
    pub(super) finish_reasons: Map<String, u64>,
    pub(super) perceived_excluded: u64,
    pub(super) histograms: Vec<CountingHistogram>,
}

impl Aggregate {
    /// An empty aggregate.
    pub fn new(config: AggregateConfig) -> Self {
        Aggregate {
            config,
            offered: 0,
            warmup_skipped: 0,
            responses: 0,
            outcomes: Map::new(),
            finish_reasons: Map::new(),
            perceived_excluded: 0,
            histograms: METRICS
                .iter()
                .map(|_| CountingHistogram::default())
                .collect(),
        }
    }

    /// Adds one response. Returns `false` when it was skipped as warm-up.
    ///
    /// Undefined metrics (`null`) add no sample. When the report has a `perceivedInvalidReason`, its
    /// paint-based metrics are skipped and the network ones kept.
    pub fn add(&mut self, report: &ResponseReport) -> bool {
        self.offered += 1;
        if self.offered <= self.config.warmup as u64 {
            self.warmup_skipped += 1;
            return false;
        }
        self.add_warm(report);
        true
    }

    /// Counts one response as warm-up without recording it (for callers that flag warm-up themselves).
    pub fn skip_warmup(&mut self) {
        self.offered += 1;
        self.warmup_skipped += 1;
    }

    /// Adds one response regardless of the warm-up count (for callers that flag warm-up themselves).
    pub fn add_warm(&mut self, report: &ResponseReport) {
        self.responses += 1;
        let outcome = report.outcome.map_or("live", Outcome::as_str);
        *self.outcomes.entry(outcome.to_owned()).or_insert(0) += 1;
        if let Some(reason) = &report.finish_reason {
            count_finish_reason(&mut self.finish_reasons, reason, 1);
        }
        let skip_perceived = report.perceived_invalid_reason.is_some();
        if skip_perceived {
            self.perceived_excluded += 1;
        }
        for (def, h) in METRICS.iter().zip(&mut self.histograms) {
            if def.perceived && skip_perceived {
                continue;
            }
            match def.source {
                Source::PerResponse(get) => {
                    if let Some(v) = get(report) {
                        match to_stored(v, def.scale) {
                            Some(s) => h.record(s),
                            None => h.out_of_range += 1,
                        }
                    }
                }
                Source::PooledGaps => h.merge(&report.gap_histogram),
                Source::PooledRenderLag => h.merge(&report.render_lag_histogram),
            }
        }
    }

    /// Adds everything `other` holds; the result equals having recorded both sets of responses into one.
    pub fn merge(&mut self, other: &Aggregate) {
        self.offered += other.offered;
        self.warmup_skipped += other.warmup_skipped;
        self.responses += other.responses;
        self.perceived_excluded += other.perceived_excluded;
        for (k, v) in &other.outcomes {
            *self.outcomes.entry(k.clone()).or_insert(0) += v;
        }
        for (k, v) in &other.finish_reasons {
            count_finish_reason(&mut self.finish_reasons, k, *v);
        }
        for (mine, theirs) in self.histograms.iter_mut().zip(&other.histograms) {
            mine.merge(theirs);
        }
    }

    /// Empties every histogram and counter (the warm-up count starts again too).
    pub fn reset(&mut self) {
        *self = Aggregate::new(self.config);
    }

    /// Responses recorded (warm-up excluded).
    pub fn responses(&self) -> u64 {
        self.responses
    }

    /// Recorded responses per outcome name (`"live"` for reports taken before `end`).
    pub fn outcomes(&self) -> &Map<String, u64> {
        &self.outcomes
    }

    /// Recorded responses per finish reason, as the wire said it (responses without one are not
    /// counted; see [`MAX_FINISH_REASONS`]).
    pub fn finish_reasons(&self) -> &Map<String, u64> {
        &self.finish_reasons
    }

    /// The histogram (values stored × the metric's scale) and definition of `metric`.
    pub fn metric(&self, metric: &str) -> Option<(&MetricDef, &CountingHistogram)> {
        let i = metric_index(metric)?;
        Some((&METRICS[i], &self.histograms[i]))
    }

    /// Records raw samples of `metric` given in its display unit (ms for times), e.g. samples measured
    /// outside a response. Negative/NaN values and values above the range are counted as out of range.
    /// Returns how many were recorded in range; `None` when no metric has this name.
    pub fn record_values(&mut self, metric: &str, values: &[f64]) -> Option<usize> {
        let scale = METRICS[metric_index(metric)?].scale;
        let h = self.metric_mut(metric)?;
        let before = h.out_of_range;
        for &v in values {
            match to_stored(v, scale) {
                Some(s) => h.record(s),
                None => h.out_of_range += 1,
            }
        }
        Some(values.len() - (h.out_of_range - before) as usize)
    }

    pub(super) fn metric_mut(&mut self, metric: &str) -> Option<&mut CountingHistogram> {
        metric_index(metric).map(|i| &mut self.histograms[i])
    }
}
