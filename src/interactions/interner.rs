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

use crate::model::lookup::{same_bytes, same_u32s};

/// Distinct values of type `[T]` (bytes of text, or `u32` ids of a set) in one arena, with a
/// hash table of their ids. The table keeps ids only (4 bytes a slot); growing it hashes the
/// values again from the arena.
#[derive(Clone)]
struct Arena<T> {
    items: Vec<T>,
    /// `ends[i]` is where value `i` ends in `items`; it starts where value `i - 1` ends. Four
    /// bytes a value: an arena holds at most 4 GiB of items (`u32::MAX`).
    ends: Vec<u32>,
    table: HashTable<u32>,
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

/// The hash of value `id`, from the arena: what the table needs to grow or shrink.
fn rehash<T: Hash>(
    items: &[T],
    ends: &[u32],
    hasher: &foldhash::fast::RandomState,
) -> impl Fn(&u32) -> u64 {
    move |&id| hasher.hash_one(value(items, ends, id).unwrap_or_default())
}

/// Value `id` of an arena's items and ends.
fn value<'a, T>(items: &'a [T], ends: &[u32], id: u32) -> Option<&'a [T]> {
    let id = id as usize;
    let end = *ends.get(id)? as usize;
    let start = if id == 0 { 0 } else { ends[id - 1] as usize };
    Some(&items[start..end])
}

/// What an arena holds: bytes of text or `u32` ids, compared without a `memcmp` call when
/// short (values are mostly a few items long, and the call measured 8% of attaching records).
trait Item: Copy + Eq + Hash {
    fn same(a: &[Self], b: &[Self]) -> bool;
}

impl Item for u8 {
    #[inline(always)]
    fn same(a: &[u8], b: &[u8]) -> bool {
        same_bytes(a, b)
    }
}

impl Item for u32 {
    #[inline(always)]
    fn same(a: &[u32], b: &[u32]) -> bool {
        same_u32s(a, b)
    }
}

/// Whether value `id` of an arena's items and ends is `wanted`.
#[inline(always)]
fn holds<T: Item>(items: &[T], ends: &[u32], id: u32, wanted: &[T]) -> bool {
    value(items, ends, id).is_some_and(|v| T::same(v, wanted))
}

impl<T: Item> Arena<T> {
    fn get(&self, id: u32) -> Option<&[T]> {
        value(&self.items, &self.ends, id)
    }

    fn find_hashed(&self, value_wanted: &[T], hash: u64) -> Option<u32> {
        self.table
            .find(hash, |&id| holds(&self.items, &self.ends, id, value_wanted))
            .copied()
    }

    /// The id of `value`, adding it if new; `None` when `u32::MAX` values or 4 GiB of items
    /// are already held (`u32::MAX` itself stays free for "none").
    fn intern(&mut self, wanted: &[T]) -> Option<u32> {
        let start = self.items.len();
        self.items.extend_from_slice(wanted);
        self.intern_tail(start)
    }

    /// The id of the value written at the end of `items` from `start`: the tail is kept as a
    /// new value, or dropped when the value is already held.
    fn intern_tail(&mut self, start: usize) -> Option<u32> {
        let Self {
            items,
            ends,
            table,
            hasher,
        } = self;
        let hash = hasher.hash_one(&items[start..]);
        let tail = &items[start..];
        if let Some(&id) = table.find(hash, |&id| holds(items, ends, id, tail)) {
            items.truncate(start);
            return Some(id);
        }
        // `u32::MAX` stays free for "none"; ends are 4 bytes, so at most 4 GiB of items.
        let id = u32::try_from(ends.len()).ok().filter(|&id| id != u32::MAX);
        let (Some(id), Ok(end)) = (id, u32::try_from(items.len())) else {
            items.truncate(start);
            return None;
        };
        ends.push(end);
        table.insert_unique(hash, id, rehash(items, ends, hasher));
        Some(id)
    }

    /// Room for `count` more values of `len` items in all, so that one huge record (a cell of
    /// a million tags) grows nothing by doubling.
    fn reserve(&mut self, len: usize, count: usize) {
        self.items.reserve(len);
        self.ends.reserve(count);
        let Self {
            items,
            ends,
            table,
            hasher,
        } = self;
        table.reserve(count, rehash(items, ends, hasher));
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        self.ends.shrink_to_fit();
        let Self {
            items,
            ends,
            table,
            hasher,
        } = self;
        table.shrink_to_fit(rehash(items, ends, hasher));
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
        let bytes = text.as_bytes();
        self.0.find_hashed(bytes, self.0.hasher.hash_one(bytes))
    }

    /// Room for `count` more strings of `bytes` bytes in all.
    pub(crate) fn reserve(&mut self, bytes: usize, count: usize) {
        self.0.reserve(bytes, count);
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

    /// The id of the set `fill` writes (ids pushed in any order, repeats allowed): it is built
    /// in place at the end of the arena, sorted and without repeats, and kept only if new, so
    /// no separate buffer holds it. `None` when `fill` fails or the arena is full.
    pub(crate) fn intern_set<E>(
        &mut self,
        fill: impl FnOnce(&mut Vec<u32>) -> Result<(), E>,
    ) -> Result<Option<u32>, E> {
        let start = self.0.items.len();
        if let Err(error) = fill(&mut self.0.items) {
            self.0.items.truncate(start);
            return Err(error);
        }
        let tail = &mut self.0.items[start..];
        tail.sort_unstable();
        let mut kept = 0;
        for i in 0..tail.len() {
            if kept == 0 || tail[i] != tail[kept - 1] {
                tail[kept] = tail[i];
                kept += 1;
            }
        }
        self.0.items.truncate(start + kept);
        Ok(self.0.intern_tail(start))
    }

    /// Room for `count` more ids in all.
    pub(crate) fn reserve(&mut self, count: usize) {
        self.0.reserve(count, 1);
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
        let set = lists.intern_set(|items| {
            items.extend([5, 1, 5, 3, 1]);
            Ok::<(), ()>(())
        });
        assert_eq!(set, Ok(Some(3)));
        assert_eq!(lists.get(3), Some(&[1, 3, 5][..]));
        let again = lists.intern_set(|items| {
            items.extend([3, 5, 1]);
            Ok::<(), ()>(())
        });
        assert_eq!(again, Ok(Some(3)));
        assert_eq!(
            lists.intern_set(|items| {
                items.push(9);
                Err("stop")
            }),
            Err("stop")
        );
        assert_eq!(lists.len(), 4);
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
