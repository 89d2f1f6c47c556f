//! Analyses: what a journey and its interaction log say together. Each analysis reads the
//! model and the log and returns a plain report value; partial results merge.

mod attribution;
pub(crate) mod conformance;
mod friction;
pub(crate) mod layout;
mod metrics;
pub(crate) mod paths;
mod whatif;

pub use attribution::{
    Attribute, AttributionError, AttributionReport, ChannelValue, EntryConversion, ExpectedSteps,
    MAX_EXACT_CHANNELS, MarkovChain, PersonaConversion, RemovalEffect, ShapleyMethod,
    ShapleyOptions, ShapleyReport,
};
pub use conformance::{
    CheckConformance, ConformanceReport, CustomerConformance, FitnessSpread, OffMapKind,
    OffMapMove, Rework, SkippedStage, StageMoves,
};
pub use friction::{
    Axis, ConfigError, DetectFriction, Evidence, FrictionConfig, FrictionError, FrictionKind,
    FrictionPoint, FrictionReport, Location, Unit,
};
pub use metrics::{
    EmotionPoint, FcrRule, FunnelStep, GroupMetrics, JourneyMetrics, JourneyMismatch, Keyed,
    MetricsOptions, MetricsReport, Nps, PersonaCurve, ScoreMetric, SentimentMean, ShapeMismatch,
    Tallies, Tally, TimeToConvert,
};
pub use paths::{
    Departure, DirectlyFollowsGraph, DropOffPaths, Endpoint, FollowsEdge, LastTouchpoint, NextStep,
    ObservePaths, PathCount, PathError, PathFilter, TimeRange, TimeRangeMode, Variant, VariantTail,
    Variants,
};
pub use whatif::{
    Change, DiffScenario, FlowRef, JourneyDiff, Prediction, TouchpointChange, WhatIfError,
};
