//! Sparse LU factorization of `I - Q` for an absorbing Markov chain, on rsparse (CSparse's
//! left-looking LU with partial pivoting and an approximate-minimum-degree column order).

use rsparse::data::{Nmrc, Sprs, Symb};

/// `I - Q` could not be factored: some states never reach an absorbing state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Singular;

/// The LU factors of `I - Q`, solving `(I - Q) x = b` and `(I - Q)ᵀ y = b`.
pub(crate) struct Factors {
    n: usize,
    symbolic: Symb,
    numeric: Nmrc<f64>,
    work: Vec<f64>,
}

impl Factors {
    /// Factors `I - Q` where `rows[i]` lists `(j, Q_ij)`; entries of one row may repeat a
    /// column (they add up).
    ///
    /// Complexity: O(nnz(L) + nnz(U)) flops beyond the ordering, for a sparse chain.
    pub(crate) fn new(rows: &[Vec<(u32, f64)>]) -> Result<Self, Singular> {
        let n = rows.len();
        if n == 0 {
            return Ok(Self {
                n,
                symbolic: Symb::new(),
                numeric: Nmrc::new(),
                work: Vec::new(),
            });
        }
        // Columns of I - Q: entry (i, j) = [i == j] - Q_ij.
        let mut columns: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        for (i, row) in rows.iter().enumerate() {
            for &(j, p) in row {
                columns[j as usize].push((i, -p));
            }
        }
        let nnz: usize = columns.iter().map(|c| c.len() + 1).sum();
        let mut matrix = Sprs::zeros(n, n, nnz);
        let mut at = 0;
        for (j, column) in columns.iter_mut().enumerate() {
            matrix.p[j] = at as isize;
            column.push((j, 1.0));
            column.sort_unstable_by_key(|e| e.0);
            let mut k = 0;
            while k < column.len() {
                let (i, mut value) = column[k];
                k += 1;
                while k < column.len() && column[k].0 == i {
                    value += column[k].1;
                    k += 1;
                }
                matrix.i[at] = i;
                matrix.x[at] = value;
                at += 1;
            }
        }
        matrix.p[n] = at as isize;
        matrix.nzmax = at;
        matrix.i.truncate(at);
        matrix.x.truncate(at);
        // rsparse's minimum-degree ordering needs three columns or more (its dense-row
        // threshold is n - 2); smaller systems keep the natural order.
        let order = if n >= 3 { 1 } else { -1 };
        let mut symbolic = rsparse::sqr(&matrix, order, false);
        let numeric = rsparse::lu(&matrix, &mut symbolic, 1.0).map_err(|_| Singular)?;
        // A pivot that cancelled to rounding noise means a closed class of states.
        let u = &numeric.u;
        for j in 0..n {
            let last = u.p[j + 1] as usize - 1;
            if u.x[last].abs() < 1e-12 {
                return Err(Singular);
            }
        }
        Ok(Self {
            n,
            symbolic,
            numeric,
            work: vec![0.0; n],
        })
    }

    /// Overwrites `b` with `(I - Q)⁻¹ b`.
    pub(crate) fn solve(&mut self, b: &mut [f64]) {
        if self.n == 0 {
            return;
        }
        let x = &mut self.work;
        match &self.numeric.pinv {
            Some(pinv) => {
                for k in 0..self.n {
                    x[pinv[k] as usize] = b[k];
                }
            }
            None => x.copy_from_slice(b),
        }
        rsparse::lsolve(&self.numeric.l, x);
        rsparse::usolve(&self.numeric.u, x);
        match &self.symbolic.q {
            Some(q) => {
                for k in 0..self.n {
                    b[q[k] as usize] = x[k];
                }
            }
            None => b.copy_from_slice(x),
        }
    }

    /// Overwrites `b` with `(I - Q)⁻ᵀ b`.
    pub(crate) fn solve_transposed(&mut self, b: &mut [f64]) {
        if self.n == 0 {
            return;
        }
        let z = &mut self.work;
        match &self.symbolic.q {
            Some(q) => {
                for k in 0..self.n {
                    z[k] = b[q[k] as usize];
                }
            }
            None => z.copy_from_slice(b),
        }
        rsparse::utsolve(&self.numeric.u, z);
        rsparse::ltsolve(&self.numeric.l, z);
        match &self.numeric.pinv {
            Some(pinv) => {
                for k in 0..self.n {
                    b[k] = z[pinv[k] as usize];
                }
            }
            None => b.copy_from_slice(z),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dense Gaussian elimination with partial pivoting: the reference.
    #[allow(clippy::needless_range_loop)]
    fn dense_solve(rows: &[Vec<(u32, f64)>], b: &[f64], transposed: bool) -> Vec<f64> {
        let n = rows.len();
        let mut a = vec![vec![0.0; n + 1]; n];
        for i in 0..n {
            a[i][i] = 1.0;
        }
        for (i, row) in rows.iter().enumerate() {
            for &(j, p) in row {
                let (r, c) = if transposed {
                    (j as usize, i)
                } else {
                    (i, j as usize)
                };
                a[r][c] -= p;
            }
        }
        for i in 0..n {
            a[i][n] = b[i];
        }
        for k in 0..n {
            let pivot = (k..n)
                .max_by(|&x, &y| a[x][k].abs().total_cmp(&a[y][k].abs()))
                .unwrap();
            a.swap(k, pivot);
            for i in k + 1..n {
                let f = a[i][k] / a[k][k];
                for j in k..=n {
                    a[i][j] -= f * a[k][j];
                }
            }
        }
        let mut x = vec![0.0; n];
        for i in (0..n).rev() {
            let s: f64 = (i + 1..n).map(|j| a[i][j] * x[j]).sum();
            x[i] = (a[i][n] - s) / a[i][i];
        }
        x
    }

    /// Solves `rows` in both directions and returns the largest relative gap to the dense
    /// reference.
    fn gap_to_dense(rows: &[Vec<(u32, f64)>], b: &[f64]) -> f64 {
        let mut factors = Factors::new(rows).unwrap();
        let mut gap = 0.0_f64;
        for transposed in [false, true] {
            let mut x = b.to_vec();
            if transposed {
                factors.solve_transposed(&mut x);
            } else {
                factors.solve(&mut x);
            }
            let reference = dense_solve(rows, b, transposed);
            for (a, r) in x.iter().zip(&reference) {
                gap = gap.max((a - r).abs() / (1.0 + r.abs()));
            }
        }
        gap
    }

    #[test]
    fn solves_agree_with_dense_elimination() {
        let rows = vec![
            vec![(1, 0.5), (2, 0.25)],
            vec![(0, 0.2), (3, 0.6), (1, 0.1)],
            vec![(3, 0.3)],
            vec![(1, 0.4), (2, 0.1), (4, 0.2)],
            vec![(0, 0.3)],
        ];
        let b = [0.1, 0.7, 0.2, 0.05, 0.9];
        assert!(gap_to_dense(&rows, &b) < 1e-12);
    }

    #[test]
    fn chains_of_every_small_size_agree_with_dense_elimination() {
        for n in 1..12_u32 {
            // Each state moves to two others (or itself) and keeps a way out.
            let rows: Vec<Vec<(u32, f64)>> = (0..n)
                .map(|i| {
                    vec![
                        ((i * 7 + 1) % n, 0.3),
                        ((i * 3 + 2) % n, 0.25 + 0.01 * f64::from(i)),
                    ]
                })
                .collect();
            let b: Vec<f64> = (0..n).map(|i| 0.1 + f64::from(i) * 0.05).collect();
            assert!(gap_to_dense(&rows, &b) < 1e-12, "n = {n}");
        }
    }

    proptest::proptest! {
        /// Any substochastic chain with a way out from every state solves as dense
        /// elimination does, in both directions, without a panic.
        #[test]
        fn random_chains_agree_with_dense_elimination(
            n in 1_usize..40,
            edges in proptest::collection::vec((0_usize..40, 0_usize..40, 0.01_f64..1.0), 0..160),
        ) {
            let mut rows: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
            for (from, to, weight) in edges {
                rows[from % n].push(((to % n) as u32, weight));
            }
            // Scale each row to a total of at most 0.9: every state leaks to absorption.
            for row in &mut rows {
                let total: f64 = row.iter().map(|e| e.1).sum();
                if total > 0.9 {
                    for e in row.iter_mut() {
                        e.1 *= 0.9 / total;
                    }
                }
            }
            let b: Vec<f64> = (0..n).map(|i| 1.0 / (1.0 + i as f64)).collect();
            proptest::prop_assert!(gap_to_dense(&rows, &b) < 1e-9);
        }
    }

    #[test]
    fn a_closed_loop_is_singular() {
        let rows = vec![vec![(1, 1.0)], vec![(0, 1.0)], vec![(0, 0.5)]];
        assert!(Factors::new(&rows).is_err());
    }

    #[test]
    fn an_empty_chain_solves_to_nothing() {
        let mut factors = Factors::new(&[]).unwrap();
        let mut b: Vec<f64> = Vec::new();
        factors.solve(&mut b);
        assert!(b.is_empty());
    }
}
