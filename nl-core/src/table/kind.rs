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
    /// A fixed C struct of at least `len` bytes (longer is accepted).
    Struct {
        /// Known size of the struct.
        len: u16,
    },
    /// A nest whose attributes belong to another set.
    Nest(fn() -> &'static Table),
    /// An indexed array: a nest whose children are numbered 0, 1, 2… (or 1, 2…)
    /// and each hold a payload of the given kind.
    Array(&'static Kind),
}

impl Kind {
    /// Checks that `payload` is valid for this kind. `ty` is only used in the error.
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
            Kind::Flag => exact(0),
            Kind::Str { max } => {
                let content = payload.iter().position(|&b| b == 0).unwrap_or(len);
                if max != 0 && content > usize::from(max) {
                    return Err(Error::BadAttrLength { ty, len });
                }
                Ok(())
            }
            Kind::NulStr { max } => match payload.iter().position(|&b| b == 0) {
                None => Err(Error::BadPayload { ty }),
                Some(content) if max != 0 && content > usize::from(max) => {
                    Err(Error::BadAttrLength { ty, len })
                }
                Some(_) => Ok(()),
            },
            Kind::Binary { min, max } => {
                if len < usize::from(min) || len > usize::from(max) {
                    return Err(Error::BadAttrLength { ty, len });
                }
                Ok(())
            }
            Kind::Struct { len: want } if len >= usize::from(want) => Ok(()),
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
            Kind::Struct { .. } => "struct",
            Kind::Nest(_) => "nest",
            Kind::Array(_) => "indexed-array",
        }
    }

    /// The nested table, for `Nest` and for arrays of nests.
    pub fn nested_table(&self) -> Option<&'static Table> {
        match *self {
            Kind::Nest(table) => Some(table()),
            _ => None,
        }
    }
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
}

/// An attribute set's description, indexed by type number.
#[derive(Debug)]
pub struct Table {
    /// The set's name in the kernel's spec.
    pub name: &'static str,
    /// `defs[ty]` describes type `ty`; gaps are `None`.
    pub defs: &'static [Option<Def>],
}

impl Table {
    /// The definition of type `ty`, if the set has one.
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
