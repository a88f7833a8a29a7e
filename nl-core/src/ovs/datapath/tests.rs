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

const FAMILY_ID: u16 = 0x21;

/// A kernel-shaped `get` reply for datapath `ovs-system` (dp_ifindex 5).
#[rustfmt::skip]
const REPLY: [u8; 140] = [
    0x8c, 0x00, 0x00, 0x00, // nlmsg_len = 140
    0x21, 0x00,             // nlmsg_type = 0x21 (ovs_datapath here)
    0x00, 0x00,             // nlmsg_flags = 0
    0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
    0x10, 0x00, 0x00, 0x00, // nlmsg_pid = 16
    0x01, 0x02, 0x00, 0x00, // genlmsghdr: cmd = OVS_DP_CMD_NEW, version 2
    0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
    // offset 24
    0x0f, 0x00, 0x01, 0x00, // nla_len = 15, OVS_DP_ATTR_NAME
    b'o', b'v', b's', b'-', b's', b'y', b's', b't', b'e', b'm', 0x00, // "ovs-system\0"
    0x00,                   // padding
    // offset 40
    0x24, 0x00, 0x03, 0x00, // nla_len = 36, OVS_DP_ATTR_STATS (struct ovs_dp_stats)
    0x0a, 0, 0, 0, 0, 0, 0, 0, // n_hit = 10
    0x02, 0, 0, 0, 0, 0, 0, 0, // n_missed = 2
    0x01, 0, 0, 0, 0, 0, 0, 0, // n_lost = 1
    0x03, 0, 0, 0, 0, 0, 0, 0, // n_flows = 3
    // offset 76
    0x24, 0x00, 0x04, 0x00, // nla_len = 36, OVS_DP_ATTR_MEGAFLOW_STATS
    0x0c, 0, 0, 0, 0, 0, 0, 0, // n_mask_hit = 12
    0x01, 0, 0, 0,          // n_masks = 1
    0x00, 0, 0, 0,          // pad0
    0x07, 0, 0, 0, 0, 0, 0, 0, // n_cache_hit = 7
    0x00, 0, 0, 0, 0, 0, 0, 0, // pad1
    // offset 112
    0x08, 0x00, 0x05, 0x00, // nla_len = 8, OVS_DP_ATTR_USER_FEATURES
    0x03, 0x00, 0x00, 0x00, // unaligned | vport-pids
    0x08, 0x00, 0x07, 0x00, // nla_len = 8, OVS_DP_ATTR_MASKS_CACHE_SIZE
    0x00, 0x01, 0x00, 0x00, // 256
    0x0c, 0x00, 0x08, 0x00, // nla_len = 12, OVS_DP_ATTR_PER_CPU_PIDS
    0x64, 0x00, 0x00, 0x00, // cpu 0: 100
    0x65, 0x00, 0x00, 0x00, // cpu 1: 101
];

/// `new` of [`spec`].
#[rustfmt::skip]
const NEW: [u8; 56] = [
    0x38, 0x00, 0x00, 0x00, // nlmsg_len = 56
    0x21, 0x00,             // nlmsg_type = 0x21
    0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
    0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
    0x01, 0x02, 0x00, 0x00, // genlmsghdr: cmd = OVS_DP_CMD_NEW, version 2
    0x00, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 0
    0x08, 0x00, 0x01, 0x00, // nla_len = 8, OVS_DP_ATTR_NAME
    b'd', b'p', b'0', 0x00, // "dp0\0"
    0x08, 0x00, 0x02, 0x00, // nla_len = 8, OVS_DP_ATTR_UPCALL_PID
    0x64, 0x00, 0x00, 0x00, // 100
    0x08, 0x00, 0x05, 0x00, // nla_len = 8, OVS_DP_ATTR_USER_FEATURES
    0x0b, 0x00, 0x00, 0x00, // unaligned | vport-pids | dispatch-upcall-per-cpu
    0x08, 0x00, 0x07, 0x00, // nla_len = 8, OVS_DP_ATTR_MASKS_CACHE_SIZE
    0x00, 0x01, 0x00, 0x00, // 256
];

fn spec() -> DatapathSpec<'static> {
    DatapathSpec {
        name: Some("dp0"),
        upcall_pid: Some(100),
        user_features: Some(UserFeatures(
            UserFeatures::UNALIGNED
                | UserFeatures::VPORT_PIDS
                | UserFeatures::DISPATCH_UPCALL_PER_CPU,
        )),
        masks_cache_size: Some(256),
        ..DatapathSpec::default()
    }
}

/// Every length short of `want` is NoRoom for the whole message, writing nothing.
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
fn stats_structs_follow_the_header() {
    let stats = DpStats::ref_from_bytes(&REPLY[44..76]).unwrap();
    assert_eq!(
        (
            stats.n_hit.get(),
            stats.n_missed.get(),
            stats.n_lost.get(),
            stats.n_flows.get()
        ),
        (10, 2, 1, 3)
    );
    let mega = MegaflowStats::ref_from_bytes(&REPLY[80..112]).unwrap();
    assert_eq!(
        (
            mega.n_mask_hit.get(),
            mega.n_masks.get(),
            mega.n_cache_hit.get()
        ),
        (12, 1, 7)
    );
    assert_eq!(core::mem::size_of::<DpStats>(), 32);
    assert_eq!(core::mem::size_of::<MegaflowStats>(), 32);
    // Each member's offset reads the right bytes.
    let n_cache_hit = MegaflowStats::MEMBERS[3];
    assert_eq!(n_cache_hit.name, "n-cache-hit");
    assert_eq!(n_cache_hit.bytes(&REPLY[80..112]), Some(&REPLY[96..104]));
    assert_eq!(
        DpStats::MEMBERS[3].bytes(&REPLY[44..76]),
        Some(&REPLY[68..76])
    );
}

#[test]
fn a_reply_reads_back() {
    let message = Message::parse(&REPLY).unwrap();
    let dp = Datapath::parse(&message).unwrap();
    assert_eq!(dp.cmd(), Cmd::New);
    assert_eq!(dp.dp_ifindex(), 5);
    assert_eq!(dp.name().unwrap(), "ovs-system");
    assert_eq!(dp.stats().unwrap().n_flows.get(), 3);
    assert_eq!(dp.megaflow_stats().unwrap().n_cache_hit.get(), 7);
    assert_eq!(
        dp.user_features(),
        Some(UserFeatures(
            UserFeatures::UNALIGNED | UserFeatures::VPORT_PIDS
        ))
    );
    assert_eq!(dp.masks_cache_size(), Some(256));
    assert_eq!(dp.per_cpu_pids().unwrap(), &[100u32, 101][..]);
    assert_eq!(dp.upcall_pid(), None);
    assert_eq!(dp.ifindex(), None);
    assert_eq!(dp.attrs().unknown(), 0);
    assert_eq!(
        format!("{dp}"),
        "system@ovs-system:\n  lookups: hit:10 missed:2 lost:1\n  flows: 3\n  \
         masks: hit:12 total:1\n  cache: hit:7\n  caches:\n    masks-cache: size:256\n  \
         features: unaligned,vport-pids\n  per-cpu-pids: 100,101"
    );
}

#[test]
fn truncated_and_over_long_replies() {
    // Every shorter nlmsg_len is an error or a shorter datapath, never a panic.
    for n in 16..REPLY.len() {
        let mut cut = REPLY;
        cut[0] = u8::try_from(n).unwrap();
        let Ok(message) = Message::parse(&cut[..n]) else {
            continue;
        };
        if let Ok(dp) = Datapath::parse(&message) {
            let _ = format!("{dp}");
        }
    }
    // A per-cpu-pids that is not whole u32s.
    let mut bad = REPLY;
    bad[0] = 138;
    bad[128] = 0x0a; // nla_len = 10
    let message = Message::parse(&bad[..138]).unwrap();
    assert_eq!(
        Datapath::parse(&message).unwrap_err(),
        Error::BadAttrLength { ty: 8, len: 6 }
    );
    // Longer structs (a newer kernel) are accepted.
    let mut long = Vec::from(&REPLY[..]);
    long[0] = 148;
    long[40] = 0x2c; // stats nla_len = 44
    long.splice(76..76, [0xee; 8]);
    let message = Message::parse(&long).unwrap();
    let dp = Datapath::parse(&message).unwrap();
    assert_eq!(dp.stats().unwrap().n_flows.get(), 3);
    assert_eq!(dp.masks_cache_size(), Some(256));
}

#[test]
fn new_request() {
    assert_no_room(&NEW, |buf| request::new(buf, FAMILY_ID, 7, &spec()));
    let missing = DatapathSpec {
        name: None,
        ..spec()
    };
    let mut buf = [0xa5u8; 64];
    assert_eq!(
        request::new(&mut buf, FAMILY_ID, 7, &missing).unwrap_err(),
        Error::MissingAttr { ty: 1 }
    );
    let long = DatapathSpec {
        name: Some("a-name-of-16-byt"),
        ..spec()
    };
    assert_eq!(
        request::new(&mut buf, FAMILY_ID, 7, &long).unwrap_err(),
        Error::BadAttrLength { ty: 1, len: 17 }
    );
    assert_eq!(buf, [0xa5; 64]);
}

#[test]
fn get_del_dump_and_set_requests() {
    #[rustfmt::skip]
    let get_by_name: [u8; 32] = [
        0x20, 0x00, 0x00, 0x00, // nlmsg_len = 32
        0x21, 0x00,             // nlmsg_type
        0x01, 0x00,             // NLM_F_REQUEST
        0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x03, 0x02, 0x00, 0x00, // genlmsghdr: cmd = OVS_DP_CMD_GET, version 2
        0x00, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 0
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, OVS_DP_ATTR_NAME
        b'd', b'p', b'0', 0x00, // "dp0\0"
    ];
    assert_no_room(&get_by_name, |buf| {
        request::get(buf, FAMILY_ID, 3, DatapathId::Name("dp0"))
    });
    #[rustfmt::skip]
    let del_by_index: [u8; 24] = [
        0x18, 0x00, 0x00, 0x00, // nlmsg_len = 24
        0x21, 0x00,             // nlmsg_type
        0x01, 0x00,             // NLM_F_REQUEST
        0x04, 0x00, 0x00, 0x00, // nlmsg_seq = 4
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x02, 0x02, 0x00, 0x00, // genlmsghdr: cmd = OVS_DP_CMD_DEL, version 2
        0x09, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 9
    ];
    assert_no_room(&del_by_index, |buf| {
        request::del(buf, FAMILY_ID, 4, DatapathId::Ifindex(9))
    });
    #[rustfmt::skip]
    let dump: [u8; 24] = [
        0x18, 0x00, 0x00, 0x00, // nlmsg_len = 24
        0x21, 0x00,             // nlmsg_type
        0x01, 0x03,             // NLM_F_REQUEST | NLM_F_DUMP
        0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x03, 0x02, 0x00, 0x00, // genlmsghdr: cmd = OVS_DP_CMD_GET, version 2
        0x00, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 0
    ];
    assert_no_room(&dump, |buf| request::dump(buf, FAMILY_ID, 5));
    #[rustfmt::skip]
    let set: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
        0x21, 0x00,             // nlmsg_type
        0x01, 0x00,             // NLM_F_REQUEST
        0x06, 0x00, 0x00, 0x00, // nlmsg_seq = 6
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x04, 0x02, 0x00, 0x00, // genlmsghdr: cmd = OVS_DP_CMD_SET, version 2
        0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
        0x0c, 0x00, 0x08, 0x00, // nla_len = 12, OVS_DP_ATTR_PER_CPU_PIDS
        0x01, 0x00, 0x00, 0x00, // cpu 0: 1
        0x02, 0x00, 0x00, 0x00, // cpu 1: 2
    ];
    let pids = [1u32, 2];
    let spec = DatapathSpec {
        per_cpu_pids: Some(&pids),
        ..DatapathSpec::default()
    };
    assert_no_room(&set, |buf| request::set(buf, FAMILY_ID, 6, 5, &spec));
}

#[test]
fn new_get_and_dump_round_trip() {
    let mut buf = [0u8; 128];
    let pids = [7u32, 8, 9];
    let spec = DatapathSpec {
        per_cpu_pids: Some(&pids),
        ifindex: Some(4),
        ..spec()
    };
    let bytes = request::new(&mut buf, FAMILY_ID, 1, &spec).unwrap();
    let message = Message::parse(bytes).unwrap();
    let dp = Datapath::parse(&message).unwrap();
    assert_eq!((dp.cmd(), dp.dp_ifindex()), (Cmd::New, 0));
    assert_eq!(dp.name().unwrap(), "dp0");
    assert_eq!(dp.upcall_pid(), Some(100));
    assert_eq!(dp.user_features(), spec.user_features);
    assert_eq!(dp.masks_cache_size(), Some(256));
    assert_eq!(dp.per_cpu_pids().unwrap(), &pids[..]);
    assert_eq!(dp.ifindex(), Some(4));

    let bytes = request::get(&mut buf, FAMILY_ID, 2, DatapathId::Name("dp0")).unwrap();
    let message = Message::parse(bytes).unwrap();
    let dp = Datapath::parse(&message).unwrap();
    assert_eq!((dp.cmd(), dp.name().unwrap()), (Cmd::Get, NlStr(b"dp0")));
    assert_eq!(format!("{dp}"), "system@dp0:");

    let bytes = request::dump(&mut buf, FAMILY_ID, 3).unwrap();
    let message = Message::parse(bytes).unwrap();
    assert!(message.flags().contains(crate::nlmsg::Flags::DUMP));
    let dp = Datapath::parse(&message).unwrap();
    assert_eq!((dp.cmd(), dp.attrs().iter().count()), (Cmd::Get, 0));
    assert_eq!(format!("{dp}"), "system@#0:");
}

#[test]
fn layout_and_family_declaration() {
    let layout = request::layout();
    assert_eq!(layout.header_len, 8);
    assert_eq!(layout.attrs.name, "datapath");
    assert_eq!(FAMILY.name, "ovs_datapath");
    assert_eq!(FAMILY.op(3).unwrap().name, "get");
    assert!(FAMILY.op(3).unwrap().dump_request.is_some());
    for op in FAMILY.ops {
        for &ty in op.do_request.unwrap() {
            assert!(DatapathAttrs::table().def(ty).is_some(), "{} {ty}", op.name);
        }
    }
    let table = DatapathAttrs::table();
    assert_eq!(table.name_of(8), Some("per-cpu-pids"));
    assert_eq!(table.name_of(9), Some("ifindex"));
}

proptest! {
    #[test]
    fn any_spec_round_trips(
        name in proptest::option::of("[a-z0-9-]{1,15}"),
        upcall_pid in proptest::option::of(any::<u32>()),
        features in proptest::option::of(any::<u32>()),
        masks in proptest::option::of(any::<u32>()),
        pids in proptest::option::of(proptest::collection::vec(any::<u32>(), 0..8)),
        ifindex in proptest::option::of(any::<u32>()),
        dp_ifindex in any::<i32>(),
    ) {
        let spec = DatapathSpec {
            name: name.as_deref(),
            upcall_pid,
            user_features: features.map(UserFeatures),
            masks_cache_size: masks,
            per_cpu_pids: pids.as_deref(),
            ifindex,
        };
        let mut buf = [0u8; 256];
        let bytes = request::set(&mut buf, FAMILY_ID, 1, dp_ifindex, &spec).unwrap();
        prop_assert_eq!(bytes.len(), 24 + spec.attrs_len().unwrap());
        let message = Message::parse(bytes).unwrap();
        let dp = Datapath::parse(&message).unwrap();
        prop_assert_eq!(dp.dp_ifindex(), dp_ifindex);
        let read = DatapathSpec {
            name: dp.name().map(|n| n.to_str().unwrap()),
            upcall_pid: dp.upcall_pid(),
            user_features: dp.user_features(),
            masks_cache_size: dp.masks_cache_size(),
            per_cpu_pids: None,
            ifindex: dp.ifindex(),
        };
        prop_assert_eq!(read, DatapathSpec { per_cpu_pids: None, ..spec });
        match (dp.per_cpu_pids(), spec.per_cpu_pids) {
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
        if let Ok(dp) = Datapath::parse(&message) {
            let _ = format!("{dp}");
        }
    }
}
