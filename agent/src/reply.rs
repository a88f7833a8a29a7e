//! Classifying each received message for one request: data, the ACK or
//! error of `NLMSG_ERROR`, `NLMSG_DONE`, overrun, nothing. Read with
//! nl-core's lower layers (`nlmsg::Message`, `nlmsg::Header` through
//! `split_fixed`, `attr::AttrIter`, the `NulStr` kind), as nl-core's
//! `Reply::classify` reads them, keeping of the extended ACK only its text
//! (`NLMSGERR_ATTR_MSG`): `Reply::classify` indexes every extended-ACK
//! attribute through the `nlmsgerr-attrs` and policy tables, which bring
//! about 4 KiB into the binary. The tests check every classification
//! against `Reply::classify`.
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

use nl_core::Error;
use nl_core::attr::AttrIter;
use nl_core::nlmsg::{self, ExtAckAttrs, Flags, Header, Message};
use nl_core::table::{AttrType, NulStr};

/// What one received message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyKind<'a> {
    /// A family message (type ≥ 16).
    Data,
    /// `NLMSG_ERROR`: `code` 0 (an ACK) or the negative errno, and the
    /// extended ACK text (empty when none).
    Status {
        /// 0 or a negative errno.
        code: i32,
        /// The kernel's message text, without its NUL.
        text: &'a [u8],
    },
    /// `NLMSG_DONE`: `code` 0 (the dump is complete) or the negative
    /// errno that ended it, and the extended ACK text.
    Done {
        /// 0 or a negative errno.
        code: i32,
        /// The kernel's message text, without its NUL.
        text: &'a [u8],
    },
    /// `NLMSG_OVERRUN`: the kernel lost data.
    Overrun,
    /// `NLMSG_NOOP` or another reserved type: nothing to do.
    Noop,
}

/// The `i32` at the start of `bytes`.
fn read_i32(bytes: &[u8]) -> Result<i32, Error> {
    let head = bytes.get(..4).ok_or(Error::Truncated)?;
    Ok(i32::from_ne_bytes(
        head.try_into().map_err(|_| Error::Truncated)?,
    ))
}

/// The `NLMSGERR_ATTR_MSG` text of extended ACK TLVs (empty if none).
fn ext_ack_text(tlvs: &[u8]) -> Result<&[u8], Error> {
    let mut text: &[u8] = &[];
    for attr in AttrIter::new(tlvs) {
        let attr = attr?;
        if attr.ty() == ExtAckAttrs::MSG.ty() {
            let ty = attr.ty();
            text = NulStr::<0>::decode(attr.payload())
                .ok_or(Error::BadPayload { ty })?
                .as_bytes();
        }
    }
    Ok(text)
}

/// Classifies `message`; a malformed `NLMSG_ERROR` or `NLMSG_DONE` (or
/// extended ACK) is an error.
pub fn classify<'a>(message: &Message<'a>) -> Result<ReplyKind<'a>, Error> {
    let payload = message.payload();
    let tlvs = message.flags().contains(Flags::ACK_TLVS);
    match message.ty() {
        nlmsg::ERROR => {
            let code = read_i32(payload)?;
            let echoed = payload.get(4..).unwrap_or_default();
            let (request, _) = nlmsg::split_fixed::<Header>(echoed)?;
            let echo_len = if message.flags().contains(Flags::CAPPED) || code == 0 {
                // ACKs never echo the payload, whatever the flags say.
                Header::LEN
            } else {
                usize::try_from(request.len.get())
                    .map_err(|_| Error::Truncated)?
                    .max(Header::LEN)
            };
            if echoed.len() < echo_len {
                return Err(Error::Truncated);
            }
            let text = if tlvs {
                // The TLVs start after the echo's padding.
                let start = nl_core::align(echo_len).ok_or(Error::Truncated)?;
                ext_ack_text(echoed.get(start..).unwrap_or_default())?
            } else {
                &[]
            };
            Ok(ReplyKind::Status { code, text })
        }
        nlmsg::DONE => {
            // Very old kernels sent DONE without a status: 0.
            let code = if payload.is_empty() {
                0
            } else {
                read_i32(payload)?
            };
            let text = if tlvs {
                ext_ack_text(payload.get(4..).unwrap_or_default())?
            } else {
                &[]
            };
            Ok(ReplyKind::Done { code, text })
        }
        nlmsg::OVERRUN => Ok(ReplyKind::Overrun),
        ty if ty < nlmsg::MIN_TYPE => Ok(ReplyKind::Noop),
        _ => Ok(ReplyKind::Data),
    }
}

#[cfg(all(test, target_endian = "little"))]
#[path = "reply_tests.rs"]
mod tests;
