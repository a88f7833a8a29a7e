//! The runtime description of an attribute set: what each type number is.

use crate::Error;

/// What an attribute's payload is. Drives length validation, `Display` and
/// extended-ACK mapping.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// `u8`, exactly 1 byte.
    U8,
    /// `u16`, host-endian, exactly 2 bytes.
    U16,
    /// `u32`, host-endian, exactly 4 bytes.
    U32,
    /// `u64`, host-endian, exactly 8 bytes.
    U64,
    /// `s8`.
    S8,
    /// `s16`, host-endian.
    S16,
    /// `s32`, host-endian.
    S32,
    /// `s64`, host-endian.
    S64,
    /// `uint`: unsigned, host-endian, 4 or 8 bytes.
    Uint,
    /// `sint`: signed, host-endian, 4 or 8 bytes.
    Sint,
    /// Big-endian u16.
    Be16,
    /// Big-endian u32.
    Be32,
    /// Big-endian u64.
    Be64,
    /// `flag`: present or absent, no payload.
    Flag,
    /// `string`: bytes up to an optional NUL, at most `max` of them (0: no limit).
    Str {
        /// Longest content without the NUL; 0 means no limit.
        max: u16,
    },
    /// `string` that must be NUL-terminated (`NLA_NUL_STRING`).
    NulStr {
        /// Longest content without the NUL; 0 means no limit.
        max: u16,
    },
    /// `binary` with length bounds.
    Binary {
        /// Shortest payload accepted.
        min: u16,
        /// Longest payload accepted.
        max: u16,
    },
    /// An IPv4 address: exactly 4 bytes, network order.
    Ipv4,
    /// An IPv6 address: exactly 16 bytes, network order.
    Ipv6,
    /// An IPv4 or IPv6 address: 4 or 16 bytes (the family is in the header).
    Ip,
    /// `binary` with `sub-type: u32`: a packed run of host-endian u32, at
    /// most `max` of them.
    U32s {
        /// Most elements accepted.
        max: u16,
    },
    /// A fixed C struct of at least `len` bytes (longer is accepted).
    Struct {
        /// Known size of the struct.
        len: u16,
        /// Its named members (empty: printed as hex).
        members: &'static [super::Member],
    },
    /// A nest whose attributes belong to another set.
    Nest(fn() -> &'static Table),
    /// An indexed array: a nest whose children are numbered 0, 1, 2… (or 1, 2…)
    /// and each hold a payload of the given kind.
    Array(&'static Kind),
}

impl Kind {
    /// Checks that `payload` is valid for this kind. `ty` is only used in the error.
    // Always inlined: it runs once per attribute, and once inlined into a
    // set's parse the kind is often known and the match folds away.
    #[inline(always)]
    pub fn check(&self, ty: u16, payload: &[u8]) -> Result<(), Error> {
        let len = payload.len();
        let exact = |want: usize| {
            if len == want {
                Ok(())
            } else {
                Err(Error::BadAttrLength { ty, len })
            }
        };
        match *self {
            Kind::U8 | Kind::S8 => exact(1),
            Kind::U16 | Kind::S16 | Kind::Be16 => exact(2),
            Kind::U32 | Kind::S32 | Kind::Be32 => exact(4),
            Kind::U64 | Kind::S64 | Kind::Be64 => exact(8),
            Kind::Uint | Kind::Sint if len == 4 || len == 8 => Ok(()),
            Kind::Uint | Kind::Sint => Err(Error::BadAttrLength { ty, len }),
            Kind::Ipv4 => exact(4),
            Kind::Ipv6 => exact(16),
            Kind::Ip if len == 4 || len == 16 => Ok(()),
            Kind::Ip => Err(Error::BadAttrLength { ty, len }),
            Kind::Flag => exact(0),
            // As the kernel's policy checks them: only a trailing NUL is
            // left out of the length; a NUL-string must contain a NUL.
            Kind::Str { max } => check_max(ty, payload, max),
            Kind::NulStr { max } if payload.contains(&0) => check_max(ty, payload, max),
            Kind::NulStr { .. } => Err(Error::BadPayload { ty }),
            Kind::Binary { min, max } => {
                if len < usize::from(min) || len > usize::from(max) {
                    return Err(Error::BadAttrLength { ty, len });
                }
                Ok(())
            }
            Kind::U32s { max } if len % 4 == 0 && len / 4 <= usize::from(max) => Ok(()),
            Kind::U32s { .. } => Err(Error::BadAttrLength { ty, len }),
            Kind::Struct { len: want, .. } if len >= usize::from(want) => Ok(()),
            Kind::Struct { .. } => Err(Error::BadAttrLength { ty, len }),
            // Nests are checked when they are parsed or walked.
            Kind::Nest(_) | Kind::Array(_) => Ok(()),
        }
    }

    /// The kind's name in the kernel's YAML spec vocabulary.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::U8 => "u8",
            Kind::U16 => "u16",
            Kind::U32 => "u32",
            Kind::U64 => "u64",
            Kind::S8 => "s8",
            Kind::S16 => "s16",
            Kind::S32 => "s32",
            Kind::S64 => "s64",
            Kind::Uint => "uint",
            Kind::Sint => "sint",
            Kind::Be16 => "be16",
            Kind::Be32 => "be32",
            Kind::Be64 => "be64",
            Kind::Flag => "flag",
            Kind::Str { .. } => "string",
            Kind::NulStr { .. } => "nul-string",
            Kind::Binary { .. } => "binary",
            Kind::U32s { .. } => "u32s",
            Kind::Ipv4 => "ipv4",
            Kind::Ipv6 => "ipv6",
            Kind::Ip => "ip",
            Kind::Struct { .. } => "struct",
            Kind::Nest(_) => "nest",
            Kind::Array(_) => "indexed-array",
        }
    }

    /// The table of a `Nest`; `None` for every other kind (arrays included:
    /// their elements are numbered, not named).
    pub fn nested_table(&self) -> Option<&'static Table> {
        match *self {
            Kind::Nest(table) => Some(table()),
            _ => None,
        }
    }
}

/// A string's length without one trailing NUL must not exceed `max` (0: no limit).
fn check_max(ty: u16, payload: &[u8], max: u16) -> Result<(), Error> {
    let len = match payload.split_last() {
        Some((0, text)) => text.len(),
        _ => payload.len(),
    };
    if max != 0 && len > usize::from(max) {
        return Err(Error::BadAttrLength {
            ty,
            len: payload.len(),
        });
    }
    Ok(())
}

/// One attribute of a set.
#[derive(Clone, Copy, Debug)]
pub struct Def {
    /// Type number.
    pub ty: u16,
    /// Name in the kernel's spec (kebab-case).
    pub name: &'static str,
    /// Payload kind.
    pub kind: Kind,
    /// May appear more than once (`multi-attr`).
    pub multi: bool,
    /// What an integer's value means (an enum, flags, or a plain number).
    pub values: super::Values,
}

/// An attribute set's description, indexed by type number.
#[derive(Debug)]
pub struct Table {
    /// The set's name in the kernel's spec.
    pub name: &'static str,
    /// `defs[ty]` describes type `ty`; gaps are `None`.
    pub defs: &'static [Option<Def>],
    /// `checks[ty]` is the fast length rule of `defs[ty]`'s kind (gaps:
    /// [`LenCheck::SLOW`](super::LenCheck::SLOW)), derived from the same
    /// declaration by [`attr_set!`](crate::attr_set); what
    /// [`Table::check`] and [`Index::parse`](super::Index::parse) run.
    /// Empty: every attribute takes the slow path through `defs`.
    pub checks: &'static [super::LenCheck],
}

impl Table {
    /// The definition of type `ty`, if the set has one.
    #[inline]
    pub fn def(&self, ty: u16) -> Option<&'static Def> {
        self.defs.get(usize::from(ty))?.as_ref()
    }

    /// The name of type `ty`, if the set has one.
    pub fn name_of(&self, ty: u16) -> Option<&'static str> {
        self.def(ty).map(|d| d.name)
    }

    /// The definitions in type order.
    pub fn iter(&self) -> impl Iterator<Item = &'static Def> + 'static {
        self.defs.iter().flatten()
    }
}

/// Tables are compared by identity: each set has exactly one.
impl PartialEq for Table {
    fn eq(&self, other: &Self) -> bool {
        core::ptr::eq(self, other)
    }
}

impl Eq for Table {}

/// Number of index slots a set with these type numbers needs (highest + 1).
/// Evaluated at compile time by [`attr_set!`](crate::attr_set).
pub const fn slots_len(tys: &[u16]) -> usize {
    let mut max = 0usize;
    let mut rest = tys;
    while let Some((ty, tail)) = rest.split_first() {
        if *ty as usize + 1 > max {
            max = *ty as usize + 1;
        }
        rest = tail;
    }
    max
}

/// True when no type number appears twice. [`attr_set!`](crate::attr_set)
/// asserts it at compile time.
pub const fn unique(tys: &[u16]) -> bool {
    let mut rest = tys;
    while let Some((first, tail)) = rest.split_first() {
        let mut others = tail;
        while let Some((other, more)) = others.split_first() {
            if *other == *first {
                return false;
            }
            others = more;
        }
        rest = tail;
    }
    true
}

/// Places each definition at its type number (compile time, in
/// [`attr_set!`](crate::attr_set)). Types at or above `N` are left out.
pub const fn by_type<const N: usize, const M: usize>(defs: [Def; M]) -> [Option<Def>; N] {
    let mut out: [Option<Def>; N] = [None; N];
    let mut rest: &[Def] = &defs;
    while let Some((def, tail)) = rest.split_first() {
        let ty = def.ty as usize;
        if ty < N {
            #[allow(clippy::indexing_slicing)] // checked just above; get_mut is not const
            {
                out[ty] = Some(*def);
            }
        }
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `check` on a payload of `len` bytes of 0x01 (no NUL).
    fn check(kind: Kind, len: usize) -> Result<(), Error> {
        kind.check(7, &[1u8; 80][..len])
    }

    fn bad(len: usize) -> Result<(), Error> {
        Err(Error::BadAttrLength { ty: 7, len })
    }

    #[test]
    fn integers_need_their_exact_length() {
        for (kinds, want) in [
            (&[Kind::U8, Kind::S8][..], 1),
            (&[Kind::U16, Kind::S16, Kind::Be16], 2),
            (&[Kind::U32, Kind::S32, Kind::Be32], 4),
            (&[Kind::U64, Kind::S64, Kind::Be64], 8),
        ] {
            for kind in kinds {
                for len in 0..=16 {
                    let expect = if len == want { Ok(()) } else { bad(len) };
                    assert_eq!(check(*kind, len), expect, "{kind:?} {len}");
                }
            }
        }
    }

    #[test]
    fn uint_and_sint_take_4_or_8() {
        for kind in [Kind::Uint, Kind::Sint] {
            for len in 0..=16 {
                let expect = if len == 4 || len == 8 {
                    Ok(())
                } else {
                    bad(len)
                };
                assert_eq!(check(kind, len), expect, "{kind:?} {len}");
            }
        }
    }

    #[test]
    fn flag_is_empty() {
        assert_eq!(check(Kind::Flag, 0), Ok(()));
        assert_eq!(check(Kind::Flag, 1), bad(1));
        assert_eq!(check(Kind::Flag, 4), bad(4));
    }

    #[test]
    fn string_length_leaves_out_one_trailing_nul() {
        // As the kernel's validate_nla() counts NLA_STRING against its maximum.
        let s = Kind::Str { max: 5 };
        assert_eq!(s.check(7, b""), Ok(()));
        assert_eq!(s.check(7, b"hello"), Ok(()));
        assert_eq!(s.check(7, b"hello\0"), Ok(()));
        assert_eq!(s.check(7, b"hell\0\0"), Ok(()));
        assert_eq!(s.check(7, b"hello\0\0\0"), bad(8));
        assert_eq!(s.check(7, b"ab\0cdefgh"), bad(9));
        assert_eq!(s.check(7, b"hello!"), bad(6));
        assert_eq!(s.check(7, b"hello!\0"), bad(7));
        let unlimited = Kind::Str { max: 0 };
        assert_eq!(unlimited.check(7, &[b'x'; 1000]), Ok(()));
    }

    #[test]
    fn nul_string_needs_its_nul() {
        let s = Kind::NulStr { max: 5 };
        assert_eq!(s.check(7, b"hello\0"), Ok(()));
        assert_eq!(s.check(7, b"\0"), Ok(()));
        assert_eq!(s.check(7, b"hi\0ju"), Ok(()));
        // The kernel also bounds what follows the NUL: 7 bytes, no trailing NUL.
        assert_eq!(s.check(7, b"hi\0junk"), bad(7));
        assert_eq!(s.check(7, b"hello"), Err(Error::BadPayload { ty: 7 }));
        assert_eq!(s.check(7, b""), Err(Error::BadPayload { ty: 7 }));
        assert_eq!(s.check(7, b"hello!\0"), bad(7));
        let unlimited = Kind::NulStr { max: 0 };
        let mut long = [b'x'; 1000];
        long[999] = 0;
        assert_eq!(unlimited.check(7, &long), Ok(()));
        assert_eq!(
            unlimited.check(7, &[b'x'; 1000]),
            Err(Error::BadPayload { ty: 7 })
        );
    }

    #[test]
    fn binary_bounds_are_inclusive() {
        let kind = Kind::Binary { min: 2, max: 4 };
        for len in 0..=6 {
            let expect = if (2..=4).contains(&len) {
                Ok(())
            } else {
                bad(len)
            };
            assert_eq!(check(kind, len), expect, "{len}");
        }
    }

    #[test]
    fn struct_may_be_longer_but_not_shorter() {
        let kind = Kind::Struct {
            len: 4,
            members: &[],
        };
        assert_eq!(check(kind, 0), bad(0));
        assert_eq!(check(kind, 3), bad(3));
        assert_eq!(check(kind, 4), Ok(()));
        assert_eq!(check(kind, 5), Ok(()));
        assert_eq!(check(kind, 80), Ok(()));
    }

    #[test]
    fn nests_are_checked_later() {
        static EMPTY: Table = Table {
            name: "empty",
            defs: &[],
            checks: &[],
        };
        fn empty() -> &'static Table {
            &EMPTY
        }
        assert_eq!(Kind::Nest(empty).check(7, &[0xff; 3]), Ok(()));
        assert_eq!(Kind::Array(&Kind::U8).check(7, &[0xff; 3]), Ok(()));
        assert_eq!(Kind::Nest(empty).nested_table(), Some(&EMPTY));
        assert_eq!(Kind::U32.nested_table(), None);
        // An array of nests names no children itself: its children are indices.
        assert_eq!(Kind::Array(&Kind::Nest(empty)).nested_table(), None);
    }

    #[test]
    fn the_error_carries_the_type_given() {
        assert_eq!(
            Kind::U32.check(0x3fff, &[1, 2]),
            Err(Error::BadAttrLength { ty: 0x3fff, len: 2 })
        );
        assert_eq!(
            Kind::NulStr { max: 0 }.check(0, b"x"),
            Err(Error::BadPayload { ty: 0 })
        );
    }

    #[test]
    fn names() {
        static EMPTY: Table = Table {
            name: "empty",
            defs: &[],
            checks: &[],
        };
        fn empty() -> &'static Table {
            &EMPTY
        }
        let all = [
            (Kind::U8, "u8"),
            (Kind::U16, "u16"),
            (Kind::U32, "u32"),
            (Kind::U64, "u64"),
            (Kind::S8, "s8"),
            (Kind::S16, "s16"),
            (Kind::S32, "s32"),
            (Kind::S64, "s64"),
            (Kind::Uint, "uint"),
            (Kind::Sint, "sint"),
            (Kind::Be16, "be16"),
            (Kind::Be32, "be32"),
            (Kind::Be64, "be64"),
            (Kind::Flag, "flag"),
            (Kind::Str { max: 0 }, "string"),
            (Kind::NulStr { max: 0 }, "nul-string"),
            (Kind::Binary { min: 0, max: 1 }, "binary"),
            (Kind::U32s { max: 2 }, "u32s"),
            (
                Kind::Struct {
                    len: 4,
                    members: &[],
                },
                "struct",
            ),
            (Kind::Nest(empty), "nest"),
            (Kind::Array(&Kind::U8), "indexed-array"),
        ];
        for (kind, name) in all {
            assert_eq!(kind.name(), name);
        }
    }

    #[test]
    fn slots_and_uniqueness() {
        assert_eq!(slots_len(&[]), 0);
        assert_eq!(slots_len(&[0]), 1);
        assert_eq!(slots_len(&[3, 1]), 4);
        assert_eq!(slots_len(&[u16::MAX]), 65_536);
        assert!(unique(&[]));
        assert!(unique(&[1, 2, 3]));
        assert!(!unique(&[1, 2, 1]));
        assert!(!unique(&[0, 0]));
    }

    #[test]
    fn by_type_places_each_definition_at_its_number() {
        let def = |ty, name| Def {
            ty,
            name,
            kind: Kind::U8,
            multi: false,
            values: crate::table::Values::Plain,
        };
        let defs: [Option<Def>; 4] = by_type([def(3, "c"), def(1, "a"), def(9, "too high")]);
        assert!(defs[0].is_none());
        assert_eq!(defs[1].map(|d| d.name), Some("a"));
        assert!(defs[2].is_none());
        assert_eq!(defs[3].map(|d| d.name), Some("c"));
    }
}
