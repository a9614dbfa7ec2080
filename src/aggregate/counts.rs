//! The counters an [`Aggregate`] holds beside its histograms, read back from an exported summary, so that a
//! report's aggregate can be rebuilt (histograms through [`Aggregate::merge_metric`], counters here) and merged.

use crate::map::Map;

use serde::Deserialize;

use super::error::ImportError;
use super::metric::metric_index;
use super::store::Aggregate;

/// The counter fields of an [`AggregateSummary`](super::AggregateSummary) (JSON, camelCase); every other field of
/// a summary is ignored, so a whole summary object can be passed.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AggregateCounts {
    /// Responses recorded.
    pub responses: u64,
    /// Responses skipped as warm-up.
    pub warmup_skipped: u64,
    /// Responses whose perceived metrics were excluded.
    pub perceived_excluded: u64,
    /// Recorded responses per outcome.
    pub outcomes: Map<String, u64>,
    /// Recorded responses per finish reason.
    pub finish_reasons: Map<String, u64>,
    /// Per metric: its samples out of the histogram range.
    pub metrics: Map<String, MetricCounts>,
}

/// The counter of one metric's summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricCounts {
    /// Samples above the histogram range (not part of the `HISTF…` export).
    pub out_of_range: u64,
}

impl Aggregate {
    /// Adds `counts` (as an exported summary holds them) to this aggregate's counters. With every metric's
    /// histogram merged in through [`Aggregate::merge_metric`], the aggregate then summarizes and checks budgets
    /// as the exporting one did.
    ///
    /// Returns [`ImportError::UnknownCounter`] (and changes nothing) if a metric name is unknown.
    pub fn import_counts(&mut self, counts: &AggregateCounts) -> Result<(), ImportError> {
        let mut targets = Vec::with_capacity(counts.metrics.len());
        for (name, c) in &counts.metrics {
            let i = metric_index(name).ok_or_else(|| ImportError::UnknownCounter(name.clone()))?;
            targets.push((i, c.out_of_range));
        }
        for (i, n) in targets {
            self.histograms[i].out_of_range += n;
        }
        self.offered += counts.responses + counts.warmup_skipped;
        self.warmup_skipped += counts.warmup_skipped;
        self.responses += counts.responses;
        self.perceived_excluded += counts.perceived_excluded;
        for (k, v) in &counts.outcomes {
            *self.outcomes.entry(k.clone()).or_insert(0) += v;
        }
        for (k, v) in &counts.finish_reasons {
            super::store::count_finish_reason(&mut self.finish_reasons, k, *v);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::AggregateConfig;

    #[test]
    fn counts_add_up_and_unknown_metrics_change_nothing() {
        let json = r#"{"responses": 3, "warmupSkipped": 1, "perceivedExcluded": 2, "outcomes": {"complete": 3},
            "finishReasons": {"stop": 2, "length": 1},
            "metrics": {"ttft": {"unit": "ms", "count": 3, "outOfRange": 1}}, "extra": true}"#;
        let counts: AggregateCounts = serde_json::from_str(json).unwrap();
        let mut a = Aggregate::new(AggregateConfig::default());
        a.import_counts(&counts).unwrap();
        a.import_counts(&counts).unwrap();
        let s = a.summary();
        assert_eq!(
            (s.responses, s.warmup_skipped, s.perceived_excluded),
            (6, 2, 4)
        );
        assert_eq!(s.outcomes.get("complete"), Some(&6));
        assert_eq!(s.finish_reasons.get("length"), Some(&2));
        assert_eq!(s.finish_reasons.get("stop"), Some(&4));
        assert_eq!(s.metrics["ttft"].out_of_range, 2);

        let bad: AggregateCounts =
            serde_json::from_str(r#"{"responses": 5, "metrics": {"nope": {"outOfRange": 1}}}"#)
                .unwrap();
        assert_eq!(
            a.import_counts(&bad),
            Err(ImportError::UnknownCounter("nope".into()))
        );
        assert_eq!(a.summary().responses, 6);
    }
}
