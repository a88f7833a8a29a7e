//! The requests of `ovs_vport`, their layouts, and what nl-core declares
//! about them for the policy check.
//!
//! ```text
//! nlmsghdr: type = family id (runtime), flags = NLM_F_REQUEST [| NLM_F_DUMP]
//! genlmsghdr: cmd, version 1 | ovs_header: dp_ifindex
//!   new   name, type, upcall-pid, [port-no], [ifindex], [options]
//!   del   name, or port-no
//!   get   name, or port-no; with NLM_F_DUMP: nothing (dp_ifindex says which datapath)
//!   set   [name or port-no], [type], [upcall-pid], [options]
//! ```
//!
//! Every builder writes the whole message into `buf` or nothing, and
//! returns it. Only `NLM_F_REQUEST` is set (and `NLM_F_DUMP` for
//! [`dump`]); the transport adds `NLM_F_ACK`. `family` is the id nlctrl
//! resolved for [`VPORT_FAMILY`](crate::ovs::header::VPORT_FAMILY).

use super::{VportAttrs, VportOptions, VportType};
use crate::genl::decl::{FamilyDecl, OpDecl};
use crate::nlmsg::{Flags, RequestLayout};
use crate::ovs::header::{self, Cmd, FIXED_LEN, Fixed, VPORT_VERSION};
use crate::table::AttrSet;
use crate::{Error, Writer};

/// Which port of a datapath a request is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum VportId<'a> {
    /// By port number.
    PortNo(u32),
    /// By name.
    Name(&'a str),
}

/// The attributes of a new or set request; each is written when set,
/// nothing else. The kernel needs `name`, `ty` and `upcall_pids` to
/// create one, and `options.dst_port` for VXLAN and Geneve.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct VportSpec<'a> {
    /// Port number (new: the kernel picks one when absent).
    pub port_no: Option<u32>,
    /// What the port is.
    pub ty: Option<VportType>,
    /// Name, at most 15 bytes.
    pub name: Option<&'a str>,
    /// Tunnel options.
    pub options: Option<VportOptions>,
    /// Upcall port ids (`[0]`: no upcalls).
    pub upcall_pids: Option<&'a [u32]>,
    /// Interface index of the netdev.
    pub ifindex: Option<u32>,
}

impl VportSpec<'_> {
    /// Bytes the attributes take; a value out of bounds (a name longer
    /// than 15 bytes) is [`Error::BadAttrLength`].
    pub fn attrs_len(&self) -> Result<usize, Error> {
        let mut n = 0;
        if let Some(port) = self.port_no {
            n += VportAttrs::PORT_NO.space(&port)?;
        }
        if let Some(ty) = self.ty {
            n += VportAttrs::TYPE.space(&ty.into())?;
        }
        if let Some(name) = self.name {
            n += VportAttrs::NAME.space(&name)?;
        }
        if let Some(options) = self.options {
            n += options.space()?;
        }
        if let Some(pids) = self.upcall_pids {
            n += VportAttrs::UPCALL_PID.space(&pids)?;
        }
        if let Some(ifindex) = self.ifindex {
            n += VportAttrs::IFINDEX.space(&ifindex)?;
        }
        Ok(n)
    }

    /// Appends the attributes that are set, in type order.
    pub fn put_attrs(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        if let Some(port) = self.port_no {
            w.put(VportAttrs::PORT_NO, port)?;
        }
        if let Some(ty) = self.ty {
            w.put(VportAttrs::TYPE, ty.into())?;
        }
        if let Some(name) = self.name {
            w.put(VportAttrs::NAME, name)?;
        }
        if let Some(options) = self.options {
            options.put(w)?;
        }
        if let Some(pids) = self.upcall_pids {
            w.put(VportAttrs::UPCALL_PID, pids)?;
        }
        if let Some(ifindex) = self.ifindex {
            w.put(VportAttrs::IFINDEX, ifindex)?;
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
    spec: &VportSpec<'_>,
) -> Result<&'b [u8], Error> {
    let fixed = Fixed::new(cmd, VPORT_VERSION, dp_ifindex);
    header::build(buf, family, flags, seq, fixed, spec.attrs_len()?, |w| {
        spec.put_attrs(w)
    })
}

fn id_spec(id: VportId<'_>) -> VportSpec<'_> {
    match id {
        VportId::PortNo(port) => VportSpec {
            port_no: Some(port),
            ..VportSpec::default()
        },
        VportId::Name(name) => VportSpec {
            name: Some(name),
            ..VportSpec::default()
        },
    }
}

/// Builds `new`: adds port `spec` to datapath `dp_ifindex`
/// (`ovs-dpctl add-if`). Without a name or a type it is
/// [`Error::MissingAttr`] and nothing is written.
pub fn new<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    dp_ifindex: i32,
    spec: &VportSpec<'_>,
) -> Result<&'b [u8], Error> {
    if spec.name.is_none() {
        return Err(Error::MissingAttr {
            ty: VportAttrs::NAME.ty(),
        });
    }
    if spec.ty.is_none() {
        return Err(Error::MissingAttr {
            ty: VportAttrs::TYPE.ty(),
        });
    }
    spec_request(buf, family, Flags::NONE, seq, Cmd::New, dp_ifindex, spec)
}

/// Builds `del`: removes port `id` from datapath `dp_ifindex`
/// (`ovs-dpctl del-if`).
pub fn del<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    dp_ifindex: i32,
    id: VportId<'_>,
) -> Result<&'b [u8], Error> {
    spec_request(
        buf,
        family,
        Flags::NONE,
        seq,
        Cmd::Del,
        dp_ifindex,
        &id_spec(id),
    )
}

/// Builds `get` of port `id` of datapath `dp_ifindex` (0 with a name:
/// any datapath).
pub fn get<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    dp_ifindex: i32,
    id: VportId<'_>,
) -> Result<&'b [u8], Error> {
    spec_request(
        buf,
        family,
        Flags::NONE,
        seq,
        Cmd::Get,
        dp_ifindex,
        &id_spec(id),
    )
}

/// Builds a `get` dump of every port of datapath `dp_ifindex` (`NLM_F_DUMP`).
pub fn dump(buf: &mut [u8], family: u16, seq: u32, dp_ifindex: i32) -> Result<&[u8], Error> {
    let spec = VportSpec::default();
    spec_request(buf, family, Flags::DUMP, seq, Cmd::Get, dp_ifindex, &spec)
}

/// Builds `set`: changes the port `spec.name` (or `spec.port_no`) of
/// datapath `dp_ifindex` (`ovs-dpctl set-if`): its options, upcall ids.
pub fn set<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    dp_ifindex: i32,
    spec: &VportSpec<'_>,
) -> Result<&'b [u8], Error> {
    spec_request(buf, family, Flags::NONE, seq, Cmd::Set, dp_ifindex, spec)
}

/// Where a request's attributes start (after `genlmsghdr` and
/// `ovs_header`) and which set they are. Every command uses [`VportAttrs`].
pub fn layout() -> RequestLayout {
    RequestLayout {
        header_len: FIXED_LEN,
        attrs: VportAttrs::table(),
    }
}

const PORT_NO: u16 = VportAttrs::PORT_NO.ty();
const TYPE: u16 = VportAttrs::TYPE.ty();
const NAME: u16 = VportAttrs::NAME.ty();
const OPTIONS: u16 = VportAttrs::OPTIONS.ty();
const UPCALL_PID: u16 = VportAttrs::UPCALL_PID.ty();
const IFINDEX: u16 = VportAttrs::IFINDEX.ty();

/// `ovs_vport` as nl-core declares it: the commands of
/// `linux/openvswitch.h` (the spec lacks `set`) and the attributes our
/// requests carry, all in the family's one policy (`vport_policy`).
/// Not checked against a kernel: this one has no openvswitch module.
pub static FAMILY: FamilyDecl = FamilyDecl {
    name: header::VPORT_FAMILY,
    ops: &[
        OpDecl {
            cmd: 1,
            name: "new",
            attrs: VportAttrs::table,
            do_request: Some(&[PORT_NO, TYPE, NAME, OPTIONS, UPCALL_PID, IFINDEX]),
            dump_request: None,
        },
        OpDecl {
            cmd: 2,
            name: "del",
            attrs: VportAttrs::table,
            do_request: Some(&[PORT_NO, TYPE, NAME]),
            dump_request: None,
        },
        OpDecl {
            cmd: 3,
            name: "get",
            attrs: VportAttrs::table,
            do_request: Some(&[PORT_NO, NAME]),
            dump_request: Some(&[]),
        },
        OpDecl {
            cmd: 4,
            name: "set",
            attrs: VportAttrs::table,
            do_request: Some(&[PORT_NO, TYPE, NAME, OPTIONS, UPCALL_PID]),
            dump_request: None,
        },
    ],
};
