//! The desktop app's settings: the collector's address, the public (tunnel) URL, the
//! trusted proxy and the data folder. They are kept in `desktop.json` in the user's config
//! folder (`SKOPOS_DESKTOP_SETTINGS` names another file), and environment variables
//! (`SKOPOS_COLLECTOR`, `SKOPOS_PUBLIC_URL`, `SKOPOS_TRUSTED_PROXY`, `SKOPOS_DATA_DIR`)
//! override the file for one run.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use skopos_api::{parse_public_url, ApiError, AppConfig, SettingsChange};
use skopos_http::TrustedProxy;

/// Where the collector listens unless configured otherwise; the same default as
/// `skopos-server`, so tracking snippets work with either.
pub const DEFAULT_ADDRESS: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8787);

/// The file's shape; every key is optional.
#[derive(Debug, Default, Serialize, Deserialize)]
struct SavedSettings {
    collector_address: Option<String>,
    public_url: Option<String>,
    trusted_proxy: Option<TrustedProxy>,
    data_dir: Option<PathBuf>,
}

/// What the collector is started with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    /// The address as written (for messages), and what it parsed to.
    pub address_text: String,
    pub address: Result<SocketAddr, String>,
    /// The address visitors' browsers reach the collector at.
    pub public_url: Option<String>,
    pub trusted_proxy: TrustedProxy,
    /// The settings file, which [`Settings::save`] writes.
    pub file: Option<PathBuf>,
}

fn settings_file(var: &impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    var("SKOPOS_DESKTOP_SETTINGS")
        .map(PathBuf::from)
        .or_else(|| dirs::config_dir().map(|dir| dir.join("skopos").join("desktop.json")))
}

fn parse_address(text: &str) -> Result<SocketAddr, String> {
    text.parse::<SocketAddr>().map_err(|_| {
        format!(
            "The collector address \"{text}\" is not an address: use IP:port, for example \
             127.0.0.1:8787."
        )
    })
}

impl Settings {
    pub fn from_env() -> Self {
        Self::load(|name| std::env::var(name).ok())
    }

    /// Reads the file and the environment through `var`, so tests need not touch the
    /// process environment. A file that cannot be read is reported and ignored.
    pub fn load(var: impl Fn(&str) -> Option<String>) -> Self {
        let set = |name: &str| {
            var(name)
                .map(|value| value.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let file = settings_file(&var);
        let saved = file.as_deref().map(read_file).unwrap_or_default();
        let address_text = set("SKOPOS_COLLECTOR")
            .or(saved.collector_address)
            .unwrap_or_else(|| DEFAULT_ADDRESS.to_string());
        let trusted_proxy = match set("SKOPOS_TRUSTED_PROXY").map(|text| text.parse()) {
            Some(Ok(proxy)) => proxy,
            Some(Err(message)) => {
                tracing::warn!("SKOPOS_TRUSTED_PROXY ignored: {message}");
                saved.trusted_proxy.unwrap_or_default()
            }
            None => saved.trusted_proxy.unwrap_or_default(),
        };
        Self {
            data_dir: set("SKOPOS_DATA_DIR")
                .map(PathBuf::from)
                .or(saved.data_dir)
                .unwrap_or_else(AppConfig::default_data_dir),
            address: parse_address(&address_text),
            address_text,
            public_url: set("SKOPOS_PUBLIC_URL").or(saved.public_url),
            trusted_proxy,
            file,
        }
    }

    /// Checks a change from the settings view and writes it to the settings file; the
    /// caller restarts the collector with the result. Nothing is written if any field is
    /// wrong.
    pub fn save(&self, change: SettingsChange) -> Result<Settings, ApiError> {
        let address_text = change.collector_address.trim().to_owned();
        let address = parse_address(&address_text).map_err(ApiError::invalid)?;
        let trusted_proxy: TrustedProxy = change
            .trusted_proxy
            .trim()
            .parse()
            .map_err(ApiError::invalid)?;
        let public_url = change
            .public_url
            .map(|url| url.trim().trim_end_matches('/').to_owned())
            .filter(|url| !url.is_empty());
        if let Some(url) = &public_url {
            parse_public_url(url)?;
        }
        let data_dir = PathBuf::from(change.data_dir.trim());
        if !data_dir.is_absolute() {
            return Err(ApiError::invalid(
                "the data folder must be an absolute path",
            ));
        }
        let Some(file) = &self.file else {
            return Err(ApiError::unavailable(
                "there is no config folder to keep settings in",
            ));
        };
        let saved = SavedSettings {
            collector_address: Some(address_text.clone()),
            public_url: public_url.clone(),
            trusted_proxy: Some(trusted_proxy),
            data_dir: Some(data_dir.clone()),
        };
        write_file(file, &saved)
            .map_err(|error| ApiError::unavailable(format!("cannot save the settings: {error}")))?;
        Ok(Settings {
            data_dir,
            address_text,
            address: Ok(address),
            public_url,
            trusted_proxy,
            file: self.file.clone(),
        })
    }
}

fn read_file(path: &Path) -> SavedSettings {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|error| {
            tracing::warn!(file = %path.display(), %error, "settings file ignored");
            SavedSettings::default()
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => SavedSettings::default(),
        Err(error) => {
            tracing::warn!(file = %path.display(), %error, "settings file unreadable");
            SavedSettings::default()
        }
    }
}

/// Writes beside the file and renames over it, so a crash never leaves half a file.
fn write_file(path: &Path, saved: &SavedSettings) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string_pretty(saved).map_err(std::io::Error::other)?;
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Settings {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::load(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    fn change(address: &str, url: Option<&str>, proxy: &str, dir: &str) -> SettingsChange {
        SettingsChange {
            collector_address: address.into(),
            public_url: url.map(Into::into),
            trusted_proxy: proxy.into(),
            data_dir: dir.into(),
        }
    }

    #[test]
    fn defaults_then_file_then_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("desktop.json");
        let file_var = file.to_str().unwrap();
        let defaults = load(&[("SKOPOS_DESKTOP_SETTINGS", file_var)]);
        assert_eq!(defaults.address, Ok(DEFAULT_ADDRESS));
        assert_eq!(defaults.data_dir, AppConfig::default_data_dir());
        assert_eq!(defaults.trusted_proxy, TrustedProxy::None);

        let data = dir.path().join("data");
        let saved = defaults
            .save(change(
                " 127.0.0.1:9100 ",
                Some("https://tunnel.example/"),
                "cloudflare",
                data.to_str().unwrap(),
            ))
            .unwrap();
        assert_eq!(saved.address, Ok("127.0.0.1:9100".parse().unwrap()));
        assert_eq!(saved.public_url.as_deref(), Some("https://tunnel.example"));
        let reloaded = load(&[("SKOPOS_DESKTOP_SETTINGS", file_var)]);
        assert_eq!(reloaded.address_text, "127.0.0.1:9100");
        assert_eq!(reloaded.trusted_proxy, TrustedProxy::Cloudflare);
        assert_eq!(reloaded.data_dir, data);

        let overridden = load(&[
            ("SKOPOS_DESKTOP_SETTINGS", file_var),
            ("SKOPOS_COLLECTOR", "localhost"),
            ("SKOPOS_DATA_DIR", "/tmp/x"),
        ]);
        assert!(overridden.address.unwrap_err().contains("\"localhost\""));
        assert_eq!(overridden.data_dir, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn a_bad_change_is_refused_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("desktop.json");
        let settings = load(&[("SKOPOS_DESKTOP_SETTINGS", file.to_str().unwrap())]);
        for bad in [
            change("8787", None, "none", "/data"),
            change("127.0.0.1:8787", Some("ftp://x"), "none", "/data"),
            change("127.0.0.1:8787", Some("not a url"), "none", "/data"),
            change("127.0.0.1:8787", None, "sometimes", "/data"),
            change("127.0.0.1:8787", None, "none", "relative/dir"),
        ] {
            let error = settings.save(bad).unwrap_err();
            assert_eq!(error.code, skopos_api::ErrorCode::Invalid, "{error}");
        }
        assert!(!file.exists());
        std::fs::write(&file, "{not json").unwrap();
        let survived = load(&[("SKOPOS_DESKTOP_SETTINGS", file.to_str().unwrap())]);
        assert_eq!(
            survived.address,
            Ok(DEFAULT_ADDRESS),
            "a broken file is ignored"
        );
    }
}
