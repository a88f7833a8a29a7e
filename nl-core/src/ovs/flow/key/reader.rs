//! Typed reading of a flow key or mask: [`FlowKey`] and the views of its
//! nests ([`TunnelKey`], [`NshKey`]) and of its MPLS labels ([`MplsLabels`]).

use crate::Error;
use crate::attr::AttrIter;
use crate::table::{Index, Nested};

use super::{
    CtState, KeyArp, KeyAttrs, KeyCtTupleIpv4, KeyCtTupleIpv6, KeyEthernet, KeyIcmp, KeyIpv4,
    KeyIpv6, KeyIpv6Exthdrs, KeyMpls, KeyNd, KeySctp, KeyTcp, KeyUdp, NshBase, NshKeyAttrs, NshMd1,
    TunnelKeyAttrs, VxlanExtAttrs,
};

/// How many key levels may nest through `encap`, the outermost key
/// included: a key at level `MAX_KEY_DEPTH - 1` may not hold an `encap`.
/// The kernel itself parses at most two 802.1Q tags (three levels).
pub const MAX_KEY_DEPTH: usize = 4;

/// A parsed flow key (or mask): the `key-attrs` of one level, with typed
/// getters. Getters return `None` when the attribute is absent; lengths
/// were checked by the parse, so a present attribute always decodes.
///
/// Nests are parsed on demand: [`FlowKey::encap`], [`FlowKey::tunnel`],
/// [`FlowKey::nsh`]. [`FlowKey::validate`] walks everything at once.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FlowKey<'a> {
    index: Index<'a, KeyAttrs>,
    depth: usize,
}

impl<'a> FlowKey<'a> {
    /// Parses the payload of a key or mask nest (the outermost level).
    #[inline]
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        Ok(FlowKey {
            index: Index::parse(bytes)?,
            depth: 0,
        })
    }

    /// Wraps an index parsed elsewhere, as the outermost level.
    pub fn from_index(index: Index<'a, KeyAttrs>) -> Self {
        FlowKey { index, depth: 0 }
    }

    /// The underlying index (for attributes without a getter here).
    #[inline]
    pub fn index(&self) -> &Index<'a, KeyAttrs> {
        &self.index
    }

    /// The nesting level: 0 for the outermost key, 1 inside one `encap`…
    #[inline]
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// `skb->priority`.
    #[inline]
    pub fn priority(&self) -> Option<u32> {
        self.index.get(KeyAttrs::PRIORITY)
    }

    /// The datapath port the packet came in on.
    #[inline]
    pub fn in_port(&self) -> Option<u32> {
        self.index.get(KeyAttrs::IN_PORT)
    }

    /// Source and destination MAC.
    #[inline]
    pub fn eth(&self) -> Option<&'a KeyEthernet> {
        self.index.get(KeyAttrs::ETHERNET)
    }

    /// 802.1Q TCI.
    #[inline]
    pub fn vlan(&self) -> Option<u16> {
        self.index.get(KeyAttrs::VLAN)
    }

    /// Ethernet type.
    #[inline]
    pub fn ethertype(&self) -> Option<u16> {
        self.index.get(KeyAttrs::ETHERTYPE)
    }

    /// IPv4 fields.
    #[inline]
    pub fn ipv4(&self) -> Option<&'a KeyIpv4> {
        self.index.get(KeyAttrs::IPV4)
    }

    /// IPv6 fields.
    #[inline]
    pub fn ipv6(&self) -> Option<&'a KeyIpv6> {
        self.index.get(KeyAttrs::IPV6)
    }

    /// TCP ports.
    #[inline]
    pub fn tcp(&self) -> Option<&'a KeyTcp> {
        self.index.get(KeyAttrs::TCP)
    }

    /// UDP ports.
    #[inline]
    pub fn udp(&self) -> Option<&'a KeyUdp> {
        self.index.get(KeyAttrs::UDP)
    }

    /// SCTP ports.
    #[inline]
    pub fn sctp(&self) -> Option<&'a KeySctp> {
        self.index.get(KeyAttrs::SCTP)
    }

    /// ICMP type and code.
    #[inline]
    pub fn icmp(&self) -> Option<&'a KeyIcmp> {
        self.index.get(KeyAttrs::ICMP)
    }

    /// ICMPv6 type and code.
    #[inline]
    pub fn icmpv6(&self) -> Option<&'a KeyIcmp> {
        self.index.get(KeyAttrs::ICMPV6)
    }

    /// ARP fields.
    #[inline]
    pub fn arp(&self) -> Option<&'a KeyArp> {
        self.index.get(KeyAttrs::ARP)
    }

    /// Neighbour discovery fields.
    #[inline]
    pub fn nd(&self) -> Option<&'a KeyNd> {
        self.index.get(KeyAttrs::ND)
    }

    /// `skb->mark`.
    #[inline]
    pub fn skb_mark(&self) -> Option<u32> {
        self.index.get(KeyAttrs::SKB_MARK)
    }

    /// TCP flags.
    #[inline]
    pub fn tcp_flags(&self) -> Option<u16> {
        self.index.get(KeyAttrs::TCP_FLAGS)
    }

    /// Datapath hash.
    #[inline]
    pub fn dp_hash(&self) -> Option<u32> {
        self.index.get(KeyAttrs::DP_HASH)
    }

    /// Recirculation id.
    #[inline]
    pub fn recirc_id(&self) -> Option<u32> {
        self.index.get(KeyAttrs::RECIRC_ID)
    }

    /// The MPLS label stack entries.
    #[inline]
    pub fn mpls(&self) -> Option<MplsLabels<'a>> {
        self.index.get(KeyAttrs::MPLS)
    }

    /// Conntrack state.
    #[inline]
    pub fn ct_state(&self) -> Option<CtState> {
        self.index.get(KeyAttrs::CT_STATE).map(CtState)
    }

    /// Conntrack zone.
    #[inline]
    pub fn ct_zone(&self) -> Option<u16> {
        self.index.get(KeyAttrs::CT_ZONE)
    }

    /// Conntrack mark.
    #[inline]
    pub fn ct_mark(&self) -> Option<u32> {
        self.index.get(KeyAttrs::CT_MARK)
    }

    /// Conntrack labels, 16 bytes.
    #[inline]
    pub fn ct_labels(&self) -> Option<&'a [u8]> {
        self.index.get(KeyAttrs::CT_LABELS)
    }

    /// Original tuple of an IPv4 connection.
    #[inline]
    pub fn ct_orig_tuple_ipv4(&self) -> Option<&'a KeyCtTupleIpv4> {
        self.index.get(KeyAttrs::CT_ORIG_TUPLE_IPV4)
    }

    /// Original tuple of an IPv6 connection.
    #[inline]
    pub fn ct_orig_tuple_ipv6(&self) -> Option<&'a KeyCtTupleIpv6> {
        self.index.get(KeyAttrs::CT_ORIG_TUPLE_IPV6)
    }

    /// Packet type (namespace in the high 16 bits).
    #[inline]
    pub fn packet_type(&self) -> Option<u32> {
        self.index.get(KeyAttrs::PACKET_TYPE)
    }

    /// Neighbour discovery extensions, raw.
    #[inline]
    pub fn nd_extensions(&self) -> Option<&'a [u8]> {
        self.index.get(KeyAttrs::ND_EXTENSIONS)
    }

    /// Kernel-internal tunnel info, raw.
    #[inline]
    pub fn tunnel_info(&self) -> Option<&'a [u8]> {
        self.index.get(KeyAttrs::TUNNEL_INFO)
    }

    /// IPv6 extension headers seen.
    #[inline]
    pub fn ipv6_exthdrs(&self) -> Option<&'a KeyIpv6Exthdrs> {
        self.index.get(KeyAttrs::IPV6_EXTHDRS)
    }

    /// The key inside the 802.1Q tag, one level deeper.
    /// [`Error::TooDeep`] when that level would reach [`MAX_KEY_DEPTH`].
    pub fn encap(&self) -> Option<Result<FlowKey<'a>, Error>> {
        let nested = self.index.get(KeyAttrs::ENCAP)?;
        Some(self.nested_key(nested))
    }

    fn nested_key(&self, nested: Nested<'a, KeyAttrs>) -> Result<FlowKey<'a>, Error> {
        let depth = self.depth.saturating_add(1);
        if depth >= MAX_KEY_DEPTH {
            return Err(Error::TooDeep);
        }
        Ok(FlowKey {
            index: nested.parse()?,
            depth,
        })
    }

    /// The tunnel metadata.
    pub fn tunnel(&self) -> Option<Result<TunnelKey<'a>, Error>> {
        let nested = self.index.get(KeyAttrs::TUNNEL)?;
        Some(nested.parse().map(|index| TunnelKey { index }))
    }

    /// The NSH fields.
    pub fn nsh(&self) -> Option<Result<NshKey<'a>, Error>> {
        let nested = self.index.get(KeyAttrs::NSH)?;
        Some(nested.parse().map(|index| NshKey { index }))
    }

    /// Checks everything the parse of this level left for later, for every
    /// occurrence of each attribute (not only the last, which the getters
    /// return): the MPLS length (a multiple of 4), the tunnel nest (and its
    /// VXLAN nest, and Geneve options a multiple of 4), the NSH nest, and
    /// each `encap` down to [`MAX_KEY_DEPTH`] ([`Error::TooDeep`] past it).
    #[inline]
    pub fn validate(&self) -> Result<(), Error> {
        validate_level(self.index.bytes(), self.depth)
    }
}

/// Validates one level's attributes and nests, recursing into `encap`
/// (the recursion is bounded by [`MAX_KEY_DEPTH`]).
fn validate_level(bytes: &[u8], depth: usize) -> Result<(), Error> {
    if depth >= MAX_KEY_DEPTH {
        return Err(Error::TooDeep);
    }
    for attr in AttrIter::new(bytes) {
        let attr = attr?;
        let payload = attr.payload();
        match attr.ty() {
            ty if ty == KeyAttrs::ENCAP.ty() => {
                Index::<KeyAttrs>::parse(payload)?;
                validate_level(payload, depth.saturating_add(1))?;
            }
            ty if ty == KeyAttrs::TUNNEL.ty() => TunnelKey::parse(payload)?.validate()?,
            ty if ty == KeyAttrs::MPLS.ty() => MplsLabels::new(payload).check()?,
            ty if ty == KeyAttrs::NSH.ty() => {
                NshKey::parse(payload)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The MPLS label stack entries of a key, in wire order (outermost first).
///
/// Yields each whole 4-byte entry; [`MplsLabels::check`] tells whether the
/// payload was a whole number of entries.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MplsLabels<'a> {
    bytes: &'a [u8],
}

impl<'a> MplsLabels<'a> {
    /// The entries of an `mpls` payload.
    pub fn new(bytes: &'a [u8]) -> Self {
        MplsLabels { bytes }
    }

    /// The raw payload.
    #[inline]
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Whole entries in the payload.
    #[inline]
    pub fn count(&self) -> usize {
        self.bytes.len() / 4
    }

    /// [`Error::BadAttrLength`] unless the payload is 1 to 3 whole entries.
    pub fn check(&self) -> Result<(), Error> {
        let len = self.bytes.len();
        if len % 4 != 0 || !(1..=super::MAX_MPLS_LABELS).contains(&(len / 4)) {
            return Err(Error::BadAttrLength {
                ty: KeyAttrs::MPLS.ty(),
                len,
            });
        }
        Ok(())
    }

    /// The entries.
    pub fn iter(&self) -> impl Iterator<Item = KeyMpls> + 'a {
        self.bytes.chunks_exact(4).filter_map(|chunk| {
            let raw: [u8; 4] = chunk.try_into().ok()?;
            Some(KeyMpls {
                mpls_lse: u32::from_be_bytes(raw).into(),
            })
        })
    }
}

/// The tunnel metadata of a key (`tunnel-key-attrs`).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TunnelKey<'a> {
    index: Index<'a, TunnelKeyAttrs>,
}

impl<'a> TunnelKey<'a> {
    /// Parses a tunnel nest's payload.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        Ok(TunnelKey {
            index: Index::parse(bytes)?,
        })
    }

    /// The underlying index.
    #[inline]
    pub fn index(&self) -> &Index<'a, TunnelKeyAttrs> {
        &self.index
    }

    /// Tunnel id (attribute type 0).
    #[inline]
    pub fn id(&self) -> Option<u64> {
        self.index.get(TunnelKeyAttrs::ID)
    }

    /// Outer IPv4 source.
    #[inline]
    pub fn ipv4_src(&self) -> Option<core::net::Ipv4Addr> {
        self.index.get(TunnelKeyAttrs::IPV4_SRC)
    }

    /// Outer IPv4 destination.
    #[inline]
    pub fn ipv4_dst(&self) -> Option<core::net::Ipv4Addr> {
        self.index.get(TunnelKeyAttrs::IPV4_DST)
    }

    /// Outer IPv6 source.
    #[inline]
    pub fn ipv6_src(&self) -> Option<core::net::Ipv6Addr> {
        self.index.get(TunnelKeyAttrs::IPV6_SRC)
    }

    /// Outer IPv6 destination.
    #[inline]
    pub fn ipv6_dst(&self) -> Option<core::net::Ipv6Addr> {
        self.index.get(TunnelKeyAttrs::IPV6_DST)
    }

    /// Outer ToS.
    #[inline]
    pub fn tos(&self) -> Option<u8> {
        self.index.get(TunnelKeyAttrs::TOS)
    }

    /// Outer TTL.
    #[inline]
    pub fn ttl(&self) -> Option<u8> {
        self.index.get(TunnelKeyAttrs::TTL)
    }

    /// DF is set.
    #[inline]
    pub fn dont_fragment(&self) -> bool {
        self.index.has(TunnelKeyAttrs::DONT_FRAGMENT)
    }

    /// Checksummed.
    #[inline]
    pub fn csum(&self) -> bool {
        self.index.has(TunnelKeyAttrs::CSUM)
    }

    /// OAM frame.
    #[inline]
    pub fn oam(&self) -> bool {
        self.index.has(TunnelKeyAttrs::OAM)
    }

    /// IPv4 info bridge mode.
    #[inline]
    pub fn ipv4_info_bridge(&self) -> bool {
        self.index.has(TunnelKeyAttrs::IPV4_INFO_BRIDGE)
    }

    /// Outer transport source port.
    #[inline]
    pub fn tp_src(&self) -> Option<u16> {
        self.index.get(TunnelKeyAttrs::TP_SRC)
    }

    /// Outer transport destination port.
    #[inline]
    pub fn tp_dst(&self) -> Option<u16> {
        self.index.get(TunnelKeyAttrs::TP_DST)
    }

    /// Geneve options, raw.
    #[inline]
    pub fn geneve_opts(&self) -> Option<&'a [u8]> {
        self.index.get(TunnelKeyAttrs::GENEVE_OPTS)
    }

    /// ERSPAN metadata, raw.
    #[inline]
    pub fn erspan_opts(&self) -> Option<&'a [u8]> {
        self.index.get(TunnelKeyAttrs::ERSPAN_OPTS)
    }

    /// The VXLAN extensions.
    pub fn vxlan_opts(&self) -> Option<Result<Index<'a, VxlanExtAttrs>, Error>> {
        self.index
            .get(TunnelKeyAttrs::VXLAN_OPTS)
            .map(|n| n.parse())
    }

    /// Checks the VXLAN nest and that Geneve options are whole 4-byte words.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(opts) = self.geneve_opts()
            && opts.len() % 4 != 0
        {
            return Err(Error::BadAttrLength {
                ty: TunnelKeyAttrs::GENEVE_OPTS.ty(),
                len: opts.len(),
            });
        }
        if let Some(vxlan) = self.vxlan_opts() {
            vxlan?;
        }
        Ok(())
    }
}

/// The NSH fields of a key (`ovs-nsh-key-attrs`).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NshKey<'a> {
    index: Index<'a, NshKeyAttrs>,
}

impl<'a> NshKey<'a> {
    /// Parses an NSH nest's payload.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        Ok(NshKey {
            index: Index::parse(bytes)?,
        })
    }

    /// The underlying index.
    #[inline]
    pub fn index(&self) -> &Index<'a, NshKeyAttrs> {
        &self.index
    }

    /// The base header.
    #[inline]
    pub fn base(&self) -> Option<&'a NshBase> {
        self.index.get(NshKeyAttrs::BASE)
    }

    /// MD type 1 context.
    #[inline]
    pub fn md1(&self) -> Option<&'a NshMd1> {
        self.index.get(NshKeyAttrs::MD1)
    }

    /// MD type 2 TLVs, raw.
    #[inline]
    pub fn md2(&self) -> Option<&'a [u8]> {
        self.index.get(NshKeyAttrs::MD2)
    }
}
