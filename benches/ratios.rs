//! The reading targets that are ratios, at 1,000,000 interactions of 100,000 customers, each
//! measured as a pair of reads taken seconds apart:
//!
//! - `read_csv` against the csv crate reading the same file alone (target: at most 2x);
//! - `read_csv` through a mapping (a help-desk export: its own column names, display names for
//!   touchpoints, its own statuses, local London times, a column left out) against the csv
//!   crate reading the export alone (target: at most 2.2x);
//! - with the `arrow` feature, `read_parquet_path` against `read_csv` of the same records
//!   (target: at most 1x).
//!
//! Why not criterion: its benchmarks run one after another, so the two sides of a ratio are
//! timed minutes apart, while this machine's speed drifts by a tenth to a half over minutes.
//! Here each round reads with every reader three times, readers in turn (the first rotating
//! from round to round); a round's ratio is the median of its numerator's three times over the
//! median of its denominator's, and the figures printed are medians over the rounds, with
//! their ranges. The absolute times are criterion's (`metrics`, `ingest`, `parquet`).
//!
//! Run with `cargo bench --bench ratios` (add `--features arrow` for Parquet). A child process
//! writes the logs to the system's temporary folder (165 MB, removed at the end);
//! `JOURNEY_MAP_RATIOS_ROUNDS` sets the rounds (default 11). Arguments after `--` keep the
//! ratios whose reader's name contains one of them (`csv`, `mapped`, `parquet`).

use std::hint::black_box;
use std::time::Instant;

use journey_map::Journey;

#[path = "../tests/support/records.rs"]
mod records;

#[cfg(feature = "arrow")]
#[path = "support/parquet_file.rs"]
mod parquet_file;

#[path = "support/log_files.rs"]
mod log_files;

#[path = "support/paired.rs"]
mod paired;

use log_files::Input;
use paired::{median, summary};

/// Customers of the log (ten interactions each).
const CUSTOMERS: usize = 100_000;
/// Reads by each reader per round.
const READS: usize = 3;

/// One way of reading a log.
enum Reader {
    /// The csv crate alone: every row as a `ByteRecord`, nothing else.
    CsvCrate(String),
    /// One of the crate's readers.
    Log(Input),
}

impl Reader {
    /// Reads the log and returns the milliseconds taken.
    fn read(&self, journey: &Journey) -> f64 {
        match self {
            Reader::CsvCrate(text) => {
                let start = Instant::now();
                let mut reader = csv::ReaderBuilder::new().from_reader(black_box(text.as_bytes()));
                let mut record = csv::ByteRecord::new();
                let mut fields = 0;
                while reader.read_byte_record(&mut record).unwrap() {
                    fields += record.len();
                }
                black_box(fields);
                start.elapsed().as_secs_f64() * 1e3
            }
            Reader::Log(input) => input.read(journey).as_secs_f64() * 1e3,
        }
    }
}

fn main() {
    let filters = paired::filters();
    let wanted = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f));
    let rounds = paired::rounds("JOURNEY_MAP_RATIOS_ROUNDS", 11);
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    // Parquet is measured against `read_csv`, so its ratio needs the crate's own CSV too.
    let written = |name: &str| wanted(name) || (name == "csv" && wanted("parquet"));
    if log_files::write_if_child(&journey, &[CUSTOMERS], &written) {
        return;
    }
    let dir = log_files::written_by_child("ratios", &filters);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();

    // The readers, and each ratio as (name, numerator, denominator) positions among them.
    let mut readers: Vec<(&str, Reader)> = Vec::new();
    let mut ratios: Vec<(&str, usize, usize, f64)> = Vec::new();
    if written("csv") {
        let log = read(&format!("log-{CUSTOMERS}.csv"));
        readers.push(("csv crate, own columns", Reader::CsvCrate(log.clone())));
        readers.push(("read_csv", Reader::Log(Input::Csv(log))));
        if wanted("csv") {
            ratios.push(("read_csv / csv crate", 1, 0, 2.0));
        }
    }
    if wanted("mapped") {
        let export = read(&format!("export-{CUSTOMERS}.csv"));
        // The mapping depends on the journey only.
        let (_, mapping) = records::to_export(&journey, &[]);
        let at = readers.len();
        readers.push(("csv crate, export", Reader::CsvCrate(export.clone())));
        readers.push((
            "read_csv mapped",
            Reader::Log(Input::Mapped(export, Box::new(mapping))),
        ));
        ratios.push(("mapped / csv crate", at + 1, at, 2.2));
    }
    #[cfg(feature = "arrow")]
    if wanted("parquet") {
        let at = readers.len();
        readers.push((
            "read_parquet",
            Reader::Log(Input::Parquet(dir.join(format!("log-{CUSTOMERS}.parquet")))),
        ));
        ratios.push(("parquet / read_csv", at, 1, 1.0));
    }

    // times[reader][round]: the median of the round's reads.
    let mut times = vec![Vec::with_capacity(rounds); readers.len()];
    for round in 0..rounds {
        for k in 0..readers.len() {
            let r = (k + round) % readers.len();
            let mut reads: Vec<f64> = (0..READS).map(|_| readers[r].1.read(&journey)).collect();
            times[r].push(median(&mut reads));
        }
        eprintln!("round {} of {rounds} done", round + 1);
    }
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "{rounds} rounds; each: {READS} reads of 1M rows by every reader, readers in turn; medians over rounds (range)"
    );
    for ((name, _), times) in readers.iter().zip(&times) {
        println!("{name:<24} {:>28} ms", summary(&mut times.clone(), 1));
    }
    for &(name, over, under, target) in &ratios {
        let mut per_round: Vec<f64> = times[over]
            .iter()
            .zip(&times[under])
            .map(|(a, b)| a / b)
            .collect();
        println!(
            "{name:<24} {:>28} x  (target at most {target}x)",
            summary(&mut per_round, 2)
        );
    }
}
