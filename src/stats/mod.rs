//! Statistics every analysis shares: confidence intervals for rates, exact and mergeable
//! percentiles, times to an event with censoring (Kaplan-Meier), one-sided tests against a
//! baseline (Fisher's exact test, Welch's t-test) and the Benjamini-Hochberg correction for
//! testing many places at once.
//!
//! Small samples say little, so rates come with Wilson score intervals, which stay inside
//! `0..=1` and behave at 0 and at `n` successes, unlike the normal approximation.

mod fdr;
mod fixed;
mod hypothesis;
mod percentiles;
mod survival;
mod wilson;

pub use fdr::benjamini_hochberg;
pub(crate) use hypothesis::t_interval;
pub use hypothesis::{Moments, binomial_greater, fisher_greater, welch_greater, welch_greater_by};
pub use percentiles::{Durations, Mean, Summary};
pub(crate) use percentiles::{SortedPart, summary_of_sorted};
pub use survival::TimeToEvent;
pub use wilson::{Interval, Rate};
