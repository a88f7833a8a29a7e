//! Routes (`RTM_NEWROUTE`, `RTM_DELROUTE`, `RTM_GETROUTE`): the `rtmsg`
//! header, every `RTA_*` attribute for IPv4 and IPv6, metrics, multipath
//! next hops, dump filters and the requests that add, replace and delete.
//!
//! Spec: `rt-route.yaml`; header: `linux/rtnetlink.h`.
//!
//! The parts live in sub-modules: [`metrics`] (`RTA_METRICS`), [`multipath`]
//! (`RTA_MULTIPATH`) and [`request`] (GET dumps, NEW, DEL); the value
//! sets (type, protocol, scope, table, preference, flags) are re-exported here.

// `route::route` is the issue's file layout (one file per message type).
#![allow(clippy::module_inception)]

pub mod metrics;
pub mod multipath;
pub mod request;
mod values;

use core::fmt;
use core::net::IpAddr;

use zerocopy::byteorder::native_endian::{U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

pub use metrics::{MetricAttrs, Metrics};
pub use multipath::{NextHop, NextHops};
pub use request::{
    DumpFilter, MetricsSpec, NextHopSpec, RouteQuery, RouteSpec, del_route, dump_routes, get_route,
    new_route,
};
pub use values::{
    CacheFlags, RouteFlags, RoutePref, RouteProtocol, RouteScope, RouteTable, RouteType,
};

use super::{AddressFamily, RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE};
use crate::Error;
use crate::family::{FamilyMessage, FixedHeader};
use crate::table::{Be32, Binary, Ip, Nest, Struct};

/// `struct rtmsg`, the fixed header of every route message.
///
/// ```text
///  0        1        2        3
/// +--------+--------+--------+--------+
/// | family | dst_len| src_len|  tos   |
/// +--------+--------+--------+--------+
/// | table  |protocol| scope  |  type  |
/// +--------+--------+--------+--------+
/// |              flags (u32)          |
/// +--------+--------+--------+--------+
/// ```
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
pub struct RtMsg {
    /// `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// Destination prefix length.
    pub dst_len: u8,
    /// Source prefix length.
    pub src_len: u8,
    /// Type of service (IPv4).
    pub tos: u8,
    /// Table id, `RT_TABLE_COMPAT` (252) when above 255 (see `RTA_TABLE`).
    pub table: u8,
    /// [`RouteProtocol`].
    pub protocol: u8,
    /// [`RouteScope`].
    pub scope: u8,
    /// [`RouteType`].
    pub ty: u8,
    /// [`RouteFlags`].
    pub flags: U32,
}

impl RtMsg {
    /// Size on the wire.
    pub const LEN: usize = 12;
}

#[cfg(feature = "defmt")]
impl defmt::Format for RtMsg {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "RtMsg {{ family: {}, dst_len: {}, src_len: {}, tos: {}, table: {}, protocol: {}, scope: {}, type: {}, flags: {:#x} }}",
            self.family,
            self.dst_len,
            self.src_len,
            self.tos,
            self.table,
            self.protocol,
            self.scope,
            self.ty,
            self.flags.get()
        )
    }
}

/// `struct rta_cacheinfo` as the spec lists it (20 bytes); the kernel sends
/// 32 (with `rta_id`, `rta_ts`, `rta_tsage`), which is accepted.
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
pub struct CacheInfo {
    /// Reference count.
    pub clntref: U32,
    /// Time since last use, in jiffies.
    pub lastuse: U32,
    /// Time until expiry, in clock ticks of `USER_HZ` (100 per second;
    /// signed in the kernel). See [`Route::expires_in`].
    pub expires: U32,
    /// Last error.
    pub error: U32,
    /// Uses.
    pub used: U32,
}

// rta-cacheinfo.
impl crate::table::WireStruct for CacheInfo {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("rta-clntref", 0, MemberKind::U32),
            Member::new("rta-lastuse", 4, MemberKind::U32),
            Member::new("rta-expires", 8, MemberKind::U32),
            Member::new("rta-error", 12, MemberKind::U32),
            Member::new("rta-used", 16, MemberKind::U32),
        ]
    };
}

/// `struct rta_mfc_stats`: multicast forwarding counters.
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
pub struct MfcStats {
    /// Packets forwarded.
    pub packets: U64,
    /// Bytes forwarded.
    pub bytes: U64,
    /// Packets that arrived on the wrong interface.
    pub wrong_if: U64,
}

// `struct rta_mfc_stats` (the spec has mfc-stats as binary: names from the header).
impl crate::table::WireStruct for MfcStats {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("mfcs-packets", 0, MemberKind::U64),
            Member::new("mfcs-bytes", 8, MemberKind::U64),
            Member::new("mfcs-wrong-if", 16, MemberKind::U64),
        ]
    };
}

crate::attr_set! {
    /// `RTA_*`: the attributes of route messages.
    pub struct RouteAttrs = "route-attrs" {
        /// Destination address (4 or 16 bytes).
        1 DST "dst": Ip;
        /// Source prefix (policy routing by source).
        2 SRC "src": Ip;
        /// Input interface index.
        3 IIF "iif": u32;
        /// Output interface index.
        4 OIF "oif": u32;
        /// Gateway of the route's family.
        5 GATEWAY "gateway": Ip;
        /// Priority (`ip`'s `metric`).
        6 PRIORITY "priority": u32;
        /// Preferred source address.
        7 PREFSRC "prefsrc": Ip;
        /// Metrics (`RTAX_*`).
        8 METRICS "metrics": Nest<MetricAttrs>;
        /// Next hops: `struct rtnexthop`, each followed by its attributes.
        9 MULTIPATH "multipath": Binary<0, { u16::MAX }>;
        /// Unused.
        10 PROTOINFO "protoinfo": Binary<0, { u16::MAX }>;
        /// Realms: to << 16 | from.
        11 FLOW "flow": u32;
        /// Cache information.
        12 CACHEINFO "cacheinfo": Struct<CacheInfo>;
        /// Unused.
        13 SESSION "session": Binary<0, { u16::MAX }>;
        /// Unused.
        14 MP_ALGO "mp-algo": Binary<0, { u16::MAX }>;
        /// Table id (any u32; overrides `rtm_table`).
        15 TABLE "table": u32;
        /// Firewall mark (lookups).
        16 MARK "mark": u32;
        /// Multicast forwarding counters.
        17 MFC_STATS "mfc-stats": Struct<MfcStats>;
        /// Gateway of another family: `family` (u16) then the address.
        18 VIA "via": Binary<2, 18>;
        /// MPLS labels to push.
        19 NEWDST "newdst": Binary<0, { u16::MAX }>;
        /// IPv6 router preference ([`RoutePref`]).
        20 PREF "pref": u8;
        /// Lightweight tunnel type (`LWTUNNEL_ENCAP_*`).
        21 ENCAP_TYPE "encap-type": u16;
        /// Lightweight tunnel parameters (a nest whose set depends on `ENCAP_TYPE`).
        22 ENCAP "encap": Binary<0, { u16::MAX }>;
        /// Seconds until the route expires.
        23 EXPIRES "expires": u32;
        /// Padding for 64-bit alignment.
        24 PAD "pad": Binary<0, { u16::MAX }>;
        /// User id (lookups).
        25 UID "uid": u32;
        /// MPLS TTL propagation.
        26 TTL_PROPAGATE "ttl-propagate": u8;
        /// IP protocol (lookups).
        27 IP_PROTO "ip-proto": u8;
        /// Source port (lookups), network byte order.
        28 SPORT "sport": crate::table::Be16;
        /// Destination port (lookups), network byte order.
        29 DPORT "dport": crate::table::Be16;
        /// Next-hop object id.
        30 NH_ID "nh-id": u32;
        /// IPv6 flow label, network byte order.
        31 FLOWLABEL "flowlabel": Be32;
    }
}

/// A gateway of another family (`RTA_VIA`: `struct rtvia`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Via<'a> {
    /// The address's family (`AF_*`, a u16 here).
    pub family: u16,
    /// The address bytes.
    pub addr: &'a [u8],
}

impl<'a> Via<'a> {
    /// Splits an `RTA_VIA` payload (at least the 2-byte family).
    pub fn parse(payload: &'a [u8]) -> Result<Self, Error> {
        let (family, addr) = payload.split_at_checked(2).ok_or(Error::Truncated)?;
        let family = u16::from_ne_bytes(family.try_into().map_err(|_| Error::Truncated)?);
        Ok(Via { family, addr })
    }

    /// The family as an [`AddressFamily`].
    #[inline]
    pub fn address_family(&self) -> AddressFamily {
        u8::try_from(self.family).map_or(AddressFamily::Unknown(u8::MAX), AddressFamily::from)
    }

    /// The address as IP when it is 4 or 16 bytes.
    #[inline]
    pub fn ip(&self) -> Option<IpAddr> {
        ip_from(self.addr)
    }
}

/// The address in a 4- or 16-byte payload.
pub(crate) fn ip_from(bytes: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return Some(IpAddr::from(v4));
    }
    <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from)
}

/// Clock ticks per second in the times the kernel reports to user space
/// (`USER_HZ`, the same on every Linux architecture).
const USER_HZ: i32 = 100;

/// A route message: `RTM_NEWROUTE` (reply, event or lookup answer), `RTM_DELROUTE`, or a request.
pub type Route<'a> = FamilyMessage<'a, RtMsg, RouteAttrs>;

impl FixedHeader for RtMsg {
    const TYPES: &'static [u16] = &[RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE];
}

// rtmsg, as rt-route.yaml names it.
impl crate::table::WireStruct for RtMsg {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("rtm-family", 0, MemberKind::U8),
            Member::new("rtm-dst-len", 1, MemberKind::U8),
            Member::new("rtm-src-len", 2, MemberKind::U8),
            Member::new("rtm-tos", 3, MemberKind::U8),
            Member::new("rtm-table", 4, MemberKind::U8),
            Member::new("rtm-protocol", 5, MemberKind::U8),
            Member::new("rtm-scope", 6, MemberKind::U8),
            Member::new("rtm-type", 7, MemberKind::U8).enumerated::<super::spec_values::RtmType>(),
            Member::new("rtm-flags", 8, MemberKind::U32),
        ]
    };
}

impl<'a> Route<'a> {
    /// Address family.
    #[inline]
    pub fn family(&self) -> AddressFamily {
        self.header.family.into()
    }

    /// Destination prefix length.
    #[inline]
    pub fn dst_len(&self) -> u8 {
        self.header.dst_len
    }

    /// Source prefix length.
    #[inline]
    pub fn src_len(&self) -> u8 {
        self.header.src_len
    }

    /// Type of service.
    #[inline]
    pub fn tos(&self) -> u8 {
        self.header.tos
    }

    /// The table: `RTA_TABLE` when present, else `rtm_table`.
    #[inline]
    pub fn table(&self) -> RouteTable {
        self.table_id().into()
    }

    /// The table id: `RTA_TABLE` when present, else `rtm_table`.
    pub fn table_id(&self) -> u32 {
        self.attrs
            .get(RouteAttrs::TABLE)
            .unwrap_or(u32::from(self.header.table))
    }

    /// Who installed it.
    #[inline]
    pub fn protocol(&self) -> RouteProtocol {
        self.header.protocol.into()
    }

    /// Scope.
    #[inline]
    pub fn scope(&self) -> RouteScope {
        self.header.scope.into()
    }

    /// Type.
    #[inline]
    pub fn kind(&self) -> RouteType {
        self.header.ty.into()
    }

    /// Flags.
    #[inline]
    pub fn flags(&self) -> RouteFlags {
        RouteFlags(self.header.flags.get())
    }

    /// Destination address (`None` for a default route).
    #[inline]
    pub fn dst(&self) -> Option<IpAddr> {
        self.attrs.get(RouteAttrs::DST)
    }

    /// Source prefix address.
    #[inline]
    pub fn src(&self) -> Option<IpAddr> {
        self.attrs.get(RouteAttrs::SRC)
    }

    /// Input interface.
    #[inline]
    pub fn iif(&self) -> Option<u32> {
        self.attrs.get(RouteAttrs::IIF)
    }

    /// Output interface.
    #[inline]
    pub fn oif(&self) -> Option<u32> {
        self.attrs.get(RouteAttrs::OIF)
    }

    /// Gateway of the route's own family.
    #[inline]
    pub fn gateway(&self) -> Option<IpAddr> {
        self.attrs.get(RouteAttrs::GATEWAY)
    }

    /// Gateway of another family.
    #[inline]
    pub fn via(&self) -> Option<Result<Via<'a>, Error>> {
        self.attrs.get(RouteAttrs::VIA).map(Via::parse)
    }

    /// Priority (`ip`'s `metric`).
    #[inline]
    pub fn priority(&self) -> Option<u32> {
        self.attrs.get(RouteAttrs::PRIORITY)
    }

    /// Preferred source.
    #[inline]
    pub fn prefsrc(&self) -> Option<IpAddr> {
        self.attrs.get(RouteAttrs::PREFSRC)
    }

    /// Metrics, decoded on demand.
    pub fn metrics(&self) -> Option<Result<Metrics<'a>, Error>> {
        self.attrs
            .get(RouteAttrs::METRICS)
            .map(|nest| nest.parse().map(Metrics))
    }

    /// The next hops of a multipath route (empty when it has none).
    #[inline]
    pub fn multipath(&self) -> NextHops<'a> {
        NextHops::new(self.attrs.get(RouteAttrs::MULTIPATH).unwrap_or_default())
    }

    /// Copies the next hops into a list of capacity `N`;
    /// [`Error::CapacityExceeded`] when there are more.
    pub fn nexthops<const N: usize>(&self) -> Result<heapless::Vec<NextHop<'a>, N>, Error> {
        let mut out = heapless::Vec::new();
        for hop in self.multipath() {
            out.push(hop?).map_err(|_| Error::CapacityExceeded)?;
        }
        Ok(out)
    }

    /// Realms.
    #[inline]
    pub fn flow(&self) -> Option<u32> {
        self.attrs.get(RouteAttrs::FLOW)
    }

    /// Cache information.
    #[inline]
    pub fn cacheinfo(&self) -> Option<&'a CacheInfo> {
        self.attrs.get(RouteAttrs::CACHEINFO)
    }

    /// Seconds until the route expires, when it does (from `RTA_CACHEINFO`,
    /// whose ticks are `USER_HZ`, 100 per second; rounded down as `ip` does).
    pub fn expires_in(&self) -> Option<i32> {
        let ticks = self.cacheinfo()?.expires.get() as i32;
        (ticks != 0).then_some(ticks / USER_HZ)
    }

    /// Firewall mark.
    #[inline]
    pub fn mark(&self) -> Option<u32> {
        self.attrs.get(RouteAttrs::MARK)
    }

    /// Multicast forwarding counters.
    #[inline]
    pub fn mfc_stats(&self) -> Option<&'a MfcStats> {
        self.attrs.get(RouteAttrs::MFC_STATS)
    }

    /// MPLS labels to push (raw).
    #[inline]
    pub fn newdst(&self) -> Option<&'a [u8]> {
        self.attrs.get(RouteAttrs::NEWDST)
    }

    /// IPv6 router preference.
    #[inline]
    pub fn pref(&self) -> Option<RoutePref> {
        self.attrs.get(RouteAttrs::PREF).map(RoutePref::from)
    }

    /// Lightweight tunnel type.
    #[inline]
    pub fn encap_type(&self) -> Option<u16> {
        self.attrs.get(RouteAttrs::ENCAP_TYPE)
    }

    /// Lightweight tunnel parameters: the raw nest.
    #[inline]
    pub fn encap(&self) -> Option<&'a [u8]> {
        self.attrs.get(RouteAttrs::ENCAP)
    }

    /// Seconds until expiry.
    #[inline]
    pub fn expires(&self) -> Option<u32> {
        self.attrs.get(RouteAttrs::EXPIRES)
    }

    /// User id.
    #[inline]
    pub fn uid(&self) -> Option<u32> {
        self.attrs.get(RouteAttrs::UID)
    }

    /// MPLS TTL propagation.
    #[inline]
    pub fn ttl_propagate(&self) -> Option<u8> {
        self.attrs.get(RouteAttrs::TTL_PROPAGATE)
    }

    /// IP protocol.
    #[inline]
    pub fn ip_proto(&self) -> Option<u8> {
        self.attrs.get(RouteAttrs::IP_PROTO)
    }

    /// Source port.
    #[inline]
    pub fn sport(&self) -> Option<u16> {
        self.attrs.get(RouteAttrs::SPORT)
    }

    /// Destination port.
    #[inline]
    pub fn dport(&self) -> Option<u16> {
        self.attrs.get(RouteAttrs::DPORT)
    }

    /// Next-hop object id.
    #[inline]
    pub fn nh_id(&self) -> Option<u32> {
        self.attrs.get(RouteAttrs::NH_ID)
    }

    /// IPv6 flow label.
    #[inline]
    pub fn flowlabel(&self) -> Option<u32> {
        self.attrs.get(RouteAttrs::FLOWLABEL)
    }

    /// A [`fmt::Display`] of the route like `ip route show`, with interface
    /// names from `name` (`if{index}` where it returns `None`, as `ip` does).
    pub fn display_with<F>(&self, name: F) -> RouteDisplay<'_, 'a, F>
    where
        F: Fn(u32, &mut fmt::Formatter<'_>) -> Option<fmt::Result>,
    {
        RouteDisplay {
            route: self,
            name,
            show_table: true,
        }
    }
}

/// A route shown like `ip route show` (see [`Route::display_with`]).
pub struct RouteDisplay<'r, 'a, F> {
    route: &'r Route<'a>,
    name: F,
    show_table: bool,
}

impl<F> RouteDisplay<'_, '_, F> {
    /// Leaves `table T` out, as `ip route show table T` does when one
    /// table was asked for.
    pub fn without_table(mut self) -> Self {
        self.show_table = false;
        self
    }
}

impl<F> RouteDisplay<'_, '_, F>
where
    F: Fn(u32, &mut fmt::Formatter<'_>) -> Option<fmt::Result>,
{
    fn dev(&self, f: &mut fmt::Formatter<'_>, index: u32) -> fmt::Result {
        f.write_str(" dev ")?;
        match (self.name)(index, f) {
            Some(result) => result,
            None => write!(f, "if{index}"),
        }
    }
}

fn write_prefix(f: &mut fmt::Formatter<'_>, addr: Option<IpAddr>, len: u8) -> fmt::Result {
    match addr {
        None if len == 0 => f.write_str("default"),
        None => write!(f, "0/{len}"),
        Some(IpAddr::V4(a)) if len == 32 => write!(f, "{a}"),
        Some(IpAddr::V6(a)) if len == 128 => write!(f, "{a}"),
        Some(a) => write!(f, "{a}/{len}"),
    }
}

impl<F> fmt::Display for RouteDisplay<'_, '_, F>
where
    F: Fn(u32, &mut fmt::Formatter<'_>) -> Option<fmt::Result>,
{
    /// `[type ]DST[ from SRC][ via GW][ dev NAME][ table T][ proto P][ scope S]
    /// [ src PREFSRC][ metric N][ flags][ pref P][ mtu …]` then the next hops.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.route;
        if r.kind() != RouteType::Unicast {
            write!(f, "{} ", r.kind())?;
        }
        write_prefix(f, r.dst(), r.dst_len())?;
        if r.src().is_some() || r.src_len() != 0 {
            f.write_str(" from ")?;
            write_prefix(f, r.src(), r.src_len())?;
        }
        if let Some(gw) = r.gateway() {
            write!(f, " via {gw}")?;
        }
        if let Some(Ok(via)) = r.via() {
            match via.ip() {
                Some(ip) => write!(f, " via {} {ip}", via.address_family())?,
                None => write!(f, " via {}", via.address_family())?,
            }
        }
        if let Some(oif) = r.oif() {
            self.dev(f, oif)?;
        }
        if self.show_table && r.table() != RouteTable::Main {
            write!(f, " table {}", r.table())?;
        }
        // A resolved (cloned) lookup answer is not a table entry: like `ip`,
        // print neither its protocol nor its scope, and leave its high flag
        // bits (cache flags) to the caller.
        let cloned = r.flags().contains(RouteFlags::CLONED);
        if !cloned && r.protocol() != RouteProtocol::Boot {
            write!(f, " proto {}", r.protocol())?;
        }
        if !cloned && r.scope() != RouteScope::Universe {
            write!(f, " scope {}", r.scope())?;
        }
        if let Some(prefsrc) = r.prefsrc() {
            write!(f, " src {prefsrc}")?;
        }
        if let Some(metric) = r.priority() {
            write!(f, " metric {metric}")?;
        }
        let flags = if cloned {
            RouteFlags(r.flags().0 & 0xffff)
        } else {
            r.flags()
        };
        if flags.names().next().is_some() {
            write!(f, " {flags}")?;
        }
        if let Some(mark) = r.mark() {
            write!(f, " mark {mark}")?;
        }
        if let Some(uid) = r.uid() {
            write!(f, " uid {uid}")?;
        }
        if let Some(seconds) = r.expires_in() {
            write!(f, " expires {seconds}sec")?;
        }
        if let Some(pref) = r.pref() {
            write!(f, " pref {pref}")?;
        }
        match r.metrics() {
            Some(Ok(metrics)) => write!(f, "{metrics}")?,
            Some(Err(e)) => write!(f, " <metrics: {e}>")?,
            None => {}
        }
        for hop in r.multipath() {
            match hop {
                Ok(hop) => {
                    f.write_str("\n\tnexthop")?;
                    if let Some(gw) = hop.gateway() {
                        write!(f, " via {gw}")?;
                    }
                    if hop.ifindex != 0 {
                        self.dev(f, hop.ifindex)?;
                    }
                    write!(f, " weight {}", hop.weight())?;
                    if hop.flags.names().next().is_some() {
                        write!(f, " {}", hop.flags)?;
                    }
                }
                Err(e) => write!(f, "\n\t<nexthop: {e}>")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Route<'_> {
    /// Like `ip route show`, interfaces as `if{index}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.display_with(|_, _| None), f)
    }
}

#[cfg(all(test, target_endian = "little"))]
pub(crate) mod tests;
