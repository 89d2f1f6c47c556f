//! Every analysis on random journeys and logs. Invariants: no panic; no NaN or infinity in any
//! report; conversion shares and what-if predictions in 0..=1; Shapley values and the
//! uncredited conversions add up to the conversions; the analyses agree on one thread and on two.
#![no_main]

use arbitrary::Arbitrary;
use journey_map::analysis::{
    Change, FrictionConfig, MetricsOptions, Observation, Selection, ShapleyOptions,
};
use journey_map::{
    Channel, Flow, IngestOptions, Interaction, JourneyBuilder, LogBuilder, Mode, Outcome, Persona,
    Stage, Touchpoint, TouchpointKind,
};
use libfuzzer_sys::fuzz_target;

const CHANNELS: [Channel; 5] = [
    Channel::Web,
    Channel::Phone,
    Channel::Email,
    Channel::Store,
    Channel::Chatbot,
];
const KINDS: [TouchpointKind; 4] = [
    TouchpointKind::Marketing,
    TouchpointKind::DigitalProduct,
    TouchpointKind::HumanService,
    TouchpointKind::Billing,
];

#[derive(Debug, Arbitrary)]
struct Spot {
    stage: u8,
    channel: u8,
    kind: u8,
    entry: bool,
    goal: bool,
}

#[derive(Debug, Arbitrary)]
struct Record {
    customer: u8,
    touchpoint: u8,
    minutes: u16,
    outcome: u8,
    wait: Option<u16>,
    handling: Option<u16>,
    csat: Option<u8>,
    ces: Option<u8>,
    nps: Option<u8>,
    sentiment: Option<i8>,
    resolved: Option<bool>,
    need: Option<u8>,
    persona: Option<u8>,
    session: Option<u8>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    stages: u8,
    personas: u8,
    spots: Vec<Spot>,
    flows: Vec<(u8, u8, Option<u8>)>,
    records: Vec<Record>,
    changes: Vec<(u8, u8, u8, u8)>,
}

static POOLS: std::sync::LazyLock<(rayon::ThreadPool, rayon::ThreadPool)> =
    std::sync::LazyLock::new(|| {
        let pool = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a thread pool")
        };
        (pool(1), pool(2))
    });

/// Panics when a report's RON text holds NaN or an infinity.
fn finite<T: serde::Serialize>(what: &str, report: &T) {
    let text = ron::to_string(report).expect("reports serialize");
    assert!(
        !text.contains("NaN") && !text.contains("inf"),
        "{what}: {text}"
    );
}

fuzz_target!(|input: Input| {
    let stages = usize::from(input.stages % 4) + 1;
    if input.spots.is_empty() || input.spots.len() > 12 || input.records.len() > 400 {
        return;
    }
    let n = input.spots.len();
    let mut builder = JourneyBuilder::new("fuzzed")
        .stages((0..stages).map(|s| Stage::new(format!("s{s}"), format!("S{s}"))))
        .personas((0..input.personas % 4).map(|p| Persona::new(format!("p{p}"), format!("P{p}"))));
    // Stages in order: each touchpoint's stage is at least its predecessor's.
    let mut stage = 0;
    for (i, spot) in input.spots.iter().enumerate() {
        stage = (stage + usize::from(spot.stage % 2)).min(stages - 1);
        let mut touchpoint = Touchpoint::new(
            format!("t{i}"),
            format!("T{i}"),
            format!("s{stage}"),
            CHANNELS[usize::from(spot.channel) % CHANNELS.len()].clone(),
            KINDS[usize::from(spot.kind) % KINDS.len()].clone(),
        );
        if spot.entry || i == 0 {
            touchpoint = touchpoint.entry();
        }
        if spot.goal || i + 1 == n {
            touchpoint = touchpoint.goal();
        }
        builder = builder.touchpoint(touchpoint);
    }
    let mut pairs = Vec::new();
    for &(from, to, share) in input.flows.iter().take(40) {
        let (from, to) = (usize::from(from) % n, usize::from(to) % n);
        if !pairs.contains(&(from, to)) {
            pairs.push((from, to));
            let mut flow = Flow::new(format!("t{from}"), format!("t{to}"));
            flow.expected_share = share.map(|s| f64::from(s % 101) / 1000.0);
            builder = builder.flow(flow);
        }
    }
    let Ok(journey) = builder.build() else { return };

    let start: jiff::Timestamp = "2026-01-05T00:00:00Z".parse().expect("a time");
    let records: Vec<Interaction> = input
        .records
        .iter()
        .map(|r| {
            let at = start
                .checked_add(jiff::SignedDuration::from_mins(i64::from(r.minutes)))
                .expect("in range");
            let mut i = Interaction::new(
                format!("c{}", r.customer % 16),
                format!("t{}", usize::from(r.touchpoint) % n),
                at,
                Outcome::ALL[usize::from(r.outcome) % Outcome::ALL.len()],
            );
            if let Some(w) = r.wait {
                i = i.with_wait_seconds(f64::from(w));
            }
            if let Some(h) = r.handling {
                i = i.with_handling_seconds(f64::from(h));
            }
            if let Some(c) = r.csat {
                i = i.with_csat(c % 7);
            }
            if let Some(c) = r.ces {
                i = i.with_ces(c % 9);
            }
            if let Some(v) = r.nps {
                i = i.with_nps(v % 12);
            }
            if let Some(s) = r.sentiment {
                i = i.with_sentiment(f64::from(s) / 100.0);
            }
            if let Some(done) = r.resolved {
                i = i.with_resolved(done);
            }
            if let Some(need) = r.need {
                i = i.with_need(format!("n{}", need % 5));
            }
            if let (Some(p), true) = (r.persona, input.personas % 4 > 0) {
                i = i.with_persona(format!("p{}", p % (input.personas % 4)));
            }
            if let Some(s) = r.session {
                i = i.with_session(format!("v{}", s % 3));
            }
            i
        })
        .collect();
    let mut log_builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    log_builder
        .extend(&records)
        .expect("lenient never fails on records");
    let (log, _) = log_builder.finish();
    let observation = Observation::new(&journey, &log).expect("the log is the journey's");
    let all = Selection::all();

    // The analyses on one thread and on two give the same reports.
    let both = |threads: &rayon::ThreadPool| {
        threads.install(|| {
            (
                observation.metrics(&all, MetricsOptions::default()).ok(),
                observation.friction(&all, &FrictionConfig::default()).ok(),
                observation.directly_follows(&all).ok(),
                observation.conformance(&all).ok(),
            )
        })
    };
    let (one, two) = &*POOLS;
    assert!(both(one) == both(two), "one thread and two differ");

    let metrics = observation
        .metrics(&all, MetricsOptions::default())
        .expect("metrics");
    finite("metrics", &metrics);
    let friction = observation
        .friction(&all, &FrictionConfig::default())
        .expect("friction");
    finite("friction", &friction);
    let dfg = observation
        .directly_follows(&all)
        .expect("directly follows");
    finite("directly follows", &dfg);
    let variants = observation.variants(&all, 5).expect("variants");
    finite("variants", &variants);
    let conformance = observation.conformance(&all).expect("conformance");
    finite("conformance", &conformance);
    let chain = observation.markov_chain(&all).expect("chain");
    if let Ok(report) = observation.attribution(&all) {
        finite("attribution", &report);
        if let Some(conversion) = report.conversion {
            assert!((0.0..=1.0).contains(&conversion), "conversion {conversion}");
        }
        if let Ok(shapley) = chain.shapley_channels(ShapleyOptions::default()) {
            finite("shapley", &shapley);
            // The channels share what goals alone do not convert.
            let sum: f64 =
                shapley.channels.iter().map(|c| c.conversions).sum::<f64>() + shapley.uncredited;
            let conversions = report.conversions as f64;
            assert!(
                (sum - conversions).abs() <= 1e-6 * conversions.max(1.0),
                "{sum} vs {conversions}"
            );
        }
    }
    let changes: Vec<Change> = input
        .changes
        .iter()
        .take(4)
        .map(|&(kind, a, b, v)| {
            let (a, b) = (
                format!("t{}", usize::from(a) % n),
                format!("t{}", usize::from(b) % n),
            );
            let share = f64::from(v % 101) / 100.0;
            match kind % 4 {
                0 => Change::RemoveTouchpoint {
                    touchpoint: a.into(),
                },
                1 => Change::AddFlow {
                    from: a.into(),
                    to: b.into(),
                    share,
                },
                2 => Change::RemoveFlow {
                    from: a.into(),
                    to: b.into(),
                },
                _ => Change::LowerDropOff {
                    touchpoint: a.into(),
                    by: share,
                },
            }
        })
        .collect();
    if let Ok(prediction) = chain.predict(&journey, &changes) {
        finite("prediction", &prediction);
        for p in [prediction.current, prediction.predicted] {
            assert!((0.0..=1.0).contains(&p), "prediction {p}");
        }
    }
});
