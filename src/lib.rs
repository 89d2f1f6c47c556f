//! Customer journey maps that compute where customers struggle.
//!
//! A *customer journey map* is the typical customer's path from first need to purchase, use and
//! beyond: the *personas* who walk it, the ordered *stages* of their lifecycle, the *touchpoints*
//! where customer and company meet (each in a stage, on a channel, of a kind) and the designed
//! *flows* between touchpoints. journey-map holds such a map as a validated, typed graph that a
//! program can load from a RON file, build in code, query and save; attaches what customers
//! actually did to it; computes the CX metrics; and finds where customers struggle.
//!
//! # Contents
//!
//! - [Find where customers struggle](#find-where-customers-struggle)
//! - [Read exports as they are: mappings, sessions, segments](#read-exports-as-they-are-mappings-sessions-segments)
//! - [Observe once, select any slice, merge partial results](#observe-once-select-any-slice-merge-partial-results)
//! - [Over time: periods, comparisons, trends and incidents](#over-time-periods-comparisons-trends-and-incidents)
//! - [What customers really did](#what-customers-really-did)
//! - [The map as a picture](#the-map-as-a-picture)
//! - [Load a journey and ask it questions](#load-a-journey-and-ask-it-questions)
//! - [Build a journey in code](#build-a-journey-in-code)
//! - [Bad input](#bad-input)
//! - [Ids and indices](#ids-and-indices)
//! - [How the crate is laid out](#how-the-crate-is-laid-out)
//!
//! # Find where customers struggle
//!
//! Load a journey and its interactions, then ask for friction: every place where the journey
//! is slow, hard or ineffective, ranked by impact, each with its evidence, and only where the
//! sample shows it (see [`analysis::DetectFriction`] for the method). Each place is compared
//! like with like: a phone line with the other phone touchpoints, a web page with the other
//! web pages, a move between two touchpoints (a handoff) with the other moves between the
//! same channels; a rate the map designs (a self-flow's expected share) or a service level
//! the journey file promises is the baseline where one is given.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use journey_map::analysis::{DetectFriction, FrictionConfig, FrictionKind, Selection};
//! use journey_map::{IngestOptions, Journey, LogBuilder};
//!
//! let journey = Journey::load("examples/data/retail_bank.ron")?;
//! let mut builder = LogBuilder::new(&journey, IngestOptions::default());
//! builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
//! let (log, _) = builder.finish();
//!
//! let report = journey.detect_friction(&log, &Selection::all(), &FrictionConfig::default())?;
//! let worst = &report.points[0];
//! assert_eq!(worst.kind, FrictionKind::LongWait);
//! assert_eq!(worst.location.to_string(), "verification-callback");
//! assert_eq!(
//!     worst.summary,
//!     "Customers typically wait 85.6 min at Verification callback, against 58 s at the other human service touchpoints on phone."
//! );
//! let evidence = worst.evidence.as_ref().ok_or("statistical friction has evidence")?;
//! assert!(evidence.q <= 0.05 && evidence.sample_size >= 30);
//!
//! // The proof of address takes days to arrive by post: a slow handoff, on the move itself.
//! let letter = report.points.iter().find(|p| p.kind == FrictionKind::SlowHandoff).ok_or("no handoff")?;
//! assert_eq!(letter.location.to_string(), "verification-email -> address-proof-letter");
//! // Phone lines promise 80% of calls answered within two minutes (the journey file's
//! // service levels); the callback breaks that promise.
//! assert!(report.points.iter().any(|p| p.kind == FrictionKind::MissedServiceLevel
//!     && p.location.to_string() == "verification-callback"));
//! # Ok(())
//! # }
//! ```
//!
//! # Read exports as they are: mappings, sessions, segments
//!
//! Real logs come as exports of help desks, web analytics and CRMs, each with its own column
//! names, time formats and event names. An [`interactions::Mapping`], written in code or in a
//! RON file, reads them without a converter: the column of each field or a constant default,
//! columns to leave out, value maps, event names to touchpoints (many to one), events to skip,
//! marker events that set the outcome of the customer's previous interaction, a strftime-style
//! time format and an IANA zone for local times, segment columns, and an inactivity gap that
//! splits a customer's history into journeys. The bundled sample holds the bank's log as a
//! help-desk export (`examples/data/retail_bank.export.csv`) and its mapping:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use journey_map::interactions::Mapping;
//! use journey_map::{IngestOptions, Journey, LogBuilder, Mode};
//!
//! let journey = Journey::load("examples/data/retail_bank.ron")?;
//! let mapping = Mapping::load("examples/data/retail_bank.mapping.ron")?;
//! let mut builder =
//!     LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient)).mapping(mapping)?;
//! builder.read_path("examples/data/retail_bank.export.csv")?;
//! let (log, report) = builder.finish();
//! // Every row is attached, left out on purpose or refused, each by reason.
//! assert_eq!((report.rows(), report.accepted, report.rejected_count()), (7_789, 7_461, 0));
//! assert_eq!(report.skipped[0].reason, "skipped event \"Page ping\"");
//! assert_eq!(log.customers().len(), 2_000);
//! # Ok(())
//! # }
//! ```
//!
//! A web clickstream: page events with their own names in milliseconds, sessions, a platform
//! segment, and a heartbeat to leave out. Every analysis then walks journeys (one per session
//! here) and selects by segment:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use journey_map::analysis::{MetricsReport, Selection};
//! use journey_map::interactions::{Field, Mapping, TimeFormat};
//! use journey_map::{IngestOptions, Journey, LogBuilder, UnixUnit};
//!
//! let journey = Journey::load("examples/data/retail_bank.ron")?;
//! let mapping = Mapping::new()
//!     .column(Field::Customer, "user_id")
//!     .column(Field::Touchpoint, "event")
//!     .column(Field::Timestamp, "ts")
//!     .column(Field::Session, "session_id")
//!     .default_value(Field::Outcome, "completed")
//!     .event("product_view", "product-page")
//!     .event("product_view_mobile", "product-page")
//!     .event("apply_start", "online-application")
//!     .skip("heartbeat")
//!     .segment("platform", "platform")
//!     .time(TimeFormat::default().unix(UnixUnit::Milliseconds));
//! let clicks = "user_id,event,ts,session_id,platform\n\
//!               u1,product_view,1767603600000,s1,ios\n\
//!               u1,heartbeat,1767603630000,s1,ios\n\
//!               u1,apply_start,1767603660000,s1,ios\n\
//!               u1,product_view_mobile,1768208400000,s2,android\n\
//!               u2,product_view,1767603600000,s3,web\n";
//! let mut builder = LogBuilder::new(&journey, IngestOptions::default()).mapping(mapping)?;
//! builder.read_csv(clicks.as_bytes())?;
//! let (log, report) = builder.finish();
//! assert_eq!((report.customers, report.journeys), (2, 3));
//! let android = Selection::all().segment("platform", "android");
//! let metrics = MetricsReport::compute(&journey, &log, &android, Default::default())?;
//! assert_eq!((metrics.journey.customers, metrics.journey.journeys), (1, 1));
//! # Ok(())
//! # }
//! ```
//!
//! With the `arrow` feature, `LogBuilder::read_record_batch` and `read_parquet_path` read Arrow
//! record batches and Parquet files through the same mapping; any other source can hand
//! borrowed [`Record`]s to [`LogBuilder::push_record`] without allocating per record.
//!
//! # Observe once, select any slice, merge partial results
//!
//! Every analysis hangs off an [`analysis::Observation`]: a journey paired with a log built for
//! it, checked once by the journey's [`Fingerprint`]. An [`analysis::Selection`] picks the
//! customers (a persona, a time window, converted or not); every analysis takes one. Each
//! selected customer's path is walked once ([`analysis::CustomerPath`]) into the analysis'
//! partial state ([`analysis::Accumulate`]), which merges exactly with other customers'
//! states: analyses run on every core, and another engine can compute them on partitions.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use journey_map::analysis::{Accumulate, MetricsOptions, Observation, Selection, Tallies};
//! use journey_map::{IngestOptions, Journey, LogBuilder};
//!
//! let journey = Journey::load("examples/data/retail_bank.ron")?;
//! let mut builder = LogBuilder::new(&journey, IngestOptions::default());
//! builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
//! let (log, _) = builder.finish();
//! let observation = Observation::new(&journey, &log)?;
//!
//! // The metrics of customers who did not convert, on every core.
//! let lost = Selection::all().converted(false);
//! let report = observation.metrics(&lost, MetricsOptions::default())?;
//!
//! // The same from two partial states, computed apart, shipped as JSON and merged.
//! let half = log.customers().len() / 2;
//! let part = |range| observation.accumulate_range(&lost, range, Tallies::new(&journey, log.scales(), MetricsOptions::default()));
//! let mut first = part(0..half)?;
//! let second: Tallies = serde_json::from_str(&serde_json::to_string(&part(half..log.customers().len())?)?)?;
//! first.merge(second)?;
//! assert_eq!(first.finish(&journey)?, report);
//!
//! // A log built for another journey is refused, never misread.
//! let broadband = Journey::load("examples/data/broadband.ron")?;
//! assert!(Observation::new(&broadband, &log).is_err());
//! # Ok(())
//! # }
//! ```
//!
//! # Over time: periods, comparisons, trends and incidents
//!
//! Journeys change: a release breaks a form, a payment provider fails for three weeks. Every
//! analysis takes a time window through its [`analysis::Selection`]; beyond that,
//! [`analysis::Observation::compare_periods`] says what got worse or better between two
//! [`analysis::friction::Period`]s, [`analysis::Observation::trends`] gives every measure by
//! day, ISO week or month ([`analysis::Calendar`], in a time zone), and
//! [`analysis::Observation::incidents`] finds, without being told where to look, the windows
//! where a place departed from its own history. The bundled sample plants a month-long
//! outage of the fee comparison tool in March 2026, diluted in the whole-period report:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use journey_map::analysis::friction::{Direction, Period};
//! use journey_map::analysis::{Calendar, FrictionConfig, FrictionKind, Granularity, Observation, Selection, TimeRange};
//! use journey_map::{IngestOptions, Journey, LogBuilder};
//!
//! let journey = Journey::load("examples/data/retail_bank.ron")?;
//! let mut builder = LogBuilder::new(&journey, IngestOptions::default());
//! builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
//! let (log, _) = builder.finish();
//! let observation = Observation::new(&journey, &log)?;
//! let config = FrictionConfig::default();
//!
//! // Incidents by month: the outage, with its dates.
//! let months = Calendar::new(Granularity::Month);
//! let report = observation.incidents(&Selection::all(), &months, &config)?;
//! let outage = &report.incidents[0];
//! assert_eq!((outage.kind, outage.location.to_string()), (FrictionKind::Failure, "comparison-tool".to_owned()));
//! assert!(outage.summary.starts_with("From 2026-03-01 to 2026-03-31 (1 month): Fee comparison tool fails for "));
//!
//! // March against February: the failures rose.
//! let february = Period::new("2026-02-01T00:00:00Z".parse()?, "2026-03-01T00:00:00Z".parse()?);
//! let march = Period::new("2026-03-01T00:00:00Z".parse()?, "2026-04-01T00:00:00Z".parse()?);
//! let comparison = observation.compare_periods(&Selection::all(), &february, &march, &config)?;
//! let worse = comparison.changes.iter().find(|c| c.direction == Direction::Worse).ok_or("no change")?;
//! assert!(worse.summary.starts_with("Failures at Fee comparison tool rose from "));
//!
//! // March alone: the friction report of that window ranks it.
//! let window = Selection::all().time(TimeRange::new(march.start, march.end));
//! let in_march = observation.friction(&window, &config)?;
//! assert!(in_march.points.iter().any(|p| p.kind == FrictionKind::Failure
//!     && p.location.to_string() == "comparison-tool"));
//! # Ok(())
//! # }
//! ```
//!
//! # What customers really did
//!
//! Compare the paths customers took with the map, see which touchpoints carry conversions, and
//! predict what a change would do (see [`analysis::ObservePaths`], [`analysis::CheckConformance`],
//! [`analysis::Attribute`] and [`analysis::MarkovChain::predict`]).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use journey_map::analysis::{Attribute, Change, CheckConformance, ObservePaths, Selection};
//! use journey_map::{IngestOptions, Journey, LogBuilder};
//!
//! let journey = Journey::load("examples/data/retail_bank.ron")?;
//! let mut builder = LogBuilder::new(&journey, IngestOptions::default());
//! builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
//! let (log, _) = builder.finish();
//! let everyone = Selection::all();
//!
//! let variants = journey.variants(&log, &everyone, 3)?;
//! assert_eq!(variants.top[0].touchpoints[0].as_str(), "social-campaign");
//! let conformance = journey.conformance(&log, &everyone)?;
//! assert!(conformance.fitness.ok_or("no moves")? > 0.95);
//!
//! let attribution = journey.attribution(&log, &everyone)?;
//! assert_eq!((attribution.customers, attribution.conversions), (2000, 513));
//! let chain = journey.markov_chain(&log, &everyone)?;
//! let fixed = chain.predict(&journey, &[Change::LowerDropOff {
//!     touchpoint: "online-application".into(),
//!     by: 0.5,
//! }])?;
//! assert!(fixed.predicted > fixed.current);
//! # Ok(())
//! # }
//! ```
//!
//! # The map as a picture
//!
//! [`render::JourneyMap`] draws the journey with whichever reports it is given: an SVG journey
//! map (stages as columns, lanes by channel or persona, a card per touchpoint with its volume
//! and key metric, flows as wide as the moves observed, friction where it is with its rank,
//! the emotion curve and the funnel), Graphviz DOT, Mermaid, and with [`render::HtmlReport`]
//! one self-contained HTML page. The `journey-map` command line (feature `cli`) does the same
//! on files.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use journey_map::analysis::{DetectFriction, FrictionConfig, MetricsReport, Selection};
//! use journey_map::render::JourneyMap;
//! use journey_map::{IngestOptions, Journey, LogBuilder};
//!
//! let journey = Journey::load("examples/data/retail_bank.ron")?;
//! let mut builder = LogBuilder::new(&journey, IngestOptions::default());
//! builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
//! let (log, _) = builder.finish();
//! let metrics = MetricsReport::compute(&journey, &log, &Selection::all(), Default::default())?;
//! let friction = journey.detect_friction(&log, &Selection::all(), &FrictionConfig::default())?;
//! let svg = JourneyMap::new(&journey).metrics(&metrics).friction(&friction).to_svg()?;
//! assert!(svg.contains("Friction, ranked by impact"));
//! # Ok(())
//! # }
//! ```
//!
//! # Load a journey and ask it questions
//!
//! A journey file is RON. Stages are listed in journey order; touchpoints name their stage, a
//! [`Channel`] and a [`TouchpointKind`], and may be marked as an `entry` (where customers start)
//! or a `goal` (a success). Flows are the designed transitions, with an optional label and the
//! share of customers expected to take them. The README has the complete format reference.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use journey_map::{Channel, Journey, PathLimits};
//!
//! let journey = Journey::from_ron_str(r#"
//! #![enable(implicit_some)]
//! (
//!     name: "Mobile phone contract",
//!     personas: [
//!         (id: "switcher", name: "Switcher", preferred_channels: [Web], uses: ["shop", "checkout"]),
//!     ],
//!     stages: [
//!         (id: "choose", name: "Choose"),
//!         (id: "buy", name: "Buy"),
//!         (id: "activate", name: "Activate"),
//!     ],
//!     touchpoints: [
//!         (id: "shop", name: "Online shop", stage: "choose", channel: Web, kind: DigitalProduct, entry: true),
//!         (id: "checkout", name: "Checkout", stage: "buy", channel: Web, kind: DigitalProduct),
//!         (id: "chatbot", name: "Sales assistant", stage: "buy", channel: Chatbot, kind: AutomatedService),
//!         (id: "sales-agent", name: "Sales agent", stage: "buy", channel: Phone, kind: HumanService, owner: "Telesales"),
//!         (id: "sim-arrives", name: "SIM card arrives", stage: "activate", channel: Post, kind: PhysicalProduct, goal: true),
//!     ],
//!     flows: [
//!         (from: "shop", to: "checkout", expected_share: 0.6),
//!         (from: "checkout", to: "checkout", label: "retry payment", expected_share: 0.1),
//!         (from: "checkout", to: "chatbot", label: "payment failed", expected_share: 0.1),
//!         (from: "chatbot", to: "sales-agent", label: "escalate to a human", expected_share: 0.5),
//!         (from: "sales-agent", to: "sim-arrives", expected_share: 0.8),
//!         (from: "checkout", to: "sim-arrives", expected_share: 0.75),
//!     ],
//! )"#)?;
//!
//! // What happens in a stage, and on which channels.
//! let buy = journey.touchpoints_in_stage("buy")?;
//! assert_eq!(buy.len(), 3);
//! assert_eq!(journey.channels_in_stage("buy")?, [&Channel::Web, &Channel::Chatbot, &Channel::Phone]);
//!
//! // Where a customer can go next, and which stage a touchpoint is in.
//! let next: Vec<&str> = journey.next_touchpoints("checkout")?.iter().map(|t| t.id.as_str()).collect();
//! assert_eq!(next, ["checkout", "chatbot", "sim-arrives"]);
//! assert_eq!(journey.stage_of("sales-agent")?.name, "Buy");
//!
//! // Every designed path from an entry to a goal, bounded.
//! let paths = journey.paths_to_goals(PathLimits::default());
//! assert_eq!(paths.paths.len(), 2);
//!
//! // Structural findings: touchpoints no entry reaches, dead ends, empty stages.
//! assert!(journey.warnings().is_empty());
//!
//! // Saving and loading again gives an equal journey.
//! assert_eq!(Journey::from_ron_str(&journey.to_ron_string()?)?, journey);
//! # Ok(())
//! # }
//! ```
//!
//! Files load with [`Journey::load`] and save with [`Journey::save`]; a journey is also
//! [`serde::Serialize`] and [`serde::Deserialize`] in its document form, so it can be written
//! as JSON or any other serde format, and is validated when read.
//!
//! # Build a journey in code
//!
//! [`JourneyBuilder`] collects personas, stages, touchpoints and flows and checks them all in
//! [`JourneyBuilder::build`], exactly as a file is checked (files are read into a builder).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use journey_map::{Channel, Flow, JourneyBuilder, Persona, Stage, Touchpoint, TouchpointKind};
//!
//! let journey = JourneyBuilder::new("Support")
//!     .persona(Persona::new("owner", "Home owner").with_preferred_channel(Channel::Phone))
//!     .stage(Stage::new("help", "Get help"))
//!     .touchpoint(Touchpoint::new("faq", "FAQ", "help", Channel::Web, TouchpointKind::DigitalProduct).entry())
//!     .touchpoint(Touchpoint::new("agent", "Agent", "help", Channel::Phone, TouchpointKind::HumanService).goal())
//!     .flow(Flow::new("faq", "agent").with_label("call us"))
//!     .build()?;
//! assert_eq!(journey.previous_touchpoints("agent")?[0].id, "faq");
//! # Ok(())
//! # }
//! ```
//!
//! # Bad input
//!
//! Nothing here panics on bad input, and nothing returns a half-built journey.
//!
//! - Malformed RON, unknown or missing fields and values of the wrong type are a
//!   [`LoadError::Syntax`] naming the file, line and column and what was expected.
//! - A well-formed file that describes an invalid journey is a [`LoadError::Invalid`] whose
//!   [`ValidationError`] lists **every** [`Problem`] at once, each naming its item: duplicate or
//!   empty ids, references to unknown stages, touchpoints or personas with the closest valid id
//!   as a suggestion, repeated flows, expected shares outside `0..=1` or above 1 in total, and a
//!   journey without a stage, a touchpoint, an entry or a goal.
//! - Structural findings that are not errors come back from [`Journey::warnings`].
//! - Lookups of an unknown id return an [`UnknownIdError`] with a suggestion.
//!
//! ```
//! use journey_map::{Journey, LoadError};
//!
//! let error = Journey::from_ron_str(r#"(
//!     name: "Typos",
//!     stages: [(id: "buy", name: "Buy")],
//!     touchpoints: [(id: "shop", name: "Shop", stage: "by", channel: Web, kind: DigitalProduct, entry: true, goal: true)],
//!     flows: [(from: "shop", to: "shpo")],
//! )"#).unwrap_err();
//! let problems: Vec<String> = error.validation().unwrap().problems().iter().map(|p| p.to_string()).collect();
//! assert_eq!(problems, [
//!     "touchpoint \"shop\" names unknown stage \"by\" in `stage` (did you mean \"buy\"?)",
//!     "flow #1 (\"shop -> shpo\") names unknown touchpoint \"shpo\" in `to` (did you mean \"shop\"?)",
//! ]);
//!
//! let error = Journey::from_ron_str("(name: \"x\", stages: [(id: \"a\", nme: \"A\")])").unwrap_err();
//! assert!(matches!(error, LoadError::Syntax { line: 1, column: 32, .. }));
//! ```
//!
//! Hostile input is bounded: nesting deeper than 64 levels is an error, not a stack overflow,
//! suggestions cost linear time, and memory grows linearly with the input, at most 5x its size
//! for any shape the tests try (the README's "Bad input" section gives the measured costs).
//! `fuzz/` holds cargo-fuzz targets for every loader and every analysis.
//!
//! # Ids and indices
//!
//! Each persona, stage and touchpoint has a string id, typed by kind ([`PersonaId`],
//! [`StageId`], [`TouchpointId`]), which is what files and people use; lookups by id are O(1).
//! Each item also has a dense index ([`TouchpointIndex`] and friends): its position in file
//! order, stable for the life of the immutable [`Journey`], for programs that keep one slot per
//! touchpoint in a vector. petgraph's node indices never leave the crate.
//!
//! # How the crate is laid out
//!
//! Data flows one way: model, then log, then analyses, then reports.
//!
//! ```text
//! RON journey file ──> format (document structs, serde) ──> model checks ──> Journey
//!                                                              (petgraph graph, typed ids)
//! Journey ──> queries: stages, neighbours, personas, paths, dead ends, unreachable, warnings
//! CSV / Parquet / Arrow (through a Mapping) / RON / code (Interaction, Record)
//!     ──> LogBuilder (checks against the Journey and the Scales, strict or lenient; markers)
//!     ──> InteractionLog (interned ids, each customer in time order, split into journeys by
//!         session or inactivity, each journey carrying its persona and segments)
//!         + IngestReport (attached, left out and refused by reason, warnings)
//! Journey + InteractionLog ──> analysis::Tallies (mergeable) ──> MetricsReport (serde)
//! Journey + InteractionLog + FrictionConfig ──> analysis::DetectFriction (one pass of counts,
//!     stats tests against peers, designed shares and service levels, Benjamini-Hochberg,
//!     persona lens) ──> FrictionReport (serde)
//! Observation + Calendar ──> ByBucket<FrictionCounts> (one pass, a partial state per bucket)
//!     ──> incidents (each bucket against its own history), trends; two Periods ──> comparison
//!
//! Journey + sim::Behaviour ──> sim::Simulator (seeded) ──> interactions (ground truth)
//! Journey + InteractionLog + Selection ──> analysis::ObservePaths (directly-follows graph,
//!     variants, drop-off paths), analysis::CheckConformance ──> reports (serde)
//!                                        ──> analysis::Attribute ──> MarkovChain (sparse LU)
//!     ──> removal effects, Shapley over channels; MarkovChain + Change / JourneyDiff ──> Prediction
//! Journey + MetricsReport + FrictionReport + DirectlyFollowsGraph ──> render::JourneyMap
//!     (scene: what the picture shows) ──> SVG, DOT, Mermaid; + Variants, incidents, trends
//!     ──> render::HtmlReport ──> one HTML page
//! Parquet / CSV / any DataFusion table ──> journey-map-datafusion (workspace crate):
//!     GROUP BY journey_bucket(customer) ──> journey_partial (a bucket's rows ──> LogBuilder
//!     ──> one partial state) ──> journey_merge ──> the same reports (serde)
//! ```
//!
//! - [`model`](mod@model): ids, personas, stages, touchpoints, flows, the [`Journey`] graph,
//!   the builder and its validation (with bounded "did you mean" suggestions, `suggest.rs`),
//!   queries and structural checks. The model knows nothing of files' syntax, interactions or
//!   analyses.
//! - [`format`](mod@format): the RON document structure and its conversion to and from
//!   [`Journey`], with [`LoadError`] and [`SaveError`], and [`SettingsError`] for settings
//!   files; maps in every file keep each key once (`unique.rs`).
//! - [`interactions`](mod@interactions): interaction records (owned and borrowed), score
//!   scales, the log and its builder, mappings (`mapping.rs`), journeys, sessions and segments
//!   (`segments.rs`), CSV, Parquet and Arrow (`arrow.rs`, feature `arrow`) and RON reading,
//!   reading by extension (`files.rs`), interned needs, tags and segment values
//!   (`interner.rs`), the customer-by-customer part of finishing a log (`finishing.rs`:
//!   record ranges, journey splits, warnings), mapping the record vector's pages ahead of the
//!   records (`pages.rs`, the crate's one `unsafe` block, Linux only), and what ingestion
//!   reports. The log knows the journey only through the touchpoint and persona indices it
//!   resolved.
//! - [`stats`](mod@stats): Wilson intervals, exact mergeable percentiles, means and moments,
//!   Kaplan-Meier times to an event, one-sided tests and the Benjamini-Hochberg correction,
//!   shared by every analysis.
//! - [`analysis`](mod@analysis): the observation, the selection, the per-customer walk and
//!   the [`Accumulate`](analysis::Accumulate) trait of partial states, then each analysis in its
//!   own module: [`metrics`](analysis::metrics), [`friction`](analysis::friction),
//!   [`paths`](analysis::paths), [`conformance`](analysis::conformance),
//!   [`attribution`](analysis::attribution) and [`whatif`](analysis::whatif). The analyses share
//!   one layout of the journey (channels, stages and designed flows on dense indices), so
//!   friction's off-map moves and conformance's agree. `analysis/calendar.rs` cuts time into
//!   buckets; friction over time lives beside friction: `friction/periods.rs` (periods and the
//!   per-bucket pass), `friction/incidents.rs`, `friction/compare.rs`, `friction/trends.rs`.
//! - [`render`](mod@render): pictures of the journey and its reports (`scene.rs` gathers what
//!   a picture shows; `svg.rs`, `dot.rs`, `mermaid.rs` and `html.rs` draw it; `text.rs`
//!   escapes, wraps and formats). It reads the model and the analyses' reports, never the
//!   log; nothing else reads it. `src/bin/journey-map.rs` is the command line (feature `cli`).
//! - `sim` (feature `simulator`, on by default): the seeded simulator and its behaviour model,
//!   where friction is planted.
//! - `journey-map-datafusion/` (a crate of the workspace, not of this library): the analyses
//!   as DataFusion aggregate functions, built on the public partial states and the Arrow
//!   reading of the `arrow` feature; the library knows nothing of it.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use journey_map::{IngestOptions, Journey, LogBuilder, Mode};
//!
//! let journey = Journey::load("examples/data/retail_bank.ron")?;
//! let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
//! builder.read_csv("customer,touchpoint,timestamp,outcome,csat\n\
//!                   c1,search-ad,2026-01-05T09:00:00Z,completed,\n\
//!                   c1,online-application,2026-01-05T09:04:00Z,failed,2\n".as_bytes())?;
//! let (log, report) = builder.finish();
//! assert_eq!((log.len(), report.rejected_count()), (2, 0));
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]
// One audited block (`interactions/pages.rs`) asks the kernel to map a vector's pages.
#![deny(unsafe_code)]

pub mod analysis;
pub mod format;
pub mod interactions;
pub mod model;
pub mod render;
#[cfg(feature = "simulator")]
pub mod sim;
pub mod stats;

pub use format::{LoadError, SaveError, SettingsError};
pub use interactions::{
    AggregatedPath, AggregatedPaths, AggregatedPathsError, CustomerId, CustomerIds, CustomerIndex,
    EffortDirection, IngestError, IngestOptions, IngestReport, IngestWarning, Interaction,
    InteractionLog, InteractionRef, JourneyIndex, LogBuilder, Mode, Outcome, Record, Scales,
    ScoreScale, UnixUnit, write_csv,
};
pub use model::{
    Channel, ChannelServiceLevel, Fingerprint, Flow, FlowIndex, ItemKind, Journey, JourneyBuilder,
    PathLimits, Persona, PersonaId, PersonaIndex, Problem, ServiceLevel, ServiceLevelOwner, Stage,
    StageId, StageIndex, StructuralWarning, Touchpoint, TouchpointId, TouchpointIndex,
    TouchpointKind, UnknownIdError, ValidationError, Within,
};

/// The README's Rust examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
