//! Private network namespaces for tests and benchmarks.

use std::io;

use crate::sys;

/// Moves the calling thread into a new, empty network namespace
/// (`unshare(CLONE_NEWNET)`): only a `lo` link, which is down.
///
/// Only this thread moves: sockets it opens afterwards, and child processes
/// it spawns afterwards (`ip`, `tc`…), live in the new namespace; other
/// threads and sockets opened before stay where they were. The namespace
/// goes away with the last thread, process and socket in it.
///
/// Needs `CAP_SYS_ADMIN` (root, or a user namespace); fails with `EPERM`
/// otherwise.
pub fn enter_new_netns() -> io::Result<()> {
    sys::unshare_net()
}
