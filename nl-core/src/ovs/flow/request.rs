//! The requests of `ovs_flow`, a writer that builds a whole flow message
//! in one call, the layout, and what nl-core declares for the policy check.
//!
//! ```text
//! nlmsghdr: type = family id (runtime), flags = NLM_F_REQUEST [| NLM_F_DUMP]
//! genlmsghdr: cmd, version 1 | ovs_header: dp_ifindex
//!   new   key, actions, [mask], [ufid], [ufid-flags], [probe]
//!   set   key or ufid, [actions], [mask], [clear], [probe]
//!   del   key or ufid (neither: every flow), [ufid-flags], [probe]
//!   get   key or ufid, [ufid-flags], [probe]; NLM_F_DUMP: [ufid-flags]
//! ```
//!
//! Two ways to build one:
//! - [`FlowSpec`] with the key, mask and actions already encoded (runs of
//!   attributes written with the key and action writers into scratch
//!   buffers): [`new`], [`set`], [`del`], [`get`], [`dump`] write the
//!   whole message into `buf` or nothing, as every nl-core builder does.
//! - [`append_flow`] with a closure: the key, mask and actions are written
//!   in place through a [`FlowWriter`], with no scratch buffer; any
//!   failure removes the whole message from the [`Writer`] (its length
//!   goes back to where the message began), so a batch of flows never
//!   holds half of one.
//!
//! Only `NLM_F_REQUEST` is set (and `NLM_F_DUMP` for [`dump`]); the
//! transport adds `NLM_F_ACK`. `family` is the id nlctrl resolved for
//! [`FLOW_FAMILY`](crate::ovs::header::FLOW_FAMILY).

use super::{ActionAttrs, FlowAttrs, FlowStats, KeyAttrs, UfidFlags};
use crate::genl::decl::{FamilyDecl, OpDecl};
use crate::nlmsg::{Flags, Header, RequestLayout};
use crate::ovs::header::{self, Cmd, FIXED_LEN, FLOW_VERSION, Fixed};
use crate::table::{AttrSet, Field, Nest};
use crate::{Error, Writer};

/// The attributes of a flow request, each written when set. `key`,
/// `mask` and `actions` are the *contents* of those nests: runs of
/// attributes already encoded (an empty `actions` run clears the actions
/// on set). `ufid` must be 1 to 16 bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FlowSpec<'a> {
    /// `OVS_KEY_ATTR_*` attributes of the key.
    pub key: Option<&'a [u8]>,
    /// `OVS_KEY_ATTR_*` attributes of the mask.
    pub mask: Option<&'a [u8]>,
    /// `OVS_ACTION_ATTR_*` attributes.
    pub actions: Option<&'a [u8]>,
    /// The unique flow id.
    pub ufid: Option<&'a [u8]>,
    /// What replies may omit.
    pub ufid_flags: Option<UfidFlags>,
    /// A feature probe.
    pub probe: bool,
    /// Clear the flow's counters (set).
    pub clear: bool,
}

/// Appends nest `field` holding the encoded run `content`
/// (`NLA_F_NESTED` set).
fn put_run<S: AttrSet>(
    w: &mut Writer<'_>,
    field: Field<FlowAttrs, Nest<S>>,
    content: &[u8],
) -> Result<(), Error> {
    w.attr(field.ty() | crate::attr::F_NESTED, content)
}

impl FlowSpec<'_> {
    /// Bytes the attributes take; a ufid outside 1..=16 bytes is
    /// [`Error::BadAttrLength`], a run too long for a nest [`Error::TooLong`].
    pub fn attrs_len(&self) -> Result<usize, Error> {
        let mut n = 0;
        if let Some(key) = self.key {
            n += crate::attr::space(key.len())?;
        }
        if let Some(actions) = self.actions {
            n += crate::attr::space(actions.len())?;
        }
        if self.clear {
            n += FlowAttrs::CLEAR.space(&())?;
        }
        if let Some(mask) = self.mask {
            n += crate::attr::space(mask.len())?;
        }
        if self.probe {
            n += FlowAttrs::PROBE.space(&())?;
        }
        if let Some(ufid) = self.ufid {
            n += FlowAttrs::UFID.space(&ufid)?;
        }
        if let Some(flags) = self.ufid_flags {
            n += FlowAttrs::UFID_FLAGS.space(&flags.0)?;
        }
        Ok(n)
    }

    /// Appends the attributes that are set, in type order.
    pub fn put_attrs(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        if let Some(key) = self.key {
            put_run(w, FlowAttrs::KEY, key)?;
        }
        if let Some(actions) = self.actions {
            put_run(w, FlowAttrs::ACTIONS, actions)?;
        }
        if self.clear {
            w.put(FlowAttrs::CLEAR, ())?;
        }
        if let Some(mask) = self.mask {
            put_run(w, FlowAttrs::MASK, mask)?;
        }
        if self.probe {
            w.put(FlowAttrs::PROBE, ())?;
        }
        if let Some(ufid) = self.ufid {
            w.put(FlowAttrs::UFID, ufid)?;
        }
        if let Some(flags) = self.ufid_flags {
            w.put(FlowAttrs::UFID_FLAGS, flags.0)?;
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
    spec: &FlowSpec<'_>,
) -> Result<&'b [u8], Error> {
    let fixed = Fixed::new(cmd, FLOW_VERSION, dp_ifindex);
    header::build(buf, family, flags, seq, fixed, spec.attrs_len()?, |w| {
        spec.put_attrs(w)
    })
}

/// Builds `new`: installs flow `spec` in datapath `dp_ifindex`
/// (`ovs-dpctl add-flow`). Without a key or actions it is
/// [`Error::MissingAttr`] and nothing is written.
pub fn new<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    dp_ifindex: i32,
    spec: &FlowSpec<'_>,
) -> Result<&'b [u8], Error> {
    if spec.key.is_none() {
        return Err(Error::MissingAttr {
            ty: FlowAttrs::KEY.ty(),
        });
    }
    if spec.actions.is_none() {
        return Err(Error::MissingAttr {
            ty: FlowAttrs::ACTIONS.ty(),
        });
    }
    spec_request(buf, family, Flags::NONE, seq, Cmd::New, dp_ifindex, spec)
}

/// Builds `set`: changes the flow `spec.key` (or `spec.ufid`) of datapath
/// `dp_ifindex` (`ovs-dpctl mod-flow`).
pub fn set<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    dp_ifindex: i32,
    spec: &FlowSpec<'_>,
) -> Result<&'b [u8], Error> {
    spec_request(buf, family, Flags::NONE, seq, Cmd::Set, dp_ifindex, spec)
}

/// Builds `del`: deletes the flow `spec.key` (or `spec.ufid`); with
/// neither, every flow of datapath `dp_ifindex` (`ovs-dpctl del-flows`).
pub fn del<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    dp_ifindex: i32,
    spec: &FlowSpec<'_>,
) -> Result<&'b [u8], Error> {
    spec_request(buf, family, Flags::NONE, seq, Cmd::Del, dp_ifindex, spec)
}

/// Builds `get` of the flow `spec.key` (or `spec.ufid`).
pub fn get<'b>(
    buf: &'b mut [u8],
    family: u16,
    seq: u32,
    dp_ifindex: i32,
    spec: &FlowSpec<'_>,
) -> Result<&'b [u8], Error> {
    spec_request(buf, family, Flags::NONE, seq, Cmd::Get, dp_ifindex, spec)
}

/// Builds a `get` dump of every flow of datapath `dp_ifindex`
/// (`NLM_F_DUMP`), with `ufid_flags` if given (`ovs-dpctl dump-flows`).
pub fn dump(
    buf: &mut [u8],
    family: u16,
    seq: u32,
    dp_ifindex: i32,
    ufid_flags: Option<UfidFlags>,
) -> Result<&[u8], Error> {
    let spec = FlowSpec {
        ufid_flags,
        ..FlowSpec::default()
    };
    spec_request(buf, family, Flags::DUMP, seq, Cmd::Get, dp_ifindex, &spec)
}

/// Writes the attributes of one flow message in place; see [`append_flow`].
#[derive(Debug)]
pub struct FlowWriter<'w, 'b> {
    w: &'w mut Writer<'b>,
}

impl<'b> FlowWriter<'_, 'b> {
    /// Writes nest `field` with what `body` appends; on failure the nest
    /// is removed (and the whole message with it, by [`append_flow`]).
    fn nest<S: AttrSet>(
        &mut self,
        field: Field<FlowAttrs, Nest<S>>,
        body: impl FnOnce(&mut Writer<'b>) -> Result<(), Error>,
    ) -> Result<&mut Self, Error> {
        self.w.nest_with(field, body)?;
        Ok(self)
    }

    /// The key: `body` appends `OVS_KEY_ATTR_*` attributes.
    pub fn key(
        &mut self,
        body: impl FnOnce(&mut Writer<'b>) -> Result<(), Error>,
    ) -> Result<&mut Self, Error> {
        self.nest::<KeyAttrs>(FlowAttrs::KEY, body)
    }

    /// The mask: `body` appends `OVS_KEY_ATTR_*` attributes.
    pub fn mask(
        &mut self,
        body: impl FnOnce(&mut Writer<'b>) -> Result<(), Error>,
    ) -> Result<&mut Self, Error> {
        self.nest::<KeyAttrs>(FlowAttrs::MASK, body)
    }

    /// The actions: `body` appends `OVS_ACTION_ATTR_*` attributes.
    pub fn actions(
        &mut self,
        body: impl FnOnce(&mut Writer<'b>) -> Result<(), Error>,
    ) -> Result<&mut Self, Error> {
        self.nest::<ActionAttrs>(FlowAttrs::ACTIONS, body)
    }

    /// The unique flow id (1 to 16 bytes).
    pub fn ufid(&mut self, ufid: &[u8]) -> Result<&mut Self, Error> {
        self.w.put(FlowAttrs::UFID, ufid)?;
        Ok(self)
    }

    /// What replies may omit.
    pub fn ufid_flags(&mut self, flags: UfidFlags) -> Result<&mut Self, Error> {
        self.w.put(FlowAttrs::UFID_FLAGS, flags.0)?;
        Ok(self)
    }

    /// Marks a feature probe.
    pub fn probe(&mut self) -> Result<&mut Self, Error> {
        self.w.put(FlowAttrs::PROBE, ())?;
        Ok(self)
    }

    /// Asks to clear counters, used and TCP flags (set).
    pub fn clear(&mut self) -> Result<&mut Self, Error> {
        self.w.put(FlowAttrs::CLEAR, ())?;
        Ok(self)
    }

    /// Counters (what replies carry).
    pub fn stats(&mut self, stats: &FlowStats) -> Result<&mut Self, Error> {
        self.w.put(FlowAttrs::STATS, stats)?;
        Ok(self)
    }

    /// TCP flags seen (what replies carry).
    pub fn tcp_flags(&mut self, flags: u8) -> Result<&mut Self, Error> {
        self.w.put(FlowAttrs::TCP_FLAGS, flags)?;
        Ok(self)
    }

    /// Last use, ms (what replies carry).
    pub fn used(&mut self, used: u64) -> Result<&mut Self, Error> {
        self.w.put(FlowAttrs::USED, used)?;
        Ok(self)
    }

    /// The underlying writer, for any other attribute.
    pub fn writer(&mut self) -> &mut Writer<'b> {
        self.w
    }
}

/// Appends one whole flow message to `w`: the message header (type
/// `family`, `flags` as given: add `NLM_F_REQUEST` for a request, or
/// `NLM_F_MULTI` for a dump reply), `genlmsghdr` (`cmd`, version 1),
/// `ovs_header`, then what `body` writes through the [`FlowWriter`].
/// Returns the message's length. On any failure (no room included) the
/// message is removed again: `w` keeps its length from before the call.
#[allow(clippy::too_many_arguments)]
pub fn append_flow<'b>(
    w: &mut Writer<'b>,
    family: u16,
    flags: Flags,
    seq: u32,
    pid: u32,
    cmd: Cmd,
    dp_ifindex: i32,
    body: impl FnOnce(&mut FlowWriter<'_, 'b>) -> Result<(), Error>,
) -> Result<usize, Error> {
    let fixed = Fixed::new(cmd, FLOW_VERSION, dp_ifindex);
    w.all_or_nothing(|w| {
        let start = w.begin_message_with(Header::new(family, flags, seq, pid), &fixed)?;
        body(&mut FlowWriter { w })?;
        w.end_message(start)
    })
}

/// Where a request's attributes start (after `genlmsghdr` and
/// `ovs_header`) and which set they are. Every command uses [`FlowAttrs`].
pub fn layout() -> RequestLayout {
    RequestLayout {
        header_len: FIXED_LEN,
        attrs: FlowAttrs::table(),
    }
}

const KEY: u16 = FlowAttrs::KEY.ty();
const ACTIONS: u16 = FlowAttrs::ACTIONS.ty();
const CLEAR: u16 = FlowAttrs::CLEAR.ty();
const MASK: u16 = FlowAttrs::MASK.ty();
const PROBE: u16 = FlowAttrs::PROBE.ty();
const UFID: u16 = FlowAttrs::UFID.ty();
const UFID_FLAGS: u16 = FlowAttrs::UFID_FLAGS.ty();

/// `ovs_flow` as nl-core declares it: the commands of
/// `linux/openvswitch.h` (the spec lacks `del` and `set`) and the
/// attributes our requests carry, all in the family's one policy
/// (`flow_policy`). Not checked against a kernel: this one has no
/// openvswitch module.
pub static FAMILY: FamilyDecl = FamilyDecl {
    name: header::FLOW_FAMILY,
    ops: &[
        OpDecl {
            cmd: 1,
            name: "new",
            attrs: FlowAttrs::table,
            do_request: Some(&[KEY, ACTIONS, MASK, PROBE, UFID, UFID_FLAGS]),
            dump_request: None,
        },
        OpDecl {
            cmd: 2,
            name: "del",
            attrs: FlowAttrs::table,
            do_request: Some(&[KEY, PROBE, UFID, UFID_FLAGS]),
            dump_request: None,
        },
        OpDecl {
            cmd: 3,
            name: "get",
            attrs: FlowAttrs::table,
            do_request: Some(&[KEY, PROBE, UFID, UFID_FLAGS]),
            dump_request: Some(&[UFID_FLAGS]),
        },
        OpDecl {
            cmd: 4,
            name: "set",
            attrs: FlowAttrs::table,
            do_request: Some(&[KEY, ACTIONS, CLEAR, MASK, PROBE, UFID, UFID_FLAGS]),
            dump_request: None,
        },
    ],
};
