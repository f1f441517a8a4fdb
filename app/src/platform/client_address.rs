//! The address a request came from, as the portal can believe it. Behind a proxy every request
//! arrives from the proxy, so its forwarding header names the client; but anyone can send that
//! header, so it is read only when the request came from a proxy the operator trusts
//! (`TRUSTED_PROXIES`), and only as far back as the hops are trusted proxies themselves.

use http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// The proxies whose forwarding header is believed, and which header they write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    networks: Vec<IpNet>,
    header: ForwardingHeader,
}

/// The header the trusted proxies write (`TRUSTED_PROXY_HEADER`). Only one is read: a proxy
/// that writes `X-Forwarded-For` passes a client's own `Forwarded` header on untouched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ForwardingHeader {
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=…`.
    Forwarded,
}

impl ForwardingHeader {
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Some(Self::XForwardedFor),
            "forwarded" => Some(Self::Forwarded),
            _ => None,
        }
    }
}

impl TrustedProxies {
    /// Addresses and networks separated by commas or spaces: `127.0.0.1, 10.0.0.0/8, ::1`.
    /// Returns the entry that is neither when one is not.
    pub fn parse(list: &str, header: ForwardingHeader) -> Result<Self, String> {
        let networks = list
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| entry.to_owned())
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { networks, header })
    }

    pub fn is_empty(&self) -> bool {
        self.networks.is_empty()
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.networks
            .iter()
            .any(|network| network.contains(&address))
    }

    /// The client of a request from `peer`: the peer itself, unless it is a trusted proxy; then
    /// the right-most hop of the forwarding header that is not a trusted proxy (the left-most
    /// hop when all are). A hop that is not an address stops the walk at the proxy that wrote it.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        for hop in self.hops(headers).into_iter().rev() {
            let Some(hop) = hop else {
                break;
            };
            client = canonical(hop);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }

    /// The hops the header lists, nearest the client first; `None` for one that is not an address.
    fn hops(&self, headers: &HeaderMap) -> Vec<Option<IpAddr>> {
        let (name, element): (_, fn(&str) -> Option<IpAddr>) = match self.header {
            ForwardingHeader::XForwardedFor => ("x-forwarded-for", address_of),
            ForwardingHeader::Forwarded => ("forwarded", forwarded_for),
        };
        headers
            .get_all(name)
            .iter()
            .flat_map(|value| {
                // A header that is not text names no address, as a garbled hop does.
                let text = value.to_str().unwrap_or("\u{0}");
                text.split(',').map(element).collect::<Vec<_>>()
            })
            .collect()
    }
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn address_of(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            text.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse().ok())
        })
}

/// The `for=` of one element of an RFC 7239 `Forwarded` header.
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("for")
            .then(|| address_of(value))
            .flatten()
    })
}

/// An IPv4 client seen through an IPv6 socket (`::ffff:192.0.2.1`) is the IPv4 client.
fn canonical(address: IpAddr) -> IpAddr {
    address.to_canonical()
}

/// The address a request came from (see [`TrustedProxies::client`]), put on every request by
/// the server before anything else reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    /// What rate limits count by: an IPv4 address, or the /64 network of an IPv6 one (one
    /// household or device is given a whole /64 and can use any address in it).
    pub fn limit_key(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                format!("{}/64", Ipv6Addr::from(segments))
            }
        }
    }
}

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn proxies(list: &str) -> TrustedProxies {
        TrustedProxies::parse(list, ForwardingHeader::XForwardedFor).unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let forged = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            proxies("").client(ip("198.51.100.7"), &forged),
            ip("198.51.100.7")
        );
        assert_eq!(
            proxies("10.0.0.0/8").client(ip("198.51.100.7"), &forged),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client_it_received() {
        let forwarded = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            proxies("127.0.0.1").client(ip("127.0.0.1"), &forwarded),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn hops_a_client_wrote_itself_are_never_believed() {
        // The client sent "1.2.3.4" itself; nginx appended the address it saw.
        let forwarded = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9")]);
        assert_eq!(
            proxies("127.0.0.1").client(ip("127.0.0.1"), &forwarded),
            ip("203.0.113.9")
        );
        // Two trusted proxies in a row: the walk passes both.
        let chained = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.1.2.3")]);
        assert_eq!(
            proxies("127.0.0.1, 10.0.0.0/8").client(ip("127.0.0.1"), &chained),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_garbled_hop_stops_at_the_proxy_that_wrote_it() {
        let garbled = headers(&[("x-forwarded-for", "203.0.113.9, nonsense")]);
        assert_eq!(
            proxies("127.0.0.1").client(ip("127.0.0.1"), &garbled),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn the_forwarded_header_is_read_only_when_chosen() {
        let both = headers(&[
            ("forwarded", "for=1.2.3.4"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(
            proxies("127.0.0.1").client(ip("127.0.0.1"), &both),
            ip("203.0.113.9")
        );
        let rfc = TrustedProxies::parse("127.0.0.1", ForwardingHeader::Forwarded).unwrap();
        let forwarded = headers(&[(
            "forwarded",
            "for=1.2.3.4, for=\"[2001:db8::7]:4711\";proto=https",
        )]);
        assert_eq!(rfc.client(ip("127.0.0.1"), &forwarded), ip("2001:db8::7"));
    }

    #[test]
    fn ipv4_seen_through_ipv6_is_ipv4() {
        assert_eq!(
            proxies("127.0.0.1").client(ip("::ffff:127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn ipv6_clients_share_a_limit_per_64() {
        let one = ClientAddress(ip("2001:db8:1:2:aaaa::1")).limit_key();
        let other = ClientAddress(ip("2001:db8:1:2:bbbb::9")).limit_key();
        let elsewhere = ClientAddress(ip("2001:db8:1:3::1")).limit_key();
        assert_eq!(one, other);
        assert_ne!(one, elsewhere);
        assert_eq!(one, "2001:db8:1:2::/64");
        assert_eq!(ClientAddress(ip("192.0.2.1")).limit_key(), "192.0.2.1");
    }

    #[test]
    fn the_setting_names_the_entry_it_cannot_read() {
        assert_eq!(
            TrustedProxies::parse("127.0.0.1, 10.0.0.0/33", ForwardingHeader::XForwardedFor),
            Err("10.0.0.0/33".to_owned())
        );
        assert!(proxies(" 127.0.0.1  ::1 fd00::/8 ").trusts(ip("fd12::1")));
    }
}
