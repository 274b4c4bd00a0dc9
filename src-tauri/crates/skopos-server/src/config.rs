//! The server's configuration: defaults, then the TOML file, then environment and flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::Deserialize;
use skopos_api::{AppConfig, Durability, WriterConfig};
use skopos_http::{CollectorConfig, RateLimit, TrustedProxy};

use crate::cli::{Cli, ServeArgs};

pub const DEFAULT_COLLECTOR: &str = "127.0.0.1:8787";
pub const DEFAULT_DASHBOARD: &str = "127.0.0.1:8788";

/// The config file's shape; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    geo_database: Option<PathBuf>,
    durability: Option<Durability>,
    #[serde(default)]
    collector: FileCollector,
    #[serde(default)]
    dashboard: FileDashboard,
    ingest: Option<WriterConfig>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDashboard {
    listen: Option<SocketAddr>,
    enabled: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCollector {
    listen: Option<SocketAddr>,
    trusted_proxy: Option<TrustedProxy>,
    public_url: Option<String>,
    script_alias: Option<String>,
    rate_limit: Option<RateLimit>,
}

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub app: AppConfig,
    pub collector_addr: SocketAddr,
    pub collector: CollectorConfig,
    /// Where the web dashboard listens; `None` runs without it.
    pub dashboard_addr: Option<SocketAddr>,
}

impl ServerConfig {
    pub fn load(cli: &Cli) -> Result<Self> {
        let default_dir = AppConfig::default_data_dir;
        let file_path = cli.config.clone().or_else(|| {
            Some(
                cli.data_dir
                    .clone()
                    .unwrap_or_else(default_dir)
                    .join("skopos.toml"),
            )
            .filter(|p| p.exists())
        });
        let file: FileConfig = match &file_path {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading config file {}", path.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("parsing config file {}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let data_dir = cli
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(default_dir);
        let mut app = AppConfig::new(data_dir);
        app.geo_database = file.geo_database;
        app.durability = file.durability.unwrap_or_default();
        app.writer = file.ingest.unwrap_or_default();
        app.public_url = file.collector.public_url;
        app.script_alias = file.collector.script_alias;
        Ok(Self {
            app,
            collector_addr: file
                .collector
                .listen
                .unwrap_or_else(|| DEFAULT_COLLECTOR.parse().expect("valid default address")),
            collector: CollectorConfig {
                trusted_proxy: file.collector.trusted_proxy.unwrap_or_default(),
                rate_limit: file.collector.rate_limit.unwrap_or_default(),
            },
            dashboard_addr: match file.dashboard.enabled {
                Some(false) => None,
                _ => {
                    Some(file.dashboard.listen.unwrap_or_else(|| {
                        DEFAULT_DASHBOARD.parse().expect("valid default address")
                    }))
                }
            },
        })
    }

    /// Applies `serve` flags (and their environment variables) over the file.
    pub fn with_serve_args(mut self, args: &ServeArgs) -> Result<Self> {
        if let Some(addr) = args.collector {
            self.collector_addr = addr;
        }
        if let Some(proxy) = &args.trusted_proxy {
            self.collector.trusted_proxy = proxy.parse().map_err(anyhow::Error::msg)?;
        }
        if let Some(url) = &args.public_url {
            self.app.public_url = Some(url.clone());
        }
        if let Some(alias) = &args.script_alias {
            self.app.script_alias = Some(alias.clone());
        }
        if let Some(addr) = args.dashboard {
            self.dashboard_addr = Some(addr);
        }
        if args.no_dashboard {
            self.dashboard_addr = None;
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn file_values_apply_and_flags_win() {
        let dir = std::env::temp_dir().join(format!("skopos-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("skopos.toml");
        std::fs::write(
            &file,
            "durability = \"full\"\n[collector]\nlisten = \"0.0.0.0:9000\"\ntrusted_proxy = \"cloudflare\"\n\
             script_alias = \"/js/a.js\"\n\
             [collector.rate_limit]\nper_second = 5\nburst = 7\n[ingest]\nqueue_capacity = 16\n",
        )
        .unwrap();
        let cli = Cli::parse_from([
            "skopos-server",
            "--data-dir",
            dir.to_str().unwrap(),
            "serve",
        ]);
        let config = ServerConfig::load(&cli).unwrap();
        assert_eq!(config.collector_addr.to_string(), "0.0.0.0:9000");
        assert_eq!(config.collector.trusted_proxy, TrustedProxy::Cloudflare);
        assert_eq!(
            config.collector.rate_limit,
            RateLimit {
                per_second: 5,
                burst: 7
            }
        );
        assert_eq!(config.app.durability, Durability::Full);
        assert_eq!(config.app.writer.queue_capacity, 16);
        assert_eq!(config.app.script_alias.as_deref(), Some("/js/a.js"));
        assert_eq!(
            config.dashboard_addr.map(|a| a.to_string()).as_deref(),
            Some(DEFAULT_DASHBOARD)
        );
        let flags = ServeArgs {
            collector: Some("127.0.0.1:1234".parse().unwrap()),
            trusted_proxy: Some("x-real-ip".into()),
            public_url: None,
            script_alias: Some("/t.js".into()),
            dashboard: None,
            no_dashboard: true,
        };
        let config = config.with_serve_args(&flags).unwrap();
        assert_eq!(config.collector_addr.to_string(), "127.0.0.1:1234");
        assert_eq!(config.collector.trusted_proxy, TrustedProxy::XRealIp);
        assert_eq!(config.app.script_alias.as_deref(), Some("/t.js"));
        assert_eq!(config.dashboard_addr, None, "--no-dashboard");

        std::fs::write(&file, "[collector]\nlisen = \"typo\"\n").unwrap();
        let error = ServerConfig::load(&cli).unwrap_err();
        assert!(format!("{error:#}").contains("unknown field"), "{error:#}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
