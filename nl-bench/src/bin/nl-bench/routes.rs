//! Route tables on `lo`: installing N routes and dumping a table, with
//! each method.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::ControlFlow;
use std::process::{Command, Stdio};

use nl_uring::nl_core::nlmsg::{self, Flags, Header, Message, Reply};
use nl_uring::nl_core::route::AddressFamily;
use nl_uring::nl_core::route::link::{LinkChange, set_link};
use nl_uring::nl_core::route::route::{
    DumpFilter, Route, RouteScope, RouteSpec, RouteTable, dump_routes, new_route,
};
use nl_uring::nl_core::{self, Writer};
use nl_uring::{Acks, BulkOptions, Error, Protocol, Ring, Socket};

use crate::measure::{Measured, Transport, floor_dump};

/// Interface 1: `lo` in a fresh namespace.
const LO: u32 = 1;
/// Messages per send for the floor, as the bulk packs them.
const PER_SEND: usize = 64;
/// Room for one route request.
const ROUTE_LEN: usize = 128;

/// Where installed routes start: `16.0.0.0` (/32s) and `2001:db8::` (/64s).
pub(crate) fn default_start(family: AddressFamily) -> IpAddr {
    match family {
        AddressFamily::Inet6 => IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0)),
        _ => IpAddr::V4(Ipv4Addr::new(16, 0, 0, 0)),
    }
}

/// Route `i` from `start`: consecutive /32s for IPv4, consecutive /64s for
/// IPv6, on `lo`.
pub(crate) fn route(start: IpAddr, i: usize) -> RouteSpec<'static> {
    match start {
        IpAddr::V4(v4) => RouteSpec {
            dst: Some(IpAddr::V4(Ipv4Addr::from(
                u32::from(v4).wrapping_add(i as u32),
            ))),
            dst_len: 32,
            oif: Some(LO),
            scope: RouteScope::Link,
            ..RouteSpec::new(AddressFamily::Inet)
        },
        IpAddr::V6(v6) => RouteSpec {
            dst: Some(IpAddr::V6(Ipv6Addr::from(
                u128::from(v6).wrapping_add((i as u128) << 64),
            ))),
            dst_len: 64,
            oif: Some(LO),
            ..RouteSpec::new(AddressFamily::Inet6)
        },
    }
}

/// Brings `lo` up, or down: down removes every route through it at once
/// (synchronously, so a namespace is cheap to drop afterwards).
pub(crate) fn set_lo(up: bool) -> Result<(), Error> {
    let mut socket = Socket::open(Protocol::Route)?;
    let mut buf = [0u8; 64];
    let change = LinkChange {
        up: Some(up),
        ..LinkChange::default()
    };
    let request = set_link(&mut buf, socket.next_seq(), LO as i32, &change)?;
    Ring::blocking().request(&mut socket, request, None)?;
    Ok(())
}

/// Installs `n` routes from `start` in the current namespace.
pub(crate) fn install(n: usize, start: IpAddr, transport: Transport) -> Result<Measured, Error> {
    let flags = Flags::CREATE | Flags::EXCL;
    match transport {
        Transport::Tool => {
            let prefix = if start.is_ipv4() { 32 } else { 64 };
            let batch: String = (0..n)
                .filter_map(|i| route(start, i).dst)
                .map(|dst| format!("route add {dst}/{prefix} dev lo\n"))
                .collect();
            let path = std::env::temp_dir().join(format!("nl-bench-{}.batch", std::process::id()));
            std::fs::write(&path, batch)?;
            let measured = Measured::time(|| {
                let status = Command::new("ip")
                    .arg("-batch")
                    .arg(&path)
                    .stderr(Stdio::null())
                    .status()?;
                Ok((n, usize::from(!status.success())))
            });
            std::fs::remove_file(&path)?;
            measured
        }
        Transport::Floor => {
            let mut socket = Socket::open(Protocol::Route)?;
            let mut buf = vec![0u8; PER_SEND * ROUTE_LEN];
            Measured::time(|| {
                let mut i = 0;
                while i < n {
                    let mut len = 0;
                    for _ in 0..PER_SEND.min(n - i) {
                        let room = buf.get_mut(len..).unwrap_or_default();
                        let message_len = new_route(room, 0, flags, &route(start, i))?.len();
                        clear_ack(room);
                        len += nl_core::align(message_len).unwrap_or(message_len);
                        i += 1;
                    }
                    socket.send(buf.get(..len).unwrap_or_default())?;
                }
                // One ACKed NOOP says the kernel has processed them all; an
                // error on any route would have come back before its ACK.
                Ok((n, barrier(&mut socket)?))
            })
        }
        Transport::Blocking | Transport::Ring => {
            let mut ring = transport.ring();
            let mut socket = Socket::open(Protocol::Route)?;
            let options = BulkOptions {
                acks: Acks::PerSend,
                ..BulkOptions::default()
            };
            Measured::time(|| {
                let report = ring.bulk(&mut socket, n, &options, |i, buf| {
                    Ok(new_route(buf, 0, flags, &route(start, i))?.len())
                })?;
                Ok((n, report.failed() + report.unknown_count()))
            })
        }
    }
}

/// Clears `NLM_F_ACK` in the message at the start of `message` (nl-core's
/// builders ask for an ACK; the floor asks for none). The flags are the
/// u16 at offset 6 of `nlmsghdr`.
fn clear_ack(message: &mut [u8]) {
    if let Some(field) = message.get_mut(6..8) {
        let mut flags = [0u8; 2];
        flags.copy_from_slice(field);
        let flags = u16::from_ne_bytes(flags) & !Flags::ACK.bits();
        field.copy_from_slice(&flags.to_ne_bytes());
    }
}

/// Sends an ACKed `NLMSG_NOOP` and reads up to its ACK; returns the number
/// of kernel errors that came back first.
fn barrier(socket: &mut Socket) -> Result<usize, Error> {
    let mut noop = [0u8; Header::LEN];
    let mut w = Writer::new(&mut noop);
    let seq = socket.next_seq();
    let at = w.begin_message(Header::new(
        nlmsg::NOOP,
        Flags::REQUEST | Flags::ACK,
        seq,
        0,
    ))?;
    w.end_message(at)?;
    socket.send(w.as_bytes())?;
    let (mut errors, mut acked) = (0, false);
    while !acked {
        socket.recv(|m| {
            match Reply::classify(m)? {
                Reply::Ack(ack) | Reply::Error(ack) if ack.request.seq.get() == seq => {
                    acked = true;
                }
                Reply::Error(_) => errors += 1,
                _ => {}
            }
            Ok::<(), Error>(())
        })?;
    }
    Ok(errors)
}

/// Dumps the main table of `family` in the current namespace.
pub(crate) fn dump(family: AddressFamily, transport: Transport) -> Result<Measured, Error> {
    let filter = DumpFilter {
        table: Some(RouteTable::Main.into()),
        ..DumpFilter::family(family)
    };
    let mut buf = [0u8; 128];
    match transport {
        Transport::Tool => Measured::time(|| {
            let flag = if family == AddressFamily::Inet6 {
                "-6"
            } else {
                "-4"
            };
            let out = Command::new("ip").args([flag, "route", "show"]).output()?;
            let lines = out.stdout.iter().filter(|b| **b == b'\n').count();
            Ok((lines, usize::from(!out.status.success())))
        }),
        Transport::Floor => {
            let mut socket = Socket::open(Protocol::Route)?;
            socket.set_strict_check(true)?;
            Measured::time(|| {
                let request = dump_routes(&mut buf, socket.next_seq(), &filter)?;
                floor_dump(&mut socket, request)
            })
        }
        Transport::Blocking | Transport::Ring => {
            let mut ring = transport.ring();
            let mut socket = Socket::open(Protocol::Route)?;
            socket.set_strict_check(true)?;
            Measured::time(|| dump_decoded(&mut ring, &mut socket, &filter))
        }
    }
}

/// Dumps with `filter` on `socket`, decoding every route in full; returns
/// (routes, routes that did not decode).
pub(crate) fn dump_decoded(
    ring: &mut Ring,
    socket: &mut Socket,
    filter: &DumpFilter,
) -> Result<(usize, usize), Error> {
    let mut buf = [0u8; 128];
    let request = dump_routes(&mut buf, socket.next_seq(), filter)?;
    let (mut errors, mut sum) = (0, 0u64);
    let summary = ring.dump(socket, request, None, |m| {
        match route_checksum(&m) {
            Ok(sum_of_one) => sum = sum.wrapping_add(sum_of_one),
            Err(_) => errors += 1,
        }
        ControlFlow::Continue(())
    })?;
    std::hint::black_box(sum);
    Ok((summary.messages, errors))
}

/// Decodes a route message in full: every field a route carries, folded
/// into a checksum ([`nl_bench::checksum::route`]).
pub(crate) fn route_checksum(m: &Message<'_>) -> Result<u64, nl_core::Error> {
    nl_bench::checksum::route(&Route::parse(m)?)
}
