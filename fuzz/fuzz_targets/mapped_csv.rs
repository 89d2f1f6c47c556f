//! A mapping and an export read through it, against the bank's journey: no panic, and a
//! mapping that compiles reads any export to a log or a typed error.
#![no_main]

use arbitrary::Arbitrary;
use journey_map::interactions::Mapping;
use journey_map::{IngestOptions, Journey, LogBuilder, Mode};
use libfuzzer_sys::fuzz_target;

static JOURNEY: std::sync::LazyLock<Journey> = std::sync::LazyLock::new(|| {
    Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))
        .expect("the bank journey loads")
});

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    mapping: &'a str,
    export: &'a [u8],
    lenient: bool,
}

fuzz_target!(|input: Input<'_>| {
    let journey: &Journey = &JOURNEY;
    let Ok(mapping) = Mapping::from_ron_str(input.mapping, "fuzz.mapping.ron") else {
        return;
    };
    if let Ok(text) = mapping.to_ron_string() {
        let again = Mapping::from_ron_str(&text, "again.ron").expect("a saved mapping loads");
        assert_eq!(again, mapping, "mapping round trip");
    }
    let mode = if input.lenient {
        Mode::Lenient
    } else {
        Mode::Strict
    };
    let Ok(mut builder) =
        LogBuilder::new(journey, IngestOptions::default().mode(mode)).mapping(mapping)
    else {
        return;
    };
    let _ = builder.read_csv(input.export);
    let (log, report) = builder.finish();
    assert!(report.accepted >= log.len().min(report.accepted));
});
