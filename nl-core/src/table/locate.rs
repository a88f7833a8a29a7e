//! Mapping a byte offset in a request back to the attribute it points at,
//! as the kernel's extended ACK reports it (`NLMSGERR_ATTR_OFFS`).

use core::fmt;

use crate::attr::{Attr, AttrIter, HEADER_LEN};

use super::{Kind, Table};

/// How deep walkers (Display, [`locate`]) follow nests before they stop.
pub const MAX_DEPTH: usize = 16;

/// One step of an [`AttrPath`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PathElem {
    /// Type number (for array elements, the index).
    pub ty: u16,
    /// Name from the table, if the set knows this type.
    pub name: Option<&'static str>,
}

/// The attribute an offset points at: its nests from the outside in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct AttrPath {
    /// Outermost first.
    pub elems: heapless::Vec<PathElem, MAX_DEPTH>,
    /// The table of the innermost attribute's own nest, when it is a nest
    /// (used to name a missing attribute inside it).
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub inner_table: Option<&'static Table>,
}

impl AttrPath {
    /// The innermost attribute.
    pub fn last(&self) -> Option<&PathElem> {
        self.elems.last()
    }
}

impl fmt::Display for AttrPath {
    /// Writes `outer.inner`, with `[i]` for array elements and `type N` for unknown types.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.elems.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match e.name {
                Some(name) => f.write_str(name)?,
                None => write!(f, "[{}]", e.ty)?,
            }
        }
        Ok(())
    }
}

/// Finds the attribute at byte `offset` of `attrs` (the attributes of a
/// request, after its fixed headers), naming it and its nests from `table`.
///
/// The offset may point at the attribute's header or into its payload; the
/// innermost attribute containing it is returned. `None` when the offset
/// falls outside every attribute or the bytes are malformed before it.
pub fn locate(attrs: &[u8], offset: usize, table: &'static Table) -> Option<AttrPath> {
    /// What the attributes at the current depth are.
    enum Level {
        Named(&'static Table),
        Array(Kind),
    }
    let mut path = AttrPath::default();
    let mut level = Level::Named(table);
    let mut bytes = attrs;
    let mut offset = offset;
    loop {
        let (start, attr) = containing(bytes, offset)?;
        let (name, next) = match level {
            Level::Named(t) => match t.def(attr.ty()) {
                Some(def) => (Some(def.name), Some(def.kind)),
                None => (None, None),
            },
            Level::Array(elem) => (None, Some(elem)),
        };
        if path
            .elems
            .push(PathElem {
                ty: attr.ty(),
                name,
            })
            .is_err()
        {
            break;
        }
        path.inner_table = next.and_then(|k| k.nested_table());
        let inner = offset - start;
        level = match next {
            Some(Kind::Nest(t)) if inner >= HEADER_LEN => Level::Named(t()),
            Some(Kind::Array(elem)) if inner >= HEADER_LEN => Level::Array(*elem),
            _ => break,
        };
        offset = inner - HEADER_LEN;
        bytes = attr.payload();
    }
    Some(path)
}

/// The attribute of `bytes` whose header or payload holds `offset`, with its start.
fn containing(bytes: &[u8], offset: usize) -> Option<(usize, Attr<'_>)> {
    let mut iter = AttrIter::new(bytes);
    loop {
        let start = iter.offset();
        let attr = iter.next()?.ok()?;
        if (start..start + HEADER_LEN + attr.payload().len()).contains(&offset) {
            return Some((start, attr));
        }
    }
}
