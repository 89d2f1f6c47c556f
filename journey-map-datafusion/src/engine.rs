//! [`JourneyEngine`]: a journey, how its rows are read, and which customers to look at,
//! registered in a DataFusion session as functions, and the plan that runs an analysis.

use std::sync::Arc;

use datafusion::arrow::array::AsArray;
use datafusion::common::Column;
use datafusion::execution::FunctionRegistry;
use datafusion::execution::session_state::SessionState;
use datafusion::logical_expr::{AggregateUDF, Expr, ScalarUDF, lit};
use datafusion::prelude::{DataFrame, SessionContext};
use futures::StreamExt;
use journey_map::analysis::{FrictionConfig, MetricsOptions, Selection};
use journey_map::interactions::{Field, Mapping};
use journey_map::{IngestOptions, Journey, LogBuilder};

use crate::error::EngineError;
use crate::functions::{BucketFunction, MergeFunction, PartialFunction};
use crate::partial::{Analysed, Analysis, Partial};

/// What every bucket's reading and walking shares.
#[derive(Debug, Clone)]
pub(crate) struct Setup {
    pub(crate) journey: Arc<Journey>,
    pub(crate) mapping: Option<Mapping>,
    pub(crate) ingest: IngestOptions,
    pub(crate) selection: Selection,
    pub(crate) metrics: MetricsOptions,
    pub(crate) friction: FrictionConfig,
    pub(crate) top_variants: usize,
    pub(crate) top_drop_off: usize,
    pub(crate) buckets: u32,
    pub(crate) passes: u32,
    pub(crate) max_passes: u32,
}

/// journey-map's analyses as DataFusion functions, for one journey.
///
/// An engine holds the journey, the [`Mapping`] from the table's columns (if the table does
/// not use the crate's own column names), the [`IngestOptions`] (strict or lenient, scales),
/// the [`Selection`] of customers and the analyses' settings. [`register`](Self::register)
/// adds its functions to a session for SQL; [`analyse`](Self::analyse) runs an analysis on a
/// [`DataFrame`] and gives the library's own report, equal to the in-memory path's.
///
/// # How it runs
///
/// Customers are spread over [`buckets`](Self::buckets) by a hash of their id
/// (`journey_bucket`), so that all of a customer's rows meet in one group wherever the
/// table's partitions put them. `journey_partial` gathers a bucket's rows (DataFusion may
/// spill them), reads them into a log through the mapping, walks each customer once and
/// gives the analysis' partial state; `journey_merge` merges the buckets' states exactly
/// (integer counts and fixed-point sums), and the report is finished from the merged state.
///
/// # Example
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use datafusion::prelude::{CsvReadOptions, SessionContext};
/// use journey_map::Journey;
/// use journey_map_datafusion::{Analysis, JourneyEngine, Report};
///
/// let journey = Journey::load("../examples/data/retail_bank.ron")?;
/// let engine = JourneyEngine::new(journey);
/// let ctx = SessionContext::new();
/// let options = CsvReadOptions::new().schema_infer_max_records(0); // every column as text
/// let log = ctx.read_csv("../examples/data/retail_bank.interactions.csv", options).await?;
/// let analysed = engine.analyse(log, Analysis::Metrics).await?;
/// let Report::Metrics(metrics) = analysed.report else { unreachable!() };
/// assert_eq!(metrics.journey.customers, analysed.ingested.customers);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct JourneyEngine {
    setup: Arc<Setup>,
}

impl JourneyEngine {
    /// The default number of buckets.
    pub const DEFAULT_BUCKETS: u32 = 128;

    /// The default most passes a pass that runs out of memory is split into (see
    /// [`max_passes`](Self::max_passes)).
    pub const DEFAULT_MAX_PASSES: u32 = 64;

    /// An engine for `journey`: the crate's column names, strict reading, every customer,
    /// default settings.
    pub fn new(journey: impl Into<Arc<Journey>>) -> Self {
        Self {
            setup: Arc::new(Setup {
                journey: journey.into(),
                mapping: None,
                ingest: IngestOptions::default(),
                selection: Selection::all(),
                metrics: MetricsOptions::default(),
                friction: FrictionConfig::default(),
                top_variants: 20,
                top_drop_off: 10,
                buckets: Self::DEFAULT_BUCKETS,
                passes: 1,
                max_passes: Self::DEFAULT_MAX_PASSES,
            }),
        }
    }

    fn with(mut self, change: impl FnOnce(&mut Setup)) -> Self {
        let setup = Arc::make_mut(&mut self.setup);
        change(setup);
        self
    }

    /// Reads the table's columns through `mapping`.
    ///
    /// # Errors
    ///
    /// [`EngineError::Mapping`] with every problem of the mapping against the journey.
    pub fn mapping(self, mapping: Mapping) -> Result<Self, EngineError> {
        LogBuilder::new(&self.setup.journey, self.setup.ingest)
            .mapping(mapping.clone())
            .map_err(EngineError::Mapping)?;
        Ok(self.with(|s| s.mapping = Some(mapping)))
    }

    /// How rows are read: strict (the first bad row fails the query) or lenient (bad rows
    /// counted by reason in [`Ingested`](crate::Ingested)), scales, time units.
    pub fn ingest(self, options: IngestOptions) -> Self {
        self.with(|s| s.ingest = options)
    }

    /// Which customers and interactions the analyses look at.
    ///
    /// # Errors
    ///
    /// [`EngineError::SegmentSelection`] for a selection by segment (filter the rows in the
    /// query instead); [`EngineError::Selection`] for a persona the journey lacks.
    pub fn selection(self, selection: Selection) -> Result<Self, EngineError> {
        if !selection.current_segments().is_empty() {
            return Err(EngineError::SegmentSelection);
        }
        if let Some(persona) = selection.current_persona() {
            // An empty log of this journey resolves the persona as every bucket will.
            let (log, _) = LogBuilder::new(&self.setup.journey, self.setup.ingest).finish();
            journey_map::analysis::Observation::new(&self.setup.journey, &log)
                .map_err(|e| EngineError::Selection(e.into()))?
                .accumulate_range(
                    &Selection::all().persona(persona.clone()),
                    0..0,
                    journey_map::analysis::FollowsCounts::new(&self.setup.journey),
                )
                .map_err(EngineError::Selection)?;
        }
        Ok(self.with(|s| s.selection = selection))
    }

    /// The metrics' settings (repeat window, first-contact-resolution rule).
    pub fn metrics_options(self, options: MetricsOptions) -> Self {
        self.with(|s| s.metrics = options)
    }

    /// The friction settings.
    ///
    /// # Errors
    ///
    /// [`EngineError::Config`] for settings out of range; a segment lens is refused as
    /// [`EngineError::SegmentSelection`] (segment values are interned per log).
    pub fn friction(self, config: FrictionConfig) -> Result<Self, EngineError> {
        config.validate().map_err(EngineError::Config)?;
        if config.current_segment_lens().is_some() {
            return Err(EngineError::SegmentSelection);
        }
        Ok(self.with(|s| s.friction = config))
    }

    /// How many variants the variants report lists (20 by default).
    pub fn top_variants(self, top: usize) -> Self {
        self.with(|s| s.top_variants = top)
    }

    /// How many paths each drop-off point lists (10 by default).
    pub fn top_drop_off(self, top: usize) -> Self {
        self.with(|s| s.top_drop_off = top)
    }

    /// How many buckets customers are spread over ([`DEFAULT_BUCKETS`](Self::DEFAULT_BUCKETS);
    /// at least 1). More buckets spread the work over more partitions and keep each
    /// bucket's rows small (what `journey_partial` holds at once when DataFusion spills);
    /// fewer make fewer partial states to merge.
    pub fn buckets(self, buckets: u32) -> Self {
        self.with(|s| s.buckets = buckets.max(1))
    }

    /// In how many passes over the table the analyses run (1 by default; at least 1). Each
    /// pass reads the table again and keeps only the customers of its buckets
    /// (`journey_bucket(customer, n) % passes = pass`), so a pass holds about `1 / passes` of
    /// the rows at once; the passes' partial states are merged exactly, so the reports do not
    /// change. This is how a table much larger than DataFusion's memory pool is analysed:
    /// choose passes so that a pass's rows (about 200 to 300 bytes each as Arrow arrays)
    /// take well under half of the pool.
    ///
    /// # Example
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use datafusion::prelude::{CsvReadOptions, SessionContext};
    /// use journey_map::Journey;
    /// use journey_map_datafusion::{Analysis, JourneyEngine};
    ///
    /// let engine = JourneyEngine::new(Journey::load("../examples/data/retail_bank.ron")?);
    /// let ctx = SessionContext::new();
    /// let options = CsvReadOptions::new().schema_infer_max_records(0);
    /// let log = ctx.read_csv("../examples/data/retail_bank.interactions.csv", options).await?;
    /// let in_three = engine.clone().passes(3).analyse(log.clone(), Analysis::Metrics).await?;
    /// assert_eq!(in_three, engine.analyse(log, Analysis::Metrics).await?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn passes(self, passes: u32) -> Self {
        self.with(|s| s.passes = passes.max(1))
    }

    /// The number of passes.
    pub fn current_passes(&self) -> u32 {
        self.setup.passes
    }

    /// Up to how many passes a pass that runs out of DataFusion's memory pool is split
    /// ([`DEFAULT_MAX_PASSES`](Self::DEFAULT_MAX_PASSES); 1 turns splitting off).
    ///
    /// DataFusion spills the grouping of a pass to disk when the pool is full, but merging
    /// the spill files back needs room for a spilled batch of each, and a batch holds whole
    /// buckets: a pass many times the pool's size can fail there with
    /// `ResourcesExhausted`. The engine then runs that pass again as two passes of half its
    /// buckets each (pass `r` of `n` is passes `r` and `r + n` of `2n`; the passes already
    /// done are kept), and so on while a pass fails and the passes stay within `max` and
    /// within the number of buckets; the reports are the same whatever the passes. Any other
    /// error, or running out of memory at `max` passes, is returned.
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::Journey;
    /// use journey_map_datafusion::JourneyEngine;
    ///
    /// let engine = JourneyEngine::new(Journey::load("../examples/data/retail_bank.ron")?);
    /// assert_eq!(engine.current_max_passes(), JourneyEngine::DEFAULT_MAX_PASSES);
    /// let strict = engine.max_passes(1); // a pass that runs out of memory fails the query
    /// assert_eq!(strict.current_max_passes(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_passes(self, max: u32) -> Self {
        self.with(|s| s.max_passes = max.max(1))
    }

    /// Up to how many passes a pass that runs out of memory is split.
    pub fn current_max_passes(&self) -> u32 {
        self.setup.max_passes
    }

    /// The journey.
    pub fn journey(&self) -> &Journey {
        &self.setup.journey
    }

    /// The bucket count.
    pub fn current_buckets(&self) -> u32 {
        self.setup.buckets
    }

    /// `journey_bucket(customer, buckets)`: a customer's bucket (UInt32).
    pub fn bucket_function(&self) -> ScalarUDF {
        ScalarUDF::from(BucketFunction::new())
    }

    /// `journey_partial('analysis', column, ...)`: a group's rows as the analysis' partial
    /// state (Binary). The columns are read by name, through the mapping.
    pub fn partial_function(&self) -> AggregateUDF {
        AggregateUDF::from(PartialFunction::new(Arc::clone(&self.setup)))
    }

    /// `journey_merge(partial)`: partial states merged (Binary).
    pub fn merge_function(&self) -> AggregateUDF {
        AggregateUDF::from(MergeFunction::new(Arc::clone(&self.setup), false))
    }

    /// `journey_report(partial)`: partial states merged and finished, as JSON text
    /// (`{"report": {"metrics": ...}, "ingested": {...}}`).
    pub fn report_function(&self) -> AggregateUDF {
        AggregateUDF::from(MergeFunction::new(Arc::clone(&self.setup), true))
    }

    /// Registers `journey_bucket`, `journey_partial`, `journey_merge` and `journey_report` in
    /// `ctx`, for SQL.
    ///
    /// # Example
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use datafusion::arrow::array::AsArray;
    /// use datafusion::prelude::{CsvReadOptions, SessionContext};
    /// use journey_map::Journey;
    /// use journey_map_datafusion::JourneyEngine;
    ///
    /// let engine = JourneyEngine::new(Journey::load("../examples/data/retail_bank.ron")?);
    /// let ctx = SessionContext::new();
    /// engine.register(&ctx);
    /// let options = CsvReadOptions::new().schema_infer_max_records(0);
    /// ctx.register_csv("log", "../examples/data/retail_bank.interactions.csv", options).await?;
    /// let batches = ctx
    ///     .sql(
    ///         "SELECT journey_report(p) AS report FROM (
    ///              SELECT journey_partial('metrics', customer, touchpoint, timestamp, outcome) AS p
    ///              FROM log GROUP BY journey_bucket(customer, 16))",
    ///     )
    ///     .await?
    ///     .collect()
    ///     .await?;
    /// let json = batches[0].column(0).as_string::<i32>().value(0);
    /// assert!(json.starts_with(r#"{"report":{"metrics":"#));
    /// # Ok(())
    /// # }
    /// ```
    pub fn register(&self, ctx: &SessionContext) {
        ctx.register_udf(self.bucket_function());
        ctx.register_udaf(self.partial_function());
        ctx.register_udaf(self.merge_function());
        ctx.register_udaf(self.report_function());
    }

    /// Registers the same functions in a session state: for a session built by hand, such as
    /// a Ballista cluster's (whose scheduler and executors find the functions by name in the
    /// state they are started from).
    ///
    /// # Errors
    ///
    /// [`EngineError::DataFusion`] when the state refuses a function.
    pub fn register_state(&self, state: &mut SessionState) -> Result<(), EngineError> {
        state.register_udf(Arc::new(self.bucket_function()))?;
        state.register_udaf(Arc::new(self.partial_function()))?;
        state.register_udaf(Arc::new(self.merge_function()))?;
        state.register_udaf(Arc::new(self.report_function()))?;
        Ok(())
    }

    /// The column that holds customer ids: the mapping's, else `customer`.
    pub fn customer_column(&self) -> &str {
        self.setup
            .mapping
            .as_ref()
            .and_then(|m| m.columns.get(&Field::Customer))
            .map_or("customer", String::as_str)
    }

    /// `journey_bucket(customer, buckets)` over the customer column.
    fn bucket(&self) -> Expr {
        let customer = Expr::Column(Column::new_unqualified(self.customer_column()));
        self.bucket_function()
            .call(vec![customer, lit(self.setup.buckets)])
    }

    /// The plan of `analysis` over `log`: every column of `log` goes to `journey_partial`
    /// (select the columns first, or list the others in the mapping's `ignore`), grouped by
    /// bucket, then merged. The plan gives one row with one Binary column, `state`.
    ///
    /// # Errors
    ///
    /// [`EngineError::DataFusion`] when the plan cannot be built (no customer column).
    pub fn plan(&self, log: DataFrame, analysis: Analysis) -> Result<DataFrame, EngineError> {
        self.plan_many(log, &[analysis])
    }

    /// The plan of several analyses over `log`, reading its rows once for all of them: as
    /// [`plan`](Self::plan), with the analyses' names separated by commas.
    ///
    /// # Errors
    ///
    /// As [`plan`](Self::plan); [`EngineError::Arguments`] when no analysis is given or one
    /// is given twice.
    pub fn plan_many(
        &self,
        log: DataFrame,
        analyses: &[Analysis],
    ) -> Result<DataFrame, EngineError> {
        let merged = self
            .merge_function()
            .call(vec![Expr::Column(Column::new_unqualified("partial"))])
            .alias("state");
        Ok(self
            .plan_buckets(log, analyses)?
            .aggregate(vec![], vec![merged])?)
    }

    /// The plan of several analyses over `log`, one row per bucket: `journey_bucket` (the
    /// bucket, UInt32) and `partial` (the bucket's partial state, Binary, as
    /// [`PartialState::from_bytes`] reads it). [`analyse`](Self::analyse) runs this plan and
    /// merges the buckets' states as they arrive, outside DataFusion's memory pool: the
    /// merged state grows with the log (the metrics keep every duration, for exact
    /// percentiles) and cannot spill, so inside a tight pool it would compete with the
    /// grouping, which can.
    ///
    /// # Errors
    ///
    /// As [`plan_many`](Self::plan_many).
    ///
    /// # Example
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use datafusion::arrow::array::AsArray;
    /// use datafusion::prelude::{CsvReadOptions, SessionContext};
    /// use journey_map::Journey;
    /// use journey_map_datafusion::{Analysis, JourneyEngine, PartialState};
    ///
    /// let journey = Journey::load("../examples/data/retail_bank.ron")?;
    /// let engine = JourneyEngine::new(journey.clone()).buckets(8);
    /// let ctx = SessionContext::new();
    /// let options = CsvReadOptions::new().schema_infer_max_records(0);
    /// let log = ctx.read_csv("../examples/data/retail_bank.interactions.csv", options).await?;
    /// let mut merged: Option<PartialState> = None;
    /// for batch in engine.plan_buckets(log.clone(), &[Analysis::Metrics])?.collect().await? {
    ///     for state in batch.column_by_name("partial").unwrap().as_binary::<i32>().iter().flatten() {
    ///         let state = PartialState::from_bytes(state)?;
    ///         match &mut merged {
    ///             Some(merged) => merged.merge(state)?,
    ///             None => merged = Some(state),
    ///         }
    ///     }
    /// }
    /// let whole = engine.analyse(log, Analysis::Metrics).await?;
    /// assert_eq!(merged.unwrap().finish(&journey)?, [whole]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn plan_buckets(
        &self,
        log: DataFrame,
        analyses: &[Analysis],
    ) -> Result<DataFrame, EngineError> {
        let names = crate::partial::names(analyses);
        crate::partial::analyses_of_names(&names)?;
        let mut arguments = vec![lit(names)];
        arguments.extend(
            log.schema()
                .fields()
                .iter()
                .map(|f| Expr::Column(Column::new_unqualified(f.name()))),
        );
        let bucket = self.bucket().alias("journey_bucket");
        let partial = self.partial_function().call(arguments).alias("partial");
        Ok(log.aggregate(vec![bucket], vec![partial])?)
    }

    /// The merged partial state of `analysis` over `log`, not finished: to merge with states
    /// of other queries (other tables of the same journey), or to ship.
    ///
    /// # Errors
    ///
    /// As [`analyse`](Self::analyse).
    pub async fn partial(
        &self,
        log: DataFrame,
        analysis: Analysis,
    ) -> Result<PartialState, EngineError> {
        self.partial_many(log, &[analysis]).await
    }

    /// The merged partial states of several analyses over `log`, its rows read once.
    ///
    /// # Errors
    ///
    /// As [`analyse_many`](Self::analyse_many).
    pub async fn partial_many(
        &self,
        log: DataFrame,
        analyses: &[Analysis],
    ) -> Result<PartialState, EngineError> {
        let passes = self.setup.passes;
        // Passes as (modulus, residue): the buckets `b` with `b % modulus == residue`.
        let mut todo: Vec<(u32, u32)> = (0..passes).rev().map(|r| (passes, r)).collect();
        let mut merged: Option<PartialState> = None;
        while let Some((modulus, residue)) = todo.pop() {
            let part = if modulus == 1 {
                log.clone()
            } else {
                log.clone()
                    .filter((self.bucket() % lit(modulus)).eq(lit(residue)))?
            };
            let state = match self.partial_of_plan(part, analyses).await {
                Ok(state) => state,
                Err(e) if self.splits(&e, modulus) => {
                    // Run this pass again as two of half its buckets, the first next.
                    todo.push((modulus * 2, residue + modulus));
                    todo.push((modulus * 2, residue));
                    continue;
                }
                Err(e) => return Err(e),
            };
            match &mut merged {
                Some(merged) => merged.merge(state)?,
                None => merged = Some(state),
            }
        }
        merged.ok_or(EngineError::Rows { rows: 0 })
    }

    /// Whether a pass of `modulus` that failed with `error` is run again as two: it ran out
    /// of the memory pool, and twice the passes stay within the maximum and the buckets.
    fn splits(&self, error: &EngineError, modulus: u32) -> bool {
        let EngineError::DataFusion(error) = error else {
            return false;
        };
        let doubled = modulus.saturating_mul(2);
        matches!(
            error.find_root(),
            datafusion::error::DataFusionError::ResourcesExhausted(_)
        ) && doubled <= self.setup.max_passes
            && doubled <= self.setup.buckets
    }

    /// The merged partial state of one query: the buckets' states merged as they arrive.
    async fn partial_of_plan(
        &self,
        log: DataFrame,
        analyses: &[Analysis],
    ) -> Result<PartialState, EngineError> {
        let mut stream = self.plan_buckets(log, analyses)?.execute_stream().await?;
        let fingerprint = self.setup.journey.fingerprint().as_u64();
        let mut merged: Option<Partial> = None;
        while let Some(batch) = stream.next().await {
            let batch = batch?;
            let states = batch
                .column_by_name("partial")
                .and_then(|c| c.as_binary_opt::<i32>())
                .ok_or(EngineError::Rows { rows: 0 })?;
            for state in states.iter().flatten() {
                Partial::merge_encoded(&mut merged, state, fingerprint)?;
            }
        }
        let partial = match merged {
            Some(partial) => partial,
            None => {
                // No row at all: the state of no customer.
                let (log, report) =
                    LogBuilder::new(&self.setup.journey, self.setup.ingest).finish();
                self.setup.partial_of_log(analyses, &log, &report, 0)?
            }
        };
        Ok(PartialState { partial })
    }

    /// Runs `analysis` over `log` and finishes its report: the same report the in-memory
    /// path gives for the same rows, settings and selection.
    ///
    /// # Errors
    ///
    /// [`EngineError::Ingest`] for the first bad row in strict mode, [`EngineError::Mapping`],
    /// [`EngineError::DataFusion`] when the table cannot be read or the plan fails, and the
    /// analysis' own errors.
    pub async fn analyse(
        &self,
        log: DataFrame,
        analysis: Analysis,
    ) -> Result<Analysed, EngineError> {
        let mut analysed = self
            .partial(log, analysis)
            .await?
            .finish(&self.setup.journey)?;
        analysed.pop().ok_or(EngineError::Rows { rows: 0 })
    }

    /// Runs several analyses over `log`, reading its rows once (one scan, one grouping, one
    /// log per bucket walked by every analysis): their reports in the order given, each with
    /// the same reading counts. Equal to running [`analyse`](Self::analyse) for each.
    ///
    /// # Errors
    ///
    /// As [`analyse`](Self::analyse); [`EngineError::Arguments`] when no analysis is given
    /// or one is given twice.
    ///
    /// # Example
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use datafusion::prelude::{CsvReadOptions, SessionContext};
    /// use journey_map::Journey;
    /// use journey_map_datafusion::{Analysis, JourneyEngine};
    ///
    /// let engine = JourneyEngine::new(Journey::load("../examples/data/retail_bank.ron")?);
    /// let ctx = SessionContext::new();
    /// let options = CsvReadOptions::new().schema_infer_max_records(0);
    /// let log = ctx.read_csv("../examples/data/retail_bank.interactions.csv", options).await?;
    /// let both = engine
    ///     .analyse_many(log.clone(), &[Analysis::Metrics, Analysis::Friction])
    ///     .await?;
    /// assert_eq!(both[1], engine.analyse(log, Analysis::Friction).await?);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn analyse_many(
        &self,
        log: DataFrame,
        analyses: &[Analysis],
    ) -> Result<Vec<Analysed>, EngineError> {
        self.partial_many(log, analyses)
            .await?
            .finish(&self.setup.journey)
    }
}

/// Merged partial states of one or more analyses, not yet finished: what
/// [`JourneyEngine::partial`] and [`JourneyEngine::partial_many`] give, to merge with the
/// states of other queries over other customers (another table, another cluster) or to ship
/// as bytes.
///
/// # Example: two tables of different customers
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use datafusion::prelude::{CsvReadOptions, SessionContext, col, lit};
/// use journey_map::Journey;
/// use journey_map_datafusion::{Analysis, JourneyEngine, PartialState};
///
/// let journey = Journey::load("../examples/data/retail_bank.ron")?;
/// let engine = JourneyEngine::new(journey.clone());
/// let ctx = SessionContext::new();
/// let options = CsvReadOptions::new().schema_infer_max_records(0);
/// let log = ctx.read_csv("../examples/data/retail_bank.interactions.csv", options).await?;
/// // Customers whose id sorts before "c5" in one query, the others in another.
/// let first = log.clone().filter(col("customer").lt(lit("c5")))?;
/// let second = log.clone().filter(col("customer").gt_eq(lit("c5")))?;
/// let mut state = engine.partial(first, Analysis::Metrics).await?;
/// let shipped = engine.partial(second, Analysis::Metrics).await?.to_bytes()?;
/// state.merge(PartialState::from_bytes(&shipped)?)?;
///
/// let whole = engine.analyse(log, Analysis::Metrics).await?;
/// assert_eq!(state.finish(&journey)?, [whole]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct PartialState {
    partial: Partial,
}

impl PartialState {
    /// The analyses, in the order of their reports.
    pub fn analyses(&self) -> Vec<Analysis> {
        self.partial.analyses()
    }

    /// Adds another query's state of the same journey and analyses (other customers).
    ///
    /// # Errors
    ///
    /// [`EngineError::OtherJourney`], [`EngineError::MixedAnalyses`].
    pub fn merge(&mut self, other: PartialState) -> Result<(), EngineError> {
        self.partial.merge(other.partial)
    }

    /// The state as bytes (postcard), for shipping.
    ///
    /// # Errors
    ///
    /// [`EngineError::Encode`].
    pub fn to_bytes(&self) -> Result<Vec<u8>, EngineError> {
        self.partial.encode()
    }

    /// A state from [`to_bytes`](Self::to_bytes) (or a `journey_merge` value).
    ///
    /// # Errors
    ///
    /// [`EngineError::Decode`].
    pub fn from_bytes(bytes: &[u8]) -> Result<PartialState, EngineError> {
        Ok(PartialState {
            partial: Partial::decode(bytes)?,
        })
    }

    /// The reports, one per analysis in the order of [`analyses`](Self::analyses), each
    /// with the reading counts.
    ///
    /// # Errors
    ///
    /// [`EngineError::OtherJourney`] for a state of another journey; the analysis' own
    /// errors.
    pub fn finish(self, journey: &Journey) -> Result<Vec<Analysed>, EngineError> {
        self.partial.finish(journey)
    }
}
