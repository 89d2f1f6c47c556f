//! The directly-follows graph: how often customers went from one touchpoint straight to
//! another, and how long that took.

use serde::{Deserialize, Serialize};

use super::filter::Selection;
use crate::TouchpointId;
use crate::model::{FastMap, fast_map};
use crate::stats::{Durations, Summary};

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
    /// Seconds from the interaction at `from` to the one at `to`: count, mean, median, p90.
    pub time: Summary,
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

struct EdgeTally {
    from: u32,
    to: u32,
    count: u64,
    customers: u64,
    last_customer: usize,
    times: Durations,
}

/// Complexity: O(n) expected for n selected interactions, plus O(E log E) to rank E edges.
pub(crate) fn directly_follows(selection: &Selection<'_>) -> DirectlyFollowsGraph {
    let t = selection.layout.is_goal.len();
    let mut slots: FastMap<u64, u32> = fast_map(t * 4);
    let mut edges: Vec<EdgeTally> = Vec::new();
    let mut starts = vec![0_u64; t];
    let mut ends = vec![0_u64; t];
    let (mut customers, mut interactions) = (0_u64, 0_u64);
    for c in 0..selection.customer_count() {
        let Some((path, _)) = selection.path(c) else {
            continue;
        };
        customers += 1;
        interactions += path.len() as u64;
        starts[path[0].touchpoint as usize] += 1;
        ends[path[path.len() - 1].touchpoint as usize] += 1;
        for pair in path.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let key = (u64::from(a.touchpoint) << 32) | u64::from(b.touchpoint);
            let slot = *slots.entry(key).or_insert_with(|| {
                edges.push(EdgeTally {
                    from: a.touchpoint,
                    to: b.touchpoint,
                    count: 0,
                    customers: 0,
                    last_customer: usize::MAX,
                    times: Durations::default(),
                });
                (edges.len() - 1) as u32
            });
            let edge = &mut edges[slot as usize];
            edge.count += 1;
            if edge.last_customer != c {
                edge.last_customer = c;
                edge.customers += 1;
            }
            let gap = b.timestamp_ms.saturating_sub(a.timestamp_ms).max(0);
            edge.times.push_millis(gap as u64);
        }
    }
    edges.sort_unstable_by(|x, y| {
        y.count
            .cmp(&x.count)
            .then(x.from.cmp(&y.from))
            .then(x.to.cmp(&y.to))
    });
    let edges = edges
        .into_iter()
        .filter_map(|mut edge| {
            let time = edge.times.summary()?;
            Some(FollowsEdge {
                from: selection.touchpoint_id(edge.from),
                to: selection.touchpoint_id(edge.to),
                count: edge.count,
                customers: edge.customers,
                designed: selection
                    .layout
                    .is_designed(edge.from as usize, edge.to as usize),
                time,
            })
        })
        .collect();
    DirectlyFollowsGraph {
        customers,
        interactions,
        edges,
        starts: endpoints(selection, &starts),
        ends: endpoints(selection, &ends),
    }
}

fn endpoints(selection: &Selection<'_>, counts: &[u64]) -> Vec<Endpoint> {
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
            touchpoint: selection.touchpoint_id(t),
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
