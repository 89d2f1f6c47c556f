//! Drop-off paths: where customers who did not convert were last seen and how they got there,
//! and where customers went after leaving a touchpoint unfinished.

use serde::{Deserialize, Serialize};

use super::directly_follows::add_counts;
use crate::analysis::layout::Layout;
use crate::analysis::table::{PairTable, SeqTable};
use crate::analysis::{Accumulate, CustomerPath, ShapeMismatch};
use crate::{Fingerprint, Journey, Outcome, TouchpointId};

/// A path that led to a last touchpoint, with its customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PathCount {
    /// The touchpoints in the order walked, the last touchpoint last.
    pub touchpoints: Vec<TouchpointId>,
    /// How many customers walked it.
    pub customers: u64,
}

/// The last touchpoint of customers who did not convert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LastTouchpoint {
    /// Where they were last seen.
    pub touchpoint: TouchpointId,
    /// How many customers who did not convert were last seen here.
    pub customers: u64,
    /// `customers` over all customers who did not convert.
    pub share: f64,
    /// The most common full paths that ended here, most customers first.
    pub paths: Vec<PathCount>,
}

/// Where customers went straight after leaving a touchpoint unfinished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NextStep {
    /// The next touchpoint, or `None` when the customer left the journey.
    pub touchpoint: Option<TouchpointId>,
    /// Whether the next touchpoint is on another channel (false when they left).
    pub other_channel: bool,
    /// How many unfinished interactions were followed by this step.
    pub interactions: u64,
}

/// Interactions that ended abandoned or failed at one touchpoint, and what came next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Departure {
    /// The touchpoint left unfinished.
    pub touchpoint: TouchpointId,
    /// Interactions here that ended abandoned or failed.
    pub left: u64,
    /// Of those, how many were followed by an interaction on another channel.
    pub to_other_channel: u64,
    /// Of those, how many were the customer's last interaction.
    pub gone: u64,
    /// Every next step, most frequent first (leaving the journey ranks like a touchpoint).
    pub next: Vec<NextStep>,
}

/// Drop-off paths of the selected customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DropOffPaths {
    /// Selected customers.
    pub customers: u64,
    /// Of those, how many did not convert.
    pub not_converted: u64,
    /// Last touchpoints of customers who did not convert, most customers first.
    pub last_touchpoints: Vec<LastTouchpoint>,
    /// Touchpoints where interactions ended abandoned or failed, most such interactions first.
    pub departures: Vec<Departure>,
}

/// The partial state of the drop-off paths, mergeable across customers (see [`Accumulate`]).
/// `top_paths` is how many leading paths the report lists per last touchpoint.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DropOffCounts {
    fingerprint: Fingerprint,
    top_paths: usize,
    customers: u64,
    not_converted: u64,
    /// Customers who did not convert, by full path.
    paths: SeqTable<u64>,
    /// Customers who did not convert, by last touchpoint.
    last: Vec<u64>,
    /// Interactions that ended abandoned or failed, by (touchpoint, next touchpoint or
    /// `touchpoints` for none).
    next: PairTable<u64>,
    /// Interactions that ended abandoned or failed, by touchpoint.
    left: Vec<u64>,
    #[serde(skip)]
    buffer: Vec<u32>,
}

impl DropOffCounts {
    /// An empty partial state for `journey`, listing `top_paths` paths per last touchpoint.
    pub fn new(journey: &Journey, top_paths: usize) -> Self {
        let t = journey.touchpoints().len();
        Self {
            fingerprint: journey.fingerprint(),
            top_paths,
            customers: 0,
            not_converted: 0,
            paths: SeqTable::default(),
            last: vec![0; t],
            next: PairTable::new(t, t + 1),
            left: vec![0; t],
            buffer: Vec::new(),
        }
    }
}

impl Accumulate for DropOffCounts {
    type Output = DropOffPaths;

    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        let gone = self.last.len() as u32;
        // A customer still on their way has not dropped off: their moves after trouble count,
        // their end does not (below).
        self.customers += 1;
        for (i, record) in path.interactions().enumerate() {
            if matches!(record.outcome(), Outcome::Abandoned | Outcome::Failed) {
                let here = record.touchpoint().as_u32();
                self.left[here as usize] += 1;
                let to = if i + 1 < path.len() {
                    path.touchpoint(i + 1).as_u32()
                } else {
                    gone
                };
                *self.next.row(here, to, || 0) += 1;
            }
        }
        if path.converted() || path.is_open() {
            return;
        }
        self.not_converted += 1;
        self.last[path.touchpoint(path.len() - 1).index()] += 1;
        self.buffer.clear();
        self.buffer.extend(path.touchpoints().map(|t| t.as_u32()));
        *self.paths.row(&self.buffer, || 0) += 1;
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        if (self.fingerprint, self.top_paths) != (other.fingerprint, other.top_paths) {
            return Err(ShapeMismatch);
        }
        self.customers += other.customers;
        self.not_converted += other.not_converted;
        self.paths.merge(other.paths, |a, b| *a += b);
        self.next.merge(other.next, |a, b| *a += b);
        add_counts(&mut self.last, &other.last);
        add_counts(&mut self.left, &other.left);
        Ok(())
    }

    /// Complexity: sorting the distinct paths and next steps.
    fn finish(self, journey: &Journey) -> Result<DropOffPaths, ShapeMismatch> {
        if journey.fingerprint() != self.fingerprint {
            return Err(ShapeMismatch);
        }
        let layout = Layout::of(journey);
        let t = self.last.len();
        let gone = t as u32;
        let (last_counts, not_converted) = (&self.last, self.not_converted);
        let mut by_last: Vec<Vec<(&[u32], u64)>> = vec![Vec::new(); t];
        for (path, &n) in self.paths.rows() {
            let last = path[path.len() - 1] as usize;
            by_last[last].push((path, n));
        }
        let mut last_touchpoints: Vec<LastTouchpoint> = Vec::new();
        let mut order: Vec<usize> = (0..t).filter(|&i| last_counts[i] > 0).collect();
        order.sort_by(|&a, &b| last_counts[b].cmp(&last_counts[a]).then(a.cmp(&b)));
        for i in order {
            let mut found = std::mem::take(&mut by_last[i]);
            let order = |a: &(&[u32], u64), b: &(&[u32], u64)| {
                b.1.cmp(&a.1)
                    .then(a.0.len().cmp(&b.0.len()))
                    .then(a.0.cmp(b.0))
            };
            // Only the listed paths are ranked: partition them off, then sort them.
            let listed = self.top_paths.min(found.len());
            if listed < found.len() {
                found.select_nth_unstable_by(listed, order);
            }
            found[..listed].sort_unstable_by(order);
            last_touchpoints.push(LastTouchpoint {
                touchpoint: layout.id(i as u32),
                customers: last_counts[i],
                share: last_counts[i] as f64 / not_converted as f64,
                paths: found
                    .into_iter()
                    .take(self.top_paths)
                    .map(|(path, customers)| PathCount {
                        touchpoints: path.iter().map(|&t| layout.id(t)).collect(),
                        customers,
                    })
                    .collect(),
            });
        }
        let mut steps: Vec<Vec<(u32, u64)>> = vec![Vec::new(); t];
        for ((from, to), n) in self.next.into_rows() {
            steps[from as usize].push((to, n));
        }
        let mut departures: Vec<Departure> = Vec::new();
        for (from, mut found) in steps.into_iter().enumerate() {
            if found.is_empty() {
                continue;
            }
            found.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let channel = layout.channel_of[from];
            let other = |to: u32| to != gone && layout.channel_of[to as usize] != channel;
            departures.push(Departure {
                touchpoint: layout.id(from as u32),
                left: self.left[from],
                to_other_channel: found.iter().filter(|s| other(s.0)).map(|s| s.1).sum(),
                gone: found.iter().filter(|s| s.0 == gone).map(|s| s.1).sum(),
                next: found
                    .into_iter()
                    .map(|(to, interactions)| NextStep {
                        touchpoint: (to != gone).then(|| layout.id(to)),
                        other_channel: other(to),
                        interactions,
                    })
                    .collect(),
            });
        }
        departures.sort_by_key(|d| std::cmp::Reverse(d.left));
        Ok(DropOffPaths {
            customers: self.customers,
            not_converted,
            last_touchpoints,
            departures,
        })
    }
}
