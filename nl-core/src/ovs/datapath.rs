//! `ovs_datapath`: datapaths (the switch itself), read and requested.
//!
//! ```text
//! genlmsghdr: cmd new/del/get/set, version 2 | ovs_header: dp_ifindex
//!   DatapathAttrs ("datapath"):
//!    1 name              nul-string, at most 15 bytes
//!    2 upcall-pid        u32
//!    3 stats             struct ovs_dp_stats (32)
//!    4 megaflow-stats    struct ovs_dp_megaflow_stats (32)
//!    5 user-features     u32, UserFeatures
//!    6 pad
//!    7 masks-cache-size  u32
//!    8 per-cpu-pids      u32 × n, packed
//!    9 ifindex           u32 (new requests only)
//! ```
//!
//! - [`Datapath`]: a reply or notification, read.
//! - [`DatapathSpec`] and [`request`]: the requests, their layouts and the
//!   [`FAMILY`](request::FAMILY) declaration.

pub mod request;
#[cfg(all(test, target_endian = "little"))]
mod tests;

use core::fmt;

use zerocopy::byteorder::native_endian::{U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::header::{self, Cmd};
use super::u32_list::{self, U32List, U32s};
use crate::Error;
use crate::nlmsg::Message;
use crate::table::{Binary, Index, Member, MemberKind, NlStr, NulStr, Struct, WireStruct};

pub use request::{DatapathId, DatapathSpec};

/// Longest datapath name, without the NUL (`IFNAMSIZ - 1`).
pub const NAME_MAX: usize = 15;

crate::flag_set! {
    /// `OVS_DP_F_*`: the features userspace asks of a datapath.
    pub struct UserFeatures(u32), sep = "," {
        /// `OVS_DP_F_UNALIGNED`: the last attribute may be unaligned.
        UNALIGNED = 0x1 => "unaligned",
        /// `OVS_DP_F_VPORT_PIDS`: several upcall port ids per vport.
        VPORT_PIDS = 0x2 => "vport-pids",
        /// `OVS_DP_F_TC_RECIRC_SHARING`: tc offload shares recirculation ids.
        TC_RECIRC_SHARING = 0x4 => "tc-recirc-sharing",
        /// `OVS_DP_F_DISPATCH_UPCALL_PER_CPU`: upcalls go to one port id per CPU.
        DISPATCH_UPCALL_PER_CPU = 0x8 => "dispatch-upcall-per-cpu",
    }
}

/// `struct ovs_dp_stats`: the datapath's lookup counters (`datapath-stats`).
///
/// ```text
/// +--------------------------------+  0
/// |  n_hit (u64): flow table hits  |
/// +--------------------------------+  8
/// |  n_missed (u64): misses        |
/// +--------------------------------+ 16
/// |  n_lost (u64): misses not sent |
/// |  to userspace                  |
/// +--------------------------------+ 24
/// |  n_flows (u64): flows present  |
/// +--------------------------------+ 32
/// ```
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct DpStats {
    /// Packets that matched a flow.
    pub n_hit: U64,
    /// Packets that matched none.
    pub n_missed: U64,
    /// Misses that could not be sent to userspace.
    pub n_lost: U64,
    /// Flows in the table.
    pub n_flows: U64,
}

impl WireStruct for DpStats {
    const MEMBERS: &'static [Member] = &[
        Member::new("n-hit", 0, MemberKind::U64),
        Member::new("n-missed", 8, MemberKind::U64),
        Member::new("n-lost", 16, MemberKind::U64),
        Member::new("n-flows", 24, MemberKind::U64),
    ];
}

#[cfg(feature = "defmt")]
impl defmt::Format for DpStats {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "DpStats {{ n_hit: {=u64}, n_missed: {=u64}, n_lost: {=u64}, n_flows: {=u64} }}",
            self.n_hit.get(),
            self.n_missed.get(),
            self.n_lost.get(),
            self.n_flows.get()
        )
    }
}

/// `struct ovs_dp_megaflow_stats`: mask usage (`megaflow-stats`).
///
/// ```text
/// +--------------------------------+  0
/// |  n_mask_hit (u64)              |
/// +----------------+---------------+  8
/// | n_masks (u32)  | pad0 (u32)    |
/// +----------------+---------------+ 16
/// |  n_cache_hit (u64)             |
/// +--------------------------------+ 24
/// |  pad1 (u64)                    |
/// +--------------------------------+ 32
/// ```
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct MegaflowStats {
    /// Masks tried in flow lookups.
    pub n_mask_hit: U64,
    /// Masks in the datapath.
    pub n_masks: U32,
    /// Zero (the header's `pad0`; the spec's `padding`).
    pub pad0: U32,
    /// Lookups answered by the mask cache.
    pub n_cache_hit: U64,
    /// Zero.
    pub pad1: U64,
}

impl WireStruct for MegaflowStats {
    const MEMBERS: &'static [Member] = &[
        Member::new("n-mask-hit", 0, MemberKind::U64),
        Member::new("n-masks", 8, MemberKind::U32),
        Member::new("padding", 12, MemberKind::U32),
        Member::new("n-cache-hit", 16, MemberKind::U64),
        Member::new("pad1", 24, MemberKind::U64),
    ];
}

#[cfg(feature = "defmt")]
impl defmt::Format for MegaflowStats {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "MegaflowStats {{ n_mask_hit: {=u64}, n_masks: {=u32}, n_cache_hit: {=u64} }}",
            self.n_mask_hit.get(),
            self.n_masks.get(),
            self.n_cache_hit.get()
        )
    }
}

crate::attr_set! {
    /// `OVS_DP_ATTR_*`: the attributes of datapath messages.
    pub struct DatapathAttrs = "datapath" {
        /// Name of the datapath's local port (its netdev).
        1 NAME "name": NulStr<15>;
        /// Port id upcalls of the local port go to (new requests).
        2 UPCALL_PID "upcall-pid": u32;
        /// Lookup counters.
        3 STATS "stats": Struct<DpStats>;
        /// Mask usage.
        4 MEGAFLOW_STATS "megaflow-stats": Struct<MegaflowStats>;
        /// Features userspace asked for.
        5 USER_FEATURES "user-features": u32, flags(UserFeatures);
        /// Alignment padding for the 64-bit statistics.
        6 PAD "pad": Binary<0, 65531>;
        /// Entries of the per-CPU mask cache.
        7 MASKS_CACHE_SIZE "masks-cache-size": u32;
        /// One upcall port id per CPU (with `dispatch-upcall-per-cpu`).
        8 PER_CPU_PIDS "per-cpu-pids": U32List;
        /// Interface index for the new datapath's netdev (new requests).
        9 IFINDEX "ifindex": u32;
    }
}

/// A datapath message (a reply to get or dump, or a notification), read.
#[derive(Clone, Copy, Debug)]
pub struct Datapath<'a> {
    cmd: Cmd,
    dp_ifindex: i32,
    attrs: Index<'a, DatapathAttrs>,
}

impl<'a> Datapath<'a> {
    /// Reads a datapath message: both headers and the attributes. A
    /// `per-cpu-pids` that is not whole u32s is [`Error::BadAttrLength`].
    pub fn parse(message: &Message<'a>) -> Result<Self, Error> {
        let (genl, ovs, attrs) = header::split(message)?;
        let attrs = Index::<DatapathAttrs>::parse(attrs)?;
        if let Some(pids) = attrs.raw(DatapathAttrs::PER_CPU_PIDS.ty()) {
            u32_list::check(DatapathAttrs::PER_CPU_PIDS.ty(), pids)?;
        }
        Ok(Datapath {
            cmd: Cmd::from(genl.cmd),
            dp_ifindex: ovs.dp_ifindex.get(),
            attrs,
        })
    }

    /// The command (`new` in replies and creation notifications).
    pub fn cmd(&self) -> Cmd {
        self.cmd
    }

    /// The datapath's ifindex from `ovs_header`.
    pub fn dp_ifindex(&self) -> i32 {
        self.dp_ifindex
    }

    /// Every attribute, indexed.
    pub fn attrs(&self) -> &Index<'a, DatapathAttrs> {
        &self.attrs
    }

    /// The name.
    pub fn name(&self) -> Option<NlStr<'a>> {
        self.attrs.get(DatapathAttrs::NAME)
    }

    /// The upcall port id (requests only).
    pub fn upcall_pid(&self) -> Option<u32> {
        self.attrs.get(DatapathAttrs::UPCALL_PID)
    }

    /// Lookup counters.
    pub fn stats(&self) -> Option<&'a DpStats> {
        self.attrs.get(DatapathAttrs::STATS)
    }

    /// Mask usage.
    pub fn megaflow_stats(&self) -> Option<&'a MegaflowStats> {
        self.attrs.get(DatapathAttrs::MEGAFLOW_STATS)
    }

    /// The features userspace asked for.
    pub fn user_features(&self) -> Option<UserFeatures> {
        self.attrs
            .get(DatapathAttrs::USER_FEATURES)
            .map(UserFeatures)
    }

    /// Entries of the per-CPU mask cache.
    pub fn masks_cache_size(&self) -> Option<u32> {
        self.attrs.get(DatapathAttrs::MASKS_CACHE_SIZE)
    }

    /// One upcall port id per CPU.
    pub fn per_cpu_pids(&self) -> Option<U32s<'a>> {
        self.attrs.get(DatapathAttrs::PER_CPU_PIDS)
    }

    /// The new netdev's ifindex (new requests only).
    pub fn ifindex(&self) -> Option<u32> {
        self.attrs.get(DatapathAttrs::IFINDEX)
    }
}

impl fmt::Display for Datapath<'_> {
    /// Like `ovs-dpctl show` prints a datapath (without its ports), one
    /// line for each attribute present, the first without indentation:
    ///
    /// ```text
    /// system@ovs-system:
    ///   lookups: hit:10 missed:2 lost:1
    ///   flows: 3
    ///   masks: hit:12 total:1
    ///   cache: hit:7
    ///   caches:
    ///     masks-cache: size:256
    ///   features: unaligned,vport-pids
    ///   per-cpu-pids: 100,101
    /// ```
    ///
    /// A datapath without a name prints `system@#<dp_ifindex>:`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "system@{name}:")?,
            None => write!(f, "system@#{}:", self.dp_ifindex)?,
        }
        if let Some(s) = self.stats() {
            write!(
                f,
                "\n  lookups: hit:{} missed:{} lost:{}\n  flows: {}",
                s.n_hit, s.n_missed, s.n_lost, s.n_flows
            )?;
        }
        if let Some(m) = self.megaflow_stats() {
            write!(
                f,
                "\n  masks: hit:{} total:{}\n  cache: hit:{}",
                m.n_mask_hit, m.n_masks, m.n_cache_hit
            )?;
        }
        if let Some(size) = self.masks_cache_size() {
            write!(f, "\n  caches:\n    masks-cache: size:{size}")?;
        }
        if let Some(features) = self.user_features() {
            write!(f, "\n  features: {features}")?;
        }
        if let Some(pid) = self.upcall_pid() {
            write!(f, "\n  upcall-pid: {pid}")?;
        }
        if let Some(pids) = self.per_cpu_pids() {
            write!(f, "\n  per-cpu-pids: {pids}")?;
        }
        if let Some(ifindex) = self.ifindex() {
            write!(f, "\n  ifindex: {ifindex}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Datapath<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Datapath {{ cmd: {}, dp_ifindex: {=i32}, name: {}, stats: {}, features: {} }}",
            self.cmd,
            self.dp_ifindex,
            self.name(),
            self.stats(),
            self.user_features()
        )
    }
}
