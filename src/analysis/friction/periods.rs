//! What the analyses of friction over time share: their error, periods, and the one pass that
//! counts friction per bucket of time.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::config::{ConfigError, FrictionConfig};
use super::counts::FrictionCounts;
use crate::analysis::{
    Bucket, ByBucket, Calendar, CalendarError, Observation, Selection, SelectionError, TimeRange,
};

/// Why an analysis over time could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum OverTimeError {
    /// A friction setting is out of range.
    #[error("invalid friction settings")]
    Config(#[from] ConfigError),
    /// The log or the selection does not fit the journey.
    #[error("cannot select the customers")]
    Selection(#[from] SelectionError),
    /// The window cannot be cut into buckets (no data, too many buckets, a bad time zone).
    #[error("cannot cut time into buckets")]
    Calendar(#[from] CalendarError),
    /// Too few buckets to tell a departure from a history.
    #[error("{buckets} bucket(s) of time in the window, at least {needed} needed")]
    TooFewBuckets {
        /// Buckets in the window.
        buckets: usize,
        /// The fewest the analysis needs.
        needed: usize,
    },
    /// A period that ends before it starts.
    #[error("period {label} ends before it starts")]
    BackwardPeriod {
        /// The period's label.
        label: String,
    },
    /// A period in which the selection holds no interaction.
    #[error("no interaction in period {label}")]
    EmptyPeriod {
        /// The period's label.
        label: String,
    },
}

/// A named window of time: "March", "after the release".
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::friction::Period;
///
/// let march = Period::new("2026-03-01T00:00:00Z".parse()?, "2026-04-01T00:00:00Z".parse()?);
/// assert_eq!(march.label, "March 2026");
/// let days = Period::new("2026-03-02T00:00:00Z".parse()?, "2026-03-16T00:00:00Z".parse()?);
/// assert_eq!(days.label, "2026-03-02..2026-03-15");
/// let named = march.with_label("March");
/// assert_eq!(named.label, "March");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Period {
    /// How sentences name it.
    pub label: String,
    /// Its first instant.
    pub start: Timestamp,
    /// The first instant after it.
    pub end: Timestamp,
}

impl Period {
    /// The period `start..end`, labelled by its dates in UTC: the month's name for exactly
    /// one calendar month ("March 2026"), else its first and last days
    /// ("2026-03-02..2026-03-15").
    pub fn new(start: Timestamp, end: Timestamp) -> Self {
        let day = |t: Timestamp| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        let last = end
            .checked_sub(jiff::SignedDuration::from_millis(1))
            .unwrap_or(end);
        let (first, last) = (day(start), day(last.max(start)));
        let midnight = |t: Timestamp| t.as_millisecond() % 86_400_000 == 0;
        let month = midnight(start)
            && midnight(end)
            && first.day() == 1
            && first.first_of_month() == last.first_of_month()
            && last == last.last_of_month();
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let label = if month {
            let name = MONTHS[(first.month() as usize).saturating_sub(1).min(11)];
            format!("{name} {}", first.year())
        } else {
            format!("{first}..{last}")
        };
        Self { label, start, end }
    }

    /// The same period, labelled `label`.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// `selection` narrowed to this period: interactions within it.
    pub(super) fn select(&self, selection: &Selection) -> Result<Selection, OverTimeError> {
        if self.end <= self.start {
            return Err(OverTimeError::BackwardPeriod {
                label: self.label.clone(),
            });
        }
        let mode = selection
            .current_time()
            .map(|t| t.current_mode())
            .unwrap_or_default();
        Ok(selection
            .clone()
            .time(TimeRange::new(self.start, self.end).mode(mode)))
    }
}

/// Friction counts per bucket of `calendar` over the selected customers, each customer in the
/// bucket of their first selected interaction.
pub(super) fn by_bucket(
    observation: &Observation<'_>,
    selection: &Selection,
    calendar: &Calendar,
    config: &FrictionConfig,
) -> Result<(Vec<Bucket>, Vec<FrictionCounts>), OverTimeError> {
    let journey = observation.journey();
    let empty = FrictionCounts::new(journey, observation.log().scales(), config)?;
    let (first, last) = observation
        .time_span(selection)?
        .ok_or(CalendarError::Empty)?;
    let buckets = calendar.buckets(first, last)?;
    let parts = observation.run(selection, || ByBucket::new(&buckets, empty.clone()))?;
    Ok((buckets, parts))
}
