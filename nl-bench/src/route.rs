//! Route table dumps, as `RTM_GETROUTE` with `NLM_F_DUMP` returns them on
//! this kernel (6.18), modelled on captured replies: a BGP-like table where
//! most routes have one gateway, some are ECMP (`RTA_MULTIPATH`, 2–4 next
//! hops) and some carry metrics (`RTA_METRICS`).
//!
//! Attribute order, as `fib_dump_info` (IPv4) and `rt6_fill_node` (IPv6)
//! write it:
//!
//! ```text
//! IPv4: rtmsg | TABLE | DST | PRIORITY | [METRICS] | [PREFSRC] | GATEWAY, OIF or MULTIPATH
//! IPv6: rtmsg | TABLE | DST | [METRICS] | PRIORITY | GATEWAY, OIF or MULTIPATH | CACHEINFO | PREF
//! ```
//!
//! The kernel writes `RTA_METRICS` without `NLA_F_NESTED`, and a 32-byte
//! `rta_cacheinfo` (zeros for routes a daemon installed); so do these.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nl_core::nlmsg::{Flags, Header};
use nl_core::route::RTM_NEWROUTE;
use nl_core::route::route::{MetricAttrs, RouteAttrs, RtMsg};
use nl_core::{Error, Writer};

use crate::{Dump, pack};

/// Sequence number and port id written in every generated message.
pub const SEQ: u32 = 7;
/// See [`SEQ`].
pub const PORT: u32 = 4242;

/// `AF_INET`.
pub const AF_INET: u8 = 2;
/// `AF_INET6`.
pub const AF_INET6: u8 = 10;
/// `RT_TABLE_MAIN`.
pub const TABLE_MAIN: u8 = 254;
/// `RTPROT_BGP`.
pub const PROTO_BGP: u8 = 186;
/// `RTN_UNICAST`.
pub const TYPE_UNICAST: u8 = 1;
/// The priority (`metric`) every generated route has.
pub const PRIORITY: u32 = 20;
/// Length of the `rta_cacheinfo` this kernel sends (with `rta_id`, `rta_ts`, `rta_tsage`).
pub const CACHEINFO_LEN: usize = 32;

/// One next hop of a generated multipath route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenHop {
    /// Gateway, of the route's family.
    pub gateway: IpAddr,
    /// Output interface.
    pub ifindex: u32,
    /// Weight, 1..=256 (`rtnh_hops + 1`).
    pub weight: u16,
}

/// How a generated route leaves the box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GenPath {
    /// One gateway (`RTA_GATEWAY` and `RTA_OIF`).
    Single {
        /// Gateway.
        gateway: IpAddr,
        /// Output interface.
        oif: u32,
    },
    /// ECMP (`RTA_MULTIPATH`).
    Multi(Vec<GenHop>),
}

/// What generated route number `i` says: the intended values the tests
/// compare a decode with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenRoute {
    /// Destination prefix.
    pub dst: IpAddr,
    /// Destination prefix length.
    pub dst_len: u8,
    /// Gateway(s).
    pub path: GenPath,
    /// Metrics as (`RTAX_*`, value), empty for most routes.
    pub metrics: Vec<(u16, u32)>,
    /// Preferred source, set by the daemon on some IPv4 routes.
    pub prefsrc: Option<IpAddr>,
}

impl GenRoute {
    /// `AF_INET` or `AF_INET6`, from the destination.
    pub fn family(&self) -> u8 {
        if self.dst.is_ipv4() {
            AF_INET
        } else {
            AF_INET6
        }
    }
}

/// Peer (BGP neighbour) `k` of 8: its address in `family` and its interface.
fn peer(v6: bool, k: usize) -> (IpAddr, u32) {
    let k = k % 8;
    let addr = if v6 {
        IpAddr::V6(Ipv6Addr::new(
            0x2001,
            0xdb8,
            0xffff,
            0,
            0,
            0,
            0,
            k as u16 + 1,
        ))
    } else {
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, k as u8 + 1))
    };
    (addr, 2 + (k % 4) as u32)
}

/// The path and metrics of route `i`: 15% ECMP with 2–4 next hops, 10%
/// with metrics, the rest one gateway.
fn shape(v6: bool, i: usize) -> (GenPath, Vec<(u16, u32)>) {
    let path = if i % 20 < 3 {
        let hops = (0..2 + (i / 20) % 3)
            .map(|h| {
                let (gateway, ifindex) = peer(v6, i + h);
                GenHop {
                    gateway,
                    ifindex,
                    weight: 1 + (h % 2) as u16,
                }
            })
            .collect();
        GenPath::Multi(hops)
    } else {
        let (gateway, oif) = peer(v6, i);
        GenPath::Single { gateway, oif }
    };
    let metrics = match i % 20 {
        3 if v6 => vec![(MetricAttrs::MTU.ty(), 1400)],
        3 => vec![
            (MetricAttrs::MTU.ty(), 1400),
            (MetricAttrs::ADVMSS.ty(), 1360),
        ],
        4 => vec![
            (MetricAttrs::MTU.ty(), 1280),
            (MetricAttrs::HOPLIMIT.ty(), 64),
        ],
        _ => Vec::new(),
    };
    (path, metrics)
}

/// IPv4 route `i`: a /24 (distinct for every `i` below 2^24).
pub fn v4_route(i: usize) -> GenRoute {
    let (path, metrics) = shape(false, i);
    GenRoute {
        dst: IpAddr::V4(Ipv4Addr::from(0x0100_0000u32.wrapping_add((i as u32) << 8))),
        dst_len: 24,
        path,
        metrics,
        prefsrc: (i % 4 == 1).then_some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 100))),
    }
}

/// IPv6 route `i`: a /48 (distinct for every `i` below 2^32).
pub fn v6_route(i: usize) -> GenRoute {
    let (path, metrics) = shape(true, i);
    let n = i as u32;
    GenRoute {
        dst: IpAddr::V6(Ipv6Addr::new(
            0x2a00 | (n >> 16) as u16,
            n as u16,
            0,
            0,
            0,
            0,
            0,
            0,
        )),
        dst_len: 48,
        path,
        metrics,
        prefsrc: None,
    }
}

/// Appends `route` as the kernel dumps it; on failure the writer is as it was.
pub fn write_route(w: &mut Writer<'_>, route: &GenRoute) -> Result<(), Error> {
    w.all_or_nothing(|w| put_route(w, route))
}

fn put_route(w: &mut Writer<'_>, route: &GenRoute) -> Result<(), Error> {
    let v6 = route.family() == AF_INET6;
    let header = Header::new(RTM_NEWROUTE, Flags::MULTI, SEQ, PORT);
    let rtmsg = RtMsg {
        family: route.family(),
        dst_len: route.dst_len,
        table: TABLE_MAIN,
        protocol: PROTO_BGP,
        ty: TYPE_UNICAST,
        ..RtMsg::default()
    };
    let start = w.begin_message_with(header, &rtmsg)?;
    w.put(RouteAttrs::TABLE, u32::from(TABLE_MAIN))?;
    w.put(RouteAttrs::DST, route.dst)?;
    if !v6 {
        w.put(RouteAttrs::PRIORITY, PRIORITY)?;
    }
    put_metrics(w, &route.metrics)?;
    if let Some(prefsrc) = route.prefsrc {
        w.put(RouteAttrs::PREFSRC, prefsrc)?;
    }
    if v6 {
        w.put(RouteAttrs::PRIORITY, PRIORITY)?;
    }
    match &route.path {
        GenPath::Single { gateway, oif } => {
            w.put(RouteAttrs::GATEWAY, *gateway)?;
            w.put(RouteAttrs::OIF, *oif)?;
        }
        GenPath::Multi(hops) => put_multipath(w, hops)?,
    }
    if v6 {
        w.attr(RouteAttrs::CACHEINFO.ty(), &[0; CACHEINFO_LEN])?;
        w.put(RouteAttrs::PREF, 0)?;
    }
    w.end_message(start)?;
    Ok(())
}

/// `RTA_METRICS` as the kernel writes it: no `NLA_F_NESTED`, u32 values.
fn put_metrics(w: &mut Writer<'_>, metrics: &[(u16, u32)]) -> Result<(), Error> {
    if metrics.is_empty() {
        return Ok(());
    }
    let payload = w.attr_with(RouteAttrs::METRICS.ty(), metrics.len() * 8)?;
    let mut inner = Writer::new(payload);
    for (ty, value) in metrics {
        inner.attr(*ty, &value.to_ne_bytes())?;
    }
    Ok(())
}

/// `RTA_MULTIPATH`: per hop a `struct rtnexthop` then its `RTA_GATEWAY`.
///
/// ```text
/// +----------+-------+------+-----------+------------------------+
/// | len (16) | flags | hops | ifindex   | RTA_GATEWAY (8 or 20)  |  ... next hop
/// +----------+-------+------+-----------+------------------------+
/// ```
fn put_multipath(w: &mut Writer<'_>, hops: &[GenHop]) -> Result<(), Error> {
    let gateway_space = |gw: &IpAddr| if gw.is_ipv4() { 8 } else { 20 };
    let len = hops.iter().map(|h| 8 + gateway_space(&h.gateway)).sum();
    let payload = w.attr_with(RouteAttrs::MULTIPATH.ty(), len)?;
    let mut inner = Writer::new(payload);
    for hop in hops {
        let hop_len = 8 + gateway_space(&hop.gateway) as u16;
        let [len0, len1] = hop_len.to_ne_bytes();
        let [if0, if1, if2, if3] = hop.ifindex.to_ne_bytes();
        // rtnh_len, rtnh_flags, rtnh_hops (weight - 1), rtnh_ifindex.
        let rtnh = [len0, len1, 0, (hop.weight - 1) as u8, if0, if1, if2, if3];
        inner.put_bytes(&rtnh)?;
        inner.put(RouteAttrs::GATEWAY, hop.gateway)?;
    }
    Ok(())
}

/// A dump of `count` IPv4 routes, packed into datagrams, ending with `NLMSG_DONE`.
pub fn route_dump_v4(count: usize) -> Dump {
    pack(count, SEQ, PORT, |w, i| write_route(w, &v4_route(i)))
}

/// A dump of `count` IPv6 routes, packed into datagrams, ending with `NLMSG_DONE`.
pub fn route_dump_v6(count: usize) -> Dump {
    pack(count, SEQ, PORT, |w, i| write_route(w, &v6_route(i)))
}

#[cfg(test)]
mod tests {
    use nl_core::nlmsg::{Messages, Reply};
    use nl_core::route::route::Route;

    use super::*;

    /// Decodes every data message of `dump` with nl-core.
    fn for_each_route(dump: &Dump, mut f: impl FnMut(usize, Route<'_>)) -> usize {
        let mut n = 0;
        for datagram in &dump.datagrams {
            assert!(datagram.len() <= crate::DATAGRAM_LEN);
            for message in Messages::new(datagram) {
                let message = message.expect("well-formed message");
                if let Reply::Data(message) = Reply::classify(message).expect("classified") {
                    f(n, Route::parse(&message).expect("a route"));
                    n += 1;
                }
            }
        }
        n
    }

    fn check(route: &Route<'_>, want: &GenRoute) {
        assert_eq!(u8::from(route.family()), want.family());
        assert_eq!(route.dst(), Some(want.dst));
        assert_eq!(route.dst_len(), want.dst_len);
        assert_eq!(route.table_id(), 254);
        assert_eq!(u8::from(route.protocol()), 186);
        assert_eq!(u8::from(route.kind()), 1);
        assert_eq!(route.priority(), Some(20));
        assert_eq!(route.prefsrc(), want.prefsrc);
        match &want.path {
            GenPath::Single { gateway, oif } => {
                assert_eq!(route.gateway(), Some(*gateway));
                assert_eq!(route.oif(), Some(*oif));
                assert_eq!(route.multipath().count(), 0);
            }
            GenPath::Multi(hops) => {
                assert_eq!(route.gateway(), None);
                let got: Vec<GenHop> = route
                    .multipath()
                    .map(|hop| {
                        let hop = hop.expect("a next hop");
                        GenHop {
                            gateway: hop.gateway().expect("hop gateway"),
                            ifindex: hop.ifindex,
                            weight: hop.weight(),
                        }
                    })
                    .collect();
                assert_eq!(&got, hops);
            }
        }
        match route.metrics() {
            None => assert!(want.metrics.is_empty()),
            Some(metrics) => {
                let got: Vec<(u16, u32)> = metrics.expect("metrics").values().collect();
                assert_eq!(got, want.metrics);
            }
        }
        if want.family() == AF_INET6 {
            assert_eq!(route.cacheinfo().map(|c| c.expires.get()), Some(0));
            assert_eq!(route.pref().map(u8::from), Some(0));
        } else {
            assert!(route.cacheinfo().is_none());
        }
    }

    #[test]
    fn v4_dump_parses_back_to_the_intended_routes() {
        let dump = route_dump_v4(1000);
        assert_eq!(dump.messages, 1000);
        let n = for_each_route(&dump, |i, route| check(&route, &v4_route(i)));
        assert_eq!(n, 1000);
        assert!(
            dump.datagrams.len() > 1,
            "1000 routes span several datagrams"
        );
    }

    #[test]
    fn v6_dump_parses_back_to_the_intended_routes() {
        let dump = route_dump_v6(1000);
        let n = for_each_route(&dump, |i, route| check(&route, &v6_route(i)));
        assert_eq!(n, 1000);
    }

    #[test]
    fn the_mix_has_ecmp_metrics_and_prefsrc() {
        let routes: Vec<GenRoute> = (0..100).map(v4_route).collect();
        let ecmp = routes
            .iter()
            .filter(|r| matches!(&r.path, GenPath::Multi(h) if (2..=4).contains(&h.len())))
            .count();
        assert_eq!(ecmp, 15);
        assert_eq!(routes.iter().filter(|r| !r.metrics.is_empty()).count(), 10);
        assert_eq!(routes.iter().filter(|r| r.prefsrc.is_some()).count(), 25);
    }

    #[test]
    fn a_single_gateway_route_has_the_kernels_bytes() {
        // Route 6 (one gateway), against a reply captured from `ip route`
        // (192.0.2.0/24 via 10.0.0.2 dev 3 proto bgp metric 20) with the
        // destination, gateway and interface swapped for route 6's.
        let dump = pack(1, SEQ, PORT, |w, _| write_route(w, &v4_route(6)));
        let message = &dump.datagrams[0][..68];
        #[rustfmt::skip]
        let want: [u8; 68] = [
            68, 0, 0, 0, 24, 0, 2, 0, 7, 0, 0, 0, 0x92, 0x10, 0, 0, // nlmsghdr: len 68, NEWROUTE, MULTI, seq 7, port 4242
            2, 24, 0, 0, 254, 186, 0, 1, 0, 0, 0, 0,                // rtmsg: inet /24, main, bgp, universe, unicast
            8, 0, 15, 0, 254, 0, 0, 0,                              // RTA_TABLE 254
            8, 0, 1, 0, 1, 0, 6, 0,                                 // RTA_DST 1.0.6.0
            8, 0, 6, 0, 20, 0, 0, 0,                                // RTA_PRIORITY 20
            8, 0, 5, 0, 10, 0, 0, 7,                                // RTA_GATEWAY 10.0.0.7
            8, 0, 4, 0, 4, 0, 0, 0,                                 // RTA_OIF 4
        ];
        assert_eq!(message, &want[..]);
    }

    #[test]
    fn an_ecmp_v6_route_has_the_kernels_layout() {
        // Route 0 (two next hops), laid out as a captured reply for
        // `2001:db8:2::/48 proto bgp metric 20 nexthop via … nexthop via …`
        // with route 0's prefix, gateways, interfaces and weights.
        let dump = pack(1, SEQ, PORT, |w, _| write_route(w, &v6_route(0)));
        let message = &dump.datagrams[0][..168];
        let gw = |last| Ipv6Addr::new(0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, last).octets();
        #[rustfmt::skip]
        let mut want = vec![
            168, 0, 0, 0, 24, 0, 2, 0, 7, 0, 0, 0, 0x92, 0x10, 0, 0, // nlmsghdr: len 168, NEWROUTE, MULTI
            10, 48, 0, 0, 254, 186, 0, 1, 0, 0, 0, 0,                // rtmsg: inet6 /48, main, bgp, unicast
            8, 0, 15, 0, 254, 0, 0, 0,                               // RTA_TABLE 254
            20, 0, 1, 0, 0x2a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // RTA_DST 2a00::
            8, 0, 6, 0, 20, 0, 0, 0,                                 // RTA_PRIORITY 20
            60, 0, 9, 0,                                             // RTA_MULTIPATH: two 28-byte hops
            28, 0, 0, 0, 2, 0, 0, 0, 20, 0, 5, 0,                    // weight 1, ifindex 2; RTA_GATEWAY
        ];
        want.extend(gw(1));
        want.extend([28, 0, 0, 1, 3, 0, 0, 0, 20, 0, 5, 0]); // weight 2, ifindex 3; RTA_GATEWAY
        want.extend(gw(2));
        want.extend([36, 0, 12, 0]); // RTA_CACHEINFO: 32 zero bytes
        want.extend([0; 32]);
        want.extend([5, 0, 20, 0, 0, 0, 0, 0]); // RTA_PREF medium, padded
        assert_eq!(message, &want[..]);
    }

    #[test]
    fn metrics_are_written_without_the_nested_flag_as_the_kernel_does() {
        let dump = pack(1, SEQ, PORT, |w, _| write_route(w, &v4_route(3)));
        // nlmsghdr, rtmsg, TABLE, DST, PRIORITY: the metrics nest is next.
        let metrics = &dump.datagrams[0][16 + 12 + 24..][..20];
        #[rustfmt::skip]
        let want: [u8; 20] = [
            20, 0, 8, 0,              // RTA_METRICS, type 8 without NLA_F_NESTED
            8, 0, 2, 0, 0x78, 5, 0, 0, // RTAX_MTU 1400
            8, 0, 8, 0, 0x50, 5, 0, 0, // RTAX_ADVMSS 1360
        ];
        assert_eq!(metrics, &want[..]);
    }
}
