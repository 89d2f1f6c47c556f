//! Reading interactions from RON: a list of interaction records.

use std::path::Path;

use super::log::LogBuilder;
use super::problems::{IngestError, Mode, RecordError, RecordProblem};
use super::record::Interaction;
use crate::format::ron::{RonSyntax, read, read_with};

impl LogBuilder<'_> {
    /// Reads a RON list of interactions and attaches each, as [`push`](LogBuilder::push).
    ///
    /// Each element is an [`Interaction`] with the field names of the CSV columns; optional
    /// values may be written bare (the `implicit_some` extension is on), timestamps are RFC 3339
    /// strings and outcomes are written `Completed`, `Abandoned`, `Failed` or `Escalated`. A
    /// record's row is its position in the list, from 1, counted on from earlier records.
    ///
    /// A record that cannot be read as an interaction (an unknown outcome, a timestamp that is
    /// not RFC 3339, a missing field) is, in lenient mode, skipped and reported with its line
    /// and column ([`RecordProblem::Malformed`]) while the other records are kept.
    ///
    /// # Errors
    ///
    /// [`IngestError::Syntax`] naming `origin`, line and column when the text is not a list
    /// (brackets or quotes that do not close), or, in strict mode, when a record cannot be
    /// read: the whole text is then refused and nothing is attached. Otherwise as
    /// [`push`](LogBuilder::push) for each record.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// builder.read_ron_str(r#"[
    ///     (customer: "c1", touchpoint: "chatbot", timestamp: "2026-01-05T10:00:00Z", outcome: Escalated, csat: 2),
    ///     (customer: "c1", touchpoint: "live-chat-agent", timestamp: "2026-01-05T10:04:00Z", outcome: Completed, resolved: true),
    /// ]"#, "chat.ron")?;
    /// let (log, _) = builder.finish();
    /// assert_eq!(log.len(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn read_ron_str(&mut self, text: &str, origin: &str) -> Result<(), IngestError> {
        let syntax = |e: RonSyntax| IngestError::Syntax {
            origin: origin.to_owned(),
            line: e.line,
            column: e.column,
            message: e.message,
        };
        let Some(list) = split_list(text) else {
            // Not a list of elements: ron's own reading of the whole text says why.
            let interactions: Vec<Interaction> = read(text).map_err(syntax)?;
            return self.extend(interactions);
        };
        let options = list.options();
        let mut records = Vec::with_capacity(list.elements.len());
        for element in &list.elements {
            match read_with::<Interaction>(&options, element.text) {
                Ok(interaction) => records.push(Ok(interaction)),
                Err(error) => {
                    let (line, column) = element.locate(&error);
                    let error = RonSyntax {
                        line,
                        column,
                        message: error.message,
                    };
                    if self.options().current_mode() == Mode::Strict {
                        return Err(syntax(error));
                    }
                    records.push(Err(error));
                }
            }
        }
        for record in records {
            match record {
                Ok(interaction) => self.push(interaction)?,
                Err(error) => {
                    self.count_row();
                    let row = self.rows_offered();
                    self.reject(RecordError {
                        row,
                        field: None,
                        column: None,
                        problem: RecordProblem::Malformed {
                            line: error.line,
                            column: error.column,
                            message: error.message,
                        },
                    })?;
                }
            }
        }
        Ok(())
    }

    /// Reads a RON file of interactions, as [`read_ron_str`](LogBuilder::read_ron_str).
    ///
    /// # Errors
    ///
    /// [`IngestError::Read`] naming the file when it cannot be read; [`IngestError::Syntax`]
    /// with line and column at the first byte that is not UTF-8;
    /// otherwise as [`read_ron_str`](LogBuilder::read_ron_str).
    pub fn read_ron_path(&mut self, path: impl AsRef<Path>) -> Result<(), IngestError> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| IngestError::Read {
            origin: origin.clone(),
            source,
        })?;
        let text = crate::format::ron::utf8(&bytes).map_err(|e| IngestError::Syntax {
            origin: origin.clone(),
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        self.read_ron_str(text, &origin)
    }
}

/// The top-level list of a RON text, split into its elements without reading them: each
/// element is then read on its own, so that one bad record does not lose the others.
struct List<'a> {
    /// The extensions the text enables (`#![enable(...)]`).
    extensions: Vec<&'a str>,
    elements: Vec<Element<'a>>,
}

/// One element of the list, and where it starts in the text (line and column from 1).
struct Element<'a> {
    text: &'a str,
    line: usize,
    column: usize,
}

impl Element<'_> {
    /// The position in the whole text of a problem found at `error`'s position in this
    /// element.
    fn locate(&self, error: &RonSyntax) -> (usize, usize) {
        if error.line <= 1 {
            (self.line, self.column + error.column.saturating_sub(1))
        } else {
            (self.line + error.line - 1, error.column)
        }
    }
}

impl List<'_> {
    fn options(&self) -> ron::Options {
        let extensions = self
            .extensions
            .iter()
            .filter_map(|name| ron::extensions::Extensions::from_ident(name))
            .fold(ron::extensions::Extensions::empty(), |all, e| all | e);
        crate::format::ron::options().with_default_extension(extensions)
    }
}

/// A cursor over a RON text that skips strings, characters and comments and keeps the line
/// and column (in characters) of where it is.
struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    column: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        let at = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Self {
            bytes: text.as_bytes(),
            at,
            line: 1,
            column: 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn bump(&mut self) {
        if let Some(&byte) = self.bytes.get(self.at) {
            self.at += 1;
            if byte == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if byte & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
    }

    fn starts_with(&self, prefix: &[u8]) -> bool {
        self.bytes[self.at..].starts_with(prefix)
    }

    /// Skips white space and comments; `None` for a comment that does not close.
    fn skip_blank(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.bump(),
                Some(b'/') if self.starts_with(b"//") => {
                    while self.peek().is_some_and(|b| b != b'\n') {
                        self.bump();
                    }
                }
                Some(b'/') if self.starts_with(b"/*") => {
                    let mut depth = 0usize;
                    loop {
                        if self.starts_with(b"/*") {
                            depth += 1;
                            self.bump();
                            self.bump();
                        } else if self.starts_with(b"*/") {
                            depth -= 1;
                            self.bump();
                            self.bump();
                            if depth == 0 {
                                break;
                            }
                        } else if self.peek().is_some() {
                            self.bump();
                        } else {
                            return None;
                        }
                    }
                }
                _ => return Some(()),
            }
        }
    }

    /// Skips a string, raw string or character starting here; `None` when it does not close.
    fn skip_quoted(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' | b'\'' => {
                let quote = self.peek()?;
                self.bump();
                loop {
                    match self.peek()? {
                        b'\\' => {
                            self.bump();
                            self.bump();
                        }
                        byte if byte == quote => {
                            self.bump();
                            return Some(());
                        }
                        _ => self.bump(),
                    }
                }
            }
            _ => {
                // r"..." or r#"..."#, with as many hashes at the end as at the start.
                self.bump();
                let mut hashes = 0;
                while self.peek() == Some(b'#') {
                    hashes += 1;
                    self.bump();
                }
                if self.peek()? != b'"' {
                    return None;
                }
                self.bump();
                loop {
                    if self.peek()? == b'"'
                        && self.bytes[self.at + 1..]
                            .iter()
                            .take(hashes)
                            .filter(|&&b| b == b'#')
                            .count()
                            == hashes
                    {
                        for _ in 0..=hashes {
                            self.bump();
                        }
                        return Some(());
                    }
                    self.bump();
                }
            }
        }
    }

    /// Whether a raw string starts here (`r"` or `r#`), not an identifier beginning with r.
    fn at_raw_string(&self) -> bool {
        let before = self.at.checked_sub(1).map(|i| self.bytes[i]);
        let word_before = before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
        !word_before && (self.starts_with(b"r\"") || self.starts_with(b"r#"))
    }

    /// Skips one element of a list: up to the `,` or `]` that ends it at depth 0. `None` when
    /// brackets, strings or comments do not close.
    fn skip_element(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' | b'\'' => self.skip_quoted()?,
                b'r' if self.at_raw_string() => self.skip_quoted()?,
                b'/' if self.starts_with(b"//") || self.starts_with(b"/*") => self.skip_blank()?,
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    self.bump();
                }
                b')' | b']' | b'}' if depth > 0 => {
                    depth -= 1;
                    self.bump();
                }
                b',' | b']' if depth == 0 => return Some(()),
                b')' | b'}' => return None,
                _ => self.bump(),
            }
        }
    }
}

/// Splits a RON text that is a list (after any `#![enable(...)]` attributes) into its
/// elements; `None` when it is not one, or when brackets, strings or comments do not close.
///
/// Complexity: O(n) in the length of the text, with no recursion however deep it nests.
fn split_list(text: &str) -> Option<List<'_>> {
    let mut scanner = Scanner::new(text);
    let mut extensions = Vec::new();
    scanner.skip_blank()?;
    while scanner.starts_with(b"#![") {
        let start = scanner.at;
        for _ in 0..3 {
            scanner.bump();
        }
        scanner.skip_element()?;
        if scanner.peek()? != b']' {
            return None;
        }
        let attribute = &text[start + 3..scanner.at];
        scanner.bump();
        let inner = attribute
            .trim()
            .strip_prefix("enable")?
            .trim()
            .strip_prefix('(')?
            .strip_suffix(')')?;
        extensions.extend(inner.split(',').map(str::trim).filter(|e| !e.is_empty()));
        scanner.skip_blank()?;
    }
    if scanner.peek()? != b'[' {
        return None;
    }
    scanner.bump();
    let mut elements = Vec::new();
    loop {
        scanner.skip_blank()?;
        if scanner.peek()? == b']' {
            scanner.bump();
            break;
        }
        let (start, line, column) = (scanner.at, scanner.line, scanner.column);
        scanner.skip_element()?;
        elements.push(Element {
            text: text[start..scanner.at].trim_end(),
            line,
            column,
        });
        if scanner.peek()? == b',' {
            scanner.bump();
        }
    }
    scanner.skip_blank()?;
    scanner.peek().is_none().then_some(List {
        extensions,
        elements,
    })
}

#[cfg(test)]
mod tests {
    use super::split_list;

    #[test]
    fn lists_split_into_elements_with_their_positions() {
        let text = "#![enable(implicit_some)]\n// records\n[\n  (a: \"x, ]\"), /* c ) */ (b: [1, 2], c: r#\"\")\"#),\n  (d: '\\'', e: {\"k\": (1)}),\n]\n";
        let list = split_list(text).expect("a list");
        assert_eq!(list.extensions, ["implicit_some"]);
        let found: Vec<(&str, usize, usize)> = list
            .elements
            .iter()
            .map(|e| (e.text, e.line, e.column))
            .collect();
        assert_eq!(
            found,
            [
                ("(a: \"x, ]\")", 4, 3),
                ("(b: [1, 2], c: r#\"\")\"#)", 4, 26),
                ("(d: '\\'', e: {\"k\": (1)})", 5, 3),
            ]
        );
        assert_eq!(split_list("[]").map(|l| l.elements.len()), Some(0));
        assert_eq!(
            split_list("\u{feff}[(a: 1)]").map(|l| l.elements.len()),
            Some(1)
        );
        for broken in [
            "",
            "(a: 1)",
            "[(a: 1)",
            "[(a: \"1)]",
            "[(a: 1))]",
            "[] x",
            "[/* ]",
        ] {
            assert!(split_list(broken).is_none(), "{broken:?}");
        }
    }
}
