//! Reading Arrow record batches and Parquet files (the `arrow` feature), through the same
//! mapping as CSV.
//!
//! Columns are found by name, as CSV columns are: each field's own name, or the column a
//! [`Mapping`](super::Mapping) names. Text fields may be any string type (`Utf8`,
//! `LargeUtf8`, `Utf8View`, a dictionary of strings) or an integer (ids written as numbers);
//! numbers any integer or float type; `resolved` a boolean; the timestamp an Arrow timestamp
//! or date of any unit, an integer in the mapping's Unix unit, or text read as CSV reads it.
//! Value maps and events apply to text.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch, StringArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, TimeUnit};

use super::csv::{Columns, DISCARD};
use super::log::LogBuilder;
use super::mapping::{Cell, Compiled, Mapping, Row, RowSource, map_row};
use super::problems::{Field, IngestError, RecordProblem};

/// Rows per batch when reading Parquet: a few MB decoded, large enough that starting the
/// second thread of each batch costs little.
const BATCH_ROWS: usize = 32_768;

/// Batches of at least this many rows are read on two threads (when the options allow).
const PARALLEL_ROWS: usize = 2048;

/// Rows in a chunk: the share of a batch either thread claims and reads at a time.
const CHUNK_ROWS: usize = 512;

/// One column as the rows read it.
enum Column<'a> {
    /// A column of Arrow's null type (every cell empty: what a CSV reader infers for a column
    /// with no value).
    Empty,
    Text(TextColumn<'a>),
    Number(NumberColumn<'a>),
    Bool(&'a BooleanArray),
    /// Milliseconds since the epoch, from a timestamp or date column, scaled by `multiply`
    /// then `divide`.
    Time {
        values: TimeValues<'a>,
        multiply: i64,
        divide: i64,
    },
}

enum TextColumn<'a> {
    Utf8(&'a StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
    /// Keys of 32-bit integers (what Arrow writers use), and the values.
    Dictionary32(&'a arrow_array::Int32Array, &'a StringArray),
    Dictionary(&'a dyn Array, &'a StringArray),
}

enum NumberColumn<'a> {
    I8(&'a arrow_array::Int8Array),
    I16(&'a arrow_array::Int16Array),
    I32(&'a arrow_array::Int32Array),
    I64(&'a arrow_array::Int64Array),
    U8(&'a arrow_array::UInt8Array),
    U16(&'a arrow_array::UInt16Array),
    U32(&'a arrow_array::UInt32Array),
    U64(&'a arrow_array::UInt64Array),
    F32(&'a arrow_array::Float32Array),
    F64(&'a arrow_array::Float64Array),
}

enum TimeValues<'a> {
    Seconds(&'a arrow_array::TimestampSecondArray),
    Millis(&'a arrow_array::TimestampMillisecondArray),
    Micros(&'a arrow_array::TimestampMicrosecondArray),
    Nanos(&'a arrow_array::TimestampNanosecondArray),
    Date32(&'a arrow_array::Date32Array),
    Date64(&'a arrow_array::Date64Array),
}

impl NumberColumn<'_> {
    fn value(&self, i: usize) -> f64 {
        match self {
            NumberColumn::I8(a) => f64::from(a.value(i)),
            NumberColumn::I16(a) => f64::from(a.value(i)),
            NumberColumn::I32(a) => f64::from(a.value(i)),
            NumberColumn::I64(a) => a.value(i) as f64,
            NumberColumn::U8(a) => f64::from(a.value(i)),
            NumberColumn::U16(a) => f64::from(a.value(i)),
            NumberColumn::U32(a) => f64::from(a.value(i)),
            NumberColumn::U64(a) => a.value(i) as f64,
            NumberColumn::F32(a) => f64::from(a.value(i)),
            NumberColumn::F64(a) => a.value(i),
        }
    }
}

impl TimeValues<'_> {
    fn value(&self, i: usize) -> i64 {
        match self {
            TimeValues::Seconds(a) => a.value(i),
            TimeValues::Millis(a) => a.value(i),
            TimeValues::Micros(a) => a.value(i),
            TimeValues::Nanos(a) => a.value(i),
            TimeValues::Date32(a) => i64::from(a.value(i)),
            TimeValues::Date64(a) => a.value(i),
        }
    }
}

/// Integers read as text: their decimal digits, once per batch.
fn integers_as_text(array: &dyn Array) -> Option<StringArray> {
    fn write<T>(array: &arrow_array::PrimitiveArray<T>) -> StringArray
    where
        T: arrow_array::ArrowPrimitiveType,
        T::Native: std::fmt::Display,
    {
        let mut builder =
            arrow_array::builder::StringBuilder::with_capacity(array.len(), array.len() * 8);
        for i in 0..array.len() {
            if array.is_null(i) {
                builder.append_null();
            } else {
                // Writing into the builder appends to the current value without allocating.
                let _ = write!(builder, "{}", array.value(i));
                builder.append_value("");
            }
        }
        builder.finish()
    }
    Some(match array.data_type() {
        DataType::Int8 => write(array.as_primitive::<Int8Type>()),
        DataType::Int16 => write(array.as_primitive::<Int16Type>()),
        DataType::Int32 => write(array.as_primitive::<Int32Type>()),
        DataType::Int64 => write(array.as_primitive::<Int64Type>()),
        DataType::UInt8 => write(array.as_primitive::<UInt8Type>()),
        DataType::UInt16 => write(array.as_primitive::<UInt16Type>()),
        DataType::UInt32 => write(array.as_primitive::<UInt32Type>()),
        DataType::UInt64 => write(array.as_primitive::<UInt64Type>()),
        _ => return None,
    })
}

/// A column of a batch as the rows read it; `None` for a type the crate does not read.
fn column(array: &dyn Array) -> Option<Column<'_>> {
    let number = |n| Some(Column::Number(n));
    let time = |values, multiply, divide| {
        Some(Column::Time {
            values,
            multiply,
            divide,
        })
    };
    match array.data_type() {
        DataType::Utf8 => Some(Column::Text(TextColumn::Utf8(array.as_string::<i32>()))),
        DataType::LargeUtf8 => Some(Column::Text(TextColumn::Large(array.as_string::<i64>()))),
        DataType::Utf8View => Some(Column::Text(TextColumn::View(array.as_string_view()))),
        DataType::Dictionary(key, value) if **value == DataType::Utf8 => {
            let (keys, values): (&dyn Array, &ArrayRef) = match **key {
                DataType::Int8 => {
                    let d = array.as_dictionary::<Int8Type>();
                    (d.keys(), d.values())
                }
                DataType::Int16 => {
                    let d = array.as_dictionary::<Int16Type>();
                    (d.keys(), d.values())
                }
                DataType::Int32 => {
                    let d = array.as_dictionary::<Int32Type>();
                    return Some(Column::Text(TextColumn::Dictionary32(
                        d.keys(),
                        d.values().as_string::<i32>(),
                    )));
                }
                DataType::Int64 => {
                    let d = array.as_dictionary::<Int64Type>();
                    (d.keys(), d.values())
                }
                DataType::UInt8 => {
                    let d = array.as_dictionary::<UInt8Type>();
                    (d.keys(), d.values())
                }
                DataType::UInt16 => {
                    let d = array.as_dictionary::<UInt16Type>();
                    (d.keys(), d.values())
                }
                DataType::UInt32 => {
                    let d = array.as_dictionary::<UInt32Type>();
                    (d.keys(), d.values())
                }
                _ => return None,
            };
            Some(Column::Text(TextColumn::Dictionary(
                keys,
                values.as_string::<i32>(),
            )))
        }
        DataType::Int8 => number(NumberColumn::I8(array.as_primitive())),
        DataType::Int16 => number(NumberColumn::I16(array.as_primitive())),
        DataType::Int32 => number(NumberColumn::I32(array.as_primitive())),
        DataType::Int64 => number(NumberColumn::I64(array.as_primitive())),
        DataType::UInt8 => number(NumberColumn::U8(array.as_primitive())),
        DataType::UInt16 => number(NumberColumn::U16(array.as_primitive())),
        DataType::UInt32 => number(NumberColumn::U32(array.as_primitive())),
        DataType::UInt64 => number(NumberColumn::U64(array.as_primitive())),
        DataType::Float32 => number(NumberColumn::F32(array.as_primitive::<Float32Type>())),
        DataType::Float64 => number(NumberColumn::F64(array.as_primitive::<Float64Type>())),
        DataType::Boolean => Some(Column::Bool(array.as_boolean())),
        DataType::Null => Some(Column::Empty),
        DataType::Timestamp(TimeUnit::Second, _) => time(
            TimeValues::Seconds(array.as_primitive::<TimestampSecondType>()),
            1000,
            1,
        ),
        DataType::Timestamp(TimeUnit::Millisecond, _) => time(
            TimeValues::Millis(array.as_primitive::<TimestampMillisecondType>()),
            1,
            1,
        ),
        DataType::Timestamp(TimeUnit::Microsecond, _) => time(
            TimeValues::Micros(array.as_primitive::<TimestampMicrosecondType>()),
            1,
            1000,
        ),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => time(
            TimeValues::Nanos(array.as_primitive::<TimestampNanosecondType>()),
            1,
            1_000_000,
        ),
        DataType::Date32 => time(
            TimeValues::Date32(array.as_primitive::<Date32Type>()),
            86_400_000,
            1,
        ),
        DataType::Date64 => time(TimeValues::Date64(array.as_primitive::<Date64Type>()), 1, 1),
        _ => None,
    }
}

/// One row of a batch, read field by field.
struct ArrowRow<'b, 'a> {
    /// Each field's column and its validity (`None`: no null in it).
    fields: &'b [Option<(Column<'a>, Option<&'a NullBuffer>)>],
    segments: &'b [Option<Column<'a>>],
    i: usize,
}

/// A text cell, trimmed; `None` when empty.
#[inline(always)]
fn text_at<'a>(column: &TextColumn<'a>, i: usize) -> Option<&'a str> {
    let text = match column {
        TextColumn::Utf8(a) => a.value(i),
        TextColumn::Large(a) => a.value(i),
        TextColumn::View(a) => a.value(i),
        TextColumn::Dictionary32(keys, values) => {
            let key = usize::try_from(keys.value(i)).ok()?;
            if key >= values.len() || values.is_null(key) {
                return None;
            }
            values.value(key)
        }
        TextColumn::Dictionary(keys, values) => {
            let key = dictionary_key(*keys, i)?;
            if key >= values.len() || values.is_null(key) {
                return None;
            }
            values.value(key)
        }
    };
    let text = match text.as_bytes() {
        // Printable ASCII at both ends: nothing to trim (the common case, checked cheaply).
        [first, .., last] if (b'!'..=b'~').contains(first) && (b'!'..=b'~').contains(last) => text,
        [only] if (b'!'..=b'~').contains(only) => text,
        _ => text.trim(),
    };
    (!text.is_empty()).then_some(text)
}

/// The key of row `i` of a dictionary's keys.
fn dictionary_key(keys: &dyn Array, i: usize) -> Option<usize> {
    let key = match keys.data_type() {
        DataType::Int8 => i64::from(keys.as_primitive::<Int8Type>().value(i)),
        DataType::Int16 => i64::from(keys.as_primitive::<Int16Type>().value(i)),
        DataType::Int32 => i64::from(keys.as_primitive::<Int32Type>().value(i)),
        DataType::Int64 => keys.as_primitive::<Int64Type>().value(i),
        DataType::UInt8 => i64::from(keys.as_primitive::<UInt8Type>().value(i)),
        DataType::UInt16 => i64::from(keys.as_primitive::<UInt16Type>().value(i)),
        DataType::UInt32 => i64::from(keys.as_primitive::<UInt32Type>().value(i)),
        _ => return None,
    };
    usize::try_from(key).ok()
}

impl<'a> RowSource<'a> for ArrowRow<'_, 'a> {
    #[inline(always)]
    fn cell(&self, field: Field) -> Result<Cell<'a>, super::mapping::Bad> {
        let Some(Some((column, nulls))) = self.fields.get(field as usize) else {
            return Ok(Cell::Empty);
        };
        let i = self.i;
        if nulls.is_some_and(|n| n.is_null(i)) {
            return Ok(Cell::Empty);
        }
        Ok(match column {
            Column::Empty => Cell::Empty,
            Column::Text(text) => text_at(text, i).map_or(Cell::Empty, Cell::Text),
            Column::Number(n) => Cell::Number(n.value(i)),
            Column::Bool(b) => Cell::Bool(b.value(i)),
            Column::Time {
                values,
                multiply,
                divide,
            } => {
                let ms = values
                    .value(i)
                    .checked_mul(*multiply)
                    .map(|v| v.div_euclid(*divide))
                    .filter(|ms| {
                        (jiff::Timestamp::MIN.as_millisecond()
                            ..=jiff::Timestamp::MAX.as_millisecond())
                            .contains(ms)
                    })
                    .ok_or_else(|| {
                        super::mapping::unreadable(field, "the time is out of range".into())
                    })?;
                Cell::Millis(ms)
            }
        })
    }

    fn segment(&self, k: usize) -> Result<Option<&'a str>, RecordProblem> {
        match self.segments.get(k) {
            Some(Some(Column::Text(text))) if !text_is_null(text, self.i) => {
                Ok(text_at(text, self.i))
            }
            _ => Ok(None),
        }
    }
}

fn text_is_null(column: &TextColumn<'_>, i: usize) -> bool {
    match column {
        TextColumn::Utf8(a) => a.is_null(i),
        TextColumn::Large(a) => a.is_null(i),
        TextColumn::View(a) => a.is_null(i),
        TextColumn::Dictionary32(keys, _) => keys.is_null(i),
        TextColumn::Dictionary(keys, _) => keys.is_null(i),
    }
}

/// Fields read as text (an integer column there is read as its digits).
const TEXT_FIELDS: [Field; 7] = [
    Field::Customer,
    Field::Touchpoint,
    Field::Persona,
    Field::Outcome,
    Field::Need,
    Field::Tags,
    Field::Session,
];

impl LogBuilder<'_> {
    /// The mapping rows are read through: the builder's, or the crate's own column names.
    fn mapping_or_default(&self) -> Arc<Compiled> {
        self.mapped().unwrap_or_else(|| {
            Arc::new(
                Mapping::new()
                    .compile(self.journey())
                    .expect("the empty mapping fits every journey"),
            )
        })
    }

    /// Reads the rows of an Arrow record batch and attaches them, as
    /// [`read_csv`](LogBuilder::read_csv) reads CSV rows, through the builder's
    /// [`mapping`](LogBuilder::mapping), if any: columns are found by name, and every column
    /// must be read, ignored or a segment.
    ///
    /// Rows are numbered by their position among all records offered to the builder, from 1.
    ///
    /// Unless [`IngestOptions::parallel`](crate::IngestOptions::parallel) is off (or the
    /// machine has one core), a batch of 2,048 rows or more is read through the mapping on two
    /// threads (this one and a scoped helper take chunks of 512 rows in turn, whichever is
    /// free, and this one attaches every row); rows are attached in order, and the log, the
    /// report and the errors are those one thread gives.
    ///
    /// # Errors
    ///
    /// [`IngestError::Header`] for an unknown, repeated or missing column, or a column of a
    /// type the field cannot take; in strict mode, [`IngestError::Record`] for the first bad
    /// row. In lenient mode bad rows are skipped and listed.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::sync::Arc;
    /// use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray};
    /// use journey_map::interactions::{Field, Mapping};
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let batch = RecordBatch::try_from_iter([
    ///     ("user_id", Arc::new(Int64Array::from(vec![17, 17])) as ArrayRef),
    ///     ("page", Arc::new(StringArray::from(vec!["search-ad", "product-page"])) as ArrayRef),
    ///     ("at", Arc::new(TimestampMillisecondArray::from(vec![1767603600000, 1767603660000])) as ArrayRef),
    /// ])?;
    /// let mapping = Mapping::new()
    ///     .column(Field::Customer, "user_id")
    ///     .column(Field::Touchpoint, "page")
    ///     .column(Field::Timestamp, "at")
    ///     .default_value(Field::Outcome, "completed");
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default()).mapping(mapping)?;
    /// builder.read_record_batch(&batch)?;
    /// let (log, _) = builder.finish();
    /// assert_eq!((log.len(), &log.customers()[0]), (2, "17"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn read_record_batch(&mut self, batch: &RecordBatch) -> Result<(), IngestError> {
        let mapping = self.mapping_or_default();
        let schema = batch.schema();
        let names = csv::ByteRecord::from(
            schema
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>(),
        );
        let columns = Columns::from_header(&names, Some(mapping.clone()))?;
        // Integer columns of text fields are read as their digits, written once per batch.
        let mut owned: Vec<Option<StringArray>> = vec![None; batch.num_columns()];
        let mut field_of_column: Vec<Vec<Field>> = vec![Vec::new(); batch.num_columns()];
        for (c, &slot) in columns.slot_of.iter().enumerate() {
            if slot != DISCARD {
                field_of_column[c].push(super::problems::Field::ALL[slot]);
            }
        }
        for &(c, field) in &columns.also {
            field_of_column[c].push(field);
        }
        for (c, fields) in field_of_column.iter().enumerate() {
            if fields.iter().any(|f| TEXT_FIELDS.contains(f))
                || columns.segment_columns.contains(&c)
            {
                owned[c] = integers_as_text(batch.column(c).as_ref());
            }
        }
        let array = |c: usize| -> &dyn Array {
            match &owned[c] {
                Some(text) => text,
                None => batch.column(c).as_ref(),
            }
        };
        let mut fields: Vec<Option<(Column<'_>, Option<&NullBuffer>)>> =
            (0..Field::ALL.len()).map(|_| None).collect();
        for (c, of) in field_of_column.iter().enumerate() {
            for &field in of {
                let read = column(array(c)).filter(|col| accepts(field, col));
                let Some(read) = read else {
                    return Err(IngestError::Header(
                        super::csv::HeaderProblem::UnreadableColumn {
                            column: schema.field(c).name().clone(),
                            what: field.to_string(),
                            data_type: schema.field(c).data_type().to_string(),
                        },
                    ));
                };
                // A dictionary's validity is its keys'; a column of the null type reads as
                // empty cells without one; a column without a null in this batch needs no
                // check of each row.
                let nulls = array(c).nulls().filter(|n| n.null_count() > 0);
                fields[field as usize] = Some((read, nulls));
            }
        }
        let mut segments: Vec<Option<Column<'_>>> = Vec::new();
        for (k, &c) in columns.segment_columns.iter().enumerate() {
            let read =
                column(array(c)).filter(|col| matches!(col, Column::Text(_) | Column::Empty));
            if read.is_none() {
                return Err(IngestError::Header(
                    super::csv::HeaderProblem::UnreadableColumn {
                        column: schema.field(c).name().clone(),
                        what: format!("segment {}", mapping.segments[k].0),
                        data_type: schema.field(c).data_type().to_string(),
                    },
                ));
            }
            segments.push(read);
        }
        let unit = self.options().current_unix_unit();
        let scales = self.options().current_scales();
        let map = |i: usize| {
            let source = ArrowRow {
                fields: &fields,
                segments: &segments,
                i,
            };
            map_row(&source, &mapping, unit, &scales)
        };
        let rows = batch.num_rows();
        let two_threads = rows >= PARALLEL_ROWS
            && self.options().current_parallel()
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        if !two_threads {
            for i in 0..rows {
                self.offer_next(&map(i), &columns)?;
            }
            return Ok(());
        }
        // Reading a row through the mapping needs nothing of the builder: the rows are cut
        // into chunks, which a second thread and this one claim in turn from a shared
        // counter. The second thread hands its chunks over as they are read; this one
        // attaches every chunk in row order, as one thread would: before reading a chunk it
        // claimed, it attaches the other thread's chunks before it. Whichever thread has the
        // more time reads the more chunks, however the cores are shared (the decoding of the
        // next batch of a Parquet file runs beside these two).
        let chunks = rows.div_ceil(CHUNK_ROWS);
        let rows_of = |chunk: usize| chunk * CHUNK_ROWS..((chunk + 1) * CHUNK_ROWS).min(rows);
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let (send, read) = std::sync::mpsc::channel();
            let (map, next) = (&map, &next);
            scope.spawn(move || {
                loop {
                    let chunk = next.fetch_add(1, Ordering::Relaxed);
                    if chunk >= chunks {
                        break;
                    }
                    let mapped: Vec<_> = rows_of(chunk).map(map).collect();
                    if send.send(mapped).is_err() {
                        // This thread stopped at a bad row: nothing more is needed.
                        break;
                    }
                }
            });
            let mut own = Vec::with_capacity(CHUNK_ROWS);
            // Chunks below `attached` are attached.
            let mut attached = 0;
            loop {
                let claimed = next.fetch_add(1, Ordering::Relaxed).min(chunks);
                // Every chunk from `attached` up to the one claimed is the other thread's.
                for _ in attached..claimed {
                    let Ok(mapped) = read.recv() else {
                        // The other thread panicked: the scope passes its panic on.
                        return Ok(());
                    };
                    self.attach_chunk(&mapped, &columns)?;
                }
                if claimed == chunks {
                    return Ok(());
                }
                own.clear();
                own.extend(rows_of(claimed).map(map));
                self.attach_chunk(&own, &columns)?;
                attached = claimed + 1;
            }
        })
    }

    /// Attaches a chunk of rows read through the mapping, in order, the customer table's
    /// slots of its customers loaded first.
    fn attach_chunk(
        &mut self,
        chunk: &[Result<Row<'_>, super::mapping::Bad>],
        columns: &Columns,
    ) -> Result<(), IngestError> {
        self.warm_customers(chunk.iter().filter_map(|mapped| match mapped {
            Ok(Row::Interaction(view)) => Some(view.customer.as_bytes()),
            _ => None,
        }));
        for mapped in chunk {
            self.offer_next(mapped, columns)?;
        }
        Ok(())
    }

    /// Counts the next row of a batch and attaches, counts or refuses it.
    #[inline(always)]
    fn offer_next(
        &mut self,
        mapped: &Result<Row<'_>, super::mapping::Bad>,
        columns: &Columns,
    ) -> Result<(), IngestError> {
        self.count_row();
        let row = self.rows_offered();
        self.offer_mapped(row, mapped, columns)
    }

    /// Reads every row of a Parquet file, batch by batch, as
    /// [`read_record_batch`](LogBuilder::read_record_batch).
    ///
    /// # Errors
    ///
    /// [`IngestError::Read`] naming the file when it cannot be opened;
    /// [`IngestError::Columnar`] when it is not Parquet or cannot be decoded; otherwise as
    /// [`read_record_batch`](LogBuilder::read_record_batch).
    pub fn read_parquet_path(&mut self, path: impl AsRef<Path>) -> Result<(), IngestError> {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| IngestError::Read {
            origin: origin.clone(),
            source,
        })?;
        self.read_parquet(file, &origin)
    }

    /// Reads every row of Parquet data (a file, or bytes in memory), as
    /// [`read_parquet_path`](LogBuilder::read_parquet_path); `origin` names it in errors.
    ///
    /// # Errors
    ///
    /// As [`read_parquet_path`](LogBuilder::read_parquet_path).
    pub fn read_parquet<R>(&mut self, data: R, origin: &str) -> Result<(), IngestError>
    where
        R: parquet::file::reader::ChunkReader + 'static,
    {
        let columnar = |source: Box<dyn std::error::Error + Send + Sync>| IngestError::Columnar {
            origin: origin.to_owned(),
            source,
        };
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(data)
            .map_err(|e| columnar(Box::new(e)))?
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| columnar(Box::new(e)))?;
        let two_threads = self.options().current_parallel()
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        if !two_threads {
            for batch in reader {
                let batch = batch.map_err(|e| columnar(Box::new(e)))?;
                self.read_record_batch(&batch)?;
            }
            return Ok(());
        }
        // One thread decodes the next batches while this one checks and attaches the rows of
        // the last: batches are attached in file order, as on one thread.
        std::thread::scope(|scope| {
            let (send, batches) = std::sync::mpsc::sync_channel(2);
            let decoder = scope.spawn(move || {
                for batch in reader {
                    if send.send(batch).is_err() {
                        break;
                    }
                }
            });
            let mut result = Ok(());
            for batch in batches.iter() {
                let read = batch
                    .map_err(|e| columnar(Box::new(e)))
                    .and_then(|batch| self.read_record_batch(&batch));
                if let Err(error) = read {
                    result = Err(error);
                    break;
                }
            }
            // Dropping the receiver stops the decoder at its next batch.
            drop(batches);
            decoder
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            result
        })
    }
}

/// Whether a column of this kind can hold `field`.
fn accepts(field: Field, column: &Column<'_>) -> bool {
    if matches!(column, Column::Empty) {
        // No value in any row: every field reads it as empty cells.
        return true;
    }
    match field {
        Field::Timestamp => !matches!(column, Column::Bool(_)),
        Field::Resolved => !matches!(column, Column::Time { .. }),
        Field::WaitSeconds
        | Field::HandlingSeconds
        | Field::Sentiment
        | Field::Csat
        | Field::Ces
        | Field::Nps => matches!(column, Column::Number(_) | Column::Text(_)),
        _ => matches!(column, Column::Text(_)),
    }
}
