//! Property tests: what is encoded decodes to the same values, and no input
//! makes a decoder panic or loop.
//!
//! The sets below are declared from outside the crate, as a family crate would.

#![cfg(feature = "genl")]

use std::fmt::Write as _;

use nl_core::genl::ctrl::{self, CtrlAttrs, Family, McastGroupAttrs, OpAttrs, PolicyReply};
use nl_core::genl::{GenlHeader, split};
use nl_core::nlmsg::{
    self, ExtAck, ExtAckAttrs, Flags, Header, Message, Messages, Reply, RequestLayout,
};
use nl_core::policy::PolicyAttrs;
use nl_core::table::{
    Array, ArrayIter, AttrSet, Be16, Be32, Be64, Binary, Field, Flag, Index, Nest, NulStr, Sint,
    Str, Struct, Uint, locate, write_attrs,
};
use nl_core::{Error, Writer, attr::AttrIter};
use proptest::prelude::*;
use zerocopy::byteorder::native_endian::U16;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// A 4-byte C struct.
#[derive(Debug, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub struct Pair {
    a: U16,
    b: u8,
    c: u8,
}

impl nl_core::table::WireStruct for Pair {
    const MEMBERS: &'static [nl_core::table::Member] = &[
        nl_core::table::Member::new("a", 0, nl_core::table::MemberKind::U16),
        nl_core::table::Member::new("b", 2, nl_core::table::MemberKind::U8),
        nl_core::table::Member::new("c", 3, nl_core::table::MemberKind::U8),
    ];
}

nl_core::attr_set! {
    /// Every kind.
    pub struct All = "all" {
        /// u8
        1 U8 "u8": u8;
        /// u16
        2 U16 "u16": u16;
        /// u32
        3 U32 "u32": u32;
        /// u64
        4 U64 "u64": u64;
        /// s8
        5 S8 "s8": i8;
        /// s16
        6 S16 "s16": i16;
        /// s32
        7 S32 "s32": i32;
        /// s64
        8 S64 "s64": i64;
        /// uint
        9 UINT "uint": Uint;
        /// sint
        10 SINT "sint": Sint;
        /// be16
        11 BE16 "be16": Be16;
        /// be32
        12 BE32 "be32": Be32;
        /// be64
        13 BE64 "be64": Be64;
        /// flag
        14 FLAG "flag": Flag;
        /// string
        15 STR "str": Str<16>;
        /// NUL-string
        16 NUL_STR "nul-str": NulStr<16>;
        /// binary
        17 BIN "bin": Binary<0, 32>;
        /// struct
        18 PAIR "pair": Struct<Pair>;
        /// nest
        19 NEST "nest": Nest<Sub>;
        /// array of u32
        20 ARRAY "array": Array<u32>;
        /// multi
        21 ITEM "item": u32, multi;
        /// array of nests
        22 NESTS "nests": Array<Nest<Sub>>;
        /// a chain of nests
        23 DEEP "deep": Nest<Sub>;
    }
}

nl_core::attr_set! {
    /// What [`All`] nests.
    pub struct Sub = "sub" {
        /// An id.
        1 ID "id": u32;
        /// A name.
        2 NAME "name": NulStr<0>;
        /// Itself, for deep chains.
        3 DEEP "deep": Nest<Sub>;
    }
}

/// One attribute of [`All`] with its value.
#[derive(Debug, Clone)]
enum Value {
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    S8(i8),
    S16(i16),
    S32(i32),
    S64(i64),
    Uint(u64),
    Sint(i64),
    Be16(u16),
    Be32(u32),
    Be64(u64),
    Flag,
    Str(String),
    NulStr(String),
    Bin(Vec<u8>),
    Pair(u16, u8, u8),
    Nest(Option<u32>, Option<String>),
    Array(Vec<u32>),
    Item(u32),
    Nests(Vec<u32>),
    /// `depth` nests of `Sub::DEEP` around an id.
    Deep(usize, u32),
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<u8>().prop_map(Value::U8),
        any::<u16>().prop_map(Value::U16),
        any::<u32>().prop_map(Value::U32),
        any::<u64>().prop_map(Value::U64),
        any::<i8>().prop_map(Value::S8),
        any::<i16>().prop_map(Value::S16),
        any::<i32>().prop_map(Value::S32),
        any::<i64>().prop_map(Value::S64),
        any::<u64>().prop_map(Value::Uint),
        any::<i64>().prop_map(Value::Sint),
        any::<u16>().prop_map(Value::Be16),
        any::<u32>().prop_map(Value::Be32),
        any::<u64>().prop_map(Value::Be64),
        Just(Value::Flag),
        "[a-zA-Z0-9 ]{0,16}".prop_map(Value::Str),
        "[a-z_]{0,16}".prop_map(Value::NulStr),
        prop::collection::vec(any::<u8>(), 0..=32).prop_map(Value::Bin),
        any::<(u16, u8, u8)>().prop_map(|(a, b, c)| Value::Pair(a, b, c)),
        (any::<Option<u32>>(), proptest::option::of("[a-z]{0,40}"))
            .prop_map(|(id, name)| Value::Nest(id, name)),
        prop::collection::vec(any::<u32>(), 0..8).prop_map(Value::Array),
        any::<u32>().prop_map(Value::Item),
        prop::collection::vec(any::<u32>(), 0..6).prop_map(Value::Nests),
        (0usize..12, any::<u32>()).prop_map(|(d, id)| Value::Deep(d, id)),
    ]
}

fn encode(w: &mut Writer<'_>, values: &[Value]) -> Result<(), Error> {
    for v in values {
        match v {
            Value::U8(x) => w.put(All::U8, *x)?,
            Value::U16(x) => w.put(All::U16, *x)?,
            Value::U32(x) => w.put(All::U32, *x)?,
            Value::U64(x) => w.put(All::U64, *x)?,
            Value::S8(x) => w.put(All::S8, *x)?,
            Value::S16(x) => w.put(All::S16, *x)?,
            Value::S32(x) => w.put(All::S32, *x)?,
            Value::S64(x) => w.put(All::S64, *x)?,
            Value::Uint(x) => w.put(All::UINT, *x)?,
            Value::Sint(x) => w.put(All::SINT, *x)?,
            Value::Be16(x) => w.put(All::BE16, *x)?,
            Value::Be32(x) => w.put(All::BE32, *x)?,
            Value::Be64(x) => w.put(All::BE64, *x)?,
            Value::Flag => w.put(All::FLAG, ())?,
            Value::Str(s) => w.put(All::STR, s.as_str())?,
            Value::NulStr(s) => w.put(All::NUL_STR, s.as_str())?,
            Value::Bin(b) => w.put(All::BIN, b.as_slice())?,
            Value::Pair(a, b, c) => w.put(
                All::PAIR,
                &Pair {
                    a: U16::new(*a),
                    b: *b,
                    c: *c,
                },
            )?,
            Value::Nest(id, name) => {
                let nest = w.nest(All::NEST)?;
                if let Some(id) = id {
                    w.put(Sub::ID, *id)?;
                }
                if let Some(name) = name {
                    w.put(Sub::NAME, name.as_str())?;
                }
                w.nest_end(nest)?;
            }
            Value::Array(xs) => {
                let array = w.nest(All::ARRAY)?;
                for (i, x) in xs.iter().enumerate() {
                    w.put(Field::<All, u32>::new(u16::try_from(i).unwrap()), *x)?;
                }
                w.nest_end(array)?;
            }
            Value::Item(x) => w.put(All::ITEM, *x)?,
            Value::Nests(ids) => {
                let array = w.nest(All::NESTS)?;
                for (i, id) in ids.iter().enumerate() {
                    let element = w.nest_start(u16::try_from(i + 1).unwrap())?;
                    w.put(Sub::ID, *id)?;
                    w.nest_end(element)?;
                }
                w.nest_end(array)?;
            }
            Value::Deep(depth, id) => {
                let mut open = Vec::new();
                open.push(w.nest(All::DEEP)?);
                for _ in 0..*depth {
                    open.push(w.nest(Sub::DEEP)?);
                }
                w.put(Sub::ID, *id)?;
                while let Some(nest) = open.pop() {
                    w.nest_end(nest)?;
                }
            }
        }
    }
    Ok(())
}

/// The value of the last attribute matching `$pat`, as the index keeps it.
macro_rules! last {
    ($values:expr, $pat:pat => $e:expr) => {
        $values.iter().rev().find_map(|v| match v {
            $pat => Some($e),
            _ => None,
        })
    };
}

fn check(index: &Index<'_, All>, values: &[Value]) {
    assert_eq!(index.unknown(), 0);
    assert_eq!(index.iter().count(), values.len());
    assert_eq!(index.get(All::U8), last!(values, Value::U8(x) => *x));
    assert_eq!(index.get(All::U16), last!(values, Value::U16(x) => *x));
    assert_eq!(index.get(All::U32), last!(values, Value::U32(x) => *x));
    assert_eq!(index.get(All::U64), last!(values, Value::U64(x) => *x));
    assert_eq!(index.get(All::S8), last!(values, Value::S8(x) => *x));
    assert_eq!(index.get(All::S16), last!(values, Value::S16(x) => *x));
    assert_eq!(index.get(All::S32), last!(values, Value::S32(x) => *x));
    assert_eq!(index.get(All::S64), last!(values, Value::S64(x) => *x));
    assert_eq!(index.get(All::UINT), last!(values, Value::Uint(x) => *x));
    assert_eq!(index.get(All::SINT), last!(values, Value::Sint(x) => *x));
    assert_eq!(index.get(All::BE16), last!(values, Value::Be16(x) => *x));
    assert_eq!(index.get(All::BE32), last!(values, Value::Be32(x) => *x));
    assert_eq!(index.get(All::BE64), last!(values, Value::Be64(x) => *x));
    assert_eq!(index.get(All::FLAG), last!(values, Value::Flag => ()));
    assert_eq!(
        index.get(All::STR).map(|s| s.as_bytes().to_vec()),
        last!(values, Value::Str(s) => s.as_bytes().to_vec())
    );
    assert_eq!(
        index.get(All::NUL_STR).map(|s| s.as_bytes().to_vec()),
        last!(values, Value::NulStr(s) => s.as_bytes().to_vec())
    );
    assert_eq!(
        index.get(All::BIN).map(<[u8]>::to_vec),
        last!(values, Value::Bin(b) => b.clone())
    );
    assert_eq!(
        index.get(All::PAIR).map(|p| (p.a.get(), p.b, p.c)),
        last!(values, Value::Pair(a, b, c) => (*a, *b, *c))
    );
    let nest = index.get(All::NEST).map(|n| {
        let sub = n.parse().unwrap();
        (
            sub.get(Sub::ID),
            sub.get(Sub::NAME).map(|s| s.as_bytes().to_vec()),
        )
    });
    assert_eq!(
        nest,
        last!(values, Value::Nest(id, name) => (*id, name.as_ref().map(|s| s.as_bytes().to_vec())))
    );
    let array = index
        .get(All::ARRAY)
        .map(|a| a.map(Result::unwrap).collect::<Vec<_>>());
    assert_eq!(
        array,
        last!(values, Value::Array(xs) => xs
            .iter()
            .enumerate()
            .map(|(i, x)| (u16::try_from(i).unwrap(), *x))
            .collect::<Vec<_>>())
    );
    let items: Vec<u32> = index.all(All::ITEM).collect();
    let want: Vec<u32> = values
        .iter()
        .filter_map(|v| match v {
            Value::Item(x) => Some(*x),
            _ => None,
        })
        .collect();
    assert_eq!(items, want);
    let nests = index.get(All::NESTS).map(|a| {
        a.map(|e| {
            let (i, nest) = e.unwrap();
            (i, nest.parse().unwrap().get(Sub::ID).unwrap())
        })
        .collect::<Vec<_>>()
    });
    assert_eq!(
        nests,
        last!(values, Value::Nests(ids) => ids
            .iter()
            .enumerate()
            .map(|(i, id)| (u16::try_from(i + 1).unwrap(), *id))
            .collect::<Vec<_>>())
    );
    let deep = index.get(All::DEEP).map(|n| {
        let mut sub = n.parse().unwrap();
        let mut depth = 0;
        while let Some(inner) = sub.get(Sub::DEEP) {
            sub = inner.parse().unwrap();
            depth += 1;
        }
        (depth, sub.get(Sub::ID).unwrap())
    });
    assert_eq!(deep, last!(values, Value::Deep(d, id) => (*d, *id)));
}

/// Everything a reader could ask of an [`All`] index; must not panic.
fn poke_all(index: &Index<'_, All>) -> String {
    let mut out = format!("{index} {index:?}");
    for ty in 0..30 {
        let _ = index.raw(ty);
    }
    let _ = index.get(All::STR).map(|s| s.to_string());
    let _ = index.get(All::PAIR).map(|p| p.a.get());
    if let Some(nest) = index.get(All::NEST) {
        if let Ok(sub) = nest.parse() {
            let _ = write!(out, "{sub}");
        }
    }
    if let Some(array) = index.get(All::ARRAY) {
        assert!(array.count() <= index.bytes().len() / 4 + 1);
    }
    if let Some(nests) = index.get(All::NESTS) {
        for (_, nest) in nests.take(1000).flatten() {
            let _ = nest.parse().map(|s| s.get(Sub::ID));
        }
    }
    assert!(index.all(All::ITEM).count() <= index.bytes().len() / 4);
    out
}

/// Everything a reader could ask of a message; must not panic.
fn poke_message(msg: &Message<'_>, request: &[u8], offset: u32) {
    if let Ok(reply) = Reply::classify(*msg) {
        let _ = format!("{reply:?}");
        let ext = match reply {
            Reply::Ack(a) | Reply::Error(a) => {
                let _ = a.errno().to_string();
                a.ext
            }
            Reply::Done(d) => d.ext,
            _ => ExtAck::empty(),
        };
        let _ = ext.message().map(|m| m.to_string());
        let _ = ext.policy().map(|p| p.parse().map(|i| i.to_string()));
        for attrs in [
            <CtrlAttrs as AttrSet>::table(),
            <All as AttrSet>::table(),
            <PolicyAttrs as AttrSet>::table(),
        ] {
            for header_len in [0, 4, 16] {
                let layout = RequestLayout { header_len, attrs };
                let _ = ext.locate(request, layout).map(|p| p.to_string());
                let _ = ext.missing_name(request, layout);
                let _ = ext.locate(msg.payload(), layout);
            }
        }
    }
    if let Ok(fam) = Family::parse(msg) {
        let _ = fam.to_string();
        let _ = (
            fam.id(),
            fam.name(),
            fam.version(),
            fam.hdrsize(),
            fam.maxattr(),
        );
        assert!(fam.ops().count() <= msg.len() / 4);
        assert!(fam.mcast_groups().count() <= msg.len() / 4);
        let _ = fam.mcast_group("notify");
        let _ = fam.ops_vec::<8>();
        let _ = fam.mcast_groups_vec::<8>();
    }
    if let Ok(PolicyReply::Attr { info, .. }) = PolicyReply::parse(msg) {
        let _ = info.to_string();
    }
    let _ = split(msg);
    let _ = offset;
}

/// Encoded values with some bytes changed and the end possibly cut: inputs
/// that get past the first checks.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(value(), 0..12),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(values, changes, cut)| {
            let mut buf = vec![0u8; 16 * 1024];
            let mut w = Writer::new(&mut buf);
            encode(&mut w, &values).unwrap();
            let len = w.len();
            buf.truncate(len);
            for (at, byte) in changes {
                if !buf.is_empty() {
                    let i = at.index(buf.len());
                    buf[i] = byte;
                }
            }
            if !buf.is_empty() {
                let keep = cut.index(buf.len() + 1);
                if keep % 3 == 0 {
                    buf.truncate(keep);
                }
            }
            buf
        })
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..600), mutated()]
}

/// Wraps attribute bytes into one message of type `ty` with `flags`.
fn message(ty: u16, flags: u16, head: &[u8], attrs: &[u8]) -> Vec<u8> {
    let len = 16 + head.len() + attrs.len();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&u32::try_from(len).unwrap().to_ne_bytes());
    out.extend_from_slice(&ty.to_ne_bytes());
    out.extend_from_slice(&flags.to_ne_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(head);
    out.extend_from_slice(attrs);
    out
}

/// 512 cases, or `PROPTEST_CASES` when set (for longer local runs).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn attributes_round_trip(values in prop::collection::vec(value(), 0..40)) {
        let mut buf = vec![0xa5u8; 64 * 1024];
        let mut w = Writer::new(&mut buf);
        encode(&mut w, &values).unwrap();
        let len = w.len();
        prop_assert_eq!(len % 4, 0);
        let index = Index::<All>::parse(&buf[..len]).unwrap();
        check(&index, &values);
        prop_assert!(buf[len..].iter().all(|&b| b == 0xa5));
    }

    #[test]
    fn failed_appends_leave_the_buffer_as_it_was(
        values in prop::collection::vec(value(), 1..20),
        room in 0usize..2048,
    ) {
        let mut full = vec![0u8; 64 * 1024];
        let mut w = Writer::new(&mut full);
        encode(&mut w, &values).unwrap();
        let total = w.len();
        let mut buf = vec![0xa5u8; room];
        let mut w = Writer::new(&mut buf);
        match encode(&mut w, &values) {
            Ok(()) => prop_assert!(total <= room),
            Err(Error::NoRoom { needed }) => {
                let written = w.len();
                prop_assert!(total > room);
                prop_assert!(needed > room && needed <= total && written <= room);
                prop_assert!(buf[written..].iter().all(|&b| b == 0xa5));
            }
            Err(e) => prop_assert!(false, "{e:?}"),
        }
    }

    #[test]
    fn messages_in_a_batch_round_trip(
        msgs in prop::collection::vec(
            (16u16.., any::<u16>(), any::<u32>(), any::<u32>(),
             prop::collection::vec(value(), 0..10)),
            0..8,
        ),
        done_seq in any::<u32>(),
    ) {
        let mut buf = vec![0xa5u8; 256 * 1024];
        let mut w = Writer::new(&mut buf);
        for (ty, flags, seq, pid, values) in &msgs {
            let start = w.begin_message(Header::new(*ty, Flags(*flags), *seq, *pid)).unwrap();
            encode(&mut w, values).unwrap();
            w.end_message(start).unwrap();
        }
        let start = w.begin_message(Header::new(nlmsg::DONE, Flags::MULTI, done_seq, 0)).unwrap();
        w.put_bytes(&0i32.to_ne_bytes()).unwrap();
        w.end_message(start).unwrap();
        let len = w.len();

        let mut got = Messages::new(&buf[..len]);
        for (ty, flags, seq, pid, values) in &msgs {
            let msg = got.next().unwrap().unwrap();
            prop_assert_eq!(msg.ty(), *ty);
            prop_assert_eq!(msg.flags(), Flags(*flags));
            prop_assert_eq!(msg.seq(), *seq);
            prop_assert_eq!(msg.pid(), *pid);
            let Reply::Data(data) = Reply::classify(msg).unwrap() else {
                panic!("not data");
            };
            check(&Index::<All>::parse(data.payload()).unwrap(), values);
        }
        let done = got.next().unwrap().unwrap();
        prop_assert_eq!(done.seq(), done_seq);
        let Reply::Done(done) = Reply::classify(done).unwrap() else {
            panic!("not done");
        };
        prop_assert_eq!(done.status, 0);
        prop_assert!(got.next().is_none());
        prop_assert_eq!(got.offset(), len);
    }

    #[test]
    fn error_replies_round_trip(
        code in i32::MIN..0,
        text in proptest::option::of("[ -~]{0,60}"),
        offset in proptest::option::of(any::<u32>()),
        cookie in proptest::option::of(prop::collection::vec(any::<u8>(), 0..=20)),
        miss in proptest::option::of((any::<u32>(), proptest::option::of(any::<u32>()))),
        echo in prop::collection::vec(any::<u8>(), 0..40),
        capped in any::<bool>(),
    ) {
        // The request the error answers.
        let mut req = vec![0u8; 64];
        let mut w = Writer::new(&mut req);
        let start = w.begin_message(Header::new(0x20, Flags::REQUEST, 9, 0)).unwrap();
        w.put_bytes(&echo).unwrap();
        w.end_message(start).unwrap();
        let req_len = w.len();
        let request = &req[..req_len];

        let mut buf = vec![0xa5u8; 1024];
        let mut w = Writer::new(&mut buf);
        let flags = if capped { Flags::CAPPED | Flags::ACK_TLVS } else { Flags::ACK_TLVS };
        let start = w.begin_message(Header::new(nlmsg::ERROR, flags, 9, 77)).unwrap();
        w.put_bytes(&code.to_ne_bytes()).unwrap();
        w.put_bytes(if capped { &request[..16] } else { request }).unwrap();
        if let Some(text) = &text {
            w.put(ExtAckAttrs::MSG, text.as_str()).unwrap();
        }
        if let Some(offset) = offset {
            w.put(ExtAckAttrs::OFFS, offset).unwrap();
        }
        if let Some(cookie) = &cookie {
            w.put(ExtAckAttrs::COOKIE, cookie.as_slice()).unwrap();
        }
        if let Some((ty, nest)) = miss {
            w.put(ExtAckAttrs::MISS_TYPE, ty).unwrap();
            if let Some(nest) = nest {
                w.put(ExtAckAttrs::MISS_NEST, nest).unwrap();
            }
        }
        w.end_message(start).unwrap();
        let len = w.len();

        let msg = Message::parse(&buf[..len]).unwrap();
        let Reply::Error(err) = Reply::classify(msg).unwrap() else { panic!("not an error") };
        prop_assert_eq!(err.code, code);
        // nlmsg_len counts the payload's padding, as the kernel's nlmsg_end does.
        prop_assert_eq!(err.request.len.get(), u32::try_from(req_len).unwrap());
        prop_assert_eq!(err.request.seq.get(), 9);
        let want_payload: &[u8] = if capped { &[] } else { &request[16..] };
        if !capped {
            prop_assert!(err.request_payload.starts_with(&echo));
        }
        prop_assert_eq!(err.request_payload, want_payload);
        prop_assert_eq!(
            err.ext.message().map(|m| m.as_bytes().to_vec()),
            text.map(String::into_bytes)
        );
        prop_assert_eq!(err.ext.offset(), offset);
        prop_assert_eq!(err.ext.cookie().map(<[u8]>::to_vec), cookie);
        prop_assert_eq!(err.ext.missing_type(), miss.map(|m| m.0));
        prop_assert_eq!(err.ext.missing_nest(), miss.and_then(|m| m.1));
    }

    #[test]
    fn families_round_trip(
        id in any::<u16>(),
        name in "[a-z_]{1,15}",
        version in any::<u32>(),
        hdrsize in any::<u32>(),
        maxattr in any::<u32>(),
        ops in prop::collection::vec((any::<u32>(), any::<u32>()), 0..12),
        groups in prop::collection::vec(("[a-z_]{1,15}", any::<u32>()), 0..6),
    ) {
        let mut buf = vec![0xa5u8; 4096];
        let mut w = Writer::new(&mut buf);
        let start = w.begin_message(Header::new(ctrl::GENL_ID_CTRL, Flags::MULTI, 1, 2)).unwrap();
        w.put_struct(&GenlHeader::new(1, 2)).unwrap();
        w.put(CtrlAttrs::FAMILY_ID, id).unwrap();
        w.put(CtrlAttrs::FAMILY_NAME, name.as_str()).unwrap();
        w.put(CtrlAttrs::VERSION, version).unwrap();
        w.put(CtrlAttrs::HDRSIZE, hdrsize).unwrap();
        w.put(CtrlAttrs::MAXATTR, maxattr).unwrap();
        let array = w.nest(CtrlAttrs::OPS).unwrap();
        for (i, (op, flags)) in ops.iter().enumerate() {
            let element = w.nest_start(u16::try_from(i + 1).unwrap()).unwrap();
            w.put(OpAttrs::ID, *op).unwrap();
            w.put(OpAttrs::FLAGS, *flags).unwrap();
            w.nest_end(element).unwrap();
        }
        w.nest_end(array).unwrap();
        let array = w.nest(CtrlAttrs::MCAST_GROUPS).unwrap();
        for (i, (group, gid)) in groups.iter().enumerate() {
            let element = w.nest_start(u16::try_from(i + 1).unwrap()).unwrap();
            w.put(McastGroupAttrs::NAME, group.as_str()).unwrap();
            w.put(McastGroupAttrs::ID, *gid).unwrap();
            w.nest_end(element).unwrap();
        }
        w.nest_end(array).unwrap();
        w.end_message(start).unwrap();
        let len = w.len();

        let msg = Message::parse(&buf[..len]).unwrap();
        let fam = Family::parse(&msg).unwrap();
        prop_assert_eq!(fam.cmd, ctrl::Cmd::NewFamily);
        prop_assert_eq!(fam.id(), id);
        prop_assert_eq!(fam.name(), name.as_str());
        prop_assert_eq!(fam.version(), version);
        prop_assert_eq!(fam.hdrsize(), hdrsize);
        prop_assert_eq!(fam.maxattr(), maxattr);
        let got: Vec<_> = fam
            .ops()
            .map(|o| o.map(|o| (o.id, o.flags.0)))
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(got, ops);
        let got: Vec<_> = fam
            .mcast_groups()
            .map(|g| g.map(|g| (g.name.to_str().unwrap().to_string(), g.id)))
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(got, groups);
    }

    #[test]
    fn arbitrary_datagrams_never_panic(
        data in bytes(),
        request in bytes(),
        offset in any::<u32>(),
    ) {
        let mut count = 0;
        for msg in Messages::new(&data) {
            count += 1;
            prop_assert!(count <= data.len() / 16 + 1);
            if let Ok(msg) = msg {
                poke_message(&msg, &request, offset);
            }
        }
    }

    #[test]
    fn arbitrary_messages_of_each_kind_never_panic(
        attrs in bytes(),
        request in bytes(),
        offset in any::<u32>(),
        flags in prop_oneof![Just(0u16), Just(0x100), Just(0x200), Just(0x300), any::<u16>()],
        code in prop_oneof![Just(0i32), Just(-22), any::<i32>()],
    ) {
        // The attributes behind an error header, a DONE status, a genlmsghdr.
        // The echoed request header: the first 16 arbitrary bytes, or a plain one.
        let plain = [0x10, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let mut error_head = code.to_ne_bytes().to_vec();
        error_head.extend_from_slice(request.get(..16).unwrap_or(&plain));
        for bytes in [
            message(nlmsg::ERROR, flags, &error_head, &attrs),
            message(nlmsg::DONE, flags, &code.to_ne_bytes(), &attrs),
            message(ctrl::GENL_ID_CTRL, flags, &[1, 2, 0, 0], &attrs),
            message(ctrl::GENL_ID_CTRL, flags, &[10, 2, 0, 0], &attrs),
        ] {
            let msg = Message::parse(&bytes).unwrap();
            poke_message(&msg, &request, offset);
        }
    }

    #[test]
    fn arbitrary_attributes_never_panic(data in bytes(), offset in any::<usize>()) {
        let mut count = 0;
        for attr in AttrIter::new(&data) {
            count += 1;
            prop_assert!(count <= data.len() / 4 + 1);
            if let Ok(attr) = attr {
                let _ = (attr.ty(), attr.is_nested(), attr.nested().count());
            }
        }
        if let Ok(index) = Index::<All>::parse(&data) {
            let _ = poke_all(&index);
        }
        if let Ok(index) = Index::<Sub>::parse(&data) {
            let _ = index.to_string();
        }
        if let Ok(index) = Index::<CtrlAttrs>::parse(&data) {
            let _ = index.to_string();
            if let Some(policies) = index.get(CtrlAttrs::POLICY) {
                for (_, attrs) in policies.take(1000).flatten() {
                    for attr in attrs.take(1000) {
                        let _ = attr.map(|(_, p)| p.parse().map(|i| i.to_string()));
                    }
                }
            }
        }
        if let Ok(index) = Index::<ExtAckAttrs>::parse(&data) {
            let _ = index.to_string();
        }
        if let Ok(index) = Index::<PolicyAttrs>::parse(&data) {
            let _ = index.to_string();
        }
        let _ = ExtAck::parse(&data).map(|e| (e.message(), e.offset(), e.is_empty()));
        prop_assert!(ArrayIter::<u32>::new(&data).count() <= data.len() / 4 + 1);
        prop_assert!(ArrayIter::<Nest<Sub>>::new(&data).count() <= data.len() / 4 + 1);
        let most = data.len() / 4 + 1;
        prop_assert!(ArrayIter::<Array<Nest<PolicyAttrs>>>::new(&data).count() <= most);
        let tables = [
            <All as AttrSet>::table(),
            <Sub as AttrSet>::table(),
            <CtrlAttrs as AttrSet>::table(),
        ];
        for table in tables {
            let small = offset % (data.len() + 8);
            for at in [offset, small] {
                if let Some(path) = locate(&data, at, table) {
                    prop_assert!(!path.elems.is_empty());
                    prop_assert!(path.elems.len() <= nl_core::table::MAX_DEPTH);
                    let _ = path.to_string();
                }
            }
        }
        let mut out = String::new();
        write_attrs(&mut out, None, &data, 0).unwrap();
        write_attrs(&mut out, Some(<All as AttrSet>::table()), &data, 0).unwrap();
    }
}
