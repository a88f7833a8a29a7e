//! One endpoint or address: the `address` nest, read and written.
//!
//! ```text
//! nla_len | addr (1) or addr-remote (6) | NLA_F_NESTED
//!   family  u16  (1)  AF_INET 2 / AF_INET6 10, from the address
//!   id      u8   (2)
//!   addr4   be32 (3)  or  addr6  16 bytes (4)
//!   port    u16  (5)  host byte order
//!   flags   u32  (6)  EndpointFlags
//!   if-idx  s32  (7)
//! ```

use core::fmt;
use core::net::IpAddr;

use super::attrs::{AddressAttrs, EndpointFlags, PmAttrs};
use crate::genl::split;
use crate::nlmsg::Message;
use crate::table::{Field, Index, Nest};
use crate::{Error, Writer};

/// `AF_INET`.
pub const AF_INET: u16 = 2;
/// `AF_INET6`.
pub const AF_INET6: u16 = 10;

/// One endpoint or address (the `address` nest), read and written.
///
/// Every field is optional on the wire; `flags` absent reads as no flags.
/// The family attribute is not stored: it is written from `addr`, and
/// checked against it when read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Address {
    /// Endpoint id.
    pub id: Option<u8>,
    /// The address.
    pub addr: Option<IpAddr>,
    /// Port (host order on this wire). The kernel sends 0 for "no port":
    /// that reads as `None`, and `Some(0)` is not written.
    pub port: Option<u16>,
    /// Endpoint flags.
    pub flags: EndpointFlags,
    /// Interface index.
    pub ifindex: Option<i32>,
}

impl Address {
    /// `addr` with nothing else set.
    pub fn new(addr: IpAddr) -> Self {
        Address {
            addr: Some(addr),
            ..Address::default()
        }
    }

    /// Decodes the payload of an `address` nest. A family other than
    /// `AF_INET`/`AF_INET6`/0, or one whose address attribute is missing,
    /// is [`Error::BadPayload`] on the family attribute; an address of the
    /// wrong length is [`Error::BadAttrLength`]. Without a family, `addr4`
    /// (else `addr6`) is taken.
    pub fn parse(nest: &[u8]) -> Result<Address, Error> {
        Address::from_index(&Index::parse(nest)?)
    }

    /// Decodes an already parsed `address` nest (see [`Address::parse`]).
    pub fn from_index(index: &Index<'_, AddressAttrs>) -> Result<Address, Error> {
        let v4 = index.get(AddressAttrs::ADDR4).map(IpAddr::V4);
        let v6 = index.get(AddressAttrs::ADDR6).map(IpAddr::V6);
        let bad_family = Error::BadPayload {
            ty: AddressAttrs::FAMILY.ty(),
        };
        let addr = match index.get(AddressAttrs::FAMILY) {
            None => v4.or(v6),
            Some(0) => None,
            Some(AF_INET) => Some(v4.ok_or(bad_family)?),
            Some(AF_INET6) => Some(v6.ok_or(bad_family)?),
            Some(_) => return Err(bad_family),
        };
        Ok(Address {
            id: index.get(AddressAttrs::ID),
            addr,
            port: index.get(AddressAttrs::PORT).filter(|&port| port != 0),
            flags: EndpointFlags(index.get(AddressAttrs::FLAGS).unwrap_or(0)),
            ifindex: index.get(AddressAttrs::IF_IDX),
        })
    }

    /// The family attribute written for `addr` (`None` without an address).
    pub fn family(&self) -> Option<u16> {
        self.addr.map(|addr| match addr {
            IpAddr::V4(_) => AF_INET,
            IpAddr::V6(_) => AF_INET6,
        })
    }

    /// The port to write: `port` unless it is 0.
    fn port(&self) -> Option<u16> {
        self.port.filter(|&port| port != 0)
    }

    /// Bytes the nest's attributes take (without the nest header).
    pub fn attrs_len(&self) -> Result<usize, Error> {
        let mut n = AddressAttrs::FLAGS.space(&self.flags.0)?;
        if let Some(family) = self.family() {
            n += AddressAttrs::FAMILY.space(&family)?;
        }
        if let Some(id) = self.id {
            n += AddressAttrs::ID.space(&id)?;
        }
        match self.addr {
            Some(IpAddr::V4(v4)) => n += AddressAttrs::ADDR4.space(&v4)?,
            Some(IpAddr::V6(v6)) => n += AddressAttrs::ADDR6.space(&v6)?,
            None => {}
        }
        if let Some(port) = self.port() {
            n += AddressAttrs::PORT.space(&port)?;
        }
        if let Some(ifindex) = self.ifindex {
            n += AddressAttrs::IF_IDX.space(&ifindex)?;
        }
        Ok(n)
    }

    /// Bytes the whole nest takes on the wire, header included.
    pub fn space(&self) -> Result<usize, Error> {
        self.attrs_len()?
            .checked_add(crate::attr::HEADER_LEN)
            .ok_or(Error::TooLong)
    }

    /// Appends the nest's attributes: family, id, address, port (unless 0),
    /// flags (always, 0 included), if-idx.
    pub fn put_attrs(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        if let Some(family) = self.family() {
            w.put(AddressAttrs::FAMILY, family)?;
        }
        if let Some(id) = self.id {
            w.put(AddressAttrs::ID, id)?;
        }
        match self.addr {
            Some(IpAddr::V4(v4)) => w.put(AddressAttrs::ADDR4, v4)?,
            Some(IpAddr::V6(v6)) => w.put(AddressAttrs::ADDR6, v6)?,
            None => {}
        }
        if let Some(port) = self.port() {
            w.put(AddressAttrs::PORT, port)?;
        }
        w.put(AddressAttrs::FLAGS, self.flags.0)?;
        if let Some(ifindex) = self.ifindex {
            w.put(AddressAttrs::IF_IDX, ifindex)?;
        }
        Ok(())
    }

    /// Appends the whole nest as attribute `field` (`addr` or
    /// `addr-remote` of any set). A failure removes what was written.
    pub fn put<S>(
        &self,
        w: &mut Writer<'_>,
        field: Field<S, Nest<AddressAttrs>>,
    ) -> Result<(), Error> {
        w.all_or_nothing(|w| {
            let nest = w.nest(field)?;
            self.put_attrs(w)?;
            w.nest_end(nest)
        })
    }
}

/// Decodes a `get-addr` reply (do or dump): the address nest of
/// [`PmAttrs::ADDR`]. A reply without it is [`Error::MissingAttr`]. The
/// `nlmsg_type` (the runtime family id) is not checked.
pub fn parse_endpoint(message: &Message<'_>) -> Result<Address, Error> {
    let (_, attrs) = split(message)?;
    let index = Index::<PmAttrs>::parse(attrs)?;
    let nest = index.get(PmAttrs::ADDR).ok_or(Error::MissingAttr {
        ty: PmAttrs::ADDR.ty(),
    })?;
    Address::from_index(&nest.parse()?)
}

impl fmt::Display for Address {
    /// Like one line of `ip mptcp endpoint show`, without the trailing
    /// space: `10.0.0.1 port 1000 id 1 signal backup dev 3` (the interface
    /// as its index).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(addr) = self.addr {
            write!(f, "{addr}")?;
            sep = " ";
        }
        if let Some(port) = self.port() {
            write!(f, "{sep}port {port}")?;
            sep = " ";
        }
        if let Some(id) = self.id {
            write!(f, "{sep}id {id}")?;
            sep = " ";
        }
        if self.flags.0 != 0 {
            write!(f, "{sep}{}", self.flags)?;
            sep = " ";
        }
        if let Some(ifindex) = self.ifindex {
            write!(f, "{sep}dev {ifindex}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Address {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Address {{ id: {}, addr: {}, port: {}, flags: {}, ifindex: {} }}",
            self.id,
            self.addr.as_ref().map(defmt::Display2Format),
            self.port,
            self.flags,
            self.ifindex
        )
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
pub(crate) mod tests {
    extern crate std;
    use std::format;
    use std::vec::Vec;

    use proptest::prelude::*;

    use super::*;
    use crate::mptcp::attrs::EndpointAttrs;

    /// This kernel's `get-addr` reply for `ip mptcp endpoint add 10.0.0.1
    /// id 1 signal backup port 1000` (from `ip mptcp endpoint show id 1`).
    #[rustfmt::skip]
    pub(crate) const REPLY_V4: [u8; 64] = [
        0x40, 0x00, 0x00, 0x00, // nlmsg_len = 64
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x6e, 0xab, 0x03, 0x6b, // nlmsg_seq
        0x1c, 0x04, 0x00, 0x00, // nlmsg_pid = 1052
        0x03, 0x01, 0x00, 0x00, // genlmsghdr: get-addr, version 1
        0x2c, 0x00, 0x01, 0x80, // nla_len = 44, addr | NLA_F_NESTED
        0x06, 0x00, 0x01, 0x00, //   nla_len = 6, family
        0x02, 0x00, 0x00, 0x00, //   AF_INET + 2 padding
        0x06, 0x00, 0x05, 0x00, //   nla_len = 6, port
        0xe8, 0x03, 0x00, 0x00, //   1000 (host order) + 2 padding
        0x05, 0x00, 0x02, 0x00, //   nla_len = 5, id
        0x01, 0x00, 0x00, 0x00, //   1 + 3 padding
        0x08, 0x00, 0x06, 0x00, //   nla_len = 8, flags
        0x05, 0x00, 0x00, 0x00, //   signal | backup
        0x08, 0x00, 0x03, 0x00, //   nla_len = 8, addr4
        0x0a, 0x00, 0x00, 0x01, //   10.0.0.1
    ];

    /// A dump reply of this kernel: `2001:db8::1 id 2 subflow fullmesh`.
    #[rustfmt::skip]
    pub(crate) const REPLY_V6: [u8; 76] = [
        0x4c, 0x00, 0x00, 0x00, // nlmsg_len = 76
        0x1c, 0x00,             // nlmsg_type = 0x1c
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x12, 0x04, 0x00, 0x00, // nlmsg_pid = 1042
        0x03, 0x01, 0x00, 0x00, // genlmsghdr: get-addr, version 1
        0x38, 0x00, 0x01, 0x80, // nla_len = 56, addr | NLA_F_NESTED
        0x06, 0x00, 0x01, 0x00, //   nla_len = 6, family
        0x0a, 0x00, 0x00, 0x00, //   AF_INET6 + 2 padding
        0x06, 0x00, 0x05, 0x00, //   nla_len = 6, port
        0x00, 0x00, 0x00, 0x00, //   0 + 2 padding
        0x05, 0x00, 0x02, 0x00, //   nla_len = 5, id
        0x02, 0x00, 0x00, 0x00, //   2 + 3 padding
        0x08, 0x00, 0x06, 0x00, //   nla_len = 8, flags
        0x0a, 0x00, 0x00, 0x00, //   subflow | fullmesh
        0x14, 0x00, 0x04, 0x00, //   nla_len = 20, addr6
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, // 2001:db8::1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    ];

    /// A dump reply of this kernel: `127.0.0.1 id 3 subflow dev lo`.
    #[rustfmt::skip]
    pub(crate) const REPLY_DEV: [u8; 72] = [
        0x48, 0x00, 0x00, 0x00, // nlmsg_len = 72
        0x1c, 0x00,             // nlmsg_type = 0x1c
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x12, 0x04, 0x00, 0x00, // nlmsg_pid = 1042
        0x03, 0x01, 0x00, 0x00, // genlmsghdr: get-addr, version 1
        0x34, 0x00, 0x01, 0x80, // nla_len = 52, addr | NLA_F_NESTED
        0x06, 0x00, 0x01, 0x00, //   nla_len = 6, family
        0x02, 0x00, 0x00, 0x00, //   AF_INET + 2 padding
        0x06, 0x00, 0x05, 0x00, //   nla_len = 6, port
        0x00, 0x00, 0x00, 0x00, //   0 + 2 padding
        0x05, 0x00, 0x02, 0x00, //   nla_len = 5, id
        0x03, 0x00, 0x00, 0x00, //   3 + 3 padding
        0x08, 0x00, 0x06, 0x00, //   nla_len = 8, flags
        0x02, 0x00, 0x00, 0x00, //   subflow
        0x08, 0x00, 0x07, 0x00, //   nla_len = 8, if-idx
        0x01, 0x00, 0x00, 0x00, //   1 (lo)
        0x08, 0x00, 0x03, 0x00, //   nla_len = 8, addr4
        0x7f, 0x00, 0x00, 0x01, //   127.0.0.1
    ];

    fn endpoint(bytes: &[u8]) -> Result<Address, Error> {
        parse_endpoint(&Message::parse(bytes)?)
    }

    /// `bytes` with `extra` appended to the message and to its first nest.
    fn grow(bytes: &[u8], extra: &[u8]) -> Vec<u8> {
        let mut out = Vec::from(bytes);
        out.extend_from_slice(extra);
        let len = u32::try_from(out.len()).unwrap();
        out[..4].copy_from_slice(&len.to_ne_bytes());
        let nest = u16::from_ne_bytes([out[20], out[21]]) + u16::try_from(extra.len()).unwrap();
        out[20..22].copy_from_slice(&nest.to_ne_bytes());
        out
    }

    #[test]
    fn parse_the_kernels_get_addr_replies() {
        let v4 = endpoint(&REPLY_V4).unwrap();
        assert_eq!(
            v4,
            Address {
                id: Some(1),
                addr: Some("10.0.0.1".parse().unwrap()),
                port: Some(1000),
                flags: EndpointFlags(EndpointFlags::SIGNAL | EndpointFlags::BACKUP),
                ifindex: None,
            }
        );
        assert_eq!(format!("{v4}"), "10.0.0.1 port 1000 id 1 signal backup");
        let v6 = endpoint(&REPLY_V6).unwrap();
        assert_eq!(v6.addr, Some("2001:db8::1".parse().unwrap()));
        assert_eq!(
            (v6.id, v6.port, v6.ifindex),
            (Some(2), None, None),
            "port 0: none"
        );
        assert_eq!(format!("{v6}"), "2001:db8::1 id 2 subflow fullmesh");
        let dev = endpoint(&REPLY_DEV).unwrap();
        assert_eq!(dev.ifindex, Some(1));
        assert_eq!(format!("{dev}"), "127.0.0.1 id 3 subflow dev 1");
        assert_eq!(v4.family(), Some(AF_INET));
        assert_eq!(v6.family(), Some(AF_INET6));
    }

    #[test]
    fn truncated_replies_are_errors() {
        for len in 0..REPLY_V4.len() {
            let mut cut = Vec::from(&REPLY_V4[..len]);
            if len >= 4 {
                let n = u32::try_from(len).unwrap();
                cut[..4].copy_from_slice(&n.to_ne_bytes());
            }
            assert!(endpoint(&cut).is_err(), "{len}");
        }
        // Without the addr attribute at all.
        let mut bare = Vec::from(&REPLY_V4[..20]);
        bare[0] = 20;
        assert_eq!(endpoint(&bare), Err(Error::MissingAttr { ty: 1 }));
    }

    #[test]
    fn bad_lengths_and_families_are_typed_errors() {
        // An addr4 of 3 bytes.
        let mut short4 = REPLY_V4;
        short4[56] = 0x07;
        assert_eq!(
            endpoint(&short4),
            Err(Error::BadAttrLength { ty: 3, len: 3 })
        );
        // An addr4 running past its nest.
        let mut past = REPLY_V4;
        past[56] = 0x09;
        assert_eq!(endpoint(&past), Err(Error::Truncated));
        // A 3-byte id.
        let mut id = REPLY_V4;
        id[40] = 0x07;
        assert_eq!(endpoint(&id), Err(Error::BadAttrLength { ty: 2, len: 3 }));
        // family AF_INET6 over an addr4.
        let mut family = REPLY_V4;
        family[28] = 0x0a;
        assert_eq!(endpoint(&family), Err(Error::BadPayload { ty: 1 }));
        // An unknown family.
        family[28] = 0x07;
        assert_eq!(endpoint(&family), Err(Error::BadPayload { ty: 1 }));
        // An addr6 of 4 bytes.
        let short6 = Address::parse(&[
            0x08, 0x00, 0x04, 0x00, // nla_len = 8, addr6
            0x01, 0x02, 0x03, 0x04, // only 4 bytes
        ]);
        assert_eq!(short6, Err(Error::BadAttrLength { ty: 4, len: 4 }));
    }

    #[test]
    fn unknown_attributes_are_skipped() {
        let extra = [
            0x08, 0x00, 0x09, 0x00, // nla_len = 8, type 9 (unknown)
            0xff, 0xff, 0xff, 0xff, // whatever
        ];
        let grown = grow(&REPLY_V4, &extra);
        assert_eq!(endpoint(&grown), endpoint(&REPLY_V4));
    }

    #[test]
    fn family_absent_takes_the_address_present() {
        let nest = [
            0x14, 0x00, 0x04, 0x00, // nla_len = 20, addr6
            0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, // 2001:db8::2
        ];
        let address = Address::parse(&nest).unwrap();
        assert_eq!(address.addr, Some("2001:db8::2".parse().unwrap()));
        assert_eq!(Address::parse(&[]), Ok(Address::default()));
        // family 0 with no address: no address.
        let unspec = [0x06, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00];
        assert_eq!(Address::parse(&unspec), Ok(Address::default()));
    }

    #[test]
    fn put_writes_the_nest_and_fails_without_writing() {
        let address = Address {
            id: Some(1),
            addr: Some("10.0.0.1".parse().unwrap()),
            port: Some(1000),
            flags: EndpointFlags(EndpointFlags::SIGNAL),
            ifindex: Some(3),
        };
        #[rustfmt::skip]
        let want: [u8; 52] = [
            0x34, 0x00, 0x01, 0x80, // nla_len = 52, addr | NLA_F_NESTED
            0x06, 0x00, 0x01, 0x00, //   nla_len = 6, family
            0x02, 0x00, 0x00, 0x00, //   AF_INET + 2 padding
            0x05, 0x00, 0x02, 0x00, //   nla_len = 5, id
            0x01, 0x00, 0x00, 0x00, //   1 + 3 padding
            0x08, 0x00, 0x03, 0x00, //   nla_len = 8, addr4
            0x0a, 0x00, 0x00, 0x01, //   10.0.0.1
            0x06, 0x00, 0x05, 0x00, //   nla_len = 6, port
            0xe8, 0x03, 0x00, 0x00, //   1000 + 2 padding
            0x08, 0x00, 0x06, 0x00, //   nla_len = 8, flags
            0x01, 0x00, 0x00, 0x00, //   signal
            0x08, 0x00, 0x07, 0x00, //   nla_len = 8, if-idx
            0x03, 0x00, 0x00, 0x00, //   3
        ];
        assert_eq!(address.space(), Ok(52));
        let mut buf = [0xa5u8; 56];
        let mut w = Writer::new(&mut buf);
        address.put(&mut w, EndpointAttrs::ADDR).unwrap();
        assert_eq!(w.len(), 52);
        assert_eq!(&buf[..52], &want[..]);
        assert_eq!(&buf[52..], &[0xa5; 4]);
        assert_eq!(Address::parse(&want[4..]), Ok(address));
        for cap in 0..52 {
            let mut buf = std::vec![0xa5u8; cap];
            let mut w = Writer::new(&mut buf);
            assert!(matches!(
                address.put(&mut w, EndpointAttrs::ADDR),
                Err(Error::NoRoom { .. })
            ));
            assert!(w.is_empty(), "{cap}");
        }
    }

    #[test]
    fn port_zero_is_no_port() {
        let zero = Address {
            port: Some(0),
            ..Address::new("10.0.0.1".parse().unwrap())
        };
        let none = Address::new("10.0.0.1".parse().unwrap());
        assert_eq!(zero.space(), none.space());
        let mut buf = [0xa5u8; 32];
        let mut w = Writer::new(&mut buf);
        zero.put(&mut w, PmAttrs::ADDR).unwrap();
        let len = w.len();
        assert_eq!(Address::parse(&buf[4..len]), Ok(none));
        assert_eq!(format!("{zero}"), "10.0.0.1");
    }

    fn any_address() -> impl Strategy<Value = Address> {
        let ip = prop_oneof![
            any::<[u8; 4]>().prop_map(IpAddr::from),
            any::<[u8; 16]>().prop_map(IpAddr::from),
        ];
        (
            any::<Option<u8>>(),
            proptest::option::of(ip),
            any::<Option<u16>>(),
            any::<u32>(),
            any::<Option<i32>>(),
        )
            .prop_map(|(id, addr, port, flags, ifindex)| Address {
                id,
                addr,
                port,
                flags: EndpointFlags(flags),
                ifindex,
            })
    }

    proptest! {
        #[test]
        fn addresses_round_trip(address in any_address()) {
            let mut buf = [0xa5u8; 80];
            let mut w = Writer::new(&mut buf);
            address.put(&mut w, PmAttrs::ADDR_REMOTE).unwrap();
            let len = w.len();
            prop_assert_eq!(Ok(len), address.space());
            let want = Address { port: address.port.filter(|&p| p != 0), ..address };
            prop_assert_eq!(Address::parse(&buf[4..len]), Ok(want));
            prop_assert!(buf[len..].iter().all(|&b| b == 0xa5));
        }

        #[test]
        fn arbitrary_nests_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
            if let Ok(address) = Address::parse(&bytes) {
                let _ = format!("{address}");
                let mut buf = [0u8; 96];
                let mut w = Writer::new(&mut buf);
                address.put(&mut w, PmAttrs::ADDR).unwrap();
                let len = w.len();
                prop_assert_eq!(Address::parse(&buf[4..len]), Ok(address));
            }
        }
    }
}
