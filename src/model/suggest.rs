//! "Did you mean" suggestions for unknown ids, bounded in cost.
//!
//! A suggestion is the known id closest to the unknown one by optimal string alignment distance
//! (Levenshtein with adjacent transpositions), when that distance looks like a typo: at most a
//! third of the id's length (at least two edits), never more than [`MAX_EDITS`], and fewer edits
//! than either id has characters.
//!
//! Cost is what keeps hostile input from hanging a load. Three bounds hold:
//! - only candidates whose length is within the edit bound are compared (a length check);
//! - the distance is computed in a band of `2k + 1` cells around the diagonal, with an early exit
//!   when a whole row exceeds the bound: comparing ids of `n` characters costs `O(n·k)`, not
//!   `O(n²)`;
//! - a [`Suggestions`] budget counts every character and cell looked at; once spent, later
//!   unknown ids get no suggestion. Validation gives a budget proportional to the file's ids, so
//!   suggesting for a file of `N` bytes costs `O(N)` in all.

/// The largest number of edits a suggestion may be away from the unknown id.
pub(crate) const MAX_EDITS: usize = 8;

/// A budget for suggesting: calls and work (characters read plus distance cells computed).
#[derive(Debug, Clone)]
pub(crate) struct Suggestions {
    calls_left: usize,
    work_left: u64,
}

impl Suggestions {
    /// A budget of `calls` suggestions and `work` units in all.
    pub(crate) fn new(calls: usize, work: u64) -> Self {
        Self {
            calls_left: calls,
            work_left: work,
        }
    }

    /// A budget for one file: a floor of about four million units plus 512 per byte of its ids,
    /// so the cost of all its suggestions stays linear in its size (a hundred misspelt
    /// 1,000-character references against a hundred such ids all get their suggestion).
    pub(crate) fn for_input(calls: usize, id_bytes: usize) -> Self {
        Self::new(calls, (1 << 22) + 512 * id_bytes as u64)
    }

    /// The candidate closest to `wanted`, if one is close enough and the budget allows looking.
    /// Ties go to the earliest candidate.
    pub(crate) fn closest<'a>(
        &mut self,
        wanted: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<String> {
        if self.calls_left == 0 || self.work_left == 0 {
            return None;
        }
        self.calls_left -= 1;
        let wanted: Vec<char> = wanted.chars().collect();
        self.spend(wanted.len() as u64);
        let limit = (wanted.len() / 3).clamp(2, MAX_EDITS);
        let mut best: Option<(usize, &str)> = None;
        let mut buffer = Vec::new();
        let mut rows = Rows::default();
        for candidate in candidates {
            // The length check reads at most `wanted.len() + limit + 1` characters.
            let bound = wanted.len() + limit + 1;
            buffer.clear();
            buffer.extend(candidate.chars().take(bound));
            if !self.spend(buffer.len() as u64) {
                return None;
            }
            if buffer.len() == bound || buffer.len().abs_diff(wanted.len()) > limit {
                continue;
            }
            let bound = match best {
                Some((distance, _)) => limit.min(distance.saturating_sub(1)),
                None => limit,
            };
            let (distance, work) = rows.bounded_distance(&wanted, &buffer, bound);
            if !self.spend(work) {
                return None;
            }
            if let Some(distance) = distance
                && distance < wanted.len().min(buffer.len())
            {
                best = Some((distance, candidate));
                if distance == 0 {
                    break;
                }
            }
        }
        best.map(|(_, candidate)| candidate.to_owned())
    }

    fn spend(&mut self, work: u64) -> bool {
        if work > self.work_left {
            self.work_left = 0;
            false
        } else {
            self.work_left -= work;
            true
        }
    }
}

/// The candidate closest to `wanted` (see the module docs), for a single unknown id: its cost is
/// linear in the candidates' total length.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    Suggestions::new(1, u64::MAX).closest(wanted, candidates)
}

/// Three reusable rows of the banded distance table.
#[derive(Debug, Default)]
struct Rows {
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Rows {
    /// The optimal string alignment distance between `a` and `b` if it is at most `k`, and the
    /// number of cells computed. Only cells within `k` of the diagonal are computed; a row whose
    /// cells all exceed `k` ends the computation.
    fn bounded_distance(&mut self, a: &[char], b: &[char], k: usize) -> (Option<usize>, u64) {
        let (n, m) = (a.len(), b.len());
        if n.abs_diff(m) > k {
            return (None, 0);
        }
        let far = k + 1;
        for row in [&mut self.before, &mut self.previous, &mut self.current] {
            row.clear();
            row.resize(m + 1, far);
        }
        for (j, cell) in self.previous.iter_mut().enumerate().take(k.min(m) + 1) {
            *cell = j;
        }
        let mut work = 0u64;
        for i in 1..=n {
            let low = i.saturating_sub(k).max(1);
            let high = (i + k).min(m);
            self.current[low - 1] = if low == 1 && i <= k { i } else { far };
            let mut row_min = self.current[low - 1];
            for j in low..=high {
                let substitution = self.previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
                let mut distance = substitution
                    .min(self.previous[j] + 1)
                    .min(self.current[j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    distance = distance.min(self.before[j - 2] + 1);
                }
                let distance = distance.min(far);
                self.current[j] = distance;
                row_min = row_min.min(distance);
            }
            if high < m {
                self.current[high + 1] = far;
            }
            work += (high + 1 - low) as u64;
            if row_min > k {
                return (None, work);
            }
            std::mem::swap(&mut self.before, &mut self.previous);
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        let distance = self.previous[m];
        ((distance <= k).then_some(distance), work)
    }
}

#[cfg(test)]
mod tests {
    use super::{Rows, Suggestions, closest};
    use proptest::prelude::*;

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["onboarding", "purchase", "service"];
        assert_eq!(closest("onbording", ids).as_deref(), Some("onboarding"));
        assert_eq!(closest("purchse", ids).as_deref(), Some("purchase"));
        assert_eq!(closest("retention", ids), None);
        assert_eq!(closest("", ids), None);
        assert_eq!(closest("x", ["s", "t"]), None);
        assert_eq!(closest("by", ["buy"]).as_deref(), Some("buy"));
        assert_eq!(closest("prucahse", ids).as_deref(), Some("purchase"));
    }

    #[test]
    fn ties_go_to_the_earliest_candidate() {
        assert_eq!(closest("cat", ["bat", "hat"]).as_deref(), Some("bat"));
    }

    #[test]
    fn a_spent_budget_suggests_nothing() {
        let mut budget = Suggestions::new(1, u64::MAX);
        assert!(budget.closest("purchse", ["purchase"]).is_some());
        assert!(budget.closest("purchse", ["purchase"]).is_none());
        let mut budget = Suggestions::new(10, 5);
        assert!(budget.closest("purchse", ["purchase"]).is_none());
    }

    #[test]
    fn long_ids_cost_a_band_not_a_square() {
        let id: String = (0..64_000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let mut typo = id.clone();
        typo.replace_range(30_000..30_001, "#");
        let mut rows = Rows::default();
        let a: Vec<char> = typo.chars().collect();
        let b: Vec<char> = id.chars().collect();
        let (distance, work) = rows.bounded_distance(&a, &b, 8);
        assert_eq!(distance, Some(1));
        assert!(work <= 64_000 * 17, "{work} cells");
        // 64,000 characters each side with no common ground stop after the first rows.
        let other: Vec<char> = std::iter::repeat_n('#', 64_000).collect();
        let (distance, work) = rows.bounded_distance(&b, &other, 8);
        assert_eq!(distance, None);
        assert!(work < 1_000, "{work} cells");
    }

    proptest! {
        #[test]
        fn banded_distance_agrees_with_the_full_table(
            a in "[abc]{0,12}",
            b in "[abc]{0,12}",
            k in 0usize..10,
        ) {
            let full = strsim::osa_distance(&a, &b);
            let a: Vec<char> = a.chars().collect();
            let b: Vec<char> = b.chars().collect();
            let (banded, _) = Rows::default().bounded_distance(&a, &b, k);
            prop_assert_eq!(banded, (full <= k).then_some(full));
        }
    }
}
