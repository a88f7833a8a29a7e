//! Requests and dumps on a [`Socket`]: send one message, receive until its
//! exchange ends, hand data messages to the caller straight from the
//! receive buffer.
//!
//! Exchanges are lockstep: one request in flight per socket, and every
//! exchange is received to its end (the ACK, the error, or `NLMSG_DONE`)
//! before the call returns, also when the caller stops early or a message
//! is rejected. So a message that does not belong to the current exchange
//! (another sequence number or port) can only be a leftover of an exchange
//! abandoned after an I/O or decoding error, or a notification on a socket
//! that also joined multicast groups: it is reported as
//! [`nl_core::Error::UnexpectedSeq`] (or `UnexpectedPort`) once the
//! current exchange has ended, never silently skipped. Keep request
//! sockets and notification sockets apart.

use std::io::IoSlice;
use std::ops::ControlFlow;
use std::time::Instant;

use nl_core::align;
use nl_core::nlmsg::{Flags, Header, Message, RequestLayout};

use crate::error::Error;
use crate::exchange::{Exchange, Mode, Stats, Step};
use crate::socket::Socket;

/// A successful request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acked {
    /// The request's sequence number.
    pub seq: u32,
    /// Data messages that came before the ACK (replies to a GET, echoes).
    pub replies: usize,
    /// Text the kernel attached to the ACK (a warning), if any.
    pub warning: Option<String>,
}

/// A completed dump.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DumpSummary {
    /// The request's sequence number.
    pub seq: u32,
    /// Data messages the dump returned.
    pub messages: usize,
    /// Data messages handed to the callback (fewer if it stopped early).
    pub delivered: usize,
    /// Datagrams received, `NLMSG_DONE` included.
    pub datagrams: usize,
    /// The kernel flagged the dump `NLM_F_DUMP_INTR`: the table changed
    /// while it was being dumped, so entries may be missing or repeated.
    /// The dump is complete but not a consistent snapshot; run it again if
    /// you need one. Not an error, because many callers can live with it.
    pub interrupted: bool,
    /// The callback asked to stop; the rest of the dump was received and
    /// dropped so the socket stays usable.
    pub stopped: bool,
    /// Text the kernel attached to `NLMSG_DONE`, if any.
    pub warning: Option<String>,
    /// How many times the dump was run again because it was interrupted
    /// ([`Ring::dump_consistent`](crate::Ring::dump_consistent)); 0 otherwise.
    pub restarts: usize,
}

impl Socket {
    /// Sends one request and waits for its ACK.
    ///
    /// `msg` is exactly one message, built with [`nl_core::Writer`]; its
    /// header's sequence number identifies the replies (take it from
    /// [`Socket::next_seq`]). The socket sets `NLM_F_REQUEST` and
    /// `NLM_F_ACK` on what it sends when they are missing (the caller's
    /// buffer is not changed). Data replies before the ACK are counted and
    /// dropped; use [`Socket::request_with`] to read them.
    ///
    /// `layout` tells where the request's attributes start and which set
    /// they are, so a kernel error's offset is named
    /// ([`KernelError::path`](crate::KernelError::path)).
    ///
    /// Do not send dumps here (no ACK ends them): use [`Socket::dump`].
    pub fn request(&mut self, msg: &[u8], layout: Option<RequestLayout>) -> Result<Acked, Error> {
        self.request_with(msg, layout, |_| Ok::<(), Error>(()))
    }

    /// Like [`Socket::request`], handing each data reply (a GET's answer,
    /// an `NLM_F_ECHO`) to `f` before the ACK arrives. An error from `f`
    /// stops the deliveries; the exchange is still received to its end,
    /// then the error is returned.
    pub fn request_with<E: From<Error>>(
        &mut self,
        msg: &[u8],
        layout: Option<RequestLayout>,
        f: impl FnMut(Message<'_>) -> Result<(), E>,
    ) -> Result<Acked, E> {
        request_with(&mut Blocking, self, msg, layout, f)
    }

    /// Sends a dump request and streams every message of the dump to `f`,
    /// borrowed from the receive buffer, until `NLMSG_DONE`.
    ///
    /// `msg` is exactly one message with `NLM_F_DUMP` set (else
    /// [`Error::InvalidRequest`]). A negative status in `NLMSG_DONE` (the
    /// dump failed midway) or an error refusing the dump is returned as
    /// [`Error::Kernel`], named with `layout` as for [`Socket::request`].
    /// `NLM_F_DUMP_INTR` is reported in [`DumpSummary::interrupted`].
    /// A malformed message is an error, never skipped. When `f` breaks, no
    /// more messages are delivered but the dump is still received to its
    /// end, so the socket stays usable.
    pub fn dump(
        &mut self,
        msg: &[u8],
        layout: Option<RequestLayout>,
        f: impl FnMut(Message<'_>) -> ControlFlow<()>,
    ) -> Result<DumpSummary, Error> {
        dump(&mut Blocking, self, msg, layout, f)
    }

    /// Like [`Socket::dump`] with a fallible callback: the first error from
    /// `f` stops the deliveries; the dump is received to its end, then the
    /// error is returned.
    pub fn try_dump<E: From<Error>>(
        &mut self,
        msg: &[u8],
        layout: Option<RequestLayout>,
        f: impl FnMut(Message<'_>) -> Result<(), E>,
    ) -> Result<DumpSummary, E> {
        try_dump(&mut Blocking, self, msg, layout, f)
    }
}

/// What [`Io::listen`] hands each datagram and its sender to.
pub(crate) type Feed<'f> = dyn FnMut(&[u8], u32) -> Result<Step, Error> + 'f;

/// How an exchange's datagrams are received: straight through the
/// socket's own calls ([`Blocking`]), or through a ring.
pub(crate) trait Io {
    /// Hands every datagram received on `socket` (those it kept back
    /// first), with its sender, to `feed` until `feed` says
    /// [`Step::Finished`], fails, or `deadline` passes (then `Ok(false)`).
    /// `ENOBUFS` (the kernel dropped messages for the socket) ends it
    /// with [`Error::Overrun`].
    fn listen(
        &mut self,
        socket: &mut Socket,
        deadline: Option<Instant>,
        feed: &mut Feed<'_>,
    ) -> Result<bool, Error>;
}

/// Blocking `recvfrom` on the socket itself.
#[derive(Debug)]
pub(crate) struct Blocking;

impl Io for Blocking {
    fn listen(
        &mut self,
        socket: &mut Socket,
        deadline: Option<Instant>,
        feed: &mut Feed<'_>,
    ) -> Result<bool, Error> {
        loop {
            if let Some(deadline) = deadline {
                let left = deadline.saturating_duration_since(Instant::now());
                if !socket.has_pending() && !socket.wait_readable(left)? {
                    return Ok(false);
                }
            }
            let (len, sender) = socket.recv_datagram()?;
            let datagram = socket.buf.get(..len).unwrap_or_default();
            if feed(datagram, sender)? == Step::Finished {
                return Ok(true);
            }
        }
    }
}

/// [`Socket::request_with`] over `io`.
pub(crate) fn request_with<E: From<Error>>(
    io: &mut dyn Io,
    socket: &mut Socket,
    msg: &[u8],
    layout: Option<RequestLayout>,
    f: impl FnMut(Message<'_>) -> Result<(), E>,
) -> Result<Acked, E> {
    let (seq, stats) = exchange_fallible(io, socket, Mode::Request, msg, layout, f)?;
    Ok(Acked {
        seq,
        replies: stats.messages,
        warning: stats.warning,
    })
}

/// [`Socket::dump`] over `io`.
pub(crate) fn dump(
    io: &mut dyn Io,
    socket: &mut Socket,
    msg: &[u8],
    layout: Option<RequestLayout>,
    mut f: impl FnMut(Message<'_>) -> ControlFlow<()>,
) -> Result<DumpSummary, Error> {
    let (seq, stats) = exchange(io, socket, Mode::Dump, msg, layout, &mut f)?;
    Ok(summary(seq, stats))
}

/// [`Socket::try_dump`] over `io`.
pub(crate) fn try_dump<E: From<Error>>(
    io: &mut dyn Io,
    socket: &mut Socket,
    msg: &[u8],
    layout: Option<RequestLayout>,
    f: impl FnMut(Message<'_>) -> Result<(), E>,
) -> Result<DumpSummary, E> {
    let (seq, stats) = exchange_fallible(io, socket, Mode::Dump, msg, layout, f)?;
    Ok(summary(seq, stats))
}

/// [`exchange`] with a fallible callback: the first error from `f` stops
/// the deliveries, the exchange still runs to its end, and then that
/// error is returned.
fn exchange_fallible<E: From<Error>>(
    io: &mut dyn Io,
    socket: &mut Socket,
    mode: Mode,
    msg: &[u8],
    layout: Option<RequestLayout>,
    mut f: impl FnMut(Message<'_>) -> Result<(), E>,
) -> Result<(u32, Stats), E> {
    let mut failure = None;
    let result = exchange(io, socket, mode, msg, layout, &mut |m| match f(m) {
        Ok(()) => ControlFlow::Continue(()),
        Err(e) => {
            failure = Some(e);
            ControlFlow::Break(())
        }
    });
    match failure {
        Some(e) => Err(e),
        None => result.map_err(E::from),
    }
}

/// Sends `msg` over `io` and receives until its exchange ends.
fn exchange(
    io: &mut dyn Io,
    socket: &mut Socket,
    mode: Mode,
    msg: &[u8],
    layout: Option<RequestLayout>,
    on_data: &mut dyn FnMut(Message<'_>) -> ControlFlow<()>,
) -> Result<(u32, Stats), Error> {
    let (header, rest, seq) = prepare(mode, msg)?;
    socket.send_parts(&[IoSlice::new(&header), IoSlice::new(rest)])?;
    let mut exchange = Exchange::new(mode, msg, layout, seq, socket.port, socket.senders);
    io.listen(socket, None, &mut |datagram, sender| {
        Ok(exchange.datagram(datagram, sender, on_data))
    })?;
    Ok((seq, exchange.finish()?))
}

/// Checks that `msg` is exactly one request of `mode` (a dump has
/// `NLM_F_DUMP`); returns a copy of its header with `NLM_F_REQUEST` set
/// (and `NLM_F_ACK` for a request), the rest of the message, and its
/// sequence number.
pub(crate) fn prepare(mode: Mode, msg: &[u8]) -> Result<([u8; Header::LEN], &[u8], u32), Error> {
    let (header, rest) = split_request(msg)?;
    let mut flags = header_flags(&header);
    if mode == Mode::Dump && !flags.contains(Flags::DUMP) {
        return Err(Error::InvalidRequest("a dump request needs NLM_F_DUMP"));
    }
    flags |= Flags::REQUEST;
    if mode == Mode::Request {
        flags |= Flags::ACK;
    }
    let header = with_flags(header, flags);
    Ok((header, rest, header_seq(&header)))
}

/// The summary of a dump whose exchange ended with `stats`.
pub(crate) fn summary(seq: u32, stats: Stats) -> DumpSummary {
    DumpSummary {
        seq,
        messages: stats.messages,
        delivered: stats.delivered,
        datagrams: stats.datagrams,
        interrupted: stats.interrupted,
        stopped: stats.stopped,
        warning: stats.warning,
        restarts: 0,
    }
}

/// Checks that `msg` is exactly one message (its padding may be left off)
/// and splits off a copy of its header.
fn split_request(msg: &[u8]) -> Result<([u8; Header::LEN], &[u8]), Error> {
    let message = Message::parse(msg)?;
    let padded = align(message.len()).unwrap_or(usize::MAX);
    if msg.len() > padded {
        return Err(Error::InvalidRequest(
            "the buffer must hold exactly one message",
        ));
    }
    let (head, rest) = msg
        .split_at_checked(Header::LEN)
        .ok_or(nl_core::Error::Truncated)?;
    let head: [u8; Header::LEN] = head.try_into().map_err(|_| nl_core::Error::Truncated)?;
    Ok((head, rest))
}

/// Offset of `nlmsg_flags` (u16) in the header.
const FLAGS_AT: usize = 6;
/// Offset of `nlmsg_seq` (u32) in the header.
const SEQ_AT: usize = 8;

fn header_flags(header: &[u8; Header::LEN]) -> Flags {
    let mut bytes = [0u8; 2];
    bytes.copy_from_slice(header.get(FLAGS_AT..FLAGS_AT + 2).unwrap_or(&[0; 2]));
    Flags(u16::from_ne_bytes(bytes))
}

fn with_flags(mut header: [u8; Header::LEN], flags: Flags) -> [u8; Header::LEN] {
    if let Some(field) = header.get_mut(FLAGS_AT..FLAGS_AT + 2) {
        field.copy_from_slice(&flags.bits().to_ne_bytes());
    }
    header
}

fn header_seq(header: &[u8; Header::LEN]) -> u32 {
    let mut bytes = [0u8; 4];
    bytes.copy_from_slice(header.get(SEQ_AT..SEQ_AT + 4).unwrap_or(&[0; 4]));
    u32::from_ne_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_core::Writer;

    fn one(flags: Flags, seq: u32, payload: &[u8]) -> Vec<u8> {
        let mut buf = vec![0xa5u8; 64];
        let mut w = Writer::new(&mut buf);
        let start = w.begin_message(Header::new(20, flags, seq, 0)).unwrap();
        w.put_bytes(payload).unwrap();
        let len = w.end_message(start).unwrap();
        buf.truncate(len);
        buf
    }

    #[test]
    fn header_fields_are_read_and_flags_patched_in_a_copy() {
        let msg = one(Flags::DUMP, 0x0102_0304, &[9, 9, 9, 9]);
        let (head, rest) = split_request(&msg).unwrap();
        assert_eq!(rest, [9, 9, 9, 9]);
        assert_eq!(header_seq(&head), 0x0102_0304);
        assert_eq!(header_flags(&head), Flags::DUMP);
        let patched = with_flags(head, Flags::DUMP | Flags::REQUEST | Flags::ACK);
        assert_eq!(header_flags(&patched), Flags(0x305));
        assert_eq!(patched[..6], msg[..6], "length and type untouched");
        assert_eq!(patched[8..], msg[8..16], "seq and pid untouched");
        assert_eq!(header_flags(&split_request(&msg).unwrap().0), Flags::DUMP);
    }

    #[test]
    fn prepare_sets_the_flags_of_its_mode_in_a_copy() {
        let msg = one(Flags::DUMP, 0x0102_0304, &[9, 9, 9, 9]);
        let (head, rest, seq) = prepare(Mode::Dump, &msg).unwrap();
        assert_eq!(seq, 0x0102_0304);
        assert_eq!(rest, [9, 9, 9, 9]);
        // nlmsg_flags: DUMP (0x300) | REQUEST (0x1).
        assert_eq!(head[6..8], 0x301u16.to_ne_bytes());
        assert_eq!(head[..6], msg[..6], "length and type untouched");
        assert_eq!(head[8..], msg[8..16], "seq and pid untouched");
        assert_eq!(
            msg[6..8],
            0x300u16.to_ne_bytes(),
            "caller's buffer untouched"
        );
        let (head, _, _) = prepare(Mode::Request, &one(Flags(0), 1, &[])).unwrap();
        assert_eq!(header_flags(&head), Flags::REQUEST | Flags::ACK);
        assert!(matches!(
            prepare(Mode::Dump, &one(Flags::REQUEST, 1, &[])),
            Err(Error::InvalidRequest(_))
        ));
    }

    #[test]
    fn a_request_is_exactly_one_message() {
        let mut padded = one(Flags::REQUEST, 1, &[1, 2, 3]); // 20 bytes with padding
        assert!(split_request(&padded).is_ok());
        padded[0] = 19; // nlmsg_len without the padding byte
        assert!(split_request(&padded).is_ok(), "padding may be included");
        let msg = padded[..19].to_vec();
        assert!(split_request(&msg).is_ok(), "or left off");
        let mut two = padded.clone();
        two.extend_from_slice(&msg);
        assert!(matches!(split_request(&two), Err(Error::InvalidRequest(_))));
        assert!(matches!(
            split_request(&msg[..10]),
            Err(Error::Codec(nl_core::Error::Truncated))
        ));
    }
}
