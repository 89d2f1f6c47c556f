//! The one pass that friction detection needs: per persona and touchpoint, the customers who
//! met each kind of friction, the survey answers, the cases and the times, as a mergeable
//! partial state.

use serde::{Deserialize, Serialize};

use super::config::{ConfigError, FrictionConfig};
use super::report::FrictionKind;
use crate::analysis::table::PairTable;
use crate::analysis::{Accumulate, CustomerPath, MetricsOptions, ShapeMismatch};
use crate::stats::Moments;
use crate::{Fingerprint, Journey, Outcome, Scales};

/// How many kinds there are: the length of the per-kind counts.
const KINDS: usize = FrictionKind::ALL.len();
const _: () = assert!(KINDS <= 32, "a KindSet holds at most 32 kinds");
// A kind's bit and slot are its position in `FrictionKind::ALL`.
const _: () = {
    let mut i = 0;
    while i < KINDS {
        assert!(
            FrictionKind::ALL[i] as usize == i,
            "ALL lists the kinds in order"
        );
        i += 1;
    }
};

/// Bins of the customer-level maximum of ln(1 + seconds), for times above a threshold that
/// is only known after the pass.
pub(super) const BINS: usize = 64;
pub(super) const BIN_WIDTH: f64 = 0.25;

/// A set of kinds, one bit per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct KindSet(u32);

impl KindSet {
    fn insert(&mut self, kind: FrictionKind) {
        self.0 |= 1 << kind as u32;
    }

    fn contains(self, kind: FrictionKind) -> bool {
        self.0 & (1 << kind as u32) != 0
    }

    /// The kinds in the set, in `FrictionKind::ALL` order: O(kinds in the set).
    fn kinds(self) -> impl Iterator<Item = FrictionKind> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            let bit = bits.trailing_zeros() as usize;
            bits &= bits.wrapping_sub(1);
            FrictionKind::ALL.get(bit).copied()
        })
    }
}

/// A bad share of survey answers: (answers, bad answers).
pub(super) type Answers = [u64; 2];

/// Counts of one persona at one touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Cell {
    /// Customers with an interaction here, and of those who reached a goal.
    pub visitors: u64,
    pub visitors_converted: u64,
    /// Customers who met each kind here (indexed by kind; times: see `highest_*`), and of
    /// those who converted.
    pub met: [u64; KINDS],
    pub met_converted: [u64; KINDS],
    pub csat: Answers,
    pub nps: Answers,
    pub ces: Answers,
    /// (needs first raised here, not resolved at the first contact).
    pub cases: [u64; 2],
    /// ln(1 + seconds) of waits here.
    pub wait: Moments,
    /// ln(1 + seconds) of resolution times of needs first raised here.
    pub resolution: Moments,
    /// Customers by the bin of their highest wait here, (not converted, converted).
    pub highest_wait: Vec<[u32; 2]>,
    /// Customers by the bin of their highest resolution time here.
    pub highest_resolution: Vec<[u32; 2]>,
}

impl Default for Cell {
    fn default() -> Self {
        Self {
            visitors: 0,
            visitors_converted: 0,
            met: [0; KINDS],
            met_converted: [0; KINDS],
            csat: [0; 2],
            nps: [0; 2],
            ces: [0; 2],
            cases: [0; 2],
            wait: Moments::default(),
            resolution: Moments::default(),
            highest_wait: vec![[0; 2]; BINS],
            highest_resolution: vec![[0; 2]; BINS],
        }
    }
}

impl Cell {
    pub(super) fn add(&mut self, other: &Cell) {
        self.visitors += other.visitors;
        self.visitors_converted += other.visitors_converted;
        for k in 0..KINDS {
            self.met[k] += other.met[k];
            self.met_converted[k] += other.met_converted[k];
        }
        for (a, b) in [
            (&mut self.csat, &other.csat),
            (&mut self.nps, &other.nps),
            (&mut self.ces, &other.ces),
            (&mut self.cases, &other.cases),
        ] {
            a[0] += b[0];
            a[1] += b[1];
        }
        self.wait.merge(&other.wait);
        self.resolution.merge(&other.resolution);
        for (mine, theirs) in [
            (&mut self.highest_wait, &other.highest_wait),
            (&mut self.highest_resolution, &other.highest_resolution),
        ] {
            for (x, y) in mine.iter_mut().zip(theirs) {
                x[0] += y[0];
                x[1] += y[1];
            }
        }
    }

    /// Customers who met `kind` here, and of those who converted.
    pub(super) fn met(&self, kind: FrictionKind) -> (u64, u64) {
        (self.met[kind as usize], self.met_converted[kind as usize])
    }
}

/// The partial state of friction detection: what [`DetectFriction`] counts in its one pass,
/// per persona and touchpoint, mergeable across customers (see [`Accumulate`]).
///
/// [`DetectFriction`]: super::DetectFriction
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrictionCounts {
    fingerprint: Fingerprint,
    scales: Scales,
    config: FrictionConfig,
    pub(super) rows: usize,
    pub(super) touchpoints: usize,
    /// Persona-major cells, with customers without a persona in the last row.
    pub(super) cells: Vec<Cell>,
    pub(super) customers: u64,
    pub(super) converted: u64,
    /// Customers, and of those who converted, per row (persona).
    pub(super) row_customers: Vec<[u64; 2]>,
    /// Off-map moves by (row · touchpoints + from, to): how often, for the sentences of
    /// off-map points.
    pub(super) off_map: PairTable<u64>,
    #[serde(skip)]
    scratch: Scratch,
}

/// What the pass keeps from customer to customer.
#[derive(Debug, Clone, Default)]
struct Scratch {
    flags: Vec<KindSet>,
    visited: Vec<bool>,
    highest: Vec<[f64; 2]>,
    touched: Vec<usize>,
}

impl FrictionCounts {
    /// An empty partial state for `journey`, scores on `scales` (the log's
    /// [`InteractionLog::scales`](crate::InteractionLog::scales)), counted by `config`'s
    /// repeat window and first-contact-resolution rule.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] for settings out of range.
    pub fn new(
        journey: &Journey,
        scales: Scales,
        config: &FrictionConfig,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        let t = journey.touchpoints().len();
        let rows = journey.personas().len() + 1;
        Ok(Self {
            fingerprint: journey.fingerprint(),
            scales,
            config: config.clone(),
            rows,
            touchpoints: t,
            cells: vec![Cell::default(); rows * t],
            customers: 0,
            converted: 0,
            row_customers: vec![[0; 2]; rows],
            off_map: PairTable::new(rows * t, t),
            scratch: Scratch::default(),
        })
    }

    pub(super) fn cell(&self, row: usize, touchpoint: usize) -> &Cell {
        &self.cells[row * self.touchpoints + touchpoint]
    }

    pub(super) fn config(&self) -> &FrictionConfig {
        &self.config
    }

    pub(super) fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }
}

fn bin(value: f64) -> usize {
    ((value / BIN_WIDTH) as usize).min(BINS - 1)
}

impl Accumulate for FrictionCounts {
    type Output = super::FrictionReport;

    /// Complexity: O(k) for the customer's k interactions.
    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        let t = self.touchpoints;
        let row = path
            .persona()
            .map_or(self.rows - 1, |p| p.index().min(self.rows - 1));
        let base = row * t;
        let scales = self.scales;
        let scratch = &mut self.scratch;
        if scratch.flags.len() != t {
            scratch.flags = vec![KindSet::default(); t];
            scratch.visited = vec![false; t];
            scratch.highest = vec![[f64::NEG_INFINITY; 2]; t];
        }
        let Scratch {
            flags,
            visited,
            highest,
            touched,
        } = scratch;
        for (i, record) in path.interactions().enumerate() {
            let tp = record.touchpoint().index();
            let cell = &mut self.cells[base + tp];
            let f = &mut flags[tp];
            if visited[tp] {
                f.insert(FrictionKind::Loop);
            } else {
                visited[tp] = true;
                touched.push(tp);
            }
            match record.outcome() {
                Outcome::Completed => {}
                Outcome::Abandoned => f.insert(FrictionKind::Abandonment),
                Outcome::Failed => f.insert(FrictionKind::Failure),
                Outcome::Escalated => f.insert(FrictionKind::Escalation),
            }
            let mut answer = |answers: &mut Answers, bad: bool, kind: FrictionKind| {
                answers[0] += 1;
                answers[1] += u64::from(bad);
                if bad {
                    f.insert(kind);
                }
            };
            if let Some(csat) = record.csat() {
                answer(
                    &mut cell.csat,
                    !scales.is_top_two(csat),
                    FrictionKind::LowSatisfaction,
                );
            }
            if let Some(nps) = record.nps() {
                answer(&mut cell.nps, nps <= 6, FrictionKind::Detractors);
            }
            if let Some(ces) = record.ces() {
                answer(
                    &mut cell.ces,
                    !scales.is_easy(ces),
                    FrictionKind::HighEffort,
                );
            }
            if let Some(wait) = record.wait_seconds() {
                let v = wait.ln_1p();
                cell.wait.push(v);
                if !f.contains(FrictionKind::LongWait) || v > highest[tp][0] {
                    highest[tp][0] = v;
                    f.insert(FrictionKind::LongWait);
                }
            }
            if let Some(step) = path.step(i)
                && step.is_off_map()
            {
                let (from, to) = (step.from.as_u32(), step.to.as_u32());
                flags[from as usize].insert(FrictionKind::OffMap);
                *self.off_map.row((base as u32) + from, to, || 0) += 1;
            }
        }
        for case in path.needs() {
            let first = path.touchpoint(case.first).index();
            if case.back_to_channel {
                flags[first].insert(FrictionKind::Loop);
            }
            let cell = &mut self.cells[base + first];
            cell.cases[0] += 1;
            if !case.resolved_at_first {
                cell.cases[1] += 1;
                flags[first].insert(FrictionKind::RepeatContact);
            }
            if let Some(ms) = case.resolution_ms {
                let v = (ms as f64 / 1000.0).ln_1p();
                cell.resolution.push(v);
                let f = &mut flags[first];
                if !f.contains(FrictionKind::SlowResolution) || v > highest[first][1] {
                    highest[first][1] = v;
                    f.insert(FrictionKind::SlowResolution);
                }
            }
        }
        let converted = path.converted();
        if !converted {
            flags[path.touchpoint(path.len() - 1).index()].insert(FrictionKind::DropOff);
        }
        self.customers += 1;
        self.converted += u64::from(converted);
        self.row_customers[row][0] += 1;
        self.row_customers[row][1] += u64::from(converted);
        let conv = u64::from(converted);
        for tp in touched.drain(..) {
            let f = flags[tp];
            let cell = &mut self.cells[base + tp];
            cell.visitors += 1;
            cell.visitors_converted += conv;
            for kind in f.kinds() {
                match kind.customer_measure() {
                    CustomerMeasure::Met => {
                        cell.met[kind as usize] += 1;
                        cell.met_converted[kind as usize] += conv;
                    }
                    CustomerMeasure::HighestWait => {
                        cell.highest_wait[bin(highest[tp][0])][usize::from(converted)] += 1;
                    }
                    CustomerMeasure::HighestResolution => {
                        cell.highest_resolution[bin(highest[tp][1])][usize::from(converted)] += 1;
                    }
                    CustomerMeasure::None => {}
                }
            }
            flags[tp] = KindSet::default();
            visited[tp] = false;
        }
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        if (self.fingerprint, self.scales, &self.config)
            != (other.fingerprint, other.scales, &other.config)
            || self.cells.len() != other.cells.len()
        {
            return Err(ShapeMismatch);
        }
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.add(b);
        }
        self.customers += other.customers;
        self.converted += other.converted;
        for (a, b) in self.row_customers.iter_mut().zip(&other.row_customers) {
            a[0] += b[0];
            a[1] += b[1];
        }
        self.off_map.merge(other.off_map, |a, b| *a += b);
        Ok(())
    }

    fn finish(self, journey: &Journey) -> Result<super::FrictionReport, ShapeMismatch> {
        super::detect::report(journey, self)
    }

    fn case_rules(&self) -> MetricsOptions {
        self.config.metrics
    }
}

/// How a customer who met a kind at a touchpoint is counted there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CustomerMeasure {
    /// In `met` and `met_converted`.
    Met,
    /// By the bin of their highest wait.
    HighestWait,
    /// By the bin of their highest resolution time.
    HighestResolution,
    /// Not counted per customer (structural kinds).
    None,
}
