//! Rates with Wilson score intervals.

use serde::{Deserialize, Serialize};

/// A closed interval of plausible values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Interval {
    /// The lower end.
    pub low: f64,
    /// The upper end.
    pub high: f64,
}

/// A share of trials that succeeded, with its sample size and a 95% Wilson score interval.
///
/// # Example
///
/// ```
/// use journey_map::stats::Rate;
///
/// let abandoned = Rate::new(3, 20).ok_or("no trials")?;
/// assert_eq!(abandoned.value, 0.15);
/// assert!(abandoned.interval.low < 0.15 && 0.15 < abandoned.interval.high);
/// // Three customers say little: the interval is wide.
/// let tiny = Rate::new(1, 3).ok_or("no trials")?;
/// assert!(tiny.interval.high - tiny.interval.low > 0.5);
/// assert!(Rate::new(0, 0).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rate {
    /// Successes.
    pub successes: u64,
    /// Trials: the sample size.
    pub trials: u64,
    /// `successes / trials`.
    pub value: f64,
    /// The 95% Wilson score interval.
    pub interval: Interval,
}

/// The standard normal quantile for a two-sided 95% interval.
pub(crate) const Z_95: f64 = 1.959_963_984_540_054;

impl Rate {
    /// The rate of `successes` in `trials` with its 95% Wilson interval; `None` when there are
    /// no trials (a rate with no data is absent, never 0) or more successes than trials.
    pub fn new(successes: u64, trials: u64) -> Option<Rate> {
        let interval = wilson(successes, trials, Z_95)?;
        Some(Rate {
            successes,
            trials,
            value: successes as f64 / trials as f64,
            interval,
        })
    }
}

/// The Wilson score interval for `successes` in `trials` at normal quantile `z`.
///
/// # Complexity
///
/// O(1).
pub(crate) fn wilson(successes: u64, trials: u64, z: f64) -> Option<Interval> {
    if trials == 0 || successes > trials {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values: the closed form evaluated separately in Python, to 4 decimals; 0/10
    /// and 50/100 are also the textbook values.
    #[test]
    fn matches_reference_values() {
        let cases = [
            (0, 10, 0.0, 0.2775),
            (10, 10, 0.7225, 1.0),
            (3, 20, 0.0524, 0.3604),
            (50, 100, 0.4038, 0.5962),
            (1, 3, 0.0615, 0.7923),
        ];
        for (k, n, low, high) in cases {
            let i = wilson(k, n, Z_95).unwrap();
            assert!((i.low - low).abs() < 1e-4, "{k}/{n}: {i:?}");
            assert!((i.high - high).abs() < 1e-4, "{k}/{n}: {i:?}");
        }
        assert!(wilson(4, 3, Z_95).is_none());
    }
}
