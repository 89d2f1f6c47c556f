//! CX metrics by touchpoint, stage, channel, persona, persona and touchpoint, and persona and
//! stage.
//!
//! Definitions follow the field's standard ones: outcome rates over interactions with 95%
//! Wilson intervals; NPS as % promoters (9-10) minus % detractors (0-6); CSAT as the top-two-box
//! share and the mean; CES as the mean and the share of easy answers (per [`Scales`]); waits,
//! handling times and time to resolution as mean, median and p90 (exact); sentiment as its
//! mean; repeat contacts and first contact resolution per [`MetricsOptions`]; and, for the
//! journey, the funnel, conversion to a goal, time to convert (censored) and the emotion curve.
//! Every metric carries its sample size, and a metric with no data is absent (`None`), never 0.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::layout::Layout;
use super::observation::{Accumulate, Observation, ShapeMismatch};
use super::parallel;
use super::selection::{Selection, SelectionError};
use super::walk::CustomerPath;
use crate::stats::{
    Durations, Interval, Mean, Rate, SortedPart, Summary, TimeToEvent, summary_of_sorted,
};
use crate::{
    Channel, Fingerprint, InteractionLog, Journey, Outcome, PersonaId, Scales, StageId,
    TouchpointId,
};

fn no_customer() -> u32 {
    u32::MAX
}

/// The raw counts of one group of interactions: what metrics are computed from. Tallies merge,
/// so a log split by customers and tallied in parts gives the same metrics as one pass.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    interactions: u64,
    customers: u64,
    outcomes: [u64; Outcome::ALL.len()],
    nps: [u64; 3],
    csat_count: u64,
    csat_sum: u64,
    csat_top_two: u64,
    ces_count: u64,
    ces_sum: u64,
    ces_easy: u64,
    wait: Durations,
    handling: Durations,
    sentiment: Mean,
    /// Squares of the CSAT answers, for the interval of their mean (absent from states
    /// serialized before intervals existed: their intervals are then `None`).
    #[serde(default)]
    csat_squares: Mean,
    /// Squares of the sentiments, likewise.
    #[serde(default)]
    sentiment_squares: Mean,
    /// Contacts with a need key.
    need_contacts: u64,
    /// Contacts followed by another contact about the same need within the repeat window.
    repeat_contacts: u64,
    /// Needs whose first contact was here.
    cases: u64,
    /// Of those, needs resolved at the first contact (by the FCR rule).
    first_contact_resolved: u64,
    /// Of those, needs never marked resolved.
    unresolved_cases: u64,
    /// Seconds from a need's first contact to the end of the contact that resolved it.
    ttr: Durations,
}

impl Tally {
    /// Adds every count of `other`. The two tallies must cover different customers.
    pub fn merge(&mut self, other: Tally) {
        self.merge_counts_from(&other);
        self.wait.merge(other.wait);
        self.handling.merge(other.handling);
        self.ttr.merge(other.ttr);
    }

    /// Adds every count of `other` but not its durations.
    fn merge_counts_from(&mut self, other: &Tally) {
        self.interactions += other.interactions;
        self.customers += other.customers;
        for (a, b) in self.outcomes.iter_mut().zip(other.outcomes) {
            *a += b;
        }
        for (a, b) in self.nps.iter_mut().zip(other.nps) {
            *a += b;
        }
        self.csat_count += other.csat_count;
        self.csat_sum += other.csat_sum;
        self.csat_top_two += other.csat_top_two;
        self.ces_count += other.ces_count;
        self.ces_sum += other.ces_sum;
        self.ces_easy += other.ces_easy;
        self.sentiment.merge(other.sentiment);
        self.csat_squares.merge(other.csat_squares);
        self.sentiment_squares.merge(other.sentiment_squares);
        self.need_contacts += other.need_contacts;
        self.repeat_contacts += other.repeat_contacts;
        self.cases += other.cases;
        self.first_contact_resolved += other.first_contact_resolved;
        self.unresolved_cases += other.unresolved_cases;
    }

    fn add(&mut self, record: &crate::InteractionRef<'_>, scales: &Scales) {
        self.interactions += 1;
        self.outcomes[usize::from(record.outcome() as u8)] += 1;
        if let Some(nps) = record.nps() {
            self.nps[match nps {
                9..=10 => 0,
                7..=8 => 1,
                _ => 2,
            }] += 1;
        }
        if let Some(csat) = record.csat() {
            self.csat_count += 1;
            self.csat_sum += u64::from(csat);
            self.csat_squares.push(f64::from(csat) * f64::from(csat));
            self.csat_top_two += u64::from(scales.is_top_two(csat));
        }
        if let Some(ces) = record.ces() {
            self.ces_count += 1;
            self.ces_sum += u64::from(ces);
            self.ces_easy += u64::from(scales.is_easy(ces));
        }
        if let Some(wait) = record.wait_ms() {
            self.wait.push_millis(wait);
        }
        if let Some(handling) = record.handling_ms() {
            self.handling.push_millis(handling);
        }
        if let Some(sentiment) = record.sentiment() {
            let sentiment = f64::from(sentiment);
            if self.sentiment.push(sentiment) {
                self.sentiment_squares.push(sentiment * sentiment);
            }
        }
    }

    /// The metrics of this group.
    pub fn metrics(mut self) -> GroupMetrics {
        let durations = [
            self.wait.summary(),
            self.handling.summary(),
            self.ttr.summary(),
        ];
        self.metrics_with(durations)
    }

    /// The metrics of this group, with its wait, handling and TTR summaries given.
    fn metrics_with(self, [wait, handling, ttr]: [Option<Summary>; 3]) -> GroupMetrics {
        // Outcome rates are over the interactions that are over: one still in progress has
        // not been completed, abandoned, failed or escalated yet.
        let open = self.outcomes[Outcome::InProgress as usize];
        let n = self.interactions;
        let ended = n.saturating_sub(open);
        let rate = |outcome: Outcome| Rate::new(self.outcomes[outcome as usize], ended);
        let respondents = self.nps.iter().sum::<u64>();
        GroupMetrics {
            interactions: n,
            customers: self.customers,
            completion: rate(Outcome::Completed),
            abandonment: rate(Outcome::Abandoned),
            failure: rate(Outcome::Failed),
            escalation: rate(Outcome::Escalated),
            in_progress: open,
            nps: (respondents > 0).then(|| Nps {
                respondents,
                promoters: self.nps[0],
                passives: self.nps[1],
                detractors: self.nps[2],
                score: 100.0 * (self.nps[0] as f64 - self.nps[2] as f64) / respondents as f64,
            }),
            csat: ScoreMetric::new(self.csat_count, self.csat_sum, self.csat_top_two).map(
                |mut csat| {
                    csat.interval = mean_interval(csat.respondents, csat.mean, self.csat_squares);
                    csat
                },
            ),
            ces: ScoreMetric::new(self.ces_count, self.ces_sum, self.ces_easy),
            wait_seconds: wait,
            handling_seconds: handling,
            sentiment: SentimentMean::of(self.sentiment, self.sentiment_squares),
            repeat_contact: Rate::new(self.repeat_contacts, self.need_contacts),
            first_contact_resolution: Rate::new(self.first_contact_resolved, self.cases),
            unresolved: Rate::new(self.unresolved_cases, self.cases),
            ttr_seconds: ttr,
        }
    }
}

/// Net Promoter Score of a group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Nps {
    /// Answers: the sample size.
    pub respondents: u64,
    /// Answers of 9 or 10.
    pub promoters: u64,
    /// Answers of 7 or 8.
    pub passives: u64,
    /// Answers of 0 to 6.
    pub detractors: u64,
    /// % promoters minus % detractors, from -100 to +100.
    pub score: f64,
}

/// A survey score of a group: its mean and the share of answers at the good end.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScoreMetric {
    /// Answers: the sample size.
    pub respondents: u64,
    /// The mean answer, on the log's scale.
    pub mean: f64,
    /// For CSAT the top-two-box share; for CES the share of easy answers; with its interval.
    pub good: Rate,
    /// The 95% t interval of the mean, for CSAT; `None` below two answers and for CES.
    pub interval: Option<Interval>,
}

impl ScoreMetric {
    fn new(count: u64, sum: u64, good: u64) -> Option<Self> {
        Some(ScoreMetric {
            respondents: count,
            mean: sum as f64 / count as f64,
            good: Rate::new(good, count)?,
            interval: None,
        })
    }
}

/// Every metric of one group of interactions. A metric with no data is `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupMetrics {
    /// Interactions in the group.
    pub interactions: u64,
    /// Distinct customers with an interaction in the group.
    pub customers: u64,
    /// Share of the interactions that are over (not in progress) completed.
    pub completion: Option<Rate>,
    /// Share of interactions abandoned.
    pub abandonment: Option<Rate>,
    /// Share of interactions failed.
    pub failure: Option<Rate>,
    /// Share of interactions escalated.
    pub escalation: Option<Rate>,
    /// Interactions still in progress, left out of the four rates above.
    pub in_progress: u64,
    /// Net Promoter Score.
    pub nps: Option<Nps>,
    /// CSAT mean and top-two-box share.
    pub csat: Option<ScoreMetric>,
    /// CES mean and share of easy answers.
    pub ces: Option<ScoreMetric>,
    /// Waits, in seconds.
    pub wait_seconds: Option<Summary>,
    /// Handling times, in seconds.
    pub handling_seconds: Option<Summary>,
    /// Mean sentiment.
    pub sentiment: Option<SentimentMean>,
    /// Share of contacts about a need followed by another contact about the same need within
    /// the repeat window, over contacts with a need key.
    pub repeat_contact: Option<Rate>,
    /// First contact resolution: needs resolved at their first contact (by the [`FcrRule`]),
    /// over needs whose first contact was in this group.
    pub first_contact_resolution: Option<Rate>,
    /// Needs never marked resolved, over needs whose first contact was in this group.
    pub unresolved: Option<Rate>,
    /// Time to resolution, in seconds: from a need's first contact to the end of the contact
    /// marked resolved (its timestamp plus its handling time, when known); resolved needs only.
    pub ttr_seconds: Option<Summary>,
}

/// The mean sentiment of a group and how many sentiments it is the mean of.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SentimentMean {
    /// Sentiments recorded: the sample size.
    pub count: u64,
    /// Their mean.
    pub mean: f64,
    /// The 95% t interval of the mean; `None` below two sentiments.
    pub interval: Option<Interval>,
}

impl SentimentMean {
    fn of(values: Mean, squares: Mean) -> Option<Self> {
        let mean = values.mean()?;
        Some(SentimentMean {
            count: values.count(),
            mean,
            interval: mean_interval(values.count(), mean, squares),
        })
    }
}

/// The 95% t interval of a mean of `count` values from the mean of their squares; `None`
/// below two values or when the squares are not of the same values (a state serialized
/// before they were kept).
fn mean_interval(count: u64, mean: f64, squares: Mean) -> Option<Interval> {
    if squares.count() != count || count < 2 {
        return None;
    }
    let n = count as f64;
    let variance = ((squares.mean()? - mean * mean) * n / (n - 1.0)).max(0.0);
    crate::stats::t_interval(count, mean, variance)
}

/// How first contact resolution is decided: the two rules the field uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum FcrRule {
    /// The need had no other contact within the repeat window after its first contact (the
    /// rule contact centres use when resolution is not recorded reliably).
    #[default]
    NoRepeatContact,
    /// The first contact is marked `resolved: true`.
    ResolvedFlag,
}

/// Settings of the metrics.
///
/// # Example
///
/// ```
/// use journey_map::analysis::{FcrRule, MetricsOptions};
///
/// let options = MetricsOptions::default().repeat_window_seconds(3 * 24 * 3600).fcr(FcrRule::ResolvedFlag);
/// assert_eq!(options.current_repeat_window_seconds(), 259_200);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsOptions {
    repeat_window_seconds: u64,
    fcr: FcrRule,
    conversion_window_seconds: Option<u64>,
}

impl Default for MetricsOptions {
    /// A repeat window of 7 days and FCR by [`FcrRule::NoRepeatContact`].
    fn default() -> Self {
        Self {
            repeat_window_seconds: 7 * 24 * 3600,
            fcr: FcrRule::NoRepeatContact,
            conversion_window_seconds: None,
        }
    }
}

impl MetricsOptions {
    /// A contact about the same need within this many seconds after another is a repeat
    /// contact.
    pub fn repeat_window_seconds(mut self, seconds: u64) -> Self {
        self.repeat_window_seconds = seconds;
        self
    }

    /// How first contact resolution is decided.
    pub fn fcr(mut self, rule: FcrRule) -> Self {
        self.fcr = rule;
        self
    }

    /// A customer converts when they reach a goal within this many seconds of their first
    /// interaction. With a window, the funnel counts a stage only when reached within it, and
    /// time to convert treats a customer who has not converted as still on their way
    /// (censored at the end of the log) while the window is still open at the end of the log,
    /// and as gone (out of the estimate) once it has closed. Without one (the default), every
    /// customer who has not converted by their last interaction has gone.
    pub fn conversion_window_seconds(mut self, seconds: u64) -> Self {
        self.conversion_window_seconds = Some(seconds);
        self
    }

    /// The conversion window set, in seconds.
    pub fn current_conversion_window_seconds(&self) -> Option<u64> {
        self.conversion_window_seconds
    }

    /// The repeat window set, in seconds.
    pub fn current_repeat_window_seconds(&self) -> u64 {
        self.repeat_window_seconds
    }

    /// The FCR rule set.
    pub fn current_fcr(&self) -> FcrRule {
        self.fcr
    }
}

/// Mergeable tallies of a log's interactions by touchpoint, stage, channel, persona, persona
/// and touchpoint, and persona and stage.
///
/// # Example
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use journey_map::analysis::{MetricsOptions, Tallies};
/// use journey_map::{IngestOptions, Journey, LogBuilder};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.read_csv("customer,touchpoint,timestamp,outcome,csat\n\
///                   a,chatbot,2026-01-05T09:00:00Z,escalated,2\n\
///                   a,live-chat-agent,2026-01-05T09:05:00Z,completed,5\n\
///                   b,chatbot,2026-01-05T10:00:00Z,completed,4\n".as_bytes())?;
/// let (log, _) = builder.finish();
///
/// // Two halves by customer, merged, equal one pass.
/// let mut first = Tallies::of_customers(&journey, &log, 0..1, MetricsOptions::default())?;
/// first.merge(Tallies::of_customers(&journey, &log, 1..2, MetricsOptions::default())?)?;
/// let whole = Tallies::of_customers(&journey, &log, 0..2, MetricsOptions::default())?;
/// assert_eq!(first, whole);
///
/// let report = whole.metrics(&journey)?;
/// let chatbot = &report.by_touchpoint[journey.touchpoint_index("chatbot").ok_or("missing")?.index()];
/// assert_eq!((chatbot.metrics.interactions, chatbot.metrics.customers), (2, 2));
/// assert_eq!(chatbot.metrics.escalation.map(|r| r.value), Some(0.5));
/// assert_eq!(chatbot.metrics.csat.map(|c| c.mean), Some(3.0));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tallies {
    fingerprint: Fingerprint,
    scales: Scales,
    options: MetricsOptions,
    personas: usize,
    touchpoints: usize,
    stages: usize,
    channels: usize,
    /// One tally per persona and touchpoint, persona-major (`persona * touchpoints +
    /// touchpoint`), with customers without a persona in the last row. Every other group is a
    /// union of these cells, so each interaction is tallied once.
    cells: Vec<Tally>,
    /// Distinct customers per group, which cells cannot add up.
    customers: GroupCustomers,
    /// Journeys tallied (customers, unless sessions split their histories).
    journeys: u64,
    /// Distinct customers tallied: a customer's journeys come one after another and never
    /// span two parts of a log, so counting changes of customer counts them exactly.
    #[serde(default)]
    distinct: u64,
    /// The customer of the last journey tallied, `u32::MAX` before the first.
    #[serde(default = "no_customer")]
    last_customer: u32,
    /// Customers with an interaction in each stage.
    reached: Vec<u64>,
    /// Customers who reached each stage after every stage before it, in order.
    in_order: Vec<u64>,
    /// Seconds from each customer's first interaction to their first goal (within the
    /// conversion window, if one is set).
    time_to_convert: TimeToEvent,
    /// The first interaction (ms) of each customer who has not converted, when a conversion
    /// window is set: whether they are still on their way depends on the end of the log,
    /// known once every part is merged.
    open_since: Starts,
    /// The latest interaction seen (ms), or `i64::MIN`.
    last_ms: i64,
    /// Customers who have not converted (within the window, if one is set), not counting those
    /// in `still_open`.
    not_converted: u64,
    /// The first interaction (ms) of each customer whose last interaction is in progress.
    still_open: Starts,
    /// Scratch space of the pass, not part of the state.
    #[serde(skip)]
    scratch: Scratch,
}

/// First interactions (ms) of customers, in any order: equal when they hold the same values,
/// so that parts merged in any order equal one pass.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
struct Starts(Vec<i64>);

impl PartialEq for Starts {
    fn eq(&self, other: &Self) -> bool {
        let sorted = |v: &[i64]| {
            let mut v = v.to_vec();
            v.sort_unstable();
            v
        };
        self.0.len() == other.0.len() && sorted(&self.0) == sorted(&other.0)
    }
}

/// What a pass keeps from customer to customer; equal whatever it holds.
#[derive(Debug, Clone, Default)]
struct Scratch {
    /// The mark of the last customer seen at each touchpoint, stage and channel.
    touchpoint: Vec<u64>,
    stage: Vec<u64>,
    channel: Vec<u64>,
    mark: u64,
}

impl PartialEq for Scratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Distinct customers in each group of each table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct GroupCustomers {
    touchpoint: Vec<u64>,
    stage: Vec<u64>,
    channel: Vec<u64>,
    persona: Vec<u64>,
    persona_touchpoint: Vec<u64>,
    persona_stage: Vec<u64>,
}

impl GroupCustomers {
    fn new(t: usize, s: usize, c: usize, p: usize) -> Self {
        Self {
            touchpoint: vec![0; t],
            stage: vec![0; s],
            channel: vec![0; c],
            persona: vec![0; p],
            persona_touchpoint: vec![0; p * t],
            persona_stage: vec![0; p * s],
        }
    }

    fn tables_mut(&mut self) -> [&mut Vec<u64>; 6] {
        [
            &mut self.touchpoint,
            &mut self.stage,
            &mut self.channel,
            &mut self.persona,
            &mut self.persona_touchpoint,
            &mut self.persona_stage,
        ]
    }
}

/// The cells each group of each table is made of.
struct Members {
    touchpoint: Vec<Vec<usize>>,
    stage: Vec<Vec<usize>>,
    channel: Vec<Vec<usize>>,
    persona: Vec<Vec<usize>>,
    persona_stage: Vec<Vec<usize>>,
}

impl Tallies {
    /// An empty partial state for `journey`, scores on `scales` (the log's
    /// [`InteractionLog::scales`]).
    ///
    /// # Complexity
    ///
    /// O(T·P) for the T touchpoints and P personas.
    pub fn new(journey: &Journey, scales: Scales, options: MetricsOptions) -> Tallies {
        let layout = Layout::of(journey);
        let (t, s, p) = (
            journey.touchpoints().len(),
            journey.stages().len(),
            journey.personas().len() + 1,
        );
        let channels = layout.channels.len();
        Tallies {
            fingerprint: journey.fingerprint(),
            scales,
            options,
            personas: p,
            touchpoints: t,
            stages: s,
            channels,
            cells: vec![Tally::default(); p * t],
            customers: GroupCustomers::new(t, s, channels, p),
            journeys: 0,
            distinct: 0,
            last_customer: u32::MAX,
            reached: vec![0; s],
            in_order: vec![0; s],
            time_to_convert: TimeToEvent::default(),
            open_since: Starts::default(),
            still_open: Starts::default(),
            last_ms: i64::MIN,
            not_converted: 0,
            scratch: Scratch::default(),
        }
    }

    /// Tallies the interactions of the customers in `customers` (by index; the range is clipped
    /// to the log), on this thread.
    ///
    /// # Errors
    ///
    /// [`SelectionError::Journey`] when the log was built for another journey.
    ///
    /// # Complexity
    ///
    /// O(n) for n interactions, plus O(T·P) for the T touchpoints and P personas.
    pub fn of_customers(
        journey: &Journey,
        log: &InteractionLog,
        customers: Range<usize>,
        options: MetricsOptions,
    ) -> Result<Tallies, SelectionError> {
        let observation = Observation::new(journey, log)?;
        observation.accumulate_range(
            &Selection::all(),
            customers,
            Tallies::new(journey, log.scales(), options),
        )
    }

    fn add_path(&mut self, path: &CustomerPath<'_>) {
        let (t, s, p) = (self.touchpoints, self.stages, self.personas);
        let layout = path.layout;
        let (stage_of, channel_of) = (&layout.stage_of, &layout.channel_of);
        let scales = self.scales;
        let persona = path.persona().map_or(p - 1, |x| x.index().min(p - 1));
        let scratch = &mut self.scratch;
        if scratch.stage.len() != s {
            scratch.touchpoint = vec![0; t];
            scratch.stage = vec![0; s];
            scratch.channel = vec![0; self.channels];
        }
        // A group counts a customer the first time it sees them: a customer has one persona,
        // so a distinct touchpoint is a distinct persona-touchpoint cell, and a distinct stage
        // a distinct persona-stage cell.
        scratch.mark += 1;
        let mark = scratch.mark;
        let customers = &mut self.customers;
        customers.persona[persona] += 1;
        for (i, record) in path.interactions().enumerate() {
            let touchpoint = record.touchpoint().index();
            let stage = stage_of[touchpoint];
            let cell = persona * t + touchpoint;
            self.cells[cell].add(&record, &scales);
            if scratch.touchpoint[touchpoint] != mark {
                scratch.touchpoint[touchpoint] = mark;
                customers.touchpoint[touchpoint] += 1;
                customers.persona_touchpoint[cell] += 1;
                let channel = channel_of[touchpoint];
                if scratch.channel[channel] != mark {
                    scratch.channel[channel] = mark;
                    customers.channel[channel] += 1;
                }
                if scratch.stage[stage] != mark {
                    scratch.stage[stage] = mark;
                    customers.stage[stage] += 1;
                    customers.persona_stage[persona * s + stage] += 1;
                }
            }
            if record.need_id().is_some() {
                self.cells[cell].need_contacts += 1;
                self.cells[cell].repeat_contacts += u64::from(path.followed_up(i));
            }
        }
        for case in path.needs() {
            let cell = persona * t + path.touchpoint(case.first).index();
            let tally = &mut self.cells[cell];
            tally.cases += 1;
            tally.first_contact_resolved += u64::from(case.resolved_at_first);
            match case.resolution_ms {
                Some(ms) => tally.ttr.push_millis(ms),
                None => tally.unresolved_cases += 1,
            }
        }
        self.journeys += 1;
        let customer = path.customer().as_u32();
        if customer != self.last_customer {
            self.distinct += 1;
            self.last_customer = customer;
        }
        for stage in 0..s {
            self.reached[stage] += u64::from(scratch.stage[stage] == mark);
        }
        // The ordered funnel: the next stage counts once the customer is in it after every
        // stage before it (the earliest time is the best, so one greedy walk finds it), within
        // the conversion window if one is set.
        let first = path.timestamp_ms(0);
        let window_ms = self
            .options
            .conversion_window_seconds
            .map(|s| i64::try_from(s.saturating_mul(1000)).unwrap_or(i64::MAX));
        let within = |at: i64| window_ms.is_none_or(|w| at.saturating_sub(first) <= w);
        let mut next = 0;
        for i in 0..path.len() {
            if !within(path.timestamp_ms(i)) {
                break;
            }
            if next < s && path.stage(i).index() == next {
                self.in_order[next] += 1;
                next += 1;
            }
        }
        self.last_ms = self.last_ms.max(path.timestamp_ms(path.len() - 1));
        match path.first_goal().map(|goal| path.timestamp_ms(goal)) {
            Some(at) if within(at) => {
                self.time_to_convert
                    .push(at.saturating_sub(first) as f64 / 1000.0, true);
            }
            _ if path.is_open() => {
                // Still on their way whatever the window: censored at the end of the log.
                self.still_open.0.push(first);
            }
            _ => {
                self.not_converted += 1;
                if window_ms.is_some() {
                    self.open_since.0.push(first);
                }
            }
        }
    }

    /// Adds the tallies of other customers of the same log.
    ///
    /// # Errors
    ///
    /// [`ShapeMismatch`] when `other` was made for another journey or other scales.
    pub fn merge(&mut self, other: Tallies) -> Result<(), ShapeMismatch> {
        let same_shape = self.fingerprint == other.fingerprint
            && self.scales == other.scales
            && self.options == other.options
            && (self.personas, self.touchpoints, self.stages, self.channels)
                == (
                    other.personas,
                    other.touchpoints,
                    other.stages,
                    other.channels,
                );
        if !same_shape {
            return Err(ShapeMismatch);
        }
        for (a, b) in self.cells.iter_mut().zip(other.cells) {
            a.merge(b);
        }
        let mut theirs = other.customers;
        for (mine, theirs) in self
            .customers
            .tables_mut()
            .into_iter()
            .zip(theirs.tables_mut())
        {
            for (a, b) in mine.iter_mut().zip(theirs.iter()) {
                *a += b;
            }
        }
        self.journeys += other.journeys;
        self.distinct += other.distinct;
        // The whole log's last customer is the later of the two parts' last ones.
        if other.last_customer != u32::MAX
            && (self.last_customer == u32::MAX || other.last_customer > self.last_customer)
        {
            self.last_customer = other.last_customer;
        }
        for (a, b) in self.reached.iter_mut().zip(other.reached) {
            *a += b;
        }
        for (a, b) in self.in_order.iter_mut().zip(other.in_order) {
            *a += b;
        }
        self.time_to_convert.merge(other.time_to_convert);
        self.open_since.0.extend(other.open_since.0);
        self.still_open.0.extend(other.still_open.0);
        self.last_ms = self.last_ms.max(other.last_ms);
        self.not_converted += other.not_converted;
        Ok(())
    }

    /// The metrics of every group. Groups are listed even when empty (their metrics are then
    /// absent), in journey order; persona tables list customers without a persona last, as
    /// persona `None`.
    ///
    /// # Errors
    ///
    /// [`ShapeMismatch`] when `journey` is not the journey the tallies were made for.
    pub fn metrics(self, journey: &Journey) -> Result<MetricsReport, ShapeMismatch> {
        if journey.fingerprint() != self.fingerprint {
            return Err(ShapeMismatch);
        }
        let Layout {
            channels,
            channel_of,
            stage_of,
            ..
        } = Layout::of(journey);
        let channels: Vec<Channel> = channels.into_iter().cloned().collect();
        let personas: Vec<Option<PersonaId>> = journey
            .personas()
            .iter()
            .map(|p| Some(p.id.clone()))
            .chain([None])
            .collect();
        let (t, s, p) = (self.touchpoints, self.stages, self.personas);

        // Every table is built from the cells. Counts are added up; durations are not copied
        // together: each cell's are sorted once and every group's percentiles are read off
        // the sorted cells it is made of.
        let mut cells = self.cells;
        parallel::for_each(&mut cells, |cell| {
            cell.wait.sort();
            cell.handling.sort();
            cell.ttr.sort();
        });
        let parts: Vec<[Vec<SortedPart<'_>>; 3]> = cells
            .iter()
            .map(|c| {
                [
                    c.wait.sorted_parts().collect(),
                    c.handling.sorted_parts().collect(),
                    c.ttr.sorted_parts().collect(),
                ]
            })
            .collect();
        let mut members = Members {
            touchpoint: vec![Vec::new(); t],
            stage: vec![Vec::new(); s],
            channel: vec![Vec::new(); channels.len()],
            persona: vec![Vec::new(); p],
            persona_stage: vec![Vec::new(); p * s],
        };
        for i in 0..cells.len() {
            let (persona, tp) = (i / t.max(1), i % t.max(1));
            members.touchpoint[tp].push(i);
            members.stage[stage_of[tp]].push(i);
            members.channel[channel_of[tp]].push(i);
            members.persona[persona].push(i);
            members.persona_stage[persona * s + stage_of[tp]].push(i);
        }
        let GroupCustomers {
            touchpoint: touchpoint_customers,
            stage: stage_customers,
            channel: channel_customers,
            persona: persona_customers,
            persona_touchpoint: cell_customers,
            persona_stage: persona_stage_customers,
        } = self.customers;
        // Every group of every table in one parallel pass (tables of a few groups would leave a
        // core idle), beside the time-to-convert estimate, whose sort is the longest single job.
        let tables = [
            (members.touchpoint, touchpoint_customers),
            (members.stage, stage_customers),
            (members.channel, channel_customers),
            (members.persona, persona_customers),
            ((0..cells.len()).map(|i| vec![i]).collect(), cell_customers),
            (members.persona_stage, persona_stage_customers),
        ];
        let sizes = tables.each_ref().map(|(groups, _)| groups.len());
        let groups: Vec<(Vec<usize>, u64)> = tables
            .into_iter()
            .flat_map(|(groups, customers)| groups.into_iter().zip(customers))
            .collect();
        let window = self.options.conversion_window_seconds;
        let converted = self.time_to_convert.events() as u64;
        let (open_since, open_at_end, last_ms) =
            (&self.open_since.0, &self.still_open.0, self.last_ms);
        let (all_groups, (time_to_convert, still_open)) = parallel::join(
            || {
                parallel::map(groups, |(group, customers)| {
                    let mut tally = Tally::default();
                    let mut of_group: [Vec<SortedPart<'_>>; 3] = Default::default();
                    for &i in &group {
                        tally.merge_counts_from(&cells[i]);
                        for (list, part) in of_group.iter_mut().zip(&parts[i]) {
                            list.extend_from_slice(part);
                        }
                    }
                    tally.customers = customers;
                    tally.metrics_with(of_group.each_ref().map(|l| summary_of_sorted(l)))
                })
            },
            || {
                time_to_convert_quantiles(
                    self.time_to_convert,
                    window,
                    open_since,
                    open_at_end,
                    last_ms,
                )
            },
        );
        let mut all_groups = all_groups.into_iter();
        let [
            by_touchpoint,
            by_stage,
            by_channel,
            by_persona,
            by_persona_touchpoint,
            by_persona_stage,
        ] = sizes.map(|n| all_groups.by_ref().take(n).collect::<Vec<GroupMetrics>>());

        let funnel = journey
            .stages()
            .iter()
            .enumerate()
            .map(|(i, stage)| FunnelStep {
                stage: stage.id.clone(),
                customers: self.in_order[i],
                from_previous: if i == 0 {
                    None
                } else {
                    Rate::new(self.in_order[i], self.in_order[i - 1])
                },
                reached: self.reached[i],
            })
            .collect();
        let stage_ids: Vec<StageId> = journey.stages().iter().map(|s| s.id.clone()).collect();
        let emotion_curve = stage_ids
            .iter()
            .zip(&by_stage)
            .map(|(id, m)| EmotionPoint::of(id, m))
            .collect();
        let emotion_curve_by_persona = personas
            .iter()
            .enumerate()
            .map(|(persona, key)| PersonaCurve {
                key: key.clone(),
                curve: stage_ids
                    .iter()
                    .zip(&by_persona_stage[persona * s..(persona + 1) * s])
                    .map(|(id, m)| EmotionPoint::of(id, m))
                    .collect(),
            })
            .collect();

        Ok(MetricsReport {
            options: self.options,
            journey: JourneyMetrics {
                customers: self.distinct,
                journeys: self.journeys,
                funnel,
                goal_conversion: Rate::new(converted, self.journeys),
                time_to_convert: TimeToConvert {
                    customers: self.journeys,
                    converted,
                    censored: still_open,
                    gone: self.not_converted + self.still_open.0.len() as u64 - still_open,
                    median_seconds: time_to_convert[0],
                    p90_seconds: time_to_convert[1],
                },
                emotion_curve,
                emotion_curve_by_persona,
            },
            by_touchpoint: journey
                .touchpoints()
                .iter()
                .zip(by_touchpoint)
                .map(|(tp, metrics)| Keyed {
                    key: tp.id.clone(),
                    metrics,
                })
                .collect(),
            by_stage: stage_ids
                .iter()
                .cloned()
                .zip(by_stage)
                .map(|(key, metrics)| Keyed { key, metrics })
                .collect(),
            by_channel: channels
                .into_iter()
                .zip(by_channel)
                .map(|(key, metrics)| Keyed { key, metrics })
                .collect(),
            by_persona: personas
                .iter()
                .cloned()
                .zip(by_persona)
                .map(|(key, metrics)| Keyed { key, metrics })
                .collect(),
            by_persona_touchpoint: by_persona_touchpoint
                .into_iter()
                .enumerate()
                .map(|(i, metrics)| Keyed {
                    key: (
                        personas[i / t.max(1)].clone(),
                        journey.touchpoints()[i % t.max(1)].id.clone(),
                    ),
                    metrics,
                })
                .collect(),
            by_persona_stage: by_persona_stage
                .into_iter()
                .enumerate()
                .map(|(i, metrics)| Keyed {
                    key: (
                        personas[i / s.max(1)].clone(),
                        stage_ids[i % s.max(1)].clone(),
                    ),
                    metrics,
                })
                .collect(),
        })
    }
}

impl Accumulate for Tallies {
    type Output = MetricsReport;

    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        self.add_path(path);
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        Tallies::merge(self, other)
    }

    fn finish(self, journey: &Journey) -> Result<MetricsReport, ShapeMismatch> {
        self.metrics(journey)
    }

    fn case_rules(&self) -> MetricsOptions {
        self.options
    }
}

/// The median and p90 time to convert, with how many customers were still on their way:
/// customers whose window is still open at the end of the log (`last_ms`) are censored
/// there; the others have gone and are not in the estimate.
fn time_to_convert_quantiles(
    mut estimate: TimeToEvent,
    window_seconds: Option<u64>,
    open_since: &[i64],
    open_at_end: &[i64],
    last_ms: i64,
) -> (Vec<Option<f64>>, u64) {
    let mut still_open = 0;
    if let Some(window) = window_seconds {
        let window_ms = i64::try_from(window.saturating_mul(1000)).unwrap_or(i64::MAX);
        for &first in open_since {
            let seen = last_ms.saturating_sub(first);
            if seen < window_ms {
                still_open += 1;
                estimate.push(seen as f64 / 1000.0, false);
            }
        }
    }
    for &first in open_at_end {
        still_open += 1;
        estimate.push(last_ms.saturating_sub(first) as f64 / 1000.0, false);
    }
    (estimate.quantiles(&[0.5, 0.9]), still_open)
}

/// Metrics with the group they describe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Keyed<K> {
    /// The group.
    pub key: K,
    /// Its metrics.
    pub metrics: GroupMetrics,
}

/// Journey-level metrics: the funnel, conversion, time to convert and the emotion curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JourneyMetrics {
    /// Distinct customers with at least one selected interaction.
    pub customers: u64,
    /// Selected journeys: as many as `customers` unless sessions or an inactivity gap split
    /// customers' histories into several journeys (see [`LogBuilder`](crate::LogBuilder)).
    /// Every other count of customers in the report (the funnel, conversion, each group's
    /// `customers`) then counts journeys.
    pub journeys: u64,
    /// One step per stage, in journey order.
    pub funnel: Vec<FunnelStep>,
    /// Customers who reached a goal touchpoint, over all customers.
    pub goal_conversion: Option<Rate>,
    /// Time from a customer's first interaction to their first goal.
    pub time_to_convert: TimeToConvert,
    /// Mean sentiment and CSAT per stage, in journey order.
    pub emotion_curve: Vec<EmotionPoint>,
    /// The emotion curve of each persona, then of customers without one.
    pub emotion_curve_by_persona: Vec<PersonaCurve>,
}

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunnelStep {
    /// The stage.
    pub stage: StageId,
    /// Customers who reached this stage after every stage before it, in journey order (an
    /// interaction in each stage, each later than one in the stage before): the funnel, which
    /// never rises from one stage to the next.
    pub customers: u64,
    /// `customers` over the previous stage's: the step conversion (its complement is the
    /// drop-off). Absent for the first stage and after a stage nobody reached in order.
    pub from_previous: Option<Rate>,
    /// Distinct customers with an interaction in this stage, in any order (a customer who
    /// skipped a stage is counted here but not in the funnel after it).
    pub reached: u64,
}

/// Time to convert: seconds from a customer's first interaction to their first goal.
///
/// Customers who have not converted are of two sorts. Those still on their way (their
/// conversion window, [`MetricsOptions::conversion_window_seconds`], is still open at the end
/// of the log) are *censored* at the end of the log: they may yet convert. Those whose window
/// has closed, or every customer who has not converted when no window is set, have *gone*:
/// they are not in the estimate, which is then the time to convert of the customers who
/// convert. Censoring gone customers as if they were still on their way would stretch the
/// estimate towards the longest journeys. Quantiles are Kaplan-Meier estimates, absent until
/// the estimate reaches them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimeToConvert {
    /// Customers observed.
    pub customers: u64,
    /// Customers who reached a goal.
    pub converted: u64,
    /// Customers who have not converted and are still on their way at the end of the log
    /// (within the conversion window), censored there.
    pub censored: u64,
    /// Customers who have not converted and have gone (no window set, or their window
    /// closed): not in the estimate.
    pub gone: u64,
    /// Seconds by which half of customers are estimated to convert.
    pub median_seconds: Option<f64>,
    /// Seconds by which nine in ten customers are estimated to convert.
    pub p90_seconds: Option<f64>,
}

/// One point of an emotion curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmotionPoint {
    /// The stage.
    pub stage: StageId,
    /// Mean sentiment, when any was recorded.
    pub sentiment: Option<f64>,
    /// How many sentiments.
    pub sentiment_count: u64,
    /// Mean CSAT, when any was recorded.
    pub csat: Option<f64>,
    /// How many CSAT answers.
    pub csat_count: u64,
    /// The 95% interval of the mean sentiment; `None` below two sentiments.
    pub sentiment_interval: Option<Interval>,
    /// The 95% interval of the mean CSAT; `None` below two answers.
    pub csat_interval: Option<Interval>,
}

impl EmotionPoint {
    fn of(stage: &StageId, metrics: &GroupMetrics) -> Self {
        EmotionPoint {
            stage: stage.clone(),
            sentiment: metrics.sentiment.map(|s| s.mean),
            sentiment_count: metrics.sentiment.map_or(0, |s| s.count),
            csat: metrics.csat.map(|c| c.mean),
            csat_count: metrics.csat.map_or(0, |c| c.respondents),
            sentiment_interval: metrics.sentiment.and_then(|s| s.interval),
            csat_interval: metrics.csat.and_then(|c| c.interval),
        }
    }
}

/// A persona's emotion curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PersonaCurve {
    /// The persona, or `None` for customers without one.
    pub key: Option<PersonaId>,
    /// The curve, one point per stage.
    pub curve: Vec<EmotionPoint>,
}

/// Every metric of a log, by group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricsReport {
    /// The settings the metrics were computed with.
    pub options: MetricsOptions,
    /// Journey-level metrics.
    pub journey: JourneyMetrics,
    /// One entry per touchpoint, in journey order.
    pub by_touchpoint: Vec<Keyed<TouchpointId>>,
    /// One entry per stage, in journey order: with mean sentiment and CSAT, the emotion curve.
    pub by_stage: Vec<Keyed<StageId>>,
    /// One entry per channel used in the journey, in order of first use.
    pub by_channel: Vec<Keyed<Channel>>,
    /// One entry per persona, then customers without one (`None`).
    pub by_persona: Vec<Keyed<Option<PersonaId>>>,
    /// Persona by touchpoint.
    pub by_persona_touchpoint: Vec<Keyed<(Option<PersonaId>, TouchpointId)>>,
    /// Persona by stage: each persona's emotion curve.
    pub by_persona_stage: Vec<Keyed<(Option<PersonaId>, StageId)>>,
}

impl MetricsReport {
    /// Every metric of the selected customers of `log`, on every core;
    /// `MetricsOptions::default()` for the usual settings. The same as
    /// [`Observation::metrics`].
    ///
    /// # Errors
    ///
    /// [`SelectionError`] when the log was built for another journey or the selection does
    /// not fit the journey.
    ///
    /// # Complexity
    ///
    /// O(n log n) for n interactions (the percentiles sort), plus O(T·P) for T touchpoints and
    /// P personas.
    pub fn compute(
        journey: &Journey,
        log: &InteractionLog,
        selection: &Selection,
        options: MetricsOptions,
    ) -> Result<MetricsReport, SelectionError> {
        Observation::new(journey, log)?.metrics(selection, options)
    }
}

impl Observation<'_> {
    /// Every metric of the selected customers: see [`MetricsReport`].
    ///
    /// # Errors
    ///
    /// [`SelectionError`] when the selection does not fit the journey.
    ///
    /// # Complexity
    ///
    /// O(n log n) for n selected interactions, plus O(T·P) for T touchpoints and P personas.
    pub fn metrics(
        &self,
        selection: &Selection,
        options: MetricsOptions,
    ) -> Result<MetricsReport, SelectionError> {
        let (journey, scales) = (self.journey(), self.log().scales());
        self.run(selection, || Tallies::new(journey, scales, options))
    }
}
