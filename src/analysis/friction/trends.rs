//! Trends: volume, customers, conversion and every friction measure, bucket by bucket, for the
//! journey, each touchpoint, stage, channel and persona.

use serde::{Deserialize, Serialize};

use super::config::FrictionConfig;
use super::counts::FrictionCounts;
use super::detect::Measure;
use super::periods::{OverTimeError, by_bucket};
use super::report::FrictionKind;
use crate::analysis::{Bucket, Calendar, Granularity, Observation, Selection};
use crate::stats::{Interval, Rate};
use crate::{Channel, Journey, PersonaId, StageId, TouchpointId};

/// Whose series it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TrendGroup {
    /// Every touchpoint, pooled.
    Journey,
    /// One touchpoint.
    Touchpoint(TouchpointId),
    /// The touchpoints of a stage, pooled.
    Stage(StageId),
    /// The touchpoints of a channel, pooled.
    Channel(Channel),
    /// One persona's customers at every touchpoint, pooled; `None` for customers without one.
    Persona(Option<PersonaId>),
}

/// What a series measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TrendMeasure {
    /// Interactions.
    Interactions,
    /// Customers with an interaction there (a customer counts once per touchpoint).
    Customers,
    /// The share of those customers who reached a goal (for a persona: of the persona's
    /// customers who started in the bucket).
    Conversion,
    /// A friction measure: a share, or a typical time (see [`FrictionKind::metric`]).
    Friction(FrictionKind),
}

/// One value of a series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrendValue {
    /// The value; `None` without data.
    pub value: Option<f64>,
    /// Its observations (for counts, the count).
    pub sample_size: u64,
    /// Its 95% interval, for shares and times.
    pub interval: Option<Interval>,
}

/// A series over the buckets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrendSeries {
    /// Whose.
    pub group: TrendGroup,
    /// What.
    pub measure: TrendMeasure,
    /// One value per bucket.
    pub values: Vec<TrendValue>,
}

/// The journey's totals in one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrendPoint {
    /// Customers who started in the bucket.
    pub customers: u64,
    /// Their interactions.
    pub interactions: u64,
    /// Of them, who reached a goal.
    pub converted: u64,
    /// `converted / customers`.
    pub conversion: Option<Rate>,
}

/// Every series, bucket by bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Trends {
    /// The bucket size.
    pub granularity: Granularity,
    /// The buckets, in time order.
    pub buckets: Vec<Bucket>,
    /// The journey's totals per bucket.
    pub journey: Vec<TrendPoint>,
    /// Every series.
    pub series: Vec<TrendSeries>,
}

impl Trends {
    /// The series of `measure` for `group`, when there is one.
    pub fn series(&self, group: &TrendGroup, measure: TrendMeasure) -> Option<&TrendSeries> {
        self.series
            .iter()
            .find(|s| &s.group == group && s.measure == measure)
    }
}

/// The kinds a trend follows: those measured in each touchpoint's counts (not the map's
/// structure, handoffs between touchpoints, service levels or surges).
fn followed(kind: FrictionKind) -> bool {
    !kind.is_structural()
        && !matches!(
            kind,
            FrictionKind::SlowHandoff | FrictionKind::MissedServiceLevel | FrictionKind::Surge
        )
}

impl Observation<'_> {
    /// Trends of the selected customers, each in the bucket of their first selected
    /// interaction.
    ///
    /// # Arguments
    ///
    /// `selection`: which customers; `calendar`: the buckets; `config`: the repeat window and
    /// FCR rule behind repeat contacts, and the kinds to leave out (`skip`).
    ///
    /// # Returns
    ///
    /// [`Trends`]: the buckets, the journey's customers, interactions and conversion per
    /// bucket, and for the journey, each touchpoint, stage, channel and persona the series of
    /// interactions, customers, conversion and every friction measure, each value with its
    /// sample size and interval. Shares pooled over several touchpoints count a customer once per touchpoint.
    ///
    /// # Errors
    ///
    /// As [`Observation::incidents`], without a least number of buckets.
    ///
    /// # Complexity
    ///
    /// One pass over the selected interactions, then O(B·K·T·P).
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::friction::{TrendGroup, TrendMeasure};
    /// use journey_map::analysis::{Calendar, FrictionConfig, FrictionKind, Granularity, Observation, Selection};
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
    /// let (log, _) = builder.finish();
    /// let trends = Observation::new(&journey, &log)?.trends(&Selection::all(), &Calendar::new(Granularity::Month), &FrictionConfig::default())?;
    /// let tool = TrendGroup::Touchpoint("comparison-tool".into());
    /// let failures = trends.series(&tool, TrendMeasure::Friction(FrictionKind::Failure)).ok_or("no series")?;
    /// // March (the third month) is the outage.
    /// let worst = failures.values.iter().enumerate().max_by(|a, b| a.1.value.partial_cmp(&b.1.value).unwrap()).map(|(i, _)| i);
    /// assert_eq!(worst, Some(2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn trends(
        &self,
        selection: &Selection,
        calendar: &Calendar,
        config: &FrictionConfig,
    ) -> Result<Trends, OverTimeError> {
        let (buckets, parts) = by_bucket(self, selection, calendar, config)?;
        Ok(trends_of(self.journey(), calendar, buckets, &parts, config))
    }
}

fn trends_of(
    journey: &Journey,
    calendar: &Calendar,
    buckets: Vec<Bucket>,
    parts: &[FrictionCounts],
    config: &FrictionConfig,
) -> Trends {
    let tps = journey.touchpoints();
    let t = tps.len();
    let rows = parts.first().map_or(1, |p| p.rows);
    let every_row: Vec<usize> = (0..rows).collect();
    // Each group as (rows, touchpoints).
    let mut groups: Vec<(TrendGroup, Vec<usize>, Vec<usize>)> =
        vec![(TrendGroup::Journey, every_row.clone(), (0..t).collect())];
    groups.extend(tps.iter().enumerate().map(|(i, tp)| {
        (
            TrendGroup::Touchpoint(tp.id.clone()),
            every_row.clone(),
            vec![i],
        )
    }));
    for stage in journey.stages() {
        let members = (0..t).filter(|&i| tps[i].stage == stage.id).collect();
        groups.push((
            TrendGroup::Stage(stage.id.clone()),
            every_row.clone(),
            members,
        ));
    }
    let mut channels: Vec<&Channel> = Vec::new();
    for tp in tps {
        if !channels.contains(&&tp.channel) {
            channels.push(&tp.channel);
        }
    }
    for channel in channels {
        let members = (0..t).filter(|&i| tps[i].channel == *channel).collect();
        groups.push((
            TrendGroup::Channel(channel.clone()),
            every_row.clone(),
            members,
        ));
    }
    for r in 0..rows {
        let persona = journey.personas().get(r).map(|p| p.id.clone());
        groups.push((TrendGroup::Persona(persona), vec![r], (0..t).collect()));
    }

    let mut series = Vec::new();
    for (group, rows, members) in &groups {
        let count = |f: &dyn Fn(&super::counts::Cell) -> u64| -> Vec<TrendValue> {
            parts
                .iter()
                .map(|c| {
                    let n: u64 = rows
                        .iter()
                        .flat_map(|&r| members.iter().map(move |&tp| (r, tp)))
                        .map(|(r, tp)| f(c.cell(r, tp)))
                        .sum();
                    TrendValue {
                        value: Some(n as f64),
                        sample_size: n,
                        interval: None,
                    }
                })
                .collect()
        };
        series.push(TrendSeries {
            group: group.clone(),
            measure: TrendMeasure::Interactions,
            values: count(&|cell| cell.contacts[0]),
        });
        series.push(TrendSeries {
            group: group.clone(),
            measure: TrendMeasure::Customers,
            values: count(&|cell| cell.visitors),
        });
        let conversion = parts
            .iter()
            .map(|c| {
                let (n, converted) = match group {
                    TrendGroup::Journey | TrendGroup::Persona(_) => {
                        rows.iter().fold((0, 0), |(n, k), &r| {
                            (n + c.row_customers[r][0], k + c.row_customers[r][1])
                        })
                    }
                    _ => rows
                        .iter()
                        .flat_map(|&r| members.iter().map(move |&tp| (r, tp)))
                        .fold((0, 0), |(n, k), (r, tp)| {
                            let cell = c.cell(r, tp);
                            (n + cell.visitors, k + cell.visitors_converted)
                        }),
                };
                let rate = Rate::new(converted, n);
                TrendValue {
                    value: rate.map(|r| r.value),
                    sample_size: n,
                    interval: rate.map(|r| r.interval),
                }
            })
            .collect();
        series.push(TrendSeries {
            group: group.clone(),
            measure: TrendMeasure::Conversion,
            values: conversion,
        });
        for kind in FrictionKind::ALL
            .into_iter()
            .filter(|k| followed(*k) && !config.skip.contains(k))
        {
            let values = parts
                .iter()
                .map(|c| {
                    let m = rows
                        .iter()
                        .flat_map(|&r| members.iter().map(move |&tp| (r, tp)))
                        .filter(|&(_, tp)| kind != FrictionKind::DropOff || !tps[tp].is_goal)
                        .fold(Measure::Empty, |acc, (r, tp)| {
                            acc.add(Measure::of(c.cell(r, tp), kind))
                        });
                    TrendValue {
                        value: m.value(),
                        sample_size: m.units(),
                        interval: m.interval(),
                    }
                })
                .collect();
            series.push(TrendSeries {
                group: group.clone(),
                measure: TrendMeasure::Friction(kind),
                values,
            });
        }
    }
    let journey_points = parts
        .iter()
        .map(|c| TrendPoint {
            customers: c.customers,
            interactions: c.cells.iter().map(|cell| cell.contacts[0]).sum(),
            converted: c.converted,
            conversion: Rate::new(c.converted, c.customers),
        })
        .collect();
    Trends {
        granularity: calendar.current_granularity(),
        buckets,
        journey: journey_points,
        series,
    }
}
