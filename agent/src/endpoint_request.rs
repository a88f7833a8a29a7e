//! `mptcp_pm` `add-addr` / `del-addr` for `mptcp endpoint add|del`, built
//! with nl-core's message builder (`nlmsg::build`), generic netlink header
//! and attribute writer: the same bytes as nl-core's `mptcp::add_addr` /
//! `del_addr` (the tests check it), without their typed attribute writer.
//!
//! ```text
//! nlmsghdr | genlmsghdr (cmd, version 1) | MPTCP_PM_ATTR_ADDR (nested)
//!                                            | family | id | addr4/6 | port | flags | if-idx
//!                                            (each only when given; flags always)
//! ```

use core::net::IpAddr;

use nl_core::genl::GenlHeader;
use nl_core::mptcp::{AddressAttrs, Cmd, EndpointAttrs, EndpointFlags, VERSION};
use nl_core::nlmsg::{self, Flags};
use nl_core::{Error, Writer};

use crate::attr_list;
use crate::ip::{AF_INET, wire};

/// An endpoint of the in-kernel path manager.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EndpointRequest {
    /// Its id (the kernel picks one on `add` when `None`).
    pub id: Option<u8>,
    /// Its address.
    pub addr: Option<IpAddr>,
    /// Its port (0: none).
    pub port: Option<u16>,
    /// `MPTCP_PM_ADDR_FLAG_*`.
    pub flags: EndpointFlags,
    /// The interface.
    pub ifindex: Option<i32>,
}

impl EndpointRequest {
    /// Builds `add-addr` (`add`) or `del-addr` for the family id `family`
    /// into `buf`; nothing is written on failure.
    pub fn build<'b>(
        &self,
        buf: &'b mut [u8],
        family: u16,
        seq: u32,
        add: bool,
    ) -> Result<&'b [u8], Error> {
        let cmd = if add { Cmd::AddAddr } else { Cmd::DelAddr };
        let header = GenlHeader::new(cmd.into(), VERSION);
        let addr = self.addr.map(wire);
        let addr_family = addr.map(|(f, _, _)| u16::from(f).to_ne_bytes());
        let id = self.id.map(|id| [id]);
        let port = self.port.filter(|&p| p != 0).map(u16::to_ne_bytes);
        let flags = self.flags.0.to_ne_bytes();
        let ifindex = self.ifindex.map(i32::to_ne_bytes);
        let attrs = [
            addr_family
                .as_ref()
                .map(|b| (AddressAttrs::FAMILY.ty(), &b[..])),
            id.as_ref().map(|b| (AddressAttrs::ID.ty(), &b[..])),
            addr.as_ref().map(|(f, bytes, len)| {
                let ty = if *f == AF_INET {
                    AddressAttrs::ADDR4.ty()
                } else {
                    AddressAttrs::ADDR6.ty()
                };
                (ty, bytes.get(..*len).unwrap_or_default())
            }),
            port.as_ref().map(|b| (AddressAttrs::PORT.ty(), &b[..])),
            Some((AddressAttrs::FLAGS.ty(), &flags[..])),
            ifindex
                .as_ref()
                .map(|b| (AddressAttrs::IF_IDX.ty(), &b[..])),
        ];
        let space = nl_core::attr::space(attr_list::space(&attrs)?)?;
        nlmsg::build(
            buf,
            family,
            Flags::NONE,
            seq,
            &header,
            space,
            |w: &mut Writer<'_>| {
                let nest = w.nest_start(EndpointAttrs::ADDR.ty())?;
                attr_list::put(w, &attrs)?;
                w.nest_end(nest)
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use core::net::{Ipv4Addr, Ipv6Addr};

    use nl_core::mptcp::{self, Address};

    use super::*;

    #[test]
    fn the_same_bytes_as_nl_cores_endpoint_builders() {
        let v4 = Some(IpAddr::V4(Ipv4Addr::new(10, 1, 0, 1)));
        let v6 = Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2)));
        let endpoints = [
            EndpointRequest {
                id: Some(1),
                addr: v4,
                flags: EndpointFlags(EndpointFlags::SIGNAL),
                ifindex: Some(2),
                ..EndpointRequest::default()
            },
            EndpointRequest {
                id: Some(2),
                addr: v4,
                port: Some(1000),
                flags: EndpointFlags(EndpointFlags::SUBFLOW | EndpointFlags::BACKUP),
                ..EndpointRequest::default()
            },
            EndpointRequest {
                addr: v6,
                port: Some(0),
                ..EndpointRequest::default()
            },
            EndpointRequest {
                id: Some(7),
                ..EndpointRequest::default()
            },
        ];
        for e in endpoints {
            let address = Address {
                id: e.id,
                addr: e.addr,
                port: e.port,
                flags: e.flags,
                ifindex: e.ifindex,
            };
            let mut ours = [0u8; 128];
            let mut theirs = [0u8; 128];
            assert_eq!(
                e.build(&mut ours, 0x1d, 5, true).unwrap(),
                mptcp::add_addr(&mut theirs, 0x1d, 5, &address).unwrap(),
                "{e:?}"
            );
            assert_eq!(
                e.build(&mut ours, 0x1d, 6, false).unwrap(),
                mptcp::del_addr(&mut theirs, 0x1d, 6, &address).unwrap(),
                "{e:?}"
            );
        }
    }

    #[test]
    fn no_room_writes_nothing() {
        let e = EndpointRequest {
            id: Some(1),
            addr: Some(IpAddr::V4(Ipv4Addr::new(10, 1, 0, 1))),
            ..EndpointRequest::default()
        };
        let mut buf = [0xaa_u8; 40];
        assert!(matches!(
            e.build(&mut buf, 0x1d, 1, true),
            Err(Error::NoRoom { .. })
        ));
        assert!(buf.iter().all(|&b| b == 0xaa));
    }
}
