//! The codec's one error type.

use core::fmt;

/// Everything that can go wrong while decoding or encoding netlink data.
///
/// Small and `Copy`, so it can be returned from any layer and stored freely.
/// A kernel `NLMSG_ERROR` is not one of these: it is decoded data
/// ([`crate::nlmsg::Reply::Error`]).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Error {
    /// The input ends before a header, or before the length a header announces.
    Truncated,
    /// A length field is smaller than its own header.
    BadLength,
    /// An attribute's payload length does not fit its declared kind.
    BadAttrLength {
        /// Attribute type (flag bits removed).
        ty: u16,
        /// Payload length found on the wire.
        len: usize,
    },
    /// An attribute's payload is the right length but not valid for its kind
    /// (a NUL-string without its NUL, for example).
    BadPayload {
        /// Attribute type (flag bits removed).
        ty: u16,
    },
    /// The output buffer is too small; nothing was written.
    NoRoom {
        /// Total buffer length the append needs to succeed.
        needed: usize,
    },
    /// A length does not fit its wire field (u16 for attributes, u32 for messages).
    TooLong,
    /// Nests go deeper than the walker's bound.
    TooDeep,
    /// A fixed-capacity collection is full.
    CapacityExceeded,
    /// A reply carries a sequence number other than the request's.
    UnexpectedSeq {
        /// The request's sequence number.
        expected: u32,
        /// The reply's sequence number.
        found: u32,
    },
    /// A message comes from a port we did not ask to hear from.
    UnexpectedPort {
        /// The sender's port id (0 is the kernel).
        port: u32,
    },
    /// A message has a type the caller did not expect here.
    UnexpectedType {
        /// The `nlmsg_type` found.
        ty: u16,
    },
    /// A message lacks an attribute its kind requires (an MPTCP event
    /// without its token, for example).
    MissingAttr {
        /// Attribute type (flag bits removed).
        ty: u16,
    },
}

impl Error {
    /// One short lowercase sentence describing the error, without its fields.
    pub const fn message(&self) -> &'static str {
        match self {
            Error::Truncated => "input truncated",
            Error::BadLength => "length field smaller than its header",
            Error::BadAttrLength { .. } => "attribute length does not fit its kind",
            Error::BadPayload { .. } => "attribute payload invalid for its kind",
            Error::NoRoom { .. } => "output buffer too small",
            Error::TooLong => "length does not fit its wire field",
            Error::TooDeep => "nesting too deep",
            Error::CapacityExceeded => "fixed capacity exceeded",
            Error::UnexpectedSeq { .. } => "unexpected sequence number",
            Error::UnexpectedPort { .. } => "message from an unexpected port",
            Error::UnexpectedType { .. } => "unexpected message type",
            Error::MissingAttr { .. } => "a required attribute is missing",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())?;
        match *self {
            Error::BadAttrLength { ty, len } => write!(f, " (type {ty}, length {len})"),
            Error::BadPayload { ty } => write!(f, " (type {ty})"),
            Error::NoRoom { needed } => write!(f, " ({needed} bytes needed)"),
            Error::UnexpectedSeq { expected, found } => {
                write!(f, " (expected {expected}, found {found})")
            }
            Error::UnexpectedPort { port } => write!(f, " (port {port})"),
            Error::UnexpectedType { ty } => write!(f, " (type {ty})"),
            Error::MissingAttr { ty } => write!(f, " (type {ty})"),
            _ => Ok(()),
        }
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::format;

    use super::*;

    #[test]
    fn display_is_the_message_and_the_fields() {
        let cases = [
            (Error::Truncated, "input truncated"),
            (Error::BadLength, "length field smaller than its header"),
            (
                Error::BadAttrLength { ty: 3, len: 2 },
                "attribute length does not fit its kind (type 3, length 2)",
            ),
            (
                Error::BadPayload { ty: 16 },
                "attribute payload invalid for its kind (type 16)",
            ),
            (
                Error::NoRoom { needed: 36 },
                "output buffer too small (36 bytes needed)",
            ),
            (Error::TooLong, "length does not fit its wire field"),
            (Error::TooDeep, "nesting too deep"),
            (Error::CapacityExceeded, "fixed capacity exceeded"),
            (
                Error::UnexpectedSeq {
                    expected: 1,
                    found: 2,
                },
                "unexpected sequence number (expected 1, found 2)",
            ),
            (
                Error::UnexpectedPort { port: 42 },
                "message from an unexpected port (port 42)",
            ),
            (
                Error::UnexpectedType { ty: 0x11 },
                "unexpected message type (type 17)",
            ),
            (
                Error::MissingAttr { ty: 1 },
                "a required attribute is missing (type 1)",
            ),
        ];
        for (err, text) in cases {
            assert_eq!(format!("{err}"), text);
            assert!(text.starts_with(err.message()));
        }
    }

    #[test]
    fn is_a_core_error_without_a_source() {
        let err: &dyn core::error::Error = &Error::NoRoom { needed: 8 };
        assert_eq!(format!("{err}"), "output buffer too small (8 bytes needed)");
        assert!(err.source().is_none());
    }
}
