//! The tests, the correction over all of them, and the attribution to personas.

use super::config::{ConfigError, FrictionConfig};
use super::counts::{BIN_WIDTH, BINS, Cell, CustomerMeasure, FrictionCounts};
use super::report::{
    Evidence, FrictionKind, FrictionPoint, FrictionReport, Location, LostComparison, PersonaMeasure,
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
enum Measure {
    #[default]
    Empty,
    Rate {
        n: u64,
        bad: u64,
    },
    Time(Moments),
}

impl Measure {
    fn of(cell: &Cell, kind: FrictionKind) -> Measure {
        let rate = |[n, bad]: [u64; 2]| Measure::Rate { n, bad };
        match kind {
            FrictionKind::DropOff
            | FrictionKind::Abandonment
            | FrictionKind::Failure
            | FrictionKind::Escalation
            | FrictionKind::Loop
            | FrictionKind::OffMap => rate([cell.visitors, cell.met(kind).0]),
            FrictionKind::LowSatisfaction => rate(cell.csat),
            FrictionKind::Detractors => rate(cell.nps),
            FrictionKind::HighEffort => rate(cell.ces),
            FrictionKind::RepeatContact => rate(cell.cases),
            FrictionKind::LongWait => Measure::Time(cell.wait),
            FrictionKind::SlowResolution => Measure::Time(cell.resolution),
            FrictionKind::DeadEnd | FrictionKind::Unreachable => Measure::Empty,
        }
    }

    fn add(self, other: Measure) -> Measure {
        match (self, other) {
            (Measure::Empty, m) | (m, Measure::Empty) => m,
            (Measure::Rate { n, bad }, Measure::Rate { n: n2, bad: b2 }) => Measure::Rate {
                n: n + n2,
                bad: bad + b2,
            },
            (Measure::Time(mut a), Measure::Time(b)) => {
                a.merge(&b);
                Measure::Time(a)
            }
            (m, _) => m,
        }
    }

    fn without(self, part: Measure) -> Measure {
        match (self, part) {
            (Measure::Rate { n, bad }, Measure::Rate { n: n2, bad: b2 }) => Measure::Rate {
                n: n.saturating_sub(n2),
                bad: bad.saturating_sub(b2),
            },
            (Measure::Time(a), Measure::Time(b)) => Measure::Time(a.without(&b)),
            (m, _) => m,
        }
    }

    /// The share, or the typical time (geometric mean of 1 + seconds, less 1).
    fn value(&self) -> Option<f64> {
        match self {
            Measure::Empty => None,
            Measure::Rate { n, bad } => (*n > 0).then(|| *bad as f64 / *n as f64),
            Measure::Time(m) => m.mean().map(f64::exp_m1),
        }
    }

    fn size(&self) -> u64 {
        match self {
            Measure::Empty => 0,
            Measure::Rate { n, .. } => *n,
            Measure::Time(m) => m.count(),
        }
    }
}

/// The result of one test.
#[derive(Debug, Clone, Copy)]
struct Tested {
    p: f64,
    observed: f64,
    baseline: f64,
    interval: Interval,
    n: u64,
    baseline_n: u64,
    big_enough: bool,
    severity: f64,
}

fn test(here: Measure, rest: Measure, config: &FrictionConfig) -> Option<Tested> {
    if here.size() < config.min_sample || rest.size() < config.min_sample {
        return None;
    }
    match (here, rest) {
        (Measure::Rate { n, bad }, Measure::Rate { n: n2, bad: b2 }) => {
            let rate = Rate::new(bad, n)?;
            let (observed, baseline) = (rate.value, b2 as f64 / n2 as f64);
            // The least rate that is friction: the minimum effect above the baseline.
            let threshold = (baseline + config.min_rate_difference)
                .max(baseline * config.min_rate_ratio)
                .min(1.0);
            Some(Tested {
                p: binomial_greater(bad, n, threshold),
                observed,
                baseline,
                interval: rate.interval,
                n,
                baseline_n: n2,
                big_enough: observed >= threshold,
                severity: 2.0 * observed.sqrt().asin() - 2.0 * baseline.sqrt().asin(),
            })
        }
        (Measure::Time(a), Measure::Time(b)) => {
            let (ma, mb) = (a.mean()?, b.mean()?);
            let spread = ((a.variance()? + b.variance()?) / 2.0).sqrt();
            let interval = a.mean_interval()?;
            Some(Tested {
                p: welch_greater_by(&a, &b, config.min_time_ratio.ln()),
                observed: ma.exp_m1(),
                baseline: mb.exp_m1(),
                interval: Interval {
                    low: interval.low.exp_m1(),
                    high: interval.high.exp_m1(),
                },
                n: a.count(),
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

/// One test of the family: a kind at a touchpoint, for everyone (`row` None) or one persona.
#[derive(Debug, Clone, Copy)]
struct Entry {
    kind: FrictionKind,
    touchpoint: usize,
    row: Option<usize>,
    tested: Tested,
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
        let (journey, scales) = (self.journey(), self.log().scales());
        let empty = FrictionCounts::new(journey, scales, config)?;
        Ok(self.run(selection, || empty.clone())?)
    }
}

/// The report of the counts of a pass: the tests, the correction over all of them, the
/// persona lens and the sentences.
pub(super) fn report(
    journey: &Journey,
    counts: FrictionCounts,
) -> Result<FrictionReport, ShapeMismatch> {
    if journey.fingerprint() != counts.fingerprint() {
        return Err(ShapeMismatch);
    }
    let config = counts.config();
    let (rows, t) = (counts.rows, counts.touchpoints);
    let personas = rows - 1;
    let is_goal: Vec<bool> = journey.touchpoints().iter().map(|tp| tp.is_goal).collect();
    let enabled = |k: FrictionKind| !k.is_structural() && !config.skip.contains(&k);
    let eligible = |k: FrictionKind, tp: usize| k != FrictionKind::DropOff || !is_goal[tp];

    let mut family: Vec<Entry> = Vec::new();
    let mut untested = 0_u64;
    // Per kind: the measure of each (row, touchpoint), each row's total and the grand total.
    let mut measures = vec![Measure::Empty; rows * t];
    let mut row_totals = vec![Measure::Empty; rows];
    for k in FrictionKind::ALL.into_iter().filter(|&k| enabled(k)) {
        let mut grand = Measure::Empty;
        for r in 0..rows {
            row_totals[r] = Measure::Empty;
            for tp in (0..t).filter(|&tp| eligible(k, tp)) {
                let m = Measure::of(counts.cell(r, tp), k);
                measures[r * t + tp] = m;
                row_totals[r] = row_totals[r].add(m);
            }
            grand = grand.add(row_totals[r]);
        }
        for tp in (0..t).filter(|&tp| eligible(k, tp)) {
            let here = (0..rows).fold(Measure::Empty, |acc, r| acc.add(measures[r * t + tp]));
            let mut record =
                |row: Option<usize>, here: Measure, rest: Measure| match test(here, rest, config) {
                    Some(tested) => family.push(Entry {
                        kind: k,
                        touchpoint: tp,
                        row,
                        tested,
                    }),
                    None if here.size() > 0 => untested += 1,
                    None => {}
                };
            record(None, here, grand.without(here));
            if config.persona_lens && personas > 1 {
                for r in 0..personas {
                    let mine = measures[r * t + tp];
                    record(Some(r), mine, row_totals[r].without(mine));
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
    // Entries come grouped by (kind, touchpoint): the test for everyone, then each persona.
    let mut start = 0;
    while start < family.len() {
        let (k, tp) = (family[start].kind, family[start].touchpoint);
        let end = start
            + family[start..]
                .iter()
                .take_while(|e| e.kind == k && e.touchpoint == tp)
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
        let everyone = match overall {
            None => false,
            Some(_) if alone.is_empty() => true,
            Some(_) => {
                // Do the personas not flagged suffer it too? Compare them, pooled, with their
                // own journeys elsewhere: a material difference means the friction is shared.
                let suffering: Vec<usize> = alone.iter().filter_map(|&i| family[i].row).collect();
                let others: Vec<usize> = (0..rows).filter(|r| !suffering.contains(r)).collect();
                let mut here = Measure::Empty;
                let mut total = Measure::Empty;
                for &r in &others {
                    let m = Measure::of(counts.cell(r, tp), k);
                    here = here.add(m);
                    let whole = (0..t)
                        .filter(|&x| eligible(k, x))
                        .fold(Measure::Empty, |acc, x| {
                            acc.add(Measure::of(counts.cell(r, x), k))
                        });
                    total = total.add(whole);
                }
                // One persona's alone only when the others were tested and show no such
                // difference: too few observations of the others to tell makes it everyone's
                // (the evidence breaks it down by persona).
                match test(here, total.without(here), config) {
                    Some(t) => t.big_enough,
                    None => true,
                }
            }
        };
        if everyone {
            let i = overall.unwrap_or(start);
            points.push(point(
                journey,
                &counts,
                &family[i],
                q[i],
                &(0..rows).collect::<Vec<_>>(),
            ));
        } else {
            for i in alone {
                let row = family[i].row.unwrap_or(0);
                points.push(point(journey, &counts, &family[i], q[i], &[row]));
            }
        }
    }

    // The map's own gaps: listed apart from the ranking, one point per touchpoint and cause. A
    // touchpoint no entry reaches is reported as unreachable only, even when no goal can be
    // reached from it either (one cause: it is cut off from the map).
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
        let visitors: u64 = (0..rows)
            .map(|r| counts.cell(r, index.index()).visitors)
            .sum();
        let name = &journey.touchpoints()[index.index()].name;
        let summary = structural_sentence(kind == FrictionKind::Unreachable, name, visitors);
        let severity = if visitors > 0 { 1.0 } else { 0.0 };
        structural.push(FrictionPoint {
            kind,
            axis: kind.axis(),
            location: location(journey, index.index()),
            persona: None,
            severity,
            impact: severity * visitors as f64,
            customers_affected: visitors,
            lost_conversions: None,
            lost_compared_with: LostComparison::Nobody,
            evidence: None,
            summary,
        });
    }
    describe_off_map_moves(journey, &counts, &mut points);
    let order = |a: &FrictionPoint, b: &FrictionPoint| {
        let index = |p: &FrictionPoint| journey.touchpoint_index(p.location.touchpoint().as_str());
        b.impact
            .total_cmp(&a.impact)
            .then(a.kind.cmp(&b.kind))
            .then_with(|| index(a).cmp(&index(b)))
    };
    points.sort_by(order);
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
        let Some(from) = journey.touchpoint_index(point.location.touchpoint().as_str()) else {
            continue;
        };
        let row = point
            .persona
            .as_ref()
            .and_then(|p| journey.persona_index(p.as_str()))
            .map(|p| p.as_u32());
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

fn location(journey: &Journey, tp: usize) -> Location {
    let touchpoint = &journey.touchpoints()[tp];
    Location::Touchpoint {
        touchpoint: touchpoint.id.clone(),
        stage: touchpoint.stage.clone(),
    }
}

/// Builds the friction point of a flagged test, for the customers of `rows`.
fn point(
    journey: &Journey,
    counts: &FrictionCounts,
    entry: &Entry,
    q: f64,
    rows: &[usize],
) -> FrictionPoint {
    let config = counts.config();
    let (kind, tp, tested) = (entry.kind, entry.touchpoint, entry.tested);
    let mut cell = Cell::default();
    for &r in rows {
        cell.add(counts.cell(r, tp));
    }
    // Customers whose highest time here is at least the baseline's typical time times the
    // minimum ratio.
    let above = |bins: &[[u32; 2]]| {
        let threshold = ((1.0 + tested.baseline) * config.min_time_ratio).ln();
        let first = ((threshold / BIN_WIDTH).round() as usize).min(BINS - 1);
        bins[first..].iter().fold((0, 0), |(n, c), bin| {
            (n + u64::from(bin[0] + bin[1]), c + u64::from(bin[1]))
        })
    };
    let (affected, affected_converted) = match kind.customer_measure() {
        CustomerMeasure::HighestWait => above(&cell.highest_wait),
        CustomerMeasure::HighestResolution => above(&cell.highest_resolution),
        CustomerMeasure::Met | CustomerMeasure::None => cell.met(kind),
    };
    // Compared with the others here; when everyone here met it, with the customers of the
    // same personas who did not pass through here; else there is no estimate.
    let others = cell.visitors.saturating_sub(affected);
    let (away, away_converted) = rows.iter().fold((0_u64, 0_u64), |(n, c), &r| {
        (
            n + counts.row_customers[r][0],
            c + counts.row_customers[r][1],
        )
    });
    let away = (
        away.saturating_sub(cell.visitors),
        away_converted.saturating_sub(cell.visitors_converted),
    );
    let (others_rate, compared_with) = if others > 0 {
        let converted = cell.visitors_converted.saturating_sub(affected_converted);
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
        affected_converted as f64 / affected as f64
    } else {
        0.0
    };
    let beyond = match Measure::of(&cell, kind) {
        Measure::Rate { .. } if tested.observed > 0.0 => {
            (1.0 - tested.baseline / tested.observed).max(0.0)
        }
        _ => 1.0,
    };
    let lost = others_rate.map(|rate| affected as f64 * (rate - affected_rate).max(0.0) * beyond);
    let persona = entry.row.map(|r| journey.personas()[r].id.clone());
    let severity = tested.severity.max(0.0);
    let goal_rule = kind == FrictionKind::DropOff;
    let baseline_of = match (&persona, goal_rule) {
        (None, true) => "every other touchpoint that is not a goal".to_owned(),
        (None, false) => "every other touchpoint".to_owned(),
        (Some(_), true) => {
            "the same persona at every other touchpoint that is not a goal".to_owned()
        }
        (Some(_), false) => "the same persona at every other touchpoint".to_owned(),
    };
    FrictionPoint {
        kind,
        axis: kind.axis(),
        location: location(journey, tp),
        persona: persona.clone(),
        severity,
        impact: severity * affected as f64,
        customers_affected: affected,
        lost_conversions: lost,
        lost_compared_with: compared_with,
        evidence: Some(Evidence {
            by_persona: if rows.len() > 1 {
                rows.iter()
                    .map(|&r| {
                        let measure = Measure::of(counts.cell(r, tp), kind);
                        PersonaMeasure {
                            persona: journey.personas().get(r).map(|p| p.id.clone()),
                            observed: measure.value(),
                            sample_size: measure.size(),
                        }
                    })
                    .filter(|m| m.sample_size > 0)
                    .collect()
            } else {
                Vec::new()
            },
            metric: kind.metric().to_owned(),
            unit: kind.unit(),
            observed: tested.observed,
            baseline: tested.baseline,
            interval: tested.interval,
            sample_size: tested.n,
            baseline_sample_size: tested.baseline_n,
            p: tested.p,
            q,
            baseline_of,
        }),
        summary: sentence(journey, kind, tp, entry.row, &tested),
    }
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

fn percent(share: f64) -> String {
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

fn sentence(
    journey: &Journey,
    kind: FrictionKind,
    tp: usize,
    row: Option<usize>,
    t: &Tested,
) -> String {
    let name = &journey.touchpoints()[tp].name;
    let (o, b) = (percent(t.observed), percent(t.baseline));
    let (who, elsewhere) = match row {
        None => ("customers".to_owned(), "elsewhere in the journey"),
        Some(r) => (
            customers_of(&journey.personas()[r].name),
            "at their other touchpoints",
        ),
    };
    let text = match kind {
        FrictionKind::DropOff => format!(
            "{o} of {who} who reach {name} end their journey there without reaching a goal, against {b} {elsewhere}."
        ),
        FrictionKind::Abandonment => {
            format!("{o} of {who} give up at {name}, against {b} {elsewhere}.")
        }
        FrictionKind::Failure => format!("{name} fails for {o} of {who}, against {b} {elsewhere}."),
        FrictionKind::Escalation => {
            format!("{name} escalates or hands over {o} of {who}, against {b} {elsewhere}.")
        }
        FrictionKind::LowSatisfaction => format!(
            "{o} of the CSAT answers of {who} about {name} are below the top two boxes, against {b} {elsewhere}."
        ),
        FrictionKind::Detractors => format!(
            "{o} of the NPS answers of {who} after {name} are detractors, against {b} {elsewhere}."
        ),
        FrictionKind::HighEffort => {
            format!("{o} of {who} who answered say {name} was not easy, against {b} {elsewhere}.")
        }
        FrictionKind::LongWait => format!(
            "{} typically wait {} at {name}, against {} {elsewhere}.",
            capitalize(&who),
            human_seconds(t.observed),
            human_seconds(t.baseline)
        ),
        FrictionKind::SlowResolution => format!(
            "Needs {who} first raise at {name} typically take {} to resolve, against {} {elsewhere}.",
            human_seconds(t.observed),
            human_seconds(t.baseline)
        ),
        FrictionKind::RepeatContact => format!(
            "{o} of the needs {who} first raise at {name} are not resolved at the first contact, against {b} {elsewhere}."
        ),
        FrictionKind::Loop => format!(
            "{o} of {who} come back to {name} again or go back and forth between channels about a need raised there, against {b} {elsewhere}."
        ),
        FrictionKind::OffMap => format!(
            "{o} of {who} leave {name} for a touchpoint the map has no flow to, against {b} {elsewhere}."
        ),
        // Structural kinds are not tested; their sample is the customers who were there.
        FrictionKind::DeadEnd | FrictionKind::Unreachable => {
            structural_sentence(kind == FrictionKind::Unreachable, name, t.n)
        }
    };
    capitalize(&text)
}

/// The customers of a persona, in words: "Branch loyalist customers", but "New customers" for a
/// persona named "New customer" and "Business customers" for one named "Business customers".
fn customers_of(persona: &str) -> String {
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
