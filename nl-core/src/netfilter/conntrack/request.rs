//! The requests of ctnetlink and their layout.
//!
//! ```text
//! nlmsghdr: type 0x01xx, flags NLM_F_REQUEST [| NLM_F_DUMP | NLM_F_CREATE…]
//! nfgenmsg: family (AF_INET 2, AF_INET6 10; 0 = all), version 0, res_id 0
//!   new          tuple-orig, tuple-reply, status (| confirmed), timeout, [mark], [zone],
//!                [labels], [protoinfo {protoinfo-tcp {tcp-state}}]
//!   get          tuple-orig, [zone]
//!   get (dump)   [mark, mark-mask], [zone], [status, status-mask]
//!   delete       tuple-orig, [zone]        (no tuple: flush)
//!   get-ctrzero  as the dump
//!   get-stats, get-stats-cpu (dump)        no attributes
//! ```
//!
//! Every builder writes the whole message into `buf` or nothing. Only
//! `NLM_F_REQUEST` is set (plus `NLM_F_DUMP` for dumps and the caller's
//! flags for [`new`]); the transport adds `NLM_F_ACK`.
//!
//! Dump filters: the kernel filters a dump by the `nfgenmsg` family and by
//! mark, zone and status. Ask for `NETLINK_GET_STRICT_CHK` on the socket so
//! that a kernel which does not know an attribute refuses the dump instead
//! of ignoring the filter.

use core::net::IpAddr;

use super::attrs::{
    ConntrackAttrs, CtMsg, CtStatus, ProtoinfoAttrs, ProtoinfoTcpAttrs, TcpState, msg_type,
};
use super::tuple::Tuple;
use crate::netfilter::NfGenMsg;
use crate::nlmsg::{self, Flags, RequestLayout};
use crate::table::AttrSet;
use crate::{Error, Writer};

/// `AF_INET`.
const AF_INET: u8 = 2;
/// `AF_INET6`.
const AF_INET6: u8 = 10;

/// An entry to create or update with [`new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ConntrackSpec<'l> {
    /// The original direction.
    pub orig: Tuple,
    /// The reply direction; `None`: `orig.reversed()`.
    pub reply: Option<Tuple>,
    /// Status bits (only the changeable ones: `seen-reply`, `assured`…);
    /// [`new`] adds `confirmed`.
    pub status: CtStatus,
    /// Seconds until it expires.
    pub timeout: u32,
    /// Mark.
    pub mark: Option<u32>,
    /// Zone.
    pub zone: Option<u16>,
    /// Labels (a 128-bit map).
    pub labels: Option<&'l [u8; 16]>,
    /// TCP state (TCP entries).
    pub tcp_state: Option<TcpState>,
}

impl ConntrackSpec<'_> {
    /// An entry for `orig` expiring in `timeout` seconds, nothing else set.
    pub fn new(orig: Tuple, timeout: u32) -> Self {
        ConntrackSpec {
            orig,
            reply: None,
            status: CtStatus(0),
            timeout,
            mark: None,
            zone: None,
            labels: None,
            tcp_state: None,
        }
    }
}

/// What a dump (or [`dump_zero`]) returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DumpFilter {
    /// Address family (`AF_UNSPEC` 0 = all).
    pub family: u8,
    /// Mark value and mask: entries with `mark & mask == value`.
    pub mark: Option<(u32, u32)>,
    /// Zone.
    pub zone: Option<u16>,
    /// Status value and mask: entries with `status & mask == value`.
    pub status: Option<(u32, u32)>,
}

/// Bytes of a 2- or 4-byte attribute.
const SMALL: usize = 8;
/// Bytes of the protoinfo { tcp { state } } nests.
const TCP_STATE_SPACE: usize = 4 + 4 + 8;

/// The address family of a tuple.
fn family_of(tuple: &Tuple) -> u8 {
    match tuple.src {
        IpAddr::V4(_) => AF_INET,
        IpAddr::V6(_) => AF_INET6,
    }
}

/// Writes one request (see [`nlmsg::build`]).
fn build<'b>(
    buf: &'b mut [u8],
    msg: CtMsg,
    flags: Flags,
    seq: u32,
    family: u8,
    attrs: usize,
    put_attrs: impl FnOnce(&mut Writer<'b>) -> Result<(), Error>,
) -> Result<&'b [u8], Error> {
    nlmsg::build(
        buf,
        msg_type(msg),
        flags,
        seq,
        &NfGenMsg::new(family),
        attrs,
        put_attrs,
    )
}

/// Builds `new` (`IPCTNL_MSG_CT_NEW`): creates the entry `spec` (with
/// `flags` [`Flags::CREATE`] and [`Flags::EXCL`], as `conntrack -I`), or
/// updates it (no flags, as `conntrack -U`).
///
/// `status` is sent with `confirmed` added, as `conntrack` does: the
/// kernel creates entries confirmed and refuses (`EBUSY`) a status that
/// would clear the bit.
pub fn new<'b>(
    buf: &'b mut [u8],
    seq: u32,
    flags: Flags,
    spec: &ConntrackSpec<'_>,
) -> Result<&'b [u8], Error> {
    let reply = spec.reply.unwrap_or_else(|| spec.orig.reversed());
    let mut space = spec.orig.space() + reply.space() + 2 * SMALL;
    space += usize::from(spec.mark.is_some()) * SMALL + usize::from(spec.zone.is_some()) * SMALL;
    if let Some(labels) = spec.labels {
        space += ConntrackAttrs::LABELS.space(&labels.as_slice())?;
    }
    if spec.tcp_state.is_some() {
        space += TCP_STATE_SPACE;
    }
    let family = family_of(&spec.orig);
    build(buf, CtMsg::New, flags, seq, family, space, |w| {
        spec.orig.put(w, ConntrackAttrs::TUPLE_ORIG)?;
        reply.put(w, ConntrackAttrs::TUPLE_REPLY)?;
        w.put(ConntrackAttrs::STATUS, spec.status.0 | CtStatus::CONFIRMED)?;
        w.put(ConntrackAttrs::TIMEOUT, spec.timeout)?;
        if let Some(mark) = spec.mark {
            w.put(ConntrackAttrs::MARK, mark)?;
        }
        if let Some(zone) = spec.zone {
            w.put(ConntrackAttrs::ZONE, zone)?;
        }
        if let Some(labels) = spec.labels {
            w.put(ConntrackAttrs::LABELS, labels.as_slice())?;
        }
        if let Some(state) = spec.tcp_state {
            let info = w.nest(ConntrackAttrs::PROTOINFO)?;
            let tcp = w.nest(ProtoinfoAttrs::TCP)?;
            w.put(ProtoinfoTcpAttrs::STATE, u8::from(state))?;
            w.nest_end(tcp)?;
            w.nest_end(info)?;
        }
        Ok(())
    })
}

/// A request naming one entry by its original tuple (and zone).
fn by_tuple<'b>(
    buf: &'b mut [u8],
    msg: CtMsg,
    seq: u32,
    orig: &Tuple,
    zone: Option<u16>,
) -> Result<&'b [u8], Error> {
    let space = orig.space() + usize::from(zone.is_some()) * SMALL;
    build(buf, msg, Flags::NONE, seq, family_of(orig), space, |w| {
        orig.put(w, ConntrackAttrs::TUPLE_ORIG)?;
        if let Some(zone) = zone {
            w.put(ConntrackAttrs::ZONE, zone)?;
        }
        Ok(())
    })
}

/// Builds `get` of the entry whose original tuple is `orig` (`conntrack -G`).
pub fn get<'b>(
    buf: &'b mut [u8],
    seq: u32,
    orig: &Tuple,
    zone: Option<u16>,
) -> Result<&'b [u8], Error> {
    by_tuple(buf, CtMsg::Get, seq, orig, zone)
}

/// Builds `delete` of the entry whose original tuple is `orig` (`conntrack -D`).
pub fn delete<'b>(
    buf: &'b mut [u8],
    seq: u32,
    orig: &Tuple,
    zone: Option<u16>,
) -> Result<&'b [u8], Error> {
    by_tuple(buf, CtMsg::Delete, seq, orig, zone)
}

/// Builds `delete` without a tuple: removes every entry of `family`
/// (0: all; `conntrack -F`).
pub fn flush(buf: &mut [u8], seq: u32, family: u8) -> Result<&[u8], Error> {
    build(buf, CtMsg::Delete, Flags::NONE, seq, family, 0, |_| Ok(()))
}

/// A dump of message `msg` with `filter`.
fn filtered<'b>(
    buf: &'b mut [u8],
    msg: CtMsg,
    seq: u32,
    filter: &DumpFilter,
) -> Result<&'b [u8], Error> {
    let space = usize::from(filter.mark.is_some()) * 2 * SMALL
        + usize::from(filter.zone.is_some()) * SMALL
        + usize::from(filter.status.is_some()) * 2 * SMALL;
    build(buf, msg, Flags::DUMP, seq, filter.family, space, |w| {
        if let Some((mark, mask)) = filter.mark {
            w.put(ConntrackAttrs::MARK, mark)?;
            w.put(ConntrackAttrs::MARK_MASK, mask)?;
        }
        if let Some(zone) = filter.zone {
            w.put(ConntrackAttrs::ZONE, zone)?;
        }
        if let Some((status, mask)) = filter.status {
            w.put(ConntrackAttrs::STATUS, status)?;
            w.put(ConntrackAttrs::STATUS_MASK, mask)?;
        }
        Ok(())
    })
}

/// Builds a `get` dump (`NLM_F_DUMP`) of the entries `filter` selects
/// (`conntrack -L`).
pub fn dump<'b>(buf: &'b mut [u8], seq: u32, filter: &DumpFilter) -> Result<&'b [u8], Error> {
    filtered(buf, CtMsg::Get, seq, filter)
}

/// Builds a `get-ctrzero` dump: as [`dump`], and the counters of each
/// entry dumped are zeroed (`conntrack -L -z`).
pub fn dump_zero<'b>(buf: &'b mut [u8], seq: u32, filter: &DumpFilter) -> Result<&'b [u8], Error> {
    filtered(buf, CtMsg::GetCtrZero, seq, filter)
}

/// Builds `get-stats`: the global statistics, one reply (`conntrack -C`).
pub fn stats(buf: &mut [u8], seq: u32) -> Result<&[u8], Error> {
    build(buf, CtMsg::GetStats, Flags::NONE, seq, 0, 0, |_| Ok(()))
}

/// Builds a `get-stats-cpu` dump: one reply per CPU (`conntrack -S`).
pub fn stats_cpu(buf: &mut [u8], seq: u32) -> Result<&[u8], Error> {
    build(buf, CtMsg::GetStatsCpu, Flags::DUMP, seq, 0, 0, |_| Ok(()))
}

/// Where a conntrack request's attributes start (after `nfgenmsg`) and
/// which set they are, for naming the attribute a kernel error points at.
pub fn layout() -> RequestLayout {
    RequestLayout {
        header_len: NfGenMsg::LEN,
        attrs: ConntrackAttrs::table(),
    }
}
