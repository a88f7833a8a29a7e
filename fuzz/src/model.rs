//! An owned model of an nlctrl message's attributes (`ctrl-attrs` with its
//! nests and arrays), decoded through the `Index` getters and encoded through
//! the `Writer`'s typed appends, so that decode → encode → decode can be
//! compared value by value.
//!
//! Decoding keeps what a caller would see: for a type given twice, the last
//! one; inside arrays, the elements before the first malformed one, minus
//! elements whose nest does not parse.

use arbitrary::{Arbitrary, Unstructured};
use nl_core::genl::ctrl::{CtrlAttrs, McastGroupAttrs, OpAttrs, OpPolicyAttrs};
use nl_core::policy::PolicyAttrs;
use nl_core::table::{ArrayIter, AttrSet, Field, Index, Nest, NulStr};
use nl_core::{Error, Writer};

/// `ctrl-attrs`.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct Ctrl {
    pub family_id: Option<u16>,
    #[arbitrary(with = name)]
    pub family_name: Option<Vec<u8>>,
    pub version: Option<u32>,
    pub hdrsize: Option<u32>,
    pub maxattr: Option<u32>,
    pub ops: Option<Vec<(u16, Op)>>,
    pub mcast_groups: Option<Vec<(u16, Group)>>,
    pub policy: Option<Vec<(u16, Policies)>>,
    pub op_policy: Option<Vec<(u16, OpPolicy)>>,
    pub op: Option<u32>,
}

/// One `policy` array element: attribute type → policy.
pub type Policies = Vec<(u16, Policy)>;

/// `op-attrs`.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct Op {
    pub id: Option<u32>,
    pub flags: Option<u32>,
}

/// `mcast-group-attrs`.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    #[arbitrary(with = name)]
    pub name: Option<Vec<u8>>,
    pub id: Option<u32>,
}

/// `policy-attrs`.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub ty: Option<u32>,
    pub min_s: Option<i64>,
    pub max_s: Option<i64>,
    pub min_u: Option<u64>,
    pub max_u: Option<u64>,
    pub min_len: Option<u32>,
    pub max_len: Option<u32>,
    pub idx: Option<u32>,
    pub maxtype: Option<u32>,
    pub mask32: Option<u32>,
    pub pad: Option<Vec<u8>>,
    pub mask: Option<u64>,
}

/// `op-policy-attrs`.
#[derive(Arbitrary, Clone, Debug, Default, PartialEq, Eq)]
pub struct OpPolicy {
    pub do_: Option<u32>,
    pub dump: Option<u32>,
}

/// Arbitrary names are UTF-8 (so the typed `&str` append is what encodes
/// them) and carry no NUL: a NUL inside a string ends it on the wire.
fn name(u: &mut Unstructured<'_>) -> arbitrary::Result<Option<Vec<u8>>> {
    let s: Option<String> = u.arbitrary()?;
    Ok(s.map(|s| s.bytes().filter(|&b| b != 0).collect()))
}

/// Array indexes are attribute types: 14 bits, the flag bits are not theirs.
fn mask<T>(items: &mut [(u16, T)]) {
    for (i, _) in items {
        *i &= nl_core::attr::TYPE_MASK;
    }
}

impl Ctrl {
    /// Puts an arbitrary model in the domain the wire can express.
    pub fn normalize(&mut self) {
        if let Some(v) = &mut self.ops {
            mask(v);
        }
        if let Some(v) = &mut self.mcast_groups {
            mask(v);
        }
        if let Some(v) = &mut self.op_policy {
            mask(v);
        }
        if let Some(policies) = &mut self.policy {
            mask(policies);
            for (_, attrs) in policies {
                mask(attrs);
            }
        }
    }

    /// True when every string fits its declared maximum (15 bytes).
    pub fn names_fit(&self) -> bool {
        let fits = |n: &Option<Vec<u8>>| n.as_ref().is_none_or(|n| n.len() <= 15);
        fits(&self.family_name)
            && self
                .mcast_groups
                .iter()
                .flatten()
                .all(|(_, g)| fits(&g.name))
    }

    /// Decodes the attributes of an nlctrl message (after `genlmsghdr`).
    pub fn decode(bytes: &[u8]) -> Result<Ctrl, Error> {
        let a = Index::<CtrlAttrs>::parse(bytes)?;
        Ok(Ctrl {
            family_id: a.get(CtrlAttrs::FAMILY_ID),
            family_name: a.get(CtrlAttrs::FAMILY_NAME).map(|s| s.as_bytes().to_vec()),
            version: a.get(CtrlAttrs::VERSION),
            hdrsize: a.get(CtrlAttrs::HDRSIZE),
            maxattr: a.get(CtrlAttrs::MAXATTR),
            ops: a.get(CtrlAttrs::OPS).map(|it| nests(it, Op::decode)),
            mcast_groups: a
                .get(CtrlAttrs::MCAST_GROUPS)
                .map(|it| nests(it, Group::decode)),
            policy: a.get(CtrlAttrs::POLICY).map(|outer| {
                outer
                    .map_while(Result::ok)
                    .map(|(i, inner)| (i, nests(inner, Policy::decode)))
                    .collect()
            }),
            op_policy: a
                .get(CtrlAttrs::OP_POLICY)
                .map(|it| nests(it, OpPolicy::decode)),
            op: a.get(CtrlAttrs::OP),
        })
    }

    /// Appends the attributes with the typed appends.
    pub fn encode(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        opt(w, CtrlAttrs::FAMILY_ID, self.family_id)?;
        if let Some(n) = &self.family_name {
            put_name(w, CtrlAttrs::FAMILY_NAME, n)?;
        }
        opt(w, CtrlAttrs::VERSION, self.version)?;
        opt(w, CtrlAttrs::HDRSIZE, self.hdrsize)?;
        opt(w, CtrlAttrs::MAXATTR, self.maxattr)?;
        if let Some(ops) = &self.ops {
            let outer = w.nest(CtrlAttrs::OPS)?;
            put_nests(w, ops, Op::encode)?;
            w.nest_end(outer)?;
        }
        if let Some(groups) = &self.mcast_groups {
            let outer = w.nest(CtrlAttrs::MCAST_GROUPS)?;
            put_nests(w, groups, Group::encode)?;
            w.nest_end(outer)?;
        }
        if let Some(policies) = &self.policy {
            let outer = w.nest(CtrlAttrs::POLICY)?;
            for (i, attrs) in policies {
                let inner = w.nest_start(*i)?;
                put_nests(w, attrs, Policy::encode)?;
                w.nest_end(inner)?;
            }
            w.nest_end(outer)?;
        }
        if let Some(ops) = &self.op_policy {
            let outer = w.nest(CtrlAttrs::OP_POLICY)?;
            put_nests(w, ops, OpPolicy::encode)?;
            w.nest_end(outer)?;
        }
        opt(w, CtrlAttrs::OP, self.op)
    }
}

impl Op {
    fn decode(a: &Index<'_, OpAttrs>) -> Op {
        Op {
            id: a.get(OpAttrs::ID),
            flags: a.get(OpAttrs::FLAGS),
        }
    }

    fn encode(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        opt(w, OpAttrs::ID, self.id)?;
        opt(w, OpAttrs::FLAGS, self.flags)
    }
}

impl Group {
    fn decode(a: &Index<'_, McastGroupAttrs>) -> Group {
        Group {
            name: a.get(McastGroupAttrs::NAME).map(|s| s.as_bytes().to_vec()),
            id: a.get(McastGroupAttrs::ID),
        }
    }

    fn encode(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        if let Some(n) = &self.name {
            put_name(w, McastGroupAttrs::NAME, n)?;
        }
        opt(w, McastGroupAttrs::ID, self.id)
    }
}

impl Policy {
    /// Reads one policy nest.
    pub fn decode(a: &Index<'_, PolicyAttrs>) -> Policy {
        Policy {
            ty: a.get(PolicyAttrs::TYPE),
            min_s: a.get(PolicyAttrs::MIN_VALUE_S),
            max_s: a.get(PolicyAttrs::MAX_VALUE_S),
            min_u: a.get(PolicyAttrs::MIN_VALUE_U),
            max_u: a.get(PolicyAttrs::MAX_VALUE_U),
            min_len: a.get(PolicyAttrs::MIN_LENGTH),
            max_len: a.get(PolicyAttrs::MAX_LENGTH),
            idx: a.get(PolicyAttrs::POLICY_IDX),
            maxtype: a.get(PolicyAttrs::POLICY_MAXTYPE),
            mask32: a.get(PolicyAttrs::BITFIELD32_MASK),
            pad: a.get(PolicyAttrs::PAD).map(<[u8]>::to_vec),
            mask: a.get(PolicyAttrs::MASK),
        }
    }

    fn encode(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        opt(w, PolicyAttrs::TYPE, self.ty)?;
        opt(w, PolicyAttrs::MIN_VALUE_S, self.min_s)?;
        opt(w, PolicyAttrs::MAX_VALUE_S, self.max_s)?;
        opt(w, PolicyAttrs::MIN_VALUE_U, self.min_u)?;
        opt(w, PolicyAttrs::MAX_VALUE_U, self.max_u)?;
        opt(w, PolicyAttrs::MIN_LENGTH, self.min_len)?;
        opt(w, PolicyAttrs::MAX_LENGTH, self.max_len)?;
        opt(w, PolicyAttrs::POLICY_IDX, self.idx)?;
        opt(w, PolicyAttrs::POLICY_MAXTYPE, self.maxtype)?;
        opt(w, PolicyAttrs::BITFIELD32_MASK, self.mask32)?;
        if let Some(pad) = &self.pad {
            w.put(PolicyAttrs::PAD, pad.as_slice())?;
        }
        opt(w, PolicyAttrs::MASK, self.mask)
    }
}

impl OpPolicy {
    fn decode(a: &Index<'_, OpPolicyAttrs>) -> OpPolicy {
        OpPolicy {
            do_: a.get(OpPolicyAttrs::DO),
            dump: a.get(OpPolicyAttrs::DUMP),
        }
    }

    fn encode(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        opt(w, OpPolicyAttrs::DO, self.do_)?;
        opt(w, OpPolicyAttrs::DUMP, self.dump)
    }
}

/// The well-formed nests of an array, in wire order.
fn nests<'a, S: AttrSet, T>(
    items: ArrayIter<'a, Nest<S>>,
    decode: impl Fn(&Index<'a, S>) -> T,
) -> Vec<(u16, T)> {
    items
        .map_while(Result::ok)
        .filter_map(|(i, nest)| Some((i, decode(&nest.parse().ok()?))))
        .collect()
}

fn put_nests<T>(
    w: &mut Writer<'_>,
    items: &[(u16, T)],
    encode: impl Fn(&T, &mut Writer<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    for (i, item) in items {
        let nest = w.nest_start(*i)?;
        encode(item, w)?;
        w.nest_end(nest)?;
    }
    Ok(())
}

fn opt<S, K>(
    w: &mut Writer<'_>,
    field: Field<S, K>,
    value: Option<K::Input<'_>>,
) -> Result<(), Error>
where
    K: nl_core::table::AttrPut,
{
    match value {
        Some(v) => w.put(field, v),
        None => Ok(()),
    }
}

/// A name through the typed `&str` append when it is UTF-8; raw bytes plus
/// the NUL otherwise (kernel strings are bytes).
fn put_name<S>(w: &mut Writer<'_>, field: Field<S, NulStr<15>>, name: &[u8]) -> Result<(), Error> {
    match core::str::from_utf8(name) {
        Ok(s) => w.put(field, s),
        Err(_) => {
            let out = w.attr_with(field.ty(), name.len() + 1)?;
            out[..name.len()].copy_from_slice(name);
            out[name.len()] = 0;
            Ok(())
        }
    }
}
