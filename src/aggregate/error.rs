//! Errors of aggregate exports and imports.

use std::fmt;

/// Why an export failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportError {
    /// No metric has this name. Use a name from `aggregate::METRICS` (e.g. `ttft`, `gaps`).
    UnknownMetric(String),
    /// A time was negative, NaN or too large. Pass seconds since the epoch (e.g. `Date.now() / 1000`) and a positive interval.
    InvalidTime(f64),
    /// The histogram could not be serialized (should not happen; please report it).
    Serialize(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::UnknownMetric(m) => UnknownMetric(m).fmt(f),
            ExportError::InvalidTime(t) => write!(
                f,
                "time {t} s is negative, NaN or too large; pass seconds since the epoch and a positive interval"
            ),
            ExportError::Serialize(e) => write!(
                f,
                "histogram serialization failed ({e}); this is a bug, please report it"
            ),
        }
    }
}

impl std::error::Error for ExportError {}

/// No metric has this name: the message of [`ExportError::UnknownMetric`] without the rest of `ExportError`'s
/// `Display` (which formats floats; the embedded wasm build uses this one).
pub struct UnknownMetric<'a>(pub &'a str);

impl fmt::Display for UnknownMetric<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown metric {:?}; use a name from aggregate::METRICS such as \"ttft\" or \"gaps\"",
            self.0
        )
    }
}

/// Why an import failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    /// No metric has this name. Use a name from `aggregate::METRICS`.
    UnknownMetric(String),
    /// The text is longer than `MAX_IMPORT_BASE64_LEN`. Import histograms one metric at a time.
    TooLarge(usize),
    /// The text is not standard base64. Pass the `HISTF…` string as exported, unmodified.
    NotBase64,
    /// The bytes are not a V2 (optionally DEFLATE-compressed) HdrHistogram. Export it with a V2 serializer.
    NotAHistogram(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::UnknownMetric(m) => write!(
                f,
                "unknown metric {m:?}; use a name from aggregate::METRICS such as \"ttft\""
            ),
            ImportError::TooLarge(n) => write!(
                f,
                "histogram text is {n} bytes, above the 4 MiB limit; import one metric at a time"
            ),
            ImportError::NotBase64 => f.write_str(
                "histogram text is not standard base64; pass the HISTF... string unmodified",
            ),
            ImportError::NotAHistogram(e) => write!(
                f,
                "not a V2 HdrHistogram ({e}); export it with a V2 or V2+DEFLATE serializer"
            ),
        }
    }
}

impl std::error::Error for ImportError {}
