//! Byte vectors from `linux/openvswitch.h`, field by field (little-endian host).

extern crate std;
use std::format;
use std::vec::Vec;

use proptest::prelude::*;
use zerocopy::FromBytes;

use super::request::{self, FAMILY};
use super::*;
use crate::nlmsg::Message;
use crate::table::AttrSet;

const FAMILY_ID: u16 = 0x22;

/// A kernel-shaped `get` reply for VXLAN port 2 `vx0` of datapath 5, in
/// the kernel's order; its nests without `NLA_F_NESTED`
/// (`nla_nest_start_noflag`).
#[rustfmt::skip]
const REPLY: [u8; 180] = [
    0xb4, 0x00, 0x00, 0x00, // nlmsg_len = 180
    0x22, 0x00,             // nlmsg_type = 0x22 (ovs_vport here)
    0x00, 0x00,             // nlmsg_flags = 0
    0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
    0x10, 0x00, 0x00, 0x00, // nlmsg_pid = 16
    0x01, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_VPORT_CMD_NEW, version 1
    0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
    // offset 24
    0x08, 0x00, 0x01, 0x00, // nla_len = 8, OVS_VPORT_ATTR_PORT_NO
    0x02, 0x00, 0x00, 0x00, // 2
    0x08, 0x00, 0x02, 0x00, // nla_len = 8, OVS_VPORT_ATTR_TYPE
    0x04, 0x00, 0x00, 0x00, // OVS_VPORT_TYPE_VXLAN
    0x08, 0x00, 0x03, 0x00, // nla_len = 8, OVS_VPORT_ATTR_NAME
    b'v', b'x', b'0', 0x00, // "vx0\0"
    0x08, 0x00, 0x08, 0x00, // nla_len = 8, OVS_VPORT_ATTR_IFINDEX
    0x07, 0x00, 0x00, 0x00, // 7
    // offset 56
    0x44, 0x00, 0x06, 0x00, // nla_len = 68, OVS_VPORT_ATTR_STATS (struct ovs_vport_stats)
    0x01, 0, 0, 0, 0, 0, 0, 0, // rx_packets = 1
    0x02, 0, 0, 0, 0, 0, 0, 0, // tx_packets = 2
    0x03, 0, 0, 0, 0, 0, 0, 0, // rx_bytes = 3
    0x04, 0, 0, 0, 0, 0, 0, 0, // tx_bytes = 4
    0x05, 0, 0, 0, 0, 0, 0, 0, // rx_errors = 5
    0x06, 0, 0, 0, 0, 0, 0, 0, // tx_errors = 6
    0x07, 0, 0, 0, 0, 0, 0, 0, // rx_dropped = 7
    0x08, 0, 0, 0, 0, 0, 0, 0, // tx_dropped = 8
    // offset 124
    0x1c, 0x00, 0x0a, 0x00, // nla_len = 28, OVS_VPORT_ATTR_UPCALL_STATS (no NLA_F_NESTED)
    0x0c, 0x00, 0x00, 0x00, //   nla_len = 12, OVS_VPORT_UPCALL_ATTR_SUCCESS (type 0)
    0x09, 0, 0, 0, 0, 0, 0, 0, //   9
    0x0c, 0x00, 0x01, 0x00, //   nla_len = 12, OVS_VPORT_UPCALL_ATTR_FAIL
    0x0a, 0, 0, 0, 0, 0, 0, 0, //   10
    // offset 152
    0x08, 0x00, 0x05, 0x00, // nla_len = 8, OVS_VPORT_ATTR_UPCALL_PID
    0x64, 0x00, 0x00, 0x00, // 100
    // offset 160
    0x14, 0x00, 0x04, 0x00, // nla_len = 20, OVS_VPORT_ATTR_OPTIONS (no NLA_F_NESTED)
    0x06, 0x00, 0x01, 0x00, //   nla_len = 6, OVS_TUNNEL_ATTR_DST_PORT
    0xb5, 0x12, 0x00, 0x00, //   4789 (host order) + 2 padding
    0x08, 0x00, 0x02, 0x00, //   nla_len = 8, OVS_TUNNEL_ATTR_EXTENSION (no NLA_F_NESTED)
    0x04, 0x00, 0x01, 0x00, //     nla_len = 4, OVS_VXLAN_EXT_GBP (flag)
];

/// `new` of [`vxlan`] in datapath 5.
#[rustfmt::skip]
const NEW: [u8; 68] = [
    0x44, 0x00, 0x00, 0x00, // nlmsg_len = 68
    0x22, 0x00,             // nlmsg_type = 0x22
    0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
    0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
    0x01, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_VPORT_CMD_NEW, version 1
    0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
    0x08, 0x00, 0x02, 0x00, // nla_len = 8, OVS_VPORT_ATTR_TYPE
    0x04, 0x00, 0x00, 0x00, // OVS_VPORT_TYPE_VXLAN
    0x0b, 0x00, 0x03, 0x00, // nla_len = 11, OVS_VPORT_ATTR_NAME
    b'v', b'x', b'l', b'a', b'n', b'0', 0x00, 0x00, // "vxlan0\0" + 1 padding
    0x0c, 0x00, 0x04, 0x80, // nla_len = 12, OVS_VPORT_ATTR_OPTIONS | NLA_F_NESTED
    0x06, 0x00, 0x01, 0x00, //   nla_len = 6, OVS_TUNNEL_ATTR_DST_PORT
    0xb5, 0x12, 0x00, 0x00, //   4789 + 2 padding
    0x0c, 0x00, 0x05, 0x00, // nla_len = 12, OVS_VPORT_ATTR_UPCALL_PID
    0x64, 0x00, 0x00, 0x00, // 100
    0x65, 0x00, 0x00, 0x00, // 101
];

const PIDS: [u32; 2] = [100, 101];

fn vxlan() -> VportSpec<'static> {
    VportSpec {
        ty: Some(VportType::Vxlan),
        name: Some("vxlan0"),
        options: Some(VportOptions {
            dst_port: Some(4789),
            gbp: false,
        }),
        upcall_pids: Some(&PIDS),
        ..VportSpec::default()
    }
}

fn assert_no_room(want: &[u8], build: impl Fn(&mut [u8]) -> Result<&[u8], Error>) {
    for cap in 0..want.len() {
        let mut buf = std::vec![0xa5u8; cap];
        assert_eq!(
            build(&mut buf).unwrap_err(),
            Error::NoRoom { needed: want.len() },
            "{cap}"
        );
        assert!(buf.iter().all(|&b| b == 0xa5), "{cap}: nothing written");
    }
    let mut buf = std::vec![0xa5u8; want.len() + 4];
    assert_eq!(build(&mut buf).unwrap(), want);
    assert_eq!(&buf[want.len()..], &[0xa5; 4]);
}

#[test]
fn the_stats_struct_follows_the_header() {
    let stats = VportStats::ref_from_bytes(&REPLY[60..124]).unwrap();
    assert_eq!(
        (
            stats.rx_packets.get(),
            stats.tx_bytes.get(),
            stats.tx_dropped.get()
        ),
        (1, 4, 8)
    );
    assert_eq!(core::mem::size_of::<VportStats>(), 64);
    let tx_dropped = VportStats::MEMBERS[7];
    assert_eq!(tx_dropped.name, "tx-dropped");
    assert_eq!(tx_dropped.bytes(&REPLY[60..124]), Some(&REPLY[116..124]));
}

#[test]
fn a_reply_reads_back() {
    let message = Message::parse(&REPLY).unwrap();
    let port = Vport::parse(&message).unwrap();
    assert_eq!((port.cmd(), port.dp_ifindex()), (Cmd::New, 5));
    assert_eq!(port.port_no(), Some(2));
    assert_eq!(port.ty(), Some(VportType::Vxlan));
    assert_eq!(port.name().unwrap(), "vx0");
    assert_eq!(port.ifindex(), Some(7));
    assert_eq!(port.netnsid(), None);
    assert_eq!(port.stats().unwrap().rx_errors.get(), 5);
    assert_eq!(
        port.upcall_stats(),
        Some(UpcallStats {
            success: Some(9),
            fail: Some(10)
        })
    );
    assert_eq!(port.upcall_pids().unwrap(), &[100u32][..]);
    assert_eq!(
        port.options(),
        Some(VportOptions {
            dst_port: Some(4789),
            gbp: true
        })
    );
    assert_eq!(
        format!("{port}"),
        "port 2: vx0 (vxlan: dst_port=4789, gbp)\n    RX packets:1 errors:5 dropped:7\n    \
         TX packets:2 errors:6 dropped:8\n    RX bytes:3  TX bytes:4\n    upcall: success:9 fail:10"
    );
}

#[test]
fn nests_read_the_same_with_and_without_nla_f_nested() {
    let mut flagged = REPLY;
    flagged[127] |= 0x80; // upcall-stats | NLA_F_NESTED
    flagged[163] |= 0x80; // options | NLA_F_NESTED
    flagged[175] |= 0x80; // extension | NLA_F_NESTED
    let plain = Vport::parse(&Message::parse(&REPLY).unwrap()).unwrap();
    let nested = Vport::parse(&Message::parse(&flagged).unwrap()).unwrap();
    assert_eq!(plain.options(), nested.options());
    assert_eq!(plain.upcall_stats(), nested.upcall_stats());
    assert_eq!(format!("{plain}"), format!("{nested}"));
}

#[test]
fn truncated_and_bad_replies() {
    for n in 16..REPLY.len() {
        let mut cut = REPLY;
        cut[0] = u8::try_from(n).unwrap();
        let Ok(message) = Message::parse(&cut[..n]) else {
            continue;
        };
        if let Ok(port) = Vport::parse(&message) {
            let _ = format!("{port}");
        }
    }
    // dst-port of 4 bytes (what the spec's u32 would be) is refused, as the kernel does.
    let mut bad = REPLY;
    bad[164] = 0x08;
    let message = Message::parse(&bad).unwrap();
    assert_eq!(
        Vport::parse(&message).unwrap_err(),
        Error::BadAttrLength { ty: 1, len: 4 }
    );
    // An upcall-pid of 3 bytes.
    let mut bad = REPLY;
    bad[152] = 0x07;
    let message = Message::parse(&bad).unwrap();
    assert_eq!(
        Vport::parse(&message).unwrap_err(),
        Error::BadAttrLength { ty: 5, len: 3 }
    );
}

#[test]
fn new_vxlan_request_and_its_round_trip() {
    assert_no_room(&NEW, |buf| request::new(buf, FAMILY_ID, 7, 5, &vxlan()));
    let mut buf = [0u8; 96];
    let bytes = request::new(&mut buf, FAMILY_ID, 7, 5, &vxlan()).unwrap();
    let port = Vport::parse(&Message::parse(bytes).unwrap()).unwrap();
    assert_eq!(port.ty(), Some(VportType::Vxlan));
    assert_eq!(port.name().unwrap(), "vxlan0");
    assert_eq!(port.options(), vxlan().options);
    assert_eq!(port.upcall_pids().unwrap(), &PIDS[..]);
    assert_eq!(format!("{port}"), "port ?: vxlan0 (vxlan: dst_port=4789)");
    let gbp = VportSpec {
        options: Some(VportOptions {
            dst_port: Some(4789),
            gbp: true,
        }),
        ..vxlan()
    };
    let bytes = request::new(&mut buf, FAMILY_ID, 7, 5, &gbp).unwrap();
    assert_eq!(bytes.len(), NEW.len() + 8);
    let port = Vport::parse(&Message::parse(bytes).unwrap()).unwrap();
    assert_eq!(port.options(), gbp.options);

    let mut buf = [0xa5u8; 96];
    let nameless = VportSpec {
        name: None,
        ..vxlan()
    };
    assert_eq!(
        request::new(&mut buf, FAMILY_ID, 7, 5, &nameless).unwrap_err(),
        Error::MissingAttr { ty: 3 }
    );
    let untyped = VportSpec {
        ty: None,
        ..vxlan()
    };
    assert_eq!(
        request::new(&mut buf, FAMILY_ID, 7, 5, &untyped).unwrap_err(),
        Error::MissingAttr { ty: 2 }
    );
    assert_eq!(buf, [0xa5; 96]);
}

#[test]
fn del_get_dump_and_set_requests() {
    #[rustfmt::skip]
    let del: [u8; 32] = [
        0x20, 0x00, 0x00, 0x00, // nlmsg_len = 32
        0x22, 0x00,             // nlmsg_type
        0x01, 0x00,             // NLM_F_REQUEST
        0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x02, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_VPORT_CMD_DEL, version 1
        0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, OVS_VPORT_ATTR_PORT_NO
        0x02, 0x00, 0x00, 0x00, // 2
    ];
    assert_no_room(&del, |buf| {
        request::del(buf, FAMILY_ID, 3, 5, VportId::PortNo(2))
    });
    #[rustfmt::skip]
    let get: [u8; 32] = [
        0x20, 0x00, 0x00, 0x00, // nlmsg_len = 32
        0x22, 0x00,             // nlmsg_type
        0x01, 0x00,             // NLM_F_REQUEST
        0x04, 0x00, 0x00, 0x00, // nlmsg_seq = 4
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x03, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_VPORT_CMD_GET, version 1
        0x00, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 0
        0x08, 0x00, 0x03, 0x00, // nla_len = 8, OVS_VPORT_ATTR_NAME
        b'v', b'x', b'0', 0x00, // "vx0\0"
    ];
    assert_no_room(&get, |buf| {
        request::get(buf, FAMILY_ID, 4, 0, VportId::Name("vx0"))
    });
    #[rustfmt::skip]
    let dump: [u8; 24] = [
        0x18, 0x00, 0x00, 0x00, // nlmsg_len = 24
        0x22, 0x00,             // nlmsg_type
        0x01, 0x03,             // NLM_F_REQUEST | NLM_F_DUMP
        0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x03, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_VPORT_CMD_GET, version 1
        0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
    ];
    assert_no_room(&dump, |buf| request::dump(buf, FAMILY_ID, 5, 5));
    #[rustfmt::skip]
    let set: [u8; 40] = [
        0x28, 0x00, 0x00, 0x00, // nlmsg_len = 40
        0x22, 0x00,             // nlmsg_type
        0x01, 0x00,             // NLM_F_REQUEST
        0x06, 0x00, 0x00, 0x00, // nlmsg_seq = 6
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x04, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_VPORT_CMD_SET, version 1
        0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, OVS_VPORT_ATTR_PORT_NO
        0x02, 0x00, 0x00, 0x00, // 2
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, OVS_VPORT_ATTR_UPCALL_PID
        0x00, 0x00, 0x00, 0x00, // [0]: no upcalls
    ];
    let spec = VportSpec {
        port_no: Some(2),
        upcall_pids: Some(&[0]),
        ..VportSpec::default()
    };
    assert_no_room(&set, |buf| request::set(buf, FAMILY_ID, 6, 5, &spec));
}

#[test]
fn display_of_other_types() {
    let mut buf = [0u8; 64];
    let spec = VportSpec {
        port_no: Some(0),
        ty: Some(VportType::Internal),
        name: Some("br0"),
        ..VportSpec::default()
    };
    let bytes = request::set(&mut buf, FAMILY_ID, 1, 5, &spec).unwrap();
    let port = Vport::parse(&Message::parse(bytes).unwrap()).unwrap();
    assert_eq!(format!("{port}"), "port 0: br0 (internal)");
    let spec = VportSpec {
        port_no: Some(1),
        ty: Some(VportType::Netdev),
        name: Some("eth0"),
        ..VportSpec::default()
    };
    let bytes = request::set(&mut buf, FAMILY_ID, 1, 5, &spec).unwrap();
    let port = Vport::parse(&Message::parse(bytes).unwrap()).unwrap();
    assert_eq!(format!("{port}"), "port 1: eth0");
    let spec = VportSpec {
        ty: Some(VportType::Unknown(9)),
        ..VportSpec::default()
    };
    let bytes = request::set(&mut buf, FAMILY_ID, 1, 5, &spec).unwrap();
    let port = Vport::parse(&Message::parse(bytes).unwrap()).unwrap();
    assert_eq!(format!("{port}"), "port ?: ? (9)");
}

#[test]
fn layout_and_family_declaration() {
    assert_eq!(request::layout().header_len, 8);
    assert_eq!(request::layout().attrs.name, "vport");
    assert_eq!(FAMILY.name, "ovs_vport");
    for op in FAMILY.ops {
        for &ty in op.do_request.unwrap() {
            assert!(VportAttrs::table().def(ty).is_some(), "{} {ty}", op.name);
        }
    }
    assert_eq!(UpcallStatsAttrs::table().name_of(0), Some("success"));
    assert_eq!(VportType::from_name("geneve"), Some(VportType::Geneve));
}

fn any_type() -> impl Strategy<Value = VportType> {
    (0u32..8).prop_map(VportType::from)
}

proptest! {
    #[test]
    fn any_spec_round_trips(
        port_no in proptest::option::of(any::<u32>()),
        ty in proptest::option::of(any_type()),
        name in proptest::option::of("[a-z0-9_]{1,15}"),
        options in proptest::option::of((proptest::option::of(any::<u16>()), any::<bool>())),
        pids in proptest::option::of(proptest::collection::vec(any::<u32>(), 0..6)),
        ifindex in proptest::option::of(any::<u32>()),
        dp_ifindex in any::<i32>(),
    ) {
        let spec = VportSpec {
            port_no,
            ty,
            name: name.as_deref(),
            options: options.map(|(dst_port, gbp)| VportOptions { dst_port, gbp }),
            upcall_pids: pids.as_deref(),
            ifindex,
        };
        let mut buf = [0u8; 256];
        let bytes = request::set(&mut buf, FAMILY_ID, 1, dp_ifindex, &spec).unwrap();
        prop_assert_eq!(bytes.len(), 24 + spec.attrs_len().unwrap());
        let port = Vport::parse(&Message::parse(bytes).unwrap()).unwrap();
        prop_assert_eq!(port.dp_ifindex(), dp_ifindex);
        let read = VportSpec {
            port_no: port.port_no(),
            ty: port.ty(),
            name: port.name().map(|n| n.to_str().unwrap()),
            options: port.options(),
            upcall_pids: None,
            ifindex: port.ifindex(),
        };
        prop_assert_eq!(read, VportSpec { upcall_pids: None, ..spec });
        match (port.upcall_pids(), spec.upcall_pids) {
            (Some(read), Some(want)) => prop_assert!(read == want),
            (None, None) => {}
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn any_bytes_after_the_headers_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut bytes = Vec::from(&REPLY[..24]);
        bytes.extend_from_slice(&tail);
        let len = u32::try_from(bytes.len()).unwrap();
        bytes[..4].copy_from_slice(&len.to_ne_bytes());
        let message = Message::parse(&bytes).unwrap();
        if let Ok(port) = Vport::parse(&message) {
            let _ = format!("{port}");
        }
    }
}
