//! The journey model: personas, ordered stages, touchpoints and flows in one graph.
//!
//! The model knows nothing of interactions or analyses; they read it.

mod adjacency;
mod builder;
mod checks;
mod flow;
pub(crate) mod ids;
mod journey;
pub(crate) mod lookup;
mod persona;
mod queries;
mod service_level;
mod stage;
pub(crate) mod suggest;
mod touchpoint;
pub(crate) mod validation;

/// A hash map with foldhash's fast, randomly seeded hasher: ids are hashed on every load.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

pub(crate) fn fast_map<K, V>(capacity: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(capacity, foldhash::fast::RandomState::default())
}

pub use builder::JourneyBuilder;
pub(crate) use builder::Parts;
pub use checks::StructuralWarning;
pub use flow::Flow;
pub use ids::{
    FlowIndex, PersonaId, PersonaIndex, StageId, StageIndex, TouchpointId, TouchpointIndex,
};
pub use journey::{Fingerprint, Journey};
pub use persona::Persona;
pub use queries::{GoalPaths, PathLimits};
pub use service_level::{ChannelServiceLevel, ServiceLevel, Within};
pub use stage::Stage;
pub use touchpoint::{Channel, Touchpoint, TouchpointKind};
pub use validation::{
    ItemKind, ItemRef, Problem, ServiceLevelOwner, UnknownIdError, ValidationError,
};
