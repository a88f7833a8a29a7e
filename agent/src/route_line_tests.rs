//! The route printer on hand-built `RTM_NEWROUTE` messages (layouts as
//! this kernel sends them), against the lines `ip route show` prints for
//! the same routes.

use std::string::String;
use std::vec::Vec;

use nl_core::Error;
use nl_core::nlmsg::Message;

use super::RouteLine;
use crate::put::Buf;

/// An `RTM_NEWROUTE` message: `rtmsg` fields, then `(type, payload)` attributes.
fn message(rtmsg: [u8; 8], flags: u32, attrs: &[(u16, &[u8])]) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_len, set below
    m.extend_from_slice(&24u16.to_ne_bytes()); // RTM_NEWROUTE
    m.extend_from_slice(&2u16.to_ne_bytes()); // NLM_F_MULTI
    m.extend_from_slice(&1u32.to_ne_bytes()); // seq
    m.extend_from_slice(&0u32.to_ne_bytes()); // pid
    m.extend_from_slice(&rtmsg);
    m.extend_from_slice(&flags.to_ne_bytes());
    for (ty, payload) in attrs {
        let len = u16::try_from(4 + payload.len()).unwrap();
        m.extend_from_slice(&len.to_ne_bytes());
        m.extend_from_slice(&ty.to_ne_bytes());
        m.extend_from_slice(payload);
        while m.len() % 4 != 0 {
            m.push(0);
        }
    }
    let len = u32::try_from(m.len()).unwrap();
    m[..4].copy_from_slice(&len.to_ne_bytes());
    m
}

/// `[family, dst_len, src_len, tos, table, protocol, scope, type]`.
const fn rtmsg(dst_len: u8, protocol: u8, scope: u8, ty: u8) -> [u8; 8] {
    [2, dst_len, 0, 0, 254, protocol, scope, ty]
}

fn names(index: u32) -> Option<&'static [u8]> {
    match index {
        2 => Some(b"v0"),
        3 => Some(b"eth1"),
        _ => None,
    }
}

fn line(bytes: &[u8]) -> Result<String, Error> {
    let message = Message::parse(bytes)?;
    let route = RouteLine::parse(&message)?;
    let mut out = Buf::<512>::new();
    route.put(&mut out, &names);
    Ok(String::from_utf8(out.as_bytes().to_vec()).unwrap())
}

const MAIN: &[u8] = &254u32.to_ne_bytes();
const V0: &[u8] = &2u32.to_ne_bytes();

#[test]
fn a_gateway_route_as_ip_prints_it() {
    let m = message(
        rtmsg(16, 3, 0, 1),
        0,
        &[
            (15, MAIN),
            (1, &[10, 2, 0, 0]),
            (5, &[10, 1, 0, 254]),
            (4, V0),
        ],
    );
    assert_eq!(line(&m).unwrap(), "10.2.0.0/16 via 10.1.0.254 dev v0");
}

#[test]
fn a_connected_route_with_protocol_scope_source_and_metric() {
    let m = message(
        rtmsg(24, 2, 253, 1),
        0,
        &[
            (15, MAIN),
            (1, &[10, 1, 0, 0]),
            (7, &[10, 1, 0, 1]),
            (4, V0),
            (6, &7u32.to_ne_bytes()),
        ],
    );
    assert_eq!(
        line(&m).unwrap(),
        "10.1.0.0/24 dev v0 proto kernel scope link src 10.1.0.1 metric 7"
    );
}

#[test]
fn default_host_and_typed_routes() {
    let m = message(
        rtmsg(0, 4, 0, 1),
        0x04,
        &[(5, &[10, 0, 0, 1]), (4, &9u32.to_ne_bytes())],
    );
    assert_eq!(
        line(&m).unwrap(),
        "default via 10.0.0.1 dev if9 proto static onlink"
    );
    let m = message(rtmsg(32, 3, 0, 7), 0, &[(1, &[192, 0, 2, 1])]);
    assert_eq!(line(&m).unwrap(), "unreachable 192.0.2.1");
    let m = message(rtmsg(8, 186, 200, 6), 0x10, &[(1, &[10, 0, 0, 0])]);
    assert_eq!(
        line(&m).unwrap(),
        "blackhole 10.0.0.0/8 proto 186 scope site linkdown"
    );
}

#[test]
fn metrics_and_a_gateway_of_another_family() {
    let mut metrics = Vec::new();
    for (ty, payload) in [
        (1u16, &(1u32 << 2).to_ne_bytes()[..]),
        (2, &1400u32.to_ne_bytes()[..]),
        (16, b"cubic\0"),
    ] {
        let len = u16::try_from(4 + payload.len()).unwrap();
        metrics.extend_from_slice(&len.to_ne_bytes());
        metrics.extend_from_slice(&ty.to_ne_bytes());
        metrics.extend_from_slice(payload);
        while metrics.len() % 4 != 0 {
            metrics.push(0);
        }
    }
    let mut via = 10u16.to_ne_bytes().to_vec();
    via.extend_from_slice(&"fe80::1".parse::<std::net::Ipv6Addr>().unwrap().octets());
    let m = message(
        rtmsg(16, 3, 0, 1),
        0,
        &[(1, &[10, 7, 0, 0]), (18, &via), (4, V0), (8, &metrics)],
    );
    assert_eq!(
        line(&m).unwrap(),
        "10.7.0.0/16 via inet6 fe80::1 dev v0 mtu lock 1400 congctl cubic"
    );
}

#[test]
fn a_multipath_route_lists_its_next_hops() {
    let mut hops = Vec::new();
    for (ifindex, hops_byte, flags, gw) in [
        (2i32, 0u8, 0u8, [10, 1, 0, 254]),
        (3, 1, 0x10, [10, 3, 0, 1]),
    ] {
        hops.extend_from_slice(&16u16.to_ne_bytes()); // rtnh_len: 8 + one 8-byte attribute
        hops.push(flags);
        hops.push(hops_byte);
        hops.extend_from_slice(&ifindex.to_ne_bytes());
        hops.extend_from_slice(&8u16.to_ne_bytes());
        hops.extend_from_slice(&5u16.to_ne_bytes()); // RTA_GATEWAY
        hops.extend_from_slice(&gw);
    }
    let m = message(rtmsg(16, 3, 0, 1), 0, &[(1, &[10, 8, 0, 0]), (9, &hops)]);
    let bytes = Message::parse(&m).unwrap();
    let route = RouteLine::parse(&bytes).unwrap();
    let mut seen = Vec::new();
    route
        .interfaces(|i| -> Result<(), ()> {
            seen.push(i);
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, [2, 3]);
    assert_eq!(
        line(&m).unwrap(),
        "10.8.0.0/16\n\tnexthop via 10.1.0.254 dev v0 weight 1\n\tnexthop via 10.3.0.1 dev eth1 weight 2 linkdown"
    );
}

#[test]
fn table_and_clone_flag() {
    let m = message(rtmsg(16, 3, 0, 1), 0x200, &[(15, &1000u32.to_ne_bytes())]);
    let parsed = Message::parse(&m).unwrap();
    let route = RouteLine::parse(&parsed).unwrap();
    assert!(route.is_cloned());
    assert_eq!(route.table(), 1000);
    let m = message(rtmsg(16, 3, 0, 1), 0, &[]);
    let parsed = Message::parse(&m).unwrap();
    let route = RouteLine::parse(&parsed).unwrap();
    assert!(!route.is_cloned());
    assert_eq!(route.table(), 254);
}

#[test]
fn malformed_routes_are_errors() {
    // A 3-byte destination, a 2-byte interface, a truncated next hop.
    let m = message(rtmsg(16, 3, 0, 1), 0, &[(1, &[10, 2, 0])]);
    assert_eq!(line(&m), Err(Error::BadAttrLength { ty: 1, len: 3 }));
    let m = message(rtmsg(16, 3, 0, 1), 0, &[(4, &[2, 0])]);
    assert_eq!(line(&m), Err(Error::BadAttrLength { ty: 4, len: 2 }));
    let m = message(rtmsg(16, 3, 0, 1), 0, &[(9, &[20, 0, 0, 0, 2, 0, 0, 0])]);
    assert_eq!(line(&m), Err(Error::BadAttrLength { ty: 9, len: 8 }));
    // Not a route message; a message shorter than rtmsg.
    let mut m = message(rtmsg(16, 3, 0, 1), 0, &[]);
    m[4] = 16;
    assert_eq!(line(&m), Err(Error::UnexpectedType { ty: 16 }));
    let mut m = message(rtmsg(16, 3, 0, 1), 0, &[]);
    m.truncate(20);
    m[..4].copy_from_slice(&20u32.to_ne_bytes());
    assert_eq!(line(&m), Err(Error::Truncated));
}
