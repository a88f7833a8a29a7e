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
    /// This step is an element of an indexed array; `ty` is its index.
    pub element: bool,
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
    /// Writes `outer.inner`, with `[i]` for array elements and `type N` for
    /// types the table does not know.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.elems.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match e.name {
                Some(name) => f.write_str(name)?,
                None if e.element => write!(f, "[{}]", e.ty)?,
                None => write!(f, "type {}", e.ty)?,
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
        let (name, next, element) = match level {
            Level::Named(t) => match t.def(attr.ty()) {
                Some(def) => (Some(def.name), Some(def.kind), false),
                None => (None, None, false),
            },
            Level::Array(elem) => (None, Some(elem), true),
        };
        let ty = attr.ty();
        if path.elems.push(PathElem { ty, name, element }).is_err() {
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

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::string::String;

    use super::*;
    use crate::table::AttrSet;
    use crate::table::tests::{EVERY, Every, Inner, attr};

    fn at(offset: usize) -> Option<String> {
        locate(&EVERY, offset, Every::table()).map(|p| format!("{p}"))
    }

    #[test]
    fn offsets_at_headers_and_in_payloads() {
        assert_eq!(at(0).as_deref(), Some("zero"));
        assert_eq!(at(3).as_deref(), Some("zero"));
        assert_eq!(at(4).as_deref(), Some("zero"));
        assert_eq!(at(8).as_deref(), Some("u8"));
        assert_eq!(at(24).as_deref(), Some("u32"));
        assert_eq!(at(27).as_deref(), Some("u32"));
        assert_eq!(at(128).as_deref(), Some("flag"));
        assert_eq!(at(131).as_deref(), Some("flag"));
        assert_eq!(at(220).as_deref(), Some("item"));
    }

    #[test]
    fn offsets_in_nests_and_arrays() {
        assert_eq!(at(172).as_deref(), Some("nest"));
        assert_eq!(at(175).as_deref(), Some("nest"));
        assert_eq!(at(176).as_deref(), Some("nest.id"));
        assert_eq!(at(180).as_deref(), Some("nest.id"));
        assert_eq!(at(184).as_deref(), Some("nest.name"));
        assert_eq!(at(192).as_deref(), Some("array"));
        assert_eq!(at(196).as_deref(), Some("array.[0]"));
        assert_eq!(at(204).as_deref(), Some("array.[1]"));
        assert_eq!(at(211).as_deref(), Some("array.[1]"));
        assert_eq!(at(228).as_deref(), Some("nests"));
        assert_eq!(at(232).as_deref(), Some("nests.[1]"));
        assert_eq!(at(236).as_deref(), Some("nests.[1].id"));
        assert_eq!(at(243).as_deref(), Some("nests.[1].id"));
    }

    #[test]
    fn path_elements_and_inner_tables() {
        let path = locate(&EVERY, 236, Every::table()).unwrap();
        assert_eq!(
            path.elems.as_slice(),
            &[
                PathElem {
                    ty: 23,
                    name: Some("nests"),
                    element: false,
                },
                PathElem {
                    ty: 1,
                    name: None,
                    element: true,
                },
                PathElem {
                    ty: 1,
                    name: Some("id"),
                    element: false,
                },
            ]
        );
        assert_eq!(path.last().unwrap().name, Some("id"));
        assert_eq!(format!("{path}"), "nests.[1].id");
        assert_eq!(path.inner_table, None);
        let inner = Some(Inner::table());
        assert_eq!(
            locate(&EVERY, 172, Every::table()).unwrap().inner_table,
            inner
        );
        assert_eq!(
            locate(&EVERY, 232, Every::table()).unwrap().inner_table,
            inner
        );
        assert_eq!(
            locate(&EVERY, 228, Every::table()).unwrap().inner_table,
            None
        );
        assert_eq!(
            locate(&EVERY, 24, Every::table()).unwrap().inner_table,
            None
        );
        assert!(AttrPath::default().last().is_none());
        assert_eq!(format!("{}", AttrPath::default()), "");
    }

    #[test]
    fn padding_and_out_of_range_are_none() {
        for offset in [5, 6, 7, 14, 163, 244, 245, 10_000, usize::MAX] {
            assert_eq!(at(offset), None, "{offset}");
        }
        assert_eq!(locate(&[], 0, Every::table()), None);
    }

    #[test]
    fn unknown_types_have_no_name() {
        let mut bytes = attr(1, &[1]);
        bytes.extend(attr(22, &[2]));
        bytes.extend(attr(0x8000 | 19, &attr(9, &[3])));
        let path = locate(&bytes, 8, Every::table()).unwrap();
        assert_eq!(
            path.elems.as_slice(),
            &[PathElem {
                ty: 22,
                name: None,
                element: false,
            }]
        );
        assert_eq!(format!("{path}"), "type 22");
        let path = locate(&bytes, 20, Every::table()).unwrap();
        assert_eq!(
            path.elems.as_slice(),
            &[
                PathElem {
                    ty: 19,
                    name: Some("nest"),
                    element: false,
                },
                PathElem {
                    ty: 9,
                    name: None,
                    element: false,
                },
            ]
        );
        assert_eq!(format!("{path}"), "nest.type 9");
    }

    #[test]
    fn malformed_bytes_before_the_offset_are_none() {
        let mut bytes = attr(1, &[1]);
        bytes.extend_from_slice(&[0x02, 0x00, 0x01, 0x00]); // nla_len = 2
        bytes.extend(attr(1, &[1]));
        assert_eq!(
            locate(&bytes, 0, Every::table())
                .unwrap()
                .last()
                .unwrap()
                .ty,
            1
        );
        assert_eq!(locate(&bytes, 8, Every::table()), None);
        assert_eq!(locate(&bytes, 12, Every::table()), None);
        // A malformed nest: its header is found, its inside is not.
        let nest = attr(0x8000 | 19, &[0x02, 0x00, 0x01, 0x00]);
        assert_eq!(
            format!("{}", locate(&nest, 0, Every::table()).unwrap()),
            "nest"
        );
        assert_eq!(locate(&nest, 4, Every::table()), None);
    }

    #[test]
    fn deep_paths_stop_at_the_bound() {
        let mut bytes = attr(1, &1u32.to_ne_bytes());
        for _ in 0..20 {
            bytes = attr(0x8000 | 3, &bytes);
        }
        // The id sits 20 nests deep, at 20 * 4 bytes.
        let path = locate(&bytes, 80, Inner::table()).unwrap();
        assert_eq!(path.elems.len(), MAX_DEPTH);
        assert!(path.elems.iter().all(|e| e.name == Some("deep")));
    }
}
