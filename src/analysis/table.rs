//! A table of rows found by key: the hash-indexed, mergeable and serializable store of the
//! partial states whose keys are not dense (moves, variants, paths).

use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};

use hashbrown::HashTable;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Rows in order of first insertion, each found by its key in O(1) through a hash index that
/// is rebuilt after deserializing. Serializes as the list of `(key, value)` rows, so keys that
/// are not strings (pairs, sequences) work in every serde format.
#[derive(Clone, Default)]
pub(crate) struct Table<K, V> {
    rows: Vec<(K, V)>,
    index: HashTable<u32>,
    hasher: foldhash::fast::RandomState,
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

    /// The rows, in order of first insertion.
    pub(crate) fn rows(&self) -> &[(K, V)] {
        &self.rows
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
