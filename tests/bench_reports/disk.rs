//! What the database costs on disk: the file after a full checkpoint, and its tables and
//! indexes as SQLite's `dbstat` virtual table sees them; plus row counts.

use std::path::Path;

use anyhow::{Context, Result};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

/// The file after `PRAGMA wal_checkpoint(TRUNCATE)`.
#[derive(Debug, Clone, Default)]
pub struct Disk {
    pub file_bytes: u64,
    /// Bytes of free pages inside the file.
    pub free_bytes: u64,
    /// Tables and indexes with their bytes, biggest first, when `dbstat` is available.
    pub objects: Option<Vec<(String, u64)>>,
}

/// Rows of the raw tables.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rows {
    pub events: u64,
    pub error_occurrences: u64,
    pub sessions: u64,
    pub visitors: u64,
    pub rollup_values: u64,
}

impl Rows {
    /// Raw events as stored: pageviews, other events and error occurrences.
    pub fn raw_events(&self) -> u64 {
        self.events + self.error_occurrences
    }
}

/// A separate connection to the benchmark's database (the store keeps its pool private).
async fn open(path: &Path) -> Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .connect()
        .await
        .with_context(|| format!("opening {}", path.display()))
}

/// Checkpoints the whole WAL into the file and truncates it, then measures the file;
/// with `objects`, also every table and index (reads every page: seconds on big files).
pub async fn measure(path: &Path, objects: bool) -> Result<Disk> {
    let mut connection = open(path).await?;
    let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(&mut connection)
        .await
        .context("checkpointing the WAL")?;
    if busy != 0 {
        eprintln!("warning: the WAL checkpoint was blocked; the file size includes no WAL");
    }
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(&mut connection)
        .await?;
    let free_pages: i64 = sqlx::query_scalar("PRAGMA freelist_count")
        .fetch_one(&mut connection)
        .await?;
    let objects = if objects {
        match sqlx::query_as::<_, (String, i64)>(
            "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC",
        )
        .fetch_all(&mut connection)
        .await
        {
            Ok(rows) => Some(
                rows.into_iter()
                    .map(|(name, bytes)| (name, bytes.max(0) as u64))
                    .collect(),
            ),
            Err(error) => {
                eprintln!("note: no per-table sizes, dbstat is not available: {error}");
                None
            }
        }
    } else {
        None
    };
    connection.close().await?;
    let file_bytes = std::fs::metadata(path)
        .with_context(|| format!("reading the size of {}", path.display()))?
        .len();
    Ok(Disk {
        file_bytes,
        free_bytes: (free_pages.max(0) * page_size.max(0)) as u64,
        objects,
    })
}

pub async fn rows(path: &Path) -> Result<Rows> {
    let mut connection = open(path).await?;
    let rows = Rows {
        events: count(&mut connection, "pageviews").await?
            + count(&mut connection, "event_rows").await?,
        error_occurrences: count(&mut connection, "error_occurrences").await?,
        sessions: count(&mut connection, "sessions").await?,
        visitors: count(&mut connection, "visitors").await?,
        rollup_values: count(&mut connection, "rollup_values").await?,
    };
    connection.close().await?;
    Ok(rows)
}

async fn count(connection: &mut SqliteConnection, table: &str) -> Result<u64> {
    let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(connection)
        .await
        .with_context(|| format!("counting {table}"))?;
    Ok(count.max(0) as u64)
}
