//! Analyses: what a journey and its interaction log say together. Each analysis reads the
//! model and the log and returns a plain report value; partial results merge.

mod metrics;

pub use metrics::{
    GroupMetrics, JourneyMismatch, Keyed, MetricsReport, Nps, ScoreMetric, ShapeMismatch, Tallies,
    Tally,
};
