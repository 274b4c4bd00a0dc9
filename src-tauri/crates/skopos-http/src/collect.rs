//! The beacon endpoints (`POST /collect`, `POST /api/event`) and `GET /health`.
//!
//! Checks run cheapest first: rate (a layer), content type, size, shape, site, origin.
//! Every refusal is a status with a short plain-text reason; nothing is stored unless the
//! whole beacon is valid, and `204` is sent only after its hits are committed.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use skopos_api::{IngestError, Requester};
use skopos_core::beacon::{self, PayloadError};
use skopos_core::limits::MAX_BODY_BYTES;

use crate::{cors, CollectorState};

enum Rejection {
    MediaType,
    TooLarge,
    Unreadable,
    Payload(PayloadError),
    Ingest(IngestError),
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let retry = |seconds: &'static str, reason: &'static str| {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, seconds)],
                reason,
            )
                .into_response()
        };
        match self {
            Self::MediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "content type must be text/plain or application/json",
            )
                .into_response(),
            Self::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("body larger than {MAX_BODY_BYTES} bytes"),
            )
                .into_response(),
            Self::Unreadable => (StatusCode::BAD_REQUEST, "could not read body").into_response(),
            Self::Payload(error) => (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
            Self::Ingest(error) => match error {
                IngestError::UnknownSite => {
                    (StatusCode::NOT_FOUND, error.to_string()).into_response()
                }
                IngestError::ForbiddenOrigin => {
                    (StatusCode::FORBIDDEN, error.to_string()).into_response()
                }
                IngestError::Busy => retry("1", "collector is busy, retry later"),
                IngestError::Unavailable => retry("5", "collector is shutting down"),
                IngestError::Storage => {
                    (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response()
                }
            },
        }
    }
}

pub(crate) async fn beacon(
    State(state): State<CollectorState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let origin = cors::origin(&headers);
    let result = accept(&state, peer, &headers, body).await;
    let forbidden = matches!(result, Err(Rejection::Ingest(IngestError::ForbiddenOrigin)));
    let mut response = match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(rejection) => rejection.into_response(),
    };
    if let Some(origin) = origin.filter(|_| !forbidden) {
        if state.app.origin_is_known(origin).await {
            cors::allow(&mut response, origin);
        }
    }
    response
}

async fn accept(
    state: &CollectorState,
    peer: SocketAddr,
    headers: &HeaderMap,
    body: Body,
) -> Result<(), Rejection> {
    check_content_type(headers)?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES) {
        return Err(Rejection::TooLarge);
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|error| {
            let too_large = std::error::Error::source(&error)
                .is_some_and(|source| source.is::<http_body_util::LengthLimitError>());
            if too_large {
                Rejection::TooLarge
            } else {
                Rejection::Unreadable
            }
        })?;
    let beacon = beacon::parse(&bytes).map_err(Rejection::Payload)?;
    let requester = Requester {
        ip: state.trusted_proxy.client_ip(peer, headers),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
        origin: cors::origin(headers),
    };
    state
        .app
        .ingest(beacon, &requester)
        .await
        .map(drop)
        .map_err(Rejection::Ingest)
}

/// Trackers send `text/plain` (no preflight) or `application/json` (the seed script); a
/// missing type is accepted because `navigator.sendBeacon` may omit it.
fn check_content_type(headers: &HeaderMap) -> Result<(), Rejection> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let essence = value
        .to_str()
        .map_err(|_| Rejection::MediaType)?
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/plain" | "application/json" => Ok(()),
        _ => Err(Rejection::MediaType),
    }
}

/// Names this process's instance id too, so the public-URL check can tell that a tunnel
/// reaches this very collector.
pub(crate) async fn health(State(state): State<CollectorState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "instance": state.app.instance_id(),
    }))
}
