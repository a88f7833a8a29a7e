//! Writing attributes and nests.

use crate::table::{AttrPut, Field, NestKind};
use crate::{Error, Writer};

use super::{F_NESTED, HEADER_LEN};

/// Where a nest started in a [`Writer`]; give it back to
/// [`Writer::nest_end`] or [`Writer::nest_cancel`].
#[must_use = "a started nest must be ended or cancelled"]
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NestStart(usize);

fn header(len: usize, raw_ty: u16) -> Result<[u8; HEADER_LEN], Error> {
    let len = u16::try_from(len).map_err(|_| Error::TooLong)?;
    let [a, b] = len.to_ne_bytes();
    let [c, d] = raw_ty.to_ne_bytes();
    Ok([a, b, c, d])
}

impl<'a> Writer<'a> {
    /// Appends an attribute of `payload_len` bytes and returns the payload to
    /// fill. `raw_ty` is written as given (include flag bits if wanted).
    /// Fails without writing when the buffer is short or the length does not
    /// fit the u16 length field.
    pub fn attr_with(&mut self, raw_ty: u16, payload_len: usize) -> Result<&mut [u8], Error> {
        let total = payload_len.checked_add(HEADER_LEN).ok_or(Error::TooLong)?;
        let hdr = header(total, raw_ty)?;
        let region = self.reserve(total)?;
        let (h, payload) = region.split_at_mut(HEADER_LEN);
        h.copy_from_slice(&hdr);
        Ok(payload)
    }

    /// Appends an attribute with the given payload bytes.
    pub fn attr(&mut self, raw_ty: u16, payload: &[u8]) -> Result<(), Error> {
        self.attr_with(raw_ty, payload.len())?
            .copy_from_slice(payload);
        Ok(())
    }

    /// Starts a nest of type `ty`; `NLA_F_NESTED` is set on it.
    pub fn nest_start(&mut self, ty: u16) -> Result<NestStart, Error> {
        let start = self.len();
        self.attr_with(ty | F_NESTED, 0)?;
        Ok(NestStart(start))
    }

    /// Ends a nest by writing its length. A nest longer than `u16::MAX` is
    /// removed again with its content and reported as [`Error::TooLong`].
    pub fn nest_end(&mut self, start: NestStart) -> Result<(), Error> {
        let len = self.len() - start.0;
        let Ok(wire_len) = u16::try_from(len) else {
            self.truncate(start.0);
            return Err(Error::TooLong);
        };
        let field = self.written_mut(start.0, 2).ok_or(Error::Truncated)?;
        field.copy_from_slice(&wire_len.to_ne_bytes());
        Ok(())
    }

    /// Removes the nest and everything appended after it.
    pub fn nest_cancel(&mut self, start: NestStart) {
        self.truncate(start.0);
    }
}

impl<'a> Writer<'a> {
    /// Appends attribute `field` with a typed value (see [`crate::table`]).
    pub fn put<S, K: AttrPut>(
        &mut self,
        field: Field<S, K>,
        value: K::Input<'_>,
    ) -> Result<(), Error> {
        let out = self.attr_with(field.ty(), K::payload_len(&value))?;
        K::write(&value, out);
        Ok(())
    }

    /// Starts the nest or array `field`; end it with [`Writer::nest_end`].
    pub fn nest<S, K: NestKind>(&mut self, field: Field<S, K>) -> Result<NestStart, Error> {
        self.nest_start(field.ty())
    }
}
