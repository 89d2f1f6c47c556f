//! The seeded journey simulator and its behaviour model.
//!
//! A [`Behaviour`] says how customers act at each touchpoint, for everyone or for one persona;
//! a [`Simulator`] walks customers through a journey by it and returns their interactions.
//! Friction is planted by a [`BehaviourChange`] at a touchpoint: the simulator is the ground
//! truth for testing friction detection, the generator of benchmark logs, and a what-if tool.

mod behaviour;
mod simulator;

pub use behaviour::{
    Behaviour, BehaviourChange, BehaviourError, BehaviourProblem, CustomerSpread, Incident,
    PersonaBehaviour, Seasonality, Spread, TouchpointBehaviour,
};
pub use simulator::Simulator;
