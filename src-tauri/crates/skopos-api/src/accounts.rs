//! The web dashboard's owner account: registration only while none exists (as in the
//! seed), argon2id password hashes, and login sessions as random tokens that the database
//! keeps only as BLAKE3 hashes, each with its own CSRF token.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::Rng;
use skopos_store::{Login, StoreError};

use crate::{ApiError, Skopos};

/// How long a login lasts.
pub const LOGIN_LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;
const MAX_USERNAME_CHARS: usize = 64;
const MIN_PASSWORD_CHARS: usize = 8;
const MAX_PASSWORD_BYTES: usize = 1024;

/// A new login: the token goes into the session cookie, the CSRF token to the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginTicket {
    pub token: String,
    pub csrf_token: String,
    pub username: String,
}

fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::rng().random::<[u8; 32]>())
}

fn token_hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::encode_b64(&rand::rng().random::<[u8; 16]>())
        .map_err(|_| ApiError::unavailable("cannot hash the password"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| ApiError::unavailable("cannot hash the password"))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash no password matches in practice, verified for unknown names so that a wrong
/// name takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

/// Runs argon2 off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(work)
        .await
        .expect("password hashing panicked")
}

fn check_credentials(username: &str, password: &str) -> Result<(), ApiError> {
    let chars = username.chars().count();
    if chars == 0 || chars > MAX_USERNAME_CHARS || username.chars().any(char::is_control) {
        return Err(ApiError::invalid(format!(
            "a username has 1 to {MAX_USERNAME_CHARS} characters"
        )));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::invalid(format!(
            "a password has at least {MIN_PASSWORD_CHARS} characters (and at most {MAX_PASSWORD_BYTES} bytes)"
        )));
    }
    Ok(())
}

impl Skopos {
    pub async fn has_dashboard_user(&self) -> Result<bool, ApiError> {
        Ok(self.store.has_dashboard_user().await?)
    }

    /// Creates the owner account and logs it in; refused once an account exists.
    pub async fn register_owner(
        &self,
        username: &str,
        password: &str,
    ) -> Result<LoginTicket, ApiError> {
        let username = username.trim();
        check_credentials(username, password)?;
        if self.store.has_dashboard_user().await? {
            return Err(registration_closed());
        }
        let password = password.to_owned();
        let hash = blocking(move || hash_password(&password)).await?;
        match self
            .store
            .create_dashboard_user(username, &hash, self.clock.now_ms())
            .await
        {
            Err(StoreError::Conflict) => return Err(registration_closed()),
            result => result?,
        }
        tracing::info!("dashboard owner account created");
        self.log_in(username, None)
            .await?
            .ok_or_else(|| ApiError::unavailable("the new account cannot log in"))
    }

    /// Logs in with a name and password; `None` when they do not match an account. With
    /// `password` `None` the check is skipped (right after registering).
    pub async fn log_in(
        &self,
        username: &str,
        password: Option<&str>,
    ) -> Result<Option<LoginTicket>, ApiError> {
        let username = username.trim();
        if username.is_empty() || username.chars().count() > MAX_USERNAME_CHARS {
            return Ok(None);
        }
        let account = self.store.dashboard_password_hash(username).await?;
        if let Some(password) = password {
            if password.len() > MAX_PASSWORD_BYTES {
                return Ok(None);
            }
            let stored = account
                .as_ref()
                .map_or_else(|| decoy_hash().to_owned(), |(_, hash)| hash.clone());
            let password = password.to_owned();
            let matches = blocking(move || password_matches(&password, &stored)).await;
            if !matches {
                return Ok(None);
            }
        }
        let Some((user_id, _)) = account else {
            return Ok(None);
        };
        let ticket = LoginTicket {
            token: random_token(),
            csrf_token: random_token(),
            username: username.to_owned(),
        };
        let now = self.clock.now_ms();
        self.store
            .create_dashboard_login(
                &token_hash(&ticket.token),
                user_id,
                &ticket.csrf_token,
                now,
                now + LOGIN_LIFETIME_MS,
            )
            .await?;
        Ok(Some(ticket))
    }

    /// The login a session cookie's token stands for, if it is current.
    pub async fn dashboard_login(&self, token: &str) -> Result<Option<Login>, ApiError> {
        Ok(self
            .store
            .dashboard_login(&token_hash(token), self.clock.now_ms())
            .await?)
    }

    pub async fn log_out(&self, token: &str) -> Result<(), ApiError> {
        Ok(self
            .store
            .delete_dashboard_login(&token_hash(token))
            .await?)
    }
}

fn registration_closed() -> ApiError {
    ApiError {
        code: crate::ErrorCode::Conflict,
        message: "the owner account exists already: log in".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hashed_with_a_salt_and_verified() {
        let one = hash_password("correct horse").unwrap();
        let two = hash_password("correct horse").unwrap();
        assert!(one.starts_with("$argon2id$"));
        assert_ne!(one, two, "salted");
        assert!(password_matches("correct horse", &one));
        assert!(!password_matches("correct horsE", &one));
        assert!(!password_matches("correct horse", "not a hash"));
        assert!(!password_matches("anything", decoy_hash()));
    }

    #[test]
    fn credentials_are_checked_before_hashing() {
        assert!(check_credentials("owner", "long enough").is_ok());
        assert!(check_credentials("", "long enough").is_err());
        assert!(check_credentials("own\ner", "long enough").is_err());
        assert!(check_credentials(&"x".repeat(65), "long enough").is_err());
        assert!(check_credentials("owner", "short").is_err());
        assert!(check_credentials("owner", &"p".repeat(2000)).is_err());
    }
}
