//! The functions registered in a session: `journey_bucket` (a scalar function spreading
//! customers over buckets), `journey_partial` (an aggregate: one bucket's rows into a partial
//! state), `journey_merge` and `journey_report` (aggregates: partial states merged, as a state
//! or as the report in JSON).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, BooleanArray, LargeBinaryArray, RecordBatch,
    StringArray, UInt32Array,
};
use datafusion::arrow::buffer::{Buffer, OffsetBuffer, ScalarBuffer};
use datafusion::arrow::compute::{cast, concat, take};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Schema, SchemaRef};
use datafusion::arrow::ipc::reader::StreamDecoder;
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::common::{Result, ScalarValue, exec_datafusion_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, ColumnarValue, EmitTo, GroupsAccumulator, ScalarFunctionArgs,
    ScalarUDFImpl, Signature, Volatility,
};
use datafusion::physical_expr::expressions::Literal;
use journey_map::analysis::{
    ChainCounts, ConformanceCounts, DropOffCounts, FollowsCounts, FrictionCounts, Observation,
    Tallies, VariantCounts,
};
use journey_map::{IngestReport, InteractionLog, LogBuilder};

use crate::engine::Setup;
use crate::error::EngineError;
use crate::partial::{Analysis, Ingested, Partial, State, analyses_of_names};

/// The bucket of a customer id: FNV-1a of its text, modulo the bucket count. The same on
/// every machine and engine, so a customer's rows meet in one bucket wherever they are read;
/// `journey_bucket` computes it in a query (integers by their decimal digits).
///
/// # Example
///
/// ```
/// use journey_map_datafusion::bucket_of;
///
/// let bucket = bucket_of(b"c17", 128);
/// assert!(bucket < 128);
/// assert_eq!(bucket, bucket_of(b"c17", 128));
/// assert_eq!(bucket_of(b"c17", 1), 0);
/// ```
pub fn bucket_of(customer: &[u8], buckets: u32) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in customer {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Fold the high bits in: FNV's low bits alone spread short ids poorly.
    ((hash ^ (hash >> 32)) % u64::from(buckets.max(1))) as u32
}

/// `journey_bucket(customer, buckets)`: which of `buckets` buckets a customer's rows go to.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct BucketFunction {
    signature: Signature,
}

impl BucketFunction {
    pub(crate) fn new() -> Self {
        Self {
            signature: Signature::any(2, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for BucketFunction {
    fn name(&self) -> &str {
        "journey_bucket"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::UInt32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let buckets = match &args.args[1] {
            ColumnarValue::Scalar(value) => value_as_u32(value),
            ColumnarValue::Array(_) => None,
        }
        .filter(|&b| b > 0)
        .ok_or_else(|| {
            EngineError::Arguments {
                function: "journey_bucket",
                problem: "the bucket count must be a constant positive integer".into(),
            }
            .external()
        })?;
        let customers = args.args[0].to_array(args.number_rows)?;
        let text = cast(&customers, &DataType::Utf8)?;
        let text: &StringArray = text.as_string::<i32>();
        let out: UInt32Array = text
            .iter()
            .map(|c| c.map(|c| bucket_of(c.as_bytes(), buckets)))
            .collect();
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

fn value_as_u32(value: &ScalarValue) -> Option<u32> {
    let cast = value.cast_to(&DataType::Int64).ok()?;
    match cast {
        ScalarValue::Int64(Some(n)) => u32::try_from(n).ok(),
        _ => None,
    }
}

/// `journey_partial(analyses, column, ...)`: the rows of a group (a bucket of customers)
/// read into a log through the engine's mapping, walked customer by customer, and given as
/// the partial states of the analyses named (one name, or several separated by commas: the
/// rows are read once for all of them).
#[derive(Debug)]
pub(crate) struct PartialFunction {
    pub(crate) setup: Arc<Setup>,
    signature: Signature,
}

impl PartialFunction {
    pub(crate) fn new(setup: Arc<Setup>) -> Self {
        Self {
            setup,
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }
}

impl PartialEq for PartialFunction {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.setup, &other.setup)
    }
}
impl Eq for PartialFunction {}
impl Hash for PartialFunction {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (Arc::as_ptr(&self.setup) as usize).hash(state);
    }
}

impl AggregateUDFImpl for PartialFunction {
    fn name(&self) -> &str {
        "journey_partial"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        // The rows themselves, encoded (see `encode_rows`): merging two groups' rows is exact,
        // and a state's memory is its length, so DataFusion can account for it and spill it.
        Ok(vec![Arc::new(Field::new(
            format!("{}[rows]", args.name),
            DataType::LargeBinary,
            true,
        ))])
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let analyses = analyses_argument(&args)?;
        Ok(Box::new(PartialAccumulator {
            setup: Arc::clone(&self.setup),
            analyses,
            schema: kept_schema(&args),
            columns: vec![Vec::new(); args.expr_fields.len() - 1],
            compact: 0,
            rows: 0,
            bytes: 0,
            per_row: 0,
            encoded: Vec::new(),
        }))
    }

    fn groups_accumulator_supported(&self, _: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        let analyses = analyses_argument(&args)?;
        Ok(Box::new(PartialGroups {
            setup: Arc::clone(&self.setup),
            analyses,
            schema: kept_schema(&args),
            batches: Vec::new(),
            batch_bytes: 0,
            rows: Vec::new(),
            counts: Vec::new(),
            row_bytes: 0,
            encoded: Vec::new(),
            encoded_bytes: 0,
        }))
    }
}

/// The schema of the rows `journey_partial` keeps: its columns (after the analyses' names),
/// of the types they are kept as.
fn kept_schema(args: &AccumulatorArgs) -> SchemaRef {
    let fields: Vec<Field> = args.expr_fields[1..]
        .iter()
        .map(|f| Field::new(f.name(), kept_type(f.data_type()), true))
        .collect();
    Arc::new(Schema::new(fields))
}

fn analyses_argument(args: &AccumulatorArgs) -> Result<Vec<Analysis>> {
    let arguments = || {
        EngineError::Arguments {
            function: "journey_partial",
            problem: "the first argument must be the analysis' name (or several, separated by commas) as a string constant, then at least one column".into(),
        }
        .external()
    };
    if args.exprs.len() < 2 {
        return Err(arguments());
    }
    let literal = args.exprs[0]
        .downcast_ref::<Literal>()
        .ok_or_else(arguments)?;
    let name = match literal.value() {
        ScalarValue::Utf8(Some(s))
        | ScalarValue::LargeUtf8(Some(s))
        | ScalarValue::Utf8View(Some(s)) => s.clone(),
        _ => return Err(arguments()),
    };
    analyses_of_names(&name).map_err(EngineError::external)
}

#[derive(Debug)]
struct PartialAccumulator {
    setup: Arc<Setup>,
    analyses: Vec<Analysis>,
    schema: Arc<Schema>,
    /// Each column's arrays, in arrival order.
    columns: Vec<Vec<ArrayRef>>,
    /// How many arrays at the front of each column are compact (own their rows).
    compact: usize,
    rows: usize,
    bytes: usize,
    /// Bytes a row takes in the compact arrays, measured at the last join (0 before one).
    per_row: usize,
    /// Rows merged from other accumulators' states, still encoded (see `encode_rows`).
    encoded: Vec<u8>,
}

impl PartialAccumulator {
    fn push(&mut self, arrays: Vec<(usize, ArrayRef)>) -> Result<()> {
        let added: usize = arrays
            .iter()
            .filter(|(column, _)| *column == 0)
            .map(|(_, array)| array.len())
            .sum();
        self.rows += added;
        if self.per_row > 0 {
            // Measured at the last join: a slice's share of its batch is estimated from it
            // (measuring each slice costs more than the rows it holds).
            self.bytes += added * self.per_row;
        } else {
            // A group's rows arrive as slices of a whole batch: count the slice's share, not
            // the batch it points into.
            for (_, array) in &arrays {
                self.bytes += array.to_data().get_slice_memory_size()?;
            }
        }
        for (column, array) in arrays {
            self.columns[column].push(array);
        }
        // Slices keep their whole batches alive, and many small arrays cost more than their
        // rows: every `JOIN` new slices are copied into one compact array (each row is copied
        // once; the compact arrays before them are left as they are), and the memory held is
        // measured again.
        const JOIN: usize = 16;
        if self
            .columns
            .first()
            .is_some_and(|c| c.len() - self.compact >= JOIN)
        {
            let mut bytes = 0;
            for column in &mut self.columns {
                let joined = join(&column[self.compact..])?;
                column.truncate(self.compact);
                column.push(joined);
                bytes += column
                    .iter()
                    .map(|a| a.get_array_memory_size())
                    .sum::<usize>();
            }
            self.compact += 1;
            self.bytes = bytes;
            self.per_row = bytes.div_ceil(self.rows.max(1));
        }
        Ok(())
    }

    fn batch(&self) -> Result<RecordBatch> {
        let columns = self
            .columns
            .iter()
            .zip(self.schema.fields())
            .map(|(arrays, field)| {
                if arrays.is_empty() {
                    Ok(datafusion::arrow::array::new_empty_array(field.data_type()))
                } else {
                    join(arrays)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(RecordBatch::try_new(Arc::clone(&self.schema), columns)?)
    }
}

fn join(arrays: &[ArrayRef]) -> Result<ArrayRef> {
    if arrays.len() == 1 {
        return Ok(Arc::clone(&arrays[0]));
    }
    let refs: Vec<&dyn Array> = arrays.iter().map(|a| a.as_ref()).collect();
    Ok(concat(&refs)?)
}

/// The type a column's rows are kept as. String and binary views (what DataFusion reads
/// Parquet text as) point into whole batches shared by every bucket: a bucket's slice of
/// them would keep those batches alive and count them in its memory, so their rows are kept
/// as plain strings and bytes instead. Dictionaries are kept as their values: a bucket's rows
/// come from every batch, each with its own dictionary, and gathering them would merge the
/// dictionaries of all batches for every bucket.
fn kept_type(data_type: &DataType) -> DataType {
    match data_type {
        DataType::Utf8View => DataType::Utf8,
        DataType::BinaryView => DataType::Binary,
        DataType::Dictionary(_, value) => kept_type(value),
        other => other.clone(),
    }
}

/// A column's rows as they are kept (see [`kept_type`]).
fn kept(array: &ArrayRef) -> Result<ArrayRef> {
    let kept = kept_type(array.data_type());
    if &kept == array.data_type() {
        Ok(Arc::clone(array))
    } else {
        Ok(cast(array, &kept)?)
    }
}

/// Whether a row passes an aggregate's filter (no filter: every row).
fn selected(filter: Option<&BooleanArray>, row: usize) -> bool {
    filter.is_none_or(|f| f.is_valid(row) && f.value(row))
}

impl Accumulator for PartialAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let arrays = values
            .iter()
            .skip(1)
            .map(kept)
            .collect::<Result<Vec<_>>>()?;
        self.push(arrays.into_iter().enumerate().collect())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let states = states
            .first()
            .and_then(|s| s.as_binary_opt::<i64>())
            .ok_or_else(|| exec_datafusion_err!("journey_partial: a state column is not binary"))?;
        // Copied out of the batch (not kept as a slice of it, which would keep the whole
        // batch alive): the state's memory is then exactly what it holds.
        self.encoded
            .reserve(states.iter().flatten().map(<[u8]>::len).sum());
        for state in states.iter().flatten() {
            self.encoded.extend_from_slice(state);
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        // The state is consumed (DataFusion calls this once): the rows move into it.
        if self.rows > 0 {
            let batch = self.batch()?;
            encode_rows(&batch, &mut self.encoded)?;
            self.columns.iter_mut().for_each(Vec::clear);
            (self.compact, self.rows, self.bytes, self.per_row) = (0, 0, 0, 0);
        }
        Ok(vec![ScalarValue::LargeBinary(Some(std::mem::take(
            &mut self.encoded,
        )))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut batches = Vec::new();
        decode_rows(
            Buffer::from_vec(std::mem::take(&mut self.encoded)),
            &self.schema,
            &mut batches,
        )?;
        if self.rows > 0 {
            batches.push(self.batch()?);
        }
        let partial = self
            .setup
            .partial(&self.analyses, &batches)
            .map_err(EngineError::external)?;
        let bytes = partial.encode().map_err(EngineError::external)?;
        Ok(ScalarValue::Binary(Some(bytes)))
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + self.bytes
            + self.columns.len() * size_of::<Vec<ArrayRef>>()
            + self.encoded.capacity()
    }
}

/// `journey_partial`'s accumulator of many groups (what DataFusion uses when grouping by
/// bucket). Every input batch is kept once, its rows ordered by group (one `take` while the
/// batch is in cache), and a group's rows are runs of the batches; they are joined only when
/// the group's state or result is taken. (A batch of 8,192 rows over a thousand buckets is
/// eight rows a bucket: joining per batch would cost more than the rows, and gathering rows
/// one by one from every batch at the end misses the cache on every row.)
#[derive(Debug)]
struct PartialGroups {
    setup: Arc<Setup>,
    analyses: Vec<Analysis>,
    schema: SchemaRef,
    /// The input batches' columns, of the kept types.
    batches: Vec<Vec<ArrayRef>>,
    batch_bytes: usize,
    /// Each group's rows: runs of (batch, first row, rows) in the ordered batches.
    rows: Vec<Vec<Run>>,
    /// Rows per group in the batch being added (reused).
    counts: Vec<u32>,
    /// The capacity of the groups' row lists, in bytes.
    row_bytes: usize,
    /// Each group's rows merged from states, still encoded (see `encode_rows`).
    encoded: Vec<Vec<u8>>,
    /// The capacity of the groups' encoded rows, in bytes.
    encoded_bytes: usize,
}

impl PartialGroups {
    fn grow(&mut self, groups: usize) {
        if self.rows.len() < groups {
            self.rows.resize_with(groups, Vec::new);
            self.encoded.resize_with(groups, Vec::new);
        }
    }

    /// The groups to emit: their rows still as runs, and their encoded rows; the groups left
    /// are shifted down.
    fn take(&mut self, emit_to: EmitTo) -> (Vec<Vec<Run>>, Vec<Vec<u8>>) {
        let rows = emit_to.take_needed(&mut self.rows);
        let encoded = emit_to.take_needed(&mut self.encoded);
        self.row_bytes = self
            .rows
            .iter()
            .map(|r| r.capacity() * size_of::<Run>())
            .sum();
        self.encoded_bytes = self.encoded.iter().map(Vec::capacity).sum();
        (rows, encoded)
    }

    /// The batches, released when no group is left to point into them.
    fn release(&mut self) {
        if self.rows.iter().all(Vec::is_empty) {
            self.batches.clear();
            self.batch_bytes = 0;
        }
    }

    /// One group's rows: its runs joined from the batches, and its encoded rows decoded.
    fn group_batches(&self, rows: &[Run], encoded: Vec<u8>) -> Result<Vec<RecordBatch>> {
        let mut batches = Vec::new();
        decode_rows(Buffer::from_vec(encoded), &self.schema, &mut batches)?;
        if !rows.is_empty() {
            let columns = (0..self.schema.fields().len())
                .map(|c| {
                    let runs: Vec<ArrayRef> = rows
                        .iter()
                        .map(|run| {
                            self.batches[run.batch as usize][c]
                                .slice(run.first as usize, run.rows as usize)
                        })
                        .collect();
                    join(&runs)
                })
                .collect::<Result<Vec<_>>>()?;
            batches.push(RecordBatch::try_new(Arc::clone(&self.schema), columns)?);
        }
        Ok(batches)
    }
}

/// A group's rows in one of the batches kept: `rows` rows from `first`.
#[derive(Debug, Clone, Copy)]
struct Run {
    batch: u32,
    first: u32,
    rows: u32,
}

impl GroupsAccumulator for PartialGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.grow(total_num_groups);
        let batch = u32::try_from(self.batches.len())
            .map_err(|_| exec_datafusion_err!("journey_partial: too many batches in one group"))?;
        // Rows ordered by group (a counting sort), then each group's run recorded.
        self.counts.clear();
        self.counts.resize(total_num_groups, 0);
        for (row, &group) in group_indices.iter().enumerate() {
            if selected(opt_filter, row) {
                self.counts[group] += 1;
            }
        }
        let mut starts = Vec::with_capacity(total_num_groups);
        let mut at = 0u32;
        for (group, &count) in self.counts.iter().enumerate() {
            starts.push(at);
            if count > 0 {
                let rows = &mut self.rows[group];
                let before = rows.capacity();
                rows.push(Run {
                    batch,
                    first: at,
                    rows: count,
                });
                self.row_bytes += (rows.capacity() - before) * size_of::<Run>();
            }
            at += count;
        }
        let mut order = vec![0u32; at as usize];
        for (row, &group) in group_indices.iter().enumerate() {
            if selected(opt_filter, row) {
                order[starts[group] as usize] = row as u32;
                starts[group] += 1;
            }
        }
        let order = UInt32Array::from(order);
        let columns = values[1..]
            .iter()
            .map(|array| kept(&take(array.as_ref(), &order, None)?))
            .collect::<Result<Vec<_>>>()?;
        self.batch_bytes += columns
            .iter()
            .map(|c| c.get_array_memory_size())
            .sum::<usize>();
        self.batches.push(columns);
        Ok(())
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.grow(total_num_groups);
        let states = values
            .first()
            .and_then(|s| s.as_binary_opt::<i64>())
            .ok_or_else(|| exec_datafusion_err!("journey_partial: a state column is not binary"))?;
        for (state, &group) in states.iter().zip(group_indices) {
            if let Some(state) = state {
                // Copied out of the batch, so the memory held is exactly what is counted.
                let encoded = &mut self.encoded[group];
                let before = encoded.capacity();
                encoded.extend_from_slice(state);
                self.encoded_bytes += encoded.capacity() - before;
            }
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let (rows, encoded) = self.take(emit_to);
        let mut results = Vec::with_capacity(rows.len());
        for (rows, encoded) in rows.iter().zip(encoded) {
            let batches = self.group_batches(rows, encoded)?;
            let partial = self
                .setup
                .partial(&self.analyses, &batches)
                .map_err(EngineError::external)?;
            results.push(partial.encode().map_err(EngineError::external)?);
        }
        self.release();
        let total: usize = results.iter().map(Vec::len).sum();
        if i32::try_from(total).is_err() {
            return Err(exec_datafusion_err!(
                "journey_partial: the states of one output batch take {total} bytes, beyond a binary column's 2 GiB: use more buckets"
            ));
        }
        Ok(Arc::new(BinaryArray::from_iter_values(results)))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let (rows, encoded) = self.take(emit_to);
        let mut values = Vec::new();
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        offsets.push(0i64);
        for (rows, encoded) in rows.iter().zip(encoded) {
            values.extend_from_slice(&encoded);
            drop(encoded);
            for batch in self.group_batches(rows, Vec::new())? {
                encode_rows(&batch, &mut values)?;
            }
            offsets.push(values.len() as i64);
        }
        self.release();
        Ok(vec![Arc::new(LargeBinaryArray::new(
            OffsetBuffer::new(ScalarBuffer::from(offsets)),
            Buffer::from_vec(values),
            None,
        ))])
    }

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        // Each row its own group's state (DataFusion skips grouping when groups are
        // almost as many as rows).
        let columns = values[1..].iter().map(kept).collect::<Result<Vec<_>>>()?;
        let batch = RecordBatch::try_new(Arc::clone(&self.schema), columns)?;
        let mut states = Vec::with_capacity(batch.num_rows());
        for row in 0..batch.num_rows() {
            if !selected(opt_filter, row) {
                states.push(None);
                continue;
            }
            let mut state = Vec::new();
            encode_rows(&batch.slice(row, 1), &mut state)?;
            states.push(Some(state));
        }
        Ok(vec![Arc::new(LargeBinaryArray::from_iter(states))])
    }

    fn size(&self) -> usize {
        size_of_val(self)
            + self.batch_bytes
            + self.row_bytes
            + self.encoded_bytes
            + self.rows.capacity() * size_of::<Vec<Run>>()
            + self.counts.capacity() * 4
            + self.encoded.capacity() * size_of::<Vec<u8>>()
    }
}

/// Appends a group's rows to `out` as one frame: the length of what follows (8 bytes, little
/// endian), then the rows as an Arrow IPC stream (the schema and one batch). A state is a
/// sequence of frames, so merging two groups' states appends one to the other.
fn encode_rows(batch: &RecordBatch, out: &mut Vec<u8>) -> Result<()> {
    let start = out.len();
    out.extend_from_slice(&[0; 8]);
    let mut writer = StreamWriter::try_new(&mut *out, batch.schema_ref())?;
    writer.write(batch)?;
    writer.finish()?;
    drop(writer);
    let length = (out.len() - start - 8) as u64;
    out[start..start + 8].copy_from_slice(&length.to_le_bytes());
    Ok(())
}

/// The batches of a state's frames (see `encode_rows`), each checked against `schema`. The
/// batches' arrays point into `bytes` (no copy).
fn decode_rows(bytes: Buffer, schema: &SchemaRef, out: &mut Vec<RecordBatch>) -> Result<()> {
    let malformed = || exec_datafusion_err!("journey_partial: a state is not a group's rows");
    let mut at = 0;
    while at < bytes.len() {
        let length = bytes
            .get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_le_bytes)
            .and_then(|l| usize::try_from(l).ok())
            .filter(|&l| l <= bytes.len() - at - 8)
            .ok_or_else(malformed)?;
        let mut frame = bytes.slice_with_length(at + 8, length);
        let mut decoder = StreamDecoder::new();
        while !frame.is_empty() {
            if let Some(batch) = decoder.decode(&mut frame)? {
                out.push(RecordBatch::try_new(
                    Arc::clone(schema),
                    batch.columns().to_vec(),
                )?);
            }
        }
        decoder.finish()?;
        at += 8 + length;
    }
    Ok(())
}

impl Setup {
    /// One bucket's rows as the partial states of `analyses`, read once.
    pub(crate) fn partial(
        &self,
        analyses: &[Analysis],
        batches: &[RecordBatch],
    ) -> Result<Partial, EngineError> {
        let journey = &*self.journey;
        // DataFusion already runs buckets on every core: a bucket is read on its own thread.
        let mut builder = LogBuilder::new(journey, self.ingest.parallel(false));
        if let Some(mapping) = &self.mapping {
            builder = builder
                .mapping(mapping.clone())
                .map_err(EngineError::Mapping)?;
        }
        for batch in batches {
            builder
                .read_record_batch(batch)
                .map_err(EngineError::Ingest)?;
        }
        let (log, report) = builder.finish();
        let rows = batches.iter().map(RecordBatch::num_rows).sum();
        self.partial_of_log(analyses, &log, &report, rows)
    }

    /// A log's partial states of `analyses`.
    pub(crate) fn partial_of_log(
        &self,
        analyses: &[Analysis],
        log: &InteractionLog,
        report: &IngestReport,
        rows: usize,
    ) -> Result<Partial, EngineError> {
        let journey = &*self.journey;
        let ingested = Ingested::of(rows, report);
        let observation =
            Observation::new(journey, log).map_err(|e| EngineError::Selection(e.into()))?;
        let states = analyses
            .iter()
            .map(|&analysis| self.state(&observation, log, analysis))
            .collect::<Result<_, _>>()?;
        Ok(Partial {
            fingerprint: journey.fingerprint().as_u64(),
            states,
            ingested,
        })
    }

    /// One analysis' partial state of an observed log.
    fn state(
        &self,
        observation: &Observation<'_>,
        log: &InteractionLog,
        analysis: Analysis,
    ) -> Result<State, EngineError> {
        let journey = &*self.journey;
        let all = 0..usize::MAX;
        let select = &self.selection;
        let run = |e| EngineError::Selection(e);
        let state = match analysis {
            Analysis::Metrics => State::Metrics(
                observation
                    .accumulate_range(
                        select,
                        all,
                        Tallies::new(journey, log.scales(), self.metrics),
                    )
                    .map_err(run)?,
            ),
            Analysis::Friction => State::Friction(
                observation
                    .accumulate_range(
                        select,
                        all,
                        FrictionCounts::new(journey, log.scales(), &self.friction)
                            .map_err(EngineError::Config)?,
                    )
                    .map_err(run)?,
            ),
            Analysis::DirectlyFollows => State::DirectlyFollows(
                observation
                    .accumulate_range(select, all, FollowsCounts::new(journey))
                    .map_err(run)?,
            ),
            Analysis::Variants => State::Variants(
                observation
                    .accumulate_range(select, all, VariantCounts::new(journey, self.top_variants))
                    .map_err(run)?,
            ),
            Analysis::DropOff => State::DropOff(
                observation
                    .accumulate_range(select, all, DropOffCounts::new(journey, self.top_drop_off))
                    .map_err(run)?,
            ),
            Analysis::Conformance => State::Conformance(
                observation
                    .accumulate_range(select, all, ConformanceCounts::new(journey))
                    .map_err(run)?,
            ),
            Analysis::Attribution => State::Attribution(
                observation
                    .accumulate_range(select, all, ChainCounts::new(journey))
                    .map_err(run)?,
            ),
        };
        Ok(state)
    }
}

/// `journey_merge(partial)` (the merged state, binary) and `journey_report(partial)` (the
/// finished report and the reading counts, as JSON; a list of them when `journey_partial`
/// named several analyses).
#[derive(Debug)]
pub(crate) struct MergeFunction {
    pub(crate) setup: Arc<Setup>,
    signature: Signature,
    report: bool,
}

impl MergeFunction {
    pub(crate) fn new(setup: Arc<Setup>, report: bool) -> Self {
        Self {
            setup,
            signature: Signature::exact(vec![DataType::Binary], Volatility::Immutable),
            report,
        }
    }
}

impl PartialEq for MergeFunction {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.setup, &other.setup) && self.report == other.report
    }
}
impl Eq for MergeFunction {}
impl Hash for MergeFunction {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (Arc::as_ptr(&self.setup) as usize).hash(state);
        self.report.hash(state);
    }
}

impl AggregateUDFImpl for MergeFunction {
    fn name(&self) -> &str {
        if self.report {
            "journey_report"
        } else {
            "journey_merge"
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(if self.report {
            DataType::Utf8
        } else {
            DataType::Binary
        })
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format!("{}[state]", args.name),
            DataType::Binary,
            true,
        ))])
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(MergeAccumulator {
            setup: Arc::clone(&self.setup),
            report: self.report,
            merged: None,
            bytes: 0,
        }))
    }
}

#[derive(Debug)]
struct MergeAccumulator {
    setup: Arc<Setup>,
    report: bool,
    merged: Option<Partial>,
    /// Encoded size of the last state merged, a stand-in for the state's memory.
    bytes: usize,
}

impl MergeAccumulator {
    fn add(&mut self, states: &ArrayRef) -> Result<(), EngineError> {
        let states: &BinaryArray =
            states
                .as_binary_opt::<i32>()
                .ok_or_else(|| EngineError::Arguments {
                    function: "journey_merge",
                    problem: "the argument must be the binary partial state journey_partial gives"
                        .into(),
                })?;
        let fingerprint = self.setup.journey.fingerprint().as_u64();
        for bytes in states.iter().flatten() {
            Partial::merge_encoded(&mut self.merged, bytes, fingerprint)?;
            self.bytes = self.bytes.max(bytes.len());
        }
        Ok(())
    }
}

impl Accumulator for MergeAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.add(&values[0]).map_err(EngineError::external)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.add(&states[0]).map_err(EngineError::external)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let bytes = match &self.merged {
            Some(p) => Some(p.encode().map_err(EngineError::external)?),
            None => None,
        };
        Ok(vec![ScalarValue::Binary(bytes)])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let Some(merged) = self.merged.take() else {
            return Ok(if self.report {
                ScalarValue::Utf8(None)
            } else {
                ScalarValue::Binary(None)
            });
        };
        if !self.report {
            let bytes = merged.encode().map_err(EngineError::external)?;
            self.merged = Some(merged);
            return Ok(ScalarValue::Binary(Some(bytes)));
        }
        let mut analysed = merged
            .finish(&self.setup.journey)
            .map_err(EngineError::external)?;
        // One analysis: its report; several: the list of them.
        let json = if analysed.len() == 1 {
            serde_json::to_string(&analysed.remove(0))
        } else {
            serde_json::to_string(&analysed)
        }
        .map_err(|e| EngineError::Json(e).external())?;
        Ok(ScalarValue::Utf8(Some(json)))
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.bytes
    }
}
