//! Friction on journeys shaped like real ones, against ground truth: channels of very different
//! natural speeds (seconds on the web, minutes on the phone, a quarter of an hour in a store,
//! hours by e-mail), customers who differ (each with a time factor and a mood that shift all
//! their waits and answers), designed revisits (self-flows with expected shares and cycles
//! through the catalogue), a phone line with a service level, and plants of every new kind:
//! a slowdown of a fast web page, a failure for one persona, a slow handoff, a service level
//! breach, abandonment, dissatisfaction for one persona and loops beyond the designed share.
//!
//! Over 20 seeds at 10,000 customers, every plant is found with its persona and nothing is
//! flagged anywhere else; at 200 customers nothing is flagged anywhere else either.

#![cfg(feature = "simulator")]

use std::collections::BTreeMap;

use journey_map::analysis::friction::{Baseline, Location};
use journey_map::analysis::{
    BaselineScope, DetectFriction, FrictionConfig, FrictionKind, FrictionReport, Selection,
};
use journey_map::sim::{
    Behaviour, BehaviourChange, CustomerSpread, PersonaBehaviour, Simulator, Spread,
};
use journey_map::{Channel, IngestOptions, Journey, LogBuilder, TouchpointId};

/// An online shop with support: four stages, seventeen touchpoints on seven channels, designed
/// self-flows ("next page", "another product") and cycles, shares on every flow, and a phone
/// line that promises 80% of calls answered within a minute.
const SHOP: &str = r#"#![enable(implicit_some)]
(
    name: "Online shop",
    personas: [
        (id: "browser", name: "Browser"),
        (id: "mobile-first", name: "Mobile-first customer"),
        (id: "store-regular", name: "Store regular"),
    ],
    stages: [
        (id: "discover", name: "Discover"),
        (id: "choose", name: "Choose"),
        (id: "buy", name: "Buy"),
        (id: "support", name: "Support"),
    ],
    touchpoints: [
        (id: "social-ad", name: "Social advert", stage: "discover", channel: Social, kind: Marketing, entry: true),
        (id: "search-ad", name: "Search advert", stage: "discover", channel: Web, kind: Marketing, entry: true),
        (id: "home", name: "Home page", stage: "discover", channel: Web, kind: DigitalProduct, entry: true),
        (id: "catalogue", name: "Catalogue", stage: "choose", channel: Web, kind: DigitalProduct),
        (id: "product", name: "Product page", stage: "choose", channel: Web, kind: DigitalProduct),
        (id: "app-product", name: "App product view", stage: "choose", channel: MobileApp, kind: DigitalProduct, entry: true),
        (id: "cart", name: "Cart", stage: "buy", channel: Web, kind: DigitalProduct),
        (id: "checkout", name: "Checkout", stage: "buy", channel: Web, kind: DigitalProduct),
        (id: "app-checkout", name: "App checkout", stage: "buy", channel: MobileApp, kind: DigitalProduct),
        (id: "pay", name: "Payment", stage: "buy", channel: Web, kind: Billing),
        (id: "confirmed", name: "Order confirmed", stage: "buy", channel: Web, kind: DigitalProduct, goal: true),
        (id: "help-page", name: "Help page", stage: "support", channel: Web, kind: DigitalProduct),
        (id: "chat", name: "Live chat", stage: "support", channel: LiveChat, kind: HumanService),
        (id: "phone-line", name: "Phone line", stage: "support", channel: Phone, kind: HumanService,
            service_level: (answer: (seconds: 60, share: 0.8))),
        (id: "callback", name: "Callback", stage: "support", channel: Phone, kind: HumanService),
        (id: "email-desk", name: "E-mail desk", stage: "support", channel: Email, kind: HumanService),
        (id: "store-desk", name: "Store desk", stage: "support", channel: Store, kind: HumanService),
    ],
    flows: [
        (from: "social-ad", to: "home", expected_share: 0.5),
        (from: "social-ad", to: "app-product", expected_share: 0.3),
        (from: "search-ad", to: "catalogue", expected_share: 0.5),
        (from: "search-ad", to: "product", expected_share: 0.3),
        (from: "home", to: "catalogue", expected_share: 0.6),
        (from: "home", to: "help-page", expected_share: 0.15),
        (from: "catalogue", to: "catalogue", label: "next page", expected_share: 0.3),
        (from: "catalogue", to: "product", expected_share: 0.55),
        (from: "product", to: "product", label: "another product", expected_share: 0.3),
        (from: "product", to: "catalogue", expected_share: 0.1),
        (from: "product", to: "cart", expected_share: 0.45),
        (from: "product", to: "help-page", expected_share: 0.05),
        (from: "app-product", to: "app-product", label: "another product", expected_share: 0.3),
        (from: "app-product", to: "app-checkout", expected_share: 0.5),
        (from: "app-product", to: "chat", expected_share: 0.05),
        (from: "cart", to: "checkout", expected_share: 0.8),
        (from: "cart", to: "product", expected_share: 0.1),
        (from: "checkout", to: "pay", expected_share: 0.85),
        (from: "checkout", to: "chat", expected_share: 0.05),
        (from: "checkout", to: "phone-line", expected_share: 0.05),
        (from: "app-checkout", to: "pay", expected_share: 0.85),
        (from: "app-checkout", to: "chat", expected_share: 0.08),
        (from: "pay", to: "confirmed", expected_share: 0.9),
        (from: "pay", to: "phone-line", expected_share: 0.05),
        (from: "help-page", to: "chat", expected_share: 0.3),
        (from: "help-page", to: "phone-line", expected_share: 0.3),
        (from: "help-page", to: "email-desk", expected_share: 0.2),
        (from: "help-page", to: "store-desk", expected_share: 0.15),
        (from: "chat", to: "phone-line", expected_share: 0.2),
        (from: "chat", to: "cart", expected_share: 0.6),
        (from: "phone-line", to: "callback", expected_share: 0.35),
        (from: "phone-line", to: "cart", expected_share: 0.5),
        (from: "callback", to: "cart", expected_share: 0.7),
        (from: "callback", to: "store-desk", expected_share: 0.1),
        (from: "email-desk", to: "phone-line", expected_share: 0.2),
        (from: "email-desk", to: "cart", expected_share: 0.6),
        (from: "store-desk", to: "cart", expected_share: 0.7),
    ],
)"#;

fn shop() -> Journey {
    Journey::from_ron_str(SHOP).expect("the shop journey is valid")
}

fn wait(median: f64, spread: f64) -> BehaviourChange {
    let mut change = BehaviourChange::default();
    change.wait_seconds = Some(Spread { median, spread });
    change
}

/// Healthy behaviour: each channel at its natural speed, customers who differ, personas with
/// their own entries.
fn healthy() -> Behaviour {
    let mut behaviour = Behaviour::default();
    let channels = [
        (Channel::Web, 2.0, 0.5),
        (Channel::MobileApp, 1.5, 0.5),
        (Channel::Social, 1.0, 0.3),
        (Channel::Phone, 25.0, 0.5),
        (Channel::LiveChat, 30.0, 0.6),
        (Channel::Email, 4.0 * 3600.0, 0.6),
        (Channel::Store, 900.0, 0.5),
    ];
    for (channel, median, spread) in channels {
        behaviour.channels.insert(channel, wait(median, spread));
    }
    // Support desks survey after each ticket.
    let mut desk = BehaviourChange::default();
    desk.survey_share = Some(0.5);
    behaviour.touchpoints.insert("email-desk".into(), desk);
    behaviour.customers = CustomerSpread::default();
    behaviour.customers.time = 0.5;
    behaviour.customers.mood = 0.5;
    behaviour.minutes_between_customers = 20.0;
    behaviour.minutes_between_steps = 10.0;
    let personas = [
        ("browser", 3.0, vec![("search-ad", 2.0), ("home", 1.0)]),
        (
            "mobile-first",
            2.0,
            vec![("social-ad", 1.0), ("app-product", 2.0)],
        ),
        (
            "store-regular",
            1.5,
            vec![("home", 2.0), ("search-ad", 1.0)],
        ),
    ];
    for (id, weight, entries) in personas {
        let mut persona = PersonaBehaviour::default();
        persona.weight = weight;
        persona.entries = entries
            .into_iter()
            .map(|(t, w)| (TouchpointId::from(t), w))
            .collect();
        if id == "store-regular" {
            // Store regulars ask for help often, by e-mail or in a store.
            persona.flows.insert(
                "help-page".into(),
                BTreeMap::from([
                    (TouchpointId::from("email-desk"), 0.5),
                    (TouchpointId::from("store-desk"), 0.3),
                    (TouchpointId::from("phone-line"), 0.1),
                ]),
            );
            persona.flows.insert(
                "home".into(),
                BTreeMap::from([
                    (TouchpointId::from("catalogue"), 0.5),
                    (TouchpointId::from("help-page"), 0.3),
                ]),
            );
        }
        behaviour.personas.insert(id.into(), persona);
    }
    behaviour
}

/// Where a plant should be reported: the kinds that show it, its place, its persona.
#[derive(Debug, Clone)]
struct Plant {
    name: &'static str,
    kinds: Vec<FrictionKind>,
    location: String,
    persona: Option<&'static str>,
    /// Other places its effects may reach (the stage of a slow handoff).
    also: Vec<String>,
}

const PLANTS: usize = 7;

/// Plants friction number `which` into `behaviour` and says where it should be reported.
fn plant(behaviour: &mut Behaviour, which: usize) -> Plant {
    let touchpoint = |b: &mut Behaviour, id: &str| {
        b.touchpoints
            .entry(TouchpointId::from(id))
            .or_default()
            .to_owned()
    };
    let set = |b: &mut Behaviour, id: &str, change: BehaviourChange| {
        b.touchpoints.insert(TouchpointId::from(id), change);
    };
    match which {
        // A fast web page four times slower: found against the other web pages.
        0 => {
            let mut change = touchpoint(behaviour, "checkout");
            change.wait_seconds = Some(Spread {
                median: 8.0,
                spread: 0.5,
            });
            set(behaviour, "checkout", change);
            Plant {
                name: "slow checkout page",
                kinds: vec![FrictionKind::LongWait],
                location: "checkout".into(),
                persona: None,
                also: vec![],
            }
        }
        // Payment fails for one persona.
        1 => {
            let persona = behaviour
                .personas
                .get_mut(&journey_map::PersonaId::from("mobile-first"))
                .expect("persona");
            let mut change = BehaviourChange::default();
            change.failed = Some(0.6);
            persona.touchpoints.insert("pay".into(), change);
            Plant {
                name: "payment failing on mobile",
                kinds: vec![
                    FrictionKind::Failure,
                    FrictionKind::DropOff,
                    FrictionKind::Loop,
                ],
                location: "pay".into(),
                persona: Some("mobile-first"),
                also: vec![],
            }
        }
        // Two days from the phone line to the callback.
        2 => {
            behaviour.delays.insert(
                "phone-line".into(),
                BTreeMap::from([(
                    TouchpointId::from("callback"),
                    Spread {
                        median: 2.0 * 86_400.0,
                        spread: 0.5,
                    },
                )]),
            );
            Plant {
                name: "slow callback",
                kinds: vec![FrictionKind::SlowHandoff],
                location: "phone-line -> callback".into(),
                persona: None,
                also: vec!["stage support".into()],
            }
        }
        // The phone line misses its 80/20 promise.
        3 => {
            let mut change = touchpoint(behaviour, "phone-line");
            change.wait_seconds = Some(Spread {
                median: 150.0,
                spread: 0.5,
            });
            set(behaviour, "phone-line", change);
            Plant {
                name: "phone line over its service level",
                kinds: vec![FrictionKind::MissedServiceLevel, FrictionKind::LongWait],
                location: "phone-line".into(),
                persona: None,
                also: vec![],
            }
        }
        // Customers give up in the chat queue.
        4 => {
            let mut change = touchpoint(behaviour, "chat");
            change.abandoned = Some(0.5);
            set(behaviour, "chat", change);
            Plant {
                name: "chat abandonment",
                kinds: vec![FrictionKind::Abandonment, FrictionKind::DropOff],
                location: "chat".into(),
                persona: None,
                also: vec![],
            }
        }
        // Store regulars are unhappy with the e-mail desk.
        5 => {
            let persona = behaviour
                .personas
                .get_mut(&journey_map::PersonaId::from("store-regular"))
                .expect("persona");
            let mut change = BehaviourChange::default();
            change.csat = Some(2.0);
            change.nps = Some(3.0);
            change.ces = Some(3.0);
            persona.touchpoints.insert("email-desk".into(), change);
            Plant {
                name: "e-mail desk disappoints store regulars",
                kinds: vec![
                    FrictionKind::LowSatisfaction,
                    FrictionKind::Detractors,
                    FrictionKind::HighEffort,
                ],
                location: "email-desk".into(),
                persona: Some("store-regular"),
                also: vec![],
            }
        }
        // Customers go round the catalogue far more than its designed "next page" share.
        _ => {
            behaviour.flows.insert(
                "catalogue".into(),
                BTreeMap::from([
                    (TouchpointId::from("catalogue"), 0.7),
                    (TouchpointId::from("product"), 0.25),
                ]),
            );
            Plant {
                name: "catalogue paging loop",
                kinds: vec![FrictionKind::Loop],
                location: "catalogue".into(),
                persona: None,
                also: vec![],
            }
        }
    }
}

fn detect(journey: &Journey, behaviour: &Behaviour, customers: usize, seed: u64) -> FrictionReport {
    let simulator = Simulator::new(journey, behaviour).expect("valid behaviour");
    let start = "2026-03-02T08:00:00Z".parse().expect("timestamp");
    let records = simulator.simulate(customers, seed, start);
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    builder
        .extend(&records)
        .expect("simulated records are valid");
    let (log, _) = builder.finish();
    journey
        .detect_friction(&log, &Selection::all(), &FrictionConfig::default())
        .expect("detects")
}

fn describe(report: &FrictionReport) -> String {
    report
        .points
        .iter()
        .map(|p| {
            let e = p.evidence.as_ref().expect("evidence");
            format!(
                "\n  {} at {} for {:?}: {} (q {:.1e}, against {:?})",
                p.kind, p.location, p.persona, p.summary, e.q, e.baseline_kind
            )
        })
        .collect()
}

/// The plants of a seed: two or three of the seven, different from seed to seed.
fn plants_of(seed: u64) -> Vec<usize> {
    let s = seed as usize;
    let mut plants = vec![s % PLANTS, (s + 3) % PLANTS];
    if s.is_multiple_of(3) {
        plants.push((s + 5) % PLANTS);
    }
    plants.sort_unstable();
    plants.dedup();
    plants
}

fn planted_here(plants: &[Plant], location: &Location) -> bool {
    let at = location.to_string();
    plants
        .iter()
        .any(|p| p.location == at || p.also.contains(&at))
}

#[test]
fn every_plant_is_found_and_nothing_else_on_real_looking_journeys() {
    let journey = shop();
    let mut failures = Vec::new();
    for seed in 0..20 {
        let mut behaviour = healthy();
        let plants: Vec<Plant> = plants_of(seed)
            .into_iter()
            .map(|which| plant(&mut behaviour, which))
            .collect();
        let report = detect(&journey, &behaviour, 10_000, seed);
        for plant in &plants {
            let found = report.points.iter().any(|p| {
                plant.kinds.contains(&p.kind)
                    && p.location.to_string() == plant.location
                    && p.persona.as_ref().map(|id| id.as_str()) == plant.persona
            });
            if !found {
                failures.push(format!(
                    "seed {seed}: {} not found:{}",
                    plant.name,
                    describe(&report)
                ));
            }
        }
        for point in &report.points {
            if !planted_here(&plants, &point.location) {
                failures.push(format!(
                    "seed {seed}: healthy place flagged: {} at {}: {}",
                    point.kind, point.location, point.summary
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn two_hundred_customers_flag_nothing_healthy() {
    let journey = shop();
    for seed in 0..20 {
        let mut behaviour = healthy();
        let plants: Vec<Plant> = plants_of(seed)
            .into_iter()
            .map(|which| plant(&mut behaviour, which))
            .collect();
        let report = detect(&journey, &behaviour, 200, seed);
        for point in &report.points {
            assert!(
                planted_here(&plants, &point.location),
                "seed {seed}: {} at {}: {}",
                point.kind,
                point.location,
                point.summary
            );
        }
    }
}

#[test]
fn healthy_shop_has_no_friction_and_its_slow_channels_are_not_slow() {
    let journey = shop();
    for seed in 100..105 {
        let report = detect(&journey, &healthy(), 10_000, seed);
        assert!(
            report.points.is_empty(),
            "seed {seed}:{}",
            describe(&report)
        );
    }
}

#[test]
fn pooled_baseline_flags_slow_channels_that_peers_do_not() {
    // The same healthy shop, compared with the whole journey: the phone, chat, store and
    // e-mail touchpoints look slow against pooled web pages. Like with like, they do not.
    let journey = shop();
    let simulator = Simulator::new(&journey, &healthy()).expect("valid");
    let records = simulator.simulate(10_000, 7, "2026-03-02T08:00:00Z".parse().expect("ts"));
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.extend(&records).expect("valid");
    let (log, _) = builder.finish();
    let pooled = journey
        .detect_friction(
            &log,
            &Selection::all(),
            &FrictionConfig::default().baseline(BaselineScope::Journey),
        )
        .expect("detects");
    let slow: Vec<String> = pooled
        .points
        .iter()
        .filter(|p| p.kind == FrictionKind::LongWait)
        .map(|p| p.location.to_string())
        .collect();
    assert!(slow.contains(&"email-desk".to_owned()), "{slow:?}");
    assert!(slow.contains(&"store-desk".to_owned()), "{slow:?}");
    let peers = journey
        .detect_friction(&log, &Selection::all(), &FrictionConfig::default())
        .expect("detects");
    assert!(
        peers
            .points
            .iter()
            .all(|p| p.kind != FrictionKind::LongWait),
        "{}",
        describe(&peers)
    );
}

#[test]
fn evidence_names_its_baseline() {
    let journey = shop();
    let mut behaviour = healthy();
    let plants = [
        plant(&mut behaviour, 0),
        plant(&mut behaviour, 3),
        plant(&mut behaviour, 2),
    ];
    let report = detect(&journey, &behaviour, 10_000, 3);
    let find = |kind: FrictionKind, at: &str| {
        report
            .points
            .iter()
            .find(|p| p.kind == kind && p.location.to_string() == at)
            .unwrap_or_else(|| panic!("{kind} at {at}:{}", describe(&report)))
    };
    let checkout = find(FrictionKind::LongWait, &plants[0].location);
    let evidence = checkout.evidence.as_ref().expect("evidence");
    assert_eq!(evidence.baseline_kind, Baseline::SameChannelAndKind);
    assert_eq!(
        evidence.baseline_of,
        "the other digital product touchpoints on web"
    );
    assert!(
        checkout
            .summary
            .ends_with("at the other digital product touchpoints on web."),
        "{}",
        checkout.summary
    );

    let breach = find(FrictionKind::MissedServiceLevel, "phone-line");
    let evidence = breach.evidence.as_ref().expect("evidence");
    assert_eq!(evidence.baseline_kind, Baseline::ServiceLevel);
    assert!(
        (evidence.baseline - 0.2).abs() < 1e-12,
        "{}",
        evidence.baseline
    );
    assert_eq!(
        evidence.metric,
        "share of contacts not answered within 60 s"
    );
    assert!(
        breach.summary.ends_with(
            "of the contacts at Phone line are answered within 60 s, against the 80% promised."
        ),
        "{}",
        breach.summary
    );
    // Each customer counts once: the test sees customers, not calls.
    assert!(evidence.customers <= evidence.sample_size);

    let handoff = find(FrictionKind::SlowHandoff, "phone-line -> callback");
    assert!(
        matches!(&handoff.location, Location::Flow { from, to } if from.as_str() == "phone-line" && to.as_str() == "callback")
    );
    assert!(handoff.location.touchpoint().is_none());
    assert!(
        handoff.summary.starts_with("Customers typically wait ")
            && handoff
                .summary
                .contains(" days between Phone line and Callback, against "),
        "{}",
        handoff.summary
    );
    assert!(handoff.customers_affected > 0 && handoff.lost_conversions.is_some());
}
