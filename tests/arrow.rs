//! Arrow record batches and Parquet files (the `arrow` feature): the same log as CSV, through
//! the same mapping, with typed columns.
#![cfg(feature = "arrow")]

use std::sync::Arc;

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
    TimestampMillisecondArray,
};
use journey_map::interactions::{Field, HeaderProblem, Mapping};
use journey_map::{IngestError, IngestOptions, InteractionLog, Journey, LogBuilder, Mode};

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

/// The bank sample as a typed record batch: a dictionary of touchpoints, millisecond
/// timestamps, floats, integers and booleans, nulls for absent values.
fn sample_batch() -> RecordBatch {
    let mut reader = csv::Reader::from_path("examples/data/retail_bank.interactions.csv").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let text = |i: usize| -> ArrayRef {
        Arc::new(StringArray::from(
            rows.iter()
                .map(|r| Some(&r[i]).filter(|v| !v.is_empty()))
                .collect::<Vec<_>>(),
        ))
    };
    let float = |i: usize| -> ArrayRef {
        Arc::new(Float64Array::from(
            rows.iter()
                .map(|r| r[i].parse::<f64>().ok())
                .collect::<Vec<_>>(),
        ))
    };
    let int = |i: usize| -> ArrayRef {
        Arc::new(Int32Array::from(
            rows.iter()
                .map(|r| r[i].parse::<i32>().ok())
                .collect::<Vec<_>>(),
        ))
    };
    let mut touchpoints = StringDictionaryBuilder::<Int32Type>::new();
    for r in &rows {
        touchpoints.append_value(&r[1]);
    }
    let times: Vec<i64> = rows
        .iter()
        .map(|r| r[2].parse::<jiff::Timestamp>().unwrap().as_millisecond())
        .collect();
    RecordBatch::try_from_iter([
        ("customer", text(0)),
        ("touchpoint", Arc::new(touchpoints.finish()) as ArrayRef),
        (
            "timestamp",
            Arc::new(TimestampMillisecondArray::from(times).with_timezone("UTC")) as ArrayRef,
        ),
        ("persona", text(3)),
        ("outcome", text(4)),
        ("wait_seconds", float(5)),
        ("handling_seconds", float(6)),
        ("csat", int(7)),
        ("ces", int(8)),
        ("nps", int(9)),
        ("sentiment", float(10)),
        (
            "resolved",
            Arc::new(BooleanArray::from(
                rows.iter()
                    .map(|r| r[11].parse::<bool>().ok())
                    .collect::<Vec<_>>(),
            )) as ArrayRef,
        ),
        ("need", text(12)),
        ("tags", text(13)),
    ])
    .unwrap()
}

fn write_parquet(batch: &RecordBatch, path: &std::path::Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    // Several row groups and batches.
    for start in (0..batch.num_rows()).step_by(3_000) {
        let length = 3_000.min(batch.num_rows() - start);
        writer.write(&batch.slice(start, length)).unwrap();
        writer.flush().unwrap();
    }
    writer.close().unwrap();
}

fn temp(name: &str) -> std::path::PathBuf {
    // Cargo's folder for integration tests' files, inside `target`: nothing left in the
    // system's temporary folder.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("arrow");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn a_typed_record_batch_and_its_parquet_file_give_the_csv_log() {
    let journey = bank();
    let batch = sample_batch();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.read_record_batch(&batch).unwrap();
    let (log, report) = builder.finish();
    assert_eq!(report.rejected_count(), 0);
    assert_eq!(log, canonical(&journey));

    let path = temp("bank.parquet");
    write_parquet(&batch, &path);
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.read_path(&path).unwrap();
    let (from_parquet, report) = builder.finish();
    assert_eq!((report.rows(), report.accepted), (7_461, 7_461));
    assert_eq!(from_parquet, log);
}

#[test]
fn a_batch_goes_through_a_mapping_with_integer_ids_and_unix_seconds() {
    let journey = bank();
    let batch = RecordBatch::try_from_iter([
        (
            "user",
            Arc::new(Int64Array::from(vec![7, 7, 8, 8])) as ArrayRef,
        ),
        (
            "event",
            Arc::new(StringArray::from(vec!["ad", "heartbeat", "ad", "oops"])) as ArrayRef,
        ),
        (
            "at",
            Arc::new(Int64Array::from(vec![
                1_767_603_600,
                1_767_603_601,
                1_767_603_700,
                1_767_603_701,
            ])) as ArrayRef,
        ),
        (
            "device",
            Arc::new(StringArray::from(vec![
                Some("ios"),
                None,
                Some("web"),
                None,
            ])) as ArrayRef,
        ),
        (
            "extra",
            Arc::new(Int32Array::from(vec![1, 2, 3, 4])) as ArrayRef,
        ),
    ])
    .unwrap();
    let mapping = Mapping::new()
        .column(Field::Customer, "user")
        .column(Field::Touchpoint, "event")
        .column(Field::Timestamp, "at")
        .default_value(Field::Outcome, "completed")
        .event("ad", "search-ad")
        .skip("heartbeat")
        .segment("platform", "device")
        .ignore("extra");
    let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient))
        .mapping(mapping)
        .unwrap();
    builder.read_record_batch(&batch).unwrap();
    let (log, report) = builder.finish();
    assert_eq!(log.len(), 2);
    assert_eq!(&log.customers()[1], "8");
    assert_eq!(
        log.interactions().next().unwrap().timestamp().to_string(),
        "2026-01-05T09:00:00Z"
    );
    assert_eq!(log.segments()[0].values, ["ios", "web"]);
    assert_eq!(report.skipped[0].reason, "skipped event \"heartbeat\"");
    assert_eq!(
        report.rejected[0].to_string(),
        "row 4, column event (touchpoint): unknown touchpoint \"oops\""
    );
}

#[test]
fn columns_that_cannot_be_read_are_header_errors() {
    let journey = bank();
    let read = |batch: RecordBatch| {
        let mut builder = LogBuilder::new(&journey, IngestOptions::default());
        builder.read_record_batch(&batch).unwrap_err()
    };
    let error = read(
        RecordBatch::try_from_iter([
            (
                "customer",
                Arc::new(StringArray::from(vec!["a"])) as ArrayRef,
            ),
            (
                "touchpoint",
                Arc::new(StringArray::from(vec!["chatbot"])) as ArrayRef,
            ),
            ("timestamp", Arc::new(Int64Array::from(vec![0])) as ArrayRef),
            (
                "outcome",
                Arc::new(StringArray::from(vec!["completed"])) as ArrayRef,
            ),
            ("cast", Arc::new(Int32Array::from(vec![1])) as ArrayRef),
        ])
        .unwrap(),
    );
    assert!(matches!(
        &error,
        IngestError::Header(HeaderProblem::UnknownColumn { suggestion: Some(s), .. }) if s == "csat"
    ));
    let error = read(
        RecordBatch::try_from_iter([
            (
                "customer",
                Arc::new(Float64Array::from(vec![1.5])) as ArrayRef,
            ),
            (
                "touchpoint",
                Arc::new(StringArray::from(vec!["chatbot"])) as ArrayRef,
            ),
            ("timestamp", Arc::new(Int64Array::from(vec![0])) as ArrayRef),
            (
                "outcome",
                Arc::new(StringArray::from(vec!["completed"])) as ArrayRef,
            ),
        ])
        .unwrap(),
    );
    assert_eq!(
        error.to_string(),
        "bad header: column \"customer\" holds Float64, which customer cannot be read from"
    );
}

#[test]
fn a_file_that_is_not_parquet_is_a_columnar_error_and_a_missing_one_a_read_error() {
    let journey = bank();
    let path = temp("not.parquet");
    std::fs::write(&path, "customer,touchpoint\n").unwrap();
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let error = builder.read_path(&path).unwrap_err();
    assert!(matches!(error, IngestError::Columnar { .. }), "{error}");
    assert!(std::error::Error::source(&error).is_some());
    let error = builder.read_path(temp("missing.parquet")).unwrap_err();
    assert!(matches!(error, IngestError::Read { .. }), "{error}");
}

#[test]
fn a_column_of_the_null_type_reads_as_empty_cells() {
    // What a CSV reader infers for a column without any value: Arrow's null type.
    let journey = bank();
    let columns = |touchpoints: ArrayRef| {
        RecordBatch::try_from_iter([
            (
                "customer",
                Arc::new(StringArray::from(vec!["c1", "c1"])) as ArrayRef,
            ),
            ("touchpoint", touchpoints),
            (
                "timestamp",
                Arc::new(StringArray::from(vec![
                    "2026-01-05T10:00:00Z",
                    "2026-01-05T10:05:00Z",
                ])) as ArrayRef,
            ),
            (
                "outcome",
                Arc::new(StringArray::from(vec!["completed", "completed"])) as ArrayRef,
            ),
            ("tags", Arc::new(arrow_array::NullArray::new(2)) as ArrayRef),
            ("need", Arc::new(arrow_array::NullArray::new(2)) as ArrayRef),
        ])
        .unwrap()
    };
    let batch = columns(Arc::new(StringArray::from(vec![
        "search-ad",
        "product-page",
    ])));
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    builder.read_record_batch(&batch).unwrap();
    let (log, report) = builder.finish();
    assert_eq!((log.len(), report.accepted), (2, 2));

    // A required field in a null column is missing on every row.
    let batch = columns(Arc::new(arrow_array::NullArray::new(2)));
    let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    let error = builder.read_record_batch(&batch).unwrap_err();
    assert!(matches!(error, IngestError::Record(_)), "{error:?}");
    assert!(error.to_string().contains("row 1"), "{error}");
}

/// The sample batch with its touchpoints replaced by `touchpoints`.
fn with_touchpoints(batch: &RecordBatch, touchpoints: Vec<Option<String>>) -> RecordBatch {
    let schema = batch.schema();
    let position = schema.index_of("touchpoint").unwrap();
    let mut columns = batch.columns().to_vec();
    columns[position] = Arc::new(StringArray::from(touchpoints));
    let fields: Vec<_> = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if i == position {
                arrow_schema::Field::new("touchpoint", arrow_schema::DataType::Utf8, true)
            } else {
                f.as_ref().clone()
            }
        })
        .collect();
    RecordBatch::try_new(Arc::new(arrow_schema::Schema::new(fields)), columns).unwrap()
}

#[test]
fn a_large_batch_read_on_two_threads_gives_what_one_thread_gives_bad_rows_included() {
    let journey = bank();
    let batch = sample_batch();
    let mut touchpoints: Vec<Option<String>> = (0..batch.num_rows())
        .map(|row| batch_touchpoint(&batch, row))
        .collect();
    // Bad rows in both halves of the batch (rows are numbered from 1).
    touchpoints[100] = Some("retired-page".into());
    touchpoints[5_000] = Some("retired-pages".into());
    touchpoints[6_000] = None;
    let bad = with_touchpoints(&batch, touchpoints.clone());
    let read = |options: IngestOptions, batch: &RecordBatch| {
        let mut builder = LogBuilder::new(&journey, options);
        builder.read_record_batch(batch).map(|()| builder.finish())
    };
    let lenient = IngestOptions::default().mode(Mode::Lenient);
    let (log, report) = read(lenient, &bad).unwrap();
    let rows: Vec<usize> = report.rejected.iter().map(|e| e.row).collect();
    assert_eq!(rows, [101, 5_001, 6_001]);
    assert_eq!(log.len(), 7_461 - 3);
    let one_thread = read(lenient.parallel(false), &bad).unwrap();
    assert_eq!(one_thread, (log, report));
    // The threads share the chunks as their speeds fall out: read again, as often as it
    // takes to meet other shares.
    for _ in 0..20 {
        assert_eq!(read(lenient, &bad).unwrap(), one_thread);
    }

    // Strict: the first bad row in row order, whichever thread read it.
    let first = |batch: &RecordBatch, options: IngestOptions| match read(options, batch) {
        Err(IngestError::Record(e)) => e.row,
        other => panic!("expected a record error, got {other:?}"),
    };
    assert_eq!(first(&bad, IngestOptions::default()), 101);
    assert_eq!(first(&bad, IngestOptions::default().parallel(false)), 101);
    touchpoints[100] = batch_touchpoint(&batch, 100);
    let second_half_only = with_touchpoints(&batch, touchpoints);
    assert_eq!(first(&second_half_only, IngestOptions::default()), 5_001);
}

fn batch_touchpoint(batch: &RecordBatch, row: usize) -> Option<String> {
    let column = arrow_array::cast::AsArray::as_dictionary::<Int32Type>(
        batch.column_by_name("touchpoint").unwrap().as_ref(),
    );
    let values = arrow_array::cast::AsArray::as_string::<i32>(column.values().as_ref());
    Some(values.value(column.keys().value(row) as usize).to_owned())
}
