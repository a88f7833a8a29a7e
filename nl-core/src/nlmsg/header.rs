//! The netlink message header, its flags and the control message types.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                  nlmsg_len (u32, whole message)               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |      nlmsg_type (u16)         |      nlmsg_flags (u16)        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                     nlmsg_seq (u32)                           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                     nlmsg_pid (u32, port id)                  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |            payload (family header, attributes) ...            |
//! ```
//! All fields are host-endian.

use core::fmt;
use core::ops::{BitOr, BitOrAssign};

use zerocopy::byteorder::native_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::{Error, Writer};

/// `struct nlmsghdr`, readable at any alignment.
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
pub struct Header {
    /// Length of the message including this header.
    pub len: U32,
    /// Message type: a control type below 16, else family-defined.
    pub ty: U16,
    /// [`Flags`] bits.
    pub flags: U16,
    /// Sequence number, echoed by the kernel in replies.
    pub seq: U32,
    /// Port id: the sender's, or for replies the requester's.
    pub pid: U32,
}

impl Header {
    /// Size of the header on the wire.
    pub const LEN: usize = 16;

    /// Builds a header; `len` is filled in by [`Writer::end_message`].
    pub fn new(ty: u16, flags: Flags, seq: u32, pid: u32) -> Self {
        Header {
            len: U32::new(0),
            ty: U16::new(ty),
            flags: U16::new(flags.0),
            seq: U32::new(seq),
            pid: U32::new(pid),
        }
    }

    /// The flags as a [`Flags`] value.
    pub fn flags(&self) -> Flags {
        Flags(self.flags.get())
    }
}

/// `NLMSG_NOOP`: nothing; skip it.
pub const NOOP: u16 = 1;
/// `NLMSG_ERROR`: an error or, with error 0, an ACK.
pub const ERROR: u16 = 2;
/// `NLMSG_DONE`: end of a multipart message (a dump).
pub const DONE: u16 = 3;
/// `NLMSG_OVERRUN`: data lost.
pub const OVERRUN: u16 = 4;
/// `NLMSG_MIN_TYPE`: the first type free for families.
pub const MIN_TYPE: u16 = 0x10;

/// The `nlmsg_flags` bits. Bits above 0xff mean different things for
/// GET, NEW, DELETE requests and ACKs, hence the aliases.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Flags(pub u16);

impl Flags {
    /// No flags.
    pub const NONE: Flags = Flags(0);
    /// `NLM_F_REQUEST`: a request (every message to the kernel).
    pub const REQUEST: Flags = Flags(0x01);
    /// `NLM_F_MULTI`: part of a multipart message ended by DONE.
    pub const MULTI: Flags = Flags(0x02);
    /// `NLM_F_ACK`: reply with an ACK (error 0) or an error.
    pub const ACK: Flags = Flags(0x04);
    /// `NLM_F_ECHO`: echo this request back.
    pub const ECHO: Flags = Flags(0x08);
    /// `NLM_F_DUMP_INTR`: the dump was inconsistent because the data changed.
    pub const DUMP_INTR: Flags = Flags(0x10);
    /// `NLM_F_DUMP_FILTERED`: the kernel applied the request's dump filter.
    pub const DUMP_FILTERED: Flags = Flags(0x20);
    /// `NLM_F_ROOT` (GET): return the whole table.
    pub const ROOT: Flags = Flags(0x100);
    /// `NLM_F_MATCH` (GET): return all matching entries.
    pub const MATCH: Flags = Flags(0x200);
    /// `NLM_F_ATOMIC` (GET): atomic snapshot.
    pub const ATOMIC: Flags = Flags(0x400);
    /// `NLM_F_DUMP` (GET): `ROOT | MATCH`.
    pub const DUMP: Flags = Flags(0x300);
    /// `NLM_F_REPLACE` (NEW): replace an existing object.
    pub const REPLACE: Flags = Flags(0x100);
    /// `NLM_F_EXCL` (NEW): fail if it exists.
    pub const EXCL: Flags = Flags(0x200);
    /// `NLM_F_CREATE` (NEW): create if it does not exist.
    pub const CREATE: Flags = Flags(0x400);
    /// `NLM_F_APPEND` (NEW): add at the end of the list.
    pub const APPEND: Flags = Flags(0x800);
    /// `NLM_F_NONREC` (DELETE): do not delete recursively.
    pub const NONREC: Flags = Flags(0x100);
    /// `NLM_F_BULK` (DELETE): delete many objects.
    pub const BULK: Flags = Flags(0x200);
    /// `NLM_F_CAPPED` (ACK): the request echo was cut to its header.
    pub const CAPPED: Flags = Flags(0x100);
    /// `NLM_F_ACK_TLVS` (ACK): extended ACK attributes follow.
    pub const ACK_TLVS: Flags = Flags(0x200);

    /// True when every bit of `other` is set.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// The raw bits.
    pub const fn bits(self) -> u16 {
        self.0
    }
}

impl BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl BitOrAssign for Flags {
    fn bitor_assign(&mut self, rhs: Flags) {
        self.0 |= rhs.0;
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Flags({:#x})", self.0)
    }
}

/// Where a message started in a [`Writer`]; give it back to
/// [`Writer::end_message`] or [`Writer::cancel_message`].
#[must_use = "a started message must be ended or cancelled"]
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MessageStart(usize);

impl<'a> Writer<'a> {
    /// Appends a message header; the length is filled in by [`Writer::end_message`].
    pub fn begin_message(&mut self, header: Header) -> Result<MessageStart, Error> {
        let start = self.len();
        self.put_struct(&header)?;
        Ok(MessageStart(start))
    }

    /// Appends a message header followed by the family's fixed header
    /// (`genlmsghdr`, `ifinfomsg`, `rtmsg`…), checking the room for both
    /// first so a failure writes nothing.
    pub fn begin_message_with<T>(
        &mut self,
        header: Header,
        fixed: &T,
    ) -> Result<MessageStart, Error>
    where
        T: zerocopy::IntoBytes + zerocopy::Immutable,
    {
        let fixed_len = crate::align(core::mem::size_of_val(fixed)).ok_or(Error::TooLong)?;
        self.ensure_room(Header::LEN + fixed_len)?;
        let start = self.begin_message(header)?;
        self.put_struct(fixed)?;
        Ok(start)
    }

    /// Writes the finished message's length into its header and returns it.
    /// A message longer than `u32::MAX` is removed again and reported as [`Error::TooLong`].
    pub fn end_message(&mut self, start: MessageStart) -> Result<usize, Error> {
        // A token from a message cancelled with an earlier one points past the end.
        let len = self.len().saturating_sub(start.0);
        let Ok(wire_len) = u32::try_from(len) else {
            self.truncate(start.0);
            return Err(Error::TooLong);
        };
        let field = self.written_mut(start.0, 4).ok_or(Error::Truncated)?;
        field.copy_from_slice(&wire_len.to_ne_bytes());
        Ok(len)
    }

    /// Removes the started message and everything appended after it.
    pub fn cancel_message(&mut self, start: MessageStart) {
        self.truncate(start.0);
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;

    use zerocopy::FromBytes;

    use super::*;

    /// The header of `CTRL_CMD_GETFAMILY "nlctrl"` with `NLM_F_ACK`, as sent
    /// to this kernel (6.18) by a capture program.
    static HEADER_BYTES: [u8; 16] = [
        0x20, 0x00, 0x00, 0x00, // nlmsg_len = 32
        0x10, 0x00, //             nlmsg_type = GENL_ID_CTRL (0x10)
        0x05, 0x00, //             nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
    ];

    #[test]
    fn deconstruct() {
        let header = Header::ref_from_bytes(&HEADER_BYTES[..]).unwrap();
        assert_eq!(header.len.get(), 32);
        assert_eq!(header.ty.get(), 0x10);
        assert_eq!(header.flags(), Flags::REQUEST | Flags::ACK);
        assert_eq!(header.seq.get(), 1);
        assert_eq!(header.pid.get(), 0);
    }

    #[test]
    fn construct() {
        let mut header = Header::new(0x10, Flags::REQUEST | Flags::ACK, 1, 0);
        assert_eq!(header.len.get(), 0);
        header.len = U32::new(32);
        assert_eq!(header.as_bytes(), &HEADER_BYTES[..]);
        assert_eq!(core::mem::size_of::<Header>(), Header::LEN);
    }

    #[test]
    fn emit_fills_in_the_length_and_leaves_the_rest() {
        let mut buf = [0xa5u8; 40];
        let mut w = Writer::new(&mut buf);
        let start = w
            .begin_message(Header::new(0x10, Flags::REQUEST | Flags::ACK, 1, 0))
            .unwrap();
        w.put_bytes(&[
            0x03, 0x02, 0x00, 0x00, // genlmsghdr: cmd 3, version 2
            0x0b, 0x00, 0x02, 0x00, // nla_len = 11, CTRL_ATTR_FAMILY_NAME
            b'n', b'l', b'c', b't', b'r', b'l', 0x00, // "nlctrl\0" (+1 pad)
        ])
        .unwrap();
        assert_eq!(w.end_message(start), Ok(32));
        assert_eq!(w.len(), 32);
        assert_eq!(&buf[..16], &HEADER_BYTES[..]);
        assert_eq!(buf[31], 0x00, "padding is zeroed");
        assert_eq!(&buf[32..], &[0xa5; 8]);
    }

    #[test]
    fn messages_in_a_batch_get_their_own_lengths() {
        let mut buf = [0xa5u8; 48];
        let mut w = Writer::new(&mut buf);
        let first = w
            .begin_message(Header::new(0x10, Flags::REQUEST, 1, 0))
            .unwrap();
        w.put_bytes(&[0xee; 5]).unwrap();
        assert_eq!(w.end_message(first), Ok(24));
        let second = w
            .begin_message(Header::new(0x11, Flags::REQUEST, 2, 0))
            .unwrap();
        assert_eq!(w.end_message(second), Ok(16));
        assert_eq!(w.len(), 40);
        #[rustfmt::skip]
        let expected: [u8; 40] = [
            0x18, 0x00, 0x00, 0x00, // nlmsg_len = 24 (21 + 3 padding)
            0x10, 0x00,             // nlmsg_type = 0x10
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0xee, 0xee, 0xee, 0xee, 0xee, 0x00, 0x00, 0x00, // payload, 3 padding
            0x10, 0x00, 0x00, 0x00, // nlmsg_len = 16
            0x11, 0x00,             // nlmsg_type = 0x11
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        ];
        assert_eq!(&buf[..40], &expected[..]);
        assert_eq!(&buf[40..], &[0xa5; 8]);
    }

    #[test]
    fn begin_without_room_writes_nothing() {
        let mut buf = [0xa5u8; 20];
        let mut w = Writer::new(&mut buf);
        w.put_bytes(&[1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
        let err = w.begin_message(Header::new(0x10, Flags::REQUEST, 1, 0));
        assert_eq!(err.unwrap_err(), Error::NoRoom { needed: 24 });
        assert_eq!(w.len(), 8);
        assert_eq!(&buf[8..], &[0xa5; 12]);
    }

    #[test]
    fn cancel_removes_the_message_and_what_followed() {
        let mut buf = [0xa5u8; 40];
        let mut w = Writer::new(&mut buf);
        let kept = w
            .begin_message(Header::new(0x10, Flags::REQUEST, 1, 0))
            .unwrap();
        assert_eq!(w.end_message(kept), Ok(16));
        let dropped = w
            .begin_message(Header::new(0x10, Flags::REQUEST, 2, 0))
            .unwrap();
        w.put_bytes(&[9; 8]).unwrap();
        w.cancel_message(dropped);
        assert_eq!(w.len(), 16);
        let next = w
            .begin_message(Header::new(0x12, Flags::NONE, 3, 0))
            .unwrap();
        assert_eq!(w.end_message(next), Ok(16));
        assert_eq!(&buf[16..20], &[0x10, 0x00, 0x00, 0x00]); // nlmsg_len = 16
        assert_eq!(&buf[20..22], &[0x12, 0x00]); //               nlmsg_type = 0x12
        assert_eq!(&buf[24..28], &[0x03, 0x00, 0x00, 0x00]); // nlmsg_seq = 3
    }

    #[test]
    fn ending_a_message_that_was_cancelled_with_an_earlier_one_is_an_error() {
        // Misuse, but it must not panic: the second token points past what is written.
        let mut buf = [0xa5u8; 64];
        let mut w = Writer::new(&mut buf);
        let first = w
            .begin_message(Header::new(0x10, Flags::REQUEST, 1, 0))
            .unwrap();
        let second = w
            .begin_message(Header::new(0x10, Flags::REQUEST, 2, 0))
            .unwrap();
        w.cancel_message(first);
        assert!(w.end_message(second).is_err());
        assert_eq!(w.len(), 0);
    }

    // A message longer than u32::MAX (end_message's TooLong) needs a 4 GiB
    // buffer; it is not tested here.

    #[test]
    fn flags_have_the_uapi_values() {
        // linux/netlink.h
        assert_eq!(Flags::REQUEST.bits(), 0x01);
        assert_eq!(Flags::MULTI.bits(), 0x02);
        assert_eq!(Flags::ACK.bits(), 0x04);
        assert_eq!(Flags::ECHO.bits(), 0x08);
        assert_eq!(Flags::DUMP_INTR.bits(), 0x10);
        assert_eq!(Flags::DUMP_FILTERED.bits(), 0x20);
        assert_eq!(Flags::ROOT.bits(), 0x100);
        assert_eq!(Flags::MATCH.bits(), 0x200);
        assert_eq!(Flags::ATOMIC.bits(), 0x400);
        assert_eq!(Flags::DUMP.bits(), 0x300);
        assert_eq!(Flags::REPLACE.bits(), 0x100);
        assert_eq!(Flags::EXCL.bits(), 0x200);
        assert_eq!(Flags::CREATE.bits(), 0x400);
        assert_eq!(Flags::APPEND.bits(), 0x800);
        assert_eq!(Flags::NONREC.bits(), 0x100);
        assert_eq!(Flags::BULK.bits(), 0x200);
        assert_eq!(Flags::CAPPED.bits(), 0x100);
        assert_eq!(Flags::ACK_TLVS.bits(), 0x200);
        assert_eq!(Flags::NONE.bits(), 0);
        assert_eq!(Flags::default(), Flags::NONE);
        assert_eq!((NOOP, ERROR, DONE, OVERRUN, MIN_TYPE), (1, 2, 3, 4, 0x10));
    }

    #[test]
    fn flags_combine_and_test() {
        let mut flags = Flags::REQUEST;
        flags |= Flags::ROOT;
        flags |= Flags::MATCH;
        assert_eq!(flags, Flags::REQUEST | Flags::DUMP);
        assert!(flags.contains(Flags::DUMP));
        assert!(flags.contains(Flags::ROOT));
        assert!(flags.contains(Flags::NONE));
        assert!(!flags.contains(Flags::ACK));
        assert!(!Flags::ROOT.contains(Flags::DUMP));
        assert_eq!(format!("{:?}", flags), "Flags(0x301)");
        assert_eq!(format!("{:?}", Flags::NONE), "Flags(0x0)");
    }
}
