//! CORS for the beacon routes: only origins some site accepts, never with credentials.
//!
//! A preflight does not say which site it is for, so it is allowed when any active site
//! accepts the origin; the beacon itself is then checked against its own site (`403`).
//! Requests without an `Origin` header (same-origin, server-side) need no CORS at all.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::CollectorState;

const MAX_AGE_SECONDS: &str = "86400";

pub(crate) fn origin(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())
}

pub(crate) async fn preflight(State(state): State<CollectorState>, headers: HeaderMap) -> Response {
    let Some(origin) = origin(&headers) else {
        return StatusCode::NO_CONTENT.into_response();
    };
    if !state.app.origin_is_known(origin).await {
        return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    allow(&mut response, origin);
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("content-type"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static(MAX_AGE_SECONDS),
    );
    response
}

/// Lets the page at `origin` read the response.
pub(crate) fn allow(response: &mut Response, origin: &str) {
    let Ok(value) = HeaderValue::from_str(origin) else {
        return;
    };
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("retry-after"),
    );
    headers.append(header::VARY, HeaderValue::from_static("origin"));
}
