//! Sequence and port checks, as pure functions over what was received.

use super::message::Message;
use crate::Error;

/// The kernel's port id.
pub const KERNEL_PORT: u32 = 0;

/// Which senders a socket accepts messages from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Senders {
    /// Only the kernel (port 0): the default, and the only safe choice for
    /// replies.
    Kernel,
    /// The kernel and the one given user-space port.
    KernelAnd(u32),
    /// Anyone (for sockets that talk to user-space peers on purpose).
    Any,
}

/// Checks the sender's port (`nl_pid` of the source address, not the
/// message header) against `allowed`.
pub fn check_sender(port: u32, allowed: Senders) -> Result<(), Error> {
    let ok = match allowed {
        Senders::Kernel => port == KERNEL_PORT,
        Senders::KernelAnd(peer) => port == KERNEL_PORT || port == peer,
        Senders::Any => true,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::UnexpectedPort { port })
    }
}

/// Checks that `message` answers the request with sequence number `seq`.
pub fn check_seq(message: &Message<'_>, seq: u32) -> Result<(), Error> {
    if message.seq() == seq {
        Ok(())
    } else {
        Err(Error::UnexpectedSeq {
            expected: seq,
            found: message.seq(),
        })
    }
}

/// Checks that `message` is a reply to our request: its sequence number is
/// `seq` and its port id is ours (`port`, as the kernel bound it). A reply's
/// `nlmsg_pid` is the requester's port; a notification from another socket's
/// change carries that socket's port instead.
pub fn check_reply(message: &Message<'_>, seq: u32, port: u32) -> Result<(), Error> {
    check_seq(message, seq)?;
    if message.pid() == port {
        Ok(())
    } else {
        Err(Error::UnexpectedPort {
            port: message.pid(),
        })
    }
}
