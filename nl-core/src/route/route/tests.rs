//! Byte vectors from this kernel (6.18): `RTM_GETROUTE` dump replies in a
//! namespace with veth `v0` (index 3) and `v1` (index 2), captured once
//! with a throwaway program and commented field by field.

extern crate std;
use std::format;
use std::vec::Vec;

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::metrics::MetricAttrs;
use super::*;
use crate::nlmsg::{Flags, Message};

/// `192.0.2.0/24 via 10.0.0.2 dev v0 table 1000 proto static metric 7`, from this kernel's dump.
#[rustfmt::skip]
pub(crate) const V4_TABLE_1000: [u8; 68] = [
    0x44, 0x00, 0x00, 0x00,    // nlmsg_len = 68
    0x18, 0x00,                // nlmsg_type = RTM_NEWROUTE
    0x02, 0x00,                // nlmsg_flags = 0x2
    0x01, 0x00, 0x00, 0x00,    // nlmsg_seq = 1
    0xe7, 0x67, 0x00, 0x00,    // nlmsg_pid = the dumping socket's port
    0x02, 0x18, 0x00, 0x00,    // rtm_family = 2, rtm_dst_len = 24, rtm_src_len = 0, rtm_tos = 0
    0xfc, 0x04, 0x00, 0x01,    // rtm_table = 252, rtm_protocol = 4, rtm_scope = 0, rtm_type = 1
    0x00, 0x00, 0x00, 0x00,    // rtm_flags = 0x0
    0x08, 0x00, 0x0f, 0x00,    // nla_len = 8, RTA_TABLE
    0xe8, 0x03, 0x00, 0x00,    //   1000
    0x08, 0x00, 0x01, 0x00,    // nla_len = 8, RTA_DST
    0xc0, 0x00, 0x02, 0x00,    //   192.0.2.0
    0x08, 0x00, 0x06, 0x00,    // nla_len = 8, RTA_PRIORITY
    0x07, 0x00, 0x00, 0x00,    //   7
    0x08, 0x00, 0x05, 0x00,    // nla_len = 8, RTA_GATEWAY
    0x0a, 0x00, 0x00, 0x02,    //   10.0.0.2
    0x08, 0x00, 0x04, 0x00,    // nla_len = 8, RTA_OIF
    0x03, 0x00, 0x00, 0x00,    //   3
];

/// `198.51.100.0/24 proto ospf mtu lock 1400 advmss 1300 congctl cubic` with next hops via 10.0.0.2 dev v0 weight 1 and via 10.1.0.2 dev v1 weight 3.
#[rustfmt::skip]
pub(crate) const V4_MULTIPATH: [u8; 120] = [
    0x78, 0x00, 0x00, 0x00,    // nlmsg_len = 120
    0x18, 0x00,                // nlmsg_type = RTM_NEWROUTE
    0x02, 0x00,                // nlmsg_flags = 0x2
    0x01, 0x00, 0x00, 0x00,    // nlmsg_seq = 1
    0xe7, 0x67, 0x00, 0x00,    // nlmsg_pid = the dumping socket's port
    0x02, 0x18, 0x00, 0x00,    // rtm_family = 2, rtm_dst_len = 24, rtm_src_len = 0, rtm_tos = 0
    0xfe, 0xbc, 0x00, 0x01,    // rtm_table = 254, rtm_protocol = 188, rtm_scope = 0, rtm_type = 1
    0x00, 0x00, 0x00, 0x00,    // rtm_flags = 0x0
    0x08, 0x00, 0x0f, 0x00,    // nla_len = 8, RTA_TABLE
    0xfe, 0x00, 0x00, 0x00,    //   254
    0x08, 0x00, 0x01, 0x00,    // nla_len = 8, RTA_DST
    0xc6, 0x33, 0x64, 0x00,    //   198.51.100.0
    0x28, 0x00, 0x08, 0x00,    // nla_len = 40, RTA_METRICS
    0x08, 0x00, 0x01, 0x00,    //   nla_len = 8, RTAX_LOCK
    0x04, 0x00, 0x00, 0x00,    //     4
    0x08, 0x00, 0x02, 0x00,    //   nla_len = 8, RTAX_MTU
    0x78, 0x05, 0x00, 0x00,    //     1400
    0x08, 0x00, 0x08, 0x00,    //   nla_len = 8, RTAX_ADVMSS
    0x14, 0x05, 0x00, 0x00,    //     1300
    0x0a, 0x00, 0x10, 0x00,    //   nla_len = 10, RTAX_CC_ALGO
    0x63, 0x75, 0x62, 0x69, 0x63, 0x00, 0x00, 0x00, //     b'cubic\x00' + 2 padding
    0x24, 0x00, 0x09, 0x00,    // nla_len = 36, RTA_MULTIPATH
    0x10, 0x00, 0x00, 0x00,    //   rtnh_len = 16, rtnh_flags = 0, rtnh_hops = 0
    0x03, 0x00, 0x00, 0x00,    //   rtnh_ifindex = 3
    0x08, 0x00, 0x05, 0x00,    //     nla_len = 8, RTA_GATEWAY
    0x0a, 0x00, 0x00, 0x02,    //       10.0.0.2
    0x10, 0x00, 0x00, 0x02,    //   rtnh_len = 16, rtnh_flags = 0, rtnh_hops = 2
    0x02, 0x00, 0x00, 0x00,    //   rtnh_ifindex = 2
    0x08, 0x00, 0x05, 0x00,    //     nla_len = 8, RTA_GATEWAY
    0x0a, 0x01, 0x00, 0x02,    //       10.1.0.2
];

/// `blackhole 203.0.113.0/24`.
#[rustfmt::skip]
pub(crate) const V4_BLACKHOLE: [u8; 44] = [
    0x2c, 0x00, 0x00, 0x00,    // nlmsg_len = 44
    0x18, 0x00,                // nlmsg_type = RTM_NEWROUTE
    0x02, 0x00,                // nlmsg_flags = 0x2
    0x01, 0x00, 0x00, 0x00,    // nlmsg_seq = 1
    0xe7, 0x67, 0x00, 0x00,    // nlmsg_pid = the dumping socket's port
    0x02, 0x18, 0x00, 0x00,    // rtm_family = 2, rtm_dst_len = 24, rtm_src_len = 0, rtm_tos = 0
    0xfe, 0x03, 0x00, 0x06,    // rtm_table = 254, rtm_protocol = 3, rtm_scope = 0, rtm_type = 6
    0x00, 0x00, 0x00, 0x00,    // rtm_flags = 0x0
    0x08, 0x00, 0x0f, 0x00,    // nla_len = 8, RTA_TABLE
    0xfe, 0x00, 0x00, 0x00,    //   254
    0x08, 0x00, 0x01, 0x00,    // nla_len = 8, RTA_DST
    0xcb, 0x00, 0x71, 0x00,    //   203.0.113.0
];

/// `local 10.0.0.1 dev v0 table local proto kernel scope host src 10.0.0.1`.
#[rustfmt::skip]
pub(crate) const V4_LOCAL: [u8; 60] = [
    0x3c, 0x00, 0x00, 0x00,    // nlmsg_len = 60
    0x18, 0x00,                // nlmsg_type = RTM_NEWROUTE
    0x02, 0x00,                // nlmsg_flags = 0x2
    0x01, 0x00, 0x00, 0x00,    // nlmsg_seq = 1
    0xe7, 0x67, 0x00, 0x00,    // nlmsg_pid = the dumping socket's port
    0x02, 0x20, 0x00, 0x00,    // rtm_family = 2, rtm_dst_len = 32, rtm_src_len = 0, rtm_tos = 0
    0xff, 0x02, 0xfe, 0x02,    // rtm_table = 255, rtm_protocol = 2, rtm_scope = 254, rtm_type = 2
    0x00, 0x00, 0x00, 0x00,    // rtm_flags = 0x0
    0x08, 0x00, 0x0f, 0x00,    // nla_len = 8, RTA_TABLE
    0xff, 0x00, 0x00, 0x00,    //   255
    0x08, 0x00, 0x01, 0x00,    // nla_len = 8, RTA_DST
    0x0a, 0x00, 0x00, 0x01,    //   10.0.0.1
    0x08, 0x00, 0x07, 0x00,    // nla_len = 8, RTA_PREFSRC
    0x0a, 0x00, 0x00, 0x01,    //   10.0.0.1
    0x08, 0x00, 0x04, 0x00,    // nla_len = 8, RTA_OIF
    0x03, 0x00, 0x00, 0x00,    //   3
];

/// `2001:db8:5::/48 metric 1024 pref medium` with next hops via 2001:db8::2 dev v0 weight 2 and via 2001:db8:1::2 dev v1 weight 1.
#[rustfmt::skip]
pub(crate) const V6_MULTIPATH: [u8; 168] = [
    0xa8, 0x00, 0x00, 0x00,    // nlmsg_len = 168
    0x18, 0x00,                // nlmsg_type = RTM_NEWROUTE
    0x02, 0x00,                // nlmsg_flags = 0x2
    0x01, 0x00, 0x00, 0x00,    // nlmsg_seq = 1
    0x10, 0x68, 0x00, 0x00,    // nlmsg_pid = the dumping socket's port
    0x0a, 0x30, 0x00, 0x00,    // rtm_family = 10, rtm_dst_len = 48, rtm_src_len = 0, rtm_tos = 0
    0xfe, 0x03, 0x00, 0x01,    // rtm_table = 254, rtm_protocol = 3, rtm_scope = 0, rtm_type = 1
    0x00, 0x00, 0x00, 0x00,    // rtm_flags = 0x0
    0x08, 0x00, 0x0f, 0x00,    // nla_len = 8, RTA_TABLE
    0xfe, 0x00, 0x00, 0x00,    //   254
    0x14, 0x00, 0x01, 0x00,    // nla_len = 20, RTA_DST
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x05, 0x00, 0x00, //   2001:0db8:0005:0000:0000:0000:0000:0000
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
    0x08, 0x00, 0x06, 0x00,    // nla_len = 8, RTA_PRIORITY
    0x00, 0x04, 0x00, 0x00,    //   1024
    0x3c, 0x00, 0x09, 0x00,    // nla_len = 60, RTA_MULTIPATH
    0x1c, 0x00, 0x00, 0x01,    //   rtnh_len = 28, rtnh_flags = 0, rtnh_hops = 1
    0x03, 0x00, 0x00, 0x00,    //   rtnh_ifindex = 3
    0x14, 0x00, 0x05, 0x00,    //     nla_len = 20, RTA_GATEWAY
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, //       2001:0db8:0000:0000:0000:0000:0000:0002
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, //
    0x1c, 0x00, 0x00, 0x00,    //   rtnh_len = 28, rtnh_flags = 0, rtnh_hops = 0
    0x02, 0x00, 0x00, 0x00,    //   rtnh_ifindex = 2
    0x14, 0x00, 0x05, 0x00,    //     nla_len = 20, RTA_GATEWAY
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, //       2001:0db8:0001:0000:0000:0000:0000:0002
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, //
    0x24, 0x00, 0x0c, 0x00,    // nla_len = 36, RTA_CACHEINFO
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //   rta_cacheinfo: 8 x u32, all 0 (32 bytes, spec says 20)
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
    0x05, 0x00, 0x14, 0x00,    // nla_len = 5, RTA_PREF
    0x00, 0x00, 0x00, 0x00,    //   0 + 3 padding
];

fn route(bytes: &[u8]) -> Result<Route<'_>, Error> {
    Route::parse(&Message::parse(bytes)?)
}

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

#[test]
fn decode_a_route_in_a_table_above_255() {
    let r = route(&V4_TABLE_1000).unwrap();
    assert_eq!(r.ty, RTM_NEWROUTE);
    assert_eq!(r.family(), AddressFamily::Inet);
    assert_eq!((r.dst_len(), r.src_len(), r.tos()), (24, 0, 0));
    assert_eq!(r.header.table, 252, "rtm_table says RT_TABLE_COMPAT");
    assert_eq!(r.table(), RouteTable::Unknown(1000), "RTA_TABLE wins");
    assert_eq!(r.table_id(), 1000);
    assert_eq!(r.protocol(), RouteProtocol::Static);
    assert_eq!(r.scope(), RouteScope::Universe);
    assert_eq!(r.kind(), RouteType::Unicast);
    assert_eq!(r.flags(), RouteFlags(0));
    assert_eq!(r.dst(), Some(v4(192, 0, 2, 0)));
    assert_eq!(r.gateway(), Some(v4(10, 0, 0, 2)));
    assert_eq!(r.priority(), Some(7));
    assert_eq!(r.oif(), Some(3));
    assert_eq!(r.prefsrc(), None);
    assert!(r.metrics().is_none());
    assert_eq!(r.multipath().count(), 0);
    assert_eq!(r.attrs.unknown(), 0);
    assert_eq!(
        format!("{r}"),
        "192.0.2.0/24 via 10.0.0.2 dev if3 table 1000 proto static metric 7"
    );
    let named = format!(
        "{}",
        r.display_with(|i, f| (i == 3).then(|| f.write_str("v0")))
    );
    assert_eq!(
        named,
        "192.0.2.0/24 via 10.0.0.2 dev v0 table 1000 proto static metric 7"
    );
    let one_table = format!("{}", r.display_with(|_, _| None).without_table());
    assert_eq!(
        one_table,
        "192.0.2.0/24 via 10.0.0.2 dev if3 proto static metric 7"
    );
}

#[test]
fn decode_a_multipath_route_with_metrics() {
    let r = route(&V4_MULTIPATH).unwrap();
    assert_eq!(r.protocol(), RouteProtocol::Ospf);
    assert_eq!(r.table(), RouteTable::Main);
    assert_eq!(r.dst(), Some(v4(198, 51, 100, 0)));
    assert_eq!(r.oif(), None);
    let m = r.metrics().unwrap().unwrap();
    assert_eq!(m.lock(), 1 << 2);
    assert!(m.locked(MetricAttrs::MTU.ty()));
    assert!(!m.locked(MetricAttrs::ADVMSS.ty()));
    assert_eq!(m.get(2), Some(1400));
    assert_eq!(m.get(8), Some(1300));
    assert_eq!(m.cc_algo().unwrap(), "cubic");
    assert_eq!(m.values().collect::<Vec<_>>(), [(2, 1400), (8, 1300)]);
    let hops = r.nexthops::<2>().unwrap();
    assert_eq!(hops.len(), 2);
    assert_eq!((hops[0].ifindex, hops[0].weight()), (3, 1));
    assert_eq!(hops[0].gateway(), Some(v4(10, 0, 0, 2)));
    assert_eq!((hops[1].ifindex, hops[1].hops, hops[1].weight()), (2, 2, 3));
    assert_eq!(hops[1].gateway(), Some(v4(10, 1, 0, 2)));
    assert_eq!(hops[1].flags, RouteFlags(0));
    assert!(hops[1].via().is_none());
    assert_eq!(r.nexthops::<1>().unwrap_err(), Error::CapacityExceeded);
    assert_eq!(
        format!("{r}"),
        "198.51.100.0/24 proto ospf mtu lock 1400 advmss 1300 congctl cubic\n\
         \tnexthop via 10.0.0.2 dev if3 weight 1\n\
         \tnexthop via 10.1.0.2 dev if2 weight 3"
    );
}

#[test]
fn decode_blackhole_and_local() {
    let r = route(&V4_BLACKHOLE).unwrap();
    assert_eq!(r.kind(), RouteType::Blackhole);
    assert_eq!(r.protocol(), RouteProtocol::Boot);
    assert_eq!(format!("{r}"), "blackhole 203.0.113.0/24");
    let r = route(&V4_LOCAL).unwrap();
    assert_eq!(r.kind(), RouteType::Local);
    assert_eq!(r.table(), RouteTable::Local);
    assert_eq!(r.scope(), RouteScope::Host);
    assert_eq!(r.prefsrc(), Some(v4(10, 0, 0, 1)));
    assert_eq!(
        format!("{r}"),
        "local 10.0.0.1 dev if3 table local proto kernel scope host src 10.0.0.1"
    );
}

#[test]
fn decode_an_ipv6_multipath_route_with_long_cacheinfo() {
    let r = route(&V6_MULTIPATH).unwrap();
    assert_eq!(r.family(), AddressFamily::Inet6);
    assert_eq!(r.dst_len(), 48);
    let dst: Ipv6Addr = "2001:db8:5::".parse().unwrap();
    assert_eq!(r.dst(), Some(IpAddr::V6(dst)));
    assert_eq!(r.priority(), Some(1024));
    assert_eq!(r.pref(), Some(RoutePref::Medium));
    // The kernel's 32-byte struct is accepted for the spec's 20.
    assert_eq!(r.cacheinfo().unwrap(), &CacheInfo::default());
    let hops: Vec<_> = r.multipath().map(Result::unwrap).collect();
    assert_eq!(hops.len(), 2);
    let gw0: Ipv6Addr = "2001:db8::2".parse().unwrap();
    let gw1: Ipv6Addr = "2001:db8:1::2".parse().unwrap();
    assert_eq!(
        (hops[0].gateway(), hops[0].ifindex, hops[0].weight()),
        (Some(IpAddr::V6(gw0)), 3, 2)
    );
    assert_eq!(
        (hops[1].gateway(), hops[1].ifindex, hops[1].weight()),
        (Some(IpAddr::V6(gw1)), 2, 1)
    );
    assert_eq!(
        format!("{r}"),
        "2001:db8:5::/48 metric 1024 pref medium\n\
         \tnexthop via 2001:db8::2 dev if3 weight 2\n\
         \tnexthop via 2001:db8:1::2 dev if2 weight 1"
    );
}

#[test]
fn every_cut_is_an_error_or_fewer_attributes() {
    for vector in [
        &V4_TABLE_1000[..],
        &V4_MULTIPATH,
        &V4_BLACKHOLE,
        &V6_MULTIPATH,
    ] {
        for n in 0..vector.len() {
            let mut bytes = Vec::from(&vector[..n]);
            if n >= 4 {
                bytes[..4].copy_from_slice(&(n as u32).to_ne_bytes());
            }
            if let Ok(r) = route(&bytes) {
                let _ = format!("{r}");
                let _ = r.nexthops::<4>();
            }
        }
    }
    let short = {
        let mut b = Vec::from(&V4_BLACKHOLE[..24]);
        b[0] = 24;
        b
    };
    assert_eq!(route(&short).unwrap_err(), Error::Truncated);
    let mut other = V4_BLACKHOLE;
    other[4] = 16; // RTM_NEWLINK
    assert_eq!(route(&other).unwrap_err(), Error::UnexpectedType { ty: 16 });
}

#[test]
fn malformed_next_hops_are_one_error_then_the_end() {
    // rtnh_len 4: shorter than struct rtnexthop.
    let bad = [0x04, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00];
    let mut hops = NextHops::new(&bad);
    assert_eq!(hops.next().unwrap().unwrap_err(), Error::BadLength);
    assert!(hops.next().is_none());
    // rtnh_len 16 with only 8 bytes.
    let cut = [0x10, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00];
    assert_eq!(
        NextHops::new(&cut).next().unwrap().unwrap_err(),
        Error::Truncated
    );
    // Half a header.
    assert_eq!(
        NextHops::new(&cut[..4]).next().unwrap().unwrap_err(),
        Error::Truncated
    );
    // A bad gateway length inside an entry.
    #[rustfmt::skip]
    let bad_gw = [
        0x0e, 0x00, 0x04, 0x00, // rtnh_len = 14, flags = onlink, hops = 0
        0x03, 0x00, 0x00, 0x00, // rtnh_ifindex = 3
        0x06, 0x00, 0x05, 0x00, //   nla_len = 6, RTA_GATEWAY (2 bytes: bad)
        0x0a, 0x00, 0x00, 0x00, //   + padding
    ];
    assert_eq!(
        NextHops::new(&bad_gw).next().unwrap().unwrap_err(),
        Error::BadAttrLength { ty: 5, len: 2 }
    );
}

#[test]
fn via_gateways() {
    #[rustfmt::skip]
    let payload = [
        0x0a, 0x00,             // family = AF_INET6
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // fe80::1
    ];
    let via = Via::parse(&payload).unwrap();
    assert_eq!(via.address_family(), AddressFamily::Inet6);
    assert_eq!(via.ip(), Some("fe80::1".parse().unwrap()));
    assert_eq!(Via::parse(&[0x02]).unwrap_err(), Error::Truncated);
}

#[test]
fn value_sets_convert_both_ways() {
    for raw in 0..=u8::MAX {
        assert_eq!(u8::from(RouteType::from(raw)), raw);
        assert_eq!(u8::from(RouteProtocol::from(raw)), raw);
        assert_eq!(u8::from(RouteScope::from(raw)), raw);
        assert_eq!(u8::from(RoutePref::from(raw)), raw);
    }
    for raw in [0u32, 1, 252, 253, 254, 255, 256, 1000, u32::MAX] {
        assert_eq!(u32::from(RouteTable::from(raw)), raw);
    }
    // linux/rtnetlink.h
    assert_eq!(u8::from(RouteType::Unicast), 1);
    assert_eq!(u8::from(RouteType::Blackhole), 6);
    assert_eq!(u8::from(RouteType::Xresolve), 11);
    assert_eq!(u8::from(RouteProtocol::Kernel), 2);
    assert_eq!(u8::from(RouteProtocol::Dhcp), 16);
    assert_eq!(u8::from(RouteProtocol::Bgp), 186);
    assert_eq!(u8::from(RouteScope::Link), 253);
    assert_eq!(u32::from(RouteTable::Main), 254);
    assert_eq!(RouteType::from(12), RouteType::Unknown(12));
    assert_eq!(RouteProtocol::from(77), RouteProtocol::Unknown(77));
}

#[test]
fn names_read_like_ip() {
    assert_eq!(format!("{}", RouteType::Unreachable), "unreachable");
    assert_eq!(format!("{}", RouteType::Unknown(40)), "40");
    assert_eq!(RouteType::from_name("prohibit"), Some(RouteType::Prohibit));
    assert_eq!(format!("{}", RouteProtocol::Ra), "ra");
    assert_eq!(format!("{}", RouteProtocol::Unknown(77)), "77");
    assert_eq!(RouteProtocol::from_name("bgp"), Some(RouteProtocol::Bgp));
    assert_eq!(
        RouteProtocol::from_name("77"),
        Some(RouteProtocol::Unknown(77))
    );
    assert_eq!(RouteProtocol::from_name("nope"), None);
    assert_eq!(format!("{}", RouteScope::Universe), "global");
    assert_eq!(format!("{}", RouteScope::Unknown(7)), "7");
    assert_eq!(RouteScope::from_name("link"), Some(RouteScope::Link));
    assert_eq!(format!("{}", RouteTable::Default), "default");
    assert_eq!(format!("{}", RouteTable::Unknown(1000)), "1000");
    assert_eq!(RouteTable::from_name("local"), Some(RouteTable::Local));
    assert_eq!(
        RouteTable::from_name("5000"),
        Some(RouteTable::Unknown(5000))
    );
    assert_eq!(format!("{}", RoutePref::High), "high");
    let flags = RouteFlags(
        RouteFlags::ONLINK | RouteFlags::DEAD | RouteFlags::LINKDOWN | RouteFlags::RT_OFFLOAD,
    );
    assert_eq!(format!("{flags}"), "dead onlink linkdown rt_offload");
    assert_eq!(RouteFlags::from_name("onlink"), Some(4));
    assert_eq!(RouteFlags(0x1000).names().count(), 0);
}

#[test]
fn dump_requests() {
    let mut buf = [0xa5u8; 48];
    let request = dump_routes(&mut buf, 9, &DumpFilter::family(AddressFamily::Inet6)).unwrap();
    #[rustfmt::skip]
    let want: [u8; 28] = [
        0x1c, 0x00, 0x00, 0x00, // nlmsg_len = 28
        0x1a, 0x00,             // nlmsg_type = RTM_GETROUTE
        0x01, 0x03,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
        0x09, 0x00, 0x00, 0x00, // nlmsg_seq = 9
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x0a, 0x00, 0x00, 0x00, // rtm_family = AF_INET6, dst_len, src_len, tos = 0
        0x00, 0x00, 0x00, 0x00, // rtm_table, protocol, scope, type = 0
        0x00, 0x00, 0x00, 0x00, // rtm_flags = 0
    ];
    assert_eq!(request, &want[..]);
    assert_eq!(&buf[28..], &[0xa5; 20]);

    let filter = DumpFilter {
        family: 2,
        table: Some(1000),
        protocol: Some(RouteProtocol::Static),
        kind: Some(RouteType::Unicast),
        oif: Some(3),
    };
    let mut buf = [0xa5u8; 48];
    let request = dump_routes(&mut buf, 10, &filter).unwrap();
    #[rustfmt::skip]
    let want: [u8; 44] = [
        0x2c, 0x00, 0x00, 0x00, // nlmsg_len = 44
        0x1a, 0x00,             // nlmsg_type = RTM_GETROUTE
        0x01, 0x03,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
        0x0a, 0x00, 0x00, 0x00, // nlmsg_seq = 10
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x02, 0x00, 0x00, 0x00, // rtm_family = AF_INET
        0x00, 0x04, 0x00, 0x01, // rtm_table = 0, protocol = static, scope = 0, type = unicast
        0x00, 0x00, 0x00, 0x00, // rtm_flags = 0
        0x08, 0x00, 0x0f, 0x00, // nla_len = 8, RTA_TABLE
        0xe8, 0x03, 0x00, 0x00, //   1000
        0x08, 0x00, 0x04, 0x00, // nla_len = 8, RTA_OIF
        0x03, 0x00, 0x00, 0x00, //   3
    ];
    assert_eq!(request, &want[..]);
}

const HOPS: [NextHopSpec; 2] = [
    NextHopSpec {
        gateway: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))),
        ifindex: 3,
        weight: 1,
        flags: 0,
    },
    NextHopSpec {
        gateway: Some(IpAddr::V4(Ipv4Addr::new(10, 1, 0, 2))),
        ifindex: 2,
        weight: 3,
        flags: 0,
    },
];

fn multipath_spec() -> RouteSpec<'static> {
    RouteSpec {
        dst: Some(v4(198, 51, 100, 0)),
        dst_len: 24,
        table: 1000,
        protocol: RouteProtocol::Ospf,
        priority: Some(5),
        metrics: MetricsSpec {
            lock: 1 << 2,
            values: &[(2, 1400)],
            cc_algo: Some("cubic"),
        },
        nexthops: &HOPS,
        ..RouteSpec::new(AddressFamily::Inet)
    }
}

#[test]
fn new_route_request() {
    let spec = multipath_spec();
    let mut buf = [0xa5u8; 160];
    let request = new_route(&mut buf, 7, Flags::CREATE | Flags::EXCL, &spec).unwrap();
    #[rustfmt::skip]
    let want: [u8; 120] = [
        0x78, 0x00, 0x00, 0x00, // nlmsg_len = 120
        0x18, 0x00,             // nlmsg_type = RTM_NEWROUTE
        0x05, 0x06,             // nlmsg_flags = REQUEST | ACK | EXCL | CREATE
        0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x02, 0x18, 0x00, 0x00, // rtm_family = AF_INET, dst_len = 24, src_len = 0, tos = 0
        0x00, 0xbc, 0x00, 0x01, // rtm_table = 0 (see RTA_TABLE), protocol = ospf, scope = universe, type = unicast
        0x00, 0x00, 0x00, 0x00, // rtm_flags = 0
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, RTA_DST
        0xc6, 0x33, 0x64, 0x00, //   198.51.100.0
        0x08, 0x00, 0x0f, 0x00, // nla_len = 8, RTA_TABLE
        0xe8, 0x03, 0x00, 0x00, //   1000
        0x08, 0x00, 0x06, 0x00, // nla_len = 8, RTA_PRIORITY
        0x05, 0x00, 0x00, 0x00, //   5
        0x20, 0x00, 0x08, 0x80, // nla_len = 32, RTA_METRICS | NLA_F_NESTED
        0x08, 0x00, 0x01, 0x00, //   nla_len = 8, RTAX_LOCK
        0x04, 0x00, 0x00, 0x00, //     1 << RTAX_MTU
        0x08, 0x00, 0x02, 0x00, //   nla_len = 8, RTAX_MTU
        0x78, 0x05, 0x00, 0x00, //     1400
        0x0a, 0x00, 0x10, 0x00, //   nla_len = 10, RTAX_CC_ALGO
        b'c', b'u', b'b', b'i', //     "cubic\0"
        b'c', 0x00, 0x00, 0x00, //     + 2 padding
        0x24, 0x00, 0x09, 0x00, // nla_len = 36, RTA_MULTIPATH
        0x10, 0x00, 0x00, 0x00, //   rtnh_len = 16, flags = 0, hops = 0 (weight 1)
        0x03, 0x00, 0x00, 0x00, //   rtnh_ifindex = 3
        0x08, 0x00, 0x05, 0x00, //     nla_len = 8, RTA_GATEWAY
        0x0a, 0x00, 0x00, 0x02, //       10.0.0.2
        0x10, 0x00, 0x00, 0x02, //   rtnh_len = 16, flags = 0, hops = 2 (weight 3)
        0x02, 0x00, 0x00, 0x00, //   rtnh_ifindex = 2
        0x08, 0x00, 0x05, 0x00, //     nla_len = 8, RTA_GATEWAY
        0x0a, 0x01, 0x00, 0x02, //       10.1.0.2
    ];
    assert_eq!(request, &want[..]);
    assert_eq!(&buf[120..], &[0xa5; 40]);

    // What was built decodes back to the same route.
    let r = route(&want).unwrap();
    assert_eq!(r.table_id(), 1000);
    assert_eq!(r.protocol(), RouteProtocol::Ospf);
    assert_eq!(r.metrics().unwrap().unwrap().get(2), Some(1400));
    let hops = r.nexthops::<2>().unwrap();
    assert_eq!((hops[1].ifindex, hops[1].weight()), (2, 3));
}

#[test]
fn del_route_and_a_gateway_of_another_family() {
    let gw: Ipv6Addr = "fe80::1".parse().unwrap();
    let spec = RouteSpec {
        dst: Some(v4(192, 0, 2, 0)),
        dst_len: 24,
        gateway: Some(IpAddr::V6(gw)),
        oif: Some(3),
        protocol: RouteProtocol::Unspec,
        scope: RouteScope::Nowhere,
        kind: RouteType::Unspec,
        ..RouteSpec::new(AddressFamily::Inet)
    };
    let mut buf = [0xa5u8; 80];
    let request = del_route(&mut buf, 8, &spec).unwrap();
    #[rustfmt::skip]
    let want: [u8; 68] = [
        0x44, 0x00, 0x00, 0x00, // nlmsg_len = 68
        0x19, 0x00,             // nlmsg_type = RTM_DELROUTE
        0x05, 0x00,             // nlmsg_flags = REQUEST | ACK
        0x08, 0x00, 0x00, 0x00, // nlmsg_seq = 8
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x02, 0x18, 0x00, 0x00, // rtm_family = AF_INET, dst_len = 24
        0xfe, 0x00, 0xff, 0x00, // rtm_table = main, protocol = unspec, scope = nowhere, type = unspec
        0x00, 0x00, 0x00, 0x00, // rtm_flags = 0
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, RTA_DST
        0xc0, 0x00, 0x02, 0x00, //   192.0.2.0
        0x16, 0x00, 0x12, 0x00, // nla_len = 22, RTA_VIA
        0x0a, 0x00, 0xfe, 0x80, //   family = AF_INET6, fe80::1
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, //   + 2 padding
        0x08, 0x00, 0x04, 0x00, // nla_len = 8, RTA_OIF
        0x03, 0x00, 0x00, 0x00, //   3
    ];
    assert_eq!(request, &want[..]);
    let r = route(&want).unwrap();
    let via = r.via().unwrap().unwrap();
    assert_eq!(via.ip(), Some(IpAddr::V6(gw)));
}

#[test]
fn requests_without_room_write_nothing_and_report_the_total() {
    let spec = multipath_spec();
    let filter = DumpFilter {
        table: Some(7),
        oif: Some(1),
        ..DumpFilter::family(AddressFamily::Inet)
    };
    type Build<'s> = &'s dyn Fn(&mut [u8]) -> Result<usize, Error>;
    let builders: [(Build<'_>, usize); 3] = [
        (&|b| dump_routes(b, 1, &filter).map(<[u8]>::len), 44),
        (
            &|b| new_route(b, 1, Flags::CREATE, &spec).map(<[u8]>::len),
            120,
        ),
        (&|b| del_route(b, 1, &spec).map(<[u8]>::len), 120),
    ];
    for (build, total) in builders {
        let mut buf = std::vec![0xa5u8; total];
        assert_eq!(build(&mut buf).unwrap(), total);
        for cap in 0..total {
            let mut buf = std::vec![0xa5u8; cap];
            assert_eq!(
                build(&mut buf).unwrap_err(),
                Error::NoRoom { needed: total }
            );
            assert!(buf.iter().all(|&b| b == 0xa5), "{cap}: nothing written");
        }
    }
}

#[test]
fn bad_weights_and_names_write_nothing() {
    let zero = [NextHopSpec {
        gateway: None,
        ifindex: 1,
        weight: 0,
        flags: 0,
    }];
    let heavy = [NextHopSpec {
        weight: 257,
        ..zero[0]
    }];
    for hops in [&zero[..], &heavy] {
        let spec = RouteSpec {
            nexthops: hops,
            ..RouteSpec::new(AddressFamily::Inet)
        };
        let mut buf = [0xa5u8; 64];
        assert_eq!(
            new_route(&mut buf, 1, Flags::CREATE, &spec).unwrap_err(),
            Error::BadPayload { ty: 9 }
        );
        assert_eq!(buf, [0xa5; 64]);
    }
    let spec = RouteSpec {
        metrics: MetricsSpec {
            cc_algo: Some("a_name_longer_than_15"),
            ..MetricsSpec::default()
        },
        ..RouteSpec::new(AddressFamily::Inet)
    };
    let mut buf = [0xa5u8; 64];
    assert_eq!(
        new_route(&mut buf, 1, Flags::CREATE, &spec).unwrap_err(),
        Error::BadAttrLength { ty: 16, len: 22 }
    );
    assert_eq!(buf, [0xa5; 64]);
}

#[test]
fn arbitrary_bytes_never_panic() {
    // xorshift: deterministic pseudo-random input.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..20_000 {
        let base: &[u8] = match round % 3 {
            0 => &V4_MULTIPATH,
            1 => &V6_MULTIPATH,
            _ => &V4_TABLE_1000,
        };
        let mut bytes = Vec::from(base);
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % bytes.len();
            bytes[at] = next() as u8;
        }
        if let Ok(r) = route(&bytes) {
            let _ = format!("{r}");
            let _ = r.nexthops::<8>();
            for hop in r.multipath() {
                let _ = hop.map(|h| (h.gateway(), h.via(), h.weight()));
            }
            if let Some(Ok(m)) = r.metrics() {
                let _ = (m.values().count(), m.cc_algo(), m.lock());
            }
        }
        let _ = NextHops::new(&bytes[28..]).count();
    }
}

#[test]
fn ipv6_requests_decode_back() {
    let hops = [NextHopSpec {
        gateway: Some("2001:db8::2".parse().unwrap()),
        ifindex: 4,
        weight: 256,
        flags: RouteFlags::ONLINK as u8,
    }];
    let spec = RouteSpec {
        dst: Some("2001:db8:5::".parse().unwrap()),
        dst_len: 48,
        table: 5000,
        priority: Some(100),
        prefsrc: Some("2001:db8::1".parse().unwrap()),
        pref: Some(RoutePref::High),
        nexthops: &hops,
        ..RouteSpec::new(AddressFamily::Inet6)
    };
    let mut buf = [0u8; 256];
    let bytes = new_route(&mut buf, 1, Flags::CREATE | Flags::REPLACE, &spec).unwrap();
    let msg = Message::parse(bytes).unwrap();
    assert_eq!(
        msg.flags(),
        Flags::REQUEST | Flags::ACK | Flags::CREATE | Flags::REPLACE
    );
    let r = Route::parse(&msg).unwrap();
    assert_eq!(r.family(), AddressFamily::Inet6);
    assert_eq!(r.dst(), spec.dst);
    assert_eq!(r.header.table, 0);
    assert_eq!(r.table_id(), 5000);
    assert_eq!(r.priority(), Some(100));
    assert_eq!(r.prefsrc(), spec.prefsrc);
    assert_eq!(r.pref(), Some(RoutePref::High));
    let hop = r.nexthops::<1>().unwrap()[0];
    assert_eq!((hop.weight(), hop.hops, hop.ifindex), (256, 255, 4));
    assert_eq!(hop.flags, RouteFlags(RouteFlags::ONLINK));
    assert_eq!(hop.gateway(), hops[0].gateway);
}

#[test]
fn lookup_requests() {
    let mut buf = [0xa5u8; 48];
    let query = RouteQuery::to(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 9)));
    let request = get_route(&mut buf, 11, &query).unwrap();
    #[rustfmt::skip]
    let want: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
        0x1a, 0x00,             // nlmsg_type = RTM_GETROUTE
        0x05, 0x00,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK (no DUMP)
        0x0b, 0x00, 0x00, 0x00, // nlmsg_seq = 11
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x02, 0x20, 0x00, 0x00, // rtm_family = AF_INET, dst_len = 32, src_len = 0, tos = 0
        0x00, 0x00, 0x00, 0x00, // rtm_table, protocol, scope, type = 0
        0x00, 0x10, 0x00, 0x00, // rtm_flags = RTM_F_LOOKUP_TABLE (0x1000)
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, RTA_DST
        0xc0, 0x00, 0x02, 0x09, //   192.0.2.9
    ];
    assert_eq!(request, &want[..]);
    assert_eq!(&buf[36..], &[0xa5; 12]);

    let query = RouteQuery {
        src: Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
        oif: Some(3),
        mark: Some(0x10),
        fib_match: true,
        ..RouteQuery::to(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9)))
    };
    let mut buf = [0xa5u8; 96];
    let request = get_route(&mut buf, 12, &query).unwrap();
    #[rustfmt::skip]
    let want: [u8; 84] = [
        0x54, 0x00, 0x00, 0x00, // nlmsg_len = 84
        0x1a, 0x00,             // nlmsg_type = RTM_GETROUTE
        0x05, 0x00,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x0c, 0x00, 0x00, 0x00, // nlmsg_seq = 12
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x0a, 0x80, 0x80, 0x00, // rtm_family = AF_INET6, dst_len = 128, src_len = 128, tos = 0
        0x00, 0x00, 0x00, 0x00, // rtm_table, protocol, scope, type = 0
        0x00, 0x30, 0x00, 0x00, // rtm_flags = RTM_F_LOOKUP_TABLE | RTM_F_FIB_MATCH
        0x14, 0x00, 0x01, 0x00, // nla_len = 20, RTA_DST
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x09, // 2001:db8::9
        0x14, 0x00, 0x02, 0x00, // nla_len = 20, RTA_SRC
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // ::1
        0x08, 0x00, 0x04, 0x00, // nla_len = 8, RTA_OIF
        0x03, 0x00, 0x00, 0x00, //   3
        0x08, 0x00, 0x10, 0x00, // nla_len = 8, RTA_MARK
        0x10, 0x00, 0x00, 0x00, //   0x10
    ];
    assert_eq!(request, &want[..]);
    assert_eq!(&buf[84..], &[0xa5; 12]);

    for cap in 0..84 {
        let mut buf = std::vec![0xa5u8; cap];
        assert_eq!(
            get_route(&mut buf, 12, &query),
            Err(Error::NoRoom { needed: 84 })
        );
        assert!(buf.iter().all(|&b| b == 0xa5), "{cap}: nothing written");
    }
    let mixed = RouteQuery {
        src: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        ..query
    };
    let mut buf = [0xa5u8; 96];
    assert_eq!(
        get_route(&mut buf, 12, &mixed),
        Err(Error::BadPayload { ty: 2 })
    );
    assert_eq!(buf, [0xa5; 96]);
}
