//! One direction of a connection: addresses, layer-4 protocol, ports or
//! ICMP id/type/code, read from and written as a [`TupleAttrs`] nest.
//!
//! ```text
//! tuple-orig / tuple-reply (nest)
//! ├─ tuple-ip (nest)      ip-v4-src, ip-v4-dst (4 bytes each)
//! │                    or ip-v6-src, ip-v6-dst (16 bytes each)
//! └─ tuple-proto (nest)   proto-num (u8)
//!                         proto-src-port, proto-dst-port (be16)   TCP, UDP, SCTP…
//!                      or proto-icmp-id (be16), -type, -code (u8) ICMP
//!                      or proto-icmpv6-id (be16), -type, -code    ICMPv6
//! ```

use core::net::{IpAddr, SocketAddr};

use super::attrs::{TupleAttrs, TupleIpAttrs, TupleProtoAttrs};
use crate::table::{Field, Index, Nest};
use crate::{Error, Writer};

/// `IPPROTO_ICMP`.
pub const PROTO_ICMP: u8 = 1;
/// `IPPROTO_TCP`.
pub const PROTO_TCP: u8 = 6;
/// `IPPROTO_UDP`.
pub const PROTO_UDP: u8 = 17;
/// `IPPROTO_ICMPV6`.
pub const PROTO_ICMPV6: u8 = 58;

/// The ICMP (or ICMPv6) part of a tuple.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Icmp {
    /// Identifier.
    pub id: u16,
    /// Type (8 echo request, 0 echo reply; ICMPv6 128 and 129).
    pub ty: u8,
    /// Code.
    pub code: u8,
}

/// One direction of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tuple {
    /// Source address.
    pub src: IpAddr,
    /// Destination address (the same family as `src`).
    pub dst: IpAddr,
    /// Layer-4 protocol number.
    pub proto: u8,
    /// Source port (protocols with ports).
    pub src_port: Option<u16>,
    /// Destination port.
    pub dst_port: Option<u16>,
    /// ICMP id, type and code (ICMP and ICMPv6).
    pub icmp: Option<Icmp>,
}

/// Bytes of an attribute header.
const HDR: usize = 4;
/// Bytes of an attribute with a 1-, 2- or 4-byte payload.
const SMALL: usize = 8;

impl Tuple {
    /// A TCP tuple from `src` to `dst` (both of one family).
    pub fn tcp(src: SocketAddr, dst: SocketAddr) -> Tuple {
        Tuple::ported(PROTO_TCP, src, dst)
    }

    /// A UDP tuple from `src` to `dst`.
    pub fn udp(src: SocketAddr, dst: SocketAddr) -> Tuple {
        Tuple::ported(PROTO_UDP, src, dst)
    }

    fn ported(proto: u8, src: SocketAddr, dst: SocketAddr) -> Tuple {
        Tuple {
            src: src.ip(),
            dst: dst.ip(),
            proto,
            src_port: Some(src.port()),
            dst_port: Some(dst.port()),
            icmp: None,
        }
    }

    /// An ICMP tuple (ICMPv6, protocol 58, when `src` is IPv6).
    pub fn icmp(src: IpAddr, dst: IpAddr, id: u16, ty: u8, code: u8) -> Tuple {
        let proto = if src.is_ipv6() {
            PROTO_ICMPV6
        } else {
            PROTO_ICMP
        };
        Tuple {
            src,
            dst,
            proto,
            src_port: None,
            dst_port: None,
            icmp: Some(Icmp { id, ty, code }),
        }
    }

    /// The reply direction: addresses and ports swapped; an ICMP request
    /// type becomes its reply type (echo, timestamp, information, address
    /// mask; ICMPv6 echo and node information), as the kernel inverts it.
    pub fn reversed(&self) -> Tuple {
        Tuple {
            src: self.dst,
            dst: self.src,
            proto: self.proto,
            src_port: self.dst_port,
            dst_port: self.src_port,
            icmp: self.icmp.map(|icmp| Icmp {
                ty: reply_type(self.proto, icmp.ty),
                ..icmp
            }),
        }
    }

    /// Reads a `tuple-orig`, `tuple-reply` or `tuple-master` nest's payload.
    /// Without `tuple-ip` or `tuple-proto`, or without `proto-num` or a
    /// source and destination address of one family, it is
    /// [`Error::MissingAttr`] (with the missing attribute's type).
    pub fn parse(nest: &[u8]) -> Result<Tuple, Error> {
        let tuple = Index::<TupleAttrs>::parse(nest)?;
        let ip = required(tuple.get(TupleAttrs::IP), TupleAttrs::IP)?.parse()?;
        let proto = required(tuple.get(TupleAttrs::PROTO), TupleAttrs::PROTO)?.parse()?;
        let (src, dst) = match (ip.get(TupleIpAttrs::V4_SRC), ip.get(TupleIpAttrs::V4_DST)) {
            (Some(src), Some(dst)) => (IpAddr::V4(src), IpAddr::V4(dst)),
            _ => {
                let src = required(ip.get(TupleIpAttrs::V6_SRC), TupleIpAttrs::V6_SRC)?;
                let dst = required(ip.get(TupleIpAttrs::V6_DST), TupleIpAttrs::V6_DST)?;
                (IpAddr::V6(src), IpAddr::V6(dst))
            }
        };
        let num = required(proto.get(TupleProtoAttrs::NUM), TupleProtoAttrs::NUM)?;
        // Looked up only while the previous member is there: a TCP or UDP
        // tuple (the common case) stops at the first.
        let icmp = |id, ty, code| {
            Some(Icmp {
                id: proto.get(id)?,
                ty: proto.get(ty)?,
                code: proto.get(code)?,
            })
        };
        let icmp = icmp(
            TupleProtoAttrs::ICMP_ID,
            TupleProtoAttrs::ICMP_TYPE,
            TupleProtoAttrs::ICMP_CODE,
        )
        .or_else(|| {
            icmp(
                TupleProtoAttrs::ICMPV6_ID,
                TupleProtoAttrs::ICMPV6_TYPE,
                TupleProtoAttrs::ICMPV6_CODE,
            )
        });
        Ok(Tuple {
            src,
            dst,
            proto: num,
            src_port: proto.get(TupleProtoAttrs::SRC_PORT),
            dst_port: proto.get(TupleProtoAttrs::DST_PORT),
            icmp,
        })
    }

    /// Bytes the tuple takes as a nest (header included).
    pub fn space(&self) -> usize {
        let addrs = match (self.src, self.dst) {
            (IpAddr::V4(_), IpAddr::V4(_)) => 2 * SMALL,
            _ => 2 * (HDR + 16),
        };
        let ports = usize::from(self.src_port.is_some()) * SMALL
            + usize::from(self.dst_port.is_some()) * SMALL;
        let icmp = if self.icmp.is_some() { 3 * SMALL } else { 0 };
        HDR + (HDR + addrs) + (HDR + SMALL + ports + icmp)
    }

    /// Writes the tuple as nest `field` ([`ConntrackAttrs::TUPLE_ORIG`],
    /// `TUPLE_REPLY`…). A source and destination of different families
    /// are written as IPv6 (a v4 address mapped), which the kernel refuses.
    ///
    /// [`ConntrackAttrs::TUPLE_ORIG`]: super::ConntrackAttrs::TUPLE_ORIG
    pub fn put<S>(
        &self,
        w: &mut Writer<'_>,
        field: Field<S, Nest<TupleAttrs>>,
    ) -> Result<(), Error> {
        let outer = w.nest(field)?;
        let ip = w.nest(TupleAttrs::IP)?;
        match (self.src, self.dst) {
            (IpAddr::V4(src), IpAddr::V4(dst)) => {
                w.put(TupleIpAttrs::V4_SRC, src)?;
                w.put(TupleIpAttrs::V4_DST, dst)?;
            }
            (src, dst) => {
                w.put(TupleIpAttrs::V6_SRC, v6(src))?;
                w.put(TupleIpAttrs::V6_DST, v6(dst))?;
            }
        }
        w.nest_end(ip)?;
        let proto = w.nest(TupleAttrs::PROTO)?;
        w.put(TupleProtoAttrs::NUM, self.proto)?;
        if let Some(port) = self.src_port {
            w.put(TupleProtoAttrs::SRC_PORT, port)?;
        }
        if let Some(port) = self.dst_port {
            w.put(TupleProtoAttrs::DST_PORT, port)?;
        }
        if let Some(icmp) = self.icmp {
            if self.proto == PROTO_ICMPV6 {
                w.put(TupleProtoAttrs::ICMPV6_ID, icmp.id)?;
                w.put(TupleProtoAttrs::ICMPV6_TYPE, icmp.ty)?;
                w.put(TupleProtoAttrs::ICMPV6_CODE, icmp.code)?;
            } else {
                w.put(TupleProtoAttrs::ICMP_ID, icmp.id)?;
                w.put(TupleProtoAttrs::ICMP_TYPE, icmp.ty)?;
                w.put(TupleProtoAttrs::ICMP_CODE, icmp.code)?;
            }
        }
        w.nest_end(proto)?;
        w.nest_end(outer)
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Tuple {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Tuple {{ src: {}, dst: {}, proto: {=u8}, src_port: {}, dst_port: {}, icmp: {} }}",
            defmt::Display2Format(&self.src),
            defmt::Display2Format(&self.dst),
            self.proto,
            self.src_port,
            self.dst_port,
            self.icmp
        )
    }
}

/// The value of a required attribute, or [`Error::MissingAttr`].
fn required<T, S, K>(value: Option<T>, field: Field<S, K>) -> Result<T, Error> {
    value.ok_or(Error::MissingAttr { ty: field.ty() })
}

/// `addr` as IPv6 (IPv4 mapped).
fn v6(addr: IpAddr) -> core::net::Ipv6Addr {
    match addr {
        IpAddr::V4(v4) => v4.to_ipv6_mapped(),
        IpAddr::V6(v6) => v6,
    }
}

/// The reply type of an ICMP (or ICMPv6) request type; other types stay.
fn reply_type(proto: u8, ty: u8) -> u8 {
    match (proto, ty) {
        (PROTO_ICMP, 8) => 0,       // echo
        (PROTO_ICMP, 13) => 14,     // timestamp
        (PROTO_ICMP, 15) => 16,     // information
        (PROTO_ICMP, 17) => 18,     // address mask
        (PROTO_ICMPV6, 128) => 129, // echo
        (PROTO_ICMPV6, 139) => 140, // node information
        (_, other) => other,
    }
}
