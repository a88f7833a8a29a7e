//! `ovs_vport`: the ports of a datapath, read and requested.
//!
//! ```text
//! genlmsghdr: cmd new/del/get/set, version 1 | ovs_header: dp_ifindex
//!   VportAttrs ("vport"):
//!    1 port-no       u32
//!    2 type          u32, VportType
//!    3 name          nul-string, at most 15 bytes
//!    4 options       nest: VportOptionAttrs ("vport-options")
//!                      1 dst-port   u16 (host order)
//!                      2 extension  nest: VxlanExtAttrs: 1 gbp flag
//!    5 upcall-pid    u32 × n, packed
//!    6 stats         struct ovs_vport_stats (64)
//!    7 pad
//!    8 ifindex       u32
//!    9 netnsid       s32
//!   10 upcall-stats  nest: UpcallStatsAttrs: 0 success u64, 1 fail u64
//! ```
//!
//! Header facts over the spec: `dst-port` is 16 bits (the spec says u32;
//! the kernel reads and writes `nla_get_u16`/`nla_put_u16` and rejects any
//! other length), `extension` is a nest of `OVS_VXLAN_EXT_*` (the spec says
//! u32), and the family's version is 1 (the spec says 2). `upcall-stats`
//! (kernel 6.3+) is not in this system's older header; its numbers come
//! from the spec and the kernel's.

pub mod request;
#[cfg(all(test, target_endian = "little"))]
mod tests;

use core::fmt;

use zerocopy::byteorder::native_endian::U64;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::header::{self, Cmd};
use super::u32_list::{self, U32List, U32s};
use crate::nlmsg::Message;
use crate::table::{
    Binary, Flag, Index, Member, MemberKind, Nest, NlStr, NulStr, Struct, WireStruct,
};
use crate::{Error, Writer};

pub use request::{VportId, VportSpec};

crate::value_enum! {
    /// `OVS_VPORT_TYPE_*`: what a port is.
    pub enum VportType(u32) {
        /// Not set.
        Unspec = 0 => "unspec",
        /// An existing network device (`ovs-dpctl` calls it `system`).
        Netdev = 1 => "netdev",
        /// A device the datapath creates (the local port).
        Internal = 2 => "internal",
        /// A GRE tunnel.
        Gre = 3 => "gre",
        /// A VXLAN tunnel.
        Vxlan = 4 => "vxlan",
        /// A Geneve tunnel.
        Geneve = 5 => "geneve",
    }
}

/// `struct ovs_vport_stats`: a port's counters.
///
/// ```text
/// +--------------------------------+  0
/// |  rx_packets (u64)              |
/// +--------------------------------+  8
/// |  tx_packets (u64)              |
/// +--------------------------------+ 16
/// |  rx_bytes (u64)                |
/// +--------------------------------+ 24
/// |  tx_bytes (u64)                |
/// +--------------------------------+ 32
/// |  rx_errors (u64)               |
/// +--------------------------------+ 40
/// |  tx_errors (u64)               |
/// +--------------------------------+ 48
/// |  rx_dropped (u64)              |
/// +--------------------------------+ 56
/// |  tx_dropped (u64)              |
/// +--------------------------------+ 64
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
pub struct VportStats {
    /// Packets received.
    pub rx_packets: U64,
    /// Packets sent.
    pub tx_packets: U64,
    /// Bytes received.
    pub rx_bytes: U64,
    /// Bytes sent.
    pub tx_bytes: U64,
    /// Bad packets received.
    pub rx_errors: U64,
    /// Transmit problems.
    pub tx_errors: U64,
    /// Received packets dropped.
    pub rx_dropped: U64,
    /// Packets dropped before sending.
    pub tx_dropped: U64,
}

impl WireStruct for VportStats {
    const MEMBERS: &'static [Member] = &[
        Member::new("rx-packets", 0, MemberKind::U64),
        Member::new("tx-packets", 8, MemberKind::U64),
        Member::new("rx-bytes", 16, MemberKind::U64),
        Member::new("tx-bytes", 24, MemberKind::U64),
        Member::new("rx-errors", 32, MemberKind::U64),
        Member::new("tx-errors", 40, MemberKind::U64),
        Member::new("rx-dropped", 48, MemberKind::U64),
        Member::new("tx-dropped", 56, MemberKind::U64),
    ];
}

#[cfg(feature = "defmt")]
impl defmt::Format for VportStats {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "VportStats {{ rx_packets: {=u64}, tx_packets: {=u64}, rx_bytes: {=u64}, tx_bytes: {=u64}, rx_errors: {=u64}, tx_errors: {=u64}, rx_dropped: {=u64}, tx_dropped: {=u64} }}",
            self.rx_packets.get(),
            self.tx_packets.get(),
            self.rx_bytes.get(),
            self.tx_bytes.get(),
            self.rx_errors.get(),
            self.tx_errors.get(),
            self.rx_dropped.get(),
            self.tx_dropped.get()
        )
    }
}

crate::attr_set! {
    /// `OVS_VPORT_ATTR_*`: the attributes of vport messages.
    pub struct VportAttrs = "vport" {
        /// Port number in the datapath.
        1 PORT_NO "port-no": u32;
        /// What the port is.
        2 TYPE "type": u32, enum(VportType);
        /// Name (the netdev's, for a netdev port).
        3 NAME "name": NulStr<15>;
        /// Type-specific options.
        4 OPTIONS "options": Nest<VportOptionAttrs>;
        /// Port ids upcalls from this port go to.
        5 UPCALL_PID "upcall-pid": U32List;
        /// Counters.
        6 STATS "stats": Struct<VportStats>;
        /// Alignment padding for the 64-bit statistics.
        7 PAD "pad": Binary<0, 65531>;
        /// The netdev's interface index.
        8 IFINDEX "ifindex": u32;
        /// The netdev's namespace id, when not in the datapath's (`NLA_S32`
        /// in the kernel's policy; the spec says u32).
        9 NETNSID "netnsid": i32;
        /// Upcall counters.
        10 UPCALL_STATS "upcall-stats": Nest<UpcallStatsAttrs>;
    }
}

crate::attr_set! {
    /// `OVS_TUNNEL_ATTR_*`: the options of a tunnel port.
    pub struct VportOptionAttrs = "vport-options" {
        /// UDP destination port (VXLAN, Geneve), host order, 16 bits.
        1 DST_PORT "dst-port": u16;
        /// Extensions (VXLAN).
        2 EXTENSION "extension": Nest<VxlanExtAttrs>;
    }
}

crate::attr_set! {
    /// `OVS_VXLAN_EXT_*`: the extensions of a VXLAN port.
    pub struct VxlanExtAttrs = "vxlan-ext" {
        /// Group Based Policy.
        1 GBP "gbp": Flag;
    }
}

crate::attr_set! {
    /// `OVS_VPORT_UPCALL_ATTR_*`: upcall counters (success is type 0).
    pub struct UpcallStatsAttrs = "upcall-stats" {
        /// Upcalls sent.
        0 SUCCESS "success": u64;
        /// Upcalls that failed.
        1 FAIL "fail": u64;
    }
}

/// The options of a tunnel port (`options` nest), read and written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct VportOptions {
    /// UDP destination port (VXLAN and Geneve need one).
    pub dst_port: Option<u16>,
    /// VXLAN Group Based Policy (the `extension` nest with `gbp`).
    pub gbp: bool,
}

impl VportOptions {
    /// Reads an `options` nest.
    pub fn parse(nest: &[u8]) -> Result<Self, Error> {
        let index = Index::<VportOptionAttrs>::parse(nest)?;
        let gbp = match index.get(VportOptionAttrs::EXTENSION) {
            Some(ext) => ext.parse()?.has(VxlanExtAttrs::GBP),
            None => false,
        };
        Ok(VportOptions {
            dst_port: index.get(VportOptionAttrs::DST_PORT),
            gbp,
        })
    }

    /// Bytes the whole nest takes, header included.
    pub fn space(&self) -> Result<usize, Error> {
        let mut n = crate::attr::HEADER_LEN;
        if let Some(port) = self.dst_port {
            n += VportOptionAttrs::DST_PORT.space(&port)?;
        }
        if self.gbp {
            n += crate::attr::HEADER_LEN + VxlanExtAttrs::GBP.space(&())?;
        }
        Ok(n)
    }

    /// Appends the nest as [`VportAttrs::OPTIONS`]; a failure removes
    /// what was written.
    pub fn put(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        w.all_or_nothing(|w| self.put_nest(w))
    }

    fn put_nest(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        let nest = w.nest(VportAttrs::OPTIONS)?;
        if let Some(port) = self.dst_port {
            w.put(VportOptionAttrs::DST_PORT, port)?;
        }
        if self.gbp {
            let ext = w.nest(VportOptionAttrs::EXTENSION)?;
            w.put(VxlanExtAttrs::GBP, ())?;
            w.nest_end(ext)?;
        }
        w.nest_end(nest)
    }
}

impl fmt::Display for VportOptions {
    /// As `ovs-dpctl show` prints them: `dst_port=4789, gbp` (empty
    /// without options).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(port) = self.dst_port {
            write!(f, "dst_port={port}")?;
            sep = ", ";
        }
        if self.gbp {
            write!(f, "{sep}gbp")?;
        }
        Ok(())
    }
}

/// Upcall counters (`upcall-stats` nest).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct UpcallStats {
    /// Upcalls sent.
    pub success: Option<u64>,
    /// Upcalls that failed.
    pub fail: Option<u64>,
}

/// A vport message (a reply to get or dump, or a notification), read.
#[derive(Clone, Copy, Debug)]
pub struct Vport<'a> {
    cmd: Cmd,
    dp_ifindex: i32,
    attrs: Index<'a, VportAttrs>,
    options: Option<VportOptions>,
    upcall_stats: Option<UpcallStats>,
}

impl<'a> Vport<'a> {
    /// Reads a vport message: both headers, the attributes, and the
    /// `options` and `upcall-stats` nests. An `upcall-pid` that is not
    /// whole u32s is [`Error::BadAttrLength`].
    pub fn parse(message: &Message<'a>) -> Result<Self, Error> {
        let (genl, ovs, attrs) = header::split(message)?;
        let attrs = Index::<VportAttrs>::parse(attrs)?;
        if let Some(pids) = attrs.raw(VportAttrs::UPCALL_PID.ty()) {
            u32_list::check(VportAttrs::UPCALL_PID.ty(), pids)?;
        }
        let options = match attrs.get(VportAttrs::OPTIONS) {
            Some(nest) => Some(VportOptions::parse(nest.bytes())?),
            None => None,
        };
        let upcall_stats = match attrs.get(VportAttrs::UPCALL_STATS) {
            Some(nest) => {
                let index = nest.parse()?;
                Some(UpcallStats {
                    success: index.get(UpcallStatsAttrs::SUCCESS),
                    fail: index.get(UpcallStatsAttrs::FAIL),
                })
            }
            None => None,
        };
        Ok(Vport {
            cmd: Cmd::from(genl.cmd),
            dp_ifindex: ovs.dp_ifindex.get(),
            attrs,
            options,
            upcall_stats,
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
    pub fn attrs(&self) -> &Index<'a, VportAttrs> {
        &self.attrs
    }

    /// Port number.
    pub fn port_no(&self) -> Option<u32> {
        self.attrs.get(VportAttrs::PORT_NO)
    }

    /// What the port is.
    pub fn ty(&self) -> Option<VportType> {
        self.attrs.get(VportAttrs::TYPE).map(VportType::from)
    }

    /// Name.
    pub fn name(&self) -> Option<NlStr<'a>> {
        self.attrs.get(VportAttrs::NAME)
    }

    /// Tunnel options.
    pub fn options(&self) -> Option<VportOptions> {
        self.options
    }

    /// Upcall port ids.
    pub fn upcall_pids(&self) -> Option<U32s<'a>> {
        self.attrs.get(VportAttrs::UPCALL_PID)
    }

    /// Counters.
    pub fn stats(&self) -> Option<&'a VportStats> {
        self.attrs.get(VportAttrs::STATS)
    }

    /// The netdev's interface index.
    pub fn ifindex(&self) -> Option<u32> {
        self.attrs.get(VportAttrs::IFINDEX)
    }

    /// The netdev's namespace id.
    pub fn netnsid(&self) -> Option<i32> {
        self.attrs.get(VportAttrs::NETNSID)
    }

    /// Upcall counters.
    pub fn upcall_stats(&self) -> Option<UpcallStats> {
        self.upcall_stats
    }
}

impl fmt::Display for Vport<'_> {
    /// Like `ovs-dpctl show -s` prints a port: the type in parentheses
    /// unless it is a netdev, options after a colon, then one indented
    /// line per counter group present:
    ///
    /// ```text
    /// port 1: vx0 (vxlan: dst_port=4789, gbp)
    ///     RX packets:1 errors:5 dropped:7
    ///     TX packets:2 errors:6 dropped:8
    ///     RX bytes:3  TX bytes:4
    ///     upcall: success:9 fail:10
    /// ```
    ///
    /// A port without a number prints `port ?`, without a name `?`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port_no() {
            Some(port) => write!(f, "port {port}: ")?,
            None => f.write_str("port ?: ")?,
        }
        match self.name() {
            Some(name) => write!(f, "{name}")?,
            None => f.write_str("?")?,
        }
        let options = self.options.unwrap_or_default();
        let has_options = options != VportOptions::default();
        match self.ty() {
            Some(VportType::Netdev) | None if !has_options => {}
            ty => {
                f.write_str(" (")?;
                match ty {
                    Some(ty) => write!(f, "{ty}")?,
                    None => f.write_str("?")?,
                }
                if has_options {
                    write!(f, ": {options}")?;
                }
                f.write_str(")")?;
            }
        }
        if let Some(s) = self.stats() {
            write!(
                f,
                "\n    RX packets:{} errors:{} dropped:{}\n    TX packets:{} errors:{} dropped:{}\n    RX bytes:{}  TX bytes:{}",
                s.rx_packets,
                s.rx_errors,
                s.rx_dropped,
                s.tx_packets,
                s.tx_errors,
                s.tx_dropped,
                s.rx_bytes,
                s.tx_bytes
            )?;
        }
        if let Some(u) = self.upcall_stats {
            write!(
                f,
                "\n    upcall: success:{} fail:{}",
                u.success.unwrap_or(0),
                u.fail.unwrap_or(0)
            )?;
        }
        Ok(())
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Vport<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Vport {{ cmd: {}, dp_ifindex: {=i32}, port_no: {}, type: {}, name: {}, options: {} }}",
            self.cmd,
            self.dp_ifindex,
            self.port_no(),
            self.ty(),
            self.name(),
            self.options
        )
    }
}
