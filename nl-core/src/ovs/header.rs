//! What the three OVS families share: `struct ovs_header`, the family
//! names, versions and multicast groups, the command numbers, and the
//! writing and splitting of a whole OVS message.
//!
//! ```text
//!  0               1               2               3
//! +---------------+---------------+-------------------------------+
//! |  cmd (u8)     |  version (u8) |        reserved (u16)         |  genlmsghdr
//! +---------------+---------------+-------------------------------+
//! |                     dp_ifindex (s32)                          |  ovs_header
//! +---------------------------------------------------------------+
//! |  attributes (OVS_DP_ATTR_* / OVS_VPORT_ATTR_* / OVS_FLOW_ATTR_*) ...
//! ```

use zerocopy::byteorder::native_endian::I32;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::genl::GenlHeader;
use crate::nlmsg::{self, Flags, Message};
use crate::table::{Member, MemberKind, WireStruct};
use crate::{Error, Writer};

/// `OVS_DATAPATH_FAMILY`: the datapath family's name.
pub const DATAPATH_FAMILY: &str = "ovs_datapath";
/// `OVS_DATAPATH_VERSION`.
pub const DATAPATH_VERSION: u8 = 2;
/// `OVS_DATAPATH_MCGROUP`: the datapath notification group.
pub const DATAPATH_GROUP: &str = "ovs_datapath";

/// `OVS_VPORT_FAMILY`: the vport family's name.
pub const VPORT_FAMILY: &str = "ovs_vport";
/// `OVS_VPORT_VERSION`. The header says 1 (the spec's `version: 2` is
/// not what the kernel declares; the header wins).
pub const VPORT_VERSION: u8 = 1;
/// `OVS_VPORT_MCGROUP`: the vport notification group.
pub const VPORT_GROUP: &str = "ovs_vport";

/// `OVS_FLOW_FAMILY`: the flow family's name.
pub const FLOW_FAMILY: &str = "ovs_flow";
/// `OVS_FLOW_VERSION`.
pub const FLOW_VERSION: u8 = 1;
/// `OVS_FLOW_MCGROUP`: the flow notification group.
pub const FLOW_GROUP: &str = "ovs_flow";

crate::value_enum! {
    /// `OVS_DP_CMD_*`, `OVS_VPORT_CMD_*`, `OVS_FLOW_CMD_*`: the three
    /// families number their commands alike. Replies and notifications
    /// carry `new` (`del` and `set` notifications keep their own).
    pub enum Cmd(u8) {
        /// Create (and every reply to a get or dump).
        New = 1 => "new",
        /// Delete.
        Del = 2 => "del",
        /// Get one, or dump all with `NLM_F_DUMP`.
        Get = 3 => "get",
        /// Change.
        Set = 4 => "set",
    }
}

/// `struct ovs_header`: the fixed header after `genlmsghdr` in every
/// message of the three families.
///
/// ```text
/// +---------------------------------------------------------------+
/// |  dp_ifindex (s32): the datapath's local port ifindex, 0: none  |
/// +---------------------------------------------------------------+
/// ```
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
pub struct OvsHeader {
    /// The datapath's ifindex (`int` in the header; the spec says u32).
    pub dp_ifindex: I32,
}

impl OvsHeader {
    /// Size on the wire.
    pub const LEN: usize = 4;

    /// A header for datapath `dp_ifindex` (0: not specific to one).
    pub fn new(dp_ifindex: i32) -> Self {
        OvsHeader {
            dp_ifindex: I32::new(dp_ifindex),
        }
    }
}

impl WireStruct for OvsHeader {
    const MEMBERS: &'static [Member] = &[Member::new("dp-ifindex", 0, MemberKind::S32)];
}

#[cfg(feature = "defmt")]
impl defmt::Format for OvsHeader {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "OvsHeader {{ dp_ifindex: {=i32} }}",
            self.dp_ifindex.get()
        )
    }
}

/// `genlmsghdr` then `ovs_header`, as one fixed header for [`nlmsg::build`].
#[derive(Clone, Copy, Debug, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct Fixed {
    genl: GenlHeader,
    ovs: OvsHeader,
}

impl Fixed {
    /// Both headers for `cmd` at `version`, datapath `dp_ifindex`.
    pub(crate) fn new(cmd: Cmd, version: u8, dp_ifindex: i32) -> Self {
        Fixed {
            genl: GenlHeader::new(cmd.into(), version),
            ovs: OvsHeader::new(dp_ifindex),
        }
    }
}

/// Bytes of both fixed headers (`GENL_HDRLEN` + `ovs_header`).
pub const FIXED_LEN: usize = GenlHeader::LEN + OvsHeader::LEN;

/// Writes one whole request (see [`nlmsg::build`]): nothing is written
/// unless all of it fits.
pub(crate) fn build<'b>(
    buf: &'b mut [u8],
    family: u16,
    flags: Flags,
    seq: u32,
    fixed: Fixed,
    attrs: usize,
    put_attrs: impl FnOnce(&mut Writer<'b>) -> Result<(), Error>,
) -> Result<&'b [u8], Error> {
    nlmsg::build(buf, family, flags, seq, &fixed, attrs, put_attrs)
}

/// One OVS message split: its `genlmsghdr`, its `ovs_header`, and the
/// attributes after them. The `nlmsg_type` (the runtime family id) is not
/// checked.
pub fn split<'a>(message: &Message<'a>) -> Result<(GenlHeader, OvsHeader, &'a [u8]), Error> {
    let (fixed, attrs) = message.split_header::<Fixed>()?;
    Ok((fixed.genl, fixed.ovs, attrs))
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_one_s32() {
        let bytes = [
            0xfe, 0xff, 0xff, 0xff, // dp_ifindex = -2
        ];
        let header = OvsHeader::ref_from_bytes(&bytes[..]).unwrap();
        assert_eq!(header.dp_ifindex.get(), -2);
        assert_eq!(OvsHeader::new(-2).as_bytes(), &bytes);
        assert_eq!(core::mem::size_of::<OvsHeader>(), OvsHeader::LEN);
        assert_eq!(core::mem::size_of::<Fixed>(), FIXED_LEN);
        assert_eq!(OvsHeader::MEMBERS[0].bytes(&bytes), Some(&bytes[..]));
    }

    #[test]
    fn split_takes_both_headers() {
        #[rustfmt::skip]
        let bytes: [u8; 28] = [
            0x1c, 0x00, 0x00, 0x00, // nlmsg_len = 28
            0x20, 0x00,             // nlmsg_type = 0x20 (a family id)
            0x00, 0x00,             // nlmsg_flags = 0
            0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x01, 0x02, 0x00, 0x00, // genlmsghdr: cmd new, version 2
            0x07, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 7
            0x04, 0x00, 0x06, 0x00, // nla_len = 4, type 6
        ];
        let message = Message::parse(&bytes).unwrap();
        let (genl, ovs, attrs) = split(&message).unwrap();
        assert_eq!(genl, GenlHeader::new(1, 2));
        assert_eq!(ovs, OvsHeader::new(7));
        assert_eq!(attrs, &bytes[24..]);
        for n in 16..24 {
            let mut cut = bytes;
            cut[0] = u8::try_from(n).unwrap();
            let message = Message::parse(&cut[..n]).unwrap();
            assert_eq!(split(&message).unwrap_err(), Error::Truncated, "{n}");
        }
    }

    #[test]
    fn commands_are_shared() {
        assert_eq!(u8::from(Cmd::New), 1);
        assert_eq!(Cmd::from(4), Cmd::Set);
        assert_eq!(Cmd::from(9), Cmd::Unknown(9));
        assert_eq!(Cmd::Get.name(), Some("get"));
    }
}
