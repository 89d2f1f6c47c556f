//! What the tests share: the in-memory path's reports, to compare the engine's with.

use journey_map::analysis::{FrictionConfig, MetricsOptions, Observation, Selection};
use journey_map::{IngestOptions, Journey, LogBuilder};
use journey_map_datafusion::{Analysis, Report};

/// The in-memory path's report of `analysis`, with the engine's default settings.
pub fn in_memory(
    journey: &Journey,
    csv: &str,
    selection: &Selection,
    analysis: Analysis,
) -> Report {
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    builder.read_csv(csv.as_bytes()).expect("the CSV reads");
    let (log, _) = builder.finish();
    let o = Observation::new(journey, &log).expect("the log fits");
    match analysis {
        Analysis::Metrics => Report::Metrics(Box::new(
            o.metrics(selection, MetricsOptions::default()).unwrap(),
        )),
        Analysis::Friction => Report::Friction(Box::new(
            o.friction(selection, &FrictionConfig::default()).unwrap(),
        )),
        Analysis::DirectlyFollows => {
            Report::DirectlyFollows(Box::new(o.directly_follows(selection).unwrap()))
        }
        Analysis::Variants => Report::Variants(Box::new(o.variants(selection, 20).unwrap())),
        Analysis::DropOff => Report::DropOff(Box::new(o.drop_off_paths(selection, 10).unwrap())),
        Analysis::Conformance => Report::Conformance(Box::new(o.conformance(selection).unwrap())),
        Analysis::Attribution => Report::Attribution(Box::new(
            o.markov_chain(selection).unwrap().report().unwrap(),
        )),
        other => panic!("no in-memory path for {other}"),
    }
}
