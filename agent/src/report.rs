//! The messages on stderr: a usage error, or why a step failed.

use nl_agent::put::Put;
use nl_core::Error;
use nl_core::errno::Errno;

use crate::args::{USAGE, Usage};
use crate::netlink::Failure;
use crate::out::Out;
use crate::sys::SysError;

/// `nl-agent: step N: WHY: "WORD"`, then the usage text.
pub(crate) fn usage(err: &mut Out, usage: &Usage) {
    err.put(b"nl-agent: step ");
    err.put_u32(usage.step);
    err.put(b": ");
    err.put(usage.why.as_bytes());
    if let Some(word) = usage.word {
        err.put(b": \"");
        err.put(word.as_bytes());
        err.put(b"\"");
    }
    err.put(b"\n");
    err.put(USAGE.as_bytes());
}

/// `NAME (errno N)`, or `errno N` for an errno nl-core has no name for.
fn errno(err: &mut Out, errno: i32) {
    let number = errno.unsigned_abs();
    match Errno(errno).name() {
        Some(name) => {
            err.put(name.as_bytes());
            err.put(b" (errno ");
            err.put_u32(number);
            err.put(b")");
        }
        None => {
            err.put(b"errno ");
            err.put_u32(number);
        }
    }
}

/// `nl-agent: step N (WORDS): ERRNO (errno N): EXTACK TEXT`, or the
/// transport or codec failure in place of the errno.
pub(crate) fn failure(err: &mut Out, number: u32, words: &[&str], failure: &Failure) {
    err.put(b"nl-agent: step ");
    err.put_u32(number);
    err.put(b" (");
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            err.put(b" ");
        }
        err.put(word.as_bytes());
    }
    err.put(b"): ");
    match failure {
        Failure::Kernel { errno: code, text } => {
            errno(err, *code);
            if !text.as_bytes().is_empty() {
                err.put(b": ");
                err.put(text.as_bytes());
            }
        }
        Failure::Sys(e) => {
            err.put(e.call.as_bytes());
            err.put(b": ");
            errno(err, e.errno);
        }
        Failure::Codec(e) => codec(err, e),
        Failure::Truncated => err.put(b"a reply was larger than the receive buffer"),
        Failure::Interrupted => err.put(b"dump interrupted (NLM_F_DUMP_INTR): retry"),
        Failure::Overrun => err.put(b"the kernel lost messages (NLMSG_OVERRUN)"),
        Failure::NoAnswer => err.put(b"the kernel acknowledged without an answer"),
    }
    err.put(b"\n");
}

/// `netlink message: WHAT[ (FIELDS)]`, as nl-core's `Display` of the
/// error writes it (without going through `core::fmt`).
fn codec(err: &mut Out, e: &Error) {
    err.put(b"netlink message: ");
    err.put(e.message().as_bytes());
    let mut field = |name: &[u8], value: u32, last: bool| {
        err.put(name);
        err.put_u32(value);
        err.put(if last { b")" } else { b", " });
    };
    match *e {
        Error::BadAttrLength { ty, len } => {
            field(b" (type ", u32::from(ty), false);
            field(b"length ", u32::try_from(len).unwrap_or(u32::MAX), true);
        }
        Error::BadPayload { ty } | Error::MissingAttr { ty } | Error::UnexpectedType { ty } => {
            field(b" (type ", u32::from(ty), true)
        }
        Error::NoRoom { needed } => {
            field(b" (", u32::try_from(needed).unwrap_or(u32::MAX), false);
            err.put(b"bytes needed)");
        }
        Error::UnexpectedSeq { expected, found } => {
            field(b" (expected ", expected, false);
            field(b"found ", found, true);
        }
        Error::UnexpectedPort { port } => field(b" (port ", port, true),
        _ => {}
    }
}

/// `nl-agent: stdout: CALL: ERRNO (errno N)`: the output could not be written.
pub(crate) fn output(err: &mut Out, e: SysError) {
    err.put(b"nl-agent: stdout: ");
    err.put(e.call.as_bytes());
    err.put(b": ");
    errno(err, e.errno);
    err.put(b"\n");
}
