//! Typed writing of a flow key or mask: [`KeyWriter`] and [`TunnelWriter`].
//!
//! Each append writes one whole attribute or nothing. Nests (`encap`,
//! `tunnel`, `nsh`) are written through a closure: when it fails, the nest
//! and everything in it are removed again, so a failed append never leaves
//! half a key behind.

use core::net::{Ipv4Addr, Ipv6Addr};

use crate::table::{AttrPut, Field};
use crate::{Error, Writer};

use super::{
    CtState, KeyArp, KeyAttrs, KeyCtTupleIpv4, KeyCtTupleIpv6, KeyEthernet, KeyIcmp, KeyIpv4,
    KeyIpv6, KeyIpv6Exthdrs, KeyMpls, KeyNd, KeySctp, KeyTcp, KeyUdp, MAX_KEY_DEPTH, NshBase,
    NshKeyAttrs, NshMd1, TunnelKeyAttrs, VxlanExtAttrs,
};

/// Appends the attributes of one key level (the payload of a `key` or
/// `mask` nest, or of an `encap`) to a [`Writer`].
///
/// ```
/// use nl_core::Writer;
/// use nl_core::ovs::flow::key::{FlowKey, KeyWriter};
///
/// let mut buf = [0u8; 64];
/// let mut w = Writer::new(&mut buf);
/// KeyWriter::new(&mut w)
///     .in_port(1)?
///     .ethertype(0x8100)?
///     .vlan(0x1000 | 10)?
///     .encap(|inner| inner.ethertype(0x0800).map(|_| ()))?;
/// let key = FlowKey::parse(w.as_bytes())?;
/// assert_eq!(key.in_port(), Some(1));
/// assert_eq!(key.encap().unwrap()?.ethertype(), Some(0x0800));
/// # Ok::<(), nl_core::Error>(())
/// ```
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct KeyWriter<'w, 'b> {
    w: &'w mut Writer<'b>,
    depth: usize,
}

macro_rules! key_appends {
    ($($(#[$doc:meta])* $name:ident: $field:ident, $input:ty;)*) => {$(
        $(#[$doc])*
        pub fn $name(&mut self, value: $input) -> Result<&mut Self, Error> {
            self.put(KeyAttrs::$field, value)
        }
    )*};
}

impl<'w, 'b> KeyWriter<'w, 'b> {
    /// Writes the outermost key level into `w`.
    pub fn new(w: &'w mut Writer<'b>) -> Self {
        KeyWriter { w, depth: 0 }
    }

    /// The nesting level written to (0: outermost).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Appends any key attribute with its typed value.
    pub fn put<K: AttrPut>(
        &mut self,
        field: Field<KeyAttrs, K>,
        value: K::Input<'_>,
    ) -> Result<&mut Self, Error> {
        self.w.put(field, value)?;
        Ok(self)
    }

    key_appends! {
        /// `priority`.
        priority: PRIORITY, u32;
        /// `in-port`.
        in_port: IN_PORT, u32;
        /// `ethernet`.
        eth: ETHERNET, &KeyEthernet;
        /// `vlan` (the TCI, CFI bit included).
        vlan: VLAN, u16;
        /// `ethertype`.
        ethertype: ETHERTYPE, u16;
        /// `ipv4`.
        ipv4: IPV4, &KeyIpv4;
        /// `ipv6`.
        ipv6: IPV6, &KeyIpv6;
        /// `tcp`.
        tcp: TCP, &KeyTcp;
        /// `udp`.
        udp: UDP, &KeyUdp;
        /// `sctp`.
        sctp: SCTP, &KeySctp;
        /// `icmp`.
        icmp: ICMP, &KeyIcmp;
        /// `icmpv6`.
        icmpv6: ICMPV6, &KeyIcmp;
        /// `arp`.
        arp: ARP, &KeyArp;
        /// `nd`.
        nd: ND, &KeyNd;
        /// `skb-mark`.
        skb_mark: SKB_MARK, u32;
        /// `tcp-flags`.
        tcp_flags: TCP_FLAGS, u16;
        /// `dp-hash`.
        dp_hash: DP_HASH, u32;
        /// `recirc-id`.
        recirc_id: RECIRC_ID, u32;
        /// `mpls`: 1 to 3 entries, else [`Error::BadAttrLength`] and nothing written.
        mpls: MPLS, &[KeyMpls];
        /// `ct-zone`.
        ct_zone: CT_ZONE, u16;
        /// `ct-mark`.
        ct_mark: CT_MARK, u32;
        /// `ct-labels`: exactly 16 bytes.
        ct_labels: CT_LABELS, &[u8];
        /// `ct-orig-tuple-ipv4`.
        ct_orig_tuple_ipv4: CT_ORIG_TUPLE_IPV4, &KeyCtTupleIpv4;
        /// `ct-orig-tuple-ipv6`.
        ct_orig_tuple_ipv6: CT_ORIG_TUPLE_IPV6, &KeyCtTupleIpv6;
        /// `packet-type`.
        packet_type: PACKET_TYPE, u32;
        /// `nd-extensions`, raw.
        nd_extensions: ND_EXTENSIONS, &[u8];
        /// `tunnel-info`, raw.
        tunnel_info: TUNNEL_INFO, &[u8];
        /// `ipv6-exthdrs`.
        ipv6_exthdrs: IPV6_EXTHDRS, &KeyIpv6Exthdrs;
    }

    /// `ct-state`.
    pub fn ct_state(&mut self, state: CtState) -> Result<&mut Self, Error> {
        self.put(KeyAttrs::CT_STATE, state.bits())
    }

    /// `encap`: the key one level deeper, written by `body`.
    /// [`Error::TooDeep`] (nothing written) when that level would reach
    /// [`MAX_KEY_DEPTH`]; on any error the nest is removed.
    pub fn encap(
        &mut self,
        body: impl FnOnce(&mut KeyWriter<'_, 'b>) -> Result<(), Error>,
    ) -> Result<&mut Self, Error> {
        let depth = self.depth.saturating_add(1);
        if depth >= MAX_KEY_DEPTH {
            return Err(Error::TooDeep);
        }
        self.w
            .nest_with(KeyAttrs::ENCAP, |w| body(&mut KeyWriter { w, depth }))?;
        Ok(self)
    }

    /// `tunnel`: the tunnel metadata, written by `body`.
    pub fn tunnel(
        &mut self,
        body: impl FnOnce(&mut TunnelWriter<'_, 'b>) -> Result<(), Error>,
    ) -> Result<&mut Self, Error> {
        self.w
            .nest_with(KeyAttrs::TUNNEL, |w| body(&mut TunnelWriter { w }))?;
        Ok(self)
    }

    /// `nsh`: whichever of the base header, MD1 context and MD2 TLVs are given.
    pub fn nsh(
        &mut self,
        base: Option<&NshBase>,
        md1: Option<&NshMd1>,
        md2: Option<&[u8]>,
    ) -> Result<&mut Self, Error> {
        self.w.nest_with(KeyAttrs::NSH, |w| {
            if let Some(base) = base {
                w.put(NshKeyAttrs::BASE, base)?;
            }
            if let Some(md1) = md1 {
                w.put(NshKeyAttrs::MD1, md1)?;
            }
            if let Some(md2) = md2 {
                w.put(NshKeyAttrs::MD2, md2)?;
            }
            Ok(())
        })?;
        Ok(self)
    }
}

/// Appends the attributes of a `tunnel` nest; see [`KeyWriter::tunnel`].
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TunnelWriter<'w, 'b> {
    w: &'w mut Writer<'b>,
}

macro_rules! tunnel_appends {
    ($($(#[$doc:meta])* $name:ident: $field:ident, $input:ty;)*) => {$(
        $(#[$doc])*
        pub fn $name(&mut self, value: $input) -> Result<&mut Self, Error> {
            self.put(TunnelKeyAttrs::$field, value)
        }
    )*};
}

macro_rules! tunnel_flags {
    ($($(#[$doc:meta])* $name:ident: $field:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(&mut self) -> Result<&mut Self, Error> {
            self.put(TunnelKeyAttrs::$field, ())
        }
    )*};
}

impl<'w, 'b> TunnelWriter<'w, 'b> {
    /// Writes tunnel attributes straight into `w` (for a `tunnel` nest the
    /// caller opened, as `set` actions do).
    pub fn new(w: &'w mut Writer<'b>) -> Self {
        TunnelWriter { w }
    }

    /// Appends any tunnel attribute with its typed value.
    pub fn put<K: AttrPut>(
        &mut self,
        field: Field<TunnelKeyAttrs, K>,
        value: K::Input<'_>,
    ) -> Result<&mut Self, Error> {
        self.w.put(field, value)?;
        Ok(self)
    }

    tunnel_appends! {
        /// `id` (type 0).
        id: ID, u64;
        /// `ipv4-src`.
        ipv4_src: IPV4_SRC, Ipv4Addr;
        /// `ipv4-dst`.
        ipv4_dst: IPV4_DST, Ipv4Addr;
        /// `ipv6-src`.
        ipv6_src: IPV6_SRC, Ipv6Addr;
        /// `ipv6-dst`.
        ipv6_dst: IPV6_DST, Ipv6Addr;
        /// `tos`.
        tos: TOS, u8;
        /// `ttl`.
        ttl: TTL, u8;
        /// `tp-src`.
        tp_src: TP_SRC, u16;
        /// `tp-dst`.
        tp_dst: TP_DST, u16;
        /// `erspan-opts` (`struct erspan_metadata`), raw, at most 255 bytes.
        erspan_opts: ERSPAN_OPTS, &[u8];
    }

    tunnel_flags! {
        /// `dont-fragment`.
        dont_fragment: DONT_FRAGMENT;
        /// `csum`.
        csum: CSUM;
        /// `oam`.
        oam: OAM;
        /// `ipv4-info-bridge`.
        ipv4_info_bridge: IPV4_INFO_BRIDGE;
    }

    /// `geneve-opts`: whole 4-byte words, at most 252 bytes, else
    /// [`Error::BadAttrLength`] and nothing written.
    pub fn geneve_opts(&mut self, opts: &[u8]) -> Result<&mut Self, Error> {
        if opts.len() % 4 != 0 {
            return Err(Error::BadAttrLength {
                ty: TunnelKeyAttrs::GENEVE_OPTS.ty(),
                len: opts.len(),
            });
        }
        self.put(TunnelKeyAttrs::GENEVE_OPTS, opts)
    }

    /// `vxlan-opts` with its group policy id.
    pub fn vxlan_gbp(&mut self, gbp: u32) -> Result<&mut Self, Error> {
        self.w.nest_with(TunnelKeyAttrs::VXLAN_OPTS, |w| {
            w.put(VxlanExtAttrs::GBP, gbp)
        })?;
        Ok(self)
    }
}
