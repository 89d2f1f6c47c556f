//! Exact, mergeable distributions of durations and scores.

use serde::{Deserialize, Serialize};

/// The values of one measure (waits, handling times, scores), kept whole so that its
/// percentiles are exact and two distributions merge into the one a single pass would give.
///
/// Percentiles interpolate linearly between the two nearest ranks (the method numpy and R use
/// by default, "type 7"): the p-th percentile of sorted values `x[0..n]` is
/// `x[i] + f * (x[i+1] - x[i])` where `i + f = p * (n - 1)`. The error is zero: nothing is
/// sketched. Memory is 8 bytes a value.
///
/// # Example
///
/// ```
/// use journey_map::stats::Distribution;
///
/// let mut waits = Distribution::default();
/// for seconds in [30.0, 10.0, 20.0, 40.0] {
///     waits.push(seconds);
/// }
/// let mut more = Distribution::default();
/// more.push(50.0);
/// waits.merge(more);
/// let summary = waits.summary().ok_or("empty")?;
/// assert_eq!((summary.count, summary.mean, summary.median), (5, 30.0, 30.0));
/// assert_eq!(summary.p90, 46.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Distribution {
    values: Vec<f64>,
}

/// Two distributions are equal when they hold the same values, in any order.
impl PartialEq for Distribution {
    fn eq(&self, other: &Self) -> bool {
        if self.values.len() != other.values.len() {
            return false;
        }
        let mut mine = self.values.clone();
        let mut theirs = other.values.clone();
        mine.sort_unstable_by(f64::total_cmp);
        theirs.sort_unstable_by(f64::total_cmp);
        mine == theirs
    }
}

/// Count, mean and percentiles of a [`Distribution`].
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

impl Distribution {
    /// Adds a value. Only finite values are kept; returns whether `value` was.
    pub fn push(&mut self, value: f64) -> bool {
        let finite = value.is_finite();
        if finite {
            self.values.push(value);
        }
        finite
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: Distribution) {
        self.values.extend(other.values);
    }

    /// How many values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there is no value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The p-th percentile for `p` in `0..=1`; `None` when empty or `p` is outside `0..=1`.
    ///
    /// # Complexity
    ///
    /// O(n log n) the first time after values were added (a sort), O(1) after.
    pub fn percentile(&mut self, p: f64) -> Option<f64> {
        if self.values.is_empty() || !(0.0..=1.0).contains(&p) {
            return None;
        }
        self.sort();
        Some(percentile_of_sorted(&self.values, p))
    }

    /// Count, mean, median, p90, min and max; `None` when empty. The mean is summed in sorted
    /// order, so it does not depend on how the values were split and merged.
    ///
    /// # Complexity
    ///
    /// O(n log n) the first time after values were added (a sort), O(n) after.
    pub fn summary(&mut self) -> Option<Summary> {
        if self.values.is_empty() {
            return None;
        }
        self.sort();
        let values = &self.values;
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        Some(Summary {
            count: values.len() as u64,
            mean,
            median: percentile_of_sorted(values, 0.5),
            p90: percentile_of_sorted(values, 0.9),
            min: values[0],
            max: values[values.len() - 1],
        })
    }

    fn sort(&mut self) {
        if !self.values.is_sorted() {
            self.values.sort_unstable_by(f64::total_cmp);
        }
    }
}

fn percentile_of_sorted(values: &[f64], p: f64) -> f64 {
    let rank = p * (values.len() - 1) as f64;
    let below = rank.floor() as usize;
    let above = (below + 1).min(values.len() - 1);
    let fraction = rank - below as f64;
    values[below] + fraction * (values[above] - values[below])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_match_numpy() {
        // numpy.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [50, 90]) == [5.5, 9.1]
        let mut d = Distribution::default();
        for v in (1..=10).rev() {
            d.push(f64::from(v));
        }
        assert_eq!(d.percentile(0.5), Some(5.5));
        assert!((d.percentile(0.9).unwrap() - 9.1).abs() < 1e-12);
        assert_eq!(d.percentile(0.0), Some(1.0));
        assert_eq!(d.percentile(1.0), Some(10.0));
        assert_eq!(d.percentile(1.5), None);
        assert!(!d.push(f64::NAN));
        assert_eq!(d.len(), 10);
        let mut one = Distribution::default();
        one.push(7.0);
        assert_eq!(one.summary().map(|s| (s.median, s.p90)), Some((7.0, 7.0)));
        assert_eq!(Distribution::default().summary(), None);
    }
}
