//! Analyses: what a journey and its interaction log say together. Each analysis reads the
//! model and the log and returns a plain report value; partial results merge.

mod friction;
mod metrics;

pub use friction::{
    Axis, ConfigError, DetectFriction, Evidence, FrictionConfig, FrictionError, FrictionKind,
    FrictionPoint, FrictionReport, Location, Unit,
};
pub use metrics::{
    EmotionPoint, FcrRule, FunnelStep, GroupMetrics, JourneyMetrics, JourneyMismatch, Keyed,
    MetricsOptions, MetricsReport, Nps, PersonaCurve, ScoreMetric, SentimentMean, ShapeMismatch,
    Tallies, Tally, TimeToConvert,
};
