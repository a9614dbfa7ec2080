//! Andes reading-pace QoE, computed online (metrics.md §4.2).
//!
//! Expected curve `T(t) = min(l, max(0, TDS·(t − TTFT_expected)))`. Actual digestion curve `A(t)`:
//! the reader consumes delivered tokens at most at `TDS` tokens/s and never gets ahead of delivery.
//! QoE = ∫₀ᴴ min(A, T) dt / ∫₀ᴴ T dt with `H` = the later of the two curves reaching `l` (both stay at
//! `l` afterwards). Taking `min(A, T)` encodes "delivering faster than the reader digests adds
//! nothing", so QoE ∈ [0, 1]. With a penalty base α, QoE is multiplied by
//! α^max(0, TTFT_actual − TTFT_expected) (seconds). Because `A ≤ l`, `min(A, T)` does not depend on
//! `l`, so the numerator integrates online as chunks arrive; `l` enters only at the end.

/// Online QoE state. Times in seconds since request start, amounts in tokens.
#[derive(Clone, Debug)]
pub struct Qoe {
    tds: f64,
    t_exp: f64,
    alpha: Option<f64>,
    a_time: f64,
    a_level: f64,
    delivered: f64,
    area: f64,
    first_at: Option<f64>,
    enabled: bool,
}

impl Qoe {
    /// New state. Invalid parameters (speed ≤ 0, negative expected TTFT, α outside [0, 1]) disable it.
    pub fn new(tokens_per_s: f64, ttft_expected_ms: f64, alpha: Option<f64>) -> Self {
        let enabled = tokens_per_s.is_finite()
            && tokens_per_s > 0.0
            && ttft_expected_ms.is_finite()
            && ttft_expected_ms >= 0.0
            && alpha.is_none_or(|a| (0.0..=1.0).contains(&a));
        Qoe {
            tds: tokens_per_s,
            t_exp: ttft_expected_ms / 1000.0,
            alpha,
            a_time: 0.0,
            a_level: 0.0,
            delivered: 0.0,
            area: 0.0,
            first_at: None,
            enabled,
        }
    }

    /// `tokens` were delivered at `at_s` seconds after the request.
    pub fn deliver(&mut self, at_s: f64, tokens: u64) {
        if !self.enabled {
            return;
        }
        self.first_at.get_or_insert(at_s);
        self.advance(at_s);
        self.delivered += tokens as f64;
    }

    /// The QoE so far (final once the stream ended); `None` before any token or when disabled.
    pub fn value(&self) -> Option<f64> {
        if !self.enabled || self.delivered <= 0.0 {
            return None;
        }
        let mut s = self.clone();
        let l = s.delivered;
        let a_end = s.a_time + (l - s.a_level) / s.tds;
        s.advance(a_end);
        let t_end = s.t_exp + l / s.tds;
        let h = t_end.max(a_end);
        let num = s.area + s.segment(a_end, h, l, l);
        let den = l * (l / s.tds) / 2.0 + l * (h - t_end);
        if den <= 0.0 || !num.is_finite() {
            return None;
        }
        let mut qoe = (num / den).clamp(0.0, 1.0);
        if let (Some(alpha), Some(first)) = (s.alpha, s.first_at) {
            qoe *= penalty(alpha, (first - s.t_exp).max(0.0));
        }
        Some(qoe)
    }

    /// Moves the digestion curve forward to `to` with the tokens delivered so far.
    fn advance(&mut self, to: f64) {
        if to <= self.a_time {
            return;
        }
        let (t0, a0) = (self.a_time, self.a_level);
        let reach = t0 + (self.delivered - a0) / self.tds;
        let ramp_end = reach.min(to);
        if ramp_end > t0 {
            let a1 = a0 + self.tds * (ramp_end - t0);
            self.area += self.segment(t0, ramp_end, a0, a1);
            self.a_level = a1;
        }
        if to > ramp_end {
            self.area += self.segment(ramp_end.max(t0), to, self.delivered, self.delivered);
            self.a_level = self.delivered;
        }
        self.a_time = to;
    }

    fn expected(&self, t: f64) -> f64 {
        (self.tds * (t - self.t_exp)).max(0.0)
    }

    /// ∫ min(f, T) over [t0, t1] for linear f from f0 to f1 (T uncapped: f ≤ l makes the cap moot).
    fn segment(&self, t0: f64, t1: f64, f0: f64, f1: f64) -> f64 {
        if t1 <= t0 {
            return 0.0;
        }
        if t0 < self.t_exp && self.t_exp < t1 {
            let fm = f0 + (f1 - f0) * (self.t_exp - t0) / (t1 - t0);
            return self.segment(t0, self.t_exp, f0, fm) + self.segment(self.t_exp, t1, fm, f1);
        }
        min_of_linear(t0, t1, f0, f1, self.expected(t0), self.expected(t1))
    }
}

/// ∫ min(f, g) over [t0, t1] for two linear functions given by their end values.
fn min_of_linear(t0: f64, t1: f64, f0: f64, f1: f64, g0: f64, g1: f64) -> f64 {
    let (d0, d1) = (f0 - g0, f1 - g1);
    if d0 * d1 < 0.0 {
        let r = d0 / (d0 - d1);
        let tc = t0 + r * (t1 - t0);
        let fc = f0 + r * (f1 - f0);
        return min_of_linear(t0, tc, f0, fc, g0, fc) + min_of_linear(tc, t1, fc, f1, fc, g1);
    }
    let (lo0, lo1) = if d0 + d1 <= 0.0 { (f0, f1) } else { (g0, g1) };
    (lo0 + lo1) / 2.0 * (t1 - t0)
}

/// `alpha^late_s` for `alpha` in [0, 1] and `late_s` ≥ 0, as `exp(late_s · ln alpha)`: libm's `exp` and `log`
/// are 1.1 KB raw (540 B brotli) of wasm smaller than its `pow` (BENCHMARKS.md row 3), and agree with `powf`
/// within 1e-12 relative (test).
fn penalty(alpha: f64, late_s: f64) -> f64 {
    if late_s == 0.0 {
        return 1.0;
    }
    (late_s * alpha.ln()).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qoe(deliveries: &[(f64, u64)], alpha: Option<f64>) -> Option<f64> {
        // 2 tokens/s, first token expected at 1 s.
        let mut q = Qoe::new(2.0, 1000.0, alpha);
        for &(t, k) in deliveries {
            q.deliver(t, k);
        }
        q.value()
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn on_time_is_one() {
        assert!(close(qoe(&[(1.0, 4)], None), 1.0));
        // Earlier than expected adds nothing beyond 1.
        assert!(close(qoe(&[(0.2, 4)], None), 1.0));
    }

    #[test]
    fn late_start_halves() {
        // A = 2(t − 2) on [2, 4]: ∫ = 4. Expected: 4 (ramp 1..3) + 4 (flat 3..4) = 8.
        assert!(close(qoe(&[(2.0, 4)], None), 0.5));
        assert!(close(qoe(&[(2.0, 4)], Some(0.5)), 0.25));
    }

    #[test]
    fn mid_stream_pause() {
        // ∫ min: 1 on [1,2] + 2 on [2,3] + 3 on [3,4] = 6; expected 8.
        assert!(close(qoe(&[(1.0, 2), (3.0, 2)], None), 0.75));
    }

    #[test]
    fn nothing_delivered_is_undefined() {
        assert_eq!(qoe(&[], None), None);
        assert_eq!(Qoe::new(0.0, 1000.0, None).value(), None);
    }

    #[test]
    fn penalty_agrees_with_powf() {
        for alpha in [0.0, 1e-9, 0.3, 0.5, 0.9, 0.999, 1.0] {
            for late_s in [0.0, 1e-6, 0.25, 1.0, 2.5, 30.0] {
                let want = f64::powf(alpha, late_s);
                let got = penalty(alpha, late_s);
                assert!(
                    (got - want).abs() <= 1e-12 * want.max(1e-300),
                    "{alpha}^{late_s}: {got} vs {want}"
                );
            }
        }
    }
}
