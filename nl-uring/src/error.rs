//! The transport's errors, and the kernel's error replies made owned.

use std::fmt;
use std::io;

use nl_core::errno::Errno;
use nl_core::nlmsg::{ExtAck, RequestLayout};
use nl_core::policy::PolicyAttrs;
use nl_core::table::{AttrPath, AttrSet, write_attrs};

/// Everything a socket operation can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A system call failed (socket, bind, send, receive, options).
    Io(io::Error),
    /// Received bytes could not be decoded, or a reply did not match the
    /// request (sequence number, port): see [`nl_core::Error`].
    Codec(nl_core::Error),
    /// The kernel rejected the request (`NLMSG_ERROR` with an errno, or
    /// `NLMSG_DONE` with a negative status).
    Kernel(Box<KernelError>),
    /// A datagram was larger than the receive buffer and the kernel cut it
    /// (`MSG_TRUNC`); its tail is lost.
    Truncated {
        /// Size of the receive buffer.
        buffer: usize,
        /// Real size of the datagram.
        datagram: usize,
    },
    /// A datagram came from a port the socket does not accept messages
    /// from (see [`Socket::set_senders`](crate::Socket::set_senders)); it was
    /// not processed.
    ForeignSender {
        /// The sender's port id.
        port: u32,
    },
    /// The kernel dropped messages for this socket (`ENOBUFS` on receive, or
    /// `NLMSG_OVERRUN`): whatever state was being followed must be read again.
    Overrun,
    /// Every attempt of a dump that must be consistent was interrupted
    /// (`NLM_F_DUMP_INTR`): the table kept changing.
    Inconsistent {
        /// Attempts made.
        attempts: usize,
    },
    /// The request cannot be sent as given (not exactly one message, a dump
    /// without `NLM_F_DUMP`, the wrong protocol for the operation).
    InvalidRequest(&'static str),
    /// The kernel acknowledged a request that should have returned data
    /// without returning any.
    MissingReply,
    /// A generic netlink family has no multicast group of that name.
    UnknownGroup {
        /// The family's name.
        family: String,
        /// The group asked for.
        group: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "netlink socket: {e}"),
            Error::Codec(e) => write!(f, "netlink message: {e}"),
            Error::Kernel(e) => write!(f, "{e}"),
            Error::Truncated { buffer, datagram } => write!(
                f,
                "datagram of {datagram} bytes truncated to the {buffer}-byte receive buffer"
            ),
            Error::ForeignSender { port } => {
                write!(
                    f,
                    "datagram from port {port} rejected: not an accepted sender"
                )
            }
            Error::Overrun => f.write_str("the kernel dropped messages for this socket (overrun)"),
            Error::Inconsistent { attempts } => write!(
                f,
                "the table changed during each of {attempts} dump attempts (NLM_F_DUMP_INTR)"
            ),
            Error::InvalidRequest(why) => write!(f, "invalid request: {why}"),
            Error::MissingReply => {
                f.write_str("the kernel acknowledged the request without a reply")
            }
            Error::UnknownGroup { family, group } => write!(
                f,
                "generic netlink family {family} has no multicast group {group}"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(e) => Some(e),
            Error::Codec(e) => Some(e),
            Error::Kernel(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<nl_core::Error> for Error {
    fn from(e: nl_core::Error) -> Self {
        Error::Codec(e)
    }
}

impl From<KernelError> for Error {
    fn from(e: KernelError) -> Self {
        Error::Kernel(Box::new(e))
    }
}

impl Error {
    /// The kernel's error, when this is one.
    pub fn kernel(&self) -> Option<&KernelError> {
        match self {
            Error::Kernel(e) => Some(e),
            _ => None,
        }
    }
}

/// The kernel's answer to a failed request, with its extended ACK decoded
/// and the offending attribute named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KernelError {
    /// The error (positive errno).
    pub errno: Errno,
    /// The sequence number of the failed request.
    pub seq: u32,
    /// True when the error ended a dump (`NLMSG_DONE` with a negative
    /// status) rather than answering the request (`NLMSG_ERROR`).
    pub in_done: bool,
    /// The kernel's explanation (`NLMSGERR_ATTR_MSG`), if it gave one.
    pub message: Option<String>,
    /// Byte offset of the offending attribute in the request (`NLMSGERR_ATTR_OFFS`).
    pub offset: Option<u32>,
    /// The attribute at [`KernelError::offset`], named from the request's
    /// attribute table; needs the request's [`RequestLayout`].
    pub path: Option<AttrPath>,
    /// Type number of a missing required attribute (`NLMSGERR_ATTR_MISS_TYPE`).
    pub missing_type: Option<u32>,
    /// Name of that missing attribute, when the request's layout knows it.
    pub missing_name: Option<&'static str>,
    /// What the kernel's policy accepts for the rejected attribute
    /// (`NLMSGERR_ATTR_POLICY`), as `name=value` text.
    pub policy: Option<String>,
    /// The subsystem's cookie (`NLMSGERR_ATTR_COOKIE`).
    pub cookie: Option<Vec<u8>>,
}

impl KernelError {
    /// Builds the owned error from a decoded error or DONE message.
    /// `request` is the request as sent, used to name attributes.
    pub(crate) fn new(
        errno: Errno,
        seq: u32,
        in_done: bool,
        ext: &ExtAck<'_>,
        request: &[u8],
        layout: Option<RequestLayout>,
    ) -> Self {
        KernelError {
            errno,
            seq,
            in_done,
            message: ext.message().map(|m| m.to_string()),
            offset: ext.offset(),
            path: layout.and_then(|l| ext.locate(request, l)),
            missing_type: ext.missing_type(),
            missing_name: layout.and_then(|l| ext.missing_name(request, l)),
            policy: ext.policy().map(|p| {
                let mut text = String::new();
                // Writing into a String cannot fail.
                let _ = write_attrs(&mut text, Some(PolicyAttrs::table()), p.bytes(), 0);
                text
            }),
            cookie: ext.cookie().map(<[u8]>::to_vec),
        }
    }

    /// The message text, or the errno's description (`strerror`) when the
    /// kernel sent none.
    pub fn text(&self) -> String {
        match &self.message {
            Some(m) => m.clone(),
            None => {
                let text = io::Error::from_raw_os_error(self.errno.0).to_string();
                // std appends " (os error N)" to strerror's text.
                match text.rfind(" (os error ") {
                    Some(end) => text.get(..end).unwrap_or(&text).to_owned(),
                    None => text,
                }
            }
        }
    }
}

impl fmt::Display for KernelError {
    /// `EOPNOTSUPP (95): Unknown device type (attribute linkinfo.kind)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.errno)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        match (&self.path, self.offset) {
            (Some(path), _) if !path.elems.is_empty() => write!(f, " (attribute {path})")?,
            (_, Some(offset)) => write!(f, " (at offset {offset})")?,
            _ => {}
        }
        match (self.missing_name, self.missing_type) {
            (Some(name), _) => write!(f, " (missing attribute {name})")?,
            (None, Some(ty)) => write!(f, " (missing attribute type {ty})")?,
            _ => {}
        }
        Ok(())
    }
}

impl std::error::Error for KernelError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(errno: i32) -> KernelError {
        KernelError {
            errno: Errno(errno),
            seq: 1,
            in_done: false,
            message: None,
            offset: None,
            path: None,
            missing_type: None,
            missing_name: None,
            policy: None,
            cookie: None,
        }
    }

    #[test]
    fn text_falls_back_to_strerror_without_the_os_error_suffix() {
        assert_eq!(plain(2).text(), "No such file or directory");
        let mut e = plain(95);
        e.message = Some("Unknown device type".into());
        assert_eq!(e.text(), "Unknown device type");
        assert_eq!(e.to_string(), "EOPNOTSUPP (95): Unknown device type");
    }

    #[test]
    fn display_names_offset_when_the_path_is_unknown() {
        let mut e = plain(22);
        e.offset = Some(40);
        e.missing_type = Some(7);
        assert_eq!(
            e.to_string(),
            "EINVAL (22) (at offset 40) (missing attribute type 7)"
        );
        let wrapped = Error::from(e);
        assert_eq!(wrapped.kernel().map(|k| k.errno), Some(Errno(22)));
        assert!(std::error::Error::source(&wrapped).is_some());
    }
}
