//! The one pass that friction detection needs: per persona and touchpoint, the customers who
//! met each kind of friction, the survey answers, the cases and the times, as a mergeable
//! partial state.

use serde::{Deserialize, Serialize};

use super::config::{ConfigError, FrictionConfig};
use super::report::FrictionKind;
use crate::analysis::table::PairTable;
use crate::analysis::{Accumulate, CustomerPath, MetricsOptions, ShapeMismatch};
use crate::stats::Moments;
use crate::{Fingerprint, Journey, Outcome, Scales, ServiceLevel};

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

/// The service level targets, by position in [`Cell::missed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Target {
    Answer = 0,
    Abandonment = 1,
    Csat = 2,
    Resolution = 3,
}

impl Target {
    pub(super) const ALL: [Target; 4] = [
        Target::Answer,
        Target::Abandonment,
        Target::Csat,
        Target::Resolution,
    ];
}

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
    /// Customers who gave a CSAT, NPS and CES answer here: the independent units of the
    /// survey tests.
    pub answered: [u64; 3],
    /// (needs first raised here, not resolved at the first contact).
    pub cases: [u64; 2],
    /// Customers with a need first raised here.
    pub case_customers: u64,
    /// Each customer's mean ln(1 + seconds) of their waits here: one value per customer.
    pub wait: Moments,
    /// Each customer's mean ln(1 + seconds) of the resolution times of the needs they first
    /// raised here.
    pub resolution: Moments,
    /// Customers by the bin of their highest wait here, (not converted, converted).
    pub highest_wait: Vec<[u32; 2]>,
    /// Customers by the bin of their highest resolution time here.
    pub highest_resolution: Vec<[u32; 2]>,
    /// Interactions here, and of those abandoned (the abandonment target counts contacts).
    pub contacts: [u64; 2],
    /// Interactions here followed directly by another here (a repeat of the touchpoint), and
    /// interactions here that ended a journey without a goal: per-visit shares, compared
    /// with what the map's expected shares design.
    pub repeats: u64,
    pub ends: u64,
    /// Interactions here with a wait, and of those within the answer target.
    pub answered_within: [u64; 2],
    /// Customers with a wait here.
    pub wait_customers: u64,
    /// Needs first raised here, and of those resolved within the resolution target.
    pub resolved_within: [u64; 2],
    /// Customers who missed each service level target here (by [`Target`]), and of those who
    /// converted.
    pub missed: [[u64; 2]; 4],
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
            answered: [0; 3],
            cases: [0; 2],
            case_customers: 0,
            wait: Moments::default(),
            resolution: Moments::default(),
            highest_wait: vec![[0; 2]; BINS],
            highest_resolution: vec![[0; 2]; BINS],
            contacts: [0; 2],
            repeats: 0,
            ends: 0,
            answered_within: [0; 2],
            wait_customers: 0,
            resolved_within: [0; 2],
            missed: [[0; 2]; 4],
        }
    }
}

fn add_pairs<const N: usize>(a: &mut [u64; N], b: &[u64; N]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

fn add_bins(mine: &mut [[u32; 2]], theirs: &[[u32; 2]]) {
    for (x, y) in mine.iter_mut().zip(theirs) {
        x[0] += y[0];
        x[1] += y[1];
    }
}

impl Cell {
    pub(super) fn add(&mut self, other: &Cell) {
        self.visitors += other.visitors;
        self.visitors_converted += other.visitors_converted;
        add_pairs(&mut self.met, &other.met);
        add_pairs(&mut self.met_converted, &other.met_converted);
        for (a, b) in [
            (&mut self.csat, &other.csat),
            (&mut self.nps, &other.nps),
            (&mut self.ces, &other.ces),
            (&mut self.cases, &other.cases),
            (&mut self.contacts, &other.contacts),
            (&mut self.answered_within, &other.answered_within),
            (&mut self.resolved_within, &other.resolved_within),
        ] {
            add_pairs(a, b);
        }
        add_pairs(&mut self.answered, &other.answered);
        self.case_customers += other.case_customers;
        self.repeats += other.repeats;
        self.ends += other.ends;
        self.wait_customers += other.wait_customers;
        for (a, b) in self.missed.iter_mut().zip(&other.missed) {
            add_pairs(a, b);
        }
        self.wait.merge(&other.wait);
        self.resolution.merge(&other.resolution);
        add_bins(&mut self.highest_wait, &other.highest_wait);
        add_bins(&mut self.highest_resolution, &other.highest_resolution);
    }

    /// Customers who met `kind` here, and of those who converted.
    pub(super) fn met(&self, kind: FrictionKind) -> (u64, u64) {
        (self.met[kind as usize], self.met_converted[kind as usize])
    }
}

/// The times of one move (from one touchpoint to another) or of the moves into one stage: one
/// value per customer, the mean ln(1 + seconds) of their handoffs there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct GapCell {
    pub gaps: Moments,
    /// Customers by the bin of their mean handoff here, (not converted, converted); inline,
    /// so that the one move a customer makes touches one place in memory.
    #[serde(with = "inline_bins")]
    pub bins: [[u32; 2]; BINS],
}

impl Default for GapCell {
    fn default() -> Self {
        Self {
            gaps: Moments::default(),
            bins: [[0; 2]; BINS],
        }
    }
}

/// Inline bins, written as a list (serde derives arrays of at most 32).
mod inline_bins {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::BINS;

    pub(super) fn serialize<S: Serializer>(
        bins: &[[u32; 2]; BINS],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(bins.iter())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<[[u32; 2]; BINS], D::Error> {
        let bins = Vec::<[u32; 2]>::deserialize(d)?;
        let len = bins.len();
        bins.try_into()
            .map_err(|_| serde::de::Error::invalid_length(len, &"64 bins"))
    }
}

impl GapCell {
    fn push(&mut self, value: f64, converted: bool) {
        self.gaps.push(value);
        self.bins[bin(value)][usize::from(converted)] += 1;
    }

    pub(super) fn add(&mut self, other: &GapCell) {
        self.gaps.merge(&other.gaps);
        add_bins(&mut self.bins, &other.bins);
    }

    /// Customers with a handoff here, and of those who converted.
    pub(super) fn customers(&self) -> (u64, u64) {
        self.bins.iter().fold((0, 0), |(n, c), b| {
            (n + u64::from(b[0] + b[1]), c + u64::from(b[1]))
        })
    }
}

/// The service level targets of one touchpoint, in the units the pass counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Targets {
    pub answer_ms: Option<u64>,
    pub resolution_ms: Option<u64>,
    #[serde(with = "every_target")]
    pub level: ServiceLevel,
}

/// A service level written with every target, absent ones as none: the journey file's form
/// leaves absent targets out, which formats that are not self-describing (postcard, bincode)
/// cannot read back.
mod every_target {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::{ServiceLevel, Within};

    type Fields = (Option<Within>, Option<f64>, Option<f64>, Option<Within>);

    pub(super) fn serialize<S: Serializer>(level: &ServiceLevel, s: S) -> Result<S::Ok, S::Error> {
        (
            level.answer,
            level.max_abandonment,
            level.min_csat,
            level.resolution,
        )
            .serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ServiceLevel, D::Error> {
        let (answer, max_abandonment, min_csat, resolution) = Fields::deserialize(d)?;
        Ok(ServiceLevel {
            answer,
            max_abandonment,
            min_csat,
            resolution,
        })
    }
}

impl Targets {
    pub(super) fn of(journey: &Journey) -> Vec<Targets> {
        (0..journey.touchpoints().len())
            .map(|t| {
                let level = journey
                    .service_level(crate::TouchpointIndex::from_u32(t as u32))
                    .unwrap_or_default();
                let ms = |w: Option<crate::Within>| w.map(|w| (w.seconds * 1000.0).floor() as u64);
                Targets {
                    answer_ms: ms(level.answer),
                    resolution_ms: ms(level.resolution),
                    level,
                }
            })
            .collect()
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
    /// The service level targets of each touchpoint, as counted.
    pub(super) targets: Vec<Targets>,
    pub(super) rows: usize,
    pub(super) touchpoints: usize,
    pub(super) stages: usize,
    /// Persona-major cells, with customers without a persona in the last row.
    pub(super) cells: Vec<Cell>,
    pub(super) customers: u64,
    pub(super) converted: u64,
    /// Customers, and of those who converted, per row (persona).
    pub(super) row_customers: Vec<[u64; 2]>,
    /// Off-map moves by (row · touchpoints + from, to): how often, for the sentences of
    /// off-map points.
    pub(super) off_map: PairTable<u64>,
    /// Handoffs by (row · touchpoints + from, to), repeats of a touchpoint left out.
    pub(super) moves: PairTable<GapCell>,
    /// Handoffs into each stage, persona-major (row · stages + stage).
    pub(super) stage_gaps: Vec<GapCell>,
    /// What the rows are: personas, or the values of a segment.
    #[serde(default)]
    pub(super) lens: Lens,
    #[serde(skip)]
    scratch: Scratch,
}

/// What the rows of a [`FrictionCounts`] are, besides the last row (customers without one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum Lens {
    /// One row per persona of the journey.
    #[default]
    Personas,
    /// One row per value of a segment of the log.
    Segment {
        /// The segment.
        name: String,
        /// Its position in the log the state was made for.
        position: usize,
        /// Its values, one per row.
        values: Vec<String>,
        /// The log's interned id of each value.
        ids: Vec<u32>,
    },
}

impl FrictionCounts {
    /// An empty state for `log`, with rows by the lens `config` sets: personas, or the values
    /// of a segment the log's interactions give.
    pub(crate) fn for_log(
        journey: &Journey,
        log: &crate::InteractionLog,
        config: &FrictionConfig,
    ) -> Result<Self, super::FrictionError> {
        let mut counts = Self::new(journey, log.scales(), config)?;
        let Some(name) = config.segment_lens.as_deref() else {
            return Ok(counts);
        };
        let Some(position) = log.segment_index(name) else {
            let names: Vec<String> = log.segments().into_iter().map(|s| s.name).collect();
            return Err(crate::analysis::SelectionError::UnknownSegment {
                name: name.to_owned(),
                suggestion: crate::model::validation::closest(
                    name,
                    names.iter().map(String::as_str),
                ),
            }
            .into());
        };
        let values = log.segments().swap_remove(position).values;
        let ids = values
            .iter()
            .map(|v| log.segment_value_id(v).unwrap_or(u32::MAX))
            .collect();
        let rows = values.len() + 1;
        let (t, stages) = (counts.touchpoints, counts.stages);
        counts.rows = rows;
        counts.cells = vec![Cell::default(); rows * t];
        counts.row_customers = vec![[0; 2]; rows];
        counts.off_map = PairTable::new(rows * t, t);
        counts.moves = PairTable::new(rows * t, t);
        counts.stage_gaps = vec![GapCell::default(); rows * stages];
        counts.lens = Lens::Segment {
            name: name.to_owned(),
            position,
            values,
            ids,
        };
        Ok(counts)
    }

    /// The persona of row `r`, under the persona lens.
    pub(super) fn row_persona(&self, journey: &Journey, r: usize) -> Option<crate::PersonaId> {
        match self.lens {
            Lens::Personas => journey.personas().get(r).map(|p| p.id.clone()),
            Lens::Segment { .. } => None,
        }
    }

    /// The segment value of row `r`, under a segment lens.
    pub(super) fn row_segment(&self, r: usize) -> Option<super::SegmentValue> {
        match &self.lens {
            Lens::Personas => None,
            Lens::Segment { name, values, .. } => values.get(r).map(|v| super::SegmentValue {
                segment: name.clone(),
                value: v.clone(),
            }),
        }
    }

    /// The customers of row `r`, in words: "Branch loyalist customers", "customers whose
    /// platform is ios".
    pub(super) fn row_customers_words(&self, journey: &Journey, r: usize) -> String {
        match &self.lens {
            Lens::Personas => journey.personas().get(r).map_or_else(
                || "customers".to_owned(),
                |p| super::detect::customers_of(&p.name),
            ),
            Lens::Segment { name, values, .. } => values.get(r).map_or_else(
                || format!("customers without a {name}"),
                |v| format!("customers whose {name} is {v}"),
            ),
        }
    }

    /// What the rows are, in words: "persona", or the segment's name.
    pub(super) fn lens_words(&self) -> &str {
        match &self.lens {
            Lens::Personas => "persona",
            Lens::Segment { name, .. } => name,
        }
    }
}

/// What one customer did at one touchpoint, while their path is walked.
#[derive(Debug, Clone, Copy, Default)]
struct Visit {
    flags: KindSet,
    visited: bool,
    highest: [f64; 2],
    wait: (f64, u32),
    resolution: (f64, u32),
    /// Bits: CSAT, NPS, CES answered; a need first raised here.
    answered: u8,
    /// Bits by [`Target`]: a target missed.
    missed: u8,
}

/// What the pass keeps from customer to customer.
#[derive(Debug, Clone, Default)]
struct Scratch {
    visits: Vec<Visit>,
    touched: Vec<usize>,
    /// (from, to, ln(1 + seconds)) of the customer's handoffs.
    gaps: Vec<(u32, u32, f64)>,
    /// (from, to, sum, count) of the customer's distinct moves.
    moves: Vec<(u32, u32, f64, u32)>,
    /// (sum, count) of the customer's handoffs into each stage, and the stages touched.
    stages: Vec<(f64, u32)>,
    touched_stages: Vec<usize>,
}

impl FrictionCounts {
    /// An empty partial state for `journey`, scores on `scales` (the log's
    /// [`InteractionLog::scales`](crate::InteractionLog::scales)), counted by `config`'s
    /// repeat window and first-contact-resolution rule, and the journey's service levels.
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
        let stages = journey.stages().len();
        let rows = journey.personas().len() + 1;
        Ok(Self {
            fingerprint: journey.fingerprint(),
            scales,
            config: config.clone(),
            targets: Targets::of(journey),
            rows,
            touchpoints: t,
            stages,
            cells: vec![Cell::default(); rows * t],
            customers: 0,
            converted: 0,
            row_customers: vec![[0; 2]; rows],
            off_map: PairTable::new(rows * t, t),
            moves: PairTable::new(rows * t, t),
            stage_gaps: vec![GapCell::default(); rows * stages],
            lens: Lens::Personas,
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

/// ln(1 + seconds) of a time in milliseconds: the scale every time is tested on. Written as
/// `ln(1 + x)` rather than `ln_1p(x)`: as exact at millisecond resolution, and faster.
fn log_time(ms: u64) -> f64 {
    (1.0 + ms as f64 / 1000.0).ln()
}

fn bin(value: f64) -> usize {
    ((value / BIN_WIDTH) as usize).min(BINS - 1)
}

const CSAT: u8 = 1;
const NPS: u8 = 2;
const CES: u8 = 4;
const CASE: u8 = 8;

impl Accumulate for FrictionCounts {
    type Output = super::FrictionReport;

    /// Complexity: O(k log k) for the customer's k interactions.
    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        let t = self.touchpoints;
        let row = match &self.lens {
            Lens::Personas => path
                .persona()
                .map_or(self.rows - 1, |p| p.index().min(self.rows - 1)),
            Lens::Segment { position, ids, .. } => {
                let value = path.segment_raw(*position);
                ids.iter()
                    .position(|&id| id == value)
                    .unwrap_or(self.rows - 1)
            }
        };
        let base = row * t;
        let scales = self.scales;
        let scratch = &mut self.scratch;
        if scratch.visits.len() != t {
            scratch.visits = vec![Visit::default(); t];
        }
        let Scratch {
            visits,
            touched,
            gaps,
            ..
        } = scratch;
        for (i, record) in path.interactions().enumerate() {
            let tp = record.touchpoint().index();
            let cell = &mut self.cells[base + tp];
            let targets = &self.targets[tp];
            let visit = &mut visits[tp];
            if visit.visited {
                visit.flags.insert(FrictionKind::Loop);
            } else {
                visit.visited = true;
                touched.push(tp);
            }
            let f = &mut visit.flags;
            let outcome = record.outcome();
            match outcome {
                Outcome::Completed | Outcome::InProgress => {}
                Outcome::Abandoned => f.insert(FrictionKind::Abandonment),
                Outcome::Failed => f.insert(FrictionKind::Failure),
                Outcome::Escalated => f.insert(FrictionKind::Escalation),
            }
            cell.contacts[0] += 1;
            if outcome == Outcome::Abandoned {
                cell.contacts[1] += 1;
                if targets.level.max_abandonment.is_some() {
                    visit.missed |= 1 << Target::Abandonment as u8;
                }
            }
            let mut answer = |answers: &mut Answers, bad: bool, kind: FrictionKind| {
                answers[0] += 1;
                answers[1] += u64::from(bad);
                if bad {
                    f.insert(kind);
                }
            };
            if let Some(csat) = record.csat() {
                let bad = !scales.is_top_two(csat);
                answer(&mut cell.csat, bad, FrictionKind::LowSatisfaction);
                visit.answered |= CSAT;
                if bad && targets.level.min_csat.is_some() {
                    visit.missed |= 1 << Target::Csat as u8;
                }
            }
            if let Some(nps) = record.nps() {
                answer(&mut cell.nps, nps <= 6, FrictionKind::Detractors);
                visit.answered |= NPS;
            }
            if let Some(ces) = record.ces() {
                answer(
                    &mut cell.ces,
                    !scales.is_easy(ces),
                    FrictionKind::HighEffort,
                );
                visit.answered |= CES;
            }
            if let Some(wait_ms) = record.wait_ms() {
                let v = log_time(wait_ms);
                visit.wait.0 += v;
                visit.wait.1 += 1;
                if !f.contains(FrictionKind::LongWait) || v > visit.highest[0] {
                    visit.highest[0] = v;
                    f.insert(FrictionKind::LongWait);
                }
                if let Some(target) = targets.answer_ms {
                    cell.answered_within[0] += 1;
                    if wait_ms <= target {
                        cell.answered_within[1] += 1;
                    } else {
                        visit.missed |= 1 << Target::Answer as u8;
                    }
                }
            }
            if let Some(step) = path.step(i) {
                let (from, to) = (step.from.as_u32(), step.to.as_u32());
                if step.is_repeat() {
                    self.cells[base + from as usize].repeats += 1;
                }
                if step.is_off_map() {
                    visits[from as usize].flags.insert(FrictionKind::OffMap);
                    *self.off_map.row((base as u32) + from, to, || 0) += 1;
                }
                if !step.is_repeat()
                    && let Some(gap) = path.gap_ms(i)
                {
                    gaps.push((from, to, log_time(gap)));
                }
            }
        }
        for case in path.needs() {
            let first = path.touchpoint(case.first).index();
            let visit = &mut visits[first];
            if case.back_to_channel {
                visit.flags.insert(FrictionKind::Loop);
            }
            visit.answered |= CASE;
            let cell = &mut self.cells[base + first];
            cell.cases[0] += 1;
            if !case.resolved_at_first {
                cell.cases[1] += 1;
                visit.flags.insert(FrictionKind::RepeatContact);
            }
            if let Some(target) = self.targets[first].resolution_ms {
                cell.resolved_within[0] += 1;
                if case.resolution_ms.is_some_and(|ms| ms <= target) {
                    cell.resolved_within[1] += 1;
                } else {
                    visit.missed |= 1 << Target::Resolution as u8;
                }
            }
            if let Some(ms) = case.resolution_ms {
                let v = log_time(ms);
                visit.resolution.0 += v;
                visit.resolution.1 += 1;
                if !visit.flags.contains(FrictionKind::SlowResolution) || v > visit.highest[1] {
                    visit.highest[1] = v;
                    visit.flags.insert(FrictionKind::SlowResolution);
                }
            }
        }
        let converted = path.converted();
        // A customer still on their way (last interaction in progress) has not dropped off.
        if !converted && !path.is_open() {
            let last = path.touchpoint(path.len() - 1).index();
            visits[last].flags.insert(FrictionKind::DropOff);
            self.cells[base + last].ends += 1;
        }
        self.customers += 1;
        self.converted += u64::from(converted);
        self.row_customers[row][0] += 1;
        self.row_customers[row][1] += u64::from(converted);
        let conv = u64::from(converted);
        for tp in touched.drain(..) {
            let visit = std::mem::take(&mut visits[tp]);
            let cell = &mut self.cells[base + tp];
            cell.visitors += 1;
            cell.visitors_converted += conv;
            for kind in visit.flags.kinds() {
                match kind.customer_measure() {
                    CustomerMeasure::Met => {
                        cell.met[kind as usize] += 1;
                        cell.met_converted[kind as usize] += conv;
                    }
                    CustomerMeasure::HighestWait => {
                        cell.highest_wait[bin(visit.highest[0])][usize::from(converted)] += 1;
                    }
                    CustomerMeasure::HighestResolution => {
                        cell.highest_resolution[bin(visit.highest[1])][usize::from(converted)] += 1;
                    }
                    CustomerMeasure::HighestGap | CustomerMeasure::None => {}
                }
            }
            for (bit, answered) in [CSAT, NPS, CES].into_iter().zip(&mut cell.answered) {
                *answered += u64::from(visit.answered & bit != 0);
            }
            cell.case_customers += u64::from(visit.answered & CASE != 0);
            if visit.wait.1 > 0 {
                cell.wait.push(visit.wait.0 / f64::from(visit.wait.1));
                cell.wait_customers += 1;
            }
            if visit.resolution.1 > 0 {
                cell.resolution
                    .push(visit.resolution.0 / f64::from(visit.resolution.1));
            }
            for target in Target::ALL {
                if visit.missed & (1 << target as u8) != 0 {
                    cell.missed[target as usize][0] += 1;
                    cell.missed[target as usize][1] += conv;
                }
            }
        }
        if !gaps.is_empty() {
            // One value per customer and move, and per customer and stage: their mean. A
            // customer has few distinct moves: a linear scan beats sorting below a handful of
            // dozens; longer paths are sorted.
            let moves = &mut scratch.moves;
            if gaps.len() <= 48 {
                for &(from, to, v) in gaps.iter() {
                    match moves.iter_mut().find(|m| m.0 == from && m.1 == to) {
                        Some(m) => {
                            m.2 += v;
                            m.3 += 1;
                        }
                        None => moves.push((from, to, v, 1)),
                    }
                }
            } else {
                gaps.sort_unstable_by_key(|g| (g.0, g.1));
                for &(from, to, v) in gaps.iter() {
                    match moves.last_mut() {
                        Some(m) if m.0 == from && m.1 == to => {
                            m.2 += v;
                            m.3 += 1;
                        }
                        _ => moves.push((from, to, v, 1)),
                    }
                }
            }
            for (from, to, sum, n) in moves.drain(..) {
                self.moves
                    .row(base as u32 + from, to, GapCell::default)
                    .push(sum / f64::from(n), converted);
            }
            let stage_of = &path.layout.stage_of;
            if scratch.stages.len() != self.stages {
                scratch.stages = vec![(0.0, 0); self.stages];
            }
            for &(_, to, v) in gaps.iter() {
                let stage = stage_of[to as usize];
                let slot = &mut scratch.stages[stage];
                if slot.1 == 0 {
                    scratch.touched_stages.push(stage);
                }
                slot.0 += v;
                slot.1 += 1;
            }
            for stage in scratch.touched_stages.drain(..) {
                let (sum, n) = std::mem::take(&mut scratch.stages[stage]);
                self.stage_gaps[row * self.stages + stage].push(sum / f64::from(n), converted);
            }
            gaps.clear();
        }
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        if (
            self.fingerprint,
            self.scales,
            &self.config,
            &self.targets,
            &self.lens,
        ) != (
            other.fingerprint,
            other.scales,
            &other.config,
            &other.targets,
            &other.lens,
        ) || self.cells.len() != other.cells.len()
            || self.stage_gaps.len() != other.stage_gaps.len()
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
        self.moves.merge(other.moves, |a, b| a.add(&b));
        for (a, b) in self.stage_gaps.iter_mut().zip(&other.stage_gaps) {
            a.add(b);
        }
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
    /// By the bin of their mean handoff time on a move or into a stage.
    HighestGap,
    /// Not counted per customer (structural kinds).
    None,
}
