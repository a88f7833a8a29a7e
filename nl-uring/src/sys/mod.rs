//! The kernel ABI: thin safe wrappers over the libc calls a netlink socket
//! needs. This is the only module of the crate with `unsafe`; every block
//! says why it is sound. Nothing here knows netlink messages: bytes in,
//! bytes out, errors as `io::Error`.

use std::io::{self, IoSlice};
use std::mem;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::Duration;

use libc::{c_int, c_void, sockaddr, sockaddr_nl, socklen_t};

pub(crate) mod uring;

/// `SOL_NETLINK`.
pub(crate) const SOL_NETLINK: c_int = 270;
/// `NETLINK_ADD_MEMBERSHIP`.
pub(crate) const NETLINK_ADD_MEMBERSHIP: c_int = 1;
/// `NETLINK_DROP_MEMBERSHIP`.
pub(crate) const NETLINK_DROP_MEMBERSHIP: c_int = 2;
/// `NETLINK_NO_ENOBUFS`.
pub(crate) const NETLINK_NO_ENOBUFS: c_int = 5;
/// `NETLINK_CAP_ACK`.
pub(crate) const NETLINK_CAP_ACK: c_int = 10;
/// `NETLINK_EXT_ACK`.
pub(crate) const NETLINK_EXT_ACK: c_int = 11;
/// `NETLINK_GET_STRICT_CHK`.
pub(crate) const NETLINK_GET_STRICT_CHK: c_int = 12;

/// `SK_MEMINFO_VARS`: the number of counters `SO_MEMINFO` returns.
const SK_MEMINFO_VARS: usize = 9;

const SOCKADDR_NL_LEN: socklen_t = mem::size_of::<sockaddr_nl>() as socklen_t;

/// A netlink address: port `pid`, legacy multicast bitmask `groups`.
fn address(pid: u32, groups: u32) -> sockaddr_nl {
    // SAFETY: sockaddr_nl is a plain C struct of integers (one of them a
    // private padding field, hence no struct literal); all zeros is a valid value.
    let mut addr: sockaddr_nl = unsafe { mem::zeroed() };
    addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    addr.nl_pid = pid;
    addr.nl_groups = groups;
    addr
}

/// Turns a `-1` return into the thread's `errno`.
fn check(ret: c_int) -> io::Result<c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// Same for calls returning `ssize_t`.
fn check_size(ret: isize) -> io::Result<usize> {
    usize::try_from(ret).map_err(|_| io::Error::last_os_error())
}

/// `socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)`.
pub(crate) fn socket(protocol: c_int) -> io::Result<OwnedFd> {
    // SAFETY: no pointers are passed; the kernel validates the integers.
    let fd = check(unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            protocol,
        )
    })?;
    // SAFETY: `fd` was just returned by socket(2), is open, and nothing
    // else owns it; the OwnedFd becomes its only owner.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `bind(2)` to port `pid` (0: let the kernel pick) and the legacy group bitmask.
pub(crate) fn bind(fd: BorrowedFd<'_>, pid: u32, groups: u32) -> io::Result<()> {
    let addr = address(pid, groups);
    // SAFETY: `addr` is a valid sockaddr_nl that outlives the call and the
    // length passed is its exact size; the kernel only reads it.
    check(unsafe {
        libc::bind(
            fd.as_raw_fd(),
            (&raw const addr).cast::<sockaddr>(),
            SOCKADDR_NL_LEN,
        )
    })?;
    Ok(())
}

/// The port id the kernel bound the socket to (`getsockname(2)`).
pub(crate) fn local_port(fd: BorrowedFd<'_>) -> io::Result<u32> {
    let mut addr = address(0, 0);
    let mut len = SOCKADDR_NL_LEN;
    // SAFETY: `addr` and `len` are valid for writes for the duration of the
    // call, and `len` tells the kernel how much room `addr` has.
    check(unsafe {
        libc::getsockname(
            fd.as_raw_fd(),
            (&raw mut addr).cast::<sockaddr>(),
            &raw mut len,
        )
    })?;
    if len < SOCKADDR_NL_LEN || c_int::from(addr.nl_family) != libc::AF_NETLINK {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "getsockname did not return a netlink address",
        ));
    }
    Ok(addr.nl_pid)
}

/// `setsockopt(2)` with an `int` value.
pub(crate) fn set_int(
    fd: BorrowedFd<'_>,
    level: c_int,
    name: c_int,
    value: c_int,
) -> io::Result<()> {
    // SAFETY: the value pointer is valid for reads of size_of::<c_int>()
    // bytes, which is the length passed.
    check(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&raw const value).cast::<c_void>(),
            mem::size_of::<c_int>() as socklen_t,
        )
    })?;
    Ok(())
}

/// `getsockopt(2)` of an `int` value.
pub(crate) fn get_int(fd: BorrowedFd<'_>, level: c_int, name: c_int) -> io::Result<c_int> {
    let mut value: c_int = 0;
    let mut len = mem::size_of::<c_int>() as socklen_t;
    // SAFETY: `value` and `len` are valid for writes during the call and
    // `len` is the size of `value`.
    check(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&raw mut value).cast::<c_void>(),
            &raw mut len,
        )
    })?;
    Ok(value)
}

/// `SO_RCVTIMEO`: how long a blocking receive waits (`None`: forever).
pub(crate) fn set_recv_timeout(fd: BorrowedFd<'_>, timeout: Option<Duration>) -> io::Result<()> {
    let timeout = match timeout {
        // A zero timeval means "forever" to the kernel: round up to 1 µs.
        Some(t) if t.is_zero() => Duration::from_micros(1),
        Some(t) => t,
        None => Duration::ZERO,
    };
    let value = libc::timeval {
        tv_sec: libc::time_t::try_from(timeout.as_secs()).unwrap_or(libc::time_t::MAX),
        // Below 1,000,000: fits suseconds_t on every target.
        tv_usec: timeout.subsec_micros() as libc::suseconds_t,
    };
    // SAFETY: the value pointer is valid for reads of size_of::<timeval>()
    // bytes, which is the length passed.
    check(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&raw const value).cast::<c_void>(),
            mem::size_of::<libc::timeval>() as socklen_t,
        )
    })?;
    Ok(())
}

/// `sendmsg(2)` of the concatenated `parts` to the kernel (port 0).
/// Retries on `EINTR`; returns the bytes sent.
pub(crate) fn send_to_kernel(fd: BorrowedFd<'_>, parts: &[IoSlice<'_>]) -> io::Result<usize> {
    let mut addr = address(0, 0);
    // SAFETY: msghdr is a plain C struct of integers and pointers; all zeros
    // (null pointers, zero lengths) is a valid value.
    let mut msg: libc::msghdr = unsafe { mem::zeroed() };
    msg.msg_name = (&raw mut addr).cast::<c_void>();
    msg.msg_namelen = SOCKADDR_NL_LEN;
    // IoSlice is guaranteed ABI-compatible with `struct iovec` on Unix.
    // sendmsg only reads through msg_iov, so the cast from const is sound.
    msg.msg_iov = parts.as_ptr().cast::<libc::iovec>().cast_mut();
    msg.msg_iovlen = parts.len() as _;
    loop {
        // SAFETY: `msg` points at `addr` and at `parts`, both alive and
        // unmoved for the whole call; every iovec describes a live slice.
        let ret = unsafe { libc::sendmsg(fd.as_raw_fd(), &raw const msg, 0) };
        match check_size(ret) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// `recvfrom(2)` with `MSG_TRUNC`: fills `buf` and returns the datagram's
/// real length (larger than `buf` when it was truncated) and the sender's
/// port id. Retries on `EINTR`. With `wait` false (`MSG_DONTWAIT`), an
/// empty queue is an error of kind [`io::ErrorKind::WouldBlock`].
pub(crate) fn recv_from(
    fd: BorrowedFd<'_>,
    buf: &mut [u8],
    wait: bool,
) -> io::Result<(usize, u32)> {
    let flags = if wait {
        libc::MSG_TRUNC
    } else {
        libc::MSG_TRUNC | libc::MSG_DONTWAIT
    };
    loop {
        let mut addr = address(0, 0);
        let mut len = SOCKADDR_NL_LEN;
        // SAFETY: `buf` is valid for writes of buf.len() bytes, `addr` and
        // `len` for writes of their sizes, all for the duration of the call.
        let ret = unsafe {
            libc::recvfrom(
                fd.as_raw_fd(),
                buf.as_mut_ptr().cast::<c_void>(),
                buf.len(),
                flags,
                (&raw mut addr).cast::<sockaddr>(),
                &raw mut len,
            )
        };
        match check_size(ret) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
            Ok(n) => {
                if len < SOCKADDR_NL_LEN || c_int::from(addr.nl_family) != libc::AF_NETLINK {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "datagram without a netlink source address",
                    ));
                }
                return Ok((n, addr.nl_pid));
            }
        }
    }
}

/// `poll(2)` for `POLLIN` for up to `timeout` (rounded up to whole
/// milliseconds); false when the time passed with nothing to read.
pub(crate) fn wait_readable(fd: BorrowedFd<'_>, timeout: Duration) -> io::Result<bool> {
    let millis = timeout.as_micros().div_ceil(1000);
    let millis = c_int::try_from(millis).unwrap_or(c_int::MAX);
    let mut pfd = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    loop {
        // SAFETY: `pfd` is one valid pollfd, writable for the call, and
        // the count passed is 1.
        let ret = unsafe { libc::poll(&raw mut pfd, 1, millis) };
        match check(ret) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
            Ok(n) => return Ok(n > 0),
        }
    }
}

/// One counter of `SO_MEMINFO` (`SK_MEMINFO_*` index `at`), for
/// example `SK_MEMINFO_DROPS`: netlink adds one for every message it
/// could not queue because the receive queue was full.
pub(crate) fn meminfo(fd: BorrowedFd<'_>, at: c_int) -> io::Result<u32> {
    let mut info = [0u32; SK_MEMINFO_VARS];
    let mut len = mem::size_of_val(&info) as socklen_t;
    // SAFETY: `info` and `len` are valid for writes during the call and
    // `len` is the size of `info` in bytes.
    check(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_MEMINFO,
            info.as_mut_ptr().cast::<c_void>(),
            &raw mut len,
        )
    })?;
    let at = usize::try_from(at).unwrap_or(usize::MAX);
    if (len as usize) < at.saturating_add(1).saturating_mul(mem::size_of::<u32>()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "SO_MEMINFO returned too few counters",
        ));
    }
    info.get(at)
        .copied()
        .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))
}

/// `unshare(CLONE_NEWNET)`: moves the calling thread into a new network namespace.
pub(crate) fn unshare_net() -> io::Result<()> {
    // SAFETY: no pointers are passed; unshare only changes the calling
    // thread's namespace membership.
    check(unsafe { libc::unshare(libc::CLONE_NEWNET) })?;
    Ok(())
}
