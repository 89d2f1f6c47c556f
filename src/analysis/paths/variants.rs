//! Variants: the distinct touchpoint sequences customers walked.

use serde::{Deserialize, Serialize};

use super::filter::Selection;
use crate::TouchpointId;
use crate::model::{FastMap, fast_map};

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

/// (customers, of whom converted) of one variant.
type Tally = (u64, u64);

/// Complexity: O(n) expected for n selected interactions (one hash of each customer's path),
/// plus O(V log V) to rank V variants.
pub(crate) fn variants(selection: &Selection<'_>, top: usize) -> Variants {
    let mut found: FastMap<Box<[u32]>, Tally> = fast_map(1024);
    let mut buffer: Vec<u32> = Vec::new();
    let mut customers = 0_u64;
    for c in 0..selection.customer_count() {
        let Some((path, converted)) = selection.path(c) else {
            continue;
        };
        customers += 1;
        buffer.clear();
        buffer.extend(path.iter().map(|r| r.touchpoint));
        let tally = match found.get_mut(buffer.as_slice()) {
            Some(tally) => tally,
            None => found.entry(buffer.clone().into_boxed_slice()).or_default(),
        };
        tally.0 += 1;
        tally.1 += u64::from(converted);
    }
    let distinct = found.len() as u64;
    let mut ranked: Vec<(Box<[u32]>, Tally)> = found.into_iter().collect();
    ranked.sort_unstable_by(|a, b| {
        b.1.0
            .cmp(&a.1.0)
            .then(a.0.len().cmp(&b.0.len()))
            .then(a.0.cmp(&b.0))
    });
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
            touchpoints: sequence
                .iter()
                .map(|&t| selection.touchpoint_id(t))
                .collect(),
            customers: n,
            share: share(n),
            converted,
        })
        .collect();
    Variants {
        customers,
        distinct,
        top,
        tail,
    }
}
