//! Named members of fixed C structs, so text and JSON output (`nl decode`)
//! can print a struct attribute member by member, under the names of the
//! kernel's YAML specs, instead of as hex.
//!
//! A struct used as [`Struct<T>`](super::Struct) implements [`WireStruct`]:
//!
//! ```
//! use nl_core::table::{Member, MemberKind, WireStruct};
//!
//! #[repr(C)]
//! struct PortRange { start: [u8; 2], end: [u8; 2] }
//!
//! impl WireStruct for PortRange {
//!     const MEMBERS: &'static [Member] = &[
//!         Member::new("start", 0, MemberKind::U16),
//!         Member::new("end", 2, MemberKind::U16),
//!     ];
//! }
//! ```
//!
//! Members are listed in offset order; padding is simply not listed. An
//! empty list means "print the struct as hex". That every member lies
//! inside the struct is checked when the struct's attribute kind is built
//! (at compile time).

use super::{EnumValues, FlagValues, Values};

/// A fixed C struct whose members have names.
pub trait WireStruct {
    /// The members, in offset order.
    const MEMBERS: &'static [Member];
}

/// One member of a fixed C struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    /// Name in the kernel's spec (kebab-case).
    pub name: &'static str,
    /// Byte offset in the struct.
    pub offset: u16,
    /// How it is read.
    pub kind: MemberKind,
    /// What an integer member's value means (plain unless set with
    /// [`Member::enumerated`] or [`Member::flags`]).
    pub values: Values,
}

impl Member {
    /// A member `name` of kind `kind` at byte `offset`.
    pub const fn new(name: &'static str, offset: u16, kind: MemberKind) -> Self {
        Member {
            name,
            offset,
            kind,
            values: Values::Plain,
        }
    }

    /// The same member, its value named by the [`value_enum!`](crate::value_enum) `T`.
    pub const fn enumerated<T: EnumValues>(self) -> Self {
        Member {
            values: Values::Enum(T::VALUES),
            ..self
        }
    }

    /// The same member, its bits named by the [`flag_set!`](crate::flag_set) `T`.
    pub const fn flags<T: FlagValues>(self) -> Self {
        Member {
            values: Values::Flags(T::BITS),
            ..self
        }
    }

    /// The member's bytes within a struct's payload; `None` when the
    /// payload is too short.
    pub fn bytes<'a>(&self, payload: &'a [u8]) -> Option<&'a [u8]> {
        let start = usize::from(self.offset);
        payload.get(start..start.checked_add(self.kind.len())?)
    }
}

/// How a struct member is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberKind {
    /// `u8`.
    U8,
    /// `u16`, host-endian.
    U16,
    /// `u32`, host-endian.
    U32,
    /// `u64`, host-endian.
    U64,
    /// `s32`, host-endian.
    S32,
    /// `s64`, host-endian.
    S64,
    /// Big-endian u16.
    Be16,
    /// Big-endian u32.
    Be32,
    /// Big-endian u64.
    Be64,
    /// An IPv4 address (4 bytes, network order).
    Ipv4,
    /// An IPv6 address (16 bytes, network order).
    Ipv6,
    /// A MAC address (6 bytes).
    Mac,
    /// Bytes of this length, printed as hex.
    Bytes(u16),
}

impl MemberKind {
    /// Size in bytes.
    pub const fn len(self) -> usize {
        match self {
            MemberKind::U8 => 1,
            MemberKind::U16 | MemberKind::Be16 => 2,
            MemberKind::U32 | MemberKind::S32 | MemberKind::Be32 | MemberKind::Ipv4 => 4,
            MemberKind::U64 | MemberKind::S64 | MemberKind::Be64 => 8,
            MemberKind::Ipv6 => 16,
            MemberKind::Mac => 6,
            MemberKind::Bytes(n) => n as usize,
        }
    }

    /// Never empty except `Bytes(0)`.
    pub const fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// True when every member lies within `len` bytes.
pub const fn members_fit(members: &[Member], len: usize) -> bool {
    let mut rest = members;
    while let [m, tail @ ..] = rest {
        if m.offset as usize + m.kind.len() > len {
            return false;
        }
        rest = tail;
    }
    true
}

#[cfg(test)]
mod tests {
    // The test sets declare more items than the tests read.
    #![allow(dead_code)]
    extern crate std;

    use super::*;

    const PAIR: [Member; 2] = [
        Member::new("a", 0, MemberKind::U16),
        Member::new("b", 2, MemberKind::Be16),
    ];

    #[test]
    fn members_read_their_bytes_and_must_fit() {
        let payload = [0x01, 0x00, 0x00, 0x02];
        assert_eq!(PAIR[0].bytes(&payload), Some(&payload[..2]));
        assert_eq!(PAIR[1].bytes(&payload), Some(&payload[2..]));
        assert_eq!(PAIR[1].bytes(&payload[..3]), None, "short payload");
        assert!(members_fit(&PAIR, 4));
        assert!(!members_fit(&PAIR, 3));
        assert_eq!(MemberKind::Bytes(5).len(), 5);
        assert_eq!(MemberKind::Mac.len(), 6);
        assert_eq!(MemberKind::Ipv6.len(), 16);
    }

    crate::value_enum! {
        /// Test enum.
        pub(crate) enum Shade(u8) {
            /// Dark.
            Dark = 2 => "dark",
        }
    }

    crate::flag_set! {
        /// Test flags.
        pub(crate) struct Lit(u8) {
            /// On.
            ON = 0x1 => "on",
        }
    }

    #[test]
    fn members_carry_their_value_names() {
        let plain = Member::new("p", 0, MemberKind::U8);
        assert_eq!(plain.values, Values::Plain);
        let shade = plain.enumerated::<Shade>();
        assert_eq!(shade.values.enum_name(2), Some("dark"));
        assert_eq!(
            (shade.name, shade.offset, shade.kind),
            ("p", 0, MemberKind::U8)
        );
        let lit = plain.flags::<Lit>();
        let (names, unknown) = lit.values.flag_names(0x3).unwrap();
        assert_eq!(names.collect::<std::vec::Vec<_>>(), ["on"]);
        assert_eq!(unknown, 0x2);
    }
}
