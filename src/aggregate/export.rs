//! Export and import: HdrHistogram V2 + DEFLATE base64 (`HISTF…`) per metric, and `.hlog` interval logs.

use crate::map::Map;
use std::time::{Duration, UNIX_EPOCH};

use hdrhistogram::Histogram;
use hdrhistogram::serialization::interval_log::{IntervalLogWriterBuilder, Tag};
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::error::{ExportError, ImportError};
use super::metric::METRICS;
use super::store::Aggregate;
use crate::metrics::histogram::{LOWEST_DISCERNIBLE, SIGNIFICANT_DIGITS};

/// Largest base64 text [`Aggregate::import_metric`] accepts (4 MiB); a full-range histogram at 3
/// digits is far smaller.
pub const MAX_IMPORT_BASE64_LEN: usize = 4 << 20;

/// Standard base64 (RFC 4648: `+/`, canonical `=` padding), as `HISTF…` strings use; ASCII
/// whitespace (line wraps) is ignored.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    BASE64.decode(clean).ok()
}

impl Aggregate {
    /// One metric's histogram as HdrHistogram V2 + DEFLATE, base64 (starts with `HISTF`). Values are
    /// stored × the metric's scale (µs for times; see `aggregate::metric`). The out-of-range count is
    /// not part of the format.
    ///
    /// Returns an error if `metric` is unknown or serialization fails.
    pub fn export_metric(&self, metric: &str) -> Result<String, ExportError> {
        let (_, h) = self
            .metric(metric)
            .ok_or_else(|| ExportError::UnknownMetric(metric.to_owned()))?;
        let mut bytes = Vec::new();
        V2DeflateSerializer::new()
            .serialize(&h.histogram, &mut bytes)
            .map_err(|e| ExportError::Serialize(format!("{e:?}")))?;
        Ok(BASE64.encode(&bytes))
    }

    /// Every metric's histogram, by name (empty ones included).
    pub fn export_all(&self) -> Result<Map<&'static str, String>, ExportError> {
        METRICS
            .iter()
            .map(|m| Ok((m.name, self.export_metric(m.name)?)))
            .collect()
    }

    /// Decodes a `HISTF…` histogram (as [`Aggregate::export_metric`] writes it, stored × the
    /// metric's scale) and merges it into `metric`. Values beyond this histogram's range are counted
    /// out of range.
    ///
    /// Returns an error if `metric` is unknown, the text is too long, not base64, or not a V2 histogram.
    pub fn import_metric(&mut self, metric: &str, encoded: &str) -> Result<(), ImportError> {
        self.import_checked(metric, encoded, false)
    }

    /// Like [`Aggregate::import_metric`], but only for a histogram with this build's buckets (3 digits from 1), so
    /// the result has the same count in every bucket as if the values had been recorded here: the lossless
    /// merge of sharded reports.
    ///
    /// Returns an error as `import_metric` does, and [`ImportError::Incompatible`] for other bucket settings.
    pub fn merge_metric(&mut self, metric: &str, encoded: &str) -> Result<(), ImportError> {
        self.import_checked(metric, encoded, true)
    }

    fn import_checked(
        &mut self,
        metric: &str,
        encoded: &str,
        exact: bool,
    ) -> Result<(), ImportError> {
        if encoded.len() > MAX_IMPORT_BASE64_LEN {
            return Err(ImportError::TooLarge(encoded.len()));
        }
        let target = self
            .metric_mut(metric)
            .ok_or_else(|| ImportError::UnknownMetric(metric.to_owned()))?;
        let bytes = decode_base64(encoded).ok_or(ImportError::NotBase64)?;
        let settings = super::import_guard::check(&bytes)?;
        if exact
            && (settings.digits != u32::from(SIGNIFICANT_DIGITS)
                || settings.lowest != LOWEST_DISCERNIBLE)
        {
            return Err(ImportError::Incompatible {
                digits: settings.digits,
                lowest: settings.lowest,
            });
        }
        let h: Histogram<u64> = Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .map_err(|e| ImportError::NotAHistogram(format!("{e:?}")))?;
        // Value by value, so that values beyond 1 h (from a wider foreign histogram) are counted.
        for v in h.iter_recorded() {
            target.record_n(v.value_iterated_to(), v.count_at_value());
        }
        Ok(())
    }

    /// An HdrHistogram interval log (`.hlog`) with one interval per non-empty metric, tagged with the
    /// metric name. `start_epoch_s` is the interval start in seconds since the Unix epoch (the
    /// caller's clock: the core reads none); `interval_s` its length. The max column is the stored
    /// value / 1000 (ms for time metrics).
    ///
    /// Returns an error if a time is negative or not finite, or writing fails.
    pub fn interval_log(&self, start_epoch_s: f64, interval_s: f64) -> Result<String, ExportError> {
        let start = Duration::try_from_secs_f64(start_epoch_s)
            .map_err(|_| ExportError::InvalidTime(start_epoch_s))?;
        let length = Duration::try_from_secs_f64(interval_s)
            .map_err(|_| ExportError::InvalidTime(interval_s))?;
        let mut out = Vec::new();
        let mut serializer = V2DeflateSerializer::new();
        let mut writer = IntervalLogWriterBuilder::new()
            .add_comment("[Histogram log format version 1.3]")
            .add_comment("[chat-vitals: one interval per metric, Tag=<metric>; values stored x scale (us for times)]")
            .add_comment("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"")
            .with_start_time(UNIX_EPOCH + start)
            .with_max_value_divisor(1000.0)
            .begin_log_with(&mut out, &mut serializer)
            .map_err(|e| ExportError::Serialize(e.to_string()))?;
        for (def, h) in METRICS.iter().zip(&self.histograms) {
            if h.histogram.is_empty() {
                continue;
            }
            let tag = Tag::new(def.name);
            writer
                .write_histogram(&h.histogram, Duration::ZERO, length, tag)
                .map_err(|e| ExportError::Serialize(format!("{e:?}")))?;
        }
        String::from_utf8(out).map_err(|e| ExportError::Serialize(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_standard_padded_and_ignores_line_wraps() {
        assert_eq!(BASE64.encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(BASE64.encode(b"f"), "Zg==");
        assert_eq!(
            decode_base64("Zm9v\r\nYmFy").as_deref(),
            Some(&b"foobar"[..])
        );
        assert_eq!(decode_base64(" Zm8= ").as_deref(), Some(&b"fo"[..]));
        for bad in ["Zg=", "Z!==", "Zg==Zg==", "Zm9v-_"] {
            assert_eq!(decode_base64(bad), None, "{bad}");
        }
    }
}
