//! Export and import in HdrHistogram's V2 encoding, one metric at a time. The `HISTF…` text (V2 + DEFLATE,
//! base64) and the `.hlog` interval log are written by the JS binding (`src/wasm/histf.js`) with the browser's
//! `CompressionStream`: no DEFLATE in the wasm (BENCHMARKS.md row 3).

use hdrhistogram::serialization::{Serializer, V2Serializer};

use super::error::{ExportError, ImportError};
use super::metric::METRICS;
use super::store::Aggregate;
use super::v2;
use crate::metrics::histogram::{LOWEST_DISCERNIBLE, SIGNIFICANT_DIGITS};

/// One non-empty metric of an interval log: what a `.hlog` line needs besides the times.
#[derive(Clone, Debug, PartialEq)]
pub struct IntervalEntry {
    /// The metric's name (the line's `Tag=`).
    pub tag: &'static str,
    /// The largest stored value (× the metric's scale; the log's max column is this / 1000).
    pub max_stored: u64,
    /// The histogram, V2-encoded.
    pub v2: Vec<u8>,
}

impl Aggregate {
    /// One metric's histogram, V2-encoded (uncompressed; the crate's `V2Serializer`). Values are stored × the
    /// metric's scale (µs for times; see `aggregate::metric`). The out-of-range count is not part of the format.
    ///
    /// Returns an error if `metric` is unknown or serialization fails.
    pub fn encode_metric(&self, metric: &str) -> Result<Vec<u8>, ExportError> {
        let (_, h) = self
            .metric(metric)
            .ok_or_else(|| ExportError::UnknownMetric(metric.to_owned()))?;
        encode(&h.histogram)
    }

    /// Every metric's histogram, V2-encoded, by name (empty ones included), in [`METRICS`] order.
    pub fn encode_all(&self) -> Result<Vec<(&'static str, Vec<u8>)>, ExportError> {
        METRICS
            .iter()
            .zip(&self.histograms)
            .map(|(m, h)| Ok((m.name, encode(&h.histogram)?)))
            .collect()
    }

    /// The non-empty metrics, as an interval log writes them (one tagged interval each).
    pub fn interval_entries(&self) -> Result<Vec<IntervalEntry>, ExportError> {
        METRICS
            .iter()
            .zip(&self.histograms)
            .filter(|(_, h)| !h.histogram.is_empty())
            .map(|(m, h)| {
                Ok(IntervalEntry {
                    tag: m.name,
                    max_stored: h.histogram.max(),
                    v2: encode(&h.histogram)?,
                })
            })
            .collect()
    }

    /// Decodes an uncompressed V2 histogram (as [`Aggregate::encode_metric`] writes it, stored × the metric's
    /// scale) and merges it into `metric`. Values beyond this histogram's range are counted out of range.
    ///
    /// Returns an error if `metric` is unknown or the bytes are not an uncompressed V2 histogram.
    pub fn import_metric(&mut self, metric: &str, v2_bytes: &[u8]) -> Result<(), ImportError> {
        self.import_checked(metric, v2_bytes, false)
    }

    /// Like [`Aggregate::import_metric`], but only for a histogram with this build's buckets (3 digits from 1), so
    /// the result has the same count in every bucket as if the values had been recorded here: the lossless
    /// merge of sharded reports.
    ///
    /// Returns an error as `import_metric` does, and [`ImportError::Incompatible`] for other bucket settings.
    pub fn merge_metric(&mut self, metric: &str, v2_bytes: &[u8]) -> Result<(), ImportError> {
        self.import_checked(metric, v2_bytes, true)
    }

    fn import_checked(
        &mut self,
        metric: &str,
        v2_bytes: &[u8],
        exact: bool,
    ) -> Result<(), ImportError> {
        let target = self
            .metric_mut(metric)
            .ok_or_else(|| ImportError::UnknownMetric(metric.to_owned()))?;
        // The header's settings first: other buckets are the reason an exact merge fails, whatever the payload.
        let header = super::import_guard::check(v2_bytes)?;
        let s = header.settings;
        if exact && (s.digits != u32::from(SIGNIFICANT_DIGITS) || s.lowest != LOWEST_DISCERNIBLE) {
            return Err(ImportError::Incompatible {
                digits: s.digits,
                lowest: s.lowest,
            });
        }
        let buckets = v2::buckets(&header)?;
        // Value by value, so that values beyond 1 h (from a wider foreign histogram) are counted.
        for (value, count) in buckets {
            target.record_n(value, count);
        }
        Ok(())
    }
}

fn encode(h: &hdrhistogram::Histogram<u64>) -> Result<Vec<u8>, ExportError> {
    let mut bytes = Vec::new();
    V2Serializer::new()
        .serialize(h, &mut bytes)
        .map_err(|e| ExportError::Serialize(serialize_error(&e)))?;
    Ok(bytes)
}

/// The serializer's error by kind (its `Debug` would link `str`'s escaping and the Unicode tables).
fn serialize_error(e: &hdrhistogram::serialization::V2SerializeError) -> String {
    use hdrhistogram::serialization::V2SerializeError::*;
    match e {
        CountNotSerializable => "a count above 2^63 cannot be encoded",
        UsizeTypeTooSmall => "the histogram is too large for this platform",
        IoError(_) => "write failed",
    }
    .to_owned()
}
