//! The bench logs as Parquet files: typed columns (a dictionary of touchpoints, millisecond
//! timestamps, floats, small integers, booleans) in row groups of 128 Ki rows, no compression.
//! Shared by the `parquet` and `scaling` benches.

use std::sync::Arc;

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray,
    UInt8Array,
};
use journey_map::Interaction;

/// A slice of records as a typed record batch.
fn batch(records: &[Interaction]) -> RecordBatch {
    let text = |f: &dyn Fn(&Interaction) -> Option<String>| -> ArrayRef {
        Arc::new(StringArray::from(records.iter().map(f).collect::<Vec<_>>()))
    };
    let float = |f: &dyn Fn(&Interaction) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from(
            records.iter().map(f).collect::<Vec<_>>(),
        ))
    };
    let small = |f: &dyn Fn(&Interaction) -> Option<u8>| -> ArrayRef {
        Arc::new(UInt8Array::from(records.iter().map(f).collect::<Vec<_>>()))
    };
    let mut touchpoints = StringDictionaryBuilder::<Int32Type>::new();
    for r in records {
        touchpoints.append_value(r.touchpoint.as_str());
    }
    // Every column nullable: the schema of the first chunk is the file's.
    RecordBatch::try_from_iter_with_nullable([
        ("customer", text(&|r| Some(r.customer.to_string())), true),
        (
            "touchpoint",
            Arc::new(touchpoints.finish()) as ArrayRef,
            true,
        ),
        (
            "timestamp",
            Arc::new(TimestampMillisecondArray::from(
                records
                    .iter()
                    .map(|r| r.timestamp.as_millisecond())
                    .collect::<Vec<_>>(),
            )) as ArrayRef,
            true,
        ),
        ("outcome", text(&|r| Some(r.outcome.to_string())), true),
        (
            "persona",
            text(&|r| r.persona.as_ref().map(|p| p.to_string())),
            true,
        ),
        ("wait_seconds", float(&|r| r.wait_seconds), true),
        ("handling_seconds", float(&|r| r.handling_seconds), true),
        ("csat", small(&|r| r.csat), true),
        ("ces", small(&|r| r.ces), true),
        ("nps", small(&|r| r.nps), true),
        ("sentiment", float(&|r| r.sentiment), true),
        (
            "resolved",
            Arc::new(BooleanArray::from(
                records.iter().map(|r| r.resolved).collect::<Vec<_>>(),
            )) as ArrayRef,
            true,
        ),
        ("need", text(&|r| r.need.clone()), true),
    ])
    .unwrap()
}

/// Writes `records` to `path` as Parquet.
pub fn write_parquet(records: &[Interaction], path: &std::path::Path) {
    let file = std::fs::File::create(path).unwrap();
    let first = batch(&records[..1]);
    let properties = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(128 * 1024))
        .build();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(file, first.schema(), Some(properties)).unwrap();
    for chunk in records.chunks(65_536) {
        writer.write(&batch(chunk)).unwrap();
    }
    writer.close().unwrap();
}
