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

use super::paths::PathError;
use super::paths::PathFilter;
use super::paths::filter::Selection;
use crate::interactions::log::Stored;
use crate::model::{FastMap, fast_map};
use crate::{CustomerIndex, InteractionLog, Journey, StageId, TouchpointId};

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
    fn of(stage_step: i64) -> Self {
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
/// use journey_map::analysis::{CheckConformance, PathFilter};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
/// let (log, _) = builder.finish();
///
/// let report = journey.conformance(&log, &PathFilter::default())?;
/// let fitness = report.fitness.ok_or("no transitions")?;
/// assert!((0.0..=1.0).contains(&fitness));
/// assert_eq!(report.designed + report.off_map.iter().map(|m| m.count).sum::<u64>(), report.transitions);
///
/// let first = log.customer_index(log.customers()[0].as_str()).ok_or("no customer")?;
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
    /// * `filter` — which customers and interactions to look at.
    ///
    /// # Returns
    ///
    /// Overall and per-customer fitness, off-map transitions ranked by volume, skips and
    /// skipped stages, moves back, and rework ranked by customers.
    ///
    /// # Errors
    ///
    /// [`PathError`] when the log belongs to another journey or the filter is invalid.
    ///
    /// # Complexity
    ///
    /// O(n·d) for n selected interactions and designed out-degree d, plus sorting the
    /// distinct off-map moves.
    fn conformance(
        &self,
        log: &InteractionLog,
        filter: &PathFilter,
    ) -> Result<ConformanceReport, PathError>;

    /// Conformance of one customer's whole path; all zeros for a customer the log lacks.
    ///
    /// # Errors
    ///
    /// [`PathError::Journey`] when the log belongs to another journey.
    ///
    /// # Complexity
    ///
    /// O(k·d) for the customer's k interactions.
    fn customer_conformance(
        &self,
        log: &InteractionLog,
        customer: CustomerIndex,
    ) -> Result<CustomerConformance, PathError>;
}

impl CheckConformance for Journey {
    fn conformance(
        &self,
        log: &InteractionLog,
        filter: &PathFilter,
    ) -> Result<ConformanceReport, PathError> {
        let selection = Selection::new(self, log, filter)?;
        Ok(conformance(&selection))
    }

    fn customer_conformance(
        &self,
        log: &InteractionLog,
        customer: CustomerIndex,
    ) -> Result<CustomerConformance, PathError> {
        let selection = Selection::new(self, log, &PathFilter::default())?;
        let mut seen = vec![0_u32; self.touchpoints().len()];
        let path = log.customer_records(customer.index());
        Ok(walk(&selection, path, &mut seen, |_, _, _| {}, |_, _| {}))
    }
}

/// Walks one path: calls `on_off_map(from, to, step)` for each off-map transition and
/// `on_skip(stage)` for each stage skipped over; `seen` must be all zeros and is left so.
fn walk(
    selection: &Selection<'_>,
    path: &[Stored],
    seen: &mut [u32],
    mut on_off_map: impl FnMut(u32, u32, i64),
    mut on_skip: impl FnMut(usize, bool),
) -> CustomerConformance {
    let layout = &selection.layout;
    let mut result = CustomerConformance::default();
    for (i, record) in path.iter().enumerate() {
        let t = record.touchpoint as usize;
        if seen[t] > 0 {
            result.rework += 1;
        }
        seen[t] += 1;
        let Some(previous) = i.checked_sub(1).map(|p| path[p].touchpoint) else {
            continue;
        };
        let step = layout.classify(previous as usize, t);
        if step.repeat {
            continue;
        }
        result.transitions += 1;
        if step.designed {
            result.designed += 1;
        } else {
            result.off_map += 1;
            on_off_map(previous, record.touchpoint, step.stage_step);
        }
        if step.stage_step > 1 {
            result.skips += 1;
            let from = layout.stage_of[previous as usize];
            for stage in from + 1..layout.stage_of[t] {
                on_skip(stage, !step.designed);
            }
        } else if step.stage_step < 0 {
            result.moves_back += 1;
        }
    }
    for record in path {
        seen[record.touchpoint as usize] = 0;
    }
    result.fitness = (result.transitions > 0)
        .then(|| f64::from(result.designed) / f64::from(result.transitions));
    result
}

struct MoveTally {
    count: u64,
    customers: u64,
    last_customer: usize,
}

pub(crate) fn conformance(selection: &Selection<'_>) -> ConformanceReport {
    let layout = &selection.layout;
    let t = layout.is_goal.len();
    let stages = layout.journey.stages().len();
    let mut seen = vec![0_u32; t];
    let mut off_map: FastMap<(u32, u32), MoveTally> = fast_map(256);
    let mut skipped = vec![[0_u64; 2]; stages];
    let mut rework = vec![[0_u64; 2]; t];
    let mut report = ConformanceReport {
        customers: 0,
        transitions: 0,
        designed: 0,
        fitness: None,
        customer_fitness: None,
        off_map: Vec::new(),
        skips: StageMoves::default(),
        skipped_stages: Vec::new(),
        moves_back: StageMoves::default(),
        rework: Vec::new(),
    };
    let (mut fitness_sum, mut with_moves, mut perfect) = (0.0_f64, 0_u64, 0_u64);
    let (mut skips_off, mut back_off) = (0_u64, 0_u64);
    for c in 0..selection.customer_count() {
        let Some((path, _)) = selection.path(c) else {
            continue;
        };
        report.customers += 1;
        let one = walk(
            selection,
            path,
            &mut seen,
            |from, to, step| {
                let tally = off_map.entry((from, to)).or_insert(MoveTally {
                    count: 0,
                    customers: 0,
                    last_customer: usize::MAX,
                });
                tally.count += 1;
                if tally.last_customer != c {
                    tally.last_customer = c;
                    tally.customers += 1;
                }
                skips_off += u64::from(step > 1);
                back_off += u64::from(step < 0);
            },
            |stage, off| {
                skipped[stage][0] += 1;
                skipped[stage][1] += u64::from(off);
            },
        );
        report.transitions += u64::from(one.transitions);
        report.designed += u64::from(one.designed);
        if let Some(fitness) = one.fitness {
            fitness_sum += fitness;
            with_moves += 1;
            perfect += u64::from(one.designed == one.transitions);
        }
        report.skips.moves += u64::from(one.skips);
        report.skips.customers += u64::from(one.skips > 0);
        report.moves_back.moves += u64::from(one.moves_back);
        report.moves_back.customers += u64::from(one.moves_back > 0);
        if one.rework > 0 {
            for record in path {
                let cell = &mut seen[record.touchpoint as usize];
                *cell += 1;
            }
            for record in path {
                let n = &mut seen[record.touchpoint as usize];
                if *n > 1 {
                    rework[record.touchpoint as usize][0] += 1;
                    rework[record.touchpoint as usize][1] += u64::from(*n - 1);
                }
                *n = 0;
            }
        }
    }
    report.skips.off_map = skips_off;
    report.moves_back.off_map = back_off;
    report.fitness =
        (report.transitions > 0).then(|| report.designed as f64 / report.transitions as f64);
    report.customer_fitness = (with_moves > 0).then(|| FitnessSpread {
        customers: with_moves,
        mean: fitness_sum / with_moves as f64,
        perfect,
    });
    let mut moves: Vec<((u32, u32), MoveTally)> = off_map.into_iter().collect();
    moves.sort_unstable_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
    report.off_map = moves
        .into_iter()
        .map(|((from, to), tally)| OffMapMove {
            from: selection.touchpoint_id(from),
            to: selection.touchpoint_id(to),
            kind: OffMapKind::of(
                layout.stage_of[to as usize] as i64 - layout.stage_of[from as usize] as i64,
            ),
            count: tally.count,
            customers: tally.customers,
        })
        .collect();
    report.skipped_stages = skipped
        .iter()
        .enumerate()
        .filter(|(_, n)| n[0] > 0)
        .map(|(s, n)| SkippedStage {
            stage: layout.journey.stages()[s].id.clone(),
            moves: n[0],
            off_map: n[1],
        })
        .collect();
    let mut repeated: Vec<usize> = (0..t).filter(|&i| rework[i][0] > 0).collect();
    repeated.sort_by(|&a, &b| rework[b][0].cmp(&rework[a][0]).then(a.cmp(&b)));
    report.rework = repeated
        .into_iter()
        .map(|i| Rework {
            touchpoint: selection.touchpoint_id(i as u32),
            customers: rework[i][0],
            repeats: rework[i][1],
        })
        .collect();
    report
}
