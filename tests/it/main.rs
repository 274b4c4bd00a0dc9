//! The one integration-test binary: the real collector router on real sockets, a real
//! SQLite file in a temporary folder, an injected clock; plus the real `skopos-server`
//! process for the command line and the privacy audit of its database and logs.

mod collector_cors;
mod collector_limits;
mod collector_payloads;
mod dashboard;
mod fixture;
mod privacy;
mod realtime;
mod reports_api;
mod reports_cli;
mod script_serving;
mod server_cli;
mod server_process;
mod sessions;
mod ui_types;
