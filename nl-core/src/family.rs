//! A family's message as most families shape it: a fixed header, then
//! attributes of one set. Families declare the header (with the message
//! types it heads) and the set; parsing and the type check live here once.
//!
//! ```text
//! +-----------+------------------------+-----------------------------+
//! | nlmsghdr  | fixed header H         | attributes of set S ...     |
//! | (16 B)    | (ifinfomsg, rtmsg, …)  | (from the next 4-byte edge) |
//! +-----------+------------------------+-----------------------------+
//! ```

use core::fmt;

use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

use crate::Error;
use crate::nlmsg::{Message, RequestLayout, split_fixed};
use crate::table::{AttrSet, Index};

/// A family's fixed header, and the message types whose payload it starts.
pub trait FixedHeader: FromBytes + KnownLayout + Immutable + Unaligned {
    /// The `nlmsg_type`s this header heads (`RTM_NEWLINK`, `RTM_DELLINK`…).
    const TYPES: &'static [u16];
}

/// One message of a family: its type, its fixed header `H` and its
/// attributes of set `S`, all borrowed from the receive buffer. Families
/// name it with a type alias (`route::link::Link`) and add their getters.
pub struct FamilyMessage<'a, H, S: AttrSet> {
    /// The message type (one of `H::TYPES`).
    pub ty: u16,
    /// The fixed header.
    pub header: &'a H,
    /// All the attributes.
    pub attrs: Index<'a, S>,
}

impl<'a, H: FixedHeader, S: AttrSet> FamilyMessage<'a, H, S> {
    /// Where a request's attributes start and which set they belong to, so a
    /// kernel error's offset names the attribute.
    pub fn layout() -> RequestLayout {
        RequestLayout {
            header_len: core::mem::size_of::<H>(),
            attrs: S::table(),
        }
    }

    /// Decodes `message`; a type `H` does not head is [`Error::UnexpectedType`].
    #[inline]
    pub fn parse(message: &Message<'a>) -> Result<Self, Error> {
        let ty = message.ty();
        if !H::TYPES.contains(&ty) {
            return Err(Error::UnexpectedType { ty });
        }
        Self::parse_payload(ty, message.payload())
    }

    /// Decodes a payload (after the `nlmsghdr`) as a message of type `ty`,
    /// without checking the type: for payloads nested in attributes too
    /// (a veth peer's `ifinfomsg`, say).
    #[inline]
    pub fn parse_payload(ty: u16, payload: &'a [u8]) -> Result<Self, Error> {
        let (header, attrs) = split_fixed::<H>(payload)?;
        Ok(FamilyMessage {
            ty,
            header,
            attrs: Index::parse(attrs)?,
        })
    }
}

impl<H, S: AttrSet> Clone for FamilyMessage<'_, H, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<H, S: AttrSet> Copy for FamilyMessage<'_, H, S> {}

impl<H: fmt::Debug, S: AttrSet> fmt::Debug for FamilyMessage<'_, H, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FamilyMessage")
            .field("ty", &self.ty)
            .field("header", self.header)
            .field("attrs", &self.attrs)
            .finish()
    }
}

#[cfg(feature = "defmt")]
impl<H, S: AttrSet> defmt::Format for FamilyMessage<'_, H, S> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "FamilyMessage {{ ty: {=u16}, attrs: {} }}",
            self.ty,
            self.attrs
        )
    }
}
