//! Observed paths and attribution.
//!
//! - `paths_1m`: directly-follows graph, variants and conformance of 1,000,000 interactions of
//!   100,000 customers (the log already attached), together and one by one;
//! - `removal_effects`: every removal effect of the Markov chain of a generated journey of
//!   1,000 touchpoints (3,000 flows), walked by 50,000 simulated customers.
//!
//! Run with `cargo bench --bench paths`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::analysis::{Attribute, CheckConformance, ObservePaths, Selection};
use journey_map::{IngestOptions, Interaction, Journey, LogBuilder, Outcome};

#[path = "../tests/support/records.rs"]
mod records;
#[path = "../tests/support/mod.rs"]
mod support;

fn paths(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let log = records::attached(&journey);
    let all = Selection::all();
    let mut group = c.benchmark_group("paths_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(records::RECORDS as u64));
    group.bench_function("dfg_variants_conformance", |b| {
        b.iter(|| {
            let graph = journey.directly_follows(black_box(&log), &all).unwrap();
            let variants = journey.variants(black_box(&log), &all, 10).unwrap();
            let conformance = journey.conformance(black_box(&log), &all).unwrap();
            (graph, variants, conformance)
        })
    });
    group.bench_function("directly_follows", |b| {
        b.iter(|| journey.directly_follows(black_box(&log), &all).unwrap())
    });
    group.bench_function("variants", |b| {
        b.iter(|| journey.variants(black_box(&log), &all, 10).unwrap())
    });
    group.bench_function("conformance", |b| {
        b.iter(|| journey.conformance(black_box(&log), &all).unwrap())
    });
    group.finish();
}

fn removal_effects(c: &mut Criterion) {
    let journey = support::generated(1_000, 3, 10, 0).build().unwrap();
    let mut rng = records::Rng(0x0DD5_EED5);
    let entries: Vec<String> = journey.entries().map(|t| t.id.to_string()).collect();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let start = jiff::Timestamp::from_second(1_767_225_600).unwrap();
    for customer in 0..50_000_u64 {
        let mut here = entries[rng.below(entries.len() as u64) as usize].clone();
        for step in 0..60_i64 {
            let at = start + jiff::SignedDuration::from_secs(customer as i64 * 10_000 + step);
            let record = Interaction::new(
                format!("c{customer}"),
                here.as_str(),
                at,
                Outcome::Completed,
            );
            builder.push(record).unwrap();
            let touchpoint = journey.touchpoint(here.as_str()).unwrap();
            if touchpoint.is_goal || rng.below(100) < 3 {
                break;
            }
            let next = journey.next_touchpoints(here.as_str()).unwrap();
            here = next[rng.below(next.len() as u64) as usize].id.to_string();
        }
    }
    let (log, _) = builder.finish();
    let chain = journey.markov_chain(&log, &Selection::all()).unwrap();
    assert_eq!(chain.touchpoints().len(), 1_000, "every touchpoint visited");
    let mut group = c.benchmark_group("removal_effects");
    group.sample_size(10);
    group.bench_function("1000_touchpoints", |b| {
        b.iter(|| black_box(&chain).removal_effects().unwrap())
    });
    group.finish();
}

criterion_group!(benches, paths, removal_effects);
criterion_main!(benches);
