//! Bulk writes against the kernel, through the ring and through blocking
//! calls: 100k IPv4 routes in one bulk write, 100 of them planted to fail
//! (50 duplicates added with `NLM_F_EXCL | NLM_F_CREATE`, 49 through an
//! interface that does not exist, one with a malformed `RTA_PRIORITY`). Exactly those are
//! reported, with their index, errno and, for the malformed one, the
//! attribute named; `ip route show` lists every other route. With an ACK
//! per send (errors named from the kept send) and fire-and-forget (named
//! from the kernel's echo) alike.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

use nl_core::nlmsg::Flags;
use nl_core::route::AddressFamily;
use nl_core::route::route::{Route, RouteScope, RouteSpec, new_route};
use nl_tests::{netns_or_skip, run_ok, uring};
use nl_uring::{Acks, BulkOptions, Outcome, Protocol, Ring, Socket};

const ROUTES: usize = 100_000;
/// Added a second time (the destination of `index - 50`): EEXIST.
fn duplicate(index: usize) -> bool {
    index % 1000 == 100 && index < 50_000
}
/// Through interface 9999, which does not exist: ENODEV. 63 is the last
/// message of the first send (the one with the ACK), 64 the first of the
/// second.
fn no_device(index: usize) -> bool {
    matches!(index, 0 | 63 | 64) || (index % 2000 == 777 && index < 92_000)
}
const MISSING_IFINDEX: u32 = 9_999;
/// Carries an `RTA_PRIORITY` of 2 bytes instead of 4.
const BAD_ATTR: usize = 200;
const PLANTED: usize = 100;

/// `30.0.0.0/24`, `30.0.1.0/24`, … for index 0, 1, …
fn destination(index: usize) -> Ipv4Addr {
    let index = u32::try_from(index).unwrap();
    Ipv4Addr::from((30u32 << 24) + (index << 8))
}

fn spec(index: usize) -> RouteSpec<'static> {
    let (dst, oif) = if duplicate(index) {
        (destination(index - 50), 1)
    } else if no_device(index) {
        (destination(index), MISSING_IFINDEX)
    } else {
        (destination(index), 1)
    };
    RouteSpec {
        dst: Some(IpAddr::V4(dst)),
        dst_len: 24,
        oif: Some(oif),
        scope: RouteScope::Link,
        ..RouteSpec::new(AddressFamily::Inet)
    }
}

fn install(mut ring: Ring, acks: Acks) {
    // Interface 1 is lo in a fresh namespace.
    run_ok("ip", &["link", "set", "lo", "up"]);
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let options = BulkOptions {
        acks,
        layout: Some(Route::layout()),
        ..BulkOptions::default()
    };
    let report = ring
        .bulk(&mut socket, ROUTES, &options, |index, buf| {
            let len = new_route(buf, 0, Flags::CREATE | Flags::EXCL, &spec(index))?.len();
            if index != BAD_ATTR {
                return Ok(len);
            }
            #[rustfmt::skip]
            let bad_priority = [
                0x06, 0x00, 0x06, 0x00, // nla_len = 6, RTA_PRIORITY
                0x01, 0x00, 0x00, 0x00, // a 2-byte payload + 2 padding
            ];
            let total = len + bad_priority.len();
            let tail = buf
                .get_mut(len..total)
                .ok_or(nl_core::Error::NoRoom { needed: total })?;
            tail.copy_from_slice(&bad_priority);
            buf[..4].copy_from_slice(&u32::try_from(total).unwrap().to_ne_bytes());
            Ok(total)
        })
        .unwrap();

    assert_eq!((report.messages, report.sent), (ROUTES, ROUTES), "{report}");
    assert_eq!(report.not_sent, None);
    // 64 messages per send; the barrier rides in the last one.
    assert_eq!(report.batches, ROUTES.div_ceil(64));
    assert_eq!(
        (report.overruns, report.unknown_count()),
        (0, 0),
        "{report}"
    );
    assert_eq!(
        (report.unexpected, report.foreign, report.replies),
        (0, 0, 0)
    );
    let failed: Vec<(usize, Option<&str>)> = report
        .failures
        .iter()
        .map(|f| (f.index, f.error.errno.name()))
        .collect();
    let mut expected: Vec<(usize, Option<&str>)> = (0..ROUTES)
        .filter_map(|i| {
            if duplicate(i) {
                Some((i, Some("EEXIST")))
            } else if no_device(i) {
                Some((i, Some("ENODEV")))
            } else {
                None
            }
        })
        .collect();
    assert_eq!(expected.len(), PLANTED - 1);
    let bad = report
        .failures
        .iter()
        .find(|f| f.index == BAD_ATTR)
        .unwrap();
    expected.push((BAD_ATTR, bad.error.errno.name()));
    expected.sort();
    assert_eq!(failed, expected, "{report}");
    // Policy validation names the attribute (ERANGE or EINVAL by kernel).
    assert!(
        matches!(bad.error.errno.name(), Some("ERANGE" | "EINVAL")),
        "{}",
        bad.error
    );
    assert_eq!(
        bad.error.path.as_ref().map(ToString::to_string).as_deref(),
        Some("priority"),
        "{}",
        bad.error
    );
    // Message i was sent with sequence number base + i.
    let first = &report.failures[0];
    for f in &report.failures {
        let step = f.error.seq.wrapping_sub(first.error.seq);
        assert_eq!(usize::try_from(step).unwrap(), f.index - first.index);
    }
    let ok = report
        .outcomes()
        .filter(|o| matches!(o, Outcome::Ok))
        .count();
    assert_eq!(ok, ROUTES - PLANTED);

    // Every other route is in the table, and nothing else.
    let shown: BTreeSet<String> = run_ok("ip", &["route", "show"])
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect();
    let wanted: BTreeSet<String> = (0..ROUTES)
        .filter(|i| !duplicate(*i) && !no_device(*i) && *i != BAD_ATTR)
        .map(|i| format!("{}/24", destination(i)))
        .collect();
    assert_eq!(shown.len(), ROUTES - PLANTED);
    assert_eq!(shown, wanted);

    // The socket is in step afterwards: a plain request works.
    let mut buf = [0u8; 128];
    let again = new_route(
        &mut buf,
        socket.next_seq(),
        Flags::CREATE | Flags::EXCL,
        &spec(1),
    )
    .unwrap();
    let err = socket.request(again, Some(Route::layout())).unwrap_err();
    assert_eq!(err.kernel().unwrap().errno.name(), Some("EEXIST"));
}

#[test]
fn ring_with_an_ack_per_send() {
    netns_or_skip!();
    install(uring(), Acks::PerSend);
}

#[test]
fn ring_fire_and_forget() {
    netns_or_skip!();
    install(uring(), Acks::None);
}

#[test]
fn blocking_with_an_ack_per_send() {
    netns_or_skip!();
    install(Ring::blocking(), Acks::PerSend);
}

#[test]
fn blocking_fire_and_forget() {
    netns_or_skip!();
    install(Ring::blocking(), Acks::None);
}
