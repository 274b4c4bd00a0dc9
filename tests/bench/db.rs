//! Reading the collector's database after the server has stopped (gracefully or not).

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

/// Opens the database the ordinary way (not immutable, not read-only), so that SQLite
/// replays the write-ahead log a killed server left behind, as the next start would.
pub async fn open(path: &Path) -> Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .connect()
        .await
        .with_context(|| format!("opening the collector database {}", path.display()))
}

/// Pageview rows whose path starts with `prefix`.
pub async fn count_pageviews(path: &Path, prefix: &str) -> Result<u64> {
    let mut connection = open(path).await?;
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM events WHERE kind = 'pageview' AND path LIKE ? || '%'",
    )
    .bind(prefix)
    .fetch_one(&mut connection)
    .await
    .context("counting stored pageviews")?;
    connection.close().await.context("closing the database")?;
    u64::try_from(count).context("negative row count")
}

/// The unique numbers N of stored pageviews with path `{prefix}N`.
pub async fn stored_numbers(path: &Path, prefix: &str) -> Result<HashSet<u64>> {
    let mut connection = open(path).await?;
    let paths: Vec<String> = sqlx::query_scalar(
        "SELECT path FROM events WHERE kind = 'pageview' AND path LIKE ? || '%'",
    )
    .bind(prefix)
    .fetch_all(&mut connection)
    .await
    .context("reading stored pageview paths")?;
    connection.close().await.context("closing the database")?;
    paths
        .iter()
        .map(|path| {
            path[prefix.len()..]
                .parse()
                .with_context(|| format!("stored path {path:?} does not end in a request number"))
        })
        .collect()
}
