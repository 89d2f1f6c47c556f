//! Observed paths: what customers really did, walk by walk.
//!
//! A customer's *path* is their interactions in time order (ties in input order), as a
//! sequence of touchpoints. [`PathFilter`] picks the customers and interactions to look at.
//! [`ObservePaths`] computes, from the selected paths:
//!
//! - the directly-follows graph ([`DirectlyFollowsGraph`]): each move from one touchpoint
//!   straight to another, how often, by how many customers, whether the map designs it, and the
//!   time between (mean, median, p90); start and end touchpoints;
//! - variants ([`Variants`]): distinct sequences with counts and shares, the top k and the tail;
//! - drop-off paths ([`DropOffPaths`]): where customers who did not convert were last seen,
//!   the paths that led there, and where customers went after leaving a touchpoint unfinished.

mod directly_follows;
mod drop_off;
pub(crate) mod filter;
mod variants;

pub use directly_follows::{DirectlyFollowsGraph, Endpoint, FollowsEdge};
pub use drop_off::{Departure, DropOffPaths, LastTouchpoint, NextStep, PathCount};
pub use filter::{PathFilter, TimeRange, TimeRangeMode};
pub use variants::{Variant, VariantTail, Variants};

use jiff::Timestamp;

use crate::analysis::JourneyMismatch;
use crate::{InteractionLog, Journey, UnknownIdError};
use filter::Selection;

/// Why a path analysis could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// The log was built for another journey.
    #[error("the log does not belong to this journey")]
    Journey(#[from] JourneyMismatch),
    /// The filter names a persona the journey does not have.
    #[error("the path filter names an unknown persona")]
    UnknownPersona(#[from] UnknownIdError),
    /// The filter's time range ends before it starts.
    #[error("the time range ends ({end}) before it starts ({start})")]
    TimeRange {
        /// The range's start.
        start: Timestamp,
        /// The range's end.
        end: Timestamp,
    },
}

/// Observed paths of a journey's customers: the directly-follows graph, variants and drop-off
/// paths. Implemented for [`Journey`].
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{ObservePaths, PathFilter};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
/// let (log, _) = builder.finish();
///
/// let graph = journey.directly_follows(&log, &PathFilter::default())?;
/// let busiest = &graph.edges[0];
/// assert!(busiest.count >= graph.edges[1].count);
/// assert!(busiest.time.median >= 0.0);
///
/// let variants = journey.variants(&log, &PathFilter::default(), 5)?;
/// let listed: u64 = variants.top.iter().map(|v| v.customers).sum();
/// assert_eq!(listed + variants.tail.customers, variants.customers);
///
/// let lost = journey.drop_off_paths(&log, &PathFilter::default().converted(false), 3)?;
/// assert_eq!(lost.customers, lost.not_converted);
/// # Ok(())
/// # }
/// ```
pub trait ObservePaths {
    /// The directly-follows graph of the selected paths.
    ///
    /// # Arguments
    ///
    /// * `log` — interactions built for this journey.
    /// * `filter` — which customers and interactions to look at.
    ///
    /// # Returns
    ///
    /// Every observed move with its count, customers, designed flag and time between, ranked
    /// by count; start and end touchpoints ranked by customers. An empty selection gives an
    /// empty graph.
    ///
    /// # Errors
    ///
    /// [`PathError`] when the log belongs to another journey, the filter names an unknown
    /// persona (with a suggestion) or its time range ends before it starts.
    ///
    /// # Complexity
    ///
    /// O(n) expected for n selected interactions, plus O(E log E) for E distinct moves.
    fn directly_follows(
        &self,
        log: &InteractionLog,
        filter: &PathFilter,
    ) -> Result<DirectlyFollowsGraph, PathError>;

    /// The distinct paths of the selected customers: the `top` most walked and the tail.
    ///
    /// # Arguments
    ///
    /// * `log` — interactions built for this journey.
    /// * `filter` — which customers and interactions to look at.
    /// * `top` — how many variants to list; the rest are summarised in the tail.
    ///
    /// # Returns
    ///
    /// Variants ranked by customers (ties: shorter first, then journey order), each with its
    /// share and conversions; the tail's variants, customers, share and singletons.
    ///
    /// # Errors
    ///
    /// As [`ObservePaths::directly_follows`].
    ///
    /// # Complexity
    ///
    /// O(n) expected for n selected interactions, plus O(V log V) for V variants.
    fn variants(
        &self,
        log: &InteractionLog,
        filter: &PathFilter,
        top: usize,
    ) -> Result<Variants, PathError>;

    /// Where customers who did not convert were last seen and the `top_paths` most common
    /// paths that led there; and, for interactions that ended abandoned or failed, where the
    /// customer went next (another touchpoint, possibly on another channel, or nowhere).
    ///
    /// # Arguments
    ///
    /// * `log` — interactions built for this journey.
    /// * `filter` — which customers and interactions to look at.
    /// * `top_paths` — how many leading paths to list per last touchpoint.
    ///
    /// # Returns
    ///
    /// Last touchpoints ranked by customers with their share of the customers who did not
    /// convert; departures ranked by interactions left unfinished.
    ///
    /// # Errors
    ///
    /// As [`ObservePaths::directly_follows`].
    ///
    /// # Complexity
    ///
    /// O(n) expected for n selected interactions, plus sorting the distinct paths.
    fn drop_off_paths(
        &self,
        log: &InteractionLog,
        filter: &PathFilter,
        top_paths: usize,
    ) -> Result<DropOffPaths, PathError>;
}

impl ObservePaths for Journey {
    fn directly_follows(
        &self,
        log: &InteractionLog,
        filter: &PathFilter,
    ) -> Result<DirectlyFollowsGraph, PathError> {
        let selection = Selection::new(self, log, filter)?;
        Ok(directly_follows::directly_follows(&selection))
    }

    fn variants(
        &self,
        log: &InteractionLog,
        filter: &PathFilter,
        top: usize,
    ) -> Result<Variants, PathError> {
        let selection = Selection::new(self, log, filter)?;
        Ok(variants::variants(&selection, top))
    }

    fn drop_off_paths(
        &self,
        log: &InteractionLog,
        filter: &PathFilter,
        top_paths: usize,
    ) -> Result<DropOffPaths, PathError> {
        let selection = Selection::new(self, log, filter)?;
        Ok(drop_off::drop_off_paths(&selection, top_paths))
    }
}
