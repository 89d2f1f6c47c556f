//! A journey paired with a log built for it: the one place where the pairing is checked, and
//! the one walk over customers that every analysis runs on.

use super::layout::Layout;
use super::metrics::MetricsOptions;
use super::selection::{Resolved, Selection, SelectionError};
use super::walk::{CustomerPath, Walker};
use crate::{Fingerprint, InteractionLog, Journey};

/// The log was built for another journey: its [`Fingerprint`] differs from the journey's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the log was built for a journey with fingerprint {log}, not this one's {journey}")]
pub struct JourneyMismatch {
    /// The fingerprint of the journey the log was built for.
    pub log: Fingerprint,
    /// The fingerprint of the journey given.
    pub journey: Fingerprint,
}

/// A partial state of an analysis: what it has counted of some customers, which merges with
/// the partial state of other customers into what one pass over all of them would give.
///
/// Every analysis of the crate is one: [`Tallies`](super::Tallies) (metrics),
/// [`FrictionCounts`](super::FrictionCounts), [`FollowsCounts`](super::FollowsCounts),
/// [`VariantCounts`](super::VariantCounts), [`DropOffCounts`](super::DropOffCounts),
/// [`ConformanceCounts`](super::ConformanceCounts) and [`ChainCounts`](super::ChainCounts).
/// Each is made for one journey (`new`), adds customers one by one
/// ([`add_customer`](Accumulate::add_customer)), merges with the partial state of other
/// customers ([`merge`](Accumulate::merge)) and gives its report
/// ([`finish`](Accumulate::finish)). Partial states are plain serde values, so an engine can
/// compute them on partitions of customers (all of a customer's interactions in one
/// partition), ship them, and merge them anywhere: the result is exactly that of one pass.
///
/// [`Observation::accumulate`] runs one over the selected customers on every core.
///
/// # Example: an analysis written outside the crate
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{Accumulate, CustomerPath, Observation, Selection, ShapeMismatch};
/// use journey_map::{IngestOptions, Journey, LogBuilder, Outcome};
///
/// /// Customers whose first interaction failed, and of those, how many still converted.
/// #[derive(Default)]
/// struct Recovery { failed_first: u64, recovered: u64 }
///
/// impl Accumulate for Recovery {
///     type Output = (u64, u64);
///     fn add_customer(&mut self, path: &CustomerPath<'_>) {
///         if path.interaction(0).is_some_and(|i| i.outcome() == Outcome::Failed) {
///             self.failed_first += 1;
///             self.recovered += u64::from(path.converted());
///         }
///     }
///     fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
///         self.failed_first += other.failed_first;
///         self.recovered += other.recovered;
///         Ok(())
///     }
///     fn finish(self, _: &Journey) -> Result<(u64, u64), ShapeMismatch> {
///         Ok((self.failed_first, self.recovered))
///     }
/// }
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
/// let (log, _) = builder.finish();
/// let observation = Observation::new(&journey, &log)?;
/// let (failed, recovered) = observation.run(&Selection::all(), Recovery::default)?;
/// assert!(recovered <= failed);
/// # Ok(())
/// # }
/// ```
pub trait Accumulate: Sized + Send {
    /// What the analysis gives.
    type Output;

    /// Adds one customer's selected path.
    fn add_customer(&mut self, path: &CustomerPath<'_>);

    /// Adds the partial state of other customers.
    ///
    /// # Errors
    ///
    /// [`ShapeMismatch`] when `other` was made for another journey or other settings.
    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch>;

    /// The analysis' result for every customer added or merged.
    ///
    /// # Errors
    ///
    /// [`ShapeMismatch`] when `journey` is not the journey the state was made for.
    fn finish(self, journey: &Journey) -> Result<Self::Output, ShapeMismatch>;

    /// The repeat window and first-contact-resolution rule the walk uses to find each need's
    /// case; the default settings unless the analysis has its own.
    fn case_rules(&self) -> MetricsOptions {
        MetricsOptions::default()
    }

    /// A hint, given before a range of customers is added: about `customers` more customers
    /// with `interactions` interactions in all will come. A state whose storage grows with
    /// distinct paths can make room once instead of growing by copies. Does nothing unless
    /// the analysis has a use for it.
    fn reserve(&mut self, customers: usize, interactions: usize) {
        let _ = (customers, interactions);
    }
}

/// Partial states that cannot be combined: they were made for journeys, settings or scales
/// that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("partial states of different journeys, settings or scales cannot be combined")]
pub struct ShapeMismatch;

/// A journey and a log built for it, checked once: every analysis hangs off this pairing.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{FrictionConfig, MetricsOptions, Observation, Selection};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
/// let (log, _) = builder.finish();
///
/// let observation = Observation::new(&journey, &log)?;
/// let loyalists = Selection::all().persona("branch-loyalist");
/// let metrics = observation.metrics(&loyalists, MetricsOptions::default())?;
/// let friction = observation.friction(&loyalists, &FrictionConfig::default())?;
/// assert_eq!(metrics.journey.customers, friction.customers);
///
/// // A log built for another journey is refused, never misread.
/// let other = Journey::load("examples/data/broadband.ron")?;
/// assert!(Observation::new(&other, &log).is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Observation<'a> {
    journey: &'a Journey,
    log: &'a InteractionLog,
    pub(crate) layout: Layout<'a>,
}

/// Customers per part when a pass is split over threads: enough to keep merging cheap.
const MIN_PART: usize = 1024;

impl<'a> Observation<'a> {
    /// Pairs `journey` with `log`.
    ///
    /// # Errors
    ///
    /// [`JourneyMismatch`] when the log was built for a journey with other ids (compared by
    /// [`Fingerprint`]).
    ///
    /// # Complexity
    ///
    /// O(T) for T touchpoints.
    pub fn new(journey: &'a Journey, log: &'a InteractionLog) -> Result<Self, JourneyMismatch> {
        if log.fingerprint() != journey.fingerprint() {
            return Err(JourneyMismatch {
                log: log.fingerprint(),
                journey: journey.fingerprint(),
            });
        }
        Ok(Self {
            journey,
            log,
            layout: Layout::of(journey),
        })
    }

    /// The journey.
    pub fn journey(&self) -> &'a Journey {
        self.journey
    }

    /// The log.
    pub fn log(&self) -> &'a InteractionLog {
        self.log
    }

    /// Calls `each` with every selected customer's path, in customer order, on this thread.
    ///
    /// # Errors
    ///
    /// [`SelectionError`] when the selection names an unknown persona or a time range that ends
    /// before it starts.
    ///
    /// # Complexity
    ///
    /// O(n) for n interactions of the selected customers, plus O(log k) per customer of k
    /// interactions when a time range cuts paths.
    pub fn for_each_customer(
        &self,
        selection: &Selection,
        rules: MetricsOptions,
        mut each: impl FnMut(&CustomerPath<'_>),
    ) -> Result<(), SelectionError> {
        let resolved = Resolved::new(self.journey, self.log, selection)?;
        self.walk_range(&resolved, &rules, 0..self.log.customers().len(), &mut each);
        Ok(())
    }

    fn walk_range(
        &self,
        resolved: &Resolved,
        rules: &MetricsOptions,
        customers: std::ops::Range<usize>,
        each: &mut impl FnMut(&CustomerPath<'_>),
    ) {
        let mut walker = Walker::default();
        let end = customers.end.min(self.log.customers().len());
        for c in customers.start.min(end)..end {
            for j in self.log.journey_range_of(c) {
                let Some(records) = resolved.path(self.log, j) else {
                    continue;
                };
                let after = self.log.after_journey(j);
                let path = walker.walk(
                    &self.layout,
                    self.log,
                    c as u32,
                    j as u32,
                    records,
                    after,
                    rules,
                );
                if resolved.keeps(path.converted()) {
                    each(&path);
                }
            }
        }
    }

    /// Calls `each` with one customer's whole path, when the log has the customer.
    pub(crate) fn with_customer(
        &self,
        customer: crate::CustomerIndex,
        mut each: impl FnMut(&CustomerPath<'_>),
    ) {
        if let Ok(all) = Resolved::new(self.journey, self.log, &Selection::all()) {
            let c = customer.index();
            self.walk_range(
                &all,
                &MetricsOptions::default(),
                c..c.saturating_add(1),
                &mut each,
            );
        }
    }

    /// Runs the partial state `make` gives over the selected customers in `customers` (by
    /// index; clipped to the log), on this thread.
    ///
    /// # Errors
    ///
    /// As [`Observation::for_each_customer`].
    pub fn accumulate_range<A: Accumulate>(
        &self,
        selection: &Selection,
        customers: std::ops::Range<usize>,
        mut state: A,
    ) -> Result<A, SelectionError> {
        let resolved = Resolved::new(self.journey, self.log, selection)?;
        let rules = state.case_rules();
        // A range may reach past the log (`0..usize::MAX` for every customer): only the
        // customers the log has are walked, and only they are announced.
        let end = customers.end.min(self.log.customers().len());
        let customers = customers.start.min(end)..end;
        state.reserve(
            customers.len(),
            self.log.records_of_customers(customers.clone()),
        );
        self.walk_range(&resolved, &rules, customers, &mut |path| {
            state.add_customer(path)
        });
        Ok(state)
    }

    /// Runs a partial state over every selected customer, on every core of the current rayon
    /// thread pool (with the `parallel` feature, on by default): customers are split into
    /// ranges, each range gets a fresh state from `make`, and the states are merged pairwise
    /// as the threads finish. Every partial state of the crate counts exactly (integers and
    /// fixed-point sums), so the result is the same on any number of threads and in any
    /// grouping; run inside `rayon::ThreadPool::install` to choose the threads.
    ///
    /// # Errors
    ///
    /// As [`Observation::for_each_customer`].
    ///
    /// # Complexity
    ///
    /// O(n / p) for n interactions on p threads, plus the merges.
    pub fn accumulate<A, F>(&self, selection: &Selection, make: F) -> Result<A, SelectionError>
    where
        A: Accumulate,
        F: Fn() -> A + Sync,
    {
        let resolved = Resolved::new(self.journey, self.log, selection)?;
        let customers = self.log.customers().len();
        let parts = parts(customers);
        let run = |range: std::ops::Range<usize>| {
            let mut state = make();
            let rules = state.case_rules();
            state.reserve(range.len(), self.log.records_of_customers(range.clone()));
            self.walk_range(&resolved, &rules, range, &mut |path| {
                state.add_customer(path)
            });
            state
        };
        // States made by the same `make` always have the same shape, so merging succeeds;
        // exact states merge to the same result in any grouping.
        let merge = |mut whole: A, part: A| {
            let _ = whole.merge(part);
            whole
        };
        #[cfg(feature = "parallel")]
        let whole = {
            use rayon::prelude::*;
            parts.into_par_iter().map(run).reduce_with(merge)
        };
        #[cfg(not(feature = "parallel"))]
        let whole = parts.into_iter().map(run).reduce(merge);
        Ok(whole.unwrap_or_else(make))
    }

    /// Runs a partial state over every selected customer (as [`Observation::accumulate`]) and
    /// finishes it into its result.
    ///
    /// # Errors
    ///
    /// As [`Observation::for_each_customer`]; a state whose `finish` refuses this journey is
    /// reported as [`SelectionError::Journey`].
    pub fn run<A, F>(&self, selection: &Selection, make: F) -> Result<A::Output, SelectionError>
    where
        A: Accumulate,
        F: Fn() -> A + Sync,
    {
        self.accumulate(selection, make)?
            .finish(self.journey)
            .map_err(|_| {
                SelectionError::Journey(JourneyMismatch {
                    log: self.log.fingerprint(),
                    journey: self.journey.fingerprint(),
                })
            })
    }
}

/// The first and last selected interaction's time, as a partial state.
#[derive(Debug, Clone, Copy)]
struct Span(Option<(i64, i64)>);

impl Accumulate for Span {
    type Output = Option<(i64, i64)>;

    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        let (first, last) = (path.timestamp_ms(0), path.timestamp_ms(path.len() - 1));
        self.0 = Some(match self.0 {
            Some((a, b)) => (a.min(first), b.max(last)),
            None => (first, last),
        });
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        if let Some((a, b)) = other.0 {
            self.0 = Some(match self.0 {
                Some((x, y)) => (x.min(a), y.max(b)),
                None => (a, b),
            });
        }
        Ok(())
    }

    fn finish(self, _: &Journey) -> Result<Self::Output, ShapeMismatch> {
        Ok(self.0)
    }
}

impl Observation<'_> {
    /// The times of the first and the last selected interaction; `None` when the selection
    /// holds none.
    ///
    /// # Errors
    ///
    /// As [`Observation::for_each_customer`].
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::{Observation, Selection};
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
    /// let (log, _) = builder.finish();
    /// let (first, last) = Observation::new(&journey, &log)?.time_span(&Selection::all())?.ok_or("empty")?;
    /// assert!(first < last);
    /// # Ok(())
    /// # }
    /// ```
    pub fn time_span(
        &self,
        selection: &Selection,
    ) -> Result<Option<(jiff::Timestamp, jiff::Timestamp)>, SelectionError> {
        let span = self.run(selection, || Span(None))?;
        Ok(span.and_then(|(a, b)| {
            Some((
                jiff::Timestamp::from_millisecond(a).ok()?,
                jiff::Timestamp::from_millisecond(b).ok()?,
            ))
        }))
    }
}

/// Splits `customers` into ranges: one per [`MIN_PART`] customers, at most two per thread
/// (so that a thread that finishes early takes another), and one range on one thread.
fn parts(customers: usize) -> Vec<std::ops::Range<usize>> {
    #[cfg(feature = "parallel")]
    let threads = rayon::current_num_threads();
    #[cfg(not(feature = "parallel"))]
    let threads = 1;
    let most = if threads > 1 { threads * 2 } else { 1 };
    let count = (customers / MIN_PART).clamp(1, most);
    let size = customers.div_ceil(count).max(1);
    (0..count)
        .map(|i| (i * size).min(customers)..((i + 1) * size).min(customers))
        .filter(|r| !r.is_empty() || customers == 0)
        .take(count)
        .collect()
}
