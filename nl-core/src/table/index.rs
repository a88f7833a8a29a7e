//! The parsed index of an attribute set and the lazy nested views.

use core::fmt;
use core::marker::PhantomData;

use crate::Error;
use crate::attr::{Attr, AttrIter, HEADER_LEN, TYPE_MASK};

use super::{AttrSet, AttrType, Field, LenCheck, Slot, Table};

/// The attributes of set `S` found in one payload, indexed by type number.
///
/// Built in one pass by [`Index::parse`], which validates every known
/// attribute's length against its kind; the typed getters then cannot fail.
/// For a type that appears more than once the last one wins (as in the
/// kernel's `nla_parse`); [`Index::all`] yields every occurrence.
///
/// The index holds one 8-byte [`Slot`] per type number (two offsets into
/// the parsed bytes, not a 16-byte slice reference), so clearing and
/// copying an index costs half as much.
pub struct Index<'a, S: AttrSet> {
    slots: S::Slots,
    unknown: u16,
    bytes: &'a [u8],
}

impl<'a, S: AttrSet> Index<'a, S> {
    /// Parses a run of attributes (a message payload after its fixed header,
    /// or a nest's payload). A run longer than `u32::MAX` bytes (more than
    /// any netlink message holds) is [`Error::TooLong`].
    #[inline]
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        let mut slots = S::empty_slots();
        let unknown = fill(S::table(), bytes, slots.as_mut())?;
        Ok(Index {
            slots,
            unknown,
            bytes,
        })
    }

    /// An index with no attributes.
    pub fn empty() -> Self {
        Index {
            slots: S::empty_slots(),
            unknown: 0,
            bytes: &[],
        }
    }

    /// The typed value of attribute `field`, if present.
    #[inline]
    pub fn get<K: AttrType>(&self, field: Field<S, K>) -> Option<K::Value<'a>> {
        K::decode(self.raw(field.ty())?)
    }

    /// True when attribute `field` is present.
    pub fn has<K>(&self, field: Field<S, K>) -> bool {
        self.raw(field.ty()).is_some()
    }

    /// The payload of the known attribute of type `ty`, if present.
    #[inline]
    pub fn raw(&self, ty: u16) -> Option<&'a [u8]> {
        self.slots
            .as_ref()
            .get(usize::from(ty))?
            .payload(self.bytes)
    }

    /// Every occurrence of a multi-attribute, in wire order.
    pub fn all<K: AttrType>(&self, field: Field<S, K>) -> Multi<'a, K> {
        Multi {
            attrs: AttrIter::new(self.bytes),
            ty: field.ty(),
            _kind: PhantomData,
        }
    }

    /// How many attributes had a type this set does not know (skipped).
    pub fn unknown(&self) -> u16 {
        self.unknown
    }

    /// The parsed bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Every attribute in wire order, known or not.
    pub fn iter(&self) -> AttrIter<'a> {
        AttrIter::new(self.bytes)
    }
}

/// The one pass behind [`Index::parse`]: walks the attribute headers of
/// `bytes`, checks each known attribute with `table.checks` and records its
/// payload offset in `slots` (last one wins); returns how many attributes
/// had a type the table does not know. Not generic, so every set shares it.
fn fill(table: &Table, bytes: &[u8], slots: &mut [Slot]) -> Result<u16, Error> {
    // Every offset below is at most `bytes.len()`, which fits a u32.
    let total = u32::try_from(bytes.len()).map_err(|_| Error::TooLong)?;
    // As long as the slots (equal for every declared set), so one bounds
    // check covers both; types a shorter one lacks take the slow path.
    let checks = table.checks.get(..slots.len()).unwrap_or(table.checks);
    let mut unknown = 0u16;
    let mut rest = bytes;
    while !rest.is_empty() {
        let (&[l0, l1, t0, t1], after) = rest
            .split_first_chunk::<HEADER_LEN>()
            .ok_or(Error::Truncated)?;
        let len = usize::from(u16::from_ne_bytes([l0, l1]));
        let payload_len = len.checked_sub(HEADER_LEN).ok_or(Error::BadLength)?;
        let payload = after.get(..payload_len).ok_or(Error::Truncated)?;
        let ty = u16::from_ne_bytes([t0, t1]) & TYPE_MASK;
        let check = checks.get(usize::from(ty)).copied();
        match slots.get_mut(usize::from(ty)) {
            Some(slot) if check.unwrap_or(LenCheck::SLOW).check(table, ty, payload)? => {
                *slot = Slot::at(total, after.len(), payload_len);
            }
            _ => unknown = unknown.saturating_add(1),
        }
        // The last attribute of a run may lack its padding: then the run ends.
        // `payload_len` < 2^16: rounding it up to 4 cannot overflow.
        rest = after.get((payload_len + 3) & !3..).unwrap_or_default();
    }
    Ok(unknown)
}

impl<S: AttrSet> Clone for Index<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: AttrSet> Copy for Index<'_, S> {}

impl<S: AttrSet> fmt::Debug for Index<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{{{}}}", S::table().name, self)
    }
}

/// Every occurrence of one multi-attribute; see [`Index::all`].
pub struct Multi<'a, K> {
    attrs: AttrIter<'a>,
    ty: u16,
    _kind: PhantomData<fn() -> K>,
}

impl<'a, K: AttrType> Iterator for Multi<'a, K> {
    type Item = K::Value<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        // The index already walked and validated these bytes.
        self.attrs
            .by_ref()
            .filter_map(Result::ok)
            .find(|a| a.ty() == self.ty)
            .and_then(|a| K::decode(a.payload()))
    }
}

/// A nest of set `S`, parsed on demand.
pub struct Nested<'a, S> {
    bytes: &'a [u8],
    _set: PhantomData<fn() -> S>,
}

impl<'a, S: AttrSet> Nested<'a, S> {
    /// Wraps a nest's payload.
    pub fn new(bytes: &'a [u8]) -> Self {
        Nested {
            bytes,
            _set: PhantomData,
        }
    }

    /// Parses the nest into its index.
    pub fn parse(&self) -> Result<Index<'a, S>, Error> {
        Index::parse(self.bytes)
    }

    /// The nest's payload.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

impl<S> Clone for Nested<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Nested<'_, S> {}

impl<S> fmt::Debug for Nested<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nested({} bytes)", self.bytes.len())
    }
}

/// The elements of an indexed array, each validated against kind `E`.
///
/// Yields `(index, value)` per element, or one error and then stops.
pub struct ArrayIter<'a, E> {
    attrs: AttrIter<'a>,
    _elem: PhantomData<fn() -> E>,
}

impl<'a, E: AttrType> ArrayIter<'a, E> {
    /// Iterates over an array nest's payload.
    pub fn new(bytes: &'a [u8]) -> Self {
        ArrayIter {
            attrs: AttrIter::new(bytes),
            _elem: PhantomData,
        }
    }

    fn element(attr: Attr<'a>) -> Result<(u16, E::Value<'a>), Error> {
        let ty = attr.ty();
        E::KIND.check(ty, attr.payload())?;
        let value = E::decode(attr.payload()).ok_or(Error::BadPayload { ty })?;
        Ok((ty, value))
    }
}

impl<'a, E: AttrType> Iterator for ArrayIter<'a, E> {
    type Item = Result<(u16, E::Value<'a>), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.attrs.next()?.and_then(Self::element);
        if item.is_err() {
            self.attrs = AttrIter::new(&[]);
        }
        Some(item)
    }
}

impl<E> Clone for ArrayIter<'_, E> {
    fn clone(&self) -> Self {
        ArrayIter {
            attrs: self.attrs.clone(),
            _elem: PhantomData,
        }
    }
}

impl<E> fmt::Debug for ArrayIter<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ArrayIter")
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::vec::Vec;

    use super::*;
    use crate::table::tests::{EVERY, Every, Inner, attr};

    /// Hand-built: what a newer or laxer peer may send, all of which must parse.
    #[rustfmt::skip]
    static LENIENT: [u8; 68] = [
        0x06, 0x00, 0x0b, 0x40, // nla_len = 6, BE16 | NLA_F_NET_BYTEORDER
        0x12, 0x34, 0x00, 0x00, // 0x1234 + 2 padding
        0x08, 0x00, 0x0f, 0x00, // nla_len = 8, STR
        b'e', b't', b'h', b'0', // "eth0" without a NUL
        0x0c, 0x00, 0x12, 0x00, // nla_len = 12, PAIR
        0x01, 0x02, 0x03, 0x04, // the 4 bytes we know
        0x99, 0x99, 0x99, 0x99, // 4 more a newer kernel added
        0x05, 0x00, 0x16, 0x00, // nla_len = 5, type 22 (a gap in the set)
        0xaa, 0x00, 0x00, 0x00, // 0xaa + 3 padding
        0x04, 0x00, 0x63, 0x00, // nla_len = 4, type 99 (past the set's end)
        0x0c, 0x00, 0x09, 0x00, // nla_len = 12, UINT
        0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 7 as 8 bytes
        0x08, 0x00, 0x0a, 0x00, // nla_len = 8, SINT
        0xff, 0xff, 0xff, 0xff, // -1 as 4 bytes
        0x05, 0x00, 0xff, 0x3f, // nla_len = 5, type 0x3fff (the highest)
        0x01, 0x00, 0x00, 0x00, // 1 + 3 padding
    ];

    #[test]
    fn parse_finds_every_attribute() {
        let index = Index::<Every>::parse(&EVERY).unwrap();
        assert_eq!(index.unknown(), 0);
        assert_eq!(index.bytes(), &EVERY[..]);
        assert_eq!(index.iter().count(), 24);
        assert_eq!(
            index.raw(0),
            Some(&[42][..]),
            "type 0 is an attribute like any other"
        );
        assert_eq!(index.get(Every::ZERO), Some(42));
        assert!(index.has(Every::ZERO));
        assert!(index.has(Every::FLAG));
        assert_eq!(index.raw(22), None);
        assert_eq!(index.raw(9999), None);
    }

    #[test]
    fn absent_attributes() {
        let index = Index::<Every>::parse(&EVERY[..8]).unwrap(); // ZERO only
        assert_eq!(index.get(Every::U8), None);
        assert!(!index.has(Every::FLAG));
        assert_eq!(index.get(Every::FLAG), None);
        assert_eq!(index.all(Every::ITEM).count(), 0);
        assert!(index.get(Every::NEST).is_none());
        let empty = Index::<Every>::empty();
        assert_eq!(empty.get(Every::ZERO), None);
        assert_eq!(empty.unknown(), 0);
        assert!(empty.bytes().is_empty());
        assert_eq!(Index::<Every>::parse(&[]).unwrap().iter().count(), 0);
    }

    #[test]
    fn the_last_duplicate_wins_and_all_yields_each() {
        let index = Index::<Every>::parse(&EVERY).unwrap();
        assert_eq!(index.get(Every::ITEM), Some(2));
        assert_eq!(index.all(Every::ITEM).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(index.all(Every::U8).collect::<Vec<_>>(), [255]);
        // Duplicates of a set that does not say multi: still last-wins.
        let mut bytes = attr(3, &1u32.to_ne_bytes());
        bytes.extend(attr(99, &[]));
        bytes.extend(attr(3, &2u32.to_ne_bytes()));
        let index = Index::<Every>::parse(&bytes).unwrap();
        assert_eq!(index.get(Every::U32), Some(2));
        assert_eq!(index.all(Every::U32).collect::<Vec<_>>(), [1, 2]);
        // A bad earlier copy fails the parse even if a later one is good.
        let mut bytes = attr(3, &[1, 2]);
        bytes.extend(attr(3, &2u32.to_ne_bytes()));
        assert_eq!(
            Index::<Every>::parse(&bytes).unwrap_err(),
            Error::BadAttrLength { ty: 3, len: 2 }
        );
    }

    #[test]
    fn unknown_types_are_skipped_and_counted() {
        let index = Index::<Every>::parse(&LENIENT).unwrap();
        assert_eq!(index.unknown(), 3);
        assert_eq!(index.raw(22), None);
        assert_eq!(
            index.get(Every::BE16),
            Some(0x1234),
            "the flag bit is not the type"
        );
        assert_eq!(index.get(Every::STR).unwrap(), "eth0");
        let pair = index.get(Every::PAIR).unwrap();
        assert_eq!((pair.a.get(), pair.b, pair.c), (0x0201, 3, 4));
        assert_eq!(index.raw(18).unwrap().len(), 8, "the whole payload is kept");
        assert_eq!(index.get(Every::UINT), Some(7));
        assert_eq!(index.get(Every::SINT), Some(-1));
        assert_eq!(index.iter().count(), 8);
    }

    #[test]
    fn the_unknown_count_saturates() {
        let bytes: Vec<u8> = (0..70_000).flat_map(|_| [0x04, 0x00, 0x63, 0x00]).collect();
        assert_eq!(Index::<Every>::parse(&bytes).unwrap().unknown(), u16::MAX);
    }

    #[test]
    fn each_kind_rejects_a_bad_length() {
        let cases: [(Vec<u8>, Error); 9] = [
            (attr(0, &[]), Error::BadAttrLength { ty: 0, len: 0 }),
            (attr(3, &[1, 2]), Error::BadAttrLength { ty: 3, len: 2 }),
            (
                attr(9, &[1, 2, 3, 4, 5]),
                Error::BadAttrLength { ty: 9, len: 5 },
            ),
            (attr(14, &[1]), Error::BadAttrLength { ty: 14, len: 1 }),
            (
                attr(15, b"toolong"),
                Error::BadAttrLength { ty: 15, len: 7 },
            ),
            (attr(16, b"hello"), Error::BadPayload { ty: 16 }),
            (attr(17, &[1]), Error::BadAttrLength { ty: 17, len: 1 }),
            (attr(17, &[1; 5]), Error::BadAttrLength { ty: 17, len: 5 }),
            (
                attr(18, &[1, 2, 3]),
                Error::BadAttrLength { ty: 18, len: 3 },
            ),
        ];
        for (bytes, err) in cases {
            assert_eq!(Index::<Every>::parse(&bytes).unwrap_err(), err, "{bytes:?}");
        }
        // Behind a good attribute, with the flag bits set.
        let mut bytes = attr(1, &[1]);
        bytes.extend(attr(0x4000 | 3, &[1, 2]));
        assert_eq!(
            Index::<Every>::parse(&bytes).unwrap_err(),
            Error::BadAttrLength { ty: 3, len: 2 }
        );
    }

    #[test]
    fn malformed_runs_are_errors() {
        let mut bytes = attr(1, &[1]);
        bytes.extend_from_slice(&[0x02, 0x00, 0x01, 0x00]); // nla_len = 2
        assert_eq!(Index::<Every>::parse(&bytes).unwrap_err(), Error::BadLength);
        let mut bytes = attr(1, &[1]);
        bytes.extend_from_slice(&[0x08, 0x00, 0x03, 0x00, 0x01]); // nla_len = 8, 5 bytes
        assert_eq!(Index::<Every>::parse(&bytes).unwrap_err(), Error::Truncated);
    }

    #[test]
    fn every_prefix_of_every_is_an_error_or_a_shorter_index() {
        // (end of payload, end of padding) of each top-level attribute.
        let mut bounds = Vec::new();
        let mut iter = AttrIter::new(&EVERY);
        let mut start = 0;
        while let Some(attr) = iter.next() {
            bounds.push((start + 4 + attr.unwrap().payload().len(), iter.offset()));
            start = iter.offset();
        }
        assert_eq!(bounds.len(), 24);
        let full = Index::<Every>::parse(&EVERY).unwrap();
        for n in 0..EVERY.len() {
            let whole = bounds.iter().filter(|(end, _)| *end <= n).count();
            let clean = n == 0 || bounds.iter().any(|&(end, pad)| (end..=pad).contains(&n));
            match Index::<Every>::parse(&EVERY[..n]) {
                Ok(index) => {
                    assert!(clean, "{n}");
                    assert_eq!(index.iter().count(), whole, "{n}");
                    for attr in index.iter() {
                        let attr = attr.unwrap();
                        // Each attribute found is the whole input's (ITEM repeats: skip it).
                        if attr.ty() != 21 {
                            assert_eq!(Some(attr.payload()), full.raw(attr.ty()), "{n}");
                        }
                    }
                }
                Err(e) => {
                    assert!(!clean, "{n}");
                    assert_eq!(e, Error::Truncated, "{n}");
                }
            }
        }
    }

    #[test]
    fn nests_are_parsed_on_demand() {
        let index = Index::<Every>::parse(&EVERY).unwrap();
        let nest = index.get(Every::NEST).unwrap();
        assert_eq!(nest.bytes(), &EVERY[176..192]);
        assert_eq!(format!("{nest:?}"), "Nested(16 bytes)");
        let inner = nest.parse().unwrap();
        assert_eq!(inner.get(Inner::ID), Some(5));
        assert_eq!(inner.get(Inner::NAME).unwrap(), "a");
        assert_eq!(inner.get(Inner::DEEP).map(|n| n.bytes().len()), None);

        // A bad attribute inside a nest does not fail the outer parse.
        let mut nest = attr(0x8000 | 19, &attr(1, &[1, 2]));
        nest.extend(attr(1, &[7]));
        let index = Index::<Every>::parse(&nest).unwrap();
        assert_eq!(index.get(Every::U8), Some(7));
        assert_eq!(
            index.get(Every::NEST).unwrap().parse().unwrap_err(),
            Error::BadAttrLength { ty: 1, len: 2 }
        );
    }

    #[test]
    fn arrays_yield_index_and_value() {
        let index = Index::<Every>::parse(&EVERY).unwrap();
        let array: Vec<_> = index
            .get(Every::ARRAY)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(array, [(0, 10), (1, 11)]);
        let mut nests = index.get(Every::NESTS).unwrap();
        let (i, nest) = nests.next().unwrap().unwrap();
        assert_eq!(i, 1);
        assert_eq!(nest.parse().unwrap().get(Inner::ID), Some(9));
        assert!(nests.next().is_none());
        let iter = index.get(Every::ARRAY).unwrap();
        assert_eq!(iter.clone().count(), 2);
        assert_eq!(format!("{iter:?}"), "ArrayIter");
    }

    #[test]
    fn a_malformed_array_element_is_one_error_then_the_end() {
        let mut payload = attr(0, &10u32.to_ne_bytes());
        payload.extend(attr(1, &[1, 2])); // element 1 has 2 bytes, not 4
        payload.extend(attr(2, &12u32.to_ne_bytes()));
        let mut iter = ArrayIter::<u32>::new(&payload);
        assert_eq!(iter.next(), Some(Ok((0, 10))));
        assert_eq!(
            iter.next(),
            Some(Err(Error::BadAttrLength { ty: 1, len: 2 }))
        );
        assert_eq!(iter.next(), None);
        assert_eq!(iter.next(), None);

        let mut payload = attr(0, &10u32.to_ne_bytes());
        payload.extend_from_slice(&[0x03, 0x00, 0x01, 0x00]); // nla_len = 3
        let mut iter = ArrayIter::<u32>::new(&payload);
        assert_eq!(iter.next(), Some(Ok((0, 10))));
        assert_eq!(iter.next(), Some(Err(Error::BadLength)));
        assert_eq!(iter.next(), None);

        // Elements carry their flag bits off, and any numbering is kept.
        let mut payload = attr(0x8000 | 7, &1u32.to_ne_bytes());
        payload.extend(attr(3, &2u32.to_ne_bytes()));
        let items: Vec<_> = ArrayIter::<u32>::new(&payload)
            .map(Result::unwrap)
            .collect();
        assert_eq!(items, [(7, 1), (3, 2)]);
    }

    #[test]
    fn debug_names_the_set_and_shows_the_attributes() {
        let nest = Index::<Every>::parse(&EVERY)
            .unwrap()
            .get(Every::NEST)
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(format!("{nest:?}"), "inner{id=5 name=\"a\"}");
    }

    #[test]
    fn payload_offsets_are_exact_and_unpadded() {
        // The last attribute lacks its padding; a 0-length payload sits at the end.
        let mut bytes = attr(2, &0x1234u16.to_ne_bytes()); // padded to 8
        bytes.extend(attr(15, b"abc")); // 7 bytes, padded to 8
        bytes.extend(attr(14, &[])); // FLAG: 4 bytes, payload at offset 20
        bytes.extend_from_slice(&[0x05, 0x00, 0x01, 0x00, 0x07]); // U8 without padding
        let index = Index::<Every>::parse(&bytes).unwrap();
        assert_eq!(index.raw(2), Some(&0x1234u16.to_ne_bytes()[..]));
        assert_eq!(index.raw(15), Some(&b"abc"[..]));
        assert_eq!(index.raw(14), Some(&[][..]));
        assert_eq!(index.get(Every::FLAG), Some(()));
        assert_eq!(index.get(Every::U8), Some(7));
        assert_eq!(index.unknown(), 0);
    }

    #[test]
    fn strings_take_the_fast_path_and_the_kind_path_alike() {
        // NUL-string<5>: "hello\0" (fast), "hi\0ju" (a NUL inside, the Kind's call).
        let hello = attr(16, b"hello\0");
        let index = Index::<Every>::parse(&hello).unwrap();
        assert_eq!(index.get(Every::NUL_STR).unwrap(), "hello");
        let inner_nul = attr(16, b"hi\0ju");
        let index = Index::<Every>::parse(&inner_nul).unwrap();
        assert_eq!(index.get(Every::NUL_STR).unwrap(), "hi");
        assert_eq!(
            Index::<Every>::parse(&attr(16, b"hello!\0")).unwrap_err(),
            Error::BadAttrLength { ty: 16, len: 7 }
        );
        assert_eq!(
            Index::<Every>::parse(&attr(16, b"")).unwrap_err(),
            Error::BadPayload { ty: 16 }
        );
        // uint: 4 bytes on the fast path, 8 by the Kind, 6 an error.
        assert_eq!(
            Index::<Every>::parse(&attr(9, &[1; 8]))
                .unwrap()
                .get(Every::UINT),
            Some(0x0101_0101_0101_0101)
        );
        assert_eq!(
            Index::<Every>::parse(&attr(9, &[1; 6])).unwrap_err(),
            Error::BadAttrLength { ty: 9, len: 6 }
        );
    }

    /// Each type's payload (last one wins) and the unknown count.
    type Reference<'a> = (Vec<Option<&'a [u8]>>, u16);

    /// What `Index::parse` must equal: the general path, one attribute at a
    /// time through `AttrIter`, the table's `Def` and `Kind::check`, last wins.
    fn reference(bytes: &[u8]) -> Result<Reference<'_>, Error> {
        let table = Every::table();
        let mut slots = std::vec![None; table.defs.len()];
        let mut unknown = 0u16;
        for attr in AttrIter::new(bytes) {
            let attr = attr?;
            let ty = attr.ty();
            match (table.def(ty), slots.get_mut(usize::from(ty))) {
                (Some(def), Some(slot)) => {
                    def.kind.check(ty, attr.payload())?;
                    *slot = Some(attr.payload());
                }
                _ => unknown = unknown.saturating_add(1),
            }
        }
        Ok((slots, unknown))
    }

    /// Attributes of types 0..32 (known, gaps, past the set) with random
    /// flag bits and payloads of 0..24 bytes, mostly NULs and small values.
    fn run() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let one = (
            0u16..32,
            0u16..4,
            proptest::collection::vec(prop_oneof![Just(0u8), Just(b'a'), any::<u8>()], 0..24),
        );
        proptest::collection::vec(one, 0..12).prop_map(|attrs| {
            attrs
                .into_iter()
                .flat_map(|(ty, flags, payload)| attr(ty | flags << 14, &payload))
                .collect()
        })
    }

    proptest::proptest! {
        /// The fast parse gives what the general path gives: the same error,
        /// or the same payload for every type and the same unknown count, on
        /// well-formed runs, cut ones, and ones with a length field overwritten.
        #[test]
        fn parse_equals_the_general_path(
            mut bytes in run(),
            cut in proptest::prelude::any::<proptest::sample::Index>(),
            poke in proptest::option::of((proptest::prelude::any::<proptest::sample::Index>(), 0u8..=255)),
            cut_it in proptest::prelude::any::<bool>(),
        ) {
            if let Some((at, value)) = poke {
                if !bytes.is_empty() {
                    let at = at.index(bytes.len());
                    bytes[at] = value;
                }
            }
            if cut_it {
                let len = cut.index(bytes.len() + 1);
                bytes.truncate(len);
            }
            let fast = Index::<Every>::parse(&bytes);
            match reference(&bytes) {
                Err(e) => proptest::prop_assert_eq!(fast.unwrap_err(), e),
                Ok((slots, unknown)) => {
                    let index = fast.unwrap();
                    proptest::prop_assert_eq!(index.unknown(), unknown);
                    for ty in 0..40u16 {
                        let want = slots.get(usize::from(ty)).copied().flatten();
                        proptest::prop_assert_eq!(index.raw(ty), want, "type {}", ty);
                    }
                }
            }
        }
    }
}
