//! The synthetic site's fixed distributions: countries and languages, devices, systems,
//! browsers, screens, referrers, campaigns, custom events, errors and session lengths, each
//! with its weights.

use skopos_core::ua::DeviceKind;

/// Countries by traffic, with their usual language; the weights follow the rank (Zipf).
#[rustfmt::skip]
pub(crate) const COUNTRIES: &[(&str, &str)] = &[
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

pub(crate) const DEVICES: &[(DeviceKind, f64)] = &[
    (DeviceKind::Desktop, 55.0),
    (DeviceKind::Mobile, 41.0),
    (DeviceKind::Tablet, 3.5),
    (DeviceKind::Other, 0.5),
];
pub(crate) const DESKTOP_OS: &[(&str, f64)] = &[
    ("Windows", 62.0),
    ("macOS", 27.0),
    ("Linux", 7.0),
    ("ChromeOS", 4.0),
];
pub(crate) const MOBILE_OS: &[(&str, f64)] = &[("Android", 58.0), ("iOS", 42.0)];
pub(crate) const TABLET_OS: &[(&str, f64)] = &[("iPadOS", 60.0), ("Android", 40.0)];
pub(crate) const OTHER_OS: &[(&str, f64)] = &[("Linux", 50.0), ("Android", 50.0)];

/// A browser with its oldest and newest major version in use.
pub(crate) type Browser = (&'static str, u16, u16);
/// The browsers of one system, with weights.
pub(crate) type Browsers = &'static [(Browser, f64)];
pub(crate) const WINDOWS_BROWSERS: Browsers = &[
    (("Chrome", 118, 126), 64.0),
    (("Edge", 120, 125), 25.0),
    (("Firefox", 120, 127), 8.0),
    (("Opera", 106, 110), 3.0),
];
pub(crate) const MAC_BROWSERS: Browsers = &[
    (("Safari", 15, 17), 44.0),
    (("Chrome", 118, 126), 46.0),
    (("Firefox", 120, 127), 7.0),
    (("Edge", 120, 125), 3.0),
];
pub(crate) const LINUX_BROWSERS: Browsers = &[
    (("Firefox", 115, 127), 52.0),
    (("Chrome", 118, 126), 42.0),
    (("Chromium", 120, 125), 6.0),
];
pub(crate) const CHROMEOS_BROWSERS: Browsers = &[(("Chrome", 120, 126), 100.0)];
pub(crate) const IOS_BROWSERS: Browsers = &[
    (("Mobile Safari", 15, 17), 84.0),
    (("Chrome Mobile", 120, 126), 13.0),
    (("Firefox Mobile", 124, 127), 3.0),
];
pub(crate) const ANDROID_BROWSERS: Browsers = &[
    (("Chrome Mobile", 116, 126), 78.0),
    (("Samsung Internet", 22, 25), 13.0),
    (("Firefox Mobile", 120, 127), 4.0),
    (("Opera Mobile", 78, 82), 5.0),
];

#[rustfmt::skip]
pub(crate) const DESKTOP_SCREENS: &[(&str, f64)] = &[
    ("1920x1080", 30.0), ("1536x864", 12.0), ("1440x900", 9.0), ("2560x1440", 9.0),
    ("1366x768", 8.0), ("1280x720", 5.0), ("1680x1050", 4.0), ("1512x982", 6.0),
    ("1728x1117", 4.0), ("3840x2160", 3.0), ("1600x900", 3.0), ("1280x800", 2.0),
    ("2048x1152", 2.0), ("3440x1440", 1.5), ("1920x1200", 1.5),
];
#[rustfmt::skip]
pub(crate) const MOBILE_SCREENS: &[(&str, f64)] = &[
    ("390x844", 20.0), ("393x873", 12.0), ("412x915", 12.0), ("375x667", 8.0),
    ("360x800", 9.0), ("414x896", 7.0), ("430x932", 7.0), ("428x926", 5.0), ("384x854", 4.0),
    ("360x780", 4.0), ("412x892", 4.0), ("393x852", 5.0), ("375x812", 3.0),
];
pub(crate) const TABLET_SCREENS: &[(&str, f64)] = &[
    ("768x1024", 35.0),
    ("810x1080", 20.0),
    ("820x1180", 20.0),
    ("1024x1366", 10.0),
    ("800x1280", 15.0),
];

/// Referrers that lead the ranking; generated blogs and forums fill the long tail.
#[rustfmt::skip]
pub(crate) const TOP_REFERRERS: &[&str] = &[
    "www.google.com", "news.ycombinator.com", "duckduckgo.com", "www.bing.com", "github.com",
    "www.reddit.com", "t.co", "www.linkedin.com", "search.brave.com", "www.ecosia.org",
    "mastodon.social", "bsky.app", "dev.to", "stackoverflow.com", "www.google.de",
    "www.google.co.uk", "medium.com", "lobste.rs", "kagi.com", "www.youtube.com",
    "www.facebook.com", "mail.google.com", "outlook.live.com", "www.producthunt.com",
    "yandex.ru", "www.baidu.com", "www.startpage.com", "www.qwant.com", "www.indiehackers.com",
    "substack.com", "www.google.fr", "www.google.co.in", "alternativeto.net", "slashdot.org",
];
pub(crate) const REFERRER_COUNT: usize = 300;
/// Share of visits without a campaign that arrive with no referrer.
pub(crate) const DIRECT_SHARE: f64 = 0.42;

/// (utm_source, utm_medium, the referrer such visits usually come with)
pub(crate) type CampaignSource = (&'static str, &'static str, Option<&'static str>);
#[rustfmt::skip]
pub(crate) const CAMPAIGN_SOURCES: &[(CampaignSource, f64)] = &[
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
pub(crate) const CAMPAIGN_SHARE: f64 = 0.08;
pub(crate) const CAMPAIGNS: usize = 25;
#[rustfmt::skip]
pub(crate) const TERMS: &[&str] = &[
    "web analytics", "privacy analytics", "google analytics alternative", "cookieless analytics",
    "self hosted analytics", "website statistics", "gdpr analytics", "open source analytics",
    "plausible alternative", "simple analytics tool", "local analytics app", "site visitor counter",
];
pub(crate) const CONTENTS: &[&str] = &[
    "header-cta",
    "footer-link",
    "banner-a",
    "banner-b",
    "text-link",
    "hero-image",
];

/// Custom events, most frequent first, with the props they may carry.
#[rustfmt::skip]
pub(crate) const CUSTOM_EVENTS: &[(&str, &[&str])] = &[
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
pub(crate) const OUTBOUND: &[&str] = &[
    "https://github.com/skopos/skopos", "https://twitter.com/skopos", "https://mastodon.social/@skopos",
    "https://discord.gg/skopos", "https://www.youtube.com/@skopos", "https://docs.rs/skopos-core",
    "https://news.ycombinator.com/item?id=40000001", "https://www.linkedin.com/company/skopos",
];
#[rustfmt::skip]
pub(crate) const DOWNLOADS: &[&str] = &[
    "https://example.com/downloads/skopos-1.4.2.dmg", "https://example.com/downloads/skopos-1.4.2.msi",
    "https://example.com/downloads/skopos-1.4.2.AppImage", "https://example.com/downloads/whitepaper.pdf",
];
#[rustfmt::skip]
pub(crate) const ERRORS: &[&str] = &[
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
pub(crate) const BREADCRUMBS: &[&str] = &[
    r#"[{"type":"click","target":"button.buy"},{"type":"navigation","to":"/pricing"}]"#,
    r#"[{"type":"navigation","to":"/docs"},{"type":"click","target":"a.next"}]"#,
    r#"[{"type":"fetch","url":"/api/plans","status":500}]"#,
];

/// Pageviews per visit (1 to 8), most visits bounce.
pub(crate) const PAGEVIEWS: &[(usize, f64)] = &[
    (1, 45.0),
    (2, 20.0),
    (3, 12.0),
    (4, 8.0),
    (5, 6.0),
    (6, 4.0),
    (7, 3.0),
    (8, 2.0),
];
pub(crate) const PAGE_COUNT: usize = 2_000;
