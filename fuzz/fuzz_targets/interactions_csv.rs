//! Interaction CSV against the bank's journey. Invariants: no panic; lenient reading on one
//! thread equals lenient reading on two; strict reading stops at lenient's first refused row
//! (or reads the same log when lenient refused none).
#![no_main]

use journey_map::{IngestError, IngestOptions, Journey, LogBuilder, Mode};
use libfuzzer_sys::fuzz_target;

static JOURNEY: std::sync::LazyLock<Journey> = std::sync::LazyLock::new(|| {
    Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))
        .expect("the bank journey loads")
});

fn read(
    journey: &Journey,
    data: &[u8],
    options: IngestOptions,
) -> Result<(journey_map::InteractionLog, journey_map::IngestReport), IngestError> {
    let mut builder = LogBuilder::new(journey, options);
    builder.read_csv(data)?;
    Ok(builder.finish())
}

fuzz_target!(|data: &[u8]| {
    let journey: &Journey = &JOURNEY;
    let lenient = IngestOptions::default().mode(Mode::Lenient);
    let one = read(journey, data, lenient.parallel(false));
    let two = read(journey, data, lenient.parallel(true));
    match (&one, &two) {
        (Ok(a), Ok(b)) => assert!(a == b, "one thread and two differ"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("one thread and two disagree: {one:?} / {two:?}"),
    }
    let Ok((log, report)) = one else { return };
    match read(journey, data, IngestOptions::default().parallel(false)) {
        Ok((strict_log, _)) => {
            assert_eq!(
                report.rejected_count(),
                0,
                "strict accepted what lenient refused"
            );
            assert!(strict_log == log, "strict and lenient logs differ");
        }
        Err(IngestError::Record(error)) => {
            let first = report
                .rejected
                .first()
                .expect("strict refused a row lenient kept");
            assert_eq!(
                error.row, first.row,
                "strict stopped elsewhere than lenient's first"
            );
        }
        Err(other) => panic!("strict failed where lenient read: {other}"),
    }
});
