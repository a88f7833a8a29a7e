//! Neighbours (`RTM_NEWNEIGH`, `RTM_DELNEIGH`, `RTM_GETNEIGH`): the ARP and
//! NDP caches, and bridge FDB entries.
//!
//! Spec: `rt-neigh.yaml`; header: `linux/neighbour.h`.
//!
//! ```text
//!  0               1               2               3
//! +---------------+---------------+-------------------------------+
//! | family (u8)   | pad1 (u8)     |          pad2 (u16)           |
//! +---------------+---------------+-------------------------------+
//! |                        ifindex (s32)                          |
//! +-------------------------------+---------------+---------------+
//! |         state (u16)           |  flags (u8)   |  type (u8)    |
//! +-------------------------------+---------------+---------------+
//! | attributes (NDA_*) ...                                        |
//! ```

use core::fmt;
use core::net::IpAddr;

use zerocopy::byteorder::native_endian::{I32, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::{AddressFamily, RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH};
use crate::Error;
use crate::family::{FamilyMessage, FixedHeader};
use crate::nlmsg::{Flags, RequestLayout, build};
use crate::route::route::RouteProtocol;
use crate::table::{Be16, Binary, Ip, Struct};

crate::flag_set! {
    /// `NUD_*`: the state bits of a neighbour entry (`ndm_state`), printed
    /// as `ip neigh` prints them: names separated by spaces, `NONE` when no
    /// bit is set, unknown bits in hex.
    pub struct NudState(u16), sep = " " {
        /// `NUD_NONE`: no state.
        NONE = 0x00 => "NONE",
        /// `NUD_INCOMPLETE`: resolution in progress.
        INCOMPLETE = 0x01 => "INCOMPLETE",
        /// `NUD_REACHABLE`: confirmed recently.
        REACHABLE = 0x02 => "REACHABLE",
        /// `NUD_STALE`: needs confirmation before use.
        STALE = 0x04 => "STALE",
        /// `NUD_DELAY`: waiting before probing.
        DELAY = 0x08 => "DELAY",
        /// `NUD_PROBE`: probing.
        PROBE = 0x10 => "PROBE",
        /// `NUD_FAILED`: resolution failed.
        FAILED = 0x20 => "FAILED",
        /// `NUD_NOARP`: no resolution needed.
        NOARP = 0x40 => "NOARP",
        /// `NUD_PERMANENT`: static entry.
        PERMANENT = 0x80 => "PERMANENT",
    }
}

crate::flag_set! {
    /// `NTF_*`: neighbour entry flags (`ndm_flags`), with the names `ip neigh`
    /// prints (and uses as `ip -j` keys), in bit order.
    pub struct NeighFlags(u8) {
        /// `NTF_USE`: mark the entry used (request only).
        USE = 0x01 => "use",
        /// `NTF_SELF`: the device's own FDB.
        SELF = 0x02 => "self",
        /// `NTF_MASTER`: the master's (bridge's) FDB.
        MASTER = 0x04 => "master",
        /// `NTF_PROXY`: a proxy entry.
        PROXY = 0x08 => "proxy",
        /// `NTF_EXT_LEARNED`: learned externally.
        EXT_LEARNED = 0x10 => "extern_learn",
        /// `NTF_OFFLOADED`: offloaded to hardware.
        OFFLOADED = 0x20 => "offload",
        /// `NTF_STICKY`: never moves to another port.
        STICKY = 0x40 => "sticky",
        /// `NTF_ROUTER`: the neighbour is a router (IPv6).
        ROUTER = 0x80 => "router",
    }
}

crate::flag_set! {
    /// `NTF_EXT_*`: extended neighbour flags (`NDA_FLAGS_EXT`), with the
    /// names `ip neigh` prints, in bit order.
    pub struct NeighFlagsExt(u32) {
        /// `NTF_EXT_MANAGED`: kept reachable by the kernel.
        MANAGED = 0x01 => "managed",
        /// `NTF_EXT_LOCKED`: a locked bridge port's entry.
        LOCKED = 0x02 => "locked",
        /// `NTF_EXT_EXT_VALIDATED`: validated by an external party.
        EXT_VALIDATED = 0x04 => "extern_valid",
    }
}

/// `struct ndmsg`: the fixed header of neighbour messages.
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
pub struct NeighHeader {
    /// `ndm_family`: `AF_INET`, `AF_INET6`, `AF_BRIDGE`…
    pub family: u8,
    /// `ndm_pad1`.
    pub pad1: u8,
    /// `ndm_pad2`.
    pub pad2: U16,
    /// `ndm_ifindex`.
    pub ifindex: I32,
    /// `ndm_state`: [`NudState`] bits.
    pub state: U16,
    /// `ndm_flags`: [`NeighFlags`] bits.
    pub flags: u8,
    /// `ndm_type`: an `RTN_*` route type (`RTN_UNICAST` = 1…).
    pub ty: u8,
}

impl NeighHeader {
    /// Size on the wire.
    pub const LEN: usize = 12;
}

/// `struct nda_cacheinfo`: ages of the entry in clock ticks (USER_HZ).
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
pub struct NdaCacheinfo {
    /// `ndm_confirmed`: since the neighbour was last confirmed.
    pub confirmed: U32,
    /// `ndm_used`: since the entry was last used.
    pub used: U32,
    /// `ndm_updated`: since the entry was last updated.
    pub updated: U32,
    /// `ndm_refcnt`: references held.
    pub refcnt: U32,
}

// nda-cacheinfo.
impl crate::table::WireStruct for NdaCacheinfo {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("confirmed", 0, MemberKind::U32),
            Member::new("used", 4, MemberKind::U32),
            Member::new("updated", 8, MemberKind::U32),
            Member::new("refcnt", 12, MemberKind::U32),
        ]
    };
}

crate::attr_set! {
    /// `NDA_*`: the attributes of neighbour messages.
    pub struct NeighAttrs = "neighbour-attrs" {
        /// Network address of the neighbour (4 or 16 bytes).
        1 DST "dst": Ip;
        /// Link-layer address.
        2 LLADDR "lladdr": Binary<0, 32>;
        /// [`NdaCacheinfo`].
        3 CACHEINFO "cacheinfo": Struct<NdaCacheinfo>;
        /// Probes sent.
        4 PROBES "probes": u32;
        /// VLAN id (bridge FDB).
        5 VLAN "vlan": u16;
        /// UDP destination port (VXLAN FDB), network order.
        6 PORT "port": Be16;
        /// VXLAN network identifier.
        7 VNI "vni": u32;
        /// Interface index (dump filter, VXLAN remote).
        8 IFINDEX "ifindex": u32;
        /// Master device index (dump filter).
        9 MASTER "master": u32;
        /// Peer network namespace id.
        10 LINK_NETNSID "link-netnsid": i32;
        /// Source VNI.
        11 SRC_VNI "src-vni": u32;
        /// Who installed the entry (`RTPROT_*`).
        12 PROTOCOL "protocol": u8;
        /// Nexthop id.
        13 NH_ID "nh-id": u32;
        /// FDB extension attributes (a nest, kept raw).
        14 FDB_EXT_ATTRS "fdb-ext-attrs": Binary<0, 0xffff>;
        /// [`NeighFlagsExt`] bits.
        15 FLAGS_EXT "flags-ext": u32, flags(super::spec_values::NtfExtFlags);
        /// State mask for dumps.
        16 NDM_STATE_MASK "ndm-state-mask": u16;
        /// Flags mask for dumps.
        17 NDM_FLAGS_MASK "ndm-flags-mask": u8;
    }
}

/// A link-layer address, written as `ip` does: hex bytes separated by colons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LinkAddr<'a>(pub &'a [u8]);

impl fmt::Display for LinkAddr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Where a neighbour request's attributes start and which set they are, for
/// naming the attribute a kernel error points at.
pub fn layout() -> RequestLayout {
    Neigh::layout()
}

/// A neighbour message: `RTM_NEWNEIGH` (reply or event), `RTM_DELNEIGH`, or a request.
pub type Neigh<'a> = FamilyMessage<'a, NeighHeader, NeighAttrs>;

impl FixedHeader for NeighHeader {
    const TYPES: &'static [u16] = &[RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH];
}

// ndmsg, as rt-neigh.yaml names it.
impl crate::table::WireStruct for NeighHeader {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("ndm-family", 0, MemberKind::U8),
            Member::new("ndm-ifindex", 4, MemberKind::S32),
            Member::new("ndm-state", 8, MemberKind::U16)
                .flags::<super::spec_values::NudStateSpec>(),
            Member::new("ndm-flags", 10, MemberKind::U8).flags::<super::spec_values::NtfFlags>(),
            Member::new("ndm-type", 11, MemberKind::U8).enumerated::<super::spec_values::RtmType>(),
        ]
    };
}

impl<'a> Neigh<'a> {
    /// Address family.
    #[inline]
    pub fn family(&self) -> AddressFamily {
        self.header.family.into()
    }

    /// Interface index.
    #[inline]
    pub fn ifindex(&self) -> i32 {
        self.header.ifindex.get()
    }

    /// State bits.
    #[inline]
    pub fn state(&self) -> NudState {
        NudState(self.header.state.get())
    }

    /// Flag bits.
    #[inline]
    pub fn flags(&self) -> NeighFlags {
        NeighFlags(self.header.flags)
    }

    /// Extended flag bits (`NDA_FLAGS_EXT`, 0 when absent).
    #[inline]
    pub fn flags_ext(&self) -> NeighFlagsExt {
        NeighFlagsExt(self.attrs.get(NeighAttrs::FLAGS_EXT).unwrap_or(0))
    }

    /// Route type of the entry (`RTN_*`).
    #[inline]
    pub fn kind(&self) -> u8 {
        self.header.ty
    }

    /// Neighbour's network address.
    #[inline]
    pub fn dst(&self) -> Option<IpAddr> {
        self.attrs.get(NeighAttrs::DST)
    }

    /// Link-layer address.
    #[inline]
    pub fn lladdr(&self) -> Option<LinkAddr<'a>> {
        self.attrs.get(NeighAttrs::LLADDR).map(LinkAddr)
    }

    /// Cache ages.
    #[inline]
    pub fn cacheinfo(&self) -> Option<&'a NdaCacheinfo> {
        self.attrs.get(NeighAttrs::CACHEINFO)
    }

    /// Probes sent.
    #[inline]
    pub fn probes(&self) -> Option<u32> {
        self.attrs.get(NeighAttrs::PROBES)
    }

    /// VLAN id.
    #[inline]
    pub fn vlan(&self) -> Option<u16> {
        self.attrs.get(NeighAttrs::VLAN)
    }

    /// UDP port (host order).
    #[inline]
    pub fn port(&self) -> Option<u16> {
        self.attrs.get(NeighAttrs::PORT)
    }

    /// VNI.
    #[inline]
    pub fn vni(&self) -> Option<u32> {
        self.attrs.get(NeighAttrs::VNI)
    }

    /// Master device index.
    #[inline]
    pub fn master(&self) -> Option<u32> {
        self.attrs.get(NeighAttrs::MASTER)
    }

    /// Protocol that installed the entry.
    #[inline]
    pub fn protocol(&self) -> Option<u8> {
        self.attrs.get(NeighAttrs::PROTOCOL)
    }

    /// Writes the entry as `ip neigh` does, naming the device `dev` (or
    /// `ifindex N` when `None`).
    pub fn write_text(&self, f: &mut dyn fmt::Write, dev: Option<&str>) -> fmt::Result {
        let mut sep = "";
        if let Some(dst) = self.dst() {
            write!(f, "{dst}")?;
            sep = " ";
        }
        match dev {
            Some(dev) => write!(f, "{sep}dev {dev}")?,
            None => write!(f, "{sep}ifindex {}", self.ifindex())?,
        }
        if let Some(vlan) = self.vlan() {
            write!(f, " vlan {vlan}")?;
        }
        if let Some(lladdr) = self.lladdr() {
            write!(f, " lladdr {lladdr}")?;
        }
        if let Some(port) = self.port() {
            write!(f, " port {port}")?;
        }
        if let Some(vni) = self.vni() {
            write!(f, " vni {vni}")?;
        }
        for name in self.flags().names() {
            write!(f, " {name}")?;
        }
        for name in self.flags_ext().names() {
            write!(f, " {name}")?;
        }
        write!(f, " {}", self.state())?;
        // After the state, by name, as `ip neigh` prints it.
        if let Some(protocol) = self.protocol() {
            write!(f, " proto {}", RouteProtocol::from(protocol))?;
        }
        Ok(())
    }
}

impl fmt::Display for Neigh<'_> {
    /// Like `ip neigh show`, with the interface index for the device name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_text(f, None)
    }
}

/// Which entries a neighbour dump returns (strict-checked by the kernel).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NeighDumpFilter {
    /// Only entries of this address family (`Unspec`: all).
    pub family: Option<AddressFamily>,
    /// Only entries on this interface (`NDA_IFINDEX`).
    pub ifindex: Option<u32>,
    /// Only entries on ports of this master (`NDA_MASTER`).
    pub master: Option<u32>,
    /// Proxy entries instead of the cache (`NTF_PROXY`).
    pub proxy: bool,
}

/// Builds an `RTM_GETNEIGH` dump with `filter` into `buf`.
pub fn dump<'b>(buf: &'b mut [u8], seq: u32, filter: &NeighDumpFilter) -> Result<&'b [u8], Error> {
    let header = NeighHeader {
        family: filter.family.map_or(0, u8::from),
        flags: if filter.proxy { NeighFlags::PROXY } else { 0 },
        ..NeighHeader::default()
    };
    let mut attrs = 0;
    if let Some(ifindex) = filter.ifindex {
        attrs += NeighAttrs::IFINDEX.space(&ifindex)?;
    }
    if let Some(master) = filter.master {
        attrs += NeighAttrs::MASTER.space(&master)?;
    }
    build(buf, RTM_GETNEIGH, Flags::DUMP, seq, &header, attrs, |w| {
        if let Some(ifindex) = filter.ifindex {
            w.put(NeighAttrs::IFINDEX, ifindex)?;
        }
        if let Some(master) = filter.master {
            w.put(NeighAttrs::MASTER, master)?;
        }
        Ok(())
    })
}

/// A neighbour entry to add or delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NeighSpec<'a> {
    /// Interface index.
    pub ifindex: u32,
    /// Network address (its version gives the family).
    pub dst: IpAddr,
    /// Link-layer address (not needed to delete).
    pub lladdr: Option<&'a [u8]>,
    /// [`NudState`] bits (`NUD_PERMANENT` for a static entry).
    pub state: u16,
    /// [`NeighFlags`] bits (`NTF_ROUTER`, `NTF_PROXY`…).
    pub flags: u8,
}

impl NeighSpec<'_> {
    fn header(&self) -> Result<NeighHeader, Error> {
        let family = match self.dst {
            IpAddr::V4(_) => AddressFamily::Inet,
            IpAddr::V6(_) => AddressFamily::Inet6,
        };
        Ok(NeighHeader {
            family: family.into(),
            ifindex: I32::new(i32::try_from(self.ifindex).map_err(|_| Error::TooLong)?),
            state: U16::new(self.state),
            flags: self.flags,
            ty: 0,
            ..NeighHeader::default()
        })
    }
}

/// Builds `RTM_NEWNEIGH` for `spec` into `buf`. `flags` adds
/// `NLM_F_CREATE`, `NLM_F_EXCL`, `NLM_F_REPLACE`… (`NLM_F_REQUEST` is always set).
pub fn new_neigh<'b>(
    buf: &'b mut [u8],
    seq: u32,
    flags: Flags,
    spec: &NeighSpec<'_>,
) -> Result<&'b [u8], Error> {
    let header = spec.header()?;
    let mut attrs = NeighAttrs::DST.space(&spec.dst)?;
    if let Some(lladdr) = spec.lladdr {
        attrs += NeighAttrs::LLADDR.space(&lladdr)?;
    }
    build(buf, RTM_NEWNEIGH, flags, seq, &header, attrs, |w| {
        w.put(NeighAttrs::DST, spec.dst)?;
        if let Some(lladdr) = spec.lladdr {
            w.put(NeighAttrs::LLADDR, lladdr)?;
        }
        Ok(())
    })
}

/// Builds `RTM_DELNEIGH` for the entry `dst` on `ifindex` into `buf`.
pub fn del_neigh(buf: &mut [u8], seq: u32, ifindex: u32, dst: IpAddr) -> Result<&[u8], Error> {
    one_entry(buf, RTM_DELNEIGH, seq, ifindex, dst)
}

/// Builds `RTM_GETNEIGH` for the one entry of `dst` on interface `ifindex`
/// (as `ip neigh get` asks); the kernel answers with one `RTM_NEWNEIGH`,
/// or ENOENT.
pub fn get_neigh(buf: &mut [u8], seq: u32, ifindex: u32, dst: IpAddr) -> Result<&[u8], Error> {
    one_entry(buf, RTM_GETNEIGH, seq, ifindex, dst)
}

/// A request naming one entry: its interface in the header, its address as `NDA_DST`.
fn one_entry(buf: &mut [u8], ty: u16, seq: u32, ifindex: u32, dst: IpAddr) -> Result<&[u8], Error> {
    let spec = NeighSpec {
        ifindex,
        dst,
        lladdr: None,
        state: 0,
        flags: 0,
    };
    let header = spec.header()?;
    let attrs = NeighAttrs::DST.space(&dst)?;
    build(buf, ty, Flags::NONE, seq, &header, attrs, |w| {
        w.put(NeighAttrs::DST, dst)
    })
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::string::String;

    use super::*;
    use crate::nlmsg::Message;

    /// `ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent`,
    /// as this kernel (6.18) dumps it.
    #[rustfmt::skip]
    static PERMANENT: [u8; 76] = [
        0x4c, 0x00, 0x00, 0x00, // nlmsg_len = 76
        0x1c, 0x00,             // nlmsg_type = RTM_NEWNEIGH
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0xaf, 0x67, 0x00, 0x00, // nlmsg_pid
        0x02, 0x00, 0x00, 0x00, // ndm_family = AF_INET, pad
        0x03, 0x00, 0x00, 0x00, // ndm_ifindex = 3
        0x80, 0x00,             // ndm_state = NUD_PERMANENT
        0x00,                   // ndm_flags = 0
        0x01,                   // ndm_type = RTN_UNICAST
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, NDA_DST
        0x0a, 0x00, 0x00, 0x02, // 10.0.0.2
        0x0a, 0x00, 0x02, 0x00, // nla_len = 10, NDA_LLADDR
        0x02, 0x00, 0x00, 0x00, // 02:00:00:00
        0x00, 0x02, 0x00, 0x00, // 00:02 + 2 padding
        0x08, 0x00, 0x04, 0x00, // nla_len = 8, NDA_PROBES
        0x00, 0x00, 0x00, 0x00, // 0
        0x14, 0x00, 0x03, 0x00, // nla_len = 20, NDA_CACHEINFO
        0x0a, 0x00, 0x00, 0x00, // ndm_confirmed = 10
        0x0a, 0x00, 0x00, 0x00, // ndm_used = 10
        0x0a, 0x00, 0x00, 0x00, // ndm_updated = 10
        0x00, 0x00, 0x00, 0x00, // ndm_refcnt = 0
    ];

    /// `ip neigh add 2001:db8::3 lladdr 02:00:00:00:00:04 dev v0 nud stale router`.
    #[rustfmt::skip]
    static ROUTER_V6: [u8; 88] = [
        0x58, 0x00, 0x00, 0x00, // nlmsg_len = 88
        0x1c, 0x00,             // nlmsg_type = RTM_NEWNEIGH
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0xaf, 0x67, 0x00, 0x00, // nlmsg_pid
        0x0a, 0x00, 0x00, 0x00, // ndm_family = AF_INET6, pad
        0x03, 0x00, 0x00, 0x00, // ndm_ifindex = 3
        0x04, 0x00,             // ndm_state = NUD_STALE
        0x80,                   // ndm_flags = NTF_ROUTER
        0x01,                   // ndm_type = RTN_UNICAST
        0x14, 0x00, 0x01, 0x00, // nla_len = 20, NDA_DST
        0x20, 0x01, 0x0d, 0xb8, // 2001:db8::3
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x03,
        0x0a, 0x00, 0x02, 0x00, // nla_len = 10, NDA_LLADDR
        0x02, 0x00, 0x00, 0x00, // 02:00:00:00
        0x00, 0x04, 0x00, 0x00, // 00:04 + 2 padding
        0x08, 0x00, 0x04, 0x00, // nla_len = 8, NDA_PROBES
        0x00, 0x00, 0x00, 0x00, // 0
        0x14, 0x00, 0x03, 0x00, // nla_len = 20, NDA_CACHEINFO
        0x7a, 0x17, 0x00, 0x00, // ndm_confirmed = 6010
        0x0a, 0x00, 0x00, 0x00, // ndm_used = 10
        0x0a, 0x00, 0x00, 0x00, // ndm_updated = 10
        0x00, 0x00, 0x00, 0x00, // ndm_refcnt = 0
    ];

    fn neigh(bytes: &[u8]) -> Result<Neigh<'_>, Error> {
        Neigh::parse(&Message::parse(bytes)?)
    }

    #[test]
    fn decode_a_permanent_ipv4_entry() {
        let n = neigh(&PERMANENT).unwrap();
        assert_eq!(n.family(), AddressFamily::Inet);
        assert_eq!(n.ifindex(), 3);
        assert_eq!(n.state(), NudState(NudState::PERMANENT));
        assert_eq!(n.flags(), NeighFlags(0));
        assert_eq!(n.kind(), 1);
        assert_eq!(n.dst(), Some("10.0.0.2".parse().unwrap()));
        assert_eq!(n.lladdr().unwrap().0, &[2, 0, 0, 0, 0, 2]);
        assert_eq!(n.probes(), Some(0));
        let ci = n.cacheinfo().unwrap();
        assert_eq!(
            (
                ci.confirmed.get(),
                ci.used.get(),
                ci.updated.get(),
                ci.refcnt.get()
            ),
            (10, 10, 10, 0)
        );
        assert_eq!(n.attrs.unknown(), 0);
        assert_eq!(
            format!("{n}"),
            "10.0.0.2 ifindex 3 lladdr 02:00:00:00:00:02 PERMANENT"
        );
    }

    #[test]
    fn decode_an_ipv6_router_entry() {
        let n = neigh(&ROUTER_V6).unwrap();
        assert_eq!(n.family(), AddressFamily::Inet6);
        assert_eq!(n.state(), NudState(NudState::STALE));
        assert!(n.flags().contains(NeighFlags::ROUTER));
        assert_eq!(n.dst(), Some("2001:db8::3".parse().unwrap()));
        assert_eq!(n.cacheinfo().unwrap().confirmed.get(), 6010);
        let mut text = String::new();
        n.write_text(&mut text, Some("v0")).unwrap();
        assert_eq!(
            text,
            "2001:db8::3 dev v0 lladdr 02:00:00:00:00:04 router STALE"
        );
    }

    #[test]
    fn state_and_flag_names() {
        assert_eq!(format!("{}", NudState(0)), "NONE");
        assert_eq!(format!("{}", NudState(0x06)), "REACHABLE STALE");
        assert_eq!(format!("{}", NudState(0x140)), "NOARP 0x100");
        let all: std::vec::Vec<_> = NeighFlags(0xff).names().collect();
        assert_eq!(
            all,
            [
                "use",
                "self",
                "master",
                "proxy",
                "extern_learn",
                "offload",
                "sticky",
                "router"
            ]
        );
        assert_eq!(NeighFlagsExt(1).names().next(), Some("managed"));
    }

    #[test]
    fn truncated_and_wrong_messages_are_errors() {
        for cut in [16, 20, 27] {
            let mut short = std::vec::Vec::from(&PERMANENT[..cut]);
            short[0] = cut as u8;
            assert_eq!(neigh(&short).unwrap_err(), Error::Truncated, "{cut}");
        }
        let mut other = PERMANENT;
        other[4] = 16; // RTM_NEWLINK
        assert_eq!(neigh(&other).unwrap_err(), Error::UnexpectedType { ty: 16 });
        // A CACHEINFO of 12 bytes is too short for the struct.
        let mut bad = PERMANENT;
        bad[56] = 0x10;
        bad[0] = 72;
        assert!(neigh(&bad[..72]).is_err());
    }

    #[test]
    fn longer_cacheinfo_is_accepted() {
        let mut long = std::vec::Vec::from(&PERMANENT[..]);
        long[56] = 0x18; // nla_len = 24
        long.extend_from_slice(&[7, 0, 0, 0]);
        long[0] = 80;
        let n = neigh(&long).unwrap();
        assert_eq!(n.cacheinfo().unwrap().refcnt.get(), 0);
    }

    #[test]
    fn dump_request_with_filters() {
        let mut buf = [0xa5u8; 48];
        let filter = NeighDumpFilter {
            family: Some(AddressFamily::Inet),
            ifindex: Some(3),
            master: Some(7),
            proxy: false,
        };
        let request = dump(&mut buf, 9, &filter).unwrap();
        #[rustfmt::skip]
        let want: [u8; 44] = [
            0x2c, 0x00, 0x00, 0x00, // nlmsg_len = 44
            0x1e, 0x00,             // nlmsg_type = RTM_GETNEIGH
            0x01, 0x03,             // NLM_F_REQUEST | NLM_F_DUMP
            0x09, 0x00, 0x00, 0x00, // nlmsg_seq = 9
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x02, 0x00, 0x00, 0x00, // ndm_family = AF_INET, pad
            0x00, 0x00, 0x00, 0x00, // ndm_ifindex = 0 (strict check wants it zero)
            0x00, 0x00, 0x00, 0x00, // state, flags, type
            0x08, 0x00, 0x08, 0x00, // nla_len = 8, NDA_IFINDEX
            0x03, 0x00, 0x00, 0x00, // 3
            0x08, 0x00, 0x09, 0x00, // nla_len = 8, NDA_MASTER
            0x07, 0x00, 0x00, 0x00, // 7
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[44..], &[0xa5; 4]);
    }

    #[test]
    fn new_and_del_requests() {
        let mut buf = [0xa5u8; 64];
        let spec = NeighSpec {
            ifindex: 3,
            dst: "10.0.0.2".parse().unwrap(),
            lladdr: Some(&[2, 0, 0, 0, 0, 2]),
            state: NudState::PERMANENT,
            flags: 0,
        };
        let request = new_neigh(&mut buf, 5, Flags::CREATE | Flags::EXCL, &spec).unwrap();
        #[rustfmt::skip]
        let want: [u8; 48] = [
            0x30, 0x00, 0x00, 0x00, // nlmsg_len = 48
            0x1c, 0x00,             // nlmsg_type = RTM_NEWNEIGH
            0x01, 0x06,             // NLM_F_REQUEST | NLM_F_EXCL | NLM_F_CREATE
            0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x02, 0x00, 0x00, 0x00, // ndm_family = AF_INET, pad
            0x03, 0x00, 0x00, 0x00, // ndm_ifindex = 3
            0x80, 0x00, 0x00, 0x00, // NUD_PERMANENT, flags 0, type 0
            0x08, 0x00, 0x01, 0x00, // nla_len = 8, NDA_DST
            0x0a, 0x00, 0x00, 0x02, // 10.0.0.2
            0x0a, 0x00, 0x02, 0x00, // nla_len = 10, NDA_LLADDR
            0x02, 0x00, 0x00, 0x00, // 02:00:00:00
            0x00, 0x02, 0x00, 0x00, // 00:02 + 2 padding
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[48..], &[0xa5; 16]);

        let mut buf = [0xa5u8; 52];
        let request = del_neigh(&mut buf, 6, 3, "2001:db8::3".parse().unwrap()).unwrap();
        #[rustfmt::skip]
        let want: [u8; 48] = [
            0x30, 0x00, 0x00, 0x00, // nlmsg_len = 48
            0x1d, 0x00,             // nlmsg_type = RTM_DELNEIGH
            0x01, 0x00,             // NLM_F_REQUEST
            0x06, 0x00, 0x00, 0x00, // nlmsg_seq = 6
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x0a, 0x00, 0x00, 0x00, // ndm_family = AF_INET6, pad
            0x03, 0x00, 0x00, 0x00, // ndm_ifindex = 3
            0x00, 0x00, 0x00, 0x00, // state, flags, type
            0x14, 0x00, 0x01, 0x00, // nla_len = 20, NDA_DST
            0x20, 0x01, 0x0d, 0xb8, // 2001:db8::3
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x03,
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[48..], &[0xa5; 4]);
    }

    #[test]
    fn get_request() {
        let mut buf = [0xa5u8; 40];
        let request = get_neigh(&mut buf, 7, 3, "10.0.0.2".parse().unwrap()).unwrap();
        #[rustfmt::skip]
        let want: [u8; 36] = [
            0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
            0x1e, 0x00,             // nlmsg_type = RTM_GETNEIGH
            0x01, 0x00,             // NLM_F_REQUEST (no DUMP: one entry)
            0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x02, 0x00, 0x00, 0x00, // ndm_family = AF_INET, pad
            0x03, 0x00, 0x00, 0x00, // ndm_ifindex = 3
            0x00, 0x00, 0x00, 0x00, // state, flags, type
            0x08, 0x00, 0x01, 0x00, // nla_len = 8, NDA_DST
            0x0a, 0x00, 0x00, 0x02, // 10.0.0.2
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[36..], &[0xa5; 4]);
        for cap in 0..36 {
            let mut buf = std::vec![0xa5u8; cap];
            let err = get_neigh(&mut buf, 7, 3, "10.0.0.2".parse().unwrap()).unwrap_err();
            assert_eq!(err, Error::NoRoom { needed: 36 });
            assert!(buf.iter().all(|&b| b == 0xa5), "{cap}: nothing written");
        }
    }

    #[test]
    fn requests_without_room_write_nothing_and_report_the_total() {
        type Build = fn(&mut [u8]) -> Result<&[u8], Error>;
        let builders: [(Build, usize); 3] = [
            (
                |b| {
                    dump(
                        b,
                        1,
                        &NeighDumpFilter {
                            ifindex: Some(1),
                            ..Default::default()
                        },
                    )
                },
                36,
            ),
            (
                |b| {
                    let spec = NeighSpec {
                        ifindex: 1,
                        dst: "10.0.0.1".parse().unwrap(),
                        lladdr: Some(&[1, 2, 3, 4, 5, 6]),
                        state: NudState::PERMANENT,
                        flags: 0,
                    };
                    new_neigh(b, 1, Flags::CREATE, &spec)
                },
                48,
            ),
            (|b| del_neigh(b, 1, 1, "10.0.0.1".parse().unwrap()), 36),
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
    fn a_request_decodes_back() {
        let mut buf = [0u8; 64];
        let spec = NeighSpec {
            ifindex: 4,
            dst: "2001:db8::9".parse().unwrap(),
            lladdr: Some(&[0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]),
            state: NudState::REACHABLE,
            flags: NeighFlags::ROUTER,
        };
        let request = new_neigh(&mut buf, 1, Flags::CREATE, &spec).unwrap();
        let n = neigh(request).unwrap();
        assert_eq!(n.ifindex(), 4);
        assert_eq!(n.dst(), Some(spec.dst));
        assert_eq!(
            n.lladdr(),
            Some(LinkAddr(&[0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]))
        );
        assert_eq!(n.state().0, NudState::REACHABLE);
        assert_eq!(n.flags().0, NeighFlags::ROUTER);
    }

    mod properties {
        use proptest::prelude::*;
        use std::string::String;
        use std::vec::Vec;

        use super::*;

        fn poke(n: &Neigh<'_>) -> String {
            let _ = (
                n.family(),
                n.ifindex(),
                n.state(),
                n.flags(),
                n.flags_ext(),
                n.kind(),
            );
            let _ = (
                n.dst(),
                n.lladdr(),
                n.cacheinfo(),
                n.probes(),
                n.vlan(),
                n.port(),
            );
            let _ = (n.vni(), n.master(), n.protocol());
            format!("{n}")
        }

        proptest! {
            #[test]
            fn arbitrary_payloads_never_panic(payload in prop::collection::vec(any::<u8>(), 0..200)) {
                if let Ok(n) = Neigh::parse_payload(RTM_NEWNEIGH, &payload) {
                    poke(&n);
                }
            }

            #[test]
            fn entries_round_trip(
                ifindex in 1u32..0x7fff_ffff,
                v6 in any::<bool>(),
                raw in any::<[u8; 16]>(),
                lladdr in prop::option::of(prop::collection::vec(any::<u8>(), 0..=32)),
                state in any::<u16>(),
                flags in any::<u8>(),
            ) {
                let dst = if v6 {
                    IpAddr::from(raw)
                } else {
                    IpAddr::from([raw[0], raw[1], raw[2], raw[3]])
                };
                let spec = NeighSpec { ifindex, dst, lladdr: lladdr.as_deref(), state, flags };
                let mut buf = [0u8; 128];
                let msg = new_neigh(&mut buf, 1, Flags::CREATE, &spec).unwrap();
                let n = neigh(msg).unwrap();
                prop_assert_eq!(n.ifindex(), i32::try_from(ifindex).unwrap());
                prop_assert_eq!(n.dst(), Some(dst));
                prop_assert_eq!(n.lladdr().map(|l| Vec::from(l.0)), lladdr);
                prop_assert_eq!(n.state().0, state);
                prop_assert_eq!(n.flags().0, flags);
                poke(&n);
            }
        }
    }
}
