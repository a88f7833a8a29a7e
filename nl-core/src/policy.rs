//! Attribute policies as the kernel reports them (`NL_POLICY_TYPE_ATTR_*`),
//! in extended ACKs (`NLMSGERR_ATTR_POLICY`) and nlctrl policy dumps.

use crate::table::Uint;

crate::attr_set! {
    /// `enum netlink_policy_type_attr`: one attribute's policy.
    pub struct PolicyAttrs = "policy-attrs" {
        /// `NL_POLICY_TYPE_ATTR_TYPE`: the [`AttrKindCode`].
        1 TYPE "type": u32, enum(AttrKindCode);
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

crate::value_enum! {
    /// `enum netlink_attribute_type`: what the kernel's policy says an
    /// attribute is (`NL_POLICY_TYPE_ATTR_TYPE`).
    pub enum AttrKindCode(u32) {
        /// `NL_ATTR_TYPE_INVALID`
        Invalid = 0 => "invalid",
        /// `NL_ATTR_TYPE_FLAG`
        Flag = 1 => "flag",
        /// `NL_ATTR_TYPE_U8`
        U8 = 2 => "u8",
        /// `NL_ATTR_TYPE_U16`
        U16 = 3 => "u16",
        /// `NL_ATTR_TYPE_U32`
        U32 = 4 => "u32",
        /// `NL_ATTR_TYPE_U64`
        U64 = 5 => "u64",
        /// `NL_ATTR_TYPE_S8`
        S8 = 6 => "s8",
        /// `NL_ATTR_TYPE_S16`
        S16 = 7 => "s16",
        /// `NL_ATTR_TYPE_S32`
        S32 = 8 => "s32",
        /// `NL_ATTR_TYPE_S64`
        S64 = 9 => "s64",
        /// `NL_ATTR_TYPE_BINARY`
        Binary = 10 => "binary",
        /// `NL_ATTR_TYPE_STRING`
        String = 11 => "string",
        /// `NL_ATTR_TYPE_NUL_STRING`
        NulString = 12 => "nul-string",
        /// `NL_ATTR_TYPE_NESTED`
        Nested = 13 => "nested",
        /// `NL_ATTR_TYPE_NESTED_ARRAY`
        NestedArray = 14 => "nested-array",
        /// `NL_ATTR_TYPE_BITFIELD32`
        Bitfield32 = 15 => "bitfield32",
        /// `NL_ATTR_TYPE_SINT`
        Sint = 16 => "sint",
        /// `NL_ATTR_TYPE_UINT`
        Uint = 17 => "uint",
    }
}

#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;

    use super::*;
    use crate::table::Index;

    /// One attribute's policy from this kernel's nlctrl policy dump
    /// (policy 1, attribute 10, `CTRL_ATTR_OP`): a u32 of any value.
    #[rustfmt::skip]
    static U32_POLICY: [u8; 32] = [
        0x0c, 0x00, 0x04, 0x00, // nla_len = 12, NL_POLICY_TYPE_ATTR_MIN_VALUE_U
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0
        0x0c, 0x00, 0x05, 0x00, // nla_len = 12, NL_POLICY_TYPE_ATTR_MAX_VALUE_U
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, // 4294967295
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_TYPE
        0x04, 0x00, 0x00, 0x00, // NL_ATTR_TYPE_U32
    ];

    /// Hand-built: the other policy attributes, as the kernel would write them.
    #[rustfmt::skip]
    static OTHERS: [u8; 68] = [
        0x0c, 0x00, 0x02, 0x00, // nla_len = 12, NL_POLICY_TYPE_ATTR_MIN_VALUE_S
        0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // -128
        0x0c, 0x00, 0x03, 0x00, // nla_len = 12, NL_POLICY_TYPE_ATTR_MAX_VALUE_S
        0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 127
        0x08, 0x00, 0x06, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_MIN_LENGTH
        0x04, 0x00, 0x00, 0x00, // 4
        0x08, 0x00, 0x08, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_POLICY_IDX
        0x02, 0x00, 0x00, 0x00, // 2
        0x08, 0x00, 0x09, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE
        0x07, 0x00, 0x00, 0x00, // 7
        0x08, 0x00, 0x0a, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_BITFIELD32_MASK
        0x0f, 0x00, 0x00, 0x00, // 0xf
        0x04, 0x00, 0x0b, 0x00, // nla_len = 4, NL_POLICY_TYPE_ATTR_PAD
        0x08, 0x00, 0x0c, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_MASK (uint, 4 bytes)
        0xff, 0x00, 0x00, 0x00, // 0xff
    ];

    #[test]
    fn a_real_policy() {
        let index = Index::<PolicyAttrs>::parse(&U32_POLICY).unwrap();
        assert_eq!(
            AttrKindCode::from(index.get(PolicyAttrs::TYPE).unwrap()),
            AttrKindCode::U32
        );
        assert_eq!(index.get(PolicyAttrs::MIN_VALUE_U), Some(0));
        assert_eq!(
            index.get(PolicyAttrs::MAX_VALUE_U),
            Some(u64::from(u32::MAX))
        );
        assert_eq!(
            format!("{index}"),
            "min-value-u=0 max-value-u=4294967295 type=4"
        );
    }

    #[test]
    fn the_other_policy_attributes() {
        let index = Index::<PolicyAttrs>::parse(&OTHERS).unwrap();
        assert_eq!(index.get(PolicyAttrs::MIN_VALUE_S), Some(-128));
        assert_eq!(index.get(PolicyAttrs::MAX_VALUE_S), Some(127));
        assert_eq!(index.get(PolicyAttrs::MIN_LENGTH), Some(4));
        assert_eq!(index.get(PolicyAttrs::MAX_LENGTH), None);
        assert_eq!(index.get(PolicyAttrs::POLICY_IDX), Some(2));
        assert_eq!(index.get(PolicyAttrs::POLICY_MAXTYPE), Some(7));
        assert_eq!(index.get(PolicyAttrs::BITFIELD32_MASK), Some(0xf));
        assert_eq!(index.get(PolicyAttrs::PAD), Some(&[][..]));
        assert_eq!(index.get(PolicyAttrs::MASK), Some(0xff));
        assert_eq!(index.unknown(), 0);
    }

    #[test]
    fn kind_codes_have_the_uapi_values() {
        // enum netlink_attribute_type, linux/netlink.h
        let all = [
            (0, AttrKindCode::Invalid, "invalid"),
            (1, AttrKindCode::Flag, "flag"),
            (2, AttrKindCode::U8, "u8"),
            (3, AttrKindCode::U16, "u16"),
            (4, AttrKindCode::U32, "u32"),
            (5, AttrKindCode::U64, "u64"),
            (6, AttrKindCode::S8, "s8"),
            (7, AttrKindCode::S16, "s16"),
            (8, AttrKindCode::S32, "s32"),
            (9, AttrKindCode::S64, "s64"),
            (10, AttrKindCode::Binary, "binary"),
            (11, AttrKindCode::String, "string"),
            (12, AttrKindCode::NulString, "nul-string"),
            (13, AttrKindCode::Nested, "nested"),
            (14, AttrKindCode::NestedArray, "nested-array"),
            (15, AttrKindCode::Bitfield32, "bitfield32"),
            (16, AttrKindCode::Sint, "sint"),
            (17, AttrKindCode::Uint, "uint"),
        ];
        for (raw, code, name) in all {
            assert_eq!(AttrKindCode::from(raw), code);
            assert_eq!(code.name(), Some(name));
            assert_eq!(AttrKindCode::from_name(name), Some(code));
            assert_eq!(u32::from(code), raw);
            assert_eq!(format!("{code}"), name);
        }
        assert_eq!(AttrKindCode::from(18), AttrKindCode::Unknown(18));
        assert_eq!(
            AttrKindCode::from(u32::MAX),
            AttrKindCode::Unknown(u32::MAX)
        );
        assert_eq!(AttrKindCode::Unknown(18).name(), None);
        assert_eq!(format!("{}", AttrKindCode::Unknown(18)), "18");
    }
}
