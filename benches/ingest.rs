//! `read_csv` of 1,000,000 interactions of 100,000 customers (ten a customer), in the crate's
//! own format and as a help-desk export read through a mapping (its own column names, display
//! names for touchpoints, its own statuses, local London times, a column left out), next to
//! the csv crate reading the export alone: the mapped read should take at most 2.2 times the
//! csv crate. How reading grows to 10,000,000 interactions is the `scaling` bench's.
//!
//! Run with `cargo bench --bench ingest`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::{IngestOptions, Journey, LogBuilder};

#[path = "../tests/support/records.rs"]
mod records;

fn bench(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let mut group = c.benchmark_group("ingest");
    group.sample_size(10);
    let customers = 100_000;
    let records = records::records_of(&journey, customers);
    let rows = customers * 10;
    group.throughput(Throughput::Elements(rows as u64));
    let csv = records::to_csv(&records);
    group.bench_function("read_csv_1m", |b| {
        b.iter_with_large_drop(|| {
            let mut builder = LogBuilder::new(&journey, IngestOptions::default());
            builder.read_csv(black_box(csv.as_bytes())).unwrap();
            builder.finish()
        })
    });
    drop(csv);
    let (export, mapping) = records::to_export(&journey, &records);
    drop(records);
    group.bench_function("csv_crate_export_1m", |b| {
        b.iter(|| {
            let mut reader = csv::ReaderBuilder::new().from_reader(black_box(export.as_bytes()));
            let mut record = csv::ByteRecord::new();
            let mut fields = 0;
            while reader.read_byte_record(&mut record).unwrap() {
                fields += record.len();
            }
            fields
        })
    });
    group.bench_function("read_csv_mapped_1m", |b| {
        b.iter_with_large_drop(|| {
            let mut builder = LogBuilder::new(&journey, IngestOptions::default())
                .mapping(mapping.clone())
                .unwrap();
            builder.read_csv(black_box(export.as_bytes())).unwrap();
            builder.finish()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
