//! Reading interactions from CSV.
//!
//! The first line names the columns, in any order. `customer`, `touchpoint`, `timestamp` and
//! `outcome` are required; `persona`, `wait_seconds`, `handling_seconds`, `csat`, `ces`, `nps`,
//! `sentiment`, `resolved`, `need` and `tags` may be left out or left empty. An unknown column
//! is an error (with the closest column name), so that no data is dropped silently.

use std::io;
use std::path::Path;

use jiff::Timestamp;

use super::log::{LogBuilder, RecordView};
use super::problems::{Field, IngestError, RecordError, RecordProblem};
use super::record::{Interaction, Outcome};
use crate::model::validation::closest;

/// How plain numbers in the `timestamp` column are read. RFC 3339 text
/// (`2026-01-05T10:00:00Z`, `2026-01-05T11:00:00+01:00`) is always accepted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum UnixUnit {
    /// Seconds since 1970-01-01T00:00:00Z.
    #[default]
    Seconds,
    /// Milliseconds since 1970-01-01T00:00:00Z.
    Milliseconds,
}

impl LogBuilder<'_> {
    /// Reads interactions from CSV text and attaches each row, as [`push`](LogBuilder::push).
    ///
    /// Rows are numbered by the line they start on (the header is line 1), in errors and in
    /// the report.
    ///
    /// # Errors
    ///
    /// [`IngestError::Header`] for an unknown, repeated or missing required column;
    /// [`IngestError::Read`] when the reader fails; in strict mode, [`IngestError::Record`] for
    /// the first bad row (a malformed line, a value that cannot be read, or any problem
    /// [`push`](LogBuilder::push) reports). In lenient mode bad rows are skipped and listed.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::{IngestOptions, Journey, LogBuilder, Mode};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let csv = "customer,touchpoint,timestamp,outcome,csat,tags\n\
    ///            c1,chatbot,2026-01-05T10:00:00Z,escalated,2,\n\
    ///            c1,live-chat-agent,1767607500,completed,5,late|weekend\n\
    ///            c2,chatbto,2026-01-05T11:00:00Z,completed,,\n";
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    /// builder.read_csv(csv.as_bytes())?;
    /// let (log, report) = builder.finish();
    /// assert_eq!((log.len(), report.accepted, report.rejected_count()), (2, 2, 1));
    /// assert_eq!(
    ///     report.rejected[0].to_string(),
    ///     "row 4, column touchpoint: unknown touchpoint \"chatbto\" (did you mean \"chatbot\"?)"
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn read_csv(&mut self, reader: impl io::Read) -> Result<(), IngestError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(reader);
        let headers = csv
            .byte_headers()
            .map_err(|e| csv_error(e, "<header>"))?
            .clone();
        let columns = Columns::from_header(&headers)?;
        let unit = self.options().current_unix_unit();
        let mut record = csv::StringRecord::new();
        loop {
            // A StringRecord checks UTF-8 once for the whole row.
            match csv.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let row = record.position().map_or(0, |p| p.line() as usize);
                    self.count_row();
                    match columns.view(&record, unit) {
                        Ok(view) => self.offer_view(row, &view)?,
                        Err((field, problem)) => self.reject(RecordError {
                            row,
                            field,
                            problem,
                        })?,
                    }
                }
                Err(error) => {
                    let row = error.position().map_or(0, |p| p.line() as usize);
                    if let csv::ErrorKind::Io(_) = error.kind() {
                        return Err(csv_error(error, "<reader>"));
                    }
                    self.count_row();
                    let problem = RecordProblem::Unreadable(error.to_string());
                    self.reject(RecordError {
                        row,
                        field: None,
                        problem,
                    })?;
                }
            }
        }
    }

    /// Reads interactions from a CSV file, as [`read_csv`](LogBuilder::read_csv).
    ///
    /// # Errors
    ///
    /// [`IngestError::Read`] naming the file when it cannot be opened or read; otherwise as
    /// [`read_csv`](LogBuilder::read_csv).
    pub fn read_csv_path(&mut self, path: impl AsRef<Path>) -> Result<(), IngestError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| IngestError::Read {
            origin: path.display().to_string(),
            source,
        })?;
        self.read_csv(io::BufReader::new(file))
            .map_err(|error| match error {
                IngestError::Read { source, .. } => IngestError::Read {
                    origin: path.display().to_string(),
                    source,
                },
                other => other,
            })
    }
}

fn csv_error(error: csv::Error, origin: &str) -> IngestError {
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(source) => IngestError::Read {
            origin: origin.to_owned(),
            source,
        },
        _ => IngestError::Read {
            origin: origin.to_owned(),
            source: io::Error::new(io::ErrorKind::InvalidData, message),
        },
    }
}

/// Which column holds each field.
struct Columns {
    position: [Option<usize>; Field::ALL.len()],
}

impl Columns {
    fn from_header(header: &csv::ByteRecord) -> Result<Self, IngestError> {
        let mut position = [None; Field::ALL.len()];
        for (i, name) in header.iter().enumerate() {
            let name = String::from_utf8_lossy(name);
            let name = name.trim();
            let Some(field) = Field::ALL.iter().position(|f| f.as_str() == name) else {
                return Err(IngestError::Header(HeaderProblem::UnknownColumn {
                    name: name.to_owned(),
                    suggestion: closest(name, Field::ALL.iter().map(|f| f.as_str())),
                }));
            };
            if position[field].replace(i).is_some() {
                return Err(IngestError::Header(HeaderProblem::RepeatedColumn(
                    Field::ALL[field],
                )));
            }
        }
        for required in [
            Field::Customer,
            Field::Touchpoint,
            Field::Timestamp,
            Field::Outcome,
        ] {
            if position[required as usize].is_none() {
                return Err(IngestError::Header(HeaderProblem::MissingColumn(required)));
            }
        }
        Ok(Self { position })
    }

    /// The text of a field in a row; `None` when the column is absent or the cell is empty.
    fn text<'r>(
        &self,
        record: &'r csv::StringRecord,
        field: Field,
    ) -> Result<Option<&'r str>, (Option<Field>, RecordProblem)> {
        let Some(text) = self.position[field as usize].and_then(|i| record.get(i)) else {
            return Ok(None);
        };
        let text = text.trim_ascii();
        Ok((!text.is_empty()).then_some(text))
    }

    fn required<'r>(
        &self,
        record: &'r csv::StringRecord,
        field: Field,
    ) -> Result<&'r str, (Option<Field>, RecordProblem)> {
        self.text(record, field)?
            .ok_or((Some(field), RecordProblem::Missing))
    }

    fn view<'r>(
        &self,
        record: &'r csv::StringRecord,
        unit: UnixUnit,
    ) -> Result<RecordView<'r>, (Option<Field>, RecordProblem)> {
        let unreadable =
            |field: Field, message: String| (Some(field), RecordProblem::Unreadable(message));
        let timestamp = self.required(record, Field::Timestamp)?;
        let timestamp_ms =
            parse_timestamp(timestamp, unit).map_err(|m| unreadable(Field::Timestamp, m))?;
        let outcome = self
            .required(record, Field::Outcome)?
            .parse::<Outcome>()
            .map_err(|e| unreadable(Field::Outcome, e.to_string()))?;
        let number = |field: Field| -> Result<Option<f64>, (Option<Field>, RecordProblem)> {
            match self.text(record, field)? {
                None => Ok(None),
                Some(text) => text
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| unreadable(field, format!("{text:?} is not a number"))),
            }
        };
        let score = |field: Field| -> Result<Option<u8>, (Option<Field>, RecordProblem)> {
            match self.text(record, field)? {
                None => Ok(None),
                Some(text) => text
                    .parse::<u8>()
                    .ok()
                    .filter(|&v| v != u8::MAX)
                    .map(Some)
                    .ok_or_else(|| {
                        unreadable(
                            field,
                            format!("{text:?} is not a whole number from 0 to 254"),
                        )
                    }),
            }
        };
        let resolved = match self.text(record, Field::Resolved)? {
            None => None,
            Some(text) => Some(parse_bool(text).ok_or_else(|| {
                unreadable(
                    Field::Resolved,
                    format!("{text:?} is not true or false (also yes/no, 1/0)"),
                )
            })?),
        };
        Ok(RecordView {
            customer: self.required(record, Field::Customer)?,
            touchpoint: self.required(record, Field::Touchpoint)?,
            timestamp_ms,
            persona: self.text(record, Field::Persona)?,
            outcome: Some(outcome),
            wait_seconds: number(Field::WaitSeconds)?,
            handling_seconds: number(Field::HandlingSeconds)?,
            csat: score(Field::Csat)?,
            ces: score(Field::Ces)?,
            nps: score(Field::Nps)?,
            sentiment: number(Field::Sentiment)?,
            resolved,
            need: self.text(record, Field::Need)?,
            tags: self
                .text(record, Field::Tags)?
                .map(|tags| {
                    tags.split('|')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        })
    }
}

/// Milliseconds since the epoch from RFC 3339 text or a whole number in `unit`.
fn parse_timestamp(text: &str, unit: UnixUnit) -> Result<i64, String> {
    let is_number = text
        .strip_prefix('-')
        .unwrap_or(text)
        .bytes()
        .all(|b| b.is_ascii_digit());
    let timestamp = if is_number {
        let value: i64 = text
            .parse()
            .map_err(|_| format!("{text:?} is too large for a timestamp"))?;
        match unit {
            UnixUnit::Seconds => Timestamp::from_second(value),
            UnixUnit::Milliseconds => Timestamp::from_millisecond(value),
        }
        .map_err(|e| format!("{text:?} is out of range for a timestamp: {e}"))?
    } else {
        text.parse::<Timestamp>()
            .map_err(|e| format!("{text:?} is neither RFC 3339 nor a number: {e}"))?
    };
    Ok(timestamp.as_millisecond())
}

fn parse_bool(text: &str) -> Option<bool> {
    const TRUE: [&str; 3] = ["true", "yes", "1"];
    const FALSE: [&str; 3] = ["false", "no", "0"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
        Some(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(text)) {
        Some(false)
    } else {
        None
    }
}

/// What is wrong with a CSV header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// A column the crate does not know.
    #[error("unknown column {name:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    UnknownColumn {
        /// The column's name.
        name: String,
        /// The closest known column.
        suggestion: Option<String>,
    },
    /// A column named twice.
    #[error("column {0} appears twice")]
    RepeatedColumn(Field),
    /// A required column is missing.
    #[error("required column {0} is missing")]
    MissingColumn(Field),
}

/// Writes interactions as CSV in the format [`LogBuilder::read_csv`] reads: a header with every
/// column, timestamps in RFC 3339 (UTC), empty cells for absent values, tags joined by `|`.
///
/// # Errors
///
/// The writer's I/O error.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{write_csv, IngestOptions, Interaction, Journey, LogBuilder, Outcome};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let records = vec![Interaction::new("c1", "chatbot", "2026-01-05T10:00:00Z".parse()?, Outcome::Completed).with_csat(4)];
/// let mut csv = Vec::new();
/// write_csv(&records, &mut csv)?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv(csv.as_slice())?;
/// assert_eq!(builder.finish().0.len(), 1);
/// # Ok(())
/// # }
/// ```
pub fn write_csv<I>(interactions: I, writer: impl io::Write) -> io::Result<()>
where
    I: IntoIterator,
    I::Item: std::borrow::Borrow<Interaction>,
{
    let mut csv = csv::Writer::from_writer(writer);
    let io = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    };
    csv.write_record(Field::ALL.iter().map(|f| f.as_str()))
        .map_err(io)?;
    let text = |v: Option<String>| v.unwrap_or_default();
    for interaction in interactions {
        let i = std::borrow::Borrow::<Interaction>::borrow(&interaction);
        csv.write_record(Field::ALL.iter().map(|field| match field {
            Field::Customer => i.customer.to_string(),
            Field::Touchpoint => i.touchpoint.to_string(),
            Field::Timestamp => i.timestamp.to_string(),
            Field::Persona => text(i.persona.as_ref().map(|p| p.to_string())),
            Field::Outcome => i.outcome.to_string(),
            Field::WaitSeconds => text(i.wait_seconds.map(|v| v.to_string())),
            Field::HandlingSeconds => text(i.handling_seconds.map(|v| v.to_string())),
            Field::Csat => text(i.csat.map(|v| v.to_string())),
            Field::Ces => text(i.ces.map(|v| v.to_string())),
            Field::Nps => text(i.nps.map(|v| v.to_string())),
            Field::Sentiment => text(i.sentiment.map(|v| v.to_string())),
            Field::Resolved => text(i.resolved.map(|v| v.to_string())),
            Field::Need => text(i.need.clone()),
            Field::Tags => i.tags.join("|"),
        }))
        .map_err(io)?;
    }
    csv.flush()
}
