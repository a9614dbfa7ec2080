//! `Aggregate`: HdrHistograms across responses. Methods are conversions plus one call into the core.

use wasm_bindgen::prelude::*;

use super::error::{error, from_js, range_error, to_js};
use super::meter::JsMeter;
use crate::aggregate::{Aggregate, AggregateConfig};
use crate::budget::Budget;

/// One HdrHistogram per metric across responses: percentiles, merge, HISTF/.hlog export and import, budgets.
#[wasm_bindgen(js_name = Aggregate)]
pub struct JsAggregate {
    inner: Aggregate,
}

#[wasm_bindgen(js_class = Aggregate)]
impl JsAggregate {
    /// A new, empty aggregate. Options: `{ warmup?: number }` (the first N responses added are skipped).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "AggregateOptions | undefined")] options: JsValue,
    ) -> Result<JsAggregate, JsValue> {
        let config: AggregateConfig = from_js(options)?;
        Ok(JsAggregate {
            inner: Aggregate::new(config),
        })
    }

    /// Adds a finished (or live) response. `warmup: true` counts it as warm-up (excluded from statistics).
    /// Returns false when it was skipped as warm-up.
    pub fn add(&mut self, meter: &JsMeter, warmup: Option<bool>) -> bool {
        if warmup.unwrap_or(false) {
            self.inner.skip_warmup();
            return false;
        }
        self.inner.add(&meter.inner.report().response)
    }

    /// The meter's report, built once: added to this aggregate (unless `warmup`) and returned. What a session
    /// calls per finished response instead of `meter.report()` + `add(meter)` (two report builds).
    #[wasm_bindgen(js_name = addAndReport, unchecked_return_type = "ResponseReport")]
    pub fn add_and_report(
        &mut self,
        meter: &JsMeter,
        warmup: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let report = meter.inner.report();
        if warmup.unwrap_or(false) {
            self.inner.skip_warmup();
        } else {
            self.inner.add(&report.response);
        }
        to_js(&report)
    }

    /// Records raw samples of `metric` in its display unit (ms for times) in one call: one boundary crossing for
    /// the whole batch. Returns how many were in range; throws `RangeError` on an unknown metric.
    #[wasm_bindgen(js_name = recordValues)]
    pub fn record_values(&mut self, metric: &str, values: &[f64]) -> Result<u32, JsValue> {
        self.inner
            .record_values(metric, values)
            .map(|n| n as u32)
            .ok_or_else(|| range_error(crate::aggregate::ExportError::UnknownMetric(metric.into())))
    }

    /// Merges `other` in (equal to having recorded everything here).
    pub fn merge(&mut self, other: &JsAggregate) {
        self.inner.merge(&other.inner);
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        self.inner.reset();
    }

    /// Responses recorded (warm-up excluded).
    #[wasm_bindgen(getter)]
    pub fn responses(&self) -> f64 {
        self.inner.responses() as f64
    }

    /// Per-metric statistics: count, min, max, mean, stddev, variance, cv, p50 … p99.9, outOfRange.
    #[wasm_bindgen(unchecked_return_type = "AggregateSummary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.summary())
    }

    /// One metric as HdrHistogram V2 + DEFLATE, base64 (`HISTF…`), readable by HdrHistogram in any language.
    #[wasm_bindgen(js_name = exportHistogram)]
    pub fn export_histogram(&self, metric: &str) -> Result<String, JsValue> {
        self.inner.export_metric(metric).map_err(range_error)
    }

    /// Every metric with samples, `{ name: "HISTF…" }`.
    #[wasm_bindgen(js_name = exportHistograms, unchecked_return_type = "Record<string, string>")]
    pub fn export_histograms(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.export_all().map_err(error)?)
    }

    /// Merges an exported `HISTF…` histogram into `metric`.
    #[wasm_bindgen(js_name = importHistogram)]
    pub fn import_histogram(&mut self, metric: &str, encoded: &str) -> Result<(), JsValue> {
        self.inner
            .import_metric(metric, encoded)
            .map_err(range_error)
    }

    /// Merges an exported `HISTF…` histogram into `metric` only if its buckets equal this build's (3 digits from 1),
    /// so every bucket count is as if the values had been recorded here (the lossless merge of sharded reports).
    /// Throws `RangeError` naming the settings otherwise, and as `importHistogram` does.
    #[wasm_bindgen(js_name = mergeHistogram)]
    pub fn merge_histogram(&mut self, metric: &str, encoded: &str) -> Result<(), JsValue> {
        self.inner
            .merge_metric(metric, encoded)
            .map_err(range_error)
    }

    /// Adds the counters of an exported summary (`responses`, `warmupSkipped`, `perceivedExcluded`, `outcomes`,
    /// each metric's `outOfRange`; other fields are ignored). With `mergeHistogram` for every metric this rebuilds
    /// a report's aggregate. Throws `RangeError` naming an unknown metric (and changes nothing).
    #[wasm_bindgen(js_name = importCounts)]
    pub fn import_counts(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AggregateSummary")] summary: JsValue,
    ) -> Result<(), JsValue> {
        let counts: crate::aggregate::AggregateCounts = from_js(summary)?;
        self.inner.import_counts(&counts).map_err(range_error)
    }

    /// An HdrHistogram interval log (`.hlog`), one tagged line per metric. `startEpochS` = `Date.now() / 1000`.
    #[wasm_bindgen(js_name = toHlog)]
    pub fn to_hlog(&self, start_epoch_s: f64, interval_s: Option<f64>) -> Result<String, JsValue> {
        self.inner
            .interval_log(start_epoch_s, interval_s.unwrap_or(0.0))
            .map_err(error)
    }

    /// Checks a budget (`{"ttft.p95": 1000, ...}` as an object or JSON string) against this aggregate.
    /// Throws on an unknown key (naming it); returns `{ pass, checked, violations: [{ key, limit, actual, reason }] }`.
    #[wasm_bindgen(js_name = checkBudget, unchecked_return_type = "BudgetResult")]
    pub fn check_budget(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Budget | string")] budget: JsValue,
    ) -> Result<JsValue, JsValue> {
        let json = match budget.as_string() {
            Some(s) => s,
            None => js_sys::JSON::stringify(&budget)
                .map_err(|_| error("budget is not JSON-serializable"))?
                .into(),
        };
        let budget = Budget::parse(&json).map_err(error)?;
        to_js(&budget.check(&self.inner))
    }

    /// The percentile spectrum of a metric: `[{ percentile, value }]` (display unit), for plots; throws
    /// `RangeError` naming an unknown metric and the valid ones, as `exportHistogram` does.
    #[wasm_bindgen(unchecked_return_type = "Array<{percentile: number, value: number}>")]
    pub fn spectrum(&self, metric: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.spectrum(metric).map_err(range_error)?)
    }

    /// `bins` log-spaced bins of a metric: `[{ from, to, count }]` (display unit), for plots; throws
    /// `RangeError` on an unknown metric like `spectrum`.
    #[wasm_bindgen(js_name = logBins, unchecked_return_type = "Array<{from: number, to: number, count: number}>")]
    pub fn log_bins(&self, metric: &str, bins: usize) -> Result<JsValue, JsValue> {
        to_js(&self.inner.log_bins(metric, bins).map_err(range_error)?)
    }
}
