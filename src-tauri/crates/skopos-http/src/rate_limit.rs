//! Per-client-IP rate limits: on the beacon routes (a middleware answering `429` with
//! `Retry-After`) and on dashboard logins.
//!
//! It is attached with `route_layer` on exactly the routes it guards, and the integration
//! tests check that it really fires.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};

use crate::client_ip::TrustedProxy;

/// Sustained requests per second per client, and how many may come at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimit {
    pub per_second: u32,
    pub burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self {
            per_second: 20,
            burst: 100,
        }
    }
}

/// Forget idle clients once this many are tracked, so memory stays bounded.
const MAX_TRACKED_CLIENTS: usize = 100_000;

#[derive(Clone)]
pub(crate) struct Limiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    proxy: TrustedProxy,
}

impl Limiter {
    pub fn new(config: RateLimit, proxy: TrustedProxy) -> Self {
        let per_second = NonZeroU32::new(config.per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(config.burst).unwrap_or(per_second);
        Self::with_quota(Quota::per_second(per_second).allow_burst(burst), proxy)
    }

    /// Dashboard logins: five attempts at once, then one every twelve seconds per client.
    pub fn for_logins(proxy: TrustedProxy) -> Self {
        let quota = Quota::with_period(Duration::from_secs(12))
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(5).expect("non-zero"));
        Self::with_quota(quota, proxy)
    }

    fn with_quota(quota: Quota, proxy: TrustedProxy) -> Self {
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota)),
            proxy,
        }
    }

    /// Counts a request from the client; `Err` holds the seconds to wait.
    pub fn check(&self, peer: SocketAddr, headers: &HeaderMap) -> Result<(), u64> {
        let ip = self.proxy.client_ip(peer, headers);
        if self.limiter.len() > MAX_TRACKED_CLIENTS {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        })
    }
}

pub(crate) async fn enforce(
    State(limiter): State<Limiter>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    match limiter.check(peer, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(seconds) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, seconds.to_string())],
            "rate limit exceeded",
        )
            .into_response(),
    }
}
