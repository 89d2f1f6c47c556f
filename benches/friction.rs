//! The whole friction report for 1,000,000 interactions of 100,000 customers (the log already
//! attached: CSV parsing is measured in the metrics bench).
//!
//! Run with `cargo bench --bench friction`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::analysis::{DetectFriction, FrictionConfig};
use journey_map::{IngestOptions, Journey, LogBuilder};

#[path = "../tests/support/records.rs"]
mod records;

fn bench(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let records = records::records(&journey);
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    let (log, _) = builder.finish();
    drop(records);
    let mut group = c.benchmark_group("friction_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(records::RECORDS as u64));
    let config = FrictionConfig::default();
    group.bench_function("report", |b| {
        b.iter(|| journey.detect_friction(black_box(&log), &config).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
