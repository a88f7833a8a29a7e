//! Table-driven text output: `name=value` per attribute, nests in braces.

use core::fmt;

use crate::attr::AttrIter;

use super::{AttrSet, Index, Kind, MAX_DEPTH, NlStr, Table};

impl<S: AttrSet> fmt::Display for Index<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_attrs(f, Some(S::table()), self.bytes(), 0)
    }
}

/// Writes a run of attributes as `name=value name={...}`, naming them from
/// `table`; unknown types print as `type N=<hex>`. Nests deeper than
/// [`MAX_DEPTH`] print as `{...}`; malformed bytes print as `<error: ...>`.
pub fn write_attrs(
    f: &mut dyn fmt::Write,
    table: Option<&'static Table>,
    bytes: &[u8],
    depth: usize,
) -> fmt::Result {
    if depth >= MAX_DEPTH {
        return f.write_str("...");
    }
    for (i, attr) in AttrIter::new(bytes).enumerate() {
        if i > 0 {
            f.write_char(' ')?;
        }
        let attr = match attr {
            Ok(attr) => attr,
            Err(e) => return write!(f, "<error: {e}>"),
        };
        match table.and_then(|t| t.def(attr.ty())) {
            Some(def) => {
                write!(f, "{}=", def.name)?;
                match def.kind.check(attr.ty(), attr.payload()) {
                    Ok(()) => write_value(f, &def.kind, attr.payload(), depth)?,
                    Err(e) => write!(f, "<error: {e}>")?,
                }
            }
            None => {
                write!(f, "type {}=", attr.ty())?;
                write_hex(f, attr.payload())?;
            }
        }
    }
    Ok(())
}

fn write_value(f: &mut dyn fmt::Write, kind: &Kind, p: &[u8], depth: usize) -> fmt::Result {
    let ne = |n: usize| -> u64 {
        let mut b = [0u8; 8];
        for (dst, src) in b.iter_mut().zip(p.iter()).take(n) {
            *dst = *src;
        }
        u64::from_ne_bytes(b)
    };
    match *kind {
        Kind::U8 => write!(f, "{}", p.first().copied().unwrap_or(0)),
        Kind::U16 => write!(f, "{}", ne(2) as u16),
        Kind::U32 => write!(f, "{}", ne(4) as u32),
        Kind::U64 => write!(f, "{}", ne(8)),
        Kind::S8 => write!(f, "{}", p.first().copied().unwrap_or(0) as i8),
        Kind::S16 => write!(f, "{}", ne(2) as u16 as i16),
        Kind::S32 => write!(f, "{}", ne(4) as u32 as i32),
        Kind::S64 => write!(f, "{}", ne(8) as i64),
        Kind::Uint if p.len() == 4 => write!(f, "{}", ne(4) as u32),
        Kind::Uint => write!(f, "{}", ne(8)),
        Kind::Sint if p.len() == 4 => write!(f, "{}", ne(4) as u32 as i32),
        Kind::Sint => write!(f, "{}", ne(8) as i64),
        Kind::Be16 | Kind::Be32 | Kind::Be64 => {
            let mut v = 0u64;
            for b in p {
                v = (v << 8) | u64::from(*b);
            }
            write!(f, "{v}")
        }
        Kind::Flag => f.write_str("true"),
        Kind::Str { .. } | Kind::NulStr { .. } => write!(f, "\"{}\"", NlStr::from_payload(p)),
        Kind::Binary { .. } | Kind::Struct { .. } => write_hex(f, p),
        Kind::Nest(table) => {
            f.write_char('{')?;
            write_attrs(f, Some(table()), p, depth + 1)?;
            f.write_char('}')
        }
        Kind::Array(elem) => write_array(f, elem, p, depth + 1),
    }
}

fn write_array(f: &mut dyn fmt::Write, elem: &Kind, p: &[u8], depth: usize) -> fmt::Result {
    if depth >= MAX_DEPTH {
        return f.write_str("[...]");
    }
    f.write_char('[')?;
    for (i, attr) in AttrIter::new(p).enumerate() {
        if i > 0 {
            f.write_char(' ')?;
        }
        match attr {
            Ok(attr) => {
                write!(f, "{}:", attr.ty())?;
                match elem.check(attr.ty(), attr.payload()) {
                    Ok(()) => write_value(f, elem, attr.payload(), depth)?,
                    Err(e) => write!(f, "<error: {e}>")?,
                }
            }
            Err(e) => {
                write!(f, "<error: {e}>")?;
                break;
            }
        }
    }
    f.write_char(']')
}

fn write_hex(f: &mut dyn fmt::Write, bytes: &[u8]) -> fmt::Result {
    for b in bytes {
        write!(f, "{b:02x}")?;
    }
    Ok(())
}
