//! How reading grows with its input: the same kind of log (ten interactions a customer) at
//! 1,000,000 interactions of 100,000 customers and at 10,000,000 of 1,000,000, read by
//! `read_csv` in the crate's own format, by `read_csv` through a mapping (a help-desk export:
//! its own column names, display names for touchpoints, its own statuses, local London times, a
//! column left out) and, with the `arrow` feature, by `read_parquet_path`. Reading should be
//! linear: the 10M read at most about ten times the 1M read (the targets: 10.5x for CSV; the
//! 10M CSV is 10.17 times the bytes of the 1M one, its customer ids being longer).
//!
//! Why not criterion: a ratio of two sizes is only as good as the two times being taken under
//! the same conditions. On a machine shared with others, whose speed drifts by a tenth to a
//! third over minutes, criterion's one-benchmark-after-another order measures the 1M and the
//! 10M reads in different moods. This bench pairs them instead: each round reads every log at
//! 1M three times and then at 10M once, rotating which reader goes first; a round's ratio is
//! its 10M time over the median of the three 1M times just before it (seconds apart, under the
//! same conditions), and the figures are medians over the rounds, with their ranges. The
//! absolute 1M figures, against the csv and parquet crates alone, are criterion's (`ingest`
//! and `parquet` benches).
//!
//! Run with `cargo bench --bench scaling` (add `--features arrow` for Parquet). A child process
//! writes the logs to the system's temporary folder first (1.7 GB in all, removed at the end)
//! and this one reads the CSV files into memory, then runs 9 rounds: 1 min 38 s in all with
//! Parquet on the project's machine. `JOURNEY_MAP_SCALING_ROUNDS` sets the rounds. Arguments
//! after `--` keep the readers whose name contains one of them (`csv`, `mapped`, `parquet`).

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

/// The two sizes, in customers (ten interactions each).
const CUSTOMERS: [usize; 2] = [100_000, 1_000_000];
/// Reads of the small log per round, for each read of the large one.
const SMALL_READS: usize = 3;

/// One way of reading, with its input at both sizes.
struct Reader {
    name: &'static str,
    inputs: [Input; 2],
}

fn main() {
    let filters = paired::filters();
    let wanted = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f));
    let rounds = paired::rounds("JOURNEY_MAP_SCALING_ROUNDS", 9);
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    if log_files::write_if_child(&journey, &CUSTOMERS, &wanted) {
        return;
    }

    // The logs are written to files by a child process and read back here whole, so that
    // this process's heap holds the inputs only: building ten million records and dropping
    // them leaves freed memory that the 1M reads then reuse without page faults and the 10M
    // reads cannot, which made Parquet's ratio read about one higher.
    let dir = log_files::written_by_child("scaling", &filters);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let mut csv = Vec::new();
    let mut mapped = Vec::new();
    #[cfg(feature = "arrow")]
    let mut parquet = Vec::new();
    for customers in CUSTOMERS {
        if wanted("csv") {
            csv.push(Input::Csv(read(&format!("log-{customers}.csv"))));
        }
        if wanted("mapped") {
            // The mapping depends on the journey only.
            let (_, mapping) = records::to_export(&journey, &[]);
            let export = read(&format!("export-{customers}.csv"));
            mapped.push(Input::Mapped(export, Box::new(mapping)));
        }
        #[cfg(feature = "arrow")]
        if wanted("parquet") {
            parquet.push(Input::Parquet(dir.join(format!("log-{customers}.parquet"))));
        }
    }
    let mut readers = Vec::new();
    let mut add = |name, inputs: Vec<Input>| {
        if let Ok(inputs) = <[Input; 2]>::try_from(inputs) {
            readers.push(Reader { name, inputs });
        }
    };
    add("read_csv", csv);
    add("read_csv_mapped", mapped);
    #[cfg(feature = "arrow")]
    add("read_parquet", parquet);

    // rounds[reader]: the milliseconds of each round's reads, the small ones then the large.
    let mut times = vec![Vec::new(); readers.len()];
    for round in 0..rounds {
        for k in 0..readers.len() {
            let r = (k + round) % readers.len();
            let reader = &readers[r];
            let small: Vec<f64> = (0..SMALL_READS)
                .map(|_| reader.inputs[0].read(&journey).as_secs_f64() * 1e3)
                .collect();
            let large = reader.inputs[1].read(&journey).as_secs_f64() * 1e3;
            times[r].push((small, large));
        }
        eprintln!("round {} of {rounds} done", round + 1);
    }
    let bytes: Vec<f64> = readers
        .iter()
        .map(|r| r.inputs[1].bytes() as f64 / r.inputs[0].bytes() as f64)
        .collect();
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "{rounds} rounds; each: {SMALL_READS} reads at 1M then one at 10M of every reader, in turn"
    );
    println!(
        "{:<16} {:>24} {:>24} {:>24} {:>8}",
        "reader",
        "1M ms: median (range)",
        "10M ms: median (range)",
        "10M/1M: median (range)",
        "bytes"
    );
    for ((reader, rounds), bytes) in readers.iter().zip(&times).zip(bytes) {
        let mut small: Vec<f64> = rounds.iter().flat_map(|(s, _)| s.iter().copied()).collect();
        let mut large: Vec<f64> = rounds.iter().map(|&(_, l)| l).collect();
        // Each round's 10M read against the median of the 1M reads just before it: a pair
        // taken seconds apart, under the same conditions.
        let mut ratios: Vec<f64> = rounds
            .iter()
            .map(|(s, l)| l / median(&mut s.clone()))
            .collect();
        println!(
            "{:<16} {:>24} {:>24} {:>24} {:>7.2}x",
            reader.name,
            summary(&mut small, 1),
            summary(&mut large, 0),
            summary(&mut ratios, 2),
            bytes,
        );
    }
}
