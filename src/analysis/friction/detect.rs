//! The tests, the correction over all of them, and the attribution to personas.

use super::config::{ConfigError, FrictionConfig};
use super::counts::{
    ABANDONMENT, BIN_WIDTH, BINS, Cell, Counts, DETRACTORS, DROP_OFF, ESCALATION, FAILURE,
    HIGH_EFFORT, KINDS, LONG_WAIT, LOOP, LOW_SATISFACTION, OFF_MAP, REPEAT_CONTACT,
    SLOW_RESOLUTION,
};
use super::report::{Evidence, FrictionKind, FrictionPoint, FrictionReport, Location, Unit};
use crate::analysis::JourneyMismatch;
use crate::stats::{
    Interval, Moments, Rate, benjamini_hochberg, binomial_greater, welch_greater_by,
};
use crate::{InteractionLog, Journey, StructuralWarning};

/// Why friction could not be detected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FrictionError {
    /// A setting is out of range.
    #[error("invalid friction settings")]
    Config(#[from] ConfigError),
    /// The log was built for another journey.
    #[error("the log does not belong to this journey")]
    Journey(#[from] JourneyMismatch),
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
    fn of(cell: &Cell, kind: usize) -> Measure {
        let rate = |n: u64, bad: u64| Measure::Rate { n, bad };
        match kind {
            DROP_OFF | ABANDONMENT | FAILURE | ESCALATION | LOOP | OFF_MAP => {
                rate(cell.visitors, cell.met[kind])
            }
            LOW_SATISFACTION => rate(cell.answers[0][0], cell.answers[0][1]),
            DETRACTORS => rate(cell.answers[1][0], cell.answers[1][1]),
            HIGH_EFFORT => rate(cell.answers[2][0], cell.answers[2][1]),
            REPEAT_CONTACT => rate(cell.cases[0], cell.cases[1]),
            LONG_WAIT => Measure::Time(cell.times[0]),
            _ => Measure::Time(cell.times[1]),
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

    fn size(&self) -> u64 {
        match self {
            Measure::Empty => 0,
            Measure::Rate { n, .. } => *n,
            Measure::Time(m) => m.count,
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
                n: a.count,
                baseline_n: b.count,
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
    kind: usize,
    touchpoint: usize,
    row: Option<usize>,
    tested: Tested,
}

pub(super) fn detect(
    journey: &Journey,
    log: &InteractionLog,
    config: &FrictionConfig,
) -> Result<FrictionReport, FrictionError> {
    config.validate()?;
    if log.touchpoint_count() != journey.touchpoints().len() {
        return Err(JourneyMismatch {
            log: log.touchpoint_count(),
            journey: journey.touchpoints().len(),
        }
        .into());
    }
    let counts = Counts::of(journey, log, config.metrics);
    let (rows, t) = (counts.rows, counts.touchpoints);
    let personas = rows - 1;
    let is_goal: Vec<bool> = journey.touchpoints().iter().map(|tp| tp.is_goal).collect();
    let enabled = |k: usize| !config.skip.contains(&FrictionKind::ALL[k]);
    let eligible = |k: usize, tp: usize| k != DROP_OFF || !is_goal[tp];

    let mut family: Vec<Entry> = Vec::new();
    let mut untested = 0_u64;
    // Per kind: the measure of each (row, touchpoint), each row's total and the grand total.
    let mut measures = vec![Measure::Empty; rows * t];
    let mut row_totals = vec![Measure::Empty; rows];
    for k in (0..KINDS).filter(|&k| enabled(k)) {
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
                // Too few observations of the others to tell: everyone's when more than one
                // persona suffers it, else that persona's.
                match test(here, total.without(here), config) {
                    Some(t) => t.big_enough,
                    None => suffering.len() > 1,
                }
            }
        };
        if everyone {
            let i = overall.unwrap_or(start);
            points.push(point(
                journey,
                &counts,
                config,
                &family[i],
                q[i],
                &(0..rows).collect::<Vec<_>>(),
            ));
        } else {
            for i in alone {
                let row = family[i].row.unwrap_or(0);
                points.push(point(journey, &counts, config, &family[i], q[i], &[row]));
            }
        }
    }

    for warning in journey.warnings() {
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
        let summary = match kind {
            FrictionKind::DeadEnd => format!(
                "No goal can be reached from {name} along the designed flows; {} customer{} got there.",
                visitors,
                plural(visitors)
            ),
            _ => format!(
                "No entry leads to {name} along the designed flows; {} customer{} got there off the map.",
                visitors,
                plural(visitors)
            ),
        };
        let severity = if visitors > 0 { 1.0 } else { 0.0 };
        points.push(FrictionPoint {
            kind,
            axis: kind.axis(),
            location: location(journey, index.index()),
            persona: None,
            severity,
            impact: severity * visitors as f64,
            customers_affected: visitors,
            lost_conversions: 0.0,
            evidence: None,
            summary,
        });
    }
    describe_off_map_moves(journey, log, &mut points);
    points.sort_by(|a, b| {
        b.impact
            .total_cmp(&a.impact)
            .then(a.kind.cmp(&b.kind))
            .then_with(|| {
                let index =
                    |p: &FrictionPoint| journey.touchpoint_index(p.location.touchpoint().as_str());
                index(a).cmp(&index(b))
            })
    });
    Ok(FrictionReport {
        config: config.clone(),
        customers: counts.customers,
        converted: counts.converted,
        tests: family.len() as u64,
        untested,
        points,
    })
}

/// Adds to each off-map point where its customers most often went, by the conformance
/// analysis (the same definition of an off-map move), for the point's persona or everyone.
fn describe_off_map_moves(journey: &Journey, log: &InteractionLog, points: &mut [FrictionPoint]) {
    use crate::analysis::conformance::conformance;
    use crate::analysis::paths::PathFilter;
    use crate::analysis::paths::filter::Selection;
    use crate::analysis::{ConformanceReport, OffMapKind};
    let mut reports: Vec<(Option<crate::PersonaId>, ConformanceReport)> = Vec::new();
    for point in points.iter_mut().filter(|p| p.kind == FrictionKind::OffMap) {
        let index = match reports.iter().position(|(p, _)| *p == point.persona) {
            Some(index) => index,
            None => {
                let filter = PathFilter {
                    persona: point.persona.clone(),
                    ..PathFilter::default()
                };
                let Ok(selection) = Selection::new(journey, log, &filter) else {
                    continue;
                };
                reports.push((point.persona.clone(), conformance(&selection)));
                reports.len() - 1
            }
        };
        let from = point.location.touchpoint();
        let Some(top) = reports[index].1.off_map.iter().find(|m| &m.from == from) else {
            continue;
        };
        let to = journey
            .touchpoint(top.to.as_str())
            .map_or(top.to.as_str(), |t| t.name.as_str());
        let how = match top.kind {
            OffMapKind::WithinStage => "within the same stage",
            OffMapKind::NextStage => "into the next stage",
            OffMapKind::SkipsStages => "skipping a stage or more",
            _ => "back to an earlier stage",
        };
        point.summary.push_str(&format!(
            " Most often they go to {to}, {how} ({} time{}).",
            top.count,
            plural(top.count)
        ));
    }
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
    counts: &Counts,
    config: &FrictionConfig,
    entry: &Entry,
    q: f64,
    rows: &[usize],
) -> FrictionPoint {
    let (k, tp, tested) = (entry.kind, entry.touchpoint, entry.tested);
    let mut cell = Cell::default();
    for &r in rows {
        cell.add(counts.cell(r, tp));
    }
    let (affected, affected_converted) = if k == LONG_WAIT || k == SLOW_RESOLUTION {
        // Customers whose highest time here is at least the baseline's typical time times the
        // minimum ratio.
        let j = usize::from(k == SLOW_RESOLUTION);
        let threshold = ((1.0 + tested.baseline) * config.min_time_ratio).ln();
        let first = ((threshold / BIN_WIDTH).round() as usize).min(BINS - 1);
        cell.highest[j][first..].iter().fold((0, 0), |(n, c), bin| {
            (n + u64::from(bin[0] + bin[1]), c + u64::from(bin[1]))
        })
    } else {
        (cell.met[k], cell.met_converted[k])
    };
    let others = cell.visitors.saturating_sub(affected);
    let others_rate = if others > 0 {
        cell.visitors_converted.saturating_sub(affected_converted) as f64 / others as f64
    } else {
        0.0
    };
    let affected_rate = if affected > 0 {
        affected_converted as f64 / affected as f64
    } else {
        0.0
    };
    let beyond = match Measure::of(&cell, k) {
        Measure::Rate { .. } if tested.observed > 0.0 => {
            (1.0 - tested.baseline / tested.observed).max(0.0)
        }
        _ => 1.0,
    };
    let lost = affected as f64 * (others_rate - affected_rate).max(0.0) * beyond;
    let kind = FrictionKind::ALL[k];
    let persona = entry.row.map(|r| journey.personas()[r].id.clone());
    let severity = tested.severity.max(0.0);
    let baseline_of = match (&persona, k) {
        (None, DROP_OFF) => "every other touchpoint that is not a goal".to_owned(),
        (None, _) => "every other touchpoint".to_owned(),
        (Some(_), DROP_OFF) => {
            "the same persona at every other touchpoint that is not a goal".to_owned()
        }
        (Some(_), _) => "the same persona at every other touchpoint".to_owned(),
    };
    let unit = if k == LONG_WAIT || k == SLOW_RESOLUTION {
        Unit::Seconds
    } else {
        Unit::Share
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
        evidence: Some(Evidence {
            metric: metric_name(k).to_owned(),
            unit,
            observed: tested.observed,
            baseline: tested.baseline,
            interval: tested.interval,
            sample_size: tested.n,
            baseline_sample_size: tested.baseline_n,
            p: tested.p,
            q,
            baseline_of,
        }),
        summary: sentence(journey, k, tp, entry.row, &tested),
    }
}

fn metric_name(k: usize) -> &'static str {
    match k {
        DROP_OFF => "share of customers whose journey ended here without a goal",
        ABANDONMENT => "share of customers who abandoned here",
        FAILURE => "share of customers with a failed interaction here",
        ESCALATION => "share of customers escalated or handed over here",
        LOW_SATISFACTION => "share of CSAT answers below the top two boxes",
        DETRACTORS => "share of NPS answers from detractors (0-6)",
        HIGH_EFFORT => "share of CES answers that are not easy",
        LONG_WAIT => "typical wait (geometric mean of 1 + seconds, less 1)",
        SLOW_RESOLUTION => {
            "typical time to resolution of needs first raised here (geometric mean of 1 + seconds, less 1)"
        }
        REPEAT_CONTACT => "share of needs first raised here not resolved at the first contact",
        LOOP => {
            "share of customers who came back to this touchpoint or whose need raised here went back to a channel it had left"
        }
        _ => "share of customers who left this touchpoint off the map",
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

fn sentence(journey: &Journey, k: usize, tp: usize, row: Option<usize>, t: &Tested) -> String {
    let name = &journey.touchpoints()[tp].name;
    let (o, b) = (percent(t.observed), percent(t.baseline));
    let (who, elsewhere) = match row {
        None => ("customers".to_owned(), "elsewhere in the journey"),
        Some(r) => (
            format!("{} customers", journey.personas()[r].name),
            "at their other touchpoints",
        ),
    };
    let text = match k {
        DROP_OFF => format!(
            "{o} of {who} who reach {name} end their journey there without reaching a goal, against {b} {elsewhere}."
        ),
        ABANDONMENT => format!("{o} of {who} give up at {name}, against {b} {elsewhere}."),
        FAILURE => format!("{name} fails for {o} of {who}, against {b} {elsewhere}."),
        ESCALATION => {
            format!("{name} escalates or hands over {o} of {who}, against {b} {elsewhere}.")
        }
        LOW_SATISFACTION => format!(
            "{o} of the CSAT answers of {who} about {name} are below the top two boxes, against {b} {elsewhere}."
        ),
        DETRACTORS => format!(
            "{o} of the NPS answers of {who} after {name} are detractors, against {b} {elsewhere}."
        ),
        HIGH_EFFORT => {
            format!("{o} of {who} who answered say {name} was not easy, against {b} {elsewhere}.")
        }
        LONG_WAIT => format!(
            "{} typically wait {} at {name}, against {} {elsewhere}.",
            capitalize(&who),
            human_seconds(t.observed),
            human_seconds(t.baseline)
        ),
        SLOW_RESOLUTION => format!(
            "Needs {who} first raise at {name} typically take {} to resolve, against {} {elsewhere}.",
            human_seconds(t.observed),
            human_seconds(t.baseline)
        ),
        REPEAT_CONTACT => format!(
            "{o} of the needs {who} first raise at {name} are not resolved at the first contact, against {b} {elsewhere}."
        ),
        LOOP => format!(
            "{o} of {who} come back to {name} again or go back and forth between channels about a need raised there, against {b} {elsewhere}."
        ),
        _ => format!(
            "{o} of {who} leave {name} for a touchpoint the map has no flow to, against {b} {elsewhere}."
        ),
    };
    capitalize(&text)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
