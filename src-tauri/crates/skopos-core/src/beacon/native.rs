//! Skopos's native batch format for `POST /api/event` (and `/collect`).
//!
//! ```json
//! {"site": "TRACKING_ID", "url": "https://example.com/pricing?utm_source=news",
//!  "referrer": "https://news.ycombinator.com/", "screen": [1440, 900], "language": "en-GB",
//!  "events": [{"kind": "pageview"}, {"kind": "event", "name": "signup", "props": {"plan": "pro"}}]}
//! ```

use serde::Deserialize;
use serde_json::Value;

use super::{
    custom_event, engagement, event_path, link_target, shape_error, Beacon, BeaconEvent, Common,
    ErrorFields, EventKind, IdentityFields, PayloadError,
};
use crate::limits;

#[derive(Deserialize)]
struct NativeBatch {
    site: Option<String>,
    url: Option<String>,
    referrer: Option<String>,
    screen: Option<(f64, f64)>,
    language: Option<String>,
    visitor: Option<String>,
    #[serde(default)]
    events: Vec<NativeEvent>,
}

#[derive(Deserialize)]
struct NativeEvent {
    kind: String,
    path: Option<String>,
    name: Option<String>,
    props: Option<Value>,
    target: Option<String>,
    seconds: Option<f64>,
    message: Option<String>,
    stack: Option<String>,
    source: Option<String>,
    line: Option<f64>,
    column: Option<f64>,
    count: Option<f64>,
    breadcrumbs: Option<Vec<Value>>,
    user_id: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    metadata: Option<Value>,
}

pub(super) fn parse(value: Value) -> Result<Beacon, PayloadError> {
    let batch: NativeBatch = serde_json::from_value(value).map_err(shape_error)?;
    let common = Common {
        site: batch.site.as_deref().ok_or(PayloadError::Missing("site"))?,
        url: batch.url.as_deref(),
        referrer: batch.referrer.as_deref(),
        screen: batch.screen,
        language: batch.language.as_deref(),
        client_id: batch.visitor.as_deref(),
    };
    let mut beacon = common.into_beacon()?;
    if batch.events.len() > limits::MAX_EVENTS {
        return Err(PayloadError::TooManyEvents);
    }
    let errors = batch.events.iter().filter(|e| e.kind == "error").count();
    if errors > limits::MAX_ERRORS {
        return Err(PayloadError::TooManyErrors);
    }
    beacon.events = batch
        .events
        .into_iter()
        .map(|event| {
            Ok(BeaconEvent {
                path: event_path(&beacon.page, event.path.as_deref()),
                kind: event_kind(event)?,
            })
        })
        .collect::<Result<_, PayloadError>>()?;
    Ok(beacon)
}

fn event_kind(event: NativeEvent) -> Result<EventKind, PayloadError> {
    Ok(match event.kind.as_str() {
        "pageview" => EventKind::Pageview,
        "event" => custom_event(event.name.as_deref(), event.props.as_ref())?,
        "outbound" => EventKind::Outbound {
            target: link_target(event.target.as_deref())?,
        },
        "download" => EventKind::Download {
            target: link_target(event.target.as_deref())?,
        },
        "engagement" => engagement(event.seconds)?,
        "error" => EventKind::Error(
            ErrorFields {
                message: event.message.as_deref(),
                stack: event.stack.as_deref(),
                source: event.source.as_deref(),
                line: event.line,
                column: event.column,
                count: event.count,
                breadcrumbs: event.breadcrumbs.as_deref(),
            }
            .into_report()?,
        ),
        "identify" => EventKind::Identify(
            IdentityFields {
                user_id: event.user_id.as_deref(),
                name: event.name.as_deref(),
                email: event.email.as_deref(),
                phone: event.phone.as_deref(),
                metadata: event.metadata.as_ref(),
            }
            .into_identity()?,
        ),
        _ => return Err(PayloadError::Invalid("event kind")),
    })
}

#[cfg(test)]
mod tests {
    use super::super::parse as parse_body;
    use super::*;
    use serde_json::json;

    #[test]
    fn native_batch_round_trip() {
        let payload = json!({"site": "abc", "url": "https://example.com/docs/?utm_medium=email",
        "referrer": "", "screen": [390, 844], "language": "fr",
        "events": [
            {"kind": "pageview"},
            {"kind": "pageview", "path": "/docs/intro"},
            {"kind": "event", "name": "copy", "props": {"lang": "rust"}},
            {"kind": "outbound", "target": "https://crates.io/"},
            {"kind": "download", "target": "https://example.com/a.zip"},
            {"kind": "engagement", "seconds": 12},
            {"kind": "error", "message": "boom", "line": 3},
            {"kind": "identify", "user_id": "u-7", "email": "u7@example.com"}
        ]});
        let beacon = parse_body(payload.to_string().as_bytes()).unwrap();
        assert_eq!(beacon.site, "abc");
        assert_eq!(beacon.referrer, None);
        assert_eq!(beacon.screen, Some((390, 844)));
        assert_eq!(beacon.page.utm.medium.as_deref(), Some("email"));
        assert_eq!(beacon.events.len(), 8);
        assert_eq!(beacon.events[0].path, "/docs");
        assert_eq!(beacon.events[1].path, "/docs/intro");
        assert_eq!(beacon.events[5].kind, EventKind::Engagement { seconds: 12 });
    }

    #[test]
    fn native_rejections() {
        let cases = [
            (
                json!({"url": "https://a.com/", "events": [{"kind": "pageview"}]}),
                "missing field: site",
            ),
            (
                json!({"site": "a", "events": [{"kind": "pageview"}]}),
                "missing field: url",
            ),
            (
                json!({"site": "a", "url": "https://a.com/", "events": [{"kind": "teleport"}]}),
                "invalid field: event kind",
            ),
            (
                json!({"site": "a", "url": "https://a.com/", "events": [{"kind": "outbound"}]}),
                "missing field: link url",
            ),
            (
                json!({"site": "a", "url": "https://a.com/", "events": [{"path": "/"}]}),
                "invalid payload",
            ),
            (
                json!({"site": "a", "url": "https://a.com/", "screen": "big", "events": [{"kind": "pageview"}]}),
                "invalid payload",
            ),
            (
                json!({"site": "a", "url": "not a url", "events": [{"kind": "pageview"}]}),
                "invalid url",
            ),
        ];
        for (payload, reason) in cases {
            let error = parse_body(payload.to_string().as_bytes())
                .unwrap_err()
                .to_string();
            assert!(
                error.contains(reason),
                "{payload} gave {error:?}, wanted {reason:?}"
            );
        }
    }
}
