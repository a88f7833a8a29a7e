//! `Index::parse` of the input as each of `ctrl-attrs`, `op-attrs`,
//! `policy-attrs` and `nlmsgerr-attrs`; every getter; arrays and nests
//! walked to the bottom; `Display` into a fixed-size sink.
//!
//! Properties: parse fails exactly when the walk hits a malformed attribute
//! or a known attribute fails its kind's check; the index holds the last
//! payload of each known type and counts the unknown ones; every getter
//! agrees with `has` and with the raw payload; array walks end after at
//! most one error.
#![no_main]

use core::fmt::Write;

use libfuzzer_sys::fuzz_target;
use nl_core::attr::AttrIter;
use nl_core::genl::ctrl::{CtrlAttrs, McastGroupAttrs, OpAttrs, OpPolicyAttrs};
use nl_core::nlmsg::ExtAckAttrs;
use nl_core::policy::PolicyAttrs;
use nl_core::table::{ArrayIter, AttrSet, AttrType, Field, Index, NlStr, write_attrs};
use nl_fuzz::{Sink, debug};

fuzz_target!(|data: &[u8]| {
    if let Some(a) = parse::<CtrlAttrs>(data) {
        ctrl(&a);
    }
    if let Some(a) = parse::<OpAttrs>(data) {
        op(&a);
    }
    if let Some(a) = parse::<PolicyAttrs>(data) {
        policy(&a);
    }
    if let Some(a) = parse::<ExtAckAttrs>(data) {
        extack(&a);
    }
    // Unnamed, and through a sink too small for most inputs.
    let mut small = Sink::<64>::new();
    write_attrs(&mut small, None, data, 0).expect("the sink never fails");
    assert!(small.kept().len() <= 64);
});

/// Parses `data` as set `S` and checks the index against a plain walk.
fn parse<S: AttrSet>(data: &[u8]) -> Option<Index<'_, S>> {
    let table = S::table();
    let mut expected_ok = true;
    let mut unknown = 0u16;
    let mut last: Vec<Option<&[u8]>> = vec![None; table.defs.len()];
    for attr in AttrIter::new(data) {
        let Ok(attr) = attr else {
            expected_ok = false;
            break;
        };
        match table.def(attr.ty()) {
            Some(def) => {
                expected_ok &= def.kind.check(attr.ty(), attr.payload()).is_ok();
                last[usize::from(attr.ty())] = Some(attr.payload());
            }
            None => unknown = unknown.saturating_add(1),
        }
    }
    let index = Index::<S>::parse(data);
    assert_eq!(
        index.is_ok(),
        expected_ok,
        "{} {:?}",
        table.name,
        index.err()
    );
    let index = index.ok()?;
    assert_eq!(index.unknown(), unknown);
    assert_eq!(index.bytes(), data);
    for ty in 0..=table.defs.len() as u16 {
        assert_eq!(index.raw(ty), last.get(usize::from(ty)).copied().flatten());
    }
    let mut sink = Sink::<4096>::new();
    write!(sink, "{index}").expect("the sink never fails");
    write!(sink, "{index:?}").expect("the sink never fails");
    Some(index)
}

/// `get` agrees with `has` and `raw`, and `all` sees every occurrence.
fn field<'a, S: AttrSet, K: AttrType>(a: &Index<'a, S>, f: Field<S, K>) -> Option<K::Value<'a>> {
    let value = a.get(f);
    assert_eq!(value.is_some(), a.has(f));
    assert_eq!(a.has(f), a.raw(f.ty()).is_some());
    let occurrences = a
        .iter()
        .filter_map(Result::ok)
        .filter(|x| x.ty() == f.ty())
        .count();
    assert_eq!(a.all(f).count(), occurrences);
    value
}

fn int<S: AttrSet, K: AttrType, const N: usize>(
    a: &Index<'_, S>,
    f: Field<S, K>,
    bytes: impl Fn(K::Value<'_>) -> [u8; N],
) {
    if let Some(v) = field(a, f) {
        assert_eq!(&bytes(v)[..], a.raw(f.ty()).unwrap());
    }
}

fn string(value: Option<NlStr<'_>>, raw: Option<&[u8]>, max: usize) {
    if let (Some(s), Some(raw)) = (value, raw) {
        assert!(raw.starts_with(s.as_bytes()) && !s.as_bytes().contains(&0));
        assert!(s.as_bytes().len() <= max || max == 0);
        nl_fuzz::display(&s);
    }
}

/// Walks an array; returns its elements, checking that an error ends it.
fn elements<'a, E: AttrType>(mut items: ArrayIter<'a, E>) -> Vec<(u16, E::Value<'a>)> {
    let mut out = Vec::new();
    while let Some(item) = items.next() {
        match item {
            Ok(element) => out.push(element),
            Err(_) => {
                assert!(items.next().is_none(), "an element after the error");
                break;
            }
        }
    }
    out
}

fn ctrl(a: &Index<'_, CtrlAttrs>) {
    int(a, CtrlAttrs::FAMILY_ID, u16::to_ne_bytes);
    string(field(a, CtrlAttrs::FAMILY_NAME), a.raw(2), 15);
    int(a, CtrlAttrs::VERSION, u32::to_ne_bytes);
    int(a, CtrlAttrs::HDRSIZE, u32::to_ne_bytes);
    int(a, CtrlAttrs::MAXATTR, u32::to_ne_bytes);
    int(a, CtrlAttrs::OP, u32::to_ne_bytes);
    for (_, nest) in field(a, CtrlAttrs::OPS).map(elements).unwrap_or_default() {
        if let Some(o) = parse::<OpAttrs>(nest.bytes()) {
            op(&o);
        }
    }
    for (_, nest) in field(a, CtrlAttrs::MCAST_GROUPS)
        .map(elements)
        .unwrap_or_default()
    {
        if let Some(g) = parse::<McastGroupAttrs>(nest.bytes()) {
            string(field(&g, McastGroupAttrs::NAME), g.raw(1), 15);
            int(&g, McastGroupAttrs::ID, u32::to_ne_bytes);
        }
    }
    for (_, inner) in field(a, CtrlAttrs::POLICY)
        .map(elements)
        .unwrap_or_default()
    {
        for (_, nest) in elements(inner) {
            if let Some(p) = parse::<PolicyAttrs>(nest.bytes()) {
                policy(&p);
            }
        }
    }
    for (_, nest) in field(a, CtrlAttrs::OP_POLICY)
        .map(elements)
        .unwrap_or_default()
    {
        if let Some(p) = parse::<OpPolicyAttrs>(nest.bytes()) {
            int(&p, OpPolicyAttrs::DO, u32::to_ne_bytes);
            int(&p, OpPolicyAttrs::DUMP, u32::to_ne_bytes);
        }
    }
}

fn op(a: &Index<'_, OpAttrs>) {
    int(a, OpAttrs::ID, u32::to_ne_bytes);
    if let Some(flags) = field(a, OpAttrs::FLAGS) {
        debug(&nl_core::genl::ctrl::OpFlags(flags));
        nl_fuzz::display(&nl_core::genl::ctrl::OpFlags(flags));
    }
}

fn policy(a: &Index<'_, PolicyAttrs>) {
    if let Some(ty) = field(a, PolicyAttrs::TYPE) {
        nl_fuzz::display(&nl_core::policy::AttrKindCode::from(ty));
    }
    int(a, PolicyAttrs::MIN_VALUE_S, i64::to_ne_bytes);
    int(a, PolicyAttrs::MAX_VALUE_S, i64::to_ne_bytes);
    int(a, PolicyAttrs::MIN_VALUE_U, u64::to_ne_bytes);
    int(a, PolicyAttrs::MAX_VALUE_U, u64::to_ne_bytes);
    int(a, PolicyAttrs::MIN_LENGTH, u32::to_ne_bytes);
    int(a, PolicyAttrs::MAX_LENGTH, u32::to_ne_bytes);
    int(a, PolicyAttrs::POLICY_IDX, u32::to_ne_bytes);
    int(a, PolicyAttrs::POLICY_MAXTYPE, u32::to_ne_bytes);
    int(a, PolicyAttrs::BITFIELD32_MASK, u32::to_ne_bytes);
    if let Some(pad) = field(a, PolicyAttrs::PAD) {
        assert_eq!(Some(pad), a.raw(11));
    }
    if let (Some(mask), Some(raw)) = (field(a, PolicyAttrs::MASK), a.raw(12)) {
        match raw.len() {
            4 => assert_eq!(mask, u64::from(u32::from_ne_bytes(raw.try_into().unwrap()))),
            _ => assert_eq!(mask.to_ne_bytes(), raw),
        }
    }
}

fn extack(a: &Index<'_, ExtAckAttrs>) {
    string(field(a, ExtAckAttrs::MSG), a.raw(1), 0);
    int(a, ExtAckAttrs::OFFS, u32::to_ne_bytes);
    if let Some(cookie) = field(a, ExtAckAttrs::COOKIE) {
        assert!(cookie.len() <= 20 && Some(cookie) == a.raw(3));
    }
    if let Some(p) = field(a, ExtAckAttrs::POLICY).and_then(|n| parse::<PolicyAttrs>(n.bytes())) {
        policy(&p);
    }
    int(a, ExtAckAttrs::MISS_TYPE, u32::to_ne_bytes);
    int(a, ExtAckAttrs::MISS_NEST, u32::to_ne_bytes);
}
