//! The route value sets with the names `ip` uses: `rtm_type`,
//! `rtm_protocol`, `rtm_scope`, table ids, IPv6 preference and flags.

use core::fmt;

/// `RT_SCOPE_*`: how far a route's destination is (`rtm_scope`): the
/// scope addresses use too.
pub use crate::route::Scope as RouteScope;

crate::value_enum! {
    /// `RTN_*`: what a route does with a packet (`rtm_type`), with the
    /// names `ip` prints (`from_name` takes them too).
    pub enum RouteType(u8) {
        /// `RTN_UNSPEC`
        Unspec = 0 => "none",
        /// `RTN_UNICAST`: a gateway or direct route.
        Unicast = 1 => "unicast",
        /// `RTN_LOCAL`: accept locally.
        Local = 2 => "local",
        /// `RTN_BROADCAST`: accept locally as broadcast, send as broadcast.
        Broadcast = 3 => "broadcast",
        /// `RTN_ANYCAST`: accept locally as broadcast, send as unicast.
        Anycast = 4 => "anycast",
        /// `RTN_MULTICAST`
        Multicast = 5 => "multicast",
        /// `RTN_BLACKHOLE`: drop silently.
        Blackhole = 6 => "blackhole",
        /// `RTN_UNREACHABLE`: drop with host unreachable.
        Unreachable = 7 => "unreachable",
        /// `RTN_PROHIBIT`: drop with administratively prohibited.
        Prohibit = 8 => "prohibit",
        /// `RTN_THROW`: not in this table, go on with the rules.
        Throw = 9 => "throw",
        /// `RTN_NAT`: translate this address.
        Nat = 10 => "nat",
        /// `RTN_XRESOLVE`: use an external resolver.
        Xresolve = 11 => "xresolve",
    }
}

crate::value_enum! {
    /// `RTPROT_*`: who installed a route (`rtm_protocol`). Values above
    /// `RTPROT_STATIC` are not interpreted by the kernel; the names are
    /// iproute2's `rt_protos`, and `from_name` also takes a number.
    pub enum RouteProtocol(u8), numbers = true {
        /// `RTPROT_UNSPEC`
        Unspec = 0 => "unspec",
        /// `RTPROT_REDIRECT`: an ICMP redirect.
        Redirect = 1 => "redirect",
        /// `RTPROT_KERNEL`: the kernel itself.
        Kernel = 2 => "kernel",
        /// `RTPROT_BOOT`: at boot (the default for `ip route add`).
        Boot = 3 => "boot",
        /// `RTPROT_STATIC`: by the administrator.
        Static = 4 => "static",
        /// `RTPROT_GATED`
        Gated = 8 => "gated",
        /// `RTPROT_RA`: router advertisement.
        Ra = 9 => "ra",
        /// `RTPROT_MRT`
        Mrt = 10 => "mrt",
        /// `RTPROT_ZEBRA`
        Zebra = 11 => "zebra",
        /// `RTPROT_BIRD`
        Bird = 12 => "bird",
        /// `RTPROT_DNROUTED`
        Dnrouted = 13 => "dnrouted",
        /// `RTPROT_XORP`
        Xorp = 14 => "xorp",
        /// `RTPROT_NTK`
        Ntk = 15 => "ntk",
        /// `RTPROT_DHCP`
        Dhcp = 16 => "dhcp",
        /// `RTPROT_KEEPALIVED`
        Keepalived = 18 => "keepalived",
        /// `RTPROT_BABEL`
        Babel = 42 => "babel",
        /// `RTPROT_OPENR`
        Openr = 99 => "openr",
        /// `RTPROT_BGP`
        Bgp = 186 => "bgp",
        /// `RTPROT_ISIS`
        Isis = 187 => "isis",
        /// `RTPROT_OSPF`
        Ospf = 188 => "ospf",
        /// `RTPROT_RIP`
        Rip = 189 => "rip",
        /// `RTPROT_EIGRP`
        Eigrp = 192 => "eigrp",
    }
}

crate::value_enum! {
    /// `RT_TABLE_*`: a routing table id (`rtm_table`, or `RTA_TABLE` for any
    /// id), with the names `ip` prints; `from_name` also takes a number.
    pub enum RouteTable(u32), numbers = true {
        /// `RT_TABLE_UNSPEC` (0).
        Unspec = 0 => "unspec",
        /// `RT_TABLE_COMPAT` (252): what `rtm_table` says for ids above 255.
        Compat = 252 => "compat",
        /// `RT_TABLE_DEFAULT` (253).
        Default = 253 => "default",
        /// `RT_TABLE_MAIN` (254).
        Main = 254 => "main",
        /// `RT_TABLE_LOCAL` (255).
        Local = 255 => "local",
    }
}

crate::value_enum! {
    /// `ICMPV6_ROUTER_PREF_*`: an IPv6 route's preference (`RTA_PREF`), with
    /// the names `ip` prints (it prints `invalid` as its number).
    pub enum RoutePref(u8) {
        /// `ICMPV6_ROUTER_PREF_MEDIUM` (0)
        Medium = 0 => "medium",
        /// `ICMPV6_ROUTER_PREF_HIGH` (1)
        High = 1 => "high",
        /// `ICMPV6_ROUTER_PREF_INVALID` (2)
        Invalid = 2,
        /// `ICMPV6_ROUTER_PREF_LOW` (3)
        Low = 3 => "low",
    }
}

crate::flag_set! {
    /// Route flags: `RTM_F_*` in `rtm_flags` and the `RTNH_F_*` next-hop
    /// flags (low byte, also in `rtnh_flags`). The named ones are those `ip`
    /// prints, in its order and with its names; it prints nothing for the
    /// others.
    pub struct RouteFlags(u32) {
        /// `RTNH_F_DEAD`: the next hop is dead.
        DEAD = 0x01 => "dead",
        /// `RTNH_F_ONLINK`: the gateway is on the link even without a matching prefix.
        ONLINK = 0x04 => "onlink",
        /// `RTNH_F_PERVASIVE`: recursive gateway lookup.
        PERVASIVE = 0x02 => "pervasive",
        /// `RTNH_F_OFFLOAD`: offloaded to hardware.
        OFFLOAD = 0x08 => "offload",
        /// `RTNH_F_TRAP`: trapped by hardware.
        TRAP = 0x40 => "trap",
        /// `RTM_F_NOTIFY`: notify the user of route changes.
        NOTIFY = 0x100 => "notify",
        /// `RTNH_F_LINKDOWN`: the carrier is down.
        LINKDOWN = 0x10 => "linkdown",
        /// `RTNH_F_UNRESOLVED`: the gateway is not resolved yet.
        UNRESOLVED = 0x20 => "unresolved",
        /// `RTM_F_OFFLOAD`: the route is offloaded.
        RT_OFFLOAD = 0x4000 => "rt_offload",
        /// `RTM_F_TRAP`: the route is trapping packets.
        RT_TRAP = 0x8000 => "rt_trap",
        /// `RTM_F_OFFLOAD_FAILED`: offloading failed.
        RT_OFFLOAD_FAILED = 0x2000_0000 => "rt_offload_failed",
        /// `RTM_F_CLONED`: a cloned (cache) route.
        CLONED = 0x200,
        /// `RTM_F_EQUALIZE`: multipath equalizer (unused).
        EQUALIZE = 0x400,
        /// `RTM_F_PREFIX`: a prefix route from an address.
        PREFIX = 0x800,
        /// `RTM_F_LOOKUP_TABLE`: report the table of a `GETROUTE` lookup.
        LOOKUP_TABLE = 0x1000,
        /// `RTM_F_FIB_MATCH`: report the matching FIB entry of a lookup.
        FIB_MATCH = 0x2000,
    }
}

impl fmt::Display for RouteFlags {
    /// The `ip` names separated by spaces (nothing for the other bits).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::named::write_flags(f, self.names(), 0, " ")
    }
}

crate::flag_set! {
    /// `RTCF_*`: how the kernel resolved a route lookup, in the high bits of
    /// `rtm_flags` of an `RTM_F_CLONED` reply; named and ordered as
    /// `ip route get` lists them after `cache`.
    pub struct CacheFlags(u32), sep = "," {
        /// `RTCF_LOCAL`: delivered locally.
        LOCAL = 0x8000_0000 => "local",
        /// `RTCF_REJECT` (unused).
        REJECT = 0x4000_0000 => "reject",
        /// `RTCF_MULTICAST`: a multicast destination.
        MULTICAST = 0x2000_0000 => "mc",
        /// `RTCF_BROADCAST`: a broadcast destination.
        BROADCAST = 0x1000_0000 => "brd",
        /// `RTCF_DNAT`.
        DNAT = 0x0800_0000 => "dst-nat",
        /// `RTCF_SNAT` (unused).
        SNAT = 0x0080_0000 => "src-nat",
        /// `RTCF_MASQ` (unused).
        MASQ = 0x0040_0000 => "masq",
        /// `RTCF_DIRECTDST` (unused).
        DIRECTDST = 0x0002_0000 => "dst-direct",
        /// `RTCF_DIRECTSRC`: the source is on a directly connected network.
        DIRECTSRC = 0x0400_0000 => "src-direct",
        /// `RTCF_REDIRECTED`: learned from an ICMP redirect.
        REDIRECTED = 0x0004_0000 => "redirected",
        /// `RTCF_DOREDIRECT`: the kernel would send an ICMP redirect.
        DOREDIRECT = 0x0100_0000 => "redirect",
        /// `RTCF_FAST` (unused).
        FAST = 0x0020_0000 => "fastroute",
        /// `RTCF_NOTIFY`.
        NOTIFY = 0x0001_0000 => "notify",
        /// `RTCF_TPROXY` (unused).
        TPROXY = 0x0008_0000 => "tproxy",
    }
}

impl CacheFlags {
    /// The cache flags of a route's `rtm_flags` (its high 16 bits).
    pub fn of(flags: RouteFlags) -> Self {
        CacheFlags(flags.0 & 0xffff_0000)
    }
}
