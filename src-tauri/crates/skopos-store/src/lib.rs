//! Skopos storage: one SQLite file in WAL mode, its embedded migrations, a repository
//! module per aggregate, and the group-commit [`writer`] that ingestion goes through.
//!
//! All SQL in the project lives in this crate. Queries are runtime-checked
//! (`sqlx::query_as` with `FromRow`) and covered by tests against a real file, which keeps
//! the build free of a database at compile time.

mod accounts;
mod error;
mod errors;
mod event_rows;
mod export;
pub mod reports;
mod salts;
mod session_labels;
mod sites;
mod stats;
pub mod writer;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqliteConnection, SqlitePool};

pub use accounts::Login;
pub use error::StoreError;
pub use errors::{ErrorGroupDetail, ErrorGroupSummary, ErrorStatus, Occurrence};
pub use export::{
    ExportedErrorGroup, ExportedEvent, ExportedOccurrence, ExportedSession, ExportedVisitor,
    SiteExport,
};

/// How hard a commit tries to reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Durability {
    /// WAL with `synchronous=NORMAL`: a committed transaction survives the process being
    /// killed; after a power cut the last commits may be lost.
    #[default]
    Normal,
    /// WAL with `synchronous=FULL`: every commit is on disk before it is acknowledged.
    Full,
}

/// The database: a pool for reads and occasional writes, plus the file it lives in.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    options: SqliteConnectOptions,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path, durability: Durability) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match durability {
                Durability::Normal => SqliteSynchronous::Normal,
                Durability::Full => SqliteSynchronous::Full,
            })
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .log_statements(tracing::log::LevelFilter::Trace);
        // A dashboard asks a dozen questions at once; with filters on a big file each one
        // scans for seconds, so a question may wait for a connection longer than sqlx's
        // default 30 s, and should rather wait than fail.
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(300))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        reclaim_free_space(&pool, path).await?;
        Ok(Store {
            pool,
            options,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A dedicated connection for the ingest writer, outside the pool. It never checkpoints
    /// the WAL itself (SQLite would do it inside a commit, on the ingest path); the writer
    /// asks the pool for [`Store::checkpoint`] instead.
    pub(crate) async fn writer_connection(&self) -> Result<SqliteConnection, StoreError> {
        let mut connection = self.options.connect().await?;
        sqlx::query("PRAGMA wal_autocheckpoint = 0")
            .execute(&mut connection)
            .await?;
        Ok(connection)
    }

    /// Copies what the WAL holds into the database file and empties the WAL, on the
    /// writer's connection between two batches: under sustained writes the passive
    /// checkpoints beside the writer never reach the end of a WAL that keeps growing, so
    /// it would grow without end. Waits at most `patience` for readers of older
    /// snapshots; returns whether it could.
    pub(crate) async fn truncate_wal(
        connection: &mut SqliteConnection,
        patience: Duration,
    ) -> Result<bool, sqlx::Error> {
        let wait = format!("PRAGMA busy_timeout = {}", patience.as_millis());
        let restore = format!("PRAGMA busy_timeout = {}", BUSY_TIMEOUT.as_millis());
        sqlx::query(&wait).execute(&mut *connection).await?;
        let done: Result<(i64, i64, i64), sqlx::Error> =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&mut *connection)
                .await;
        sqlx::query(&restore).execute(&mut *connection).await?;
        Ok(done?.0 == 0)
    }

    /// Copies committed WAL frames into the database file without blocking the writer.
    pub(crate) async fn checkpoint(&self) -> Result<(), StoreError> {
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes every pooled connection; the WAL is checkpointed by the last one.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// How long a connection waits for a lock before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A file that is more than a quarter free pages (after a migration rebuilt a table, or
/// retention deleted much) is rewritten once, at start, to give the room back.
async fn reclaim_free_space(pool: &SqlitePool, path: &Path) -> Result<(), StoreError> {
    const AT_LEAST_PAGES: i64 = 4096;
    let (pages, free, page_size): (i64, i64, i64) = sqlx::query_as(
        "SELECT page_count, freelist_count, page_size \
         FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()",
    )
    .fetch_one(pool)
    .await?;
    if free < AT_LEAST_PAGES || free * 4 < pages {
        return Ok(());
    }
    let megabytes = free * page_size / 1_000_000;
    tracing::info!(database = %path.display(), megabytes, "giving free space back (VACUUM)");
    // In WAL mode the smaller file is written by the checkpoint.
    sqlx::raw_sql("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_mostly_free_gives_its_room_back_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("skopos.db");
        let store = Store::open(&path, Durability::Normal).await.unwrap();
        sqlx::query(
            "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) \
             INSERT INTO strings (value) SELECT i || hex(randomblob(2000)) FROM n",
        )
        .execute(&store.pool)
        .await
        .unwrap();
        sqlx::query("DELETE FROM strings")
            .execute(&store.pool)
            .await
            .unwrap();
        store.close().await;
        let size = || std::fs::metadata(&path).unwrap().len();
        let with_free_pages = size();
        assert!(with_free_pages > 24_000_000, "{with_free_pages} bytes");

        let store = Store::open(&path, Durability::Normal).await.unwrap();
        store.close().await;
        assert!(size() < 1_000_000, "{} bytes after reopening", size());
        // A file with little free room is left alone.
        let store = Store::open(&path, Durability::Normal).await.unwrap();
        store.close().await;
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("skopos.db"), Durability::Normal)
            .await
            .unwrap();
        (store, dir)
    }
}
