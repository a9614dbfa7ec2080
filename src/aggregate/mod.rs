//! HdrHistograms across responses: one `Histogram<u64>` per metric (1 … 3.6·10⁹ stored units, 3
//! significant digits), summaries, merge, and HdrHistogram V2 export and import (the JS binding wraps them as `HISTF…` and `.hlog`).
//!
//! Scales per unit are listed once, in [`metric`]. Warm-up responses are skipped by count
//! ([`AggregateConfig::warmup`]); perceived metrics of invalidated responses are skipped.

mod buckets;
mod counts;
mod error;
#[cfg(feature = "full")]
mod export;
#[cfg(feature = "full")]
mod import_guard;
pub mod metric;
mod shape;
mod store;
mod summary;
#[cfg(feature = "full")]
mod v2;

pub use buckets::{SERIES, SeriesBuckets, explicit_bucket_counts, series_buckets};
pub use counts::{AggregateCounts, MetricCounts};
pub use error::{BucketError, ExportError, ImportError, UnknownMetric};
#[cfg(feature = "full")]
pub use export::IntervalEntry;
pub use metric::{METRICS, MetricDef, MetricRow, Source, metric_table};
pub use shape::{Bin, SpectrumPoint};
pub use store::{Aggregate, AggregateConfig, MAX_FINISH_REASONS, OTHER_FINISH_REASONS};
pub use summary::{AggregateSummary, MetricSummary};
