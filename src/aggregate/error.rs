//! Errors of aggregate exports and imports.

use std::fmt;

use super::metric::METRICS;

/// No aggregate metric has this name. The message names it and lists the valid names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownMetric(pub String);

impl crate::message::Message for UnknownMetric {
    fn message(&self) -> String {
        let names = crate::message::list(&mut METRICS.iter().map(|m| m.name));
        crate::message::concat(&["unknown metric \"", &self.0, "\"; use one of: ", &names])
    }
}

impl fmt::Display for UnknownMetric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::message::Message::message(self))
    }
}

impl std::error::Error for UnknownMetric {}

/// Why an export failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportError {
    /// No metric has this name. Use a name from `aggregate::METRICS` (e.g. `ttft`, `gaps`).
    UnknownMetric(String),
    /// The histogram could not be serialized (should not happen; please report it).
    Serialize(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::UnknownMetric(m) => UnknownMetric(m.clone()).fmt(f),
            ExportError::Serialize(e) => write!(
                f,
                "histogram serialization failed ({e}); this is a bug, please report it"
            ),
        }
    }
}

impl std::error::Error for ExportError {}

/// Why an import failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    /// No metric has this name. Use a name from `aggregate::METRICS`.
    UnknownMetric(String),
    /// The bytes are not a V2 (optionally DEFLATE-compressed) HdrHistogram. Export it with a V2 serializer.
    NotAHistogram(String),
    /// An exact merge needs the same buckets: these settings (digits, lowest value) differ from this build's.
    /// Merge histograms exported by chat-vitals (3 digits from 1), or use the lossy import.
    Incompatible {
        /// Significant digits of the input.
        digits: u32,
        /// Lowest discernible value of the input.
        lowest: u64,
    },
    /// Imported counts name a metric this build does not have (a report from another version).
    UnknownCounter(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::UnknownMetric(m) => UnknownMetric(m.clone()).fmt(f),
            ImportError::NotAHistogram(e) => write!(
                f,
                "not a V2 HdrHistogram ({e}); export it with a V2 or V2+DEFLATE serializer"
            ),
            ImportError::Incompatible { digits, lowest } => write!(
                f,
                "histogram settings differ ({digits} significant digits, lowest value {lowest}; this build uses {} digits from {}): its buckets cannot be merged exactly",
                crate::metrics::histogram::SIGNIFICANT_DIGITS,
                crate::metrics::histogram::LOWEST_DISCERNIBLE
            ),
            ImportError::UnknownCounter(name) => write!(
                f,
                "counts name metric \"{name}\", which this build does not have; merge reports written by the same chat-vitals version"
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Why explicit bucket bounds were refused.
#[derive(Clone, Debug, PartialEq)]
pub enum BucketError {
    /// A bound is NaN or infinite. Pass finite numbers in the metric's display unit.
    NotFinite(f64),
    /// Bounds must strictly increase (OTLP `explicitBounds`); these two do not.
    NotIncreasing(f64, f64),
    /// No per-chunk series has this name. Use `"gaps"` or `"renderLag"`.
    UnknownSeries(String),
}

impl fmt::Display for BucketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BucketError::NotFinite(b) => {
                write!(f, "bucket bound {b} is not finite; pass finite numbers")
            }
            BucketError::NotIncreasing(a, b) => write!(
                f,
                "bucket bounds must strictly increase, but {a} is followed by {b}"
            ),
            BucketError::UnknownSeries(s) => {
                write!(f, "unknown series \"{s}\"; use \"gaps\" or \"renderLag\"")
            }
        }
    }
}

impl std::error::Error for BucketError {}
