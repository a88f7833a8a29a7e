//! Byte vectors from `linux/openvswitch.h`, field by field (little-endian
//! host). Keys and actions are written as raw attributes (their numbers
//! from the header) so these tests stand apart from the key and action
//! readers.

extern crate std;
use std::format;
use std::vec::Vec;

use zerocopy::FromBytes;

use super::request::{self, FAMILY};
use super::*;
use crate::Writer;
use crate::nlmsg::{Flags, Message};

const FAMILY_ID: u16 = 0x23;

/// `OVS_KEY_ATTR_PRIORITY`, `IN_PORT`, `ETHERTYPE`; `OVS_ACTION_ATTR_OUTPUT`.
const PRIORITY: u16 = 2;
const IN_PORT: u16 = 3;
const ETHERTYPE: u16 = 6;
const OUTPUT: u16 = 1;

/// A kernel-shaped dump reply, in the kernel's order (identifier, key,
/// mask, used, stats, tcp-flags, actions); nests without `NLA_F_NESTED`
/// (`nla_nest_start_noflag`).
#[rustfmt::skip]
const REPLY: [u8; 152] = [
    0x98, 0x00, 0x00, 0x00, // nlmsg_len = 152
    0x23, 0x00,             // nlmsg_type = 0x23 (ovs_flow here)
    0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
    0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
    0x10, 0x00, 0x00, 0x00, // nlmsg_pid = 16
    0x01, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_FLOW_CMD_NEW, version 1
    0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
    // offset 24
    0x14, 0x00, 0x09, 0x00, // nla_len = 20, OVS_FLOW_ATTR_UFID
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, // ufid bytes 0..8
    0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, // ufid bytes 8..16
    // offset 44
    0x1c, 0x00, 0x01, 0x00, // nla_len = 28, OVS_FLOW_ATTR_KEY
    0x08, 0x00, 0x02, 0x00, //   nla_len = 8, OVS_KEY_ATTR_PRIORITY
    0x00, 0x00, 0x00, 0x00, //   0
    0x08, 0x00, 0x03, 0x00, //   nla_len = 8, OVS_KEY_ATTR_IN_PORT
    0x01, 0x00, 0x00, 0x00, //   1
    0x06, 0x00, 0x06, 0x00, //   nla_len = 6, OVS_KEY_ATTR_ETHERTYPE
    0x08, 0x00, 0x00, 0x00, //   0x0800 big-endian + 2 padding
    // offset 72
    0x1c, 0x00, 0x07, 0x00, // nla_len = 28, OVS_FLOW_ATTR_MASK
    0x08, 0x00, 0x02, 0x00, //   nla_len = 8, OVS_KEY_ATTR_PRIORITY
    0xff, 0xff, 0xff, 0xff, //   exact
    0x08, 0x00, 0x03, 0x00, //   nla_len = 8, OVS_KEY_ATTR_IN_PORT
    0xff, 0xff, 0xff, 0xff, //   exact
    0x06, 0x00, 0x06, 0x00, //   nla_len = 6, OVS_KEY_ATTR_ETHERTYPE
    0xff, 0xff, 0x00, 0x00, //   exact + 2 padding
    // offset 100
    0x0c, 0x00, 0x05, 0x00, // nla_len = 12, OVS_FLOW_ATTR_USED
    0xdc, 0x05, 0, 0, 0, 0, 0, 0, // 1500 ms
    // offset 112
    0x14, 0x00, 0x03, 0x00, // nla_len = 20, OVS_FLOW_ATTR_STATS (struct ovs_flow_stats)
    0x03, 0, 0, 0, 0, 0, 0, 0, // n_packets = 3
    0xb4, 0, 0, 0, 0, 0, 0, 0, // n_bytes = 180
    // offset 132
    0x05, 0x00, 0x04, 0x00, // nla_len = 5, OVS_FLOW_ATTR_TCP_FLAGS
    0x12, 0x00, 0x00, 0x00, // SYN | ACK + 3 padding
    // offset 140
    0x0c, 0x00, 0x02, 0x00, // nla_len = 12, OVS_FLOW_ATTR_ACTIONS
    0x08, 0x00, 0x01, 0x00, //   nla_len = 8, OVS_ACTION_ATTR_OUTPUT
    0x02, 0x00, 0x00, 0x00, //   port 2
];

const UFID: [u8; 16] = [
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
];

/// `new` of key `in_port(1)`, mask exact, actions `output(2)`, with a ufid.
#[rustfmt::skip]
const NEW: [u8; 80] = [
    0x50, 0x00, 0x00, 0x00, // nlmsg_len = 80
    0x23, 0x00,             // nlmsg_type = 0x23
    0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
    0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
    0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
    0x01, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_FLOW_CMD_NEW, version 1
    0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
    0x0c, 0x00, 0x01, 0x80, // nla_len = 12, OVS_FLOW_ATTR_KEY | NLA_F_NESTED
    0x08, 0x00, 0x03, 0x00, //   nla_len = 8, OVS_KEY_ATTR_IN_PORT
    0x01, 0x00, 0x00, 0x00, //   1
    0x0c, 0x00, 0x02, 0x80, // nla_len = 12, OVS_FLOW_ATTR_ACTIONS | NLA_F_NESTED
    0x08, 0x00, 0x01, 0x00, //   nla_len = 8, OVS_ACTION_ATTR_OUTPUT
    0x02, 0x00, 0x00, 0x00, //   port 2
    0x0c, 0x00, 0x07, 0x80, // nla_len = 12, OVS_FLOW_ATTR_MASK | NLA_F_NESTED
    0x08, 0x00, 0x03, 0x00, //   nla_len = 8, OVS_KEY_ATTR_IN_PORT
    0xff, 0xff, 0xff, 0xff, //   exact
    0x14, 0x00, 0x09, 0x00, // nla_len = 20, OVS_FLOW_ATTR_UFID
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, // ufid bytes 0..8
    0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, // ufid bytes 8..16
];

#[rustfmt::skip]
const KEY_RUN: [u8; 8] = [0x08, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00]; // in_port 1
#[rustfmt::skip]
const MASK_RUN: [u8; 8] = [0x08, 0x00, 0x03, 0x00, 0xff, 0xff, 0xff, 0xff]; // in_port exact
#[rustfmt::skip]
const ACTIONS_RUN: [u8; 8] = [0x08, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00]; // output 2

fn spec() -> FlowSpec<'static> {
    FlowSpec {
        key: Some(&KEY_RUN),
        mask: Some(&MASK_RUN),
        actions: Some(&ACTIONS_RUN),
        ufid: Some(&UFID),
        ..FlowSpec::default()
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

/// The u32 of the key attribute `ty` in a nest, through the table index only.
fn key_u32(nest: Nested<'_, KeyAttrs>, ty: u16) -> Option<u32> {
    let raw = nest.parse().unwrap().raw(ty);
    // An attribute this build's key table does not know yet: find it by walking.
    let raw = raw.or_else(|| {
        crate::attr::AttrIter::new(nest.bytes())
            .filter_map(Result::ok)
            .find(|a| a.ty() == ty)
            .map(|a| a.payload())
    })?;
    Some(u32::from_ne_bytes(raw.try_into().ok()?))
}

#[test]
fn the_stats_struct_follows_the_header() {
    let stats = FlowStats::ref_from_bytes(&REPLY[116..132]).unwrap();
    assert_eq!((stats.n_packets.get(), stats.n_bytes.get()), (3, 180));
    assert_eq!(FlowStats::new(3, 180), *stats);
    assert_eq!(core::mem::size_of::<FlowStats>(), 16);
    assert_eq!(FlowStats::MEMBERS[1].name, "n-bytes");
    assert_eq!(
        FlowStats::MEMBERS[1].bytes(&REPLY[116..132]),
        Some(&REPLY[124..132])
    );
}

#[test]
fn a_reply_reads_back() {
    let message = Message::parse(&REPLY).unwrap();
    let flow = Flow::parse(&message).unwrap();
    assert_eq!((flow.cmd(), flow.dp_ifindex()), (Cmd::New, 5));
    assert_eq!(flow.ufid(), Some(&UFID[..]));
    assert_eq!(flow.key().unwrap().bytes(), &REPLY[48..72]);
    assert_eq!(flow.mask().unwrap().bytes(), &REPLY[76..100]);
    assert_eq!(flow.actions().unwrap().bytes(), &REPLY[144..152]);
    assert_eq!(key_u32(flow.key().unwrap(), IN_PORT), Some(1));
    assert_eq!(key_u32(flow.mask().unwrap(), IN_PORT), Some(u32::MAX));
    assert_eq!(key_u32(flow.key().unwrap(), PRIORITY), Some(0));
    let actions = flow.actions().unwrap().parse().unwrap();
    assert_eq!(actions.raw(OUTPUT), Some(&[2, 0, 0, 0][..]));
    assert_eq!(flow.used(), Some(1500));
    assert_eq!(flow.stats().unwrap().n_bytes.get(), 180);
    assert_eq!(flow.tcp_flags(), Some(TcpFlags(0x12)));
    assert_eq!(flow.ufid_flags(), None);
    assert!(!flow.clear() && !flow.probe());
    assert_eq!(flow.attrs().unknown(), 0);
    let key = flow.key().unwrap().parse().unwrap();
    let mask = flow.mask().unwrap().parse().unwrap();
    assert_eq!(
        format!("{flow}"),
        format!(
            "ufid:00112233-4455-6677-8899-aabbccddeeff, key({key}), mask({mask}), \
             packets:3, bytes:180, used:1500ms, flags:S., actions({actions})"
        )
    );
    assert_eq!(ETHERTYPE, 6);
}

#[test]
fn nests_read_the_same_with_and_without_nla_f_nested() {
    let mut flagged = REPLY;
    for at in [47, 75, 143] {
        flagged[at] |= 0x80; // key, mask, actions | NLA_F_NESTED
    }
    let plain = Flow::parse(&Message::parse(&REPLY).unwrap()).unwrap();
    let nested = Flow::parse(&Message::parse(&flagged).unwrap()).unwrap();
    assert_eq!(plain.key().unwrap().bytes(), nested.key().unwrap().bytes());
    assert_eq!(
        plain.mask().unwrap().bytes(),
        nested.mask().unwrap().bytes()
    );
    assert_eq!(
        plain.actions().unwrap().bytes(),
        nested.actions().unwrap().bytes()
    );
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
        if let Ok(flow) = Flow::parse(&message) {
            let _ = format!("{flow}");
            if let Some(key) = flow.key() {
                let _ = key.parse();
            }
        }
    }
    // A 17-byte ufid (bad), a key nest whose content is malformed.
    let mut bad = Vec::from(&REPLY[..]);
    bad[24] = 0x15;
    bad.insert(44, 0x42);
    bad.splice(45..45, [0; 3]);
    bad[0] = 156;
    let message = Message::parse(&bad).unwrap();
    assert_eq!(
        Flow::parse(&message).unwrap_err(),
        Error::BadAttrLength { ty: 9, len: 17 }
    );
    let mut bad = REPLY;
    bad[48] = 0x02; // the key's first attribute: nla_len = 2
    let flow = Flow::parse(&Message::parse(&bad).unwrap()).unwrap();
    assert_eq!(flow.key().unwrap().parse().unwrap_err(), Error::BadLength);
    assert!(format!("{flow}").contains("<error"));
}

#[test]
fn new_request_from_a_spec() {
    assert_no_room(&NEW, |buf| request::new(buf, FAMILY_ID, 7, 5, &spec()));
    let mut buf = [0xa5u8; 96];
    let keyless = FlowSpec {
        key: None,
        ..spec()
    };
    assert_eq!(
        request::new(&mut buf, FAMILY_ID, 7, 5, &keyless).unwrap_err(),
        Error::MissingAttr { ty: 1 }
    );
    let actionless = FlowSpec {
        actions: None,
        ..spec()
    };
    assert_eq!(
        request::new(&mut buf, FAMILY_ID, 7, 5, &actionless).unwrap_err(),
        Error::MissingAttr { ty: 2 }
    );
    let long_ufid = FlowSpec {
        ufid: Some(&[0; 17]),
        ..spec()
    };
    assert_eq!(
        request::new(&mut buf, FAMILY_ID, 7, 5, &long_ufid).unwrap_err(),
        Error::BadAttrLength { ty: 9, len: 17 }
    );
    let empty_ufid = FlowSpec {
        ufid: Some(&[]),
        ..spec()
    };
    assert_eq!(
        request::new(&mut buf, FAMILY_ID, 7, 5, &empty_ufid).unwrap_err(),
        Error::BadAttrLength { ty: 9, len: 0 }
    );
    let huge = std::vec![0u8; 65_532];
    let too_long = FlowSpec {
        actions: Some(&huge),
        ..spec()
    };
    assert_eq!(
        request::new(&mut buf, FAMILY_ID, 7, 5, &too_long).unwrap_err(),
        Error::TooLong
    );
    assert_eq!(buf, [0xa5; 96]);
}

#[test]
fn set_del_get_and_dump_requests() {
    #[rustfmt::skip]
    let set: [u8; 44] = [
        0x2c, 0x00, 0x00, 0x00, // nlmsg_len = 44
        0x23, 0x00,             // nlmsg_type
        0x01, 0x00,             // NLM_F_REQUEST
        0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x04, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_FLOW_CMD_SET, version 1
        0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
        0x0c, 0x00, 0x01, 0x80, // nla_len = 12, OVS_FLOW_ATTR_KEY | NLA_F_NESTED
        0x08, 0x00, 0x03, 0x00, //   nla_len = 8, OVS_KEY_ATTR_IN_PORT
        0x01, 0x00, 0x00, 0x00, //   1
        0x04, 0x00, 0x02, 0x80, // nla_len = 4, OVS_FLOW_ATTR_ACTIONS | NLA_F_NESTED: none (drop)
        0x04, 0x00, 0x06, 0x00, // nla_len = 4, OVS_FLOW_ATTR_CLEAR
    ];
    let clear = FlowSpec {
        key: Some(&KEY_RUN),
        actions: Some(&[]),
        clear: true,
        ..FlowSpec::default()
    };
    assert_no_room(&set, |buf| request::set(buf, FAMILY_ID, 3, 5, &clear));
    #[rustfmt::skip]
    let del_all: [u8; 24] = [
        0x18, 0x00, 0x00, 0x00, // nlmsg_len = 24
        0x23, 0x00,             // nlmsg_type
        0x01, 0x00,             // NLM_F_REQUEST
        0x04, 0x00, 0x00, 0x00, // nlmsg_seq = 4
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x02, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_FLOW_CMD_DEL, version 1
        0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
    ];
    assert_no_room(&del_all, |buf| {
        request::del(buf, FAMILY_ID, 4, 5, &FlowSpec::default())
    });
    #[rustfmt::skip]
    let get: [u8; 56] = [
        0x38, 0x00, 0x00, 0x00, // nlmsg_len = 56
        0x23, 0x00,             // nlmsg_type
        0x01, 0x00,             // NLM_F_REQUEST
        0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x03, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_FLOW_CMD_GET, version 1
        0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
        0x04, 0x00, 0x08, 0x00, // nla_len = 4, OVS_FLOW_ATTR_PROBE
        0x14, 0x00, 0x09, 0x00, // nla_len = 20, OVS_FLOW_ATTR_UFID
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, // ufid bytes 0..8
        0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, // ufid bytes 8..16
        0x08, 0x00, 0x0a, 0x00, // nla_len = 8, OVS_FLOW_ATTR_UFID_FLAGS
        0x03, 0x00, 0x00, 0x00, // omit-key | omit-mask
    ];
    let by_ufid = FlowSpec {
        ufid: Some(&UFID),
        ufid_flags: Some(UfidFlags(UfidFlags::OMIT_KEY | UfidFlags::OMIT_MASK)),
        probe: true,
        ..FlowSpec::default()
    };
    assert_no_room(&get, |buf| request::get(buf, FAMILY_ID, 5, 5, &by_ufid));
    #[rustfmt::skip]
    let dump: [u8; 32] = [
        0x20, 0x00, 0x00, 0x00, // nlmsg_len = 32
        0x23, 0x00,             // nlmsg_type
        0x01, 0x03,             // NLM_F_REQUEST | NLM_F_DUMP
        0x06, 0x00, 0x00, 0x00, // nlmsg_seq = 6
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x03, 0x01, 0x00, 0x00, // genlmsghdr: cmd = OVS_FLOW_CMD_GET, version 1
        0x05, 0x00, 0x00, 0x00, // ovs_header: dp_ifindex = 5
        0x08, 0x00, 0x0a, 0x00, // nla_len = 8, OVS_FLOW_ATTR_UFID_FLAGS
        0x04, 0x00, 0x00, 0x00, // omit-actions
    ];
    assert_no_room(&dump, |buf| {
        request::dump(
            buf,
            FAMILY_ID,
            6,
            5,
            Some(UfidFlags(UfidFlags::OMIT_ACTIONS)),
        )
    });
    let flow = Flow::parse(&Message::parse(&get).unwrap()).unwrap();
    assert!(flow.probe());
    assert_eq!(
        format!("{}", flow.ufid_flags().unwrap()),
        "omit-key,omit-mask"
    );
    let flow = Flow::parse(&Message::parse(&set).unwrap()).unwrap();
    assert!(flow.clear());
    assert_eq!(flow.actions().unwrap().bytes(), &[] as &[u8]);
}

/// Writes the flow of [`NEW`] through the closures.
fn write_new(w: &mut Writer<'_>) -> Result<usize, Error> {
    append_flow(w, FAMILY_ID, Flags::REQUEST, 7, 0, Cmd::New, 5, |f| {
        f.key(|w| w.attr(IN_PORT, &1u32.to_ne_bytes()))?
            .actions(|w| w.attr(OUTPUT, &2u32.to_ne_bytes()))?
            .mask(|w| w.attr(IN_PORT, &u32::MAX.to_ne_bytes()))?
            .ufid(&UFID)?;
        Ok(())
    })
}

#[test]
fn append_flow_writes_a_whole_flow_or_nothing() {
    let mut buf = [0xa5u8; 96];
    let mut w = Writer::new(&mut buf);
    assert_eq!(write_new(&mut w), Ok(80));
    assert_eq!(w.as_bytes(), &NEW[..]);
    // Behind a message already in the writer, every short buffer fails
    // and leaves the writer as it was.
    for cap in 0..NEW.len() {
        let mut buf = std::vec![0xa5u8; 8 + cap];
        let mut w = Writer::new(&mut buf);
        w.put_bytes(&[1; 8]).unwrap();
        let err = write_new(&mut w).unwrap_err();
        assert!(matches!(err, Error::NoRoom { .. }), "{cap}: {err:?}");
        assert_eq!(w.len(), 8, "{cap}");
        assert_eq!(w.as_bytes(), &[1; 8]);
    }
    // An error from the caller's closure rolls back too.
    let mut buf = [0xa5u8; 96];
    let mut w = Writer::new(&mut buf);
    let err = append_flow(&mut w, FAMILY_ID, Flags::REQUEST, 1, 0, Cmd::New, 5, |f| {
        f.key(|w| w.attr(IN_PORT, &1u32.to_ne_bytes()))?;
        f.ufid(&[0; 17])?;
        Ok(())
    });
    assert_eq!(err, Err(Error::BadAttrLength { ty: 9, len: 17 }));
    assert!(w.is_empty());
    // Reply attributes: stats, used, tcp-flags, and the raw writer.
    let mut buf = [0u8; 128];
    let mut w = Writer::new(&mut buf);
    append_flow(&mut w, FAMILY_ID, Flags::MULTI, 2, 16, Cmd::New, 5, |f| {
        f.stats(&FlowStats::new(1, 2))?
            .used(3)?
            .tcp_flags(0x01)?
            .probe()?
            .clear()?
            .ufid_flags(UfidFlags(0))?;
        f.writer().put(FlowAttrs::PAD, &[][..])
    })
    .unwrap();
    let flow = Flow::parse(&Message::parse(w.as_bytes()).unwrap()).unwrap();
    assert_eq!(flow.stats(), Some(&FlowStats::new(1, 2)));
    assert_eq!(
        (flow.used(), flow.tcp_flags()),
        (Some(3), Some(TcpFlags(1)))
    );
    assert!(flow.probe() && flow.clear());
    assert_eq!(format!("{flow}"), "packets:1, bytes:2, used:3ms, flags:F");
}

#[test]
fn tcp_flags_and_empty_flows_print_as_dpctl_does() {
    assert_eq!(format!("{}", TcpFlags(0xff)), "FSRP.UEC");
    assert_eq!(format!("{}", TcpFlags(0)), "");
    let mut buf = [0u8; 32];
    let bytes = request::del(&mut buf, FAMILY_ID, 1, 5, &FlowSpec::default()).unwrap();
    let flow = Flow::parse(&Message::parse(bytes).unwrap()).unwrap();
    assert_eq!(format!("{flow}"), "packets:0, bytes:0, used:never");
    let mut buf = [0u8; 64];
    let short = FlowSpec {
        ufid: Some(&[0xab, 0xcd]),
        ..FlowSpec::default()
    };
    let bytes = request::get(&mut buf, FAMILY_ID, 1, 5, &short).unwrap();
    let flow = Flow::parse(&Message::parse(bytes).unwrap()).unwrap();
    assert_eq!(
        format!("{flow}"),
        "ufid:abcd, packets:0, bytes:0, used:never"
    );
}

#[test]
fn layout_and_family_declaration() {
    assert_eq!(request::layout().header_len, 8);
    assert_eq!(request::layout().attrs.name, "flow-attrs");
    assert_eq!(FAMILY.name, "ovs_flow");
    for op in FAMILY.ops {
        for &ty in op.do_request.unwrap() {
            assert!(FlowAttrs::table().def(ty).is_some(), "{} {ty}", op.name);
        }
    }
    let table = FlowAttrs::table();
    assert_eq!(table.name_of(8), Some("probe"));
    assert!(matches!(
        table.def(8).unwrap().kind,
        crate::table::Kind::Flag
    ));
    assert_eq!(UfidFlags::from_name("omit-actions"), Some(4));
}

/// One action of the property test's flows.
#[derive(Clone, Debug, PartialEq)]
enum TestAction {
    Output(u32),
    Recirc(u32),
    Ct { commit: bool, zone: Option<u16> },
}

fn test_action() -> impl proptest::strategy::Strategy<Value = TestAction> {
    use proptest::prelude::*;
    prop_oneof![
        any::<u32>().prop_map(TestAction::Output),
        any::<u32>().prop_map(TestAction::Recirc),
        (any::<bool>(), proptest::option::of(any::<u16>()))
            .prop_map(|(commit, zone)| TestAction::Ct { commit, zone }),
    ]
}

proptest::proptest! {
    /// A whole flow (key, mask, actions, ufid, used) written with the typed
    /// key, action and flow writers in one `append_flow` reads back equal
    /// through `Flow`, `FlowKey` and `Actions`.
    #[test]
    fn typed_flows_round_trip(
        in_port in proptest::prelude::any::<u32>(),
        src in proptest::prelude::any::<[u8; 4]>(),
        dst in proptest::prelude::any::<[u8; 4]>(),
        ports in proptest::prelude::any::<(u16, u16)>(),
        actions in proptest::collection::vec(test_action(), 0..8),
        ufid in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..=16),
        used in proptest::prelude::any::<u64>(),
    ) {
        use crate::ovs::flow::action::{Action, ActionWriter, Actions, Ct};
        use crate::ovs::flow::key::{FlowKey, KeyIpv4, KeyTcp, KeyWriter};
        use zerocopy::byteorder::network_endian::U32 as Be32;

        let ipv4 = KeyIpv4 {
            ipv4_src: Be32::new(u32::from_be_bytes(src)),
            ipv4_dst: Be32::new(u32::from_be_bytes(dst)),
            ipv4_proto: 6,
            ipv4_tos: 0,
            ipv4_ttl: 64,
            ipv4_frag: 0,
        };
        let tcp = KeyTcp::new(ports.0, ports.1);
        let mut buf = std::vec![0xa5u8; 4096];
        let mut w = Writer::new(&mut buf);
        let len = append_flow(&mut w, FAMILY_ID, Flags::NONE, 1, 0, Cmd::New, 5, |f| {
            f.key(|w| {
                KeyWriter::new(w)
                    .in_port(in_port)?
                    .ethertype(0x0800)?
                    .ipv4(&ipv4)?
                    .tcp(&tcp)?;
                Ok(())
            })?
            .mask(|w| {
                KeyWriter::new(w).in_port(u32::MAX)?;
                Ok(())
            })?
            .actions(|w| {
                let mut a = ActionWriter::new(w);
                for action in &actions {
                    match *action {
                        TestAction::Output(port) => a.output(port)?,
                        TestAction::Recirc(id) => a.recirc(id)?,
                        TestAction::Ct { commit, zone } => a.ct(&Ct {
                            commit,
                            zone,
                            ..Ct::default()
                        })?,
                    }
                }
                Ok(())
            })?
            .ufid(&ufid)?
            .used(used)?;
            Ok(())
        })
        .unwrap();

        let message = Message::parse(buf.get(..len).unwrap()).unwrap();
        let flow = Flow::parse(&message).unwrap();
        proptest::prop_assert_eq!(flow.ufid(), Some(&ufid[..]));
        proptest::prop_assert_eq!(flow.used(), Some(used));
        let key = FlowKey::parse(flow.key().unwrap().bytes()).unwrap();
        proptest::prop_assert_eq!(key.in_port(), Some(in_port));
        proptest::prop_assert_eq!(key.ethertype(), Some(0x0800));
        proptest::prop_assert_eq!(key.ipv4(), Some(&ipv4));
        proptest::prop_assert_eq!(key.tcp(), Some(&tcp));
        let mask = FlowKey::parse(flow.mask().unwrap().bytes()).unwrap();
        proptest::prop_assert_eq!(mask.in_port(), Some(u32::MAX));
        let read: Vec<TestAction> = Actions::new(flow.actions().unwrap().bytes())
            .map(|a| match a.unwrap() {
                Action::Output(port) => TestAction::Output(port),
                Action::Recirc(id) => TestAction::Recirc(id),
                Action::Ct(ct) => TestAction::Ct { commit: ct.commit, zone: ct.zone },
                other => panic!("not written: {other:?}"),
            })
            .collect();
        proptest::prop_assert_eq!(read, actions);
    }
}
