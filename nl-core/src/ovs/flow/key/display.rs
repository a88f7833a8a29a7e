//! Text output of flow keys in the style of `ovs-dpctl dump-flows`.
//!
//! A key prints as its attributes in wire order, separated by commas, each
//! as `name(value)` or `name(field=value,…)`:
//!
//! ```text
//! in_port(1),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),eth_type(0x0800),
//! ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0,ttl=64,frag=no),tcp(src=80,dst=8080)
//! ```
//!
//! Names follow `ovs-dpctl`: `skb_priority`, `in_port`, `eth`, `vlan(vid,pcp)`
//! (with `cfi=0` when the CFI bit is clear), `eth_type`, `ipv4`, `ipv6`,
//! `tcp`, `udp`, `sctp`, `icmp`, `icmpv6`, `arp`, `nd`, `skb_mark`,
//! `tunnel(tun_id,src,dst,ipv6_src,ipv6_dst,tos,ttl,tp_src,tp_dst,geneve,vxlan_gbp,erspan,flags=df|csum|oam|bridge)`,
//! `tcp_flags`, `dp_hash`, `recirc_id`, `mpls(label,tc,ttl,bos)` (or
//! `mpls(lse0,lse1,…)` for more than one entry), `ct_state(new|trk…)`,
//! `ct_zone`, `ct_mark`, `ct_label`, `ct_tuple4`, `ct_tuple6`,
//! `nsh(flags,ttl,mdtype,np,spi,si,c1..c4,md2)`, `packet_type(ns,id)`,
//! `nd_ext`, `tunnel_info`, `ipv6_exthdrs`, `encap(…)` around the inner
//! key, and `key<N>(hex)` for a type this library does not know. Numbers
//! that are identifiers or bit fields print in hex as C's `%#x` does
//! (`0` for zero).
//!
//! With a mask ([`FlowKey::with_mask`]) each field the mask also has prints
//! as `value/mask`, the mask in hex (addresses as addresses). Malformed
//! bytes print as `<error: …>`; an `encap` chain reaching
//! [`MAX_KEY_DEPTH`] prints `<error: nesting too deep>`.

use core::fmt::{self, Write};
use core::net::{Ipv4Addr, Ipv6Addr};

use heapless::Vec;

use crate::Error;
use crate::attr::AttrIter;
use crate::table::Index;

use super::reader::{MplsLabels, NshKey, TunnelKey};
use super::{
    CtState, FlowKey, FragType, KeyArp, KeyAttrs, KeyCtTupleIpv4, KeyCtTupleIpv6, KeyEthernet,
    KeyIcmp, KeyIpv4, KeyIpv6, KeyIpv6Exthdrs, KeyNd, KeySctp, KeyTcp, KeyUdp, MAX_KEY_DEPTH,
    VxlanExtAttrs,
};

/// A key with its mask, printed as `field(value/mask)`; see [`FlowKey::with_mask`].
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MaskedKeyDisplay<'a> {
    key: FlowKey<'a>,
    mask: FlowKey<'a>,
}

impl<'a> FlowKey<'a> {
    /// Prints this key with `mask` as `field(value/mask)`.
    pub fn with_mask(&self, mask: FlowKey<'a>) -> MaskedKeyDisplay<'a> {
        MaskedKeyDisplay { key: *self, mask }
    }
}

impl fmt::Display for FlowKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_level(f, self.index().bytes(), None, self.depth())
    }
}

impl fmt::Display for MaskedKeyDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_level(
            f,
            self.key.index().bytes(),
            Some(self.mask.index().bytes()),
            self.key.depth(),
        )
    }
}

/// One printable field value.
#[derive(Clone, Copy)]
enum Val<'a> {
    Dec(u64),
    Hex(u64),
    EthType(u16),
    Ip4(Ipv4Addr),
    Ip6(Ipv6Addr),
    Mac([u8; 6]),
    Frag(u8),
    State(u32),
    TunFlags(u8),
    Bytes(&'a [u8]),
}

/// Named fields of one attribute; an empty name prints the bare value.
type Fields<'a> = Vec<(&'static str, Val<'a>), 16>;

fn write_hex(f: &mut dyn Write, v: u64) -> fmt::Result {
    if v == 0 {
        f.write_char('0')
    } else {
        write!(f, "{v:#x}")
    }
}

fn write_bytes(f: &mut dyn Write, bytes: &[u8]) -> fmt::Result {
    for b in bytes {
        write!(f, "{b:02x}")?;
    }
    Ok(())
}

fn write_mac(f: &mut dyn Write, mac: &[u8; 6]) -> fmt::Result {
    let [a, b, c, d, e, g] = *mac;
    write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
}

/// A field's value as a key shows it.
fn write_val(f: &mut dyn Write, v: Val<'_>) -> fmt::Result {
    match v {
        Val::Dec(n) => write!(f, "{n}"),
        Val::Hex(n) => write_hex(f, n),
        Val::EthType(t) => write!(f, "{t:#06x}"),
        Val::Ip4(ip) => write!(f, "{ip}"),
        Val::Ip6(ip) => write!(f, "{ip}"),
        Val::Mac(mac) => write_mac(f, &mac),
        // ovs-dpctl's word for "not a fragment"; the spec's is `none`.
        Val::Frag(n) => match FragType::from(n) {
            FragType::None => f.write_str("no"),
            other => write!(f, "{other}"),
        },
        Val::State(s) => write!(f, "{}", CtState(s)),
        Val::TunFlags(bits) => {
            let names = ["df", "csum", "oam", "bridge"];
            let set = names
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, n)| *n);
            crate::named::write_flags(f, set, 0, "|")
        }
        Val::Bytes(b) => write_bytes(f, b),
    }
}

/// A field's value as a mask shows it: numbers in hex.
fn write_mask(f: &mut dyn Write, v: Val<'_>) -> fmt::Result {
    match v {
        Val::Dec(n) | Val::Hex(n) => write_hex(f, n),
        Val::EthType(n) => write_hex(f, u64::from(n)),
        Val::Frag(n) => write_hex(f, u64::from(n)),
        Val::State(n) => write_hex(f, u64::from(n)),
        Val::TunFlags(n) => write_hex(f, u64::from(n)),
        other => write_val(f, other),
    }
}

/// The `ovs-dpctl` name of a key attribute.
fn attr_name(ty: u16) -> Option<&'static str> {
    Some(match ty {
        1 => "encap",
        2 => "skb_priority",
        3 => "in_port",
        4 => "eth",
        5 => "vlan",
        6 => "eth_type",
        7 => "ipv4",
        8 => "ipv6",
        9 => "tcp",
        10 => "udp",
        11 => "icmp",
        12 => "icmpv6",
        13 => "arp",
        14 => "nd",
        15 => "skb_mark",
        16 => "tunnel",
        17 => "sctp",
        18 => "tcp_flags",
        19 => "dp_hash",
        20 => "recirc_id",
        21 => "mpls",
        22 => "ct_state",
        23 => "ct_zone",
        24 => "ct_mark",
        25 => "ct_label",
        26 => "ct_tuple4",
        27 => "ct_tuple6",
        28 => "nsh",
        29 => "packet_type",
        30 => "nd_ext",
        31 => "tunnel_info",
        32 => "ipv6_exthdrs",
        _ => return None,
    })
}

/// Writes one key level (and its mask's matching attributes).
fn write_level(f: &mut dyn Write, key: &[u8], mask: Option<&[u8]>, depth: usize) -> fmt::Result {
    if depth >= MAX_KEY_DEPTH {
        return write!(f, "<error: {}>", Error::TooDeep);
    }
    // The parse validates every attribute's length, so the typed reads below hold.
    if let Err(e) = Index::<KeyAttrs>::parse(key) {
        return write!(f, "<error: {e}>");
    }
    let mask = match mask.map(Index::<KeyAttrs>::parse) {
        Some(Err(e)) => return write!(f, "<error: mask: {e}>"),
        Some(Ok(index)) => Some(index),
        None => None,
    };
    for (i, attr) in AttrIter::new(key).enumerate() {
        let Ok(attr) = attr else { break };
        if i > 0 {
            f.write_char(',')?;
        }
        let ty = attr.ty();
        let mask_payload = mask.as_ref().and_then(|m| m.raw(ty));
        let Some(name) = attr_name(ty) else {
            write!(f, "key{ty}(")?;
            write_bytes(f, attr.payload())?;
            f.write_char(')')?;
            continue;
        };
        f.write_str(name)?;
        f.write_char('(')?;
        if ty == KeyAttrs::ENCAP.ty() {
            write_level(f, attr.payload(), mask_payload, depth.saturating_add(1))?;
        } else {
            match fields(ty, attr.payload()) {
                Ok(values) => {
                    let masks = mask_payload.map(|m| fields(ty, m));
                    match masks {
                        Some(Err(e)) => write!(f, "<error: mask: {e}>")?,
                        Some(Ok(masks)) => write_fields(f, &values, Some(&masks))?,
                        None => write_fields(f, &values, None)?,
                    }
                }
                Err(e) => write!(f, "<error: {e}>")?,
            }
        }
        f.write_char(')')?;
    }
    Ok(())
}

fn write_fields(f: &mut dyn Write, values: &Fields<'_>, masks: Option<&Fields<'_>>) -> fmt::Result {
    for (i, (name, value)) in values.iter().enumerate() {
        if i > 0 {
            f.write_char(',')?;
        }
        if !name.is_empty() {
            write!(f, "{name}=")?;
        }
        write_val(f, *value)?;
        let mask = masks.and_then(|m| m.iter().find(|(n, _)| n == name));
        if let Some((_, mask)) = mask {
            f.write_char('/')?;
            write_mask(f, *mask)?;
        }
    }
    Ok(())
}

/// Pushes fields, ignoring a full vector (capacity covers every attribute).
fn push<'a>(out: &mut Fields<'a>, items: &[(&'static str, Val<'a>)]) {
    for item in items {
        let _ = out.push(*item);
    }
}

fn ip4(v: zerocopy::byteorder::network_endian::U32) -> Val<'static> {
    Val::Ip4(Ipv4Addr::from(v.get()))
}

fn port(v: zerocopy::byteorder::network_endian::U16) -> Val<'static> {
    Val::Dec(u64::from(v.get()))
}

fn dec(v: impl Into<u64>) -> Val<'static> {
    Val::Dec(v.into())
}

fn hex(v: impl Into<u64>) -> Val<'static> {
    Val::Hex(v.into())
}

/// Reads `T` from a payload the index already validated.
fn read<T>(p: &[u8]) -> Result<&T, Error>
where
    T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable,
{
    T::ref_from_prefix(p)
        .map(|(v, _)| v)
        .map_err(|_| Error::Truncated)
}

fn int(p: &[u8]) -> u64 {
    let mut out = [0u8; 8];
    for (dst, src) in out.iter_mut().zip(p.iter()) {
        *dst = *src;
    }
    u64::from_ne_bytes(out)
}

fn be(p: &[u8]) -> u64 {
    p.iter().fold(0, |v, b| (v << 8) | u64::from(*b))
}

/// The fields of key attribute `ty` (not `encap`).
fn fields(ty: u16, p: &[u8]) -> Result<Fields<'_>, Error> {
    let mut out = Fields::new();
    match ty {
        3 => push(&mut out, &[("", dec(int(p)))]),
        2 | 15 | 19 | 20 | 24 => push(&mut out, &[("", hex(int(p)))]),
        23 => push(&mut out, &[("", hex(int(p)))]),
        18 => push(&mut out, &[("", hex(be(p)))]),
        4 => {
            let e = read::<KeyEthernet>(p)?;
            push(
                &mut out,
                &[("src", Val::Mac(e.eth_src)), ("dst", Val::Mac(e.eth_dst))],
            );
        }
        5 => {
            let tci = be(p);
            push(
                &mut out,
                &[("vid", dec(tci & 0xfff)), ("pcp", dec(tci >> 13))],
            );
            if tci & 0x1000 == 0 {
                push(&mut out, &[("cfi", dec(0u8))]);
            }
        }
        6 => push(&mut out, &[("", Val::EthType(be(p) as u16))]),
        7 => {
            let k = read::<KeyIpv4>(p)?;
            push(
                &mut out,
                &[
                    ("src", ip4(k.ipv4_src)),
                    ("dst", ip4(k.ipv4_dst)),
                    ("proto", dec(k.ipv4_proto)),
                    ("tos", hex(k.ipv4_tos)),
                    ("ttl", dec(k.ipv4_ttl)),
                    ("frag", Val::Frag(k.ipv4_frag)),
                ],
            );
        }
        8 => {
            let k = read::<KeyIpv6>(p)?;
            push(
                &mut out,
                &[
                    ("src", Val::Ip6(k.src())),
                    ("dst", Val::Ip6(k.dst())),
                    ("label", hex(k.ipv6_label.get())),
                    ("proto", dec(k.ipv6_proto)),
                    ("tclass", hex(k.ipv6_tclass)),
                    ("hlimit", dec(k.ipv6_hlimit)),
                    ("frag", Val::Frag(k.ipv6_frag)),
                ],
            );
        }
        9 => {
            let k = read::<KeyTcp>(p)?;
            push(
                &mut out,
                &[("src", port(k.tcp_src)), ("dst", port(k.tcp_dst))],
            );
        }
        10 => {
            let k = read::<KeyUdp>(p)?;
            push(
                &mut out,
                &[("src", port(k.udp_src)), ("dst", port(k.udp_dst))],
            );
        }
        17 => {
            let k = read::<KeySctp>(p)?;
            push(
                &mut out,
                &[("src", port(k.sctp_src)), ("dst", port(k.sctp_dst))],
            );
        }
        11 | 12 => {
            let k = read::<KeyIcmp>(p)?;
            push(
                &mut out,
                &[("type", dec(k.icmp_type)), ("code", dec(k.icmp_code))],
            );
        }
        13 => {
            let k = read::<KeyArp>(p)?;
            push(
                &mut out,
                &[
                    ("sip", ip4(k.arp_sip)),
                    ("tip", ip4(k.arp_tip)),
                    ("op", port(k.arp_op)),
                    ("sha", Val::Mac(k.arp_sha)),
                    ("tha", Val::Mac(k.arp_tha)),
                ],
            );
        }
        14 => {
            let k = read::<KeyNd>(p)?;
            push(
                &mut out,
                &[
                    ("target", Val::Ip6(Ipv6Addr::from(k.nd_target))),
                    ("sll", Val::Mac(k.nd_sll)),
                    ("tll", Val::Mac(k.nd_tll)),
                ],
            );
        }
        16 => tunnel_fields(&mut out, TunnelKey::parse(p)?)?,
        21 => {
            let labels = MplsLabels::new(p);
            labels.check()?;
            let mut entries = labels.iter();
            match (entries.next(), entries.next()) {
                (Some(one), None) => push(
                    &mut out,
                    &[
                        ("label", dec(one.label())),
                        ("tc", dec(one.tc())),
                        ("ttl", dec(one.ttl())),
                        ("bos", dec(one.bos())),
                    ],
                ),
                _ => {
                    for (name, entry) in ["lse0", "lse1", "lse2"].iter().zip(labels.iter()) {
                        push(&mut out, &[(*name, hex(entry.mpls_lse.get()))]);
                    }
                }
            }
        }
        22 => push(&mut out, &[("", Val::State(int(p) as u32))]),
        25 => push(&mut out, &[("", Val::Bytes(p))]),
        26 => {
            let k = read::<KeyCtTupleIpv4>(p)?;
            push(
                &mut out,
                &[
                    ("src", ip4(k.ipv4_src)),
                    ("dst", ip4(k.ipv4_dst)),
                    ("proto", dec(k.ipv4_proto)),
                    ("tp_src", port(k.src_port)),
                    ("tp_dst", port(k.dst_port)),
                ],
            );
        }
        27 => {
            let k = read::<KeyCtTupleIpv6>(p)?;
            push(
                &mut out,
                &[
                    ("src", Val::Ip6(Ipv6Addr::from(k.ipv6_src))),
                    ("dst", Val::Ip6(Ipv6Addr::from(k.ipv6_dst))),
                    ("proto", dec(k.ipv6_proto)),
                    ("tp_src", port(k.src_port)),
                    ("tp_dst", port(k.dst_port)),
                ],
            );
        }
        28 => nsh_fields(&mut out, NshKey::parse(p)?),
        29 => {
            let t = be(p);
            push(&mut out, &[("ns", dec(t >> 16)), ("id", hex(t & 0xffff))]);
        }
        32 => {
            let k = read::<KeyIpv6Exthdrs>(p)?;
            push(&mut out, &[("", hex(k.hdrs.get()))]);
        }
        _ => push(&mut out, &[("", Val::Bytes(p))]),
    }
    Ok(out)
}

fn tunnel_fields<'a>(out: &mut Fields<'a>, t: TunnelKey<'a>) -> Result<(), Error> {
    t.validate()?;
    if let Some(id) = t.id() {
        push(out, &[("tun_id", hex(id))]);
    }
    if let Some(ip) = t.ipv4_src() {
        push(out, &[("src", Val::Ip4(ip))]);
    }
    if let Some(ip) = t.ipv4_dst() {
        push(out, &[("dst", Val::Ip4(ip))]);
    }
    if let Some(ip) = t.ipv6_src() {
        push(out, &[("ipv6_src", Val::Ip6(ip))]);
    }
    if let Some(ip) = t.ipv6_dst() {
        push(out, &[("ipv6_dst", Val::Ip6(ip))]);
    }
    if let Some(tos) = t.tos() {
        push(out, &[("tos", hex(tos))]);
    }
    if let Some(ttl) = t.ttl() {
        push(out, &[("ttl", dec(ttl))]);
    }
    if let Some(port) = t.tp_src() {
        push(out, &[("tp_src", dec(port))]);
    }
    if let Some(port) = t.tp_dst() {
        push(out, &[("tp_dst", dec(port))]);
    }
    if let Some(opts) = t.geneve_opts() {
        push(out, &[("geneve", Val::Bytes(opts))]);
    }
    if let Some(vxlan) = t.vxlan_opts() {
        if let Some(gbp) = vxlan?.get(VxlanExtAttrs::GBP) {
            push(out, &[("vxlan_gbp", hex(gbp))]);
        }
    }
    if let Some(opts) = t.erspan_opts() {
        push(out, &[("erspan", Val::Bytes(opts))]);
    }
    let flags = u8::from(t.dont_fragment())
        | (u8::from(t.csum()) << 1)
        | (u8::from(t.oam()) << 2)
        | (u8::from(t.ipv4_info_bridge()) << 3);
    push(out, &[("flags", Val::TunFlags(flags))]);
    Ok(())
}

fn nsh_fields<'a>(out: &mut Fields<'a>, n: NshKey<'a>) {
    if let Some(b) = n.base() {
        push(
            out,
            &[
                ("flags", dec(b.flags)),
                ("ttl", dec(b.ttl)),
                ("mdtype", dec(b.mdtype)),
                ("np", dec(b.np)),
                ("spi", hex(b.spi())),
                ("si", dec(b.si())),
            ],
        );
    }
    if let Some(md1) = n.md1() {
        for (name, word) in ["c1", "c2", "c3", "c4"].iter().zip(md1.context.iter()) {
            push(out, &[(*name, hex(word.get()))]);
        }
    }
    if let Some(md2) = n.md2() {
        push(out, &[("md2", Val::Bytes(md2))]);
    }
}
