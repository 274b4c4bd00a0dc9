//! The tracking script, served by the collector so snippets need no other host.
//!
//! Both bundles are embedded at build time from `script/dist` and compressed once, with
//! gzip and Brotli at their best settings, the first time they are asked for: nothing is
//! compressed per request.
//! Browsers revalidate cheaply: every encoding has its own strong `ETag`, and a matching
//! `If-None-Match` gets `304` with no body.

use std::io::Write;
use std::sync::LazyLock;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Fresh for an hour, then revalidated; a stale copy may be used for a day while that
/// happens, so a script update reaches every page within about an hour.
const CACHE_CONTROL: &str = "public, max-age=3600, stale-while-revalidate=86400";

/// One bundle in the encodings it is stored in.
pub(crate) struct Bundle {
    variants: [Variant; 3],
}

struct Variant {
    /// `Content-Encoding`, or `None` for the uncompressed bytes.
    encoding: Option<&'static str>,
    bytes: Bytes,
    etag: HeaderValue,
}

impl Bundle {
    fn new(plain: &'static [u8]) -> Self {
        let digest = blake3::hash(plain).to_hex();
        let variant = |encoding: Option<&'static str>, bytes| Variant {
            encoding,
            bytes,
            etag: HeaderValue::from_str(&format!(
                "\"{}{}\"",
                &digest[..16],
                encoding.map_or(String::new(), |e| format!("-{e}"))
            ))
            .expect("a hex digest and an encoding name make a valid header value"),
        };
        Self {
            // Preference order when the client accepts several.
            variants: [
                variant(Some("br"), brotli(plain)),
                variant(Some("gzip"), gzip(plain)),
                variant(None, Bytes::from_static(plain)),
            ],
        }
    }
}

fn gzip(plain: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(plain)
        .and_then(|()| encoder.finish())
        .expect("compressing into memory cannot fail")
        .into()
}

fn brotli(plain: &[u8]) -> Bytes {
    const QUALITY: u32 = 11;
    const WINDOW_BITS: u32 = 22;
    let mut encoder = brotli::CompressorWriter::new(Vec::new(), 4096, QUALITY, WINDOW_BITS);
    encoder
        .write_all(plain)
        .expect("compressing into memory cannot fail");
    // Ends the stream.
    encoder.into_inner().into()
}

/// Everything the script does.
pub(crate) static FULL: LazyLock<Bundle> =
    LazyLock::new(|| Bundle::new(include_bytes!("../../../../script/dist/skopos.js")));
/// Pageviews, navigation in single-page apps, custom events and opt-out only.
pub(crate) static LITE: LazyLock<Bundle> =
    LazyLock::new(|| Bundle::new(include_bytes!("../../../../script/dist/skopos.lite.js")));

/// Answers a `GET` (or `HEAD`) for a bundle.
pub(crate) fn respond(bundle: &Bundle, request: &HeaderMap) -> Response {
    let accepted = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let variant = bundle
        .variants
        .iter()
        .find(|v| v.encoding.is_none_or(|e| accepts(accepted, e)))
        .expect("the uncompressed variant is always acceptable");
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, variant.etag.clone());
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if matches_etag(request, &variant.etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    if let Some(encoding) = variant.encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    (headers, variant.bytes.clone()).into_response()
}

/// Whether an `Accept-Encoding` value allows `encoding` (a `q=0` entry refuses it).
fn accepts(accept_encoding: &str, encoding: &str) -> bool {
    accept_encoding.split(',').any(|entry| {
        let mut parts = entry.split(';');
        let name = parts.next().unwrap_or("").trim();
        let refused = parts.any(|param| {
            let param = param.trim();
            param
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        name.eq_ignore_ascii_case(encoding) && !refused
    })
}

/// Whether `If-None-Match` names this ETag (weakly compared, as RFC 9110 asks) or is `*`.
pub(crate) fn matches_etag(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let Some(etag) = etag.to_str().ok() else {
        return false;
    };
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_holds_the_same_script() {
        use std::io::Read;
        for bundle in [&*FULL, &*LITE] {
            let [brotli, gzip, plain] = &bundle.variants;
            let mut unzipped = Vec::new();
            flate2::read::GzDecoder::new(&gzip.bytes[..])
                .read_to_end(&mut unzipped)
                .unwrap();
            assert_eq!(unzipped, plain.bytes);
            let mut unbrotlied = Vec::new();
            brotli::Decompressor::new(&brotli.bytes[..], 4096)
                .read_to_end(&mut unbrotlied)
                .unwrap();
            assert_eq!(unbrotlied, plain.bytes);
            assert!(brotli.bytes.len() < gzip.bytes.len() && gzip.bytes.len() < plain.bytes.len());
        }
    }

    #[test]
    fn accept_encoding_is_read_with_its_refusals() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("GZIP", "gzip"));
        assert!(!accepts("gzip;q=0, br", "gzip"));
        assert!(accepts("gzip;q=0.5", "gzip"));
        assert!(!accepts("", "br"));
        assert!(!accepts("brotli", "br"));
    }

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let etag = HeaderValue::from_static("\"abc-br\"");
        let request = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
            headers
        };
        assert!(matches_etag(&request("\"x\", W/\"abc-br\""), &etag));
        assert!(matches_etag(&request("*"), &etag));
        assert!(!matches_etag(&request("\"abc\""), &etag));
        assert!(!matches_etag(&HeaderMap::new(), &etag));
    }
}
