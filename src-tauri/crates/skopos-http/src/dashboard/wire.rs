//! The login API's request and response bodies (their TypeScript twins are generated).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `GET /api/auth/state`: whether the owner account exists and who is logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuthState {
    /// `false` on first run: the dashboard offers registration.
    pub has_user: bool,
    pub user: Option<String>,
    /// The token to send as `X-Skopos-Csrf` with every `POST`.
    pub csrf: Option<String>,
}

/// `POST /api/auth/register` and `/api/auth/login` (no `Debug`: it holds a password).
#[derive(Clone, Deserialize, TS)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// The answer to a successful register or login (the cookie comes in `Set-Cookie`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoggedIn {
    pub user: String,
    pub csrf: String,
}
