//! Bot detection from the user agent plus the headless-browser screen the script reports.

use std::sync::LazyLock;

/// User agents shorter than this are not sent by real browsers.
const MIN_BROWSER_UA_CHARS: usize = 10;

/// Automation tools and HTTP libraries, matched case-insensitively anywhere in the user agent.
/// The isbot list covers most of them; they are repeated here so that detection does not
/// depend on that list's contents, and because isbot anchors some (e.g. `^curl`) at the start.
const AUTOMATION_MARKERS: &[&str] = &[
    "headlesschrome",
    "phantomjs",
    "puppeteer",
    "playwright",
    "selenium",
    "python-requests",
    "curl/",
    "wget",
    "go-http-client",
    "okhttp",
    "axios/",
    "node-fetch",
    "java/",
];

/// Compiling isbot's pattern list builds one large regex, so it is done once per process.
static KNOWN_BOTS: LazyLock<isbot::Bots> = LazyLock::new(isbot::Bots::default);

/// Whether a user agent belongs to a bot, crawler or automation tool. Depends on the string
/// alone, so callers may cache the answer per user agent.
pub fn is_bot_agent(user_agent: &str) -> bool {
    let user_agent = user_agent.trim();
    if user_agent.chars().count() < MIN_BROWSER_UA_CHARS {
        return true;
    }
    let lowered = user_agent.to_lowercase();
    if AUTOMATION_MARKERS
        .iter()
        .any(|marker| lowered.contains(marker))
    {
        return true;
    }
    KNOWN_BOTS.is_bot(user_agent)
}

/// Whether the reported screen is the empty one of a headless browser; a real display never
/// has a zero side.
pub fn has_headless_screen(screen: Option<(u32, u32)>) -> bool {
    matches!(screen, Some((width, height)) if width == 0 || height == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BROWSERS: &[&str] = &[
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
    ];

    #[test]
    fn ordinary_browsers_are_not_bots() {
        for user_agent in BROWSERS {
            assert!(!is_bot_agent(user_agent), "{user_agent}");
        }
        assert!(!has_headless_screen(None));
        assert!(!has_headless_screen(Some((1920, 1080))));
    }

    #[test]
    fn crawlers_are_bots() {
        for user_agent in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        ] {
            assert!(is_bot_agent(user_agent), "{user_agent}");
        }
    }

    #[test]
    fn automation_tools_are_bots() {
        for user_agent in [
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1",
            "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0 Safari/537.36 Puppeteer",
            "Mozilla/5.0 Playwright/1.40 (X11; Linux x86_64)",
            "python-requests/2.31.0",
            "curl/8.4.0",
            "Wget/1.21.4 (linux-gnu)",
            "Go-http-client/1.1",
            "okhttp/4.12.0",
            "axios/1.6.2",
            "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
            "Java/17.0.9",
            "Mozilla/5.0 (compatible) libcurl-agent curl/7.1",
        ] {
            assert!(is_bot_agent(user_agent), "{user_agent}");
        }
    }

    #[test]
    fn empty_short_and_blank_user_agents_are_bots() {
        for user_agent in ["", " ", "Mozilla", "         \t         ", "ブラウザ"] {
            assert!(is_bot_agent(user_agent), "{user_agent:?}");
        }
    }

    #[test]
    fn headless_screens_flag_real_looking_browsers() {
        assert!(has_headless_screen(Some((0, 0))));
        assert!(has_headless_screen(Some((0, 800))));
    }

    #[test]
    fn garbage_does_not_panic() {
        let huge = "x".repeat(200_000);
        let non_ascii = "Ünïcödé ßtring with emoji 🦀🦀🦀 and more text";
        let control = "Mozilla/5.0\u{0}\u{1}\u{1b}[31m (X11) \u{202e}";
        for user_agent in [huge.as_str(), non_ascii, control] {
            // Only termination matters here; these are neither known browsers nor known bots.
            let _ = is_bot_agent(user_agent);
        }
        assert!(!is_bot_agent(non_ascii));
    }
}
