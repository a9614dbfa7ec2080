//! `Aggregate`: HdrHistograms across responses. Methods are conversions plus one call into the core.
//! The full build's methods (merge, exports and imports, budgets, spectra) are in `full.rs`.

use wasm_bindgen::prelude::*;

use super::error::range_error;
use super::js::to_js;
use super::meter::JsMeter;
use super::options::aggregate_config;
use crate::aggregate::Aggregate;

/// One HdrHistogram per metric across responses: percentiles (the full build adds merge, HISTF/.hlog export and
/// import, budgets, spectra).
#[wasm_bindgen(js_name = Aggregate)]
pub struct JsAggregate {
    pub(super) inner: Shared,
}

/// The full build's imports finish after the JS binding inflated the text (a promise), so they hold the aggregate
/// too (`Rc<RefCell>`); the embedded build has no such holder, so its aggregate is owned as it is (`Owned`: the
/// same `borrow`/`borrow_mut` calls, without a borrow flag: 56 B of the embedded wasm, BENCHMARKS.md row 3).
#[cfg(feature = "full")]
pub(super) type Shared = std::rc::Rc<std::cell::RefCell<Aggregate>>;
#[cfg(not(feature = "full"))]
pub(super) type Shared = Owned;

#[cfg(not(feature = "full"))]
pub(super) struct Owned(Aggregate);

#[cfg(feature = "full")]
fn shared(a: Aggregate) -> Shared {
    std::rc::Rc::new(a.into())
}

#[cfg(not(feature = "full"))]
fn shared(a: Aggregate) -> Shared {
    Owned(a)
}

#[cfg(not(feature = "full"))]
impl Owned {
    fn borrow(&self) -> &Aggregate {
        &self.0
    }
    fn borrow_mut(&mut self) -> &mut Aggregate {
        &mut self.0
    }
}

#[wasm_bindgen(js_class = Aggregate)]
impl JsAggregate {
    /// A new, empty aggregate. Options: `{ warmup?: number }` (the first N responses added are skipped).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "AggregateOptions | undefined")] options: JsValue,
    ) -> Result<JsAggregate, JsValue> {
        Ok(JsAggregate {
            inner: shared(Aggregate::new(aggregate_config(&options)?)),
        })
    }

    /// Adds a finished (or live) response. `warmup: true` counts it as warm-up (excluded from statistics).
    /// Returns false when it was skipped as warm-up.
    pub fn add(&mut self, meter: &JsMeter, warmup: Option<bool>) -> bool {
        if warmup.unwrap_or(false) {
            self.inner.borrow_mut().skip_warmup();
            return false;
        }
        self.inner.borrow_mut().add(&meter.inner.report().response)
    }

    /// The meter's report, built once: added to this aggregate (unless `warmup`) and returned. What a session
    /// calls per finished response instead of `meter.report()` + `add(meter)` (two report builds).
    #[wasm_bindgen(js_name = addAndReport, unchecked_return_type = "ResponseReport")]
    pub fn add_and_report(&mut self, meter: &JsMeter, warmup: Option<bool>) -> JsValue {
        let report = meter.inner.report();
        if warmup.unwrap_or(false) {
            self.inner.borrow_mut().skip_warmup();
        } else {
            self.inner.borrow_mut().add(&report.response);
        }
        to_js(&report)
    }

    /// Records raw samples of `metric` in its display unit (ms for times) in one call: one boundary crossing for
    /// the whole batch. Returns how many were in range; throws `RangeError` on an unknown metric.
    #[wasm_bindgen(js_name = recordValues)]
    pub fn record_values(&mut self, metric: &str, values: &[f64]) -> Result<u32, JsValue> {
        self.inner
            .borrow_mut()
            .record_values(metric, values)
            .map(|n| n as u32)
            .ok_or_else(|| range_error(crate::aggregate::UnknownMetric(metric.into())))
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        self.inner.borrow_mut().reset();
    }

    /// Responses recorded (warm-up excluded).
    #[wasm_bindgen(getter)]
    pub fn responses(&self) -> f64 {
        self.inner.borrow().responses() as f64
    }

    /// Per-metric statistics: count, min, max, mean, stddev, variance, cv, p50 … p99.9, outOfRange.
    #[wasm_bindgen(unchecked_return_type = "AggregateSummary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.borrow().summary()))
    }
}
