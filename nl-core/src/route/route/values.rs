//! The route value sets with the names `ip` uses: `rtm_type`,
//! `rtm_protocol`, `rtm_scope`, table ids, IPv6 preference and flags.

use core::fmt;

/// `RTN_*`: what a route does with a packet (`rtm_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RouteType {
    /// `RTN_UNSPEC`
    Unspec,
    /// `RTN_UNICAST`: a gateway or direct route.
    Unicast,
    /// `RTN_LOCAL`: accept locally.
    Local,
    /// `RTN_BROADCAST`: accept locally as broadcast, send as broadcast.
    Broadcast,
    /// `RTN_ANYCAST`: accept locally as broadcast, send as unicast.
    Anycast,
    /// `RTN_MULTICAST`
    Multicast,
    /// `RTN_BLACKHOLE`: drop silently.
    Blackhole,
    /// `RTN_UNREACHABLE`: drop with host unreachable.
    Unreachable,
    /// `RTN_PROHIBIT`: drop with administratively prohibited.
    Prohibit,
    /// `RTN_THROW`: not in this table, go on with the rules.
    Throw,
    /// `RTN_NAT`: translate this address.
    Nat,
    /// `RTN_XRESOLVE`: use an external resolver.
    Xresolve,
    /// A type this library does not name.
    Unknown(u8),
}

const ROUTE_TYPES: [(RouteType, u8, &str); 12] = [
    (RouteType::Unspec, 0, "none"),
    (RouteType::Unicast, 1, "unicast"),
    (RouteType::Local, 2, "local"),
    (RouteType::Broadcast, 3, "broadcast"),
    (RouteType::Anycast, 4, "anycast"),
    (RouteType::Multicast, 5, "multicast"),
    (RouteType::Blackhole, 6, "blackhole"),
    (RouteType::Unreachable, 7, "unreachable"),
    (RouteType::Prohibit, 8, "prohibit"),
    (RouteType::Throw, 9, "throw"),
    (RouteType::Nat, 10, "nat"),
    (RouteType::Xresolve, 11, "xresolve"),
];

impl From<u8> for RouteType {
    fn from(raw: u8) -> Self {
        ROUTE_TYPES
            .iter()
            .find(|(_, r, _)| *r == raw)
            .map_or(RouteType::Unknown(raw), |(t, _, _)| *t)
    }
}

impl From<RouteType> for u8 {
    fn from(ty: RouteType) -> u8 {
        match ty {
            RouteType::Unknown(raw) => raw,
            known => ROUTE_TYPES
                .iter()
                .find(|(t, _, _)| *t == known)
                .map_or(0, |(_, r, _)| *r),
        }
    }
}

impl RouteType {
    /// The type `ip` calls `name` (`unicast`, `blackhole`…).
    pub fn from_name(name: &str) -> Option<Self> {
        ROUTE_TYPES
            .iter()
            .find(|(_, _, n)| *n == name)
            .map(|(t, _, _)| *t)
    }

    /// The name `ip` prints, or `None` for an unknown type.
    pub fn name(self) -> Option<&'static str> {
        let raw = u8::from(self);
        ROUTE_TYPES
            .iter()
            .find(|(_, r, _)| *r == raw)
            .map(|(_, _, n)| *n)
    }
}

impl fmt::Display for RouteType {
    /// The names `ip` prints; a number for an unknown type.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", u8::from(*self)),
        }
    }
}

/// `RTPROT_*`: who installed a route (`rtm_protocol`). Values above
/// `RTPROT_STATIC` are not interpreted by the kernel; the names are
/// iproute2's `rt_protos`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RouteProtocol {
    /// `RTPROT_UNSPEC`
    Unspec,
    /// `RTPROT_REDIRECT`: an ICMP redirect.
    Redirect,
    /// `RTPROT_KERNEL`: the kernel itself.
    Kernel,
    /// `RTPROT_BOOT`: at boot (the default for `ip route add`).
    Boot,
    /// `RTPROT_STATIC`: by the administrator.
    Static,
    /// `RTPROT_GATED`
    Gated,
    /// `RTPROT_RA`: router advertisement.
    Ra,
    /// `RTPROT_MRT`
    Mrt,
    /// `RTPROT_ZEBRA`
    Zebra,
    /// `RTPROT_BIRD`
    Bird,
    /// `RTPROT_DNROUTED`
    Dnrouted,
    /// `RTPROT_XORP`
    Xorp,
    /// `RTPROT_NTK`
    Ntk,
    /// `RTPROT_DHCP`
    Dhcp,
    /// `RTPROT_KEEPALIVED`
    Keepalived,
    /// `RTPROT_BABEL`
    Babel,
    /// `RTPROT_OPENR`
    Openr,
    /// `RTPROT_BGP`
    Bgp,
    /// `RTPROT_ISIS`
    Isis,
    /// `RTPROT_OSPF`
    Ospf,
    /// `RTPROT_RIP`
    Rip,
    /// `RTPROT_EIGRP`
    Eigrp,
    /// A protocol number without a name (`ip` prints the number).
    Unknown(u8),
}

const PROTOCOLS: [(RouteProtocol, u8, &str); 22] = [
    (RouteProtocol::Unspec, 0, "unspec"),
    (RouteProtocol::Redirect, 1, "redirect"),
    (RouteProtocol::Kernel, 2, "kernel"),
    (RouteProtocol::Boot, 3, "boot"),
    (RouteProtocol::Static, 4, "static"),
    (RouteProtocol::Gated, 8, "gated"),
    (RouteProtocol::Ra, 9, "ra"),
    (RouteProtocol::Mrt, 10, "mrt"),
    (RouteProtocol::Zebra, 11, "zebra"),
    (RouteProtocol::Bird, 12, "bird"),
    (RouteProtocol::Dnrouted, 13, "dnrouted"),
    (RouteProtocol::Xorp, 14, "xorp"),
    (RouteProtocol::Ntk, 15, "ntk"),
    (RouteProtocol::Dhcp, 16, "dhcp"),
    (RouteProtocol::Keepalived, 18, "keepalived"),
    (RouteProtocol::Babel, 42, "babel"),
    (RouteProtocol::Openr, 99, "openr"),
    (RouteProtocol::Bgp, 186, "bgp"),
    (RouteProtocol::Isis, 187, "isis"),
    (RouteProtocol::Ospf, 188, "ospf"),
    (RouteProtocol::Rip, 189, "rip"),
    (RouteProtocol::Eigrp, 192, "eigrp"),
];

impl From<u8> for RouteProtocol {
    fn from(raw: u8) -> Self {
        PROTOCOLS
            .iter()
            .find(|(_, r, _)| *r == raw)
            .map_or(RouteProtocol::Unknown(raw), |(p, _, _)| *p)
    }
}

impl From<RouteProtocol> for u8 {
    fn from(protocol: RouteProtocol) -> u8 {
        match protocol {
            RouteProtocol::Unknown(raw) => raw,
            known => PROTOCOLS
                .iter()
                .find(|(p, _, _)| *p == known)
                .map_or(0, |(_, r, _)| *r),
        }
    }
}

impl RouteProtocol {
    /// The protocol named `name` (as `ip` names it) or given as a number.
    pub fn from_name(name: &str) -> Option<Self> {
        if let Ok(raw) = name.parse::<u8>() {
            return Some(raw.into());
        }
        PROTOCOLS
            .iter()
            .find(|(_, _, n)| *n == name)
            .map(|(p, _, _)| *p)
    }

    /// The name `ip` prints, or `None` for a bare number.
    pub fn name(self) -> Option<&'static str> {
        let raw = u8::from(self);
        PROTOCOLS
            .iter()
            .find(|(_, r, _)| *r == raw)
            .map(|(_, _, n)| *n)
    }
}

impl fmt::Display for RouteProtocol {
    /// The names `ip` prints; the number when it has none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", u8::from(*self)),
        }
    }
}

/// `RT_SCOPE_*`: how far a destination is (`rtm_scope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RouteScope {
    /// `RT_SCOPE_UNIVERSE` (0): everywhere; `ip` says `global`.
    Universe,
    /// `RT_SCOPE_SITE` (200)
    Site,
    /// `RT_SCOPE_LINK` (253): on an attached link.
    Link,
    /// `RT_SCOPE_HOST` (254): this host.
    Host,
    /// `RT_SCOPE_NOWHERE` (255): no destination.
    Nowhere,
    /// A scope without a name (`ip` prints the number).
    Unknown(u8),
}

const SCOPES: [(RouteScope, u8, &str); 5] = [
    (RouteScope::Universe, 0, "global"),
    (RouteScope::Site, 200, "site"),
    (RouteScope::Link, 253, "link"),
    (RouteScope::Host, 254, "host"),
    (RouteScope::Nowhere, 255, "nowhere"),
];

impl From<u8> for RouteScope {
    fn from(raw: u8) -> Self {
        SCOPES
            .iter()
            .find(|(_, r, _)| *r == raw)
            .map_or(RouteScope::Unknown(raw), |(s, _, _)| *s)
    }
}

impl From<RouteScope> for u8 {
    fn from(scope: RouteScope) -> u8 {
        match scope {
            RouteScope::Unknown(raw) => raw,
            known => SCOPES
                .iter()
                .find(|(s, _, _)| *s == known)
                .map_or(0, |(_, r, _)| *r),
        }
    }
}

impl RouteScope {
    /// The scope named `name` (`global`, `link`, `host`…) or given as a number.
    pub fn from_name(name: &str) -> Option<Self> {
        if let Ok(raw) = name.parse::<u8>() {
            return Some(raw.into());
        }
        SCOPES
            .iter()
            .find(|(_, _, n)| *n == name)
            .map(|(s, _, _)| *s)
    }
}

impl fmt::Display for RouteScope {
    /// The names `ip` prints; the number when it has none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raw = u8::from(*self);
        match SCOPES.iter().find(|(_, r, _)| *r == raw) {
            Some((_, _, name)) => f.write_str(name),
            None => write!(f, "{raw}"),
        }
    }
}

/// `RT_TABLE_*`: a routing table id (`rtm_table`, or `RTA_TABLE` for any id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RouteTable {
    /// `RT_TABLE_UNSPEC` (0).
    Unspec,
    /// `RT_TABLE_COMPAT` (252): what `rtm_table` says for ids above 255.
    Compat,
    /// `RT_TABLE_DEFAULT` (253).
    Default,
    /// `RT_TABLE_MAIN` (254).
    Main,
    /// `RT_TABLE_LOCAL` (255).
    Local,
    /// A table without a name: `ip` prints the number.
    Unknown(u32),
}

const TABLES: [(RouteTable, u32, &str); 5] = [
    (RouteTable::Unspec, 0, "unspec"),
    (RouteTable::Compat, 252, "compat"),
    (RouteTable::Default, 253, "default"),
    (RouteTable::Main, 254, "main"),
    (RouteTable::Local, 255, "local"),
];

impl From<u32> for RouteTable {
    fn from(raw: u32) -> Self {
        TABLES
            .iter()
            .find(|(_, r, _)| *r == raw)
            .map_or(RouteTable::Unknown(raw), |(t, _, _)| *t)
    }
}

impl From<RouteTable> for u32 {
    fn from(table: RouteTable) -> u32 {
        match table {
            RouteTable::Unknown(raw) => raw,
            known => TABLES
                .iter()
                .find(|(t, _, _)| *t == known)
                .map_or(0, |(_, r, _)| *r),
        }
    }
}

impl RouteTable {
    /// The table named `name` (`main`, `local`, `default`, `unspec`) or
    /// given as a number.
    pub fn from_name(name: &str) -> Option<Self> {
        if let Ok(raw) = name.parse::<u32>() {
            return Some(raw.into());
        }
        TABLES
            .iter()
            .find(|(_, _, n)| *n == name)
            .map(|(t, _, _)| *t)
    }
}

impl fmt::Display for RouteTable {
    /// The names `ip` prints; the number when it has none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raw = u32::from(*self);
        match TABLES.iter().find(|(_, r, _)| *r == raw) {
            Some((_, _, name)) => f.write_str(name),
            None => write!(f, "{raw}"),
        }
    }
}

/// `ICMPV6_ROUTER_PREF_*`: an IPv6 route's preference (`RTA_PREF`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RoutePref {
    /// `ICMPV6_ROUTER_PREF_MEDIUM` (0)
    Medium,
    /// `ICMPV6_ROUTER_PREF_HIGH` (1)
    High,
    /// `ICMPV6_ROUTER_PREF_INVALID` (2)
    Invalid,
    /// `ICMPV6_ROUTER_PREF_LOW` (3)
    Low,
    /// Another value.
    Unknown(u8),
}

impl From<u8> for RoutePref {
    fn from(raw: u8) -> Self {
        match raw {
            0 => RoutePref::Medium,
            1 => RoutePref::High,
            2 => RoutePref::Invalid,
            3 => RoutePref::Low,
            other => RoutePref::Unknown(other),
        }
    }
}

impl From<RoutePref> for u8 {
    fn from(pref: RoutePref) -> u8 {
        match pref {
            RoutePref::Medium => 0,
            RoutePref::High => 1,
            RoutePref::Invalid => 2,
            RoutePref::Low => 3,
            RoutePref::Unknown(raw) => raw,
        }
    }
}

impl fmt::Display for RoutePref {
    /// The names `ip` prints (`medium`, `high`, `low`), else the number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoutePref::Medium => f.write_str("medium"),
            RoutePref::High => f.write_str("high"),
            RoutePref::Low => f.write_str("low"),
            other => write!(f, "{}", u8::from(*other)),
        }
    }
}

/// Route flags: `RTM_F_*` in `rtm_flags` and the `RTNH_F_*` next-hop flags
/// (low byte, also in `rtnh_flags`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RouteFlags(pub u32);

impl RouteFlags {
    /// `RTNH_F_DEAD`: the next hop is dead.
    pub const DEAD: u32 = 0x01;
    /// `RTNH_F_PERVASIVE`: recursive gateway lookup.
    pub const PERVASIVE: u32 = 0x02;
    /// `RTNH_F_ONLINK`: the gateway is on the link even without a matching prefix.
    pub const ONLINK: u32 = 0x04;
    /// `RTNH_F_OFFLOAD`: offloaded to hardware.
    pub const OFFLOAD: u32 = 0x08;
    /// `RTNH_F_LINKDOWN`: the carrier is down.
    pub const LINKDOWN: u32 = 0x10;
    /// `RTNH_F_UNRESOLVED`: the gateway is not resolved yet.
    pub const UNRESOLVED: u32 = 0x20;
    /// `RTNH_F_TRAP`: trapped by hardware.
    pub const TRAP: u32 = 0x40;
    /// `RTM_F_NOTIFY`: notify the user of route changes.
    pub const NOTIFY: u32 = 0x100;
    /// `RTM_F_CLONED`: a cloned (cache) route.
    pub const CLONED: u32 = 0x200;
    /// `RTM_F_EQUALIZE`: multipath equalizer (unused).
    pub const EQUALIZE: u32 = 0x400;
    /// `RTM_F_PREFIX`: a prefix route from an address.
    pub const PREFIX: u32 = 0x800;
    /// `RTM_F_LOOKUP_TABLE`: report the table of a `GETROUTE` lookup.
    pub const LOOKUP_TABLE: u32 = 0x1000;
    /// `RTM_F_FIB_MATCH`: report the matching FIB entry of a lookup.
    pub const FIB_MATCH: u32 = 0x2000;
    /// `RTM_F_OFFLOAD`: the route is offloaded.
    pub const RT_OFFLOAD: u32 = 0x4000;
    /// `RTM_F_TRAP`: the route is trapping packets.
    pub const RT_TRAP: u32 = 0x8000;
    /// `RTM_F_OFFLOAD_FAILED`: offloading failed.
    pub const RT_OFFLOAD_FAILED: u32 = 0x2000_0000;

    /// The flags `ip` lists, in its order, with its names.
    const IP_NAMES: [(u32, &'static str); 11] = [
        (Self::DEAD, "dead"),
        (Self::ONLINK, "onlink"),
        (Self::PERVASIVE, "pervasive"),
        (Self::OFFLOAD, "offload"),
        (Self::TRAP, "trap"),
        (Self::NOTIFY, "notify"),
        (Self::LINKDOWN, "linkdown"),
        (Self::UNRESOLVED, "unresolved"),
        (Self::RT_OFFLOAD, "rt_offload"),
        (Self::RT_TRAP, "rt_trap"),
        (Self::RT_OFFLOAD_FAILED, "rt_offload_failed"),
    ];

    /// True when every bit of `bits` is set.
    pub fn contains(self, bits: u32) -> bool {
        self.0 & bits == bits
    }

    /// The names `ip` prints for the set flags, in its order (it prints
    /// nothing for the other bits).
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::IP_NAMES
            .into_iter()
            .filter(move |(bit, _)| self.0 & bit != 0)
            .map(|(_, n)| n)
    }

    /// The flag `ip` calls `name`.
    pub fn from_name(name: &str) -> Option<u32> {
        Self::IP_NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(bit, _)| *bit)
    }
}

impl fmt::Display for RouteFlags {
    /// The `ip` names separated by spaces.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, name) in self.names().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}
