//! Const-generic attribute tables.
//!
//! A family declares each attribute set once, with [`attr_set!`](crate::attr_set),
//! in the order and words of the kernel's YAML spec:
//!
//! ```
//! nl_core::attr_set! {
//!     /// Example set.
//!     pub struct Demo = "demo-attrs" {
//!         /// A number.
//!         1 COUNT "count": u32;
//!         /// A name, at most 15 characters.
//!         2 NAME "name": nl_core::table::NulStr<15>;
//!         /// Repeated values.
//!         3 ITEM "item": u16, multi;
//!     }
//! }
//! ```
//!
//! From that one declaration come:
//! - a [`Table`] (type number → name and [`Kind`]) used for length validation,
//!   `Display`, defmt and extended-ACK offset mapping;
//! - typed handles (`Demo::COUNT` is a [`Field<Demo, u32>`]) used by the
//!   typed getter [`Index::get`] and the typed append [`Writer::put`](crate::Writer::put);
//! - an [`Index`] sized by a const generic (highest type + 1 slots), filled
//!   in one pass, looked up in O(1) by type, like libmnl's `tb[MAX + 1]`.
//!
//! Unknown attribute types are skipped and counted, never an error: newer
//! kernels add attributes. Fixed structs longer than known are accepted:
//! kernels grow structs.

mod check;
mod display;
mod index;
mod kind;
mod kinds;
mod locate;
mod macros;
mod members;
mod slot;
mod values;

pub use check::{LenCheck, checks_by_type};
pub use display::write_attrs;
pub use index::{ArrayIter, Index, Multi, Nested};
pub use kind::{Def, Kind, Table, by_type, slots_len, unique};
pub use kinds::{
    Array, AttrPut, AttrType, Be16, Be32, Be64, Binary, Flag, Ip, Ipv4, Ipv6, Nest, NestKind,
    NlStr, NulStr, Sint, Str, Struct, Uint,
};
pub use locate::{AttrPath, MAX_DEPTH, PathElem, locate};
pub use members::{Member, MemberKind, WireStruct, members_fit};
pub use slot::Slot;
pub use values::{EnumValues, FlagNames, FlagValues, Values};

use core::marker::PhantomData;

use crate::Error;

/// An attribute set declared with [`attr_set!`](crate::attr_set).
pub trait AttrSet: 'static {
    /// The index storage: one [`Slot`] per type number (where that type's
    /// payload sits in the parsed bytes, or absent).
    type Slots: AsRef<[Slot]> + AsMut<[Slot]> + Copy;

    /// The set's table.
    fn table() -> &'static Table;

    /// Empty index storage.
    fn empty_slots() -> Self::Slots;
}

/// A typed handle to one attribute of set `S`, decoded and encoded as kind `K`.
pub struct Field<S, K> {
    ty: u16,
    _marker: PhantomData<fn() -> (S, K)>,
}

impl<S, K> Field<S, K> {
    /// The handle for type number `ty`.
    pub const fn new(ty: u16) -> Self {
        Field {
            ty,
            _marker: PhantomData,
        }
    }

    /// The type number.
    pub const fn ty(self) -> u16 {
        self.ty
    }
}

impl<S, K: AttrPut> Field<S, K> {
    /// Payload length of this attribute with `value`, after checking that
    /// the value is within the kind's bounds (what [`Writer::put`](crate::Writer::put)
    /// writes, [`Index`] accepts); [`Error::BadAttrLength`] when it is not.
    pub fn payload_len(self, value: &K::Input<'_>) -> Result<usize, Error> {
        let len = K::payload_len(value);
        if K::fits(value) {
            Ok(len)
        } else {
            Err(Error::BadAttrLength { ty: self.ty, len })
        }
    }

    /// Bytes this attribute takes on the wire with `value` (header, payload,
    /// padding), for checking a whole message's room before writing any of it.
    pub fn space(self, value: &K::Input<'_>) -> Result<usize, Error> {
        crate::attr::space(self.payload_len(value)?)
    }
}

impl<S, K> Clone for Field<S, K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S, K> Copy for Field<S, K> {}

impl<S, K> core::fmt::Debug for Field<S, K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Field({})", self.ty)
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
pub(crate) mod tests {
    extern crate std;
    use std::format;

    use zerocopy::byteorder::native_endian::U16;
    use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

    use super::*;

    /// One attribute: header for `ty` and `payload`, padded.
    pub(crate) fn attr(ty: u16, payload: &[u8]) -> std::vec::Vec<u8> {
        let mut out = std::vec::Vec::new();
        out.extend_from_slice(&u16::try_from(4 + payload.len()).unwrap().to_ne_bytes());
        out.extend_from_slice(&ty.to_ne_bytes());
        out.extend_from_slice(payload);
        while out.len() % 4 != 0 {
            out.push(0);
        }
        out
    }

    /// A 4-byte C struct for `Struct<Pair>`.
    #[derive(Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
    #[repr(C)]
    pub(crate) struct Pair {
        pub(crate) a: U16,
        pub(crate) b: u8,
        pub(crate) c: u8,
    }

    // Members are named by nl decode; until then it prints hex.
    impl crate::table::WireStruct for Pair {
        const MEMBERS: &'static [crate::table::Member] = &[];
    }

    crate::attr_set! {
        /// Every kind once, a multi-attribute, a gap at 22, and type 0.
        pub(crate) struct Every = "every" {
            /// Type 0 is a valid attribute number.
            0 ZERO "zero": u8;
            /// u8
            1 U8 "u8": u8;
            /// u16
            2 U16 "u16": u16;
            /// u32
            3 U32 "u32": u32;
            /// u64
            4 U64 "u64": u64;
            /// s8
            5 S8 "s8": i8;
            /// s16
            6 S16 "s16": i16;
            /// s32
            7 S32 "s32": i32;
            /// s64
            8 S64 "s64": i64;
            /// uint
            9 UINT "uint": Uint;
            /// sint
            10 SINT "sint": Sint;
            /// be16
            11 BE16 "be16": Be16;
            /// be32
            12 BE32 "be32": Be32;
            /// be64
            13 BE64 "be64": Be64;
            /// flag
            14 FLAG "flag": Flag;
            /// string of at most 5
            15 STR "str": Str<5>;
            /// NUL-string of at most 5
            16 NUL_STR "nul-str": NulStr<5>;
            /// 2 to 4 bytes
            17 BIN "bin": Binary<2, 4>;
            /// a struct
            18 PAIR "pair": Struct<Pair>;
            /// a nest
            19 NEST "nest": Nest<Inner>;
            /// an array of u32
            20 ARRAY "array": Array<u32>;
            /// repeated
            21 ITEM "item": u16, multi;
            /// an array of nests
            23 NESTS "nests": Array<Nest<Inner>>;
        }
    }

    crate::attr_set! {
        /// What [`Every`] nests; it nests itself too, for depth tests.
        pub(crate) struct Inner = "inner" {
            /// An id.
            1 ID "id": u32;
            /// A name.
            2 NAME "name": NulStr<0>;
            /// Itself.
            3 DEEP "deep": Nest<Inner>;
        }
    }

    /// Every kind of [`Every`] as `Writer::put` writes it, in type order.
    #[rustfmt::skip]
    pub(crate) static EVERY: [u8; 244] = [
        // offset 0
        0x05, 0x00, 0x00, 0x00, // nla_len = 5, ZERO (type 0)
        0x2a, 0x00, 0x00, 0x00, // 42 + 3 padding
        // offset 8
        0x05, 0x00, 0x01, 0x00, // nla_len = 5, U8
        0xff, 0x00, 0x00, 0x00, // 255 + 3 padding
        // offset 16
        0x06, 0x00, 0x02, 0x00, // nla_len = 6, U16
        0x34, 0x12, 0x00, 0x00, // 0x1234 + 2 padding
        // offset 24
        0x08, 0x00, 0x03, 0x00, // nla_len = 8, U32
        0x78, 0x56, 0x34, 0x12, // 0x12345678
        // offset 32
        0x0c, 0x00, 0x04, 0x00, // nla_len = 12, U64
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // 0x0102030405060708
        // offset 44
        0x05, 0x00, 0x05, 0x00, // nla_len = 5, S8
        0xff, 0x00, 0x00, 0x00, // -1 + 3 padding
        // offset 52
        0x06, 0x00, 0x06, 0x00, // nla_len = 6, S16
        0xfe, 0xff, 0x00, 0x00, // -2 + 2 padding
        // offset 60
        0x08, 0x00, 0x07, 0x00, // nla_len = 8, S32
        0xfd, 0xff, 0xff, 0xff, // -3
        // offset 68
        0x0c, 0x00, 0x08, 0x00, // nla_len = 12, S64
        0xfc, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // -4
        // offset 80
        0x08, 0x00, 0x09, 0x00, // nla_len = 8, UINT (fits 4 bytes)
        0x07, 0x00, 0x00, 0x00, // 7
        // offset 88
        0x0c, 0x00, 0x0a, 0x00, // nla_len = 12, SINT (needs 8 bytes)
        0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, // -4294967296
        // offset 100
        0x06, 0x00, 0x0b, 0x00, // nla_len = 6, BE16
        0x12, 0x34, 0x00, 0x00, // 0x1234 big-endian + 2 padding
        // offset 108
        0x08, 0x00, 0x0c, 0x00, // nla_len = 8, BE32
        0x0a, 0x00, 0x00, 0x01, // 10.0.0.1
        // offset 116
        0x0c, 0x00, 0x0d, 0x00, // nla_len = 12, BE64
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, // 256
        // offset 128
        0x04, 0x00, 0x0e, 0x00, // nla_len = 4, FLAG
        // offset 132
        0x09, 0x00, 0x0f, 0x00, // nla_len = 9, STR
        b'e', b't', b'h', b'0', 0x00, 0x00, 0x00, 0x00, // "eth0\0" + 3 padding
        // offset 144
        0x0a, 0x00, 0x10, 0x00, // nla_len = 10, NUL_STR
        b'h', b'e', b'l', b'l', b'o', 0x00, 0x00, 0x00, // "hello\0" + 2 padding
        // offset 156
        0x07, 0x00, 0x11, 0x00, // nla_len = 7, BIN
        0xde, 0xad, 0xbe, 0x00, // 3 bytes + 1 padding
        // offset 164
        0x08, 0x00, 0x12, 0x00, // nla_len = 8, PAIR
        0x01, 0x02, 0x03, 0x04, // a = 0x0201, b = 3, c = 4
        // offset 172
        0x14, 0x00, 0x13, 0x80, // nla_len = 20, NEST | NLA_F_NESTED
        0x08, 0x00, 0x01, 0x00, //   nla_len = 8, ID (offset 176)
        0x05, 0x00, 0x00, 0x00, //   5
        0x06, 0x00, 0x02, 0x00, //   nla_len = 6, NAME (offset 184)
        b'a', 0x00, 0x00, 0x00, //   "a\0" + 2 padding
        // offset 192
        0x14, 0x00, 0x14, 0x80, // nla_len = 20, ARRAY | NLA_F_NESTED
        0x08, 0x00, 0x00, 0x00, //   nla_len = 8, element 0 (offset 196)
        0x0a, 0x00, 0x00, 0x00, //   10
        0x08, 0x00, 0x01, 0x00, //   nla_len = 8, element 1 (offset 204)
        0x0b, 0x00, 0x00, 0x00, //   11
        // offset 212
        0x06, 0x00, 0x15, 0x00, // nla_len = 6, ITEM
        0x01, 0x00, 0x00, 0x00, // 1 + 2 padding
        // offset 220
        0x06, 0x00, 0x15, 0x00, // nla_len = 6, ITEM again
        0x02, 0x00, 0x00, 0x00, // 2 + 2 padding
        // offset 228
        0x10, 0x00, 0x17, 0x80, // nla_len = 16, NESTS | NLA_F_NESTED
        0x0c, 0x00, 0x01, 0x80, //   nla_len = 12, element 1 | NLA_F_NESTED (offset 232)
        0x08, 0x00, 0x01, 0x00, //     nla_len = 8, ID (offset 236)
        0x09, 0x00, 0x00, 0x00, //     9
    ];

    #[test]
    fn the_macro_builds_the_table() {
        let table = <Every as AttrSet>::table();
        assert_eq!(table.name, "every");
        assert_eq!(table.defs.len(), 24, "highest type + 1");
        assert!(table.def(22).is_none(), "the gap");
        assert!(table.def(24).is_none());
        assert!(table.def(u16::MAX).is_none());
        let zero = table.def(0).unwrap();
        assert_eq!((zero.ty, zero.name, zero.multi), (0, "zero", false));
        assert!(matches!(zero.kind, Kind::U8));
        let item = table.def(21).unwrap();
        assert_eq!((item.ty, item.name, item.multi), (21, "item", true));
        assert!(matches!(item.kind, Kind::U16));
        assert!(matches!(table.def(15).unwrap().kind, Kind::Str { max: 5 }));
        assert!(matches!(
            table.def(17).unwrap().kind,
            Kind::Binary { min: 2, max: 4 }
        ));
        assert!(matches!(
            table.def(18).unwrap().kind,
            Kind::Struct { len: 4, .. }
        ));
        assert!(matches!(
            table.def(20).unwrap().kind,
            Kind::Array(Kind::U32)
        ));
        match table.def(19).unwrap().kind {
            Kind::Nest(inner) => assert_eq!(inner().name, "inner"),
            other => panic!("{other:?}"),
        }
        assert_eq!(table.name_of(13), Some("be64"));
        assert_eq!(table.name_of(22), None);
        let names: std::vec::Vec<_> = table.iter().map(|d| d.name).collect();
        assert_eq!(names.len(), 23);
        assert_eq!(names.first(), Some(&"zero"));
        assert_eq!(names.last(), Some(&"nests"));
        assert_eq!(<Every as AttrSet>::empty_slots().len(), 24);
    }

    #[test]
    fn tables_compare_by_identity() {
        let every = <Every as AttrSet>::table();
        assert_eq!(every, <Every as AttrSet>::table());
        assert_ne!(every, <Inner as AttrSet>::table());
        static COPY: Table = Table {
            name: "every",
            defs: &[],
            checks: &[],
        };
        assert_ne!(every, &COPY);
    }

    #[test]
    fn fields() {
        let field = Every::U32;
        let copy = field;
        assert_eq!(copy.ty(), 3);
        assert_eq!(field.ty(), 3);
        assert_eq!(Every::ZERO.ty(), 0);
        assert_eq!(Every::NESTS.ty(), 23);
        assert_eq!(Inner::DEEP.ty(), 3);
        assert_eq!(format!("{:?}", Every::ITEM), "Field(21)");
        assert_eq!(Field::<Every, u8>::new(300).ty(), 300);
    }
}
