//! Questions a journey answers about its own structure.
//!
//! Lookups follow the edges of the journey graph (stage contains touchpoint, flow, persona uses
//! touchpoint). Reachability runs petgraph's breadth-first search, from every entry or goal at
//! once, over the flow network's compact adjacency lists (see `adjacency`), and path search is a
//! pruned depth-first search over the same lists. Each query is linear in the size of the graph
//! except [`Journey::paths_to_goals`], which is bounded by its limits.

use std::borrow::Borrow;
use std::collections::VecDeque;
use std::fmt;
use std::hash::Hash;

use petgraph::Direction;
use petgraph::graph::NodeIndex;
use petgraph::visit::{Bfs, EdgeRef, VisitMap, Visitable};
use serde::{Deserialize, Serialize};

use super::journey::{Edge, Journey, Node};
use super::validation::UnknownIdError;
use super::{
    Channel, Flow, Persona, PersonaId, Stage, StageId, Touchpoint, TouchpointId, TouchpointIndex,
};

/// Bounds on [`Journey::paths_to_goals`], whose answer can grow exponentially with the journey.
///
/// # Example
///
/// ```
/// use journey_map::PathLimits;
///
/// let limits = PathLimits::default().max_touchpoints(6).max_paths(50);
/// assert_eq!(limits.current_max_touchpoints(), 6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PathLimits {
    max_touchpoints: usize,
    max_paths: usize,
}

impl Default for PathLimits {
    /// At most 12 touchpoints a path and 1,000 paths.
    fn default() -> Self {
        Self {
            max_touchpoints: 12,
            max_paths: 1_000,
        }
    }
}

impl PathLimits {
    /// Keeps paths of at most this many touchpoints, both ends included.
    pub fn max_touchpoints(mut self, max: usize) -> Self {
        self.max_touchpoints = max;
        self
    }

    /// Stops after this many paths.
    pub fn max_paths(mut self, max: usize) -> Self {
        self.max_paths = max;
        self
    }

    /// The longest path kept, in touchpoints.
    pub fn current_max_touchpoints(&self) -> usize {
        self.max_touchpoints
    }

    /// The most paths returned.
    pub fn current_max_paths(&self) -> usize {
        self.max_paths
    }
}

/// The simple paths from entries to goals found by [`Journey::paths_to_goals`].
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::PathLimits;
/// let journey = journey_map::Journey::load("examples/data/broadband.ron")?;
/// let found = journey.paths_to_goals(PathLimits::default().max_touchpoints(5).max_paths(3));
/// assert_eq!(found.paths.len(), 3);
/// assert!(!found.complete, "more paths fit the length limit");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GoalPaths {
    /// Each path, entry first and goal last, no touchpoint twice.
    pub paths: Vec<Vec<TouchpointId>>,
    /// `false` when `max_paths` stopped the search, so more paths within the length limit exist.
    pub complete: bool,
}

impl Journey {
    /// The touchpoints of a stage, in file order.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such stage, with the closest stage id.
    ///
    /// # Complexity
    ///
    /// O(k log k) for a stage of k touchpoints.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// let apply: Vec<&str> = journey.touchpoints_in_stage("apply")?.iter().map(|t| t.id.as_str()).collect();
    /// assert!(apply.contains(&"online-application"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn touchpoints_in_stage<Q>(&self, stage: &Q) -> Result<Vec<&Touchpoint>, UnknownIdError>
    where
        StageId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        let stage = self.resolve_stage(stage)?;
        let node = self.stage_nodes[stage.index()];
        Ok(self.touchpoints_by_edge(node, Direction::Outgoing, |e| matches!(e, Edge::Contains)))
    }

    /// The stage a touchpoint belongs to.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such touchpoint.
    ///
    /// # Complexity
    ///
    /// O(1).
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// assert_eq!(journey.stage_of("welcome-pack")?.id, "onboarding");
    /// # Ok(())
    /// # }
    /// ```
    pub fn stage_of<Q>(&self, touchpoint: &Q) -> Result<&Stage, UnknownIdError>
    where
        TouchpointId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        let touchpoint = self.resolve_touchpoint(touchpoint)?;
        let stage = self.touchpoint_stage[touchpoint.index()];
        Ok(&self.parts.stages[stage.index()])
    }

    /// The distinct channels used by the touchpoints of a stage, in order of first use.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such stage.
    ///
    /// # Complexity
    ///
    /// O(k log k + k·c) for a stage of k touchpoints on c channels.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::Channel;
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// let channels = journey.channels_in_stage("apply")?;
    /// assert!(channels.contains(&&Channel::Web));
    /// # Ok(())
    /// # }
    /// ```
    pub fn channels_in_stage<Q>(&self, stage: &Q) -> Result<Vec<&Channel>, UnknownIdError>
    where
        StageId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        let mut channels: Vec<&Channel> = Vec::new();
        for touchpoint in self.touchpoints_in_stage(stage)? {
            if !channels.contains(&&touchpoint.channel) {
                channels.push(&touchpoint.channel);
            }
        }
        Ok(channels)
    }

    /// The touchpoints a designed flow leads to from this one, in file order. A touchpoint with a
    /// retry flow is among its own next touchpoints.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such touchpoint.
    ///
    /// # Complexity
    ///
    /// O(d log d) for a touchpoint with d edges.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// let next = journey.next_touchpoints("chatbot")?;
    /// assert!(next.iter().any(|t| t.id == "live-chat-agent"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn next_touchpoints<Q>(&self, touchpoint: &Q) -> Result<Vec<&Touchpoint>, UnknownIdError>
    where
        TouchpointId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        let node = self.touchpoint_nodes[self.resolve_touchpoint(touchpoint)?.index()];
        Ok(self.touchpoints_by_edge(node, Direction::Outgoing, |e| matches!(e, Edge::Flow(_))))
    }

    /// The touchpoints from which a designed flow leads to this one, in file order.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such touchpoint.
    ///
    /// # Complexity
    ///
    /// O(d log d) for a touchpoint with d edges.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// let before = journey.previous_touchpoints("account-opened")?;
    /// assert!(!before.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn previous_touchpoints<Q>(
        &self,
        touchpoint: &Q,
    ) -> Result<Vec<&Touchpoint>, UnknownIdError>
    where
        TouchpointId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        let node = self.touchpoint_nodes[self.resolve_touchpoint(touchpoint)?.index()];
        Ok(self.touchpoints_by_edge(node, Direction::Incoming, |e| matches!(e, Edge::Flow(_))))
    }

    /// The designed flows leaving a touchpoint, in file order.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such touchpoint.
    ///
    /// # Complexity
    ///
    /// O(d log d) for a touchpoint with d edges.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// let total: f64 = journey.flows_from("online-application")?.iter().filter_map(|f| f.expected_share).sum();
    /// assert!(total <= 1.0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn flows_from<Q>(&self, touchpoint: &Q) -> Result<Vec<&Flow>, UnknownIdError>
    where
        TouchpointId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        let node = self.touchpoint_nodes[self.resolve_touchpoint(touchpoint)?.index()];
        Ok(self.flows_by_edge(node, Direction::Outgoing))
    }

    /// The designed flows entering a touchpoint, in file order.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such touchpoint.
    ///
    /// # Complexity
    ///
    /// O(d log d) for a touchpoint with d edges.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// assert!(journey.flows_into("online-application")?.iter().all(|f| f.to == "online-application"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn flows_into<Q>(&self, touchpoint: &Q) -> Result<Vec<&Flow>, UnknownIdError>
    where
        TouchpointId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        let node = self.touchpoint_nodes[self.resolve_touchpoint(touchpoint)?.index()];
        Ok(self.flows_by_edge(node, Direction::Incoming))
    }

    /// The touchpoints a persona is expected to use, in file order of the touchpoints.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such persona.
    ///
    /// # Complexity
    ///
    /// O(u log u) for a persona expected to use u touchpoints.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// let used = journey.touchpoints_used_by("digital-native")?;
    /// assert!(used.iter().any(|t| t.id == "mobile-app-signup"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn touchpoints_used_by<Q>(&self, persona: &Q) -> Result<Vec<&Touchpoint>, UnknownIdError>
    where
        PersonaId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        let node = self.persona_nodes[self.resolve_persona(persona)?.index()];
        Ok(self.touchpoints_by_edge(node, Direction::Outgoing, |e| matches!(e, Edge::Uses)))
    }

    /// The personas expected to use a touchpoint, in file order.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such touchpoint.
    ///
    /// # Complexity
    ///
    /// O(d log d) for a touchpoint with d edges.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// let who = journey.personas_using("branch-appointment")?;
    /// assert!(who.iter().any(|p| p.id == "branch-loyalist"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn personas_using<Q>(&self, touchpoint: &Q) -> Result<Vec<&Persona>, UnknownIdError>
    where
        TouchpointId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        let node = self.touchpoint_nodes[self.resolve_touchpoint(touchpoint)?.index()];
        let mut personas: Vec<usize> = self
            .graph
            .edges_directed(node, Direction::Incoming)
            .filter(|e| matches!(e.weight(), Edge::Uses))
            .filter_map(|e| match self.graph[e.source()] {
                Node::Persona(p) => Some(p.index()),
                _ => None,
            })
            .collect();
        personas.sort_unstable();
        Ok(personas
            .into_iter()
            .map(|p| &self.parts.personas[p])
            .collect())
    }

    /// The simple paths (no touchpoint twice) along designed flows from each entry to each goal,
    /// within `limits`.
    ///
    /// # Arguments
    ///
    /// * `limits`: the longest path kept, in touchpoints, and the most paths returned. The number
    ///   of paths can grow exponentially with the length, so keep both small on large journeys.
    ///
    /// # Returns
    ///
    /// Paths grouped by entry (file order), each group in depth-first order along flows in file
    /// order. A path may pass through one goal on its way to another; an entry that is also a
    /// goal is a path of one touchpoint. `complete` is `false` when `max_paths` cut the search.
    ///
    /// # Complexity
    ///
    /// O(V + E) to prepare, then one depth-first search per entry that only extends a path while
    /// the shortest way on from its last touchpoint to a goal still fits the length limit: at
    /// worst O(d^L) steps for L = `max_touchpoints` and d the largest out-degree, and it stops
    /// after `max_paths` paths. (petgraph's `all_simple_paths` would search once per pair of entry
    /// and goal, without that pruning.)
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::PathLimits;
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// let found = journey.paths_to_goals(PathLimits::default().max_touchpoints(8));
    /// assert!(found.complete);
    /// for path in &found.paths {
    ///     assert!(journey.touchpoint(&path[0]).is_some_and(|t| t.is_entry));
    ///     assert!(journey.touchpoint(&path[path.len() - 1]).is_some_and(|t| t.is_goal));
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn paths_to_goals(&self, limits: PathLimits) -> GoalPaths {
        let mut paths = Vec::new();
        let max_len = limits.max_touchpoints;
        if max_len == 0 || limits.max_paths == 0 {
            let complete = max_len == 0
                || !self
                    .parts
                    .touchpoints
                    .iter()
                    .any(|t| t.is_entry && t.is_goal);
            return GoalPaths { paths, complete };
        }
        let to_goal = self.hops_to_goal();
        let fits = |t: usize, len: usize| to_goal[t] != usize::MAX && len + to_goal[t] <= max_len;

        let mut on_path = vec![false; self.parts.touchpoints.len()];
        let mut path: Vec<usize> = Vec::with_capacity(max_len);
        // (touchpoint, position of the next successor to try)
        let mut stack: Vec<(usize, usize)> = Vec::with_capacity(max_len);
        for entry in
            (0..self.parts.touchpoints.len()).filter(|&t| self.parts.touchpoints[t].is_entry)
        {
            if !fits(entry, 1) {
                continue;
            }
            path.push(entry);
            on_path[entry] = true;
            stack.push((entry, 0));
            let mut found_here = self.parts.touchpoints[entry].is_goal;
            loop {
                if found_here {
                    if paths.len() == limits.max_paths {
                        return GoalPaths {
                            paths,
                            complete: false,
                        };
                    }
                    paths.push(
                        path.iter()
                            .map(|&t| self.parts.touchpoints[t].id.clone())
                            .collect(),
                    );
                    found_here = false;
                }
                let Some((node, cursor)) = stack.last_mut() else {
                    break;
                };
                let next = self.flows_out.neighbors(TouchpointIndex::from_usize(*node));
                let Some(child) = next.get(*cursor).map(|t| t.index()) else {
                    stack.pop();
                    if let Some(left) = path.pop() {
                        on_path[left] = false;
                    }
                    continue;
                };
                *cursor += 1;
                if on_path[child] || !fits(child, path.len() + 1) {
                    continue;
                }
                path.push(child);
                on_path[child] = true;
                stack.push((child, 0));
                found_here = self.parts.touchpoints[child].is_goal;
            }
        }
        GoalPaths {
            paths,
            complete: true,
        }
    }

    /// For each touchpoint, the fewest flows to a goal (0 for a goal), `usize::MAX` when no goal
    /// can be reached: a breadth-first search backwards from every goal at once, O(V + E).
    fn hops_to_goal(&self) -> Vec<usize> {
        let mut hops = vec![usize::MAX; self.parts.touchpoints.len()];
        let mut queue: VecDeque<usize> = VecDeque::new();
        for (t, touchpoint) in self.parts.touchpoints.iter().enumerate() {
            if touchpoint.is_goal {
                hops[t] = 0;
                queue.push_back(t);
            }
        }
        while let Some(t) = queue.pop_front() {
            for before in self.flows_in.neighbors(TouchpointIndex::from_usize(t)) {
                let before = before.index();
                if hops[before] == usize::MAX {
                    hops[before] = hops[t] + 1;
                    queue.push_back(before);
                }
            }
        }
        hops
    }

    /// The touchpoints from which no goal can be reached along designed flows: customers there
    /// cannot succeed. Goals are never dead ends.
    ///
    /// # Complexity
    ///
    /// O(V + E): one breadth-first search backwards from every goal at once.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// assert!(journey.dead_ends().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn dead_ends(&self) -> Vec<&Touchpoint> {
        let can_reach_goal = self.reach(self.goals_or_entries(true), true);
        self.touchpoints_where(|i| !can_reach_goal[i])
    }

    /// The touchpoints no entry reaches along designed flows: no customer can get there by the
    /// map. Entries are always reachable.
    ///
    /// # Complexity
    ///
    /// O(V + E): one breadth-first search forwards from every entry at once.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// assert!(journey.unreachable_touchpoints().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn unreachable_touchpoints(&self) -> Vec<&Touchpoint> {
        let reached = self.reach(self.goals_or_entries(false), false);
        self.touchpoints_where(|i| !reached[i])
    }

    /// The flows that go back to an earlier stage, in file order: customers moving back.
    ///
    /// # Complexity
    ///
    /// O(F) for F flows.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// for flow in journey.backward_flows() {
    ///     assert!(journey.stage_index(&journey.stage_of(&flow.to)?.id) < journey.stage_index(&journey.stage_of(&flow.from)?.id));
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn backward_flows(&self) -> Vec<&Flow> {
        let mut backward: Vec<usize> = self
            .graph
            .edge_references()
            .filter_map(|e| match e.weight() {
                Edge::Flow(flow) => {
                    let from = self.touchpoint_of_node(e.source())?;
                    let to = self.touchpoint_of_node(e.target())?;
                    (self.stage_index_of(to) < self.stage_index_of(from)).then_some(flow.index())
                }
                _ => None,
            })
            .collect();
        backward.sort_unstable();
        backward.into_iter().map(|f| &self.parts.flows[f]).collect()
    }

    /// The stages that hold no touchpoint, in journey order.
    ///
    /// # Complexity
    ///
    /// O(S + T) for S stages and T touchpoints.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// assert!(journey.empty_stages().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn empty_stages(&self) -> Vec<&Stage> {
        self.stage_nodes
            .iter()
            .zip(&self.parts.stages)
            .filter(|(node, _)| {
                !self
                    .graph
                    .edges_directed(**node, Direction::Outgoing)
                    .any(|e| matches!(e.weight(), Edge::Contains))
            })
            .map(|(_, stage)| stage)
            .collect()
    }

    /// The touchpoints joined to `node` by edges of one kind in one direction, in file order.
    fn touchpoints_by_edge(
        &self,
        node: NodeIndex,
        direction: Direction,
        keep: fn(&Edge) -> bool,
    ) -> Vec<&Touchpoint> {
        let mut found: Vec<TouchpointIndex> = self
            .graph
            .edges_directed(node, direction)
            .filter(|e| keep(e.weight()))
            .filter_map(|e| {
                let other = if direction == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                self.touchpoint_of_node(other)
            })
            .collect();
        found.sort_unstable();
        found
            .into_iter()
            .map(|t| &self.parts.touchpoints[t.index()])
            .collect()
    }

    /// The flows leaving or entering a touchpoint node, in file order.
    fn flows_by_edge(&self, node: NodeIndex, direction: Direction) -> Vec<&Flow> {
        let mut found: Vec<usize> = self
            .graph
            .edges_directed(node, direction)
            .filter_map(|e| match e.weight() {
                Edge::Flow(flow) => Some(flow.index()),
                _ => None,
            })
            .collect();
        found.sort_unstable();
        found.into_iter().map(|f| &self.parts.flows[f]).collect()
    }

    /// Every goal (`true`) or every entry (`false`).
    fn goals_or_entries(&self, goals: bool) -> Vec<TouchpointIndex> {
        (0..self.parts.touchpoints.len())
            .filter(|&t| {
                if goals {
                    self.parts.touchpoints[t].is_goal
                } else {
                    self.parts.touchpoints[t].is_entry
                }
            })
            .map(TouchpointIndex::from_usize)
            .collect()
    }

    /// Which touchpoints petgraph's breadth-first search reaches from `starts` along the flows
    /// (against them when `backwards`), by touchpoint index.
    fn reach(&self, starts: Vec<TouchpointIndex>, backwards: bool) -> Vec<bool> {
        let network = if backwards {
            &self.flows_in
        } else {
            &self.flows_out
        };
        let mut discovered = network.visit_map();
        for &start in &starts {
            discovered.visit(start);
        }
        let mut bfs = Bfs {
            stack: VecDeque::from(starts),
            discovered,
        };
        while bfs.next(network).is_some() {}
        bfs.discovered.0
    }

    fn touchpoints_where(&self, keep: impl Fn(usize) -> bool) -> Vec<&Touchpoint> {
        self.parts
            .touchpoints
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, t)| t)
            .collect()
    }
}
