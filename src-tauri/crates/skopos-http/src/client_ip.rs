//! The client's address: the socket peer, unless the owner said a proxy or tunnel in front
//! of the collector names the real client in a header.
//!
//! The header is believed only when the request comes from loopback or a private network,
//! where a tunnel agent (cloudflared, ngrok) or a reverse proxy would sit; a visitor who
//! reaches the collector directly cannot choose their own address by sending the header.
//! The address is used for hashing, geo lookup and rate limiting, and never stored or logged.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrustedProxy {
    /// The socket address is the client (the collector is reached directly).
    #[default]
    None,
    /// Cloudflare Tunnel (cloudflared): `CF-Connecting-IP`.
    Cloudflare,
    /// ngrok, Tailscale Funnel and most reverse proxies: the last `X-Forwarded-For` entry,
    /// which the proxy itself appended.
    XForwardedFor,
    /// nginx-style `X-Real-IP`.
    XRealIp,
}

impl std::str::FromStr for TrustedProxy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "none" => Ok(Self::None),
            "cloudflare" => Ok(Self::Cloudflare),
            "x-forwarded-for" => Ok(Self::XForwardedFor),
            "x-real-ip" => Ok(Self::XRealIp),
            _ => Err("trusted proxy must be none, cloudflare, x-forwarded-for or x-real-ip".into()),
        }
    }
}

impl TrustedProxy {
    /// The name the command line, config file and settings use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Cloudflare => "cloudflare",
            Self::XForwardedFor => "x-forwarded-for",
            Self::XRealIp => "x-real-ip",
        }
    }

    pub fn client_ip(self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        let peer_ip = peer.ip().to_canonical();
        if self == Self::None || !is_proxy_position(peer_ip) {
            return peer_ip;
        }
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let named = match self {
            Self::None => None,
            Self::Cloudflare => header("cf-connecting-ip"),
            Self::XForwardedFor => header("x-forwarded-for").and_then(|v| v.rsplit(',').next()),
            Self::XRealIp => header("x-real-ip"),
        };
        named
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
            .map(|ip| ip.to_canonical())
            .unwrap_or(peer_ip)
    }
}

fn is_proxy_position(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local(),
        IpAddr::V6(v6) => v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
            .collect()
    }

    #[test]
    fn the_socket_is_the_client_unless_a_proxy_is_trusted() {
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("cf-connecting-ip", "198.51.100.7"),
        ]);
        assert_eq!(
            TrustedProxy::None.client_ip(local, &h).to_string(),
            "127.0.0.1"
        );
        assert_eq!(
            TrustedProxy::XForwardedFor.client_ip(local, &h).to_string(),
            "203.0.113.9"
        );
        assert_eq!(
            TrustedProxy::Cloudflare.client_ip(local, &h).to_string(),
            "198.51.100.7"
        );
        assert_eq!(
            TrustedProxy::XRealIp.client_ip(local, &h).to_string(),
            "127.0.0.1"
        );
    }

    #[test]
    fn forwarded_for_takes_the_entry_the_proxy_appended() {
        let local: SocketAddr = "[::1]:5000".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9")]);
        assert_eq!(
            TrustedProxy::XForwardedFor.client_ip(local, &h).to_string(),
            "203.0.113.9"
        );
        let garbage = headers(&[("x-forwarded-for", "not-an-ip")]);
        assert_eq!(
            TrustedProxy::XForwardedFor
                .client_ip(local, &garbage)
                .to_string(),
            "::1"
        );
    }

    #[test]
    fn a_public_peer_cannot_spoof_its_address() {
        let public: SocketAddr = "8.8.8.8:443".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            TrustedProxy::XForwardedFor
                .client_ip(public, &h)
                .to_string(),
            "8.8.8.8"
        );
        let mapped: SocketAddr = "[::ffff:10.0.0.1]:1".parse().unwrap();
        assert_eq!(
            TrustedProxy::XForwardedFor
                .client_ip(mapped, &h)
                .to_string(),
            "203.0.113.9"
        );
    }
}
