//! Attaching 1,000,000 interactions and computing every metric (on every core, the default,
//! and on one thread); reading the same records from CSV (on two threads, the default, and on
//! one), next to the csv crate reading the file alone.
//!
//! Run with `cargo bench --bench metrics`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::analysis::{MetricsOptions, MetricsReport, Selection};
use journey_map::{IngestOptions, Journey, LogBuilder};

#[path = "../tests/support/records.rs"]
mod records;

use records::{RECORDS, records, to_csv};

fn bench(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let records = records(&journey);
    let mut group = c.benchmark_group("interactions_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(RECORDS as u64));

    // Attaching checks and interns each record and orders the log; the records stay with
    // the caller, and dropping the finished log is not timed.
    group.bench_function("attach", |b| {
        b.iter_with_large_drop(|| {
            let mut builder = LogBuilder::new(&journey, IngestOptions::default());
            builder.extend(black_box(&records)).unwrap();
            builder.finish()
        })
    });

    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    let (log, _) = builder.finish();
    // Metrics on every core (the default), then attach and metrics on one thread.
    let metrics = |log: &journey_map::InteractionLog| {
        MetricsReport::compute(&journey, log, &Selection::all(), MetricsOptions::default()).unwrap()
    };
    group.bench_function("metrics", |b| b.iter(|| metrics(black_box(&log))));
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    group.bench_function("metrics_one_thread", |b| {
        b.iter(|| one.install(|| metrics(black_box(&log))))
    });
    group.bench_function("attach_and_metrics_one_thread", |b| {
        b.iter_with_large_drop(|| {
            one.install(|| {
                let mut builder = LogBuilder::new(&journey, IngestOptions::default());
                builder.extend(black_box(&records)).unwrap();
                let (log, _) = builder.finish();
                (metrics(&log), log)
            })
        })
    });

    let csv = to_csv(&records);
    group.throughput(Throughput::Bytes(csv.len() as u64));
    group.bench_function("csv_crate_byte_records", |b| {
        b.iter(|| {
            let mut reader = csv::ReaderBuilder::new().from_reader(black_box(csv.as_bytes()));
            let mut record = csv::ByteRecord::new();
            let mut fields = 0;
            while reader.read_byte_record(&mut record).unwrap() {
                fields += record.len();
            }
            fields
        })
    });
    // The default reads rows on the calling thread while a second thread checks them.
    for (name, options) in [
        ("read_csv", IngestOptions::default()),
        (
            "read_csv_one_thread",
            IngestOptions::default().parallel(false),
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter_with_large_drop(|| {
                let mut builder = LogBuilder::new(&journey, options);
                builder.read_csv(black_box(csv.as_bytes())).unwrap();
                builder.finish()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
