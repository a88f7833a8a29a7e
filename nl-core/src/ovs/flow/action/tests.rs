//! Byte vectors built from `linux/openvswitch.h`, field by field (for a
//! little-endian host), round trips and property tests.

extern crate std;
use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use core::net::{IpAddr, Ipv4Addr};

use super::*;
use crate::table::{AttrSet, NlStr};
use crate::{Error, Writer};

/// One flow's actions: every action once. `n` is the high byte of every
/// nest's type (0x80 with `NLA_F_NESTED`, 0x00 without).
#[rustfmt::skip]
fn every_action(n: u8) -> Vec<u8> {
    vec![
        // offset 0: output 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, OVS_ACTION_ATTR_OUTPUT (1)
        0x01, 0x00, 0x00, 0x00, //   port 1
        // offset 8: ct
        0x38, 0x00, 0x0c, n,    // nla_len = 56, OVS_ACTION_ATTR_CT (12)
        0x04, 0x00, 0x01, 0x00, //   nla_len = 4, OVS_CT_ATTR_COMMIT (1)
        0x06, 0x00, 0x02, 0x00, //   nla_len = 6, OVS_CT_ATTR_ZONE (2)
        0x05, 0x00, 0x00, 0x00, //     zone 5 (u16) + 2 padding
        0x28, 0x00, 0x06, n,    //   nla_len = 40, OVS_CT_ATTR_NAT (6)
        0x04, 0x00, 0x01, 0x00, //     nla_len = 4, OVS_NAT_ATTR_SRC (1)
        0x08, 0x00, 0x03, 0x00, //     nla_len = 8, OVS_NAT_ATTR_IP_MIN (3)
        0x0a, 0x00, 0x00, 0x01, //       10.0.0.1
        0x08, 0x00, 0x04, 0x00, //     nla_len = 8, OVS_NAT_ATTR_IP_MAX (4)
        0x0a, 0x00, 0x00, 0x09, //       10.0.0.9
        0x06, 0x00, 0x05, 0x00, //     nla_len = 6, OVS_NAT_ATTR_PROTO_MIN (5)
        0xe8, 0x03, 0x00, 0x00, //       1000 (host-endian u16) + 2 padding
        0x06, 0x00, 0x06, 0x00, //     nla_len = 6, OVS_NAT_ATTR_PROTO_MAX (6)
        0xd0, 0x07, 0x00, 0x00, //       2000 + 2 padding
        // offset 64: recirc 1
        0x08, 0x00, 0x07, 0x00, // nla_len = 8, OVS_ACTION_ATTR_RECIRC (7)
        0x01, 0x00, 0x00, 0x00, //   recirc_id 1
        // offset 72: clone(output 2)
        0x0c, 0x00, 0x14, n,    // nla_len = 12, OVS_ACTION_ATTR_CLONE (20)
        0x08, 0x00, 0x01, 0x00, //   nla_len = 8, OVS_ACTION_ATTR_OUTPUT
        0x02, 0x00, 0x00, 0x00, //     port 2
        // offset 84: set(priority 7)
        0x0c, 0x00, 0x03, n,    // nla_len = 12, OVS_ACTION_ATTR_SET (3)
        0x08, 0x00, 0x02, 0x00, //   nla_len = 8, OVS_KEY_ATTR_PRIORITY (2)
        0x07, 0x00, 0x00, 0x00, //     7
        // offset 96: set-masked(priority 7/0xff)
        0x10, 0x00, 0x0b, n,    // nla_len = 16, OVS_ACTION_ATTR_SET_MASKED (11)
        0x0c, 0x00, 0x02, 0x00, //   nla_len = 12, OVS_KEY_ATTR_PRIORITY
        0x07, 0x00, 0x00, 0x00, //     value 7
        0xff, 0x00, 0x00, 0x00, //     mask 0xff
        // offset 112: push_vlan
        0x08, 0x00, 0x04, 0x00, // nla_len = 8, OVS_ACTION_ATTR_PUSH_VLAN (4)
        0x81, 0x00,             //   vlan_tpid 0x8100 (be16)
        0x10, 0x64,             //   vlan_tci 0x1064 (be16): pcp 0, CFI, vid 100
        // offset 120: pop_vlan
        0x04, 0x00, 0x05, 0x00, // nla_len = 4, OVS_ACTION_ATTR_POP_VLAN (5)
        // offset 124: sample(100%, output 3)
        0x18, 0x00, 0x06, n,    // nla_len = 24, OVS_ACTION_ATTR_SAMPLE (6)
        0x08, 0x00, 0x01, 0x00, //   nla_len = 8, OVS_SAMPLE_ATTR_PROBABILITY (1)
        0xff, 0xff, 0xff, 0xff, //     u32::MAX: every packet
        0x0c, 0x00, 0x02, n,    //   nla_len = 12, OVS_SAMPLE_ATTR_ACTIONS (2)
        0x08, 0x00, 0x01, 0x00, //     nla_len = 8, OVS_ACTION_ATTR_OUTPUT
        0x03, 0x00, 0x00, 0x00, //       port 3
        // offset 148: hash
        0x0c, 0x00, 0x08, 0x00, // nla_len = 12, OVS_ACTION_ATTR_HASH (8)
        0x00, 0x00, 0x00, 0x00, //   hash_alg OVS_HASH_ALG_L4 (u32)
        0x05, 0x00, 0x00, 0x00, //   hash_basis 5 (u32)
        // offset 160: push_mpls
        0x0c, 0x00, 0x09, 0x00, // nla_len = 12, OVS_ACTION_ATTR_PUSH_MPLS (9)
        0x00, 0x06, 0x41, 0x40, //   mpls_lse (be32): label 100, tc 0, bos 1, ttl 64
        0x88, 0x47,             //   mpls_ethertype ETH_P_MPLS_UC (be16)
        0x00, 0x00,             //   struct tail padding
        // offset 172: pop_mpls
        0x06, 0x00, 0x0a, 0x00, // nla_len = 6, OVS_ACTION_ATTR_POP_MPLS (10)
        0x08, 0x00, 0x00, 0x00, //   ethertype 0x0800 (be16) + 2 padding
        // offset 180: trunc
        0x08, 0x00, 0x0d, 0x00, // nla_len = 8, OVS_ACTION_ATTR_TRUNC (13)
        0x64, 0x00, 0x00, 0x00, //   max_len 100 (u32)
        // offset 188: push_eth
        0x10, 0x00, 0x0e, 0x00, // nla_len = 16, OVS_ACTION_ATTR_PUSH_ETH (14)
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01, // eth_src 02:00:00:00:00:01
        0x02, 0x00, 0x00, 0x00, 0x00, 0x02, // eth_dst 02:00:00:00:00:02
        // offset 204: pop_eth, ct_clear
        0x04, 0x00, 0x0f, 0x00, // nla_len = 4, OVS_ACTION_ATTR_POP_ETH (15)
        0x04, 0x00, 0x10, 0x00, // nla_len = 4, OVS_ACTION_ATTR_CT_CLEAR (16)
        // offset 212: push_nsh
        0x0c, 0x00, 0x11, n,    // nla_len = 12, OVS_ACTION_ATTR_PUSH_NSH (17)
        0x08, 0x00, 0x03, 0x00, //   nla_len = 8, OVS_NSH_KEY_ATTR_MD2 (3)
        0xaa, 0xbb, 0xcc, 0xdd, //     4 bytes of TLVs
        // offset 224: pop_nsh
        0x04, 0x00, 0x12, 0x00, // nla_len = 4, OVS_ACTION_ATTR_POP_NSH (18)
        // offset 228: meter 7
        0x08, 0x00, 0x13, 0x00, // nla_len = 8, OVS_ACTION_ATTR_METER (19)
        0x07, 0x00, 0x00, 0x00, //   meter id 7
        // offset 236: check_pkt_len
        0x24, 0x00, 0x15, n,    // nla_len = 36, OVS_ACTION_ATTR_CHECK_PKT_LEN (21)
        0x06, 0x00, 0x01, 0x00, //   nla_len = 6, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN (1)
        0xdc, 0x05, 0x00, 0x00, //     1500 (u16) + 2 padding
        0x0c, 0x00, 0x02, n,    //   nla_len = 12, ..._ACTIONS_IF_GREATER (2)
        0x08, 0x00, 0x01, 0x00, //     nla_len = 8, OVS_ACTION_ATTR_OUTPUT
        0x04, 0x00, 0x00, 0x00, //       port 4
        0x0c, 0x00, 0x03, n,    //   nla_len = 12, ..._ACTIONS_IF_LESS_EQUAL (3)
        0x08, 0x00, 0x01, 0x00, //     nla_len = 8, OVS_ACTION_ATTR_OUTPUT
        0x05, 0x00, 0x00, 0x00, //       port 5
        // offset 272: add_mpls
        0x0c, 0x00, 0x16, 0x00, // nla_len = 12, OVS_ACTION_ATTR_ADD_MPLS (22)
        0x00, 0x06, 0x41, 0x40, //   mpls_lse (be32)
        0x88, 0x47,             //   mpls_ethertype (be16)
        0x01, 0x00,             //   tun_flags OVS_MPLS_L3_TUNNEL_FLAG_MASK (u16)
        // offset 284: dec_ttl with an empty list
        0x08, 0x00, 0x17, n,    // nla_len = 8, OVS_ACTION_ATTR_DEC_TTL (23)
        0x04, 0x00, 0x01, n,    //   nla_len = 4, OVS_DEC_TTL_ATTR_ACTION (1): no actions
        // offset 292: userspace
        0x20, 0x00, 0x02, n,    // nla_len = 32, OVS_ACTION_ATTR_USERSPACE (2)
        0x08, 0x00, 0x01, 0x00, //   nla_len = 8, OVS_USERSPACE_ATTR_PID (1)
        0x2a, 0x00, 0x00, 0x00, //     42
        0x06, 0x00, 0x02, 0x00, //   nla_len = 6, OVS_USERSPACE_ATTR_USERDATA (2)
        0x01, 0x02, 0x00, 0x00, //     01 02 + 2 padding
        0x08, 0x00, 0x03, 0x00, //   nla_len = 8, OVS_USERSPACE_ATTR_EGRESS_TUN_PORT (3)
        0x03, 0x00, 0x00, 0x00, //     3
        0x04, 0x00, 0x04, 0x00, //   nla_len = 4, OVS_USERSPACE_ATTR_ACTIONS (4)
        // offset 324: drop
        0x08, 0x00, 0x18, 0x00, // nla_len = 8, OVS_ACTION_ATTR_DROP (24)
        0x00, 0x00, 0x00, 0x00, //   error code 0
        // offset 332: psample
        0x14, 0x00, 0x19, n,    // nla_len = 20, OVS_ACTION_ATTR_PSAMPLE (25)
        0x08, 0x00, 0x01, 0x00, //   nla_len = 8, OVS_PSAMPLE_ATTR_GROUP (1)
        0x0a, 0x00, 0x00, 0x00, //     10
        0x08, 0x00, 0x02, 0x00, //   nla_len = 8, OVS_PSAMPLE_ATTR_COOKIE (2)
        0xde, 0xad, 0xbe, 0xef, //     cookie
        // offset 352
    ]
}

const EVERY_LEN: usize = 352;

const EVERY_TEXT: &str = "1,ct(commit,zone=5,nat(src=10.0.0.1-10.0.0.9:1000-2000)),recirc(0x1),\
clone(2),set(priority(07000000)),set(priority(07000000/ff000000)),push_vlan(vid=100,pcp=0),\
pop_vlan,sample(sample=100.0%,actions(3)),hash(l4(5)),\
push_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847),pop_mpls(eth_type=0x800),trunc(100),\
push_eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),pop_eth,ct_clear,push_nsh(08000300aabbccdd),\
pop_nsh,meter(7),check_pkt_len(size=1500,gt(4),le(5)),\
add_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847,tun_flags=0x1),dec_ttl(le_1(drop)),\
userspace(pid=42,userdata(0102),actions,tunnel_out_port=3),drop,psample(group=10,cookie=0xdeadbeef)";

const LSE: u32 = 100 << 12 | 1 << 8 | 64;

fn nat_10() -> Nat {
    Nat {
        src: true,
        ip_min: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))),
        ip_max: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 9))),
        proto_min: Some(1000),
        proto_max: Some(2000),
        ..Nat::default()
    }
}

/// Writes [`every_action`] with the typed writer.
fn write_every(a: &mut ActionWriter<'_, '_>) -> Result<(), Error> {
    a.output(1)?;
    a.ct(&Ct {
        commit: true,
        zone: Some(5),
        nat: Some(nat_10()),
        ..Ct::default()
    })?;
    a.recirc(1)?;
    a.clone_with(|c| c.output(2))?;
    a.set(2, &7u32.to_ne_bytes())?;
    a.set_masked(2, &7u32.to_ne_bytes(), &0xffu32.to_ne_bytes())?;
    a.push_vlan(&PushVlan::new(0x8100, 0x1064))?;
    a.pop_vlan()?;
    a.sample(u32::MAX, |s| s.output(3))?;
    a.hash(&Hash::new(structs::OVS_HASH_ALG_L4, 5))?;
    a.push_mpls(&PushMpls::new(LSE, structs::ETH_P_MPLS_UC))?;
    a.pop_mpls(0x0800)?;
    a.trunc(100)?;
    a.push_eth(&PushEth {
        eth_src: [2, 0, 0, 0, 0, 1],
        eth_dst: [2, 0, 0, 0, 0, 2],
    })?;
    a.pop_eth()?;
    a.ct_clear()?;
    a.push_nsh(|w| w.attr(3, &[0xaa, 0xbb, 0xcc, 0xdd]))?;
    a.pop_nsh()?;
    a.meter(7)?;
    a.check_pkt_len(1500, |g| g.output(4), |l| l.output(5))?;
    a.add_mpls(&AddMpls::new(
        LSE,
        structs::ETH_P_MPLS_UC,
        structs::OVS_MPLS_L3_TUNNEL_FLAG_MASK,
    ))?;
    a.dec_ttl(|_| Ok(()))?;
    a.userspace(&Userspace {
        pid: 42,
        userdata: Some(&[1, 2]),
        egress_tun_port: Some(3),
        actions: true,
    })?;
    a.drop_with(0)?;
    a.psample(&Psample {
        group: 10,
        cookie: Some(&[0xde, 0xad, 0xbe, 0xef]),
    })
}

fn decode_all(bytes: &[u8]) -> Result<Vec<Action<'_>>, Error> {
    Actions::new(bytes).collect()
}

#[test]
fn type_numbers_are_the_headers() {
    // linux/openvswitch.h: enum ovs_action_attr (DROP and PSAMPLE from Linux 6.4 / 6.11)
    let numbers = [
        ActionAttrs::OUTPUT.ty(),
        ActionAttrs::USERSPACE.ty(),
        ActionAttrs::SET.ty(),
        ActionAttrs::PUSH_VLAN.ty(),
        ActionAttrs::POP_VLAN.ty(),
        ActionAttrs::SAMPLE.ty(),
        ActionAttrs::RECIRC.ty(),
        ActionAttrs::HASH.ty(),
        ActionAttrs::PUSH_MPLS.ty(),
        ActionAttrs::POP_MPLS.ty(),
        ActionAttrs::SET_MASKED.ty(),
        ActionAttrs::CT.ty(),
        ActionAttrs::TRUNC.ty(),
        ActionAttrs::PUSH_ETH.ty(),
        ActionAttrs::POP_ETH.ty(),
        ActionAttrs::CT_CLEAR.ty(),
        ActionAttrs::PUSH_NSH.ty(),
        ActionAttrs::POP_NSH.ty(),
        ActionAttrs::METER.ty(),
        ActionAttrs::CLONE.ty(),
        ActionAttrs::CHECK_PKT_LEN.ty(),
        ActionAttrs::ADD_MPLS.ty(),
        ActionAttrs::DEC_TTL.ty(),
        ActionAttrs::DROP.ty(),
        ActionAttrs::PSAMPLE.ty(),
    ];
    assert_eq!(
        numbers,
        core::array::from_fn::<u16, 25, _>(|i| i as u16 + 1)
    );
    // enum ovs_userspace_attr, ovs_sample_attr, ovs_check_pkt_len_attr, ovs_dec_ttl_attr
    assert_eq!(UserspaceAttrs::ACTIONS.ty(), 4);
    assert_eq!(SampleAttrs::ACTIONS.ty(), 2);
    assert_eq!(CheckPktLenAttrs::ACTIONS_IF_LESS_EQUAL.ty(), 3);
    assert_eq!(DecTtlAttrs::ACTION.ty(), 1);
    // enum ovs_ct_attr, ovs_nat_attr
    assert_eq!(CtAttrs::TIMEOUT.ty(), 9);
    assert_eq!(CtAttrs::NAT.ty(), 6);
    assert_eq!(NatAttrs::PROTO_RANDOM.ty(), 9);
    assert_eq!(PsampleAttrs::COOKIE.ty(), 2);
    let table = <ActionAttrs as AttrSet>::table();
    assert_eq!(table.name, "action-attrs");
    assert_eq!(table.name_of(21), Some("check-pkt-len"));
    assert_eq!(MAX_ACTION_DEPTH, 16); // OVS_COPY_ACTIONS_MAX_DEPTH
}

#[test]
fn struct_layouts_are_the_headers() {
    use zerocopy::IntoBytes;
    assert_eq!(core::mem::size_of::<PushVlan>(), 4);
    assert_eq!(core::mem::size_of::<Hash>(), 8);
    assert_eq!(
        core::mem::size_of::<PushMpls>(),
        8,
        "be32 + be16 + tail padding"
    );
    assert_eq!(core::mem::size_of::<AddMpls>(), 8);
    assert_eq!(core::mem::size_of::<Trunc>(), 4);
    assert_eq!(core::mem::size_of::<PushEth>(), 12);
    // vlan_tpid be16, vlan_tci be16
    assert_eq!(
        PushVlan::new(0x88a8, 0x2001).as_bytes(),
        &[0x88, 0xa8, 0x20, 0x01]
    );
    // hash_alg u32, hash_basis u32
    assert_eq!(
        Hash::new(1, 0x0102_0304).as_bytes(),
        &[1, 0, 0, 0, 4, 3, 2, 1]
    );
    // mpls_lse be32, mpls_ethertype be16, padding
    assert_eq!(
        PushMpls::new(0x0102_0304, 0x8848).as_bytes(),
        &[1, 2, 3, 4, 0x88, 0x48, 0, 0]
    );
    // mpls_lse be32, mpls_ethertype be16, tun_flags u16
    assert_eq!(
        AddMpls::new(0x0102_0304, 0x8847, 0x0201).as_bytes(),
        &[1, 2, 3, 4, 0x88, 0x47, 1, 2]
    );
    // max_len u32
    assert_eq!(Trunc::new(0x0102_0304).as_bytes(), &[4, 3, 2, 1]);
    use crate::table::{MemberKind, WireStruct};
    assert_eq!(PushVlan::MEMBERS[1].name, "vlan-tci");
    assert_eq!(AddMpls::MEMBERS[2].offset, 6);
    assert_eq!(PushEth::MEMBERS[1].kind, MemberKind::Mac);
    assert_eq!(Trunc::MEMBERS[0].name, "max-len");
}

#[test]
fn parse_every_action() {
    let bytes = every_action(0x80);
    assert_eq!(bytes.len(), EVERY_LEN);
    let actions = decode_all(&bytes).unwrap();
    let nested = |from: usize, to: usize| Actions::new(&bytes[from..to]);
    let want = vec![
        Action::Output(1),
        Action::Ct(Ct {
            commit: true,
            zone: Some(5),
            nat: Some(nat_10()),
            ..Ct::default()
        }),
        Action::Recirc(1),
        Action::Clone(nested(76, 84)),
        Action::Set(KeyAttr {
            raw_ty: 2,
            value: &[7, 0, 0, 0],
        }),
        Action::SetMasked(MaskedKeyAttr {
            raw_ty: 2,
            value: &[7, 0, 0, 0],
            mask: &[0xff, 0, 0, 0],
        }),
        Action::PushVlan(PushVlan::new(0x8100, 0x1064)),
        Action::PopVlan,
        Action::Sample(Sample {
            probability: u32::MAX,
            actions: nested(140, 148),
        }),
        Action::Hash(Hash::new(0, 5)),
        Action::PushMpls(PushMpls::new(LSE, 0x8847)),
        Action::PopMpls(0x0800),
        Action::Trunc(100),
        Action::PushEth(PushEth {
            eth_src: [2, 0, 0, 0, 0, 1],
            eth_dst: [2, 0, 0, 0, 0, 2],
        }),
        Action::PopEth,
        Action::CtClear,
        Action::PushNsh(&bytes[216..224]),
        Action::PopNsh,
        Action::Meter(7),
        Action::CheckPktLen(CheckPktLen {
            pkt_len: 1500,
            if_greater: nested(252, 260),
            if_less_equal: nested(264, 272),
        }),
        Action::AddMpls(AddMpls::new(LSE, 0x8847, 1)),
        Action::DecTtl(nested(292, 292)),
        Action::Userspace(Userspace {
            pid: 42,
            userdata: Some(&[1, 2]),
            egress_tun_port: Some(3),
            actions: true,
        }),
        Action::Drop(0),
        Action::Psample(Psample {
            group: 10,
            cookie: Some(&[0xde, 0xad, 0xbe, 0xef]),
        }),
    ];
    assert_eq!(actions, want);
    assert_eq!(actions.iter().map(Action::ty).max(), Some(25));
    assert_eq!(validate(&bytes), Ok(()));
    let nsh = crate::ovs::flow::key::NshKey::parse(&bytes[216..224]).unwrap();
    assert!(nsh.base().is_none());
}

#[test]
fn emit_every_action_and_nothing_more() {
    let want = every_action(0x80);
    let mut buf = [0xa5u8; EVERY_LEN + 8];
    let mut w = Writer::new(&mut buf);
    write_every(&mut ActionWriter::new(&mut w)).unwrap();
    assert_eq!(w.len(), EVERY_LEN);
    assert_eq!(&buf[..EVERY_LEN], &want[..]);
    assert_eq!(&buf[EVERY_LEN..], &[0xa5; 8]);
}

#[test]
fn display_every_action_like_ovs_dpctl() {
    let bytes = every_action(0x80);
    assert_eq!(Actions::new(&bytes).to_string(), EVERY_TEXT);
    assert_eq!(Actions::new(&[]).to_string(), "drop");
    let first = Actions::new(&bytes).next().unwrap().unwrap();
    assert_eq!(first.to_string(), "1");
}

#[test]
fn nests_without_nla_f_nested_decode_the_same() {
    let flagged = every_action(0x80);
    let bare = every_action(0x00);
    assert_ne!(flagged, bare);
    assert_eq!(validate(&bare), Ok(()));
    assert_eq!(Actions::new(&bare).to_string(), EVERY_TEXT);
    // Apart from nested lists (compared by bytes), the decoded values are equal.
    let (a, b) = (decode_all(&flagged).unwrap(), decode_all(&bare).unwrap());
    for (x, y) in a.iter().zip(&b) {
        if x.nested_lists()[0].is_none() && !matches!(x, Action::PushNsh(_)) {
            assert_eq!(x, y);
        }
    }
    // Re-encoding what was decoded writes the flags.
    let mut buf = [0xa5u8; EVERY_LEN];
    let mut w = Writer::new(&mut buf);
    ActionWriter::new(&mut w)
        .actions(Actions::new(&bare))
        .unwrap();
    // push_nsh's payload is copied as it is: its inner attribute has no flags either way.
    assert_eq!(w.as_bytes(), &flagged[..]);
}

#[test]
fn truncated_input_is_an_error_never_a_panic() {
    let bytes = every_action(0x80);
    for len in 0..bytes.len() {
        let cut = &bytes[..len];
        let result = validate(cut);
        // Cuts on an action boundary are a shorter valid list.
        if result.is_ok() {
            assert!(decode_all(cut).is_ok());
        }
        let _ = Actions::new(cut).to_string();
    }
    assert_eq!(validate(&bytes[..3]), Err(Error::Truncated));
    assert_eq!(validate(&bytes[..12]), Err(Error::Truncated));
}

#[test]
fn wrong_lengths_are_typed_errors() {
    #[rustfmt::skip]
    let cases: [(&[u8], Error); 9] = [
        // output with 3 bytes
        (&[0x07, 0x00, 0x01, 0x00, 1, 2, 3, 0], Error::BadAttrLength { ty: 1, len: 3 }),
        // push_vlan with 2 bytes (struct of 4)
        (&[0x06, 0x00, 0x04, 0x00, 0x81, 0x00, 0, 0], Error::BadAttrLength { ty: 4, len: 2 }),
        // pop_vlan with a payload
        (&[0x05, 0x00, 0x05, 0x00, 1, 0, 0, 0], Error::BadAttrLength { ty: 5, len: 1 }),
        // set-masked with an odd key length (3 bytes)
        (&[0x0c, 0x00, 0x0b, 0x80, 0x07, 0x00, 0x02, 0x00, 1, 2, 3, 0],
            Error::BadAttrLength { ty: 2, len: 3 }),
        // set holding two key attributes
        (&[0x0c, 0x00, 0x03, 0x80, 0x04, 0x00, 0x02, 0x00, 0x04, 0x00, 0x03, 0x00],
            Error::BadPayload { ty: 3 }),
        // set holding nothing
        (&[0x04, 0x00, 0x03, 0x80], Error::Truncated),
        // sample without its probability
        (&[0x08, 0x00, 0x06, 0x80, 0x04, 0x00, 0x02, 0x80], Error::MissingAttr { ty: 1 }),
        // check_pkt_len without its lists
        (&[0x0c, 0x00, 0x15, 0x80, 0x06, 0x00, 0x01, 0x00, 0xdc, 0x05, 0, 0],
            Error::MissingAttr { ty: 2 }),
        // ct mark of 4 bytes instead of value + mask
        (&[0x0c, 0x00, 0x0c, 0x80, 0x08, 0x00, 0x03, 0x00, 1, 0, 0, 0],
            Error::BadAttrLength { ty: 3, len: 4 }),
    ];
    for (bytes, err) in cases {
        assert_eq!(validate(bytes), Err(err), "{bytes:02x?}");
        assert_eq!(
            Actions::new(bytes).to_string(),
            format!("error({})", err.message())
        );
    }
    // A bad action nested in a clone is found by the walk, not by the iterator.
    #[rustfmt::skip]
    let nested_bad = [
        0x0c, 0x00, 0x14, 0x80, // nla_len = 12, clone
        0x07, 0x00, 0x01, 0x00, //   nla_len = 7, output: 3 bytes
        1, 2, 3, 0,
    ];
    assert_eq!(decode_all(&nested_bad).map(|v| v.len()), Ok(1));
    assert_eq!(
        validate(&nested_bad),
        Err(Error::BadAttrLength { ty: 1, len: 3 })
    );
}

#[test]
fn longer_structs_and_unknown_actions_are_accepted() {
    #[rustfmt::skip]
    let bytes = [
        0x0c, 0x00, 0x04, 0x00, // nla_len = 12, push_vlan with 8 bytes
        0x81, 0x00, 0x00, 0x05, //   tpid 0x8100, tci 5 (no CFI)
        0xee, 0xee, 0xee, 0xee, //   a grown struct's tail
        0x06, 0x00, 0x63, 0x00, // nla_len = 6, type 99 (unknown)
        0x01, 0x02, 0x00, 0x00, //   2 bytes + padding
    ];
    let actions = decode_all(&bytes).unwrap();
    assert_eq!(
        actions,
        [
            Action::PushVlan(PushVlan::new(0x8100, 5)),
            Action::Unknown {
                raw_ty: 99,
                payload: &[1, 2]
            }
        ]
    );
    assert_eq!(
        Actions::new(&bytes).to_string(),
        "push_vlan(vid=5,pcp=0,cfi=0),action99(0102)"
    );
}

#[test]
fn ct_and_nat_display_every_field() {
    let helper = *b"ftp";
    let ct = Ct {
        commit: true,
        force_commit: true,
        zone: Some(1),
        mark: Some(Masked {
            value: 1,
            mask: 0xff,
        }),
        labels: Some(Masked {
            value: [0x11; 16],
            mask: [0xff; 16],
        }),
        helper: Some(NlStr(&helper)),
        timeout: Some(NlStr(b"t1")),
        eventmask: Some(0x8),
        nat: Some(Nat {
            dst: true,
            ip_min: Some("fe80::1".parse().unwrap()),
            ip_max: Some("fe80::2".parse().unwrap()),
            persistent: true,
            proto_hash: true,
            proto_random: true,
            ..Nat::default()
        }),
    };
    assert_eq!(
        ct.to_string(),
        "ct(commit,force_commit,zone=1,mark=0x1/0xff,\
         label=0x11111111111111111111111111111111/0xffffffffffffffffffffffffffffffff,\
         helper=ftp,timeout=t1,eventmask=0x8,\
         nat(dst=[fe80::1]-[fe80::2],persistent,hash,random))"
    );
    assert_eq!(Ct::default().to_string(), "ct");
    assert_eq!(Nat::default().to_string(), "nat");
    #[rustfmt::skip]
    let mut want = vec![
        0x98, 0x00, 0x0c, 0x80, // nla_len = 152, OVS_ACTION_ATTR_CT | NLA_F_NESTED
        0x04, 0x00, 0x01, 0x00, //   nla_len = 4, OVS_CT_ATTR_COMMIT (1)
        0x06, 0x00, 0x02, 0x00, //   nla_len = 6, OVS_CT_ATTR_ZONE (2)
        0x01, 0x00, 0x00, 0x00, //     zone 1 (u16) + 2 padding
        0x0c, 0x00, 0x03, 0x00, //   nla_len = 12, OVS_CT_ATTR_MARK (3)
        0x01, 0x00, 0x00, 0x00, //     value 1 (u32)
        0xff, 0x00, 0x00, 0x00, //     mask 0xff (u32)
        0x24, 0x00, 0x04, 0x00, //   nla_len = 36, OVS_CT_ATTR_LABELS (4)
    ];
    want.extend_from_slice(&[0x11; 16]); // value (OVS_CT_LABELS_LEN bytes)
    want.extend_from_slice(&[0xff; 16]); // mask
    #[rustfmt::skip]
    want.extend_from_slice(&[
        0x08, 0x00, 0x05, 0x00, //   nla_len = 8, OVS_CT_ATTR_HELPER (5)
        b'f', b't', b'p', 0x00, //     "ftp\0"
        0x3c, 0x00, 0x06, 0x80, //   nla_len = 60, OVS_CT_ATTR_NAT (6) | NLA_F_NESTED
        0x04, 0x00, 0x02, 0x00, //     nla_len = 4, OVS_NAT_ATTR_DST (2)
        0x14, 0x00, 0x03, 0x00, //     nla_len = 20, OVS_NAT_ATTR_IP_MIN (3): in6_addr
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // fe80::1
        0x14, 0x00, 0x04, 0x00, //     nla_len = 20, OVS_NAT_ATTR_IP_MAX (4)
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, // fe80::2
        0x04, 0x00, 0x07, 0x00, //     nla_len = 4, OVS_NAT_ATTR_PERSISTENT (7)
        0x04, 0x00, 0x08, 0x00, //     nla_len = 4, OVS_NAT_ATTR_PROTO_HASH (8)
        0x04, 0x00, 0x09, 0x00, //     nla_len = 4, OVS_NAT_ATTR_PROTO_RANDOM (9)
        0x04, 0x00, 0x07, 0x00, //   nla_len = 4, OVS_CT_ATTR_FORCE_COMMIT (7)
        0x08, 0x00, 0x08, 0x00, //   nla_len = 8, OVS_CT_ATTR_EVENTMASK (8)
        0x08, 0x00, 0x00, 0x00, //     0x8 (bit 3)
        0x07, 0x00, 0x09, 0x00, //   nla_len = 7, OVS_CT_ATTR_TIMEOUT (9)
        b't', b'1', 0x00, 0x00, //     "t1\0" + 1 padding
    ]);
    assert_eq!(want.len(), 152);
    let mut buf = [0xa5u8; 160];
    let mut w = Writer::new(&mut buf);
    ActionWriter::new(&mut w).ct(&ct).unwrap();
    assert_eq!(w.as_bytes(), &want[..]);
    assert_eq!(&buf[152..], &[0xa5; 8]);
    assert_eq!(decode_all(&want).unwrap(), [Action::Ct(ct)]);
}

#[test]
fn failed_appends_leave_the_writer_as_it_was() {
    let want = every_action(0x80);
    // Every buffer shorter than the list fails somewhere, with the needed
    // length, and the writer keeps only whole actions.
    for size in 0..EVERY_LEN {
        let mut buf = vec![0xa5u8; size];
        let mut w = Writer::new(&mut buf);
        let err = write_every(&mut ActionWriter::new(&mut w)).unwrap_err();
        assert!(
            matches!(err, Error::NoRoom { needed } if needed > size),
            "{size}: {err:?}"
        );
        let kept = w.len();
        assert_eq!(validate(w.as_bytes()), Ok(()));
        assert_eq!(w.as_bytes(), &want[..kept]);
    }
    // A closure's error cancels its nest and everything in it.
    let mut buf = [0xa5u8; 64];
    let mut w = Writer::new(&mut buf);
    let mut a = ActionWriter::new(&mut w);
    a.output(1).unwrap();
    let err = a.check_pkt_len(100, |g| g.output(2), |_| Err(Error::CapacityExceeded));
    assert_eq!(err, Err(Error::CapacityExceeded));
    assert_eq!(a.writer().len(), 8);
    // set-masked with value and mask of different lengths writes nothing.
    assert_eq!(
        a.set_masked(2, &[1, 2], &[3]),
        Err(Error::BadAttrLength { ty: 2, len: 3 })
    );
    assert_eq!(a.writer().len(), 8);
    // A helper name too long for the kernel writes nothing.
    let long = Ct {
        helper: Some(NlStr(b"0123456789abcdef")),
        ..Ct::default()
    };
    assert_eq!(a.ct(&long), Err(Error::BadAttrLength { ty: 5, len: 16 }));
    assert_eq!(a.writer().len(), 8);
}

/// `depth` clones nested in each other around `output 1`.
fn clones(a: &mut ActionWriter<'_, '_>, depth: usize) -> Result<(), Error> {
    if depth == 0 {
        a.output(1)
    } else {
        a.clone_with(|inner| clones(inner, depth - 1))
    }
}

/// `depth` clones nested in each other, written without the writer's bound.
fn raw_clones(depth: usize) -> Vec<u8> {
    let mut buf = vec![0u8; 4 * depth + 8];
    let mut w = Writer::new(&mut buf);
    let starts: Vec<_> = (0..depth).map(|_| w.nest_start(20).unwrap()).collect();
    w.attr(1, &1u32.to_ne_bytes()).unwrap();
    for start in starts.into_iter().rev() {
        w.nest_end(start).unwrap();
    }
    let len = w.len();
    buf.truncate(len);
    buf
}

#[test]
fn depth_bound_on_write_read_and_display() {
    let mut buf = [0xa5u8; 256];
    let mut w = Writer::new(&mut buf);
    clones(&mut ActionWriter::new(&mut w), MAX_ACTION_DEPTH).unwrap();
    assert_eq!(validate(w.as_bytes()), Ok(()));
    assert_eq!(w.as_bytes(), &raw_clones(MAX_ACTION_DEPTH)[..]);
    let mut w = Writer::new(&mut buf);
    assert_eq!(
        clones(&mut ActionWriter::new(&mut w), MAX_ACTION_DEPTH + 1),
        Err(Error::TooDeep)
    );
    assert!(w.is_empty(), "every nest cancelled");

    let deep = raw_clones(MAX_ACTION_DEPTH + 1);
    assert_eq!(validate(&deep), Err(Error::TooDeep));
    let levels = MAX_ACTION_DEPTH + 1;
    let want = format!(
        "{}error(nesting too deep){}",
        "clone(".repeat(levels),
        ")".repeat(levels)
    );
    assert_eq!(Actions::new(&deep).to_string(), want);
    let mut out = [0u8; 256];
    let mut w = Writer::new(&mut out);
    assert_eq!(
        ActionWriter::new(&mut w).actions(Actions::new(&deep)),
        Err(Error::TooDeep)
    );
    assert!(w.is_empty());
    // walk reports depths.
    let mut depths = Vec::new();
    walk(Actions::new(&raw_clones(2)), 0, &mut |d, a| {
        depths.push((d, a.ty()));
        Ok(())
    })
    .unwrap();
    assert_eq!(depths, [(0, 20), (1, 20), (2, 1)]);
}

#[test]
fn display_check_pkt_len_and_dec_ttl_nest_lists() {
    let mut buf = [0u8; 128];
    let mut w = Writer::new(&mut buf);
    let mut a = ActionWriter::new(&mut w);
    a.check_pkt_len(
        200,
        |g| g.dec_ttl(|d| d.drop_with(3)),
        |l| l.sample(u32::MAX / 2, |s| s.hash(&Hash::new(1, 9))),
    )
    .unwrap();
    assert_eq!(
        Actions::new(w.as_bytes()).to_string(),
        "check_pkt_len(size=200,gt(dec_ttl(le_1(drop(3)))),le(sample(sample=50.0%,actions(hash(sym_l4(9))))))"
    );
}

#[test]
fn set_of_a_nested_key_and_push_nsh_failures() {
    let mut buf = [0xa5u8; 40];
    let mut w = Writer::new(&mut buf);
    let mut a = ActionWriter::new(&mut w);
    // set(tunnel(id)): OVS_KEY_ATTR_TUNNEL (16) nests OVS_TUNNEL_KEY_ATTR_ID (0, be64).
    a.set_nested(16, |t| t.attr(0, &0x2au64.to_be_bytes()))
        .unwrap();
    assert_eq!(a.push_nsh(|_| Err(Error::BadLength)), Err(Error::BadLength));
    assert_eq!(a.depth(), 0);
    #[rustfmt::skip]
    let want = [
        0x14, 0x00, 0x03, 0x80, // nla_len = 20, OVS_ACTION_ATTR_SET | NLA_F_NESTED
        0x10, 0x00, 0x10, 0x80, //   nla_len = 16, OVS_KEY_ATTR_TUNNEL | NLA_F_NESTED
        0x0c, 0x00, 0x00, 0x00, //     nla_len = 12, OVS_TUNNEL_KEY_ATTR_ID (0)
        0, 0, 0, 0, 0, 0, 0, 0x2a, // tunnel id 42 (be64)
    ];
    assert_eq!(w.as_bytes(), &want);
    match decode_all(&want).unwrap().as_slice() {
        [Action::Set(key)] => {
            assert_eq!((key.ty(), key.raw_ty), (16, 0x8010));
            assert_eq!(key.value, &want[8..]);
        }
        other => panic!("{other:?}"),
    }
    // With no room for the inner attribute, the set nest goes too.
    let mut small = [0xa5u8; 12];
    let mut w = Writer::new(&mut small);
    assert_eq!(
        ActionWriter::new(&mut w).set_nested(16, |t| t.attr(0, &[0; 8])),
        Err(Error::NoRoom { needed: 20 })
    );
    assert!(w.is_empty());
}

mod property {
    use super::*;
    use proptest::prelude::*;

    /// An owned action tree, for comparing what was written with what is read.
    #[derive(Clone, Debug, PartialEq)]
    enum T {
        Output(u32),
        Userspace(u32, Option<Vec<u8>>, Option<u32>, bool),
        Set(u16, Vec<u8>),
        SetMasked(u16, Vec<u8>, Vec<u8>),
        PushVlan(u16, u16),
        PopVlan,
        Sample(u32, Vec<T>),
        Recirc(u32),
        Hash(u32, u32),
        PushMpls(u32, u16),
        PopMpls(u16),
        Ct(TCt),
        Trunc(u32),
        PushEth([u8; 6], [u8; 6]),
        PopEth,
        CtClear,
        PushNsh(Vec<u8>),
        PopNsh,
        Meter(u32),
        Clone(Vec<T>),
        CheckPktLen(u16, Vec<T>, Vec<T>),
        AddMpls(u32, u16, u16),
        DecTtl(Vec<T>),
        Drop(u32),
        Psample(u32, Option<Vec<u8>>),
    }

    #[derive(Clone, Debug, PartialEq)]
    struct TCt {
        commit: bool,
        force_commit: bool,
        zone: Option<u16>,
        mark: Option<(u32, u32)>,
        labels: Option<([u8; 16], [u8; 16])>,
        helper: Option<String>,
        timeout: Option<String>,
        eventmask: Option<u32>,
        nat: Option<Nat>,
    }

    fn ip() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            any::<[u8; 4]>().prop_map(IpAddr::from),
            any::<[u8; 16]>().prop_map(IpAddr::from),
        ]
    }

    fn nat() -> impl Strategy<Value = Nat> {
        (
            any::<[bool; 5]>(),
            proptest::option::of(ip()),
            proptest::option::of(ip()),
            any::<Option<u16>>(),
            any::<Option<u16>>(),
        )
            .prop_map(|(f, ip_min, ip_max, proto_min, proto_max)| Nat {
                src: f[0],
                dst: f[1],
                ip_min,
                ip_max,
                proto_min,
                proto_max,
                persistent: f[2],
                proto_hash: f[3],
                proto_random: f[4],
            })
    }

    fn ct() -> impl Strategy<Value = TCt> {
        (
            any::<(bool, bool, Option<u16>, Option<(u32, u32)>)>(),
            any::<Option<([u8; 16], [u8; 16])>>(),
            proptest::option::of("[a-z0-9]{0,15}"),
            proptest::option::of("[a-z0-9]{0,31}"),
            any::<Option<u32>>(),
            proptest::option::of(nat()),
        )
            .prop_map(
                |((commit, force_commit, zone, mark), labels, helper, timeout, eventmask, nat)| {
                    TCt {
                        commit,
                        force_commit,
                        zone,
                        mark,
                        labels,
                        helper,
                        timeout,
                        eventmask,
                        nat,
                    }
                },
            )
    }

    fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..=max)
    }

    fn leaf() -> impl Strategy<Value = T> {
        prop_oneof![
            any::<u32>().prop_map(T::Output),
            (
                any::<u32>(),
                proptest::option::of(bytes(12)),
                any::<Option<u32>>(),
                any::<bool>()
            )
                .prop_map(|(p, d, e, a)| T::Userspace(p, d, e, a)),
            (1..0x3fffu16, bytes(20)).prop_map(|(t, v)| T::Set(t, v)),
            (1..0x3fffu16, bytes(16))
                .prop_flat_map(|(t, v)| {
                    let n = v.len();
                    (Just(t), Just(v), proptest::collection::vec(any::<u8>(), n))
                })
                .prop_map(|(t, v, m)| T::SetMasked(t, v, m)),
            any::<(u16, u16)>().prop_map(|(a, b)| T::PushVlan(a, b)),
            Just(T::PopVlan),
            any::<u32>().prop_map(T::Recirc),
            any::<(u32, u32)>().prop_map(|(a, b)| T::Hash(a, b)),
            any::<(u32, u16)>().prop_map(|(a, b)| T::PushMpls(a, b)),
            any::<u16>().prop_map(T::PopMpls),
            ct().prop_map(T::Ct),
            any::<u32>().prop_map(T::Trunc),
            any::<([u8; 6], [u8; 6])>().prop_map(|(a, b)| T::PushEth(a, b)),
            Just(T::PopEth),
            Just(T::CtClear),
            proptest::collection::vec(any::<u8>(), 1..=16).prop_map(T::PushNsh),
            Just(T::PopNsh),
            any::<u32>().prop_map(T::Meter),
            any::<(u32, u16, u16)>().prop_map(|(a, b, c)| T::AddMpls(a, b, c)),
            any::<u32>().prop_map(T::Drop),
            (any::<u32>(), proptest::option::of(bytes(16))).prop_map(|(g, c)| T::Psample(g, c)),
        ]
    }

    fn tree() -> impl Strategy<Value = Vec<T>> {
        let node = leaf().prop_recursive(5, 48, 4, |inner| {
            let list = proptest::collection::vec(inner, 0..4);
            prop_oneof![
                (any::<u32>(), list.clone()).prop_map(|(p, l)| T::Sample(p, l)),
                list.clone().prop_map(T::Clone),
                (any::<u16>(), list.clone(), list.clone())
                    .prop_map(|(n, g, l)| T::CheckPktLen(n, g, l)),
                list.prop_map(T::DecTtl),
            ]
        });
        proptest::collection::vec(node, 0..6)
    }

    fn write_list(a: &mut ActionWriter<'_, '_>, list: &[T]) -> Result<(), Error> {
        list.iter().try_for_each(|t| write(a, t))
    }

    fn write(a: &mut ActionWriter<'_, '_>, t: &T) -> Result<(), Error> {
        match t {
            T::Output(p) => a.output(*p),
            T::Userspace(pid, data, port, actions) => a.userspace(&Userspace {
                pid: *pid,
                userdata: data.as_deref(),
                egress_tun_port: *port,
                actions: *actions,
            }),
            T::Set(ty, v) => a.set(*ty, v),
            T::SetMasked(ty, v, m) => a.set_masked(*ty, v, m),
            T::PushVlan(tpid, tci) => a.push_vlan(&PushVlan::new(*tpid, *tci)),
            T::PopVlan => a.pop_vlan(),
            T::Sample(p, l) => a.sample(*p, |w| write_list(w, l)),
            T::Recirc(id) => a.recirc(*id),
            T::Hash(alg, basis) => a.hash(&Hash::new(*alg, *basis)),
            T::PushMpls(lse, et) => a.push_mpls(&PushMpls::new(*lse, *et)),
            T::PopMpls(et) => a.pop_mpls(*et),
            T::Ct(c) => a.ct(&Ct {
                commit: c.commit,
                zone: c.zone,
                mark: c.mark.map(|(value, mask)| Masked { value, mask }),
                labels: c.labels.map(|(value, mask)| Masked { value, mask }),
                helper: c.helper.as_deref().map(|s| NlStr(s.as_bytes())),
                nat: c.nat,
                force_commit: c.force_commit,
                eventmask: c.eventmask,
                timeout: c.timeout.as_deref().map(|s| NlStr(s.as_bytes())),
            }),
            T::Trunc(n) => a.trunc(*n),
            T::PushEth(src, dst) => a.push_eth(&PushEth {
                eth_src: *src,
                eth_dst: *dst,
            }),
            T::PopEth => a.pop_eth(),
            T::CtClear => a.ct_clear(),
            T::PushNsh(md2) => a.push_nsh(|w| w.attr(3, md2)),
            T::PopNsh => a.pop_nsh(),
            T::Meter(id) => a.meter(*id),
            T::Clone(l) => a.clone_with(|w| write_list(w, l)),
            T::CheckPktLen(n, g, l) => {
                a.check_pkt_len(*n, |w| write_list(w, g), |w| write_list(w, l))
            }
            T::AddMpls(lse, et, fl) => a.add_mpls(&AddMpls::new(*lse, *et, *fl)),
            T::DecTtl(l) => a.dec_ttl(|w| write_list(w, l)),
            T::Drop(code) => a.drop_with(*code),
            T::Psample(g, c) => a.psample(&Psample {
                group: *g,
                cookie: c.as_deref(),
            }),
        }
    }

    fn read_list(list: Actions<'_>) -> Vec<T> {
        list.map(|a| read(&a.unwrap())).collect()
    }

    fn text(s: Option<NlStr<'_>>) -> Option<String> {
        s.map(|s| s.to_str().unwrap().to_string())
    }

    fn read(a: &Action<'_>) -> T {
        match a {
            Action::Output(p) => T::Output(*p),
            Action::Userspace(u) => T::Userspace(
                u.pid,
                u.userdata.map(<[u8]>::to_vec),
                u.egress_tun_port,
                u.actions,
            ),
            Action::Set(k) => T::Set(k.raw_ty, k.value.to_vec()),
            Action::SetMasked(k) => T::SetMasked(k.raw_ty, k.value.to_vec(), k.mask.to_vec()),
            Action::PushVlan(v) => T::PushVlan(v.vlan_tpid.get(), v.vlan_tci.get()),
            Action::PopVlan => T::PopVlan,
            Action::Sample(s) => T::Sample(s.probability, read_list(s.actions.clone())),
            Action::Recirc(id) => T::Recirc(*id),
            Action::Hash(h) => T::Hash(h.hash_alg.get(), h.hash_basis.get()),
            Action::PushMpls(m) => T::PushMpls(m.mpls_lse.get(), m.mpls_ethertype.get()),
            Action::PopMpls(et) => T::PopMpls(*et),
            Action::Ct(c) => T::Ct(TCt {
                commit: c.commit,
                force_commit: c.force_commit,
                zone: c.zone,
                mark: c.mark.map(|m| (m.value, m.mask)),
                labels: c.labels.map(|m| (m.value, m.mask)),
                helper: text(c.helper),
                timeout: text(c.timeout),
                eventmask: c.eventmask,
                nat: c.nat,
            }),
            Action::Trunc(n) => T::Trunc(*n),
            Action::PushEth(e) => T::PushEth(e.eth_src, e.eth_dst),
            Action::PopEth => T::PopEth,
            Action::CtClear => T::CtClear,
            Action::PushNsh(bytes) => {
                let attr = crate::attr::Attr::parse(bytes).unwrap().0;
                T::PushNsh(attr.payload().to_vec())
            }
            Action::PopNsh => T::PopNsh,
            Action::Meter(id) => T::Meter(*id),
            Action::Clone(l) => T::Clone(read_list(l.clone())),
            Action::CheckPktLen(c) => T::CheckPktLen(
                c.pkt_len,
                read_list(c.if_greater.clone()),
                read_list(c.if_less_equal.clone()),
            ),
            Action::AddMpls(m) => {
                T::AddMpls(m.mpls_lse.get(), m.mpls_ethertype.get(), m.tun_flags.get())
            }
            Action::DecTtl(l) => T::DecTtl(read_list(l.clone())),
            Action::Drop(code) => T::Drop(*code),
            Action::Psample(p) => T::Psample(p.group, p.cookie.map(<[u8]>::to_vec)),
            other => panic!("unexpected {other:?}"),
        }
    }

    proptest! {
        #[test]
        fn typed_trees_round_trip(tree in tree()) {
            let mut buf = vec![0xa5u8; 1 << 16];
            let mut w = Writer::new(&mut buf);
            write_list(&mut ActionWriter::new(&mut w), &tree).unwrap();
            let bytes = w.as_bytes();
            prop_assert_eq!(validate(bytes), Ok(()));
            prop_assert_eq!(read_list(Actions::new(bytes)), tree);
            // Re-encoding the decoded list gives the same bytes.
            let mut again = vec![0u8; bytes.len()];
            let mut w2 = Writer::new(&mut again);
            ActionWriter::new(&mut w2).actions(Actions::new(bytes)).unwrap();
            prop_assert_eq!(w2.as_bytes(), bytes);
            let _ = Actions::new(bytes).to_string();
        }

        #[test]
        fn over_deep_trees_are_too_deep(extra in 1usize..8) {
            let deep = raw_clones(MAX_ACTION_DEPTH + extra);
            prop_assert_eq!(validate(&deep), Err(Error::TooDeep));
            let mut buf = vec![0u8; 512];
            let mut w = Writer::new(&mut buf);
            prop_assert_eq!(clones(&mut ActionWriter::new(&mut w), MAX_ACTION_DEPTH + extra), Err(Error::TooDeep));
            prop_assert!(w.is_empty());
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = validate(&bytes);
            let _ = Actions::new(&bytes).to_string();
            let mut out = vec![0u8; 1024];
            let mut w = Writer::new(&mut out);
            if ActionWriter::new(&mut w).actions(Actions::new(&bytes)).is_ok() {
                let copy = w.as_bytes();
                prop_assert_eq!(validate(copy), validate(&bytes));
            }
        }
    }
}
