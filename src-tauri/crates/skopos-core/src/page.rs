//! Page URL normalisation into the host and path that reports group by, plus UTM extraction.

use url::Url;

/// Longest stored path, in bytes; longer paths are cut on a character boundary.
pub const MAX_PATH_LEN: usize = 512;
/// Longest stored UTM value, in bytes; longer values are cut on a character boundary.
pub const MAX_UTM_LEN: usize = 256;

/// Paths are percent-encoded by giving them to a URL on this host, so that a bare path and the
/// same path inside a full URL normalise identically.
const PLACEHOLDER_ORIGIN: &str = "http://path.invalid/";

/// Campaign parameters from the page URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Utm {
    pub source: Option<String>,
    pub medium: Option<String>,
    pub campaign: Option<String>,
    pub term: Option<String>,
    pub content: Option<String>,
}

/// A viewed page as reports group it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Lower-case, without a leading `www.` and without the port.
    pub host: String,
    /// Always starts with `/`; no query, no trailing slash except for the root.
    pub path: String,
    pub utm: Utm,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("invalid url")]
    InvalidUrl,
    #[error("url must be http or https")]
    UnsupportedScheme,
}

/// Parses the page URL reported by the tracker. `hash_mode` keeps a `#/route` fragment as part of the path (hash-routed SPAs).
pub fn normalize_page(url: &str, hash_mode: bool) -> Result<Page, PageError> {
    let parsed = Url::parse(url).map_err(|_| PageError::InvalidUrl)?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(PageError::UnsupportedScheme);
    }
    let host = parsed.host_str().map(normalize_host).unwrap_or_default();
    if host.is_empty() {
        return Err(PageError::InvalidUrl);
    }
    let route = parsed.fragment().filter(|_| hash_mode).and_then(hash_route);
    let path = clean_path(route.unwrap_or(parsed.path()));
    let mut utm = utm_from_query(parsed.query());
    // Hash-routed apps often carry their campaign parameters inside the route ("#/?utm_source=x").
    if utm == Utm::default() {
        if let Some((_, query)) = route.and_then(|route| route.split_once('?')) {
            utm = utm_from_query(Some(query));
        }
    }
    Ok(Page { host, path, utm })
}

/// Normalises a bare path such as the seed script's per-event `p` field ("/docs/?q=1#x"), without a host; same rules for the path part.
pub fn normalize_path(path: &str, hash_mode: bool) -> String {
    let (before_fragment, fragment) = match path.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (path, None),
    };
    let route = fragment.filter(|_| hash_mode).and_then(hash_route);
    clean_path(route.unwrap_or(before_fragment))
}

/// The route of a hash-routed app: `#/settings` or `#!/settings`; other fragments are anchors.
fn hash_route(fragment: &str) -> Option<&str> {
    let route = fragment.strip_prefix('!').unwrap_or(fragment);
    route.starts_with('/').then_some(route)
}

fn normalize_host(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    match host.strip_prefix("www.") {
        Some(rest) => rest.to_owned(),
        None => host,
    }
}

/// Applies the path rules to raw text that may still carry a query and arbitrary garbage.
fn clean_path(raw: &str) -> String {
    let without_query = raw.split('?').next().unwrap_or_default();
    let visible: String = without_query.chars().filter(|c| !c.is_control()).collect();
    // Collapsing first also stops "//evil.com/x" from being read as a host.
    let collapsed = collapse_slashes(&format!("/{visible}"));
    let encoded = match Url::parse(PLACEHOLDER_ORIGIN) {
        Ok(mut url) => {
            url.set_path(&collapsed);
            url.path().to_owned()
        }
        Err(_) => collapsed,
    };
    // Backslashes and dot segments may have produced new doubled slashes.
    let mut path = collapse_slashes(&encoded);
    path.truncate(path_cut(&path));
    while path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    if path.is_empty() {
        path.push('/');
    }
    path
}

/// Where to cut a path so that it fits without splitting a character, a `%XX` escape, or the
/// escapes of one multi-byte character (which would decode to a replacement character).
fn path_cut(path: &str) -> usize {
    let mut end = floor_char_boundary(path, MAX_PATH_LEN);
    if end == path.len() {
        return end;
    }
    if let Some(escape) = path[..end].rfind('%').filter(|&escape| end - escape < 3) {
        end = escape;
    }
    // Walk back over trailing escapes to the lead byte of the last encoded character.
    let bytes = path.as_bytes();
    let mut continuation_bytes = 0;
    let mut start = end;
    while start >= 3 && bytes[start - 3] == b'%' {
        let Some(byte) = path
            .get(start - 2..start)
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        else {
            break;
        };
        start -= 3;
        let expected_len = match byte {
            0x80..=0xBF => {
                continuation_bytes += 1;
                continue;
            }
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if continuation_bytes + 1 < expected_len {
            start
        } else {
            end
        };
    }
    end
}

fn collapse_slashes(path: &str) -> String {
    let mut collapsed = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    collapsed
}

fn utm_from_query(query: Option<&str>) -> Utm {
    let mut utm = Utm::default();
    let Some(query) = query else {
        return utm;
    };
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let slot = match key.to_ascii_lowercase().as_str() {
            "utm_source" => &mut utm.source,
            "utm_medium" => &mut utm.medium,
            "utm_campaign" => &mut utm.campaign,
            "utm_term" => &mut utm.term,
            "utm_content" => &mut utm.content,
            _ => continue,
        };
        // The first usable value wins, as in most analytics tools.
        if slot.is_none() {
            *slot = clean_utm_value(&value);
        }
    }
    utm
}

fn clean_utm_value(value: &str) -> Option<String> {
    let visible: String = value.chars().filter(|c| !c.is_control()).collect();
    let trimmed = visible.trim();
    let cut = &trimmed[..floor_char_boundary(trimmed, MAX_UTM_LEN)];
    let cut = cut.trim_end();
    (!cut.is_empty()).then(|| cut.to_owned())
}

/// The largest index not above `max` that does not split a character.
fn floor_char_boundary(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    (0..=max)
        .rev()
        .find(|&index| text.is_char_boundary(index))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (url, hash_mode) → path.
    #[rustfmt::skip]
    const PAGE_PATHS: &[(&str, bool, &str)] = &[
        ("https://WWW.Example.COM:8443//docs//intro/?utm_source=x#top", false, "/docs/intro"),
        ("http://example.com", false, "/"),
        ("http://example.com/", false, "/"),
        ("http://example.com///", false, "/"),
        ("http://example.com/a/./b/../c", false, "/a/c"),
        ("http://example.com/caf%C3%A9", false, "/caf%C3%A9"),
        ("http://example.com/café", false, "/caf%C3%A9"),
        ("https://x.io/#/settings/", true, "/settings"),
        ("https://x.io/app#!/users//42?tab=1", true, "/users/42"),
        ("https://x.io/docs#section-2", true, "/docs"),
        ("https://x.io/app#/settings", false, "/app"),
    ];

    /// (bare path, hash_mode) → path.
    #[rustfmt::skip]
    const BARE_PATHS: &[(&str, bool, &str)] = &[
        ("/docs/?q=1#x", false, "/docs"),
        ("/docs/#/guide/", true, "/guide"),
        ("/docs/#/guide/", false, "/docs"),
        ("", false, "/"),
        ("?q=1", false, "/"),
        ("#", true, "/"),
        ("no-slash", false, "/no-slash"),
        ("//evil.com/x", false, "/evil.com/x"),
        ("\\\\evil.com\\x", false, "/evil.com/x"),
        ("/a\u{0}b\nc\u{7f}/", false, "/abc"),
        ("/../../etc/passwd", false, "/etc/passwd"),
        ("/with space/ü", false, "/with%20space/%C3%BC"),
        ("/caf%C3%A9", false, "/caf%C3%A9"),
        ("\u{202e}", false, "/%E2%80%AE"),
    ];

    #[rustfmt::skip]
    const REJECTED: &[(&str, PageError)] = &[
        ("ftp://example.com/", PageError::UnsupportedScheme),
        ("javascript:alert(1)", PageError::UnsupportedScheme),
        ("file:///etc/passwd", PageError::UnsupportedScheme),
        ("", PageError::InvalidUrl),
        ("   ", PageError::InvalidUrl),
        ("/relative", PageError::InvalidUrl),
        ("not a url", PageError::InvalidUrl),
        ("http://", PageError::InvalidUrl),
        ("https://[::1", PageError::InvalidUrl),
        ("http://exa mple.com/", PageError::InvalidUrl),
        ("\u{0}", PageError::InvalidUrl),
    ];

    fn page(url: &str) -> Page {
        normalize_page(url, false).unwrap_or_else(|error| panic!("{url} should parse: {error}"))
    }

    #[test]
    fn page_paths() {
        for &(url, hash_mode, expected) in PAGE_PATHS {
            assert_eq!(
                normalize_page(url, hash_mode).map(|p| p.path).as_deref(),
                Ok(expected),
                "{url}"
            );
        }
    }

    #[test]
    fn bare_paths() {
        for &(path, hash_mode, expected) in BARE_PATHS {
            assert_eq!(normalize_path(path, hash_mode), expected, "{path:?}");
        }
    }

    #[test]
    fn rejected_urls() {
        for (url, error) in REJECTED {
            assert_eq!(normalize_page(url, false).as_ref(), Err(error), "{url:?}");
        }
        assert_eq!(
            PageError::UnsupportedScheme.to_string(),
            "url must be http or https"
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(page("https://WWW.Example.COM:8443/").host, "example.com");
        assert_eq!(page("http://example.com./").host, "example.com");
        assert_eq!(page("http://localhost:3000/x").host, "localhost");
        assert_eq!(page("http://[::1]:8080/x").host, "[::1]");
        assert_eq!(page("https://bücher.de/").host, "xn--bcher-kva.de");
    }

    #[test]
    fn utm_extraction() {
        let parsed = page("https://x.io/?utm_source=%20Google%20&UTM_MEDIUM=cpc&utm_campaign=spring+sale&utm_term=&utm_content=%E2%9C%93&utm_source=second");
        assert_eq!(parsed.utm.source.as_deref(), Some("Google"));
        assert_eq!(parsed.utm.medium.as_deref(), Some("cpc"));
        assert_eq!(parsed.utm.campaign.as_deref(), Some("spring sale"));
        assert_eq!(parsed.utm.term, None);
        assert_eq!(parsed.utm.content.as_deref(), Some("✓"));
        assert_eq!(page("https://x.io/?ref=abc").utm, Utm::default());
        assert_eq!(page("https://x.io/?utm_source=%00%01%20").utm.source, None);

        let long = page(&format!(
            "https://x.io/?utm_campaign={}",
            "é".repeat(MAX_UTM_LEN)
        ));
        let campaign = long.utm.campaign.unwrap_or_default();
        assert_eq!(campaign.len(), MAX_UTM_LEN);
        assert!(campaign.chars().all(|c| c == 'é'));

        let routed = normalize_page("https://x.io/#/in?utm_source=news&utm_medium=email", true);
        let utm = routed.map(|p| p.utm).unwrap_or_default();
        assert_eq!(
            (utm.source.as_deref(), utm.medium.as_deref()),
            (Some("news"), Some("email"))
        );
    }

    #[test]
    fn long_paths_are_cut_between_whole_characters() {
        let long = page(&format!("https://x.io/{}", "a".repeat(10_000)));
        assert_eq!(long.path.len(), MAX_PATH_LEN);
        let multibyte = normalize_path(&"日本".repeat(1_000), false);
        assert!(multibyte.starts_with("/%E6%97%A5"));
        assert_eq!(
            multibyte.len(),
            1 + 56 * 9,
            "each character encodes to 9 bytes"
        );
        let filler = |n: usize| format!("/{}", "a".repeat(n));
        let emoji = normalize_path(&format!("{}🦀", filler(MAX_PATH_LEN - 8)), false);
        assert_eq!(emoji, filler(MAX_PATH_LEN - 8));
        let escape_at_cut = normalize_path(&format!("{}é", filler(MAX_PATH_LEN - 3)), false);
        assert_eq!(escape_at_cut, filler(MAX_PATH_LEN - 3));
        let slash_at_cut = normalize_path(&format!("{}/b", filler(MAX_PATH_LEN - 2)), false);
        assert_eq!(slash_at_cut, filler(MAX_PATH_LEN - 2));
    }

    #[test]
    fn garbage_never_breaks_the_path_invariant() {
        let huge = "🦀/".repeat(50_000);
        let inputs = [
            "%",
            "%%%",
            "/%zz",
            "////",
            "#!/",
            "#!",
            ":",
            "http://x.io/a",
            huge.as_str(),
        ];
        for input in inputs {
            for hash_mode in [false, true] {
                let path = normalize_path(input, hash_mode);
                assert!(path.starts_with('/'), "{input:?} gave {path:?}");
                assert!(path.len() <= MAX_PATH_LEN);
                assert!(!path.contains("//"));
                assert!(path == "/" || !path.ends_with('/'));
            }
        }
    }
}
