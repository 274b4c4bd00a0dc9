//! The synthetic site: its pages, referrers, campaigns, custom events and errors, and its
//! visitors' countries, languages, browsers, systems, devices and screens, each drawn from
//! a skewed (Zipf-like) distribution; and the hits of one visit.

use std::sync::Arc;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use skopos_core::beacon::{ErrorReport, EventKind};
use skopos_core::hit::{Hit, Visit};
use skopos_core::page::Utm;
use skopos_core::referrer::{classify_acquisition, Acquisition};
use skopos_core::ua::DeviceKind;

use crate::distributions::*;

/// The site's own host, so that classification treats other hosts as external.
pub const SITE_DOMAIN: &str = "example.com";

/// Draws indexes `0..n` in proportion to fixed weights.
pub struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let cumulative: Vec<f64> = weights
            .into_iter()
            .map(|weight| {
                total += weight.max(0.0);
                total
            })
            .collect();
        assert!(total > 0.0, "at least one positive weight");
        Self { cumulative }
    }

    /// Rank `k` (from 1) weighs `1 / k^s`.
    pub fn zipf(n: usize, s: f64) -> Self {
        Self::new((1..=n).map(|k| (k as f64).powf(-s)))
    }

    pub fn sample(&self, rng: &mut StdRng) -> usize {
        let total = self.cumulative[self.cumulative.len() - 1];
        let x = rng.random::<f64>() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }
}

/// Items with their weights, drawn from in proportion.
struct Table<T: 'static> {
    items: &'static [(T, f64)],
    pick: Weighted,
}

impl<T: Copy> Table<T> {
    fn new(items: &'static [(T, f64)]) -> Self {
        Self {
            items,
            pick: Weighted::new(items.iter().map(|(_, weight)| *weight)),
        }
    }

    fn sample(&self, rng: &mut StdRng) -> T {
        self.items[self.pick.sample(rng)].0
    }
}

/// What stays the same across one visitor's visits.
#[derive(Debug, Clone)]
pub struct Profile {
    pub visitor_id: i64,
    browser: &'static str,
    browser_version: u16,
    os: &'static str,
    device: DeviceKind,
    country: Option<&'static str>,
    language: &'static str,
    screen: &'static str,
}

/// The site, and how its visitors behave.
pub struct Site {
    pages: Vec<String>,
    page_pick: Weighted,
    /// How each referrer classifies without UTM parameters.
    referrers: Vec<Acquisition>,
    referrer_pick: Weighted,
    country_pick: Weighted,
    devices: Table<DeviceKind>,
    os: [Table<&'static str>; 4],
    browsers: Vec<(&'static str, Table<Browser>)>,
    screens: [Table<&'static str>; 3],
    campaign_sources: Table<CampaignSource>,
    campaigns: Vec<String>,
    campaign_pick: Weighted,
    events: Weighted,
    errors: Weighted,
    pageviews: Table<usize>,
}

/// What a generated visit adds up to, by kind of hit.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub pageviews: u64,
    pub custom: u64,
    pub outbound: u64,
    pub downloads: u64,
    pub errors: u64,
    pub engagement: u64,
}

impl Counts {
    /// Hits that become a raw row: events (pageviews, custom, outbound, downloads) and
    /// error occurrences. Engagement reports only update their session.
    pub fn stored_events(&self) -> u64 {
        self.pageviews + self.custom + self.outbound + self.downloads + self.errors
    }

    pub fn hits(&self) -> u64 {
        self.stored_events() + self.engagement
    }

    pub fn add(&mut self, other: &Counts) {
        self.pageviews += other.pageviews;
        self.custom += other.custom;
        self.outbound += other.outbound;
        self.downloads += other.downloads;
        self.errors += other.errors;
        self.engagement += other.engagement;
    }

    fn count(&mut self, kind: &EventKind) {
        match kind {
            EventKind::Pageview => self.pageviews += 1,
            EventKind::Custom { .. } => self.custom += 1,
            EventKind::Outbound { .. } => self.outbound += 1,
            EventKind::Download { .. } => self.downloads += 1,
            EventKind::Error(_) => self.errors += 1,
            EventKind::Engagement { .. } => self.engagement += 1,
            EventKind::Identify(_) => {}
        }
    }
}

impl Site {
    pub fn new(rng: &mut StdRng) -> Self {
        let pages = page_paths(rng);
        let referrers = referrer_hosts()
            .into_iter()
            .map(|host| {
                let url = format!("https://{host}/");
                classify_acquisition(Some(&url), SITE_DOMAIN, None, None)
            })
            .collect::<Vec<_>>();
        let campaigns = (0..CAMPAIGNS)
            .map(|i| {
                const THEMES: &[&str] = &[
                    "launch",
                    "spring-sale",
                    "webinar",
                    "onboarding",
                    "black-friday",
                    "release-notes",
                    "case-study",
                    "retargeting",
                ];
                format!("{}-{}", THEMES[i % THEMES.len()], 2024 + i / THEMES.len())
            })
            .collect();
        Self {
            page_pick: Weighted::zipf(pages.len(), 1.05),
            pages,
            referrer_pick: Weighted::zipf(referrers.len(), 1.0),
            referrers,
            country_pick: Weighted::zipf(COUNTRIES.len(), 1.1),
            devices: Table::new(DEVICES),
            os: [
                Table::new(DESKTOP_OS),
                Table::new(MOBILE_OS),
                Table::new(TABLET_OS),
                Table::new(OTHER_OS),
            ],
            browsers: [
                ("Windows", WINDOWS_BROWSERS),
                ("macOS", MAC_BROWSERS),
                ("Linux", LINUX_BROWSERS),
                ("ChromeOS", CHROMEOS_BROWSERS),
                ("iOS", IOS_BROWSERS),
                ("iPadOS", IOS_BROWSERS),
                ("Android", ANDROID_BROWSERS),
            ]
            .into_iter()
            .map(|(os, browsers)| (os, Table::new(browsers)))
            .collect(),
            screens: [
                Table::new(DESKTOP_SCREENS),
                Table::new(MOBILE_SCREENS),
                Table::new(TABLET_SCREENS),
            ],
            campaign_sources: Table::new(CAMPAIGN_SOURCES),
            campaigns,
            campaign_pick: Weighted::zipf(CAMPAIGNS, 1.2),
            events: Weighted::zipf(CUSTOM_EVENTS.len(), 1.0),
            errors: Weighted::zipf(ERRORS.len(), 1.3),
            pageviews: Table::new(PAGEVIEWS),
        }
    }

    /// A first-time visitor.
    pub fn new_visitor(&self, rng: &mut StdRng) -> Profile {
        let device = self.devices.sample(rng);
        let os = self.os[match device {
            DeviceKind::Desktop => 0,
            DeviceKind::Mobile => 1,
            DeviceKind::Tablet => 2,
            DeviceKind::Other => 3,
        }]
        .sample(rng);
        let browsers = &self
            .browsers
            .iter()
            .find(|(name, _)| *name == os)
            .expect("every system has browsers")
            .1;
        let (browser, oldest, newest) = browsers.sample(rng);
        let (country, language) = if rng.random_bool(0.01) {
            (None, "en-US")
        } else {
            let (country, language) = COUNTRIES[self.country_pick.sample(rng)];
            let language = match rng.random_range(0..10) {
                0..6 => language,
                6..9 => "en-US",
                _ => "en-GB",
            };
            (Some(country), language)
        };
        let screen = match device {
            DeviceKind::Desktop | DeviceKind::Other => self.screens[0].sample(rng),
            DeviceKind::Mobile => self.screens[1].sample(rng),
            DeviceKind::Tablet => self.screens[2].sample(rng),
        };
        Profile {
            // Like a truncated keyed hash: 52 random bits.
            visitor_id: (rng.random::<u64>() >> 12) as i64,
            browser,
            browser_version: rng.random_range(oldest..=newest),
            os,
            device,
            country,
            language,
            screen,
        }
    }

    fn acquisition(
        &self,
        rng: &mut StdRng,
    ) -> (Option<String>, skopos_core::referrer::Channel, Utm) {
        if rng.random_bool(CAMPAIGN_SHARE) {
            let (source, medium, host) = self.campaign_sources.sample(rng);
            let referrer = host
                .filter(|_| rng.random_bool(0.7))
                .map(|host| format!("https://{host}/"));
            let utm = Utm {
                source: Some(source.into()),
                medium: Some(medium.into()),
                campaign: Some(self.campaigns[self.campaign_pick.sample(rng)].clone()),
                term: (medium == "cpc" && rng.random_bool(0.7))
                    .then(|| TERMS[rng.random_range(0..TERMS.len())].into()),
                content: rng
                    .random_bool(0.3)
                    .then(|| CONTENTS[rng.random_range(0..CONTENTS.len())].into()),
            };
            let acquisition =
                classify_acquisition(referrer.as_deref(), SITE_DOMAIN, Some(source), Some(medium));
            return (acquisition.referrer_host, acquisition.channel, utm);
        }
        if rng.random_bool(DIRECT_SHARE) {
            let acquisition = classify_acquisition(None, SITE_DOMAIN, None, None);
            return (
                acquisition.referrer_host,
                acquisition.channel,
                Utm::default(),
            );
        }
        let acquisition = &self.referrers[self.referrer_pick.sample(rng)];
        (
            acquisition.referrer_host.clone(),
            acquisition.channel,
            Utm::default(),
        )
    }

    fn page(&self, rng: &mut StdRng) -> &str {
        &self.pages[self.page_pick.sample(rng)]
    }

    /// The hits of one visit starting at `start_ms`, in time order, none after `until_ms`
    /// (a visit still going on "now" has sent only its first hits).
    pub fn visit(
        &self,
        rng: &mut StdRng,
        site_id: i64,
        profile: &Profile,
        start_ms: i64,
        day: i32,
        until_ms: i64,
    ) -> (Vec<Hit>, Counts) {
        let (referrer_host, channel, utm) = self.acquisition(rng);
        let visit = Arc::new(Visit {
            referrer_host,
            channel,
            utm,
            browser: Some(profile.browser.into()),
            browser_version: Some(profile.browser_version.to_string()),
            os: Some(profile.os.into()),
            device: profile.device,
            country: profile.country.map(Into::into),
            region: None,
            language: Some(profile.language.into()),
            screen: Some(profile.screen.into()),
            day,
        });
        let hit = |at_ms: i64, path: &str, kind: EventKind| Hit {
            site_id,
            visitor_id: profile.visitor_id,
            at_ms,
            path: path.into(),
            visit: Arc::clone(&visit),
            kind,
        };

        let mut hits = Vec::new();
        let pageviews = self.pageviews.sample(rng);
        let mut at = start_ms;
        let mut views: Vec<(i64, &str)> = Vec::with_capacity(pageviews);
        for index in 0..pageviews {
            let path = self.page(rng);
            hits.push(hit(at, path, EventKind::Pageview));
            views.push((at, path));
            let last = index + 1 == pageviews;
            // Seconds to the next page: 5 s to 3 min, mostly short.
            let gap_ms = 5_000 + (rng.random::<f64>().powi(2) * 175_000.0) as i64;
            if rng.random_bool(0.6) {
                let seconds = if last {
                    1 + (rng.random::<f64>().powi(3) * 900.0) as u32
                } else {
                    rng.random_range(1..=(gap_ms / 1000) as u32)
                };
                hits.push(hit(
                    at + i64::from(seconds) * 1000,
                    path,
                    EventKind::Engagement { seconds },
                ));
            }
            at += gap_ms;
        }
        let on_a_page = |rng: &mut StdRng| {
            let (at, path) = views[rng.random_range(0..views.len())];
            (at + rng.random_range(1_000..4_000), path)
        };
        if rng.random_bool(0.18) {
            for _ in 0..if rng.random_bool(0.2) { 2 } else { 1 } {
                let (name, props) = CUSTOM_EVENTS[self.events.sample(rng)];
                let props = (!props.is_empty() && rng.random_bool(0.7))
                    .then(|| props[rng.random_range(0..props.len())].to_owned());
                let (at, path) = on_a_page(rng);
                let kind = EventKind::Custom {
                    name: name.into(),
                    props,
                };
                hits.push(hit(at, path, kind));
            }
        }
        if rng.random_bool(0.04) {
            let target = OUTBOUND[rng.random_range(0..OUTBOUND.len())].into();
            let (at, path) = on_a_page(rng);
            hits.push(hit(at, path, EventKind::Outbound { target }));
        }
        if rng.random_bool(0.015) {
            let target = DOWNLOADS[rng.random_range(0..DOWNLOADS.len())].into();
            let (at, path) = on_a_page(rng);
            hits.push(hit(at, path, EventKind::Download { target }));
        }
        if rng.random_bool(0.012) {
            let which = self.errors.sample(rng);
            let report = ErrorReport {
                message: ERRORS[which].into(),
                stack: (which % 3 != 2).then(|| {
                    format!(
                        "at render (https://{SITE_DOMAIN}/assets/app-{which:02}.js:1:{})\n\
                         at commit (https://{SITE_DOMAIN}/assets/vendor.js:2:8812)",
                        1000 + which * 37
                    )
                }),
                source: Some(format!("https://{SITE_DOMAIN}/assets/app-{which:02}.js")),
                line: Some(1),
                column: Some(1000 + which as u32 * 37),
                count: rng.random_range(1..=3),
                breadcrumbs: rng
                    .random_bool(0.3)
                    .then(|| BREADCRUMBS[rng.random_range(0..BREADCRUMBS.len())].into()),
            };
            let (at, path) = on_a_page(rng);
            hits.push(hit(at, path, EventKind::Error(report)));
        }
        hits.sort_by_key(|hit| hit.at_ms);
        hits.retain(|hit| hit.at_ms <= until_ms);
        let mut counts = Counts::default();
        for hit in &hits {
            counts.count(&hit.kind);
        }
        (hits, counts)
    }
}

/// About 2,000 paths: a few top-level pages, then blog posts, documentation and help
/// articles in a shuffled order of popularity.
fn page_paths(rng: &mut StdRng) -> Vec<String> {
    #[rustfmt::skip]
    const TOP: &[&str] = &[
        "/", "/pricing", "/features", "/docs", "/blog", "/download", "/about", "/signup",
        "/login", "/changelog", "/contact", "/privacy", "/terms", "/integrations", "/compare",
    ];
    const WORDS: &[&str] = &[
        "privacy",
        "analytics",
        "cookies",
        "dashboard",
        "tracking",
        "script",
        "sessions",
        "events",
        "funnels",
        "referrers",
        "campaigns",
        "self-hosting",
        "sqlite",
        "tunnels",
        "gdpr",
        "performance",
        "errors",
        "uptime",
        "seo",
        "export",
    ];
    const DOC_SECTIONS: &[&str] = &[
        "getting-started",
        "tracking",
        "reports",
        "api",
        "server",
        "desktop",
        "guides",
    ];
    let mut rest = Vec::new();
    for n in 0..800 {
        let (a, b) = (
            WORDS[n % WORDS.len()],
            WORDS[(n / WORDS.len() + n) % WORDS.len()],
        );
        rest.push(format!("/blog/{a}-and-{b}-{n}"));
    }
    for n in 0..900 {
        let section = DOC_SECTIONS[n % DOC_SECTIONS.len()];
        rest.push(format!(
            "/docs/{section}/{}-{n}",
            WORDS[(n * 7) % WORDS.len()]
        ));
    }
    while rest.len() + TOP.len() < PAGE_COUNT {
        let n = rest.len();
        rest.push(format!("/help/{}/{n}", WORDS[n % WORDS.len()]));
    }
    rest.shuffle(rng);
    TOP.iter()
        .map(|path| (*path).to_owned())
        .chain(rest)
        .collect()
}

/// [`REFERRER_COUNT`] hosts: the well-known ones first, then made-up blogs and forums.
fn referrer_hosts() -> Vec<String> {
    const FIRST: &[&str] = &[
        "dev", "tech", "code", "data", "web", "indie", "open", "privacy", "maker", "cloud", "rust",
        "design",
    ];
    const SECOND: &[&str] = &[
        "blog", "news", "weekly", "hub", "forum", "notes", "digest", "lab", "journal",
    ];
    const TLDS: &[&str] = &["com", "io", "dev", "org", "net", "de", "co.uk"];
    let mut hosts: Vec<String> = TOP_REFERRERS.iter().map(|h| (*h).to_owned()).collect();
    let mut n = 0;
    while hosts.len() < REFERRER_COUNT {
        let first = FIRST[n % FIRST.len()];
        let second = SECOND[(n / FIRST.len()) % SECOND.len()];
        let tld = TLDS[n % TLDS.len()];
        hosts.push(format!("{first}{second}.{tld}"));
        n += 1;
    }
    hosts
}
