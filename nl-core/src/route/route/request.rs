//! Route requests: `RTM_GETROUTE` dumps with strict-check filters,
//! `RTM_NEWROUTE` (with `NLM_F_CREATE` / `EXCL` / `REPLACE` / `APPEND`) and
//! `RTM_DELROUTE`. Each builder checks the room for the whole message
//! first: a failure writes nothing and reports the total needed.

use core::net::IpAddr;

use zerocopy::byteorder::native_endian::{I32, U16, U32};

use super::metrics::MetricAttrs;
use super::multipath::RtNextHop;
use super::{
    RouteAttrs, RouteFlags, RoutePref, RouteProtocol, RouteScope, RouteTable, RouteType, RtMsg,
};
use crate::nlmsg::{self, Flags};
use crate::route::{AddressFamily, RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE};
use crate::{Error, Writer};

/// What a `RTM_GETROUTE` dump returns. The kernel applies these filters
/// only on a socket with `NETLINK_GET_STRICT_CHK` set; without it, it
/// ignores them and the caller must filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DumpFilter {
    /// Family (`AF_UNSPEC` for IPv4 and IPv6 and the others).
    pub family: u8,
    /// Only this table (sent as `RTA_TABLE`).
    pub table: Option<u32>,
    /// Only routes of this protocol (`rtm_protocol`).
    pub protocol: Option<RouteProtocol>,
    /// Only routes of this type (`rtm_type`).
    pub kind: Option<RouteType>,
    /// Only routes through this interface (`RTA_OIF`).
    pub oif: Option<u32>,
}

impl DumpFilter {
    /// Every route of `family`.
    pub fn family(family: AddressFamily) -> Self {
        DumpFilter {
            family: family.into(),
            ..DumpFilter::default()
        }
    }
}

/// Builds a `RTM_GETROUTE` dump request with `filter` into `buf`.
pub fn dump_routes<'b>(
    buf: &'b mut [u8],
    seq: u32,
    filter: &DumpFilter,
) -> Result<&'b [u8], Error> {
    let header = RtMsg {
        family: filter.family,
        protocol: filter.protocol.map_or(0, u8::from),
        ty: filter.kind.map_or(0, u8::from),
        ..RtMsg::default()
    };
    let mut attrs = 0;
    if let Some(table) = filter.table {
        attrs += RouteAttrs::TABLE.space(&table)?;
    }
    if let Some(oif) = filter.oif {
        attrs += RouteAttrs::OIF.space(&oif)?;
    }
    nlmsg::build(buf, RTM_GETROUTE, Flags::DUMP, seq, &header, attrs, |w| {
        if let Some(table) = filter.table {
            w.put(RouteAttrs::TABLE, table)?;
        }
        if let Some(oif) = filter.oif {
            w.put(RouteAttrs::OIF, oif)?;
        }
        Ok(())
    })
}

/// A route lookup, as `ip route get` asks it: `RTM_GETROUTE` without
/// `NLM_F_DUMP`. The kernel answers with one `RTM_NEWROUTE`: the route a
/// packet with these properties would take (resolved, flagged
/// `RTM_F_CLONED`), or with `fib_match` the table entry that matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteQuery {
    /// Destination address; its family is the request's.
    pub dst: IpAddr,
    /// Source address (`RTA_SRC`), same family as `dst`.
    pub src: Option<IpAddr>,
    /// Incoming interface (`RTA_IIF`): look up as if the packet arrived there.
    pub iif: Option<u32>,
    /// Outgoing interface (`RTA_OIF`).
    pub oif: Option<u32>,
    /// Firewall mark (`RTA_MARK`).
    pub mark: Option<u32>,
    /// User id of the sending socket (`RTA_UID`).
    pub uid: Option<u32>,
    /// Report the matching table entry (`RTM_F_FIB_MATCH`) instead of the
    /// resolved route.
    pub fib_match: bool,
}

impl RouteQuery {
    /// A lookup of `dst` with nothing else set.
    pub fn to(dst: IpAddr) -> Self {
        RouteQuery {
            dst,
            src: None,
            iif: None,
            oif: None,
            mark: None,
            uid: None,
            fib_match: false,
        }
    }
}

/// Builds a route lookup (`RTM_GETROUTE`, not a dump) for `query` into
/// `buf`; `NLM_F_ACK` is set so the reply is followed by an ACK, and
/// `RTM_F_LOOKUP_TABLE` (as `ip` sets it) so the reply names the table the
/// lookup used. A source
/// of the other family than `dst` is [`Error::BadPayload`] and nothing is
/// written.
pub fn get_route<'b>(buf: &'b mut [u8], seq: u32, query: &RouteQuery) -> Result<&'b [u8], Error> {
    let family = match query.dst {
        IpAddr::V4(_) => AddressFamily::Inet,
        IpAddr::V6(_) => AddressFamily::Inet6,
    };
    if query
        .src
        .is_some_and(|src| src.is_ipv4() != query.dst.is_ipv4())
    {
        return Err(Error::BadPayload {
            ty: RouteAttrs::SRC.ty(),
        });
    }
    let full = |addr: &IpAddr| (ip_len(addr) * 8) as u8;
    let header = RtMsg {
        family: family.into(),
        dst_len: full(&query.dst),
        src_len: query.src.as_ref().map_or(0, full),
        flags: U32::new(if query.fib_match {
            RouteFlags::LOOKUP_TABLE | RouteFlags::FIB_MATCH
        } else {
            RouteFlags::LOOKUP_TABLE
        }),
        ..RtMsg::default()
    };
    let optional = [
        (RouteAttrs::IIF, query.iif),
        (RouteAttrs::OIF, query.oif),
        (RouteAttrs::MARK, query.mark),
        (RouteAttrs::UID, query.uid),
    ];
    let mut attrs = RouteAttrs::DST.space(&query.dst)?;
    if let Some(src) = query.src {
        attrs += RouteAttrs::SRC.space(&src)?;
    }
    for (field, value) in optional {
        if let Some(value) = value {
            attrs += field.space(&value)?;
        }
    }
    nlmsg::build(buf, RTM_GETROUTE, Flags::ACK, seq, &header, attrs, |w| {
        w.put(RouteAttrs::DST, query.dst)?;
        if let Some(src) = query.src {
            w.put(RouteAttrs::SRC, src)?;
        }
        for (field, value) in optional {
            if let Some(value) = value {
                w.put(field, value)?;
            }
        }
        Ok(())
    })
}

/// Metrics to set on a route (`RTA_METRICS`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MetricsSpec<'n> {
    /// Lock mask: `1 << RTAX_x` for each locked metric (0: none, not sent).
    pub lock: u32,
    /// Numeric metrics as (`RTAX_*`, value).
    pub values: &'n [(u16, u32)],
    /// Congestion control algorithm (`RTAX_CC_ALGO`).
    pub cc_algo: Option<&'n str>,
}

impl MetricsSpec<'_> {
    fn is_empty(&self) -> bool {
        self.lock == 0 && self.values.is_empty() && self.cc_algo.is_none()
    }

    fn payload_len(&self) -> Result<usize, Error> {
        let mut len = 0;
        if self.lock != 0 {
            len += MetricAttrs::LOCK.space(&self.lock)?;
        }
        len += self.values.len() * MetricAttrs::MTU.space(&0)?;
        if let Some(algo) = self.cc_algo {
            len += MetricAttrs::CC_ALGO.space(&algo)?;
        }
        Ok(len)
    }
}

/// One next hop of a multipath route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextHopSpec {
    /// Gateway (`RTA_GATEWAY` of the route's family, else `RTA_VIA`).
    pub gateway: Option<IpAddr>,
    /// Output interface (0: none).
    pub ifindex: u32,
    /// Weight, 1 to 256 (sent as `rtnh_hops = weight - 1`).
    pub weight: u16,
    /// `RTNH_F_*` flags (onlink…).
    pub flags: u8,
}

/// A route to add, replace or delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteSpec<'n> {
    /// `AF_INET` or `AF_INET6`.
    pub family: AddressFamily,
    /// Destination (`None` with `dst_len` 0: the default route).
    pub dst: Option<IpAddr>,
    /// Destination prefix length.
    pub dst_len: u8,
    /// Source prefix (`RTA_SRC`).
    pub src: Option<IpAddr>,
    /// Source prefix length.
    pub src_len: u8,
    /// Type of service.
    pub tos: u8,
    /// Table id; above 255 it goes in `RTA_TABLE`.
    pub table: u32,
    /// Protocol.
    pub protocol: RouteProtocol,
    /// Scope.
    pub scope: RouteScope,
    /// Type.
    pub kind: RouteType,
    /// `rtm_flags` (`RTNH_F_ONLINK`…).
    pub flags: u32,
    /// Gateway (`RTA_GATEWAY` of the route's family, else `RTA_VIA`).
    pub gateway: Option<IpAddr>,
    /// Output interface.
    pub oif: Option<u32>,
    /// Priority (`ip`'s `metric`).
    pub priority: Option<u32>,
    /// Preferred source.
    pub prefsrc: Option<IpAddr>,
    /// IPv6 router preference.
    pub pref: Option<RoutePref>,
    /// Metrics.
    pub metrics: MetricsSpec<'n>,
    /// Next hops (`RTA_MULTIPATH`), when not empty.
    pub nexthops: &'n [NextHopSpec],
}

impl RouteSpec<'_> {
    /// A unicast route of `family` in the main table, protocol boot, scope
    /// universe (what `ip route add` sends by default), with nothing else set.
    pub fn new(family: AddressFamily) -> Self {
        RouteSpec {
            family,
            dst: None,
            dst_len: 0,
            src: None,
            src_len: 0,
            tos: 0,
            table: RouteTable::Main.into(),
            protocol: RouteProtocol::Boot,
            scope: RouteScope::Universe,
            kind: RouteType::Unicast,
            flags: 0,
            gateway: None,
            oif: None,
            priority: None,
            prefsrc: None,
            pref: None,
            metrics: MetricsSpec {
                lock: 0,
                values: &[],
                cc_algo: None,
            },
            nexthops: &[],
        }
    }

    fn header(&self) -> RtMsg {
        RtMsg {
            family: self.family.into(),
            dst_len: self.dst_len,
            src_len: self.src_len,
            tos: self.tos,
            table: u8::try_from(self.table).unwrap_or(0),
            protocol: self.protocol.into(),
            scope: self.scope.into(),
            ty: self.kind.into(),
            flags: U32::new(self.flags),
        }
    }

    fn family_matches(&self, addr: &IpAddr) -> bool {
        matches!(
            (self.family, addr),
            (AddressFamily::Inet, IpAddr::V4(_)) | (AddressFamily::Inet6, IpAddr::V6(_))
        )
    }

    fn gateway_space(&self, gw: &IpAddr) -> Result<usize, Error> {
        if self.family_matches(gw) {
            RouteAttrs::GATEWAY.space(gw)
        } else {
            crate::attr::space(2 + ip_len(gw))
        }
    }

    fn put_gateway(&self, w: &mut Writer<'_>, gw: IpAddr) -> Result<(), Error> {
        if self.family_matches(&gw) {
            return w.put(RouteAttrs::GATEWAY, gw);
        }
        let (family, len) = match gw {
            IpAddr::V4(_) => (2u16, 4),
            IpAddr::V6(_) => (10u16, 16),
        };
        let payload = w.attr_with(RouteAttrs::VIA.ty(), 2 + len)?;
        let (fam, addr) = payload.split_at_mut(2);
        fam.copy_from_slice(&family.to_ne_bytes());
        match gw {
            IpAddr::V4(a) => addr.copy_from_slice(&a.octets()),
            IpAddr::V6(a) => addr.copy_from_slice(&a.octets()),
        }
        Ok(())
    }

    fn hop_len(&self, hop: &NextHopSpec) -> Result<usize, Error> {
        let gw = match &hop.gateway {
            Some(gw) => self.gateway_space(gw)?,
            None => 0,
        };
        Ok(RtNextHop::LEN + gw)
    }

    fn multipath_len(&self) -> Result<usize, Error> {
        let mut len = 0usize;
        for hop in self.nexthops {
            len = len.checked_add(self.hop_len(hop)?).ok_or(Error::TooLong)?;
        }
        Ok(len)
    }

    fn attrs_space(&self) -> Result<usize, Error> {
        let mut len = 0;
        if let Some(dst) = &self.dst {
            len += RouteAttrs::DST.space(dst)?;
        }
        if let Some(src) = &self.src {
            len += RouteAttrs::SRC.space(src)?;
        }
        if self.table > 255 {
            len += RouteAttrs::TABLE.space(&self.table)?;
        }
        if let Some(gw) = &self.gateway {
            len += self.gateway_space(gw)?;
        }
        if let Some(oif) = &self.oif {
            len += RouteAttrs::OIF.space(oif)?;
        }
        if let Some(priority) = &self.priority {
            len += RouteAttrs::PRIORITY.space(priority)?;
        }
        if let Some(prefsrc) = &self.prefsrc {
            len += RouteAttrs::PREFSRC.space(prefsrc)?;
        }
        if let Some(pref) = self.pref {
            len += RouteAttrs::PREF.space(&u8::from(pref))?;
        }
        if !self.metrics.is_empty() {
            len += crate::attr::space(self.metrics.payload_len()?)?;
        }
        if !self.nexthops.is_empty() {
            len += crate::attr::space(self.multipath_len()?)?;
        }
        Ok(len)
    }

    fn put_attrs(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        if let Some(dst) = self.dst {
            w.put(RouteAttrs::DST, dst)?;
        }
        if let Some(src) = self.src {
            w.put(RouteAttrs::SRC, src)?;
        }
        if self.table > 255 {
            w.put(RouteAttrs::TABLE, self.table)?;
        }
        if let Some(gw) = self.gateway {
            self.put_gateway(w, gw)?;
        }
        if let Some(oif) = self.oif {
            w.put(RouteAttrs::OIF, oif)?;
        }
        if let Some(priority) = self.priority {
            w.put(RouteAttrs::PRIORITY, priority)?;
        }
        if let Some(prefsrc) = self.prefsrc {
            w.put(RouteAttrs::PREFSRC, prefsrc)?;
        }
        if let Some(pref) = self.pref {
            w.put(RouteAttrs::PREF, u8::from(pref))?;
        }
        if !self.metrics.is_empty() {
            let nest = w.nest(RouteAttrs::METRICS)?;
            if self.metrics.lock != 0 {
                w.put(MetricAttrs::LOCK, self.metrics.lock)?;
            }
            for (ty, value) in self.metrics.values {
                w.attr(*ty, &value.to_ne_bytes())?;
            }
            if let Some(algo) = self.metrics.cc_algo {
                w.put(MetricAttrs::CC_ALGO, algo)?;
            }
            w.nest_end(nest)?;
        }
        if !self.nexthops.is_empty() {
            let payload = w.attr_with(RouteAttrs::MULTIPATH.ty(), self.multipath_len()?)?;
            let mut inner = Writer::new(payload);
            for hop in self.nexthops {
                let len = u16::try_from(self.hop_len(hop)?).map_err(|_| Error::TooLong)?;
                let hops = hop
                    .weight
                    .checked_sub(1)
                    .and_then(|h| u8::try_from(h).ok())
                    .ok_or(Error::BadPayload {
                        ty: RouteAttrs::MULTIPATH.ty(),
                    })?;
                inner.put_struct(&RtNextHop {
                    len: U16::new(len),
                    flags: hop.flags,
                    hops,
                    ifindex: I32::new(i32::from_ne_bytes(hop.ifindex.to_ne_bytes())),
                })?;
                if let Some(gw) = hop.gateway {
                    self.put_gateway(&mut inner, gw)?;
                }
            }
        }
        Ok(())
    }

    fn check(&self) -> Result<(), Error> {
        for hop in self.nexthops {
            if !(1..=256).contains(&hop.weight) {
                return Err(Error::BadPayload {
                    ty: RouteAttrs::MULTIPATH.ty(),
                });
            }
        }
        Ok(())
    }
}

fn ip_len(addr: &IpAddr) -> usize {
    match addr {
        IpAddr::V4(_) => 4,
        IpAddr::V6(_) => 16,
    }
}

/// Writes one route request (see [`nlmsg::build`]), with `NLM_F_ACK`.
fn build<'b>(
    buf: &'b mut [u8],
    ty: u16,
    flags: Flags,
    seq: u32,
    spec: &RouteSpec<'_>,
) -> Result<&'b [u8], Error> {
    spec.check()?;
    let attrs = spec.attrs_space()?;
    nlmsg::build(
        buf,
        ty,
        flags | Flags::ACK,
        seq,
        &spec.header(),
        attrs,
        |w| spec.put_attrs(w),
    )
}

/// Builds `RTM_NEWROUTE` for `spec` with `flags` (`Flags::CREATE | Flags::EXCL`
/// to add, `CREATE | REPLACE` to replace, `CREATE | APPEND` to append);
/// `NLM_F_REQUEST | NLM_F_ACK` are added. A next hop weight outside 1..=256
/// is [`Error::BadPayload`] and nothing is written.
pub fn new_route<'b>(
    buf: &'b mut [u8],
    seq: u32,
    flags: Flags,
    spec: &RouteSpec<'_>,
) -> Result<&'b [u8], Error> {
    build(buf, RTM_NEWROUTE, flags, seq, spec)
}

/// Builds `RTM_DELROUTE` for `spec` (the kernel deletes the first route
/// matching every field given; `RouteType::Unspec`, `RouteProtocol::Unspec`
/// and `RouteScope::Nowhere` match any).
pub fn del_route<'b>(buf: &'b mut [u8], seq: u32, spec: &RouteSpec<'_>) -> Result<&'b [u8], Error> {
    build(buf, RTM_DELROUTE, Flags::NONE, seq, spec)
}

// `IpAddr` has no defmt impl: these go through their `Debug`.
#[cfg(feature = "defmt")]
impl defmt::Format for RouteQuery {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{}", defmt::Debug2Format(self))
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for NextHopSpec {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{}", defmt::Debug2Format(self))
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for RouteSpec<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{}", defmt::Debug2Format(self))
    }
}
