//! The attribute kinds as types: each maps a payload to a Rust value and back.

use core::fmt;
use core::marker::PhantomData;

use super::index::{ArrayIter, Nested};
use super::{AttrSet, Kind};

/// A kind usable in an attribute set declaration.
pub trait AttrType {
    /// The runtime description used for validation and names.
    const KIND: Kind;
    /// What the typed getter returns.
    type Value<'a>;
    /// Decodes a payload already validated against [`AttrType::KIND`].
    /// `None` only if the payload was not validated.
    fn decode(payload: &[u8]) -> Option<Self::Value<'_>>;
}

/// A kind that can be appended with [`Writer::put`](crate::Writer::put).
pub trait AttrPut: AttrType {
    /// What the typed append takes.
    type Input<'v>;
    /// Payload length for `value`.
    fn payload_len(value: &Self::Input<'_>) -> usize;
    /// Writes `value` into `out`, which is exactly [`AttrPut::payload_len`] bytes.
    fn write(value: &Self::Input<'_>, out: &mut [u8]);
}

macro_rules! int_kind {
    ($($t:ty => $kind:ident, $from:ident, $to:ident;)*) => {$(
        impl AttrType for $t {
            const KIND: Kind = Kind::$kind;
            type Value<'a> = $t;
            fn decode(payload: &[u8]) -> Option<$t> {
                Some(<$t>::$from(payload.try_into().ok()?))
            }
        }
        impl AttrPut for $t {
            type Input<'v> = $t;
            fn payload_len(_: &$t) -> usize {
                core::mem::size_of::<$t>()
            }
            fn write(value: &$t, out: &mut [u8]) {
                out.copy_from_slice(&value.$to());
            }
        }
    )*};
}

int_kind! {
    u8 => U8, from_ne_bytes, to_ne_bytes;
    u16 => U16, from_ne_bytes, to_ne_bytes;
    u32 => U32, from_ne_bytes, to_ne_bytes;
    u64 => U64, from_ne_bytes, to_ne_bytes;
    i8 => S8, from_ne_bytes, to_ne_bytes;
    i16 => S16, from_ne_bytes, to_ne_bytes;
    i32 => S32, from_ne_bytes, to_ne_bytes;
    i64 => S64, from_ne_bytes, to_ne_bytes;
}

macro_rules! be_kind {
    ($($name:ident($t:ty) => $kind:ident, $doc:literal;)*) => {$(
        #[doc = $doc]
        #[derive(Debug)]
        pub enum $name {}
        impl AttrType for $name {
            const KIND: Kind = Kind::$kind;
            type Value<'a> = $t;
            fn decode(payload: &[u8]) -> Option<$t> {
                Some(<$t>::from_be_bytes(payload.try_into().ok()?))
            }
        }
        impl AttrPut for $name {
            type Input<'v> = $t;
            fn payload_len(_: &$t) -> usize {
                core::mem::size_of::<$t>()
            }
            fn write(value: &$t, out: &mut [u8]) {
                out.copy_from_slice(&value.to_be_bytes());
            }
        }
    )*};
}

be_kind! {
    Be16(u16) => Be16, "Big-endian (network byte order) u16.";
    Be32(u32) => Be32, "Big-endian (network byte order) u32.";
    Be64(u64) => Be64, "Big-endian (network byte order) u64.";
}

/// `uint`: unsigned, 4 or 8 bytes on the wire; written as 4 bytes when the value fits.
#[derive(Debug)]
pub enum Uint {}

impl AttrType for Uint {
    const KIND: Kind = Kind::Uint;
    type Value<'a> = u64;
    fn decode(payload: &[u8]) -> Option<u64> {
        match payload.len() {
            4 => Some(u64::from(u32::from_ne_bytes(payload.try_into().ok()?))),
            _ => Some(u64::from_ne_bytes(payload.try_into().ok()?)),
        }
    }
}

impl AttrPut for Uint {
    type Input<'v> = u64;
    fn payload_len(value: &u64) -> usize {
        if u32::try_from(*value).is_ok() { 4 } else { 8 }
    }
    fn write(value: &u64, out: &mut [u8]) {
        match u32::try_from(*value) {
            Ok(small) => out.copy_from_slice(&small.to_ne_bytes()),
            Err(_) => out.copy_from_slice(&value.to_ne_bytes()),
        }
    }
}

/// `sint`: signed, 4 or 8 bytes on the wire; written as 4 bytes when the value fits.
#[derive(Debug)]
pub enum Sint {}

impl AttrType for Sint {
    const KIND: Kind = Kind::Sint;
    type Value<'a> = i64;
    fn decode(payload: &[u8]) -> Option<i64> {
        match payload.len() {
            4 => Some(i64::from(i32::from_ne_bytes(payload.try_into().ok()?))),
            _ => Some(i64::from_ne_bytes(payload.try_into().ok()?)),
        }
    }
}

impl AttrPut for Sint {
    type Input<'v> = i64;
    fn payload_len(value: &i64) -> usize {
        if i32::try_from(*value).is_ok() { 4 } else { 8 }
    }
    fn write(value: &i64, out: &mut [u8]) {
        match i32::try_from(*value) {
            Ok(small) => out.copy_from_slice(&small.to_ne_bytes()),
            Err(_) => out.copy_from_slice(&value.to_ne_bytes()),
        }
    }
}

/// `flag`: present or absent. The getter returns `Some(())` when present.
#[derive(Debug)]
pub enum Flag {}

impl AttrType for Flag {
    const KIND: Kind = Kind::Flag;
    type Value<'a> = ();
    fn decode(_: &[u8]) -> Option<()> {
        Some(())
    }
}

impl AttrPut for Flag {
    type Input<'v> = ();
    fn payload_len(_: &()) -> usize {
        0
    }
    fn write(_: &(), _: &mut [u8]) {}
}

/// Bytes of a netlink string, without the terminating NUL.
///
/// Kernel strings are bytes, not always UTF-8; nothing is lost by keeping
/// them as they are. `Display` writes them with non-UTF-8 bytes escaped.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NlStr<'a>(pub &'a [u8]);

impl<'a> NlStr<'a> {
    /// Takes the bytes up to the first NUL (or all of them).
    pub fn from_payload(payload: &'a [u8]) -> Self {
        let end = payload
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(payload.len());
        NlStr(payload.get(..end).unwrap_or_default())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The string, if it is UTF-8.
    pub fn to_str(&self) -> Result<&'a str, core::str::Utf8Error> {
        core::str::from_utf8(self.0)
    }
}

impl PartialEq<str> for NlStr<'_> {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for NlStr<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl fmt::Display for NlStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            for b in chunk.invalid() {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for NlStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

fn put_str(value: &str, out: &mut [u8]) {
    let (text, nul) = out.split_at_mut(value.len());
    text.copy_from_slice(value.as_bytes());
    nul.fill(0);
}

/// `string` of at most `MAX` bytes (0: no limit); the NUL is optional on
/// input and always written on output.
#[derive(Debug)]
pub enum Str<const MAX: u16> {}

impl<const MAX: u16> AttrType for Str<MAX> {
    const KIND: Kind = Kind::Str { max: MAX };
    type Value<'a> = NlStr<'a>;
    fn decode(payload: &[u8]) -> Option<NlStr<'_>> {
        Some(NlStr::from_payload(payload))
    }
}

impl<const MAX: u16> AttrPut for Str<MAX> {
    type Input<'v> = &'v str;
    fn payload_len(value: &&str) -> usize {
        value.len() + 1
    }
    fn write(value: &&str, out: &mut [u8]) {
        put_str(value, out)
    }
}

/// NUL-terminated string (`NLA_NUL_STRING`) of at most `MAX` bytes before the NUL.
#[derive(Debug)]
pub enum NulStr<const MAX: u16> {}

impl<const MAX: u16> AttrType for NulStr<MAX> {
    const KIND: Kind = Kind::NulStr { max: MAX };
    type Value<'a> = NlStr<'a>;
    fn decode(payload: &[u8]) -> Option<NlStr<'_>> {
        Some(NlStr::from_payload(payload))
    }
}

impl<const MAX: u16> AttrPut for NulStr<MAX> {
    type Input<'v> = &'v str;
    fn payload_len(value: &&str) -> usize {
        value.len() + 1
    }
    fn write(value: &&str, out: &mut [u8]) {
        put_str(value, out)
    }
}

/// `binary` of `MIN` to `MAX` bytes.
#[derive(Debug)]
pub enum Binary<const MIN: u16, const MAX: u16> {}

impl<const MIN: u16, const MAX: u16> AttrType for Binary<MIN, MAX> {
    const KIND: Kind = Kind::Binary { min: MIN, max: MAX };
    type Value<'a> = &'a [u8];
    fn decode(payload: &[u8]) -> Option<&[u8]> {
        Some(payload)
    }
}

impl<const MIN: u16, const MAX: u16> AttrPut for Binary<MIN, MAX> {
    type Input<'v> = &'v [u8];
    fn payload_len(value: &&[u8]) -> usize {
        value.len()
    }
    fn write(value: &&[u8], out: &mut [u8]) {
        out.copy_from_slice(value)
    }
}

/// A fixed C struct `T` (a zerocopy type with unaligned fields), borrowed in
/// place. Payloads longer than `T` are accepted; the getter sees the known prefix.
#[derive(Debug)]
pub struct Struct<T>(PhantomData<T>);

impl<T> AttrType for Struct<T>
where
    T: 'static
        + zerocopy::FromBytes
        + zerocopy::KnownLayout
        + zerocopy::Immutable
        + zerocopy::Unaligned,
{
    const KIND: Kind = Kind::Struct {
        len: struct_len::<T>(),
    };
    type Value<'a> = &'a T;
    fn decode(payload: &[u8]) -> Option<&T> {
        T::ref_from_prefix(payload).ok().map(|(value, _)| value)
    }
}

impl<T> AttrPut for Struct<T>
where
    T: 'static
        + zerocopy::FromBytes
        + zerocopy::IntoBytes
        + zerocopy::KnownLayout
        + zerocopy::Immutable
        + zerocopy::Unaligned,
{
    type Input<'v> = &'v T;
    fn payload_len(_: &&T) -> usize {
        core::mem::size_of::<T>()
    }
    fn write(value: &&T, out: &mut [u8]) {
        out.copy_from_slice(value.as_bytes())
    }
}

const fn struct_len<T>() -> u16 {
    let len = core::mem::size_of::<T>();
    assert!(
        len <= u16::MAX as usize,
        "struct too large for an attribute"
    );
    len as u16
}

/// A nest of set `S`. The getter returns a lazy [`Nested`] view; write nests
/// with [`Writer::nest_start`](crate::Writer::nest_start).
#[derive(Debug)]
pub struct Nest<S>(PhantomData<S>);

impl<S: AttrSet> AttrType for Nest<S> {
    const KIND: Kind = Kind::Nest(S::table);
    type Value<'a> = Nested<'a, S>;
    fn decode(payload: &[u8]) -> Option<Nested<'_, S>> {
        Some(Nested::new(payload))
    }
}

/// Kinds whose payload is a run of attributes: [`Nest`] and [`Array`].
/// [`Writer::nest`](crate::Writer::nest) takes fields of these kinds.
pub trait NestKind: AttrType {}

impl<S: AttrSet> NestKind for Nest<S> {}

impl<E: AttrType> NestKind for Array<E> {}

/// An indexed array of elements of kind `E`. The getter returns an
/// [`ArrayIter`] yielding `(index, value)`.
#[derive(Debug)]
pub struct Array<E>(PhantomData<E>);

impl<E: AttrType> AttrType for Array<E> {
    const KIND: Kind = Kind::Array(&E::KIND);
    type Value<'a> = ArrayIter<'a, E>;
    fn decode(payload: &[u8]) -> Option<ArrayIter<'_, E>> {
        Some(ArrayIter::new(payload))
    }
}
