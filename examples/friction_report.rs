//! Where customers struggle: friction ranked by impact, with the evidence, then the journey's
//! health.
//!
//! ```text
//! cargo run --release --example friction_report
//! cargo run --release --example friction_report -- JOURNEY.ron DATA.csv|DATA.parquet [--mapping FILE.ron] [--max-rejected SHARE]
//!     [--persona ID] [--segment NAME=VALUE] [--lens SEGMENT] [--json] [--from DATE] [--to DATE] [--against FROM..TO]
//!     [--by day|week|month] [--incidents]
//! ```
//!
//! With no files it reads the bundled sample, `examples/data/retail_bank.ron` and its simulated
//! log (friction planted by `examples/data/retail_bank.behaviour.ron`). `--persona ID` shows
//! the friction that persona meets (its own and everyone's) and its own health figures
//! (funnel, conversion, NPS, CSAT and CES of its customers alone; in JSON, `metrics` is then the
//! persona's). `--json` prints the whole report and the metrics as JSON (schema in the README).
//!
//! Data: `--mapping FILE.ron` reads an export in its own columns, values and time formats
//! (see `interactions::Mapping`); a `.parquet` file is read as Parquet (with the `arrow`
//! feature). `--segment NAME=VALUE` keeps the journeys that carry that segment value
//! (repeatable); `--lens SEGMENT` breaks friction down by that segment's values instead of by
//! persona. What was read (rows attached, left out and refused, by reason) is printed first.
//!
//! Time: `--from DATE` and `--to DATE` (RFC 3339 dates such as `2026-03-01`, midnight UTC, or
//! date-times such as `2026-03-01T08:00:00Z`; `--to` excluded) make the report cover that
//! window; `--against FROM..TO` compares the report's window with that earlier one (what got
//! worse or better, what appeared and resolved); `--by day|week|month` prints the trend of the
//! key measures; `--incidents` finds the windows where a place departed from its own history
//! (ISO weeks unless `--by` says otherwise). Bad rows are left out and counted; when more than
//! `--max-rejected` of the rows (a share, 0.5 by default) are refused, the ingestion summary is
//! printed and nothing is analysed: the log is likely written for another journey. Exit status:
//! 0 on success, 1 on bad input or bad arguments.

use std::process::ExitCode;

use journey_map::analysis::friction::{
    Direction, IncidentReport, Period, PeriodComparison, TrendGroup, TrendMeasure, Trends, Unit,
};
use journey_map::analysis::metrics::{GroupMetrics, Keyed};
use journey_map::analysis::{
    Calendar, FrictionConfig, FrictionKind, FrictionPoint, Granularity, MetricsReport, Observation,
    Selection, TimeRange,
};
use journey_map::interactions::Mapping;
use journey_map::{IngestOptions, Journey, LogBuilder, Mode, PersonaId, StageId};

const SAMPLE_JOURNEY: &str = "examples/data/retail_bank.ron";
const SAMPLE_LOG: &str = "examples/data/retail_bank.interactions.csv";

struct Args {
    journey: String,
    log: String,
    mapping: Option<String>,
    lens: Option<String>,
    segments: Vec<(String, String)>,
    persona: Option<String>,
    json: bool,
    from: Option<jiff::Timestamp>,
    to: Option<jiff::Timestamp>,
    against: Option<(jiff::Timestamp, jiff::Timestamp)>,
    by: Option<Granularity>,
    incidents: bool,
    /// The largest share of refused rows a log may have and still be analysed.
    max_rejected: f64,
}

/// An RFC 3339 date (midnight UTC) or date-time.
fn parse_time(option: &str, text: &str) -> Result<jiff::Timestamp, String> {
    if let Ok(at) = text.parse::<jiff::Timestamp>() {
        return Ok(at);
    }
    text.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| {
            format!(
                "{option} needs an RFC 3339 date or date-time, such as 2026-03-01, not {text:?}"
            )
        })
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let mut files = Vec::new();
    let (mut persona, mut json, mut mapping) = (None, false, None);
    let (mut lens, mut segments) = (None, Vec::new());
    let (mut from, mut to, mut against, mut by, mut incidents) = (None, None, None, None, false);
    let mut max_rejected = 0.5;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--json" => json = true,
            "--incidents" => incidents = true,
            "--from" => from = Some(parse_time("--from", &value("--from")?)?),
            "--to" => to = Some(parse_time("--to", &value("--to")?)?),
            "--against" => {
                let text = value("--against")?;
                let (a, b) = text
                    .split_once("..")
                    .ok_or(format!("--against needs FROM..TO, not {text:?}"))?;
                against = Some((parse_time("--against", a)?, parse_time("--against", b)?));
            }
            "--by" => {
                let text = value("--by")?;
                by = Some(text.parse::<Granularity>().map_err(|e| e.to_string())?);
            }
            "--mapping" => mapping = Some(value("--mapping")?),
            "--max-rejected" => {
                max_rejected = value("--max-rejected")?
                    .parse::<f64>()
                    .ok()
                    .filter(|v| (0.0..=1.0).contains(v))
                    .ok_or("--max-rejected needs a share from 0 to 1")?;
            }
            "--lens" => lens = Some(value("--lens")?),
            "--segment" => {
                let text = value("--segment")?;
                let (name, wanted) = text
                    .split_once('=')
                    .ok_or(format!("--segment needs NAME=VALUE, not {text:?}"))?;
                segments.push((name.to_owned(), wanted.to_owned()));
            }
            "--persona" => {
                persona = Some(args.next().ok_or("--persona needs a persona id")?);
            }
            "-h" | "--help" => {
                return Err("usage: friction_report [JOURNEY.ron] [DATA.csv|DATA.parquet] [--mapping FILE.ron] [--max-rejected SHARE] [--persona ID] [--segment NAME=VALUE] [--lens SEGMENT] [--json] [--from DATE] [--to DATE] [--against FROM..TO] [--by day|week|month] [--incidents]".to_owned());
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => files.push(arg),
        }
    }
    let (journey, log) = match files.as_slice() {
        [] => (SAMPLE_JOURNEY.to_owned(), SAMPLE_LOG.to_owned()),
        [journey, log] => (journey.clone(), log.clone()),
        [_] => return Err("give both JOURNEY.ron and INTERACTIONS.csv, or neither".to_owned()),
        _ => return Err("too many files: give JOURNEY.ron and INTERACTIONS.csv".to_owned()),
    };
    if let (Some(a), Some(b)) = (from, to)
        && b <= a
    {
        return Err(format!("--from {a} is not before --to {b}"));
    }
    if let Some((a, b)) = against
        && b <= a
    {
        return Err(format!("--against {a}..{b} ends before it starts"));
    }
    Ok(Args {
        journey,
        log,
        mapping,
        lens,
        segments,
        persona,
        json,
        from,
        to,
        against,
        by,
        incidents,
        max_rejected,
    })
}

/// The error and its chain of causes, on one line.
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

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let journey = Journey::load(&args.journey).map_err(|e| chain(&e))?;
    let persona = match &args.persona {
        Some(id) => Some(
            journey
                .resolve_persona(id.as_str())
                .map_err(|e| chain(&e))?,
        ),
        None => None,
    };
    // Lenient: a bad row is skipped, counted and reported, never silently dropped.
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    if let Some(path) = &args.mapping {
        let mapping = Mapping::load(path).map_err(|e| chain(&e))?;
        builder = builder.mapping(mapping).map_err(|e| chain(&e))?;
    }
    builder
        .read_path(&args.log)
        .map_err(|e| format!("{}: {}", args.log, chain(&e)))?;
    let (log, ingest) = builder.finish();
    if ingest.rejected_share() > args.max_rejected {
        println!("Data: {}", args.log);
        for line in ingest.to_string().lines() {
            println!("  {line}");
        }
        return Err(format!(
            "{}: {} of {} rows were refused ({:.1}%), more than the {:.0}% allowed (--max-rejected {}): is the file written for this journey?",
            args.log,
            ingest.rejected_count(),
            ingest.rows(),
            100.0 * ingest.rejected_share(),
            100.0 * args.max_rejected,
            args.max_rejected
        ));
    }
    if log.is_empty() {
        return Err(format!("{}: no interactions to analyse", args.log));
    }
    let mut config = FrictionConfig::default();
    if let Some(segment) = &args.lens {
        config = config.segment_lens(segment.clone());
    }
    let observation = Observation::new(&journey, &log).map_err(|e| chain(&e))?;
    // The report's window: the whole log unless --from or --to narrow it.
    let (first, last) = observation
        .time_span(&Selection::all())
        .map_err(|e| chain(&e))?
        .ok_or("no interactions to analyse")?;
    let window_end = last
        .checked_add(jiff::SignedDuration::from_millis(1))
        .unwrap_or(last);
    let (start, end) = (args.from.unwrap_or(first), args.to.unwrap_or(window_end));
    let windowed = args.from.is_some() || args.to.is_some();
    if end <= start {
        return Err(format!(
            "no interaction between {start} and {end}: the log runs from {first} to {last}"
        ));
    }
    let mut everyone = if windowed {
        Selection::all().time(TimeRange::new(start, end))
    } else {
        Selection::all()
    };
    for (name, value) in &args.segments {
        everyone = everyone.segment(name.clone(), value.clone());
    }
    if windowed
        && observation
            .time_span(&everyone)
            .map_err(|e| chain(&e))?
            .is_none()
    {
        return Err(format!("no interaction between {start} and {end}"));
    }
    let mut report = observation
        .friction(&everyone, &config)
        .map_err(|e| chain(&e))?;
    let persona_id = persona.map(|p| journey.personas()[p.index()].id.clone());
    // The health figures are the persona's own when one is asked for.
    let health = match &persona_id {
        Some(id) => everyone.clone().persona(id.clone()),
        None => everyone.clone(),
    };
    let comparison = match args.against {
        Some((a, b)) => Some(
            observation
                .compare_periods(
                    &health,
                    &Period::new(a, b),
                    &Period::new(start, end),
                    &config,
                )
                .map_err(|e| chain(&e))?,
        ),
        None => None,
    };
    let calendar = Calendar::new(args.by.unwrap_or_default());
    let trends = match args.by {
        Some(_) => Some(
            observation
                .trends(&health, &calendar, &config)
                .map_err(|e| chain(&e))?,
        ),
        None => None,
    };
    let incidents = if args.incidents {
        Some(
            observation
                .incidents(&health, &calendar, &config)
                .map_err(|e| chain(&e))?,
        )
    } else {
        None
    };
    let metrics = observation
        .metrics(&health, config.current_metrics())
        .map_err(|e| chain(&e))?;
    report
        .points
        .retain(|p| persona_id.is_none() || p.persona.is_none() || p.persona == persona_id);
    let points: Vec<&FrictionPoint> = report.points.iter().collect();

    if args.json {
        let mut document = serde_json::json!({
            "journey": journey.name(),
            "persona": persona_id,
            "window": { "from": start, "to": end },
            "ingest": {
                "rows": ingest.rows(),
                "accepted": ingest.accepted,
                "rejected": ingest.rejected_count(),
                "rejected_by_reason": ingest.rejected_by_reason(),
                "skipped": &ingest.skipped,
                "customers": ingest.customers,
                "journeys": ingest.journeys,
                "warnings": ingest.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            },
            "friction": &report,
            "metrics": metrics,
        });
        if let Some(incidents) = &incidents {
            document["incidents"] = serde_json::json!(incidents.incidents);
        }
        if let Some(comparison) = &comparison {
            document["comparison"] = serde_json::json!(comparison);
        }
        if let Some(trends) = &trends {
            document["trends"] = serde_json::json!(trends);
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?
        );
        return Ok(());
    }

    println!("Friction report: {}", journey.name());
    if windowed {
        println!("Window: {} to {}", start, end);
    }
    if let Some(id) = &persona_id {
        println!("Persona: {id} (its own friction and everyone's)");
    }
    println!("Data: {}", args.log);
    for line in ingest.to_string().lines() {
        println!("  {line}");
    }
    println!(
        "{} interactions of {} customers; {} reached a goal ({:.1}%)",
        ingest.accepted,
        report.customers,
        report.converted,
        100.0 * report.converted as f64 / report.customers.max(1) as f64,
    );
    println!(
        "{} tests, flagged at q <= {} with at least {} observations; {} places too small to test",
        report.tests,
        config.current_max_q(),
        config.current_min_sample(),
        report.untested
    );
    println!();
    if points.is_empty() {
        println!("No friction found.");
    } else {
        print_table(&points);
        println!();
        for (rank, point) in points.iter().enumerate() {
            println!("{:>3}. {}", rank + 1, point.summary);
        }
    }
    if !report.structural.is_empty() {
        println!();
        println!("Gaps in the map (dead ends and unreachable touchpoints):");
        for point in &report.structural {
            println!("  {}: {}", point.kind, point.summary);
        }
    }
    println!();
    print_health(&journey, &metrics, persona_id.as_ref());
    if let Some(comparison) = &comparison {
        println!();
        print_comparison(comparison);
    }
    if let Some(trends) = &trends {
        println!();
        print_trends(trends);
    }
    if let Some(incidents) = &incidents {
        println!();
        print_incidents(incidents);
    }
    Ok(())
}

fn print_comparison(comparison: &PeriodComparison) {
    let (before, after) = (&comparison.before, &comparison.after);
    let conversion = |r: Option<journey_map::stats::Rate>| {
        r.map_or("-".to_owned(), |r| format!("{:.1}%", r.value * 100.0))
    };
    println!(
        "Compared with {}: {} customers then ({} converting), {} now ({})",
        before.period.label,
        before.customers,
        conversion(before.conversion),
        after.customers,
        conversion(after.conversion)
    );
    println!("  {} tests", comparison.tests);
    for (title, direction) in [("Worse", Direction::Worse), ("Better", Direction::Better)] {
        let changes: Vec<_> = comparison
            .changes
            .iter()
            .filter(|c| c.direction == direction)
            .collect();
        if changes.is_empty() {
            println!("  {title}: nothing beyond the minimum effect");
        } else {
            println!("  {title}:");
            for change in changes {
                println!("    {}", change.summary);
            }
        }
    }
    for (title, points) in [
        ("Appeared", &comparison.appeared),
        ("Resolved", &comparison.resolved),
    ] {
        if !points.is_empty() {
            println!("  {title}:");
            for point in points.iter() {
                println!("    {}: {}", point.kind, point.summary);
            }
        }
    }
}

fn print_trends(trends: &Trends) {
    println!("Trend by {}:", trends.granularity.as_str());
    let measure =
        |kind: FrictionKind| trends.series(&TrendGroup::Journey, TrendMeasure::Friction(kind));
    let (abandon, fail, csat, wait) = (
        measure(FrictionKind::Abandonment),
        measure(FrictionKind::Failure),
        measure(FrictionKind::LowSatisfaction),
        measure(FrictionKind::LongWait),
    );
    println!(
        "  {:<12} {:>9} {:>12} {:>10} {:>10} {:>8} {:>15} {:>12}",
        "from",
        "customers",
        "interactions",
        "conversion",
        "abandoned",
        "failed",
        "CSAT below t2b",
        "typical wait"
    );
    let share = |s: Option<&journey_map::analysis::friction::TrendSeries>, i: usize| {
        s.and_then(|s| s.values[i].value)
            .map_or("-".to_owned(), |v| format!("{:.1}%", v * 100.0))
    };
    for (i, bucket) in trends.buckets.iter().enumerate() {
        let point = &trends.journey[i];
        println!(
            "  {:<12} {:>9} {:>12} {:>10} {:>10} {:>8} {:>15} {:>12}",
            bucket.start.to_string().get(..10).unwrap_or_default(),
            point.customers,
            point.interactions,
            point
                .conversion
                .map_or("-".to_owned(), |r| format!("{:.1}%", r.value * 100.0)),
            share(abandon, i),
            share(fail, i),
            share(csat, i),
            wait.and_then(|s| s.values[i].value)
                .map_or("-".to_owned(), human),
        );
    }
}

fn print_incidents(report: &IncidentReport) {
    println!(
        "Incidents ({} tests over {} {}s):",
        report.tests,
        report.buckets.len(),
        report.granularity.as_str()
    );
    if report.incidents.is_empty() {
        println!("  none: no place departed from its own history");
    }
    for incident in &report.incidents {
        let lost = incident.lost_conversions.map_or(String::new(), |l| {
            format!(", about {l:.0} conversions lost")
        });
        println!(
            "  {} at {} ({} customers affected{lost})",
            incident.kind, incident.location, incident.customers_affected
        );
        println!("    {}", incident.summary);
    }
}

fn print_table(points: &[&FrictionPoint]) {
    // Columns as wide as their widest value: a flow's place is two ids.
    let kind_width = points
        .iter()
        .map(|p| p.kind.as_str().len())
        .fold(16, usize::max);
    let where_width = points
        .iter()
        .map(|p| p.location.to_string().len())
        .fold(24, usize::max);
    println!(
        "{:>4}  {:<kind_width$}  {:<where_width$}  {:<20}  {:>8}  {:>8}  {:>6}  key evidence",
        "rank", "kind", "where", "persona", "severity", "affected", "lost"
    );
    for (rank, point) in points.iter().enumerate() {
        let persona = point.persona.as_ref().map_or("everyone", |p| p.as_str());
        let evidence = match &point.evidence {
            Some(e) => {
                let value = |v: f64| match e.unit {
                    Unit::Share => format!("{:.0}%", v * 100.0),
                    Unit::Seconds => human(v),
                };
                format!(
                    "{} vs {} (95% {}..{}), n={}, q={:.1e}",
                    value(e.observed),
                    value(e.baseline),
                    value(e.interval.low),
                    value(e.interval.high),
                    e.sample_size,
                    e.q
                )
            }
            None => "-".to_owned(),
        };
        let lost = point
            .lost_conversions
            .map_or("-".to_owned(), |lost| format!("{lost:.0}"));
        println!(
            "{:>4}  {:<kind_width$}  {:<where_width$}  {:<20}  {:>8.2}  {:>8}  {:>6}  {}",
            rank + 1,
            point.kind.as_str(),
            point.location.to_string(),
            persona,
            point.severity,
            point.customers_affected,
            lost,
            evidence
        );
    }
}

fn human(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{seconds:.0}s")
    } else if seconds < 5400.0 {
        format!("{:.1}min", seconds / 60.0)
    } else if seconds < 129_600.0 {
        format!("{:.1}h", seconds / 3600.0)
    } else {
        format!("{:.1}d", seconds / 86_400.0)
    }
}

fn print_health(journey: &Journey, metrics: &MetricsReport, persona: Option<&PersonaId>) {
    match persona {
        Some(id) => println!(
            "Journey health of {id} ({} customer{})",
            metrics.journey.customers,
            if metrics.journey.customers == 1 {
                ""
            } else {
                "s"
            }
        ),
        None => println!("Journey health"),
    }
    let funnel = &metrics.journey.funnel;
    println!("  funnel (customers reaching each stage after the ones before it):");
    for step in funnel {
        let from = step
            .from_previous
            .map_or("-".to_owned(), |r| format!("{:.0}%", r.value * 100.0));
        println!(
            "    {:<20} {:>7}  from previous {:>5}",
            step.stage.as_str(),
            step.customers,
            from
        );
    }
    if let Some(goal) = metrics.journey.goal_conversion {
        println!(
            "  conversion to a goal: {:.1}% (95% {:.1}..{:.1}%)",
            goal.value * 100.0,
            goal.interval.low * 100.0,
            goal.interval.high * 100.0
        );
    }
    // With a persona, `metrics` were computed for its customers alone.
    let stages: Vec<(StageId, &GroupMetrics)> = metrics
        .by_stage
        .iter()
        .map(|k: &Keyed<StageId>| (k.key.clone(), &k.metrics))
        .collect();
    println!(
        "  by stage{}:",
        persona.map_or(String::new(), |p| format!(" for {p}"))
    );
    println!(
        "    {:<20} {:>8} {:>9} {:>12} {:>10}",
        "stage", "NPS", "CSAT t2b", "CES easy", "answers"
    );
    for (stage, m) in stages {
        let nps = m.nps.map_or("-".to_owned(), |n| format!("{:+.0}", n.score));
        let csat = m
            .csat
            .map_or("-".to_owned(), |c| format!("{:.0}%", c.good.value * 100.0));
        let ces = m
            .ces
            .map_or("-".to_owned(), |c| format!("{:.0}%", c.good.value * 100.0));
        let answers = m.csat.map_or(0, |c| c.respondents);
        println!(
            "    {:<20} {:>8} {:>9} {:>12} {:>10}",
            stage.as_str(),
            nps,
            csat,
            ces,
            answers
        );
    }
    let _ = journey;
}
