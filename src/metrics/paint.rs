//! Paint-side state: chars per paint, paint bursts, and render lag (chunk arrival → the first paint
//! that shows all of that chunk's answer text).

use std::collections::VecDeque;

use super::histogram::CountingHistogram;
use crate::time::Micros;

/// Most chunks that can wait for a paint at the same time; older waiting chunks beyond this are
/// dropped from render lag and counted in `lag_dropped`. Only reached when paints stop arriving
/// (no observer attached, hidden page): 1024 × 16 B keeps a network-only response's memory flat
/// (BENCHMARKS.md row 5; 65 536 made a 1 M-token response hold ~1 MiB here).
pub const MAX_WAITING_CHUNKS: usize = 1024;

/// Online paint statistics.
#[derive(Clone, Debug, Default)]
pub struct PaintStats {
    /// Paint calls.
    pub paints: u64,
    /// Paints that made new text visible.
    pub growing_paints: u64,
    /// Total visible answer chars after the last paint.
    pub visible_chars: u64,
    /// Most chars one paint made visible.
    pub largest_burst_chars: u64,
    /// First paint with visible text.
    pub first_visible_at: Option<Micros>,
    /// Render lags, µs.
    pub lag: CountingHistogram,
    /// Largest render lag, µs.
    pub lag_max_us: u64,
    /// Chunks dropped from render lag because too many waited at once.
    pub lag_dropped: u64,
    waiting: VecDeque<(Micros, u64)>,
}

impl PaintStats {
    /// Answer text arrived: the cumulative answer chars are now `cumulative_chars`, at `at`.
    pub fn content_arrived(&mut self, at: Micros, cumulative_chars: u64) {
        if let Some(last) = self.waiting.back_mut()
            && last.0 == at
        {
            last.1 = cumulative_chars;
            return;
        }
        if self.waiting.len() >= MAX_WAITING_CHUNKS {
            self.waiting.pop_front();
            self.lag_dropped += 1;
        }
        self.waiting.push_back((at, cumulative_chars));
    }

    /// A paint at `at` shows `visible_chars` answer chars in total.
    pub fn paint(&mut self, at: Micros, visible_chars: u64) {
        self.paints += 1;
        if visible_chars > self.visible_chars {
            let burst = visible_chars - self.visible_chars;
            self.growing_paints += 1;
            self.largest_burst_chars = self.largest_burst_chars.max(burst);
            self.visible_chars = visible_chars;
            self.first_visible_at.get_or_insert(at);
        }
        while let Some(&(arrived, cumulative)) = self.waiting.front() {
            if cumulative > visible_chars || arrived > at {
                break;
            }
            let lag_us = at.since(arrived).as_micros();
            self.lag.record(lag_us);
            self.lag_max_us = self.lag_max_us.max(lag_us);
            self.waiting.pop_front();
        }
    }

    /// True when answer text that arrived at or before `at` is still not visible.
    pub fn text_waiting_since(&self, at: Micros) -> bool {
        self.waiting
            .front()
            .is_some_and(|&(arrived, _)| arrived <= at)
    }

    /// Mean chars made visible per growing paint; `None` before one.
    pub fn chars_per_paint_mean(&self) -> Option<f64> {
        (self.growing_paints > 0).then(|| self.visible_chars as f64 / self.growing_paints as f64)
    }

    /// Largest share of the visible text that appeared in one paint; `None` before any text.
    pub fn burst_share(&self) -> Option<f64> {
        (self.visible_chars > 0)
            .then(|| self.largest_burst_chars as f64 / self.visible_chars as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lag_is_first_covering_paint() {
        let mut p = PaintStats::default();
        p.content_arrived(Micros(1_000), 5);
        p.content_arrived(Micros(2_000), 9);
        p.paint(Micros(1_500), 5); // covers the first chunk: lag 500
        p.paint(Micros(2_100), 7); // does not cover the second
        p.paint(Micros(3_000), 9); // covers it: lag 1000
        assert_eq!(p.lag.histogram.len(), 2);
        assert_eq!(p.lag_max_us, 1_000);
        assert_eq!(p.largest_burst_chars, 5);
        assert_eq!(p.chars_per_paint_mean(), Some(3.0));
        assert_eq!(p.first_visible_at, Some(Micros(1_500)));
    }

    #[test]
    fn waiting_chunks_are_bounded_when_paints_stop() {
        let mut p = PaintStats::default();
        let n = MAX_WAITING_CHUNKS as u64 + 10;
        for i in 1..=n {
            p.content_arrived(Micros(i * 1_000), i);
        }
        assert_eq!(p.waiting.len(), MAX_WAITING_CHUNKS);
        assert_eq!(p.lag_dropped, 10);
        // A paint that covers everything records the lag of every chunk still waiting.
        p.paint(Micros((n + 1) * 1_000), n as u32 as u64);
        assert_eq!(p.lag.histogram.len(), MAX_WAITING_CHUNKS as u64);
        assert!(p.waiting.is_empty());
    }
}
