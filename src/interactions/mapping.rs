//! Mappings: how an export's own columns, values, event names and time formats become
//! interactions, written in code or in a RON file.
//!
//! A [`Mapping`] says, for each field, which column holds it (or a constant default), which
//! columns to leave out, how values are renamed (`solved` -> `completed`), which event names
//! are which touchpoint (many to one), which events to skip and which events are markers that
//! set the outcome of another interaction, how timestamps are written (a strftime-style format,
//! a time zone for local times, Unix seconds or milliseconds), which columns are segments, and
//! an inactivity gap that splits journeys. [`LogBuilder::mapping`](crate::LogBuilder::mapping)
//! checks it against the journey, reporting every problem at once, each at its line and column
//! in the mapping file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::csv::{
    UnixUnit, parse_bool, parse_number, parse_outcome, parse_score, parse_timestamp,
    parse_timestamp_bytes, split_tags,
};
use super::log::RecordView;
use super::problems::Field;
use super::problems::RecordProblem;
use super::record::Outcome;
use super::scores::Scales;
use crate::format::SettingsError;
use crate::model::validation::closest;
use crate::model::{FastMap, fast_map};
use crate::{Journey, TouchpointId};

/// How the rows of an export become interactions. Every part is optional: the empty mapping
/// reads the crate's own CSV format.
///
/// In a RON file (read with [`Mapping::load`] or [`Mapping::from_ron_str`]):
///
/// ```ron
/// (
///     columns: { customer: "requester_id", touchpoint: "event", timestamp: "created_at",
///                outcome: "status", need: "ticket_id", session: "visit" },
///     defaults: { outcome: "completed" },
///     ignore: ["assignee", "priority"],
///     values: { outcome: { "solved": "completed", "open": "in-progress" } },
///     events: { "phone_call": "support-line", "callback": "support-line" },
///     skip: ["satisfaction_survey_sent"],
///     markers: { "payment_error": (outcome: Failed, of: Previous) },
///     time: (format: "%Y-%m-%d %H:%M:%S", zone: "Europe/London"),
///     segments: { "platform": "platform", "plan": "plan_name" },
///     inactivity_gap_seconds: 1800,
/// )
/// ```
///
/// # Example
///
/// A web clickstream: page events in milliseconds, two event names for one touchpoint, a
/// heartbeat to leave out, an error marker that fails the step before it, sessions and a
/// platform segment.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::interactions::Mapping;
/// use journey_map::{IngestOptions, Journey, LogBuilder, Outcome};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mapping = Mapping::from_ron_str(r#"(
///     columns: { customer: "user_id", touchpoint: "event_name", timestamp: "ts", session: "session_id" },
///     defaults: { outcome: "completed" },
///     events: { "product_view": "product-page", "product_view_mobile": "product-page",
///               "apply": "online-application" },
///     skip: ["heartbeat"],
///     markers: { "form_error": (outcome: Failed, of: Previous) },
///     time: (unix: Milliseconds),
///     segments: { "platform": "platform" },
/// )"#, "clickstream.mapping.ron")?;
/// let csv = "user_id,event_name,ts,session_id,platform\n\
///            u1,product_view,1767603600000,s1,ios\n\
///            u1,heartbeat,1767603630000,s1,ios\n\
///            u1,apply,1767603660000,s1,ios\n\
///            u1,form_error,1767603665000,s1,ios\n\
///            u1,product_view_mobile,1767690000000,s2,android\n";
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default()).mapping(mapping)?;
/// builder.read_csv(csv.as_bytes())?;
/// let (log, report) = builder.finish();
/// assert_eq!((log.len(), log.journey_count(), report.customers), (3, 2, 1));
/// let outcomes: Vec<Outcome> = log.interactions().map(|i| i.outcome()).collect();
/// assert_eq!(outcomes, [Outcome::Completed, Outcome::Failed, Outcome::Completed]);
/// assert_eq!(report.skipped.len(), 2, "the heartbeat and the marker");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Mapping {
    /// The column of each field whose column is not named as the field.
    #[serde(deserialize_with = "crate::format::unique::unique_keys")]
    pub columns: BTreeMap<Field, String>,
    /// A constant for a field, used where its column is absent or its cell empty
    /// (`outcome: "completed"` for a click log).
    #[serde(deserialize_with = "crate::format::unique::unique_keys")]
    pub defaults: BTreeMap<Field, String>,
    /// Columns of the export left out. Any other column the mapping does not read is an
    /// error, so that no data is dropped silently.
    pub ignore: Vec<String>,
    /// Values renamed per field before they are read (`outcome: { "solved": "completed" }`).
    /// Touchpoints are renamed by `events`.
    #[serde(deserialize_with = "crate::format::unique::unique_nested_keys")]
    pub values: BTreeMap<Field, BTreeMap<String, String>>,
    /// Event names (values of the touchpoint column) that are a touchpoint, many to one. An
    /// event not listed is read as a touchpoint id.
    #[serde(deserialize_with = "crate::format::unique::unique_keys")]
    pub events: BTreeMap<String, TouchpointId>,
    /// Events left out: counted in the report, not attached.
    pub skip: Vec<String>,
    /// Events that are no interaction but set the outcome of one of the customer's.
    #[serde(deserialize_with = "crate::format::unique::unique_keys")]
    pub markers: BTreeMap<String, Marker>,
    /// How timestamps are written.
    pub time: TimeFormat,
    /// Segment columns, by segment name (`platform: "platform"`, `plan: "plan_name"`).
    #[serde(deserialize_with = "crate::format::unique::unique_keys")]
    pub segments: BTreeMap<String, String>,
    /// Splits a customer's history into journeys after this much inactivity (see
    /// [`IngestOptions::inactivity_gap_seconds`](crate::IngestOptions::inactivity_gap_seconds)).
    pub inactivity_gap_seconds: Option<u64>,
    /// The text the mapping was read from, to locate problems.
    #[serde(skip)]
    source: Option<Arc<Source>>,
}

/// Mappings are equal when they map alike, wherever they were read from.
impl PartialEq for Mapping {
    fn eq(&self, other: &Self) -> bool {
        self.columns == other.columns
            && self.defaults == other.defaults
            && self.ignore == other.ignore
            && self.values == other.values
            && self.events == other.events
            && self.skip == other.skip
            && self.markers == other.markers
            && self.time == other.time
            && self.segments == other.segments
            && self.inactivity_gap_seconds == other.inactivity_gap_seconds
    }
}

#[derive(Debug)]
struct Source {
    origin: String,
    text: String,
}

/// An event that sets the outcome of one of the customer's interactions instead of being one
/// (an error page after a payment step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Marker {
    /// The outcome it sets.
    pub outcome: Outcome,
    /// Which interaction it sets.
    pub of: MarkerTarget,
}

impl Marker {
    /// A marker setting `outcome` on the interaction `of` says.
    pub fn new(outcome: Outcome, of: MarkerTarget) -> Self {
        Self { outcome, of }
    }
}

/// Which interaction a [`Marker`] sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum MarkerTarget {
    /// The customer's latest interaction at or before the marker.
    Previous,
    /// The customer's interaction at the marker's very time.
    Current,
}

/// How timestamps are written. Whole numbers are Unix time in `unix` (seconds unless set);
/// other text is read by `format` when one is given, else as RFC 3339; a time without an
/// offset is local time in `zone` (which must then be given). Local times that occur twice or
/// never (at a daylight-saving change) are read as the earlier one and shifted forward.
///
/// # Example
///
/// ```
/// use journey_map::interactions::TimeFormat;
///
/// let local = TimeFormat::default().format("%d/%m/%Y %H:%M").zone("Europe/Paris");
/// assert_eq!(local.format.as_deref(), Some("%d/%m/%Y %H:%M"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct TimeFormat {
    /// A strftime-style format (`%Y-%m-%d %H:%M:%S`), as jiff's `strtime` reads it.
    pub format: Option<String>,
    /// An IANA time zone (`Europe/London`) for times without an offset.
    pub zone: Option<String>,
    /// The unit of whole numbers.
    pub unix: Option<UnixUnit>,
}

impl TimeFormat {
    /// Sets the strftime-style format.
    pub fn format(mut self, format: impl Into<String>) -> Self {
        self.format = Some(format.into());
        self
    }

    /// Sets the time zone of local times.
    pub fn zone(mut self, zone: impl Into<String>) -> Self {
        self.zone = Some(zone.into());
        self
    }

    /// Sets the unit of whole numbers.
    pub fn unix(mut self, unit: UnixUnit) -> Self {
        self.unix = Some(unit);
        self
    }
}

impl Mapping {
    /// The empty mapping: the crate's own CSV format.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `field` from `column`.
    pub fn column(mut self, field: Field, column: impl Into<String>) -> Self {
        self.columns.insert(field, column.into());
        self
    }

    /// Gives `field` the constant `value` where its column is absent or empty.
    pub fn default_value(mut self, field: Field, value: impl Into<String>) -> Self {
        self.defaults.insert(field, value.into());
        self
    }

    /// Leaves `column` out.
    pub fn ignore(mut self, column: impl Into<String>) -> Self {
        self.ignore.push(column.into());
        self
    }

    /// Reads `from` in `field` as `to`.
    pub fn value(mut self, field: Field, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.values
            .entry(field)
            .or_default()
            .insert(from.into(), to.into());
        self
    }

    /// Reads event `name` as touchpoint `touchpoint`.
    pub fn event(mut self, name: impl Into<String>, touchpoint: impl Into<TouchpointId>) -> Self {
        self.events.insert(name.into(), touchpoint.into());
        self
    }

    /// Leaves event `name` out.
    pub fn skip(mut self, name: impl Into<String>) -> Self {
        self.skip.push(name.into());
        self
    }

    /// Reads event `name` as a marker.
    pub fn marker(mut self, name: impl Into<String>, marker: Marker) -> Self {
        self.markers.insert(name.into(), marker);
        self
    }

    /// Sets how timestamps are written.
    pub fn time(mut self, time: TimeFormat) -> Self {
        self.time = time;
        self
    }

    /// Reads segment `name` from `column`.
    pub fn segment(mut self, name: impl Into<String>, column: impl Into<String>) -> Self {
        self.segments.insert(name.into(), column.into());
        self
    }

    /// Splits journeys after `seconds` of inactivity.
    pub fn inactivity_gap_seconds(mut self, seconds: u64) -> Self {
        self.inactivity_gap_seconds = Some(seconds);
        self
    }

    /// Reads a mapping from RON text; `origin` names it in errors and locates problems found
    /// when it is checked against a journey.
    ///
    /// # Errors
    ///
    /// [`SettingsError::Syntax`] with line and column for malformed text, an unknown field or
    /// a value of the wrong type.
    pub fn from_ron_str(text: &str, origin: &str) -> Result<Self, SettingsError> {
        let mut mapping: Mapping = crate::format::ron::read_named(text, origin, "mapping")?;
        mapping.source = Some(Arc::new(Source {
            origin: origin.to_owned(),
            text: text.to_owned(),
        }));
        Ok(mapping)
    }

    /// Reads a mapping from a RON file.
    ///
    /// # Errors
    ///
    /// [`SettingsError::Read`] naming the file when it cannot be read; otherwise as
    /// [`Mapping::from_ron_str`].
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::interactions::Mapping;
    ///
    /// let mapping = Mapping::load("examples/data/retail_bank.mapping.ron")?;
    /// assert!(!mapping.columns.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SettingsError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
            kind: "mapping",
            path: path.to_owned(),
            source,
        })?;
        Self::from_ron_str(&text, &path.display().to_string())
    }

    /// Writes the mapping as RON, readable by [`Mapping::from_ron_str`].
    ///
    /// # Errors
    ///
    /// [`SettingsError::Syntax`] should the mapping not serialize (it always does).
    pub fn to_ron_string(&self) -> Result<String, SettingsError> {
        let config = ron::ser::PrettyConfig::default()
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        ron::ser::to_string_pretty(self, config).map_err(|e| SettingsError::Syntax {
            kind: "mapping",
            origin: "<mapping>".into(),
            line: 1,
            column: 1,
            message: e.to_string(),
        })
    }

    /// The origin of the text the mapping was read from, or `<mapping>` for one built in code.
    fn origin(&self) -> String {
        self.source
            .as_ref()
            .map_or_else(|| "<mapping>".to_owned(), |s| s.origin.clone())
    }

    /// Where `needle` (a quoted value of the mapping) first appears in its text, after `after`
    /// when given (the key it belongs under), by the index of the text's quoted strings.
    fn locate(
        &self,
        index: &mut Option<Quoted<'_>>,
        after: Option<&str>,
        needle: &str,
    ) -> Option<(usize, usize)> {
        let index = index.as_mut()?;
        let at = index.find(after, needle)?;
        // Lines before `at`, by the index of line ends: O(log lines), not O(at).
        let line = index.newlines.partition_point(|&nl| nl < at);
        let line_start = if line == 0 {
            0
        } else {
            index.newlines[line - 1] + 1
        };
        Some((line + 1, at - line_start + 1))
    }

    /// Checks the mapping against `journey` and prepares it for reading rows.
    ///
    /// # Errors
    ///
    /// [`MappingError`] with every problem, each located in the mapping's text when it was
    /// read from one.
    pub(crate) fn compile(&self, journey: &Journey) -> Result<Compiled, MappingError> {
        let mut problems = Vec::new();
        let mut index = self.source.as_ref().map(|source| Quoted::new(&source.text));
        let mut problem = |after: Option<&str>, needle: &str, kind: MappingProblemKind| {
            problems.push(MappingProblem {
                location: self.locate(&mut index, after, needle),
                kind,
            });
        };

        // Time.
        let zone = match &self.time.zone {
            None => None,
            Some(name) => match TimeZone::get(name) {
                Ok(zone) => Some(zone),
                Err(_) => {
                    let names: Vec<String> = jiff::tz::db()
                        .available()
                        .map(|n| n.as_str().to_owned())
                        .collect();
                    problem(
                        Some("zone"),
                        name,
                        MappingProblemKind::UnknownTimeZone {
                            zone: name.clone(),
                            suggestion: closest(name, names.iter().map(String::as_str)),
                        },
                    );
                    None
                }
            },
        };
        if let Some(format) = &self.time.format {
            let probe = jiff::civil::date(2026, 1, 5).at(9, 30, 15, 0);
            let check = jiff::fmt::strtime::format(format.as_bytes(), probe);
            if let Err(error) = check {
                problem(
                    Some("format"),
                    format,
                    MappingProblemKind::BadTimeFormat {
                        format: format.clone(),
                        reason: error.to_string(),
                    },
                );
            }
        }

        // Defaults and value maps must read as their field.
        for (&field, value) in &self.defaults {
            if field == Field::Customer || field == Field::Timestamp {
                problem(
                    Some("defaults"),
                    value,
                    MappingProblemKind::NoDefault { field },
                );
            } else if let Err(reason) = check_value(journey, field, value) {
                problem(
                    Some("defaults"),
                    value,
                    MappingProblemKind::BadValue {
                        field,
                        value: value.clone(),
                        reason,
                    },
                );
            }
        }
        let mut values: [Option<ValueMap>; Field::ALL.len()] = Default::default();
        for (&field, map) in &self.values {
            if field == Field::Touchpoint {
                problem(
                    Some("values"),
                    "touchpoint",
                    MappingProblemKind::TouchpointValues,
                );
                continue;
            }
            let mut table = fast_map(map.len());
            for (from, to) in map {
                if let Err(reason) = check_value(journey, field, to) {
                    problem(
                        Some("values"),
                        to,
                        MappingProblemKind::BadValue {
                            field,
                            value: to.clone(),
                            reason,
                        },
                    );
                }
                table.insert(from.as_bytes().into(), to.as_str().into());
            }
            values[field as usize] = Some(table);
        }

        // Events.
        let mut events: FastMap<Box<[u8]>, Event> = fast_map(self.events.len());
        let mut skipped_names = Vec::new();
        let mut marker_names = Vec::new();
        for (name, touchpoint) in &self.events {
            match journey.resolve_touchpoint(touchpoint.as_str()) {
                Ok(index) => {
                    events.insert(
                        name.as_bytes().into(),
                        Event::Touchpoint(touchpoint.clone(), index),
                    );
                }
                Err(error) => problem(
                    Some("events"),
                    touchpoint.as_str(),
                    MappingProblemKind::UnknownTouchpoint {
                        event: name.clone(),
                        error,
                    },
                ),
            }
        }
        for name in &self.skip {
            if events.contains_key(name.as_bytes()) {
                problem(
                    Some("skip"),
                    name,
                    MappingProblemKind::EventTwice {
                        event: name.clone(),
                    },
                );
                continue;
            }
            events.insert(name.as_bytes().into(), Event::Skip(skipped_names.len()));
            skipped_names.push(name.clone());
        }
        for (name, marker) in &self.markers {
            if events.contains_key(name.as_bytes()) {
                problem(
                    Some("markers"),
                    name,
                    MappingProblemKind::EventTwice {
                        event: name.clone(),
                    },
                );
                continue;
            }
            events.insert(
                name.as_bytes().into(),
                Event::Marker(marker_names.len(), *marker),
            );
            marker_names.push(name.clone());
        }

        // Columns: every field's column, segments, and what is ignored.
        let mut column_of: [Option<String>; Field::ALL.len()] = Default::default();
        for field in Field::ALL {
            column_of[field as usize] = Some(
                self.columns
                    .get(&field)
                    .cloned()
                    .unwrap_or_else(|| field.as_str().to_owned()),
            );
        }
        for (_, column) in self
            .segments
            .iter()
            .filter(|(name, _)| name.trim().is_empty())
        {
            problem(
                Some("segments"),
                column,
                MappingProblemKind::EmptySegmentName,
            );
        }
        if self.segments.len() > super::segments::MAX_SEGMENTS {
            problem(
                None,
                "segments",
                MappingProblemKind::TooManySegments {
                    segments: self.segments.len(),
                    limit: super::segments::MAX_SEGMENTS,
                },
            );
        }
        let mut ignored = std::collections::HashSet::with_capacity(self.ignore.len());
        for column in &self.ignore {
            if !ignored.insert(column.as_str()) {
                problem(
                    Some("ignore"),
                    column,
                    MappingProblemKind::IgnoredTwice {
                        column: column.clone(),
                    },
                );
            }
        }
        // A column both read (for a field or a segment) and ignored.
        for column in self.columns.values().chain(self.segments.values()) {
            if ignored.contains(column.as_str()) {
                problem(
                    Some("ignore"),
                    column,
                    MappingProblemKind::ReadAndIgnored {
                        column: column.clone(),
                    },
                );
            }
        }

        if !problems.is_empty() {
            return Err(MappingError::Invalid {
                origin: self.origin(),
                source: MappingProblems(problems),
            });
        }
        Ok(Compiled {
            column_of,
            defaults: Field::ALL.map(|f| self.defaults.get(&f).map(|v| v.as_str().into())),
            explicit: Field::ALL.map(|f| self.columns.contains_key(&f)),
            ignore: self.ignore.clone(),
            values,
            events,
            skipped_names,
            marker_names,
            time: TimeRule::new(self.time.format.clone(), zone, self.time.unix),
            segments: self
                .segments
                .iter()
                .map(|(name, column)| (name.clone(), column.clone()))
                .collect(),
            inactivity_gap_seconds: self.inactivity_gap_seconds,
        })
    }
}

/// Whether `value` reads as `field`'s type.
fn check_value(journey: &Journey, field: Field, value: &str) -> Result<(), String> {
    let ok = match field {
        Field::Outcome => {
            return value
                .parse::<Outcome>()
                .map(drop)
                .map_err(|e| e.to_string());
        }
        Field::Persona => {
            return journey
                .resolve_persona(value)
                .map(drop)
                .map_err(|e| e.to_string());
        }
        Field::Touchpoint => {
            return journey
                .resolve_touchpoint(value)
                .map(drop)
                .map_err(|e| e.to_string());
        }
        Field::WaitSeconds | Field::HandlingSeconds | Field::Sentiment => {
            value.trim().parse::<f64>().is_ok_and(f64::is_finite)
        }
        Field::Csat | Field::Ces | Field::Nps => value.trim().parse::<u8>().is_ok(),
        Field::Resolved => ["true", "false", "yes", "no", "1", "0"]
            .iter()
            .any(|v| v.eq_ignore_ascii_case(value.trim())),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{value:?} cannot be read as {field}"))
    }
}

/// A field's value map: cell bytes to the value read.
pub(crate) type ValueMap = FastMap<Box<[u8]>, Box<str>>;

/// What a mapped event is.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// A touchpoint, by id and index.
    Touchpoint(TouchpointId, crate::TouchpointIndex),
    /// Left out; the position among skipped events.
    Skip(usize),
    /// A marker; its position among markers.
    Marker(usize, Marker),
}

/// How timestamps are read.
#[derive(Debug)]
pub(crate) struct TimeRule {
    format: Option<String>,
    /// The format as simple tokens, when it uses only `%Y %m %d %H %M %S %.f` and literal
    /// characters: read without jiff's general parser.
    tokens: Option<Vec<Token>>,
    zone: Option<TimeZone>,
    pub(crate) unix: Option<UnixUnit>,
    /// The zone's offset over a span of time with no transition near it, from the last local
    /// time read: most rows of an export fall in it.
    span: std::sync::Mutex<Option<OffsetSpan>>,
}

impl Clone for TimeRule {
    fn clone(&self) -> Self {
        Self {
            format: self.format.clone(),
            tokens: self.tokens.clone(),
            zone: self.zone.clone(),
            unix: self.unix,
            span: std::sync::Mutex::new(None),
        }
    }
}

/// A zone's offset, valid for every instant in `from_ms..to_ms`, which lies a day or more
/// away from any transition: a local time that maps into it with this offset maps nowhere
/// else.
#[derive(Debug, Clone, Copy)]
struct OffsetSpan {
    offset_ms: i64,
    from_ms: i64,
    to_ms: i64,
}

/// One part of a simple time format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    /// `%.f`: an optional `.` and fraction digits.
    Fraction,
    Literal(u8),
}

/// The tokens of a format made only of `%Y %m %d %H %M %S %.f` and ASCII literals.
fn tokens(format: &str) -> Option<Vec<Token>> {
    let bytes = format.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            if !bytes[i].is_ascii() || bytes[i].is_ascii_whitespace() && bytes[i] != b' ' {
                return None;
            }
            out.push(Token::Literal(bytes[i]));
            i += 1;
            continue;
        }
        let (token, width) = match bytes.get(i + 1..i + 3) {
            Some([b'.', b'f']) => (Token::Fraction, 3),
            _ => match bytes.get(i + 1)? {
                b'Y' => (Token::Year, 2),
                b'm' => (Token::Month, 2),
                b'd' => (Token::Day, 2),
                b'H' => (Token::Hour, 2),
                b'M' => (Token::Minute, 2),
                b'S' => (Token::Second, 2),
                _ => return None,
            },
        };
        out.push(token);
        i += width;
    }
    Some(out)
}

/// A civil date and time read by simple tokens; `None` when the text does not match them.
fn read_tokens(tokens: &[Token], text: &[u8]) -> Option<jiff::civil::DateTime> {
    let mut at = 0;
    fn digits(text: &[u8], at: &mut usize, n: usize) -> Option<i32> {
        let part = text.get(*at..*at + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *at += n;
        Some(part.iter().fold(0, |v, &d| v * 10 + i32::from(d - b'0')))
    }
    let (mut year, mut month, mut day, mut hour, mut minute, mut second) = (0, 1, 1, 0, 0, 0);
    let mut nanos = 0;
    for &token in tokens {
        match token {
            Token::Year => year = digits(text, &mut at, 4)?,
            Token::Month => month = digits(text, &mut at, 2)?,
            Token::Day => day = digits(text, &mut at, 2)?,
            Token::Hour => hour = digits(text, &mut at, 2)?,
            Token::Minute => minute = digits(text, &mut at, 2)?,
            Token::Second => second = digits(text, &mut at, 2)?,
            Token::Fraction => {
                if text.get(at) == Some(&b'.') {
                    at += 1;
                    let start = at;
                    while at < text.len() && text[at].is_ascii_digit() && at - start < 9 {
                        nanos = nanos * 10 + i32::from(text[at] - b'0');
                        at += 1;
                    }
                    if at == start {
                        return None;
                    }
                    nanos *= 10_i32.pow(9 - (at - start) as u32);
                }
            }
            Token::Literal(b) => {
                if text.get(at) != Some(&b) {
                    return None;
                }
                at += 1;
            }
        }
    }
    if at != text.len() {
        return None;
    }
    jiff::civil::DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        nanos,
    )
    .ok()
}

/// Milliseconds of a civil date and time read as if it were UTC.
fn naive_ms(civil: jiff::civil::DateTime) -> i64 {
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, m, d) = (
        i64::from(civil.year()),
        i64::from(civil.month()),
        i64::from(civil.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400
        + i64::from(civil.hour()) * 3600
        + i64::from(civil.minute()) * 60
        + i64::from(civil.second());
    seconds * 1000 + i64::from(civil.subsec_nanosecond()) / 1_000_000
}

impl TimeRule {
    fn new(format: Option<String>, zone: Option<TimeZone>, unix: Option<UnixUnit>) -> Self {
        Self {
            tokens: format.as_deref().and_then(tokens),
            format,
            zone,
            unix,
            span: std::sync::Mutex::new(None),
        }
    }

    /// Milliseconds since the epoch from non-numeric text.
    pub(crate) fn parse_text(&self, text: &str) -> Result<i64, String> {
        let text = text.trim();
        if let Some(tokens) = &self.tokens
            && let Some(civil) = read_tokens(tokens, text.as_bytes())
        {
            return self.local(text, civil);
        }
        if let Some(format) = &self.format {
            let parsed = jiff::fmt::strtime::parse(format.as_bytes(), text.as_bytes())
                .map_err(|e| format!("{text:?} does not match the format {format:?}: {e}"))?;
            if parsed.offset().is_some() {
                return parsed
                    .to_timestamp()
                    .map(|t| t.as_millisecond())
                    .map_err(|e| format!("{text:?} is not a time: {e}"));
            }
            let civil = parsed
                .to_datetime()
                .map_err(|e| format!("{text:?} is not a date and time: {e}"))?;
            return self.local(text, civil);
        }
        match text.parse::<Timestamp>() {
            Ok(timestamp) => return Ok(timestamp.as_millisecond()),
            Err(e) => {
                let message = super::csv::not_a_time(text, &e);
                if message.contains("beyond the range") {
                    return Err(message);
                }
            }
        }
        match text.parse::<jiff::civil::DateTime>() {
            Ok(civil) => self.local(text, civil),
            Err(e) => Err(format!(
                "{text:?} is neither RFC 3339, a local date and time, nor a number: {e}"
            )),
        }
    }

    /// A local time in the mapping's zone. Times that occur twice or never (at a daylight-
    /// saving change) are read as jiff's "compatible" rule reads them: the earlier one, and
    /// shifted forward.
    fn local(&self, text: &str, civil: jiff::civil::DateTime) -> Result<i64, String> {
        let Some(zone) = &self.zone else {
            return Err(format!(
                "{text:?} has no offset from UTC: give the mapping's time zone (time: (zone: \"Europe/London\"))"
            ));
        };
        let naive = naive_ms(civil);
        if let Ok(span) = self.span.try_lock()
            && let Some(span) = *span
        {
            let ms = naive - span.offset_ms;
            if (span.from_ms..span.to_ms).contains(&ms) {
                return Ok(ms);
            }
        }
        let timestamp = civil
            .to_zoned_datetime(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|e| format!("{text:?} is out of range: {e}"))?;
        let ms = timestamp.as_millisecond();
        // Remember the offset over the span between this instant's transitions, a day clear
        // of each.
        const DAY_MS: i64 = 86_400_000;
        let before = zone
            .preceding(timestamp)
            .next()
            .map_or(i64::MIN / 2, |t| t.timestamp().as_millisecond());
        let after = zone
            .following(timestamp)
            .next()
            .map_or(i64::MAX / 2, |t| t.timestamp().as_millisecond());
        let span = OffsetSpan {
            offset_ms: naive - ms,
            from_ms: before.saturating_add(DAY_MS),
            to_ms: after.saturating_sub(DAY_MS),
        };
        if let Ok(mut slot) = self.span.try_lock() {
            *slot = Some(span);
        }
        Ok(ms)
    }
}

impl Compiled {
    /// Milliseconds since the epoch from a timestamp cell's text: a whole number in the
    /// mapping's Unix unit (else `unit`), or text read by the mapping's format and zone.
    pub(crate) fn timestamp_of_text(&self, timestamp: &str, unit: UnixUnit) -> Result<i64, String> {
        let digits = timestamp.strip_prefix('-').unwrap_or(timestamp);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let unit = self.time.unix.unwrap_or(unit);
            parse_timestamp_bytes(timestamp.as_bytes(), unit).ok_or_else(|| {
                parse_timestamp(timestamp, unit)
                    .err()
                    .unwrap_or_else(|| format!("{timestamp:?} is not a timestamp"))
            })
        } else {
            self.time.parse_text(timestamp)
        }
    }
}

/// A mapping checked against a journey, ready to read rows.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    /// The column name of each field.
    pub(crate) column_of: [Option<String>; Field::ALL.len()],
    /// Whether the mapping named the field's column (then it must be in the file).
    pub(crate) explicit: [bool; Field::ALL.len()],
    pub(crate) defaults: [Option<Box<str>>; Field::ALL.len()],
    pub(crate) ignore: Vec<String>,
    pub(crate) values: [Option<ValueMap>; Field::ALL.len()],
    pub(crate) events: FastMap<Box<[u8]>, Event>,
    pub(crate) skipped_names: Vec<String>,
    pub(crate) marker_names: Vec<String>,
    pub(crate) time: TimeRule,
    /// (segment name, column).
    pub(crate) segments: Vec<(String, String)>,
    pub(crate) inactivity_gap_seconds: Option<u64>,
}

/// A mapping does not fit the journey or is inconsistent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MappingError {
    /// Every problem found.
    #[error("{origin} is not a valid mapping for this journey")]
    Invalid {
        /// The mapping file, or `<mapping>` for one built in code.
        origin: String,
        /// The problems.
        #[source]
        source: MappingProblems,
    },
}

impl MappingError {
    /// The problems found.
    pub fn problems(&self) -> &[MappingProblem] {
        match self {
            MappingError::Invalid { source, .. } => &source.0,
        }
    }
}

/// Every problem of a mapping, in the order found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct MappingProblems(pub Vec<MappingProblem>);

impl fmt::Display for MappingProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(f, "{n} problem{}", if n == 1 { "" } else { "s" })?;
        for problem in &self.0 {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// One problem of a mapping, at its line and column in the mapping's text when known.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MappingProblem {
    /// Line and column, from 1.
    pub location: Option<(usize, usize)>,
    /// What is wrong.
    pub kind: MappingProblemKind,
}

impl fmt::Display for MappingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some((line, column)) => write!(f, "{line}:{column}: {}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

/// What is wrong with a mapping.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MappingProblemKind {
    /// An event maps to a touchpoint the journey does not have.
    #[error("event {event:?}: {error}")]
    UnknownTouchpoint {
        /// The event.
        event: String,
        /// The unknown touchpoint, with the closest id.
        error: crate::UnknownIdError,
    },
    /// An event is listed twice (as a touchpoint, skipped, or a marker).
    #[error("event {event:?} is listed twice among events, skip and markers")]
    EventTwice {
        /// The event.
        event: String,
    },
    /// A default or mapped value does not read as its field.
    #[error("value {value:?} for {field}: {reason}")]
    BadValue {
        /// The field.
        field: Field,
        /// The value.
        value: String,
        /// Why.
        reason: String,
    },
    /// A default for the customer or the timestamp, which every row must give.
    #[error("{field} cannot have a default: every row must give it")]
    NoDefault {
        /// The field.
        field: Field,
    },
    /// Touchpoint values renamed under `values` instead of `events`.
    #[error("touchpoints are renamed under events, not values")]
    TouchpointValues,
    /// A column both read and ignored.
    #[error("column {column:?} is both read and ignored")]
    ReadAndIgnored {
        /// The column.
        column: String,
    },
    /// More segments than a log holds.
    #[error("{segments} segments, more than the {limit} a log holds")]
    TooManySegments {
        /// Segments the mapping names.
        segments: usize,
        /// The most a log holds.
        limit: usize,
    },
    /// A column listed twice under `ignore`.
    #[error("column {column:?} is ignored twice")]
    IgnoredTwice {
        /// The column.
        column: String,
    },
    /// A segment with an empty name.
    #[error("a segment has an empty name")]
    EmptySegmentName,
    /// The time zone is not in the time zone database.
    #[error("unknown time zone {zone:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    UnknownTimeZone {
        /// The zone.
        zone: String,
        /// The closest zone.
        suggestion: Option<String>,
    },
    /// The time format cannot be used.
    #[error("time format {format:?} is not usable: {reason}")]
    BadTimeFormat {
        /// The format.
        format: String,
        /// Why.
        reason: String,
    },
}

/// One cell of a row, as a source holds it.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "arrow"), allow(dead_code))]
pub(crate) enum Cell<'a> {
    /// Absent or empty.
    Empty,
    /// Text, as CSV holds every cell.
    Text(&'a str),
    /// A number (a columnar source's integers and floats).
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A time, in milliseconds since the epoch.
    Millis(i64),
}

/// A row of any source, read field by field: what [`map_row`] reads through a mapping.
pub(crate) trait RowSource<'a> {
    /// The cell of `field`'s column.
    fn cell(&self, field: Field) -> Result<Cell<'a>, Bad>;
    /// The value of the mapping's segment `k`, if the row gives one.
    fn segment(&self, k: usize) -> Result<Option<&'a str>, RecordProblem>;
}

/// What a row read through a mapping is.
pub(crate) enum Row<'a> {
    /// An interaction.
    Interaction(RecordView<'a>),
    /// An event the mapping skips; its position among skipped events.
    Skip(usize),
    /// A marker event.
    Marker {
        index: usize,
        marker: Marker,
        customer: &'a str,
        timestamp_ms: i64,
    },
}

/// What is wrong with a row and where: the problem is boxed, so that the many results of
/// reading one row stay small on the path of rows that read.
pub(crate) type Bad = (Option<Field>, Box<RecordProblem>);

pub(crate) fn unreadable(field: Field, message: String) -> Bad {
    (Some(field), Box::new(RecordProblem::Unreadable(message)))
}

fn missing(field: Field) -> Bad {
    (Some(field), Box::new(RecordProblem::Missing))
}

/// A cell's text after the value map, or the default for an empty cell.
#[inline(always)]
fn mapped_text<'a>(m: &'a Compiled, field: Field, cell: Cell<'a>) -> Result<Option<&'a str>, Bad> {
    match cell {
        Cell::Text(t) => {
            if let Some(map) = &m.values[field as usize]
                && let Some(to) = map.get(t.as_bytes())
            {
                return Ok(Some(to));
            }
            Ok(Some(t))
        }
        Cell::Empty => Ok(m.defaults[field as usize].as_deref()),
        other => Err(not_text(field, other)),
    }
}

#[cold]
fn not_text(field: Field, cell: Cell<'_>) -> Bad {
    unreadable(field, format!("{cell:?} is not text"))
}

/// A row's fields read through a mapping: values renamed, defaults filled, events resolved,
/// times read by the mapping's format and zone.
#[inline]
pub(crate) fn map_row<'a>(
    row: &impl RowSource<'a>,
    m: &'a Compiled,
    unit: UnixUnit,
    scales: &Scales,
) -> Result<Row<'a>, Bad> {
    let as_text = |field: Field, cell: Cell<'a>| mapped_text(m, field, cell);
    let text = |field: Field| mapped_text(m, field, row.cell(field)?);
    let required = |field: Field| text(field)?.ok_or_else(|| missing(field));

    let customer = required(Field::Customer)?;
    let timestamp_ms = match row.cell(Field::Timestamp)? {
        Cell::Millis(ms) => ms,
        Cell::Number(n) => {
            let unit = m.time.unix.unwrap_or(unit);
            let ms = match unit {
                UnixUnit::Seconds => n * 1000.0,
                UnixUnit::Milliseconds => n,
            };
            if !ms.is_finite() || ms.fract() != 0.0 {
                return Err(unreadable(
                    Field::Timestamp,
                    format!("{n} is not a whole number of Unix {unit}"),
                ));
            }
            if Timestamp::from_millisecond(ms as i64).is_err() {
                return Err(unreadable(
                    Field::Timestamp,
                    super::csv::unix_out_of_range(&n.to_string(), n as i64, unit),
                ));
            }
            ms as i64
        }
        Cell::Bool(b) => {
            return Err(unreadable(
                Field::Timestamp,
                format!("{b} is not a timestamp"),
            ));
        }
        Cell::Empty => return Err(missing(Field::Timestamp)),
        Cell::Text(timestamp) => m
            .timestamp_of_text(timestamp, unit)
            .map_err(|message| unreadable(Field::Timestamp, message))?,
    };
    let event = required(Field::Touchpoint)?;
    let (touchpoint, touchpoint_index) = match m.events.get(event.as_bytes()) {
        None => (event, None),
        Some(Event::Touchpoint(id, index)) => (id.as_str(), Some(*index)),
        Some(Event::Skip(index)) => return Ok(Row::Skip(*index)),
        Some(Event::Marker(index, marker)) => {
            return Ok(Row::Marker {
                index: *index,
                marker: *marker,
                customer,
                timestamp_ms,
            });
        }
    };
    let outcome = required(Field::Outcome)?;
    let outcome = parse_outcome(outcome.as_bytes()).ok_or_else(|| {
        let reason = outcome.parse::<Outcome>().err().map_or_else(
            || format!("{outcome:?} is not an outcome"),
            |e| e.to_string(),
        );
        unreadable(Field::Outcome, reason)
    })?;
    let number = |field: Field| -> Result<Option<f64>, Bad> {
        let cell = row.cell(field)?;
        if let Cell::Number(n) = cell {
            return Ok(Some(n));
        }
        match as_text(field, cell)? {
            None => Ok(None),
            Some(t) => parse_number(t.as_bytes())
                .map(Some)
                .ok_or_else(|| unreadable(field, format!("{t:?} is not a number"))),
        }
    };
    let out_of_scale = |field: Field, text: &str| -> Bad {
        let problem = super::csv::score_out_of_range(field, text, scales).unwrap_or_else(|| {
            RecordProblem::Unreadable(format!("{text:?} is not a whole number"))
        });
        (Some(field), Box::new(problem))
    };
    let score = |field: Field| -> Result<Option<u8>, Bad> {
        let cell = row.cell(field)?;
        if let Cell::Number(n) = cell {
            return if n.fract() == 0.0 && (0.0..255.0).contains(&n) {
                Ok(Some(n as u8))
            } else if n.fract() == 0.0 && n >= 255.0 {
                Err(out_of_scale(field, &format!("{n}")))
            } else {
                Err(unreadable(field, format!("{n} is not a whole number")))
            };
        }
        match as_text(field, cell)? {
            None => Ok(None),
            Some(t) => parse_score(t.as_bytes()).map(Some).ok_or_else(|| {
                if t.trim().bytes().all(|b| b.is_ascii_digit()) && !t.trim().is_empty() {
                    out_of_scale(field, t)
                } else {
                    unreadable(field, format!("{t:?} is not a whole number"))
                }
            }),
        }
    };
    let resolved = match row.cell(Field::Resolved)? {
        Cell::Bool(b) => Some(b),
        Cell::Number(n) => Some(n != 0.0),
        cell => match as_text(Field::Resolved, cell)? {
            None => None,
            Some(t) => Some(parse_bool(t.as_bytes()).ok_or_else(|| {
                unreadable(
                    Field::Resolved,
                    format!("{t:?} is not true or false (also yes/no, 1/0)"),
                )
            })?),
        },
    };
    let tags = split_tags(text(Field::Tags)?);
    let mut segments = Vec::new();
    for (k, (name, _)) in m.segments.iter().enumerate() {
        let value = row.segment(k).map_err(|problem| {
            let message = format!("segment {name}: {problem}");
            (None, Box::new(RecordProblem::Unreadable(message)))
        })?;
        if let Some(value) = value {
            segments.push((name.as_str(), value));
        }
    }
    Ok(Row::Interaction(RecordView {
        customer,
        touchpoint,
        touchpoint_index,
        timestamp_ms,
        persona: text(Field::Persona)?,
        outcome: Some(outcome),
        wait_seconds: number(Field::WaitSeconds)?,
        handling_seconds: number(Field::HandlingSeconds)?,
        csat: score(Field::Csat)?,
        ces: score(Field::Ces)?,
        nps: score(Field::Nps)?,
        sentiment: number(Field::Sentiment)?,
        resolved,
        need: text(Field::Need)?,
        tags,
        session: text(Field::Session)?,
        segments: segments.into(),
    }))
}

/// The quoted strings of a mapping's text and where each starts, read once, so that locating
/// every problem of a large mapping costs O(text) in all rather than O(text) a problem.
struct Quoted<'t> {
    text: &'t str,
    /// Each quoted string's content (escapes as written) and the positions of its opening
    /// quote, in order.
    at: FastMap<&'t str, Vec<usize>>,
    /// Positions of keys looked up, and how many plain-text searches are left.
    keys: FastMap<String, Option<usize>>,
    searches_left: usize,
    /// Where each line ends.
    newlines: Vec<usize>,
}

impl<'t> Quoted<'t> {
    fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut at: FastMap<&'t str, Vec<usize>> = fast_map(0);
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'"' => {
                    let start = i;
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    if let Some(content) = text.get(start + 1..i.min(bytes.len())) {
                        at.entry(content).or_default().push(start);
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        Self {
            text,
            at,
            keys: fast_map(0),
            searches_left: 64,
            newlines: text.match_indices('\n').map(|(i, _)| i).collect(),
        }
    }

    /// A plain-text search, for the first few needles that are not quoted values.
    fn search(&mut self, needle: &str) -> Option<usize> {
        if let Some(&found) = self.keys.get(needle) {
            return found;
        }
        if self.searches_left == 0 {
            return None;
        }
        self.searches_left -= 1;
        let found = self.text.find(needle);
        self.keys.insert(needle.to_owned(), found);
        found
    }

    /// The first quoted `needle` after the key `after` (or anywhere), else the first plain
    /// occurrence of `needle`.
    fn find(&mut self, after: Option<&str>, needle: &str) -> Option<usize> {
        let from = after.and_then(|key| self.search(key)).unwrap_or(0);
        if let Some(positions) = self.at.get(needle) {
            let later = positions.partition_point(|&p| p < from);
            return positions.get(later).or(positions.first()).copied();
        }
        self.search(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Local times read by the simple tokens and the span cache equal jiff's own reading,
        /// through daylight-saving changes, in any order.
        #[test]
        fn simple_formats_and_the_offset_cache_read_as_jiff_does(
            seconds in proptest::collection::vec(1_700_000_000_i64..1_900_000_000, 1..40),
            zone in prop::sample::select(vec!["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]),
            millis in 0_i64..1000,
        ) {
            let tz = TimeZone::get(zone).unwrap();
            let format = "%Y-%m-%d %H:%M:%S%.f";
            let rule = TimeRule::new(Some(format.to_owned()), Some(tz.clone()), None);
            for s in seconds {
                let at = Timestamp::from_millisecond(s * 1000 + millis).unwrap();
                let text = at.to_zoned_datetime(tz.clone()).strftime(format).to_string();
                let expected = jiff::fmt::strtime::parse(format, &text)
                    .unwrap()
                    .to_datetime()
                    .unwrap()
                    .to_zoned_datetime(tz.clone())
                    .unwrap()
                    .timestamp()
                    .as_millisecond();
                prop_assert_eq!(rule.parse_text(&text), Ok(expected), "{}", text);
            }
        }
    }

    #[test]
    fn formats_outside_the_simple_tokens_use_jiff() {
        assert_eq!(
            tokens("%Y-%m-%d %H:%M:%S"),
            Some(vec![
                Token::Year,
                Token::Literal(b'-'),
                Token::Month,
                Token::Literal(b'-'),
                Token::Day,
                Token::Literal(b' '),
                Token::Hour,
                Token::Literal(b':'),
                Token::Minute,
                Token::Literal(b':'),
                Token::Second,
            ])
        );
        assert_eq!(tokens("%d/%m/%y"), None);
        assert_eq!(tokens("%b %d %Y"), None);
        let rule = TimeRule::new(Some("%d %b %Y %H:%M".into()), Some(TimeZone::UTC), None);
        assert_eq!(
            rule.parse_text("05 Jan 2026 09:30"),
            Ok(Timestamp::from_second(1_767_605_400)
                .unwrap()
                .as_millisecond())
        );
        let simple = TimeRule::new(Some("%Y-%m-%d".into()), Some(TimeZone::UTC), None);
        assert!(simple.parse_text("2026-02-30").is_err(), "no 30 February");
        assert!(simple.parse_text("2026-01-05x").is_err());
    }
}
