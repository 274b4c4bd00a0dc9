//! Skopos over HTTP: the public collector, the only listener a tunnel exposes, which serves
//! nothing that reads analytics or changes settings; and the web dashboard, a separate
//! listener behind login ([`dashboard`]).
//!
//! The routers are pure functions of the application and its settings; `serve` runs any
//! router on a listener the caller bound, so tests can use port 0.

mod client_ip;
mod collect;
mod cors;
pub mod dashboard;
mod rate_limit;
mod script;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use skopos_api::{Skopos, SCRIPT_PATH};
use tokio::net::TcpListener;

pub use client_ip::TrustedProxy;
pub use dashboard::{dashboard_router, DashboardConfig};
pub use rate_limit::RateLimit;

/// Settings of the public collector listener.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CollectorConfig {
    /// Which forwarding header, if any, names the real client (see [`TrustedProxy`]).
    pub trusted_proxy: TrustedProxy,
    pub rate_limit: RateLimit,
}

impl Default for CollectorConfig {
    fn default() -> Self {
        Self {
            trusted_proxy: TrustedProxy::None,
            rate_limit: RateLimit::default(),
        }
    }
}

#[derive(Clone)]
struct CollectorState {
    app: Arc<Skopos>,
    trusted_proxy: TrustedProxy,
}

/// The public collector: `/collect`, `/api/event`, `/health`, and the tracking script at
/// `/script.js`, `/script.lite.js` and the configured alias.
pub fn collector_router(app: Arc<Skopos>, config: &CollectorConfig) -> Router {
    let script_alias = app.config().script_alias.clone();
    let state = CollectorState {
        app,
        trusted_proxy: config.trusted_proxy,
    };
    let limiter = rate_limit::Limiter::new(config.rate_limit, config.trusted_proxy);
    let beacons = Router::new()
        .route("/collect", post(collect::beacon).options(cors::preflight))
        .route("/api/event", post(collect::beacon).options(cors::preflight))
        .route_layer(axum::middleware::from_fn_with_state(
            limiter,
            rate_limit::enforce,
        ));
    let full_script =
        get(|headers: HeaderMap| async move { script::respond(&script::FULL, &headers) });
    let mut router = Router::new()
        .merge(beacons)
        .route("/health", get(collect::health))
        .route(SCRIPT_PATH, full_script.clone())
        .route(
            "/script.lite.js",
            get(|headers: HeaderMap| async move { script::respond(&script::LITE, &headers) }),
        );
    if let Some(alias) = script_alias {
        router = router.route(&alias, full_script);
    }
    router
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10),
        ))
        .with_state(state)
}

/// Serves a router until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
