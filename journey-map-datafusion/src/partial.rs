//! The values the aggregate functions pass between each other: one bucket's partial state of
//! one analysis, with what reading its rows attached, refused and left out.

use std::collections::BTreeMap;

use journey_map::analysis::{
    Accumulate, AttributionReport, ChainCounts, ConformanceCounts, ConformanceReport,
    DirectlyFollowsGraph, DropOffCounts, DropOffPaths, FollowsCounts, FrictionCounts,
    FrictionReport, MetricsReport, ShapeMismatch, Tallies, VariantCounts, Variants,
};
use journey_map::{IngestReport, Journey};
use serde::{Deserialize, Serialize};

use crate::error::EngineError;

/// An analysis the engine runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Analysis {
    /// CX metrics: [`MetricsReport`].
    Metrics,
    /// Friction ranked by impact: [`FrictionReport`].
    Friction,
    /// The directly-follows graph: [`DirectlyFollowsGraph`].
    DirectlyFollows,
    /// Path variants: [`Variants`].
    Variants,
    /// Where customers leave: [`DropOffPaths`].
    DropOff,
    /// Conformance to the map: [`ConformanceReport`].
    Conformance,
    /// Markov-chain attribution: [`AttributionReport`] (from the chain's counts).
    Attribution,
}

impl Analysis {
    /// Every analysis, in the order of the enum.
    pub const ALL: [Analysis; 7] = [
        Analysis::Metrics,
        Analysis::Friction,
        Analysis::DirectlyFollows,
        Analysis::Variants,
        Analysis::DropOff,
        Analysis::Conformance,
        Analysis::Attribution,
    ];

    /// The name SQL gives it as the first argument of `journey_partial`.
    pub fn name(self) -> &'static str {
        match self {
            Analysis::Metrics => "metrics",
            Analysis::Friction => "friction",
            Analysis::DirectlyFollows => "directly_follows",
            Analysis::Variants => "variants",
            Analysis::DropOff => "drop_off",
            Analysis::Conformance => "conformance",
            Analysis::Attribution => "attribution",
        }
    }

    /// The analysis of a name, as [`Analysis::name`] writes it.
    ///
    /// # Errors
    ///
    /// [`EngineError::UnknownAnalysis`] naming the known ones.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map_datafusion::Analysis;
    ///
    /// let friction = Analysis::from_name("friction")?;
    /// assert_eq!(friction, Analysis::Friction);
    /// assert_eq!(friction.name(), "friction");
    /// assert!(Analysis::from_name("frictions").is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_name(name: &str) -> Result<Analysis, EngineError> {
        Analysis::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| EngineError::UnknownAnalysis {
                name: name.to_owned(),
            })
    }
}

impl std::fmt::Display for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One analysis' partial state. One lives per bucket at a time: boxing the larger states
/// would save nothing worth an allocation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum State {
    Metrics(Tallies),
    Friction(FrictionCounts),
    DirectlyFollows(FollowsCounts),
    Variants(VariantCounts),
    DropOff(DropOffCounts),
    Conformance(ConformanceCounts),
    Attribution(ChainCounts),
}

impl State {
    pub(crate) fn analysis(&self) -> Analysis {
        match self {
            State::Metrics(_) => Analysis::Metrics,
            State::Friction(_) => Analysis::Friction,
            State::DirectlyFollows(_) => Analysis::DirectlyFollows,
            State::Variants(_) => Analysis::Variants,
            State::DropOff(_) => Analysis::DropOff,
            State::Conformance(_) => Analysis::Conformance,
            State::Attribution(_) => Analysis::Attribution,
        }
    }

    fn merge(&mut self, other: State) -> Result<(), ShapeMismatch> {
        match (self, other) {
            (State::Metrics(a), State::Metrics(b)) => a.merge(b),
            (State::Friction(a), State::Friction(b)) => a.merge(b),
            (State::DirectlyFollows(a), State::DirectlyFollows(b)) => a.merge(b),
            (State::Variants(a), State::Variants(b)) => a.merge(b),
            (State::DropOff(a), State::DropOff(b)) => a.merge(b),
            (State::Conformance(a), State::Conformance(b)) => a.merge(b),
            (State::Attribution(a), State::Attribution(b)) => a.merge(b),
            _ => Err(ShapeMismatch),
        }
    }

    pub(crate) fn finish(self, journey: &Journey) -> Result<Report, EngineError> {
        Ok(match self {
            State::Metrics(s) => Report::Metrics(Box::new(s.finish(journey)?)),
            State::Friction(s) => Report::Friction(Box::new(s.finish(journey)?)),
            State::DirectlyFollows(s) => Report::DirectlyFollows(Box::new(s.finish(journey)?)),
            State::Variants(s) => Report::Variants(Box::new(s.finish(journey)?)),
            State::DropOff(s) => Report::DropOff(Box::new(s.finish(journey)?)),
            State::Conformance(s) => Report::Conformance(Box::new(s.finish(journey)?)),
            State::Attribution(s) => Report::Attribution(Box::new(s.finish(journey)?.report()?)),
        })
    }
}

/// A finished analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Report {
    /// [`Analysis::Metrics`].
    Metrics(Box<MetricsReport>),
    /// [`Analysis::Friction`].
    Friction(Box<FrictionReport>),
    /// [`Analysis::DirectlyFollows`].
    DirectlyFollows(Box<DirectlyFollowsGraph>),
    /// [`Analysis::Variants`].
    Variants(Box<Variants>),
    /// [`Analysis::DropOff`].
    DropOff(Box<DropOffPaths>),
    /// [`Analysis::Conformance`].
    Conformance(Box<ConformanceReport>),
    /// [`Analysis::Attribution`].
    Attribution(Box<AttributionReport>),
}

/// What reading the rows of a query did: rows attached as interactions, refused (lenient
/// mode) and left out on purpose by a mapping, each by reason, summed over every bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ingested {
    /// Rows the aggregate functions were given.
    pub rows: u64,
    /// Rows attached as interactions.
    pub attached: u64,
    /// Rows refused (lenient mode only; strict mode fails the query), by reason.
    pub refused: BTreeMap<String, u64>,
    /// Rows left out on purpose by the mapping (skipped events, markers), by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Distinct customers.
    pub customers: u64,
    /// Journeys (customers' histories split by sessions or inactivity).
    pub journeys: u64,
}

impl Ingested {
    pub(crate) fn of(rows: usize, report: &IngestReport) -> Ingested {
        let mut refused = BTreeMap::new();
        for (reason, count) in report.rejected_by_reason() {
            *refused.entry(reason).or_insert(0) += count as u64;
        }
        let mut skipped = BTreeMap::new();
        for s in &report.skipped {
            *skipped.entry(s.reason.clone()).or_insert(0) += s.rows as u64;
        }
        Ingested {
            rows: rows as u64,
            attached: report.accepted as u64,
            refused,
            skipped,
            customers: report.customers as u64,
            journeys: report.journeys as u64,
        }
    }

    fn merge(&mut self, other: Ingested) {
        self.rows += other.rows;
        self.attached += other.attached;
        for (reason, n) in other.refused {
            *self.refused.entry(reason).or_insert(0) += n;
        }
        for (reason, n) in other.skipped {
            *self.skipped.entry(reason).or_insert(0) += n;
        }
        self.customers += other.customers;
        self.journeys += other.journeys;
    }

    /// Rows refused, over every reason.
    pub fn refused_count(&self) -> u64 {
        self.refused.values().sum()
    }

    /// Rows left out on purpose, over every reason.
    pub fn skipped_count(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// A bucket's partial states (one per analysis asked for, in the order asked) and its
/// reading counts: what `journey_partial` gives and `journey_merge` combines.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Partial {
    /// The journey's fingerprint, checked before states are merged or finished.
    pub(crate) fingerprint: u64,
    pub(crate) states: Vec<State>,
    pub(crate) ingested: Ingested,
}

impl Partial {
    pub(crate) fn encode(&self) -> Result<Vec<u8>, EngineError> {
        postcard::to_stdvec(self).map_err(EngineError::Encode)
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<Partial, EngineError> {
        postcard::from_bytes(bytes).map_err(EngineError::Decode)
    }

    pub(crate) fn analyses(&self) -> Vec<Analysis> {
        self.states.iter().map(State::analysis).collect()
    }

    /// Decodes `bytes` as a state of the journey of `fingerprint` and merges it into `merged`
    /// (the first state starts it).
    pub(crate) fn merge_encoded(
        merged: &mut Option<Partial>,
        bytes: &[u8],
        fingerprint: u64,
    ) -> Result<(), EngineError> {
        let partial = Partial::decode(bytes)?;
        if partial.fingerprint != fingerprint {
            return Err(EngineError::OtherJourney);
        }
        match merged {
            Some(merged) => merged.merge(partial),
            None => {
                *merged = Some(partial);
                Ok(())
            }
        }
    }

    pub(crate) fn merge(&mut self, other: Partial) -> Result<(), EngineError> {
        if self.fingerprint != other.fingerprint {
            return Err(EngineError::OtherJourney);
        }
        let (ours, theirs) = (self.analyses(), other.analyses());
        if ours != theirs {
            return Err(EngineError::MixedAnalyses { ours, theirs });
        }
        for (state, theirs) in self.states.iter_mut().zip(other.states) {
            state.merge(theirs)?;
        }
        self.ingested.merge(other.ingested);
        Ok(())
    }

    /// Every analysis' report, in the order of the states, each with the reading counts
    /// (one reading served them all).
    pub(crate) fn finish(self, journey: &Journey) -> Result<Vec<Analysed>, EngineError> {
        if self.fingerprint != journey.fingerprint().as_u64() {
            return Err(EngineError::OtherJourney);
        }
        self.states
            .into_iter()
            .map(|state| {
                Ok(Analysed {
                    report: state.finish(journey)?,
                    ingested: self.ingested.clone(),
                })
            })
            .collect()
    }
}

/// An analysis' result over every bucket, with what reading the rows did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Analysed {
    /// The report.
    pub report: Report,
    /// Rows attached, refused and left out.
    pub ingested: Ingested,
}

/// The analyses a `journey_partial` call names in its first argument: one name, or several
/// separated by commas (`'metrics, friction'`), each once.
pub(crate) fn analyses_of_names(names: &str) -> Result<Vec<Analysis>, EngineError> {
    if names.trim().is_empty() {
        return Err(EngineError::Arguments {
            function: "journey_partial",
            problem: "no analysis is named".into(),
        });
    }
    let mut analyses = Vec::new();
    for name in names.split(',').map(str::trim) {
        let analysis = Analysis::from_name(name)?;
        if analyses.contains(&analysis) {
            return Err(EngineError::Arguments {
                function: "journey_partial",
                problem: format!("the analysis {analysis} is named twice"),
            });
        }
        analyses.push(analysis);
    }
    Ok(analyses)
}

/// Names of analyses, as a list in words.
pub(crate) fn names(analyses: &[Analysis]) -> String {
    analyses
        .iter()
        .map(|a| a.name())
        .collect::<Vec<_>>()
        .join(", ")
}
