//! The web dashboard's owner account and login sessions (migration 0010). Hashing and
//! tokens are the caller's: this module stores what it is given.

use sqlx::Row;

use crate::{Store, StoreError};

/// A login session found by its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub username: String,
    pub csrf_token: String,
}

impl Store {
    pub async fn has_dashboard_user(&self) -> Result<bool, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM dashboard_users)")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Creates the owner account, unless one exists already ([`StoreError::Conflict`]):
    /// one statement, so two racing registrations cannot both succeed.
    pub async fn create_dashboard_user(
        &self,
        username: &str,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO dashboard_users (username, password_hash, created_at) \
             SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM dashboard_users)",
        )
        .bind(username)
        .bind(password_hash)
        .bind(now_ms)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(StoreError::Conflict);
        }
        Ok(())
    }

    /// The account's id and password hash, matching the name case-insensitively.
    pub async fn dashboard_password_hash(
        &self,
        username: &str,
    ) -> Result<Option<(i64, String)>, StoreError> {
        let row = sqlx::query("SELECT id, password_hash FROM dashboard_users WHERE username = ?")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(row) => Some((row.try_get(0)?, row.try_get(1)?)),
            None => None,
        })
    }

    /// Stores a login session; expired ones are dropped on the way.
    pub async fn create_dashboard_login(
        &self,
        token_hash: &[u8],
        user_id: i64,
        csrf_token: &str,
        now_ms: i64,
        expires_at_ms: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM dashboard_logins WHERE expires_at <= ?")
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO dashboard_logins (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now_ms)
        .bind(expires_at_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The unexpired login session stored under `token_hash`.
    pub async fn dashboard_login(
        &self,
        token_hash: &[u8],
        now_ms: i64,
    ) -> Result<Option<Login>, StoreError> {
        let row = sqlx::query(
            "SELECT u.username, l.csrf_token FROM dashboard_logins l \
             JOIN dashboard_users u ON u.id = l.user_id \
             WHERE l.token_hash = ? AND l.expires_at > ?",
        )
        .bind(token_hash)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(Login {
                username: row.try_get(0)?,
                csrf_token: row.try_get(1)?,
            }),
            None => None,
        })
    }

    pub async fn delete_dashboard_login(&self, token_hash: &[u8]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM dashboard_logins WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
