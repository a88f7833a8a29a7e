//! nlctrl (`GENL_ID_CTRL`): resolving families by name or id, their
//! operations and multicast groups, and their attribute policies.
//!
//! Spec: `nlctrl.yaml`; header: `linux/genetlink.h`.

use core::fmt;

use super::{GenlHeader, split};
use crate::nlmsg::{Flags, Message};
use crate::policy::PolicyAttrs;
use crate::table::{Array, Index, Nest, NlStr, NulStr};
use crate::{Error, Writer};

/// nlctrl's fixed family id.
pub const GENL_ID_CTRL: u16 = 0x10;
/// The nlctrl interface version we speak.
pub const VERSION: u8 = 2;
/// Longest family name, NUL included (`GENL_NAMSIZ`).
pub const FAMILY_NAME_MAX: usize = 16;

/// `CTRL_CMD_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Cmd {
    /// `CTRL_CMD_NEWFAMILY`: a family reply or event.
    NewFamily,
    /// `CTRL_CMD_DELFAMILY`: a family went away (event).
    DelFamily,
    /// `CTRL_CMD_GETFAMILY`: ask for one family, or dump them all.
    GetFamily,
    /// `CTRL_CMD_NEWOPS`
    NewOps,
    /// `CTRL_CMD_DELOPS`
    DelOps,
    /// `CTRL_CMD_GETOPS`
    GetOps,
    /// `CTRL_CMD_NEWMCAST_GRP`: a group was added (event).
    NewMcastGrp,
    /// `CTRL_CMD_DELMCAST_GRP`: a group was removed (event).
    DelMcastGrp,
    /// `CTRL_CMD_GETMCAST_GRP` (unused by the kernel).
    GetMcastGrp,
    /// `CTRL_CMD_GETPOLICY`: dump a family's attribute policies.
    GetPolicy,
    /// A command this library does not know.
    Unknown(u8),
}

impl From<u8> for Cmd {
    fn from(raw: u8) -> Self {
        match raw {
            1 => Cmd::NewFamily,
            2 => Cmd::DelFamily,
            3 => Cmd::GetFamily,
            4 => Cmd::NewOps,
            5 => Cmd::DelOps,
            6 => Cmd::GetOps,
            7 => Cmd::NewMcastGrp,
            8 => Cmd::DelMcastGrp,
            9 => Cmd::GetMcastGrp,
            10 => Cmd::GetPolicy,
            other => Cmd::Unknown(other),
        }
    }
}

impl From<Cmd> for u8 {
    fn from(cmd: Cmd) -> u8 {
        match cmd {
            Cmd::NewFamily => 1,
            Cmd::DelFamily => 2,
            Cmd::GetFamily => 3,
            Cmd::NewOps => 4,
            Cmd::DelOps => 5,
            Cmd::GetOps => 6,
            Cmd::NewMcastGrp => 7,
            Cmd::DelMcastGrp => 8,
            Cmd::GetMcastGrp => 9,
            Cmd::GetPolicy => 10,
            Cmd::Unknown(raw) => raw,
        }
    }
}

/// `GENL_*` operation flags (`CTRL_ATTR_OP_FLAGS`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct OpFlags(pub u32);

impl OpFlags {
    /// `GENL_ADMIN_PERM`: needs CAP_NET_ADMIN.
    pub const ADMIN_PERM: u32 = 0x01;
    /// `GENL_CMD_CAP_DO`: has a do handler.
    pub const CMD_CAP_DO: u32 = 0x02;
    /// `GENL_CMD_CAP_DUMP`: has a dump handler.
    pub const CMD_CAP_DUMP: u32 = 0x04;
    /// `GENL_CMD_CAP_HASPOL`: has an attribute policy.
    pub const CMD_CAP_HASPOL: u32 = 0x08;
    /// `GENL_UNS_ADMIN_PERM`: needs CAP_NET_ADMIN in the user namespace.
    pub const UNS_ADMIN_PERM: u32 = 0x10;

    const NAMES: [(u32, &'static str); 5] = [
        (Self::ADMIN_PERM, "admin-perm"),
        (Self::CMD_CAP_DO, "cmd-cap-do"),
        (Self::CMD_CAP_DUMP, "cmd-cap-dump"),
        (Self::CMD_CAP_HASPOL, "cmd-cap-haspol"),
        (Self::UNS_ADMIN_PERM, "uns-admin-perm"),
    ];

    /// True when every bit of `bits` is set.
    pub fn contains(self, bits: u32) -> bool {
        self.0 & bits == bits
    }

    /// The names of the set bits, in bit order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES
            .into_iter()
            .filter(move |(bit, _)| self.0 & bit != 0)
            .map(|(_, n)| n)
    }
}

impl fmt::Display for OpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, name) in self.names().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(name)?;
        }
        let unknown = self.0 & !Self::NAMES.iter().fold(0, |acc, (bit, _)| acc | bit);
        if unknown != 0 {
            write!(
                f,
                "{}{unknown:#x}",
                if self.0 == unknown { "" } else { "," }
            )?;
        }
        Ok(())
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
        2 FLAGS "flags": u32;
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
    let mut w = Writer::new(buf);
    let start = w.begin_genl(GENL_ID_CTRL, Flags::NONE, seq, get_family_header())?;
    w.put(CtrlAttrs::FAMILY_NAME, name)?;
    w.end_message(start)?;
    Ok(w.into_bytes())
}

/// Builds `CTRL_CMD_GETFAMILY` for the family with id `id` into `buf`.
pub fn get_family_by_id(buf: &mut [u8], seq: u32, id: u16) -> Result<&[u8], Error> {
    let mut w = Writer::new(buf);
    let start = w.begin_genl(GENL_ID_CTRL, Flags::NONE, seq, get_family_header())?;
    w.put(CtrlAttrs::FAMILY_ID, id)?;
    w.end_message(start)?;
    Ok(w.into_bytes())
}

/// Builds a `CTRL_CMD_GETFAMILY` dump of every family into `buf`.
pub fn dump_families(buf: &mut [u8], seq: u32) -> Result<&[u8], Error> {
    let mut w = Writer::new(buf);
    let start = w.begin_genl(GENL_ID_CTRL, Flags::DUMP, seq, get_family_header())?;
    w.end_message(start)?;
    Ok(w.into_bytes())
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
    let mut w = Writer::new(buf);
    let header = GenlHeader::new(Cmd::GetPolicy.into(), VERSION);
    let start = w.begin_genl(GENL_ID_CTRL, Flags::DUMP, seq, header)?;
    match family {
        FamilyRef::Id(id) => w.put(CtrlAttrs::FAMILY_ID, id)?,
        FamilyRef::Name(name) => w.put(CtrlAttrs::FAMILY_NAME, name)?,
    }
    if let Some(op) = op {
        w.put(CtrlAttrs::OP, op)?;
    }
    w.end_message(start)?;
    Ok(w.into_bytes())
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
    pub fn id(&self) -> u16 {
        self.attrs.get(CtrlAttrs::FAMILY_ID).unwrap_or(0)
    }

    /// Family name (empty if the kernel left it out).
    pub fn name(&self) -> NlStr<'a> {
        self.attrs.get(CtrlAttrs::FAMILY_NAME).unwrap_or(NlStr(&[]))
    }

    /// Family version.
    pub fn version(&self) -> u32 {
        self.attrs.get(CtrlAttrs::VERSION).unwrap_or(0)
    }

    /// Size of the family's own header after `genlmsghdr`.
    pub fn hdrsize(&self) -> u32 {
        self.attrs.get(CtrlAttrs::HDRSIZE).unwrap_or(0)
    }

    /// Highest attribute type.
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
