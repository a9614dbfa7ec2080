//! Cost per response (issue 13): `costUsd`, `costPer1kOutputTokensUsd` and
//! `outputTokensPerSecondPerUsd` in reports, aggregated in the summary and limited by budgets;
//! ratio summaries stay inside their range.

use chat_vitals::aggregate::{Aggregate, AggregateConfig};
use chat_vitals::budget::check_budget;
use chat_vitals::meter::{EndReason, Meter, MeterConfig};
use chat_vitals::metrics::{CostConfig, MetricsConfig};
use chat_vitals::time::Micros;

/// 1 content chunk at 100 ms, usage 1000 in / 500 out, `[DONE]` at 200 ms.
fn priced_report(cost: Option<CostConfig>) -> chat_vitals::metrics::ResponseReport {
    let config = MeterConfig {
        metrics: MetricsConfig {
            cost,
            ..MetricsConfig::default()
        },
        ..MeterConfig::default()
    };
    let mut m = Meter::new(config, Micros(0));
    m.chunk(
        Micros(100_000),
        b"data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n",
    );
    m.chunk(
        Micros(200_000),
        b"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500}}\n\ndata: [DONE]\n\n",
    );
    m.end(Micros(200_000), EndReason::Eof);
    m.report().response
}

const PRICES: CostConfig = CostConfig {
    input_usd_per_mtok: 2.0,
    output_usd_per_mtok: 8.0,
};

#[test]
fn a_priced_report_carries_cost_cost_per_1k_output_tokens_and_throughput_per_usd() {
    let r = priced_report(Some(PRICES));
    // 1000 × $2/M + 500 × $8/M = $0.002 + $0.004.
    let cost = r.cost_usd.expect("priced");
    assert!((cost - 0.006).abs() < 1e-12, "{cost}");
    let per_1k = r.cost_per_1k_output_tokens_usd.expect("output tokens > 0");
    assert!((per_1k - 0.012).abs() < 1e-12, "{per_1k}");
    // 500 tokens by the last content chunk at 100 ms = 5000 tokens/s, per $0.006.
    let tps = r.output_tokens_per_second.expect("tokens/s");
    assert!((tps - 5000.0).abs() < 1e-9, "{tps}");
    let per_usd = r.output_tokens_per_second_per_usd.expect("cost > 0");
    assert!((per_usd - 5000.0 / 0.006).abs() < 1e-6, "{per_usd}");

    let unpriced = priced_report(None);
    assert_eq!(unpriced.cost_usd, None);
    assert_eq!(unpriced.cost_per_1k_output_tokens_usd, None);
}

#[test]
fn the_summary_aggregates_cost_and_budgets_accept_it() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    for _ in 0..3 {
        agg.add(&priced_report(Some(PRICES)));
    }
    let s = agg.summary();
    let cost = &s.metrics["costUsd"];
    assert_eq!((cost.count, cost.unit), (3, "usd"));
    assert!((cost.p95.unwrap() - 0.006).abs() < 0.006 * 1e-3, "{cost:?}");
    let per_1k = &s.metrics["costPer1kOutputTokens"];
    assert!(
        (per_1k.mean.unwrap() - 0.012).abs() < 0.012 * 1e-3,
        "{per_1k:?}"
    );
    assert_eq!(s.metrics["outputTokensPerSecondPerUsd"].count, 3);

    assert!(
        check_budget(
            r#"{"costUsd.p95": 0.01, "costPer1kOutputTokens.max": 0.02}"#,
            &agg
        )
        .unwrap()
        .pass
    );
    let fail = check_budget(r#"{"costUsd.p95": 0.005}"#, &agg).unwrap();
    assert!(!fail.pass);
    assert!(
        fail.violations[0].reason.contains("usd"),
        "{:?}",
        fail.violations
    );
}

#[test]
fn ratio_summaries_never_exceed_one() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    for _ in 0..5 {
        let r = priced_report(None);
        assert_eq!(r.fluidity_index, Some(1.0));
        assert!(
            r.qoe.is_some_and(|q| q > 0.999_999 && q <= 1.0),
            "{:?}",
            r.qoe
        );
        agg.add(&r);
    }
    let s = agg.summary();
    assert_eq!(s.metrics["fluidity"].max, Some(1.0));
    assert_eq!(s.metrics["fluidity"].p50, Some(1.0));
    for name in ["fluidity", "qoe", "burstShareChunk"] {
        let m = &s.metrics[name];
        for (stat, v) in [
            ("min", m.min),
            ("max", m.max),
            ("mean", m.mean),
            ("p50", m.p50),
            ("p99.9", m.p99_9),
        ] {
            let v = v.expect("samples");
            // Samples of (nearly) 1 sit in a bucket whose highest value is 1.000447: never shown.
            assert!(v <= 1.0 && v > 0.999, "{name}.{stat} = {v}");
        }
    }
    // Budgets read the same clamped values: a 1.0 limit on a lower-is-better share holds.
    assert!(
        check_budget(r#"{"burstShareChunk.max": 1.0}"#, &agg)
            .unwrap()
            .pass
    );
}
