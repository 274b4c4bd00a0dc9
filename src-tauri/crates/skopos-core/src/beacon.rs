//! The wire formats the collector accepts, parsed into one validated [`Beacon`].
//!
//! Two shapes arrive: the seed script's payloads (`sid`, `type`, short keys; plain or in
//! the XOR envelope, see [`crate::envelope`]) and our native batch (`site`, `events`).
//! Both become the same [`Beacon`], so everything downstream sees one format. The field
//! reference with examples is `docs/wire-protocol.md`.

mod native;
mod seed;

use serde_json::Value;

use crate::envelope::{self, EnvelopeError};
use crate::limits::{self, PropsError};
use crate::page::{self, Page, PageError};

/// One validated request from a tracker: the page it came from and what happened there.
#[derive(Debug, Clone, PartialEq)]
pub struct Beacon {
    /// The site's public tracking id.
    pub site: String,
    pub page: Page,
    /// `document.referrer` as sent, capped in length.
    pub referrer: Option<String>,
    pub screen: Option<(u32, u32)>,
    pub language: Option<String>,
    /// A first-party id the script keeps; used only by sites in persistent privacy mode.
    pub client_id: Option<String>,
    pub events: Vec<BeaconEvent>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BeaconEvent {
    /// The normalised path the event happened on.
    pub path: String,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    Pageview,
    Custom {
        name: String,
        props: Option<String>,
    },
    Outbound {
        target: String,
    },
    Download {
        target: String,
    },
    /// Seconds the page was visible and active, reported when the page is hidden or left.
    Engagement {
        seconds: u32,
    },
    Error(ErrorReport),
    Identify(Identity),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorReport {
    pub message: String,
    pub stack: Option<String>,
    pub source: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// How many times the script saw this error since its last report.
    pub count: u32,
    /// Recent breadcrumbs as a JSON array, most recent last.
    pub breadcrumbs: Option<String>,
}

impl ErrorReport {
    /// Groups occurrences of the same error: same message at the same place.
    pub fn fingerprint(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.message.as_bytes());
        hasher.update(&[0]);
        hasher.update(self.source.as_deref().unwrap_or("").as_bytes());
        hasher.update(&self.line.unwrap_or(0).to_le_bytes());
        hasher.finalize().to_hex()[..32].to_owned()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Owner-defined metadata as a JSON object.
    pub metadata: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("malformed json")]
    Json,
    #[error("payload must be a json object")]
    NotObject,
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
    #[error("invalid payload: {0}")]
    Shape(String),
    #[error("missing field: {0}")]
    Missing(&'static str),
    #[error("invalid field: {0}")]
    Invalid(&'static str),
    #[error("invalid url: {0}")]
    Url(#[from] PageError),
    #[error("no events in payload")]
    Empty,
    #[error("too many events (max {})", limits::MAX_EVENTS)]
    TooManyEvents,
    #[error("too many errors (max {})", limits::MAX_ERRORS)]
    TooManyErrors,
    #[error("event name must be 1 to {} characters", limits::MAX_EVENT_NAME_LEN)]
    EventName,
    #[error(transparent)]
    Props(#[from] PropsError),
}

/// Parses a request body in either wire format.
pub fn parse(body: &[u8]) -> Result<Beacon, PayloadError> {
    let value: Value = serde_json::from_slice(body).map_err(|_| PayloadError::Json)?;
    let Value::Object(mut object) = value else {
        return Err(PayloadError::NotObject);
    };
    let object = match object.remove("_d") {
        Some(hidden) => {
            envelope::check_version(object.get("_v"))?;
            let hidden = hidden.as_str().ok_or(PayloadError::Invalid("_d"))?;
            match serde_json::from_str(&envelope::decode(hidden)?) {
                Ok(Value::Object(inner)) => inner,
                Ok(_) => return Err(PayloadError::NotObject),
                Err(_) => return Err(PayloadError::Json),
            }
        }
        None => object,
    };
    let beacon = if object.contains_key("sid") || object.contains_key("type") {
        seed::parse(Value::Object(object))?
    } else {
        native::parse(Value::Object(object))?
    };
    if beacon.events.is_empty() {
        return Err(PayloadError::Empty);
    }
    Ok(beacon)
}

/// Turns a serde shape error into a short reason without positions.
fn shape_error(error: serde_json::Error) -> PayloadError {
    let text = error.to_string();
    let reason = text.split(" at line ").next().unwrap_or(&text);
    PayloadError::Shape(limits::truncate(reason, 160))
}

/// Checks the fields every beacon shares and parses its page URL.
struct Common<'a> {
    site: &'a str,
    url: Option<&'a str>,
    referrer: Option<&'a str>,
    screen: Option<(f64, f64)>,
    language: Option<&'a str>,
    client_id: Option<&'a str>,
}

impl Common<'_> {
    fn into_beacon(self) -> Result<Beacon, PayloadError> {
        let site = self.site.trim();
        if site.is_empty() {
            return Err(PayloadError::Missing("site id"));
        }
        if site.len() > limits::MAX_SITE_ID_LEN
            || !site
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(PayloadError::Invalid("site id"));
        }
        let url = self.url.ok_or(PayloadError::Missing("url"))?;
        if url.len() > limits::MAX_URL_LEN {
            return Err(PayloadError::Url(PageError::InvalidUrl));
        }
        let page = page::normalize_page(url, false)?;
        Ok(Beacon {
            site: site.to_owned(),
            page,
            referrer: limits::clean_text(self.referrer, limits::MAX_URL_LEN),
            screen: self.screen.and_then(screen_size),
            language: self.language.and_then(language_tag),
            client_id: limits::clean_text(self.client_id, limits::MAX_CLIENT_ID_LEN),
            events: Vec::new(),
        })
    }
}

fn screen_size((width, height): (f64, f64)) -> Option<(u32, u32)> {
    let valid = |v: f64| v.is_finite() && (0.0..=100_000.0).contains(&v);
    (valid(width) && valid(height)).then_some((width as u32, height as u32))
}

/// Accepts BCP 47-looking tags such as `en`, `en-GB`, `zh-Hant-TW`.
fn language_tag(tag: &str) -> Option<String> {
    let tag = tag.trim();
    let plausible = !tag.is_empty()
        && tag.len() <= 35
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    plausible.then(|| tag.replace('_', "-"))
}

/// The path of an event: its own path or URL when given, else the page's.
fn event_path(page: &Page, own: Option<&str>) -> String {
    match own.map(str::trim).filter(|p| !p.is_empty()) {
        Some(own) if own.starts_with("http://") || own.starts_with("https://") => {
            page::normalize_page(own, true)
                .map(|p| p.path)
                .unwrap_or_else(|_| page.path.clone())
        }
        Some(own) => page::normalize_path(own, true),
        None => page.path.clone(),
    }
}

fn custom_event(name: Option<&str>, props: Option<&Value>) -> Result<EventKind, PayloadError> {
    let name = name.map(str::trim).unwrap_or("");
    if name.is_empty() || name.chars().count() > limits::MAX_EVENT_NAME_LEN {
        return Err(PayloadError::EventName);
    }
    let props = match props {
        None | Some(Value::Null) => None,
        Some(value) => Some(limits::check_props(value)?),
    };
    Ok(EventKind::Custom {
        name: name.to_owned(),
        props,
    })
}

fn link_target(url: Option<&str>) -> Result<String, PayloadError> {
    let url = url.map(str::trim).filter(|u| !u.is_empty());
    let url = url.ok_or(PayloadError::Missing("link url"))?;
    if url.len() > limits::MAX_URL_LEN {
        return Err(PayloadError::Invalid("link url"));
    }
    Ok(url.to_owned())
}

struct ErrorFields<'a> {
    message: Option<&'a str>,
    stack: Option<&'a str>,
    source: Option<&'a str>,
    line: Option<f64>,
    column: Option<f64>,
    count: Option<f64>,
    breadcrumbs: Option<&'a [Value]>,
}

impl ErrorFields<'_> {
    fn into_report(self) -> Result<ErrorReport, PayloadError> {
        let message = limits::clean_text(self.message, limits::MAX_ERROR_MESSAGE_LEN)
            .ok_or(PayloadError::Missing("error message"))?;
        let position = |v: Option<f64>| {
            v.filter(|v| v.is_finite() && *v >= 0.0)
                .map(|v| v.min(u32::MAX as f64) as u32)
        };
        let breadcrumbs = self.breadcrumbs.map(|crumbs| {
            let start = crumbs.len().saturating_sub(limits::MAX_BREADCRUMBS);
            let kept: Vec<&Value> = crumbs[start..]
                .iter()
                .filter(|c| c.to_string().len() <= limits::MAX_BREADCRUMB_BYTES)
                .collect();
            serde_json::to_string(&kept).unwrap_or_else(|_| "[]".to_owned())
        });
        Ok(ErrorReport {
            message,
            stack: self
                .stack
                .map(|s| limits::truncate(s, limits::MAX_STACK_LEN)),
            source: limits::clean_text(self.source, limits::MAX_URL_LEN),
            line: position(self.line),
            column: position(self.column),
            count: position(self.count).unwrap_or(1).clamp(1, 1000),
            breadcrumbs,
        })
    }
}

struct IdentityFields<'a> {
    user_id: Option<&'a str>,
    name: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    metadata: Option<&'a Value>,
}

impl IdentityFields<'_> {
    fn into_identity(self) -> Result<Identity, PayloadError> {
        let user_id = limits::clean_text(self.user_id, limits::MAX_IDENTITY_FIELD_LEN)
            .ok_or(PayloadError::Missing("user id"))?;
        let metadata = match self.metadata {
            None | Some(Value::Null) => None,
            Some(value) => Some(limits::check_props(value)?),
        };
        Ok(Identity {
            user_id,
            name: limits::clean_text(self.name, limits::MAX_IDENTITY_FIELD_LEN),
            email: limits::clean_text(self.email, limits::MAX_EMAIL_LEN),
            phone: limits::clean_text(self.phone, limits::MAX_PHONE_LEN),
            metadata,
        })
    }
}

fn engagement(seconds: Option<f64>) -> Result<EventKind, PayloadError> {
    let seconds = seconds.ok_or(PayloadError::Missing("duration"))?;
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(PayloadError::Invalid("duration"));
    }
    let seconds = seconds.min(limits::MAX_ENGAGED_SECONDS as f64) as u32;
    Ok(EventKind::Engagement { seconds })
}
