//! Drop-off paths: where customers who did not convert were last seen and how they got there,
//! and where customers went after leaving a touchpoint unfinished.

use serde::{Deserialize, Serialize};

use super::filter::Selection;
use crate::model::{FastMap, fast_map};
use crate::{Outcome, TouchpointId};

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

/// Complexity: O(n) expected for n selected interactions, plus sorting the distinct paths.
pub(crate) fn drop_off_paths(selection: &Selection<'_>, top_paths: usize) -> DropOffPaths {
    let t = selection.layout.is_goal.len();
    let mut paths: FastMap<Box<[u32]>, u64> = fast_map(1024);
    let mut buffer: Vec<u32> = Vec::new();
    let mut last_counts = vec![0_u64; t];
    // Per touchpoint left unfinished: next touchpoint (t = gone) -> interactions.
    let mut next: FastMap<(u32, u32), u64> = fast_map(256);
    let mut left = vec![0_u64; t];
    let (mut customers, mut not_converted) = (0_u64, 0_u64);
    let gone = t as u32;
    for c in 0..selection.customer_count() {
        let Some((path, converted)) = selection.path(c) else {
            continue;
        };
        customers += 1;
        for (i, record) in path.iter().enumerate() {
            let outcome = Outcome::from_code(record.outcome);
            if matches!(outcome, Outcome::Abandoned | Outcome::Failed) {
                left[record.touchpoint as usize] += 1;
                let to = path.get(i + 1).map_or(gone, |r| r.touchpoint);
                *next.entry((record.touchpoint, to)).or_default() += 1;
            }
        }
        if converted {
            continue;
        }
        not_converted += 1;
        last_counts[path[path.len() - 1].touchpoint as usize] += 1;
        buffer.clear();
        buffer.extend(path.iter().map(|r| r.touchpoint));
        match paths.get_mut(buffer.as_slice()) {
            Some(n) => *n += 1,
            None => {
                paths.insert(buffer.clone().into_boxed_slice(), 1);
            }
        }
    }
    let mut by_last: Vec<Vec<(Box<[u32]>, u64)>> = vec![Vec::new(); t];
    for (path, n) in paths {
        let last = path[path.len() - 1] as usize;
        by_last[last].push((path, n));
    }
    let mut last_touchpoints: Vec<LastTouchpoint> = Vec::new();
    let mut order: Vec<usize> = (0..t).filter(|&i| last_counts[i] > 0).collect();
    order.sort_by(|&a, &b| last_counts[b].cmp(&last_counts[a]).then(a.cmp(&b)));
    for i in order {
        let mut found = std::mem::take(&mut by_last[i]);
        found.sort_unstable_by(|a, b| {
            b.1.cmp(&a.1)
                .then(a.0.len().cmp(&b.0.len()))
                .then(a.0.cmp(&b.0))
        });
        last_touchpoints.push(LastTouchpoint {
            touchpoint: selection.touchpoint_id(i as u32),
            customers: last_counts[i],
            share: last_counts[i] as f64 / not_converted as f64,
            paths: found
                .into_iter()
                .take(top_paths)
                .map(|(path, customers)| PathCount {
                    touchpoints: path.iter().map(|&t| selection.touchpoint_id(t)).collect(),
                    customers,
                })
                .collect(),
        });
    }
    let mut steps: Vec<Vec<(u32, u64)>> = vec![Vec::new(); t];
    for ((from, to), n) in next {
        steps[from as usize].push((to, n));
    }
    let mut departures: Vec<Departure> = Vec::new();
    for (from, mut found) in steps.into_iter().enumerate() {
        if found.is_empty() {
            continue;
        }
        found.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let channel = selection.layout.channel_of[from];
        let other = |to: u32| to != gone && selection.layout.channel_of[to as usize] != channel;
        departures.push(Departure {
            touchpoint: selection.touchpoint_id(from as u32),
            left: left[from],
            to_other_channel: found.iter().filter(|s| other(s.0)).map(|s| s.1).sum(),
            gone: found.iter().filter(|s| s.0 == gone).map(|s| s.1).sum(),
            next: found
                .into_iter()
                .map(|(to, interactions)| NextStep {
                    touchpoint: (to != gone).then(|| selection.touchpoint_id(to)),
                    other_channel: other(to),
                    interactions,
                })
                .collect(),
        });
    }
    departures.sort_by_key(|d| std::cmp::Reverse(d.left));
    DropOffPaths {
        customers,
        not_converted,
        last_touchpoints,
        departures,
    }
}
