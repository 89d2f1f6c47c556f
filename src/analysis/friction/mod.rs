//! Friction: where the journey is slow, hard or ineffective for customers, ranked by impact,
//! each point with its evidence, and never claimed from a sample too small to show it.
//!
//! # Method
//!
//! One pass over the log counts, per persona and touchpoint, the customers who met each kind
//! of friction, the survey answers, the needs, the times, the service level misses, and per
//! move between two touchpoints and per stage the handoff times. Then, for each kind and
//! place, one test compares the place with its baseline (everyone's customers), and, with the
//! persona lens on, one test per persona compares that persona there with the same persona's
//! baseline.
//!
//! **Like with like.** A place's baseline is its peers, not the pool of everything
//! ([`BaselineScope::Peers`], the default): the other touchpoints of the same channel and kind
//! when they hold at least [`FrictionConfig::min_sample`] customers in at least
//! [`FrictionConfig::min_peers`] touchpoints, else those of the same channel, else those of the
//! same kind, else the whole journey. Times (waits, resolution times) never leave their
//! channel: a phone line is compared with phone touchpoints, a web page with web pages, and a
//! touchpoint alone on its channel has its times judged only by its service level, since a
//! channel's natural speed is not friction. A move (a handoff) is compared with the moves
//! between the same two channels, else with the moves into the same channel; a stage with the
//! other stages. Loops and repeat contacts are compared only with touchpoints where the map
//! designs revisits alike: those with a designed self-flow, those on a designed cycle, and
//! those where the map designs none. [`BaselineScope::Journey`] pools the whole journey
//! instead. The evidence names the baseline ([`Evidence::baseline_kind`],
//! [`Evidence::baseline_of`]).
//!
//! **The map's own expectations.** Where a touchpoint has a designed self-flow with an
//! expected share, its loops are tested per visit (the share of visits followed at once by
//! another visit there) against that share; where every flow leaving a touchpoint has an
//! expected share, its drop-off is tested per visit against what they leave (1 - their sum).
//! Both are friction only above the designed rate by the minimum effect.
//!
//! **Service levels.** A touchpoint's service level ([`crate::Journey::service_level`]: its
//! own targets, else its channel's) is tested target by target against the promise itself:
//! the share of contacts not answered within the promised time, of contacts abandoned, of
//! CSAT answers below the top two boxes, of needs not resolved within the promised time,
//! against the share the promise allows. No minimum effect applies: the promise is the line.
//!
//! **Handoffs.** The time from the end of one interaction (its start plus its wait and
//! handling times, where the log has them) to the start of the customer's next one is a
//! handoff ([`crate::analysis::CustomerPath::gap_seconds`]); repeats of one touchpoint are left
//! out. A move whose handoffs are slower than its peers' is [`FrictionKind::SlowHandoff`] at a
//! [`Location::Flow`]; a stage whose incoming handoffs are slower than the other stages' is one
//! at a [`Location::Stage`].
//!
//! **Customers, not rows.** Each test counts customers: rates of customers (drop-off,
//! abandonment, failure, escalation, loops, off-map moves: a customer who abandons three times
//! counts once); times as one value per customer (the mean of the logarithm of their times at
//! the place); shares of answers, needs and contacts (surveys, repeat contacts, service levels)
//! measured as such but tested as if they were shares of the customers behind them
//! ([`Evidence::customers`]), so that one customer's many answers are not taken for many
//! independent observations.
//!
//! **The tests.** Each test asks whether the place is worse than its baseline *by more than
//! the minimum effect*, not merely worse: a share is tested with the exact binomial test
//! against the baseline's share plus [`FrictionConfig::min_rate_difference`] (or times
//! [`FrictionConfig::min_rate_ratio`], whichever is higher), the baseline taken as known; a
//! time is tested with Welch's t-test on the logarithm of 1 + seconds, against a difference of
//! ln([`FrictionConfig::min_time_ratio`]). Small, real differences between healthy places are
//! therefore not friction, however large the sample. The Benjamini-Hochberg correction runs
//! over every test of the report, and a test is friction when its q-value is at most
//! [`FrictionConfig::max_q`]. Places with fewer than [`FrictionConfig::min_sample`] customers,
//! or whose baseline has fewer, are not tested (and counted in
//! [`FrictionReport::untested`]).
//!
//! **Persona lens.** When the test for everyone is friction and no persona alone is, the
//! friction is everyone's. When some personas alone are, and the other personas, pooled, have
//! enough customers at the place and do not show a difference of the minimum effect there, the
//! friction is reported for each of those personas alone, with their own evidence: it is not
//! diluted into the total. When the others show it too, it is everyone's. When the others are
//! too few to tell, it is everyone's too: a point is one persona's only when the others were
//! tested and show no such difference. A point that is everyone's carries the measure of each
//! persona at the place in its evidence ([`Evidence::by_persona`]). Service levels are tested
//! for everyone only: a promise is made to every customer.
//!
//! Drop-off is not tested at goal touchpoints, where a journey may end.
//!
//! Structural friction (dead ends, unreachable touchpoints) comes from
//! [`Journey::warnings`]; it has no test and no evidence, and is listed apart from the ranking,
//! in [`FrictionReport::structural`].

pub mod compare;
mod config;
mod counts;
mod detect;
pub mod incidents;
pub mod periods;
mod report;
pub mod trends;

pub use compare::{Direction, PeriodComparison, PeriodSummary, PeriodValue, Shift};
pub use config::{BaselineScope, ConfigError, FrictionConfig};
pub use counts::FrictionCounts;
pub use detect::FrictionError;
pub use incidents::{Incident, IncidentReport, MIN_BUCKETS};
pub use periods::{OverTimeError, Period};
pub use report::{
    Axis, Baseline, Evidence, FrictionKind, FrictionPoint, FrictionReport, Location,
    LostComparison, PersonaMeasure, SegmentValue, Unit,
};
pub use trends::{TrendGroup, TrendMeasure, TrendPoint, TrendSeries, TrendValue, Trends};

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
/// A [`FrictionReport`]: every friction point, highest impact first, each with its location
/// (a touchpoint, a move between two touchpoints or a stage), kind, persona (when one persona
/// suffers it alone), severity, customers affected, estimated lost conversions, evidence
/// (with its baseline) and one plain sentence; the map's structural gaps apart.
///
/// # Errors
///
/// [`FrictionError::Config`] for settings out of range; [`FrictionError::Selection`] when the
/// log was built for another journey or the selection does not fit it.
///
/// # Complexity
///
/// O(n + K·(T + M)·P) for n interactions, K kinds, T touchpoints, M observed moves and P
/// personas, plus O(m log m) for the correction over m tests.
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
