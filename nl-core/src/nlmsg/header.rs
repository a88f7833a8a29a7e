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

    /// Writes the finished message's length into its header and returns it.
    /// A message longer than `u32::MAX` is removed again and reported as [`Error::TooLong`].
    pub fn end_message(&mut self, start: MessageStart) -> Result<usize, Error> {
        let len = self.len() - start.0;
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
