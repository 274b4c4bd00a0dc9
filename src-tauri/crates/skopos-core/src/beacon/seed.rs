//! The seed script's payloads: `batch`, `errors`, `exit` and `identify`, with short keys.

use serde::Deserialize;
use serde_json::Value;

use super::{
    custom_event, engagement, event_path, link_target, shape_error, Beacon, BeaconEvent, Common,
    ErrorFields, EventKind, IdentityFields, PayloadError,
};
use crate::limits;

#[derive(Deserialize)]
struct SeedPayload {
    #[serde(default)]
    sid: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    url: Option<String>,
    #[serde(rename = "ref")]
    referrer: Option<String>,
    sw: Option<f64>,
    sh: Option<f64>,
    lang: Option<String>,
    vid: Option<String>,
    #[serde(default)]
    events: Vec<SeedEvent>,
    #[serde(default)]
    errors: Vec<SeedError>,
    dur: Option<f64>,
    uid: Option<String>,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    meta: Option<Value>,
}

#[derive(Deserialize)]
#[serde(tag = "t")]
enum SeedEvent {
    #[serde(rename = "pv")]
    Pageview { p: Option<String> },
    #[serde(rename = "ev")]
    Custom {
        n: Option<String>,
        d: Option<Value>,
        p: Option<String>,
    },
    #[serde(rename = "out")]
    Outbound {
        u: Option<String>,
        p: Option<String>,
    },
    #[serde(rename = "dl")]
    Download {
        f: Option<String>,
        u: Option<String>,
        p: Option<String>,
    },
}

#[derive(Deserialize)]
struct SeedError {
    msg: Option<String>,
    stack: Option<String>,
    src: Option<String>,
    line: Option<f64>,
    col: Option<f64>,
    count: Option<f64>,
    #[serde(default)]
    bc: Vec<Value>,
}

pub(super) fn parse(value: Value) -> Result<Beacon, PayloadError> {
    let payload: SeedPayload = serde_json::from_value(value).map_err(shape_error)?;
    let common = Common {
        site: payload.sid.as_deref().ok_or(PayloadError::Missing("sid"))?,
        url: payload.url.as_deref(),
        referrer: payload.referrer.as_deref(),
        screen: payload.sw.zip(payload.sh),
        language: payload.lang.as_deref(),
        client_id: payload.vid.as_deref(),
    };
    let mut beacon = common.into_beacon()?;
    let page_path = beacon.page.path.clone();
    let at_page = |kind| BeaconEvent {
        path: page_path.clone(),
        kind,
    };
    beacon.events = match payload
        .kind
        .as_deref()
        .ok_or(PayloadError::Missing("type"))?
    {
        "batch" => {
            if payload.events.len() > limits::MAX_EVENTS {
                return Err(PayloadError::TooManyEvents);
            }
            let page = beacon.page.clone();
            payload
                .events
                .into_iter()
                .map(|event| batch_event(&page, event))
                .collect::<Result<_, _>>()?
        }
        "errors" => {
            if payload.errors.len() > limits::MAX_ERRORS {
                return Err(PayloadError::TooManyErrors);
            }
            payload
                .errors
                .into_iter()
                .map(|e| {
                    let report = ErrorFields {
                        message: e.msg.as_deref(),
                        stack: e.stack.as_deref(),
                        source: e.src.as_deref(),
                        line: e.line,
                        column: e.col,
                        count: e.count,
                        breadcrumbs: Some(&e.bc),
                    }
                    .into_report()?;
                    Ok(at_page(EventKind::Error(report)))
                })
                .collect::<Result<_, PayloadError>>()?
        }
        "exit" => vec![at_page(engagement(payload.dur)?)],
        "identify" => {
            let identity = IdentityFields {
                user_id: payload.uid.as_deref(),
                name: payload.name.as_deref(),
                email: payload.email.as_deref(),
                phone: payload.phone.as_deref(),
                metadata: payload.meta.as_ref(),
            }
            .into_identity()?;
            vec![at_page(EventKind::Identify(identity))]
        }
        _ => return Err(PayloadError::Invalid("type")),
    };
    Ok(beacon)
}

fn batch_event(page: &crate::page::Page, event: SeedEvent) -> Result<BeaconEvent, PayloadError> {
    let (path, kind) = match event {
        SeedEvent::Pageview { p } => (p, EventKind::Pageview),
        SeedEvent::Custom { n, d, p } => (p, custom_event(n.as_deref(), d.as_ref())?),
        SeedEvent::Outbound { u, p } => (
            p,
            EventKind::Outbound {
                target: link_target(u.as_deref())?,
            },
        ),
        SeedEvent::Download { f, u, p } => (
            p,
            EventKind::Download {
                target: link_target(u.as_deref().or(f.as_deref()))?,
            },
        ),
    };
    Ok(BeaconEvent {
        path: event_path(page, path.as_deref()),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::super::parse as parse_body;
    use super::*;
    use crate::envelope;
    use serde_json::json;

    fn body(value: Value) -> Vec<u8> {
        value.to_string().into_bytes()
    }

    fn common() -> Value {
        json!({"sid": "site_1", "url": "https://www.example.com/pricing?utm_source=news&x=1",
               "ref": "https://google.com/", "sw": 1440, "sh": 900, "dpr": 2, "cn": "4g",
               "lang": "en-GB", "tz": "Europe/London", "ts": 1_700_000_000_000u64, "sv": "2.1.0",
               "vid": "v-123", "ssid": "s-9"})
    }

    fn with(mut base: Value, extra: Value) -> Value {
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        base
    }

    #[test]
    fn batch_with_every_event_type() {
        let payload = with(
            common(),
            json!({"type": "batch", "events": [
                {"t": "pv", "p": "/pricing/"},
                {"t": "ev", "n": "signup", "d": {"plan": "pro"}},
                {"t": "out", "u": "https://other.org/x"},
                {"t": "dl", "f": "report.pdf", "u": "https://www.example.com/files/report.pdf"}
            ]}),
        );
        let beacon = parse_body(&body(payload)).unwrap();
        assert_eq!(beacon.site, "site_1");
        assert_eq!(beacon.page.host, "example.com");
        assert_eq!(beacon.page.utm.source.as_deref(), Some("news"));
        assert_eq!(beacon.screen, Some((1440, 900)));
        assert_eq!(beacon.language.as_deref(), Some("en-GB"));
        assert_eq!(beacon.client_id.as_deref(), Some("v-123"));
        let kinds: Vec<_> = beacon.events.iter().map(|e| e.kind.clone()).collect();
        assert_eq!(kinds[0], EventKind::Pageview);
        assert_eq!(beacon.events[0].path, "/pricing");
        assert_eq!(
            kinds[1],
            EventKind::Custom {
                name: "signup".into(),
                props: Some(r#"{"plan":"pro"}"#.into())
            }
        );
        assert_eq!(
            kinds[2],
            EventKind::Outbound {
                target: "https://other.org/x".into()
            }
        );
        assert!(
            matches!(&kinds[3], EventKind::Download { target } if target.ends_with("report.pdf"))
        );
    }

    #[test]
    fn enveloped_payload_decodes_to_the_same_beacon() {
        let payload = with(
            common(),
            json!({"type": "batch", "events": [{"t": "pv", "p": "/ünï"}]}),
        );
        let plain = parse_body(&body(payload.clone())).unwrap();
        let wrapped = json!({"_d": envelope::encode(&payload.to_string()), "_v": 1});
        assert_eq!(parse_body(&body(wrapped)).unwrap(), plain);
    }

    #[test]
    fn errors_exit_and_identify() {
        let errors = with(
            common(),
            json!({"type": "errors", "errors": [
            {"msg": "TypeError: x is undefined", "stack": "at f (app.js:1:2)", "src": "https://www.example.com/app.js",
             "line": 1, "col": 2, "count": 3, "bc": [{"t": "click", "s": "#buy"}]}]}),
        );
        let beacon = parse_body(&body(errors)).unwrap();
        let EventKind::Error(report) = &beacon.events[0].kind else {
            panic!("not an error")
        };
        assert_eq!(report.count, 3);
        assert_eq!(
            report.breadcrumbs.as_deref(),
            Some(r##"[{"s":"#buy","t":"click"}]"##)
        );

        let exit = with(
            common(),
            json!({"type": "exit", "dur": 42.7, "reason": "hidden"}),
        );
        assert_eq!(
            parse_body(&body(exit)).unwrap().events[0].kind,
            EventKind::Engagement { seconds: 42 }
        );

        let identify = with(
            common(),
            json!({"type": "identify", "uid": "u1", "name": "Ada",
            "email": "ada@example.com", "meta": {"plan": "pro"}}),
        );
        let EventKind::Identify(who) = &parse_body(&body(identify)).unwrap().events[0].kind else {
            panic!("not identify")
        };
        assert_eq!(who.user_id, "u1");
        assert_eq!(who.metadata.as_deref(), Some(r#"{"plan":"pro"}"#));
    }

    #[test]
    fn bad_payloads_have_reasons() {
        let cases = [
            (
                json!({"type": "batch", "url": "https://a.com/", "events": [{"t": "pv"}]}),
                "missing field: sid",
            ),
            (
                with(common(), json!({"type": "nope"})),
                "invalid field: type",
            ),
            (
                with(common(), json!({"type": "batch", "events": []})),
                "no events in payload",
            ),
            (
                with(common(), json!({"type": "batch", "events": [{"t": "zz"}]})),
                "invalid payload",
            ),
            (
                with(
                    common(),
                    json!({"type": "batch", "url": "ftp://x", "events": [{"t": "pv"}]}),
                ),
                "invalid url",
            ),
            (
                with(
                    common(),
                    json!({"type": "batch", "events": [{"t": "ev", "n": ""}]}),
                ),
                "event name",
            ),
            (
                with(common(), json!({"type": "exit", "dur": -1})),
                "invalid field: duration",
            ),
            (
                with(common(), json!({"type": "identify"})),
                "missing field: user id",
            ),
            (
                with(
                    common(),
                    json!({"type": "errors", "errors": [{"stack": "x"}]}),
                ),
                "missing field: error message",
            ),
            (
                with(
                    common(),
                    json!({"sid": "bad id!", "type": "exit", "dur": 1}),
                ),
                "invalid field: site id",
            ),
        ];
        for (payload, reason) in cases {
            let error = parse_body(&body(payload.clone())).unwrap_err().to_string();
            assert!(
                error.contains(reason),
                "{payload} gave {error:?}, wanted {reason:?}"
            );
        }
    }

    #[test]
    fn caps_on_batches() {
        let events: Vec<Value> = (0..=limits::MAX_EVENTS)
            .map(|_| json!({"t": "pv"}))
            .collect();
        let too_many = with(common(), json!({"type": "batch", "events": events}));
        assert_eq!(
            parse_body(&body(too_many)),
            Err(PayloadError::TooManyEvents)
        );
        let errors: Vec<Value> = (0..=limits::MAX_ERRORS)
            .map(|_| json!({"msg": "x"}))
            .collect();
        let too_many = with(common(), json!({"type": "errors", "errors": errors}));
        assert_eq!(
            parse_body(&body(too_many)),
            Err(PayloadError::TooManyErrors)
        );
        let deep = with(
            common(),
            json!({"type": "batch", "events": [{"t": "ev", "n": "x", "d": {"a": {"b": {"c": {"d": 1}}}}}]}),
        );
        assert!(matches!(
            parse_body(&body(deep)),
            Err(PayloadError::Props(_))
        ));
    }

    #[test]
    fn garbage_bodies() {
        assert_eq!(parse_body(b"not json"), Err(PayloadError::Json));
        assert_eq!(parse_body(b"[1,2]"), Err(PayloadError::NotObject));
        assert_eq!(
            parse_body(br#"{"_d": 5}"#),
            Err(PayloadError::Invalid("_d"))
        );
        assert!(matches!(
            parse_body(br#"{"_d": "!!!"}"#),
            Err(PayloadError::Envelope(_))
        ));
        assert!(matches!(
            parse_body(br#"{"_d": "CBY=", "_v": 9}"#),
            Err(PayloadError::Envelope(_))
        ));
        let not_json = json!({"_d": envelope::encode("nope")});
        assert_eq!(parse_body(&body(not_json)), Err(PayloadError::Json));
    }
}
