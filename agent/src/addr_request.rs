//! `RTM_NEWADDR` / `RTM_DELADDR` for `addr add|del PREFIX dev NAME`, built
//! with nl-core's message builder (`nlmsg::build`) and attribute writer:
//! the same bytes as nl-core's `new_addr` / `del_addr` for an address with
//! no peer, broadcast, label or flags (the tests check it), without their
//! general builder.
//!
//! ```text
//! nlmsghdr | ifaddrmsg (8 B)                        | IFA_LOCAL | IFA_ADDRESS
//!            family prefixlen flags=0 scope=0 index    (both the address)
//! ```

use core::net::IpAddr;

use nl_core::nlmsg::{self, Flags};
use nl_core::route::addr::{AddrAttrs, IfAddrMsg};
use nl_core::route::{RTM_DELADDR, RTM_NEWADDR};
use nl_core::{Error, Writer};

use crate::attr_list;
use crate::ip::wire;

/// An address of an interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddrRequest {
    /// The interface index.
    pub index: u32,
    /// The address.
    pub local: IpAddr,
    /// Its prefix length.
    pub prefixlen: u8,
}

impl AddrRequest {
    /// Builds the request into `buf`: `add` is `RTM_NEWADDR` with
    /// `NLM_F_CREATE | NLM_F_EXCL`, else `RTM_DELADDR`. A prefix longer
    /// than the address is [`Error::BadPayload`]; nothing is written on
    /// failure.
    pub fn build<'b>(&self, buf: &'b mut [u8], seq: u32, add: bool) -> Result<&'b [u8], Error> {
        let (family, bytes, len) = wire(self.local);
        if usize::from(self.prefixlen) > len * 8 {
            return Err(Error::BadPayload {
                ty: AddrAttrs::ADDRESS.ty(),
            });
        }
        let header = IfAddrMsg {
            family,
            prefixlen: self.prefixlen,
            index: self.index.into(),
            ..IfAddrMsg::default()
        };
        let (ty, flags) = if add {
            (RTM_NEWADDR, Flags::CREATE | Flags::EXCL)
        } else {
            (RTM_DELADDR, Flags::NONE)
        };
        let addr = bytes.get(..len).unwrap_or_default();
        let attrs = [
            Some((AddrAttrs::LOCAL.ty(), addr)),
            Some((AddrAttrs::ADDRESS.ty(), addr)),
        ];
        let space = attr_list::space(&attrs)?;
        nlmsg::build(buf, ty, flags, seq, &header, space, |w: &mut Writer<'_>| {
            attr_list::put(w, &attrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use core::net::{Ipv4Addr, Ipv6Addr};

    use nl_core::route::addr::{AddrSpec, del_addr, new_addr};

    use super::*;

    #[test]
    fn the_same_bytes_as_nl_cores_address_builder() {
        let v4 = IpAddr::V4(Ipv4Addr::new(10, 1, 0, 1));
        let v6 = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));
        for (local, prefixlen) in [(v4, 24), (v4, 32), (v4, 0), (v6, 64), (v6, 128)] {
            let request = AddrRequest {
                index: 7,
                local,
                prefixlen,
            };
            let spec = AddrSpec::new(7, local, prefixlen);
            let mut ours = [0u8; 128];
            let mut theirs = [0u8; 128];
            let flags = Flags::CREATE | Flags::EXCL;
            assert_eq!(
                request.build(&mut ours, 3, true).unwrap(),
                new_addr(&mut theirs, 3, flags, &spec).unwrap()
            );
            assert_eq!(
                request.build(&mut ours, 4, false).unwrap(),
                del_addr(&mut theirs, 4, &spec).unwrap()
            );
        }
    }

    #[test]
    fn a_prefix_longer_than_the_address_is_an_error() {
        let request = AddrRequest {
            index: 7,
            local: IpAddr::V4(Ipv4Addr::new(10, 1, 0, 1)),
            prefixlen: 33,
        };
        let mut buf = [0xaa_u8; 128];
        assert!(matches!(
            request.build(&mut buf, 1, true),
            Err(Error::BadPayload { .. })
        ));
        assert!(buf.iter().all(|&b| b == 0xaa));
    }
}
