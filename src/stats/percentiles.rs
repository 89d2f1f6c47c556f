//! Exact, mergeable distributions of durations, and exact, mergeable means.

use serde::{Deserialize, Serialize};

/// Durations (waits, handling times, times to resolution) kept whole, to the millisecond, so
/// that percentiles are exact and two sets merge into the one a single pass would give.
///
/// Percentiles interpolate linearly between the two nearest ranks (the method numpy and R use
/// by default, "type 7"): the p-th percentile of sorted values `x[0..n]` is
/// `x[i] + f * (x[i+1] - x[i])` where `i + f = p * (n - 1)`. Nothing is sketched, so the only
/// error is the rounding of each duration to the millisecond. The mean is an integer sum, so
/// it does not depend on how values were split and merged. Memory is 4 bytes a value below
/// 2^32 ms (49.7 days), 8 bytes a longer one.
///
/// Merging moves the other set's storage instead of copying its values (large sets are kept
/// as they came), so merging partial results costs O(1) per large part.
///
/// # Example
///
/// ```
/// use journey_map::stats::Durations;
///
/// let mut waits = Durations::default();
/// for seconds in [30, 10, 20, 40] {
///     waits.push_millis(seconds * 1000);
/// }
/// let mut more = Durations::default();
/// more.push_millis(50_000);
/// waits.merge(more);
/// let summary = waits.summary().ok_or("empty")?;
/// assert_eq!((summary.count, summary.mean, summary.median), (5, 30.0, 30.0));
/// assert_eq!(summary.p90, 46.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Durations {
    /// The values pushed here below 2^32 ms, and small merged sets.
    open: Vec<u32>,
    /// Large sets merged in, kept as they came: a merge moves them instead of copying.
    sealed: Vec<Vec<u32>>,
    /// Durations of 2^32 ms (49.7 days) or more: rare, kept apart at full width.
    long: Vec<u64>,
}

/// Sets smaller than this are copied into the open chunk when merged, so that many small merges
/// do not leave many small chunks.
const SMALL_CHUNK: usize = 4096;

/// Two sets of durations are equal when they hold the same values, in any order.
impl PartialEq for Durations {
    fn eq(&self, other: &Self) -> bool {
        if self.len() != other.len() {
            return false;
        }
        let (mut mine, mut theirs) = (self.flat(), other.flat());
        mine.sort_unstable();
        theirs.sort_unstable();
        mine == theirs
    }
}

/// The serialized form: every value, in milliseconds.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Durations")]
struct Flat {
    millis: Vec<u64>,
}

impl Serialize for Durations {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Flat {
            millis: self.flat(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Durations {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Flat { millis } = Flat::deserialize(deserializer)?;
        let mut durations = Durations::default();
        durations.open.reserve(millis.len());
        for value in millis {
            durations.push_millis(value);
        }
        Ok(durations)
    }
}

/// Count, mean and percentiles of [`Durations`], in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// How many values: the sample size.
    pub count: u64,
    /// The arithmetic mean.
    pub mean: f64,
    /// The 50th percentile.
    pub median: f64,
    /// The 90th percentile.
    pub p90: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
}

impl Durations {
    /// Adds a duration in milliseconds.
    pub fn push_millis(&mut self, millis: u64) {
        match u32::try_from(millis) {
            Ok(short) => self.open.push(short),
            Err(_) => self.long.push(millis),
        }
    }

    /// Adds every duration of `other`, moving its storage rather than copying large parts.
    pub fn merge(&mut self, other: Durations) {
        let Durations { open, sealed, long } = other;
        for chunk in std::iter::once(open).chain(sealed) {
            if chunk.len() < SMALL_CHUNK {
                self.open.extend_from_slice(&chunk);
            } else {
                self.sealed.push(chunk);
            }
        }
        self.long.extend_from_slice(&long);
    }

    /// How many durations.
    pub fn len(&self) -> usize {
        self.open.len() + self.sealed.iter().map(Vec::len).sum::<usize>() + self.long.len()
    }

    /// Whether there is no duration.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every value, copied into one list.
    fn flat(&self) -> Vec<u64> {
        let mut all = Vec::with_capacity(self.len());
        for chunk in std::iter::once(&self.open).chain(&self.sealed) {
            all.extend(chunk.iter().map(|&v| u64::from(v)));
        }
        all.extend_from_slice(&self.long);
        all
    }

    /// The p-th percentile in seconds, for `p` in `0..=1`; `None` when empty or `p` is outside
    /// `0..=1`. Sorts the values.
    ///
    /// # Complexity
    ///
    /// O(n): a radix sort, then binary searches.
    pub fn percentile(&mut self, p: f64) -> Option<f64> {
        if self.is_empty() || !(0.0..=1.0).contains(&p) {
            return None;
        }
        self.sort();
        let parts: Vec<SortedPart<'_>> = self.sorted_parts().collect();
        let n = parts.iter().map(SortedPart::len).sum();
        let bounds = bounds(&parts);
        Some(type7(n, p, |below| pair_at(&parts, n, below, bounds)) / 1000.0)
    }

    /// Count, mean, median, p90, min and max in seconds; `None` when empty. Sorts the values.
    ///
    /// # Complexity
    ///
    /// O(n): a radix sort, then binary searches.
    pub fn summary(&mut self) -> Option<Summary> {
        if self.is_empty() {
            return None;
        }
        self.sort();
        summary_of_sorted(&self.sorted_parts().collect::<Vec<_>>())
    }
}

/// Sorted durations and their sum: one part of a union that [`summary_of_sorted`] summarises
/// without copying the parts together.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SortedPart<'a> {
    values: Sorted<'a>,
    sum: u128,
}

/// The values of a [`SortedPart`], at the width they are stored.
#[derive(Debug, Clone, Copy)]
enum Sorted<'a> {
    Short(&'a [u32]),
    Long(&'a [u64]),
}

impl SortedPart<'_> {
    fn len(&self) -> usize {
        match self.values {
            Sorted::Short(values) => values.len(),
            Sorted::Long(values) => values.len(),
        }
    }

    /// The k-th smallest value (from 0).
    fn at(&self, k: usize) -> u64 {
        match self.values {
            Sorted::Short(values) => u64::from(values[k]),
            Sorted::Long(values) => values[k],
        }
    }

    /// How many values are at most `v`.
    fn at_or_below(&self, v: u64) -> usize {
        match self.values {
            Sorted::Short(values) => match u32::try_from(v) {
                Ok(v) => values.partition_point(|&x| x <= v),
                Err(_) => values.len(),
            },
            Sorted::Long(values) => values.partition_point(|&x| x <= v),
        }
    }
}

impl Durations {
    /// Sorts the values, so that [`Durations::sorted_parts`] can lend them.
    pub(crate) fn sort(&mut self) {
        for chunk in std::iter::once(&mut self.open).chain(&mut self.sealed) {
            if chunk.len() > 64 {
                radsort::sort(chunk);
            } else {
                chunk.sort_unstable();
            }
        }
        self.long.sort_unstable();
    }

    /// The sorted parts of the values, which must have been sorted by [`Durations::sort`], with
    /// their sums.
    pub(crate) fn sorted_parts(&self) -> impl Iterator<Item = SortedPart<'_>> {
        let short = std::iter::once(&self.open)
            .chain(&self.sealed)
            .filter(|c| !c.is_empty())
            .map(|chunk| {
                debug_assert!(chunk.is_sorted());
                SortedPart {
                    values: Sorted::Short(chunk),
                    sum: chunk.iter().map(|&v| u128::from(v)).sum(),
                }
            });
        let long = (!self.long.is_empty()).then(|| {
            debug_assert!(self.long.is_sorted());
            SortedPart {
                values: Sorted::Long(&self.long),
                sum: self.long.iter().map(|&v| u128::from(v)).sum(),
            }
        });
        short.chain(long)
    }
}

/// The k-th smallest value (from 0) of the union of `parts` (`k` below its size), between
/// `min` and `max`: the smallest value `v` with more than `k` values at or below it, found by
/// bisecting the range of values and counting in each part by binary search.
fn kth(parts: &[SortedPart<'_>], k: usize, min: u64, max: u64) -> u64 {
    if let [only] = parts {
        return only.at(k);
    }
    let (mut low, mut high) = (min, max);
    while low < high {
        let mid = low + (high - low) / 2;
        let at_or_below: usize = parts.iter().map(|p| p.at_or_below(mid)).sum();
        if at_or_below > k {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    low
}

/// The smallest and largest value of the union of `parts` ((0, 0) when empty).
fn bounds(parts: &[SortedPart<'_>]) -> (u64, u64) {
    let nonempty = || parts.iter().filter(|p| p.len() > 0);
    let min = nonempty().map(|p| p.at(0)).min().unwrap_or(0);
    let max = nonempty().map(|p| p.at(p.len() - 1)).max().unwrap_or(0);
    (min, max)
}

/// The values at rank `below` and the next one (the same value twice at the last rank) of the
/// union of `parts`, which holds `n > 0` values between `min` and `max`.
fn pair_at(parts: &[SortedPart<'_>], n: usize, below: usize, (min, max): (u64, u64)) -> (u64, u64) {
    let low = kth(parts, below, min, max);
    (
        low,
        if below + 1 < n {
            kth(parts, below + 1, low, max)
        } else {
            low
        },
    )
}

/// The summary [`Durations::summary`] gives of all `parts` together, found without merging
/// them (see [`kth`]).
///
/// # Complexity
///
/// O(m log n log V) for m parts of at most n values spanning a range of V milliseconds.
pub(crate) fn summary_of_sorted(parts: &[SortedPart<'_>]) -> Option<Summary> {
    let n: usize = parts.iter().map(SortedPart::len).sum();
    if n == 0 {
        return None;
    }
    let (min, max) = bounds(parts);
    let sum: u128 = parts.iter().map(|p| p.sum).sum();
    let percentile = |p: f64| type7(n, p, |below| pair_at(parts, n, below, (min, max)));
    Some(Summary {
        count: n as u64,
        mean: sum as f64 / n as f64 / 1000.0,
        median: percentile(0.5) / 1000.0,
        p90: percentile(0.9) / 1000.0,
        min: min as f64 / 1000.0,
        max: max as f64 / 1000.0,
    })
}

/// The p-th percentile of `n > 0` sorted values by linear interpolation between the two
/// nearest ranks (type 7), given the values at rank `below` and the next (`pair(below)`; the
/// same value twice at the last rank).
fn type7(n: usize, p: f64, pair: impl FnOnce(usize) -> (u64, u64)) -> f64 {
    let rank = p * (n - 1) as f64;
    let below = rank.floor() as usize;
    let fraction = rank - below as f64;
    let (low, high) = pair(below);
    low as f64 + fraction * (high as f64 - low as f64)
}

/// A mean that merges exactly: values are summed as integers in units of 2^-32, so the sum
/// does not depend on order, and each value is rounded by at most 2^-33 (about 1.2e-10).
///
/// Values of magnitude up to [`Mean::MAX`] (2^40, about 1.1e12) are kept, so that no count of
/// values a machine can hold overflows the sum; [`push`](Mean::push) refuses larger ones.
///
/// # Example
///
/// ```
/// use journey_map::stats::Mean;
///
/// let mut sentiment = Mean::default();
/// sentiment.push(0.5);
/// sentiment.push(-0.25);
/// assert_eq!((sentiment.count(), sentiment.mean()), (2, Some(0.125)));
/// assert_eq!(Mean::default().mean(), None);
/// // Beyond ±2^40 a value is refused, so sums never overflow.
/// assert!(!sentiment.push(1e38));
/// assert!(!sentiment.push(f64::NAN));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mean {
    count: u64,
    sum: i128,
}

impl Mean {
    /// The largest magnitude of a value kept: 2^40.
    pub const MAX: f64 = 1_099_511_627_776.0;

    /// Adds a value; only values within ±[`Mean::MAX`] are kept (never NaN or infinity).
    /// Returns whether it was.
    pub fn push(&mut self, value: f64) -> bool {
        let kept = value.abs() <= Self::MAX;
        if kept {
            self.count += 1;
            self.sum = self.sum.saturating_add(super::fixed::fixed(value));
        }
        kept
    }

    /// Adds every value of `other`. Sums saturate rather than wrap: only states that were not
    /// built by `push` (a hand-edited serialization) can come near the limit.
    pub fn merge(&mut self, other: Mean) {
        self.count = self.count.saturating_add(other.count);
        self.sum = self.sum.saturating_add(other.sum);
    }

    /// How many values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The mean; `None` when there is no value.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / super::fixed::SCALE / self.count as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_match_numpy() {
        // numpy.percentile([1, 2, ..., 10], [50, 90]) == [5.5, 9.1]
        let mut d = Durations::default();
        for v in (1..=10).rev() {
            d.push_millis(v * 1000);
        }
        assert_eq!(d.percentile(0.5), Some(5.5));
        assert!((d.percentile(0.9).unwrap() - 9.1).abs() < 1e-12);
        assert_eq!(d.percentile(0.0), Some(1.0));
        assert_eq!(d.percentile(1.0), Some(10.0));
        assert_eq!(d.percentile(1.5), None);
        let mut one = Durations::default();
        one.push_millis(7_000);
        assert_eq!(
            one.summary().map(|s| (s.median, s.p90, s.min, s.max)),
            Some((7.0, 7.0, 7.0, 7.0))
        );
        assert_eq!(Durations::default().summary(), None);
    }

    #[test]
    fn summaries_of_sorted_parts_equal_the_summary_of_their_union() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for round in 0..200 {
            let parts = 1 + next(6) as usize;
            // The last spread puts about three values in four beyond 32 bits.
            let spread = [1, 10, 1_000, u64::from(u32::MAX), 1 << 34][round % 5];
            let mut all = Durations::default();
            let mut pieces: Vec<Durations> = (0..parts)
                .map(|_| {
                    let mut d = Durations::default();
                    for _ in 0..next(40) {
                        d.push_millis(next(spread));
                    }
                    all.merge(d.clone());
                    d
                })
                .collect();
            pieces.iter_mut().for_each(Durations::sort);
            let sorted: Vec<SortedPart<'_>> =
                pieces.iter().flat_map(Durations::sorted_parts).collect();
            let expected = naive_summary(all.flat());
            assert_eq!(summary_of_sorted(&sorted), expected, "round {round}");
            assert_eq!(all.summary(), expected, "round {round}");
            let json = serde_json::to_string(&all).unwrap();
            let mut back: Durations = serde_json::from_str(&json).unwrap();
            assert_eq!(back, all);
            assert_eq!(back.summary(), expected, "round {round}");
        }
        assert_eq!(summary_of_sorted(&[]), None);
    }

    /// The summary by the definition: sort every value, read the ranks.
    fn naive_summary(mut values: Vec<u64>) -> Option<Summary> {
        values.sort_unstable();
        let n = values.len();
        let at = |p: f64| {
            let rank = p * (n - 1) as f64;
            let below = rank.floor() as usize;
            let high = values[(below + 1).min(n - 1)];
            values[below] as f64 + (rank - below as f64) * (high as f64 - values[below] as f64)
        };
        (n > 0).then(|| Summary {
            count: n as u64,
            mean: values.iter().map(|&v| u128::from(v)).sum::<u128>() as f64 / n as f64 / 1000.0,
            median: at(0.5) / 1000.0,
            p90: at(0.9) / 1000.0,
            min: values[0] as f64 / 1000.0,
            max: values[n - 1] as f64 / 1000.0,
        })
    }

    #[test]
    fn means_merge_exactly_in_any_order() {
        let values = [0.1, -0.7, 0.3333, 1.0, -1.0, 0.25];
        let mut whole = Mean::default();
        values.iter().for_each(|&v| {
            whole.push(v);
        });
        let mut a = Mean::default();
        let mut b = Mean::default();
        values[..2].iter().for_each(|&v| {
            a.push(v);
        });
        values[2..].iter().rev().for_each(|&v| {
            b.push(v);
        });
        b.merge(a);
        assert_eq!(b, whole);
        assert!((whole.mean().unwrap() - values.iter().sum::<f64>() / 6.0).abs() < 1e-9);
        assert!(!whole.push(f64::NAN));
    }
}
