//! Options objects read field by field (`Reflect.get`), no serde: `undefined`/`null` fields keep their default,
//! unknown fields are ignored, a field of the wrong type is an `Error` naming it.
//!
//! [`METER_OPTION_KEYS`] lists what is read; the host test in `src/wasm/options_tests.rs` fails when the core's
//! `MeterConfig` gains a field this reader does not know.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

use super::error::{error, range_error};
use crate::aggregate::AggregateConfig;
use crate::message::concat;
use crate::meter::{FormatSource, MeterConfig};
use crate::metrics::CostConfig;
use crate::rating::Thresholds;

/// Every top-level `MeterOptions` key (camelCase, as in `chat_vitals.d.ts`) that [`meter_config`] reads.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub const METER_OPTION_KEYS: &[&str] = &[
    "firstTokenRule",
    "stallThresholdMs",
    "fluidity",
    "qoe",
    "cost",
    "timelineCap",
    "ratings",
    "format",
    "maxLineBytes",
    "captureText",
    "formatSource",
];

type Res<T> = Result<T, JsValue>;

/// `value[key]`, `None` when undefined or null.
#[inline(never)] // one copy for every option (not a hot path; BENCHMARKS.md row 3)
fn field(value: &JsValue, key: &str) -> Res<Option<JsValue>> {
    let v = Reflect::get(value, &JsValue::from_str(key))
        .map_err(|_| error(concat(&["invalid options: cannot read ", key])))?;
    Ok((!v.is_undefined() && !v.is_null()).then_some(v))
}

#[inline(never)] // one copy for every option (not a hot path; BENCHMARKS.md row 3)
fn bad(key: &str, what: &str) -> JsValue {
    error(concat(&["invalid options: ", key, " must be ", what]))
}

#[inline(never)] // one copy for every option (not a hot path; BENCHMARKS.md row 3)
fn num(o: &JsValue, key: &str) -> Res<Option<f64>> {
    field(o, key)?
        .map(|v| v.as_f64().ok_or_else(|| bad(key, "a number")))
        .transpose()
}

/// A whole number in `0..=max`, `None` when absent.
#[inline(never)] // one copy for every option (not a hot path; BENCHMARKS.md row 3)
fn whole_up_to(o: &JsValue, key: &str, max: f64) -> Res<Option<f64>> {
    num(o, key)?
        .map(|v| {
            (v >= 0.0 && v.fract() == 0.0 && v <= max)
                .then_some(v)
                .ok_or_else(|| bad(key, "a whole number >= 0"))
        })
        .transpose()
}

fn size(o: &JsValue, key: &str) -> Res<Option<usize>> {
    Ok(whole_up_to(o, key, u32::MAX as f64)?.map(|v| v as usize))
}

#[inline(never)] // one copy for every option (not a hot path; BENCHMARKS.md row 3)
fn text(o: &JsValue, key: &str) -> Res<Option<String>> {
    field(o, key)?
        .map(|v| v.as_string().ok_or_else(|| bad(key, "a string")))
        .transpose()
}

#[inline(never)] // one copy for every option (not a hot path; BENCHMARKS.md row 3)
fn flag(o: &JsValue, key: &str) -> Res<Option<bool>> {
    field(o, key)?
        .map(|v| v.as_bool().ok_or_else(|| bad(key, "true or false")))
        .transpose()
}

#[inline(never)] // one copy for every option (not a hot path; BENCHMARKS.md row 3)
fn object(o: &JsValue, key: &str) -> Res<Option<JsValue>> {
    field(o, key)?
        .map(|v| {
            v.is_object()
                .then_some(v)
                .ok_or_else(|| bad(key, "an object"))
        })
        .transpose()
}

fn set<T>(slot: &mut T, v: Option<T>) {
    if let Some(v) = v {
        *slot = v;
    }
}

/// `MeterOptions` → [`MeterConfig`] (`undefined`/`null` → defaults).
pub fn meter_config(o: &JsValue) -> Res<MeterConfig> {
    let mut c = MeterConfig::default();
    if o.is_undefined() || o.is_null() {
        return Ok(c);
    }
    if !o.is_object() {
        return Err(error("invalid options: pass an object (or nothing)"));
    }
    let m = &mut c.metrics;
    if let Some(rule) = text(o, "firstTokenRule")? {
        m.first_token_rule = rule.parse().map_err(range_error)?;
    }
    set(&mut m.stall_threshold_ms, num(o, "stallThresholdMs")?);
    if let Some(f) = object(o, "fluidity")? {
        set(&mut m.fluidity.ttft_deadline_ms, num(&f, "ttftDeadlineMs")?);
        set(&mut m.fluidity.tbt_deadline_ms, num(&f, "tbtDeadlineMs")?);
    }
    if let Some(q) = object(o, "qoe")? {
        set(
            &mut m.qoe.reading_tokens_per_s,
            num(&q, "readingTokensPerS")?,
        );
        set(&mut m.qoe.ttft_expected_ms, num(&q, "ttftExpectedMs")?);
        m.qoe.ttft_penalty_alpha = num(&q, "ttftPenaltyAlpha")?.or(m.qoe.ttft_penalty_alpha);
    }
    if let Some(p) = object(o, "cost")? {
        let price = |k| {
            num(&p, k)?
                .ok_or_else(|| bad(&concat(&["cost.", k]), "a number (USD per million tokens)"))
        };
        m.cost = Some(CostConfig {
            input_usd_per_mtok: price("inputUsdPerMtok")?,
            output_usd_per_mtok: price("outputUsdPerMtok")?,
        });
    }
    set(&mut m.timeline_cap, size(o, "timelineCap")?);
    if let Some(r) = object(o, "ratings")? {
        // A loop, not the full build's `entries`: that generic reader costs the embedded wasm 0.3 KB (row 3).
        let obj: &js_sys::Object = r.unchecked_ref();
        for key in js_sys::Object::keys(obj).iter() {
            let name = key.as_string().unwrap_or_default();
            let pair = field(&r, &name)?.map(|v| js_sys::Array::from(&v));
            let t = pair
                .filter(|a| a.length() == 2)
                .and_then(|a| Some(Thresholds(a.get(0).as_f64()?, a.get(1).as_f64()?)));
            let t = t.ok_or_else(|| bad(&concat(&["ratings.", &name]), "[good, poor]"))?;
            m.ratings.overrides.insert(name, t);
        }
    }
    if let Some(f) = text(o, "format")? {
        c.format = Some(f.parse().map_err(error)?);
    }
    set(&mut c.max_line_bytes, size(o, "maxLineBytes")?);
    set(&mut c.capture_text, flag(o, "captureText")?);
    if let Some(source) = text(o, "formatSource")? {
        c.format_source = match source.as_str() {
            "override" => FormatSource::Override,
            "preset" => FormatSource::Preset,
            _ => return Err(bad("formatSource", "\"override\" or \"preset\"")),
        };
    }
    Ok(c)
}

/// `AggregateOptions` → [`AggregateConfig`].
pub fn aggregate_config(o: &JsValue) -> Res<AggregateConfig> {
    let mut c = AggregateConfig::default();
    if o.is_object() {
        set(&mut c.warmup, size(o, "warmup")?);
    }
    Ok(c)
}

/// `[[name, value], …]` → pairs (an entry that is not two strings is an error).
pub fn header_pairs(v: &JsValue) -> Res<Vec<(String, String)>> {
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    let list: &js_sys::Array = v
        .dyn_ref()
        .ok_or_else(|| bad("headers", "an array of [name, value] pairs"))?;
    list.iter()
        .map(|pair| {
            let pair = js_sys::Array::from(&pair);
            match (pair.get(0).as_string(), pair.get(1).as_string()) {
                (Some(k), Some(v)) if pair.length() == 2 => Ok((k, v)),
                _ => Err(bad("headers", "an array of [name, value] string pairs")),
            }
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "options_tests.rs"]
mod tests;

/// A count: a whole number >= 0 (exact in `f64` up to 2^53), 0 when absent.
#[cfg(feature = "full")]
fn whole(o: &JsValue, key: &str) -> Res<u64> {
    const MAX_EXACT: f64 = 9_007_199_254_740_992.0;
    Ok(whole_up_to(o, key, MAX_EXACT)?.map_or(0, |v| v as u64))
}

/// `{ name: value }` → pairs, each value read by `read(object, name)`.
#[cfg(feature = "full")]
fn entries<T>(o: &JsValue, read: impl Fn(&JsValue, &str) -> Res<T>) -> Res<Vec<(String, T)>> {
    let obj: &js_sys::Object = o.unchecked_ref();
    let keys = js_sys::Object::keys(obj);
    keys.iter()
        .map(|key| {
            let name = key.as_string().unwrap_or_default();
            let value = read(o, &name)?;
            Ok((name, value))
        })
        .collect()
}

/// An exported `AggregateSummary` → its counters ([`crate::aggregate::AggregateCounts`]; other fields are
/// ignored, `undefined`/`null` → none).
#[cfg(feature = "full")]
pub fn aggregate_counts(o: &JsValue) -> Res<crate::aggregate::AggregateCounts> {
    use crate::aggregate::{AggregateCounts, MetricCounts};
    let mut c = AggregateCounts::default();
    if o.is_undefined() || o.is_null() {
        return Ok(c);
    }
    if !o.is_object() {
        return Err(error("invalid argument: pass an AggregateSummary object"));
    }
    c.responses = whole(o, "responses")?;
    c.warmup_skipped = whole(o, "warmupSkipped")?;
    c.perceived_excluded = whole(o, "perceivedExcluded")?;
    if let Some(m) = object(o, "outcomes")? {
        c.outcomes = entries(&m, whole)?.into_iter().collect();
    }
    if let Some(m) = object(o, "finishReasons")? {
        c.finish_reasons = entries(&m, whole)?.into_iter().collect();
    }
    if let Some(m) = object(o, "metrics")? {
        let per_metric = |m: &JsValue, name: &str| -> Res<MetricCounts> {
            let out_of_range = match object(m, name)? {
                Some(metric) => whole(&metric, "outOfRange")?,
                None => 0,
            };
            Ok(MetricCounts { out_of_range })
        };
        c.metrics = entries(&m, per_metric)?.into_iter().collect();
    }
    Ok(c)
}

/// A budget (`{"ttft.p95": 1000, …}` as an object or as JSON text) → [`crate::budget::Budget`].
#[cfg(feature = "full")]
pub fn budget_from_js(v: &JsValue) -> Res<crate::budget::Budget> {
    use crate::budget::{Budget, BudgetError};
    let value = match v.as_string() {
        Some(text) => js_sys::JSON::parse(&text).map_err(|e| {
            let message = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default();
            super::error::error_shown(BudgetError::NotJson(message))
        })?,
        None => v.clone(),
    };
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(super::error::error_shown(BudgetError::NotAnObject));
    }
    let lines = entries(&value, |o, key| Ok(field(o, key)?.and_then(|v| v.as_f64())))?;
    Budget::from_entries(lines).map_err(super::error::error_shown)
}
