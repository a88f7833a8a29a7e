//! The parsed index of an attribute set and the lazy nested views.

use core::fmt;
use core::marker::PhantomData;

use crate::Error;
use crate::attr::{Attr, AttrIter};

use super::{AttrSet, AttrType, Field};

/// The attributes of set `S` found in one payload, indexed by type number.
///
/// Built in one pass by [`Index::parse`], which validates every known
/// attribute's length against its kind; the typed getters then cannot fail.
/// For a type that appears more than once the last one wins (as in the
/// kernel's `nla_parse`); [`Index::all`] yields every occurrence.
pub struct Index<'a, S: AttrSet> {
    slots: S::Slots<'a>,
    unknown: u16,
    bytes: &'a [u8],
}

impl<'a, S: AttrSet> Index<'a, S> {
    /// Parses a run of attributes (a message payload after its fixed header,
    /// or a nest's payload).
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        let table = S::table();
        let mut slots = S::empty_slots();
        let mut unknown = 0u16;
        for attr in AttrIter::new(bytes) {
            let attr = attr?;
            let ty = attr.ty();
            match (table.def(ty), slots.as_mut().get_mut(usize::from(ty))) {
                (Some(def), Some(slot)) => {
                    def.kind.check(ty, attr.payload())?;
                    *slot = Some(attr.payload());
                }
                _ => unknown = unknown.saturating_add(1),
            }
        }
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
    pub fn get<K: AttrType>(&self, field: Field<S, K>) -> Option<K::Value<'a>> {
        K::decode(self.raw(field.ty())?)
    }

    /// True when attribute `field` is present.
    pub fn has<K>(&self, field: Field<S, K>) -> bool {
        self.raw(field.ty()).is_some()
    }

    /// The payload of the known attribute of type `ty`, if present.
    pub fn raw(&self, ty: u16) -> Option<&'a [u8]> {
        *self.slots.as_ref().get(usize::from(ty))?
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
