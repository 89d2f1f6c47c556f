//! Friction detection against ground truth: journeys simulated with friction planted at random
//! touchpoints, some for one persona only, on top of realistic differences between healthy
//! touchpoints. At 10,000 customers every planted friction is found with its persona and no
//! healthy touchpoint is flagged; at 200 customers no healthy touchpoint is flagged.

#![cfg(feature = "simulator")]

use std::collections::BTreeMap;

use journey_map::analysis::{
    DetectFriction, FrictionConfig, FrictionError, FrictionKind, FrictionReport, Selection,
};
use journey_map::sim::{Behaviour, BehaviourChange, PersonaBehaviour, Simulator, Spread};
use journey_map::{
    Channel, Flow, IngestOptions, Interaction, InteractionLog, Journey, JourneyBuilder, LogBuilder,
    Outcome, Persona, PersonaId, Stage, Touchpoint, TouchpointId, TouchpointKind,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const STAGES: usize = 4;
const PER_STAGE: usize = 5;
const PERSONAS: [&str; 3] = ["commuter", "retiree", "student"];

fn tp(stage: usize, i: usize) -> String {
    format!("s{stage}-t{i}")
}

/// Four stages of five touchpoints; every touchpoint of a stage leads to three of the next;
/// the first stage holds the entries and the last the goals; three personas.
fn journey() -> Journey {
    let mut builder = JourneyBuilder::new("Ground truth");
    for p in PERSONAS {
        builder = builder.persona(Persona::new(p, p));
    }
    builder =
        builder.stages((0..STAGES).map(|s| Stage::new(format!("stage-{s}"), format!("Stage {s}"))));
    let channels = [
        Channel::Web,
        Channel::MobileApp,
        Channel::Phone,
        Channel::Email,
        Channel::LiveChat,
    ];
    let mut touchpoints = Vec::new();
    let mut flows = Vec::new();
    for s in 0..STAGES {
        for (i, channel) in channels.iter().enumerate() {
            let mut t = Touchpoint::new(
                tp(s, i),
                format!("Touchpoint {s}.{i}"),
                format!("stage-{s}"),
                channel.clone(),
                TouchpointKind::DigitalProduct,
            );
            if s == 0 {
                t = t.entry();
            }
            if s == STAGES - 1 {
                t = t.goal();
            } else {
                for j in 0..3 {
                    flows.push(Flow::new(tp(s, i), tp(s + 1, (i + j) % PER_STAGE)));
                }
            }
            touchpoints.push(t);
        }
    }
    builder
        .touchpoints(touchpoints)
        .flows(flows)
        .build()
        .unwrap()
}

/// One planted friction: its kind, touchpoint and persona (`None` for everyone).
#[derive(Debug, Clone, PartialEq)]
struct Plant {
    kind: FrictionKind,
    touchpoint: String,
    persona: Option<String>,
}

const PLANTABLE: [FrictionKind; 8] = [
    FrictionKind::LongWait,
    FrictionKind::LowSatisfaction,
    FrictionKind::HighEffort,
    FrictionKind::Detractors,
    FrictionKind::Escalation,
    FrictionKind::Failure,
    FrictionKind::Abandonment,
    FrictionKind::DropOff,
];

fn change_for(kind: FrictionKind) -> BehaviourChange {
    let mut c = BehaviourChange::default();
    match kind {
        FrictionKind::LongWait => {
            c.wait_seconds = Some(Spread {
                median: 900.0,
                spread: 0.6,
            })
        }
        FrictionKind::LowSatisfaction => c.csat = Some(2.3),
        FrictionKind::HighEffort => c.ces = Some(3.0),
        FrictionKind::Detractors => c.nps = Some(4.0),
        FrictionKind::Escalation => c.escalated = Some(0.35),
        FrictionKind::Failure => c.failed = Some(0.35),
        FrictionKind::Abandonment => c.abandoned = Some(0.35),
        _ => {}
    }
    c
}

/// A behaviour model with realistic differences between healthy touchpoints and five planted
/// frictions of different kinds at different touchpoints, two of them for one persona only.
fn scenario(seed: u64) -> (Behaviour, Vec<Plant>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let mut behaviour = Behaviour::default();
    let uniform = |rng: &mut ChaCha8Rng, low: f64, high: f64| rng.random_range(low..high);
    for s in 0..STAGES {
        for i in 0..PER_STAGE {
            let id = TouchpointId::from(tp(s, i));
            let mut c = BehaviourChange::default();
            c.abandoned = Some(uniform(&mut rng, 0.03, 0.05));
            c.failed = Some(uniform(&mut rng, 0.02, 0.04));
            c.escalated = Some(uniform(&mut rng, 0.02, 0.04));
            c.wait_seconds = Some(Spread {
                median: uniform(&mut rng, 45.0, 80.0),
                spread: 0.6,
            });
            c.csat = Some(uniform(&mut rng, 4.1, 4.3));
            c.ces = Some(uniform(&mut rng, 5.7, 6.0));
            c.nps = Some(uniform(&mut rng, 7.9, 8.3));
            c.resolves = Some(uniform(&mut rng, 0.8, 0.9));
            behaviour.touchpoints.insert(id.clone(), c);
            if s < STAGES - 1 {
                // Healthy: between 88% and 95% move on after a good interaction.
                let total = uniform(&mut rng, 0.88, 0.95);
                let shares: BTreeMap<TouchpointId, f64> = (0..3)
                    .map(|j| {
                        (
                            TouchpointId::from(tp(s + 1, (i + j) % PER_STAGE)),
                            total / 3.0,
                        )
                    })
                    .collect();
                behaviour.flows.insert(id, shares);
            }
        }
    }
    for p in PERSONAS {
        behaviour
            .personas
            .insert(PersonaId::from(p), PersonaBehaviour::default());
    }
    let mut kinds = PLANTABLE.to_vec();
    let mut places: Vec<(usize, usize)> = (0..STAGES)
        .flat_map(|s| (0..PER_STAGE).map(move |i| (s, i)))
        .collect();
    let mut plants = Vec::new();
    for n in 0..5 {
        let kind = kinds.remove(rng.random_range(0..kinds.len()));
        // Drop-off needs a touchpoint that is not a goal.
        let candidates: Vec<usize> = (0..places.len())
            .filter(|&x| kind != FrictionKind::DropOff || places[x].0 < STAGES - 1)
            .collect();
        let (s, i) = places.remove(candidates[rng.random_range(0..candidates.len())]);
        let id = TouchpointId::from(tp(s, i));
        let persona = (n < 2).then(|| PERSONAS[rng.random_range(0..PERSONAS.len())].to_owned());
        let change = change_for(kind);
        let target = match &persona {
            None => {
                let shared = behaviour.touchpoints.get_mut(&id).unwrap();
                merge(shared, change);
                None
            }
            Some(p) => Some(
                behaviour
                    .personas
                    .get_mut(&PersonaId::from(p.as_str()))
                    .unwrap(),
            ),
        };
        if let Some(own) = target {
            own.touchpoints.insert(id.clone(), change);
        }
        if kind == FrictionKind::DropOff {
            // Seven in ten leave after a good interaction.
            let shares: BTreeMap<TouchpointId, f64> = (0..3)
                .map(|j| (TouchpointId::from(tp(s + 1, (i + j) % PER_STAGE)), 0.1))
                .collect();
            match &persona {
                None => {
                    behaviour.flows.insert(id.clone(), shares);
                }
                Some(p) => {
                    let own = behaviour
                        .personas
                        .get_mut(&PersonaId::from(p.as_str()))
                        .unwrap();
                    own.flows.insert(id.clone(), shares);
                }
            }
        }
        plants.push(Plant {
            kind,
            touchpoint: tp(s, i),
            persona,
        });
    }
    (behaviour, plants)
}

/// Sets in `base` the fields `change` sets.
fn merge(base: &mut BehaviourChange, change: BehaviourChange) {
    base.wait_seconds = change.wait_seconds.or(base.wait_seconds);
    base.csat = change.csat.or(base.csat);
    base.ces = change.ces.or(base.ces);
    base.nps = change.nps.or(base.nps);
    base.escalated = change.escalated.or(base.escalated);
    base.failed = change.failed.or(base.failed);
    base.abandoned = change.abandoned.or(base.abandoned);
}

fn log_of(journey: &Journey, records: &[Interaction]) -> InteractionLog {
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    builder.extend(records).unwrap();
    builder.finish().0
}

fn report(journey: &Journey, behaviour: &Behaviour, customers: usize, seed: u64) -> FrictionReport {
    let start = "2026-03-02T09:00:00Z".parse().unwrap();
    let records = Simulator::new(journey, behaviour)
        .unwrap()
        .simulate(customers, seed, start);
    journey
        .detect_friction(
            &log_of(journey, &records),
            &Selection::all(),
            &FrictionConfig::default(),
        )
        .unwrap()
}

fn describe(report: &FrictionReport) -> String {
    report
        .points
        .iter()
        .map(|p| {
            format!(
                "{} at {} for {:?} (q {:.1e})",
                p.kind,
                p.location,
                p.persona,
                p.evidence.as_ref().map_or(0.0, |e| e.q)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_planted_friction_is_found_and_no_healthy_touchpoint_is_flagged() {
    let journey = journey();
    for seed in 1..=20_u64 {
        let (behaviour, plants) = scenario(seed);
        let planted_at: Vec<&str> = plants.iter().map(|p| p.touchpoint.as_str()).collect();
        for customers in [10_000, 200] {
            eprintln!("seed {seed}, {customers} customers, planted {plants:?}");
            let report = report(&journey, &behaviour, customers, seed);
            let false_positives: Vec<_> = report
                .points
                .iter()
                .filter(|p| !planted_at.contains(&p.location.to_string().as_str()))
                .collect();
            assert!(
                false_positives.is_empty(),
                "seed {seed}, {customers} customers: healthy touchpoints flagged\nplanted {plants:?}\n{}",
                describe(&report)
            );
            if customers < 10_000 {
                continue;
            }
            for plant in &plants {
                let found = report.points.iter().any(|p| {
                    p.kind == plant.kind
                        && p.location.to_string() == plant.touchpoint
                        && p.persona.as_ref().map(|p| p.as_str()) == plant.persona.as_deref()
                });
                assert!(
                    found,
                    "seed {seed}: planted {plant:?} not found\n{}",
                    describe(&report)
                );
            }
        }
    }
}

#[test]
fn a_healthy_journey_has_no_friction() {
    let journey = journey();
    let (mut behaviour, _) = scenario(99);
    // Remove the plants: keep only the healthy differences.
    let (healthy, _) = {
        let mut b = behaviour.clone();
        for p in b.personas.values_mut() {
            p.touchpoints.clear();
            p.flows.clear();
        }
        (b, ())
    };
    behaviour = healthy;
    for s in 0..STAGES {
        for i in 0..PER_STAGE {
            let c = behaviour
                .touchpoints
                .get_mut(&TouchpointId::from(tp(s, i)))
                .unwrap();
            c.wait_seconds = Some(Spread {
                median: 60.0,
                spread: 0.6,
            });
            c.csat = Some(4.2);
            c.ces = Some(5.8);
            c.nps = Some(8.0);
            c.escalated = Some(0.03);
            c.failed = Some(0.03);
            c.abandoned = Some(0.04);
            if s < STAGES - 1 {
                let shares = (0..3)
                    .map(|j| (TouchpointId::from(tp(s + 1, (i + j) % PER_STAGE)), 0.3))
                    .collect();
                behaviour.flows.insert(TouchpointId::from(tp(s, i)), shares);
            }
        }
    }
    let report = report(&journey, &behaviour, 20_000, 7);
    assert!(report.points.is_empty(), "{}", describe(&report));
    assert!(report.tests > 500, "{} tests", report.tests);
    assert_eq!(report.customers, 20_000);
}

fn small_journey() -> Journey {
    Journey::from_ron_str(
        r#"(
        name: "Small",
        personas: [(id: "a", name: "A"), (id: "b", name: "B")],
        stages: [(id: "s", name: "S")],
        touchpoints: [
            (id: "start", name: "Start", stage: "s", channel: Web, kind: DigitalProduct, entry: true),
            (id: "form", name: "Form", stage: "s", channel: Web, kind: DigitalProduct),
            (id: "help", name: "Help", stage: "s", channel: Phone, kind: HumanService),
            (id: "done", name: "Done", stage: "s", channel: Web, kind: DigitalProduct, goal: true),
            (id: "orphan", name: "Orphan", stage: "s", channel: Web, kind: DigitalProduct),
        ],
        flows: [(from: "start", to: "form"), (from: "form", to: "done"), (from: "form", to: "help")],
    )"#,
    )
    .unwrap()
}

/// A log built by hand: `n` customers going start -> form -> done, and `k` of them instead
/// going start -> form -> start -> form (a loop) then jumping off the map to done.
fn hand_log(journey: &Journey, n: usize, k: usize) -> InteractionLog {
    let start: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut records = Vec::new();
    for c in 0..n {
        let id = format!("c{c}");
        let persona = if c % 2 == 0 { "a" } else { "b" };
        let path: &[&str] = if c < k {
            &["start", "form", "start", "form", "help", "start", "done"]
        } else {
            &["start", "form", "done"]
        };
        for (step, touchpoint) in path.iter().enumerate() {
            let at = start + jiff::SignedDuration::from_mins((c * 100 + step) as i64);
            let mut r = Interaction::new(id.as_str(), *touchpoint, at, Outcome::Completed)
                .with_need(format!("{id}-{step}"))
                .with_resolved(true);
            if step == 0 {
                r = r.with_persona(persona);
            }
            records.push(r);
        }
    }
    log_of(journey, &records)
}

#[test]
fn loops_off_map_moves_and_structure_are_found() {
    let journey = small_journey();
    let log = hand_log(&journey, 400, 200);
    let report = journey
        .detect_friction(&log, &Selection::all(), &FrictionConfig::default())
        .unwrap();
    let has = |kind: FrictionKind, at: &str| {
        report
            .points
            .iter()
            .any(|p| p.kind == kind && p.location.to_string() == at)
    };
    // 200 of 400 customers come back to "start" and "form": loops.
    assert!(has(FrictionKind::Loop, "start"), "{}", describe(&report));
    assert!(has(FrictionKind::Loop, "form"), "{}", describe(&report));
    // "help" -> "start" and "start" -> "done" are not designed flows: off the map.
    assert!(has(FrictionKind::OffMap, "help"), "{}", describe(&report));
    // The conformance analysis says where they went: help -> start, all in one stage.
    let off_map = report
        .points
        .iter()
        .find(|p| p.kind == FrictionKind::OffMap && p.location.to_string() == "help")
        .unwrap();
    assert!(
        off_map
            .summary
            .ends_with("Most often they go to Start, within the same stage (200 times)."),
        "{}",
        off_map.summary
    );
    // "help" leads nowhere: a dead end; "orphan" is unreachable. Both are listed apart from the
    // ranking, once each.
    let structural: Vec<(FrictionKind, String)> = report
        .structural
        .iter()
        .map(|p| (p.kind, p.location.to_string()))
        .collect();
    assert_eq!(
        structural,
        [
            (FrictionKind::DeadEnd, "help".to_owned()),
            (FrictionKind::Unreachable, "orphan".to_owned())
        ],
        "{}",
        describe(&report)
    );
    assert!(report.points.iter().all(|p| !p.kind.is_structural()));
    let dead_end = &report.structural[0];
    assert_eq!(dead_end.customers_affected, 200);
    assert!(dead_end.evidence.is_none());
    assert!(
        dead_end.summary.ends_with("200 customers got there."),
        "{}",
        dead_end.summary
    );
    // Ranked by impact.
    assert!(report.points.windows(2).all(|w| w[0].impact >= w[1].impact));
    // Every statistical point carries its evidence, significant after the correction.
    for point in report.points.iter().filter(|p| !p.kind.is_structural()) {
        let e = point.evidence.as_ref().unwrap();
        assert!(e.q <= 0.05 && e.p <= e.q && e.sample_size >= 30);
        assert!(e.interval.low <= e.observed && e.observed <= e.interval.high);
        assert!(!point.summary.is_empty() && point.summary.ends_with('.'));
    }
    // Skipped kinds are not looked for.
    let config = FrictionConfig::default()
        .skip(FrictionKind::Loop)
        .skip(FrictionKind::DeadEnd);
    let report = journey
        .detect_friction(&log, &Selection::all(), &config)
        .unwrap();
    assert!(
        !report
            .points
            .iter()
            .chain(&report.structural)
            .any(|p| matches!(p.kind, FrictionKind::Loop | FrictionKind::DeadEnd))
    );
}

#[test]
fn small_samples_are_not_tested() {
    let journey = small_journey();
    // 10 customers, 3 of them looping: nothing has 30 observations on both sides.
    let log = hand_log(&journey, 10, 3);
    let report = journey
        .detect_friction(&log, &Selection::all(), &FrictionConfig::default())
        .unwrap();
    assert!(report.points.is_empty(), "{}", describe(&report));
    assert_eq!(report.tests, 0);
    assert!(report.untested > 0);
    // With a smaller minimum the loops are tested (and may or may not be significant).
    let report = journey
        .detect_friction(
            &log,
            &Selection::all(),
            &FrictionConfig::default().min_sample(5),
        )
        .unwrap();
    assert!(report.tests > 0);
}

#[test]
fn bad_settings_and_a_foreign_log_are_typed_errors() {
    let journey = small_journey();
    let log = hand_log(&journey, 10, 2);
    for config in [
        FrictionConfig::default().max_q(0.0),
        FrictionConfig::default().max_q(f64::NAN),
        FrictionConfig::default().max_q(1.5),
        FrictionConfig::default().min_sample(0),
        FrictionConfig::default().min_rate_difference(-0.1),
        FrictionConfig::default().min_rate_difference(1.0),
        FrictionConfig::default().min_rate_ratio(0.5),
        FrictionConfig::default().min_time_ratio(f64::INFINITY),
    ] {
        let error = journey
            .detect_friction(&log, &Selection::all(), &config)
            .unwrap_err();
        assert!(matches!(error, FrictionError::Config(_)), "{config:?}");
        let source = std::error::Error::source(&error).unwrap().to_string();
        assert!(source.starts_with("friction setting "), "{source}");
    }
    let other = journey_map::Journey::load("examples/data/retail_bank.ron").unwrap();
    let error = other
        .detect_friction(&log, &Selection::all(), &FrictionConfig::default())
        .unwrap_err();
    assert!(matches!(
        error,
        FrictionError::Selection(journey_map::analysis::SelectionError::Journey(_))
    ));
}

#[test]
fn settings_load_from_ron_with_located_errors() {
    let config = FrictionConfig::from_ron_str(
        "(max_q: 0.1, min_sample: 50, persona_lens: false, skip: [OffMap, Loop])",
        "friction.ron",
    )
    .unwrap();
    assert_eq!(
        config,
        FrictionConfig::default()
            .max_q(0.1)
            .min_sample(50)
            .persona_lens(false)
            .skip(FrictionKind::Loop)
            .skip(FrictionKind::OffMap)
    );
    let error = FrictionConfig::from_ron_str("(\n  max_q: 0.1,\n  min_sampel: 50)", "friction.ron")
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("friction.ron:3:"), "{error}");
    assert!(FrictionConfig::load("no/such/friction.ron").is_err());
}

#[test]
fn reports_serialize_to_json_and_back() {
    let journey = small_journey();
    let log = hand_log(&journey, 400, 120);
    let report = journey
        .detect_friction(&log, &Selection::all(), &FrictionConfig::default())
        .unwrap();
    let json = serde_json::to_string(&report).unwrap();
    let back: FrictionReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}

#[test]
fn the_readme_settings_block_is_the_defaults_without_off_map() {
    let readme = include_str!("../README.md");
    let start = readme.find("```ron\n(max_q").expect("the settings block") + "```ron\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let config = FrictionConfig::from_ron_str(&readme[start..end], "README.md").unwrap();
    assert_eq!(config, FrictionConfig::default().skip(FrictionKind::OffMap));
}

#[test]
fn a_need_going_back_and_forth_between_channels_is_a_loop() {
    let journey = small_journey();
    let start: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut records = Vec::new();
    for c in 0..300 {
        let id = format!("c{c}");
        // A third raise a need on the web start page, call about it, then go back to the web:
        // no touchpoint is visited twice.
        let ping_pong = c < 100;
        let path: &[&str] = if ping_pong {
            &["start", "help", "form", "done"]
        } else {
            &["start", "form", "done"]
        };
        for (step, touchpoint) in path.iter().enumerate() {
            let at = start + jiff::SignedDuration::from_mins((c * 100 + step) as i64);
            let need = if ping_pong {
                format!("{id}-need")
            } else {
                format!("{id}-{step}")
            };
            records.push(
                Interaction::new(id.as_str(), *touchpoint, at, Outcome::Completed).with_need(need),
            );
        }
    }
    let report = journey
        .detect_friction(
            &log_of(&journey, &records),
            &Selection::all(),
            &FrictionConfig::default(),
        )
        .unwrap();
    let point = report
        .points
        .iter()
        .find(|p| p.kind == FrictionKind::Loop)
        .unwrap_or_else(|| panic!("{}", describe(&report)));
    assert_eq!(point.location.to_string(), "start");
    assert_eq!(point.customers_affected, 100);
    assert!(point.summary.contains("back and forth between channels"));
}

/// A (entry) -> B -> D (goal), A -> C -> D, all on the web; personas p and q.
fn a_b_c_d() -> Journey {
    Journey::from_ron_str(
        r#"(
        name: "A, B or C, D",
        personas: [(id: "p", name: "P"), (id: "q", name: "Q")],
        stages: [(id: "s", name: "S")],
        touchpoints: [
            (id: "a", name: "A", stage: "s", channel: Web, kind: DigitalProduct, entry: true),
            (id: "b", name: "B", stage: "s", channel: Web, kind: DigitalProduct),
            (id: "c", name: "C", stage: "s", channel: Web, kind: DigitalProduct),
            (id: "d", name: "D", stage: "s", channel: Web, kind: DigitalProduct, goal: true),
        ],
        flows: [(from: "a", to: "b"), (from: "a", to: "c"), (from: "b", to: "d"), (from: "c", to: "d")],
    )"#,
    )
    .unwrap()
}

/// Customer `c` walks `steps`, a second apart, with `persona` on the first record.
fn walk(
    records: &mut Vec<Interaction>,
    c: usize,
    persona: Option<&str>,
    steps: &[(&str, Outcome)],
) {
    for (i, &(touchpoint, outcome)) in steps.iter().enumerate() {
        let at = jiff::Timestamp::from_second(1_700_000_000 + (c * 100 + i) as i64).unwrap();
        let mut record = Interaction::new(format!("c{c}"), touchpoint, at, outcome);
        if let (0, Some(persona)) = (i, persona) {
            record = record.with_persona(persona);
        }
        records.push(record);
    }
}

const DONE: Outcome = Outcome::Completed;

/// 200 customers go A, C, D and convert; 60 go A, B and fail at B, every one of them. Nobody
/// at B is unaffected, so the conversions they lost are estimated against the customers who
/// did not pass through B (all of whom converted).
#[test]
fn lost_conversions_where_everyone_is_affected_compare_with_customers_elsewhere() {
    let journey = a_b_c_d();
    let mut records = Vec::new();
    for c in 0..200 {
        walk(
            &mut records,
            c,
            None,
            &[("a", DONE), ("c", DONE), ("d", DONE)],
        );
    }
    for c in 200..260 {
        walk(
            &mut records,
            c,
            None,
            &[("a", DONE), ("b", Outcome::Failed)],
        );
    }
    let report = journey
        .detect_friction(
            &log_of(&journey, &records),
            &Selection::all(),
            &FrictionConfig::default(),
        )
        .unwrap();
    let failure = report
        .points
        .iter()
        .find(|p| p.kind == FrictionKind::Failure && p.location.to_string() == "b")
        .unwrap_or_else(|| panic!("{}", describe(&report)));
    assert_eq!(failure.customers_affected, 60);
    assert_eq!(
        failure.lost_compared_with,
        journey_map::analysis::friction::LostComparison::NotHere
    );
    // All 60 would have converted as the 200 elsewhere did; every failure is beyond the
    // baseline of 0 failures elsewhere.
    assert_eq!(failure.lost_conversions, Some(60.0));

    // With only the 60 who fail, nobody is left to compare them with: no estimate, not 0.
    let report = journey
        .detect_friction(
            &log_of(&journey, &records[600..]),
            &Selection::all(),
            &FrictionConfig::default(),
        )
        .unwrap();
    let failure = report
        .points
        .iter()
        .find(|p| p.kind == FrictionKind::Failure)
        .unwrap_or_else(|| panic!("{}", describe(&report)));
    assert_eq!(
        (failure.lost_conversions, failure.lost_compared_with),
        (
            None,
            journey_map::analysis::friction::LostComparison::Nobody
        )
    );
}

/// Every customer fails at B: 110 of persona p, 10 of persona q (190 more of q go A, C, D).
/// q's 10 at B are too few to test, so nothing shows that q is spared: the failure is
/// everyone's, broken down by persona.
#[test]
fn a_point_is_one_personas_only_when_the_others_were_tested() {
    let journey = a_b_c_d();
    let mut records = Vec::new();
    let fails = [("a", DONE), ("b", Outcome::Failed)];
    for c in 0..110 {
        walk(&mut records, c, Some("p"), &fails);
    }
    for c in 110..120 {
        walk(&mut records, c, Some("q"), &fails);
    }
    for c in 120..310 {
        walk(
            &mut records,
            c,
            Some("q"),
            &[("a", DONE), ("c", DONE), ("d", DONE)],
        );
    }
    let report = journey
        .detect_friction(
            &log_of(&journey, &records),
            &Selection::all(),
            &FrictionConfig::default(),
        )
        .unwrap();
    let failures: Vec<_> = report
        .points
        .iter()
        .filter(|p| p.kind == FrictionKind::Failure)
        .collect();
    assert_eq!(failures.len(), 1, "{}", describe(&report));
    let failure = failures[0];
    assert_eq!(failure.persona, None, "{}", describe(&report));
    let by_persona: Vec<(Option<&str>, Option<f64>, u64)> = failure
        .evidence
        .as_ref()
        .unwrap()
        .by_persona
        .iter()
        .map(|m| {
            (
                m.persona.as_ref().map(|p| p.as_str()),
                m.observed,
                m.sample_size,
            )
        })
        .collect();
    assert_eq!(
        by_persona,
        [(Some("p"), Some(1.0), 110), (Some("q"), Some(1.0), 10)]
    );
}

/// A help desk on the phone with `level`, leading to a goal.
fn desk_journey(level: journey_map::ServiceLevel) -> Journey {
    JourneyBuilder::new("Desk")
        .stage(Stage::new("s", "S"))
        .touchpoint(
            Touchpoint::new(
                "desk",
                "Help desk",
                "s",
                Channel::Phone,
                TouchpointKind::HumanService,
            )
            .entry()
            .with_service_level(level),
        )
        .touchpoint(
            Touchpoint::new(
                "done",
                "Done",
                "s",
                Channel::Web,
                TouchpointKind::DigitalProduct,
            )
            .goal(),
        )
        .flow(Flow::new("desk", "done"))
        .build()
        .unwrap()
}

/// A help desk on the phone that promises at most 10% abandoned calls, 80% of CSAT answers in
/// the top two boxes and 90% of needs resolved within an hour, and misses all three: 30% of
/// 100 calls are abandoned, half the answers are 2, and half the needs take two hours.
#[test]
fn every_service_level_target_is_tested_against_its_promise() {
    use journey_map::analysis::friction::Baseline;
    use journey_map::{ServiceLevel, Within};
    let level = ServiceLevel::default()
        .with_max_abandonment(0.1)
        .with_min_csat(0.8)
        .with_resolution(Within::new(3600.0, 0.9));
    let journey = desk_journey(level);
    let start: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut records = Vec::new();
    for c in 0..100_i64 {
        let id = format!("c{c}");
        let at = start + jiff::SignedDuration::from_hours(c);
        let outcome = if c % 10 < 3 {
            Outcome::Abandoned
        } else {
            Outcome::Completed
        };
        records.push(
            Interaction::new(id.as_str(), "desk", at, outcome)
                .with_csat(if c % 2 == 0 { 5 } else { 2 })
                .with_need(format!("n{c}"))
                .with_resolved(true)
                .with_handling_seconds(if c % 4 < 2 { 600.0 } else { 7200.0 }),
        );
    }
    let log = log_of(&journey, &records);
    let report = journey
        .detect_friction(&log, &Selection::all(), &FrictionConfig::default())
        .unwrap();
    let missed: Vec<(String, f64, f64)> = report
        .points
        .iter()
        .filter(|p| p.kind == FrictionKind::MissedServiceLevel)
        .map(|p| {
            let e = p.evidence.as_ref().unwrap();
            assert_eq!(e.baseline_kind, Baseline::ServiceLevel);
            (e.metric.clone(), e.observed, e.baseline)
        })
        .collect();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    for (metric, observed, promised) in [
        ("share of contacts abandoned", 0.3, 0.1),
        ("share of CSAT answers below the top two boxes", 0.5, 0.2),
        (
            "share of needs first raised here not resolved within 60.0 min",
            0.5,
            0.1,
        ),
    ] {
        assert!(
            missed
                .iter()
                .any(|(m, o, b)| m == metric && close(*o, observed) && close(*b, promised)),
            "{metric}: {missed:?}"
        );
    }
    let abandoned = report
        .points
        .iter()
        .find(|p| {
            p.evidence
                .as_ref()
                .is_some_and(|e| e.metric == "share of contacts abandoned")
        })
        .unwrap();
    assert_eq!(
        abandoned.summary,
        "30% of the contacts at Help desk are abandoned, against at most 10% promised."
    );
    assert_eq!(abandoned.customers_affected, 30);

    // A desk that keeps its promises is not friction.
    let kept = ServiceLevel::default()
        .with_max_abandonment(0.5)
        .with_min_csat(0.4);
    let journey_kept = desk_journey(kept);
    let log = log_of(&journey_kept, &records);
    let report = journey_kept
        .detect_friction(&log, &Selection::all(), &FrictionConfig::default())
        .unwrap();
    assert!(
        report
            .points
            .iter()
            .all(|p| p.kind != FrictionKind::MissedServiceLevel),
        "{}",
        describe(&report)
    );
}

/// Partial friction counts carry the service levels they counted against: finishing them with
/// a journey that promises something else is refused.
#[test]
fn friction_counts_refuse_a_journey_with_other_service_levels() {
    use journey_map::analysis::{Accumulate, Observation};
    use journey_map::{ChannelServiceLevel, ServiceLevel};
    let journey = small_journey();
    let log = hand_log(&journey, 40, 10);
    let observation = Observation::new(&journey, &log).unwrap();
    let counts = observation
        .accumulate(&Selection::all(), || {
            journey_map::analysis::FrictionCounts::new(
                &journey,
                log.scales(),
                &FrictionConfig::default(),
            )
            .unwrap()
        })
        .unwrap();
    let promising = journey
        .to_builder()
        .service_level(ChannelServiceLevel::new(
            Channel::Phone,
            ServiceLevel::default().with_max_abandonment(0.1),
        ))
        .build()
        .unwrap();
    assert_eq!(promising.fingerprint(), journey.fingerprint());
    assert!(counts.clone().finish(&promising).is_err());
    assert!(counts.finish(&journey).is_ok());
}

/// Every move into the last stage takes three days, every other move ten minutes: the stage
/// is a slow handoff, and so is each move into it, against the other moves.
#[test]
fn a_slow_stage_is_a_slow_handoff_at_the_stage() {
    use journey_map::analysis::friction::Location;
    let journey = JourneyBuilder::new("Stages")
        .stages([
            Stage::new("a", "Apply"),
            Stage::new("b", "Check"),
            Stage::new("c", "Open"),
        ])
        .touchpoint(
            Touchpoint::new(
                "form",
                "Form",
                "a",
                Channel::Web,
                TouchpointKind::DigitalProduct,
            )
            .entry(),
        )
        .touchpoint(Touchpoint::new(
            "check",
            "Check",
            "b",
            Channel::Web,
            TouchpointKind::DigitalProduct,
        ))
        .touchpoint(
            Touchpoint::new(
                "open",
                "Open",
                "c",
                Channel::Web,
                TouchpointKind::DigitalProduct,
            )
            .goal(),
        )
        .flows([Flow::new("form", "check"), Flow::new("check", "open")])
        .build()
        .unwrap();
    let start: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut records = Vec::new();
    for c in 0..200_i64 {
        let id = format!("c{c}");
        let t0 = start + jiff::SignedDuration::from_mins(c * 7);
        let t1 = t0 + jiff::SignedDuration::from_mins(10 + c % 5);
        let t2 = t1 + jiff::SignedDuration::from_hours(72 + c % 7);
        records.push(Interaction::new(
            id.as_str(),
            "form",
            t0,
            Outcome::Completed,
        ));
        records.push(Interaction::new(
            id.as_str(),
            "check",
            t1,
            Outcome::Completed,
        ));
        if c % 4 != 0 {
            records.push(Interaction::new(
                id.as_str(),
                "open",
                t2,
                Outcome::Completed,
            ));
        }
    }
    let log = log_of(&journey, &records);
    let report = journey
        .detect_friction(&log, &Selection::all(), &FrictionConfig::default())
        .unwrap();
    let stage = report
        .points
        .iter()
        .find(|p| {
            p.kind == FrictionKind::SlowHandoff
                && matches!(&p.location, Location::Stage { stage } if stage.as_str() == "c")
        })
        .unwrap_or_else(|| panic!("{}", describe(&report)));
    assert!(
        stage
            .summary
            .eq("Customers typically wait 3.1 days before each step of the Open stage, against 11.9 min in the other stages."),
        "{}",
        stage.summary
    );
    assert_eq!(stage.customers_affected, 150);
    assert!(
        report
            .points
            .iter()
            .any(|p| p.kind == FrictionKind::SlowHandoff
                && p.location.to_string() == "check -> open"),
        "{}",
        describe(&report)
    );
}

/// A customer whose last interaction is in progress has not dropped off there.
#[test]
fn customers_in_progress_do_not_drop_off() {
    let journey = small_journey();
    let start: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let records = |last: Outcome| {
        let mut records = Vec::new();
        for c in 0..200_i64 {
            let id = format!("c{c}");
            let at = |m: i64| start + jiff::SignedDuration::from_mins(c * 60 + m);
            records.push(Interaction::new(
                id.as_str(),
                "start",
                at(0),
                Outcome::Completed,
            ));
            if c % 2 == 0 {
                records.push(Interaction::new(
                    id.as_str(),
                    "form",
                    at(5),
                    Outcome::Completed,
                ));
                records.push(Interaction::new(
                    id.as_str(),
                    "done",
                    at(9),
                    Outcome::Completed,
                ));
            } else {
                records.push(Interaction::new(id.as_str(), "form", at(5), last));
            }
        }
        log_of(&journey, &records)
    };
    let drop_off_at_form = |log: &InteractionLog| {
        journey
            .detect_friction(log, &Selection::all(), &FrictionConfig::default())
            .unwrap()
            .points
            .iter()
            .any(|p| p.kind == FrictionKind::DropOff && p.location.to_string() == "form")
    };
    assert!(drop_off_at_form(&records(Outcome::Completed)));
    assert!(!drop_off_at_form(&records(Outcome::InProgress)));
}
