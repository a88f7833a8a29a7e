//! Generic netlink family resolution through nlctrl, with a per-name cache.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use nl_core::genl::ctrl::{self, CtrlAttrs, Family, Op};
use nl_core::nlmsg::{Message, RequestLayout};
use nl_core::table::AttrSet;

use crate::error::Error;
use crate::socket::{Protocol, Socket};

/// Room for an nlctrl request: headers and a family name of at most 15 bytes.
const REQUEST_LEN: usize = 64;

/// The request layout of every nlctrl request: `genlmsghdr`, then [`CtrlAttrs`].
pub fn ctrl_layout() -> RequestLayout {
    RequestLayout {
        header_len: nl_core::genl::GenlHeader::LEN,
        attrs: CtrlAttrs::table(),
    }
}

/// A generic netlink family as nlctrl describes it, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenlFamily {
    /// Family name.
    pub name: String,
    /// Family id: the `nlmsg_type` of its messages.
    pub id: u16,
    /// Interface version.
    pub version: u32,
    /// Size of the family's own header after `genlmsghdr`.
    pub hdrsize: u32,
    /// Highest attribute type (0 for families with per-operation policies).
    pub maxattr: u32,
    /// Operations, in the kernel's order.
    pub ops: Vec<Op>,
    /// Multicast groups, in the kernel's order.
    pub groups: Vec<GenlGroup>,
}

/// One multicast group of a family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenlGroup {
    /// Group name.
    pub name: String,
    /// Group id, for [`Socket::join_group`].
    pub id: u32,
}

impl GenlFamily {
    /// Decodes an nlctrl `CTRL_CMD_NEWFAMILY` message.
    pub fn parse(message: &Message<'_>) -> Result<Self, Error> {
        Self::from_family(&Family::parse(message)?)
    }

    /// Copies a decoded [`Family`] view.
    pub fn from_family(family: &Family<'_>) -> Result<Self, Error> {
        let ops = family.ops().collect::<Result<Vec<_>, _>>()?;
        let groups = family
            .mcast_groups()
            .map(|g| {
                g.map(|g| GenlGroup {
                    name: g.name.to_string(),
                    id: g.id,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(GenlFamily {
            name: family.name().to_string(),
            id: family.id(),
            version: family.version(),
            hdrsize: family.hdrsize(),
            maxattr: family.maxattr(),
            ops,
            groups,
        })
    }

    /// The id of multicast group `name`, if the family has it.
    pub fn group(&self, name: &str) -> Option<u32> {
        self.groups.iter().find(|g| g.name == name).map(|g| g.id)
    }

    /// The operation with command number `cmd`, if the family has it.
    pub fn op(&self, cmd: u32) -> Option<&Op> {
        self.ops.iter().find(|op| op.id == cmd)
    }
}

/// A cache of resolved generic netlink families, by name.
///
/// Families are resolved on first use with `CTRL_CMD_GETFAMILY` on a
/// [`Protocol::Generic`] socket and kept. Ids are stable while the family
/// is registered; a family that a module unload removed and a reload added
/// back may get a new id: [`GenlFamilies::forget`] it after `ENOENT` or an
/// unexpected error from its family.
#[derive(Clone, Debug, Default)]
pub struct GenlFamilies {
    cache: HashMap<String, GenlFamily>,
}

impl GenlFamilies {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The family `name`, from the cache or asked of the kernel through
    /// `socket`. An unknown family is the kernel's error (`ENOENT`).
    pub fn resolve(&mut self, socket: &mut Socket, name: &str) -> Result<&GenlFamily, Error> {
        match self.cache.entry(name.to_owned()) {
            Entry::Occupied(cached) => Ok(cached.into_mut()),
            Entry::Vacant(slot) => Ok(slot.insert(get_family(socket, name)?)),
        }
    }

    /// The id of multicast group `group` of family `family`; `None` when the
    /// family exists but has no such group.
    pub fn resolve_group(
        &mut self,
        socket: &mut Socket,
        family: &str,
        group: &str,
    ) -> Result<Option<u32>, Error> {
        Ok(self.resolve(socket, family)?.group(group))
    }

    /// The cached family `name`, without asking the kernel.
    pub fn cached(&self, name: &str) -> Option<&GenlFamily> {
        self.cache.get(name)
    }

    /// Drops the cached family `name`; the next use resolves it again.
    pub fn forget(&mut self, name: &str) {
        self.cache.remove(name);
    }

    /// Dumps every registered family, refreshing the whole cache.
    pub fn refresh(&mut self, socket: &mut Socket) -> Result<Vec<GenlFamily>, Error> {
        let families = list_families(socket)?;
        self.cache = families
            .iter()
            .map(|f| (f.name.clone(), f.clone()))
            .collect();
        Ok(families)
    }
}

/// Asks nlctrl for family `name` (`CTRL_CMD_GETFAMILY`, a do request).
pub fn get_family(socket: &mut Socket, name: &str) -> Result<GenlFamily, Error> {
    check_generic(socket)?;
    let mut buf = [0u8; REQUEST_LEN];
    let seq = socket.next_seq();
    let request = ctrl::get_family_by_name(&mut buf, seq, name)?;
    let mut found = None;
    socket.request_with(request, Some(ctrl_layout()), |m| {
        found = Some(GenlFamily::parse(&m)?);
        Ok::<(), Error>(())
    })?;
    found.ok_or(Error::MissingReply)
}

/// Dumps every registered family (`CTRL_CMD_GETFAMILY` with `NLM_F_DUMP`).
pub fn list_families(socket: &mut Socket) -> Result<Vec<GenlFamily>, Error> {
    check_generic(socket)?;
    let mut buf = [0u8; REQUEST_LEN];
    let seq = socket.next_seq();
    let request = ctrl::dump_families(&mut buf, seq)?;
    let mut families = Vec::new();
    socket.try_dump(request, Some(ctrl_layout()), |m| {
        families.push(GenlFamily::parse(&m)?);
        Ok::<(), Error>(())
    })?;
    Ok(families)
}

/// Streams a family's attribute policies (`CTRL_CMD_GETPOLICY` dump) to
/// `f`, one [`ctrl::PolicyReply`] per message, restricted to operation `op`
/// when given.
pub fn dump_policy(
    socket: &mut Socket,
    family: &str,
    op: Option<u32>,
    mut f: impl FnMut(ctrl::PolicyReply<'_>),
) -> Result<crate::DumpSummary, Error> {
    check_generic(socket)?;
    let mut buf = [0u8; REQUEST_LEN];
    let seq = socket.next_seq();
    let request = ctrl::dump_policy(&mut buf, seq, ctrl::FamilyRef::Name(family), op)?;
    socket.try_dump(request, Some(ctrl_layout()), |m| {
        f(ctrl::PolicyReply::parse(&m)?);
        Ok::<(), Error>(())
    })
}

/// Generic netlink requests (nlctrl's, a family's) go on a
/// [`Protocol::Generic`] socket only.
pub(crate) fn check_generic(socket: &Socket) -> Result<(), Error> {
    if socket.protocol() == Protocol::Generic {
        Ok(())
    } else {
        Err(Error::InvalidRequest(
            "generic netlink requests need a Protocol::Generic socket",
        ))
    }
}
