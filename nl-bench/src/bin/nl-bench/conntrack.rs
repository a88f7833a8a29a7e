//! A conntrack table: creating it, and dumping it with each method.

use std::ops::ControlFlow;
use std::process::Command;

use nl_bench::conntrack::tuple;
use nl_uring::nl_core::netfilter::conntrack::{ConntrackSpec, DumpFilter, TcpState, dump};
use nl_uring::{BulkOptions, Error, Protocol, Ring, Socket, conntrack};

use crate::measure::{Measured, Transport, floor_dump};
use crate::progress::Progress;

/// Entries created per bulk call (a progress step).
const CHUNK: usize = 16_384;

/// Creates `n` entries (`nl_bench::conntrack::tuple(i)`, TCP established
/// or UDP, an hour to live) in the current namespace. Returns how many
/// the kernel refused.
pub(crate) fn create(n: usize) -> Result<usize, Error> {
    let mut ring = Ring::new();
    let mut socket = Socket::open(Protocol::Netfilter)?;
    let mut progress = Progress::new(format!("create {n} conntrack entries"), n);
    let mut refused = 0;
    for first in (0..n).step_by(CHUNK) {
        let specs: Vec<ConntrackSpec<'_>> = (first..n.min(first + CHUNK))
            .map(|i| {
                let orig = tuple(i);
                ConntrackSpec {
                    tcp_state: (orig.proto == 6).then_some(TcpState::Established),
                    ..ConntrackSpec::new(orig, 3600)
                }
            })
            .collect();
        let report =
            conntrack::create_many(&mut ring, &mut socket, &specs, &BulkOptions::default())?;
        refused += report.failed() + report.unknown_count();
        progress.set(first + specs.len(), "");
    }
    progress.finish(&format!("{refused} refused"));
    Ok(refused)
}

/// Dumps the whole table in the current namespace.
pub(crate) fn dump_table(transport: Transport) -> Result<Measured, Error> {
    match transport {
        Transport::Tool => Measured::time(|| {
            let out = Command::new("conntrack").arg("-L").output()?;
            let lines = out.stdout.iter().filter(|b| **b == b'\n').count();
            Ok((lines, usize::from(!out.status.success())))
        }),
        Transport::Floor => {
            let mut socket = Socket::open(Protocol::Netfilter)?;
            let mut buf = [0u8; 64];
            Measured::time(|| {
                let request = dump(&mut buf, socket.next_seq(), &DumpFilter::default())?;
                floor_dump(&mut socket, request)
            })
        }
        Transport::Blocking | Transport::Ring => {
            let mut ring = transport.ring();
            let mut socket = Socket::open(Protocol::Netfilter)?;
            Measured::time(|| {
                let (mut sum, mut errors) = (0u64, 0);
                let summary =
                    conntrack::dump(&mut ring, &mut socket, &DumpFilter::default(), |ct| {
                        match nl_bench::checksum::conntrack(&ct) {
                            Ok(one) => sum = sum.wrapping_add(one),
                            Err(_) => errors += 1,
                        }
                        ControlFlow::Continue(())
                    })?;
                std::hint::black_box(sum);
                Ok((summary.messages, errors))
            })
        }
    }
}
