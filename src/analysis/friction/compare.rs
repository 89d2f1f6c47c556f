//! Period against period: what appeared, what resolved, what got worse or better.
//!
//! # Method
//!
//! Each period is counted in one pass (interactions within it, or customers who started in it,
//! as the selection's time mode says). For every place (touchpoints for every kind tested at
//! touchpoints, the moves seen in both periods and the stages for handoffs, the whole journey
//! for conversion), for everyone and for each persona, two one-sided two-sample tests ask
//! whether the later period is worse than the earlier *by more than the minimum effect*, and
//! whether it is better by as much: shares by a z-test of the difference against the margin
//! (each share's variance taken over the customers behind it), times by Welch's t-test on the
//! logarithm of 1 + seconds against ln(`min_time_ratio`). The Benjamini-Hochberg correction
//! runs over every test of the comparison. Each significant change carries both values with
//! their intervals and sample sizes. Beside the tests, the friction points of each period's own
//! report are matched: a point only in the later period's report that got significantly worse
//! appeared; a point only in the earlier one that got significantly better resolved.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use super::config::FrictionConfig;
use super::counts::FrictionCounts;
use super::detect::{
    Against, Layout, Measure, Place, Tested, customers_of, human_seconds, location, min_effect,
    percent, test,
};
use super::periods::{OverTimeError, Period};
use super::report::{FrictionKind, FrictionPoint, Location, Unit};
use crate::analysis::{Accumulate, Observation, Selection};
use crate::stats::{Interval, Rate, benjamini_hochberg};
use crate::{Journey, PersonaId};

/// Which way a measure moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// Worse in the later period.
    Worse,
    /// Better in the later period.
    Better,
}

/// A measure in one period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PeriodValue {
    /// A share, or a typical time in seconds.
    pub value: f64,
    /// Its 95% interval.
    pub interval: Interval,
    /// Customers behind it.
    pub sample_size: u64,
}

/// A measure that changed between the periods by more than the minimum effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Shift {
    /// What changed (for [`Location::Journey`], drop-off is the share of customers who did
    /// not convert).
    pub kind: FrictionKind,
    /// Where.
    pub location: Location,
    /// For whom; `None` for everyone.
    pub persona: Option<PersonaId>,
    /// Worse or better.
    pub direction: Direction,
    /// What was measured, in words.
    pub metric: String,
    /// Its unit.
    pub unit: Unit,
    /// In the earlier period.
    pub before: PeriodValue,
    /// In the later period.
    pub after: PeriodValue,
    /// The one-sided p-value.
    pub p: f64,
    /// The Benjamini-Hochberg q-value over the comparison.
    pub q: f64,
    /// The size of the change (Cohen's h for shares, d for log times).
    pub severity: f64,
    /// One sentence.
    pub summary: String,
}

/// One period's totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PeriodSummary {
    /// The period.
    pub period: Period,
    /// Customers selected in it.
    pub customers: u64,
    /// Of those, who reached a goal.
    pub converted: u64,
    /// `converted / customers`.
    pub conversion: Option<Rate>,
}

/// Two periods compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PeriodComparison {
    /// The earlier period (the baseline).
    pub before: PeriodSummary,
    /// The later period.
    pub after: PeriodSummary,
    /// Tests run (the Benjamini-Hochberg family).
    pub tests: u64,
    /// What got worse or better, most severe first, worse before better.
    pub changes: Vec<Shift>,
    /// Friction points of the later period's report that the earlier one does not have, and
    /// that got significantly worse ([`Direction::Worse`] in `changes`).
    pub appeared: Vec<FrictionPoint>,
    /// Friction points of the earlier period's report that the later one does not have, and
    /// that got significantly better. A point the later report lacks only because its sample
    /// is too small to test, or without a significant improvement, is in neither list.
    pub resolved: Vec<FrictionPoint>,
}

impl Observation<'_> {
    /// Compares two periods of the selected customers: see the [module](self) documentation.
    ///
    /// # Arguments
    ///
    /// `selection`: which customers (its own time window, if any, is replaced by each period's,
    /// keeping its mode); `before` and `after`: the periods; `config`: the tests' settings.
    ///
    /// # Returns
    ///
    /// A [`PeriodComparison`]: each period's totals, the significant changes, and the
    /// friction points that appeared and resolved.
    ///
    /// # Errors
    ///
    /// [`OverTimeError::BackwardPeriod`] for a period that ends before it starts,
    /// [`OverTimeError::EmptyPeriod`] for one without interactions, and as friction does
    /// for bad settings or selections.
    ///
    /// # Complexity
    ///
    /// Two passes over the selected interactions, then O(K·(T + M + S)·P) tests.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::friction::Period;
    /// use journey_map::analysis::{FrictionConfig, FrictionKind, Observation, Selection};
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
    /// let (log, _) = builder.finish();
    /// let february = Period::new("2026-02-01T00:00:00Z".parse()?, "2026-03-01T00:00:00Z".parse()?).with_label("February");
    /// let march = Period::new("2026-03-01T00:00:00Z".parse()?, "2026-04-01T00:00:00Z".parse()?).with_label("March");
    /// let comparison = Observation::new(&journey, &log)?.compare_periods(&Selection::all(), &february, &march, &FrictionConfig::default())?;
    /// // The sample's comparison tool failed in March.
    /// assert!(comparison.changes.iter().any(|c| c.kind == FrictionKind::Failure
    ///     && c.location.to_string() == "comparison-tool"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn compare_periods(
        &self,
        selection: &Selection,
        before: &Period,
        after: &Period,
        config: &FrictionConfig,
    ) -> Result<PeriodComparison, OverTimeError> {
        let journey = self.journey();
        let empty = FrictionCounts::new(journey, self.log().scales(), config)?;
        let mut counts = Vec::with_capacity(2);
        for period in [before, after] {
            let selected = period.select(selection)?;
            let state = self.accumulate(&selected, || empty.clone())?;
            if state.customers == 0 {
                return Err(OverTimeError::EmptyPeriod {
                    label: period.label.clone(),
                });
            }
            counts.push(state);
        }
        let after_counts = counts.pop().unwrap_or_else(|| empty.clone());
        let before_counts = counts.pop().unwrap_or(empty);
        Ok(compare(
            journey,
            (before, &before_counts),
            (after, &after_counts),
            config,
        ))
    }
}

/// "after worse than before by more than the minimum effect", as a two-sample test.
fn worse(after: Measure, before: Measure, config: &FrictionConfig) -> Option<Tested> {
    if after.units() < config.min_sample || before.units() < config.min_sample {
        return None;
    }
    match (after, before) {
        (Measure::Rate { .. }, Measure::Rate { .. }) => {
            let (pb, pa) = (after.value()?, before.value()?);
            let (ub, ua) = (after.units() as f64, before.units() as f64);
            let threshold = min_effect(pa, config);
            let margin = threshold - pa;
            let se = (pa * (1.0 - pa) / ua + pb * (1.0 - pb) / ub).sqrt();
            let gap = pb - pa - margin;
            let p = if se > 0.0 {
                Normal::standard().sf(gap / se)
            } else if gap > 0.0 {
                0.0
            } else {
                1.0
            };
            Some(Tested {
                p,
                observed: pb,
                baseline: pa,
                spread: super::detect::Spread::Found(after.interval()?),
                n: after.size(),
                units: after.units(),
                baseline_n: before.units(),
                big_enough: pb >= threshold,
                severity: 2.0 * pb.sqrt().asin() - 2.0 * pa.sqrt().asin(),
            })
        }
        // Times: friction's own test, the earlier period as the baseline (Welch's t-test is
        // two-sample already).
        (Measure::Time(_), Measure::Time(_)) => test(after, Against::Peers(before), config),
        _ => None,
    }
}

/// One measure in both periods.
struct Pair {
    kind: FrictionKind,
    place: Option<Place>,
    row: Option<usize>,
    before: Measure,
    after: Measure,
}

fn compare(
    journey: &Journey,
    (before, a): (&Period, &FrictionCounts),
    (after, b): (&Period, &FrictionCounts),
    config: &FrictionConfig,
) -> PeriodComparison {
    let (la, lb) = (Layout::new(journey, a), Layout::new(journey, b));
    let rows = a.rows;
    let personas = rows - 1;
    let mut sets: Vec<(Option<usize>, Vec<usize>)> = vec![(None, (0..rows).collect())];
    if config.persona_lens && personas > 1 {
        sets.extend((0..personas).map(|r| (Some(r), vec![r])));
    }
    let kinds: Vec<FrictionKind> = FrictionKind::ALL
        .into_iter()
        .filter(|k| {
            !k.is_structural()
                && !matches!(k, FrictionKind::MissedServiceLevel | FrictionKind::Surge)
                && !config.skip.contains(k)
        })
        .collect();
    let mut pairs: Vec<Pair> = Vec::new();
    for &kind in &kinds {
        let mut places: Vec<(Place, usize, usize)> = Vec::new();
        if kind == FrictionKind::SlowHandoff {
            for (ia, p) in la.moves.places.iter().enumerate() {
                if let Some(ib) = lb.moves.places.iter().position(|q| q == p) {
                    places.push((*p, ia, ib));
                }
            }
            places.extend((0..journey.stages().len()).map(|s| (Place::Stage(s), s, s)));
        } else {
            places.extend(
                (0..journey.touchpoints().len())
                    .map(Place::Touchpoint)
                    .filter(|&p| la.eligible(kind, p))
                    .map(|p| (p, 0, 0)),
            );
        }
        for &(place, ia, ib) in &places {
            for (row, set) in &sets {
                let before = la.measure_of(kind, place, ia, set);
                let after = lb.measure_of(kind, place, ib, set);
                if before.size() > 0 || after.size() > 0 {
                    pairs.push(Pair {
                        kind,
                        place: Some(place),
                        row: *row,
                        before,
                        after,
                    });
                }
            }
        }
    }
    // Conversion: the share of customers who did not reach a goal, over the whole journey.
    if !config.skip.contains(&FrictionKind::DropOff) {
        for (row, set) in &sets {
            let of = |c: &FrictionCounts| {
                let (n, conv) = set.iter().fold((0, 0), |(n, k), &r| {
                    (n + c.row_customers[r][0], k + c.row_customers[r][1])
                });
                Measure::rate([n, n - conv], n)
            };
            pairs.push(Pair {
                kind: FrictionKind::DropOff,
                place: None,
                row: *row,
                before: of(a),
                after: of(b),
            });
        }
    }

    let mut family: Vec<(usize, Direction, Tested)> = Vec::new();
    for (i, pair) in pairs.iter().enumerate() {
        if let Some(t) = worse(pair.after, pair.before, config) {
            family.push((i, Direction::Worse, t));
        }
        if let Some(t) = worse(pair.before, pair.after, config) {
            family.push((i, Direction::Better, t));
        }
    }
    let q = benjamini_hochberg(&family.iter().map(|f| f.2.p).collect::<Vec<_>>());
    let mut changes = Vec::new();
    for ((i, direction, tested), q) in family.iter().zip(q) {
        if q > config.max_q || !tested.big_enough {
            continue;
        }
        let pair = &pairs[*i];
        let value = |m: Measure| -> Option<PeriodValue> {
            Some(PeriodValue {
                value: m.value()?,
                interval: m.interval()?,
                sample_size: m.units(),
            })
        };
        let (Some(before_value), Some(after_value)) = (value(pair.before), value(pair.after))
        else {
            continue;
        };
        let location = pair
            .place
            .map_or(Location::Journey, |p| location(journey, p));
        changes.push(Shift {
            kind: pair.kind,
            location,
            persona: pair.row.map(|r| journey.personas()[r].id.clone()),
            direction: *direction,
            metric: if pair.place.is_none() {
                "share of customers who did not reach a goal".to_owned()
            } else {
                pair.kind.metric().to_owned()
            },
            unit: pair.kind.unit(),
            before: before_value,
            after: after_value,
            p: tested.p,
            q,
            severity: tested.severity.abs(),
            summary: shift_sentence(journey, pair, before, after),
        });
    }
    changes.sort_by(|x, y| {
        (x.direction == Direction::Better)
            .cmp(&(y.direction == Direction::Better))
            .then(y.severity.total_cmp(&x.severity))
    });

    let report_a = a.clone().finish(journey).ok();
    let report_b = b.clone().finish(journey).ok();
    let key = |p: &FrictionPoint| (p.kind, p.location.clone(), p.persona.clone());
    let points = |r: &Option<super::FrictionReport>| -> Vec<FrictionPoint> {
        r.as_ref().map(|r| r.points.clone()).unwrap_or_default()
    };
    let (pa, pb) = (points(&report_a), points(&report_b));
    let shifted = |p: &FrictionPoint, direction: Direction| {
        changes.iter().any(|c: &Shift| {
            c.direction == direction && (c.kind, c.location.clone(), c.persona.clone()) == key(p)
        })
    };
    let appeared = pb
        .iter()
        .filter(|p| !pa.iter().any(|q| key(q) == key(p)) && shifted(p, Direction::Worse))
        .cloned()
        .collect();
    let resolved = pa
        .iter()
        .filter(|p| !pb.iter().any(|q| key(q) == key(p)) && shifted(p, Direction::Better))
        .cloned()
        .collect();
    let summary = |period: &Period, c: &FrictionCounts| PeriodSummary {
        period: period.clone(),
        customers: c.customers,
        converted: c.converted,
        conversion: Rate::new(c.converted, c.customers),
    };
    PeriodComparison {
        before: summary(before, a),
        after: summary(after, b),
        tests: family.len() as u64,
        changes,
        appeared,
        resolved,
    }
}

/// "Typical waits at Phone line rose from 85 s to 641 s between March and April."
fn shift_sentence(journey: &Journey, pair: &Pair, before: &Period, after: &Period) -> String {
    let (Some(x), Some(y)) = (pair.before.value(), pair.after.value()) else {
        return String::new();
    };
    let unit = pair.kind.unit();
    let show = |v: f64| match unit {
        Unit::Share => percent(v),
        Unit::Seconds => human_seconds(v),
    };
    let name = |tp: usize| journey.touchpoints()[tp].name.clone();
    let (what, x, y) = match pair.place {
        None => ("Conversion".to_owned(), percent(1.0 - x), percent(1.0 - y)),
        Some(place) => {
            let at = match place {
                Place::Touchpoint(tp) => name(tp),
                Place::Move(f, t) => format!("{} and {}", name(f as usize), name(t as usize)),
                Place::Stage(s) => journey.stages()[s].name.clone(),
            };
            let what = match pair.kind {
                FrictionKind::DropOff => format!("Journeys ending at {at}"),
                FrictionKind::Abandonment => format!("Abandonment at {at}"),
                FrictionKind::Failure => format!("Failures at {at}"),
                FrictionKind::Escalation => format!("Escalations at {at}"),
                FrictionKind::LowSatisfaction => {
                    format!("CSAT answers below the top two boxes about {at}")
                }
                FrictionKind::Detractors => format!("NPS detractors after {at}"),
                FrictionKind::HighEffort => format!("Answers that {at} was not easy"),
                FrictionKind::LongWait => format!("Typical waits at {at}"),
                FrictionKind::SlowResolution => {
                    format!("Typical times to resolve needs raised at {at}")
                }
                FrictionKind::RepeatContact => {
                    format!("Repeat contacts about needs raised at {at}")
                }
                FrictionKind::Loop => format!("Customers coming back to {at}"),
                FrictionKind::OffMap => format!("Customers leaving {at} off the map"),
                FrictionKind::SlowHandoff => match place {
                    Place::Stage(_) => format!("Typical handoffs into the {at} stage"),
                    _ => format!("Typical handoffs between {at}"),
                },
                FrictionKind::MissedServiceLevel
                | FrictionKind::Surge
                | FrictionKind::DeadEnd
                | FrictionKind::Unreachable => format!("The {} at {at}", pair.kind),
            };
            (what, show(x), show(y))
        }
    };
    let moved = match (
        pair.place.is_none(),
        pair.after.value() > pair.before.value(),
    ) {
        // Conversion moves the other way from the share who did not convert.
        (true, true) | (false, false) => "fell",
        (true, false) | (false, true) => "rose",
    };
    let whom = match pair.row {
        None => String::new(),
        Some(r) => format!(" for {}", customers_of(&journey.personas()[r].name)),
    };
    format!(
        "{what}{whom} {moved} from {x} to {y} between {} and {}.",
        before.label, after.label
    )
}
