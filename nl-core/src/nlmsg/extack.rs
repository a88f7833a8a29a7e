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

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;

    use super::*;
    use crate::Error;
    use crate::table::Array;

    crate::attr_set! {
        /// A request's top-level set, for the mapping tests.
        struct Outer = "outer" {
            /// A name.
            1 NAME "name": NulStr<0>;
            /// A nest.
            2 INNER "inner": Nest<Inner>;
            /// An array of nests.
            3 LIST "list": Array<Nest<Inner>>;
        }
    }

    crate::attr_set! {
        /// What [`Outer`] nests.
        struct Inner = "inner" {
            /// An id.
            1 ID "id": u32;
            /// A label.
            2 LABEL "label": NulStr<0>;
        }
    }

    /// A set that knows no attribute at all.
    static NOTHING: crate::table::Table = crate::table::Table {
        name: "nothing",
        defs: &[],
        checks: &[],
    };

    fn outer() -> RequestLayout {
        RequestLayout {
            header_len: 4,
            attrs: <Outer as crate::table::AttrSet>::table(),
        }
    }

    /// Hand-built request with a genlmsghdr, a string, a nest and an array of nests.
    #[rustfmt::skip]
    static REQUEST: [u8; 60] = [
        0x3c, 0x00, 0x00, 0x00, // nlmsg_len = 60
        0x20, 0x00,             // nlmsg_type = 0x20
        0x05, 0x00,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x01, 0x01, 0x00, 0x00, // genlmsghdr: cmd 1, version 1
        // offset 20
        0x09, 0x00, 0x01, 0x00, // nla_len = 9, NAME
        b'e', b't', b'h', b'0', 0x00, 0x00, 0x00, 0x00, // "eth0\0" + 3 padding
        // offset 32
        0x0c, 0x00, 0x02, 0x80, // nla_len = 12, INNER | NLA_F_NESTED
        0x06, 0x00, 0x02, 0x00, //   nla_len = 6, LABEL (offset 36)
        b'x', 0x00, 0x00, 0x00, //   "x\0" + 2 padding
        // offset 44
        0x10, 0x00, 0x03, 0x80, // nla_len = 16, LIST | NLA_F_NESTED
        0x0c, 0x00, 0x01, 0x80, //   nla_len = 12, element 1 | NLA_F_NESTED (offset 48)
        0x08, 0x00, 0x01, 0x00, //     nla_len = 8, ID (offset 52)
        0x07, 0x00, 0x00, 0x00, //     7
    ];

    /// Hand-built TLVs: every `NLMSGERR_ATTR_*` once.
    #[rustfmt::skip]
    static ALL: [u8; 60] = [
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, NLMSGERR_ATTR_MSG
        b'b', b'a', b'd', 0x00, // "bad\0"
        0x08, 0x00, 0x02, 0x00, // nla_len = 8, NLMSGERR_ATTR_OFFS
        0x24, 0x00, 0x00, 0x00, // 36
        0x08, 0x00, 0x03, 0x00, // nla_len = 8, NLMSGERR_ATTR_COOKIE
        0x01, 0x02, 0x03, 0x04, // cookie
        0x14, 0x00, 0x04, 0x80, // nla_len = 20, NLMSGERR_ATTR_POLICY | NLA_F_NESTED
        0x08, 0x00, 0x01, 0x00, //   nla_len = 8, NL_POLICY_TYPE_ATTR_TYPE
        0x0c, 0x00, 0x00, 0x00, //   NL_ATTR_TYPE_NUL_STRING
        0x08, 0x00, 0x07, 0x00, //   nla_len = 8, NL_POLICY_TYPE_ATTR_MAX_LENGTH
        0x0f, 0x00, 0x00, 0x00, //   15
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, NLMSGERR_ATTR_MISS_TYPE
        0x01, 0x00, 0x00, 0x00, // 1
        0x08, 0x00, 0x06, 0x00, // nla_len = 8, NLMSGERR_ATTR_MISS_NEST
        0x20, 0x00, 0x00, 0x00, // 32
    ];

    fn miss(ty: u32, nest: Option<u32>) -> ([u8; 16], usize) {
        let mut b = [0u8; 16];
        b[..4].copy_from_slice(&[0x08, 0x00, 0x05, 0x00]); // nla_len = 8, MISS_TYPE
        b[4..8].copy_from_slice(&ty.to_ne_bytes());
        let Some(nest) = nest else { return (b, 8) };
        b[8..12].copy_from_slice(&[0x08, 0x00, 0x06, 0x00]); // nla_len = 8, MISS_NEST
        b[12..].copy_from_slice(&nest.to_ne_bytes());
        (b, 16)
    }

    fn offs(offset: u32) -> [u8; 8] {
        let mut b = [0x08, 0x00, 0x02, 0x00, 0, 0, 0, 0]; // nla_len = 8, NLMSGERR_ATTR_OFFS
        b[4..].copy_from_slice(&offset.to_ne_bytes());
        b
    }

    #[test]
    fn test_sets_have_the_declared_numbers() {
        assert_eq!(
            [Outer::NAME.ty(), Outer::INNER.ty(), Outer::LIST.ty()],
            [1, 2, 3]
        );
        assert_eq!([Inner::ID.ty(), Inner::LABEL.ty()], [1, 2]);
    }

    #[test]
    fn parses_every_attribute() {
        let ext = ExtAck::parse(&ALL).unwrap();
        assert!(!ext.is_empty());
        assert_eq!(ext.message().unwrap(), "bad");
        assert_eq!(ext.offset(), Some(36));
        assert_eq!(ext.cookie(), Some(&[1, 2, 3, 4][..]));
        let policy = ext.policy().unwrap().parse().unwrap();
        assert_eq!(policy.get(PolicyAttrs::TYPE), Some(12));
        assert_eq!(policy.get(PolicyAttrs::MAX_LENGTH), Some(15));
        assert_eq!(ext.missing_type(), Some(1));
        assert_eq!(ext.missing_nest(), Some(32));
        assert_eq!(ext.attrs().unknown(), 0);
    }

    #[test]
    fn empty_and_unknown() {
        let ext = ExtAck::empty();
        assert!(ext.is_empty());
        assert_eq!(ext.message(), None);
        assert_eq!(ext.offset(), None);
        assert_eq!(ext.locate(&REQUEST, outer()), None);
        assert_eq!(ext.missing_name(&REQUEST, outer()), None);
        // A future NLMSGERR_ATTR_* (type 7) is skipped and counted.
        let ext = ExtAck::parse(&[0x05, 0x00, 0x07, 0x00, 0xff, 0x00, 0x00, 0x00]).unwrap();
        assert!(!ext.is_empty());
        assert_eq!(ext.attrs().unknown(), 1);
        assert_eq!(ext.message(), None);
    }

    #[test]
    fn malformed_attributes_are_errors() {
        // nla_len = 8, MSG, "abcd" without its NUL
        let no_nul = [0x08, 0x00, 0x01, 0x00, b'a', b'b', b'c', b'd'];
        assert_eq!(
            ExtAck::parse(&no_nul).unwrap_err(),
            Error::BadPayload { ty: 1 }
        );
        // nla_len = 6, OFFS, 2 bytes
        let short = [0x06, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00];
        assert_eq!(
            ExtAck::parse(&short).unwrap_err(),
            Error::BadAttrLength { ty: 2, len: 2 }
        );
        // nla_len = 12 but only 8 bytes
        let cut = [0x0c, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00];
        assert_eq!(ExtAck::parse(&cut).unwrap_err(), Error::Truncated);
    }

    #[test]
    fn locate_maps_offsets_to_names() {
        let at = |offset: u32| {
            let b = offs(offset);
            ExtAck::parse(&b)
                .unwrap()
                .locate(&REQUEST, outer())
                .map(|p| std::format!("{p}"))
        };
        assert_eq!(at(20).as_deref(), Some("name"));
        assert_eq!(at(27).as_deref(), Some("name"));
        assert_eq!(at(32).as_deref(), Some("inner"));
        assert_eq!(at(36).as_deref(), Some("inner.label"));
        assert_eq!(at(44).as_deref(), Some("list"));
        assert_eq!(at(48).as_deref(), Some("list.[1]"));
        assert_eq!(at(52).as_deref(), Some("list.[1].id"));
        assert_eq!(at(59).as_deref(), Some("list.[1].id"));
        // In the headers, in padding, past the end.
        for offset in [0, 4, 16, 19, 29, 60, 1000, u32::MAX] {
            assert_eq!(at(offset), None, "{offset}");
        }
        // A layout whose headers are longer than the message.
        let b = offs(20);
        let long = RequestLayout {
            header_len: 100,
            attrs: outer().attrs,
        };
        assert_eq!(ExtAck::parse(&b).unwrap().locate(&REQUEST, long), None);
        // A request cut short of its nlmsg_len.
        assert_eq!(
            ExtAck::parse(&b).unwrap().locate(&REQUEST[..40], outer()),
            None
        );
        // A set that does not know the attribute gives its number only.
        let nothing = RequestLayout {
            header_len: 4,
            attrs: &NOTHING,
        };
        let path = ExtAck::parse(&b)
            .unwrap()
            .locate(&REQUEST, nothing)
            .unwrap();
        assert_eq!(path.last().unwrap().name, None);
        assert_eq!(path.last().unwrap().ty, 1);
    }

    #[test]
    fn missing_name_at_top_level_and_in_nests() {
        let name = |ty: u32, nest: Option<u32>| {
            let (b, len) = miss(ty, nest);
            ExtAck::parse(&b[..len])
                .unwrap()
                .missing_name(&REQUEST, outer())
        };
        assert_eq!(name(1, None), Some("name"));
        assert_eq!(name(3, None), Some("list"));
        assert_eq!(name(9, None), None);
        assert_eq!(name(1, Some(32)), Some("id"));
        assert_eq!(name(2, Some(32)), Some("label"));
        assert_eq!(
            name(1, Some(48)),
            Some("id"),
            "an element of an array of nests"
        );
        assert_eq!(
            name(1, Some(44)),
            None,
            "the array itself names no children"
        );
        assert_eq!(name(1, Some(20)), None, "not a nest");
        assert_eq!(name(1, Some(4)), None, "in the header");
        assert_eq!(name(1, Some(500)), None, "out of range");
        assert_eq!(name(0x1_0001, None), None, "type wider than u16");
    }

    #[cfg(feature = "genl")]
    #[test]
    fn locate_in_a_real_nlctrl_request() {
        use crate::genl::ctrl::CtrlAttrs;
        /// `CTRL_CMD_GETFAMILY` with a 1-byte FAMILY_ID, as sent to this kernel.
        #[rustfmt::skip]
        static BAD_ID: [u8; 28] = [
            0x1c, 0x00, 0x00, 0x00, // nlmsg_len = 28
            0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
            0x05, 0x00,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
            0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x03, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETFAMILY, version 2
            0x05, 0x00, 0x01, 0x00, // nla_len = 5, CTRL_ATTR_FAMILY_ID
            0x10, 0x00, 0x00, 0x00, // 0x10 + 3 padding
        ];
        let layout = RequestLayout {
            header_len: 4,
            attrs: <CtrlAttrs as crate::table::AttrSet>::table(),
        };
        // The kernel answered with NLMSGERR_ATTR_OFFS = 20.
        let b = offs(20);
        let path = ExtAck::parse(&b).unwrap().locate(&BAD_ID, layout).unwrap();
        assert_eq!(path.elems.len(), 1);
        assert_eq!(path.last().unwrap().ty, 1);
        assert_eq!(path.last().unwrap().name, Some("family-id"));
        assert_eq!(path.inner_table, None);
    }
}
