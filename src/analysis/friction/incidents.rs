//! Incidents: the windows where a place departs from its own history, found without being told
//! where to look.
//!
//! # Method
//!
//! One pass counts friction per bucket of time ([`Calendar`]: days, ISO weeks or months in a
//! time zone), each customer in the bucket of their first selected interaction. For every
//! place (each touchpoint for every kind tested at touchpoints, plus [`FrictionKind::Surge`]:
//! the share of the bucket's customers who come there; each stage for handoffs), for everyone
//! and, with the persona lens, for each persona, each bucket is tested against the same place
//! in the other buckets, pooled: the place's own history. The test is friction's: worse by
//! more than the minimum effect ([`FrictionConfig`]), at least `min_sample` customers on each
//! side. The Benjamini-Hochberg correction runs over every bucket of every place and kind, so
//! the false discovery rate of the flagged buckets is at most `max_q`.
//!
//! A long incident would raise its own baseline, so the tests run twice: the second time, each
//! bucket's history leaves out the buckets the first pass flagged at the same place. With daily
//! buckets, a day is compared only with the same weekday, so that a weekly rhythm is not an
//! incident; with weeks and months the rhythm is inside each bucket. Volume itself is never
//! tested, only shares of the bucket's customers: more customers on Mondays is not an
//! incident, a larger share of them calling the support line is.
//!
//! Adjacent flagged buckets of one place, kind and persona merge into one incident, with its
//! start and end, the bucket of its worst value (the peak), its observed value over its
//! buckets against the baseline of its history, the customers affected and the conversions
//! lost, counted as friction points count them. When everyone's test is flagged in a bucket,
//! the persona tests of that place and bucket are not reported apart.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::config::FrictionConfig;
use super::counts::FrictionCounts;
use super::detect::{
    Against, Entry, Layout, Measure, Place, human_seconds, percent, point, sentence, test,
};
use super::periods::{OverTimeError, by_bucket};
use super::report::{Baseline, FrictionKind, Location, Unit};
use crate::analysis::{Accumulate, Bucket, Calendar, Granularity, Observation, Selection};
use crate::stats::{Interval, benjamini_hochberg};
use crate::{Journey, PersonaId};

/// The fewest buckets in which a history can be told from a departure.
pub const MIN_BUCKETS: usize = 3;

/// A window in which one place departed from its own history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Incident {
    /// What departed.
    pub kind: FrictionKind,
    /// Where: a touchpoint, or a stage for handoffs.
    pub location: Location,
    /// The persona it hit alone; `None` for everyone.
    pub persona: Option<PersonaId>,
    /// The start of its first bucket.
    pub start: Timestamp,
    /// The end of its last bucket.
    pub end: Timestamp,
    /// The start of the bucket where it was worst.
    pub peak: Timestamp,
    /// How many buckets it lasted.
    pub buckets: u32,
    /// What was measured, in words.
    pub metric: String,
    /// Its unit.
    pub unit: Unit,
    /// The value over its buckets.
    pub observed: f64,
    /// The value in the rest of the place's history.
    pub baseline: f64,
    /// The 95% interval of `observed`.
    pub interval: Interval,
    /// Customers behind `observed`.
    pub sample_size: u64,
    /// Customers behind `baseline`.
    pub baseline_sample_size: u64,
    /// The smallest q-value of its buckets.
    pub q: f64,
    /// The size of the departure (Cohen's h for shares, d for log times).
    pub severity: f64,
    /// Customers who met it (for a surge, customers beyond the usual share).
    pub customers_affected: u64,
    /// Conversions lost, as friction points estimate them; `None` when nobody is left to
    /// compare with, or for a surge.
    pub lost_conversions: Option<f64>,
    /// Severity times customers affected: the ranking.
    pub impact: f64,
    /// One sentence.
    pub summary: String,
}

/// Every incident of a window, highest impact first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IncidentReport {
    /// The bucket size.
    pub granularity: Granularity,
    /// The buckets, in time order.
    pub buckets: Vec<Bucket>,
    /// Bucket tests run (the Benjamini-Hochberg family of the final pass).
    pub tests: u64,
    /// Buckets with data too few to test.
    pub untested: u64,
    /// The incidents, highest impact first.
    pub incidents: Vec<Incident>,
}

/// One series of measures: a kind at a place, for everyone or one persona, bucket by bucket.
struct Series {
    kind: FrictionKind,
    place: Place,
    row: Option<usize>,
    measures: Vec<Measure>,
}

impl Observation<'_> {
    /// The incidents of the selected customers: see the [module](self) documentation for the
    /// method.
    ///
    /// # Arguments
    ///
    /// `selection`: which customers and interactions; `calendar`: the buckets (ISO weeks in
    /// UTC by default); `config`: the tests' settings, as for friction.
    ///
    /// # Returns
    ///
    /// An [`IncidentReport`]: the buckets and every incident, highest impact first (possibly
    /// none).
    ///
    /// # Errors
    ///
    /// [`OverTimeError::Config`] for settings out of range, [`OverTimeError::Selection`] for a
    /// selection that does not fit, [`OverTimeError::Calendar`] for a window without data or
    /// with too many buckets, [`OverTimeError::TooFewBuckets`] below [`MIN_BUCKETS`].
    ///
    /// # Complexity
    ///
    /// One pass over the selected interactions, then O(B·K·(T + S)·P) for B buckets, K kinds,
    /// T touchpoints, S stages and P personas, and O(m log m) for the correction over m tests.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::{Calendar, FrictionConfig, Granularity, Observation, Selection};
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
    /// let (log, _) = builder.finish();
    /// let observation = Observation::new(&journey, &log)?;
    /// let report = observation.incidents(&Selection::all(), &Calendar::new(Granularity::Month), &FrictionConfig::default())?;
    /// // The sample plants a month-long outage of the fee comparison tool.
    /// let outage = report.incidents.iter().find(|i| i.location.to_string() == "comparison-tool").ok_or("no outage")?;
    /// assert_eq!(outage.start.to_string(), "2026-03-01T00:00:00Z");
    /// # Ok(())
    /// # }
    /// ```
    pub fn incidents(
        &self,
        selection: &Selection,
        calendar: &Calendar,
        config: &FrictionConfig,
    ) -> Result<IncidentReport, OverTimeError> {
        let (buckets, parts) = by_bucket(self, selection, calendar, config)?;
        if buckets.len() < MIN_BUCKETS {
            return Err(OverTimeError::TooFewBuckets {
                buckets: buckets.len(),
                needed: MIN_BUCKETS,
            });
        }
        Ok(incidents_of(
            self.journey(),
            calendar,
            buckets,
            &parts,
            config,
        ))
    }
}

/// The measure of one series in one bucket.
fn measure_in(
    layout: &Layout<'_>,
    counts: &FrictionCounts,
    kind: FrictionKind,
    place: Place,
    rows: &[usize],
) -> Measure {
    match (kind, place) {
        (FrictionKind::Surge, Place::Touchpoint(tp)) => {
            let customers: u64 = rows.iter().map(|&r| counts.row_customers[r][0]).sum();
            let here: u64 = rows.iter().map(|&r| counts.cell(r, tp).visitors).sum();
            Measure::rate([customers, here], customers)
        }
        (_, Place::Stage(stage)) => layout.measure_of(kind, place, stage, rows),
        _ => {
            if layout.eligible(kind, place) {
                layout.measure_of(kind, place, 0, rows)
            } else {
                Measure::Empty
            }
        }
    }
}

fn incidents_of(
    journey: &Journey,
    calendar: &Calendar,
    buckets: Vec<Bucket>,
    parts: &[FrictionCounts],
    config: &FrictionConfig,
) -> IncidentReport {
    let b = buckets.len();
    let rows = parts.first().map_or(1, |p| p.rows);
    let personas = rows - 1;
    let everyone: Vec<usize> = (0..rows).collect();
    let layouts: Vec<Layout<'_>> = parts.iter().map(|c| Layout::new(journey, c)).collect();
    let t = journey.touchpoints().len();
    let s = journey.stages().len();

    // Every series: kinds at touchpoints (and surges), handoffs at stages.
    let kinds: Vec<FrictionKind> = FrictionKind::ALL
        .into_iter()
        .filter(|k| {
            !k.is_structural() && *k != FrictionKind::MissedServiceLevel && !config.skip.contains(k)
        })
        .collect();
    let mut row_sets: Vec<(Option<usize>, Vec<usize>)> = vec![(None, everyone.clone())];
    if config.persona_lens && personas > 1 {
        row_sets.extend((0..personas).map(|r| (Some(r), vec![r])));
    }
    let mut series: Vec<Series> = Vec::new();
    for &kind in &kinds {
        let places: Vec<Place> = if kind == FrictionKind::SlowHandoff {
            (0..s).map(Place::Stage).collect()
        } else {
            (0..t).map(Place::Touchpoint).collect()
        };
        for &place in &places {
            for (row, set) in &row_sets {
                let measures: Vec<Measure> = (0..b)
                    .map(|i| measure_in(&layouts[i], &parts[i], kind, place, set))
                    .collect();
                if measures.iter().any(|m| m.size() > 0) {
                    series.push(Series {
                        kind,
                        place,
                        row: *row,
                        measures,
                    });
                }
            }
        }
    }

    // Each bucket against the same place in the other buckets (of the same weekday, for
    // days), twice: the second time without the buckets the first flagged.
    let season = match calendar.current_granularity() {
        Granularity::Day => 7,
        _ => 1,
    };
    let mut excluded: Vec<Vec<bool>> = vec![vec![false; b]; series.len()];
    let mut flagged: Vec<Vec<Option<f64>>> = vec![vec![None; b]; series.len()];
    let mut tests = 0;
    let mut untested = 0;
    for _pass in 0..2 {
        let mut family: Vec<(usize, usize, f64, bool)> = Vec::new();
        untested = 0;
        for (si, one) in series.iter().enumerate() {
            let mut totals = vec![Measure::Empty; season];
            for (bi, m) in one.measures.iter().enumerate() {
                if !excluded[si][bi] {
                    totals[bi % season] = totals[bi % season].add(*m);
                }
            }
            for (bi, m) in one.measures.iter().enumerate() {
                if m.size() == 0 {
                    continue;
                }
                let rest = if excluded[si][bi] {
                    totals[bi % season]
                } else {
                    totals[bi % season].without(*m)
                };
                match test(*m, Against::Peers(rest), config) {
                    Some(tested) => family.push((si, bi, tested.p, tested.big_enough)),
                    None => untested += 1,
                }
            }
        }
        let q = benjamini_hochberg(&family.iter().map(|f| f.2).collect::<Vec<_>>());
        tests = family.len() as u64;
        flagged = vec![vec![None; b]; series.len()];
        for ((si, bi, _, big), q) in family.iter().zip(q) {
            if *big && q <= config.max_q {
                flagged[*si][*bi] = Some(q);
            }
        }
        excluded = flagged
            .iter()
            .map(|f| f.iter().map(Option::is_some).collect())
            .collect();
    }

    // The persona lens, as friction applies it: in a bucket flagged for everyone where some
    // personas are flagged too, the friction is theirs alone when the other personas, pooled,
    // were tested against their own history and show no such departure; otherwise it is
    // everyone's, and the persona flags of that bucket are not reported apart.
    let index_of = |kind: FrictionKind, place: Place, row: Option<usize>| {
        series
            .iter()
            .position(|one| one.kind == kind && one.place == place && one.row == row)
    };
    let mut keep: Vec<Vec<bool>> = flagged
        .iter()
        .map(|f| f.iter().map(Option::is_some).collect())
        .collect();
    for (si, one) in series.iter().enumerate() {
        if one.row.is_some() {
            continue;
        }
        for bi in 0..b {
            if flagged[si][bi].is_none() {
                continue;
            }
            let suffering: Vec<usize> = (0..personas)
                .filter(|&r| {
                    index_of(one.kind, one.place, Some(r)).is_some_and(|i| flagged[i][bi].is_some())
                })
                .collect();
            if suffering.is_empty() {
                continue;
            }
            let others: Vec<usize> = (0..rows).filter(|r| !suffering.contains(r)).collect();
            let theirs: Vec<Measure> = (0..b)
                .map(|i| measure_in(&layouts[i], &parts[i], one.kind, one.place, &others))
                .collect();
            let rest = (0..b)
                .filter(|&i| i != bi && flagged[si][i].is_none() && i % season == bi % season)
                .fold(Measure::Empty, |acc, i| acc.add(theirs[i]));
            let alone =
                test(theirs[bi], Against::Peers(rest), config).is_some_and(|t| !t.big_enough);
            if alone {
                keep[si][bi] = false;
            } else {
                for &r in &suffering {
                    if let Some(i) = index_of(one.kind, one.place, Some(r)) {
                        keep[i][bi] = false;
                    }
                }
            }
        }
    }
    // Runs per kind and place: adjacent buckets flagged for anyone form one incident. It is
    // one persona's when that persona alone was flagged in every bucket of the run, otherwise
    // everyone's.
    let mut incidents = Vec::new();
    for (si, one) in series.iter().enumerate() {
        if one.row.is_some() {
            continue;
        }
        let personas_of: Vec<(usize, usize)> = (0..personas)
            .filter_map(|r| index_of(one.kind, one.place, Some(r)).map(|i| (r, i)))
            .collect();
        let any = |bi: usize| keep[si][bi] || personas_of.iter().any(|&(_, i)| keep[i][bi]);
        let mut bi = 0;
        while bi < b {
            if !any(bi) {
                bi += 1;
                continue;
            }
            let start = bi;
            while bi < b && any(bi) {
                bi += 1;
            }
            let run = start..bi;
            let alone: Vec<usize> = if run.clone().any(|i| keep[si][i]) {
                Vec::new()
            } else {
                personas_of
                    .iter()
                    .filter(|&&(_, i)| run.clone().all(|j| keep[i][j]))
                    .map(|&(_, i)| i)
                    .collect()
            };
            let owners: Vec<usize> = if alone.is_empty() { vec![si] } else { alone };
            for owner in owners {
                if let Some(incident) = incident(
                    journey,
                    calendar,
                    &buckets,
                    parts,
                    &series[owner],
                    &flagged[owner],
                    run.clone(),
                    config,
                ) {
                    incidents.push(incident);
                }
            }
        }
    }
    incidents.sort_by(|a, b| {
        b.impact
            .total_cmp(&a.impact)
            .then(a.start.cmp(&b.start))
            .then(a.kind.cmp(&b.kind))
    });
    IncidentReport {
        granularity: calendar.current_granularity(),
        buckets,
        tests,
        untested,
        incidents,
    }
}

/// The incident of a run of flagged buckets of one series.
#[allow(clippy::too_many_arguments)]
fn incident(
    journey: &Journey,
    calendar: &Calendar,
    buckets: &[Bucket],
    parts: &[FrictionCounts],
    one: &Series,
    flagged: &[Option<f64>],
    run: std::ops::Range<usize>,
    config: &FrictionConfig,
) -> Option<Incident> {
    let rows: Vec<usize> = match one.row {
        Some(r) => vec![r],
        None => (0..parts.first()?.rows).collect(),
    };
    let mut merged = parts[run.start].clone();
    for part in &parts[run.start + 1..run.end] {
        merged.merge(part.clone()).ok()?;
    }
    let layout = Layout::new(journey, &merged);
    let observed = measure_in(&layout, &merged, one.kind, one.place, &rows);
    let rest = one
        .measures
        .iter()
        .enumerate()
        .filter(|(bi, _)| !run.contains(bi) && flagged[*bi].is_none())
        .fold(Measure::Empty, |acc, (_, m)| acc.add(*m));
    let tested = test(observed, Against::Peers(rest), config)?;
    let q = run
        .clone()
        .filter_map(|bi| flagged[bi])
        .fold(1.0_f64, f64::min);
    let peak = run.clone().max_by(|&a, &b| {
        let v = |bi: usize| one.measures[bi].value().unwrap_or(f64::NEG_INFINITY);
        v(a).total_cmp(&v(b)).then(b.cmp(&a))
    })?;
    let entry = Entry {
        kind: one.kind,
        place: one.place,
        target: None,
        row: one.row,
        baseline: Baseline::History,
        tested,
    };
    let unit = one.kind.unit();
    let value = |v: f64| match unit {
        Unit::Share => percent(v),
        Unit::Seconds => human_seconds(v),
    };
    let period = calendar.current_granularity().as_str();
    let against = format!("against {} in its other {period}s", value(tested.baseline));
    let (affected, lost, metric) = if one.kind == FrictionKind::Surge {
        let excess = (tested.observed - tested.baseline) * tested.n as f64;
        (
            excess.max(0.0).round() as u64,
            None,
            one.kind.metric().to_owned(),
        )
    } else {
        let point = point(&layout, &entry, q, &rows);
        let metric = point
            .evidence
            .as_ref()
            .map_or_else(|| one.kind.metric().to_owned(), |e| e.metric.clone());
        (point.customers_affected, point.lost_conversions, metric)
    };
    let zone = calendar.zone();
    let day = |t: Timestamp| t.to_zoned_datetime(zone.clone()).date();
    let start = buckets[run.start].start;
    let end = buckets[run.end - 1].end;
    let last_day = end
        .checked_sub(jiff::SignedDuration::from_millis(1))
        .unwrap_or(end);
    let count = run.len();
    let said = sentence(&layout, &entry, &against);
    let summary = format!(
        "From {} to {} ({count} {period}{}): {said}",
        day(start),
        day(last_day),
        if count == 1 { "" } else { "s" },
    );
    let severity = tested.severity.max(0.0);
    Some(Incident {
        kind: one.kind,
        location: super::detect::location(journey, one.place),
        persona: one.row.map(|r| journey.personas()[r].id.clone()),
        start,
        end,
        peak: buckets[peak].start,
        buckets: count as u32,
        metric,
        unit,
        observed: tested.observed,
        baseline: tested.baseline,
        interval: tested.interval(),
        sample_size: tested.units,
        baseline_sample_size: tested.baseline_n,
        q,
        severity,
        customers_affected: affected,
        lost_conversions: lost,
        impact: severity * affected as f64,
        summary,
    })
}
