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
        let start = self.begin_message(Header::new(family, flags | Flags::REQUEST, seq, 0))?;
        if let Err(e) = self.put_struct(&header) {
            self.cancel_message(start);
            return Err(e);
        }
        Ok(start)
    }
}

/// Splits a generic netlink message into its `genlmsghdr` and attributes.
pub fn split<'a>(message: &Message<'a>) -> Result<(GenlHeader, &'a [u8]), Error> {
    let (header, attrs) = message.split_header::<GenlHeader>()?;
    Ok((*header, attrs))
}
