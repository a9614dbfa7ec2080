//! Timing profiles: what the simulated model sends and when (offsets from the request's arrival).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal, Normal};
use serde::Deserialize;

/// One network write: the tokens it carries, sent at `offset_ms` after the request arrived.
#[derive(Clone, Debug)]
pub struct Step {
    pub offset_ms: f64,
    pub tokens: Vec<String>,
}

/// The whole schedule of one response.
#[derive(Clone, Debug)]
pub struct Plan {
    pub profile: String,
    pub seed: u64,
    /// Delay before the role/preamble event (time the server takes to accept the request).
    pub preamble_ms: f64,
    pub steps: Vec<Step>,
    /// Delay after the last token before the finish/usage/terminator events.
    pub tail_ms: f64,
    /// Failure injection: close the connection after this many steps, without a terminator.
    pub truncate_after: Option<usize>,
    /// Failure injection: send an error payload after this many steps.
    pub error_after: Option<usize>,
    /// Failure injection, as llama-cpp-python does when it preempts a request: after this many
    /// steps send the format's end marker without a finish reason (`data: [DONE]`), then break the
    /// chunked body mid-chunk and close the connection (the browser's read fails).
    pub preempt_after: Option<usize>,
    /// Failure injection: answer with this HTTP status and a JSON error body instead of a stream.
    pub status: Option<u16>,
}

/// Options a request can set (JSON body field `sim`, or the `/p/<profile>,k=v,…/` path prefix).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SimOptions {
    pub profile: Option<String>,
    pub seed: Option<u64>,
    pub tokens: Option<usize>,
    /// Multiplies every delay (0.1 = ten times faster).
    pub scale: Option<f64>,
    /// Scripted schedule: TTFT and then one gap per further chunk.
    pub ttft_ms: Option<f64>,
    pub gaps_ms: Option<Vec<f64>>,
    pub tokens_per_chunk: Option<usize>,
    pub truncate_after: Option<usize>,
    pub error_after: Option<usize>,
    pub preempt_after: Option<usize>,
    pub status: Option<u16>,
}

/// The named profiles (`GET /__sim/profiles` lists them).
pub const PROFILES: &[(&str, &str)] = &[
    (
        "scripted",
        "fixed schedule: TTFT 120 ms, 30 ms gaps, one 400 ms stall at chunk 12 (or ttft_ms/gaps_ms from the request)",
    ),
    ("steady", "TTFT ~300 ms, one token every ~30 ms (±2 ms)"),
    (
        "bursty",
        "TTFT ~350 ms, 3–6 tokens per chunk every 80–150 ms",
    ),
    (
        "stalls",
        "TTFT ~300 ms, 30 ms gaps, 5% chance of a 0.6–1.5 s stall per chunk",
    ),
    (
        "slow-start",
        "lognormal TTFT (median 1.5 s, σ 0.6), then 30 ms gaps",
    ),
    (
        "heavy-tail",
        "lognormal TTFT (median 400 ms, σ 1.0) and lognormal gaps (median 25 ms, σ 0.8)",
    ),
    (
        "realistic",
        "lognormal TTFT (median 450 ms, σ 0.5), normal gaps 28±8 ms, 2% stalls of 0.3–0.9 s (seeded)",
    ),
];

const WORDS: &[&str] = &[
    "The",
    "stream",
    "arrives",
    "token",
    "by",
    "token,",
    "and",
    "the",
    "reader",
    "waits",
    "for",
    "café",
    "naïve",
    "日本語",
    "text",
    "🙂",
    "flows",
    "smoothly",
    "until",
    "a",
    "stall",
    "breaks",
    "rhythm.",
    "Then",
    "it",
    "resumes,",
    "steady",
    "again",
    "über",
    "fast",
    "answers",
    "matter.",
];

fn words(rng: &mut StdRng, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let w = WORDS[rng.gen_range(0..WORDS.len())];
            if i == 0 {
                w.to_string()
            } else {
                format!(" {w}")
            }
        })
        .collect()
}

/// Builds the plan for one request. `request_index` varies the default seed per request.
pub fn plan(opts: &SimOptions, default_profile: &str, request_index: u64) -> Result<Plan, String> {
    let profile = opts
        .profile
        .clone()
        .unwrap_or_else(|| default_profile.to_string());
    if !PROFILES.iter().any(|(p, _)| *p == profile) {
        let names: Vec<&str> = PROFILES.iter().map(|(p, _)| *p).collect();
        return Err(format!(
            "unknown profile {profile:?}; one of {}",
            names.join(", ")
        ));
    }
    let seed = opts.seed.unwrap_or(0x5EED_0000 + request_index);
    let scale = opts.scale.unwrap_or(1.0).clamp(0.0, 100.0);
    let mut rng = StdRng::seed_from_u64(seed);
    let n_tokens = opts.tokens.unwrap_or(40).clamp(0, 100_000);
    let lognormal =
        |median: f64, sigma: f64| LogNormal::new(median.ln(), sigma).expect("valid lognormal");
    let mut chunk_sizes = Vec::new();
    let mut gaps = Vec::new(); // gaps[0] = TTFT, then one gap per further chunk
    let per_chunk = opts.tokens_per_chunk.unwrap_or(1).max(1);
    let mut left = n_tokens;
    while left > 0 {
        let k = match profile.as_str() {
            "bursty" => rng.gen_range(3..=6),
            _ => per_chunk,
        }
        .min(left);
        chunk_sizes.push(k);
        left -= k;
    }
    for i in 0..chunk_sizes.len() {
        let g: f64 = match profile.as_str() {
            "scripted" => match (&opts.ttft_ms, &opts.gaps_ms) {
                (_, Some(gs)) if i > 0 => gs.get(i - 1).copied().unwrap_or(30.0),
                (Some(t), _) if i == 0 => *t,
                _ if i == 0 => 120.0,
                _ if i == 12 => 400.0,
                _ => 30.0,
            },
            "steady" if i == 0 => 300.0 + rng.gen_range(-20.0..20.0),
            "steady" => 30.0 + rng.gen_range(-2.0..2.0),
            "bursty" if i == 0 => 350.0 + rng.gen_range(-30.0..30.0),
            "bursty" => rng.gen_range(80.0..150.0),
            "stalls" if i == 0 => 300.0 + rng.gen_range(-20.0..20.0),
            "stalls" if rng.gen_bool(0.05) => rng.gen_range(600.0..1500.0),
            "stalls" => 30.0 + rng.gen_range(-3.0..3.0),
            "slow-start" if i == 0 => lognormal(1500.0, 0.6).sample(&mut rng),
            "slow-start" => 30.0 + rng.gen_range(-3.0..3.0),
            "heavy-tail" if i == 0 => lognormal(400.0, 1.0).sample(&mut rng),
            "heavy-tail" => lognormal(25.0, 0.8).sample(&mut rng),
            "realistic" if i == 0 => lognormal(450.0, 0.5).sample(&mut rng),
            "realistic" if rng.gen_bool(0.02) => rng.gen_range(300.0..900.0),
            _ => Normal::<f64>::new(28.0, 8.0)
                .expect("valid normal")
                .sample(&mut rng)
                .max(2.0),
        };
        gaps.push(g.clamp(0.0, 600_000.0) * scale);
    }
    let mut steps = Vec::with_capacity(chunk_sizes.len());
    let mut t = 0.0;
    for (k, gap) in chunk_sizes.iter().zip(&gaps) {
        t += gap;
        steps.push(Step {
            offset_ms: t,
            tokens: words(&mut rng, *k),
        });
    }
    // Keep words continuous across chunks: every chunk after the first token starts with a space.
    if let Some(first) = steps.first_mut().and_then(|s| s.tokens.first_mut()) {
        *first = first.trim_start().to_string();
    }
    for s in steps.iter_mut().skip(1) {
        if let Some(tok) = s.tokens.first_mut()
            && !tok.starts_with(' ')
        {
            tok.insert(0, ' ');
        }
    }
    Ok(Plan {
        profile,
        seed,
        preamble_ms: (5.0 * scale).min(steps.first().map_or(5.0, |s| s.offset_ms)),
        steps,
        tail_ms: 2.0 * scale,
        truncate_after: opts.truncate_after,
        error_after: opts.error_after,
        preempt_after: opts.preempt_after,
        status: opts.status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_plan() {
        let o = SimOptions {
            profile: Some("realistic".into()),
            seed: Some(7),
            ..Default::default()
        };
        let a = plan(&o, "steady", 0).unwrap();
        let b = plan(&o, "steady", 99).unwrap();
        let offs = |p: &Plan| p.steps.iter().map(|s| s.offset_ms).collect::<Vec<_>>();
        assert_eq!(offs(&a), offs(&b));
        assert_eq!(a.steps.len(), 40);
    }

    #[test]
    fn scripted_schedule_from_request() {
        let o = SimOptions {
            ttft_ms: Some(50.0),
            gaps_ms: Some(vec![10.0, 20.0]),
            tokens: Some(3),
            ..Default::default()
        };
        let p = plan(&o, "scripted", 0).unwrap();
        let offs: Vec<f64> = p.steps.iter().map(|s| s.offset_ms).collect();
        assert_eq!(offs, vec![50.0, 60.0, 80.0]);
    }

    #[test]
    fn bursty_has_multi_token_chunks_and_unknown_profile_errors() {
        let o = SimOptions {
            profile: Some("bursty".into()),
            seed: Some(1),
            ..Default::default()
        };
        let p = plan(&o, "steady", 0).unwrap();
        assert!(p.steps.iter().any(|s| s.tokens.len() >= 3));
        assert_eq!(p.steps.iter().map(|s| s.tokens.len()).sum::<usize>(), 40);
        let bad = SimOptions {
            profile: Some("nope".into()),
            ..Default::default()
        };
        assert!(
            plan(&bad, "steady", 0)
                .unwrap_err()
                .contains("unknown profile")
        );
    }
}
