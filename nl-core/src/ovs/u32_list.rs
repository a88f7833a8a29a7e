//! A packed array of host-endian u32 in one attribute (`binary` with
//! `sub-type: u32` in the specs): the upcall port ids of a vport
//! (`upcall-pid`) and of a datapath's CPUs (`per-cpu-pids`).
//!
//! ```text
//! nla_len = 4 + 4 × n | type
//! +----------------+----------------+-----+------------------+
//! | u32 [0]        | u32 [1]        | ... | u32 [n - 1]      |
//! +----------------+----------------+-----+------------------+
//! ```
//!
//! The table validates it ([`Kind::U32s`]: whole u32s, at most
//! [`MAX_LEN`]); [`check`] is the same check for a payload on its own.

use core::fmt;

use crate::Error;
use crate::table::{AttrPut, AttrType, Kind};

/// The kind: a run of u32. The getter returns [`U32s`]; the append takes `&[u32]`.
#[derive(Debug)]
pub enum U32List {}

/// The most elements one attribute holds (its payload fits a u16 length).
pub const MAX_LEN: usize = (u16::MAX as usize - crate::attr::HEADER_LEN) / 4;

impl AttrType for U32List {
    const KIND: Kind = Kind::U32s {
        max: MAX_LEN as u16,
    };
    type Value<'a> = U32s<'a>;
    fn decode(payload: &[u8]) -> Option<U32s<'_>> {
        Some(U32s(payload))
    }
}

impl AttrPut for U32List {
    type Input<'v> = &'v [u32];
    fn payload_len(value: &&[u32]) -> usize {
        value.len().saturating_mul(4)
    }
    fn write(value: &&[u32], out: &mut [u8]) {
        for (chunk, v) in out.chunks_exact_mut(4).zip(value.iter()) {
            chunk.copy_from_slice(&v.to_ne_bytes());
        }
    }
    fn fits(value: &&[u32]) -> bool {
        value.len() <= MAX_LEN
    }
}

/// Checks that the payload of attribute `ty` holds whole u32s.
pub fn check(ty: u16, payload: &[u8]) -> Result<(), Error> {
    U32List::KIND.check(ty, payload)
}

/// The u32s of one attribute, borrowed (trailing bytes short of a whole
/// u32 are not yielded; the views reject them when they parse).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct U32s<'a>(&'a [u8]);

impl<'a> U32s<'a> {
    /// The values of a payload.
    pub fn new(payload: &'a [u8]) -> Self {
        U32s(payload)
    }

    /// How many whole values.
    pub fn len(&self) -> usize {
        self.0.len() / 4
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + 'a {
        self.0
            .chunks_exact(4)
            .filter_map(|c| <[u8; 4]>::try_from(c).ok())
            .map(u32::from_ne_bytes)
    }

    /// The payload.
    pub fn bytes(&self) -> &'a [u8] {
        self.0
    }
}

impl PartialEq<[u32]> for U32s<'_> {
    fn eq(&self, other: &[u32]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter().copied())
    }
}

impl PartialEq<&[u32]> for U32s<'_> {
    fn eq(&self, other: &&[u32]) -> bool {
        *self == **other
    }
}

impl fmt::Display for U32s<'_> {
    /// The values joined by commas: `100,101`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for U32s<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for U32s<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "U32s({=[u8]})", self.0)
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;

    use super::*;

    #[test]
    fn values_read_and_write() {
        let bytes = [
            0x64, 0x00, 0x00, 0x00, // 100
            0x65, 0x00, 0x00, 0x00, // 101
        ];
        let values = U32s::new(&bytes);
        assert_eq!(values.len(), 2);
        assert_eq!(values, &[100u32, 101][..]);
        assert_ne!(values, &[100u32][..]);
        assert_eq!(format!("{values}"), "100,101");
        assert_eq!(format!("{values:?}"), "[100, 101]");
        let mut out = [0xa5u8; 8];
        U32List::write(&&[100u32, 101][..], &mut out);
        assert_eq!(out, bytes);
        assert_eq!(U32List::payload_len(&&[1u32, 2, 3][..]), 12);
        assert!(check(5, &bytes).is_ok());
        assert!(check(5, &[]).is_ok());
        assert_eq!(
            check(5, &bytes[..7]),
            Err(Error::BadAttrLength { ty: 5, len: 7 })
        );
        assert!(U32s::new(&[]).is_empty());
        assert!(U32List::fits(&&[0u32; MAX_LEN][..]));
        assert!(!U32List::fits(&&[0u32; MAX_LEN + 1][..]));
    }
}
