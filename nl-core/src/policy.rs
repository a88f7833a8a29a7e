//! Attribute policies as the kernel reports them (`NL_POLICY_TYPE_ATTR_*`),
//! in extended ACKs (`NLMSGERR_ATTR_POLICY`) and nlctrl policy dumps.

use core::fmt;

use crate::table::Uint;

crate::attr_set! {
    /// `enum netlink_policy_type_attr`: one attribute's policy.
    pub struct PolicyAttrs = "policy-attrs" {
        /// `NL_POLICY_TYPE_ATTR_TYPE`: the [`AttrKindCode`].
        1 TYPE "type": u32;
        /// Minimum for signed integers.
        2 MIN_VALUE_S "min-value-s": i64;
        /// Maximum for signed integers.
        3 MAX_VALUE_S "max-value-s": i64;
        /// Minimum for unsigned integers.
        4 MIN_VALUE_U "min-value-u": u64;
        /// Maximum for unsigned integers.
        5 MAX_VALUE_U "max-value-u": u64;
        /// Minimum length for binary attributes.
        6 MIN_LENGTH "min-length": u32;
        /// Maximum length for binary attributes.
        7 MAX_LENGTH "max-length": u32;
        /// Sub-policy index for nests and nested arrays.
        8 POLICY_IDX "policy-idx": u32;
        /// Highest attribute type of the sub-policy.
        9 POLICY_MAXTYPE "policy-maxtype": u32;
        /// Valid bits of a bitfield32.
        10 BITFIELD32_MASK "bitfield32-mask": u32;
        /// Padding for 64-bit alignment.
        11 PAD "pad": crate::table::Binary<0, 65535>;
        /// Valid bits of an unsigned integer.
        12 MASK "mask": Uint;
    }
}

/// `enum netlink_attribute_type`: what the kernel's policy says an attribute is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AttrKindCode {
    /// `NL_ATTR_TYPE_INVALID`
    Invalid,
    /// `NL_ATTR_TYPE_FLAG`
    Flag,
    /// `NL_ATTR_TYPE_U8`
    U8,
    /// `NL_ATTR_TYPE_U16`
    U16,
    /// `NL_ATTR_TYPE_U32`
    U32,
    /// `NL_ATTR_TYPE_U64`
    U64,
    /// `NL_ATTR_TYPE_S8`
    S8,
    /// `NL_ATTR_TYPE_S16`
    S16,
    /// `NL_ATTR_TYPE_S32`
    S32,
    /// `NL_ATTR_TYPE_S64`
    S64,
    /// `NL_ATTR_TYPE_BINARY`
    Binary,
    /// `NL_ATTR_TYPE_STRING`
    String,
    /// `NL_ATTR_TYPE_NUL_STRING`
    NulString,
    /// `NL_ATTR_TYPE_NESTED`
    Nested,
    /// `NL_ATTR_TYPE_NESTED_ARRAY`
    NestedArray,
    /// `NL_ATTR_TYPE_BITFIELD32`
    Bitfield32,
    /// `NL_ATTR_TYPE_SINT`
    Sint,
    /// `NL_ATTR_TYPE_UINT`
    Uint,
    /// A value this library does not know.
    Unknown(u32),
}

impl From<u32> for AttrKindCode {
    fn from(raw: u32) -> Self {
        use AttrKindCode::*;
        match raw {
            0 => Invalid,
            1 => Flag,
            2 => U8,
            3 => U16,
            4 => U32,
            5 => U64,
            6 => S8,
            7 => S16,
            8 => S32,
            9 => S64,
            10 => Binary,
            11 => String,
            12 => NulString,
            13 => Nested,
            14 => NestedArray,
            15 => Bitfield32,
            16 => Sint,
            17 => Uint,
            other => Unknown(other),
        }
    }
}

impl AttrKindCode {
    /// The kernel's name without the `NL_ATTR_TYPE_` prefix, lowercase.
    pub fn name(self) -> &'static str {
        use AttrKindCode::*;
        match self {
            Invalid => "invalid",
            Flag => "flag",
            U8 => "u8",
            U16 => "u16",
            U32 => "u32",
            U64 => "u64",
            S8 => "s8",
            S16 => "s16",
            S32 => "s32",
            S64 => "s64",
            Binary => "binary",
            String => "string",
            NulString => "nul-string",
            Nested => "nested",
            NestedArray => "nested-array",
            Bitfield32 => "bitfield32",
            Sint => "sint",
            Uint => "uint",
            Unknown(_) => "unknown",
        }
    }
}

impl fmt::Display for AttrKindCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttrKindCode::Unknown(raw) => write!(f, "unknown({raw})"),
            other => f.write_str(other.name()),
        }
    }
}
