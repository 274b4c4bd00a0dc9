//! The seed script's obfuscation envelope: `{"_d": base64(utf8(xor(json))), "_v": 1}`.
//!
//! The seed XORs each UTF-16 code unit of the JSON text with the key (cycling through it),
//! UTF-8-encodes the result and base64-encodes that. Decoding reverses the steps in order;
//! for ASCII text this equals a byte-wise XOR, for other text it does not, so we work on
//! UTF-16 code units exactly as the browser did.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// The key the seed script's `skopos.min.js` uses.
pub const SEED_KEY: &str = "sk0p0s_4n4lyt1cs_0bf_k3y_2026";

/// The only envelope version the seed has shipped.
pub const SEED_VERSION: u64 = 1;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("envelope is not valid base64")]
    Base64,
    #[error("envelope is not valid utf-8")]
    Utf8,
    #[error("envelope does not decode to valid text")]
    Utf16,
    #[error("unsupported envelope version")]
    Version,
}

/// Decodes the `_d` field into the JSON text it hides.
pub fn decode(encoded: &str) -> Result<String, EnvelopeError> {
    let bytes = STANDARD
        .decode(encoded.trim())
        .map_err(|_| EnvelopeError::Base64)?;
    let text = String::from_utf8(bytes).map_err(|_| EnvelopeError::Utf8)?;
    let units: Vec<u16> = xor_units(text.encode_utf16());
    String::from_utf16(&units).map_err(|_| EnvelopeError::Utf16)
}

/// Encodes JSON text the way the seed script does; the inverse of [`decode`].
pub fn encode(json: &str) -> String {
    let units = xor_units(json.encode_utf16());
    // XOR with an ASCII key never moves a code unit in or out of the surrogate range,
    // so valid UTF-16 stays valid and this conversion is lossless.
    let text = String::from_utf16_lossy(&units);
    STANDARD.encode(text.as_bytes())
}

/// Checks the `_v` field when present.
pub fn check_version(version: Option<&serde_json::Value>) -> Result<(), EnvelopeError> {
    match version {
        None => Ok(()),
        Some(v) if v.as_u64() == Some(SEED_VERSION) => Ok(()),
        Some(_) => Err(EnvelopeError::Version),
    }
}

fn xor_units(units: impl Iterator<Item = u16>) -> Vec<u16> {
    let key: Vec<u16> = SEED_KEY.encode_utf16().collect();
    units
        .zip(key.iter().cycle())
        .map(|(unit, k)| unit ^ k)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_round_trips_and_matches_bytewise_xor() {
        let json = r#"{"type":"batch","sid":"abc"}"#;
        let encoded = encode(json);
        assert_eq!(decode(&encoded).unwrap(), json);
        let bytewise: Vec<u8> = json
            .bytes()
            .zip(SEED_KEY.bytes().cycle())
            .map(|(b, k)| b ^ k)
            .collect();
        assert_eq!(STANDARD.decode(&encoded).unwrap(), bytewise);
    }

    #[test]
    fn non_ascii_round_trips_per_utf16_unit() {
        let json = r#"{"n":"café 🚀 Ελληνικά 日本語"}"#;
        let encoded = encode(json);
        assert_eq!(decode(&encoded).unwrap(), json);
        // A byte-wise XOR would disagree once multi-byte characters appear.
        let bytewise: Vec<u8> = json
            .bytes()
            .zip(SEED_KEY.bytes().cycle())
            .map(|(b, k)| b ^ k)
            .collect();
        assert_ne!(STANDARD.decode(&encoded).unwrap(), bytewise);
    }

    #[test]
    fn known_vector_from_the_seed_algorithm() {
        // "{}" XOR "sk" = [0x7b^0x73, 0x7d^0x6b] = [0x08, 0x16] → base64 "CBY=".
        assert_eq!(encode("{}"), "CBY=");
        assert_eq!(decode("CBY=").unwrap(), "{}");
    }

    #[test]
    fn garbage_is_rejected_not_panicking() {
        assert_eq!(decode("%%%not base64"), Err(EnvelopeError::Base64));
        assert_eq!(
            decode(&STANDARD.encode([0xff, 0xfe, 0x00])),
            Err(EnvelopeError::Utf8)
        );
        assert_eq!(decode("").unwrap(), "");
    }

    #[test]
    fn version_must_be_one_when_present() {
        assert!(check_version(None).is_ok());
        assert!(check_version(Some(&serde_json::json!(1))).is_ok());
        assert_eq!(
            check_version(Some(&serde_json::json!(2))),
            Err(EnvelopeError::Version)
        );
        assert_eq!(
            check_version(Some(&serde_json::json!("1"))),
            Err(EnvelopeError::Version)
        );
    }
}
