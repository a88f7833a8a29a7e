//! The fixed C structs some actions carry (`struct ovs_action_*`).
//!
//! Layouts come from `linux/openvswitch.h`. Where the spec disagrees, the
//! header (the kernel ABI) wins: `ovs_flow.yaml` gives `mpls-ethertype` as a
//! big-endian u32, the header as `__be16` followed by padding (push-mpls) or
//! by `tun_flags` (add-mpls); both structs are 8 bytes.

use zerocopy::byteorder::big_endian::{U16 as BeU16, U32 as BeU32};
use zerocopy::byteorder::native_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::table::{Member, MemberKind, WireStruct};

/// `ETH_P_8021Q`: the usual [`PushVlan::vlan_tpid`].
pub const ETH_P_8021Q: u16 = 0x8100;
/// `ETH_P_8021AD`: the QinQ service tag [`PushVlan::vlan_tpid`].
pub const ETH_P_8021AD: u16 = 0x88a8;
/// `ETH_P_MPLS_UC`: MPLS unicast ethertype.
pub const ETH_P_MPLS_UC: u16 = 0x8847;
/// `ETH_P_MPLS_MC`: MPLS multicast ethertype.
pub const ETH_P_MPLS_MC: u16 = 0x8848;
/// `OVS_HASH_ALG_L4`: hash over the L4 fields ([`Hash::hash_alg`]).
pub const OVS_HASH_ALG_L4: u32 = 0;
/// `OVS_HASH_ALG_SYM_L4`: symmetric L4 hash (Linux 6.6 and later).
pub const OVS_HASH_ALG_SYM_L4: u32 = 1;
/// `OVS_MPLS_L3_TUNNEL_FLAG_MASK`: [`AddMpls::tun_flags`] bit inserting the
/// label at the L3 header instead of the packet start.
pub const OVS_MPLS_L3_TUNNEL_FLAG_MASK: u16 = 1;

/// `struct ovs_action_push_vlan` (`push-vlan`, 4 bytes).
///
/// ```text
///  0               2               4
/// +---------------+---------------+
/// | vlan_tpid be16| vlan_tci be16 |
/// +---------------+---------------+
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct PushVlan {
    /// Tag protocol identifier ([`ETH_P_8021Q`] or [`ETH_P_8021AD`]).
    pub vlan_tpid: BeU16,
    /// Tag control information: priority (3 bits), CFI (must be set), VLAN id (12).
    pub vlan_tci: BeU16,
}

// The spec writes these two members with underscores; named in kebab-case
// like every other member.
impl WireStruct for PushVlan {
    const MEMBERS: &'static [Member] = &[
        Member::new("vlan-tpid", 0, MemberKind::Be16),
        Member::new("vlan-tci", 2, MemberKind::Be16),
    ];
}

/// `struct ovs_action_hash` (`hash`, 8 bytes).
///
/// ```text
///  0                               4                               8
/// +-------------------------------+-------------------------------+
/// |        hash_alg (u32)         |       hash_basis (u32)        |
/// +-------------------------------+-------------------------------+
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct Hash {
    /// Algorithm ([`OVS_HASH_ALG_L4`], [`OVS_HASH_ALG_SYM_L4`]).
    pub hash_alg: U32,
    /// Basis of the hash.
    pub hash_basis: U32,
}

impl WireStruct for Hash {
    const MEMBERS: &'static [Member] = &[
        Member::new("hash-alg", 0, MemberKind::U32),
        Member::new("hash-basis", 4, MemberKind::U32),
    ];
}

/// `struct ovs_action_push_mpls` (`push-mpls`, 8 bytes with tail padding).
///
/// ```text
///  0                               4               6               8
/// +-------------------------------+---------------+---------------+
/// |        mpls_lse (be32)        |ethertype be16 | (padding)     |
/// +-------------------------------+---------------+---------------+
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct PushMpls {
    /// Label stack entry: label (20 bits), TC (3), bottom of stack (1), TTL (8).
    pub mpls_lse: BeU32,
    /// [`ETH_P_MPLS_UC`] or [`ETH_P_MPLS_MC`].
    pub mpls_ethertype: BeU16,
    /// The C struct's tail padding (the kernel wants the 8-byte length).
    pub pad: [u8; 2],
}

impl WireStruct for PushMpls {
    const MEMBERS: &'static [Member] = &[
        Member::new("mpls-lse", 0, MemberKind::Be32),
        Member::new("mpls-ethertype", 4, MemberKind::Be16),
    ];
}

/// `struct ovs_action_add_mpls` (`add-mpls`, 8 bytes).
///
/// ```text
///  0                               4               6               8
/// +-------------------------------+---------------+---------------+
/// |        mpls_lse (be32)        |ethertype be16 |tun_flags (u16)|
/// +-------------------------------+---------------+---------------+
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct AddMpls {
    /// Label stack entry: label (20 bits), TC (3), bottom of stack (1), TTL (8).
    pub mpls_lse: BeU32,
    /// [`ETH_P_MPLS_UC`] or [`ETH_P_MPLS_MC`].
    pub mpls_ethertype: BeU16,
    /// [`OVS_MPLS_L3_TUNNEL_FLAG_MASK`] or 0.
    pub tun_flags: U16,
}

impl WireStruct for AddMpls {
    const MEMBERS: &'static [Member] = &[
        Member::new("mpls-lse", 0, MemberKind::Be32),
        Member::new("mpls-ethertype", 4, MemberKind::Be16),
        Member::new("tun-flags", 6, MemberKind::U16),
    ];
}

/// `struct ovs_action_trunc` (`trunc`, 4 bytes).
///
/// ```text
///  0                               4
/// +-------------------------------+
/// |         max_len (u32)         |
/// +-------------------------------+
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct Trunc {
    /// Longest packet kept, in bytes.
    pub max_len: U32,
}

impl WireStruct for Trunc {
    const MEMBERS: &'static [Member] = &[Member::new("max-len", 0, MemberKind::U32)];
}

/// `struct ovs_action_push_eth` (`push-eth`, 12 bytes): a
/// `struct ovs_key_ethernet`.
///
/// ```text
///  0                       6                      12
/// +-----------------------+-----------------------+
/// |     eth_src (MAC)     |     eth_dst (MAC)     |
/// +-----------------------+-----------------------+
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct PushEth {
    /// Source MAC address.
    pub eth_src: [u8; 6],
    /// Destination MAC address.
    pub eth_dst: [u8; 6],
}

impl WireStruct for PushEth {
    const MEMBERS: &'static [Member] = &[
        Member::new("eth-src", 0, MemberKind::Mac),
        Member::new("eth-dst", 6, MemberKind::Mac),
    ];
}

impl PushVlan {
    /// A tag with this TPID and TCI.
    pub fn new(tpid: u16, tci: u16) -> Self {
        PushVlan {
            vlan_tpid: BeU16::new(tpid),
            vlan_tci: BeU16::new(tci),
        }
    }
}

impl Hash {
    /// A hash action with this algorithm and basis.
    pub fn new(alg: u32, basis: u32) -> Self {
        Hash {
            hash_alg: U32::new(alg),
            hash_basis: U32::new(basis),
        }
    }
}

impl PushMpls {
    /// A push of `lse` with `ethertype`; padding zeroed.
    pub fn new(lse: u32, ethertype: u16) -> Self {
        PushMpls {
            mpls_lse: BeU32::new(lse),
            mpls_ethertype: BeU16::new(ethertype),
            pad: [0; 2],
        }
    }
}

impl AddMpls {
    /// An add of `lse` with `ethertype` and `tun_flags`.
    pub fn new(lse: u32, ethertype: u16, tun_flags: u16) -> Self {
        AddMpls {
            mpls_lse: BeU32::new(lse),
            mpls_ethertype: BeU16::new(ethertype),
            tun_flags: U16::new(tun_flags),
        }
    }
}

impl Trunc {
    /// A truncation to `max_len` bytes.
    pub fn new(max_len: u32) -> Self {
        Trunc {
            max_len: U32::new(max_len),
        }
    }
}

#[cfg(feature = "defmt")]
mod defmt_impls {
    use super::*;

    impl defmt::Format for PushVlan {
        fn format(&self, f: defmt::Formatter<'_>) {
            defmt::write!(
                f,
                "PushVlan {{ vlan_tpid: {=u16:#x}, vlan_tci: {=u16:#x} }}",
                self.vlan_tpid.get(),
                self.vlan_tci.get()
            )
        }
    }

    impl defmt::Format for Hash {
        fn format(&self, f: defmt::Formatter<'_>) {
            defmt::write!(
                f,
                "Hash {{ hash_alg: {=u32}, hash_basis: {=u32} }}",
                self.hash_alg.get(),
                self.hash_basis.get()
            )
        }
    }

    impl defmt::Format for PushMpls {
        fn format(&self, f: defmt::Formatter<'_>) {
            defmt::write!(
                f,
                "PushMpls {{ mpls_lse: {=u32:#x}, mpls_ethertype: {=u16:#x} }}",
                self.mpls_lse.get(),
                self.mpls_ethertype.get()
            )
        }
    }

    impl defmt::Format for AddMpls {
        fn format(&self, f: defmt::Formatter<'_>) {
            defmt::write!(
                f,
                "AddMpls {{ mpls_lse: {=u32:#x}, mpls_ethertype: {=u16:#x}, tun_flags: {=u16} }}",
                self.mpls_lse.get(),
                self.mpls_ethertype.get(),
                self.tun_flags.get()
            )
        }
    }

    impl defmt::Format for Trunc {
        fn format(&self, f: defmt::Formatter<'_>) {
            defmt::write!(f, "Trunc {{ max_len: {=u32} }}", self.max_len.get())
        }
    }
}
