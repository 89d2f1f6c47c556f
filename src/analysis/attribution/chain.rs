//! The absorbing Markov chain of observed transitions: start, touchpoints, conversion and
//! drop-out.

use serde::{Deserialize, Serialize};

use super::AttributionError;
use super::solver::{Factors, Singular};
use crate::analysis::layout::Layout;
use crate::analysis::paths::add_counts;
use crate::analysis::table::PairTable;
use crate::analysis::{Accumulate, CustomerPath, ShapeMismatch};
use crate::{Fingerprint, Journey, TouchpointId, TouchpointIndex};

const NONE: u32 = u32::MAX;

/// Observed transition counts of one state (a touchpoint).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Row {
    /// (next state, moves), sorted by state.
    pub(crate) to: Vec<(u32, u64)>,
    /// Moves to conversion (the state is a goal).
    pub(crate) conversion: u64,
    /// Moves to drop-out (the customer's last touchpoint, not a goal).
    pub(crate) drop_out: u64,
}

impl Row {
    fn total(&self) -> u64 {
        self.to.iter().map(|e| e.1).sum::<u64>() + self.conversion + self.drop_out
    }
}

/// Transition probabilities of a chain, which a what-if may change.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Probabilities {
    /// Where customers start; sums to 1, or less when some start where a change removed.
    pub(crate) start: Vec<f64>,
    /// (next state, probability) per state.
    pub(crate) to: Vec<Vec<(u32, f64)>>,
    pub(crate) conversion: Vec<f64>,
    pub(crate) drop_out: Vec<f64>,
}

/// The solved chain: absorption and visit figures.
pub(crate) struct Solved {
    pub(crate) factors: Factors,
    /// Probability of conversion from each state.
    pub(crate) absorb: Vec<f64>,
    /// Expected visits to each state from the start.
    pub(crate) visits: Vec<f64>,
    /// Probability of conversion from the start.
    pub(crate) conversion: f64,
}

/// The absorbing Markov chain of the selected customers' observed transitions.
///
/// States are the touchpoints customers visited, plus *start*, *conversion* and *drop-out*.
/// Each customer's path (interactions in time order) is cut at their first goal touchpoint:
/// start moves to the first touchpoint, each touchpoint to the next (a repeat is a move to the
/// same touchpoint), the goal to conversion, and the last touchpoint of a customer who did not
/// convert to drop-out. Transition probabilities are the observed shares. The chain is solved
/// exactly (sparse LU of `I - Q`), so on the observed chain the conversion probability equals
/// the observed conversion rate.
///
/// Build one with [`Attribute::markov_chain`](super::Attribute::markov_chain).
#[derive(Debug, Clone, PartialEq)]
pub struct MarkovChain {
    /// Journey touchpoint of each state, in journey order.
    pub(crate) touchpoints: Vec<u32>,
    pub(crate) ids: Vec<TouchpointId>,
    /// State of each journey touchpoint, `NONE` when unvisited.
    pub(crate) state_of: Vec<u32>,
    /// Customers starting at each state.
    pub(crate) start: Vec<u64>,
    pub(crate) rows: Vec<Row>,
    /// The channel of each state, as a position among the journey's channels.
    pub(crate) channel_of: Vec<usize>,
    pub(crate) channels: Vec<crate::Channel>,
    /// Whether each state is a goal touchpoint.
    pub(crate) goal: Vec<bool>,
    pub(crate) customers: u64,
    pub(crate) conversions: u64,
}

/// One touchpoint's removal effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RemovalEffect {
    /// The touchpoint removed (every move into it goes to drop-out instead).
    pub touchpoint: TouchpointId,
    /// Conversion probability without it.
    pub conversion_without: f64,
    /// `1 - conversion_without / conversion`, from 0 (not needed) to 1 (every conversion
    /// passes through it).
    pub effect: f64,
    /// Conversions attributed to it: the observed conversions shared among the touchpoints
    /// that are not goals, in proportion to their removal effects. A goal gets none (a
    /// conversion happens there; it is not what brought the customer), so the touchpoints that
    /// are not goals share every conversion (none when no such touchpoint has an effect).
    pub attributed_conversions: f64,
}

/// Conversion of the customers who started at one touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EntryConversion {
    /// The first touchpoint.
    pub touchpoint: TouchpointId,
    /// Customers who started there.
    pub customers: u64,
    /// Probability of conversion from there, by the chain.
    pub conversion: f64,
}

/// Expected number of touchpoint visits (steps) before conversion or drop-out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExpectedSteps {
    /// Over every customer.
    pub all: f64,
    /// Over customers who convert (the goal visit included); absent when none converts.
    pub to_goal: Option<f64>,
}

impl MarkovChain {
    /// Customers in the chain.
    pub fn customers(&self) -> u64 {
        self.customers
    }

    /// Customers who converted.
    pub fn conversions(&self) -> u64 {
        self.conversions
    }

    /// The touchpoints customers visited (the chain's transient states), in journey order.
    pub fn touchpoints(&self) -> &[TouchpointId] {
        &self.ids
    }

    /// The observed probability of moving from `from` to `to` (another touchpoint, or the
    /// same one for a repeat); `None` when a touchpoint is not in the chain.
    pub fn transition(&self, from: &str, to: &str) -> Option<f64> {
        let (f, t) = (self.state(from)?, self.state(to)?);
        let row = &self.rows[f as usize];
        let total = row.total() as f64;
        let n = row.to.iter().find(|e| e.0 == t).map_or(0, |e| e.1);
        Some(n as f64 / total)
    }

    /// The state of a touchpoint id, when customers visited it.
    pub(crate) fn state(&self, id: &str) -> Option<u32> {
        self.ids
            .iter()
            .position(|t| t.as_str() == id)
            .map(|s| s as u32)
    }

    /// The state of a journey touchpoint index, when customers visited it.
    pub(crate) fn state_of_index(&self, index: TouchpointIndex) -> Option<u32> {
        match self.state_of.get(index.index()) {
            Some(&s) if s != NONE => Some(s),
            _ => None,
        }
    }

    /// The observed shares as probabilities.
    pub(crate) fn probabilities(&self) -> Probabilities {
        let total_start = self.customers.max(1) as f64;
        let mut p = Probabilities {
            start: self.start.iter().map(|&n| n as f64 / total_start).collect(),
            to: Vec::with_capacity(self.rows.len()),
            conversion: Vec::with_capacity(self.rows.len()),
            drop_out: Vec::with_capacity(self.rows.len()),
        };
        for row in &self.rows {
            let total = row.total().max(1) as f64;
            p.to.push(row.to.iter().map(|&(s, n)| (s, n as f64 / total)).collect());
            p.conversion.push(row.conversion as f64 / total);
            p.drop_out.push(row.drop_out as f64 / total);
        }
        p
    }

    /// The conversion probability from the start, by the chain; absent without customers.
    ///
    /// # Complexity
    ///
    /// One sparse LU factorization of `I - Q` and one solve.
    pub fn conversion(&self) -> Option<f64> {
        if self.customers == 0 {
            return None;
        }
        Probabilities::solve(&self.probabilities())
            .ok()
            .map(|s| s.conversion)
    }

    /// Conversion from each touchpoint where customers started, most customers first.
    ///
    /// # Errors
    ///
    /// [`AttributionError::Trapped`] cannot occur on an observed chain (every observed path
    /// ends) and is reported rather than hidden if it does.
    pub fn entries(&self) -> Result<Vec<EntryConversion>, AttributionError> {
        Ok(self.entries_of(&self.probabilities().solve()?))
    }

    /// Solves the observed chain once, for the figures an attribution report reads off it.
    pub(crate) fn solve(&self) -> Result<Solved, AttributionError> {
        self.probabilities().solve()
    }

    pub(crate) fn entries_of(&self, solved: &Solved) -> Vec<EntryConversion> {
        let mut entries: Vec<EntryConversion> = (0..self.rows.len())
            .filter(|&s| self.start[s] > 0)
            .map(|s| EntryConversion {
                touchpoint: self.ids[s].clone(),
                customers: self.start[s],
                conversion: solved.absorb[s],
            })
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.customers));
        entries
    }

    /// The expected number of touchpoint visits before absorption, for every customer and
    /// for customers who convert. Absent without customers.
    ///
    /// # Errors
    ///
    /// As [`MarkovChain::entries`].
    pub fn expected_steps(&self) -> Result<Option<ExpectedSteps>, AttributionError> {
        if self.customers == 0 {
            return Ok(None);
        }
        Ok(Some(Self::steps_of(&self.probabilities().solve()?)))
    }

    pub(crate) fn steps_of(solved: &Solved) -> ExpectedSteps {
        let all = solved.visits.iter().sum();
        let to_goal = (solved.conversion > 0.0).then(|| {
            solved
                .visits
                .iter()
                .zip(&solved.absorb)
                .map(|(w, x)| w * x)
                .sum::<f64>()
                / solved.conversion
        });
        ExpectedSteps { all, to_goal }
    }

    /// The removal effect of every touchpoint in the chain, largest first (ties in journey
    /// order). Removing a touchpoint sends every move into it (including starts there) to
    /// drop-out.
    ///
    /// Uses the strong Markov property instead of one solve per removal: with `N = (I - Q)⁻¹`,
    /// `w` the expected visits from the start and `x` the conversion probabilities, the
    /// conversion without `c` is `P - (w_c / N_cc) · x_c` (the probability of ever reaching
    /// `c` times the probability of converting from there).
    ///
    /// # Returns
    ///
    /// An empty list when no customer converted (no effect is defined).
    ///
    /// # Errors
    ///
    /// As [`MarkovChain::entries`].
    ///
    /// # Complexity
    ///
    /// One sparse LU factorization of `I - Q`, then one solve per touchpoint:
    /// O(T · (T + nnz(L + U))) for T touchpoints.
    pub fn removal_effects(&self) -> Result<Vec<RemovalEffect>, AttributionError> {
        Ok(self.removal_effects_of(&mut self.probabilities().solve()?))
    }

    pub(crate) fn removal_effects_of(&self, solved: &mut Solved) -> Vec<RemovalEffect> {
        let total = solved.conversion;
        if self.conversions == 0 || total <= 0.0 {
            return Vec::new();
        }
        let n = self.rows.len();
        let mut column = vec![0.0; n];
        let mut effects = Vec::with_capacity(n);
        for c in 0..n {
            column.fill(0.0);
            column[c] = 1.0;
            solved.factors.solve(&mut column);
            let reach = if column[c] > 0.0 {
                (solved.visits[c] / column[c]).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let without = (total - reach * solved.absorb[c]).clamp(0.0, total);
            effects.push((c, without, (1.0 - without / total).clamp(0.0, 1.0)));
        }
        // Goals take no credit: the conversions are shared among the other touchpoints.
        let sum: f64 = effects
            .iter()
            .filter(|e| !self.goal[e.0])
            .map(|e| e.2)
            .sum();
        let mut result: Vec<RemovalEffect> = effects
            .into_iter()
            .map(|(c, without, effect)| RemovalEffect {
                touchpoint: self.ids[c].clone(),
                conversion_without: without,
                effect,
                attributed_conversions: if sum > 0.0 && !self.goal[c] {
                    self.conversions as f64 * effect / sum
                } else {
                    0.0
                },
            })
            .collect();
        result.sort_by(|a, b| b.effect.total_cmp(&a.effect));
        result
    }

    /// Conversion probability with the touchpoints in `removed` (by state) taken out.
    pub(crate) fn conversion_without(&self, removed: &[bool]) -> Result<f64, AttributionError> {
        let mut p = self.probabilities();
        p.remove(removed);
        Ok(p.solve()?.conversion)
    }
}

impl Probabilities {
    /// Sends every move into a removed state (and every start there) to drop-out.
    pub(crate) fn remove(&mut self, removed: &[bool]) {
        for (s, start) in self.start.iter_mut().enumerate() {
            if removed[s] {
                *start = 0.0;
            }
        }
        for (row, drop_out) in self.to.iter_mut().zip(self.drop_out.iter_mut()) {
            row.retain(|&(to, p)| {
                if removed[to as usize] {
                    *drop_out += p;
                    false
                } else {
                    true
                }
            });
        }
    }

    /// Solves the chain.
    pub(crate) fn solve(&self) -> Result<Solved, AttributionError> {
        let mut factors = Factors::new(&self.to).map_err(|Singular| AttributionError::Trapped)?;
        let mut absorb = self.conversion.clone();
        factors.solve(&mut absorb);
        let mut visits = self.start.clone();
        factors.solve_transposed(&mut visits);
        if absorb.iter().chain(&visits).any(|v| !v.is_finite()) {
            return Err(AttributionError::Trapped);
        }
        for x in &mut absorb {
            *x = x.clamp(0.0, 1.0);
        }
        for w in &mut visits {
            *w = w.max(0.0);
        }
        let conversion = self
            .start
            .iter()
            .zip(&absorb)
            .map(|(s, x)| s * x)
            .sum::<f64>()
            .clamp(0.0, 1.0);
        Ok(Solved {
            factors,
            absorb,
            visits,
            conversion,
        })
    }
}

/// The partial state of a [`MarkovChain`]: the observed transitions of some customers,
/// mergeable with those of others (see [`Accumulate`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChainCounts {
    fingerprint: Fingerprint,
    /// Customers starting at each touchpoint.
    start: Vec<u64>,
    /// Moves keyed by (from, to) touchpoint index.
    moves: PairTable<u64>,
    conversion: Vec<u64>,
    drop_out: Vec<u64>,
    visited: Vec<bool>,
    customers: u64,
    conversions: u64,
}

impl ChainCounts {
    /// Adds `conversions + nulls` customers who all took `touchpoints` (cut at the first goal
    /// among them), `conversions` of them converting after it.
    pub(crate) fn add_path(
        &mut self,
        touchpoints: &[TouchpointIndex],
        conversions: u64,
        nulls: u64,
        is_goal: &[bool],
    ) {
        let weight = conversions + nulls;
        let Some(first) = touchpoints.first() else {
            return;
        };
        if weight == 0 {
            return;
        }
        self.customers += weight;
        self.start[first.index()] += weight;
        let end = touchpoints
            .iter()
            .position(|t| is_goal[t.index()])
            .map_or(touchpoints.len(), |goal| goal + 1);
        let mut previous = NONE;
        for here in &touchpoints[..end] {
            let here = here.as_u32();
            self.visited[here as usize] = true;
            if previous != NONE {
                *self.moves.row(previous, here, || 0) += weight;
            }
            previous = here;
        }
        self.conversion[previous as usize] += conversions;
        self.conversions += conversions;
        self.drop_out[previous as usize] += nulls;
    }

    /// An empty partial state for `journey`.
    pub fn new(journey: &Journey) -> Self {
        let t = journey.touchpoints().len();
        Self {
            fingerprint: journey.fingerprint(),
            start: vec![0; t],
            moves: PairTable::new(t, t),
            conversion: vec![0; t],
            drop_out: vec![0; t],
            visited: vec![false; t],
            customers: 0,
            conversions: 0,
        }
    }
}

impl Accumulate for ChainCounts {
    type Output = MarkovChain;

    /// Counts the customer's path up to their first goal.
    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        // A customer still on their way (last interaction in progress, no goal yet) has no
        // outcome: left out of the chain, whose absorption then predicts exactly the observed
        // conversions of the customers it holds.
        if path.first_goal().is_none() && path.is_open() {
            return;
        }
        self.customers += 1;
        self.start[path.touchpoint(0).index()] += 1;
        let end = path.first_goal().map_or(path.len(), |goal| goal + 1);
        let mut previous = NONE;
        for here in path.touchpoints().take(end) {
            let here = here.as_u32();
            self.visited[here as usize] = true;
            if previous != NONE {
                *self.moves.row(previous, here, || 0) += 1;
            }
            previous = here;
        }
        match path.first_goal() {
            Some(_) => {
                self.conversion[previous as usize] += 1;
                self.conversions += 1;
            }
            None => self.drop_out[previous as usize] += 1,
        }
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        if self.fingerprint != other.fingerprint {
            return Err(ShapeMismatch);
        }
        add_counts(&mut self.start, &other.start);
        add_counts(&mut self.conversion, &other.conversion);
        add_counts(&mut self.drop_out, &other.drop_out);
        for (a, b) in self.visited.iter_mut().zip(&other.visited) {
            *a |= b;
        }
        self.moves.merge(other.moves, |a, b| *a += b);
        self.customers += other.customers;
        self.conversions += other.conversions;
        Ok(())
    }

    /// Keeps the visited touchpoints as states. Complexity: O(T + E log E) for T touchpoints
    /// and E distinct moves.
    fn finish(self, journey: &Journey) -> Result<MarkovChain, ShapeMismatch> {
        if journey.fingerprint() != self.fingerprint {
            return Err(ShapeMismatch);
        }
        let layout = Layout::of(journey);
        let t = self.visited.len();
        let touchpoints: Vec<u32> = (0..t as u32)
            .filter(|&i| self.visited[i as usize])
            .collect();
        let mut state_of = vec![NONE; t];
        for (s, &tp) in touchpoints.iter().enumerate() {
            state_of[tp as usize] = s as u32;
        }
        let mut rows: Vec<Row> = touchpoints
            .iter()
            .map(|&tp| Row {
                to: Vec::new(),
                conversion: self.conversion[tp as usize],
                drop_out: self.drop_out[tp as usize],
            })
            .collect();
        for ((from, to), n) in self.moves.into_rows() {
            rows[state_of[from as usize] as usize]
                .to
                .push((state_of[to as usize], n));
        }
        for row in &mut rows {
            row.to.sort_unstable();
        }
        Ok(MarkovChain {
            ids: touchpoints.iter().map(|&tp| layout.id(tp)).collect(),
            start: touchpoints
                .iter()
                .map(|&tp| self.start[tp as usize])
                .collect(),
            channel_of: touchpoints
                .iter()
                .map(|&tp| layout.channel_of[tp as usize])
                .collect(),
            channels: layout.channels.iter().map(|c| (*c).clone()).collect(),
            goal: touchpoints
                .iter()
                .map(|&tp| layout.is_goal[tp as usize])
                .collect(),
            touchpoints,
            state_of,
            rows,
            customers: self.customers,
            conversions: self.conversions,
        })
    }
}
