//! Calendars: cutting time into days, ISO weeks or months in a time zone, for trends and
//! incidents, and partial states kept per bucket.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, ZonedDateTime as Zoned};
use serde::{Deserialize, Serialize};

use super::{Accumulate, CustomerPath, MetricsOptions, ShapeMismatch};
use crate::Journey;

/// The size of a bucket of time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Granularity {
    /// Calendar days, from midnight.
    Day,
    /// ISO weeks, from Monday midnight.
    #[default]
    Week,
    /// Calendar months, from the first at midnight.
    Month,
}

impl Granularity {
    /// `day`, `week` or `month`.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
        }
    }
}

impl std::str::FromStr for Granularity {
    type Err = CalendarError;

    /// Reads `day`, `week` or `month`.
    fn from_str(text: &str) -> Result<Self, CalendarError> {
        match text {
            "day" => Ok(Granularity::Day),
            "week" => Ok(Granularity::Week),
            "month" => Ok(Granularity::Month),
            other => Err(CalendarError::Granularity(other.to_owned())),
        }
    }
}

/// How time is cut into buckets: a [`Granularity`] in a time zone (UTC unless set).
///
/// # Example
///
/// ```
/// use journey_map::analysis::{Calendar, Granularity};
///
/// let weeks = Calendar::new(Granularity::Week);
/// let paris = Calendar::new(Granularity::Day).time_zone("Europe/Paris")?;
/// assert_eq!(paris.current_time_zone_name(), Some("Europe/Paris"));
/// # let _ = weeks;
/// # Ok::<(), journey_map::analysis::CalendarError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    granularity: Granularity,
    time_zone: TimeZone,
}

impl Default for Calendar {
    /// ISO weeks in UTC.
    fn default() -> Self {
        Calendar::new(Granularity::Week)
    }
}

/// The most buckets a calendar cuts a log into: about two and a half years of days, nineteen of
/// weeks. Analyses over time keep a partial state per bucket (for friction, about 1.6 KB per
/// persona and touchpoint), so the number of buckets bounds their memory.
pub const MAX_BUCKETS: usize = 1_000;

/// Why time cannot be cut into buckets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A granularity that is not `day`, `week` or `month`.
    #[error("unknown bucket size {0:?}, expected day, week or month")]
    Granularity(String),
    /// A time zone name the time zone database does not know.
    #[error("unknown time zone {0:?}")]
    TimeZone(String),
    /// The log (or the selected window) has no interaction to cut.
    #[error("no interaction in the selected window")]
    Empty,
    /// The window would make more buckets than [`MAX_BUCKETS`].
    #[error(
        "more than {max} buckets of one {granularity}: choose larger buckets or a shorter window"
    )]
    TooManyBuckets {
        /// The bucket size.
        granularity: &'static str,
        /// The most allowed.
        max: usize,
    },
}

/// One bucket of time, `start` included, `end` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Bucket {
    /// Its first instant.
    pub start: Timestamp,
    /// The first instant after it.
    pub end: Timestamp,
}

impl Calendar {
    /// Buckets of `granularity` in UTC.
    pub fn new(granularity: Granularity) -> Self {
        Self {
            granularity,
            time_zone: TimeZone::UTC,
        }
    }

    /// Sets the time zone by IANA name (`"Europe/Paris"`), from the bundled database.
    ///
    /// # Errors
    ///
    /// [`CalendarError::TimeZone`] for a name it does not know.
    pub fn time_zone(mut self, name: &str) -> Result<Self, CalendarError> {
        self.time_zone =
            TimeZone::get(name).map_err(|_| CalendarError::TimeZone(name.to_owned()))?;
        Ok(self)
    }

    /// The bucket size.
    pub fn current_granularity(&self) -> Granularity {
        self.granularity
    }

    /// The time zone's IANA name; `None` for UTC or a zone without one.
    pub fn current_time_zone_name(&self) -> Option<&str> {
        self.time_zone.iana_name().filter(|n| *n != "UTC")
    }

    /// The time zone.
    pub(crate) fn zone(&self) -> &TimeZone {
        &self.time_zone
    }

    /// The start of the bucket holding `at`.
    fn floor(&self, at: Timestamp) -> Option<Zoned> {
        let zoned = at.to_zoned_datetime(self.time_zone.clone());
        let day = zoned.start_of_day().ok()?;
        match self.granularity {
            Granularity::Day => Some(day),
            Granularity::Week => {
                let back = i64::from(day.weekday().to_monday_zero_offset());
                day.checked_sub(back.days()).ok()?.start_of_day().ok()
            }
            Granularity::Month => day.first_of_month().ok()?.start_of_day().ok(),
        }
    }

    fn step(&self, start: &Zoned) -> Option<Zoned> {
        let span = match self.granularity {
            Granularity::Day => 1.day(),
            Granularity::Week => 1.week(),
            Granularity::Month => 1.month(),
        };
        start.checked_add(span).ok()?.start_of_day().ok()
    }

    /// The buckets covering `first..=last`: from the start of the bucket of `first` to the end
    /// of the bucket of `last`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::TooManyBuckets`] beyond [`MAX_BUCKETS`].
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::analysis::{Calendar, Granularity};
    ///
    /// let first = "2026-03-04T10:00:00Z".parse()?;
    /// let last = "2026-03-17T10:00:00Z".parse()?;
    /// let weeks = Calendar::new(Granularity::Week).buckets(first, last)?;
    /// // Monday 2 March, 9 March and 16 March.
    /// assert_eq!(weeks.len(), 3);
    /// assert_eq!(weeks[0].start.to_string(), "2026-03-02T00:00:00Z");
    /// assert_eq!(weeks[2].end.to_string(), "2026-03-23T00:00:00Z");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn buckets(&self, first: Timestamp, last: Timestamp) -> Result<Vec<Bucket>, CalendarError> {
        let (first, last) = if first <= last {
            (first, last)
        } else {
            (last, first)
        };
        let too_many = || CalendarError::TooManyBuckets {
            granularity: self.granularity.as_str(),
            max: MAX_BUCKETS,
        };
        let mut start = self.floor(first).ok_or_else(too_many)?;
        let mut buckets = Vec::new();
        while start.timestamp() <= last {
            let end = self.step(&start).ok_or_else(too_many)?;
            buckets.push(Bucket {
                start: start.timestamp(),
                end: end.timestamp(),
            });
            if buckets.len() > MAX_BUCKETS {
                return Err(too_many());
            }
            start = end;
        }
        Ok(buckets)
    }
}

/// A partial state per bucket of time: each customer goes to the bucket of their first
/// selected interaction (the cohort that started then), so that one pass gives every bucket.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{ByBucket, Calendar, FrictionConfig, FrictionCounts, Granularity, Observation, Selection};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
/// let (log, _) = builder.finish();
/// let observation = Observation::new(&journey, &log)?;
/// let (first, last) = observation.time_span(&Selection::all())?.ok_or("empty log")?;
/// let buckets = Calendar::new(Granularity::Month).buckets(first, last)?;
/// let empty = FrictionCounts::new(&journey, log.scales(), &FrictionConfig::default())?;
/// let by_month = observation.accumulate(&Selection::all(), || ByBucket::new(&buckets, empty.clone()))?;
/// assert_eq!(by_month.parts().len(), buckets.len());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ByBucket<A> {
    buckets: Vec<Bucket>,
    bounds: Vec<i64>,
    parts: Vec<A>,
    /// Customers who started outside every bucket.
    outside: u64,
}

impl<A: Clone> ByBucket<A> {
    /// One empty state per bucket, each a clone of `empty`.
    pub fn new(buckets: &[Bucket], empty: A) -> Self {
        Self {
            buckets: buckets.to_vec(),
            bounds: buckets
                .iter()
                .map(|b| b.start.as_millisecond())
                .chain(buckets.last().map(|b| b.end.as_millisecond()))
                .collect(),
            parts: vec![empty; buckets.len()],
            outside: 0,
        }
    }
}

impl<A> ByBucket<A> {
    /// The buckets.
    pub fn buckets(&self) -> &[Bucket] {
        &self.buckets
    }

    /// The state of each bucket, in time order.
    pub fn parts(&self) -> &[A] {
        &self.parts
    }

    /// The states, by value.
    pub fn into_parts(self) -> Vec<A> {
        self.parts
    }

    /// Customers whose first selected interaction fell in no bucket.
    pub fn outside(&self) -> u64 {
        self.outside
    }

    fn index(&self, ms: i64) -> Option<usize> {
        let i = self.bounds.partition_point(|&b| b <= ms);
        (i > 0 && i < self.bounds.len()).then(|| i - 1)
    }
}

impl<A: Accumulate> Accumulate for ByBucket<A> {
    type Output = Vec<A>;

    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        match self.index(path.timestamp_ms(0)) {
            Some(i) => self.parts[i].add_customer(path),
            None => self.outside += 1,
        }
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        if self.bounds != other.bounds {
            return Err(ShapeMismatch);
        }
        for (a, b) in self.parts.iter_mut().zip(other.parts) {
            a.merge(b)?;
        }
        self.outside += other.outside;
        Ok(())
    }

    /// The states themselves: each analysis finishes them its own way.
    fn finish(self, _journey: &Journey) -> Result<Vec<A>, ShapeMismatch> {
        Ok(self.parts)
    }

    fn case_rules(&self) -> MetricsOptions {
        self.parts
            .first()
            .map_or_else(MetricsOptions::default, Accumulate::case_rules)
    }
}
