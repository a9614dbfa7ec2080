//! `Aggregate::record_values`: raw samples in display units, batched (the benchmark's histogram path).

use chat_vitals::aggregate::{Aggregate, AggregateConfig};

#[test]
fn records_display_values_and_counts_the_rest_out_of_range() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    let recorded = agg.record_values("gaps", &[1.0, 2.0, 3.0, -1.0, f64::NAN, 4e9]);
    assert_eq!(recorded, Some(3));
    let (_, h) = agg.metric("gaps").expect("gaps exists");
    assert_eq!(h.histogram.len(), 3);
    assert_eq!(h.out_of_range, 3);
    // Stored in µs (scale 1000): 2 ms is the median, within 3 significant digits.
    assert!(
        h.histogram
            .equivalent(h.histogram.value_at_quantile(0.5), 2000)
    );
    assert_eq!(agg.responses(), 0, "samples are not responses");
}

#[test]
fn unknown_metric_is_none() {
    let mut agg = Aggregate::new(AggregateConfig::default());
    assert_eq!(agg.record_values("nope", &[1.0]), None);
}
