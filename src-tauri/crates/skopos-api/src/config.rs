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
}

impl AppConfig {
    pub fn new(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            durability: Durability::default(),
            writer: WriterConfig::default(),
            geo_database: None,
            public_url: None,
        }
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
