//! Interaction records attached to a journey: checking, interning, ordering, strict and lenient
//! modes, and CSV ingestion.

use journey_map::interactions::{Field, HeaderProblem, RecordError, RecordProblem};
use journey_map::{
    EffortDirection, IngestError, IngestOptions, Interaction, Journey, LogBuilder, Mode, Outcome,
    Scales, ScoreScale, UnixUnit,
};

fn bank() -> Journey {
    Journey::load("examples/data/retail_bank.ron").unwrap()
}

fn at(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

fn record(customer: &str, touchpoint: &str, time: &str) -> Interaction {
    Interaction::new(customer, touchpoint, at(time), Outcome::Completed)
}

fn strict_error(journey: &Journey, interaction: Interaction) -> RecordError {
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    match builder.push(interaction) {
        Err(IngestError::Record(error)) => error,
        other => panic!("expected a record error, got {other:?}"),
    }
}

#[test]
fn records_are_interned_and_ordered_per_customer_by_time() {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder
        .extend([
            record("b", "chatbot", "2026-01-01T10:05:00Z"),
            record("a", "online-application", "2026-01-01T09:10:00Z"),
            record("b", "search-ad", "2026-01-01T10:00:00Z").with_persona("digital-native"),
            record("a", "search-ad", "2026-01-01T09:00:00Z"),
            // Same time as the one before it for customer a: input order is kept.
            record("a", "product-page", "2026-01-01T09:00:00Z"),
        ])
        .unwrap();
    let (log, report) = builder.finish();
    assert_eq!(
        (log.len(), report.accepted, report.rejected_count()),
        (5, 5, 0)
    );
    assert_eq!(
        log.customers(),
        ["b", "a"].map(journey_map::CustomerId::new)
    );
    let order: Vec<(&str, &str)> = log
        .interactions()
        .map(|i| {
            (
                i.customer_id(),
                journey.touchpoint_at(i.touchpoint()).unwrap().id.as_str(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("b", "search-ad"),
            ("b", "chatbot"),
            ("a", "search-ad"),
            ("a", "product-page"),
            ("a", "online-application"),
        ]
    );
    let b = log.customer_index("b").unwrap();
    assert_eq!(log.persona_of(b), journey.persona_index("digital-native"));
    assert_eq!(log.customer_interactions(b).len(), 2);
    assert!(
        log.customer_interactions(b)
            .all(|i| i.persona() == journey.persona_index("digital-native"))
    );
    assert_eq!(log.persona_of(log.customer_index("a").unwrap()), None);
    assert_eq!(log.customer_index("zz"), None);
    assert_eq!(log.touchpoint_count(), journey.touchpoints().len());
}

#[test]
fn every_field_comes_back_as_attached() {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder
        .push(
            Interaction::new(
                "c",
                "support-line",
                at("2026-03-02T09:15:00.250Z"),
                Outcome::Escalated,
            )
            .with_persona("branch-loyalist")
            .with_wait_seconds(340.5)
            .with_handling_seconds(0.0)
            .with_csat(4)
            .with_ces(7)
            .with_nps(0)
            .with_sentiment(-0.5)
            .with_resolved(false)
            .with_need("card")
            .with_tag("vip")
            .with_tag("angry")
            .with_tag("vip"),
        )
        .unwrap();
    builder
        .push(record("c", "mobile-banking", "2026-03-03T00:00:00Z"))
        .unwrap();
    let (log, _) = builder.finish();
    let first = log.interactions().next().unwrap();
    assert_eq!(first.timestamp(), at("2026-03-02T09:15:00.250Z"));
    assert_eq!(first.outcome(), Outcome::Escalated);
    assert_eq!(first.wait_seconds(), Some(340.5));
    assert_eq!(first.handling_seconds(), Some(0.0));
    assert_eq!(
        (first.csat(), first.ces(), first.nps()),
        (Some(4), Some(7), Some(0))
    );
    assert_eq!(first.sentiment(), Some(-0.5));
    assert_eq!(first.resolved(), Some(false));
    assert_eq!(first.need(), Some("card"));
    assert_eq!(first.tags().collect::<Vec<_>>(), ["vip", "angry"]);
    let second = log.interactions().nth(1).unwrap();
    assert_eq!(
        (
            second.wait_seconds(),
            second.csat(),
            second.sentiment(),
            second.resolved()
        ),
        (None, None, None, None)
    );
    assert_eq!((second.need(), second.tags().count()), (None, 0));
}

#[test]
fn each_bad_field_is_an_error_naming_row_field_and_reason() {
    let journey = bank();
    let base = || record("c", "chatbot", "2026-01-01T00:00:00Z");
    let cases: Vec<(Interaction, Option<Field>, &str)> = vec![
        (
            record(" ", "chatbot", "2026-01-01T00:00:00Z"),
            Some(Field::Customer),
            "the customer id is empty",
        ),
        (
            record("c", "chatbto", "2026-01-01T00:00:00Z"),
            Some(Field::Touchpoint),
            "unknown touchpoint \"chatbto\" (did you mean \"chatbot\"?)",
        ),
        (
            base().with_persona("digital-natve"),
            Some(Field::Persona),
            "unknown persona \"digital-natve\" (did you mean \"digital-native\"?)",
        ),
        (
            base().with_csat(0),
            Some(Field::Csat),
            "score 0 is outside the scale 1..=5",
        ),
        (
            base().with_ces(8),
            Some(Field::Ces),
            "score 8 is outside the scale 1..=7",
        ),
        (
            base().with_nps(11),
            Some(Field::Nps),
            "score 11 is outside the scale 0..=10",
        ),
        (
            base().with_sentiment(1.5),
            Some(Field::Sentiment),
            "sentiment 1.5 is outside -1..=1",
        ),
        (
            base().with_sentiment(f64::NAN),
            Some(Field::Sentiment),
            "sentiment NaN is outside -1..=1",
        ),
        (
            base().with_wait_seconds(-1.0),
            Some(Field::WaitSeconds),
            "duration -1 s is negative",
        ),
        (
            base().with_handling_seconds(f64::INFINITY),
            Some(Field::HandlingSeconds),
            "inf is not a finite number",
        ),
        (
            base().with_wait_seconds(f64::NAN),
            Some(Field::WaitSeconds),
            "NaN is not a finite number",
        ),
        (
            base().with_wait_seconds(5.0e6),
            Some(Field::WaitSeconds),
            "duration 5000000 s is longer than the 49 days a log stores",
        ),
    ];
    for (interaction, field, reason) in cases {
        let error = strict_error(&journey, interaction);
        assert_eq!(error.row, 1);
        assert_eq!(error.field, field, "{reason}");
        assert_eq!(error.problem.to_string(), reason);
    }
}

#[test]
fn a_persona_that_changes_keeps_every_row_and_the_journey_carries_the_first() {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder
        .push(record("c", "chatbot", "2026-01-01T01:00:00Z"))
        .unwrap();
    builder
        .push(record("c", "chatbot", "2026-01-01T02:00:00Z").with_persona("branch-loyalist"))
        .unwrap();
    // Given later in the file but earlier in time: the first value in time wins.
    builder
        .push(record("c", "chatbot", "2026-01-01T00:30:00Z").with_persona("digital-native"))
        .unwrap();
    let (log, report) = builder.finish();
    assert_eq!((log.len(), report.rejected_count()), (3, 0));
    let c = log.customer_index("c").unwrap();
    let only = log.journeys_of(c).next().unwrap();
    assert_eq!(
        log.journey_persona(only),
        journey.persona_index("digital-native")
    );
    assert_eq!(log.persona_of(c), journey.persona_index("digital-native"));
}

#[test]
fn strict_mode_stops_at_the_first_bad_record_and_lenient_mode_lists_them_all() {
    let journey = bank();
    let batch = || {
        vec![
            record("a", "chatbot", "2026-01-01T00:00:00Z"),
            record("a", "nowhere", "2026-01-01T00:01:00Z"),
            record("b", "chatbot", "2026-01-01T00:02:00Z").with_csat(6),
            record("b", "chatbot", "2026-01-01T00:03:00Z"),
        ]
    };
    let mut strict = LogBuilder::new(&journey, IngestOptions::default());
    let error = strict.extend(batch()).unwrap_err();
    assert!(
        matches!(&error, IngestError::Record(RecordError { row: 2, .. })),
        "{error}"
    );
    let (log, report) = strict.finish();
    assert_eq!(
        (log.len(), report.accepted),
        (1, 1),
        "the record before the error stays"
    );

    let mut lenient = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    lenient.extend(batch()).unwrap();
    let (log, report) = lenient.finish();
    assert_eq!(
        (log.len(), report.accepted, report.rejected_count()),
        (2, 2, 2)
    );
    let rows: Vec<(usize, Option<Field>)> =
        report.rejected.iter().map(|r| (r.row, r.field)).collect();
    assert_eq!(rows, [(2, Some(Field::Touchpoint)), (3, Some(Field::Csat))]);
}

#[test]
fn scales_are_explicit_settings() {
    let journey = bank();
    let scales = Scales::default()
        .with_csat(ScoreScale::new(1, 7).unwrap())
        .with_ces(
            ScoreScale::new(1, 5).unwrap(),
            EffortDirection::HigherIsHarder,
        )
        .with_sentiment(-2.0, 2.0)
        .unwrap();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().scales(scales));
    builder
        .push(
            record("c", "chatbot", "2026-01-01T00:00:00Z")
                .with_csat(7)
                .with_ces(5)
                .with_sentiment(-2.0),
        )
        .unwrap();
    let error = builder
        .push(record("c", "chatbot", "2026-01-01T00:00:00Z").with_ces(6))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "row 2, column ces: score 6 is outside the scale 1..=5"
    );
    let (log, _) = builder.finish();
    assert_eq!(
        log.scales().effort_direction(),
        EffortDirection::HigherIsHarder
    );

    assert!(ScoreScale::new(5, 1).is_none());
    assert!(Scales::default().with_sentiment(1.0, -1.0).is_none());
    assert!(Scales::default().with_sentiment(f64::NAN, 1.0).is_none());
    let parsed: Scales =
        ron::from_str("(csat: (min: 0, max: 10), effort_direction: HigherIsHarder)").unwrap();
    assert_eq!(parsed.csat().max(), 10);
    assert!(ron::from_str::<Scales>("(csat: (min: 5, max: 1))").is_err());
    assert!(ron::from_str::<Scales>("(sentiment_min: 1.0, sentiment_max: 0.0)").is_err());
    assert!(ron::from_str::<Scales>("(colour: 1)").is_err());
}

const HEADER: &str = "customer,touchpoint,timestamp,outcome,persona,wait_seconds,handling_seconds,csat,ces,nps,sentiment,resolved,need,tags";

fn read(
    csv: &str,
    options: IngestOptions,
) -> Result<(journey_map::InteractionLog, journey_map::IngestReport), IngestError> {
    let journey = Box::leak(Box::new(bank()));
    let mut builder = LogBuilder::new(journey, options);
    builder.read_csv(csv.as_bytes())?;
    Ok(builder.finish())
}

#[test]
fn csv_reads_every_column_and_leaves_empty_cells_absent() {
    let csv = format!(
        "{HEADER}\n\
         c1,chatbot,2026-01-05T10:00:00Z,escalated,digital-native,12.5,30,2,3,6,-0.25,no,need-1,bot|slow\n\
         c1,live-chat-agent,2026-01-05T11:00:00+01:00,Completed,,,,,,,,yes,need-1,\n"
    );
    let (log, report) = read(&csv, IngestOptions::default()).unwrap();
    assert_eq!((log.len(), report.accepted), (2, 2));
    let rows: Vec<_> = log.interactions().collect();
    // 11:00+01:00 is 10:00Z: the same time, so input order decides.
    assert_eq!(rows[0].outcome(), Outcome::Escalated);
    assert_eq!(rows[0].wait_seconds(), Some(12.5));
    assert_eq!(
        (rows[0].csat(), rows[0].ces(), rows[0].nps()),
        (Some(2), Some(3), Some(6))
    );
    assert_eq!(rows[0].tags().collect::<Vec<_>>(), ["bot", "slow"]);
    assert_eq!(rows[0].resolved(), Some(false));
    assert_eq!(rows[1].timestamp(), at("2026-01-05T10:00:00Z"));
    assert_eq!(
        (rows[1].csat(), rows[1].wait_seconds(), rows[1].resolved()),
        (None, None, Some(true))
    );
    assert_eq!(rows[1].persona(), rows[0].persona());
}

#[test]
fn csv_columns_may_come_in_any_order_and_optional_ones_may_be_missing() {
    let csv = "outcome,timestamp,touchpoint,customer\ncompleted,1767607200,chatbot,c1\n";
    let (log, _) = read(csv, IngestOptions::default()).unwrap();
    assert_eq!(
        log.interactions().next().unwrap().timestamp(),
        at("2026-01-05T10:00:00Z")
    );
    let csv = "outcome,timestamp,touchpoint,customer\ncompleted,1767607200000,chatbot,c1\n";
    let (log, _) = read(
        csv,
        IngestOptions::default().unix_unit(UnixUnit::Milliseconds),
    )
    .unwrap();
    assert_eq!(
        log.interactions().next().unwrap().timestamp(),
        at("2026-01-05T10:00:00Z")
    );
}

#[test]
fn csv_header_problems_are_errors() {
    let error = read(
        "customer,touchpoint,timestamp,outcome,cast\n",
        IngestOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&error, IngestError::Header(HeaderProblem::UnknownColumn { suggestion: Some(s), .. }) if s == "csat")
    );
    assert_eq!(
        error.to_string(),
        "bad header: unknown column \"cast\" (did you mean \"csat\"?); the columns read are customer, touchpoint, timestamp, persona, outcome, wait_seconds, handling_seconds, csat, ces, nps, sentiment, resolved, need, tags, session, and a mapping's ignore list leaves others out"
    );
    let error = read("customer,touchpoint,timestamp\n", IngestOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "bad header: required column outcome is missing"
    );
    let error = read(
        "customer,touchpoint,timestamp,outcome,csat,csat\n",
        IngestOptions::default(),
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "bad header: column csat appears twice");
}

#[test]
fn csv_bad_rows_name_line_column_and_reason() {
    let csv = format!(
        "{HEADER}\n\
         c1,chatbot,yesterday,completed,,,,,,,,,,\n\
         c1,chatbot,2026-01-05T10:00:00Z,finished,,,,,,,,,,\n\
         c1,chatbot,2026-01-05T10:00:00Z,completed,,ten,,,,,,,,\n\
         c1,chatbot,2026-01-05T10:00:00Z,completed,,,,4.5,,,,,,\n\
         c1,chatbot,2026-01-05T10:00:00Z,completed,,,,,,,,maybe,,\n\
         c1,chatbot,2026-01-05T10:00:00Z\n\
         ,chatbot,2026-01-05T10:00:00Z,completed,,,,,,,,,,\n\
         c1,chatbot,2026-01-05T10:00:00Z,,,,,,,,,,,\n\
         c1,chatbot,2026-01-05T10:00:00Z,completed,,,,300,,,,,,\n\
         c1,chatbot,2026-01-05T10:00:00Z,completed,,,,,,,,,,\n"
    );
    let error = read(&csv, IngestOptions::default()).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("row 2, column timestamp: \"yesterday\" is neither RFC 3339 nor a number"),
        "{error}"
    );

    let (log, report) = read(&csv, IngestOptions::default().mode(Mode::Lenient)).unwrap();
    assert_eq!(
        (log.len(), report.accepted, report.rejected_count()),
        (1, 1, 9)
    );
    let found: Vec<(usize, Option<Field>)> =
        report.rejected.iter().map(|r| (r.row, r.field)).collect();
    assert_eq!(
        found,
        [
            (2, Some(Field::Timestamp)),
            (3, Some(Field::Outcome)),
            (4, Some(Field::WaitSeconds)),
            (5, Some(Field::Csat)),
            (6, Some(Field::Resolved)),
            (7, None),
            (8, Some(Field::Customer)),
            (9, Some(Field::Outcome)),
            (10, Some(Field::Csat)),
        ]
    );
    assert!(
        report.rejected[1]
            .to_string()
            .contains("unknown outcome \"finished\"")
    );
    assert!(
        report.rejected[5]
            .to_string()
            .contains("3 fields where the header has"),
        "{}",
        report.rejected[5]
    );
    assert_eq!(report.rejected[6].problem, RecordProblem::Missing);
}

#[test]
fn csv_files_that_cannot_be_read_are_errors_naming_the_file() {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let error = builder
        .read_csv_path("examples/data/no-such-log.csv")
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot read interactions from examples/data/no-such-log.csv"
    );
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn push_rows_count_on_after_csv_rows() {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    builder
        .read_csv("customer,touchpoint,timestamp,outcome\nc,chatbot,0,completed\n".as_bytes())
        .unwrap();
    builder
        .push(record("c", "nope", "2026-01-01T00:00:00Z"))
        .unwrap();
    let (_, report) = builder.finish();
    assert_eq!(report.rejected[0].row, 2);
}

#[test]
fn ron_lists_of_interactions_load_like_code() {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    builder
        .read_ron_str(
            r#"[
                (customer: "c1", touchpoint: "chatbot", timestamp: "2026-01-05T10:00:00Z", outcome: Escalated, csat: 2, tags: ["bot"]),
                (customer: "c1", touchpoint: "nowhere", timestamp: "2026-01-05T10:01:00Z", outcome: Completed),
                (customer: "c2", touchpoint: "live-chat-agent", timestamp: "2026-01-05T10:04:00+02:00", outcome: Completed, wait_seconds: Some(30.0), resolved: true),
            ]"#,
            "chat.ron",
        )
        .unwrap();
    let (log, report) = builder.finish();
    assert_eq!((log.len(), report.rejected_count()), (2, 1));
    assert_eq!(report.rejected[0].row, 2);
    let c2 = log.customer_index("c2").unwrap();
    let first = log.customer_interactions(c2).next().unwrap();
    assert_eq!(first.timestamp(), at("2026-01-05T08:04:00Z"));
    assert_eq!(first.wait_seconds(), Some(30.0));
}

#[test]
fn malformed_ron_is_an_error_with_line_and_column_and_attaches_nothing() {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let error = builder
        .read_ron_str(
            "[\n  (customer: \"c1\", touchpoint: \"chatbot\", timestamp: \"2026-01-05T10:00:00Z\", outcome: Done),\n]",
            "bad.ron",
        )
        .unwrap_err();
    assert!(
        matches!(&error, IngestError::Syntax { line: 2, .. }),
        "{error}"
    );
    assert!(error.to_string().starts_with("bad.ron:2:"), "{error}");
    assert!(error.to_string().contains("Done"), "{error}");
    let error = builder
        .read_ron_str("[(customer: \"c1\", colour: 1)]", "x.ron")
        .unwrap_err();
    assert!(error.to_string().contains("colour"), "{error}");
    let error = builder
        .read_ron_path("examples/data/missing.ron")
        .unwrap_err();
    assert!(matches!(error, IngestError::Read { .. }));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        builder.read_ron_str(&deep, "deep.ron"),
        Err(IngestError::Syntax { .. })
    ));
    let (log, _) = builder.finish();
    assert!(log.is_empty());
}

#[test]
fn a_refused_record_leaves_no_trace() {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    builder
        .push(record("new", "chatbot", "2026-01-01T00:00:00Z").with_csat(9))
        .unwrap();
    builder
        .push(record("a", "chatbot", "2026-01-01T00:00:00Z").with_persona("digital-native"))
        .unwrap();
    builder
        .push(
            record("a", "chatbot", "2026-01-01T00:01:00Z")
                .with_persona("branch-loyalst")
                .with_need("n"),
        )
        .unwrap();
    let (log, report) = builder.finish();
    assert_eq!(report.rejected_count(), 2);
    assert_eq!(
        log.customers(),
        [journey_map::CustomerId::new("a")],
        "the refused customer is not in the log"
    );
    assert_eq!(
        log.persona_of(log.customer_index("a").unwrap()),
        journey.persona_index("digital-native")
    );
    assert!(
        log.interactions().all(|i| i.need().is_none()),
        "the refused need was not interned into a record"
    );
}

#[test]
fn csv_rows_that_are_not_utf8_are_bad_rows() {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    let mut csv = b"customer,touchpoint,timestamp,outcome\nc1,chatbot,0,completed\n".to_vec();
    csv.extend_from_slice(b"c\xff,chatbot,0,completed\nc2,chatbot,0,completed\n");
    builder.read_csv(csv.as_slice()).unwrap();
    let (log, report) = builder.finish();
    assert_eq!((log.len(), report.rejected_count()), (2, 1));
    assert_eq!(report.rejected[0].row, 3);
    assert!(
        report.rejected[0].to_string().contains("UTF-8"),
        "{}",
        report.rejected[0]
    );
}

/// The bank sample's CSV with bad rows of every kind spread over several batches of rows.
fn sample_with_bad_rows() -> Vec<u8> {
    let sample = std::fs::read_to_string("examples/data/retail_bank.interactions.csv").unwrap();
    let mut lines: Vec<String> = sample.lines().map(str::to_owned).collect();
    let bad = [
        (40, "c000001,chatbot,yesterday,,completed,,,,,,,,,,"),
        (
            1_100,
            "c000002,chatbto,2026-01-05T10:00:00Z,,completed,,,,,,,,,,",
        ),
        (1_101, "c000003,chatbot,2026-01-05T10:00:00Z"),
        (
            2_500,
            "c000004,chatbot,2026-01-05T10:00:00Z,,completed,-5,,,,,,,,,",
        ),
        (
            3_000,
            "c000000,chatbot,2026-01-05T10:00:00Z,branch-loyalst,completed,,,,,,,,,,",
        ),
        (
            4_096,
            "c000005,chatbot,2026-01-05T10:00:00Z,,completed,,,9,,,,,,,",
        ),
        (7_000, "c~not-utf-8~,chatbot,0,,completed,,,,,,,,,,"),
    ];
    for (at, row) in bad.iter().rev() {
        lines.insert(*at, (*row).to_owned());
    }
    let text = lines.join("\n") + "\n";
    let (before, after) = text.split_once("~not-utf-8~").unwrap();
    [before.as_bytes(), b"\xff\xfe", after.as_bytes()].concat()
}

fn read_with(
    journey: &Journey,
    csv: &[u8],
    options: IngestOptions,
) -> (
    Result<(), String>,
    journey_map::InteractionLog,
    journey_map::IngestReport,
) {
    let mut builder = LogBuilder::new(journey, options);
    let result = builder.read_csv(csv).map_err(|e| e.to_string());
    let (log, report) = builder.finish();
    (result, log, report)
}

#[test]
fn csv_read_on_two_threads_gives_what_one_thread_gives() {
    let journey = bank();
    let csv = sample_with_bad_rows();
    for mode in [Mode::Lenient, Mode::Strict] {
        let options = IngestOptions::default().mode(mode);
        let two = read_with(&journey, &csv, options);
        let one = read_with(&journey, &csv, options.parallel(false));
        assert_eq!(two, one, "{mode:?}");
        if mode == Mode::Lenient {
            assert_eq!(two.2.rejected_count(), 7);
            assert_eq!(two.2.accepted, 7_461);
        } else {
            assert!(two.0.unwrap_err().starts_with("row 41, column timestamp"));
            assert_eq!(two.1.len(), 39, "the rows before the bad one stay attached");
        }
    }
    // A strict error far into the file: rows read ahead of it are not attached.
    let late = String::from_utf8_lossy(&sample_with_bad_rows())
        .replacen("yesterday", "2026-01-05T10:00:00Z", 1)
        .into_bytes();
    let options = IngestOptions::default();
    let two = read_with(&journey, &late, options);
    assert_eq!(two, read_with(&journey, &late, options.parallel(false)));
    let error = two.0.unwrap_err();
    assert!(error.starts_with("row 1102, column touchpoint"), "{error}");
    assert_eq!(two.1.len(), 1_100);
}

/// Gives `data` in small pieces, then fails.
struct FailingReader<'a> {
    data: &'a [u8],
}

impl std::io::Read for FailingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.data.is_empty() {
            return Err(std::io::Error::other("disk on fire"));
        }
        let n = buf.len().min(self.data.len()).min(1_000);
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn a_reader_failing_mid_file_is_an_error_after_the_rows_before_it() {
    let journey = bank();
    let csv = std::fs::read("examples/data/retail_bank.interactions.csv").unwrap();
    let part = &csv[..300_000];
    let mut results = Vec::new();
    for parallel in [true, false] {
        let options = IngestOptions::default()
            .mode(Mode::Lenient)
            .parallel(parallel);
        let mut builder = LogBuilder::new(&journey, options);
        let error = builder.read_csv(FailingReader { data: part }).unwrap_err();
        assert!(matches!(error, IngestError::Read { .. }), "{error}");
        assert!(
            std::error::Error::source(&error).is_some_and(|s| s.to_string() == "disk on fire"),
            "{error}"
        );
        results.push(builder.finish());
    }
    assert_eq!(results[0], results[1]);
    let whole_rows = part.iter().filter(|&&b| b == b'\n').count() - 1;
    assert!(results[0].0.len() >= whole_rows - 1 && results[0].0.len() <= whole_rows);
}

/// Patterns that are almost always a mistake in reading the data are warned about, and the
/// data kept; the bundled samples raise none.
#[test]
fn mistakes_in_reading_the_data_are_warned_about() {
    use journey_map::IngestWarning;
    let journey = bank();
    let read = |csv: &str| {
        let mut builder = LogBuilder::new(&journey, IngestOptions::default());
        builder.read_csv(csv.as_bytes()).unwrap();
        builder.finish()
    };
    let header = "customer,touchpoint,timestamp,outcome,need\n";

    // A ticket id as the need key: an opening and a closing row per ticket.
    let mut tickets = String::from(header);
    for c in 0..25 {
        tickets.push_str(&format!(
            "c{c},support-line,2026-01-05T09:{:02}:00Z,completed,t{c}\nc{c},support-line,2026-01-06T09:{:02}:00Z,completed,t{c}\n",
            c % 60,
            c % 60
        ));
    }
    let (log, report) = read(&tickets);
    assert_eq!(log.len(), 50, "the data is kept");
    assert_eq!(
        report.warnings,
        [IngestWarning::NeedsAllTwoContacts { needs: 25 }]
    );
    assert!(
        report.warnings[0]
            .to_string()
            .starts_with("all 25 needs have exactly two contacts")
    );

    // Dates without a time of day: each customer's interactions at one time.
    let mut dates = String::from(header);
    for c in 0..30 {
        let day = 5 + c % 20;
        dates.push_str(&format!(
            "c{c},search-ad,2026-01-{day:02}T00:00:00Z,completed,\nc{c},product-page,2026-01-{day:02}T00:00:00Z,completed,\n"
        ));
    }
    let (_, report) = read(&dates);
    assert_eq!(
        report.warnings,
        [IngestWarning::UnorderedCustomers {
            customers: 30,
            at_one_time: 30
        }]
    );

    // One customer id for everything.
    let mut one = String::from(header);
    for i in 0..120 {
        let who = if i < 100 {
            "everyone".to_owned()
        } else {
            format!("c{i}")
        };
        one.push_str(&format!(
            "{who},search-ad,2026-01-05T{:02}:{:02}:00Z,completed,\n",
            i / 60,
            i % 60
        ));
    }
    let (_, report) = read(&one);
    assert!(
        matches!(&report.warnings[..], [IngestWarning::OneCustomerHoldsMost { customer, interactions: 100, of: 120 }] if customer.as_str() == "everyone"),
        "{:?}",
        report.warnings
    );

    // The samples are clean.
    for (journey, log) in [
        (
            "examples/data/retail_bank.ron",
            "examples/data/retail_bank.interactions.csv",
        ),
        (
            "examples/data/broadband.ron",
            "examples/data/broadband.interactions.csv",
        ),
    ] {
        let journey = Journey::load(journey).unwrap();
        let mut builder = LogBuilder::new(&journey, IngestOptions::default());
        builder.read_csv_path(log).unwrap();
        let (_, report) = builder.finish();
        assert!(report.warnings.is_empty(), "{log}: {:?}", report.warnings);
    }
}

#[test]
fn borrowed_records_give_the_log_owned_interactions_give() {
    let journey = bank();
    let mut reader = csv::Reader::from_path("examples/data/retail_bank.interactions.csv").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let tags: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r[13].split('|').filter(|t| !t.is_empty()).collect())
        .collect();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    for (r, tags) in rows.iter().zip(&tags) {
        let some = |i: usize| Some(&r[i]).filter(|v| !v.is_empty());
        let mut record = journey_map::Record::new(
            &r[0],
            &r[1],
            r[2].parse::<jiff::Timestamp>().unwrap().as_millisecond(),
            r[4].parse().unwrap(),
        )
        .with_tags(tags);
        record.persona = some(3);
        record.wait_seconds = some(5).map(|v| v.parse().unwrap());
        record.handling_seconds = some(6).map(|v| v.parse().unwrap());
        record.csat = some(7).map(|v| v.parse().unwrap());
        record.ces = some(8).map(|v| v.parse().unwrap());
        record.nps = some(9).map(|v| v.parse().unwrap());
        record.sentiment = some(10).map(|v| v.parse().unwrap());
        record.resolved = some(11).map(|v| v.parse().unwrap());
        record.need = some(12);
        builder.push_record(&record).unwrap();
    }
    let (borrowed, _) = builder.finish();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder
        .read_csv_path("examples/data/retail_bank.interactions.csv")
        .unwrap();
    assert_eq!(borrowed, builder.finish().0);

    // A bad borrowed record is refused like an owned one.
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let error = builder
        .push_record(&journey_map::Record::new(
            "c",
            "chatbto",
            0,
            Outcome::Completed,
        ))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "row 1, column touchpoint: unknown touchpoint \"chatbto\" (did you mean \"chatbot\"?)"
    );
}
