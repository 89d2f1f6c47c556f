//! One customer's selected path, walked once: what every accumulator reads.
//!
//! The walk is where the case logic lives, written once for every analysis: which contacts
//! about a need were followed by another within the repeat window, whether a need was resolved
//! at its first contact (by the [`FcrRule`]), how long it took to resolve, and whether it went
//! back to a channel it had left.

use serde::{Deserialize, Serialize};

use super::layout::Layout;
use super::metrics::{FcrRule, MetricsOptions};
use crate::interactions::log::Stored;
use crate::{CustomerIndex, InteractionLog, InteractionRef, JourneyIndex, PersonaIndex};
use crate::{StageIndex, TouchpointIndex};

/// How one move between two consecutive interactions of a customer relates to the designed
/// map.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{Accumulate, CustomerPath, Observation, Selection};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv("customer,touchpoint,timestamp,outcome\n\
///                   a,search-ad,2026-01-05T09:00:00Z,completed\n\
///                   a,product-page,2026-01-05T09:05:00Z,completed\n".as_bytes())?;
/// let (log, _) = builder.finish();
/// let observation = Observation::new(&journey, &log)?;
/// let mut designed = Vec::new();
/// observation.for_each_customer(&Selection::all(), Default::default(), |path| {
///     designed.extend((1..path.len()).filter_map(|i| path.step(i)).map(|s| s.designed));
/// })?;
/// assert_eq!(designed, [true]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Step {
    /// Where the customer was.
    pub from: TouchpointIndex,
    /// Where the customer went (the same touchpoint for a repeat).
    pub to: TouchpointIndex,
    /// A designed flow leads from `from` to `to`.
    pub designed: bool,
    /// Stage of `to` minus stage of `from`: 0 within a stage, above 1 skips stages, below 0
    /// goes back.
    pub stage_step: i64,
}

impl Step {
    /// The customer came back to the same touchpoint.
    pub fn is_repeat(&self) -> bool {
        self.from == self.to
    }

    /// A move to another touchpoint along no designed flow.
    pub fn is_off_map(&self) -> bool {
        !self.designed && !self.is_repeat()
    }
}

/// One need (case) of one customer: its contacts walked in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NeedCase {
    /// The position of the need's first contact in the customer's selected path.
    pub first: usize,
    /// How many contacts the need had.
    pub contacts: u32,
    /// Whether the need was resolved at its first contact, by the [`FcrRule`] in force.
    pub resolved_at_first: bool,
    /// Milliseconds from the first contact to the end of the first contact marked resolved.
    pub(crate) resolution_ms: Option<u64>,
    /// Whether the need went back to a channel it had left (web, phone, web).
    pub back_to_channel: bool,
}

impl NeedCase {
    /// Seconds from the first contact to the end of the first contact marked resolved (its
    /// time plus its handling time, when known); `None` when never marked resolved.
    pub fn resolution_seconds(&self) -> Option<f64> {
        self.resolution_ms.map(|ms| ms as f64 / 1000.0)
    }
}

/// One customer's selected interactions, in time order, with what every analysis derives from
/// them once: whether and where the customer converted, each need's case, and which contacts
/// were followed by another about the same need within the repeat window.
///
/// Paths come from [`Observation::for_each_customer`](super::Observation::for_each_customer)
/// and are what an [`Accumulate`](super::Accumulate) partial state adds.
#[derive(Debug, Clone, Copy)]
pub struct CustomerPath<'a> {
    pub(crate) layout: &'a Layout<'a>,
    log: &'a InteractionLog,
    customer: u32,
    journey: u32,
    records: &'a [Stored],
    first_goal: Option<usize>,
    needs: &'a [NeedCase],
    followed_up: &'a [bool],
}

impl<'a> CustomerPath<'a> {
    /// The customer, by index in the log.
    pub fn customer(&self) -> CustomerIndex {
        CustomerIndex::from_u32(self.customer)
    }

    /// The customer's id.
    pub fn customer_id(&self) -> &'a str {
        self.log
            .customers()
            .get(self.customer as usize)
            .expect("a walked customer is one of the log's")
    }

    /// The journey this path is, by index in the log: the customer's only journey unless
    /// sessions or an inactivity gap split the customer's history.
    pub fn journey(&self) -> JourneyIndex {
        JourneyIndex::from_u32(self.journey)
    }

    /// The persona the journey carries (the first given on its interactions), when known.
    pub fn persona(&self) -> Option<PersonaIndex> {
        self.log.journey_persona(self.journey())
    }

    /// The interned value of segment `position` the journey carries, `u32::MAX` when none.
    pub(crate) fn segment_raw(&self, position: usize) -> u32 {
        self.log.segment_value_raw(self.journey as usize, position)
    }

    /// How many interactions the selected path has (at least one).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Always false: a selected path has at least one interaction.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The interactions, in time order.
    pub fn interactions(&self) -> impl ExactSizeIterator<Item = InteractionRef<'a>> + 'a {
        let log = self.log;
        self.records
            .iter()
            .map(move |record| InteractionRef::new(log, record))
    }

    /// The interaction at position `i`; `None` past the end.
    pub fn interaction(&self, i: usize) -> Option<InteractionRef<'a>> {
        self.records
            .get(i)
            .map(|r| InteractionRef::new(self.log, r))
    }

    /// The touchpoint of the interaction at position `i`, which must be below
    /// [`len`](Self::len).
    ///
    /// # Panics
    ///
    /// When `i` is out of range.
    pub fn touchpoint(&self, i: usize) -> TouchpointIndex {
        TouchpointIndex::from_u32(self.records[i].touchpoint)
    }

    /// The touchpoints, in time order.
    pub fn touchpoints(&self) -> impl ExactSizeIterator<Item = TouchpointIndex> + 'a {
        self.records
            .iter()
            .map(|r| TouchpointIndex::from_u32(r.touchpoint))
    }

    /// The stage of the touchpoint at position `i`.
    ///
    /// # Panics
    ///
    /// When `i` is out of range.
    pub fn stage(&self, i: usize) -> StageIndex {
        StageIndex::from_u32(self.layout.stage_of[self.records[i].touchpoint as usize] as u32)
    }

    /// The move into the interaction at position `i` from the one before; `None` for the first
    /// interaction or past the end.
    pub fn step(&self, i: usize) -> Option<Step> {
        let from = self.records.get(i.checked_sub(1)?)?.touchpoint as usize;
        let to = self.records.get(i)?.touchpoint as usize;
        let step = self.layout.classify(from, to);
        Some(Step {
            from: TouchpointIndex::from_u32(from as u32),
            to: TouchpointIndex::from_u32(to as u32),
            designed: step.designed,
            stage_step: step.stage_step,
        })
    }

    /// Whether the selected path reaches a goal touchpoint.
    pub fn converted(&self) -> bool {
        self.first_goal.is_some()
    }

    /// Whether the customer is still on their way: no goal reached, and the last selected
    /// interaction is [`Outcome::InProgress`](crate::Outcome::InProgress) (an open ticket).
    /// Such a customer is no drop-off, and is censored in time to convert.
    pub fn is_open(&self) -> bool {
        self.first_goal.is_none()
            && self
                .records
                .last()
                .is_some_and(|r| r.outcome == crate::Outcome::InProgress.code())
    }

    /// The position of the first goal interaction.
    pub fn first_goal(&self) -> Option<usize> {
        self.first_goal
    }

    /// Milliseconds since the Unix epoch of the interaction at position `i`.
    ///
    /// # Panics
    ///
    /// When `i` is out of range.
    pub fn timestamp_ms(&self, i: usize) -> i64 {
        self.records[i].timestamp_ms
    }

    /// Seconds from the end of the interaction before position `i` to the start of the one at
    /// `i`: the handoff between them. The end is the start plus the wait and handling times
    /// where the log has them (the start alone where it has neither); an overlap counts as 0.
    /// `None` for the first interaction or past the end.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::{Observation, Selection};
    /// use journey_map::{IngestOptions, Journey, LogBuilder};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
    /// builder.read_csv("customer,touchpoint,timestamp,outcome,wait_seconds,handling_seconds\n\
    ///                   a,application-helpline,2026-01-05T09:00:00Z,completed,60,240\n\
    ///                   a,online-application,2026-01-05T10:00:00Z,completed,,\n".as_bytes())?;
    /// let (log, _) = builder.finish();
    /// let mut gaps = Vec::new();
    /// Observation::new(&journey, &log)?.for_each_customer(&Selection::all(), Default::default(), |path| {
    ///     gaps.push(path.gap_seconds(1));
    /// })?;
    /// // One hour between the starts, less the 5 minutes of waiting and handling.
    /// assert_eq!(gaps, [Some(3300.0)]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn gap_seconds(&self, i: usize) -> Option<f64> {
        self.gap_ms(i).map(|ms| ms as f64 / 1000.0)
    }

    /// [`gap_seconds`](Self::gap_seconds) in milliseconds.
    pub(crate) fn gap_ms(&self, i: usize) -> Option<u64> {
        let before = self.records.get(i.checked_sub(1)?)?;
        let next = self.records.get(i)?;
        let view = InteractionRef::new(self.log, before);
        let busy = view.wait_ms().unwrap_or(0) + view.handling_ms().unwrap_or(0);
        let end = before.timestamp_ms.saturating_add(busy as i64);
        Some(next.timestamp_ms.saturating_sub(end).max(0) as u64)
    }

    /// The customer's needs, in order of first contact.
    pub fn needs(&self) -> &'a [NeedCase] {
        self.needs
    }

    /// Whether the contact at position `i` is about a need and was followed by another contact
    /// about the same need within the repeat window (a repeat contact, counted at the earlier
    /// contact).
    pub fn followed_up(&self, i: usize) -> bool {
        self.followed_up.get(i).copied().unwrap_or(false)
    }
}

/// The scratch space of the walk, reused from customer to customer.
#[derive(Debug, Default)]
pub(crate) struct Walker {
    needs: Vec<NeedCase>,
    followed_up: Vec<bool>,
    open: Vec<Open>,
}

/// A need while its contacts are walked.
#[derive(Debug, Clone, Copy)]
struct Open {
    need: u32,
    first: usize,
    contacts: u32,
    first_ms: i64,
    first_flagged_resolved: bool,
    first_repeated: bool,
    last: usize,
    last_ms: i64,
    resolved_end_ms: Option<i64>,
    last_channel: usize,
    channels_seen: u64,
    back_to_channel: bool,
}

/// Marks an absent need key in a stored record.
const NO_NEED: u32 = u32::MAX;

impl Walker {
    /// Walks one journey's selected records: finds the first goal and each need's case. A
    /// need's last contact in the journey followed, within the repeat window, by a contact
    /// about the same need in the customer's later journeys (`after`) is a repeat contact.
    ///
    /// Complexity: O(k·m) for k interactions and m distinct needs (m is small in practice),
    /// plus the later journeys' records when a need is open at the end.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn walk<'a>(
        &'a mut self,
        layout: &'a Layout<'a>,
        log: &'a InteractionLog,
        customer: u32,
        journey: u32,
        records: &'a [Stored],
        after: &[Stored],
        rules: &MetricsOptions,
    ) -> CustomerPath<'a> {
        let mut first_goal = None;
        self.needs.clear();
        self.open.clear();
        self.followed_up.clear();
        let window_ms = i64::try_from(rules.current_repeat_window_seconds().saturating_mul(1000))
            .unwrap_or(i64::MAX);
        for (i, record) in records.iter().enumerate() {
            if first_goal.is_none() && layout.is_goal[record.touchpoint as usize] {
                first_goal = Some(i);
            }
            let need = record.need;
            if need == NO_NEED {
                continue;
            }
            if self.followed_up.is_empty() {
                self.followed_up.resize(records.len(), false);
            }
            let now = record.timestamp_ms;
            let flagged = record.resolved == 1;
            let resolved_end = flagged.then(|| {
                let handling = InteractionRef::new(log, record).handling_ms();
                now.saturating_add(handling.map_or(0, |ms| ms as i64))
            });
            let channel = layout.channel_of[record.touchpoint as usize];
            match self.open.iter_mut().find(|case| case.need == need) {
                None => self.open.push(Open {
                    need,
                    first: i,
                    contacts: 1,
                    first_ms: now,
                    first_flagged_resolved: flagged,
                    first_repeated: false,
                    last: i,
                    last_ms: now,
                    resolved_end_ms: resolved_end,
                    last_channel: channel,
                    channels_seen: 1 << (channel % 64),
                    back_to_channel: false,
                }),
                Some(case) => {
                    case.contacts += 1;
                    if channel != case.last_channel {
                        case.back_to_channel |= case.channels_seen & (1 << (channel % 64)) != 0;
                        case.channels_seen |= 1 << (channel % 64);
                        case.last_channel = channel;
                    }
                    if now.saturating_sub(case.last_ms) <= window_ms {
                        self.followed_up[case.last] = true;
                        if case.last == case.first {
                            case.first_repeated = true;
                        }
                    }
                    case.last = i;
                    case.last_ms = now;
                    if case.resolved_end_ms.is_none() {
                        case.resolved_end_ms = resolved_end;
                    }
                }
            }
        }
        if !after.is_empty() {
            for case in &mut self.open {
                if self.followed_up[case.last] {
                    continue;
                }
                if let Some(next) = after.iter().find(|r| r.need == case.need)
                    && next.timestamp_ms.saturating_sub(case.last_ms) <= window_ms
                {
                    self.followed_up[case.last] = true;
                    if case.last == case.first {
                        case.first_repeated = true;
                    }
                }
            }
        }
        let fcr = rules.current_fcr();
        self.needs.extend(self.open.iter().map(|case| {
            NeedCase {
                first: case.first,
                contacts: case.contacts,
                resolved_at_first: match fcr {
                    FcrRule::NoRepeatContact => !case.first_repeated,
                    FcrRule::ResolvedFlag => case.first_flagged_resolved,
                },
                resolution_ms: case
                    .resolved_end_ms
                    .map(|end| end.saturating_sub(case.first_ms).max(0) as u64),
                back_to_channel: case.back_to_channel,
            }
        }));
        CustomerPath {
            layout,
            log,
            customer,
            journey,
            records,
            first_goal,
            needs: &self.needs,
            followed_up: &self.followed_up,
        }
    }
}
