//! Classified user agents, remembered per agent: most traffic comes from a few hundred
//! browser builds, and classification (two pattern lists) is the costliest part of enrichment.
//!
//! Entries are keyed by a hash with a per-process random key, so the raw user agent strings
//! are not kept even in memory.

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

use quick_cache::sync::Cache;
use skopos_core::enrich::{classify_agent, AgentClass};

/// Distinct user agents remembered; the least recently useful are evicted beyond this.
const CAPACITY: usize = 10_000;

pub(crate) struct AgentCache {
    classes: Cache<u64, Arc<AgentClass>>,
    hasher: RandomState,
}

impl Default for AgentCache {
    fn default() -> Self {
        Self {
            classes: Cache::new(CAPACITY),
            hasher: RandomState::new(),
        }
    }
}

impl AgentCache {
    pub fn classify(&self, user_agent: &str) -> Arc<AgentClass> {
        let key = self.hasher.hash_one(user_agent);
        if let Some(known) = self.classes.get(&key) {
            return known;
        }
        let class = Arc::new(classify_agent(user_agent));
        self.classes.insert(key, Arc::clone(&class));
        class
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_match_classification_and_repeat_from_the_cache() {
        let cache = AgentCache::default();
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
        let first = cache.classify(chrome);
        assert_eq!(*first, classify_agent(chrome));
        assert!(Arc::ptr_eq(&first, &cache.classify(chrome)));
        let bot = cache.classify("Googlebot/2.1 (+http://www.google.com/bot.html)");
        assert!(bot.is_bot && !first.is_bot);
    }
}
