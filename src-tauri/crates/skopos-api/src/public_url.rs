//! "Does my tunnel URL really reach this collector?": fetch `<url>/health` and compare the
//! instance id it names with this process's own.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, Skopos};

/// How long the check waits for the tunnel to answer.
const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PublicUrlCheck {
    pub url: String,
    /// The URL reaches this very collector.
    pub ok: bool,
    /// What was found, for a person to read.
    pub message: String,
}

/// The part of `/health` the check reads.
#[derive(Deserialize)]
struct Health {
    instance: Option<String>,
}

/// Parses a public (tunnel) URL: an `http` or `https` URL with a host.
pub fn parse_public_url(text: &str) -> Result<url::Url, ApiError> {
    url::Url::parse(text)
        .ok()
        .filter(|parsed| matches!(parsed.scheme(), "http" | "https") && parsed.has_host())
        .ok_or_else(|| ApiError::invalid(format!("{text} is not an http(s) URL")))
}

impl Skopos {
    /// Checks `url`, or the configured public URL when `None`.
    pub async fn check_public_url(&self, url: Option<&str>) -> Result<PublicUrlCheck, ApiError> {
        let Some(url) = url
            .map(str::trim)
            .filter(|url| !url.is_empty())
            .or(self.config.public_url.as_deref())
        else {
            return Err(ApiError::invalid(
                "no public URL is set: enter the URL your tunnel gives the collector",
            ));
        };
        let mut base = parse_public_url(url)?;
        // `https://host/prefix` means a collector mounted at /prefix/.
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let health = base
            .join("health")
            .map_err(|_| ApiError::invalid(format!("{url} is not an http(s) URL")))?;
        let check = |ok: bool, message: String| PublicUrlCheck {
            url: url.to_owned(),
            ok,
            message,
        };
        let client = reqwest::Client::builder()
            .timeout(CHECK_TIMEOUT)
            .build()
            .map_err(|_| ApiError::unavailable("cannot make HTTP requests"))?;
        let response = match client.get(health.clone()).send().await {
            Ok(response) => response,
            Err(error) => {
                let why = if error.is_timeout() {
                    "it did not answer within 10 s".to_owned()
                } else if error.is_connect() {
                    "the connection failed (is the tunnel running?)".to_owned()
                } else {
                    error.without_url().to_string()
                };
                return Ok(check(
                    false,
                    format!("{health} could not be reached: {why}."),
                ));
            }
        };
        let status = response.status();
        if !status.is_success() {
            return Ok(check(
                false,
                format!(
                    "{health} answered HTTP {}: something answers there, but not a Skopos collector.",
                    status.as_u16()
                ),
            ));
        }
        let instance = response
            .json::<Health>()
            .await
            .ok()
            .and_then(|h| h.instance);
        Ok(match instance {
            Some(instance) if instance == self.instance_id => check(
                true,
                format!("{url} reaches this collector: visitors' browsers can send to it."),
            ),
            Some(_) => check(
                false,
                format!("{url} reaches a Skopos collector, but another one than this app's."),
            ),
            None => check(
                false,
                format!("{health} answered, but not as a Skopos collector does."),
            ),
        })
    }
}
