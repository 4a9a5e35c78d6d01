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
