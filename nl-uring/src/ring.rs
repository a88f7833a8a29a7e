//! [`Ring`]: the io_uring transport, with the blocking socket calls as its
//! fallback behind the same methods.
//!
//! What the ring is for, measured on this project's kernel (6.18, 2 vCPU;
//! see DESIGN.md): one dump is bound by the kernel, which builds one
//! datagram of about 32 KiB per read, so no read strategy makes a single
//! dump's reads faster than a blocking `recv` loop. What the caller can
//! win is its decoding: [`Ring::dump`] reads a dump that outlasts its first
//! datagram on a worker thread while the calling thread decodes
//! ([`crate::overlap`]), so the decoding hides behind the kernel's work.
//! The ring's big win is bulk writes ([`Ring::bulk`]): many messages per
//! send, several sends per system call, one ACK per send, replies matched
//! by sequence number.
//!
//! Other reads (replies to requests and bulk writes, notifications) are a
//! multishot `recvmsg` with `MSG_TRUNC` (a cut datagram is reported, never
//! passed on short) into a registered ring of provided buffers; messages
//! are decoded in place from the buffer the kernel filled, which goes back
//! to the kernel as soon as the callback returns.
//! The multishot read is armed again whenever it stops. `ENOBUFS` means
//! either "the buffer ring ran dry" (io_uring: recycle and arm again) or
//! "the socket's queue overflowed and messages were lost" (netlink); the
//! socket's drop counter (`SO_MEMINFO`) tells them apart, and only the
//! second is reported, as [`Error::Overrun`].
//!
//! A [`Ring`] belongs to the thread that made it (the ring is set up
//! `SINGLE_ISSUER`), so it is neither `Send` nor `Sync`. Sockets are
//! borrowed per call: every operation a call starts is finished (or
//! cancelled and reaped) before it returns, and a datagram the ring read
//! past the end of an exchange is kept on the socket for its next receive.

use std::any::Any;
use std::io;
use std::marker::PhantomData;
use std::ops::ControlFlow;
use std::os::fd::AsFd;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use nl_core::nlmsg::{Message, Messages, Reply, RequestLayout, check_sender};

use crate::bulk::{self, Batch, Bulk, BulkOptions, BulkReport};
use crate::error::Error;
use crate::exchange::Step;
use crate::many::{self, DumpJob};
use crate::overlap::Overlapped;
use crate::request::{self, Acked, Blocking, DumpSummary, Feed, Io};
use crate::socket::{MIN_RECV_BUFFER, Socket};
use crate::sys::uring::{BUFFER_HEADROOM, Completion, Setup, Uring};

/// How a [`Ring`] is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingConfig {
    /// Provided receive buffers: a power of two from 1 to 32768
    /// (default 128; DESIGN.md found 64 to 256 best).
    pub buffers: u16,
    /// The largest datagram a buffer holds whole (default
    /// [`MIN_RECV_BUFFER`], one full dump datagram). Raise it for single
    /// replies larger than 32 KiB; a longer datagram is
    /// [`Error::Truncated`].
    pub datagram_len: usize,
    /// Submission queue entries (default 64). The completion queue gets
    /// four times the buffer count.
    pub entries: u32,
}

impl Default for RingConfig {
    fn default() -> Self {
        RingConfig {
            buffers: 128,
            datagram_len: MIN_RECV_BUFFER,
            entries: 64,
        }
    }
}

/// Which transport a [`Ring`] uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// io_uring.
    IoUring,
    /// Blocking socket calls (io_uring unavailable, or asked for).
    Blocking,
}

/// The transport: io_uring where the kernel allows it, blocking socket
/// calls otherwise, with the same methods and the same results on both.
///
/// ```
/// use std::ops::ControlFlow;
/// use nl_uring::{Protocol, Ring, Socket};
/// use nl_uring::nl_core::genl::ctrl;
///
/// let mut ring = Ring::new();
/// let mut socket = Socket::open(Protocol::Generic)?;
/// let mut buf = [0u8; 64];
/// let request = ctrl::dump_families(&mut buf, socket.next_seq())?;
/// let mut families = 0;
/// let summary = ring.dump(&mut socket, request, None, |_| {
///     families += 1;
///     ControlFlow::Continue(())
/// })?;
/// assert_eq!(summary.messages, families);
/// assert!(families > 0);
/// # Ok::<(), nl_uring::Error>(())
/// ```
#[derive(Debug)]
pub struct Ring {
    uring: Option<UringIo>,
    blocking: Blocking,
    overlapped: Overlapped,
    fallback: Option<io::Error>,
    /// The ring is `SINGLE_ISSUER`: keep it on its thread.
    _thread_bound: PhantomData<*const ()>,
}

impl Default for Ring {
    fn default() -> Self {
        Ring::new()
    }
}

impl Ring {
    /// An io_uring transport with [`RingConfig::default`], or the blocking
    /// one when io_uring cannot be set up here (`ENOSYS`: no io_uring;
    /// `EPERM`: `kernel.io_uring_disabled`, seccomp; an old kernel);
    /// [`Ring::fallback_reason`] says why.
    pub fn new() -> Ring {
        Ring::with_config(RingConfig::default())
    }

    /// Like [`Ring::new`] with `config`.
    pub fn with_config(config: RingConfig) -> Ring {
        match UringIo::new(config) {
            Ok(uring) => Ring::from_uring(uring),
            Err(e) => Ring {
                uring: None,
                blocking: Blocking,
                overlapped: Overlapped,
                fallback: Some(e),
                _thread_bound: PhantomData,
            },
        }
    }

    /// An io_uring transport, or the error that prevents it (no fallback).
    pub fn io_uring(config: RingConfig) -> Result<Ring, Error> {
        Ok(Ring::from_uring(UringIo::new(config)?))
    }

    /// The blocking transport, even where io_uring works.
    pub fn blocking() -> Ring {
        Ring {
            uring: None,
            blocking: Blocking,
            overlapped: Overlapped,
            fallback: None,
            _thread_bound: PhantomData,
        }
    }

    fn from_uring(uring: UringIo) -> Ring {
        Ring {
            uring: Some(uring),
            blocking: Blocking,
            overlapped: Overlapped,
            fallback: None,
            _thread_bound: PhantomData,
        }
    }

    /// The transport in use.
    pub fn transport(&self) -> Transport {
        match self.uring {
            Some(_) => Transport::IoUring,
            None => Transport::Blocking,
        }
    }

    /// Why [`Ring::new`] fell back to blocking calls, if it did.
    pub fn fallback_reason(&self) -> Option<&io::Error> {
        self.fallback.as_ref()
    }

    fn io(&mut self) -> &mut dyn Io {
        match &mut self.uring {
            Some(uring) => uring,
            None => &mut self.blocking,
        }
    }

    /// How dumps read: on io_uring, overlapped with decoding
    /// ([`crate::overlap`]); on the fallback, the blocking loop.
    fn dump_io(&mut self) -> &mut dyn Io {
        match &self.uring {
            Some(_) => &mut self.overlapped,
            None => &mut self.blocking,
        }
    }

    /// [`Socket::request`] on this transport.
    pub fn request(
        &mut self,
        socket: &mut Socket,
        msg: &[u8],
        layout: Option<RequestLayout>,
    ) -> Result<Acked, Error> {
        self.request_with(socket, msg, layout, |_| Ok::<(), Error>(()))
    }

    /// [`Socket::request_with`] on this transport.
    pub fn request_with<E: From<Error>>(
        &mut self,
        socket: &mut Socket,
        msg: &[u8],
        layout: Option<RequestLayout>,
        f: impl FnMut(Message<'_>) -> Result<(), E>,
    ) -> Result<Acked, E> {
        request::request_with(self.io(), socket, msg, layout, f)
    }

    /// [`Socket::dump`] on this transport: every message of the dump is
    /// handed to `f` on this thread, borrowed from the buffer it was
    /// received in. On io_uring, a dump longer than one datagram is read
    /// on a worker thread so `f` runs while the kernel builds the next
    /// datagram (as [`Ring::dump_many`] reads, for one job); on the
    /// fallback, it is the blocking loop.
    pub fn dump(
        &mut self,
        socket: &mut Socket,
        msg: &[u8],
        layout: Option<RequestLayout>,
        f: impl FnMut(Message<'_>) -> ControlFlow<()>,
    ) -> Result<DumpSummary, Error> {
        request::dump(self.dump_io(), socket, msg, layout, f)
    }

    /// [`Socket::try_dump`] on this transport.
    pub fn try_dump<E: From<Error>>(
        &mut self,
        socket: &mut Socket,
        msg: &[u8],
        layout: Option<RequestLayout>,
        f: impl FnMut(Message<'_>) -> Result<(), E>,
    ) -> Result<DumpSummary, E> {
        request::try_dump(self.dump_io(), socket, msg, layout, f)
    }

    /// A dump that yields one consistent table: when the kernel flags it
    /// `NLM_F_DUMP_INTR` (the table changed meanwhile), `reset` is called
    /// (forget what `f` collected) and the dump runs again, up to
    /// `attempts` times in all. [`DumpSummary::restarts`] counts the
    /// repeats; still interrupted after the last attempt is
    /// [`Error::Inconsistent`].
    pub fn dump_consistent(
        &mut self,
        socket: &mut Socket,
        msg: &[u8],
        layout: Option<RequestLayout>,
        attempts: usize,
        mut reset: impl FnMut(),
        mut f: impl FnMut(Message<'_>) -> ControlFlow<()>,
    ) -> Result<DumpSummary, Error> {
        for attempt in 0..attempts {
            if attempt > 0 {
                reset();
            }
            let mut summary = self.dump(socket, msg, layout, &mut f)?;
            if !summary.interrupted {
                summary.restarts = attempt;
                return Ok(summary);
            }
        }
        Err(Error::Inconsistent { attempts })
    }

    /// Runs several dumps at once (tables, families, namespaces: each job
    /// has its own socket) and hands every message to `f` on this thread,
    /// tagged with its job's index in `jobs`; returns one result per job,
    /// in job order. Each job behaves as [`Ring::dump`]; one job's failure
    /// does not fail the others.
    ///
    /// The reads run on one worker thread per job on either transport,
    /// because that is what overlaps the kernel's dump work: on the 2-vCPU
    /// machine DESIGN.md measured, io_uring's multishot reads do not
    /// overlap at all (the kernel builds each datagram on the submitting
    /// thread), `IOSQE_ASYNC` reads overlap 1.3–1.6×, threads 2.0–2.2×;
    /// four dumps of 250,000 routes took 0.26 s at once against 0.49 s one
    /// after the other. Decoding stays on the calling thread, in place in
    /// the buffer a worker filled.
    pub fn dump_many(
        &mut self,
        jobs: &mut [DumpJob<'_>],
        f: impl FnMut(usize, Message<'_>) -> ControlFlow<()>,
    ) -> Vec<Result<DumpSummary, Error>> {
        many::dump_many(jobs, f)
    }

    /// [`Socket::bulk`] on this transport: `count` messages written by
    /// `encode`, packed many per send, one result per message in the
    /// report. On io_uring, up to [`BulkOptions::sends_in_flight`] sends go
    /// to the kernel per system call while the replies stream in on a
    /// multishot read.
    pub fn bulk(
        &mut self,
        socket: &mut Socket,
        count: usize,
        options: &BulkOptions,
        mut encode: impl FnMut(usize, &mut [u8]) -> Result<usize, nl_core::Error>,
    ) -> Result<BulkReport, Error> {
        match &mut self.uring {
            None => socket.bulk(count, options, encode),
            Some(uring) => bulk::run(socket, count, options, &mut encode, |socket, bulk| {
                uring.bulk(socket, bulk, options.sends_in_flight)
            }),
        }
    }

    /// Streams the notifications arriving on `socket` (after it joined
    /// multicast groups) to `f`, one message at a time, until `f` breaks
    /// or `timeout` has passed (`None`: no limit). Returns how many
    /// messages `f` saw.
    ///
    /// An overrun (the socket's queue overflowed: `ENOBUFS` or
    /// `NLMSG_OVERRUN`) is [`Error::Overrun`]: notifications were lost,
    /// so dump the state again to resynchronize, then listen again. A
    /// datagram from a sender the socket does not accept is
    /// [`Error::ForeignSender`] and a malformed message [`Error::Codec`].
    /// Messages left in a datagram when `f` breaks are kept for the next
    /// call.
    pub fn events(
        &mut self,
        socket: &mut Socket,
        timeout: Option<Duration>,
        mut f: impl FnMut(Message<'_>) -> ControlFlow<()>,
    ) -> Result<usize, Error> {
        self.events_with(socket, timeout, |m| Ok::<_, Error>(f(m)))
    }

    /// [`Ring::events`] with a callback that can fail: an error from `f`
    /// stops the stream and is returned; the messages after the failing
    /// one in its datagram are kept for the next call, so nothing is lost
    /// (the failing message itself counts as seen and is not repeated).
    pub fn events_with<E: From<Error>>(
        &mut self,
        socket: &mut Socket,
        timeout: Option<Duration>,
        mut f: impl FnMut(Message<'_>) -> Result<ControlFlow<()>, E>,
    ) -> Result<usize, E> {
        let deadline = timeout.map(|t| Instant::now() + t);
        let senders = socket.senders;
        let mut seen = 0;
        let mut keep = None;
        let mut failed = None;
        let result = self.io().listen(socket, deadline, &mut |datagram, sender| {
            check_sender(sender, senders).map_err(|_| Error::ForeignSender { port: sender })?;
            let mut offset = 0;
            for message in Messages::new(datagram) {
                let message = message?;
                if let Ok(Reply::Overrun(_)) = Reply::classify(message) {
                    return Err(Error::Overrun);
                }
                offset += nl_core::align(message.len()).unwrap_or(usize::MAX);
                seen += 1;
                let stop = match f(message) {
                    Ok(flow) => flow.is_break(),
                    Err(e) => {
                        failed = Some(e);
                        true
                    }
                };
                if stop {
                    if let Some(rest) = datagram.get(offset..).filter(|r| !r.is_empty()) {
                        keep = Some((rest.to_vec(), sender));
                    }
                    return Ok(Step::Finished);
                }
            }
            Ok(Step::More)
        });
        if let Some((rest, sender)) = keep {
            socket.keep_pending_front(rest, sender);
        }
        if let Some(e) = failed {
            return Err(e);
        }
        result.map(|_| seen).map_err(E::from)
    }
}

/// The io_uring side of a [`Ring`].
#[derive(Debug)]
struct UringIo {
    uring: Uring,
    /// The datagram a provided buffer holds whole.
    datagram_len: usize,
    /// Token of the next multishot read.
    next_token: u64,
}

impl UringIo {
    fn new(config: RingConfig) -> io::Result<UringIo> {
        let buffer_len = config
            .datagram_len
            .checked_add(BUFFER_HEADROOM)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "datagram_len too large"))?;
        let uring = Uring::new(Setup {
            entries: config.entries,
            buffers: config.buffers,
            buffer_len,
        })?;
        Ok(UringIo {
            uring,
            datagram_len: config.datagram_len,
            next_token: 1,
        })
    }

    fn token(&mut self) -> u64 {
        let token = self.next_token;
        self.next_token = (self.next_token + 1) & 0xffff_ffff;
        if self.next_token == 0 {
            self.next_token = 1;
        }
        token
    }

    /// Runs the read loop until `listener` has ended and nothing it
    /// started is in flight: arms the multishot read (again whenever it
    /// stops), lets `handler` queue sends, hands it what completes, and
    /// winds down (cancels the read, reaps every completion) at the end.
    fn pump(
        &mut self,
        socket: &mut Socket,
        listener: &mut Listener,
        deadline: Option<Instant>,
        handler: &mut dyn Handler,
    ) -> Result<(), Error> {
        loop {
            if !listener.ended() {
                if handler.done() {
                    listener.finished = true;
                } else {
                    match handler.queue(&mut self.uring, socket) {
                        Ok(queued) => listener.sends += queued,
                        Err(e) => listener.fail(e),
                    }
                }
            }
            if listener.ended() {
                if !listener.armed && listener.sends == 0 {
                    break;
                }
                if listener.armed && !listener.cancel_sent {
                    self.uring.cancel_recv(listener.token)?;
                    listener.cancel_sent = true;
                }
            } else if !listener.armed {
                self.uring.arm_recv(socket.as_fd(), listener.token)?;
                listener.armed = true;
            }
            let timeout = match deadline {
                Some(deadline) if !listener.ended() => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        listener.timed_out = true;
                        continue;
                    }
                    Some(left)
                }
                _ => None,
            };
            self.uring.submit(true, timeout)?;
            while let Some(completion) = self.uring.next() {
                self.complete(socket, listener, completion, handler);
            }
            self.uring.publish();
        }
        if let Some(payload) = listener.panic.take() {
            panic::resume_unwind(payload);
        }
        match listener.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn complete(
        &mut self,
        socket: &mut Socket,
        listener: &mut Listener,
        completion: Completion,
        handler: &mut dyn Handler,
    ) {
        let (token, result, more) = match completion {
            Completion::Recv {
                token,
                result,
                more,
            } => (token, result, more),
            Completion::Send { result, buf, .. } => {
                listener.sends = listener.sends.saturating_sub(1);
                if let Err(e) = handler.sent(buf, result) {
                    listener.fail(e);
                }
                return;
            }
            // A cancel reports nothing of its own: its target does.
            Completion::Cancel => return,
        };
        if token == listener.token && !more {
            listener.armed = false;
        }
        let received = match result {
            Ok(received) => received,
            Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                // Netlink's overflow, or io_uring's empty buffer ring:
                // only the first moves the socket's drop counter.
                match socket.dropped() {
                    Ok(drops) if drops != socket.seen_drops => {
                        socket.seen_drops = drops;
                        if let Err(e) = handler.overrun() {
                            listener.fail(e);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => listener.fail(e.into()),
                }
                return;
            }
            Err(e) if e.raw_os_error() == Some(libc::ECANCELED) => return,
            Err(e) => {
                listener.fail(e.into());
                return;
            }
        };
        let datagram = self.uring.datagram(&received);
        if token != listener.token {
            // Only after an io_uring failure ended an earlier call without
            // winding its read down: that call reported the failure, and
            // which socket this came from is unknown, so it is dropped.
        } else if listener.ended() {
            // Read past the end of the exchange: keep it for the socket's
            // next receive (a cut one is reported there as cut).
            if let Some(sender) = received.sender {
                socket.keep_pending(datagram, sender);
            }
        } else if received.full_len > received.len {
            listener.fail(Error::Truncated {
                buffer: self.datagram_len,
                datagram: received.full_len,
            });
        } else if let Some(sender) = received.sender {
            // A panicking callback must not unwind past operations in
            // flight: catch it, wind the read down, then resume it.
            match panic::catch_unwind(AssertUnwindSafe(|| handler.datagram(datagram, sender))) {
                Ok(Ok(Step::More)) => {}
                Ok(Ok(Step::Finished)) => listener.finished = true,
                Ok(Err(e)) => listener.fail(e),
                Err(payload) => {
                    listener.finished = true;
                    listener.panic = Some(payload);
                }
            }
        } else {
            listener.fail(Error::Io(io::Error::new(
                io::ErrorKind::InvalidData,
                "datagram without a netlink source address",
            )));
        }
        self.uring.recycle(received.buffer);
    }
}

/// What the owner of a multishot read does with what arrives.
trait Handler {
    /// A whole datagram from `sender`, still in its provided buffer.
    fn datagram(&mut self, datagram: &[u8], sender: u32) -> Result<Step, Error>;

    /// The socket's queue overflowed: messages were lost. An error ends
    /// the read.
    fn overrun(&mut self) -> Result<(), Error> {
        Err(Error::Overrun)
    }

    /// Whether everything is done (checked before each wait).
    fn done(&self) -> bool {
        false
    }

    /// Queues sends on `uring` before each wait; returns how many.
    fn queue(&mut self, _uring: &mut Uring, _socket: &Socket) -> Result<usize, Error> {
        Ok(0)
    }

    /// A send queued by [`Handler::queue`] completed; its buffer is back.
    fn sent(&mut self, _buf: Vec<u8>, _result: io::Result<usize>) -> Result<(), Error> {
        Ok(())
    }
}

/// A bulk write on the ring: sends queued while the window is open, their
/// bytes copied into ring-owned buffers (the batch itself stays with the
/// state machine, which maps error replies to its messages).
struct BulkHandler<'b, 'e> {
    bulk: &'b mut Bulk<'e>,
    /// Sends in flight at most (the state machine's window counts sends
    /// awaiting replies, which in `Acks::None` mode is none).
    window: usize,
    /// Sends queued and not completed.
    sending: usize,
    /// An overrun was seen: hold the next send (the barrier) until the
    /// receive queue has been read empty, or its ACK is dropped too.
    overran: bool,
    spare: Option<Batch>,
    /// Send buffers back from the kernel, for reuse.
    pool: Vec<Vec<u8>>,
}

impl Handler for BulkHandler<'_, '_> {
    fn datagram(&mut self, datagram: &[u8], sender: u32) -> Result<Step, Error> {
        self.bulk.datagram(datagram, sender)?;
        Ok(if self.bulk.done() {
            Step::Finished
        } else {
            Step::More
        })
    }

    fn overrun(&mut self) -> Result<(), Error> {
        self.bulk.overrun();
        self.overran = true;
        Ok(())
    }

    fn done(&self) -> bool {
        self.bulk.done()
    }

    fn queue(&mut self, uring: &mut Uring, socket: &Socket) -> Result<usize, Error> {
        if self.overran {
            if socket.queued_bytes()? > 0 {
                return Ok(0);
            }
            self.overran = false;
        }
        let mut queued = 0;
        while self.sending < self.window {
            let mut batch = match self.spare.take().or_else(|| self.bulk.take_free()) {
                Some(batch) => batch,
                None => self.bulk.new_batch(),
            };
            if !self.bulk.fill(&mut batch) {
                self.spare = Some(batch);
                return Ok(queued);
            }
            let mut buf = self.pool.pop().unwrap_or_default();
            buf.clear();
            buf.extend_from_slice(batch.bytes());
            let len = buf.len();
            self.bulk.sent(batch);
            uring.send(socket.as_fd(), buf, len)?;
            self.sending += 1;
            queued += 1;
        }
        Ok(queued)
    }

    fn sent(&mut self, buf: Vec<u8>, result: io::Result<usize>) -> Result<(), Error> {
        self.sending = self.sending.saturating_sub(1);
        if result? != buf.len() {
            return Err(Error::Io(io::Error::new(
                io::ErrorKind::WriteZero,
                "netlink datagram sent short",
            )));
        }
        self.pool.push(buf);
        Ok(())
    }
}

/// A [`Feed`] as a [`Handler`]: exchanges and notifications.
struct FeedHandler<'a, 'f>(&'a mut Feed<'f>);

impl Handler for FeedHandler<'_, '_> {
    fn datagram(&mut self, datagram: &[u8], sender: u32) -> Result<Step, Error> {
        (self.0)(datagram, sender)
    }
}

impl UringIo {
    /// [`Ring::bulk`] on io_uring.
    fn bulk(
        &mut self,
        socket: &mut Socket,
        bulk: &mut Bulk<'_>,
        window: usize,
    ) -> Result<(), Error> {
        let mut listener = Listener::new(self.token());
        let mut handler = BulkHandler {
            bulk,
            window: window.max(1),
            sending: 0,
            overran: false,
            spare: None,
            pool: Vec::new(),
        };
        self.pump(socket, &mut listener, None, &mut handler)
    }
}

impl Io for UringIo {
    fn listen(
        &mut self,
        socket: &mut Socket,
        deadline: Option<Instant>,
        feed: &mut Feed<'_>,
    ) -> Result<bool, Error> {
        while let Some((datagram, sender)) = socket.take_pending() {
            if feed(&datagram, sender)? == Step::Finished {
                return Ok(true);
            }
        }
        let mut listener = Listener::new(self.token());
        self.pump(socket, &mut listener, deadline, &mut FeedHandler(feed))?;
        Ok(!listener.timed_out)
    }
}

/// The state of one multishot read.
struct Listener {
    token: u64,
    /// The multishot read is armed (its last completion had `F_MORE`).
    armed: bool,
    cancel_sent: bool,
    /// Sends queued and not completed.
    sends: usize,
    finished: bool,
    timed_out: bool,
    error: Option<Error>,
    /// A panic of the callback, resumed once the read is wound down.
    panic: Option<Box<dyn Any + Send>>,
}

impl Listener {
    fn new(token: u64) -> Self {
        Listener {
            token,
            armed: false,
            cancel_sent: false,
            sends: 0,
            finished: false,
            timed_out: false,
            error: None,
            panic: None,
        }
    }

    fn ended(&self) -> bool {
        self.finished || self.timed_out || self.error.is_some()
    }

    fn fail(&mut self, error: Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }
}
