//! What customers really did against the map: top variants, conformance, drop-off paths,
//! attribution and a what-if.
//!
//! ```text
//! cargo run --release --example paths
//! cargo run --release --example paths -- JOURNEY.ron DATA.csv|DATA.parquet [--mapping FILE.ron] [--max-rejected SHARE] [--persona ID] [--top K]
//! cargo run --release --example paths -- JOURNEY.ron --aggregated PATHS.csv [--separator ' > ']
//! ```
//!
//! With no files it reads the bundled sample, `examples/data/retail_bank.ron` and its simulated
//! log. `--aggregated PATHS.csv` reads aggregated paths instead of interactions (one row per
//! distinct path: `path,conversions,nulls`, touchpoint ids joined by `" > "` or
//! `--separator`) and prints their variants, moves, attribution and Shapley values. Bad rows
//! are left out and counted; when more than `--max-rejected` of the rows (a share, 0.5 by
//! default) are refused, the log is not analysed: it is likely written for another journey.
//! Exit status: 0 on success, 1 on bad input or bad arguments.

use std::process::ExitCode;

use journey_map::analysis::{
    Attribute, Change, CheckConformance, DirectlyFollowsGraph, MarkovChain, ObservePaths,
    Selection, ShapleyOptions, Variants, attribution::ShapleyMethod,
};
use journey_map::interactions::Mapping;
use journey_map::{AggregatedPaths, IngestOptions, Journey, LogBuilder, Mode, TouchpointId};

const SAMPLE_JOURNEY: &str = "examples/data/retail_bank.ron";
const SAMPLE_LOG: &str = "examples/data/retail_bank.interactions.csv";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// Why a log with too many refused rows is not analysed.
fn too_many_rejected(log: &str, ingest: &journey_map::IngestReport, max: f64) -> String {
    format!(
        "{log}: {} of {} rows were refused ({:.1}%), more than the {:.0}% allowed (--max-rejected {max}): is the file written for this journey?",
        ingest.rejected_count(),
        ingest.rows(),
        100.0 * ingest.rejected_share(),
        100.0 * max
    )
}

fn join(ids: &[TouchpointId]) -> String {
    ids.iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(" > ")
}

/// An error and its sources, joined.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn run() -> Result<(), String> {
    let mut files = Vec::new();
    let (mut persona, mut top) = (None, 5_usize);
    let (mut aggregated, mut separator) = (None, " > ".to_owned());
    let mut mapping = None;
    let mut max_rejected = 0.5;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--aggregated" => {
                aggregated = Some(args.next().ok_or("--aggregated needs a CSV file")?);
            }
            "--separator" => separator = args.next().ok_or("--separator needs a value")?,
            "--mapping" => mapping = Some(args.next().ok_or("--mapping needs a mapping file")?),
            "--max-rejected" => {
                max_rejected = args
                    .next()
                    .and_then(|v| v.parse::<f64>().ok())
                    .filter(|v| (0.0..=1.0).contains(v))
                    .ok_or("--max-rejected needs a share from 0 to 1")?;
            }
            "--persona" => persona = Some(args.next().ok_or("--persona needs a persona id")?),
            "--top" => {
                top = args
                    .next()
                    .and_then(|k| k.parse().ok())
                    .ok_or("--top needs a whole number")?;
            }
            "-h" | "--help" => {
                return Err("usage: paths [JOURNEY.ron] [DATA.csv|DATA.parquet] [--mapping FILE.ron] [--max-rejected SHARE] [--persona ID] [--top K] | paths JOURNEY.ron --aggregated PATHS.csv [--separator SEP] [--top K]".to_owned());
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => files.push(arg),
        }
    }
    if let Some(paths) = aggregated {
        let [journey_path] = files.as_slice() else {
            return Err("with --aggregated, give the journey file alone".to_owned());
        };
        return aggregated_report(journey_path, &paths, &separator, top);
    }
    if files.len() == 1 || files.len() > 2 {
        return Err("give both a journey file and its interactions file, or neither".to_owned());
    }
    let journey_path = files.first().map_or(SAMPLE_JOURNEY, String::as_str);
    let log_path = files.get(1).map_or(SAMPLE_LOG, String::as_str);
    let journey = Journey::load(journey_path).map_err(|e| chain(&e))?;
    // Lenient: a bad row is skipped, counted and reported, never silently dropped.
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    if let Some(path) = &mapping {
        let mapping = Mapping::load(path).map_err(|e| chain(&e))?;
        builder = builder.mapping(mapping).map_err(|e| chain(&e))?;
    }
    builder
        .read_path(log_path)
        .map_err(|e| format!("{log_path}: {}", chain(&e)))?;
    let (log, ingest) = builder.finish();
    println!("Data: {log_path}");
    for line in ingest.to_string().lines() {
        println!("  {line}");
    }
    println!();
    if ingest.rejected_share() > max_rejected {
        return Err(too_many_rejected(log_path, &ingest, max_rejected));
    }
    if log.is_empty() {
        return Err(format!("{log_path} holds no interactions"));
    }
    let mut filter = Selection::all();
    if let Some(persona) = persona {
        filter = filter.persona(persona);
    }
    let errors = |e: &dyn std::error::Error| {
        let mut message = e.to_string();
        let mut source = e.source();
        while let Some(s) = source {
            message.push_str(&format!(": {s}"));
            source = s.source();
        }
        message
    };

    println!(
        "{}: {} interactions of {} customers\n",
        journey.name(),
        log.len(),
        log.customers().len()
    );

    let variants = journey
        .variants(&log, &filter, top)
        .map_err(|e| errors(&e))?;
    println!(
        "Top {} of {} variants",
        variants.top.len(),
        variants.distinct
    );
    for v in &variants.top {
        println!(
            "  {:>6} {:>6}  converted {:>5}  {}",
            v.customers,
            percent(v.share),
            v.converted,
            join(&v.touchpoints)
        );
    }
    println!(
        "  tail: {} variants, {} customers ({}), {} walked once\n",
        variants.tail.variants,
        variants.tail.customers,
        percent(variants.tail.share),
        variants.tail.singletons
    );

    let graph = journey
        .directly_follows(&log, &filter)
        .map_err(|e| errors(&e))?;
    println!("Busiest moves (directly follows)");
    for e in graph.edges.iter().take(top) {
        println!(
            "  {:>6}  {} -> {}{}  median {:.0} s, p90 {:.0} s",
            e.count,
            e.from,
            e.to,
            if e.designed { "" } else { " (off the map)" },
            e.time.map_or(0.0, |t| t.median),
            e.time.map_or(0.0, |t| t.p90)
        );
    }

    let conformance = journey.conformance(&log, &filter).map_err(|e| errors(&e))?;
    println!("\nConformance");
    match conformance.fitness {
        Some(f) => println!(
            "  fitness {} of {} transitions follow a designed flow",
            percent(f),
            conformance.transitions
        ),
        None => println!("  no transitions"),
    }
    if let Some(spread) = conformance.customer_fitness {
        println!(
            "  per customer: mean {}, {} of {} fit perfectly",
            percent(spread.mean),
            spread.perfect,
            spread.customers
        );
    }
    println!(
        "  skips: {} moves by {} customers; moves back: {} by {} customers",
        conformance.skips.moves,
        conformance.skips.customers,
        conformance.moves_back.moves,
        conformance.moves_back.customers
    );
    for m in conformance.off_map.iter().take(top) {
        println!(
            "  off the map {:>5}x  {} -> {} ({:?})",
            m.count, m.from, m.to, m.kind
        );
    }
    for r in conformance.rework.iter().take(top) {
        println!(
            "  rework: {} customers came back to {} ({} repeats)",
            r.customers, r.touchpoint, r.repeats
        );
    }

    let drop = journey
        .drop_off_paths(&log, &filter, 2)
        .map_err(|e| errors(&e))?;
    println!(
        "\nDrop-off: {} of {} customers did not convert",
        drop.not_converted, drop.customers
    );
    for last in drop.last_touchpoints.iter().take(top) {
        println!(
            "  last seen at {} : {} ({})",
            last.touchpoint,
            last.customers,
            percent(last.share)
        );
        for p in &last.paths {
            println!("      {:>5}  {}", p.customers, join(&p.touchpoints));
        }
    }
    for d in drop.departures.iter().take(top) {
        println!(
            "  left {} unfinished {} times: {} went to another channel, {} left",
            d.touchpoint, d.left, d.to_other_channel, d.gone
        );
    }

    let attribution = journey.attribution(&log, &filter).map_err(|e| errors(&e))?;
    println!("\nAttribution (absorbing Markov chain, solved exactly)");
    if let Some(c) = attribution.conversion {
        println!(
            "  conversion {} ({} of {})",
            percent(c),
            attribution.conversions,
            attribution.customers
        );
    }
    for p in &attribution.personas {
        if let Some(c) = p.conversion {
            println!(
                "  persona {}: {} of {} customers",
                p.persona,
                percent(c),
                p.customers
            );
        }
    }
    for e in &attribution.entries {
        println!(
            "  entry {}: {} of {} customers",
            e.touchpoint,
            percent(e.conversion),
            e.customers
        );
    }
    if let Some(steps) = attribution.expected_steps {
        let to_goal = steps.to_goal.map_or("-".to_owned(), |s| format!("{s:.2}"));
        println!(
            "  expected steps: {:.2} per customer, {to_goal} per converting customer",
            steps.all
        );
    }
    println!("  removal effects:");
    for r in attribution.removal_effects.iter().take(top * 2) {
        println!(
            "    {:<24} {:>6}  attributed {:>7.1}",
            r.touchpoint.as_str(),
            percent(r.effect),
            r.attributed_conversions
        );
    }
    let shapley = journey
        .shapley_channels(&log, &filter, ShapleyOptions::default())
        .map_err(|e| errors(&e))?;
    let method = match shapley.method {
        ShapleyMethod::Exact { coalitions } => format!("exact, {coalitions} coalitions"),
        ShapleyMethod::Sampled { permutations } => format!("sampled, {permutations} orders"),
        _ => "other".to_owned(),
    };
    println!("  Shapley over channels ({method}):");
    for c in &shapley.channels {
        println!(
            "    {:<24} {:>7.1} ({})",
            format!("{:?}", c.channel),
            c.conversions,
            percent(c.share)
        );
    }

    let chain = journey
        .markov_chain(&log, &filter)
        .map_err(|e| errors(&e))?;
    if let Some(first) = attribution.removal_effects.iter().find(|r| {
        journey
            .touchpoint(r.touchpoint.as_str())
            .is_some_and(|t| !t.is_goal)
    }) {
        let change = Change::LowerDropOff {
            touchpoint: first.touchpoint.clone(),
            by: 0.5,
        };
        let prediction = chain.predict(&journey, &[change]).map_err(|e| errors(&e))?;
        println!(
            "\nWhat if drop-out at {} were halved: conversion {} -> {} ({:+.1} conversions)",
            first.touchpoint,
            percent(prediction.current),
            percent(prediction.predicted),
            prediction.conversions_gained
        );
    }
    Ok(())
}

/// Variants, moves, attribution and Shapley values of aggregated paths.
fn aggregated_report(
    journey_path: &str,
    paths: &str,
    separator: &str,
    top: usize,
) -> Result<(), String> {
    let journey = Journey::load(journey_path).map_err(|e| e.to_string())?;
    let paths = AggregatedPaths::read_csv_path(&journey, paths, separator)
        .map_err(|e| format!("{paths}: {e}"))?;
    println!(
        "Aggregated paths: {} distinct paths, {} customers",
        paths.paths().len(),
        paths.customers()
    );
    let variants = Variants::from_paths(&journey, &paths, top).map_err(|e| e.to_string())?;
    println!("\nTop {} variants", variants.top.len());
    for v in &variants.top {
        println!(
            "  {:>7} customers, {:>6} converted  {}",
            v.customers,
            v.converted,
            join(&v.touchpoints)
        );
    }
    let graph = DirectlyFollowsGraph::from_paths(&journey, &paths).map_err(|e| e.to_string())?;
    println!("\nBusiest moves (no times in aggregated paths)");
    for e in graph.edges.iter().take(top) {
        println!(
            "  {:>7}  {} -> {}{}",
            e.count,
            e.from,
            e.to,
            if e.designed { "" } else { " (off the map)" }
        );
    }
    let chain = MarkovChain::from_paths(&journey, &paths).map_err(|e| e.to_string())?;
    let report = chain.report().map_err(|e| e.to_string())?;
    println!(
        "\nMarkov attribution: conversion {} ({} of {})",
        report.conversion.map_or("-".to_owned(), percent),
        report.conversions,
        report.customers
    );
    for r in report.removal_effects.iter().take(top) {
        println!(
            "  {:<28} removal effect {:>6}, {:>8.1} conversions attributed",
            r.touchpoint.as_str(),
            percent(r.effect),
            r.attributed_conversions
        );
    }
    let shapley = chain
        .shapley_channels(ShapleyOptions::default())
        .map_err(|e| e.to_string())?;
    println!("  Shapley over channels:");
    for c in &shapley.channels {
        println!(
            "    {:<16} {:>8.1} conversions ({})",
            c.channel.to_string(),
            c.conversions,
            percent(c.share)
        );
    }
    Ok(())
}
