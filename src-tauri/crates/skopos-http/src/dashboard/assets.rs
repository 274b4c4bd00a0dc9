//! The UI bundle (`ui/dist`, built by `npm run build` in `ui/`), embedded in the binary and
//! served with an ETag of its content, so the browser revalidates the fixed file names
//! cheaply (`304`).

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;
use skopos_api::ApiError;

use super::error_response;
use crate::script::matches_etag;

#[derive(Embed)]
#[folder = "../../../ui/dist"]
struct Bundle;

fn serve(path: &str, request: &HeaderMap) -> Response {
    let Some(file) = Bundle::get(path) else {
        return error_response(&ApiError::not_found("file"));
    };
    let hash = file.metadata.sha256_hash();
    let etag = HeaderValue::from_str(&format!(
        "\"{}\"",
        hash[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    ))
    .expect("hex is a valid header value");
    let validators = [
        (header::ETAG, etag.clone()),
        // Fixed names: revalidate every time.
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    if matches_etag(request, &etag) {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    let mime = HeaderValue::from_str(file.metadata.mimetype())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (validators, [(header::CONTENT_TYPE, mime)], file.data).into_response()
}

pub(super) async fn index(request: HeaderMap) -> Response {
    serve("index.html", &request)
}

pub(super) async fn favicon(request: HeaderMap) -> Response {
    serve("favicon.svg", &request)
}

pub(super) async fn asset(Path(file): Path<String>, request: HeaderMap) -> Response {
    serve(&format!("assets/{file}"), &request)
}
