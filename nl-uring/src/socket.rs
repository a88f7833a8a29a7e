//! The blocking netlink socket: opening, binding, groups and options.
//! Requests and dumps are in `request.rs`.

use std::collections::VecDeque;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::Duration;

use nl_core::nlmsg::{Message, Messages, Reply, Senders, check_sender};

use crate::error::Error;
use crate::sys;

/// The smallest receive buffer a socket uses: one full dump datagram.
/// The kernel builds dump datagrams of at most 32 KiB (less its skb overhead).
pub const MIN_RECV_BUFFER: usize = 32 * 1024;

/// The receive buffer a new socket gets: room for a dump datagram and for
/// larger single replies (errors echo the request).
pub const DEFAULT_RECV_BUFFER: usize = 64 * 1024;

/// A netlink protocol (the third argument of `socket(2)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `NETLINK_ROUTE` (0): links, addresses, routes, neighbours, rules, tc.
    Route,
    /// `NETLINK_NETFILTER` (12): conntrack, nf_tables.
    Netfilter,
    /// `NETLINK_GENERIC` (16): generic netlink families.
    Generic,
    /// Any other protocol number.
    Other(i32),
}

impl Protocol {
    /// The protocol for `raw`, using the named variants where one exists.
    pub fn from_raw(raw: i32) -> Self {
        match raw {
            0 => Protocol::Route,
            12 => Protocol::Netfilter,
            16 => Protocol::Generic,
            other => Protocol::Other(other),
        }
    }

    /// The protocol number.
    pub fn raw(self) -> i32 {
        match self {
            Protocol::Route => 0,
            Protocol::Netfilter => 12,
            Protocol::Generic => 16,
            Protocol::Other(raw) => raw,
        }
    }
}

/// A blocking `AF_NETLINK` socket with its own receive buffer.
///
/// Opened bound (the kernel picks the port id) with extended ACKs on.
/// Every receive is one `recvfrom` of a whole datagram into the socket's
/// buffer (at least [`MIN_RECV_BUFFER`] bytes), with `MSG_TRUNC` so a cut
/// datagram is reported as [`Error::Truncated`], never passed on short.
/// Datagrams from any port but the kernel's are rejected unless
/// [`Socket::set_senders`] says otherwise.
#[derive(Debug)]
pub struct Socket {
    pub(crate) fd: OwnedFd,
    protocol: Protocol,
    pub(crate) port: u32,
    seq: u32,
    groups: u32,
    pub(crate) senders: Senders,
    pub(crate) buf: Vec<u8>,
    /// Datagrams received but not yet consumed (a ring read ahead of the
    /// exchange, or a caller stopped mid-datagram), oldest first, with
    /// their senders. Every receive takes these first.
    pending: VecDeque<(Vec<u8>, u32)>,
    /// The kernel's drop counter when an overrun was last reported: an
    /// `ENOBUFS` from io_uring is the socket's overrun only when the
    /// counter has moved since.
    pub(crate) seen_drops: u32,
}

impl Socket {
    /// Opens and binds a socket of `protocol`, with `NETLINK_EXT_ACK` on
    /// (kernels without it are accepted) and a [`DEFAULT_RECV_BUFFER`]
    /// receive buffer.
    pub fn open(protocol: Protocol) -> Result<Socket, Error> {
        Self::open_with(protocol, DEFAULT_RECV_BUFFER)
    }

    /// Like [`Socket::open`], with a receive buffer of `len` bytes and no
    /// lower bound, so tests can provoke truncation. Only with the `testing`
    /// feature.
    #[cfg(feature = "testing")]
    pub fn open_with_tiny_recv_buffer(protocol: Protocol, len: usize) -> Result<Socket, Error> {
        Self::open_with(protocol, len)
    }

    fn open_with(protocol: Protocol, recv_len: usize) -> Result<Socket, Error> {
        let fd = sys::socket(protocol.raw())?;
        sys::bind(fd.as_fd(), 0, 0)?;
        let port = sys::local_port(fd.as_fd())?;
        let socket = Socket {
            fd,
            protocol,
            port,
            seq: 0,
            groups: 0,
            senders: Senders::Kernel,
            buf: vec![0; recv_len],
            pending: VecDeque::new(),
            seen_drops: 0,
        };
        match socket.set_ext_ack(true) {
            Err(e) if e.raw_os_error() == Some(libc::ENOPROTOOPT) => {}
            other => other?,
        }
        Ok(socket)
    }

    /// The protocol the socket was opened with.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The port id the kernel bound the socket to (`nl_pid`); replies to
    /// this socket's requests carry it in `nlmsg_pid`.
    pub fn port(&self) -> u32 {
        self.port
    }

    /// A fresh sequence number for the next request: 1, 2, 3… (0 is
    /// skipped on wrap-around; the kernel uses it for notifications).
    pub fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        if self.seq == 0 {
            self.seq = 1;
        }
        self.seq
    }

    /// Length of the receive buffer (the largest datagram accepted whole).
    pub fn recv_buffer_len(&self) -> usize {
        self.buf.len()
    }

    /// Resizes the receive buffer to `len` bytes, never below
    /// [`MIN_RECV_BUFFER`]; returns the length used.
    pub fn set_recv_buffer_len(&mut self, len: usize) -> usize {
        let len = len.max(MIN_RECV_BUFFER);
        self.buf.resize(len, 0);
        len
    }

    /// Which senders' datagrams are accepted ([`Senders::Kernel`] by default).
    pub fn set_senders(&mut self, senders: Senders) {
        self.senders = senders;
    }

    /// Subscribes to the legacy multicast bitmask `groups` (bit `n - 1` for
    /// group `n`, groups 1 to 32), replacing the previous bitmask. Groups
    /// joined with [`Socket::join_group`] are not affected.
    pub fn bind_groups(&mut self, groups: u32) -> io::Result<()> {
        sys::bind(self.fd.as_fd(), self.port, groups)?;
        self.groups = groups;
        Ok(())
    }

    /// The legacy bitmask last set with [`Socket::bind_groups`].
    pub fn groups(&self) -> u32 {
        self.groups
    }

    /// Joins multicast group `group` (`NETLINK_ADD_MEMBERSHIP`; any group number).
    pub fn join_group(&self, group: u32) -> io::Result<()> {
        self.set_u32(sys::SOL_NETLINK, sys::NETLINK_ADD_MEMBERSHIP, group)
    }

    /// Leaves multicast group `group` (`NETLINK_DROP_MEMBERSHIP`).
    pub fn leave_group(&self, group: u32) -> io::Result<()> {
        self.set_u32(sys::SOL_NETLINK, sys::NETLINK_DROP_MEMBERSHIP, group)
    }

    /// `NETLINK_EXT_ACK`: errors carry a message text and the offending
    /// attribute's offset. On by default.
    pub fn set_ext_ack(&self, on: bool) -> io::Result<()> {
        self.set_flag(sys::NETLINK_EXT_ACK, on)
    }

    /// `NETLINK_CAP_ACK`: errors echo only the request's header, not its
    /// payload. Offsets still map: the socket keeps the request it sent.
    pub fn set_cap_ack(&self, on: bool) -> io::Result<()> {
        self.set_flag(sys::NETLINK_CAP_ACK, on)
    }

    /// `NETLINK_GET_STRICT_CHK`: the kernel checks dump requests strictly
    /// and applies their filters (rtnetlink).
    pub fn set_strict_check(&self, on: bool) -> io::Result<()> {
        self.set_flag(sys::NETLINK_GET_STRICT_CHK, on)
    }

    /// `NETLINK_NO_ENOBUFS`: do not report `ENOBUFS` when the receive queue
    /// overflows. Messages are still lost; only the report is suppressed.
    pub fn set_no_enobufs(&self, on: bool) -> io::Result<()> {
        self.set_flag(sys::NETLINK_NO_ENOBUFS, on)
    }

    /// `SO_RCVBUF`: the kernel's receive queue size, capped by
    /// `net.core.rmem_max`. Returns the size in force (the kernel doubles
    /// the request for its bookkeeping).
    pub fn set_recv_queue_size(&self, bytes: usize) -> io::Result<usize> {
        self.set_size(libc::SO_RCVBUF, bytes)?;
        self.recv_queue_size()
    }

    /// `SO_RCVBUFFORCE` (ignores `rmem_max`, needs `CAP_NET_ADMIN`),
    /// falling back to `SO_RCVBUF` on `EPERM`. Returns the size in force.
    pub fn force_recv_queue_size(&self, bytes: usize) -> io::Result<usize> {
        match self.set_size(libc::SO_RCVBUFFORCE, bytes) {
            Err(e) if e.raw_os_error() == Some(libc::EPERM) => {
                self.set_size(libc::SO_RCVBUF, bytes)?
            }
            other => other?,
        }
        self.recv_queue_size()
    }

    /// The receive queue size in force (`SO_RCVBUF`).
    pub fn recv_queue_size(&self) -> io::Result<usize> {
        self.get_size(libc::SO_RCVBUF)
    }

    /// `SO_SNDBUF`: the send queue size, capped by `net.core.wmem_max`.
    /// Returns the size in force.
    pub fn set_send_queue_size(&self, bytes: usize) -> io::Result<usize> {
        self.set_size(libc::SO_SNDBUF, bytes)?;
        self.send_queue_size()
    }

    /// `SO_SNDBUFFORCE`, falling back to `SO_SNDBUF` on `EPERM`.
    /// Returns the size in force.
    pub fn force_send_queue_size(&self, bytes: usize) -> io::Result<usize> {
        match self.set_size(libc::SO_SNDBUFFORCE, bytes) {
            Err(e) if e.raw_os_error() == Some(libc::EPERM) => {
                self.set_size(libc::SO_SNDBUF, bytes)?
            }
            other => other?,
        }
        self.send_queue_size()
    }

    /// The send queue size in force (`SO_SNDBUF`).
    pub fn send_queue_size(&self) -> io::Result<usize> {
        self.get_size(libc::SO_SNDBUF)
    }

    /// `SO_RCVTIMEO`: how long a receive blocks before failing with
    /// [`io::ErrorKind::WouldBlock`] (`None`, the default: forever).
    pub fn set_recv_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        sys::set_recv_timeout(self.fd.as_fd(), timeout)
    }

    /// Sends `bytes` (one or more messages) to the kernel as they are, in
    /// one datagram, without waiting for anything. Replies are left for the
    /// caller to receive with [`Socket::recv`]; prefer [`Socket::request`]
    /// and [`Socket::dump`], which keep the socket in step.
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.send_parts(&[io::IoSlice::new(bytes)])
    }

    pub(crate) fn send_parts(&mut self, parts: &[io::IoSlice<'_>]) -> Result<(), Error> {
        let total: usize = parts.iter().map(|p| p.len()).sum();
        let sent = sys::send_to_kernel(self.fd.as_fd(), parts)?;
        if sent != total {
            return Err(Error::Io(io::Error::new(
                io::ErrorKind::WriteZero,
                "netlink datagram sent short",
            )));
        }
        Ok(())
    }

    /// Receives one datagram into the socket's buffer; returns its length.
    /// Rejects a truncated datagram and one from a sender not accepted.
    pub(crate) fn recv_datagram(&mut self) -> Result<(usize, u32), Error> {
        self.recv_datagram_if(true)?.ok_or_else(|| {
            Error::Io(io::Error::new(
                io::ErrorKind::WouldBlock,
                "receive timed out",
            ))
        })
    }

    /// Like [`Socket::recv_datagram`] without waiting: `None` when no
    /// datagram is queued.
    pub(crate) fn try_recv_datagram(&mut self) -> Result<Option<(usize, u32)>, Error> {
        self.recv_datagram_if(false)
    }

    fn recv_datagram_if(&mut self, wait: bool) -> Result<Option<(usize, u32)>, Error> {
        if let Some((datagram, sender)) = self.pending.pop_front() {
            if datagram.len() > self.buf.len() {
                self.buf.resize(datagram.len(), 0);
            }
            let len = datagram.len();
            if let Some(place) = self.buf.get_mut(..len) {
                place.copy_from_slice(&datagram);
            }
            return Ok(Some((len, sender)));
        }
        let (len, sender) = match sys::recv_from(self.fd.as_fd(), &mut self.buf, wait) {
            Ok(received) => received,
            Err(e) if !wait && e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
            Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                self.seen_drops = self.dropped().unwrap_or(self.seen_drops);
                return Err(Error::Overrun);
            }
            Err(e) => return Err(Error::Io(e)),
        };
        if len > self.buf.len() {
            return Err(Error::Truncated {
                buffer: self.buf.len(),
                datagram: len,
            });
        }
        Ok(Some((len, sender)))
    }

    /// Keeps `datagram` from `sender` for the next receive, after those
    /// already kept.
    pub(crate) fn keep_pending(&mut self, datagram: &[u8], sender: u32) {
        self.pending.push_back((datagram.to_vec(), sender));
    }

    /// Keeps `datagram` from `sender` for the next receive, before those
    /// already kept (the unread rest of a datagram being consumed).
    pub(crate) fn keep_pending_front(&mut self, datagram: Vec<u8>, sender: u32) {
        self.pending.push_front((datagram, sender));
    }

    /// Whether a datagram is kept for the next receive.
    pub(crate) fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The oldest datagram kept for the next receive.
    pub(crate) fn take_pending(&mut self) -> Option<(Vec<u8>, u32)> {
        self.pending.pop_front()
    }

    /// Waits up to `timeout` for a datagram to be queued; false when none came.
    pub(crate) fn wait_readable(&self, timeout: Duration) -> io::Result<bool> {
        sys::wait_readable(self.fd.as_fd(), timeout)
    }

    /// How many datagrams the kernel has dropped for this socket since it
    /// was opened because its receive queue was full (`SO_MEMINFO`).
    pub fn dropped(&self) -> io::Result<u32> {
        sys::meminfo(self.fd.as_fd(), libc::SK_MEMINFO_DROPS)
    }

    /// Bytes waiting in the kernel's receive queue (`SO_MEMINFO`).
    pub(crate) fn queued_bytes(&self) -> io::Result<u32> {
        sys::meminfo(self.fd.as_fd(), libc::SK_MEMINFO_RMEM_ALLOC)
    }

    /// Receives one datagram and hands each of its messages to `f`, whatever
    /// its sequence number (notifications, replies to [`Socket::send`]).
    /// Returns how many messages it held.
    ///
    /// A datagram from a sender not accepted is [`Error::ForeignSender`],
    /// `ENOBUFS` and `NLMSG_OVERRUN` are [`Error::Overrun`] (messages were
    /// lost: resynchronize), a malformed message is [`Error::Codec`]; an
    /// error returned by `f` stops the walk and is returned.
    pub fn recv<E: From<Error>>(
        &mut self,
        mut f: impl FnMut(Message<'_>) -> Result<(), E>,
    ) -> Result<usize, E> {
        let (len, sender) = self.recv_datagram()?;
        check_sender(sender, self.senders).map_err(|_| Error::ForeignSender { port: sender })?;
        let datagram = self.buf.get(..len).unwrap_or_default();
        let mut count = 0;
        for message in Messages::new(datagram) {
            let message = message.map_err(Error::from)?;
            if let Ok(Reply::Overrun(_)) = Reply::classify(message) {
                return Err(Error::Overrun.into());
            }
            count += 1;
            f(message)?;
        }
        Ok(count)
    }

    fn set_flag(&self, option: libc::c_int, on: bool) -> io::Result<()> {
        sys::set_int(
            self.fd.as_fd(),
            sys::SOL_NETLINK,
            option,
            libc::c_int::from(on),
        )
    }

    fn set_u32(&self, level: libc::c_int, option: libc::c_int, value: u32) -> io::Result<()> {
        // Group numbers are unsigned in the kernel; the int is only a carrier.
        sys::set_int(self.fd.as_fd(), level, option, value as libc::c_int)
    }

    fn set_size(&self, option: libc::c_int, bytes: usize) -> io::Result<()> {
        let value = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
        sys::set_int(self.fd.as_fd(), libc::SOL_SOCKET, option, value)
    }

    fn get_size(&self, option: libc::c_int) -> io::Result<usize> {
        let value = sys::get_int(self.fd.as_fd(), libc::SOL_SOCKET, option)?;
        Ok(usize::try_from(value).unwrap_or(0))
    }
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_numbers_round_trip() {
        for raw in [0, 12, 16, 4, 99] {
            assert_eq!(Protocol::from_raw(raw).raw(), raw);
        }
        assert_eq!(Protocol::from_raw(16), Protocol::Generic);
        assert_eq!(Protocol::Other(0).raw(), Protocol::Route.raw());
    }

    #[test]
    fn sequence_numbers_start_at_one_and_skip_zero() {
        let mut socket = Socket::open(Protocol::Generic).unwrap();
        assert_eq!(socket.next_seq(), 1);
        assert_eq!(socket.next_seq(), 2);
        socket.seq = u32::MAX;
        assert_eq!(socket.next_seq(), 1);
    }

    #[test]
    fn receive_buffer_never_shrinks_below_the_minimum() {
        let mut socket = Socket::open(Protocol::Generic).unwrap();
        assert_eq!(socket.recv_buffer_len(), DEFAULT_RECV_BUFFER);
        assert_eq!(socket.set_recv_buffer_len(1), MIN_RECV_BUFFER);
        assert_eq!(socket.recv_buffer_len(), MIN_RECV_BUFFER);
        assert_eq!(socket.set_recv_buffer_len(1 << 20), 1 << 20);
    }

    #[test]
    fn open_binds_a_port_and_options_apply() {
        let socket = Socket::open(Protocol::Generic).unwrap();
        assert_ne!(socket.port(), 0);
        socket.set_cap_ack(true).unwrap();
        socket.set_no_enobufs(true).unwrap();
        socket.set_ext_ack(false).unwrap();
        let before = socket.recv_queue_size().unwrap();
        let after = socket.set_recv_queue_size(before * 2).unwrap();
        assert!(after >= before, "{after} < {before}");
        assert!(socket.force_send_queue_size(1 << 16).unwrap() > 0);
    }
}
