//! The same functions on a local Ballista cluster: one scheduler and two executors started
//! in this process, on loopback, and every report equal to the in-memory path's.

use std::time::Duration;

use ballista_core::extension::{SessionConfigExt, SessionStateExt};
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{CsvReadOptions, SessionConfig, SessionContext};
use journey_map::analysis::{FrictionConfig, MetricsOptions, Observation, Selection};
use journey_map::{IngestOptions, Journey, LogBuilder};
use journey_map_datafusion::{Analysis, JourneyEngine, Report};

/// A scheduler and two executors of two task slots each, started from a state that holds
/// the engine's functions; the session that sends them queries.
async fn cluster(engine: &JourneyEngine) -> SessionContext {
    let config = SessionConfig::new_with_ballista().with_target_partitions(4);
    let mut state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    engine.register_state(&mut state).unwrap();
    let address = ballista_scheduler::standalone::new_standalone_scheduler_from_state(&state)
        .await
        .unwrap();
    let url = format!("http://localhost:{}", address.port());
    for _ in 0..2 {
        let scheduler = loop {
            match SchedulerGrpcClient::connect(url.clone()).await {
                Ok(client) => break client,
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        ballista_executor::new_standalone_executor_from_state(scheduler, 2, &state)
            .await
            .unwrap();
    }
    // The client's session for SQL: upgrading the state for Ballista builds a new function
    // registry, so the functions are registered in it again.
    let ctx = SessionContext::new_with_state(state.upgrade_for_ballista(url).unwrap());
    engine.register(&ctx);
    ctx
}

fn in_memory(journey: &Journey, csv: &str, analysis: Analysis) -> Report {
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    builder.read_csv(csv.as_bytes()).unwrap();
    let (log, _) = builder.finish();
    let o = Observation::new(journey, &log).unwrap();
    let all = Selection::all();
    match analysis {
        Analysis::Metrics => Report::Metrics(Box::new(
            o.metrics(&all, MetricsOptions::default()).unwrap(),
        )),
        Analysis::Friction => Report::Friction(Box::new(
            o.friction(&all, &FrictionConfig::default()).unwrap(),
        )),
        Analysis::DirectlyFollows => {
            Report::DirectlyFollows(Box::new(o.directly_follows(&all).unwrap()))
        }
        Analysis::Variants => Report::Variants(Box::new(o.variants(&all, 20).unwrap())),
        Analysis::DropOff => Report::DropOff(Box::new(o.drop_off_paths(&all, 10).unwrap())),
        Analysis::Conformance => Report::Conformance(Box::new(o.conformance(&all).unwrap())),
        Analysis::Attribution => {
            Report::Attribution(Box::new(o.markov_chain(&all).unwrap().report().unwrap()))
        }
        other => panic!("no in-memory path for {other}"),
    }
}

#[test]
fn a_local_cluster_of_two_executors_gives_every_report_of_the_in_memory_path() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let journey = Journey::load("../examples/data/retail_bank.ron").unwrap();
    let path = std::fs::canonicalize("../examples/data/retail_bank.interactions.csv").unwrap();
    let csv = std::fs::read_to_string(&path).unwrap();
    let engine = JourneyEngine::new(journey.clone()).buckets(16);
    runtime.block_on(async {
        let ctx = cluster(&engine).await;
        let options = CsvReadOptions::new().schema_infer_max_records(0);
        ctx.register_csv("log", path.to_str().unwrap(), options)
            .await
            .unwrap();
        for analysis in Analysis::ALL {
            let analysed = engine
                .analyse(ctx.table("log").await.unwrap(), analysis)
                .await
                .unwrap_or_else(|e| panic!("{analysis}: {e:?}"));
            assert_eq!(
                analysed.report,
                in_memory(&journey, &csv, analysis),
                "{analysis}"
            );
            assert_eq!(analysed.ingested.attached, 7461);
        }
        // SQL through the cluster as well.
        let sql = "SELECT journey_report(p) FROM (SELECT journey_partial('metrics', customer, \
                   touchpoint, timestamp, persona, outcome, wait_seconds, handling_seconds, csat, \
                   ces, nps, sentiment, resolved, need, tags, session) AS p FROM log \
                   GROUP BY journey_bucket(customer, 8))";
        let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows, 1);
    });
}
