//! Registration (only while no account exists), login (rate-limited per client), logout,
//! and the login state the UI starts from.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use skopos_api::{ApiError, ErrorCode, LoginTicket};

use super::guard::{check_origin, session_cookie, session_token, LoggedInUser};
use super::wire::{AuthState, Credentials, LoggedIn};
use super::{error_response, Dashboard};

pub(super) async fn state(State(dash): State<Dashboard>, headers: HeaderMap) -> Response {
    let answer = async {
        let login = match session_token(&headers) {
            Some(token) => dash.app.dashboard_login(token).await?,
            None => None,
        };
        Ok::<_, ApiError>(AuthState {
            has_user: login.is_some() || dash.app.has_dashboard_user().await?,
            user: login.as_ref().map(|login| login.username.clone()),
            csrf: login.map(|login| login.csrf_token),
        })
    };
    match answer.await {
        Ok(state) => Json(state).into_response(),
        Err(error) => error_response(&error),
    }
}

fn logged_in(ticket: LoginTicket) -> Response {
    (
        [(header::SET_COOKIE, session_cookie(Some(&ticket.token)))],
        Json(LoggedIn {
            user: ticket.username,
            csrf: ticket.csrf_token,
        }),
    )
        .into_response()
}

/// Reads the credentials, refusing a foreign origin first (login CSRF).
fn credentials(headers: &HeaderMap, body: &[u8]) -> Result<Credentials, ApiError> {
    check_origin(headers)?;
    serde_json::from_slice(body)
        .map_err(|_| ApiError::invalid("send {\"username\": \"…\", \"password\": \"…\"} as JSON"))
}

pub(super) async fn register(
    State(dash): State<Dashboard>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let credentials = match credentials(&headers, &body) {
        Ok(credentials) => credentials,
        Err(error) => return error_response(&error),
    };
    match dash
        .app
        .register_owner(&credentials.username, &credentials.password)
        .await
    {
        Ok(ticket) => logged_in(ticket),
        Err(error) => error_response(&error),
    }
}

pub(super) async fn login(
    State(dash): State<Dashboard>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Err(retry_after) = dash.logins.check(peer, &headers) {
        let mut response = error_response(&ApiError {
            code: ErrorCode::RateLimited,
            message: format!("too many login attempts; try again in {retry_after} s"),
        });
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, retry_after.into());
        return response;
    }
    let credentials = match credentials(&headers, &body) {
        Ok(credentials) => credentials,
        Err(error) => return error_response(&error),
    };
    match dash
        .app
        .log_in(&credentials.username, Some(&credentials.password))
        .await
    {
        Ok(Some(ticket)) => logged_in(ticket),
        Ok(None) => {
            tracing::info!("dashboard login refused");
            error_response(&ApiError {
                code: ErrorCode::Unauthorized,
                message: "wrong username or password".into(),
            })
        }
        Err(error) => error_response(&error),
    }
}

pub(super) async fn logout(State(dash): State<Dashboard>, user: LoggedInUser) -> Response {
    if let Err(error) = dash.app.log_out(&user.token).await {
        return error_response(&error);
    }
    (
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session_cookie(None))],
    )
        .into_response()
}
