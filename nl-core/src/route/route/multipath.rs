//! `RTA_MULTIPATH`: a run of `struct rtnexthop`, each followed by its own
//! attributes (`RTA_GATEWAY`, `RTA_VIA`, …). The run is not a run of
//! attributes, so it has its own iterator.
//!
//! ```text
//!  0        1        2        3
//! +--------+--------+--------+--------+
//! |    rtnh_len     | flags  |  hops  |   hops = weight - 1
//! +--------+--------+--------+--------+
//! |          rtnh_ifindex (i32)       |
//! +--------+--------+--------+--------+
//! | attributes (rtnh_len - 8 bytes)   |
//! +-----------------------------------+   then padding to 4
//! ```

use core::net::IpAddr;

use zerocopy::byteorder::native_endian::{I32, U16};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::{RouteAttrs, RouteFlags, Via};
use crate::Error;
use crate::table::Index;

/// `struct rtnexthop`.
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
pub struct RtNextHop {
    /// Length of this entry, attributes included.
    pub len: U16,
    /// `RTNH_F_*` flags.
    pub flags: u8,
    /// Weight - 1.
    pub hops: u8,
    /// Output interface index.
    pub ifindex: I32,
}

impl RtNextHop {
    /// Size on the wire.
    pub const LEN: usize = 8;
}

/// One next hop of a multipath route.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NextHop<'a> {
    /// `RTNH_F_*` flags (the low byte of [`RouteFlags`]).
    pub flags: RouteFlags,
    /// `rtnh_hops`: the weight minus one.
    pub hops: u8,
    /// Output interface index.
    pub ifindex: u32,
    /// The next hop's own attributes.
    pub attrs: Index<'a, RouteAttrs>,
}

impl<'a> NextHop<'a> {
    /// The weight (`rtnh_hops + 1`).
    pub fn weight(&self) -> u16 {
        u16::from(self.hops) + 1
    }

    /// Gateway of the route's family.
    pub fn gateway(&self) -> Option<IpAddr> {
        self.attrs.get(RouteAttrs::GATEWAY)
    }

    /// Gateway of another family.
    pub fn via(&self) -> Option<Result<Via<'a>, Error>> {
        self.attrs.get(RouteAttrs::VIA).map(Via::parse)
    }

    /// Realms.
    pub fn flow(&self) -> Option<u32> {
        self.attrs.get(RouteAttrs::FLOW)
    }

    /// MPLS labels to push (raw).
    pub fn newdst(&self) -> Option<&'a [u8]> {
        self.attrs.get(RouteAttrs::NEWDST)
    }

    /// Lightweight tunnel type.
    pub fn encap_type(&self) -> Option<u16> {
        self.attrs.get(RouteAttrs::ENCAP_TYPE)
    }

    /// Lightweight tunnel parameters (raw nest).
    pub fn encap(&self) -> Option<&'a [u8]> {
        self.attrs.get(RouteAttrs::ENCAP)
    }
}

/// Iterator over the next hops of an `RTA_MULTIPATH` payload. A malformed
/// entry is one error, then the end.
#[derive(Clone, Debug)]
pub struct NextHops<'a> {
    rest: &'a [u8],
}

impl<'a> NextHops<'a> {
    /// Iterates the entries of `payload`.
    pub fn new(payload: &'a [u8]) -> Self {
        NextHops { rest: payload }
    }

    fn step(&mut self) -> Result<NextHop<'a>, Error> {
        let (hdr, _) = RtNextHop::read_from_prefix(self.rest).map_err(|_| Error::Truncated)?;
        let len = usize::from(hdr.len.get());
        if len < RtNextHop::LEN {
            return Err(Error::BadLength);
        }
        let entry = self.rest.get(..len).ok_or(Error::Truncated)?;
        let attrs = entry.get(RtNextHop::LEN..).unwrap_or_default();
        let next = crate::align(len).unwrap_or(len).min(self.rest.len());
        self.rest = self.rest.get(next..).unwrap_or_default();
        Ok(NextHop {
            flags: RouteFlags(u32::from(hdr.flags)),
            hops: hdr.hops,
            ifindex: u32::from_ne_bytes(hdr.ifindex.get().to_ne_bytes()),
            attrs: Index::parse(attrs)?,
        })
    }
}

impl<'a> Iterator for NextHops<'a> {
    type Item = Result<NextHop<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let item = self.step();
        if item.is_err() {
            self.rest = &[];
        }
        Some(item)
    }
}
