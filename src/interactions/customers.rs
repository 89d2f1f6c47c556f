//! Customer ids interned to dense indices, each id stored once.

use std::fmt;
use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::record::CustomerId;

/// The customers of a log in order of first appearance, with a hash table of their positions:
/// an id is kept once (a map from id to index would keep it twice). Each slot keeps its id's
/// hash beside its position, so growing the table never reads an id string again and a probe
/// compares strings only when the whole hash matches.
#[derive(Clone, Default)]
pub(crate) struct Customers {
    ids: Vec<CustomerId>,
    /// (hash of the id, position).
    positions: HashTable<(u64, u32)>,
    hasher: foldhash::fast::RandomState,
}

impl Customers {
    /// The position of `id`, in O(1).
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        self.find(id).ok()
    }

    /// The position of `id`, or its hash for [`Customers::add_hashed`] when it is not there.
    pub(crate) fn find(&self, id: &str) -> Result<u32, u64> {
        let hash = self.hasher.hash_one(id);
        self.positions
            .find(hash, |&(h, i)| {
                h == hash && self.ids[i as usize].as_str() == id
            })
            .map(|&(_, i)| i)
            .ok_or(hash)
    }

    /// Adds `id`, which must not be there yet and whose hash [`Customers::find`] gave, and
    /// returns its position; `None` when the log already holds `u32::MAX` customers.
    pub(crate) fn add_hashed(&mut self, id: &str, hash: u64) -> Option<u32> {
        debug_assert!(self.get(id).is_none());
        let position = u32::try_from(self.ids.len())
            .ok()
            .filter(|&p| p != u32::MAX)?;
        self.positions
            .insert_unique(hash, (hash, position), |&(h, _)| h);
        self.ids.push(CustomerId::new(id));
        Some(position)
    }

    /// The id at `position`.
    pub(crate) fn id(&self, position: u32) -> &CustomerId {
        &self.ids[position as usize]
    }

    /// Every id, by position.
    pub(crate) fn as_slice(&self) -> &[CustomerId] {
        &self.ids
    }

    /// How many customers.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// Two tables are equal when they hold the same ids in the same order.
impl PartialEq for Customers {
    fn eq(&self, other: &Self) -> bool {
        self.ids == other.ids
    }
}

impl fmt::Debug for Customers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.ids).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(customers.id(7777).as_str(), "c7777");
        assert_eq!(customers.get("c10000"), None);
        assert_eq!(customers.as_slice()[3].as_str(), "c3");
        assert_eq!(customers.clone(), customers);
    }
}
