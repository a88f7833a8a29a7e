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

    /// Reserves `len` bytes plus zeroed padding up to the next 4-byte boundary
    /// and returns the `len` bytes to fill. Fails without writing anything.
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
    fn align_rounds_up_and_detects_overflow() {
        assert_eq!(align(0), Some(0));
        assert_eq!(align(1), Some(4));
        assert_eq!(align(4), Some(4));
        assert_eq!(align(usize::MAX), None);
    }
}
