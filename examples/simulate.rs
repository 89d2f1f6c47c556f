//! Simulates customers on a journey with a behaviour model and writes their interactions as CSV.
//!
//! ```text
//! cargo run --example simulate -- JOURNEY.ron BEHAVIOUR.ron CUSTOMERS SEED OUT.csv
//! ```
//!
//! The same arguments write the same file on every machine. Exit status: 0 written, 1 invalid
//! journey or behaviour, 2 bad arguments or unreadable or unwritable files.

use std::process::ExitCode;

use journey_map::sim::{Behaviour, Simulator};
use journey_map::{Journey, LoadError, SettingsError, write_csv};

/// Simulated journeys start here, so that sample files do not depend on the day they are made.
const START: &str = "2026-01-05T08:00:00Z";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [journey_path, behaviour_path, customers, seed, out] = args.as_slice() else {
        eprintln!("usage: simulate JOURNEY.ron BEHAVIOUR.ron CUSTOMERS SEED OUT.csv");
        return ExitCode::from(2);
    };
    let (Ok(customers), Ok(seed)) = (customers.parse::<usize>(), seed.parse::<u64>()) else {
        eprintln!("error: CUSTOMERS and SEED must be whole numbers");
        return ExitCode::from(2);
    };
    let journey = match Journey::load(journey_path) {
        Ok(journey) => journey,
        Err(error) => {
            eprintln!("error: {error}");
            let unreadable = matches!(error, LoadError::Read { .. });
            return ExitCode::from(if unreadable { 2 } else { 1 });
        }
    };
    let behaviour = match Behaviour::load(behaviour_path) {
        Ok(behaviour) => behaviour,
        Err(error) => {
            eprintln!("error: {error}");
            let unreadable = matches!(error, SettingsError::Read { .. });
            return ExitCode::from(if unreadable { 2 } else { 1 });
        }
    };
    let simulator = match Simulator::new(&journey, &behaviour) {
        Ok(simulator) => simulator,
        Err(error) => {
            eprintln!("error: {behaviour_path}: {error}");
            return ExitCode::from(1);
        }
    };
    let start = START.parse().unwrap_or_default();
    let records = simulator.simulate(customers, seed, start);
    let written = std::fs::File::create(out)
        .and_then(|file| write_csv(&records, std::io::BufWriter::new(file)));
    if let Err(error) = written {
        eprintln!("error: cannot write {out}: {error}");
        return ExitCode::from(2);
    }
    println!(
        "{out}: {} interactions of {customers} customers (seed {seed})",
        records.len()
    );
    ExitCode::SUCCESS
}
