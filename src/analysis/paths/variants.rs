//! Variants: the distinct touchpoint sequences customers walked.

use serde::{Deserialize, Serialize};

use crate::analysis::layout::Layout;
use crate::analysis::table::SeqTable;
use crate::analysis::{Accumulate, CustomerPath, ShapeMismatch};
use crate::{Fingerprint, Journey, TouchpointId};

/// One distinct touchpoint sequence and the customers who walked it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Variant {
    /// The touchpoints, in the order walked (repeats included).
    pub touchpoints: Vec<TouchpointId>,
    /// How many customers walked exactly this sequence.
    pub customers: u64,
    /// `customers` over all selected customers.
    pub share: f64,
    /// Of those, how many converted.
    pub converted: u64,
}

/// The variants outside the top k, summarised.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VariantTail {
    /// Distinct sequences in the tail.
    pub variants: u64,
    /// Customers who walked one of them.
    pub customers: u64,
    /// `customers` over all selected customers; 0 when nothing was selected.
    pub share: f64,
    /// Of those, how many converted.
    pub converted: u64,
    /// Tail sequences walked by one customer only.
    pub singletons: u64,
}

/// The distinct paths of the selected customers: the top k by customers, and the long tail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Variants {
    /// Selected customers.
    pub customers: u64,
    /// Distinct sequences in all.
    pub distinct: u64,
    /// The most walked sequences, most customers first (ties: shorter, then journey order).
    pub top: Vec<Variant>,
    /// Everything else.
    pub tail: VariantTail,
}

/// The partial state of the variants: every distinct path with its customers and
/// conversions, mergeable across customers (see [`Accumulate`]). `top` is how many variants
/// the report lists.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VariantCounts {
    fingerprint: Fingerprint,
    top: usize,
    customers: u64,
    /// (customers, of whom converted) per distinct path.
    found: SeqTable<(u64, u64)>,
    #[serde(skip)]
    buffer: Vec<u32>,
}

impl VariantCounts {
    /// Adds `customers` who all took `touchpoints`, `converted` of them reaching a goal.
    fn add_path(&mut self, touchpoints: &[crate::TouchpointIndex], customers: u64, converted: u64) {
        if customers == 0 || touchpoints.is_empty() {
            return;
        }
        self.customers += customers;
        self.buffer.clear();
        self.buffer.extend(touchpoints.iter().map(|t| t.as_u32()));
        let tally = self.found.row(&self.buffer, || (0, 0));
        tally.0 += customers;
        tally.1 += converted;
    }

    /// An empty partial state for `journey`, listing the `top` variants.
    pub fn new(journey: &Journey, top: usize) -> Self {
        Self {
            fingerprint: journey.fingerprint(),
            top,
            customers: 0,
            found: SeqTable::default(),
            buffer: Vec::new(),
        }
    }
}

impl Accumulate for VariantCounts {
    type Output = Variants;

    fn add_customer(&mut self, path: &CustomerPath<'_>) {
        self.customers += 1;
        self.buffer.clear();
        self.buffer.extend(path.touchpoints().map(|t| t.as_u32()));
        let tally = self.found.row(&self.buffer, || (0, 0));
        tally.0 += 1;
        tally.1 += u64::from(path.converted());
    }

    /// Makes room for a path per customer (room for paths that turn out to repeat is never
    /// touched, so it costs no memory).
    fn reserve(&mut self, customers: usize, interactions: usize) {
        self.found.reserve(customers, interactions);
    }

    fn merge(&mut self, other: Self) -> Result<(), ShapeMismatch> {
        if (self.fingerprint, self.top) != (other.fingerprint, other.top) {
            return Err(ShapeMismatch);
        }
        self.customers += other.customers;
        self.found.merge(other.found, |a, b| {
            a.0 += b.0;
            a.1 += b.1;
        });
        Ok(())
    }

    /// Complexity: O(V + k log k) to rank the top k of V variants.
    fn finish(self, journey: &Journey) -> Result<Variants, ShapeMismatch> {
        if journey.fingerprint() != self.fingerprint {
            return Err(ShapeMismatch);
        }
        let layout = Layout::of(journey);
        let (customers, top) = (self.customers, self.top);
        let distinct = self.found.len() as u64;
        let mut ranked: Vec<(&[u32], (u64, u64))> = self
            .found
            .rows()
            .map(|(key, &tally)| (key, tally))
            .collect();
        let order = |a: &(&[u32], (u64, u64)), b: &(&[u32], (u64, u64))| {
            b.1.0
                .cmp(&a.1.0)
                .then(a.0.len().cmp(&b.0.len()))
                .then(a.0.cmp(b.0))
        };
        // Only the top k are ranked: partition them off in O(V), then sort them.
        if top < ranked.len() {
            ranked.select_nth_unstable_by(top, order);
        }
        ranked[..top.min(distinct as usize)].sort_unstable_by(order);
        let share = |n: u64| {
            if customers == 0 {
                0.0
            } else {
                n as f64 / customers as f64
            }
        };
        let mut tail = VariantTail::default();
        for (_, (n, converted)) in ranked.iter().skip(top) {
            tail.variants += 1;
            tail.customers += n;
            tail.converted += converted;
            tail.singletons += u64::from(*n == 1);
        }
        tail.share = share(tail.customers);
        let top = ranked
            .into_iter()
            .take(top)
            .map(|(sequence, (n, converted))| Variant {
                touchpoints: sequence.iter().map(|&t| layout.id(t)).collect(),
                customers: n,
                share: share(n),
                converted,
            })
            .collect();
        Ok(Variants {
            customers,
            distinct,
            top,
            tail,
        })
    }
}

impl Variants {
    /// The variants of aggregated paths: each distinct path with its customers (conversions
    /// and nulls) and conversions, the `top` most common listed.
    ///
    /// # Errors
    ///
    /// [`ShapeMismatch`] when the paths were checked against another journey.
    ///
    /// # Example
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use journey_map::analysis::Variants;
    /// use journey_map::{AggregatedPaths, Journey};
    ///
    /// let journey = Journey::load("examples/data/retail_bank.ron")?;
    /// let csv = "path,conversions,nulls\nsearch-ad > product-page,30,70\nsocial-campaign,0,40\n";
    /// let paths = AggregatedPaths::read_csv(&journey, csv.as_bytes(), " > ")?;
    /// let variants = Variants::from_paths(&journey, &paths, 10)?;
    /// assert_eq!((variants.top[0].customers, variants.top[0].converted), (100, 30));
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_paths(
        journey: &Journey,
        paths: &crate::AggregatedPaths,
        top: usize,
    ) -> Result<Variants, ShapeMismatch> {
        if paths.fingerprint() != journey.fingerprint() {
            return Err(ShapeMismatch);
        }
        let mut counts = VariantCounts::new(journey, top);
        for path in paths.paths() {
            counts.add_path(
                &path.touchpoints,
                path.conversions + path.nulls,
                path.conversions,
            );
        }
        counts.finish(journey)
    }
}
