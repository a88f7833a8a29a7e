//! Reading attributes.

use crate::Error;
use crate::writer::align;

use super::{F_NESTED, F_NET_BYTEORDER, HEADER_LEN, TYPE_MASK};

/// One attribute borrowed from a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Attr<'a> {
    raw_ty: u16,
    payload: &'a [u8],
}

impl<'a> Attr<'a> {
    /// Reads the attribute at the start of `bytes` and returns it with the
    /// number of bytes it occupies including padding (at most `bytes.len()`).
    pub fn parse(bytes: &'a [u8]) -> Result<(Self, usize), Error> {
        let header: [u8; HEADER_LEN] = bytes
            .get(..HEADER_LEN)
            .and_then(|h| h.try_into().ok())
            .ok_or(Error::Truncated)?;
        let [l0, l1, t0, t1] = header;
        let len = usize::from(u16::from_ne_bytes([l0, l1]));
        let raw_ty = u16::from_ne_bytes([t0, t1]);
        if len < HEADER_LEN {
            return Err(Error::BadLength);
        }
        let payload = bytes.get(HEADER_LEN..len).ok_or(Error::Truncated)?;
        let step = align(len).unwrap_or(len).min(bytes.len());
        Ok((Attr { raw_ty, payload }, step))
    }

    /// The type number without the NESTED and NET_BYTEORDER bits.
    pub fn ty(&self) -> u16 {
        self.raw_ty & TYPE_MASK
    }

    /// The type field as sent, flag bits included.
    pub fn raw_ty(&self) -> u16 {
        self.raw_ty
    }

    /// `NLA_F_NESTED` is set.
    pub fn is_nested(&self) -> bool {
        self.raw_ty & F_NESTED != 0
    }

    /// `NLA_F_NET_BYTEORDER` is set.
    pub fn is_net_byteorder(&self) -> bool {
        self.raw_ty & F_NET_BYTEORDER != 0
    }

    /// The payload, without header and padding.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// The attributes nested in this one's payload.
    pub fn nested(&self) -> Attrs<'a> {
        Attrs::new(self.payload)
    }
}

/// Iterates over a run of attributes (a message's or a nest's payload).
///
/// Yields each attribute, or one error for malformed input and then stops.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Attrs<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Attrs<'a> {
    /// Iterates over the attributes in `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Attrs {
            rest: bytes,
            offset: 0,
        }
    }

    /// Offset of the next attribute from the start of the input.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<Attr<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match Attr::parse(self.rest) {
            Ok((attr, step)) => {
                self.rest = self.rest.get(step..).unwrap_or_default();
                self.offset += step;
                Some(Ok(attr))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for Attrs<'_> {}
