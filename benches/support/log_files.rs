//! The bench logs as files, written by a child process (this bench's own executable, run
//! again with [`WRITE_TO`] set), so that the process that reads them holds its inputs only:
//! building millions of records and dropping them leaves freed memory that later reads reuse
//! without page faults, which favours whichever read comes after it. Shared by the `scaling`
//! and `ratios` benches.
//!
//! Files, for `c` customers (ten interactions each): `log-c.csv` (the crate's own columns),
//! `export-c.csv` (a help-desk export, read through the mapping of `records::to_export`) and,
//! with the `arrow` feature, `log-c.parquet`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use journey_map::interactions::Mapping;
use journey_map::{IngestOptions, Journey, LogBuilder};

use crate::records;

/// Set for the child process that writes the logs: the folder to write them to.
pub const WRITE_TO: &str = "JOURNEY_MAP_BENCH_WRITE_TO";

/// In the child process (when [`WRITE_TO`] is set): writes the logs at each size in
/// `customers` that the readers `wanted` read, and returns `true`; the caller then exits.
pub fn write_if_child(
    journey: &Journey,
    customers: &[usize],
    wanted: &dyn Fn(&str) -> bool,
) -> bool {
    let Some(dir) = std::env::var_os(WRITE_TO) else {
        return false;
    };
    let dir = Path::new(&dir);
    for &customers in customers {
        let records = records::records_of(journey, customers);
        if wanted("csv") {
            std::fs::write(
                dir.join(format!("log-{customers}.csv")),
                records::to_csv(&records),
            )
            .unwrap();
        }
        if wanted("mapped") {
            let (export, _) = records::to_export(journey, &records);
            std::fs::write(dir.join(format!("export-{customers}.csv")), export).unwrap();
        }
        #[cfg(feature = "arrow")]
        if wanted("parquet") {
            let path = dir.join(format!("log-{customers}.parquet"));
            crate::parquet_file::write_parquet(&records, &path);
        }
    }
    true
}

/// Has a child process write the logs to a new folder in the system's temporary folder and
/// returns the folder (the caller removes it). `args` are passed on to the child, which
/// chooses the logs by them as this process does.
///
/// # Panics
///
/// When the child fails (the folder is removed first).
pub fn written_by_child(bench: &str, args: &[String]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("journey-map-{bench}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    eprintln!("writing the logs to {} ...", dir.display());
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(args)
        .env(WRITE_TO, &dir)
        .status()
        .unwrap();
    if !status.success() {
        let _ = std::fs::remove_dir_all(&dir);
        panic!("writing the logs failed: {status}");
    }
    dir
}

/// A log to read, as its reader wants it.
pub enum Input {
    /// The crate's own CSV, read by `read_csv`.
    Csv(String),
    /// The help-desk export, read by `read_csv` through its mapping.
    Mapped(String, Box<Mapping>),
    /// Parquet, read by `read_parquet_path`.
    #[cfg(feature = "arrow")]
    Parquet(PathBuf),
}

impl Input {
    /// The size of the input in bytes (the `scaling` bench compares the sizes).
    #[allow(dead_code)]
    pub fn bytes(&self) -> u64 {
        match self {
            Input::Csv(text) | Input::Mapped(text, _) => text.len() as u64,
            #[cfg(feature = "arrow")]
            Input::Parquet(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
        }
    }

    /// Reads the input into a log (dropped after the clock stops) and returns the time taken.
    pub fn read(&self, journey: &Journey) -> Duration {
        let start = Instant::now();
        let mut builder = LogBuilder::new(journey, IngestOptions::default());
        match self {
            Input::Csv(text) => builder.read_csv(black_box(text.as_bytes())).unwrap(),
            Input::Mapped(text, mapping) => {
                builder = builder.mapping(Mapping::clone(mapping)).unwrap();
                builder.read_csv(black_box(text.as_bytes())).unwrap();
            }
            #[cfg(feature = "arrow")]
            Input::Parquet(path) => builder.read_parquet_path(black_box(path)).unwrap(),
        }
        let built = builder.finish();
        let elapsed = start.elapsed();
        drop(black_box(built));
        elapsed
    }
}
