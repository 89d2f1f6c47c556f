//! Every report from DataFusion equals the in-memory path's, exactly, on the bundled samples
//! and on simulated logs shaped like real journeys (channels of very different speeds,
//! customers who differ, designed revisits), with the rows split into partitions in random
//! ways and customers spread over any number of buckets.

#[path = "../../tests/support/shop.rs"]
mod shop;
mod support;

use support::in_memory;

use std::sync::Arc;

use datafusion::arrow::array::{RecordBatch, UInt32Array};
use datafusion::arrow::compute::{concat_batches, take_record_batch};
use datafusion::datasource::MemTable;
use datafusion::prelude::{CsvReadOptions, DataFrame, SessionConfig, SessionContext};
use journey_map::analysis::Selection;
use journey_map::sim::{Behaviour, Simulator};
use journey_map::{Journey, PersonaId};
use journey_map_datafusion::{Analysis, JourneyEngine};
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The CSV's rows as Arrow, every column read as text (`infer` false) or with inferred types.
async fn batches(csv: &str, infer: bool) -> RecordBatch {
    let dir = std::env::temp_dir().join(format!(
        "journey-map-datafusion-{}-{}",
        std::process::id(),
        rand::random::<u64>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log.csv");
    std::fs::write(&path, csv).unwrap();
    let ctx = SessionContext::new();
    let options = CsvReadOptions::new().schema_infer_max_records(if infer { 1000 } else { 0 });
    let df = ctx.read_csv(path.to_str().unwrap(), options).await.unwrap();
    let schema = Arc::new(df.schema().as_arrow().clone());
    let all = df.collect().await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    concat_batches(&schema, &all).unwrap()
}

/// The rows shuffled and cut into `parts` partitions of random sizes, each in batches of
/// random sizes, as a table of a fresh session with `threads` target partitions.
fn split(
    batch: &RecordBatch,
    parts: usize,
    threads: usize,
    seed: u64,
    max_batch: usize,
) -> DataFrame {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut order: Vec<u32> = (0..batch.num_rows() as u32).collect();
    order.shuffle(&mut rng);
    let mut cuts: Vec<usize> = (0..parts - 1)
        .map(|_| rng.random_range(0..=order.len()))
        .collect();
    cuts.push(0);
    cuts.push(order.len());
    cuts.sort_unstable();
    let mut partitions = Vec::new();
    for w in cuts.windows(2) {
        let mut part = Vec::new();
        let mut at = w[0];
        while at < w[1] {
            let len = rng.random_range(1..=max_batch).min(w[1] - at);
            let rows = UInt32Array::from(order[at..at + len].to_vec());
            part.push(take_record_batch(batch, &rows).unwrap());
            at += len;
        }
        partitions.push(part);
    }
    let table = MemTable::try_new(batch.schema(), partitions).unwrap();
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(threads));
    ctx.read_table(Arc::new(table)).unwrap()
}

fn simulated(journey: &Journey, behaviour: &Behaviour, customers: usize, seed: u64) -> String {
    let simulator = Simulator::new(journey, behaviour).unwrap();
    let start = "2026-01-05T00:00:00Z".parse().unwrap();
    let records = simulator.simulate(customers, seed, start);
    let mut out = Vec::new();
    journey_map::write_csv(records.iter(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// How the rows reach DataFusion: partitions, target partitions (threads), the seed of the
/// shuffle, whether CSV column types are inferred (else every column is text), and the
/// largest batch (small batches give each bucket many small slices, which
/// `journey_partial` joins as they come).
#[derive(Clone, Copy)]
struct Split {
    parts: usize,
    threads: usize,
    seed: u64,
    infer: bool,
    max_batch: usize,
}

fn check(
    journey: &Journey,
    csv: &str,
    engine: &JourneyEngine,
    selection: &Selection,
    split_as: Split,
) {
    let Split {
        parts,
        threads,
        seed,
        infer,
        max_batch,
    } = split_as;
    let rt = runtime();
    let batch = rt.block_on(batches(csv, infer));
    for analysis in Analysis::ALL {
        let expected = in_memory(journey, csv, selection, analysis);
        let df = split(&batch, parts, threads, seed ^ analysis as u64, max_batch);
        let analysed = rt
            .block_on(engine.analyse(df, analysis))
            .unwrap_or_else(|e| panic!("{analysis}: {e:?}"));
        assert_eq!(
            analysed.report, expected,
            "{analysis}, {parts} parts, seed {seed}"
        );
        assert_eq!(analysed.ingested.rows, batch.num_rows() as u64);
        assert_eq!(analysed.ingested.attached, batch.num_rows() as u64);
    }
    // Every analysis in one pass over the rows, in another order: the same reports.
    let mut order = Analysis::ALL.to_vec();
    order.reverse();
    let len = order.len();
    order.rotate_left(seed as usize % len);
    let df = split(&batch, parts, threads, !seed, max_batch);
    let all = rt
        .block_on(engine.analyse_many(df, &order))
        .unwrap_or_else(|e| panic!("{order:?} in one pass: {e:?}"));
    assert_eq!(all.len(), order.len());
    for (analysed, &analysis) in all.iter().zip(&order) {
        let expected = in_memory(journey, csv, selection, analysis);
        assert_eq!(
            analysed.report, expected,
            "{analysis} in one pass, {parts} parts, seed {seed}"
        );
        assert_eq!(analysed.ingested.attached, batch.num_rows() as u64);
    }
}

#[test]
fn the_bank_sample_gives_every_report_of_the_in_memory_path() {
    let journey = Journey::load("../examples/data/retail_bank.ron").unwrap();
    let csv = std::fs::read_to_string("../examples/data/retail_bank.interactions.csv").unwrap();
    let engine = JourneyEngine::new(journey.clone()).buckets(7);
    check(
        &journey,
        &csv,
        &engine,
        &Selection::all(),
        Split {
            parts: 5,
            threads: 2,
            seed: 1,
            infer: false,
            max_batch: 32,
        },
    );
    check(
        &journey,
        &csv,
        &engine,
        &Selection::all(),
        Split {
            parts: 3,
            threads: 3,
            seed: 2,
            infer: true,
            max_batch: 4096,
        },
    );
}

#[test]
fn a_persona_selection_gives_that_personas_reports() {
    let journey = Journey::load("../examples/data/retail_bank.ron").unwrap();
    let csv = std::fs::read_to_string("../examples/data/retail_bank.interactions.csv").unwrap();
    let persona = journey.personas()[0].id.clone();
    let selection = Selection::all().persona(persona);
    let engine = JourneyEngine::new(journey.clone())
        .selection(selection.clone())
        .unwrap();
    check(
        &journey,
        &csv,
        &engine,
        &selection,
        Split {
            parts: 4,
            threads: 2,
            seed: 3,
            infer: false,
            max_batch: 4096,
        },
    );
}

#[test]
fn a_simulated_shop_with_channels_of_different_speeds_gives_the_same_reports() {
    let journey = shop::shop();
    let csv = simulated(&journey, &shop::healthy(), 3_000, 11);
    // In three passes over the table, each with a third of the buckets.
    let engine = JourneyEngine::new(journey.clone()).buckets(64).passes(3);
    check(
        &journey,
        &csv,
        &engine,
        &Selection::all(),
        Split {
            parts: 8,
            threads: 2,
            seed: 4,
            infer: true,
            max_batch: 4096,
        },
    );
}

#[test]
fn one_bucket_and_one_partition_give_the_same_reports() {
    let journey = Journey::load("../examples/data/broadband.ron").unwrap();
    let csv = std::fs::read_to_string("../examples/data/broadband.interactions.csv").unwrap();
    let engine = JourneyEngine::new(journey.clone()).buckets(1);
    check(
        &journey,
        &csv,
        &engine,
        &Selection::all(),
        Split {
            parts: 1,
            threads: 1,
            seed: 5,
            infer: false,
            max_batch: 4096,
        },
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Any split into partitions, any bucket count, any thread count: the same reports.
    #[test]
    fn any_split_gives_the_same_reports(
        seed in 0u64..1_000,
        parts in 1usize..12,
        buckets in 1u32..300,
        threads in 1usize..4,
    ) {
        let journey = Journey::load("../examples/data/retail_bank.ron").unwrap();
        let behaviour = Behaviour::load("../examples/data/retail_bank.behaviour.ron").unwrap();
        let csv = simulated(&journey, &behaviour, 400, seed);
        let engine = JourneyEngine::new(journey.clone()).buckets(buckets);
        check(&journey, &csv, &engine, &Selection::all(), Split { parts, threads, seed, infer: seed % 2 == 0, max_batch: 4096 });
    }
}

#[test]
fn a_persona_the_journey_lacks_is_refused_with_the_closest() {
    let journey = Journey::load("../examples/data/retail_bank.ron").unwrap();
    let persona = journey.personas()[0].id.as_str().to_owned();
    let wrong = PersonaId::from(format!("{persona}x").as_str());
    let error = JourneyEngine::new(journey)
        .selection(Selection::all().persona(wrong))
        .unwrap_err();
    let text = format!("{error}: {}", std::error::Error::source(&error).unwrap());
    assert!(text.contains("the selection does not fit"), "{text}");
}
