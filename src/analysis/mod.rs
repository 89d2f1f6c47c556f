//! Analyses: what a journey and its interaction log say together. Each analysis reads the
//! model and the log and returns a plain report value; partial results merge.

mod metrics;

pub use metrics::{
    EmotionPoint, FcrRule, FunnelStep, GroupMetrics, JourneyMetrics, JourneyMismatch, Keyed,
    MetricsOptions, MetricsReport, Nps, PersonaCurve, ScoreMetric, SentimentMean, ShapeMismatch,
    Tallies, Tally, TimeToConvert,
};
