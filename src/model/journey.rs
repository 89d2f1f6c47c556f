//! The journey: every persona, stage, touchpoint and flow held together in one graph.

use std::borrow::Borrow;
use std::fmt;
use std::hash::Hash;

use petgraph::graph::{DiGraph, NodeIndex};

use super::FastMap;
use super::adjacency::{FlowAdjacency, Way};
use super::builder::{JourneyBuilder, Parts, Resolved};
use super::lookup::IdLookup;
use super::validation::{ItemKind, UnknownIdError, closest};
use super::{
    ChannelServiceLevel, Flow, FlowIndex, Persona, PersonaId, PersonaIndex, ServiceLevel, Stage,
    StageId, StageIndex, Touchpoint, TouchpointId, TouchpointIndex,
};

/// A node of the journey graph: the index of the item it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Node {
    Persona(PersonaIndex),
    Stage(StageIndex),
    Touchpoint(TouchpointIndex),
}

/// An edge of the journey graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    /// From a stage to the stage after it.
    NextStage,
    /// From a stage to one of its touchpoints.
    Contains,
    /// A designed flow between two touchpoints.
    Flow(FlowIndex),
    /// From a persona to a touchpoint it is expected to use.
    Uses,
}

pub(crate) type Graph = DiGraph<Node, Edge, u32>;

/// A validated customer journey map: personas, ordered stages, touchpoints and the flows between
/// them, held together in one petgraph graph.
///
/// A `Journey` is immutable and always valid: it is made only by [`JourneyBuilder::build`] or by
/// loading a file, which check every part. To change one, call [`Journey::to_builder`], change
/// the parts, and build again.
///
/// Items are looked up by their id in O(1) ([`touchpoint`](Journey::touchpoint)) or by their
/// dense index ([`touchpoint_at`](Journey::touchpoint_at)); the slices
/// ([`touchpoints`](Journey::touchpoints)) are in file order, so the item at position `i` has
/// index `i`.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::Journey;
///
/// let journey: Journey = r#"(
///     name: "Coffee subscription",
///     stages: [(id: "discover", name: "Discover"), (id: "subscribe", name: "Subscribe")],
///     touchpoints: [
///         (id: "ad", name: "Social advert", stage: "discover", channel: Social, kind: Marketing, entry: true),
///         (id: "checkout", name: "Checkout", stage: "subscribe", channel: Web, kind: DigitalProduct, goal: true),
///     ],
///     flows: [(from: "ad", to: "checkout")],
/// )"#.parse()?;
/// assert_eq!(journey.stage_of("checkout")?.name, "Subscribe");
/// assert_eq!(journey.next_touchpoints("ad")?[0].id, "checkout");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Journey {
    /// Everything as written; the rest is derived from it.
    pub(crate) parts: Parts,
    persona_ids: FastMap<PersonaId, PersonaIndex>,
    stage_ids: FastMap<StageId, StageIndex>,
    touchpoint_ids: FastMap<TouchpointId, TouchpointIndex>,
    /// The persona and touchpoint ids again, for reading records (no `memcmp` call a lookup).
    persona_lookup: IdLookup,
    touchpoint_lookup: IdLookup,
    /// The stage of each touchpoint, by touchpoint index.
    pub(crate) touchpoint_stage: Vec<StageIndex>,
    pub(crate) graph: Graph,
    pub(crate) persona_nodes: Vec<NodeIndex>,
    pub(crate) stage_nodes: Vec<NodeIndex>,
    pub(crate) touchpoint_nodes: Vec<NodeIndex>,
    /// The flows by the touchpoint they leave, for fast traversals.
    pub(crate) flows_out: FlowAdjacency,
    /// The flows by the touchpoint they enter, for fast traversals.
    pub(crate) flows_in: FlowAdjacency,
    /// A hash of the ids, computed once.
    fingerprint: Fingerprint,
}

/// A fingerprint of a journey's ids: its personas, stages and touchpoints in order, and the
/// stage of each touchpoint. Two journeys with the same fingerprint index their personas,
/// stages and touchpoints the same way, so a log or a partial analysis made for one can be
/// read with the other.
///
/// The value is a 64-bit FNV-1a hash, the same on every platform and in every run, so partial
/// results computed on one machine can be checked on another. It is not a cryptographic hash.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::Journey;
///
/// let bank = Journey::load("examples/data/retail_bank.ron")?;
/// let broadband = Journey::load("examples/data/broadband.ron")?;
/// assert_eq!(bank.fingerprint(), Journey::load("examples/data/retail_bank.ron")?.fingerprint());
/// assert_ne!(bank.fingerprint(), broadband.fingerprint());
/// assert_eq!(bank.fingerprint().to_string().len(), 16);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Fingerprint(u64);

impl Fingerprint {
    /// The hash as a number.
    pub fn as_u64(self) -> u64 {
        self.0
    }

    /// A fingerprint from its number, as [`Fingerprint::as_u64`] gives it.
    pub fn from_u64(value: u64) -> Self {
        Self(value)
    }

    fn of(parts: &Parts, touchpoint_stage: &[StageIndex]) -> Self {
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for &b in bytes {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(PRIME);
            }
        };
        // A kind tag before each list and a length before each id keep the encoding unique.
        for (tag, ids) in [
            (
                b'p',
                parts
                    .personas
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>(),
            ),
            (b's', parts.stages.iter().map(|s| s.id.as_str()).collect()),
            (
                b't',
                parts.touchpoints.iter().map(|t| t.id.as_str()).collect(),
            ),
        ] {
            eat(&[tag]);
            eat(&(ids.len() as u64).to_le_bytes());
            for id in ids {
                eat(&(id.len() as u64).to_le_bytes());
                eat(id.as_bytes());
            }
        }
        for stage in touchpoint_stage {
            eat(&stage.as_u32().to_le_bytes());
        }
        Self(hash)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl Journey {
    /// Builds the graph of parts that [`JourneyBuilder`] has checked and resolved.
    pub(crate) fn from_valid_parts(parts: Parts, resolved: Resolved) -> Self {
        let Parts {
            personas,
            stages,
            touchpoints,
            flows,
            ..
        } = &parts;
        let Resolved {
            persona_ids,
            stage_ids,
            touchpoint_ids,
            touchpoint_stage,
            uses,
            flow_ends,
        } = resolved;
        let node_count = personas.len() + stages.len() + touchpoints.len();
        let edge_count = stages.len()
            + touchpoints.len()
            + flows.len()
            + uses.iter().map(Vec::len).sum::<usize>();
        let mut graph = Graph::with_capacity(node_count, edge_count);

        let persona_nodes: Vec<NodeIndex> = (0..personas.len())
            .map(|i| graph.add_node(Node::Persona(PersonaIndex::from_usize(i))))
            .collect();
        let stage_nodes: Vec<NodeIndex> = (0..stages.len())
            .map(|i| graph.add_node(Node::Stage(StageIndex::from_usize(i))))
            .collect();
        let touchpoint_nodes: Vec<NodeIndex> = (0..touchpoints.len())
            .map(|i| graph.add_node(Node::Touchpoint(TouchpointIndex::from_usize(i))))
            .collect();

        for pair in stage_nodes.windows(2) {
            graph.add_edge(pair[0], pair[1], Edge::NextStage);
        }
        for (tp, stage) in touchpoint_stage.iter().enumerate() {
            graph.add_edge(
                stage_nodes[stage.index()],
                touchpoint_nodes[tp],
                Edge::Contains,
            );
        }
        for (i, (from, to)) in flow_ends.iter().enumerate() {
            graph.add_edge(
                touchpoint_nodes[from.index()],
                touchpoint_nodes[to.index()],
                Edge::Flow(FlowIndex::from_usize(i)),
            );
        }
        for (p, used) in uses.iter().enumerate() {
            for tp in used {
                graph.add_edge(persona_nodes[p], touchpoint_nodes[tp.index()], Edge::Uses);
            }
        }

        let flows_out = FlowAdjacency::new(touchpoints.len(), &flow_ends, Way::Forward);
        let flows_in = FlowAdjacency::new(touchpoints.len(), &flow_ends, Way::Backward);

        let fingerprint = Fingerprint::of(&parts, &touchpoint_stage);
        let persona_lookup = IdLookup::new(
            persona_ids
                .iter()
                .map(|(id, index)| (id.as_str(), index.as_u32())),
        );
        let touchpoint_lookup = IdLookup::new(
            touchpoint_ids
                .iter()
                .map(|(id, index)| (id.as_str(), index.as_u32())),
        );
        Self {
            fingerprint,
            persona_lookup,
            touchpoint_lookup,
            parts,
            flows_out,
            flows_in,
            persona_ids,
            stage_ids,
            touchpoint_ids,
            touchpoint_stage,
            graph,
            persona_nodes,
            stage_nodes,
            touchpoint_nodes,
        }
    }

    /// The fingerprint of this journey's ids, which logs and partial analyses carry to check
    /// that they are read with the journey they were made for.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// A builder holding a copy of this journey's parts, to change and build again.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// use journey_map::Stage;
    ///
    /// let bigger = journey.to_builder().stage(Stage::new("farewell", "Farewell")).build()?;
    /// assert_eq!(bigger.stages().len(), journey.stages().len() + 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_builder(&self) -> JourneyBuilder {
        JourneyBuilder {
            parts: self.parts.clone(),
        }
    }

    /// Consumes the journey and returns a builder holding its parts.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// use journey_map::Stage;
    /// let longer = journey.into_builder().stage(Stage::new("farewell", "Farewell")).build()?;
    /// assert_eq!(longer.empty_stages().len(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_builder(self) -> JourneyBuilder {
        JourneyBuilder { parts: self.parts }
    }

    /// The journey's name.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// assert_eq!(journey.name(), "Retail bank current account");
    /// # Ok(())
    /// # }
    /// ```
    pub fn name(&self) -> &str {
        &self.parts.name
    }

    /// The journey's description.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// assert!(journey.description().is_some_and(|d| d.contains("branch")));
    /// # Ok(())
    /// # }
    /// ```
    pub fn description(&self) -> Option<&str> {
        self.parts.description.as_deref()
    }

    /// All personas, in file order: the persona at position `i` has index `i`.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// assert_eq!(journey.personas()[1].id, "branch-loyalist");
    /// assert_eq!(journey.persona_index("branch-loyalist").map(|p| p.index()), Some(1));
    /// # Ok(())
    /// # }
    /// ```
    pub fn personas(&self) -> &[Persona] {
        &self.parts.personas
    }

    /// All stages, in journey order: the stage at position `i` has index `i`.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let order: Vec<&str> = journey.stages().iter().map(|s| s.id.as_str()).collect();
    /// assert_eq!(order[..3], ["awareness", "consideration", "apply"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn stages(&self) -> &[Stage] {
        &self.parts.stages
    }

    /// All touchpoints, in file order: the touchpoint at position `i` has index `i`.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let human = journey.touchpoints().iter().filter(|t| t.kind.is_human()).count();
    /// assert!(human >= 5);
    /// # Ok(())
    /// # }
    /// ```
    pub fn touchpoints(&self) -> &[Touchpoint] {
        &self.parts.touchpoints
    }

    /// All flows, in file order: the flow at position `i` has index `i`.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let retries = journey.flows().iter().filter(|f| f.is_self_loop()).count();
    /// assert!(retries >= 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn flows(&self) -> &[Flow] {
        &self.parts.flows
    }

    /// Each flow with the indices of the touchpoints it leaves and enters, in file order.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let loops = journey.flow_ends().filter(|(_, from, to)| from == to).count();
    /// assert_eq!(loops, journey.flows().iter().filter(|f| f.is_self_loop()).count());
    /// assert_eq!(journey.flow_ends().count(), journey.flows().len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn flow_ends(
        &self,
    ) -> impl Iterator<Item = (&Flow, TouchpointIndex, TouchpointIndex)> + '_ {
        // A built journey's flows join touchpoints it holds (validation refuses others).
        self.parts.flows.iter().filter_map(|flow| {
            Some((
                flow,
                self.touchpoint_index(flow.from.as_str())?,
                self.touchpoint_index(flow.to.as_str())?,
            ))
        })
    }

    /// The service levels set per channel, in file order.
    pub fn service_levels(&self) -> &[ChannelServiceLevel] {
        &self.parts.service_levels
    }

    /// The service level of a touchpoint: its own targets, and for each target it leaves out,
    /// its channel's. Empty (no target) when neither sets one; `None` for an index out of range.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::{Journey, Within};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let helpline = journey.touchpoint_index("application-helpline").ok_or("no helpline")?;
    /// let level = journey.service_level(helpline).ok_or("out of range")?;
    /// assert_eq!(level.answer, Some(Within::new(120.0, 0.8)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn service_level(&self, touchpoint: TouchpointIndex) -> Option<ServiceLevel> {
        let tp = self.parts.touchpoints.get(touchpoint.index())?;
        let channel = self
            .parts
            .service_levels
            .iter()
            .find(|l| l.channel == tp.channel)
            .map(|l| l.level)
            .unwrap_or_default();
        Some(tp.service_level.unwrap_or_default().or(&channel))
    }

    /// The entry touchpoints, in file order.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let entries: Vec<&str> = journey.entries().map(|t| t.id.as_str()).collect();
    /// assert_eq!(entries, ["search-ad", "social-campaign", "branch-poster"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn entries(&self) -> impl Iterator<Item = &Touchpoint> + '_ {
        self.parts.touchpoints.iter().filter(|t| t.is_entry)
    }

    /// The goal touchpoints, in file order.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// assert!(journey.goals().any(|t| t.id == "account-opened"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn goals(&self) -> impl Iterator<Item = &Touchpoint> + '_ {
        self.parts.touchpoints.iter().filter(|t| t.is_goal)
    }

    /// The persona with this id, in O(1).
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let persona = journey.persona("digital-native").ok_or("missing")?;
    /// assert_eq!(persona.attributes["age band"], "18-29");
    /// # Ok(())
    /// # }
    /// ```
    pub fn persona<Q>(&self, id: &Q) -> Option<&Persona>
    where
        PersonaId: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.persona_ids
            .get(id)
            .map(|i| &self.parts.personas[i.index()])
    }

    /// The stage with this id, in O(1).
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// assert_eq!(journey.stage("apply").map(|s| s.name.as_str()), Some("Apply"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn stage<Q>(&self, id: &Q) -> Option<&Stage>
    where
        StageId: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.stage_ids
            .get(id)
            .map(|i| &self.parts.stages[i.index()])
    }

    /// The touchpoint with this id, in O(1).
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// let branch = journey.touchpoint("branch-appointment").ok_or("missing")?;
    /// assert_eq!(branch.channel, journey_map::Channel::Store);
    /// assert!(journey.touchpoint("no-such-touchpoint").is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn touchpoint<Q>(&self, id: &Q) -> Option<&Touchpoint>
    where
        TouchpointId: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.touchpoint_ids
            .get(id)
            .map(|i| &self.parts.touchpoints[i.index()])
    }

    /// The index of the persona with this id, in O(1).
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let ix = journey.persona_index("small-business-owner").ok_or("missing")?;
    /// assert_eq!(journey.persona_at(ix).map(|p| p.name.as_str()), Some("Small business owner"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn persona_index<Q>(&self, id: &Q) -> Option<PersonaIndex>
    where
        PersonaId: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.persona_ids.get(id).copied()
    }

    /// The index of the stage with this id, in O(1): its position in journey order.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// // Stage indices compare in journey order.
    /// assert!(journey.stage_index("apply") < journey.stage_index("onboarding"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn stage_index<Q>(&self, id: &Q) -> Option<StageIndex>
    where
        StageId: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.stage_ids.get(id).copied()
    }

    /// The index of the touchpoint with this id, in O(1).
    ///
    /// Indices are dense from zero, so a program can keep one slot per touchpoint in a vector.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::from_ron_str(include_str!("../../examples/data/retail_bank.ron"))?;
    /// let mut visits = vec![0_u64; journey.touchpoints().len()];
    /// let ix = journey.touchpoint_index("online-application").ok_or("missing")?;
    /// visits[ix.index()] += 1;
    /// assert_eq!(journey.touchpoint_at(ix).map(|t| t.id.as_str()), Some("online-application"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn touchpoint_index<Q>(&self, id: &Q) -> Option<TouchpointIndex>
    where
        TouchpointId: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.touchpoint_ids.get(id).copied()
    }

    /// As [`touchpoint_index`](Self::touchpoint_index) for a `&str`, on the path of reading
    /// records.
    #[inline]
    pub(crate) fn touchpoint_index_of(&self, id: &str) -> Option<TouchpointIndex> {
        self.touchpoint_lookup
            .get(id)
            .map(TouchpointIndex::from_u32)
    }

    /// As [`persona_index`](Self::persona_index) for a `&str`, on the path of reading records.
    #[inline]
    pub(crate) fn persona_index_of(&self, id: &str) -> Option<PersonaIndex> {
        self.persona_lookup.get(id).map(PersonaIndex::from_u32)
    }

    /// The persona at this index, or `None` for an index this journey does not have.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// use journey_map::PersonaIndex;
    /// assert!(journey.persona_at(PersonaIndex::from_u32(0)).is_some());
    /// assert!(journey.persona_at(PersonaIndex::from_u32(99)).is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn persona_at(&self, index: PersonaIndex) -> Option<&Persona> {
        self.parts.personas.get(index.index())
    }

    /// The stage at this index, or `None` for an index this journey does not have.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// use journey_map::StageIndex;
    /// assert_eq!(journey.stage_at(StageIndex::from_u32(0)).map(|s| s.id.as_str()), Some("awareness"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn stage_at(&self, index: StageIndex) -> Option<&Stage> {
        self.parts.stages.get(index.index())
    }

    /// The touchpoint at this index, or `None` for an index this journey does not have.
    pub fn touchpoint_at(&self, index: TouchpointIndex) -> Option<&Touchpoint> {
        self.parts.touchpoints.get(index.index())
    }

    /// The flow at this index, or `None` for an index this journey does not have.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// use journey_map::FlowIndex;
    /// assert_eq!(journey.flow_at(FlowIndex::from_u32(0)).map(|f| f.from.as_str()), Some("search-ad"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn flow_at(&self, index: FlowIndex) -> Option<&Flow> {
        self.parts.flows.get(index.index())
    }

    /// The index of the stage of the touchpoint at this index, in O(1).
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let chatbot = journey.touchpoint_index("chatbot").ok_or("missing")?;
    /// assert_eq!(journey.stage_index_of(chatbot), journey.stage_index("consideration"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn stage_index_of(&self, touchpoint: TouchpointIndex) -> Option<StageIndex> {
        self.touchpoint_stage.get(touchpoint.index()).copied()
    }

    /// Resolves a persona id, or explains why it cannot with the closest valid id.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such persona.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let error = journey.resolve_persona("digtal-native").unwrap_err();
    /// assert!(error.to_string().contains("did you mean"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn resolve_persona<Q>(&self, id: &Q) -> Result<PersonaIndex, UnknownIdError>
    where
        PersonaId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        self.persona_index(id).ok_or_else(|| {
            unknown(
                ItemKind::Persona,
                id,
                self.parts.personas.iter().map(|p| p.id.as_str()),
            )
        })
    }

    /// Resolves a stage id, or explains why it cannot with the closest valid id.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such stage.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let error = journey.resolve_stage("onbording").unwrap_err();
    /// assert!(error.to_string().contains("did you mean"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn resolve_stage<Q>(&self, id: &Q) -> Result<StageIndex, UnknownIdError>
    where
        StageId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        self.stage_index(id).ok_or_else(|| {
            unknown(
                ItemKind::Stage,
                id,
                self.parts.stages.iter().map(|s| s.id.as_str()),
            )
        })
    }

    /// Resolves a touchpoint id, or explains why it cannot with the closest valid id.
    ///
    /// # Errors
    ///
    /// [`UnknownIdError`] when the journey has no such touchpoint.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let journey = journey_map::Journey::load("examples/data/retail_bank.ron")?;
    /// let error = journey.resolve_touchpoint("chatbt").unwrap_err();
    /// assert!(error.to_string().contains("did you mean"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn resolve_touchpoint<Q>(&self, id: &Q) -> Result<TouchpointIndex, UnknownIdError>
    where
        TouchpointId: Borrow<Q>,
        Q: Hash + Eq + fmt::Display + ?Sized,
    {
        self.touchpoint_index(id).ok_or_else(|| {
            unknown(
                ItemKind::Touchpoint,
                id,
                self.parts.touchpoints.iter().map(|t| t.id.as_str()),
            )
        })
    }

    /// The touchpoint a graph node stands for, if it stands for one.
    pub(crate) fn touchpoint_of_node(&self, node: NodeIndex) -> Option<TouchpointIndex> {
        match self.graph.node_weight(node) {
            Some(Node::Touchpoint(ix)) => Some(*ix),
            _ => None,
        }
    }
}

fn unknown<'a, Q: fmt::Display + ?Sized>(
    kind: ItemKind,
    id: &Q,
    candidates: impl IntoIterator<Item = &'a str>,
) -> UnknownIdError {
    let id = id.to_string();
    let suggestion = closest(&id, candidates);
    UnknownIdError {
        kind,
        id,
        suggestion,
    }
}

/// Two journeys are equal when their parts are equal: name, description, and every persona,
/// stage, touchpoint and flow in order. The graph is derived from the parts.
impl PartialEq for Journey {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl fmt::Debug for Journey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journey")
            .field("name", &self.parts.name)
            .field("description", &self.parts.description)
            .field("personas", &self.parts.personas)
            .field("stages", &self.parts.stages)
            .field("touchpoints", &self.parts.touchpoints)
            .field("flows", &self.parts.flows)
            .finish()
    }
}
