//! OVS flow table dumps, as `OVS_FLOW_CMD_GET` with `NLM_F_DUMP` returns
//! them: one `OVS_FLOW_CMD_NEW` message per flow, in the kernel's order of
//! attributes (ufid, key, mask, used, stats, tcp-flags, actions) and of
//! key attributes (recirc-id, dp-hash, priority, in-port, skb-mark,
//! ct-state, ct-zone, ct-mark, ethernet, ethertype, ipv4, tcp or udp,
//! tcp-flags). Nests carry `NLA_F_NESTED` (nl-core's writer sets it; the
//! kernel's `nla_nest_start_noflag` does not; readers take both).
//!
//! Keys and actions are written as raw attributes, numbered as in
//! `linux/openvswitch.h`, so the generator does not depend on the typed
//! key and action writers.

use nl_core::nlmsg::Flags;
use nl_core::ovs::Cmd;
use nl_core::ovs::flow::{FlowStats, FlowWriter, append_flow};
use nl_core::{Error, Writer};

use crate::{Dump, pack};

/// Sequence number and port id written in every generated message.
pub const SEQ: u32 = 7;
/// See [`SEQ`].
pub const PORT: u32 = 4242;
/// The `ovs_flow` family id written in every message (resolved at run
/// time in real use).
pub const FAMILY_ID: u16 = 0x1d;
/// The datapath's ifindex in every `ovs_header`.
pub const DP_IFINDEX: i32 = 3;

/// `OVS_KEY_ATTR_*` numbers used here.
pub mod key {
    /// `OVS_KEY_ATTR_PRIORITY`, u32.
    pub const PRIORITY: u16 = 2;
    /// `OVS_KEY_ATTR_IN_PORT`, u32.
    pub const IN_PORT: u16 = 3;
    /// `OVS_KEY_ATTR_ETHERNET`, struct ovs_key_ethernet (12).
    pub const ETHERNET: u16 = 4;
    /// `OVS_KEY_ATTR_ETHERTYPE`, be16.
    pub const ETHERTYPE: u16 = 6;
    /// `OVS_KEY_ATTR_IPV4`, struct ovs_key_ipv4 (12).
    pub const IPV4: u16 = 7;
    /// `OVS_KEY_ATTR_TCP`, struct ovs_key_tcp (4).
    pub const TCP: u16 = 9;
    /// `OVS_KEY_ATTR_UDP`, struct ovs_key_udp (4).
    pub const UDP: u16 = 10;
    /// `OVS_KEY_ATTR_SKB_MARK`, u32.
    pub const SKB_MARK: u16 = 15;
    /// `OVS_KEY_ATTR_TCP_FLAGS`, be16.
    pub const TCP_FLAGS: u16 = 18;
    /// `OVS_KEY_ATTR_DP_HASH`, u32.
    pub const DP_HASH: u16 = 19;
    /// `OVS_KEY_ATTR_RECIRC_ID`, u32.
    pub const RECIRC_ID: u16 = 20;
    /// `OVS_KEY_ATTR_CT_STATE`, u32.
    pub const CT_STATE: u16 = 22;
    /// `OVS_KEY_ATTR_CT_ZONE`, u16.
    pub const CT_ZONE: u16 = 23;
    /// `OVS_KEY_ATTR_CT_MARK`, u32.
    pub const CT_MARK: u16 = 24;
}

/// `OVS_ACTION_ATTR_*` and `OVS_CT_ATTR_*` numbers used here.
pub mod action {
    /// `OVS_ACTION_ATTR_OUTPUT`, u32 port.
    pub const OUTPUT: u16 = 1;
    /// `OVS_ACTION_ATTR_RECIRC`, u32 id.
    pub const RECIRC: u16 = 7;
    /// `OVS_ACTION_ATTR_SET_MASKED`, one key attribute: value then mask.
    pub const SET_MASKED: u16 = 11;
    /// `OVS_ACTION_ATTR_CT`, nest of `OVS_CT_ATTR_*`.
    pub const CT: u16 = 12;
    /// `OVS_CT_ATTR_COMMIT`, flag.
    pub const CT_COMMIT: u16 = 1;
    /// `OVS_CT_ATTR_ZONE`, u16.
    pub const CT_ZONE: u16 = 2;
}

/// Protocol of flow `i`: TCP for two flows in three, else UDP.
pub fn is_tcp(i: usize) -> bool {
    i % 3 != 2
}

/// The ufid of flow `i`: 16 bytes, unique per index.
pub fn ufid(i: usize) -> [u8; 16] {
    let mut id = [0u8; 16];
    let (lo, hi) = id.split_at_mut(8);
    lo.copy_from_slice(&(i as u64).to_le_bytes());
    hi.copy_from_slice(&(i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    id
}

fn u32_attr(w: &mut Writer<'_>, ty: u16, v: u32) -> Result<(), Error> {
    w.attr(ty, &v.to_ne_bytes())
}

/// The key (`mask` false) or its mask (`mask` true) of flow `i`.
fn write_key(w: &mut Writer<'_>, i: usize, mask: bool) -> Result<(), Error> {
    let pick = |value: u32, all: u32| if mask { all } else { value };
    let n = i as u32;
    u32_attr(w, key::RECIRC_ID, pick(n % 4, u32::MAX))?;
    u32_attr(w, key::DP_HASH, pick(n.wrapping_mul(2_654_435_761), 0))?;
    u32_attr(w, key::PRIORITY, pick(0, 0))?;
    u32_attr(w, key::IN_PORT, pick(1 + n % 16, u32::MAX))?;
    u32_attr(w, key::SKB_MARK, pick(n % 7, 0))?;
    u32_attr(
        w,
        key::CT_STATE,
        pick(if n % 2 == 0 { 0x21 } else { 0x22 }, 0x3f),
    )?;
    w.attr(key::CT_ZONE, &(pick(5, 0xffff) as u16).to_ne_bytes())?;
    u32_attr(w, key::CT_MARK, pick(n % 3, 0))?;
    // ovs_key_ethernet: eth_src, eth_dst.
    let mut eth = [0u8; 12];
    if mask {
        eth = [0xff; 12];
    } else {
        eth[..6].copy_from_slice(&[0x02, 0x00, 0x00, 0x00, (n >> 8) as u8, n as u8]);
        eth[6..].copy_from_slice(&[0x02, 0x00, 0x00, 0x01, 0x00, (n % 16) as u8]);
    }
    w.attr(key::ETHERNET, &eth)?;
    w.attr(key::ETHERTYPE, &(pick(0x0800, 0xffff) as u16).to_be_bytes())?;
    // ovs_key_ipv4: src, dst (be32), proto, tos, ttl, frag.
    let proto = if is_tcp(i) { 6 } else { 17 };
    let mut ipv4 = [0u8; 12];
    if mask {
        ipv4 = [
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0xff,
        ];
    } else {
        ipv4[..4].copy_from_slice(&(0x0a00_0000 | (n & 0xffff)).to_be_bytes());
        ipv4[4..8].copy_from_slice(&(0xc0a8_0000 | (n % 256)).to_be_bytes());
        ipv4[8..].copy_from_slice(&[proto, 0, 64, 0]);
    }
    w.attr(key::IPV4, &ipv4)?;
    // ovs_key_tcp / ovs_key_udp: src, dst (be16).
    let ports = if mask {
        [0xff; 4]
    } else {
        let src = (1024 + n % 60_000) as u16;
        let dst: u16 = if is_tcp(i) { 443 } else { 53 };
        let [a, b] = src.to_be_bytes();
        let [c, d] = dst.to_be_bytes();
        [a, b, c, d]
    };
    if is_tcp(i) {
        w.attr(key::TCP, &ports)?;
        w.attr(key::TCP_FLAGS, &(pick(0x0012, 0x0fff) as u16).to_be_bytes())?;
    } else {
        w.attr(key::UDP, &ports)?;
    }
    Ok(())
}

/// The actions of flow `i`: set-masked ethernet and output; ct(commit,
/// zone) and recirc; or two outputs.
fn write_actions(w: &mut Writer<'_>, i: usize) -> Result<(), Error> {
    let n = i as u32;
    match i % 3 {
        0 => {
            let set = w.nest_start(action::SET_MASKED)?;
            let mut value_mask = [0u8; 24];
            value_mask[..6].copy_from_slice(&[0x02, 0x00, 0x00, 0x00, 0x00, 0x09]);
            value_mask[12..18].fill(0xff);
            w.attr(key::ETHERNET, &value_mask)?;
            w.nest_end(set)?;
            u32_attr(w, action::OUTPUT, 2 + n % 8)
        }
        1 => {
            let ct = w.nest_start(action::CT)?;
            w.attr(action::CT_COMMIT, &[])?;
            w.attr(action::CT_ZONE, &5u16.to_ne_bytes())?;
            w.nest_end(ct)?;
            u32_attr(w, action::RECIRC, 1 + n % 4)
        }
        _ => {
            u32_attr(w, action::OUTPUT, 2)?;
            u32_attr(w, action::OUTPUT, 3)
        }
    }
}

/// The attributes of flow `i`, through nl-core's [`FlowWriter`].
fn write_attrs(f: &mut FlowWriter<'_, '_>, i: usize) -> Result<(), Error> {
    f.ufid(&ufid(i))?
        .key(|w| write_key(w, i, false))?
        .mask(|w| write_key(w, i, true))?
        .used(1_000_000 + i as u64)?
        .stats(&FlowStats::new(
            1 + i as u64 % 100,
            64 * (1 + i as u64 % 100),
        ))?;
    if is_tcp(i) {
        f.tcp_flags(0x12)?;
    }
    f.actions(|w| write_actions(w, i))?;
    Ok(())
}

/// Appends flow `i` as a dump reply (`NLM_F_MULTI`).
pub fn write_flow(w: &mut Writer<'_>, i: usize) -> Result<(), Error> {
    append_flow(
        w,
        FAMILY_ID,
        Flags::MULTI,
        SEQ,
        PORT,
        Cmd::New,
        DP_IFINDEX,
        |f| write_attrs(f, i),
    )?;
    Ok(())
}

/// A dump of `count` flows, packed into datagrams, ending with `NLMSG_DONE`.
pub fn flow_dump(count: usize) -> Dump {
    pack(count, SEQ, PORT, write_flow)
}

#[cfg(test)]
mod tests {
    use nl_core::attr::AttrIter;
    use nl_core::nlmsg::{Messages, Reply};
    use nl_core::ovs::flow::Flow;
    use nl_core::table::{AttrSet, Nested};

    use super::*;

    /// The u32 payload of key attribute `ty`, walking the nest's attributes.
    fn attr_u32<S: AttrSet>(nest: Nested<'_, S>, ty: u16) -> Option<u32> {
        AttrIter::new(nest.bytes())
            .map(Result::unwrap)
            .find(|a| a.ty() == ty)
            .map(|a| u32::from_ne_bytes(a.payload().try_into().unwrap()))
    }

    #[test]
    fn the_dump_decodes_back_flow_by_flow() {
        let count = 2_000;
        let dump = flow_dump(count);
        assert_eq!(dump.messages, count);
        assert!(dump.datagrams.len() > 1);
        let mut i = 0;
        let mut done = 0;
        for datagram in &dump.datagrams {
            assert!(datagram.len() <= crate::DATAGRAM_LEN);
            for message in Messages::new(datagram) {
                let message = message.unwrap();
                match Reply::classify(message).unwrap() {
                    Reply::Data(message) => {
                        assert_eq!(message.ty(), FAMILY_ID);
                        assert_eq!((message.seq(), message.pid()), (SEQ, PORT));
                        assert!(message.flags().contains(Flags::MULTI));
                        let flow = Flow::parse(&message).unwrap();
                        assert_eq!(flow.cmd(), Cmd::New);
                        assert_eq!(flow.dp_ifindex(), DP_IFINDEX);
                        assert_eq!(flow.ufid(), Some(&ufid(i)[..]));
                        let key = flow.key().unwrap();
                        let mask = flow.mask().unwrap();
                        assert_eq!(attr_u32(key, key::IN_PORT), Some(1 + i as u32 % 16));
                        assert_eq!(attr_u32(key, key::RECIRC_ID), Some(i as u32 % 4));
                        assert_eq!(attr_u32(mask, key::IN_PORT), Some(u32::MAX));
                        // The mask has the same attribute types as the key.
                        let types = |bytes: &[u8]| {
                            AttrIter::new(bytes)
                                .map(|a| a.unwrap().ty())
                                .collect::<Vec<_>>()
                        };
                        assert_eq!(types(key.bytes()), types(mask.bytes()));
                        let l4 = if is_tcp(i) { key::TCP } else { key::UDP };
                        assert!(types(key.bytes()).contains(&l4));
                        let stats = flow.stats().unwrap();
                        assert_eq!(stats.n_packets.get(), 1 + i as u64 % 100);
                        assert_eq!(flow.used(), Some(1_000_000 + i as u64));
                        assert_eq!(flow.tcp_flags().is_some(), is_tcp(i));
                        let actions = flow.actions().unwrap();
                        let first = AttrIter::new(actions.bytes()).next().unwrap().unwrap();
                        let want = [action::SET_MASKED, action::CT, action::OUTPUT][i % 3];
                        assert_eq!(first.ty(), want);
                        // The key and action tables index what they know without error.
                        key.parse().unwrap();
                        let _ = format!("{flow}");
                        i += 1;
                    }
                    Reply::Done(_) => done += 1,
                    other => panic!("{other:?}"),
                }
            }
        }
        assert_eq!((i, done), (count, 1));
    }

    #[test]
    fn the_dump_is_deterministic_and_ends_with_done() {
        let a = flow_dump(100);
        let b = flow_dump(100);
        assert_eq!(a.datagrams, b.datagrams);
        assert_eq!(flow_dump(0).datagrams.len(), 1);
        assert_eq!(flow_dump(0).bytes(), 20);
        assert_ne!(ufid(1), ufid(2));
    }
}
