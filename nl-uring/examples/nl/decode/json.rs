//! The generic, table-driven JSON writer: an attribute stream, described by
//! an nl-core [`Table`], as a JSON object keyed by the spec's names.
//!
//! - integers as numbers; with an `enum(..)` annotation the value's name (the
//!   number when it has none); with `flags(..)` a list of names, then any
//!   bits without a name as one number;
//! - addresses as strings, strings as strings, binary as lowercase hex,
//!   `flag` attributes as `true`;
//! - structs as objects of their named members (hex when none are named);
//! - nests as objects, indexed arrays as lists, multi-attributes as lists
//!   (an attribute that is not multi but repeats becomes a list too);
//! - unknown types under `"unknown-attrs"`: `[{"type": N, "hex": "…"}]`;
//! - a payload that fails its kind's check as `{"error": "…", "hex": "…"}`,
//!   a broken nested stream as `{"error": "…", "offset": N, "hex": "…"}`,
//!   nests deeper than [`MAX_DEPTH`] as an error too: the rest of the message
//!   still prints.

use std::net::{Ipv4Addr, Ipv6Addr};

use nl_core::Error;
use nl_core::attr::AttrIter as Attrs;
use nl_core::table::{Def, Kind, MAX_DEPTH, Member, MemberKind, Table, Values};
use nl_uring::nl_core;
use serde_json::{Map, Value, json};

/// Key of the list of attributes the table does not know.
pub(crate) const UNKNOWN: &str = "unknown-attrs";

/// A stream of attributes of `table` as an object. Fails with the error and
/// the offset (in `bytes`) of the first attribute that does not parse.
pub(crate) fn attrs(
    table: &Table,
    bytes: &[u8],
    depth: usize,
) -> Result<Map<String, Value>, (Error, usize)> {
    let mut out = Map::new();
    let mut iter = Attrs::new(bytes);
    loop {
        let at = iter.offset();
        let attr = match iter.next() {
            None => return Ok(out),
            Some(Ok(attr)) => attr,
            Some(Err(e)) => return Err((e, at)),
        };
        let ty = attr.ty();
        let payload = attr.payload();
        match table.def(ty) {
            Some(def) => insert(&mut out, def, attr_value(def, payload, depth)),
            None => push(&mut out, UNKNOWN, json!({"type": ty, "hex": hex(payload)})),
        }
    }
}

/// Inserts one attribute's value: a list for multi-attributes, and for a
/// repeated attribute that should not repeat.
fn insert(out: &mut Map<String, Value>, def: &Def, value: Value) {
    if def.multi {
        push(out, def.name, value);
        return;
    }
    match out.get_mut(def.name) {
        None => {
            out.insert(def.name.to_owned(), value);
        }
        Some(Value::Array(list)) if !matches!(def.kind, Kind::Array(_)) => list.push(value),
        Some(old) => {
            let first = old.take();
            *old = Value::Array(vec![first, value]);
        }
    }
}

/// Appends `value` to the list under `key`.
fn push(out: &mut Map<String, Value>, key: &str, value: Value) {
    match out
        .entry(key.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(list) => list.push(value),
        other => *other = Value::Array(vec![other.take(), value]),
    }
}

/// One attribute's payload as the def's kind says.
pub(crate) fn attr_value(def: &Def, payload: &[u8], depth: usize) -> Value {
    kind_value(def.ty, &def.kind, &def.values, payload, depth)
}

/// A payload of `kind`; `ty` only names the attribute in an error.
fn kind_value(ty: u16, kind: &Kind, values: &Values, payload: &[u8], depth: usize) -> Value {
    if let Err(e) = kind.check(ty, payload) {
        return json!({"error": e.to_string(), "hex": hex(payload)});
    }
    match *kind {
        Kind::U8 | Kind::U16 | Kind::U32 | Kind::U64 | Kind::Uint => {
            named(values, Number::Unsigned(host_unsigned(payload)))
        }
        Kind::S8 | Kind::S16 | Kind::S32 | Kind::S64 | Kind::Sint => {
            named(values, Number::Signed(host_signed(payload)))
        }
        Kind::Be16 | Kind::Be32 | Kind::Be64 => {
            named(values, Number::Unsigned(big_unsigned(payload)))
        }
        Kind::Flag => Value::Bool(true),
        Kind::Str { .. } | Kind::NulStr { .. } => Value::String(text(payload)),
        Kind::Binary { .. } => Value::String(hex(payload)),
        Kind::U32s { .. } => Value::Array(
            payload
                .chunks_exact(4)
                .map(|c| Value::from(u32::from_ne_bytes([c[0], c[1], c[2], c[3]])))
                .collect(),
        ),
        Kind::Ipv4 | Kind::Ipv6 | Kind::Ip => address(payload),
        Kind::Struct { members, .. } => structure(members, payload),
        Kind::Nest(table) => nest(table(), payload, depth),
        Kind::Array(elem) => array(ty, elem, values, payload, depth),
    }
}

/// A nest: its attributes one level deeper.
fn nest(table: &Table, payload: &[u8], depth: usize) -> Value {
    if depth >= MAX_DEPTH {
        return json!({"error": Error::TooDeep.to_string(), "hex": hex(payload)});
    }
    if ORDERED.contains(&table.name) {
        return ordered(table, payload, depth + 1);
    }
    match attrs(table, payload, depth + 1) {
        Ok(map) => Value::Object(map),
        Err((e, offset)) => json!({"error": e.to_string(), "offset": offset, "hex": hex(payload)}),
    }
}

/// Sets whose order is their meaning (an OVS action list runs in order, and
/// the same action may come twice): printed as a list of one-key objects.
const ORDERED: [&str; 1] = ["action-attrs"];

/// An ordered set: `[{"name": value}, ...]` in wire order.
fn ordered(table: &Table, payload: &[u8], depth: usize) -> Value {
    let mut list = Vec::new();
    let mut iter = Attrs::new(payload);
    loop {
        let at = iter.offset();
        match iter.next() {
            None => return Value::Array(list),
            Some(Ok(attr)) => {
                let (ty, payload) = (attr.ty(), attr.payload());
                list.push(match table.def(ty) {
                    Some(def) => json!({def.name: attr_value(def, payload, depth)}),
                    None => json!({UNKNOWN: {"type": ty, "hex": hex(payload)}}),
                });
            }
            Some(Err(e)) => {
                list.push(json!({"error": e.to_string(), "offset": at, "hex": hex(payload)}));
                return Value::Array(list);
            }
        }
    }
}

/// An indexed array: each child's payload as `elem`, in order (the
/// children's numbers are not printed).
fn array(ty: u16, elem: &Kind, values: &Values, payload: &[u8], depth: usize) -> Value {
    if depth >= MAX_DEPTH {
        return json!({"error": Error::TooDeep.to_string(), "hex": hex(payload)});
    }
    let mut list = Vec::new();
    let mut iter = Attrs::new(payload);
    loop {
        let at = iter.offset();
        match iter.next() {
            None => return Value::Array(list),
            Some(Ok(child)) => list.push(kind_value(ty, elem, values, child.payload(), depth + 1)),
            Some(Err(e)) => {
                list.push(json!({"error": e.to_string(), "offset": at, "hex": hex(payload)}));
                return Value::Array(list);
            }
        }
    }
}

/// A number as read from the wire.
#[derive(Clone, Copy)]
enum Number {
    Unsigned(u64),
    Signed(i64),
}

impl Number {
    fn bits(self) -> u64 {
        match self {
            Number::Unsigned(n) => n,
            Number::Signed(n) => n as u64,
        }
    }

    fn json(self) -> Value {
        match self {
            Number::Unsigned(n) => Value::from(n),
            Number::Signed(n) => Value::from(n),
        }
    }
}

/// A number, its enum name, or its list of flag names.
fn named(values: &Values, number: Number) -> Value {
    match values {
        Values::Plain => number.json(),
        Values::Enum(_) => match values.enum_name(number.bits()) {
            Some(name) => Value::from(name),
            None => number.json(),
        },
        Values::Flags(_) => match values.flag_names(number.bits()) {
            Some((names, unknown)) => {
                let mut list: Vec<Value> = names.map(Value::from).collect();
                if unknown != 0 {
                    list.push(Value::from(unknown));
                }
                Value::Array(list)
            }
            None => number.json(),
        },
    }
}

/// A checked 1-, 2-, 4- or 8-byte host-endian unsigned integer.
fn host_unsigned(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let n = bytes.len().min(8);
    if cfg!(target_endian = "little") {
        buf[..n].copy_from_slice(&bytes[..n]);
    } else {
        buf[8 - n..].copy_from_slice(&bytes[..n]);
    }
    u64::from_ne_bytes(buf)
}

/// A checked 1-, 2-, 4- or 8-byte host-endian signed integer (sign-extended).
fn host_signed(bytes: &[u8]) -> i64 {
    let raw = host_unsigned(bytes);
    let bits = 8 * bytes.len().min(8) as u32;
    if bits == 0 || bits == 64 {
        return raw as i64;
    }
    let shift = 64 - bits;
    ((raw << shift) as i64) >> shift
}

/// A big-endian unsigned integer of up to 8 bytes.
fn big_unsigned(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .take(8)
        .fold(0, |n, b| (n << 8) | u64::from(*b))
}

/// Text up to the first NUL, invalid UTF-8 replaced.
fn text(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// An address of 4 or 16 bytes as text; anything else as hex.
fn address(bytes: &[u8]) -> Value {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return Value::String(Ipv4Addr::from(v4).to_string());
    }
    if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        return Value::String(Ipv6Addr::from(v6).to_string());
    }
    Value::String(hex(bytes))
}

/// A fixed struct: its named members as an object; hex when it names none.
pub(crate) fn structure(members: &[Member], payload: &[u8]) -> Value {
    if members.is_empty() {
        return Value::String(hex(payload));
    }
    let mut out = Map::new();
    for member in members {
        let value = match member.bytes(payload) {
            Some(bytes) => member_value(member.kind, &member.values, bytes),
            None => json!({"error": Error::Truncated.to_string()}),
        };
        out.insert(member.name.to_owned(), value);
    }
    Value::Object(out)
}

/// One struct member's bytes (exactly its kind's length).
fn member_value(kind: MemberKind, values: &Values, bytes: &[u8]) -> Value {
    match kind {
        MemberKind::U8 | MemberKind::U16 | MemberKind::U32 | MemberKind::U64 => {
            named(values, Number::Unsigned(host_unsigned(bytes)))
        }
        MemberKind::S32 | MemberKind::S64 => named(values, Number::Signed(host_signed(bytes))),
        MemberKind::Be16 | MemberKind::Be32 | MemberKind::Be64 => {
            named(values, Number::Unsigned(big_unsigned(bytes)))
        }
        MemberKind::Ipv4 | MemberKind::Ipv6 => address(bytes),
        MemberKind::Mac => Value::String(
            bytes
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(":"),
        ),
        MemberKind::Bytes(_) => Value::String(hex(bytes)),
    }
}

/// Lowercase hex, no separators.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// Run with `cargo test -p nl-uring --example nl`.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    use nl_core::table::AttrSet;

    use super::*;

    nl_core::flag_set! {
        /// Test flags.
        struct Bits(u16) {
            /// A.
            A = 0x1 => "a",
            /// B.
            B = 0x4 => "b",
        }
    }

    nl_core::value_enum! {
        /// Test enum.
        enum Mood(i8) {
            /// Sad.
            Sad = -1 => "sad",
            /// Glad.
            Glad = 1 => "glad",
        }
    }

    nl_core::attr_set! {
        /// Every kind the writer has a branch for.
        struct Demo = "demo" {
            /// Signed, named.
            1 MOOD "mood": i8, enum(Mood);
            /// Flags.
            2 BITS "bits": u16, flags(Bits);
            /// Multi.
            3 ITEM "item": u32, multi;
            /// Not multi.
            4 ONCE "once": u8;
            /// Big-endian.
            5 PORT "port": nl_core::table::Be16;
            /// A flag.
            6 ON "on": nl_core::table::Flag;
            /// Either address.
            7 ADDR "addr": nl_core::table::Ip;
            /// An indexed array of u16.
            8 LIST "list": nl_core::table::Array<u16>;
            /// A nest of this same set (recursion).
            9 SELF "self": nl_core::table::Nest<Demo>;
            /// Signed 64.
            10 BIG "big": i64;
        }
    }

    /// One attribute: header, payload, padding.
    fn attr(ty: u16, payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&u16::try_from(4 + payload.len()).unwrap().to_ne_bytes());
        out.extend_from_slice(&ty.to_ne_bytes());
        out.extend_from_slice(payload);
        out.resize(out.len().next_multiple_of(4), 0);
        out
    }

    fn demo(bytes: &[u8]) -> Value {
        Value::Object(attrs(Demo::table(), bytes, 0).unwrap())
    }

    #[test]
    fn every_kind_prints_by_name() {
        let mut bytes = Vec::new();
        bytes.extend(attr(1, &[0xff])); // mood -1
        bytes.extend(attr(2, &0x8005u16.to_ne_bytes())); // a | b | unknown 0x8000
        bytes.extend(attr(3, &1u32.to_ne_bytes())); // item 1
        bytes.extend(attr(3, &2u32.to_ne_bytes())); // item 2
        bytes.extend(attr(4, &[7])); // once 7
        bytes.extend(attr(4, &[8])); // once again: becomes a list
        bytes.extend(attr(5, &[0x1f, 0x90])); // port 8080
        bytes.extend(attr(6, &[])); // on
        bytes.extend(attr(
            7,
            &[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        )); // fe80::1
        let mut list = attr(1, &3u16.to_ne_bytes());
        list.extend(attr(2, &4u16.to_ne_bytes()));
        bytes.extend(attr(8, &list)); // [3, 4]
        bytes.extend(attr(10, &(-5i64).to_ne_bytes())); // big -5
        bytes.extend(attr(99, &[0xab])); // unknown
        assert_eq!(
            demo(&bytes),
            json!({
                "mood": "sad",
                "bits": ["a", "b", 0x8000],
                "item": [1, 2],
                "once": [7, 8],
                "port": 8080,
                "on": true,
                "addr": "fe80::1",
                "list": [3, 4],
                "big": -5,
                UNKNOWN: [{"type": 99, "hex": "ab"}],
            })
        );
    }

    #[test]
    fn unnamed_values_print_as_numbers() {
        let mut bytes = attr(1, &[5]);
        bytes.extend(attr(2, &0u16.to_ne_bytes()));
        assert_eq!(demo(&bytes), json!({"mood": 5, "bits": []}));
    }

    #[test]
    fn bad_payloads_and_broken_nests_stay_local() {
        let mut bytes = attr(4, &[1, 2]); // u8 with 2 bytes
        bytes.extend(attr(9, &[0xff, 0x00, 0x01, 0x00])); // a nest whose child overruns
        let value = demo(&bytes);
        assert_eq!(value["once"]["hex"], json!("0102"));
        assert!(value["once"]["error"].is_string());
        assert_eq!(value["self"]["offset"], json!(0));
        assert_eq!(value["self"]["hex"], json!("ff000100"));
    }

    #[test]
    fn nesting_is_bounded() {
        let mut bytes = attr(4, &[1]);
        for _ in 0..MAX_DEPTH + 2 {
            bytes = attr(9, &bytes);
        }
        let mut value = demo(&bytes);
        let mut depth = 0;
        while value.get("self").is_some() {
            value = value["self"].take();
            depth += 1;
        }
        assert_eq!(
            depth,
            MAX_DEPTH + 1,
            "the last nest is an error, not an object"
        );
        assert_eq!(value["error"], json!(Error::TooDeep.to_string()));
    }

    #[test]
    fn a_broken_top_level_stream_is_an_error_with_its_offset() {
        let mut bytes = attr(4, &[1]);
        bytes.extend([0x08, 0x00, 0x04]); // a header cut short
        assert_eq!(attrs(Demo::table(), &bytes, 0).unwrap_err().1, 8);
    }

    #[test]
    fn struct_members_by_name_and_short_payloads() {
        const MEMBERS: &[Member] = &[
            Member::new("a", 0, MemberKind::U16),
            Member::new("mac", 2, MemberKind::Mac),
            Member::new("ip", 8, MemberKind::Ipv4),
            Member::new("n", 12, MemberKind::S32),
        ];
        let mut payload = vec![0x01, 0x00, 2, 0, 0, 0, 0, 0xaa, 10, 0, 0, 1];
        payload.extend((-2i32).to_ne_bytes());
        assert_eq!(
            structure(MEMBERS, &payload),
            json!({"a": 1, "mac": "02:00:00:00:00:aa", "ip": "10.0.0.1", "n": -2})
        );
        let short = structure(MEMBERS, &payload[..10]);
        assert!(short["ip"]["error"].is_string());
        assert_eq!(structure(&[], &[1, 2]), json!("0102"));
    }
}
