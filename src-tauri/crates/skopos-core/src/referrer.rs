//! Referrer host and acquisition channel: where a visit came from and what kind of source that is.

use serde::{Deserialize, Serialize};
use url::Url;

/// DNS names are at most 253 characters; a longer "host" is not a real referrer and is ignored.
const MAX_HOST_LEN: usize = 253;

/// The broad kind of source a visit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Direct,
    Search,
    Social,
    Email,
    Referral,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Direct => "direct",
            Channel::Search => "search",
            Channel::Social => "social",
            Channel::Email => "email",
            Channel::Referral => "referral",
        }
    }
}

/// The external referrer host (if any) and the channel of one visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acquisition {
    pub referrer_host: Option<String>,
    pub channel: Channel,
}

/// Search engines whose brand label is followed by any country or generic TLD (google.co.uk).
const SEARCH_BRANDS: &[&str] = &["google", "yandex"];
#[rustfmt::skip]
const SEARCH_DOMAINS: &[&str] = &[
    "bing.com", "duckduckgo.com", "search.yahoo.com", "yahoo.co.jp", "baidu.com", "ecosia.org",
    "search.brave.com", "startpage.com", "qwant.com", "naver.com", "kagi.com", "search.aol.com",
    "ask.com", "seznam.cz", "sogou.com", "daum.net", "mojeek.com", "metager.org", "yep.com",
];
const SOCIAL_BRANDS: &[&str] = &["pinterest"];
#[rustfmt::skip]
const SOCIAL_DOMAINS: &[&str] = &[
    "facebook.com", "fb.com", "fb.me", "messenger.com", "t.co", "twitter.com", "x.com", "linkedin.com",
    "lnkd.in", "reddit.com", "news.ycombinator.com", "instagram.com", "youtube.com", "youtu.be",
    "tiktok.com", "mastodon.social", "mastodon.online", "bsky.app", "threads.net", "threads.com",
    "vk.com", "tumblr.com", "quora.com", "discord.com", "t.me", "web.telegram.org", "whatsapp.com",
    "weibo.com", "snapchat.com",
];
/// Webmail hosts; checked before search engines because some live under a search brand.
#[rustfmt::skip]
const WEBMAIL_DOMAINS: &[&str] = &[
    "mail.google.com", "outlook.live.com", "outlook.office.com", "outlook.office365.com",
    "mail.yahoo.com", "mail.aol.com", "mail.proton.me", "mail.zoho.com", "app.fastmail.com",
    "mail.yandex.ru", "mail.yandex.com", "e.mail.ru", "navigator.gmx.net",
];

/// Android apps send `android-app://<package>/` as referrer; known packages are reported as their
/// web host so that they group with their websites, unknown ones as the package id itself.
const ANDROID_APPS: &[(&str, &str)] = &[
    ("com.google.android.gm", "mail.google.com"),
    ("com.google.android.googlequicksearchbox", "google.com"),
    ("com.microsoft.office.outlook", "outlook.live.com"),
    ("com.facebook.katana", "facebook.com"),
    ("com.instagram.android", "instagram.com"),
    ("com.twitter.android", "twitter.com"),
    ("com.linkedin.android", "linkedin.com"),
    ("com.reddit.frontpage", "reddit.com"),
    ("com.pinterest", "pinterest.com"),
    ("org.telegram.messenger", "t.me"),
    ("com.whatsapp", "whatsapp.com"),
];

/// Bare `utm_source` names (not hosts) that name a known source.
#[rustfmt::skip]
const SEARCH_SOURCE_NAMES: &[&str] = &[
    "google", "bing", "duckduckgo", "ddg", "yahoo", "yandex", "baidu", "ecosia", "brave", "startpage",
    "qwant", "naver", "kagi",
];
#[rustfmt::skip]
const SOCIAL_SOURCE_NAMES: &[&str] = &[
    "facebook", "fb", "instagram", "ig", "twitter", "x", "linkedin", "reddit", "hackernews", "hn",
    "youtube", "pinterest", "tiktok", "mastodon", "bluesky", "bsky", "threads", "vk", "tumblr",
    "discord", "telegram", "whatsapp",
];
#[rustfmt::skip]
const EMAIL_SOURCE_NAMES: &[&str] = &["email", "e-mail", "newsletter", "gmail", "outlook", "mailchimp"];

const EMAIL_MEDIUMS: &[&str] = &["email", "e-mail", "newsletter"];
#[rustfmt::skip]
const PAID_MEDIUMS: &[&str] = &["cpc", "ppc", "paid", "paidsearch", "paid-search", "paid_search"];
const SOCIAL_MEDIUMS: &[&str] = &["social", "social-media", "social_media", "sm"];

/// Decides where a visit came from.
///
/// `referrer` is the raw `document.referrer` (may be empty or garbage); only http(s) referrers and
/// Android app referrers count. `site_host` is the host of the viewed page: a referrer on the same
/// host (ignoring `www.`) is internal navigation and yields no referrer host. UTM parameters win
/// over the referrer when they name a medium; otherwise the referrer host decides, then the source.
pub fn classify_acquisition(
    referrer: Option<&str>,
    site_host: &str,
    utm_source: Option<&str>,
    utm_medium: Option<&str>,
) -> Acquisition {
    let site_host = host_of_site(site_host);
    let referrer_host = referrer
        .and_then(external_host)
        .filter(|host| site_host.as_deref() != Some(host.as_str()));
    let source = utm_source
        .map(normalize_token)
        .filter(|source| !source.is_empty());
    let medium = utm_medium
        .map(normalize_token)
        .filter(|medium| !medium.is_empty());

    let host_channel = referrer_host.as_deref().and_then(known_host_channel);
    let source_channel = source.as_deref().and_then(known_source_channel);
    let channel = match medium.as_deref() {
        Some(medium) if EMAIL_MEDIUMS.contains(&medium) => Some(Channel::Email),
        Some(medium) if SOCIAL_MEDIUMS.contains(&medium) => Some(Channel::Social),
        Some(medium)
            if PAID_MEDIUMS.contains(&medium)
                && (source_channel == Some(Channel::Search)
                    || host_channel == Some(Channel::Search)) =>
        {
            Some(Channel::Search)
        }
        _ => None,
    }
    .or(host_channel)
    .or(source_channel)
    .unwrap_or(
        if referrer_host.is_some() || source.is_some() || medium.is_some() {
            Channel::Referral
        } else {
            Channel::Direct
        },
    );
    Acquisition {
        referrer_host,
        channel,
    }
}

/// The normalised host of an http(s) or Android app referrer; `None` for anything else.
fn external_host(referrer: &str) -> Option<String> {
    let referrer = referrer.trim();
    if referrer.is_empty() {
        return None;
    }
    let url = Url::parse(referrer).ok()?;
    let host = url.host_str()?;
    match url.scheme() {
        "http" | "https" => normalize_host(host),
        "android-app" => {
            let package = host.to_ascii_lowercase();
            let known = ANDROID_APPS.iter().find(|(id, _)| *id == package);
            normalize_host(known.map_or(package.as_str(), |(_, web_host)| web_host))
        }
        _ => None,
    }
}

/// The site host as the url crate would report it (punycode, no port), for comparison.
fn host_of_site(site_host: &str) -> Option<String> {
    let site_host = site_host.trim();
    if site_host.is_empty() || site_host.contains(['/', '?', '#', '@']) {
        return None;
    }
    let url = Url::parse(&format!("http://{site_host}/")).ok()?;
    normalize_host(url.host_str()?)
}

fn normalize_host(host: &str) -> Option<String> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").map(str::to_owned).unwrap_or(host);
    (!host.is_empty() && host.len() <= MAX_HOST_LEN).then_some(host)
}

fn normalize_token(value: &str) -> String {
    value.trim().to_lowercase()
}

fn known_host_channel(host: &str) -> Option<Channel> {
    if matches_domain(host, WEBMAIL_DOMAINS) {
        Some(Channel::Email)
    } else if matches_domain(host, SEARCH_DOMAINS) || matches_brand(host, SEARCH_BRANDS) {
        Some(Channel::Search)
    } else if matches_domain(host, SOCIAL_DOMAINS) || matches_brand(host, SOCIAL_BRANDS) {
        Some(Channel::Social)
    } else {
        None
    }
}

/// A `utm_source` may be a bare name ("facebook") or a host ("news.ycombinator.com").
fn known_source_channel(source: &str) -> Option<Channel> {
    if source.contains('.') {
        return normalize_host(source)
            .as_deref()
            .and_then(known_host_channel);
    }
    if SEARCH_SOURCE_NAMES.contains(&source) {
        Some(Channel::Search)
    } else if SOCIAL_SOURCE_NAMES.contains(&source) {
        Some(Channel::Social)
    } else if EMAIL_SOURCE_NAMES.contains(&source) {
        Some(Channel::Email)
    } else {
        None
    }
}

/// Whether `host` is one of `domains` or a subdomain of one, matching whole labels only.
fn matches_domain(host: &str, domains: &[&str]) -> bool {
    domains.iter().any(|domain| {
        host == *domain
            || host
                .strip_suffix(domain)
                .is_some_and(|prefix| prefix.ends_with('.'))
    })
}

/// Whether `host` has a brand label followed only by a TLD ("google.de") or a second-level
/// country domain ("google.co.uk"), so that "google.evil.com" does not count.
fn matches_brand(host: &str, brands: &[&str]) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.iter().enumerate().any(|(index, label)| {
        brands.contains(label)
            && match labels.get(index + 1..).unwrap_or_default() {
                [tld] => is_alpha_label(tld, 2, 3),
                [second_level, country] => {
                    is_alpha_label(second_level, 2, 3) && is_alpha_label(country, 2, 2)
                }
                _ => false,
            }
    })
}

fn is_alpha_label(label: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&label.len()) && label.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Channel::{Direct, Email, Referral, Search, Social};

    type Case = (
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Channel,
    );

    /// (referrer, utm_source, utm_medium) on a page of example.com → (referrer host, channel).
    #[rustfmt::skip]
    const CASES: &[Case] = &[
        (Some("https://www.google.com/"), None, None, Some("google.com"), Search),
        (Some("https://www.google.co.uk/search?q=x"), None, None, Some("google.co.uk"), Search),
        (Some("https://google.com.au/"), None, None, Some("google.com.au"), Search),
        (Some("https://WWW.BING.COM/search?q=x"), None, None, Some("bing.com"), Search),
        (Some("https://duckduckgo.com/"), None, None, Some("duckduckgo.com"), Search),
        (Some("https://search.yahoo.com/"), None, None, Some("search.yahoo.com"), Search),
        (Some("https://search.yahoo.co.jp/"), None, None, Some("search.yahoo.co.jp"), Search),
        (Some("https://yandex.ru/search"), None, None, Some("yandex.ru"), Search),
        (Some("https://search.brave.com/search?q=a"), None, None, Some("search.brave.com"), Search),
        // Look-alikes must not borrow a known source's channel.
        (Some("https://evilgoogle.com/"), None, None, Some("evilgoogle.com"), Referral),
        (Some("https://google.evil.com/"), None, None, Some("google.evil.com"), Referral),
        (Some("https://google.co.uk.evil/"), None, None, Some("google.co.uk.evil"), Referral),
        (Some("https://notbing.com/"), None, None, Some("notbing.com"), Referral),
        (Some("https://t.com/"), None, None, Some("t.com"), Referral),
        (Some("https://mybsky.app/"), None, None, Some("mybsky.app"), Referral),
        (Some("https://l.facebook.com/l.php"), None, None, Some("l.facebook.com"), Social),
        (Some("https://lm.facebook.com/"), None, None, Some("lm.facebook.com"), Social),
        (Some("https://t.co/abc"), None, None, Some("t.co"), Social),
        (Some("https://x.com/"), None, None, Some("x.com"), Social),
        (Some("https://old.reddit.com/r/rust"), None, None, Some("old.reddit.com"), Social),
        (Some("https://news.ycombinator.com/item?id=1"), None, None, Some("news.ycombinator.com"), Social),
        (Some("https://www.pinterest.co.uk/"), None, None, Some("pinterest.co.uk"), Social),
        (Some("https://lnkd.in/abc"), None, None, Some("lnkd.in"), Social),
        (Some("https://mail.google.com/mail/u/0/"), None, None, Some("mail.google.com"), Email),
        (Some("https://outlook.live.com/"), None, None, Some("outlook.live.com"), Email),
        (Some("https://mail.yahoo.com/"), None, None, Some("mail.yahoo.com"), Email),
        (Some("https://blog.example.com/"), None, None, Some("blog.example.com"), Referral),
        (Some("https://Straße.example/"), None, None, Some("xn--strae-oqa.example"), Referral),
        // Same site, ignoring case, www. and a trailing dot: internal navigation.
        (Some("https://www.example.com/pricing"), None, None, None, Direct),
        (Some("http://EXAMPLE.com./"), None, None, None, Direct),
        (Some("https://example.com/"), Some("google"), None, None, Search),
        // Android app referrers: known packages as their web host, others as the package id.
        (Some("android-app://com.google.android.gm/"), None, None, Some("mail.google.com"), Email),
        (Some("android-app://com.google.android.googlequicksearchbox/https/www.google.com"), None, None, Some("google.com"), Search),
        (Some("android-app://org.example.reader/"), None, None, Some("org.example.reader"), Referral),
        // UTM mediums win over the referrer; paid traffic is search only from a search source.
        (Some("https://blog.example.org/"), Some("weekly"), Some(" Newsletter "), Some("blog.example.org"), Email),
        (None, Some("google"), Some("cpc"), None, Search),
        (Some("https://www.bing.com/"), Some("partner"), Some("PPC"), Some("bing.com"), Search),
        (None, Some("facebook"), Some("cpc"), None, Social),
        (None, Some("partner"), Some("paid"), None, Referral),
        (None, Some("partner"), Some("SM"), None, Social),
        (None, None, Some("social-media"), None, Social),
        // A bare utm_source names a source by name or by host.
        (None, Some("facebook"), None, None, Social),
        (None, Some("Google"), None, None, Search),
        (None, Some("news.ycombinator.com"), None, None, Social),
        (None, Some("mailchimp"), None, None, Email),
        (None, Some("partner-site"), None, None, Referral),
        (None, Some("🦀"), Some("🦀"), None, Referral),
        (None, Some("   "), Some(""), None, Direct),
        (Some("https://bit.ly/x"), Some("twitter"), None, Some("bit.ly"), Social),
        // Garbage and non-web referrers count as no referrer.
        (None, None, None, None, Direct),
        (Some(""), None, None, None, Direct),
        (Some("   "), None, None, None, Direct),
        (Some("not a url"), None, None, None, Direct),
        (Some("javascript:alert(1)"), None, None, None, Direct),
        (Some("file:///etc/passwd"), None, None, None, Direct),
        (Some("about:blank"), None, None, None, Direct),
        (Some("chrome-extension://abc/"), None, None, None, Direct),
        (Some("ftp://example.org/"), None, None, None, Direct),
        (Some("https://"), None, None, None, Direct),
        (Some("http://[::1"), None, None, None, Direct),
        (Some("https://evil\u{0}.org/"), None, None, None, Direct),
        (Some("\u{0}"), None, None, None, Direct),
        // Browsers strip leading control characters and spaces the same way the url crate does.
        (Some("\u{1} https://google.com"), None, None, Some("google.com"), Search),
    ];

    #[test]
    fn classifies_every_case() {
        for &(referrer, source, medium, host, channel) in CASES {
            let expected = Acquisition {
                referrer_host: host.map(str::to_owned),
                channel,
            };
            let actual = classify_acquisition(referrer, "example.com", source, medium);
            assert_eq!(actual, expected, "{referrer:?} {source:?} {medium:?}");
        }
    }

    #[test]
    fn site_host_is_compared_like_a_url_host() {
        let internal = |referrer: &str, site: &str| {
            classify_acquisition(Some(referrer), site, None, None).referrer_host
        };
        assert_eq!(internal("http://localhost:3000/a", "localhost:3000"), None);
        assert_eq!(internal("https://bücher.de/", "www.BÜCHER.de"), None);
        assert_eq!(internal("https://a.io/", "").as_deref(), Some("a.io"));
        assert_eq!(
            internal("https://a.io/", "🦀/../a.io").as_deref(),
            Some("a.io")
        );
    }

    #[test]
    fn oversized_inputs() {
        let huge_host = format!("https://{}.com/", "a".repeat(300));
        assert_eq!(
            classify_acquisition(Some(&huge_host), "example.com", None, None).referrer_host,
            None
        );
        let long_source = "s".repeat(100_000);
        let acquisition = classify_acquisition(None, "example.com", Some(&long_source), None);
        assert_eq!(acquisition.channel, Referral);
    }

    #[test]
    fn channel_strings_match_serde() {
        for channel in [Direct, Search, Social, Email, Referral] {
            let json = serde_json::to_string(&channel).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", channel.as_str()));
        }
    }
}
