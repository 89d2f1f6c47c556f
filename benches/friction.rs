//! The whole friction report for 1,000,000 interactions of 100,000 customers (the log already
//! attached: CSV parsing is measured in the metrics bench).
//!
//! Run with `cargo bench --bench friction`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::Journey;
use journey_map::analysis::{DetectFriction, FrictionConfig, Selection};

#[path = "../tests/support/records.rs"]
mod records;

fn bench(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let log = records::attached(&journey);
    let mut group = c.benchmark_group("friction_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(records::RECORDS as u64));
    let config = FrictionConfig::default();
    group.bench_function("report", |b| {
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
