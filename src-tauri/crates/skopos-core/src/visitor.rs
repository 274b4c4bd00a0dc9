//! Visitor identity under each privacy mode: a truncated keyed hash, never the raw inputs.
//!
//! - **strict** (default): keyed by a salt that rotates daily, over (site, IP, user agent);
//!   the same person becomes a new visitor every day, so counts are "daily unique visitors".
//! - **network**: keyed by a salt that rotates every [`NETWORK_SALT_DAYS`] days, over
//!   (site, IP masked to its network, user agent); returning visitors are approximate.
//! - **persistent**: keyed by a salt that never rotates, over (site, the random first-party
//!   id the script keeps); needs the visitor's consent, which the UI says.
//!
//! The hash is truncated to 63 bits so it fits SQLite's signed integer.

use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How long one network-mode salt lives.
pub const NETWORK_SALT_DAYS: i64 = 30;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum PrivacyMode {
    #[default]
    Strict,
    Network,
    Persistent,
}

impl PrivacyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Strict => "strict",
            Self::Network => "network",
            Self::Persistent => "persistent",
        }
    }
}

impl FromStr for PrivacyMode {
    type Err = UnknownPrivacyMode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "strict" => Ok(Self::Strict),
            "network" => Ok(Self::Network),
            "persistent" => Ok(Self::Persistent),
            _ => Err(UnknownPrivacyMode),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("privacy mode must be strict, network or persistent")]
pub struct UnknownPrivacyMode;

/// The kinds of salt, each with its own rotation period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SaltScope {
    Daily,
    Network,
    Persistent,
}

impl SaltScope {
    pub const ALL: [SaltScope; 3] = [Self::Daily, Self::Network, Self::Persistent];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Network => "network",
            Self::Persistent => "persistent",
        }
    }

    /// The rotation period a moment falls in; a new period means a new salt.
    pub fn period(self, now_ms: i64) -> i64 {
        match self {
            Self::Daily => now_ms.div_euclid(DAY_MS),
            Self::Network => now_ms.div_euclid(DAY_MS * NETWORK_SALT_DAYS),
            Self::Persistent => 0,
        }
    }
}

pub type Salt = [u8; 32];

/// The current salt of each scope.
#[derive(Clone, PartialEq, Eq)]
pub struct Salts {
    pub daily: Salt,
    pub network: Salt,
    pub persistent: Salt,
}

impl std::fmt::Debug for Salts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Salts(<redacted>)")
    }
}

/// What a visitor id is computed from; none of it is stored.
pub struct VisitorInput<'a> {
    pub ip: IpAddr,
    pub user_agent: &'a str,
    pub client_id: Option<&'a str>,
}

/// The visitor id for a site under its privacy mode.
pub fn visitor_id(mode: PrivacyMode, salts: &Salts, site_id: i64, input: &VisitorInput<'_>) -> i64 {
    let mut hasher;
    match (mode, input.client_id) {
        (PrivacyMode::Persistent, Some(client_id)) => {
            hasher = blake3::Hasher::new_keyed(&salts.persistent);
            hasher.update(&site_id.to_le_bytes());
            hasher.update(b"client");
            hasher.update(client_id.as_bytes());
        }
        (PrivacyMode::Network, _) => {
            hasher = blake3::Hasher::new_keyed(&salts.network);
            hasher.update(&site_id.to_le_bytes());
            update_ip(&mut hasher, mask_to_network(input.ip));
            hasher.update(input.user_agent.as_bytes());
        }
        // Persistent mode without a client id (script blocked from storage) falls back to strict.
        _ => {
            hasher = blake3::Hasher::new_keyed(&salts.daily);
            hasher.update(&site_id.to_le_bytes());
            update_ip(&mut hasher, input.ip);
            hasher.update(input.user_agent.as_bytes());
        }
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest.as_bytes()[..8]);
    (u64::from_le_bytes(first) >> 1) as i64
}

fn update_ip(hasher: &mut blake3::Hasher, ip: IpAddr) {
    match ip {
        IpAddr::V4(v4) => hasher.update(&v4.octets()),
        IpAddr::V6(v6) => hasher.update(&v6.octets()),
    };
}

/// Keeps the network part of an address: /24 for IPv4, /48 for IPv6.
pub fn mask_to_network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            IpAddr::from([a, b, c, 0])
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::from([s[0], s[1], s[2], 0, 0, 0, 0, 0])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn salts() -> Salts {
        Salts {
            daily: [1; 32],
            network: [2; 32],
            persistent: [3; 32],
        }
    }

    fn input<'a>(ip: &str, ua: &'a str, client: Option<&'a str>) -> VisitorInput<'a> {
        VisitorInput {
            ip: ip.parse().unwrap(),
            user_agent: ua,
            client_id: client,
        }
    }

    #[test]
    fn strict_depends_on_everything_and_the_daily_salt() {
        let base = visitor_id(
            PrivacyMode::Strict,
            &salts(),
            1,
            &input("203.0.113.5", "UA", None),
        );
        assert!(base >= 0);
        assert_ne!(
            base,
            visitor_id(
                PrivacyMode::Strict,
                &salts(),
                2,
                &input("203.0.113.5", "UA", None)
            )
        );
        assert_ne!(
            base,
            visitor_id(
                PrivacyMode::Strict,
                &salts(),
                1,
                &input("203.0.113.6", "UA", None)
            )
        );
        assert_ne!(
            base,
            visitor_id(
                PrivacyMode::Strict,
                &salts(),
                1,
                &input("203.0.113.5", "UB", None)
            )
        );
        let rotated = Salts {
            daily: [9; 32],
            ..salts()
        };
        assert_ne!(
            base,
            visitor_id(
                PrivacyMode::Strict,
                &rotated,
                1,
                &input("203.0.113.5", "UA", None)
            )
        );
        // Strict mode ignores client ids entirely.
        assert_eq!(
            base,
            visitor_id(
                PrivacyMode::Strict,
                &salts(),
                1,
                &input("203.0.113.5", "UA", Some("c"))
            )
        );
    }

    #[test]
    fn network_mode_groups_a_subnet_and_ignores_the_daily_salt() {
        let a = visitor_id(
            PrivacyMode::Network,
            &salts(),
            1,
            &input("203.0.113.5", "UA", None),
        );
        let b = visitor_id(
            PrivacyMode::Network,
            &salts(),
            1,
            &input("203.0.113.200", "UA", None),
        );
        assert_eq!(a, b);
        let rotated_daily = Salts {
            daily: [9; 32],
            ..salts()
        };
        assert_eq!(
            a,
            visitor_id(
                PrivacyMode::Network,
                &rotated_daily,
                1,
                &input("203.0.113.5", "UA", None)
            )
        );
        assert_ne!(
            a,
            visitor_id(
                PrivacyMode::Network,
                &salts(),
                1,
                &input("198.51.100.5", "UA", None)
            )
        );
    }

    #[test]
    fn persistent_mode_follows_the_client_id_across_networks() {
        let home = visitor_id(
            PrivacyMode::Persistent,
            &salts(),
            1,
            &input("203.0.113.5", "UA", Some("abc")),
        );
        let work = visitor_id(
            PrivacyMode::Persistent,
            &salts(),
            1,
            &input("198.51.100.1", "Other", Some("abc")),
        );
        assert_eq!(home, work);
        let without = visitor_id(
            PrivacyMode::Persistent,
            &salts(),
            1,
            &input("203.0.113.5", "UA", None),
        );
        assert_eq!(
            without,
            visitor_id(
                PrivacyMode::Strict,
                &salts(),
                1,
                &input("203.0.113.5", "UA", None)
            )
        );
    }

    #[test]
    fn masks_and_periods() {
        assert_eq!(
            mask_to_network("203.0.113.77".parse().unwrap()).to_string(),
            "203.0.113.0"
        );
        assert_eq!(
            mask_to_network("2001:db8:1:2:3::9".parse().unwrap()).to_string(),
            "2001:db8:1::"
        );
        assert_eq!(SaltScope::Daily.period(DAY_MS - 1), 0);
        assert_eq!(SaltScope::Daily.period(DAY_MS), 1);
        assert_eq!(SaltScope::Network.period(DAY_MS * 31), 1);
        assert_eq!(SaltScope::Persistent.period(DAY_MS * 999), 0);
        assert_eq!("network".parse::<PrivacyMode>(), Ok(PrivacyMode::Network));
        assert!("open".parse::<PrivacyMode>().is_err());
        assert_eq!(format!("{:?}", salts()), "Salts(<redacted>)");
    }
}
