//! A per-client-IP rate limit on the beacon routes, answering `429` with `Retry-After`.
//!
//! It is attached with `route_layer` on exactly the routes it guards, and the integration
//! tests check that it really fires.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
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
        Self {
            limiter: Arc::new(RateLimiter::keyed(
                Quota::per_second(per_second).allow_burst(burst),
            )),
            proxy,
        }
    }
}

pub(crate) async fn enforce(
    State(limiter): State<Limiter>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let ip = limiter.proxy.client_ip(peer, request.headers());
    if limiter.limiter.len() > MAX_TRACKED_CLIENTS {
        limiter.limiter.retain_recent();
    }
    match limiter.limiter.check_key(&ip) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, seconds.max(1).to_string())],
                "rate limit exceeded",
            )
                .into_response()
        }
    }
}
