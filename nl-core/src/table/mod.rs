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

mod display;
mod index;
mod kind;
mod kinds;
mod locate;
mod macros;

pub use display::write_attrs;
pub use index::{ArrayIter, Index, Multi, Nested};
pub use kind::{Def, Kind, Table, by_type, slots_len, unique};
pub use kinds::{
    Array, AttrPut, AttrType, Be16, Be32, Be64, Binary, Flag, Nest, NestKind, NlStr, NulStr, Sint,
    Str, Struct, Uint,
};
pub use locate::{AttrPath, MAX_DEPTH, PathElem, locate};

use core::marker::PhantomData;

/// An attribute set declared with [`attr_set!`](crate::attr_set).
pub trait AttrSet: 'static {
    /// The index storage: one optional payload per type number.
    type Slots<'a>: AsRef<[Option<&'a [u8]>]> + AsMut<[Option<&'a [u8]>]> + Copy;

    /// The set's table.
    fn table() -> &'static Table;

    /// Empty index storage.
    fn empty_slots<'a>() -> Self::Slots<'a>;
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
