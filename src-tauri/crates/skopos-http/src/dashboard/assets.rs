//! The UI bundle (`ui/dist`, built by `npm run build` in `ui/`), embedded in the binary.

use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;
use skopos_api::ApiError;

use super::error_response;

#[derive(Embed)]
#[folder = "../../../ui/dist"]
struct Bundle;

fn serve(path: &str) -> Response {
    let Some(file) = Bundle::get(path) else {
        return error_response(&ApiError::not_found("file"));
    };
    let mime = file.metadata.mimetype();
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(mime)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            // Fixed names: revalidate every time (the ETag makes that cheap).
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        file.data,
    )
        .into_response()
}

pub(super) async fn index() -> Response {
    serve("index.html")
}

pub(super) async fn favicon() -> Response {
    serve("favicon.svg")
}

pub(super) async fn asset(Path(file): Path<String>) -> Response {
    serve(&format!("assets/{file}"))
}
