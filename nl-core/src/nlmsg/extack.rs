//! Extended ACK attributes (`NLMSGERR_ATTR_*`), sent after `NLMSG_ERROR`
//! and `NLMSG_DONE` payloads when `NLM_F_ACK_TLVS` is set.

use crate::policy::PolicyAttrs;
use crate::table::{AttrPath, Binary, Index, Nest, Nested, NlStr, NulStr, Table, locate};

crate::attr_set! {
    /// `enum nlmsgerr_attrs`.
    pub struct ExtAckAttrs = "nlmsgerr-attrs" {
        /// Human-readable error message.
        1 MSG "msg": NulStr<0>;
        /// Offset of the offending attribute from the start of the request.
        2 OFFS "offs": u32;
        /// Subsystem-specific cookie (at most 20 bytes).
        3 COOKIE "cookie": Binary<0, 20>;
        /// Policy of the rejected attribute.
        4 POLICY "policy": Nest<PolicyAttrs>;
        /// Type of a missing required attribute.
        5 MISS_TYPE "miss-type": u32;
        /// Offset of the nest the missing attribute belongs in.
        6 MISS_NEST "miss-nest": u32;
    }
}

/// The extended ACK of one error, ACK or DONE message. Empty when the
/// kernel sent none.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ExtAck<'a> {
    attrs: Index<'a, ExtAckAttrs>,
}

/// Where a request's fixed headers end and its attributes begin, and which
/// set those attributes belong to: what mapping an extended ACK needs.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RequestLayout {
    /// Bytes of fixed family headers after the `nlmsghdr` (4 for generic
    /// netlink, 16 for `ifinfomsg`…).
    pub header_len: usize,
    /// The request's top-level attribute set.
    pub attrs: &'static Table,
}

impl<'a> ExtAck<'a> {
    /// Parses the TLVs that follow an error or DONE payload.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, crate::Error> {
        Ok(ExtAck {
            attrs: Index::parse(bytes)?,
        })
    }

    /// No extended ACK attributes.
    pub fn empty() -> Self {
        ExtAck {
            attrs: Index::empty(),
        }
    }

    /// The kernel's message text.
    pub fn message(&self) -> Option<NlStr<'a>> {
        self.attrs.get(ExtAckAttrs::MSG)
    }

    /// Offset of the offending attribute from the start of the request's `nlmsghdr`.
    pub fn offset(&self) -> Option<u32> {
        self.attrs.get(ExtAckAttrs::OFFS)
    }

    /// The cookie.
    pub fn cookie(&self) -> Option<&'a [u8]> {
        self.attrs.get(ExtAckAttrs::COOKIE)
    }

    /// The rejected attribute's policy.
    pub fn policy(&self) -> Option<Nested<'a, PolicyAttrs>> {
        self.attrs.get(ExtAckAttrs::POLICY)
    }

    /// Type of a missing attribute.
    pub fn missing_type(&self) -> Option<u32> {
        self.attrs.get(ExtAckAttrs::MISS_TYPE)
    }

    /// Offset of the nest a missing attribute belongs in.
    pub fn missing_nest(&self) -> Option<u32> {
        self.attrs.get(ExtAckAttrs::MISS_NEST)
    }

    /// All the attributes.
    pub fn attrs(&self) -> &Index<'a, ExtAckAttrs> {
        &self.attrs
    }

    /// True when the kernel sent no extended ACK attribute at all.
    pub fn is_empty(&self) -> bool {
        self.attrs.bytes().is_empty()
    }

    /// The attribute [`ExtAck::offset`] points at in `request` (the whole
    /// request message as sent, header included).
    pub fn locate(&self, request: &[u8], layout: RequestLayout) -> Option<AttrPath> {
        let offset = usize::try_from(self.offset()?).ok()?;
        locate_in_request(request, offset, layout)
    }

    /// The name of the missing attribute ([`ExtAck::missing_type`]), looked
    /// up in the set of the nest at [`ExtAck::missing_nest`] or else in the
    /// request's top-level set.
    pub fn missing_name(&self, request: &[u8], layout: RequestLayout) -> Option<&'static str> {
        let ty = u16::try_from(self.missing_type()?).ok()?;
        let table = match self.missing_nest() {
            Some(nest) => {
                let path = locate_in_request(request, usize::try_from(nest).ok()?, layout)?;
                path.inner_table?
            }
            None => layout.attrs,
        };
        table.name_of(ty)
    }
}

fn locate_in_request(request: &[u8], offset: usize, layout: RequestLayout) -> Option<AttrPath> {
    let attrs_start = crate::nlmsg::Header::LEN.checked_add(layout.header_len)?;
    let end = crate::nlmsg::Message::parse(request).ok()?.len();
    let attrs = request.get(attrs_start..end)?;
    locate(attrs, offset.checked_sub(attrs_start)?, layout.attrs)
}
