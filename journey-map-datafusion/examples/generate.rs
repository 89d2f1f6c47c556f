//! Writes a large simulated interaction log as Parquet files, for the scale runs.
//!
//! ```text
//! cargo run --release -p journey-map-datafusion --example generate -- OUT_DIR EVENTS [FILES]
//! ```
//!
//! Simulates the bundled bank journey's behaviour (channels of different speeds, customers
//! who differ, designed revisits) in chunks of 20,000 customers until at least `EVENTS`
//! interactions are written, spread over `FILES` files (8 by default) in a round-robin of
//! chunks, so a customer's rows sit in one file but files mix customers. Memory stays at one
//! chunk. Customer ids are `g{chunk}-{id}`.

use std::fs::File;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, StringDictionaryBuilder,
    TimestampMillisecondArray, UInt8Array,
};
use datafusion::arrow::datatypes::Int32Type;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;
use journey_map::sim::{Behaviour, Simulator};
use journey_map::{Interaction, Journey};

const CHUNK: usize = 20_000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(events)) = (args.first(), args.get(1).and_then(|e| e.parse().ok())) else {
        eprintln!("usage: generate OUT_DIR EVENTS [FILES]");
        return ExitCode::from(2);
    };
    let files = args
        .get(2)
        .and_then(|f| f.parse().ok())
        .unwrap_or(8usize)
        .max(1);
    match run(PathBuf::from(out), events, files) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

fn run(out: PathBuf, events: u64, files: usize) -> Result<(), Box<dyn std::error::Error>> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/data/");
    let journey = Journey::load(format!("{root}retail_bank.ron"))?;
    let behaviour = Behaviour::load(format!("{root}retail_bank.behaviour.ron"))?;
    let simulator = Simulator::new(&journey, &behaviour)?;
    std::fs::create_dir_all(&out)?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writers = Vec::new();
    let mut written = 0u64;
    let mut chunk = 0u64;
    let start: jiff::Timestamp = "2025-01-06T00:00:00Z".parse()?;
    while written < events {
        let records = simulator.simulate(CHUNK, chunk, start);
        let batch = batch(chunk, &records)?;
        let file = (chunk as usize) % files;
        if writers.len() <= file {
            let path = out.join(format!("part-{file:03}.parquet"));
            writers.push(ArrowWriter::try_new(
                File::create(path)?,
                batch.schema(),
                Some(properties.clone()),
            )?);
        }
        writers[file].write(&batch)?;
        written += records.len() as u64;
        chunk += 1;
        if chunk.is_multiple_of(50) {
            println!("{written} events, {} customers", chunk as usize * CHUNK);
        }
    }
    for writer in writers {
        writer.close()?;
    }
    println!(
        "{written} events of {} customers in {} files under {}",
        chunk as usize * CHUNK,
        files.min(chunk as usize),
        out.display()
    );
    Ok(())
}

fn batch(chunk: u64, records: &[Interaction]) -> Result<RecordBatch, Box<dyn std::error::Error>> {
    let mut touchpoints = StringDictionaryBuilder::<Int32Type>::new();
    let mut personas = StringDictionaryBuilder::<Int32Type>::new();
    let mut outcomes = StringDictionaryBuilder::<Int32Type>::new();
    for r in records {
        touchpoints.append_value(r.touchpoint.as_str());
        match &r.persona {
            Some(p) => personas.append_value(p.as_str()),
            None => personas.append_null(),
        }
        outcomes.append_value(r.outcome.as_str());
    }
    let customers: StringArray = records
        .iter()
        .map(|r| Some(format!("g{chunk}-{}", r.customer.as_str())))
        .collect();
    let times: TimestampMillisecondArray = records
        .iter()
        .map(|r| Some(r.timestamp.as_millisecond()))
        .collect();
    let float = |f: fn(&Interaction) -> Option<f64>| -> ArrayRef {
        Arc::new(records.iter().map(f).collect::<Float64Array>())
    };
    let score = |f: fn(&Interaction) -> Option<u8>| -> ArrayRef {
        Arc::new(records.iter().map(f).collect::<UInt8Array>())
    };
    let needs: StringArray = records.iter().map(|r| r.need.as_deref()).collect();
    let resolved: BooleanArray = records.iter().map(|r| r.resolved).collect();
    Ok(RecordBatch::try_from_iter([
        ("customer", Arc::new(customers) as ArrayRef),
        ("touchpoint", Arc::new(touchpoints.finish()) as ArrayRef),
        (
            "timestamp",
            Arc::new(times.with_timezone("UTC")) as ArrayRef,
        ),
        ("persona", Arc::new(personas.finish()) as ArrayRef),
        ("outcome", Arc::new(outcomes.finish()) as ArrayRef),
        ("wait_seconds", float(|r| r.wait_seconds)),
        ("handling_seconds", float(|r| r.handling_seconds)),
        ("csat", score(|r| r.csat)),
        ("ces", score(|r| r.ces)),
        ("nps", score(|r| r.nps)),
        ("sentiment", float(|r| r.sentiment)),
        ("resolved", Arc::new(resolved) as ArrayRef),
        ("need", Arc::new(needs) as ArrayRef),
    ])?)
}
