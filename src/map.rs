//! [`Map`]: the maps of reports, summaries and rating overrides: a sorted `Vec` (`litemap`), which in the
//! wasm is a fraction of `BTreeMap`'s node code (BENCHMARKS.md row 3), with the same key order.

use std::borrow::Borrow;
use std::ops::{Deref, DerefMut, Index};

use litemap::LiteMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map sorted by key. Reads and writes are `LiteMap`'s (through `Deref`); it always serializes as a map
/// (`LiteMap` writes an empty map as `[]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Map<K, V>(LiteMap<K, V>);

impl<K, V> Map<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        Map(LiteMap::new())
    }
}

impl<K, V> Default for Map<K, V> {
    fn default() -> Self {
        Map::new()
    }
}

impl<K, V> Deref for Map<K, V> {
    type Target = LiteMap<K, V>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<K, V> DerefMut for Map<K, V> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for Map<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        Map(items.into_iter().collect())
    }
}

/// `map[key]` as with `BTreeMap`: panics when `key` is absent (for tests and known keys).
impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> Index<&Q> for Map<K, V> {
    type Output = V;
    fn index(&self, key: &Q) -> &V {
        self.0.get(key).expect("key not in map")
    }
}

impl<'a, K, V> IntoIterator for &'a Map<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = <&'a LiteMap<K, V> as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<K, V> IntoIterator for Map<K, V> {
    type Item = (K, V);
    type IntoIter = <LiteMap<K, V> as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<K: Serialize, V: Serialize> Serialize for Map<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter())
    }
}

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for Map<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        LiteMap::deserialize(deserializer).map(Map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_by_key_and_a_map_when_empty() {
        let mut m: Map<String, u64> = Map::new();
        assert_eq!(serde_json::to_string(&m).unwrap(), "{}");
        m.insert("b".into(), 2);
        m.insert("a".into(), 1);
        *m.entry("b".into()).or_insert(0) += 1;
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"a":1,"b":3}"#);
        let back: Map<String, u64> = serde_json::from_str(r#"{"b":3,"a":1}"#).unwrap();
        assert_eq!(back, m);
    }
}
