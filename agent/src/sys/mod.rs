//! The only place with `unsafe`: Linux system calls made directly (no
//! libc), the process entry point, and the argument vector. Everything
//! above this module is safe code over [`NetlinkSocket`], [`write_all`],
//! [`exit`] and [`Args`].
//!
//! The architecture-specific part (system call numbers, the `syscall`
//! instruction, `_start`, `memcpy` & co.) is one file per architecture.

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
use x86_64 as arch;

#[cfg(not(target_arch = "x86_64"))]
compile_error!("nl-agent: only x86_64 Linux has a system call layer (src/sys/x86_64.rs)");

use arch::syscall6;

/// `EINTR`: a system call interrupted by a signal; retried.
const EINTR: i32 = 4;
const AF_NETLINK: usize = 16;
const SOCK_RAW: usize = 3;
const SOCK_CLOEXEC: usize = 0o2000000;
const SOL_NETLINK: usize = 270;
/// `NETLINK_EXT_ACK`: error replies carry the kernel's message text.
const NETLINK_EXT_ACK: usize = 11;
/// `NETLINK_GET_STRICT_CHK`: dump requests are checked and filtered.
const NETLINK_GET_STRICT_CHK: usize = 12;
/// `MSG_TRUNC` as a receive flag: return the datagram's real length.
const MSG_TRUNC: usize = 0x20;

/// A failed system call: which one, and its errno.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SysError {
    /// The call's name.
    pub(crate) call: &'static str,
    /// The positive errno.
    pub(crate) errno: i32,
}

/// Turns a raw system call result into the value or the errno.
fn check(call: &'static str, ret: isize) -> Result<usize, SysError> {
    usize::try_from(ret).map_err(|_| SysError {
        call,
        errno: i32::try_from(ret.unsigned_abs()).unwrap_or(i32::MAX),
    })
}

/// `struct sockaddr_nl`: the netlink socket address (12 bytes).
///
/// ```text
/// +-----------+---------+-----------+-------------+
/// | family u16| pad u16 | pid u32   | groups u32  |
/// +-----------+---------+-----------+-------------+
/// ```
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct SockaddrNl {
    family: u16,
    pad: u16,
    pid: u32,
    groups: u32,
}

const SOCKADDR_NL_LEN: usize = core::mem::size_of::<SockaddrNl>();

impl SockaddrNl {
    /// The kernel's address (port 0), or ours before binding.
    fn kernel() -> Self {
        SockaddrNl {
            family: AF_NETLINK as u16,
            ..SockaddrNl::default()
        }
    }
}

/// What one receive got.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Received {
    /// Bytes in the buffer.
    pub(crate) len: usize,
    /// The datagram was longer than the buffer: the rest is lost.
    pub(crate) truncated: bool,
    /// The sender's port (0 for the kernel).
    pub(crate) sender: u32,
}

/// A bound `AF_NETLINK` socket with extended ACKs and strict checking on.
#[derive(Debug)]
pub(crate) struct NetlinkSocket {
    fd: i32,
    port: u32,
}

impl NetlinkSocket {
    /// Opens a socket of netlink `protocol` (`NETLINK_ROUTE` 0,
    /// `NETLINK_GENERIC` 16), turns on extended ACKs and strict checks,
    /// binds it and learns its port.
    pub(crate) fn open(protocol: u32) -> Result<Self, SysError> {
        // SAFETY: socket(2) takes no pointers.
        let fd = unsafe {
            syscall6(
                arch::SYS_SOCKET,
                [
                    AF_NETLINK,
                    SOCK_RAW | SOCK_CLOEXEC,
                    protocol as usize,
                    0,
                    0,
                    0,
                ],
            )
        };
        let fd = i32::try_from(check("socket", fd)?).unwrap_or(-1);
        let mut socket = NetlinkSocket { fd, port: 0 };
        socket.set_option(NETLINK_EXT_ACK)?;
        socket.set_option(NETLINK_GET_STRICT_CHK)?;
        let mut addr = SockaddrNl::kernel();
        let ptr = &raw mut addr;
        // SAFETY: `addr` is a valid sockaddr_nl of the length given.
        let ret = unsafe {
            syscall6(
                arch::SYS_BIND,
                [fd as usize, ptr as usize, SOCKADDR_NL_LEN, 0, 0, 0],
            )
        };
        check("bind", ret)?;
        let mut len = SOCKADDR_NL_LEN as u32;
        let len_ptr = &raw mut len;
        // SAFETY: the kernel writes at most `len` bytes into `addr` and
        // the length actually written into `len`.
        let ret = unsafe {
            syscall6(
                arch::SYS_GETSOCKNAME,
                [fd as usize, ptr as usize, len_ptr as usize, 0, 0, 0],
            )
        };
        check("getsockname", ret)?;
        socket.port = addr.pid;
        Ok(socket)
    }

    /// Sets the `SOL_NETLINK` option `name` to 1.
    fn set_option(&mut self, name: usize) -> Result<(), SysError> {
        let one: i32 = 1;
        let ptr = &raw const one;
        // SAFETY: the option value is a readable 4-byte int.
        let ret = unsafe {
            syscall6(
                arch::SYS_SETSOCKOPT,
                [self.fd as usize, SOL_NETLINK, name, ptr as usize, 4, 0],
            )
        };
        check("setsockopt", ret).map(|_| ())
    }

    /// The port the kernel bound this socket to.
    pub(crate) fn port(&self) -> u32 {
        self.port
    }

    /// Sends `datagram` to the kernel, whole.
    pub(crate) fn send(&self, datagram: &[u8]) -> Result<(), SysError> {
        let to = SockaddrNl::kernel();
        loop {
            // SAFETY: `datagram` is readable for its length, `to` is a
            // valid sockaddr_nl.
            let ret = unsafe {
                syscall6(
                    arch::SYS_SENDTO,
                    [
                        self.fd as usize,
                        datagram.as_ptr() as usize,
                        datagram.len(),
                        0,
                        &raw const to as usize,
                        SOCKADDR_NL_LEN,
                    ],
                )
            };
            match check("sendto", ret) {
                Ok(n) if n == datagram.len() => return Ok(()),
                Ok(_) => {
                    return Err(SysError {
                        call: "sendto (short)",
                        errno: 90, // EMSGSIZE
                    });
                }
                Err(e) if e.errno == EINTR => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Receives one datagram into `buf`, telling truncation and the sender.
    pub(crate) fn recv(&self, buf: &mut [u8]) -> Result<Received, SysError> {
        loop {
            let mut from = SockaddrNl::default();
            let mut from_len = SOCKADDR_NL_LEN as u32;
            // SAFETY: `buf` is writable for its length; the kernel writes
            // at most `from_len` bytes into `from` and the length into
            // `from_len`.
            let ret = unsafe {
                syscall6(
                    arch::SYS_RECVFROM,
                    [
                        self.fd as usize,
                        buf.as_mut_ptr() as usize,
                        buf.len(),
                        MSG_TRUNC,
                        &raw mut from as usize,
                        &raw mut from_len as usize,
                    ],
                )
            };
            match check("recvfrom", ret) {
                Ok(n) => {
                    return Ok(Received {
                        len: n.min(buf.len()),
                        truncated: n > buf.len(),
                        sender: from.pid,
                    });
                }
                Err(e) if e.errno == EINTR => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for NetlinkSocket {
    fn drop(&mut self) {
        // SAFETY: close(2) takes no pointers; the fd is ours.
        unsafe {
            syscall6(arch::SYS_CLOSE, [self.fd as usize, 0, 0, 0, 0, 0]);
        }
    }
}

/// Writes all of `bytes` to file descriptor `fd` (1 stdout, 2 stderr).
pub(crate) fn write_all(fd: i32, mut bytes: &[u8]) -> Result<(), SysError> {
    while !bytes.is_empty() {
        // SAFETY: `bytes` is readable for its length.
        let ret = unsafe {
            syscall6(
                arch::SYS_WRITE,
                [fd as usize, bytes.as_ptr() as usize, bytes.len(), 0, 0, 0],
            )
        };
        match check("write", ret) {
            Ok(n) => bytes = bytes.get(n..).unwrap_or_default(),
            Err(e) if e.errno == EINTR => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Ends the process with status `code`.
pub(crate) fn exit(code: u8) -> ! {
    loop {
        // SAFETY: exit_group(2) takes no pointers and does not return.
        unsafe {
            syscall6(arch::SYS_EXIT_GROUP, [usize::from(code), 0, 0, 0, 0, 0]);
        }
    }
}

/// The command line: an iterator over the arguments after the program
/// name, as bytes. Cloning restarts nothing: a clone goes on from where
/// the original stands.
#[derive(Clone, Debug)]
pub(crate) struct Args {
    argv: *const *const u8,
    argc: usize,
    next: usize,
}

impl Iterator for Args {
    type Item = &'static [u8];

    fn next(&mut self) -> Option<&'static [u8]> {
        if self.next >= self.argc {
            return None;
        }
        // SAFETY: `argv` holds `argc` pointers (from the kernel, see
        // `entry`) and next < argc.
        let arg = unsafe { *self.argv.add(self.next) };
        self.next += 1;
        if arg.is_null() {
            return Some(&[]);
        }
        // SAFETY: each argument is NUL-terminated and lives in the process
        // stack area for the whole run.
        let len = unsafe { arch::strlen(arg) };
        // SAFETY: the `len` bytes before the NUL are readable and never
        // written while the process runs.
        Some(unsafe { core::slice::from_raw_parts(arg, len) })
    }
}

/// The Rust entry, called by `_start` with the initial stack pointer.
///
/// # Safety
/// `sp` must be the stack pointer the kernel set at process entry.
unsafe extern "C" fn entry(sp: *const usize) -> ! {
    // SAFETY: at entry, `sp` points at argc, followed by argc argv
    // pointers and a NULL.
    let argc = unsafe { *sp };
    // SAFETY: the argv array starts one word above argc.
    let argv = unsafe { sp.add(1) }.cast::<*const u8>();
    let args = Args {
        argv,
        argc,
        // Skip the program name.
        next: 1,
    };
    exit(crate::main(args))
}

/// The unwinder's personality routine, which the precompiled `core`
/// refers to when it is linked without LTO (dev builds). Nothing unwinds
/// here (`panic = "abort"`), so it is never called.
#[unsafe(no_mangle)]
extern "C" fn rust_eh_personality() {}
