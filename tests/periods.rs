//! Periods against periods and trends, against ground truth: the online shop over 26 weeks with
//! seasonality, a change planted for one month. Over 20 seeds a comparison across the change
//! finds it (worse when it starts, better when it ends) and nothing else; across two healthy
//! months it finds nothing. Trends show it in the right bucket, with sample sizes that add up.

#![cfg(feature = "simulator")]

#[path = "support/shop.rs"]
mod shop;

use jiff::Timestamp;
use journey_map::analysis::friction::{
    Direction, OverTimeError, Period, PeriodComparison, TrendGroup, TrendMeasure,
};
use journey_map::analysis::{
    Calendar, FrictionConfig, FrictionKind, Granularity, Observation, Selection,
};
use journey_map::sim::{Behaviour, BehaviourChange, Incident, Simulator, Spread};
use journey_map::{Channel, IngestOptions, InteractionLog, Journey, LogBuilder};

fn t(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn month(year_month: (i16, i8)) -> Period {
    let (y, m) = year_month;
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Period::new(
        t(&format!("{y:04}-{m:02}-01T00:00:00Z")),
        t(&format!("{ny:04}-{nm:02}-01T00:00:00Z")),
    )
}

fn behaviour() -> Behaviour {
    let mut behaviour = shop::healthy();
    behaviour.minutes_between_customers = 12.0;
    behaviour.seasonality.weekdays = vec![1.2, 1.15, 1.1, 1.1, 1.2, 0.7, 0.55];
    behaviour
}

/// The phone line understaffed for April 2026: waits of about 7 minutes instead of 25 s.
fn understaffed_april() -> Behaviour {
    let mut behaviour = behaviour();
    let mut incident = Incident::new(t("2026-04-01T00:00:00Z"), t("2026-05-01T00:00:00Z"));
    let mut slow = BehaviourChange::default();
    slow.wait_seconds = Some(Spread {
        median: 400.0,
        spread: 0.5,
    });
    incident.touchpoints.insert("phone-line".into(), slow);
    behaviour.incidents.push(incident);
    behaviour
}

fn log_of(journey: &Journey, behaviour: &Behaviour, seed: u64) -> InteractionLog {
    let records = Simulator::new(journey, behaviour).unwrap().simulate(
        20_000,
        seed,
        t("2026-01-05T00:00:00Z"),
    );
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    builder.finish().0
}

fn compare(journey: &Journey, log: &InteractionLog, a: Period, b: Period) -> PeriodComparison {
    Observation::new(journey, log)
        .unwrap()
        .compare_periods(&Selection::all(), &a, &b, &FrictionConfig::default())
        .unwrap()
}

fn describe(c: &PeriodComparison) -> String {
    c.changes
        .iter()
        .map(|s| {
            format!(
                "\n  {:?} {} at {}: {}",
                s.direction, s.kind, s.location, s.summary
            )
        })
        .collect()
}

#[test]
fn a_comparison_across_a_planted_change_finds_it_and_nothing_else() {
    let journey = shop::shop();
    let mut failures = Vec::new();
    for seed in 0..20 {
        let log = log_of(&journey, &understaffed_april(), seed);
        let worse = compare(&journey, &log, month((2026, 3)), month((2026, 4)));
        let found = worse.changes.iter().any(|s| {
            s.direction == Direction::Worse
                && s.kind == FrictionKind::LongWait
                && s.location.to_string() == "phone-line"
                && s.persona.is_none()
        });
        if !found {
            failures.push(format!(
                "seed {seed}: the longer waits not found:{}",
                describe(&worse)
            ));
        }
        // Only the phone line changed (a persona's own view of it is the same change).
        for s in &worse.changes {
            if s.location.to_string() != "phone-line" {
                failures.push(format!(
                    "seed {seed}: {:?} {} at {}: {}",
                    s.direction, s.kind, s.location, s.summary
                ));
            }
        }
        let better = compare(&journey, &log, month((2026, 4)), month((2026, 5)));
        assert!(
            better
                .changes
                .iter()
                .any(|s| s.direction == Direction::Better
                    && s.kind == FrictionKind::LongWait
                    && s.location.to_string() == "phone-line"),
            "seed {seed}:{}",
            describe(&better)
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn two_healthy_months_differ_in_nothing() {
    let journey = shop::shop();
    for seed in 0..20 {
        let log = log_of(&journey, &behaviour(), seed);
        let same = compare(&journey, &log, month((2026, 2)), month((2026, 3)));
        assert!(same.changes.is_empty(), "seed {seed}:{}", describe(&same));
        assert!(same.appeared.is_empty() && same.resolved.is_empty());
        assert!(same.tests > 500, "{}", same.tests);
    }
}

#[test]
fn a_change_reads_as_a_sentence_with_both_values() {
    let journey = shop::shop();
    let log = log_of(&journey, &understaffed_april(), 42);
    let c = compare(&journey, &log, month((2026, 3)), month((2026, 4)));
    assert_eq!(c.before.period.label, "March 2026");
    assert!(c.before.customers > 1_000 && c.after.customers > 1_000);
    let wait = c
        .changes
        .iter()
        .find(|s| s.kind == FrictionKind::LongWait && s.persona.is_none())
        .unwrap_or_else(|| panic!("{}", describe(&c)));
    assert!(
        wait.summary
            .starts_with("Typical waits at Phone line rose from "),
        "{}",
        wait.summary
    );
    assert!(
        wait.summary
            .ends_with(" between March 2026 and April 2026."),
        "{}",
        wait.summary
    );
    assert!(wait.before.value < 60.0 && wait.after.value > 200.0);
    assert!(
        wait.before.interval.low <= wait.before.value
            && wait.before.value <= wait.before.interval.high
    );
    assert!(wait.before.sample_size >= 30 && wait.after.sample_size >= 30);
    assert!(wait.q <= 0.05);
    // The phone line's long wait was not a whole-period friction point in March: it appeared.
    assert!(
        c.appeared
            .iter()
            .any(|p| p.kind == FrictionKind::LongWait && p.location.to_string() == "phone-line"),
        "{:?}",
        c.appeared
    );
    // And the other way round it resolved.
    let back = compare(&journey, &log, month((2026, 4)), month((2026, 5)));
    assert!(
        back.resolved
            .iter()
            .any(|p| p.kind == FrictionKind::LongWait && p.location.to_string() == "phone-line"),
        "{:?}",
        back.resolved
    );
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["before"]["period"]["label"], "March 2026");
    assert!(json["changes"][0]["before"]["value"].is_number());
}

#[test]
fn bad_periods_are_errors() {
    let journey = shop::shop();
    let log = log_of(&journey, &behaviour(), 1);
    let observation = Observation::new(&journey, &log).unwrap();
    let config = FrictionConfig::default();
    let backward = Period::new(t("2026-04-01T00:00:00Z"), t("2026-03-01T00:00:00Z"));
    assert_eq!(
        observation
            .compare_periods(&Selection::all(), &backward, &month((2026, 4)), &config)
            .unwrap_err()
            .to_string(),
        "period 2026-04-01..2026-04-01 ends before it starts"
    );
    let empty = month((2025, 1));
    assert!(matches!(
        observation.compare_periods(&Selection::all(), &empty, &month((2026, 2)), &config),
        Err(OverTimeError::EmptyPeriod { label }) if label == "January 2025"
    ));
}

#[test]
fn trends_show_the_change_in_its_month_and_add_up() {
    let journey = shop::shop();
    let log = log_of(&journey, &understaffed_april(), 5);
    let observation = Observation::new(&journey, &log).unwrap();
    let trends = observation
        .trends(
            &Selection::all(),
            &Calendar::new(Granularity::Month),
            &FrictionConfig::default(),
        )
        .unwrap();
    assert_eq!(trends.granularity, Granularity::Month);
    assert_eq!(trends.buckets.len(), trends.journey.len());
    // Every customer is in exactly one month.
    let total: u64 = trends.journey.iter().map(|p| p.customers).sum();
    assert_eq!(total, 20_000);
    let interactions: u64 = trends.journey.iter().map(|p| p.interactions).sum();
    assert_eq!(interactions as usize, log.len());
    // The phone line's typical wait peaks in April (the fourth month), by far.
    let phone = trends
        .series(
            &TrendGroup::Touchpoint("phone-line".into()),
            TrendMeasure::Friction(FrictionKind::LongWait),
        )
        .unwrap();
    let april = trends
        .buckets
        .iter()
        .position(|b| b.start == t("2026-04-01T00:00:00Z"))
        .unwrap();
    let values: Vec<f64> = phone
        .values
        .iter()
        .map(|v| v.value.unwrap_or(0.0))
        .collect();
    for (i, v) in values.iter().enumerate() {
        if i != april {
            assert!(values[april] > 3.0 * v, "{values:?}");
        }
    }
    let v = phone.values[april];
    let interval = v.interval.unwrap();
    assert!(interval.low <= v.value.unwrap() && v.value.unwrap() <= interval.high);
    assert!(v.sample_size >= 30);
    // The phone channel's series shows it too; persona and stage series exist.
    assert!(
        trends
            .series(
                &TrendGroup::Channel(Channel::Phone),
                TrendMeasure::Friction(FrictionKind::LongWait)
            )
            .is_some()
    );
    assert!(
        trends
            .series(
                &TrendGroup::Persona(Some("browser".into())),
                TrendMeasure::Customers
            )
            .is_some()
    );
    assert!(
        trends
            .series(
                &TrendGroup::Stage("support".into()),
                TrendMeasure::Interactions
            )
            .is_some()
    );
    // Conversion per persona and per touchpoint, with sample sizes that add up for personas.
    let persona_customers: u64 = [
        Some("browser"),
        Some("mobile-first"),
        Some("store-regular"),
        None,
    ]
    .into_iter()
    .map(|p| {
        let s = trends
            .series(
                &TrendGroup::Persona(p.map(Into::into)),
                TrendMeasure::Conversion,
            )
            .unwrap();
        assert!(
            s.values
                .iter()
                .all(|v| v.value.is_none_or(|x| (0.0..=1.0).contains(&x)))
        );
        s.values.iter().map(|v| v.sample_size).sum::<u64>()
    })
    .sum();
    assert_eq!(persona_customers, 20_000);
    let journey_conversion = trends
        .series(&TrendGroup::Journey, TrendMeasure::Conversion)
        .unwrap();
    for (v, point) in journey_conversion.values.iter().zip(&trends.journey) {
        assert_eq!(v.value, point.conversion.map(|r| r.value));
    }
    assert!(
        trends
            .series(
                &TrendGroup::Touchpoint("pay".into()),
                TrendMeasure::Conversion
            )
            .unwrap()
            .values
            .iter()
            .all(|v| v.value.is_some_and(|x| x > 0.5))
    );
    // Touchpoint interaction series add up to the journey's.
    let by_touchpoint: u64 = journey
        .touchpoints()
        .iter()
        .map(|tp| {
            trends
                .series(
                    &TrendGroup::Touchpoint(tp.id.clone()),
                    TrendMeasure::Interactions,
                )
                .unwrap()
                .values
                .iter()
                .map(|v| v.sample_size)
                .sum::<u64>()
        })
        .sum();
    assert_eq!(by_touchpoint, interactions);
}
