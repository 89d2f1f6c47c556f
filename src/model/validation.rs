//! Validation problems: everything that makes a journey invalid, reported together.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::touchpoint::Channel;

/// The kinds of item a journey holds, used to name items in problems and errors.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::ItemKind;
/// let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
/// let error = journey.stage_of("web-form").unwrap_err();
/// assert_eq!(error.kind, ItemKind::Touchpoint);
/// assert_eq!(ItemKind::Touchpoint.to_string(), "touchpoint");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ItemKind {
    /// A [`Persona`](crate::Persona).
    Persona,
    /// A [`Stage`](crate::Stage).
    Stage,
    /// A [`Touchpoint`](crate::Touchpoint).
    Touchpoint,
    /// A [`Flow`](crate::Flow).
    Flow,
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ItemKind::Persona => "persona",
            ItemKind::Stage => "stage",
            ItemKind::Touchpoint => "touchpoint",
            ItemKind::Flow => "flow",
        })
    }
}

/// Names one item of a journey being validated: its kind, its position among the items of that
/// kind (from zero, in file order) and its id (for a flow, `from -> to`).
///
/// # Example
///
/// ```
/// use journey_map::{ItemKind, Journey, Problem};
///
/// let error = Journey::from_ron_str(r#"(
///     name: "x",
///     stages: [(id: "s", name: "S")],
///     touchpoints: [(id: "t", name: "T", stage: "s", channel: Web, kind: Billing, entry: true, goal: true)],
///     flows: [(from: "t", to: "u")],
/// )"#).unwrap_err();
/// let Some(Problem::UnknownReference { item, .. }) = error.validation().map(|v| &v.problems()[0]) else {
///     panic!("expected an unknown reference");
/// };
/// assert_eq!((item.kind, item.position, item.id.as_str()), (ItemKind::Flow, 0, "t -> u"));
/// assert_eq!(item.to_string(), "flow #1 (\"t -> u\")");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ItemRef {
    /// What kind of item.
    pub kind: ItemKind,
    /// Its position among the items of its kind, from zero.
    pub position: usize,
    /// Its id as written; for a flow, `from -> to`.
    pub id: String,
}

impl ItemRef {
    pub(crate) fn new(kind: ItemKind, position: usize, id: impl Into<String>) -> Self {
        Self {
            kind,
            position,
            id: id.into(),
        }
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == ItemKind::Flow || self.id.is_empty() {
            write!(f, "{} #{} ({:?})", self.kind, self.position + 1, self.id)
        } else {
            write!(f, "{} {:?}", self.kind, self.id)
        }
    }
}

/// One reason a journey is invalid.
///
/// The builder and the file loader collect every problem of a journey before they fail, so that
/// an author can mend them all at once. Each problem's `Display` is one lowercase sentence that
/// names the item.
///
/// # Example
///
/// ```
/// use journey_map::{Channel, Flow, JourneyBuilder, Problem, Stage, Touchpoint, TouchpointKind};
///
/// let error = JourneyBuilder::new("Shares")
///     .stage(Stage::new("s", "S"))
///     .touchpoint(Touchpoint::new("a", "A", "s", Channel::Web, TouchpointKind::DigitalProduct).entry())
///     .touchpoint(Touchpoint::new("b", "B", "s", Channel::Web, TouchpointKind::DigitalProduct).goal())
///     .flow(Flow::new("a", "b").with_expected_share(1.2))
///     .build()
///     .unwrap_err();
/// for problem in error.problems() {
///     match problem {
///         Problem::ShareOutOfRange { share, .. } => assert_eq!(*share, 1.2),
///         other => panic!("unexpected {other}"),
///     }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Problem {
    /// An item has an empty (or all-blank) id.
    EmptyId {
        /// The item.
        item: ItemRef,
    },
    /// Two items of one kind share an id.
    DuplicateId {
        /// The later item.
        item: ItemRef,
        /// The position of the first item with this id.
        first_position: usize,
    },
    /// An item names a persona, stage or touchpoint that the journey does not have.
    UnknownReference {
        /// The item that holds the reference.
        item: ItemRef,
        /// The field that holds it (`stage`, `from`, `to`, `uses`).
        field: String,
        /// What kind of item the reference should name.
        target: ItemKind,
        /// The id that was not found.
        id: String,
        /// The closest valid id, when one is close enough to be a likely typo.
        suggestion: Option<String>,
    },
    /// A persona lists the same touchpoint twice in `uses`.
    RepeatedUse {
        /// The persona.
        item: ItemRef,
        /// The touchpoint listed twice.
        touchpoint: String,
    },
    /// A persona lists the same channel twice in `preferred_channels`.
    RepeatedChannel {
        /// The persona.
        item: ItemRef,
        /// The channel listed twice.
        channel: Channel,
    },
    /// Two flows join the same ordered pair of touchpoints.
    DuplicateFlow {
        /// The later flow.
        item: ItemRef,
        /// The position of the first flow between the same touchpoints.
        first_position: usize,
    },
    /// A flow's expected share is NaN or outside `0..=1`.
    ShareOutOfRange {
        /// The flow.
        item: ItemRef,
        /// The share as written.
        share: f64,
    },
    /// The expected shares of the flows leaving one touchpoint sum to more than 1.
    SharesAboveOne {
        /// The touchpoint the flows leave.
        touchpoint: String,
        /// The sum of their shares.
        total: f64,
    },
    /// The journey has no stage.
    NoStage,
    /// The journey has no touchpoint.
    NoTouchpoint,
    /// A service level target is out of range: a share outside `0..=1`, or seconds that are
    /// not positive and finite.
    ServiceLevelOutOfRange {
        /// The touchpoint or channel whose service level it is.
        owner: ServiceLevelOwner,
        /// The target, as written in files (`answer.seconds`, `max_abandonment`, ...).
        field: String,
        /// Its value.
        value: f64,
        /// What it may be.
        expected: String,
    },
    /// Two service levels in the journey's `service_levels` list are for the same channel.
    DuplicateServiceLevel {
        /// The channel.
        channel: crate::Channel,
        /// The position of the later one in the list, from 0.
        position: usize,
        /// The position of the first one.
        first_position: usize,
    },
    /// A service level is set for a channel no touchpoint uses: a misspelt channel, usually.
    UnusedServiceLevelChannel {
        /// The channel, as written.
        channel: crate::Channel,
        /// The closest channel the touchpoints use, as written in files.
        suggestion: Option<String>,
    },
    /// No touchpoint is marked as an entry, so no customer could start the journey.
    NoEntry,
    /// No touchpoint is marked as a goal, so no customer could succeed.
    NoGoal,
    /// The journey has more items of one kind than an index can count (`u32::MAX`).
    TooManyItems {
        /// The kind of item.
        kind: ItemKind,
        /// How many there are.
        count: usize,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::EmptyId { item } => {
                write!(f, "{} #{} has an empty id", item.kind, item.position + 1)
            }
            Problem::DuplicateId {
                item,
                first_position,
            } => write!(
                f,
                "duplicate {} id {:?}: items #{} and #{}",
                item.kind,
                item.id,
                first_position + 1,
                item.position + 1
            ),
            Problem::UnknownReference {
                item,
                field,
                target,
                id,
                suggestion,
            } => {
                write!(f, "{item} names unknown {target} {id:?} in `{field}`")?;
                if let Some(suggestion) = suggestion {
                    write!(f, " (did you mean {suggestion:?}?)")?;
                }
                Ok(())
            }
            Problem::RepeatedUse { item, touchpoint } => {
                write!(f, "{item} lists touchpoint {touchpoint:?} twice in `uses`")
            }
            Problem::RepeatedChannel { item, channel } => write!(
                f,
                "{item} lists channel {channel} twice in `preferred_channels`"
            ),
            Problem::DuplicateFlow {
                item,
                first_position,
            } => write!(
                f,
                "{item} repeats flow #{} between the same touchpoints",
                first_position + 1
            ),
            Problem::ShareOutOfRange { item, share } => {
                write!(f, "{item} has expected share {share}, outside 0..=1")
            }
            Problem::SharesAboveOne { touchpoint, total } => write!(
                f,
                "the expected shares of the flows leaving touchpoint {touchpoint:?} sum to {}, above 1",
                (total * 1e9).round() / 1e9
            ),
            Problem::ServiceLevelOutOfRange {
                owner,
                field,
                value,
                expected,
            } => write!(
                f,
                "the service level of {owner} has {field} {value}, expected {expected}"
            ),
            Problem::DuplicateServiceLevel {
                channel,
                position,
                first_position,
            } => write!(
                f,
                "service level #{} is for channel {channel:?}, like service level #{}",
                position + 1,
                first_position + 1
            ),
            Problem::UnusedServiceLevelChannel {
                channel,
                suggestion,
            } => {
                write!(
                    f,
                    "a service level is set for channel {channel:?}, which no touchpoint uses"
                )?;
                if let Some(suggestion) = suggestion {
                    write!(f, " (did you mean {suggestion}?)")?;
                }
                Ok(())
            }
            Problem::NoStage => f.write_str("the journey has no stage"),
            Problem::NoTouchpoint => f.write_str("the journey has no touchpoint"),
            Problem::NoEntry => f.write_str("no touchpoint is marked as an entry (`entry: true`)"),
            Problem::NoGoal => f.write_str("no touchpoint is marked as a goal (`goal: true`)"),
            Problem::TooManyItems { kind, count } => {
                write!(
                    f,
                    "the journey has {count} items of kind {kind}, more than an index can count"
                )
            }
        }
    }
}

/// A journey is invalid: every [`Problem`] found, in the order of the items.
///
/// # Example
///
/// ```
/// use journey_map::{Channel, JourneyBuilder, Problem, Stage, Touchpoint, TouchpointKind};
///
/// let error = JourneyBuilder::new("Broken")
///     .stage(Stage::new("purchase", "Purchase"))
///     .touchpoint(Touchpoint::new("form", "Form", "purchse", Channel::Web, TouchpointKind::DigitalProduct).entry())
///     .build()
///     .unwrap_err();
/// // The unknown stage and the missing goal are reported together.
/// assert_eq!(error.problems().len(), 2);
/// assert!(matches!(&error.problems()[0], Problem::UnknownReference { suggestion: Some(s), .. } if s == "purchase"));
/// assert_eq!(error.problems()[1], Problem::NoGoal);
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ValidationError {
    problems: Vec<Problem>,
}

impl ValidationError {
    pub(crate) fn new(problems: Vec<Problem>) -> Self {
        debug_assert!(!problems.is_empty());
        Self { problems }
    }

    /// Every problem found, never empty.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Consumes the error and returns its problems.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

/// How many problems the `Display` of a [`ValidationError`] spells out before it counts the rest.
const DISPLAYED_PROBLEMS: usize = 20;

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(f, "{n} problem{}", if n == 1 { "" } else { "s" })?;
        for (i, problem) in self.problems.iter().take(DISPLAYED_PROBLEMS).enumerate() {
            write!(f, "{} {problem}", if i == 0 { ":" } else { ";" })?;
        }
        if n > DISPLAYED_PROBLEMS {
            write!(f, "; and {} more", n - DISPLAYED_PROBLEMS)?;
        }
        Ok(())
    }
}

/// A lookup named an id that the journey does not have.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{Channel, JourneyBuilder, Stage, Touchpoint, TouchpointKind};
///
/// let journey = JourneyBuilder::new("Tiny")
///     .stage(Stage::new("purchase", "Purchase"))
///     .touchpoint(Touchpoint::new("form", "Form", "purchase", Channel::Web, TouchpointKind::DigitalProduct).entry().goal())
///     .build()?;
/// let error = journey.touchpoints_in_stage("purchse").unwrap_err();
/// assert_eq!(error.to_string(), "unknown stage \"purchse\" (did you mean \"purchase\"?)");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub struct UnknownIdError {
    /// What kind of item was looked up.
    pub kind: ItemKind,
    /// The id that was not found.
    pub id: String,
    /// The closest valid id, when one is close enough to be a likely typo.
    pub suggestion: Option<String>,
}

/// Whose service level a [`Problem`] is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ServiceLevelOwner {
    /// A touchpoint's own service level.
    Touchpoint(ItemRef),
    /// A channel's, from the journey's `service_levels` list.
    Channel(crate::Channel),
}

impl fmt::Display for ServiceLevelOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceLevelOwner::Touchpoint(item) => write!(f, "{item}"),
            ServiceLevelOwner::Channel(channel) => write!(f, "channel {channel:?}"),
        }
    }
}

impl UnknownIdError {
    pub(crate) fn new(kind: ItemKind, id: impl Into<String>, suggestion: Option<String>) -> Self {
        Self {
            kind,
            id: id.into(),
            suggestion,
        }
    }
}

impl fmt::Display for UnknownIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.kind, self.id)?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, " (did you mean {suggestion:?}?)")?;
        }
        Ok(())
    }
}

pub(crate) use super::suggest::closest;
