//! One request at a time over a netlink socket: send it, read every reply
//! until its ACK (or, for a dump, its DONE), classify each (`nl_agent::reply`,
//! over nl-core's message layer), check sequence number and sender, lose
//! nothing.

use nl_agent::reply::{ReplyKind, classify};
use nl_core::nlmsg::{self, Flags, Header, Message, Messages, Senders};

use crate::sys::{NetlinkSocket, SysError};

/// Receive buffer: one datagram of a dump is at most about 32 KiB.
pub(crate) const RECV_LEN: usize = 32 * 1024;

/// The longest extended-ACK text kept for the error message.
const TEXT_LEN: usize = 200;

/// Why a request failed.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Failure {
    /// The kernel answered with an error (from `NLMSG_ERROR` or `NLMSG_DONE`).
    Kernel {
        /// The positive errno.
        errno: i32,
        /// The extended ACK message, if the kernel gave one.
        text: Text,
    },
    /// A system call failed.
    Sys(SysError),
    /// nl-core could not build a request or decode a reply.
    Codec(nl_core::Error),
    /// A datagram was longer than the receive buffer.
    Truncated,
    /// The dump was interrupted (`NLM_F_DUMP_INTR`): the table changed.
    Interrupted,
    /// The kernel reported lost messages (`NLMSG_OVERRUN`).
    Overrun,
    /// The kernel acknowledged a query without sending its answer.
    NoAnswer,
}

impl From<nl_core::Error> for Failure {
    fn from(e: nl_core::Error) -> Self {
        Failure::Codec(e)
    }
}

impl From<SysError> for Failure {
    fn from(e: SysError) -> Self {
        Failure::Sys(e)
    }
}

/// A copy of a short text (an extended ACK message), cut at [`TEXT_LEN`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Text {
    bytes: [u8; TEXT_LEN],
    len: usize,
}

impl Text {
    fn new(text: &[u8]) -> Self {
        let mut bytes = [0; TEXT_LEN];
        let len = text.len().min(TEXT_LEN);
        if let (Some(dst), Some(src)) = (bytes.get_mut(..len), text.get(..len)) {
            dst.copy_from_slice(src);
        }
        Text { bytes, len }
    }

    /// The text (empty when the kernel gave none).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

/// The kernel error of an `NLMSG_ERROR` or `NLMSG_DONE` (`code` < 0).
fn kernel_error(code: i32, text: &[u8]) -> Failure {
    Failure::Kernel {
        errno: code.saturating_neg(),
        text: Text::new(text),
    }
}

/// A netlink socket that numbers its requests.
pub(crate) struct Conn {
    socket: NetlinkSocket,
    seq: u32,
}

impl Conn {
    /// Opens a socket of netlink `protocol`.
    pub(crate) fn open(protocol: u32) -> Result<Self, Failure> {
        Ok(Conn {
            socket: NetlinkSocket::open(protocol)?,
            seq: 0,
        })
    }

    /// The sequence number for the next request.
    pub(crate) fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    /// Sends `request` (one message, as an nl-core builder wrote it) and
    /// hands every data reply to `on_data`. A dump request (`NLM_F_DUMP`)
    /// ends at `NLMSG_DONE`; any other gets `NLM_F_ACK` set here and ends
    /// at its ACK. Every message must answer this request (sequence
    /// number, our port) and come from the kernel.
    pub(crate) fn exchange(
        &mut self,
        request: &mut [u8],
        recv: &mut [u8],
        on_data: &mut dyn FnMut(Message<'_>) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let (seq, dump) = ask_ack(request)?;
        self.socket.send(request)?;
        let port = self.socket.port();
        loop {
            let got = self.socket.recv(recv)?;
            nlmsg::check_sender(got.sender, Senders::Kernel)?;
            if got.truncated {
                return Err(Failure::Truncated);
            }
            for message in Messages::new(recv.get(..got.len).unwrap_or_default()) {
                let message = message?;
                nlmsg::check_reply(&message, seq, port)?;
                if dump && message.dump_interrupted() {
                    return Err(Failure::Interrupted);
                }
                match classify(&message)? {
                    ReplyKind::Data => on_data(message)?,
                    ReplyKind::Status { code: 0, .. } if !dump => return Ok(()),
                    ReplyKind::Status { code, text } | ReplyKind::Done { code, text }
                        if code != 0 =>
                    {
                        return Err(kernel_error(code, text));
                    }
                    ReplyKind::Done { .. } if dump => return Ok(()),
                    ReplyKind::Overrun => return Err(Failure::Overrun),
                    // The DONE ending a multi-part answer to a non-dump
                    // request comes before its ACK; NOOPs carry nothing.
                    ReplyKind::Status { .. } | ReplyKind::Done { .. } | ReplyKind::Noop => {}
                }
            }
        }
    }
}

/// Reads the request's sequence number and whether it is a dump; sets
/// `NLM_F_ACK` on a non-dump request.
fn ask_ack(request: &mut [u8]) -> Result<(u32, bool), Failure> {
    const FLAGS_AT: usize = 6;
    const { assert!(FLAGS_AT + 2 <= Header::LEN) };
    let message = Message::parse(request)?;
    let (seq, flags) = (message.seq(), message.flags());
    let dump = flags.contains(Flags::DUMP);
    if !dump {
        let with_ack = (flags.bits() | Flags::ACK.bits()).to_ne_bytes();
        let field = request
            .get_mut(FLAGS_AT..FLAGS_AT + 2)
            .ok_or(nl_core::Error::Truncated)?;
        field.copy_from_slice(&with_ack);
    }
    Ok((seq, dump))
}
