//! Classifying each received message: data, ACK, error, DONE, overrun.
//!
//! `NLMSG_ERROR` payload (error 0 is an ACK):
//! ```text
//! +----------------+----------------------------------+-------------------+
//! | error (i32,    | the request's nlmsghdr, and its  | extended ACK TLVs |
//! | -errno or 0)   | payload unless NLM_F_CAPPED      | if NLM_F_ACK_TLVS |
//! +----------------+----------------------------------+-------------------+
//! ```
//! `NLMSG_DONE` payload: `status (i32)`, then extended ACK TLVs if
//! `NLM_F_ACK_TLVS`.

use zerocopy::FromBytes;

use super::extack::ExtAck;
use super::header::{self, Flags, Header};
use super::message::Message;
use crate::Error;
use crate::errno::Errno;
use crate::writer::align;

/// What one received message is.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Reply<'a> {
    /// A family message (type ≥ 16): a reply or a dump entry.
    Data(Message<'a>),
    /// `NLMSG_ERROR` with error 0: the request succeeded.
    Ack(Ack<'a>),
    /// `NLMSG_ERROR` with an errno: the request failed.
    Error(Ack<'a>),
    /// `NLMSG_DONE`: the dump ended, with a status.
    Done(Done<'a>),
    /// `NLMSG_OVERRUN`: the kernel lost data.
    Overrun(Message<'a>),
    /// `NLMSG_NOOP`, or a reserved control type below 16: nothing to do.
    Noop(Message<'a>),
}

/// An `NLMSG_ERROR` message: an ACK (code 0) or an error.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Ack<'a> {
    /// The message itself.
    pub message: Message<'a>,
    /// `0`, or the negative errno.
    pub code: i32,
    /// The header of the request this answers.
    pub request: &'a Header,
    /// The request's payload, when the kernel echoed it (not `NLM_F_CAPPED`).
    pub request_payload: &'a [u8],
    /// Extended ACK attributes.
    pub ext: ExtAck<'a>,
}

impl Ack<'_> {
    /// The error as a positive errno (0 for an ACK).
    pub fn errno(&self) -> Errno {
        Errno(self.code.saturating_neg())
    }
}

/// An `NLMSG_DONE` message.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Done<'a> {
    /// The message itself.
    pub message: Message<'a>,
    /// `0`, or a negative errno telling why the dump stopped.
    pub status: i32,
    /// Extended ACK attributes.
    pub ext: ExtAck<'a>,
}

impl Done<'_> {
    /// The status as a positive errno (0 when the dump completed).
    pub fn errno(&self) -> Errno {
        Errno(self.status.saturating_neg())
    }
}

impl<'a> Reply<'a> {
    /// Classifies `message`. Fails only when an ERROR or DONE payload is malformed.
    pub fn classify(message: Message<'a>) -> Result<Self, Error> {
        match message.ty() {
            header::ERROR => Self::error(message),
            header::DONE => Self::done(message),
            header::OVERRUN => Ok(Reply::Overrun(message)),
            ty if ty < header::MIN_TYPE => Ok(Reply::Noop(message)),
            _ => Ok(Reply::Data(message)),
        }
    }

    fn error(message: Message<'a>) -> Result<Self, Error> {
        let payload = message.payload();
        let code = read_i32(payload)?;
        let echoed = payload.get(4..).ok_or(Error::Truncated)?;
        let (request, _) = Header::ref_from_prefix(echoed).map_err(|_| Error::Truncated)?;
        let echo_len = if message.flags().contains(Flags::CAPPED) || code == 0 {
            // ACKs never echo the payload, whatever the flags say.
            Header::LEN
        } else {
            let len = usize::try_from(request.len.get()).map_err(|_| Error::Truncated)?;
            len.max(Header::LEN)
        };
        let request_payload = echoed.get(Header::LEN..echo_len).ok_or(Error::Truncated)?;
        let ext = if message.flags().contains(Flags::ACK_TLVS) {
            // The TLVs start after the echo's padding; a message that ends
            // inside that padding simply has none.
            let tlv_start = align(echo_len).ok_or(Error::Truncated)?;
            ExtAck::parse(echoed.get(tlv_start..).unwrap_or_default())?
        } else {
            ExtAck::empty()
        };
        let ack = Ack {
            message,
            code,
            request,
            request_payload,
            ext,
        };
        Ok(if code == 0 {
            Reply::Ack(ack)
        } else {
            Reply::Error(ack)
        })
    }

    fn done(message: Message<'a>) -> Result<Self, Error> {
        let payload = message.payload();
        // Very old kernels sent DONE without a status: treat it as 0.
        let status = if payload.is_empty() {
            0
        } else {
            read_i32(payload)?
        };
        let ext = if message.flags().contains(Flags::ACK_TLVS) {
            ExtAck::parse(payload.get(4..).unwrap_or_default())?
        } else {
            ExtAck::empty()
        };
        Ok(Reply::Done(Done {
            message,
            status,
            ext,
        }))
    }
}

fn read_i32(bytes: &[u8]) -> Result<i32, Error> {
    let head = bytes.get(..4).ok_or(Error::Truncated)?;
    let head: [u8; 4] = head.try_into().map_err(|_| Error::Truncated)?;
    Ok(i32::from_ne_bytes(head))
}
