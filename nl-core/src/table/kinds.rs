//! The attribute kinds as types: each maps a payload to a Rust value and back.

use core::fmt;
use core::marker::PhantomData;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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
    /// True when `value` is within the kind's bounds (a string no longer
    /// than its maximum…), so that the decoder will accept what is written.
    fn fits(_value: &Self::Input<'_>) -> bool {
        true
    }
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
    #[inline]
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

/// A string to write must not hold a NUL (the reader would stop there) and
/// must respect the maximum (0: none).
fn fits_str(value: &str, max: u16) -> bool {
    !value.as_bytes().contains(&0) && (max == 0 || value.len() <= usize::from(max))
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
    fn fits(value: &&str) -> bool {
        fits_str(value, MAX)
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
    fn fits(value: &&str) -> bool {
        fits_str(value, MAX)
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
    fn fits(value: &&[u8]) -> bool {
        (usize::from(MIN)..=usize::from(MAX)).contains(&value.len())
    }
}

/// The address in a 4- or 16-byte payload.
pub(crate) fn ip_from(payload: &[u8]) -> Option<IpAddr> {
    match payload.len() {
        4 => Some(IpAddr::V4(Ipv4Addr::from(
            <[u8; 4]>::try_from(payload).ok()?,
        ))),
        16 => Some(IpAddr::V6(Ipv6Addr::from(
            <[u8; 16]>::try_from(payload).ok()?,
        ))),
        _ => None,
    }
}

/// An IPv4 address (4 bytes, network order).
#[derive(Debug)]
pub enum Ipv4 {}

impl AttrType for Ipv4 {
    const KIND: Kind = Kind::Ipv4;
    type Value<'a> = Ipv4Addr;
    fn decode(payload: &[u8]) -> Option<Ipv4Addr> {
        Some(Ipv4Addr::from(<[u8; 4]>::try_from(payload).ok()?))
    }
}

impl AttrPut for Ipv4 {
    type Input<'v> = Ipv4Addr;
    fn payload_len(_: &Ipv4Addr) -> usize {
        4
    }
    fn write(value: &Ipv4Addr, out: &mut [u8]) {
        out.copy_from_slice(&value.octets());
    }
}

/// An IPv6 address (16 bytes, network order).
#[derive(Debug)]
pub enum Ipv6 {}

impl AttrType for Ipv6 {
    const KIND: Kind = Kind::Ipv6;
    type Value<'a> = Ipv6Addr;
    fn decode(payload: &[u8]) -> Option<Ipv6Addr> {
        Some(Ipv6Addr::from(<[u8; 16]>::try_from(payload).ok()?))
    }
}

impl AttrPut for Ipv6 {
    type Input<'v> = Ipv6Addr;
    fn payload_len(_: &Ipv6Addr) -> usize {
        16
    }
    fn write(value: &Ipv6Addr, out: &mut [u8]) {
        out.copy_from_slice(&value.octets());
    }
}

/// An IPv4 or IPv6 address (4 or 16 bytes); which one is told by the
/// message header's family and checked against the length.
#[derive(Debug)]
pub enum Ip {}

impl AttrType for Ip {
    const KIND: Kind = Kind::Ip;
    type Value<'a> = IpAddr;
    fn decode(payload: &[u8]) -> Option<IpAddr> {
        ip_from(payload)
    }
}

impl AttrPut for Ip {
    type Input<'v> = IpAddr;
    fn payload_len(value: &IpAddr) -> usize {
        match value {
            IpAddr::V4(_) => 4,
            IpAddr::V6(_) => 16,
        }
    }
    fn write(value: &IpAddr, out: &mut [u8]) {
        match value {
            IpAddr::V4(v4) => out.copy_from_slice(&v4.octets()),
            IpAddr::V6(v6) => out.copy_from_slice(&v6.octets()),
        }
    }
}

/// A fixed C struct `T` (a zerocopy type with unaligned fields), borrowed in
/// place. Payloads longer than `T` are accepted; the getter sees the known prefix.
#[derive(Debug)]
pub struct Struct<T>(PhantomData<T>);

impl<T> AttrType for Struct<T>
where
    T: 'static
        + super::WireStruct
        + zerocopy::FromBytes
        + zerocopy::KnownLayout
        + zerocopy::Immutable
        + zerocopy::Unaligned,
{
    const KIND: Kind = Kind::Struct {
        len: struct_len::<T>(),
        members: struct_members::<T>(),
    };
    type Value<'a> = &'a T;
    fn decode(payload: &[u8]) -> Option<&T> {
        T::ref_from_prefix(payload).ok().map(|(value, _)| value)
    }
}

impl<T> AttrPut for Struct<T>
where
    T: 'static
        + super::WireStruct
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

const fn struct_members<T: super::WireStruct>() -> &'static [super::Member] {
    assert!(
        super::members_fit(T::MEMBERS, core::mem::size_of::<T>()),
        "a struct member lies outside the struct"
    );
    T::MEMBERS
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

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;

    use zerocopy::byteorder::native_endian::U16;

    use super::*;
    use crate::table::tests::{EVERY, Every, Inner, Pair};
    use crate::table::{Field, Index};
    use crate::{Error, Writer};

    /// Writes [`EVERY`] with the typed appends.
    fn write_every(w: &mut Writer<'_>) -> Result<(), Error> {
        w.put(Every::ZERO, 42)?;
        w.put(Every::U8, 255)?;
        w.put(Every::U16, 0x1234)?;
        w.put(Every::U32, 0x1234_5678)?;
        w.put(Every::U64, 0x0102_0304_0506_0708)?;
        w.put(Every::S8, -1)?;
        w.put(Every::S16, -2)?;
        w.put(Every::S32, -3)?;
        w.put(Every::S64, -4)?;
        w.put(Every::UINT, 7)?;
        w.put(Every::SINT, -4_294_967_296)?;
        w.put(Every::BE16, 0x1234)?;
        w.put(Every::BE32, 0x0a00_0001)?;
        w.put(Every::BE64, 256)?;
        w.put(Every::FLAG, ())?;
        w.put(Every::STR, "eth0")?;
        w.put(Every::NUL_STR, "hello")?;
        w.put(Every::BIN, &[0xde, 0xad, 0xbe][..])?;
        w.put(
            Every::PAIR,
            &Pair {
                a: U16::new(0x0201),
                b: 3,
                c: 4,
            },
        )?;
        let nest = w.nest(Every::NEST)?;
        w.put(Inner::ID, 5)?;
        w.put(Inner::NAME, "a")?;
        w.nest_end(nest)?;
        let array = w.nest(Every::ARRAY)?;
        w.put(Field::<Every, u32>::new(0), 10)?;
        w.put(Field::<Every, u32>::new(1), 11)?;
        w.nest_end(array)?;
        w.put(Every::ITEM, 1)?;
        w.put(Every::ITEM, 2)?;
        let nests = w.nest(Every::NESTS)?;
        let element = w.nest_start(1)?;
        w.put(Inner::ID, 9)?;
        w.nest_end(element)?;
        w.nest_end(nests)
    }

    #[test]
    fn typed_appends_write_every_kind() {
        let mut buf = [0xa5u8; 256];
        let mut w = Writer::new(&mut buf);
        write_every(&mut w).unwrap();
        assert_eq!(w.len(), EVERY.len());
        assert_eq!(&buf[..EVERY.len()], &EVERY[..]);
        assert_eq!(&buf[EVERY.len()..], &[0xa5; 12]);
    }

    #[test]
    fn typed_getters_read_every_kind() {
        let index = Index::<Every>::parse(&EVERY).unwrap();
        assert_eq!(index.get(Every::ZERO), Some(42));
        assert_eq!(index.get(Every::U8), Some(255));
        assert_eq!(index.get(Every::U16), Some(0x1234));
        assert_eq!(index.get(Every::U32), Some(0x1234_5678));
        assert_eq!(index.get(Every::U64), Some(0x0102_0304_0506_0708));
        assert_eq!(index.get(Every::S8), Some(-1));
        assert_eq!(index.get(Every::S16), Some(-2));
        assert_eq!(index.get(Every::S32), Some(-3));
        assert_eq!(index.get(Every::S64), Some(-4));
        assert_eq!(index.get(Every::UINT), Some(7));
        assert_eq!(index.get(Every::SINT), Some(-4_294_967_296));
        assert_eq!(index.get(Every::BE16), Some(0x1234));
        assert_eq!(index.get(Every::BE32), Some(0x0a00_0001));
        assert_eq!(index.get(Every::BE64), Some(256));
        assert_eq!(index.get(Every::FLAG), Some(()));
        assert_eq!(index.get(Every::STR).unwrap(), "eth0");
        assert_eq!(index.get(Every::NUL_STR).unwrap(), "hello");
        assert_eq!(index.get(Every::BIN), Some(&[0xde, 0xad, 0xbe][..]));
        let pair = index.get(Every::PAIR).unwrap();
        assert_eq!((pair.a.get(), pair.b, pair.c), (0x0201, 3, 4));
    }

    #[test]
    fn every_failed_typed_append_leaves_the_buffer_as_it_was() {
        // Cut the buffer at every length: each append either fits or fails
        // without writing, reporting the total length that append needed.
        for cap in 0..EVERY.len() {
            let mut buf = std::vec![0xa5u8; cap];
            let mut w = Writer::new(&mut buf);
            let err = write_every(&mut w).unwrap_err();
            let Error::NoRoom { needed } = err else {
                panic!("{cap}: {err:?}")
            };
            let written = w.len();
            // Where each append of `write_every` ends (nest starts are 4 bytes).
            let ends = [
                8, 16, 24, 32, 44, 52, 60, 68, 80, 88, 100, 108, 116, 128, 132, 144, 156, 164, 172,
                176, 184, 192, 196, 204, 212, 220, 228, 232, 236, 244,
            ];
            let next = ends.iter().position(|&e| e > cap).unwrap();
            assert_eq!(needed, ends[next], "{cap}: the failed append's end");
            assert_eq!(written, if next == 0 { 0 } else { ends[next - 1] }, "{cap}");
            // Nests still open when the append failed keep their placeholder
            // length (4) until the caller ends or cancels them.
            let mut want = std::vec::Vec::from(&EVERY[..written]);
            for (start, end) in [(172, 192), (192, 212), (228, 244), (232, 244)] {
                if start + 4 <= written && written < end {
                    want[start..start + 2].copy_from_slice(&[0x04, 0x00]);
                }
            }
            assert_eq!(&buf[..written], &want[..], "{cap}");
            assert!(buf[written..].iter().all(|&b| b == 0xa5), "{cap}");
        }
    }

    #[test]
    fn put_refuses_values_the_decoder_would_reject() {
        let mut buf = [0xa5u8; 20];
        let mut w = Writer::new(&mut buf);
        // STR and NUL_STR hold at most 5 bytes; BIN 2 to 4.
        assert_eq!(
            w.put(Every::STR, "hello!"),
            Err(Error::BadAttrLength { ty: 15, len: 7 })
        );
        assert_eq!(
            w.put(Every::NUL_STR, "hello!"),
            Err(Error::BadAttrLength { ty: 16, len: 7 })
        );
        assert_eq!(
            w.put(Every::BIN, &[1][..]),
            Err(Error::BadAttrLength { ty: 17, len: 1 })
        );
        assert_eq!(
            w.put(Every::BIN, &[1; 5][..]),
            Err(Error::BadAttrLength { ty: 17, len: 5 })
        );
        assert!(w.is_empty());
        assert_eq!(buf, [0xa5; 20]);
        let mut w = Writer::new(&mut buf);
        w.put(Every::STR, "hello").unwrap();
        w.put(Every::BIN, &[1, 2][..]).unwrap();
        assert_eq!(w.len(), 20);
        // A 0 maximum means no limit.
        let mut big = [0xa5u8; 112];
        let mut w = Writer::new(&mut big);
        w.put(Inner::NAME, &"x".repeat(100)).unwrap();
        assert_eq!(w.len(), 108);
    }

    #[test]
    fn uint_and_sint_pick_their_width() {
        let mut buf = [0xa5u8; 64];
        let mut w = Writer::new(&mut buf);
        w.put(Every::UINT, u64::from(u32::MAX)).unwrap();
        w.put(Every::UINT, u64::from(u32::MAX) + 1).unwrap();
        w.put(Every::SINT, i64::from(i32::MIN)).unwrap();
        w.put(Every::SINT, i64::from(i32::MIN) - 1).unwrap();
        w.put(Every::SINT, i64::from(i32::MAX) + 1).unwrap();
        #[rustfmt::skip]
        let want: [u8; 52] = [
            0x08, 0x00, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, // UINT, 4 bytes: u32::MAX
            0x0c, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, // UINT, 8 bytes:
            0x01, 0x00, 0x00, 0x00,                         //   u32::MAX + 1
            0x08, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x80, // SINT, 4 bytes: i32::MIN
            0x0c, 0x00, 0x0a, 0x00, 0xff, 0xff, 0xff, 0x7f, // SINT, 8 bytes:
            0xff, 0xff, 0xff, 0xff,                         //   i32::MIN - 1
            0x0c, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x80, // SINT, 8 bytes:
            0x00, 0x00, 0x00, 0x00,                         //   i32::MAX + 1
        ];
        assert_eq!(&buf[..52], &want[..]);
        assert_eq!(&buf[52..], &[0xa5; 12]);
        assert_eq!(Uint::decode(&want[4..8]), Some(u64::from(u32::MAX)));
        assert_eq!(Uint::decode(&want[12..20]), Some(u64::from(u32::MAX) + 1));
        assert_eq!(Sint::decode(&want[24..28]), Some(i64::from(i32::MIN)));
        assert_eq!(Sint::decode(&want[32..40]), Some(i64::from(i32::MIN) - 1));
        assert_eq!(
            Sint::decode(&[0xff; 4]),
            Some(-1),
            "4 bytes are sign-extended"
        );
        assert_eq!(Uint::decode(&[0xff; 4]), Some(0xffff_ffff));
        assert_eq!(Uint::decode(&[1, 2, 3]), None, "not validated");
    }

    #[test]
    fn decode_refuses_unvalidated_lengths() {
        assert_eq!(u32::decode(&[1, 2]), None);
        assert_eq!(u16::decode(&[1, 2, 3]), None);
        assert_eq!(Be32::decode(&[1]), None);
        assert!(Struct::<Pair>::decode(&[1, 2, 3]).is_none());
    }

    #[test]
    fn big_endian_kinds() {
        assert_eq!(Be16::decode(&[0x12, 0x34]), Some(0x1234));
        assert_eq!(Be32::decode(&[0x0a, 0x00, 0x00, 0x01]), Some(0x0a00_0001));
        assert_eq!(Be64::decode(&[0, 0, 0, 0, 0, 0, 1, 0]), Some(256));
        let mut out = [0u8; 8];
        Be64::write(&0x0102_0304_0506_0708, &mut out);
        assert_eq!(out, [1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn struct_sees_the_known_prefix_of_a_longer_payload() {
        let pair = Struct::<Pair>::decode(&[0x01, 0x02, 0x03, 0x04, 0x99, 0x99]).unwrap();
        assert_eq!(pair.a.get(), 0x0201);
        assert_eq!((pair.b, pair.c), (3, 4));
        assert!(matches!(Struct::<Pair>::KIND, Kind::Struct { len: 4, .. }));
    }

    #[test]
    fn strings_are_written_with_their_nul() {
        assert_eq!(Str::<5>::payload_len(&"eth0"), 5);
        assert_eq!(NulStr::<0>::payload_len(&""), 1);
        let mut out = [0xa5u8; 3];
        NulStr::<0>::write(&"ab", &mut out);
        assert_eq!(out, [b'a', b'b', 0]);
        let mut buf = [0xa5u8; 8];
        let mut w = Writer::new(&mut buf);
        w.put(Every::NUL_STR, "").unwrap();
        // nla_len = 5, NUL_STR, "\0" + 3 padding
        assert_eq!(buf, [0x05, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00]);
    }

    #[test]
    fn nl_str() {
        let s = NlStr::from_payload(b"eth0\0junk");
        assert_eq!(s.as_bytes(), b"eth0");
        assert_eq!(s, "eth0");
        assert_eq!(s, *"eth0");
        assert_ne!(s, "eth");
        assert_eq!(s.to_str(), Ok("eth0"));
        assert_eq!(NlStr::from_payload(b"no nul").as_bytes(), b"no nul");
        assert_eq!(NlStr::from_payload(b"").as_bytes(), b"");
        assert_eq!(NlStr::from_payload(b"\0").as_bytes(), b"");
        let odd = NlStr(b"a\xffb\xc3");
        assert!(odd.to_str().is_err());
        assert_eq!(format!("{odd}"), "a\\xffb\\xc3");
        assert_eq!(format!("{odd:?}"), "\"a\\xffb\\xc3\"");
        assert_eq!(format!("{}", NlStr("grüß".as_bytes())), "grüß");
    }

    #[test]
    fn kind_constants() {
        assert!(matches!(u8::KIND, Kind::U8));
        assert!(matches!(i64::KIND, Kind::S64));
        assert!(matches!(Uint::KIND, Kind::Uint));
        assert!(matches!(Sint::KIND, Kind::Sint));
        assert!(matches!(Be16::KIND, Kind::Be16));
        assert!(matches!(Flag::KIND, Kind::Flag));
        assert!(matches!(Str::<7>::KIND, Kind::Str { max: 7 }));
        assert!(matches!(NulStr::<15>::KIND, Kind::NulStr { max: 15 }));
        assert!(matches!(
            Binary::<1, 9>::KIND,
            Kind::Binary { min: 1, max: 9 }
        ));
        assert!(matches!(
            Array::<Nest<Inner>>::KIND,
            Kind::Array(Kind::Nest(_))
        ));
        assert_eq!(Flag::payload_len(&()), 0);
        assert_eq!(Flag::decode(&[]), Some(()));
    }

    crate::attr_set! {
        /// Addresses of every kind.
        pub(crate) struct Addrs = "addrs" {
            /// IPv4.
            1 V4 "v4": Ipv4;
            /// IPv6.
            2 V6 "v6": Ipv6;
            /// Either.
            3 ANY "any": Ip;
        }
    }

    #[test]
    fn ip_kinds_round_trip_and_print() {
        use core::net::{Ipv4Addr, Ipv6Addr};
        let v4 = Ipv4Addr::new(192, 0, 2, 1);
        let v6 = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1);
        let mut buf = [0xa5u8; 52];
        let mut w = Writer::new(&mut buf);
        w.put(Addrs::V4, v4).unwrap();
        w.put(Addrs::V6, v6).unwrap();
        w.put(Addrs::ANY, IpAddr::V6(v6)).unwrap();
        assert_eq!(w.len(), 48);
        #[rustfmt::skip]
        let want: [u8; 48] = [
            0x08, 0x00, 0x01, 0x00, // nla_len = 8, v4
            192, 0, 2, 1,           // 192.0.2.1, network order
            0x14, 0x00, 0x02, 0x00, // nla_len = 20, v6
            0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // 2001:db8::1
            0x14, 0x00, 0x03, 0x00, // nla_len = 20, any
            0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, // 2001:db8::1
        ];
        assert_eq!(&buf[..48], &want[..]);
        assert_eq!(&buf[48..], &[0xa5; 4]);
        let index = Index::<Addrs>::parse(&want).unwrap();
        assert_eq!(index.get(Addrs::V4), Some(v4));
        assert_eq!(index.get(Addrs::V6), Some(v6));
        assert_eq!(index.get(Addrs::ANY), Some(IpAddr::V6(v6)));
        assert_eq!(
            format!("{index}"),
            "v4=192.0.2.1 v6=2001:db8::1 any=2001:db8::1"
        );
    }

    #[test]
    fn ip_kinds_check_their_length() {
        assert_eq!(Kind::Ipv4.check(1, &[0; 4]), Ok(()));
        assert_eq!(
            Kind::Ipv4.check(1, &[0; 16]),
            Err(Error::BadAttrLength { ty: 1, len: 16 })
        );
        assert_eq!(Kind::Ipv6.check(2, &[0; 16]), Ok(()));
        assert_eq!(
            Kind::Ipv6.check(2, &[0; 4]),
            Err(Error::BadAttrLength { ty: 2, len: 4 })
        );
        for len in [0, 1, 3, 5, 8, 15, 17, 32] {
            assert_eq!(
                Kind::Ip.check(3, &std::vec![0; len]),
                Err(Error::BadAttrLength { ty: 3, len }),
                "{len}"
            );
        }
        assert_eq!(Kind::Ip.check(3, &[0; 4]), Ok(()));
        assert_eq!(Kind::Ip.check(3, &[0; 16]), Ok(()));
    }
}
