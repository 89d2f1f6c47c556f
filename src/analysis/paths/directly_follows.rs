//! The directly-follows graph: how often customers went from one touchpoint straight to
//! another, and how long that took.

use serde::{Deserialize, Serialize};

use crate::analysis::layout::Layout;
use crate::analysis::parallel;
use crate::analysis::table::PairTable;
use crate::analysis::{Accumulate, CustomerPath, ShapeMismatch};
use crate::stats::{Durations, Summary};
use crate::{Fingerprint, InteractionRef, Journey, TouchpointId};

/// How often customers went from one touchpoint straight to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FollowsEdge {
    /// Where the customers were.
    pub from: TouchpointId,
    /// Where they went next (the same touchpoint for a repeat).
    pub to: TouchpointId,
    /// How many times a customer's interaction at `from` was directly followed by one at `to`.
    pub count: u64,
    /// How many customers made the move at least once.
    pub customers: u64,
    /// Whether a designed flow leads from `from` to `to`.
    pub designed: bool,
    /// Seconds from the interaction at `from` to the one at `to`: count, mean, median, p90;
    /// `None` for a graph of aggregated paths, which carry no times.
    pub time: Option<Summary>,
}

/// A touchpoint where paths start or end, and how many do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Endpoint {
    /// The touchpoint.
    pub touchpoint: TouchpointId,
    /// How many selected customers' paths start (or end) there.
    pub customers: u64,
}

/// The directly-follows graph of the selected paths (process mining's DFG).
///
/// Each customer's interactions are taken in time order, ties in input order; each pair of
/// consecutive interactions is one move. Edges are ranked by count (most first), ties by the
/// touchpoints' journey order; start and end touchpoints likewise by customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DirectlyFollowsGraph {
    /// Selected customers.
    pub customers: u64,
    /// Selected interactions.
    pub interactions: u64,
    /// Every observed move, most frequent first.
    pub edges: Vec<FollowsEdge>,
    /// Where paths start.
    pub starts: Vec<Endpoint>,
    /// Where paths end.
    pub ends: Vec<Endpoint>,
}

/// One move's counts in a [`FollowsCounts`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct EdgeTally {
    count: u64,
    customers: u64,
    times: Durations,
    /// Whether the customer being added made the move already; false between customers.
    #[serde(skip)]
    seen: bool,
}

/// The partial state of the directly-follows graph: what [`ObservePaths::directly_follows`]
/// counts, mergeable across customers (see [`Accumulate`]).
///
/// [`ObservePaths::directly_follows`]: super::ObservePaths::directly_follows
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FollowsCounts {
    fingerprint: Fingerprint,
    customers: u64,
    interactions: u64,
    /// Moves keyed by (from, to) touchpoint index.
    edges: PairTable<EdgeTally>,
    starts: Vec<u64>,
    ends: Vec<u64>,
    #[serde(skip)]
    touched: Vec<(u32, u32)>,
}

impl FollowsCounts {
    /// Adds `customers` who all took `touchpoints`: counts and customers per move, no times.
    fn add_path(&mut self, touchpoints: &[crate::TouchpointIndex], customers: u64) {
        let (Some(first), Some(last)) = (touchpoints.first(), touchpoints.last()) else {
            return;
        };
        if customers == 0 {
            return;
        }
        self.customers += customers;
        self.interactions += customers * touchpoints.len() as u64;
        self.starts[first.index()] += customers;
        self.ends[last.index()] += customers;
        for pair in touchpoints.windows(2) {
            let key = (pair[0].as_u32(), pair[1].as_u32());
            let edge = self.edges.row(key.0, key.1, EdgeTally::default);
            edge.count += customers;
            if !edge.seen {
                edge.seen = true;
                edge.customers += customers;
                self.touched.push(key);
            }
        }
        for (a, b) in self.touched.drain(..) {
            self.edges.row(a, b, EdgeTally::default).seen = false;
        }
    }

    /// An empty partial state for `journey`.
    pub fn new(journey: &Journey) -> Self {
        let t = journey.touchpoints().len();
        Self {
            fingerprint: journey.fingerprint(),
            customers: 0,
            interactions: 0,
            edges: PairTable::new(t, t),
            starts: vec![0; t],
            ends: vec![0; t],
            touched: Vec::new(),
        }
    }
}

impl Accumulate for FollowsCounts {
    type Output = DirectlyFollowsGraph;

    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        self.customers += 1;
        self.interactions += path.len() as u64;
        self.starts[path.touchpoint(0).index()] += 1;
        self.ends[path.touchpoint(path.len() - 1).index()] += 1;
        let mut previous: Option<InteractionRef<'_>> = None;
        for record in path.interactions() {
            if let Some(before) = previous {
                let key = (before.touchpoint().as_u32(), record.touchpoint().as_u32());
                let edge = self.edges.row(key.0, key.1, EdgeTally::default);
                edge.count += 1;
                if !edge.seen {
                    edge.seen = true;
                    edge.customers += 1;
                    self.touched.push(key);
                }
                let gap = record
                    .timestamp_ms()
                    .saturating_sub(before.timestamp_ms())
                    .max(0);
                edge.times.push_millis(gap as u64);
            }
            previous = Some(record);
        }
        for (a, b) in self.touched.drain(..) {
            self.edges.row(a, b, EdgeTally::default).seen = false;
        }
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        if self.fingerprint != other.fingerprint {
            return Err(ShapeMismatch);
        }
        self.customers += other.customers;
        self.interactions += other.interactions;
        self.edges.merge(other.edges, |a, b| {
            a.count += b.count;
            a.customers += b.customers;
            a.times.merge(b.times);
        });
        add_counts(&mut self.starts, &other.starts);
        add_counts(&mut self.ends, &other.ends);
        Ok(())
    }

    fn finish(self, journey: &Journey) -> Result<DirectlyFollowsGraph, ShapeMismatch> {
        if journey.fingerprint() != self.fingerprint {
            return Err(ShapeMismatch);
        }
        let layout = Layout::of(journey);
        let mut edges = self.edges.into_rows();
        edges.sort_unstable_by(|(x, a), (y, b)| b.count.cmp(&a.count).then(x.cmp(y)));
        // Each edge's times are summarised on every core.
        let edges = parallel::map(edges, |((from, to), mut edge)| {
            let time = edge.times.summary();
            Some(FollowsEdge {
                from: layout.id(from),
                to: layout.id(to),
                count: edge.count,
                customers: edge.customers,
                designed: layout.is_designed(from as usize, to as usize),
                time,
            })
        })
        .into_iter()
        .flatten()
        .collect();
        Ok(DirectlyFollowsGraph {
            customers: self.customers,
            interactions: self.interactions,
            edges,
            starts: endpoints(&layout, &self.starts),
            ends: endpoints(&layout, &self.ends),
        })
    }
}

/// Adds `other` to `counts`, slot by slot.
pub(crate) fn add_counts(counts: &mut [u64], other: &[u64]) {
    for (a, b) in counts.iter_mut().zip(other) {
        *a += b;
    }
}

fn endpoints(layout: &Layout<'_>, counts: &[u64]) -> Vec<Endpoint> {
    let mut found: Vec<(u32, u64)> = counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| (t as u32, *n))
        .collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    found
        .into_iter()
        .map(|(t, customers)| Endpoint {
            touchpoint: layout.id(t),
            customers,
        })
        .collect()
}

impl DirectlyFollowsGraph {
    /// The edge from `from` to `to`, when customers made that move.
    pub fn edge(&self, from: &str, to: &str) -> Option<&FollowsEdge> {
        self.edges
            .iter()
            .find(|e| e.from.as_str() == from && e.to.as_str() == to)
    }
}

impl DirectlyFollowsGraph {
    /// The directly-follows graph of aggregated paths: each move's count and customers, each
    /// path weighted by its customers. Aggregated paths carry no times, so the times between
    /// touchpoints are absent.
    ///
    /// # Errors
    ///
    /// [`ShapeMismatch`] when the paths were checked against another journey.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::DirectlyFollowsGraph;
    /// use journey_map::{AggregatedPaths, Journey};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let csv = "path,conversions,nulls\nsearch-ad > product-page > search-ad > product-page,1,2\n";
    /// let paths = AggregatedPaths::read_csv(&journey, csv.as_bytes(), " > ")?;
    /// let graph = DirectlyFollowsGraph::from_paths(&journey, &paths)?;
    /// let ad_to_page = graph.edges.iter().find(|e| e.from.as_str() == "search-ad").ok_or("no edge")?;
    /// assert_eq!((ad_to_page.count, ad_to_page.customers), (6, 3));
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_paths(
        journey: &Journey,
        paths: &crate::AggregatedPaths,
    ) -> Result<DirectlyFollowsGraph, ShapeMismatch> {
        if paths.fingerprint() != journey.fingerprint() {
            return Err(ShapeMismatch);
        }
        let mut counts = FollowsCounts::new(journey);
        for path in paths.paths() {
            counts.add_path(&path.touchpoints, path.conversions + path.nulls);
        }
        counts.finish(journey)
    }
}
