//! Offline decode of link dumps (`nl_bench::link`: veth, bridge and vxlan
//! links with `IFLA_STATS64`, `IFLA_STATS` and `IFLA_LINKINFO`, 1k and
//! 100k links in kernel-shaped datagrams): nl-core's full typed decode and
//! netlink-packet-route side by side, with the TLV-walk floor. Both read
//! every attribute the links carry (header, scalars, name, addresses, all
//! 64- and 32-bit counters, kind and every bridge or vxlan info-data
//! field) into the same checksum, checked equal before timing.

mod common;

use common::{Decoder, bench_decoders, data_messages, npr_messages, tlv_walk};
use criterion::{Criterion, criterion_group, criterion_main};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::link::{
    InfoBridge, InfoData, InfoKind, InfoVxlan, LinkAttribute, LinkInfo as NprInfo,
};
use nl_bench::alloc_count::CountingAlloc;
use nl_bench::checksum::ip_sum;
use nl_bench::link::link_dump;
use nl_core::route::link::{
    BridgeAttrs, BridgeId, IfInfoMsg, Link, LinkAttrs, LinkData, Stats64, VxlanAttrs,
};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn bytes_sum(bytes: &[u8]) -> u64 {
    bytes.iter().map(|&b| u64::from(b)).sum::<u64>() + bytes.len() as u64
}

fn bridge_id_sum(priority: u16, addr: &[u8; 6]) -> u64 {
    u64::from(priority) + bytes_sum(addr)
}

fn stats64_sum(s: &Stats64) -> u64 {
    [
        s.rx_packets,
        s.tx_packets,
        s.rx_bytes,
        s.tx_bytes,
        s.rx_errors,
        s.tx_errors,
        s.rx_dropped,
        s.tx_dropped,
        s.multicast,
        s.collisions,
        s.rx_length_errors,
        s.rx_over_errors,
        s.rx_crc_errors,
        s.rx_frame_errors,
        s.rx_fifo_errors,
        s.rx_missed_errors,
        s.tx_aborted_errors,
        s.tx_carrier_errors,
        s.tx_fifo_errors,
        s.tx_heartbeat_errors,
        s.tx_window_errors,
        s.rx_compressed,
        s.tx_compressed,
        s.rx_nohandler,
        s.rx_otherhost_dropped,
    ]
    .iter()
    .fold(0u64, |sum, c| sum.wrapping_add(c.get()))
}

fn nl_core_bridge(d: &nl_core::table::Index<'_, BridgeAttrs>) -> u64 {
    let id = |id: Option<&BridgeId>| {
        id.map_or(0, |id| bridge_id_sum(u16::from_be_bytes(id.prio), &id.addr))
    };
    let mut sum = id(d.get(BridgeAttrs::BRIDGE_ID)) + id(d.get(BridgeAttrs::ROOT_ID));
    for f in [
        BridgeAttrs::FORWARD_DELAY,
        BridgeAttrs::HELLO_TIME,
        BridgeAttrs::MAX_AGE,
        BridgeAttrs::AGEING_TIME,
        BridgeAttrs::STP_STATE,
        BridgeAttrs::ROOT_PATH_COST,
        BridgeAttrs::MCAST_HASH_ELASTICITY,
        BridgeAttrs::MCAST_HASH_MAX,
        BridgeAttrs::MCAST_LAST_MEMBER_CNT,
        BridgeAttrs::MCAST_STARTUP_QUERY_CNT,
    ] {
        sum += u64::from(d.get(f).unwrap_or(0));
    }
    for f in [
        BridgeAttrs::PRIORITY,
        BridgeAttrs::GROUP_FWD_MASK,
        BridgeAttrs::ROOT_PORT,
    ] {
        sum += u64::from(d.get(f).unwrap_or(0));
    }
    for f in [
        BridgeAttrs::VLAN_FILTERING,
        BridgeAttrs::TOPOLOGY_CHANGE,
        BridgeAttrs::TOPOLOGY_CHANGE_DETECTED,
        BridgeAttrs::MCAST_ROUTER,
        BridgeAttrs::MCAST_SNOOPING,
        BridgeAttrs::MCAST_QUERY_USE_IFADDR,
        BridgeAttrs::MCAST_QUERIER,
        BridgeAttrs::NF_CALL_IPTABLES,
        BridgeAttrs::NF_CALL_IP6TABLES,
        BridgeAttrs::NF_CALL_ARPTABLES,
    ] {
        sum += u64::from(d.get(f).unwrap_or(0));
    }
    for f in [
        BridgeAttrs::HELLO_TIMER,
        BridgeAttrs::TCN_TIMER,
        BridgeAttrs::TOPOLOGY_CHANGE_TIMER,
        BridgeAttrs::GC_TIMER,
        BridgeAttrs::MCAST_LAST_MEMBER_INTVL,
        BridgeAttrs::MCAST_MEMBERSHIP_INTVL,
        BridgeAttrs::MCAST_QUERIER_INTVL,
        BridgeAttrs::MCAST_QUERY_INTVL,
        BridgeAttrs::MCAST_QUERY_RESPONSE_INTVL,
        BridgeAttrs::MCAST_STARTUP_QUERY_INTVL,
    ] {
        sum += d.get(f).unwrap_or(0);
    }
    sum + d.get(BridgeAttrs::GROUP_ADDR).map_or(0, bytes_sum)
}

fn nl_core_vxlan(d: &nl_core::table::Index<'_, VxlanAttrs>) -> u64 {
    let mut sum = d.get(VxlanAttrs::LOCAL).map_or(0, ip_sum);
    for f in [
        VxlanAttrs::ID,
        VxlanAttrs::LINK,
        VxlanAttrs::AGEING,
        VxlanAttrs::LIMIT,
    ] {
        sum += u64::from(d.get(f).unwrap_or(0));
    }
    for f in [
        VxlanAttrs::TTL,
        VxlanAttrs::TTL_INHERIT,
        VxlanAttrs::TOS,
        VxlanAttrs::DF,
        VxlanAttrs::LEARNING,
        VxlanAttrs::PROXY,
        VxlanAttrs::RSC,
        VxlanAttrs::L2MISS,
        VxlanAttrs::L3MISS,
        VxlanAttrs::COLLECT_METADATA,
        VxlanAttrs::UDP_CSUM,
        VxlanAttrs::UDP_ZERO_CSUM6_TX,
        VxlanAttrs::UDP_ZERO_CSUM6_RX,
        VxlanAttrs::REMCSUM_TX,
        VxlanAttrs::REMCSUM_RX,
    ] {
        sum += u64::from(d.get(f).unwrap_or(0));
    }
    sum += u64::from(d.get(VxlanAttrs::PORT).unwrap_or(0));
    if let Some(range) = d.get(VxlanAttrs::PORT_RANGE) {
        sum += u64::from(range.low.get()) + u64::from(range.high.get());
    }
    sum
}

fn nl_core_decode(datagrams: &[Vec<u8>]) -> u64 {
    let mut sum = 0u64;
    for message in data_messages(datagrams) {
        let l = Link::parse(&message).expect("a link");
        sum += 1 + u64::from(l.index() as u32) + u64::from(l.flags().0);
        sum += u64::from(l.link_type()) + l.name().as_bytes().len() as u64;
        for f in [
            LinkAttrs::TXQLEN,
            LinkAttrs::MTU,
            LinkAttrs::MIN_MTU,
            LinkAttrs::MAX_MTU,
            LinkAttrs::GROUP,
            LinkAttrs::PROMISCUITY,
            LinkAttrs::ALLMULTI,
            LinkAttrs::NUM_TX_QUEUES,
            LinkAttrs::GSO_MAX_SEGS,
            LinkAttrs::GSO_MAX_SIZE,
            LinkAttrs::GRO_MAX_SIZE,
            LinkAttrs::GSO_IPV4_MAX_SIZE,
            LinkAttrs::GRO_IPV4_MAX_SIZE,
            LinkAttrs::TSO_MAX_SIZE,
            LinkAttrs::TSO_MAX_SEGS,
            LinkAttrs::NUM_RX_QUEUES,
            LinkAttrs::MASTER,
            LinkAttrs::CARRIER_CHANGES,
            LinkAttrs::CARRIER_UP_COUNT,
            LinkAttrs::CARRIER_DOWN_COUNT,
        ] {
            sum += u64::from(l.attrs.get(f).unwrap_or(0));
        }
        sum += u64::from(l.operstate().map_or(0, u8::from));
        sum += u64::from(l.linkmode().map_or(0, u8::from));
        for f in [LinkAttrs::CARRIER, LinkAttrs::PROTO_DOWN] {
            sum += u64::from(l.attrs.get(f).unwrap_or(0));
        }
        sum += u64::from(l.attrs.get(LinkAttrs::LINK).unwrap_or(0) as u32);
        sum += l.address().map_or(0, bytes_sum) + l.broadcast().map_or(0, bytes_sum);
        sum += l
            .attrs
            .get(LinkAttrs::QDISC)
            .map_or(0, |q| q.as_bytes().len() as u64);
        sum = sum.wrapping_add(l.stats64().map_or(0, stats64_sum));
        if let Some(stats) = l.attrs.get(LinkAttrs::STATS) {
            for c in stats.chunks_exact(4) {
                sum += u64::from(u32::from_ne_bytes([c[0], c[1], c[2], c[3]]));
            }
        }
        if let Some(info) = l.linkinfo().expect("linkinfo") {
            sum += info.kind().map_or(0, |k| k.as_bytes().len() as u64);
            sum += match info.data().expect("info data") {
                Some(LinkData::Bridge(d)) => nl_core_bridge(&d),
                Some(LinkData::Vxlan(d)) => nl_core_vxlan(&d),
                None => 0,
                Some(other) => panic!("unexpected link data {other:?}"),
            };
        }
    }
    sum
}

fn npr_bridge(attrs: &[InfoBridge]) -> u64 {
    attrs
        .iter()
        .map(|a| match a {
            InfoBridge::BridgeId(id) | InfoBridge::RootId(id) => {
                bridge_id_sum(id.priority, &id.address)
            }
            InfoBridge::ForwardDelay(v)
            | InfoBridge::HelloTime(v)
            | InfoBridge::MaxAge(v)
            | InfoBridge::AgeingTime(v)
            | InfoBridge::RootPathCost(v)
            | InfoBridge::MulticastHashElasticity(v)
            | InfoBridge::MulticastHashMax(v)
            | InfoBridge::MulticastLastMemberCount(v)
            | InfoBridge::MulticastStartupQueryCount(v) => u64::from(*v),
            InfoBridge::StpState(s) => u64::from(u32::from(*s)),
            InfoBridge::Priority(v) | InfoBridge::GroupFwdMask(v) | InfoBridge::RootPort(v) => {
                u64::from(*v)
            }
            InfoBridge::TopologyChange(v) | InfoBridge::TopologyChangeDetected(v) => u64::from(*v),
            InfoBridge::MulticastRouter(r) => u64::from(u8::from(*r)),
            InfoBridge::VlanFiltering(b)
            | InfoBridge::MulticastSnooping(b)
            | InfoBridge::MulticastQueryUseIfaddr(b)
            | InfoBridge::MulticastQuerier(b)
            | InfoBridge::NfCallIpTables(b)
            | InfoBridge::NfCallIp6Tables(b)
            | InfoBridge::NfCallArpTables(b) => u64::from(*b),
            InfoBridge::HelloTimer(v)
            | InfoBridge::TcnTimer(v)
            | InfoBridge::TopologyChangeTimer(v)
            | InfoBridge::GcTimer(v)
            | InfoBridge::MulticastLastMemberInterval(v)
            | InfoBridge::MulticastMembershipInterval(v)
            | InfoBridge::MulticastQuerierInterval(v)
            | InfoBridge::MulticastQueryInterval(v)
            | InfoBridge::MulticastQueryResponseInterval(v)
            | InfoBridge::MulticastStartupQueryInterval(v) => *v,
            InfoBridge::GroupAddr(a) => bytes_sum(a),
            other => panic!("unexpected bridge attribute {other:?}"),
        })
        .sum()
}

fn npr_vxlan(attrs: &[InfoVxlan]) -> u64 {
    attrs
        .iter()
        .map(|a| match a {
            InfoVxlan::Local(ip) => ip_sum((*ip).into()),
            InfoVxlan::Id(v) | InfoVxlan::Link(v) | InfoVxlan::Ageing(v) | InfoVxlan::Limit(v) => {
                u64::from(*v)
            }
            InfoVxlan::Ttl(v) | InfoVxlan::TtlInherit(v) | InfoVxlan::Tos(v) => u64::from(*v),
            InfoVxlan::Df(df) => u64::from(u8::from(*df)),
            InfoVxlan::Learning(b)
            | InfoVxlan::Proxy(b)
            | InfoVxlan::Rsc(b)
            | InfoVxlan::L2Miss(b)
            | InfoVxlan::L3Miss(b)
            | InfoVxlan::CollectMetadata(b)
            | InfoVxlan::UDPCsum(b)
            | InfoVxlan::UDPZeroCsumTX(b)
            | InfoVxlan::UDPZeroCsumRX(b)
            | InfoVxlan::RemCsumTX(b)
            | InfoVxlan::RemCsumRX(b) => u64::from(*b),
            InfoVxlan::Port(p) => u64::from(*p),
            InfoVxlan::PortRange((low, high)) => u64::from(*low) + u64::from(*high),
            other => panic!("unexpected vxlan attribute {other:?}"),
        })
        .sum()
}

fn npr_info(infos: &[NprInfo]) -> u64 {
    infos
        .iter()
        .map(|info| match info {
            NprInfo::Kind(InfoKind::Veth) => 4,
            NprInfo::Kind(InfoKind::Bridge) => 6,
            NprInfo::Kind(InfoKind::Vxlan) => 5,
            NprInfo::Data(InfoData::Bridge(attrs)) => npr_bridge(attrs),
            NprInfo::Data(InfoData::Vxlan(attrs)) => npr_vxlan(attrs),
            other => panic!("unexpected link info {other:?}"),
        })
        .sum()
}

fn npr_decode(datagrams: &[Vec<u8>]) -> u64 {
    let mut sum = 0u64;
    for datagram in datagrams {
        for message in npr_messages(datagram) {
            let RouteNetlinkMessage::NewLink(link) = message else {
                panic!("not a link: {message:?}");
            };
            let h = &link.header;
            sum += 1 + u64::from(h.index) + u64::from(h.flags.bits());
            sum += u64::from(u16::from(h.link_layer_type));
            for attr in &link.attributes {
                let add = match attr {
                    LinkAttribute::IfName(name) | LinkAttribute::Qdisc(name) => name.len() as u64,
                    LinkAttribute::TxQueueLen(v)
                    | LinkAttribute::Mtu(v)
                    | LinkAttribute::MinMtu(v)
                    | LinkAttribute::MaxMtu(v)
                    | LinkAttribute::Group(v)
                    | LinkAttribute::Promiscuity(v)
                    | LinkAttribute::AllMulticast(v)
                    | LinkAttribute::NumTxQueues(v)
                    | LinkAttribute::GsoMaxSegs(v)
                    | LinkAttribute::GsoMaxSize(v)
                    | LinkAttribute::GroMaxSize(v)
                    | LinkAttribute::GsoIpv4MaxSize(v)
                    | LinkAttribute::GroIpv4MaxSize(v)
                    | LinkAttribute::TsoMaxSize(v)
                    | LinkAttribute::TsoMaxSegs(v)
                    | LinkAttribute::NumRxQueues(v)
                    | LinkAttribute::Controller(v)
                    | LinkAttribute::CarrierChanges(v)
                    | LinkAttribute::CarrierUpCount(v)
                    | LinkAttribute::CarrierDownCount(v)
                    | LinkAttribute::Link(v) => u64::from(*v),
                    LinkAttribute::OperState(s) => u64::from(u8::from(*s)),
                    LinkAttribute::Mode(m) => u64::from(u8::from(*m)),
                    LinkAttribute::Carrier(v) | LinkAttribute::ProtoDown(v) => u64::from(*v),
                    LinkAttribute::Address(a) | LinkAttribute::Broadcast(a) => bytes_sum(a),
                    LinkAttribute::Stats64(s) => [
                        s.rx_packets,
                        s.tx_packets,
                        s.rx_bytes,
                        s.tx_bytes,
                        s.rx_errors,
                        s.tx_errors,
                        s.rx_dropped,
                        s.tx_dropped,
                        s.multicast,
                        s.collisions,
                        s.rx_length_errors,
                        s.rx_over_errors,
                        s.rx_crc_errors,
                        s.rx_frame_errors,
                        s.rx_fifo_errors,
                        s.rx_missed_errors,
                        s.tx_aborted_errors,
                        s.tx_carrier_errors,
                        s.tx_fifo_errors,
                        s.tx_heartbeat_errors,
                        s.tx_window_errors,
                        s.rx_compressed,
                        s.tx_compressed,
                        s.rx_nohandler,
                        s.rx_otherhost_dropped,
                    ]
                    .iter()
                    .fold(0u64, |sum, c| sum.wrapping_add(*c)),
                    LinkAttribute::Stats(s) => [
                        s.rx_packets,
                        s.tx_packets,
                        s.rx_bytes,
                        s.tx_bytes,
                        s.rx_errors,
                        s.tx_errors,
                        s.rx_dropped,
                        s.tx_dropped,
                        s.multicast,
                        s.collisions,
                        s.rx_length_errors,
                        s.rx_over_errors,
                        s.rx_crc_errors,
                        s.rx_frame_errors,
                        s.rx_fifo_errors,
                        s.rx_missed_errors,
                        s.tx_aborted_errors,
                        s.tx_carrier_errors,
                        s.tx_fifo_errors,
                        s.tx_heartbeat_errors,
                        s.tx_window_errors,
                        s.rx_compressed,
                        s.tx_compressed,
                        s.rx_nohandler,
                    ]
                    .iter()
                    .map(|&c| u64::from(c))
                    .sum(),
                    LinkAttribute::LinkInfo(infos) => npr_info(infos),
                    other => panic!("unexpected link attribute {other:?}"),
                };
                sum = sum.wrapping_add(add);
            }
        }
    }
    sum
}

/// The floor: message and attribute headers, one level into `IFLA_LINKINFO`.
fn tlv_walk_link(datagrams: &[Vec<u8>]) -> u64 {
    tlv_walk(datagrams, IfInfoMsg::LEN, &[LinkAttrs::LINKINFO.ty()])
}

const DECODERS: [Decoder; 3] = [
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
        id: "tlv-walk",
        run: tlv_walk_link,
        same_checksum: false,
    },
];

fn bench(c: &mut Criterion) {
    bench_decoders(c, "link_decode", link_dump, &DECODERS);
}

criterion_group!(benches, bench);
criterion_main!(benches);
