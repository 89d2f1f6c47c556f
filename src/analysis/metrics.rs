//! CX metrics by touchpoint, stage, channel, persona, persona and touchpoint, and persona and
//! stage.
//!
//! Definitions follow the field's standard ones: outcome rates over interactions with 95%
//! Wilson intervals; NPS as % promoters (9-10) minus % detractors (0-6); CSAT as the top-two-box
//! share and the mean; CES as the mean and the share of easy answers (per [`Scales`]); waits,
//! handling times and sentiment as mean, median and p90 (exact). Every metric carries its
//! sample size, and a metric with no data is absent (`None`), never 0.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::stats::{Distribution, Rate, Summary};
use crate::{
    Channel, CustomerIndex, InteractionLog, Journey, Outcome, PersonaId, Scales, StageId,
    TouchpointId,
};

/// The raw counts of one group of interactions: what metrics are computed from. Tallies merge,
/// so a log split by customers and tallied in parts gives the same metrics as one pass.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    interactions: u64,
    customers: u64,
    outcomes: [u64; 4],
    nps: [u64; 3],
    csat_count: u64,
    csat_sum: u64,
    csat_top_two: u64,
    ces_count: u64,
    ces_sum: u64,
    ces_easy: u64,
    wait: Distribution,
    handling: Distribution,
    sentiment: Distribution,
    /// The last customer counted in `customers` (+1; 0 for none), for unique counts in a pass
    /// over customer-ordered records.
    #[serde(skip)]
    last_customer: u64,
}

impl Tally {
    /// Adds every count of `other`. The two tallies must cover different customers.
    pub fn merge(&mut self, other: Tally) {
        self.interactions += other.interactions;
        self.customers += other.customers;
        for (a, b) in self.outcomes.iter_mut().zip(other.outcomes) {
            *a += b;
        }
        for (a, b) in self.nps.iter_mut().zip(other.nps) {
            *a += b;
        }
        self.csat_count += other.csat_count;
        self.csat_sum += other.csat_sum;
        self.csat_top_two += other.csat_top_two;
        self.ces_count += other.ces_count;
        self.ces_sum += other.ces_sum;
        self.ces_easy += other.ces_easy;
        self.wait.merge(other.wait);
        self.handling.merge(other.handling);
        self.sentiment.merge(other.sentiment);
    }

    fn add(
        &mut self,
        customer: CustomerIndex,
        record: &crate::InteractionRef<'_>,
        scales: &Scales,
    ) {
        self.interactions += 1;
        let key = u64::from(customer.as_u32()) + 1;
        if self.last_customer != key {
            self.last_customer = key;
            self.customers += 1;
        }
        self.outcomes[usize::from(record.outcome() as u8)] += 1;
        if let Some(nps) = record.nps() {
            self.nps[match nps {
                9..=10 => 0,
                7..=8 => 1,
                _ => 2,
            }] += 1;
        }
        if let Some(csat) = record.csat() {
            self.csat_count += 1;
            self.csat_sum += u64::from(csat);
            self.csat_top_two += u64::from(scales.is_top_two(csat));
        }
        if let Some(ces) = record.ces() {
            self.ces_count += 1;
            self.ces_sum += u64::from(ces);
            self.ces_easy += u64::from(scales.is_easy(ces));
        }
        if let Some(wait) = record.wait() {
            self.wait.push(wait.as_secs_f64());
        }
        if let Some(handling) = record.handling() {
            self.handling.push(handling.as_secs_f64());
        }
        if let Some(sentiment) = record.sentiment() {
            self.sentiment.push(f64::from(sentiment));
        }
    }

    /// The metrics of this group.
    pub fn metrics(mut self) -> GroupMetrics {
        let n = self.interactions;
        let rate = |outcome: Outcome| Rate::new(self.outcomes[outcome as usize], n);
        let respondents = self.nps.iter().sum::<u64>();
        GroupMetrics {
            interactions: n,
            customers: self.customers,
            completion: rate(Outcome::Completed),
            abandonment: rate(Outcome::Abandoned),
            failure: rate(Outcome::Failed),
            escalation: rate(Outcome::Escalated),
            nps: (respondents > 0).then(|| Nps {
                respondents,
                promoters: self.nps[0],
                passives: self.nps[1],
                detractors: self.nps[2],
                score: 100.0 * (self.nps[0] as f64 - self.nps[2] as f64) / respondents as f64,
            }),
            csat: ScoreMetric::new(self.csat_count, self.csat_sum, self.csat_top_two),
            ces: ScoreMetric::new(self.ces_count, self.ces_sum, self.ces_easy),
            wait_seconds: self.wait.summary(),
            handling_seconds: self.handling.summary(),
            sentiment: self.sentiment.summary(),
        }
    }
}

/// Net Promoter Score of a group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Nps {
    /// Answers: the sample size.
    pub respondents: u64,
    /// Answers of 9 or 10.
    pub promoters: u64,
    /// Answers of 7 or 8.
    pub passives: u64,
    /// Answers of 0 to 6.
    pub detractors: u64,
    /// % promoters minus % detractors, from -100 to +100.
    pub score: f64,
}

/// A survey score of a group: its mean and the share of answers at the good end.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScoreMetric {
    /// Answers: the sample size.
    pub respondents: u64,
    /// The mean answer, on the log's scale.
    pub mean: f64,
    /// For CSAT the top-two-box share; for CES the share of easy answers; with its interval.
    pub good: Rate,
}

impl ScoreMetric {
    fn new(count: u64, sum: u64, good: u64) -> Option<Self> {
        Some(ScoreMetric {
            respondents: count,
            mean: sum as f64 / count as f64,
            good: Rate::new(good, count)?,
        })
    }
}

/// Every metric of one group of interactions. A metric with no data is `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupMetrics {
    /// Interactions in the group.
    pub interactions: u64,
    /// Distinct customers with an interaction in the group.
    pub customers: u64,
    /// Share of interactions completed.
    pub completion: Option<Rate>,
    /// Share of interactions abandoned.
    pub abandonment: Option<Rate>,
    /// Share of interactions failed.
    pub failure: Option<Rate>,
    /// Share of interactions escalated.
    pub escalation: Option<Rate>,
    /// Net Promoter Score.
    pub nps: Option<Nps>,
    /// CSAT mean and top-two-box share.
    pub csat: Option<ScoreMetric>,
    /// CES mean and share of easy answers.
    pub ces: Option<ScoreMetric>,
    /// Waits, in seconds.
    pub wait_seconds: Option<Summary>,
    /// Handling times, in seconds.
    pub handling_seconds: Option<Summary>,
    /// Sentiment.
    pub sentiment: Option<Summary>,
}

/// The metrics are asked of a log built for another journey.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the log was built for a journey of {log} touchpoints, not this one of {journey}")]
pub struct JourneyMismatch {
    /// Touchpoints of the log's journey.
    pub log: usize,
    /// Touchpoints of the journey given.
    pub journey: usize,
}

/// Mergeable tallies of a log's interactions by touchpoint, stage, channel, persona, persona
/// and touchpoint, and persona and stage.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::Tallies;
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv("customer,touchpoint,timestamp,outcome,csat\n\
///                   a,chatbot,2026-01-05T09:00:00Z,escalated,2\n\
///                   a,live-chat-agent,2026-01-05T09:05:00Z,completed,5\n\
///                   b,chatbot,2026-01-05T10:00:00Z,completed,4\n".as_bytes())?;
/// let (log, _) = builder.finish();
///
/// // Two halves by customer, merged, equal one pass.
/// let mut first = Tallies::of_customers(&journey, &log, 0..1)?;
/// first.merge(Tallies::of_customers(&journey, &log, 1..2)?)?;
/// let whole = Tallies::of_customers(&journey, &log, 0..2)?;
/// assert_eq!(first, whole);
///
/// let report = whole.metrics(&journey);
/// let chatbot = &report.by_touchpoint[journey.touchpoint_index("chatbot").ok_or("missing")?.index()];
/// assert_eq!((chatbot.metrics.interactions, chatbot.metrics.customers), (2, 2));
/// assert_eq!(chatbot.metrics.escalation.map(|r| r.value), Some(0.5));
/// assert_eq!(chatbot.metrics.csat.map(|c| c.mean), Some(3.0));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tallies {
    scales: Scales,
    touchpoints: Vec<Tally>,
    stages: Vec<Tally>,
    channels: Vec<Tally>,
    /// One per persona, then one for customers without a persona.
    personas: Vec<Tally>,
    /// Persona-major: `persona * touchpoints + touchpoint`, with the no-persona row last.
    persona_touchpoints: Vec<Tally>,
    /// Persona-major: `persona * stages + stage`, with the no-persona row last.
    persona_stages: Vec<Tally>,
}

/// Tallies that cannot merge: they were made for journeys or scales that differ.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tallies of different journeys or scales cannot merge")]
pub struct ShapeMismatch;

impl Tallies {
    /// Tallies the interactions of the customers in `customers` (by index; the range is clipped
    /// to the log).
    ///
    /// # Errors
    ///
    /// [`JourneyMismatch`] when the log was built for a journey with another number of
    /// touchpoints.
    ///
    /// # Complexity
    ///
    /// O(n) for n interactions, plus O(T·P) for the persona tables of T touchpoints and P
    /// personas.
    pub fn of_customers(
        journey: &Journey,
        log: &InteractionLog,
        customers: Range<usize>,
    ) -> Result<Tallies, JourneyMismatch> {
        if log.touchpoint_count() != journey.touchpoints().len() {
            return Err(JourneyMismatch {
                log: log.touchpoint_count(),
                journey: journey.touchpoints().len(),
            });
        }
        let scales = log.scales();
        let channels = distinct_channels(journey);
        let channel_of: Vec<usize> = journey
            .touchpoints()
            .iter()
            .map(|t| channels.iter().position(|c| *c == &t.channel).unwrap_or(0))
            .collect();
        let (t, s, p) = (
            journey.touchpoints().len(),
            journey.stages().len(),
            journey.personas().len() + 1,
        );
        let mut tallies = Tallies {
            scales,
            touchpoints: vec![Tally::default(); t],
            stages: vec![Tally::default(); s],
            channels: vec![Tally::default(); channels.len()],
            personas: vec![Tally::default(); p],
            persona_touchpoints: vec![Tally::default(); p * t],
            persona_stages: vec![Tally::default(); p * s],
        };
        let end = customers.end.min(log.customers().len());
        for c in customers.start.min(end)..end {
            let customer = CustomerIndex::from_u32(c as u32);
            let persona = log.persona_of(customer).map_or(p - 1, |p| p.index());
            for record in log.customer_interactions(customer) {
                let touchpoint = record.touchpoint().index();
                let stage = journey
                    .stage_index_of(record.touchpoint())
                    .map_or(0, |s| s.index());
                tallies.touchpoints[touchpoint].add(customer, &record, &scales);
                tallies.stages[stage].add(customer, &record, &scales);
                tallies.channels[channel_of[touchpoint]].add(customer, &record, &scales);
                tallies.personas[persona].add(customer, &record, &scales);
                tallies.persona_touchpoints[persona * t + touchpoint]
                    .add(customer, &record, &scales);
                tallies.persona_stages[persona * s + stage].add(customer, &record, &scales);
            }
        }
        for tally in tallies.all_mut() {
            tally.last_customer = 0;
        }
        Ok(tallies)
    }

    fn all_mut(&mut self) -> impl Iterator<Item = &mut Tally> {
        self.touchpoints
            .iter_mut()
            .chain(&mut self.stages)
            .chain(&mut self.channels)
            .chain(&mut self.personas)
            .chain(&mut self.persona_touchpoints)
            .chain(&mut self.persona_stages)
    }

    /// Adds the tallies of other customers of the same log.
    ///
    /// # Errors
    ///
    /// [`ShapeMismatch`] when `other` was made for another journey or other scales.
    pub fn merge(&mut self, other: Tallies) -> Result<(), ShapeMismatch> {
        let same_shape = self.scales == other.scales
            && self.touchpoints.len() == other.touchpoints.len()
            && self.stages.len() == other.stages.len()
            && self.channels.len() == other.channels.len()
            && self.personas.len() == other.personas.len();
        if !same_shape {
            return Err(ShapeMismatch);
        }
        for (mine, theirs) in [
            (&mut self.touchpoints, other.touchpoints),
            (&mut self.stages, other.stages),
            (&mut self.channels, other.channels),
            (&mut self.personas, other.personas),
            (&mut self.persona_touchpoints, other.persona_touchpoints),
            (&mut self.persona_stages, other.persona_stages),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.merge(b);
            }
        }
        Ok(())
    }

    /// The metrics of every group. Groups are listed even when empty (their metrics are then
    /// absent), in journey order; persona tables list customers without a persona last, as
    /// persona `None`.
    pub fn metrics(self, journey: &Journey) -> MetricsReport {
        let channels: Vec<Channel> = distinct_channels(journey).into_iter().cloned().collect();
        let personas: Vec<Option<PersonaId>> = journey
            .personas()
            .iter()
            .map(|p| Some(p.id.clone()))
            .chain([None])
            .collect();
        let t = journey.touchpoints().len();
        let s = journey.stages().len();
        MetricsReport {
            by_touchpoint: self
                .touchpoints
                .into_iter()
                .zip(journey.touchpoints())
                .map(|(tally, tp)| Keyed {
                    key: tp.id.clone(),
                    metrics: tally.metrics(),
                })
                .collect(),
            by_stage: self
                .stages
                .into_iter()
                .zip(journey.stages())
                .map(|(tally, stage)| Keyed {
                    key: stage.id.clone(),
                    metrics: tally.metrics(),
                })
                .collect(),
            by_channel: self
                .channels
                .into_iter()
                .zip(channels)
                .map(|(tally, channel)| Keyed {
                    key: channel,
                    metrics: tally.metrics(),
                })
                .collect(),
            by_persona: self
                .personas
                .into_iter()
                .zip(personas.iter().cloned())
                .map(|(tally, persona)| Keyed {
                    key: persona,
                    metrics: tally.metrics(),
                })
                .collect(),
            by_persona_touchpoint: self
                .persona_touchpoints
                .into_iter()
                .enumerate()
                .map(|(i, tally)| Keyed {
                    key: (
                        personas[i / t.max(1)].clone(),
                        journey.touchpoints()[i % t.max(1)].id.clone(),
                    ),
                    metrics: tally.metrics(),
                })
                .collect(),
            by_persona_stage: self
                .persona_stages
                .into_iter()
                .enumerate()
                .map(|(i, tally)| Keyed {
                    key: (
                        personas[i / s.max(1)].clone(),
                        journey.stages()[i % s.max(1)].id.clone(),
                    ),
                    metrics: tally.metrics(),
                })
                .collect(),
        }
    }
}

/// The distinct channels of a journey's touchpoints, in order of first use.
fn distinct_channels(journey: &Journey) -> Vec<&Channel> {
    let mut channels: Vec<&Channel> = Vec::new();
    for touchpoint in journey.touchpoints() {
        if !channels.contains(&&touchpoint.channel) {
            channels.push(&touchpoint.channel);
        }
    }
    channels
}

/// Metrics with the group they describe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Keyed<K> {
    /// The group.
    pub key: K,
    /// Its metrics.
    pub metrics: GroupMetrics,
}

/// Every metric of a log, by group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricsReport {
    /// One entry per touchpoint, in journey order.
    pub by_touchpoint: Vec<Keyed<TouchpointId>>,
    /// One entry per stage, in journey order: with mean sentiment and CSAT, the emotion curve.
    pub by_stage: Vec<Keyed<StageId>>,
    /// One entry per channel used in the journey, in order of first use.
    pub by_channel: Vec<Keyed<Channel>>,
    /// One entry per persona, then customers without one (`None`).
    pub by_persona: Vec<Keyed<Option<PersonaId>>>,
    /// Persona by touchpoint.
    pub by_persona_touchpoint: Vec<Keyed<(Option<PersonaId>, TouchpointId)>>,
    /// Persona by stage: each persona's emotion curve.
    pub by_persona_stage: Vec<Keyed<(Option<PersonaId>, StageId)>>,
}

impl MetricsReport {
    /// Every metric of `log` in one pass.
    ///
    /// # Errors
    ///
    /// [`JourneyMismatch`] when the log was built for another journey.
    ///
    /// # Complexity
    ///
    /// O(n log n) for n interactions (the percentiles sort), plus O(T·P) for T touchpoints and
    /// P personas.
    pub fn compute(
        journey: &Journey,
        log: &InteractionLog,
    ) -> Result<MetricsReport, JourneyMismatch> {
        Ok(Tallies::of_customers(journey, log, 0..log.customers().len())?.metrics(journey))
    }
}
