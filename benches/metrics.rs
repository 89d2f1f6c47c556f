//! Attaching 1,000,000 interactions and computing every metric; reading the same records
//! from CSV, next to the csv crate reading the file alone.
//!
//! Run with `cargo bench --bench metrics`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::analysis::{MetricsOptions, MetricsReport};
use journey_map::{IngestOptions, Interaction, Journey, LogBuilder, Outcome};

const RECORDS: usize = 1_000_000;
const CUSTOMERS: usize = 100_000;

/// A seeded xorshift generator: the same records on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Ten interactions for each of 100,000 customers, at random touchpoints of the bank journey,
/// a third with scores, waits and need keys.
fn records(journey: &Journey) -> Vec<Interaction> {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let start = jiff::Timestamp::from_second(1_767_225_600).unwrap();
    let touchpoints = journey.touchpoints();
    let personas = journey.personas();
    (0..RECORDS)
        .map(|i| {
            let customer = i / (RECORDS / CUSTOMERS);
            let t = &touchpoints[rng.below(touchpoints.len() as u64) as usize];
            let at =
                start + jiff::SignedDuration::from_secs((customer * 600 + (i % 10) * 60) as i64);
            let mut record = Interaction::new(
                format!("c{customer}"),
                t.id.clone(),
                at,
                Outcome::ALL[rng.below(4) as usize],
            );
            if i % 10 == 0 {
                record = record.with_persona(personas[customer % personas.len()].id.clone());
            }
            if rng.below(3) == 0 {
                record = record
                    .with_csat(1 + rng.below(5) as u8)
                    .with_ces(1 + rng.below(7) as u8)
                    .with_nps(rng.below(11) as u8)
                    .with_wait_seconds(rng.below(900) as f64)
                    .with_handling_seconds(rng.below(1_200) as f64)
                    .with_sentiment((rng.below(201) as f64 - 100.0) / 100.0)
                    .with_need(format!("n{}", rng.below(3)))
                    .with_resolved(rng.below(2) == 0);
            }
            record
        })
        .collect()
}

fn to_csv(records: &[Interaction]) -> String {
    let mut out = String::from(
        "customer,touchpoint,timestamp,outcome,persona,wait_seconds,handling_seconds,csat,ces,nps,sentiment,resolved,need\n",
    );
    for r in records {
        let opt = |v: Option<String>| v.unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.customer,
            r.touchpoint,
            r.timestamp.as_second(),
            r.outcome,
            opt(r.persona.as_ref().map(|p| p.to_string())),
            opt(r.wait_seconds.map(|v| v.to_string())),
            opt(r.handling_seconds.map(|v| v.to_string())),
            opt(r.csat.map(|v| v.to_string())),
            opt(r.ces.map(|v| v.to_string())),
            opt(r.nps.map(|v| v.to_string())),
            opt(r.sentiment.map(|v| v.to_string())),
            opt(r.resolved.map(|v| v.to_string())),
            opt(r.need.clone()),
        ));
    }
    out
}

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
    group.bench_function("metrics", |b| {
        b.iter(|| {
            MetricsReport::compute(&journey, black_box(&log), MetricsOptions::default()).unwrap()
        })
    });

    group.bench_function("attach_and_metrics", |b| {
        b.iter_with_large_drop(|| {
            let mut builder = LogBuilder::new(&journey, IngestOptions::default());
            builder.extend(black_box(&records)).unwrap();
            let (log, _) = builder.finish();
            (
                MetricsReport::compute(&journey, &log, MetricsOptions::default()).unwrap(),
                log,
            )
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
    group.bench_function("read_csv", |b| {
        b.iter_with_large_drop(|| {
            let mut builder = LogBuilder::new(&journey, IngestOptions::default());
            builder.read_csv(black_box(csv.as_bytes())).unwrap();
            builder.finish()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
