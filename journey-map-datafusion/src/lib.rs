//! journey-map's analyses inside [DataFusion](https://datafusion.apache.org): the same
//! reports as the in-memory path, on tables larger than memory, from SQL or DataFrames.
//!
//! # When to use which path
//!
//! - **In memory** (`journey_map::LogBuilder`, `journey_map::analysis::Observation`): the
//!   log fits in memory (about 48 bytes a record, so up to a few hundred million records on a
//!   large machine). Fastest, and the only path for incidents, period comparisons, trends,
//!   segment lenses and the pictures.
//! - **DataFusion** (this crate): the log lives in Parquet or CSV files or another
//!   DataFusion table, is larger than memory, or the analysis is part of a query. Metrics,
//!   friction, the directly-follows graph, variants, drop-off paths, conformance and Markov
//!   attribution give exactly the in-memory reports.
//!
//! # How it runs
//!
//! ```text
//!  table rows ──► GROUP BY journey_bucket(customer, n) ──► journey_partial(...)   one state per bucket
//!                                                               │
//!                                        journey_merge / journey_report           one state, one report
//! ```
//!
//! 1. `journey_bucket(customer, n)` spreads customers over `n` buckets by a hash of their id,
//!    the same everywhere, so **all of a customer's rows reach one group** however the table
//!    is partitioned: no layout of the files is required. (A table already partitioned by
//!    customer still goes through the same grouping.)
//! 2. `journey_partial('analysis', columns...)` is an aggregate: it keeps a bucket's rows
//!    (each input batch once, its rows ordered by bucket), then reads them into a log
//!    through the engine's [`Mapping`](journey_map::interactions::Mapping) and options, walks
//!    each customer once in time order and gives the analysis' partial state (binary).
//!    Between DataFusion's two phases, and on disk when it spills, its state is the rows
//!    themselves encoded as Arrow IPC in one binary value, so the memory a state takes is
//!    its length and DataFusion can account for it, move it and spill it.
//! 3. The Rust API ([`JourneyEngine::analyse`], [`JourneyEngine::partial`]) runs the plan of
//!    [`JourneyEngine::plan_buckets`] (one state per bucket) and merges the buckets' states as
//!    they arrive, outside DataFusion's memory pool: the merged state grows with the log
//!    (the metrics keep every duration, for exact percentiles) and cannot spill. In SQL,
//!    `journey_merge(partial)` merges the buckets' states and `journey_report(partial)` also
//!    finishes the report and gives it as JSON. States count exactly (integers and
//!    fixed-point sums), so the result does not depend on buckets, partitions or threads.
//!
//! # Out of core
//!
//! What one bucket holds at once is its rows: choose [`JourneyEngine::buckets`] so that a
//! bucket's rows are a small part of the memory DataFusion may use. With a limited memory
//! pool, DataFusion's partial phase emits its buckets early and the final phase spills them
//! to disk, sorted by bucket, and merges the files afterwards. Merging needs two spilled
//! batches in memory at once, and a spilled batch holds up to
//! `datafusion.execution.batch_size` buckets, so spilling works only while a stream's share
//! of the pool is well above what it spills (measured under a 1 GiB pool: 9.5M events
//! spilled and completed, 10M failed just short; at 100M events under 2 GiB the merge asked
//! for 5.3 GB). A table larger than that is analysed in [`JourneyEngine::passes`]: each
//! pass keeps the customers of a share of the buckets, and the passes' states are merged
//! exactly (10M events under 1 GiB in 2 passes, 100M under 2 GiB in 8). A pass that runs out
//! of the pool all the same is not the end of the query: the engine runs it again as two
//! passes of half its buckets, up to [`JourneyEngine::max_passes`] (64 by default).
//!
//! # Measured
//!
//! On the project's machine (2 cores), a simulated log of 10,073,642 events in Parquet:
//! metrics, friction and the directly-follows graph in one pass took 7.59 s through
//! DataFusion against 4.89 s in memory, reading included (1.55x); through a local Ballista
//! cluster, 9.93 s; under a 1 GiB pool in 2 passes, 14.51 s, and with the default settings
//! (one pass, which ran out of the pool after 11 s and was split), 20.26 s. 100,050,212
//! events with a 2 GiB pool in 8 passes (the first spilled 1.29 GB): 259.6 s, peak memory
//! 5.17 GB. The README has the table and `docs/performance.md` the commands.
//!
//! # Example: a DataFrame
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use datafusion::prelude::{CsvReadOptions, SessionContext};
//! use journey_map::Journey;
//! use journey_map_datafusion::{Analysis, JourneyEngine, Report};
//!
//! let journey = Journey::load("../examples/data/retail_bank.ron")?;
//! let engine = JourneyEngine::new(journey);
//! let ctx = SessionContext::new();
//! let log = ctx
//!     .read_csv(
//!         "../examples/data/retail_bank.interactions.csv",
//!         CsvReadOptions::new().schema_infer_max_records(0),
//!     )
//!     .await?;
//! let analysed = engine.analyse(log, Analysis::Friction).await?;
//! let Report::Friction(friction) = analysed.report else { unreachable!() };
//! assert!(!friction.points.is_empty());
//! assert_eq!(analysed.ingested.refused_count(), 0);
//! # Ok(())
//! # }
//! ```
//!
//! # Example: SQL
//!
//! ```sql
//! SELECT journey_report(p) AS report FROM (
//!     SELECT journey_partial('friction', customer, touchpoint, timestamp, outcome, wait_seconds) AS p
//!     FROM interactions
//!     GROUP BY journey_bucket(customer, 128))
//! ```
//!
//! The columns given to `journey_partial` are read by their names, through the engine's
//! mapping (the crate's own names without one). The analysis names are `metrics`, `friction`,
//! `directly_follows`, `variants`, `drop_off`, `conformance` and `attribution`. Several
//! names separated by commas (`'metrics, friction'`) share one reading of each bucket's rows,
//! and `journey_report` then gives a JSON list of reports, in that order
//! ([`JourneyEngine::analyse_many`] from Rust). See [`JourneyEngine::register`].
//!
//! # Bad input
//!
//! Errors are [`EngineError`]s, inside DataFusion's error as `External` when they happen in
//! a query ([`EngineError::find`] gets them back): the library's ingestion error for a bad
//! row in strict mode, with its row and closest id; in lenient mode refused rows are counted
//! by reason in [`Ingested`], never dropped silently.
#![warn(missing_docs)]

mod engine;
mod error;
mod functions;
mod partial;

pub use engine::{JourneyEngine, PartialState};
pub use error::EngineError;
pub use functions::bucket_of;
pub use partial::{Analysed, Analysis, Ingested, Report};
