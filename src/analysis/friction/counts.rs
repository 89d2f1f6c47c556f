//! The one pass over the log that friction detection needs: per persona and touchpoint, the
//! customers who met each kind of friction, the survey answers, the cases and the times.

use crate::analysis::layout::Layout;
use crate::analysis::{FcrRule, MetricsOptions};
use crate::stats::Moments;
use crate::{CustomerIndex, InteractionLog, Journey};

/// The statistical kinds, in the order of `FrictionKind::ALL`.
pub(super) const KINDS: usize = 12;
pub(super) const DROP_OFF: usize = 0;
pub(super) const ABANDONMENT: usize = 1;
pub(super) const FAILURE: usize = 2;
pub(super) const ESCALATION: usize = 3;
pub(super) const LOW_SATISFACTION: usize = 4;
pub(super) const DETRACTORS: usize = 5;
pub(super) const HIGH_EFFORT: usize = 6;
pub(super) const LONG_WAIT: usize = 7;
pub(super) const SLOW_RESOLUTION: usize = 8;
pub(super) const REPEAT_CONTACT: usize = 9;
pub(super) const LOOP: usize = 10;
pub(super) const OFF_MAP: usize = 11;
const VISITED: u16 = 1 << 13;

/// Bins of the customer-level maximum of ln(1 + seconds), for times above a threshold that
/// is only known after the pass.
pub(super) const BINS: usize = 64;
pub(super) const BIN_WIDTH: f64 = 0.25;

/// Counts of one persona at one touchpoint.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    /// Customers with an interaction here, and of those who reached a goal.
    pub visitors: u64,
    pub visitors_converted: u64,
    /// Customers who met each kind here (times: see `highest`), and of those who converted.
    pub met: [u64; KINDS],
    pub met_converted: [u64; KINDS],
    /// (answers, bad answers) for CSAT, NPS and CES.
    pub answers: [[u64; 2]; 3],
    /// (needs first raised here, not resolved at the first contact).
    pub cases: [u64; 2],
    /// ln(1 + seconds) of waits here and of resolution times of needs first raised here.
    pub times: [Moments; 2],
    /// Per time: customers by the bin of their highest time here, (not converted, converted).
    pub highest: [[[u32; 2]; BINS]; 2],
}

impl Default for Cell {
    fn default() -> Self {
        Self {
            visitors: 0,
            visitors_converted: 0,
            met: [0; KINDS],
            met_converted: [0; KINDS],
            answers: [[0; 2]; 3],
            cases: [0; 2],
            times: [Moments::default(); 2],
            highest: [[[0; 2]; BINS]; 2],
        }
    }
}

impl Cell {
    pub(super) fn add(&mut self, other: &Cell) {
        self.visitors += other.visitors;
        self.visitors_converted += other.visitors_converted;
        for k in 0..KINDS {
            self.met[k] += other.met[k];
            self.met_converted[k] += other.met_converted[k];
        }
        for (a, b) in self.answers.iter_mut().zip(&other.answers) {
            a[0] += b[0];
            a[1] += b[1];
        }
        self.cases[0] += other.cases[0];
        self.cases[1] += other.cases[1];
        for (a, b) in self.times.iter_mut().zip(&other.times) {
            a.merge(b);
        }
        for (a, b) in self.highest.iter_mut().zip(&other.highest) {
            for (x, y) in a.iter_mut().zip(b) {
                x[0] += y[0];
                x[1] += y[1];
            }
        }
    }
}

/// Every cell of a log, persona-major, with customers without a persona in the last row.
#[derive(Debug, Clone)]
pub(super) struct Counts {
    pub rows: usize,
    pub touchpoints: usize,
    pub cells: Vec<Cell>,
    pub customers: u64,
    pub converted: u64,
}

impl Counts {
    pub(super) fn cell(&self, row: usize, touchpoint: usize) -> &Cell {
        &self.cells[row * self.touchpoints + touchpoint]
    }

    /// One pass over the log, customer by customer.
    ///
    /// Complexity: O(n) for n interactions plus O(P·T) cells.
    pub(super) fn of(journey: &Journey, log: &InteractionLog, options: MetricsOptions) -> Counts {
        let t = journey.touchpoints().len();
        let rows = journey.personas().len() + 1;
        let scales = log.scales();
        let layout = Layout::of(journey);
        let (is_goal, channel_of) = (&layout.is_goal, &layout.channel_of);
        let window_ms =
            i64::try_from(options.current_repeat_window().as_millis()).unwrap_or(i64::MAX);
        let mut counts = Counts {
            rows,
            touchpoints: t,
            cells: vec![Cell::default(); rows * t],
            customers: 0,
            converted: 0,
        };
        let mut flags = vec![0_u16; t];
        let mut highest = vec![[f64::NEG_INFINITY; 2]; t];
        let mut touched: Vec<usize> = Vec::new();
        let mut cases: Vec<Case> = Vec::new();
        for c in 0..log.customers().len() {
            let customer = CustomerIndex::from_u32(c as u32);
            let row = log.persona_of(customer).map_or(rows - 1, |p| p.index());
            let base = row * t;
            touched.clear();
            cases.clear();
            let (mut previous, mut converted) = (None::<usize>, false);
            for record in log.customer_interactions(customer) {
                let tp = record.touchpoint().index();
                let cell = &mut counts.cells[base + tp];
                let mut f = flags[tp];
                if f & VISITED != 0 {
                    f |= 1 << LOOP;
                } else {
                    f |= VISITED;
                    touched.push(tp);
                }
                f |= match record.outcome() {
                    crate::Outcome::Completed => 0,
                    crate::Outcome::Abandoned => 1 << ABANDONMENT,
                    crate::Outcome::Failed => 1 << FAILURE,
                    crate::Outcome::Escalated => 1 << ESCALATION,
                };
                if let Some(csat) = record.csat() {
                    let bad = !scales.is_top_two(csat);
                    cell.answers[0][0] += 1;
                    cell.answers[0][1] += u64::from(bad);
                    f |= u16::from(bad) << LOW_SATISFACTION;
                }
                if let Some(nps) = record.nps() {
                    let bad = nps <= 6;
                    cell.answers[1][0] += 1;
                    cell.answers[1][1] += u64::from(bad);
                    f |= u16::from(bad) << DETRACTORS;
                }
                if let Some(ces) = record.ces() {
                    let bad = !scales.is_easy(ces);
                    cell.answers[2][0] += 1;
                    cell.answers[2][1] += u64::from(bad);
                    f |= u16::from(bad) << HIGH_EFFORT;
                }
                if let Some(wait) = record.wait() {
                    let v = wait.as_secs_f64().ln_1p();
                    cell.times[0].push(v);
                    if f & (1 << LONG_WAIT) == 0 || v > highest[tp][0] {
                        highest[tp][0] = v;
                        f |= 1 << LONG_WAIT;
                    }
                }
                flags[tp] = f;
                if let Some(from) = previous
                    && layout.classify(from, tp).is_off_map()
                {
                    flags[from] |= 1 << OFF_MAP;
                }
                previous = Some(tp);
                converted |= is_goal[tp];
                let Some(need) = record.need_id() else {
                    continue;
                };
                let now = record.timestamp_ms();
                let resolved_end = (record.resolved() == Some(true)).then(|| {
                    now.saturating_add(record.handling().map_or(0, |d| d.as_millis() as i64))
                });
                match cases.iter_mut().find(|case| case.need == need) {
                    None => cases.push(Case {
                        need,
                        first: tp,
                        first_ms: now,
                        first_flagged_resolved: record.resolved() == Some(true),
                        first_repeated: false,
                        last_is_first: true,
                        last_ms: now,
                        resolved_end_ms: resolved_end,
                        last_channel: channel_of[tp],
                        channels_seen: 1 << (channel_of[tp] % 64),
                        ping_pong: false,
                    }),
                    Some(case) => {
                        let channel = channel_of[tp];
                        if channel != case.last_channel {
                            case.ping_pong |= case.channels_seen & (1 << (channel % 64)) != 0;
                            case.channels_seen |= 1 << (channel % 64);
                            case.last_channel = channel;
                        }
                        if case.last_is_first && now.saturating_sub(case.last_ms) <= window_ms {
                            case.first_repeated = true;
                        }
                        case.last_is_first = false;
                        case.last_ms = now;
                        if case.resolved_end_ms.is_none() {
                            case.resolved_end_ms = resolved_end;
                        }
                    }
                }
            }
            let Some(last) = previous else {
                continue;
            };
            for case in &cases {
                let resolved_first = match options.current_fcr() {
                    FcrRule::NoRepeatContact => !case.first_repeated,
                    FcrRule::ResolvedFlag => case.first_flagged_resolved,
                };
                if case.ping_pong {
                    flags[case.first] |= 1 << LOOP;
                }
                let cell = &mut counts.cells[base + case.first];
                cell.cases[0] += 1;
                if !resolved_first {
                    cell.cases[1] += 1;
                    flags[case.first] |= 1 << REPEAT_CONTACT;
                }
                if let Some(end) = case.resolved_end_ms {
                    let v = (end.saturating_sub(case.first_ms).max(0) as f64 / 1000.0).ln_1p();
                    cell.times[1].push(v);
                    if flags[case.first] & (1 << SLOW_RESOLUTION) == 0 || v > highest[case.first][1]
                    {
                        highest[case.first][1] = v;
                        flags[case.first] |= 1 << SLOW_RESOLUTION;
                    }
                }
            }
            if !converted {
                flags[last] |= 1 << DROP_OFF;
            }
            counts.customers += 1;
            counts.converted += u64::from(converted);
            let conv = u64::from(converted);
            for &tp in &touched {
                let f = flags[tp];
                let cell = &mut counts.cells[base + tp];
                cell.visitors += 1;
                cell.visitors_converted += conv;
                for k in 0..KINDS {
                    if k == LONG_WAIT || k == SLOW_RESOLUTION {
                        continue;
                    }
                    if f & (1 << k) != 0 {
                        cell.met[k] += 1;
                        cell.met_converted[k] += conv;
                    }
                }
                for (j, kind) in [LONG_WAIT, SLOW_RESOLUTION].into_iter().enumerate() {
                    if f & (1 << kind) != 0 {
                        let bin = ((highest[tp][j] / BIN_WIDTH) as usize).min(BINS - 1);
                        cell.highest[j][bin][usize::from(converted)] += 1;
                    }
                }
                flags[tp] = 0;
            }
        }
        counts
    }
}

/// One need of one customer, while its contacts are walked in time order.
#[derive(Debug, Clone, Copy)]
struct Case {
    need: u32,
    first: usize,
    first_ms: i64,
    first_flagged_resolved: bool,
    first_repeated: bool,
    last_is_first: bool,
    last_ms: i64,
    resolved_end_ms: Option<i64>,
    /// The channel of the last contact, as a position among the journey's channels.
    last_channel: usize,
    /// The channels used so far (bit `position % 64`).
    channels_seen: u64,
    /// Whether the need went back to a channel it had left (A, B, A).
    ping_pong: bool,
}
