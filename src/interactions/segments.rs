//! Segments, sessions and journeys: what a record says about who the customer was and which
//! visit it belongs to, and how a customer's history is split into journeys.
//!
//! Each record keeps its persona, session and segment values as one interned *context*.
//! When the log is finished, each customer's records (in time order) are split into journeys
//! where the session changes or, with an inactivity gap set, where more than the gap passes
//! between two interactions; each journey carries, for the persona and each segment, the first
//! value given on its interactions.

use serde::{Deserialize, Serialize};

use super::interner::{Lists, Strings};
use crate::model::lookup::same_u32s;

/// Marks an absent value.
const NONE: u32 = u32::MAX;

/// The slot of a context that holds the persona.
const PERSONA: usize = 0;
/// The slot of a context that holds the session.
const SESSION: usize = 1;
/// The slot of a context where the segments start.
const SEGMENTS: usize = 2;

/// The most segment names one log holds: segments are a handful of columns (platform, plan,
/// region), and every journey keeps a value slot for each, so a record naming a new one each
/// time must not grow every journey without bound.
pub(crate) const MAX_SEGMENTS: usize = 64;

/// Contexts interned while a log is built: each distinct combination of persona, session and
/// segment values once.
#[derive(Debug, Clone)]
pub(crate) struct Contexts {
    slots: Lists,
    values: Strings,
    names: Vec<String>,
    /// The last context interned, and its id: records of one visit share it.
    last: (Vec<u32>, u32),
    scratch: Vec<u32>,
}

impl Default for Contexts {
    fn default() -> Self {
        Self {
            slots: Lists::default(),
            values: Strings::default(),
            names: Vec::new(),
            last: (Vec::new(), NONE),
            scratch: Vec::new(),
        }
    }
}

impl Contexts {
    /// The context of a record: `NONE` when it gives no persona, session or segment.
    ///
    /// Complexity: O(s) for s segments, one hash probe when the context differs from the last.
    #[inline]
    pub(crate) fn intern(
        &mut self,
        persona: u32,
        session: Option<&str>,
        segments: &[(&str, &str)],
    ) -> u32 {
        // Most records of most logs give none of them: no call for those.
        if persona == NONE && session.is_none() && segments.is_empty() {
            return NONE;
        }
        if session.is_none() && segments.is_empty() {
            // A persona alone: the key is that one value.
            return self.intern_key(&[persona]);
        }
        self.intern_given(persona, session, segments)
    }

    /// The id of a context's key (no trailing `NONE`), from the last one when it is the same.
    fn intern_key(&mut self, key: &[u32]) -> u32 {
        if same_u32s(key, &self.last.0) {
            return self.last.1;
        }
        // Past `u32::MAX - 1` contexts (more than records a log holds), none is kept.
        let id = self.slots.intern(key).unwrap_or(NONE);
        self.last.0.clear();
        self.last.0.extend_from_slice(key);
        self.last.1 = id;
        id
    }

    fn intern_given(
        &mut self,
        persona: u32,
        session: Option<&str>,
        segments: &[(&str, &str)],
    ) -> u32 {
        let session = session.filter(|s| !s.trim().is_empty());
        if persona == NONE && session.is_none() && segments.is_empty() {
            return NONE;
        }
        let mut key = std::mem::take(&mut self.scratch);
        key.clear();
        key.push(persona);
        key.push(session.map_or(NONE, |s| self.value(s)));
        for &(name, value) in segments {
            if value.trim().is_empty() {
                continue;
            }
            let slot = SEGMENTS + self.name(name);
            if key.len() <= slot {
                key.resize(slot + 1, NONE);
            }
            key[slot] = self.value(value);
        }
        while key.last() == Some(&NONE) {
            key.pop();
        }
        let id = if key.is_empty() {
            NONE
        } else {
            self.intern_key(&key)
        };
        self.scratch = key;
        id
    }

    fn value(&mut self, value: &str) -> u32 {
        // Past `u32::MAX - 1` values (more than records a log holds), none is kept.
        self.values.intern(value.trim()).unwrap_or(NONE)
    }

    fn name(&mut self, name: &str) -> usize {
        let name = name.trim();
        match self.names.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                self.names.push(name.to_owned());
                self.names.len() - 1
            }
        }
    }

    /// Whether a record naming `segments` keeps the log within [`MAX_SEGMENTS`] segment
    /// names. Checked before anything of the record is kept, so a refused record leaves no
    /// trace.
    ///
    /// Complexity: O(s · MAX_SEGMENTS) for s segments of the record.
    #[inline]
    pub(crate) fn fits(&self, segments: &[(&str, &str)]) -> bool {
        segments.is_empty() || self.fits_given(segments)
    }

    fn fits_given(&self, segments: &[(&str, &str)]) -> bool {
        let mut new = 0;
        for (i, &(name, value)) in segments.iter().enumerate() {
            let name = name.trim();
            if value.trim().is_empty()
                || self.names.iter().any(|n| n == name)
                || segments[..i]
                    .iter()
                    .any(|(n, v)| n.trim() == name && !v.trim().is_empty())
            {
                continue;
            }
            new += 1;
            if self.names.len() + new > MAX_SEGMENTS {
                return false;
            }
        }
        true
    }

    /// The value in `slot` of context `id`.
    fn slot(&self, id: u32, slot: usize) -> u32 {
        if id == NONE {
            return NONE;
        }
        self.slots
            .get(id)
            .and_then(|values| values.get(slot))
            .copied()
            .unwrap_or(NONE)
    }

    /// The session of context `id`, `NONE` when it has none.
    pub(crate) fn session(&self, id: u32) -> u32 {
        self.slot(id, SESSION)
    }

    /// The persona of context `id`, `NONE` when it has none.
    pub(crate) fn persona(&self, id: u32) -> u32 {
        self.slot(id, PERSONA)
    }

    /// How many segments (other than the persona) the records named.
    pub(crate) fn segment_count(&self) -> usize {
        self.names.len()
    }

    /// The value of segment `k` in context `id`, `NONE` when it has none.
    pub(crate) fn segment(&self, id: u32, k: usize) -> u32 {
        self.slot(id, SEGMENTS + k)
    }

    /// The segment names and every value interned, for the finished log.
    pub(crate) fn into_names_and_values(self) -> (Vec<String>, Strings) {
        let mut values = self.values;
        values.shrink_to_fit();
        (self.names, values)
    }
}

/// A customer's history split into journeys: the unit every analysis walks as one path.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Journeys {
    /// Where each journey's records start, and at the end the number of records.
    pub(crate) starts: Vec<u32>,
    /// `of_customer[c]..of_customer[c + 1]` are customer `c`'s journeys.
    pub(crate) of_customer: Vec<u32>,
    /// The customer of each journey.
    pub(crate) customer: Vec<u32>,
    /// The persona of each journey, `NONE` when none was given.
    pub(crate) persona: Vec<u32>,
    /// The segments' values, journey-major: `values[j * segments + k]`.
    pub(crate) values: Vec<u32>,
    /// How many segments.
    pub(crate) segments: usize,
}

/// What a segment says about a log's records: whether it changes between consecutive
/// interactions of a customer.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Changes {
    /// Pairs of consecutive interactions of a customer that both give the value.
    pub(crate) pairs: usize,
    /// Of those, how many give different values.
    pub(crate) changed: usize,
}

/// Splits customers' records into journeys, one customer at a time, each customer's records
/// sorted by time, customers in order: a log builder splits each customer as soon as their
/// records are in (while they are still in cache), or all of them in one pass after sorting.
#[derive(Debug, Clone)]
pub(crate) struct Splitter {
    journeys: Journeys,
    /// Slot 0 is the persona, then each segment.
    changes: Vec<Changes>,
    /// The last value of each slot in the customer being split.
    last: Vec<u32>,
    gap_ms: Option<i64>,
}

impl Splitter {
    /// Starts splitting records whose contexts name `segments` segments, starting a new
    /// journey after a silence longer than `gap_ms`, if set.
    pub(crate) fn new(segments: usize, gap_ms: Option<i64>) -> Self {
        Splitter {
            journeys: Journeys {
                segments,
                ..Journeys::default()
            },
            changes: vec![Changes::default(); segments + 1],
            last: vec![NONE; segments + 1],
            gap_ms,
        }
    }

    /// How many segments and which inactivity gap the split is for.
    pub(crate) fn made_for(&self) -> (usize, Option<i64>) {
        (self.journeys.segments, self.gap_ms)
    }

    /// Splits the next customer's records `mine` (possibly none), which start at record
    /// `start` of the log.
    ///
    /// Complexity: O(k) for k records, plus O(s) per record with s segments.
    pub(crate) fn add_customer(
        &mut self,
        start: usize,
        mine: &[super::log::Stored],
        contexts: &Contexts,
    ) {
        let Splitter {
            journeys,
            changes,
            last,
            gap_ms,
        } = self;
        let segments = journeys.segments;
        let c = journeys.of_customer.len() as u32;
        journeys.of_customer.push(journeys.starts.len() as u32);
        let mut session = NONE;
        last.fill(NONE);
        for (i, record) in mine.iter().enumerate() {
            let here = contexts.session(record.context);
            let split = i == 0
                || (here != NONE && session != NONE && here != session)
                || gap_ms.is_some_and(|gap| {
                    record.timestamp_ms.saturating_sub(mine[i - 1].timestamp_ms) > gap
                });
            if split {
                journeys.starts.push((start + i) as u32);
                journeys.customer.push(c);
                journeys.persona.push(NONE);
                journeys.values.extend(std::iter::repeat_n(NONE, segments));
            }
            if here != NONE {
                session = here;
            }
            if record.context == NONE {
                continue;
            }
            let j = journeys.persona.len() - 1;
            for (slot, last) in last.iter_mut().enumerate() {
                let value = if slot == 0 {
                    contexts.persona(record.context)
                } else {
                    contexts.segment(record.context, slot - 1)
                };
                if value == NONE {
                    continue;
                }
                if *last != NONE {
                    changes[slot].pairs += 1;
                    changes[slot].changed += usize::from(*last != value);
                }
                *last = value;
                let carried = if slot == 0 {
                    &mut journeys.persona[j]
                } else {
                    &mut journeys.values[j * segments + slot - 1]
                };
                if *carried == NONE {
                    *carried = value;
                }
            }
        }
    }

    /// The journeys of a log of `records` records, and how each slot's value changes between
    /// a customer's consecutive records.
    pub(crate) fn finish(mut self, records: usize) -> (Journeys, Vec<Changes>) {
        let journeys = &mut self.journeys;
        journeys.of_customer.push(journeys.starts.len() as u32);
        journeys.starts.push(records as u32);
        (self.journeys, self.changes)
    }
}

impl Journeys {
    /// How many journeys.
    pub(crate) fn len(&self) -> usize {
        self.customer.len()
    }

    /// Journey `j`'s records as a range of record positions.
    pub(crate) fn range(&self, j: usize) -> std::ops::Range<usize> {
        match (self.starts.get(j), self.starts.get(j + 1)) {
            (Some(&start), Some(&end)) => start as usize..end as usize,
            _ => 0..0,
        }
    }
}

/// A segment of a log and its values, as [`InteractionLog::segments`](crate::InteractionLog::segments)
/// lists them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Segment {
    /// The segment's name (`platform`).
    pub name: String,
    /// Its values carried by at least one journey, in order of first appearance in the log.
    pub values: Vec<String>,
}
