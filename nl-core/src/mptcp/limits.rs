//! The in-kernel path manager's limits (`get-limits` reply, `set-limits`).
//!
//! ```text
//! genlmsghdr: get-limits (6), version 1
//!   rcv-add-addrs u32 (2)   ADD_ADDRs accepted per connection
//!   subflows      u32 (3)   subflows per connection
//! ```

use core::fmt;

use super::attrs::PmAttrs;
use crate::genl::split;
use crate::nlmsg::Message;
use crate::table::Index;
use crate::{Error, Writer};

/// The limits of the in-kernel path manager, as `ip mptcp limits` names them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Limits {
    /// Subflows per connection (`subflows`).
    pub subflows: Option<u32>,
    /// ADD_ADDRs accepted per connection (`rcv-add-addrs`).
    pub add_addr_accepted: Option<u32>,
}

impl Limits {
    /// Decodes a `get-limits` reply. The `nlmsg_type` (the runtime family
    /// id) and the command are not checked; a missing limit is `None`.
    pub fn parse(message: &Message<'_>) -> Result<Limits, Error> {
        let (_, attrs) = split(message)?;
        let index = Index::<PmAttrs>::parse(attrs)?;
        Ok(Limits {
            subflows: index.get(PmAttrs::SUBFLOWS),
            add_addr_accepted: index.get(PmAttrs::RCV_ADD_ADDRS),
        })
    }

    /// Bytes the attributes of a `set-limits` request take.
    pub fn attrs_len(&self) -> Result<usize, Error> {
        let mut n = 0;
        if let Some(accepted) = self.add_addr_accepted {
            n += PmAttrs::RCV_ADD_ADDRS.space(&accepted)?;
        }
        if let Some(subflows) = self.subflows {
            n += PmAttrs::SUBFLOWS.space(&subflows)?;
        }
        Ok(n)
    }

    /// Appends the limits that are set.
    pub fn put_attrs(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        if let Some(accepted) = self.add_addr_accepted {
            w.put(PmAttrs::RCV_ADD_ADDRS, accepted)?;
        }
        if let Some(subflows) = self.subflows {
            w.put(PmAttrs::SUBFLOWS, subflows)?;
        }
        Ok(())
    }
}

impl fmt::Display for Limits {
    /// Like `ip mptcp limits show`, without its trailing space:
    /// `add_addr_accepted 0 subflows 2` (a missing limit is left out).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(accepted) = self.add_addr_accepted {
            write!(f, "add_addr_accepted {accepted}")?;
            sep = " ";
        }
        if let Some(subflows) = self.subflows {
            write!(f, "{sep}subflows {subflows}")?;
        }
        Ok(())
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::vec::Vec;

    use super::*;

    /// This kernel's `get-limits` reply after
    /// `ip mptcp limits set subflows 2 add_addr_accepted 3`.
    #[rustfmt::skip]
    pub(crate) const REPLY: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x6e, 0xab, 0x03, 0x6b, // nlmsg_seq
        0x17, 0x04, 0x00, 0x00, // nlmsg_pid = 1047
        0x06, 0x01, 0x00, 0x00, // genlmsghdr: get-limits, version 1
        0x08, 0x00, 0x02, 0x00, // nla_len = 8, rcv-add-addrs
        0x03, 0x00, 0x00, 0x00, // 3
        0x08, 0x00, 0x03, 0x00, // nla_len = 8, subflows
        0x02, 0x00, 0x00, 0x00, // 2
    ];

    fn limits(bytes: &[u8]) -> Result<Limits, Error> {
        Limits::parse(&Message::parse(bytes)?)
    }

    #[test]
    fn parse_the_kernels_reply() {
        let got = limits(&REPLY).unwrap();
        assert_eq!(
            got,
            Limits {
                subflows: Some(2),
                add_addr_accepted: Some(3)
            }
        );
        assert_eq!(format!("{got}"), "add_addr_accepted 3 subflows 2");
        let only = Limits {
            subflows: Some(8),
            add_addr_accepted: None,
        };
        assert_eq!(format!("{only}"), "subflows 8");
        assert_eq!(format!("{}", Limits::default()), "");
    }

    #[test]
    fn truncated_and_bad_lengths() {
        for len in 0..REPLY.len() {
            let mut cut = Vec::from(&REPLY[..len]);
            if len >= 4 {
                let n = u32::try_from(len).unwrap();
                cut[..4].copy_from_slice(&n.to_ne_bytes());
            }
            let got = limits(&cut);
            // Cutting between attributes leaves a valid, shorter reply.
            match len {
                20 => assert_eq!(got, Ok(Limits::default())),
                28 => assert_eq!(got.unwrap().add_addr_accepted, Some(3)),
                _ => assert!(got.is_err(), "{len}: {got:?}"),
            }
        }
        let mut short = REPLY;
        short[28] = 0x06; // subflows of 2 bytes
        assert_eq!(limits(&short), Err(Error::BadAttrLength { ty: 3, len: 2 }));
    }

    #[test]
    fn put_attrs_writes_what_is_set() {
        let set = Limits {
            subflows: Some(2),
            add_addr_accepted: Some(3),
        };
        assert_eq!(set.attrs_len(), Ok(16));
        let mut buf = [0xa5u8; 20];
        let mut w = Writer::new(&mut buf);
        set.put_attrs(&mut w).unwrap();
        assert_eq!(&buf[..16], &REPLY[20..]);
        assert_eq!(&buf[16..], &[0xa5; 4]);
        assert_eq!(Limits::default().attrs_len(), Ok(0));
    }
}
