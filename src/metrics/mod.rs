//! Per-response recording and report.
//!
//! A [`Recorder`] is fed one response in stream order — `headers`, `bytes`, every decoded
//! [`crate::signal::Signal`], `paint`s, `end` — with timestamps as [`crate::time::Micros`] on the
//! caller's clock. It computes every metric online (running sums, Welford, a per-response gap
//! HdrHistogram, online fluidity/QoE/stall state), so memory stays bounded while the metrics stay
//! exact; only the raw timeline is capped. [`Recorder::report`] gives a [`ResponseReport`] at any time.
//!
//! Definitions, formulas and the names other tools use are in `docs/METRICS.md`. In short:
//! - a *chunk* is every delta with the same `at` (one network read); splitting one read into more
//!   deltas with the same timestamp changes no metric except per-delta token counting;
//! - *output* text is `content` and `reasoning` deltas; tool and other text is counted but does not
//!   start a chunk gap or a token;
//! - gaps are between consecutive output chunks; TPOT divides by N − 1 output tokens.

mod build;
mod config;
mod fluidity;
mod frames;
mod gap_stats;
pub mod histogram;
mod names;
mod paint;
mod qoe;
mod recorder;
mod report;
mod timeline;

pub use config::{
    ConfigError, CostConfig, DEFAULT_STALL_THRESHOLD_MS, DEFAULT_TIMELINE_CAP, FluidityConfig,
    MetricsConfig, QoeConfig,
};
pub use frames::LONG_FRAME_MIN_MS;
pub use histogram::CountingHistogram;
pub(crate) use names::find_name;
pub use names::{
    FirstTokenRule, LENGTH_FINISH_REASONS, Outcome, UnknownNameError, is_length_limit,
};
pub use paint::MAX_WAITING_CHUNKS;
pub use recorder::{MAX_FINISH_REASON_BYTES, Recorder};
pub use report::{PaintScope, ReportDiagnostic, ResponseReport, TokenSource, TtftByRule};
pub use timeline::{ChunkRecord, PaintRecord, Timeline};
