//! Walking simulated customers through a journey.

use jiff::{SignedDuration, Timestamp};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, LogNormal, Normal};

use super::behaviour::{
    Behaviour, BehaviourError, BehaviourProblem, CustomerSpread, Seasonality, Spread,
    TouchpointBehaviour,
};
use crate::{Interaction, Journey, Outcome, PersonaIndex, TouchpointIndex};

/// A seeded simulator of customers walking a journey: the ground truth for testing friction
/// detection, a generator of benchmark logs, and a what-if tool.
///
/// The same journey, behaviour, number of customers, seed and start give the same records,
/// on every machine: the generator is ChaCha8, whose output is fixed by its specification.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::sim::{Behaviour, Simulator};
/// use journey_map::Journey;
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let behaviour: Behaviour = ron::from_str(r#"(touchpoints: {"id-upload": (failed: Some(2.0))})"#)?;
/// let simulator = Simulator::new(&journey, &behaviour)?;
/// let records = simulator.simulate(100, 7, "2026-01-05T09:00:00Z".parse()?);
/// assert!(records.len() >= 100);
/// assert_eq!(records, simulator.simulate(100, 7, "2026-01-05T09:00:00Z".parse()?));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Simulator<'j> {
    journey: &'j Journey,
    /// Persona-major behaviour: `persona * touchpoints + touchpoint`; one persona row (index 0,
    /// no persona) when the journey has no personas.
    conduct: Vec<TouchpointBehaviour>,
    /// Persona weights; `None` stands for "no persona".
    personas: Vec<(Option<usize>, f64)>,
    /// Entry weights per persona row.
    entries: Vec<Vec<(usize, f64)>>,
    /// For each touchpoint, where flows lead and with which probability; the rest leaves.
    /// Transition probabilities per persona row and touchpoint, row-major.
    next: Vec<Vec<(usize, f64)>>,
    off_map: f64,
    max_steps: u32,
    between_customers: Exp<f64>,
    between_steps: Exp<f64>,
    /// Delays along given moves: (from, to, delay), sorted.
    delays: Vec<(usize, usize, Spread)>,
    customers: CustomerSpread,
    incidents: Vec<Active>,
    seasonality: Seasonality,
}

/// An incident, resolved: its window, the persona row it hits, and its behaviour and flows
/// where it changes them.
#[derive(Debug, Clone)]
struct Active {
    from: Timestamp,
    to: Timestamp,
    row: Option<usize>,
    /// By persona row and touchpoint.
    conduct: Vec<Option<TouchpointBehaviour>>,
    /// By touchpoint.
    next: Vec<Option<Vec<(usize, f64)>>>,
}

impl<'j> Simulator<'j> {
    /// Checks `behaviour` against `journey` and prepares the walk.
    ///
    /// # Errors
    ///
    /// [`BehaviourError`] listing every problem: unknown touchpoints or personas (with
    /// suggestions), and numbers outside their range.
    pub fn new(journey: &'j Journey, behaviour: &Behaviour) -> Result<Self, BehaviourError> {
        let problems = behaviour.problems(journey);
        if !problems.is_empty() {
            return Err(BehaviourError { problems });
        }
        let t = journey.touchpoints().len();
        let persona_rows: Vec<Option<usize>> = if journey.personas().is_empty() {
            vec![None]
        } else {
            (0..journey.personas().len()).map(Some).collect()
        };
        let mut conduct = Vec::with_capacity(persona_rows.len() * t);
        let mut personas = Vec::with_capacity(persona_rows.len());
        let mut entries = Vec::with_capacity(persona_rows.len());
        let journey_entries: Vec<(usize, f64)> = (0..t)
            .filter(|&i| journey.touchpoints()[i].is_entry)
            .map(|i| (i, 1.0))
            .collect();
        for row in &persona_rows {
            let own = row.and_then(|p| behaviour.personas.get(&journey.personas()[p].id));
            let weight = match own {
                Some(own) => own.weight,
                None if behaviour.personas.is_empty() => 1.0,
                None => 0.0,
            };
            personas.push((*row, weight));
            let own_entries: Vec<(usize, f64)> = own
                .map(|o| {
                    o.entries
                        .iter()
                        .filter_map(|(id, w)| {
                            journey
                                .touchpoint_index(id.as_str())
                                .map(|i| (i.index(), *w))
                        })
                        .collect()
                })
                .unwrap_or_default();
            entries.push(if own_entries.iter().any(|(_, w)| *w > 0.0) {
                own_entries
            } else {
                journey_entries.clone()
            });
            for touchpoint in journey.touchpoints() {
                let mut b = behaviour.default;
                if let Some(change) = behaviour.channels.get(&touchpoint.channel) {
                    b = change.apply(b);
                }
                if let Some(change) = behaviour.touchpoints.get(&touchpoint.id) {
                    b = change.apply(b);
                }
                if let Some(change) = own.and_then(|o| o.touchpoints.get(&touchpoint.id)) {
                    b = change.apply(b);
                }
                conduct.push(b);
            }
        }
        if personas.iter().all(|(_, w)| *w <= 0.0) {
            personas.iter_mut().for_each(|p| p.1 = 1.0);
        }
        let designed: Vec<Vec<(usize, f64)>> = (0..t)
            .map(|i| {
                let flows = journey
                    .flows_from(journey.touchpoints()[i].id.as_str())
                    .unwrap_or_default();
                let given: f64 = flows.iter().filter_map(|f| f.expected_share).sum();
                let unshared = flows.iter().filter(|f| f.expected_share.is_none()).count();
                let rest = if unshared > 0 {
                    (1.0 - given).max(0.0) / unshared as f64
                } else {
                    0.0
                };
                flows
                    .iter()
                    .filter_map(|f| {
                        let to = journey.touchpoint_index(f.to.as_str())?.index();
                        Some((to, f.expected_share.unwrap_or(rest)))
                    })
                    .collect()
            })
            .collect();
        let given = |shares: &std::collections::BTreeMap<crate::TouchpointId, f64>| {
            shares
                .iter()
                .filter_map(|(to, share)| {
                    Some((journey.touchpoint_index(to.as_str())?.index(), *share))
                })
                .collect::<Vec<_>>()
        };
        let mut next = Vec::with_capacity(persona_rows.len() * t);
        for row in &persona_rows {
            let own = row.and_then(|p| behaviour.personas.get(&journey.personas()[p].id));
            for (i, touchpoint) in journey.touchpoints().iter().enumerate() {
                let shares = own
                    .and_then(|o| o.flows.get(&touchpoint.id))
                    .or_else(|| behaviour.flows.get(&touchpoint.id));
                next.push(shares.map_or_else(|| designed[i].clone(), given));
            }
        }
        let exp = |field: &str, minutes: f64| {
            Exp::new(1.0 / (minutes * 60.0)).map_err(|_| BehaviourError {
                problems: vec![BehaviourProblem::OutOfRange {
                    at: "behaviour".to_owned(),
                    field: field.to_owned(),
                    value: minutes,
                    expected: "a positive number of minutes".to_owned(),
                }],
            })
        };
        let between_customers = exp(
            "minutes_between_customers",
            behaviour.minutes_between_customers,
        )?;
        let between_steps = exp("minutes_between_steps", behaviour.minutes_between_steps)?;
        let mut delays: Vec<(usize, usize, Spread)> = Vec::new();
        for (from, to_delays) in &behaviour.delays {
            for (to, delay) in to_delays {
                if let (Some(a), Some(b)) = (
                    journey.touchpoint_index(from.as_str()),
                    journey.touchpoint_index(to.as_str()),
                ) {
                    delays.push((a.index(), b.index(), *delay));
                }
            }
        }
        delays.sort_by_key(|d| (d.0, d.1));
        let mut incidents = Vec::with_capacity(behaviour.incidents.len());
        for incident in &behaviour.incidents {
            let row = incident
                .persona
                .as_ref()
                .and_then(|p| journey.persona_index(p.as_str()))
                .and_then(|p| persona_rows.iter().position(|r| *r == Some(p.index())));
            let conduct = (0..persona_rows.len() * t)
                .map(|i| {
                    let touchpoint = &journey.touchpoints()[i % t];
                    incident
                        .touchpoints
                        .get(&touchpoint.id)
                        .map(|change| change.apply(conduct[i]))
                })
                .collect();
            let next = journey
                .touchpoints()
                .iter()
                .map(|touchpoint| incident.flows.get(&touchpoint.id).map(given))
                .collect();
            incidents.push(Active {
                from: incident.from,
                to: incident.to,
                row,
                conduct,
                next,
            });
        }
        Ok(Self {
            journey,
            conduct,
            personas,
            entries,
            next,
            off_map: behaviour.off_map,
            max_steps: behaviour.max_steps,
            between_customers,
            between_steps,
            delays,
            customers: behaviour.customers,
            incidents,
            seasonality: behaviour.seasonality.clone(),
        })
    }

    /// Simulates `customers` customers, the first starting at `start`, and returns their
    /// interactions, customer by customer, each customer's in time order. The persona is given
    /// on each customer's first interaction. The need key is the id of the touchpoint where
    /// the need was raised: retries and repeats of one touchpoint, and the touchpoint a customer
    /// is escalated or handed over to, carry the same need (repeat contacts); moving on to
    /// another touchpoint raises a new one.
    ///
    /// # Complexity
    ///
    /// O(customers × max_steps × d) for touchpoints of at most d flows.
    pub fn simulate(&self, customers: usize, seed: u64, start: Timestamp) -> Vec<Interaction> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut records = Vec::new();
        let mut arrival = start;
        let t = self.journey.touchpoints().len();
        for customer in 0..customers {
            let gap = self.between_customers.sample(&mut rng);
            arrival = add_seconds(arrival, gap / self.seasonality.weight(arrival));
            let row = pick(&mut rng, self.personas.iter().map(|p| p.1)).unwrap_or(0);
            let persona = self.personas[row].0;
            let Some(entry) = pick(&mut rng, self.entries[row].iter().map(|e| e.1))
                .map(|i| self.entries[row][i].0)
            else {
                continue;
            };
            let id = format!("c{customer:06}");
            // Who this customer is: a time factor and a mood, drawn only when customers differ
            // (so that a model without them draws the same numbers as before).
            let time_factor = if self.customers.time > 0.0 {
                normal(&mut rng, 0.0, self.customers.time).exp()
            } else {
                1.0
            };
            let mood = if self.customers.mood > 0.0 {
                normal(&mut rng, 0.0, self.customers.mood)
            } else {
                0.0
            };
            let mut at = arrival;
            let mut here = entry;
            // The touchpoint where the customer's current need was raised: a retry, a repeat
            // of the same touchpoint or a hand-over after an escalation keeps the need.
            let mut need = entry;
            for step in 0..self.max_steps {
                // An incident active now, for this customer, changes what happens here.
                let active: Option<&Active> = self
                    .incidents
                    .iter()
                    .find(|a| a.from <= at && at < a.to && a.row.is_none_or(|r| r == row));
                let b = active
                    .and_then(|a| a.conduct[row * t + here].as_ref())
                    .unwrap_or(&self.conduct[row * t + here]);
                let outcome =
                    Outcome::ALL[pick(&mut rng, [b.completed, b.abandoned, b.failed, b.escalated])
                        .unwrap_or(0)];
                let touchpoint = &self.journey.touchpoints()[here];
                let mut record = Interaction::new(id.clone(), touchpoint.id.clone(), at, outcome)
                    .with_wait_seconds(spread(
                        &mut rng,
                        b.wait_seconds.median * time_factor,
                        b.wait_seconds.spread,
                    ))
                    .with_handling_seconds(spread(
                        &mut rng,
                        b.handling_seconds.median * time_factor,
                        b.handling_seconds.spread,
                    ))
                    .with_need(self.journey.touchpoints()[need].id.as_str())
                    .with_resolved(outcome == Outcome::Completed && rng.random_bool(b.resolves));
                if step == 0
                    && let Some(p) = persona
                {
                    record = record.with_persona(self.journey.personas()[p].id.clone());
                }
                if rng.random_bool(b.survey_share) {
                    record = record
                        .with_csat(score(&mut rng, b.csat + mood, 0.9, 1.0, 5.0) as u8)
                        .with_ces(score(&mut rng, b.ces + mood * 1.5, 1.0, 1.0, 7.0) as u8)
                        .with_nps(score(&mut rng, b.nps + mood * 2.5, 1.5, 0.0, 10.0) as u8)
                        .with_sentiment(
                            (normal(&mut rng, b.sentiment + mood * 0.5, 0.3).clamp(-1.0, 1.0)
                                * 100.0)
                                .round()
                                / 100.0,
                        );
                }
                let busy =
                    record.wait_seconds.unwrap_or(0.0) + record.handling_seconds.unwrap_or(0.0);
                records.push(record);
                // Drawn here, before the next touchpoint, whether or not a delay replaces it,
                // so that a model without delays draws the same numbers as before.
                let usual = self.between_steps.sample(&mut rng);
                let next = match outcome {
                    Outcome::Abandoned | Outcome::Failed => {
                        if rng.random_bool(b.retry) {
                            here
                        } else {
                            break;
                        }
                    }
                    _ => {
                        if rng.random_bool(self.off_map) {
                            rng.random_range(0..t)
                        } else {
                            let flows = active
                                .and_then(|a| a.next[here].as_ref())
                                .unwrap_or(&self.next[row * t + here]);
                            let leave = (1.0 - flows.iter().map(|f| f.1).sum::<f64>()).max(0.0);
                            match pick(&mut rng, flows.iter().map(|f| f.1).chain([leave])) {
                                Some(i) if i < flows.len() => flows[i].0,
                                _ => break,
                            }
                        }
                    }
                };
                let between = match self
                    .delays
                    .binary_search_by_key(&(here, next), |d| (d.0, d.1))
                {
                    Ok(i) => spread(&mut rng, self.delays[i].2.median, self.delays[i].2.spread),
                    Err(_) => usual,
                };
                at = add_seconds(at, busy + between);
                if next != here && outcome != Outcome::Escalated {
                    need = next;
                }
                here = next;
            }
        }
        records
    }

    /// The journey simulated.
    pub fn journey(&self) -> &'j Journey {
        self.journey
    }

    /// The behaviour of one persona (`None` for a journey without personas) at one
    /// touchpoint, after every change.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::sim::{Behaviour, Simulator};
    /// let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let behaviour = Behaviour::load("examples/data/retail_bank.behaviour.ron")?;
    /// let simulator = Simulator::new(&journey, &behaviour)?;
    /// let native = journey.persona_index("digital-native");
    /// let upload = journey.touchpoint_index("id-upload").ok_or("missing")?;
    /// assert_eq!(simulator.behaviour_at(native, upload).map(|b| b.failed), Some(0.6));
    /// # Ok(())
    /// # }
    /// ```
    pub fn behaviour_at(
        &self,
        persona: Option<PersonaIndex>,
        touchpoint: TouchpointIndex,
    ) -> Option<&TouchpointBehaviour> {
        let persona = persona.map(|p| p.index());
        let row = self.personas.iter().position(|p| p.0 == persona)?;
        self.conduct
            .get(row * self.journey.touchpoints().len() + touchpoint.index())
    }
}

/// An index drawn in proportion to `weights`; `None` when they sum to 0.
fn pick(rng: &mut ChaCha8Rng, weights: impl IntoIterator<Item = f64> + Clone) -> Option<usize> {
    let total: f64 = weights.clone().into_iter().sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let mut target = rng.random::<f64>() * total;
    let mut last = None;
    for (i, w) in weights.into_iter().enumerate() {
        if w > 0.0 {
            last = Some(i);
            if target < w {
                return Some(i);
            }
            target -= w;
        }
    }
    last
}

fn normal(rng: &mut ChaCha8Rng, mean: f64, sd: f64) -> f64 {
    Normal::new(mean, sd).map_or(mean, |n| n.sample(rng))
}

/// A whole-number answer near `mean`, within `min..=max`.
fn score(rng: &mut ChaCha8Rng, mean: f64, sd: f64, min: f64, max: f64) -> f64 {
    normal(rng, mean, sd).round().clamp(min, max)
}

/// A duration in whole seconds, log-normal around `median`, cut to the longest duration a log
/// stores so that every record the simulator writes is one its log accepts.
fn spread(rng: &mut ChaCha8Rng, median: f64, spread: f64) -> f64 {
    LogNormal::new(median.ln(), spread)
        .map_or(median, |d| d.sample(rng))
        .round()
        .min(crate::interactions::MAX_DURATION_SECONDS)
}

fn add_seconds(at: Timestamp, seconds: f64) -> Timestamp {
    at.checked_add(SignedDuration::from_millis((seconds * 1000.0) as i64))
        .unwrap_or(at)
}
