//! Country and region lookup for visitor addresses from a MaxMind-format (MMDB) database.
//!
//! maxminddb bounds-checks every read of the search tree and data section, so a corrupt file
//! yields errors rather than panics; user-supplied files are also checked in full once on open.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;
use std::path::Path;

use maxminddb::{MaxMindDbError, Reader, WithinOptions};
use serde::Deserialize;

/// The bundled CC-BY-4.0 country database (NRO data via ip-location-db).
static BUNDLED_DB: &[u8] = include_bytes!("../data/geo-whois-asn-country.mmdb");
/// Region names longer than this are not real subdivision names.
const MAX_REGION_LEN: usize = 64;

/// Where an address is, as far as the database knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Geo {
    /// ISO 3166-1 alpha-2, upper-case.
    pub country: Option<String>,
    /// First-level subdivision (e.g. "CA"), only when the database has regions.
    pub region: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("cannot read geo database {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid geo database: {0}")]
    Invalid(String),
}

/// An opened geo database; cheap to share behind an `Arc`.
pub struct GeoDb {
    reader: Reader<Cow<'static, [u8]>>,
}

impl std::fmt::Debug for GeoDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let metadata = self.reader.metadata();
        f.debug_struct("GeoDb")
            .field("database_type", &metadata.database_type)
            .field("build_epoch", &metadata.build_epoch)
            .finish()
    }
}

/// One database record. ip-location-db files carry `country_code`; MaxMind GeoLite2 files carry
/// `country.iso_code` and `subdivisions`; some other vendors put a plain name in `country`.
#[derive(Deserialize)]
struct GeoRecord<'a> {
    #[serde(borrow, default)]
    country_code: Option<&'a str>,
    #[serde(borrow, default)]
    country: Option<CountryField<'a>>,
    #[serde(borrow, default)]
    registered_country: Option<Place<'a>>,
    #[serde(borrow, default)]
    subdivisions: Option<Vec<Place<'a>>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CountryField<'a> {
    Place(#[serde(borrow)] Place<'a>),
    Text(&'a str),
}

#[derive(Deserialize)]
struct Place<'a> {
    #[serde(borrow, default)]
    iso_code: Option<&'a str>,
    #[serde(borrow, default)]
    names: Option<BTreeMap<&'a str, &'a str>>,
}

impl GeoDb {
    /// The bundled CC-BY-4.0 country database (NRO data via ip-location-db), compiled into the binary.
    pub fn bundled() -> GeoDb {
        // The bytes are fixed at build time and a unit test checks them, so failure here is a
        // packaging bug rather than something any input can cause.
        GeoDb::from_bytes(Cow::Borrowed(BUNDLED_DB)).expect("bundled geo database is valid")
    }

    /// A MaxMind-format file, e.g. GeoLite2-City.mmdb, which adds regions.
    pub fn open(path: &Path) -> Result<GeoDb, GeoError> {
        let bytes = std::fs::read(path).map_err(|source| GeoError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let db = GeoDb::from_bytes(Cow::Owned(bytes))?;
        // Rejecting a damaged file now beats silently losing every lookup that reaches the damage.
        db.check_records().map_err(describe)?;
        Ok(db)
    }

    /// Country and region of `ip`; private, loopback and unknown addresses give `Geo::default()`.
    pub fn lookup(&self, ip: IpAddr) -> Geo {
        // IPv4-mapped IPv6 addresses become plain IPv4 so they hit the IPv4 part of the tree.
        let ip = ip.to_canonical();
        if !is_public(ip) {
            return Geo::default();
        }
        // A record that cannot be decoded carries no usable location, so it counts as unknown.
        let found = self.reader.lookup(ip);
        match found.and_then(|found| found.decode::<GeoRecord<'_>>()) {
            Ok(Some(record)) => record.into_geo(),
            Ok(None) | Err(_) => Geo::default(),
        }
    }

    /// Decodes every distinct record the search tree reaches, exactly as lookups will.
    /// `Reader::verify()` is not used because it stops at a metadata rule stricter than the MMDB
    /// spec (a non-empty `description`) that ip-location-db files, the bundled one included, fail.
    fn check_records(&self) -> Result<(), MaxMindDbError> {
        // As in `verify()`, every leaf is visited and the walk is bounded, so a tree whose
        // pointers loop or fan out exponentially ends with an error instead of running forever.
        let limit = (self.reader.metadata().node_count as usize).saturating_mul(3);
        let every_leaf = WithinOptions::default().include_networks_without_data();
        let mut seen = HashSet::new();
        for (visited, found) in self.reader.networks(every_leaf)?.enumerate() {
            if visited > limit {
                let message = "search tree has more paths than a valid file can";
                return Err(MaxMindDbError::invalid_database(message));
            }
            let found = found?;
            if found.offset().is_some_and(|offset| seen.insert(offset)) {
                found.decode::<GeoRecord<'_>>()?;
            }
        }
        Ok(())
    }

    fn from_bytes(bytes: Cow<'static, [u8]>) -> Result<GeoDb, GeoError> {
        let reader = Reader::from_source(bytes).map_err(describe)?;
        Ok(GeoDb { reader })
    }
}

/// maxminddb's messages may be capitalised sentences; ours are lower-case with no full stop.
/// Offsets are kept because they are what makes a report about a damaged file actionable.
fn describe(error: MaxMindDbError) -> GeoError {
    let message = match error {
        MaxMindDbError::InvalidDatabase { message, offset } => match offset {
            Some(at) => format!("{} at byte {at}", message.trim().trim_end_matches('.')),
            None => message,
        },
        other => other.to_string(),
    };
    GeoError::Invalid(message.trim().trim_end_matches('.').to_lowercase())
}

impl GeoRecord<'_> {
    fn into_geo(self) -> Geo {
        let country_place = match &self.country {
            Some(CountryField::Place(place)) => place.iso_code,
            Some(CountryField::Text(text)) => Some(*text),
            None => None,
        };
        let registered = self
            .registered_country
            .as_ref()
            .and_then(|place| place.iso_code);
        let country = [self.country_code, country_place, registered]
            .into_iter()
            .flatten()
            .find_map(country_code);
        let region = self
            .subdivisions
            .as_deref()
            .and_then(<[Place<'_>]>::first)
            .and_then(|place| {
                let english_name = place
                    .names
                    .as_ref()
                    .and_then(|names| names.get("en").copied());
                [place.iso_code, english_name]
                    .into_iter()
                    .flatten()
                    .find_map(region_text)
            });
        Geo { country, region }
    }
}

/// Accepts only two-letter codes; "ZZ" is the conventional code for "unknown".
fn country_code(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    let is_code = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) && code != "ZZ";
    is_code.then_some(code)
}

fn region_text(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && text.len() <= MAX_REGION_LEN && !text.chars().any(char::is_control))
        .then(|| text.to_owned())
}

/// Whether an address can be located at all; special-purpose ranges never can.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [first, second, ..] = v4.octets();
            let shared = first == 100 && (64..128).contains(&second);
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || shared
                || first == 0
                || first >= 240)
        }
        IpAddr::V6(v6) => {
            let documentation = v6.segments()[..2] == [0x2001, 0x0db8];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
                || documentation)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[rustfmt::skip]
    const UNLOCATABLE: &[&str] = &[
        "127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.5", "100.64.0.1", "169.254.1.1", "0.0.0.0",
        "255.255.255.255", "224.0.0.1", "192.0.2.1", "::1", "::", "fe80::1", "fd00::1", "ff02::1",
        "2001:db8::1", "::ffff:127.0.0.1",
    ];

    /// Record JSON in each vendor's shape → (country, region).
    #[rustfmt::skip]
    const RECORDS: &[(&str, Option<&str>, Option<&str>)] = &[
        (r#"{"country_code":"us"}"#, Some("US"), None),
        (r#"{"country":{"iso_code":"US","names":{"en":"United States"}},
            "subdivisions":[{"iso_code":"CA","names":{"en":"California"}},{"iso_code":"XX"}]}"#, Some("US"), Some("CA")),
        (r#"{"country":{"iso_code":"GB"},"subdivisions":[{"names":{"en":"England","de":"England"}}]}"#, Some("GB"), Some("England")),
        (r#"{"registered_country":{"iso_code":"FR"}}"#, Some("FR"), None),
        (r#"{"country":"United States","country_code":"US","asn":15169}"#, Some("US"), None),
        (r#"{"country_code":"USA"}"#, None, None),
        (r#"{"country_code":"ZZ"}"#, None, None),
        (r#"{"country_code":""}"#, None, None),
        (r#"{"country_code":"日本"}"#, None, None),
        (r#"{"subdivisions":[{"iso_code":"  "}]}"#, None, None),
        (r#"{"subdivisions":[]}"#, None, None),
        ("{}", None, None),
    ];

    fn lookup(db: &GeoDb, ip: &str) -> Geo {
        match ip.parse() {
            Ok(ip) => db.lookup(ip),
            Err(error) => panic!("bad test address {ip}: {error}"),
        }
    }

    /// A scratch file that removes itself, since `tempfile` is not a dependency here.
    struct ScratchFile(PathBuf);

    impl ScratchFile {
        fn with(name: &str, bytes: &[u8]) -> ScratchFile {
            let unique = format!("skopos-geo-{}-{name}", std::process::id());
            let path = std::env::temp_dir().join(unique);
            std::fs::write(&path, bytes).unwrap_or_else(|error| panic!("cannot write: {error}"));
            ScratchFile(path)
        }
    }

    impl Drop for ScratchFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    fn assert_invalid(name: &str, bytes: &[u8]) {
        let file = ScratchFile::with(name, bytes);
        let message = match GeoDb::open(&file.0) {
            Err(error @ GeoError::Invalid(_)) => error.to_string(),
            other => panic!("{name} should be invalid, got {:?}", other.map(|_| ())),
        };
        assert!(message.starts_with("invalid geo database: "), "{message}");
        assert!(
            !message.ends_with('.') && message == message.to_lowercase(),
            "{message}"
        );
    }

    #[test]
    fn bundled_knows_public_addresses() {
        let db = GeoDb::bundled();
        // bundled() skips the full check that open() does, so the shipped file gets it here.
        let checked = db.check_records().map_err(|error| error.to_string());
        assert_eq!(checked, Ok(()));
        let us = Geo {
            country: Some("US".to_owned()),
            region: None,
        };
        assert_eq!(lookup(&db, "8.8.8.8"), us);
        assert_eq!(lookup(&db, "2001:4860:4860::8888"), us);
        assert_eq!(lookup(&db, "::ffff:8.8.8.8"), us);
        let cloudflare = lookup(&db, "1.1.1.1").country;
        assert!(cloudflare.is_none_or(|code| code.len() == 2 && code == code.to_uppercase()));
    }

    #[test]
    fn special_addresses_have_no_location() {
        let db = GeoDb::bundled();
        for ip in UNLOCATABLE {
            assert_eq!(lookup(&db, ip), Geo::default(), "{ip}");
        }
    }

    #[test]
    fn open_reads_a_real_file() {
        let file = ScratchFile::with("copy.mmdb", BUNDLED_DB);
        let country = GeoDb::open(&file.0).map(|db| lookup(&db, "8.8.8.8").country);
        assert_eq!(country.ok().flatten().as_deref(), Some("US"));
    }

    #[test]
    fn open_rejects_missing_and_garbage_files() {
        let missing = std::env::temp_dir().join("skopos-geo-does-not-exist.mmdb");
        match GeoDb::open(&missing) {
            Err(error @ GeoError::Read { .. }) => {
                assert!(error.to_string().starts_with("cannot read geo database"))
            }
            other => panic!("expected a read error, got {:?}", other.map(|_| ())),
        }
        assert_invalid("empty.mmdb", b"");
        assert_invalid("garbage.mmdb", &[0x5a; 4096]);
        assert_invalid("text.mmdb", "not a database at all, ünïcödé 🦀".as_bytes());
        // Made maxminddb 0.26 index out of bounds while reading the metadata.
        assert_invalid("marker-only.mmdb", b"\xab\xcd\xefMaxMind.com\xff\xff\xff");
        // The real metadata with the search tree cut off claims far more nodes than exist.
        assert_invalid("truncated.mmdb", &BUNDLED_DB[metadata_marker()..]);
    }

    fn metadata_marker() -> usize {
        let is_marker = |window: &[u8]| window == b"\xab\xcd\xefMaxMind.com";
        BUNDLED_DB.windows(14).rposition(is_marker).unwrap_or(0)
    }

    #[test]
    fn corrupt_data_section_is_rejected_on_open_and_unknown_on_lookup() {
        let metadata = GeoDb::bundled().reader.metadata().clone();
        let data_start = metadata.node_count as usize * usize::from(metadata.record_size) / 4 + 16;
        let mut corrupt = BUNDLED_DB.to_vec();
        corrupt[data_start..metadata_marker()].fill(0xff);
        assert_invalid("corrupt-data.mmdb", &corrupt);
        // Without the full check the tree still opens, and undecodable records mean "unknown".
        let unverified = GeoDb::from_bytes(Cow::Owned(corrupt)).map(|db| lookup(&db, "8.8.8.8"));
        assert_eq!(unverified.ok(), Some(Geo::default()));
    }

    #[test]
    fn records_of_every_shape() {
        for &(json, country, region) in RECORDS {
            let record = serde_json::from_str::<GeoRecord<'_>>(json);
            let geo = record
                .map(GeoRecord::into_geo)
                .map_err(|error| error.to_string());
            let expected = Geo {
                country: country.map(str::to_owned),
                region: region.map(str::to_owned),
            };
            assert_eq!(geo, Ok(expected), "{json}");
        }
    }

    #[test]
    fn geo_db_can_be_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<GeoDb>();
        assert!(format!("{:?}", GeoDb::bundled()).contains("country"));
    }
}
