//! Friction over time on 1,000,000 interactions: the sample bank's behaviour model (with its
//! March outage) simulated for 265,000 customers over 26 weeks, the log already attached.
//!
//! - `incidents_26_weeks`: every incident over 26 ISO weeks (one pass, then every bucket of
//!   every place, kind and persona tested against its history, twice);
//! - `compare_months`: March against February (two passes over each month's customers,
//!   every two-sample test, and each month's friction report);
//! - `trends_26_weeks`: every series by week.
//!
//! Run with `cargo bench --bench periods`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::analysis::friction::Period;
use journey_map::analysis::{Calendar, FrictionConfig, Granularity, Observation, Selection};
use journey_map::sim::{Behaviour, Simulator};
use journey_map::{IngestOptions, Journey, LogBuilder};

fn bench(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let mut behaviour = Behaviour::load("examples/data/retail_bank.behaviour.ron").unwrap();
    // 26 weeks of minutes for 265,000 customers.
    behaviour.minutes_between_customers = 26.0 * 7.0 * 24.0 * 60.0 / 265_000.0;
    let records = Simulator::new(&journey, &behaviour).unwrap().simulate(
        265_000,
        42,
        "2026-01-05T00:00:00Z".parse().unwrap(),
    );
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    let (log, _) = builder.finish();
    drop(records);
    let observation = Observation::new(&journey, &log).unwrap();
    let config = FrictionConfig::default();
    let weeks = Calendar::new(Granularity::Week);
    let all = Selection::all();

    let report = observation.incidents(&all, &weeks, &config).unwrap();
    assert!(report.buckets.len() >= 26, "{}", report.buckets.len());

    let mut group = c.benchmark_group("periods_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(log.len() as u64));
    group.bench_function("incidents_26_weeks", |b| {
        b.iter(|| {
            observation
                .incidents(black_box(&all), &weeks, &config)
                .unwrap()
        })
    });
    let february = Period::new(
        "2026-02-01T00:00:00Z".parse().unwrap(),
        "2026-03-01T00:00:00Z".parse().unwrap(),
    );
    let march = Period::new(
        "2026-03-01T00:00:00Z".parse().unwrap(),
        "2026-04-01T00:00:00Z".parse().unwrap(),
    );
    group.bench_function("compare_months", |b| {
        b.iter(|| {
            observation
                .compare_periods(black_box(&all), &february, &march, &config)
                .unwrap()
        })
    });
    group.bench_function("trends_26_weeks", |b| {
        b.iter(|| {
            observation
                .trends(black_box(&all), &weeks, &config)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
