//! `Meter`: one measured response. Methods are conversions plus one call into [`crate::meter::Meter`].

use wasm_bindgen::prelude::*;

use super::error::{bucket_error, config_error, range_error};
use super::js::to_js;
use super::options::{header_pairs, meter_config};
use crate::meter::{EndReason, Meter};
use crate::time::Micros;

/// One measured response: feed it timestamps (ms, `performance.now()`) and body bytes; read its report.
#[wasm_bindgen(js_name = Meter)]
pub struct JsMeter {
    pub(super) inner: Meter,
}

fn at(ms: f64) -> Result<Micros, JsValue> {
    Micros::from_ms(ms).map_err(range_error)
}

#[wasm_bindgen(js_class = Meter)]
impl JsMeter {
    /// Starts measuring a response whose request started at `requestStartMs`.
    /// Throws `RangeError` on a bad timestamp and `Error` on invalid options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        request_start_ms: f64,
        #[wasm_bindgen(unchecked_param_type = "MeterOptions | undefined")] options: JsValue,
    ) -> Result<JsMeter, JsValue> {
        let config = meter_config(&options)?;
        config.metrics.validate().map_err(config_error)?;
        Ok(JsMeter {
            inner: Meter::new(config, at(request_start_ms)?),
        })
    }

    /// The user's send action (click / Enter), if the app marks it.
    #[wasm_bindgen(js_name = markSend)]
    pub fn mark_send(&mut self, at_ms: f64) -> Result<(), JsValue> {
        self.inner.mark_send_action(at(at_ms)?);
        Ok(())
    }

    /// Response status and headers (`[name, value]` pairs) arrived at `atMs`.
    pub fn headers(
        &mut self,
        at_ms: f64,
        status: u16,
        #[wasm_bindgen(unchecked_param_type = "Array<[string, string]>")] headers: JsValue,
    ) -> Result<(), JsValue> {
        let pairs = header_pairs(&headers)?;
        self.inner.headers(
            at(at_ms)?,
            status,
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        Ok(())
    }

    /// A network read of the body arrived at `atMs` (the hot path: one call per read, not per token).
    pub fn chunk(&mut self, at_ms: f64, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.chunk(at(at_ms)?, bytes);
        Ok(())
    }

    /// A paint at `atMs` made text visible; `visibleChars` is the total visible now (Unicode code points).
    pub fn paint(&mut self, at_ms: f64, visible_chars: u32) -> Result<(), JsValue> {
        self.inner.paint(at(at_ms)?, visible_chars);
        Ok(())
    }

    /// A rendered frame that started at `frameStartMs` (call after that frame's `paint`, if any): counts
    /// frames and frames that left arrived answer text unpainted.
    pub fn frame(&mut self, frame_start_ms: f64) -> Result<(), JsValue> {
        self.inner.frame(at(frame_start_ms)?);
        Ok(())
    }

    /// The page observes long animation frames for this response (else the long-frame metrics are null).
    #[wasm_bindgen(js_name = observeLongFrames)]
    pub fn observe_long_frames(&mut self) {
        self.inner.observe_long_frames();
    }

    /// A long animation frame (LoAF entry `startTime`, `duration`, `blockingDuration`, ms); counted when
    /// ≥ 50 ms and overlapping the stream. Accepted after `end()` (entries arrive late).
    #[wasm_bindgen(js_name = longFrame)]
    pub fn long_frame(
        &mut self,
        start_ms: f64,
        duration_ms: f64,
        blocking_ms: f64,
    ) -> Result<(), JsValue> {
        self.inner
            .long_frame(at(start_ms)?, duration_ms, blocking_ms);
        Ok(())
    }

    /// Only the first paint with visible text is timed: later paints and frames are ignored, the report
    /// says `paintScope: "first"` and gives perceived TTFT without render lag, bursts or frame counts.
    #[wasm_bindgen(js_name = firstPaintOnly)]
    pub fn first_paint_only(&mut self) {
        self.inner.first_paint_only();
    }

    /// Marks the perceived (paint) metrics invalid, e.g. `"page-hidden"`; network metrics stay.
    #[wasm_bindgen(js_name = invalidatePerceived)]
    pub fn invalidate_perceived(&mut self, reason: &str) {
        self.inner.invalidate_perceived(reason);
    }

    /// Answer text captured since the last call (only with `captureText: true`). Stays in the page.
    #[wasm_bindgen(js_name = takeText)]
    pub fn take_text(&mut self) -> String {
        self.inner.take_text()
    }

    /// Ends the response: `reason` is `"eof"`, `"aborted"` (the client stopped), `"read-error"` (a body read
    /// failed: `interrupted`), `"error"` (no response) or `"not-streamed"`.
    pub fn end(&mut self, at_ms: f64, reason: &str) -> Result<(), JsValue> {
        let reason: EndReason = reason.parse().map_err(range_error)?;
        self.inner.end(at(at_ms)?, reason);
        Ok(())
    }

    /// True once `end()` was called.
    #[wasm_bindgen(getter)]
    pub fn ended(&self) -> bool {
        self.inner.is_ended()
    }

    /// Explicit-bucket counts of this response's per-chunk `series` (`"gaps"` or `"renderLag"`, ms) over strictly
    /// increasing `boundsMs` (OTLP buckets `(-inf, b0]`, …, `(b_last, +inf)`), followed by the samples' sum in ms:
    /// `boundsMs.length + 2` numbers. Throws `RangeError` on another series or bad bounds.
    #[wasm_bindgen(js_name = bucketCounts)]
    pub fn bucket_counts(&self, series: &str, bounds_ms: &[f64]) -> Result<Vec<f64>, JsValue> {
        if !crate::aggregate::SERIES.contains(&series) {
            return Err(bucket_error(crate::aggregate::BucketError::UnknownSeries(
                series.into(),
            )));
        }
        let b = crate::aggregate::series_buckets(self.inner.series_histogram(series), bounds_ms)
            .map_err(bucket_error)?;
        Ok(b.counts
            .iter()
            .map(|&c| c as f64)
            .chain([b.sum_ms])
            .collect())
    }

    /// The report so far (live while streaming, final after `end()`).
    #[wasm_bindgen(unchecked_return_type = "ResponseReport")]
    pub fn report(&self) -> Result<JsValue, JsValue> {
        Ok(to_js(&self.inner.report()))
    }
}
