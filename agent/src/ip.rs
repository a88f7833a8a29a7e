//! IP addresses as text, without `core::net`'s parser and printer (about
//! 5 KiB of code): dotted IPv4 and RFC 4291 IPv6 (`::` and a dotted IPv4
//! tail accepted), printed as `inet_ntop` prints them (the longest run of
//! two or more zero groups as `::`, the first of equal runs; IPv4-mapped
//! and IPv4-compatible addresses with a dotted tail).
//!
//! IPv6 text, 8 groups of 16 bits:
//! ```text
//! 2001:db8:0:0:0:0:0:1  ==  2001:db8::1     (:: = one or more zero groups)
//! ::ffff:10.1.0.1       ==  ::ffff:a01:1    (the last 2 groups as IPv4)
//! ```

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::decimal::parse_u32;
use crate::put::Put;

/// `AF_INET`.
pub const AF_INET: u8 = 2;
/// `AF_INET6`.
pub const AF_INET6: u8 = 10;

/// An address as netlink carries it: its family (`AF_INET`, `AF_INET6`),
/// and its bytes in network order (the first 4 or 16 of the array), with
/// their count.
pub fn wire(addr: IpAddr) -> (u8, [u8; 16], usize) {
    match addr {
        IpAddr::V4(a) => {
            let [a, b, c, d] = a.octets();
            (AF_INET, [a, b, c, d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 4)
        }
        IpAddr::V6(a) => (AF_INET6, a.octets(), 16),
    }
}

/// Parses an IPv4 or IPv6 address (no prefix length, no zone).
pub fn parse(text: &str) -> Option<IpAddr> {
    let bytes = text.as_bytes();
    if bytes.contains(&b':') {
        parse_v6(bytes).map(|a| IpAddr::V6(Ipv6Addr::from(a)))
    } else {
        parse_v4(bytes).map(|a| IpAddr::V4(Ipv4Addr::from(a)))
    }
}

/// `a.b.c.d`, each 0..=255 in decimal without leading zeros.
pub fn parse_v4(text: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = text.split(|&c| c == b'.');
    for octet in out.iter_mut() {
        *octet = u8::try_from(decimal(parts.next()?, 3)?).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// A decimal number of 1 to `max_digits` digits, no leading zero.
fn decimal(text: &[u8], max_digits: usize) -> Option<u32> {
    if text.len() > max_digits || (text.len() > 1 && text.first() == Some(&b'0')) {
        return None;
    }
    parse_u32(text)
}

/// Eight colon-separated groups, or fewer around one `::`.
pub fn parse_v6(text: &[u8]) -> Option<[u8; 16]> {
    let mut groups = [0u16; 8];
    let double = text.windows(2).position(|w| w == b"::");
    match double {
        None => {
            if groups_into(text, &mut groups)? != 8 {
                return None;
            }
        }
        Some(at) => {
            let head = text.get(..at)?;
            let tail = text.get(at + 2..)?;
            let mut tail_groups = [0u16; 8];
            let head_len = groups_into(head, &mut groups)?;
            let tail_len = groups_into(tail, &mut tail_groups)?;
            if head_len + tail_len > 7 || head.contains(&b'.') {
                return None;
            }
            let dst = groups.get_mut(8 - tail_len..)?;
            dst.copy_from_slice(tail_groups.get(..tail_len)?);
        }
    }
    let mut out = [0u8; 16];
    for (pair, group) in out.chunks_exact_mut(2).zip(groups) {
        pair.copy_from_slice(&group.to_be_bytes());
    }
    Some(out)
}

/// Parses colon-separated hex groups into the start of `out` (an empty
/// text is no group); the last may be a dotted IPv4 address (two groups).
/// The number of groups.
fn groups_into(text: &[u8], out: &mut [u16; 8]) -> Option<usize> {
    if text.is_empty() {
        return Some(0);
    }
    let mut n = 0;
    let mut parts = text.split(|&c| c == b':').peekable();
    while let Some(part) = parts.next() {
        if part.contains(&b'.') {
            // A dotted IPv4 tail: the last part only.
            if parts.peek().is_some() {
                return None;
            }
            let [a, b, c, d] = parse_v4(part)?;
            *out.get_mut(n)? = u16::from_be_bytes([a, b]);
            *out.get_mut(n + 1)? = u16::from_be_bytes([c, d]);
            return Some(n + 2);
        }
        if part.is_empty() || part.len() > 4 {
            return None;
        }
        let value = part.iter().try_fold(0u16, |v, &c| {
            let digit = char::from(c).to_digit(16)?;
            Some(v << 4 | digit as u16)
        })?;
        *out.get_mut(n)? = value;
        n += 1;
    }
    Some(n)
}

/// Writes an address of 4 (IPv4) or 16 (IPv6) bytes; other lengths are
/// written as hex bytes (never sent for an address the kernel checked).
pub fn put_addr(out: &mut dyn Put, bytes: &[u8]) {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        put_v4(out, v4);
    } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        put_v6(out, v6);
    } else {
        for &b in bytes {
            put_hex(out, u16::from(b));
        }
    }
}

/// Writes `a.b.c.d`.
pub fn put_v4(out: &mut dyn Put, addr: [u8; 4]) {
    for (i, octet) in addr.into_iter().enumerate() {
        if i > 0 {
            out.put(b".");
        }
        out.put_u32(u32::from(octet));
    }
}

/// Writes `n` in lowercase hex without leading zeros.
fn put_hex(out: &mut dyn Put, n: u16) {
    let mut digits = [0u8; 4];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            *d = b"0123456789abcdef"
                .get(usize::from(rest & 0xf))
                .copied()
                .unwrap_or(b'0');
        }
        rest >>= 4;
        if rest == 0 || start == 0 {
            break;
        }
    }
    out.put(digits.get(start..).unwrap_or_default());
}

/// Writes an IPv6 address as `inet_ntop` does.
pub fn put_v6(out: &mut dyn Put, addr: [u8; 16]) {
    let mut groups = [0u16; 8];
    for (group, pair) in groups.iter_mut().zip(addr.chunks_exact(2)) {
        *group = u16::from_be_bytes([
            pair.first().copied().unwrap_or(0),
            pair.get(1).copied().unwrap_or(0),
        ]);
    }
    // The longest run of zero groups (the first of equal ones), if ≥ 2.
    let (mut best_at, mut best_len) = (0, 0);
    let mut run_at = 0;
    for (i, &g) in groups.iter().enumerate() {
        if g != 0 {
            run_at = i + 1;
        } else if i + 1 - run_at > best_len {
            (best_at, best_len) = (run_at, i + 1 - run_at);
        }
    }
    if best_len < 2 {
        best_len = 0;
    }
    let dotted_tail =
        best_at == 0 && (best_len == 6 || (best_len == 5 && groups.get(5) == Some(&0xffff)));
    let mut i = 0;
    while i < 8 {
        if best_len > 0 && i == best_at {
            out.put(b"::");
            i += best_len;
            continue;
        }
        if i > 0 && !(best_len > 0 && i == best_at + best_len) {
            out.put(b":");
        }
        if dotted_tail && i == 6 {
            let [_, _, _, _, _, _, _, _, _, _, _, _, a, b, c, d] = addr;
            put_v4(out, [a, b, c, d]);
            return;
        }
        put_hex(out, groups.get(i).copied().unwrap_or(0));
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};
    use std::string::String;

    use super::*;
    use crate::put::Buf;

    fn v6(text: &str) -> Option<Ipv6Addr> {
        parse_v6(text.as_bytes()).map(Ipv6Addr::from)
    }

    fn shown_v6(text: &str) -> String {
        let mut b = Buf::<64>::new();
        put_v6(&mut b, text.parse::<Ipv6Addr>().unwrap().octets());
        String::from_utf8(b.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn ipv4_addresses() {
        assert_eq!(parse_v4(b"10.1.0.254"), Some([10, 1, 0, 254]));
        assert_eq!(parse_v4(b"0.0.0.0"), Some([0, 0, 0, 0]));
        assert_eq!(parse_v4(b"255.255.255.255"), Some([255; 4]));
        for bad in [
            "",
            "1",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1..2.3",
            "01.2.3.4",
            "1.2.3.4.",
            "a.b.c.d",
            "1.2.3.-4",
            "+1.2.3.4",
            "1000.1.1.1",
            "1.2.3.4/24",
        ] {
            assert_eq!(parse_v4(bad.as_bytes()), None, "{bad:?}");
        }
    }

    #[test]
    fn ipv6_addresses() {
        for good in [
            "::",
            "::1",
            "1::",
            "2001:db8::1",
            "fe80::1:2",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "::ffff:10.1.0.1",
            "64:ff9b::192.0.2.33",
            "ABCD:ef01::",
            "1:2:3:4:5:6:1.2.3.4",
        ] {
            assert_eq!(v6(good), Some(good.parse().unwrap()), "{good:?}");
        }
        for bad in [
            "",
            ":",
            ":::",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            ":1::",
            "1:::2",
            "12345::",
            "g::",
            "::1.2.3",
            "1.2.3.4::",
            "::1.2.3.4:5",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1::2:3:4:5:6:7:8",
            "::%1",
            "1:",
        ] {
            assert_eq!(v6(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn either_family() {
        assert_eq!(
            parse("10.2.0.0"),
            Some(IpAddr::V4(Ipv4Addr::new(10, 2, 0, 0)))
        );
        assert_eq!(parse("::1"), Some(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert_eq!(parse("default"), None);
    }

    #[test]
    fn ipv4_text() {
        let mut b = Buf::<32>::new();
        put_addr(&mut b, &[10, 1, 0, 254]);
        assert_eq!(b.as_bytes(), b"10.1.0.254");
    }

    #[test]
    fn ipv6_text_as_inet_ntop() {
        // Expected texts as glibc's inet_ntop writes them.
        for (addr, text) in [
            ("::", "::"),
            ("::1", "::1"),
            ("1::", "1::"),
            ("2001:db8::1", "2001:db8::1"),
            ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
            ("2001:0:0:1:1:0:0:1", "2001::1:1:0:0:1"),
            ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
            ("fe80::abcd:ef", "fe80::abcd:ef"),
            ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
            ("::ffff:10.1.0.1", "::ffff:10.1.0.1"),
            ("::10.1.0.1", "::10.1.0.1"),
            ("::1:10.1.0.1", "::1:a01:1"),
        ] {
            assert_eq!(shown_v6(addr), text, "{addr}");
        }
    }
}
