//! Which customers, and which of their interactions, a path analysis looks at.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::PathError;
use crate::analysis::JourneyMismatch;
use crate::analysis::layout::Layout;
use crate::interactions::log::Stored;
use crate::{InteractionLog, Journey, PersonaId};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimeRange {
    /// The first instant inside the range.
    pub start: Timestamp,
    /// The first instant after the range.
    pub end: Timestamp,
    /// Whether the range cuts paths or picks a cohort.
    pub mode: TimeRangeMode,
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
}

/// Which customers a path analysis looks at: a persona, a time range, and whether they
/// converted. The default selects every customer and every interaction.
///
/// A customer *converted* when their selected path reaches a goal touchpoint.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{PathFilter, TimeRange, TimeRangeMode};
///
/// let march = TimeRange::new("2026-03-01T00:00:00Z".parse()?, "2026-04-01T00:00:00Z".parse()?)
///     .mode(TimeRangeMode::Started);
/// let filter = PathFilter::default().persona("branch-loyalist").time(march).converted(false);
/// assert_eq!(filter.persona.as_ref().map(|p| p.as_str()), Some("branch-loyalist"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PathFilter {
    /// Only customers of this persona.
    pub persona: Option<PersonaId>,
    /// Only interactions (or customers) in this range.
    pub time: Option<TimeRange>,
    /// Only customers who converted (`true`) or did not (`false`).
    pub converted: Option<bool>,
}

impl PathFilter {
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
}

/// A [`PathFilter`] resolved against a journey and a log: walks the selected paths.
#[derive(Debug, Clone)]
pub(crate) struct Selection<'a> {
    pub(crate) layout: Layout<'a>,
    pub(crate) log: &'a InteractionLog,
    persona: Option<u32>,
    range: Option<(i64, i64, TimeRangeMode)>,
    converted: Option<bool>,
}

impl<'a> Selection<'a> {
    /// Resolves `filter`: the persona must exist and the range must not end before it starts.
    pub(crate) fn new(
        journey: &'a Journey,
        log: &'a InteractionLog,
        filter: &PathFilter,
    ) -> Result<Self, PathError> {
        if log.touchpoint_count() != journey.touchpoints().len() {
            return Err(PathError::Journey(JourneyMismatch {
                log: log.touchpoint_count(),
                journey: journey.touchpoints().len(),
            }));
        }
        let persona = match &filter.persona {
            Some(id) => Some(journey.resolve_persona(id.as_str())?.as_u32()),
            None => None,
        };
        let range = match filter.time {
            Some(range) if range.end < range.start => {
                return Err(PathError::TimeRange {
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
            layout: Layout::of(journey),
            log,
            persona,
            range,
            converted: filter.converted,
        })
    }

    /// How many customers the log has (selected or not).
    pub(crate) fn customer_count(&self) -> usize {
        self.log.customers().len()
    }

    /// Customer `c`'s selected path and whether it converted, or `None` when the filter
    /// leaves the customer out.
    ///
    /// Complexity: O(log n + k) for a customer with n interactions, k of them selected.
    pub(crate) fn path(&self, c: usize) -> Option<(&'a [Stored], bool)> {
        if let Some(persona) = self.persona
            && self.log.persona_raw(c) != persona
        {
            return None;
        }
        let mut records = self.log.customer_records(c);
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
        if records.is_empty() {
            return None;
        }
        let converted = records
            .iter()
            .any(|r| self.layout.is_goal[r.touchpoint as usize]);
        match self.converted {
            Some(wanted) if wanted != converted => None,
            _ => Some((records, converted)),
        }
    }

    /// The touchpoint id of a raw touchpoint index.
    pub(crate) fn touchpoint_id(&self, t: u32) -> crate::TouchpointId {
        self.layout.journey.touchpoints()[t as usize].id.clone()
    }
}
