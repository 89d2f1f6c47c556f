//! The seeded simulator: reproducible logs, planted friction that shows in the metrics, and a
//! behaviour model checked against its journey.

#![cfg(feature = "simulator")]

use journey_map::analysis::{MetricsOptions, MetricsReport, Selection};
use journey_map::sim::{Behaviour, BehaviourProblem, Simulator};
use journey_map::{
    IngestOptions, InteractionLog, Journey, LogBuilder, Outcome, SettingsError, write_csv,
};

fn bank() -> Journey {
    Journey::load("examples/data/retail_bank.ron").unwrap()
}

fn start() -> jiff::Timestamp {
    "2026-01-05T08:00:00Z".parse().unwrap()
}

fn log(journey: &Journey, behaviour: &Behaviour, customers: usize, seed: u64) -> InteractionLog {
    let records = Simulator::new(journey, behaviour)
        .unwrap()
        .simulate(customers, seed, start());
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    builder.finish().0
}

#[test]
fn the_same_seed_gives_the_same_log_and_another_seed_another() {
    let journey = bank();
    let behaviour = Behaviour::default();
    let simulator = Simulator::new(&journey, &behaviour).unwrap();
    let a = simulator.simulate(300, 1, start());
    assert_eq!(a, simulator.simulate(300, 1, start()));
    assert_ne!(a, simulator.simulate(300, 2, start()));
    // Every record is valid for the journey, and each customer's records are in time order.
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.extend(&a).unwrap();
    assert!(
        a.windows(2)
            .all(|w| w[0].customer != w[1].customer || w[0].timestamp <= w[1].timestamp)
    );
    assert!(
        a.iter()
            .all(|r| journey.touchpoint(r.touchpoint.as_str()).is_some())
    );
}

#[test]
fn planted_friction_shows_where_it_was_planted() {
    let journey = bank();
    let healthy = Behaviour::default();
    let planted: Behaviour = ron::from_str(
        r#"(touchpoints: {"online-application": (abandoned: Some(1.0), csat: Some(1.8))})"#,
    )
    .unwrap();
    let metrics = |behaviour: &Behaviour| {
        MetricsReport::compute(
            &journey,
            &log(&journey, behaviour, 3_000, 11),
            &Selection::all(),
            MetricsOptions::default(),
        )
        .unwrap()
    };
    let (before, after) = (metrics(&healthy), metrics(&planted));
    let at = |report: &MetricsReport, id: &str| {
        report.by_touchpoint[journey.touchpoint_index(id).unwrap().index()]
            .metrics
            .clone()
    };
    let abandon = |report: &MetricsReport, id: &str| at(report, id).abandonment.unwrap().value;
    assert!(abandon(&before, "online-application") < 0.1);
    assert!(
        abandon(&after, "online-application") > 0.4,
        "{}",
        abandon(&after, "online-application")
    );
    assert!(at(&after, "online-application").csat.unwrap().mean < 2.5);
    // Elsewhere nothing changed but the traffic.
    assert!(abandon(&after, "product-page") < 0.1);
    // Fewer customers get through, so fewer convert.
    let converted = |r: &MetricsReport| r.journey.goal_conversion.unwrap().value;
    assert!(converted(&after) < converted(&before));
}

#[test]
fn friction_for_one_persona_stays_with_that_persona() {
    let journey = bank();
    let behaviour: Behaviour = ron::from_str(
        r#"(personas: {
            "digital-native": (weight: 1.0, touchpoints: {"product-page": (failed: Some(2.0))}),
            "branch-loyalist": (weight: 1.0, entries: {"search-ad": 1.0}),
            "small-business-owner": (weight: 1.0, entries: {"search-ad": 1.0}),
        }, off_map: 0.0)"#,
    )
    .unwrap();
    let report = MetricsReport::compute(
        &journey,
        &log(&journey, &behaviour, 4_000, 5),
        &Selection::all(),
        MetricsOptions::default(),
    )
    .unwrap();
    let failure = |persona: &str| {
        report
            .by_persona_touchpoint
            .iter()
            .find(|k| k.key.0.as_ref().is_some_and(|p| p == persona) && k.key.1 == "product-page")
            .and_then(|k| k.metrics.failure)
            .unwrap()
            .value
    };
    assert!(
        failure("digital-native") > 0.5,
        "{}",
        failure("digital-native")
    );
    assert!(failure("branch-loyalist") < 0.1);
    assert!(failure("small-business-owner") < 0.1);
    // Branch loyalists were sent to the search advert only.
    let poster = &report
        .by_persona_touchpoint
        .iter()
        .find(|k| {
            k.key.0.as_ref().is_some_and(|p| p == "branch-loyalist") && k.key.1 == "branch-poster"
        })
        .unwrap()
        .metrics;
    assert_eq!(poster.interactions, 0);
}

#[test]
fn retries_make_repeat_contacts() {
    let journey = bank();
    let behaviour: Behaviour = ron::from_str(
        r#"(touchpoints: {"support-line": (failed: Some(1.0), retry: Some(1.0))}, max_steps: 60)"#,
    )
    .unwrap();
    let report = MetricsReport::compute(
        &journey,
        &log(&journey, &behaviour, 3_000, 3),
        &Selection::all(),
        MetricsOptions::default(),
    )
    .unwrap();
    let support =
        &report.by_touchpoint[journey.touchpoint_index("support-line").unwrap().index()].metrics;
    assert!(
        support.repeat_contact.unwrap().value > 0.3,
        "{:?}",
        support.repeat_contact
    );
    assert!(support.outcomes_seen() > 0);
}

trait Seen {
    fn outcomes_seen(&self) -> u64;
}

impl Seen for journey_map::analysis::metrics::GroupMetrics {
    fn outcomes_seen(&self) -> u64 {
        self.interactions
    }
}

#[test]
fn behaviour_problems_are_all_reported_with_suggestions() {
    let journey = bank();
    let behaviour: Behaviour = ron::from_str(
        r#"(
            default: (completed: -1.0, csat: 9.0),
            touchpoints: {"chatbt": (failed: Some(0.5))},
            personas: {"digital-natve": (weight: 1.0), "branch-loyalist": (weight: -2.0, entries: {"nowhere": 1.0})},
            off_map: 1.5,
            max_steps: 0,
        )"#,
    )
    .unwrap();
    let error = Simulator::new(&journey, &behaviour).unwrap_err();
    let messages: Vec<String> = error.problems.iter().map(ToString::to_string).collect();
    assert!(
        messages.contains(&"default: completed is -1, expected a weight of 0 or more".to_owned()),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"default: csat is 9, expected 1..=5".to_owned()),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"unknown touchpoint \"chatbt\" (did you mean \"chatbot\"?)".to_owned()),
        "{messages:#?}"
    );
    assert!(
        messages.contains(
            &"unknown persona \"digital-natve\" (did you mean \"digital-native\"?)".to_owned()
        ),
        "{messages:#?}"
    );
    assert!(
        messages.contains(
            &"persona \"branch-loyalist\": weight is -2, expected a weight of 0 or more".to_owned()
        ),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("unknown touchpoint \"nowhere\"")),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"behaviour: off_map is 1.5, expected a probability in 0..=1".to_owned()),
        "{messages:#?}"
    );
    assert!(
        messages.contains(&"behaviour: max_steps is 0, expected 1 to 10000".to_owned()),
        "{messages:#?}"
    );
    assert!(matches!(
        error.problems[0],
        BehaviourProblem::OutOfRange { .. }
    ));
    assert!(error.to_string().starts_with(&format!(
        "{} problem(s) in the behaviour model: ",
        error.problems.len()
    )));
    let nan: Behaviour = ron::from_str("(default: (abandoned: NaN))").unwrap();
    assert!(Simulator::new(&journey, &nan).is_err());
}

#[test]
fn behaviour_files_load_and_report_syntax_errors() {
    let behaviour = Behaviour::load("examples/data/retail_bank.behaviour.ron").unwrap();
    assert!(behaviour.touchpoints.contains_key("online-application"));
    let error = Behaviour::from_ron_str("(\n  of_map: 0.1,\n)", "b.ron").unwrap_err();
    assert!(
        matches!(
            &error,
            SettingsError::Syntax {
                kind: "behaviour model",
                line: 2,
                column: 3,
                ..
            }
        ),
        "{error}"
    );
    let error = Behaviour::load("examples/data/none.ron").unwrap_err();
    assert!(matches!(error, SettingsError::Read { .. }));
    assert_eq!(
        error.to_string(),
        "cannot read behaviour model file examples/data/none.ron"
    );
}

#[test]
fn written_csv_reads_back_to_the_same_log() {
    let journey = bank();
    let records = Simulator::new(&journey, &Behaviour::default())
        .unwrap()
        .simulate(200, 9, start());
    let mut csv = Vec::new();
    write_csv(&records, &mut csv).unwrap();
    let mut from_csv = LogBuilder::new(&journey, IngestOptions::default());
    from_csv.read_csv(csv.as_slice()).unwrap();
    let mut from_code = LogBuilder::new(&journey, IngestOptions::default());
    from_code.extend(&records).unwrap();
    let (a, b) = (from_csv.finish().0, from_code.finish().0);
    assert_eq!(a, b);
    assert!(records.iter().any(|r| r.outcome == Outcome::Abandoned));
}

/// The sample logs are what the simulator makes from the sample behaviour with seed 42.
#[test]
fn the_sample_logs_are_reproducible() {
    for name in ["retail_bank", "broadband"] {
        let journey = Journey::load(format!("examples/data/{name}.ron")).unwrap();
        let behaviour = Behaviour::load(format!("examples/data/{name}.behaviour.ron")).unwrap();
        let records = Simulator::new(&journey, &behaviour)
            .unwrap()
            .simulate(2_000, 42, start());
        let mut csv = Vec::new();
        write_csv(&records, &mut csv).unwrap();
        let committed = std::fs::read(format!("examples/data/{name}.interactions.csv")).unwrap();
        assert!(
            csv == committed,
            "examples/data/{name}.interactions.csv differs from a fresh simulation"
        );
        assert!(committed.len() < 3_000_000);
    }
}

#[test]
fn a_persona_listed_without_a_weight_weighs_one() {
    let behaviour: Behaviour =
        ron::from_str(r#"(personas: {"digital-native": (), "branch-loyalist": (weight: 0.0)})"#)
            .unwrap();
    assert_eq!(behaviour.personas["digital-native"].weight, 1.0);
    let journey = bank();
    let records = Simulator::new(&journey, &behaviour)
        .unwrap()
        .simulate(50, 1, start());
    let personas: std::collections::BTreeSet<_> =
        records.iter().filter_map(|r| r.persona.clone()).collect();
    assert_eq!(
        personas.into_iter().collect::<Vec<_>>(),
        ["digital-native".into()] as [journey_map::PersonaId; 1]
    );
}

#[test]
fn persona_flows_steer_that_persona_only() {
    let journey = bank();
    // Small business owners leave the product page for the comparison tool six times in ten
    // and for the application two in ten (the rest leave the journey); everyone else follows
    // the journey's expected shares (0.2 to the tool of 0.85 that go on).
    let behaviour: Behaviour = ron::from_str(
        r#"(
            off_map: 0.0,
            personas: {
                "small-business-owner": (flows: {"product-page": {"comparison-tool": 0.6, "online-application": 0.2}}),
                "digital-native": (),
                "branch-loyalist": (),
            },
        )"#,
    )
    .unwrap();
    let records = Simulator::new(&journey, &behaviour)
        .unwrap()
        .simulate(6_000, 5, start());
    let mut persona_of = std::collections::HashMap::new();
    for r in &records {
        if let Some(p) = &r.persona {
            persona_of.insert(r.customer.clone(), p.as_str().to_owned());
        }
    }
    // (moves from the product page, of which to the comparison tool) per persona kind.
    let mut counts = std::collections::HashMap::<bool, (u32, u32)>::new();
    for w in records.windows(2) {
        if w[0].customer == w[1].customer
            && w[0].touchpoint.as_str() == "product-page"
            && w[0].outcome == Outcome::Completed
        {
            let owner = persona_of[&w[0].customer] == "small-business-owner";
            let entry = counts.entry(owner).or_default();
            entry.0 += 1;
            entry.1 += u32::from(w[1].touchpoint.as_str() == "comparison-tool");
        }
    }
    let share = |owner: bool| {
        let (moves, to_tool) = counts[&owner];
        assert!(moves > 200, "{moves} moves");
        f64::from(to_tool) / f64::from(moves)
    };
    assert!((share(true) - 0.75).abs() < 0.05, "{}", share(true));
    assert!((share(false) - 0.2 / 0.85).abs() < 0.06, "{}", share(false));
}

#[test]
fn flow_probabilities_must_name_designed_flows_and_sum_to_one_at_most() {
    let journey = bank();
    let behaviour: Behaviour = ron::from_str(
        r#"(
            flows: {"product-page": {"online-application": 0.8, "comparison-tool": 0.3}},
            personas: {"digital-native": (flows: {
                "product-page": {"first-deposit": 0.5, "chatbot": 1.5},
                "prodct-page": {"chatbot": 0.5},
            })},
        )"#,
    )
    .unwrap();
    let error = Simulator::new(&journey, &behaviour).unwrap_err();
    let text: Vec<String> = error.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("sum of the flows out of \"product-page\" is 1.1")),
        "{text:?}"
    );
    assert!(error.problems.iter().any(|p| matches!(
        p,
        BehaviourProblem::UnknownFlow { from, to, .. }
            if from.as_str() == "product-page" && to.as_str() == "first-deposit"
    )));
    assert!(
        text.iter()
            .any(|t| t.contains("1.5") && t.contains("0..=1")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("did you mean \"product-page\"")),
        "{text:?}"
    );
}

#[test]
fn channels_delays_and_customer_spreads_are_checked() {
    let journey = bank();
    let behaviour: Behaviour = ron::from_str(
        r#"(
            channels: {Phone: (abandoned: Some(-1.0))},
            delays: {
                "verification-email": {"address-proof-letter": (median: 0.0, spread: 0.4)},
                "verification-emial": {"address-proof-letter": (median: 60.0, spread: 0.4)},
            },
            customers: (time: -0.5, mood: 0.2),
        )"#,
    )
    .unwrap();
    let error = Simulator::new(&journey, &behaviour).unwrap_err();
    let text: Vec<String> = error.problems.iter().map(|p| p.to_string()).collect();
    for expected in [
        "channel Phone",
        "delay \"verification-email\" -> \"address-proof-letter\" is 0",
        "did you mean \"verification-email\"",
        "customers.time is -0.5",
    ] {
        assert!(
            text.iter().any(|t| t.contains(expected)),
            "{expected}: {text:?}"
        );
    }
}

#[test]
fn channel_speeds_delays_and_differing_customers_shape_the_log() {
    let journey = bank();
    let behaviour: Behaviour = ron::from_str(
        r#"(
            channels: {Email: (wait_seconds: Some((median: 14400.0, spread: 0.3)))},
            delays: {"verification-email": {"address-proof-letter": (median: 518400.0, spread: 0.2)}},
            customers: (time: 0.8, mood: 0.8),
        )"#,
    )
    .unwrap();
    let records = Simulator::new(&journey, &behaviour)
        .unwrap()
        .simulate(2_000, 5, start());
    let email = journey.touchpoint_index("verification-email").unwrap();
    let waits: Vec<f64> = records
        .iter()
        .filter(|r| r.touchpoint.as_str() == "verification-email")
        .filter_map(|r| r.wait_seconds)
        .collect();
    assert!(!waits.is_empty(), "{email:?}");
    let mut sorted = waits.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    assert!(
        (7_000.0..30_000.0).contains(&median),
        "e-mail waits are hours: {median}"
    );
    // The letter arrives days after the e-mail is handled.
    let gaps: Vec<f64> = records
        .windows(2)
        .filter(|w| {
            w[0].customer == w[1].customer
                && w[0].touchpoint.as_str() == "verification-email"
                && w[1].touchpoint.as_str() == "address-proof-letter"
        })
        .map(|w| {
            let end = w[0].timestamp
                + jiff::SignedDuration::from_secs_f64(
                    w[0].wait_seconds.unwrap_or(0.0) + w[0].handling_seconds.unwrap_or(0.0),
                );
            (w[1].timestamp - end).as_secs_f64()
        })
        .collect();
    assert!(!gaps.is_empty());
    assert!(gaps.iter().all(|g| *g > 2.0 * 86_400.0), "{gaps:?}");
    // Customers differ: each customer's time factor widens the spread of waits beyond the
    // model's spread at each touchpoint.
    let plain = Simulator::new(&journey, &Behaviour::default())
        .unwrap()
        .simulate(2_000, 5, start());
    let differing: Behaviour = ron::from_str("(customers: (time: 0.8))").unwrap();
    let records = Simulator::new(&journey, &differing)
        .unwrap()
        .simulate(2_000, 5, start());
    let spread = |records: &[journey_map::Interaction]| {
        let logs: Vec<f64> = records
            .iter()
            .filter_map(|r| r.wait_seconds)
            .filter(|w| *w > 0.0)
            .map(f64::ln)
            .collect();
        let mean = logs.iter().sum::<f64>() / logs.len() as f64;
        (logs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / logs.len() as f64).sqrt()
    };
    assert!(spread(&records) > spread(&plain) + 0.2);
}
