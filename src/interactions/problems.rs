//! What can be wrong with interaction records, and what ingestion reports.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::csv::HeaderProblem;
use super::record::CustomerId;
use super::scores::ScoreScale;
use crate::UnknownIdError;

/// How a log treats a bad record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Mode {
    /// The first bad record is an error, naming its row, field and reason.
    #[default]
    Strict,
    /// Bad records are skipped, counted and listed in the [`IngestReport`]; nothing is
    /// dropped silently.
    Lenient,
}

/// A field of an interaction record; in CSV, a column. Written in files by its column name
/// (`wait_seconds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Field {
    /// `customer`
    Customer,
    /// `touchpoint`
    Touchpoint,
    /// `timestamp`
    Timestamp,
    /// `persona`
    Persona,
    /// `outcome`
    Outcome,
    /// `wait_seconds`
    WaitSeconds,
    /// `handling_seconds`
    HandlingSeconds,
    /// `csat`
    Csat,
    /// `ces`
    Ces,
    /// `nps`
    Nps,
    /// `sentiment`
    Sentiment,
    /// `resolved`
    Resolved,
    /// `need`
    Need,
    /// `tags`
    Tags,
    /// `session`
    Session,
}

impl Field {
    /// Every field, in the order of the CSV columns the crate writes.
    pub const ALL: [Field; 15] = [
        Field::Customer,
        Field::Touchpoint,
        Field::Timestamp,
        Field::Persona,
        Field::Outcome,
        Field::WaitSeconds,
        Field::HandlingSeconds,
        Field::Csat,
        Field::Ces,
        Field::Nps,
        Field::Sentiment,
        Field::Resolved,
        Field::Need,
        Field::Tags,
        Field::Session,
    ];

    /// The field's name, as a CSV column header and a RON field.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Customer => "customer",
            Field::Touchpoint => "touchpoint",
            Field::Timestamp => "timestamp",
            Field::Persona => "persona",
            Field::Outcome => "outcome",
            Field::WaitSeconds => "wait_seconds",
            Field::HandlingSeconds => "handling_seconds",
            Field::Csat => "csat",
            Field::Ces => "ces",
            Field::Nps => "nps",
            Field::Sentiment => "sentiment",
            Field::Resolved => "resolved",
            Field::Need => "need",
            Field::Tags => "tags",
            Field::Session => "session",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why one record was refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum RecordProblem {
    /// The customer id is empty or blank.
    #[error("the customer id is empty")]
    EmptyCustomer,
    /// The touchpoint is not in the journey.
    #[error("{0}")]
    UnknownTouchpoint(UnknownIdError),
    /// The persona is not in the journey.
    #[error("{0}")]
    UnknownPersona(UnknownIdError),
    /// A score is outside its scale.
    #[error("score {value} is outside the scale {scale}")]
    ScoreOutOfRange {
        /// The score.
        value: u64,
        /// The scale it should be on.
        scale: ScoreScale,
    },
    /// The sentiment is NaN or outside the sentiment range.
    #[error("sentiment {value} is outside {min}..={max}")]
    SentimentOutOfRange {
        /// The sentiment.
        value: f64,
        /// The lowest allowed.
        min: f64,
        /// The highest allowed.
        max: f64,
    },
    /// A number is NaN or infinite.
    #[error("{value} is not a finite number")]
    NotFinite {
        /// The number.
        value: f64,
    },
    /// A wait or handling time is negative.
    #[error("duration {seconds} s is negative")]
    NegativeDuration {
        /// The duration, in seconds.
        seconds: f64,
    },
    /// A wait or handling time is longer than a log stores (about 49 days).
    #[error("duration {seconds} s is longer than the 49 days a log stores")]
    DurationTooLong {
        /// The duration, in seconds.
        seconds: f64,
    },
    /// A value could not be read as its field's type.
    #[error("{0}")]
    Unreadable(String),
    /// A required field is missing or empty.
    #[error("the field is required")]
    Missing,
    /// A record of a RON file cannot be read as an interaction (lenient mode keeps the
    /// others): where in the file, and why.
    #[error("line {line}, column {column}: {message}")]
    Malformed {
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// What was wrong and what was expected.
        message: String,
    },
    /// The log has as many customers as an index can count.
    #[error("the log has more customers than an index can count")]
    TooManyCustomers,
    /// The record names a segment beyond the most a log holds.
    #[error("the record names a segment beyond the {limit} segments a log holds")]
    TooManySegments {
        /// The most segment names a log holds.
        limit: usize,
    },
    /// The log has as many distinct values of the field (needs, tags, tag sets) as an index
    /// can count.
    #[error("the log has more distinct values of the field than an index can count")]
    TooManyValues,
}

impl RecordProblem {
    /// The kind of problem in a few words, the same for every record with it: what
    /// [`IngestReport::rejected_by_reason`] counts by.
    pub fn kind(&self) -> &'static str {
        match self {
            RecordProblem::EmptyCustomer => "empty customer",
            RecordProblem::UnknownTouchpoint(_) => "unknown touchpoint",
            RecordProblem::UnknownPersona(_) => "unknown persona",
            RecordProblem::ScoreOutOfRange { .. } => "score out of range",
            RecordProblem::SentimentOutOfRange { .. } => "sentiment out of range",
            RecordProblem::NotFinite { .. } => "not a finite number",
            RecordProblem::NegativeDuration { .. } => "negative duration",
            RecordProblem::DurationTooLong { .. } => "duration too long",
            RecordProblem::Unreadable(_) => "unreadable value",
            RecordProblem::Missing => "missing value",
            RecordProblem::Malformed { .. } => "malformed record",
            RecordProblem::TooManyCustomers => "too many customers",
            RecordProblem::TooManyValues => "too many distinct values",
            RecordProblem::TooManySegments { .. } => "too many segments",
        }
    }
}

/// One refused record: where it is and why.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::interactions::Field;
/// use journey_map::{IngestError, IngestOptions, Interaction, Journey, LogBuilder, Outcome};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// let bad = Interaction::new("c1", "chatbot", "2026-01-05T10:00:00Z".parse()?, Outcome::Completed).with_csat(9);
/// let Err(IngestError::Record(error)) = builder.push(bad) else { panic!("expected an error") };
/// assert_eq!((error.row, error.field), (1, Some(Field::Csat)));
/// assert_eq!(error.to_string(), "row 1, column csat: score 9 is outside the scale 1..=5");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub struct RecordError {
    /// The record's row, from 1: its position among the records offered, or in a CSV file
    /// the line it starts on (the header is line 1, so the first record is row 2).
    pub row: usize,
    /// The field at fault, when one is.
    pub field: Option<Field>,
    /// The file's name for the field's column, when a mapping reads it from a column named
    /// otherwise.
    pub column: Option<String>,
    /// Why the record was refused. Its text is part of this error's message, so it is not
    /// also given as the error's source (a printer walking the chain would say it twice).
    pub problem: RecordProblem,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.field, &self.column) {
            (Some(field), Some(column)) => write!(
                f,
                "row {}, column {column} ({field}): {}",
                self.row, self.problem
            ),
            (Some(field), None) => write!(f, "row {}, column {field}: {}", self.row, self.problem),
            (None, _) => write!(f, "row {}: {}", self.row, self.problem),
        }
    }
}

/// What ingestion accepted and what it skipped, in lenient mode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IngestReport {
    /// How many records were attached.
    pub accepted: usize,
    /// The records skipped, in input order, with their row and reason: the first
    /// [`IngestOptions::keep_rejected`](crate::IngestOptions::keep_rejected) of them (1,000
    /// by default). Every one is counted in [`rejected_count`](IngestReport::rejected_count)
    /// and [`rejected_by_reason`](IngestReport::rejected_by_reason).
    pub rejected: Vec<RecordError>,
    /// Every refused record counted by field and kind of problem, in order of first
    /// appearance.
    #[serde(default)]
    refused: Vec<Refused>,
    /// Patterns of the accepted records that are almost always a mistake in reading the data
    /// (a wrong column, a constant): warnings, not errors.
    pub warnings: Vec<IngestWarning>,
    /// Distinct customers in the finished log.
    pub customers: usize,
    /// Journeys in the finished log: one per customer unless sessions or an inactivity gap
    /// split their histories.
    pub journeys: usize,
    /// Rows read through a [`Mapping`](crate::interactions::Mapping) that were not attached
    /// as interactions, by reason: events the mapping skips, marker events (which set the
    /// outcome of another interaction), markers with no interaction to apply to. Bad rows
    /// are in `rejected`, not here.
    pub skipped: Vec<Skipped>,
}

/// Rows left out on purpose, by reason, with how many: events a mapping skips, markers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Skipped {
    /// Why, in words: `skipped event "heartbeat"`, `marker "payment_error" applied`.
    pub reason: String,
    /// How many rows.
    pub rows: usize,
}

/// A pattern in a log that is almost always a mistake in reading the data, found when the
/// log is finished. The data is kept; the warning says what to check.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{IngestOptions, IngestWarning, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut csv = String::from("customer,touchpoint,timestamp,outcome\n");
/// for c in 0..20 {
///     csv.push_str(&format!("c{c},search-ad,2026-01-05T00:00:00Z,completed\nc{c},product-page,2026-01-05T00:00:00Z,completed\n"));
/// }
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv(csv.as_bytes())?;
/// let (_, report) = builder.finish();
/// assert!(matches!(report.warnings[0], IngestWarning::IdenticalTimestamps { interactions: 40 }));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum IngestWarning {
    /// Every interaction has the same time (at least 10 of them): a constant, or a column
    /// that is not the time of the interaction.
    IdenticalTimestamps {
        /// Interactions in the log.
        interactions: usize,
    },
    /// Nine in ten customers with several interactions have them all at one time (at least 20
    /// such customers): a date without a time of day, so their order is lost.
    UnorderedCustomers {
        /// Customers with several interactions.
        customers: usize,
        /// Of those, how many have them all at one time.
        at_one_time: usize,
    },
    /// One customer holds most of the interactions (more than half, of at least 100): a
    /// constant or wrong customer column.
    OneCustomerHoldsMost {
        /// The customer.
        customer: CustomerId,
        /// Their interactions.
        interactions: usize,
        /// Interactions in the log.
        of: usize,
    },
    /// Every need has exactly two contacts (at least 20 needs): usually a ticket id used as
    /// the need key, with an opening and a closing row per ticket, which makes repeat contacts
    /// and first-contact resolution meaningless.
    NeedsAllTwoContacts {
        /// Needs in the log (by customer and key).
        needs: usize,
    },
    /// Every interaction (at least 20) is dated in 1970: usually Unix seconds read as
    /// milliseconds (the Unix unit setting), which puts a 2026 time in January 1970.
    TimesIn1970 {
        /// Interactions in the log.
        interactions: usize,
    },
    /// A segment (or the persona) changes between every two consecutive interactions of a
    /// customer that give it (at least 20 such pairs): usually a column that is not a segment
    /// (an event name, an id), which makes the segment's breakdowns meaningless.
    SegmentChangesOnEveryRow {
        /// The segment, or `persona`.
        segment: String,
        /// Consecutive pairs that give it, all different.
        pairs: usize,
    },
}

impl fmt::Display for IngestWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestWarning::IdenticalTimestamps { interactions } => write!(
                f,
                "all {interactions} interactions have the same time: is the timestamp column the time of each interaction?"
            ),
            IngestWarning::UnorderedCustomers {
                customers,
                at_one_time,
            } => write!(
                f,
                "{at_one_time} of {customers} customers with several interactions have them all at one time: do the timestamps lack the time of day?"
            ),
            IngestWarning::OneCustomerHoldsMost {
                customer,
                interactions,
                of,
            } => write!(
                f,
                "customer {customer:?} holds {interactions} of {of} interactions: is the customer column right?"
            ),
            IngestWarning::SegmentChangesOnEveryRow { segment, pairs } => write!(
                f,
                "segment {segment:?} changes between every two consecutive interactions of a customer ({pairs} pairs): is its column a segment?"
            ),
            IngestWarning::TimesIn1970 { interactions } => write!(
                f,
                "all {interactions} interactions are dated in 1970: are the times Unix seconds read as milliseconds (the Unix unit setting)?"
            ),
            IngestWarning::NeedsAllTwoContacts { needs } => write!(
                f,
                "all {needs} needs have exactly two contacts: is the need column a ticket id (an opening and a closing row per ticket)? Repeat contacts and first-contact resolution would be meaningless"
            ),
        }
    }
}

/// Refused records of one field and kind of problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Refused {
    field: Option<Field>,
    kind: String,
    rows: usize,
}

impl IngestReport {
    /// Counts a refused record, whether or not it is kept in full.
    pub(crate) fn count_rejected(&mut self, error: &RecordError) {
        let kind = error.problem.kind();
        match self
            .refused
            .iter_mut()
            .find(|r| r.field == error.field && r.kind == kind)
        {
            Some(refused) => refused.rows += 1,
            None => self.refused.push(Refused {
                field: error.field,
                kind: kind.to_owned(),
                rows: 1,
            }),
        }
    }

    /// How many records were skipped, kept in full or not.
    pub fn rejected_count(&self) -> usize {
        self.refused.iter().map(|r| r.rows).sum()
    }

    /// How many rows were read: attached, refused, and left out on purpose.
    pub fn rows(&self) -> usize {
        self.accepted + self.rejected_count() + self.skipped.iter().map(|s| s.rows).sum::<usize>()
    }

    /// The share of the rows read that were refused, 0 when none was read.
    pub fn rejected_share(&self) -> f64 {
        match self.rows() {
            0 => 0.0,
            rows => self.rejected_count() as f64 / rows as f64,
        }
    }

    /// The refused records counted by reason (`touchpoint: unknown touchpoint`), most
    /// frequent first, ties in order of first appearance.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::{IngestOptions, Journey, LogBuilder, Mode};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    /// builder.read_csv("customer,touchpoint,timestamp,outcome\n\
    ///                   a,chatbto,2026-01-05T10:00:00Z,completed\n\
    ///                   b,chatbot,yesterday,completed\n\
    ///                   c,chatbto,2026-01-05T10:00:00Z,completed\n".as_bytes())?;
    /// let (_, report) = builder.finish();
    /// assert_eq!(
    ///     report.rejected_by_reason(),
    ///     [("touchpoint: unknown touchpoint".to_owned(), 2), ("timestamp: unreadable value".to_owned(), 1)]
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn rejected_by_reason(&self) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = self
            .refused
            .iter()
            .map(|r| match r.field {
                Some(field) => (format!("{field}: {}", r.kind), r.rows),
                None => (r.kind.clone(), r.rows),
            })
            .collect();
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        counts
    }
}

/// A summary in a few lines: rows read, attached, left out on purpose by reason, refused by
/// reason (with the first refused rows located), customers and journeys, and warnings.
impl fmt::Display for IngestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "rows read: {}, attached: {}, left out on purpose: {}, refused: {}",
            self.rows(),
            self.accepted,
            self.skipped.iter().map(|s| s.rows).sum::<usize>(),
            self.rejected_count()
        )?;
        write!(
            f,
            "customers: {}, journeys: {}",
            self.customers, self.journeys
        )?;
        for skipped in &self.skipped {
            write!(f, "\nleft out: {} ({} rows)", skipped.reason, skipped.rows)?;
        }
        for (reason, rows) in self.rejected_by_reason() {
            write!(f, "\nrefused: {reason} ({rows} rows)")?;
        }
        for error in self.rejected.iter().take(5) {
            write!(f, "\n  {error}")?;
        }
        let shown = self.rejected.len().min(5);
        if self.rejected_count() > shown {
            write!(f, "\n  and {} more", self.rejected_count() - shown)?;
        }
        for warning in &self.warnings {
            write!(f, "\nwarning: {warning}")?;
        }
        Ok(())
    }
}

/// Interactions could not be attached.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// A record is invalid (strict mode).
    #[error(transparent)]
    Record(RecordError),
    /// A CSV header or a record batch's columns are unusable.
    #[error("bad header: {0}")]
    Header(HeaderProblem),
    /// RON text is malformed or not a list of interactions.
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        /// The file, or the name given for text in memory.
        origin: String,
        /// The line of the problem, from 1.
        line: usize,
        /// The column of the problem, from 1.
        column: usize,
        /// What was wrong and what was expected.
        message: String,
    },
    /// The file's format needs a feature the crate was built without (Parquet needs
    /// `arrow`).
    #[error("cannot read {origin}: its format needs the crate's {feature:?} feature")]
    NeedsFeature {
        /// The file.
        origin: String,
        /// The feature.
        feature: &'static str,
    },
    /// Columnar data (Parquet) could not be decoded.
    #[error("cannot read columnar data from {origin}")]
    Columnar {
        /// The file, or the name given for data in memory.
        origin: String,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The input could not be read.
    #[error("cannot read interactions from {origin}")]
    Read {
        /// The file, or `<reader>` for a reader given in code.
        origin: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}
