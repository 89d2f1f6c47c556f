//! Reading Parquet (the `arrow` feature) against reading the same log as CSV: 1,000,000
//! interactions of 100,000 customers, typed columns (a dictionary of touchpoints, millisecond
//! timestamps, floats, small integers, booleans) in row groups of 128 Ki rows, no compression,
//! next to the parquet crate decoding the file alone. Parquet should be at least as fast as
//! CSV. How reading grows to 10,000,000 interactions is the `scaling` bench's.
//!
//! Run with `cargo bench --features arrow --bench parquet` (it writes the file, 15 MB, to the
//! system's temporary folder first).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::{IngestOptions, Journey, LogBuilder};

#[path = "../tests/support/records.rs"]
mod records;

#[path = "support/parquet_file.rs"]
mod parquet_file;
use parquet_file::write_parquet;

fn bench(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let mut group = c.benchmark_group("parquet");
    group.sample_size(10);
    let dir = std::env::temp_dir().join(format!("journey-map-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let customers = 100_000;
    let records = records::records_of(&journey, customers);
    let rows = customers * 10;
    group.throughput(Throughput::Elements(rows as u64));
    let path = dir.join("log-1m.parquet");
    write_parquet(&records, &path);
    let csv = records::to_csv(&records);
    drop(records);
    group.bench_function("read_csv_1m", |b| {
        b.iter_with_large_drop(|| {
            let mut builder = LogBuilder::new(&journey, IngestOptions::default());
            builder.read_csv(black_box(csv.as_bytes())).unwrap();
            builder.finish()
        })
    });
    drop(csv);
    group.bench_function("parquet_crate_decode_1m", |b| {
        b.iter(|| {
            let file = std::fs::File::open(black_box(&path)).unwrap();
            let reader =
                parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
                    .unwrap()
                    .with_batch_size(8192)
                    .build()
                    .unwrap();
            reader.map(|batch| batch.unwrap().num_rows()).sum::<usize>()
        })
    });
    group.bench_function("read_parquet_1m", |b| {
        b.iter_with_large_drop(|| {
            let mut builder = LogBuilder::new(&journey, IngestOptions::default());
            builder.read_parquet_path(black_box(&path)).unwrap();
            builder.finish()
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
