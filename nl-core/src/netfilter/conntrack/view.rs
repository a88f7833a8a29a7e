//! The read view of one conntrack entry: an `IPCTNL_MSG_CT_NEW` (dump
//! replies, get replies, events) or `IPCTNL_MSG_CT_DELETE` (destroy events)
//! message.
//!
//! ```text
//! nlmsghdr (16): type 0x0100 new / 0x0102 delete
//! nfgenmsg (4):  family (AF_INET 2 / AF_INET6 10), version 0, res_id 0
//! ConntrackAttrs: tuple-orig, tuple-reply, status, protoinfo, timeout,
//!                 mark, counters-orig/-reply, use, id, zone, labels…
//! ```

use super::attrs::{
    ConntrackAttrs, CounterAttrs, CtMsg, CtStatus, ProtoinfoAttrs, ProtoinfoTcpAttrs, SecctxAttrs,
    TcpState, TimestampAttrs, msg_type,
};
use super::tuple::Tuple;
use crate::Error;
use crate::netfilter::NfGenMsg;
use crate::nlmsg::Message;
use crate::table::{Index, Nested, NlStr};

/// Packets and bytes of one direction (accounting must be on:
/// `net.netfilter.nf_conntrack_acct`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Counters {
    /// Packets.
    pub packets: u64,
    /// Bytes.
    pub bytes: u64,
}

/// One conntrack entry, borrowed from its message. The attributes are
/// checked when the view is made; nests are read by the getters (a getter
/// returning `Option` gives `None` for an absent or malformed nest; the
/// tuples report why with an error).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Conntrack<'a> {
    /// The `nfgenmsg`.
    pub header: &'a NfGenMsg,
    /// Every attribute, indexed.
    pub attrs: Index<'a, ConntrackAttrs>,
}

impl<'a> Conntrack<'a> {
    /// Reads a `new`, `delete` or `get` message of the conntrack subsystem;
    /// any other type is [`Error::UnexpectedType`], a payload shorter than
    /// `nfgenmsg` [`Error::Truncated`], a malformed attribute its error.
    #[inline]
    pub fn parse(m: &Message<'a>) -> Result<Self, Error> {
        let ty = m.ty();
        if ty != msg_type(CtMsg::New) && ty != msg_type(CtMsg::Delete) && ty != msg_type(CtMsg::Get)
        {
            return Err(Error::UnexpectedType { ty });
        }
        Self::parse_payload(m.payload())
    }

    /// Reads a message payload (`nfgenmsg` then attributes) whatever the
    /// message type.
    #[inline]
    pub fn parse_payload(payload: &'a [u8]) -> Result<Self, Error> {
        let (header, attrs) = crate::nlmsg::split_fixed::<NfGenMsg>(payload)?;
        Ok(Conntrack {
            header,
            attrs: Index::parse(attrs)?,
        })
    }

    /// The address family (`AF_INET` 2, `AF_INET6` 10).
    #[inline]
    pub fn family(&self) -> u8 {
        self.header.family
    }

    /// The original direction; [`Error::MissingAttr`] without it.
    pub fn orig(&self) -> Result<Tuple, Error> {
        tuple(
            self.attrs.get(ConntrackAttrs::TUPLE_ORIG),
            ConntrackAttrs::TUPLE_ORIG.ty(),
        )
    }

    /// The reply direction; [`Error::MissingAttr`] without it.
    pub fn reply(&self) -> Result<Tuple, Error> {
        tuple(
            self.attrs.get(ConntrackAttrs::TUPLE_REPLY),
            ConntrackAttrs::TUPLE_REPLY.ty(),
        )
    }

    /// The master's tuple (expected connections).
    pub fn master(&self) -> Option<Result<Tuple, Error>> {
        self.attrs
            .get(ConntrackAttrs::TUPLE_MASTER)
            .map(|nest| Tuple::parse(nest.bytes()))
    }

    /// The status bits (none when absent).
    #[inline]
    pub fn status(&self) -> CtStatus {
        CtStatus(self.attrs.get(ConntrackAttrs::STATUS).unwrap_or(0))
    }

    /// The TCP state, for TCP entries.
    pub fn tcp_state(&self) -> Option<TcpState> {
        let info = self.attrs.get(ConntrackAttrs::PROTOINFO)?.parse().ok()?;
        let tcp = info.get(ProtoinfoAttrs::TCP)?.parse().ok()?;
        tcp.get(ProtoinfoTcpAttrs::STATE).map(TcpState::from)
    }

    /// Seconds until the entry expires.
    #[inline]
    pub fn timeout(&self) -> Option<u32> {
        self.attrs.get(ConntrackAttrs::TIMEOUT)
    }

    /// The mark.
    #[inline]
    pub fn mark(&self) -> Option<u32> {
        self.attrs.get(ConntrackAttrs::MARK)
    }

    /// The zone (absent: zone 0).
    #[inline]
    pub fn zone(&self) -> Option<u16> {
        self.attrs.get(ConntrackAttrs::ZONE)
    }

    /// Counters of the original direction.
    #[inline]
    pub fn counters_orig(&self) -> Option<Counters> {
        counters(self.attrs.get(ConntrackAttrs::COUNTERS_ORIG))
    }

    /// Counters of the reply direction.
    #[inline]
    pub fn counters_reply(&self) -> Option<Counters> {
        counters(self.attrs.get(ConntrackAttrs::COUNTERS_REPLY))
    }

    /// The reference count.
    #[inline]
    pub fn use_count(&self) -> Option<u32> {
        self.attrs.get(ConntrackAttrs::USE)
    }

    /// The entry's id.
    #[inline]
    pub fn id(&self) -> Option<u32> {
        self.attrs.get(ConntrackAttrs::ID)
    }

    /// The labels bit map.
    #[inline]
    pub fn labels(&self) -> Option<&'a [u8]> {
        self.attrs.get(ConntrackAttrs::LABELS)
    }

    /// The security context's name.
    pub fn secctx(&self) -> Option<NlStr<'a>> {
        let secctx = self.attrs.get(ConntrackAttrs::SECCTX)?.parse().ok()?;
        secctx.get(SecctxAttrs::NAME)
    }

    /// When the entry started, in ns since the epoch (timestamps must be
    /// on: `net.netfilter.nf_conntrack_timestamp`).
    pub fn timestamp_start(&self) -> Option<u64> {
        let ts = self.attrs.get(ConntrackAttrs::TIMESTAMP)?.parse().ok()?;
        ts.get(TimestampAttrs::START)
    }

    /// When the entry stopped (destroy events), in ns since the epoch.
    pub fn timestamp_stop(&self) -> Option<u64> {
        let ts = self.attrs.get(ConntrackAttrs::TIMESTAMP)?.parse().ok()?;
        ts.get(TimestampAttrs::STOP)
    }
}

/// A tuple nest read, or [`Error::MissingAttr`] with type `ty`.
fn tuple(nest: Option<Nested<'_, super::attrs::TupleAttrs>>, ty: u16) -> Result<Tuple, Error> {
    Tuple::parse(nest.ok_or(Error::MissingAttr { ty })?.bytes())
}

/// A counters nest read; both counters are needed.
fn counters(nest: Option<Nested<'_, CounterAttrs>>) -> Option<Counters> {
    let index = nest?.parse().ok()?;
    Some(Counters {
        packets: index.get(CounterAttrs::PACKETS)?,
        bytes: index.get(CounterAttrs::BYTES)?,
    })
}
