//! Frame-side state while a response streams: rendered frames, frames that left arrived text
//! unpainted, and long animation frames (≥ 50 ms) that overlap the stream.

use crate::time::Micros;

/// A frame at least this long is a long animation frame (the W3C Long Animation Frames threshold).
pub const LONG_FRAME_MIN_MS: f64 = 50.0;

/// Online frame statistics.
#[derive(Clone, Debug, Default)]
pub struct FrameStats {
    /// Rendered frames seen while the response was live.
    pub frames: u64,
    /// Frames that started after answer text arrived and still did not show it.
    pub unpainted_frames: u64,
    /// Long animation frames overlapping the stream.
    pub long_frames: u64,
    /// Sum of their durations, µs.
    pub long_total_us: u64,
    /// Sum of their blocking durations, µs.
    pub long_blocking_us: u64,
    /// Longest one, µs.
    pub long_max_us: u64,
    /// The caller observes long animation frames (else the long-frame metrics are undefined).
    pub long_observed: bool,
}

fn ms_to_us(ms: f64) -> u64 {
    if ms.is_finite() && ms > 0.0 {
        // `as` saturates on overflow.
        (ms * 1000.0).round() as u64
    } else {
        0
    }
}

impl FrameStats {
    /// A frame was rendered; `text_waiting` = answer text that arrived before it started was still
    /// not visible after its paint.
    pub fn frame(&mut self, text_waiting: bool) {
        self.frames += 1;
        if text_waiting {
            self.unpainted_frames += 1;
        }
    }

    /// A long animation frame `[start, start + duration_ms]`; counted when it is at least
    /// [`LONG_FRAME_MIN_MS`] long and overlaps `[window_start, window_end]` (`None` = still live).
    pub fn long_frame(
        &mut self,
        start: Micros,
        duration_ms: f64,
        blocking_ms: f64,
        window_start: Micros,
        window_end: Option<Micros>,
    ) {
        if !(duration_ms.is_finite() && duration_ms >= LONG_FRAME_MIN_MS) {
            return;
        }
        let duration_us = ms_to_us(duration_ms);
        let end = Micros(start.0.saturating_add(duration_us));
        if end < window_start || window_end.is_some_and(|w| start > w) {
            return;
        }
        self.long_frames += 1;
        self.long_total_us = self.long_total_us.saturating_add(duration_us);
        self.long_blocking_us = self
            .long_blocking_us
            .saturating_add(ms_to_us(blocking_ms).min(duration_us));
        self.long_max_us = self.long_max_us.max(duration_us);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_frames_outside_the_window_or_short_are_ignored() {
        let mut f = FrameStats::default();
        let (w0, w1) = (Micros(100_000), Some(Micros(500_000)));
        f.long_frame(Micros(0), 80.0, 30.0, w0, w1); // ends at 80 ms, before the window
        f.long_frame(Micros(60_000), 45.0, 0.0, w0, w1); // short
        f.long_frame(Micros(501_000), 90.0, 40.0, w0, w1); // after
        f.long_frame(Micros(60_000), 50.0, 0.0, w0, w1); // touches the start: counted
        f.long_frame(Micros(450_000), 120.0, 70.0, w0, w1); // runs past the end: counted
        f.long_frame(Micros(200_000), f64::NAN, 1.0, w0, w1);
        assert_eq!(f.long_frames, 2);
        assert_eq!(f.long_total_us, 170_000);
        assert_eq!(f.long_blocking_us, 70_000);
        assert_eq!(f.long_max_us, 120_000);
    }

    #[test]
    fn blocking_is_capped_by_duration() {
        let mut f = FrameStats::default();
        f.long_frame(Micros(0), 60.0, 1e9, Micros(0), None);
        assert_eq!(f.long_blocking_us, 60_000);
    }
}
