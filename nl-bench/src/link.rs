//! Link dumps, as `RTM_GETLINK` with `NLM_F_DUMP` returns them on this
//! kernel (6.18), modelled on captured replies for veth, bridge and vxlan
//! links: every link carries `IFLA_STATS64`, `IFLA_STATS` and
//! `IFLA_LINKINFO` (veth: kind only, as dumps send it; bridge and vxlan:
//! kind and info-data).
//!
//! Attribute order, as `rtnl_fill_ifinfo` writes it (the ones generated):
//!
//! ```text
//! ifinfomsg | IFNAME | TXQLEN | OPERSTATE | LINKMODE | MTU | MIN_MTU | MAX_MTU
//!   | GROUP | PROMISCUITY | ALLMULTI | NUM_TX_QUEUES | GSO_MAX_SEGS | GSO_MAX_SIZE
//!   | GRO_MAX_SIZE | GSO_IPV4_MAX_SIZE | GRO_IPV4_MAX_SIZE | TSO_MAX_SIZE
//!   | TSO_MAX_SEGS | NUM_RX_QUEUES | [MASTER] | CARRIER | CARRIER_CHANGES
//!   | CARRIER_UP_COUNT | CARRIER_DOWN_COUNT | PROTO_DOWN | ADDRESS | BROADCAST
//!   | STATS64 | STATS | LINKINFO { KIND, [DATA] } | [LINK] | QDISC
//! ```
//!
//! Left out of what the kernel also sends: `IFLA_AF_SPEC` (≈800 bytes of
//! per-family configuration), `IFLA_XDP`, `IFLA_MAP`, headroom/tailroom,
//! pacing horizon and the empty devlink/dpll nests. The kernel writes
//! `IFLA_LINKINFO` and `IFLA_INFO_DATA` without `NLA_F_NESTED`; so do these.

use std::net::Ipv4Addr;

use nl_core::nlmsg::{Flags, Header};
use nl_core::route::RTM_NEWLINK;
use nl_core::route::link::{
    BridgeAttrs, BridgeId, IfInfoMsg, LinkAttrs, LinkInfoAttrs, VxlanAttrs, VxlanPortRange,
};
use nl_core::{Error, Writer};

use crate::{Dump, pack};

/// Sequence number and port id written in every generated message.
pub const SEQ: u32 = 7;
/// See [`SEQ`].
pub const PORT: u32 = 4242;

/// `ARPHRD_ETHER`.
pub const ARPHRD_ETHER: u16 = 1;
/// `IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST | IFF_LOWER_UP`.
pub const FLAGS_UP: u32 = 0x1 | 0x2 | 0x40 | 0x1000 | 0x1_0000;
/// `IF_OPER_UP`.
pub const OPER_UP: u8 = 6;
/// Counters in `struct rtnl_link_stats64`.
pub const STATS64_COUNTERS: usize = 25;
/// Counters in `struct rtnl_link_stats` (as this kernel sends it).
pub const STATS_COUNTERS: usize = 24;
/// The index of the bridge the veth ports of the dump belong to.
pub const BRIDGE_MASTER: u32 = 2;

/// The kind of a generated link, with the info-data it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenKind {
    /// `veth`: dumps carry the kind only.
    Veth {
        /// The peer's index (`IFLA_LINK`).
        peer: i32,
    },
    /// `bridge`: STP timers, ids and multicast settings.
    Bridge {
        /// Bridge priority.
        priority: u16,
    },
    /// `vxlan`.
    Vxlan {
        /// VNI.
        vni: u32,
        /// Local address.
        local: Ipv4Addr,
        /// Destination UDP port.
        port: u16,
    },
}

impl GenKind {
    /// The `IFLA_INFO_KIND` string.
    pub fn name(&self) -> &'static str {
        match self {
            GenKind::Veth { .. } => "veth",
            GenKind::Bridge { .. } => "bridge",
            GenKind::Vxlan { .. } => "vxlan",
        }
    }
}

/// What generated link number `i` says: the intended values the tests
/// compare a decode with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenLink {
    /// Interface index.
    pub index: i32,
    /// Name.
    pub name: String,
    /// MTU.
    pub mtu: u32,
    /// MAC address.
    pub address: [u8; 6],
    /// Master (bridge) index, for the veth ports of a bridge.
    pub master: Option<u32>,
    /// Kind and info-data.
    pub kind: GenKind,
}

/// Link `i`: 10% bridges, 20% vxlan, the rest veth (a third of them
/// bridge ports).
pub fn gen_link(i: usize) -> GenLink {
    let n = i as u32;
    let index = 10 + i as i32;
    let (prefix, kind) = match i % 10 {
        0 => (
            "br",
            GenKind::Bridge {
                priority: 0x8000 - (n % 8) as u16 * 0x1000,
            },
        ),
        1 | 2 => (
            "vx",
            GenKind::Vxlan {
                vni: 1000 + n,
                local: Ipv4Addr::from(0x0a00_0000 | (n & 0xffff)),
                port: 4789,
            },
        ),
        _ => ("veth", GenKind::Veth { peer: index ^ 1 }),
    };
    let [a, b, c, d] = n.to_be_bytes();
    GenLink {
        index,
        name: format!("{prefix}{i}"),
        mtu: if i % 7 == 0 { 9000 } else { 1500 },
        address: [0x02, a, b, c, d, 0x01],
        master: (matches!(kind, GenKind::Veth { .. }) && i % 3 == 0).then_some(BRIDGE_MASTER),
        kind,
    }
}

/// Counter `k` of link `i` (the 32-bit `IFLA_STATS` carries the low half).
pub fn counter(i: usize, k: usize) -> u64 {
    (i as u64 * 7919 + k as u64 * 104_729) * 1_000_003 + k as u64
}

/// Appends `link` (link number `i`) as the kernel dumps it; on failure the
/// writer is as it was.
pub fn write_link(w: &mut Writer<'_>, i: usize, link: &GenLink) -> Result<(), Error> {
    w.all_or_nothing(|w| put_link(w, i, link))
}

fn put_link(w: &mut Writer<'_>, i: usize, link: &GenLink) -> Result<(), Error> {
    let header = Header::new(RTM_NEWLINK, Flags::MULTI, SEQ, PORT);
    let ifinfo = IfInfoMsg {
        ty: ARPHRD_ETHER.into(),
        index: link.index.into(),
        flags: FLAGS_UP.into(),
        ..IfInfoMsg::default()
    };
    let start = w.begin_message_with(header, &ifinfo)?;
    w.put(LinkAttrs::IFNAME, &link.name)?;
    w.put(LinkAttrs::TXQLEN, 1000)?;
    w.put(LinkAttrs::OPERSTATE, OPER_UP)?;
    w.put(LinkAttrs::LINKMODE, 0)?;
    w.put(LinkAttrs::MTU, link.mtu)?;
    w.put(LinkAttrs::MIN_MTU, 68)?;
    w.put(LinkAttrs::MAX_MTU, 65535)?;
    w.put(LinkAttrs::GROUP, 0)?;
    w.put(LinkAttrs::PROMISCUITY, u32::from(link.master.is_some()))?;
    w.put(LinkAttrs::ALLMULTI, 0)?;
    w.put(LinkAttrs::NUM_TX_QUEUES, 1)?;
    w.put(LinkAttrs::GSO_MAX_SEGS, 65535)?;
    w.put(LinkAttrs::GSO_MAX_SIZE, 65536)?;
    w.put(LinkAttrs::GRO_MAX_SIZE, 65536)?;
    w.put(LinkAttrs::GSO_IPV4_MAX_SIZE, 65536)?;
    w.put(LinkAttrs::GRO_IPV4_MAX_SIZE, 65536)?;
    w.put(LinkAttrs::TSO_MAX_SIZE, 524_280)?;
    w.put(LinkAttrs::TSO_MAX_SEGS, 65535)?;
    w.put(LinkAttrs::NUM_RX_QUEUES, 1)?;
    if let Some(master) = link.master {
        w.put(LinkAttrs::MASTER, master)?;
    }
    w.put(LinkAttrs::CARRIER, 1)?;
    w.put(LinkAttrs::CARRIER_CHANGES, 2)?;
    w.put(LinkAttrs::CARRIER_UP_COUNT, 1)?;
    w.put(LinkAttrs::CARRIER_DOWN_COUNT, 1)?;
    w.put(LinkAttrs::PROTO_DOWN, 0)?;
    w.put(LinkAttrs::ADDRESS, &link.address)?;
    w.put(LinkAttrs::BROADCAST, &[0xff; 6])?;
    let stats64: Vec<u8> = (0..STATS64_COUNTERS)
        .flat_map(|k| counter(i, k).to_ne_bytes())
        .collect();
    w.attr(LinkAttrs::STATS64.ty(), &stats64)?;
    let stats: Vec<u8> = (0..STATS_COUNTERS)
        .flat_map(|k| (counter(i, k) as u32).to_ne_bytes())
        .collect();
    w.put(LinkAttrs::STATS, &stats)?;
    put_unflagged_nest(w, LinkAttrs::LINKINFO.ty(), |w| {
        w.put(LinkInfoAttrs::KIND, link.kind.name())?;
        match link.kind {
            GenKind::Veth { .. } => Ok(()),
            GenKind::Bridge { priority } => put_unflagged_nest(w, LinkInfoAttrs::DATA.ty(), |w| {
                put_bridge(w, link, priority)
            }),
            GenKind::Vxlan { vni, local, port } => {
                put_unflagged_nest(w, LinkInfoAttrs::DATA.ty(), |w| {
                    put_vxlan(w, vni, local, port)
                })
            }
        }
    })?;
    if let GenKind::Veth { peer } = link.kind {
        w.put(LinkAttrs::LINK, peer)?;
    }
    w.put(LinkAttrs::QDISC, "noqueue")?;
    w.end_message(start)?;
    Ok(())
}

/// A nest the way the kernel writes `IFLA_LINKINFO` and `IFLA_INFO_DATA`:
/// type `ty` without `NLA_F_NESTED`, holding what `body` appends.
fn put_unflagged_nest(
    w: &mut Writer<'_>,
    ty: u16,
    body: impl FnOnce(&mut Writer<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut scratch = [0u8; 1024];
    let mut inner = Writer::new(&mut scratch);
    body(&mut inner)?;
    w.attr(ty, inner.as_bytes())
}

/// Bridge info-data in the kernel's order (`br_fill_info`), the common part.
fn put_bridge(w: &mut Writer<'_>, link: &GenLink, priority: u16) -> Result<(), Error> {
    let id = BridgeId {
        prio: priority.to_be_bytes(),
        addr: link.address,
    };
    w.put(BridgeAttrs::HELLO_TIMER, 0)?;
    w.put(BridgeAttrs::TCN_TIMER, 0)?;
    w.put(BridgeAttrs::TOPOLOGY_CHANGE_TIMER, 0)?;
    w.put(BridgeAttrs::GC_TIMER, 29_960)?;
    w.put(BridgeAttrs::FORWARD_DELAY, 1500)?;
    w.put(BridgeAttrs::HELLO_TIME, 200)?;
    w.put(BridgeAttrs::MAX_AGE, 2000)?;
    w.put(BridgeAttrs::AGEING_TIME, 30_000)?;
    w.put(BridgeAttrs::STP_STATE, 0)?;
    w.put(BridgeAttrs::PRIORITY, priority)?;
    w.put(BridgeAttrs::VLAN_FILTERING, 0)?;
    w.put(BridgeAttrs::GROUP_FWD_MASK, 0)?;
    w.put(BridgeAttrs::BRIDGE_ID, &id)?;
    w.put(BridgeAttrs::ROOT_ID, &id)?;
    w.put(BridgeAttrs::ROOT_PORT, 0)?;
    w.put(BridgeAttrs::ROOT_PATH_COST, 0)?;
    w.put(BridgeAttrs::TOPOLOGY_CHANGE, 0)?;
    w.put(BridgeAttrs::TOPOLOGY_CHANGE_DETECTED, 0)?;
    w.put(BridgeAttrs::GROUP_ADDR, &[0x01, 0x80, 0xc2, 0, 0, 0])?;
    w.put(BridgeAttrs::MCAST_ROUTER, 1)?;
    w.put(BridgeAttrs::MCAST_SNOOPING, 1)?;
    w.put(BridgeAttrs::MCAST_QUERY_USE_IFADDR, 0)?;
    w.put(BridgeAttrs::MCAST_QUERIER, 0)?;
    w.put(BridgeAttrs::MCAST_HASH_ELASTICITY, 16)?;
    w.put(BridgeAttrs::MCAST_HASH_MAX, 4096)?;
    w.put(BridgeAttrs::MCAST_LAST_MEMBER_CNT, 2)?;
    w.put(BridgeAttrs::MCAST_STARTUP_QUERY_CNT, 2)?;
    w.put(BridgeAttrs::MCAST_LAST_MEMBER_INTVL, 100)?;
    w.put(BridgeAttrs::MCAST_MEMBERSHIP_INTVL, 26_000)?;
    w.put(BridgeAttrs::MCAST_QUERIER_INTVL, 25_500)?;
    w.put(BridgeAttrs::MCAST_QUERY_INTVL, 12_500)?;
    w.put(BridgeAttrs::MCAST_QUERY_RESPONSE_INTVL, 1000)?;
    w.put(BridgeAttrs::MCAST_STARTUP_QUERY_INTVL, 3124)?;
    w.put(BridgeAttrs::NF_CALL_IPTABLES, 0)?;
    w.put(BridgeAttrs::NF_CALL_IP6TABLES, 0)?;
    w.put(BridgeAttrs::NF_CALL_ARPTABLES, 0)?;
    Ok(())
}

/// Vxlan info-data in the kernel's order (`vxlan_fill_info`), the common part.
fn put_vxlan(w: &mut Writer<'_>, vni: u32, local: Ipv4Addr, port: u16) -> Result<(), Error> {
    w.put(VxlanAttrs::ID, vni)?;
    w.put(VxlanAttrs::LINK, 3)?;
    w.put(VxlanAttrs::LOCAL, local.into())?;
    w.put(VxlanAttrs::TTL, 0)?;
    w.put(VxlanAttrs::TTL_INHERIT, 0)?;
    w.put(VxlanAttrs::TOS, 0)?;
    w.put(VxlanAttrs::DF, 0)?;
    w.put(VxlanAttrs::LEARNING, 1)?;
    w.put(VxlanAttrs::PROXY, 0)?;
    w.put(VxlanAttrs::RSC, 0)?;
    w.put(VxlanAttrs::L2MISS, 0)?;
    w.put(VxlanAttrs::L3MISS, 0)?;
    w.put(VxlanAttrs::COLLECT_METADATA, 0)?;
    w.put(VxlanAttrs::AGEING, 300)?;
    w.put(VxlanAttrs::LIMIT, 0)?;
    w.put(VxlanAttrs::PORT, port)?;
    w.put(VxlanAttrs::UDP_CSUM, 1)?;
    w.put(VxlanAttrs::UDP_ZERO_CSUM6_TX, 0)?;
    w.put(VxlanAttrs::UDP_ZERO_CSUM6_RX, 0)?;
    w.put(VxlanAttrs::REMCSUM_TX, 0)?;
    w.put(VxlanAttrs::REMCSUM_RX, 0)?;
    let range = VxlanPortRange {
        low: 0.into(),
        high: 0.into(),
    };
    w.put(VxlanAttrs::PORT_RANGE, &range)?;
    Ok(())
}

/// A dump of `count` links, packed into datagrams, ending with `NLMSG_DONE`.
pub fn link_dump(count: usize) -> Dump {
    pack(count, SEQ, PORT, |w, i| write_link(w, i, &gen_link(i)))
}

#[cfg(test)]
mod tests {
    use nl_core::nlmsg::{Messages, Reply};
    use nl_core::route::link::{Link, LinkData};

    use super::*;

    fn check(link: &Link<'_>, i: usize, want: &GenLink) {
        assert_eq!(link.index(), want.index);
        assert_eq!(link.flags().0, FLAGS_UP);
        assert_eq!(link.link_type(), ARPHRD_ETHER);
        assert_eq!(link.name().as_bytes(), want.name.as_bytes());
        assert_eq!(link.mtu(), Some(want.mtu));
        assert_eq!(link.operstate().map(u8::from), Some(OPER_UP));
        assert_eq!(link.master(), want.master);
        assert_eq!(link.address(), Some(&want.address[..]));
        assert_eq!(link.broadcast(), Some(&[0xff; 6][..]));
        let stats64 = link.stats64().expect("stats64");
        assert_eq!(stats64.rx_packets.get(), counter(i, 0));
        assert_eq!(stats64.rx_otherhost_dropped.get(), counter(i, 24));
        let stats = link.attrs.get(LinkAttrs::STATS).expect("stats");
        assert_eq!(stats.len(), STATS_COUNTERS * 4);
        assert_eq!(stats[8..12], (counter(i, 2) as u32).to_ne_bytes());
        let info = link.linkinfo().expect("linkinfo").expect("present");
        assert_eq!(
            info.kind().map(|k| k.as_bytes()),
            Some(want.kind.name().as_bytes())
        );
        match (want.kind, info.data().expect("data")) {
            (GenKind::Veth { peer }, None) => {
                assert_eq!(link.attrs.get(LinkAttrs::LINK), Some(peer));
            }
            (GenKind::Bridge { priority }, Some(LinkData::Bridge(data))) => {
                assert_eq!(data.get(BridgeAttrs::PRIORITY), Some(priority));
                assert_eq!(data.get(BridgeAttrs::FORWARD_DELAY), Some(1500));
                let id = data.get(BridgeAttrs::BRIDGE_ID).expect("bridge id");
                assert_eq!(id.prio, priority.to_be_bytes());
                assert_eq!(id.addr, want.address);
                assert_eq!(data.unknown(), 0);
            }
            (GenKind::Vxlan { vni, local, port }, Some(LinkData::Vxlan(data))) => {
                assert_eq!(data.get(VxlanAttrs::ID), Some(vni));
                assert_eq!(data.get(VxlanAttrs::LOCAL), Some(local.into()));
                assert_eq!(data.get(VxlanAttrs::PORT), Some(port));
                assert_eq!(data.unknown(), 0);
            }
            (kind, data) => panic!("link {i}: {kind:?} decoded as {data:?}"),
        }
        assert_eq!(link.attrs.unknown(), 0);
    }

    #[test]
    fn dump_parses_back_to_the_intended_links() {
        let dump = link_dump(300);
        assert_eq!(dump.messages, 300);
        let mut n = 0;
        for datagram in &dump.datagrams {
            assert!(datagram.len() <= crate::DATAGRAM_LEN);
            for message in Messages::new(datagram) {
                let message = message.expect("well-formed message");
                if let Reply::Data(message) = Reply::classify(message).expect("classified") {
                    check(&Link::parse(&message).expect("a link"), n, &gen_link(n));
                    n += 1;
                }
            }
        }
        assert_eq!(n, 300);
        assert!(dump.datagrams.len() > 5, "300 links span many datagrams");
    }

    #[test]
    fn the_mix_has_every_kind_and_bridge_ports() {
        let links: Vec<GenLink> = (0..100).map(gen_link).collect();
        let count = |name: &str| links.iter().filter(|l| l.kind.name() == name).count();
        assert_eq!(
            (count("bridge"), count("vxlan"), count("veth")),
            (10, 20, 70)
        );
        assert!(links.iter().any(|l| l.master == Some(BRIDGE_MASTER)));
    }

    #[test]
    fn linkinfo_is_written_without_the_nested_flag_as_the_kernel_does() {
        let dump = pack(1, SEQ, PORT, |w, _| write_link(w, 1, &gen_link(1)));
        let message = Messages::new(&dump.datagrams[0])
            .next()
            .expect("one")
            .expect("ok");
        let link = Link::parse(&message).expect("a link");
        let raw = link
            .attrs
            .iter()
            .map(|a| a.expect("attr"))
            .find(|a| a.ty() == LinkAttrs::LINKINFO.ty())
            .expect("linkinfo");
        assert!(!raw.is_nested());
        assert_eq!(raw.raw_ty(), 18);
    }
}
