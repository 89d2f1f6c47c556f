//! Interaction RON against the bank's journey. Invariants: no panic; lenient keeps every
//! record strict would read; strict refuses the text exactly when lenient refused a record.
#![no_main]

use journey_map::{IngestOptions, Journey, LogBuilder, Mode};
use libfuzzer_sys::fuzz_target;

static JOURNEY: std::sync::LazyLock<Journey> = std::sync::LazyLock::new(|| {
    Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))
        .expect("the bank journey loads")
});

fuzz_target!(|text: &str| {
    let journey: &Journey = &JOURNEY;
    let mut lenient = LogBuilder::new(journey, IngestOptions::default().mode(Mode::Lenient));
    let lenient_result = lenient.read_ron_str(text, "fuzz.ron");
    let (lenient_log, report) = lenient.finish();
    let mut strict = LogBuilder::new(journey, IngestOptions::default());
    let strict_result = strict.read_ron_str(text, "fuzz.ron");
    let (strict_log, _) = strict.finish();
    match (lenient_result, strict_result) {
        (Ok(()), Ok(())) => {
            assert_eq!(report.rejected_count(), 0);
            assert!(lenient_log == strict_log, "strict and lenient logs differ");
        }
        (Ok(()), Err(_)) => assert!(report.rejected_count() > 0, "strict refused a clean text"),
        (Err(_), Err(_)) => assert!(lenient_log.is_empty()),
        (Err(error), Ok(())) => panic!("lenient refused what strict read: {error}"),
    }
});
