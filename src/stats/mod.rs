//! Statistics every analysis shares: confidence intervals for rates and exact, mergeable
//! percentiles.
//!
//! Small samples say little, so rates come with Wilson score intervals, which stay inside
//! `0..=1` and behave at 0 and at `n` successes, unlike the normal approximation.

mod percentiles;
mod wilson;

pub use percentiles::{Distribution, Summary};
pub use wilson::{Interval, Rate};
