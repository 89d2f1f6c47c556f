//! Analyses: what a journey and its interaction log say together.
//!
//! Every analysis starts from an [`Observation`]: a journey paired with a log built for it
//! (checked once, by [`Fingerprint`](crate::Fingerprint)). A [`Selection`] picks the customers
//! and interactions to look at; the same selection serves every analysis. Each customer's
//! selected path is walked once ([`CustomerPath`], where the case logic of needs lives) and
//! added to the analysis' partial state ([`Accumulate`]): a plain serde value that merges
//! exactly with the partial state of other customers, so a pass can run on every core, or on
//! partitions in another engine, and give the same result as one pass.
//!
//! | analysis | partial state | result | convenience on [`Journey`](crate::Journey) |
//! |---|---|---|---|
//! | [`metrics`] | [`Tallies`] | [`MetricsReport`] | [`MetricsReport::compute`] |
//! | [`friction`] | [`FrictionCounts`] | [`FrictionReport`] | [`DetectFriction`] |
//! | [`paths`] | [`FollowsCounts`], [`VariantCounts`], [`DropOffCounts`] | [`DirectlyFollowsGraph`], [`Variants`], [`DropOffPaths`] | [`ObservePaths`] |
//! | [`conformance`] | [`ConformanceCounts`] | [`ConformanceReport`] | [`CheckConformance`] |
//! | [`attribution`] | [`ChainCounts`] | [`MarkovChain`], [`AttributionReport`], [`ShapleyReport`] | [`Attribute`] |
//! | [`whatif`] | — | [`Prediction`], [`JourneyDiff`] | [`MarkovChain::predict`] |

pub mod attribution;
mod calendar;
pub mod conformance;
pub mod friction;
mod layout;
pub mod metrics;
mod observation;
mod parallel;
pub mod paths;
mod selection;
mod table;
mod walk;
pub mod whatif;

pub use attribution::{
    Attribute, AttributionError, AttributionReport, ChainCounts, MarkovChain, ShapleyOptions,
    ShapleyReport,
};
pub use calendar::{Bucket, ByBucket, Calendar, CalendarError, Granularity, MAX_BUCKETS};
pub use conformance::{CheckConformance, ConformanceCounts, ConformanceReport, OffMapKind};
pub use friction::{
    BaselineScope, DetectFriction, FrictionConfig, FrictionCounts, FrictionError, FrictionKind,
    FrictionPoint, FrictionReport,
};
pub use metrics::{FcrRule, MetricsOptions, MetricsReport, Tallies};
pub use observation::{Accumulate, JourneyMismatch, Observation, ShapeMismatch};
pub use paths::{
    DirectlyFollowsGraph, DropOffCounts, DropOffPaths, FollowsCounts, ObservePaths, VariantCounts,
    Variants,
};
pub use selection::{Selection, SelectionError, TimeRange, TimeRangeMode};
pub use walk::{CustomerPath, NeedCase, Step};
pub use whatif::{Change, JourneyDiff, Prediction, WhatIfError};
