//! Sessions split a customer's history into journeys; segments other than the persona may
//! change from one interaction to the next, and every analysis selects by them.

use journey_map::analysis::{MetricsReport, Observation, Selection, SelectionError};
use journey_map::interactions::Mapping;
use journey_map::{
    IngestOptions, IngestReport, IngestWarning, Interaction, InteractionLog, Journey, LogBuilder,
    Mode, Outcome,
};
use proptest::prelude::*;

fn bank() -> Journey {
    Journey::load("examples/data/retail_bank.ron").unwrap()
}

fn at(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

fn visit(customer: &str, touchpoint: &str, time: &str) -> Interaction {
    Interaction::new(customer, touchpoint, at(time), Outcome::Completed)
}

fn build(journey: &Journey, options: IngestOptions, records: &[Interaction]) -> InteractionLog {
    let mut builder = LogBuilder::new(journey, options);
    builder.extend(records).unwrap();
    let (log, report) = builder.finish();
    assert_eq!(report.rejected_count(), 0, "no row is dropped");
    log
}

#[test]
fn an_inactivity_gap_splits_a_history_into_journeys() {
    let journey = bank();
    let records = [
        visit("a", "search-ad", "2026-01-05T09:00:00Z"),
        visit("a", "product-page", "2026-01-05T09:20:00Z"),
        // 3 days later: a second visit.
        visit("a", "product-page", "2026-01-08T10:00:00Z"),
        visit("a", "online-application", "2026-01-08T10:29:00Z"),
        visit("b", "search-ad", "2026-01-05T11:00:00Z"),
    ];
    let whole = build(&journey, IngestOptions::default(), &records);
    assert_eq!((whole.customers().len(), whole.journey_count()), (2, 2));

    let split = build(
        &journey,
        IngestOptions::default().inactivity_gap_seconds(30 * 60),
        &records,
    );
    assert_eq!((split.customers().len(), split.journey_count()), (2, 3));
    let a = split.customer_index("a").unwrap();
    let lengths: Vec<usize> = split
        .journeys_of(a)
        .map(|j| split.journey_interactions(j).len())
        .collect();
    assert_eq!(lengths, [2, 2]);
    for j in split.journeys_of(a) {
        assert_eq!(split.journey_customer(j), Some(a));
    }

    // Each journey is a path; distinct customers stay distinct customers.
    let metrics =
        MetricsReport::compute(&journey, &split, &Selection::all(), Default::default()).unwrap();
    assert_eq!(
        (metrics.journey.customers, metrics.journey.journeys),
        (2, 3)
    );
    let whole_metrics =
        MetricsReport::compute(&journey, &whole, &Selection::all(), Default::default()).unwrap();
    assert_eq!(
        (
            whole_metrics.journey.customers,
            whole_metrics.journey.journeys
        ),
        (2, 2)
    );
    let mut paths = Vec::new();
    Observation::new(&journey, &split)
        .unwrap()
        .for_each_customer(&Selection::all(), Default::default(), |path| {
            paths.push((path.customer_id().to_string(), path.len()));
        })
        .unwrap();
    assert_eq!(
        paths,
        [("a".into(), 2), ("a".into(), 2), ("b".to_string(), 1)]
    );
}

#[test]
fn a_session_column_splits_where_the_session_changes() {
    let journey = bank();
    let records = [
        visit("a", "search-ad", "2026-01-05T09:00:00Z").with_session("s1"),
        visit("a", "product-page", "2026-01-05T09:01:00Z").with_session("s1"),
        // No session on this row: it continues the one before.
        visit("a", "comparison-tool", "2026-01-05T09:02:00Z"),
        visit("a", "product-page", "2026-01-05T09:03:00Z").with_session("s2"),
    ];
    let log = build(&journey, IngestOptions::default(), &records);
    assert_eq!(log.journey_count(), 2);
    let a = log.customer_index("a").unwrap();
    let lengths: Vec<usize> = log
        .journeys_of(a)
        .map(|j| log.journey_interactions(j).len())
        .collect();
    assert_eq!(lengths, [3, 1]);
}

#[test]
fn repeat_contacts_count_across_a_customers_journeys() {
    let journey = bank();
    // The same need raised in two visits two days apart: a repeat contact at the first.
    let records = [
        visit("a", "support-line", "2026-01-05T09:00:00Z").with_need("card"),
        visit("a", "support-line", "2026-01-07T09:00:00Z").with_need("card"),
        visit("b", "support-line", "2026-01-05T09:00:00Z").with_need("card"),
    ];
    let repeat = |log: &InteractionLog| {
        let report =
            MetricsReport::compute(&journey, log, &Selection::all(), Default::default()).unwrap();
        let line = report
            .by_touchpoint
            .iter()
            .find(|k| k.key.as_str() == "support-line")
            .unwrap();
        line.metrics.repeat_contact.unwrap().successes
    };
    let whole = build(&journey, IngestOptions::default(), &records);
    let split = build(
        &journey,
        IngestOptions::default().inactivity_gap_seconds(3_600),
        &records,
    );
    assert_eq!(split.journey_count(), 3);
    assert_eq!(repeat(&whole), 1);
    assert_eq!(repeat(&split), 1, "the later journey's contact is seen");
}

#[test]
fn a_segment_that_changes_between_visits_drops_no_row_and_each_journey_carries_its_own() {
    let journey = bank();
    let records = [
        visit("a", "search-ad", "2026-01-05T09:00:00Z")
            .with_segment("lifecycle", "new")
            .with_persona("digital-native"),
        visit("a", "product-page", "2026-01-05T09:05:00Z").with_segment("lifecycle", "new"),
        visit("a", "product-page", "2026-02-05T09:00:00Z")
            .with_segment("lifecycle", "returning")
            .with_persona("branch-loyalist"),
        visit("a", "online-application", "2026-03-05T09:00:00Z").with_segment("lifecycle", "loyal"),
        visit("b", "search-ad", "2026-01-05T09:00:00Z").with_segment("lifecycle", "new"),
    ];
    let log = build(
        &journey,
        IngestOptions::default().inactivity_gap_seconds(30 * 60),
        &records,
    );
    assert_eq!(log.len(), 5);
    let a = log.customer_index("a").unwrap();
    let carried: Vec<_> = log
        .journeys_of(a)
        .map(|j| log.journey_segment(j, "lifecycle").unwrap().to_owned())
        .collect();
    assert_eq!(carried, ["new", "returning", "loyal"]);
    let personas: Vec<_> = log
        .journeys_of(a)
        .map(|j| {
            log.journey_persona(j)
                .map(|p| journey.personas()[p.index()].id.to_string())
        })
        .collect();
    assert_eq!(
        personas,
        [
            Some("digital-native".into()),
            Some("branch-loyalist".into()),
            None
        ]
    );

    let segments = log.segments();
    assert_eq!(segments.len(), 1);
    assert_eq!(segments[0].values, ["new", "returning", "loyal"]);

    // Every analysis selects by segment.
    let new = Selection::all().segment("lifecycle", "new");
    let report = MetricsReport::compute(&journey, &log, &new, Default::default()).unwrap();
    assert_eq!((report.journey.customers, report.journey.journeys), (2, 2));
    let either = new.clone().segment("lifecycle", "loyal");
    let report = MetricsReport::compute(&journey, &log, &either, Default::default()).unwrap();
    assert_eq!(report.journey.journeys, 3);
    let loyalists = Selection::all().persona("branch-loyalist");
    let report = MetricsReport::compute(&journey, &log, &loyalists, Default::default()).unwrap();
    assert_eq!(report.journey.journeys, 1);
}

#[test]
fn a_selection_naming_an_unknown_segment_or_value_is_an_error_with_a_suggestion() {
    let journey = bank();
    let log = build(
        &journey,
        IngestOptions::default(),
        &[visit("a", "search-ad", "2026-01-05T09:00:00Z").with_segment("platform", "ios")],
    );
    let error = MetricsReport::compute(
        &journey,
        &log,
        &Selection::all().segment("platfrom", "ios"),
        Default::default(),
    )
    .unwrap_err();
    assert!(matches!(error, SelectionError::UnknownSegment { .. }));
    assert_eq!(
        error.to_string(),
        "the log has no segment \"platfrom\" (did you mean \"platform\"?)"
    );
    let error = MetricsReport::compute(
        &journey,
        &log,
        &Selection::all().segment("platform", "iOS"),
        Default::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no journey carries \"iOS\" for segment \"platform\" (did you mean \"ios\"?)"
    );
}

#[test]
fn a_segment_that_changes_on_every_row_is_a_warning() {
    let journey = bank();
    let mut records = Vec::new();
    for c in 0..5 {
        for i in 0..6 {
            records.push(
                visit(
                    &format!("c{c}"),
                    "product-page",
                    &format!("2026-01-05T09:0{i}:00Z"),
                )
                .with_segment("platform", format!("event-{i}")),
            );
        }
    }
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    builder.extend(&records).unwrap();
    let (_, report) = builder.finish();
    assert_eq!(
        report.warnings,
        [IngestWarning::SegmentChangesOnEveryRow {
            segment: "platform".into(),
            pairs: 25
        }]
    );
    assert!(
        report.warnings[0]
            .to_string()
            .contains("is its column a segment?")
    );
    assert_eq!((report.customers, report.journeys), (5, 5));
}

/// The bank sample with a platform segment (a third of customers each on ios, android and
/// web) in which the online application fails for most android journeys only.
fn bank_with_an_android_failure(journey: &Journey) -> InteractionLog {
    let mut reader = csv::Reader::from_path("examples/data/retail_bank.interactions.csv").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    for (i, r) in rows.iter().enumerate() {
        let customer: usize = r[0][1..].parse().unwrap();
        let platform = ["ios", "android", "web"][customer % 3];
        let segments = [("platform", platform)];
        let mut outcome: Outcome = r[4].parse().unwrap();
        if platform == "android" && &r[1] == "online-application" && i % 5 < 4 {
            outcome = Outcome::Failed;
        }
        let record = journey_map::Record::new(
            &r[0],
            &r[1],
            r[2].parse::<jiff::Timestamp>().unwrap().as_millisecond(),
            outcome,
        )
        .with_segments(&segments);
        let mut record = record;
        record.persona = Some(&r[3]).filter(|p| !p.is_empty());
        builder.push_record(&record).unwrap();
    }
    builder.finish().0
}

#[test]
fn the_friction_lens_breaks_down_by_a_segment_and_names_the_value_that_suffers_alone() {
    use journey_map::analysis::{DetectFriction, FrictionConfig, FrictionKind};
    let journey = bank();
    let log = bank_with_an_android_failure(&journey);
    let config = FrictionConfig::default().segment_lens("platform");
    let report = journey
        .detect_friction(&log, &Selection::all(), &config)
        .unwrap();
    let failure = report
        .points
        .iter()
        .find(|p| {
            p.kind == FrictionKind::Failure
                && p.location.touchpoint().map(|t| t.as_str()) == Some("online-application")
        })
        .expect("the android failure is found");
    let segment = failure.segment.as_ref().expect("android's alone");
    assert_eq!(
        (segment.segment.as_str(), segment.value.as_str()),
        ("platform", "android")
    );
    assert_eq!(failure.persona, None);
    assert!(
        failure
            .summary
            .contains("customers whose platform is android"),
        "{}",
        failure.summary
    );
    // No point names another platform for it.
    assert!(!report.points.iter().any(|p| {
        p.location.touchpoint().map(|t| t.as_str()) == Some("online-application")
            && p.kind == FrictionKind::Failure
            && p.segment.as_ref().is_some_and(|s| s.value != "android")
    }));

    // The persona lens sees it as everyone's (a third of all customers fail), with each
    // persona's measure in the evidence.
    let by_persona = journey
        .detect_friction(&log, &Selection::all(), &FrictionConfig::default())
        .unwrap();
    let everyone = by_persona
        .points
        .iter()
        .find(|p| {
            p.kind == FrictionKind::Failure
                && p.location.touchpoint().map(|t| t.as_str()) == Some("online-application")
        })
        .expect("found under the persona lens too");
    assert!(everyone.segment.is_none());

    // Selecting android journeys alone finds it for everyone selected.
    let android = Selection::all().segment("platform", "android");
    let report = journey.detect_friction(&log, &android, &config).unwrap();
    assert!(report.points.iter().any(|p| p.kind == FrictionKind::Failure
        && p.location.touchpoint().map(|t| t.as_str()) == Some("online-application")));

    // A lens on a segment the log lacks is an error with a suggestion.
    let error = journey
        .detect_friction(
            &log,
            &Selection::all(),
            &FrictionConfig::default().segment_lens("platfrom"),
        )
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the log has no segment \"platfrom\" (did you mean \"platform\"?)")
            || std::error::Error::source(&error)
                .is_some_and(|s| s.to_string().contains("did you mean \"platform\"")),
        "{error}"
    );
}

/// A log and its report, from records attached one by one in the order given.
fn attach_in_turn(
    journey: &Journey,
    options: IngestOptions,
    records: &[Interaction],
) -> (InteractionLog, IngestReport) {
    let mut builder = LogBuilder::new(journey, options);
    for record in records {
        builder.push(record).unwrap();
    }
    builder.finish()
}

/// The records in the log's order: customers in order of first appearance, each one's by
/// time (a stable sort, as finishing a log sorts).
fn in_log_order(records: &[Interaction]) -> Vec<Interaction> {
    let mut first_seen: Vec<&str> = Vec::new();
    for r in records {
        if !first_seen.contains(&r.customer.as_str()) {
            first_seen.push(r.customer.as_str());
        }
    }
    let rank = |r: &Interaction| first_seen.iter().position(|c| *c == r.customer.as_str());
    let mut sorted = records.to_vec();
    sorted.sort_by_key(|r| (rank(r), r.timestamp));
    sorted
}

proptest! {
    /// Finishing splits journeys and looks for mistakes customer by customer as records come
    /// in the log's order, or in one pass after sorting when they do not: the log and its
    /// warnings are the same either way, with sessions, segments that appear part way
    /// through, personas, needs and an inactivity gap.
    #[test]
    fn a_log_does_not_depend_on_the_order_its_records_come_in(
        records in proptest::collection::vec(
            (
                0..5_usize,
                0..6_usize,
                0..400_i64,
                proptest::option::of(0..2_u8),
                proptest::option::of(0..3_u8),
                proptest::option::of(0..2_u8),
                proptest::option::of(0..3_u8),
            ),
            0..60,
        ),
        gap in proptest::option::of(60..3_000_u64),
    ) {
        let journey = bank();
        let touchpoints = ["search-ad", "product-page", "online-application", "chatbot", "support-line", "account-opened"];
        let records: Vec<Interaction> = records
            .into_iter()
            .map(|(c, t, minute, persona, session, platform, need)| {
                let mut r = Interaction::new(
                    format!("c{c}"),
                    touchpoints[t],
                    at("2026-01-05T00:00:00Z") + jiff::SignedDuration::from_mins(minute),
                    Outcome::Completed,
                );
                if let Some(p) = persona {
                    r = r.with_persona(journey.personas()[usize::from(p)].id.clone());
                }
                if let Some(s) = session {
                    r = r.with_session(format!("s{s}"));
                }
                if let Some(p) = platform {
                    r = r.with_segment("platform", ["ios", "android"][usize::from(p)]);
                }
                if let Some(n) = need {
                    r = r.with_need(format!("n{n}"));
                }
                r
            })
            .collect();
        let options = gap.map_or(IngestOptions::default(), |g| IngestOptions::default().inactivity_gap_seconds(g));
        let given = attach_in_turn(&journey, options, &records);
        let ordered = attach_in_turn(&journey, options, &in_log_order(&records));
        // Values are interned in order of appearance: compare what the logs say.
        prop_assert_eq!(journeys(&given.0), journeys(&ordered.0));
        prop_assert_eq!(&given.1, &ordered.1);
        prop_assert_eq!(given.0.len(), records.len());
    }
}

/// One journey as the log gives it: customer, persona, platform, and each interaction's
/// touchpoint, time and need.
type JourneyView = (
    String,
    Option<String>,
    Option<String>,
    Vec<(String, i64, Option<String>)>,
);

/// Every journey of a log, in the log's order.
fn journeys(log: &InteractionLog) -> Vec<JourneyView> {
    let journey = bank();
    (0..log.journey_count() as u32)
        .map(|j| {
            let j = journey_map::JourneyIndex::from_u32(j);
            let customer = log.journey_customer(j).unwrap();
            (
                log.customer_id(customer).unwrap().to_owned(),
                log.journey_persona(j)
                    .map(|p| journey.personas()[p.index()].id.to_string()),
                log.journey_segment(j, "platform").map(str::to_owned),
                log.journey_interactions(j)
                    .map(|i| {
                        let touchpoint =
                            journey.touchpoints()[i.touchpoint().index()].id.to_string();
                        (touchpoint, i.timestamp_ms(), i.need().map(str::to_owned))
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn an_inactivity_gap_set_by_a_mapping_after_records_came_in_order_still_splits() {
    let journey = bank();
    let records = [
        visit("a", "search-ad", "2026-01-05T09:00:00Z"),
        visit("a", "product-page", "2026-01-08T09:00:00Z"),
        visit("b", "search-ad", "2026-01-05T11:00:00Z"),
        visit("b", "product-page", "2026-01-05T11:10:00Z"),
        visit("c", "search-ad", "2026-01-05T11:00:00Z"),
    ];
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.extend(&records).unwrap();
    let builder = builder
        .mapping(Mapping::new().inactivity_gap_seconds(86_400))
        .unwrap();
    let (log, _) = builder.finish();
    // a's visits are three days apart: two journeys; b's ten minutes apart: one.
    assert_eq!(log.journey_count(), 4);
    let a = log.customer_index("a").unwrap();
    assert_eq!(log.journeys_of(a).len(), 2);
}
