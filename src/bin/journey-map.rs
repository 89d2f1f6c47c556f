//! `journey-map`: check journeys, report friction and health, summarise paths, draw the map
//! and simulate logs, from the command line.
//!
//! Exit status: 0 on success, 1 on bad input (an invalid journey, bad arguments, a log
//! mostly refused), 2 when a file cannot be read or written.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use journey_map::analysis::friction::Unit;
use journey_map::analysis::{
    Calendar, CheckConformance, FrictionConfig, Granularity, MetricsReport, Observation,
    ObservePaths, Selection, TimeRange,
};
use journey_map::interactions::Mapping;
use journey_map::render::{HtmlReport, JourneyMap, Lanes, MapOptions};
use journey_map::sim::{Behaviour, Simulator};
use journey_map::{
    IngestError, IngestOptions, IngestReport, InteractionLog, Journey, LoadError, LogBuilder, Mode,
    SettingsError,
};

/// Customer journey maps that compute where customers struggle.
///
/// A journey is a RON file of personas, stages, touchpoints and flows; a log is a CSV, RON or
/// Parquet file of interactions (one row per contact: customer, touchpoint, time, outcome,
/// scores), read as it is written when a mapping file names its columns.
#[derive(Parser)]
#[command(name = "journey-map", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "Examples, on the bundled sample:
  journey-map check examples/data/retail_bank.ron
  journey-map report examples/data/retail_bank.ron examples/data/retail_bank.interactions.csv
  journey-map report examples/data/retail_bank.ron examples/data/retail_bank.interactions.csv --html report.html
  journey-map render examples/data/retail_bank.ron examples/data/retail_bank.interactions.csv -o map.svg
  journey-map render examples/data/retail_bank.ron --format mermaid
  journey-map paths examples/data/retail_bank.ron examples/data/retail_bank.interactions.csv
  journey-map simulate examples/data/retail_bank.ron examples/data/retail_bank.behaviour.ron -n 1000 -o log.csv

Exit status: 0 success, 1 bad input (invalid journey, bad arguments, a log mostly refused),
2 a file that cannot be read or written.";

#[derive(Subcommand)]
enum Command {
    /// Check a journey file (and a log against it): every problem at once, then the
    /// structural warnings.
    Check {
        /// The journey, a RON file.
        journey: PathBuf,
        /// A log to check against the journey: what would be attached, left out, refused.
        data: Option<PathBuf>,
        /// Read the log through this mapping (RON): its own columns, values and times.
        #[arg(long)]
        mapping: Option<PathBuf>,
    },
    /// Friction ranked by impact, with evidence, and the journey's health.
    Report {
        #[command(flatten)]
        data: DataArgs,
        /// Print the friction report and the metrics as JSON instead of tables.
        #[arg(long)]
        json: bool,
        /// Also write the report as one self-contained HTML file.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Find incidents (windows where a place departed from its own history) by day, week
        /// or month, print them, and add them and the trends to the HTML report.
        #[arg(long, value_name = "day|week|month", value_parser = granularity)]
        by: Option<Granularity>,
    },
    /// The paths customers took: most walked variants, fit with the map, busiest moves.
    Paths {
        #[command(flatten)]
        data: DataArgs,
        /// How many variants to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Print the variants, conformance and directly-follows graph as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Draw the journey map: SVG, Graphviz DOT, Mermaid or an HTML report.
    Render {
        /// The journey, a RON file.
        journey: PathBuf,
        /// A log: volumes, metrics, friction and observed moves on the map.
        data: Option<PathBuf>,
        #[command(flatten)]
        select: SelectArgs,
        /// Output format; by default from the extension of `-o`, else SVG.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write here instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Lanes by channel or by persona.
        #[arg(long, value_enum, default_value_t = LaneArg::Channel)]
        lanes: LaneArg,
    },
    /// Simulate a log of a journey from a behaviour model (RON), as CSV.
    Simulate {
        /// The journey, a RON file.
        journey: PathBuf,
        /// The behaviour model, a RON file (where friction is planted).
        behaviour: PathBuf,
        /// Customers to simulate.
        #[arg(short = 'n', long, default_value_t = 1_000)]
        customers: usize,
        /// The random seed: the same seed gives the same log.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// When the first customer starts (RFC 3339).
        #[arg(long, default_value = "2026-01-05T08:00:00Z")]
        start: jiff::Timestamp,
        /// Write here instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Args)]
struct DataArgs {
    /// The journey, a RON file.
    journey: PathBuf,
    /// The log: CSV, RON or Parquet (by extension).
    data: PathBuf,
    #[command(flatten)]
    select: SelectArgs,
}

#[derive(Args)]
struct SelectArgs {
    /// Read the log through this mapping (RON): its own columns, values and times.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// One persona's view: its customers, its friction, its map.
    #[arg(long, value_name = "ID")]
    persona: Option<String>,
    /// Keep the journeys that carry this segment value (repeatable).
    #[arg(long, value_name = "NAME=VALUE", value_parser = segment)]
    segment: Vec<(String, String)>,
    /// Start of the window (RFC 3339 date or date-time, UTC).
    #[arg(long, value_parser = time)]
    from: Option<jiff::Timestamp>,
    /// End of the window, excluded.
    #[arg(long, value_parser = time)]
    to: Option<jiff::Timestamp>,
    /// Friction settings (RON), as `FrictionConfig` reads them.
    #[arg(long)]
    settings: Option<PathBuf>,
    /// Refuse to analyse a log of which more than this share of rows was refused.
    #[arg(long, default_value_t = 0.5, value_name = "SHARE")]
    max_rejected: f64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Svg,
    Dot,
    Mermaid,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum LaneArg {
    Channel,
    Persona,
}

fn granularity(text: &str) -> Result<Granularity, String> {
    text.parse::<Granularity>().map_err(|e| e.to_string())
}

fn segment(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .ok_or_else(|| format!("expected NAME=VALUE, not {text:?}"))
}

fn time(text: &str) -> Result<jiff::Timestamp, String> {
    if let Ok(at) = text.parse::<jiff::Timestamp>() {
        return Ok(at);
    }
    text.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| {
            format!("expected an RFC 3339 date or date-time, such as 2026-03-01, not {text:?}")
        })
}

/// Writes a line to standard output; a closed pipe (`| head`) ends the program quietly.
macro_rules! out {
    (noline $($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*).map_err(Failure::output)?
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(Failure::output)?
    }};
}

/// A failure: its message (with its causes) and whether the input was unreadable.
struct Failure {
    message: String,
    unreadable: bool,
}

impl Failure {
    /// Standard output failed: a closed pipe ends quietly, anything else is reported.
    fn output(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            Failure {
                message: String::new(),
                unreadable: true,
            }
        } else {
            Failure::of(&error, true).context("cannot write to standard output".to_owned())
        }
    }

    fn bad(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            unreadable: false,
        }
    }

    fn of(error: &dyn std::error::Error, unreadable: bool) -> Self {
        let mut message = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            message.push_str("\n  caused by: ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        Failure {
            message,
            unreadable,
        }
    }
}

impl From<LoadError> for Failure {
    fn from(error: LoadError) -> Self {
        let unreadable = matches!(error, LoadError::Read { .. });
        Failure::of(&error, unreadable)
    }
}

impl From<SettingsError> for Failure {
    fn from(error: SettingsError) -> Self {
        let unreadable = matches!(error, SettingsError::Read { .. });
        Failure::of(&error, unreadable)
    }
}

impl From<IngestError> for Failure {
    fn from(error: IngestError) -> Self {
        let unreadable = matches!(error, IngestError::Read { .. });
        Failure::of(&error, unreadable)
    }
}

macro_rules! bad_input {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(error: $t) -> Self {
                Failure::of(&error, false)
            }
        }
    )*};
}

bad_input!(
    journey_map::UnknownIdError,
    journey_map::analysis::SelectionError,
    journey_map::analysis::JourneyMismatch,
    journey_map::analysis::FrictionError,
    journey_map::analysis::friction::OverTimeError,
    journey_map::interactions::MappingError,
    journey_map::sim::BehaviourError
);

impl From<journey_map::render::RenderError> for Failure {
    fn from(error: journey_map::render::RenderError) -> Self {
        let unreadable = matches!(error, journey_map::render::RenderError::Write(_));
        Failure::of(&error, unreadable)
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 1 } else { 0 });
        }
    };
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("error: {}", failure.message);
            }
            ExitCode::from(if failure.unreadable { 2 } else { 1 })
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Check {
            journey,
            data,
            mapping,
        } => check(&journey, data.as_deref(), mapping.as_deref()),
        Command::Report {
            data,
            json,
            html,
            by,
        } => report(&data, json, html.as_deref(), by),
        Command::Paths { data, top, json } => paths(&data, top, json),
        Command::Render {
            journey,
            data,
            select,
            format,
            output,
            lanes,
        } => render(
            &journey,
            data.as_deref(),
            &select,
            format,
            output.as_deref(),
            lanes,
        ),
        Command::Simulate {
            journey,
            behaviour,
            customers,
            seed,
            start,
            output,
        } => simulate(
            &journey,
            &behaviour,
            customers,
            seed,
            start,
            output.as_deref(),
        ),
    }
}

/// Reads a log, leniently: bad rows are counted and reported, never silently dropped.
fn read_log(
    journey: &Journey,
    data: &Path,
    mapping: Option<&Path>,
) -> Result<(InteractionLog, IngestReport), Failure> {
    let mut builder = LogBuilder::new(journey, IngestOptions::default().mode(Mode::Lenient));
    if let Some(path) = mapping {
        builder = builder.mapping(Mapping::load(path)?)?;
    }
    builder.read_path(data)?;
    Ok(builder.finish())
}

fn print_ingest(data: &Path, report: &IngestReport) -> Result<(), Failure> {
    out!("Data: {}", data.display());
    for line in report.to_string().lines() {
        out!("  {line}");
    }
    Ok(())
}

/// A log read and selected, ready to analyse.
struct Loaded {
    journey: Journey,
    log: InteractionLog,
    selection: Selection,
    period: (jiff::Timestamp, jiff::Timestamp),
}

fn load(journey: &Path, data: &Path, select: &SelectArgs, quiet: bool) -> Result<Loaded, Failure> {
    if !(0.0..=1.0).contains(&select.max_rejected) {
        return Err(Failure::bad("--max-rejected needs a share from 0 to 1"));
    }
    let journey = Journey::load(journey)?;
    let (log, ingest) = read_log(&journey, data, select.mapping.as_deref())?;
    if !quiet {
        print_ingest(data, &ingest)?;
    }
    if ingest.rejected_share() > select.max_rejected {
        if quiet {
            print_ingest(data, &ingest)?;
        }
        return Err(Failure::bad(format!(
            "{}: {} of {} rows were refused ({:.1}%), more than --max-rejected {} allows: is the file written for this journey?",
            data.display(),
            ingest.rejected_count(),
            ingest.rows(),
            100.0 * ingest.rejected_share(),
            select.max_rejected
        )));
    }
    let observation = Observation::new(&journey, &log)?;
    let (first, last) = observation
        .time_span(&Selection::all())?
        .ok_or_else(|| Failure::bad(format!("{}: no interactions to analyse", data.display())))?;
    let end = last
        .checked_add(jiff::SignedDuration::from_millis(1))
        .unwrap_or(last);
    let period = (select.from.unwrap_or(first), select.to.unwrap_or(end));
    if period.1 <= period.0 {
        return Err(Failure::bad(format!(
            "--from {} is not before --to {}",
            period.0, period.1
        )));
    }
    let mut selection = if select.from.is_some() || select.to.is_some() {
        Selection::all().time(TimeRange::new(period.0, period.1))
    } else {
        Selection::all()
    };
    if let Some(persona) = &select.persona {
        journey.resolve_persona(persona.as_str())?;
        selection = selection.persona(persona.clone());
    }
    for (name, value) in &select.segment {
        selection = selection.segment(name.clone(), value.clone());
    }
    Ok(Loaded {
        journey,
        log,
        selection,
        period,
    })
}

fn check(journey: &Path, data: Option<&Path>, mapping: Option<&Path>) -> Result<(), Failure> {
    let loaded = Journey::load(journey)?;
    out!(
        "{}: a valid journey, {:?}: {} personas, {} stages, {} touchpoints, {} flows",
        journey.display(),
        loaded.name(),
        loaded.personas().len(),
        loaded.stages().len(),
        loaded.touchpoints().len(),
        loaded.flows().len()
    );
    for warning in loaded.warnings() {
        out!("  warning: {warning}");
    }
    if let Some(data) = data {
        let (_, ingest) = read_log(&loaded, data, mapping)?;
        print_ingest(data, &ingest)?;
        if ingest.rejected_count() > 0 {
            return Err(Failure::bad(format!(
                "{}: {} of {} rows were refused",
                data.display(),
                ingest.rejected_count(),
                ingest.rows()
            )));
        }
    }
    Ok(())
}

fn human(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else if seconds < 5_400.0 {
        format!("{:.1} min", seconds / 60.0)
    } else if seconds < 172_800.0 {
        format!("{:.1} h", seconds / 3_600.0)
    } else {
        format!("{:.1} d", seconds / 86_400.0)
    }
}

fn friction_config(select: &SelectArgs) -> Result<FrictionConfig, Failure> {
    Ok(match &select.settings {
        Some(path) => FrictionConfig::load(path)?,
        None => FrictionConfig::default(),
    })
}

fn report(
    data: &DataArgs,
    json: bool,
    html: Option<&Path>,
    by: Option<Granularity>,
) -> Result<(), Failure> {
    let config = friction_config(&data.select)?;
    let loaded = load(&data.journey, &data.data, &data.select, json)?;
    let observation = Observation::new(&loaded.journey, &loaded.log)?;
    let friction = observation.friction(&loaded.selection, &config)?;
    let metrics = observation.metrics(&loaded.selection, Default::default())?;
    let over_time = match by {
        Some(granularity) => {
            let calendar = Calendar::new(granularity);
            Some((
                observation.incidents(&loaded.selection, &calendar, &config)?,
                observation.trends(&loaded.selection, &calendar, &config)?,
            ))
        }
        None => None,
    };
    if json {
        let mut value = serde_json::json!({ "friction": friction, "metrics": metrics });
        if let Some((incidents, _)) = &over_time {
            value["incidents"] =
                serde_json::to_value(incidents).map_err(|e| Failure::of(&e, false))?;
        }
        out!(
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| Failure::of(&e, false))?
        );
    } else {
        print_friction(&friction)?;
        print_health(&loaded.journey, &metrics)?;
        if let Some((incidents, _)) = &over_time {
            out!("\nIncidents by {}", by.map_or("", |g| g.as_str()));
            if incidents.incidents.is_empty() {
                out!("  none found");
            }
            for incident in &incidents.incidents {
                out!("  {}", incident.summary);
            }
        }
    }
    if let Some(path) = html {
        let follows = observation.directly_follows(&loaded.selection)?;
        let variants = observation.variants(&loaded.selection, 10)?;
        let mut options = MapOptions::default().period(loaded.period.0, loaded.period.1);
        if let Some(persona) = &data.select.persona {
            options = options.persona(persona.clone());
        }
        let map = JourneyMap::new(&loaded.journey)
            .metrics(&metrics)
            .friction(&friction)
            .flows(&follows)
            .options(options);
        let file = std::fs::File::create(path).map_err(|e| {
            Failure::of(&e, true).context(format!("cannot write {}", path.display()))
        })?;
        let mut page = HtmlReport::new(map).variants(&variants);
        if let Some((incidents, trends)) = &over_time {
            page = page.incidents(incidents).trends(trends);
        }
        page.write_html(std::io::BufWriter::new(file))?;
        if !json {
            out!("\nHTML report: {}", path.display());
        }
    }
    Ok(())
}

impl Failure {
    fn context(mut self, context: String) -> Self {
        self.message = format!("{context}\n  caused by: {}", self.message);
        self
    }
}

fn print_friction(report: &journey_map::analysis::FrictionReport) -> Result<(), Failure> {
    out!(
        "\nFriction, ranked by impact ({} customers, {} converted; {} tests)",
        report.customers,
        report.converted,
        report.tests
    );
    if report.points.is_empty() {
        out!("  none found");
    }
    for (rank, point) in report.points.iter().enumerate() {
        let evidence = point.evidence.as_ref().map_or(String::new(), |e| {
            let value = |v: f64| match e.unit {
                Unit::Share => format!("{:.0}%", v * 100.0),
                Unit::Seconds => human(v),
            };
            format!(
                " [{} vs {}, n={}, q={:.1e}]",
                value(e.observed),
                value(e.baseline),
                e.sample_size,
                e.q
            )
        });
        out!(
            "{:>4}. {:<22} {}{}",
            rank + 1,
            point.kind.as_str(),
            point.summary,
            evidence
        );
    }
    for point in &report.structural {
        out!("   gap: {}", point.summary);
    }
    Ok(())
}

fn print_health(journey: &Journey, metrics: &MetricsReport) -> Result<(), Failure> {
    let j = &metrics.journey;
    out!("\nHealth ({} customers)", j.customers);
    if let Some(goal) = j.goal_conversion {
        out!(
            "  reached a goal: {:.1}% (95% {:.1}..{:.1}%)",
            goal.value * 100.0,
            goal.interval.low * 100.0,
            goal.interval.high * 100.0
        );
    }
    if let Some(median) = j.time_to_convert.median_seconds {
        out!("  median time to convert: {}", human(median));
    }
    out!("  funnel (customers reaching each stage after the ones before it):");
    for step in &j.funnel {
        let name = journey
            .stage(step.stage.as_str())
            .map_or(step.stage.as_str(), |s| s.name.as_str());
        let from = step
            .from_previous
            .map_or("-".to_owned(), |r| format!("{:.0}%", r.value * 100.0));
        out!(
            "    {name:<24} {:>8}  from previous {from:>5}",
            step.customers
        );
    }
    Ok(())
}

fn paths(data: &DataArgs, top: usize, json: bool) -> Result<(), Failure> {
    let loaded = load(&data.journey, &data.data, &data.select, json)?;
    let (journey, log, selection) = (&loaded.journey, &loaded.log, &loaded.selection);
    let variants = journey.variants(log, selection, top)?;
    let conformance = journey.conformance(log, selection)?;
    let follows = journey.directly_follows(log, selection)?;
    if json {
        let value = serde_json::json!({
            "variants": variants,
            "conformance": conformance,
            "directly_follows": follows,
        });
        out!(
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| Failure::of(&e, false))?
        );
        return Ok(());
    }
    out!(
        "\nMost walked paths ({} customers, {} distinct paths)",
        variants.customers,
        variants.distinct
    );
    for v in &variants.top {
        let names: Vec<&str> = v.touchpoints.iter().map(|t| t.as_str()).collect();
        out!(
            "  {:>6} ({:>5.1}%) converted {:>5}  {}",
            v.customers,
            v.share * 100.0,
            v.converted,
            names.join(" > ")
        );
    }
    if let Some(fitness) = conformance.fitness {
        out!(
            "\nFit with the map: {:.1}% of moves are designed flows",
            fitness * 100.0
        );
    }
    out!("\nBusiest moves:");
    let mut edges: Vec<_> = follows.edges.iter().collect();
    edges.sort_by_key(|e| std::cmp::Reverse(e.count));
    for edge in edges.iter().take(top) {
        out!(
            "  {:>6}  {} -> {}{}",
            edge.count,
            edge.from,
            edge.to,
            if edge.designed { "" } else { "  (off the map)" }
        );
    }
    Ok(())
}

fn render(
    journey: &Path,
    data: Option<&Path>,
    select: &SelectArgs,
    format: Option<Format>,
    output: Option<&Path>,
    lanes: LaneArg,
) -> Result<(), Failure> {
    let format = format
        .or_else(|| match output?.extension()?.to_str()? {
            "svg" => Some(Format::Svg),
            "dot" | "gv" => Some(Format::Dot),
            "mmd" | "mermaid" => Some(Format::Mermaid),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        })
        .unwrap_or(Format::Svg);
    let mut options = MapOptions::default().lanes(match lanes {
        LaneArg::Channel => Lanes::Channel,
        LaneArg::Persona => Lanes::Persona,
    });
    if let Some(persona) = &select.persona {
        options = options.persona(persona.clone());
    }
    let text = match data {
        None => {
            let journey = Journey::load(journey)?;
            draw(JourneyMap::new(&journey).options(options), format)?
        }
        Some(data) => {
            let loaded = load(journey, data, select, true)?;
            let observation = Observation::new(&loaded.journey, &loaded.log)?;
            let metrics = observation.metrics(&loaded.selection, Default::default())?;
            let friction = observation.friction(&loaded.selection, &friction_config(select)?)?;
            let follows = observation.directly_follows(&loaded.selection)?;
            let options = options.period(loaded.period.0, loaded.period.1);
            let map = JourneyMap::new(&loaded.journey)
                .metrics(&metrics)
                .friction(&friction)
                .flows(&follows)
                .options(options);
            draw(map, format)?
        }
    };
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure::of(&e, true).context(format!("cannot write {}", path.display()))),
        None => {
            out!(noline "{text}");
            Ok(())
        }
    }
}

fn draw(map: JourneyMap<'_>, format: Format) -> Result<String, Failure> {
    Ok(match format {
        Format::Svg => map.to_svg()?,
        Format::Dot => map.to_dot()?,
        Format::Mermaid => map.to_mermaid()?,
        Format::Html => HtmlReport::new(map).to_html()?,
    })
}

fn simulate(
    journey: &Path,
    behaviour: &Path,
    customers: usize,
    seed: u64,
    start: jiff::Timestamp,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let journey = Journey::load(journey)?;
    let behaviour = Behaviour::load(behaviour)?;
    let simulator = Simulator::new(&journey, &behaviour)?;
    let records = simulator.simulate(customers, seed, start);
    let written = match output {
        Some(path) => std::fs::File::create(path)
            .and_then(|file| journey_map::write_csv(&records, std::io::BufWriter::new(file)))
            .map_err(|e| Failure::of(&e, true).context(format!("cannot write {}", path.display()))),
        None => journey_map::write_csv(&records, std::io::stdout().lock()).map_err(Failure::output),
    };
    written?;
    if let Some(path) = output {
        out!(
            "{}: {} interactions of {customers} customers (seed {seed})",
            path.display(),
            records.len()
        );
    }
    Ok(())
}
