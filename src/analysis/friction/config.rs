//! The settings of friction detection.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::report::FrictionKind;
use crate::analysis::MetricsOptions;

/// How friction is detected: how sure, how big and how well sampled a difference must be to
/// be called friction, and which kinds to look for.
///
/// A place is flagged only when its difference from the baseline is significantly larger than
/// the minimum effect after the Benjamini-Hochberg correction over every test of the report
/// (`q <= max_q`), and both the place and its baseline have at least `min_sample`
/// observations (places below it are not tested at all).
///
/// | setting | default | meaning |
/// |---|---|---|
/// | `max_q` | 0.05 | the false discovery rate: the largest q-value called friction |
/// | `min_sample` | 30 | the fewest observations (customers, answers or cases) a test needs on each side |
/// | `min_rate_difference` | 0.10 | a rate must exceed its baseline by at least 10 percentage points... |
/// | `min_rate_ratio` | 1.25 | ...and be at least 1.25 times the baseline |
/// | `min_time_ratio` | 1.5 | a typical time (geometric mean) must be at least 1.5 times the baseline's |
/// | `baseline` | [`BaselineScope::Peers`] | compare each place with its peers (same channel and kind first) or with the whole journey |
/// | `min_peers` | 1 | the fewest other places with observations a peer baseline needs |
/// | `persona_lens` | true | also test each persona against its own journey elsewhere |
/// | `skip` | none | kinds not to look for |
/// | `metrics` | [`MetricsOptions::default`] | the repeat-contact window and the FCR rule |
///
/// # Example
///
/// ```
/// use journey_map::analysis::{FrictionConfig, FrictionKind};
///
/// let strict = FrictionConfig::default().max_q(0.01).min_sample(100).skip(FrictionKind::OffMap);
/// assert_eq!(strict.current_min_sample(), 100);
///
/// // The same from RON; fields left out keep their defaults.
/// let loaded = FrictionConfig::from_ron_str("(max_q: 0.01, min_sample: 100, skip: [OffMap])", "inline")?;
/// assert_eq!(loaded, strict);
/// # Ok::<(), journey_map::SettingsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct FrictionConfig {
    /// The largest Benjamini-Hochberg q-value called friction, in `(0, 1]`.
    pub(crate) max_q: f64,
    /// The fewest observations a test needs in the place and in its baseline.
    pub(crate) min_sample: u64,
    /// The least a rate must exceed its baseline by, as a share (0.10 = 10 points).
    pub(crate) min_rate_difference: f64,
    /// The least ratio of a rate to its baseline, 1 or more.
    pub(crate) min_rate_ratio: f64,
    /// The least ratio of a typical time to its baseline, 1 or more.
    pub(crate) min_time_ratio: f64,
    /// What each place is compared with.
    pub(crate) baseline: BaselineScope,
    /// The fewest other places with observations a peer baseline needs.
    pub(crate) min_peers: u64,
    /// Whether each persona is also tested against its own journey elsewhere, so that friction
    /// one persona suffers alone is found and attributed to it.
    pub(crate) persona_lens: bool,
    /// The segment the lens breaks customers down by instead of the persona.
    #[serde(default)]
    pub(crate) segment_lens: Option<String>,
    /// Kinds not to look for.
    pub(crate) skip: BTreeSet<FrictionKind>,
    /// The repeat-contact window and the first-contact-resolution rule.
    pub(crate) metrics: MetricsOptions,
}

impl Default for FrictionConfig {
    fn default() -> Self {
        Self {
            max_q: 0.05,
            min_sample: 30,
            min_rate_difference: 0.10,
            min_rate_ratio: 1.25,
            min_time_ratio: 1.5,
            baseline: BaselineScope::Peers,
            min_peers: 1,
            persona_lens: true,
            segment_lens: None,
            skip: BTreeSet::new(),
            metrics: MetricsOptions::default(),
        }
    }
}

/// What each place is compared with.
///
/// # Example
///
/// ```
/// use journey_map::analysis::{BaselineScope, FrictionConfig};
///
/// let pooled = FrictionConfig::default().baseline(BaselineScope::Journey);
/// assert_eq!(pooled.current_baseline(), BaselineScope::Journey);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum BaselineScope {
    /// Like with like: the places of the same channel and kind when they hold at least
    /// `min_sample` customers in at least `min_peers` places, else the same channel, else
    /// the same kind, else the whole journey. Times (waits, resolution times, handoffs) are
    /// compared within their channel only: a channel's natural speed is not friction, so a
    /// touchpoint alone on its channel has its times judged by its service level alone.
    /// Loops and repeat contacts at touchpoints with a designed self-flow are compared only
    /// with such touchpoints, those on a designed cycle only with those, and the others
    /// only with the others.
    #[default]
    Peers,
    /// Every other place of the journey, pooled.
    Journey,
}

/// A friction setting outside what it may be.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("friction setting {field} is {value}, expected {expected}")]
#[non_exhaustive]
pub struct ConfigError {
    /// The setting.
    pub field: &'static str,
    /// Its value.
    pub value: f64,
    /// What it may be.
    pub expected: &'static str,
}

impl FrictionConfig {
    /// Sets the largest q-value called friction.
    pub fn max_q(mut self, max_q: f64) -> Self {
        self.max_q = max_q;
        self
    }

    /// Sets the fewest observations a test needs on each side.
    pub fn min_sample(mut self, min_sample: u64) -> Self {
        self.min_sample = min_sample;
        self
    }

    /// Sets the least difference between a rate and its baseline.
    pub fn min_rate_difference(mut self, difference: f64) -> Self {
        self.min_rate_difference = difference;
        self
    }

    /// Sets the least ratio between a rate and its baseline.
    pub fn min_rate_ratio(mut self, ratio: f64) -> Self {
        self.min_rate_ratio = ratio;
        self
    }

    /// Sets the least ratio between a typical time and its baseline.
    pub fn min_time_ratio(mut self, ratio: f64) -> Self {
        self.min_time_ratio = ratio;
        self
    }

    /// Sets what each place is compared with.
    pub fn baseline(mut self, scope: BaselineScope) -> Self {
        self.baseline = scope;
        self
    }

    /// Sets the fewest other places with observations a peer baseline needs.
    pub fn min_peers(mut self, places: u64) -> Self {
        self.min_peers = places;
        self
    }

    /// Turns the persona lens on or off.
    pub fn persona_lens(mut self, on: bool) -> Self {
        self.persona_lens = on;
        self
    }

    /// Breaks customers down by the values of segment `name` instead of by persona: each
    /// value is tested against its own journey elsewhere, and friction one value's journeys
    /// suffer alone is reported for that value ([`FrictionPoint::segment`]). The lens must be
    /// on ([`persona_lens`](Self::persona_lens), on by default); the segment must be one the
    /// log's interactions give. Incidents, period comparisons and trends keep the persona
    /// lens.
    ///
    /// [`FrictionPoint::segment`]: super::FrictionPoint::segment
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::analysis::FrictionConfig;
    ///
    /// let by_platform = FrictionConfig::default().segment_lens("platform");
    /// assert_eq!(by_platform.current_segment_lens(), Some("platform"));
    /// ```
    pub fn segment_lens(mut self, name: impl Into<String>) -> Self {
        self.segment_lens = Some(name.into());
        self
    }

    /// The segment the lens breaks customers down by, when not the persona.
    pub fn current_segment_lens(&self) -> Option<&str> {
        self.segment_lens.as_deref()
    }

    /// Stops looking for `kind`.
    pub fn skip(mut self, kind: FrictionKind) -> Self {
        self.skip.insert(kind);
        self
    }

    /// Sets the repeat-contact window and the FCR rule.
    pub fn metrics(mut self, options: MetricsOptions) -> Self {
        self.metrics = options;
        self
    }

    /// The largest q-value called friction.
    pub fn current_max_q(&self) -> f64 {
        self.max_q
    }

    /// The fewest observations a test needs on each side.
    pub fn current_min_sample(&self) -> u64 {
        self.min_sample
    }

    /// The least difference between a rate and its baseline.
    pub fn current_min_rate_difference(&self) -> f64 {
        self.min_rate_difference
    }

    /// The least ratio between a rate and its baseline.
    pub fn current_min_rate_ratio(&self) -> f64 {
        self.min_rate_ratio
    }

    /// The least ratio between a typical time and its baseline.
    pub fn current_min_time_ratio(&self) -> f64 {
        self.min_time_ratio
    }

    /// What each place is compared with.
    pub fn current_baseline(&self) -> BaselineScope {
        self.baseline
    }

    /// The fewest other places with observations a peer baseline needs.
    pub fn current_min_peers(&self) -> u64 {
        self.min_peers
    }

    /// Whether the persona lens is on.
    pub fn current_persona_lens(&self) -> bool {
        self.persona_lens
    }

    /// The kinds not looked for.
    pub fn current_skip(&self) -> &BTreeSet<FrictionKind> {
        &self.skip
    }

    /// The repeat-contact window and the FCR rule.
    pub fn current_metrics(&self) -> MetricsOptions {
        self.metrics
    }

    /// Checks every setting.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] for the first setting out of range: `max_q` outside `(0, 1]`,
    /// `min_sample` or `min_peers` of 0, `min_rate_difference` outside `0..1`, a ratio below
    /// 1, or NaN.
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::analysis::FrictionConfig;
    ///
    /// assert!(FrictionConfig::default().validate().is_ok());
    /// let error = FrictionConfig::default().max_q(0.0).validate().unwrap_err();
    /// assert_eq!(error.to_string(), "friction setting max_q is 0, expected a share in (0, 1]");
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        let checks: [(&'static str, f64, bool, &'static str); 6] = [
            (
                "max_q",
                self.max_q,
                self.max_q > 0.0 && self.max_q <= 1.0,
                "a share in (0, 1]",
            ),
            (
                "min_sample",
                self.min_sample as f64,
                self.min_sample > 0,
                "1 or more",
            ),
            (
                "min_peers",
                self.min_peers as f64,
                self.min_peers > 0,
                "1 or more",
            ),
            (
                "min_rate_difference",
                self.min_rate_difference,
                (0.0..1.0).contains(&self.min_rate_difference),
                "a share in 0..1",
            ),
            (
                "min_rate_ratio",
                self.min_rate_ratio,
                self.min_rate_ratio.is_finite() && self.min_rate_ratio >= 1.0,
                "1 or more",
            ),
            (
                "min_time_ratio",
                self.min_time_ratio,
                self.min_time_ratio.is_finite() && self.min_time_ratio >= 1.0,
                "1 or more",
            ),
        ];
        match checks.into_iter().find(|c| !c.2) {
            Some((field, value, _, expected)) => Err(ConfigError {
                field,
                value,
                expected,
            }),
            None => Ok(()),
        }
    }

    /// Reads settings from RON text (`origin` names it in errors); fields left out keep their
    /// defaults.
    ///
    /// # Errors
    ///
    /// [`SettingsError::Syntax`](crate::SettingsError::Syntax) with line and column, for bad syntax and
    /// unknown fields. Values are checked by [`FrictionConfig::validate`], which detection
    /// calls.
    pub fn from_ron_str(text: &str, origin: &str) -> Result<FrictionConfig, crate::SettingsError> {
        crate::format::ron::read_named(text, origin, "friction settings")
    }

    /// Reads settings from a RON file.
    ///
    /// # Errors
    ///
    /// [`SettingsError::Read`](crate::SettingsError::Read) when the file cannot be read, otherwise as
    /// [`FrictionConfig::from_ron_str`].
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<FrictionConfig, crate::SettingsError> {
        crate::format::ron::load_file(path.as_ref(), "friction settings")
    }
}
