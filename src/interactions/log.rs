//! The interaction log: checked interactions on interned ids, each customer's in time order.

use std::borrow::{Borrow, Cow};

use jiff::Timestamp;

use super::csv::UnixUnit;
use super::customers::CustomerIds;
use super::customers::Customers;
use super::finishing::{CustomerPass, Finished};
use super::interner::{Lists, Strings};
use super::mapping::{Compiled, Mapping, MappingError, Marker, MarkerTarget};
use super::pages;
use super::problems::{Field, IngestError, IngestReport, Mode, RecordError, RecordProblem};
use super::record::{Interaction, Outcome, Record};
use super::scores::Scales;
use super::segments::{Contexts, Journeys, Segment};
use crate::model::ids::dense_index;
use crate::model::lookup::same_bytes;
use crate::model::{FastMap, fast_map};
use crate::{Fingerprint, ItemKind, Journey, PersonaIndex, TouchpointIndex, UnknownIdError};
use std::sync::Arc;

dense_index!(
    /// The position of a customer in an [`InteractionLog`], dense from zero in order of first
    /// appearance.
    CustomerIndex
);

dense_index!(
    /// The position of a journey in an [`InteractionLog`], dense from zero: customer by
    /// customer, each customer's journeys in time order.
    JourneyIndex
);

/// Marks an absent value in a compact field.
const NONE: u32 = u32::MAX;
/// Marks an absent score.
const NO_SCORE: u8 = u8::MAX;
/// The longest wait or handling time a log stores: `u32::MAX - 1` milliseconds, about 49 days.
const MAX_DURATION_MS: f64 = (u32::MAX - 1) as f64;

/// [`MAX_DURATION_MS`] in whole seconds.
#[cfg(feature = "simulator")]
pub(crate) const MAX_DURATION_SECONDS: f64 = ((u32::MAX - 1) / 1000) as f64;

/// Bytes of room for records mapped at a time, ahead of the records written to it.
const MAP_AHEAD: usize = 4 << 20;

/// How many distinct unknown ids of each kind a log builder suggests a known id for.
const SUGGESTED_UNKNOWN_IDS: usize = 32;

/// One checked interaction as the log stores it: 48 bytes, every id interned.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stored {
    pub(crate) timestamp_ms: i64,
    pub(crate) customer: u32,
    pub(crate) touchpoint: u32,
    pub(crate) need: u32,
    pub(crate) tags: u32,
    pub(crate) wait_ms: u32,
    pub(crate) handling_ms: u32,
    pub(crate) sentiment: f32,
    pub(crate) outcome: u8,
    pub(crate) csat: u8,
    pub(crate) ces: u8,
    pub(crate) nps: u8,
    /// 0 no, 1 yes, 2 unknown.
    pub(crate) resolved: u8,
    /// The record's persona, session and segment values, interned as one context; `NONE`
    /// when it has none of them. Fits in the padding: the record stays 48 bytes.
    pub(crate) context: u32,
}

const _: () = assert!(std::mem::size_of::<Stored>() <= 48);

/// Records are equal field by field; an absent sentiment (NaN) equals an absent one.
impl PartialEq for Stored {
    fn eq(&self, other: &Self) -> bool {
        self.timestamp_ms == other.timestamp_ms
            && self.customer == other.customer
            && self.touchpoint == other.touchpoint
            && self.need == other.need
            && self.tags == other.tags
            && self.wait_ms == other.wait_ms
            && self.handling_ms == other.handling_ms
            && self.sentiment.to_bits() == other.sentiment.to_bits()
            && self.outcome == other.outcome
            && self.csat == other.csat
            && self.ces == other.ces
            && self.nps == other.nps
            && self.resolved == other.resolved
            && self.context == other.context
    }
}

/// A record's tags: a list, or a `|`-separated cell split as it is read.
#[derive(Debug, Clone)]
pub(crate) enum Tags<'a> {
    /// Labels separated by `|`, trimmed, empty ones left out.
    Cell(&'a str),
    /// Labels as given.
    List(Cow<'a, [&'a str]>),
}

impl Default for Tags<'_> {
    fn default() -> Self {
        Tags::Cell("")
    }
}

impl<'a> Tags<'a> {
    /// Whether there is no tag.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Tags::Cell("") => true,
            Tags::List(list) => list.is_empty(),
            Tags::Cell(_) => self.iter().next().is_none(),
        }
    }

    /// The tags, in order, repeats included.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        let (cell, list): (Option<&'a str>, &[&'a str]) = match self {
            Tags::Cell(cell) => (Some(cell), &[]),
            Tags::List(list) => (None, list),
        };
        cell.into_iter()
            .flat_map(|cell| cell.split('|').map(str::trim).filter(|t| !t.is_empty()))
            .chain(list.iter().copied())
    }
}

/// A record's fields, borrowed: what [`LogBuilder`] checks, whether the record came from code,
/// RON or a CSV row.
#[derive(Debug, Clone, Default)]
pub(crate) struct RecordView<'a> {
    pub(crate) customer: &'a str,
    pub(crate) touchpoint: &'a str,
    /// The touchpoint's index, when the reader already knows it (a mapped event).
    pub(crate) touchpoint_index: Option<TouchpointIndex>,
    pub(crate) timestamp_ms: i64,
    pub(crate) persona: Option<&'a str>,
    pub(crate) outcome: Option<Outcome>,
    pub(crate) wait_seconds: Option<f64>,
    pub(crate) handling_seconds: Option<f64>,
    pub(crate) csat: Option<u8>,
    pub(crate) ces: Option<u8>,
    pub(crate) nps: Option<u8>,
    pub(crate) sentiment: Option<f64>,
    pub(crate) resolved: Option<bool>,
    pub(crate) need: Option<&'a str>,
    pub(crate) tags: Tags<'a>,
    pub(crate) session: Option<&'a str>,
    /// Segment values by segment name.
    pub(crate) segments: Cow<'a, [(&'a str, &'a str)]>,
}

impl<'a> RecordView<'a> {
    fn of(interaction: &'a Interaction) -> Self {
        Self {
            customer: interaction.customer.as_str(),
            touchpoint: interaction.touchpoint.as_str(),
            touchpoint_index: None,
            timestamp_ms: interaction.timestamp.as_millisecond(),
            persona: interaction.persona.as_ref().map(|p| p.as_str()),
            outcome: Some(interaction.outcome),
            wait_seconds: interaction.wait_seconds,
            handling_seconds: interaction.handling_seconds,
            csat: interaction.csat,
            ces: interaction.ces,
            nps: interaction.nps,
            sentiment: interaction.sentiment,
            resolved: interaction.resolved,
            need: interaction.need.as_deref(),
            // Collecting nothing still costs a call: most records have no tags or segments.
            tags: Tags::List(if interaction.tags.is_empty() {
                Cow::Borrowed(&[])
            } else {
                interaction.tags.iter().map(String::as_str).collect()
            }),
            session: interaction.session.as_deref(),
            segments: if interaction.segments.is_empty() {
                Cow::Borrowed(&[])
            } else {
                interaction
                    .segments
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str()))
                    .collect()
            },
        }
    }
}

/// Options for building an [`InteractionLog`]: how bad records are handled and which scales
/// scores are on.
///
/// # Example
///
/// ```
/// use journey_map::{IngestOptions, Mode, Scales};
///
/// let options = IngestOptions::default().mode(Mode::Lenient).scales(Scales::default());
/// assert_eq!(options.current_mode(), Mode::Lenient);
///
/// // Options are worth saving next to a pipeline's other settings.
/// let saved = serde_json::to_string(&options)?;
/// assert_eq!(serde_json::from_str::<IngestOptions>(&saved)?, options);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestOptions {
    mode: Mode,
    scales: Scales,
    unix_unit: UnixUnit,
    parallel: bool,
    inactivity_gap_seconds: Option<u64>,
    rejected_kept: usize,
}

impl Default for IngestOptions {
    /// Strict, default scales, Unix seconds, CSV read on two threads, a customer's history
    /// split into journeys only where its session changes.
    fn default() -> Self {
        Self {
            mode: Mode::default(),
            scales: Scales::default(),
            unix_unit: UnixUnit::default(),
            parallel: true,
            inactivity_gap_seconds: None,
            rejected_kept: IngestOptions::REJECTED_KEPT,
        }
    }
}

impl IngestOptions {
    /// How many refused records a lenient report keeps in full by default.
    pub const REJECTED_KEPT: usize = 1_000;

    /// How many refused records a lenient [`IngestReport`] keeps in full (row, field, reason),
    /// [`IngestOptions::REJECTED_KEPT`] by default. Every refused record is counted, by reason,
    /// whatever this is: it bounds the memory a log of millions of bad rows costs.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::{IngestOptions, Journey, LogBuilder, Mode};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let options = IngestOptions::default().mode(Mode::Lenient).keep_rejected(1);
    /// let mut builder = LogBuilder::new(&journey, options);
    /// builder.read_csv("customer,touchpoint,timestamp,outcome\n\
    ///                   a,nope,2026-01-05T10:00:00Z,completed\n\
    ///                   b,nope,2026-01-05T10:00:00Z,completed\n".as_bytes())?;
    /// let (_, report) = builder.finish();
    /// assert_eq!((report.rejected.len(), report.rejected_count()), (1, 2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn keep_rejected(mut self, records: usize) -> Self {
        self.rejected_kept = records;
        self
    }

    /// How many refused records a lenient report keeps in full.
    pub fn current_keep_rejected(&self) -> usize {
        self.rejected_kept
    }

    /// Strict (the default: the first bad record is an error) or lenient (bad records are
    /// skipped, counted and listed in the [`IngestReport`]).
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// The scales scores are checked against.
    pub fn scales(mut self, scales: Scales) -> Self {
        self.scales = scales;
        self
    }

    /// How plain numbers in a CSV `timestamp` column are read (RFC 3339 text always is).
    pub fn unix_unit(mut self, unit: UnixUnit) -> Self {
        self.unix_unit = unit;
        self
    }

    /// Whether [`LogBuilder::read_csv`] reads rows on the calling thread while a second
    /// thread checks and attaches them, and Parquet is decoded on a second thread while the
    /// calling one attaches rows (the default, on machines with more than one core).
    /// The log, the report and the errors are the same either way: rows are attached in file
    /// order, and in strict mode reading stops at the first bad row.
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::IngestOptions;
    ///
    /// let one_thread = IngestOptions::default().parallel(false);
    /// assert!(!one_thread.current_parallel());
    /// assert!(IngestOptions::default().current_parallel());
    /// ```
    pub fn parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    /// Whether CSV is read on two threads.
    pub fn current_parallel(&self) -> bool {
        self.parallel
    }

    /// Splits a customer's history into journeys wherever more than `seconds` pass between
    /// one interaction's start and the next (a new visit after 30 minutes of inactivity:
    /// `inactivity_gap_seconds(30 * 60)`), besides wherever the session changes. See
    /// [`LogBuilder`] for what a journey is.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let options = IngestOptions::default().inactivity_gap_seconds(30 * 60);
    /// let mut builder = LogBuilder::new(&journey, options);
    /// builder.read_csv("customer,touchpoint,timestamp,outcome\n\
    ///                   a,search-ad,2026-01-05T09:00:00Z,completed\n\
    ///                   a,product-page,2026-01-05T09:10:00Z,completed\n\
    ///                   a,search-ad,2026-01-09T18:00:00Z,completed\n".as_bytes())?;
    /// let (log, _) = builder.finish();
    /// assert_eq!((log.customers().len(), log.journey_count()), (1, 2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn inactivity_gap_seconds(mut self, seconds: u64) -> Self {
        self.inactivity_gap_seconds = Some(seconds);
        self
    }

    /// The inactivity gap that splits journeys, if one is set.
    pub fn current_inactivity_gap_seconds(&self) -> Option<u64> {
        self.inactivity_gap_seconds
    }

    /// The unit set for numeric timestamps.
    pub fn current_unix_unit(&self) -> UnixUnit {
        self.unix_unit
    }

    /// The mode set.
    pub fn current_mode(&self) -> Mode {
        self.mode
    }

    /// The scales set.
    pub fn current_scales(&self) -> Scales {
        self.scales
    }
}

/// Collects interactions for one journey, checks each against the journey and the scales, and
/// finishes into an [`InteractionLog`].
///
/// Records may arrive in any order; the log orders each customer's records by time, keeping
/// the arrival order of equal timestamps.
///
/// # Journeys, sessions and segments
///
/// Every analysis walks *journeys*. A customer's history is one journey, unless it is split:
/// wherever the session changes (a row without a session continues the one before) and, with
/// [`IngestOptions::inactivity_gap_seconds`], wherever more than the gap passes between two
/// interactions. The persona and other segments (`platform`, `plan`) may change from one
/// interaction to the next and no row is refused for it: each journey carries, for each, the
/// first value given on its interactions (in time order). With journeys split, counts of
/// "customers" in an analysis count journeys; [`InteractionLog::customers`] and the metrics'
/// `customers` count distinct customers, and a contact followed by another about the same
/// need in the customer's later journey, within the repeat window, is a repeat contact.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{IngestOptions, Interaction, Journey, LogBuilder, Outcome};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.push(Interaction::new("c1", "online-application", "2026-01-05T10:02:00Z".parse()?, Outcome::Completed))?;
/// builder.push(Interaction::new("c1", "search-ad", "2026-01-05T10:00:00Z".parse()?, Outcome::Completed).with_persona("small-business-owner"))?;
/// let (log, report) = builder.finish();
/// assert_eq!(report.accepted, 2);
/// let first = log.interactions().next().ok_or("empty")?;
/// assert_eq!(journey.touchpoint_at(first.touchpoint()).map(|t| t.id.as_str()), Some("search-ad"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct LogBuilder<'j> {
    journey: &'j Journey,
    options: IngestOptions,
    records: Vec<Stored>,
    customers: Customers,
    contexts: Contexts,
    needs: Strings,
    tag_sets: Lists,
    tags: Strings,
    report: IngestReport,
    seen: usize,
    unknown_touchpoints: FastMap<String, UnknownIdError>,
    unknown_personas: FastMap<String, UnknownIdError>,
    /// The customer of the last record attached, `NONE` before the first.
    last_customer: u32,
    /// Whether the records attached so far are in the log's order (by customer, then time), so
    /// that finishing need not sort them.
    in_order: bool,
    /// While records come in order: the per-customer part of finishing, done for each
    /// customer whose records are all in.
    pass: Option<CustomerPass>,
    /// Where the records of the customer being attached start, while records come in order.
    run_start: usize,
    /// Records from this position on go to room whose pages are not mapped yet.
    mapped_to: usize,
    /// The mapping rows are read through, if any.
    mapping: Option<Arc<Compiled>>,
    /// Rows of each event the mapping skips.
    skipped_rows: Vec<usize>,
    /// Marker events read, applied when the log is finished.
    markers: Vec<PendingMarker>,
}

/// A marker event waiting for the records to be in time order.
#[derive(Debug, Clone)]
struct PendingMarker {
    index: usize,
    marker: Marker,
    customer: Box<str>,
    timestamp_ms: i64,
}

impl<'j> LogBuilder<'j> {
    /// Starts an empty log for `journey`.
    pub fn new(journey: &'j Journey, options: IngestOptions) -> Self {
        Self {
            journey,
            options,
            records: Vec::new(),
            customers: Customers::default(),
            contexts: Contexts::default(),
            needs: Strings::default(),
            tag_sets: Lists::default(),
            tags: Strings::default(),
            report: IngestReport::default(),
            seen: 0,
            unknown_touchpoints: fast_map(0),
            unknown_personas: fast_map(0),
            last_customer: NONE,
            in_order: true,
            pass: None,
            run_start: 0,
            mapped_to: 0,
            mapping: None,
            skipped_rows: Vec::new(),
            markers: Vec::new(),
        }
    }

    /// Reads rows through `mapping` from now on: the export's own columns, values, event names
    /// and time formats (see [`Mapping`]). The mapping's inactivity gap, if it sets one,
    /// applies unless the options set one.
    ///
    /// # Errors
    ///
    /// [`MappingError`] with every problem of the mapping against this journey (an event
    /// mapped to an unknown touchpoint, a default that is not a value of its field, an
    /// unknown time zone...), each at its line and column in the mapping file.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::interactions::{Field, Mapping};
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mapping = Mapping::new()
    ///     .column(Field::Customer, "case_id")
    ///     .column(Field::Touchpoint, "activity")
    ///     .default_value(Field::Outcome, "completed")
    ///     .event("Call centre", "support-line");
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default()).mapping(mapping)?;
    /// builder.read_csv("case_id,activity,timestamp\nk1,Call centre,2026-01-05T10:00:00Z\n".as_bytes())?;
    /// assert_eq!(builder.finish().0.len(), 1);
    ///
    /// let wrong = Mapping::new().event("Call centre", "suport-line");
    /// let error = LogBuilder::new(&journey, IngestOptions::default()).mapping(wrong).unwrap_err();
    /// assert_eq!(
    ///     error.problems()[0].to_string(),
    ///     "event \"Call centre\": unknown touchpoint \"suport-line\" (did you mean \"support-line\"?)"
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn mapping(mut self, mapping: Mapping) -> Result<Self, MappingError> {
        let compiled = mapping.compile(self.journey)?;
        self.skipped_rows = vec![0; compiled.skipped_names.len()];
        self.mapping = Some(Arc::new(compiled));
        Ok(self)
    }

    /// The mapping rows are read through.
    pub(crate) fn mapped(&self) -> Option<Arc<Compiled>> {
        self.mapping.clone()
    }

    /// Counts a row of an event the mapping skips.
    pub(crate) fn count_skipped(&mut self, event: usize) {
        if let Some(rows) = self.skipped_rows.get_mut(event) {
            *rows += 1;
        }
    }

    /// Keeps a marker event until the log is finished.
    pub(crate) fn add_marker(
        &mut self,
        index: usize,
        marker: Marker,
        customer: &str,
        timestamp_ms: i64,
    ) {
        self.markers.push(PendingMarker {
            index,
            marker,
            customer: customer.into(),
            timestamp_ms,
        });
    }

    /// Sets the outcomes markers give, on records sorted by customer and time, and reports
    /// every row not attached on purpose.
    fn apply_markers(&mut self, offsets: &[u32]) {
        let Some(mapping) = self.mapping.clone() else {
            return;
        };
        let names = &mapping.marker_names;
        let (mut applied, mut unmatched) = (vec![0; names.len()], vec![0; names.len()]);
        for pending in std::mem::take(&mut self.markers) {
            let target = self.customers.get(&pending.customer).and_then(|c| {
                let range = offsets[c as usize] as usize..offsets[c as usize + 1] as usize;
                let mine = &self.records[range.clone()];
                let at = match pending.marker.of {
                    MarkerTarget::Previous => mine
                        .partition_point(|r| r.timestamp_ms <= pending.timestamp_ms)
                        .checked_sub(1),
                    MarkerTarget::Current => mine
                        .iter()
                        .rposition(|r| r.timestamp_ms == pending.timestamp_ms),
                };
                at.map(|i| range.start + i)
            });
            match target {
                Some(i) => {
                    self.records[i].outcome = pending.marker.outcome.code();
                    applied[pending.index] += 1;
                }
                None => unmatched[pending.index] += 1,
            }
        }
        for (name, rows) in mapping.skipped_names.iter().zip(&self.skipped_rows) {
            if *rows > 0 {
                self.report.skipped.push(super::Skipped {
                    reason: format!("skipped event {name:?}"),
                    rows: *rows,
                });
            }
        }
        for (i, name) in names.iter().enumerate() {
            if applied[i] > 0 {
                self.report.skipped.push(super::Skipped {
                    reason: format!("marker {name:?} applied"),
                    rows: applied[i],
                });
            }
            if unmatched[i] > 0 {
                self.report.skipped.push(super::Skipped {
                    reason: format!("marker {name:?} found no interaction of its customer"),
                    rows: unmatched[i],
                });
            }
        }
    }

    /// The journey the log is for.
    pub fn journey(&self) -> &'j Journey {
        self.journey
    }

    /// Checks and attaches one interaction. Its row, in errors and in the report, is its
    /// position among all records offered to this builder, from 1.
    ///
    /// # Errors
    ///
    /// In strict mode, an [`IngestError::Record`] naming the row, the field and the reason;
    /// nothing is attached. In lenient mode the record is skipped and listed in the report, and
    /// the call succeeds.
    pub fn push(&mut self, interaction: impl Borrow<Interaction>) -> Result<(), IngestError> {
        self.seen += 1;
        let row = self.seen;
        self.offer(row, interaction.borrow())
    }

    /// Checks and attaches one borrowed [`Record`], as [`push`](LogBuilder::push) checks an
    /// owned interaction, without allocating per record: the seam for any source (a
    /// columnar batch, a database cursor, a parser's buffer).
    ///
    /// # Errors
    ///
    /// As [`push`](LogBuilder::push).
    pub fn push_record(&mut self, record: &Record<'_>) -> Result<(), IngestError> {
        self.seen += 1;
        let row = self.seen;
        let view = RecordView {
            customer: record.customer,
            touchpoint: record.touchpoint,
            touchpoint_index: None,
            timestamp_ms: record.timestamp_ms,
            persona: record.persona,
            outcome: Some(record.outcome),
            wait_seconds: record.wait_seconds,
            handling_seconds: record.handling_seconds,
            csat: record.csat,
            ces: record.ces,
            nps: record.nps,
            sentiment: record.sentiment,
            resolved: record.resolved,
            need: record.need,
            tags: Tags::List(Cow::Borrowed(record.tags)),
            session: record.session,
            segments: Cow::Borrowed(record.segments),
        };
        self.offer_view(row, &view)
    }

    /// Checks and attaches interactions in bulk, as [`push`](LogBuilder::push) each; they may
    /// be given by value or by reference (`builder.extend(&records)`), which spares dropping
    /// them.
    ///
    /// # Errors
    ///
    /// As [`push`](LogBuilder::push): in strict mode the first bad record stops the call, and
    /// the records before it stay attached.
    pub fn extend<I>(&mut self, interactions: I) -> Result<(), IngestError>
    where
        I: IntoIterator,
        I::Item: Borrow<Interaction>,
    {
        let interactions = interactions.into_iter();
        self.records.reserve(interactions.size_hint().0);
        interactions
            .into_iter()
            .try_for_each(|interaction| self.push(interaction))
    }

    /// Checks a record at `row` and attaches it, or handles its problem by the mode.
    pub(crate) fn offer(
        &mut self,
        row: usize,
        interaction: &Interaction,
    ) -> Result<(), IngestError> {
        self.offer_view(row, &RecordView::of(interaction))
    }

    /// Checks a borrowed record at `row` and attaches it, or handles its problem by the mode.
    pub(crate) fn offer_view(
        &mut self,
        row: usize,
        interaction: &RecordView<'_>,
    ) -> Result<(), IngestError> {
        self.offer_view_in(row, interaction, |_| None)
    }

    /// As [`offer_view`](Self::offer_view), naming a problem's column by `column` (a mapped
    /// file's own name for the field).
    pub(crate) fn offer_view_in(
        &mut self,
        row: usize,
        interaction: &RecordView<'_>,
        column: impl Fn(Field) -> Option<String>,
    ) -> Result<(), IngestError> {
        match self.check(interaction) {
            Ok(stored) => {
                if let Some(last) = self.records.last() {
                    let ordered = (last.customer, last.timestamp_ms)
                        <= (stored.customer, stored.timestamp_ms);
                    if self.in_order {
                        if !ordered {
                            // Finishing sorts the records and does every customer then.
                            self.pass = None;
                        } else if last.customer != stored.customer {
                            self.customer_attached(last.customer);
                        }
                    }
                    self.in_order &= ordered;
                }
                if self.records.len() >= self.mapped_to {
                    self.map_ahead();
                }
                self.records.push(stored);
                self.report.accepted += 1;
                Ok(())
            }
            Err((field, problem)) => self.reject(RecordError {
                row,
                field,
                column: field.and_then(column),
                problem,
            }),
        }
    }

    /// Makes room for the next records, doubling the room when it is full as pushing would,
    /// and has the pages of the next [`MAP_AHEAD`] bytes of it mapped in one call rather than
    /// one fault at a time (see `pages.rs`); only room about to be written is mapped.
    #[cold]
    fn map_ahead(&mut self) {
        const AHEAD: usize = MAP_AHEAD / std::mem::size_of::<Stored>();
        if self.records.len() == self.records.capacity() {
            self.records.reserve(self.records.capacity().max(64));
        }
        pages::prefault(&mut self.records, AHEAD);
        let room = self.records.capacity() - self.records.len();
        self.mapped_to = self.records.len() + AHEAD.min(room);
    }

    /// Runs the per-customer part of finishing for customer `c`, whose records (from
    /// `run_start` on) are all in, records so far being in order: the records are still in
    /// cache, and finishing has that much less to do.
    fn customer_attached(&mut self, c: u32) {
        if self.pass.is_none() {
            self.pass = Some(CustomerPass::new(
                self.contexts.segment_count(),
                self.gap_ms(),
            ));
        }
        let start = std::mem::replace(&mut self.run_start, self.records.len());
        if let Some(pass) = &mut self.pass {
            pass.add_customer(c as usize, start, &self.records[start..], &self.contexts);
        }
    }

    /// The silence after which a customer's next record starts a new journey, if any: the
    /// options', else the mapping's.
    fn gap_ms(&self) -> Option<i64> {
        self.options
            .inactivity_gap_seconds
            .or(self.mapping.as_ref().and_then(|m| m.inactivity_gap_seconds))
            .map(|s| i64::try_from(s.saturating_mul(1000)).unwrap_or(i64::MAX))
    }

    /// Handles a bad record by the mode: an error in strict mode, a listed skip in lenient.
    pub(crate) fn reject(&mut self, error: RecordError) -> Result<(), IngestError> {
        match self.options.mode {
            Mode::Strict => Err(IngestError::Record(error)),
            Mode::Lenient => {
                self.report.count_rejected(&error);
                if self.report.rejected.len() < self.options.rejected_kept {
                    self.report.rejected.push(error);
                }
                Ok(())
            }
        }
    }

    /// Counts a row offered through a reader, so that later `push` rows keep counting on.
    pub(crate) fn count_row(&mut self) {
        self.seen += 1;
    }

    /// How many rows were offered so far.
    #[cfg_attr(not(feature = "arrow"), allow(dead_code))]
    pub(crate) fn rows_offered(&self) -> usize {
        self.seen
    }

    /// The options the builder was made with.
    pub fn options(&self) -> IngestOptions {
        self.options
    }

    /// The error for an unknown id. The first [`SUGGESTED_UNKNOWN_IDS`] distinct unknown ids of
    /// each kind get a suggestion, computed once and kept: a log of a million rows naming one
    /// retired touchpoint scans the journey's ids once. Later distinct ids are reported without
    /// one, so a log of many distinct unknown ids costs a hash lookup each, whatever the
    /// journey's size, and keeps no copy of them.
    fn unknown_id(&mut self, kind: ItemKind, id: &str) -> UnknownIdError {
        let known = match kind {
            ItemKind::Persona => &mut self.unknown_personas,
            _ => &mut self.unknown_touchpoints,
        };
        if let Some(error) = known.get(id) {
            return error.clone();
        }
        if known.len() >= SUGGESTED_UNKNOWN_IDS {
            return UnknownIdError::new(kind, id, None);
        }
        let journey = self.journey;
        let error = match kind {
            ItemKind::Persona => journey.resolve_persona(id).err(),
            _ => journey.resolve_touchpoint(id).err(),
        }
        .unwrap_or_else(|| UnknownIdError::new(kind, id, None));
        known.insert(id.to_owned(), error.clone());
        error
    }

    fn check(
        &mut self,
        interaction: &RecordView<'_>,
    ) -> Result<Stored, (Option<Field>, RecordProblem)> {
        let journey = self.journey;
        let scales = self.options.scales;
        if is_blank(interaction.customer) {
            return Err((Some(Field::Customer), RecordProblem::EmptyCustomer));
        }
        let known = interaction
            .touchpoint_index
            .or_else(|| journey.touchpoint_index_of(interaction.touchpoint));
        let touchpoint = match known {
            Some(touchpoint) => touchpoint,
            None => {
                let error = self.unknown_id(ItemKind::Touchpoint, interaction.touchpoint);
                return Err((
                    Some(Field::Touchpoint),
                    RecordProblem::UnknownTouchpoint(error),
                ));
            }
        };
        let outcome = interaction
            .outcome
            .ok_or((Some(Field::Outcome), RecordProblem::Missing))?;
        let persona = match interaction.persona {
            None => None,
            Some(id) => match journey.persona_index_of(id) {
                Some(persona) => Some(persona),
                None => {
                    let error = self.unknown_id(ItemKind::Persona, id);
                    return Err((Some(Field::Persona), RecordProblem::UnknownPersona(error)));
                }
            },
        };
        let wait_ms = duration_ms(Field::WaitSeconds, interaction.wait_seconds)?;
        let handling_ms = duration_ms(Field::HandlingSeconds, interaction.handling_seconds)?;
        let csat = score(Field::Csat, interaction.csat, scales.csat())?;
        let ces = score(Field::Ces, interaction.ces, scales.ces())?;
        let nps = score(Field::Nps, interaction.nps, Scales::NPS)?;
        let sentiment = match interaction.sentiment {
            None => f32::NAN,
            Some(value) => {
                let (min, max) = scales.sentiment();
                if value.is_nan() || !(min..=max).contains(&value) {
                    return Err((
                        Some(Field::Sentiment),
                        RecordProblem::SentimentOutOfRange { value, min, max },
                    ));
                }
                value as f32
            }
        };

        if !self.contexts.fits(&interaction.segments) {
            return Err((
                None,
                RecordProblem::TooManySegments {
                    limit: super::segments::MAX_SEGMENTS,
                },
            ));
        }

        // The customer: known or new. Records usually come customer by customer: try the last
        // customer before hashing.
        let cached = Some(self.last_customer).filter(|&c| {
            c != NONE
                && same_bytes(
                    self.customers.id(c).as_bytes(),
                    interaction.customer.as_bytes(),
                )
        });
        let found = match cached {
            Some(c) => Ok(c),
            None => self.customers.find(interaction.customer),
        };
        if found.is_err() && self.customers.len() >= (NONE - 1) as usize {
            return Err((None, RecordProblem::TooManyCustomers));
        }
        // Every check has passed: from here on the record is attached.
        let customer = match found {
            Ok(customer) => customer,
            Err(hash) => self
                .customers
                .add_hashed(interaction.customer, hash)
                .ok_or((None, RecordProblem::TooManyCustomers))?,
        };
        self.last_customer = customer;
        let context = self.contexts.intern(
            persona.map_or(NONE, |p| p.as_u32()),
            interaction.session,
            &interaction.segments,
        );

        let too_many = |field| (Some(field), RecordProblem::TooManyValues);
        let need = match interaction.need {
            None => NONE,
            Some(need) => self
                .needs
                .intern(need)
                .ok_or_else(|| too_many(Field::Need))?,
        };
        let tags = if interaction.tags.is_empty() {
            NONE
        } else {
            if let Tags::Cell(cell) = interaction.tags
                && cell.len() > 1 << 16
            {
                // One huge cell: room for all its tags at once, nothing grown by doubling.
                let count = cell.bytes().filter(|&b| b == b'|').count() + 1;
                self.tags.reserve(cell.len(), count);
                self.tag_sets.reserve(count);
            }
            // The set is built in place in the arena of sets: a known set costs no allocation.
            let tags = &mut self.tags;
            self.tag_sets
                .intern_set(|set| {
                    for tag in interaction.tags.iter() {
                        set.push(tags.intern(tag).ok_or_else(|| too_many(Field::Tags))?);
                    }
                    Ok(())
                })?
                .ok_or_else(|| too_many(Field::Tags))?
        };
        Ok(Stored {
            timestamp_ms: interaction.timestamp_ms,
            customer,
            touchpoint: touchpoint.as_u32(),
            need,
            tags,
            wait_ms,
            handling_ms,
            sentiment,
            outcome: outcome.code(),
            csat,
            ces,
            nps,
            resolved: match interaction.resolved {
                Some(false) => 0,
                Some(true) => 1,
                None => 2,
            },
            context,
        })
    }

    /// Loads into the cache the customer table's slots of the customers of a batch of rows
    /// about to be attached (each run of one customer's rows once), so that the table's
    /// memory is waited for about once for the batch, not once for each new customer.
    pub(crate) fn warm_customers<'a>(&self, ids: impl Iterator<Item = &'a [u8]>) {
        let mut last: &[u8] = &[];
        self.customers.warm(ids.filter(|&id| {
            let new = !same_bytes(id, last);
            last = id;
            new
        }));
    }

    /// Orders the records and returns the log with the report of what was accepted and what
    /// was skipped.
    ///
    /// # Complexity
    ///
    /// O(n log n) for n records: a stable sort by customer and time; O(n) when they were
    /// attached in that order.
    pub fn finish(mut self) -> (InteractionLog, IngestReport) {
        let (segments, gap_ms) = (self.contexts.segment_count(), self.gap_ms());
        let pass = match self.pass.take() {
            // Records came in order: every customer but the last is done.
            Some(mut pass) if self.in_order && pass.made_for() == (segments, gap_ms) => {
                if let Some(last) = self.records.last() {
                    let start = self.run_start;
                    let mine = &self.records[start..];
                    pass.add_customer(last.customer as usize, start, mine, &self.contexts);
                }
                pass
            }
            _ => {
                if !self.in_order {
                    self.records.sort_by_key(|r| (r.customer, r.timestamp_ms));
                }
                CustomerPass::of_sorted(&self.records, &self.contexts, segments, gap_ms)
            }
        };
        let Finished {
            offsets,
            journeys,
            changes,
            warnings,
        } = pass.finish(self.records.len(), &self.customers, &self.contexts);
        self.apply_markers(&offsets);
        let (segment_names, segment_values) = self.contexts.into_names_and_values();
        self.report.warnings = warnings;
        for (slot, change) in changes.iter().enumerate() {
            if change.pairs >= 20 && change.changed == change.pairs {
                let segment = match slot {
                    0 => "persona".to_owned(),
                    k => segment_names[k - 1].clone(),
                };
                self.report
                    .warnings
                    .push(super::IngestWarning::SegmentChangesOnEveryRow {
                        segment,
                        pairs: change.pairs,
                    });
            }
        }
        let customer_persona = (0..self.customers.len())
            .map(|c| {
                let mine = journeys.of_customer[c] as usize..journeys.of_customer[c + 1] as usize;
                mine.map(|j| journeys.persona[j])
                    .find(|&p| p != NONE)
                    .unwrap_or(NONE)
            })
            .collect();
        self.report.customers = self.customers.len();
        self.report.journeys = journeys.len();
        self.needs.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.tag_sets.shrink_to_fit();
        self.customers.shrink_to_fit();
        let log = InteractionLog {
            records: self.records,
            offsets,
            customers: self.customers,
            customer_persona,
            journeys,
            segment_names,
            segment_values,
            needs: self.needs,
            tag_sets: self.tag_sets,
            tags: self.tags,
            scales: self.options.scales,
            touchpoint_count: self.journey.touchpoints().len(),
            fingerprint: self.journey.fingerprint(),
        };
        (log, self.report)
    }
}

/// Whether an id is empty or only white space; ids that start with a letter or digit answer
/// without trimming.
fn is_blank(id: &str) -> bool {
    match id.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_alphanumeric() => false,
        Some(_) => id.trim().is_empty(),
    }
}

fn duration_ms(field: Field, seconds: Option<f64>) -> Result<u32, (Option<Field>, RecordProblem)> {
    let Some(seconds) = seconds else {
        return Ok(NONE);
    };
    if !seconds.is_finite() {
        return Err((Some(field), RecordProblem::NotFinite { value: seconds }));
    }
    if seconds < 0.0 {
        return Err((Some(field), RecordProblem::NegativeDuration { seconds }));
    }
    let ms = (seconds * 1000.0).round();
    if ms > MAX_DURATION_MS {
        return Err((Some(field), RecordProblem::DurationTooLong { seconds }));
    }
    Ok(ms as u32)
}

fn score(
    field: Field,
    value: Option<u8>,
    scale: super::ScoreScale,
) -> Result<u8, (Option<Field>, RecordProblem)> {
    match value {
        None => Ok(NO_SCORE),
        Some(value) if scale.contains(value) && value != NO_SCORE => Ok(value),
        Some(value) => Err((
            Some(field),
            RecordProblem::ScoreOutOfRange {
                value: u64::from(value),
                scale,
            },
        )),
    }
}

/// Checked interactions for one journey, stored compactly on interned ids, each customer's
/// records together and in time order (equal times in arrival order).
///
/// Build one with a [`LogBuilder`]. The log refers to touchpoints and personas by their index
/// in the journey it was built for.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::{IngestOptions, Interaction, Journey, LogBuilder, Outcome};
///
/// let journey = Journey::load("examples/data/broadband.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.push(Interaction::new("h1", "fault-line", "2026-02-01T08:00:00Z".parse()?, Outcome::Escalated).with_wait_seconds(600.0))?;
/// builder.push(Interaction::new("h1", "engineer-callback", "2026-02-01T15:00:00Z".parse()?, Outcome::Completed))?;
/// let (log, _) = builder.finish();
/// let customer = log.customer_index("h1").ok_or("missing")?;
/// let visits: Vec<_> = log.customer_interactions(customer).map(|i| i.outcome()).collect();
/// assert_eq!(visits.len(), 2);
/// assert_eq!(log.interactions().next().and_then(|i| i.wait_seconds()), Some(600.0));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionLog {
    records: Vec<Stored>,
    /// `offsets[c]..offsets[c + 1]` are customer `c`'s records.
    offsets: Vec<u32>,
    customers: Customers,
    customer_persona: Vec<u32>,
    journeys: Journeys,
    segment_names: Vec<String>,
    /// Session and segment values, interned together.
    segment_values: Strings,
    needs: Strings,
    tag_sets: Lists,
    tags: Strings,
    scales: Scales,
    touchpoint_count: usize,
    fingerprint: Fingerprint,
}

impl InteractionLog {
    /// How many interactions the log holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the log holds no interaction.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The customers' ids, in order of first appearance: the customer at position `i` has
    /// index `i`.
    pub fn customers(&self) -> CustomerIds<'_> {
        self.customers.ids()
    }

    /// The index of a customer, in O(1).
    pub fn customer_index(&self, id: &str) -> Option<CustomerIndex> {
        self.customers.get(id).map(CustomerIndex::from_u32)
    }

    /// The id of a customer, or `None` for an index beyond the log's customers.
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::{IngestOptions, Interaction, Journey, LogBuilder, Outcome};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let at = "2026-01-01T09:00:00Z".parse()?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// builder.push(Interaction::new("c-17", "product-page", at, Outcome::Completed))?;
    /// let (log, _) = builder.finish();
    ///
    /// let customer = log.customer_index("c-17").ok_or("no such customer")?;
    /// assert_eq!(log.customer_id(customer), Some("c-17"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn customer_id(&self, customer: CustomerIndex) -> Option<&str> {
        self.customers().get(customer.index())
    }

    /// The persona of a customer, when one was given on any of their interactions.
    pub fn persona_of(&self, customer: CustomerIndex) -> Option<PersonaIndex> {
        match self.customer_persona.get(customer.index()) {
            Some(&p) if p != NONE => Some(PersonaIndex::from_u32(p)),
            _ => None,
        }
    }

    /// The scales the scores were checked against.
    pub fn scales(&self) -> Scales {
        self.scales
    }

    /// How many touchpoints the journey the log was built for has.
    pub fn touchpoint_count(&self) -> usize {
        self.touchpoint_count
    }

    /// The [`Fingerprint`] of the journey the log was built for: analyses check it against
    /// the journey they are given.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// Every interaction, customer by customer, each customer's in time order.
    pub fn interactions(&self) -> impl ExactSizeIterator<Item = InteractionRef<'_>> + '_ {
        self.records
            .iter()
            .map(move |record| InteractionRef { log: self, record })
    }

    /// One customer's interactions in time order; none for an index the log does not have.
    pub fn customer_interactions(
        &self,
        customer: CustomerIndex,
    ) -> impl ExactSizeIterator<Item = InteractionRef<'_>> + '_ {
        let c = customer.index();
        let range = match (self.offsets.get(c), self.offsets.get(c + 1)) {
            (Some(&start), Some(&end)) => start as usize..end as usize,
            _ => 0..0,
        };
        self.records[range]
            .iter()
            .map(move |record| InteractionRef { log: self, record })
    }
}

impl InteractionLog {
    /// How many journeys the log holds: one per customer, unless sessions or an inactivity
    /// gap split customers' histories (see [`LogBuilder`]).
    pub fn journey_count(&self) -> usize {
        self.journeys.len()
    }

    /// A customer's journeys, in time order; none for an index the log does not have.
    pub fn journeys_of(
        &self,
        customer: CustomerIndex,
    ) -> impl ExactSizeIterator<Item = JourneyIndex> + '_ {
        self.journey_range_of(customer.index())
            .map(|j| JourneyIndex::from_u32(j as u32))
    }

    /// The customer whose journey `journey` is.
    pub fn journey_customer(&self, journey: JourneyIndex) -> Option<CustomerIndex> {
        self.journeys
            .customer
            .get(journey.index())
            .map(|&c| CustomerIndex::from_u32(c))
    }

    /// One journey's interactions in time order; none for an index the log does not have.
    pub fn journey_interactions(
        &self,
        journey: JourneyIndex,
    ) -> impl ExactSizeIterator<Item = InteractionRef<'_>> + '_ {
        self.journey_records(journey.index())
            .iter()
            .map(move |record| InteractionRef { log: self, record })
    }

    /// The persona a journey carries: the first given on its interactions.
    pub fn journey_persona(&self, journey: JourneyIndex) -> Option<PersonaIndex> {
        match self.journeys.persona.get(journey.index()) {
            Some(&p) if p != NONE => Some(PersonaIndex::from_u32(p)),
            _ => None,
        }
    }

    /// The segments the log's interactions gave (other than the persona), each with the values
    /// journeys carry, in order of first appearance.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::{IngestOptions, Interaction, Journey, LogBuilder, Outcome};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// let at = "2026-01-05T10:00:00Z".parse()?;
    /// builder.push(Interaction::new("a", "search-ad", at, Outcome::Completed).with_segment("platform", "ios"))?;
    /// builder.push(Interaction::new("b", "search-ad", at, Outcome::Completed).with_segment("platform", "web"))?;
    /// let (log, _) = builder.finish();
    /// let segments = log.segments();
    /// assert_eq!((segments[0].name.as_str(), segments[0].values.len()), ("platform", 2));
    /// let b = log.customer_index("b").ok_or("missing")?;
    /// let first = log.journeys_of(b).next().ok_or("no journey")?;
    /// assert_eq!(log.journey_segment(first, "platform"), Some("web"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn segments(&self) -> Vec<Segment> {
        let k = self.journeys.segments;
        (0..k)
            .map(|s| {
                let mut marked = vec![false; self.segment_values.len()];
                let mut values = Vec::new();
                for j in 0..self.journeys.len() {
                    let v = self.journeys.values[j * k + s];
                    if let Some(mark) = marked.get_mut(v as usize)
                        && !*mark
                    {
                        *mark = true;
                        values.extend(self.segment_values.get(v).map(str::to_owned));
                    }
                }
                Segment {
                    name: self.segment_names[s].clone(),
                    values,
                }
            })
            .collect()
    }

    /// The value of segment `name` a journey carries: the first given on its interactions.
    pub fn journey_segment(&self, journey: JourneyIndex, name: &str) -> Option<&str> {
        let k = self.segment_index(name)?;
        let v = self.segment_value_raw(journey.index(), k);
        self.segment_values.get(v)
    }

    /// The names of the segments, by position.
    pub(crate) fn segment_names(&self) -> &[String] {
        &self.segment_names
    }

    /// The position of segment `name`.
    pub(crate) fn segment_index(&self, name: &str) -> Option<usize> {
        self.segment_names.iter().position(|n| n == name)
    }

    /// The interned value of segment `k` journey `j` carries, `u32::MAX` when none.
    pub(crate) fn segment_value_raw(&self, j: usize, k: usize) -> u32 {
        let n = self.journeys.segments;
        if k >= n {
            return NONE;
        }
        self.journeys.values.get(j * n + k).copied().unwrap_or(NONE)
    }

    /// The interned id of a segment value.
    pub(crate) fn segment_value_id(&self, value: &str) -> Option<u32> {
        self.segment_values.find(value)
    }

    /// How many records customers `customers` have (0 for customers beyond the log).
    pub(crate) fn records_of_customers(&self, customers: std::ops::Range<usize>) -> usize {
        let at = |c: usize| {
            self.offsets
                .get(c.min(self.offsets.len().saturating_sub(1)))
        };
        match (at(customers.start), at(customers.end)) {
            (Some(&start), Some(&end)) => end.saturating_sub(start) as usize,
            _ => 0,
        }
    }

    /// Customer `c`'s journeys, as journey positions.
    pub(crate) fn journey_range_of(&self, c: usize) -> std::ops::Range<usize> {
        match (
            self.journeys.of_customer.get(c),
            self.journeys.of_customer.get(c + 1),
        ) {
            (Some(&start), Some(&end)) => start as usize..end as usize,
            _ => 0..0,
        }
    }

    /// Journey `j`'s stored records, in time order.
    pub(crate) fn journey_records(&self, j: usize) -> &[Stored] {
        &self.records[self.journeys.range(j)]
    }

    /// The records of the customer of journey `j` after it: where a need's later contacts in
    /// the customer's next journeys are found.
    pub(crate) fn after_journey(&self, j: usize) -> &[Stored] {
        let Some(&c) = self.journeys.customer.get(j) else {
            return &[];
        };
        let end = self.journeys.range(j).end;
        let customer_end = self.offsets[c as usize + 1] as usize;
        &self.records[end..customer_end.max(end)]
    }

    /// The persona of journey `j` as a raw index, `u32::MAX` when unknown.
    pub(crate) fn journey_persona_raw(&self, j: usize) -> u32 {
        self.journeys.persona.get(j).copied().unwrap_or(NONE)
    }
}

/// One checked interaction in an [`InteractionLog`].
#[derive(Debug, Clone, Copy)]
pub struct InteractionRef<'a> {
    log: &'a InteractionLog,
    record: &'a Stored,
}

impl<'a> InteractionRef<'a> {
    pub(crate) fn new(log: &'a InteractionLog, record: &'a Stored) -> Self {
        Self { log, record }
    }

    /// The customer.
    pub fn customer(&self) -> CustomerIndex {
        CustomerIndex::from_u32(self.record.customer)
    }

    /// The customer's id.
    pub fn customer_id(&self) -> &'a str {
        self.log.customers.id(self.record.customer)
    }

    /// The touchpoint, by its index in the journey.
    pub fn touchpoint(&self) -> TouchpointIndex {
        TouchpointIndex::from_u32(self.record.touchpoint)
    }

    /// The customer's persona, when known.
    pub fn persona(&self) -> Option<PersonaIndex> {
        self.log.persona_of(self.customer())
    }

    /// When it happened, to the millisecond.
    pub fn timestamp(&self) -> Timestamp {
        Timestamp::from_millisecond(self.record.timestamp_ms).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// How it ended.
    pub fn outcome(&self) -> Outcome {
        Outcome::from_code(self.record.outcome)
    }

    /// How long the customer waited, in seconds (stored to the millisecond).
    pub fn wait_seconds(&self) -> Option<f64> {
        self.wait_ms().map(|ms| ms as f64 / 1000.0)
    }

    /// How long the interaction took, in seconds (stored to the millisecond).
    pub fn handling_seconds(&self) -> Option<f64> {
        self.handling_ms().map(|ms| ms as f64 / 1000.0)
    }

    /// The wait in whole milliseconds, for exact arithmetic on hot paths.
    pub(crate) fn wait_ms(&self) -> Option<u64> {
        (self.record.wait_ms != NONE).then_some(u64::from(self.record.wait_ms))
    }

    /// The handling time in whole milliseconds, for exact arithmetic on hot paths.
    pub(crate) fn handling_ms(&self) -> Option<u64> {
        (self.record.handling_ms != NONE).then_some(u64::from(self.record.handling_ms))
    }

    /// The CSAT answer, on the log's CSAT scale.
    pub fn csat(&self) -> Option<u8> {
        (self.record.csat != NO_SCORE).then_some(self.record.csat)
    }

    /// The CES answer, on the log's CES scale.
    pub fn ces(&self) -> Option<u8> {
        (self.record.ces != NO_SCORE).then_some(self.record.ces)
    }

    /// The NPS answer, 0 to 10.
    pub fn nps(&self) -> Option<u8> {
        (self.record.nps != NO_SCORE).then_some(self.record.nps)
    }

    /// The sentiment, stored as an `f32`.
    pub fn sentiment(&self) -> Option<f32> {
        (!self.record.sentiment.is_nan()).then_some(self.record.sentiment)
    }

    /// Whether the need was resolved here, when known.
    pub fn resolved(&self) -> Option<bool> {
        match self.record.resolved {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// Milliseconds since the Unix epoch, for arithmetic on hot paths.
    pub fn timestamp_ms(&self) -> i64 {
        self.record.timestamp_ms
    }

    /// The interned need key, for hot paths.
    pub(crate) fn need_id(&self) -> Option<u32> {
        (self.record.need != NONE).then_some(self.record.need)
    }

    /// The need or case key.
    pub fn need(&self) -> Option<&'a str> {
        self.log.needs.get(self.record.need)
    }

    /// The tags, without repeats, in the order the log first saw each tag.
    pub fn tags(&self) -> impl Iterator<Item = &'a str> + 'a {
        let log = self.log;
        log.tag_sets
            .get(self.record.tags)
            .into_iter()
            .flatten()
            .filter_map(move |&t| log.tags.get(t))
    }
}

#[cfg(test)]
mod tests {
    use crate::{IngestOptions, Journey, LogBuilder};

    /// The records of a range of customers, ranges reaching past the log included.
    #[test]
    fn records_of_customer_ranges_add_up() {
        let journey = Journey::load("examples/data/retail_bank.ron").unwrap();
        let csv = "customer,touchpoint,timestamp,outcome\n\
                   a,search-ad,2026-01-05T10:00:00Z,completed\n\
                   b,search-ad,2026-01-05T10:00:00Z,completed\n\
                   a,search-ad,2026-01-05T11:00:00Z,completed\n\
                   c,search-ad,2026-01-05T10:00:00Z,completed\n\
                   c,search-ad,2026-01-05T12:00:00Z,completed\n\
                   c,search-ad,2026-01-05T13:00:00Z,completed\n";
        let mut builder = LogBuilder::new(&journey, IngestOptions::default());
        builder.read_csv(csv.as_bytes()).unwrap();
        let (log, _) = builder.finish();
        let sizes: Vec<usize> = (0..3).map(|c| log.records_of_customers(c..c + 1)).collect();
        let mut sorted = sizes.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [1, 2, 3]);
        assert_eq!(log.records_of_customers(0..3), 6);
        assert_eq!(log.records_of_customers(1..10), sizes[1] + sizes[2]);
        assert_eq!(log.records_of_customers(5..10), 0);
        assert_eq!(
            log.records_of_customers(std::ops::Range { start: 2, end: 1 }),
            0
        );
    }
}
