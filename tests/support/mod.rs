//! Journeys generated for tests and benchmarks.

#![allow(dead_code)]

use journey_map::{
    Channel, Flow, IngestOptions, Interaction, InteractionLog, Journey, JourneyBuilder, LogBuilder,
    Outcome, Persona, Stage, Touchpoint, TouchpointKind,
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

/// A (web, entry) -> B (phone) -> D (web, goal), A -> C (live chat) -> D; personas p and q.
pub fn four() -> Journey {
    Journey::from_ron_str(
        r#"(
        name: "Four",
        personas: [(id: "p", name: "P"), (id: "q", name: "Q")],
        stages: [(id: "s", name: "S")],
        touchpoints: [
            (id: "a", name: "A", stage: "s", channel: Web, kind: DigitalProduct, entry: true),
            (id: "b", name: "B", stage: "s", channel: Phone, kind: HumanService),
            (id: "c", name: "C", stage: "s", channel: LiveChat, kind: HumanService),
            (id: "d", name: "D", stage: "s", channel: Web, kind: DigitalProduct, goal: true),
        ],
        flows: [(from: "a", to: "b"), (from: "a", to: "c"), (from: "b", to: "d"), (from: "c", to: "d")],
    )"#,
    )
    .unwrap()
}

/// A log of customers who each walk one path, `times` customers a path, a second apart, all
/// completed; the persona, when not empty, is given on each customer's first record.
pub fn log_of(journey: &Journey, paths: &[(&[&str], usize, &str)]) -> InteractionLog {
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    let mut c = 0;
    for (path, times, persona) in paths {
        for _ in 0..*times {
            for (i, tp) in path.iter().enumerate() {
                let at =
                    jiff::Timestamp::from_second(1_700_000_000 + (c * 100 + i) as i64).unwrap();
                let mut r = Interaction::new(format!("c{c}"), *tp, at, Outcome::Completed);
                if i == 0 && !persona.is_empty() {
                    r = r.with_persona(*persona);
                }
                builder.push(r).unwrap();
            }
            c += 1;
        }
    }
    builder.finish().0
}
