//! Reading a data file by its extension: CSV, or Parquet with the `arrow` feature.

use std::path::Path;

use super::log::LogBuilder;
use super::problems::IngestError;

/// The formats [`LogBuilder::read_path`] reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum FileFormat {
    /// Comma-separated values, with a header: any extension but `.parquet`.
    Csv,
    /// Apache Parquet (`.parquet`, `.pq`), read with the `arrow` feature.
    Parquet,
}

impl FileFormat {
    /// The format of `path`, by its extension.
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::interactions::FileFormat;
    ///
    /// assert_eq!(FileFormat::of("export.parquet"), FileFormat::Parquet);
    /// assert_eq!(FileFormat::of("export.csv"), FileFormat::Csv);
    /// ```
    pub fn of(path: impl AsRef<Path>) -> Self {
        match path
            .as_ref()
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("parquet" | "pq") => FileFormat::Parquet,
            _ => FileFormat::Csv,
        }
    }
}

impl LogBuilder<'_> {
    /// Reads a data file by its extension: Parquet for `.parquet` and `.pq` (with the `arrow`
    /// feature), CSV otherwise; through the builder's [`mapping`](LogBuilder::mapping), if any.
    ///
    /// # Errors
    ///
    /// As [`read_csv_path`](LogBuilder::read_csv_path) or `read_parquet_path`;
    /// [`IngestError::NeedsFeature`] for a Parquet file when the crate was built without the
    /// `arrow` feature.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// builder.read_path("examples/data/retail_bank.interactions.csv")?;
    /// assert_eq!(builder.finish().1.accepted, 7_461);
    /// # Ok(())
    /// # }
    /// ```
    pub fn read_path(&mut self, path: impl AsRef<Path>) -> Result<(), IngestError> {
        let path = path.as_ref();
        match FileFormat::of(path) {
            FileFormat::Csv => self.read_csv_path(path),
            #[cfg(feature = "arrow")]
            FileFormat::Parquet => self.read_parquet_path(path),
            #[cfg(not(feature = "arrow"))]
            FileFormat::Parquet => Err(IngestError::NeedsFeature {
                origin: path.display().to_string(),
                feature: "arrow",
            }),
        }
    }
}
