//! The full build's bindings (Cargo feature `full`): merge, HdrHistogram `HISTF…`/`.hlog` export and import,
//! budgets, spectra. Everything the embedded build leaves out of the wasm boundary is here, so this file and the
//! `[features]` table in Cargo.toml are the boundary between the two builds.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;

use super::aggregate::JsAggregate;
use super::error::{error_shown, range_error_shown};
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

// `HISTF…` and `.hlog` texts around the core's V2 bytes, with the platform's DEFLATE (histf.js says why).
#[wasm_bindgen(module = "/src/wasm/histf.js")]
extern "C" {
    fn histf(v2: &Uint8Array) -> Promise;
    #[wasm_bindgen(js_name = histfAll)]
    fn histf_all(v2s: &js_sys::Object) -> Promise;
    #[wasm_bindgen(js_name = unhistfThen)]
    fn unhistf_then(text: &str, apply: JsValue) -> Promise;
    #[wasm_bindgen(js_name = hlogText)]
    fn hlog_text(entries: &js_sys::Array, start_epoch_s: f64, interval_s: f64) -> Promise;
}

impl JsAggregate {
    /// Inflates `encoded` in JS, then imports it (`exact`: only with this build's buckets). The closure holds the
    /// aggregate until then and runs exactly once (unhistfThen calls it on failure too), so nothing leaks.
    fn import_when_inflated(&self, metric: String, encoded: &str, exact: bool) -> Promise {
        let aggregate = self.inner.clone();
        let apply = Closure::once_into_js(
            move |v2: JsValue, failure: JsValue| -> Result<(), JsValue> {
                if !failure.is_undefined() {
                    return Err(failure);
                }
                let v2 = Uint8Array::from(v2).to_vec();
                let mut aggregate = aggregate.borrow_mut();
                let imported = if exact {
                    aggregate.merge_metric(&metric, &v2)
                } else {
                    aggregate.import_metric(&metric, &v2)
                };
                imported.map_err(range_error_shown)
            },
        );
        unhistf_then(encoded, apply)
    }
}

#[wasm_bindgen(js_class = Aggregate)]
impl JsAggregate {
    /// Merges `other` in (equal to having recorded everything here).
    pub fn merge(&mut self, other: &JsAggregate) {
        // Never the same cell twice: wasm-bindgen already refuses `a.merge(a)` (its own borrow of `self` and
        // `other`), and no other JS object shares an aggregate's cell.
        self.inner.borrow_mut().merge(&other.inner.borrow());
    }

    /// One metric as HdrHistogram V2 + DEFLATE, base64 (`HISTF…`), readable by HdrHistogram in any language.
    /// Resolves with the text; rejects with a `RangeError` for an unknown metric.
    #[wasm_bindgen(js_name = exportHistogram, unchecked_return_type = "Promise<string>")]
    pub fn export_histogram(&self, metric: &str) -> Promise {
        match self.inner.borrow().encode_metric(metric) {
            Ok(v2) => histf(&Uint8Array::from(&v2[..])),
            Err(e) => Promise::reject(&range_error_shown(e)),
        }
    }

    /// Every metric, `{ name: "HISTF…" }` (empty ones included).
    #[wasm_bindgen(js_name = exportHistograms, unchecked_return_type = "Promise<Record<string, string>>")]
    pub fn export_histograms(&self) -> Promise {
        let all = match self.inner.borrow().encode_all() {
            Ok(all) => all,
            Err(e) => return Promise::reject(&error_shown(e)),
        };
        let v2s = js_sys::Object::new();
        for (name, v2) in all {
            // Setting a plain object's own property cannot fail.
            let _ =
                js_sys::Reflect::set(&v2s, &JsValue::from_str(name), &Uint8Array::from(&v2[..]));
        }
        histf_all(&v2s)
    }

    /// Merges an exported `HISTF…` histogram into `metric`. Resolves once merged; rejects with a `RangeError` (an
    /// unknown metric, not base64, not a V2 histogram, too large) and changes nothing then.
    #[wasm_bindgen(js_name = importHistogram, unchecked_return_type = "Promise<void>")]
    pub fn import_histogram(&self, metric: String, encoded: &str) -> Promise {
        self.import_when_inflated(metric, encoded, false)
    }

    /// Merges an exported `HISTF…` histogram into `metric` only if its buckets equal this build's (3 digits from 1),
    /// so every bucket count is as if the values had been recorded here (the lossless merge of sharded reports).
    /// Rejects with a `RangeError` naming the settings otherwise, and as `importHistogram` does.
    #[wasm_bindgen(js_name = mergeHistogram, unchecked_return_type = "Promise<void>")]
    pub fn merge_histogram(&self, metric: String, encoded: &str) -> Promise {
        self.import_when_inflated(metric, encoded, true)
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
        self.inner
            .borrow_mut()
            .import_counts(&counts)
            .map_err(range_error_shown)
    }

    /// An HdrHistogram interval log (`.hlog`), one tagged line per non-empty metric. `startEpochS` =
    /// `Date.now() / 1000`; `intervalS` defaults to 0. Rejects with a `RangeError` for a negative or NaN time.
    #[wasm_bindgen(js_name = toHlog, unchecked_return_type = "Promise<string>")]
    pub fn to_hlog(&self, start_epoch_s: f64, interval_s: Option<f64>) -> Promise {
        let entries = match self.inner.borrow().interval_entries() {
            Ok(entries) => entries,
            Err(e) => return Promise::reject(&error_shown(e)),
        };
        let list = js_sys::Array::new();
        for e in entries {
            list.push(&js_sys::Array::of3(
                &JsValue::from_str(e.tag),
                &JsValue::from_f64(e.max_stored as f64),
                &Uint8Array::from(&e.v2[..]),
            ));
        }
        hlog_text(&list, start_epoch_s, interval_s.unwrap_or(0.0))
    }

    /// Checks a budget (`{"ttft.p95": 1000, ...}` as an object or JSON string) against this aggregate.
    /// Throws on an unknown key (naming it); returns `{ pass, checked, violations: [{ key, limit, actual, reason }] }`.
    #[wasm_bindgen(js_name = checkBudget, unchecked_return_type = "BudgetResult")]
    pub fn check_budget(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Budget | string")] budget: JsValue,
    ) -> Result<JsValue, JsValue> {
        let budget = budget_from_js(&budget)?;
        Ok(to_js(&budget.check(&self.inner.borrow())))
    }

    /// The percentile spectrum of a metric: `[{ percentile, value }]` (display unit), for plots.
    #[wasm_bindgen(unchecked_return_type = "Array<{percentile: number, value: number}>")]
    pub fn spectrum(&self, metric: &str) -> Result<JsValue, JsValue> {
        list_to_js(
            &self
                .inner
                .borrow()
                .spectrum(metric)
                .map_err(range_error_shown)?,
        )
    }

    /// `bins` log-spaced bins of a metric: `[{ from, to, count }]` (display unit), for plots.
    #[wasm_bindgen(js_name = logBins, unchecked_return_type = "Array<{from: number, to: number, count: number}>")]
    pub fn log_bins(&self, metric: &str, bins: usize) -> Result<JsValue, JsValue> {
        list_to_js(
            &self
                .inner
                .borrow()
                .log_bins(metric, bins)
                .map_err(range_error_shown)?,
        )
    }
}
