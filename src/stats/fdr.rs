//! The Benjamini-Hochberg false discovery rate correction.

/// Benjamini-Hochberg q-values (adjusted p-values) for a family of tests: the smallest false
/// discovery rate at which each test would be called a discovery. Calling every test with
/// `q <= alpha` a discovery keeps the expected share of false discoveries at or below `alpha`
/// (for independent or positively dependent tests).
///
/// # Arguments
///
/// `p`: the p-values of every test in the family, in any order. NaN counts as 1.
///
/// # Returns
///
/// One q-value per p-value, in the same order: `min over j with p_(j) >= p_(i) of
/// p_(j) * m / j`, at most 1, never below the p-value.
///
/// # Complexity
///
/// O(m log m) for m tests.
///
/// # Example
///
/// ```
/// use journey_map::stats::benjamini_hochberg;
///
/// let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005]);
/// assert_eq!(q, vec![0.02, 0.04, 0.04, 0.02]);
/// assert!(benjamini_hochberg(&[]).is_empty());
/// ```
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let clean = |v: f64| if v.is_nan() { 1.0 } else { v.clamp(0.0, 1.0) };
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| clean(p[a]).total_cmp(&clean(p[b])).then(a.cmp(&b)));
    let mut q = vec![1.0; m];
    let mut running = 1.0_f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(clean(p[i]) * m as f64 / (rank + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_hand_computed_family() {
        // Sorted p: 0.001 0.008 0.039 0.041 0.042 0.06 0.074 0.205 (m = 8).
        let p = [0.042, 0.001, 0.205, 0.039, 0.008, 0.041, 0.074, 0.06];
        let q = benjamini_hochberg(&p);
        let expected = [
            0.0672,
            0.008,
            0.205,
            0.0672,
            0.032,
            0.0672,
            0.08457142857142857,
            0.08,
        ];
        for (a, b) in q.iter().zip(expected) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
        assert_eq!(benjamini_hochberg(&[f64::NAN, 0.5]), vec![1.0, 1.0]);
    }
}
