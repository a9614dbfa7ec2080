//! Etalon fluidity-index, computed online (metrics.md §4.1).
//!
//! Each token is a periodic task with a deadline increment `D` (`D_p` for the first token, `D_d`
//! after). Unused time accumulates as slack; a token that misses its deadline counts
//! `1 + ⌊(t − slack − D_p)/D_d⌋` misses (first token) or `⌊(t − slack)/D_d⌋` misses (later tokens) and
//! resets the slack, exactly as `etalon/metrics/metric_utils.py`. fluidity-index = 1 − missed/total.
//!
//! Intervals are `[TTFT, gap₁, gap₂, …]` per *token*: a chunk carrying k tokens contributes its
//! arrival interval for its first token and k − 1 intervals of 0 for the rest (they arrived together,
//! so each of them meets its deadline and adds `D_d` of slack).

/// Online fluidity state. Times in µs.
#[derive(Clone, Debug)]
pub struct Fluidity {
    ttft_deadline_us: u64,
    tbt_deadline_us: u64,
    slack_us: u64,
    missed: u64,
    total: u64,
    enabled: bool,
}

impl Fluidity {
    /// New state; deadlines in ms. A non-positive or non-finite deadline disables the metric (`None`).
    pub fn new(ttft_deadline_ms: f64, tbt_deadline_ms: f64) -> Self {
        let to_us = |ms: f64| {
            if ms.is_finite() && ms > 0.0 {
                (ms * 1000.0).round() as u64
            } else {
                0
            }
        };
        let (p, d) = (to_us(ttft_deadline_ms), to_us(tbt_deadline_ms));
        Fluidity {
            ttft_deadline_us: p,
            tbt_deadline_us: d,
            slack_us: 0,
            missed: 0,
            total: 0,
            enabled: p > 0 && d > 0,
        }
    }

    /// Feeds one output chunk: `interval_us` is TTFT for the first chunk, else the gap to the previous
    /// output chunk; `tokens` (≥ 1 is assumed; 0 is treated as 1) arrived together.
    pub fn chunk(&mut self, interval_us: u64, tokens: u64) {
        if !self.enabled {
            return;
        }
        self.token(interval_us);
        // The other k − 1 tokens have interval 0.
        self.same_time(tokens.saturating_sub(1));
    }

    /// `tokens` more tokens arrived with the previous one (interval 0): each meets its deadline and
    /// adds `D_d` of slack.
    pub fn same_time(&mut self, tokens: u64) {
        if !self.enabled || self.total == 0 {
            return;
        }
        self.total = self.total.saturating_add(tokens);
        self.slack_us = self
            .slack_us
            .saturating_add(tokens.saturating_mul(self.tbt_deadline_us));
    }

    fn token(&mut self, t_us: u64) {
        let first = self.total == 0 && self.missed == 0;
        let deadline = if first {
            self.ttft_deadline_us
        } else {
            self.tbt_deadline_us
        };
        if t_us <= deadline.saturating_add(self.slack_us) {
            self.slack_us = self.slack_us.saturating_add(deadline) - t_us;
            self.total += 1;
            return;
        }
        let misses = if first {
            1 + (t_us - self.slack_us - deadline) / self.tbt_deadline_us
        } else {
            (t_us - self.slack_us) / self.tbt_deadline_us
        };
        self.missed = self.missed.saturating_add(misses);
        self.total = self.total.saturating_add(misses);
        self.slack_us = 0;
    }

    /// fluidity-index in [0, 1]; `None` before the first token or when disabled.
    pub fn index(&self) -> Option<f64> {
        (self.enabled && self.total > 0).then(|| 1.0 - self.missed as f64 / self.total as f64)
    }

    /// (missed deadlines, total deadlines).
    pub fn counts(&self) -> (u64, u64) {
        (self.missed, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(intervals_ms: &[u64]) -> Fluidity {
        let mut f = Fluidity::new(100.0, 50.0);
        for &t in intervals_ms {
            f.chunk(t * 1000, 1);
        }
        f
    }

    #[test]
    fn steady_stream_is_fluid() {
        assert_eq!(run(&[100, 50, 50, 50]).index(), Some(1.0));
    }

    #[test]
    fn late_first_token_misses() {
        // t = 260: 1 + (260 − 0 − 100) // 50 = 1 + 3 = 4 misses, then one hit.
        let f = run(&[260, 50]);
        assert_eq!(f.counts(), (4, 5));
    }

    #[test]
    fn chunk_tokens_add_slack() {
        let mut f = Fluidity::new(100.0, 50.0);
        f.chunk(100_000, 3); // slack 0 + 2 × 50 ms
        f.chunk(150_000, 1); // 150 ≤ 50 + 100
        assert_eq!(f.index(), Some(1.0));
    }

    #[test]
    fn disabled_with_bad_deadline() {
        let mut f = Fluidity::new(100.0, 0.0);
        f.chunk(1, 1);
        assert_eq!(f.index(), None);
    }
}
