//! Sites and the rules that decide whose beacons a site accepts.

use std::net::IpAddr;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::visitor::PrivacyMode;
use ts_rs::TS;

/// A tracked website.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Site {
    pub id: i64,
    /// The public id pasted into the tracking snippet.
    pub tracking_id: String,
    #[serde(flatten)]
    pub settings: SiteSettings,
    pub created_at_ms: i64,
    pub archived_at_ms: Option<i64>,
}

/// What the owner edits about a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SiteSettings {
    pub name: String,
    /// The bare host, e.g. `example.com`; `www.example.com` is always accepted too.
    pub domain: String,
    /// Further origins allowed to send beacons: hosts (`staging.example.com`,
    /// `localhost:3000`) or wildcard subdomains (`*.example.com`).
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    #[serde(default)]
    pub privacy_mode: PrivacyMode,
    /// Visitors from these networks are not counted (the owner's office, say).
    #[serde(default)]
    #[ts(as = "Vec<String>")]
    pub ip_exclusions: Vec<IpNet>,
    /// Drop beacons from pages served on localhost (development copies of the site).
    #[serde(default = "default_true")]
    pub ignore_localhost: bool,
    /// IANA time zone that "today" and daily charts use.
    #[serde(default = "default_timezone")]
    pub timezone: String,
}

fn default_true() -> bool {
    true
}

fn default_timezone() -> String {
    "UTC".to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiteError {
    #[error("site name must be 1 to 100 characters")]
    Name,
    #[error("invalid domain: {0}")]
    Domain(String),
    #[error("invalid allowed origin: {0}")]
    Origin(String),
    #[error("unknown time zone: {0}")]
    Timezone(String),
    #[error("too many entries in {0} (max 100)")]
    TooMany(&'static str),
}

impl SiteSettings {
    /// Validates and normalises what the owner typed.
    pub fn validated(mut self) -> Result<Self, SiteError> {
        self.name = self.name.trim().to_owned();
        if self.name.is_empty() || self.name.chars().count() > 100 {
            return Err(SiteError::Name);
        }
        self.domain = normalize_domain(&self.domain)?;
        if self.allowed_origins.len() > 100 {
            return Err(SiteError::TooMany("allowed origins"));
        }
        if self.ip_exclusions.len() > 100 {
            return Err(SiteError::TooMany("ip exclusions"));
        }
        self.allowed_origins = self
            .allowed_origins
            .iter()
            .map(|o| normalize_origin_pattern(o))
            .collect::<Result<_, _>>()?;
        self.timezone = self.timezone.trim().to_owned();
        if self.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(SiteError::Timezone(self.timezone));
        }
        Ok(self)
    }

    /// Whether a browser `Origin` header may send beacons for this site.
    pub fn allows_origin(&self, origin: &str) -> bool {
        let Some(authority) = origin_authority(origin) else {
            return false;
        };
        let host = authority.split(':').next().unwrap_or_default();
        if strip_www(host) == self.domain {
            return true;
        }
        self.allowed_origins
            .iter()
            .any(|pattern| match pattern.strip_prefix("*.") {
                Some(parent) => host.ends_with(&format!(".{parent}")),
                None if pattern.contains(':') => *pattern == authority,
                None => pattern == host,
            })
    }

    pub fn excludes_ip(&self, ip: IpAddr) -> bool {
        self.ip_exclusions.iter().any(|net| net.contains(&ip))
    }
}

/// `https://www.Example.com/path` → `example.com`.
pub fn normalize_domain(input: &str) -> Result<String, SiteError> {
    let authority = host_of(input).ok_or_else(|| SiteError::Domain(input.trim().to_owned()))?;
    let host = authority.split(':').next().unwrap_or_default();
    Ok(strip_www(host).to_owned())
}

fn normalize_origin_pattern(input: &str) -> Result<String, SiteError> {
    let trimmed = input.trim();
    let (wildcard, rest) = match trimmed.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let authority = host_of(rest).ok_or_else(|| SiteError::Origin(trimmed.to_owned()))?;
    Ok(if wildcard {
        format!("*.{authority}")
    } else {
        authority
    })
}

/// Lower-cased `host[:port]` of a URL or bare host, if it looks like one.
fn host_of(input: &str) -> Option<String> {
    let input = input.trim();
    let with_scheme = if input.contains("://") {
        input.to_owned()
    } else {
        format!("https://{input}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    if host.is_empty() || host.len() > 253 || !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// The `host[:port]` of an `Origin` header; `None` for `null` and garbage.
fn origin_authority(origin: &str) -> Option<String> {
    origin.contains("://").then(|| host_of(origin)).flatten()
}

fn strip_www(host: &str) -> &str {
    host.strip_prefix("www.").unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(domain: &str, origins: &[&str]) -> SiteSettings {
        SiteSettings {
            name: " Example ".into(),
            domain: domain.into(),
            allowed_origins: origins.iter().map(|s| s.to_string()).collect(),
            privacy_mode: PrivacyMode::Strict,
            ip_exclusions: vec!["10.0.0.0/8".parse().unwrap()],
            ignore_localhost: true,
            timezone: "Europe/Berlin".into(),
        }
        .validated()
        .unwrap()
    }

    #[test]
    fn domains_are_normalised() {
        assert_eq!(
            normalize_domain("https://www.Example.com/path?q").unwrap(),
            "example.com"
        );
        assert_eq!(
            normalize_domain("blog.example.com").unwrap(),
            "blog.example.com"
        );
        assert!(normalize_domain("").is_err());
        assert!(normalize_domain("ftp://example.com").is_err());
        assert!(normalize_domain("exa mple.com").is_err());
    }

    #[test]
    fn origins_match_domain_with_and_without_www() {
        let site = settings(
            "https://www.example.com",
            &["localhost:3000", "*.preview.dev", "Staging.Example.org"],
        );
        assert_eq!(site.name, "Example");
        assert!(site.allows_origin("https://example.com"));
        assert!(site.allows_origin("https://www.example.com"));
        assert!(site.allows_origin("http://example.com:8080"));
        assert!(site.allows_origin("http://localhost:3000"));
        assert!(!site.allows_origin("http://localhost:4000"));
        assert!(site.allows_origin("https://pr-1.preview.dev"));
        assert!(!site.allows_origin("https://preview.dev.evil.com"));
        assert!(site.allows_origin("https://staging.example.org"));
        assert!(!site.allows_origin("https://notexample.com"));
        assert!(!site.allows_origin("https://example.com.evil.com"));
        assert!(!site.allows_origin("null"));
        assert!(!site.allows_origin(""));
    }

    #[test]
    fn invalid_settings_are_refused() {
        let mut bad = settings("example.com", &[]);
        bad.timezone = "Mars/Olympus".into();
        assert_eq!(
            bad.clone().validated(),
            Err(SiteError::Timezone("Mars/Olympus".into()))
        );
        bad.timezone = "UTC".into();
        bad.name = "".into();
        assert_eq!(bad.clone().validated(), Err(SiteError::Name));
        bad.name = "ok".into();
        bad.allowed_origins = vec!["not a host".into()];
        assert!(matches!(bad.validated(), Err(SiteError::Origin(_))));
    }

    #[test]
    fn ip_exclusions_use_networks() {
        let site = settings("example.com", &[]);
        assert!(site.excludes_ip("10.1.2.3".parse().unwrap()));
        assert!(!site.excludes_ip("11.1.2.3".parse().unwrap()));
    }
}
