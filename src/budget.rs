//! Performance budgets over an [`Aggregate`]: a small JSON object of `"<metric>.<stat>": limit` lines.
//!
//! Key grammar: `<metric>.<stat>`, split at the first `.`:
//! - `<metric>`: a name from [`crate::aggregate::METRICS`] (`ttft`, `tpot`, `gaps`, `stalls`,
//!   `fluidity`, `qoe`, `costUsd`, `cutByLength` (its `mean` is the share cut by length), …);
//! - `<stat>`: `p<N>` with 0 < N ≤ 100 (`p50`, `p10`, `p99.9`), `min`, `max`, `mean`, `stddev`, `cv`,
//!   `count` or `outOfRange`.
//!
//! Limits are in the metric's display unit (ms for times). How a line fails:
//! - `p<N>`, `min`, `max`, `mean` follow the metric's direction: lower-is-better metrics fail when the
//!   value is above the limit, higher-is-better ones (fluidity, QoE, tokens/s) when below;
//! - `stddev`, `cv`, `outOfRange` fail when above the limit;
//! - `count` is a minimum sample count: fails when below;
//! - a metric with no samples fails every line except `count` and `outOfRange` ("no data"), so an
//!   empty run never passes silently.
//!
//! Percentiles, min and max are HdrHistogram values (highest equivalent value, ±0.1 %).

use std::fmt;

use serde::Serialize;

use crate::aggregate::{Aggregate, METRICS, MetricDef};
use crate::rating::Direction;

/// Which statistic a budget line limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stat {
    /// A quantile in (0, 1] (`p95` → 0.95).
    Quantile(f64),
    /// Smallest sample.
    Min,
    /// Largest sample.
    Max,
    /// Mean.
    Mean,
    /// Population standard deviation.
    Stddev,
    /// stddev / mean.
    Cv,
    /// Number of samples (a minimum).
    Count,
    /// Samples out of the histogram range (a maximum).
    OutOfRange,
}

impl Stat {
    fn parse(s: &str) -> Option<Stat> {
        Some(match s {
            "min" => Stat::Min,
            "max" => Stat::Max,
            "mean" => Stat::Mean,
            "stddev" => Stat::Stddev,
            "cv" => Stat::Cv,
            "count" => Stat::Count,
            "outOfRange" => Stat::OutOfRange,
            _ => {
                let n: f64 = s.strip_prefix('p')?.parse().ok()?;
                if !(n > 0.0 && n <= 100.0) {
                    return None;
                }
                Stat::Quantile(n / 100.0)
            }
        })
    }
}

/// One parsed budget line.
#[derive(Clone, Debug)]
pub struct BudgetLine {
    /// The key as written.
    pub key: String,
    /// The metric.
    pub metric: &'static MetricDef,
    /// The statistic.
    pub stat: Stat,
    /// The limit, in the metric's display unit.
    pub limit: f64,
}

/// A parsed budget.
#[derive(Clone, Debug)]
pub struct Budget {
    /// Lines in key order (JSON objects are read into a sorted map).
    pub lines: Vec<BudgetLine>,
}

/// Why a budget document could not be parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum BudgetError {
    /// Not valid JSON. Fix the syntax (the message says where).
    NotJson(String),
    /// The JSON is not an object. Write `{"ttft.p95": 1000, …}`.
    NotAnObject,
    /// The key has no known metric before the first `.`. Use e.g. `ttft`, `tpot`, `gaps`, `fluidity`.
    UnknownMetric(String),
    /// The key has no known stat after the metric. Use `p50`, `p99.9`, `min`, `max`, `mean`, `stddev`, `cv`, `count` or `outOfRange`.
    UnknownStat(String),
    /// The limit is not a finite number. Write a number in the metric's unit (ms for times).
    LimitNotANumber(String),
}

impl fmt::Display for BudgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BudgetError::NotJson(e) => write!(f, "budget is not valid JSON: {e}"),
            BudgetError::NotAnObject => {
                f.write_str("budget must be a JSON object like {\"ttft.p95\": 1000}")
            }
            BudgetError::UnknownMetric(k) => {
                let names: Vec<&str> = METRICS.iter().map(|m| m.name).collect();
                write!(
                    f,
                    "budget key \"{k}\" names no known metric; use <metric>.<stat> with a metric from: {}",
                    names.join(", ")
                )
            }
            BudgetError::UnknownStat(k) => write!(
                f,
                "budget key \"{k}\" names no known stat; use p<N> (e.g. p95, p99.9), min, max, mean, stddev, cv, count or outOfRange"
            ),
            BudgetError::LimitNotANumber(k) => write!(
                f,
                "budget key \"{k}\" has a limit that is not a finite number; use a number in the metric's unit"
            ),
        }
    }
}

impl std::error::Error for BudgetError {}

/// One violated line.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    /// The key as written.
    pub key: String,
    /// The limit.
    pub limit: f64,
    /// The measured value; `null` when the metric had no data.
    pub actual: Option<f64>,
    /// One human-readable sentence.
    pub reason: String,
}

/// The outcome of checking a budget.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetResult {
    /// Every line held.
    pub pass: bool,
    /// Lines checked.
    pub checked: usize,
    /// Lines that failed, in key order.
    pub violations: Vec<Violation>,
}

impl Budget {
    /// Parses a budget document (host builds; the full wasm build reads the JS object field by field and calls
    /// [`Budget::from_entries`], so serde_json stays out of it).
    ///
    /// Returns an error if it is not a JSON object, or a key or limit is invalid (naming the key).
    #[cfg(feature = "json")]
    pub fn parse(json: &str) -> Result<Budget, BudgetError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| BudgetError::NotJson(e.to_string()))?;
        let object = value.as_object().ok_or(BudgetError::NotAnObject)?;
        Budget::from_entries(object.iter().map(|(k, v)| (k.clone(), v.as_f64())))
    }

    /// A budget from its `(key, limit)` lines, `limit` `None` where the document's value is not a number.
    /// Lines are checked and kept in key order (a later duplicate key replaces an earlier one, as in JSON).
    ///
    /// Returns an error naming the first invalid key (in key order).
    pub fn from_entries(
        entries: impl IntoIterator<Item = (String, Option<f64>)>,
    ) -> Result<Budget, BudgetError> {
        let mut sorted = crate::map::Map::new();
        for (key, limit) in entries {
            sorted.insert(key, limit);
        }
        let mut lines = Vec::with_capacity(sorted.len());
        for (key, limit) in sorted {
            let (metric, stat) = key.split_once('.').unwrap_or((key.as_str(), ""));
            let Some(metric) = METRICS.iter().find(|m| m.name == metric) else {
                return Err(BudgetError::UnknownMetric(key));
            };
            let Some(stat) = Stat::parse(stat) else {
                return Err(BudgetError::UnknownStat(key));
            };
            let Some(limit) = limit.filter(|l| l.is_finite()) else {
                return Err(BudgetError::LimitNotANumber(key));
            };
            lines.push(BudgetLine {
                key,
                metric,
                stat,
                limit,
            });
        }
        Ok(Budget { lines })
    }

    /// Checks every line against `aggregate`.
    pub fn check(&self, aggregate: &Aggregate) -> BudgetResult {
        let violations: Vec<Violation> = self
            .lines
            .iter()
            .filter_map(|l| check_line(l, aggregate))
            .collect();
        BudgetResult {
            pass: violations.is_empty(),
            checked: self.lines.len(),
            violations,
        }
    }
}

/// Parses `json` and checks it against `aggregate`.
#[cfg(feature = "json")]
pub fn check_budget(json: &str, aggregate: &Aggregate) -> Result<BudgetResult, BudgetError> {
    Ok(Budget::parse(json)?.check(aggregate))
}

/// `Some(violation)` when the line fails.
fn check_line(line: &BudgetLine, aggregate: &Aggregate) -> Option<Violation> {
    let (def, h) = aggregate.metric(line.metric.name)?;
    let hist = &h.histogram;
    let unit = def.unit;
    let fail = |actual: Option<f64>, reason: String| {
        Some(Violation {
            key: line.key.clone(),
            limit: line.limit,
            actual,
            reason,
        })
    };
    let actual = match line.stat {
        Stat::Count => {
            let n = hist.len() as f64;
            if n >= line.limit {
                return None;
            }
            return fail(
                Some(n),
                format!(
                    "{}: only {n} samples, fewer than the required {}",
                    line.key, line.limit
                ),
            );
        }
        Stat::OutOfRange => h.out_of_range as f64,
        _ if hist.is_empty() => {
            return fail(
                None,
                format!(
                    "{}: no data (no recorded response defined {})",
                    line.key, def.name
                ),
            );
        }
        // Clamped like the summary's (a bucket's highest equivalent value can pass a ratio's 1).
        Stat::Quantile(q) => def.clamp(hist.value_at_quantile(q) as f64 / def.scale),
        Stat::Min => def.clamp(hist.min() as f64 / def.scale),
        Stat::Max => def.clamp(hist.max() as f64 / def.scale),
        Stat::Mean => def.clamp(hist.mean() / def.scale),
        Stat::Stddev => hist.stdev() / def.scale,
        Stat::Cv => {
            let mean = hist.mean();
            if mean > 0.0 { hist.stdev() / mean } else { 0.0 }
        }
    };
    // Ratios and counts read best bare ("0.44 is below the limit 0.5").
    let unit = match (line.stat, unit) {
        (Stat::Cv | Stat::OutOfRange, _) | (_, "ratio" | "share" | "count") => String::new(),
        (_, u) => format!(" {u}"),
    };
    let direction = match line.stat {
        Stat::Quantile(_) | Stat::Min | Stat::Max | Stat::Mean => def.direction,
        _ => Direction::LowerIsBetter,
    };
    match direction {
        Direction::LowerIsBetter if actual > line.limit => fail(
            Some(actual),
            format!(
                "{} = {actual}{unit} is above the limit {}{unit}",
                line.key, line.limit
            ),
        ),
        Direction::HigherIsBetter if actual < line.limit => fail(
            Some(actual),
            format!(
                "{} = {actual}{unit} is below the limit {}{unit}",
                line.key, line.limit
            ),
        ),
        _ => None,
    }
}
