//! Statistics every analysis shares: confidence intervals for rates, exact and mergeable
//! percentiles, and times to an event with censoring (Kaplan-Meier).
//!
//! Small samples say little, so rates come with Wilson score intervals, which stay inside
//! `0..=1` and behave at 0 and at `n` successes, unlike the normal approximation.

mod percentiles;
mod survival;
mod wilson;

pub use percentiles::{Durations, Mean, Summary};
pub use survival::TimeToEvent;
pub use wilson::{Interval, Rate};
