//! One dump whose decoding overlaps the kernel's work: the io_uring
//! transport's [`Io`] for [`Ring::dump`](crate::Ring::dump).
//!
//! The kernel builds a dump's next datagram inside the `recvmsg` that
//! takes the current one, on the reading thread. Read and decode on one
//! thread (the blocking loop, or io_uring's multishot read, whose work also
//! runs on the submitting thread) and the two add up. Here the first
//! datagram is read on the calling thread; a dump that is not over by then
//! gets one worker thread ([`crate::many`]'s, with no request to send)
//! that receives the rest while the calling thread decodes, so decoding
//! hides behind the kernel's work on the other CPU.
//!
//! Measured on kernel 6.18, 2 vCPU VM, release build, 1M IPv4 routes each
//! decoded in full, medians of 7 runs of `nl-bench run`: raw floor (one
//! `recv` per datagram, headers walked) 0.331 s; decoding on the reading
//! thread (the blocking loop) 0.396 s, 1.19×; this 0.334 s, 1.01×. A dump
//! that ends with its first datagram never starts a thread.
//!
//! Every guarantee of the blocking loop holds: datagrams the socket kept
//! back come first, each datagram is handed on whole and in order, and the
//! worker never reads past a datagram that may end the exchange without
//! the calling thread's verdict (see [`crate::many`]'s "Ending"), so
//! nothing of a later exchange is read here.

use std::io;
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use crate::error::Error;
use crate::exchange::Step;
use crate::many::{Control, EventKind, Worker};
use crate::request::{Blocking, Feed, Io};
use crate::socket::Socket;

/// Reads on a worker thread once a dump outlasts its first datagram.
#[derive(Debug)]
pub(crate) struct Overlapped;

impl Io for Overlapped {
    fn listen(
        &mut self,
        socket: &mut Socket,
        deadline: Option<Instant>,
        feed: &mut Feed<'_>,
    ) -> Result<bool, Error> {
        if deadline.is_some() {
            // A wait with a deadline is not a dump: nothing to overlap.
            return Blocking.listen(socket, deadline, feed);
        }
        let (len, sender) = socket.recv_datagram()?;
        if feed(socket.buf.get(..len).unwrap_or_default(), sender)? == Step::Finished {
            return Ok(true);
        }
        thread::scope(|scope| {
            let (events_tx, events) = mpsc::channel();
            let (control, control_rx) = mpsc::channel();
            let worker = Worker {
                index: 0,
                socket,
                request: None,
                events: events_tx,
                control: control_rx,
            };
            thread::Builder::new()
                .name("nl-dump".into())
                .spawn_scoped(scope, move || worker.run())?;
            loop {
                // A closed channel: the worker ended without saying why.
                let event = events.recv().map_err(|_| {
                    Error::Io(io::Error::other("dump worker ended before its dump did"))
                })?;
                let (buf, len, sender, paused) = match event.kind {
                    EventKind::Failed(e) => return Err(e),
                    EventKind::Datagram {
                        buf,
                        len,
                        sender,
                        paused,
                    } => (buf, len, sender, paused),
                };
                // On an error or the end, the worker is stopped by the
                // channel closing as this returns (it is paused, waiting
                // for a buffer, or its next report fails).
                if feed(buf.get(..len).unwrap_or_default(), sender)? == Step::Finished {
                    return Ok(true);
                }
                // A send fails only when the worker has ended; the next
                // wait then reports it.
                let _ = control.send(Control::Buffer(buf));
                if paused {
                    let _ = control.send(Control::Resume);
                }
            }
        })
    }
}
