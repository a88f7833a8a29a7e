//! `classify` against hand-built replies (layouts as this kernel sends
//! them), and against nl-core's `Reply::classify` on the same bytes.

use std::vec::Vec;

use nl_core::nlmsg::{Message, Reply};

use super::{ReplyKind, classify};

const NLMSG_NOOP: u16 = 1;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_OVERRUN: u16 = 4;
const NLM_F_MULTI: u16 = 0x2;
const NLM_F_CAPPED: u16 = 0x100;
const NLM_F_ACK_TLVS: u16 = 0x200;

fn header(len: usize, ty: u16, flags: u16) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(&u32::try_from(len).unwrap().to_ne_bytes());
    h.extend_from_slice(&ty.to_ne_bytes());
    h.extend_from_slice(&flags.to_ne_bytes());
    h.extend_from_slice(&7u32.to_ne_bytes()); // seq
    h.extend_from_slice(&0u32.to_ne_bytes()); // pid
    h
}

fn tlv(ty: u16, payload: &[u8]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(&u16::try_from(4 + payload.len()).unwrap().to_ne_bytes());
    t.extend_from_slice(&ty.to_ne_bytes());
    t.extend_from_slice(payload);
    while t.len() % 4 != 0 {
        t.push(0);
    }
    t
}

/// A whole message of type `ty` with `payload`.
fn message(ty: u16, flags: u16, payload: &[u8]) -> Vec<u8> {
    let mut m = header(16 + payload.len(), ty, flags);
    m.extend_from_slice(payload);
    m
}

/// An `NLMSG_ERROR` payload: `code`, the echoed request (a 16-byte header
/// announcing `request_len` bytes, then `echo` bytes of its payload), TLVs.
fn error_payload(code: i32, request_len: usize, echo: &[u8], tlvs: &[u8]) -> Vec<u8> {
    let mut p = code.to_ne_bytes().to_vec();
    p.extend_from_slice(&header(request_len, 24, 0x605));
    p.extend_from_slice(echo);
    p.extend_from_slice(tlvs);
    p
}

/// nl-core's classification in the same terms.
fn reference<'a>(message: &Message<'a>) -> Option<ReplyKind<'a>> {
    let text = |ext: &nl_core::nlmsg::ExtAck<'a>| ext.message().map_or(&[][..], |m| m.as_bytes());
    Some(match Reply::classify(*message).ok()? {
        Reply::Data(_) => ReplyKind::Data,
        Reply::Ack(a) | Reply::Error(a) => ReplyKind::Status {
            code: a.code,
            text: text(&a.ext),
        },
        Reply::Done(d) => ReplyKind::Done {
            code: d.status,
            text: text(&d.ext),
        },
        Reply::Overrun(_) => ReplyKind::Overrun,
        Reply::Noop(_) => ReplyKind::Noop,
    })
}

fn ours(bytes: &[u8]) -> Option<ReplyKind<'_>> {
    classify(&Message::parse(bytes).unwrap()).ok()
}

fn same_as_nl_core(bytes: &[u8]) {
    let message = Message::parse(bytes).unwrap();
    assert_eq!(classify(&message).ok(), reference(&message), "{bytes:?}");
}

#[test]
fn acks_errors_and_their_text() {
    let text = b"Nexthop has invalid gateway\0";
    let msg = tlv(1, text);
    let offs = tlv(2, &44u32.to_ne_bytes());
    let tlvs = [msg.clone(), offs].concat();
    // A capped ACK; an error with the text, capped and not.
    let ack = message(NLMSG_ERROR, NLM_F_CAPPED, &error_payload(0, 36, &[], &[]));
    assert_eq!(ours(&ack), Some(ReplyKind::Status { code: 0, text: b"" }));
    let capped = message(
        NLMSG_ERROR,
        NLM_F_CAPPED | NLM_F_ACK_TLVS,
        &error_payload(-22, 52, &[], &tlvs),
    );
    let expected = ReplyKind::Status {
        code: -22,
        text: b"Nexthop has invalid gateway",
    };
    assert_eq!(ours(&capped), Some(expected));
    let echo = [0xabu8; 22]; // a 38-byte request, echoed whole, padded to 40
    let mut echo_padded = echo.to_vec();
    echo_padded.extend_from_slice(&[0, 0]);
    let uncapped = message(
        NLMSG_ERROR,
        NLM_F_ACK_TLVS,
        &error_payload(-17, 38, &echo_padded, &tlvs),
    );
    assert_eq!(
        ours(&uncapped),
        Some(ReplyKind::Status {
            code: -17,
            text: b"Nexthop has invalid gateway"
        })
    );
    let no_text = message(NLMSG_ERROR, 0, &error_payload(-19, 16, &[], &[]));
    assert_eq!(
        ours(&no_text),
        Some(ReplyKind::Status {
            code: -19,
            text: b""
        })
    );
    for m in [ack, capped, uncapped, no_text] {
        same_as_nl_core(&m);
    }
}

#[test]
fn done_overrun_noop_data() {
    let done = message(NLMSG_DONE, NLM_F_MULTI, &0i32.to_ne_bytes());
    assert_eq!(ours(&done), Some(ReplyKind::Done { code: 0, text: b"" }));
    let mut failed = (-16i32).to_ne_bytes().to_vec();
    failed.extend_from_slice(&tlv(1, b"busy\0"));
    let failed = message(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, &failed);
    assert_eq!(
        ours(&failed),
        Some(ReplyKind::Done {
            code: -16,
            text: b"busy"
        })
    );
    let old = message(NLMSG_DONE, NLM_F_MULTI, &[]);
    assert_eq!(ours(&old), Some(ReplyKind::Done { code: 0, text: b"" }));
    let overrun = message(NLMSG_OVERRUN, 0, &[]);
    assert_eq!(ours(&overrun), Some(ReplyKind::Overrun));
    let noop = message(NLMSG_NOOP, 0, &[]);
    assert_eq!(ours(&noop), Some(ReplyKind::Noop));
    let reserved = message(9, 0, &[1, 2, 3, 4]);
    assert_eq!(ours(&reserved), Some(ReplyKind::Noop));
    let data = message(24, NLM_F_MULTI, &[2, 16, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0]);
    assert_eq!(ours(&data), Some(ReplyKind::Data));
    for m in [done, failed, old, overrun, noop, reserved, data] {
        same_as_nl_core(&m);
    }
}

#[test]
fn malformed_errors_and_dones_are_errors() {
    let bad = [
        // ERROR shorter than its code; without the echoed header.
        message(NLMSG_ERROR, 0, &[0, 0]),
        message(NLMSG_ERROR, 0, &(-1i32).to_ne_bytes()),
        // An uncapped error whose echo announces more than is there.
        message(NLMSG_ERROR, 0, &error_payload(-22, 64, &[1; 8], &[])),
        // A TLV longer than what follows; a DONE with 2 status bytes.
        message(
            NLMSG_ERROR,
            NLM_F_CAPPED | NLM_F_ACK_TLVS,
            &error_payload(-22, 16, &[], &[40, 0, 1, 0, b'x', 0, 0, 0]),
        ),
        message(NLMSG_DONE, NLM_F_MULTI, &[0, 0]),
    ];
    for m in bad {
        assert_eq!(ours(&m), None, "{m:?}");
        same_as_nl_core(&m);
    }
}
