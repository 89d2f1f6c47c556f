//! Times the analyses over a folder of Parquet files written by the `generate` example, on
//! the DataFusion path or the in-memory path, and reports the process' peak memory.
//!
//! ```text
//! cargo run --release -p journey-map-datafusion --example scale -- DIR datafusion [--memory-limit GIB] [--buckets N] [--passes N] [--max-passes N] [--batch-size N] [--one-pass]
//! cargo run --release -p journey-map-datafusion --example scale -- DIR memory
//! cargo run --release -p journey-map-datafusion --example scale -- DIR ballista [--buckets N] [--one-pass]
//! ```
//!
//! `ballista` starts a local Ballista cluster in this process (one scheduler and two
//! executors, each with half the cores, on loopback) and runs the same plans on it.
//!
//! Runs metrics, friction and the directly-follows graph, one by one and then in one pass over
//! the rows. With `--memory-limit`, DataFusion's memory pool is limited to that many GiB (a
//! fair spill pool, spilling to the system's temporary folder); with `--passes`, the analyses
//! run in that many passes over the table, each holding a share of the customers (a pass
//! that runs out of the pool is split in two, up to `--max-passes`, 64 by default);
//! `--batch-size` sets DataFusion's batch size (rows a batch, and buckets a spilled batch);
//! `--one-pass` runs only the three analyses in one pass. Peak memory is the process'
//! high-water mark (`VmHWM`, Linux). With `SCALE_EXPLAIN` set, `EXPLAIN ANALYZE` of the metrics
//! plan (of its first pass, with `--passes`) is printed first: what each operator spilled.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use datafusion::common::Column;
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::logical_expr::{Expr, lit};
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use journey_map::analysis::{FrictionConfig, MetricsOptions, Observation, Selection};
use journey_map::{IngestOptions, Journey, LogBuilder};
use journey_map_datafusion::{Analysis, JourneyEngine};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<f64>().ok())
    };
    let (Some(dir), Some(path)) = (args.first(), args.get(1)) else {
        eprintln!(
            "usage: scale DIR datafusion|memory|ballista [--memory-limit GIB] [--buckets N] [--passes N] [--max-passes N]"
        );
        return ExitCode::from(2);
    };
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/data/retail_bank.ron"
    );
    let result = Journey::load(root).map_err(Into::into).and_then(|journey| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        match path.as_str() {
            "datafusion" => runtime.block_on(datafusion_path(
                journey,
                Path::new(dir),
                flag("--memory-limit"),
                flag("--buckets").map(|b| b as u32),
                flag("--passes").map(|p| p as u32),
                flag("--max-passes").map(|p| p as u32),
                flag("--batch-size").map(|b| b as usize),
            )),
            "memory" => memory_path(&journey, Path::new(dir)),
            "ballista" => runtime.block_on(ballista_path(
                journey,
                Path::new(dir),
                flag("--buckets").map(|b| b as u32),
            )),
            _ => Err("the path is datafusion, memory or ballista".into()),
        }
    });
    match result {
        Ok(()) => {
            println!("peak memory: {}", peak_memory());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::from(1)
        }
    }
}

async fn datafusion_path(
    journey: Journey,
    dir: &Path,
    limit_gib: Option<f64>,
    buckets: Option<u32>,
    passes: Option<u32>,
    max_passes: Option<u32>,
    batch_size: Option<usize>,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut runtime = RuntimeEnvBuilder::new();
    if let Some(gib) = limit_gib {
        let bytes = (gib * 1024.0 * 1024.0 * 1024.0) as usize;
        runtime = runtime.with_memory_pool(Arc::new(FairSpillPool::new(bytes)));
    }
    let mut config = SessionConfig::new()
        .with_target_partitions(std::thread::available_parallelism().map_or(2, |n| n.get()));
    if let Some(rows) = batch_size {
        config = config.with_batch_size(rows.max(1));
    }
    let ctx = SessionContext::new_with_config_rt(config, runtime.build_arc()?);
    let mut engine = JourneyEngine::new(journey);
    if let Some(b) = buckets {
        engine = engine.buckets(b);
    }
    if let Some(p) = passes {
        engine = engine.passes(p);
    }
    if let Some(p) = max_passes {
        engine = engine.max_passes(p);
    }
    run_all(&ctx, &engine, dir, "datafusion").await
}

async fn ballista_path(
    journey: Journey,
    dir: &Path,
    buckets: Option<u32>,
) -> Result<(), Box<dyn std::error::Error>> {
    use ballista_core::extension::{SessionConfigExt, SessionStateExt};
    use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
    use datafusion::execution::SessionStateBuilder;

    let mut engine = JourneyEngine::new(journey);
    if let Some(b) = buckets {
        engine = engine.buckets(b);
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    // Merged states travel between stages as messages: the metrics state keeps every
    // duration (exact percentiles), tens of megabytes at 10M events, beyond gRPC's default.
    let config = SessionConfig::new_with_ballista()
        .with_target_partitions(cores)
        .with_ballista_grpc_client_max_message_size(1 << 30);
    let mut state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    engine.register_state(&mut state)?;
    let address =
        ballista_scheduler::standalone::new_standalone_scheduler_from_state(&state).await?;
    let url = format!("http://localhost:{}", address.port());
    for _ in 0..2 {
        let scheduler = loop {
            match SchedulerGrpcClient::connect(url.clone()).await {
                Ok(client) => break client,
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            }
        };
        ballista_executor::new_standalone_executor_from_state(
            scheduler,
            (cores / 2).max(1),
            &state,
        )
        .await?;
    }
    let ctx = SessionContext::new_with_state(state.upgrade_for_ballista(url)?);
    run_all(&ctx, &engine, dir, "ballista").await
}

async fn run_all(
    ctx: &SessionContext,
    engine: &JourneyEngine,
    dir: &Path,
    name: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    ctx.register_parquet(
        "log",
        dir.to_str().ok_or("the folder's name is not UTF-8")?,
        ParquetReadOptions::default(),
    )
    .await?;
    if std::env::var_os("SCALE_EXPLAIN").is_some() {
        let mut table = ctx.table("log").await?;
        let passes = engine.current_passes();
        if passes > 1 {
            // The first pass's rows, as the engine filters them: buckets `b % passes == 0`.
            let customer = Expr::Column(Column::new_unqualified(engine.customer_column()));
            let bucket = engine
                .bucket_function()
                .call(vec![customer, lit(engine.current_buckets())]);
            table = table.filter((bucket % lit(passes)).eq(lit(0u32)))?;
        }
        let plan = engine.plan_buckets(table, &[Analysis::Metrics])?;
        plan.explain(false, true)?.show().await?;
    }
    let all = Instant::now();
    let one_by_one = if std::env::args().any(|a| a == "--one-pass") {
        Vec::new()
    } else {
        vec![
            Analysis::Metrics,
            Analysis::Friction,
            Analysis::DirectlyFollows,
        ]
    };
    for analysis in one_by_one {
        let started = Instant::now();
        let analysed = engine.analyse(ctx.table("log").await?, analysis).await?;
        println!(
            "{name} {analysis}: {:.2} s ({} rows, {} customers)",
            started.elapsed().as_secs_f64(),
            analysed.ingested.rows,
            analysed.ingested.customers
        );
    }
    println!(
        "{name}, the three one by one: {:.2} s",
        all.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let three = [
        Analysis::Metrics,
        Analysis::Friction,
        Analysis::DirectlyFollows,
    ];
    let analysed = engine.analyse_many(ctx.table("log").await?, &three).await?;
    println!(
        "{name}, the three in one pass: {:.2} s ({} rows)",
        started.elapsed().as_secs_f64(),
        analysed[0].ingested.rows
    );
    Ok(())
}

fn memory_path(journey: &Journey, dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|f| f.extension().is_some_and(|e| e == "parquet"));
    files.sort();
    let all = Instant::now();
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    for file in &files {
        builder.read_parquet_path(file)?;
    }
    let (log, _) = builder.finish();
    println!(
        "memory read: {:.2} s ({} interactions)",
        all.elapsed().as_secs_f64(),
        log.len()
    );
    let observation = Observation::new(journey, &log)?;
    let started = Instant::now();
    let metrics = observation.metrics(&Selection::all(), MetricsOptions::default())?;
    println!(
        "memory metrics: {:.2} s ({} customers)",
        started.elapsed().as_secs_f64(),
        metrics.journey.customers
    );
    let started = Instant::now();
    observation.friction(&Selection::all(), &FrictionConfig::default())?;
    println!("memory friction: {:.2} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    observation.directly_follows(&Selection::all())?;
    println!(
        "memory directly_follows: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "memory, read and all three: {:.2} s",
        all.elapsed().as_secs_f64()
    );
    Ok(())
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown (no /proc/self/status)".into())
}
