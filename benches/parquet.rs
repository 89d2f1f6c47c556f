//! Reading Parquet (the `arrow` feature) against reading the same log as CSV: 1,000,000
//! interactions of 100,000 customers and 10,000,000 of 1,000,000, typed columns (a dictionary
//! of touchpoints, millisecond timestamps, floats, small integers, booleans) in row groups of
//! 128 Ki rows, no compression, next to the parquet crate decoding the file alone. Parquet
//! should be at least as fast as CSV, and 10M at most about ten times 1M.
//!
//! Run with `cargo bench --features arrow --bench parquet` (it writes the files to the
//! system's temporary folder first: about 40 MB and 400 MB).

use std::hint::black_box;
use std::sync::Arc;

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray,
    UInt8Array,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::{IngestOptions, Interaction, Journey, LogBuilder};

#[path = "../tests/support/records.rs"]
mod records;

/// A slice of records as a typed record batch.
fn batch(records: &[Interaction]) -> RecordBatch {
    let text = |f: &dyn Fn(&Interaction) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from(records.iter().map(f).collect::<Vec<_>>()))
    };
    let float = |f: &dyn Fn(&Interaction) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from(
            records.iter().map(f).collect::<Vec<_>>(),
        ))
    };
    let small = |f: &dyn Fn(&Interaction) -> Option<u8>| -> ArrayRef {
        Arc::new(UInt8Array::from(records.iter().map(f).collect::<Vec<_>>()))
    };
    let mut touchpoints = StringDictionaryBuilder::<Int32Type>::new();
    for r in records {
        touchpoints.append_value(r.touchpoint.as_str());
    }
    // Every column nullable: the schema of the first chunk is the file's.
    RecordBatch::try_from_iter_with_nullable([
        ("customer", text(&|r| Some(r.customer.to_string())), true),
        (
            "touchpoint",
            Arc::new(touchpoints.finish()) as ArrayRef,
            true,
        ),
        (
            "timestamp",
            Arc::new(TimestampMillisecondArray::from(
                records
                    .iter()
                    .map(|r| r.timestamp.as_millisecond())
                    .collect::<Vec<_>>(),
            )) as ArrayRef,
            true,
        ),
        ("outcome", text(&|r| Some(r.outcome.to_string())), true),
        (
            "persona",
            text(&|r| r.persona.as_ref().map(|p| p.to_string())),
            true,
        ),
        ("wait_seconds", float(&|r| r.wait_seconds), true),
        ("handling_seconds", float(&|r| r.handling_seconds), true),
        ("csat", small(&|r| r.csat), true),
        ("ces", small(&|r| r.ces), true),
        ("nps", small(&|r| r.nps), true),
        ("sentiment", float(&|r| r.sentiment), true),
        (
            "resolved",
            Arc::new(BooleanArray::from(
                records.iter().map(|r| r.resolved).collect::<Vec<_>>(),
            )) as ArrayRef,
            true,
        ),
        ("need", text(&|r| r.need.clone()), true),
    ])
    .unwrap()
}

fn write_parquet(records: &[Interaction], path: &std::path::Path) {
    let file = std::fs::File::create(path).unwrap();
    let first = batch(&records[..1]);
    let properties = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(128 * 1024))
        .build();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(file, first.schema(), Some(properties)).unwrap();
    for chunk in records.chunks(65_536) {
        writer.write(&batch(chunk)).unwrap();
    }
    writer.close().unwrap();
}

fn bench(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let mut group = c.benchmark_group("parquet");
    group.sample_size(10);
    let dir = std::env::temp_dir().join(format!("journey-map-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for customers in [100_000, 1_000_000] {
        let records = records::records_of(&journey, customers);
        let rows = customers * 10;
        let m = rows / 1_000_000;
        group.throughput(Throughput::Elements(rows as u64));
        let path = dir.join(format!("log-{m}m.parquet"));
        write_parquet(&records, &path);
        let csv = records::to_csv(&records);
        drop(records);
        group.bench_function(format!("read_csv_{m}m"), |b| {
            b.iter_with_large_drop(|| {
                let mut builder = LogBuilder::new(&journey, IngestOptions::default());
                builder.read_csv(black_box(csv.as_bytes())).unwrap();
                builder.finish()
            })
        });
        drop(csv);
        group.bench_function(format!("parquet_crate_decode_{m}m"), |b| {
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
        group.bench_function(format!("read_parquet_{m}m"), |b| {
            b.iter_with_large_drop(|| {
                let mut builder = LogBuilder::new(&journey, IngestOptions::default());
                builder.read_parquet_path(black_box(&path)).unwrap();
                builder.finish()
            })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
