//! The full build's bindings (Cargo feature `full`): merge, HdrHistogram `HISTF…`/`.hlog` export and import,
//! budgets, spectra. Everything the embedded build leaves out of the wasm boundary is here, so this file and the
//! `[features]` table in Cargo.toml are the boundary between the two builds.

use wasm_bindgen::prelude::*;

use super::aggregate::JsAggregate;
use super::error::{error, range_error};
use super::js::to_js;
use super::options::{aggregate_counts, budget_from_js};

/// A list result: the tape's root is an object, so the list travels as its `list` field.
fn list_to_js(value: &impl crate::tape::ToTape) -> Result<JsValue, JsValue> {
    js_sys::Reflect::get(&to_js(value), &JsValue::from_str("list"))
}

/// Default rating thresholds, web-vitals style: `{ metric: { good, poor, direction } }` (`value <= good` is good
/// for lower-is-better metrics; `>= good` for higher-is-better). Full build only: the embedded one ships the kit's
/// threshold constants instead.
#[wasm_bindgen(
    unchecked_return_type = "Record<string, {good: number, poor: number, direction: string}>"
)]
pub fn thresholds() -> Result<JsValue, JsValue> {
    Ok(to_js(&crate::rating::threshold_table()))
}

/// Every aggregated metric (full build): `[{ name, unit, direction, perceived }]`.
#[wasm_bindgen(
    unchecked_return_type = "Array<{name: string, unit: string, direction: string, perceived: boolean}>"
)]
pub fn metrics() -> Result<JsValue, JsValue> {
    list_to_js(&crate::aggregate::metric_table())
}

#[wasm_bindgen(js_class = Aggregate)]
impl JsAggregate {
    /// Merges `other` in (equal to having recorded everything here).
    pub fn merge(&mut self, other: &JsAggregate) {
        self.inner.merge(&other.inner);
    }

    /// One metric as HdrHistogram V2 + DEFLATE, base64 (`HISTF…`), readable by HdrHistogram in any language.
    #[wasm_bindgen(js_name = exportHistogram)]
    pub fn export_histogram(&self, metric: &str) -> Result<String, JsValue> {
        self.inner.export_metric(metric).map_err(range_error)
    }

    /// Every metric with samples, `{ name: "HISTF…" }`.
    #[wasm_bindgen(js_name = exportHistograms, unchecked_return_type = "Record<string, string>")]
    pub fn export_histograms(&self) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.export_all().map_err(error)?))
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
        let counts = aggregate_counts(&summary)?;
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
        let budget = budget_from_js(&budget)?;
        Ok(to_js(&budget.check(&self.inner)))
    }

    /// The percentile spectrum of a metric: `[{ percentile, value }]` (display unit), for plots.
    #[wasm_bindgen(unchecked_return_type = "Array<{percentile: number, value: number}>")]
    pub fn spectrum(&self, metric: &str) -> Result<JsValue, JsValue> {
        list_to_js(&self.inner.spectrum(metric).map_err(range_error)?)
    }

    /// `bins` log-spaced bins of a metric: `[{ from, to, count }]` (display unit), for plots.
    #[wasm_bindgen(js_name = logBins, unchecked_return_type = "Array<{from: number, to: number, count: number}>")]
    pub fn log_bins(&self, metric: &str, bins: usize) -> Result<JsValue, JsValue> {
        list_to_js(&self.inner.log_bins(metric, bins).map_err(range_error)?)
    }
}
