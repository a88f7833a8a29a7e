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
    #[inline]
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

    #[inline]
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

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::*;
    use crate::attr::AttrIter;
    use crate::attr::tests::ATTRS;

    #[test]
    fn deconstruct() {
        let (attr, step) = Attr::parse(&ATTRS).unwrap();
        assert_eq!(step, 12);
        assert_eq!(attr.ty(), 2);
        assert_eq!(attr.raw_ty(), 2);
        assert!(!attr.is_nested());
        assert!(!attr.is_net_byteorder());
        assert_eq!(attr.payload(), b"nlctrl\0");
    }

    #[test]
    fn flag_bits_are_split_off() {
        let attrs: Vec<_> = AttrIter::new(&ATTRS).map(Result::unwrap).collect();
        assert_eq!(attrs.len(), 4);
        let nest = attrs[1];
        assert_eq!((nest.ty(), nest.raw_ty()), (6, 0x8006));
        assert!(nest.is_nested() && !nest.is_net_byteorder());
        let be = attrs[2];
        assert_eq!((be.ty(), be.raw_ty()), (3, 0x4003));
        assert!(!be.is_nested() && be.is_net_byteorder());
        assert_eq!(be.payload(), &[0x12, 0x34]);
        let both = attrs[3];
        assert_eq!((both.ty(), both.raw_ty()), (5, 0xc005));
        assert!(both.is_nested() && both.is_net_byteorder());
        assert!(both.payload().is_empty());
    }

    #[test]
    fn nested_attributes() {
        let (_, step) = Attr::parse(&ATTRS).unwrap();
        let (nest, _) = Attr::parse(&ATTRS[step..]).unwrap();
        let inner: Vec<_> = nest.nested().map(Result::unwrap).collect();
        assert_eq!(inner.len(), 1);
        assert_eq!(inner[0].ty(), 1);
        assert_eq!(inner[0].payload(), &[0x03, 0x00, 0x00, 0x00]);
    }

    #[test]
    fn iterator_offsets() {
        let mut iter = AttrIter::new(&ATTRS);
        let mut offsets = Vec::new();
        while let Some(attr) = iter.next() {
            attr.unwrap();
            offsets.push(iter.offset());
        }
        assert_eq!(offsets, [12, 24, 32, 36]);
        assert!(iter.next().is_none());
        assert_eq!(AttrIter::new(&[]).next(), None);
    }

    #[test]
    fn length_below_the_header_is_bad_length() {
        for len in 0u8..4 {
            let bytes = [len, 0x00, 0x01, 0x00, 0xa5, 0xa5, 0xa5, 0xa5]; // nla_len = 0..=3, type 1
            assert_eq!(Attr::parse(&bytes).unwrap_err(), Error::BadLength, "{len}");
            let mut iter = AttrIter::new(&bytes);
            assert_eq!(iter.next(), Some(Err(Error::BadLength)));
            assert_eq!(iter.next(), None, "stops after the error");
        }
    }

    #[test]
    fn every_prefix_yields_whole_attributes_then_at_most_one_error() {
        let ends = [12, 24, 32, 36];
        // Where each attribute's payload ends (before its padding).
        let payload_ends = [11, 24, 30, 36];
        for n in 0..=ATTRS.len() {
            let items: Vec<_> = AttrIter::new(&ATTRS[..n]).collect();
            let whole = payload_ends.iter().filter(|&&e| e <= n).count();
            let oks = items.iter().take_while(|a| a.is_ok()).count();
            assert_eq!(oks, whole, "{n}");
            // Clean: nothing, or cut between a payload's end and its padding's end.
            let clean = n == 0
                || ends
                    .iter()
                    .zip(&payload_ends)
                    .any(|(&end, &payload_end)| (payload_end..=end).contains(&n));
            assert_eq!(items.len(), whole + usize::from(!clean), "{n}");
            if !clean {
                assert_eq!(items.last(), Some(&Err(Error::Truncated)), "{n}");
            }
        }
    }

    #[test]
    fn last_attribute_may_lack_its_padding() {
        let bytes = &ATTRS[..11]; // "nlctrl\0" without the padding byte
        let (attr, step) = Attr::parse(bytes).unwrap();
        assert_eq!(step, 11);
        assert_eq!(attr.payload(), b"nlctrl\0");
        let mut iter = AttrIter::new(bytes);
        assert!(iter.next().unwrap().is_ok());
        assert_eq!(iter.offset(), 11);
        assert!(iter.next().is_none());
    }

    #[test]
    fn trailing_bytes_are_an_error_at_the_end() {
        let mut long = Vec::from(&ATTRS[..]);
        long.extend_from_slice(&[0xa5, 0xa5]);
        let items: Vec<_> = AttrIter::new(&long).collect();
        assert_eq!(items.len(), 5);
        assert!(items[..4].iter().all(Result::is_ok));
        assert_eq!(items[4], Err(Error::Truncated));
    }

    #[test]
    fn maximum_length_attribute() {
        let mut bytes = std::vec![0u8; 65535];
        bytes[..4].copy_from_slice(&[0xff, 0xff, 0x07, 0x00]); // nla_len = 65535, type 7
        let (attr, step) = Attr::parse(&bytes).unwrap();
        assert_eq!(attr.payload().len(), 65531);
        assert_eq!(step, 65535, "padding past the input is not stepped over");
        assert_eq!(Attr::parse(&bytes[..65534]).unwrap_err(), Error::Truncated);
    }
}
