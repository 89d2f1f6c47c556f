//! Times to an event when some subjects have not had it yet: Kaplan-Meier.

use serde::{Deserialize, Serialize};

/// Observed times to an event (such as converting), where subjects who have not had the event
/// yet are *censored* at the time they were last seen rather than counted as failures. Quantiles
/// come from the Kaplan-Meier estimate; observations merge by concatenation, exactly.
///
/// # Example
///
/// ```
/// use journey_map::stats::TimeToEvent;
///
/// let mut t = TimeToEvent::default();
/// t.push(1.0, true);   // converted after 1 day
/// t.push(2.0, false);  // seen for 2 days, not converted yet
/// t.push(3.0, true);
/// t.push(4.0, true);
/// // S(1) = 3/4; S(3) = 3/4 * 1/2 = 3/8, so half have converted by day 3.
/// assert_eq!(t.quantile(0.5), Some(3.0));
/// // Nobody is left at risk after day 4 and everyone converted by then.
/// assert_eq!(t.quantile(0.9), Some(4.0));
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TimeToEvent {
    observations: Vec<(f64, bool)>,
}

/// Two sets of observations are equal when they hold the same observations, in any order.
impl PartialEq for TimeToEvent {
    fn eq(&self, other: &Self) -> bool {
        let sorted = |t: &TimeToEvent| {
            let mut o = t.observations.clone();
            o.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            o
        };
        self.observations.len() == other.observations.len() && sorted(self) == sorted(other)
    }
}

impl TimeToEvent {
    /// Records one subject: the time to its event, or to when it was last seen when
    /// `happened` is false. Only finite, non-negative times are kept; returns whether it was.
    pub fn push(&mut self, time: f64, happened: bool) -> bool {
        let kept = time.is_finite() && time >= 0.0;
        if kept {
            self.observations.push((time, happened));
        }
        kept
    }

    /// Adds every observation of `other`.
    pub fn merge(&mut self, other: TimeToEvent) {
        self.observations.extend(other.observations);
    }

    /// How many subjects.
    pub fn len(&self) -> usize {
        self.observations.len()
    }

    /// Whether there is no subject.
    pub fn is_empty(&self) -> bool {
        self.observations.is_empty()
    }

    /// How many subjects had the event.
    pub fn events(&self) -> usize {
        self.observations.iter().filter(|o| o.1).count()
    }

    /// The earliest time by which a share `q` (in `0..=1`) of subjects is estimated to have had
    /// the event; `None` when the estimate never reaches `q` (too few events, or too much
    /// censoring) or there is no subject. At equal times, events count before censorings.
    ///
    /// # Complexity
    ///
    /// O(n log n).
    pub fn quantile(&self, q: f64) -> Option<f64> {
        self.quantiles(&[q])[0]
    }

    /// [`TimeToEvent::quantile`] of each share in `qs`, from one sort of the observations.
    ///
    /// # Complexity
    ///
    /// O(n log n + k) for k shares.
    ///
    /// # Example
    ///
    /// ```
    /// use journey_map::stats::TimeToEvent;
    ///
    /// let mut t = TimeToEvent::default();
    /// for time in [5.0, 1.0, 3.0, 2.0, 4.0] {
    ///     t.push(time, true);
    /// }
    /// assert_eq!(t.quantiles(&[0.5, 0.9, 2.0]), [Some(3.0), Some(5.0), None]);
    /// ```
    pub fn quantiles(&self, qs: &[f64]) -> Vec<Option<f64>> {
        let mut found: Vec<Option<f64>> = vec![None; qs.len()];
        let mut wanted: Vec<usize> = (0..qs.len())
            .filter(|&i| (0.0..=1.0).contains(&qs[i]))
            .collect();
        if wanted.is_empty() {
            return found;
        }
        // Smallest share first: the estimate rises with time.
        wanted.sort_by(|&a, &b| qs[a].total_cmp(&qs[b]));
        let mut sorted = self.observations.clone();
        // Events (true) before censorings (false) at the same time; a radix sort (times are
        // finite, so its order is `total_cmp`'s).
        radsort::sort_by_key(&mut sorted, |o| (o.0, u8::from(!o.1)));
        let mut at_risk = sorted.len() as f64;
        let mut survival = 1.0_f64;
        let (mut i, mut next) = (0, 0);
        while i < sorted.len() && next < wanted.len() {
            let time = sorted[i].0;
            let mut events = 0.0;
            let mut leaving = 0.0;
            while i < sorted.len() && sorted[i].0 == time {
                events += f64::from(u8::from(sorted[i].1));
                leaving += 1.0;
                i += 1;
            }
            if events > 0.0 {
                survival *= 1.0 - events / at_risk;
                while next < wanted.len() && 1.0 - survival >= qs[wanted[next]] - 1e-12 {
                    found[wanted[next]] = Some(time);
                    next += 1;
                }
            }
            at_risk -= leaving;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_censoring_it_is_the_empirical_quantile() {
        let mut t = TimeToEvent::default();
        for time in [5.0, 1.0, 3.0, 2.0, 4.0] {
            t.push(time, true);
        }
        assert_eq!(t.quantile(0.2), Some(1.0));
        assert_eq!(t.quantile(0.5), Some(3.0));
        assert_eq!(t.quantile(0.9), Some(5.0));
    }

    #[test]
    fn too_much_censoring_leaves_quantiles_absent() {
        let mut t = TimeToEvent::default();
        t.push(1.0, true);
        for _ in 0..9 {
            t.push(10.0, false);
        }
        assert_eq!(t.quantile(0.1), Some(1.0));
        assert_eq!(t.quantile(0.5), None);
        assert_eq!(TimeToEvent::default().quantile(0.5), None);
        assert!(!t.push(f64::NAN, true) && !t.push(-1.0, true));
        assert_eq!((t.len(), t.events()), (10, 1));
    }
}
