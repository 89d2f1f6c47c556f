//! The functions registered in a session: `journey_bucket` (a scalar function spreading
//! customers over buckets), `journey_partial` (an aggregate: one bucket's rows into a partial
//! state), `journey_merge` and `journey_report` (aggregates: partial states merged, as a state
//! or as the report in JSON).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, RecordBatch, StringArray, UInt32Array,
};
use datafusion::arrow::compute::{cast, concat};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Schema};
use datafusion::common::utils::SingleRowListArrayBuilder;
use datafusion::common::{Result, ScalarValue, exec_datafusion_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature,
    Volatility,
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
        // The rows themselves, a list per column: merging two groups' rows is exact.
        Ok(args
            .input_fields
            .iter()
            .skip(1)
            .enumerate()
            .map(|(i, f)| {
                Arc::new(Field::new_list(
                    format!("{}[rows {i}]", args.name),
                    Field::new_list_field(kept_type(f.data_type()), true),
                    true,
                ))
            })
            .collect())
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let analyses = analyses_argument(&args)?;
        let fields: Vec<Field> = args.expr_fields[1..]
            .iter()
            .map(|f| Field::new(f.name(), kept_type(f.data_type()), true))
            .collect();
        Ok(Box::new(PartialAccumulator {
            setup: Arc::clone(&self.setup),
            analyses,
            schema: Arc::new(Schema::new(fields)),
            columns: vec![Vec::new(); args.expr_fields.len() - 1],
            compact: 0,
            rows: 0,
            bytes: 0,
            per_row: 0,
        }))
    }
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
/// as plain strings and bytes instead.
fn kept_type(data_type: &DataType) -> DataType {
    match data_type {
        DataType::Utf8View => DataType::Utf8,
        DataType::BinaryView => DataType::Binary,
        other => other.clone(),
    }
}

impl Accumulator for PartialAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let arrays = values
            .iter()
            .skip(1)
            .map(|array| {
                let kept = kept_type(array.data_type());
                if &kept == array.data_type() {
                    Ok(Arc::clone(array))
                } else {
                    Ok(cast(array, &kept)?)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        self.push(arrays.into_iter().enumerate().collect())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let mut arrays = Vec::new();
        for (column, state) in states.iter().enumerate() {
            let list = state.as_list_opt::<i32>().ok_or_else(|| {
                exec_datafusion_err!("journey_partial: a state column is not a list")
            })?;
            for element in list.iter().flatten() {
                arrays.push((column, element));
            }
        }
        self.push(arrays)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let batch = self.batch()?;
        Ok(batch
            .columns()
            .iter()
            .map(|c| SingleRowListArrayBuilder::new(Arc::clone(c)).build_list_scalar())
            .collect())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let batch = self.batch()?;
        let partial = self
            .setup
            .partial(&self.analyses, &batch)
            .map_err(EngineError::external)?;
        let bytes = partial.encode().map_err(EngineError::external)?;
        Ok(ScalarValue::Binary(Some(bytes)))
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.bytes + self.columns.len() * size_of::<Vec<ArrayRef>>()
    }
}

impl Setup {
    /// One bucket's rows as the partial states of `analyses`, read once.
    pub(crate) fn partial(
        &self,
        analyses: &[Analysis],
        batch: &RecordBatch,
    ) -> Result<Partial, EngineError> {
        let journey = &*self.journey;
        // DataFusion already runs buckets on every core: a bucket is read on its own thread.
        let mut builder = LogBuilder::new(journey, self.ingest.parallel(false));
        if let Some(mapping) = &self.mapping {
            builder = builder
                .mapping(mapping.clone())
                .map_err(EngineError::Mapping)?;
        }
        builder
            .read_record_batch(batch)
            .map_err(EngineError::Ingest)?;
        let (log, report) = builder.finish();
        self.partial_of_log(analyses, &log, &report, batch.num_rows())
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
        for bytes in states.iter().flatten() {
            let partial = Partial::decode(bytes)?;
            if partial.fingerprint != self.setup.journey.fingerprint().as_u64() {
                return Err(EngineError::OtherJourney);
            }
            self.bytes = self.bytes.max(bytes.len());
            match &mut self.merged {
                Some(merged) => merged.merge(partial)?,
                None => self.merged = Some(partial),
            }
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
