//! The socket every command talks through: a [`Socket`] read through a
//! [`Ring`] (io_uring, falling back to blocking calls where io_uring is
//! unavailable), or through blocking calls only with `--blocking`.

use std::io;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use nl_uring::nl_core::nlmsg::{Message, RequestLayout};
use nl_uring::{Acked, DumpSummary, Error, Protocol, Ring, Socket};

/// Set by `--blocking`.
static BLOCKING: AtomicBool = AtomicBool::new(false);

/// Makes every [`Nl`] opened from now on use blocking calls.
pub(crate) fn use_blocking() {
    BLOCKING.store(true, Ordering::Relaxed);
}

/// A netlink socket and the transport it is read through.
pub(crate) struct Nl {
    ring: Ring,
    socket: Socket,
}

impl Nl {
    /// Opens a socket of `protocol` on the chosen transport.
    pub(crate) fn open(protocol: Protocol) -> Result<Nl, Error> {
        let ring = if BLOCKING.load(Ordering::Relaxed) {
            Ring::blocking()
        } else {
            Ring::new()
        };
        Ok(Nl {
            ring,
            socket: Socket::open(protocol)?,
        })
    }

    /// The socket itself, for library helpers that take one (they read
    /// through blocking calls).
    pub(crate) fn socket(&mut self) -> &mut Socket {
        &mut self.socket
    }

    /// The ring and the socket, for library helpers that take both.
    pub(crate) fn parts(&mut self) -> (&mut Ring, &mut Socket) {
        (&mut self.ring, &mut self.socket)
    }

    pub(crate) fn next_seq(&mut self) -> u32 {
        self.socket.next_seq()
    }

    pub(crate) fn set_strict_check(&self, on: bool) -> io::Result<()> {
        self.socket.set_strict_check(on)
    }

    pub(crate) fn request(
        &mut self,
        msg: &[u8],
        layout: Option<RequestLayout>,
    ) -> Result<Acked, Error> {
        self.ring.request(&mut self.socket, msg, layout)
    }

    pub(crate) fn request_with<E: From<Error>>(
        &mut self,
        msg: &[u8],
        layout: Option<RequestLayout>,
        f: impl FnMut(Message<'_>) -> Result<(), E>,
    ) -> Result<Acked, E> {
        self.ring.request_with(&mut self.socket, msg, layout, f)
    }

    pub(crate) fn try_dump<E: From<Error>>(
        &mut self,
        msg: &[u8],
        layout: Option<RequestLayout>,
        f: impl FnMut(Message<'_>) -> Result<(), E>,
    ) -> Result<DumpSummary, E> {
        self.ring.try_dump(&mut self.socket, msg, layout, f)
    }

    /// Like [`Ring::dump`].
    #[allow(dead_code)]
    pub(crate) fn dump(
        &mut self,
        msg: &[u8],
        layout: Option<RequestLayout>,
        f: impl FnMut(Message<'_>) -> ControlFlow<()>,
    ) -> Result<DumpSummary, Error> {
        self.ring.dump(&mut self.socket, msg, layout, f)
    }

    /// Like [`Ring::events_with`]: notifications on the joined groups.
    pub(crate) fn events_with<E: From<Error>>(
        &mut self,
        timeout: Option<Duration>,
        f: impl FnMut(Message<'_>) -> Result<ControlFlow<()>, E>,
    ) -> Result<usize, E> {
        self.ring.events_with(&mut self.socket, timeout, f)
    }
}
