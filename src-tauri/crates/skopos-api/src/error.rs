//! The application's error: a stable code the UI can switch on, and a message a person can read.

use serde::Serialize;
use skopos_core::site::SiteError;
use skopos_store::StoreError;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Invalid,
    NotFound,
    Conflict,
    /// Web dashboard: not logged in.
    Unauthorized,
    /// Web dashboard: a cross-origin request or a missing CSRF token.
    Forbidden,
    /// Web dashboard: too many login attempts.
    RateLimited,
    Unavailable,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, TS)]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Invalid,
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self {
            code: ErrorCode::NotFound,
            message: format!("{what} not found"),
        }
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::Unavailable,
            message: message.into(),
        }
    }
}

/// Maps a store error, naming `what` was not found when that is the error.
pub(crate) fn not_found(what: &'static str) -> impl Fn(StoreError) -> ApiError {
    move |error| match error {
        StoreError::NotFound => ApiError::not_found(what),
        other => other.into(),
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::not_found("record"),
            StoreError::Conflict => Self {
                code: ErrorCode::Conflict,
                message: "already exists".into(),
            },
            other => {
                // Details go to the log, not to the caller.
                tracing::error!(error = %other, "storage failure");
                Self {
                    code: ErrorCode::Internal,
                    message: "storage failure".into(),
                }
            }
        }
    }
}

impl From<SiteError> for ApiError {
    fn from(error: SiteError) -> Self {
        Self::invalid(error.to_string())
    }
}
