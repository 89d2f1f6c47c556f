//! The flow network as compact adjacency lists, for traversals that must stay fast on large
//! journeys.
//!
//! The journey graph keeps every relation (stage order, containment, flows, persona usage) in
//! one petgraph graph, whose edges are linked lists: walking them on a journey of 40,000
//! touchpoints misses the cache at almost every step. Reachability and path search only follow
//! flows, so the journey also keeps the flows in compressed sparse row form (one offset per
//! touchpoint, one target per flow, in file order), built in O(V + E) when the journey is built.
//! The lists implement petgraph's visitor traits, so petgraph's algorithms run on them.

use std::iter::Copied;
use std::slice;

use petgraph::visit::{GraphBase, IntoNeighbors, VisitMap, Visitable};

use super::{FlowIndex, TouchpointIndex};

/// The touchpoints one flow step away from each touchpoint, in one direction.
#[derive(Debug, Clone, Default)]
pub(crate) struct FlowAdjacency {
    /// `offsets[t]..offsets[t + 1]` is the range of `targets` that belongs to touchpoint `t`.
    offsets: Vec<u32>,
    targets: Vec<TouchpointIndex>,
}

/// Which way an adjacency follows the flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Way {
    /// From `from` to `to`.
    Forward,
    /// From `to` back to `from`.
    Backward,
}

impl FlowAdjacency {
    /// Lays out the flows of `touchpoints` touchpoints by a counting sort on the touchpoint they
    /// leave (`Forward`) or enter (`Backward`); flows keep their file order within a touchpoint.
    pub(crate) fn new(
        touchpoints: usize,
        ends: &[(TouchpointIndex, TouchpointIndex)],
        way: Way,
    ) -> Self {
        let oriented = |&(from, to): &(TouchpointIndex, TouchpointIndex)| match way {
            Way::Forward => (from, to),
            Way::Backward => (to, from),
        };
        let mut offsets = vec![0_u32; touchpoints + 1];
        for (here, _) in ends.iter().map(oriented) {
            offsets[here.index() + 1] += 1;
        }
        for t in 0..touchpoints {
            offsets[t + 1] += offsets[t];
        }
        let mut next_slot = offsets.clone();
        let mut targets = vec![TouchpointIndex::from_u32(0); ends.len()];
        for (here, there) in ends.iter().map(oriented) {
            let slot = &mut next_slot[here.index()];
            targets[*slot as usize] = there;
            *slot += 1;
        }
        Self { offsets, targets }
    }

    /// The touchpoints one flow away from `touchpoint`, in file order of the flows.
    pub(crate) fn neighbors(&self, touchpoint: TouchpointIndex) -> &[TouchpointIndex] {
        let t = touchpoint.index();
        match (self.offsets.get(t), self.offsets.get(t + 1)) {
            (Some(&start), Some(&end)) => &self.targets[start as usize..end as usize],
            _ => &[],
        }
    }

    /// How many touchpoints the lists cover.
    pub(crate) fn touchpoint_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
}

impl GraphBase for FlowAdjacency {
    type NodeId = TouchpointIndex;
    type EdgeId = FlowIndex;
}

impl<'a> IntoNeighbors for &'a FlowAdjacency {
    type Neighbors = Copied<slice::Iter<'a, TouchpointIndex>>;

    fn neighbors(self, touchpoint: TouchpointIndex) -> Self::Neighbors {
        FlowAdjacency::neighbors(self, touchpoint).iter().copied()
    }
}

impl Visitable for FlowAdjacency {
    type Map = Visited;

    fn visit_map(&self) -> Visited {
        Visited(vec![false; self.touchpoint_count()])
    }

    fn reset_map(&self, map: &mut Visited) {
        map.0.clear();
        map.0.resize(self.touchpoint_count(), false);
    }
}

/// Which touchpoints a traversal has visited, by touchpoint index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Visited(pub(crate) Vec<bool>);

impl VisitMap<TouchpointIndex> for Visited {
    fn visit(&mut self, touchpoint: TouchpointIndex) -> bool {
        match self.0.get_mut(touchpoint.index()) {
            Some(seen) => !std::mem::replace(seen, true),
            None => false,
        }
    }

    fn is_visited(&self, touchpoint: &TouchpointIndex) -> bool {
        self.0.get(touchpoint.index()).copied().unwrap_or(false)
    }

    fn unvisit(&mut self, touchpoint: TouchpointIndex) -> bool {
        match self.0.get_mut(touchpoint.index()) {
            Some(seen) => std::mem::replace(seen, false),
            None => false,
        }
    }
}
