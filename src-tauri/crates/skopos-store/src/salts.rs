//! The salts repository: one secret per (scope, period), older periods deleted.

use skopos_core::visitor::{Salt, SaltScope};

use crate::{Store, StoreError};

impl Store {
    /// The salt of a scope's period: the stored one, or `candidate` when there is none yet.
    /// Salts of the scope's earlier periods are deleted in the same transaction, so an old
    /// salt never outlives its period.
    pub async fn salt_for_period(
        &self,
        scope: SaltScope,
        period: i64,
        candidate: Salt,
        now_ms: i64,
    ) -> Result<Salt, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT OR IGNORE INTO salts (scope, period, secret, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(scope.as_str())
        .bind(period)
        .bind(&candidate[..])
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM salts WHERE scope = ? AND period < ?")
            .bind(scope.as_str())
            .bind(period)
            .execute(&mut *tx)
            .await?;
        let secret: Vec<u8> =
            sqlx::query_scalar("SELECT secret FROM salts WHERE scope = ? AND period = ?")
                .bind(scope.as_str())
                .bind(period)
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        secret.try_into().map_err(|_| {
            StoreError::Corrupt(format!("{} salt has the wrong length", scope.as_str()))
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::testing;
    use skopos_core::visitor::SaltScope;

    #[tokio::test]
    async fn a_period_keeps_its_first_salt_and_rotation_deletes_the_old_one() {
        let (store, _dir) = testing::store().await;
        let first = store
            .salt_for_period(SaltScope::Daily, 100, [1; 32], 0)
            .await
            .unwrap();
        assert_eq!(first, [1; 32]);
        let again = store
            .salt_for_period(SaltScope::Daily, 100, [2; 32], 0)
            .await
            .unwrap();
        assert_eq!(again, [1; 32], "a period's salt never changes");
        let next = store
            .salt_for_period(SaltScope::Daily, 101, [3; 32], 0)
            .await
            .unwrap();
        assert_eq!(next, [3; 32]);
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM salts WHERE scope = 'daily'")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(stored, 1, "yesterday's salt is gone");
        // Other scopes are untouched by a daily rotation.
        store
            .salt_for_period(SaltScope::Persistent, 0, [4; 32], 0)
            .await
            .unwrap();
        store
            .salt_for_period(SaltScope::Daily, 102, [5; 32], 0)
            .await
            .unwrap();
        let persistent = store
            .salt_for_period(SaltScope::Persistent, 0, [6; 32], 0)
            .await
            .unwrap();
        assert_eq!(persistent, [4; 32]);
    }
}
