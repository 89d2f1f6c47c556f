//! The behaviour model: how simulated customers act at each touchpoint.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Channel, Journey, PersonaId, TouchpointId, UnknownIdError};

/// A positive quantity spread around its median: log-normal, with `median` and the standard
/// deviation `spread` of its logarithm (0.5 is a moderate spread, 1.0 a wide one).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spread {
    /// The median, in seconds.
    pub median: f64,
    /// The standard deviation of the logarithm.
    pub spread: f64,
}

/// How customers act at one touchpoint. Every field has a default; see [`Default`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct TouchpointBehaviour {
    /// Relative weight of a completed interaction.
    pub completed: f64,
    /// Relative weight of an abandoned one: the customer gives up.
    pub abandoned: f64,
    /// Relative weight of a failed one.
    pub failed: f64,
    /// Relative weight of an escalated one.
    pub escalated: f64,
    /// Wait before being served.
    pub wait_seconds: Spread,
    /// Time the interaction takes.
    pub handling_seconds: Spread,
    /// Share of interactions with a survey answer (CSAT, CES, NPS, sentiment).
    pub survey_share: f64,
    /// Mean CSAT answer on 1-5.
    pub csat: f64,
    /// Mean CES answer on 1-7, higher is easier.
    pub ces: f64,
    /// Mean NPS answer on 0-10.
    pub nps: f64,
    /// Mean sentiment on -1..=1.
    pub sentiment: f64,
    /// After an abandoned or failed interaction, the probability that the customer tries the
    /// same touchpoint again (a repeat contact about the same need) instead of leaving.
    pub retry: f64,
    /// The probability that a completed interaction resolves the customer's need.
    pub resolves: f64,
}

impl Default for TouchpointBehaviour {
    /// A healthy touchpoint: 90% completed, 4% abandoned, 3% failed, 3% escalated; waits of a
    /// minute, handling of three; CSAT 4.2, CES 5.8, NPS 8, sentiment 0.3 on a fifth of
    /// interactions; a 30% retry after trouble; 85% of completions resolve the need.
    fn default() -> Self {
        Self {
            completed: 0.90,
            abandoned: 0.04,
            failed: 0.03,
            escalated: 0.03,
            wait_seconds: Spread {
                median: 60.0,
                spread: 0.6,
            },
            handling_seconds: Spread {
                median: 180.0,
                spread: 0.5,
            },
            survey_share: 0.2,
            csat: 4.2,
            ces: 5.8,
            nps: 8.0,
            sentiment: 0.3,
            retry: 0.3,
            resolves: 0.85,
        }
    }
}

/// A change to some fields of a [`TouchpointBehaviour`]: how friction is planted.
///
/// # Example
///
/// ```
/// use journey_map::sim::BehaviourChange;
///
/// // Half of the customers give up, and those who stay are unhappy.
/// let friction: BehaviourChange = ron::from_str("(abandoned: Some(1.0), csat: Some(2.0))")?;
/// assert_eq!(friction.abandoned, Some(1.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct BehaviourChange {
    /// See [`TouchpointBehaviour::completed`].
    pub completed: Option<f64>,
    /// See [`TouchpointBehaviour::abandoned`].
    pub abandoned: Option<f64>,
    /// See [`TouchpointBehaviour::failed`].
    pub failed: Option<f64>,
    /// See [`TouchpointBehaviour::escalated`].
    pub escalated: Option<f64>,
    /// See [`TouchpointBehaviour::wait_seconds`].
    pub wait_seconds: Option<Spread>,
    /// See [`TouchpointBehaviour::handling_seconds`].
    pub handling_seconds: Option<Spread>,
    /// See [`TouchpointBehaviour::survey_share`].
    pub survey_share: Option<f64>,
    /// See [`TouchpointBehaviour::csat`].
    pub csat: Option<f64>,
    /// See [`TouchpointBehaviour::ces`].
    pub ces: Option<f64>,
    /// See [`TouchpointBehaviour::nps`].
    pub nps: Option<f64>,
    /// See [`TouchpointBehaviour::sentiment`].
    pub sentiment: Option<f64>,
    /// See [`TouchpointBehaviour::retry`].
    pub retry: Option<f64>,
    /// See [`TouchpointBehaviour::resolves`].
    pub resolves: Option<f64>,
}

impl BehaviourChange {
    /// `base` with the fields this change sets replaced.
    pub fn apply(&self, base: TouchpointBehaviour) -> TouchpointBehaviour {
        TouchpointBehaviour {
            completed: self.completed.unwrap_or(base.completed),
            abandoned: self.abandoned.unwrap_or(base.abandoned),
            failed: self.failed.unwrap_or(base.failed),
            escalated: self.escalated.unwrap_or(base.escalated),
            wait_seconds: self.wait_seconds.unwrap_or(base.wait_seconds),
            handling_seconds: self.handling_seconds.unwrap_or(base.handling_seconds),
            survey_share: self.survey_share.unwrap_or(base.survey_share),
            csat: self.csat.unwrap_or(base.csat),
            ces: self.ces.unwrap_or(base.ces),
            nps: self.nps.unwrap_or(base.nps),
            sentiment: self.sentiment.unwrap_or(base.sentiment),
            retry: self.retry.unwrap_or(base.retry),
            resolves: self.resolves.unwrap_or(base.resolves),
        }
    }
}

/// How the customers of one persona behave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct PersonaBehaviour {
    /// Relative weight of this persona among simulated customers; 1 unless given.
    pub weight: f64,
    /// Relative weights of the entry touchpoints this persona starts at; empty for every entry
    /// of the journey, equally.
    #[serde(deserialize_with = "crate::format::unique::unique_keys")]
    pub entries: BTreeMap<TouchpointId, f64>,
    /// Changes for this persona only, by touchpoint, applied after the changes for everyone.
    #[serde(deserialize_with = "crate::format::unique::unique_keys")]
    pub touchpoints: BTreeMap<TouchpointId, BehaviourChange>,
    /// This persona's transition probabilities along the flows out of a touchpoint, replacing
    /// those of [`Behaviour::flows`] and the journey's expected shares for that touchpoint.
    #[serde(deserialize_with = "crate::format::unique::unique_nested_keys")]
    pub flows: BTreeMap<TouchpointId, BTreeMap<TouchpointId, f64>>,
}

impl Default for PersonaBehaviour {
    fn default() -> Self {
        Self {
            weight: 1.0,
            entries: BTreeMap::new(),
            touchpoints: BTreeMap::new(),
            flows: BTreeMap::new(),
        }
    }
}

/// The behaviour model of a simulation, loadable from RON next to the journey.
///
/// A customer starts at an entry, acts at each touchpoint by its [`TouchpointBehaviour`]
/// (`default`, changed by `touchpoints`, then by the persona's own changes), and moves on along
/// the designed flows, now and then off the map. Abandoned and failed interactions end the
/// journey unless the customer retries.
///
/// The probabilities of moving along the flows out of a touchpoint are, first found: the
/// persona's own `flows` for that touchpoint, the model's `flows`, or the journey's expected
/// shares (flows without a share split what the others leave). Given probabilities name
/// designed flows only and sum to at most 1; what no flow takes is the share that leaves the
/// journey there.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::sim::Behaviour;
///
/// let behaviour: Behaviour = ron::from_str(r#"(
///     touchpoints: {"online-application": (abandoned: Some(0.5))},
///     personas: {"digital-native": (weight: 2.0, touchpoints: {"id-upload": (failed: Some(0.4))})},
/// )"#)?;
/// assert_eq!(behaviour.personas["digital-native"].weight, 2.0);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Behaviour {
    /// How customers act at a touchpoint nothing else describes.
    pub default: TouchpointBehaviour,
    /// Changes for every touchpoint of a channel, applied before the touchpoint's own: the
    /// natural speeds of channels (seconds on the web, minutes on the phone, hours by e-mail).
    #[serde(deserialize_with = "crate::format::unique::unique_keys")]
    pub channels: BTreeMap<Channel, BehaviourChange>,
    /// Changes for every persona, by touchpoint.
    #[serde(deserialize_with = "crate::format::unique::unique_keys")]
    pub touchpoints: BTreeMap<TouchpointId, BehaviourChange>,
    /// Personas and their own changes; empty for every persona of the journey, equally.
    #[serde(deserialize_with = "crate::format::unique::unique_keys")]
    pub personas: BTreeMap<PersonaId, PersonaBehaviour>,
    /// Transition probabilities along the flows out of a touchpoint, by touchpoint and flow
    /// target, for every persona, replacing the journey's expected shares there.
    #[serde(deserialize_with = "crate::format::unique::unique_nested_keys")]
    pub flows: BTreeMap<TouchpointId, BTreeMap<TouchpointId, f64>>,
    /// The probability, at each step, of going to a touchpoint of the journey picked at random
    /// instead of along a flow: behaviour the map does not describe.
    pub off_map: f64,
    /// The most interactions one customer has, at most [`Behaviour::MAX_STEPS`].
    pub max_steps: u32,
    /// Mean minutes between two customers starting their journeys.
    pub minutes_between_customers: f64,
    /// Mean minutes between two interactions of a customer (after the first one ends).
    pub minutes_between_steps: f64,
    /// The time between two interactions along given moves, by touchpoint left and touchpoint
    /// entered, replacing `minutes_between_steps` there: a callback, a letter in the post, a
    /// handoff between teams.
    #[serde(deserialize_with = "crate::format::unique::unique_nested_keys")]
    pub delays: BTreeMap<TouchpointId, BTreeMap<TouchpointId, Spread>>,
    /// How much customers differ from each other (0 for identical customers).
    pub customers: CustomerSpread,
    /// Changes active for a while: planted incidents (a failing payment provider for three
    /// weeks, a broken release), for everyone or one persona. An interaction that starts
    /// within an incident's window behaves by its changes.
    pub incidents: Vec<Incident>,
    /// How the number of customers starting their journeys varies over the week and the day.
    pub seasonality: Seasonality,
}

/// A change of behaviour active from `from` (included) to `to` (excluded).
///
/// # Example
///
/// ```
/// use journey_map::sim::Incident;
///
/// let outage: Incident = ron::from_str(r#"(
///     from: "2026-03-02T00:00:00Z", to: "2026-03-23T00:00:00Z",
///     touchpoints: {"online-application": (failed: Some(1.0))},
/// )"#)?;
/// assert!(outage.persona.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Incident {
    /// When it starts.
    pub from: jiff::Timestamp,
    /// When it is over.
    pub to: jiff::Timestamp,
    /// The persona it hits; `None` for everyone.
    #[serde(default)]
    pub persona: Option<PersonaId>,
    /// Changes by touchpoint, applied over the usual behaviour there.
    #[serde(deserialize_with = "crate::format::unique::unique_keys", default)]
    pub touchpoints: BTreeMap<TouchpointId, BehaviourChange>,
    /// Transition probabilities along the flows out of a touchpoint, replacing the usual ones.
    #[serde(
        deserialize_with = "crate::format::unique::unique_nested_keys",
        default
    )]
    pub flows: BTreeMap<TouchpointId, BTreeMap<TouchpointId, f64>>,
}

impl Incident {
    /// An incident from `from` to `to` for everyone, changing nothing yet.
    pub fn new(from: jiff::Timestamp, to: jiff::Timestamp) -> Self {
        Self {
            from,
            to,
            persona: None,
            touchpoints: BTreeMap::new(),
            flows: BTreeMap::new(),
        }
    }
}

/// Relative arrival rates of customers by day of the week (Monday first) and hour of the day
/// (UTC); empty lists for a flat rate. The mean gap between customers is
/// `minutes_between_customers` divided by the product of the two weights at the time.
///
/// # Example
///
/// ```
/// use journey_map::sim::Seasonality;
///
/// let weekdays: Seasonality = ron::from_str("(weekdays: [1.2, 1.1, 1.0, 1.0, 1.1, 0.6, 0.4])")?;
/// assert_eq!(weekdays.weekdays.len(), 7);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Seasonality {
    /// Seven weights, Monday first, or none.
    pub weekdays: Vec<f64>,
    /// Twenty-four weights, from 00:00 UTC, or none.
    pub hours: Vec<f64>,
}

impl Seasonality {
    /// The weight of the arrival rate at `at`.
    pub(crate) fn weight(&self, at: jiff::Timestamp) -> f64 {
        let zoned = at.to_zoned_datetime(jiff::tz::TimeZone::UTC);
        let day = zoned.weekday().to_monday_zero_offset() as usize;
        let hour = zoned.hour() as usize;
        self.weekdays.get(day).copied().unwrap_or(1.0)
            * self.hours.get(hour).copied().unwrap_or(1.0)
    }
}

/// How much simulated customers differ: each customer draws a patience and a mood once, which
/// shift all their waits, handling times and answers.
///
/// # Example
///
/// ```
/// use journey_map::sim::CustomerSpread;
///
/// let spread: CustomerSpread = ron::from_str("(time: 0.5, mood: 0.6)")?;
/// assert_eq!(spread.time, 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct CustomerSpread {
    /// The standard deviation of the logarithm of a customer's time factor: every wait and
    /// handling time of the customer is multiplied by it.
    pub time: f64,
    /// The standard deviation of a customer's mood, in CSAT points: added to every mean answer
    /// of the customer (scaled to each scale's range).
    pub mood: f64,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            default: TouchpointBehaviour::default(),
            touchpoints: BTreeMap::new(),
            personas: BTreeMap::new(),
            flows: BTreeMap::new(),
            off_map: 0.01,
            max_steps: 40,
            minutes_between_customers: 2.0,
            minutes_between_steps: 30.0,
            channels: BTreeMap::new(),
            delays: BTreeMap::new(),
            customers: CustomerSpread::default(),
            incidents: Vec::new(),
            seasonality: Seasonality::default(),
        }
    }
}

/// Why a behaviour model does not fit its journey.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BehaviourProblem {
    /// A touchpoint the journey does not have.
    #[error("{0}")]
    UnknownTouchpoint(UnknownIdError),
    /// A persona the journey does not have.
    #[error("{0}")]
    UnknownPersona(UnknownIdError),
    /// A transition probability for a flow the journey does not have.
    #[error("{at}: the journey has no flow from {from:?} to {to:?}")]
    UnknownFlow {
        /// Where: the model or a persona.
        at: String,
        /// The touchpoint the flow would leave.
        from: TouchpointId,
        /// The touchpoint it would reach.
        to: TouchpointId,
    },
    /// A number outside what it may be.
    #[error("{at}: {field} is {value}, expected {expected}")]
    OutOfRange {
        /// Where: `default`, a touchpoint or a persona.
        at: String,
        /// The field.
        field: String,
        /// The value given.
        value: f64,
        /// What it may be.
        expected: String,
    },
}

/// A behaviour model does not fit its journey: every problem found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct BehaviourError {
    /// Every problem, never empty.
    pub problems: Vec<BehaviourProblem>,
}

impl fmt::Display for BehaviourError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} problem(s) in the behaviour model",
            self.problems.len()
        )?;
        for (i, problem) in self.problems.iter().enumerate() {
            write!(f, "{} {problem}", if i == 0 { ":" } else { ";" })?;
        }
        Ok(())
    }
}

impl Behaviour {
    /// The most interactions one customer may have (`max_steps`): a customer who fails and
    /// retries forever stops here, so memory stays bounded by customers × this.
    pub const MAX_STEPS: u32 = 10_000;

    /// The longest median wait or handling time, in seconds: a week. A log stores durations up
    /// to about 49 days; the simulator cuts the rare longer sample of a spread to that.
    pub const MAX_MEDIAN_SECONDS: f64 = 604_800.0;

    /// The longest mean gap between customers or steps, and the longest median delay, in
    /// minutes: a year, so that simulated times stay far from the calendar's end.
    pub const MAX_GAP_MINUTES: f64 = 525_600.0;

    /// Every problem of this model against `journey`: unknown ids (with suggestions), weights
    /// and probabilities that are negative, NaN or above 1, spreads that are not positive, and
    /// outcome weights that are all zero.
    pub(crate) fn problems(&self, journey: &Journey) -> Vec<BehaviourProblem> {
        let mut problems = Vec::new();
        check_behaviour(&mut problems, "default", &self.default);
        check_flows(&mut problems, journey, "behaviour", &self.flows);
        for (channel, change) in &self.channels {
            check_behaviour(
                &mut problems,
                &format!("channel {channel:?}"),
                &change.apply(self.default),
            );
        }
        for (from, delays) in &self.delays {
            if !known_touchpoint(journey, from, &mut problems) {
                continue;
            }
            for (to, delay) in delays {
                if known_touchpoint(journey, to, &mut problems) {
                    let ok = delay.median.is_finite()
                        && delay.median > 0.0
                        && delay.median <= Self::MAX_GAP_MINUTES * 60.0
                        && delay.spread.is_finite()
                        && delay.spread >= 0.0;
                    out_of_range(
                        &mut problems,
                        "behaviour",
                        &format!("delay {:?} -> {:?}", from.as_str(), to.as_str()),
                        delay.median,
                        ok,
                        "a positive median of at most a year and a spread of 0 or more",
                    );
                }
            }
        }
        for (i, incident) in self.incidents.iter().enumerate() {
            let at = format!("incident #{}", i + 1);
            if incident.to <= incident.from {
                problems.push(BehaviourProblem::OutOfRange {
                    at: at.clone(),
                    field: "to".to_owned(),
                    value: (incident.to.as_millisecond() - incident.from.as_millisecond()) as f64
                        / 1000.0,
                    expected: "a time after `from` (seconds after it shown)".to_owned(),
                });
            }
            if let Some(persona) = &incident.persona
                && let Err(error) = journey.resolve_persona(persona.as_str())
            {
                problems.push(BehaviourProblem::UnknownPersona(error));
            }
            check_flows(&mut problems, journey, &at, &incident.flows);
            for (id, change) in &incident.touchpoints {
                if known_touchpoint(journey, id, &mut problems) {
                    let at = format!("{at} at touchpoint {:?}", id.as_str());
                    check_behaviour(&mut problems, &at, &change.apply(self.default));
                }
            }
        }
        for (field, weights, len) in [
            ("seasonality.weekdays", &self.seasonality.weekdays, 7),
            ("seasonality.hours", &self.seasonality.hours, 24),
        ] {
            if !weights.is_empty() && weights.len() != len {
                problems.push(BehaviourProblem::OutOfRange {
                    at: "behaviour".to_owned(),
                    field: format!("{field} (length)"),
                    value: weights.len() as f64,
                    expected: format!("{len} weights, or none"),
                });
            }
            for w in weights.iter() {
                out_of_range(
                    &mut problems,
                    "behaviour",
                    field,
                    *w,
                    w.is_finite() && *w > 0.0,
                    "positive weights",
                );
            }
        }
        for (field, v) in [
            ("customers.time", self.customers.time),
            ("customers.mood", self.customers.mood),
        ] {
            out_of_range(
                &mut problems,
                "behaviour",
                field,
                v,
                v.is_finite() && v >= 0.0,
                "0 or more",
            );
        }
        for (id, change) in &self.touchpoints {
            if known_touchpoint(journey, id, &mut problems) {
                check_behaviour(
                    &mut problems,
                    &format!("touchpoint {:?}", id.as_str()),
                    &change.apply(self.default),
                );
            }
        }
        for (persona, behaviour) in &self.personas {
            if let Err(error) = journey.resolve_persona(persona.as_str()) {
                problems.push(BehaviourProblem::UnknownPersona(error));
            }
            let at = format!("persona {:?}", persona.as_str());
            out_of_range(
                &mut problems,
                &at,
                "weight",
                behaviour.weight,
                is_weight(behaviour.weight),
                "a weight of 0 or more",
            );
            for (id, w) in &behaviour.entries {
                if known_touchpoint(journey, id, &mut problems) {
                    let field = format!("entry {:?}", id.as_str());
                    out_of_range(
                        &mut problems,
                        &at,
                        &field,
                        *w,
                        is_weight(*w),
                        "a weight of 0 or more",
                    );
                }
            }
            check_flows(&mut problems, journey, &at, &behaviour.flows);
            for (id, change) in &behaviour.touchpoints {
                if known_touchpoint(journey, id, &mut problems) {
                    let shared = self
                        .touchpoints
                        .get(id)
                        .map_or(self.default, |c| c.apply(self.default));
                    let at = format!("{at} at touchpoint {:?}", id.as_str());
                    check_behaviour(&mut problems, &at, &change.apply(shared));
                }
            }
        }
        let ok = is_probability(self.off_map);
        out_of_range(
            &mut problems,
            "behaviour",
            "off_map",
            self.off_map,
            ok,
            "a probability in 0..=1",
        );
        let steps = f64::from(self.max_steps);
        out_of_range(
            &mut problems,
            "behaviour",
            "max_steps",
            steps,
            (1..=Self::MAX_STEPS).contains(&self.max_steps),
            &format!("1 to {}", Self::MAX_STEPS),
        );
        for (field, v) in [
            ("minutes_between_customers", self.minutes_between_customers),
            ("minutes_between_steps", self.minutes_between_steps),
        ] {
            out_of_range(
                &mut problems,
                "behaviour",
                field,
                v,
                v.is_finite() && v > 0.0 && v <= Self::MAX_GAP_MINUTES,
                "more than 0 and at most a year (525600)",
            );
        }
        problems
    }
}

fn check_flows(
    problems: &mut Vec<BehaviourProblem>,
    journey: &Journey,
    at: &str,
    flows: &BTreeMap<TouchpointId, BTreeMap<TouchpointId, f64>>,
) {
    for (from, shares) in flows {
        if !known_touchpoint(journey, from, problems) {
            continue;
        }
        let designed = journey.flows_from(from.as_str()).unwrap_or_default();
        for (to, share) in shares {
            if !known_touchpoint(journey, to, problems) {
                continue;
            }
            if !designed.iter().any(|f| f.to == *to) {
                problems.push(BehaviourProblem::UnknownFlow {
                    at: at.to_owned(),
                    from: from.clone(),
                    to: to.clone(),
                });
            }
            out_of_range(
                problems,
                at,
                &format!("flow {:?} -> {:?}", from.as_str(), to.as_str()),
                *share,
                is_probability(*share),
                "a probability in 0..=1",
            );
        }
        let total: f64 = shares.values().sum();
        out_of_range(
            problems,
            at,
            &format!("the sum of the flows out of {:?}", from.as_str()),
            total,
            total.is_nan() || total <= 1.0 + 1e-9,
            "at most 1",
        );
    }
}

fn is_probability(v: f64) -> bool {
    (0.0..=1.0).contains(&v)
}

fn is_weight(v: f64) -> bool {
    v.is_finite() && v >= 0.0
}

fn out_of_range(
    problems: &mut Vec<BehaviourProblem>,
    at: &str,
    field: &str,
    value: f64,
    ok: bool,
    expected: &str,
) {
    if !ok {
        problems.push(BehaviourProblem::OutOfRange {
            at: at.to_owned(),
            field: field.to_owned(),
            value,
            expected: expected.to_owned(),
        });
    }
}

fn known_touchpoint(
    journey: &Journey,
    id: &TouchpointId,
    problems: &mut Vec<BehaviourProblem>,
) -> bool {
    match journey.resolve_touchpoint(id.as_str()) {
        Ok(_) => true,
        Err(error) => {
            problems.push(BehaviourProblem::UnknownTouchpoint(error));
            false
        }
    }
}

fn check_behaviour(problems: &mut Vec<BehaviourProblem>, at: &str, b: &TouchpointBehaviour) {
    for (field, v) in [
        ("completed", b.completed),
        ("abandoned", b.abandoned),
        ("failed", b.failed),
        ("escalated", b.escalated),
    ] {
        out_of_range(
            problems,
            at,
            field,
            v,
            is_weight(v),
            "a weight of 0 or more",
        );
    }
    let total = b.completed + b.abandoned + b.failed + b.escalated;
    out_of_range(
        problems,
        at,
        "the sum of the outcome weights",
        total,
        !(total.is_finite() && total <= 0.0),
        "more than 0",
    );
    for (field, s) in [
        ("wait_seconds", b.wait_seconds),
        ("handling_seconds", b.handling_seconds),
    ] {
        let ok =
            s.median.is_finite() && s.median > 0.0 && s.median <= Behaviour::MAX_MEDIAN_SECONDS;
        out_of_range(
            problems,
            at,
            &format!("{field}.median"),
            s.median,
            ok,
            &format!(
                "more than 0 and at most {} (a week)",
                Behaviour::MAX_MEDIAN_SECONDS
            ),
        );
        let ok = s.spread.is_finite() && s.spread >= 0.0;
        out_of_range(
            problems,
            at,
            &format!("{field}.spread"),
            s.spread,
            ok,
            "0 or more",
        );
    }
    for (field, v) in [
        ("survey_share", b.survey_share),
        ("retry", b.retry),
        ("resolves", b.resolves),
    ] {
        out_of_range(
            problems,
            at,
            field,
            v,
            is_probability(v),
            "a probability in 0..=1",
        );
    }
    out_of_range(
        problems,
        at,
        "csat",
        b.csat,
        (1.0..=5.0).contains(&b.csat),
        "1..=5",
    );
    out_of_range(
        problems,
        at,
        "ces",
        b.ces,
        (1.0..=7.0).contains(&b.ces),
        "1..=7",
    );
    out_of_range(
        problems,
        at,
        "nps",
        b.nps,
        (0.0..=10.0).contains(&b.nps),
        "0..=10",
    );
    out_of_range(
        problems,
        at,
        "sentiment",
        b.sentiment,
        (-1.0..=1.0).contains(&b.sentiment),
        "-1..=1",
    );
}

impl Behaviour {
    /// Reads a behaviour model from RON text; `origin` names it in errors. It is checked
    /// against a journey by [`Simulator::new`](super::Simulator::new).
    ///
    /// # Errors
    ///
    /// [`SettingsError::Syntax`](crate::SettingsError::Syntax) with line and column.
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::sim::Behaviour;
    ///
    /// let behaviour = Behaviour::from_ron_str("(off_map: 0.05)", "inline.ron")?;
    /// assert_eq!(behaviour.off_map, 0.05);
    /// assert!(Behaviour::from_ron_str("(of_map: 0.05)", "inline.ron").is_err());
    /// # Ok::<(), journey_map::SettingsError>(())
    /// ```
    pub fn from_ron_str(text: &str, origin: &str) -> Result<Behaviour, crate::SettingsError> {
        crate::format::ron::read_named(text, origin, "behaviour model")
    }

    /// Reads a behaviour model from a RON file.
    ///
    /// # Errors
    ///
    /// [`SettingsError::Read`](crate::SettingsError::Read) when the file cannot be read, otherwise as
    /// [`Behaviour::from_ron_str`].
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<Behaviour, crate::SettingsError> {
        crate::format::ron::load_file(path.as_ref(), "behaviour model")
    }
}
