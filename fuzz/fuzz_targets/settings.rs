//! Settings files against the bank's journey: friction settings, behaviour models (a model that
//! fits runs the simulator, whose every record its own log accepts) and what-if changes. No
//! panic; typed errors only.
#![no_main]

use arbitrary::Arbitrary;
use journey_map::analysis::{Change, FrictionConfig, Observation, Selection};
use journey_map::sim::{Behaviour, Simulator};
use journey_map::{IngestOptions, Journey, LogBuilder};
use libfuzzer_sys::fuzz_target;

static JOURNEY: std::sync::LazyLock<Journey> = std::sync::LazyLock::new(|| {
    Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))
        .expect("the bank journey loads")
});

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    Friction(&'a str),
    Behaviour(&'a str, u8),
    Changes(&'a str),
}

fuzz_target!(|input: Input<'_>| {
    let journey: &Journey = &JOURNEY;
    match input {
        Input::Friction(text) => {
            if let Ok(config) = FrictionConfig::from_ron_str(text, "friction.ron") {
                let text = ron::to_string(&config).expect("settings save");
                let again =
                    FrictionConfig::from_ron_str(&text, "again.ron").expect("saved settings load");
                assert_eq!(again, config, "friction settings round trip");
            }
        }
        Input::Behaviour(text, customers) => {
            let Ok(behaviour) = Behaviour::from_ron_str(text, "behaviour.ron") else {
                return;
            };
            let Ok(simulator) = Simulator::new(journey, &behaviour) else {
                return;
            };
            let start = "2026-01-05T00:00:00Z".parse().expect("a time");
            let records = simulator.simulate(usize::from(customers % 4), 7, start);
            let mut builder = LogBuilder::new(journey, IngestOptions::default());
            builder
                .extend(&records)
                .expect("the simulator writes what its log accepts");
        }
        Input::Changes(text) => {
            let Ok(changes) = ron::from_str::<Vec<Change>>(text) else {
                return;
            };
            let builder = LogBuilder::new(journey, IngestOptions::default());
            let (log, _) = builder.finish();
            let observation = Observation::new(journey, &log).expect("the log is the journey's");
            let chain = observation
                .markov_chain(&Selection::all())
                .expect("a chain");
            if let Ok(prediction) = chain.predict(journey, &changes) {
                for p in [prediction.current, prediction.predicted] {
                    assert!((0.0..=1.0).contains(&p), "prediction {p}");
                }
            }
        }
    }
});
