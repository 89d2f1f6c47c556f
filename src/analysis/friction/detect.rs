//! The tests, the correction over all of them, and the attribution to personas.

use super::config::{BaselineScope, ConfigError, FrictionConfig};
use super::counts::{BIN_WIDTH, BINS, Cell, CustomerMeasure, FrictionCounts, GapCell, Target};
use super::report::{
    Baseline, Evidence, FrictionKind, FrictionPoint, FrictionReport, Location, LostComparison,
    PersonaMeasure,
};
use crate::analysis::{Observation, Selection, SelectionError, ShapeMismatch};
use crate::stats::{
    Interval, Moments, Rate, benjamini_hochberg, binomial_greater, welch_greater_by,
};
use crate::{Journey, StructuralWarning};

/// Why friction could not be detected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FrictionError {
    /// A setting is out of range.
    #[error("invalid friction settings")]
    Config(#[from] ConfigError),
    /// The log or the selection does not fit the journey.
    #[error("cannot select the customers")]
    Selection(#[from] SelectionError),
}

/// What one test measures at one place: a share of trials, or times.
#[derive(Debug, Clone, Copy, Default)]
pub(super) enum Measure {
    #[default]
    Empty,
    /// `bad` of `n` trials, from `units` independent customers (`units` = `n` when each trial
    /// is a customer).
    Rate { n: u64, bad: u64, units: u64 },
    /// One value per customer: the mean ln(1 + seconds) of their times at the place.
    Time(Moments),
}

impl Measure {
    pub(super) fn rate([n, bad]: [u64; 2], units: u64) -> Measure {
        Measure::Rate { n, bad, units }
    }

    pub(super) fn of(cell: &Cell, kind: FrictionKind) -> Measure {
        let per_customer = |[n, bad]: [u64; 2]| Measure::rate([n, bad], n);
        match kind {
            FrictionKind::DropOff
            | FrictionKind::Abandonment
            | FrictionKind::Failure
            | FrictionKind::Escalation
            | FrictionKind::Loop
            | FrictionKind::OffMap => per_customer([cell.visitors, cell.met(kind).0]),
            FrictionKind::LowSatisfaction => Measure::rate(cell.csat, cell.answered[0]),
            FrictionKind::Detractors => Measure::rate(cell.nps, cell.answered[1]),
            FrictionKind::HighEffort => Measure::rate(cell.ces, cell.answered[2]),
            FrictionKind::RepeatContact => Measure::rate(cell.cases, cell.case_customers),
            FrictionKind::LongWait => Measure::Time(cell.wait),
            FrictionKind::SlowResolution => Measure::Time(cell.resolution),
            FrictionKind::SlowHandoff
            | FrictionKind::MissedServiceLevel
            | FrictionKind::Surge
            | FrictionKind::DeadEnd
            | FrictionKind::Unreachable => Measure::Empty,
        }
    }

    /// The misses of one service level target at a touchpoint.
    fn missed(cell: &Cell, target: Target) -> Measure {
        let (n, within, units) = match target {
            Target::Answer => (
                cell.answered_within[0],
                cell.answered_within[1],
                cell.wait_customers,
            ),
            Target::Abandonment => (
                cell.contacts[0],
                cell.contacts[0] - cell.contacts[1],
                cell.visitors,
            ),
            Target::Csat => (cell.csat[0], cell.csat[0] - cell.csat[1], cell.answered[0]),
            Target::Resolution => (
                cell.resolved_within[0],
                cell.resolved_within[1],
                cell.case_customers,
            ),
        };
        Measure::rate([n, n - within], units)
    }

    pub(super) fn add(self, other: Measure) -> Measure {
        match (self, other) {
            (Measure::Empty, m) | (m, Measure::Empty) => m,
            (
                Measure::Rate { n, bad, units },
                Measure::Rate {
                    n: n2,
                    bad: b2,
                    units: u2,
                },
            ) => Measure::Rate {
                n: n + n2,
                bad: bad + b2,
                units: units + u2,
            },
            (Measure::Time(mut a), Measure::Time(b)) => {
                a.merge(&b);
                Measure::Time(a)
            }
            (m, _) => m,
        }
    }

    pub(super) fn without(self, part: Measure) -> Measure {
        match (self, part) {
            (
                Measure::Rate { n, bad, units },
                Measure::Rate {
                    n: n2,
                    bad: b2,
                    units: u2,
                },
            ) => Measure::Rate {
                n: n.saturating_sub(n2),
                bad: bad.saturating_sub(b2),
                units: units.saturating_sub(u2),
            },
            (Measure::Time(a), Measure::Time(b)) => Measure::Time(a.without(&b)),
            (m, _) => m,
        }
    }

    /// The 95% interval of the value: Wilson for shares (over the customers behind them), the
    /// t interval of the typical time for times.
    pub(super) fn interval(&self) -> Option<Interval> {
        match self {
            Measure::Empty => None,
            Measure::Rate { n, bad, units } => {
                let observed = *bad as f64 / (*n).max(1) as f64;
                let (x, trials) = if units < n {
                    ((observed * *units as f64).round() as u64, *units)
                } else {
                    (*bad, *n)
                };
                Rate::new(x, trials).map(|r| r.interval)
            }
            Measure::Time(m) => m.mean_interval().map(|i| Interval {
                low: i.low.exp_m1(),
                high: i.high.exp_m1(),
            }),
        }
    }

    /// The share, or the typical time (geometric mean of 1 + seconds, less 1).
    pub(super) fn value(&self) -> Option<f64> {
        match self {
            Measure::Empty => None,
            Measure::Rate { n, bad, .. } => (*n > 0).then(|| *bad as f64 / *n as f64),
            Measure::Time(m) => m.mean().map(f64::exp_m1),
        }
    }

    /// Observations: trials or customers with a time.
    pub(super) fn size(&self) -> u64 {
        match self {
            Measure::Empty => 0,
            Measure::Rate { n, .. } => *n,
            Measure::Time(m) => m.count(),
        }
    }

    /// Independent customers behind the observations.
    pub(super) fn units(&self) -> u64 {
        match self {
            Measure::Empty => 0,
            Measure::Rate { units, .. } => *units,
            Measure::Time(m) => m.count(),
        }
    }
}

/// What a place is tested against.
#[derive(Debug, Clone, Copy)]
pub(super) enum Against {
    /// Its peers' pooled measure.
    Peers(Measure),
    /// A rate the map designs: friction only above it by the minimum effect.
    Designed(f64),
    /// A service level's promised largest share of misses: friction below the promise.
    Promise(f64),
}

/// The 95% interval of a tested value, found when a point is reported: a time's t interval
/// needs the t quantile (a numerical inversion), and most tests report nothing.
#[derive(Debug, Clone, Copy)]
pub(super) enum Spread {
    /// Found already (the Wilson interval of a share).
    Found(Interval),
    /// The t interval of a mean of logarithms of times (at least two, mean and variance
    /// finite), reported in seconds.
    LogTime {
        count: u64,
        mean: f64,
        variance: f64,
    },
}

/// The result of one test.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tested {
    pub(super) p: f64,
    pub(super) observed: f64,
    pub(super) baseline: f64,
    pub(super) spread: Spread,
    pub(super) n: u64,
    pub(super) units: u64,
    pub(super) baseline_n: u64,
    pub(super) big_enough: bool,
    pub(super) severity: f64,
}

impl Tested {
    /// The 95% interval of the observed value.
    pub(super) fn interval(&self) -> Interval {
        match self.spread {
            Spread::Found(interval) => interval,
            Spread::LogTime {
                count,
                mean,
                variance,
            } => {
                // `test` checked what `t_interval` needs, so it always gives an interval.
                let log = crate::stats::t_interval(count, mean, variance).unwrap_or(Interval {
                    low: mean,
                    high: mean,
                });
                Interval {
                    low: log.low.exp_m1(),
                    high: log.high.exp_m1(),
                }
            }
        }
    }
}

/// Tests whether `here` is worse than its baseline by more than the minimum effect.
pub(super) fn test(here: Measure, against: Against, config: &FrictionConfig) -> Option<Tested> {
    if here.units() < config.min_sample {
        return None;
    }
    if let Against::Peers(rest) = against
        && rest.units() < config.min_sample
    {
        return None;
    }
    match (here, against) {
        (Measure::Rate { n, bad, units }, against) => {
            let (baseline, baseline_n, threshold, strict) = match against {
                Against::Peers(Measure::Rate { n: n2, bad: b2, .. }) if n2 > 0 => {
                    let b = b2 as f64 / n2 as f64;
                    (b, n2, min_effect(b, config), false)
                }
                Against::Designed(b) => (b, 0, min_effect(b, config), false),
                Against::Promise(b) => (b, 0, b, true),
                _ => return None,
            };
            let observed = bad as f64 / n as f64;
            // One customer's many trials are not many independent observations: the test
            // sees the share applied to the customers behind it.
            let (x, trials) = if units < n {
                ((observed * units as f64).round() as u64, units)
            } else {
                (bad, n)
            };
            let rate = Rate::new(x, trials)?;
            Some(Tested {
                p: binomial_greater(x, trials, threshold),
                observed,
                baseline,
                spread: Spread::Found(rate.interval),
                n,
                units,
                baseline_n,
                big_enough: if strict {
                    observed > threshold
                } else {
                    observed >= threshold
                },
                severity: 2.0 * observed.sqrt().asin()
                    - 2.0 * baseline.clamp(0.0, 1.0).sqrt().asin(),
            })
        }
        (Measure::Time(a), Against::Peers(Measure::Time(b))) => {
            let (ma, mb) = (a.mean()?, b.mean()?);
            let spread = ((a.variance()? + b.variance()?) / 2.0).sqrt();
            let variance = a.variance()?;
            if a.count() < 2 || !variance.is_finite() || !ma.is_finite() {
                return None;
            }
            Some(Tested {
                p: welch_greater_by(&a, &b, config.min_time_ratio.ln()),
                observed: ma.exp_m1(),
                baseline: mb.exp_m1(),
                spread: Spread::LogTime {
                    count: a.count(),
                    mean: ma,
                    variance,
                },
                n: a.count(),
                units: a.count(),
                baseline_n: b.count(),
                big_enough: ma - mb >= config.min_time_ratio.ln() - 1e-12,
                severity: if spread > 0.0 {
                    (ma - mb) / spread
                } else if ma > mb {
                    1.0
                } else {
                    0.0
                },
            })
        }
        _ => None,
    }
}

/// The least rate that is friction: the minimum effect above the baseline.
pub(super) fn min_effect(baseline: f64, config: &FrictionConfig) -> f64 {
    (baseline + config.min_rate_difference)
        .max(baseline * config.min_rate_ratio)
        .min(1.0)
}

/// A place a test is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Touchpoint(usize),
    Move(u32, u32),
    Stage(usize),
}

/// The places of one family (touchpoints, moves or stages) and their peer groups at each
/// level of the ladder: 0 same channel and kind, 1 same channel, 2 same kind, 3 every place.
pub(super) struct Places {
    pub(super) places: Vec<Place>,
    pub(super) groups: [Vec<u32>; 4],
    pub(super) levels: [Baseline; 4],
    /// How many levels, from the first, keep the channel (4 when every level may serve).
    pub(super) channel_levels: usize,
}

impl Places {
    /// Groups places by keys, one key list per level.
    fn new<K: PartialEq>(
        places: Vec<Place>,
        keys: [Vec<K>; 4],
        levels: [Baseline; 4],
        channel_levels: usize,
    ) -> Places {
        let groups = keys.map(|keys| {
            let mut seen: Vec<&K> = Vec::new();
            keys.iter()
                .map(|k| match seen.iter().position(|s| *s == k) {
                    Some(g) => g as u32,
                    None => {
                        seen.push(k);
                        (seen.len() - 1) as u32
                    }
                })
                .collect()
        });
        Places {
            places,
            groups,
            levels,
            channel_levels,
        }
    }

    /// The baseline of each place for one set of customers: the first level of the ladder
    /// whose other places hold at least `min_sample` customers in at least `min_peers` places
    /// (or, for the whole journey, any place). Times (`within_channel`) stop at the levels
    /// that keep the channel. `None` where none does.
    ///
    /// Complexity: O(places) per level.
    fn baselines(
        &self,
        measures: &[Measure],
        config: &FrictionConfig,
        within_channel: bool,
    ) -> Vec<Option<(Measure, Baseline)>> {
        let mut out: Vec<Option<(Measure, Baseline)>> = vec![None; self.places.len()];
        let levels = match config.baseline {
            BaselineScope::Peers if within_channel && self.channel_levels < 4 => {
                0..self.channel_levels
            }
            BaselineScope::Peers => 0..4,
            BaselineScope::Journey => 3..4,
        };
        for level in levels {
            let groups = &self.groups[level];
            let count = groups.iter().map(|&g| g as usize + 1).max().unwrap_or(0);
            let mut totals = vec![Measure::Empty; count];
            let mut places = vec![0_u64; count];
            for (p, m) in measures.iter().enumerate() {
                let g = groups[p] as usize;
                totals[g] = totals[g].add(*m);
                places[g] += u64::from(m.size() > 0);
            }
            let need = if level == 3 { 1 } else { config.min_peers };
            for (p, m) in measures.iter().enumerate() {
                if out[p].is_some() || m.size() == 0 {
                    continue;
                }
                let g = groups[p] as usize;
                let rest = totals[g].without(*m);
                let others = places[g] - u64::from(m.size() > 0);
                if rest.units() >= config.min_sample && others >= need {
                    out[p] = Some((rest, self.levels[level]));
                }
            }
        }
        out
    }
}

/// One test of the family: a kind at a place, for everyone (`row` None) or one persona.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) kind: FrictionKind,
    pub(super) place: Place,
    pub(super) target: Option<Target>,
    pub(super) row: Option<usize>,
    pub(super) baseline: Baseline,
    pub(super) tested: Tested,
}

impl Observation<'_> {
    /// Friction of the selected customers: see [`DetectFriction`](super::DetectFriction).
    ///
    /// # Errors
    ///
    /// [`FrictionError::Config`] for settings out of range; [`FrictionError::Selection`] when
    /// the selection does not fit the journey.
    pub fn friction(
        &self,
        selection: &Selection,
        config: &FrictionConfig,
    ) -> Result<FrictionReport, FrictionError> {
        let empty = FrictionCounts::for_log(self.journey(), self.log(), config)?;
        Ok(self.run(selection, || empty.clone())?)
    }
}

/// How the map designs revisits at each touchpoint: 2 a self-flow (the customer may repeat
/// it at once), 1 a designed cycle through other touchpoints only, 0 none.
fn designed_revisits(journey: &Journey) -> Vec<u8> {
    use petgraph::graph::DiGraph;
    let t = journey.touchpoints().len();
    let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(t, journey.flows().len());
    for _ in 0..t {
        graph.add_node(());
    }
    let mut revisit = vec![0_u8; t];
    for (_, a, b) in journey.flow_ends() {
        if a == b {
            revisit[a.index()] = 2;
        } else {
            graph.add_edge((a.index() as u32).into(), (b.index() as u32).into(), ());
        }
    }
    for component in petgraph::algo::tarjan_scc(&graph) {
        if component.len() > 1 {
            for node in component {
                revisit[node.index()] = revisit[node.index()].max(1);
            }
        }
    }
    revisit
}

/// The rates the map designs at each touchpoint: for loops, the expected share of its
/// self-flow; for drop-off, what the expected shares of the flows leaving it leave, where
/// every flow leaving it has one.
fn designed_rates(journey: &Journey) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    let t = journey.touchpoints().len();
    let mut revisit = vec![None; t];
    let mut leave: Vec<Option<f64>> = vec![None; t];
    let mut all_shared = vec![true; t];
    let mut any = vec![false; t];
    for (flow, a, b) in journey.flow_ends() {
        any[a.index()] = true;
        match flow.expected_share {
            Some(share) => {
                if a == b {
                    revisit[a.index()] = Some(share);
                }
                *leave[a.index()].get_or_insert(0.0) += share;
            }
            None => all_shared[a.index()] = false,
        }
    }
    let drop = (0..t)
        .map(|i| (any[i] && all_shared[i]).then(|| (1.0 - leave[i].unwrap_or(0.0)).clamp(0.0, 1.0)))
        .collect();
    (revisit, drop)
}

/// Everything the tests need from the counts, laid out by place.
pub(super) struct Layout<'a> {
    pub(super) journey: &'a Journey,
    pub(super) counts: &'a FrictionCounts,
    pub(super) touchpoints: Places,
    /// The touchpoints again, loops split by whether the map designs revisits there.
    pub(super) loops: Places,
    pub(super) moves: Places,
    /// Each move's cell per row, row-major by move.
    pub(super) move_cells: Vec<GapCell>,
    pub(super) stages: Places,
    pub(super) designed_loop: Vec<Option<f64>>,
    pub(super) designed_drop: Vec<Option<f64>>,
    /// How the map designs revisits at each touchpoint (see [`designed_revisits`]), and
    /// whether loops and repeat contacts are compared apart by it.
    pub(super) revisits: Vec<u8>,
    pub(super) split: bool,
}

impl<'a> Layout<'a> {
    pub(super) fn new(journey: &'a Journey, counts: &'a FrictionCounts) -> Layout<'a> {
        let tps = journey.touchpoints();
        let t = tps.len();
        let rows = counts.rows;
        let peers = [
            Baseline::SameChannelAndKind,
            Baseline::SameChannel,
            Baseline::SameKind,
            Baseline::Journey,
        ];
        let places: Vec<Place> = (0..t).map(Place::Touchpoint).collect();
        let keys = |flag: &dyn Fn(usize) -> u8| {
            [
                (0..t)
                    .map(|i| (Some(&tps[i].channel), Some(&tps[i].kind), flag(i)))
                    .collect::<Vec<_>>(),
                (0..t)
                    .map(|i| (Some(&tps[i].channel), None, flag(i)))
                    .collect(),
                (0..t)
                    .map(|i| (None, Some(&tps[i].kind), flag(i)))
                    .collect(),
                (0..t).map(|i| (None, None, flag(i))).collect(),
            ]
        };
        let touchpoints = Places::new(places.clone(), keys(&|_| 0), peers, 2);
        let revisits = designed_revisits(journey);
        let split = counts.config().baseline == BaselineScope::Peers;
        let loops = Places::new(
            places,
            keys(&|i| if split { revisits[i] } else { 0 }),
            peers,
            2,
        );

        // Every move observed for anyone, in (from, to) order.
        let mut pairs: Vec<(u32, u32)> = counts
            .moves
            .rows()
            .iter()
            .map(|&((key, to), _)| (key % t.max(1) as u32, to))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut move_cells = vec![GapCell::default(); pairs.len() * rows];
        for ((key, to), cell) in counts.moves.rows() {
            let (row, from) = (*key as usize / t.max(1), key % t.max(1) as u32);
            if let Ok(i) = pairs.binary_search(&(from, *to)) {
                move_cells[i * rows + row] = cell.clone();
            }
        }
        let channel = |i: u32| &tps[i as usize].channel;
        let moves = Places::new(
            pairs.iter().map(|&(a, b)| Place::Move(a, b)).collect(),
            [
                pairs
                    .iter()
                    .map(|&(a, b)| (Some(channel(a)), Some(channel(b))))
                    .collect(),
                pairs
                    .iter()
                    .map(|&(_, b)| (None, Some(channel(b))))
                    .collect(),
                pairs.iter().map(|_| (None, None)).collect(),
                pairs.iter().map(|_| (None, None)).collect(),
            ],
            [
                Baseline::SameChannelAndKind,
                Baseline::SameChannel,
                Baseline::Journey,
                Baseline::Journey,
            ],
            2,
        );
        let s = counts.stages;
        let stages = Places::new(
            (0..s).map(Place::Stage).collect(),
            [vec![0; s], vec![0; s], vec![0; s], vec![0; s]],
            [Baseline::Journey; 4],
            4,
        );
        let (designed_loop, designed_drop) = designed_rates(journey);
        Layout {
            journey,
            counts,
            touchpoints,
            loops,
            moves,
            move_cells,
            stages,
            designed_loop,
            designed_drop,
            revisits,
            split,
        }
    }

    /// The places of a kind's tests.
    pub(super) fn places(&self, kind: FrictionKind) -> Vec<&Places> {
        match kind {
            FrictionKind::SlowHandoff => vec![&self.moves, &self.stages],
            FrictionKind::Loop | FrictionKind::RepeatContact => vec![&self.loops],
            _ => vec![&self.touchpoints],
        }
    }

    /// The measure of `kind` at `place` for the customers of `row`. Where the map designs
    /// the rate, the measure is per visit, as the designed shares are: the share of visits
    /// followed at once by another visit here (loops), or that ended a journey without a goal
    /// (drop-off).
    pub(super) fn measure(
        &self,
        kind: FrictionKind,
        place: Place,
        index: usize,
        row: usize,
    ) -> Measure {
        match place {
            Place::Touchpoint(tp) if self.designed(kind, place).is_some() => {
                let cell = self.counts.cell(row, tp);
                let bad = match kind {
                    FrictionKind::Loop => cell.repeats,
                    _ => cell.ends,
                };
                Measure::rate([cell.contacts[0], bad], cell.visitors)
            }
            Place::Touchpoint(tp) => Measure::of(self.counts.cell(row, tp), kind),
            Place::Move(..) => Measure::Time(self.move_cells[index * self.counts.rows + row].gaps),
            Place::Stage(stage) => {
                Measure::Time(self.counts.stage_gaps[row * self.counts.stages + stage].gaps)
            }
        }
    }

    /// The measure of `kind` at `place` for the customers of several rows.
    pub(super) fn measure_of(
        &self,
        kind: FrictionKind,
        place: Place,
        index: usize,
        rows: &[usize],
    ) -> Measure {
        rows.iter().fold(Measure::Empty, |acc, &r| {
            acc.add(self.measure(kind, place, index, r))
        })
    }

    /// Whether `kind` is tested at `place`: drop-off is not tested at goals.
    pub(super) fn eligible(&self, kind: FrictionKind, place: Place) -> bool {
        match place {
            Place::Touchpoint(tp) => {
                kind != FrictionKind::DropOff || !self.journey.touchpoints()[tp].is_goal
            }
            Place::Move(..) | Place::Stage(_) => true,
        }
    }

    /// What the map designs for `kind` at `place`, when it does.
    fn designed(&self, kind: FrictionKind, place: Place) -> Option<f64> {
        match (kind, place) {
            (FrictionKind::Loop, Place::Touchpoint(tp)) => self.designed_loop[tp],
            (FrictionKind::DropOff, Place::Touchpoint(tp)) => self.designed_drop[tp],
            _ => None,
        }
    }

    /// The baselines of every place of `places` for the customers of `rows`, the measures
    /// with them.
    fn tests_for(
        &self,
        kind: FrictionKind,
        places: &Places,
        rows: &[usize],
    ) -> (Vec<Measure>, Vec<Option<(Against, Baseline)>>) {
        let config = self.counts.config();
        let measures: Vec<Measure> = places
            .places
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                if self.eligible(kind, p) {
                    self.measure_of(kind, p, i, rows)
                } else {
                    Measure::Empty
                }
            })
            .collect();
        let peers = places.baselines(&measures, config, kind.unit() == super::Unit::Seconds);
        let against = places
            .places
            .iter()
            .zip(peers)
            .map(|(&p, peer)| match self.designed(kind, p) {
                Some(rate) => Some((Against::Designed(rate), Baseline::Designed)),
                None => peer.map(|(m, b)| (Against::Peers(m), b)),
            })
            .collect();
        (measures, against)
    }
}

/// The report of the counts of a pass: the tests, the correction over all of them, the
/// persona lens and the sentences.
pub(super) fn report(
    journey: &Journey,
    counts: FrictionCounts,
) -> Result<FrictionReport, ShapeMismatch> {
    if journey.fingerprint() != counts.fingerprint()
        || counts.targets != super::counts::Targets::of(journey)
    {
        return Err(ShapeMismatch);
    }
    let config = counts.config();
    let rows = counts.rows;
    let personas = rows - 1;
    let enabled = |k: FrictionKind| {
        !k.is_structural() && k != FrictionKind::Surge && !config.skip.contains(&k)
    };
    let layout = Layout::new(journey, &counts);
    let everyone: Vec<usize> = (0..rows).collect();

    let mut family: Vec<Entry> = Vec::new();
    let mut untested = 0_u64;
    for k in FrictionKind::ALL.into_iter().filter(|&k| enabled(k)) {
        if k == FrictionKind::MissedServiceLevel {
            service_level_tests(&layout, &mut family, &mut untested);
            continue;
        }
        for places in layout.places(k) {
            let (all, against) = layout.tests_for(k, places, &everyone);
            let per_persona: Vec<_> = if config.persona_lens && personas > 1 {
                (0..personas)
                    .map(|r| layout.tests_for(k, places, &[r]))
                    .collect()
            } else {
                Vec::new()
            };
            for (i, &place) in places.places.iter().enumerate() {
                let mut record =
                    |row: Option<usize>, here: Measure, against: Option<(Against, Baseline)>| {
                        match against.and_then(|(a, b)| test(here, a, config).map(|t| (t, b))) {
                            Some((tested, baseline)) => family.push(Entry {
                                kind: k,
                                place,
                                target: None,
                                row,
                                baseline,
                                tested,
                            }),
                            None if here.size() > 0 => untested += 1,
                            None => {}
                        }
                    };
                record(None, all[i], against[i]);
                for (r, (measures, against)) in per_persona.iter().enumerate() {
                    record(Some(r), measures[i], against[i]);
                }
            }
        }
    }

    let q = benjamini_hochberg(&family.iter().map(|e| e.tested.p).collect::<Vec<_>>());
    let flagged: Vec<bool> = family
        .iter()
        .zip(&q)
        .map(|(e, q)| *q <= config.max_q && e.tested.big_enough)
        .collect();

    let mut points = Vec::new();
    // Entries come grouped by (kind, place, target): the test for everyone, then each persona.
    let mut start = 0;
    while start < family.len() {
        let key = (
            family[start].kind,
            family[start].place,
            family[start].target,
        );
        let end = start
            + family[start..]
                .iter()
                .take_while(|e| (e.kind, e.place, e.target) == key)
                .count();
        let group = start..end;
        start = end;
        let overall = group
            .clone()
            .find(|&i| family[i].row.is_none() && flagged[i]);
        let alone: Vec<usize> = group
            .clone()
            .filter(|&i| family[i].row.is_some() && flagged[i])
            .collect();
        let shared = match overall {
            None => false,
            Some(_) if alone.is_empty() => true,
            Some(_) => {
                // Do the personas not flagged suffer it too? Compare them, pooled, with their
                // own baseline: a material difference means the friction is shared. One
                // persona's alone only when the others were tested and show no such
                // difference: too few observations of the others to tell makes it
                // everyone's (the evidence breaks it down by persona).
                let (k, place, _) = key;
                let suffering: Vec<usize> = alone.iter().filter_map(|&i| family[i].row).collect();
                let others: Vec<usize> = (0..rows).filter(|r| !suffering.contains(r)).collect();
                let places = layout
                    .places(k)
                    .into_iter()
                    .find(|p| p.places.contains(&place));
                match places.map(|p| {
                    let i = p.places.iter().position(|x| *x == place).unwrap_or(0);
                    let (measures, against) = layout.tests_for(k, p, &others);
                    against[i].and_then(|(a, _)| test(measures[i], a, config))
                }) {
                    Some(Some(t)) => t.big_enough,
                    _ => true,
                }
            }
        };
        if shared {
            let i = overall.unwrap_or(group.start);
            points.push(point(&layout, &family[i], q[i], &everyone));
        } else {
            for i in alone {
                let row = family[i].row.unwrap_or(0);
                points.push(point(&layout, &family[i], q[i], &[row]));
            }
        }
    }

    let structural = structural_points(journey, &counts);
    describe_off_map_moves(journey, &counts, &mut points);
    let place_order = |p: &FrictionPoint| match &p.location {
        Location::Touchpoint { touchpoint, .. } => (
            0,
            journey
                .touchpoint_index(touchpoint.as_str())
                .map_or(0, |i| i.index()),
            0,
        ),
        Location::Flow { from, to } => (
            1,
            journey
                .touchpoint_index(from.as_str())
                .map_or(0, |i| i.index()),
            journey
                .touchpoint_index(to.as_str())
                .map_or(0, |i| i.index()),
        ),
        Location::Stage { stage } => (
            2,
            journey.stage_index(stage.as_str()).map_or(0, |i| i.index()),
            0,
        ),
        _ => (3, 0, 0),
    };
    let order = |a: &FrictionPoint, b: &FrictionPoint| {
        b.impact
            .total_cmp(&a.impact)
            .then(a.kind.cmp(&b.kind))
            .then_with(|| place_order(a).cmp(&place_order(b)))
    };
    points.sort_by(order);
    let mut structural = structural;
    structural.sort_by(order);
    Ok(FrictionReport {
        config: config.clone(),
        customers: counts.customers,
        converted: counts.converted,
        tests: family.len() as u64,
        untested,
        points,
        structural,
    })
}

/// One test per service level target of each touchpoint, for everyone: the share of misses
/// against the largest share the promise allows. The persona lens does not apply: a promise
/// is made to every customer.
fn service_level_tests(layout: &Layout<'_>, family: &mut Vec<Entry>, untested: &mut u64) {
    let counts = layout.counts;
    let config = counts.config();
    for (tp, targets) in counts.targets.iter().enumerate() {
        let level = &targets.level;
        let promises = [
            (Target::Answer, level.answer.map(|w| 1.0 - w.share)),
            (Target::Abandonment, level.max_abandonment),
            (Target::Csat, level.min_csat.map(|s| 1.0 - s)),
            (Target::Resolution, level.resolution.map(|w| 1.0 - w.share)),
        ];
        for (target, allowed) in promises {
            let Some(allowed) = allowed else { continue };
            let here = (0..counts.rows).fold(Measure::Empty, |acc, r| {
                acc.add(Measure::missed(counts.cell(r, tp), target))
            });
            match test(here, Against::Promise(allowed), config) {
                Some(tested) => family.push(Entry {
                    kind: FrictionKind::MissedServiceLevel,
                    place: Place::Touchpoint(tp),
                    target: Some(target),
                    row: None,
                    baseline: Baseline::ServiceLevel,
                    tested,
                }),
                None if here.size() > 0 => *untested += 1,
                None => {}
            }
        }
    }
}

/// The map's own gaps: listed apart from the ranking, one point per touchpoint and cause. A
/// touchpoint no entry reaches is reported as unreachable only, even when no goal can be
/// reached from it either (one cause: it is cut off from the map).
fn structural_points(journey: &Journey, counts: &FrictionCounts) -> Vec<FrictionPoint> {
    let config = counts.config();
    let warnings = journey.warnings();
    let unreachable: Vec<&crate::TouchpointId> = warnings
        .iter()
        .filter_map(|w| match w {
            StructuralWarning::Unreachable { touchpoint } => Some(touchpoint),
            _ => None,
        })
        .collect();
    let mut structural = Vec::new();
    for warning in &warnings {
        if let StructuralWarning::DeadEnd { touchpoint } = warning
            && unreachable.contains(&touchpoint)
        {
            continue;
        }
        let (kind, touchpoint) = match warning {
            StructuralWarning::DeadEnd { touchpoint } => (FrictionKind::DeadEnd, touchpoint),
            StructuralWarning::Unreachable { touchpoint } => {
                (FrictionKind::Unreachable, touchpoint)
            }
            _ => continue,
        };
        if config.skip.contains(&kind) {
            continue;
        }
        let Some(index) = journey.touchpoint_index(touchpoint.as_str()) else {
            continue;
        };
        let visitors: u64 = (0..counts.rows)
            .map(|r| counts.cell(r, index.index()).visitors)
            .sum();
        let name = &journey.touchpoints()[index.index()].name;
        let summary = structural_sentence(kind == FrictionKind::Unreachable, name, visitors);
        let severity = if visitors > 0 { 1.0 } else { 0.0 };
        structural.push(FrictionPoint {
            kind,
            axis: kind.axis(),
            location: location(journey, Place::Touchpoint(index.index())),
            persona: None,
            segment: None,
            severity,
            impact: severity * visitors as f64,
            customers_affected: visitors,
            lost_conversions: None,
            lost_compared_with: LostComparison::Nobody,
            evidence: None,
            summary,
        });
    }
    structural
}

/// Adds to each off-map point where its customers most often went: the off-map move from its
/// touchpoint made most often by its persona's customers (or everyone's), ties by journey
/// order, as the conformance analysis ranks them.
fn describe_off_map_moves(
    journey: &Journey,
    counts: &FrictionCounts,
    points: &mut [FrictionPoint],
) {
    use crate::analysis::OffMapKind;
    for point in points.iter_mut().filter(|p| p.kind == FrictionKind::OffMap) {
        let Some(from) = point
            .location
            .touchpoint()
            .and_then(|id| journey.touchpoint_index(id.as_str()))
        else {
            continue;
        };
        let row = match (&point.persona, &point.segment, &counts.lens) {
            (Some(p), _, _) => journey.persona_index(p.as_str()).map(|p| p.as_u32()),
            (_, Some(s), super::counts::Lens::Segment { values, .. }) => {
                values.iter().position(|v| *v == s.value).map(|r| r as u32)
            }
            _ => None,
        };
        let t = counts.touchpoints as u32;
        let mut to_counts: Vec<u64> = vec![0; counts.touchpoints];
        for &((key, to), n) in counts.off_map.rows() {
            let (r, f) = (key / t.max(1), key % t.max(1));
            if f == from.as_u32() && row.is_none_or(|row| row == r) {
                to_counts[to as usize] += n;
            }
        }
        let Some((to, &count)) = to_counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
        else {
            continue;
        };
        let target = &journey.touchpoints()[to];
        let step = journey
            .stage_index_of(target_index(to))
            .zip(journey.stage_index_of(from))
            .map_or(0, |(b, a)| b.index() as i64 - a.index() as i64);
        let how = match OffMapKind::of(step) {
            OffMapKind::WithinStage => "within the same stage",
            OffMapKind::NextStage => "into the next stage",
            OffMapKind::SkipsStages => "skipping a stage or more",
            OffMapKind::MovesBack => "back to an earlier stage",
        };
        point.summary.push_str(&format!(
            " Most often they go to {}, {how} ({count} time{}).",
            target.name,
            plural(count)
        ));
    }
}

fn target_index(t: usize) -> crate::TouchpointIndex {
    crate::TouchpointIndex::from_u32(t as u32)
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(super) fn location(journey: &Journey, place: Place) -> Location {
    let tps = journey.touchpoints();
    match place {
        Place::Touchpoint(tp) => Location::Touchpoint {
            touchpoint: tps[tp].id.clone(),
            stage: tps[tp].stage.clone(),
        },
        Place::Move(from, to) => Location::Flow {
            from: tps[from as usize].id.clone(),
            to: tps[to as usize].id.clone(),
        },
        Place::Stage(stage) => Location::Stage {
            stage: journey.stages()[stage].id.clone(),
        },
    }
}

/// Customers at a place, and what they met there, for the customers of some rows.
#[derive(Debug, Default)]
struct Reach {
    visitors: u64,
    visitors_converted: u64,
    affected: u64,
    affected_converted: u64,
}

/// Customers whose time in `bins` is at least the baseline's typical time times the minimum
/// ratio: (customers, of those converted).
fn above(bins: &[[u32; 2]], baseline: f64, config: &FrictionConfig) -> (u64, u64) {
    let threshold = ((1.0 + baseline) * config.min_time_ratio).ln();
    let first = ((threshold / BIN_WIDTH).round() as usize).min(BINS - 1);
    bins[first..].iter().fold((0, 0), |(n, c), bin| {
        (n + u64::from(bin[0] + bin[1]), c + u64::from(bin[1]))
    })
}

fn reach(layout: &Layout<'_>, entry: &Entry, rows: &[usize]) -> Reach {
    let counts = layout.counts;
    let config = counts.config();
    let (kind, tested) = (entry.kind, entry.tested);
    match entry.place {
        Place::Touchpoint(tp) => {
            let mut cell = Cell::default();
            for &r in rows {
                cell.add(counts.cell(r, tp));
            }
            let (affected, affected_converted) = match (kind.customer_measure(), entry.target) {
                (_, Some(target)) => (
                    cell.missed[target as usize][0],
                    cell.missed[target as usize][1],
                ),
                (CustomerMeasure::HighestWait, None) => {
                    above(&cell.highest_wait, tested.baseline, config)
                }
                (CustomerMeasure::HighestResolution, None) => {
                    above(&cell.highest_resolution, tested.baseline, config)
                }
                (
                    CustomerMeasure::Met | CustomerMeasure::HighestGap | CustomerMeasure::None,
                    None,
                ) => cell.met(kind),
            };
            Reach {
                visitors: cell.visitors,
                visitors_converted: cell.visitors_converted,
                affected,
                affected_converted,
            }
        }
        Place::Move(..) | Place::Stage(_) => {
            let mut cell = GapCell::default();
            let move_index = layout.moves.places.iter().position(|p| *p == entry.place);
            for &r in rows {
                match entry.place {
                    Place::Move(..) => {
                        if let Some(i) = move_index {
                            cell.add(&layout.move_cells[i * counts.rows + r]);
                        }
                    }
                    Place::Stage(stage) => cell.add(&counts.stage_gaps[r * counts.stages + stage]),
                    Place::Touchpoint(_) => {}
                }
            }
            let (visitors, visitors_converted) = cell.customers();
            let (affected, affected_converted) = above(&cell.bins, tested.baseline, config);
            Reach {
                visitors,
                visitors_converted,
                affected,
                affected_converted,
            }
        }
    }
}

/// Builds the friction point of a flagged test, for the customers of `rows`.
pub(super) fn point(layout: &Layout<'_>, entry: &Entry, q: f64, rows: &[usize]) -> FrictionPoint {
    let (journey, counts) = (layout.journey, layout.counts);
    let (kind, tested) = (entry.kind, entry.tested);
    let reach = reach(layout, entry, rows);
    let affected = reach.affected;
    // Compared with the others here; when everyone here met it, with the customers of the
    // same personas who did not pass through here; else there is no estimate.
    let others = reach.visitors.saturating_sub(affected);
    let (away, away_converted) = rows.iter().fold((0_u64, 0_u64), |(n, c), &r| {
        (
            n + counts.row_customers[r][0],
            c + counts.row_customers[r][1],
        )
    });
    let away = (
        away.saturating_sub(reach.visitors),
        away_converted.saturating_sub(reach.visitors_converted),
    );
    let (others_rate, compared_with) = if others > 0 {
        let converted = reach
            .visitors_converted
            .saturating_sub(reach.affected_converted);
        (
            Some(converted as f64 / others as f64),
            LostComparison::OthersHere,
        )
    } else if away.0 > 0 {
        (Some(away.1 as f64 / away.0 as f64), LostComparison::NotHere)
    } else {
        (None, LostComparison::Nobody)
    };
    let affected_rate = if affected > 0 {
        reach.affected_converted as f64 / affected as f64
    } else {
        0.0
    };
    let beyond = if kind.unit() == super::Unit::Share && tested.observed > 0.0 {
        (1.0 - tested.baseline / tested.observed).max(0.0)
    } else {
        1.0
    };
    let lost = others_rate.map(|rate| affected as f64 * (rate - affected_rate).max(0.0) * beyond);
    let counts = layout.counts;
    let persona = entry.row.and_then(|r| counts.row_persona(journey, r));
    let segment = entry.row.and_then(|r| counts.row_segment(r));
    let severity = tested.severity.max(0.0);
    let words = baseline_words(layout, entry);
    let by_persona = if rows.len() > 1 && entry.target.is_none() {
        let index = layout
            .places(kind)
            .into_iter()
            .find_map(|p| p.places.iter().position(|x| *x == entry.place))
            .unwrap_or(0);
        rows.iter()
            .map(|&r| {
                let measure = layout.measure(kind, entry.place, index, r);
                PersonaMeasure {
                    persona: counts.row_persona(journey, r),
                    segment: counts.row_segment(r).map(|s| s.value),
                    observed: measure.value(),
                    sample_size: measure.size(),
                }
            })
            .filter(|m| m.sample_size > 0)
            .collect()
    } else {
        Vec::new()
    };
    FrictionPoint {
        kind,
        axis: kind.axis(),
        location: location(journey, entry.place),
        persona: persona.clone(),
        segment,
        severity,
        impact: severity * affected as f64,
        customers_affected: affected,
        lost_conversions: lost,
        lost_compared_with: compared_with,
        evidence: Some(Evidence {
            by_persona,
            metric: match (entry.target, entry.baseline, kind) {
                (Some(target), _, _) => target_metric(layout, entry, target),
                (None, Baseline::Designed, FrictionKind::Loop) => {
                    "share of visits followed at once by another visit here".to_owned()
                }
                (None, Baseline::Designed, _) => {
                    "share of visits that ended a journey without a goal".to_owned()
                }
                (None, _, _) => kind.metric().to_owned(),
            },
            unit: kind.unit(),
            observed: tested.observed,
            baseline: tested.baseline,
            interval: tested.interval(),
            sample_size: tested.n,
            baseline_sample_size: tested.baseline_n,
            p: tested.p,
            q,
            baseline_kind: entry.baseline,
            baseline_of: words.noun,
            customers: tested.units,
        }),
        summary: sentence(layout, entry, &words.against),
    }
}

/// A service level target in words, with its value.
fn target_metric(layout: &Layout<'_>, entry: &Entry, target: Target) -> String {
    let Place::Touchpoint(tp) = entry.place else {
        return String::new();
    };
    let level = &layout.counts.targets[tp].level;
    match target {
        Target::Answer => format!(
            "share of contacts not answered within {}",
            human_seconds(level.answer.map_or(0.0, |w| w.seconds))
        ),
        Target::Abandonment => "share of contacts abandoned".to_owned(),
        Target::Csat => "share of CSAT answers below the top two boxes".to_owned(),
        Target::Resolution => format!(
            "share of needs first raised here not resolved within {}",
            human_seconds(level.resolution.map_or(0.0, |w| w.seconds))
        ),
    }
}

/// What a test compared its place with, as a noun phrase for the evidence and as the end of
/// the sentence ("against 31 s at the other phone touchpoints").
struct BaselineWords {
    noun: String,
    against: String,
}

fn baseline_words(layout: &Layout<'_>, entry: &Entry) -> BaselineWords {
    let journey = layout.journey;
    let tested = &entry.tested;
    let value = |v: f64| match entry.kind.unit() {
        super::Unit::Share => percent(v),
        super::Unit::Seconds => human_seconds(v),
    };
    let b = value(tested.baseline);
    let mine = entry.row.is_some();
    let (noun, preposition): (String, &str) = match (entry.baseline, entry.place) {
        (Baseline::ServiceLevel, _) => {
            let promised = match entry.target {
                Some(Target::Abandonment) => format!("at most {b} promised"),
                _ => format!("the {} promised", percent(1.0 - tested.baseline)),
            };
            return BaselineWords {
                noun: "the service level's promise".to_owned(),
                against: format!("against {promised}"),
            };
        }
        (Baseline::Designed, _) => {
            return BaselineWords {
                noun: "the rate the map designs (the expected shares of its flows)".to_owned(),
                against: format!("against the {b} the map designs"),
            };
        }
        (level, Place::Touchpoint(tp)) => {
            let t = &journey.touchpoints()[tp];
            let split = matches!(entry.kind, FrictionKind::Loop | FrictionKind::RepeatContact)
                && layout.split;
            let revisit = match (split, layout.revisits[tp]) {
                (false, _) => "",
                (true, 2) => " with a designed self-flow",
                (true, 1) => " on a designed cycle",
                (true, _) => " where the map designs no revisit",
            };
            let other = if mine { "their other" } else { "the other" };
            let noun = match level {
                Baseline::SameChannelAndKind => {
                    format!("{other} {} touchpoints on {}{revisit}", t.kind, t.channel)
                }
                Baseline::SameChannel => format!("{other} {} touchpoints{revisit}", t.channel),
                Baseline::SameKind => format!("{other} {} touchpoints{revisit}", t.kind),
                _ if mine => format!("their other touchpoints{revisit}"),
                _ => format!("every other touchpoint{revisit}"),
            };
            let noun = if entry.kind == FrictionKind::DropOff {
                format!("{noun} that are not goals")
                    .replace("touchpoint that are", "touchpoint that is")
            } else {
                noun
            };
            (noun, "at")
        }
        (level, Place::Move(from, to)) => {
            let (a, c) = (
                &journey.touchpoints()[from as usize].channel,
                &journey.touchpoints()[to as usize].channel,
            );
            let other = if mine { "their other" } else { "the other" };
            let noun = match level {
                Baseline::SameChannelAndKind => format!("{other} moves from {a} to {c}"),
                Baseline::SameChannel => format!("{other} moves to {c}"),
                _ => format!("{other} moves of the journey"),
            };
            (noun, "on")
        }
        (_, Place::Stage(_)) => (
            if mine {
                "their other stages".to_owned()
            } else {
                "the other stages".to_owned()
            },
            "in",
        ),
    };
    let against = format!("against {b} {preposition} {noun}");
    let noun = if mine {
        format!(
            "the same {} at {}",
            layout.counts.lens_words(),
            noun.trim_start_matches("their ")
        )
        .replace("at other", "at the other")
    } else {
        noun
    };
    BaselineWords { noun, against }
}

/// The sentence of a structural point met by `visitors` customers: a touchpoint no entry
/// leads to (`unreachable`), or one from which no goal can be reached.
fn structural_sentence(unreachable: bool, name: &str, visitors: u64) -> String {
    let customers = format!("{visitors} customer{}", plural(visitors));
    if unreachable {
        format!(
            "No entry leads to {name} along the designed flows; {customers} got there off the map."
        )
    } else {
        format!(
            "No goal can be reached from {name} along the designed flows; {customers} got there."
        )
    }
}

pub(super) fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// A duration in the largest unit that keeps it readable.
pub(crate) fn human_seconds(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else if seconds < 90.0 * 60.0 {
        format!("{:.1} min", seconds / 60.0)
    } else if seconds < 36.0 * 3600.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.1} days", seconds / 86_400.0)
    }
}

/// The plain sentence of a flagged test; `against` ends it ("against 31 s at the other phone
/// touchpoints").
pub(super) fn sentence(layout: &Layout<'_>, entry: &Entry, against: &str) -> String {
    let journey = layout.journey;
    let (kind, t) = (entry.kind, &entry.tested);
    let o = percent(t.observed);
    let who = match entry.row {
        None => "customers".to_owned(),
        Some(r) => layout.counts.row_customers_words(journey, r),
    };
    let name = match entry.place {
        Place::Touchpoint(tp) => journey.touchpoints()[tp].name.clone(),
        Place::Move(from, to) => format!(
            "{} and {}",
            journey.touchpoints()[from as usize].name,
            journey.touchpoints()[to as usize].name
        ),
        Place::Stage(stage) => journey.stages()[stage].name.clone(),
    };
    let text = match kind {
        FrictionKind::DropOff if entry.baseline == Baseline::Designed => format!(
            "{o} of the visits of {who} to {name} end their journey without a goal, {against}."
        ),
        FrictionKind::Loop if entry.baseline == Baseline::Designed => format!(
            "{o} of the visits of {who} to {name} are followed at once by another visit there, {against}."
        ),
        FrictionKind::DropOff => format!(
            "{o} of {who} who reach {name} end their journey there without reaching a goal, {against}."
        ),
        FrictionKind::Abandonment => format!("{o} of {who} give up at {name}, {against}."),
        FrictionKind::Failure => format!("{name} fails for {o} of {who}, {against}."),
        FrictionKind::Escalation => {
            format!("{name} escalates or hands over {o} of {who}, {against}.")
        }
        FrictionKind::LowSatisfaction => format!(
            "{o} of the CSAT answers of {who} about {name} are below the top two boxes, {against}."
        ),
        FrictionKind::Detractors => {
            format!("{o} of the NPS answers of {who} after {name} are detractors, {against}.")
        }
        FrictionKind::HighEffort => {
            format!("{o} of {who} who answered say {name} was not easy, {against}.")
        }
        FrictionKind::LongWait => format!(
            "{} typically wait {} at {name}, {against}.",
            capitalize(&who),
            human_seconds(t.observed),
        ),
        FrictionKind::SlowResolution => format!(
            "Needs {who} first raise at {name} typically take {} to resolve, {against}.",
            human_seconds(t.observed),
        ),
        FrictionKind::RepeatContact => format!(
            "{o} of the needs {who} first raise at {name} are not resolved at the first contact, {against}."
        ),
        FrictionKind::Loop => format!(
            "{o} of {who} come back to {name} again or go back and forth between channels about a need raised there, {against}."
        ),
        FrictionKind::OffMap => {
            format!("{o} of {who} leave {name} for a touchpoint the map has no flow to, {against}.")
        }
        FrictionKind::Surge => format!("{o} of {who} come to {name}, {against}."),
        FrictionKind::SlowHandoff => match entry.place {
            Place::Stage(_) => format!(
                "{} typically wait {} before each step of the {name} stage, {against}.",
                capitalize(&who),
                human_seconds(t.observed),
            ),
            _ => format!(
                "{} typically wait {} between {name}, {against}.",
                capitalize(&who),
                human_seconds(t.observed),
            ),
        },
        FrictionKind::MissedServiceLevel => {
            let within = percent(1.0 - t.observed);
            // "Only 0% of contacts" reads badly: none of them.
            let only = if within == "0%" {
                "None".to_owned()
            } else {
                format!("Only {within}")
            };
            let Place::Touchpoint(tp) = entry.place else {
                return String::new();
            };
            let level = &layout.counts.targets[tp].level;
            match entry.target {
                Some(Target::Answer) => format!(
                    "{only} of the contacts at {name} are answered within {}, {against}.",
                    human_seconds(level.answer.map_or(0.0, |w| w.seconds))
                ),
                Some(Target::Abandonment) => {
                    format!("{o} of the contacts at {name} are abandoned, {against}.")
                }
                Some(Target::Csat) => format!(
                    "{only} of the CSAT answers about {name} are in the top two boxes, {against}."
                ),
                Some(Target::Resolution) | None => format!(
                    "{only} of the needs first raised at {name} are resolved within {}, {against}.",
                    human_seconds(level.resolution.map_or(0.0, |w| w.seconds))
                ),
            }
        }
        // Structural kinds are not tested; their sample is the customers who were there.
        FrictionKind::DeadEnd | FrictionKind::Unreachable => {
            structural_sentence(kind == FrictionKind::Unreachable, &name, t.n)
        }
    };
    capitalize(&text)
}

/// The customers of a persona, in words: "Branch loyalist customers", but "New customers" for a
/// persona named "New customer" and "Business customers" for one named "Business customers".
pub(super) fn customers_of(persona: &str) -> String {
    let lower = persona.to_lowercase();
    if lower.ends_with("customers") {
        persona.to_owned()
    } else if lower.ends_with("customer") {
        let s = if persona.ends_with(char::is_uppercase) {
            "S"
        } else {
            "s"
        };
        format!("{persona}{s}")
    } else {
        format!("{persona} customers")
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::customers_of;

    #[test]
    fn persona_names_read_as_customers_once() {
        assert_eq!(customers_of("Branch loyalist"), "Branch loyalist customers");
        assert_eq!(customers_of("New customer"), "New customers");
        assert_eq!(customers_of("Business Customers"), "Business Customers");
        assert_eq!(customers_of("Returning CUSTOMER"), "Returning CUSTOMERS");
    }
}
