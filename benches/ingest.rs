//! How `read_csv` grows with its input: the same kind of log (ten interactions a customer) at
//! 1,000,000 interactions of 100,000 customers and at 10,000,000 of 1,000,000 customers. The
//! second should take at most about ten times the first.
//!
//! Run with `cargo bench --bench ingest` (it builds a 10M-row CSV in memory first: about 700 MB
//! of text and 480 MB of log).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::{IngestOptions, Journey, LogBuilder};

#[path = "../tests/support/records.rs"]
mod records;

fn bench(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let mut group = c.benchmark_group("ingest_scaling");
    group.sample_size(10);
    for customers in [100_000, 1_000_000] {
        let csv = records::to_csv(&records::records_of(&journey, customers));
        let rows = customers * 10;
        group.throughput(Throughput::Elements(rows as u64));
        group.bench_function(format!("read_csv_{}m", rows / 1_000_000), |b| {
            b.iter_with_large_drop(|| {
                let mut builder = LogBuilder::new(&journey, IngestOptions::default());
                builder.read_csv(black_box(csv.as_bytes())).unwrap();
                builder.finish()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
