//! Links (`RTM_NEWLINK` / `RTM_DELLINK` / `RTM_GETLINK` / `RTM_SETLINK`):
//! network interfaces, their state, counters and kind-specific data.
//!
//! Spec: `rt-link.yaml`; headers: `linux/rtnetlink.h`, `linux/if_link.h`,
//! `linux/if.h`, `linux/veth.h`.
//!
//! ```text
//!  0               1               2               3
//! +---------------+---------------+-------------------------------+
//! | family (u8)   | pad (u8)      |  type (u16, ARPHRD_*)         |
//! +---------------+---------------+-------------------------------+
//! |                       index (s32)                             |
//! +---------------------------------------------------------------+
//! |                       flags (u32, IFF_*)                      |
//! +---------------------------------------------------------------+
//! |                       change (u32: which flags to change)     |
//! +---------------------------------------------------------------+
//! |  attributes (IFLA_*) ...                                      |
//! ```

use core::fmt;

use zerocopy::byteorder::native_endian::{I32, U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::{RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK, RTM_SETLINK};
use crate::family::{FamilyMessage, FixedHeader};
use crate::nlmsg::{self, Flags, RequestLayout};
use crate::table::{Binary, Index, Ip, Nest, NlStr, Str, Struct, Uint};
use crate::{Error, Writer};

/// Longest interface name, without the NUL (`IFNAMSIZ - 1`).
pub const IFNAME_MAX: usize = 15;
/// Longest alternative name, without the NUL (`ALTIFNAMSIZ - 1`).
pub const ALT_IFNAME_MAX: usize = 127;

crate::flag_set! {
    /// `IFF_*`: interface flags (`ifi_flags`, `ifi_change`), named and in
    /// the order `ip link` prints them; `RUNNING` has no name, as `ip`
    /// never prints it (so `unknown()` counts it; see [`IfFlags::ip_unknown`]).
    pub struct IfFlags(u32) {
        /// `IFF_LOOPBACK`
        LOOPBACK = 0x8 => "LOOPBACK",
        /// `IFF_BROADCAST`
        BROADCAST = 0x2 => "BROADCAST",
        /// `IFF_POINTOPOINT`
        POINTOPOINT = 0x10 => "POINTOPOINT",
        /// `IFF_MULTICAST`
        MULTICAST = 0x1000 => "MULTICAST",
        /// `IFF_NOARP`
        NOARP = 0x80 => "NOARP",
        /// `IFF_ALLMULTI`
        ALLMULTI = 0x200 => "ALLMULTI",
        /// `IFF_PROMISC`
        PROMISC = 0x100 => "PROMISC",
        /// `IFF_NOTRAILERS`
        NOTRAILERS = 0x20 => "NOTRAILERS",
        /// `IFF_DEBUG`
        DEBUG = 0x4 => "DEBUG",
        /// `IFF_DYNAMIC`
        DYNAMIC = 0x8000 => "DYNAMIC",
        /// `IFF_AUTOMEDIA`
        AUTOMEDIA = 0x4000 => "AUTOMEDIA",
        /// `IFF_PORTSEL`
        PORTSEL = 0x2000 => "PORTSEL",
        /// `IFF_MASTER`
        MASTER = 0x400 => "MASTER",
        /// `IFF_SLAVE`
        SLAVE = 0x800 => "SLAVE",
        /// `IFF_UP`: administratively up.
        UP = 0x1 => "UP",
        /// `IFF_LOWER_UP`: the driver signals carrier.
        LOWER_UP = 0x1_0000 => "LOWER_UP",
        /// `IFF_DORMANT`
        DORMANT = 0x2_0000 => "DORMANT",
        /// `IFF_ECHO`
        ECHO = 0x4_0000 => "ECHO",
        /// `IFF_RUNNING`: operationally up (RFC 2863 UP or UNKNOWN).
        RUNNING = 0x40,
    }
}

impl IfFlags {
    /// The names `ip link` prints, in its order: `NO-CARRIER` first when
    /// the link is up without `RUNNING`, then [`IfFlags::names`].
    pub fn ip_names(self) -> impl Iterator<Item = &'static str> {
        let no_carrier = self.contains(Self::UP) && !self.contains(Self::RUNNING);
        no_carrier
            .then_some("NO-CARRIER")
            .into_iter()
            .chain(self.names())
    }

    /// The set bits `ip link` prints in hex after the names: those without
    /// a name, except `RUNNING`.
    pub fn ip_unknown(self) -> u32 {
        self.unknown() & !Self::RUNNING
    }
}

impl fmt::Display for IfFlags {
    /// Like `ip link`: `<BROADCAST,MULTICAST,UP,LOWER_UP>`, bits without a
    /// name in hex without `0x` (`<UP,80000>`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<")?;
        crate::named::write_flags(f, self.ip_names(), 0, ",")?;
        let unknown = self.ip_unknown();
        if unknown != 0 {
            let sep = if self.ip_names().next().is_some() {
                ","
            } else {
                ""
            };
            write!(f, "{sep}{unknown:x}")?;
        }
        f.write_str(">")
    }
}

crate::value_enum! {
    /// `IF_OPER_*`: RFC 2863 operational state (`IFLA_OPERSTATE`), with the
    /// names `ip link` prints (an unknown state in hex, as `ip` does).
    pub enum OperState(u8), hex = true {
        /// `IF_OPER_UNKNOWN`: the driver does not report it (printed `UNKNOWN`).
        NotReported = 0 => "UNKNOWN",
        /// `IF_OPER_NOTPRESENT`
        NotPresent = 1 => "NOTPRESENT",
        /// `IF_OPER_DOWN`
        Down = 2 => "DOWN",
        /// `IF_OPER_LOWERLAYERDOWN`
        LowerLayerDown = 3 => "LOWERLAYERDOWN",
        /// `IF_OPER_TESTING`
        Testing = 4 => "TESTING",
        /// `IF_OPER_DORMANT`
        Dormant = 5 => "DORMANT",
        /// `IF_OPER_UP`
        Up = 6 => "UP",
    }
}

crate::value_enum! {
    /// `IF_LINK_MODE_*` (`IFLA_LINKMODE`), with the names `ip link` prints.
    pub enum LinkMode(u8) {
        /// `IF_LINK_MODE_DEFAULT`
        Default = 0 => "DEFAULT",
        /// `IF_LINK_MODE_DORMANT`: limit upward transition to dormant.
        Dormant = 1 => "DORMANT",
        /// `IF_LINK_MODE_TESTING`: limit upward transition to testing.
        Testing = 2 => "TESTING",
    }
}

/// The `ARPHRD_*` name `ip link` prints after `link/` (its `link_type`),
/// for the hardware types seen on Linux hosts; `None` for others.
pub fn link_type_name(arphrd: u16) -> Option<&'static str> {
    Some(match arphrd {
        1 => "ether",
        6 => "ieee802",
        768 => "ipip",
        769 => "tunnel6",
        772 => "loopback",
        776 => "sit",
        778 => "gre",
        823 => "ip6gre",
        65534 => "none",
        65535 => "void",
        _ => return None,
    })
}

crate::value_enum! {
    /// `MACVLAN_MODE_*` (`IFLA_MACVLAN_MODE`), with the names `ip -d link`
    /// prints (an unknown mode in hex).
    pub enum MacvlanMode(u32), hex = true {
        /// `MACVLAN_MODE_PRIVATE`: no traffic between macvlans.
        Private = 1 => "private",
        /// `MACVLAN_MODE_VEPA`: through an external bridge.
        Vepa = 2 => "vepa",
        /// `MACVLAN_MODE_BRIDGE`: macvlans talk directly.
        Bridge = 4 => "bridge",
        /// `MACVLAN_MODE_PASSTHRU`: takes over the lower device.
        Passthru = 8 => "passthru",
        /// `MACVLAN_MODE_SOURCE`: by source MAC list.
        Source = 16 => "source",
    }
}

/// `struct ifinfomsg`: the fixed header of every link message.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct IfInfoMsg {
    /// Address family (`AF_UNSPEC` for links).
    pub family: u8,
    /// Padding.
    pub pad: u8,
    /// Hardware type (`ARPHRD_*`).
    pub ty: U16,
    /// Interface index (0: none, pick by name or let the kernel choose).
    pub index: I32,
    /// `IFF_*` flags.
    pub flags: U32,
    /// Which of `flags` to change (`SETLINK`/`NEWLINK`); 0 in replies.
    pub change: U32,
}

impl IfInfoMsg {
    /// Size on the wire.
    pub const LEN: usize = 16;

    /// A header naming the link with index `index` (0: none).
    pub fn new(index: i32) -> Self {
        IfInfoMsg {
            index: I32::new(index),
            ..IfInfoMsg::default()
        }
    }

    /// Interface flags.
    #[inline]
    pub fn flags(&self) -> IfFlags {
        IfFlags(self.flags.get())
    }
}

/// `struct rtnl_link_stats64` (`IFLA_STATS64`); newer kernels append fields,
/// which are accepted and ignored.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
#[allow(missing_docs)]
pub struct Stats64 {
    pub rx_packets: U64,
    pub tx_packets: U64,
    pub rx_bytes: U64,
    pub tx_bytes: U64,
    pub rx_errors: U64,
    pub tx_errors: U64,
    pub rx_dropped: U64,
    pub tx_dropped: U64,
    pub multicast: U64,
    pub collisions: U64,
    pub rx_length_errors: U64,
    pub rx_over_errors: U64,
    pub rx_crc_errors: U64,
    pub rx_frame_errors: U64,
    pub rx_fifo_errors: U64,
    pub rx_missed_errors: U64,
    pub tx_aborted_errors: U64,
    pub tx_carrier_errors: U64,
    pub tx_fifo_errors: U64,
    pub tx_heartbeat_errors: U64,
    pub tx_window_errors: U64,
    pub rx_compressed: U64,
    pub tx_compressed: U64,
    pub rx_nohandler: U64,
    pub rx_otherhost_dropped: U64,
}

impl crate::table::WireStruct for Stats64 {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("rx-packets", 0, MemberKind::U64),
            Member::new("tx-packets", 8, MemberKind::U64),
            Member::new("rx-bytes", 16, MemberKind::U64),
            Member::new("tx-bytes", 24, MemberKind::U64),
            Member::new("rx-errors", 32, MemberKind::U64),
            Member::new("tx-errors", 40, MemberKind::U64),
            Member::new("rx-dropped", 48, MemberKind::U64),
            Member::new("tx-dropped", 56, MemberKind::U64),
            Member::new("multicast", 64, MemberKind::U64),
            Member::new("collisions", 72, MemberKind::U64),
            Member::new("rx-length-errors", 80, MemberKind::U64),
            Member::new("rx-over-errors", 88, MemberKind::U64),
            Member::new("rx-crc-errors", 96, MemberKind::U64),
            Member::new("rx-frame-errors", 104, MemberKind::U64),
            Member::new("rx-fifo-errors", 112, MemberKind::U64),
            Member::new("rx-missed-errors", 120, MemberKind::U64),
            Member::new("tx-aborted-errors", 128, MemberKind::U64),
            Member::new("tx-carrier-errors", 136, MemberKind::U64),
            Member::new("tx-fifo-errors", 144, MemberKind::U64),
            Member::new("tx-heartbeat-errors", 152, MemberKind::U64),
            Member::new("tx-window-errors", 160, MemberKind::U64),
            Member::new("rx-compressed", 168, MemberKind::U64),
            Member::new("tx-compressed", 176, MemberKind::U64),
            Member::new("rx-nohandler", 184, MemberKind::U64),
            Member::new("rx-otherhost-dropped", 192, MemberKind::U64),
        ]
    };
}

/// `struct ifla_bridge_id`: a bridge or root id (priority, then MAC).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BridgeId {
    /// Priority, 2 bytes as the kernel stores them (big-endian).
    pub prio: [u8; 2],
    /// MAC address.
    pub addr: [u8; 6],
}

// ifla-bridge-id: prio is two bytes in network order, as the kernel stores them (the spec says u16).
impl crate::table::WireStruct for BridgeId {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("prio", 0, MemberKind::Bytes(2)),
            Member::new("addr", 2, MemberKind::Mac),
        ]
    };
}

/// `struct ifla_vxlan_port_range`: source port range (big-endian).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct VxlanPortRange {
    /// Lowest port, network byte order.
    pub low: zerocopy::byteorder::network_endian::U16,
    /// Highest port, network byte order.
    pub high: zerocopy::byteorder::network_endian::U16,
}

// `struct ifla_vxlan_port_range`; the spec names its members as ifla-geneve-port-range's.
impl crate::table::WireStruct for VxlanPortRange {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("low", 0, MemberKind::Be16),
            Member::new("high", 2, MemberKind::Be16),
        ]
    };
}

#[cfg(feature = "defmt")]
impl defmt::Format for IfInfoMsg {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "IfInfoMsg {{ family: {=u8}, type: {=u16}, index: {=i32}, flags: {=u32:#x}, change: {=u32:#x} }}",
            self.family,
            self.ty.get(),
            self.index.get(),
            self.flags.get(),
            self.change.get()
        )
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Stats64 {
    /// The main counters.
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Stats64 {{ rx_packets: {=u64}, tx_packets: {=u64}, rx_bytes: {=u64}, tx_bytes: {=u64}, rx_errors: {=u64}, tx_errors: {=u64}, rx_dropped: {=u64}, tx_dropped: {=u64} }}",
            self.rx_packets.get(),
            self.tx_packets.get(),
            self.rx_bytes.get(),
            self.tx_bytes.get(),
            self.rx_errors.get(),
            self.tx_errors.get(),
            self.rx_dropped.get(),
            self.tx_dropped.get()
        )
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for VxlanPortRange {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "VxlanPortRange {{ low: {=u16}, high: {=u16} }}",
            self.low.get(),
            self.high.get()
        )
    }
}

crate::attr_set! {
    /// `IFLA_*`: the attributes of link messages.
    pub struct LinkAttrs = "link-attrs" {
        /// Hardware address.
        1 ADDRESS "address": Binary<0, 32>;
        /// Hardware broadcast address.
        2 BROADCAST "broadcast": Binary<0, 32>;
        /// Interface name.
        3 IFNAME "ifname": Str<15>;
        /// MTU.
        4 MTU "mtu": u32;
        /// The link this one sits on (peer, lower device), by index.
        5 LINK "link": i32;
        /// Queueing discipline name.
        6 QDISC "qdisc": Str<0>;
        /// `struct rtnl_link_stats` (32-bit counters), raw.
        7 STATS "stats": Binary<0, 65535>;
        /// Index of the master device (bridge...); 0 to release.
        10 MASTER "master": u32;
        /// Transmit queue length.
        13 TXQLEN "txqlen": u32;
        /// `struct rtnl_link_ifmap`, raw.
        14 MAP "map": Binary<0, 65535>;
        /// [`OperState`].
        16 OPERSTATE "operstate": u8;
        /// [`LinkMode`].
        17 LINKMODE "linkmode": u8;
        /// Kind and kind-specific data.
        18 LINKINFO "linkinfo": Nest<LinkInfoAttrs>;
        /// Move to the netns of this process.
        19 NET_NS_PID "net-ns-pid": u32;
        /// Alias.
        20 IFALIAS "ifalias": Str<0>;
        /// Number of virtual functions.
        21 NUM_VF "num-vf": u32;
        /// 64-bit counters.
        23 STATS64 "stats64": Struct<Stats64>;
        /// Per-family data (`AF_INET`, `AF_INET6`...), raw nest.
        26 AF_SPEC "af-spec": Binary<0, 65535>;
        /// Interface group.
        27 GROUP "group": u32;
        /// Move to the netns of this file descriptor.
        28 NET_NS_FD "net-ns-fd": u32;
        /// `RTEXT_FILTER_*`: what a GETLINK should include.
        29 EXT_MASK "ext-mask": u32, flags(super::spec_values::RtextFilter);
        /// Promiscuity count.
        30 PROMISCUITY "promiscuity": u32;
        /// Transmit queues.
        31 NUM_TX_QUEUES "num-tx-queues": u32;
        /// Receive queues.
        32 NUM_RX_QUEUES "num-rx-queues": u32;
        /// Carrier (1: on).
        33 CARRIER "carrier": u8;
        /// Physical port id.
        34 PHYS_PORT_ID "phys-port-id": Binary<0, 32>;
        /// Carrier changes.
        35 CARRIER_CHANGES "carrier-changes": u32;
        /// Physical switch id.
        36 PHYS_SWITCH_ID "phys-switch-id": Binary<0, 32>;
        /// Netns id of the namespace `LINK` is in.
        37 LINK_NETNSID "link-netnsid": i32;
        /// Physical port name.
        38 PHYS_PORT_NAME "phys-port-name": Str<0>;
        /// Protocol down.
        39 PROTO_DOWN "proto-down": u8;
        /// Largest GSO segment count.
        40 GSO_MAX_SEGS "gso-max-segs": u32;
        /// Largest GSO size.
        41 GSO_MAX_SIZE "gso-max-size": u32;
        /// XDP programs, raw nest.
        43 XDP "xdp": Binary<0, 65535>;
        /// Event that caused a notification.
        44 EVENT "event": u32;
        /// New netns id (on moves).
        45 NEW_NETNSID "new-netnsid": i32;
        /// Act on the netns with this id.
        46 TARGET_NETNSID "target-netnsid": i32;
        /// Carrier up count.
        47 CARRIER_UP_COUNT "carrier-up-count": u32;
        /// Carrier down count.
        48 CARRIER_DOWN_COUNT "carrier-down-count": u32;
        /// New index (on moves).
        49 NEW_IFINDEX "new-ifindex": i32;
        /// Smallest MTU.
        50 MIN_MTU "min-mtu": u32;
        /// Largest MTU.
        51 MAX_MTU "max-mtu": u32;
        /// Properties: alternative names.
        52 PROP_LIST "prop-list": Nest<PropListAttrs>;
        /// Alternative name (in requests).
        53 ALT_IFNAME "alt-ifname": Str<127>;
        /// Permanent hardware address.
        54 PERM_ADDRESS "perm-address": Binary<0, 32>;
        /// Protocol-down reasons, raw nest.
        55 PROTO_DOWN_REASON "proto-down-reason": Binary<0, 65535>;
        /// Parent device name.
        56 PARENT_DEV_NAME "parent-dev-name": Str<0>;
        /// Parent device bus name.
        57 PARENT_DEV_BUS_NAME "parent-dev-bus-name": Str<0>;
        /// Largest GRO size.
        58 GRO_MAX_SIZE "gro-max-size": u32;
        /// Largest TSO size.
        59 TSO_MAX_SIZE "tso-max-size": u32;
        /// Largest TSO segment count.
        60 TSO_MAX_SEGS "tso-max-segs": u32;
        /// All-multicast count.
        61 ALLMULTI "allmulti": u32;
        /// Devlink port, raw.
        62 DEVLINK_PORT "devlink-port": Binary<0, 65535>;
        /// Largest IPv4 GSO size.
        63 GSO_IPV4_MAX_SIZE "gso-ipv4-max-size": u32;
        /// Largest IPv4 GRO size.
        64 GRO_IPV4_MAX_SIZE "gro-ipv4-max-size": u32;
        /// DPLL pin, raw nest.
        65 DPLL_PIN "dpll-pin": Binary<0, 65535>;
        /// Pacing offload horizon.
        66 MAX_PACING_OFFLOAD_HORIZON "max-pacing-offload-horizon": Uint;
        /// Cannot move between namespaces.
        67 NETNS_IMMUTABLE "netns-immutable": u8;
        /// Headroom.
        68 HEADROOM "headroom": u16;
        /// Tailroom.
        69 TAILROOM "tailroom": u16;
    }
}

crate::attr_set! {
    /// `IFLA_ALT_IFNAME` entries inside `IFLA_PROP_LIST`.
    pub struct PropListAttrs = "prop-list-link-attrs" {
        /// One alternative name.
        53 ALT_IFNAME "alt-ifname": Str<127>, multi;
    }
}

crate::attr_set! {
    /// `IFLA_INFO_*`: the kind of a link and its data.
    pub struct LinkInfoAttrs = "linkinfo-attrs" {
        /// Kind (`veth`, `bridge`, `vxlan`...).
        1 KIND "kind": Str<0>;
        /// Kind-specific attributes; decode with [`LinkInfo::data`].
        2 DATA "data": Binary<0, 65535>;
        /// Kind-specific statistics, raw.
        3 XSTATS "xstats": Binary<0, 65535>;
        /// Kind of the master this link is a port of.
        4 SLAVE_KIND "slave-kind": Str<0>;
        /// Port data for that master, raw.
        5 SLAVE_DATA "slave-data": Binary<0, 65535>;
    }
}

crate::attr_set! {
    /// `VETH_INFO_*`: veth data.
    pub struct VethAttrs = "linkinfo-veth-attrs" {
        /// The peer: an `ifinfomsg` then link attributes.
        1 PEER "peer": Binary<16, 65535>;
    }
}

crate::attr_set! {
    /// `IFLA_BR_*`: bridge data.
    pub struct BridgeAttrs = "linkinfo-bridge-attrs" {
        /// Forward delay (centiseconds).
        1 FORWARD_DELAY "forward-delay": u32;
        /// Hello time (centiseconds).
        2 HELLO_TIME "hello-time": u32;
        /// Max age (centiseconds).
        3 MAX_AGE "max-age": u32;
        /// Ageing time (centiseconds).
        4 AGEING_TIME "ageing-time": u32;
        /// STP state.
        5 STP_STATE "stp-state": u32;
        /// Bridge priority.
        6 PRIORITY "priority": u16;
        /// VLAN filtering on.
        7 VLAN_FILTERING "vlan-filtering": u8;
        /// VLAN protocol (big-endian ethertype).
        8 VLAN_PROTOCOL "vlan-protocol": crate::table::Be16;
        /// Group forward mask.
        9 GROUP_FWD_MASK "group-fwd-mask": u16;
        /// Root id.
        10 ROOT_ID "root-id": Struct<BridgeId>;
        /// Bridge id.
        11 BRIDGE_ID "bridge-id": Struct<BridgeId>;
        /// Root port.
        12 ROOT_PORT "root-port": u16;
        /// Root path cost.
        13 ROOT_PATH_COST "root-path-cost": u32;
        /// Topology change.
        14 TOPOLOGY_CHANGE "topology-change": u8;
        /// Topology change detected.
        15 TOPOLOGY_CHANGE_DETECTED "topology-change-detected": u8;
        /// Hello timer.
        16 HELLO_TIMER "hello-timer": u64;
        /// TCN timer.
        17 TCN_TIMER "tcn-timer": u64;
        /// Topology change timer.
        18 TOPOLOGY_CHANGE_TIMER "topology-change-timer": u64;
        /// GC timer.
        19 GC_TIMER "gc-timer": u64;
        /// Group address.
        20 GROUP_ADDR "group-addr": Binary<6, 6>;
        /// Flush the FDB (request only).
        21 FDB_FLUSH "fdb-flush": Binary<0, 0>;
        /// Multicast router.
        22 MCAST_ROUTER "mcast-router": u8;
        /// Multicast snooping.
        23 MCAST_SNOOPING "mcast-snooping": u8;
        /// Multicast query uses interface address.
        24 MCAST_QUERY_USE_IFADDR "mcast-query-use-ifaddr": u8;
        /// Multicast querier.
        25 MCAST_QUERIER "mcast-querier": u8;
        /// Hash elasticity.
        26 MCAST_HASH_ELASTICITY "mcast-hash-elasticity": u32;
        /// Hash max.
        27 MCAST_HASH_MAX "mcast-hash-max": u32;
        /// Last member count.
        28 MCAST_LAST_MEMBER_CNT "mcast-last-member-cnt": u32;
        /// Startup query count.
        29 MCAST_STARTUP_QUERY_CNT "mcast-startup-query-cnt": u32;
        /// Last member interval.
        30 MCAST_LAST_MEMBER_INTVL "mcast-last-member-intvl": u64;
        /// Membership interval.
        31 MCAST_MEMBERSHIP_INTVL "mcast-membership-intvl": u64;
        /// Querier interval.
        32 MCAST_QUERIER_INTVL "mcast-querier-intvl": u64;
        /// Query interval.
        33 MCAST_QUERY_INTVL "mcast-query-intvl": u64;
        /// Query response interval.
        34 MCAST_QUERY_RESPONSE_INTVL "mcast-query-response-intvl": u64;
        /// Startup query interval.
        35 MCAST_STARTUP_QUERY_INTVL "mcast-startup-query-intvl": u64;
        /// Call iptables.
        36 NF_CALL_IPTABLES "nf-call-iptables": u8;
        /// Call ip6tables.
        37 NF_CALL_IP6TABLES "nf-call-ip6tables": u8;
        /// Call arptables.
        38 NF_CALL_ARPTABLES "nf-call-arptables": u8;
        /// Default PVID.
        39 VLAN_DEFAULT_PVID "vlan-default-pvid": u16;
        /// VLAN stats.
        41 VLAN_STATS_ENABLED "vlan-stats-enabled": u8;
        /// Multicast stats.
        42 MCAST_STATS_ENABLED "mcast-stats-enabled": u8;
        /// IGMP version.
        43 MCAST_IGMP_VERSION "mcast-igmp-version": u8;
        /// MLD version.
        44 MCAST_MLD_VERSION "mcast-mld-version": u8;
        /// Per-port VLAN stats.
        45 VLAN_STATS_PER_PORT "vlan-stats-per-port": u8;
        /// Boolean options, raw `struct br_boolopt_multi`.
        46 MULTI_BOOLOPT "multi-boolopt": Binary<8, 65535>;
        /// Querier state, raw nest.
        47 MCAST_QUERIER_STATE "mcast-querier-state": Binary<0, 65535>;
        /// Learned FDB entries.
        48 FDB_N_LEARNED "fdb-n-learned": u32;
        /// Most learned FDB entries.
        49 FDB_MAX_LEARNED "fdb-max-learned": u32;
    }
}

crate::attr_set! {
    /// `IFLA_VXLAN_*`: vxlan data.
    pub struct VxlanAttrs = "linkinfo-vxlan-attrs" {
        /// VNI.
        1 ID "id": u32;
        /// Remote or group IPv4 address.
        2 GROUP "group": Ip;
        /// Underlay device index.
        3 LINK "link": u32;
        /// Local IPv4 address.
        4 LOCAL "local": Ip;
        /// TTL.
        5 TTL "ttl": u8;
        /// TOS.
        6 TOS "tos": u8;
        /// Learning on.
        7 LEARNING "learning": u8;
        /// FDB ageing (seconds).
        8 AGEING "ageing": u32;
        /// FDB limit.
        9 LIMIT "limit": u32;
        /// Source port range.
        10 PORT_RANGE "port-range": Struct<VxlanPortRange>;
        /// ARP proxy.
        11 PROXY "proxy": u8;
        /// Route short circuit.
        12 RSC "rsc": u8;
        /// L2 miss notifications.
        13 L2MISS "l2miss": u8;
        /// L3 miss notifications.
        14 L3MISS "l3miss": u8;
        /// Destination UDP port.
        15 PORT "port": crate::table::Be16;
        /// Remote or group IPv6 address.
        16 GROUP6 "group6": Ip;
        /// Local IPv6 address.
        17 LOCAL6 "local6": Ip;
        /// UDP checksum.
        18 UDP_CSUM "udp-csum": u8;
        /// Zero IPv6 UDP checksum on transmit.
        19 UDP_ZERO_CSUM6_TX "udp-zero-csum6-tx": u8;
        /// Zero IPv6 UDP checksum on receive.
        20 UDP_ZERO_CSUM6_RX "udp-zero-csum6-rx": u8;
        /// Remote checksum offload on transmit.
        21 REMCSUM_TX "remcsum-tx": u8;
        /// Remote checksum offload on receive.
        22 REMCSUM_RX "remcsum-rx": u8;
        /// Group policy extension.
        23 GBP "gbp": crate::table::Flag;
        /// No partial remote checksum.
        24 REMCSUM_NOPARTIAL "remcsum-nopartial": crate::table::Flag;
        /// Collect metadata (external).
        25 COLLECT_METADATA "collect-metadata": u8;
        /// IPv6 flow label (big-endian).
        26 LABEL "label": crate::table::Be32;
        /// Generic protocol extension.
        27 GPE "gpe": crate::table::Flag;
        /// TTL inherit.
        28 TTL_INHERIT "ttl-inherit": u8;
        /// Don't-fragment setting.
        29 DF "df": u8;
        /// VNI filtering.
        30 VNIFILTER "vnifilter": u8;
        /// Deliver locally-destined packets directly.
        31 LOCALBYPASS "localbypass": u8;
        /// IPv6 flow label policy.
        32 LABEL_POLICY "label-policy": u32;
        /// Which VXLAN header bits are reserved (`struct vxlanhdr` mask).
        33 RESERVED_BITS "reserved-bits": Binary<8, 8>;
    }
}

crate::attr_set! {
    /// `IFLA_MACVLAN_*`: macvlan data.
    pub struct MacvlanAttrs = "linkinfo-macvlan-attrs" {
        /// [`MacvlanMode`].
        1 MODE "mode": u32;
        /// `MACVLAN_FLAG_*`.
        2 FLAGS "flags": u16;
        /// Source MAC list operation.
        3 MACADDR_MODE "macaddr-mode": u32;
        /// One source MAC.
        4 MACADDR "macaddr": Binary<6, 6>;
        /// Source MAC list, raw nest.
        5 MACADDR_DATA "macaddr-data": Binary<0, 65535>;
        /// Source MAC count.
        6 MACADDR_COUNT "macaddr-count": u32;
        /// Broadcast queue length.
        7 BC_QUEUE_LEN "bc-queue-len": u32;
        /// Broadcast queue length in use.
        8 BC_QUEUE_LEN_USED "bc-queue-len-used": u32;
    }
}

/// Where requests' attributes start and which set they are, for naming a
/// kernel error's offset.
pub fn layout() -> RequestLayout {
    Link::layout()
}

// ---------------------------------------------------------------- read view

/// A link message: `RTM_NEWLINK` (reply or event), `RTM_DELLINK`, or a request.
pub type Link<'a> = FamilyMessage<'a, IfInfoMsg, LinkAttrs>;

impl FixedHeader for IfInfoMsg {
    const TYPES: &'static [u16] = &[RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK];
}

// ifinfomsg, as rt-link.yaml names it.
impl crate::table::WireStruct for IfInfoMsg {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("ifi-family", 0, MemberKind::U8),
            Member::new("ifi-type", 2, MemberKind::U16),
            Member::new("ifi-index", 4, MemberKind::S32),
            Member::new("ifi-flags", 8, MemberKind::U32).flags::<super::spec_values::IfinfoFlags>(),
            Member::new("ifi-change", 12, MemberKind::U32),
        ]
    };
}

/// The data of a link's kind (`IFLA_INFO_DATA`), decoded for the kinds this
/// library knows.
// Each variant holds its parsed index in place: there is no heap to box it on.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum LinkData<'a> {
    /// `veth`: the peer, if the message carries it (only in requests and
    /// `NEWLINK` notifications of a creation).
    Veth(Index<'a, VethAttrs>),
    /// `bridge`.
    Bridge(Index<'a, BridgeAttrs>),
    /// `vxlan`.
    Vxlan(Index<'a, VxlanAttrs>),
    /// `macvlan`.
    Macvlan(Index<'a, MacvlanAttrs>),
    /// Another kind: the raw attributes.
    Other(&'a [u8]),
}

/// The peer in veth data (`VETH_INFO_PEER`: an `ifinfomsg` then link
/// attributes), if the data carries it.
pub fn veth_peer<'a>(data: &Index<'a, VethAttrs>) -> Result<Option<Link<'a>>, Error> {
    match data.get(VethAttrs::PEER) {
        Some(peer) => Ok(Some(Link::parse_payload(RTM_NEWLINK, peer)?)),
        None => Ok(None),
    }
}

/// `IFLA_LINKINFO`: a link's kind and its data.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LinkInfo<'a> {
    /// The attributes.
    pub attrs: Index<'a, LinkInfoAttrs>,
}

impl<'a> LinkInfo<'a> {
    /// The kind (`veth`, `bridge`...).
    #[inline]
    pub fn kind(&self) -> Option<NlStr<'a>> {
        self.attrs.get(LinkInfoAttrs::KIND)
    }

    /// The kind of this link's master, when it is a port.
    #[inline]
    pub fn slave_kind(&self) -> Option<NlStr<'a>> {
        self.attrs.get(LinkInfoAttrs::SLAVE_KIND)
    }

    /// The kind's data, decoded by kind; `None` if absent.
    pub fn data(&self) -> Result<Option<LinkData<'a>>, Error> {
        let Some(data) = self.attrs.get(LinkInfoAttrs::DATA) else {
            return Ok(None);
        };
        let kind = self.kind().map(|k| k.as_bytes()).unwrap_or_default();
        Ok(Some(match kind {
            b"veth" => LinkData::Veth(Index::parse(data)?),
            b"bridge" => LinkData::Bridge(Index::parse(data)?),
            b"vxlan" => LinkData::Vxlan(Index::parse(data)?),
            b"macvlan" => LinkData::Macvlan(Index::parse(data)?),
            _ => LinkData::Other(data),
        }))
    }
}

impl<'a> Link<'a> {
    /// Interface index.
    #[inline]
    pub fn index(&self) -> i32 {
        self.header.index.get()
    }

    /// Interface flags.
    #[inline]
    pub fn flags(&self) -> IfFlags {
        self.header.flags()
    }

    /// Hardware type (`ARPHRD_*`).
    #[inline]
    pub fn link_type(&self) -> u16 {
        self.header.ty.get()
    }

    /// Name (empty if absent).
    #[inline]
    pub fn name(&self) -> NlStr<'a> {
        self.attrs.get(LinkAttrs::IFNAME).unwrap_or(NlStr(&[]))
    }

    /// MTU.
    #[inline]
    pub fn mtu(&self) -> Option<u32> {
        self.attrs.get(LinkAttrs::MTU)
    }

    /// Operational state.
    #[inline]
    pub fn operstate(&self) -> Option<OperState> {
        self.attrs.get(LinkAttrs::OPERSTATE).map(OperState::from)
    }

    /// Link mode.
    #[inline]
    pub fn linkmode(&self) -> Option<LinkMode> {
        self.attrs.get(LinkAttrs::LINKMODE).map(LinkMode::from)
    }

    /// Master index.
    #[inline]
    pub fn master(&self) -> Option<u32> {
        self.attrs.get(LinkAttrs::MASTER)
    }

    /// Hardware address.
    #[inline]
    pub fn address(&self) -> Option<&'a [u8]> {
        self.attrs.get(LinkAttrs::ADDRESS)
    }

    /// Hardware broadcast address.
    #[inline]
    pub fn broadcast(&self) -> Option<&'a [u8]> {
        self.attrs.get(LinkAttrs::BROADCAST)
    }

    /// 64-bit counters.
    #[inline]
    pub fn stats64(&self) -> Option<&'a Stats64> {
        self.attrs.get(LinkAttrs::STATS64)
    }

    /// Kind and kind data, when present.
    pub fn linkinfo(&self) -> Result<Option<LinkInfo<'a>>, Error> {
        match self.attrs.get(LinkAttrs::LINKINFO) {
            Some(nest) => Ok(Some(LinkInfo {
                attrs: nest.parse()?,
            })),
            None => Ok(None),
        }
    }

    /// The alternative names in `IFLA_PROP_LIST`.
    pub fn alt_names(&self) -> Result<impl Iterator<Item = NlStr<'a>> + 'a, Error> {
        let list = match self.attrs.get(LinkAttrs::PROP_LIST) {
            Some(nest) => nest.parse()?,
            None => Index::empty(),
        };
        Ok(list.all(PropListAttrs::ALT_IFNAME))
    }
}

/// A MAC-style address written as colon-separated hex (`fa:b4:...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HwAddr<'a>(pub &'a [u8]);

impl fmt::Display for HwAddr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Link<'_> {
    /// Like `ip link show` (a peer or lower link is shown by index,
    /// `@ifN`, as `ip` does when it cannot name it):
    ///
    /// ```text
    /// 3: v0@if2: <BROADCAST,MULTICAST,UP> mtu 1400 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000
    ///     link/ether fa:b4:b9:98:f5:e7 brd ff:ff:ff:ff:ff:ff
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.index(), self.name())?;
        if let Some(link) = self.attrs.get(LinkAttrs::LINK) {
            if link != self.index() {
                write!(f, "@if{link}")?;
            }
        }
        write!(f, ": {}", self.flags())?;
        if let Some(mtu) = self.mtu() {
            write!(f, " mtu {mtu}")?;
        }
        if let Some(qdisc) = self.attrs.get(LinkAttrs::QDISC) {
            write!(f, " qdisc {qdisc}")?;
        }
        if let Some(master) = self.master() {
            write!(f, " master if{master}")?;
        }
        if let Some(state) = self.operstate() {
            write!(f, " state {state}")?;
        }
        if let Some(mode) = self.linkmode() {
            write!(f, " mode {mode}")?;
        }
        match self.attrs.get(LinkAttrs::GROUP) {
            Some(0) => f.write_str(" group default")?,
            Some(group) => write!(f, " group {group}")?,
            None => {}
        }
        if let Some(qlen) = self.attrs.get(LinkAttrs::TXQLEN) {
            write!(f, " qlen {qlen}")?;
        }
        f.write_str("\n    link/")?;
        match link_type_name(self.link_type()) {
            Some(name) => f.write_str(name)?,
            None => write!(f, "[{}]", self.link_type())?,
        }
        if let Some(addr) = self.address() {
            write!(f, " {}", HwAddr(addr))?;
        }
        if let Some(brd) = self.broadcast() {
            write!(f, " brd {}", HwAddr(brd))?;
        }
        if let Some(id) = self.attrs.get(LinkAttrs::LINK_NETNSID) {
            write!(f, " link-netnsid {id}")?;
        }
        if let Ok(Some(info)) = self.linkinfo() {
            if let Some(kind) = info.kind() {
                write!(f, "\n    {kind}")?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- requests

/// A link named by index or by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum LinkRef<'n> {
    /// By interface index.
    Index(i32),
    /// By name (`IFLA_IFNAME`).
    Name(&'n str),
}

impl LinkRef<'_> {
    fn index(&self) -> i32 {
        match self {
            LinkRef::Index(i) => *i,
            LinkRef::Name(_) => 0,
        }
    }

    fn space(&self) -> Result<usize, Error> {
        match self {
            LinkRef::Index(_) => Ok(0),
            LinkRef::Name(name) => LinkAttrs::IFNAME.space(name),
        }
    }

    fn put(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        match self {
            LinkRef::Index(_) => Ok(()),
            LinkRef::Name(name) => w.put(LinkAttrs::IFNAME, name),
        }
    }
}

/// Builds `RTM_GETLINK` for one link into `buf`.
pub fn get_link<'b>(buf: &'b mut [u8], seq: u32, link: LinkRef<'_>) -> Result<&'b [u8], Error> {
    let attrs = link.space()?;
    nlmsg::build(
        buf,
        RTM_GETLINK,
        Flags::NONE,
        seq,
        &IfInfoMsg::new(link.index()),
        attrs,
        |w| link.put(w),
    )
}

/// Strict-check filters of a link dump (the socket needs
/// `NETLINK_GET_STRICT_CHK` on for the kernel to apply them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LinkFilter<'k> {
    /// Only ports of this master (`IFLA_MASTER`).
    pub master: Option<u32>,
    /// Only links of this kind (`IFLA_LINKINFO` / `IFLA_INFO_KIND`).
    pub kind: Option<&'k str>,
}

/// Builds an `RTM_GETLINK` dump into `buf`, with strict-check filters.
pub fn dump_links<'b>(
    buf: &'b mut [u8],
    seq: u32,
    filter: LinkFilter<'_>,
) -> Result<&'b [u8], Error> {
    let mut attrs = 0;
    if let Some(master) = filter.master {
        attrs += LinkAttrs::MASTER.space(&master)?;
    }
    if let Some(kind) = filter.kind {
        attrs += crate::attr::space(LinkInfoAttrs::KIND.space(&kind)?)?;
    }
    nlmsg::build(
        buf,
        RTM_GETLINK,
        Flags::DUMP,
        seq,
        &IfInfoMsg::default(),
        attrs,
        |w| {
            if let Some(master) = filter.master {
                w.put(LinkAttrs::MASTER, master)?;
            }
            if let Some(kind) = filter.kind {
                let nest = w.nest(LinkAttrs::LINKINFO)?;
                w.put(LinkInfoAttrs::KIND, kind)?;
                w.nest_end(nest)?;
            }
            Ok(())
        },
    )
}

/// Builds `RTM_DELLINK` into `buf`.
pub fn del_link<'b>(buf: &'b mut [u8], seq: u32, link: LinkRef<'_>) -> Result<&'b [u8], Error> {
    let attrs = link.space()?;
    nlmsg::build(
        buf,
        RTM_DELLINK,
        Flags::NONE,
        seq,
        &IfInfoMsg::new(link.index()),
        attrs,
        |w| link.put(w),
    )
}

/// What [`set_link`] changes; `None` leaves a property as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LinkChange<'n> {
    /// Administratively up (`true`) or down (`false`): `IFF_UP` in
    /// `ifi_flags` with `ifi_change`.
    pub up: Option<bool>,
    /// MTU.
    pub mtu: Option<u32>,
    /// New name.
    pub name: Option<&'n str>,
    /// Master index; `Some(0)` releases the link from its master.
    pub master: Option<u32>,
}

impl LinkChange<'_> {
    fn space(&self) -> Result<usize, Error> {
        let mut n = 0;
        if let Some(mtu) = self.mtu {
            n += LinkAttrs::MTU.space(&mtu)?;
        }
        if let Some(name) = self.name {
            n += LinkAttrs::IFNAME.space(&name)?;
        }
        if let Some(master) = self.master {
            n += LinkAttrs::MASTER.space(&master)?;
        }
        Ok(n)
    }

    fn apply(&self, header: &mut IfInfoMsg) {
        if let Some(up) = self.up {
            header.flags = U32::new(if up { IfFlags::UP } else { 0 });
            header.change = U32::new(IfFlags::UP);
        }
    }

    fn put(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        if let Some(mtu) = self.mtu {
            w.put(LinkAttrs::MTU, mtu)?;
        }
        if let Some(name) = self.name {
            w.put(LinkAttrs::IFNAME, name)?;
        }
        if let Some(master) = self.master {
            w.put(LinkAttrs::MASTER, master)?;
        }
        Ok(())
    }
}

/// Builds `RTM_SETLINK` for the link with index `index` into `buf`.
pub fn set_link<'b>(
    buf: &'b mut [u8],
    seq: u32,
    index: i32,
    change: &LinkChange<'_>,
) -> Result<&'b [u8], Error> {
    let mut header = IfInfoMsg::new(index);
    change.apply(&mut header);
    nlmsg::build(
        buf,
        RTM_SETLINK,
        Flags::NONE,
        seq,
        &header,
        change.space()?,
        |w| change.put(w),
    )
}

/// The kind of link [`new_link`] creates, with its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum NewKind<'n> {
    /// A veth pair; the peer gets this name.
    Veth {
        /// Peer name.
        peer: &'n str,
    },
    /// A bridge.
    Bridge,
    /// A vxlan device.
    Vxlan {
        /// VNI.
        id: u32,
        /// Destination UDP port.
        port: Option<u16>,
        /// Underlay device index.
        link: Option<u32>,
    },
    /// A macvlan on the device `link`.
    Macvlan {
        /// Lower device index (`IFLA_LINK`).
        link: i32,
        /// Mode.
        mode: MacvlanMode,
    },
}

impl NewKind<'_> {
    fn kind(&self) -> &'static str {
        match self {
            NewKind::Veth { .. } => "veth",
            NewKind::Bridge => "bridge",
            NewKind::Vxlan { .. } => "vxlan",
            NewKind::Macvlan { .. } => "macvlan",
        }
    }

    /// Bytes of `IFLA_INFO_DATA`'s payload (0: no data attribute).
    fn data_len(&self) -> Result<usize, Error> {
        Ok(match self {
            NewKind::Veth { peer } => {
                crate::attr::space(IfInfoMsg::LEN + LinkAttrs::IFNAME.space(peer)?)?
            }
            NewKind::Bridge => 0,
            NewKind::Vxlan { id, port, link } => {
                VxlanAttrs::ID.space(id)?
                    + match port {
                        Some(p) => VxlanAttrs::PORT.space(p)?,
                        None => 0,
                    }
                    + match link {
                        Some(l) => VxlanAttrs::LINK.space(l)?,
                        None => 0,
                    }
            }
            NewKind::Macvlan { mode, .. } => MacvlanAttrs::MODE.space(&u32::from(*mode))?,
        })
    }

    fn space(&self) -> Result<usize, Error> {
        let mut info = LinkInfoAttrs::KIND.space(&self.kind())?;
        let data = self.data_len()?;
        if data > 0 {
            info += crate::attr::space(data)?;
        }
        let mut n = crate::attr::space(info)?;
        if let NewKind::Macvlan { link, .. } = self {
            n += LinkAttrs::LINK.space(link)?;
        }
        Ok(n)
    }

    fn put(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        if let NewKind::Macvlan { link, .. } = self {
            w.put(LinkAttrs::LINK, *link)?;
        }
        let info = w.nest(LinkAttrs::LINKINFO)?;
        w.put(LinkInfoAttrs::KIND, self.kind())?;
        if self.data_len()? > 0 {
            let data = w.nest_start(LinkInfoAttrs::DATA.ty())?;
            match self {
                NewKind::Veth { peer } => {
                    let peer_nest = w.nest_start(VethAttrs::PEER.ty())?;
                    w.put_struct(&IfInfoMsg::default())?;
                    w.put(LinkAttrs::IFNAME, peer)?;
                    w.nest_end(peer_nest)?;
                }
                NewKind::Bridge => {}
                NewKind::Vxlan { id, port, link } => {
                    w.put(VxlanAttrs::ID, *id)?;
                    if let Some(port) = port {
                        w.put(VxlanAttrs::PORT, *port)?;
                    }
                    if let Some(link) = link {
                        w.put(VxlanAttrs::LINK, *link)?;
                    }
                }
                NewKind::Macvlan { mode, .. } => w.put(MacvlanAttrs::MODE, u32::from(*mode))?,
            }
            w.nest_end(data)?;
        }
        w.nest_end(info)
    }
}

/// What [`new_link`] creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NewLink<'n> {
    /// Name.
    pub name: &'n str,
    /// Kind and its data.
    pub kind: NewKind<'n>,
    /// MTU.
    pub mtu: Option<u32>,
    /// Master index.
    pub master: Option<u32>,
    /// Create it up.
    pub up: bool,
}

impl<'n> NewLink<'n> {
    /// A link named `name` of kind `kind`, down, with defaults.
    pub fn new(name: &'n str, kind: NewKind<'n>) -> Self {
        NewLink {
            name,
            kind,
            mtu: None,
            master: None,
            up: false,
        }
    }
}

/// Builds `RTM_NEWLINK` creating `link` into `buf`. `flags` adds
/// `NLM_F_CREATE`, `NLM_F_EXCL`... (`Flags::CREATE | Flags::EXCL` to fail
/// with `EEXIST` when the name is taken).
pub fn new_link<'b>(
    buf: &'b mut [u8],
    seq: u32,
    flags: Flags,
    link: &NewLink<'_>,
) -> Result<&'b [u8], Error> {
    let change = LinkChange {
        up: link.up.then_some(true),
        mtu: link.mtu,
        name: Some(link.name),
        master: link.master,
    };
    let attrs = change.space()? + link.kind.space()?;
    let mut header = IfInfoMsg::default();
    change.apply(&mut header);
    nlmsg::build(buf, RTM_NEWLINK, flags, seq, &header, attrs, |w| {
        change.put(w)?;
        link.kind.put(w)
    })
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::vec::Vec;

    use super::*;
    use crate::nlmsg::Message;

    /// The start of this kernel's reply to `RTM_GETLINK` for `v0`, one end
    /// of a veth pair (MTU set to 1400, up, peer down).
    #[rustfmt::skip]
    const HEADER: [u8; 32] = [
        0xd4, 0x05, 0x00, 0x00, // nlmsg_len = 1492 (the whole reply)
        0x10, 0x00,             // nlmsg_type = RTM_NEWLINK
        0x00, 0x00,             // nlmsg_flags = 0
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x43, 0x68, 0x00, 0x00, // nlmsg_pid
        0x00,                   // ifi_family = AF_UNSPEC
        0x00,                   // pad
        0x01, 0x00,             // ifi_type = ARPHRD_ETHER
        0x03, 0x00, 0x00, 0x00, // ifi_index = 3
        0x03, 0x10, 0x00, 0x00, // ifi_flags = UP | BROADCAST | MULTICAST
        0x00, 0x00, 0x00, 0x00, // ifi_change = 0
    ];

    /// Attributes of that reply, as the kernel sent them (stats, AF_SPEC,
    /// XDP and the other large ones left out).
    #[rustfmt::skip]
    const ATTRS: [u8; 148] = [
        0x07, 0x00, 0x03, 0x00, 0x76, 0x30, 0x00, 0x00, // IFLA_IFNAME "v0"
        0x08, 0x00, 0x0d, 0x00, 0xe8, 0x03, 0x00, 0x00, // IFLA_TXQLEN 1000
        0x05, 0x00, 0x10, 0x00, 0x03, 0x00, 0x00, 0x00, // IFLA_OPERSTATE LOWERLAYERDOWN
        0x05, 0x00, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, // IFLA_LINKMODE DEFAULT
        0x08, 0x00, 0x04, 0x00, 0x78, 0x05, 0x00, 0x00, // IFLA_MTU 1400
        0x08, 0x00, 0x32, 0x00, 0x44, 0x00, 0x00, 0x00, // IFLA_MIN_MTU 68
        0x08, 0x00, 0x33, 0x00, 0xff, 0xff, 0x00, 0x00, // IFLA_MAX_MTU 65535
        0x08, 0x00, 0x1b, 0x00, 0x00, 0x00, 0x00, 0x00, // IFLA_GROUP 0
        0x08, 0x00, 0x1f, 0x00, 0x02, 0x00, 0x00, 0x00, // IFLA_NUM_TX_QUEUES 2
        0x08, 0x00, 0x20, 0x00, 0x02, 0x00, 0x00, 0x00, // IFLA_NUM_RX_QUEUES 2
        0x05, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00, // IFLA_CARRIER 0
        0x0a, 0x00, 0x01, 0x00,                         // IFLA_ADDRESS
        0xfa, 0xb4, 0xb9, 0x98, 0xf5, 0xe7, 0x00, 0x00, //   fa:b4:b9:98:f5:e7 + 2 padding
        0x0a, 0x00, 0x02, 0x00,                         // IFLA_BROADCAST
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, //   ff:ff:ff:ff:ff:ff + 2 padding
        0x10, 0x00, 0x12, 0x00,                         // IFLA_LINKINFO (len 16)
        0x09, 0x00, 0x01, 0x00,                         //   IFLA_INFO_KIND (len 9)
        0x76, 0x65, 0x74, 0x68, 0x00, 0x00, 0x00, 0x00, //   "veth\0" + 3 padding
        0x08, 0x00, 0x05, 0x00, 0x02, 0x00, 0x00, 0x00, // IFLA_LINK 2 (the peer)
        0x0c, 0x00, 0x06, 0x00,                         // IFLA_QDISC
        0x6e, 0x6f, 0x71, 0x75, 0x65, 0x75, 0x65, 0x00, //   "noqueue\0"
    ];

    /// A message of `header` then `attrs`, nlmsg_len fixed up.
    fn with(header: &[u8], attrs: &[u8]) -> Vec<u8> {
        let mut m = Vec::from(header);
        m.extend_from_slice(attrs);
        let len = u32::try_from(m.len()).unwrap();
        m[..4].copy_from_slice(&len.to_ne_bytes());
        m
    }

    fn link(bytes: &[u8]) -> Result<Link<'_>, Error> {
        Link::parse(&Message::parse(bytes)?)
    }

    #[test]
    fn decode_the_veth_reply() {
        let bytes = with(&HEADER, &ATTRS);
        let l = link(&bytes).unwrap();
        assert_eq!(l.ty, RTM_NEWLINK);
        assert_eq!(l.index(), 3);
        assert_eq!(l.link_type(), 1);
        assert_eq!(link_type_name(l.link_type()), Some("ether"));
        assert_eq!(l.flags(), IfFlags(0x1003));
        assert_eq!(l.name(), "v0");
        assert_eq!(l.mtu(), Some(1400));
        assert_eq!(l.attrs.get(LinkAttrs::MIN_MTU), Some(68));
        assert_eq!(l.attrs.get(LinkAttrs::MAX_MTU), Some(65535));
        assert_eq!(l.attrs.get(LinkAttrs::TXQLEN), Some(1000));
        assert_eq!(l.operstate(), Some(OperState::LowerLayerDown));
        assert_eq!(l.linkmode(), Some(LinkMode::Default));
        assert_eq!(l.attrs.get(LinkAttrs::GROUP), Some(0));
        assert_eq!(l.attrs.get(LinkAttrs::NUM_TX_QUEUES), Some(2));
        assert_eq!(l.attrs.get(LinkAttrs::CARRIER), Some(0));
        assert_eq!(l.attrs.get(LinkAttrs::LINK), Some(2));
        assert_eq!(l.attrs.get(LinkAttrs::QDISC).unwrap(), "noqueue");
        assert_eq!(l.address(), Some(&[0xfa, 0xb4, 0xb9, 0x98, 0xf5, 0xe7][..]));
        assert_eq!(l.broadcast(), Some(&[0xff; 6][..]));
        assert_eq!(l.master(), None);
        assert_eq!(l.stats64(), None);
        let info = l.linkinfo().unwrap().unwrap();
        assert_eq!(info.kind().unwrap(), "veth");
        assert!(info.data().unwrap().is_none());
        assert_eq!(l.alt_names().unwrap().count(), 0);
        assert_eq!(l.attrs.unknown(), 0);
    }

    #[test]
    fn display_reads_like_ip_link_show() {
        let bytes = with(&HEADER, &ATTRS);
        assert_eq!(
            format!("{}", link(&bytes).unwrap()),
            "3: v0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1400 qdisc noqueue \
             state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n    \
             link/ether fa:b4:b9:98:f5:e7 brd ff:ff:ff:ff:ff:ff\n    veth"
        );
    }

    #[test]
    fn stats64_longer_than_known_is_accepted() {
        // IFLA_STATS64 with 26 counters: one more than Stats64 knows.
        let mut attr = Vec::from([0xd4u8, 0x00, 0x17, 0x00]); // nla_len = 212, IFLA_STATS64
        for i in 1..=26u64 {
            attr.extend_from_slice(&i.to_ne_bytes());
        }
        let bytes = with(&HEADER, &attr);
        let stats = link(&bytes).unwrap().stats64().unwrap();
        assert_eq!(stats.rx_packets.get(), 1);
        assert_eq!(stats.tx_bytes.get(), 4);
        assert_eq!(stats.rx_otherhost_dropped.get(), 25);
        // Shorter than known is an error.
        let short = with(&HEADER, &[0x0c, 0x00, 0x17, 0x00, 1, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            link(&short).unwrap_err(),
            Error::BadAttrLength { ty: 23, len: 8 }
        );
    }

    /// `IFLA_LINKINFO` of this kernel's reply for
    /// `ip link add mv0 link v0 type macvlan mode bridge`.
    #[rustfmt::skip]
    const MACVLAN_INFO: [u8; 60] = [
        0x3c, 0x00, 0x12, 0x00, // nla_len = 60, IFLA_LINKINFO
        0x0c, 0x00, 0x01, 0x00, //   nla_len = 12, IFLA_INFO_KIND
        0x6d, 0x61, 0x63, 0x76, 0x6c, 0x61, 0x6e, 0x00, // "macvlan\0"
        0x2c, 0x00, 0x02, 0x00, //   nla_len = 44, IFLA_INFO_DATA
        0x08, 0x00, 0x01, 0x00, //     nla_len = 8, IFLA_MACVLAN_MODE
        0x04, 0x00, 0x00, 0x00, //     MACVLAN_MODE_BRIDGE
        0x06, 0x00, 0x02, 0x00, //     nla_len = 6, IFLA_MACVLAN_FLAGS
        0x00, 0x00, 0x00, 0x00, //     0 + 2 padding
        0x08, 0x00, 0x06, 0x00, //     nla_len = 8, IFLA_MACVLAN_MACADDR_COUNT
        0x00, 0x00, 0x00, 0x00, //     0
        0x08, 0x00, 0x07, 0x00, //     nla_len = 8, IFLA_MACVLAN_BC_QUEUE_LEN
        0xe8, 0x03, 0x00, 0x00, //     1000
        0x08, 0x00, 0x08, 0x00, //     nla_len = 8, IFLA_MACVLAN_BC_QUEUE_LEN_USED
        0xe8, 0x03, 0x00, 0x00, //     1000
    ];

    /// `IFLA_LINKINFO` of this kernel's reply for
    /// `ip link add vx0 type vxlan id 42 dstport 4789 dev v0 ttl 5`.
    #[rustfmt::skip]
    const VXLAN_INFO: [u8; 224] = [
        0xe0, 0x00, 0x12, 0x00, // nla_len = 224, IFLA_LINKINFO
        0x0a, 0x00, 0x01, 0x00, //   nla_len = 10, IFLA_INFO_KIND
        0x76, 0x78, 0x6c, 0x61, 0x6e, 0x00, 0x00, 0x00, // "vxlan\0" + 2 padding
        0xd0, 0x00, 0x02, 0x00, //   nla_len = 208, IFLA_INFO_DATA
        0x08, 0x00, 0x01, 0x00, 0x2a, 0x00, 0x00, 0x00, // ID 42
        0x08, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, // LINK 3
        0x05, 0x00, 0x05, 0x00, 0x05, 0x00, 0x00, 0x00, // TTL 5
        0x05, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x00, 0x00, // TTL_INHERIT 0
        0x05, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, // TOS 0
        0x05, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x00, // DF 0 (unset)
        0x08, 0x00, 0x1a, 0x00, 0x00, 0x00, 0x00, 0x00, // LABEL 0
        0x08, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, // LABEL_POLICY 0
        0x05, 0x00, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00, // LEARNING 1
        0x05, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, // PROXY 0
        0x05, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, // RSC 0
        0x05, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, // L2MISS 0
        0x05, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00, // L3MISS 0
        0x05, 0x00, 0x19, 0x00, 0x00, 0x00, 0x00, 0x00, // COLLECT_METADATA 0
        0x08, 0x00, 0x08, 0x00, 0x2c, 0x01, 0x00, 0x00, // AGEING 300
        0x08, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, // LIMIT 0
        0x06, 0x00, 0x0f, 0x00, 0x12, 0xb5, 0x00, 0x00, // PORT 4789 (big-endian) + padding
        0x05, 0x00, 0x12, 0x00, 0x01, 0x00, 0x00, 0x00, // UDP_CSUM 1
        0x05, 0x00, 0x13, 0x00, 0x00, 0x00, 0x00, 0x00, // UDP_ZERO_CSUM6_TX 0
        0x05, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, // UDP_ZERO_CSUM6_RX 0
        0x05, 0x00, 0x15, 0x00, 0x00, 0x00, 0x00, 0x00, // REMCSUM_TX 0
        0x05, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, // REMCSUM_RX 0
        0x05, 0x00, 0x1f, 0x00, 0x01, 0x00, 0x00, 0x00, // LOCALBYPASS 1
        0x08, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, // PORT_RANGE 0-0
        0x0c, 0x00, 0x21, 0x00, // nla_len = 12, RESERVED_BITS
        0xf7, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0xff, // struct vxlanhdr mask
    ];

    #[test]
    fn decode_kind_data() {
        let bytes = with(&HEADER, &MACVLAN_INFO);
        let l = link(&bytes).unwrap();
        let info = l.linkinfo().unwrap().unwrap();
        assert_eq!(info.kind().unwrap(), "macvlan");
        match info.data().unwrap().unwrap() {
            LinkData::Macvlan(data) => {
                assert_eq!(
                    data.get(MacvlanAttrs::MODE).map(MacvlanMode::from),
                    Some(MacvlanMode::Bridge)
                );
                assert_eq!(data.get(MacvlanAttrs::FLAGS), Some(0));
                assert_eq!(data.get(MacvlanAttrs::MACADDR_COUNT), Some(0));
                assert_eq!(data.get(MacvlanAttrs::BC_QUEUE_LEN), Some(1000));
                assert_eq!(data.get(MacvlanAttrs::BC_QUEUE_LEN_USED), Some(1000));
                assert_eq!(data.unknown(), 0);
            }
            other => panic!("{other:?}"),
        }
        let bytes = with(&HEADER, &VXLAN_INFO);
        let info = link(&bytes).unwrap().linkinfo().unwrap().unwrap();
        match info.data().unwrap().unwrap() {
            LinkData::Vxlan(data) => {
                assert_eq!(data.get(VxlanAttrs::ID), Some(42));
                assert_eq!(data.get(VxlanAttrs::LINK), Some(3));
                assert_eq!(data.get(VxlanAttrs::TTL), Some(5));
                assert_eq!(data.get(VxlanAttrs::LEARNING), Some(1));
                assert_eq!(data.get(VxlanAttrs::AGEING), Some(300));
                assert_eq!(data.get(VxlanAttrs::PORT), Some(4789));
                assert_eq!(data.get(VxlanAttrs::UDP_CSUM), Some(1));
                assert_eq!(data.get(VxlanAttrs::LOCALBYPASS), Some(1));
                assert_eq!(data.get(VxlanAttrs::LABEL_POLICY), Some(0));
                let range = data.get(VxlanAttrs::PORT_RANGE).unwrap();
                assert_eq!((range.low.get(), range.high.get()), (0, 0));
                assert_eq!(
                    data.get(VxlanAttrs::RESERVED_BITS),
                    Some(&[0xf7, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0xff][..])
                );
                assert_eq!(data.get(VxlanAttrs::GROUP), None);
                assert_eq!(data.unknown(), 0);
            }
            other => panic!("{other:?}"),
        }
        // An unknown kind keeps its data raw.
        #[rustfmt::skip]
        let other = [
            0x14, 0x00, 0x12, 0x80, // nla_len = 20, IFLA_LINKINFO
            0x08, 0x00, 0x01, 0x00, //   nla_len = 8, IFLA_INFO_KIND
            b't', b'u', b'n', 0x00,
            0x08, 0x00, 0x02, 0x80, //   nla_len = 8, IFLA_INFO_DATA
            0x01, 0x02, 0x03, 0x04, //   raw
        ];
        let bytes = with(&HEADER, &other);
        match link(&bytes)
            .unwrap()
            .linkinfo()
            .unwrap()
            .unwrap()
            .data()
            .unwrap()
            .unwrap()
        {
            LinkData::Other(raw) => assert_eq!(raw, &[1, 2, 3, 4]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn get_link_requests() {
        let mut buf = [0xa5u8; 48];
        let request = get_link(&mut buf, 7, LinkRef::Name("v0")).unwrap();
        #[rustfmt::skip]
        let want: [u8; 40] = [
            0x28, 0x00, 0x00, 0x00, // nlmsg_len = 40
            0x12, 0x00,             // nlmsg_type = RTM_GETLINK
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x00, 0x00, 0x00, 0x00, // ifi_family, pad, ifi_type
            0x00, 0x00, 0x00, 0x00, // ifi_index = 0
            0x00, 0x00, 0x00, 0x00, // ifi_flags
            0x00, 0x00, 0x00, 0x00, // ifi_change
            0x07, 0x00, 0x03, 0x00, // nla_len = 7, IFLA_IFNAME
            b'v', b'0', 0x00, 0x00, // "v0\0" + 1 padding
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[40..], &[0xa5; 8]);
        let mut buf = [0xa5u8; 32];
        let request = get_link(&mut buf, 8, LinkRef::Index(3)).unwrap();
        assert_eq!(request.len(), 32);
        assert_eq!(&request[20..24], &[3, 0, 0, 0], "ifi_index = 3");
    }

    #[test]
    fn dump_with_filters() {
        let mut buf = [0xa5u8; 64];
        let request = dump_links(
            &mut buf,
            2,
            LinkFilter {
                master: Some(5),
                kind: Some("veth"),
            },
        )
        .unwrap();
        #[rustfmt::skip]
        let want: [u8; 56] = [
            0x38, 0x00, 0x00, 0x00, // nlmsg_len = 56
            0x12, 0x00,             // nlmsg_type = RTM_GETLINK
            0x01, 0x03,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
            0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x00, 0x00, 0x00, 0x00, // ifinfomsg: all zero
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
            0x08, 0x00, 0x0a, 0x00, // nla_len = 8, IFLA_MASTER
            0x05, 0x00, 0x00, 0x00, // 5
            0x10, 0x00, 0x12, 0x80, // nla_len = 16, IFLA_LINKINFO | NESTED
            0x09, 0x00, 0x01, 0x00, //   nla_len = 9, IFLA_INFO_KIND
            b'v', b'e', b't', b'h', 0x00, 0x00, 0x00, 0x00, // "veth\0" + 3 padding
        ];
        assert_eq!(request, &want[..]);
        let mut buf = [0u8; 32];
        assert_eq!(
            dump_links(&mut buf, 2, LinkFilter::default())
                .unwrap()
                .len(),
            32
        );
    }

    #[test]
    fn set_link_up_and_mtu() {
        let mut buf = [0xa5u8; 48];
        let change = LinkChange {
            up: Some(true),
            mtu: Some(1280),
            ..LinkChange::default()
        };
        let request = set_link(&mut buf, 4, 3, &change).unwrap();
        #[rustfmt::skip]
        let want: [u8; 40] = [
            0x28, 0x00, 0x00, 0x00, // nlmsg_len = 40
            0x13, 0x00,             // nlmsg_type = RTM_SETLINK
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x04, 0x00, 0x00, 0x00, // nlmsg_seq = 4
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x00, 0x00, 0x00, 0x00, // ifi_family, pad, ifi_type
            0x03, 0x00, 0x00, 0x00, // ifi_index = 3
            0x01, 0x00, 0x00, 0x00, // ifi_flags = IFF_UP
            0x01, 0x00, 0x00, 0x00, // ifi_change = IFF_UP
            0x08, 0x00, 0x04, 0x00, // nla_len = 8, IFLA_MTU
            0x00, 0x05, 0x00, 0x00, // 1280
        ];
        assert_eq!(request, &want[..]);
        let down = LinkChange {
            up: Some(false),
            ..LinkChange::default()
        };
        let request = set_link(&mut buf, 4, 3, &down).unwrap();
        assert_eq!(
            &request[24..32],
            &[0, 0, 0, 0, 1, 0, 0, 0],
            "flags 0, change UP"
        );
    }

    #[test]
    fn new_veth_pair() {
        let mut buf = [0xa5u8; 96];
        let spec = NewLink::new("va", NewKind::Veth { peer: "vb" });
        let request = new_link(&mut buf, 9, Flags::CREATE | Flags::EXCL, &spec).unwrap();
        #[rustfmt::skip]
        let want: [u8; 88] = [
            0x58, 0x00, 0x00, 0x00, // nlmsg_len = 88
            0x10, 0x00,             // nlmsg_type = RTM_NEWLINK
            0x01, 0x06,             // nlmsg_flags = REQUEST | EXCL | CREATE
            0x09, 0x00, 0x00, 0x00, // nlmsg_seq = 9
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x00, 0x00, 0x00, 0x00, // ifinfomsg: all zero
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
            0x07, 0x00, 0x03, 0x00, // nla_len = 7, IFLA_IFNAME
            b'v', b'a', 0x00, 0x00, // "va\0" + 1 padding
            0x30, 0x00, 0x12, 0x80, // nla_len = 48, IFLA_LINKINFO | NESTED
            0x09, 0x00, 0x01, 0x00, //   nla_len = 9, IFLA_INFO_KIND
            b'v', b'e', b't', b'h', 0x00, 0x00, 0x00, 0x00, // "veth\0" + 3 padding
            0x20, 0x00, 0x02, 0x80, //   nla_len = 32, IFLA_INFO_DATA | NESTED
            0x1c, 0x00, 0x01, 0x80, //     nla_len = 28, VETH_INFO_PEER | NESTED
            0x00, 0x00, 0x00, 0x00, //     peer ifinfomsg: all zero
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
            0x07, 0x00, 0x03, 0x00, //     nla_len = 7, IFLA_IFNAME
            b'v', b'b', 0x00, 0x00, //     "vb\0" + 1 padding
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[88..], &[0xa5; 8]);
        // The peer decodes as a link.
        let msg = Message::parse(&want).unwrap();
        let l = Link::parse(&msg).unwrap();
        let info = l.linkinfo().unwrap().unwrap();
        match info.data().unwrap().unwrap() {
            LinkData::Veth(data) => {
                let peer =
                    Link::parse_payload(RTM_NEWLINK, data.get(VethAttrs::PEER).unwrap()).unwrap();
                assert_eq!(peer.name(), "vb");
                assert_eq!(peer.index(), 0);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn requests_without_room_write_nothing_and_report_the_total() {
        type Build = fn(&mut [u8]) -> Result<&[u8], Error>;
        let builders: [Build; 9] = [
            |b| get_link(b, 1, LinkRef::Name("eth0")),
            |b| del_link(b, 1, LinkRef::Index(4)),
            |b| {
                dump_links(
                    b,
                    1,
                    LinkFilter {
                        master: Some(1),
                        kind: Some("bridge"),
                    },
                )
            },
            |b| {
                let change = LinkChange {
                    up: Some(true),
                    mtu: Some(1500),
                    name: Some("x"),
                    master: Some(0),
                };
                set_link(b, 1, 2, &change)
            },
            |b| {
                new_link(
                    b,
                    1,
                    Flags::CREATE,
                    &NewLink::new("va", NewKind::Veth { peer: "vb" }),
                )
            },
            |b| new_link(b, 1, Flags::CREATE, &NewLink::new("br0", NewKind::Bridge)),
            |b| {
                let kind = NewKind::Vxlan {
                    id: 42,
                    port: Some(4789),
                    link: Some(2),
                };
                new_link(b, 1, Flags::CREATE, &NewLink::new("vx0", kind))
            },
            |b| {
                let kind = NewKind::Macvlan {
                    link: 2,
                    mode: MacvlanMode::Bridge,
                };
                let mut spec = NewLink::new("mv0", kind);
                spec.mtu = Some(1400);
                spec.master = Some(3);
                spec.up = true;
                new_link(b, 1, Flags::CREATE, &spec)
            },
            |b| dump_links(b, 1, LinkFilter::default()),
        ];
        for build in builders {
            let mut big = std::vec![0xa5u8; 512];
            let total = build(&mut big).unwrap().len();
            // What was written parses back as a link message.
            let msg = Message::parse(&big[..total]).unwrap();
            assert_eq!(msg.len(), total);
            Link::parse(&msg).unwrap();
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
    fn bad_names_are_refused() {
        let mut buf = [0xa5u8; 64];
        assert_eq!(
            get_link(&mut buf, 1, LinkRef::Name("sixteen_chars_xx")).unwrap_err(),
            Error::BadAttrLength { ty: 3, len: 17 }
        );
        assert_eq!(buf, [0xa5; 64]);
    }

    #[test]
    fn parse_errors() {
        let mut other = with(&HEADER, &ATTRS);
        other[4] = 0x14; // RTM_NEWADDR
        assert_eq!(
            link(&other).unwrap_err(),
            Error::UnexpectedType { ty: 0x14 }
        );
        let short = with(&HEADER[..28], &[]);
        assert_eq!(link(&short).unwrap_err(), Error::Truncated);
        let mut bad = with(&HEADER, &ATTRS);
        bad[32 + 24] = 0x06; // IFLA_OPERSTATE nla_len = 6: 2 bytes
        assert!(link(&bad).is_err());
        for n in 16..32 + ATTRS.len() {
            let bytes = with(&with(&HEADER, &ATTRS)[..n], &[]);
            if let Ok(l) = link(&bytes) {
                let _ = format!("{l}");
            }
        }
    }

    #[test]
    fn value_sets_convert_both_ways() {
        for raw in 0..=u8::MAX {
            assert_eq!(u8::from(OperState::from(raw)), raw);
            assert_eq!(u8::from(LinkMode::from(raw)), raw);
        }
        for raw in 0..64u32 {
            assert_eq!(u32::from(MacvlanMode::from(raw)), raw);
        }
        let names: Vec<_> = (0..=7u8)
            .map(|r| format!("{}", OperState::from(r)))
            .collect();
        assert_eq!(
            names,
            [
                "UNKNOWN",
                "NOTPRESENT",
                "DOWN",
                "LOWERLAYERDOWN",
                "TESTING",
                "DORMANT",
                "UP",
                "0x7"
            ]
        );
        assert_eq!(format!("{}", LinkMode::from(1)), "DORMANT");
        assert_eq!(format!("{}", MacvlanMode::from(8)), "passthru");
    }

    #[test]
    fn flag_names() {
        // linux/if.h values.
        assert_eq!(IfFlags::UP, 0x1);
        assert_eq!(IfFlags::RUNNING, 0x40);
        assert_eq!(IfFlags::LOWER_UP, 0x10000);
        assert_eq!(IfFlags::ECHO, 0x40000);
        // lo as the kernel reports it: UP | LOOPBACK | RUNNING | LOWER_UP.
        assert_eq!(format!("{}", IfFlags(0x10049)), "<LOOPBACK,UP,LOWER_UP>");
        assert_eq!(format!("{}", IfFlags(0x1002)), "<BROADCAST,MULTICAST>");
        assert_eq!(format!("{}", IfFlags(0)), "<>");
        assert_eq!(format!("{}", IfFlags(0x80000)), "<80000>");
        assert_eq!(
            format!("{}", IfFlags(0x81003)),
            "<NO-CARRIER,BROADCAST,MULTICAST,UP,80000>"
        );
    }

    mod properties {
        use proptest::prelude::*;
        use std::string::String;

        use super::*;

        fn poke(l: &Link<'_>) -> String {
            let _ = (l.index(), l.flags().names().count(), l.name(), l.mtu());
            let _ = (l.operstate(), l.linkmode(), l.master(), l.address());
            let _ = (l.broadcast(), l.stats64().map(|s| s.rx_bytes.get()));
            if let Ok(Some(info)) = l.linkinfo() {
                let _ = (info.kind(), info.slave_kind());
                if let Ok(Some(LinkData::Veth(v))) = info.data() {
                    let _ = veth_peer(&v);
                }
            }
            let _ = l.alt_names().map(Iterator::count);
            format!("{l}")
        }

        proptest! {
            #[test]
            fn arbitrary_payloads_never_panic(payload in prop::collection::vec(any::<u8>(), 0..300)) {
                if let Ok(l) = Link::parse_payload(RTM_NEWLINK, &payload) {
                    poke(&l);
                }
            }

            #[test]
            fn arbitrary_attributes_after_a_real_header_never_panic(
                attrs in prop::collection::vec(any::<u8>(), 0..300),
            ) {
                let bytes = with(&HEADER, &attrs);
                if let Ok(l) = link(&bytes) {
                    poke(&l);
                }
            }

            #[test]
            fn new_links_round_trip(
                name in "[a-z0-9]{1,15}",
                peer in "[a-z0-9]{1,15}",
                kind in 0u8..4,
                id in any::<u32>(),
                port in prop::option::of(any::<u16>()),
                lower in 1i32..10_000,
                mtu in prop::option::of(68u32..65_536),
                master in prop::option::of(1u32..10_000),
                up in any::<bool>(),
            ) {
                let kind = match kind {
                    0 => NewKind::Veth { peer: &peer },
                    1 => NewKind::Bridge,
                    2 => NewKind::Vxlan { id, port, link: master },
                    _ => NewKind::Macvlan { link: lower, mode: MacvlanMode::Vepa },
                };
                let spec = NewLink { name: &name, kind, mtu, master, up };
                let mut buf = [0u8; 256];
                let bytes = new_link(&mut buf, 1, Flags::CREATE, &spec).unwrap();
                let l = link(bytes).unwrap();
                prop_assert_eq!(l.name(), name.as_str());
                prop_assert_eq!(l.mtu(), mtu);
                prop_assert_eq!(l.master(), master);
                prop_assert_eq!(l.flags().contains(IfFlags::UP), up);
                let info = l.linkinfo().unwrap().unwrap();
                match (kind, info.data().unwrap()) {
                    (NewKind::Veth { peer }, Some(LinkData::Veth(v))) => {
                        prop_assert_eq!(veth_peer(&v).unwrap().unwrap().name(), peer);
                    }
                    (NewKind::Bridge, None) => prop_assert_eq!(info.kind().unwrap(), "bridge"),
                    (NewKind::Vxlan { id, port, link }, Some(LinkData::Vxlan(v))) => {
                        prop_assert_eq!(v.get(VxlanAttrs::ID), Some(id));
                        prop_assert_eq!(v.get(VxlanAttrs::PORT), port);
                        prop_assert_eq!(v.get(VxlanAttrs::LINK), link);
                    }
                    (NewKind::Macvlan { link, mode }, Some(LinkData::Macvlan(m))) => {
                        prop_assert_eq!(l.attrs.get(LinkAttrs::LINK), Some(link));
                        prop_assert_eq!(m.get(MacvlanAttrs::MODE), Some(u32::from(mode)));
                    }
                    (kind, data) => prop_assert!(false, "{kind:?} gave {data:?}"),
                }
            }
        }
    }
}
