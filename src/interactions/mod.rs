//! Interaction outcomes: what customers actually did at each touchpoint.
//!
//! An [`Interaction`] is one customer at one touchpoint at one time, with how it ended and what
//! the customer said about it. A [`LogBuilder`] checks interactions against a journey and the
//! score [`Scales`], in strict or lenient [`Mode`], and finishes into an [`InteractionLog`] that
//! stores them compactly on interned ids, each customer's in time order. The log knows the
//! journey only through the touchpoint and persona indices resolved when records are attached.

mod aggregated;
#[cfg(feature = "arrow")]
mod arrow;
mod csv;
mod customers;
mod files;
mod finishing;
mod interner;
pub(crate) mod log;
mod mapping;
mod pages;
mod problems;
mod record;
mod ron;
mod scores;
mod segments;

pub use aggregated::{AggregatedPath, AggregatedPaths, AggregatedPathsError};
pub use csv::{HeaderProblem, UnixUnit, write_csv};
pub use customers::{CustomerIds, CustomerIdsIter};
pub use files::FileFormat;
#[cfg(feature = "simulator")]
pub(crate) use log::MAX_DURATION_SECONDS;
pub use log::{
    CustomerIndex, IngestOptions, InteractionLog, InteractionRef, JourneyIndex, LogBuilder,
};
pub use mapping::{
    Mapping, MappingError, MappingProblem, MappingProblemKind, MappingProblems, Marker,
    MarkerTarget, TimeFormat,
};
pub use problems::{
    Field, IngestError, IngestReport, IngestWarning, Mode, RecordError, RecordProblem, Skipped,
};
pub use record::{CustomerId, Interaction, Outcome, ParseOutcomeError, Record};
pub use scores::{EffortDirection, Scales, ScoreScale};
pub use segments::Segment;
