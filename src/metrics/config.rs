//! Configuration of the per-response recorder, and the small enums it is configured with.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::names::FirstTokenRule;

use crate::message::concat;
use crate::rating::RatingConfig;

/// Default stall threshold in ms. A gap between two output chunks of at least this long is a stall.
///
/// Why 250 ms: at the Andes reading speed of 4.8 tokens/s a reader needs ≈ 208 ms per token, so a
/// pause shorter than that can hide behind reading, while one ≥ 250 ms outlasts a token's reading
/// time. It is also above every MLPerf server TPOT limit (≤ 200 ms), so a healthy decode never
/// produces a stall, and it is the order at which a pause in continuous feedback becomes noticeable.
pub const DEFAULT_STALL_THRESHOLD_MS: f64 = 250.0;

/// Default number of raw chunk records and raw paint records kept per response: the first ~256 chunks
/// cover the start of an answer (where TTFT and early stutter live) at ~16 KB; the audit page and CLI ask for
/// 4096 to plot whole answers (BENCHMARKS.md row 5: memory per live response).
pub const DEFAULT_TIMELINE_CAP: usize = 256;

/// Etalon fluidity-index deadlines (metrics.md §4.1). A key left out keeps its default.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FluidityConfig {
    /// Deadline for the first token (Etalon `D_p`), ms. Default 100 ms: Etalon `metric_store.py` `ttft_deadline=0.1`.
    pub ttft_deadline_ms: f64,
    /// Deadline per later token (Etalon `D_d`), ms. Default 50 ms: Etalon `metric_store.py` `tbt_deadline=0.05`.
    pub tbt_deadline_ms: f64,
}

impl Default for FluidityConfig {
    fn default() -> Self {
        FluidityConfig {
            ttft_deadline_ms: 100.0,
            tbt_deadline_ms: 50.0,
        }
    }
}

/// Andes reading-pace QoE parameters (metrics.md §4.2). A key left out keeps its default.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct QoeConfig {
    /// Expected token digestion speed, tokens/s. Default 4.8 (Andes reading speed; 3.3 for listening).
    pub reading_tokens_per_s: f64,
    /// When the reader expects the first token, ms after the request. Default 1000 ms (Andes leaves this
    /// per application; 1 s is the usual "flow is kept" limit).
    pub ttft_expected_ms: f64,
    /// Optional TTFT penalty base α ∈ [0, 1]: QoE is multiplied by α^(TTFT − TTFT_expected) in seconds
    /// when TTFT is late. `None` (default) = no penalty.
    pub ttft_penalty_alpha: Option<f64>,
}

impl Default for QoeConfig {
    fn default() -> Self {
        QoeConfig {
            reading_tokens_per_s: 4.8,
            ttft_expected_ms: 1000.0,
            ttft_penalty_alpha: None,
        }
    }
}

/// Token prices, for `costUsd`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CostConfig {
    /// USD per million input (prompt) tokens.
    pub input_usd_per_mtok: f64,
    /// USD per million output (completion) tokens.
    pub output_usd_per_mtok: f64,
}

/// Everything a [`crate::metrics::Recorder`] is configured with. `Default` gives the documented defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricsConfig {
    /// Which arrival ends the headline TTFT. Default [`FirstTokenRule::FirstContent`].
    pub first_token_rule: FirstTokenRule,
    /// Gap (ms) at or above which a gap between output chunks is a stall. Default [`DEFAULT_STALL_THRESHOLD_MS`].
    pub stall_threshold_ms: f64,
    /// Etalon fluidity deadlines.
    pub fluidity: FluidityConfig,
    /// Andes QoE parameters.
    pub qoe: QoeConfig,
    /// Token prices; `None` = no cost metrics.
    pub cost: Option<CostConfig>,
    /// Raw chunk records and raw paint records kept per response (each list separately). Default
    /// [`DEFAULT_TIMELINE_CAP`]. Metrics stay exact past the cap; only the raw timeline is cut.
    pub timeline_cap: usize,
    /// Rating thresholds used for the report's `ratings`.
    pub ratings: RatingConfig,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            first_token_rule: FirstTokenRule::default(),
            stall_threshold_ms: DEFAULT_STALL_THRESHOLD_MS,
            fluidity: FluidityConfig::default(),
            qoe: QoeConfig::default(),
            cost: None,
            timeline_cap: DEFAULT_TIMELINE_CAP,
            ratings: RatingConfig::default(),
        }
    }
}

/// A [`MetricsConfig`] value that cannot be used. A recorder built with it still works, but the
/// metric that depends on the bad value is reported as `null`.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigError {
    /// `stallThresholdMs` is NaN, infinite or ≤ 0. Pass a positive number of ms, e.g. 250.
    StallThreshold(f64),
    /// A fluidity deadline is NaN, infinite or ≤ 0. Pass positive ms, e.g. 100 (first token) and 50.
    FluidityDeadline(f64),
    /// `readingTokensPerS` is NaN, infinite or ≤ 0. Pass a positive speed, e.g. 4.8.
    ReadingSpeed(f64),
    /// `ttftExpectedMs` is NaN, infinite or negative. Pass ms ≥ 0, e.g. 1000.
    TtftExpected(f64),
    /// `ttftPenaltyAlpha` is outside [0, 1]. Pass a value in [0, 1] or leave it unset.
    PenaltyAlpha(f64),
    /// A token price is NaN, infinite or negative. Pass USD per million tokens ≥ 0.
    Price(f64),
    /// A rating override names a metric that has no rating. Use one of the rated metrics
    /// (`ttft`, `perceivedTtft`, `ttfb`, `tpot`, `stallLongest`, `stalls`, `fluidity`, `qoe`).
    RatingMetric(String),
    /// A rating override's thresholds are not finite or in the wrong order (`good` must be at or
    /// below `poor` for lower-is-better metrics, at or above it for higher-is-better ones).
    RatingThresholds(String),
}

impl ConfigError {
    /// The message around the offending value: `(before, value, after)`, for the variants that carry a number. The
    /// bindings let JS format the number (no float formatting in the wasm); `Display` joins the three.
    pub fn parts(&self) -> Option<(&'static str, f64, &'static str)> {
        Some(match *self {
            ConfigError::StallThreshold(v) => (
                "stallThresholdMs ",
                v,
                " is not a positive number of ms; use e.g. 250",
            ),
            ConfigError::FluidityDeadline(v) => (
                "fluidity deadline ",
                v,
                " is not a positive number of ms; use e.g. 100 and 50",
            ),
            ConfigError::ReadingSpeed(v) => (
                "readingTokensPerS ",
                v,
                " is not a positive speed; use e.g. 4.8",
            ),
            ConfigError::TtftExpected(v) => (
                "ttftExpectedMs ",
                v,
                " is not a number of ms >= 0; use e.g. 1000",
            ),
            ConfigError::PenaltyAlpha(v) => (
                "ttftPenaltyAlpha ",
                v,
                " is outside [0, 1]; pass a value in [0, 1] or leave it unset",
            ),
            ConfigError::Price(v) => (
                "token price ",
                v,
                " is not a number >= 0; pass USD per million tokens",
            ),
            ConfigError::RatingMetric(_) | ConfigError::RatingThresholds(_) => return None,
        })
    }

    /// The message of the variants without a number (no float formatting needed).
    pub fn text(&self) -> Option<String> {
        match self {
            ConfigError::RatingMetric(m) => Some(concat(&[
                "ratings override \"",
                m,
                "\" names no rated metric; use one of: ",
                crate::rating::RATED_METRICS_LIST,
            ])),
            ConfigError::RatingThresholds(m) => Some(concat(&[
                "ratings override \"",
                m,
                "\" needs finite [good, poor] in the metric's direction (e.g. ttft [800, 3000], fluidity [0.9, 0.6])",
            ])),
            _ => None,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.parts(), self.text()) {
            (Some((before, v, after)), _) => write!(f, "{before}{v}{after}"),
            (None, Some(text)) => f.write_str(&text),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// The option key at fault (`stallThresholdMs`, `fluidity`, `qoe.readingTokensPerS`, `cost`,
    /// `ratings.ttft`, …), for callers that report which option to fix.
    pub fn option(&self) -> String {
        let (key, metric) = match self {
            ConfigError::StallThreshold(_) => ("stallThresholdMs", ""),
            ConfigError::FluidityDeadline(_) => ("fluidity", ""),
            ConfigError::ReadingSpeed(_) => ("qoe.readingTokensPerS", ""),
            ConfigError::TtftExpected(_) => ("qoe.ttftExpectedMs", ""),
            ConfigError::PenaltyAlpha(_) => ("qoe.ttftPenaltyAlpha", ""),
            ConfigError::Price(_) => ("cost", ""),
            ConfigError::RatingMetric(m) | ConfigError::RatingThresholds(m) => {
                ("ratings.", m.as_str())
            }
        };
        concat(&[key, metric])
    }
}

fn positive(v: f64) -> bool {
    v.is_finite() && v > 0.0
}

fn non_negative(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}

impl MetricsConfig {
    /// Checks every value. Returns the first bad one as an error.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !positive(self.stall_threshold_ms) {
            return Err(ConfigError::StallThreshold(self.stall_threshold_ms));
        }
        for d in [
            self.fluidity.ttft_deadline_ms,
            self.fluidity.tbt_deadline_ms,
        ] {
            if !positive(d) {
                return Err(ConfigError::FluidityDeadline(d));
            }
        }
        if !positive(self.qoe.reading_tokens_per_s) {
            return Err(ConfigError::ReadingSpeed(self.qoe.reading_tokens_per_s));
        }
        if !non_negative(self.qoe.ttft_expected_ms) {
            return Err(ConfigError::TtftExpected(self.qoe.ttft_expected_ms));
        }
        if let Some(a) = self.qoe.ttft_penalty_alpha
            && !(0.0..=1.0).contains(&a)
        {
            return Err(ConfigError::PenaltyAlpha(a));
        }
        if let Some(c) = self.cost {
            for p in [c.input_usd_per_mtok, c.output_usd_per_mtok] {
                if !non_negative(p) {
                    return Err(ConfigError::Price(p));
                }
            }
        }
        for (metric, t) in &self.ratings.overrides {
            let Some((_, direction)) = crate::rating::default_thresholds(metric) else {
                return Err(ConfigError::RatingMetric(metric.clone()));
            };
            let ordered = match direction {
                crate::rating::Direction::LowerIsBetter => t.0 <= t.1,
                crate::rating::Direction::HigherIsBetter => t.0 >= t.1,
            };
            if !(t.0.is_finite() && t.1.is_finite() && ordered) {
                return Err(ConfigError::RatingThresholds(metric.clone()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_catches_bad_values() {
        assert_eq!(MetricsConfig::default().validate(), Ok(()));
        let mut c = MetricsConfig::default();
        c.fluidity.tbt_deadline_ms = 0.0;
        assert_eq!(c.validate(), Err(ConfigError::FluidityDeadline(0.0)));
        let mut c = MetricsConfig::default();
        c.qoe.ttft_penalty_alpha = Some(1.5);
        assert_eq!(c.validate(), Err(ConfigError::PenaltyAlpha(1.5)));
    }
}
