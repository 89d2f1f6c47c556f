//! Reading and writing journeys as RON.

use std::path::Path;
use std::str::FromStr;

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;

use super::document::{DocumentIn, DocumentOut};
use super::error::{LoadError, SaveError};
use crate::model::{Journey, JourneyBuilder};

/// The origin named in errors about text given in memory.
const IN_MEMORY: &str = "<string>";

/// How deep values may nest before reading stops with an error: far deeper than any journey,
/// far shallower than the stack.
const RECURSION_LIMIT: usize = 64;

pub(crate) fn options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(RECURSION_LIMIT)
}

/// Where and why RON text could not be read: line and column from 1, and the message.
pub(crate) struct RonSyntax {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
}

/// Reads a value from RON text the way every file of this crate is read: `implicit_some` on,
/// nesting bounded, errors located.
pub(crate) fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, RonSyntax> {
    read_with(&options(), text)
}

/// Reads a value from RON text with `options` (the crate's, with more extensions).
pub(crate) fn read_with<T: serde::de::DeserializeOwned>(
    options: &ron::Options,
    text: &str,
) -> Result<T, RonSyntax> {
    // A byte-order mark is no content: editors on Windows write one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if is_blank(text) {
        return Err(RonSyntax {
            line: 1,
            column: 1,
            message: "the file is empty (nothing but white space and comments)".to_owned(),
        });
    }
    options.from_str(text).map_err(|error| RonSyntax {
        line: error.span.start.line,
        column: error.span.start.col,
        message: lowercase_first(&error.code.to_string()),
    })
}

/// Whether RON text holds nothing but white space and comments.
fn is_blank(text: &str) -> bool {
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after
                .split_once('\n')
                .map_or("", |(_, next)| next)
                .trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            match after.split_once("*/") {
                Some((_, next)) => rest = next.trim_start(),
                None => return false,
            }
        } else {
            return rest.is_empty();
        }
    }
}

/// Bytes as UTF-8 text, or where the first byte that is not UTF-8 is (line, and column in
/// characters).
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, RonSyntax> {
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = &bytes[..error.valid_up_to()];
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        RonSyntax {
            line: 1 + valid.iter().filter(|&&b| b == b'\n').count(),
            column: 1 + String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count(),
            message: format!("invalid utf-8: {error}"),
        }
    })
}

/// Reads a settings value of `kind` from RON text, naming `origin` in a syntax error.
pub(crate) fn read_named<T: serde::de::DeserializeOwned>(
    text: &str,
    origin: &str,
    kind: &'static str,
) -> Result<T, super::SettingsError> {
    read(text).map_err(|e| super::SettingsError::Syntax {
        kind,
        origin: origin.to_owned(),
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// Reads a settings value from a RON file: a read error names the path, a syntax error the
/// path, line and column.
pub(crate) fn load_file<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    kind: &'static str,
) -> Result<T, super::SettingsError> {
    let bytes = std::fs::read(path).map_err(|source| super::SettingsError::Read {
        kind,
        path: path.to_owned(),
        source,
    })?;
    let origin = path.display().to_string();
    let text = utf8(&bytes).map_err(|e| super::SettingsError::Syntax {
        kind,
        origin: origin.clone(),
        line: e.line,
        column: e.column,
        message: e.message,
    })?;
    read_named(text, &origin, kind)
}

/// Lower-cases the first letter of a message from ron, to match this crate's messages.
fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Journey {
    /// Loads a journey from RON text and validates it.
    ///
    /// Optional values may be written bare (`owner: "Sales"`) or as `Some("Sales")`: the
    /// `implicit_some` extension is always on.
    ///
    /// # Errors
    ///
    /// [`LoadError::Syntax`] with line and column for malformed text, unknown fields, missing
    /// fields and values of the wrong type; [`LoadError::Invalid`] with every validation problem.
    ///
    /// # Complexity
    ///
    /// O(n) in the length of the text.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::Journey;
    ///
    /// let journey = Journey::from_ron_str(r#"(
    ///     name: "Tiny",
    ///     stages: [(id: "buy", name: "Buy")],
    ///     touchpoints: [(id: "shop", name: "Shop", stage: "buy", channel: Web, kind: DigitalProduct, owner: "E-commerce", entry: true, goal: true)],
    /// )"#)?;
    /// assert_eq!(journey.touchpoint("shop").and_then(|t| t.owner.as_deref()), Some("E-commerce"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_ron_str(text: &str) -> Result<Journey, LoadError> {
        Self::from_ron_text(text, IN_MEMORY)
    }

    /// Loads and validates a journey from RON bytes; `origin` names them in errors (a file name).
    ///
    /// # Errors
    ///
    /// As [`Journey::from_ron_str`], and [`LoadError::Syntax`] for bytes that are not UTF-8.
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::Journey;
    ///
    /// let error = Journey::from_ron_bytes(b"(name: \"x\",\n  \xff)", "upload.ron").unwrap_err();
    /// assert!(error.to_string().starts_with("upload.ron:2:"));
    /// ```
    pub fn from_ron_bytes(bytes: &[u8], origin: &str) -> Result<Journey, LoadError> {
        // Point at the first bad byte, by line and by character column.
        let text = utf8(bytes).map_err(|e| LoadError::Syntax {
            origin: origin.to_owned(),
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        Self::from_ron_text(text, origin)
    }

    /// Parses and validates text already known to be UTF-8; `origin` names it in errors.
    fn from_ron_text(text: &str, origin: &str) -> Result<Journey, LoadError> {
        let document: DocumentIn = read(text).map_err(|e| LoadError::Syntax {
            origin: origin.to_owned(),
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        JourneyBuilder::from(document)
            .build()
            .map_err(|source| LoadError::Invalid {
                origin: origin.to_owned(),
                source,
            })
    }

    /// Loads and validates a journey from a RON file.
    ///
    /// # Errors
    ///
    /// [`LoadError::Read`] when the file cannot be read, otherwise as
    /// [`Journey::from_ron_bytes`], with the path as the origin.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let journey = journey_map::Journey::load("examples/data/broadband.ron")?;
    /// assert!(journey.touchpoints().len() >= 20);
    /// # Ok(())
    /// # }
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Journey, LoadError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_ron_bytes(&bytes, &path.display().to_string())
    }

    /// Writes the journey as pretty RON, in the format [`Journey::from_ron_str`] reads: loading
    /// the text gives an equal journey.
    ///
    /// Optional values are written bare, under an `#![enable(implicit_some)]` header, and empty
    /// lists and `false` flags are left out.
    ///
    /// # Errors
    ///
    /// [`SaveError::Serialize`] if ron cannot write a value (not expected for a valid journey).
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::Journey;
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let text = journey.to_ron_string()?;
    /// assert_eq!(Journey::from_ron_str(&text)?, journey);
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_ron_string(&self) -> Result<String, SaveError> {
        let config = PrettyConfig::new()
            .struct_names(false)
            .depth_limit(2)
            .extensions(Extensions::IMPLICIT_SOME);
        let mut text = ron::Options::default()
            .to_string_pretty(&DocumentOut::from(self), config)
            .map_err(|error| SaveError::Serialize {
                message: lowercase_first(&error.to_string()),
            })?;
        text.push('\n');
        Ok(text)
    }

    /// Writes the journey to a file as pretty RON (see [`Journey::to_ron_string`]).
    ///
    /// # Errors
    ///
    /// [`SaveError::Write`] when the file cannot be written.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::Journey;
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let path = std::env::temp_dir().join("journey-map-doc-save.ron");
    /// journey.save(&path)?;
    /// assert_eq!(Journey::load(&path)?, journey);
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), SaveError> {
        let path = path.as_ref();
        let text = self.to_ron_string()?;
        std::fs::write(path, text).map_err(|source| SaveError::Write {
            path: path.to_owned(),
            source,
        })
    }
}

/// Parses RON text, as [`Journey::from_ron_str`].
impl FromStr for Journey {
    type Err = LoadError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Journey::from_ron_str(text)
    }
}
