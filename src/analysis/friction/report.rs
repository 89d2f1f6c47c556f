//! What friction detection returns: ranked friction points with their evidence.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::config::FrictionConfig;
use super::counts::CustomerMeasure;
use crate::stats::Interval;
use crate::{PersonaId, StageId, TouchpointId};

/// A kind of friction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum FrictionKind {
    /// Journeys end here without reaching a goal more often than elsewhere.
    DropOff,
    /// Customers give up here (an abandoned interaction) more often than elsewhere.
    Abandonment,
    /// Interactions fail here (a failed payment, an error) more often than elsewhere.
    Failure,
    /// Customers are escalated or handed over here (a chatbot to a person) more often.
    Escalation,
    /// CSAT answers below the top two boxes are more common here.
    LowSatisfaction,
    /// NPS detractors (0-6) are more common here.
    Detractors,
    /// CES answers that are not "easy" are more common here.
    HighEffort,
    /// Customers wait longer here.
    LongWait,
    /// Needs first raised here take longer to resolve.
    SlowResolution,
    /// Needs first raised here are not resolved at the first contact (by the FCR rule) more
    /// often: repeat contacts.
    RepeatContact,
    /// Customers come back to this touchpoint (a repeat, or ping-pong with another one), or a
    /// need first raised here goes back to a channel it had left (web, phone, web), more often.
    Loop,
    /// Customers leave this touchpoint for one the map has no flow to (including skipped
    /// stages and moves back) more often.
    OffMap,
    /// The time from the end of one interaction to the start of the next (a callback, a
    /// transfer between teams, a letter in the post) is longer on this move, or on the moves
    /// into this stage, than on its peers. Located at a [`Location::Flow`] or a
    /// [`Location::Stage`].
    SlowHandoff,
    /// The touchpoint misses a target of its service level (answer time, abandonment, CSAT,
    /// resolution time), tested against the promise itself.
    MissedServiceLevel,
    /// A larger share of the customers of a period than usual come to this touchpoint (a
    /// support line flooded during an outage). Found by incidents, against the touchpoint's
    /// own history; a whole-period report has no usual to compare with and never reports it.
    Surge,
    /// No goal can be reached from this touchpoint along the designed flows.
    DeadEnd,
    /// No entry leads to this touchpoint along the designed flows.
    Unreachable,
}

impl FrictionKind {
    /// Every kind, in report order.
    pub const ALL: [FrictionKind; 17] = [
        FrictionKind::DropOff,
        FrictionKind::Abandonment,
        FrictionKind::Failure,
        FrictionKind::Escalation,
        FrictionKind::LowSatisfaction,
        FrictionKind::Detractors,
        FrictionKind::HighEffort,
        FrictionKind::LongWait,
        FrictionKind::SlowResolution,
        FrictionKind::RepeatContact,
        FrictionKind::Loop,
        FrictionKind::OffMap,
        FrictionKind::SlowHandoff,
        FrictionKind::MissedServiceLevel,
        FrictionKind::Surge,
        FrictionKind::DeadEnd,
        FrictionKind::Unreachable,
    ];

    /// The axis of the ideal journey this kind hurts.
    pub fn axis(self) -> Axis {
        match self {
            FrictionKind::LongWait | FrictionKind::SlowResolution | FrictionKind::SlowHandoff => {
                Axis::Fast
            }
            FrictionKind::HighEffort
            | FrictionKind::Escalation
            | FrictionKind::Loop
            | FrictionKind::OffMap
            | FrictionKind::Surge => Axis::Easy,
            FrictionKind::DropOff
            | FrictionKind::Abandonment
            | FrictionKind::Failure
            | FrictionKind::LowSatisfaction
            | FrictionKind::Detractors
            | FrictionKind::RepeatContact
            | FrictionKind::MissedServiceLevel
            | FrictionKind::DeadEnd
            | FrictionKind::Unreachable => Axis::Effective,
        }
    }

    /// A short lowercase name, as in `drop-off` or `long wait`.
    pub fn as_str(self) -> &'static str {
        match self {
            FrictionKind::DropOff => "drop-off",
            FrictionKind::Abandonment => "abandonment",
            FrictionKind::Failure => "failure",
            FrictionKind::Escalation => "escalation",
            FrictionKind::LowSatisfaction => "low satisfaction",
            FrictionKind::Detractors => "detractors",
            FrictionKind::HighEffort => "high effort",
            FrictionKind::LongWait => "long wait",
            FrictionKind::SlowResolution => "slow resolution",
            FrictionKind::RepeatContact => "repeat contact",
            FrictionKind::Loop => "loop",
            FrictionKind::OffMap => "off-map",
            FrictionKind::SlowHandoff => "slow handoff",
            FrictionKind::MissedServiceLevel => "missed service level",
            FrictionKind::Surge => "surge",
            FrictionKind::DeadEnd => "dead end",
            FrictionKind::Unreachable => "unreachable",
        }
    }

    /// Whether this kind comes from the map's structure rather than from interactions.
    pub fn is_structural(self) -> bool {
        match self {
            FrictionKind::DeadEnd | FrictionKind::Unreachable => true,
            FrictionKind::DropOff
            | FrictionKind::Abandonment
            | FrictionKind::Failure
            | FrictionKind::Escalation
            | FrictionKind::LowSatisfaction
            | FrictionKind::Detractors
            | FrictionKind::HighEffort
            | FrictionKind::LongWait
            | FrictionKind::SlowResolution
            | FrictionKind::RepeatContact
            | FrictionKind::Loop
            | FrictionKind::OffMap
            | FrictionKind::SlowHandoff
            | FrictionKind::MissedServiceLevel
            | FrictionKind::Surge => false,
        }
    }

    /// The unit of the measure this kind is tested on.
    pub fn unit(self) -> Unit {
        match self.customer_measure() {
            CustomerMeasure::HighestWait
            | CustomerMeasure::HighestResolution
            | CustomerMeasure::HighestGap => Unit::Seconds,
            CustomerMeasure::Met | CustomerMeasure::None => Unit::Share,
        }
    }

    /// How a customer who met this kind at a touchpoint is counted there.
    pub(super) fn customer_measure(self) -> CustomerMeasure {
        match self {
            FrictionKind::LongWait => CustomerMeasure::HighestWait,
            FrictionKind::SlowResolution => CustomerMeasure::HighestResolution,
            FrictionKind::SlowHandoff => CustomerMeasure::HighestGap,
            FrictionKind::DeadEnd | FrictionKind::Unreachable => CustomerMeasure::None,
            FrictionKind::DropOff
            | FrictionKind::Abandonment
            | FrictionKind::Failure
            | FrictionKind::Escalation
            | FrictionKind::LowSatisfaction
            | FrictionKind::Detractors
            | FrictionKind::HighEffort
            | FrictionKind::RepeatContact
            | FrictionKind::Loop
            | FrictionKind::OffMap
            | FrictionKind::MissedServiceLevel
            | FrictionKind::Surge => CustomerMeasure::Met,
        }
    }

    /// What this kind measures, in words, as the evidence names it.
    pub fn metric(self) -> &'static str {
        match self {
            FrictionKind::DropOff => "share of customers whose journey ended here without a goal",
            FrictionKind::Abandonment => "share of customers who abandoned here",
            FrictionKind::Failure => "share of customers with a failed interaction here",
            FrictionKind::Escalation => "share of customers escalated or handed over here",
            FrictionKind::LowSatisfaction => "share of CSAT answers below the top two boxes",
            FrictionKind::Detractors => "share of NPS answers from detractors (0-6)",
            FrictionKind::HighEffort => "share of CES answers that are not easy",
            FrictionKind::LongWait => "typical wait (geometric mean of 1 + seconds, less 1)",
            FrictionKind::SlowResolution => {
                "typical time to resolution of needs first raised here (geometric mean of 1 + seconds, less 1)"
            }
            FrictionKind::RepeatContact => {
                "share of needs first raised here not resolved at the first contact"
            }
            FrictionKind::Loop => {
                "share of customers who came back to this touchpoint or whose need raised here went back to a channel it had left"
            }
            FrictionKind::OffMap => "share of customers who left this touchpoint off the map",
            FrictionKind::SlowHandoff => {
                "typical time from the end of one interaction to the start of the next (geometric mean of 1 + seconds, less 1)"
            }
            FrictionKind::MissedServiceLevel => {
                "share of contacts (or answers, or needs) that missed the service level target"
            }
            FrictionKind::Surge => "share of the period's customers who came to this touchpoint",
            FrictionKind::DeadEnd => "customers at a touchpoint from which no goal can be reached",
            FrictionKind::Unreachable => "customers at a touchpoint no entry leads to",
        }
    }
}

impl fmt::Display for FrictionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The three axes of an ideal journey: fast, easy and effective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Axis {
    /// Time: waits and resolution times.
    Fast,
    /// Effort: effort scores, hand-overs, loops, detours.
    Easy,
    /// Outcome: drop-off, failures, unresolved needs, dissatisfaction.
    Effective,
}

/// Where a friction point is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Location {
    /// One touchpoint, with its stage.
    Touchpoint {
        /// The touchpoint.
        touchpoint: TouchpointId,
        /// Its stage.
        stage: StageId,
    },
    /// The move from one touchpoint to the next (designed or not), for handoffs.
    Flow {
        /// Where the customer was.
        from: TouchpointId,
        /// Where the customer went next.
        to: TouchpointId,
    },
    /// A whole stage: the moves into its touchpoints, for handoffs.
    Stage {
        /// The stage.
        stage: StageId,
    },
    /// The whole journey: conversion, or a persona's measure over every touchpoint, in period
    /// comparisons.
    Journey,
}

impl Location {
    /// The touchpoint of this location; `None` for a flow or a stage.
    pub fn touchpoint(&self) -> Option<&TouchpointId> {
        match self {
            Location::Touchpoint { touchpoint, .. } => Some(touchpoint),
            Location::Flow { .. } | Location::Stage { .. } | Location::Journey => None,
        }
    }

    /// The location in words, with ids: `touchpoint "x"`, `flow "a" -> "b"`, `stage "s"`.
    pub fn describe(&self) -> String {
        match self {
            Location::Touchpoint { touchpoint, .. } => {
                format!("touchpoint {:?}", touchpoint.as_str())
            }
            Location::Flow { from, to } => format!("flow {:?} -> {:?}", from.as_str(), to.as_str()),
            Location::Stage { stage } => format!("stage {:?}", stage.as_str()),
            Location::Journey => "the journey".to_owned(),
        }
    }
}

impl fmt::Display for Location {
    /// The ids: `x`, `a -> b`, or `stage s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Touchpoint { touchpoint, .. } => write!(f, "{touchpoint}"),
            Location::Flow { from, to } => write!(f, "{from} -> {to}"),
            Location::Stage { stage } => write!(f, "stage {stage}"),
            Location::Journey => f.write_str("journey"),
        }
    }
}

/// What a friction point's place was compared with.
///
/// Each test compares a place with its peers: touchpoints of the same channel and kind when
/// they hold enough observations, then of the same channel, then of the same kind, then the
/// whole journey ([`FrictionConfig::baseline`](super::FrictionConfig::baseline) can ask for
/// the whole journey at once). Where the map or a service level sets the expected value, that
/// is the baseline instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Baseline {
    /// The other touchpoints of the same channel and kind (for a move: the other moves between
    /// the same two channels).
    SameChannelAndKind,
    /// The other touchpoints of the same channel (for a move: the other moves into the same
    /// channel).
    SameChannel,
    /// The other touchpoints of the same kind.
    SameKind,
    /// Every other place of the journey (touchpoints, moves or stages).
    Journey,
    /// The rate the map designs: a designed self-flow's expected share (loops), or what the
    /// expected shares of the flows leaving a touchpoint leave (drop-off).
    Designed,
    /// The promise of a service level.
    ServiceLevel,
    /// The same place in the other periods of its own history (incidents).
    History,
}

/// What a measured value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    /// A share in `0..=1`.
    Share,
    /// Seconds.
    Seconds,
}

/// The evidence behind a friction point: the test that found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Evidence {
    /// What was measured, in words, e.g. "share of customers who abandoned".
    pub metric: String,
    /// Its unit.
    pub unit: Unit,
    /// The value here.
    pub observed: f64,
    /// The value of the baseline it is compared with.
    pub baseline: f64,
    /// The 95% interval of the value here (Wilson for shares; for times, the t interval of the
    /// typical time).
    pub interval: Interval,
    /// Observations here (customers, answers or cases).
    pub sample_size: u64,
    /// Observations in the baseline.
    pub baseline_sample_size: u64,
    /// The one-sided p-value of "worse than the baseline by more than the minimum effect"
    /// (the exact binomial test for shares, Welch's t-test on the logarithm of 1 + seconds
    /// for times).
    pub p: f64,
    /// The Benjamini-Hochberg q-value over every test of the report.
    pub q: f64,
    /// What the place was compared with.
    pub baseline_kind: Baseline,
    /// What the baseline is, in words, e.g. "the other phone touchpoints of human service".
    pub baseline_of: String,
    /// Independent units behind the test here: customers. A share of answers or contacts is
    /// measured as such, but tested as if it were a share of this many customers, so that one
    /// customer's many answers are not taken for many independent observations.
    pub customers: u64,
    /// For a point that is everyone's, the measure of each persona at the place (customers
    /// without a persona as `None`), personas with no observation left out; empty for a point
    /// of one persona.
    pub by_persona: Vec<PersonaMeasure>,
}

/// A segment and one of its values (`platform` = `ios`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SegmentValue {
    /// The segment.
    pub segment: String,
    /// The value.
    pub value: String,
}

/// One persona's (or segment value's) measure at the place of a friction point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PersonaMeasure {
    /// The persona, or `None` for customers without one (and under a segment lens).
    pub persona: Option<PersonaId>,
    /// Under a segment lens, the segment's value, or `None` for journeys without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Its value of the point's measure (a share, or a typical time in seconds).
    pub observed: Option<f64>,
    /// Its observations.
    pub sample_size: u64,
}

/// One place where customers struggle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FrictionPoint {
    /// What kind of friction.
    pub kind: FrictionKind,
    /// The axis it hurts.
    pub axis: Axis,
    /// Where.
    pub location: Location,
    /// The persona that suffers it alone, or `None` when it is everyone's.
    pub persona: Option<PersonaId>,
    /// Under a segment lens ([`FrictionConfig::segment_lens`](super::FrictionConfig::segment_lens)),
    /// the segment value whose journeys suffer it alone, or `None` when it is everyone's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<SegmentValue>,
    /// The size of the difference as a standardized effect: Cohen's h for shares, Cohen's d on
    /// the logarithm of times (0.2 small, 0.5 medium, 0.8 large); 1 for structural friction
    /// that customers met, 0 for structural friction nobody met.
    pub severity: f64,
    /// `severity` times the customers affected: what the report is ranked by.
    pub impact: f64,
    /// Customers who met it: who had the bad outcome, answer or time here (for structural
    /// friction, who were at the touchpoint).
    pub customers_affected: u64,
    /// Conversions those customers lost beyond the baseline: the customers affected times how
    /// much less often they converted than the customers they are compared with (see
    /// `lost_compared_with`), times the share of the bad outcomes that is beyond the baseline.
    /// An association, not a proof of cause. 0 when they converted as often; `None` when there
    /// is nobody to compare them with.
    pub lost_conversions: Option<f64>,
    /// Whom the customers affected are compared with for `lost_conversions`.
    pub lost_compared_with: LostComparison,
    /// The test behind it; `None` for structural friction.
    pub evidence: Option<Evidence>,
    /// One plain sentence for a CX manager.
    pub summary: String,
}

/// Whom the customers who met a friction point are compared with to estimate the conversions
/// they lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum LostComparison {
    /// The other customers at the same place, who did not meet it.
    OthersHere,
    /// Every customer at the place met it: the customers of the same personas who did not pass
    /// through the place.
    NotHere,
    /// No estimate: every customer at the place met it and every comparable customer passed
    /// through it, or the point is structural.
    Nobody,
}

/// Friction found in a journey and its log, ranked by impact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FrictionReport {
    /// The settings it was found with.
    pub config: FrictionConfig,
    /// Customers in the log.
    pub customers: u64,
    /// Of those, customers who reached a goal.
    pub converted: u64,
    /// Tests run: the family the Benjamini-Hochberg correction covers.
    pub tests: u64,
    /// Places not tested because they or their baseline had fewer than `min_sample`
    /// observations.
    pub untested: u64,
    /// Friction points found in the interactions, highest impact first.
    pub points: Vec<FrictionPoint>,
    /// The map's structural gaps (dead ends and unreachable touchpoints, from
    /// [`Journey::warnings`](crate::Journey::warnings)), apart from the ranking: they have no
    /// test and no evidence; most customers met first, one point per touchpoint and cause.
    pub structural: Vec<FrictionPoint>,
}
