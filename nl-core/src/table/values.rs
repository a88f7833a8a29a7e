//! Names for an integer attribute's values: which enum or flag set of the
//! kernel's spec the number belongs to, so text and JSON output (`nl decode`)
//! can print `"scope": "link"` or `"flags": ["signal", "backup"]`.
//!
//! An attribute says so in its [`attr_set!`](crate::attr_set) line, after
//! its kind: `, enum(Type)` for a [`value_enum!`](crate::value_enum) type,
//! `, flags(Type)` for a [`flag_set!`](crate::flag_set) type:
//!
//! ```
//! nl_core::value_enum! {
//!     /// A made-up enum.
//!     pub enum Color(u8) {
//!         /// Red.
//!         Red = 1 => "red",
//!     }
//! }
//! nl_core::flag_set! {
//!     /// Made-up flags.
//!     pub struct Bits(u32) {
//!         /// Up.
//!         UP = 0x1 => "up",
//!     }
//! }
//! nl_core::attr_set! {
//!     /// A set whose numbers have names.
//!     pub struct Paint = "paint-attrs" {
//!         /// One color.
//!         1 COLOR "color": u8, enum(Color);
//!         /// Flags, repeated.
//!         2 BITS "bits": u32, flags(Bits), multi;
//!     }
//! }
//! use nl_core::table::{AttrSet, Values};
//! let color = Paint::table().def(1).unwrap();
//! assert!(matches!(color.values, Values::Enum(_)));
//! assert_eq!(color.values.enum_name(1), Some("red"));
//! assert!(Paint::table().def(2).unwrap().multi);
//! ```

/// What an integer attribute's value means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Values {
    /// A plain number.
    Plain,
    /// One value of an enum: each named value (signed values sign-extended).
    Enum(&'static [(u64, &'static str)]),
    /// A word of flags: each named bit (a bit of 0 names "no bit set").
    Flags(&'static [(u64, &'static str)]),
}

impl Values {
    /// The enum name of `raw`; `None` when it has none or this is not an enum.
    pub fn enum_name(&self, raw: u64) -> Option<&'static str> {
        match self {
            Values::Enum(names) => names.iter().find(|(v, _)| *v == raw).map(|(_, n)| *n),
            _ => None,
        }
    }

    /// The names of the flags set in `raw` (in declaration order), and the
    /// bits no name covers; `None` when this is not a flag set.
    pub fn flag_names(&self, raw: u64) -> Option<(FlagNames, u64)> {
        match *self {
            Values::Flags(bits) => {
                let known = bits.iter().fold(0, |all, (bit, _)| all | bit);
                Some((FlagNames { bits, raw }, raw & !known))
            }
            _ => None,
        }
    }
}

/// The names of the flags set in a word; see [`Values::flag_names`].
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FlagNames {
    bits: &'static [(u64, &'static str)],
    raw: u64,
}

impl Iterator for FlagNames {
    type Item = &'static str;

    fn next(&mut self) -> Option<&'static str> {
        while let [(bit, name), rest @ ..] = self.bits {
            self.bits = rest;
            let set = match *bit {
                0 => self.raw == 0,
                bit => self.raw & bit == bit,
            };
            if set {
                return Some(name);
            }
        }
        None
    }
}

/// A [`value_enum!`](crate::value_enum) type: its named values.
pub trait EnumValues {
    /// Each named value, in declaration order (signed values sign-extended).
    const VALUES: &'static [(u64, &'static str)];
}

/// A [`flag_set!`](crate::flag_set) type: its named bits.
pub trait FlagValues {
    /// Each named bit, in declaration order.
    const BITS: &'static [(u64, &'static str)];
}

#[cfg(test)]
mod tests {
    // The test sets declare more items than the tests read.
    #![allow(dead_code)]
    extern crate std;
    use std::vec::Vec;

    use super::*;
    use crate::table::AttrSet;

    crate::value_enum! {
        /// Signed test enum.
        pub(crate) enum Temper(i8) {
            /// Cold.
            Cold = -1 => "cold",
            /// Warm.
            Warm = 2 => "warm",
        }
    }

    crate::flag_set! {
        /// Test flags.
        pub(crate) struct Marks(u16) {
            /// None at all.
            NONE = 0 => "none",
            /// A.
            A = 0x1 => "a",
            /// Unnamed.
            HIDDEN = 0x2,
            /// B.
            B = 0x100 => "b",
        }
    }

    crate::attr_set! {
        /// Every option spelling, old and new.
        pub(crate) struct Opts = "opts" {
            /// Old style.
            1 PLAIN "plain": u32;
            /// Old style multi.
            2 MANY "many": u32, multi;
            /// Enum.
            3 TEMPER "temper": i8, enum(Temper);
            /// Flags and multi.
            4 MARKS "marks": u16, flags(Marks), multi;
            /// Multi before flags.
            5 MARKS2 "marks2": u16, multi, flags(Marks);
        }
    }

    fn def(ty: u16) -> &'static crate::table::Def {
        Opts::table().def(ty).unwrap()
    }

    #[test]
    fn options_fill_multi_and_values() {
        assert!(matches!(def(1).values, Values::Plain));
        assert!(!def(1).multi);
        assert!(def(2).multi && matches!(def(2).values, Values::Plain));
        assert!(!def(3).multi && matches!(def(3).values, Values::Enum(_)));
        assert!(def(4).multi && matches!(def(4).values, Values::Flags(_)));
        assert!(def(5).multi && matches!(def(5).values, Values::Flags(_)));
    }

    #[test]
    fn enums_name_values_signed_too() {
        let v = def(3).values;
        assert_eq!(v.enum_name(2), Some("warm"));
        assert_eq!(v.enum_name(-1i64 as u64), Some("cold"));
        assert_eq!(v.enum_name(3), None);
        assert_eq!(v.enum_name(1 << 40), None);
        assert_eq!(Values::Plain.enum_name(2), None);
    }

    #[test]
    fn flags_name_bits_and_keep_unknown_ones() {
        let v = def(4).values;
        let (names, unknown) = v.flag_names(0x1 | 0x2 | 0x100 | 0x8000).unwrap();
        assert_eq!(names.collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(unknown, 0x2 | 0x8000, "an unnamed flag counts as unknown");
        let (names, unknown) = v.flag_names(0).unwrap();
        assert_eq!(names.collect::<Vec<_>>(), ["none"]);
        assert_eq!(unknown, 0);
        assert!(Values::Plain.flag_names(1).is_none());
    }
}
