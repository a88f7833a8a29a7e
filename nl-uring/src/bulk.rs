//! Bulk writes with a result per message.
//!
//! Many requests are packed into each `sendmsg` datagram. The kernel runs
//! every message of a datagram in order, inside the send, and a failing
//! message does not stop the ones after it. It answers every failing
//! message with an `NLMSG_ERROR` whether or not `NLM_F_ACK` is set, and a
//! successful one only when it asks for an ACK. So:
//!
//! - [`Acks::PerSend`] sets `NLM_F_ACK` on the last message of each send
//!   only: its ACK (or its error) says the whole send is done, and every
//!   message of it without an error reply succeeded.
//! - [`Acks::None`] asks for no ACK at all; errors still come back, and one
//!   barrier at the end (an `NLMSG_NOOP` with `NLM_F_ACK`, which every
//!   family skips and acknowledges) says when all replies are in.
//!
//! Replies are matched by sequence number: message `i` is sent with
//! `base + i`; barriers use a small reserved range after the last message.
//!
//! When the socket's receive queue overflows, the kernel drops replies and
//! the next receive fails with `ENOBUFS` ([`Error::Overrun`]). While the
//! queue stays full, every further reply is dropped as well, silently,
//! until the queue has been read empty. So after an overrun the driver
//! reads the queue empty and then sends a barrier: when its ACK arrives,
//! every message before it that got no reply is reported
//! [`Outcome::Unknown`] (its error may have been lost), never `Ok`.
//!
//! The work is split in two: [`Bulk`], a pure state machine (no I/O, unit
//! tested with byte vectors), and the drivers that move its datagrams:
//! [`Socket::bulk`] here, blocking, and the io_uring transport.
//!
//! ```text
//!  driver                               Bulk
//!  ------                               ----
//!  batch = take_free() or new_batch()
//!  fill(&mut batch) ----------------->  packs messages (or a barrier)
//!  send(batch.bytes())
//!  sent(batch) ---------------------->  keeps it until its replies are in
//!  recv → datagram(bytes, sender) --->  failures, ACKs, barriers
//!  recv → ENOBUFS → overrun() ------->  next fill is a barrier
//!  until done(); finish() ----------->  BulkReport
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::ops::Range;

use nl_core::nlmsg::{
    self, Ack, Flags, Header, Message, Messages, Reply, RequestLayout, Senders, check_sender,
};
use nl_core::{Writer, align};

use crate::error::{Error, KernelError};
use crate::socket::Socket;

/// Which messages ask the kernel for an ACK.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Acks {
    /// `NLM_F_ACK` on the last message of each send only. The ACK ends the
    /// send: it bounds how many sends are in flight
    /// ([`BulkOptions::sends_in_flight`]) and lets the send buffer be kept
    /// so errors are named from the request as sent.
    #[default]
    PerSend,
    /// Fire and forget: no ACKs. Errors still come back (the kernel always
    /// answers a failing message); one barrier after the last message tells
    /// when all replies are in. Errors are named from the request the kernel
    /// echoes (not available with `NETLINK_CAP_ACK`).
    None,
}

/// How [`Socket::bulk`] packs and paces messages.
#[derive(Clone, Copy, Debug)]
pub struct BulkOptions {
    /// Which messages ask for an ACK ([`Acks::PerSend`] by default).
    pub acks: Acks,
    /// Most messages packed into one send (64 by default).
    pub messages_per_send: usize,
    /// Most bytes in one send (64 KiB by default); a message larger than
    /// this cannot be sent.
    pub send_bytes: usize,
    /// Most sends waiting for their ACK at once (8 by default; only with
    /// [`Acks::PerSend`]). Also sizes the receive queue: see
    /// [`Socket::bulk`].
    pub sends_in_flight: usize,
    /// Where the messages' attributes start and which set they are, so a
    /// kernel error's offset is named ([`KernelError::path`]).
    pub layout: Option<RequestLayout>,
}

impl Default for BulkOptions {
    fn default() -> Self {
        BulkOptions {
            acks: Acks::PerSend,
            messages_per_send: 64,
            send_bytes: 64 * 1024,
            sends_in_flight: 8,
            layout: None,
        }
    }
}

/// One message the kernel rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The message's index (the argument its encoder was called with).
    pub index: usize,
    /// The kernel's error, with the offending attribute named when
    /// [`BulkOptions::layout`] was given.
    pub error: KernelError,
}

/// What became of one message of a bulk write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome<'r> {
    /// The kernel applied it.
    Ok,
    /// The kernel rejected it.
    Failed(&'r KernelError),
    /// It was sent, but its reply may have been lost to a receive queue
    /// overrun: it may or may not have been applied.
    Unknown,
    /// It was not sent (encoding stopped before it: see
    /// [`BulkReport::not_sent`]).
    NotSent,
}

/// The result of a bulk write: which messages failed and how, without an
/// entry per successful message (a million messages with ten failures make
/// ten entries).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BulkReport {
    /// Messages asked for (the `count` given).
    pub messages: usize,
    /// Messages sent: indices `0..sent`. The others are
    /// [`Outcome::NotSent`].
    pub sent: usize,
    /// Datagrams sent (barriers included).
    pub batches: usize,
    /// The messages the kernel rejected, sorted by index.
    pub failures: Vec<Failure>,
    /// Sent messages whose outcome is unknown because replies were lost to
    /// an overrun, as sorted, disjoint index ranges (failed messages are
    /// never in them).
    pub unknown: Vec<Range<usize>>,
    /// The message at which encoding stopped, and why (the encoder's error,
    /// or the checks on what it wrote). That message and all after it were
    /// not sent.
    pub not_sent: Option<(usize, nl_core::Error)>,
    /// Data messages received for the bulk's sequence numbers (answers to
    /// `NLM_F_ECHO`, say); counted and dropped.
    pub replies: usize,
    /// Messages received with other sequence numbers or port ids
    /// (notifications, leftovers of earlier exchanges); counted and dropped.
    pub unexpected: usize,
    /// Datagrams from a sender other than the kernel; not processed.
    pub foreign: usize,
    /// Receive queue overruns seen (`ENOBUFS`, `NLMSG_OVERRUN`).
    pub overruns: usize,
}

impl BulkReport {
    /// What became of message `index`. An index past
    /// [`BulkReport::messages`] is [`Outcome::NotSent`].
    pub fn outcome(&self, index: usize) -> Outcome<'_> {
        if let Ok(at) = self.failures.binary_search_by_key(&index, |f| f.index) {
            if let Some(failure) = self.failures.get(at) {
                return Outcome::Failed(&failure.error);
            }
        }
        if index >= self.sent {
            return Outcome::NotSent;
        }
        let at = self.unknown.partition_point(|r| r.end <= index);
        match self.unknown.get(at) {
            Some(range) if range.contains(&index) => Outcome::Unknown,
            _ => Outcome::Ok,
        }
    }

    /// The outcome of every message, in index order.
    pub fn outcomes(&self) -> impl Iterator<Item = Outcome<'_>> + '_ {
        (0..self.messages).map(|index| self.outcome(index))
    }

    /// How many messages the kernel rejected.
    pub fn failed(&self) -> usize {
        self.failures.len()
    }

    /// How many sent messages have an unknown outcome.
    pub fn unknown_count(&self) -> usize {
        self.unknown.iter().map(ExactSizeIterator::len).sum()
    }

    /// True when every message was sent and applied.
    pub fn all_ok(&self) -> bool {
        self.failures.is_empty()
            && self.unknown.is_empty()
            && self.not_sent.is_none()
            && self.sent == self.messages
    }
}

impl fmt::Display for BulkReport {
    /// `10000 messages in 157 sends: 9990 ok, 10 failed, 0 unknown, 0 not sent`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let failed = self.failed();
        let unknown = self.unknown_count();
        let ok = self.sent.saturating_sub(failed + unknown);
        write!(
            f,
            "{} messages in {} sends: {ok} ok, {failed} failed, {unknown} unknown, {} not sent",
            self.messages,
            self.batches,
            self.messages.saturating_sub(self.sent)
        )?;
        if let Some((index, error)) = &self.not_sent {
            write!(f, " (message {index}: {error})")?;
        }
        Ok(())
    }
}

impl Socket {
    /// Sends `count` messages in as few datagrams as the options allow and
    /// collects a result for each ([`BulkReport`]).
    ///
    /// The kernel runs every message of a datagram in order, and a failing
    /// message does not stop the ones after it; it answers every failing
    /// message with an error, ACK or not. So with [`Acks::PerSend`] only
    /// the last message of each send asks for an ACK, which ends that send
    /// (several sends are kept in flight); with [`Acks::None`] nothing asks
    /// for one and a barrier after the last message (an `NLMSG_NOOP` with
    /// `NLM_F_ACK`, which every family skips and acknowledges) tells when
    /// all replies are in. Replies are matched by sequence number.
    ///
    /// `encode(index, buf)` writes message `index` (one whole message, e.g.
    /// with [`nl_core::route::route::new_route`]) at the start of `buf` and
    /// returns its length. It is called for 0, 1, 2… in order. When it
    /// returns [`nl_core::Error::NoRoom`], the send is full and the same
    /// index is encoded again into the next one. Any other error (or
    /// `NoRoom` in an empty send, or output that is not exactly one
    /// well-formed message) stops encoding: that message and the ones
    /// after it are not sent ([`BulkReport::not_sent`]); the replies of
    /// everything sent are still collected.
    ///
    /// The socket rewrites each message's header: its sequence number
    /// (from [`Socket::next_seq`]; the counter is advanced past every
    /// number used), `NLM_F_REQUEST` set, `NLM_F_ACK` set only where
    /// [`BulkOptions::acks`] says.
    ///
    /// Before starting, the kernel's receive queue is grown (with
    /// `SO_RCVBUFFORCE`, else up to `rmem_max`) to hold the replies of
    /// [`BulkOptions::sends_in_flight`] sends whose every message fails, and
    /// the receive buffer to hold the largest error reply. A queue overrun
    /// is not an error: the queue is read empty, a barrier is sent, and the
    /// messages whose replies may have been lost are reported
    /// [`Outcome::Unknown`] (never `Ok`).
    ///
    /// Errors: [`Error::InvalidRequest`] for options that cannot work (a
    /// zero limit, a send smaller than a header, more than `2^32 - 256`
    /// messages); send and receive errors, and a malformed reply, stop the
    /// bulk at once. After such an error replies of the bulk may still be
    /// queued on the socket (the next exchange would report them as
    /// unexpected): open a new socket for further work.
    pub fn bulk(
        &mut self,
        count: usize,
        options: &BulkOptions,
        mut encode: impl FnMut(usize, &mut [u8]) -> Result<usize, nl_core::Error>,
    ) -> Result<BulkReport, Error> {
        run(self, count, options, &mut encode, |socket, bulk| {
            socket.drive_bulk(bulk)
        })
    }

    /// The blocking driver: send while the window is open, read without
    /// waiting between sends, wait when nothing can be sent.
    fn drive_bulk(&mut self, bulk: &mut Bulk<'_>) -> Result<(), Error> {
        let mut spare = None;
        loop {
            // Read the queue empty first: after an overrun the barrier must
            // go out only once the queue is empty, or its ACK is dropped too.
            loop {
                match self.try_recv_datagram() {
                    Ok(Some((len, sender))) => {
                        bulk.datagram(self.buf.get(..len).unwrap_or_default(), sender)?
                    }
                    Ok(None) => break,
                    Err(Error::Overrun) => bulk.overrun(),
                    Err(e) => return Err(e),
                }
            }
            if bulk.done() {
                return Ok(());
            }
            let mut batch = match spare.take() {
                Some(batch) => batch,
                None => bulk.take_free().unwrap_or_else(|| bulk.new_batch()),
            };
            if bulk.fill(&mut batch) {
                self.send(batch.bytes())?;
                bulk.sent(batch);
                continue;
            }
            spare = Some(batch);
            if bulk.done() {
                // Encoding stopped in that fill, with nothing in flight.
                return Ok(());
            }
            match self.recv_datagram() {
                Ok((len, sender)) => {
                    bulk.datagram(self.buf.get(..len).unwrap_or_default(), sender)?
                }
                Err(Error::Overrun) => bulk.overrun(),
                Err(e) => return Err(e),
            }
        }
    }
}

/// Runs a bulk write on `socket` with the driver `drive`: sizes the
/// socket's receive queue and buffer for the options, takes the sequence
/// numbers, hands the state machine to `drive` (which returns once
/// [`Bulk::done`], or with the error that stopped it), moves the socket's
/// sequence counter past the numbers used and makes the report.
pub(crate) fn run(
    socket: &mut Socket,
    count: usize,
    options: &BulkOptions,
    encode: &mut Encode<'_>,
    drive: impl FnOnce(&mut Socket, &mut Bulk<'_>) -> Result<(), Error>,
) -> Result<BulkReport, Error> {
    let base = socket.next_seq();
    let mut bulk = Bulk::new(count, base, socket.port, options, encode)?;
    let queue = Bulk::recv_queue_bytes(options);
    if socket.recv_queue_size()? < queue {
        // The kernel doubles what it is given.
        socket.force_recv_queue_size(queue.div_ceil(2))?;
    }
    let largest_reply = options.send_bytes.saturating_add(MAX_ERROR_OVERHEAD);
    if socket.recv_buffer_len() < largest_reply {
        socket.set_recv_buffer_len(largest_reply);
    }
    let result = drive(socket, &mut bulk);
    // `base` came from next_seq; take the others the bulk used.
    for _ in 1..bulk.seqs_used() {
        socket.next_seq();
    }
    result?;
    Ok(bulk.finish())
}

/// The message source: writes message `index` at the start of the buffer
/// and returns its length (see [`Socket::bulk`]).
pub(crate) type Encode<'e> = dyn FnMut(usize, &mut [u8]) -> Result<usize, nl_core::Error> + 'e;

/// Sequence numbers reserved for barriers, after the messages'.
const BARRIER_SEQS: usize = 256;

/// Bytes an error reply adds to the request it echoes: its header, the
/// error code and the extended ACK (message text, offset, policy, cookie),
/// with room to spare.
const MAX_ERROR_OVERHEAD: usize = 4096;

/// Receive queue cost of one reply beyond twice its echo: the skb's
/// bookkeeping and allocation rounding, the error header and extended ACK.
const REPLY_TRUESIZE: usize = 2048;

/// Receive queue room for barrier ACKs.
const BARRIER_SLACK: usize = 4 * REPLY_TRUESIZE;

/// Offset of `nlmsg_flags` (u16) in the header.
const FLAGS_AT: usize = 6;
/// Offset of `nlmsg_seq` (u32) in the header.
const SEQ_AT: usize = 8;

/// One send: an owned buffer of messages packed by [`Bulk::fill`].
#[derive(Debug)]
pub(crate) struct Batch {
    buf: Vec<u8>,
    /// Bytes used (the last message without its trailing padding).
    len: usize,
    /// Index of the first message.
    first: usize,
    /// Where each message starts.
    offsets: Vec<u32>,
}

impl Batch {
    /// An empty batch of `capacity` bytes.
    pub(crate) fn new(capacity: usize) -> Self {
        Batch {
            buf: vec![0; capacity],
            len: 0,
            first: 0,
            offsets: Vec::new(),
        }
    }

    /// The datagram to send.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    /// Messages in the batch (the barrier not counted).
    fn count(&self) -> usize {
        self.offsets.len()
    }

    fn clear(&mut self) {
        self.len = 0;
        self.first = 0;
        self.offsets.clear();
    }

    /// Message `index` as sent (its padding may follow).
    fn message(&self, index: usize) -> Option<&[u8]> {
        let k = index.checked_sub(self.first)?;
        let start = usize::try_from(*self.offsets.get(k)?).ok()?;
        let end = match self.offsets.get(k + 1) {
            Some(next) => usize::try_from(*next).ok()?,
            None => self.len,
        };
        self.buf.get(start..end)
    }

    /// Appends a barrier with sequence number `seq`, if it fits.
    fn push_barrier(&mut self, seq: u32) -> bool {
        let Some(start) = align(self.len) else {
            return false;
        };
        let Some(room) = self.buf.get_mut(start..start + Header::LEN) else {
            return false;
        };
        let mut w = Writer::new(room);
        let noop = Header::new(nlmsg::NOOP, Flags::REQUEST | Flags::ACK, seq, 0);
        let written = w.begin_message(noop).and_then(|m| w.end_message(m));
        if written.is_err() {
            return false;
        }
        if let Some(padding) = self.buf.get_mut(self.len..start) {
            padding.fill(0);
        }
        self.len = start + Header::LEN;
        true
    }
}

/// A send whose replies are not all in ([`Acks::PerSend`]).
#[derive(Debug)]
struct InFlight {
    first: usize,
    count: usize,
    /// An overrun was reported while it was in flight: replies of it may
    /// be lost, so its messages without an error reply are unknown.
    suspect: bool,
    /// The bytes as sent, once the driver gave them back.
    batch: Option<Batch>,
}

impl InFlight {
    fn last(&self) -> usize {
        self.first + self.count - 1
    }

    fn range(&self) -> Range<usize> {
        self.first..self.first + self.count
    }
}

/// A barrier sent, awaiting its ACK.
#[derive(Clone, Copy, Debug)]
struct Barrier {
    seq: u32,
    /// Messages packed before it: `0..covers`.
    covers: usize,
    /// Overruns reported when it was packed.
    generation: usize,
}

/// The bulk write as a pure state machine: packs messages into batches,
/// matches replies to messages, and tells the driver what to do next.
///
/// The contract:
/// - Take a batch ([`Bulk::take_free`], else [`Bulk::new_batch`]) and
///   [`Bulk::fill`] it; when it returns true, send [`Batch::bytes`] as one
///   datagram, then give the batch back with [`Bulk::sent`] once the send
///   completed. Send batches in the order they were filled. When `fill`
///   returns false, nothing can be sent now (the window is full, or all is
///   sent): check [`Bulk::done`] (encoding may have just stopped), else
///   receive. Replies may arrive before `sent` (their errors are then
///   named from the kernel's echo).
/// - Hand every received datagram to [`Bulk::datagram`], and every
///   `ENOBUFS` to [`Bulk::overrun`]. After an overrun, read the socket's
///   queue empty before the next `fill` (it packs a barrier, whose ACK
///   would be dropped while the queue is still full).
/// - Loop until [`Bulk::done`], then [`Bulk::finish`].
pub(crate) struct Bulk<'e> {
    encode: &'e mut Encode<'e>,
    total: usize,
    base: u32,
    port: u32,
    acks: Acks,
    per_send: usize,
    send_bytes: usize,
    window: usize,
    layout: Option<RequestLayout>,
    /// The next message to encode: `0..next` are packed.
    next: usize,
    /// Encoding stopped at this message.
    stop: Option<(usize, nl_core::Error)>,
    /// [`Acks::None`]: the final barrier is packed.
    final_barrier: bool,
    /// Batches filled and not yet given back by [`Bulk::sent`].
    unsent: usize,
    sent: usize,
    batches: usize,
    in_flight: VecDeque<InFlight>,
    barriers: VecDeque<Barrier>,
    /// Barriers packed so far (their sequence numbers cycle).
    barriers_packed: usize,
    /// Overruns reported when the last barrier was packed.
    barrier_generation: usize,
    overruns: usize,
    /// [`Acks::None`]: messages `0..resolved` have their outcome.
    resolved: usize,
    /// [`Acks::None`]: overruns accounted for when `resolved` last moved.
    resolved_generation: usize,
    failures: Vec<Failure>,
    /// Ranges whose replies may be lost (failures are taken out at the end).
    unknown: Vec<Range<usize>>,
    replies: usize,
    unexpected: usize,
    foreign: usize,
    free: Vec<Batch>,
}

impl<'e> Bulk<'e> {
    /// Starts a bulk write of `total` messages numbered from `base_seq`, on
    /// a socket bound to `port`.
    pub(crate) fn new(
        total: usize,
        base_seq: u32,
        port: u32,
        options: &BulkOptions,
        encode: &'e mut Encode<'e>,
    ) -> Result<Self, Error> {
        if options.messages_per_send == 0 {
            return Err(Error::InvalidRequest(
                "messages_per_send must be at least 1",
            ));
        }
        if options.sends_in_flight == 0 {
            return Err(Error::InvalidRequest("sends_in_flight must be at least 1"));
        }
        if options.send_bytes < Header::LEN || u32::try_from(options.send_bytes).is_err() {
            return Err(Error::InvalidRequest(
                "send_bytes must hold a message header and fit in 32 bits",
            ));
        }
        // Every message and barrier needs its own sequence number.
        let seqs = u64::try_from(total)
            .ok()
            .and_then(|t| t.checked_add(BARRIER_SEQS as u64));
        if seqs.is_none_or(|s| s > 1 << 32) {
            return Err(Error::InvalidRequest(
                "too many messages for the sequence number space",
            ));
        }
        Ok(Bulk {
            encode,
            total,
            base: base_seq,
            port,
            acks: options.acks,
            per_send: options.messages_per_send,
            send_bytes: options.send_bytes,
            window: options.sends_in_flight,
            layout: options.layout,
            next: 0,
            stop: None,
            final_barrier: false,
            unsent: 0,
            sent: 0,
            batches: 0,
            in_flight: VecDeque::new(),
            barriers: VecDeque::new(),
            barriers_packed: 0,
            barrier_generation: 0,
            overruns: 0,
            resolved: 0,
            resolved_generation: 0,
            failures: Vec::new(),
            unknown: Vec::new(),
            replies: 0,
            unexpected: 0,
            foreign: 0,
            free: Vec::new(),
        })
    }

    /// The receive queue size (`SO_RCVBUF` as the kernel reports it, after
    /// doubling) that holds the replies of `sends_in_flight` sends in the
    /// worst case: every message fails, each error echoing its request
    /// with an extended ACK, in its own kernel buffer.
    pub(crate) fn recv_queue_bytes(options: &BulkOptions) -> usize {
        let per_send = options
            .send_bytes
            .saturating_mul(2)
            .saturating_add(options.messages_per_send.saturating_mul(REPLY_TRUESIZE));
        options
            .sends_in_flight
            .saturating_mul(per_send)
            .saturating_add(BARRIER_SLACK)
    }

    /// A new, empty batch sized for the options.
    pub(crate) fn new_batch(&self) -> Batch {
        Batch::new(self.send_bytes)
    }

    /// A batch whose replies are all in, for reuse.
    pub(crate) fn take_free(&mut self) -> Option<Batch> {
        self.free.pop()
    }

    /// Sequence numbers used from the base on (the socket's counter moves
    /// past them).
    pub(crate) fn seqs_used(&self) -> usize {
        if self.barriers_packed > 0 {
            self.total + self.barriers_packed.min(BARRIER_SEQS)
        } else {
            self.next
        }
    }

    /// Sends whose replies are awaited (batches and barriers). With
    /// [`Acks::None`] sends of messages are not tracked, only barriers.
    #[cfg_attr(not(test), allow(dead_code))] // for the ring driver
    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight.len() + self.barriers.len()
    }

    /// Everything is packed, sent, and all replies are in.
    pub(crate) fn done(&self) -> bool {
        let packed = self.next >= self.total || self.stop.is_some();
        let final_barrier = self.acks == Acks::PerSend || self.next == 0 || self.final_barrier;
        packed
            && final_barrier
            && self.unsent == 0
            && self.in_flight.is_empty()
            && self.barriers.is_empty()
            && !self.barrier_needed()
    }

    fn barrier_needed(&self) -> bool {
        self.overruns > self.barrier_generation
    }

    fn packing_done(&self) -> bool {
        self.next >= self.total || self.stop.is_some()
    }

    /// Packs the next messages into `batch` (emptied first), or a barrier
    /// after an overrun, or the final barrier with [`Acks::None`]. False
    /// when there is nothing to send now: all is packed, or
    /// [`BulkOptions::sends_in_flight`] sends await their ACK (with
    /// [`Acks::None`]: have been filled and not yet passed to
    /// [`Bulk::sent`]; barriers do not count).
    pub(crate) fn fill(&mut self, batch: &mut Batch) -> bool {
        batch.clear();
        if batch.buf.len() < self.send_bytes {
            batch.buf.resize(self.send_bytes, 0);
        }
        if self.barrier_needed() {
            if self.barriers.len() >= BARRIER_SEQS {
                return false;
            }
            batch.first = self.next;
            if self.acks == Acks::None && self.packing_done() {
                self.final_barrier = true;
            }
            self.push_barrier(batch);
            self.unsent += 1;
            return true;
        }
        if self.packing_done() {
            if self.acks == Acks::None && self.next > 0 && !self.final_barrier {
                batch.first = self.next;
                self.final_barrier = true;
                self.push_barrier(batch);
                self.unsent += 1;
                return true;
            }
            return false;
        }
        // Sends await their ACK; without ACKs, only the sends themselves.
        let window = match self.acks {
            Acks::PerSend => self.in_flight.len(),
            Acks::None => self.unsent,
        };
        if window >= self.window {
            return false;
        }
        self.pack(batch);
        if self.acks == Acks::PerSend {
            if let Some(start) = batch.offsets.last().and_then(|s| usize::try_from(*s).ok()) {
                patch_flags(&mut batch.buf, start, |f| f | Flags::ACK.bits());
            }
            if batch.count() > 0 {
                self.in_flight.push_back(InFlight {
                    first: batch.first,
                    count: batch.count(),
                    suspect: false,
                    batch: None,
                });
            }
        } else if self.packing_done() && self.next > 0 && self.barriers.len() < BARRIER_SEQS {
            // The final barrier rides in the last send when it fits.
            let seq = self.barrier_seq();
            if batch.push_barrier(seq) {
                self.register_barrier(seq);
                self.final_barrier = true;
            }
        }
        if batch.len == 0 {
            return false;
        }
        self.unsent += 1;
        true
    }

    /// Encodes messages into `batch` until it is full or encoding stops.
    fn pack(&mut self, batch: &mut Batch) {
        batch.first = self.next;
        while self.next < self.total && self.stop.is_none() && batch.count() < self.per_send {
            let Some(start) = align(batch.len).filter(|s| *s < self.send_bytes) else {
                break;
            };
            let full_if_no_room = batch.count() > 0;
            let Some(room) = batch.buf.get_mut(start..self.send_bytes) else {
                break;
            };
            let written = match (self.encode)(self.next, room) {
                Err(nl_core::Error::NoRoom { .. }) if full_if_no_room => break,
                Err(e) => Err(e),
                Ok(n) => check_message(room, n),
            };
            let len = match written {
                Ok(len) => len,
                Err(e) => {
                    self.stop = Some((self.next, e));
                    break;
                }
            };
            let seq = self.seq_of(self.next);
            if let Some(field) = room.get_mut(SEQ_AT..SEQ_AT + 4) {
                field.copy_from_slice(&seq.to_ne_bytes());
            }
            patch_flags(room, 0, |f| {
                (f | Flags::REQUEST.bits()) & !Flags::ACK.bits()
            });
            if let Some(padding) = batch.buf.get_mut(batch.len..start) {
                padding.fill(0);
            }
            // start < send_bytes, which fits in u32 (checked in new).
            batch.offsets.push(u32::try_from(start).unwrap_or(u32::MAX));
            batch.len = start + len;
            self.next += 1;
        }
    }

    fn seq_of(&self, index: usize) -> u32 {
        // Truncation is the wrap-around: new() checked the range fits.
        self.base.wrapping_add(index as u32)
    }

    fn barrier_seq(&self) -> u32 {
        let k = self.barriers_packed % BARRIER_SEQS;
        self.seq_of(self.total).wrapping_add(k as u32)
    }

    /// Appends a barrier to `batch`, which must be empty.
    fn push_barrier(&mut self, batch: &mut Batch) {
        let seq = self.barrier_seq();
        // An empty batch holds a header: new() checked send_bytes.
        batch.push_barrier(seq);
        self.register_barrier(seq);
    }

    fn register_barrier(&mut self, seq: u32) {
        self.barriers.push_back(Barrier {
            seq,
            covers: self.next,
            generation: self.overruns,
        });
        self.barriers_packed += 1;
        self.barrier_generation = self.overruns;
    }

    /// `batch`, filled by [`Bulk::fill`], was sent whole: the kernel took
    /// the datagram (a netlink send runs every message before it returns,
    /// so its replies are queued by then). With [`Acks::None`] this is
    /// what paces the sends: call it when the send completed.
    pub(crate) fn sent(&mut self, batch: Batch) {
        self.unsent = self.unsent.saturating_sub(1);
        self.batches += 1;
        self.sent += batch.count();
        if self.acks == Acks::PerSend && batch.count() > 0 {
            let first = batch.first;
            if let Some(record) = self.in_flight.iter_mut().find(|r| r.first == first) {
                record.batch = Some(batch);
                return;
            }
        }
        self.recycle(batch);
    }

    fn recycle(&mut self, batch: Batch) {
        if self.free.len() <= self.window {
            self.free.push(batch);
        }
    }

    /// A reply may have been lost (`ENOBUFS` on receive): the next
    /// [`Bulk::fill`] packs a barrier. Read the queue empty before it.
    pub(crate) fn overrun(&mut self) {
        self.overruns += 1;
        for record in &mut self.in_flight {
            record.suspect = true;
        }
    }

    /// One received datagram from port `sender`. Datagrams from anyone but
    /// the kernel are counted ([`BulkReport::foreign`]) and not processed;
    /// messages that are not replies to the bulk are counted
    /// ([`BulkReport::unexpected`]). A malformed message is an error: the
    /// rest of its datagram is lost, so the bulk cannot go on.
    pub(crate) fn datagram(&mut self, datagram: &[u8], sender: u32) -> Result<(), Error> {
        if check_sender(sender, Senders::Kernel).is_err() {
            self.foreign += 1;
            return Ok(());
        }
        for message in Messages::new(datagram) {
            self.message(message?)?;
        }
        Ok(())
    }

    fn message(&mut self, message: Message<'_>) -> Result<(), Error> {
        let reply = Reply::classify(message)?;
        if let Reply::Overrun(_) = reply {
            self.overrun();
            return Ok(());
        }
        if message.pid() != self.port {
            self.unexpected += 1;
            return Ok(());
        }
        let offset = message.seq().wrapping_sub(self.base) as usize;
        if offset < self.total {
            if offset >= self.next {
                self.unexpected += 1;
                return Ok(());
            }
            match reply {
                Reply::Data(_) | Reply::Done(_) => self.replies += 1,
                Reply::Ack(_) => self.acked(offset),
                Reply::Error(ack) => self.failed(offset, &ack),
                Reply::Noop(_) | Reply::Overrun(_) => self.unexpected += 1,
            }
        } else if offset - self.total < BARRIER_SEQS {
            match reply {
                Reply::Ack(_) | Reply::Error(_) => self.barrier_reached(message.seq()),
                _ => self.unexpected += 1,
            }
        } else {
            self.unexpected += 1;
        }
        Ok(())
    }

    /// The in-flight send holding message `index`.
    fn record_of(&self, index: usize) -> Option<usize> {
        let at = self.in_flight.partition_point(|r| r.last() < index);
        self.in_flight
            .get(at)
            .filter(|r| r.range().contains(&index))
            .map(|_| at)
    }

    fn acked(&mut self, index: usize) {
        match self.record_of(index) {
            Some(at) if self.in_flight.get(at).is_some_and(|r| r.last() == index) => {
                self.complete(at)
            }
            _ => self.unexpected += 1,
        }
    }

    fn failed(&mut self, index: usize, ack: &Ack<'_>) {
        let record = self.record_of(index);
        if self.acks == Acks::PerSend && record.is_none() {
            // Its send is complete: no reply can follow its end.
            self.unexpected += 1;
            return;
        }
        let kept = record
            .and_then(|at| self.in_flight.get(at))
            .and_then(|r| r.batch.as_ref())
            .and_then(|b| b.message(index));
        // The echo: the request's header and whatever of its payload came.
        let echo_len = Header::LEN + ack.request_payload.len();
        let echoed = ack
            .message
            .payload()
            .get(4..4 + echo_len)
            .unwrap_or_default();
        let request = kept.unwrap_or(echoed);
        let error = KernelError::new(
            ack.errno(),
            ack.message.seq(),
            false,
            &ack.ext,
            request,
            self.layout,
        );
        self.failures.push(Failure { index, error });
        if let Some(at) = record {
            if self.in_flight.get(at).is_some_and(|r| r.last() == index) {
                self.complete(at);
            }
        }
    }

    /// The send at `at` got its final reply.
    fn complete(&mut self, at: usize) {
        if let Some(record) = self.in_flight.remove(at) {
            if record.suspect {
                self.unknown.push(record.range());
            }
            if let Some(batch) = record.batch {
                self.recycle(batch);
            }
        }
    }

    fn barrier_reached(&mut self, seq: u32) {
        let Some(at) = self.barriers.iter().position(|b| b.seq == seq) else {
            self.unexpected += 1;
            return;
        };
        // Barriers before it lost their ACK; it covers what they covered.
        let mut reached = None;
        for _ in 0..=at {
            reached = self.barriers.pop_front();
        }
        let Some(barrier) = reached else { return };
        // Sends before the barrier whose final reply never came: lost.
        while self
            .in_flight
            .front()
            .is_some_and(|r| r.first < barrier.covers)
        {
            if let Some(record) = self.in_flight.pop_front() {
                self.unknown.push(record.range());
                if let Some(batch) = record.batch {
                    self.recycle(batch);
                }
            }
        }
        if self.acks == Acks::None && barrier.covers > self.resolved {
            if self.overruns > self.resolved_generation {
                self.unknown.push(self.resolved..barrier.covers);
            }
            self.resolved = barrier.covers;
            self.resolved_generation = self.resolved_generation.max(barrier.generation);
        }
    }

    /// The report. Called before [`Bulk::done`], messages sent without a
    /// known outcome are [`Outcome::Unknown`].
    pub(crate) fn finish(mut self) -> BulkReport {
        for record in std::mem::take(&mut self.in_flight) {
            self.unknown.push(record.range());
        }
        if self.acks == Acks::None && self.resolved < self.sent {
            self.unknown.push(self.resolved..self.sent);
        }
        let mut failures = self.failures;
        failures.sort_by_key(|f| f.index);
        failures.dedup_by_key(|f| f.index);
        let unknown = without_failures(self.unknown, &failures);
        BulkReport {
            messages: self.total,
            sent: self.sent,
            batches: self.batches,
            failures,
            unknown,
            not_sent: self.stop,
            replies: self.replies,
            unexpected: self.unexpected,
            foreign: self.foreign,
            overruns: self.overruns,
        }
    }
}

/// Checks that the encoder wrote exactly one well-formed message of `n`
/// bytes (its padding may be included) at the start of `room`; returns its
/// length.
fn check_message(room: &[u8], n: usize) -> Result<usize, nl_core::Error> {
    let written = room.get(..n).ok_or(nl_core::Error::BadLength)?;
    let len = Message::parse(written)?.len();
    if align(len).is_none_or(|padded| n > padded) {
        return Err(nl_core::Error::BadLength);
    }
    Ok(len)
}

fn patch_flags(buf: &mut [u8], start: usize, f: impl FnOnce(u16) -> u16) {
    if let Some(field) = buf.get_mut(start + FLAGS_AT..start + FLAGS_AT + 2) {
        let mut bytes = [0u8; 2];
        bytes.copy_from_slice(field);
        field.copy_from_slice(&f(u16::from_ne_bytes(bytes)).to_ne_bytes());
    }
}

/// Sorts and merges `ranges`, then takes the failed indices out.
fn without_failures(mut ranges: Vec<Range<usize>>, failures: &[Failure]) -> Vec<Range<usize>> {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let mut out = Vec::with_capacity(merged.len());
    for range in merged {
        let mut start = range.start;
        let from = failures.partition_point(|f| f.index < range.start);
        for failure in failures.get(from..).unwrap_or_default() {
            if failure.index >= range.end {
                break;
            }
            if failure.index > start {
                out.push(start..failure.index);
            }
            start = failure.index + 1;
        }
        if start < range.end {
            out.push(start..range.end);
        }
    }
    out
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
#[allow(clippy::single_range_in_vec_init)] // expected unknown ranges
mod tests {
    use super::*;
    use nl_core::errno::Errno;

    const BASE: u32 = 100;
    const PORT: u32 = 4242;

    nl_core::attr_set! {
        /// The test messages' attribute set, for offset mapping.
        struct Demo = "demo" {
            1 NAME "name": nl_core::table::Str<0>;
            2 MTU "mtu": u32;
        }
    }

    fn layout() -> RequestLayout {
        RequestLayout {
            header_len: 4,
            attrs: <Demo as nl_core::table::AttrSet>::table(),
        }
    }

    /// Message `index` as the test encoder writes it: 36 bytes, type 0x10,
    /// `NLM_F_ACK` set (the bulk clears it), seq 0, a 4-byte family header
    /// holding the index, then `name = "ab"` (offset 20) and `mtu = 9`
    /// (offset 28).
    fn encode_demo(index: usize, buf: &mut [u8]) -> Result<usize, nl_core::Error> {
        let mut w = Writer::new(buf);
        w.ensure_room(36)?;
        let start = w.begin_message(Header::new(0x10, Flags::ACK, 0, 0))?;
        w.put_bytes(&(index as u32).to_ne_bytes())?;
        w.attr(1, b"ab\0")?;
        w.attr(2, &9u32.to_ne_bytes())?;
        w.end_message(start)
    }

    fn options(acks: Acks, per_send: usize) -> BulkOptions {
        BulkOptions {
            acks,
            messages_per_send: per_send,
            send_bytes: 4096,
            sends_in_flight: 4,
            layout: Some(layout()),
        }
    }

    /// Headers of the messages in one datagram: (len, type, flags, seq).
    fn headers(datagram: &[u8]) -> Vec<(usize, u16, u16, u32)> {
        Messages::new(datagram)
            .map(|m| {
                let m = m.unwrap();
                (m.len(), m.ty(), m.flags().bits(), m.seq())
            })
            .collect()
    }

    /// An `NLMSG_ERROR` to our port answering `request` (the message as
    /// sent): `code`, the whole request echoed, then `tlvs`.
    fn error_reply(code: i32, request: &[u8], tlvs: &[u8]) -> Vec<u8> {
        let request = &request[..Message::parse(request).unwrap().len()];
        let seq = Message::parse(request).unwrap().seq();
        let capped = code == 0;
        let echo = if capped { &request[..16] } else { request };
        let mut flags = if capped { Flags::CAPPED } else { Flags::NONE };
        if !tlvs.is_empty() {
            flags |= Flags::ACK_TLVS;
        }
        let mut buf = vec![0u8; 4096];
        let mut w = Writer::new(&mut buf);
        let start = w
            .begin_message(Header::new(nlmsg::ERROR, flags, seq, PORT))
            .unwrap();
        w.put_bytes(&code.to_ne_bytes()).unwrap();
        w.put_bytes(echo).unwrap();
        w.put_bytes(tlvs).unwrap();
        let len = w.end_message(start).unwrap();
        buf.truncate(len);
        buf
    }

    fn tlv(ty: u16, payload: &[u8]) -> Vec<u8> {
        let mut buf = vec![0u8; 64];
        let mut w = Writer::new(&mut buf);
        w.attr(ty, payload).unwrap();
        let n = w.len();
        buf.truncate(n);
        buf
    }

    /// What the kernel does with one datagram: every message runs; a
    /// failing one (`fail(index)` gives its errno) is answered with an
    /// error, a successful one with `NLM_F_ACK` with an ACK. One reply per
    /// datagram, as the kernel sends them.
    fn kernel(datagram: &[u8], fail: &dyn Fn(usize) -> Option<i32>) -> Vec<Vec<u8>> {
        let mut replies = Vec::new();
        let mut at = 0;
        for m in Messages::new(datagram) {
            let m = m.unwrap();
            let request = &datagram[at..at + m.len()];
            at += align(m.len()).unwrap();
            let index = m.seq().wrapping_sub(BASE) as usize;
            let errno = if m.ty() == nlmsg::NOOP {
                None
            } else {
                fail(index)
            };
            match errno {
                Some(e) => replies.push(error_reply(-e, request, &[])),
                None if m.flags().contains(Flags::ACK) => {
                    replies.push(error_reply(0, request, &[]))
                }
                None => {}
            }
        }
        replies
    }

    /// Runs a bulk against [`kernel`] the way the blocking driver does;
    /// `lose(n)` says whether the `n`th reply (from 0) is dropped by an
    /// overflowing queue, which the driver then sees as one overrun.
    fn simulate(
        bulk: &mut Bulk<'_>,
        fail: &dyn Fn(usize) -> Option<i32>,
        lose: &dyn Fn(usize) -> bool,
    ) -> Vec<Vec<u8>> {
        let mut queue: VecDeque<Vec<u8>> = VecDeque::new();
        let mut sends = Vec::new();
        let mut replies = 0;
        let mut congested = false;
        for _ in 0..100_000 {
            while let Some(d) = queue.pop_front() {
                bulk.datagram(&d, 0).unwrap();
            }
            if congested {
                bulk.overrun();
                congested = false;
                continue;
            }
            if bulk.done() {
                return sends;
            }
            let mut batch = bulk.take_free().unwrap_or_else(|| bulk.new_batch());
            if !bulk.fill(&mut batch) {
                assert!(bulk.done(), "blocked with nothing in flight");
                return sends;
            }
            for reply in kernel(batch.bytes(), fail) {
                if lose(replies) {
                    congested = true;
                } else {
                    queue.push_back(reply);
                }
                replies += 1;
            }
            sends.push(batch.bytes().to_vec());
            bulk.sent(batch);
        }
        panic!("no end");
    }

    fn never(_: usize) -> bool {
        false
    }

    fn report(
        total: usize,
        options: &BulkOptions,
        fail: &dyn Fn(usize) -> Option<i32>,
        lose: &dyn Fn(usize) -> bool,
    ) -> (BulkReport, Vec<Vec<u8>>) {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(total, BASE, PORT, options, &mut encode).unwrap();
        let sends = simulate(&mut bulk, fail, lose);
        (bulk.finish(), sends)
    }

    #[test]
    fn seq_and_flags_are_patched_and_only_the_last_message_asks_for_an_ack() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(3, BASE, PORT, &options(Acks::PerSend, 2), &mut encode).unwrap();
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        #[rustfmt::skip]
        let expected: [u8; 72] = [
            0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
            0x10, 0x00,             // nlmsg_type = 0x10
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST (the encoder's ACK cleared)
            0x64, 0x00, 0x00, 0x00, // nlmsg_seq = 100 (base + 0)
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x00, 0x00, 0x00, 0x00, // family header: index 0
            0x07, 0x00, 0x01, 0x00, // nla_len = 7, name
            b'a', b'b', 0x00, 0x00, // "ab\0" + 1 padding
            0x08, 0x00, 0x02, 0x00, // nla_len = 8, mtu
            0x09, 0x00, 0x00, 0x00, // 9
            0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
            0x10, 0x00,             // nlmsg_type = 0x10
            0x05, 0x00,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK: last of the send
            0x65, 0x00, 0x00, 0x00, // nlmsg_seq = 101 (base + 1)
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x01, 0x00, 0x00, 0x00, // family header: index 1
            0x07, 0x00, 0x01, 0x00, // nla_len = 7, name
            b'a', b'b', 0x00, 0x00, // "ab\0" + 1 padding
            0x08, 0x00, 0x02, 0x00, // nla_len = 8, mtu
            0x09, 0x00, 0x00, 0x00, // 9
        ];
        assert_eq!(batch.bytes(), expected);
        bulk.sent(batch);
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        assert_eq!(headers(batch.bytes()), [(36, 0x10, 0x05, 102)]);

        // Fire and forget: no ACK anywhere, the final barrier rides along.
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(2, BASE, PORT, &options(Acks::None, 8), &mut encode).unwrap();
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        #[rustfmt::skip]
        let barrier: [u8; 16] = [
            0x10, 0x00, 0x00, 0x00, // nlmsg_len = 16
            0x01, 0x00,             // nlmsg_type = NLMSG_NOOP
            0x05, 0x00,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
            0x66, 0x00, 0x00, 0x00, // nlmsg_seq = 102: the first barrier number (base + 2 messages)
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        ];
        assert_eq!(batch.bytes()[72..], barrier);
        assert_eq!(
            headers(batch.bytes()),
            [
                (36, 0x10, 0x01, 100),
                (36, 0x10, 0x01, 101),
                (16, 1, 0x05, 102)
            ]
        );
    }

    #[test]
    fn packing_respects_message_count_and_byte_limits() {
        let (r, sends) = report(10, &options(Acks::PerSend, 4), &|_| None, &never);
        let counts: Vec<usize> = sends.iter().map(|s| headers(s).len()).collect();
        assert_eq!(counts, [4, 4, 2]);
        assert!(r.all_ok());
        assert_eq!((r.sent, r.batches), (10, 3));

        // 100 bytes hold two 36-byte messages (the third needs 108).
        let mut o = options(Acks::PerSend, 64);
        o.send_bytes = 100;
        let (r, sends) = report(5, &o, &|_| None, &never);
        let counts: Vec<usize> = sends.iter().map(|s| headers(s).len()).collect();
        assert_eq!(counts, [2, 2, 1]);
        assert!(sends.iter().all(|s| s.len() <= 100));
        assert!(r.all_ok(), "{r}");
    }

    #[test]
    fn no_room_encodes_the_same_index_again_in_the_next_send() {
        let mut calls = Vec::new();
        let mut o = options(Acks::PerSend, 64);
        o.send_bytes = 100;
        let mut encode = |i: usize, buf: &mut [u8]| {
            calls.push(i);
            encode_demo(i, buf)
        };
        let mut bulk = Bulk::new(3, BASE, PORT, &o, &mut encode).unwrap();
        simulate(&mut bulk, &|_| None, &never);
        let r = bulk.finish();
        assert!(r.all_ok());
        assert_eq!(calls, [0, 1, 2, 2], "index 2 did not fit the first send");
    }

    #[test]
    fn a_message_larger_than_a_send_stops_encoding() {
        let mut o = options(Acks::PerSend, 64);
        o.send_bytes = 100;
        let mut encode = |i: usize, buf: &mut [u8]| {
            if i == 3 {
                // A message of 200 bytes.
                return Err(nl_core::Error::NoRoom { needed: 200 });
            }
            encode_demo(i, buf)
        };
        let mut bulk = Bulk::new(6, BASE, PORT, &o, &mut encode).unwrap();
        simulate(&mut bulk, &|_| None, &never);
        let r = bulk.finish();
        assert_eq!(
            r.not_sent,
            Some((3, nl_core::Error::NoRoom { needed: 200 }))
        );
        assert_eq!(r.sent, 3);
        let outcomes: Vec<Outcome<'_>> = r.outcomes().collect();
        assert_eq!(
            outcomes,
            [
                Outcome::Ok,
                Outcome::Ok,
                Outcome::Ok,
                Outcome::NotSent,
                Outcome::NotSent,
                Outcome::NotSent
            ]
        );
        assert!(!r.all_ok());
        assert_eq!(
            r.to_string(),
            "6 messages in 2 sends: 3 ok, 0 failed, 0 unknown, 3 not sent \
             (message 3: output buffer too small (200 bytes needed))"
        );
    }

    #[test]
    fn bad_encoder_output_stops_encoding() {
        type Bad = fn(usize, &mut [u8]) -> Result<usize, nl_core::Error>;
        let cases: [(Bad, nl_core::Error); 5] = [
            // Claims more bytes than it was given.
            (|_, buf| Ok(buf.len() + 1), nl_core::Error::BadLength),
            // Less than a header.
            (|_, _| Ok(10), nl_core::Error::Truncated),
            // A header claiming 36 bytes, 20 returned.
            (
                |i, buf| encode_demo(i, buf).map(|_| 20),
                nl_core::Error::Truncated,
            ),
            // Two messages: 72 bytes returned for a 36-byte message.
            (
                |i, buf| {
                    let n = encode_demo(i, buf)?;
                    let (a, b) = buf.split_at_mut(n);
                    encode_demo(i, b)?;
                    let _ = a;
                    Ok(2 * n)
                },
                nl_core::Error::BadLength,
            ),
            // nlmsg_len smaller than a header.
            (
                |i, buf| {
                    let n = encode_demo(i, buf)?;
                    buf[0] = 8;
                    Ok(n)
                },
                nl_core::Error::BadLength,
            ),
        ];
        for (k, (bad, want)) in cases.into_iter().enumerate() {
            let mut encode = |i: usize, buf: &mut [u8]| {
                if i == 1 {
                    bad(i, buf)
                } else {
                    encode_demo(i, buf)
                }
            };
            let mut bulk =
                Bulk::new(3, BASE, PORT, &options(Acks::PerSend, 8), &mut encode).unwrap();
            let sends = simulate(&mut bulk, &|_| None, &never);
            let r = bulk.finish();
            assert_eq!(r.not_sent, Some((1, want)), "case {k}");
            assert_eq!(r.sent, 1, "case {k}");
            // Message 0 went alone, with its ACK.
            assert_eq!(headers(&sends[0]), [(36, 0x10, 0x05, 100)], "case {k}");
        }
        // Padding may be included in the length returned.
        let mut encode = |_: usize, buf: &mut [u8]| {
            #[rustfmt::skip]
            let odd: [u8; 20] = [
                0x13, 0x00, 0x00, 0x00, // nlmsg_len = 19
                0x10, 0x00,             // nlmsg_type = 0x10
                0x00, 0x00,             // nlmsg_flags = 0
                0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
                0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
                0x01, 0x02, 0x03,       // payload
                0xa5,                   // junk in the padding
            ];
            buf[..20].copy_from_slice(&odd);
            Ok(20)
        };
        let mut bulk = Bulk::new(2, BASE, PORT, &options(Acks::PerSend, 8), &mut encode).unwrap();
        let sends = simulate(&mut bulk, &|_| None, &never);
        assert!(bulk.finish().all_ok());
        assert_eq!(headers(&sends[0]), [(19, 0x10, 1, 100), (19, 0x10, 5, 101)]);
        assert_eq!(sends[0][19], 0, "padding zeroed");
    }

    #[test]
    fn the_ack_of_the_last_message_completes_the_send() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(2, BASE, PORT, &options(Acks::PerSend, 8), &mut encode).unwrap();
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        let sent = batch.bytes().to_vec();
        bulk.sent(batch);
        assert_eq!((bulk.in_flight(), bulk.done()), (1, false));
        #[rustfmt::skip]
        let ack: [u8; 36] = [
            0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
            0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
            0x00, 0x01,             // nlmsg_flags = NLM_F_CAPPED
            0x65, 0x00, 0x00, 0x00, // nlmsg_seq = 101: the send's last message
            0x92, 0x10, 0x00, 0x00, // nlmsg_pid = 4242 (our port)
            0x00, 0x00, 0x00, 0x00, // error = 0
            0x24, 0x00, 0x00, 0x00, // request nlmsg_len = 36
            0x10, 0x00,             // request nlmsg_type = 0x10
            0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
            0x65, 0x00, 0x00, 0x00, // request nlmsg_seq = 101
            0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
        ];
        assert_eq!(error_reply(0, &sent[36..], &[]), ack);
        bulk.datagram(&ack, 0).unwrap();
        assert_eq!((bulk.in_flight(), bulk.done()), (0, true));
        assert!(bulk.take_free().is_some(), "the batch is free again");
        let r = bulk.finish();
        assert!(r.all_ok());
        assert_eq!((r.sent, r.batches, r.unexpected), (2, 1, 0));
    }

    #[test]
    fn an_error_mid_send_is_attributed_with_its_text_and_attribute() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(3, BASE, PORT, &options(Acks::PerSend, 8), &mut encode).unwrap();
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        bulk.sent(batch);
        #[rustfmt::skip]
        let error: [u8; 76] = [
            0x4c, 0x00, 0x00, 0x00, // nlmsg_len = 76
            0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
            0x00, 0x02,             // nlmsg_flags = NLM_F_ACK_TLVS
            0x65, 0x00, 0x00, 0x00, // nlmsg_seq = 101: message 1
            0x92, 0x10, 0x00, 0x00, // nlmsg_pid = 4242
            0xea, 0xff, 0xff, 0xff, // error = -22 (EINVAL)
            0x24, 0x00, 0x00, 0x00, // request nlmsg_len = 36
            0x10, 0x00,             // request nlmsg_type = 0x10
            0x01, 0x00,             // request nlmsg_flags = NLM_F_REQUEST
            0x65, 0x00, 0x00, 0x00, // request nlmsg_seq = 101
            0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
            0x01, 0x00, 0x00, 0x00, // request family header: index 1
            0x07, 0x00, 0x01, 0x00, // request nla_len = 7, name
            b'a', b'b', 0x00, 0x00, // "ab\0" + 1 padding
            0x08, 0x00, 0x02, 0x00, // request nla_len = 8, mtu
            0x09, 0x00, 0x00, 0x00, // 9
            0x0c, 0x00, 0x01, 0x00, // nla_len = 12, NLMSGERR_ATTR_MSG
            b'b', b'a', b'd', b' ', b'm', b't', b'u', 0x00, // "bad mtu\0"
            0x08, 0x00, 0x02, 0x00, // nla_len = 8, NLMSGERR_ATTR_OFFS
            0x1c, 0x00, 0x00, 0x00, // offset 28: the mtu attribute
        ];
        bulk.datagram(&error, 0).unwrap();
        assert!(!bulk.done(), "the send's ACK is still due");
        // The ACK of message 2 ends the send.
        let mut last = [0u8; 36];
        encode_demo(2, &mut last).unwrap();
        last[8] = 0x66; // seq 102
        bulk.datagram(&error_reply(0, &last, &[]), 0).unwrap();
        assert!(bulk.done());
        let r = bulk.finish();
        assert_eq!(r.failed(), 1);
        let f = &r.failures[0];
        assert_eq!((f.index, f.error.errno, f.error.seq), (1, Errno(22), 101));
        assert_eq!(f.error.message.as_deref(), Some("bad mtu"));
        assert_eq!(f.error.path.as_ref().unwrap().to_string(), "mtu");
        assert_eq!(
            r.outcomes().collect::<Vec<_>>(),
            [Outcome::Ok, Outcome::Failed(&f.error), Outcome::Ok]
        );
    }

    #[test]
    fn errors_are_named_from_the_kept_send_when_the_echo_is_capped() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(2, BASE, PORT, &options(Acks::PerSend, 8), &mut encode).unwrap();
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        let sent = batch.bytes().to_vec();
        bulk.sent(batch);
        // NETLINK_CAP_ACK: only the request's header comes back.
        let mut capped = error_reply(-22, &sent[..36], &tlv(2, &20u32.to_ne_bytes()));
        capped.drain(36..56); // the echoed payload
        capped[0] = u8::try_from(capped.len()).unwrap();
        capped[7] |= 0x01; // NLM_F_CAPPED
        bulk.datagram(&capped, 0).unwrap();
        let r = {
            bulk.datagram(&error_reply(0, &sent[36..], &[]), 0).unwrap();
            bulk.finish()
        };
        let e = &r.failures[0].error;
        assert_eq!(e.offset, Some(20));
        assert_eq!(e.path.as_ref().unwrap().to_string(), "name");
    }

    #[test]
    fn the_last_message_failing_completes_the_send() {
        let fail = |i: usize| (i % 4 == 3).then_some(17);
        let (r, _) = report(8, &options(Acks::PerSend, 4), &fail, &never);
        let failed: Vec<usize> = r.failures.iter().map(|f| f.index).collect();
        assert_eq!(failed, [3, 7]);
        assert!(
            r.failures
                .iter()
                .all(|f| f.error.errno.name() == Some("EEXIST"))
        );
        // The error named the attribute from the kept send, too.
        assert_eq!(r.unexpected, 0);
        assert_eq!(r.outcome(3), Outcome::Failed(&r.failures[0].error));
        assert_eq!(r.outcome(2), Outcome::Ok);
    }

    #[test]
    fn the_window_bounds_the_sends_in_flight() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(100, BASE, PORT, &options(Acks::PerSend, 2), &mut encode).unwrap();
        let mut sends = Vec::new();
        for _ in 0..4 {
            let mut batch = bulk.new_batch();
            assert!(bulk.fill(&mut batch));
            sends.push(batch.bytes().to_vec());
            bulk.sent(batch);
        }
        let mut batch = bulk.new_batch();
        assert!(!bulk.fill(&mut batch), "4 sends in flight");
        assert_eq!(bulk.in_flight(), 4);
        // Replies may even arrive before the driver hands the batch back.
        bulk.datagram(&kernel(&sends[0], &|_| None)[0], 0).unwrap();
        assert!(bulk.fill(&mut batch));
        assert_eq!(headers(batch.bytes())[0].3, BASE + 8);
    }

    #[test]
    fn without_acks_the_window_counts_sends_not_completed() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(100, BASE, PORT, &options(Acks::None, 2), &mut encode).unwrap();
        let mut batches = Vec::new();
        for _ in 0..4 {
            let mut batch = bulk.new_batch();
            assert!(bulk.fill(&mut batch));
            batches.push(batch);
        }
        assert!(!bulk.fill(&mut bulk.new_batch()), "4 sends not completed");
        bulk.sent(batches.remove(0));
        let mut batch = bulk.take_free().unwrap();
        assert!(bulk.fill(&mut batch));
        assert_eq!(headers(batch.bytes())[0].3, BASE + 8);
    }

    #[test]
    fn fire_and_forget_reports_errors_and_ends_at_the_barrier() {
        let fail = |i: usize| [5, 6, 63, 64, 99].contains(&i).then_some(19);
        let (r, sends) = report(100, &options(Acks::None, 16), &fail, &never);
        assert_eq!(
            sends.len(),
            7,
            "ceil(100 / 16) sends, the barrier in the last"
        );
        for s in &sends {
            assert!(headers(s).iter().all(|h| h.1 == 1 || h.2 == 0x01), "no ACK");
        }
        let last = headers(sends.last().unwrap());
        assert_eq!(last.last(), Some(&(16, 1, 0x05, BASE + 100)));
        let failed: Vec<usize> = r.failures.iter().map(|f| f.index).collect();
        assert_eq!(failed, [5, 6, 63, 64, 99]);
        // Named from the echoed request.
        assert_eq!(r.failures[0].error.errno.name(), Some("ENODEV"));
        assert_eq!((r.sent, r.failed(), r.unknown_count()), (100, 5, 0));
        assert_eq!(r.outcomes().filter(|o| *o == Outcome::Ok).count(), 95);

        // No room for the barrier in the last send: it goes alone.
        let mut o = options(Acks::None, 16);
        o.send_bytes = 36 * 4 + 3; // 4 messages, not 4 and a barrier
        let (r, sends) = report(8, &o, &|_| None, &never);
        assert!(r.all_ok());
        assert_eq!(sends.len(), 3);
        assert_eq!(headers(&sends[2]), [(16, 1, 0x05, BASE + 8)]);
    }

    #[test]
    fn an_error_echo_names_the_attribute_in_fire_and_forget() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(1, BASE, PORT, &options(Acks::None, 8), &mut encode).unwrap();
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        let sent = batch.bytes().to_vec();
        bulk.sent(batch);
        let offs = tlv(2, &28u32.to_ne_bytes());
        bulk.datagram(&error_reply(-34, &sent[..36], &offs), 0)
            .unwrap();
        assert!(!bulk.done());
        bulk.datagram(&error_reply(0, &sent[36..], &[]), 0).unwrap(); // the barrier's ACK
        assert!(bulk.done());
        let r = bulk.finish();
        assert_eq!(
            r.failures[0].error.path.as_ref().unwrap().to_string(),
            "mtu"
        );
    }

    #[test]
    fn an_overrun_makes_the_unreplied_messages_unknown() {
        // Per send: sends of 4, all succeed; the ACK of the second send is lost.
        let (r, sends) = report(12, &options(Acks::PerSend, 4), &|_| None, &|n| n == 1);
        assert_eq!(r.overruns, 1);
        assert_eq!(r.unknown, [4..8]);
        assert_eq!(r.outcome(4), Outcome::Unknown);
        assert_eq!(r.outcome(3), Outcome::Ok);
        assert_eq!(r.outcome(8), Outcome::Ok);
        assert!(!r.all_ok());
        assert!(
            sends
                .iter()
                .any(|s| headers(s) == [(16, 1, 0x05, BASE + 12)])
        );

        // Errors that did arrive stay failures inside an unknown send.
        let fail = |i: usize| (i == 5).then_some(22);
        let (r, _) = report(12, &options(Acks::PerSend, 4), &fail, &|n| n == 2);
        // Replies: ACK(3), error(5), ACK(7) lost, ACK(11).
        assert_eq!(r.failed(), 1);
        assert_eq!(r.unknown, [4..5, 6..8]);
        assert_eq!(r.outcome(5), Outcome::Failed(&r.failures[0].error));

        // Fire and forget: everything sent before the barrier without an
        // error is unknown; what follows it is known again.
        let fail = |i: usize| [1, 2, 9].contains(&i).then_some(22);
        let (r, _) = report(12, &options(Acks::None, 4), &fail, &|n| n == 1);
        // Replies: error(1), error(2) lost → overrun after the first send.
        assert_eq!(r.overruns, 1);
        let failed: Vec<usize> = r.failures.iter().map(|f| f.index).collect();
        assert_eq!(failed, [1, 9]);
        assert_eq!(r.unknown, [0..1, 2..4]);
        assert_eq!(r.outcome(2), Outcome::Unknown);
        assert_eq!(r.outcome(4), Outcome::Ok);
    }

    #[test]
    fn a_lost_barrier_ack_is_covered_by_the_next_barrier() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(4, BASE, PORT, &options(Acks::PerSend, 4), &mut encode).unwrap();
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        bulk.sent(batch);
        // The send's ACK is lost.
        bulk.overrun();
        let mut first = bulk.take_free().unwrap_or_else(|| bulk.new_batch());
        assert!(bulk.fill(&mut first));
        assert_eq!(headers(first.bytes()), [(16, 1, 0x05, BASE + 4)]);
        bulk.sent(first);
        // Its ACK is lost as well.
        bulk.overrun();
        let mut second = bulk.new_batch();
        assert!(bulk.fill(&mut second));
        assert_eq!(headers(second.bytes()), [(16, 1, 0x05, BASE + 5)]);
        let ack = kernel(second.bytes(), &|_| None);
        bulk.sent(second);
        assert!(!bulk.done());
        bulk.datagram(&ack[0], 0).unwrap();
        assert!(bulk.done());
        let r = bulk.finish();
        assert_eq!(
            (r.overruns, r.unknown.clone(), r.batches),
            (2, vec![0..4], 3)
        );
    }

    #[test]
    fn nlmsg_overrun_counts_as_an_overrun() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(1, BASE, PORT, &options(Acks::PerSend, 4), &mut encode).unwrap();
        #[rustfmt::skip]
        let overrun: [u8; 16] = [
            0x10, 0x00, 0x00, 0x00, // nlmsg_len = 16
            0x04, 0x00,             // nlmsg_type = NLMSG_OVERRUN
            0x00, 0x00,             // nlmsg_flags = 0
            0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        ];
        bulk.datagram(&overrun, 0).unwrap();
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        assert_eq!(headers(batch.bytes())[0].1, nlmsg::NOOP, "a barrier first");
    }

    #[test]
    fn unexpected_messages_and_foreign_senders_are_counted() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(2, BASE, PORT, &options(Acks::PerSend, 8), &mut encode).unwrap();
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        let sent = batch.bytes().to_vec();
        bulk.sent(batch);
        let ack = error_reply(0, &sent[36..], &[]);
        // From port 77: not processed, even though it is the right ACK.
        bulk.datagram(&ack, 77).unwrap();
        assert!(!bulk.done());
        let mut stray = ack.clone();
        stray[8] = 99; // seq 99: before the bulk
        let mut other_port = ack.clone();
        other_port[12] = 0x93; // nlmsg_pid = 4243: another socket's
        let mut early = ack.clone();
        early[8] = 0x64; // seq 100: an ACK for a message that did not ask for one
        let mut data = ack.clone();
        data[4] = 0x18; // nlmsg_type = 24: a data message (an echo) for seq 101
        let mut datagram = Vec::new();
        for m in [&stray, &other_port, &early, &data] {
            datagram.extend_from_slice(m);
        }
        bulk.datagram(&datagram, 0).unwrap();
        bulk.datagram(&ack, 0).unwrap();
        assert!(bulk.done());
        let r = bulk.finish();
        assert_eq!((r.foreign, r.unexpected, r.replies), (1, 3, 1));
        assert!(r.all_ok());
    }

    #[test]
    fn a_malformed_datagram_is_an_error() {
        let mut encode = encode_demo;
        let mut bulk = Bulk::new(2, BASE, PORT, &options(Acks::PerSend, 8), &mut encode).unwrap();
        let mut batch = bulk.new_batch();
        assert!(bulk.fill(&mut batch));
        bulk.sent(batch);
        // A header claiming 40 bytes, with 6.
        let cut = [40, 0, 0, 0, 2, 0];
        assert!(matches!(
            bulk.datagram(&cut, 0),
            Err(Error::Codec(nl_core::Error::Truncated))
        ));
        // An NLMSG_ERROR too short for its error code and echo.
        #[rustfmt::skip]
        let short: [u8; 20] = [
            0x14, 0x00, 0x00, 0x00, // nlmsg_len = 20
            0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
            0x00, 0x00,             // nlmsg_flags = 0
            0x65, 0x00, 0x00, 0x00, // nlmsg_seq = 101
            0x92, 0x10, 0x00, 0x00, // nlmsg_pid = 4242
            0x00, 0x00, 0x00, 0x00, // error = 0, then no echoed header
        ];
        assert!(matches!(
            bulk.datagram(&short, 0),
            Err(Error::Codec(nl_core::Error::Truncated))
        ));
        // Stopped early: what was not answered is unknown.
        let r = bulk.finish();
        assert_eq!(r.unknown, [0..2]);
    }

    #[test]
    fn options_that_cannot_work_are_rejected() {
        let mut encode = encode_demo;
        let zero_send = BulkOptions {
            messages_per_send: 0,
            ..BulkOptions::default()
        };
        let zero_window = BulkOptions {
            sends_in_flight: 0,
            ..BulkOptions::default()
        };
        let tiny = BulkOptions {
            send_bytes: 15,
            ..BulkOptions::default()
        };
        for o in [zero_send, zero_window, tiny] {
            assert!(matches!(
                Bulk::new(1, BASE, PORT, &o, &mut encode),
                Err(Error::InvalidRequest(_))
            ));
        }
        let o = BulkOptions::default();
        let max = (1usize << 32) - BARRIER_SEQS;
        assert!(Bulk::new(max, BASE, PORT, &o, &mut encode).is_ok());
        assert!(matches!(
            Bulk::new(max + 1, BASE, PORT, &o, &mut encode),
            Err(Error::InvalidRequest(_))
        ));
        // Nothing to do is done at once, without a send.
        let mut bulk = Bulk::new(0, BASE, PORT, &o, &mut encode).unwrap();
        assert!(bulk.done());
        assert!(!bulk.fill(&mut Batch::new(16)));
        assert!(bulk.finish().all_ok());
    }

    #[test]
    fn sequence_numbers_wrap_and_barriers_follow_the_messages() {
        let mut encode = encode_demo;
        let o = options(Acks::None, 2);
        let mut bulk = Bulk::new(3, u32::MAX - 1, PORT, &o, &mut encode).unwrap();
        let mut seqs = Vec::new();
        let mut batch = bulk.new_batch();
        while bulk.fill(&mut batch) {
            seqs.extend(headers(batch.bytes()).iter().map(|h| h.3));
            bulk.sent(std::mem::replace(&mut batch, Batch::new(16)));
        }
        assert_eq!(
            seqs,
            [u32::MAX - 1, u32::MAX, 0, 1],
            "messages, then the barrier"
        );
        assert_eq!(bulk.seqs_used(), 3 + 1);
    }

    #[test]
    fn a_report_of_100k_messages_stays_small() {
        let fail = |i: usize| (i % 25_000 == 7).then_some(17);
        let o = BulkOptions {
            layout: Some(layout()),
            ..BulkOptions::default()
        };
        let (r, sends) = report(100_000, &o, &fail, &never);
        assert_eq!(sends.len(), 100_000usize.div_ceil(64));
        assert_eq!((r.sent, r.failed(), r.unknown_count()), (100_000, 4, 0));
        assert!(r.failures.capacity() < 64, "{}", r.failures.capacity());
        assert!(r.unknown.capacity() < 64);
        let mut count = 0;
        for (i, o) in r.outcomes().enumerate() {
            assert_eq!(matches!(o, Outcome::Failed(_)), i % 25_000 == 7, "{i}");
            count += 1;
        }
        assert_eq!(count, 100_000);
        let (r, _) = report(100_000, &options(Acks::None, 64), &|_| None, &never);
        assert!(r.all_ok());
    }

    #[test]
    fn receive_queue_size_covers_every_reply_of_the_window() {
        let o = BulkOptions::default();
        // 8 sends × (2 × 64 KiB of echoes + 64 replies × 2 KiB) + barriers.
        assert_eq!(
            Bulk::recv_queue_bytes(&o),
            8 * (2 * 65536 + 64 * 2048) + 4 * 2048
        );
    }

    #[test]
    fn without_failures_merges_and_splits() {
        let f = |index| Failure {
            index,
            error: KernelError::new(
                Errno(1),
                0,
                false,
                &nl_core::nlmsg::ExtAck::empty(),
                &[],
                None,
            ),
        };
        let failures = [f(0), f(5), f(6), f(20)];
        assert_eq!(
            without_failures(vec![8..12, 0..4, 3..8, 15..15], &failures),
            [1..5, 7..12]
        );
    }
}
