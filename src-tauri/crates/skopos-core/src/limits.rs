//! Documented caps on everything a beacon may carry (see `docs/wire-protocol.md`).
//!
//! Structural violations (too many events, properties nested too deep) reject the whole
//! beacon with a reason; free text that merely runs long (error messages, stacks,
//! referrers) is truncated so that a noisy page still gets counted.

use serde_json::{Map, Value};

/// Largest request body the collector reads, in bytes; larger bodies get `413`.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Events in one beacon.
pub const MAX_EVENTS: usize = 50;
/// Error reports in one beacon.
pub const MAX_ERRORS: usize = 20;
/// Tracking ids are short random strings.
pub const MAX_SITE_ID_LEN: usize = 64;
/// Page and link URLs.
pub const MAX_URL_LEN: usize = 2048;
/// Custom event names.
pub const MAX_EVENT_NAME_LEN: usize = 100;
/// Object nesting in custom-event properties and identify metadata (the top object is level 1).
pub const MAX_PROPS_DEPTH: usize = 3;
/// Keys in any one object of properties or metadata.
pub const MAX_PROPS_KEYS: usize = 30;
/// Length of a property key.
pub const MAX_PROP_KEY_LEN: usize = 64;
/// Length of a string property value.
pub const MAX_PROP_VALUE_LEN: usize = 500;
/// Serialised size of one event's properties.
pub const MAX_PROPS_BYTES: usize = 4096;
/// Error message length; longer messages are truncated.
pub const MAX_ERROR_MESSAGE_LEN: usize = 1000;
/// Stack trace length; longer stacks are truncated.
pub const MAX_STACK_LEN: usize = 8000;
/// Breadcrumbs kept per error report (the most recent ones).
pub const MAX_BREADCRUMBS: usize = 20;
/// Serialised size of one breadcrumb; larger ones are dropped.
pub const MAX_BREADCRUMB_BYTES: usize = 500;
/// Identify fields: user id, name; email and phone have their own caps.
pub const MAX_IDENTITY_FIELD_LEN: usize = 256;
pub const MAX_EMAIL_LEN: usize = 320;
pub const MAX_PHONE_LEN: usize = 64;
/// Persistent-mode client visitor ids.
pub const MAX_CLIENT_ID_LEN: usize = 64;
/// Engagement time reported by one exit beacon, in seconds.
pub const MAX_ENGAGED_SECONDS: u32 = 24 * 60 * 60;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PropsError {
    #[error("properties must be an object")]
    NotObject,
    #[error("properties nested deeper than {MAX_PROPS_DEPTH} levels")]
    TooDeep,
    #[error("more than {MAX_PROPS_KEYS} keys in properties")]
    TooManyKeys,
    #[error("property key longer than {MAX_PROP_KEY_LEN} characters")]
    KeyTooLong,
    #[error("property value longer than {MAX_PROP_VALUE_LEN} characters")]
    ValueTooLong,
    #[error("properties larger than {MAX_PROPS_BYTES} bytes")]
    TooLarge,
}

/// Checks custom-event properties or identify metadata and returns their compact JSON text.
pub fn check_props(value: &Value) -> Result<String, PropsError> {
    let Value::Object(map) = value else {
        return Err(PropsError::NotObject);
    };
    check_object(map, 1)?;
    let text = value.to_string();
    if text.len() > MAX_PROPS_BYTES {
        return Err(PropsError::TooLarge);
    }
    Ok(text)
}

fn check_object(map: &Map<String, Value>, depth: usize) -> Result<(), PropsError> {
    if depth > MAX_PROPS_DEPTH {
        return Err(PropsError::TooDeep);
    }
    if map.len() > MAX_PROPS_KEYS {
        return Err(PropsError::TooManyKeys);
    }
    for (key, value) in map {
        if key.chars().count() > MAX_PROP_KEY_LEN {
            return Err(PropsError::KeyTooLong);
        }
        check_value(value, depth)?;
    }
    Ok(())
}

fn check_value(value: &Value, depth: usize) -> Result<(), PropsError> {
    match value {
        Value::String(s) if s.chars().count() > MAX_PROP_VALUE_LEN => Err(PropsError::ValueTooLong),
        Value::Object(inner) => check_object(inner, depth + 1),
        Value::Array(items) => {
            if depth + 1 > MAX_PROPS_DEPTH {
                return Err(PropsError::TooDeep);
            }
            if items.len() > MAX_PROPS_KEYS {
                return Err(PropsError::TooManyKeys);
            }
            items
                .iter()
                .try_for_each(|item| check_value(item, depth + 1))
        }
        _ => Ok(()),
    }
}

/// Truncates to at most `max` characters, never splitting one.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => text[..end].to_owned(),
        None => text.to_owned(),
    }
}

/// Trims, drops control characters, truncates, and maps empty to `None`.
pub fn clean_text(text: Option<&str>, max: usize) -> Option<String> {
    let cleaned: String = text?.trim().chars().filter(|c| !c.is_control()).collect();
    (!cleaned.is_empty()).then(|| truncate(&cleaned, max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flat_props_pass_and_come_back_compact() {
        let text = check_props(&json!({"plan": "pro", "value": 100, "ok": true})).unwrap();
        assert_eq!(text, r#"{"ok":true,"plan":"pro","value":100}"#);
    }

    #[test]
    fn depth_is_capped_for_objects_and_arrays() {
        assert!(check_props(&json!({"a": {"b": {"c": 1}}})).is_ok());
        assert_eq!(
            check_props(&json!({"a": {"b": {"c": {"d": 1}}}})),
            Err(PropsError::TooDeep)
        );
        assert_eq!(
            check_props(&json!({"a": {"b": [[1]]}})),
            Err(PropsError::TooDeep)
        );
    }

    #[test]
    fn keys_values_and_size_are_capped() {
        let many: serde_json::Map<String, Value> = (0..=MAX_PROPS_KEYS)
            .map(|i| (format!("k{i}"), json!(i)))
            .collect();
        assert_eq!(
            check_props(&Value::Object(many)),
            Err(PropsError::TooManyKeys)
        );
        let long_key = "k".repeat(MAX_PROP_KEY_LEN + 1);
        assert_eq!(
            check_props(&json!({ long_key: 1 })),
            Err(PropsError::KeyTooLong)
        );
        let long_value = "v".repeat(MAX_PROP_VALUE_LEN + 1);
        assert_eq!(
            check_props(&json!({ "k": long_value })),
            Err(PropsError::ValueTooLong)
        );
        let big: serde_json::Map<String, Value> = (0..20)
            .map(|i| (format!("k{i}"), json!("x".repeat(300))))
            .collect();
        assert_eq!(check_props(&Value::Object(big)), Err(PropsError::TooLarge));
        assert_eq!(check_props(&json!([1, 2])), Err(PropsError::NotObject));
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate("héllo", 2), "hé");
        assert_eq!(truncate("日本語", 5), "日本語");
        assert_eq!(clean_text(Some("  a\u{0}b\n "), 10).as_deref(), Some("ab"));
        assert_eq!(clean_text(Some("   "), 10), None);
        assert_eq!(clean_text(None, 10), None);
    }
}
