//! Attribution: which touchpoints and channels carry conversions.
//!
//! The selected paths become an absorbing Markov chain ([`MarkovChain`]): start, the
//! touchpoints, conversion and drop-out, with the observed shares as transition probabilities.
//! The chain is solved exactly with a sparse LU factorization of `I - Q` (rsparse), not by
//! simulation. From it:
//!
//! - conversion probability overall, per persona and per entry touchpoint;
//! - each touchpoint's *removal effect*, `1 - P(conversion without it) / P(conversion)`, and
//!   the conversions attributed to it: the observed conversions shared among the touchpoints
//!   that are not goals, in proportion to their effects. Goals take no credit (a conversion
//!   happens there; it is not what brought the customer);
//! - the expected number of steps, overall and to a goal;
//! - Shapley values over channels ([`ShapleyReport`]), whose coalition value is the chain's
//!   predicted conversions with only the coalition's channels' touchpoints and every goal:
//!   goals are kept in every coalition, not players, so a channel that holds only goals gets
//!   no value. Exact up to 15 channels, sampled above with a standard error. The values sum
//!   exactly to the conversions less those of customers who start at a goal
//!   ([`ShapleyReport::uncredited`]).
//!
//! The same chain predicts what a change to the journey would do: see
//! [`MarkovChain::predict`].

mod chain;
mod shapley;
mod solver;

pub use chain::{ChainCounts, EntryConversion, ExpectedSteps, MarkovChain, RemovalEffect};
pub use shapley::{ChannelValue, MAX_EXACT_CHANNELS, ShapleyMethod, ShapleyOptions, ShapleyReport};

pub(crate) use chain::Probabilities;

use serde::{Deserialize, Serialize};

use super::{Observation, Selection, SelectionError};
use crate::{InteractionLog, Journey, PersonaId};

/// Why attribution could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AttributionError {
    /// The log or the selection does not fit the journey.
    #[error("cannot select the paths")]
    Selection(#[from] SelectionError),
    /// Some customers could never leave the chain: `I - Q` is singular.
    #[error("the chain traps customers in a loop with no way to convert or leave")]
    Trapped,
    /// Exact Shapley values were asked for too many channels.
    #[error("exact shapley values are limited to {max} channels, not {requested}")]
    ExactLimit {
        /// The limit asked for.
        requested: usize,
        /// The largest limit accepted.
        max: usize,
    },
    /// Sampled Shapley values were asked for with no permutation.
    #[error("sampled shapley values need at least one permutation")]
    NoPermutations,
}

/// Conversion of one persona's customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PersonaConversion {
    /// The persona.
    pub persona: PersonaId,
    /// Its selected customers.
    pub customers: u64,
    /// Of those, how many converted.
    pub conversions: u64,
    /// Conversion probability by the persona's own chain; absent without customers.
    pub conversion: Option<f64>,
}

/// Markov attribution of the selected customers' conversions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AttributionReport {
    /// Selected customers whose journey has an outcome: customers still on their way (last
    /// interaction in progress, no goal reached) are left out of the chain, since nobody
    /// knows yet whether they convert.
    pub customers: u64,
    /// Of those, how many converted.
    pub conversions: u64,
    /// Conversion probability by the chain; absent without customers.
    pub conversion: Option<f64>,
    /// Per persona, in journey order (only the selection's persona when it names one).
    pub personas: Vec<PersonaConversion>,
    /// Per entry touchpoint (where paths start), most customers first.
    pub entries: Vec<EntryConversion>,
    /// Per touchpoint, largest effect first; empty when nobody converted.
    pub removal_effects: Vec<RemovalEffect>,
    /// Expected touchpoint visits; absent without customers.
    pub expected_steps: Option<ExpectedSteps>,
}

/// Markov-chain attribution of conversions. Implemented for [`Journey`].
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{Attribute, Selection, ShapleyOptions};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv_path("examples/data/retail_bank.interactions.csv")?;
/// let (log, _) = builder.finish();
///
/// let report = journey.attribution(&log, &Selection::all())?;
/// let observed = report.conversions as f64 / report.customers as f64;
/// assert!((report.conversion.ok_or("no customers")? - observed).abs() < 1e-9);
/// let top = &report.removal_effects[0];
/// assert!(top.effect > 0.0 && top.effect <= 1.0);
///
/// let shapley = journey.shapley_channels(&log, &Selection::all(), ShapleyOptions::default())?;
/// let sum: f64 = shapley.channels.iter().map(|c| c.conversions).sum();
/// assert!((sum - report.conversions as f64).abs() < 1e-6);
/// # Ok(())
/// # }
/// ```
pub trait Attribute {
    /// The absorbing Markov chain of the selected paths.
    ///
    /// # Arguments
    ///
    /// * `log` — interactions built for this journey.
    /// * `selection` — which customers and interactions to look at.
    ///
    /// # Errors
    ///
    /// [`AttributionError::Selection`] when the log belongs to another journey or the
    /// selection does not fit it.
    ///
    /// # Complexity
    ///
    /// O(n) expected for n selected interactions.
    fn markov_chain(
        &self,
        log: &InteractionLog,
        selection: &Selection,
    ) -> Result<MarkovChain, AttributionError>;

    /// Conversion overall, per persona and per entry, removal effects and expected steps.
    ///
    /// # Arguments
    ///
    /// * `log` — interactions built for this journey.
    /// * `selection` — which customers and interactions to look at.
    ///
    /// # Returns
    ///
    /// An [`AttributionReport`]; figures that need customers or conversions are absent (or
    /// empty) without them, never NaN.
    ///
    /// # Errors
    ///
    /// As [`Attribute::markov_chain`].
    ///
    /// # Complexity
    ///
    /// O(n · (P + 1)) for n interactions and P personas to build the chains, plus the removal
    /// effects' O(T · (T + nnz(L + U))) for T touchpoints.
    fn attribution(
        &self,
        log: &InteractionLog,
        selection: &Selection,
    ) -> Result<AttributionReport, AttributionError>;

    /// Shapley values of the channels.
    ///
    /// # Arguments
    ///
    /// * `log` — interactions built for this journey.
    /// * `selection` — which customers and interactions to look at.
    /// * `options` — exact limit, sampled permutations and seed.
    ///
    /// # Returns
    ///
    /// Conversions per channel, summing to the total; exact up to `options.exact_up_to`
    /// channels, sampled above with a standard error per channel.
    ///
    /// # Errors
    ///
    /// As [`Attribute::markov_chain`]; [`AttributionError::ExactLimit`] and
    /// [`AttributionError::NoPermutations`] for invalid options.
    ///
    /// # Complexity
    ///
    /// Exact: 2^C chain solves for C channels. Sampled: at most `permutations · C` solves
    /// (coalitions seen before are cached).
    fn shapley_channels(
        &self,
        log: &InteractionLog,
        selection: &Selection,
        options: ShapleyOptions,
    ) -> Result<ShapleyReport, AttributionError>;
}

impl Attribute for Journey {
    fn markov_chain(
        &self,
        log: &InteractionLog,
        selection: &Selection,
    ) -> Result<MarkovChain, AttributionError> {
        Ok(Observation::new(self, log)
            .map_err(SelectionError::from)?
            .markov_chain(selection)?)
    }

    fn attribution(
        &self,
        log: &InteractionLog,
        selection: &Selection,
    ) -> Result<AttributionReport, AttributionError> {
        Observation::new(self, log)
            .map_err(SelectionError::from)?
            .attribution(selection)
    }

    fn shapley_channels(
        &self,
        log: &InteractionLog,
        selection: &Selection,
        options: ShapleyOptions,
    ) -> Result<ShapleyReport, AttributionError> {
        Observation::new(self, log)
            .map_err(SelectionError::from)?
            .shapley_channels(selection, options)
    }
}

impl Observation<'_> {
    /// The absorbing Markov chain of the selected paths: see [`Attribute::markov_chain`].
    ///
    /// # Errors
    ///
    /// [`SelectionError`] when the selection does not fit the journey.
    pub fn markov_chain(&self, selection: &Selection) -> Result<MarkovChain, SelectionError> {
        let journey = self.journey();
        self.run(selection, || ChainCounts::new(journey))
    }

    /// Markov attribution of the selected customers: see [`Attribute::attribution`].
    ///
    /// # Errors
    ///
    /// As [`Attribute::attribution`].
    pub fn attribution(
        &self,
        selection: &Selection,
    ) -> Result<AttributionReport, AttributionError> {
        let chain = self.markov_chain(selection)?;
        let mut personas = Vec::new();
        for persona in self.journey().personas() {
            if selection
                .current_persona()
                .is_some_and(|p| p != &persona.id)
            {
                continue;
            }
            let one = self.markov_chain(&selection.clone().persona(persona.id.clone()))?;
            personas.push(PersonaConversion {
                persona: persona.id.clone(),
                customers: one.customers(),
                conversions: one.conversions(),
                conversion: one.conversion(),
            });
        }
        let mut report = chain.report()?;
        report.personas = personas;
        Ok(report)
    }

    /// Shapley values of the channels: see [`Attribute::shapley_channels`].
    ///
    /// # Errors
    ///
    /// As [`Attribute::shapley_channels`].
    pub fn shapley_channels(
        &self,
        selection: &Selection,
        options: ShapleyOptions,
    ) -> Result<ShapleyReport, AttributionError> {
        let chain = self.markov_chain(selection)?;
        shapley::shapley(&chain, options)
    }
}

impl MarkovChain {
    /// The chain of aggregated paths: each path counted once per customer who took it, cut at
    /// its first goal, its conversions after its last touchpoint. No customer is made up.
    ///
    /// # Errors
    ///
    /// [`ShapeMismatch`](crate::analysis::ShapeMismatch) when the paths were checked against another journey.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::MarkovChain;
    /// use journey_map::{AggregatedPaths, Journey};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let csv = "path,conversions,nulls\n\
    ///            search-ad > product-page,30,70\n\
    ///            social-campaign > product-page,10,90\n";
    /// let paths = AggregatedPaths::read_csv(&journey, csv.as_bytes(), " > ")?;
    /// let chain = MarkovChain::from_paths(&journey, &paths)?;
    /// assert_eq!((chain.customers(), chain.conversions()), (200, 40));
    /// let report = chain.report()?;
    /// assert!(report.removal_effects.iter().any(|r| r.touchpoint.as_str() == "product-page"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_paths(
        journey: &Journey,
        paths: &crate::AggregatedPaths,
    ) -> Result<MarkovChain, crate::analysis::ShapeMismatch> {
        if paths.fingerprint() != journey.fingerprint() {
            return Err(crate::analysis::ShapeMismatch);
        }
        let is_goal: Vec<bool> = journey.touchpoints().iter().map(|t| t.is_goal).collect();
        let mut counts = ChainCounts::new(journey);
        for path in paths.paths() {
            counts.add_path(&path.touchpoints, path.conversions, path.nulls, &is_goal);
        }
        crate::analysis::Accumulate::finish(counts, journey)
    }

    /// The attribution report of this chain: conversion, entries, expected steps and every
    /// removal effect with its attributed conversions (no persona breakdown: a chain holds
    /// no personas; [`Observation::attribution`] adds it).
    ///
    /// # Errors
    ///
    /// [`AttributionError`] when the chain cannot be solved.
    pub fn report(&self) -> Result<AttributionReport, AttributionError> {
        // One factorization serves every figure of the report.
        let mut solved = self.solve()?;
        let selected = self.customers() > 0;
        Ok(AttributionReport {
            customers: self.customers(),
            conversions: self.conversions(),
            conversion: selected.then_some(solved.conversion),
            personas: Vec::new(),
            entries: self.entries_of(&solved),
            expected_steps: selected.then(|| MarkovChain::steps_of(&solved)),
            removal_effects: self.removal_effects_of(&mut solved),
        })
    }

    /// Shapley values of the channels of this chain (see [`Attribute::shapley_channels`]).
    ///
    /// # Errors
    ///
    /// As [`Attribute::shapley_channels`].
    pub fn shapley_channels(
        &self,
        options: ShapleyOptions,
    ) -> Result<ShapleyReport, AttributionError> {
        shapley::shapley(self, options)
    }
}
