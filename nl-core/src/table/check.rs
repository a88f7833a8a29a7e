//! The compact length rule of each type number, derived from the declared
//! [`Kind`]s at compile time, so the one-pass parse accepts most
//! attributes with two compares instead of a match on the kind.
//!
//! ```text
//! Table.checks:  [ LenCheck; highest type + 1 ]
//!   type 0          type 1          type 2            type 3
//!  +--------------+---------------+-----------------+------------------+
//!  | 65535..=0    | 4..=4         | 4..=4 or 16     | 1..=16, NUL last |
//!  +--------------+---------------+-----------------+------------------+
//!   a gap: never   u32: exactly 4  ip: 4 or 16        nul-string<15>:
//!   fast                                              other NULs by the Kind
//! ```
//!
//! A length inside the range is valid for the kind. A length outside it
//! goes to the slow path: the declaration decides (unknown type, another
//! valid length, or the kind's own error), exactly as [`Kind::check`] does.

use crate::Error;

use super::{Kind, Table};

/// The payloads of one type number that are valid without asking its
/// [`Kind`]: a length in `min..=max` (empty, `min > max`, for gaps and
/// `u32s`) or equal to `alt`, ending with a NUL byte when `nul` is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LenCheck {
    /// Shortest payload accepted on the fast path.
    pub min: u16,
    /// Longest payload accepted on the fast path.
    pub max: u16,
    /// One more length accepted on the fast path (`u16::MAX`, longer than
    /// any payload, for none).
    pub alt: u16,
    /// The fast path also needs the last byte to be NUL (nul-strings).
    pub nul: bool,
}

impl LenCheck {
    /// Nothing on the fast path: gaps, and kinds that read the content.
    pub const SLOW: LenCheck = LenCheck::range(u16::MAX, 0);

    /// `min..=max` bytes, any content.
    pub const fn range(min: u16, max: u16) -> LenCheck {
        LenCheck {
            min,
            max,
            alt: u16::MAX,
            nul: false,
        }
    }

    /// Exactly `a` or `b` bytes.
    const fn either(a: u16, b: u16) -> LenCheck {
        LenCheck {
            alt: b,
            ..LenCheck::range(a, a)
        }
    }

    /// Exactly `len` bytes.
    const fn exact(len: u16) -> LenCheck {
        LenCheck::range(len, len)
    }

    /// `min..=u16::MAX`.
    const fn at_least(min: u16) -> LenCheck {
        LenCheck::range(min, u16::MAX)
    }

    /// The fast range of `kind` (compile time, in [`attr_set!`](crate::attr_set)):
    /// every length in it is valid for `kind`.
    pub const fn of(kind: &Kind) -> LenCheck {
        match *kind {
            Kind::U8 | Kind::S8 => Self::exact(1),
            Kind::U16 | Kind::S16 | Kind::Be16 => Self::exact(2),
            Kind::U32 | Kind::S32 | Kind::Be32 | Kind::Ipv4 => Self::exact(4),
            Kind::Uint | Kind::Sint => Self::either(4, 8),
            Kind::Ip => Self::either(4, 16),
            Kind::U64 | Kind::S64 | Kind::Be64 => Self::exact(8),
            Kind::Ipv6 => Self::exact(16),
            Kind::Flag => Self::exact(0),
            Kind::Binary { min, max } => LenCheck::range(min, max),
            Kind::Struct { len, .. } => Self::at_least(len),
            Kind::Nest(_) | Kind::Array(_) => Self::at_least(0),
            // Any content up to `max` bytes is a valid string (0: no limit).
            Kind::Str { max: 0 } => Self::at_least(0),
            Kind::Str { max } => LenCheck::range(0, max),
            // Content and its NUL, the NUL last (as the kernel writes them);
            // other NULs are for the Kind to judge.
            Kind::NulStr { max: 0 } => LenCheck {
                nul: true,
                ..Self::at_least(1)
            },
            Kind::NulStr { max } => LenCheck {
                nul: true,
                ..Self::range(1, max.saturating_add(1))
            },
            Kind::U32s { .. } => Self::SLOW,
        }
    }

    /// Checks `payload` of type `ty` from `table`: `Ok(true)` when valid,
    /// `Ok(false)` when the table does not know the type, else the kind's
    /// error (the one [`Kind::check`] gives).
    #[inline(always)]
    pub fn check(self, table: &Table, ty: u16, payload: &[u8]) -> Result<bool, Error> {
        if self.accepts(payload) {
            return Ok(true);
        }
        check_slow(table, ty, payload)
    }

    /// True when `payload` passes the fast path (false: ask the Kind).
    #[inline(always)]
    pub fn accepts(self, payload: &[u8]) -> bool {
        let len = payload.len();
        (len >= usize::from(self.min) && len <= usize::from(self.max)
            || len == usize::from(self.alt))
            && (!self.nul || payload.last() == Some(&0))
    }
}

impl Table {
    /// Validates attribute `ty`'s `payload` as this set declares it, in one
    /// indexed load and two compares for most kinds: `Ok(true)` when valid,
    /// `Ok(false)` when the set does not know `ty` (skip it), else the
    /// kind's error (the one [`Kind::check`] gives).
    #[inline(always)]
    pub fn check(&self, ty: u16, payload: &[u8]) -> Result<bool, Error> {
        match self.checks.get(usize::from(ty)) {
            Some(check) => check.check(self, ty, payload),
            None => check_slow(self, ty, payload),
        }
    }
}

/// Outside the fast range: the declaration decides. Kept out of line so
/// each parse loop stays small.
#[inline(never)]
fn check_slow(table: &Table, ty: u16, payload: &[u8]) -> Result<bool, Error> {
    match table.def(ty) {
        Some(def) => def.kind.check(ty, payload).map(|()| true),
        None => Ok(false),
    }
}

/// Places each kind's range at its type number; every other number below
/// `N` is [`LenCheck::SLOW`] (compile time, in [`attr_set!`](crate::attr_set)).
/// Types at or above `N` are left out.
pub const fn checks_by_type<const N: usize, const M: usize>(
    kinds: [(u16, Kind); M],
) -> [LenCheck; N] {
    let mut out = [LenCheck::SLOW; N];
    let mut rest: &[(u16, Kind)] = &kinds;
    while let Some(((ty, kind), tail)) = rest.split_first() {
        let ty = *ty as usize;
        if ty < N {
            #[allow(clippy::indexing_slicing)] // checked just above; get_mut is not const
            {
                out[ty] = LenCheck::of(kind);
            }
        }
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    extern crate std;

    use proptest::prelude::*;

    use super::*;
    use crate::table::tests::Every;
    use crate::table::{AttrSet, Def, Member};

    static NO_MEMBERS: [Member; 0] = [];

    /// Every kind, with bounds that make the edges interesting.
    fn kinds() -> std::vec::Vec<Kind> {
        fn inner() -> &'static Table {
            Every::table()
        }
        std::vec![
            Kind::U8,
            Kind::U16,
            Kind::U32,
            Kind::U64,
            Kind::S8,
            Kind::S16,
            Kind::S32,
            Kind::S64,
            Kind::Uint,
            Kind::Sint,
            Kind::Be16,
            Kind::Be32,
            Kind::Be64,
            Kind::Flag,
            Kind::Str { max: 5 },
            Kind::NulStr { max: 5 },
            Kind::Binary { min: 2, max: 6 },
            Kind::Ip,
            Kind::U32s { max: 3 },
            Kind::Struct {
                len: 12,
                members: &NO_MEMBERS,
            },
            Kind::Nest(inner),
            Kind::Array(&Kind::U32),
            Kind::Ipv4,
            Kind::Ipv6,
            Kind::Str { max: 0 },
            Kind::NulStr { max: 0 },
            Kind::Binary { min: 0, max: 0 },
        ]
    }

    #[test]
    fn ranges() {
        let range = LenCheck::range;
        assert_eq!(LenCheck::of(&Kind::U8), range(1, 1));
        assert_eq!(LenCheck::of(&Kind::Ipv6), range(16, 16));
        assert_eq!(LenCheck::of(&Kind::Flag), range(0, 0));
        assert_eq!(
            LenCheck::of(&Kind::Struct {
                len: 12,
                members: &NO_MEMBERS
            }),
            range(12, u16::MAX)
        );
        assert_eq!(LenCheck::of(&Kind::Str { max: 5 }), range(0, 5));
        assert_eq!(LenCheck::of(&Kind::Str { max: 0 }), range(0, u16::MAX));
        let nul = |max| LenCheck {
            nul: true,
            ..LenCheck::range(1, max)
        };
        assert_eq!(LenCheck::of(&Kind::NulStr { max: 5 }), nul(6));
        assert_eq!(LenCheck::of(&Kind::NulStr { max: 0 }), nul(u16::MAX));
        assert_eq!(LenCheck::of(&Kind::NulStr { max: u16::MAX }), nul(u16::MAX));
        assert_eq!(LenCheck::of(&Kind::U32s { max: 3 }), LenCheck::SLOW);
        let either = |a, b| LenCheck {
            alt: b,
            ..LenCheck::range(a, a)
        };
        assert_eq!(LenCheck::of(&Kind::Uint), either(4, 8));
        assert_eq!(LenCheck::of(&Kind::Sint), either(4, 8));
        assert_eq!(LenCheck::of(&Kind::Ip), either(4, 16));
    }

    #[test]
    fn by_type_fills_gaps_with_slow() {
        let checks: [LenCheck; 4] = checks_by_type([(3, Kind::U8), (1, Kind::Flag), (9, Kind::U8)]);
        assert_eq!(checks[0], LenCheck::SLOW);
        assert_eq!(checks[1], LenCheck::range(0, 0));
        assert_eq!(checks[2], LenCheck::SLOW);
        assert_eq!(checks[3], LenCheck::range(1, 1));
    }

    #[test]
    fn the_declared_table_has_one_check_per_slot() {
        let table = Every::table();
        assert_eq!(table.checks.len(), table.defs.len());
        for (def, check) in table.defs.iter().zip(table.checks) {
            match def {
                Some(def) => assert_eq!(*check, LenCheck::of(&def.kind), "{}", def.name),
                None => assert_eq!(*check, LenCheck::SLOW),
            }
        }
    }

    #[test]
    fn unknown_types_are_not_known() {
        let table = Every::table();
        assert_eq!(LenCheck::SLOW.check(table, 22, &[1, 2, 3, 4]), Ok(false));
        assert_eq!(LenCheck::SLOW.check(table, 9999, &[]), Ok(false));
        assert_eq!(table.check(22, &[1, 2, 3, 4]), Ok(false), "a gap");
        assert_eq!(table.check(24, &[]), Ok(false), "past the end");
        assert_eq!(table.check(3, &[1, 2, 3, 4]), Ok(true));
        assert_eq!(
            table.check(3, &[1, 2]),
            Err(Error::BadAttrLength { ty: 3, len: 2 })
        );
        // A table without checks decides everything through its defs.
        let bare = Table {
            name: "bare",
            defs: table.defs,
            checks: &[],
        };
        assert_eq!(bare.check(3, &[1, 2, 3, 4]), Ok(true));
        assert_eq!(
            bare.check(3, &[1, 2]),
            Err(Error::BadAttrLength { ty: 3, len: 2 })
        );
        assert_eq!(bare.check(22, &[]), Ok(false));
    }

    proptest! {
        /// Every length in a kind's fast range is valid for the kind, and
        /// through a table whose type 7 has that kind the fast check and
        /// the kind's own check agree on every payload.
        #[test]
        fn the_fast_path_agrees_with_the_kind(
            which in 0usize..27,
            payload in proptest::collection::vec(prop_oneof![Just(0u8), any::<u8>()], 0..40),
        ) {
            let kinds = kinds();
            prop_assert_eq!(kinds.len(), 27);
            let kind = kinds[which];
            let rule = LenCheck::of(&kind);
            if rule.accepts(&payload) {
                prop_assert_eq!(kind.check(7, &payload), Ok(()));
            }
            let defs = [None, None, None, None, None, None, None, Some(Def {
                ty: 7,
                name: "x",
                kind,
                multi: false,
                values: crate::table::Values::Plain,
            })];
            let defs: &'static [Option<Def>] = std::boxed::Box::leak(std::boxed::Box::new(defs));
            let table = Table { name: "one", defs, checks: &[] };
            prop_assert_eq!(
                rule.check(&table, 7, &payload),
                kind.check(7, &payload).map(|()| true)
            );
        }
    }
}
