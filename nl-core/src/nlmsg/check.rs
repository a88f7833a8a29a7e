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

#[cfg(test)]
mod tests {
    use super::*;

    /// A message header with the given seq and pid (host-endian), and no payload.
    fn header(seq: u32, pid: u32) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..4].copy_from_slice(&16u32.to_ne_bytes()); //  nlmsg_len = 16
        b[4..6].copy_from_slice(&0x10u16.to_ne_bytes()); // nlmsg_type = 0x10
        b[8..12].copy_from_slice(&seq.to_ne_bytes()); //   nlmsg_seq
        b[12..].copy_from_slice(&pid.to_ne_bytes()); //    nlmsg_pid
        b
    }

    #[test]
    fn sender_checks() {
        assert_eq!(check_sender(0, Senders::Kernel), Ok(()));
        assert_eq!(
            check_sender(42, Senders::Kernel),
            Err(Error::UnexpectedPort { port: 42 })
        );
        assert_eq!(check_sender(0, Senders::KernelAnd(42)), Ok(()));
        assert_eq!(check_sender(42, Senders::KernelAnd(42)), Ok(()));
        assert_eq!(
            check_sender(43, Senders::KernelAnd(42)),
            Err(Error::UnexpectedPort { port: 43 })
        );
        assert_eq!(check_sender(u32::MAX, Senders::Any), Ok(()));
        assert_eq!(KERNEL_PORT, 0);
    }

    #[test]
    fn seq_and_reply_checks() {
        let bytes = header(7, 1234);
        let msg = Message::parse(&bytes).unwrap();
        assert_eq!(check_seq(&msg, 7), Ok(()));
        assert_eq!(
            check_seq(&msg, 8),
            Err(Error::UnexpectedSeq {
                expected: 8,
                found: 7
            })
        );
        assert_eq!(check_reply(&msg, 7, 1234), Ok(()));
        assert_eq!(
            check_reply(&msg, 7, 99),
            Err(Error::UnexpectedPort { port: 1234 })
        );
        assert_eq!(
            check_reply(&msg, 6, 99),
            Err(Error::UnexpectedSeq {
                expected: 6,
                found: 7
            }),
            "the sequence number is checked first"
        );
    }
}
