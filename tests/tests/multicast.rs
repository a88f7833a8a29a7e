//! Link notifications (`RTNLGRP_LINK`) on sockets that joined the group,
//! through `NETLINK_ADD_MEMBERSHIP` and through the legacy bind bitmask;
//! leaving the group; and a receive queue overrun reported as such.

use std::collections::BTreeMap;
use std::io;
use std::time::{Duration, Instant};

use nl_tests::link::{self, Link, RTNLGRP_LINK};
use nl_tests::{netns_or_skip, run_ok};
use nl_uring::{Error, Protocol, Socket};

const WAIT: Duration = Duration::from_secs(5);

fn listener() -> Socket {
    let socket = Socket::open(Protocol::Route).unwrap();
    socket.set_recv_timeout(Some(WAIT)).unwrap();
    socket
}

/// Receives notifications until every name in `names` has been announced
/// by an `RTM_NEWLINK`; returns the last announcement of each.
fn wait_for_links(socket: &mut Socket, names: &[&str]) -> BTreeMap<String, Link> {
    let deadline = Instant::now() + WAIT;
    let mut seen = BTreeMap::new();
    while !names.iter().all(|n| seen.contains_key(*n)) {
        assert!(Instant::now() < deadline, "only saw {:?}", seen.keys());
        socket
            .recv(|m| {
                if m.ty() == link::RTM_NEWLINK {
                    let link = Link::parse(&m)?;
                    seen.insert(link.name.clone(), link);
                }
                Ok::<(), Error>(())
            })
            .unwrap();
    }
    seen
}

/// Reads whatever is queued until `quiet` passes without a datagram.
fn drain(socket: &mut Socket, quiet: Duration) -> usize {
    socket.set_recv_timeout(Some(quiet)).unwrap();
    let mut datagrams = 0;
    loop {
        match socket.recv(|_| Ok::<(), Error>(())) {
            Ok(_) => datagrams += 1,
            Err(Error::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => break,
            Err(e) => panic!("{e}"),
        }
    }
    socket.set_recv_timeout(Some(WAIT)).unwrap();
    datagrams
}

#[test]
fn link_notifications_reach_group_members() {
    netns_or_skip!();
    let mut joined = listener();
    joined.join_group(RTNLGRP_LINK).unwrap();
    let mut bound = listener();
    bound.bind_groups(1 << (RTNLGRP_LINK - 1)).unwrap();
    assert_eq!(bound.groups(), 1);

    run_ok(
        "ip",
        &["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
    );
    let theirs = link::ip_links();
    for socket in [&mut joined, &mut bound] {
        let seen = wait_for_links(socket, &["v0", "v1"]);
        for name in ["v0", "v1"] {
            let ip = theirs.iter().find(|l| l.name == name).unwrap();
            let ours = &seen[name];
            assert_eq!((ours.index, ours.mtu), (ip.index, ip.mtu), "{name}");
            assert_eq!(ours.kind.as_deref(), Some("veth"));
        }
    }

    // After leaving, `joined` hears nothing more; `bound` still does.
    joined.leave_group(RTNLGRP_LINK).unwrap();
    drain(&mut joined, Duration::from_millis(200));
    drain(&mut bound, Duration::from_millis(200));
    run_ok(
        "ip",
        &["link", "add", "v2", "type", "veth", "peer", "name", "v3"],
    );
    wait_for_links(&mut bound, &["v2", "v3"]);
    assert_eq!(drain(&mut joined, Duration::from_millis(300)), 0);
}

#[test]
fn receive_queue_overrun_is_reported() {
    netns_or_skip!();
    let mut small = listener();
    small.join_group(RTNLGRP_LINK).unwrap();
    let queue = small.set_recv_queue_size(1).unwrap();
    let mut quiet = listener();
    quiet.join_group(RTNLGRP_LINK).unwrap();
    quiet.set_recv_queue_size(1).unwrap();
    quiet.set_no_enobufs(true).unwrap();
    let mut full = listener();
    full.join_group(RTNLGRP_LINK).unwrap();
    // Root may exceed net.core.rmem_max; the kernel doubles the request.
    assert!(full.force_recv_queue_size(1 << 20).unwrap() >= 1 << 20);

    // Many notifications while nobody reads: more than the queue holds.
    for i in 0..4 {
        let (a, b) = (format!("a{i}"), format!("b{i}"));
        run_ok(
            "ip",
            &["link", "add", &a, "type", "veth", "peer", "name", &b],
        );
    }

    // ENOBUFS comes once, before or after what fitted in the queue.
    loop {
        match small.recv(|_| Ok::<(), Error>(())) {
            Ok(_) => {}
            Err(Error::Overrun) => break,
            Err(e) => panic!("queue of {queue} bytes: expected an overrun, got {e}"),
        }
    }

    // With NETLINK_NO_ENOBUFS the loss is silent (`drain` fails on any
    // error): fewer notifications than a socket with room for all of them.
    let all = drain(&mut full, Duration::from_millis(300));
    let some = drain(&mut quiet, Duration::from_millis(300));
    assert!(some >= 1 && some < all, "{some} of {all} notifications");
}
