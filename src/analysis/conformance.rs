//! Conformance: how closely the paths customers walked follow the designed map.
//!
//! Each pair of consecutive interactions of a customer is one *move*. A move to the same
//! touchpoint again is a *repeat*; any other move is a *transition*, which either follows a
//! designed flow or is *off the map*. *Fitness* is the share of transitions that follow a
//! designed flow, per customer and overall. Off-map transitions are classified by the stages
//! they cross: within a stage, to the next stage, skipping stages, or back to an earlier stage.
//! *Rework* is a touchpoint visited more than once by one customer (in a row or not).
//!
//! The friction report's off-map and loop kinds use the same definitions (an off-map move
//! flags the touchpoint it leaves; rework flags the repeated touchpoint), and each off-map
//! friction point says where its customers most often went, from this analysis.

use serde::{Deserialize, Serialize};

use super::layout::Layout;
use super::table::PairTable;
use super::{Accumulate, CustomerPath, Observation, Selection, SelectionError, ShapeMismatch};
use crate::stats::Mean;
use crate::{CustomerIndex, Fingerprint, InteractionLog, Journey, StageId, TouchpointId};

/// Where an off-map transition goes, by stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum OffMapKind {
    /// To another touchpoint of the same stage.
    WithinStage,
    /// To the next stage, along no designed flow.
    NextStage,
    /// Forward over one stage or more.
    SkipsStages,
    /// Back to an earlier stage.
    MovesBack,
}

impl OffMapKind {
    pub(crate) fn of(stage_step: i64) -> Self {
        match stage_step {
            0 => Self::WithinStage,
            1 => Self::NextStage,
            s if s > 1 => Self::SkipsStages,
            _ => Self::MovesBack,
        }
    }
}

/// One kind of off-map transition and how often customers made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OffMapMove {
    /// Where the customers were.
    pub from: TouchpointId,
    /// Where they went, along no designed flow.
    pub to: TouchpointId,
    /// How it crosses stages.
    pub kind: OffMapKind,
    /// How many times customers made it.
    pub count: u64,
    /// How many customers made it at least once.
    pub customers: u64,
}

/// Moves of one stage kind (skips or moves back), designed or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StageMoves {
    /// Moves of this kind.
    pub moves: u64,
    /// Of those, how many follow no designed flow.
    pub off_map: u64,
    /// Customers who made at least one.
    pub customers: u64,
}

/// How often one stage was skipped over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SkippedStage {
    /// The stage skipped over.
    pub stage: StageId,
    /// Moves that jumped over it.
    pub moves: u64,
    /// Of those, how many follow no designed flow.
    pub off_map: u64,
}

/// Customers who came back to one touchpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rework {
    /// The touchpoint visited again.
    pub touchpoint: TouchpointId,
    /// Customers who visited it more than once.
    pub customers: u64,
    /// Visits beyond each customer's first.
    pub repeats: u64,
}

/// Conformance of one customer's path.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomerConformance {
    /// Moves to another touchpoint.
    pub transitions: u32,
    /// Of those, how many follow a designed flow.
    pub designed: u32,
    /// `designed / transitions`; absent for a path without a transition.
    pub fitness: Option<f64>,
    /// Transitions along no designed flow.
    pub off_map: u32,
    /// Moves forward over one stage or more.
    pub skips: u32,
    /// Moves back to an earlier stage.
    pub moves_back: u32,
    /// Visits to touchpoints already visited.
    pub rework: u32,
}

/// Spread of per-customer fitness.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FitnessSpread {
    /// Customers with at least one transition (the others have no fitness).
    pub customers: u64,
    /// Mean of their fitness.
    pub mean: f64,
    /// Customers whose every transition follows a designed flow.
    pub perfect: u64,
}

/// Conformance of the selected paths to the designed map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConformanceReport {
    /// Selected customers.
    pub customers: u64,
    /// Moves to another touchpoint.
    pub transitions: u64,
    /// Of those, how many follow a designed flow.
    pub designed: u64,
    /// `designed / transitions` over all customers; absent without a transition.
    pub fitness: Option<f64>,
    /// Per-customer fitness; absent when no customer has a transition.
    pub customer_fitness: Option<FitnessSpread>,
    /// Off-map transitions, most frequent first.
    pub off_map: Vec<OffMapMove>,
    /// Moves forward over one stage or more.
    pub skips: StageMoves,
    /// Stages skipped over, in journey order (stages never skipped left out).
    pub skipped_stages: Vec<SkippedStage>,
    /// Moves back to an earlier stage.
    pub moves_back: StageMoves,
    /// Touchpoints visited more than once by a customer, most customers first.
    pub rework: Vec<Rework>,
}

/// Conformance of paths to the designed map. Implemented for [`Journey`].
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{CheckConformance, Selection};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
/// let (log, _) = builder.finish();
///
/// let report = journey.conformance(&log, &Selection::all())?;
/// let fitness = report.fitness.ok_or("no transitions")?;
/// assert!((0.0..=1.0).contains(&fitness));
/// assert_eq!(report.designed + report.off_map.iter().map(|m| m.count).sum::<u64>(), report.transitions);
///
/// let first = log.customer_index(&log.customers()[0]).ok_or("no customer")?;
/// let one = journey.customer_conformance(&log, first)?;
/// assert!(one.designed <= one.transitions);
/// # Ok(())
/// # }
/// ```
pub trait CheckConformance {
    /// Conformance of the selected paths.
    ///
    /// # Arguments
    ///
    /// * `log` — interactions built for this journey.
    /// * `selection` — which customers and interactions to look at.
    ///
    /// # Returns
    ///
    /// Overall and per-customer fitness, off-map transitions ranked by volume, skips and
    /// skipped stages, moves back, and rework ranked by customers.
    ///
    /// # Errors
    ///
    /// [`SelectionError`] when the log belongs to another journey or the selection does not fit it.
    ///
    /// # Complexity
    ///
    /// O(n·d) for n selected interactions and designed out-degree d, plus sorting the
    /// distinct off-map moves.
    fn conformance(
        &self,
        log: &InteractionLog,
        selection: &Selection,
    ) -> Result<ConformanceReport, SelectionError>;

    /// Conformance of one customer's whole path; all zeros for a customer the log lacks.
    ///
    /// # Errors
    ///
    /// [`SelectionError::Journey`] when the log belongs to another journey.
    ///
    /// # Complexity
    ///
    /// O(k·d) for the customer's k interactions.
    fn customer_conformance(
        &self,
        log: &InteractionLog,
        customer: CustomerIndex,
    ) -> Result<CustomerConformance, SelectionError>;
}

impl CheckConformance for Journey {
    fn conformance(
        &self,
        log: &InteractionLog,
        selection: &Selection,
    ) -> Result<ConformanceReport, SelectionError> {
        Observation::new(self, log)?.conformance(selection)
    }

    fn customer_conformance(
        &self,
        log: &InteractionLog,
        customer: CustomerIndex,
    ) -> Result<CustomerConformance, SelectionError> {
        let observation = Observation::new(self, log)?;
        let mut seen = vec![0_u32; self.touchpoints().len()];
        let mut result = CustomerConformance::default();
        observation.with_customer(customer, |path| {
            result = walk(path, &mut seen, |_, _, _| {}, |_, _| {});
        });
        Ok(result)
    }
}

impl Observation<'_> {
    /// Conformance of the selected paths: see [`CheckConformance::conformance`].
    ///
    /// # Errors
    ///
    /// [`SelectionError`] when the selection does not fit the journey.
    pub fn conformance(&self, selection: &Selection) -> Result<ConformanceReport, SelectionError> {
        let journey = self.journey();
        self.run(selection, || ConformanceCounts::new(journey))
    }
}

/// Walks one path: calls `on_off_map(from, to, step)` for each off-map transition and
/// `on_skip(stage, off_map)` for each stage skipped over; `seen` must be all zeros and is left
/// so.
fn walk(
    path: &CustomerPath<'_>,
    seen: &mut [u32],
    mut on_off_map: impl FnMut(u32, u32, i64),
    mut on_skip: impl FnMut(usize, bool),
) -> CustomerConformance {
    let mut result = CustomerConformance::default();
    for (i, t) in path.touchpoints().enumerate() {
        let t = t.index();
        if seen[t] > 0 {
            result.rework += 1;
        }
        seen[t] += 1;
        let Some(step) = path.step(i) else {
            continue;
        };
        if step.is_repeat() {
            continue;
        }
        result.transitions += 1;
        if step.designed {
            result.designed += 1;
        } else {
            result.off_map += 1;
            on_off_map(step.from.as_u32(), step.to.as_u32(), step.stage_step);
        }
        if step.stage_step > 1 {
            result.skips += 1;
            let from = path.stage(i - 1).index();
            for stage in from + 1..path.stage(i).index() {
                on_skip(stage, !step.designed);
            }
        } else if step.stage_step < 0 {
            result.moves_back += 1;
        }
    }
    for t in path.touchpoints() {
        seen[t.index()] = 0;
    }
    result.fitness = (result.transitions > 0)
        .then(|| f64::from(result.designed) / f64::from(result.transitions));
    result
}

/// One off-map move's counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct MoveTally {
    count: u64,
    customers: u64,
    /// Whether the customer being added made the move already; false between customers.
    #[serde(skip)]
    seen: bool,
}

/// The partial state of conformance, mergeable across customers (see [`Accumulate`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConformanceCounts {
    fingerprint: Fingerprint,
    customers: u64,
    transitions: u64,
    designed: u64,
    /// Per-customer fitness of customers with a transition (exact fixed-point sum).
    fitness: Mean,
    perfect: u64,
    off_map: PairTable<MoveTally>,
    /// (moves, off-map moves) that jumped over each stage.
    skipped: Vec<[u64; 2]>,
    skips: StageMoves,
    moves_back: StageMoves,
    /// (customers, repeats) per touchpoint.
    rework: Vec<[u64; 2]>,
    #[serde(skip)]
    seen: Vec<u32>,
    #[serde(skip)]
    touched: Vec<(u32, u32)>,
}

impl ConformanceCounts {
    /// An empty partial state for `journey`.
    pub fn new(journey: &Journey) -> Self {
        let t = journey.touchpoints().len();
        Self {
            fingerprint: journey.fingerprint(),
            customers: 0,
            transitions: 0,
            designed: 0,
            fitness: Mean::default(),
            perfect: 0,
            off_map: PairTable::new(t, t),
            skipped: vec![[0; 2]; journey.stages().len()],
            skips: StageMoves::default(),
            moves_back: StageMoves::default(),
            rework: vec![[0; 2]; t],
            seen: vec![0; t],
            touched: Vec::new(),
        }
    }
}

impl Accumulate for ConformanceCounts {
    type Output = ConformanceReport;

    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        if self.seen.len() != self.rework.len() {
            self.seen = vec![0; self.rework.len()];
        }
        self.customers += 1;
        let (off_map, touched, skipped) = (&mut self.off_map, &mut self.touched, &mut self.skipped);
        let (mut skips_off, mut back_off) = (0, 0);
        let one = walk(
            path,
            &mut self.seen,
            |from, to, step| {
                let tally = off_map.row(from, to, MoveTally::default);
                tally.count += 1;
                if !tally.seen {
                    tally.seen = true;
                    tally.customers += 1;
                    touched.push((from, to));
                }
                skips_off += u64::from(step > 1);
                back_off += u64::from(step < 0);
            },
            |stage, off| {
                skipped[stage][0] += 1;
                skipped[stage][1] += u64::from(off);
            },
        );
        for (from, to) in touched.drain(..) {
            off_map.row(from, to, MoveTally::default).seen = false;
        }
        self.skips.off_map += skips_off;
        self.moves_back.off_map += back_off;
        self.transitions += u64::from(one.transitions);
        self.designed += u64::from(one.designed);
        if let Some(fitness) = one.fitness {
            self.fitness.push(fitness);
            self.perfect += u64::from(one.designed == one.transitions);
        }
        self.skips.moves += u64::from(one.skips);
        self.skips.customers += u64::from(one.skips > 0);
        self.moves_back.moves += u64::from(one.moves_back);
        self.moves_back.customers += u64::from(one.moves_back > 0);
        if one.rework > 0 {
            let seen = &mut self.seen;
            for t in path.touchpoints() {
                seen[t.index()] += 1;
            }
            for t in path.touchpoints() {
                let n = &mut seen[t.index()];
                if *n > 1 {
                    self.rework[t.index()][0] += 1;
                    self.rework[t.index()][1] += u64::from(*n - 1);
                }
                *n = 0;
            }
        }
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        if self.fingerprint != other.fingerprint {
            return Err(ShapeMismatch);
        }
        self.customers += other.customers;
        self.transitions += other.transitions;
        self.designed += other.designed;
        self.fitness.merge(other.fitness);
        self.perfect += other.perfect;
        self.off_map.merge(other.off_map, |a, b| {
            a.count += b.count;
            a.customers += b.customers;
        });
        for (a, b) in self.skipped.iter_mut().zip(&other.skipped) {
            a[0] += b[0];
            a[1] += b[1];
        }
        for (mine, theirs) in [
            (&mut self.skips, other.skips),
            (&mut self.moves_back, other.moves_back),
        ] {
            mine.moves += theirs.moves;
            mine.off_map += theirs.off_map;
            mine.customers += theirs.customers;
        }
        for (a, b) in self.rework.iter_mut().zip(&other.rework) {
            a[0] += b[0];
            a[1] += b[1];
        }
        Ok(())
    }

    fn finish(self, journey: &Journey) -> Result<ConformanceReport, ShapeMismatch> {
        if journey.fingerprint() != self.fingerprint {
            return Err(ShapeMismatch);
        }
        let layout = Layout::of(journey);
        let t = self.rework.len();
        let mut moves = self.off_map.into_rows();
        moves.sort_unstable_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
        let off_map = moves
            .into_iter()
            .map(|((from, to), tally)| OffMapMove {
                from: layout.id(from),
                to: layout.id(to),
                kind: OffMapKind::of(
                    layout.stage_of[to as usize] as i64 - layout.stage_of[from as usize] as i64,
                ),
                count: tally.count,
                customers: tally.customers,
            })
            .collect();
        let skipped_stages = self
            .skipped
            .iter()
            .enumerate()
            .filter(|(_, n)| n[0] > 0)
            .map(|(s, n)| SkippedStage {
                stage: journey.stages()[s].id.clone(),
                moves: n[0],
                off_map: n[1],
            })
            .collect();
        let rework = &self.rework;
        let mut repeated: Vec<usize> = (0..t).filter(|&i| rework[i][0] > 0).collect();
        repeated.sort_by(|&a, &b| rework[b][0].cmp(&rework[a][0]).then(a.cmp(&b)));
        Ok(ConformanceReport {
            customers: self.customers,
            transitions: self.transitions,
            designed: self.designed,
            fitness: (self.transitions > 0).then(|| self.designed as f64 / self.transitions as f64),
            customer_fitness: self.fitness.mean().map(|mean| FitnessSpread {
                customers: self.fitness.count(),
                mean,
                perfect: self.perfect,
            }),
            off_map,
            skips: self.skips,
            skipped_stages,
            moves_back: self.moves_back,
            rework: repeated
                .into_iter()
                .map(|i| Rework {
                    touchpoint: layout.id(i as u32),
                    customers: rework[i][0],
                    repeats: rework[i][1],
                })
                .collect(),
        })
    }
}
