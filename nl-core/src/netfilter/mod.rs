//! nfnetlink: the netfilter subsystems' netlink protocol (`NETLINK_NETFILTER`,
//! protocol 12), and its connection tracking subsystem ([`conntrack`]).
//!
//! Header: `linux/netfilter/nfnetlink.h`. Every message carries a
//! [`NfGenMsg`] after the `nlmsghdr`; the `nlmsg_type` holds the subsystem
//! in its high byte and the subsystem's message in its low byte.
//!
//! ```text
//! nlmsghdr (16): type = subsys << 8 | msg | nfgenmsg (4) | attributes
//! ```

pub mod conntrack;

use zerocopy::byteorder::network_endian::U16 as Be16;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::table::{Member, MemberKind, WireStruct};

/// `NETLINK_NETFILTER`: the netlink protocol number of nfnetlink.
pub const NETLINK_NETFILTER: i32 = 12;
/// `NFNETLINK_V0`: the only version of [`NfGenMsg`].
pub const NFNETLINK_V0: u8 = 0;
/// `NFNL_SUBSYS_CTNETLINK`: the connection tracking subsystem.
pub const NFNL_SUBSYS_CTNETLINK: u8 = 1;
/// `NFNL_SUBSYS_CTNETLINK_EXP`: conntrack expectations (not decoded here).
pub const NFNL_SUBSYS_CTNETLINK_EXP: u8 = 2;

/// The subsystem of an nfnetlink `nlmsg_type` (`NFNL_SUBSYS_ID`).
pub const fn subsys_of(ty: u16) -> u8 {
    (ty >> 8) as u8
}

/// The subsystem's message of an nfnetlink `nlmsg_type` (`NFNL_MSG_TYPE`).
pub const fn msg_of(ty: u16) -> u8 {
    (ty & 0xff) as u8
}

/// `NFNLGRP_*`: the multicast groups of conntrack events (join them with
/// `NETLINK_ADD_MEMBERSHIP`; the group number, not a bit mask).
pub mod group {
    /// `NFNLGRP_CONNTRACK_NEW`: entries created.
    pub const CONNTRACK_NEW: u32 = 1;
    /// `NFNLGRP_CONNTRACK_UPDATE`: entries changed (state, status, mark…).
    pub const CONNTRACK_UPDATE: u32 = 2;
    /// `NFNLGRP_CONNTRACK_DESTROY`: entries deleted or expired.
    pub const CONNTRACK_DESTROY: u32 = 3;
}

/// `struct nfgenmsg`: the fixed header of every nfnetlink message.
///
/// ```text
///  0               1               2               3
/// +---------------+---------------+-------------------------------+
/// | family (u8)   | version (u8)  |      res_id (be16)            |
/// +---------------+---------------+-------------------------------+
/// ```
///
/// `family` is the address family (`AF_INET` 2, `AF_INET6` 10, or
/// `AF_UNSPEC` 0 for "all" in dumps and flushes). `res_id` is big-endian:
/// 0 in requests; the CPU number in per-CPU statistics replies.
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
pub struct NfGenMsg {
    /// Address family.
    pub family: u8,
    /// [`NFNETLINK_V0`].
    pub version: u8,
    /// Resource id, big-endian.
    pub res_id: Be16,
}

impl NfGenMsg {
    /// Size on the wire.
    pub const LEN: usize = 4;

    /// A version-0 header for `family` with resource id 0.
    pub const fn new(family: u8) -> Self {
        NfGenMsg {
            family,
            version: NFNETLINK_V0,
            res_id: Be16::ZERO,
        }
    }
}

impl WireStruct for NfGenMsg {
    const MEMBERS: &'static [Member] = &[
        Member::new("nfgen-family", 0, MemberKind::U8),
        Member::new("version", 1, MemberKind::U8),
        Member::new("res-id", 2, MemberKind::Be16),
    ];
}

#[cfg(feature = "defmt")]
impl defmt::Format for NfGenMsg {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "NfGenMsg {{ family: {=u8}, version: {=u8}, res_id: {=u16} }}",
            self.family,
            self.version,
            self.res_id.get()
        )
    }
}

#[cfg(all(test, target_endian = "little"))]
mod tests {
    use super::*;
    use crate::nlmsg::split_fixed;

    #[test]
    fn nfgenmsg_reads_res_id_big_endian() {
        let bytes = [
            0x0a, // family: AF_INET6
            0x00, // version 0
            0x00, 0x01, // res_id: 1, big-endian
            0xff, // what follows
        ];
        let (header, rest): (&NfGenMsg, _) = split_fixed(&bytes).unwrap();
        assert_eq!(header.family, 10);
        assert_eq!(header.version, NFNETLINK_V0);
        assert_eq!(header.res_id.get(), 1);
        assert_eq!(rest, &[0xff]);
        assert_eq!(
            split_fixed::<NfGenMsg>(&bytes[..3]).err(),
            Some(crate::Error::Truncated)
        );
    }

    #[test]
    fn construct_writes_four_bytes() {
        assert_eq!(NfGenMsg::new(2).as_bytes(), &[2, 0, 0, 0]);
        assert_eq!(subsys_of(0x0105), NFNL_SUBSYS_CTNETLINK);
        assert_eq!(msg_of(0x0105), 5);
    }
}
