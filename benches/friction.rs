//! The whole friction report (every kind, handoffs and service levels included) for 1,000,000
//! interactions, the log already attached (CSV parsing is measured in the ingest bench):
//!
//! - `report`: 100,000 customers at uniformly random touchpoints of the sample bank, so that
//!   every one of the 24 × 24 moves between touchpoints is observed for every persona (the
//!   worst case for handoffs: every move is its own cell);
//! - `report_simulated`: the sample bank's behaviour model (`retail_bank.behaviour.ron`)
//!   simulated until about a million interactions, moves along the map as real logs have them.
//!
//! Run with `cargo bench --bench friction`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::analysis::{DetectFriction, FrictionConfig, Selection};
use journey_map::sim::{Behaviour, Simulator};
use journey_map::{IngestOptions, Journey, LogBuilder};

#[path = "../tests/support/records.rs"]
mod records;

fn bench(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let config = FrictionConfig::default();
    let mut group = c.benchmark_group("friction_1m");
    group.sample_size(10);

    let log = records::attached(&journey);
    group.throughput(Throughput::Elements(log.len() as u64));
    group.bench_function("report", |b| {
        b.iter(|| {
            journey
                .detect_friction(black_box(&log), &Selection::all(), &config)
                .unwrap()
        })
    });
    drop(log);

    let behaviour = Behaviour::load("examples/data/retail_bank.behaviour.ron").unwrap();
    let records = Simulator::new(&journey, &behaviour).unwrap().simulate(
        265_000,
        42,
        "2026-01-05T08:00:00Z".parse().unwrap(),
    );
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    let (log, _) = builder.finish();
    drop(records);
    group.throughput(Throughput::Elements(log.len() as u64));
    group.bench_function("report_simulated", |b| {
        b.iter(|| {
            journey
                .detect_friction(black_box(&log), &Selection::all(), &config)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
