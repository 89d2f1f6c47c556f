//! Journeys generated for tests and benchmarks.

#![allow(dead_code)]

use journey_map::{
    Channel, Flow, IngestOptions, InteractionLog, Journey, JourneyBuilder, LogBuilder, Persona,
    Stage, Touchpoint, TouchpointKind,
};

const CHANNELS: [Channel; 10] = [
    Channel::Web,
    Channel::MobileApp,
    Channel::Email,
    Channel::Sms,
    Channel::Phone,
    Channel::LiveChat,
    Channel::Chatbot,
    Channel::Social,
    Channel::Store,
    Channel::Post,
];

/// A valid journey of `touchpoints` touchpoints in `stages` stages, with `flows_per_touchpoint`
/// flows leaving each touchpoint (forward, to the next ones in a ring, so every touchpoint is
/// reachable and reaches a goal) with expected shares of two decimals, four personas, and a
/// description of `description_len` bytes on each touchpoint. Every 100th touchpoint is an
/// entry, every 100th a goal.
pub fn generated(
    touchpoints: usize,
    flows_per_touchpoint: usize,
    stages: usize,
    description_len: usize,
) -> JourneyBuilder {
    let kinds = [
        TouchpointKind::Marketing,
        TouchpointKind::DigitalProduct,
        TouchpointKind::HumanService,
        TouchpointKind::AutomatedService,
        TouchpointKind::PhysicalProduct,
        TouchpointKind::Billing,
    ];
    let description = "x".repeat(description_len);
    let mut builder = JourneyBuilder::new("Generated journey")
        .description("A journey generated for tests and benchmarks")
        .stages((0..stages).map(|s| Stage::new(format!("stage-{s}"), format!("Stage {s}"))));
    builder = builder.touchpoints((0..touchpoints).map(|t| {
        let mut tp = Touchpoint::new(
            format!("tp-{t}"),
            format!("Touchpoint {t}"),
            format!("stage-{}", t * stages / touchpoints),
            CHANNELS[t % CHANNELS.len()].clone(),
            kinds[t % kinds.len()].clone(),
        )
        .with_owner(format!("team-{}", t % 17));
        if description_len > 0 {
            tp = tp.with_description(description.clone());
        }
        if t % 100 == 0 {
            tp = tp.entry();
        }
        if t % 100 == 99 || t + 1 == touchpoints {
            tp = tp.goal();
        }
        tp
    }));
    // Two decimals, as people write shares (0.15, not 0.14285714285714285).
    let share = (100.0 / (flows_per_touchpoint as f64 + 1.0)).floor() / 100.0;
    builder = builder.flows((0..touchpoints).flat_map(move |t| {
        (1..=flows_per_touchpoint).map(move |k| {
            Flow::new(
                format!("tp-{t}"),
                format!("tp-{}", (t + k * k) % touchpoints),
            )
            .with_expected_share(share)
        })
    }));
    builder.personas((0..4).map(|p| {
        Persona::new(format!("persona-{p}"), format!("Persona {p}"))
            .with_attribute("segment", format!("segment {p}"))
            .with_preferred_channel(CHANNELS[p].clone())
            .with_uses(format!("tp-{p}"))
    }))
}

/// The bundled bank journey and its simulated log of 2,000 customers.
pub fn bank() -> (Journey, InteractionLog) {
    let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder
        .read_csv_path("examples/data/retail_bank.interactions.csv")
        .unwrap();
    let (log, _) = builder.finish();
    (journey, log)
}
