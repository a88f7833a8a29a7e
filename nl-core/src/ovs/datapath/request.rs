//! The requests of `ovs_datapath`, their layouts, and what nl-core
//! declares about them for the policy check.
//!
//! ```text
//! nlmsghdr: type = family id (runtime), flags = NLM_F_REQUEST [| NLM_F_DUMP]
//! genlmsghdr: cmd, version 2 | ovs_header: dp_ifindex (0 when named)
//!   new   name, upcall-pid, [user-features], [masks-cache-size], [ifindex]
//!   del   name, or dp_ifindex
//!   get   name, or dp_ifindex; with NLM_F_DUMP: nothing
//!   set   [user-features], [masks-cache-size], [per-cpu-pids]...
//! ```
//!
//! Every builder writes the whole message into `buf` or nothing, and
//! returns it. Only `NLM_F_REQUEST` is set (and `NLM_F_DUMP` for
//! [`dump`]); the transport adds `NLM_F_ACK`. `family` is the id nlctrl
//! resolved for [`DATAPATH_FAMILY`](crate::ovs::header::DATAPATH_FAMILY).

use super::{DatapathAttrs, UserFeatures};
use crate::genl::decl::{FamilyDecl, OpDecl};
use crate::nlmsg::{Flags, RequestLayout};
use crate::ovs::header::{self, Cmd, DATAPATH_VERSION, FIXED_LEN, Fixed};
use crate::table::AttrSet;
use crate::{Error, Writer};

/// Which datapath a request is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DatapathId<'a> {
    /// By its local port's ifindex (`ovs_header.dp_ifindex`).
    Ifindex(i32),
    /// By name (`dp_ifindex` 0 and the `name` attribute).
    Name(&'a str),
}

impl DatapathId<'_> {
    fn dp_ifindex(&self) -> i32 {
        match self {
            DatapathId::Ifindex(ifindex) => *ifindex,
            DatapathId::Name(_) => 0,
        }
    }

    fn name(&self) -> Option<&str> {
        match self {
            DatapathId::Ifindex(_) => None,
            DatapathId::Name(name) => Some(name),
        }
    }
}

/// The attributes of a new or set request; each is written when set,
/// nothing else. The kernel needs `name` and `upcall_pid` to create one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DatapathSpec<'a> {
    /// Name, at most 15 bytes.
    pub name: Option<&'a str>,
    /// Upcall port id of the local port (0: no upcalls).
    pub upcall_pid: Option<u32>,
    /// Features asked for.
    pub user_features: Option<UserFeatures>,
    /// Entries of the per-CPU mask cache.
    pub masks_cache_size: Option<u32>,
    /// One upcall port id per CPU.
    pub per_cpu_pids: Option<&'a [u32]>,
    /// Interface index for the new netdev.
    pub ifindex: Option<u32>,
}

impl DatapathSpec<'_> {
    /// Bytes the attributes take; a value out of bounds (a name longer than
    /// 15 bytes) is [`Error::BadAttrLength`].
    pub fn attrs_len(&self) -> Result<usize, Error> {
        let mut n = 0;
        if let Some(name) = self.name {
            n += DatapathAttrs::NAME.space(&name)?;
        }
        if let Some(pid) = self.upcall_pid {
            n += DatapathAttrs::UPCALL_PID.space(&pid)?;
        }
        if let Some(features) = self.user_features {
            n += DatapathAttrs::USER_FEATURES.space(&features.0)?;
        }
        if let Some(size) = self.masks_cache_size {
            n += DatapathAttrs::MASKS_CACHE_SIZE.space(&size)?;
        }
        if let Some(pids) = self.per_cpu_pids {
            n += DatapathAttrs::PER_CPU_PIDS.space(&pids)?;
        }
        if let Some(ifindex) = self.ifindex {
            n += DatapathAttrs::IFINDEX.space(&ifindex)?;
        }
        Ok(n)
    }

    /// Appends the attributes that are set, in type order.
    pub fn put_attrs(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        if let Some(name) = self.name {
            w.put(DatapathAttrs::NAME, name)?;
        }
        if let Some(pid) = self.upcall_pid {
            w.put(DatapathAttrs::UPCALL_PID, pid)?;
        }
        if let Some(features) = self.user_features {
            w.put(DatapathAttrs::USER_FEATURES, features.0)?;
        }
        if let Some(size) = self.masks_cache_size {
            w.put(DatapathAttrs::MASKS_CACHE_SIZE, size)?;
        }
        if let Some(pids) = self.per_cpu_pids {
            w.put(DatapathAttrs::PER_CPU_PIDS, pids)?;
        }
        if let Some(ifindex) = self.ifindex {
            w.put(DatapathAttrs::IFINDEX, ifindex)?;
        }
        Ok(())
    }
}

fn spec_request<'b>(
    buf: &'b mut [u8],
    family: u16,
    flags: Flags,
    seq: u32,
    cmd: Cmd,
    dp_ifindex: i32,
    spec: &DatapathSpec<'_>,
) -> Result<&'b [u8], Error> {
    let fixed = Fixed::new(cmd, DATAPATH_VERSION, dp_ifindex);
    header::build(buf, family, flags, seq, fixed, spec.attrs_len()?, |w| {
        spec.put_attrs(w)
    })
}

fn id_request<'b>(
    buf: &'b mut [u8],
    family: u16,
    flags: Flags,
    seq: u32,
    cmd: Cmd,
    id: DatapathId<'_>,
) -> Result<&'b [u8], Error> {
    let spec = DatapathSpec {
        name: id.name(),
        ..DatapathSpec::default()
    };
    spec_request(buf, family, flags, seq, cmd, id.dp_ifindex(), &spec)
}

/// Builds `new`: creates datapath `spec.name` (`ovs-dpctl add-dp`).
/// Without a name it is [`Error::MissingAttr`] and nothing is written.
pub fn new<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    spec: &DatapathSpec<'_>,
) -> Result<&'b [u8], Error> {
    if spec.name.is_none() {
        return Err(Error::MissingAttr {
            ty: DatapathAttrs::NAME.ty(),
        });
    }
    spec_request(buf, family, Flags::NONE, seq, Cmd::New, 0, spec)
}

/// Builds `del`: deletes datapath `id` (`ovs-dpctl del-dp`).
pub fn del<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    id: DatapathId<'_>,
) -> Result<&'b [u8], Error> {
    id_request(buf, family, Flags::NONE, seq, Cmd::Del, id)
}

/// Builds `get` of datapath `id`.
pub fn get<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    id: DatapathId<'_>,
) -> Result<&'b [u8], Error> {
    id_request(buf, family, Flags::NONE, seq, Cmd::Get, id)
}

/// Builds a `get` dump of every datapath (`NLM_F_DUMP`, no attributes).
pub fn dump(buf: &mut [u8], family: u16, seq: u32) -> Result<&[u8], Error> {
    let spec = DatapathSpec::default();
    spec_request(buf, family, Flags::DUMP, seq, Cmd::Get, 0, &spec)
}

/// Builds `set`: changes datapath `dp_ifindex` (or the one `spec.name`
/// names, with `dp_ifindex` 0) to what `spec` sets.
pub fn set<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    dp_ifindex: i32,
    spec: &DatapathSpec<'_>,
) -> Result<&'b [u8], Error> {
    spec_request(buf, family, Flags::NONE, seq, Cmd::Set, dp_ifindex, spec)
}

/// Where a request's attributes start (after `genlmsghdr` and
/// `ovs_header`) and which set they are, so a kernel error's offset names
/// its attribute. Every command uses [`DatapathAttrs`].
pub fn layout() -> RequestLayout {
    RequestLayout {
        header_len: FIXED_LEN,
        attrs: DatapathAttrs::table(),
    }
}

const NAME: u16 = DatapathAttrs::NAME.ty();
const UPCALL_PID: u16 = DatapathAttrs::UPCALL_PID.ty();
const USER_FEATURES: u16 = DatapathAttrs::USER_FEATURES.ty();
const MASKS_CACHE_SIZE: u16 = DatapathAttrs::MASKS_CACHE_SIZE.ty();
const IFINDEX: u16 = DatapathAttrs::IFINDEX.ty();

/// `ovs_datapath` as nl-core declares it: the commands of
/// `linux/openvswitch.h` (the spec lacks `set`) and the attributes our
/// requests carry, all in the family's one policy (`datapath_policy`).
/// Not checked against a kernel: this one has no openvswitch module.
pub static FAMILY: FamilyDecl = FamilyDecl {
    name: header::DATAPATH_FAMILY,
    ops: &[
        OpDecl {
            cmd: 1,
            name: "new",
            attrs: DatapathAttrs::table,
            do_request: Some(&[NAME, UPCALL_PID, USER_FEATURES, MASKS_CACHE_SIZE, IFINDEX]),
            dump_request: None,
        },
        OpDecl {
            cmd: 2,
            name: "del",
            attrs: DatapathAttrs::table,
            do_request: Some(&[NAME]),
            dump_request: None,
        },
        OpDecl {
            cmd: 3,
            name: "get",
            attrs: DatapathAttrs::table,
            do_request: Some(&[NAME]),
            dump_request: Some(&[]),
        },
        OpDecl {
            cmd: 4,
            name: "set",
            attrs: DatapathAttrs::table,
            do_request: Some(&[NAME, USER_FEATURES, MASKS_CACHE_SIZE]),
            dump_request: None,
        },
    ],
};
