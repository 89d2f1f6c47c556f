//! journey-map's analyses from SQL over a CSV or Parquet table.
//!
//! ```text
//! cargo run --release -p journey-map-datafusion --example sql -- \
//!     examples/data/retail_bank.ron examples/data/retail_bank.interactions.csv [MAPPING.ron]
//! ```
//!
//! Registers the journey's functions, reads the table (Parquet by extension, CSV otherwise,
//! every CSV column as text), runs the metrics and friction reports in SQL in one pass over
//! the rows, and prints the headline figures and the top friction points. Exit 1 on bad input,
//! 2 on bad arguments.

use std::process::ExitCode;

use datafusion::arrow::array::AsArray;
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionContext};
use journey_map::Journey;
use journey_map::interactions::Mapping;
use journey_map_datafusion::{Analysed, JourneyEngine, Report};

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || args.len() > 3 {
        eprintln!("usage: sql JOURNEY.ron LOG.csv|LOG.parquet [MAPPING.ron]");
        return ExitCode::from(2);
    }
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            let mut source = error.source();
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::from(1)
        }
    }
}

async fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let journey = Journey::load(&args[0])?;
    let mut engine = JourneyEngine::new(journey);
    if let Some(mapping) = args.get(2) {
        engine = engine.mapping(Mapping::load(mapping)?)?;
    }
    let ctx = SessionContext::new();
    engine.register(&ctx);
    if args[1].ends_with(".parquet") {
        ctx.register_parquet("log", &args[1], ParquetReadOptions::default())
            .await?;
    } else {
        let options = CsvReadOptions::new().schema_infer_max_records(0);
        ctx.register_csv("log", &args[1], options).await?;
    }
    let columns: Vec<String> = ctx
        .table("log")
        .await?
        .schema()
        .fields()
        .iter()
        .map(|f| format!("\"{}\"", f.name()))
        .collect();
    let customer = engine.customer_column().to_owned();
    // Both analyses in one pass over the rows: the report is a list, one per analysis.
    let sql = format!(
        "SELECT journey_report(p) AS report FROM (
             SELECT journey_partial('metrics, friction', {}) AS p
             FROM log GROUP BY journey_bucket(\"{customer}\", 64))",
        columns.join(", ")
    );
    let batches = ctx.sql(&sql).await?.collect().await?;
    let json = batches
        .iter()
        .find(|b| b.num_rows() > 0)
        .map(|b| b.column(0).as_string::<i32>().value(0).to_owned())
        .ok_or("the query gave no row")?;
    let reports: Vec<Analysed> = serde_json::from_str(&json)?;
    for analysed in &reports {
        match &analysed.report {
            Report::Metrics(m) => {
                println!(
                    "{} rows: {} attached, {} refused, {} left out; {} customers",
                    analysed.ingested.rows,
                    analysed.ingested.attached,
                    analysed.ingested.refused_count(),
                    analysed.ingested.skipped_count(),
                    m.journey.customers,
                );
                if let Some(rate) = &m.journey.goal_conversion {
                    println!("goal conversion: {:.1}%", rate.value * 100.0);
                }
            }
            Report::Friction(f) => {
                println!("friction points: {}", f.points.len());
                for (rank, point) in f.points.iter().take(5).enumerate() {
                    println!("{:>2}. {}", rank + 1, point.summary);
                }
            }
            _ => {}
        }
    }
    Ok(())
}
