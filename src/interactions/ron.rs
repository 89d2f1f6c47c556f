//! Reading interactions from RON: a list of interaction records.

use std::path::Path;

use super::log::LogBuilder;
use super::problems::IngestError;
use super::record::Interaction;
use crate::format::ron::read;

impl LogBuilder<'_> {
    /// Reads a RON list of interactions and attaches each, as [`push`](LogBuilder::push).
    ///
    /// Each element is an [`Interaction`] with the field names of the CSV columns; optional
    /// values may be written bare (the `implicit_some` extension is on), timestamps are RFC 3339
    /// strings and outcomes are written `Completed`, `Abandoned`, `Failed` or `Escalated`. A
    /// record's row is its position in the list, from 1, counted on from earlier records.
    ///
    /// # Errors
    ///
    /// [`IngestError::Syntax`] naming `origin`, line and column when the text is not such a
    /// list (the whole text is refused, nothing is attached); otherwise as
    /// [`push`](LogBuilder::push) for each record.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// builder.read_ron_str(r#"[
    ///     (customer: "c1", touchpoint: "chatbot", timestamp: "2026-01-05T10:00:00Z", outcome: Escalated, csat: 2),
    ///     (customer: "c1", touchpoint: "live-chat-agent", timestamp: "2026-01-05T10:04:00Z", outcome: Completed, resolved: true),
    /// ]"#, "chat.ron")?;
    /// let (log, _) = builder.finish();
    /// assert_eq!(log.len(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn read_ron_str(&mut self, text: &str, origin: &str) -> Result<(), IngestError> {
        let interactions: Vec<Interaction> = read(text).map_err(|e| IngestError::Syntax {
            origin: origin.to_owned(),
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        self.extend(interactions)
    }

    /// Reads a RON file of interactions, as [`read_ron_str`](LogBuilder::read_ron_str).
    ///
    /// # Errors
    ///
    /// [`IngestError::Read`] naming the file when it cannot be read, or not as UTF-8;
    /// otherwise as [`read_ron_str`](LogBuilder::read_ron_str).
    pub fn read_ron_path(&mut self, path: impl AsRef<Path>) -> Result<(), IngestError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| IngestError::Read {
            origin: path.display().to_string(),
            source,
        })?;
        self.read_ron_str(&text, &path.display().to_string())
    }
}
