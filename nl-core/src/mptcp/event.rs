//! The events of the `mptcp_pm_events` group: connections, announced
//! addresses, subflows and listeners.
//!
//! ```text
//! nlmsghdr: type = family id (runtime), pid 0
//! genlmsghdr: cmd = event type, version 1
//!   EventAttrs: token u32 | family u16 | loc-id, rem-id u8
//!               saddr4/daddr4 be32 | saddr6/daddr6 16 bytes
//!               sport, dport be16 | backup, error u8 | flags u16
//!               if_idx s32 | server-side u8 | ...
//! ```
//!
//! What each type carries (this kernel, 6.18):
//! - created, established: token, family, saddr, daddr, sport, dport,
//!   loc-id 0, rem-id 0, flags; server-side on the accepting end.
//! - closed: token. removed: token, rem-id.
//! - announced: token, rem-id, daddr, dport (no family attribute).
//! - sub-established, sub-closed, sub-priority: token, family, loc-id,
//!   rem-id, saddr, daddr, sport, dport, backup, if_idx (when bound),
//!   error (when set).
//! - listener-created, listener-closed: family, sport, saddr.
//!
//! Addresses are read by `family`; without it, from whichever of the v4
//! and v6 attributes is present.

use core::fmt;
use core::net::{IpAddr, SocketAddr};

use super::address::{AF_INET, AF_INET6};
use super::attrs::{EventAttrs, EventFlags, EventType};
use crate::Error;
use crate::genl::split;
use crate::nlmsg::Message;
use crate::table::{Field, Index, Ipv4, Ipv6};

/// An MPTCP connection (`created`, `established`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Connection {
    /// The connection's token.
    pub token: u32,
    /// The local address and port of its first subflow.
    pub local: SocketAddr,
    /// The remote address and port.
    pub remote: SocketAddr,
    /// This end accepted the connection (`server-side` attribute, or the
    /// [`EventFlags::SERVER_SIDE`] flag).
    pub server_side: bool,
    /// [`EventFlags`] bits (0 when absent).
    pub flags: u16,
}

impl Connection {
    /// The flags, named.
    pub fn event_flags(&self) -> EventFlags {
        EventFlags(self.flags)
    }
}

/// A subflow (`sub-established`, `sub-closed`, `sub-priority`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Subflow {
    /// The connection's token.
    pub token: u32,
    /// Local address id.
    pub loc_id: u8,
    /// Remote address id.
    pub rem_id: u8,
    /// Local address and port.
    pub local: SocketAddr,
    /// Remote address and port.
    pub remote: SocketAddr,
    /// The subflow is a backup (false when absent).
    pub backup: bool,
    /// Interface the subflow is bound to.
    pub ifindex: Option<i32>,
    /// The socket's error (`sk_err`), when the kernel sends one.
    pub error: Option<u8>,
}

/// A path manager listener (`listener-created`, `listener-closed`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Listener {
    /// The address and port it listens on.
    pub local: SocketAddr,
}

/// One message of the `mptcp_pm_events` group, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// A connection was created.
    Created(Connection),
    /// A connection is established.
    Established(Connection),
    /// A connection is closed.
    Closed {
        /// The connection's token.
        token: u32,
    },
    /// The peer announced an address.
    Announced {
        /// The connection's token.
        token: u32,
        /// The address's id at the peer.
        rem_id: u8,
        /// The address.
        addr: IpAddr,
        /// Its port, when announced with one.
        port: Option<u16>,
    },
    /// The peer withdrew an address.
    Removed {
        /// The connection's token.
        token: u32,
        /// The address's id at the peer.
        rem_id: u8,
    },
    /// A subflow is established.
    SubEstablished(Subflow),
    /// A subflow is closed.
    SubClosed(Subflow),
    /// A subflow's priority changed.
    SubPriority(Subflow),
    /// A listener was created.
    ListenerCreated(Listener),
    /// A listener was closed.
    ListenerClosed(Listener),
    /// An event type this library does not decode (its attributes are
    /// still readable with [`Event::parse_attrs`]).
    Unknown {
        /// The event type (`genlmsghdr.cmd`).
        cmd: u8,
    },
}

/// The value of a required attribute, or [`Error::MissingAttr`].
fn required<'a, K: crate::table::AttrType>(
    index: &Index<'a, EventAttrs>,
    field: Field<EventAttrs, K>,
) -> Result<K::Value<'a>, Error> {
    index
        .get(field)
        .ok_or(Error::MissingAttr { ty: field.ty() })
}

/// The address of the pair `v4`/`v6` the family names (or the one present).
fn ip(
    index: &Index<'_, EventAttrs>,
    v4: Field<EventAttrs, Ipv4>,
    v6: Field<EventAttrs, Ipv6>,
) -> Result<IpAddr, Error> {
    let four = index.get(v4).map(IpAddr::V4);
    let six = index.get(v6).map(IpAddr::V6);
    match index.get(EventAttrs::FAMILY) {
        Some(AF_INET) => four.ok_or(Error::MissingAttr { ty: v4.ty() }),
        Some(AF_INET6) => six.ok_or(Error::MissingAttr { ty: v6.ty() }),
        Some(_) => Err(Error::BadPayload {
            ty: EventAttrs::FAMILY.ty(),
        }),
        None => four.or(six).ok_or(Error::MissingAttr { ty: v4.ty() }),
    }
}

fn local(index: &Index<'_, EventAttrs>) -> Result<SocketAddr, Error> {
    let addr = ip(index, EventAttrs::SADDR4, EventAttrs::SADDR6)?;
    Ok(SocketAddr::new(addr, required(index, EventAttrs::SPORT)?))
}

fn remote(index: &Index<'_, EventAttrs>) -> Result<SocketAddr, Error> {
    let addr = ip(index, EventAttrs::DADDR4, EventAttrs::DADDR6)?;
    Ok(SocketAddr::new(addr, required(index, EventAttrs::DPORT)?))
}

impl Connection {
    fn from_index(index: &Index<'_, EventAttrs>) -> Result<Connection, Error> {
        let flags = index.get(EventAttrs::FLAGS).unwrap_or(0);
        let server_side = index.get(EventAttrs::SERVER_SIDE).is_some_and(|s| s != 0)
            || EventFlags(flags).contains(EventFlags::SERVER_SIDE);
        Ok(Connection {
            token: required(index, EventAttrs::TOKEN)?,
            local: local(index)?,
            remote: remote(index)?,
            server_side,
            flags,
        })
    }
}

impl Subflow {
    fn from_index(index: &Index<'_, EventAttrs>) -> Result<Subflow, Error> {
        Ok(Subflow {
            token: required(index, EventAttrs::TOKEN)?,
            loc_id: required(index, EventAttrs::LOC_ID)?,
            rem_id: required(index, EventAttrs::REM_ID)?,
            local: local(index)?,
            remote: remote(index)?,
            backup: index.get(EventAttrs::BACKUP).is_some_and(|b| b != 0),
            ifindex: index.get(EventAttrs::IF_IDX),
            error: index.get(EventAttrs::ERROR),
        })
    }
}

impl Event {
    /// Splits an event into its type and its attributes, for reading what
    /// [`Event`] does not keep (timeouts, reset reasons...).
    pub fn parse_attrs<'a>(
        message: &Message<'a>,
    ) -> Result<(EventType, Index<'a, EventAttrs>), Error> {
        let (header, attrs) = split(message)?;
        Ok((EventType::from(header.cmd), Index::parse(attrs)?))
    }

    /// Decodes an event. The `nlmsg_type` (the runtime family id) is not
    /// checked; the generic netlink header must be whole. A required
    /// attribute missing is [`Error::MissingAttr`]; a family other than
    /// `AF_INET`/`AF_INET6` is [`Error::BadPayload`].
    pub fn parse(message: &Message<'_>) -> Result<Event, Error> {
        let (ty, index) = Event::parse_attrs(message)?;
        Event::from_index(ty, &index)
    }

    /// Decodes the attributes of an event of type `ty`.
    pub fn from_index(ty: EventType, index: &Index<'_, EventAttrs>) -> Result<Event, Error> {
        Ok(match ty {
            EventType::Created => Event::Created(Connection::from_index(index)?),
            EventType::Established => Event::Established(Connection::from_index(index)?),
            EventType::Closed => Event::Closed {
                token: required(index, EventAttrs::TOKEN)?,
            },
            EventType::Announced => Event::Announced {
                token: required(index, EventAttrs::TOKEN)?,
                rem_id: required(index, EventAttrs::REM_ID)?,
                addr: ip(index, EventAttrs::DADDR4, EventAttrs::DADDR6)?,
                port: index.get(EventAttrs::DPORT),
            },
            EventType::Removed => Event::Removed {
                token: required(index, EventAttrs::TOKEN)?,
                rem_id: required(index, EventAttrs::REM_ID)?,
            },
            EventType::SubEstablished => Event::SubEstablished(Subflow::from_index(index)?),
            EventType::SubClosed => Event::SubClosed(Subflow::from_index(index)?),
            EventType::SubPriority => Event::SubPriority(Subflow::from_index(index)?),
            EventType::ListenerCreated => Event::ListenerCreated(Listener {
                local: local(index)?,
            }),
            EventType::ListenerClosed => Event::ListenerClosed(Listener {
                local: local(index)?,
            }),
            EventType::Unknown(cmd) => Event::Unknown { cmd },
        })
    }

    /// The event's type.
    pub fn event_type(&self) -> EventType {
        match self {
            Event::Created(_) => EventType::Created,
            Event::Established(_) => EventType::Established,
            Event::Closed { .. } => EventType::Closed,
            Event::Announced { .. } => EventType::Announced,
            Event::Removed { .. } => EventType::Removed,
            Event::SubEstablished(_) => EventType::SubEstablished,
            Event::SubClosed(_) => EventType::SubClosed,
            Event::SubPriority(_) => EventType::SubPriority,
            Event::ListenerCreated(_) => EventType::ListenerCreated,
            Event::ListenerClosed(_) => EventType::ListenerClosed,
            Event::Unknown { cmd } => EventType::from(*cmd),
        }
    }

    /// The connection's token (none for listener and unknown events).
    pub fn token(&self) -> Option<u32> {
        match self {
            Event::Created(c) | Event::Established(c) => Some(c.token),
            Event::Closed { token }
            | Event::Announced { token, .. }
            | Event::Removed { token, .. } => Some(*token),
            Event::SubEstablished(s) | Event::SubClosed(s) | Event::SubPriority(s) => Some(s.token),
            Event::ListenerCreated(_) | Event::ListenerClosed(_) | Event::Unknown { .. } => None,
        }
    }

    /// The tag `ip mptcp monitor` prints for the event type.
    fn tag(&self) -> &'static str {
        match self {
            Event::Created(_) => "CREATED",
            Event::Established(_) => "ESTABLISHED",
            Event::Closed { .. } => "CLOSED",
            Event::Announced { .. } => "ANNOUNCED",
            Event::Removed { .. } => "REMOVED",
            Event::SubEstablished(_) => "SF_ESTABLISHED",
            Event::SubClosed(_) => "SF_CLOSED",
            Event::SubPriority(_) => "SF_PRIO",
            Event::ListenerCreated(_) => "LISTENER_CREATED",
            Event::ListenerClosed(_) => "LISTENER_CLOSED",
            Event::Unknown { .. } => "UNKNOWN",
        }
    }
}

/// `saddr4=…` or `saddr6=…` by the address's kind (`side` is `s` or `d`).
struct Addr(char, IpAddr);

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            IpAddr::V4(v4) => write!(f, "{}addr4={v4}", self.0),
            IpAddr::V6(v6) => write!(f, "{}addr6={v6}", self.0),
        }
    }
}

impl fmt::Display for Event {
    /// One line in the style of `ip mptcp monitor`: the type tag right
    /// aligned in 14 columns, then `key=value` fields, the token in hex:
    ///
    /// ```text
    /// [       CREATED] token=1b41b484 saddr4=127.0.0.1 daddr4=127.0.0.1 sport=34148 dport=5000
    /// [       CREATED] token=9d46b42c saddr4=127.0.0.1 daddr4=127.0.0.1 sport=5000 dport=34148 server-side flags=2
    /// [     ANNOUNCED] token=1b41b484 remid=5 daddr4=127.0.0.2 dport=5000
    /// [SF_ESTABLISHED] token=4c2acfa4 remid=0 locid=7 saddr6=::2 daddr6=::1 sport=56137 dport=5000 backup=0 ifindex=1
    /// [LISTENER_CREATED] saddr4=127.0.0.1 sport=5000
    /// [       UNKNOWN] type=4
    /// ```
    ///
    /// Optional fields (`dport` of an announcement, `server-side`, `flags`
    /// when not 0, `error`, `ifindex`) appear only when present.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{:>14}]", self.tag())?;
        if let Some(token) = self.token() {
            write!(f, " token={token:08x}")?;
        }
        match self {
            Event::Created(c) | Event::Established(c) => {
                write!(
                    f,
                    " {} {} sport={} dport={}",
                    Addr('s', c.local.ip()),
                    Addr('d', c.remote.ip()),
                    c.local.port(),
                    c.remote.port()
                )?;
                if c.server_side {
                    f.write_str(" server-side")?;
                }
                if c.flags != 0 {
                    write!(f, " flags={:x}", c.flags)?;
                }
            }
            Event::Closed { .. } => {}
            Event::Announced {
                rem_id, addr, port, ..
            } => {
                write!(f, " remid={rem_id} {}", Addr('d', *addr))?;
                if let Some(port) = port {
                    write!(f, " dport={port}")?;
                }
            }
            Event::Removed { rem_id, .. } => write!(f, " remid={rem_id}")?,
            Event::SubEstablished(s) | Event::SubClosed(s) | Event::SubPriority(s) => {
                write!(
                    f,
                    " remid={} locid={} {} {} sport={} dport={} backup={}",
                    s.rem_id,
                    s.loc_id,
                    Addr('s', s.local.ip()),
                    Addr('d', s.remote.ip()),
                    s.local.port(),
                    s.remote.port(),
                    u8::from(s.backup)
                )?;
                if let Some(error) = s.error {
                    write!(f, " error={error}")?;
                }
                if let Some(ifindex) = s.ifindex {
                    write!(f, " ifindex={ifindex}")?;
                }
            }
            Event::ListenerCreated(l) | Event::ListenerClosed(l) => {
                write!(f, " {} sport={}", Addr('s', l.local.ip()), l.local.port())?;
            }
            Event::Unknown { cmd } => write!(f, " type={cmd}")?,
        }
        Ok(())
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Event {
    /// The `Display` line.
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{}", defmt::Display2Format(self))
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Connection {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Connection {{ token: {=u32:#x}, local: {}, remote: {}, server_side: {=bool}, flags: {=u16:#x} }}",
            self.token,
            defmt::Display2Format(&self.local),
            defmt::Display2Format(&self.remote),
            self.server_side,
            self.flags
        )
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Subflow {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Subflow {{ token: {=u32:#x}, loc_id: {=u8}, rem_id: {=u8}, local: {}, remote: {}, backup: {=bool}, ifindex: {}, error: {} }}",
            self.token,
            self.loc_id,
            self.rem_id,
            defmt::Display2Format(&self.local),
            defmt::Display2Format(&self.remote),
            self.backup,
            self.ifindex,
            self.error
        )
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Listener {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Listener {{ local: {} }}",
            defmt::Display2Format(&self.local)
        )
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
// Unless marked "hand-built", each was received from this kernel (6.18) by
// `ip mptcp monitor` while MPTCP connections ran over lo.
#[cfg(all(test, target_endian = "little"))]
pub(crate) mod tests {
    extern crate std;
    use std::format;
    use std::string::String;
    use std::vec::Vec;

    use super::*;

    /// `created` at the connecting end, as this kernel sent it (IPv4 over lo).
    #[rustfmt::skip]
    pub(crate) const CREATED_V4: [u8; 84] = [
        0x54, 0x00, 0x00, 0x00, // nlmsg_len = 84
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x01, 0x01, 0x00, 0x00, // genlmsghdr: created, version 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, token
        0x84, 0xb4, 0x41, 0x1b, // 457290884 (0x1b41b484)
        0x06, 0x00, 0x02, 0x00, // nla_len = 6, family
        0x02, 0x00, 0x00, 0x00, // 2 (AF_INET) + 2 padding
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, saddr4
        0x7f, 0x00, 0x00, 0x01, // 127.0.0.1
        0x08, 0x00, 0x07, 0x00, // nla_len = 8, daddr4
        0x7f, 0x00, 0x00, 0x01, // 127.0.0.1
        0x06, 0x00, 0x09, 0x00, // nla_len = 6, sport
        0x85, 0x64, 0x00, 0x00, // 34148 (big-endian) + 2 padding
        0x06, 0x00, 0x0a, 0x00, // nla_len = 6, dport
        0x13, 0x88, 0x00, 0x00, // 5000 (big-endian) + 2 padding
        0x05, 0x00, 0x03, 0x00, // nla_len = 5, loc-id
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
        0x05, 0x00, 0x04, 0x00, // nla_len = 5, rem-id
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
    ];

    /// `created` at the accepting end: server-side and flags = 2, as this kernel sent it.
    #[rustfmt::skip]
    pub(crate) const CREATED_SERVER: [u8; 100] = [
        0x64, 0x00, 0x00, 0x00, // nlmsg_len = 100
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x01, 0x01, 0x00, 0x00, // genlmsghdr: created, version 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, token
        0x2c, 0xb4, 0x46, 0x9d, // 2638656556 (0x9d46b42c)
        0x05, 0x00, 0x12, 0x00, // nla_len = 5, server-side
        0x01, 0x00, 0x00, 0x00, // 1 + 3 padding
        0x06, 0x00, 0x0d, 0x00, // nla_len = 6, flags
        0x02, 0x00, 0x00, 0x00, // 2 + 2 padding
        0x06, 0x00, 0x02, 0x00, // nla_len = 6, family
        0x02, 0x00, 0x00, 0x00, // 2 (AF_INET) + 2 padding
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, saddr4
        0x7f, 0x00, 0x00, 0x01, // 127.0.0.1
        0x08, 0x00, 0x07, 0x00, // nla_len = 8, daddr4
        0x7f, 0x00, 0x00, 0x01, // 127.0.0.1
        0x06, 0x00, 0x09, 0x00, // nla_len = 6, sport
        0x13, 0x88, 0x00, 0x00, // 5000 (big-endian) + 2 padding
        0x06, 0x00, 0x0a, 0x00, // nla_len = 6, dport
        0x85, 0x64, 0x00, 0x00, // 34148 (big-endian) + 2 padding
        0x05, 0x00, 0x03, 0x00, // nla_len = 5, loc-id
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
        0x05, 0x00, 0x04, 0x00, // nla_len = 5, rem-id
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
    ];

    /// `established` over IPv6, as this kernel sent it.
    #[rustfmt::skip]
    pub(crate) const ESTABLISHED_V6: [u8; 108] = [
        0x6c, 0x00, 0x00, 0x00, // nlmsg_len = 108
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x02, 0x01, 0x00, 0x00, // genlmsghdr: established, version 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, token
        0xd0, 0x44, 0xa9, 0x5d, // 1571374288 (0x5da944d0)
        0x06, 0x00, 0x02, 0x00, // nla_len = 6, family
        0x0a, 0x00, 0x00, 0x00, // 10 (AF_INET6) + 2 padding
        0x14, 0x00, 0x06, 0x00, // nla_len = 20, saddr6
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ::1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x14, 0x00, 0x08, 0x00, // nla_len = 20, daddr6
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ::1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x06, 0x00, 0x09, 0x00, // nla_len = 6, sport
        0x9f, 0x84, 0x00, 0x00, // 40836 (big-endian) + 2 padding
        0x06, 0x00, 0x0a, 0x00, // nla_len = 6, dport
        0x13, 0x88, 0x00, 0x00, // 5000 (big-endian) + 2 padding
        0x05, 0x00, 0x03, 0x00, // nla_len = 5, loc-id
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
        0x05, 0x00, 0x04, 0x00, // nla_len = 5, rem-id
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
    ];

    /// `closed`, as this kernel sent it.
    #[rustfmt::skip]
    pub(crate) const CLOSED: [u8; 28] = [
        0x1c, 0x00, 0x00, 0x00, // nlmsg_len = 28
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x03, 0x01, 0x00, 0x00, // genlmsghdr: closed, version 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, token
        0x84, 0xb4, 0x41, 0x1b, // 457290884 (0x1b41b484)
    ];

    /// `announced` with a port and without a family attribute, as this kernel sent it.
    #[rustfmt::skip]
    pub(crate) const ANNOUNCED: [u8; 52] = [
        0x34, 0x00, 0x00, 0x00, // nlmsg_len = 52
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x06, 0x01, 0x00, 0x00, // genlmsghdr: announced, version 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, token
        0x84, 0xb4, 0x41, 0x1b, // 457290884 (0x1b41b484)
        0x05, 0x00, 0x04, 0x00, // nla_len = 5, rem-id
        0x05, 0x00, 0x00, 0x00, // 5 + 3 padding
        0x06, 0x00, 0x0a, 0x00, // nla_len = 6, dport
        0x13, 0x88, 0x00, 0x00, // 5000 (big-endian) + 2 padding
        0x08, 0x00, 0x07, 0x00, // nla_len = 8, daddr4
        0x7f, 0x00, 0x00, 0x02, // 127.0.0.2
    ];

    /// `announced` without a port, IPv6, no family (hand-built from the spec).
    #[rustfmt::skip]
    pub(crate) const ANNOUNCED_NO_PORT: [u8; 56] = [
        0x38, 0x00, 0x00, 0x00, // nlmsg_len = 56
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x06, 0x01, 0x00, 0x00, // genlmsghdr: announced, version 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, token
        0x84, 0xb4, 0x41, 0x1b, // 457290884 (0x1b41b484)
        0x05, 0x00, 0x04, 0x00, // nla_len = 5, rem-id
        0x05, 0x00, 0x00, 0x00, // 5 + 3 padding
        0x14, 0x00, 0x08, 0x00, // nla_len = 20, daddr6
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, // 2001:db8::9
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
    ];

    /// `removed` (hand-built from the spec).
    #[rustfmt::skip]
    pub(crate) const REMOVED: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x07, 0x01, 0x00, 0x00, // genlmsghdr: removed, version 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, token
        0x84, 0xb4, 0x41, 0x1b, // 457290884 (0x1b41b484)
        0x05, 0x00, 0x04, 0x00, // nla_len = 5, rem-id
        0x05, 0x00, 0x00, 0x00, // 5 + 3 padding
    ];

    /// `sub-established` over IPv6 from endpoint 7 bound to lo, as this kernel sent it.
    #[rustfmt::skip]
    pub(crate) const SUB_ESTABLISHED_V6: [u8; 124] = [
        0x7c, 0x00, 0x00, 0x00, // nlmsg_len = 124
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x0a, 0x01, 0x00, 0x00, // genlmsghdr: sub-established, version 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, token
        0xa4, 0xcf, 0x2a, 0x4c, // 1277874084 (0x4c2acfa4)
        0x06, 0x00, 0x02, 0x00, // nla_len = 6, family
        0x0a, 0x00, 0x00, 0x00, // 10 (AF_INET6) + 2 padding
        0x14, 0x00, 0x06, 0x00, // nla_len = 20, saddr6
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ::2
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        0x14, 0x00, 0x08, 0x00, // nla_len = 20, daddr6
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ::1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x06, 0x00, 0x09, 0x00, // nla_len = 6, sport
        0xdb, 0x49, 0x00, 0x00, // 56137 (big-endian) + 2 padding
        0x06, 0x00, 0x0a, 0x00, // nla_len = 6, dport
        0x13, 0x88, 0x00, 0x00, // 5000 (big-endian) + 2 padding
        0x05, 0x00, 0x03, 0x00, // nla_len = 5, loc-id
        0x07, 0x00, 0x00, 0x00, // 7 + 3 padding
        0x05, 0x00, 0x04, 0x00, // nla_len = 5, rem-id
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
        0x05, 0x00, 0x0b, 0x00, // nla_len = 5, backup
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
        0x08, 0x00, 0x0f, 0x00, // nla_len = 8, if_idx
        0x01, 0x00, 0x00, 0x00, // 1
    ];

    /// `sub-closed` with error 111 (ECONNREFUSED), as this kernel sent it.
    #[rustfmt::skip]
    pub(crate) const SUB_CLOSED_V4: [u8; 100] = [
        0x64, 0x00, 0x00, 0x00, // nlmsg_len = 100
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x0b, 0x01, 0x00, 0x00, // genlmsghdr: sub-closed, version 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, token
        0x84, 0xb4, 0x41, 0x1b, // 457290884 (0x1b41b484)
        0x06, 0x00, 0x02, 0x00, // nla_len = 6, family
        0x02, 0x00, 0x00, 0x00, // 2 (AF_INET) + 2 padding
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, saddr4
        0x7f, 0x00, 0x00, 0x01, // 127.0.0.1
        0x08, 0x00, 0x07, 0x00, // nla_len = 8, daddr4
        0x7f, 0x00, 0x00, 0x02, // 127.0.0.2
        0x06, 0x00, 0x09, 0x00, // nla_len = 6, sport
        0x91, 0xb3, 0x00, 0x00, // 37299 (big-endian) + 2 padding
        0x06, 0x00, 0x0a, 0x00, // nla_len = 6, dport
        0x13, 0x88, 0x00, 0x00, // 5000 (big-endian) + 2 padding
        0x05, 0x00, 0x03, 0x00, // nla_len = 5, loc-id
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
        0x05, 0x00, 0x04, 0x00, // nla_len = 5, rem-id
        0x05, 0x00, 0x00, 0x00, // 5 + 3 padding
        0x05, 0x00, 0x0b, 0x00, // nla_len = 5, backup
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
        0x05, 0x00, 0x0c, 0x00, // nla_len = 5, error
        0x6f, 0x00, 0x00, 0x00, // 111 + 3 padding
    ];

    /// `sub-priority`: a backup subflow bound to interface 4 (hand-built from the spec).
    #[rustfmt::skip]
    pub(crate) const SUB_PRIORITY: [u8; 100] = [
        0x64, 0x00, 0x00, 0x00, // nlmsg_len = 100
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x0d, 0x01, 0x00, 0x00, // genlmsghdr: sub-priority, version 1
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, token
        0xa4, 0xcf, 0x2a, 0x4c, // 1277874084 (0x4c2acfa4)
        0x06, 0x00, 0x02, 0x00, // nla_len = 6, family
        0x02, 0x00, 0x00, 0x00, // 2 (AF_INET) + 2 padding
        0x05, 0x00, 0x03, 0x00, // nla_len = 5, loc-id
        0x02, 0x00, 0x00, 0x00, // 2 + 3 padding
        0x05, 0x00, 0x04, 0x00, // nla_len = 5, rem-id
        0x01, 0x00, 0x00, 0x00, // 1 + 3 padding
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, saddr4
        0x0a, 0x00, 0x00, 0x01, // 10.0.0.1
        0x08, 0x00, 0x07, 0x00, // nla_len = 8, daddr4
        0x0a, 0x00, 0x00, 0x02, // 10.0.0.2
        0x06, 0x00, 0x09, 0x00, // nla_len = 6, sport
        0x9c, 0x40, 0x00, 0x00, // 40000 (big-endian) + 2 padding
        0x06, 0x00, 0x0a, 0x00, // nla_len = 6, dport
        0x01, 0xbb, 0x00, 0x00, // 443 (big-endian) + 2 padding
        0x05, 0x00, 0x0b, 0x00, // nla_len = 5, backup
        0x01, 0x00, 0x00, 0x00, // 1 + 3 padding
        0x08, 0x00, 0x0f, 0x00, // nla_len = 8, if_idx
        0x04, 0x00, 0x00, 0x00, // 4
    ];

    /// `listener-created`, as this kernel sent it.
    #[rustfmt::skip]
    pub(crate) const LISTENER_CREATED: [u8; 44] = [
        0x2c, 0x00, 0x00, 0x00, // nlmsg_len = 44
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x0f, 0x01, 0x00, 0x00, // genlmsghdr: listener-created, version 1
        0x06, 0x00, 0x02, 0x00, // nla_len = 6, family
        0x02, 0x00, 0x00, 0x00, // 2 (AF_INET) + 2 padding
        0x06, 0x00, 0x09, 0x00, // nla_len = 6, sport
        0x13, 0x88, 0x00, 0x00, // 5000 (big-endian) + 2 padding
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, saddr4
        0x7f, 0x00, 0x00, 0x01, // 127.0.0.1
    ];

    /// `listener-closed` over IPv6, as this kernel sent it.
    #[rustfmt::skip]
    pub(crate) const LISTENER_CLOSED_V6: [u8; 56] = [
        0x38, 0x00, 0x00, 0x00, // nlmsg_len = 56
        0x1c, 0x00,             // nlmsg_type = 0x1c (mptcp_pm here)
        0x00, 0x00,             // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x10, 0x01, 0x00, 0x00, // genlmsghdr: listener-closed, version 1
        0x06, 0x00, 0x02, 0x00, // nla_len = 6, family
        0x0a, 0x00, 0x00, 0x00, // 10 (AF_INET6) + 2 padding
        0x06, 0x00, 0x09, 0x00, // nla_len = 6, sport
        0x13, 0x88, 0x00, 0x00, // 5000 (big-endian) + 2 padding
        0x14, 0x00, 0x06, 0x00, // nla_len = 20, saddr6
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // ::1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    ];

    fn event(bytes: &[u8]) -> Result<Event, Error> {
        Event::parse(&Message::parse(bytes)?)
    }

    fn sock(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn connections() {
        let created = event(&CREATED_V4).unwrap();
        assert_eq!(
            created,
            Event::Created(Connection {
                token: 0x1b41_b484,
                local: sock("127.0.0.1:34148"),
                remote: sock("127.0.0.1:5000"),
                server_side: false,
                flags: 0,
            })
        );
        assert_eq!(
            format!("{created}"),
            "[       CREATED] token=1b41b484 saddr4=127.0.0.1 daddr4=127.0.0.1 sport=34148 dport=5000"
        );
        let server = event(&CREATED_SERVER).unwrap();
        let Event::Created(c) = server else {
            panic!("{server:?}")
        };
        assert!(c.server_side);
        assert_eq!(c.flags, 2);
        assert_eq!(c.event_flags(), EventFlags(EventFlags::SERVER_SIDE));
        assert_eq!(
            (c.local, c.remote),
            (sock("127.0.0.1:5000"), sock("127.0.0.1:34148"))
        );
        assert_eq!(
            format!("{server}"),
            "[       CREATED] token=9d46b42c saddr4=127.0.0.1 daddr4=127.0.0.1 sport=5000 dport=34148 server-side flags=2"
        );
        let established = event(&ESTABLISHED_V6).unwrap();
        assert_eq!(
            established,
            Event::Established(Connection {
                token: 0x5da9_44d0,
                local: sock("[::1]:40836"),
                remote: sock("[::1]:5000"),
                server_side: false,
                flags: 0,
            })
        );
        assert_eq!(
            format!("{established}"),
            "[   ESTABLISHED] token=5da944d0 saddr6=::1 daddr6=::1 sport=40836 dport=5000"
        );
    }

    #[test]
    fn closed_announced_removed() {
        let closed = event(&CLOSED).unwrap();
        assert_eq!(closed, Event::Closed { token: 0x1b41_b484 });
        assert_eq!(format!("{closed}"), "[        CLOSED] token=1b41b484");
        let announced = event(&ANNOUNCED).unwrap();
        assert_eq!(
            announced,
            Event::Announced {
                token: 0x1b41_b484,
                rem_id: 5,
                addr: "127.0.0.2".parse().unwrap(),
                port: Some(5000),
            }
        );
        assert_eq!(
            format!("{announced}"),
            "[     ANNOUNCED] token=1b41b484 remid=5 daddr4=127.0.0.2 dport=5000"
        );
        let no_port = event(&ANNOUNCED_NO_PORT).unwrap();
        assert_eq!(
            no_port,
            Event::Announced {
                token: 0x1b41_b484,
                rem_id: 5,
                addr: "2001:db8::9".parse().unwrap(),
                port: None,
            }
        );
        assert_eq!(
            format!("{no_port}"),
            "[     ANNOUNCED] token=1b41b484 remid=5 daddr6=2001:db8::9"
        );
        let removed = event(&REMOVED).unwrap();
        assert_eq!(
            removed,
            Event::Removed {
                token: 0x1b41_b484,
                rem_id: 5
            }
        );
        assert_eq!(
            format!("{removed}"),
            "[       REMOVED] token=1b41b484 remid=5"
        );
    }

    #[test]
    fn subflows() {
        let established = event(&SUB_ESTABLISHED_V6).unwrap();
        assert_eq!(
            established,
            Event::SubEstablished(Subflow {
                token: 0x4c2a_cfa4,
                loc_id: 7,
                rem_id: 0,
                local: sock("[::2]:56137"),
                remote: sock("[::1]:5000"),
                backup: false,
                ifindex: Some(1),
                error: None,
            })
        );
        assert_eq!(
            format!("{established}"),
            "[SF_ESTABLISHED] token=4c2acfa4 remid=0 locid=7 saddr6=::2 daddr6=::1 sport=56137 dport=5000 backup=0 ifindex=1"
        );
        let closed = event(&SUB_CLOSED_V4).unwrap();
        assert_eq!(
            closed,
            Event::SubClosed(Subflow {
                token: 0x1b41_b484,
                loc_id: 0,
                rem_id: 5,
                local: sock("127.0.0.1:37299"),
                remote: sock("127.0.0.2:5000"),
                backup: false,
                ifindex: None,
                error: Some(111),
            })
        );
        assert_eq!(
            format!("{closed}"),
            "[     SF_CLOSED] token=1b41b484 remid=5 locid=0 saddr4=127.0.0.1 daddr4=127.0.0.2 sport=37299 dport=5000 backup=0 error=111"
        );
        let priority = event(&SUB_PRIORITY).unwrap();
        assert_eq!(
            priority,
            Event::SubPriority(Subflow {
                token: 0x4c2a_cfa4,
                loc_id: 2,
                rem_id: 1,
                local: sock("10.0.0.1:40000"),
                remote: sock("10.0.0.2:443"),
                backup: true,
                ifindex: Some(4),
                error: None,
            })
        );
        assert_eq!(
            format!("{priority}"),
            "[       SF_PRIO] token=4c2acfa4 remid=1 locid=2 saddr4=10.0.0.1 daddr4=10.0.0.2 sport=40000 dport=443 backup=1 ifindex=4"
        );
    }

    #[test]
    fn listeners() {
        let created = event(&LISTENER_CREATED).unwrap();
        assert_eq!(
            created,
            Event::ListenerCreated(Listener {
                local: sock("127.0.0.1:5000")
            })
        );
        assert_eq!(created.token(), None);
        assert_eq!(
            format!("{created}"),
            "[LISTENER_CREATED] saddr4=127.0.0.1 sport=5000"
        );
        let closed = event(&LISTENER_CLOSED_V6).unwrap();
        assert_eq!(
            closed,
            Event::ListenerClosed(Listener {
                local: sock("[::1]:5000")
            })
        );
        assert_eq!(
            format!("{closed}"),
            "[LISTENER_CLOSED] saddr6=::1 sport=5000"
        );
    }

    #[test]
    fn event_types_and_tokens() {
        let all: [(&[u8], EventType, Option<u32>); 12] = [
            (&CREATED_V4, EventType::Created, Some(0x1b41_b484)),
            (&CREATED_SERVER, EventType::Created, Some(0x9d46_b42c)),
            (&ESTABLISHED_V6, EventType::Established, Some(0x5da9_44d0)),
            (&CLOSED, EventType::Closed, Some(0x1b41_b484)),
            (&ANNOUNCED, EventType::Announced, Some(0x1b41_b484)),
            (&ANNOUNCED_NO_PORT, EventType::Announced, Some(0x1b41_b484)),
            (&REMOVED, EventType::Removed, Some(0x1b41_b484)),
            (
                &SUB_ESTABLISHED_V6,
                EventType::SubEstablished,
                Some(0x4c2a_cfa4),
            ),
            (&SUB_CLOSED_V4, EventType::SubClosed, Some(0x1b41_b484)),
            (&SUB_PRIORITY, EventType::SubPriority, Some(0x4c2a_cfa4)),
            (&LISTENER_CREATED, EventType::ListenerCreated, None),
            (&LISTENER_CLOSED_V6, EventType::ListenerClosed, None),
        ];
        for (bytes, ty, token) in all {
            let e = event(bytes).unwrap();
            assert_eq!((e.event_type(), e.token()), (ty, token), "{e}");
            let (raw_ty, index) = Event::parse_attrs(&Message::parse(bytes).unwrap()).unwrap();
            assert_eq!(raw_ty, ty);
            assert_eq!(index.unknown(), 0);
        }
    }

    #[test]
    fn unknown_event_types_keep_their_number() {
        let mut bytes = CLOSED;
        bytes[16] = 4; // an event type with no name
        let e = event(&bytes).unwrap();
        assert_eq!(e, Event::Unknown { cmd: 4 });
        assert_eq!(e.event_type(), EventType::Unknown(4));
        assert_eq!(e.token(), None);
        assert_eq!(format!("{e}"), "[       UNKNOWN] type=4");
        bytes[16] = 0; // MPTCP_EVENT_UNSPEC
        assert_eq!(event(&bytes), Ok(Event::Unknown { cmd: 0 }));
    }

    /// `bytes` without the attribute at `offset` (`len` bytes, padded).
    fn without(bytes: &[u8], offset: usize, len: usize) -> Vec<u8> {
        let mut out = Vec::from(&bytes[..offset]);
        out.extend_from_slice(&bytes[offset + len..]);
        let n = u32::try_from(out.len()).unwrap();
        out[..4].copy_from_slice(&n.to_ne_bytes());
        out
    }

    #[test]
    fn missing_attributes_are_typed_errors() {
        // CREATED_V4: token at 20, family 28, saddr4 36, daddr4 44, sport 52, dport 60.
        let cases = [(20, 8, 1), (36, 8, 5), (44, 8, 7), (52, 8, 9), (60, 8, 10)];
        for (offset, len, ty) in cases {
            let cut = without(&CREATED_V4, offset, len);
            assert_eq!(event(&cut), Err(Error::MissingAttr { ty }), "{ty}");
        }
        // Without the family, the address present is taken.
        let no_family = without(&CREATED_V4, 28, 8);
        assert_eq!(event(&no_family), event(&CREATED_V4));
        // SUB_CLOSED_V4: loc-id at 68, rem-id 76.
        let cut = without(&SUB_CLOSED_V4, 68, 8);
        assert_eq!(event(&cut), Err(Error::MissingAttr { ty: 3 }));
        let cut = without(&SUB_CLOSED_V4, 76, 8);
        assert_eq!(event(&cut), Err(Error::MissingAttr { ty: 4 }));
        // CLOSED without its token.
        let cut = without(&CLOSED, 20, 8);
        assert_eq!(event(&cut), Err(Error::MissingAttr { ty: 1 }));
        // ANNOUNCED without rem-id (at 28) and without the address (at 44).
        let cut = without(&ANNOUNCED, 28, 8);
        assert_eq!(event(&cut), Err(Error::MissingAttr { ty: 4 }));
        let cut = without(&ANNOUNCED, 44, 8);
        assert_eq!(event(&cut), Err(Error::MissingAttr { ty: 7 }));
        // LISTENER_CLOSED_V6: family AF_INET6 but no saddr6 (at 36).
        let cut = without(&LISTENER_CLOSED_V6, 36, 20);
        assert_eq!(event(&cut), Err(Error::MissingAttr { ty: 6 }));
    }

    #[test]
    fn bad_families_and_lengths_are_typed_errors() {
        let mut family = CREATED_V4;
        family[32] = 0x0a; // AF_INET6 over IPv4 addresses
        assert_eq!(event(&family), Err(Error::MissingAttr { ty: 6 }));
        family[32] = 0x07; // no such family
        assert_eq!(event(&family), Err(Error::BadPayload { ty: 2 }));
        let mut token = CLOSED;
        token[20] = 0x07; // a 3-byte token
        assert_eq!(event(&token), Err(Error::BadAttrLength { ty: 1, len: 3 }));
        let mut sport = CREATED_V4;
        sport[52] = 0x05; // a 1-byte port
        assert_eq!(event(&sport), Err(Error::BadAttrLength { ty: 9, len: 1 }));
        // saddr6 longer than an in6_addr: refused, not cut.
        let mut long = Vec::from(&LISTENER_CLOSED_V6[..36]);
        long.extend_from_slice(&[0x18, 0x00, 0x06, 0x00]); // nla_len = 24, saddr6
        long.extend_from_slice(&[0; 20]);
        let n = u32::try_from(long.len()).unwrap();
        long[..4].copy_from_slice(&n.to_ne_bytes());
        assert_eq!(event(&long), Err(Error::BadAttrLength { ty: 6, len: 20 }));
    }

    #[test]
    fn truncated_events_are_errors() {
        for len in 0..SUB_ESTABLISHED_V6.len() {
            let mut cut = Vec::from(&SUB_ESTABLISHED_V6[..len]);
            if len >= 4 {
                let n = u32::try_from(len).unwrap();
                cut[..4].copy_from_slice(&n.to_ne_bytes());
            }
            let got = event(&cut);
            // The last two attributes (backup at 108, if_idx at 116) are
            // optional, and fewer than 4 bytes after the last attribute
            // are taken for its padding.
            if (105..=108).contains(&len) || (113..=116).contains(&len) {
                let Ok(Event::SubEstablished(s)) = got else {
                    panic!("{got:?}")
                };
                assert_eq!((s.backup, s.ifindex), (false, None));
            } else {
                assert!(got.is_err(), "{len}: {got:?}");
            }
        }
    }

    #[test]
    fn display_is_one_line() {
        for bytes in [
            &CREATED_SERVER[..],
            &SUB_ESTABLISHED_V6,
            &LISTENER_CLOSED_V6,
        ] {
            let text: String = format!("{}", event(bytes).unwrap());
            assert!(!text.contains('\n'));
            assert!(text.starts_with('['));
        }
    }
}
