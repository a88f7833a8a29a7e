//! The next hops of a multipath route (`RTA_MULTIPATH`) for the route
//! printer, read with nl-core's `RtNextHop` wire struct and `AttrIter`
//! (not its `NextHops`, which indexes each hop's attributes through the
//! route attribute table).
//!
//! ```text
//!  0        1        2        3
//! +--------+--------+--------+--------+
//! |    rtnh_len     | flags  |  hops  |   hops = weight - 1
//! +--------+--------+--------+--------+
//! |          rtnh_ifindex (i32)       |
//! +--------+--------+--------+--------+
//! | attributes (rtnh_len - 8 bytes)   |   RTA_GATEWAY, RTA_VIA...
//! +-----------------------------------+   then padding to 4
//! ```

use nl_core::Error;
use nl_core::attr::AttrIter;
use nl_core::nlmsg::split_fixed;
use nl_core::route::route::{RouteAttrs, multipath};

/// One next hop of `RTA_MULTIPATH`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hop<'a> {
    /// `RTNH_F_*`.
    pub(crate) flags: u8,
    /// The weight less one.
    pub(crate) hops: u8,
    /// The interface (0: none).
    pub(crate) ifindex: u32,
    /// `RTA_GATEWAY`'s payload.
    pub(crate) gateway: Option<&'a [u8]>,
    /// `RTA_VIA`'s payload.
    pub(crate) via: Option<&'a [u8]>,
}

/// The next hops of `RTA_MULTIPATH` (`struct rtnexthop`, then its
/// attributes, padded to 4), read with nl-core's `RtNextHop` and
/// `AttrIter`; stops at the first malformed one (checked at parse).
pub(crate) struct Hops<'a> {
    rest: &'a [u8],
}

impl<'a> Hops<'a> {
    /// The next hops of an `RTA_MULTIPATH` payload (none without one).
    pub(crate) fn new(payload: Option<&'a [u8]>) -> Self {
        Hops {
            rest: payload.unwrap_or_default(),
        }
    }
}

/// The next hop at the start of `bytes` and the bytes after it.
fn hop(bytes: &[u8]) -> Result<(Hop<'_>, &[u8]), Error> {
    let (header, _) = split_fixed::<multipath::RtNextHop>(bytes)?;
    let len = usize::from(header.len.get());
    if len < multipath::RtNextHop::LEN {
        return Err(Error::BadLength);
    }
    let entry = bytes.get(..len).ok_or(Error::Truncated)?;
    let mut hop = Hop {
        flags: header.flags,
        hops: header.hops,
        ifindex: header.ifindex.get().cast_unsigned(),
        gateway: None,
        via: None,
    };
    for attr in AttrIter::new(entry.get(multipath::RtNextHop::LEN..).unwrap_or_default()) {
        let attr = attr?;
        if attr.ty() == RouteAttrs::GATEWAY.ty() {
            hop.gateway = Some(attr.payload());
        } else if attr.ty() == RouteAttrs::VIA.ty() {
            hop.via = Some(attr.payload());
        }
    }
    let next = nl_core::align(len).unwrap_or(len).min(bytes.len());
    Ok((hop, bytes.get(next..).unwrap_or_default()))
}

/// Every next hop well-formed, each address of the route's length.
pub(crate) fn check_hops(mut bytes: &[u8], address: usize) -> Result<(), Error> {
    while !bytes.is_empty() {
        let (hop, rest) = hop(bytes)?;
        let ty = RouteAttrs::GATEWAY.ty();
        if let Some(gw) = hop.gateway.filter(|gw| gw.len() != address) {
            return Err(Error::BadAttrLength { ty, len: gw.len() });
        }
        let ty = RouteAttrs::VIA.ty();
        if let Some(via) = hop.via.filter(|via| via.len() < 2) {
            return Err(Error::BadAttrLength { ty, len: via.len() });
        }
        bytes = rest;
    }
    Ok(())
}

impl<'a> Iterator for Hops<'a> {
    type Item = Hop<'a>;

    fn next(&mut self) -> Option<Hop<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        match hop(self.rest) {
            Ok((hop, rest)) => {
                self.rest = rest;
                Some(hop)
            }
            Err(_) => {
                self.rest = &[];
                None
            }
        }
    }
}
