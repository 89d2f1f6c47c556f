//! Ids to dense indices on the hot path of reading records: one hash and, on a match of the
//! whole hash, one inline comparison of the id's bytes.
//!
//! A `HashMap<String, _>` compares keys through `memcmp`, a call that measured 13% of
//! attaching a million records (most ids are a few bytes long, where the call costs more than
//! the comparison).

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// Whether two byte strings are equal, compared inline when they are at most 32 bytes long:
/// two overlapping loads of each, from the start and from the end, no call.
#[inline(always)]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        0 => true,
        // Positions 0, n / 2 and n - 1 cover every byte of one to three.
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4),
        8..=16 => word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, n - 8) == word::<8>(b, n - 8),
        17..=32 => {
            word::<16>(a, 0) == word::<16>(b, 0) && word::<16>(a, n - 16) == word::<16>(b, n - 16)
        }
        _ => a == b,
    }
}

/// Whether two lists of `u32` are equal, compared inline (no early exit, which the compiler
/// would turn into a `memcmp` call) when they hold at most 8 values.
#[inline(always)]
pub(crate) fn same_u32s(a: &[u32], b: &[u32]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 8 {
        return a == b;
    }
    a.iter().zip(b).fold(0, |differ, (x, y)| differ | (x ^ y)) == 0
}

/// The `N` bytes of `s` from `at`, as an array (one load).
#[inline(always)]
fn word<const N: usize>(s: &[u8], at: usize) -> [u8; N] {
    let mut word = [0; N];
    word.copy_from_slice(&s[at..at + N]);
    word
}

/// Ids mapped to `u32` indices, the ids kept end to end in one string.
#[derive(Clone, Default)]
pub(crate) struct IdLookup {
    text: String,
    /// `ends[slot]` is where the id of `slot` ends in `text`.
    ends: Vec<usize>,
    /// The index of each slot's id.
    indices: Vec<u32>,
    /// (hash of the id, slot).
    table: HashTable<(u64, u32)>,
    hasher: foldhash::fast::RandomState,
}

impl IdLookup {
    /// A lookup of `ids`, each with its index; an id given twice keeps its first index.
    pub(crate) fn new<'a>(ids: impl ExactSizeIterator<Item = (&'a str, u32)>) -> Self {
        let mut lookup = Self {
            table: HashTable::with_capacity(ids.len()),
            ..Self::default()
        };
        for (id, index) in ids {
            let hash = lookup.hasher.hash_one(id);
            if lookup.find(id, hash).is_some() {
                continue;
            }
            let slot = lookup.indices.len() as u32;
            lookup.text.push_str(id);
            lookup.ends.push(lookup.text.len());
            lookup.indices.push(index);
            lookup.table.insert_unique(hash, (hash, slot), |&(h, _)| h);
        }
        lookup
    }

    /// The index of `id`, in O(1).
    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        self.find(id, self.hasher.hash_one(id))
    }

    #[inline]
    fn find(&self, id: &str, hash: u64) -> Option<u32> {
        let (text, ends) = (self.text.as_bytes(), &self.ends);
        self.table
            .find(hash, |&(h, slot)| {
                let slot = slot as usize;
                let start = if slot == 0 { 0 } else { ends[slot - 1] };
                h == hash && same_bytes(&text[start..ends[slot]], id.as_bytes())
            })
            .map(|&(_, slot)| self.indices[slot as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_of_every_length_compare_as_slices_do() {
        let text: Vec<u8> = (0..70).map(|i| b'a' + (i % 26) as u8).collect();
        for n in 0..text.len() {
            let a = &text[..n];
            assert!(same_bytes(a, a));
            for i in 0..n {
                let mut b = a.to_vec();
                b[i] ^= 1;
                assert!(!same_bytes(a, &b), "length {n}, byte {i}");
            }
            assert!(!same_bytes(a, &text[..n + 1]));
        }
    }

    #[test]
    fn lists_of_every_length_compare_as_slices_do() {
        let list: Vec<u32> = (0..20).map(|i| i * 7 + 1).collect();
        for n in 0..list.len() {
            let a = &list[..n];
            assert!(same_u32s(a, a));
            for i in 0..n {
                let mut b = a.to_vec();
                b[i] ^= 1 << 31;
                assert!(!same_u32s(a, &b), "length {n}, value {i}");
            }
            assert!(!same_u32s(a, &list[..n + 1]));
        }
    }

    #[test]
    fn ids_find_their_index_and_a_repeat_keeps_the_first() {
        let ids = [
            "checkout",
            "",
            "a",
            "a-very-long-touchpoint-id",
            "é",
            "checkout",
        ];
        let lookup = IdLookup::new(ids.iter().enumerate().map(|(i, id)| (*id, i as u32 * 10)));
        assert_eq!(lookup.get("checkout"), Some(0));
        assert_eq!(lookup.get(""), Some(10));
        assert_eq!(lookup.get("a-very-long-touchpoint-id"), Some(30));
        assert_eq!(lookup.get("é"), Some(40));
        assert_eq!(lookup.get("checkou"), None);
        assert_eq!(IdLookup::default().get("a"), None);
    }
}
