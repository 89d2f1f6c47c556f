//! The same functions on a local Ballista cluster: one scheduler and two executors started
//! in this process, on loopback, and every report equal to the in-memory path's.

use std::time::Duration;

use ballista_core::extension::{SessionConfigExt, SessionStateExt};
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{CsvReadOptions, SessionConfig, SessionContext};
use journey_map::Journey;
use journey_map::analysis::Selection;
use journey_map_datafusion::{Analysis, JourneyEngine};

mod support;

use support::in_memory;

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
                in_memory(&journey, &csv, &Selection::all(), analysis),
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
