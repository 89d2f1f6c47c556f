//! Bad input through DataFusion: typed errors with the library's message inside, never a
//! panic, nothing dropped silently (lenient mode counts what it refuses).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, RecordBatch, StringArray};
use datafusion::datasource::MemTable;
use datafusion::prelude::{DataFrame, SessionContext};
use journey_map::analysis::FrictionConfig;
use journey_map::interactions::{Field, Mapping};
use journey_map::{IngestOptions, Journey};
use journey_map_datafusion::{Analysis, EngineError, JourneyEngine, PartialState};

fn bank() -> Journey {
    Journey::load("../examples/data/retail_bank.ron").unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn table(ctx: &SessionContext, columns: Vec<(&str, ArrayRef)>) -> DataFrame {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let table = MemTable::try_new(batch.schema(), vec![vec![batch]]).unwrap();
    ctx.read_table(Arc::new(table)).unwrap()
}

fn text(values: &[&str]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

/// The whole chain of an error, as a printer would show it.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

fn rows(touchpoints: &[&str]) -> Vec<(&'static str, ArrayRef)> {
    let n = touchpoints.len();
    let customers: Vec<String> = (0..n).map(|i| format!("c{}", i % 3)).collect();
    let times: Vec<String> = (0..n)
        .map(|i| format!("2026-01-05T10:{:02}:00Z", i % 60))
        .collect();
    vec![
        (
            "customer",
            Arc::new(StringArray::from(customers)) as ArrayRef,
        ),
        ("touchpoint", text(touchpoints)),
        ("timestamp", Arc::new(StringArray::from(times)) as ArrayRef),
        ("outcome", text(&vec!["completed"; n])),
    ]
}

#[test]
fn an_unknown_touchpoint_fails_a_strict_query_with_the_closest_id() {
    let rt = runtime();
    let ctx = SessionContext::new();
    let df = table(&ctx, rows(&["search-ad", "product-pag", "product-page"]));
    let error = rt
        .block_on(JourneyEngine::new(bank()).analyse(df, Analysis::Metrics))
        .unwrap_err();
    assert!(matches!(error, EngineError::Ingest(_)), "{error:?}");
    let text = chain(&error);
    assert!(text.contains("cannot read the rows of a bucket"), "{text}");
    assert!(text.contains("product-page"), "{text}");
}

#[test]
fn lenient_reading_counts_every_refused_row_by_reason() {
    let rt = runtime();
    let ctx = SessionContext::new();
    let df = table(
        &ctx,
        rows(&[
            "search-ad",
            "nowhere",
            "product-page",
            "nowhere",
            "elsewhere",
        ]),
    );
    let engine = JourneyEngine::new(bank())
        .ingest(IngestOptions::default().mode(journey_map::Mode::Lenient));
    let analysed = rt.block_on(engine.analyse(df, Analysis::Metrics)).unwrap();
    assert_eq!(analysed.ingested.rows, 5);
    assert_eq!(analysed.ingested.attached, 2);
    assert_eq!(analysed.ingested.refused_count(), 3);
    assert_eq!(
        analysed.ingested.refused.len(),
        1,
        "{:?}",
        analysed.ingested
    );
}

#[test]
fn a_missing_customer_column_is_a_planning_error_naming_it() {
    let rt = runtime();
    let ctx = SessionContext::new();
    let mut columns = rows(&["search-ad"]);
    columns.remove(0);
    let df = table(&ctx, columns);
    let error = rt
        .block_on(JourneyEngine::new(bank()).analyse(df, Analysis::Metrics))
        .unwrap_err();
    assert!(matches!(error, EngineError::DataFusion(_)), "{error:?}");
    assert!(chain(&error).contains("customer"), "{}", chain(&error));
}

#[test]
fn a_column_of_a_type_the_field_cannot_take_is_refused() {
    let rt = runtime();
    let ctx = SessionContext::new();
    let mut columns = rows(&["search-ad", "product-page"]);
    columns[2] = (
        "timestamp",
        Arc::new(BooleanArray::from(vec![true, false])) as ArrayRef,
    );
    let df = table(&ctx, columns);
    let error = rt
        .block_on(JourneyEngine::new(bank()).analyse(df, Analysis::Friction))
        .unwrap_err();
    assert!(matches!(error, EngineError::Ingest(_)), "{error:?}");
    assert!(chain(&error).contains("timestamp"), "{}", chain(&error));
}

#[test]
fn a_mapping_that_does_not_fit_the_journey_is_refused_before_any_query() {
    let mapping = Mapping::new()
        .column(Field::Customer, "user")
        .event("page_view", "product-pag");
    let error = JourneyEngine::new(bank()).mapping(mapping).unwrap_err();
    assert!(matches!(error, EngineError::Mapping(_)), "{error:?}");
    assert!(chain(&error).contains("product-page"), "{}", chain(&error));
}

#[test]
fn a_mapping_reads_the_tables_own_columns() {
    let rt = runtime();
    let ctx = SessionContext::new();
    let df = table(
        &ctx,
        vec![
            ("user", text(&["u1", "u1", "u2"])),
            ("page", text(&["search-ad", "product_view", "search-ad"])),
            (
                "at",
                text(&[
                    "2026-01-05 10:00:00",
                    "2026-01-05 10:05:00",
                    "2026-01-05 11:00:00",
                ]),
            ),
            ("platform", text(&["ios", "ios", "web"])),
            ("user.segment", text(&["a", "a", "b"])),
        ],
    );
    let mapping = Mapping::new()
        .column(Field::Customer, "user")
        .column(Field::Touchpoint, "page")
        .column(Field::Timestamp, "at")
        .default_value(Field::Outcome, "completed")
        .event("product_view", "product-page")
        .ignore("platform")
        .ignore("user.segment")
        .time(
            journey_map::interactions::TimeFormat::default()
                .format("%Y-%m-%d %H:%M:%S")
                .zone("Europe/London"),
        );
    let engine = JourneyEngine::new(bank()).mapping(mapping).unwrap();
    assert_eq!(engine.customer_column(), "user");
    let analysed = rt
        .block_on(engine.analyse(df, Analysis::DirectlyFollows))
        .unwrap();
    assert_eq!(analysed.ingested.attached, 3);
    assert_eq!(analysed.ingested.customers, 2);
}

#[test]
fn sql_with_an_unknown_analysis_names_the_known_ones() {
    let rt = runtime();
    let ctx = SessionContext::new();
    JourneyEngine::new(bank()).register(&ctx);
    ctx.register_table(
        "log",
        Arc::new({
            let batch = RecordBatch::try_from_iter(rows(&["search-ad"])).unwrap();
            MemTable::try_new(batch.schema(), vec![vec![batch]]).unwrap()
        }),
    )
    .unwrap();
    let error = rt
        .block_on(async {
            ctx.sql(
                "SELECT journey_report(p) FROM (SELECT journey_partial('metric', customer, touchpoint, timestamp, outcome) AS p FROM log GROUP BY journey_bucket(customer, 4))",
            )
            .await?
            .collect()
            .await
        })
        .unwrap_err();
    let engine = EngineError::find(&error).expect("the engine's error inside");
    assert!(matches!(engine, EngineError::UnknownAnalysis { .. }));
    assert!(
        chain(&error).contains("expected one of metrics, friction"),
        "{}",
        chain(&error)
    );
    // Several analyses: each name known, none twice.
    let query = |names: &str| {
        rt.block_on(async {
            ctx.sql(&format!(
                "SELECT journey_report(p) FROM (SELECT journey_partial('{names}', customer, touchpoint, timestamp, outcome) AS p FROM log GROUP BY journey_bucket(customer, 4))",
            ))
            .await?
            .collect()
            .await
        })
    };
    let error = query("metrics,,friction").unwrap_err();
    assert!(
        matches!(
            EngineError::find(&error),
            Some(EngineError::UnknownAnalysis { name }) if name.is_empty()
        ),
        "{error:?}"
    );
    let error = query("friction, metrics, friction").unwrap_err();
    assert!(
        chain(&error).contains("the analysis friction is named twice"),
        "{}",
        chain(&error)
    );
    assert!(query("friction, metrics").is_ok());

    let error = rt
        .block_on(async {
            ctx.sql("SELECT journey_bucket(customer, touchpoint) FROM log")
                .await?
                .collect()
                .await
        })
        .unwrap_err();
    assert!(
        matches!(
            EngineError::find(&error),
            Some(EngineError::Arguments { .. })
        ),
        "{error:?}"
    );
}

#[test]
fn bytes_that_are_no_partial_state_are_refused() {
    let rt = runtime();
    let ctx = SessionContext::new();
    JourneyEngine::new(bank()).register(&ctx);
    let error = rt
        .block_on(async {
            ctx.sql("SELECT journey_report(CAST('not a state' AS BYTEA))")
                .await?
                .collect()
                .await
        })
        .unwrap_err();
    assert!(
        matches!(EngineError::find(&error), Some(EngineError::Decode(_))),
        "{error:?}"
    );
    assert!(matches!(
        PartialState::from_bytes(b"\xff\xff\xff"),
        Err(EngineError::Decode(_))
    ));
}

#[test]
fn states_of_another_journey_or_analysis_do_not_merge() {
    let rt = runtime();
    let ctx = SessionContext::new();
    let bank_engine = JourneyEngine::new(bank());
    let df = table(&ctx, rows(&["search-ad", "product-page"]));
    let metrics = rt
        .block_on(bank_engine.partial(df.clone(), Analysis::Metrics))
        .unwrap();
    let mut follows = rt
        .block_on(bank_engine.partial(df.clone(), Analysis::DirectlyFollows))
        .unwrap();
    assert!(matches!(
        follows.merge(metrics.clone()),
        Err(EngineError::MixedAnalyses { .. })
    ));
    // States of several analyses merge only with states of the same analyses, in order.
    let both = [Analysis::Metrics, Analysis::DirectlyFollows];
    let mut pair = rt
        .block_on(bank_engine.partial_many(df.clone(), &both))
        .unwrap();
    assert_eq!(pair.analyses(), both);
    let error = pair.merge(metrics.clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "a partial state of metrics cannot be merged into one of metrics, directly_follows"
    );
    let swapped = rt
        .block_on(bank_engine.partial_many(df.clone(), &[both[1], both[0]]))
        .unwrap();
    assert!(matches!(
        pair.merge(swapped),
        Err(EngineError::MixedAnalyses { .. })
    ));
    // No analysis, or one named twice, is refused before the query runs.
    for wrong in [&[][..], &[Analysis::Friction, Analysis::Friction][..]] {
        assert!(
            matches!(
                rt.block_on(bank_engine.analyse_many(df.clone(), wrong)),
                Err(EngineError::Arguments { .. })
            ),
            "{wrong:?}"
        );
    }
    let broadband = Journey::load("../examples/data/broadband.ron").unwrap();
    assert!(matches!(
        metrics.clone().finish(&broadband),
        Err(EngineError::OtherJourney)
    ));
    // Shipped as bytes and back, the state finishes as before.
    let back = PartialState::from_bytes(&metrics.to_bytes().unwrap()).unwrap();
    assert_eq!(
        back.finish(&bank()).unwrap(),
        metrics.finish(&bank()).unwrap()
    );

    // A state made for another journey, given to this journey's SQL functions.
    let other = JourneyEngine::new(broadband);
    let ctx = SessionContext::new();
    bank_engine.register(&ctx);
    let broadband_state = {
        let ctx = SessionContext::new();
        let df = table(
            &ctx,
            vec![
                ("customer", text(&["c1"])),
                (
                    "touchpoint",
                    text(&[other.journey().touchpoints()[0].id.as_str()]),
                ),
                ("timestamp", text(&["2026-01-05T10:00:00Z"])),
                ("outcome", text(&["completed"])),
            ],
        );
        rt.block_on(other.partial(df, Analysis::Metrics))
            .unwrap()
            .to_bytes()
            .unwrap()
    };
    let states = RecordBatch::try_from_iter([(
        "state",
        Arc::new(datafusion::arrow::array::BinaryArray::from(vec![
            broadband_state.as_slice(),
        ])) as ArrayRef,
    )])
    .unwrap();
    ctx.register_batch("states", states).unwrap();
    let error = rt
        .block_on(async {
            ctx.sql("SELECT journey_report(state) FROM states")
                .await?
                .collect()
                .await
        })
        .unwrap_err();
    assert!(
        matches!(EngineError::find(&error), Some(EngineError::OtherJourney)),
        "{error:?}"
    );
}

#[test]
fn settings_out_of_range_and_segment_selections_are_refused() {
    let error = JourneyEngine::new(bank())
        .friction(FrictionConfig::default().max_q(2.0))
        .unwrap_err();
    assert!(matches!(error, EngineError::Config(_)), "{error:?}");
    let error = JourneyEngine::new(bank())
        .selection(journey_map::analysis::Selection::all().segment("platform", "ios"))
        .unwrap_err();
    assert!(matches!(error, EngineError::SegmentSelection), "{error:?}");
    let error = JourneyEngine::new(bank())
        .friction(FrictionConfig::default().segment_lens("platform"))
        .unwrap_err();
    assert!(matches!(error, EngineError::SegmentSelection), "{error:?}");
}

#[test]
fn an_empty_table_gives_the_reports_of_no_customer() {
    let rt = runtime();
    let ctx = SessionContext::new();
    let df = table(&ctx, rows(&[]));
    let analysed = rt
        .block_on(JourneyEngine::new(bank()).analyse(df, Analysis::Metrics))
        .unwrap();
    assert_eq!(analysed.ingested.rows, 0);
    let json = rt.block_on(async {
        let ctx = SessionContext::new();
        JourneyEngine::new(bank()).register(&ctx);
        let batch = RecordBatch::try_from_iter(rows(&[])).unwrap();
        ctx.register_batch("log", batch).unwrap();
        let out = ctx
            .sql("SELECT journey_report(p) FROM (SELECT journey_partial('metrics', customer, touchpoint, timestamp, outcome) AS p FROM log GROUP BY journey_bucket(customer, 4))")
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        out[0].column(0).as_string::<i32>().is_null(0)
    });
    assert!(json, "no row gives a null report in SQL");
}
