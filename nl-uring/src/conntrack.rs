//! Connection tracking (ctnetlink, over `NETLINK_NETFILTER`) on a
//! [`Ring`]: create entries one by one or by the thousand
//! ([`create_many`], one result per entry), get, dump with the kernel's
//! filters (mark, zone, status), delete, flush, zero the counters, read the
//! statistics, and stream the `NEW`/`UPDATE`/`DESTROY` events
//! ([`join_events`], [`Ring::conntrack_events`]).
//!
//! Every function takes a [`Protocol::Netfilter`] socket
//! ([`Error::InvalidRequest`] otherwise).
//!
//! ```no_run
//! use std::ops::ControlFlow;
//! use nl_uring::conntrack;
//! use nl_uring::nl_core::netfilter::conntrack::{ConntrackSpec, DumpFilter, Tuple};
//! use nl_uring::{Protocol, Ring, Socket};
//!
//! let mut ring = Ring::new();
//! let mut socket = Socket::open(Protocol::Netfilter)?;
//! let orig = Tuple::udp("10.0.0.1:1000".parse().unwrap(), "10.0.0.2:53".parse().unwrap());
//! conntrack::create(&mut ring, &mut socket, &ConntrackSpec::new(orig, 120))?;
//! conntrack::dump(&mut ring, &mut socket, &DumpFilter::default(), |ct| {
//!     println!("{ct}");
//!     ControlFlow::Continue(())
//! })?;
//! # Ok::<(), nl_uring::Error>(())
//! ```

use std::fmt;
use std::ops::ControlFlow;
use std::time::Duration;

use nl_core::netfilter::conntrack::{
    self as ct, Conntrack, ConntrackEvent, ConntrackSpec, DumpFilter, Stats, StatsCpu, Tuple,
};
use nl_core::netfilter::group;
use nl_core::nlmsg::{Flags, Message};

use crate::bulk::{BulkOptions, BulkReport};
use crate::error::Error;
use crate::request::DumpSummary;
use crate::ring::Ring;
use crate::socket::{Protocol, Socket};

/// Room for the longest request: headers, two IPv6 tuples, the scalars.
const REQUEST_LEN: usize = 512;

/// `NLM_F_CREATE | NLM_F_EXCL`: a new entry, an existing one is `EEXIST`.
const CREATE_EXCL: Flags = Flags(Flags::CREATE.0 | Flags::EXCL.0);

/// A conntrack multicast group (`NFNLGRP_CONNTRACK_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    /// `NFNLGRP_CONNTRACK_NEW`: entries created.
    New,
    /// `NFNLGRP_CONNTRACK_UPDATE`: entries changed (state, status, mark…).
    Update,
    /// `NFNLGRP_CONNTRACK_DESTROY`: entries deleted or timed out.
    Destroy,
}

impl Group {
    /// The three groups, in `NFNLGRP_*` order.
    pub const ALL: [Group; 3] = [Group::New, Group::Update, Group::Destroy];

    /// The group number, for [`Socket::join_group`].
    pub const fn id(self) -> u32 {
        match self {
            Group::New => group::CONNTRACK_NEW,
            Group::Update => group::CONNTRACK_UPDATE,
            Group::Destroy => group::CONNTRACK_DESTROY,
        }
    }

    /// `new`, `update` or `destroy`.
    pub const fn name(self) -> &'static str {
        match self {
            Group::New => "new",
            Group::Update => "update",
            Group::Destroy => "destroy",
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Joins each of `groups` on `socket`, for [`Ring::conntrack_events`].
/// Groups joined before a failure stay joined.
pub fn join_events(socket: &Socket, groups: &[Group]) -> Result<(), Error> {
    check_netfilter(socket)?;
    for g in groups {
        socket.join_group(g.id())?;
    }
    Ok(())
}

/// Creates one entry (`NLM_F_CREATE | NLM_F_EXCL`: an entry with the same
/// tuple in the same zone is `EEXIST`).
pub fn create(ring: &mut Ring, socket: &mut Socket, spec: &ConntrackSpec<'_>) -> Result<(), Error> {
    check_netfilter(socket)?;
    let mut buf = [0u8; REQUEST_LEN];
    let request = ct::new(&mut buf, socket.next_seq(), CREATE_EXCL, spec)?;
    ring.request(socket, request, Some(ct::layout()))?;
    Ok(())
}

/// Changes an existing entry (`IPCTNL_MSG_CT_NEW` without
/// `NLM_F_CREATE`): its timeout, mark, status bits, TCP state. A missing
/// entry is `ENOENT`.
pub fn update(ring: &mut Ring, socket: &mut Socket, spec: &ConntrackSpec<'_>) -> Result<(), Error> {
    check_netfilter(socket)?;
    let mut buf = [0u8; REQUEST_LEN];
    let request = ct::new(&mut buf, socket.next_seq(), Flags(0), spec)?;
    ring.request(socket, request, Some(ct::layout()))?;
    Ok(())
}

/// Creates every entry of `specs` with [`Ring::bulk`], many per send, and
/// reports a result per entry (index `i` is `specs[i]`). `options.layout`
/// is filled in with conntrack's when it is `None`, so a rejected entry
/// names the attribute the kernel pointed at.
pub fn create_many(
    ring: &mut Ring,
    socket: &mut Socket,
    specs: &[ConntrackSpec<'_>],
    options: &BulkOptions,
) -> Result<BulkReport, Error> {
    check_netfilter(socket)?;
    let mut options = *options;
    if options.layout.is_none() {
        options.layout = Some(ct::layout());
    }
    ring.bulk(socket, specs.len(), &options, |index, buf| {
        // The bulk asks only for indices below `specs.len()`.
        let spec = specs.get(index).ok_or(nl_core::Error::Truncated)?;
        // The sequence number is rewritten by the bulk.
        Ok(ct::new(buf, 0, CREATE_EXCL, spec)?.len())
    })
}

/// The entry whose original tuple is `orig` (in `zone`, the default zone
/// for `None`), handed to `f`; `ENOENT` when there is none.
pub fn get<R>(
    ring: &mut Ring,
    socket: &mut Socket,
    orig: &Tuple,
    zone: Option<u16>,
    f: impl FnOnce(&Conntrack<'_>) -> R,
) -> Result<R, Error> {
    check_netfilter(socket)?;
    let mut buf = [0u8; REQUEST_LEN];
    let request = ct::get(&mut buf, socket.next_seq(), orig, zone)?;
    let mut f = Some(f);
    let mut found = None;
    ring.request_with(socket, request, Some(ct::layout()), |m| {
        let entry = Conntrack::parse(&m)?;
        if let Some(f) = f.take() {
            found = Some(f(&entry));
        }
        Ok::<(), Error>(())
    })?;
    found.ok_or(Error::MissingReply)
}

/// Dumps the table, or the entries `filter` selects (the kernel filters:
/// `NETLINK_GET_STRICT_CHK` is turned on for a filtered dump), handing each
/// to `f` until it breaks. A message that does not decode as an entry is
/// [`Error::Codec`], never skipped.
pub fn dump(
    ring: &mut Ring,
    socket: &mut Socket,
    filter: &DumpFilter,
    f: impl FnMut(Conntrack<'_>) -> ControlFlow<()>,
) -> Result<DumpSummary, Error> {
    check_netfilter(socket)?;
    strict_if_filtered(socket, filter)?;
    let mut buf = [0u8; REQUEST_LEN];
    let request = ct::dump(&mut buf, socket.next_seq(), filter)?;
    dump_entries(ring, socket, request, f)
}

/// [`dump`], zeroing each entry's counters as it is read
/// (`IPCTNL_MSG_CT_GET_CTRZERO`): `f` sees the counters before the reset.
pub fn dump_zero(
    ring: &mut Ring,
    socket: &mut Socket,
    filter: &DumpFilter,
    f: impl FnMut(Conntrack<'_>) -> ControlFlow<()>,
) -> Result<DumpSummary, Error> {
    check_netfilter(socket)?;
    strict_if_filtered(socket, filter)?;
    let mut buf = [0u8; REQUEST_LEN];
    let request = ct::dump_zero(&mut buf, socket.next_seq(), filter)?;
    dump_entries(ring, socket, request, f)
}

/// Deletes the entry whose original tuple is `orig` in `zone`; `ENOENT`
/// when there is none.
pub fn delete(
    ring: &mut Ring,
    socket: &mut Socket,
    orig: &Tuple,
    zone: Option<u16>,
) -> Result<(), Error> {
    check_netfilter(socket)?;
    let mut buf = [0u8; REQUEST_LEN];
    let request = ct::delete(&mut buf, socket.next_seq(), orig, zone)?;
    ring.request(socket, request, Some(ct::layout()))?;
    Ok(())
}

/// Deletes every entry of address family `family` (`AF_INET`,
/// `AF_INET6`; 0 for both), like `conntrack -F`.
pub fn flush(ring: &mut Ring, socket: &mut Socket, family: u8) -> Result<(), Error> {
    check_netfilter(socket)?;
    let mut buf = [0u8; REQUEST_LEN];
    let request = ct::flush(&mut buf, socket.next_seq(), family)?;
    ring.request(socket, request, Some(ct::layout()))?;
    Ok(())
}

/// The table's global statistics (`IPCTNL_MSG_CT_GET_STATS`): entries
/// and the table's limit.
pub fn stats(ring: &mut Ring, socket: &mut Socket) -> Result<Stats, Error> {
    check_netfilter(socket)?;
    let mut buf = [0u8; REQUEST_LEN];
    let request = ct::stats(&mut buf, socket.next_seq())?;
    let mut found = None;
    ring.request_with(socket, request, Some(ct::layout()), |m| {
        found = Some(Stats::parse(&m)?);
        Ok::<(), Error>(())
    })?;
    found.ok_or(Error::MissingReply)
}

/// The per-CPU statistics (`IPCTNL_MSG_CT_GET_STATS_CPU`, a dump), one
/// per possible CPU in the kernel's order.
pub fn stats_cpu(ring: &mut Ring, socket: &mut Socket) -> Result<Vec<StatsCpu>, Error> {
    check_netfilter(socket)?;
    let mut buf = [0u8; REQUEST_LEN];
    let request = ct::stats_cpu(&mut buf, socket.next_seq())?;
    let mut found = Vec::new();
    ring.try_dump(socket, request, Some(ct::layout()), |m| {
        found.push(StatsCpu::parse(&m)?);
        Ok::<(), Error>(())
    })?;
    Ok(found)
}

impl Ring {
    /// Streams the conntrack events arriving on `socket` (after
    /// [`join_events`]) to `f`, decoded, until `f` breaks or `timeout`
    /// passes; returns how many events `f` saw. A message that does not
    /// decode as an event is [`Error::Codec`], returned, never skipped (the
    /// messages after it stay queued for the next call); an overrun is
    /// [`Error::Overrun`] as in [`Ring::events`].
    pub fn conntrack_events(
        &mut self,
        socket: &mut Socket,
        timeout: Option<Duration>,
        mut f: impl FnMut(ConntrackEvent<'_>) -> ControlFlow<()>,
    ) -> Result<usize, Error> {
        self.events_with(socket, timeout, |m: Message<'_>| {
            Ok::<_, Error>(f(ConntrackEvent::parse(&m)?))
        })
    }
}

/// Runs dump `request` and hands every entry to `f`; the first message
/// that does not decode stops the deliveries (the dump is still read to
/// its end) and is returned.
fn dump_entries(
    ring: &mut Ring,
    socket: &mut Socket,
    request: &[u8],
    mut f: impl FnMut(Conntrack<'_>) -> ControlFlow<()>,
) -> Result<DumpSummary, Error> {
    let mut failed = None;
    let summary = ring.dump(
        socket,
        request,
        Some(ct::layout()),
        |m| match Conntrack::parse(&m) {
            Ok(entry) => f(entry),
            Err(e) => {
                failed = Some(e);
                ControlFlow::Break(())
            }
        },
    )?;
    match failed {
        Some(e) => Err(Error::Codec(e)),
        None => Ok(summary),
    }
}

/// The kernel reads a dump's filter attributes only with
/// `NETLINK_GET_STRICT_CHK` on.
fn strict_if_filtered(socket: &Socket, filter: &DumpFilter) -> Result<(), Error> {
    if *filter != DumpFilter::default() {
        socket.set_strict_check(true)?;
    }
    Ok(())
}

fn check_netfilter(socket: &Socket) -> Result<(), Error> {
    if socket.protocol() != Protocol::Netfilter {
        return Err(Error::InvalidRequest(
            "conntrack needs a Protocol::Netfilter socket",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_numbers_match_nfnetlink_compat_h() {
        // enum nfnetlink_groups in linux/netfilter/nfnetlink.h.
        let ids: Vec<u32> = Group::ALL.iter().map(|g| g.id()).collect();
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(Group::Destroy.to_string(), "destroy");
    }

    #[test]
    fn conntrack_needs_a_netfilter_socket() {
        let mut ring = Ring::blocking();
        let mut socket = Socket::open(Protocol::Route).unwrap();
        assert!(matches!(
            join_events(&socket, &[Group::New]),
            Err(Error::InvalidRequest(_))
        ));
        assert!(matches!(
            flush(&mut ring, &mut socket, 0),
            Err(Error::InvalidRequest(_))
        ));
    }
}
