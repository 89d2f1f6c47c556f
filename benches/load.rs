//! Loading, validating and querying a generated journey of 10,000 touchpoints and 50,000 flows
//! (and the same at 40,000 / 200,000, to show that the cost grows linearly).
//!
//! Run with `cargo bench --bench load`.

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use journey_map::{Journey, PathLimits};

#[path = "../tests/support/mod.rs"]
mod support;

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(20);
    for touchpoints in [10_000, 40_000] {
        let journey = support::generated(touchpoints, 5, 50, 0).build().unwrap();
        let text = journey.to_ron_string().unwrap();
        group.throughput(Throughput::Bytes(text.len() as u64));
        // Parse, validate and build the graph; dropping the journey afterwards is not timed.
        group.bench_with_input(
            BenchmarkId::new("from_ron_str", touchpoints),
            &text,
            |b, text| b.iter_with_large_drop(|| Journey::from_ron_str(black_box(text)).unwrap()),
        );
        // Validate and build the graph from parts already in memory: the work after parsing.
        let parts = journey.to_builder();
        group.bench_with_input(
            BenchmarkId::new("build", touchpoints),
            &parts,
            |b, parts| {
                b.iter_batched(
                    || parts.clone(),
                    |parts| parts.build().unwrap(),
                    BatchSize::LargeInput,
                )
            },
        );
        group.bench_with_input(
            BenchmarkId::new("to_ron_string", touchpoints),
            &journey,
            |b, journey| b.iter(|| black_box(journey).to_ron_string().unwrap()),
        );
    }
    group.finish();
}

fn queries(c: &mut Criterion) {
    let mut group = c.benchmark_group("queries");
    for touchpoints in [10_000, 40_000] {
        let journey = support::generated(touchpoints, 5, 50, 0).build().unwrap();
        group.bench_with_input(
            BenchmarkId::new("warnings", touchpoints),
            &journey,
            |b, journey| b.iter(|| black_box(journey).warnings()),
        );
        group.bench_with_input(
            BenchmarkId::new("backward_flows", touchpoints),
            &journey,
            |b, journey| b.iter(|| black_box(journey).backward_flows().len()),
        );
        group.bench_with_input(
            BenchmarkId::new("touchpoints_in_stage", touchpoints),
            &journey,
            |b, journey| {
                b.iter(|| {
                    black_box(journey)
                        .touchpoints_in_stage("stage-7")
                        .unwrap()
                        .len()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("paths_to_goals_1000", touchpoints),
            &journey,
            |b, journey| {
                b.iter(|| {
                    black_box(journey)
                        .paths_to_goals(PathLimits::default().max_touchpoints(8).max_paths(1_000))
                        .paths
                        .len()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, load, queries);
criterion_main!(benches);
