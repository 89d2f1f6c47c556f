//! The analysis part of the 1M bench (every metric, the friction report, the directly-follows
//! graph, variants and conformance on 1,000,000 interactions of 100,000 customers, the log
//! already attached) on one thread and on two: each analysis splits its customers over the
//! threads of the rayon pool it runs in.
//!
//! Then each analysis alone on one thread and on two (`each_1m`), to show which gains least.
//!
//! Run with `cargo bench --bench cores`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use journey_map::Journey;
use journey_map::analysis::{FrictionConfig, MetricsOptions, Observation, Selection};

#[path = "../tests/support/records.rs"]
mod records;

fn bench(c: &mut Criterion) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let log = records::attached(&journey);
    let observation = Observation::new(&journey, &log).unwrap();
    let all = Selection::all();
    let config = FrictionConfig::default();
    let pools: Vec<(usize, rayon::ThreadPool)> = [1, 2]
        .into_iter()
        .map(|threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            (threads, pool)
        })
        .collect();
    let mut group = c.benchmark_group("analyses_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(records::RECORDS as u64));
    for (threads, pool) in &pools {
        group.bench_function(format!("{threads}_thread"), |b| {
            b.iter(|| {
                pool.install(|| {
                    let o = black_box(&observation);
                    (
                        o.metrics(&all, MetricsOptions::default()).unwrap(),
                        o.friction(&all, &config).unwrap(),
                        o.directly_follows(&all).unwrap(),
                        o.variants(&all, 10).unwrap(),
                        o.conformance(&all).unwrap(),
                    )
                })
            })
        });
    }
    group.finish();

    // Each analysis alone, to see which gains least from the second core.
    let mut group = c.benchmark_group("each_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(records::RECORDS as u64));
    for (threads, pool) in &pools {
        let o = &observation;
        let mut time = |name: &str, f: &(dyn Fn() + Sync)| {
            group.bench_function(format!("{name}_{threads}_thread"), |b| {
                b.iter(|| pool.install(f))
            });
        };
        time("metrics", &|| {
            black_box(o.metrics(&all, MetricsOptions::default()).unwrap());
        });
        time("friction", &|| {
            black_box(o.friction(&all, &config).unwrap());
        });
        time("directly_follows", &|| {
            black_box(o.directly_follows(&all).unwrap());
        });
        time("variants", &|| {
            black_box(o.variants(&all, 10).unwrap());
        });
        time("conformance", &|| {
            black_box(o.conformance(&all).unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
