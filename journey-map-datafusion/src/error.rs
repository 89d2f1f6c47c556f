//! What can go wrong running journey analyses inside DataFusion.

use journey_map::IngestError;
use journey_map::analysis::{AttributionError, SelectionError, ShapeMismatch};
use journey_map::interactions::MappingError;

use crate::partial::Analysis;

/// An error of the journey aggregate functions. Inside a query it travels as
/// [`DataFusionError::External`](datafusion::error::DataFusionError::External), so
/// [`EngineError::find`] (or a walk down the source chain) gets it back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The first argument of `journey_partial` names no analysis.
    #[error(
        "unknown analysis \"{name}\": expected one of metrics, friction, directly_follows, variants, drop_off, conformance, attribution"
    )]
    UnknownAnalysis {
        /// The name given.
        name: String,
    },
    /// A function was called with arguments it cannot take.
    #[error("{function}: {problem}")]
    Arguments {
        /// The function.
        function: &'static str,
        /// What is wrong, in words.
        problem: String,
    },
    /// The mapping does not fit the journey.
    #[error("the mapping does not fit the journey")]
    Mapping(#[source] MappingError),
    /// A bucket's rows could not be read into a log (strict mode: the first bad row).
    #[error("cannot read the rows of a bucket")]
    Ingest(#[source] IngestError),
    /// The selection does not fit the journey or the log.
    #[error("the selection does not fit")]
    Selection(#[source] SelectionError),
    /// The selection names a segment: segment values are interned per log, and a bucket
    /// that lacks a value cannot tell an unknown value from an absent one.
    #[error(
        "a selection by segment is not supported by the engine; filter the rows in the query instead"
    )]
    SegmentSelection,
    /// The settings of an analysis are out of range.
    #[error("the friction settings are out of range")]
    Config(#[source] journey_map::analysis::friction::ConfigError),
    /// Partial states of another journey, or of other settings, met.
    #[error("partial states of another journey or other settings cannot be combined")]
    OtherJourney,
    /// Partial states of different analyses met in one merge.
    #[error(
        "a partial state of {} cannot be merged into one of {}",
        crate::partial::names(theirs),
        crate::partial::names(ours)
    )]
    MixedAnalyses {
        /// The analyses of the state merged into.
        ours: Vec<Analysis>,
        /// The analyses of the state merged.
        theirs: Vec<Analysis>,
    },
    /// The chain of the attribution cannot be solved.
    #[error("the attribution cannot be computed")]
    Attribution(#[source] AttributionError),
    /// A partial state could not be written.
    #[error("cannot encode a partial state")]
    Encode(#[source] postcard::Error),
    /// A value given to `journey_merge` or `journey_report` is not a partial state.
    #[error("not a partial state of journey_partial")]
    Decode(#[source] postcard::Error),
    /// The query gave no row, or not the one value the engine's plan gives.
    #[error("the query gave {rows} rows where one was expected")]
    Rows {
        /// Rows the query gave.
        rows: usize,
    },
    /// A report could not be written as JSON.
    #[error("cannot write the report as JSON")]
    Json(#[source] serde_json::Error),
    /// DataFusion failed (reading the table, planning, running).
    #[error("the query failed")]
    DataFusion(#[source] datafusion::error::DataFusionError),
}

impl From<ShapeMismatch> for EngineError {
    fn from(_: ShapeMismatch) -> Self {
        EngineError::OtherJourney
    }
}

impl From<AttributionError> for EngineError {
    fn from(e: AttributionError) -> Self {
        EngineError::Attribution(e)
    }
}

impl From<datafusion::error::DataFusionError> for EngineError {
    fn from(e: datafusion::error::DataFusionError) -> Self {
        // An engine error that went through DataFusion comes back as itself.
        match e {
            datafusion::error::DataFusionError::External(inner) => {
                match inner.downcast::<EngineError>() {
                    Ok(engine) => *engine,
                    Err(other) => {
                        EngineError::DataFusion(datafusion::error::DataFusionError::External(other))
                    }
                }
            }
            other => EngineError::DataFusion(other),
        }
    }
}

impl EngineError {
    /// The engine error inside a DataFusion error, wherever in its chain it is.
    pub fn find(error: &datafusion::error::DataFusionError) -> Option<&EngineError> {
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(e) = current {
            if let Some(engine) = e.downcast_ref::<EngineError>() {
                return Some(engine);
            }
            if let Some(datafusion::error::DataFusionError::External(inner)) =
                e.downcast_ref::<datafusion::error::DataFusionError>()
                && let Some(engine) = inner.downcast_ref::<EngineError>()
            {
                return Some(engine);
            }
            current = e.source();
        }
        None
    }

    pub(crate) fn external(self) -> datafusion::error::DataFusionError {
        datafusion::error::DataFusionError::External(Box::new(self))
    }
}
