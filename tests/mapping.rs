//! Reading exports as they are, through a mapping: columns, values, events, markers, times.

use journey_map::interactions::{
    Field, HeaderProblem, Mapping, MappingProblemKind, Marker, MarkerTarget, TimeFormat,
};
use journey_map::{IngestError, IngestOptions, InteractionLog, Journey, LogBuilder, Mode, Outcome};

fn bank() -> Journey {
    Journey::load("examples/data/retail_bank.ron").unwrap()
}

fn canonical(journey: &Journey) -> InteractionLog {
    let mut builder = LogBuilder::new(journey, IngestOptions::default());
    builder
        .read_csv_path("examples/data/retail_bank.interactions.csv")
        .unwrap();
    builder.finish().0
}

#[test]
fn the_bundled_export_read_through_its_mapping_is_the_sample_log() {
    let journey = bank();
    let mapping = Mapping::load("examples/data/retail_bank.mapping.ron").unwrap();
    for parallel in [true, false] {
        let options = IngestOptions::default().parallel(parallel);
        let mut builder = LogBuilder::new(&journey, options)
            .mapping(mapping.clone())
            .unwrap();
        builder
            .read_csv_path("examples/data/retail_bank.export.csv")
            .unwrap();
        let (log, report) = builder.finish();
        assert_eq!(log, canonical(&journey), "parallel: {parallel}");
        assert_eq!(report.rejected_count(), 0);
        let reasons: Vec<String> = report
            .skipped
            .iter()
            .map(|s| format!("{} x{}", s.reason, s.rows))
            .collect();
        assert_eq!(
            reasons,
            [
                "skipped event \"Page ping\" x187",
                "marker \"Upload rejected\" applied x141"
            ]
        );
    }
}

fn read(
    journey: &Journey,
    mapping: Mapping,
    mode: Mode,
    csv: &str,
) -> Result<(InteractionLog, journey_map::IngestReport), IngestError> {
    let mut builder = LogBuilder::new(journey, IngestOptions::default().mode(mode))
        .mapping(mapping)
        .unwrap();
    builder.read_csv(csv.as_bytes())?;
    Ok(builder.finish())
}

/// A process log: `case_id, activity, timestamp` with local times and no outcome.
fn process_mapping() -> Mapping {
    Mapping::new()
        .column(Field::Customer, "case_id")
        .column(Field::Touchpoint, "activity")
        .default_value(Field::Outcome, "completed")
        .time(TimeFormat::default().zone("America/New_York"))
}

#[test]
fn a_process_log_with_local_times_and_no_outcome_reads_with_a_small_mapping() {
    let journey = bank();
    let csv = "case_id,activity,timestamp\n\
               k1,search-ad,2024-09-28 20:06:59\n\
               k1,product-page,2024-09-28T20:10:00\n";
    let (log, _) = read(&journey, process_mapping(), Mode::Strict, csv).unwrap();
    let times: Vec<String> = log
        .interactions()
        .map(|i| i.timestamp().to_string())
        .collect();
    // New York is four hours behind UTC in September.
    assert_eq!(times, ["2024-09-29T00:06:59Z", "2024-09-29T00:10:00Z"]);
    assert!(
        log.interactions()
            .all(|i| i.outcome() == Outcome::Completed)
    );

    // Without a zone, a local time is refused with the way out in the message.
    let no_zone = Mapping::new()
        .column(Field::Customer, "case_id")
        .column(Field::Touchpoint, "activity")
        .default_value(Field::Outcome, "completed");
    let error = read(&journey, no_zone, Mode::Strict, csv).unwrap_err();
    assert_eq!(
        error.to_string(),
        "row 2, column timestamp: \"2024-09-28 20:06:59\" has no offset from UTC: give the mapping's time zone (time: (zone: \"Europe/London\"))"
    );
}

#[test]
fn a_strftime_format_reads_day_first_dates_and_a_missing_hour_moves_forward() {
    let journey = bank();
    let mapping = process_mapping().time(
        TimeFormat::default()
            .format("%d/%m/%Y %H:%M")
            .zone("Europe/London"),
    );
    // 01:30 on 29 March 2026 does not exist in London (clocks go from 01:00 to 02:00).
    let csv = "case_id,activity,timestamp\n\
               k1,search-ad,05/01/2026 09:30\n\
               k2,search-ad,29/03/2026 01:30\n\
               k3,search-ad,2026-01-05\n";
    let (log, report) = read(&journey, mapping, Mode::Lenient, csv).unwrap();
    let times: Vec<String> = log
        .interactions()
        .map(|i| i.timestamp().to_string())
        .collect();
    assert_eq!(times, ["2026-01-05T09:30:00Z", "2026-03-29T01:30:00Z"]);
    assert_eq!(report.rejected.len(), 1);
    let message = report.rejected[0].to_string();
    assert!(
        message.starts_with(
            "row 4, column timestamp: \"2026-01-05\" does not match the format \"%d/%m/%Y %H:%M\""
        ),
        "{message}"
    );
}

#[test]
fn unix_milliseconds_value_maps_and_segments_come_from_the_mapping() {
    let journey = bank();
    let mapping = Mapping::new()
        .column(Field::Customer, "user")
        .column(Field::Touchpoint, "page")
        .column(Field::Timestamp, "ms")
        .column(Field::Outcome, "status")
        .value(Field::Outcome, "ok", "completed")
        .value(Field::Outcome, "open", "in-progress")
        .segment("platform", "device")
        .segment("acquisition", "acquisition_channel")
        .time(TimeFormat::default().unix(journey_map::UnixUnit::Milliseconds));
    let csv = "user,page,ms,status,device,acquisition_channel\n\
               u1,search-ad,1767603600000,ok,ios,paid\n\
               u1,product-page,1767603660000,open,ios,paid\n\
               u2,search-ad,1767603600000,ok,web,\n";
    let (log, _) = read(&journey, mapping, Mode::Strict, csv).unwrap();
    assert_eq!(
        log.interactions().map(|i| i.outcome()).collect::<Vec<_>>(),
        [Outcome::Completed, Outcome::InProgress, Outcome::Completed]
    );
    let segments = log.segments();
    let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["acquisition", "platform"]);
    let u2 = log.customer_index("u2").unwrap();
    let j = log.journeys_of(u2).next().unwrap();
    assert_eq!(log.journey_segment(j, "platform"), Some("web"));
    assert_eq!(log.journey_segment(j, "acquisition"), None);
}

#[test]
fn a_session_column_and_a_gap_in_the_mapping_split_journeys_and_one_column_feeds_two_fields() {
    let journey = bank();
    // The ticket id is both the session and the need.
    let mapping = Mapping::new()
        .column(Field::Customer, "requester")
        .column(Field::Touchpoint, "channel")
        .column(Field::Session, "ticket")
        .column(Field::Need, "ticket")
        .default_value(Field::Outcome, "completed")
        .inactivity_gap_seconds(3_600);
    let csv = "requester,channel,timestamp,ticket\n\
               r1,support-line,2026-01-05T09:00:00Z,t1\n\
               r1,live-chat-agent,2026-01-05T09:10:00Z,t1\n\
               r1,support-line,2026-01-05T09:20:00Z,t2\n\
               r1,support-line,2026-01-09T09:20:00Z,t2\n";
    let (log, report) = read(&journey, mapping, Mode::Strict, csv).unwrap();
    assert_eq!((report.customers, report.journeys), (1, 3));
    let needs: Vec<_> = log
        .interactions()
        .map(|i| i.need().unwrap().to_owned())
        .collect();
    assert_eq!(needs, ["t1", "t1", "t2", "t2"]);
}

#[test]
fn markers_set_the_outcome_of_the_previous_or_current_interaction_and_unmatched_ones_are_counted() {
    let journey = bank();
    let mapping = Mapping::new()
        .default_value(Field::Outcome, "completed")
        .marker(
            "payment_error",
            Marker::new(Outcome::Failed, MarkerTarget::Previous),
        )
        .marker(
            "hung_up",
            Marker::new(Outcome::Abandoned, MarkerTarget::Current),
        );
    let csv = "customer,touchpoint,timestamp\n\
               a,online-application,2026-01-05T09:00:00Z\n\
               a,payment_error,2026-01-05T09:00:30Z\n\
               a,support-line,2026-01-05T10:00:00Z\n\
               a,hung_up,2026-01-05T10:00:00Z\n\
               b,hung_up,2026-01-05T10:00:00Z\n\
               a,hung_up,2026-01-05T11:00:00Z\n";
    let (log, report) = read(&journey, mapping, Mode::Strict, csv).unwrap();
    assert_eq!(
        log.interactions().map(|i| i.outcome()).collect::<Vec<_>>(),
        [Outcome::Failed, Outcome::Abandoned]
    );
    let reasons: Vec<String> = report
        .skipped
        .iter()
        .map(|s| format!("{} x{}", s.reason, s.rows))
        .collect();
    assert_eq!(
        reasons,
        [
            "marker \"hung_up\" applied x1",
            "marker \"hung_up\" found no interaction of its customer x2",
            "marker \"payment_error\" applied x1",
        ]
    );
}

#[test]
fn header_problems_name_the_columns_read_and_the_closest_one() {
    let journey = bank();
    // No mapping: a process log's columns are unknown, and the message lists what is read.
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let error = builder
        .read_csv("case_id,activity,timestamp\n".as_bytes())
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("bad header: unknown column \"case_id\"; the columns read are customer, touchpoint, timestamp,"),
        "{message}"
    );
    assert!(
        message.ends_with("and a mapping's ignore list leaves others out"),
        "{message}"
    );

    // A mapping that names a column the file lacks.
    let mapping = process_mapping().column(Field::Need, "ticket_id");
    let error = read(
        &journey,
        mapping,
        Mode::Strict,
        "case_id,activity,timestamp,ticket\n",
    )
    .unwrap_err();
    assert!(matches!(
        &error,
        IngestError::Header(HeaderProblem::MissingMappedColumn { suggestion: Some(s), .. }) if s == "ticket"
    ));
    assert_eq!(
        error.to_string(),
        "bad header: the mapping reads need from column \"ticket_id\", which the file does not have (did you mean \"ticket\"?)"
    );
    let mapping = process_mapping().segment("platform", "device");
    let error = read(
        &journey,
        mapping,
        Mode::Strict,
        "case_id,activity,timestamp,devices\n",
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "bad header: the mapping reads segment platform from column \"device\", which the file does not have (did you mean \"devices\"?)"
    );
    // Extra columns are fine once ignored.
    let mapping = process_mapping().ignore("platform_version");
    let csv = "case_id,activity,timestamp,platform_version\nk,search-ad,2026-01-05T10:00:00Z,7.1\n";
    assert_eq!(
        read(&journey, mapping, Mode::Strict, csv).unwrap().0.len(),
        1
    );
}

#[test]
fn row_problems_name_the_exports_column() {
    let journey = bank();
    let csv = "case_id,activity,timestamp\n\
               k1,search-add,2026-01-05T10:00:00Z\n";
    let error = read(&journey, process_mapping(), Mode::Strict, csv).unwrap_err();
    assert_eq!(
        error.to_string(),
        "row 2, column activity (touchpoint): unknown touchpoint \"search-add\" (did you mean \"search-ad\"?)"
    );
}

#[test]
fn every_problem_of_a_mapping_file_is_reported_at_once_at_its_line() {
    let journey = bank();
    let text = r#"(
    columns: { customer: "id" },
    defaults: { customer: "nobody", outcome: "complete" },
    ignore: ["id"],
    values: { touchpoint: { "a": "b" }, persona: { "Pro": "digital-natve" } },
    events: { "call": "suport-line", "ping": "chatbot" },
    skip: ["ping"],
    time: (zone: "Europe/Londn", format: "%Y %J"),
)"#;
    let mapping = Mapping::from_ron_str(text, "export.mapping.ron").unwrap();
    let error = LogBuilder::new(&journey, IngestOptions::default())
        .mapping(mapping)
        .unwrap_err();
    let problems: Vec<String> = error.problems().iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "8:18: unknown time zone \"Europe/Londn\" (did you mean \"Europe/London\"?)",
            "8:42: time format \"%Y %J\" is not usable: strftime formatting failed: found unrecognized specifier directive `J`",
            "3:27: customer cannot have a default: every row must give it",
            "3:46: value \"complete\" for outcome: unknown outcome \"complete\", expected one of completed, abandoned, failed, escalated, in-progress",
            "5:15: touchpoints are renamed under events, not values",
            "5:59: value \"digital-natve\" for persona: unknown persona \"digital-natve\" (did you mean \"digital-native\"?)",
            "6:23: event \"call\": unknown touchpoint \"suport-line\" (did you mean \"support-line\"?)",
            "7:12: event \"ping\" is listed twice among events, skip and markers",
            "4:14: column \"id\" is both read and ignored",
        ]
    );
    assert!(matches!(
        error.problems()[0].kind,
        MappingProblemKind::UnknownTimeZone { .. }
    ));
    assert_eq!(
        error.to_string(),
        "export.mapping.ron is not a valid mapping for this journey"
    );
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(
        source.starts_with("9 problems\n  8:18: unknown time zone"),
        "{source}"
    );
}

#[test]
fn a_malformed_mapping_file_is_located() {
    let error = Mapping::from_ron_str("(colums: {})", "m.ron").unwrap_err();
    assert_eq!(error.location(), Some((1, 2)));
    assert!(error.to_string().starts_with("m.ron:1:2: "), "{error}");
    let error = Mapping::load("no-such.mapping.ron").unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot read mapping file no-such.mapping.ron"
    );
}

#[test]
fn a_mapping_round_trips_through_ron() {
    let mapping = Mapping::load("examples/data/retail_bank.mapping.ron").unwrap();
    let text = mapping.to_ron_string().unwrap();
    assert_eq!(Mapping::from_ron_str(&text, "again").unwrap(), mapping);
    let built = process_mapping()
        .segment("platform", "device")
        .skip("ping")
        .marker("err", Marker::new(Outcome::Failed, MarkerTarget::Previous))
        .inactivity_gap_seconds(1_800);
    let text = built.to_ron_string().unwrap();
    assert_eq!(Mapping::from_ron_str(&text, "again").unwrap(), built);
}

#[test]
fn a_segment_without_a_name_is_a_mapping_problem() {
    let journey = bank();
    let error = LogBuilder::new(&journey, IngestOptions::default())
        .mapping(Mapping::new().segment(" ", "device"))
        .unwrap_err();
    assert!(matches!(
        error.problems()[0].kind,
        MappingProblemKind::EmptySegmentName
    ));
    assert_eq!(
        error.problems()[0].to_string(),
        "a segment has an empty name"
    );
}

#[test]
#[cfg(not(feature = "arrow"))]
fn a_parquet_file_without_the_arrow_feature_names_the_feature() {
    let journey = bank();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let error = builder.read_path("export.parquet").unwrap_err();
    assert!(matches!(
        error,
        IngestError::NeedsFeature {
            feature: "arrow",
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "cannot read export.parquet: its format needs the crate's \"arrow\" feature"
    );
}
