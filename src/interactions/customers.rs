//! Customer ids interned to dense indices, each id stored once in one arena.

use std::fmt;
use std::hash::BuildHasher;
use std::iter::FusedIterator;
use std::ops::Index;

use crate::model::lookup::same_bytes;

/// The customers of a log in order of first appearance, with a table of their positions.
/// The ids live end to end in one string (an id costs its bytes and an 8-byte end, not an
/// allocation of its own), and each slot of the table keeps 32 bits of its id's hash beside
/// its position (8 bytes a slot), so growing the table never reads an id again and a probe
/// compares strings only when those 32 bits match.
#[derive(Clone, Default)]
pub(crate) struct Customers {
    /// The ids, end to end.
    text: String,
    /// `ends[i]` is where id `i` ends in `text`; it starts where id `i - 1` ends.
    ends: Vec<usize>,
    /// The positions, placed by hash.
    positions: Placed,
    hasher: foldhash::fast::RandomState,
}

impl Customers {
    /// The position of `id`, in O(1).
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        self.find(id).ok()
    }

    /// The position of `id`, or its hash for [`Customers::add_hashed`] when it is not there.
    #[inline]
    pub(crate) fn find(&self, id: &str) -> Result<u32, u32> {
        let hash = self.hash(id.as_bytes());
        self.positions
            .find(hash, |i| same_bytes(self.id(i).as_bytes(), id.as_bytes()))
            .ok_or(hash)
    }

    /// Adds `id`, which must not be there yet and whose hash [`Customers::find`] gave, and
    /// returns its position; `None` when the log already holds `u32::MAX` customers.
    pub(crate) fn add_hashed(&mut self, id: &str, hash: u32) -> Option<u32> {
        debug_assert!(self.get(id).is_none());
        let position = u32::try_from(self.ends.len())
            .ok()
            .filter(|&p| p != u32::MAX)?;
        self.positions.insert(hash, position);
        self.text.push_str(id);
        self.ends.push(self.text.len());
        Some(position)
    }

    /// Loads the table's slots of `ids` into the cache, so that a [`find`](Customers::find)
    /// soon after does not wait for memory: called for the customers of a batch of rows
    /// before the batch is attached. The hashes are taken first and the slots then loaded in
    /// a tight loop, so that the loads are in flight together and memory is waited for about
    /// once for many customers rather than once for each.
    pub(crate) fn warm<'a>(&self, ids: impl Iterator<Item = &'a [u8]>) {
        /// Hashes taken before their slots are loaded.
        const AHEAD: usize = 64;
        let mut hashes = [0_u32; AHEAD];
        let mut taken = 0;
        for id in ids {
            hashes[taken] = self.hash(id);
            taken += 1;
            if taken == AHEAD {
                self.positions.warm(&hashes);
                taken = 0;
            }
        }
        self.positions.warm(&hashes[..taken]);
    }

    /// The 32 bits of `id`'s hash a slot keeps: both halves of foldhash's 64 folded together.
    #[inline]
    fn hash(&self, id: &[u8]) -> u32 {
        let hash = self.hasher.hash_one(id);
        (hash ^ (hash >> 32)) as u32
    }

    /// The id at `position`.
    ///
    /// # Panics
    ///
    /// When `position` is not below [`len`](Self::len).
    #[inline]
    pub(crate) fn id(&self, position: u32) -> &str {
        let i = position as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// Every id, by position.
    pub(crate) fn ids(&self) -> CustomerIds<'_> {
        CustomerIds {
            text: &self.text,
            ends: &self.ends,
        }
    }

    /// How many customers.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Gives back the room reserved for growth.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

/// An open-addressing table of positions with linear probing, each slot keeping 32 bits of
/// its id's hash, that places a hash by its top bits.
///
/// Placing by the top bits keeps the slots in order of hash, so that growing the table is
/// one pass that reads the old slots and writes the new ones front to back (slot `i` moves to
/// about `2i`), not a scatter over the whole table: at a million customers a scatter would
/// wait for memory on every slot. A new id costs one probe of one cache line, which also
/// takes its slot. The table is at most half full, so probes are short. A position `p` is
/// kept as `p + 1`, so that a slot keeping 0 is free and a new table is zeroed memory.
#[derive(Clone, Default)]
struct Placed {
    /// `(hash, position + 1)`, `(_, 0)` when free; empty or a power of two long.
    slots: Vec<(u32, u32)>,
    /// log2 of the slot count (0 while there is none).
    bits: u32,
    /// Slots taken.
    len: usize,
}

impl Placed {
    /// Slots of the first table.
    const FIRST_BITS: u32 = 4;

    /// The slot a hash is placed at first, in a table of `2^bits` slots: its top bits.
    #[inline]
    fn home(hash: u32, bits: u32) -> usize {
        if bits <= 32 {
            (u64::from(hash) >> (32 - bits)) as usize
        } else {
            // Beyond 2^32 slots the hash has too few bits: spread the hashes evenly and let
            // probing fill the gaps.
            (u64::from(hash) << (bits - 32)) as usize
        }
    }

    /// The position whose slot keeps `hash` and for which `is` holds, if any.
    #[inline]
    fn find(&self, hash: u32, is: impl Fn(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = Self::home(hash, self.bits);
        loop {
            let (h, kept) = self.slots[i];
            if kept == 0 {
                return None;
            }
            if h == hash && is(kept - 1) {
                return Some(kept - 1);
            }
            i = (i + 1) & mask;
        }
    }

    /// Loads the cache lines `hashes` are placed at, all loads issued before any is used.
    #[inline]
    fn warm(&self, hashes: &[u32]) {
        if self.slots.is_empty() {
            return;
        }
        let mut any = 0;
        for &hash in hashes {
            any ^= self.slots[Self::home(hash, self.bits)].1;
        }
        std::hint::black_box(any);
    }

    /// Adds `position` under `hash`; `position` must be below `u32::MAX`.
    fn insert(&mut self, hash: u32, position: u32) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        Self::place(&mut self.slots, self.bits, hash, position + 1);
        self.len += 1;
    }

    /// Puts `(hash, kept)` in the first free slot from its home.
    #[inline]
    fn place(slots: &mut [(u32, u32)], bits: u32, hash: u32, kept: u32) {
        let mask = slots.len() - 1;
        let mut i = Self::home(hash, bits);
        while slots[i].1 != 0 {
            i = (i + 1) & mask;
        }
        slots[i] = (hash, kept);
    }

    /// Doubles the table (or makes the first), moving the slots front to back.
    #[cold]
    fn grow(&mut self) {
        let bits = if self.slots.is_empty() {
            Self::FIRST_BITS
        } else {
            self.bits + 1
        };
        let mut slots = vec![(0_u32, 0_u32); 1_usize << bits];
        for &(hash, kept) in &self.slots {
            if kept != 0 {
                Self::place(&mut slots, bits, hash, kept);
            }
        }
        self.slots = slots;
        self.bits = bits;
    }
}

/// Two tables are equal when they hold the same ids in the same order.
impl PartialEq for Customers {
    fn eq(&self, other: &Self) -> bool {
        self.ids() == other.ids()
    }
}

impl fmt::Debug for Customers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.ids(), f)
    }
}

/// The customer ids of a log, by position: the customer at position `i` has index `i`. A view
/// of the log's table, which keeps every id once, end to end; index it (`ids[0]`), or iterate
/// over it for `&str` ids.
///
/// # Example
///
/// ```
/// use journey_map::{IngestOptions, Interaction, Journey, LogBuilder, Outcome};
///
/// let journey = Journey::load("examples/data/retail_bank.ron")?;
/// let at = "2026-01-01T09:00:00Z".parse()?;
/// let mut builder = LogBuilder::new(&journey, IngestOptions::default());
/// builder.push(Interaction::new("b", "product-page", at, Outcome::Completed))?;
/// builder.push(Interaction::new("a", "product-page", at, Outcome::Completed))?;
/// let (log, _) = builder.finish();
///
/// let ids = log.customers();
/// assert_eq!((ids.len(), &ids[0]), (2, "b"));
/// assert_eq!(ids.iter().collect::<Vec<_>>(), ["b", "a"]);
/// assert_eq!(ids, ["b", "a"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct CustomerIds<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl<'a> CustomerIds<'a> {
    /// How many customers.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is no customer.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id at `position`, or `None` beyond the last.
    pub fn get(&self, position: usize) -> Option<&'a str> {
        let end = *self.ends.get(position)?;
        let start = match position {
            0 => 0,
            i => self.ends[i - 1],
        };
        Some(&self.text[start..end])
    }

    /// The ids in order of position.
    pub fn iter(&self) -> CustomerIdsIter<'a> {
        CustomerIdsIter {
            text: self.text,
            ends: self.ends.iter(),
            start: 0,
        }
    }
}

impl Index<usize> for CustomerIds<'_> {
    type Output = str;

    /// The id at `position`.
    ///
    /// # Panics
    ///
    /// When `position` is not below [`len`](CustomerIds::len).
    fn index(&self, position: usize) -> &str {
        match self.get(position) {
            Some(id) => id,
            None => panic!(
                "customer position {position} out of range for {} customers",
                self.len()
            ),
        }
    }
}

impl<'a> IntoIterator for CustomerIds<'a> {
    type Item = &'a str;
    type IntoIter = CustomerIdsIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &CustomerIds<'a> {
    type Item = &'a str;
    type IntoIter = CustomerIdsIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for CustomerIds<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for CustomerIds<'_> {}

impl<S: AsRef<str>> PartialEq<[S]> for CustomerIds<'_> {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter().map(AsRef::as_ref))
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for CustomerIds<'_> {
    fn eq(&self, other: &[S; N]) -> bool {
        *self == other[..]
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for CustomerIds<'_> {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

impl fmt::Debug for CustomerIds<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The iterator of [`CustomerIds::iter`]: each id as `&str`, in order of position.
#[derive(Debug, Clone)]
pub struct CustomerIdsIter<'a> {
    text: &'a str,
    ends: std::slice::Iter<'a, usize>,
    start: usize,
}

impl<'a> Iterator for CustomerIdsIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let end = *self.ends.next()?;
        let id = &self.text[self.start..end];
        self.start = end;
        Some(id)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
    }
}

impl ExactSizeIterator for CustomerIdsIter<'_> {}

impl FusedIterator for CustomerIdsIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The table against a `HashMap`: any ids, repeated or not, in any order, warmed or
        /// not, get the position of their first appearance.
        #[test]
        fn positions_are_those_of_a_hash_map(
            ids in prop::collection::vec("[a-c]{0,3}|[a-z0-9]{1,40}", 0..600),
            warm_every in 1_usize..50,
        ) {
            let mut customers = Customers::default();
            let mut model = std::collections::HashMap::new();
            for (k, id) in ids.iter().enumerate() {
                if k % warm_every == 0 {
                    customers.warm(ids[k..].iter().take(70).map(|id| id.as_bytes()));
                }
                match (customers.find(id), model.get(id.as_str())) {
                    (Ok(position), Some(&expected)) => prop_assert_eq!(position, expected),
                    (Err(hash), None) => {
                        let position = customers.add_hashed(id, hash).unwrap();
                        prop_assert_eq!(position as usize, model.len());
                        model.insert(id.as_str(), position);
                    }
                    (found, expected) => {
                        prop_assert!(false, "{id:?}: table {found:?}, model {expected:?}")
                    }
                }
            }
            prop_assert_eq!(customers.len(), model.len());
            prop_assert!(customers.positions.len * 2 <= customers.positions.slots.len().max(1));
            for (id, &position) in &model {
                prop_assert_eq!(customers.get(id), Some(position));
                prop_assert_eq!(customers.id(position), *id);
            }
        }
    }

    #[test]
    fn ids_are_kept_once_in_order_of_first_appearance() {
        let mut customers = Customers::default();
        for i in 0..10_000 {
            let id = format!("c{i}");
            let hash = customers.find(&id).unwrap_err();
            assert_eq!(customers.add_hashed(&id, hash), Some(i));
            assert_eq!(customers.find(&id), Ok(i));
        }
        assert_eq!(customers.len(), 10_000);
        assert_eq!(customers.get("c7777"), Some(7777));
        assert_eq!(customers.id(7777), "c7777");
        assert_eq!(customers.get("c10000"), None);
        let ids = customers.ids();
        assert_eq!((&ids[3], ids.get(10_000)), ("c3", None));
        assert_eq!(ids.iter().len(), 10_000);
        assert_eq!(ids.iter().nth(9_999), Some("c9999"));
        assert_eq!(customers.clone(), customers);
        assert_eq!(format!("{:?}", Customers::default()), "[]");
    }

    #[test]
    fn ids_of_any_text_and_the_empty_table() {
        let mut customers = Customers::default();
        for id in ["é", "", "日本", "a b"] {
            let hash = customers.find(id).unwrap_err();
            customers.add_hashed(id, hash).unwrap();
        }
        let ids = customers.ids();
        assert_eq!(ids, ["é", "", "日本", "a b"]);
        assert_ne!(ids, ["é", "", "日本"]);
        assert_eq!(customers.find("日本"), Ok(2));
        assert!(Customers::default().ids().is_empty());
    }

    #[test]
    fn placed_slots_find_equal_hashes_clusters_that_wrap_and_survive_growth() {
        let mut placed = Placed::default();
        assert_eq!(placed.find(7, |_| true), None);
        placed.warm(&[7]);
        // Hashes whose home is the last slot wrap to the front; equal hashes share a cluster;
        // positions tell them apart.
        let hashes: Vec<u32> = (0..1_000_u32)
            .map(|i| match i % 4 {
                0 => u32::MAX - (i % 3),
                1 => 0x8000_0000,
                _ => i.wrapping_mul(0x9E37_79B9),
            })
            .collect();
        for (position, &hash) in hashes.iter().enumerate() {
            placed.insert(hash, position as u32);
            assert!(placed.len * 2 <= placed.slots.len());
        }
        for (position, &hash) in hashes.iter().enumerate() {
            let position = position as u32;
            assert_eq!(placed.find(hash, |p| p == position), Some(position));
            placed.warm(&[hash]);
        }
        assert_eq!(placed.find(0x8000_0000, |p| p == 1_000), None);
        assert_eq!(placed.slots.len(), 2_048);
        // Beyond 2^32 slots the hash is spread evenly over the table.
        assert_eq!(Placed::home(u32::MAX, 32), u32::MAX as usize);
        assert_eq!(Placed::home(3, 33), 6);
        assert_eq!(Placed::home(u32::MAX, 4), 15);
        assert_eq!(Placed::home(0x0FFF_FFFF, 4), 0);
    }

    #[test]
    #[should_panic(expected = "customer position 1 out of range for 1 customers")]
    fn indexing_beyond_the_last_panics_with_the_position() {
        let mut customers = Customers::default();
        let hash = customers.find("a").unwrap_err();
        customers.add_hashed("a", hash).unwrap();
        let _ = &customers.ids()[1];
    }
}
