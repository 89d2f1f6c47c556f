//! Friction: where the journey is slow, hard or ineffective for customers, ranked by impact,
//! each point with its evidence, and never claimed from a sample too small to show it.
//!
//! # Method
//!
//! One pass over the log counts, per persona and touchpoint, the customers who met each kind
//! of friction, the survey answers, the needs and the times. Then, for each kind and
//! touchpoint, one test compares the touchpoint with every other touchpoint of the journey
//! (everyone's interactions), and, with the persona lens on, one test per persona compares that
//! persona at the touchpoint with the same persona elsewhere.
//!
//! Each test asks whether the touchpoint is worse than its baseline *by more than the minimum
//! effect*, not merely worse: a share is tested with the exact binomial test against the
//! baseline's share plus [`FrictionConfig::min_rate_difference`] (or times
//! [`FrictionConfig::min_rate_ratio`], whichever is higher), the baseline taken as known (it
//! is the pooled rest of the journey, usually many times larger); a time is tested with
//! Welch's t-test on the logarithm of 1 + seconds, against a difference of
//! ln([`FrictionConfig::min_time_ratio`]). Small, real differences between healthy
//! touchpoints are therefore not friction, however large the sample. The Benjamini-Hochberg
//! correction runs over every test of the report, and a test is friction when its q-value is
//! at most [`FrictionConfig::max_q`]. Places with fewer than [`FrictionConfig::min_sample`]
//! observations, or whose baseline has fewer, are not tested.
//!
//! **Persona lens.** When the test for everyone is friction and no persona alone is, the
//! friction is everyone's. When some personas alone are, and the other personas, pooled, have
//! at least `min_sample` observations at the touchpoint and do not show a difference of the
//! minimum effect there, the friction is reported for each of those personas alone, with their
//! own evidence: it is not diluted into the total. When the others show it too, it is
//! everyone's. When the others are too few to tell, it is everyone's too: a point is one
//! persona's only when the others were tested and show no such difference. A point that is
//! everyone's carries the measure of each persona at the place in its evidence
//! ([`Evidence::by_persona`]).
//!
//! Which customers count: drop-off, abandonment, failure, escalation, loops and off-map moves
//! count customers at the touchpoint (a customer who abandons three times counts once), survey
//! kinds count answers, repeat contacts and resolution times count
//! needs first raised at the touchpoint, waits count interactions. Drop-off is not tested at
//! goal touchpoints, where a journey may end.
//!
//! Structural friction (dead ends, unreachable touchpoints) comes from
//! [`Journey::warnings`]; it has no test and no evidence, and is listed apart from the ranking,
//! in [`FrictionReport::structural`].

mod config;
mod counts;
mod detect;
mod report;

pub use config::{BaselineScope, ConfigError, FrictionConfig};
pub use counts::FrictionCounts;
pub use detect::FrictionError;
pub use report::{
    Axis, Baseline, Evidence, FrictionKind, FrictionPoint, FrictionReport, Location,
    LostComparison, PersonaMeasure, Unit,
};

use crate::analysis::{Observation, Selection, SelectionError};
use crate::{InteractionLog, Journey};

/// Friction detection, as an analysis of a journey.
///
/// # Arguments
///
/// `log`: the journey's interactions; `selection`: which customers and interactions
/// ([`Selection::all`] for everything); `config`: the thresholds and kinds
/// ([`FrictionConfig::default`] for the documented defaults).
///
/// # Returns
///
/// A [`FrictionReport`]: every friction point, highest impact first, each with its location,
/// kind, persona (when one persona suffers it alone), severity, customers affected, estimated
/// lost conversions, evidence and one plain sentence.
///
/// # Errors
///
/// [`FrictionError::Config`] for settings out of range; [`FrictionError::Selection`] when the
/// log was built for another journey or the selection does not fit it.
///
/// # Complexity
///
/// O(n + K·T·P) for n interactions, K kinds, T touchpoints and P personas, plus
/// O(m log m) for the correction over m tests.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{DetectFriction, FrictionConfig, FrictionKind, Selection};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
/// let (log, _) = builder.finish();
/// let report = journey.detect_friction(&log, &Selection::all(), &FrictionConfig::default())?;
///
/// // The sample log has friction planted at the online application form.
/// let worst = &report.points[0];
/// println!("{} at {}: {}", worst.kind, worst.location, worst.summary);
/// assert!(report.points.iter().any(|p| p.location.to_string() == "online-application"));
/// # Ok(())
/// # }
/// ```
pub trait DetectFriction {
    /// Finds where the selected customers struggle. See the trait's documentation.
    ///
    /// # Errors
    ///
    /// See [`DetectFriction`].
    fn detect_friction(
        &self,
        log: &InteractionLog,
        selection: &Selection,
        config: &FrictionConfig,
    ) -> Result<FrictionReport, FrictionError>;
}

impl DetectFriction for Journey {
    fn detect_friction(
        &self,
        log: &InteractionLog,
        selection: &Selection,
        config: &FrictionConfig,
    ) -> Result<FrictionReport, FrictionError> {
        Observation::new(self, log)
            .map_err(SelectionError::from)?
            .friction(selection, config)
    }
}

impl FrictionReport {
    /// The same as [`DetectFriction::detect_friction`], as a constructor.
    ///
    /// # Errors
    ///
    /// See [`DetectFriction`].
    pub fn compute(
        journey: &Journey,
        log: &InteractionLog,
        selection: &Selection,
        config: &FrictionConfig,
    ) -> Result<FrictionReport, FrictionError> {
        journey.detect_friction(log, selection, config)
    }
}
