//! `ovs_flow`: the datapath's flow table; the message level.
//!
//! ```text
//! genlmsghdr: cmd new/del/get/set, version 1 | ovs_header: dp_ifindex
//!   FlowAttrs ("flow-attrs"):
//!    1 key         nest: KeyAttrs (what a packet must match)
//!    2 actions     nest: ActionAttrs (what to do with it)
//!    3 stats       struct ovs_flow_stats (16)
//!    4 tcp-flags   u8, TCP flags seen (ORed)
//!    5 used        u64, ms of the monotonic clock at the last packet
//!    6 clear       flag (set requests: clear stats, used, tcp-flags)
//!    7 mask        nest: KeyAttrs (1 bits must match; absent: all must)
//!    8 probe       flag (a feature probe: the kernel logs no error)
//!    9 ufid        1 to 16 bytes, the flow's unique id
//!   10 ufid-flags  u32, UfidFlags (omit key, mask, actions in replies)
//!   11 pad
//! ```
//!
//! `probe` is a flag: the kernel's policy says `NLA_FLAG` (the spec says
//! binary; the kernel's ABI wins).
//!
//! - [`key`]: the flow key and mask attributes ([`KeyAttrs`]).
//! - [`action`]: the actions ([`ActionAttrs`]).
//! - [`Flow`]: a flow message, read; its key, mask and actions as lazy
//!   [`Nested`] views.
//! - [`request`]: the requests ([`FlowSpec`], [`append_flow`]), their
//!   layout and the [`FAMILY`](request::FAMILY) declaration.

pub mod action;
pub mod key;
pub mod request;
#[cfg(all(test, target_endian = "little"))]
mod tests;

use core::fmt;

use zerocopy::byteorder::native_endian::U64;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use self::action::ActionAttrs;
use self::key::KeyAttrs;
use super::header::{self, Cmd};
use crate::Error;
use crate::nlmsg::Message;
use crate::table::{
    AttrSet, Binary, Flag, Index, Member, MemberKind, Nest, Nested, Struct, WireStruct, write_attrs,
};

pub use request::{FlowSpec, FlowWriter, append_flow};

crate::flag_set! {
    /// `OVS_UFID_F_*`: what a reply may leave out when the flow has a ufid.
    pub struct UfidFlags(u32), sep = "," {
        /// `OVS_UFID_F_OMIT_KEY`
        OMIT_KEY = 0x1 => "omit-key",
        /// `OVS_UFID_F_OMIT_MASK`
        OMIT_MASK = 0x2 => "omit-mask",
        /// `OVS_UFID_F_OMIT_ACTIONS`
        OMIT_ACTIONS = 0x4 => "omit-actions",
    }
}

/// The TCP flags of `tcp-flags`, printed as `ovs-dpctl dump-flows` does:
/// one letter per flag in bit order, `F S R P . U E C` (FIN, SYN, RST,
/// PSH, ACK as `.`, URG, ECE, CWR).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TcpFlags(pub u8);

impl fmt::Display for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (bit, letter) in (0..8).zip(['F', 'S', 'R', 'P', '.', 'U', 'E', 'C']) {
            if self.0 & (1 << bit) != 0 {
                fmt::Write::write_char(f, letter)?;
            }
        }
        Ok(())
    }
}

/// `struct ovs_flow_stats`: a flow's counters (`ovs-flow-stats`).
///
/// ```text
/// +--------------------------------+  0
/// |  n_packets (u64)               |
/// +--------------------------------+  8
/// |  n_bytes (u64)                 |
/// +--------------------------------+ 16
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
pub struct FlowStats {
    /// Packets matched.
    pub n_packets: U64,
    /// Bytes matched.
    pub n_bytes: U64,
}

impl FlowStats {
    /// Counters of `n_packets` packets and `n_bytes` bytes.
    pub fn new(n_packets: u64, n_bytes: u64) -> Self {
        FlowStats {
            n_packets: U64::new(n_packets),
            n_bytes: U64::new(n_bytes),
        }
    }
}

impl WireStruct for FlowStats {
    const MEMBERS: &'static [Member] = &[
        Member::new("n-packets", 0, MemberKind::U64),
        Member::new("n-bytes", 8, MemberKind::U64),
    ];
}

#[cfg(feature = "defmt")]
impl defmt::Format for FlowStats {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "FlowStats {{ n_packets: {=u64}, n_bytes: {=u64} }}",
            self.n_packets.get(),
            self.n_bytes.get()
        )
    }
}

crate::attr_set! {
    /// `OVS_FLOW_ATTR_*`: the attributes of flow messages.
    pub struct FlowAttrs = "flow-attrs" {
        /// The flow key.
        1 KEY "key": Nest<KeyAttrs>;
        /// The actions.
        2 ACTIONS "actions": Nest<ActionAttrs>;
        /// Counters (replies, when not zero).
        3 STATS "stats": Struct<FlowStats>;
        /// TCP flags seen, ORed (replies, TCP flows).
        4 TCP_FLAGS "tcp-flags": u8;
        /// Last use, ms of the monotonic clock (replies).
        5 USED "used": u64;
        /// Clear counters, used and TCP flags (set requests).
        6 CLEAR "clear": Flag;
        /// The mask of the key.
        7 MASK "mask": Nest<KeyAttrs>;
        /// A feature probe: no error is logged.
        8 PROBE "probe": Flag;
        /// The flow's unique id, 1 to 16 bytes.
        9 UFID "ufid": Binary<1, 16>;
        /// What the reply may omit.
        10 UFID_FLAGS "ufid-flags": u32, flags(UfidFlags);
        /// Alignment padding for the 64-bit values.
        11 PAD "pad": Binary<0, 65531>;
    }
}

/// A flow message (a reply to get or dump, or a notification), read.
#[derive(Clone, Copy, Debug)]
pub struct Flow<'a> {
    cmd: Cmd,
    dp_ifindex: i32,
    attrs: Index<'a, FlowAttrs>,
}

impl<'a> Flow<'a> {
    /// Reads a flow message: both headers and the attributes (the key,
    /// mask and actions nests are parsed when asked for).
    #[inline]
    pub fn parse(message: &Message<'a>) -> Result<Self, Error> {
        let (genl, ovs, attrs) = header::split(message)?;
        Ok(Flow {
            cmd: Cmd::from(genl.cmd),
            dp_ifindex: ovs.dp_ifindex.get(),
            attrs: Index::parse(attrs)?,
        })
    }

    /// The command (`new` in replies and creation notifications).
    #[inline]
    pub fn cmd(&self) -> Cmd {
        self.cmd
    }

    /// The datapath's ifindex from `ovs_header`.
    #[inline]
    pub fn dp_ifindex(&self) -> i32 {
        self.dp_ifindex
    }

    /// Every attribute, indexed.
    #[inline]
    pub fn attrs(&self) -> &Index<'a, FlowAttrs> {
        &self.attrs
    }

    /// The key.
    #[inline]
    pub fn key(&self) -> Option<Nested<'a, KeyAttrs>> {
        self.attrs.get(FlowAttrs::KEY)
    }

    /// The mask.
    #[inline]
    pub fn mask(&self) -> Option<Nested<'a, KeyAttrs>> {
        self.attrs.get(FlowAttrs::MASK)
    }

    /// The actions.
    #[inline]
    pub fn actions(&self) -> Option<Nested<'a, ActionAttrs>> {
        self.attrs.get(FlowAttrs::ACTIONS)
    }

    /// Counters.
    #[inline]
    pub fn stats(&self) -> Option<&'a FlowStats> {
        self.attrs.get(FlowAttrs::STATS)
    }

    /// TCP flags seen.
    #[inline]
    pub fn tcp_flags(&self) -> Option<TcpFlags> {
        self.attrs.get(FlowAttrs::TCP_FLAGS).map(TcpFlags)
    }

    /// Last use, ms of the monotonic clock.
    #[inline]
    pub fn used(&self) -> Option<u64> {
        self.attrs.get(FlowAttrs::USED)
    }

    /// The unique flow id.
    #[inline]
    pub fn ufid(&self) -> Option<&'a [u8]> {
        self.attrs.get(FlowAttrs::UFID)
    }

    /// What the reply may omit.
    #[inline]
    pub fn ufid_flags(&self) -> Option<UfidFlags> {
        self.attrs.get(FlowAttrs::UFID_FLAGS).map(UfidFlags)
    }

    /// True when `clear` is present.
    #[inline]
    pub fn clear(&self) -> bool {
        self.attrs.has(FlowAttrs::CLEAR)
    }

    /// True when `probe` is present.
    #[inline]
    pub fn probe(&self) -> bool {
        self.attrs.has(FlowAttrs::PROBE)
    }
}

/// Writes a ufid as `ovs-dpctl` does when it has 16 bytes
/// (`01234567-89ab-cdef-0123-456789abcdef`, bytes in wire order), else as
/// plain hex.
fn write_ufid(f: &mut fmt::Formatter<'_>, ufid: &[u8]) -> fmt::Result {
    for (i, b) in ufid.iter().enumerate() {
        if ufid.len() == 16 && matches!(i, 4 | 6 | 8 | 10) {
            f.write_str("-")?;
        }
        write!(f, "{b:02x}")?;
    }
    Ok(())
}

fn write_nest<S: AttrSet>(
    f: &mut fmt::Formatter<'_>,
    label: &str,
    nest: Nested<'_, S>,
) -> fmt::Result {
    write!(f, "{label}(")?;
    write_attrs(f, Some(S::table()), nest.bytes(), 1)?;
    f.write_str(")")
}

impl fmt::Display for Flow<'_> {
    /// In the order and words of `ovs-dpctl dump-flows`, each part only
    /// when present, joined by `, `:
    ///
    /// ```text
    /// ufid:00112233-4455-6677-8899-aabbccddeeff, key(...), mask(...),
    /// packets:3, bytes:180, used:1500ms, flags:S., actions(...)
    /// ```
    ///
    /// (one line). Key, mask and actions print their attributes by their
    /// spec names (the table's text form, nests in braces); `used` is the
    /// kernel's monotonic time in ms (`used:never` when 0 or absent, as
    /// `ovs-dpctl` prints it); `flags` are [`TcpFlags`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = 0;
        let mut sep = |f: &mut fmt::Formatter<'_>| {
            parts += 1;
            if parts > 1 { f.write_str(", ") } else { Ok(()) }
        };
        if let Some(ufid) = self.ufid() {
            sep(f)?;
            f.write_str("ufid:")?;
            write_ufid(f, ufid)?;
        }
        if let Some(key) = self.key() {
            sep(f)?;
            write_nest(f, "key", key)?;
        }
        if let Some(mask) = self.mask() {
            sep(f)?;
            write_nest(f, "mask", mask)?;
        }
        let stats = self.stats().copied().unwrap_or_default();
        sep(f)?;
        write!(f, "packets:{}, bytes:{}, ", stats.n_packets, stats.n_bytes)?;
        match self.used() {
            Some(used) if used != 0 => write!(f, "used:{used}ms")?,
            _ => f.write_str("used:never")?,
        }
        if let Some(flags) = self.tcp_flags() {
            write!(f, ", flags:{flags}")?;
        }
        if let Some(actions) = self.actions() {
            sep(f)?;
            write_nest(f, "actions", actions)?;
        }
        Ok(())
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Flow<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Flow {{ cmd: {}, dp_ifindex: {=i32}, ufid: {}, stats: {}, used: {}, key: {=usize} bytes, actions: {=usize} bytes }}",
            self.cmd,
            self.dp_ifindex,
            self.ufid(),
            self.stats(),
            self.used(),
            self.key().map_or(0, |k| k.bytes().len()),
            self.actions().map_or(0, |a| a.bytes().len())
        )
    }
}
