//! `RTM_GETLINK` dumps and requests on a private netns with a veth pair,
//! checked against `ip -d -j link show`, plus the dump mechanics: DONE,
//! counts, sequence and port of every message, early stop, truncation, and
//! a socket that stays in step after an abandoned exchange.

use std::ops::ControlFlow;

use nl_core::Writer;
use nl_core::nlmsg::{self, Flags, check_reply};
use nl_tests::link::{self, Link};
use nl_tests::{netns_or_skip, run_ok};
use nl_uring::{Error, MIN_RECV_BUFFER, Protocol, Socket};

fn add_veth_pair() {
    run_ok(
        "ip",
        &["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
    );
}

fn dump_links(socket: &mut Socket) -> (Vec<Link>, nl_uring::DumpSummary) {
    let mut buf = [0u8; 64];
    let request = link::dump_request(&mut buf, socket.next_seq());
    let mut links = Vec::new();
    let summary = socket
        .try_dump(request, Some(link::layout()), |m| {
            links.push(Link::parse(&m)?);
            Ok::<(), Error>(())
        })
        .unwrap();
    (links, summary)
}

#[test]
fn link_dump_matches_ip_link_show() {
    netns_or_skip!();
    add_veth_pair();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let (mut ours, summary) = dump_links(&mut socket);
    let mut theirs = link::ip_links();
    ours.sort_by_key(|l| l.index);
    theirs.sort_by_key(|l| l.index);
    assert_eq!(ours, theirs);
    let names: Vec<&str> = ours.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names.len(), 3);
    for name in ["lo", "v0", "v1"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    assert_eq!(
        ours.iter()
            .find(|l| l.name == "v0")
            .unwrap()
            .kind
            .as_deref(),
        Some("veth")
    );
    assert_eq!(summary.messages, 3);
    assert!(!summary.stopped);
}

#[test]
fn every_dump_message_is_ours_and_done_ends_it() {
    netns_or_skip!();
    add_veth_pair();
    let expected = link::ip_links().len();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    assert!(socket.recv_buffer_len() >= MIN_RECV_BUFFER);
    let port = socket.port();
    assert_ne!(port, 0, "the kernel bound a port");
    let seq = socket.next_seq();
    let mut buf = [0u8; 64];
    let request = link::dump_request(&mut buf, seq);
    let mut seen = 0;
    let summary = socket
        .dump(request, Some(link::layout()), |m| {
            check_reply(&m, seq, port).expect("seq and port are ours");
            assert_eq!(m.ty(), link::RTM_NEWLINK);
            assert!(m.flags().contains(Flags::MULTI));
            seen += 1;
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(seen, expected);
    assert_eq!(summary.seq, seq);
    assert_eq!(summary.messages, expected);
    assert_eq!(summary.delivered, expected);
    assert!(summary.datagrams >= 1);
    assert!(!summary.interrupted, "nothing changed during the dump");
    // DONE was consumed: nothing is left, the next dump starts clean.
    let (again, _) = dump_links(&mut socket);
    assert_eq!(again.len(), expected);
}

#[test]
fn stopping_early_drains_the_dump() {
    netns_or_skip!();
    add_veth_pair();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let mut buf = [0u8; 64];
    let request = link::dump_request(&mut buf, socket.next_seq());
    let mut calls = 0;
    let summary = socket
        .dump(request, None, |_| {
            calls += 1;
            ControlFlow::Break(())
        })
        .unwrap();
    assert_eq!(calls, 1);
    assert!(summary.stopped);
    assert_eq!((summary.delivered, summary.messages), (1, 3));
    // The socket is usable: a full dump works right after.
    assert_eq!(dump_links(&mut socket).0.len(), 3);
}

#[test]
fn callback_error_is_returned_after_draining() {
    netns_or_skip!();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let mut buf = [0u8; 64];
    let request = link::dump_request(&mut buf, socket.next_seq());
    let err = socket
        .try_dump(request, None, |_| Err(Error::InvalidRequest("stop here")))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest("stop here")));
    assert_eq!(dump_links(&mut socket).0.len(), 1, "only lo");
}

#[test]
fn request_with_returns_the_reply_to_a_get() {
    netns_or_skip!();
    add_veth_pair();
    let v0 = link::ip_links()
        .into_iter()
        .find(|l| l.name == "v0")
        .unwrap();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let mut buf = [0u8; 64];
    let mut w = Writer::new(&mut buf);
    let start = w
        .begin_message(nlmsg::Header::new(
            link::RTM_GETLINK,
            Flags::REQUEST,
            socket.next_seq(),
            0,
        ))
        .unwrap();
    w.put_bytes(&link::ifinfomsg(v0.index, 0, 0)).unwrap();
    w.end_message(start).unwrap();
    let mut replies = Vec::new();
    let acked = socket
        .request_with(w.as_bytes(), Some(link::layout()), |m| {
            replies.push(Link::parse(&m)?);
            Ok::<(), Error>(())
        })
        .unwrap();
    assert_eq!(replies, [v0]);
    assert_eq!(acked.replies, 1);
}

#[test]
fn dump_request_without_dump_flag_is_refused_before_sending() {
    netns_or_skip!();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let mut buf = [0u8; 64];
    let mut w = Writer::new(&mut buf);
    let start = link::begin(&mut w, link::RTM_GETLINK, Flags::REQUEST, 1).unwrap();
    w.end_message(start).unwrap();
    let err = socket
        .dump(w.as_bytes(), None, |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    // Two messages in one request buffer are refused too.
    let mut two = w.as_bytes().to_vec();
    two.extend_from_slice(w.as_bytes());
    let err = socket.request(&two, None).unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
}

#[test]
fn truncated_datagram_is_an_error() {
    netns_or_skip!();
    add_veth_pair();
    let mut normal = Socket::open(Protocol::Route).unwrap();
    assert_eq!(
        normal.set_recv_buffer_len(100),
        MIN_RECV_BUFFER,
        "never below the minimum"
    );
    let mut socket = Socket::open_with_tiny_recv_buffer(Protocol::Route, 64).unwrap();
    let mut buf = [0u8; 64];
    let request = link::dump_request(&mut buf, socket.next_seq());
    let err = socket
        .dump(request, None, |_| ControlFlow::Continue(()))
        .unwrap_err();
    match err {
        Error::Truncated { buffer, datagram } => {
            assert_eq!(buffer, 64);
            assert!(datagram > 64, "real length reported: {datagram}");
        }
        other => panic!("expected truncation, got {other}"),
    }
}

#[test]
fn leftovers_of_an_abandoned_exchange_are_reported_then_the_socket_resyncs() {
    netns_or_skip!();
    add_veth_pair();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    // Send a dump and walk away from it.
    let abandoned = socket.next_seq();
    let mut buf = [0u8; 64];
    socket
        .send(link::dump_request(&mut buf, abandoned))
        .unwrap();

    let get_lo = |socket: &mut Socket| {
        let mut buf = [0u8; 64];
        let mut w = Writer::new(&mut buf);
        let start = w
            .begin_message(nlmsg::Header::new(
                link::RTM_GETLINK,
                Flags::REQUEST,
                socket.next_seq(),
                0,
            ))
            .unwrap();
        w.put_bytes(&link::ifinfomsg(1, 0, 0)).unwrap();
        w.end_message(start).unwrap();
        socket.request(w.as_bytes(), Some(link::layout()))
    };
    let err = get_lo(&mut socket).unwrap_err();
    match err {
        Error::Codec(nl_core::Error::UnexpectedSeq { found, .. }) => assert_eq!(found, abandoned),
        other => panic!("expected the stale dump to be reported, got {other}"),
    }
    // Each exchange runs to its own end, so the leftovers run out.
    let mut tries = 1;
    while get_lo(&mut socket).is_err() {
        tries += 1;
        assert!(tries < 10, "the socket never got back in step");
    }
    assert!(get_lo(&mut socket).is_ok());
    assert_eq!(dump_links(&mut socket).0.len(), 3);
}
