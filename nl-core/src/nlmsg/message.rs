//! A borrowed view of one message and the iterator over a datagram.

use zerocopy::FromBytes;

use super::header::{Flags, Header};
use crate::Error;
use crate::writer::align;

/// One netlink message borrowed from a receive buffer.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Message<'a> {
    header: &'a Header,
    payload: &'a [u8],
}

impl<'a> Message<'a> {
    /// Reads the message at the start of `bytes`; `bytes` may hold more after it.
    ///
    /// Checks that the header fits and that `nlmsg_len` is at least the header
    /// and at most the input.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        let (header, _) = Header::ref_from_prefix(bytes).map_err(|_| Error::Truncated)?;
        let len = usize::try_from(header.len.get()).map_err(|_| Error::Truncated)?;
        if len < Header::LEN {
            return Err(Error::BadLength);
        }
        let payload = bytes.get(Header::LEN..len).ok_or(Error::Truncated)?;
        Ok(Message { header, payload })
    }

    /// The header.
    pub fn header(&self) -> &'a Header {
        self.header
    }

    /// `nlmsg_type`.
    pub fn ty(&self) -> u16 {
        self.header.ty.get()
    }

    /// `nlmsg_flags`.
    pub fn flags(&self) -> Flags {
        self.header.flags()
    }

    /// `nlmsg_seq`.
    pub fn seq(&self) -> u32 {
        self.header.seq.get()
    }

    /// `nlmsg_pid`.
    pub fn pid(&self) -> u32 {
        self.header.pid.get()
    }

    /// Everything after the header, up to `nlmsg_len`.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// True when the kernel flagged this dump message as inconsistent
    /// (`NLM_F_DUMP_INTR`): the table changed while it was being dumped.
    pub fn dump_interrupted(&self) -> bool {
        self.flags().contains(Flags::DUMP_INTR)
    }

    /// Length on the wire without trailing padding (`nlmsg_len`).
    pub fn len(&self) -> usize {
        Header::LEN + self.payload.len()
    }

    /// Never true: a message always has its header. Present for API symmetry.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Splits the payload into a fixed family header `T` and what follows it
    /// (aligned to 4 bytes). A payload longer than `T` is fine; shorter is
    /// [`Error::Truncated`].
    pub fn split_header<T>(&self) -> Result<(&'a T, &'a [u8]), Error>
    where
        T: FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
    {
        let (fixed, _) = T::ref_from_prefix(self.payload).map_err(|_| Error::Truncated)?;
        let start = align(core::mem::size_of::<T>()).ok_or(Error::Truncated)?;
        let rest = self.payload.get(start..).unwrap_or_default();
        Ok((fixed, rest))
    }
}

/// Iterates over the messages packed in one datagram.
///
/// Yields each message, or one error for malformed input and then stops:
/// never loops, never reads past the input.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Messages<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Messages<'a> {
    /// Iterates over `datagram`.
    pub fn new(datagram: &'a [u8]) -> Self {
        Messages {
            rest: datagram,
            offset: 0,
        }
    }

    /// Offset of the next message from the start of the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<Message<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match Message::parse(self.rest) {
            Ok(msg) => {
                // The last message of a datagram may lack its padding.
                let step = align(msg.len()).unwrap_or(usize::MAX).min(self.rest.len());
                self.rest = self.rest.get(step..).unwrap_or_default();
                self.offset += step;
                Some(Ok(msg))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for Messages<'_> {}
