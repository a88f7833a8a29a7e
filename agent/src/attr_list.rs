//! A request's attributes as a list of `(type, payload)`, each present or
//! not: their room (for `nlmsg::build`) and their writing with nl-core's
//! `Writer`, one loop each instead of one branch per attribute.

use nl_core::{Error, Writer};

/// One attribute, or nothing.
pub(crate) type AttrSlot<'p> = Option<(u16, &'p [u8])>;

/// Bytes the present attributes take on the wire.
pub(crate) fn space(attrs: &[AttrSlot<'_>]) -> Result<usize, Error> {
    attrs.iter().flatten().try_fold(0usize, |n, (_, payload)| {
        n.checked_add(nl_core::attr::space(payload.len())?)
            .ok_or(Error::TooLong)
    })
}

/// Writes the present attributes in order.
pub(crate) fn put(w: &mut Writer<'_>, attrs: &[AttrSlot<'_>]) -> Result<(), Error> {
    attrs
        .iter()
        .flatten()
        .try_for_each(|(ty, payload)| w.attr(*ty, payload))
}
