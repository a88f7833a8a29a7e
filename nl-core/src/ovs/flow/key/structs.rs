//! The fixed C structs of flow key attributes (`struct ovs_key_*` of
//! `linux/openvswitch.h`), as zerocopy types with unaligned fields.
//!
//! Multi-byte fields are big-endian (`__be16`, `__be32`) except
//! [`KeyIpv6Exthdrs::hdrs`] (host-endian `__u16`). Where the C struct has
//! tail padding (its size is rounded up to its 4-byte alignment), the Rust
//! struct spells the padding out as a private field, so the size on the
//! wire is the kernel's `sizeof`; constructors fill the padding with zeros.
//!
//! Member names ([`WireStruct`]) are those of `ovs_flow.yaml`.

use core::net::{Ipv4Addr, Ipv6Addr};

use zerocopy::byteorder::native_endian::U16 as NeU16;
use zerocopy::byteorder::network_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::table::{Member, MemberKind, WireStruct};

/// Derives shared by every key struct.
macro_rules! key_struct {
    ($(#[$meta:meta])* pub struct $name:ident $body:tt) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout,
            Immutable, Unaligned,
        )]
        #[repr(C)]
        pub struct $name $body

        #[cfg(feature = "defmt")]
        impl defmt::Format for $name {
            fn format(&self, f: defmt::Formatter<'_>) {
                defmt::write!(f, "{}", defmt::Debug2Format(self))
            }
        }
    };
}

key_struct! {
    /// `struct ovs_key_ethernet` (`OVS_KEY_ATTR_ETHERNET`), 12 bytes.
    ///
    /// ```text
    /// 0        6        12
    /// +--------+--------+
    /// | eth-src| eth-dst|
    /// +--------+--------+
    /// ```
    pub struct KeyEthernet {
        /// Source MAC address.
        pub eth_src: [u8; 6],
        /// Destination MAC address.
        pub eth_dst: [u8; 6],
    }
}

impl WireStruct for KeyEthernet {
    const MEMBERS: &'static [Member] = &[
        Member::new("eth-src", 0, MemberKind::Mac),
        Member::new("eth-dst", 6, MemberKind::Mac),
    ];
}

key_struct! {
    /// `struct ovs_key_mpls`: one MPLS label stack entry (`OVS_KEY_ATTR_MPLS`
    /// holds 1 to 3 of them), 4 bytes.
    ///
    /// ```text
    /// 0                    20  23 24       32
    /// +--------------------+---+-+--------+
    /// | label              |tc |s|  ttl   |   mpls-lse, big-endian
    /// +--------------------+---+-+--------+
    /// ```
    pub struct KeyMpls {
        /// The label stack entry: label (20 bits), traffic class (3),
        /// bottom of stack (1), TTL (8), big-endian.
        pub mpls_lse: U32,
    }
}

impl KeyMpls {
    /// An entry from its parts (`label` is cut to 20 bits, `tc` to 3).
    pub fn new(label: u32, tc: u8, bos: bool, ttl: u8) -> Self {
        let lse = ((label & 0xf_ffff) << 12)
            | (u32::from(tc & 7) << 9)
            | (u32::from(bos) << 8)
            | u32::from(ttl);
        KeyMpls {
            mpls_lse: U32::new(lse),
        }
    }

    /// The 20-bit label.
    pub fn label(&self) -> u32 {
        self.mpls_lse.get() >> 12
    }

    /// The 3-bit traffic class.
    pub fn tc(&self) -> u8 {
        ((self.mpls_lse.get() >> 9) & 7) as u8
    }

    /// The bottom-of-stack bit.
    pub fn bos(&self) -> bool {
        self.mpls_lse.get() & 0x100 != 0
    }

    /// The TTL.
    pub fn ttl(&self) -> u8 {
        (self.mpls_lse.get() & 0xff) as u8
    }
}

impl WireStruct for KeyMpls {
    const MEMBERS: &'static [Member] = &[Member::new("mpls-lse", 0, MemberKind::Be32)];
}

key_struct! {
    /// `struct ovs_key_ipv4` (`OVS_KEY_ATTR_IPV4`), 12 bytes.
    ///
    /// ```text
    /// 0          4          8     9     10    11    12
    /// +----------+----------+-----+-----+-----+-----+
    /// | ipv4-src | ipv4-dst |proto| tos | ttl |frag |
    /// +----------+----------+-----+-----+-----+-----+
    /// ```
    pub struct KeyIpv4 {
        /// Source address, big-endian.
        pub ipv4_src: U32,
        /// Destination address, big-endian.
        pub ipv4_dst: U32,
        /// IP protocol.
        pub ipv4_proto: u8,
        /// Type of service.
        pub ipv4_tos: u8,
        /// Time to live.
        pub ipv4_ttl: u8,
        /// A [`FragType`](super::FragType).
        pub ipv4_frag: u8,
    }
}

impl KeyIpv4 {
    /// The source address.
    pub fn src(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.ipv4_src.get())
    }

    /// The destination address.
    pub fn dst(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.ipv4_dst.get())
    }
}

impl WireStruct for KeyIpv4 {
    const MEMBERS: &'static [Member] = &[
        Member::new("ipv4-src", 0, MemberKind::Ipv4),
        Member::new("ipv4-dst", 4, MemberKind::Ipv4),
        Member::new("ipv4-proto", 8, MemberKind::U8),
        Member::new("ipv4-tos", 9, MemberKind::U8),
        Member::new("ipv4-ttl", 10, MemberKind::U8),
        Member::new("ipv4-frag", 11, MemberKind::U8).enumerated::<super::FragType>(),
    ];
}

key_struct! {
    /// `struct ovs_key_ipv6` (`OVS_KEY_ATTR_IPV6`), 40 bytes.
    ///
    /// ```text
    /// 0          16         32          36    37     38     39    40
    /// +----------+----------+-----------+-----+------+------+-----+
    /// | ipv6-src | ipv6-dst | ipv6-label|proto|tclass|hlimit|frag |
    /// +----------+----------+-----------+-----+------+------+-----+
    /// ```
    pub struct KeyIpv6 {
        /// Source address (network order).
        pub ipv6_src: [u8; 16],
        /// Destination address (network order).
        pub ipv6_dst: [u8; 16],
        /// Flow label (20 low bits), big-endian.
        pub ipv6_label: U32,
        /// Next header.
        pub ipv6_proto: u8,
        /// Traffic class.
        pub ipv6_tclass: u8,
        /// Hop limit.
        pub ipv6_hlimit: u8,
        /// A [`FragType`](super::FragType).
        pub ipv6_frag: u8,
    }
}

impl KeyIpv6 {
    /// The source address.
    pub fn src(&self) -> Ipv6Addr {
        Ipv6Addr::from(self.ipv6_src)
    }

    /// The destination address.
    pub fn dst(&self) -> Ipv6Addr {
        Ipv6Addr::from(self.ipv6_dst)
    }
}

impl WireStruct for KeyIpv6 {
    const MEMBERS: &'static [Member] = &[
        Member::new("ipv6-src", 0, MemberKind::Ipv6),
        Member::new("ipv6-dst", 16, MemberKind::Ipv6),
        Member::new("ipv6-label", 32, MemberKind::Be32),
        Member::new("ipv6-proto", 36, MemberKind::U8),
        Member::new("ipv6-tclass", 37, MemberKind::U8),
        Member::new("ipv6-hlimit", 38, MemberKind::U8),
        Member::new("ipv6-frag", 39, MemberKind::U8).enumerated::<super::FragType>(),
    ];
}

key_struct! {
    /// `struct ovs_key_ipv6_exthdrs` (`OVS_KEY_ATTR_IPV6_EXTHDRS`), 2 bytes.
    ///
    /// ```text
    /// 0      2
    /// +------+
    /// | hdrs |   host-endian bit mask of extension headers seen
    /// +------+
    /// ```
    pub struct KeyIpv6Exthdrs {
        /// Bit mask of the extension headers seen (`OFPIEH12_*`), host-endian.
        pub hdrs: NeU16,
    }
}

impl WireStruct for KeyIpv6Exthdrs {
    const MEMBERS: &'static [Member] = &[Member::new("hdrs", 0, MemberKind::U16)];
}

/// Declares a 4-byte struct of two big-endian ports.
macro_rules! ports_struct {
    ($(#[$meta:meta])* $name:ident, $src:ident, $dst:ident, $src_name:literal, $dst_name:literal) => {
        key_struct! {
            $(#[$meta])*
            pub struct $name {
                /// Source port, big-endian.
                pub $src: U16,
                /// Destination port, big-endian.
                pub $dst: U16,
            }
        }

        impl $name {
            /// The ports `src` and `dst`.
            pub fn new(src: u16, dst: u16) -> Self {
                $name {
                    $src: U16::new(src),
                    $dst: U16::new(dst),
                }
            }
        }

        impl WireStruct for $name {
            const MEMBERS: &'static [Member] = &[
                Member::new($src_name, 0, MemberKind::Be16),
                Member::new($dst_name, 2, MemberKind::Be16),
            ];
        }
    };
}

ports_struct!(
    /// `struct ovs_key_tcp` (`OVS_KEY_ATTR_TCP`), 4 bytes.
    ///
    /// ```text
    /// 0         2         4
    /// +---------+---------+
    /// | tcp-src | tcp-dst |   big-endian
    /// +---------+---------+
    /// ```
    KeyTcp, tcp_src, tcp_dst, "tcp-src", "tcp-dst"
);

ports_struct!(
    /// `struct ovs_key_udp` (`OVS_KEY_ATTR_UDP`), 4 bytes.
    ///
    /// ```text
    /// 0         2         4
    /// +---------+---------+
    /// | udp-src | udp-dst |   big-endian
    /// +---------+---------+
    /// ```
    KeyUdp, udp_src, udp_dst, "udp-src", "udp-dst"
);

ports_struct!(
    /// `struct ovs_key_sctp` (`OVS_KEY_ATTR_SCTP`), 4 bytes.
    ///
    /// ```text
    /// 0          2          4
    /// +----------+----------+
    /// | sctp-src | sctp-dst |   big-endian
    /// +----------+----------+
    /// ```
    KeySctp, sctp_src, sctp_dst, "sctp-src", "sctp-dst"
);

key_struct! {
    /// `struct ovs_key_icmp` (`OVS_KEY_ATTR_ICMP`) and its twin
    /// `struct ovs_key_icmpv6` (`OVS_KEY_ATTR_ICMPV6`; the spec uses
    /// `ovs-key-icmp` for both), 2 bytes.
    ///
    /// ```text
    /// 0      1      2
    /// +------+------+
    /// | type | code |
    /// +------+------+
    /// ```
    pub struct KeyIcmp {
        /// ICMP type.
        pub icmp_type: u8,
        /// ICMP code.
        pub icmp_code: u8,
    }
}

impl WireStruct for KeyIcmp {
    const MEMBERS: &'static [Member] = &[
        Member::new("icmp-type", 0, MemberKind::U8),
        Member::new("icmp-code", 1, MemberKind::U8),
    ];
}

key_struct! {
    /// `struct ovs_key_arp` (`OVS_KEY_ATTR_ARP`), 24 bytes: 22 of fields
    /// and 2 of tail padding (the C struct is 4-byte aligned).
    ///
    /// ```text
    /// 0         4         8        10        16        22   24
    /// +---------+---------+--------+---------+---------+----+
    /// | arp-sip | arp-tip | arp-op | arp-sha | arp-tha |pad |
    /// +---------+---------+--------+---------+---------+----+
    /// ```
    pub struct KeyArp {
        /// Sender IPv4 address, big-endian.
        pub arp_sip: U32,
        /// Target IPv4 address, big-endian.
        pub arp_tip: U32,
        /// Operation, big-endian.
        pub arp_op: U16,
        /// Sender hardware address.
        pub arp_sha: [u8; 6],
        /// Target hardware address.
        pub arp_tha: [u8; 6],
        pad: [u8; 2],
    }
}

impl KeyArp {
    /// The key with zeroed padding.
    pub fn new(sip: Ipv4Addr, tip: Ipv4Addr, op: u16, sha: [u8; 6], tha: [u8; 6]) -> Self {
        KeyArp {
            arp_sip: U32::new(sip.to_bits()),
            arp_tip: U32::new(tip.to_bits()),
            arp_op: U16::new(op),
            arp_sha: sha,
            arp_tha: tha,
            pad: [0; 2],
        }
    }
}

impl WireStruct for KeyArp {
    const MEMBERS: &'static [Member] = &[
        Member::new("arp-sip", 0, MemberKind::Ipv4),
        Member::new("arp-tip", 4, MemberKind::Ipv4),
        Member::new("arp-op", 8, MemberKind::Be16),
        Member::new("arp-sha", 10, MemberKind::Mac),
        Member::new("arp-tha", 16, MemberKind::Mac),
    ];
}

key_struct! {
    /// `struct ovs_key_nd` (`OVS_KEY_ATTR_ND`), 28 bytes.
    ///
    /// ```text
    /// 0           16       22       28
    /// +-----------+--------+--------+
    /// | nd-target | nd-sll | nd-tll |
    /// +-----------+--------+--------+
    /// ```
    pub struct KeyNd {
        /// Target address (network order).
        pub nd_target: [u8; 16],
        /// Source link-layer address.
        pub nd_sll: [u8; 6],
        /// Target link-layer address.
        pub nd_tll: [u8; 6],
    }
}

impl WireStruct for KeyNd {
    // The spec spells the first member `nd_target`; kebab-case here like the others.
    const MEMBERS: &'static [Member] = &[
        Member::new("nd-target", 0, MemberKind::Ipv6),
        Member::new("nd-sll", 16, MemberKind::Mac),
        Member::new("nd-tll", 22, MemberKind::Mac),
    ];
}

key_struct! {
    /// `struct ovs_key_ct_tuple_ipv4` (`OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4`),
    /// 16 bytes: 13 of fields and 3 of tail padding.
    ///
    /// ```text
    /// 0          4          8          10         12    13    16
    /// +----------+----------+----------+----------+-----+-----+
    /// | ipv4-src | ipv4-dst | src-port | dst-port |proto| pad |
    /// +----------+----------+----------+----------+-----+-----+
    /// ```
    pub struct KeyCtTupleIpv4 {
        /// Source address, big-endian.
        pub ipv4_src: U32,
        /// Destination address, big-endian.
        pub ipv4_dst: U32,
        /// Source port, big-endian.
        pub src_port: U16,
        /// Destination port, big-endian.
        pub dst_port: U16,
        /// IP protocol.
        pub ipv4_proto: u8,
        pad: [u8; 3],
    }
}

impl KeyCtTupleIpv4 {
    /// The tuple with zeroed padding.
    pub fn new(src: Ipv4Addr, dst: Ipv4Addr, src_port: u16, dst_port: u16, proto: u8) -> Self {
        KeyCtTupleIpv4 {
            ipv4_src: U32::new(src.to_bits()),
            ipv4_dst: U32::new(dst.to_bits()),
            src_port: U16::new(src_port),
            dst_port: U16::new(dst_port),
            ipv4_proto: proto,
            pad: [0; 3],
        }
    }
}

impl WireStruct for KeyCtTupleIpv4 {
    const MEMBERS: &'static [Member] = &[
        Member::new("ipv4-src", 0, MemberKind::Ipv4),
        Member::new("ipv4-dst", 4, MemberKind::Ipv4),
        Member::new("src-port", 8, MemberKind::Be16),
        Member::new("dst-port", 10, MemberKind::Be16),
        Member::new("ipv4-proto", 12, MemberKind::U8),
    ];
}

key_struct! {
    /// `struct ovs_key_ct_tuple_ipv6` (`OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6`),
    /// 40 bytes: 37 of fields and 3 of tail padding. The spec declares the
    /// attribute as plain binary; names follow its IPv4 twin.
    ///
    /// ```text
    /// 0          16         32         34         36    37    40
    /// +----------+----------+----------+----------+-----+-----+
    /// | ipv6-src | ipv6-dst | src-port | dst-port |proto| pad |
    /// +----------+----------+----------+----------+-----+-----+
    /// ```
    pub struct KeyCtTupleIpv6 {
        /// Source address (network order).
        pub ipv6_src: [u8; 16],
        /// Destination address (network order).
        pub ipv6_dst: [u8; 16],
        /// Source port, big-endian.
        pub src_port: U16,
        /// Destination port, big-endian.
        pub dst_port: U16,
        /// Next header.
        pub ipv6_proto: u8,
        pad: [u8; 3],
    }
}

impl KeyCtTupleIpv6 {
    /// The tuple with zeroed padding.
    pub fn new(src: Ipv6Addr, dst: Ipv6Addr, src_port: u16, dst_port: u16, proto: u8) -> Self {
        KeyCtTupleIpv6 {
            ipv6_src: src.octets(),
            ipv6_dst: dst.octets(),
            src_port: U16::new(src_port),
            dst_port: U16::new(dst_port),
            ipv6_proto: proto,
            pad: [0; 3],
        }
    }
}

impl WireStruct for KeyCtTupleIpv6 {
    const MEMBERS: &'static [Member] = &[
        Member::new("ipv6-src", 0, MemberKind::Ipv6),
        Member::new("ipv6-dst", 16, MemberKind::Ipv6),
        Member::new("src-port", 32, MemberKind::Be16),
        Member::new("dst-port", 34, MemberKind::Be16),
        Member::new("ipv6-proto", 36, MemberKind::U8),
    ];
}

key_struct! {
    /// `struct ovs_nsh_key_base` (`OVS_NSH_KEY_ATTR_BASE`), 8 bytes.
    ///
    /// ```text
    /// 0      1     2        3    4                      7     8
    /// +------+-----+--------+----+----------------------+-----+
    /// |flags | ttl | mdtype | np | path-hdr: SPI (24)   | SI  |
    /// +------+-----+--------+----+----------------------+-----+
    /// ```
    pub struct NshBase {
        /// NSH flags.
        pub flags: u8,
        /// TTL.
        pub ttl: u8,
        /// Metadata type (1 or 2).
        pub mdtype: u8,
        /// Next protocol.
        pub np: u8,
        /// Service path identifier (24 bits) and service index (8), big-endian.
        pub path_hdr: U32,
    }
}

impl NshBase {
    /// The service path identifier.
    pub fn spi(&self) -> u32 {
        self.path_hdr.get() >> 8
    }

    /// The service index.
    pub fn si(&self) -> u8 {
        (self.path_hdr.get() & 0xff) as u8
    }
}

impl WireStruct for NshBase {
    const MEMBERS: &'static [Member] = &[
        Member::new("flags", 0, MemberKind::U8),
        Member::new("ttl", 1, MemberKind::U8),
        Member::new("mdtype", 2, MemberKind::U8),
        Member::new("np", 3, MemberKind::U8),
        Member::new("path-hdr", 4, MemberKind::Be32),
    ];
}

key_struct! {
    /// `struct ovs_nsh_key_md1` (`OVS_NSH_KEY_ATTR_MD1`), 16 bytes.
    ///
    /// ```text
    /// 0      4      8      12     16
    /// +------+------+------+------+
    /// |  c1  |  c2  |  c3  |  c4  |   context, big-endian words
    /// +------+------+------+------+
    /// ```
    pub struct NshMd1 {
        /// The four context words, big-endian.
        pub context: [U32; 4],
    }
}

impl WireStruct for NshMd1 {
    const MEMBERS: &'static [Member] = &[
        Member::new("context", 0, MemberKind::Be32),
        Member::new("context", 4, MemberKind::Be32),
        Member::new("context", 8, MemberKind::Be32),
        Member::new("context", 12, MemberKind::Be32),
    ];
}
