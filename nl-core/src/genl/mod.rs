//! Generic netlink: the `genlmsghdr` and the nlctrl family.
//!
//! ```text
//!  0               1               2               3
//! +---------------+---------------+-------------------------------+
//! |  cmd (u8)     |  version (u8) |        reserved (u16)         |
//! +---------------+---------------+-------------------------------+
//! |  family header (hdrsize bytes, usually none), attributes ...  |
//! ```

pub mod ctrl;
pub mod decl;

use zerocopy::byteorder::native_endian::U16;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::nlmsg::{Flags, Header, Message, MessageStart};
use crate::{Error, Writer};

/// `struct genlmsghdr`.
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
pub struct GenlHeader {
    /// Command.
    pub cmd: u8,
    /// Family interface version.
    pub version: u8,
    /// Zero.
    pub reserved: U16,
}

// genlmsghdr, as the kernel's genetlink specs name it.
impl crate::table::WireStruct for GenlHeader {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("cmd", 0, MemberKind::U8),
            Member::new("version", 1, MemberKind::U8),
            Member::new("reserved", 2, MemberKind::U16),
        ]
    };
}

impl GenlHeader {
    /// Size on the wire (`GENL_HDRLEN`).
    pub const LEN: usize = 4;

    /// A header for `cmd` at `version`.
    pub fn new(cmd: u8, version: u8) -> Self {
        GenlHeader {
            cmd,
            version,
            reserved: U16::new(0),
        }
    }
}

impl<'a> Writer<'a> {
    /// Starts a generic netlink message to family `family` (its id), with
    /// `NLM_F_REQUEST` added to `flags`. Append attributes, then call
    /// [`Writer::end_message`].
    pub fn begin_genl(
        &mut self,
        family: u16,
        flags: Flags,
        seq: u32,
        header: GenlHeader,
    ) -> Result<MessageStart, Error> {
        self.begin_message_with(Header::new(family, flags | Flags::REQUEST, seq, 0), &header)
    }
}

/// Splits a generic netlink message into its `genlmsghdr` and attributes.
pub fn split<'a>(message: &Message<'a>) -> Result<(GenlHeader, &'a [u8]), Error> {
    let (header, attrs) = message.split_header::<GenlHeader>()?;
    Ok((*header, attrs))
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    use zerocopy::FromBytes;

    use super::*;

    #[test]
    fn deconstruct_and_construct_the_header() {
        let bytes = [
            0x03, // cmd = CTRL_CMD_GETFAMILY
            0x02, // version = 2
            0x00, 0x00, // reserved
        ];
        let header = GenlHeader::ref_from_bytes(&bytes[..]).unwrap();
        assert_eq!(
            (header.cmd, header.version, header.reserved.get()),
            (3, 2, 0)
        );
        assert_eq!(GenlHeader::new(3, 2).as_bytes(), &bytes);
        assert_eq!(core::mem::size_of::<GenlHeader>(), GenlHeader::LEN);
    }

    #[test]
    fn begin_genl_adds_the_request_flag() {
        let mut buf = [0xa5u8; 24];
        let mut w = Writer::new(&mut buf);
        let start = w
            .begin_genl(0x1c, Flags::ACK, 9, GenlHeader::new(1, 1))
            .unwrap();
        assert_eq!(w.end_message(start), Ok(20));
        #[rustfmt::skip]
        let want: [u8; 20] = [
            0x14, 0x00, 0x00, 0x00, // nlmsg_len = 20
            0x1c, 0x00,             // nlmsg_type = 0x1c (a family id)
            0x05, 0x00,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
            0x09, 0x00, 0x00, 0x00, // nlmsg_seq = 9
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x01, 0x01, 0x00, 0x00, // genlmsghdr: cmd 1, version 1
        ];
        assert_eq!(&buf[..20], &want[..]);
        assert_eq!(&buf[20..], &[0xa5; 4]);
    }

    #[test]
    fn begin_genl_without_room_for_its_header_writes_nothing() {
        let mut buf = [0xa5u8; 18];
        let mut w = Writer::new(&mut buf);
        let err = w.begin_genl(0x10, Flags::NONE, 1, GenlHeader::new(3, 2));
        assert_eq!(err.unwrap_err(), Error::NoRoom { needed: 20 });
        assert_eq!(w.len(), 0);
        assert_eq!(buf, [0xa5; 18], "not even the nlmsghdr is written");
        let mut buf = [0xa5u8; 10];
        let mut w = Writer::new(&mut buf);
        let err = w.begin_genl(0x10, Flags::NONE, 1, GenlHeader::new(3, 2));
        assert_eq!(err.unwrap_err(), Error::NoRoom { needed: 20 }, "the total");
        assert_eq!(buf, [0xa5; 10]);
    }

    #[test]
    fn split_gives_the_header_and_the_attributes() {
        #[rustfmt::skip]
        let bytes: [u8; 28] = [
            0x1c, 0x00, 0x00, 0x00, // nlmsg_len = 28
            0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x03, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETFAMILY, version 2
            0x06, 0x00, 0x01, 0x00, // nla_len = 6, CTRL_ATTR_FAMILY_ID
            0x1c, 0x00, 0x00, 0x00, // 0x1c + 2 padding
        ];
        let msg = Message::parse(&bytes).unwrap();
        let (header, attrs) = split(&msg).unwrap();
        assert_eq!(header, GenlHeader::new(3, 2));
        assert_eq!(attrs, &bytes[20..]);
        for n in 16..20 {
            let mut cut = bytes;
            cut[0] = u8::try_from(n).unwrap(); // nlmsg_len = 16..=19
            let msg = Message::parse(&cut).unwrap();
            assert_eq!(split(&msg).unwrap_err(), Error::Truncated, "{n}");
        }
    }
}
