//! Observed paths: what customers really did, walk by walk.
//!
//! A customer's *path* is their interactions in time order (ties in input order), as a
//! sequence of touchpoints. A [`Selection`] picks the customers and interactions to look at.
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
mod variants;

pub use directly_follows::{DirectlyFollowsGraph, Endpoint, FollowsCounts, FollowsEdge};
pub use drop_off::{Departure, DropOffCounts, DropOffPaths, LastTouchpoint, NextStep, PathCount};
pub use variants::{Variant, VariantCounts, VariantTail, Variants};

pub(crate) use directly_follows::add_counts;

use crate::analysis::{Observation, Selection, SelectionError};
use crate::{InteractionLog, Journey};

/// Observed paths of a journey's customers: the directly-follows graph, variants and drop-off
/// paths. Implemented for [`Journey`].
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{ObservePaths, Selection};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
/// let (log, _) = builder.finish();
///
/// let graph = journey.directly_follows(&log, &Selection::all())?;
/// let busiest = &graph.edges[0];
/// assert!(busiest.count >= graph.edges[1].count);
/// assert!(busiest.time.ok_or("no times")?.median >= 0.0);
///
/// let variants = journey.variants(&log, &Selection::all(), 5)?;
/// let listed: u64 = variants.top.iter().map(|v| v.customers).sum();
/// assert_eq!(listed + variants.tail.customers, variants.customers);
///
/// let lost = journey.drop_off_paths(&log, &Selection::all().converted(false), 3)?;
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
    /// * `selection` — which customers and interactions to look at.
    ///
    /// # Returns
    ///
    /// Every observed move with its count, customers, designed flag and time between, ranked
    /// by count; start and end touchpoints ranked by customers. An empty selection gives an
    /// empty graph.
    ///
    /// # Errors
    ///
    /// [`SelectionError`] when the log belongs to another journey, the selection names an
    /// unknown persona (with a suggestion) or its time range ends before it starts.
    ///
    /// # Complexity
    ///
    /// O(n) expected for n selected interactions, plus O(E log E) for E distinct moves.
    fn directly_follows(
        &self,
        log: &InteractionLog,
        selection: &Selection,
    ) -> Result<DirectlyFollowsGraph, SelectionError>;

    /// The distinct paths of the selected customers: the `top` most walked and the tail.
    ///
    /// # Arguments
    ///
    /// * `log` — interactions built for this journey.
    /// * `selection` — which customers and interactions to look at.
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
        selection: &Selection,
        top: usize,
    ) -> Result<Variants, SelectionError>;

    /// Where customers who did not convert were last seen and the `top_paths` most common
    /// paths that led there; and, for interactions that ended abandoned or failed, where the
    /// customer went next (another touchpoint, possibly on another channel, or nowhere).
    ///
    /// # Arguments
    ///
    /// * `log` — interactions built for this journey.
    /// * `selection` — which customers and interactions to look at.
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
        selection: &Selection,
        top_paths: usize,
    ) -> Result<DropOffPaths, SelectionError>;
}

impl ObservePaths for Journey {
    fn directly_follows(
        &self,
        log: &InteractionLog,
        selection: &Selection,
    ) -> Result<DirectlyFollowsGraph, SelectionError> {
        Observation::new(self, log)?.directly_follows(selection)
    }

    fn variants(
        &self,
        log: &InteractionLog,
        selection: &Selection,
        top: usize,
    ) -> Result<Variants, SelectionError> {
        Observation::new(self, log)?.variants(selection, top)
    }

    fn drop_off_paths(
        &self,
        log: &InteractionLog,
        selection: &Selection,
        top_paths: usize,
    ) -> Result<DropOffPaths, SelectionError> {
        Observation::new(self, log)?.drop_off_paths(selection, top_paths)
    }
}

impl Observation<'_> {
    /// The directly-follows graph of the selected paths: see
    /// [`ObservePaths::directly_follows`].
    ///
    /// # Errors
    ///
    /// [`SelectionError`] when the selection does not fit the journey.
    pub fn directly_follows(
        &self,
        selection: &Selection,
    ) -> Result<DirectlyFollowsGraph, SelectionError> {
        let journey = self.journey();
        self.run(selection, || FollowsCounts::new(journey))
    }

    /// The variants of the selected paths: see [`ObservePaths::variants`].
    ///
    /// # Errors
    ///
    /// [`SelectionError`] when the selection does not fit the journey.
    pub fn variants(&self, selection: &Selection, top: usize) -> Result<Variants, SelectionError> {
        let journey = self.journey();
        self.run(selection, || VariantCounts::new(journey, top))
    }

    /// The drop-off paths of the selected customers: see [`ObservePaths::drop_off_paths`].
    ///
    /// # Errors
    ///
    /// [`SelectionError`] when the selection does not fit the journey.
    pub fn drop_off_paths(
        &self,
        selection: &Selection,
        top_paths: usize,
    ) -> Result<DropOffPaths, SelectionError> {
        let journey = self.journey();
        self.run(selection, || DropOffCounts::new(journey, top_paths))
    }
}
