//! Web-vitals style ratings: `good` / `needs-improvement` / `poor` from two thresholds.
//!
//! Lower-is-better metrics (times, stalls): `value <= t.0` → good, `value > t.1` → poor, else
//! needs-improvement (web-vitals `getRating`). Higher-is-better metrics (fluidity, QoE): `t.0` is the
//! floor of good and `t.1` the floor of needs-improvement: `value >= t.0` → good, `value < t.1` →
//! poor. The [`Direction`] of every metric is fixed by [`default_thresholds`].

use crate::map::Map;

use serde::{Deserialize, Serialize};

use crate::metrics::ResponseReport;

/// A rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    /// Within the good threshold.
    Good,
    /// Between the thresholds.
    NeedsImprovement,
    /// Beyond the poor threshold.
    Poor,
}

/// Whether smaller or larger values are better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Times, counts of bad things.
    LowerIsBetter,
    /// Scores (fluidity, QoE), throughputs.
    HigherIsBetter,
}

/// Two thresholds in the metric's unit (ms for times): `(good, poor)` boundaries as described in the
/// module docs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thresholds(pub f64, pub f64);

impl Thresholds {
    /// Rates `value`; `None` when it is NaN or infinite.
    pub fn rate(self, value: f64, direction: Direction) -> Option<Rating> {
        if !value.is_finite() {
            return None;
        }
        Some(match direction {
            Direction::LowerIsBetter if value <= self.0 => Rating::Good,
            Direction::LowerIsBetter if value > self.1 => Rating::Poor,
            Direction::HigherIsBetter if value >= self.0 => Rating::Good,
            Direction::HigherIsBetter if value < self.1 => Rating::Poor,
            _ => Rating::NeedsImprovement,
        })
    }
}

/// TTFT, ms. Good ≤ 500: MLPerf llama3.1-8b-interactive p99 TTFT limit; poor > 2000: the MLPerf
/// Server-scenario limit (llama2-70b, llama3.1-8b, deepseek-r1).
pub const TTFT_THRESHOLDS_MS: Thresholds = Thresholds(500.0, 2000.0);
/// Perceived TTFT, ms: the TTFT thresholds (the user waits for the same thing).
pub const PERCEIVED_TTFT_THRESHOLDS_MS: Thresholds = TTFT_THRESHOLDS_MS;
/// TTFB, ms: web-vitals `TTFBThresholds` [800, 1800].
pub const TTFB_THRESHOLDS_MS: Thresholds = Thresholds(800.0, 1800.0);
/// TPOT, ms. Good ≤ 40: MLPerf llama2-70b-interactive p99 TPOT; poor > 200: MLPerf llama2-70b Server.
pub const TPOT_THRESHOLDS_MS: Thresholds = Thresholds(40.0, 200.0);
/// Longest stall, ms. Good ≤ 250 (the default stall threshold: no stall), poor > 1000 (the 1 s
/// "flow of thought" limit). Chosen by chat-vitals; no tool defines it.
pub const STALL_LONGEST_THRESHOLDS_MS: Thresholds = Thresholds(250.0, 1000.0);
/// Stalls per response. Good = 0, poor > 2. Chosen by chat-vitals.
pub const STALL_COUNT_THRESHOLDS: Thresholds = Thresholds(0.0, 2.0);
/// Fluidity-index (higher is better). Good ≥ 0.9: Etalon's fluid-rate target ("fluidity-index of
/// at least 0.9"); poor < 0.75, chosen by chat-vitals.
pub const FLUIDITY_THRESHOLDS: Thresholds = Thresholds(0.9, 0.75);
/// QoE (higher is better). Good ≥ 0.9: Andes' "minimum acceptable average QoE"; poor < 0.75, chosen.
pub const QOE_THRESHOLDS: Thresholds = Thresholds(0.9, 0.75);

/// Every rated metric, in report order (the keys `ratings` overrides may use).
pub const RATED_METRICS: [&str; 8] = [
    "ttft",
    "perceivedTtft",
    "ttfb",
    "tpot",
    "stallLongest",
    "stalls",
    "fluidity",
    "qoe",
];

/// [`RATED_METRICS`] as one comma-separated list, for messages (a constant: `join` would link its generic copy
/// routine into the wasm).
pub const RATED_METRICS_LIST: &str =
    "ttft, perceivedTtft, ttfb, tpot, stallLongest, stalls, fluidity, qoe";

/// The default thresholds and direction of a rated metric (names as in aggregates and budgets).
pub fn default_thresholds(metric: &str) -> Option<(Thresholds, Direction)> {
    use Direction::*;
    Some(match metric {
        "ttft" => (TTFT_THRESHOLDS_MS, LowerIsBetter),
        "perceivedTtft" => (PERCEIVED_TTFT_THRESHOLDS_MS, LowerIsBetter),
        "ttfb" => (TTFB_THRESHOLDS_MS, LowerIsBetter),
        "tpot" => (TPOT_THRESHOLDS_MS, LowerIsBetter),
        "stallLongest" => (STALL_LONGEST_THRESHOLDS_MS, LowerIsBetter),
        "stalls" => (STALL_COUNT_THRESHOLDS, LowerIsBetter),
        "fluidity" => (FLUIDITY_THRESHOLDS, HigherIsBetter),
        "qoe" => (QOE_THRESHOLDS, HigherIsBetter),
        _ => return None,
    })
}

/// One row of [`threshold_table`]: a metric's default thresholds and direction.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ThresholdRow {
    /// Good up to (lower-is-better) or from (higher-is-better) this value.
    pub good: f64,
    /// Poor above (lower-is-better) or below (higher-is-better) this value.
    pub poor: f64,
    /// Which way is better.
    pub direction: Direction,
}

/// Every metric that has default thresholds, by name (what `thresholds()` hands to JS).
pub fn threshold_table() -> Map<&'static str, ThresholdRow> {
    let mut table = Map::new();
    for m in crate::aggregate::METRICS {
        if let Some((t, direction)) = default_thresholds(m.name) {
            let (good, poor) = (t.0, t.1);
            table.insert(
                m.name,
                ThresholdRow {
                    good,
                    poor,
                    direction,
                },
            );
        }
    }
    table
}

/// Threshold overrides by metric name; metrics not overridden use [`default_thresholds`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RatingConfig {
    /// Overrides, e.g. `{"ttft": [800, 3000]}`.
    pub overrides: Map<String, Thresholds>,
}

impl RatingConfig {
    /// Thresholds and direction for `metric`; `None` for a metric that is not rated.
    pub fn thresholds(&self, metric: &str) -> Option<(Thresholds, Direction)> {
        let (default, direction) = default_thresholds(metric)?;
        Some((
            self.overrides.get(metric).copied().unwrap_or(default),
            direction,
        ))
    }

    /// Rates `value` of `metric`; `None` for an unrated metric or a non-finite value.
    pub fn rate(&self, metric: &str, value: f64) -> Option<Rating> {
        let (t, d) = self.thresholds(metric)?;
        t.rate(value, d)
    }

    /// Ratings of a report's defined headline metrics (perceived TTFT only when valid).
    pub fn rate_report(&self, r: &ResponseReport) -> Map<String, Rating> {
        let perceived = r
            .perceived_ttft_ms
            .filter(|_| r.perceived_invalid_reason.is_none());
        let values: [(&str, Option<f64>); RATED_METRICS.len()] = [
            ("ttft", r.ttft_ms),
            ("perceivedTtft", perceived),
            ("ttfb", r.ttfb_ms),
            ("tpot", r.tpot_ms),
            ("stallLongest", r.stall_longest_ms),
            ("stalls", r.stall_count.map(|c| c as f64)),
            ("fluidity", r.fluidity_index),
            ("qoe", r.qoe),
        ];
        // Inserts, not `collect()`: collecting into a Map sorts first, and each sort monomorph is ~4 KB of
        // wasm (BENCHMARKS.md row 3).
        let mut ratings = Map::new();
        for (name, v) in values {
            if let Some(rating) = v.and_then(|v| self.rate(name, v)) {
                ratings.insert(name.to_owned(), rating);
            }
        }
        ratings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_is_better_is_inclusive_at_good() {
        let t = Thresholds(500.0, 2000.0);
        assert_eq!(t.rate(500.0, Direction::LowerIsBetter), Some(Rating::Good));
        assert_eq!(
            t.rate(2000.0, Direction::LowerIsBetter),
            Some(Rating::NeedsImprovement)
        );
        assert_eq!(t.rate(2000.1, Direction::LowerIsBetter), Some(Rating::Poor));
        assert_eq!(t.rate(f64::NAN, Direction::LowerIsBetter), None);
    }

    #[test]
    fn higher_is_better_inverts() {
        let t = FLUIDITY_THRESHOLDS;
        assert_eq!(t.rate(0.9, Direction::HigherIsBetter), Some(Rating::Good));
        assert_eq!(
            t.rate(0.8, Direction::HigherIsBetter),
            Some(Rating::NeedsImprovement)
        );
        assert_eq!(t.rate(0.7, Direction::HigherIsBetter), Some(Rating::Poor));
    }

    #[test]
    fn rated_metrics_list_is_the_joined_names() {
        assert_eq!(RATED_METRICS_LIST, RATED_METRICS.join(", "));
    }

    #[test]
    fn overrides_apply() {
        let mut c = RatingConfig::default();
        c.overrides.insert("ttft".into(), Thresholds(100.0, 200.0));
        assert_eq!(c.rate("ttft", 300.0), Some(Rating::Poor));
        assert_eq!(c.rate("unknown", 1.0), None);
        assert_eq!(
            serde_json::to_string(&Rating::NeedsImprovement).unwrap(),
            "\"needs-improvement\""
        );
    }
}
