//! Reading interactions from CSV.
//!
//! The first line names the columns, in any order. `customer`, `touchpoint`, `timestamp` and
//! `outcome` are required; `persona`, `wait_seconds`, `handling_seconds`, `csat`, `ces`, `nps`,
//! `sentiment`, `resolved`, `need` and `tags` may be left out or left empty. An unknown column
//! is an error (with the closest column name), so that no data is dropped silently.

use super::log::Tags;
use super::scores::Scales;
use std::io;
use std::path::Path;

use jiff::Timestamp;

use std::sync::Arc;

use super::log::{LogBuilder, RecordView};
use super::mapping::{self, Cell, Compiled, Row, RowSource, map_row};
use super::problems::{Field, IngestError, RecordError, RecordProblem};
use super::record::{Interaction, Outcome};
use crate::model::validation::closest;

/// How plain numbers in the `timestamp` column are read. RFC 3339 text
/// (`2026-01-05T10:00:00Z`, `2026-01-05T11:00:00+01:00`) is always accepted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum UnixUnit {
    /// Seconds since 1970-01-01T00:00:00Z.
    #[default]
    Seconds,
    /// Milliseconds since 1970-01-01T00:00:00Z.
    Milliseconds,
}

/// `seconds` or `milliseconds`.
impl std::fmt::Display for UnixUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UnixUnit::Seconds => "seconds",
            UnixUnit::Milliseconds => "milliseconds",
        })
    }
}

impl LogBuilder<'_> {
    /// Reads interactions from CSV text and attaches each row, as [`push`](LogBuilder::push).
    ///
    /// Rows are numbered by the line they start on (the header is line 1), in errors and in
    /// the report.
    ///
    /// Unless [`IngestOptions::parallel`](crate::IngestOptions::parallel) is off (or the
    /// machine has one core), rows are read on the calling thread while a second, scoped
    /// thread checks and attaches them in batches; they are attached in file order, and the
    /// log, the report and the errors are those one thread gives. The reader stays on the
    /// calling thread, so it need not be `Send`.
    ///
    /// # Errors
    ///
    /// [`IngestError::Header`] for an unknown, repeated or missing required column;
    /// [`IngestError::Read`] when the reader fails; in strict mode, [`IngestError::Record`] for
    /// the first bad row (a malformed line, a value that cannot be read, or any problem
    /// [`push`](LogBuilder::push) reports). In lenient mode bad rows are skipped and listed.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::{IngestOptions, Journey, LogBuilder, Mode};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let csv = "customer,touchpoint,timestamp,outcome,csat,tags\n\
    ///            c1,chatbot,2026-01-05T10:00:00Z,escalated,2,\n\
    ///            c1,live-chat-agent,1767607500,completed,5,late|weekend\n\
    ///            c2,chatbto,2026-01-05T11:00:00Z,completed,,\n";
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default().mode(Mode::Lenient));
    /// builder.read_csv(csv.as_bytes())?;
    /// let (log, report) = builder.finish();
    /// assert_eq!((log.len(), report.accepted, report.rejected_count()), (2, 2, 1));
    /// assert_eq!(
    ///     report.rejected[0].to_string(),
    ///     "row 4, column touchpoint: unknown touchpoint \"chatbto\" (did you mean \"chatbot\"?)"
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn read_csv(&mut self, reader: impl io::Read) -> Result<(), IngestError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(reader);
        let headers = csv
            .byte_headers()
            .map_err(|e| csv_error(e, "<header>"))?
            .clone();
        let columns = Columns::from_header(&headers, self.mapped())?;
        let unit = self.options().current_unix_unit();
        let two_threads = self.options().current_parallel()
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        if two_threads {
            self.read_rows_on_two_threads(&mut csv, &columns)
        } else {
            let mut record = csv::ByteRecord::new();
            loop {
                match csv.read_byte_record(&mut record) {
                    Ok(false) => return Ok(()),
                    Ok(true) => self.take_row(&record, &columns.cells(&record, unit), &columns)?,
                    Err(error) => self.take_bad_row(BadRow::after(error, &csv))?,
                }
            }
        }
    }

    /// Reads rows on the calling thread while another thread checks and attaches them, in
    /// batches, in file order: the result is the one reading on one thread gives.
    fn read_rows_on_two_threads<R: io::Read>(
        &mut self,
        csv: &mut csv::Reader<R>,
        columns: &Columns,
    ) -> Result<(), IngestError> {
        use std::sync::mpsc;
        let unit = self.options().current_unix_unit();
        /// Rows per batch: enough to make handing over cheap, few enough that a batch (about
        /// 100 KB) is still in cache when the checking thread reads it.
        const ROWS: usize = 256;
        /// Batches read ahead of the checking thread: enough that neither thread waits for
        /// the other's passing slowness (each wait is a sleep and a wake-up).
        const AHEAD: usize = 8;
        let (full, to_check) = mpsc::sync_channel::<Batch>(AHEAD);
        let (give_back, recycled) = mpsc::channel::<Batch>();
        std::thread::scope(|scope| {
            let checker = scope.spawn(move || -> Result<(), IngestError> {
                for batch in to_check {
                    self.warm_customers(batch.records.iter().zip(&batch.cells).map(
                        |(record, cells)| {
                            let (start, end) = cells[Field::Customer as usize];
                            record.as_slice().get(start..end).unwrap_or_default()
                        },
                    ));
                    for (record, cells) in batch.records.iter().zip(&batch.cells) {
                        self.take_row(record, cells, columns)?;
                    }
                    if let Some(bad) = batch.error {
                        self.take_bad_row(bad)?;
                    }
                    let _ = give_back.send(Batch {
                        records: batch.records,
                        cells: batch.cells,
                        error: None,
                    });
                }
                Ok(())
            });
            loop {
                // The reading thread also finds where each cell lies, which evens the work.
                let mut batch = recycled.try_recv().unwrap_or_default();
                batch.cells.clear();
                let mut finished = false;
                while batch.cells.len() < ROWS {
                    let filled = batch.cells.len();
                    if batch.records.len() == filled {
                        batch.records.push(csv::ByteRecord::new());
                    }
                    match csv.read_byte_record(&mut batch.records[filled]) {
                        Ok(true) => batch
                            .cells
                            .push(columns.cells(&batch.records[filled], unit)),
                        Ok(false) => {
                            finished = true;
                            break;
                        }
                        Err(error) => {
                            // A bad row ends the batch; reading goes on after it unless the
                            // reader itself failed.
                            finished = matches!(error.kind(), csv::ErrorKind::Io(_));
                            batch.error = Some(BadRow::after(error, csv));
                            break;
                        }
                    }
                }
                // The checker stops at the first error in strict mode: then stop reading.
                if full.send(batch).is_err() || finished {
                    break;
                }
            }
            drop(full);
            checker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// Checks one row read from CSV and attaches it, or handles its problem by the mode.
    fn take_row(
        &mut self,
        record: &csv::ByteRecord,
        cells: &Cells,
        columns: &Columns,
    ) -> Result<(), IngestError> {
        let row = record.position().map_or(0, |p| p.line() as usize);
        self.count_row();
        let unit = self.options().current_unix_unit();
        let scales = self.options().current_scales();
        if let Some(mapping) = &columns.mapping {
            let mapped = mapped_view(record, cells, columns, mapping, unit, &scales);
            return self.offer_mapped(row, &mapped, columns);
        }
        // Cells are read as bytes: text fields are checked for UTF-8, numbers are read
        // straight from the bytes.
        match view(record, cells, unit, &scales) {
            Ok(view) => self.offer_view(row, &view),
            Err((field, problem)) => self.reject(RecordError {
                row,
                field,
                column: None,
                problem,
            }),
        }
    }

    /// Attaches, counts or refuses one row read through a mapping (from CSV or Arrow), as
    /// row `row`.
    #[inline(always)]
    pub(crate) fn offer_mapped(
        &mut self,
        row: usize,
        mapped: &Result<Row<'_>, mapping::Bad>,
        columns: &Columns,
    ) -> Result<(), IngestError> {
        match mapped {
            Ok(Row::Interaction(view)) => self.offer_view_in(row, view, |f| columns.source_name(f)),
            Ok(Row::Skip(event)) => {
                self.count_skipped(*event);
                Ok(())
            }
            &Ok(Row::Marker {
                index,
                marker,
                customer,
                timestamp_ms,
            }) => {
                self.add_marker(index, marker, customer, timestamp_ms);
                Ok(())
            }
            Err((field, problem)) => self.reject(RecordError {
                row,
                field: *field,
                column: field.and_then(|f| columns.source_name(f)),
                problem: problem.as_ref().clone(),
            }),
        }
    }

    /// Handles a row the CSV reader could not read: the reader's own failure is an error;
    /// a malformed row is a bad row, handled by the mode.
    fn take_bad_row(&mut self, bad: BadRow) -> Result<(), IngestError> {
        let BadRow {
            error,
            next_line,
            at_end,
        } = bad;
        let row = error.position().map_or(0, |p| p.line() as usize);
        if let csv::ErrorKind::Io(_) = error.kind() {
            return Err(csv_error(error, "<reader>"));
        }
        self.count_row();
        let problem = RecordProblem::Unreadable(match error.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => {
                let last_line = next_line.saturating_sub(1).max(row as u64);
                if at_end && last_line > row as u64 {
                    format!(
                        "a quote opened in this row is never closed: lines {row} to {last_line}, the rest of the file, were read as one row of {len} fields"
                    )
                } else if last_line > row as u64 {
                    format!(
                        "{len} fields where the header has {expected_len}; the row runs over lines {row} to {last_line}: is a quote in it not closed?"
                    )
                } else {
                    format!("{len} fields where the header has {expected_len}")
                }
            }
            _ => error.to_string(),
        });
        self.reject(RecordError {
            row,
            field: None,
            column: None,
            problem,
        })
    }

    /// Reads interactions from a CSV file, as [`read_csv`](LogBuilder::read_csv).
    ///
    /// # Errors
    ///
    /// [`IngestError::Read`] naming the file when it cannot be opened or read; otherwise as
    /// [`read_csv`](LogBuilder::read_csv).
    pub fn read_csv_path(&mut self, path: impl AsRef<Path>) -> Result<(), IngestError> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| IngestError::Read {
            origin: path.display().to_string(),
            source,
        })?;
        self.read_csv(io::BufReader::new(file))
            .map_err(|error| match error {
                IngestError::Read { source, .. } => IngestError::Read {
                    origin: path.display().to_string(),
                    source,
                },
                other => other,
            })
    }
}

fn csv_error(error: csv::Error, origin: &str) -> IngestError {
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(source) => IngestError::Read {
            origin: origin.to_owned(),
            source,
        },
        _ => IngestError::Read {
            origin: origin.to_owned(),
            source: io::Error::new(io::ErrorKind::InvalidData, message),
        },
    }
}

/// Rows read from CSV, handed from the reading thread to the checking one and back.
#[derive(Default)]
struct Batch {
    /// Row buffers; the first `cells.len()` hold rows.
    records: Vec<csv::ByteRecord>,
    /// Where the cells of each row lie.
    cells: Vec<Cells>,
    /// The error that ended the batch, after its rows.
    error: Option<BadRow>,
}

/// A row the CSV reader refused, and where the reader was after it: a row that runs over
/// many lines to the end of the file is a quote never closed.
struct BadRow {
    error: csv::Error,
    /// The line the reader is on after the row.
    next_line: u64,
    /// Whether the row ran to the end of the file.
    at_end: bool,
}

impl BadRow {
    fn after<R: io::Read>(error: csv::Error, reader: &csv::Reader<R>) -> Self {
        Self {
            error,
            next_line: reader.position().line(),
            at_end: reader.is_done(),
        }
    }
}

/// Which column holds each field.
pub(crate) struct Columns {
    /// The slot of each column, by position: a field's index, or [`DISCARD`] for a column
    /// read as no field (ignored, or a segment, which is read apart).
    pub(crate) slot_of: Vec<usize>,
    /// Columns that hold a second field too (a ticket id that is the session and the need).
    pub(crate) also: Vec<(usize, Field)>,
    /// The column of each segment of the mapping, by the mapping's order.
    pub(crate) segment_columns: Vec<usize>,
    /// The mapping rows are read through.
    mapping: Option<Arc<Compiled>>,
}

/// How many fields a row may have.
const FIELDS: usize = Field::ALL.len();

/// The slot of a column read as no field.
pub(crate) const DISCARD: usize = FIELDS;

/// Where each field's cell lies in a row's bytes (all its cells one after another), trimmed;
/// an absent column reads as an empty cell. The last slot takes columns read as no field.
/// Rows read through a mapping also carry their time, read by the reading thread ahead of
/// the checking one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cells {
    spans: [(usize, usize); FIELDS + 1],
    /// The row's time, read ahead (mapped rows whose time reads).
    timestamp_ms: Option<i64>,
}

impl std::ops::Index<usize> for Cells {
    type Output = (usize, usize);

    #[inline(always)]
    fn index(&self, i: usize) -> &(usize, usize) {
        &self.spans[i]
    }
}

/// The fields every row must give (the outcome unless the mapping gives a default).
const REQUIRED: [Field; 4] = [
    Field::Customer,
    Field::Touchpoint,
    Field::Timestamp,
    Field::Outcome,
];

impl Columns {
    pub(crate) fn from_header(
        header: &csv::ByteRecord,
        mapping: Option<Arc<Compiled>>,
    ) -> Result<Self, IngestError> {
        let raw = header.as_slice();
        if raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[0xFE, 0xFF]) || raw.contains(&0) {
            return Err(IngestError::Header(HeaderProblem::Utf16));
        }
        let names: Vec<String> = header
            .iter()
            .map(|name| String::from_utf8_lossy(name).trim().to_owned())
            .collect();
        if let Some(i) = names.iter().position(String::is_empty) {
            return Err(IngestError::Header(HeaderProblem::EmptyColumnName {
                position: i + 1,
                last: i + 1 == names.len(),
            }));
        }
        let column_name = |field: Field| -> String {
            mapping
                .as_ref()
                .and_then(|m| m.column_of[field as usize].clone())
                .unwrap_or_else(|| field.as_str().to_owned())
        };
        let accepted: Vec<String> = Field::ALL
            .into_iter()
            .map(column_name)
            .chain(
                mapping
                    .iter()
                    .flat_map(|m| m.segments.iter().map(|(_, c)| c.clone())),
            )
            .collect();
        let mut position = [None; FIELDS];
        let mut also = Vec::new();
        let mut slot_of = vec![DISCARD; names.len()];
        let mut segment_columns = vec![None; mapping.as_ref().map_or(0, |m| m.segments.len())];
        let mut unknown = None;
        let ignored: std::collections::HashSet<&str> = mapping
            .iter()
            .flat_map(|m| m.ignore.iter().map(String::as_str))
            .collect();
        for (i, name) in names.iter().enumerate() {
            let mut read = false;
            for field in Field::ALL.into_iter().filter(|&f| column_name(f) == *name) {
                if position[field as usize].replace(i).is_some() {
                    return Err(IngestError::Header(HeaderProblem::RepeatedColumn(field)));
                }
                if read {
                    also.push((i, field));
                } else {
                    slot_of[i] = field as usize;
                }
                read = true;
            }
            if let Some(m) = &mapping {
                for (k, (_, column)) in m.segments.iter().enumerate() {
                    if column == name {
                        segment_columns[k] = Some(i);
                        read = true;
                    }
                }
                read |= ignored.contains(name.as_str());
            }
            if !read {
                unknown.get_or_insert(i);
            }
        }
        let unknown_column = |i: usize| {
            let name = &names[i];
            IngestError::Header(HeaderProblem::UnknownColumn {
                name: name.clone(),
                suggestion: closest(name, accepted.iter().map(String::as_str)),
                accepted: accepted.clone(),
            })
        };
        // Without a mapping, an unknown column says most (a process log's `case_id`); with
        // one, a column the mapping names but the file lacks is reported first: the unknown
        // column is often that one misspelt.
        if let (None, Some(i)) = (&mapping, unknown) {
            return Err(unknown_column(i));
        }
        for field in Field::ALL {
            let explicit = mapping.as_ref().is_some_and(|m| m.explicit[field as usize]);
            let defaulted = mapping
                .as_ref()
                .is_some_and(|m| m.defaults[field as usize].is_some());
            let required = REQUIRED.contains(&field) && !defaulted;
            if position[field as usize].is_none() && (explicit || required) {
                let column = column_name(field);
                return Err(IngestError::Header(if mapping.is_some() {
                    HeaderProblem::MissingMappedColumn {
                        what: field.to_string(),
                        suggestion: closest(&column, names.iter().map(String::as_str)),
                        column,
                    }
                } else {
                    HeaderProblem::MissingColumn(field)
                }));
            }
        }
        let mut segments = Vec::with_capacity(segment_columns.len());
        if let Some(m) = &mapping {
            for ((name, column), found) in m.segments.iter().zip(&segment_columns) {
                match found {
                    Some(i) => segments.push(*i),
                    None => {
                        return Err(IngestError::Header(HeaderProblem::MissingMappedColumn {
                            what: format!("segment {name}"),
                            suggestion: closest(column, names.iter().map(String::as_str)),
                            column: column.clone(),
                        }));
                    }
                }
            }
        }
        if let Some(i) = unknown {
            return Err(unknown_column(i));
        }
        Ok(Self {
            slot_of,
            also,
            segment_columns: segments,
            mapping,
        })
    }

    /// The column name of `field` in the file, when a mapping names it differently.
    pub(crate) fn source_name(&self, field: Field) -> Option<String> {
        let m = self.mapping.as_ref()?;
        let column = m.column_of[field as usize].as_ref()?;
        (column != field.as_str()).then(|| column.clone())
    }

    /// A row's cells by field, in one pass over the row; for a mapped row, also whether it
    /// is UTF-8 and its time, so that the reading thread shares the checking one's work.
    #[inline(always)]
    fn cells(&self, record: &csv::ByteRecord, unit: UnixUnit) -> Cells {
        let mut spans = [(0, 0); FIELDS + 1];
        let mut offset = 0;
        for (bytes, &slot) in record.iter().zip(&self.slot_of) {
            let start = bytes.len() - bytes.trim_ascii_start().len();
            let end = bytes.trim_ascii_end().len().max(start);
            spans[slot] = (offset + start, offset + end);
            offset += bytes.len();
        }
        for &(column, field) in &self.also {
            spans[field as usize] = spans[self.slot_of[column]];
        }
        let mut cells = Cells {
            spans,
            timestamp_ms: None,
        };
        if let Some(mapping) = &self.mapping {
            let (start, end) = spans[Field::Timestamp as usize];
            if start < end
                && let Ok(text) = std::str::from_utf8(&record.as_slice()[start..end])
            {
                cells.timestamp_ms = mapping.timestamp_of_text(text, unit).ok();
            }
        }
        cells
    }
}

/// A row's fields, or what is wrong with the first bad one.
fn view<'r>(
    record: &'r csv::ByteRecord,
    cells: &Cells,
    unit: UnixUnit,
    scales: &Scales,
) -> Result<RecordView<'r>, (Option<Field>, RecordProblem)> {
    view_fast(record, cells, unit).map_err(|bad| explain(record, cells, bad, unit, scales))
}

/// A CSV row as a [`RowSource`]: every cell is text.
struct CsvRow<'a> {
    record: &'a csv::ByteRecord,
    /// The whole row as text, when it is UTF-8: cells are sliced from it unchecked again.
    row: Option<&'a str>,
    cells: &'a Cells,
    columns: &'a Columns,
}

impl<'a> RowSource<'a> for CsvRow<'a> {
    #[inline(always)]
    fn cell(&self, field: Field) -> Result<Cell<'a>, mapping::Bad> {
        if field == Field::Timestamp
            && let Some(ms) = self.cells.timestamp_ms
        {
            return Ok(Cell::Millis(ms));
        }
        let (start, end) = self.cells[field as usize];
        if start >= end {
            return Ok(Cell::Empty);
        }
        if let Some(text) = self.row.and_then(|row| row.get(start..end)) {
            return Ok(Cell::Text(text));
        }
        let cell = &self.record.as_slice()[start..end];
        std::str::from_utf8(cell).map(Cell::Text).map_err(|e| {
            mapping::unreadable(
                field,
                format!(
                    "{:?} is not valid UTF-8 ({e})",
                    String::from_utf8_lossy(cell)
                ),
            )
        })
    }

    fn segment(&self, k: usize) -> Result<Option<&'a str>, RecordProblem> {
        let Some(cell) = self
            .columns
            .segment_columns
            .get(k)
            .and_then(|&column| self.record.get(column))
        else {
            return Ok(None);
        };
        let value = std::str::from_utf8(cell.trim_ascii()).map_err(|e| {
            RecordProblem::Unreadable(format!(
                "{:?} is not valid UTF-8 ({e})",
                String::from_utf8_lossy(cell)
            ))
        })?;
        Ok((!value.is_empty()).then_some(value))
    }
}

/// A row's fields read through a mapping.
fn mapped_view<'a>(
    record: &'a csv::ByteRecord,
    cells: &'a Cells,
    columns: &'a Columns,
    m: &'a Compiled,
    unit: UnixUnit,
    scales: &Scales,
) -> Result<Row<'a>, mapping::Bad> {
    map_row(
        &CsvRow {
            record,
            row: std::str::from_utf8(record.as_slice()).ok(),
            cells,
            columns,
        },
        m,
        unit,
        scales,
    )
}

/// A row's fields; a problem is only located here, and explained by
/// [`explain`].
#[inline]
fn view_fast<'r>(
    record: &'r csv::ByteRecord,
    cells: &Cells,
    unit: UnixUnit,
) -> Result<RecordView<'r>, Bad> {
    let bytes = record.as_slice();
    // One UTF-8 check for the whole row; a row that fails it is checked cell by cell, to
    // find the bad text field (numbers are read from bytes and need none).
    let row = std::str::from_utf8(bytes).ok();
    let cell = |field: Field| {
        let (start, end) = cells[field as usize];
        (start < end).then(|| &bytes[start..end])
    };
    let text = |field: Field| -> Result<Option<&'r str>, Bad> {
        let (start, end) = cells[field as usize];
        if start == end {
            return Ok(None);
        }
        match row {
            Some(row) => row.get(start..end),
            None => std::str::from_utf8(&bytes[start..end]).ok(),
        }
        .map(Some)
        .ok_or(Bad::Unreadable(field))
    };
    let required = |field: Field| text(field)?.ok_or(Bad::Missing(field));
    #[inline(always)]
    fn parsed<T>(
        cell: Option<&[u8]>,
        field: Field,
        parse: impl FnOnce(&[u8]) -> Option<T>,
    ) -> Result<Option<T>, Bad> {
        cell.map(|bytes| parse(bytes).ok_or(Bad::Unreadable(field)))
            .transpose()
    }
    let number = |field: Field| parsed(cell(field), field, parse_number);
    let score = |field: Field| parsed(cell(field), field, parse_score);

    let timestamp = cell(Field::Timestamp).ok_or(Bad::Missing(Field::Timestamp))?;
    let timestamp_ms =
        parse_timestamp_bytes(timestamp, unit).ok_or(Bad::Unreadable(Field::Timestamp))?;
    let outcome = cell(Field::Outcome).ok_or(Bad::Missing(Field::Outcome))?;
    let outcome = parse_outcome(outcome).ok_or(Bad::Unreadable(Field::Outcome))?;
    let tags = split_tags(text(Field::Tags)?);
    Ok(RecordView {
        customer: required(Field::Customer)?,
        touchpoint: required(Field::Touchpoint)?,
        touchpoint_index: None,
        timestamp_ms,
        persona: text(Field::Persona)?,
        outcome: Some(outcome),
        wait_seconds: number(Field::WaitSeconds)?,
        handling_seconds: number(Field::HandlingSeconds)?,
        csat: score(Field::Csat)?,
        ces: score(Field::Ces)?,
        nps: score(Field::Nps)?,
        sentiment: number(Field::Sentiment)?,
        resolved: parsed(cell(Field::Resolved), Field::Resolved, parse_bool)?,
        need: text(Field::Need)?,
        tags,
        session: text(Field::Session)?,
        segments: std::borrow::Cow::Borrowed(&[]),
    })
}

/// What is wrong with the field `bad` found, in words.
#[cold]
fn explain(
    record: &csv::ByteRecord,
    cells: &Cells,
    bad: Bad,
    unit: UnixUnit,
    scales: &Scales,
) -> (Option<Field>, RecordProblem) {
    let field = match bad {
        Bad::Missing(field) => return (Some(field), RecordProblem::Missing),
        Bad::Unreadable(field) => field,
    };
    let (start, end) = cells[field as usize];
    let bytes = &record.as_slice()[start..end];
    let message = match std::str::from_utf8(bytes) {
        Err(error) => format!(
            "{:?} is not valid UTF-8 ({error})",
            String::from_utf8_lossy(bytes)
        ),
        Ok(text) => match field {
            Field::Timestamp => parse_timestamp(text, unit)
                .err()
                .unwrap_or_else(|| format!("{text:?} is not a timestamp")),
            Field::Outcome => text
                .parse::<Outcome>()
                .err()
                .map_or_else(|| format!("{text:?} is not an outcome"), |e| e.to_string()),
            Field::Csat | Field::Ces | Field::Nps => {
                match score_out_of_range(field, text, scales) {
                    Some(problem) => return (Some(field), problem),
                    None => format!("{text:?} is not a whole number"),
                }
            }
            Field::Resolved => format!("{text:?} is not true or false (also yes/no, 1/0)"),
            _ => format!("{text:?} is not a number"),
        },
    };
    (Some(field), RecordProblem::Unreadable(message))
}

/// Which field of a row is bad, found on the fast path and explained off it.
#[derive(Debug, Clone, Copy)]
enum Bad {
    Missing(Field),
    Unreadable(Field),
}

/// Milliseconds since the epoch from a cell: whole numbers in `unit` are read straight from
/// the bytes; anything else as [`parse_timestamp`] reads it.
#[inline]
pub(crate) fn parse_timestamp_bytes(bytes: &[u8], unit: UnixUnit) -> Option<i64> {
    let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
    if let Some(value) = whole_number(digits) {
        let value = i64::try_from(value).ok()?;
        let value = if digits.len() == bytes.len() {
            value
        } else {
            -value
        };
        let ms = match unit {
            UnixUnit::Seconds => value.checked_mul(1000)?,
            UnixUnit::Milliseconds => value,
        };
        let range = Timestamp::MIN.as_millisecond()..=Timestamp::MAX.as_millisecond();
        return range.contains(&ms).then_some(ms);
    }
    parse_timestamp(std::str::from_utf8(bytes).ok()?, unit).ok()
}

/// An outcome's name in any case.
#[inline]
pub(crate) fn parse_outcome(bytes: &[u8]) -> Option<Outcome> {
    match bytes {
        b"completed" => Some(Outcome::Completed),
        b"abandoned" => Some(Outcome::Abandoned),
        b"failed" => Some(Outcome::Failed),
        b"escalated" => Some(Outcome::Escalated),
        b"in-progress" => Some(Outcome::InProgress),
        _ => Outcome::ALL
            .into_iter()
            .find(|o| o.as_str().as_bytes().eq_ignore_ascii_case(bytes)),
    }
}

/// Up to 18 ASCII digits as a number, eight at a time; `None` for anything else.
#[inline]
fn whole_number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut value = 0_u64;
    let mut chunks = digits.chunks_exact(8);
    for chunk in &mut chunks {
        value = value * 100_000_000 + eight_digits(chunk);
    }
    for &digit in chunks.remainder() {
        value = value * 10 + u64::from(digit - b'0');
    }
    Some(value)
}

/// Eight ASCII digits read at once: pairs, then fours, then all eight are combined with
/// multiplications on one 64-bit word.
#[inline]
fn eight_digits(chunk: &[u8]) -> u64 {
    let mut word = chunk
        .try_into()
        .map(u64::from_le_bytes)
        .unwrap_or(0x3030_3030_3030_3030);
    // Bytes above each field carry garbage that the masks drop: the arithmetic wraps.
    word -= 0x3030_3030_3030_3030;
    word = word.wrapping_mul(10).wrapping_add(word >> 8);
    let low = (word & 0x0000_00FF_0000_00FF).wrapping_mul(100 + (1_000_000 << 32));
    let high = ((word >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32));
    low.wrapping_add(high) >> 32
}

/// A number. `[-]digits[.digits]` with at most 15 digits is read straight from the bytes: the
/// digits as a whole number, then one division by a power of ten, both exact in `f64`, so the
/// one rounding gives what `str::parse` gives (Clinger's fast path). Anything else is read by
/// `str::parse` (so `NaN` and `inf` are read, and refused by the checks as not finite).
#[inline]
pub(crate) fn parse_number(bytes: &[u8]) -> Option<f64> {
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, body) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (whole, fraction) = match body.iter().position(|&b| b == b'.') {
        Some(dot) => (&body[..dot], &body[dot + 1..]),
        None => (body, &body[..0]),
    };
    if !whole.is_empty() && whole.len() + fraction.len() <= 15 {
        let mut digits = 0_u64;
        let mut all_digits = true;
        for &b in whole.iter().chain(fraction) {
            all_digits &= b.is_ascii_digit();
            digits = digits * 10 + u64::from(b.wrapping_sub(b'0'));
        }
        if all_digits {
            let value = digits as f64 / POWERS[fraction.len()];
            return Some(if negative { -value } else { value });
        }
    }
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// A score written as a whole number too large for any scale (255 or more): out of the
/// field's scale, said as such rather than as an unreadable number.
pub(crate) fn score_out_of_range(
    field: Field,
    text: &str,
    scales: &Scales,
) -> Option<RecordProblem> {
    let value: u64 = text.trim().parse().ok()?;
    let scale = match field {
        Field::Csat => scales.csat(),
        Field::Ces => scales.ces(),
        _ => Scales::NPS,
    };
    Some(RecordProblem::ScoreOutOfRange { value, scale })
}

/// A whole number from 0 to 254 (255 marks an absent score).
#[inline]
pub(crate) fn parse_score(bytes: &[u8]) -> Option<u8> {
    if bytes.is_empty() || bytes.len() > 3 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = bytes
        .iter()
        .fold(0_u16, |v, &d| v * 10 + u16::from(d - b'0'));
    u8::try_from(value).ok().filter(|&v| v != u8::MAX)
}

/// Milliseconds since the epoch from RFC 3339 text or a whole number in `unit`.
pub(crate) fn parse_timestamp(text: &str, unit: UnixUnit) -> Result<i64, String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let is_number = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let timestamp = if is_number {
        let value: i64 = text
            .parse()
            .map_err(|_| format!("{text:?} is too large for a timestamp"))?;
        match unit {
            UnixUnit::Seconds => Timestamp::from_second(value),
            UnixUnit::Milliseconds => Timestamp::from_millisecond(value),
        }
        .map_err(|_| unix_out_of_range(text, value, unit))?
    } else {
        text.parse::<Timestamp>()
            .map_err(|e| not_a_time(text, &e))?
    };
    Ok(timestamp.as_millisecond())
}

/// Why a Unix time is out of range, with the unit that would read it when one would: Unix
/// milliseconds read as seconds are the usual cause.
pub(crate) fn unix_out_of_range(text: &str, value: i64, unit: UnixUnit) -> String {
    let as_millis = Timestamp::from_millisecond(value).ok();
    match (unit, as_millis) {
        (UnixUnit::Seconds, Some(at)) => format!(
            "{text:?} is out of range as Unix seconds; as milliseconds it is {at}: are the times Unix milliseconds (the Unix unit setting)?"
        ),
        (unit, _) => format!(
            "{text:?} is out of range as Unix {unit}: a log holds times from year -9999 to 9999"
        ),
    }
}

/// Why text is not a time: beyond the range of times (a year-9999 time a hair too late), or
/// not RFC 3339 at all.
pub(crate) fn not_a_time(text: &str, error: &jiff::Error) -> String {
    let message = error.to_string();
    if message.contains("overflow") || message.contains("required range") {
        format!("{text:?} is beyond the range of times a log holds (year -9999 to 9999-12-30)")
    } else {
        format!("{text:?} is neither RFC 3339 nor a number: {message}")
    }
}

/// The labels of a `tags` cell (separated by `|`, trimmed, empty ones left out), split only
/// when the record is attached: a cell of a million tags costs no list of a million slices.
pub(crate) fn split_tags(cell: Option<&str>) -> Tags<'_> {
    Tags::Cell(cell.unwrap_or_default())
}

pub(crate) fn parse_bool(text: &[u8]) -> Option<bool> {
    const TRUE: [&[u8]; 3] = [b"true", b"yes", b"1"];
    const FALSE: [&[u8]; 3] = [b"false", b"no", b"0"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
        Some(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(text)) {
        Some(false)
    } else {
        None
    }
}

/// What is wrong with a CSV header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// A column neither read as a field nor left out: listed, so that no data is dropped
    /// silently.
    #[error("unknown column {name:?}{}; the columns read are {}, and a mapping's ignore list leaves others out", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default(), accepted.join(", "))]
    UnknownColumn {
        /// The column's name.
        name: String,
        /// The closest column read.
        suggestion: Option<String>,
        /// Every column read: each field's (by the mapping, if any) and the segments'.
        accepted: Vec<String>,
    },
    /// A column whose type cannot hold its field (a boolean timestamp, a float customer id).
    #[error("column {column:?} holds {data_type}, which {what} cannot be read from")]
    UnreadableColumn {
        /// The column.
        column: String,
        /// What it was to hold: a field, or `segment NAME`.
        what: String,
        /// Its type.
        data_type: String,
    },
    /// A column a mapping names is not in the file.
    #[error("the mapping reads {what} from column {column:?}, which the file does not have{}", suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    MissingMappedColumn {
        /// What the column holds: a field, or `segment NAME`.
        what: String,
        /// The column named.
        column: String,
        /// The closest column of the file.
        suggestion: Option<String>,
    },
    /// A column named twice.
    #[error("column {0} appears twice")]
    RepeatedColumn(Field),
    /// The file is UTF-16 (a UTF-16 byte-order mark, or NUL bytes in the header), not UTF-8.
    #[error("the file is UTF-16, not UTF-8: save or export it as UTF-8")]
    Utf16,
    /// A column of the header has no name.
    #[error("column {position} of the header has no name{}", if *last { " (a trailing comma at the end of the header?)" } else { "" })]
    EmptyColumnName {
        /// Its position, from 1.
        position: usize,
        /// Whether it is the last column.
        last: bool,
    },
    /// A required column is missing.
    #[error("required column {0} is missing")]
    MissingColumn(Field),
}

/// Writes interactions as CSV in the format [`LogBuilder::read_csv`] reads: a header with every
/// column, timestamps in RFC 3339 (UTC), empty cells for absent values, tags joined by `|`.
///
/// # Errors
///
/// The writer's I/O error.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{write_csv, IngestOptions, Interaction, Journey, LogBuilder, Outcome};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let records = vec![Interaction::new("c1", "chatbot", "2026-01-05T10:00:00Z".parse()?, Outcome::Completed).with_csat(4)];
/// let mut csv = Vec::new();
/// write_csv(&records, &mut csv)?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv(csv.as_slice())?;
/// assert_eq!(builder.finish().0.len(), 1);
/// # Ok(())
/// # }
/// ```
pub fn write_csv<I>(interactions: I, writer: impl io::Write) -> io::Result<()>
where
    I: IntoIterator,
    I::Item: std::borrow::Borrow<Interaction>,
{
    let mut csv = csv::Writer::from_writer(writer);
    let io = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    };
    csv.write_record(Field::ALL.iter().map(|f| f.as_str()))
        .map_err(io)?;
    let text = |v: Option<String>| v.unwrap_or_default();
    for interaction in interactions {
        let i = std::borrow::Borrow::<Interaction>::borrow(&interaction);
        csv.write_record(Field::ALL.iter().map(|field| match field {
            Field::Customer => i.customer.to_string(),
            Field::Touchpoint => i.touchpoint.to_string(),
            Field::Timestamp => i.timestamp.to_string(),
            Field::Persona => text(i.persona.as_ref().map(|p| p.to_string())),
            Field::Outcome => i.outcome.to_string(),
            Field::WaitSeconds => text(i.wait_seconds.map(|v| v.to_string())),
            Field::HandlingSeconds => text(i.handling_seconds.map(|v| v.to_string())),
            Field::Csat => text(i.csat.map(|v| v.to_string())),
            Field::Ces => text(i.ces.map(|v| v.to_string())),
            Field::Nps => text(i.nps.map(|v| v.to_string())),
            Field::Sentiment => text(i.sentiment.map(|v| v.to_string())),
            Field::Resolved => text(i.resolved.map(|v| v.to_string())),
            Field::Need => text(i.need.clone()),
            Field::Tags => i.tags.join("|"),
            Field::Session => text(i.session.clone()),
        }))
        .map_err(io)?;
    }
    csv.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn numbers_read_from_bytes_equal_str_parse(text in r"-?[0-9]{1,17}(\.[0-9]{0,9})?|-?\.[0-9]{1,5}|[0-9]{1,3}e-?[0-9]{1,2}") {
            prop_assert_eq!(parse_number(text.as_bytes()), text.parse::<f64>().ok());
        }

        #[test]
        fn whole_numbers_read_eight_digits_at_a_time(text in "[0-9]{1,18}") {
            prop_assert_eq!(whole_number(text.as_bytes()), text.parse::<u64>().ok());
        }

        #[test]
        fn timestamps_read_from_bytes_equal_the_text_reading(
            text in r"-?[0-9]{1,16}",
            milliseconds in any::<bool>(),
        ) {
            let unit = if milliseconds { UnixUnit::Milliseconds } else { UnixUnit::Seconds };
            prop_assert_eq!(
                parse_timestamp_bytes(text.as_bytes(), unit),
                parse_timestamp(&text, unit).ok()
            );
        }
    }

    #[test]
    fn numbers_outside_the_fast_path_are_parsed_as_text() {
        for (text, expected) in [
            ("1.", Some(1.0)),
            ("+2.5", Some(2.5)),
            ("0.1234567890123456", Some(0.1234567890123456)),
            ("-", None),
            ("1-2", None),
            ("1.2.3", None),
            ("", None),
        ] {
            assert_eq!(parse_number(text.as_bytes()), expected, "{text:?}");
        }
        assert!(parse_number(b"NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_number(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(whole_number(b""), None);
        assert_eq!(whole_number(b"1234567890123456789"), None, "19 digits");
        assert_eq!(whole_number(b"12a4"), None);
        assert_eq!(parse_score(b"254"), Some(254));
        assert_eq!(parse_score(b"255"), None);
        assert_eq!(parse_score(b"1000"), None);
        assert_eq!(parse_outcome(b"Completed"), Some(Outcome::Completed));
        assert_eq!(parse_outcome(b"done"), None);
    }
}
