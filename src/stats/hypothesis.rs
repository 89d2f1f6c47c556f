//! One-sided tests of "worse than the baseline": Fisher's exact test for rates and Welch's
//! t-test for means, plus the moments of a sample they need.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, ContinuousCDF, DiscreteCDF, StudentsT};
use statrs::function::factorial::ln_factorial;

use super::wilson::Interval;

/// The one-sided p-value of Fisher's exact test that a group's rate is higher than another
/// group's: the probability, with the margins fixed, of `x1` or more successes in the first
/// group when both share one rate (hypergeometric upper tail).
///
/// # Arguments
///
/// `x1` successes in `n1` trials against `x2` in `n2`. Counts above their trials are clipped.
///
/// # Returns
///
/// A p-value in `0..=1`; 1 when either group is empty.
///
/// # Complexity
///
/// O(k) for the k terms of the tail that are not negligible (a few standard deviations of the
/// distribution), each O(1).
///
/// # Example
///
/// ```
/// use journey_map::stats::fisher_greater;
///
/// // 12 of 40 gave up here, 40 of 1,000 elsewhere.
/// let p = fisher_greater(12, 40, 40, 1_000);
/// assert!(p < 1e-5);
/// // 2 of 40 against 40 of 1,000 is nothing unusual.
/// assert!(fisher_greater(2, 40, 40, 1_000) > 0.2);
/// ```
pub fn fisher_greater(x1: u64, n1: u64, x2: u64, n2: u64) -> f64 {
    let (x1, x2) = (x1.min(n1), x2.min(n2));
    if n1 == 0 || n2 == 0 {
        return 1.0;
    }
    // X ~ Hypergeometric(population n, successes k, draws n1); P(X >= x1).
    let (n, k) = (n1 + n2, x1 + x2);
    let low = k.saturating_sub(n2);
    let high = k.min(n1);
    if x1 <= low {
        return 1.0;
    }
    let ln_choose = |a: u64, b: u64| ln_factorial(a) - ln_factorial(b) - ln_factorial(a - b);
    let ln_p = |i: u64| ln_choose(k, i) + ln_choose(n - k, n1 - i) - ln_choose(n, n1);
    // P(X = i + 1) / P(X = i).
    let up = |i: u64| {
        ((k - i) as f64 * (n1 - i) as f64) / ((i + 1) as f64 * (n - k - n1 + i + 1) as f64)
    };
    let mean = n1 as f64 * k as f64 / n as f64;
    if x1 as f64 >= mean {
        // Upper tail: terms fall from x1 on.
        let mut term = ln_p(x1).exp();
        let mut sum = term;
        let mut i = x1;
        while i < high {
            term *= up(i);
            sum += term;
            i += 1;
            if term <= sum * 1e-17 {
                break;
            }
        }
        sum.min(1.0)
    } else {
        // 1 - lower tail P(X <= x1 - 1): terms fall from x1 - 1 down.
        let mut term = ln_p(x1 - 1).exp();
        let mut sum = term;
        let mut i = x1 - 1;
        while i > low {
            term /= up(i - 1);
            sum += term;
            i -= 1;
            if term <= sum * 1e-17 {
                break;
            }
        }
        (1.0 - sum).clamp(0.0, 1.0)
    }
}

/// The one-sided p-value of the exact binomial test that a rate is higher than `theta`: the
/// probability of `x` or more successes in `n` trials when each succeeds with probability
/// `theta`.
///
/// # Returns
///
/// A p-value in `0..=1`: 1 when `x` is 0 (after clipping to `n`), when `theta` is 1 or more
/// or NaN; 0 when `theta` is 0 or less and `x > 0`.
///
/// # Complexity
///
/// O(1) (a regularized incomplete beta function).
///
/// # Example
///
/// ```
/// use journey_map::stats::binomial_greater;
///
/// // 40 of 100 gave up here: far more than a rate of 14%.
/// assert!(binomial_greater(40, 100, 0.14) < 1e-9);
/// // 16 of 100 is not.
/// assert!(binomial_greater(16, 100, 0.14) > 0.2);
/// ```
pub fn binomial_greater(x: u64, n: u64, theta: f64) -> f64 {
    let x = x.min(n);
    if x == 0 || theta.is_nan() || theta >= 1.0 {
        return 1.0;
    }
    if theta <= 0.0 {
        return 0.0;
    }
    match Binomial::new(theta, n) {
        Ok(binomial) => binomial.sf(x - 1).clamp(0.0, 1.0),
        Err(_) => 1.0,
    }
}

/// The count, mean and variance of a sample, accumulated from sums so that groups add and
/// subtract exactly enough for tests against "everything else".
///
/// The sums are kept in fixed point (values and squares to 2^-32), so adding, merging and
/// subtracting are exact and do not depend on order: a sample split into parts and merged
/// has the same moments as one pass. Only finite values are kept.
///
/// # Example
///
/// ```
/// use journey_map::stats::Moments;
///
/// let (mut all, mut first, mut second) = (Moments::default(), Moments::default(), Moments::default());
/// for (i, v) in [0.1, 2.5, 3.25, 7.0].into_iter().enumerate() {
///     all.push(v);
///     if i < 2 { first.push(v); } else { second.push(v); }
/// }
/// first.merge(&second);
/// assert_eq!(first, all);
/// assert_eq!(all.count(), 4);
/// assert!((all.mean().unwrap_or(0.0) - 3.2125).abs() < 1e-9);
/// assert_eq!(all.without(&second).count(), 2);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Moments {
    count: u64,
    sum: i128,
    sum_squares: i128,
}

use super::fixed::{SCALE as MOMENT_SCALE, fixed};

impl Moments {
    /// Adds one observation; only finite values are kept. Returns whether it was.
    pub fn push(&mut self, value: f64) -> bool {
        let finite = value.is_finite();
        if finite {
            self.count += 1;
            self.sum = self.sum.saturating_add(fixed(value));
            self.sum_squares = self.sum_squares.saturating_add(fixed(value * value));
        }
        finite
    }

    /// Adds the observations of `other`.
    pub fn merge(&mut self, other: &Moments) {
        self.count += other.count;
        self.sum = self.sum.saturating_add(other.sum);
        self.sum_squares = self.sum_squares.saturating_add(other.sum_squares);
    }

    /// The observations of `self` that are not in `part` (a subset of them).
    pub fn without(&self, part: &Moments) -> Moments {
        Moments {
            count: self.count.saturating_sub(part.count),
            sum: self.sum.saturating_sub(part.sum),
            sum_squares: self.sum_squares.saturating_sub(part.sum_squares),
        }
    }

    /// How many observations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The sum of the observations.
    pub fn sum(&self) -> f64 {
        self.sum as f64 / MOMENT_SCALE
    }

    /// The mean; `None` without observations.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum() / self.count as f64)
    }

    /// The sample variance (n - 1 in the denominator); `None` below two observations.
    pub fn variance(&self) -> Option<f64> {
        let n = self.count as f64;
        (self.count > 1).then(|| {
            let (sum, squares) = (self.sum(), self.sum_squares as f64 / MOMENT_SCALE);
            ((squares - sum * sum / n) / (n - 1.0)).max(0.0)
        })
    }

    /// The 95% t interval of the mean; `None` below two observations.
    pub fn mean_interval(&self) -> Option<Interval> {
        t_interval(self.count, self.mean()?, self.variance()?)
    }
}

/// The 95% t interval of a mean of `count` values with sample variance `variance`; `None`
/// below two values or for a variance that is not finite.
pub(crate) fn t_interval(count: u64, mean: f64, variance: f64) -> Option<Interval> {
    if count < 2 || !variance.is_finite() || !mean.is_finite() {
        return None;
    }
    let t = StudentsT::new(0.0, 1.0, (count - 1) as f64)
        .ok()?
        .inverse_cdf(0.975);
    let half = t * (variance / count as f64).sqrt();
    Some(Interval {
        low: mean - half,
        high: mean + half,
    })
}

/// The one-sided p-value of Welch's t-test that the mean of `a` is higher than the mean of
/// `b`, with the Welch-Satterthwaite degrees of freedom.
///
/// # Returns
///
/// A p-value in `0..=1`; 1 when either sample has fewer than two observations. Two samples
/// without spread give 0 when `a`'s mean is higher, else 1.
///
/// # Complexity
///
/// O(1).
///
/// # Example
///
/// ```
/// use journey_map::stats::{welch_greater, Moments};
///
/// let mut slow = Moments::default();
/// let mut usual = Moments::default();
/// for i in 0..50 {
///     slow.push(10.0 + f64::from(i % 5));
///     usual.push(5.0 + f64::from(i % 5));
/// }
/// assert!(welch_greater(&slow, &usual) < 1e-10);
/// assert!(welch_greater(&usual, &slow) > 0.99);
/// ```
pub fn welch_greater(a: &Moments, b: &Moments) -> f64 {
    welch_greater_by(a, b, 0.0)
}

/// The one-sided p-value of Welch's t-test that the mean of `a` exceeds the mean of `b` by
/// more than `shift`: a test against a minimum effect. See [`welch_greater`].
///
/// # Example
///
/// ```
/// use journey_map::stats::{welch_greater_by, Moments};
///
/// let (mut slow, mut usual) = (Moments::default(), Moments::default());
/// for i in 0..50 {
///     slow.push(10.0 + f64::from(i % 5));
///     usual.push(5.0 + f64::from(i % 5));
/// }
/// // 5 higher: clearly more than 2 higher, not more than 6 higher.
/// assert!(welch_greater_by(&slow, &usual, 2.0) < 1e-10);
/// assert!(welch_greater_by(&slow, &usual, 6.0) > 0.99);
/// ```
pub fn welch_greater_by(a: &Moments, b: &Moments, shift: f64) -> f64 {
    let (Some(ma), Some(va), Some(mb), Some(vb)) = (a.mean(), a.variance(), b.mean(), b.variance())
    else {
        return 1.0;
    };
    let (na, nb) = (a.count as f64, b.count as f64);
    let (sa, sb) = (va / na, vb / nb);
    let se = (sa + sb).sqrt();
    if se <= 0.0 || !se.is_finite() {
        return if ma - mb > shift { 0.0 } else { 1.0 };
    }
    let t = (ma - mb - shift) / se;
    let df = (sa + sb).powi(2) / (sa * sa / (na - 1.0) + sb * sb / (nb - 1.0));
    match StudentsT::new(0.0, 1.0, df) {
        Ok(dist) => dist.sf(t).clamp(0.0, 1.0),
        Err(_) => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tail summed term by term from the definition.
    fn fisher_reference(x1: u64, n1: u64, x2: u64, n2: u64) -> f64 {
        let (n, k) = (n1 + n2, x1 + x2);
        let choose = |a: u64, b: u64| -> f64 {
            if b > a {
                return 0.0;
            }
            (ln_factorial(a) - ln_factorial(b) - ln_factorial(a - b)).exp()
        };
        (x1..=k.min(n1))
            .map(|i| choose(k, i) * choose(n - k, n1 - i) / choose(n, n1))
            .sum()
    }

    #[test]
    fn fisher_agrees_with_the_definition_and_a_known_value() {
        // The lady tasting tea: 3 of 4 right against 1 of 4, one-sided p = 17/70.
        assert!((fisher_greater(3, 4, 1, 4) - 17.0 / 70.0).abs() < 1e-12);
        for (x1, n1, x2, n2) in [
            (0, 10, 5, 10),
            (5, 10, 0, 10),
            (3, 30, 40, 1000),
            (1, 1, 0, 1),
            (10, 10, 10, 10),
            (7, 50, 7, 50),
            (20, 200, 100, 2000),
        ] {
            let (ours, reference) = (
                fisher_greater(x1, n1, x2, n2),
                fisher_reference(x1, n1, x2, n2),
            );
            assert!(
                (ours - reference).abs() < 1e-9,
                "{x1}/{n1} vs {x2}/{n2}: {ours} {reference}"
            );
        }
        assert_eq!(fisher_greater(1, 0, 1, 10), 1.0);
        assert_eq!(fisher_greater(0, 10, 3, 10), 1.0);
    }

    #[test]
    fn fisher_stays_fast_and_finite_on_large_groups() {
        let p = fisher_greater(30_000, 100_000, 200_000, 900_000);
        assert!((0.0..1e-100).contains(&p));
        let p = fisher_greater(22_300, 100_000, 200_000, 900_000);
        assert!(p > 0.01 && p < 1.0, "{p}");
    }

    #[test]
    fn binomial_tail_agrees_with_the_definition() {
        let choose =
            |n: u64, k: u64| (ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k)).exp();
        for (x, n, theta) in [
            (3_u64, 10_u64, 0.2_f64),
            (0, 5, 0.5),
            (5, 5, 0.5),
            (12, 30, 0.14),
            (1, 1, 0.3),
        ] {
            let reference: f64 = (x..=n)
                .map(|i| choose(n, i) * theta.powi(i as i32) * (1.0 - theta).powi((n - i) as i32))
                .sum();
            let ours = binomial_greater(x, n, theta);
            assert!(
                (ours - reference.min(1.0)).abs() < 1e-9,
                "{x}/{n} at {theta}: {ours} {reference}"
            );
        }
        assert_eq!(binomial_greater(3, 10, 0.0), 0.0);
        assert_eq!(binomial_greater(3, 10, 1.0), 1.0);
        assert_eq!(binomial_greater(3, 10, f64::NAN), 1.0);
        assert_eq!(binomial_greater(0, 0, 0.5), 1.0);
    }

    #[test]
    fn welch_handles_degenerate_samples() {
        let mut one = Moments::default();
        one.push(3.0);
        let mut flat = Moments::default();
        flat.push(3.0);
        flat.push(3.0);
        let mut higher = Moments::default();
        higher.push(4.0);
        higher.push(4.0);
        assert_eq!(welch_greater(&one, &flat), 1.0);
        assert_eq!(welch_greater(&higher, &flat), 0.0);
        assert_eq!(welch_greater(&flat, &higher), 1.0);
        let both = {
            let mut m = flat;
            m.merge(&higher);
            m
        };
        assert_eq!(both.without(&higher), flat);
        assert!(
            flat.mean_interval()
                .is_some_and(|i| i.low == 3.0 && i.high == 3.0)
        );
    }
}
