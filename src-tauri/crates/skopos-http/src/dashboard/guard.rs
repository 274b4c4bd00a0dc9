//! Who may call the API: the login cookie (HttpOnly, SameSite=Strict) names a login
//! session; state-changing requests must also carry that session's CSRF token and must not
//! come from another origin. A request failing either gets `401` or `403` as JSON.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::response::Response;
use skopos_api::{ApiError, ErrorCode, LOGIN_LIFETIME_MS};

use super::{error_response, Dashboard};

pub(super) const COOKIE: &str = "skopos_session";
pub(super) const CSRF_HEADER: &str = "x-skopos-csrf";

/// The login session's cookie token, if the request has one.
pub(super) fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, token)| token)
        .filter(|token| !token.is_empty() && token.len() <= 128)
}

/// `Set-Cookie` for a new login, or (with `None`) one that clears it.
pub(super) fn session_cookie(token: Option<&str>) -> HeaderValue {
    let cookie = match token {
        Some(token) => format!(
            "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
            LOGIN_LIFETIME_MS / 1000
        ),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    };
    HeaderValue::from_str(&cookie).expect("tokens are URL-safe base64")
}

fn refused(code: ErrorCode, message: &str) -> Response {
    error_response(&ApiError {
        code,
        message: message.into(),
    })
}

/// Refuses a request from another origin: a browser names the page's origin in `Origin`
/// (and `Sec-Fetch-Site`), which must be this dashboard's own host.
pub(super) fn check_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let forbidden = || ApiError {
        code: ErrorCode::Forbidden,
        message: "cross-origin requests are refused".into(),
    };
    if let Some(site) = headers.get("sec-fetch-site") {
        if !matches!(site.as_bytes(), b"same-origin" | b"none") {
            return Err(forbidden());
        }
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| url::Url::parse(o).ok())
        .and_then(|url| {
            let host = url.host_str()?.to_owned();
            Some(match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        });
    match (origin_host, host) {
        (Some(origin), Some(host)) if origin.eq_ignore_ascii_case(host) => Ok(()),
        _ => Err(forbidden()),
    }
}

/// A logged-in request (its cookie token); for anything but `GET` also same-origin and
/// with the CSRF token.
pub(super) struct LoggedInUser {
    pub token: String,
}

impl FromRequestParts<Dashboard> for LoggedInUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, dash: &Dashboard) -> Result<Self, Response> {
        let unauthorized = || refused(ErrorCode::Unauthorized, "log in first");
        let token = session_token(&parts.headers).ok_or_else(unauthorized)?;
        let login = dash
            .app
            .dashboard_login(token)
            .await
            .map_err(|error| error_response(&error))?
            .ok_or_else(unauthorized)?;
        if parts.method != Method::GET {
            check_origin(&parts.headers).map_err(|error| error_response(&error))?;
            let sent = parts.headers.get(CSRF_HEADER).map(HeaderValue::as_bytes);
            if !sent.is_some_and(|sent| constant_time_eq(sent, login.csrf_token.as_bytes())) {
                return Err(refused(
                    ErrorCode::Forbidden,
                    "missing or wrong CSRF token; reload the page",
                ));
            }
        }
        Ok(Self {
            token: token.to_owned(),
        })
    }
}

/// Compares without leaking how much matched (`blake3::Hash` equality is constant-time).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    blake3::hash(a) == blake3::hash(b)
}
