//! Aggregated paths (`path,conversions,nulls`) against the bank's journey: no panic; paths
//! that read give a Markov chain whose attribution and Shapley values add up.
#![no_main]

use journey_map::analysis::{MarkovChain, ShapleyOptions};
use journey_map::{AggregatedPaths, Journey};
use libfuzzer_sys::fuzz_target;

static JOURNEY: std::sync::LazyLock<Journey> = std::sync::LazyLock::new(|| {
    Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))
        .expect("the bank journey loads")
});

fuzz_target!(|data: &[u8]| {
    let journey: &Journey = &JOURNEY;
    let Ok(paths) = AggregatedPaths::read_csv(journey, data, " > ") else {
        return;
    };
    let chain = MarkovChain::from_paths(journey, &paths).expect("paths read for this journey");
    let Ok(report) = chain.report() else { return };
    if let Some(conversion) = report.conversion {
        assert!((0.0..=1.0).contains(&conversion), "conversion {conversion}");
    }
    let conversions = report.conversions as f64;
    if let Ok(shapley) = chain.shapley_channels(ShapleyOptions::default()) {
        // The channels share what goals alone do not convert.
        let sum: f64 =
            shapley.channels.iter().map(|c| c.conversions).sum::<f64>() + shapley.uncredited;
        assert!(
            (sum - conversions).abs() <= 1e-6 * conversions.max(1.0),
            "{sum} vs {conversions}"
        );
    }
});
