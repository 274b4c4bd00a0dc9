//! Turns a validated [`Beacon`] and what the request revealed into [`Hit`]s.
//!
//! This is where raw IPs and user agents are consumed: they go into the visitor hash,
//! the bot check, the UA classification and the geo lookup, and nothing downstream
//! ever sees them.

use std::net::IpAddr;
use std::sync::Arc;

use crate::beacon::Beacon;
use crate::bot;
use crate::geo::GeoDb;
use crate::hit::{Hit, Visit};
use crate::period::Calendar;
use crate::referrer;
use crate::site::Site;
use crate::ua;
use crate::visitor::{self, Salts, VisitorInput};

/// What the collector learned from the request itself.
pub struct RequestFacts<'a> {
    pub ip: IpAddr,
    pub user_agent: &'a str,
    /// [`classify_agent`] of `user_agent`, possibly from a cache.
    pub agent: &'a AgentClass,
    pub now_ms: i64,
}

/// Everything that depends on the user agent string alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentClass {
    pub is_bot: bool,
    pub agent: ua::UserAgent,
}

/// Classifies a user agent. A pure function of the string, and the costliest step of
/// enrichment (pattern lists), so the application caches its answers.
pub fn classify_agent(user_agent: &str) -> AgentClass {
    AgentClass {
        is_bot: bot::is_bot_agent(user_agent),
        agent: ua::parse_user_agent(user_agent),
    }
}

/// Why a well-formed beacon is not stored; the tracker still gets a success reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropReason {
    Bot,
    ExcludedIp,
    Localhost,
}

impl DropReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bot => "bot",
            Self::ExcludedIp => "excluded ip",
            Self::Localhost => "localhost",
        }
    }
}

pub fn enrich(
    beacon: Beacon,
    site: &Site,
    request: &RequestFacts<'_>,
    salts: &Salts,
    geo: &GeoDb,
) -> Result<Vec<Hit>, DropReason> {
    if request.agent.is_bot || bot::has_headless_screen(beacon.screen) {
        return Err(DropReason::Bot);
    }
    if site.settings.excludes_ip(request.ip) {
        return Err(DropReason::ExcludedIp);
    }
    if site.settings.ignore_localhost && is_local_host(&beacon.page.host) {
        return Err(DropReason::Localhost);
    }
    let visitor_id = visitor::visitor_id(
        site.settings.privacy_mode,
        salts,
        site.id,
        &VisitorInput {
            ip: request.ip,
            user_agent: request.user_agent,
            client_id: beacon.client_id.as_deref(),
        },
    );
    let agent = request.agent.agent.clone();
    let place = geo.lookup(request.ip);
    let acquisition = referrer::classify_acquisition(
        beacon.referrer.as_deref(),
        &beacon.page.host,
        beacon.page.utm.source.as_deref(),
        beacon.page.utm.medium.as_deref(),
    );
    let visit = Arc::new(Visit {
        referrer_host: acquisition.referrer_host,
        channel: acquisition.channel,
        utm: beacon.page.utm.clone(),
        browser: agent.browser,
        browser_version: agent.browser_version,
        os: agent.os,
        device: agent.device,
        country: place.country,
        region: place.region,
        language: beacon.language.clone(),
        screen: beacon.screen.map(|(w, h)| format!("{w}x{h}")),
        day: Calendar::new(&site.settings.timezone).day_number(request.now_ms),
    });
    Ok(beacon
        .events
        .into_iter()
        .map(|event| Hit {
            site_id: site.id,
            visitor_id,
            at_ms: request.now_ms,
            path: event.path,
            visit: Arc::clone(&visit),
            kind: event.kind,
        })
        .collect())
}

fn is_local_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::beacon;
    use crate::referrer::Channel;
    use crate::site::SiteSettings;
    use crate::visitor::PrivacyMode;

    const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    fn site() -> Site {
        Site {
            id: 7,
            tracking_id: "t".into(),
            settings: SiteSettings {
                name: "Example".into(),
                domain: "example.com".into(),
                allowed_origins: vec![],
                privacy_mode: PrivacyMode::Strict,
                ip_exclusions: vec!["192.0.2.0/24".parse().unwrap()],
                ignore_localhost: true,
                timezone: "UTC".into(),
            },
            created_at_ms: 0,
            archived_at_ms: None,
        }
    }

    fn salts() -> Salts {
        Salts {
            daily: [1; 32],
            network: [2; 32],
            persistent: [3; 32],
        }
    }

    fn beacon(url: &str) -> Beacon {
        let body = serde_json::json!({"site": "t", "url": url, "referrer": "https://www.google.com/",
            "screen": [1920, 1080], "language": "de",
            "events": [{"kind": "pageview"}, {"kind": "event", "name": "go"}]});
        beacon::parse(body.to_string().as_bytes()).unwrap()
    }

    fn facts<'a>(ip: &str, agent: &'a AgentClass, ua: &'a str) -> RequestFacts<'a> {
        RequestFacts {
            ip: ip.parse().unwrap(),
            user_agent: ua,
            agent,
            now_ms: 1_000,
        }
    }

    #[test]
    fn a_browser_visit_becomes_hits_sharing_one_visit() {
        let geo = GeoDb::bundled();
        let chrome = classify_agent(CHROME);
        let hits = enrich(
            beacon("https://example.com/a"),
            &site(),
            &facts("8.8.8.8", &chrome, CHROME),
            &salts(),
            &geo,
        )
        .unwrap();
        assert_eq!(hits.len(), 2);
        assert!(Arc::ptr_eq(&hits[0].visit, &hits[1].visit));
        let visit = &hits[0].visit;
        assert_eq!(visit.channel, Channel::Search);
        assert_eq!(visit.referrer_host.as_deref(), Some("google.com"));
        assert_eq!(visit.browser.as_deref(), Some("Chrome"));
        assert_eq!(visit.country.as_deref(), Some("US"));
        assert_eq!(visit.screen.as_deref(), Some("1920x1080"));
        assert_eq!(hits[0].at_ms, 1_000);
        assert_eq!(hits[0].site_id, 7);
    }

    #[test]
    fn bots_excluded_networks_and_localhost_are_dropped() {
        let geo = GeoDb::bundled();
        let chrome = classify_agent(CHROME);
        let googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
        let crawler = classify_agent(googlebot);
        let drop = |b, f| enrich(b, &site(), &f, &salts(), &geo).unwrap_err();
        assert_eq!(
            drop(
                beacon("https://example.com/"),
                facts("8.8.8.8", &crawler, googlebot)
            ),
            DropReason::Bot
        );
        assert_eq!(
            drop(
                beacon("https://example.com/"),
                facts("192.0.2.9", &chrome, CHROME)
            ),
            DropReason::ExcludedIp
        );
        assert_eq!(
            drop(
                beacon("http://localhost:3000/"),
                facts("8.8.8.8", &chrome, CHROME)
            ),
            DropReason::Localhost
        );
        assert_eq!(
            drop(
                beacon("http://127.0.0.1/"),
                facts("8.8.8.8", &chrome, CHROME)
            ),
            DropReason::Localhost
        );
        let mut allow_local = site();
        allow_local.settings.ignore_localhost = false;
        assert!(enrich(
            beacon("http://localhost/"),
            &allow_local,
            &facts("8.8.8.8", &chrome, CHROME),
            &salts(),
            &geo
        )
        .is_ok());
    }
}
