//! The load generator: `connections` workers, each owning one keep-alive HTTP/1 connection
//! and sending one pageview beacon at a time, every one with a unique path.
//!
//! It uses hyper's connection-level client rather than a pooled client: there is no pool
//! to lock and no connection choice to make, so the client spends as little of the shared
//! CPU as possible and the connection count is exactly what was asked for.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, HOST, USER_AGENT};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::time::{timeout, Instant};

use crate::server::{CHROME_USER_AGENT, SITE_DOMAIN};

/// No single request may take longer than this; the collector's own timeout is 10 s.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A worker gives up after this many connection failures in a row (the server is gone).
const MAX_CONSECUTIVE_FAILURES: u32 = 3;

/// What to send, where, and for how long.
#[derive(Clone)]
pub struct LoadPlan {
    pub target: SocketAddr,
    pub tracking_id: String,
    pub connections: usize,
    /// Requests finishing before the warm-up ends are acknowledged but not measured.
    pub warmup: Duration,
    pub measure: Duration,
    /// Every beacon's page path is this prefix followed by a unique number.
    pub path_prefix: &'static str,
    /// Keep the number of every acknowledged request (for the crash check).
    pub record_acknowledged: bool,
}

/// What one load run observed.
#[derive(Default)]
pub struct LoadReport {
    /// 204 answers completed inside the measurement window.
    pub measured_ok: u64,
    /// Latencies (microseconds) of the requests completed inside the window, sorted.
    pub latencies_us: Vec<u32>,
    /// Every 204 answer, warm-up and stragglers included.
    pub acknowledged: u64,
    /// The unique numbers of acknowledged requests, if the plan asked for them.
    pub acknowledged_numbers: Vec<u64>,
    /// Non-204 answers by status, with the first reason text seen for each.
    pub refusals: BTreeMap<u16, (u64, String)>,
    /// Requests sent but never answered (in flight when the server died, or timed out).
    pub unanswered: u64,
    /// Connection or protocol failures (expected only when the server is killed).
    pub transport_errors: u64,
    pub first_transport_error: Option<String>,
}

impl LoadReport {
    fn merge(&mut self, other: LoadReport) {
        self.measured_ok += other.measured_ok;
        self.latencies_us.extend(other.latencies_us);
        self.acknowledged += other.acknowledged;
        self.acknowledged_numbers.extend(other.acknowledged_numbers);
        for (status, (count, reason)) in other.refusals {
            let entry = self.refusals.entry(status).or_insert((0, reason));
            entry.0 += count;
        }
        self.unanswered += other.unanswered;
        self.transport_errors += other.transport_errors;
        self.first_transport_error = self
            .first_transport_error
            .take()
            .or(other.first_transport_error);
    }

    /// The latency at quantile `q` (0..=1) in milliseconds, or NaN without samples.
    pub fn latency_ms(&self, q: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let last = self.latencies_us.len() - 1;
        let index = ((last as f64) * q).round() as usize;
        f64::from(self.latencies_us[index.min(last)]) / 1000.0
    }
}

/// Runs the plan to completion: warm-up, measurement, then waits for in-flight requests.
pub async fn run(plan: LoadPlan) -> Result<LoadReport> {
    let start = Instant::now();
    let window_start = start + plan.warmup;
    let window_end = window_start + plan.measure;
    let next_number = Arc::new(AtomicU64::new(0));
    let plan = Arc::new(plan);
    let workers: Vec<_> = (0..plan.connections)
        .map(|_| {
            tokio::spawn(worker(
                Arc::clone(&plan),
                Arc::clone(&next_number),
                window_start,
                window_end,
            ))
        })
        .collect();
    let mut report = LoadReport::default();
    for handle in workers {
        report.merge(handle.await.context("a load worker panicked")?);
    }
    report.latencies_us.sort_unstable();
    Ok(report)
}

async fn worker(
    plan: Arc<LoadPlan>,
    next_number: Arc<AtomicU64>,
    window_start: Instant,
    window_end: Instant,
) -> LoadReport {
    let mut report = LoadReport::default();
    let mut sender: Option<SendRequest<Full<Bytes>>> = None;
    let mut consecutive_failures = 0;
    while Instant::now() < window_end && consecutive_failures < MAX_CONSECUTIVE_FAILURES {
        let connection = match sender.as_mut() {
            Some(connection) => connection,
            None => match connect(plan.target).await {
                Ok(connection) => sender.insert(connection),
                Err(error) => {
                    consecutive_failures += 1;
                    report.note_transport_error(format!("connect: {error:#}"));
                    continue;
                }
            },
        };
        // A connection the server closed is noticed here, before a request is spent on it,
        // so that `unanswered` counts only requests that were really sent.
        if !matches!(
            timeout(REQUEST_TIMEOUT, connection.ready()).await,
            Ok(Ok(()))
        ) {
            consecutive_failures += 1;
            report.note_transport_error("connection closed by the server".to_owned());
            sender = None;
            continue;
        }
        let number = next_number.fetch_add(1, Ordering::Relaxed);
        let request = beacon_request(&plan, number);
        let sent_at = Instant::now();
        match timeout(REQUEST_TIMEOUT, send(connection, request)).await {
            Ok(Ok((status, reason))) => {
                consecutive_failures = 0;
                let done_at = Instant::now();
                if status == StatusCode::NO_CONTENT {
                    report.acknowledged += 1;
                    if plan.record_acknowledged {
                        report.acknowledged_numbers.push(number);
                    }
                    if done_at >= window_start && done_at < window_end {
                        report.measured_ok += 1;
                        let micros = (done_at - sent_at).as_micros();
                        report
                            .latencies_us
                            .push(u32::try_from(micros).unwrap_or(u32::MAX));
                    }
                } else {
                    report
                        .refusals
                        .entry(status.as_u16())
                        .or_insert((0, reason))
                        .0 += 1;
                }
            }
            Ok(Err(error)) => {
                consecutive_failures += 1;
                report.unanswered += 1;
                report.note_transport_error(format!("request: {error:#}"));
                sender = None;
            }
            Err(_) => {
                consecutive_failures += 1;
                report.unanswered += 1;
                report.note_transport_error(format!("request timed out after {REQUEST_TIMEOUT:?}"));
                sender = None;
            }
        }
    }
    report
}

impl LoadReport {
    fn note_transport_error(&mut self, message: String) {
        self.transport_errors += 1;
        self.first_transport_error.get_or_insert(message);
    }
}

async fn connect(target: SocketAddr) -> Result<SendRequest<Full<Bytes>>> {
    let stream = timeout(CONNECT_TIMEOUT, TcpStream::connect(target))
        .await
        .context("connect timed out")?
        .with_context(|| format!("connecting to {target}"))?;
    // Small requests must not wait for Nagle's algorithm.
    stream.set_nodelay(true).context("setting TCP_NODELAY")?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .context("HTTP/1 handshake")?;
    // The connection task ends by itself when the sender is dropped or the server goes away.
    tokio::spawn(connection);
    Ok(sender)
}

/// Sends one request and reads the whole response; returns the status and, for refusals,
/// the reason text.
async fn send(
    sender: &mut SendRequest<Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, String)> {
    let response = sender.send_request(request).await.context("sending")?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .context("reading the response")?
        .to_bytes();
    let reason = if status == StatusCode::NO_CONTENT {
        String::new()
    } else {
        String::from_utf8_lossy(&body).chars().take(200).collect()
    };
    Ok((status, reason))
}

/// One pageview in the collector's native format, as the tracking script would send it.
fn beacon_request(plan: &LoadPlan, number: u64) -> Request<Full<Bytes>> {
    let body = format!(
        r#"{{"site":"{site}","url":"https://{SITE_DOMAIN}{prefix}{number}","referrer":"","screen":[1440,900],"language":"en","events":[{{"kind":"pageview"}}]}}"#,
        site = plan.tracking_id,
        prefix = plan.path_prefix,
    );
    Request::post("/api/event")
        .header(HOST, plan.target.to_string())
        .header(CONTENT_TYPE, "text/plain")
        .header(USER_AGENT, CHROME_USER_AGENT)
        .body(Full::new(Bytes::from(body)))
        .expect("a request built from constant parts and a socket address is valid")
}
