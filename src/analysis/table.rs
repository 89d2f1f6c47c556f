//! Tables of rows found by key: the mergeable, serializable stores of the partial states whose
//! keys are not dense: moves between touchpoints ([`PairTable`]) and touchpoint sequences
//! ([`SeqTable`]). Every table hashes with the same fixed seed, so a merge reuses the other
//! table's hashes.

use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};

use hashbrown::HashTable;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Rows in order of first insertion, each found by its key in O(1) through a hash index that
/// keeps each row's hash beside its position (growing never hashes a key again): the sparse
/// store of a [`PairTable`] too large to index densely.
#[derive(Clone)]
pub(crate) struct Table<K, V> {
    rows: Vec<(K, V)>,
    /// (hash of the key, position of the row).
    index: HashTable<(u64, u32)>,
    hasher: foldhash::fast::FixedState,
}

/// The seed every table hashes with, so that tables of different parts agree on hashes.
const SEED: u64 = 0x6a6f_7572_6e65_7973;

impl<K, V> Default for Table<K, V> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            index: HashTable::new(),
            hasher: foldhash::fast::FixedState::with_seed(SEED),
        }
    }
}

impl<K: std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug for Table<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.rows).finish()
    }
}

impl<K: Hash + Eq, V> Table<K, V> {
    /// The position of `key`, when present.
    fn find<Q>(&self, hash: u64, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        let rows = &self.rows;
        self.index
            .find(hash, |&(h, i)| {
                h == hash && rows[i as usize].0.borrow() == key
            })
            .map(|&(_, i)| i as usize)
    }

    /// Appends a row whose key is not present.
    fn push(&mut self, hash: u64, row: (K, V)) -> usize {
        let i = self.rows.len();
        self.index
            .insert_unique(hash, (hash, i as u32), |&(h, _)| h);
        self.rows.push(row);
        i
    }
}

/// How many (from, to) slots a [`PairTable`] indexes densely at most: 2^20 slots of 4 bytes,
/// zeroed lazily by the allocator.
const DENSE_SLOTS: u64 = 1 << 20;

/// Rows keyed by a pair of small integers `(a, b)` with `a < height` and `b < width` (moves
/// between touchpoints): found through a dense array of positions when `height · width` is at
/// most 2^20, else through a hash index. Serializes as its dimensions and its rows.
#[derive(Clone)]
pub(crate) struct PairTable<V> {
    height: u32,
    width: u32,
    /// Position + 1 of the row of `(a, b)` at `a · width + b`; empty when sparse.
    dense: Vec<u32>,
    /// The rows, and the hash index when sparse.
    table: Table<(u32, u32), V>,
}

impl<V: std::fmt::Debug> std::fmt::Debug for PairTable<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.table.fmt(f)
    }
}

impl<V> PairTable<V> {
    /// An empty table for pairs below `(height, width)`.
    pub(crate) fn new(height: usize, width: usize) -> Self {
        let (height, width) = (height as u32, width as u32);
        let slots = u64::from(height) * u64::from(width);
        Self {
            height,
            width,
            dense: if slots <= DENSE_SLOTS {
                vec![0; slots as usize]
            } else {
                Vec::new()
            },
            table: Table::default(),
        }
    }

    /// The position of the row of `(a, b)`, when present.
    fn position(&self, a: u32, b: u32) -> Option<usize> {
        if self.dense.is_empty() {
            let hash = self.table.hasher.hash_one((a, b));
            return self.table.find(hash, &(a, b));
        }
        match self.dense[a as usize * self.width as usize + b as usize] {
            0 => None,
            i => Some(i as usize - 1),
        }
    }

    /// Appends the row of `(a, b)`, which is not present.
    fn push(&mut self, a: u32, b: u32, value: V) -> usize {
        if self.dense.is_empty() {
            let hash = self.table.hasher.hash_one((a, b));
            return self.table.push(hash, ((a, b), value));
        }
        self.table.rows.push(((a, b), value));
        let i = self.table.rows.len();
        self.dense[a as usize * self.width as usize + b as usize] = i as u32;
        i - 1
    }

    /// The value of `(a, b)`, made by `make` when new.
    pub(crate) fn row(&mut self, a: u32, b: u32, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.position(a, b) {
            Some(i) => i,
            None => self.push(a, b, make()),
        };
        &mut self.table.rows[i].1
    }

    /// Adds one row: a pair already present has its value combined by `combine`. Returns
    /// whether the pair was present.
    fn add(&mut self, a: u32, b: u32, value: V, combine: &mut impl FnMut(&mut V, V)) -> bool {
        match self.position(a, b) {
            Some(i) => {
                combine(&mut self.table.rows[i].1, value);
                true
            }
            None => {
                self.push(a, b, value);
                false
            }
        }
    }

    /// Adds the rows of `other` (of the same dimensions): a pair already here has its value
    /// combined by `combine`.
    pub(crate) fn merge(&mut self, other: PairTable<V>, mut combine: impl FnMut(&mut V, V)) {
        for ((a, b), value) in other.table.rows {
            self.add(a, b, value, &mut combine);
        }
    }

    /// The rows, in order of first insertion.
    pub(crate) fn rows(&self) -> &[((u32, u32), V)] {
        &self.table.rows
    }

    /// The rows, in order of first insertion.
    pub(crate) fn into_rows(self) -> Vec<((u32, u32), V)> {
        self.table.rows
    }
}

/// The serialized form of a [`PairTable`].
#[derive(Serialize, Deserialize)]
struct PairRows<V> {
    height: u32,
    width: u32,
    rows: Vec<((u32, u32), V)>,
}

impl<V: Serialize> Serialize for PairTable<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Borrowed<'a, V> {
            height: u32,
            width: u32,
            rows: &'a [((u32, u32), V)],
        }
        Borrowed {
            height: self.height,
            width: self.width,
            rows: &self.table.rows,
        }
        .serialize(serializer)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for PairTable<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let PairRows {
            height,
            width,
            rows,
        } = PairRows::deserialize(deserializer)?;
        let mut table = PairTable::new(height as usize, width as usize);
        for ((a, b), value) in rows {
            if a >= height || b >= width {
                return Err(serde::de::Error::custom("a pair lies outside its table"));
            }
            if table.add(a, b, value, &mut |_, _| {}) {
                return Err(serde::de::Error::custom("a key appears twice in a table"));
            }
        }
        Ok(table)
    }
}

/// Rows keyed by sequences of touchpoints (variants, paths): the keys live end to end in one
/// arena instead of one allocation each, found through a hash index of the same fixed seed
/// as [`Table`]'s. Serializes as the list of `(sequence, value)` rows.
#[derive(Clone)]
pub(crate) struct SeqTable<V> {
    /// Every key, end to end.
    arena: Vec<u32>,
    /// (start in the arena, length, value), in order of first insertion.
    rows: Vec<(usize, usize, V)>,
    /// (hash of the key, position of the row).
    index: HashTable<(u64, u32)>,
}

impl<V> Default for SeqTable<V> {
    fn default() -> Self {
        Self {
            arena: Vec::new(),
            rows: Vec::new(),
            index: HashTable::new(),
        }
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for SeqTable<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.rows()).finish()
    }
}

fn hash_seq(key: &[u32]) -> u64 {
    foldhash::fast::FixedState::with_seed(SEED).hash_one(key)
}

impl<V> SeqTable<V> {
    fn key(&self, row: usize) -> &[u32] {
        let (start, len, _) = self.rows[row];
        &self.arena[start..start + len]
    }

    fn find(&self, hash: u64, key: &[u32]) -> Option<usize> {
        self.index
            .find(hash, |&(h, i)| h == hash && self.key(i as usize) == key)
            .map(|&(_, i)| i as usize)
    }

    fn push(&mut self, hash: u64, key: &[u32], value: V) -> usize {
        let i = self.rows.len();
        self.index
            .insert_unique(hash, (hash, i as u32), |&(h, _)| h);
        self.rows.push((self.arena.len(), key.len(), value));
        self.arena.extend_from_slice(key);
        i
    }

    /// Makes room for `keys` more keys of `length` values in all, so that adding them grows
    /// nothing by copies. Large room never written costs little: the allocator maps pages
    /// only when they are touched. Room that cannot be had (a hint beyond memory) is not
    /// made: the table grows as usual.
    pub(crate) fn reserve(&mut self, keys: usize, length: usize) {
        let _ = self.index.try_reserve(keys, |&(h, _)| h);
        let _ = self.rows.try_reserve(keys);
        let _ = self.arena.try_reserve(length);
    }

    /// The value of `key`, made by `make` when new.
    pub(crate) fn row(&mut self, key: &[u32], make: impl FnOnce() -> V) -> &mut V {
        let hash = hash_seq(key);
        let i = match self.find(hash, key) {
            Some(i) => i,
            None => self.push(hash, key, make()),
        };
        &mut self.rows[i].2
    }

    /// Adds one row with its key's hash: a key already present has its value combined.
    /// Returns whether the key was present.
    fn add(
        &mut self,
        hash: u64,
        key: &[u32],
        value: V,
        combine: &mut impl FnMut(&mut V, V),
    ) -> bool {
        match self.find(hash, key) {
            Some(i) => {
                combine(&mut self.rows[i].2, value);
                true
            }
            None => {
                self.push(hash, key, value);
                false
            }
        }
    }

    /// Adds the rows of `other`: a key already here has its value combined by `combine`,
    /// which must be commutative (the smaller table is merged into the larger); the other
    /// table's hashes are reused.
    pub(crate) fn merge(&mut self, mut other: SeqTable<V>, mut combine: impl FnMut(&mut V, V)) {
        if other.rows.len() > self.rows.len() {
            std::mem::swap(self, &mut other);
        }
        let mut hashes = vec![0_u64; other.rows.len()];
        for &(hash, i) in other.index.iter() {
            hashes[i as usize] = hash;
        }
        self.index.reserve(other.rows.len(), |&(h, _)| h);
        self.rows.reserve(other.rows.len());
        let SeqTable { arena, rows, .. } = other;
        for ((start, len, value), hash) in rows.into_iter().zip(hashes) {
            self.add(hash, &arena[start..start + len], value, &mut combine);
        }
    }

    /// How many rows.
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The rows, in order of first insertion.
    pub(crate) fn rows(&self) -> impl Iterator<Item = (&[u32], &V)> {
        (0..self.rows.len()).map(|i| (self.key(i), &self.rows[i].2))
    }
}

impl<V: Serialize> Serialize for SeqTable<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.rows())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SeqTable<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let rows: Vec<(Vec<u32>, V)> = Vec::deserialize(deserializer)?;
        let mut table = SeqTable::default();
        for (key, value) in rows {
            if table.add(hash_seq(&key), &key, value, &mut |_, _| {}) {
                return Err(serde::de::Error::custom("a key appears twice in a table"));
            }
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts of pairs in a dense table (small) and a sparse one (over 2^20 slots) agree, and
    /// survive a serde round trip and a merge.
    #[test]
    fn pair_tables_count_alike_dense_or_sparse() {
        for (height, width) in [(30, 30), (2_000, 1_000)] {
            let mut a: PairTable<u64> = PairTable::new(height, width);
            let mut b: PairTable<u64> = PairTable::new(height, width);
            assert_eq!(a.dense.is_empty(), height * width > 1 << 20);
            for i in 0..500_u32 {
                let (x, y) = (i * 7 % height as u32, i * 13 % width as u32);
                *a.row(x, y, || 0) += 1;
                *b.row(y % height as u32, x % width as u32, || 0) += 2;
            }
            let json = serde_json::to_string(&b).unwrap();
            let b: PairTable<u64> = serde_json::from_str(&json).unwrap();
            let total = |t: &PairTable<u64>| t.rows().iter().map(|r| r.1).sum::<u64>();
            assert_eq!((total(&a), total(&b)), (500, 1_000));
            let rows_before = a.rows().len() + b.rows().len();
            a.merge(b, |x, y| *x += y);
            assert_eq!(total(&a), 1_500);
            assert!(a.rows().len() <= rows_before);
            let mut pairs: Vec<(u32, u32)> = a.rows().iter().map(|r| r.0).collect();
            pairs.sort_unstable();
            pairs.dedup();
            assert_eq!(pairs.len(), a.rows().len(), "each pair once");
        }
    }

    #[test]
    fn pair_tables_refuse_bad_rows() {
        let outside = r#"{"height":2,"width":2,"rows":[[[2,0],1]]}"#;
        let error = serde_json::from_str::<PairTable<u64>>(outside).unwrap_err();
        assert!(error.to_string().contains("outside"), "{error}");
        let twice = r#"{"height":2,"width":2,"rows":[[[1,0],1],[[1,0],2]]}"#;
        let error = serde_json::from_str::<PairTable<u64>>(twice).unwrap_err();
        assert!(error.to_string().contains("twice"), "{error}");
    }

    #[test]
    fn sequence_tables_merge_and_refuse_repeated_keys() {
        let mut a: SeqTable<u64> = SeqTable::default();
        let mut b: SeqTable<u64> = SeqTable::default();
        for i in 0..1_000_u32 {
            *a.row(&[i % 37, i % 5], || 0) += 1;
            *b.row(&[i % 41, i % 5, 9], || 0) += 1;
            *b.row(&[i % 37, i % 5], || 0) += 1;
        }
        let b: SeqTable<u64> = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
        let before = a.len();
        a.merge(b, |x, y| *x += y);
        assert_eq!(a.rows().map(|r| *r.1).sum::<u64>(), 3_000);
        assert!(a.len() > before);
        assert_eq!(a.rows().filter(|r| r.0 == [0, 0]).count(), 1);

        let twice = "[[[1,2],1],[[1,2],3]]";
        let error = serde_json::from_str::<SeqTable<u64>>(twice).unwrap_err();
        assert!(error.to_string().contains("twice"), "{error}");
    }
}
