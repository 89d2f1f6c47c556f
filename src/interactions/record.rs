//! One interaction as a program or a file gives it, before it is checked.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::ids::string_id;
use crate::{PersonaId, TouchpointId};

string_id!(
    /// The id of one customer: all interactions with the same customer id make up that
    /// customer's journey.
    CustomerId,
    "a customer"
);

/// How an interaction ended for the customer.
///
/// Written in files as the variant name (`Completed`) and in CSV in lower case (`completed`).
///
/// # Example
///
/// ```
/// use journey_map::Outcome;
///
/// assert_eq!("escalated".parse::<Outcome>()?, Outcome::Escalated);
/// assert_eq!(Outcome::Abandoned.to_string(), "abandoned");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Outcome {
    /// The customer did what they came to do.
    Completed,
    /// The customer gave up (a hang-up, a closed tab, an abandoned basket).
    Abandoned,
    /// It did not work (a failed payment, an error page, a check that failed).
    Failed,
    /// The customer was handed to another touchpoint, typically from automation to a person.
    Escalated,
    /// Not over yet: an open ticket, a claim being handled. A customer whose last interaction
    /// is in progress and who has not reached a goal is still on their way: not a drop-off,
    /// and censored in time to convert. Written `in-progress` in CSV.
    InProgress,
}

impl Outcome {
    /// Every outcome, in the order of its code.
    pub const ALL: [Outcome; 5] = [
        Outcome::Completed,
        Outcome::Abandoned,
        Outcome::Failed,
        Outcome::Escalated,
        Outcome::InProgress,
    ];

    /// The outcome's lower-case name, as written in CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Abandoned => "abandoned",
            Outcome::Failed => "failed",
            Outcome::Escalated => "escalated",
            Outcome::InProgress => "in-progress",
        }
    }

    pub(crate) fn code(self) -> u8 {
        self as u8
    }

    pub(crate) fn from_code(code: u8) -> Outcome {
        Outcome::ALL[usize::from(code) % Outcome::ALL.len()]
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not an [`Outcome`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown outcome {0:?}, expected one of completed, abandoned, failed, escalated, in-progress"
)]
pub struct ParseOutcomeError(String);

impl FromStr for Outcome {
    type Err = ParseOutcomeError;

    /// Reads an outcome's name in any case: `completed`, `Completed`, `COMPLETED`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| ParseOutcomeError(text.to_owned()))
    }
}

/// One interaction: a customer, at a touchpoint, at a time, with how it ended and what the
/// customer said about it. Fields are as given; attaching the interaction to a log checks them
/// all (see [`LogBuilder`](crate::LogBuilder)).
///
/// # Example
///
/// ```
/// use journey_map::{Interaction, Outcome};
///
/// let call = Interaction::new("c-17", "support-line", "2026-03-02T09:15:00Z".parse()?, Outcome::Completed)
///     .with_persona("branch-loyalist")
///     .with_wait_seconds(340.0)
///     .with_handling_seconds(420.0)
///     .with_csat(4)
///     .with_resolved(true)
///     .with_need("card-not-working");
/// assert_eq!(call.csat, Some(4));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Interaction {
    /// Whose journey this is part of.
    pub customer: CustomerId,
    /// Where it happened.
    pub touchpoint: TouchpointId,
    /// When it happened (UTC).
    #[serde(deserialize_with = "rfc3339")]
    pub timestamp: Timestamp,
    /// The customer's persona, if known; it may be given on one interaction of a customer only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<PersonaId>,
    /// How it ended.
    pub outcome: Outcome,
    /// Seconds the customer waited before being served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_seconds: Option<f64>,
    /// Seconds the interaction itself took.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling_seconds: Option<f64>,
    /// Customer satisfaction answer, on the log's CSAT scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csat: Option<u8>,
    /// Customer effort answer, on the log's CES scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ces: Option<u8>,
    /// Likelihood to recommend, 0 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<u8>,
    /// Sentiment of the interaction, within the log's sentiment range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<f64>,
    /// Whether the customer's need was resolved here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<bool>,
    /// A key for the customer's need or case: interactions with the same key are contacts
    /// about the same need (repeat contacts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
    /// Free labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The session (visit, conversation, case) this interaction belongs to: a customer's
    /// history is split into journeys where the session changes (see
    /// [`LogBuilder`](crate::LogBuilder)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Segments other than the persona, by name (`platform: "ios"`, `plan: "premium"`); they
    /// may change from one interaction to the next, and each journey carries the first value
    /// given in it.
    #[serde(
        default,
        skip_serializing_if = "std::collections::BTreeMap::is_empty",
        deserialize_with = "crate::format::unique::unique_keys"
    )]
    pub segments: std::collections::BTreeMap<String, String>,
}

impl Interaction {
    /// An interaction with the four fields every interaction has and nothing else.
    pub fn new(
        customer: impl Into<CustomerId>,
        touchpoint: impl Into<TouchpointId>,
        timestamp: Timestamp,
        outcome: Outcome,
    ) -> Self {
        Self {
            customer: customer.into(),
            touchpoint: touchpoint.into(),
            timestamp,
            persona: None,
            outcome,
            wait_seconds: None,
            handling_seconds: None,
            csat: None,
            ces: None,
            nps: None,
            sentiment: None,
            resolved: None,
            need: None,
            tags: Vec::new(),
            session: None,
            segments: std::collections::BTreeMap::new(),
        }
    }

    /// Sets the persona.
    pub fn with_persona(mut self, persona: impl Into<PersonaId>) -> Self {
        self.persona = Some(persona.into());
        self
    }

    /// Sets the wait, in seconds.
    pub fn with_wait_seconds(mut self, seconds: f64) -> Self {
        self.wait_seconds = Some(seconds);
        self
    }

    /// Sets the handling time, in seconds.
    pub fn with_handling_seconds(mut self, seconds: f64) -> Self {
        self.handling_seconds = Some(seconds);
        self
    }

    /// Sets the CSAT answer.
    pub fn with_csat(mut self, csat: u8) -> Self {
        self.csat = Some(csat);
        self
    }

    /// Sets the CES answer.
    pub fn with_ces(mut self, ces: u8) -> Self {
        self.ces = Some(ces);
        self
    }

    /// Sets the NPS answer.
    pub fn with_nps(mut self, nps: u8) -> Self {
        self.nps = Some(nps);
        self
    }

    /// Sets the sentiment.
    pub fn with_sentiment(mut self, sentiment: f64) -> Self {
        self.sentiment = Some(sentiment);
        self
    }

    /// Sets whether the need was resolved.
    pub fn with_resolved(mut self, resolved: bool) -> Self {
        self.resolved = Some(resolved);
        self
    }

    /// Sets the need or case key.
    pub fn with_need(mut self, need: impl Into<String>) -> Self {
        self.need = Some(need.into());
        self
    }

    /// Adds a tag.
    pub fn with_tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Sets the session.
    pub fn with_session(mut self, session: impl Into<String>) -> Self {
        self.session = Some(session.into());
        self
    }

    /// Sets a segment's value (`with_segment("platform", "ios")`).
    pub fn with_segment(mut self, segment: impl Into<String>, value: impl Into<String>) -> Self {
        self.segments.insert(segment.into(), value.into());
        self
    }
}

/// One interaction borrowed from any source: a columnar batch, a database cursor, a parser's
/// buffer. [`LogBuilder::push_record`](crate::LogBuilder::push_record) checks and attaches it
/// as it checks an owned [`Interaction`], without allocating per record (a new need, tag or
/// customer id is copied once, when first seen).
///
/// Tags and segments are slices the source owns; every other field is a plain value or a
/// borrowed string.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{IngestOptions, Journey, LogBuilder, Outcome, Record};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// // Rows as a source might hold them: columns of borrowed text and numbers.
/// let customers = ["c1", "c1", "c2"];
/// let touchpoints = ["search-ad", "product-page", "chatbot"];
/// let times = [1_767_603_600_000_i64, 1_767_603_660_000, 1_767_603_700_000];
/// let platform = [("platform", "ios")];
/// for i in 0..3 {
///     let record = Record::new(customers[i], touchpoints[i], times[i], Outcome::Completed)
///         .with_csat(4)
///         .with_segments(&platform);
///     builder.push_record(&record)?;
/// }
/// let (log, report) = builder.finish();
/// assert_eq!((log.len(), report.customers), (3, 2));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Record<'a> {
    /// Whose journey this is part of.
    pub customer: &'a str,
    /// The touchpoint's id.
    pub touchpoint: &'a str,
    /// When it happened, in milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// How it ended.
    pub outcome: Outcome,
    /// The persona's id, if known.
    pub persona: Option<&'a str>,
    /// Seconds the customer waited.
    pub wait_seconds: Option<f64>,
    /// Seconds the interaction took.
    pub handling_seconds: Option<f64>,
    /// CSAT answer.
    pub csat: Option<u8>,
    /// CES answer.
    pub ces: Option<u8>,
    /// NPS answer, 0 to 10.
    pub nps: Option<u8>,
    /// Sentiment.
    pub sentiment: Option<f64>,
    /// Whether the need was resolved here.
    pub resolved: Option<bool>,
    /// The need or case key.
    pub need: Option<&'a str>,
    /// Free labels.
    pub tags: &'a [&'a str],
    /// The session.
    pub session: Option<&'a str>,
    /// Segment values, as (segment, value) pairs.
    pub segments: &'a [(&'a str, &'a str)],
}

impl<'a> Record<'a> {
    /// A record with the four fields every interaction has and nothing else.
    pub fn new(
        customer: &'a str,
        touchpoint: &'a str,
        timestamp_ms: i64,
        outcome: Outcome,
    ) -> Self {
        Self {
            customer,
            touchpoint,
            timestamp_ms,
            outcome,
            persona: None,
            wait_seconds: None,
            handling_seconds: None,
            csat: None,
            ces: None,
            nps: None,
            sentiment: None,
            resolved: None,
            need: None,
            tags: &[],
            session: None,
            segments: &[],
        }
    }

    /// Sets the persona.
    pub fn with_persona(mut self, persona: &'a str) -> Self {
        self.persona = Some(persona);
        self
    }

    /// Sets the wait, in seconds.
    pub fn with_wait_seconds(mut self, seconds: f64) -> Self {
        self.wait_seconds = Some(seconds);
        self
    }

    /// Sets the handling time, in seconds.
    pub fn with_handling_seconds(mut self, seconds: f64) -> Self {
        self.handling_seconds = Some(seconds);
        self
    }

    /// Sets the CSAT answer.
    pub fn with_csat(mut self, csat: u8) -> Self {
        self.csat = Some(csat);
        self
    }

    /// Sets the CES answer.
    pub fn with_ces(mut self, ces: u8) -> Self {
        self.ces = Some(ces);
        self
    }

    /// Sets the NPS answer.
    pub fn with_nps(mut self, nps: u8) -> Self {
        self.nps = Some(nps);
        self
    }

    /// Sets the sentiment.
    pub fn with_sentiment(mut self, sentiment: f64) -> Self {
        self.sentiment = Some(sentiment);
        self
    }

    /// Sets whether the need was resolved.
    pub fn with_resolved(mut self, resolved: bool) -> Self {
        self.resolved = Some(resolved);
        self
    }

    /// Sets the need or case key.
    pub fn with_need(mut self, need: &'a str) -> Self {
        self.need = Some(need);
        self
    }

    /// Sets the tags.
    pub fn with_tags(mut self, tags: &'a [&'a str]) -> Self {
        self.tags = tags;
        self
    }

    /// Sets the session.
    pub fn with_session(mut self, session: &'a str) -> Self {
        self.session = Some(session);
        self
    }

    /// Sets the segment values.
    pub fn with_segments(mut self, segments: &'a [(&'a str, &'a str)]) -> Self {
        self.segments = segments;
        self
    }
}

/// Reads a timestamp from RFC 3339 text, saying so when given anything else (a number is
/// not taken for Unix seconds or milliseconds: the unit would be a guess).
fn rfc3339<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
    struct Rfc3339;

    impl serde::de::Visitor<'_> for Rfc3339 {
        type Value = Timestamp;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an RFC 3339 timestamp in quotes, such as \"2026-01-05T10:00:00Z\"")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
            text.parse::<Timestamp>().map_err(|e| {
                let message = super::csv::not_a_time(text, &e);
                E::custom(if message.contains("beyond the range") {
                    message
                } else {
                    format!("{text:?} is not an RFC 3339 timestamp: {e}")
                })
            })
        }
    }

    // `deserialize_any`, so that a number reaches the visitor and is refused with the
    // expectation above rather than the format's bare "expected string".
    deserializer.deserialize_any(Rfc3339)
}
