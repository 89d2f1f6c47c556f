//! Maps read from files keep every key once: a key written twice is an error, never a silent
//! overwrite of the first value by the second.
//!
//! Used with `#[serde(deserialize_with = "...")]` on the map fields of every file format
//! (persona attributes, behaviour models, mappings). RON reports the error at the line and
//! column where the map's second occurrence of the key was read.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};

/// A map whose keys must be unique, as read.
struct Unique<K, V>(BTreeMap<K, V>);

impl<'de, K, V> Deserialize<'de> for Unique<K, V>
where
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys<K, V>(PhantomData<(K, V)>);

        impl<'de, K, V> Visitor<'de> for Keys<K, V>
        where
            K: Deserialize<'de> + Ord + fmt::Display,
            V: Deserialize<'de>,
        {
            type Value = Unique<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = BTreeMap::new();
                while let Some(key) = access.next_key::<K>()? {
                    if map.contains_key(&key) {
                        return Err(A::Error::custom(format_args!(
                            "key \"{key}\" appears twice in this map: each key may be given once"
                        )));
                    }
                    let value = access.next_value()?;
                    map.insert(key, value);
                }
                Ok(Unique(map))
            }
        }

        deserializer.deserialize_map(Keys(PhantomData))
    }
}

/// Reads a map, refusing a key written twice.
pub(crate) fn unique_keys<'de, D, K, V>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    Unique::deserialize(deserializer).map(|unique| unique.0)
}

/// Reads a map of maps, refusing a key written twice in the outer map or in any inner one.
pub(crate) fn unique_nested_keys<'de, D, K, L, V>(
    deserializer: D,
) -> Result<BTreeMap<K, BTreeMap<L, V>>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    L: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    let outer: Unique<K, Unique<L, V>> = Unique::deserialize(deserializer)?;
    Ok(outer
        .0
        .into_iter()
        .map(|(key, inner)| (key, inner.0))
        .collect())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(deserialize_with = "super::unique_keys")]
        flat: BTreeMap<String, u8>,
        #[serde(default, deserialize_with = "super::unique_nested_keys")]
        nested: BTreeMap<String, BTreeMap<String, u8>>,
    }

    #[test]
    fn a_key_twice_is_an_error_where_it_is_written() {
        let ok: Holder = ron::from_str(r#"(flat: {"a": 1, "b": 2}, nested: {"x": {"a": 1}})"#)
            .expect("unique keys");
        assert_eq!((ok.flat.len(), ok.nested["x"]["a"]), (2, 1));
        let error = ron::from_str::<Holder>("(flat: {\"a\": 1,\n \"a\": 2})").unwrap_err();
        assert!(
            error.to_string().contains("key \"a\" appears twice"),
            "{error}"
        );
        assert_eq!(error.span.start.line, 2, "{error:?}");
        let error =
            ron::from_str::<Holder>(r#"(flat: {}, nested: {"x": {"a": 1, "a": 2}})"#).unwrap_err();
        assert!(
            error.to_string().contains("key \"a\" appears twice"),
            "{error}"
        );
        let error =
            ron::from_str::<Holder>(r#"(flat: {}, nested: {"x": {}, "x": {}})"#).unwrap_err();
        assert!(
            error.to_string().contains("key \"x\" appears twice"),
            "{error}"
        );
    }
}
