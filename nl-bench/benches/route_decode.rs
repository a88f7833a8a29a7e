//! Offline decode of route dumps (`nl_bench::route`, IPv4 and IPv6, 1k and
//! 100k routes in kernel-shaped datagrams): nl-core's full typed decode,
//! netlink-packet-route, netlink-bindings and the TLV-walk floor, side by
//! side. Every decoder reads every field the routes carry (header, table,
//! destination, priority, prefsrc, gateway and interface or each next hop
//! of `RTA_MULTIPATH`, metrics, cacheinfo, preference) into the same
//! checksum, checked equal before timing.

mod common;

use std::net::IpAddr;

use common::{Decoder, bench_decoders, data_messages, npr_messages, tlv_walk};
use criterion::{Criterion, criterion_group, criterion_main};
use netlink_bindings::rt_route::{Metrics as NbMetric, RouteAttrs as NbAttr, Rtmsg};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteMetric, RouteNextHop};
use nl_bench::alloc_count::CountingAlloc;
use nl_bench::checksum::{self, cacheinfo_sum, header_sum, hop_sum, ip_sum, metric_sum};
use nl_bench::route::{route_dump_v4, route_dump_v6};
use nl_core::route::route::{Route, RouteAttrs, RtMsg};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn nl_core_decode(datagrams: &[Vec<u8>]) -> u64 {
    data_messages(datagrams)
        .map(|message| {
            let route = Route::parse(&message).expect("a route");
            checksum::route(&route).expect("a well-formed route")
        })
        .sum()
}

fn npr_ip(addr: &RouteAddress) -> u64 {
    match addr {
        RouteAddress::Inet(a) => ip_sum(IpAddr::V4(*a)),
        RouteAddress::Inet6(a) => ip_sum(IpAddr::V6(*a)),
        other => panic!("unexpected address {other:?}"),
    }
}

fn npr_metric(metric: &RouteMetric) -> (u16, u32) {
    match metric {
        RouteMetric::Mtu(v) => (2, *v),
        RouteMetric::Window(v) => (3, *v),
        RouteMetric::Rtt(v) => (4, *v),
        RouteMetric::RttVar(v) => (5, *v),
        RouteMetric::SsThresh(v) => (6, *v),
        RouteMetric::Cwnd(v) => (7, *v),
        RouteMetric::Advmss(v) => (8, *v),
        RouteMetric::Reordering(v) => (9, *v),
        RouteMetric::Hoplimit(v) => (10, *v),
        RouteMetric::InitCwnd(v) => (11, *v),
        RouteMetric::Features(v) => (12, *v),
        RouteMetric::RtoMin(v) => (13, *v),
        RouteMetric::InitRwnd(v) => (14, *v),
        RouteMetric::QuickAck(v) => (15, *v),
        RouteMetric::FastopenNoCookie(v) => (17, *v),
        other => panic!("unexpected metric {other:?}"),
    }
}

fn npr_hop(hop: &RouteNextHop) -> u64 {
    let gateway = hop.attributes.iter().find_map(|a| match a {
        RouteAttribute::Gateway(gw) => Some(npr_ip(gw)),
        _ => None,
    });
    hop_sum(
        hop.interface_index,
        u16::from(hop.hops) + 1,
        hop.flags.bits(),
        None,
    ) + gateway.unwrap_or(0)
}

fn npr_decode(datagrams: &[Vec<u8>]) -> u64 {
    let mut sum = 0u64;
    for datagram in datagrams {
        for message in npr_messages(datagram) {
            let RouteNetlinkMessage::NewRoute(route) = message else {
                panic!("not a route: {message:?}");
            };
            let h = &route.header;
            sum += header_sum(
                h.address_family.into(),
                h.destination_prefix_length,
                h.source_prefix_length,
                h.tos,
                [h.protocol.into(), h.scope.into(), h.kind.into()],
                h.flags.bits(),
            );
            let mut table = u32::from(h.table);
            for attr in &route.attributes {
                sum += match attr {
                    RouteAttribute::Table(t) => {
                        table = *t;
                        0
                    }
                    RouteAttribute::Destination(a)
                    | RouteAttribute::PrefSource(a)
                    | RouteAttribute::Gateway(a) => npr_ip(a),
                    RouteAttribute::Oif(v) | RouteAttribute::Priority(v) => u64::from(*v),
                    RouteAttribute::Metrics(metrics) => metrics
                        .iter()
                        .map(|m| {
                            let (ty, value) = npr_metric(m);
                            metric_sum(ty, value)
                        })
                        .sum(),
                    RouteAttribute::MultiPath(hops) => hops.iter().map(npr_hop).sum(),
                    RouteAttribute::CacheInfo(c) => {
                        cacheinfo_sum([c.clntref, c.last_use, c.expires, c.error, c.used])
                    }
                    RouteAttribute::Preference(p) => u64::from(u8::from(*p)) + 1,
                    other => panic!("unexpected attribute {other:?}"),
                };
            }
            sum += u64::from(table);
        }
    }
    sum
}

fn nb_ip(addr: IpAddr) -> u64 {
    ip_sum(addr)
}

/// The next hops of an `RTA_MULTIPATH` payload, walked by hand:
/// netlink-bindings hands it over as bytes.
fn nb_multipath(mut rest: &[u8]) -> u64 {
    let mut sum = 0;
    while rest.len() >= 8 {
        let len = usize::from(u16::from_ne_bytes([rest[0], rest[1]]));
        let (flags, hops) = (rest[2], rest[3]);
        let ifindex = u32::from_ne_bytes([rest[4], rest[5], rest[6], rest[7]]);
        let attrs = rest.get(8..len).expect("next hop within the attribute");
        let mut gateway = None;
        for attr in NbAttr::new(attrs) {
            if let NbAttr::Gateway(gw) = attr.expect("a next hop attribute") {
                gateway = Some(gw);
            }
        }
        sum += hop_sum(ifindex, u16::from(hops) + 1, flags, gateway);
        rest = rest.get((len + 3) & !3..).unwrap_or_default();
    }
    sum
}

fn nb_metric(metric: NbMetric<'_>) -> (u16, u32) {
    match metric {
        NbMetric::Mtu(v) => (2, v),
        NbMetric::Window(v) => (3, v),
        NbMetric::Rtt(v) => (4, v),
        NbMetric::Rttvar(v) => (5, v),
        NbMetric::Ssthresh(v) => (6, v),
        NbMetric::Cwnd(v) => (7, v),
        NbMetric::Advmss(v) => (8, v),
        NbMetric::Reordering(v) => (9, v),
        NbMetric::Hoplimit(v) => (10, v),
        NbMetric::Initcwnd(v) => (11, v),
        NbMetric::Features(v) => (12, v),
        NbMetric::RtoMin(v) => (13, v),
        NbMetric::Initrwnd(v) => (14, v),
        NbMetric::Quickack(v) => (15, v),
        NbMetric::FastopenNoCookie(v) => (17, v),
        NbMetric::Lock(_) | NbMetric::CcAlgo(_) => panic!("unexpected metric"),
    }
}

fn nb_decode(datagrams: &[Vec<u8>]) -> u64 {
    let mut sum = 0u64;
    for message in data_messages(datagrams) {
        let payload = message.payload();
        let h = Rtmsg::new_from_slice(&payload[..RtMsg::LEN]).expect("rtmsg");
        sum += header_sum(
            h.rtm_family,
            h.rtm_dst_len,
            h.rtm_src_len,
            h.rtm_tos,
            [h.rtm_protocol, h.rtm_scope, h.rtm_type],
            h.rtm_flags,
        );
        let mut table = u32::from(h.rtm_table);
        for attr in NbAttr::new(&payload[RtMsg::LEN..]) {
            sum += match attr.expect("a route attribute") {
                NbAttr::Table(t) => {
                    table = t;
                    0
                }
                NbAttr::Dst(a) | NbAttr::Prefsrc(a) | NbAttr::Gateway(a) => nb_ip(a),
                NbAttr::Oif(v) | NbAttr::Priority(v) => u64::from(v),
                NbAttr::Metrics(metrics) => metrics
                    .map(|m| {
                        let (ty, value) = nb_metric(m.expect("a metric"));
                        metric_sum(ty, value)
                    })
                    .sum(),
                NbAttr::Multipath(raw) => nb_multipath(raw),
                NbAttr::Cacheinfo(c) => cacheinfo_sum([
                    c.rta_clntref,
                    c.rta_lastuse,
                    c.rta_expires,
                    c.rta_error,
                    c.rta_used,
                ]),
                NbAttr::Pref(p) => u64::from(p) + 1,
                _ => panic!("unexpected route attribute"),
            };
        }
        sum += u64::from(table);
    }
    sum
}

/// The floor: message and attribute headers, one level into `RTA_METRICS`.
fn tlv_walk_route(datagrams: &[Vec<u8>]) -> u64 {
    tlv_walk(datagrams, RtMsg::LEN, &[RouteAttrs::METRICS.ty()])
}

const DECODERS: [Decoder; 4] = [
    Decoder {
        id: "nl-core",
        run: nl_core_decode,
        same_checksum: true,
    },
    Decoder {
        id: "netlink-packet-route",
        run: npr_decode,
        same_checksum: true,
    },
    Decoder {
        id: "netlink-bindings",
        run: nb_decode,
        same_checksum: true,
    },
    Decoder {
        id: "tlv-walk",
        run: tlv_walk_route,
        same_checksum: false,
    },
];

fn bench(c: &mut Criterion) {
    bench_decoders(c, "route_decode_v4", route_dump_v4, &DECODERS);
    bench_decoders(c, "route_decode_v6", route_dump_v6, &DECODERS);
}

criterion_group!(benches, bench);
criterion_main!(benches);
