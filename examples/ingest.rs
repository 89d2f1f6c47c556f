//! What reading a data file through a mapping did: rows read, attached, left out on purpose
//! and refused, each by reason, customers, journeys, segments and warnings.
//!
//! ```text
//! cargo run --release --example ingest
//! cargo run --release --example ingest -- JOURNEY.ron DATA.csv|DATA.parquet [--mapping FILE.ron]
//!     [--gap SECONDS]
//! ```
//!
//! With no files it reads the bundled help-desk export, `examples/data/retail_bank.export.csv`,
//! through `examples/data/retail_bank.mapping.ron`. `--gap SECONDS` splits customers' histories
//! into journeys after that much inactivity. Every row is read (lenient mode) so that every
//! problem is listed; exit status 0 when every row was attached or left out on purpose, 1 on
//! a bad mapping, an unreadable file or any refused row, 2 on bad arguments.

use std::collections::HashMap;
use std::process::ExitCode;

use journey_map::interactions::Mapping;
use journey_map::{IngestOptions, Journey, JourneyIndex, LogBuilder, Mode};

const SAMPLE_JOURNEY: &str = "examples/data/retail_bank.ron";
const SAMPLE_DATA: &str = "examples/data/retail_bank.export.csv";
const SAMPLE_MAPPING: &str = "examples/data/retail_bank.mapping.ron";

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!(
                "usage: ingest [JOURNEY.ron DATA.csv|DATA.parquet] [--mapping FILE.ron] [--gap SECONDS]"
            );
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

struct Args {
    journey: String,
    data: String,
    mapping: Option<String>,
    gap: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut files = Vec::new();
    let (mut mapping, mut gap) = (None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--mapping" => mapping = Some(args.next().ok_or("--mapping needs a file")?),
            "--gap" => {
                gap = Some(
                    args.next()
                        .and_then(|s| s.parse().ok())
                        .ok_or("--gap needs a whole number of seconds")?,
                );
            }
            "-h" | "--help" => return Err("help".to_owned()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => files.push(arg),
        }
    }
    match files.as_slice() {
        [] => Ok(Args {
            journey: SAMPLE_JOURNEY.into(),
            data: SAMPLE_DATA.into(),
            mapping: mapping.or(Some(SAMPLE_MAPPING.into())),
            gap,
        }),
        [journey, data] => Ok(Args {
            journey: journey.clone(),
            data: data.clone(),
            mapping,
            gap,
        }),
        _ => Err("give a journey file and a data file, or neither".to_owned()),
    }
}

/// An error and its sources, one per line after the first.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(":\n");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Reads the file and prints what happened; `Ok(false)` when rows were refused.
fn run(args: &Args) -> Result<bool, String> {
    let journey = Journey::load(&args.journey).map_err(|e| chain(&e))?;
    let mut options = IngestOptions::default().mode(Mode::Lenient);
    if let Some(gap) = args.gap {
        options = options.inactivity_gap_seconds(gap);
    }
    let mut builder = LogBuilder::new(&journey, options);
    if let Some(path) = &args.mapping {
        let mapping = Mapping::load(path).map_err(|e| chain(&e))?;
        builder = builder.mapping(mapping).map_err(|e| chain(&e))?;
    }
    builder
        .read_path(&args.data)
        .map_err(|e| format!("{}: {}", args.data, chain(&e)))?;
    let (log, report) = builder.finish();

    println!("Data: {}", args.data);
    if let Some(mapping) = &args.mapping {
        println!("Mapping: {mapping}");
    }
    println!("Journey: {}", journey.name());
    println!();
    println!("{report}");
    // One pass over the journeys for the personas, one per segment.
    let journeys = || (0..log.journey_count()).map(|j| JourneyIndex::from_u32(j as u32));
    let mut per_persona = vec![0_usize; journey.personas().len()];
    for p in journeys().filter_map(|j| log.journey_persona(j)) {
        per_persona[p.index()] += 1;
    }
    let personas: Vec<String> = journey
        .personas()
        .iter()
        .zip(&per_persona)
        .map(|(persona, n)| format!("{} ({n})", persona.id))
        .collect();
    println!("personas carried by journeys: {}", personas.join(", "));
    let segments = log.segments();
    if segments.is_empty() {
        println!("segments: none");
    }
    for segment in &segments {
        let mut per_value: HashMap<&str, usize> = HashMap::new();
        for value in journeys().filter_map(|j| log.journey_segment(j, &segment.name)) {
            *per_value.entry(value).or_default() += 1;
        }
        let counts: Vec<String> = segment
            .values
            .iter()
            .map(|value| format!("{value} ({})", per_value.get(value.as_str()).unwrap_or(&0)))
            .collect();
        println!("segment {}: {}", segment.name, counts.join(", "));
    }
    Ok(report.rejected_count() == 0)
}
