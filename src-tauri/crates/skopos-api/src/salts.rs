//! Current visitor-hashing salts, rotated when their period ends.

use rand::RngCore;
use skopos_core::visitor::{Salt, SaltScope, Salts};
use skopos_store::{Store, StoreError};
use tokio::sync::RwLock;

#[derive(Default)]
pub(crate) struct SaltCache {
    current: RwLock<Option<Current>>,
}

struct Current {
    periods: [i64; 3],
    salts: Salts,
}

impl SaltCache {
    /// The salts for `now_ms`, creating and storing new ones when a period has begun
    /// (which also deletes the previous period's salt).
    pub async fn at(&self, store: &Store, now_ms: i64) -> Result<Salts, StoreError> {
        let periods = SaltScope::ALL.map(|scope| scope.period(now_ms));
        if let Some(cached) = self
            .current
            .read()
            .await
            .as_ref()
            .filter(|c| c.periods == periods)
        {
            return Ok(cached.salts.clone());
        }
        let mut current = self.current.write().await;
        if let Some(cached) = current.as_ref().filter(|c| c.periods == periods) {
            return Ok(cached.salts.clone());
        }
        let mut fetched = [[0u8; 32]; 3];
        for (slot, (scope, period)) in fetched
            .iter_mut()
            .zip(SaltScope::ALL.into_iter().zip(periods))
        {
            *slot = store
                .salt_for_period(scope, period, random_salt(), now_ms)
                .await?;
        }
        let [daily, network, persistent] = fetched;
        let salts = Salts {
            daily,
            network,
            persistent,
        };
        *current = Some(Current {
            periods,
            salts: salts.clone(),
        });
        Ok(salts)
    }
}

fn random_salt() -> Salt {
    let mut salt = [0u8; 32];
    rand::rng().fill_bytes(&mut salt);
    salt
}
