//! The web dashboard: a second listener, separate from the public collector and on
//! loopback by default, serving the UI bundle, a JSON API that mirrors the desktop app's
//! commands (`POST /api/<command>`), live updates as Server-Sent Events (`GET /api/live`),
//! and the owner's login.
//!
//! Every API route but the login state needs a login cookie; every `POST` also needs the
//! login's CSRF token in `X-Skopos-Csrf` and no foreign `Origin` (see [`guard`]).

mod assets;
mod auth;
mod commands;
mod guard;
mod live;
mod wire;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use skopos_api::{ApiError, AppInfo, ErrorCode, SettingsView, Skopos};
use tokio::sync::watch;

use crate::client_ip::TrustedProxy;
use crate::rate_limit::Limiter;
pub use wire::{AuthState, Credentials, LoggedIn};

/// Largest request body the API reads.
const MAX_BODY: usize = 64 * 1024;

/// The Content-Security-Policy of every dashboard response: nothing but this origin.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'self'";

/// What the headless host tells the dashboard about itself.
#[derive(Debug, Clone)]
pub struct DashboardConfig {
    pub app_info: AppInfo,
    pub settings: SettingsView,
    /// Which forwarding header names the client, for the login rate limit.
    pub trusted_proxy: TrustedProxy,
    /// Turns `true` when the server stops, which ends the live streams.
    pub stop: watch::Receiver<bool>,
}

#[derive(Clone)]
struct Dashboard {
    app: Arc<Skopos>,
    config: Arc<DashboardConfig>,
    logins: Limiter,
}

/// The dashboard's routes; serve them on their own listener with [`crate::serve`].
pub fn dashboard_router(app: Arc<Skopos>, config: DashboardConfig) -> Router {
    let logins = Limiter::for_logins(config.trusted_proxy);
    let state = Dashboard {
        app,
        config: Arc::new(config),
        logins,
    };
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::asset))
        .route("/favicon.svg", get(assets::favicon))
        .route("/api/auth/state", get(auth::state))
        .route("/api/auth/register", post(auth::register))
        .route("/api/auth/login", post(auth::login))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/live", get(live::stream))
        .route("/api/{command}", post(commands::call))
        .fallback(|| async { error_response(&ApiError::not_found("page")) })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// An error as the UI reads it: `{code, message}` with the matching HTTP status.
fn error_response(error: &ApiError) -> Response {
    let status = match error.code {
        ErrorCode::Invalid => StatusCode::BAD_REQUEST,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (status, Json(error)).into_response()
}
