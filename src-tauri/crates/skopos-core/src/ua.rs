//! User-agent parsing into the browser, operating system and device class shown in reports.

use serde::{Deserialize, Serialize};

/// Real user agents stay well under this; parsing only a prefix keeps hostile headers cheap.
const MAX_PARSED_UA_LEN: usize = 1024;
/// Longest major version kept; anything longer is not a real version number.
const MAX_VERSION_LEN: usize = 8;

/// The class of device a visit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    Desktop,
    Mobile,
    Tablet,
    #[default]
    Other,
}

impl DeviceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceKind::Desktop => "desktop",
            DeviceKind::Mobile => "mobile",
            DeviceKind::Tablet => "tablet",
            DeviceKind::Other => "other",
        }
    }
}

/// What reports show about a visitor's software; `None` where the user agent does not say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserAgent {
    pub browser: Option<String>,
    /// Major version only, e.g. "120", so that reports group sensibly.
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub device: DeviceKind,
}

/// Parses a `User-Agent` header; unknown or garbage input yields empty fields, never an error.
pub fn parse_user_agent(ua: &str) -> UserAgent {
    let ua = prefix_on_char_boundary(ua, MAX_PARSED_UA_LEN);
    let Some(parsed) = woothee::parser::Parser::new().parse(ua) else {
        return UserAgent::default();
    };
    let browser = known(parsed.name).map(friendly_browser);
    let browser_version = browser.as_ref().and_then(|_| major_version(parsed.version));
    UserAgent {
        browser,
        browser_version,
        os: known(parsed.os).map(friendly_os),
        device: device_kind(parsed.category, parsed.os, ua),
    }
}

/// Woothee reports missing values as "UNKNOWN" (or leaves them empty).
fn known(value: &str) -> Option<&str> {
    let value = value.trim();
    (!value.is_empty() && value != woothee::woothee::VALUE_UNKNOWN).then_some(value)
}

fn friendly_browser(name: &str) -> String {
    match name {
        "SamsungBrowser" => "Samsung Internet",
        "Webview" => "WebView",
        "Google Search App" => "Google App",
        other => other,
    }
    .to_owned()
}

/// Reports group by platform, so woothee's per-version and per-device names are folded.
fn friendly_os(name: &str) -> String {
    match name {
        "Mac OSX" => "macOS",
        "Mac OS Classic" => "Mac OS",
        "iPhone" | "iPad" | "iPod" | "iOS" => "iOS",
        "Windows Phone OS" => "Windows Phone",
        "Windows CE" => "Windows CE",
        windows if windows.starts_with("Windows") => "Windows",
        other => other,
    }
    .to_owned()
}

fn major_version(version: &str) -> Option<String> {
    let major = version.split('.').next()?.trim();
    let is_number = !major.is_empty()
        && major.len() <= MAX_VERSION_LEN
        && major.bytes().all(|b| b.is_ascii_digit());
    is_number.then(|| major.to_owned())
}

/// Woothee calls tablets "smartphone", so tablets are told apart by the markers they carry.
fn device_kind(category: &str, os: &str, ua: &str) -> DeviceKind {
    let is_handheld = matches!(category, "smartphone" | "mobilephone");
    if !is_handheld && category != "pc" {
        return DeviceKind::Other;
    }
    // Kindle Fire's Silk browser may claim a desktop platform in its "desktop mode".
    if ua.contains("Silk/") || ua.contains("Kindle") {
        return DeviceKind::Tablet;
    }
    if !is_handheld {
        return DeviceKind::Desktop;
    }
    let is_android_tablet = os == "Android" && !ua.contains("Mobile");
    if os == "iPad" || ua.contains("iPad") || ua.contains("Tablet") || is_android_tablet {
        DeviceKind::Tablet
    } else {
        DeviceKind::Mobile
    }
}

fn prefix_on_char_boundary(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    const SAFARI_IPAD: &str = "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1";
    const CHROME_ANDROID_PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36";
    const CHROME_ANDROID_TABLET: &str = "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36";
    const FIREFOX_LINUX: &str =
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
    const EDGE_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91";
    const SAFARI_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
    const SAMSUNG_PHONE: &str = "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36";
    const FIREFOX_ANDROID_TABLET: &str =
        "Mozilla/5.0 (Android 13; Tablet; rv:120.0) Gecko/120.0 Firefox/120.0";
    const SILK_KINDLE: &str = "Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/93.2.7 like Chrome/93.0.4577.82 Safari/537.36";
    const CHROME_OS: &str = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    fn expect(ua: &str, browser: &str, version: &str, os: &str, device: DeviceKind) {
        let parsed = parse_user_agent(ua);
        assert_eq!(parsed.browser.as_deref(), Some(browser), "browser of {ua}");
        assert_eq!(
            parsed.browser_version.as_deref(),
            Some(version),
            "version of {ua}"
        );
        assert_eq!(parsed.os.as_deref(), Some(os), "os of {ua}");
        assert_eq!(parsed.device, device, "device of {ua}");
    }

    #[test]
    fn desktop_browsers() {
        expect(
            CHROME_WINDOWS,
            "Chrome",
            "120",
            "Windows",
            DeviceKind::Desktop,
        );
        expect(EDGE_WINDOWS, "Edge", "120", "Windows", DeviceKind::Desktop);
        expect(
            FIREFOX_LINUX,
            "Firefox",
            "121",
            "Linux",
            DeviceKind::Desktop,
        );
        expect(SAFARI_MAC, "Safari", "17", "macOS", DeviceKind::Desktop);
        expect(CHROME_OS, "Chrome", "120", "ChromeOS", DeviceKind::Desktop);
    }

    #[test]
    fn phones() {
        expect(SAFARI_IPHONE, "Safari", "17", "iOS", DeviceKind::Mobile);
        expect(
            CHROME_ANDROID_PHONE,
            "Chrome",
            "120",
            "Android",
            DeviceKind::Mobile,
        );
        expect(
            SAMSUNG_PHONE,
            "Samsung Internet",
            "23",
            "Android",
            DeviceKind::Mobile,
        );
    }

    #[test]
    fn tablets() {
        expect(SAFARI_IPAD, "Safari", "16", "iOS", DeviceKind::Tablet);
        expect(
            CHROME_ANDROID_TABLET,
            "Chrome",
            "119",
            "Android",
            DeviceKind::Tablet,
        );
        assert_eq!(
            parse_user_agent(FIREFOX_ANDROID_TABLET).device,
            DeviceKind::Tablet
        );
        assert_eq!(parse_user_agent(SILK_KINDLE).device, DeviceKind::Tablet);
    }

    #[test]
    fn crawlers_are_other_devices() {
        let parsed = parse_user_agent(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        );
        assert_eq!(parsed.device, DeviceKind::Other);
        assert_eq!(parsed.os, None);
    }

    #[test]
    fn garbage_yields_empty_fields() {
        for ua in [
            "",
            "-",
            "   ",
            "garbage",
            "\u{0}\u{1}\u{7f}",
            "ブラウザ/1.0 (日本語)",
            "Mozilla/5.0 (",
            "Chrome/abc.def",
        ] {
            let parsed = parse_user_agent(ua);
            assert_eq!(parsed.device, DeviceKind::Other, "device of {ua:?}");
            assert_eq!(parsed.os, None, "os of {ua:?}");
            assert!(parsed
                .browser_version
                .as_deref()
                .is_none_or(|v| v.bytes().all(|b| b.is_ascii_digit())));
        }
        assert_eq!(parse_user_agent(""), UserAgent::default());
    }

    #[test]
    fn huge_and_multibyte_input_is_cut_safely() {
        let huge = format!("{CHROME_WINDOWS}{}", "é".repeat(100_000));
        expect(&huge, "Chrome", "120", "Windows", DeviceKind::Desktop);
        let odd_boundary = format!("a{}", "€".repeat(2_000));
        assert_eq!(parse_user_agent(&odd_boundary).device, DeviceKind::Other);
    }

    #[test]
    fn major_version_rejects_non_numbers() {
        assert_eq!(major_version("120.0.1").as_deref(), Some("120"));
        assert_eq!(major_version("UNKNOWN"), None);
        assert_eq!(major_version(""), None);
        assert_eq!(major_version("123456789012.1"), None);
    }

    #[test]
    fn device_kind_strings_match_serde() {
        for kind in [
            DeviceKind::Desktop,
            DeviceKind::Mobile,
            DeviceKind::Tablet,
            DeviceKind::Other,
        ] {
            let json = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(DeviceKind::default(), DeviceKind::Other);
    }
}
