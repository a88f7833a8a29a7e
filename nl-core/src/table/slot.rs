//! Where one attribute's payload sits in the bytes an [`Index`](super::Index)
//! parsed: the index keeps one [`Slot`] per type number of its set.
//!
//! ```text
//! parsed bytes:  | nla_len | nla_type | payload ........ | pad | next ...
//!                0                    ^ start            ^ end
//! Slot { start, end }: payload = bytes[start..end]; start == 0: absent
//! (a payload always follows its 4-byte header, so it never starts at 0).
//! ```

/// One type number's payload in the parsed bytes, as two `u32` offsets
/// (8 bytes, where a slice reference takes 16).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Slot {
    start: u32,
    end: u32,
}

impl Slot {
    /// No attribute of this type was found.
    pub const ABSENT: Slot = Slot { start: 0, end: 0 };

    /// The payload `start..end`; `None` if an offset does not fit a `u32`
    /// or `start` is 0 (no payload starts there).
    #[cfg(test)]
    pub(crate) fn new(start: usize, end: usize) -> Option<Slot> {
        let start = u32::try_from(start).ok().filter(|s| *s != 0)?;
        let end = u32::try_from(end).ok()?;
        Some(Slot { start, end })
    }

    /// The payload of `len` bytes that starts where `rest_len` bytes of a
    /// run of `total` bytes are left, for the parse's inner loop.
    /// `rest_len <= total` and `len <= rest_len` (the parse checked both),
    /// so the offsets do not wrap, and `total` fits a u32 so neither does
    /// the cast; `start` is never 0 (a 4-byte header comes first).
    #[inline(always)]
    #[allow(clippy::cast_possible_truncation)] // both are at most `total`, a u32
    pub(crate) fn at(total: u32, rest_len: usize, len: usize) -> Slot {
        let start = total.wrapping_sub(rest_len as u32);
        Slot {
            start,
            end: start.wrapping_add(len as u32),
        }
    }

    /// The payload in `bytes` (the bytes the index parsed), if present.
    #[inline]
    pub(crate) fn payload(self, bytes: &[u8]) -> Option<&[u8]> {
        if self.start == 0 {
            return None;
        }
        bytes.get(usize::try_from(self.start).ok()?..usize::try_from(self.end).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_counts_from_the_end_of_the_run() {
        // A run of 16 bytes; 12 are left after a header; a 3-byte payload.
        assert_eq!(Slot::at(16, 12, 3), Slot::new(4, 7).unwrap());
        assert_eq!(Slot::at(16, 4, 4), Slot::new(12, 16).unwrap());
    }

    #[test]
    fn absent_and_present() {
        let bytes = [8, 0, 1, 0, 1, 2, 3, 4];
        assert_eq!(Slot::ABSENT.payload(&bytes), None);
        assert_eq!(Slot::default(), Slot::ABSENT);
        assert_eq!(
            Slot::new(4, 8).unwrap().payload(&bytes),
            Some(&[1, 2, 3, 4][..])
        );
        assert_eq!(Slot::new(8, 8).unwrap().payload(&bytes), Some(&[][..]));
        assert_eq!(Slot::new(0, 4), None, "0 means absent");
        // Offsets past the bytes (never made by a parse) give nothing, not a panic.
        assert_eq!(Slot::new(4, 9).unwrap().payload(&bytes), None);
        assert_eq!(Slot::new(6, 5).unwrap().payload(&bytes), None);
    }

    #[cfg(target_pointer_width = "64")]
    #[test]
    fn offsets_past_u32_do_not_fit() {
        assert_eq!(Slot::new(1 << 32, 1 << 32), None);
        assert_eq!(Slot::new(4, 1 << 32), None);
    }
}
