//! Flow keys and masks (`key-attrs` of `ovs_flow.yaml`, `OVS_KEY_ATTR_*`
//! of `linux/openvswitch.h`).
//!
//! A flow key is a run of key attributes; a mask is the same run with the
//! bits to match set. Both nest: `encap` holds the key of the packet inside
//! an 802.1Q tag (a key in a key), `tunnel` the tunnel metadata
//! ([`TunnelKeyAttrs`], whose `id` is attribute type 0), `nsh` the NSH
//! header ([`NshKeyAttrs`]).
//!
//! ```text
//! key-attrs
//! ├── in-port, priority, skb-mark, … (u32)    ├── ethernet, ipv4, tcp, … (struct ovs_key_*)
//! ├── encap ─────► key-attrs (recursive, at most MAX_KEY_DEPTH deep)
//! ├── tunnel ────► tunnel-key-attrs ── vxlan-opts ──► vxlan-ext-attrs
//! ├── nsh ───────► ovs-nsh-key-attrs (base, md1, md2)
//! └── mpls: 1 to 3 × struct ovs_key_mpls
//! ```
//!
//! Facts from the kernel rather than the spec (the header wins where they
//! differ): the spec numbers `encap` from 1 like the header; the tunnel's
//! `id` is type 0; `mpls` carries 1 to 3 label entries (the kernel's
//! `MPLS_LABEL_DEPTH`), checked by [`FlowKey::validate`];
//! `ct-orig-tuple-ipv4` and `-ipv6` are 16 and 40 bytes (tail padding
//! included); `ct-orig-tuple-ipv6` is a struct, not plain binary.
//! `packet-type` and `nd-extensions` (types 29, 30) are userspace's and
//! `tunnel-info` (31) is kernel-internal: kept as raw bytes.
//!
//! Read a key with [`FlowKey`], write one with [`KeyWriter`].

mod display;
mod reader;
mod structs;
mod writer;

#[cfg(all(test, target_endian = "little"))]
mod tests;

pub use display::MaskedKeyDisplay;
pub use reader::{FlowKey, MAX_KEY_DEPTH, MplsLabels, NshKey, TunnelKey};
pub use structs::{
    KeyArp, KeyCtTupleIpv4, KeyCtTupleIpv6, KeyEthernet, KeyIcmp, KeyIpv4, KeyIpv6, KeyIpv6Exthdrs,
    KeyMpls, KeyNd, KeySctp, KeyTcp, KeyUdp, NshBase, NshMd1,
};
pub use writer::{KeyWriter, TunnelWriter};

use crate::table::{
    AttrPut, AttrType, Be16, Be32, Be64, Binary, Flag, Ipv4, Ipv6, Kind, Nest, Struct,
};

/// `struct ovs_key_icmpv6`: the same layout as [`KeyIcmp`].
pub type KeyIcmpv6 = KeyIcmp;

/// Most label entries `mpls` may carry (the kernel's `MPLS_LABEL_DEPTH`).
pub const MAX_MPLS_LABELS: usize = 3;

crate::value_enum! {
    /// `enum ovs_frag_type`: the `ipv4-frag` / `ipv6-frag` member.
    pub enum FragType(u8) {
        /// Not a fragment (`ovs-dpctl` prints `no`).
        None = 0 => "none",
        /// The first fragment (offset 0).
        First = 1 => "first",
        /// A later fragment (nonzero offset).
        Later = 2 => "later",
        /// All bits: the spec's `any`, used in masks (not in the header).
        Any = 255 => "any",
    }
}

crate::flag_set! {
    /// `OVS_CS_F_*` (`ct-state-flags` in the spec): the `ct-state` word,
    /// printed with the short names of `ovs-dpctl`.
    pub struct CtState(u32), sep = "|" {
        /// Beginning of a new connection.
        NEW = 0x01 => "new",
        /// Part of an existing connection.
        ESTABLISHED = 0x02 => "est",
        /// Related to an existing connection.
        RELATED = 0x04 => "rel",
        /// The flow is in the reply direction.
        REPLY_DIR = 0x08 => "rpl",
        /// The connection could not be tracked.
        INVALID = 0x10 => "inv",
        /// Conntrack has run.
        TRACKED = 0x20 => "trk",
        /// Source address/port mangled by NAT.
        SRC_NAT = 0x40 => "snat",
        /// Destination address/port mangled by NAT.
        DST_NAT = 0x80 => "dnat",
    }
}

/// The kind of `mpls`: 1 to 3 [`KeyMpls`] entries (4 to 12 bytes). The
/// table checks the 4..=12 bounds; that the length is a multiple of 4 is
/// checked by [`FlowKey::validate`] (the table has no kind for it).
#[derive(Debug)]
pub enum MplsStack {}

impl AttrType for MplsStack {
    const KIND: Kind = Kind::Binary { min: 4, max: 12 };
    type Value<'a> = MplsLabels<'a>;
    fn decode(payload: &[u8]) -> Option<MplsLabels<'_>> {
        Some(MplsLabels::new(payload))
    }
}

impl AttrPut for MplsStack {
    type Input<'v> = &'v [KeyMpls];
    fn payload_len(value: &&[KeyMpls]) -> usize {
        core::mem::size_of_val(*value)
    }
    fn write(value: &&[KeyMpls], out: &mut [u8]) {
        for (chunk, entry) in out.chunks_exact_mut(4).zip(value.iter()) {
            chunk.copy_from_slice(&entry.mpls_lse.get().to_be_bytes());
        }
    }
    fn fits(value: &&[KeyMpls]) -> bool {
        (1..=MAX_MPLS_LABELS).contains(&value.len())
    }
}

crate::attr_set! {
    /// `OVS_KEY_ATTR_*`: the attributes of a flow key or mask.
    pub struct KeyAttrs = "key-attrs" {
        /// The key of the packet inside an 802.1Q tag: a key in a key.
        1 ENCAP "encap": Nest<KeyAttrs>;
        /// `skb->priority`.
        2 PRIORITY "priority": u32;
        /// Datapath port number the packet came in on.
        3 IN_PORT "in-port": u32;
        /// Source and destination MAC.
        4 ETHERNET "ethernet": Struct<KeyEthernet>;
        /// 802.1Q TCI (with the CFI bit set when a tag is present).
        5 VLAN "vlan": Be16;
        /// Ethernet type.
        6 ETHERTYPE "ethertype": Be16;
        /// IPv4 header fields.
        7 IPV4 "ipv4": Struct<KeyIpv4>;
        /// IPv6 header fields.
        8 IPV6 "ipv6": Struct<KeyIpv6>;
        /// TCP ports.
        9 TCP "tcp": Struct<KeyTcp>;
        /// UDP ports.
        10 UDP "udp": Struct<KeyUdp>;
        /// ICMP type and code.
        11 ICMP "icmp": Struct<KeyIcmp>;
        /// ICMPv6 type and code.
        12 ICMPV6 "icmpv6": Struct<KeyIcmp>;
        /// ARP fields.
        13 ARP "arp": Struct<KeyArp>;
        /// IPv6 neighbour discovery fields.
        14 ND "nd": Struct<KeyNd>;
        /// `skb->mark`.
        15 SKB_MARK "skb-mark": u32;
        /// Tunnel metadata.
        16 TUNNEL "tunnel": Nest<TunnelKeyAttrs>;
        /// SCTP ports.
        17 SCTP "sctp": Struct<KeySctp>;
        /// TCP flags, big-endian.
        18 TCP_FLAGS "tcp-flags": Be16;
        /// Datapath hash (0: not computed).
        19 DP_HASH "dp-hash": u32;
        /// Recirculation id.
        20 RECIRC_ID "recirc-id": u32;
        /// 1 to 3 MPLS label stack entries.
        21 MPLS "mpls": MplsStack;
        /// Conntrack state, `OVS_CS_F_*`.
        22 CT_STATE "ct-state": u32, flags(CtState);
        /// Conntrack zone.
        23 CT_ZONE "ct-zone": u16;
        /// Conntrack mark.
        24 CT_MARK "ct-mark": u32;
        /// Conntrack labels (`struct ovs_key_ct_labels`, 16 bytes).
        25 CT_LABELS "ct-labels": Binary<16, 16>;
        /// Original direction tuple of an IPv4 connection.
        26 CT_ORIG_TUPLE_IPV4 "ct-orig-tuple-ipv4": Struct<KeyCtTupleIpv4>;
        /// Original direction tuple of an IPv6 connection.
        27 CT_ORIG_TUPLE_IPV6 "ct-orig-tuple-ipv6": Struct<KeyCtTupleIpv6>;
        /// NSH header fields.
        28 NSH "nsh": Nest<NshKeyAttrs>;
        /// Packet type: namespace (high 16 bits) and type, big-endian
        /// (userspace's; not sent to the kernel).
        29 PACKET_TYPE "packet-type": Be32;
        /// IPv6 neighbour discovery extensions (userspace's), raw.
        30 ND_EXTENSIONS "nd-extensions": Binary<0, 65531>;
        /// `struct ip_tunnel_info`, kernel-internal, raw.
        31 TUNNEL_INFO "tunnel-info": Binary<0, 65531>;
        /// IPv6 extension headers seen.
        32 IPV6_EXTHDRS "ipv6-exthdrs": Struct<KeyIpv6Exthdrs>;
    }
}

crate::attr_set! {
    /// `OVS_TUNNEL_KEY_ATTR_*`: tunnel metadata. Numbered from 0: `id` is
    /// type 0 (the header has no `UNSPEC`).
    pub struct TunnelKeyAttrs = "tunnel-key-attrs" {
        /// Tunnel id (VNI, GRE key…), big-endian.
        0 ID "id": Be64;
        /// Outer IPv4 source.
        1 IPV4_SRC "ipv4-src": Ipv4;
        /// Outer IPv4 destination.
        2 IPV4_DST "ipv4-dst": Ipv4;
        /// Outer ToS.
        3 TOS "tos": u8;
        /// Outer TTL.
        4 TTL "ttl": u8;
        /// Set DF.
        5 DONT_FRAGMENT "dont-fragment": Flag;
        /// Checksum the packet.
        6 CSUM "csum": Flag;
        /// OAM frame.
        7 OAM "oam": Flag;
        /// Geneve options (a multiple of 4 bytes, at most 252: the kernel's
        /// `IP_TUNNEL_OPTS_MAX` is 255).
        8 GENEVE_OPTS "geneve-opts": Binary<0, 252>;
        /// Outer transport source port, big-endian.
        9 TP_SRC "tp-src": Be16;
        /// Outer transport destination port, big-endian.
        10 TP_DST "tp-dst": Be16;
        /// VXLAN extensions.
        11 VXLAN_OPTS "vxlan-opts": Nest<VxlanExtAttrs>;
        /// Outer IPv6 source.
        12 IPV6_SRC "ipv6-src": Ipv6;
        /// Outer IPv6 destination.
        13 IPV6_DST "ipv6-dst": Ipv6;
        /// Padding for 64-bit alignment.
        14 PAD "pad": Binary<0, 65531>;
        /// `struct erspan_metadata` (12 bytes), raw. The kernel bounds it
        /// only by its tunnel options room, 255 bytes (`IP_TUNNEL_OPTS_MAX`).
        15 ERSPAN_OPTS "erspan-opts": Binary<0, 255>;
        /// IPv4 info bridge mode.
        16 IPV4_INFO_BRIDGE "ipv4-info-bridge": Flag;
    }
}

crate::attr_set! {
    /// `OVS_VXLAN_EXT_*`: VXLAN extensions of a tunnel key.
    pub struct VxlanExtAttrs = "vxlan-ext-attrs" {
        /// Group policy id.
        1 GBP "gbp": u32;
    }
}

crate::attr_set! {
    /// `OVS_NSH_KEY_ATTR_*`: NSH header fields of a flow key.
    pub struct NshKeyAttrs = "ovs-nsh-key-attrs" {
        /// Base header.
        1 BASE "base": Struct<NshBase>;
        /// MD type 1 context.
        2 MD1 "md1": Struct<NshMd1>;
        /// MD type 2 TLVs, raw (1 to 248 bytes, the kernel's
        /// `NSH_CTX_HDRS_MAX_LEN`).
        3 MD2 "md2": Binary<1, 248>;
    }
}
