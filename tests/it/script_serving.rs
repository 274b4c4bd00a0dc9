//! The tracking script as the collector serves it: both bundles and the alias, in the
//! encoding the browser asks for, cacheable and revalidated with `304`.

use std::path::PathBuf;

use reqwest::{Response, StatusCode};

use crate::fixture::{Collector, Options};

fn dist(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../script/dist")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

async fn get(collector: &Collector, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = collector.client.get(format!("{}{path}", collector.base));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn bundles_are_served_in_the_accepted_encoding_and_revalidated() {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        script_alias: Some("/js/app.js".into()),
        ..Options::default()
    };
    let collector = Collector::start(dir.path(), options).await;
    let site = collector.add_site("example.com").await;
    assert_eq!(
        collector
            .app
            .tracking_snippet(&site, "https://stats.example/")
            .html,
        format!(
            r#"<script defer src="https://stats.example/js/app.js" data-site-id="{}"></script>"#,
            site.tracking_id
        ),
        "snippets use the alias"
    );

    for (path, file) in [
        ("/script.js", "skopos.js"),
        ("/js/app.js", "skopos.js"),
        ("/script.lite.js", "skopos.lite.js"),
    ] {
        let plain = dist(file);
        for (accept, encoding) in [
            ("gzip, deflate, br, zstd", Some("br")),
            ("gzip", Some("gzip")),
            ("br;q=0, gzip;q=0.8", Some("gzip")),
            ("identity", None),
        ] {
            let response = get(&collector, path, &[("accept-encoding", accept)]).await;
            assert_eq!(response.status(), StatusCode::OK, "{path} {accept}");
            assert_eq!(header(&response, "content-encoding"), encoding, "{path}");
            assert_eq!(
                header(&response, "content-type"),
                Some("text/javascript; charset=utf-8")
            );
            assert_eq!(header(&response, "vary"), Some("Accept-Encoding"));
            assert!(header(&response, "cache-control")
                .unwrap()
                .contains("max-age=3600"));
            let etag = header(&response, "etag").unwrap().to_owned();
            let body = response.bytes().await.unwrap();
            // The encodings' contents are checked where they are made (skopos-http).
            match encoding {
                None => assert_eq!(body.as_ref(), plain, "{path}"),
                Some(_) => assert!(body.len() * 4 < plain.len() * 3, "{path} {accept}"),
            }

            let again = get(
                &collector,
                path,
                &[("accept-encoding", accept), ("if-none-match", &etag)],
            )
            .await;
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path} {accept}");
            assert_eq!(header(&again, "etag"), Some(etag.as_str()));
            assert!(again.bytes().await.unwrap().is_empty());
        }
    }

    // An ETag of another encoding or an older build is not a match.
    let gzip = get(&collector, "/script.js", &[("accept-encoding", "gzip")]).await;
    let gzip_etag = header(&gzip, "etag").unwrap().to_owned();
    let brotli = get(
        &collector,
        "/script.js",
        &[("accept-encoding", "br"), ("if-none-match", &gzip_etag)],
    )
    .await;
    assert_eq!(brotli.status(), StatusCode::OK);
    let lite = get(
        &collector,
        "/script.lite.js",
        &[("accept-encoding", "gzip"), ("if-none-match", &gzip_etag)],
    )
    .await;
    assert_eq!(lite.status(), StatusCode::OK);

    // HEAD answers the headers alone; other methods and paths are refused.
    let head = collector
        .client
        .head(format!("{}/script.js", collector.base))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert!(head.bytes().await.unwrap().is_empty());
    let post = collector
        .client
        .post(format!("{}/script.js", collector.base))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    for path in ["/js/other.js", "/script.js/x", "/js"] {
        assert_eq!(
            get(&collector, path, &[]).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    collector.stop().await;
}

#[tokio::test]
async fn an_alias_that_is_not_a_plain_free_path_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    for alias in ["/collect", "js/app.js", "/{site}", "/a/../b"] {
        let mut config = skopos_api::AppConfig::new(dir.path().to_owned());
        config.script_alias = Some(alias.into());
        let clock = std::sync::Arc::new(skopos_core::clock::ManualClock::new(0));
        let error = skopos_api::Skopos::open(config, clock).await.err();
        let error = error.unwrap_or_else(|| panic!("{alias} accepted"));
        assert!(error.to_string().contains("script alias"), "{error}");
    }
}
