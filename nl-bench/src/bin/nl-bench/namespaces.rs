//! Several namespaces, each with its own route table, dumped one after
//! another or all at once (one thread per namespace).

use std::net::IpAddr;
use std::ops::ControlFlow;

use nl_uring::nl_core::route::AddressFamily;
use nl_uring::nl_core::route::route::{DumpFilter, RouteTable, dump_routes};
use nl_uring::{DumpJob, Error, Protocol, Socket};

use crate::measure::{Measured, Transport, floor_dump};
use crate::routes::{default_start, dump_decoded, install, route_checksum, set_lo};

/// Namespaces each with a table of routes on `lo`, reached through one
/// route socket opened in each (which also keeps the namespace alive).
pub(crate) struct Shards {
    sockets: Vec<Socket>,
    /// Routes in each namespace's main table.
    pub(crate) routes_each: usize,
}

impl Shards {
    /// Makes `count` namespaces of `routes_each` IPv4 routes, in parallel
    /// (one thread each; the calling thread's namespace is untouched).
    pub(crate) fn make(count: usize, routes_each: usize) -> Result<Shards, Error> {
        let start = default_start(AddressFamily::Inet);
        let sockets = std::thread::scope(|s| {
            let threads: Vec<_> = (0..count)
                .map(|_| s.spawn(move || shard(routes_each, start)))
                .collect();
            threads
                .into_iter()
                .map(|t| {
                    t.join().unwrap_or_else(|_| {
                        Err(std::io::Error::other("a namespace set-up thread panicked").into())
                    })
                })
                .collect::<Result<Vec<Socket>, Error>>()
        })?;
        Ok(Shards {
            sockets,
            routes_each,
        })
    }

    /// Dumps every namespace's main table in turn, on this thread.
    pub(crate) fn sequential(&mut self, transport: Transport) -> Result<Measured, Error> {
        Measured::time(|| {
            let (mut messages, mut errors) = (0, 0);
            for socket in &mut self.sockets {
                let (m, e) = dump_one(socket, transport)?;
                messages += m;
                errors += e;
            }
            Ok((messages, errors))
        })
    }

    /// Dumps every namespace's main table at once: the ring's
    /// [`nl_uring::Ring::dump_many`] (full decode on this thread), or for the floor
    /// one raw reading thread per namespace.
    pub(crate) fn concurrent(&mut self, transport: Transport) -> Result<Measured, Error> {
        if transport == Transport::Floor {
            return Measured::time(|| {
                std::thread::scope(|s| {
                    let threads: Vec<_> = self
                        .sockets
                        .iter_mut()
                        .map(|socket| s.spawn(move || dump_one(socket, Transport::Floor)))
                        .collect();
                    let (mut messages, mut errors) = (0, 0);
                    for t in threads {
                        let (m, e) = t.join().unwrap_or_else(|_| {
                            Err(std::io::Error::other("a dump thread panicked").into())
                        })?;
                        messages += m;
                        errors += e;
                    }
                    Ok((messages, errors))
                })
            });
        }
        let mut ring = transport.ring();
        let mut requests = Vec::new();
        for socket in &mut self.sockets {
            let mut buf = [0u8; 128];
            requests.push(dump_routes(&mut buf, socket.next_seq(), &main_table())?.to_vec());
        }
        Measured::time(|| {
            let mut jobs: Vec<DumpJob<'_>> = self
                .sockets
                .iter_mut()
                .zip(&requests)
                .map(|(socket, request)| DumpJob::new(socket, request, None))
                .collect();
            let (mut sum, mut errors) = (0u64, 0);
            let results = ring.dump_many(&mut jobs, |_, m| {
                match route_checksum(&m) {
                    Ok(one) => sum = sum.wrapping_add(one),
                    Err(_) => errors += 1,
                }
                ControlFlow::Continue(())
            });
            std::hint::black_box(sum);
            let mut messages = 0;
            for result in results {
                messages += result?.messages;
            }
            Ok((messages, errors))
        })
    }
}

/// The IPv4 main table.
fn main_table() -> DumpFilter {
    DumpFilter {
        table: Some(RouteTable::Main.into()),
        ..DumpFilter::family(AddressFamily::Inet)
    }
}

/// On a fresh thread: a new namespace with `lo` up and `routes` routes.
fn shard(routes: usize, start: IpAddr) -> Result<Socket, Error> {
    nl_uring::enter_new_netns()?;
    set_lo(true)?;
    let installed = install(routes, start, Transport::Ring)?;
    if installed.errors > 0 {
        return Err(std::io::Error::other(format!(
            "{} of {routes} routes refused in a shard namespace",
            installed.errors
        ))
        .into());
    }
    let socket = Socket::open(Protocol::Route)?;
    socket.set_strict_check(true)?;
    Ok(socket)
}

/// Dumps one namespace's IPv4 main table: the raw floor, or full decode.
fn dump_one(socket: &mut Socket, transport: Transport) -> Result<(usize, usize), Error> {
    let filter = main_table();
    if transport == Transport::Floor {
        let mut buf = [0u8; 128];
        let request = dump_routes(&mut buf, socket.next_seq(), &filter)?;
        floor_dump(socket, request)
    } else {
        dump_decoded(&mut transport.ring(), socket, &filter)
    }
}
