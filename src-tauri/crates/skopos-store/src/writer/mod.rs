//! The group-commit ingest writer: one task owns a dedicated connection and writes every
//! hit the collector accepts.
//!
//! Requests put their hits on a bounded queue together with a reply channel. The writer
//! takes the first waiting job, gathers more until it has [`WriterConfig::max_batch_hits`]
//! hits or [`WriterConfig::max_batch_wait`] has passed, writes them all in one transaction
//! with multi-row inserts, and only after `COMMIT` answers each job. An acknowledged hit
//! is therefore on disk; a full queue is refused at once so the caller can answer `503`.
//! Shutting down stops new jobs and drains the ones already queued. After each commit a
//! per-site summary goes to whoever subscribed ([`WriterTask::subscribe`]). Between
//! batches it does chores that must not interleave with them: erasures and roll-ups.

mod activity;
mod batch;
mod combinations;
mod erase;
mod rollups;
mod sessions;
mod strings;

use std::path::PathBuf;
use std::time::Duration;

use skopos_core::hit::Hit;
use sqlx::SqliteConnection;
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::reports::rollups::CREATE_TEMP_TABLES;
use crate::{Store, StoreError};
pub use activity::{Activity, SiteActivity};
use combinations::LabelCaches;
use erase::EraseJob;
pub use erase::{Erased, Subject};
use sessions::SessionCache;
use strings::StringCache;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct WriterConfig {
    /// Jobs (one per request) that may wait for the writer before new ones are refused.
    pub queue_capacity: usize,
    /// Most hits written in one transaction.
    pub max_batch_hits: usize,
    /// Longest the writer waits for more jobs before committing what it has. Zero (the
    /// default) commits at once; batches still grow while the previous commit runs, and a
    /// wait only adds latency when every sender is already waiting for its reply.
    #[serde(with = "millis")]
    pub max_batch_wait: Duration,
}

impl Default for WriterConfig {
    fn default() -> Self {
        Self {
            queue_capacity: 8192,
            max_batch_hits: 2000,
            max_batch_wait: Duration::ZERO,
        }
    }
}

mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_millis(u64::deserialize(d)?))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    #[error("ingest queue is full")]
    QueueFull,
    #[error("ingest writer has stopped")]
    Closed,
    #[error("could not store hits: {0}")]
    Write(String),
}

struct Job {
    hits: Vec<Hit>,
    done: oneshot::Sender<Result<(), SubmitError>>,
}

/// What the writer does between batches.
enum Chore {
    Erase(EraseJob),
    RollUp {
        now_ms: i64,
        done: oneshot::Sender<Result<usize, SubmitError>>,
    },
    ResetRollups {
        site_id: Option<i64>,
        done: oneshot::Sender<Result<(), SubmitError>>,
    },
}

/// Chores that may wait for the writer.
const CHORE_QUEUE: usize = 16;

/// The sending side: cheap to clone, shared by every request handler.
#[derive(Clone)]
pub struct IngestQueue {
    sender: mpsc::Sender<Job>,
    chores: mpsc::Sender<Chore>,
}

impl IngestQueue {
    /// Queues hits and waits until they are committed.
    pub async fn submit(&self, hits: Vec<Hit>) -> Result<(), SubmitError> {
        let (done, committed) = oneshot::channel();
        self.sender
            .try_send(Job { hits, done })
            .map_err(|error| match error {
                mpsc::error::TrySendError::Full(_) => SubmitError::QueueFull,
                mpsc::error::TrySendError::Closed(_) => SubmitError::Closed,
            })?;
        committed.await.map_err(|_| SubmitError::Closed)?
    }

    /// Erases a visitor or an identified user with everything about them, between two
    /// batches, and waits until that is committed.
    pub async fn erase(&self, site_id: i64, subject: Subject) -> Result<Erased, SubmitError> {
        self.chore(|done| {
            Chore::Erase(EraseJob {
                site_id,
                subject,
                done,
            })
        })
        .await
    }

    /// Rolls up every visitor-day idle at `now_ms`, a bounded step at a time so that
    /// batches are written in between; returns how many visitor-days.
    pub async fn roll_up(&self, now_ms: i64) -> Result<usize, SubmitError> {
        let mut total = 0;
        loop {
            match self.chore(|done| Chore::RollUp { now_ms, done }).await? {
                0 => return Ok(total),
                rolled => total += rolled,
            }
        }
    }

    /// Recomputes the rollups of every day that still has its raw sessions, for one site
    /// or all; days whose raw data retention has deleted keep their rows. Returns how many
    /// visitor-days were rolled up.
    pub async fn rebuild_rollups(
        &self,
        site_id: Option<i64>,
        now_ms: i64,
    ) -> Result<usize, SubmitError> {
        self.chore(|done| Chore::ResetRollups { site_id, done })
            .await?;
        self.roll_up(now_ms).await
    }

    async fn chore<T>(
        &self,
        chore: impl FnOnce(oneshot::Sender<Result<T, SubmitError>>) -> Chore,
    ) -> Result<T, SubmitError> {
        let (done, finished) = oneshot::channel();
        self.chores
            .send(chore(done))
            .await
            .map_err(|_| SubmitError::Closed)?;
        finished.await.map_err(|_| SubmitError::Closed)?
    }
}

/// The running writer task; [`WriterTask::shutdown`] drains it.
pub struct WriterTask {
    stop: oneshot::Sender<()>,
    handle: JoinHandle<()>,
    activity: broadcast::Sender<Activity>,
}

impl WriterTask {
    /// Summaries of what every later commit added. The stream ends once the writer has
    /// stopped and this task is dropped.
    pub fn subscribe(&self) -> broadcast::Receiver<Activity> {
        self.activity.subscribe()
    }

    /// Refuses new jobs, writes every job already queued, then returns.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        if let Err(error) = self.handle.await {
            tracing::error!(%error, "ingest writer task failed");
        }
    }
}

/// Starts the writer on its own connection to the store's file.
pub async fn spawn(
    store: &Store,
    config: WriterConfig,
) -> Result<(IngestQueue, WriterTask), StoreError> {
    let mut connection = store.writer_connection().await?;
    sqlx::query(CREATE_TEMP_TABLES)
        .execute(&mut connection)
        .await?;
    let cache = SessionCache::load(&mut connection).await?;
    let strings = StringCache::load(&mut connection).await?;
    let labels = LabelCaches::load(&mut connection).await?;
    let (sender, receiver) = mpsc::channel(config.queue_capacity.max(1));
    let (chores, chore_receiver) = mpsc::channel(CHORE_QUEUE);
    let (stop, stopped) = oneshot::channel();
    let checkpoints = Checkpoints::new(store.clone());
    let (activity, _) = broadcast::channel(activity::BACKLOG);
    let writer = Writer {
        connection,
        cache,
        strings,
        labels,
        checkpoints,
        activity: activity.clone(),
    };
    let handle = tokio::spawn(writer.run(receiver, chore_receiver, stopped, config));
    let task = WriterTask {
        stop,
        handle,
        activity,
    };
    Ok((IngestQueue { sender, chores }, task))
}

/// What the writer task owns.
struct Writer {
    connection: SqliteConnection,
    cache: SessionCache,
    strings: StringCache,
    labels: LabelCaches,
    checkpoints: Checkpoints,
    activity: broadcast::Sender<Activity>,
}

impl Writer {
    async fn run(
        mut self,
        mut receiver: mpsc::Receiver<Job>,
        mut chores: mpsc::Receiver<Chore>,
        mut stopped: oneshot::Receiver<()>,
        config: WriterConfig,
    ) {
        let mut stopping = false;
        loop {
            let first = if stopping {
                receiver.recv().await
            } else {
                tokio::select! {
                    biased;
                    _ = &mut stopped => {
                        stopping = true;
                        receiver.close();
                        // Chores not started yet are refused (their callers see Closed).
                        chores.close();
                        continue;
                    }
                    Some(chore) = chores.recv() => {
                        self.chore(chore).await;
                        continue;
                    }
                    job = receiver.recv() => job,
                }
            };
            let Some(first) = first else { break };
            let jobs = gather(first, &mut receiver, &config).await;
            self.write_and_answer(jobs).await;
            self.checkpoints.after_commit(&mut self.connection).await;
        }
        self.checkpoints.finish().await;
        tracing::debug!("ingest writer drained and stopped");
    }

    async fn chore(&mut self, chore: Chore) {
        let (connection, cache) = (&mut self.connection, &mut self.cache);
        match chore {
            Chore::Erase(job) => erase::erase(connection, cache, job).await,
            Chore::RollUp { now_ms, done } => {
                let result = rollups::roll_up(connection, cache, now_ms).await;
                let _ = done.send(result.map_err(write_error));
            }
            Chore::ResetRollups { site_id, done } => {
                let result = rollups::reset_rollups(connection, cache, site_id).await;
                let _ = done.send(result.map_err(write_error));
            }
        }
    }

    /// Writes a batch; if it fails, retries its jobs one by one so that one bad job
    /// cannot take the others down with it.
    async fn write_and_answer(&mut self, jobs: Vec<Job>) {
        let hits: Vec<&Hit> = jobs.iter().flat_map(|job| &job.hits).collect();
        let started = Instant::now();
        let result = self.write(&hits).await;
        tracing::trace!(
            jobs = jobs.len(),
            hits = hits.len(),
            ok = result.is_ok(),
            micros = started.elapsed().as_micros() as u64,
            "batch written"
        );
        if let Err(error) = &result {
            tracing::warn!(%error, jobs = jobs.len(), "ingest batch failed");
        }
        if result.is_ok() || jobs.len() == 1 {
            let answer = result.map_err(|error| SubmitError::Write(error.to_string()));
            for job in jobs {
                let _ = job.done.send(answer.clone());
            }
            return;
        }
        for job in jobs {
            let hits: Vec<&Hit> = job.hits.iter().collect();
            let result = self.write(&hits).await;
            let _ = job
                .done
                .send(result.map_err(|error| SubmitError::Write(error.to_string())));
        }
    }

    /// One transaction; publishes what it added once committed, and forgets cached
    /// sessions and string ids the failed transaction may have changed.
    async fn write(&mut self, hits: &[&Hit]) -> Result<(), sqlx::Error> {
        let result = batch::write(
            &mut self.connection,
            &mut self.cache,
            &mut self.strings,
            &mut self.labels,
            hits,
        )
        .await;
        match &result {
            Ok(()) => activity::publish(&self.activity, hits),
            Err(_) => {
                self.cache.reset(&mut self.connection).await;
                self.strings.reset(&mut self.connection).await;
                self.labels.reset(&mut self.connection).await;
            }
        }
        result
    }
}

fn write_error(error: sqlx::Error) -> SubmitError {
    tracing::warn!(%error, "writer chore failed");
    SubmitError::Write(error.to_string())
}

/// How often, at most, committed WAL frames are copied into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);
/// A WAL bigger than this is emptied by the writer itself (see [`Store::truncate_wal`]).
const WAL_LIMIT_BYTES: u64 = if cfg!(test) {
    256 * 1024
} else {
    64 * 1024 * 1024
};
/// How long the writer waits for readers when it empties the WAL, and how long it lets
/// the WAL grow before trying again if they did not finish.
const WAL_TRUNCATE_PATIENCE: Duration = Duration::from_millis(200);
const WAL_TRUNCATE_RETRY: Duration = Duration::from_secs(5);

/// WAL checkpoints on a pool connection, so they run beside the writer instead of inside
/// its commits; at most one at a time.
struct Checkpoints {
    store: Store,
    running: Option<JoinHandle<()>>,
    last: Instant,
    wal: PathBuf,
    /// When the WAL may next be emptied.
    next_truncate: Instant,
}

impl Checkpoints {
    fn new(store: Store) -> Self {
        let mut wal = store.path().as_os_str().to_owned();
        wal.push("-wal");
        Self {
            store,
            running: None,
            last: Instant::now(),
            wal: wal.into(),
            next_truncate: Instant::now(),
        }
    }

    async fn after_commit(&mut self, connection: &mut SqliteConnection) {
        let too_big = std::fs::metadata(&self.wal).is_ok_and(|m| m.len() > WAL_LIMIT_BYTES);
        if too_big && Instant::now() >= self.next_truncate {
            match Store::truncate_wal(connection, WAL_TRUNCATE_PATIENCE).await {
                Ok(true) => {}
                Ok(false) => self.next_truncate = Instant::now() + WAL_TRUNCATE_RETRY,
                Err(error) => {
                    tracing::warn!(%error, "cannot empty the wal");
                    self.next_truncate = Instant::now() + WAL_TRUNCATE_RETRY;
                }
            }
        }
        let busy = self
            .running
            .as_ref()
            .is_some_and(|task| !task.is_finished());
        if busy || self.last.elapsed() < CHECKPOINT_EVERY {
            return;
        }
        self.last = Instant::now();
        let store = self.store.clone();
        self.running = Some(tokio::spawn(async move {
            if let Err(error) = store.checkpoint().await {
                tracing::warn!(%error, "wal checkpoint failed");
            }
        }));
    }

    async fn finish(self) {
        if let Some(task) = self.running {
            let _ = task.await;
        }
    }
}

/// Collects jobs after the first until the batch is full or the wait is over.
async fn gather(first: Job, receiver: &mut mpsc::Receiver<Job>, config: &WriterConfig) -> Vec<Job> {
    let mut hits = first.hits.len();
    let mut jobs = vec![first];
    let deadline = Instant::now() + config.max_batch_wait;
    while hits < config.max_batch_hits {
        let next = match receiver.try_recv() {
            Ok(job) => job,
            Err(mpsc::error::TryRecvError::Disconnected) => break,
            // With no wait configured, the batch is whatever arrived while the previous one
            // was being written: group commit without added latency.
            Err(mpsc::error::TryRecvError::Empty) if config.max_batch_wait.is_zero() => break,
            Err(mpsc::error::TryRecvError::Empty) => {
                match tokio::time::timeout_at(deadline, receiver.recv()).await {
                    Ok(Some(job)) => job,
                    _ => break,
                }
            }
        };
        hits += next.hits.len();
        jobs.push(next);
    }
    jobs
}

#[cfg(test)]
mod tests;
