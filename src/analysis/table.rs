//! A table of rows found by key: the hash-indexed, mergeable and serializable store of the
//! partial states whose keys are not dense (moves, variants, paths).

use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};

use hashbrown::HashTable;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Rows in order of first insertion, each found by its key in O(1) through a hash index that
/// is rebuilt after deserializing. Serializes as the list of `(key, value)` rows, so keys that
/// are not strings (pairs, sequences) work in every serde format.
#[derive(Clone)]
pub(crate) struct Table<K, V> {
    rows: Vec<(K, V)>,
    index: HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl<K, V> Default for Table<K, V> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            index: HashTable::new(),
            hasher: foldhash::fast::RandomState::default(),
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
            .find(hash, |&i| rows[i as usize].0.borrow() == key)
            .map(|&i| i as usize)
    }

    /// Appends a row whose key is not present.
    fn push(&mut self, hash: u64, row: (K, V)) -> usize {
        let i = self.rows.len();
        let (rows, hasher) = (&self.rows, &self.hasher);
        self.index
            .insert_unique(hash, i as u32, |&j| hasher.hash_one(&rows[j as usize].0));
        self.rows.push(row);
        i
    }

    /// The value of `key`, with a row made by `make` when the key is new.
    pub(crate) fn row<Q>(&mut self, key: &Q, make: impl FnOnce() -> (K, V)) -> &mut V
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = self.hasher.hash_one(key);
        let i = match self.find(hash, key) {
            Some(i) => i,
            None => self.push(hash, make()),
        };
        &mut self.rows[i].1
    }

    /// Adds one row: a key already present has its value combined by `combine`. Returns
    /// whether the key was present.
    fn add(&mut self, key: K, value: V, combine: &mut impl FnMut(&mut V, V)) -> bool {
        let hash = self.hasher.hash_one(&key);
        match self.find(hash, &key) {
            Some(i) => {
                combine(&mut self.rows[i].1, value);
                true
            }
            None => {
                self.push(hash, (key, value));
                false
            }
        }
    }

    /// Adds the rows of `other`: a key already here has its value combined by `combine`.
    pub(crate) fn merge(&mut self, other: Table<K, V>, mut combine: impl FnMut(&mut V, V)) {
        for (key, value) in other.rows {
            self.add(key, value, &mut combine);
        }
    }

    /// How many rows.
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The rows, in order of first insertion.
    pub(crate) fn into_rows(self) -> Vec<(K, V)> {
        self.rows
    }
}

impl<K: Serialize, V: Serialize> Serialize for Table<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.rows.serialize(serializer)
    }
}

impl<'de, K, V> Deserialize<'de> for Table<K, V>
where
    K: Deserialize<'de> + Hash + Eq,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let rows: Vec<(K, V)> = Vec::deserialize(deserializer)?;
        let mut table = Table {
            rows: Vec::with_capacity(rows.len()),
            index: HashTable::with_capacity(rows.len()),
            hasher: foldhash::fast::RandomState::default(),
        };
        for (key, value) in rows {
            if table.add(key, value, &mut |_, _| {}) {
                return Err(serde::de::Error::custom("a key appears twice in a table"));
            }
        }
        Ok(table)
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
