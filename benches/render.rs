//! Drawing the map: a generated journey of 1,000 touchpoints in 8 stages (2,000 flows),
//! walked by 20,000 customers, rendered to SVG with its metrics (the target: under
//! 100 ms), with every report, and to DOT, Mermaid and HTML.
//!
//! Run with `cargo bench --bench render`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use journey_map::analysis::{
    DetectFriction, FrictionConfig, MetricsReport, ObservePaths, Selection,
};
use journey_map::render::{HtmlReport, JourneyMap};
use journey_map::{IngestOptions, Interaction, LogBuilder, Outcome};

#[path = "../tests/support/records.rs"]
mod records;
#[path = "../tests/support/mod.rs"]
mod support;

fn render(c: &mut Criterion) {
    let journey = support::generated(1_000, 2, 8, 0).build().unwrap();
    let mut rng = records::Rng(0x0005_EED0_F5A6);
    let entries: Vec<String> = journey.entries().map(|t| t.id.to_string()).collect();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let start = jiff::Timestamp::from_second(1_767_225_600).unwrap();
    for customer in 0..20_000_u64 {
        let mut here = entries[rng.below(entries.len() as u64) as usize].clone();
        for step in 0..30_i64 {
            let at = start + jiff::SignedDuration::from_secs(customer as i64 * 1_000 + step * 30);
            let outcome = if rng.below(10) == 0 {
                Outcome::Failed
            } else {
                Outcome::Completed
            };
            let record = Interaction::new(format!("c{customer}"), here.as_str(), at, outcome)
                .with_wait_seconds(rng.below(600) as f64)
                .with_csat(1 + rng.below(5) as u8)
                .with_sentiment(rng.below(200) as f64 / 100.0 - 1.0);
            builder.push(record).unwrap();
            if journey.touchpoint(here.as_str()).unwrap().is_goal || rng.below(100) < 5 {
                break;
            }
            let next = journey.next_touchpoints(here.as_str()).unwrap();
            here = next[rng.below(next.len() as u64) as usize].id.to_string();
        }
    }
    let (log, _) = builder.finish();
    let all = Selection::all();
    let metrics = MetricsReport::compute(&journey, &log, &all, Default::default()).unwrap();
    let friction = journey
        .detect_friction(&log, &all, &FrictionConfig::default())
        .unwrap();
    let follows = journey.directly_follows(&log, &all).unwrap();
    let with_metrics = JourneyMap::new(&journey).metrics(&metrics);
    let everything = JourneyMap::new(&journey)
        .metrics(&metrics)
        .friction(&friction)
        .flows(&follows);

    let mut group = c.benchmark_group("render_1000_touchpoints");
    group.sample_size(20);
    group.bench_function("svg_with_metrics", |b| {
        b.iter(|| black_box(&with_metrics).to_svg().unwrap())
    });
    group.bench_function("svg_with_every_report", |b| {
        b.iter(|| black_box(&everything).to_svg().unwrap())
    });
    group.bench_function("dot", |b| {
        b.iter(|| black_box(&everything).to_dot().unwrap())
    });
    group.bench_function("mermaid", |b| {
        b.iter(|| black_box(&everything).to_mermaid().unwrap())
    });
    group.bench_function("html", |b| {
        b.iter(|| {
            HtmlReport::new(black_box(everything.clone()))
                .to_html()
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
