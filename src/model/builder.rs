//! Building a journey in code, with the same validation as a file.

use std::collections::hash_map::Entry;
use std::hash::Hash;

use super::ids::DenseIndex;
use super::journey::Journey;
use super::suggest::Suggestions;
use super::validation::ServiceLevelOwner;
use super::validation::{ItemKind, ItemRef, Problem, ValidationError, closest};
use super::{
    ChannelServiceLevel, FastMap, Flow, Persona, PersonaId, PersonaIndex, ServiceLevel, Stage,
    StageId, StageIndex, Touchpoint, TouchpointId, TouchpointIndex, fast_map,
};

/// The tolerance on the sum of expected shares leaving one touchpoint, for rounding in files.
const SHARE_SUM_TOLERANCE: f64 = 1e-9;

/// How many unknown references get a "did you mean" suggestion. Each suggestion scans every id
/// of its kind, so a file of a million bad references would otherwise take quadratic time.
const MAX_SUGGESTIONS: usize = 100;

/// Collects the parts of a journey and checks them all at once.
///
/// [`build`](JourneyBuilder::build) applies exactly the validation that loading a file applies
/// (files are read into a builder), and reports every problem together.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{Channel, Flow, JourneyBuilder, Persona, Stage, Touchpoint, TouchpointKind};
///
/// let journey = JourneyBuilder::new("Account opening")
///     .persona(Persona::new("student", "Student").with_uses("app-form"))
///     .stage(Stage::new("apply", "Apply"))
///     .stage(Stage::new("onboard", "Onboard"))
///     .touchpoint(Touchpoint::new("app-form", "Application form", "apply", Channel::MobileApp, TouchpointKind::DigitalProduct).entry())
///     .touchpoint(Touchpoint::new("welcome", "Welcome call", "onboard", Channel::Phone, TouchpointKind::HumanService).goal())
///     .flow(Flow::new("app-form", "app-form").with_label("retry"))
///     .flow(Flow::new("app-form", "welcome").with_expected_share(0.7))
///     .build()?;
/// assert_eq!(journey.touchpoints().len(), 2);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JourneyBuilder {
    pub(crate) parts: Parts,
}

/// The parts of a journey as written: what a builder collects and a journey keeps, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Parts {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) personas: Vec<Persona>,
    pub(crate) stages: Vec<Stage>,
    pub(crate) touchpoints: Vec<Touchpoint>,
    pub(crate) flows: Vec<Flow>,
    pub(crate) service_levels: Vec<ChannelServiceLevel>,
}

impl JourneyBuilder {
    /// Starts a journey with a name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            parts: Parts {
                name: name.into(),
                ..Parts::default()
            },
        }
    }

    /// Sets the journey's description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.parts.description = Some(description.into());
        self
    }

    /// Adds a persona.
    pub fn persona(mut self, persona: Persona) -> Self {
        self.parts.personas.push(persona);
        self
    }

    /// Adds personas.
    pub fn personas(mut self, personas: impl IntoIterator<Item = Persona>) -> Self {
        self.parts.personas.extend(personas);
        self
    }

    /// Adds a stage after those already added.
    pub fn stage(mut self, stage: Stage) -> Self {
        self.parts.stages.push(stage);
        self
    }

    /// Adds stages, in order, after those already added.
    pub fn stages(mut self, stages: impl IntoIterator<Item = Stage>) -> Self {
        self.parts.stages.extend(stages);
        self
    }

    /// Adds a touchpoint.
    pub fn touchpoint(mut self, touchpoint: Touchpoint) -> Self {
        self.parts.touchpoints.push(touchpoint);
        self
    }

    /// Adds touchpoints.
    pub fn touchpoints(mut self, touchpoints: impl IntoIterator<Item = Touchpoint>) -> Self {
        self.parts.touchpoints.extend(touchpoints);
        self
    }

    /// Adds a flow.
    pub fn flow(mut self, flow: Flow) -> Self {
        self.parts.flows.push(flow);
        self
    }

    /// Adds flows.
    pub fn flows(mut self, flows: impl IntoIterator<Item = Flow>) -> Self {
        self.parts.flows.extend(flows);
        self
    }

    /// Sets the service level of every touchpoint of a channel (targets a touchpoint sets
    /// itself take precedence).
    pub fn service_level(mut self, level: ChannelServiceLevel) -> Self {
        self.parts.service_levels.push(level);
        self
    }

    /// Checks every part and builds the journey.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] listing every [`Problem`]: empty or duplicate ids, references to
    /// unknown stages, touchpoints or personas (with the closest valid id as a suggestion),
    /// repeated flows or uses, expected shares that are NaN, outside `0..=1` or sum above 1 from
    /// one touchpoint, and a journey without a stage, a touchpoint, an entry or a goal.
    ///
    /// # Complexity
    ///
    /// O(n) expected time in the number of items, plus O(k·m) for at most 100 suggestions, where
    /// m is the number of ids of the kind a bad reference names.
    pub fn build(self) -> Result<Journey, ValidationError> {
        let (resolved, problems) = self.resolve();
        if problems.is_empty() {
            Ok(Journey::from_valid_parts(self.parts, resolved))
        } else {
            Err(ValidationError::new(problems))
        }
    }

    /// Resolves every reference to an index and collects every problem, in item order. The
    /// resolution is complete only when there are no problems.
    fn resolve(&self) -> (Resolved, Vec<Problem>) {
        let mut problems = Vec::new();
        for (kind, count) in [
            (ItemKind::Persona, self.parts.personas.len()),
            (ItemKind::Stage, self.parts.stages.len()),
            (ItemKind::Touchpoint, self.parts.touchpoints.len()),
            (ItemKind::Flow, self.parts.flows.len()),
        ] {
            if count >= u32::MAX as usize {
                problems.push(Problem::TooManyItems { kind, count });
            }
        }

        let persona_ids = unique_ids(
            ItemKind::Persona,
            self.parts.personas.iter().map(|p| &p.id),
            &mut problems,
        );
        let stage_ids = unique_ids(
            ItemKind::Stage,
            self.parts.stages.iter().map(|s| &s.id),
            &mut problems,
        );
        let touchpoint_ids = unique_ids(
            ItemKind::Touchpoint,
            self.parts.touchpoints.iter().map(|t| &t.id),
            &mut problems,
        );

        let id_bytes = self
            .parts
            .personas
            .iter()
            .map(|p| p.id.as_str().len())
            .sum::<usize>()
            + self
                .parts
                .stages
                .iter()
                .map(|s| s.id.as_str().len())
                .sum::<usize>()
            + self
                .parts
                .touchpoints
                .iter()
                .map(|t| t.id.as_str().len())
                .sum::<usize>();
        let mut suggestions = Suggestions::for_input(MAX_SUGGESTIONS, id_bytes);
        let mut unknown = |item: ItemRef, field: &str, target: ItemKind, id: &str| {
            let suggestion = match target {
                ItemKind::Persona => {
                    suggestions.closest(id, self.parts.personas.iter().map(|p| p.id.as_str()))
                }
                ItemKind::Stage => {
                    suggestions.closest(id, self.parts.stages.iter().map(|s| s.id.as_str()))
                }
                ItemKind::Touchpoint => {
                    suggestions.closest(id, self.parts.touchpoints.iter().map(|t| t.id.as_str()))
                }
                ItemKind::Flow => None,
            };
            Problem::UnknownReference {
                item,
                field: field.to_owned(),
                target,
                id: id.to_owned(),
                suggestion,
            }
        };

        let mut touchpoint_stage = Vec::with_capacity(self.parts.touchpoints.len());
        for (position, touchpoint) in self.parts.touchpoints.iter().enumerate() {
            match stage_ids.get(touchpoint.stage.as_str()) {
                Some(&stage) => touchpoint_stage.push(stage),
                None => {
                    let item = ItemRef::new(ItemKind::Touchpoint, position, touchpoint.id.as_str());
                    problems.push(unknown(
                        item,
                        "stage",
                        ItemKind::Stage,
                        touchpoint.stage.as_str(),
                    ));
                }
            }
        }

        let mut uses = Vec::with_capacity(self.parts.personas.len());
        // The persona that last listed each touchpoint, 1-based: a repeat is found in O(1)
        // however long the list.
        let mut listed_by = vec![0usize; self.parts.touchpoints.len()];
        for (position, persona) in self.parts.personas.iter().enumerate() {
            let item = || ItemRef::new(ItemKind::Persona, position, persona.id.as_str());
            let mut used: Vec<TouchpointIndex> = Vec::with_capacity(persona.uses.len());
            for id in &persona.uses {
                match touchpoint_ids.get(id.as_str()) {
                    None => {
                        problems.push(unknown(item(), "uses", ItemKind::Touchpoint, id.as_str()))
                    }
                    Some(&touchpoint)
                        if listed_by[TouchpointIndex::index(touchpoint)] == position + 1 =>
                    {
                        problems.push(Problem::RepeatedUse {
                            item: item(),
                            touchpoint: id.as_str().to_owned(),
                        })
                    }
                    Some(&touchpoint) => {
                        listed_by[TouchpointIndex::index(touchpoint)] = position + 1;
                        used.push(touchpoint);
                    }
                }
            }
            uses.push(used);
            let mut preferred =
                std::collections::HashSet::with_capacity(persona.preferred_channels.len().min(16));
            for channel in &persona.preferred_channels {
                if !preferred.insert(channel) {
                    problems.push(Problem::RepeatedChannel {
                        item: item(),
                        channel: channel.clone(),
                    });
                }
            }
        }

        let mut flow_ends = Vec::with_capacity(self.parts.flows.len());
        let mut pairs: FastMap<(TouchpointIndex, TouchpointIndex), usize> =
            fast_map(self.parts.flows.len());
        let mut share_sums: Vec<f64> = vec![0.0; self.parts.touchpoints.len()];
        for (position, flow) in self.parts.flows.iter().enumerate() {
            let item = || {
                ItemRef::new(
                    ItemKind::Flow,
                    position,
                    format!("{} -> {}", flow.from, flow.to),
                )
            };
            let from = touchpoint_ids.get(flow.from.as_str()).copied();
            let to = touchpoint_ids.get(flow.to.as_str()).copied();
            if from.is_none() {
                problems.push(unknown(
                    item(),
                    "from",
                    ItemKind::Touchpoint,
                    flow.from.as_str(),
                ));
            }
            if to.is_none() {
                problems.push(unknown(
                    item(),
                    "to",
                    ItemKind::Touchpoint,
                    flow.to.as_str(),
                ));
            }
            if let (Some(from), Some(to)) = (from, to) {
                match pairs.entry((from, to)) {
                    Entry::Occupied(first) => problems.push(Problem::DuplicateFlow {
                        item: item(),
                        first_position: *first.get(),
                    }),
                    Entry::Vacant(slot) => {
                        slot.insert(position);
                        flow_ends.push((from, to));
                    }
                }
            }
            if let Some(share) = flow.expected_share {
                if !(0.0..=1.0).contains(&share) {
                    problems.push(Problem::ShareOutOfRange {
                        item: item(),
                        share,
                    });
                } else if let Some(from) = from {
                    share_sums[from.index()] += share;
                }
            }
        }
        for (touchpoint, total) in self.parts.touchpoints.iter().zip(&share_sums) {
            if *total > 1.0 + SHARE_SUM_TOLERANCE {
                problems.push(Problem::SharesAboveOne {
                    touchpoint: touchpoint.id.as_str().to_owned(),
                    total: *total,
                });
            }
        }

        self.check_service_levels(&mut problems);

        if self.parts.stages.is_empty() {
            problems.push(Problem::NoStage);
        }
        if self.parts.touchpoints.is_empty() {
            problems.push(Problem::NoTouchpoint);
        } else {
            if !self.parts.touchpoints.iter().any(|t| t.is_entry) {
                problems.push(Problem::NoEntry);
            }
            if !self.parts.touchpoints.iter().any(|t| t.is_goal) {
                problems.push(Problem::NoGoal);
            }
        }
        let resolved = Resolved {
            persona_ids,
            stage_ids,
            touchpoint_ids,
            touchpoint_stage,
            uses,
            flow_ends,
        };
        (resolved, problems)
    }
}

impl JourneyBuilder {
    /// Checks the targets of every service level, that each channel has at most one, and that
    /// a channel's service level names a channel some touchpoint uses.
    fn check_service_levels(&self, problems: &mut Vec<Problem>) {
        let mut out_of_range = |owner: ServiceLevelOwner, level: &ServiceLevel| {
            for (field, value, expected) in level.out_of_range() {
                problems.push(Problem::ServiceLevelOutOfRange {
                    owner: owner.clone(),
                    field: field.to_owned(),
                    value,
                    expected: expected.to_owned(),
                });
            }
        };
        for (position, touchpoint) in self.parts.touchpoints.iter().enumerate() {
            if let Some(level) = &touchpoint.service_level {
                let item = ItemRef::new(ItemKind::Touchpoint, position, touchpoint.id.as_str());
                out_of_range(ServiceLevelOwner::Touchpoint(item), level);
            }
        }
        for level in &self.parts.service_levels {
            out_of_range(
                ServiceLevelOwner::Channel(level.channel.clone()),
                &level.level,
            );
        }
        for (position, level) in self.parts.service_levels.iter().enumerate() {
            if let Some(first) = self.parts.service_levels[..position]
                .iter()
                .position(|l| l.channel == level.channel)
            {
                problems.push(Problem::DuplicateServiceLevel {
                    channel: level.channel.clone(),
                    position,
                    first_position: first,
                });
            }
            if !self
                .parts
                .touchpoints
                .iter()
                .any(|t| t.channel == level.channel)
            {
                let used: Vec<String> = self
                    .parts
                    .touchpoints
                    .iter()
                    .map(|t| format!("{:?}", t.channel))
                    .collect();
                let suggestion = closest(
                    &format!("{:?}", level.channel),
                    used.iter().map(String::as_str),
                );
                problems.push(Problem::UnusedServiceLevelChannel {
                    channel: level.channel.clone(),
                    suggestion,
                });
            }
        }
    }
}

/// Every reference of a valid journey, resolved to indices, and the id maps that resolved them.
pub(crate) struct Resolved {
    pub(crate) persona_ids: FastMap<PersonaId, PersonaIndex>,
    pub(crate) stage_ids: FastMap<StageId, StageIndex>,
    pub(crate) touchpoint_ids: FastMap<TouchpointId, TouchpointIndex>,
    /// The stage of each touchpoint, by touchpoint index.
    pub(crate) touchpoint_stage: Vec<StageIndex>,
    /// The touchpoints each persona uses, by persona index.
    pub(crate) uses: Vec<Vec<TouchpointIndex>>,
    /// The ends of each flow, by flow index.
    pub(crate) flow_ends: Vec<(TouchpointIndex, TouchpointIndex)>,
}

/// Maps each valid id to the index of its first item, reporting empty and duplicate ids.
fn unique_ids<'a, Id, Ix>(
    kind: ItemKind,
    ids: impl ExactSizeIterator<Item = &'a Id>,
    problems: &mut Vec<Problem>,
) -> FastMap<Id, Ix>
where
    Id: AsRef<str> + Clone + Eq + Hash + 'a,
    Ix: DenseIndex,
{
    let mut map: FastMap<Id, Ix> = fast_map(ids.len());
    for (position, id) in ids.enumerate() {
        if id.as_ref().trim().is_empty() {
            problems.push(Problem::EmptyId {
                item: ItemRef::new(kind, position, id.as_ref()),
            });
            continue;
        }
        match map.entry(id.clone()) {
            Entry::Occupied(first) => problems.push(Problem::DuplicateId {
                item: ItemRef::new(kind, position, id.as_ref()),
                first_position: first.get().position(),
            }),
            Entry::Vacant(slot) => {
                slot.insert(Ix::at(position));
            }
        }
    }
    map
}
