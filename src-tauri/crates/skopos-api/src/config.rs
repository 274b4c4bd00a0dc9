//! What the application needs to know at start.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use skopos_store::writer::WriterConfig;
use skopos_store::Durability;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppConfig {
    /// Folder holding the database file.
    pub data_dir: PathBuf,
    pub durability: Durability,
    pub writer: WriterConfig,
    /// A MaxMind-format database (e.g. GeoLite2-City) to use instead of the bundled
    /// country-only one; it adds regions.
    pub geo_database: Option<PathBuf>,
    /// The address visitors' browsers reach the collector at (a tunnel URL, say); used in
    /// tracking snippets.
    pub public_url: Option<String>,
    /// A second path the tracking script is served at (e.g. `/js/app.js`), for visitors
    /// whose blockers match `/script.js`; tracking snippets use it when set.
    pub script_alias: Option<String>,
}

/// The paths the collector answers itself; an alias may not take one of them.
const COLLECTOR_PATHS: [&str; 5] = [
    "/collect",
    "/api/event",
    "/health",
    SCRIPT_PATH,
    "/script.lite.js",
];

/// Where the full tracking script is served.
pub const SCRIPT_PATH: &str = "/script.js";

const MAX_ALIAS_LEN: usize = 128;

impl AppConfig {
    pub fn new(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            durability: Durability::default(),
            writer: WriterConfig::default(),
            geo_database: None,
            public_url: None,
            script_alias: None,
        }
    }

    /// Checks what cannot be checked by types alone.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(alias) = &self.script_alias {
            check_script_alias(alias)?;
        }
        Ok(())
    }

    /// The path snippets load the tracking script from.
    pub fn script_path(&self) -> &str {
        self.script_alias.as_deref().unwrap_or(SCRIPT_PATH)
    }

    /// The OS's per-user data folder (e.g. `~/.local/share/skopos`), shared by the desktop
    /// app and `skopos-server` so both see the same sites and data.
    pub fn default_data_dir() -> PathBuf {
        dirs::data_dir()
            .map(|dir| dir.join("skopos"))
            .unwrap_or_else(|| PathBuf::from("skopos-data"))
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("skopos.db")
    }
}

/// An alias is a plain absolute path: letters, digits and `-._~/`, no empty, `.` or `..`
/// segments, and none of the collector's own paths.
fn check_script_alias(alias: &str) -> Result<(), String> {
    let problem = if !alias.starts_with('/') || alias.len() < 2 {
        Some("must be an absolute path such as /js/app.js")
    } else if alias.len() > MAX_ALIAS_LEN {
        Some("is longer than 128 characters")
    } else if !alias
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/".contains(&b))
    {
        Some("may only contain letters, digits and - . _ ~ /")
    } else if alias[1..]
        .split('/')
        .any(|segment| matches!(segment, "" | "." | ".."))
    {
        Some("has an empty, . or .. segment")
    } else if COLLECTOR_PATHS.contains(&alias) {
        Some("is already one of the collector's paths")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(format!("script alias {alias:?} {problem}")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_aliases_are_plain_paths_of_their_own() {
        for good in ["/js/app.js", "/a", "/static/v1.2/x_y~z-1.js"] {
            assert_eq!(check_script_alias(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("js/app.js", "absolute path"),
            ("/", "absolute path"),
            ("/js//app.js", "segment"),
            ("/js/../x.js", "segment"),
            ("/js/", "segment"),
            ("/{id}", "may only contain"),
            ("/*rest", "may only contain"),
            ("/a b", "may only contain"),
            ("/script.js", "collector's paths"),
            ("/api/event", "collector's paths"),
        ] {
            let error = check_script_alias(bad).unwrap_err();
            assert!(error.contains(why), "{bad}: {error}");
        }
        assert!(check_script_alias(&format!("/{}", "a".repeat(200))).is_err());
    }
}
