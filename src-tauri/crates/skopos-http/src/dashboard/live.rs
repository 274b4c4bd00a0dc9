//! `GET /api/live`: the application's live updates as Server-Sent Events (`event: live`,
//! one JSON [`skopos_api::LiveUpdate`] each). A client that falls behind skips updates and
//! is told so (`event: lagged`); the stream ends when the server stops.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;

use super::guard::LoggedInUser;
use super::Dashboard;

pub(super) async fn stream(
    State(dash): State<Dashboard>,
    _user: LoggedInUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let updates = dash.app.subscribe_live();
    let stop = dash.config.stop.clone();
    let events = stream::unfold((updates, stop), |(mut updates, mut stop)| async move {
        let event = loop {
            if *stop.borrow() {
                return None;
            }
            tokio::select! {
                received = updates.recv() => match received {
                    Ok(update) => break Event::default()
                        .event("live")
                        .json_data(&update)
                        .unwrap_or_else(|_| Event::default().event("lagged").data("1")),
                    Err(RecvError::Lagged(missed)) => {
                        break Event::default().event("lagged").data(missed.to_string())
                    }
                    Err(RecvError::Closed) => return None,
                },
                changed = stop.changed() => if changed.is_err() {
                    return None;
                },
            }
        };
        Some((Ok(event), (updates, stop)))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
