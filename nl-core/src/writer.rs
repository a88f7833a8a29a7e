//! Appending into a caller-provided buffer.
//!
//! Every encoder in nl-core goes through [`Writer::reserve`], which checks the
//! room first and only then writes: a failed append leaves the buffer exactly
//! as it was and reports the total length that would have been needed.
//! Netlink aligns every header and payload to 4 bytes; padding is zeroed.

use crate::Error;

/// Netlink's alignment for message and attribute boundaries.
pub const ALIGNTO: usize = 4;

/// Rounds `len` up to the next multiple of [`ALIGNTO`], or `None` on overflow.
pub const fn align(len: usize) -> Option<usize> {
    match len.checked_add(ALIGNTO - 1) {
        Some(n) => Some(n & !(ALIGNTO - 1)),
        None => None,
    }
}

/// An append cursor over a caller's `&mut [u8]`.
///
/// Holds any number of messages back to back (a batch for one `send`).
#[derive(Debug)]
pub struct Writer<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> Writer<'a> {
    /// Starts writing at the beginning of `buf`.
    pub fn new(buf: &'a mut [u8]) -> Self {
        Writer { buf, len: 0 }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Length of the whole buffer.
    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    /// Ends the writer and gives back the written part of the buffer.
    pub fn into_bytes(self) -> &'a mut [u8] {
        let len = self.len;
        self.buf.get_mut(..len).unwrap_or_default()
    }

    /// Forgets everything written after `len` (used to cancel a message or nest).
    pub fn truncate(&mut self, len: usize) {
        if len < self.len {
            self.len = len;
        }
    }

    /// Runs `f`, and when it fails removes everything it appended: a
    /// builder made of several appends is all or nothing.
    pub fn all_or_nothing<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let start = self.len;
        let result = f(self);
        if result.is_err() {
            self.truncate(start);
        }
        result
    }

    /// Checks that `additional` more bytes fit, writing nothing; for
    /// builders that check a whole message's room before appending any of it.
    pub fn ensure_room(&self, additional: usize) -> Result<(), Error> {
        let needed = self.len.checked_add(additional).ok_or(Error::TooLong)?;
        if needed > self.buf.len() {
            return Err(Error::NoRoom { needed });
        }
        Ok(())
    }

    /// Reserves `len` bytes plus zeroed padding up to the next 4-byte boundary
    /// and returns the `len` bytes to fill. Fails without writing anything.
    #[inline]
    pub fn reserve(&mut self, len: usize) -> Result<&mut [u8], Error> {
        let padded = align(len).ok_or(Error::TooLong)?;
        let end = self.len.checked_add(padded).ok_or(Error::TooLong)?;
        let start = self.len;
        let region = self
            .buf
            .get_mut(start..end)
            .ok_or(Error::NoRoom { needed: end })?;
        let (data, pad) = region.split_at_mut(len.min(padded));
        pad.fill(0);
        self.len = end;
        Ok(data)
    }

    /// Appends `bytes` and padding.
    pub fn put_bytes(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.reserve(bytes.len())?.copy_from_slice(bytes);
        Ok(())
    }

    /// Appends a fixed wire structure (a family header such as `genlmsghdr`).
    pub fn put_struct<T>(&mut self, value: &T) -> Result<(), Error>
    where
        T: zerocopy::IntoBytes + zerocopy::Immutable,
    {
        self.put_bytes(value.as_bytes())
    }

    /// Mutable access to `len` bytes written earlier, starting at `offset`.
    pub(crate) fn written_mut(&mut self, offset: usize, len: usize) -> Option<&mut [u8]> {
        let end = offset.checked_add(len)?;
        if end > self.len {
            return None;
        }
        self.buf.get_mut(offset..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserve_pads_with_zeros_and_leaves_junk_after() {
        let mut buf = [0xa5u8; 12];
        let mut w = Writer::new(&mut buf);
        w.put_bytes(&[1, 2, 3]).unwrap();
        w.put_bytes(&[4]).unwrap();
        assert_eq!(w.len(), 8);
        assert_eq!(buf, [1, 2, 3, 0, 4, 0, 0, 0, 0xa5, 0xa5, 0xa5, 0xa5]);
    }

    #[test]
    fn failed_reserve_writes_nothing_and_reports_total_needed() {
        let mut buf = [0xa5u8; 6];
        let mut w = Writer::new(&mut buf);
        w.put_bytes(&[1]).unwrap();
        assert_eq!(w.put_bytes(&[2, 2, 2]), Err(Error::NoRoom { needed: 8 }));
        assert_eq!(w.len(), 4);
        assert_eq!(buf, [1, 0, 0, 0, 0xa5, 0xa5]);
    }

    #[test]
    fn exact_fit_succeeds_and_one_byte_short_fails() {
        let mut buf = [0xa5u8; 8];
        let mut w = Writer::new(&mut buf);
        w.put_bytes(&[1, 2, 3, 4, 5]).unwrap();
        assert_eq!(w.len(), 8);
        assert_eq!(w.put_bytes(&[]), Ok(()));
        assert_eq!(w.put_bytes(&[6]), Err(Error::NoRoom { needed: 12 }));
        assert_eq!(w.as_bytes(), &[1, 2, 3, 4, 5, 0, 0, 0]);
    }

    #[test]
    fn padding_that_does_not_fit_is_no_room() {
        // 5 bytes of data fit a 6-byte buffer, but netlink needs the padding too.
        let mut buf = [0xa5u8; 6];
        let mut w = Writer::new(&mut buf);
        assert_eq!(
            w.reserve(5).map(|b| b.len()),
            Err(Error::NoRoom { needed: 8 })
        );
        assert!(w.is_empty());
        assert_eq!(buf, [0xa5; 6]);
    }

    #[test]
    fn reserve_too_long_for_usize() {
        let mut buf = [0xa5u8; 8];
        let mut w = Writer::new(&mut buf);
        w.put_bytes(&[1]).unwrap();
        assert_eq!(
            w.reserve(usize::MAX - 1).map(|b| b.len()),
            Err(Error::TooLong)
        );
        assert_eq!(
            w.reserve(usize::MAX - 4).map(|b| b.len()),
            Err(Error::TooLong)
        );
        assert_eq!(w.len(), 4);
        assert_eq!(buf, [1, 0, 0, 0, 0xa5, 0xa5, 0xa5, 0xa5]);
    }

    #[test]
    fn put_struct_writes_the_wire_bytes() {
        use zerocopy::byteorder::little_endian::U16;
        let mut buf = [0xa5u8; 8];
        let mut w = Writer::new(&mut buf);
        w.put_struct(&[U16::new(0x0201), U16::new(0x0403), U16::new(0x0605)])
            .unwrap();
        assert_eq!(w.as_bytes(), &[1, 2, 3, 4, 5, 6, 0, 0]);
        assert_eq!(w.capacity(), 8);
    }

    #[test]
    fn all_or_nothing_keeps_a_success_and_removes_a_failure() {
        let mut buf = [0xa5u8; 16];
        let mut w = Writer::new(&mut buf);
        w.put_bytes(&[1, 2, 3, 4]).unwrap();
        assert_eq!(w.all_or_nothing(|w| w.put_bytes(&[5, 6, 7, 8])), Ok(()));
        assert_eq!(w.len(), 8);
        let failed = w.all_or_nothing(|w| {
            w.put_bytes(&[9; 4])?;
            w.put_bytes(&[10; 8])
        });
        assert_eq!(failed, Err(Error::NoRoom { needed: 20 }));
        assert_eq!(w.len(), 8, "the first append of the failed run is gone");
        assert_eq!(w.into_bytes(), &[1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn truncate_only_shrinks_and_into_bytes_returns_the_written_part() {
        let mut buf = [0xa5u8; 12];
        let mut w = Writer::new(&mut buf);
        w.put_bytes(&[1, 1, 1, 1, 2, 2, 2, 2]).unwrap();
        w.truncate(100);
        assert_eq!(w.len(), 8);
        w.truncate(4);
        assert_eq!(w.as_bytes(), &[1, 1, 1, 1]);
        w.put_bytes(&[3]).unwrap();
        assert_eq!(w.into_bytes(), &[1, 1, 1, 1, 3, 0, 0, 0]);
        assert_eq!(&buf[8..], &[0xa5; 4]);
    }

    #[test]
    fn written_mut_stays_inside_what_was_written() {
        let mut buf = [0xa5u8; 12];
        let mut w = Writer::new(&mut buf);
        w.put_bytes(&[1, 2, 3, 4]).unwrap();
        assert_eq!(w.written_mut(0, 4).map(|b| b.len()), Some(4));
        assert_eq!(w.written_mut(2, 3), None);
        assert_eq!(w.written_mut(usize::MAX, 2), None);
        assert_eq!(w.written_mut(4, 0).map(|b| b.len()), Some(0));
    }

    #[test]
    fn align_rounds_up_and_detects_overflow() {
        assert_eq!(align(0), Some(0));
        assert_eq!(align(1), Some(4));
        assert_eq!(align(4), Some(4));
        assert_eq!(align(5), Some(8));
        assert_eq!(align(usize::MAX - 3), Some(usize::MAX - 3));
        assert_eq!(align(usize::MAX - 2), None);
        assert_eq!(align(usize::MAX), None);
        assert_eq!(ALIGNTO, 4);
    }
}
