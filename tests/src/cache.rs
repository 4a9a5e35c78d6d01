//! Per-key, compute-once caches shared by all tests of one process.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Values computed at most once per key, even when several test threads ask
/// for the same key at the same time (the others wait for the first).
pub(crate) struct Memo<V> {
    slots: Mutex<BTreeMap<String, Arc<OnceLock<V>>>>,
}

impl<V: Clone> Memo<V> {
    pub(crate) const fn new() -> Self {
        Memo {
            slots: Mutex::new(BTreeMap::new()),
        }
    }

    pub(crate) fn get(&self, key: &str, compute: impl FnOnce() -> V) -> V {
        let slot = {
            let mut slots = self
                .slots
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::clone(slots.entry(key.to_owned()).or_default())
        };
        slot.get_or_init(compute).clone()
    }
}

impl<V: Clone> Memo<Result<V, String>> {
    /// `get` for a computation that may fail: a failure is kept as its
    /// text (causes included) and given to every caller for that key.
    pub(crate) fn try_get<E: std::fmt::Debug>(
        &self,
        key: &str,
        compute: impl FnOnce() -> Result<V, E>,
    ) -> anyhow::Result<V> {
        self.get(key, || compute().map_err(|e| format!("{e:?}")))
            .map_err(anyhow::Error::msg)
    }
}
