//! The `attr_set!` declaration DSL.

/// Declares an attribute set: a marker type with one typed [`Field`](crate::table::Field)
/// constant per attribute, its [`Table`](crate::table::Table), and its
/// [`AttrSet`](crate::table::AttrSet) implementation (index sized highest type + 1).
///
/// Each line reads like the kernel's YAML spec: type number, constant name,
/// spec name, kind, then options after commas, in any order: `multi` for
/// multi-attributes, `enum(Type)` or `flags(Type)` when the integer's value
/// belongs to a [`value_enum!`](crate::value_enum) or
/// [`flag_set!`](crate::flag_set) type (see [`Values`](crate::table::Values)).
/// Kinds are types
/// implementing [`AttrType`](crate::table::AttrType): `u8`…`u64`, `i8`…`i64`,
/// [`Uint`](crate::table::Uint), [`Sint`](crate::table::Sint),
/// [`Be16`](crate::table::Be16)…, [`Flag`](crate::table::Flag),
/// [`Str<MAX>`](crate::table::Str), [`NulStr<MAX>`](crate::table::NulStr),
/// [`Binary<MIN, MAX>`](crate::table::Binary), [`Struct<T>`](crate::table::Struct),
/// [`Nest<Set>`](crate::table::Nest), [`Array<Kind>`](crate::table::Array).
/// A type number declared twice stops the build, and so does an unknown
/// option:
///
/// ```compile_fail
/// nl_core::attr_set! {
///     /// A typo.
///     pub struct Typo = "typo" {
///         /// Misspelt `multi`.
///         1 ITEM "item": u32, mutli;
///     }
/// }
/// ```
///
/// See the [module documentation](crate::table) for an example.
#[macro_export]
macro_rules! attr_set {
    (
        $(#[$meta:meta])*
        $vis:vis struct $set:ident = $spec:literal {
            $(
                $(#[$field_meta:meta])*
                $ty:literal $field:ident $name:literal : $kind:ty $(, $opt:ident $(($arg:ty))?)* ;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        $vis enum $set {}

        impl $set {
            $(
                $(#[$field_meta])*
                $vis const $field: $crate::table::Field<$set, $kind> = $crate::table::Field::new($ty);
            )*
        }

        const _: () = assert!(
            $crate::table::unique(&[$($ty),*]),
            concat!("an attribute type is declared twice in ", $spec)
        );

        impl $crate::table::AttrSet for $set {
            type Slots = [$crate::table::Slot; $crate::table::slots_len(&[$($ty),*])];

            fn table() -> &'static $crate::table::Table {
                static TABLE: $crate::table::Table = $crate::table::Table {
                    name: $spec,
                    defs: &$crate::table::by_type::<{ $crate::table::slots_len(&[$($ty),*]) }, _>([
                        $($crate::table::Def {
                            ty: $ty,
                            name: $name,
                            kind: <$kind as $crate::table::AttrType>::KIND,
                            multi: $crate::attr_set!(@multi $($opt)*),
                            values: $crate::attr_set!(@values $($opt $(($arg))?)*),
                        }),*
                    ]),
                    checks: &$crate::table::checks_by_type::<{ $crate::table::slots_len(&[$($ty),*]) }, _>([
                        $(($ty, <$kind as $crate::table::AttrType>::KIND)),*
                    ]),
                };
                &TABLE
            }

            fn empty_slots() -> Self::Slots {
                [$crate::table::Slot::ABSENT; $crate::table::slots_len(&[$($ty),*])]
            }
        }
    };
    (@multi) => { false };
    (@multi multi $($rest:ident)*) => { true };
    (@multi $other:ident $($rest:ident)*) => { $crate::attr_set!(@multi $($rest)*) };
    (@values) => { $crate::table::Values::Plain };
    (@values enum ($t:ty) $($rest:tt)*) => {
        $crate::table::Values::Enum(<$t as $crate::table::EnumValues>::VALUES)
    };
    (@values flags ($t:ty) $($rest:tt)*) => {
        $crate::table::Values::Flags(<$t as $crate::table::FlagValues>::BITS)
    };
    (@values multi $($rest:tt)*) => { $crate::attr_set!(@values $($rest)*) };
    (@values $other:tt $($rest:tt)*) => {
        compile_error!(concat!(
            "unknown attr_set! option `", stringify!($other),
            "` (expected multi, enum(Type) or flags(Type))"
        ))
    };
}
