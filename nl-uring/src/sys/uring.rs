//! The io_uring half of the kernel ABI: a ring set up for one thread, one
//! registered ring of provided receive buffers, multishot `recvmsg`, `send`
//! and cancellation. Nothing here knows netlink messages: datagrams in,
//! bytes out, errors as `io::Error`.
//!
//! Ownership is what makes the public API safe: every buffer the kernel may
//! read or write while an operation is in flight (the provided buffers, the
//! `msghdr` of the receive, the bytes of every send) is owned by [`Uring`]
//! until the kernel says it is done with it, and [`Uring`]'s `Drop` cancels
//! and reaps every operation before any of that memory is freed.
//!
//! The provided-buffer ring, as registered with `IORING_REGISTER_PBUF_RING`:
//!
//! ```text
//!  entries (page aligned, `count` x 16 bytes, shared with the kernel)
//!  +-----------------+-----------+---------+-----------------+
//!  | addr (u64)      | len (u32) | bid u16 | resv / tail u16 |  entry 0: tail in resv
//!  +-----------------+-----------+---------+-----------------+
//!  | addr            | len       | bid     | resv            |  entry 1 ...
//!  +-----------------+-----------+---------+-----------------+
//!
//!  each buffer, as multishot recvmsg fills it
//!  +--------------------------------------+----------------+---------+
//!  | io_uring_recvmsg_out (16 bytes):     | name: 12 bytes | payload |
//!  | namelen, controllen, payloadlen, flags| sockaddr_nl    | datagram|
//!  +--------------------------------------+----------------+---------+
//! ```

use std::alloc::{self, Layout};
use std::io;
use std::mem;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use io_uring::types::{BufRingEntry, CancelBuilder, Fd, SubmitArgs, Timespec};
use io_uring::{IoUring, cqueue, opcode, squeue};
use libc::sockaddr_nl;

/// The buffer group id of the one provided-buffer ring.
const GROUP: u16 = 0;
/// Bytes of `io_uring_recvmsg_out` at the start of each filled buffer.
const RECVMSG_OUT_LEN: usize = 16;
/// Bytes reserved for the sender's address in each filled buffer.
const NAME_LEN: usize = mem::size_of::<sockaddr_nl>();
/// Bytes a filled buffer spends before the datagram.
pub(crate) const BUFFER_HEADROOM: usize = RECVMSG_OUT_LEN + NAME_LEN;

/// What an operation is, in the top byte of its `user_data`.
const KIND_SHIFT: u32 = 56;
const KIND_RECV: u64 = 1;
const KIND_SEND: u64 = 2;
const KIND_CANCEL: u64 = 3;

/// How a ring is set up.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Setup {
    /// Submission queue entries.
    pub(crate) entries: u32,
    /// Provided receive buffers (a power of two, at most 32768).
    pub(crate) buffers: u16,
    /// Bytes per provided buffer, headroom included.
    pub(crate) buffer_len: u32,
}

/// One received datagram, still in its provided buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Received {
    /// The buffer holding it; give it back with [`Uring::recycle`].
    pub(crate) buffer: u16,
    /// Bytes of the datagram in the buffer.
    pub(crate) len: usize,
    /// The datagram's real length (larger than `len` when truncated).
    pub(crate) full_len: usize,
    /// The sender's port id, `None` when no netlink address came with it.
    pub(crate) sender: Option<u32>,
}

/// A completed operation.
#[derive(Debug)]
pub(crate) enum Completion {
    /// The multishot receive armed with `token` produced a result;
    /// `more` is false when it has stopped and must be armed again.
    Recv {
        token: u64,
        result: io::Result<Received>,
        more: bool,
    },
    /// A send finished; its buffer is handed back.
    Send {
        result: io::Result<usize>,
        buf: Vec<u8>,
    },
    /// A cancel request finished (its target reports on its own).
    Cancel,
}

/// An io_uring with its provided buffers and the memory of every
/// operation in flight.
pub(crate) struct Uring {
    ring: IoUring,
    buffers: ProvidedBuffers,
    /// The `msghdr` multishot receives are armed with: only its name and
    /// control lengths are read, but it must stay put while armed.
    recv_msghdr: Box<libc::msghdr>,
    /// Send buffers in flight, by slot (the low bits of the `user_data`).
    sends: Vec<Option<Vec<u8>>>,
    /// Operations submitted and not yet completed for good.
    in_flight: usize,
}

impl std::fmt::Debug for Uring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Uring")
            .field("buffers", &self.buffers.count)
            .field("buffer_len", &self.buffers.len)
            .field("in_flight", &self.in_flight)
            .finish()
    }
}

impl Uring {
    /// Sets up a ring (`SINGLE_ISSUER | DEFER_TASKRUN` where the kernel has
    /// them) with a completion queue four times the buffer count, and
    /// registers the provided buffers.
    pub(crate) fn new(setup: Setup) -> io::Result<Uring> {
        if !setup.buffers.is_power_of_two() || setup.buffers > 32768 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the buffer count must be a power of two up to 32768",
            ));
        }
        if (setup.buffer_len as usize) <= BUFFER_HEADROOM {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "provided buffers are too small",
            ));
        }
        let cq_entries = u32::from(setup.buffers)
            .saturating_mul(4)
            .max(setup.entries);
        let ring = match IoUring::builder()
            .setup_single_issuer()
            .setup_defer_taskrun()
            .setup_cqsize(cq_entries)
            .build(setup.entries)
        {
            // Kernels before 6.1 do not know these flags.
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => IoUring::builder()
                .setup_cqsize(cq_entries)
                .build(setup.entries)?,
            other => other?,
        };
        let buffers = ProvidedBuffers::new(setup.buffers, setup.buffer_len)?;
        // SAFETY: the entry array is `buffers.count` entries long, page
        // aligned, and owned by `buffers`, which lives inside the returned
        // Uring; Drop unregisters the group before the memory is freed.
        unsafe {
            ring.submitter().register_buf_ring_with_flags(
                buffers.entries.as_ptr() as u64,
                buffers.count,
                GROUP,
                0,
            )?;
        }
        // SAFETY: msghdr is a plain C struct of integers and pointers; all
        // zeros (null pointers, zero lengths) is a valid value.
        let mut recv_msghdr: Box<libc::msghdr> = Box::new(unsafe { mem::zeroed() });
        recv_msghdr.msg_namelen = NAME_LEN as libc::socklen_t;
        let mut uring = Uring {
            ring,
            buffers,
            recv_msghdr,
            sends: Vec::new(),
            in_flight: 0,
        };
        for id in 0..setup.buffers {
            uring.buffers.push(id);
        }
        uring.buffers.publish();
        Ok(uring)
    }

    /// Arms a multishot `recvmsg` (with `MSG_TRUNC`, so truncation is
    /// reported) on `fd`, reading into the provided buffers.
    pub(crate) fn arm_recv(&mut self, fd: BorrowedFd<'_>, token: u64) -> io::Result<()> {
        let entry =
            opcode::RecvMsgMulti::new(Fd(fd.as_raw_fd()), &raw const *self.recv_msghdr, GROUP)
                .flags(libc::MSG_TRUNC as u32)
                .build()
                .user_data(user_data(KIND_RECV, token));
        self.push(&entry)
    }

    /// Queues a `send` of `buf[..len]` on `fd` (to the kernel: a netlink
    /// socket that did not `connect` sends to port 0). The buffer comes
    /// back in the completion.
    pub(crate) fn send(&mut self, fd: BorrowedFd<'_>, buf: Vec<u8>, len: usize) -> io::Result<()> {
        let len = len.min(buf.len());
        let len32 = u32::try_from(len)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "send too large"))?;
        let slot = match self.sends.iter().position(Option::is_none) {
            Some(slot) => slot,
            None => {
                self.sends.push(None);
                self.sends.len() - 1
            }
        };
        // user_data: kind (8 bits) | slot.
        if slot >= 1 << 24 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "too many sends in flight",
            ));
        }
        let entry = opcode::Send::new(Fd(fd.as_raw_fd()), buf.as_ptr(), len32)
            .build()
            .user_data(user_data(KIND_SEND, slot as u64));
        // The buffer is stored before the entry is pushed, so it is owned
        // here for as long as the kernel may read it.
        if let Some(place) = self.sends.get_mut(slot) {
            *place = Some(buf);
        }
        let pushed = self.push(&entry);
        if pushed.is_err() {
            if let Some(place) = self.sends.get_mut(slot) {
                *place = None;
            }
        }
        pushed
    }

    /// Asks the kernel to cancel every operation with `token` of the
    /// multishot receive.
    pub(crate) fn cancel_recv(&mut self, token: u64) -> io::Result<()> {
        let entry =
            opcode::AsyncCancel2::new(CancelBuilder::user_data(user_data(KIND_RECV, token)).all())
                .build()
                .user_data(user_data(KIND_CANCEL, 0));
        self.push(&entry)
    }

    /// Asks the kernel to cancel every operation in flight.
    fn cancel_all(&mut self) -> io::Result<()> {
        let entry = opcode::AsyncCancel2::new(CancelBuilder::any().all())
            .build()
            .user_data(user_data(KIND_CANCEL, 0));
        self.push(&entry)
    }

    /// Submits what is queued and waits until at least one completion is
    /// ready (`wait`), or `timeout` passes. A timeout is not an error.
    pub(crate) fn submit(&mut self, wait: bool, timeout: Option<Duration>) -> io::Result<()> {
        let want = usize::from(wait);
        let result = match timeout {
            Some(timeout) if wait => {
                let ts = Timespec::from(timeout);
                let args = SubmitArgs::new().timespec(&ts);
                self.ring.submitter().submit_with_args(want, &args)
            }
            _ => self.ring.submitter().submit_and_wait(want),
        };
        match result {
            Ok(_) => Ok(()),
            Err(e) if matches!(e.raw_os_error(), Some(libc::ETIME | libc::EINTR)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The next completion, if one is ready.
    pub(crate) fn next(&mut self) -> Option<Completion> {
        let cqe = self.ring.completion().next()?;
        Some(self.complete(&cqe))
    }

    fn complete(&mut self, cqe: &cqueue::Entry) -> Completion {
        let data = cqe.user_data();
        let flags = cqe.flags();
        let result = cqe.result();
        match data >> KIND_SHIFT {
            KIND_RECV => {
                let more = cqueue::more(flags);
                if !more {
                    self.in_flight = self.in_flight.saturating_sub(1);
                }
                let result = match (result, cqueue::buffer_select(flags)) {
                    (res, _) if res < 0 => Err(io::Error::from_raw_os_error(-res)),
                    (res, Some(buffer)) => Ok(self.received(buffer, res as usize)),
                    (_, None) => Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "receive completed without a buffer",
                    )),
                };
                Completion::Recv {
                    token: data & !(0xff << KIND_SHIFT),
                    result,
                    more,
                }
            }
            KIND_SEND => {
                self.in_flight = self.in_flight.saturating_sub(1);
                let slot = (data & 0xff_ffff) as usize;
                let buf = self
                    .sends
                    .get_mut(slot)
                    .and_then(Option::take)
                    .unwrap_or_default();
                let result = if result < 0 {
                    Err(io::Error::from_raw_os_error(-result))
                } else {
                    Ok(result as usize)
                };
                Completion::Send { result, buf }
            }
            _ => {
                self.in_flight = self.in_flight.saturating_sub(1);
                Completion::Cancel
            }
        }
    }

    /// Reads the header the kernel put in front of a received datagram.
    fn received(&self, buffer: u16, filled: usize) -> Received {
        let bytes = self.buffers.bytes(buffer, filled);
        let word = |at: usize| {
            bytes
                .get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .map_or(0, u32::from_ne_bytes) as usize
        };
        let name_len = word(0);
        let payload_len = word(8);
        let flags = word(12);
        let len = filled.saturating_sub(BUFFER_HEADROOM);
        let mut full_len = payload_len.max(len);
        if flags & libc::MSG_TRUNC as usize != 0 && full_len <= len {
            full_len = len + 1;
        }
        let sender = (name_len >= NAME_LEN).then(|| {
            let family = bytes
                .get(RECVMSG_OUT_LEN..RECVMSG_OUT_LEN + 2)
                .and_then(|b| b.try_into().ok())
                .map_or(0, u16::from_ne_bytes);
            let pid = word(RECVMSG_OUT_LEN + 4) as u32;
            (i32::from(family) == libc::AF_NETLINK).then_some(pid)
        });
        Received {
            buffer,
            len,
            full_len,
            sender: sender.flatten(),
        }
    }

    /// The datagram of `received`, in its provided buffer.
    pub(crate) fn datagram(&self, received: &Received) -> &[u8] {
        let bytes = self
            .buffers
            .bytes(received.buffer, BUFFER_HEADROOM + received.len);
        bytes.get(BUFFER_HEADROOM..).unwrap_or_default()
    }

    /// Gives a provided buffer back to the kernel (visible at the next
    /// [`Uring::publish`]).
    pub(crate) fn recycle(&mut self, buffer: u16) {
        self.buffers.push(buffer);
    }

    /// Makes recycled buffers visible to the kernel.
    pub(crate) fn publish(&mut self) {
        self.buffers.publish();
    }

    /// Pushes `entry`, submitting queued entries first when the queue is full.
    fn push(&mut self, entry: &squeue::Entry) -> io::Result<()> {
        if self.ring.submission().is_full() {
            self.ring.submitter().submit()?;
        }
        // SAFETY: every pointer in the entries built here points into
        // memory this Uring owns and keeps in place until the operation
        // completes: the boxed msghdr, the provided buffers, or a send
        // buffer stored in `sends` before the push.
        unsafe { self.ring.submission().push(entry) }
            .map_err(|_| io::Error::other("submission queue full"))?;
        self.in_flight += 1;
        Ok(())
    }

    /// Cancels everything in flight and reaps the completions, so no
    /// operation refers to memory about to be freed. Returns false when
    /// the kernel did not finish them all (then the memory must leak).
    fn quiesce(&mut self) -> bool {
        if self.in_flight == 0 {
            return true;
        }
        if self.cancel_all().is_err() {
            return false;
        }
        // Each round waits for at least one completion; a cancelled
        // operation always completes, so this ends.
        for _ in 0..10_000 {
            if self.submit(true, Some(Duration::from_millis(100))).is_err() {
                return false;
            }
            while let Some(completion) = self.next() {
                if let Completion::Recv {
                    result: Ok(received),
                    ..
                } = completion
                {
                    self.recycle(received.buffer);
                }
            }
            if self.in_flight == 0 {
                return true;
            }
        }
        false
    }
}

impl Drop for Uring {
    fn drop(&mut self) {
        if self.quiesce() {
            let _ = self.ring.submitter().unregister_buf_ring(GROUP);
        } else {
            // The kernel may still write into the buffers or read the
            // sends: leak them rather than free memory it uses.
            mem::forget(mem::take(&mut self.sends));
            self.buffers.leak();
        }
    }
}

fn user_data(kind: u64, token: u64) -> u64 {
    (kind << KIND_SHIFT) | (token & !(0xff << KIND_SHIFT))
}

/// The provided buffers and the ring of entries describing them. The
/// memory is allocated by hand (the kernel needs the entries page
/// aligned, and both are written by the kernel behind Rust's back, so no
/// Rust reference to them lives across a kernel call).
struct ProvidedBuffers {
    entries: NonNull<BufRingEntry>,
    entries_layout: Layout,
    data: NonNull<u8>,
    data_layout: Layout,
    count: u16,
    len: u32,
    /// Our copy of the tail: entries pushed, published or not.
    tail: u16,
    leaked: bool,
}

impl ProvidedBuffers {
    fn new(count: u16, len: u32) -> io::Result<Self> {
        let too_big = || io::Error::new(io::ErrorKind::InvalidInput, "buffers too large");
        let entries_layout =
            Layout::from_size_align(usize::from(count) * mem::size_of::<BufRingEntry>(), 4096)
                .map_err(|_| too_big())?;
        let data_layout = Layout::from_size_align(
            usize::from(count)
                .checked_mul(len as usize)
                .ok_or_else(too_big)?,
            64,
        )
        .map_err(|_| too_big())?;
        // SAFETY: both layouts have a nonzero size (count and len are
        // checked nonzero by Uring::new).
        let entries = unsafe { alloc::alloc_zeroed(entries_layout) }.cast::<BufRingEntry>();
        let entries =
            NonNull::new(entries).ok_or_else(|| io::Error::from(io::ErrorKind::OutOfMemory))?;
        // SAFETY: as above.
        let data = unsafe { alloc::alloc_zeroed(data_layout) };
        let Some(data) = NonNull::new(data) else {
            // SAFETY: allocated just above with this layout.
            unsafe { alloc::dealloc(entries.as_ptr().cast(), entries_layout) };
            return Err(io::ErrorKind::OutOfMemory.into());
        };
        Ok(ProvidedBuffers {
            entries,
            entries_layout,
            data,
            data_layout,
            count,
            len,
            tail: 0,
            leaked: false,
        })
    }

    /// Writes the entry giving buffer `id` to the kernel at the tail.
    fn push(&mut self, id: u16) {
        if id >= self.count {
            return;
        }
        let index = usize::from(self.tail & (self.count - 1));
        // SAFETY: `index` < count, so the entry is inside the allocation;
        // the kernel does not read entries past the published tail, so
        // writing this one does not race with it. The tail field of entry
        // 0 is not touched (set_addr/len/bid write the other fields).
        let entry = unsafe { &mut *self.entries.as_ptr().add(index) };
        entry.set_addr(self.data.as_ptr() as u64 + u64::from(id) * u64::from(self.len));
        entry.set_len(self.len);
        entry.set_bid(id);
        self.tail = self.tail.wrapping_add(1);
    }

    /// Publishes the pushed entries (release store of the shared tail).
    fn publish(&mut self) {
        // SAFETY: the tail is the u16 `resv` field of entry 0, inside the
        // allocation, 2-byte aligned; the kernel only reads it, with an
        // acquire load, so an atomic release store is the right access.
        unsafe {
            let tail = BufRingEntry::tail(self.entries.as_ptr()).cast_mut();
            AtomicU16::from_ptr(tail).store(self.tail, Ordering::Release);
        }
    }

    /// The first `len` bytes of buffer `id` (capped at the buffer size).
    fn bytes(&self, id: u16, len: usize) -> &[u8] {
        if id >= self.count {
            return &[];
        }
        let len = len.min(self.len as usize);
        // SAFETY: buffer `id` lies inside the data allocation; the kernel
        // handed it to us with its completion and will not write it until
        // it is pushed back, which needs `&mut self`, so no write happens
        // while this shared borrow lives.
        unsafe {
            std::slice::from_raw_parts(
                self.data.as_ptr().add(usize::from(id) * self.len as usize),
                len,
            )
        }
    }

    fn leak(&mut self) {
        self.leaked = true;
    }
}

impl Drop for ProvidedBuffers {
    fn drop(&mut self) {
        if self.leaked {
            return;
        }
        // SAFETY: both were allocated in `new` with these layouts, and the
        // kernel no longer uses them (the group is unregistered, or the
        // Uring leaked them instead).
        unsafe {
            alloc::dealloc(self.entries.as_ptr().cast(), self.entries_layout);
            alloc::dealloc(self.data.as_ptr(), self.data_layout);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;

    use super::*;

    /// A generic netlink family dump request (CTRL_CMD_GETFAMILY, NLM_F_DUMP).
    fn dump_request() -> Vec<u8> {
        let mut msg = Vec::new();
        msg.extend_from_slice(&20u32.to_ne_bytes()); // nlmsg_len
        msg.extend_from_slice(&0x10u16.to_ne_bytes()); // nlctrl
        msg.extend_from_slice(&0x301u16.to_ne_bytes()); // REQUEST | DUMP
        msg.extend_from_slice(&1u32.to_ne_bytes()); // seq
        msg.extend_from_slice(&0u32.to_ne_bytes()); // pid
        msg.extend_from_slice(&[3, 1, 0, 0]); // cmd GETFAMILY, version 1
        msg
    }

    #[test]
    fn dropping_with_operations_in_flight_cancels_and_reaps_them() {
        let setup = Setup {
            entries: 8,
            buffers: 4,
            buffer_len: 4096,
        };
        let mut uring = match Uring::new(setup) {
            Ok(uring) => uring,
            Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
                eprintln!("io_uring unavailable ({e}): skipped");
                return;
            }
            Err(e) => panic!("io_uring unavailable in CI: {e}"),
        };
        let socket = crate::sys::socket(libc::NETLINK_GENERIC).unwrap();
        crate::sys::bind(socket.as_fd(), 0, 0).unwrap();
        // Several dumps in flight: more data than the four small buffers
        // hold, so the multishot read is still armed (or out of buffers)
        // when the ring goes away, with sends possibly pending.
        uring.arm_recv(socket.as_fd(), 7).unwrap();
        for _ in 0..3 {
            let msg = dump_request();
            let len = msg.len();
            uring.send(socket.as_fd(), msg, len).unwrap();
        }
        uring.submit(false, None).unwrap();
        assert!(uring.in_flight > 0);
        drop(uring);
        // The socket outlives the ring and still works.
        drop(socket);
    }

    #[test]
    fn received_datagrams_carry_their_sender_and_length() {
        let Ok(mut uring) = Uring::new(Setup {
            entries: 8,
            buffers: 8,
            buffer_len: 32 * 1024 + BUFFER_HEADROOM as u32,
        }) else {
            return;
        };
        let socket = crate::sys::socket(libc::NETLINK_GENERIC).unwrap();
        crate::sys::bind(socket.as_fd(), 0, 0).unwrap();
        uring.arm_recv(socket.as_fd(), 1).unwrap();
        let msg = dump_request();
        let len = msg.len();
        uring.send(socket.as_fd(), msg, len).unwrap();
        let mut datagrams = 0;
        let mut done = false;
        for _ in 0..100 {
            if done {
                break;
            }
            uring.submit(true, Some(Duration::from_secs(5))).unwrap();
            while let Some(completion) = uring.next() {
                match completion {
                    Completion::Recv {
                        result: Ok(received),
                        ..
                    } => {
                        assert_eq!(received.sender, Some(0), "from the kernel");
                        assert_eq!(received.full_len, received.len, "not cut");
                        let datagram = uring.datagram(&received);
                        assert_eq!(datagram.len(), received.len);
                        // NLMSG_DONE (type 3) ends the dump.
                        done |= nl_core::nlmsg::Messages::new(datagram)
                            .any(|m| m.is_ok_and(|m| m.ty() == 3));
                        datagrams += 1;
                        uring.recycle(received.buffer);
                    }
                    Completion::Send { result, buf } => assert_eq!(result.unwrap(), buf.len()),
                    other => panic!("{other:?}"),
                }
            }
            uring.publish();
        }
        assert!(done, "the dump ended");
        assert!(datagrams >= 1, "{datagrams}");
    }
}
