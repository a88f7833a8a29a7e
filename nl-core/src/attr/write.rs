//! Writing attributes and nests.

use crate::table::{AttrPut, Field, NestKind};
use crate::{Error, Writer};

use super::{F_NESTED, HEADER_LEN};

/// Where a nest started in a [`Writer`]; give it back to
/// [`Writer::nest_end`] or [`Writer::nest_cancel`].
#[must_use = "a started nest must be ended or cancelled"]
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NestStart(usize);

fn header(len: usize, raw_ty: u16) -> Result<[u8; HEADER_LEN], Error> {
    let len = u16::try_from(len).map_err(|_| Error::TooLong)?;
    let [a, b] = len.to_ne_bytes();
    let [c, d] = raw_ty.to_ne_bytes();
    Ok([a, b, c, d])
}

impl<'a> Writer<'a> {
    /// Appends an attribute of `payload_len` bytes and returns the payload to
    /// fill. `raw_ty` is written as given (include flag bits if wanted).
    /// Fails without writing when the buffer is short or the length does not
    /// fit the u16 length field.
    pub fn attr_with(&mut self, raw_ty: u16, payload_len: usize) -> Result<&mut [u8], Error> {
        let total = payload_len.checked_add(HEADER_LEN).ok_or(Error::TooLong)?;
        let hdr = header(total, raw_ty)?;
        let region = self.reserve(total)?;
        let (h, payload) = region.split_at_mut(HEADER_LEN);
        h.copy_from_slice(&hdr);
        Ok(payload)
    }

    /// Appends an attribute with the given payload bytes.
    pub fn attr(&mut self, raw_ty: u16, payload: &[u8]) -> Result<(), Error> {
        self.attr_with(raw_ty, payload.len())?
            .copy_from_slice(payload);
        Ok(())
    }

    /// Starts a nest of type `ty`; `NLA_F_NESTED` is set on it.
    pub fn nest_start(&mut self, ty: u16) -> Result<NestStart, Error> {
        let start = self.len();
        self.attr_with(ty | F_NESTED, 0)?;
        Ok(NestStart(start))
    }

    /// Ends a nest by writing its length. A nest longer than `u16::MAX` is
    /// removed again with its content and reported as [`Error::TooLong`].
    pub fn nest_end(&mut self, start: NestStart) -> Result<(), Error> {
        // A token from a nest cancelled with an outer one points past the end.
        let len = self.len().saturating_sub(start.0);
        let Ok(wire_len) = u16::try_from(len) else {
            self.truncate(start.0);
            return Err(Error::TooLong);
        };
        let field = self.written_mut(start.0, 2).ok_or(Error::Truncated)?;
        field.copy_from_slice(&wire_len.to_ne_bytes());
        Ok(())
    }

    /// Removes the nest and everything appended after it.
    pub fn nest_cancel(&mut self, start: NestStart) {
        self.truncate(start.0);
    }
}

impl<'a> Writer<'a> {
    /// Appends attribute `field` with a typed value (see [`crate::table`]).
    /// A value outside the kind's bounds (a string longer than its maximum,
    /// binary outside its length range) is [`Error::BadAttrLength`] and
    /// nothing is written: what `put` writes, [`crate::table::Index`] accepts.
    pub fn put<S, K: AttrPut>(
        &mut self,
        field: Field<S, K>,
        value: K::Input<'_>,
    ) -> Result<(), Error> {
        let len = field.payload_len(&value)?;
        let out = self.attr_with(field.ty(), len)?;
        K::write(&value, out);
        Ok(())
    }

    /// Starts the nest or array `field`; end it with [`Writer::nest_end`].
    pub fn nest<S, K: NestKind>(&mut self, field: Field<S, K>) -> Result<NestStart, Error> {
        self.nest_start(field.ty())
    }

    /// Writes the nest or array `field` with what `body` appends inside it;
    /// when `body` (or closing the nest) fails, the nest is removed.
    pub fn nest_with<S, K: NestKind>(
        &mut self,
        field: Field<S, K>,
        body: impl FnOnce(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let start = self.nest(field)?;
        match body(self) {
            Ok(()) => self.nest_end(start),
            Err(e) => {
                self.nest_cancel(start);
                Err(e)
            }
        }
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::vec;

    use super::*;
    use crate::attr::F_NET_BYTEORDER;
    use crate::attr::tests::ATTRS;

    #[test]
    fn construct() {
        let mut buf = [0xa5u8; 40];
        let mut w = Writer::new(&mut buf);
        w.attr(2, b"nlctrl\0").unwrap();
        let nest = w.nest_start(6).unwrap();
        w.attr(1, &3u32.to_ne_bytes()).unwrap();
        w.nest_end(nest).unwrap();
        w.attr(3 | F_NET_BYTEORDER, &0x1234u16.to_be_bytes())
            .unwrap();
        let empty = w.attr_with(5 | F_NESTED | F_NET_BYTEORDER, 0).unwrap();
        assert!(empty.is_empty());
        assert_eq!(w.len(), 36);
        assert_eq!(&buf[..36], &ATTRS[..]);
        assert_eq!(&buf[36..], &[0xa5; 4]);
    }

    #[test]
    fn attr_with_returns_exactly_the_payload() {
        let mut buf = [0xa5u8; 12];
        let mut w = Writer::new(&mut buf);
        let payload = w.attr_with(9, 5).unwrap();
        assert_eq!(payload.len(), 5);
        payload.copy_from_slice(b"hello");
        #[rustfmt::skip]
        let want = [
            0x09, 0x00, 0x09, 0x00, // nla_len = 9, type 9
            b'h', b'e', b'l', b'l', b'o', // payload
            0x00, 0x00, 0x00,       // padding
        ];
        assert_eq!(buf, want);
    }

    #[test]
    fn empty_nest() {
        let mut buf = [0xa5u8; 8];
        let mut w = Writer::new(&mut buf);
        let nest = w.nest_start(7).unwrap();
        w.nest_end(nest).unwrap();
        // nla_len = 4, type 7 | NLA_F_NESTED
        assert_eq!(buf, [0x04, 0x00, 0x07, 0x80, 0xa5, 0xa5, 0xa5, 0xa5]);
    }

    #[test]
    fn nests_in_nests() {
        let mut buf = [0xa5u8; 28];
        let mut w = Writer::new(&mut buf);
        let outer = w.nest_start(1).unwrap();
        let inner = w.nest_start(2).unwrap();
        w.attr(3, &[0xee]).unwrap();
        w.nest_end(inner).unwrap();
        w.attr(4, &[]).unwrap();
        w.nest_end(outer).unwrap();
        #[rustfmt::skip]
        let want: [u8; 20] = [
            0x14, 0x00, 0x01, 0x80, // nla_len = 20, type 1 | NLA_F_NESTED
            0x0c, 0x00, 0x02, 0x80, //   nla_len = 12, type 2 | NLA_F_NESTED
            0x05, 0x00, 0x03, 0x00, //     nla_len = 5, type 3
            0xee, 0x00, 0x00, 0x00, //     0xee + 3 padding
            0x04, 0x00, 0x04, 0x00, //   nla_len = 4, type 4
        ];
        assert_eq!(&buf[..20], &want[..]);
        assert_eq!(&buf[20..], &[0xa5; 8]);
    }

    #[test]
    fn nest_with_ends_a_nest_that_succeeds_and_removes_one_that_fails() {
        use crate::table::{Field, Nest};
        crate::attr_set! {
            /// One nest of itself.
            struct Outer = "outer" {
                /// A nest.
                1 INNER "inner": Nest<Outer>;
            }
        }
        let field: Field<Outer, Nest<Outer>> = Outer::INNER;
        let mut buf = [0xa5u8; 24];
        let mut w = Writer::new(&mut buf);
        w.nest_with(field, |w| w.attr(3, &[0xee])).unwrap();
        assert_eq!(w.len(), 12);
        let failed = w.nest_with(field, |w| {
            w.attr(3, &[0xee])?;
            Err(Error::BadPayload { ty: 3 })
        });
        assert_eq!(failed, Err(Error::BadPayload { ty: 3 }));
        assert_eq!(w.len(), 12, "the failed nest and its content are gone");
        #[rustfmt::skip]
        let want: [u8; 12] = [
            0x0c, 0x00, 0x01, 0x80, // nla_len = 12, type 1 | NLA_F_NESTED
            0x05, 0x00, 0x03, 0x00, //   nla_len = 5, type 3
            0xee, 0x00, 0x00, 0x00, //   0xee + 3 padding
        ];
        assert_eq!(&buf[..12], &want[..]);
    }

    #[test]
    fn cancel_removes_the_nest_and_its_content() {
        let mut buf = [0xa5u8; 24];
        let mut w = Writer::new(&mut buf);
        w.attr(1, &[1, 1, 1, 1]).unwrap();
        let nest = w.nest_start(2).unwrap();
        w.attr(3, &[3; 4]).unwrap();
        w.nest_cancel(nest);
        assert_eq!(w.len(), 8);
        w.attr(4, &[4; 4]).unwrap();
        assert_eq!(w.len(), 16);
        // nla_len = 8, type 4, payload: the cancelled nest's bytes are overwritten
        assert_eq!(&buf[8..16], &[0x08, 0x00, 0x04, 0x00, 4, 4, 4, 4]);
    }

    #[test]
    fn stale_nest_token_is_an_error_not_a_panic() {
        let mut buf = [0xa5u8; 32];
        let mut w = Writer::new(&mut buf);
        let outer = w.nest_start(1).unwrap();
        let inner = w.nest_start(2).unwrap();
        w.nest_cancel(outer);
        assert!(w.nest_end(inner).is_err());
        assert_eq!(w.len(), 0);
    }

    #[test]
    fn no_room_leaves_the_buffer_unchanged() {
        let mut buf = [0xa5u8; 14];
        let mut w = Writer::new(&mut buf);
        w.attr(1, &[]).unwrap();
        assert_eq!(w.attr(2, &[9; 5]), Err(Error::NoRoom { needed: 16 }));
        assert_eq!(
            w.attr_with(2, 7).map(|p| p.len()),
            Err(Error::NoRoom { needed: 16 })
        );
        assert_eq!(w.attr(2, &[9; 8]), Err(Error::NoRoom { needed: 16 }));
        assert_eq!(w.len(), 4);
        w.attr(2, &[9; 4]).unwrap();
        assert_eq!(w.len(), 12);
        assert_eq!(w.nest_start(3).unwrap_err(), Error::NoRoom { needed: 16 });
        assert_eq!(w.len(), 12);
        assert_eq!(&buf[12..], &[0xa5, 0xa5]);
    }

    #[test]
    fn attribute_longer_than_u16_is_too_long() {
        let mut buf = vec![0xa5u8; 70_000];
        let mut w = Writer::new(&mut buf);
        let payload = vec![0x11u8; 65_532];
        assert_eq!(w.attr(1, &payload), Err(Error::TooLong));
        assert_eq!(w.attr(1, &payload[..65_531]), Ok(()));
        assert_eq!(w.len(), 65_536);
        assert_eq!(
            w.attr_with(1, usize::MAX).map(|p| p.len()),
            Err(Error::TooLong)
        );
        assert_eq!(&buf[..4], &[0xff, 0xff, 0x01, 0x00]); // nla_len = 65535, type 1
        assert_eq!(
            &buf[65_535..65_537],
            &[0x00, 0xa5],
            "padding, then untouched"
        );
    }

    #[test]
    fn nest_longer_than_u16_is_rolled_back() {
        let mut buf = vec![0xa5u8; 100_000];
        let mut w = Writer::new(&mut buf);
        w.attr(1, &[7; 4]).unwrap();
        let nest = w.nest_start(2).unwrap();
        w.attr(3, &[0x33; 40_000]).unwrap();
        w.attr(4, &[0x44; 40_000]).unwrap();
        assert_eq!(w.nest_end(nest), Err(Error::TooLong));
        assert_eq!(w.len(), 8, "back to before the nest");
        w.attr(5, &[]).unwrap();
        assert_eq!(w.len(), 12);
        assert_eq!(
            &buf[..12],
            &[
                0x08, 0x00, 0x01, 0x00, 7, 7, 7, 7, // the attribute before the nest
                0x04, 0x00, 0x05, 0x00, //             the one written after the rollback
            ]
        );
    }

    #[test]
    fn nest_of_the_largest_length_fits() {
        let mut buf = vec![0xa5u8; 70_000];
        let mut w = Writer::new(&mut buf);
        let nest = w.nest_start(2).unwrap();
        // 4 (nest) + 4 (attribute header) + 65_524 = 65_532, the largest aligned u16.
        w.attr(3, &[0x33; 65_524]).unwrap();
        assert_eq!(w.nest_end(nest), Ok(()));
        assert_eq!(&buf[..4], &[0xfc, 0xff, 0x02, 0x80]); // nla_len = 65532, type 2 | NESTED
    }
}
