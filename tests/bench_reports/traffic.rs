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

/// Countries by traffic, with their usual language; the weights follow the rank (Zipf).
#[rustfmt::skip]
const COUNTRIES: &[(&str, &str)] = &[
    ("US", "en-US"), ("DE", "de-DE"), ("GB", "en-GB"), ("IN", "en-IN"), ("FR", "fr-FR"),
    ("CA", "en-CA"), ("NL", "nl-NL"), ("BR", "pt-BR"), ("ES", "es-ES"), ("IT", "it-IT"),
    ("PL", "pl-PL"), ("AU", "en-AU"), ("JP", "ja-JP"), ("SE", "sv-SE"), ("CH", "de-CH"),
    ("UA", "uk-UA"), ("AT", "de-AT"), ("BE", "nl-BE"), ("CN", "zh-CN"), ("KR", "ko-KR"),
    ("MX", "es-MX"), ("TR", "tr-TR"), ("ID", "id-ID"), ("CZ", "cs-CZ"), ("DK", "da-DK"),
    ("NO", "nb-NO"), ("FI", "fi-FI"), ("PT", "pt-PT"), ("IE", "en-IE"), ("RO", "ro-RO"),
    ("AR", "es-AR"), ("IL", "he-IL"), ("SG", "en-SG"), ("ZA", "en-ZA"), ("NZ", "en-NZ"),
    ("HU", "hu-HU"), ("GR", "el-GR"), ("VN", "vi-VN"), ("PH", "en-PH"), ("TW", "zh-TW"),
    ("HK", "zh-HK"), ("CO", "es-CO"), ("CL", "es-CL"), ("TH", "th-TH"), ("MY", "ms-MY"),
    ("BG", "bg-BG"), ("SK", "sk-SK"), ("HR", "hr-HR"), ("RS", "sr-RS"), ("LT", "lt-LT"),
    ("LV", "lv-LV"), ("EE", "et-EE"), ("SI", "sl-SI"), ("PK", "en-PK"), ("BD", "bn-BD"),
    ("EG", "ar-EG"), ("NG", "en-NG"), ("KE", "en-KE"), ("MA", "fr-MA"), ("PE", "es-PE"),
];

const DEVICES: &[(DeviceKind, f64)] = &[
    (DeviceKind::Desktop, 55.0),
    (DeviceKind::Mobile, 41.0),
    (DeviceKind::Tablet, 3.5),
    (DeviceKind::Other, 0.5),
];
const DESKTOP_OS: &[(&str, f64)] = &[
    ("Windows", 62.0),
    ("macOS", 27.0),
    ("Linux", 7.0),
    ("ChromeOS", 4.0),
];
const MOBILE_OS: &[(&str, f64)] = &[("Android", 58.0), ("iOS", 42.0)];
const TABLET_OS: &[(&str, f64)] = &[("iPadOS", 60.0), ("Android", 40.0)];
const OTHER_OS: &[(&str, f64)] = &[("Linux", 50.0), ("Android", 50.0)];

/// A browser with its oldest and newest major version in use.
type Browser = (&'static str, u16, u16);
/// The browsers of one system, with weights.
type Browsers = &'static [(Browser, f64)];
const WINDOWS_BROWSERS: Browsers = &[
    (("Chrome", 118, 126), 64.0),
    (("Edge", 120, 125), 25.0),
    (("Firefox", 120, 127), 8.0),
    (("Opera", 106, 110), 3.0),
];
const MAC_BROWSERS: Browsers = &[
    (("Safari", 15, 17), 44.0),
    (("Chrome", 118, 126), 46.0),
    (("Firefox", 120, 127), 7.0),
    (("Edge", 120, 125), 3.0),
];
const LINUX_BROWSERS: Browsers = &[
    (("Firefox", 115, 127), 52.0),
    (("Chrome", 118, 126), 42.0),
    (("Chromium", 120, 125), 6.0),
];
const CHROMEOS_BROWSERS: Browsers = &[(("Chrome", 120, 126), 100.0)];
const IOS_BROWSERS: Browsers = &[
    (("Mobile Safari", 15, 17), 84.0),
    (("Chrome Mobile", 120, 126), 13.0),
    (("Firefox Mobile", 124, 127), 3.0),
];
const ANDROID_BROWSERS: Browsers = &[
    (("Chrome Mobile", 116, 126), 78.0),
    (("Samsung Internet", 22, 25), 13.0),
    (("Firefox Mobile", 120, 127), 4.0),
    (("Opera Mobile", 78, 82), 5.0),
];

#[rustfmt::skip]
const DESKTOP_SCREENS: &[(&str, f64)] = &[
    ("1920x1080", 30.0), ("1536x864", 12.0), ("1440x900", 9.0), ("2560x1440", 9.0),
    ("1366x768", 8.0), ("1280x720", 5.0), ("1680x1050", 4.0), ("1512x982", 6.0),
    ("1728x1117", 4.0), ("3840x2160", 3.0), ("1600x900", 3.0), ("1280x800", 2.0),
    ("2048x1152", 2.0), ("3440x1440", 1.5), ("1920x1200", 1.5),
];
#[rustfmt::skip]
const MOBILE_SCREENS: &[(&str, f64)] = &[
    ("390x844", 20.0), ("393x873", 12.0), ("412x915", 12.0), ("375x667", 8.0),
    ("360x800", 9.0), ("414x896", 7.0), ("430x932", 7.0), ("428x926", 5.0), ("384x854", 4.0),
    ("360x780", 4.0), ("412x892", 4.0), ("393x852", 5.0), ("375x812", 3.0),
];
const TABLET_SCREENS: &[(&str, f64)] = &[
    ("768x1024", 35.0),
    ("810x1080", 20.0),
    ("820x1180", 20.0),
    ("1024x1366", 10.0),
    ("800x1280", 15.0),
];

/// Referrers that lead the ranking; generated blogs and forums fill the long tail.
#[rustfmt::skip]
const TOP_REFERRERS: &[&str] = &[
    "www.google.com", "news.ycombinator.com", "duckduckgo.com", "www.bing.com", "github.com",
    "www.reddit.com", "t.co", "www.linkedin.com", "search.brave.com", "www.ecosia.org",
    "mastodon.social", "bsky.app", "dev.to", "stackoverflow.com", "www.google.de",
    "www.google.co.uk", "medium.com", "lobste.rs", "kagi.com", "www.youtube.com",
    "www.facebook.com", "mail.google.com", "outlook.live.com", "www.producthunt.com",
    "yandex.ru", "www.baidu.com", "www.startpage.com", "www.qwant.com", "www.indiehackers.com",
    "substack.com", "www.google.fr", "www.google.co.in", "alternativeto.net", "slashdot.org",
];
const REFERRER_COUNT: usize = 300;
/// Share of visits without a campaign that arrive with no referrer.
const DIRECT_SHARE: f64 = 0.42;

/// (utm_source, utm_medium, the referrer such visits usually come with)
type CampaignSource = (&'static str, &'static str, Option<&'static str>);
#[rustfmt::skip]
const CAMPAIGN_SOURCES: &[(CampaignSource, f64)] = &[
    (("newsletter", "email", None), 30.0),
    (("google", "cpc", Some("www.google.com")), 20.0),
    (("twitter", "social", Some("t.co")), 10.0),
    (("linkedin", "social", Some("www.linkedin.com")), 9.0),
    (("mailchimp", "email", None), 8.0),
    (("facebook", "social", Some("www.facebook.com")), 6.0),
    (("bing", "cpc", Some("www.bing.com")), 5.0),
    (("producthunt", "referral", Some("www.producthunt.com")), 4.0),
    (("partner-blog", "referral", Some("partnerblog.example.net")), 4.0),
    (("reddit", "social", Some("www.reddit.com")), 2.0),
    (("podcast", "audio", None), 2.0),
];
/// Share of visits that carry UTM parameters.
const CAMPAIGN_SHARE: f64 = 0.08;
const CAMPAIGNS: usize = 25;
#[rustfmt::skip]
const TERMS: &[&str] = &[
    "web analytics", "privacy analytics", "google analytics alternative", "cookieless analytics",
    "self hosted analytics", "website statistics", "gdpr analytics", "open source analytics",
    "plausible alternative", "simple analytics tool", "local analytics app", "site visitor counter",
];
const CONTENTS: &[&str] = &[
    "header-cta",
    "footer-link",
    "banner-a",
    "banner-b",
    "text-link",
    "hero-image",
];

/// Custom events, most frequent first, with the props they may carry.
#[rustfmt::skip]
const CUSTOM_EVENTS: &[(&str, &[&str])] = &[
    ("signup", &[r#"{"plan":"free"}"#, r#"{"plan":"pro"}"#, r#"{"plan":"team"}"#]),
    ("newsletter_subscribe", &[]),
    ("download_app", &[r#"{"os":"macos"}"#, r#"{"os":"windows"}"#, r#"{"os":"linux"}"#]),
    ("play_video", &[r#"{"video":"intro","autoplay":false}"#, r#"{"video":"demo"}"#]),
    ("copy_code", &[r#"{"lang":"html"}"#, r#"{"lang":"js"}"#]),
    ("search", &[]),
    ("pricing_toggle", &[r#"{"billing":"yearly"}"#, r#"{"billing":"monthly"}"#]),
    ("login", &[]),
    ("contact_form", &[r#"{"topic":"sales"}"#, r#"{"topic":"support"}"#]),
    ("share", &[r#"{"network":"x"}"#, r#"{"network":"mastodon"}"#, r#"{"network":"linkedin"}"#]),
    ("add_to_cart", &[r#"{"item":"license","qty":1}"#]),
    ("checkout", &[]),
];
#[rustfmt::skip]
const OUTBOUND: &[&str] = &[
    "https://github.com/skopos/skopos", "https://twitter.com/skopos", "https://mastodon.social/@skopos",
    "https://discord.gg/skopos", "https://www.youtube.com/@skopos", "https://docs.rs/skopos-core",
    "https://news.ycombinator.com/item?id=40000001", "https://www.linkedin.com/company/skopos",
];
#[rustfmt::skip]
const DOWNLOADS: &[&str] = &[
    "https://example.com/downloads/skopos-1.4.2.dmg", "https://example.com/downloads/skopos-1.4.2.msi",
    "https://example.com/downloads/skopos-1.4.2.AppImage", "https://example.com/downloads/whitepaper.pdf",
];
#[rustfmt::skip]
const ERRORS: &[&str] = &[
    "TypeError: Cannot read properties of undefined (reading 'length')",
    "ReferenceError: gtag is not defined",
    "Script error.",
    "TypeError: Failed to fetch",
    "ResizeObserver loop completed with undelivered notifications.",
    "TypeError: null is not an object (evaluating 'el.style')",
    "ChunkLoadError: Loading chunk 412 failed.",
    "AbortError: The user aborted a request.",
    "TypeError: items.map is not a function",
    "SyntaxError: Unexpected token '<'",
    "TypeError: Cannot set properties of null (setting 'innerHTML')",
    "NotAllowedError: play() failed because the user didn't interact with the document first.",
    "QuotaExceededError: The quota has been exceeded.",
    "TypeError: undefined is not a function",
    "RangeError: Maximum call stack size exceeded",
    "Error: Minified React error #418",
    "TypeError: NetworkError when attempting to fetch resource.",
    "SecurityError: The operation is insecure.",
    "TypeError: Load failed",
    "Error: Hydration failed because the initial UI does not match.",
];
const BREADCRUMBS: &[&str] = &[
    r#"[{"type":"click","target":"button.buy"},{"type":"navigation","to":"/pricing"}]"#,
    r#"[{"type":"navigation","to":"/docs"},{"type":"click","target":"a.next"}]"#,
    r#"[{"type":"fetch","url":"/api/plans","status":500}]"#,
];

/// Pageviews per visit (1 to 8), most visits bounce.
const PAGEVIEWS: &[(usize, f64)] = &[
    (1, 45.0),
    (2, 20.0),
    (3, 12.0),
    (4, 8.0),
    (5, 6.0),
    (6, 4.0),
    (7, 3.0),
    (8, 2.0),
];
const PAGE_COUNT: usize = 2_000;

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
