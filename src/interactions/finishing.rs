//! What finishing a log computes from each customer's records: where they start, the
//! customer's journeys, and the patterns that are almost always a mistake in reading the data.
//!
//! A [`LogBuilder`](super::LogBuilder) computes it customer by customer while records arrive
//! in the log's order (each customer as soon as the next customer's first record arrives,
//! while the records are still in cache), or in one pass over the sorted records when they
//! came in another order. Both give the same result.

use super::IngestWarning;
use super::customers::Customers;
use super::log::Stored;
use super::record::CustomerId;
use super::segments::{Changes, Contexts, Journeys, Splitter};

/// Marks an absent need.
const NONE: u32 = u32::MAX;

/// The per-customer pass of finishing a log.
#[derive(Debug, Clone)]
pub(crate) struct CustomerPass {
    /// Where each customer added so far starts.
    offsets: Vec<u32>,
    splitter: Splitter,
    tally: Tally,
}

/// What the pass gives a finished log.
#[derive(Debug)]
pub(crate) struct Finished {
    /// `offsets[c]..offsets[c + 1]` are customer `c`'s records.
    pub(crate) offsets: Vec<u32>,
    pub(crate) journeys: Journeys,
    /// How the persona (slot 0) and each segment change between a customer's records.
    pub(crate) changes: Vec<Changes>,
    pub(crate) warnings: Vec<IngestWarning>,
}

impl CustomerPass {
    /// Starts a pass over records whose contexts name `segments` segments, splitting journeys
    /// after a silence longer than `gap_ms`, if set.
    pub(crate) fn new(segments: usize, gap_ms: Option<i64>) -> Self {
        CustomerPass {
            offsets: Vec::new(),
            splitter: Splitter::new(segments, gap_ms),
            tally: Tally::default(),
        }
    }

    /// The pass over `records`, sorted by customer and then time.
    ///
    /// Complexity: O(n) for n records, plus O(s) per record with s segments and O(k log k)
    /// per customer with k needs.
    pub(crate) fn of_sorted(
        records: &[Stored],
        contexts: &Contexts,
        segments: usize,
        gap_ms: Option<i64>,
    ) -> Self {
        let mut pass = CustomerPass::new(segments, gap_ms);
        let mut start = 0;
        for mine in records.chunk_by(|a, b| a.customer == b.customer) {
            pass.add_customer(mine[0].customer as usize, start, mine, contexts);
            start += mine.len();
        }
        pass
    }

    /// How many segments and which inactivity gap the pass was started for.
    pub(crate) fn made_for(&self) -> (usize, Option<i64>) {
        self.splitter.made_for()
    }

    /// Adds customer `c`'s records `mine`, which start at record `start`. Customers before
    /// `c` not added yet have no records (a customer is counted before the checks that may
    /// still refuse their only record).
    pub(crate) fn add_customer(
        &mut self,
        c: usize,
        start: usize,
        mine: &[Stored],
        contexts: &Contexts,
    ) {
        while self.offsets.len() < c {
            self.offsets.push(start as u32);
            self.splitter.add_customer(start, &[], contexts);
        }
        self.offsets.push(start as u32);
        self.splitter.add_customer(start, mine, contexts);
        self.tally.add_customer(c, mine);
    }

    /// Finishes the pass over a log of `records` records whose customers are `customers`
    /// (those not added have no records).
    pub(crate) fn finish(
        mut self,
        records: usize,
        customers: &Customers,
        contexts: &Contexts,
    ) -> Finished {
        while self.offsets.len() < customers.len() {
            self.offsets.push(records as u32);
            self.splitter.add_customer(records, &[], contexts);
        }
        self.offsets.push(records as u32);
        let (journeys, changes) = self.splitter.finish(records);
        Finished {
            offsets: self.offsets,
            journeys,
            changes,
            warnings: self.tally.warnings(customers),
        }
    }
}

/// Counts behind the warnings of [`IngestWarning`], customer by customer.
#[derive(Debug, Clone)]
struct Tally {
    records: usize,
    /// The time of the first record.
    first_ms: Option<i64>,
    /// Whether every record so far is at `first_ms`.
    one_time: bool,
    /// Whether every record so far is in 1970.
    in_1970: bool,
    /// Customers with at least two records.
    several: usize,
    /// Of those, customers whose records are all at one time.
    at_one_time: usize,
    /// The customer with the most records, and how many.
    biggest: (usize, usize),
    /// Distinct needs of each customer, summed.
    needs: usize,
    /// Of those, needs with exactly two contacts.
    pairs: usize,
    /// A customer's need ids, sorted to count each need's contacts in O(k log k) for k
    /// records (a scan per record would be quadratic in a customer with many needs).
    keys: Vec<u32>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            records: 0,
            first_ms: None,
            one_time: true,
            in_1970: true,
            several: 0,
            at_one_time: 0,
            biggest: (0, 0),
            needs: 0,
            pairs: 0,
            keys: Vec::new(),
        }
    }
}

/// 1 January 1971 in Unix milliseconds: Unix seconds read as milliseconds land before it
/// (1.7e9 ms is 20 January 1970).
const YEAR_1971_MS: i64 = 31_536_000_000;

impl Tally {
    /// Adds customer `c`'s records, sorted by time.
    ///
    /// Complexity: O(k + m log m) for k records of which m have a need.
    fn add_customer(&mut self, c: usize, mine: &[Stored]) {
        let Some(head) = mine.first() else {
            return;
        };
        self.records += mine.len();
        let first = *self.first_ms.get_or_insert(head.timestamp_ms);
        self.one_time = self.one_time && mine.iter().all(|r| r.timestamp_ms == first);
        self.in_1970 = self.in_1970
            && mine
                .iter()
                .all(|r| (0..YEAR_1971_MS).contains(&r.timestamp_ms));
        if mine.len() > self.biggest.1 {
            self.biggest = (c, mine.len());
        }
        if mine.len() >= 2 {
            self.several += 1;
            self.at_one_time +=
                usize::from(mine.iter().all(|r| r.timestamp_ms == head.timestamp_ms));
        }
        // Needs are kept without a branch per record (whether a record has one is random).
        self.keys.clear();
        self.keys.resize(mine.len(), NONE);
        let mut kept = 0;
        for (slot, record) in mine.iter().enumerate() {
            self.keys[kept.min(slot)] = record.need;
            kept += usize::from(record.need != NONE);
        }
        let keys = &mut self.keys[..kept];
        match *keys {
            [] => {}
            [_] => self.needs += 1,
            [a, b] => {
                self.needs += 1 + usize::from(a != b);
                self.pairs += usize::from(a == b);
            }
            _ => {
                keys.sort_unstable();
                for run in keys.chunk_by(|a, b| a == b) {
                    self.needs += 1;
                    self.pairs += usize::from(run.len() == 2);
                }
            }
        }
    }

    /// The warnings the counts call for.
    fn warnings(&self, customers: &Customers) -> Vec<IngestWarning> {
        let mut warnings = Vec::new();
        let n = self.records;
        if n >= 10 && self.one_time {
            warnings.push(IngestWarning::IdenticalTimestamps { interactions: n });
        }
        if self.several >= 20 && self.at_one_time * 10 >= self.several * 9 && warnings.is_empty() {
            warnings.push(IngestWarning::UnorderedCustomers {
                customers: self.several,
                at_one_time: self.at_one_time,
            });
        }
        let (biggest, biggest_len) = self.biggest;
        if n >= 100 && biggest_len * 2 > n {
            warnings.push(IngestWarning::OneCustomerHoldsMost {
                customer: CustomerId::new(customers.id(biggest as u32)),
                interactions: biggest_len,
                of: n,
            });
        }
        if self.needs >= 20 && self.pairs == self.needs {
            warnings.push(IngestWarning::NeedsAllTwoContacts { needs: self.needs });
        }
        if n >= 20 && self.in_1970 {
            warnings.push(IngestWarning::TimesIn1970 { interactions: n });
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(customer: u32, minute: i64, need: u32) -> Stored {
        Stored {
            timestamp_ms: 1_767_225_600_000 + minute * 60_000,
            customer,
            touchpoint: 0,
            need,
            tags: NONE,
            wait_ms: NONE,
            handling_ms: NONE,
            sentiment: f32::NAN,
            outcome: 0,
            csat: u8::MAX,
            ces: u8::MAX,
            nps: u8::MAX,
            resolved: 2,
            context: NONE,
        }
    }

    #[test]
    fn customers_without_records_get_empty_ranges_wherever_they_are() {
        let mut customers = Customers::default();
        for id in ["a", "b", "c", "d", "e"] {
            let hash = customers.find(id).unwrap_err();
            customers.add_hashed(id, hash).unwrap();
        }
        // b and e were counted but their only records refused; a, c and d have records.
        let records = [
            stored(0, 0, 7),
            stored(0, 5, 7),
            stored(2, 1, NONE),
            stored(3, 2, 7),
        ];
        let contexts = Contexts::default();
        let mut pass = CustomerPass::new(0, Some(60_000));
        pass.add_customer(0, 0, &records[..2], &contexts);
        pass.add_customer(2, 2, &records[2..3], &contexts);
        pass.add_customer(3, 3, &records[3..], &contexts);
        let one_by_one = pass.finish(records.len(), &customers, &contexts);
        assert_eq!(one_by_one.offsets, [0, 2, 2, 3, 4, 4]);
        // a's records are five minutes apart, beyond the one-minute gap: two journeys.
        assert_eq!(one_by_one.journeys.starts, [0, 1, 2, 3, 4]);
        assert_eq!(one_by_one.journeys.of_customer, [0, 2, 2, 3, 4, 4]);
        assert_eq!(one_by_one.journeys.customer, [0, 0, 2, 3]);

        let sorted = CustomerPass::of_sorted(&records, &contexts, 0, Some(60_000)).finish(
            records.len(),
            &customers,
            &contexts,
        );
        assert_eq!(sorted.offsets, one_by_one.offsets);
        assert_eq!(sorted.journeys, one_by_one.journeys);
        assert_eq!(sorted.warnings, one_by_one.warnings);
    }

    #[test]
    fn needs_and_those_with_two_contacts_are_counted_per_customer() {
        let mut tally = Tally::default();
        let (x, y) = (3, 9);
        let customers: [&[u32]; 6] = [
            &[NONE, x, NONE],
            &[x, y],
            &[x, NONE, x],
            &[x, y, NONE, x],
            &[y, x, x, y, NONE],
            &[NONE, NONE],
        ];
        for (c, needs) in customers.iter().enumerate() {
            let mine: Vec<Stored> = needs
                .iter()
                .enumerate()
                .map(|(i, &need)| stored(c as u32, i as i64, need))
                .collect();
            tally.add_customer(c, &mine);
        }
        assert_eq!((tally.needs, tally.pairs), (1 + 2 + 1 + 2 + 2, 1 + 1 + 2));
        assert_eq!(tally.records, 19);
        assert_eq!(tally.biggest, (4, 5));
    }

    #[test]
    fn warnings_count_over_customers_added_one_by_one() {
        let mut customers = Customers::default();
        let mut pass = CustomerPass::new(0, None);
        let contexts = Contexts::default();
        let mut start = 0;
        // 25 customers, each with one need contacted exactly twice, at one time each.
        for c in 0..25_u32 {
            let id = format!("c{c}");
            let hash = customers.find(&id).unwrap_err();
            customers.add_hashed(&id, hash).unwrap();
            let mine = [stored(c, 0, c), stored(c, 0, c)];
            pass.add_customer(c as usize, start, &mine, &contexts);
            start += 2;
        }
        let finished = pass.finish(start, &customers, &contexts);
        assert_eq!(
            finished.warnings,
            [
                IngestWarning::IdenticalTimestamps { interactions: 50 },
                IngestWarning::NeedsAllTwoContacts { needs: 25 },
            ]
        );
    }
}
