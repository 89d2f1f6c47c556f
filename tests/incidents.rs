//! Incidents against ground truth: 26 weeks of an online shop with weekly and daily seasonality
//! in volume, channels of different speeds and customers who differ, with one to three planted
//! incidents of different kinds (some for one persona), lasting one to six weeks. Over 20
//! seeds every incident is found, its start and end within one bucket of the truth, and
//! nothing else; on the same logs without incidents, nothing is found.

#![cfg(feature = "simulator")]

#[path = "support/shop.rs"]
mod shop;

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use journey_map::analysis::friction::{Incident, IncidentReport, OverTimeError};
use journey_map::analysis::{
    Calendar, CalendarError, FrictionConfig, FrictionKind, Granularity, Observation, Selection,
    TimeRange,
};
use journey_map::sim::{Behaviour, BehaviourChange, Incident as Planted, Simulator, Spread};
use journey_map::{IngestOptions, InteractionLog, Journey, LogBuilder, PersonaId, TouchpointId};

const START: &str = "2026-01-05T00:00:00Z";
const WEEK: i64 = 7 * 86_400;

fn at(seconds: i64) -> Timestamp {
    START.parse::<Timestamp>().unwrap() + SignedDuration::from_secs(seconds)
}

/// The healthy shop over 26 weeks: fewer customers at weekends and at night.
fn seasonal() -> Behaviour {
    let mut behaviour = shop::healthy();
    behaviour.minutes_between_customers = 12.0;
    behaviour.seasonality.weekdays = vec![1.2, 1.15, 1.1, 1.1, 1.2, 0.7, 0.55];
    behaviour.seasonality.hours = (0..24)
        .map(|h| if (8..22).contains(&h) { 1.4 } else { 0.3 })
        .collect();
    behaviour
}

/// Where and when an incident was planted, and what should report it.
#[derive(Debug, Clone)]
struct Truth {
    name: &'static str,
    from: Timestamp,
    to: Timestamp,
    kinds: Vec<FrictionKind>,
    locations: Vec<&'static str>,
    /// Whom it is reported for: the first is the persona planted; a plant for everyone that
    /// some personas never meet may be reported for those who do.
    personas: Vec<Option<&'static str>>,
}

/// Plants incident number `which` (of six) from day `start_day` for `weeks` weeks.
fn plant(behaviour: &mut Behaviour, which: usize, start_day: i64, weeks: i64) -> Truth {
    let from = at(start_day * 86_400);
    let to = at(start_day * 86_400 + weeks * WEEK);
    let mut incident = Planted::new(from, to);
    let change = |f: &dyn Fn(&mut BehaviourChange)| {
        let mut c = BehaviourChange::default();
        f(&mut c);
        c
    };
    let truth = match which {
        0 => {
            incident
                .touchpoints
                .insert("pay".into(), change(&|c| c.failed = Some(0.7)));
            Truth {
                name: "payment provider failing",
                from,
                to,
                kinds: vec![
                    FrictionKind::Failure,
                    FrictionKind::DropOff,
                    FrictionKind::Loop,
                ],
                locations: vec!["pay"],
                personas: vec![None],
            }
        }
        1 => {
            // The same share of customers leaves each page; more of them for help.
            incident.flows.insert(
                "product".into(),
                BTreeMap::from([
                    (TouchpointId::from("product"), 0.3),
                    (TouchpointId::from("catalogue"), 0.1),
                    (TouchpointId::from("cart"), 0.2),
                    (TouchpointId::from("help-page"), 0.3),
                ]),
            );
            incident.flows.insert(
                "home".into(),
                BTreeMap::from([
                    (TouchpointId::from("help-page"), 0.4),
                    (TouchpointId::from("catalogue"), 0.35),
                ]),
            );
            Truth {
                name: "customers flooding the help pages",
                from,
                to,
                kinds: vec![FrictionKind::Surge, FrictionKind::OffMap],
                locations: vec![
                    "help-page",
                    "chat",
                    "phone-line",
                    "email-desk",
                    "store-desk",
                    "home",
                    "product",
                ],
                // Mobile-first customers browse in the app and seldom open the help pages.
                personas: vec![None, Some("browser"), Some("store-regular")],
            }
        }
        2 => {
            incident.touchpoints.insert(
                "phone-line".into(),
                change(&|c| {
                    c.wait_seconds = Some(Spread {
                        median: 400.0,
                        spread: 0.5,
                    })
                }),
            );
            Truth {
                name: "phone line understaffed",
                from,
                to,
                kinds: vec![FrictionKind::LongWait],
                locations: vec!["phone-line"],
                personas: vec![None],
            }
        }
        3 => {
            // Only mobile-first customers get the slow release of the payment page.
            incident.persona = Some(PersonaId::from("mobile-first"));
            incident.touchpoints.insert(
                "pay".into(),
                change(&|c| {
                    c.wait_seconds = Some(Spread {
                        median: 30.0,
                        spread: 0.5,
                    })
                }),
            );
            Truth {
                name: "payment page slow for mobile-first customers",
                from,
                to,
                kinds: vec![FrictionKind::LongWait],
                locations: vec!["pay"],
                personas: vec![Some("mobile-first")],
            }
        }
        4 => {
            incident.flows.insert(
                "catalogue".into(),
                BTreeMap::from([
                    (TouchpointId::from("catalogue"), 0.75),
                    (TouchpointId::from("product"), 0.2),
                ]),
            );
            Truth {
                name: "catalogue paging broken",
                from,
                to,
                kinds: vec![FrictionKind::Loop, FrictionKind::RepeatContact],
                locations: vec!["catalogue"],
                personas: vec![None],
            }
        }
        _ => {
            incident.flows.insert(
                "cart".into(),
                BTreeMap::from([(TouchpointId::from("checkout"), 0.3)]),
            );
            Truth {
                name: "cart abandoned",
                from,
                to,
                kinds: vec![FrictionKind::DropOff],
                locations: vec!["cart"],
                personas: vec![None],
            }
        }
    };
    behaviour.incidents.push(incident);
    truth
}

fn log_of(journey: &Journey, behaviour: &Behaviour, customers: usize, seed: u64) -> InteractionLog {
    let records = Simulator::new(journey, behaviour)
        .unwrap()
        .simulate(customers, seed, at(0));
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    builder.finish().0
}

fn weekly(journey: &Journey, log: &InteractionLog) -> IncidentReport {
    Observation::new(journey, log)
        .unwrap()
        .incidents(
            &Selection::all(),
            &Calendar::new(Granularity::Week),
            &FrictionConfig::default(),
        )
        .unwrap()
}

/// The plants of a seed: one to three of the six, from one to six weeks each, apart in time.
fn plants_of(seed: u64) -> Vec<(usize, i64, i64)> {
    let s = seed as i64;
    let count = 1 + (s % 3);
    (0..count)
        .map(|i| {
            let which = ((s + 2 * i) % 6) as usize;
            let weeks = 1 + (s + 3 * i) % 6;
            // Starts spread over the 26 weeks, on any day of the week.
            let start_day = 14 + i * 56 + (s * 3) % 11;
            (which, start_day, weeks)
        })
        .collect()
}

fn describe(report: &IncidentReport) -> String {
    report
        .incidents
        .iter()
        .map(|i| {
            format!(
                "\n  {} at {} for {:?}: {}",
                i.kind, i.location, i.persona, i.summary
            )
        })
        .collect()
}

fn within_a_week(a: Timestamp, b: Timestamp) -> bool {
    (a.as_second() - b.as_second()).abs() <= WEEK
}

/// The truth's first and last weeks, as the calendar cuts them.
fn truth_weeks(truth: &Truth) -> (Timestamp, Timestamp) {
    let weeks = Calendar::new(Granularity::Week)
        .buckets(truth.from, truth.to - SignedDuration::from_millis(1))
        .unwrap();
    (weeks[0].start, weeks[weeks.len() - 1].end)
}

fn matches(incident: &Incident, truth: &Truth) -> bool {
    truth.kinds.contains(&incident.kind)
        && truth
            .locations
            .contains(&incident.location.to_string().as_str())
        && incident.start < truth.to + SignedDuration::from_secs(WEEK)
        && incident.end > truth.from - SignedDuration::from_secs(WEEK)
}

#[test]
fn planted_incidents_are_found_where_and_when_they_happened_and_nothing_else() {
    let journey = shop::shop();
    let mut failures = Vec::new();
    for seed in 0..20 {
        let mut behaviour = seasonal();
        let truths: Vec<Truth> = plants_of(seed)
            .into_iter()
            .map(|(which, day, weeks)| plant(&mut behaviour, which, day, weeks))
            .collect();
        let log = log_of(&journey, &behaviour, 20_000, seed);
        let report = weekly(&journey, &log);
        assert!(
            (25..=28).contains(&report.buckets.len()),
            "seed {seed}: {}",
            report.buckets.len()
        );
        for truth in &truths {
            let (first, last) = truth_weeks(truth);
            let found = report.incidents.iter().any(|i| {
                matches(i, truth)
                    && i.location.to_string() == truth.locations[0]
                    && truth
                        .personas
                        .contains(&i.persona.as_ref().map(|p| p.as_str()))
                    && within_a_week(i.start, first)
                    && within_a_week(i.end, last)
            });
            if !found {
                failures.push(format!(
                    "seed {seed}: {} ({} to {}) not found:{}",
                    truth.name,
                    truth.from,
                    truth.to,
                    describe(&report)
                ));
            }
        }
        for incident in &report.incidents {
            if !truths.iter().any(|t| matches(incident, t)) {
                failures.push(format!(
                    "seed {seed}: false incident: {} at {}: {}",
                    incident.kind, incident.location, incident.summary
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn healthy_seasonal_logs_have_no_incident() {
    let journey = shop::shop();
    for seed in 0..20 {
        let log = log_of(&journey, &seasonal(), 20_000, seed);
        let report = weekly(&journey, &log);
        assert!(
            report.incidents.is_empty(),
            "seed {seed}:{}",
            describe(&report)
        );
        assert!(report.tests > 1_000, "{}", report.tests);
    }
}

#[test]
fn daily_buckets_compare_like_weekdays_and_find_no_weekend_incident() {
    let journey = shop::shop();
    let log = log_of(&journey, &seasonal(), 20_000, 3);
    let report = Observation::new(&journey, &log)
        .unwrap()
        .incidents(
            &Selection::all(),
            &Calendar::new(Granularity::Day),
            &FrictionConfig::default(),
        )
        .unwrap();
    assert_eq!(report.granularity, Granularity::Day);
    assert!(report.buckets.len() >= 160, "{}", report.buckets.len());
    assert!(report.incidents.is_empty(), "{}", describe(&report));
}

#[test]
fn an_incident_reads_as_a_sentence_with_its_dates() {
    let journey = shop::shop();
    let mut behaviour = seasonal();
    // From Monday 2 March for three weeks.
    let truth = plant(&mut behaviour, 0, 56, 3);
    let log = log_of(&journey, &behaviour, 20_000, 11);
    let report = weekly(&journey, &log);
    let failure = report
        .incidents
        .iter()
        .find(|i| i.kind == FrictionKind::Failure && i.location.to_string() == "pay")
        .unwrap_or_else(|| panic!("{}", describe(&report)));
    assert_eq!(failure.start, truth.from);
    assert_eq!(failure.end, truth.to);
    assert_eq!(failure.buckets, 3);
    assert!(
        failure
            .summary
            .starts_with("From 2026-03-02 to 2026-03-22 (3 weeks): Payment fails for "),
        "{}",
        failure.summary
    );
    assert!(
        failure.summary.ends_with("in its other weeks."),
        "{}",
        failure.summary
    );
    assert!(
        failure.observed > 0.35 && failure.baseline < 0.1,
        "{} {}",
        failure.observed,
        failure.baseline
    );
    assert!(failure.customers_affected > 100);
    assert!(failure.lost_conversions.is_some_and(|l| l > 50.0));
    assert!(failure.peak >= failure.start && failure.peak < failure.end);
    // JSON: RFC 3339 times and the fields the command line documents.
    let json = serde_json::to_value(failure).unwrap();
    assert_eq!(json["start"], "2026-03-02T00:00:00Z");
    for field in [
        "location",
        "kind",
        "persona",
        "end",
        "observed",
        "baseline",
        "customers_affected",
        "lost_conversions",
        "summary",
    ] {
        assert!(json.get(field).is_some(), "{field}");
    }
}

#[test]
fn windows_without_data_or_too_short_are_explained() {
    let journey = shop::shop();
    let log = log_of(&journey, &seasonal(), 2_000, 1);
    let observation = Observation::new(&journey, &log).unwrap();
    let config = FrictionConfig::default();
    // A window before the log starts.
    let empty = Selection::all().time(TimeRange::new(at(-10 * WEEK), at(-9 * WEEK)));
    assert!(matches!(
        observation.incidents(&empty, &Calendar::default(), &config),
        Err(OverTimeError::Calendar(CalendarError::Empty))
    ));
    // Months over a log of a few weeks: too few buckets to tell.
    let short = Selection::all().time(TimeRange::new(at(0), at(3 * WEEK)));
    let error = observation
        .incidents(&short, &Calendar::new(Granularity::Month), &config)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "1 bucket(s) of time in the window, at least 3 needed"
    );
    // Settings are checked.
    assert!(matches!(
        observation.incidents(
            &Selection::all(),
            &Calendar::default(),
            &config.clone().max_q(0.0)
        ),
        Err(OverTimeError::Config(_))
    ));
    // A time zone that does not exist.
    assert_eq!(
        Calendar::new(Granularity::Day)
            .time_zone("Mars/Olympus")
            .unwrap_err()
            .to_string(),
        "unknown time zone \"Mars/Olympus\""
    );
    assert_eq!(
        "fortnight".parse::<Granularity>().unwrap_err().to_string(),
        "unknown bucket size \"fortnight\", expected day, week or month"
    );
}

#[test]
fn calendars_cut_days_weeks_and_months_in_a_time_zone() {
    let first: Timestamp = "2026-03-28T23:30:00Z".parse().unwrap();
    let last: Timestamp = "2026-04-02T10:00:00Z".parse().unwrap();
    let days = Calendar::new(Granularity::Day)
        .buckets(first, last)
        .unwrap();
    assert_eq!(days.len(), 6);
    assert_eq!(days[0].start.to_string(), "2026-03-28T00:00:00Z");
    // In Paris the first instant is already 29 March, and the clocks go forward that night:
    // that day has 23 hours.
    let paris = Calendar::new(Granularity::Day)
        .time_zone("Europe/Paris")
        .unwrap()
        .buckets(first, last)
        .unwrap();
    assert_eq!(paris[0].start.to_string(), "2026-03-28T23:00:00Z");
    assert_eq!((paris[0].end - paris[0].start).as_hours(), 23);
    let months = Calendar::new(Granularity::Month)
        .buckets(first, last)
        .unwrap();
    assert_eq!(months.len(), 2);
    assert_eq!(months[1].start.to_string(), "2026-04-01T00:00:00Z");
    let weeks = Calendar::new(Granularity::Week)
        .buckets(first, last)
        .unwrap();
    assert_eq!(weeks[0].start.to_string(), "2026-03-23T00:00:00Z");
    assert!(weeks.windows(2).all(|w| w[0].end == w[1].start));
    // Too many buckets is an error, not a long wait or a memory blow-up.
    let far: Timestamp = "2100-01-01T00:00:00Z".parse().unwrap();
    let error = Calendar::new(Granularity::Day)
        .buckets(first, far)
        .unwrap_err();
    assert!(matches!(error, CalendarError::TooManyBuckets { .. }));
    assert_eq!(
        error.to_string(),
        "more than 1000 buckets of one day: choose larger buckets or a shorter window"
    );
}
