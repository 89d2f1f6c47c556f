//! Aggregated paths: each distinct path once, with how many customers took it and converted
//! or not — the usual input of attribution tools, read without making up customers.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::validation::closest;
use crate::{Fingerprint, Journey, TouchpointIndex};

/// One distinct path and its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AggregatedPath {
    /// The touchpoints, in order.
    pub touchpoints: Vec<TouchpointIndex>,
    /// Customers who took it and converted after it.
    pub conversions: u64,
    /// Customers who took it and did not convert.
    pub nulls: u64,
}

/// Distinct paths with counts, checked against a journey.
///
/// Read from CSV with a header `path,conversions,nulls` (in any order; other columns are an
/// error), one path per row, its touchpoint ids joined by `" > "` (or another separator):
///
/// ```text
/// path,conversions,nulls
/// search-ad > product-page > online-application,120,880
/// social-campaign > mobile-app-signup,45,400
/// ```
///
/// A conversion comes after the last touchpoint of its path (attribution tools leave the
/// conversion out of the path); a path may also end at a goal touchpoint. Paths feed
/// [`MarkovChain::from_paths`](crate::analysis::MarkovChain::from_paths) (attribution, removal
/// effects, Shapley values) and
/// [`Variants::from_paths`](crate::analysis::Variants::from_paths), weighted by their counts.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{AggregatedPaths, Journey};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let csv = "path,conversions,nulls\n\
///            search-ad > product-page > online-application,120,880\n\
///            social-campaign > mobile-app-signup,45,400\n";
/// let paths = AggregatedPaths::read_csv(&journey, csv.as_bytes(), " > ")?;
/// assert_eq!(paths.paths().len(), 2);
/// assert_eq!(paths.customers(), 1445);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregatedPaths {
    fingerprint: Fingerprint,
    paths: Vec<AggregatedPath>,
}

/// Why aggregated paths could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AggregatedPathsError {
    /// The input could not be read.
    #[error("cannot read aggregated paths from {origin}")]
    Read {
        /// The file, or `<reader>`.
        origin: String,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The header lacks a column, repeats one or has another.
    #[error("bad header: {0}")]
    Header(String),
    /// A row is malformed or names something the journey does not have.
    #[error("row {row}, column {column}: {message}")]
    Row {
        /// The row, from 1 (the header is row 1).
        row: usize,
        /// The column's name.
        column: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The separator is empty.
    #[error("the separator between touchpoints is empty")]
    EmptySeparator,
}

impl AggregatedPaths {
    /// Paths given in code, checked against `journey`.
    ///
    /// # Errors
    ///
    /// [`AggregatedPathsError::Row`] (row = position from 1, column `path`) for a path that is
    /// empty or names an index the journey does not have.
    pub fn new(
        journey: &Journey,
        paths: Vec<AggregatedPath>,
    ) -> Result<Self, AggregatedPathsError> {
        let t = journey.touchpoints().len();
        for (i, path) in paths.iter().enumerate() {
            if path.touchpoints.is_empty() || path.touchpoints.iter().any(|tp| tp.index() >= t) {
                return Err(AggregatedPathsError::Row {
                    row: i + 1,
                    column: "path",
                    message: "an empty path, or a touchpoint index out of range".to_owned(),
                });
            }
        }
        Ok(Self {
            fingerprint: journey.fingerprint(),
            paths,
        })
    }

    /// Reads CSV (see the type's documentation), touchpoints separated by `separator`
    /// (`" > "` in most tools; spaces around ids are trimmed).
    ///
    /// # Errors
    ///
    /// [`AggregatedPathsError::Header`] for a missing, repeated or unknown column;
    /// [`AggregatedPathsError::Row`] with its row and column for an unknown touchpoint (with
    /// the closest id), an empty path, or a count that is not a whole number;
    /// [`AggregatedPathsError::Read`] when the input cannot be read.
    pub fn read_csv(
        journey: &Journey,
        reader: impl io::Read,
        separator: &str,
    ) -> Result<Self, AggregatedPathsError> {
        if separator.is_empty() {
            return Err(AggregatedPathsError::EmptySeparator);
        }
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(reader);
        let read_error = |e: csv::Error| AggregatedPathsError::Read {
            origin: "<reader>".to_owned(),
            source: io::Error::new(io::ErrorKind::InvalidData, e.to_string()),
        };
        let headers = csv.headers().map_err(read_error)?.clone();
        let names = ["path", "conversions", "nulls"];
        let mut position = [None; 3];
        for (i, name) in headers.iter().enumerate() {
            let name = name.trim();
            let Some(k) = names.iter().position(|n| *n == name) else {
                let hint = closest(name, names)
                    .map(|s| format!(" (did you mean {s:?}?)"))
                    .unwrap_or_default();
                return Err(AggregatedPathsError::Header(format!(
                    "unknown column {name:?}{hint}, expected path, conversions and nulls"
                )));
            };
            if position[k].replace(i).is_some() {
                return Err(AggregatedPathsError::Header(format!(
                    "column {name:?} twice"
                )));
            }
        }
        let [Some(path_at), Some(conv_at), Some(null_at)] = position else {
            let missing: Vec<&str> = names
                .iter()
                .zip(position)
                .filter(|(_, p)| p.is_none())
                .map(|(n, _)| *n)
                .collect();
            return Err(AggregatedPathsError::Header(format!(
                "missing column(s) {}",
                missing.join(", ")
            )));
        };
        let mut paths = Vec::new();
        for (i, record) in csv.records().enumerate() {
            let row = i + 2;
            let record = record.map_err(|e| AggregatedPathsError::Row {
                row,
                column: "path",
                message: e.to_string(),
            })?;
            let cell = |at: usize| record.get(at).unwrap_or_default().trim();
            let mut touchpoints = Vec::new();
            for id in cell(path_at).split(separator).map(str::trim) {
                match journey.touchpoint_index(id) {
                    Some(tp) => touchpoints.push(tp),
                    None if id.is_empty() => {
                        return Err(AggregatedPathsError::Row {
                            row,
                            column: "path",
                            message: "an empty touchpoint in the path".to_owned(),
                        });
                    }
                    None => {
                        let hint = closest(id, journey.touchpoints().iter().map(|t| t.id.as_str()))
                            .map(|s| format!(" (did you mean {s:?}?)"))
                            .unwrap_or_default();
                        return Err(AggregatedPathsError::Row {
                            row,
                            column: "path",
                            message: format!("unknown touchpoint {id:?}{hint}"),
                        });
                    }
                }
            }
            let count = |at: usize, column: &'static str| {
                cell(at)
                    .parse::<u64>()
                    .map_err(|_| AggregatedPathsError::Row {
                        row,
                        column,
                        message: format!("{:?} is not a whole number of customers", cell(at)),
                    })
            };
            paths.push(AggregatedPath {
                touchpoints,
                conversions: count(conv_at, "conversions")?,
                nulls: count(null_at, "nulls")?,
            });
        }
        Ok(Self {
            fingerprint: journey.fingerprint(),
            paths,
        })
    }

    /// Reads a CSV file, as [`read_csv`](Self::read_csv).
    ///
    /// # Errors
    ///
    /// [`AggregatedPathsError::Read`] naming the file when it cannot be opened; otherwise as
    /// [`read_csv`](Self::read_csv).
    pub fn read_csv_path(
        journey: &Journey,
        path: impl AsRef<Path>,
        separator: &str,
    ) -> Result<Self, AggregatedPathsError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| AggregatedPathsError::Read {
            origin: path.display().to_string(),
            source,
        })?;
        Self::read_csv(journey, io::BufReader::new(file), separator)
    }

    /// The paths, in input order.
    pub fn paths(&self) -> &[AggregatedPath] {
        &self.paths
    }

    /// Customers over every path.
    pub fn customers(&self) -> u64 {
        self.paths.iter().map(|p| p.conversions + p.nulls).sum()
    }

    /// The fingerprint of the journey the paths were checked against.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }
}
