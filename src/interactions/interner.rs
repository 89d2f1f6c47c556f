//! Interned values of a log, each stored once in one contiguous arena.
//!
//! Needs, tags, tag sets, sessions, segment values and record contexts repeat across records;
//! each distinct one is stored once and records keep its `u32` id. A map from value to id
//! beside a list of values would keep every value twice, each in its own allocation (about 150
//! bytes for a ten-letter need); here a distinct value costs its own bytes, an 8-byte end
//! offset and an 8-byte slot in the hash table (about 30 bytes for the same need), so no input
//! shape costs a log more than a few times its size.

use std::hash::{BuildHasher, Hash};

use hashbrown::HashTable;

/// Distinct values of type `[T]` (bytes of text, or `u32` ids of a set) in one arena, with a
/// hash table of their ids. Each slot keeps 32 bits of its value's hash, so growing the table
/// never reads a value again.
#[derive(Clone)]
struct Arena<T> {
    items: Vec<T>,
    /// `ends[i]` is where value `i` ends in `items`; it starts where value `i - 1` ends.
    ends: Vec<usize>,
    /// (32 bits of the hash, id).
    table: HashTable<(u32, u32)>,
    hasher: foldhash::fast::RandomState,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            ends: Vec::new(),
            table: HashTable::new(),
            hasher: foldhash::fast::RandomState::default(),
        }
    }
}

/// The table's hash of a value from the 32 bits a slot keeps: both halves the same, so that
/// hashbrown's bucket (low bits) and control byte (high bits) both see them.
fn spread(short: u32) -> u64 {
    u64::from(short) | (u64::from(short) << 32)
}

impl<T: Copy + Eq + Hash> Arena<T> {
    fn short_hash(&self, value: &[T]) -> u32 {
        let hash = self.hasher.hash_one(value);
        (hash ^ (hash >> 32)) as u32
    }

    fn get(&self, id: u32) -> Option<&[T]> {
        let id = id as usize;
        let end = *self.ends.get(id)?;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        Some(&self.items[start..end])
    }

    fn find(&self, value: &[T]) -> Result<u32, u32> {
        let short = self.short_hash(value);
        self.table
            .find(spread(short), |&(h, id)| {
                h == short && self.get(id) == Some(value)
            })
            .map(|&(_, id)| id)
            .ok_or(short)
    }

    /// The id of `value`, adding it if new; `None` when `u32::MAX` values are already held
    /// (`u32::MAX` itself stays free for "none").
    fn intern(&mut self, value: &[T]) -> Option<u32> {
        match self.find(value) {
            Ok(id) => Some(id),
            Err(short) => {
                let id = u32::try_from(self.ends.len())
                    .ok()
                    .filter(|&id| id != u32::MAX)?;
                self.items.extend_from_slice(value);
                self.ends.push(self.items.len());
                self.table
                    .insert_unique(spread(short), (short, id), |&(h, _)| spread(h));
                Some(id)
            }
        }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.table.shrink_to_fit(|&(h, _)| spread(h));
    }
}

/// Distinct strings, each stored once, by id in order of first appearance.
#[derive(Clone, Default)]
pub(crate) struct Strings(Arena<u8>);

impl Strings {
    /// The id of `text`, adding it if new; `None` past `u32::MAX - 1` strings.
    pub(crate) fn intern(&mut self, text: &str) -> Option<u32> {
        self.0.intern(text.as_bytes())
    }

    /// The id of `text`, if held.
    pub(crate) fn find(&self, text: &str) -> Option<u32> {
        self.0.find(text.as_bytes()).ok()
    }

    /// The string of `id`, if there is one.
    pub(crate) fn get(&self, id: u32) -> Option<&str> {
        // Only whole `&str`s are ever added, so every value is UTF-8.
        self.0
            .get(id)
            .map(|bytes| std::str::from_utf8(bytes).unwrap_or_default())
    }

    /// How many strings.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Every string, by id.
    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len() as u32).map(|id| self.get(id).unwrap_or_default())
    }

    /// Gives back spare capacity once a log is finished.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

/// Distinct lists of `u32` ids (a record's tag set, a context's values), each stored once.
#[derive(Clone, Default)]
pub(crate) struct Lists(Arena<u32>);

impl Lists {
    /// The id of `list`, adding it if new; `None` past `u32::MAX - 1` lists.
    pub(crate) fn intern(&mut self, list: &[u32]) -> Option<u32> {
        self.0.intern(list)
    }

    /// The list of `id`, if there is one.
    pub(crate) fn get(&self, id: u32) -> Option<&[u32]> {
        self.0.get(id)
    }

    /// How many lists.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Gives back spare capacity once a log is finished.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

/// Two interners are equal when they hold the same values with the same ids.
impl PartialEq for Strings {
    fn eq(&self, other: &Self) -> bool {
        self.0.items == other.0.items && self.0.ends == other.0.ends
    }
}

impl PartialEq for Lists {
    fn eq(&self, other: &Self) -> bool {
        self.0.items == other.0.items && self.0.ends == other.0.ends
    }
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl std::fmt::Debug for Lists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries((0..self.len() as u32).filter_map(|id| self.get(id)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::{Lists, Strings};

    #[test]
    fn each_value_is_kept_once_in_order_of_first_appearance() {
        let mut strings = Strings::default();
        let words = ["billing", "", "delivery", "billing", "é", "", "delivery"];
        let ids: Vec<u32> = words.iter().map(|w| strings.intern(w).unwrap()).collect();
        assert_eq!(ids, [0, 1, 2, 0, 3, 1, 2]);
        assert_eq!(strings.len(), 4);
        assert_eq!(
            strings.iter().collect::<Vec<_>>(),
            ["billing", "", "delivery", "é"]
        );
        assert_eq!(strings.find("delivery"), Some(2));
        assert_eq!(strings.find("returns"), None);
        assert_eq!(strings.get(9), None);

        let mut lists = Lists::default();
        assert_eq!(lists.intern(&[1, 2]), Some(0));
        assert_eq!(lists.intern(&[2]), Some(1));
        assert_eq!(lists.intern(&[1, 2]), Some(0));
        assert_eq!(lists.intern(&[]), Some(2));
        assert_eq!(lists.get(1), Some(&[2][..]));
        assert_eq!(lists.get(2), Some(&[][..]));
    }

    #[test]
    fn growth_keeps_every_id() {
        let mut strings = Strings::default();
        for i in 0..100_000u32 {
            assert_eq!(strings.intern(&format!("need-{i}")), Some(i));
        }
        strings.shrink_to_fit();
        for i in (0..100_000u32).step_by(997) {
            assert_eq!(strings.find(&format!("need-{i}")), Some(i));
            assert_eq!(strings.get(i), Some(format!("need-{i}").as_str()));
        }
    }
}
