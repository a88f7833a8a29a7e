//! Building one whole request message, or nothing.

use zerocopy::{Immutable, IntoBytes};

use super::header::{Flags, Header};
use crate::{Error, Writer};

/// Writes one request into `buf`: the message header (type `ty`,
/// `NLM_F_REQUEST` added to `flags`), the family's fixed header `fixed`,
/// then the attributes `put_attrs` appends, which take `attrs` bytes
/// (compute them with [`Field::space`](crate::table::Field::space)).
///
/// The room for the whole message is checked first, so a failure writes
/// nothing and [`Error::NoRoom`] reports the total length needed. Returns
/// the message.
pub fn build<'b, T>(
    buf: &'b mut [u8],
    ty: u16,
    flags: Flags,
    seq: u32,
    fixed: &T,
    attrs: usize,
    put_attrs: impl FnOnce(&mut Writer<'b>) -> Result<(), Error>,
) -> Result<&'b [u8], Error>
where
    T: IntoBytes + Immutable,
{
    let fixed_len = crate::align(core::mem::size_of_val(fixed)).ok_or(Error::TooLong)?;
    let total = Header::LEN
        .checked_add(fixed_len)
        .and_then(|n| n.checked_add(attrs))
        .ok_or(Error::TooLong)?;
    let mut w = Writer::new(buf);
    w.ensure_room(total)?;
    let start = w.begin_message_with(Header::new(ty, Flags::REQUEST | flags, seq, 0), fixed)?;
    put_attrs(&mut w)?;
    w.end_message(start)?;
    Ok(w.into_bytes())
}
