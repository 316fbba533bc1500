//! The client's address behind a reverse proxy. Throttling and the audit log need the address
//! of the person, not of nginx; but `X-Forwarded-For` is only a claim, and anyone can send it.
//! So it is believed only from the proxies the operator names (`PLASTICITY_TRUSTED_PROXIES`),
//! and read from the right: each trusted proxy appends the address it received from, so the
//! first address from the right that is not a trusted proxy is the client. Anything to its left
//! was written by the client and is ignored.

use std::net::IpAddr;

/// The client's address for a request that came from `peer` with `forwarded_for` (the
/// `X-Forwarded-For` header's values, in order), given the `trusted` proxies. The header is only
/// read when `peer` is one of them.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[IpAddr],
) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|value| value.split(','))
        .collect();
    let mut client = peer;
    for entry in entries.into_iter().rev() {
        let Ok(address) = entry.trim().parse::<IpAddr>() else {
            // A malformed entry: nothing to its left can be trusted either.
            break;
        };
        client = address;
        if !trusted.contains(&address) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        assert_eq!(
            client_address(ip("203.0.113.9"), ["198.51.100.1"], &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn from_a_trusted_proxy_the_address_it_appended_is_the_client() {
        let nginx = [ip("127.0.0.1")];
        assert_eq!(
            client_address(ip("127.0.0.1"), ["198.51.100.7"], &nginx),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn addresses_the_client_wrote_itself_are_ignored() {
        let nginx = [ip("127.0.0.1")];
        // The client sent "X-Forwarded-For: 10.0.0.1"; nginx appended the real address.
        assert_eq!(
            client_address(ip("127.0.0.1"), ["10.0.0.1, 198.51.100.7"], &nginx),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), ["10.0.0.1", "198.51.100.7"], &nginx),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked() {
        let proxies = [ip("127.0.0.1"), ip("10.0.0.2")];
        assert_eq!(
            client_address(ip("127.0.0.1"), ["198.51.100.7, 10.0.0.2"], &proxies),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn a_request_from_an_untrusted_peer_is_taken_at_its_address() {
        let nginx = [ip("127.0.0.1")];
        assert_eq!(
            client_address(ip("203.0.113.9"), ["127.0.0.1"], &nginx),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_missing_or_malformed_header_leaves_the_peer() {
        let nginx = [ip("127.0.0.1")];
        assert_eq!(
            client_address(ip("127.0.0.1"), std::iter::empty(), &nginx),
            ip("127.0.0.1")
        );
        assert_eq!(
            client_address(ip("127.0.0.1"), ["not-an-ip"], &nginx),
            ip("127.0.0.1")
        );
    }
}
