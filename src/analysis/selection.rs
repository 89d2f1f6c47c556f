//! Which customers, and which of their interactions, an analysis looks at: one selection for
//! every analysis.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::interactions::log::Stored;
use crate::model::validation::closest;
use crate::{InteractionLog, Journey, PersonaId, UnknownIdError};

/// How a [`TimeRange`] selects interactions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TimeRangeMode {
    /// Keep each customer's interactions inside the range and drop the rest: paths are cut to
    /// the window (a customer with nothing inside is left out).
    #[default]
    Interactions,
    /// Keep the whole path of each customer whose first interaction lies inside the range: a
    /// cohort of customers who started in the window.
    Started,
}

/// A half-open range of time, `start..end`, and how it selects interactions.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{TimeRange, TimeRangeMode};
///
/// let march = TimeRange::new("2026-03-01T00:00:00Z".parse()?, "2026-04-01T00:00:00Z".parse()?);
/// assert_eq!(march.current_mode(), TimeRangeMode::Interactions);
/// let cohort = march.mode(TimeRangeMode::Started);
/// assert_eq!(cohort.current_mode(), TimeRangeMode::Started);
/// assert!(cohort.current_start() < cohort.current_end());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeRange {
    start: Timestamp,
    end: Timestamp,
    #[serde(default)]
    mode: TimeRangeMode,
}

impl TimeRange {
    /// The range `start..end`, cutting paths to it ([`TimeRangeMode::Interactions`]).
    pub fn new(start: Timestamp, end: Timestamp) -> Self {
        Self {
            start,
            end,
            mode: TimeRangeMode::Interactions,
        }
    }

    /// The same range, selecting with `mode`.
    pub fn mode(mut self, mode: TimeRangeMode) -> Self {
        self.mode = mode;
        self
    }

    /// The first instant inside the range.
    pub fn current_start(&self) -> Timestamp {
        self.start
    }

    /// The first instant after the range.
    pub fn current_end(&self) -> Timestamp {
        self.end
    }

    /// Whether the range cuts paths or picks a cohort.
    pub fn current_mode(&self) -> TimeRangeMode {
        self.mode
    }
}

/// Which customers, and which of their interactions, an analysis looks at: a persona, a time
/// range, and whether they converted. Every analysis takes one; the default selects every
/// customer and every interaction.
///
/// A customer *converted* when their selected path reaches a goal touchpoint.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{Selection, TimeRange, TimeRangeMode};
///
/// let march = TimeRange::new("2026-03-01T00:00:00Z".parse()?, "2026-04-01T00:00:00Z".parse()?)
///     .mode(TimeRangeMode::Started);
/// let selection = Selection::all().persona("branch-loyalist").time(march).converted(false);
/// assert_eq!(selection.current_persona().map(|p| p.as_str()), Some("branch-loyalist"));
/// assert_eq!(selection.current_converted(), Some(false));
/// assert!(Selection::all().is_everything());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Selection {
    persona: Option<PersonaId>,
    time: Option<TimeRange>,
    converted: Option<bool>,
    segments: Vec<(String, String)>,
}

impl Selection {
    /// Every customer and every interaction (the same as `Selection::default()`).
    pub fn all() -> Self {
        Self::default()
    }

    /// Only customers of `persona`.
    pub fn persona(mut self, persona: impl Into<PersonaId>) -> Self {
        self.persona = Some(persona.into());
        self
    }

    /// Only interactions (or customers) in `range`.
    pub fn time(mut self, range: TimeRange) -> Self {
        self.time = Some(range);
        self
    }

    /// Only customers who converted (`true`) or did not (`false`).
    pub fn converted(mut self, converted: bool) -> Self {
        self.converted = Some(converted);
        self
    }

    /// Only journeys that carry `value` for segment `name` (the first value given on the
    /// journey's interactions; see [`LogBuilder`](crate::LogBuilder)). Several segments
    /// select journeys that carry every one of them; the same segment twice selects either
    /// value.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::{MetricsReport, Selection};
    /// use journey_map::{IngestOptions, Interaction, Journey, LogBuilder, Outcome};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// let at = "2026-01-05T10:00:00Z".parse()?;
    /// builder.push(Interaction::new("a", "search-ad", at, Outcome::Completed).with_segment("platform", "ios"))?;
    /// builder.push(Interaction::new("b", "search-ad", at, Outcome::Completed).with_segment("platform", "web"))?;
    /// let (log, _) = builder.finish();
    /// let ios = Selection::all().segment("platform", "ios");
    /// let report = MetricsReport::compute(&journey, &log, &ios, Default::default())?;
    /// assert_eq!(report.journey.customers, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn segment(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.segments.push((name.into(), value.into()));
        self
    }

    /// The segment values selected, as (segment, value) pairs.
    pub fn current_segments(&self) -> &[(String, String)] {
        &self.segments
    }

    /// The persona selected, if any.
    pub fn current_persona(&self) -> Option<&PersonaId> {
        self.persona.as_ref()
    }

    /// The time range selected, if any.
    pub fn current_time(&self) -> Option<TimeRange> {
        self.time
    }

    /// Whether converted (`Some(true)`) or other customers (`Some(false)`) are selected.
    pub fn current_converted(&self) -> Option<bool> {
        self.converted
    }

    /// Whether the selection keeps every customer and interaction.
    pub fn is_everything(&self) -> bool {
        *self == Self::default()
    }
}

/// Why a selection cannot be applied to a journey and its log.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SelectionError {
    /// The log was built for another journey.
    #[error("the log does not belong to this journey")]
    Journey(#[from] super::JourneyMismatch),
    /// The selection names a persona the journey does not have.
    #[error("the selection names an unknown persona")]
    UnknownPersona(#[from] UnknownIdError),
    /// The selection names a segment the log does not have.
    #[error("the log has no segment {name:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    UnknownSegment {
        /// The segment named.
        name: String,
        /// The closest segment of the log.
        suggestion: Option<String>,
    },
    /// The selection names a value no journey carries for a segment.
    #[error("no journey carries {value:?} for segment {name:?}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    UnknownSegmentValue {
        /// The segment.
        name: String,
        /// The value named.
        value: String,
        /// The closest value journeys carry.
        suggestion: Option<String>,
    },
    /// The selection's time range ends before it starts.
    #[error("the time range ends ({end}) before it starts ({start})")]
    TimeRange {
        /// The range's start.
        start: Timestamp,
        /// The range's end.
        end: Timestamp,
    },
}

/// A [`Selection`] resolved against a journey and its log: persona index, segment values
/// and range in milliseconds.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    persona: Option<u32>,
    range: Option<(i64, i64, TimeRangeMode)>,
    converted: Option<bool>,
    /// (segment position, accepted values), one entry per segment selected.
    segments: Vec<(usize, Vec<u32>)>,
}

impl Resolved {
    /// Resolves `selection`: the persona must exist, the segments and values must be the
    /// log's, and the range must not end before it starts.
    pub(crate) fn new(
        journey: &Journey,
        log: &InteractionLog,
        selection: &Selection,
    ) -> Result<Self, SelectionError> {
        let mut segments: Vec<(usize, Vec<u32>)> = Vec::new();
        for (name, value) in &selection.segments {
            let Some(k) = log.segment_index(name) else {
                return Err(SelectionError::UnknownSegment {
                    name: name.clone(),
                    suggestion: closest(name, log.segment_names().iter().map(String::as_str)),
                });
            };
            let carried = log
                .segments()
                .into_iter()
                .nth(k)
                .map(|s| s.values)
                .unwrap_or_default();
            let Some(id) = carried
                .iter()
                .any(|v| v == value)
                .then(|| log.segment_value_id(value))
                .flatten()
            else {
                return Err(SelectionError::UnknownSegmentValue {
                    name: name.clone(),
                    value: value.clone(),
                    suggestion: closest(value, carried.iter().map(String::as_str)),
                });
            };
            match segments.iter_mut().find(|(s, _)| *s == k) {
                Some((_, values)) => values.push(id),
                None => segments.push((k, vec![id])),
            }
        }
        let persona = match &selection.persona {
            Some(id) => Some(journey.resolve_persona(id.as_str())?.as_u32()),
            None => None,
        };
        let range = match selection.time {
            Some(range) if range.end < range.start => {
                return Err(SelectionError::TimeRange {
                    start: range.start,
                    end: range.end,
                });
            }
            Some(range) => Some((
                range.start.as_millisecond(),
                range.end.as_millisecond(),
                range.mode,
            )),
            None => None,
        };
        Ok(Self {
            persona,
            range,
            converted: selection.converted,
            segments,
        })
    }

    /// Journey `j`'s selected records, or `None` when the persona, a segment or the time
    /// range leaves the journey out (whether it converted is decided by [`Resolved::keeps`]
    /// once the path is walked).
    ///
    /// Complexity: O(log n) for a journey with n interactions.
    pub(crate) fn path<'a>(&self, log: &'a InteractionLog, j: usize) -> Option<&'a [Stored]> {
        if let Some(persona) = self.persona
            && log.journey_persona_raw(j) != persona
        {
            return None;
        }
        for (k, values) in &self.segments {
            if !values.contains(&log.segment_value_raw(j, *k)) {
                return None;
            }
        }
        let mut records = log.journey_records(j);
        if let Some((start, end, mode)) = self.range {
            match mode {
                TimeRangeMode::Interactions => {
                    let from = records.partition_point(|r| r.timestamp_ms < start);
                    let to = records.partition_point(|r| r.timestamp_ms < end);
                    records = &records[from..to.max(from)];
                }
                TimeRangeMode::Started => {
                    let first = records.first()?.timestamp_ms;
                    if first < start || first >= end {
                        return None;
                    }
                }
            }
        }
        (!records.is_empty()).then_some(records)
    }

    /// Whether a path that converted (or not) is selected.
    pub(crate) fn keeps(&self, converted: bool) -> bool {
        self.converted.is_none_or(|wanted| wanted == converted)
    }
}
