//! nlctrl (`GENL_ID_CTRL`): resolving families by name or id, their
//! operations and multicast groups, and their attribute policies.
//!
//! Spec: `nlctrl.yaml`; header: `linux/genetlink.h`.

use core::fmt;

use super::{GenlHeader, split};
use crate::nlmsg::{self, Flags, Message};
use crate::policy::PolicyAttrs;
use crate::table::{Array, Index, Nest, NlStr, NulStr};
use crate::{Error, Writer};

/// nlctrl's fixed family id.
pub const GENL_ID_CTRL: u16 = 0x10;
/// The nlctrl interface version we speak.
pub const VERSION: u8 = 2;
/// Longest family name, NUL included (`GENL_NAMSIZ`).
pub const FAMILY_NAME_MAX: usize = 16;

/// What nl-core sends to nlctrl, for the policy check: `getfamily` (do and
/// dump) and `getpolicy` (dump only) with the [`CtrlAttrs`] they accept.
pub static FAMILY: super::decl::FamilyDecl = super::decl::FamilyDecl {
    name: "nlctrl",
    ops: &[
        super::decl::OpDecl {
            cmd: 3, // CTRL_CMD_GETFAMILY
            name: "getfamily",
            attrs: <CtrlAttrs as crate::table::AttrSet>::table,
            do_request: Some(&[CtrlAttrs::FAMILY_ID.ty(), CtrlAttrs::FAMILY_NAME.ty()]),
            dump_request: Some(&[CtrlAttrs::FAMILY_ID.ty(), CtrlAttrs::FAMILY_NAME.ty()]),
        },
        super::decl::OpDecl {
            cmd: 10, // CTRL_CMD_GETPOLICY
            name: "getpolicy",
            attrs: <CtrlAttrs as crate::table::AttrSet>::table,
            do_request: None,
            dump_request: Some(&[
                CtrlAttrs::FAMILY_ID.ty(),
                CtrlAttrs::FAMILY_NAME.ty(),
                CtrlAttrs::OP.ty(),
            ]),
        },
    ],
};

crate::value_enum! {
    /// `CTRL_CMD_*`.
    pub enum Cmd(u8) {
        /// `CTRL_CMD_NEWFAMILY`: a family reply or event.
        NewFamily = 1 => "newfamily",
        /// `CTRL_CMD_DELFAMILY`: a family went away (event).
        DelFamily = 2 => "delfamily",
        /// `CTRL_CMD_GETFAMILY`: ask for one family, or dump them all.
        GetFamily = 3 => "getfamily",
        /// `CTRL_CMD_NEWOPS`
        NewOps = 4 => "newops",
        /// `CTRL_CMD_DELOPS`
        DelOps = 5 => "delops",
        /// `CTRL_CMD_GETOPS`
        GetOps = 6 => "getops",
        /// `CTRL_CMD_NEWMCAST_GRP`: a group was added (event).
        NewMcastGrp = 7 => "newmcast-grp",
        /// `CTRL_CMD_DELMCAST_GRP`: a group was removed (event).
        DelMcastGrp = 8 => "delmcast-grp",
        /// `CTRL_CMD_GETMCAST_GRP` (unused by the kernel).
        GetMcastGrp = 9 => "getmcast-grp",
        /// `CTRL_CMD_GETPOLICY`: dump a family's attribute policies.
        GetPolicy = 10 => "getpolicy",
    }
}

crate::flag_set! {
    /// `GENL_*` operation flags (`CTRL_ATTR_OP_FLAGS`), printed as a
    /// comma-separated list of the spec's names.
    pub struct OpFlags(u32), sep = "," {
        /// `GENL_ADMIN_PERM`: needs CAP_NET_ADMIN.
        ADMIN_PERM = 0x01 => "admin-perm",
        /// `GENL_CMD_CAP_DO`: has a do handler.
        CMD_CAP_DO = 0x02 => "cmd-cap-do",
        /// `GENL_CMD_CAP_DUMP`: has a dump handler.
        CMD_CAP_DUMP = 0x04 => "cmd-cap-dump",
        /// `GENL_CMD_CAP_HASPOL`: has an attribute policy.
        CMD_CAP_HASPOL = 0x08 => "cmd-cap-haspol",
        /// `GENL_UNS_ADMIN_PERM`: needs CAP_NET_ADMIN in the user namespace.
        UNS_ADMIN_PERM = 0x10 => "uns-admin-perm",
    }
}

crate::attr_set! {
    /// `CTRL_ATTR_*`: the attributes of nlctrl messages.
    pub struct CtrlAttrs = "ctrl-attrs" {
        /// Family id.
        1 FAMILY_ID "family-id": u16;
        /// Family name.
        2 FAMILY_NAME "family-name": NulStr<15>;
        /// Family version.
        3 VERSION "version": u32;
        /// Size of the family's fixed header after `genlmsghdr`.
        4 HDRSIZE "hdrsize": u32;
        /// Highest attribute type.
        5 MAXATTR "maxattr": u32;
        /// Operations.
        6 OPS "ops": Array<Nest<OpAttrs>>;
        /// Multicast groups.
        7 MCAST_GROUPS "mcast-groups": Array<Nest<McastGroupAttrs>>;
        /// One attribute policy: policy index → attribute type → policy.
        8 POLICY "policy": Array<Array<Nest<PolicyAttrs>>>;
        /// Which policies an operation uses.
        9 OP_POLICY "op-policy": Array<Nest<OpPolicyAttrs>>;
        /// Restrict a policy dump to one operation.
        10 OP "op": u32;
    }
}

crate::attr_set! {
    /// `CTRL_ATTR_OP_*`: one operation.
    pub struct OpAttrs = "op-attrs" {
        /// Command number.
        1 ID "id": u32;
        /// [`OpFlags`].
        2 FLAGS "flags": u32, flags(OpFlags);
    }
}

crate::attr_set! {
    /// `CTRL_ATTR_MCAST_GRP_*`: one multicast group.
    pub struct McastGroupAttrs = "mcast-group-attrs" {
        /// Group name.
        1 NAME "name": NulStr<15>;
        /// Group id, to join with `NETLINK_ADD_MEMBERSHIP`.
        2 ID "id": u32;
    }
}

crate::attr_set! {
    /// `CTRL_ATTR_POLICY_*`: the policies of one operation.
    pub struct OpPolicyAttrs = "op-policy-attrs" {
        /// Policy index used by the do handler.
        1 DO "do": u32;
        /// Policy index used by the dump handler.
        2 DUMP "dump": u32;
    }
}

/// Builds `CTRL_CMD_GETFAMILY` for the family `name` into `buf` and returns the message.
pub fn get_family_by_name<'b>(buf: &'b mut [u8], seq: u32, name: &str) -> Result<&'b [u8], Error> {
    let attrs = CtrlAttrs::FAMILY_NAME.space(&name)?;
    build(buf, Flags::NONE, seq, get_family_header(), attrs, |w| {
        w.put(CtrlAttrs::FAMILY_NAME, name)
    })
}

/// Builds `CTRL_CMD_GETFAMILY` for the family with id `id` into `buf`.
pub fn get_family_by_id(buf: &mut [u8], seq: u32, id: u16) -> Result<&[u8], Error> {
    let attrs = CtrlAttrs::FAMILY_ID.space(&id)?;
    build(buf, Flags::NONE, seq, get_family_header(), attrs, |w| {
        w.put(CtrlAttrs::FAMILY_ID, id)
    })
}

/// Builds a `CTRL_CMD_GETFAMILY` dump of every family into `buf`.
pub fn dump_families(buf: &mut [u8], seq: u32) -> Result<&[u8], Error> {
    build(buf, Flags::DUMP, seq, get_family_header(), 0, |_| Ok(()))
}

/// Writes one nlctrl request into `buf` (see [`nlmsg::build`]).
fn build<'b>(
    buf: &'b mut [u8],
    flags: Flags,
    seq: u32,
    header: GenlHeader,
    attrs: usize,
    put_attrs: impl FnOnce(&mut Writer<'b>) -> Result<(), Error>,
) -> Result<&'b [u8], Error> {
    nlmsg::build(buf, GENL_ID_CTRL, flags, seq, &header, attrs, put_attrs)
}

/// Which family a policy dump is for.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FamilyRef<'n> {
    /// By id.
    Id(u16),
    /// By name.
    Name(&'n str),
}

/// Builds a `CTRL_CMD_GETPOLICY` dump for `family`, optionally restricted
/// to operation `op`, into `buf`.
pub fn dump_policy<'b>(
    buf: &'b mut [u8],
    seq: u32,
    family: FamilyRef<'_>,
    op: Option<u32>,
) -> Result<&'b [u8], Error> {
    let family_space = match family {
        FamilyRef::Id(id) => CtrlAttrs::FAMILY_ID.space(&id)?,
        FamilyRef::Name(name) => CtrlAttrs::FAMILY_NAME.space(&name)?,
    };
    let op_space = match op {
        Some(op) => CtrlAttrs::OP.space(&op)?,
        None => 0,
    };
    let header = GenlHeader::new(Cmd::GetPolicy.into(), VERSION);
    build(
        buf,
        Flags::DUMP,
        seq,
        header,
        family_space + op_space,
        |w| {
            match family {
                FamilyRef::Id(id) => w.put(CtrlAttrs::FAMILY_ID, id)?,
                FamilyRef::Name(name) => w.put(CtrlAttrs::FAMILY_NAME, name)?,
            }
            match op {
                Some(op) => w.put(CtrlAttrs::OP, op),
                None => Ok(()),
            }
        },
    )
}

fn get_family_header() -> GenlHeader {
    GenlHeader::new(Cmd::GetFamily.into(), VERSION)
}

/// A family as nlctrl describes it (`CTRL_CMD_NEWFAMILY`).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Family<'a> {
    /// The command (`NewFamily` for replies, `DelFamily` for removal events).
    pub cmd: Cmd,
    /// All the attributes.
    pub attrs: Index<'a, CtrlAttrs>,
}

/// One operation of a family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Op {
    /// Command number.
    pub id: u32,
    /// Flags.
    pub flags: OpFlags,
}

/// One multicast group of a family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct McastGroup<'a> {
    /// Group name.
    pub name: NlStr<'a>,
    /// Group id.
    pub id: u32,
}

impl<'a> Family<'a> {
    /// Decodes an nlctrl family message.
    #[inline]
    pub fn parse(message: &Message<'a>) -> Result<Self, Error> {
        if message.ty() != GENL_ID_CTRL {
            return Err(Error::UnexpectedType { ty: message.ty() });
        }
        let (header, attrs) = split(message)?;
        Ok(Family {
            cmd: header.cmd.into(),
            attrs: Index::parse(attrs)?,
        })
    }

    /// Family id (0 if the kernel left it out).
    #[inline]
    pub fn id(&self) -> u16 {
        self.attrs.get(CtrlAttrs::FAMILY_ID).unwrap_or(0)
    }

    /// Family name (empty if the kernel left it out).
    #[inline]
    pub fn name(&self) -> NlStr<'a> {
        self.attrs.get(CtrlAttrs::FAMILY_NAME).unwrap_or(NlStr(&[]))
    }

    /// Family version.
    #[inline]
    pub fn version(&self) -> u32 {
        self.attrs.get(CtrlAttrs::VERSION).unwrap_or(0)
    }

    /// Size of the family's own header after `genlmsghdr`.
    #[inline]
    pub fn hdrsize(&self) -> u32 {
        self.attrs.get(CtrlAttrs::HDRSIZE).unwrap_or(0)
    }

    /// Highest attribute type.
    #[inline]
    pub fn maxattr(&self) -> u32 {
        self.attrs.get(CtrlAttrs::MAXATTR).unwrap_or(0)
    }

    /// The operations, each decoded or the first error.
    pub fn ops(&self) -> impl Iterator<Item = Result<Op, Error>> + 'a {
        let ops = self.attrs.get(CtrlAttrs::OPS);
        ops.into_iter().flatten().map(|item| {
            let (_, nest) = item?;
            let op = nest.parse()?;
            Ok(Op {
                id: op.get(OpAttrs::ID).unwrap_or(0),
                flags: OpFlags(op.get(OpAttrs::FLAGS).unwrap_or(0)),
            })
        })
    }

    /// The multicast groups, each decoded or the first error.
    pub fn mcast_groups(&self) -> impl Iterator<Item = Result<McastGroup<'a>, Error>> + 'a {
        let groups = self.attrs.get(CtrlAttrs::MCAST_GROUPS);
        groups.into_iter().flatten().map(|item| {
            let (_, nest) = item?;
            let group = nest.parse()?;
            Ok(McastGroup {
                name: group.get(McastGroupAttrs::NAME).unwrap_or(NlStr(&[])),
                id: group.get(McastGroupAttrs::ID).unwrap_or(0),
            })
        })
    }

    /// The multicast group named `name`, if the family has it.
    pub fn mcast_group(&self, name: &str) -> Result<Option<u32>, Error> {
        for group in self.mcast_groups() {
            let group = group?;
            if group.name == name {
                return Ok(Some(group.id));
            }
        }
        Ok(None)
    }

    /// Copies the operations into a fixed-capacity list;
    /// [`Error::CapacityExceeded`] when there are more than `N`.
    pub fn ops_vec<const N: usize>(&self) -> Result<heapless::Vec<Op, N>, Error> {
        let mut out = heapless::Vec::new();
        for op in self.ops() {
            out.push(op?).map_err(|_| Error::CapacityExceeded)?;
        }
        Ok(out)
    }

    /// Copies the multicast groups into a fixed-capacity list;
    /// [`Error::CapacityExceeded`] when there are more than `N`.
    pub fn mcast_groups_vec<const N: usize>(
        &self,
    ) -> Result<heapless::Vec<McastGroup<'a>, N>, Error> {
        let mut out = heapless::Vec::new();
        for group in self.mcast_groups() {
            out.push(group?).map_err(|_| Error::CapacityExceeded)?;
        }
        Ok(out)
    }
}

impl fmt::Display for Family<'_> {
    /// Like `genl ctrl list`: name, id, version, header size, max attribute,
    /// then operations and multicast groups.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Name: {}\n\tID: {:#x}  Version: {:#x}  header size: {}  max attribs: {}",
            self.name(),
            self.id(),
            self.version(),
            self.hdrsize(),
            self.maxattr()
        )?;
        let mut ops = self.ops().peekable();
        if ops.peek().is_some() {
            f.write_str("\n\tcommands supported:")?;
            for (i, op) in ops.enumerate() {
                match op {
                    Ok(op) => write!(f, "\n\t\t#{}:  ID-{:#x}  flags: {}", i + 1, op.id, op.flags)?,
                    Err(e) => write!(f, "\n\t\t<error: {e}>")?,
                }
            }
        }
        let mut groups = self.mcast_groups().peekable();
        if groups.peek().is_some() {
            f.write_str("\n\tmulticast groups:")?;
            for (i, group) in groups.enumerate() {
                match group {
                    Ok(g) => write!(f, "\n\t\t#{}:  ID-{:#x}  name: {}", i + 1, g.id, g.name)?,
                    Err(e) => write!(f, "\n\t\t<error: {e}>")?,
                }
            }
        }
        Ok(())
    }
}

/// One message of a `CTRL_CMD_GETPOLICY` dump.
// The attribute variant holds its parsed index in place: there is no heap to box it on.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PolicyReply<'a> {
    /// The policy of one attribute type in policy `policy`.
    Attr {
        /// Family id.
        family: u16,
        /// Policy index.
        policy: u16,
        /// Attribute type within that policy.
        attr: u16,
        /// What the kernel accepts for it.
        info: Index<'a, PolicyAttrs>,
    },
    /// The policies operation `op` uses.
    Op {
        /// Family id.
        family: u16,
        /// Command number.
        op: u16,
        /// Policy index of the do handler.
        do_policy: Option<u32>,
        /// Policy index of the dump handler.
        dump_policy: Option<u32>,
    },
    /// A message with neither (only the family id), as the kernel sends for
    /// a family without policies.
    Empty {
        /// Family id.
        family: u16,
    },
}

impl<'a> PolicyReply<'a> {
    /// Decodes one policy dump message. The kernel puts exactly one policy
    /// entry or one operation in each message.
    pub fn parse(message: &Message<'a>) -> Result<Self, Error> {
        let family = Family::parse(message)?;
        let attrs = family.attrs;
        let id = family.id();
        if let Some(mut policies) = attrs.get(CtrlAttrs::POLICY) {
            let Some(entry) = policies.next() else {
                return Ok(PolicyReply::Empty { family: id });
            };
            let (policy, mut types) = entry?;
            let Some(entry) = types.next() else {
                return Ok(PolicyReply::Empty { family: id });
            };
            let (attr, info) = entry?;
            return Ok(PolicyReply::Attr {
                family: id,
                policy,
                attr,
                info: info.parse()?,
            });
        }
        if let Some(mut ops) = attrs.get(CtrlAttrs::OP_POLICY) {
            let Some(entry) = ops.next() else {
                return Ok(PolicyReply::Empty { family: id });
            };
            let (op, nest) = entry?;
            let policies = nest.parse()?;
            return Ok(PolicyReply::Op {
                family: id,
                op,
                do_policy: policies.get(OpPolicyAttrs::DO),
                dump_policy: policies.get(OpPolicyAttrs::DUMP),
            });
        }
        Ok(PolicyReply::Empty { family: id })
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
// Unless marked "hand-built", each was received from this kernel (6.18).
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::vec::Vec;

    use super::*;
    use crate::policy::AttrKindCode;

    /// The reply to `CTRL_CMD_GETFAMILY "nlctrl"`.
    #[rustfmt::skip]
    static NLCTRL: [u8; 136] = [
        0x88, 0x00, 0x00, 0x00, // nlmsg_len = 136
        0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
        0x00, 0x00,             // nlmsg_flags = 0
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x6b, 0x22, 0x00, 0x00, // nlmsg_pid = 8811
        0x01, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_NEWFAMILY, version 2
        0x0b, 0x00, 0x02, 0x00, // nla_len = 11, CTRL_ATTR_FAMILY_NAME
        b'n', b'l', b'c', b't', b'r', b'l', 0x00, 0x00, // "nlctrl\0" + 1 padding
        0x06, 0x00, 0x01, 0x00, // nla_len = 6, CTRL_ATTR_FAMILY_ID
        0x10, 0x00, 0x00, 0x00, // 0x10 + 2 padding
        0x08, 0x00, 0x03, 0x00, // nla_len = 8, CTRL_ATTR_VERSION
        0x02, 0x00, 0x00, 0x00, // 2
        0x08, 0x00, 0x04, 0x00, // nla_len = 8, CTRL_ATTR_HDRSIZE
        0x00, 0x00, 0x00, 0x00, // 0
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, CTRL_ATTR_MAXATTR
        0x00, 0x00, 0x00, 0x00, // 0 (nlctrl's ops carry their own policies)
        0x2c, 0x00, 0x06, 0x00, // nla_len = 44, CTRL_ATTR_OPS (no NLA_F_NESTED from the kernel)
        0x14, 0x00, 0x01, 0x00, //   nla_len = 20, op #1
        0x08, 0x00, 0x01, 0x00, //     nla_len = 8, CTRL_ATTR_OP_ID
        0x03, 0x00, 0x00, 0x00, //     CTRL_CMD_GETFAMILY
        0x08, 0x00, 0x02, 0x00, //     nla_len = 8, CTRL_ATTR_OP_FLAGS
        0x0e, 0x00, 0x00, 0x00, //     CMD_CAP_DO | CMD_CAP_DUMP | CMD_CAP_HASPOL
        0x14, 0x00, 0x02, 0x00, //   nla_len = 20, op #2
        0x08, 0x00, 0x01, 0x00, //     nla_len = 8, CTRL_ATTR_OP_ID
        0x0a, 0x00, 0x00, 0x00, //     CTRL_CMD_GETPOLICY
        0x08, 0x00, 0x02, 0x00, //     nla_len = 8, CTRL_ATTR_OP_FLAGS
        0x0c, 0x00, 0x00, 0x00, //     CMD_CAP_DUMP | CMD_CAP_HASPOL
        0x1c, 0x00, 0x07, 0x00, // nla_len = 28, CTRL_ATTR_MCAST_GROUPS
        0x18, 0x00, 0x01, 0x00, //   nla_len = 24, group #1
        0x08, 0x00, 0x02, 0x00, //     nla_len = 8, CTRL_ATTR_MCAST_GRP_ID
        0x10, 0x00, 0x00, 0x00, //     0x10
        0x0b, 0x00, 0x01, 0x00, //     nla_len = 11, CTRL_ATTR_MCAST_GRP_NAME
        b'n', b'o', b't', b'i', b'f', b'y', 0x00, 0x00, // "notify\0" + 1 padding
    ];

    /// First message of the `CTRL_CMD_GETPOLICY "nlctrl"` dump: the
    /// policies of op 3 (GETFAMILY).
    #[rustfmt::skip]
    static POLICY_OP: [u8; 52] = [
        0x34, 0x00, 0x00, 0x00, // nlmsg_len = 52
        0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
        0x9d, 0x23, 0x00, 0x00, // nlmsg_pid = 9117
        0x0a, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETPOLICY, version 2
        0x06, 0x00, 0x01, 0x00, // nla_len = 6, CTRL_ATTR_FAMILY_ID
        0x10, 0x00, 0x00, 0x00, // 0x10 + 2 padding
        0x18, 0x00, 0x09, 0x80, // nla_len = 24, CTRL_ATTR_OP_POLICY | NLA_F_NESTED
        0x14, 0x00, 0x03, 0x80, //   nla_len = 20, op 3 | NLA_F_NESTED
        0x08, 0x00, 0x01, 0x00, //     nla_len = 8, CTRL_ATTR_POLICY_DO
        0x00, 0x00, 0x00, 0x00, //     policy 0
        0x08, 0x00, 0x02, 0x00, //     nla_len = 8, CTRL_ATTR_POLICY_DUMP
        0x00, 0x00, 0x00, 0x00, //     policy 0
    ];

    /// Second message: GETPOLICY has only a dump handler, and this kernel
    /// numbers it 0 (it writes the absent do handler's command).
    #[rustfmt::skip]
    static POLICY_OP_DUMP_ONLY: [u8; 44] = [
        0x2c, 0x00, 0x00, 0x00, // nlmsg_len = 44
        0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
        0x9d, 0x23, 0x00, 0x00, // nlmsg_pid = 9117
        0x0a, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETPOLICY, version 2
        0x06, 0x00, 0x01, 0x00, // nla_len = 6, CTRL_ATTR_FAMILY_ID
        0x10, 0x00, 0x00, 0x00, // 0x10 + 2 padding
        0x10, 0x00, 0x09, 0x80, // nla_len = 16, CTRL_ATTR_OP_POLICY | NLA_F_NESTED
        0x0c, 0x00, 0x00, 0x80, //   nla_len = 12, op 0 | NLA_F_NESTED
        0x08, 0x00, 0x02, 0x00, //     nla_len = 8, CTRL_ATTR_POLICY_DUMP
        0x01, 0x00, 0x00, 0x00, //     policy 1
    ];

    /// Third message: policy 0, attribute 1 (FAMILY_ID) is a u16.
    #[rustfmt::skip]
    static POLICY_ATTR_U16: [u8; 72] = [
        0x48, 0x00, 0x00, 0x00, // nlmsg_len = 72
        0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
        0x9d, 0x23, 0x00, 0x00, // nlmsg_pid = 9117
        0x0a, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETPOLICY, version 2
        0x06, 0x00, 0x01, 0x00, // nla_len = 6, CTRL_ATTR_FAMILY_ID
        0x10, 0x00, 0x00, 0x00, // 0x10 + 2 padding
        0x2c, 0x00, 0x08, 0x80, // nla_len = 44, CTRL_ATTR_POLICY | NLA_F_NESTED
        0x28, 0x00, 0x00, 0x80, //   nla_len = 40, policy 0 | NLA_F_NESTED
        0x24, 0x00, 0x01, 0x80, //     nla_len = 36, attribute 1 | NLA_F_NESTED
        0x0c, 0x00, 0x04, 0x00, //       nla_len = 12, NL_POLICY_TYPE_ATTR_MIN_VALUE_U
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0
        0x0c, 0x00, 0x05, 0x00, //       nla_len = 12, NL_POLICY_TYPE_ATTR_MAX_VALUE_U
        0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 65535
        0x08, 0x00, 0x01, 0x00, //       nla_len = 8, NL_POLICY_TYPE_ATTR_TYPE
        0x03, 0x00, 0x00, 0x00, //       NL_ATTR_TYPE_U16
    ];

    /// Fourth message: policy 0, attribute 2 (FAMILY_NAME) is a NUL-string of at most 15.
    #[rustfmt::skip]
    static POLICY_ATTR_NAME: [u8; 56] = [
        0x38, 0x00, 0x00, 0x00, // nlmsg_len = 56
        0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
        0x9d, 0x23, 0x00, 0x00, // nlmsg_pid = 9117
        0x0a, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETPOLICY, version 2
        0x06, 0x00, 0x01, 0x00, // nla_len = 6, CTRL_ATTR_FAMILY_ID
        0x10, 0x00, 0x00, 0x00, // 0x10 + 2 padding
        0x1c, 0x00, 0x08, 0x80, // nla_len = 28, CTRL_ATTR_POLICY | NLA_F_NESTED
        0x18, 0x00, 0x00, 0x80, //   nla_len = 24, policy 0 | NLA_F_NESTED
        0x14, 0x00, 0x02, 0x80, //     nla_len = 20, attribute 2 | NLA_F_NESTED
        0x08, 0x00, 0x07, 0x00, //       nla_len = 8, NL_POLICY_TYPE_ATTR_MAX_LENGTH
        0x0f, 0x00, 0x00, 0x00, //       15
        0x08, 0x00, 0x01, 0x00, //       nla_len = 8, NL_POLICY_TYPE_ATTR_TYPE
        0x0c, 0x00, 0x00, 0x00, //       NL_ATTR_TYPE_NUL_STRING
    ];

    /// Hand-built: a policy dump message with only the family id.
    #[rustfmt::skip]
    static POLICY_EMPTY: [u8; 28] = [
        0x1c, 0x00, 0x00, 0x00, // nlmsg_len = 28
        0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x0a, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETPOLICY, version 2
        0x06, 0x00, 0x01, 0x00, // nla_len = 6, CTRL_ATTR_FAMILY_ID
        0x1c, 0x00, 0x00, 0x00, // 0x1c + 2 padding
    ];

    fn family(bytes: &[u8]) -> Result<Family<'_>, Error> {
        Family::parse(&Message::parse(bytes)?)
    }

    fn policy(bytes: &[u8]) -> Result<PolicyReply<'_>, Error> {
        PolicyReply::parse(&Message::parse(bytes)?)
    }

    /// `bytes` with `extra` appended and `nlmsg_len` updated.
    fn with(bytes: &[u8], extra: &[u8]) -> Vec<u8> {
        let mut out = Vec::from(bytes);
        out.extend_from_slice(extra);
        let len = u32::try_from(out.len()).unwrap();
        out[..4].copy_from_slice(&len.to_ne_bytes());
        out
    }

    #[test]
    fn get_family_by_name_request() {
        let mut buf = [0xa5u8; 40];
        let request = get_family_by_name(&mut buf, 1, "nlctrl").unwrap();
        #[rustfmt::skip]
        let want: [u8; 32] = [
            0x20, 0x00, 0x00, 0x00, // nlmsg_len = 32
            0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x03, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETFAMILY, version 2
            0x0b, 0x00, 0x02, 0x00, // nla_len = 11, CTRL_ATTR_FAMILY_NAME
            b'n', b'l', b'c', b't', b'r', b'l', 0x00, 0x00, // "nlctrl\0" + 1 padding
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[32..], &[0xa5; 8]);
    }

    #[test]
    fn get_family_by_id_request() {
        let mut buf = [0xa5u8; 32];
        let request = get_family_by_id(&mut buf, 2, 0x1c).unwrap();
        #[rustfmt::skip]
        let want: [u8; 28] = [
            0x1c, 0x00, 0x00, 0x00, // nlmsg_len = 28
            0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
            0x01, 0x00,             // nlmsg_flags = NLM_F_REQUEST
            0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x03, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETFAMILY, version 2
            0x06, 0x00, 0x01, 0x00, // nla_len = 6, CTRL_ATTR_FAMILY_ID
            0x1c, 0x00, 0x00, 0x00, // 0x1c + 2 padding
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[28..], &[0xa5; 4]);
    }

    #[test]
    fn dump_families_request() {
        let mut buf = [0xa5u8; 24];
        let request = dump_families(&mut buf, 4).unwrap();
        #[rustfmt::skip]
        let want: [u8; 20] = [
            0x14, 0x00, 0x00, 0x00, // nlmsg_len = 20
            0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
            0x01, 0x03,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
            0x04, 0x00, 0x00, 0x00, // nlmsg_seq = 4
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x03, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETFAMILY, version 2
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[20..], &[0xa5; 4]);
    }

    #[test]
    fn dump_policy_requests() {
        let mut buf = [0xa5u8; 40];
        let request = dump_policy(&mut buf, 5, FamilyRef::Name("nlctrl"), None).unwrap();
        #[rustfmt::skip]
        let want: [u8; 32] = [
            0x20, 0x00, 0x00, 0x00, // nlmsg_len = 32
            0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
            0x01, 0x03,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
            0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x0a, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETPOLICY, version 2
            0x0b, 0x00, 0x02, 0x00, // nla_len = 11, CTRL_ATTR_FAMILY_NAME
            b'n', b'l', b'c', b't', b'r', b'l', 0x00, 0x00, // "nlctrl\0" + 1 padding
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[32..], &[0xa5; 8]);

        let mut buf = [0xa5u8; 40];
        let request = dump_policy(&mut buf, 6, FamilyRef::Id(0x1c), Some(1)).unwrap();
        #[rustfmt::skip]
        let want: [u8; 36] = [
            0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
            0x10, 0x00,             // nlmsg_type = GENL_ID_CTRL
            0x01, 0x03,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
            0x06, 0x00, 0x00, 0x00, // nlmsg_seq = 6
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x0a, 0x02, 0x00, 0x00, // genlmsghdr: CTRL_CMD_GETPOLICY, version 2
            0x06, 0x00, 0x01, 0x00, // nla_len = 6, CTRL_ATTR_FAMILY_ID
            0x1c, 0x00, 0x00, 0x00, // 0x1c + 2 padding
            0x08, 0x00, 0x0a, 0x00, // nla_len = 8, CTRL_ATTR_OP
            0x01, 0x00, 0x00, 0x00, // op 1
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[36..], &[0xa5; 4]);
    }

    #[test]
    fn requests_without_room_write_nothing_and_report_the_total() {
        type Build = fn(&mut [u8]) -> Result<&[u8], Error>;
        let builders: [(Build, usize); 5] = [
            (|b| get_family_by_name(b, 1, "nlctrl"), 32),
            (|b| get_family_by_id(b, 1, 0x1c), 28),
            (|b| dump_families(b, 1), 20),
            (|b| dump_policy(b, 1, FamilyRef::Name("mptcp_pm"), None), 36),
            (|b| dump_policy(b, 1, FamilyRef::Id(1), Some(1)), 36),
        ];
        for (build, total) in builders {
            let mut buf = std::vec![0xa5u8; total];
            assert_eq!(build(&mut buf).unwrap().len(), total);
            for cap in 0..total {
                let mut buf = std::vec![0xa5u8; cap];
                assert_eq!(
                    build(&mut buf).unwrap_err(),
                    Error::NoRoom { needed: total }
                );
                assert!(buf.iter().all(|&b| b == 0xa5), "{cap}: nothing written");
            }
        }
    }

    #[test]
    fn invalid_names_are_refused_before_anything_is_written() {
        let mut buf = [0xa5u8; 64];
        let too_long = "sixteen_chars_xx";
        assert_eq!(
            get_family_by_name(&mut buf, 1, too_long).unwrap_err(),
            Error::BadAttrLength { ty: 2, len: 17 }
        );
        assert_eq!(
            get_family_by_name(&mut buf, 1, "nl\0ctrl").unwrap_err(),
            Error::BadAttrLength { ty: 2, len: 8 },
            "an inner NUL would cut the name short"
        );
        assert_eq!(buf, [0xa5; 64]);
    }

    #[test]
    fn decode_the_nlctrl_family() {
        let msg = Message::parse(&NLCTRL).unwrap();
        assert_eq!(msg.ty(), GENL_ID_CTRL);
        let fam = Family::parse(&msg).unwrap();
        assert_eq!(fam.cmd, Cmd::NewFamily);
        assert_eq!(fam.id(), 0x10);
        assert_eq!(fam.name(), "nlctrl");
        assert_eq!(fam.version(), 2);
        assert_eq!(fam.hdrsize(), 0);
        assert_eq!(fam.maxattr(), 0);
        assert_eq!(fam.attrs.unknown(), 0);
        let ops: Vec<_> = fam.ops().map(Result::unwrap).collect();
        assert_eq!(
            ops,
            [
                Op {
                    id: 3,
                    flags: OpFlags(0x0e)
                },
                Op {
                    id: 10,
                    flags: OpFlags(0x0c)
                },
            ]
        );
        assert!(
            ops[0]
                .flags
                .contains(OpFlags::CMD_CAP_DO | OpFlags::CMD_CAP_HASPOL)
        );
        assert!(!ops[1].flags.contains(OpFlags::CMD_CAP_DO));
        let groups: Vec<_> = fam.mcast_groups().map(Result::unwrap).collect();
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].name, "notify");
        assert_eq!(groups[0].id, 0x10);
        assert_eq!(fam.mcast_group("notify"), Ok(Some(0x10)));
        assert_eq!(fam.mcast_group("config"), Ok(None));
        assert_eq!(fam.ops_vec::<2>().unwrap().len(), 2);
        assert_eq!(fam.ops_vec::<1>().unwrap_err(), Error::CapacityExceeded);
        assert_eq!(fam.mcast_groups_vec::<1>().unwrap()[0].id, 0x10);
        assert_eq!(
            fam.mcast_groups_vec::<0>().unwrap_err(),
            Error::CapacityExceeded
        );
    }

    #[test]
    fn family_display_reads_like_genl_ctrl_list() {
        let fam = family(&NLCTRL).unwrap();
        assert_eq!(
            format!("{fam}"),
            "Name: nlctrl\n\
             \tID: 0x10  Version: 0x2  header size: 0  max attribs: 0\n\
             \tcommands supported:\n\
             \t\t#1:  ID-0x3  flags: cmd-cap-do,cmd-cap-dump,cmd-cap-haspol\n\
             \t\t#2:  ID-0xa  flags: cmd-cap-dump,cmd-cap-haspol\n\
             \tmulticast groups:\n\
             \t\t#1:  ID-0x10  name: notify"
        );
        // Without ops and groups (the first 64 bytes: up to MAXATTR).
        let bare = with(&NLCTRL[..64], &[]);
        assert_eq!(
            format!("{}", family(&bare).unwrap()),
            "Name: nlctrl\n\tID: 0x10  Version: 0x2  header size: 0  max attribs: 0"
        );
    }

    #[test]
    fn family_display_shows_bad_elements() {
        // OPS with one good op and one whose OP_ID is 2 bytes.
        #[rustfmt::skip]
        let ops = [
            0x1c, 0x00, 0x06, 0x00, // nla_len = 28, CTRL_ATTR_OPS
            0x0c, 0x00, 0x01, 0x00, //   nla_len = 12, op #1
            0x08, 0x00, 0x01, 0x00, //     nla_len = 8, CTRL_ATTR_OP_ID
            0x01, 0x00, 0x00, 0x00, //     1
            0x0c, 0x00, 0x02, 0x00, //   nla_len = 12, op #2
            0x06, 0x00, 0x01, 0x00, //     nla_len = 6, CTRL_ATTR_OP_ID (2 bytes: bad)
            0x02, 0x00, 0x00, 0x00, //     2 + 2 padding
        ];
        let bytes = with(&NLCTRL[..64], &ops);
        let fam = family(&bytes).unwrap();
        assert_eq!(fam.ops().filter(Result::is_err).count(), 1);
        assert_eq!(
            fam.ops_vec::<4>().unwrap_err(),
            Error::BadAttrLength { ty: 1, len: 2 }
        );
        assert!(format!("{fam}").ends_with(
            "\t\t#1:  ID-0x1  flags: \n\
             \t\t<error: attribute length does not fit its kind (type 1, length 2)>"
        ));
    }

    #[test]
    fn family_parse_errors() {
        let mut other = NLCTRL;
        other[4] = 0x11; // nlmsg_type = 0x11: not nlctrl
        assert_eq!(
            family(&other).unwrap_err(),
            Error::UnexpectedType { ty: 0x11 }
        );
        let short = with(&NLCTRL[..18], &[]); // half a genlmsghdr
        assert_eq!(family(&short).unwrap_err(), Error::Truncated);
        let mut bad = NLCTRL;
        bad[32] = 0x05; // FAMILY_ID nla_len = 5: one byte
        assert_eq!(
            family(&bad).unwrap_err(),
            Error::BadAttrLength { ty: 1, len: 1 }
        );
        let mut long_name = NLCTRL;
        long_name[26] = b'x'; // "nlxtrl": still fine
        assert_eq!(family(&long_name).unwrap().name(), "nlxtrl");
    }

    #[test]
    fn family_without_attributes_has_defaults() {
        let bytes = with(&NLCTRL[..20], &[]);
        let fam = family(&bytes).unwrap();
        assert_eq!(fam.id(), 0);
        assert_eq!(fam.name(), "");
        assert_eq!(fam.version(), 0);
        assert_eq!(fam.ops().count(), 0);
        assert_eq!(fam.mcast_groups().count(), 0);
        assert_eq!(fam.mcast_group("notify"), Ok(None));
        let mut del = bytes.clone();
        del[16] = 2; // CTRL_CMD_DELFAMILY
        assert_eq!(family(&del).unwrap().cmd, Cmd::DelFamily);
    }

    #[test]
    fn every_cut_of_the_family_is_an_error_or_fewer_attributes() {
        for n in 16..NLCTRL.len() {
            let bytes = with(&NLCTRL[..n], &[]);
            match family(&bytes) {
                Ok(fam) => {
                    assert!(n >= 20);
                    // What was parsed is what the whole message says.
                    if fam.attrs.has(CtrlAttrs::FAMILY_ID) {
                        assert_eq!(fam.id(), 0x10);
                    }
                    assert!(fam.attrs.iter().count() <= 7);
                    let _ = format!("{fam}");
                }
                Err(e) => assert_eq!(e, Error::Truncated, "{n}"),
            }
        }
        // Trailing bytes after nlmsg_len are not the family's.
        let mut long = Vec::from(&NLCTRL[..]);
        long.extend_from_slice(&[0xa5; 6]);
        assert_eq!(family(&long).unwrap().attrs.bytes(), &NLCTRL[20..]);
    }

    #[test]
    fn policy_reply_for_an_op() {
        match policy(&POLICY_OP).unwrap() {
            PolicyReply::Op {
                family,
                op,
                do_policy,
                dump_policy,
            } => assert_eq!(
                (family, op, do_policy, dump_policy),
                (0x10, 3, Some(0), Some(0))
            ),
            other => panic!("{other:?}"),
        }
        match policy(&POLICY_OP_DUMP_ONLY).unwrap() {
            PolicyReply::Op {
                family,
                op,
                do_policy,
                dump_policy,
            } => assert_eq!(
                (family, op, do_policy, dump_policy),
                (0x10, 0, None, Some(1))
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn policy_reply_for_an_attribute() {
        use crate::policy::PolicyAttrs;
        match policy(&POLICY_ATTR_U16).unwrap() {
            PolicyReply::Attr {
                family,
                policy,
                attr,
                info,
            } => {
                assert_eq!((family, policy, attr), (0x10, 0, 1));
                let kind = AttrKindCode::from(info.get(PolicyAttrs::TYPE).unwrap());
                assert_eq!(kind, AttrKindCode::U16);
                assert_eq!(info.get(PolicyAttrs::MIN_VALUE_U), Some(0));
                assert_eq!(info.get(PolicyAttrs::MAX_VALUE_U), Some(0xffff));
            }
            other => panic!("{other:?}"),
        }
        match policy(&POLICY_ATTR_NAME).unwrap() {
            PolicyReply::Attr {
                policy, attr, info, ..
            } => {
                assert_eq!((policy, attr), (0, 2));
                let kind = AttrKindCode::from(info.get(PolicyAttrs::TYPE).unwrap());
                assert_eq!(kind, AttrKindCode::NulString);
                assert_eq!(info.get(PolicyAttrs::MAX_LENGTH), Some(15));
                assert_eq!(info.get(PolicyAttrs::MIN_VALUE_U), None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn policy_reply_empty() {
        assert!(matches!(
            policy(&POLICY_EMPTY).unwrap(),
            PolicyReply::Empty { family: 0x1c }
        ));
        // An empty OP_POLICY array, an empty POLICY array, an empty policy.
        for extra in [
            &[0x04, 0x00, 0x09, 0x80][..], // nla_len = 4, CTRL_ATTR_OP_POLICY | NESTED
            &[0x04, 0x00, 0x08, 0x80],     // nla_len = 4, CTRL_ATTR_POLICY | NESTED
            &[0x08, 0x00, 0x08, 0x80, 0x04, 0x00, 0x00, 0x80], // POLICY { policy 0 {} }
        ] {
            let bytes = with(&POLICY_EMPTY, extra);
            assert!(
                matches!(policy(&bytes).unwrap(), PolicyReply::Empty { family: 0x1c }),
                "{extra:?}"
            );
        }
    }

    #[test]
    fn policy_reply_errors() {
        // An attribute policy whose TYPE is 2 bytes.
        #[rustfmt::skip]
        let bad_type = [
            0x14, 0x00, 0x08, 0x80, // nla_len = 20, CTRL_ATTR_POLICY
            0x10, 0x00, 0x00, 0x80, //   nla_len = 16, policy 0
            0x0c, 0x00, 0x01, 0x80, //     nla_len = 12, attribute 1
            0x06, 0x00, 0x01, 0x00, //       nla_len = 6, NL_POLICY_TYPE_ATTR_TYPE (2 bytes: bad)
            0x03, 0x00, 0x00, 0x00, //       3 + 2 padding
        ];
        assert_eq!(
            policy(&with(&POLICY_EMPTY, &bad_type)).unwrap_err(),
            Error::BadAttrLength { ty: 1, len: 2 }
        );
        // An op entry whose DO is 1 byte.
        #[rustfmt::skip]
        let bad_op = [
            0x10, 0x00, 0x09, 0x80, // nla_len = 16, CTRL_ATTR_OP_POLICY
            0x0c, 0x00, 0x03, 0x80, //   nla_len = 12, op 3
            0x05, 0x00, 0x01, 0x00, //     nla_len = 5, CTRL_ATTR_POLICY_DO (1 byte: bad)
            0x00, 0x00, 0x00, 0x00, //     0 + 3 padding
        ];
        assert_eq!(
            policy(&with(&POLICY_EMPTY, &bad_op)).unwrap_err(),
            Error::BadAttrLength { ty: 1, len: 1 }
        );
        // A cut element header inside the array.
        let cut = [0x08, 0x00, 0x09, 0x80, 0x02, 0x00, 0x03, 0x80]; // element nla_len = 2
        assert_eq!(
            policy(&with(&POLICY_EMPTY, &cut)).unwrap_err(),
            Error::BadLength
        );
        let mut other = POLICY_EMPTY;
        other[4] = 0x20; // nlmsg_type = 0x20
        assert_eq!(
            policy(&other).unwrap_err(),
            Error::UnexpectedType { ty: 0x20 }
        );
    }

    #[test]
    fn commands_convert_both_ways() {
        for raw in 0..=u8::MAX {
            assert_eq!(u8::from(Cmd::from(raw)), raw);
        }
        assert_eq!(Cmd::from(1), Cmd::NewFamily);
        assert_eq!(Cmd::from(3), Cmd::GetFamily);
        assert_eq!(Cmd::from(7), Cmd::NewMcastGrp);
        assert_eq!(Cmd::from(10), Cmd::GetPolicy);
        assert_eq!(Cmd::from(0), Cmd::Unknown(0));
        assert_eq!(Cmd::from(11), Cmd::Unknown(11));
    }

    #[test]
    fn op_flags_text() {
        // linux/genetlink.h
        assert_eq!(OpFlags::ADMIN_PERM, 0x01);
        assert_eq!(OpFlags::CMD_CAP_DO, 0x02);
        assert_eq!(OpFlags::CMD_CAP_DUMP, 0x04);
        assert_eq!(OpFlags::CMD_CAP_HASPOL, 0x08);
        assert_eq!(OpFlags::UNS_ADMIN_PERM, 0x10);
        assert_eq!(format!("{}", OpFlags(0)), "");
        assert_eq!(
            format!("{}", OpFlags(0x1f)),
            "admin-perm,cmd-cap-do,cmd-cap-dump,cmd-cap-haspol,uns-admin-perm"
        );
        assert_eq!(format!("{}", OpFlags(0x20)), "0x20");
        assert_eq!(format!("{}", OpFlags(0x8000_0002)), "cmd-cap-do,0x80000000");
        assert_eq!(
            OpFlags(0x06).names().collect::<Vec<_>>(),
            ["cmd-cap-do", "cmd-cap-dump"]
        );
    }

    #[test]
    fn constants() {
        assert_eq!(GENL_ID_CTRL, 0x10);
        assert_eq!(FAMILY_NAME_MAX, 16);
        assert!(matches!(
            <CtrlAttrs as crate::table::AttrSet>::table()
                .def(2)
                .unwrap()
                .kind,
            crate::table::Kind::NulStr { max: 15 }
        ));
    }
}
