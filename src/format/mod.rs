//! Journey files: the RON format, reading and writing.
//!
//! A journey file is the crate's own document structure with string ids, never petgraph's
//! serialized form. Every struct denies unknown fields, so a misspelt field is an error with its
//! line and column rather than a silently ignored value. The README holds the format reference
//! and a complete annotated journey.
//!
//! Optional values may be written bare: files are read with ron's `implicit_some` extension on,
//! so `owner: "Sales"` and `owner: Some("Sales")` mean the same. Written files use the bare form
//! and start with `#![enable(implicit_some)]`, so other RON readers understand them too.

mod document;
mod error;
pub(crate) mod ron;
pub(crate) mod unique;

pub use error::{LoadError, SaveError, SettingsError};
