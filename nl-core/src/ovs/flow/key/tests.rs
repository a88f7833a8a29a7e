//! Tests of flow keys: byte vectors built from the uapi struct layouts
//! (little-endian host), round trips, malformed input, properties.

extern crate std;
use std::format;
use std::vec::Vec;

use core::net::{Ipv4Addr, Ipv6Addr};

use zerocopy::byteorder::native_endian::U16 as NeU16;
use zerocopy::byteorder::network_endian::{U16, U32};

use super::*;
use crate::table::{AttrSet, Index};
use crate::{Error, Writer};

const MAC1: [u8; 6] = [0, 0, 0, 0, 0, 1];
const MAC2: [u8; 6] = [0, 0, 0, 0, 0, 2];
const V6_1: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1);
const V6_2: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2);
const V4_1: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
const V4_2: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);

/// L2 to L4 over IPv4, and the per-packet metadata.
#[rustfmt::skip]
static L2L3: [u8; 160] = [
    0x08, 0x00, 0x02, 0x00, // nla_len = 8, PRIORITY
    0x07, 0x00, 0x00, 0x00, //   7
    0x08, 0x00, 0x03, 0x00, // nla_len = 8, IN_PORT
    0x01, 0x00, 0x00, 0x00, //   1
    0x10, 0x00, 0x04, 0x00, // nla_len = 16, ETHERNET (struct ovs_key_ethernet)
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // eth_src 00:00:00:00:00:01
    0x00, 0x00, 0x00, 0x00, 0x00, 0x02, // eth_dst 00:00:00:00:00:02
    0x06, 0x00, 0x06, 0x00, // nla_len = 6, ETHERTYPE
    0x08, 0x00, 0x00, 0x00, //   0x0800 big-endian + 2 padding
    0x10, 0x00, 0x07, 0x00, // nla_len = 16, IPV4 (struct ovs_key_ipv4)
    0x0a, 0x00, 0x00, 0x01, //   ipv4_src 10.0.0.1
    0x0a, 0x00, 0x00, 0x02, //   ipv4_dst 10.0.0.2
    0x06, 0x00, 0x40, 0x00, //   proto 6, tos 0, ttl 64, frag none
    0x08, 0x00, 0x09, 0x00, // nla_len = 8, TCP (struct ovs_key_tcp)
    0x00, 0x50, 0x1f, 0x90, //   tcp_src 80, tcp_dst 8080, big-endian
    0x08, 0x00, 0x0f, 0x00, // nla_len = 8, SKB_MARK
    0x11, 0x00, 0x00, 0x00, //   0x11
    0x06, 0x00, 0x12, 0x00, // nla_len = 6, TCP_FLAGS
    0x00, 0x12, 0x00, 0x00, //   0x0012 big-endian + 2 padding
    0x08, 0x00, 0x13, 0x00, // nla_len = 8, DP_HASH
    0xcd, 0xab, 0x00, 0x00, //   0xabcd
    0x08, 0x00, 0x14, 0x00, // nla_len = 8, RECIRC_ID
    0x00, 0x00, 0x00, 0x00, //   0
    0x08, 0x00, 0x16, 0x00, // nla_len = 8, CT_STATE
    0x21, 0x00, 0x00, 0x00, //   new | tracked
    0x06, 0x00, 0x17, 0x00, // nla_len = 6, CT_ZONE
    0x05, 0x00, 0x00, 0x00, //   5 + 2 padding
    0x08, 0x00, 0x18, 0x00, // nla_len = 8, CT_MARK
    0x10, 0x00, 0x00, 0x00, //   0x10
    0x14, 0x00, 0x19, 0x00, // nla_len = 20, CT_LABELS (16 octets)
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
    0x14, 0x00, 0x1a, 0x00, // nla_len = 20, CT_ORIG_TUPLE_IPV4 (16 bytes)
    0x0a, 0x00, 0x00, 0x01, //   ipv4_src 10.0.0.1
    0x0a, 0x00, 0x00, 0x02, //   ipv4_dst 10.0.0.2
    0x00, 0x50, 0x1f, 0x90, //   src_port 80, dst_port 8080
    0x06, 0x00, 0x00, 0x00, //   ipv4_proto 6 + 3 bytes of struct padding
];

/// IPv6, the other L4 structs, ARP, MPLS and the raw attributes.
#[rustfmt::skip]
static OTHERS: [u8; 228] = [
    0x2c, 0x00, 0x08, 0x00, // nla_len = 44, IPV6 (struct ovs_key_ipv6)
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // ipv6_src 2001:db8::1
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, // ipv6_dst 2001:db8::2
    0x00, 0x01, 0x23, 0x45, //   ipv6_label 0x12345 big-endian
    0x3a, 0x00, 0xff, 0x00, //   proto 58, tclass 0, hlimit 255, frag none
    0x06, 0x00, 0x20, 0x00, // nla_len = 6, IPV6_EXTHDRS
    0x01, 0x00, 0x00, 0x00, //   hdrs 1 (host-endian) + 2 padding
    0x06, 0x00, 0x0c, 0x00, // nla_len = 6, ICMPV6
    0x87, 0x00, 0x00, 0x00, //   type 135, code 0 + 2 padding
    0x20, 0x00, 0x0e, 0x00, // nla_len = 32, ND (struct ovs_key_nd)
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, // nd_target
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // nd_sll
    0x00, 0x00, 0x00, 0x00, 0x00, 0x02, // nd_tll
    0x2c, 0x00, 0x1b, 0x00, // nla_len = 44, CT_ORIG_TUPLE_IPV6 (40 bytes)
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // ipv6_src
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, // ipv6_dst
    0x00, 0x35, 0x04, 0xd2, //   src_port 53, dst_port 1234
    0x11, 0x00, 0x00, 0x00, //   ipv6_proto 17 + 3 bytes of struct padding
    0x08, 0x00, 0x0a, 0x00, // nla_len = 8, UDP
    0x00, 0x35, 0x04, 0xd2, //   udp_src 53, udp_dst 1234
    0x08, 0x00, 0x11, 0x00, // nla_len = 8, SCTP
    0x0b, 0x59, 0x0b, 0x5a, //   sctp_src 2905, sctp_dst 2906
    0x06, 0x00, 0x0b, 0x00, // nla_len = 6, ICMP
    0x08, 0x00, 0x00, 0x00, //   type 8, code 0 + 2 padding
    0x1c, 0x00, 0x0d, 0x00, // nla_len = 28, ARP (struct ovs_key_arp, 24 bytes)
    0x0a, 0x00, 0x00, 0x01, //   arp_sip 10.0.0.1
    0x0a, 0x00, 0x00, 0x02, //   arp_tip 10.0.0.2
    0x00, 0x01,             //   arp_op 1
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // arp_sha
    0x00, 0x00, 0x00, 0x00, 0x00, 0x02, // arp_tha
    0x00, 0x00,             //   2 bytes of struct padding
    0x0c, 0x00, 0x15, 0x00, // nla_len = 12, MPLS: 2 x struct ovs_key_mpls
    0x00, 0x06, 0x40, 0x40, //   label 100, tc 0, bos 0, ttl 64
    0x00, 0x0c, 0x8b, 0x3f, //   label 200, tc 5, bos 1, ttl 63
    0x08, 0x00, 0x1d, 0x00, // nla_len = 8, PACKET_TYPE
    0x00, 0x01, 0x08, 0x00, //   ns 1, type 0x0800, big-endian
    0x0c, 0x00, 0x1e, 0x00, // nla_len = 12, ND_EXTENSIONS (raw)
    0xde, 0xad, 0xbe, 0xef, 0x01, 0x00, 0x00, 0x00,
    0x08, 0x00, 0x1f, 0x00, // nla_len = 8, TUNNEL_INFO (raw)
    0x01, 0x02, 0x03, 0x04,
];

/// The tunnel and NSH nests.
#[rustfmt::skip]
static NESTS: [u8; 208] = [
    0xa0, 0x00, 0x10, 0x80, // nla_len = 160, TUNNEL | NLA_F_NESTED
    0x0c, 0x00, 0x00, 0x00, //   nla_len = 12, ID (type 0)
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a, // 42, big-endian
    0x08, 0x00, 0x01, 0x00, //   nla_len = 8, IPV4_SRC
    0xc0, 0xa8, 0x00, 0x01, //     192.168.0.1
    0x08, 0x00, 0x02, 0x00, //   nla_len = 8, IPV4_DST
    0xc0, 0xa8, 0x00, 0x02, //     192.168.0.2
    0x05, 0x00, 0x03, 0x00, //   nla_len = 5, TOS
    0x00, 0x00, 0x00, 0x00, //     0 + 3 padding
    0x05, 0x00, 0x04, 0x00, //   nla_len = 5, TTL
    0x40, 0x00, 0x00, 0x00, //     64 + 3 padding
    0x04, 0x00, 0x05, 0x00, //   nla_len = 4, DONT_FRAGMENT
    0x04, 0x00, 0x06, 0x00, //   nla_len = 4, CSUM
    0x04, 0x00, 0x07, 0x00, //   nla_len = 4, OAM
    0x0c, 0x00, 0x08, 0x00, //   nla_len = 12, GENEVE_OPTS
    0x01, 0x02, 0x80, 0x01, //     class 0x0102, type 0x80, length 1 word
    0x00, 0x00, 0x00, 0x2a, //     the word
    0x06, 0x00, 0x09, 0x00, //   nla_len = 6, TP_SRC
    0xc0, 0x00, 0x00, 0x00, //     49152 big-endian + 2 padding
    0x06, 0x00, 0x0a, 0x00, //   nla_len = 6, TP_DST
    0x17, 0xc1, 0x00, 0x00, //     6081 big-endian + 2 padding
    0x0c, 0x00, 0x0b, 0x80, //   nla_len = 12, VXLAN_OPTS | NLA_F_NESTED
    0x08, 0x00, 0x01, 0x00, //     nla_len = 8, GBP
    0x34, 0x12, 0x00, 0x00, //       0x1234
    0x14, 0x00, 0x0c, 0x00, //   nla_len = 20, IPV6_SRC
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
    0x14, 0x00, 0x0d, 0x00, //   nla_len = 20, IPV6_DST
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
    0x10, 0x00, 0x0f, 0x00, //   nla_len = 16, ERSPAN_OPTS (struct erspan_metadata)
    0x01, 0x00, 0x00, 0x00, //     version 1 (host-endian int)
    0x00, 0x00, 0x00, 0x07, //     index 7, big-endian
    0x00, 0x00, 0x00, 0x00, //     rest of the union
    0x04, 0x00, 0x10, 0x00, //   nla_len = 4, IPV4_INFO_BRIDGE
    0x30, 0x00, 0x1c, 0x80, // nla_len = 48, NSH | NLA_F_NESTED
    0x0c, 0x00, 0x01, 0x00, //   nla_len = 12, BASE (struct ovs_nsh_key_base)
    0x00, 0x3f, 0x01, 0x03, //     flags 0, ttl 63, mdtype 1, np 3
    0x00, 0x00, 0x64, 0xff, //     path_hdr: spi 100, si 255
    0x14, 0x00, 0x02, 0x00, //   nla_len = 20, MD1 (struct ovs_nsh_key_md1)
    0x00, 0x00, 0x00, 0x01, //     context[0]
    0x00, 0x00, 0x00, 0x02, //     context[1]
    0x00, 0x00, 0x00, 0x03, //     context[2]
    0x00, 0x00, 0x00, 0x04, //     context[3]
    0x0c, 0x00, 0x03, 0x00, //   nla_len = 12, MD2 (raw TLVs)
    0x00, 0x01, 0x02, 0x01, //     class 1, type 2, length 1
    0xaa, 0xbb, 0xcc, 0xdd, //     the word
];

/// QinQ: two 802.1Q tags, so a key in a key in a key.
#[rustfmt::skip]
static QINQ: [u8; 56] = [
    0x08, 0x00, 0x03, 0x00, // nla_len = 8, IN_PORT
    0x01, 0x00, 0x00, 0x00, //   1
    0x06, 0x00, 0x06, 0x00, // nla_len = 6, ETHERTYPE
    0x88, 0xa8, 0x00, 0x00, //   0x88a8 + 2 padding
    0x06, 0x00, 0x05, 0x00, // nla_len = 6, VLAN
    0x10, 0x64, 0x00, 0x00, //   TCI: CFI, vid 100 + 2 padding
    0x20, 0x00, 0x01, 0x80, // nla_len = 32, ENCAP | NLA_F_NESTED
    0x06, 0x00, 0x06, 0x00, //   nla_len = 6, ETHERTYPE
    0x81, 0x00, 0x00, 0x00, //     0x8100 + 2 padding
    0x06, 0x00, 0x05, 0x00, //   nla_len = 6, VLAN
    0x10, 0x0a, 0x00, 0x00, //     TCI: CFI, vid 10 + 2 padding
    0x0c, 0x00, 0x01, 0x80, //   nla_len = 12, ENCAP | NLA_F_NESTED
    0x06, 0x00, 0x06, 0x00, //     nla_len = 6, ETHERTYPE
    0x08, 0x00, 0x00, 0x00, //       0x0800 + 2 padding
];

fn eth() -> KeyEthernet {
    KeyEthernet {
        eth_src: MAC1,
        eth_dst: MAC2,
    }
}

fn ipv4() -> KeyIpv4 {
    KeyIpv4 {
        ipv4_src: U32::new(V4_1.to_bits()),
        ipv4_dst: U32::new(V4_2.to_bits()),
        ipv4_proto: 6,
        ipv4_tos: 0,
        ipv4_ttl: 64,
        ipv4_frag: FragType::None.into(),
    }
}

fn ipv6() -> KeyIpv6 {
    KeyIpv6 {
        ipv6_src: V6_1.octets(),
        ipv6_dst: V6_2.octets(),
        ipv6_label: U32::new(0x12345),
        ipv6_proto: 58,
        ipv6_tclass: 0,
        ipv6_hlimit: 255,
        ipv6_frag: 0,
    }
}

fn labels() -> [u8; 16] {
    core::array::from_fn(|i| i as u8)
}

fn write_l2l3(k: &mut KeyWriter<'_, '_>) -> Result<(), Error> {
    k.priority(7)?
        .in_port(1)?
        .eth(&eth())?
        .ethertype(0x0800)?
        .ipv4(&ipv4())?
        .tcp(&KeyTcp::new(80, 8080))?
        .skb_mark(0x11)?
        .tcp_flags(0x12)?
        .dp_hash(0xabcd)?
        .recirc_id(0)?
        .ct_state(CtState(CtState::NEW | CtState::TRACKED))?
        .ct_zone(5)?
        .ct_mark(0x10)?
        .ct_labels(&labels())?
        .ct_orig_tuple_ipv4(&KeyCtTupleIpv4::new(V4_1, V4_2, 80, 8080, 6))?;
    Ok(())
}

fn write_others(k: &mut KeyWriter<'_, '_>) -> Result<(), Error> {
    k.ipv6(&ipv6())?
        .ipv6_exthdrs(&KeyIpv6Exthdrs {
            hdrs: NeU16::new(1),
        })?
        .icmpv6(&KeyIcmp {
            icmp_type: 135,
            icmp_code: 0,
        })?
        .nd(&KeyNd {
            nd_target: V6_2.octets(),
            nd_sll: MAC1,
            nd_tll: MAC2,
        })?
        .ct_orig_tuple_ipv6(&KeyCtTupleIpv6::new(V6_1, V6_2, 53, 1234, 17))?
        .udp(&KeyUdp::new(53, 1234))?
        .sctp(&KeySctp::new(2905, 2906))?
        .icmp(&KeyIcmp {
            icmp_type: 8,
            icmp_code: 0,
        })?
        .arp(&KeyArp::new(V4_1, V4_2, 1, MAC1, MAC2))?
        .mpls(&[
            KeyMpls::new(100, 0, false, 64),
            KeyMpls::new(200, 5, true, 63),
        ])?
        .packet_type(0x0001_0800)?
        .nd_extensions(&[0xde, 0xad, 0xbe, 0xef, 0x01, 0x00, 0x00, 0x00])?
        .tunnel_info(&[1, 2, 3, 4])?;
    Ok(())
}

fn write_nests(k: &mut KeyWriter<'_, '_>) -> Result<(), Error> {
    k.tunnel(|t| {
        t.id(42)?
            .ipv4_src(Ipv4Addr::new(192, 168, 0, 1))?
            .ipv4_dst(Ipv4Addr::new(192, 168, 0, 2))?
            .tos(0)?
            .ttl(64)?
            .dont_fragment()?
            .csum()?
            .oam()?
            .geneve_opts(&[0x01, 0x02, 0x80, 0x01, 0x00, 0x00, 0x00, 0x2a])?
            .tp_src(49152)?
            .tp_dst(6081)?
            .vxlan_gbp(0x1234)?
            .ipv6_src(V6_1)?
            .ipv6_dst(V6_2)?
            .erspan_opts(&[1, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0])?
            .ipv4_info_bridge()?;
        Ok(())
    })?
    .nsh(
        Some(&NshBase {
            flags: 0,
            ttl: 63,
            mdtype: 1,
            np: 3,
            path_hdr: U32::new((100 << 8) | 255),
        }),
        Some(&NshMd1 {
            context: [U32::new(1), U32::new(2), U32::new(3), U32::new(4)],
        }),
        Some(&[0x00, 0x01, 0x02, 0x01, 0xaa, 0xbb, 0xcc, 0xdd]),
    )?;
    Ok(())
}

fn write_qinq(k: &mut KeyWriter<'_, '_>) -> Result<(), Error> {
    k.in_port(1)?
        .ethertype(0x88a8)?
        .vlan(0x1000 | 100)?
        .encap(|k| {
            k.ethertype(0x8100)?
                .vlan(0x1000 | 10)?
                .encap(|k| k.ethertype(0x0800).map(|_| ()))?;
            Ok(())
        })?;
    Ok(())
}

type Build = fn(&mut KeyWriter<'_, '_>) -> Result<(), Error>;

fn vectors() -> [(&'static [u8], Build); 4] {
    [
        (&L2L3, write_l2l3),
        (&OTHERS, write_others),
        (&NESTS, write_nests),
        (&QINQ, write_qinq),
    ]
}

#[test]
fn the_sets_number_their_attributes_as_the_header_does() {
    let names: Vec<(u16, &str)> = KeyAttrs::table().iter().map(|d| (d.ty, d.name)).collect();
    assert_eq!(
        names.len(),
        32,
        "OVS_KEY_ATTR_ENCAP (1) to IPV6_EXTHDRS (32)"
    );
    assert_eq!(names.first(), Some(&(1, "encap")));
    assert_eq!(KeyAttrs::TUNNEL.ty(), 16);
    assert_eq!(KeyAttrs::MPLS.ty(), 21);
    assert_eq!(KeyAttrs::NSH.ty(), 28);
    assert_eq!(names.last(), Some(&(32, "ipv6-exthdrs")));
    assert!(KeyAttrs::table().def(0).is_none(), "OVS_KEY_ATTR_UNSPEC");
    let tunnel = TunnelKeyAttrs::table();
    assert_eq!(tunnel.def(0).map(|d| d.name), Some("id"), "id is type 0");
    assert_eq!(tunnel.iter().count(), 17);
    assert_eq!(tunnel.name_of(16), Some("ipv4-info-bridge"));
    assert_eq!(NshKeyAttrs::table().name_of(3), Some("md2"));
    assert_eq!(VxlanExtAttrs::table().name_of(1), Some("gbp"));
    // The encap nest names its own set: a key in a key.
    let encap = KeyAttrs::table().def(1).unwrap();
    assert_eq!(encap.kind.nested_table(), Some(KeyAttrs::table()));
}

#[test]
fn struct_sizes_are_the_kernels_sizeof() {
    use core::mem::size_of;
    assert_eq!(size_of::<KeyEthernet>(), 12);
    assert_eq!(size_of::<KeyMpls>(), 4);
    assert_eq!(size_of::<KeyIpv4>(), 12);
    assert_eq!(size_of::<KeyIpv6>(), 40);
    assert_eq!(size_of::<KeyIpv6Exthdrs>(), 2);
    assert_eq!(size_of::<KeyTcp>(), 4);
    assert_eq!(size_of::<KeyUdp>(), 4);
    assert_eq!(size_of::<KeySctp>(), 4);
    assert_eq!(size_of::<KeyIcmp>(), 2);
    assert_eq!(size_of::<KeyArp>(), 24, "22 + 2 tail padding");
    assert_eq!(size_of::<KeyNd>(), 28);
    assert_eq!(size_of::<KeyCtTupleIpv4>(), 16, "13 + 3 tail padding");
    assert_eq!(size_of::<KeyCtTupleIpv6>(), 40, "37 + 3 tail padding");
    assert_eq!(size_of::<NshBase>(), 8);
    assert_eq!(size_of::<NshMd1>(), 16);
    for (ty, len) in [
        (4, 12),
        (7, 12),
        (8, 40),
        (9, 4),
        (10, 4),
        (11, 2),
        (12, 2),
        (13, 24),
        (14, 28),
        (17, 4),
        (26, 16),
        (27, 40),
        (32, 2),
    ] {
        match KeyAttrs::table().def(ty).unwrap().kind {
            crate::table::Kind::Struct { len: got, members } => {
                assert_eq!(usize::from(got), len, "type {ty}");
                assert!(!members.is_empty(), "type {ty}");
            }
            other => panic!("type {ty}: {other:?}"),
        }
    }
}

#[test]
fn members_have_spec_names_and_offsets() {
    use crate::table::WireStruct;
    let arp: Vec<_> = KeyArp::MEMBERS.iter().map(|m| (m.name, m.offset)).collect();
    assert_eq!(
        arp,
        [
            ("arp-sip", 0),
            ("arp-tip", 4),
            ("arp-op", 8),
            ("arp-sha", 10),
            ("arp-tha", 16)
        ]
    );
    let ct: Vec<_> = KeyCtTupleIpv6::MEMBERS
        .iter()
        .map(|m| (m.name, m.offset))
        .collect();
    assert_eq!(
        ct,
        [
            ("ipv6-src", 0),
            ("ipv6-dst", 16),
            ("src-port", 32),
            ("dst-port", 34),
            ("ipv6-proto", 36)
        ]
    );
    assert_eq!(KeyIpv4::MEMBERS.len(), 6);
    assert_eq!(KeyIpv6::MEMBERS.last().map(|m| m.offset), Some(39));
    assert_eq!(NshBase::MEMBERS.last().map(|m| m.name), Some("path-hdr"));
}

#[test]
fn construct_every_vector() {
    for (want, build) in vectors() {
        let mut buf = [0xa5u8; 300];
        let mut w = Writer::new(&mut buf);
        build(&mut KeyWriter::new(&mut w)).unwrap();
        let len = w.len();
        assert_eq!(&buf[..len], want);
        assert!(
            buf[len..].iter().all(|&b| b == 0xa5),
            "nothing past the end"
        );
    }
}

#[test]
fn parse_l2l3() {
    let key = FlowKey::parse(&L2L3).unwrap();
    key.validate().unwrap();
    assert_eq!(key.index().unknown(), 0);
    assert_eq!(key.depth(), 0);
    assert_eq!(key.priority(), Some(7));
    assert_eq!(key.in_port(), Some(1));
    assert_eq!(key.eth(), Some(&eth()));
    assert_eq!(key.ethertype(), Some(0x0800));
    let ip = key.ipv4().unwrap();
    assert_eq!((ip.src(), ip.dst()), (V4_1, V4_2));
    assert_eq!(FragType::from(ip.ipv4_frag), FragType::None);
    assert_eq!(key.tcp(), Some(&KeyTcp::new(80, 8080)));
    assert_eq!(key.skb_mark(), Some(0x11));
    assert_eq!(key.tcp_flags(), Some(0x12));
    assert_eq!(key.dp_hash(), Some(0xabcd));
    assert_eq!(key.recirc_id(), Some(0));
    let state = key.ct_state().unwrap();
    assert!(state.contains(CtState::NEW | CtState::TRACKED));
    assert_eq!(format!("{state}"), "new|trk");
    assert_eq!(key.ct_zone(), Some(5));
    assert_eq!(key.ct_mark(), Some(0x10));
    assert_eq!(key.ct_labels(), Some(&labels()[..]));
    let tuple = key.ct_orig_tuple_ipv4().unwrap();
    assert_eq!(tuple, &KeyCtTupleIpv4::new(V4_1, V4_2, 80, 8080, 6));
    assert_eq!(tuple.src_port.get(), 80);
    for absent in [key.vlan(), key.packet_type().map(|_| 0)] {
        assert_eq!(absent, None);
    }
    assert!(key.encap().is_none() && key.tunnel().is_none() && key.nsh().is_none());
    assert!(key.mpls().is_none() && key.ipv6().is_none() && key.arp().is_none());
}

#[test]
fn parse_others() {
    let key = FlowKey::parse(&OTHERS).unwrap();
    key.validate().unwrap();
    assert_eq!(key.ipv6(), Some(&ipv6()));
    assert_eq!(key.ipv6().unwrap().src(), V6_1);
    assert_eq!(key.ipv6_exthdrs().map(|h| h.hdrs.get()), Some(1));
    assert_eq!(key.icmpv6().map(|i| i.icmp_type), Some(135));
    let nd = key.nd().unwrap();
    assert_eq!(
        (Ipv6Addr::from(nd.nd_target), nd.nd_sll, nd.nd_tll),
        (V6_2, MAC1, MAC2)
    );
    assert_eq!(
        key.ct_orig_tuple_ipv6(),
        Some(&KeyCtTupleIpv6::new(V6_1, V6_2, 53, 1234, 17))
    );
    assert_eq!(key.udp(), Some(&KeyUdp::new(53, 1234)));
    assert_eq!(key.sctp(), Some(&KeySctp::new(2905, 2906)));
    assert_eq!(key.icmp().map(|i| (i.icmp_type, i.icmp_code)), Some((8, 0)));
    let arp = key.arp().unwrap();
    assert_eq!(arp, &KeyArp::new(V4_1, V4_2, 1, MAC1, MAC2));
    assert_eq!(arp.arp_op.get(), 1);
    let mpls = key.mpls().unwrap();
    assert_eq!(mpls.count(), 2);
    let entries: Vec<_> = mpls
        .iter()
        .map(|e| (e.label(), e.tc(), e.bos(), e.ttl()))
        .collect();
    assert_eq!(entries, [(100, 0, false, 64), (200, 5, true, 63)]);
    assert_eq!(key.packet_type(), Some(0x0001_0800));
    assert_eq!(key.nd_extensions().map(<[u8]>::len), Some(8));
    assert_eq!(key.tunnel_info(), Some(&[1, 2, 3, 4][..]));
}

#[test]
fn parse_nests() {
    let key = FlowKey::parse(&NESTS).unwrap();
    key.validate().unwrap();
    let t = key.tunnel().unwrap().unwrap();
    assert_eq!(t.id(), Some(42));
    assert_eq!(t.ipv4_src(), Some(Ipv4Addr::new(192, 168, 0, 1)));
    assert_eq!(t.ipv4_dst(), Some(Ipv4Addr::new(192, 168, 0, 2)));
    assert_eq!((t.tos(), t.ttl()), (Some(0), Some(64)));
    assert!(t.dont_fragment() && t.csum() && t.oam() && t.ipv4_info_bridge());
    assert_eq!(t.geneve_opts().map(<[u8]>::len), Some(8));
    assert_eq!((t.tp_src(), t.tp_dst()), (Some(49152), Some(6081)));
    let vxlan = t.vxlan_opts().unwrap().unwrap();
    assert_eq!(vxlan.get(VxlanExtAttrs::GBP), Some(0x1234));
    assert_eq!((t.ipv6_src(), t.ipv6_dst()), (Some(V6_1), Some(V6_2)));
    assert_eq!(t.erspan_opts().map(<[u8]>::len), Some(12));
    assert_eq!(t.index().unknown(), 0);
    let nsh = key.nsh().unwrap().unwrap();
    let base = nsh.base().unwrap();
    assert_eq!((base.ttl, base.mdtype, base.np), (63, 1, 3));
    assert_eq!((base.spi(), base.si()), (100, 255));
    let md1 = nsh.md1().unwrap();
    assert_eq!(md1.context.map(|c| c.get()), [1, 2, 3, 4]);
    assert_eq!(nsh.md2().map(<[u8]>::len), Some(8));
}

#[test]
fn parse_qinq() {
    let key = FlowKey::parse(&QINQ).unwrap();
    key.validate().unwrap();
    assert_eq!(key.vlan(), Some(0x1064));
    let inner = key.encap().unwrap().unwrap();
    assert_eq!(
        (inner.depth(), inner.ethertype(), inner.vlan()),
        (1, Some(0x8100), Some(0x100a))
    );
    let innermost = inner.encap().unwrap().unwrap();
    assert_eq!(
        (innermost.depth(), innermost.ethertype()),
        (2, Some(0x0800))
    );
    assert!(innermost.encap().is_none());
}

#[test]
fn display_in_the_style_of_ovs_dpctl() {
    let show = |bytes: &[u8]| format!("{}", FlowKey::parse(bytes).unwrap());
    assert_eq!(
        show(&L2L3),
        "skb_priority(0x7),in_port(1),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),\
         eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=6,tos=0,ttl=64,frag=no),\
         tcp(src=80,dst=8080),skb_mark(0x11),tcp_flags(0x12),dp_hash(0xabcd),recirc_id(0),\
         ct_state(new|trk),ct_zone(0x5),ct_mark(0x10),ct_label(000102030405060708090a0b0c0d0e0f),\
         ct_tuple4(src=10.0.0.1,dst=10.0.0.2,proto=6,tp_src=80,tp_dst=8080)"
    );
    assert_eq!(
        show(&OTHERS),
        "ipv6(src=2001:db8::1,dst=2001:db8::2,label=0x12345,proto=58,tclass=0,hlimit=255,frag=no),\
         ipv6_exthdrs(0x1),icmpv6(type=135,code=0),\
         nd(target=2001:db8::2,sll=00:00:00:00:00:01,tll=00:00:00:00:00:02),\
         ct_tuple6(src=2001:db8::1,dst=2001:db8::2,proto=17,tp_src=53,tp_dst=1234),\
         udp(src=53,dst=1234),sctp(src=2905,dst=2906),icmp(type=8,code=0),\
         arp(sip=10.0.0.1,tip=10.0.0.2,op=1,sha=00:00:00:00:00:01,tha=00:00:00:00:00:02),\
         mpls(lse0=0x64040,lse1=0xc8b3f),packet_type(ns=1,id=0x800),nd_ext(deadbeef01000000),\
         tunnel_info(01020304)"
    );
    assert_eq!(
        show(&NESTS),
        "tunnel(tun_id=0x2a,src=192.168.0.1,dst=192.168.0.2,ipv6_src=2001:db8::1,\
         ipv6_dst=2001:db8::2,tos=0,ttl=64,tp_src=49152,tp_dst=6081,geneve=010280010000002a,\
         vxlan_gbp=0x1234,erspan=010000000000000700000000,flags=df|csum|oam|bridge),\
         nsh(flags=0,ttl=63,mdtype=1,np=3,spi=0x64,si=255,c1=0x1,c2=0x2,c3=0x3,c4=0x4,\
         md2=00010201aabbccdd)"
    );
    assert_eq!(
        show(&QINQ),
        "in_port(1),eth_type(0x88a8),vlan(vid=100,pcp=0),encap(eth_type(0x8100),\
         vlan(vid=10,pcp=0),encap(eth_type(0x0800)))"
    );
    // One MPLS entry prints its parts; a clear CFI bit is shown.
    let mut buf = [0u8; 64];
    let mut w = Writer::new(&mut buf);
    KeyWriter::new(&mut w)
        .mpls(&[KeyMpls::new(100, 1, true, 64)])
        .unwrap()
        .vlan(5)
        .unwrap();
    let text = format!("{}", FlowKey::parse(w.as_bytes()).unwrap());
    assert_eq!(
        text,
        "mpls(label=100,tc=1,ttl=64,bos=1),vlan(vid=5,pcp=0,cfi=0)"
    );
}

#[test]
fn display_with_a_mask() {
    let mut kbuf = [0u8; 128];
    let mut kw = Writer::new(&mut kbuf);
    KeyWriter::new(&mut kw)
        .in_port(1)
        .unwrap()
        .eth(&eth())
        .unwrap()
        .ethertype(0x0800)
        .unwrap()
        .ipv4(&ipv4())
        .unwrap();
    let mut mbuf = [0u8; 128];
    let mut mw = Writer::new(&mut mbuf);
    let mask_ip = KeyIpv4 {
        ipv4_src: U32::new(0xffff_ff00),
        ipv4_dst: U32::new(0),
        ipv4_proto: 0xff,
        ipv4_tos: 0,
        ipv4_ttl: 0,
        ipv4_frag: 0xff,
    };
    KeyWriter::new(&mut mw)
        .in_port(u32::MAX)
        .unwrap()
        .ethertype(0xffff)
        .unwrap()
        .ipv4(&mask_ip)
        .unwrap();
    let key = FlowKey::parse(kw.as_bytes()).unwrap();
    let mask = FlowKey::parse(mw.as_bytes()).unwrap();
    assert_eq!(
        format!("{}", key.with_mask(mask)),
        "in_port(1/0xffffffff),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),\
         eth_type(0x0800/0xffff),ipv4(src=10.0.0.1/255.255.255.0,dst=10.0.0.2/0.0.0.0,\
         proto=6/0xff,tos=0/0,ttl=64/0,frag=no/0xff)"
    );
}

/// Clears `NLA_F_NESTED` on every nest header of a vector (at the offsets given).
fn without_nested_flag(bytes: &[u8], nests: &[usize]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for &at in nests {
        assert_eq!(out[at + 3] & 0x80, 0x80, "offset {at} is a nest");
        out[at + 3] &= 0x7f;
    }
    out
}

#[test]
fn nests_decode_the_same_with_and_without_the_nested_flag() {
    // OVS userspace does not set NLA_F_NESTED; the kernel accepts both.
    for (bytes, nests) in [(&NESTS[..], &[0usize, 88, 160][..]), (&QINQ[..], &[24, 44])] {
        let plain = without_nested_flag(bytes, nests);
        let with = FlowKey::parse(bytes).unwrap();
        let without = FlowKey::parse(&plain).unwrap();
        without.validate().unwrap();
        assert_eq!(format!("{with}"), format!("{without}"));
        assert_eq!(
            without.tunnel().map(|t| t.unwrap().id()),
            with.tunnel().map(|t| t.unwrap().id())
        );
    }
    let plain = without_nested_flag(&QINQ, &[24, 44]);
    let key = FlowKey::parse(&plain).unwrap();
    let inner = key.encap().unwrap().unwrap().encap().unwrap().unwrap();
    assert_eq!(inner.ethertype(), Some(0x0800));
}

#[test]
fn truncated_inputs_are_errors_never_panics() {
    for (bytes, _) in vectors() {
        for n in 0..bytes.len() {
            let cut = &bytes[..n];
            if let Ok(key) = FlowKey::parse(cut) {
                let _ = key.validate();
            }
            let _ = format!("{}", FlowKeyText(cut));
        }
    }
    // A struct one byte short is a bad length; one longer is accepted.
    let mut short = L2L3[40..56].to_vec(); // the IPV4 attribute
    short[0] = 15;
    assert_eq!(
        FlowKey::parse(&short).unwrap_err(),
        Error::BadAttrLength { ty: 7, len: 11 }
    );
    let mut long = Vec::from(&[0x14, 0x00, 0x07, 0x00][..]); // nla_len = 20, IPV4
    long.extend_from_slice(&L2L3[44..56]);
    long.extend_from_slice(&[0x99; 4]); // 4 bytes a newer kernel might add
    let key = FlowKey::parse(&long).unwrap();
    assert_eq!(key.ipv4(), Some(&ipv4()));
    // ct-orig-tuple-ipv4 of the 13 bytes of its fields, without the padding.
    let mut tuple = Vec::from(&[0x11, 0x00, 0x1a, 0x00][..]);
    tuple.extend_from_slice(&L2L3[144..157]);
    tuple.extend_from_slice(&[0; 3]);
    assert_eq!(
        FlowKey::parse(&tuple).unwrap_err(),
        Error::BadAttrLength { ty: 26, len: 13 }
    );
}

/// Display of bytes that may not parse (for the no-panic loops).
struct FlowKeyText<'a>(&'a [u8]);

impl core::fmt::Display for FlowKeyText<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match FlowKey::parse(self.0) {
            Ok(key) => write!(f, "{key}"),
            Err(e) => write!(f, "{e}"),
        }
    }
}

#[test]
fn mpls_carries_one_to_three_whole_entries() {
    let mpls = |payload: &[u8]| crate::table::tests::attr(21, payload);
    assert_eq!(
        FlowKey::parse(&mpls(&[])).unwrap_err(),
        Error::BadAttrLength { ty: 21, len: 0 }
    );
    assert_eq!(
        FlowKey::parse(&mpls(&[0; 16])).unwrap_err(),
        Error::BadAttrLength { ty: 21, len: 16 }
    );
    for n in [4, 8, 12] {
        let bytes = mpls(&[0; 12][..n]);
        let key = FlowKey::parse(&bytes).unwrap();
        key.validate().unwrap();
        assert_eq!(key.mpls().unwrap().iter().count(), n / 4);
    }
    for n in [5, 6, 7, 10] {
        let bytes = mpls(&[0; 12][..n]);
        let key = FlowKey::parse(&bytes).unwrap();
        assert_eq!(key.validate(), Err(Error::BadAttrLength { ty: 21, len: n }));
        assert_eq!(
            key.mpls().unwrap().iter().count(),
            n / 4,
            "whole entries only"
        );
        assert!(format!("{key}").starts_with("mpls(<error: "));
    }
    // The writer takes 1 to 3 entries and writes nothing otherwise.
    let mut buf = [0xa5u8; 32];
    let mut w = Writer::new(&mut buf);
    let four = [KeyMpls::new(1, 0, false, 1); 4];
    for bad in [&four[..0], &four[..]] {
        assert_eq!(
            KeyWriter::new(&mut w).mpls(bad).map(|_| ()),
            Err(Error::BadAttrLength {
                ty: 21,
                len: bad.len() * 4
            })
        );
    }
    assert!(w.is_empty());
    assert_eq!(buf, [0xa5; 32]);
}

#[test]
fn geneve_options_are_whole_words() {
    let mut buf = [0xa5u8; 32];
    let mut w = Writer::new(&mut buf);
    let err = KeyWriter::new(&mut w)
        .tunnel(|t| t.id(1)?.geneve_opts(&[1, 2, 3]).map(|_| ()))
        .map(|_| ());
    assert_eq!(err, Err(Error::BadAttrLength { ty: 8, len: 3 }));
    assert!(w.is_empty(), "the tunnel nest is removed again");
    // Read side: 3 bytes of options parse, and validate rejects them.
    let opts = crate::table::tests::attr(8, &[1, 2, 3]);
    let bytes = crate::table::tests::attr(0x8000 | 16, &opts);
    let key = FlowKey::parse(&bytes).unwrap();
    assert_eq!(key.validate(), Err(Error::BadAttrLength { ty: 8, len: 3 }));
}

/// `levels` nested encaps, each holding only the next.
fn encap_chain(levels: usize) -> Vec<u8> {
    let mut bytes = crate::table::tests::attr(6, &0x0800u16.to_be_bytes());
    for _ in 0..levels {
        bytes = crate::table::tests::attr(0x8000 | 1, &bytes);
    }
    bytes
}

#[test]
fn the_encap_chain_is_bounded() {
    let ok = encap_chain(MAX_KEY_DEPTH - 1);
    let key = FlowKey::parse(&ok).unwrap();
    key.validate().unwrap();
    assert!(!format!("{key}").contains("error"));
    let deep = encap_chain(MAX_KEY_DEPTH);
    let key = FlowKey::parse(&deep).unwrap();
    assert_eq!(key.validate(), Err(Error::TooDeep));
    let text = format!("{key}");
    assert!(
        text.ends_with("encap(<error: nesting too deep>))))"),
        "{text}"
    );
    let mut level = key;
    for _ in 0..MAX_KEY_DEPTH - 1 {
        level = level.encap().unwrap().unwrap();
    }
    assert_eq!(level.encap().map(|r| r.err()), Some(Some(Error::TooDeep)));
    // Far deeper than any stack would like: still an error, quickly.
    let very = encap_chain(5000 / 4);
    if let Ok(key) = FlowKey::parse(&very) {
        assert_eq!(key.validate(), Err(Error::TooDeep));
        let _ = format!("{key}");
    }
}

#[test]
fn the_writer_stops_at_the_depth_bound_and_writes_nothing() {
    fn nest(k: &mut KeyWriter<'_, '_>, left: usize) -> Result<(), Error> {
        k.ethertype(0x8100)?;
        if left > 0 {
            k.encap(|k| nest(k, left - 1))?;
        }
        Ok(())
    }
    let mut buf = [0xa5u8; 256];
    let mut w = Writer::new(&mut buf);
    nest(&mut KeyWriter::new(&mut w), MAX_KEY_DEPTH - 1).unwrap();
    let len = w.len();
    assert_eq!(FlowKey::parse(w.as_bytes()).unwrap().validate(), Ok(()));
    let mut w = Writer::new(&mut buf[len..]);
    assert_eq!(
        nest(&mut KeyWriter::new(&mut w), MAX_KEY_DEPTH),
        Err(Error::TooDeep)
    );
    // The failure at the innermost level removed every level it was in.
    assert_eq!(w.len(), 8, "only the outermost ethertype stays");
}

#[test]
fn no_room_inside_a_nest_leaves_the_buffer_as_it_was() {
    for (want, build) in vectors() {
        for room in 0..want.len() {
            let mut buf = std::vec![0xa5u8; room];
            let mut w = Writer::new(&mut buf);
            let mut k = KeyWriter::new(&mut w);
            let err = build(&mut k).unwrap_err();
            assert!(matches!(err, Error::NoRoom { .. }), "{err:?}");
            // Whatever was written is whole attributes: a prefix of the vector
            // that parses.
            let len = w.len();
            assert_eq!(&buf[..len], &want[..len]);
            FlowKey::parse(&buf[..len]).unwrap().validate().unwrap();
        }
    }
}

#[test]
fn struct_helpers() {
    let mpls = KeyMpls::new(0xfffff, 7, true, 255);
    assert_eq!(mpls.mpls_lse.get(), u32::MAX);
    assert_eq!(
        (mpls.label(), mpls.tc(), mpls.bos(), mpls.ttl()),
        (0xfffff, 7, true, 255)
    );
    let cut = KeyMpls::new(0x1f_ffff, 0xff, false, 0);
    assert_eq!((cut.label(), cut.tc()), (0xfffff, 7));
    assert_eq!(ipv4().src(), V4_1);
    assert_eq!(ipv6().dst(), V6_2);
    assert_eq!(FragType::from(255), FragType::Any);
    assert_eq!(FragType::from(3), FragType::Unknown(3));
    assert_eq!(
        format!("{}", CtState(0x1ff)),
        "new|est|rel|rpl|inv|trk|snat|dnat|0x100"
    );
    let _ = U16::new(0);
}

#[test]
fn unknown_key_types_are_skipped_and_printed_raw() {
    let mut bytes = crate::table::tests::attr(3, &9u32.to_ne_bytes());
    bytes.extend(crate::table::tests::attr(40, &[0xab]));
    bytes.extend(crate::table::tests::attr(0, &[]));
    let key = FlowKey::parse(&bytes).unwrap();
    assert_eq!(key.index().unknown(), 2);
    assert_eq!(format!("{key}"), "in_port(9),key40(ab),key0()");
}

#[test]
fn index_and_flow_key_agree() {
    let index = Index::<KeyAttrs>::parse(&L2L3).unwrap();
    let key = FlowKey::from_index(index);
    assert_eq!(key.in_port(), index.get(KeyAttrs::IN_PORT));
    assert_eq!(format!("{:?}", key.mpls()), "None");
    let _ = <KeyAttrs as AttrSet>::empty_slots();
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use std::boxed::Box;
    use zerocopy::FromBytes;

    /// The parts of an NSH nest.
    type Nsh = (Option<NshBase>, Option<NshMd1>, Option<Vec<u8>>);

    /// One key level as plain owned data.
    #[derive(Debug, Clone, PartialEq, Default)]
    struct Level {
        priority: Option<u32>,
        in_port: Option<u32>,
        eth: Option<KeyEthernet>,
        vlan: Option<u16>,
        ethertype: Option<u16>,
        ipv4: Option<KeyIpv4>,
        ipv6: Option<KeyIpv6>,
        tcp: Option<KeyTcp>,
        udp: Option<KeyUdp>,
        icmp: Option<KeyIcmp>,
        icmpv6: Option<KeyIcmp>,
        arp: Option<KeyArp>,
        nd: Option<KeyNd>,
        skb_mark: Option<u32>,
        sctp: Option<KeySctp>,
        tcp_flags: Option<u16>,
        dp_hash: Option<u32>,
        recirc_id: Option<u32>,
        mpls: Option<Vec<KeyMpls>>,
        ct_state: Option<u32>,
        ct_zone: Option<u16>,
        ct_mark: Option<u32>,
        ct_labels: Option<[u8; 16]>,
        ct4: Option<KeyCtTupleIpv4>,
        ct6: Option<KeyCtTupleIpv6>,
        packet_type: Option<u32>,
        nd_ext: Option<Vec<u8>>,
        tunnel_info: Option<Vec<u8>>,
        exthdrs: Option<KeyIpv6Exthdrs>,
        tunnel: Option<Tunnel>,
        nsh: Option<Nsh>,
        encap: Option<Box<Level>>,
    }

    #[derive(Debug, Clone, PartialEq, Default)]
    struct Tunnel {
        id: Option<u64>,
        v4: Option<(Ipv4Addr, Ipv4Addr)>,
        v6: Option<(Ipv6Addr, Ipv6Addr)>,
        tos: Option<u8>,
        ttl: Option<u8>,
        flags: [bool; 4],
        ports: Option<(u16, u16)>,
        geneve: Option<Vec<u8>>,
        gbp: Option<u32>,
        erspan: Option<Vec<u8>>,
    }

    /// Reads values off a byte pool, cycling.
    struct Pool<'a>(&'a [u8], usize);

    impl Pool<'_> {
        fn take<const N: usize>(&mut self) -> [u8; N] {
            core::array::from_fn(|_| {
                let b = self.0[self.1 % self.0.len()];
                self.1 += 1;
                b
            })
        }
        fn u32(&mut self) -> u32 {
            u32::from_ne_bytes(self.take())
        }
        fn u16(&mut self) -> u16 {
            u16::from_ne_bytes(self.take())
        }
        fn st<T: FromBytes, const N: usize>(&mut self) -> T {
            T::read_from_bytes(&self.take::<N>()).unwrap()
        }
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| self.take::<1>()[0]).collect()
        }
    }

    fn level(pool: &mut Pool<'_>, present: u64) -> Level {
        let on = |bit: u32| present & (1 << bit) != 0;
        Level {
            priority: on(0).then(|| pool.u32()),
            in_port: on(1).then(|| pool.u32()),
            eth: on(2).then(|| pool.st::<_, 12>()),
            vlan: on(3).then(|| pool.u16()),
            ethertype: on(4).then(|| pool.u16()),
            ipv4: on(5).then(|| pool.st::<_, 12>()),
            ipv6: on(6).then(|| pool.st::<_, 40>()),
            tcp: on(7).then(|| pool.st::<_, 4>()),
            udp: on(8).then(|| pool.st::<_, 4>()),
            icmp: on(9).then(|| pool.st::<_, 2>()),
            icmpv6: on(10).then(|| pool.st::<_, 2>()),
            arp: on(11).then(|| pool.st::<_, 24>()),
            nd: on(12).then(|| pool.st::<_, 28>()),
            skb_mark: on(13).then(|| pool.u32()),
            sctp: on(14).then(|| pool.st::<_, 4>()),
            tcp_flags: on(15).then(|| pool.u16()),
            dp_hash: on(16).then(|| pool.u32()),
            recirc_id: on(17).then(|| pool.u32()),
            mpls: on(18).then(|| {
                let n = 1 + usize::from(pool.take::<1>()[0] % 3);
                (0..n).map(|_| pool.st::<_, 4>()).collect()
            }),
            ct_state: on(19).then(|| pool.u32()),
            ct_zone: on(20).then(|| pool.u16()),
            ct_mark: on(21).then(|| pool.u32()),
            ct_labels: on(22).then(|| pool.take()),
            ct4: on(23).then(|| pool.st::<_, 16>()),
            ct6: on(24).then(|| pool.st::<_, 40>()),
            packet_type: on(25).then(|| pool.u32()),
            nd_ext: on(26).then(|| {
                let n = usize::from(pool.take::<1>()[0] % 12);
                pool.bytes(n)
            }),
            tunnel_info: on(27).then(|| {
                let n = usize::from(pool.take::<1>()[0] % 40);
                pool.bytes(n)
            }),
            exthdrs: on(28).then(|| pool.st::<_, 2>()),
            tunnel: on(29).then(|| {
                let bits = pool.u32();
                let b = |i: u32| bits & (1 << i) != 0;
                Tunnel {
                    id: b(0).then(|| u64::from_ne_bytes(pool.take())),
                    v4: b(1).then(|| (pool.u32().into(), pool.u32().into())),
                    v6: b(2).then(|| (pool.take::<16>().into(), pool.take::<16>().into())),
                    tos: b(3).then(|| pool.take::<1>()[0]),
                    ttl: b(4).then(|| pool.take::<1>()[0]),
                    flags: [b(5), b(6), b(7), b(8)],
                    ports: b(9).then(|| (pool.u16(), pool.u16())),
                    geneve: b(10).then(|| {
                        let n = 4 * usize::from(pool.take::<1>()[0] % 64);
                        pool.bytes(n)
                    }),
                    gbp: b(11).then(|| pool.u32()),
                    erspan: b(12).then(|| {
                        let n = usize::from(pool.take::<1>()[0] % 13);
                        pool.bytes(n)
                    }),
                }
            }),
            nsh: on(30).then(|| {
                let bits = pool.take::<1>()[0];
                (
                    (bits & 1 != 0).then(|| pool.st::<_, 8>()),
                    (bits & 2 != 0).then(|| pool.st::<_, 16>()),
                    (bits & 4 != 0).then(|| {
                        let n = 1 + usize::from(pool.take::<1>()[0] % 248);
                        pool.bytes(n)
                    }),
                )
            }),
            encap: None,
        }
    }

    fn write_level(k: &mut KeyWriter<'_, '_>, l: &Level) -> Result<(), Error> {
        macro_rules! opt {
            ($field:ident, $method:ident) => {
                if let Some(v) = &l.$field {
                    k.$method(v)?;
                }
            };
            ($field:ident, $method:ident, copy) => {
                if let Some(v) = l.$field {
                    k.$method(v)?;
                }
            };
        }
        opt!(priority, priority, copy);
        opt!(in_port, in_port, copy);
        opt!(eth, eth);
        opt!(vlan, vlan, copy);
        opt!(ethertype, ethertype, copy);
        opt!(ipv4, ipv4);
        opt!(ipv6, ipv6);
        opt!(tcp, tcp);
        opt!(udp, udp);
        opt!(icmp, icmp);
        opt!(icmpv6, icmpv6);
        opt!(arp, arp);
        opt!(nd, nd);
        opt!(skb_mark, skb_mark, copy);
        opt!(sctp, sctp);
        opt!(tcp_flags, tcp_flags, copy);
        opt!(dp_hash, dp_hash, copy);
        opt!(recirc_id, recirc_id, copy);
        opt!(mpls, mpls);
        if let Some(s) = l.ct_state {
            k.ct_state(CtState(s))?;
        }
        opt!(ct_zone, ct_zone, copy);
        opt!(ct_mark, ct_mark, copy);
        opt!(ct_labels, ct_labels);
        opt!(ct4, ct_orig_tuple_ipv4);
        opt!(ct6, ct_orig_tuple_ipv6);
        opt!(packet_type, packet_type, copy);
        opt!(nd_ext, nd_extensions);
        opt!(tunnel_info, tunnel_info);
        opt!(exthdrs, ipv6_exthdrs);
        if let Some(t) = &l.tunnel {
            k.tunnel(|w| {
                if let Some(id) = t.id {
                    w.id(id)?;
                }
                if let Some((s, d)) = t.v4 {
                    w.ipv4_src(s)?.ipv4_dst(d)?;
                }
                if let Some((s, d)) = t.v6 {
                    w.ipv6_src(s)?.ipv6_dst(d)?;
                }
                if let Some(tos) = t.tos {
                    w.tos(tos)?;
                }
                if let Some(ttl) = t.ttl {
                    w.ttl(ttl)?;
                }
                let [df, csum, oam, bridge] = t.flags;
                if df {
                    w.dont_fragment()?;
                }
                if csum {
                    w.csum()?;
                }
                if oam {
                    w.oam()?;
                }
                if bridge {
                    w.ipv4_info_bridge()?;
                }
                if let Some((s, d)) = t.ports {
                    w.tp_src(s)?.tp_dst(d)?;
                }
                if let Some(g) = &t.geneve {
                    w.geneve_opts(g)?;
                }
                if let Some(gbp) = t.gbp {
                    w.vxlan_gbp(gbp)?;
                }
                if let Some(e) = &t.erspan {
                    w.erspan_opts(e)?;
                }
                Ok(())
            })?;
        }
        if let Some((base, md1, md2)) = &l.nsh {
            k.nsh(base.as_ref(), md1.as_ref(), md2.as_deref())?;
        }
        if let Some(inner) = &l.encap {
            k.encap(|k| write_level(k, inner))?;
        }
        Ok(())
    }

    fn read_level(key: &FlowKey<'_>) -> Level {
        let tunnel = key.tunnel().map(|t| {
            let t = t.unwrap();
            Tunnel {
                id: t.id(),
                v4: t.ipv4_src().zip(t.ipv4_dst()),
                v6: t.ipv6_src().zip(t.ipv6_dst()),
                tos: t.tos(),
                ttl: t.ttl(),
                flags: [t.dont_fragment(), t.csum(), t.oam(), t.ipv4_info_bridge()],
                ports: t.tp_src().zip(t.tp_dst()),
                geneve: t.geneve_opts().map(<[u8]>::to_vec),
                gbp: t
                    .vxlan_opts()
                    .and_then(|v| v.unwrap().get(VxlanExtAttrs::GBP)),
                erspan: t.erspan_opts().map(<[u8]>::to_vec),
            }
        });
        Level {
            priority: key.priority(),
            in_port: key.in_port(),
            eth: key.eth().copied(),
            vlan: key.vlan(),
            ethertype: key.ethertype(),
            ipv4: key.ipv4().copied(),
            ipv6: key.ipv6().copied(),
            tcp: key.tcp().copied(),
            udp: key.udp().copied(),
            icmp: key.icmp().copied(),
            icmpv6: key.icmpv6().copied(),
            arp: key.arp().copied(),
            nd: key.nd().copied(),
            skb_mark: key.skb_mark(),
            sctp: key.sctp().copied(),
            tcp_flags: key.tcp_flags(),
            dp_hash: key.dp_hash(),
            recirc_id: key.recirc_id(),
            mpls: key.mpls().map(|m| m.iter().collect()),
            ct_state: key.ct_state().map(CtState::bits),
            ct_zone: key.ct_zone(),
            ct_mark: key.ct_mark(),
            ct_labels: key.ct_labels().map(|l| l.try_into().unwrap()),
            ct4: key.ct_orig_tuple_ipv4().copied(),
            ct6: key.ct_orig_tuple_ipv6().copied(),
            packet_type: key.packet_type(),
            nd_ext: key.nd_extensions().map(<[u8]>::to_vec),
            tunnel_info: key.tunnel_info().map(<[u8]>::to_vec),
            exthdrs: key.ipv6_exthdrs().copied(),
            tunnel,
            nsh: key.nsh().map(|n| {
                let n = n.unwrap();
                (
                    n.base().copied(),
                    n.md1().copied(),
                    n.md2().map(<[u8]>::to_vec),
                )
            }),
            encap: key
                .encap()
                .map(|inner| Box::new(read_level(&inner.unwrap()))),
        }
    }

    fn flow() -> impl Strategy<Value = Level> {
        (
            prop::collection::vec(any::<u8>(), 1..600),
            prop::collection::vec(any::<u64>(), 1..=MAX_KEY_DEPTH),
        )
            .prop_map(|(pool, levels)| {
                let mut pool = Pool(&pool, 0);
                let mut out: Option<Level> = None;
                for present in levels.iter().rev() {
                    let mut l = level(&mut pool, *present);
                    l.encap = out.map(Box::new);
                    out = Some(l);
                }
                out.unwrap_or_default()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn typed_flows_encode_and_decode_back_equal(flow in flow()) {
            let mut buf = std::vec![0xa5u8; 16_384];
            let mut w = Writer::new(&mut buf);
            write_level(&mut KeyWriter::new(&mut w), &flow).unwrap();
            let key = FlowKey::parse(w.as_bytes()).unwrap();
            key.validate().unwrap();
            prop_assert_eq!(read_level(&key), flow);
            let text = format!("{key}");
            prop_assert!(!text.contains("error"), "{}", text);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let _ = format!("{}", FlowKeyText(&bytes));
            if let Ok(key) = FlowKey::parse(&bytes) {
                let _ = key.validate();
                let _ = format!("{}", key.with_mask(key));
                let _ = (key.tunnel(), key.nsh(), key.mpls().map(|m| m.iter().count()));
            }
        }

        #[test]
        fn deep_chains_of_encap_and_tunnel_never_panic(
            depth in 0usize..64,
            tail in prop::collection::vec(any::<u8>(), 0..64),
        ) {
            let mut bytes = tail;
            for i in 0..depth {
                let ty = if i % 5 == 4 { 16 } else { 1 };
                bytes = crate::table::tests::attr(ty, &bytes);
            }
            if let Ok(key) = FlowKey::parse(&bytes) {
                let result = key.validate();
                // The outermost MAX_KEY_DEPTH + 1 levels all encap: too deep.
                let outer = depth.saturating_sub(MAX_KEY_DEPTH + 1)..depth;
                if depth > MAX_KEY_DEPTH && outer.clone().all(|i| i % 5 != 4) {
                    prop_assert!(result.is_err());
                }
                let _ = format!("{key}");
            }
        }
    }
}

#[test]
fn validate_checks_every_occurrence_not_only_the_last() {
    use crate::table::tests::attr;
    // A bad MPLS first, a good one last: the getter sees the good one, but
    // the key as a whole is not valid.
    let mut bytes = attr(21, &[0; 6]);
    bytes.extend(attr(21, &[0; 4]));
    let key = FlowKey::parse(&bytes).unwrap();
    assert_eq!(key.mpls().unwrap().count(), 1);
    assert_eq!(key.validate(), Err(Error::BadAttrLength { ty: 21, len: 6 }));
    // A first encap that goes too deep, then a shallow one.
    let mut bytes = encap_chain(MAX_KEY_DEPTH);
    bytes.extend(encap_chain(1));
    let key = FlowKey::parse(&bytes).unwrap();
    assert!(key.encap().unwrap().is_ok());
    assert_eq!(key.validate(), Err(Error::TooDeep));
    // A bad first tunnel.
    let mut bytes = attr(0x8000 | 16, &attr(0, &[1, 2]));
    bytes.extend(attr(0x8000 | 16, &attr(0, &[0; 8])));
    let key = FlowKey::parse(&bytes).unwrap();
    assert_eq!(key.tunnel().unwrap().unwrap().id(), Some(0));
    assert_eq!(key.validate(), Err(Error::BadAttrLength { ty: 0, len: 2 }));
}
