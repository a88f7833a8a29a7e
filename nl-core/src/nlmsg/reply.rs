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

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
// Unless marked "hand-built", each was received from this kernel (6.18).
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::*;
    use crate::policy::PolicyAttrs;

    /// ACK for `CTRL_CMD_GETFAMILY "nlctrl"` with `NLM_F_ACK`.
    #[rustfmt::skip]
    static ACK: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x01,             // nlmsg_flags = NLM_F_CAPPED
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x6b, 0x22, 0x00, 0x00, // nlmsg_pid = 8811
        0x00, 0x00, 0x00, 0x00, // error = 0
        0x20, 0x00, 0x00, 0x00, // request nlmsg_len = 32
        0x10, 0x00,             // request nlmsg_type = GENL_ID_CTRL
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x01, 0x00, 0x00, 0x00, // request nlmsg_seq = 1
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
    ];

    /// Hand-built: the same ACK as kernels before 4.12 sent it, without
    /// `NLM_F_CAPPED` (they never echoed an ACK's payload either).
    #[rustfmt::skip]
    static ACK_UNCAPPED: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x00,             // nlmsg_flags = 0
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x6b, 0x22, 0x00, 0x00, // nlmsg_pid = 8811
        0x00, 0x00, 0x00, 0x00, // error = 0
        0x20, 0x00, 0x00, 0x00, // request nlmsg_len = 32
        0x10, 0x00,             // request nlmsg_type = GENL_ID_CTRL
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x01, 0x00, 0x00, 0x00, // request nlmsg_seq = 1
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
    ];

    /// Hand-built: an ACK carrying a warning text (the kernel sends one when
    /// a handler sets an extack message and succeeds).
    #[rustfmt::skip]
    static ACK_WARNING: [u8; 48] = [
        0x30, 0x00, 0x00, 0x00, // nlmsg_len = 48
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x03,             // nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x6b, 0x22, 0x00, 0x00, // nlmsg_pid = 8811
        0x00, 0x00, 0x00, 0x00, // error = 0
        0x20, 0x00, 0x00, 0x00, // request nlmsg_len = 32
        0x10, 0x00,             // request nlmsg_type = GENL_ID_CTRL
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x01, 0x00, 0x00, 0x00, // request nlmsg_seq = 1
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
        0x09, 0x00, 0x01, 0x00, // nla_len = 9, NLMSGERR_ATTR_MSG
        b'w', b'a', b'r', b'n', 0x00, 0x00, 0x00, 0x00, // "warn\0" + 3 padding
    ];

    /// `CTRL_CMD_GETFAMILY "nope"`: ENOENT, the whole request echoed.
    #[rustfmt::skip]
    static ENOENT: [u8; 52] = [
        0x34, 0x00, 0x00, 0x00, // nlmsg_len = 52
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x00,             // nlmsg_flags = 0 (not capped)
        0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
        0xad, 0x22, 0x00, 0x00, // nlmsg_pid = 8877
        0xfe, 0xff, 0xff, 0xff, // error = -2 (ENOENT)
        0x20, 0x00, 0x00, 0x00, // request nlmsg_len = 32
        0x10, 0x00,             // request nlmsg_type = GENL_ID_CTRL
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x02, 0x00, 0x00, 0x00, // request nlmsg_seq = 2
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
        0x03, 0x02, 0x00, 0x00, // request genlmsghdr: CTRL_CMD_GETFAMILY, version 2
        0x09, 0x00, 0x02, 0x00, // nla_len = 9, CTRL_ATTR_FAMILY_NAME
        b'n', b'o', b'p', b'e', 0x00, 0x00, 0x00, 0x00, // "nope\0" + 3 padding
    ];

    /// `CTRL_CMD_GETFAMILY` with a 1-byte `CTRL_ATTR_FAMILY_ID` on a socket
    /// with NETLINK_EXT_ACK: ERANGE, request echoed, message, offset and
    /// the attribute's policy.
    #[rustfmt::skip]
    static ERANGE_POLICY: [u8; 132] = [
        0x84, 0x00, 0x00, 0x00, // nlmsg_len = 132
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x02,             // nlmsg_flags = NLM_F_ACK_TLVS
        0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
        0xff, 0x22, 0x00, 0x00, // nlmsg_pid = 8959
        0xde, 0xff, 0xff, 0xff, // error = -34 (ERANGE)
        0x1c, 0x00, 0x00, 0x00, // request nlmsg_len = 28
        0x10, 0x00,             // request nlmsg_type = GENL_ID_CTRL
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x03, 0x00, 0x00, 0x00, // request nlmsg_seq = 3
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
        0x03, 0x02, 0x00, 0x00, // request genlmsghdr: CTRL_CMD_GETFAMILY, version 2
        0x05, 0x00, 0x01, 0x00, // nla_len = 5, CTRL_ATTR_FAMILY_ID (should be 6)
        0x10, 0x00, 0x00, 0x00, // 0x10 + 3 padding
        0x27, 0x00, 0x01, 0x00, // nla_len = 39, NLMSGERR_ATTR_MSG
        b'A', b't', b't', b'r', b'i', b'b', b'u', b't', b'e', b' ',
        b'f', b'a', b'i', b'l', b'e', b'd', b' ',
        b'p', b'o', b'l', b'i', b'c', b'y', b' ',
        b'v', b'a', b'l', b'i', b'd', b'a', b't', b'i', b'o', b'n',
        0x00, 0x00,             // NUL + 1 padding
        0x08, 0x00, 0x02, 0x00, // nla_len = 8, NLMSGERR_ATTR_OFFS
        0x14, 0x00, 0x00, 0x00, // offset 20: the FAMILY_ID attribute
        0x24, 0x00, 0x04, 0x80, // nla_len = 36, NLMSGERR_ATTR_POLICY | NLA_F_NESTED
        0x0c, 0x00, 0x04, 0x00, // nla_len = 12, NL_POLICY_TYPE_ATTR_MIN_VALUE_U
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0
        0x0c, 0x00, 0x05, 0x00, // nla_len = 12, NL_POLICY_TYPE_ATTR_MAX_VALUE_U
        0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 65535
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_TYPE
        0x03, 0x00, 0x00, 0x00, // NL_ATTR_TYPE_U16
    ];

    /// The same request on a socket with NETLINK_CAP_ACK too: only the
    /// request's header is echoed.
    #[rustfmt::skip]
    static ERANGE_CAPPED: [u8; 120] = [
        0x78, 0x00, 0x00, 0x00, // nlmsg_len = 120
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x03,             // nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS
        0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
        0x28, 0x23, 0x00, 0x00, // nlmsg_pid = 9000
        0xde, 0xff, 0xff, 0xff, // error = -34 (ERANGE)
        0x1c, 0x00, 0x00, 0x00, // request nlmsg_len = 28 (but only its header follows)
        0x10, 0x00,             // request nlmsg_type = GENL_ID_CTRL
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x03, 0x00, 0x00, 0x00, // request nlmsg_seq = 3
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
        0x27, 0x00, 0x01, 0x00, // nla_len = 39, NLMSGERR_ATTR_MSG
        b'A', b't', b't', b'r', b'i', b'b', b'u', b't', b'e', b' ',
        b'f', b'a', b'i', b'l', b'e', b'd', b' ',
        b'p', b'o', b'l', b'i', b'c', b'y', b' ',
        b'v', b'a', b'l', b'i', b'd', b'a', b't', b'i', b'o', b'n',
        0x00, 0x00,             // NUL + 1 padding
        0x08, 0x00, 0x02, 0x00, // nla_len = 8, NLMSGERR_ATTR_OFFS
        0x14, 0x00, 0x00, 0x00, // offset 20
        0x24, 0x00, 0x04, 0x80, // nla_len = 36, NLMSGERR_ATTR_POLICY | NLA_F_NESTED
        0x0c, 0x00, 0x04, 0x00, // nla_len = 12, NL_POLICY_TYPE_ATTR_MIN_VALUE_U
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0
        0x0c, 0x00, 0x05, 0x00, // nla_len = 12, NL_POLICY_TYPE_ATTR_MAX_VALUE_U
        0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 65535
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_TYPE
        0x03, 0x00, 0x00, 0x00, // NL_ATTR_TYPE_U16
    ];

    /// netdev `dev-get` without `NETDEV_A_DEV_IFINDEX`: EINVAL, missing type 1.
    #[rustfmt::skip]
    static MISS_TYPE: [u8; 48] = [
        0x30, 0x00, 0x00, 0x00, // nlmsg_len = 48
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x02,             // nlmsg_flags = NLM_F_ACK_TLVS
        0x06, 0x00, 0x00, 0x00, // nlmsg_seq = 6
        0x6b, 0x24, 0x00, 0x00, // nlmsg_pid = 9323
        0xea, 0xff, 0xff, 0xff, // error = -22 (EINVAL)
        0x14, 0x00, 0x00, 0x00, // request nlmsg_len = 20
        0x14, 0x00,             // request nlmsg_type = 0x14 (netdev on this host)
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x06, 0x00, 0x00, 0x00, // request nlmsg_seq = 6
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
        0x01, 0x01, 0x00, 0x00, // request genlmsghdr: NETDEV_CMD_DEV_GET, version 1
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, NLMSGERR_ATTR_MISS_TYPE
        0x01, 0x00, 0x00, 0x00, // NETDEV_A_DEV_IFINDEX
    ];

    /// Hand-built: EINVAL for a request whose nest at offset 20 lacks its
    /// attribute 1, as `NL_REQ_ATTR_CHECK` with a nest reports it.
    #[rustfmt::skip]
    static MISS_NEST: [u8; 52] = [
        0x34, 0x00, 0x00, 0x00, // nlmsg_len = 52
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x03,             // nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS
        0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
        0x00, 0x01, 0x00, 0x00, // nlmsg_pid = 256
        0xea, 0xff, 0xff, 0xff, // error = -22 (EINVAL)
        0x1c, 0x00, 0x00, 0x00, // request nlmsg_len = 28
        0x20, 0x00,             // request nlmsg_type = 0x20
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x07, 0x00, 0x00, 0x00, // request nlmsg_seq = 7
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, NLMSGERR_ATTR_MISS_TYPE
        0x01, 0x00, 0x00, 0x00, // type 1
        0x08, 0x00, 0x06, 0x00, // nla_len = 8, NLMSGERR_ATTR_MISS_NEST
        0x14, 0x00, 0x00, 0x00, // offset 20
    ];

    /// Hand-built: EOPNOTSUPP with a subsystem cookie.
    #[rustfmt::skip]
    static COOKIE: [u8; 48] = [
        0x30, 0x00, 0x00, 0x00, // nlmsg_len = 48
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x03,             // nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS
        0x08, 0x00, 0x00, 0x00, // nlmsg_seq = 8
        0x00, 0x01, 0x00, 0x00, // nlmsg_pid = 256
        0xa1, 0xff, 0xff, 0xff, // error = -95 (EOPNOTSUPP)
        0x10, 0x00, 0x00, 0x00, // request nlmsg_len = 16
        0x20, 0x00,             // request nlmsg_type = 0x20
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x08, 0x00, 0x00, 0x00, // request nlmsg_seq = 8
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
        0x0c, 0x00, 0x03, 0x00, // nla_len = 12, NLMSGERR_ATTR_COOKIE
        0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, // 8 cookie bytes
    ];

    /// netdev `qstats-get` with `NETDEV_A_QSTATS_SCOPE = 0xff`: EINVAL,
    /// request echoed, message and offset.
    #[rustfmt::skip]
    static RESERVED_BIT: [u8; 80] = [
        0x50, 0x00, 0x00, 0x00, // nlmsg_len = 80
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x02,             // nlmsg_flags = NLM_F_ACK_TLVS
        0x06, 0x00, 0x00, 0x00, // nlmsg_seq = 6
        0x4a, 0x25, 0x00, 0x00, // nlmsg_pid = 9546
        0xea, 0xff, 0xff, 0xff, // error = -22 (EINVAL)
        0x1c, 0x00, 0x00, 0x00, // request nlmsg_len = 28
        0x14, 0x00,             // request nlmsg_type = 0x14 (netdev)
        0x01, 0x03,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
        0x06, 0x00, 0x00, 0x00, // request nlmsg_seq = 6
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
        0x0c, 0x01, 0x00, 0x00, // request genlmsghdr: NETDEV_CMD_QSTATS_GET, version 1
        0x08, 0x00, 0x04, 0x00, // nla_len = 8, NETDEV_A_QSTATS_SCOPE
        0xff, 0x00, 0x00, 0x00, // 0xff
        0x15, 0x00, 0x01, 0x00, // nla_len = 21, NLMSGERR_ATTR_MSG
        b'r', b'e', b's', b'e', b'r', b'v', b'e', b'd', b' ',
        b'b', b'i', b't', b' ', b's', b'e', b't',
        0x00, 0x00, 0x00, 0x00, // NUL + 3 padding
        0x08, 0x00, 0x02, 0x00, // nla_len = 8, NLMSGERR_ATTR_OFFS
        0x14, 0x00, 0x00, 0x00, // offset 20
    ];

    /// End of the nlctrl family dump.
    #[rustfmt::skip]
    static DONE_OK: [u8; 20] = [
        0x14, 0x00, 0x00, 0x00, // nlmsg_len = 20
        0x03, 0x00,             // nlmsg_type = NLMSG_DONE
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x04, 0x00, 0x00, 0x00, // nlmsg_seq = 4
        0x72, 0x23, 0x00, 0x00, // nlmsg_pid = 9074
        0x00, 0x00, 0x00, 0x00, // status = 0
    ];

    /// netdev `qstats-get` dump for ifindex 99 (no such device): the dump
    /// ends with ENODEV and the offset of the ifindex attribute.
    #[rustfmt::skip]
    static DONE_ENODEV: [u8; 28] = [
        0x1c, 0x00, 0x00, 0x00, // nlmsg_len = 28
        0x03, 0x00,             // nlmsg_type = NLMSG_DONE
        0x02, 0x02,             // nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS
        0x06, 0x00, 0x00, 0x00, // nlmsg_seq = 6
        0x21, 0x25, 0x00, 0x00, // nlmsg_pid = 9505
        0xed, 0xff, 0xff, 0xff, // status = -19 (ENODEV)
        0x08, 0x00, 0x02, 0x00, // nla_len = 8, NLMSGERR_ATTR_OFFS
        0x14, 0x00, 0x00, 0x00, // offset 20
    ];

    /// Hand-built: DONE with an error text.
    #[rustfmt::skip]
    static DONE_MSG: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
        0x03, 0x00,             // nlmsg_type = NLMSG_DONE
        0x02, 0x02,             // nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS
        0x09, 0x00, 0x00, 0x00, // nlmsg_seq = 9
        0x00, 0x01, 0x00, 0x00, // nlmsg_pid = 256
        0xea, 0xff, 0xff, 0xff, // status = -22 (EINVAL)
        0x0d, 0x00, 0x01, 0x00, // nla_len = 13, NLMSGERR_ATTR_MSG
        b'b', b'a', b'd', b' ', b'd', b'u', b'm', b'p', 0x00, // "bad dump\0"
        0x00, 0x00, 0x00,       // padding
    ];

    fn classify(bytes: &[u8]) -> Result<Reply<'_>, Error> {
        Reply::classify(Message::parse(bytes)?)
    }

    fn ack(bytes: &[u8]) -> Ack<'_> {
        match classify(bytes).unwrap() {
            Reply::Ack(ack) => ack,
            other => panic!("not an ACK: {other:?}"),
        }
    }

    fn error(bytes: &[u8]) -> Ack<'_> {
        match classify(bytes).unwrap() {
            Reply::Error(err) => err,
            other => panic!("not an error: {other:?}"),
        }
    }

    fn done(bytes: &[u8]) -> Done<'_> {
        match classify(bytes).unwrap() {
            Reply::Done(done) => done,
            other => panic!("not DONE: {other:?}"),
        }
    }

    /// `bytes[..n]` with `nlmsg_len` set to `n`.
    fn cut(bytes: &[u8], n: usize) -> Vec<u8> {
        let mut out = Vec::from(&bytes[..n]);
        out[..4].copy_from_slice(&u32::try_from(n).unwrap().to_ne_bytes());
        out
    }

    #[test]
    fn construct_the_kernels_error_with_extended_ack() {
        use crate::Writer;
        use crate::nlmsg::ExtAckAttrs;
        let mut buf = [0xa5u8; 140];
        let mut w = Writer::new(&mut buf);
        let flags = Flags::ACK_TLVS;
        let start = w
            .begin_message(Header::new(header::ERROR, flags, 3, 8959))
            .unwrap();
        w.put_bytes(&(-34i32).to_ne_bytes()).unwrap();
        w.put_bytes(&ERANGE_POLICY[20..48]).unwrap(); // the request as sent
        w.put(ExtAckAttrs::MSG, "Attribute failed policy validation")
            .unwrap();
        w.put(ExtAckAttrs::OFFS, 20).unwrap();
        let policy = w.nest(ExtAckAttrs::POLICY).unwrap();
        w.put(PolicyAttrs::MIN_VALUE_U, 0).unwrap();
        w.put(PolicyAttrs::MAX_VALUE_U, 65535).unwrap();
        w.put(PolicyAttrs::TYPE, 3).unwrap();
        w.nest_end(policy).unwrap();
        assert_eq!(w.end_message(start), Ok(132));
        assert_eq!(&buf[..132], &ERANGE_POLICY[..]);
        assert_eq!(&buf[132..], &[0xa5; 8]);
    }

    #[test]
    fn construct_the_kernels_done_with_extended_ack() {
        use crate::Writer;
        use crate::nlmsg::ExtAckAttrs;
        let mut buf = [0xa5u8; 32];
        let mut w = Writer::new(&mut buf);
        let flags = Flags::MULTI | Flags::ACK_TLVS;
        let start = w
            .begin_message(Header::new(header::DONE, flags, 6, 9505))
            .unwrap();
        w.put_bytes(&(-19i32).to_ne_bytes()).unwrap();
        w.put(ExtAckAttrs::OFFS, 20).unwrap();
        assert_eq!(w.end_message(start), Ok(28));
        assert_eq!(&buf[..28], &DONE_ENODEV[..]);
        assert_eq!(&buf[28..], &[0xa5; 4]);
    }

    #[test]
    fn ack_capped() {
        let ack = ack(&ACK);
        assert_eq!(ack.code, 0);
        assert_eq!(ack.errno(), Errno(0));
        assert_eq!(ack.message.seq(), 1);
        assert_eq!(ack.request.len.get(), 32);
        assert_eq!(ack.request.ty.get(), 0x10);
        assert_eq!(ack.request.flags(), Flags::REQUEST | Flags::ACK);
        assert_eq!(ack.request.seq.get(), 1);
        assert!(ack.request_payload.is_empty());
        assert!(ack.ext.is_empty());
    }

    #[test]
    fn ack_uncapped_from_old_kernels() {
        let ack = ack(&ACK_UNCAPPED);
        assert_eq!(ack.code, 0);
        assert_eq!(ack.request.len.get(), 32);
        assert!(ack.request_payload.is_empty());
        assert!(ack.ext.is_empty());
    }

    #[test]
    fn ack_with_a_warning() {
        let ack = ack(&ACK_WARNING);
        assert_eq!(ack.code, 0);
        assert_eq!(ack.ext.message().unwrap(), "warn");
        assert_eq!(ack.ext.offset(), None);
        assert!(!ack.ext.is_empty());
    }

    #[test]
    fn error_with_the_request_echoed() {
        let err = error(&ENOENT);
        assert_eq!(err.code, -2);
        assert_eq!(err.errno(), Errno(2));
        assert_eq!(err.errno().name(), Some("ENOENT"));
        assert_eq!(err.request.len.get(), 32);
        assert_eq!(err.request.seq.get(), 2);
        assert_eq!(err.request_payload, &ENOENT[36..52]);
        assert!(err.ext.is_empty());
        assert_eq!(err.ext.message(), None);
    }

    #[test]
    fn error_with_message_offset_and_policy() {
        let err = error(&ERANGE_POLICY);
        assert_eq!(err.errno(), Errno(34));
        assert_eq!(err.request.len.get(), 28);
        assert_eq!(
            err.request_payload,
            &[
                0x03, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00
            ]
        );
        assert_eq!(
            err.ext.message().unwrap(),
            "Attribute failed policy validation"
        );
        assert_eq!(err.ext.offset(), Some(20));
        assert_eq!(err.ext.cookie(), None);
        assert_eq!(err.ext.missing_type(), None);
        assert_eq!(err.ext.missing_nest(), None);
        let policy = err.ext.policy().unwrap().parse().unwrap();
        assert_eq!(policy.get(PolicyAttrs::TYPE), Some(3));
        assert_eq!(policy.get(PolicyAttrs::MIN_VALUE_U), Some(0));
        assert_eq!(policy.get(PolicyAttrs::MAX_VALUE_U), Some(65535));
        assert_eq!(policy.get(PolicyAttrs::MIN_LENGTH), None);
        assert_eq!(policy.unknown(), 0);
    }

    #[test]
    fn capped_error_with_extended_ack() {
        let err = error(&ERANGE_CAPPED);
        assert_eq!(err.code, -34);
        assert_eq!(err.request.len.get(), 28, "the original length is kept");
        assert!(err.request_payload.is_empty());
        assert_eq!(
            err.ext.message().unwrap(),
            "Attribute failed policy validation"
        );
        assert_eq!(err.ext.offset(), Some(20));
        let policy = err.ext.policy().unwrap().parse().unwrap();
        assert_eq!(policy.get(PolicyAttrs::TYPE), Some(3));
    }

    #[test]
    fn error_with_missing_type() {
        let err = error(&MISS_TYPE);
        assert_eq!(err.errno().name(), Some("EINVAL"));
        assert_eq!(err.request_payload, &[0x01, 0x01, 0x00, 0x00]);
        assert_eq!(err.ext.missing_type(), Some(1));
        assert_eq!(err.ext.missing_nest(), None);
        assert_eq!(err.ext.message(), None);
    }

    #[test]
    fn error_with_missing_type_in_a_nest() {
        let err = error(&MISS_NEST);
        assert_eq!(err.ext.missing_type(), Some(1));
        assert_eq!(err.ext.missing_nest(), Some(20));
    }

    #[test]
    fn error_with_cookie() {
        let err = error(&COOKIE);
        assert_eq!(err.errno().name(), Some("EOPNOTSUPP"));
        assert_eq!(
            err.ext.cookie(),
            Some(&[0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04][..])
        );
    }

    #[test]
    fn error_with_message_and_offset_after_a_dump_request() {
        let err = error(&RESERVED_BIT);
        assert_eq!(err.request.flags(), Flags::REQUEST | Flags::DUMP);
        assert_eq!(err.request_payload.len(), 12);
        assert_eq!(err.ext.message().unwrap(), "reserved bit set");
        assert_eq!(err.ext.offset(), Some(20));
    }

    #[test]
    fn cookie_longer_than_20_bytes_is_rejected() {
        let mut bytes = Vec::from(&COOKIE[..36]);
        bytes.extend_from_slice(&[0x19, 0x00, 0x03, 0x00]); // nla_len = 25, NLMSGERR_ATTR_COOKIE
        bytes.extend_from_slice(&[0x11; 24]); // 21 bytes + 3 padding
        let bytes = cut(&bytes, bytes.len());
        assert_eq!(
            classify(&bytes).unwrap_err(),
            Error::BadAttrLength { ty: 3, len: 21 }
        );
    }

    #[test]
    fn done_with_status_zero() {
        let done = done(&DONE_OK);
        assert_eq!(done.status, 0);
        assert_eq!(done.errno(), Errno(0));
        assert_eq!(done.message.flags(), Flags::MULTI);
        assert!(done.ext.is_empty());
    }

    #[test]
    fn done_with_error_and_offset() {
        let done = done(&DONE_ENODEV);
        assert_eq!(done.status, -19);
        assert_eq!(done.errno().name(), Some("ENODEV"));
        assert_eq!(done.ext.offset(), Some(20));
        assert_eq!(done.ext.message(), None);
    }

    #[test]
    fn done_with_error_message() {
        let done = done(&DONE_MSG);
        assert_eq!(done.errno().name(), Some("EINVAL"));
        assert_eq!(done.ext.message().unwrap(), "bad dump");
    }

    #[test]
    fn done_without_ack_tlvs_ignores_what_follows_the_status() {
        let mut bytes = DONE_MSG;
        bytes[7] = 0x00; // nlmsg_flags = NLM_F_MULTI
        let done = done(&bytes);
        assert_eq!(done.status, -22);
        assert!(done.ext.is_empty());
    }

    #[test]
    fn done_without_status_from_old_kernels() {
        let bytes = cut(&DONE_OK, 16); // nlmsg_len = 16: no status at all
        assert_eq!(done(&bytes).status, 0);
        for n in 17..20 {
            assert_eq!(
                classify(&cut(&DONE_OK, n)).unwrap_err(),
                Error::Truncated,
                "{n}"
            );
        }
    }

    #[test]
    fn overrun_noop_and_reserved_types() {
        #[rustfmt::skip]
        let mut bytes: [u8; 16] = [
            0x10, 0x00, 0x00, 0x00, // nlmsg_len = 16
            0x04, 0x00,             // nlmsg_type = NLMSG_OVERRUN
            0x00, 0x00,             // nlmsg_flags = 0
            0x00, 0x00, 0x00, 0x00, // nlmsg_seq = 0
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        ];
        assert!(matches!(classify(&bytes), Ok(Reply::Overrun(_))));
        bytes[4] = 0x01; // NLMSG_NOOP
        assert!(matches!(classify(&bytes), Ok(Reply::Noop(_))));
        for ty in [0u8, 5, 15] {
            bytes[4] = ty; // reserved control types
            assert!(matches!(classify(&bytes), Ok(Reply::Noop(_))), "{ty}");
        }
        bytes[4] = 0x10; // the first family type
        assert!(matches!(classify(&bytes), Ok(Reply::Data(m)) if m.ty() == 0x10));
    }

    #[test]
    fn errno_of_the_most_negative_code_saturates() {
        let mut bytes = ENOENT;
        bytes[16..20].copy_from_slice(&i32::MIN.to_ne_bytes()); // error = i32::MIN
        assert_eq!(error(&bytes).errno(), Errno(i32::MAX));
    }

    #[test]
    fn positive_error_code_is_still_an_error() {
        let mut bytes = ENOENT;
        bytes[16..20].copy_from_slice(&[0x02, 0x00, 0x00, 0x00]); // error = +2
        let err = error(&bytes);
        assert_eq!(err.code, 2);
        assert_eq!(err.errno(), Errno(-2));
    }

    #[test]
    fn every_cut_of_an_error_is_truncated_or_the_same_error() {
        for full in [
            &ENOENT[..],
            &ERANGE_POLICY,
            &ERANGE_CAPPED,
            &MISS_TYPE,
            &MISS_NEST,
            &COOKIE,
            &RESERVED_BIT,
        ] {
            let want = error(full).code;
            for n in 16..full.len() {
                let bytes = cut(full, n);
                match classify(&bytes) {
                    Err(e) => assert!(
                        matches!(e, Error::Truncated | Error::BadLength),
                        "{n}: {e:?}"
                    ),
                    Ok(Reply::Error(err)) => {
                        assert!(n >= 36, "{n}: parsed without the echoed header");
                        assert_eq!(err.code, want, "{n}");
                        assert!(err.ext.attrs().bytes().len() < full.len() - 36);
                    }
                    Ok(other) => panic!("{n}: {other:?}"),
                }
                if n < 36 {
                    assert_eq!(classify(&bytes).unwrap_err(), Error::Truncated, "{n}");
                }
            }
        }
        for full in [&ACK[..], &ACK_UNCAPPED, &ACK_WARNING] {
            for n in 16..full.len() {
                let bytes = cut(full, n);
                match classify(&bytes) {
                    Err(e) => assert_eq!(e, Error::Truncated, "{n}"),
                    // 36: the header alone; 45: the whole "warn" TLV without its padding.
                    Ok(Reply::Ack(ack)) => match n {
                        36 => assert!(ack.ext.is_empty()),
                        45.. => assert_eq!(ack.ext.message().unwrap(), "warn"),
                        _ => panic!("{n}: parsed a partial TLV"),
                    },
                    Ok(other) => panic!("{n}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn echoed_request_cut_short_is_truncated() {
        // The echo of ENOENT claims 32 bytes of request; cut inside it.
        for n in 36..52 {
            assert_eq!(
                classify(&cut(&ENOENT, n)).unwrap_err(),
                Error::Truncated,
                "{n}"
            );
        }
        // The same for an error with TLVs: the TLVs must not be lost silently.
        for n in 36..48 {
            assert_eq!(
                classify(&cut(&ERANGE_POLICY, n)).unwrap_err(),
                Error::Truncated,
                "{n}"
            );
        }
    }

    #[test]
    fn bytes_after_nlmsg_len_are_ignored() {
        for full in [&ACK[..], &ENOENT, &ERANGE_POLICY, &DONE_ENODEV, &DONE_MSG] {
            let mut long = Vec::from(full);
            long.extend_from_slice(&[0xa5; 9]);
            let a = std::format!("{:?}", classify(full).unwrap());
            let b = std::format!("{:?}", classify(&long).unwrap());
            assert_eq!(a, b);
        }
    }

    #[test]
    fn junk_inside_nlmsg_len_after_the_echo() {
        // Without ACK_TLVS, bytes after the echoed request are ignored.
        let mut bytes = Vec::from(&ENOENT[..]);
        bytes.extend_from_slice(&[0xa5; 3]);
        let bytes = cut(&bytes, bytes.len());
        assert!(error(&bytes).ext.is_empty());
        // With ACK_TLVS they must be attributes.
        let mut bytes = Vec::from(&ERANGE_POLICY[..]);
        bytes.extend_from_slice(&[0x03, 0x00, 0x01, 0x00]); // nla_len = 3: too short
        let bytes = cut(&bytes, bytes.len());
        assert_eq!(classify(&bytes).unwrap_err(), Error::BadLength);
    }
}
