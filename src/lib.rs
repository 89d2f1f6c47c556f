//! Customer journey maps that compute where customers struggle.
#![warn(missing_docs)]

pub mod format;
pub mod model;

pub use format::{LoadError, SaveError};
pub use model::*;
