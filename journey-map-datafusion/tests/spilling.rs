//! Out of core: with DataFusion's memory pool far smaller than the rows, the partial phase
//! emits its buckets early and the final phase spills them to disk, sorted by bucket, then
//! merges the spill files; every report still equals the in-memory path's. Also the other
//! ways `journey_partial` is run: without `GROUP BY` (one group, DataFusion's plain
//! accumulator) and over dictionary and view columns (what Parquet readers give).

#[path = "../../tests/support/shop.rs"]
mod shop;
mod support;

use support::in_memory;

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::compute::{cast, concat_batches};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::MemTable;
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::physical_plan::metrics::MetricsSet;
use datafusion::physical_plan::{ExecutionPlan, collect};
use datafusion::prelude::{CsvReadOptions, SessionConfig, SessionContext};
use journey_map::Journey;
use journey_map::analysis::Selection;
use journey_map::sim::Simulator;
use journey_map_datafusion::{Analysis, JourneyEngine, PartialState};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A simulated shop (channels of very different speeds, customers who differ, designed
/// revisits) as CSV text.
fn shop_csv(customers: usize, seed: u64) -> (Journey, String) {
    let journey = shop::shop();
    let simulator = Simulator::new(&journey, &shop::healthy()).unwrap();
    let start = "2026-01-05T00:00:00Z".parse().unwrap();
    let records = simulator.simulate(customers, seed, start);
    let mut out = Vec::new();
    journey_map::write_csv(records.iter(), &mut out).unwrap();
    (journey, String::from_utf8(out).unwrap())
}

/// The CSV's rows as one Arrow batch with inferred column types.
async fn batch_of(csv: &str) -> RecordBatch {
    let dir = std::env::temp_dir().join(format!(
        "journey-map-spilling-{}-{}",
        std::process::id(),
        rand::random::<u64>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log.csv");
    std::fs::write(&path, csv).unwrap();
    let ctx = SessionContext::new();
    let df = ctx
        .read_csv(path.to_str().unwrap(), CsvReadOptions::new())
        .await
        .unwrap();
    let schema = Arc::new(df.schema().as_arrow().clone());
    let all = df.collect().await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    concat_batches(&schema, &all).unwrap()
}

/// A session on two partitions whose memory pool is a fair spill pool of `pool` bytes.
fn limited(pool: usize, config: SessionConfig) -> SessionContext {
    let runtime_env = RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(FairSpillPool::new(pool)))
        .build_arc()
        .unwrap();
    SessionContext::new_with_config_rt(config.with_target_partitions(2), runtime_env)
}

/// The batch cut into `parts` partitions of batches of `rows` rows.
fn table(batch: &RecordBatch, parts: usize, rows: usize) -> MemTable {
    let mut partitions = vec![Vec::new(); parts];
    let mut at = 0;
    let mut part = 0;
    while at < batch.num_rows() {
        let len = rows.min(batch.num_rows() - at);
        partitions[part % parts].push(batch.slice(at, len));
        at += len;
        part += 1;
    }
    MemTable::try_new(batch.schema(), partitions).unwrap()
}

/// Runs the analyses' plan (a state per bucket, merged here as `analyse` merges them) and
/// finishes the reports; also gives the executed plan, for its metrics.
async fn run(
    ctx: &SessionContext,
    engine: &JourneyEngine,
    table: MemTable,
    analyses: &[Analysis],
) -> (
    Vec<journey_map_datafusion::Analysed>,
    Arc<dyn ExecutionPlan>,
) {
    let df = ctx.read_table(Arc::new(table)).unwrap();
    let plan = engine
        .plan_buckets(df, analyses)
        .unwrap()
        .create_physical_plan()
        .await
        .unwrap();
    let out = collect(Arc::clone(&plan), ctx.task_ctx()).await.unwrap();
    let mut merged: Option<PartialState> = None;
    for batch in &out {
        let states = batch.column_by_name("partial").unwrap().as_binary::<i32>();
        for state in states.iter() {
            let state = PartialState::from_bytes(state.unwrap()).unwrap();
            match &mut merged {
                Some(merged) => merged.merge(state).unwrap(),
                None => merged = Some(state),
            }
        }
    }
    let reports = merged.unwrap().finish(engine.journey()).unwrap();
    (reports, plan)
}

#[test]
fn a_pool_far_smaller_than_the_rows_spills_and_gives_the_same_reports() {
    let (journey, csv) = shop_csv(3_000, 21);
    let rt = runtime();
    let batch = rt.block_on(batch_of(&csv));
    let bytes = batch.get_array_memory_size();
    // A pool of half the rows' size, shared by the two partial and the two final
    // streams: each holds a small share of the buckets' rows at a time. A spilled batch holds
    // up to `batch_size` buckets, and merging the spill files needs two of them in memory:
    // the batch size keeps that under the share (see the crate docs, "Out of core").
    let pool = bytes / 2;
    let ctx = limited(pool, SessionConfig::new().with_batch_size(16));
    let engine = JourneyEngine::new(journey.clone()).buckets(128);
    let (reports, plan) = rt.block_on(run(&ctx, &engine, table(&batch, 4, 1024), &Analysis::ALL));
    assert!(
        spills(&plan) > 0,
        "a pool of {pool} bytes for {bytes} bytes of rows spills"
    );
    for (analysed, analysis) in reports.iter().zip(Analysis::ALL) {
        assert_eq!(
            analysed.report,
            in_memory(&journey, &csv, &Selection::all(), analysis),
            "{analysis} after spilling"
        );
        assert_eq!(analysed.ingested.attached, batch.num_rows() as u64);
    }

    // The same rows with the whole memory: no spill, the same reports.
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(2));
    let (unbounded, plan) = rt.block_on(run(&ctx, &engine, table(&batch, 4, 256), &Analysis::ALL));
    assert_eq!(spills(&plan), 0);
    assert_eq!(unbounded, reports);
}

#[test]
fn without_group_by_one_group_holds_every_row() {
    let (journey, csv) = shop_csv(500, 22);
    let rt = runtime();
    let batch = rt.block_on(batch_of(&csv));
    let engine = JourneyEngine::new(journey.clone());
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(2));
    engine.register(&ctx);
    let columns: Vec<String> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    ctx.register_table("log", Arc::new(table(&batch, 3, 100)))
        .unwrap();
    let sql = format!(
        "SELECT journey_merge(p) FROM (SELECT journey_partial('friction, metrics', {}) AS p FROM log)",
        columns.join(", ")
    );
    let out = rt.block_on(async { ctx.sql(&sql).await.unwrap().collect().await.unwrap() });
    let state = out[0].column(0).as_binary::<i32>().value(0).to_vec();
    let reports = PartialState::from_bytes(&state)
        .unwrap()
        .finish(&journey)
        .unwrap();
    assert_eq!(
        reports[0].report,
        in_memory(&journey, &csv, &Selection::all(), Analysis::Friction)
    );
    assert_eq!(
        reports[1].report,
        in_memory(&journey, &csv, &Selection::all(), Analysis::Metrics)
    );
}

#[test]
fn dictionary_and_view_columns_give_the_same_reports() {
    let (journey, csv) = shop_csv(1_000, 23);
    let rt = runtime();
    let batch = rt.block_on(batch_of(&csv));
    // Text columns as Parquet readers give them: dictionaries and string views, in turn.
    let dictionary = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let (fields, columns): (Vec<Field>, Vec<ArrayRef>) = batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .enumerate()
        .map(|(i, (field, column))| {
            if field.data_type() != &DataType::Utf8 {
                return ((**field).clone(), Arc::clone(column));
            }
            let to = if i % 2 == 0 {
                dictionary.clone()
            } else {
                DataType::Utf8View
            };
            (
                Field::new(field.name(), to.clone(), true),
                cast(column, &to).unwrap(),
            )
        })
        .unzip();
    assert!(fields.iter().any(|f| f.data_type() == &dictionary));
    assert!(fields.iter().any(|f| f.data_type() == &DataType::Utf8View));
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(2));
    let engine = JourneyEngine::new(journey.clone()).buckets(32);
    let (reports, _) = rt.block_on(run(&ctx, &engine, table(&batch, 3, 128), &Analysis::ALL));
    for (analysed, analysis) in reports.iter().zip(Analysis::ALL) {
        assert_eq!(
            analysed.report,
            in_memory(&journey, &csv, &Selection::all(), analysis),
            "{analysis} from dictionaries and views"
        );
    }
}

/// The sum of a metric over the plan's operators.
fn metric(plan: &Arc<dyn ExecutionPlan>, of: &dyn Fn(&MetricsSet) -> Option<usize>) -> usize {
    plan.metrics().and_then(|m| of(&m)).unwrap_or(0)
        + plan
            .children()
            .into_iter()
            .map(|c| metric(c, of))
            .sum::<usize>()
}

/// How many times the plan's operators spilled.
fn spills(plan: &Arc<dyn ExecutionPlan>) -> usize {
    metric(plan, &|m| m.spill_count())
}

#[test]
fn when_datafusion_skips_the_partial_grouping_each_row_is_a_state() {
    // Far more buckets than rows: DataFusion's probe finds the partial phase does not reduce
    // the rows and passes each row on as its own state.
    let (journey, csv) = shop_csv(300, 24);
    let rt = runtime();
    let batch = rt.block_on(batch_of(&csv));
    let mut config = SessionConfig::new().with_target_partitions(2);
    let options = &mut config.options_mut().execution;
    options.skip_partial_aggregation_probe_rows_threshold = 10;
    options.skip_partial_aggregation_probe_ratio_threshold = 0.1;
    let ctx = SessionContext::new_with_config(config);
    let engine = JourneyEngine::new(journey.clone()).buckets(1_000_000);
    let analyses = [Analysis::Metrics, Analysis::Conformance];
    let (reports, plan) = rt.block_on(run(&ctx, &engine, table(&batch, 2, 64), &analyses));
    assert!(
        metric(&plan, &|m| m
            .sum_by_name("skipped_aggregation_rows")
            .map(|v| v.as_usize()))
            > 0
    );
    for (analysed, analysis) in reports.iter().zip(analyses) {
        assert_eq!(
            analysed.report,
            in_memory(&journey, &csv, &Selection::all(), analysis),
            "{analysis} with the partial grouping skipped"
        );
    }
}

#[test]
fn a_pass_that_runs_out_of_memory_is_split_into_passes_that_fit() {
    let (journey, csv) = shop_csv(3_000, 24);
    let rt = runtime();
    let batch = rt.block_on(batch_of(&csv));
    let bytes = batch.get_array_memory_size();
    // A pool of a sixth of the rows with DataFusion's default batch size: the final phase
    // spills, and a spilled batch holds every bucket of its spill, so merging the spill
    // files back cannot fit in one pass.
    let pool = bytes / 6;
    let ctx = || limited(pool, SessionConfig::new());
    let engine = JourneyEngine::new(journey.clone()).buckets(64);
    let analyse = |engine: &JourneyEngine| {
        let ctx = ctx();
        let df = ctx.read_table(Arc::new(table(&batch, 4, 1024))).unwrap();
        rt.block_on(engine.analyse_many(df, &Analysis::ALL))
    };

    // Without splitting, the one pass fails for want of memory.
    let error = analyse(&engine.clone().max_passes(1)).unwrap_err();
    let message = format!("{error:?}");
    assert!(message.contains("ResourcesExhausted"), "{message}");

    // With it (the default), the pass is split until its halves fit: the same reports.
    let reports = analyse(&engine).unwrap();
    for (analysed, analysis) in reports.iter().zip(Analysis::ALL) {
        assert_eq!(
            analysed.report,
            in_memory(&journey, &csv, &Selection::all(), analysis),
            "{analysis} in split passes"
        );
        assert_eq!(analysed.ingested.attached, batch.num_rows() as u64);
    }

    // A maximum the splitting cannot reach within gives the error back.
    let error = analyse(&engine.clone().max_passes(2).passes(2)).unwrap_err();
    assert!(format!("{error:?}").contains("ResourcesExhausted"));
}
