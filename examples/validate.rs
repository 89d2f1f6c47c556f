//! Checks a journey file and prints a summary, or every problem.
//!
//! ```text
//! cargo run --example validate -- examples/data/broadband.ron
//! ```
//!
//! Exit status: 0 when the journey is valid (warnings allowed), 1 when it is invalid (malformed
//! RON or validation problems), 2 when the file cannot be read or no file is named.

use std::collections::BTreeMap;
use std::process::ExitCode;

use journey_map::{Journey, LoadError};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("usage: validate JOURNEY.ron");
        return ExitCode::from(2);
    };
    match Journey::load(&path) {
        Ok(journey) => {
            print_summary(&path, &journey);
            ExitCode::SUCCESS
        }
        Err(LoadError::Invalid { origin, source }) => {
            eprintln!(
                "error: {origin} is not a valid journey: {} problem(s)",
                source.problems().len()
            );
            for problem in source.problems() {
                eprintln!("  - {problem}");
            }
            ExitCode::from(1)
        }
        Err(error @ LoadError::Syntax { .. }) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
        Err(error) => {
            eprint!("error: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                eprint!(": {cause}");
                source = cause.source();
            }
            eprintln!();
            ExitCode::from(2)
        }
    }
}

fn print_summary(path: &str, journey: &Journey) {
    println!("{path}: valid journey \"{}\"", journey.name());
    println!(
        "  {}, {}, {}, {} ({}, {})",
        count(journey.personas().len(), "persona", "personas"),
        count(journey.stages().len(), "stage", "stages"),
        count(journey.touchpoints().len(), "touchpoint", "touchpoints"),
        count(journey.flows().len(), "flow", "flows"),
        count(journey.entries().count(), "entry", "entries"),
        count(journey.goals().count(), "goal", "goals"),
    );

    println!("\ntouchpoints per stage:");
    for stage in journey.stages() {
        let touchpoints = journey.touchpoints_in_stage(&stage.id).unwrap_or_default();
        let channels: Vec<String> = journey
            .channels_in_stage(&stage.id)
            .unwrap_or_default()
            .iter()
            .map(|c| c.to_string())
            .collect();
        println!(
            "  {:<24} {:>3}  {}",
            stage.name,
            touchpoints.len(),
            channels.join(", ")
        );
    }

    let mut per_channel: BTreeMap<String, usize> = BTreeMap::new();
    for touchpoint in journey.touchpoints() {
        *per_channel
            .entry(touchpoint.channel.to_string())
            .or_default() += 1;
    }
    println!("\ntouchpoints per channel:");
    for (channel, count) in &per_channel {
        println!("  {channel:<24} {count:>3}");
    }

    let backward = journey.backward_flows();
    if !backward.is_empty() {
        println!("\nflows back to an earlier stage:");
        for flow in backward {
            println!("  {} -> {}", flow.from, flow.to);
        }
    }

    let warnings = journey.warnings();
    println!("\n{}", count(warnings.len(), "warning", "warnings"));
    for warning in warnings {
        println!("  warning: {warning}");
    }
}

/// `n` and the noun, singular for one.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
