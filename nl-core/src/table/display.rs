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
        Kind::Ipv4 | Kind::Ipv6 | Kind::Ip => match super::kinds::ip_from(p) {
            Some(ip) => write!(f, "{ip}"),
            None => write_hex(f, p),
        },
        Kind::Str { .. } | Kind::NulStr { .. } => write!(f, "\"{}\"", NlStr::from_payload(p)),
        Kind::Binary { .. } | Kind::Struct { .. } => write_hex(f, p),
        Kind::U32s { .. } => {
            for (i, chunk) in p.chunks_exact(4).enumerate() {
                let sep = if i == 0 { "" } else { "," };
                let v = u32::from_ne_bytes(chunk.try_into().map_err(|_| fmt::Error)?);
                write!(f, "{sep}{v}")?;
            }
            Ok(())
        }
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

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::string::String;

    use super::*;
    use crate::table::tests::{EVERY, Every, Inner, attr};

    fn show(table: Option<&'static Table>, bytes: &[u8]) -> String {
        let mut out = String::new();
        write_attrs(&mut out, table, bytes, 0).unwrap();
        out
    }

    fn every() -> Option<&'static Table> {
        Some(<Every as crate::table::AttrSet>::table())
    }

    #[test]
    fn every_kind() {
        let index = Index::<Every>::parse(&EVERY).unwrap();
        assert_eq!(
            format!("{index}"),
            "zero=42 u8=255 u16=4660 u32=305419896 u64=72623859790382856 \
             s8=-1 s16=-2 s32=-3 s64=-4 uint=7 sint=-4294967296 \
             be16=4660 be32=167772161 be64=256 flag=true \
             str=\"eth0\" nul-str=\"hello\" bin=deadbe pair=01020304 \
             nest={id=5 name=\"a\"} array=[0:10 1:11] item=1 item=2 nests=[1:{id=9}]"
        );
        assert_eq!(format!("{index:?}"), format!("every{{{index}}}"));
    }

    #[test]
    fn extreme_values_and_widths() {
        let mut bytes = attr(4, &u64::MAX.to_ne_bytes());
        bytes.extend(attr(5, &[0x80]));
        bytes.extend(attr(6, &i16::MIN.to_ne_bytes()));
        bytes.extend(attr(8, &i64::MIN.to_ne_bytes()));
        bytes.extend(attr(9, &u64::MAX.to_ne_bytes()));
        bytes.extend(attr(10, &i32::MIN.to_ne_bytes()));
        bytes.extend(attr(13, &u64::MAX.to_be_bytes()));
        bytes.extend(attr(15, b"a\xffb"));
        assert_eq!(
            show(every(), &bytes),
            "u64=18446744073709551615 s8=-128 s16=-32768 s64=-9223372036854775808 \
             uint=18446744073709551615 sint=-2147483648 be64=18446744073709551615 \
             str=\"a\\xffb\""
        );
    }

    #[test]
    fn unknown_types_print_as_numbers_and_hex() {
        let mut bytes = attr(22, &[0xaa, 0x0b]);
        bytes.extend(attr(99, &[]));
        bytes.extend(attr(0x4000 | 1, &[7]));
        assert_eq!(show(every(), &bytes), "type 22=aa0b type 99= u8=7");
        assert_eq!(show(None, &bytes), "type 22=aa0b type 99= type 1=07");
        assert_eq!(show(every(), &[]), "");
    }

    #[test]
    fn bad_values_and_bad_bytes_print_as_errors() {
        let mut bytes = attr(3, &[1, 2]);
        bytes.extend(attr(16, b"no-nul"));
        bytes.extend(attr(1, &[9]));
        bytes.extend_from_slice(&[0x08, 0x00, 0x01]); // a cut header
        assert_eq!(
            show(every(), &bytes),
            "u32=<error: attribute length does not fit its kind (type 3, length 2)> \
             nul-str=<error: attribute payload invalid for its kind (type 16)> \
             u8=9 <error: input truncated>"
        );
    }

    #[test]
    fn malformed_nests_and_array_elements() {
        let mut bytes = attr(0x8000 | 19, &attr(1, &[1]));
        let mut array = attr(0, &5u32.to_ne_bytes());
        array.extend(attr(1, &[1, 2]));
        array.extend(attr(2, &6u32.to_ne_bytes()));
        array.extend_from_slice(&[0x02, 0x00, 0x00, 0x00]); // nla_len = 2
        array.extend(attr(3, &7u32.to_ne_bytes()));
        bytes.extend(attr(0x8000 | 20, &array));
        assert_eq!(
            show(every(), &bytes),
            "nest={id=<error: attribute length does not fit its kind (type 1, length 1)>} \
             array=[0:5 1:<error: attribute length does not fit its kind (type 1, length 2)> \
             2:6 <error: length field smaller than its header>]"
        );
    }

    #[test]
    fn deep_nests_stop_at_the_depth_bound() {
        // 20 levels of inner.deep, then an id.
        let mut bytes = attr(1, &1u32.to_ne_bytes());
        for _ in 0..20 {
            bytes = attr(0x8000 | 3, &bytes);
        }
        let text = show(Some(<Inner as crate::table::AttrSet>::table()), &bytes);
        let want = format!("{}...{}", "deep={".repeat(16), "}".repeat(16));
        assert_eq!(text, want);
        // Arrays count toward the depth too.
        let mut bytes = attr(0, &1u32.to_ne_bytes());
        bytes = attr(0x8000 | 1, &bytes); // element 1 of NESTS: {id=1}
        bytes = attr(0x8000 | 23, &bytes); // NESTS
        let mut out = String::new();
        write_attrs(&mut out, every(), &bytes, MAX_DEPTH - 1).unwrap();
        assert_eq!(out, "nests=[...]");
        let mut out = String::new();
        write_attrs(&mut out, every(), &bytes, MAX_DEPTH).unwrap();
        assert_eq!(out, "...");
    }

    #[test]
    fn a_failing_writer_stops_the_output() {
        struct Full(usize);
        impl fmt::Write for Full {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                self.0 = self.0.checked_sub(s.len()).ok_or(fmt::Error)?;
                Ok(())
            }
        }
        for room in [0, 10, 100] {
            assert!(write_attrs(&mut Full(room), every(), &EVERY, 0).is_err());
        }
        assert!(write_attrs(&mut Full(10_000), every(), &EVERY, 0).is_ok());
    }
}
