//! Errors of reading and writing journey files and settings files.

use std::io;
use std::path::PathBuf;

use crate::model::ValidationError;

/// A journey could not be loaded.
///
/// # Example
///
/// ```
/// use journey_map::{Journey, LoadError};
///
/// let error = Journey::from_ron_str("(name: \"x\", stages: [], colour: Red)").unwrap_err();
/// match &error {
///     LoadError::Syntax { line, column, .. } => assert_eq!((*line, *column), (1, 25)),
///     other => panic!("unexpected {other}"),
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read journey file {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The text is not valid RON, is not UTF-8, nests too deep, or does not have the structure
    /// of a journey document (a missing or unknown field, a value of the wrong type).
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        /// The file's path, or `<string>` for text given in memory.
        origin: String,
        /// The line of the problem, from 1.
        line: usize,
        /// The column of the problem, from 1, in characters.
        column: usize,
        /// What was wrong and what was expected.
        message: String,
    },
    /// The document is well formed but describes an invalid journey.
    #[error("{origin} is not a valid journey")]
    Invalid {
        /// The file's path, or `<string>` for text given in memory.
        origin: String,
        /// Every problem found.
        #[source]
        source: ValidationError,
    },
}

impl LoadError {
    /// The validation problems, when the document was well formed but invalid.
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::{Journey, Problem};
    /// let error = Journey::from_ron_str("(name: \"Empty\")").unwrap_err();
    /// let problems = error.validation().map(|v| v.problems().to_vec());
    /// assert_eq!(problems, Some(vec![Problem::NoStage, Problem::NoTouchpoint]));
    /// ```
    pub fn validation(&self) -> Option<&ValidationError> {
        match self {
            LoadError::Invalid { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A journey could not be saved.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{Journey, SaveError};
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let error = journey.save("no/such/folder/journey.ron").unwrap_err();
/// assert!(matches!(error, SaveError::Write { .. }));
/// assert_eq!(error.to_string(), "cannot write journey file no/such/folder/journey.ron");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveError {
    /// The file could not be written.
    #[error("cannot write journey file {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The journey could not be written as RON.
    #[error("cannot write the journey as RON: {message}")]
    Serialize {
        /// What went wrong.
        message: String,
    },
}

/// A settings file (friction settings, a simulator behaviour model) could not be read. Each
/// error names the kind of file, so a bad friction settings file is never reported as a bad
/// journey.
///
/// # Example
///
/// ```
/// use journey_map::SettingsError;
/// use journey_map::analysis::FrictionConfig;
///
/// let error = FrictionConfig::load("no-such-settings.ron").unwrap_err();
/// assert!(matches!(error, SettingsError::Read { kind: "friction settings", .. }));
/// assert_eq!(error.to_string(), "cannot read friction settings file no-such-settings.ron");
///
/// let error = FrictionConfig::from_ron_str("(max_q: 0.01, colour: 3)", "inline").unwrap_err();
/// assert_eq!(error.location(), Some((1, 15)));
/// assert!(error.to_string().starts_with("inline:1:15: "));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// The file could not be read.
    #[error("cannot read {kind} file {}", path.display())]
    Read {
        /// The kind of settings, e.g. "friction settings".
        kind: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The text is not valid RON or does not have the structure of these settings (an unknown
    /// field, a value of the wrong type).
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        /// The kind of settings, e.g. "friction settings".
        kind: &'static str,
        /// The file's path, or the name given for text in memory.
        origin: String,
        /// The line of the problem, from 1.
        line: usize,
        /// The column of the problem, from 1, in characters.
        column: usize,
        /// What was wrong and what was expected.
        message: String,
    },
}

impl SettingsError {
    /// The kind of settings file.
    pub fn kind(&self) -> &'static str {
        match self {
            SettingsError::Read { kind, .. } | SettingsError::Syntax { kind, .. } => kind,
        }
    }

    /// The line and column of a syntax error.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            SettingsError::Syntax { line, column, .. } => Some((*line, *column)),
            SettingsError::Read { .. } => None,
        }
    }
}
