//! One route of a dump as `ip route show` prints it, read with nl-core's
//! attribute iterator (`nl_core::attr::AttrIter`) instead of the typed
//! `Route` view and its `Display` (which bring every route attribute
//! table, value name table and `core::fmt` into the binary: about 13 KiB).
//!
//! ```text
//! RTM_NEWROUTE: nlmsghdr | rtmsg (12 B)                          | attrs
//!                          family dst_len src_len tos table proto    RTA_DST, RTA_OIF,
//!                          scope type flags(u32)                     RTA_GATEWAY, ...
//! ```
//!
//! Printed (in `ip`'s order): `[TYPE ]DST[ from SRC][ via GW][ via FAMILY
//! ADDR][ dev NAME][ proto P][ scope S][ src PREFSRC][ metric N][ FLAGS]
//! [ METRICS]`, then one `\n\tnexthop[ via GW][ dev NAME] weight W[ FLAGS]`
//! per next hop of a multipath route. Names are `ip`'s for the route types,
//! the common protocols (unspec, redirect, kernel, boot, static, ra, dhcp),
//! the scopes, the flags and the metrics; other protocol and scope values
//! are printed as numbers. Left out (as not set on the routes the agent
//! makes nor on the kernel's own IPv4 routes): `table` (the dump is of the
//! main table), `tos`, `mark`, `uid`, `expires`, `pref`, encapsulations;
//! metric values are printed raw (`rtt` in the kernel's unit, not `ms`).

use nl_core::Error;
use nl_core::attr::AttrIter;
use nl_core::nlmsg::{Message, split_fixed};
use nl_core::route::RTM_NEWROUTE;
use nl_core::route::route::{MetricAttrs, RouteAttrs, RouteFlags, RtMsg, metrics};

use crate::ip::put_addr;
use crate::next_hops::{Hops, check_hops};
use crate::put::Put;

/// The route attributes the printer reads: types 1..=MAX_TYPE.
const MAX_TYPE: usize = 18;
/// `rtm_type` `RTN_UNICAST`: not printed.
const RTN_UNICAST: u8 = 1;
/// `rtm_protocol` `RTPROT_BOOT`: not printed.
const RTPROT_BOOT: u8 = 3;
/// `rtm_scope` `RT_SCOPE_UNIVERSE`: not printed.
const RT_SCOPE_UNIVERSE: u8 = 0;
/// `AF_INET6`.
const AF_INET6: u16 = 10;

/// `rtm_type` names, `RTN_UNSPEC` (0) to `RTN_XRESOLVE` (11).
const TYPE_NAMES: [&str; 12] = [
    "none",
    "unicast",
    "local",
    "broadcast",
    "anycast",
    "multicast",
    "blackhole",
    "unreachable",
    "prohibit",
    "throw",
    "nat",
    "xresolve",
];

/// `rtm_protocol` names `ip` knows for the common values.
const PROTOCOL_NAMES: [(u8, &str); 7] = [
    (0, "unspec"),
    (1, "redirect"),
    (2, "kernel"),
    (3, "boot"),
    (4, "static"),
    (9, "ra"),
    (16, "dhcp"),
];

/// `rtm_scope` names.
const SCOPE_NAMES: [(u8, &str); 4] = [
    (200, "site"),
    (253, "link"),
    (254, "host"),
    (255, "nowhere"),
];

/// The flags `ip` prints, in its order (`RTNH_F_*` and `RTM_F_*`).
const FLAG_NAMES: [(u32, &str); 11] = [
    (0x01, "dead"),
    (0x04, "onlink"),
    (0x02, "pervasive"),
    (0x08, "offload"),
    (0x40, "trap"),
    (0x100, "notify"),
    (0x10, "linkdown"),
    (0x20, "unresolved"),
    (0x4000, "rt_offload"),
    (0x8000, "rt_trap"),
    (0x2000_0000, "rt_offload_failed"),
];

/// A route message's header and the payloads of the attributes printed,
/// each checked for its length (so printing cannot fail).
#[derive(Clone, Copy, Debug)]
pub struct RouteLine<'a> {
    header: RtMsg,
    attrs: [Option<&'a [u8]>; MAX_TYPE],
}

/// The payload length of an address of the route's family.
fn addr_len(family: u8) -> usize {
    if u16::from(family) == AF_INET6 { 16 } else { 4 }
}

/// A native-endian u32 payload.
fn read_u32(payload: &[u8]) -> Option<u32> {
    payload.try_into().ok().map(u32::from_ne_bytes)
}

impl<'a> RouteLine<'a> {
    /// Reads an `RTM_NEWROUTE` message; a malformed one is an error.
    pub fn parse(message: &Message<'a>) -> Result<Self, Error> {
        if message.ty() != RTM_NEWROUTE {
            return Err(Error::UnexpectedType { ty: message.ty() });
        }
        let (header, attrs) = split_fixed::<RtMsg>(message.payload())?;
        let mut line = RouteLine {
            header: *header,
            attrs: [None; MAX_TYPE],
        };
        let address = addr_len(header.family);
        for attr in AttrIter::new(attrs) {
            let attr = attr?;
            let (ty, payload) = (attr.ty(), attr.payload());
            let good = match ty {
                1 | 2 | 5 | 7 => payload.len() == address,
                4 | 6 | 15 => payload.len() == 4,
                8 => check_metrics(payload).is_ok(),
                9 => check_hops(payload, address).is_ok(),
                18 => payload.len() >= 2,
                _ => true,
            };
            if !good {
                return Err(Error::BadAttrLength {
                    ty,
                    len: payload.len(),
                });
            }
            if let Some(slot) = line.attrs.get_mut(usize::from(ty).wrapping_sub(1)) {
                *slot = Some(payload);
            }
        }
        Ok(line)
    }

    fn attr(&self, field: u16) -> Option<&'a [u8]> {
        self.attrs
            .get(usize::from(field).wrapping_sub(1))
            .copied()
            .flatten()
    }

    fn u32_attr(&self, field: u16) -> Option<u32> {
        self.attr(field).and_then(read_u32)
    }

    /// `rtm_flags`.
    pub fn flags(&self) -> u32 {
        self.header.flags.get()
    }

    /// A cache clone (`RTM_F_CLONED`), not a table entry.
    pub fn is_cloned(&self) -> bool {
        self.flags() & RouteFlags::CLONED != 0
    }

    /// The table: `RTA_TABLE`, else `rtm_table`.
    pub fn table(&self) -> u32 {
        self.u32_attr(RouteAttrs::TABLE.ty())
            .unwrap_or(u32::from(self.header.table))
    }

    /// Every interface the line names (`RTA_OIF`, each next hop's), for
    /// learning their names before printing; stops at `learn`'s error.
    pub fn interfaces<E>(&self, mut learn: impl FnMut(u32) -> Result<(), E>) -> Result<(), E> {
        if let Some(oif) = self.u32_attr(RouteAttrs::OIF.ty()) {
            learn(oif)?;
        }
        for hop in Hops::new(self.attr(RouteAttrs::MULTIPATH.ty())) {
            if hop.ifindex != 0 {
                learn(hop.ifindex)?;
            }
        }
        Ok(())
    }

    /// Writes the line (without its newline), with interface names from
    /// `name` (`if{index}` where it has none, as `ip` does).
    pub fn put<'n>(&self, out: &mut dyn Put, name: &dyn Fn(u32) -> Option<&'n [u8]>) {
        let h = &self.header;
        if h.ty != RTN_UNICAST {
            match TYPE_NAMES.get(usize::from(h.ty)) {
                Some(word) => out.put(word.as_bytes()),
                None => out.put_u32(u32::from(h.ty)),
            }
            out.put(b" ");
        }
        put_prefix(out, self.attr(RouteAttrs::DST.ty()), h.dst_len);
        let src = self.attr(RouteAttrs::SRC.ty());
        if src.is_some() || h.src_len != 0 {
            out.put(b" from ");
            put_prefix(out, src, h.src_len);
        }
        if let Some(gw) = self.attr(RouteAttrs::GATEWAY.ty()) {
            out.put(b" via ");
            put_addr(out, gw);
        }
        if let Some(via) = self.attr(RouteAttrs::VIA.ty()) {
            put_via(out, via);
        }
        if let Some(oif) = self.u32_attr(RouteAttrs::OIF.ty()) {
            put_dev(out, name, oif);
        }
        if h.protocol != RTPROT_BOOT {
            out.put(b" proto ");
            put_named(out, &PROTOCOL_NAMES, h.protocol);
        }
        if h.scope != RT_SCOPE_UNIVERSE {
            out.put(b" scope ");
            put_named(out, &SCOPE_NAMES, h.scope);
        }
        if let Some(prefsrc) = self.attr(RouteAttrs::PREFSRC.ty()) {
            out.put(b" src ");
            put_addr(out, prefsrc);
        }
        if let Some(metric) = self.u32_attr(RouteAttrs::PRIORITY.ty()) {
            out.put(b" metric ");
            out.put_u32(metric);
        }
        put_flags(out, self.flags());
        if let Some(nest) = self.attr(RouteAttrs::METRICS.ty()) {
            put_metrics(out, nest);
        }
        for hop in Hops::new(self.attr(RouteAttrs::MULTIPATH.ty())) {
            out.put(b"\n\tnexthop");
            if let Some(gw) = hop.gateway {
                out.put(b" via ");
                put_addr(out, gw);
            }
            if let Some(via) = hop.via {
                put_via(out, via);
            }
            if hop.ifindex != 0 {
                put_dev(out, name, hop.ifindex);
            }
            out.put(b" weight ");
            out.put_u32(u32::from(hop.hops) + 1);
            put_flags(out, u32::from(hop.flags));
        }
    }
}

/// `default`, `0/LEN`, `ADDR` (a host prefix) or `ADDR/LEN`.
fn put_prefix(out: &mut dyn Put, addr: Option<&[u8]>, len: u8) {
    match addr {
        None if len == 0 => out.put(b"default"),
        None => {
            out.put(b"0/");
            out.put_u32(u32::from(len));
        }
        Some(addr) => {
            put_addr(out, addr);
            if usize::from(len) != addr.len() * 8 {
                out.put(b"/");
                out.put_u32(u32::from(len));
            }
        }
    }
}

/// ` via FAMILY ADDR` of an `RTA_VIA` (`family` u16, then the address).
fn put_via(out: &mut dyn Put, via: &[u8]) {
    let (family, addr) = via.split_at(2.min(via.len()));
    let family = family.try_into().map_or(0, u16::from_ne_bytes);
    out.put(b" via ");
    match family {
        2 => out.put(b"inet "),
        AF_INET6 => out.put(b"inet6 "),
        other => {
            out.put_u32(u32::from(other));
            out.put(b" ");
        }
    }
    put_addr(out, addr);
}

fn put_dev<'n>(out: &mut dyn Put, name: &dyn Fn(u32) -> Option<&'n [u8]>, index: u32) {
    out.put(b" dev ");
    match name(index) {
        Some(name) => out.put(name),
        None => {
            out.put(b"if");
            out.put_u32(index);
        }
    }
}

fn put_named(out: &mut dyn Put, names: &[(u8, &str)], value: u8) {
    match names.iter().find(|(v, _)| *v == value) {
        Some((_, name)) => out.put(name.as_bytes()),
        None => out.put_u32(u32::from(value)),
    }
}

fn put_flags(out: &mut dyn Put, flags: u32) {
    for (bit, name) in FLAG_NAMES {
        if flags & bit != 0 {
            out.put(b" ");
            out.put(name.as_bytes());
        }
    }
}

/// Each metric's length: a u32, or the algorithm name (NUL-terminated).
fn check_metrics(nest: &[u8]) -> Result<(), Error> {
    for attr in AttrIter::new(nest) {
        let attr = attr?;
        let good = if attr.ty() == MetricAttrs::CC_ALGO.ty() {
            attr.payload().last() == Some(&0)
        } else {
            attr.payload().len() == 4
        };
        if !good {
            return Err(Error::BadAttrLength {
                ty: attr.ty(),
                len: attr.payload().len(),
            });
        }
    }
    Ok(())
}

/// ` NAME[ lock] VALUE` per metric, as `ip route` (values raw).
fn put_metrics(out: &mut dyn Put, nest: &[u8]) {
    let mut lock = 0u32;
    for attr in AttrIter::new(nest).flatten() {
        if attr.ty() == MetricAttrs::LOCK.ty() {
            lock = read_u32(attr.payload()).unwrap_or(0);
        }
    }
    for (ty, name) in metrics::IP_NAMES {
        let Some(attr) = AttrIter::new(nest).flatten().find(|a| a.ty() == ty) else {
            continue;
        };
        out.put(b" ");
        out.put(name.as_bytes());
        if 1u32
            .checked_shl(u32::from(ty))
            .is_some_and(|bit| lock & bit != 0)
        {
            out.put(b" lock");
        }
        out.put(b" ");
        let payload = attr.payload();
        match read_u32(payload) {
            Some(value) if ty != MetricAttrs::CC_ALGO.ty() => out.put_u32(value),
            _ => out.put(payload.split(|&c| c == 0).next().unwrap_or_default()),
        }
    }
}

#[cfg(all(test, target_endian = "little"))]
#[path = "route_line_tests.rs"]
mod tests;
