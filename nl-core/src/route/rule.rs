//! Routing policy rules (`RTM_NEWRULE`, `RTM_DELRULE`, `RTM_GETRULE`),
//! IPv4 and IPv6.
//!
//! Spec: `rt-rule.yaml`; header: `linux/fib_rules.h`.
//!
//! ```text
//!  0               1               2               3
//! +---------------+---------------+---------------+---------------+
//! | family (u8)   | dst_len (u8)  | src_len (u8)  | tos (u8)      |
//! +---------------+---------------+---------------+---------------+
//! | table (u8)    | res1 (u8)     | res2 (u8)     | action (u8)   |
//! +---------------+---------------+---------------+---------------+
//! |                          flags (u32)                          |
//! +---------------------------------------------------------------+
//! | attributes (FRA_*) ...                                        |
//! ```

use core::fmt;
use core::net::IpAddr;

use zerocopy::byteorder::native_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::{AddressFamily, RTM_DELRULE, RTM_GETRULE, RTM_NEWRULE};
use crate::Error;
use crate::family::{FamilyMessage, FixedHeader};
use crate::nlmsg::{Flags, RequestLayout, build};
use crate::route::route::RouteProtocol;
use crate::table::{Be32, Be64, Ip, NlStr, Str, Struct};

crate::value_enum! {
    /// `FR_ACT_*`: what a matching rule does, with the names `ip rule` uses
    /// (`action N` for a value without one).
    pub enum RuleAction(u8), unknown = "action " {
        /// `FR_ACT_UNSPEC`.
        Unspec = 0 => "unspec",
        /// `FR_ACT_TO_TBL`: look up a routing table.
        ToTable = 1 => "to_tbl",
        /// `FR_ACT_GOTO`: jump to another rule.
        Goto = 2 => "goto",
        /// `FR_ACT_NOP`: do nothing.
        Nop = 3 => "nop",
        /// `FR_ACT_BLACKHOLE`: drop silently.
        Blackhole = 6 => "blackhole",
        /// `FR_ACT_UNREACHABLE`: drop, "network unreachable".
        Unreachable = 7 => "unreachable",
        /// `FR_ACT_PROHIBIT`: drop, "administratively prohibited".
        Prohibit = 8 => "prohibit",
    }
}

crate::flag_set! {
    /// `FIB_RULE_*`: rule flags (`flags` of the header); `ip rule` prints
    /// them as words of their own (`not`, `[detached]`, `[unresolved]`), so
    /// they have no names here.
    pub struct RuleFlags(u32) {
        /// `FIB_RULE_PERMANENT`.
        PERMANENT = 0x01,
        /// `FIB_RULE_INVERT`: match when the selector does not (`not`).
        INVERT = 0x02,
        /// `FIB_RULE_UNRESOLVED`: a `goto` whose target does not exist.
        UNRESOLVED = 0x04,
        /// `FIB_RULE_IIF_DETACHED`: the input interface is gone.
        IIF_DETACHED = 0x08,
        /// `FIB_RULE_OIF_DETACHED`: the output interface is gone.
        OIF_DETACHED = 0x10,
        /// `FIB_RULE_FIND_SADDR`.
        FIND_SADDR = 0x1_0000,
    }
}

/// Routing table ids with names (`RT_TABLE_*`).
pub mod table {
    /// `RT_TABLE_UNSPEC`.
    pub const UNSPEC: u32 = 0;
    /// `RT_TABLE_COMPAT`: the header's value when the id does not fit a byte.
    pub const COMPAT: u32 = 252;
    /// `RT_TABLE_DEFAULT`.
    pub const DEFAULT: u32 = 253;
    /// `RT_TABLE_MAIN`.
    pub const MAIN: u32 = 254;
    /// `RT_TABLE_LOCAL`.
    pub const LOCAL: u32 = 255;

    /// The name `ip` prints for a table id, if it has one (see
    /// [`RouteTable`](crate::route::route::RouteTable)).
    pub fn name(id: u32) -> Option<&'static str> {
        crate::route::route::RouteTable::from(id).name()
    }
}

/// The name `ip` prints for a few IP protocol numbers (`FRA_IP_PROTO`).
pub fn ip_proto_name(proto: u8) -> Option<&'static str> {
    match proto {
        1 => Some("icmp"),
        6 => Some("tcp"),
        17 => Some("udp"),
        33 => Some("dccp"),
        58 => Some("ipv6-icmp"),
        132 => Some("sctp"),
        _ => None,
    }
}

/// `struct fib_rule_hdr`: the fixed header of rule messages.
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
pub struct RuleHeader {
    /// `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// Destination prefix length.
    pub dst_len: u8,
    /// Source prefix length.
    pub src_len: u8,
    /// TOS to match.
    pub tos: u8,
    /// Table id, or `RT_TABLE_COMPAT` when it does not fit (see `FRA_TABLE`).
    pub table: u8,
    /// Reserved.
    pub res1: u8,
    /// Reserved.
    pub res2: u8,
    /// [`RuleAction`].
    pub action: u8,
    /// [`RuleFlags`].
    pub flags: U32,
}

impl RuleHeader {
    /// Size on the wire.
    pub const LEN: usize = 12;
}

/// `struct fib_rule_uid_range`.
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
pub struct UidRange {
    /// First uid.
    pub start: U32,
    /// Last uid.
    pub end: U32,
}

// fib-rule-uid-range.
impl crate::table::WireStruct for UidRange {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("start", 0, MemberKind::U32),
            Member::new("end", 4, MemberKind::U32),
        ]
    };
}

/// `struct fib_rule_port_range`.
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
pub struct PortRange {
    /// First port.
    pub start: U16,
    /// Last port.
    pub end: U16,
}

// fib-rule-port-range.
impl crate::table::WireStruct for PortRange {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("start", 0, MemberKind::U16),
            Member::new("end", 2, MemberKind::U16),
        ]
    };
}

crate::attr_set! {
    /// `FRA_*`: the attributes of rule messages.
    pub struct RuleAttrs = "fib-rule-attrs" {
        /// Destination prefix (4 or 16 bytes).
        1 DST "dst": Ip;
        /// Source prefix.
        2 SRC "src": Ip;
        /// Input interface name (`iif`).
        3 IIFNAME "iifname": Str<15>;
        /// Rule priority to jump to.
        4 GOTO "goto": u32;
        /// Priority (`pref`).
        6 PRIORITY "priority": u32;
        /// Firewall mark.
        10 FWMARK "fwmark": u32;
        /// Realm.
        11 FLOW "flow": u32;
        /// Tunnel id, network order.
        12 TUN_ID "tun-id": Be64;
        /// Suppress routes through interfaces of this group.
        13 SUPPRESS_IFGROUP "suppress-ifgroup": u32;
        /// Suppress routes with a prefix this long or shorter.
        14 SUPPRESS_PREFIXLEN "suppress-prefixlen": u32;
        /// Table id (the full 32 bits).
        15 TABLE "table": u32;
        /// Firewall mark mask.
        16 FWMASK "fwmask": u32;
        /// Output interface name (`oif`).
        17 OIFNAME "oifname": Str<15>;
        /// Look up the table of the L3 master device.
        19 L3MDEV "l3mdev": u8;
        /// [`UidRange`].
        20 UID_RANGE "uid-range": Struct<UidRange>;
        /// Who installed the rule (`RTPROT_*`).
        21 PROTOCOL "protocol": u8;
        /// IP protocol to match.
        22 IP_PROTO "ip-proto": u8;
        /// Source port [`PortRange`].
        23 SPORT_RANGE "sport-range": Struct<PortRange>;
        /// Destination port [`PortRange`].
        24 DPORT_RANGE "dport-range": Struct<PortRange>;
        /// DSCP to match.
        25 DSCP "dscp": u8;
        /// IPv6 flow label, network order.
        26 FLOWLABEL "flowlabel": Be32;
        /// IPv6 flow label mask, network order.
        27 FLOWLABEL_MASK "flowlabel-mask": Be32;
        /// Source port mask.
        28 SPORT_MASK "sport-mask": u16;
        /// Destination port mask.
        29 DPORT_MASK "dport-mask": u16;
        /// DSCP mask.
        30 DSCP_MASK "dscp-mask": u8;
    }
}

/// Where a rule request's attributes start and which set they are, for
/// naming the attribute a kernel error points at.
pub fn layout() -> RequestLayout {
    Rule::layout()
}

/// A rule message: `RTM_NEWRULE` (reply or event), `RTM_DELRULE`, or a request.
pub type Rule<'a> = FamilyMessage<'a, RuleHeader, RuleAttrs>;

impl FixedHeader for RuleHeader {
    const TYPES: &'static [u16] = &[RTM_NEWRULE, RTM_DELRULE, RTM_GETRULE];
}

// fib-rule-hdr, as rt-rule.yaml names it.
impl crate::table::WireStruct for RuleHeader {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("family", 0, MemberKind::U8),
            Member::new("dst-len", 1, MemberKind::U8),
            Member::new("src-len", 2, MemberKind::U8),
            Member::new("tos", 3, MemberKind::U8),
            Member::new("table", 4, MemberKind::U8),
            Member::new("action", 7, MemberKind::U8).enumerated::<super::spec_values::FrAct>(),
            Member::new("flags", 8, MemberKind::U32),
        ]
    };
}

impl<'a> Rule<'a> {
    /// Address family.
    pub fn family(&self) -> AddressFamily {
        self.header.family.into()
    }

    /// Action.
    pub fn action(&self) -> RuleAction {
        self.header.action.into()
    }

    /// Flags.
    pub fn flags(&self) -> RuleFlags {
        RuleFlags(self.header.flags.get())
    }

    /// Table id: `FRA_TABLE` when present, else the header's byte.
    pub fn table(&self) -> u32 {
        self.attrs
            .get(RuleAttrs::TABLE)
            .unwrap_or(u32::from(self.header.table))
    }

    /// Priority (0 when absent, as the kernel treats it).
    pub fn priority(&self) -> u32 {
        self.attrs.get(RuleAttrs::PRIORITY).unwrap_or(0)
    }

    /// Source prefix and length.
    pub fn src(&self) -> Option<(IpAddr, u8)> {
        self.attrs
            .get(RuleAttrs::SRC)
            .map(|a| (a, self.header.src_len))
    }

    /// Destination prefix and length.
    pub fn dst(&self) -> Option<(IpAddr, u8)> {
        self.attrs
            .get(RuleAttrs::DST)
            .map(|a| (a, self.header.dst_len))
    }

    /// Input interface name.
    pub fn iif(&self) -> Option<NlStr<'a>> {
        self.attrs.get(RuleAttrs::IIFNAME)
    }

    /// Output interface name.
    pub fn oif(&self) -> Option<NlStr<'a>> {
        self.attrs.get(RuleAttrs::OIFNAME)
    }

    /// Firewall mark and mask (mask `0xffffffff` when absent).
    pub fn fwmark(&self) -> Option<(u32, u32)> {
        let mark = self.attrs.get(RuleAttrs::FWMARK)?;
        Some((mark, self.attrs.get(RuleAttrs::FWMASK).unwrap_or(u32::MAX)))
    }

    /// Uid range.
    pub fn uid_range(&self) -> Option<(u32, u32)> {
        self.attrs
            .get(RuleAttrs::UID_RANGE)
            .map(|r| (r.start.get(), r.end.get()))
    }

    /// Source port range.
    pub fn sport(&self) -> Option<(u16, u16)> {
        self.attrs
            .get(RuleAttrs::SPORT_RANGE)
            .map(|r| (r.start.get(), r.end.get()))
    }

    /// Destination port range.
    pub fn dport(&self) -> Option<(u16, u16)> {
        self.attrs
            .get(RuleAttrs::DPORT_RANGE)
            .map(|r| (r.start.get(), r.end.get()))
    }

    /// IP protocol.
    pub fn ip_proto(&self) -> Option<u8> {
        self.attrs.get(RuleAttrs::IP_PROTO)
    }

    /// Protocol that installed the rule.
    pub fn protocol(&self) -> Option<u8> {
        self.attrs.get(RuleAttrs::PROTOCOL)
    }

    /// Goto target priority.
    pub fn goto(&self) -> Option<u32> {
        self.attrs.get(RuleAttrs::GOTO)
    }

    /// `suppress_prefixlength`: absent or -1 (`0xffffffff`) means unset.
    pub fn suppress_prefixlen(&self) -> Option<u32> {
        self.attrs
            .get(RuleAttrs::SUPPRESS_PREFIXLEN)
            .filter(|&v| v != u32::MAX)
    }

    /// `suppress_ifgroup`: absent or -1 means unset.
    pub fn suppress_ifgroup(&self) -> Option<u32> {
        self.attrs
            .get(RuleAttrs::SUPPRESS_IFGROUP)
            .filter(|&v| v != u32::MAX)
    }
}

fn write_prefix(f: &mut fmt::Formatter<'_>, addr: IpAddr, len: u8) -> fmt::Result {
    let full = match addr {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    };
    if len == full || len == 0 {
        write!(f, "{addr}")
    } else {
        write!(f, "{addr}/{len}")
    }
}

impl fmt::Display for Rule<'_> {
    /// Like one line of `ip rule show`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:\t", self.priority())?;
        if self.flags().contains(RuleFlags::INVERT) {
            f.write_str("not ")?;
        }
        f.write_str("from ")?;
        match self.src() {
            Some((addr, len)) => write_prefix(f, addr, len)?,
            None => f.write_str("all")?,
        }
        if let Some((addr, len)) = self.dst() {
            f.write_str(" to ")?;
            write_prefix(f, addr, len)?;
        }
        if self.header.tos != 0 {
            write!(f, " tos {:#x}", self.header.tos)?;
        }
        if let Some((mark, mask)) = self.fwmark() {
            write!(f, " fwmark {mark:#x}")?;
            if mask != u32::MAX {
                write!(f, "/{mask:#x}")?;
            }
        }
        if let Some(iif) = self.iif() {
            write!(f, " iif {iif}")?;
            if self.flags().contains(RuleFlags::IIF_DETACHED) {
                f.write_str(" [detached]")?;
            }
        }
        if let Some(oif) = self.oif() {
            write!(f, " oif {oif}")?;
            if self.flags().contains(RuleFlags::OIF_DETACHED) {
                f.write_str(" [detached]")?;
            }
        }
        if self.attrs.get(RuleAttrs::L3MDEV).is_some_and(|v| v != 0) {
            f.write_str(" lookup [l3mdev-table]")?;
        }
        if let Some((start, end)) = self.uid_range() {
            write!(f, " uidrange {start}-{end}")?;
        }
        match self.ip_proto().map(|p| (p, ip_proto_name(p))) {
            Some((_, Some(name))) => write!(f, " ipproto {name}")?,
            Some((p, None)) => write!(f, " ipproto {p}")?,
            None => {}
        }
        for (name, range) in [("sport", self.sport()), ("dport", self.dport())] {
            match range {
                Some((start, end)) if start == end => write!(f, " {name} {start}")?,
                Some((start, end)) => write!(f, " {name} {start}-{end}")?,
                None => {}
            }
        }
        if let Some(tun_id) = self.attrs.get(RuleAttrs::TUN_ID) {
            write!(f, " tun_id {tun_id}")?;
        }
        match self.action() {
            RuleAction::ToTable => {
                let id = self.table();
                match table::name(id) {
                    Some(name) => write!(f, " lookup {name}")?,
                    None => write!(f, " lookup {id}")?,
                }
                if let Some(len) = self.suppress_prefixlen() {
                    write!(f, " suppress_prefixlength {len}")?;
                }
                if let Some(group) = self.suppress_ifgroup() {
                    write!(f, " suppress_ifgroup {group}")?;
                }
            }
            RuleAction::Goto => {
                match self.goto() {
                    Some(target) => write!(f, " goto {target}")?,
                    None => f.write_str(" goto none")?,
                }
                if self.flags().contains(RuleFlags::UNRESOLVED) {
                    f.write_str(" [unresolved]")?;
                }
            }
            other => write!(f, " {other}")?,
        }
        if let Some(realm) = self.attrs.get(RuleAttrs::FLOW) {
            write!(f, " realms {realm}")?;
        }
        // Like `ip rule`: the protocol, unless it is unset or the kernel's.
        match self.protocol().map(RouteProtocol::from) {
            None | Some(RouteProtocol::Unspec | RouteProtocol::Kernel) => {}
            Some(protocol) => write!(f, " proto {protocol}")?,
        }
        Ok(())
    }
}

/// Builds an `RTM_GETRULE` dump of the `family` rules into `buf` (the
/// kernel's strict check accepts no filter beyond the family).
pub fn dump(buf: &mut [u8], seq: u32, family: AddressFamily) -> Result<&[u8], Error> {
    let header = RuleHeader {
        family: family.into(),
        ..RuleHeader::default()
    };
    build(buf, RTM_GETRULE, Flags::DUMP, seq, &header, 0, |_| Ok(()))
}

/// A rule to add or delete. Unset fields are left out of the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleSpec<'a> {
    /// `Inet` or `Inet6`.
    pub family: AddressFamily,
    /// What to do on a match.
    pub action: RuleAction,
    /// Table for [`RuleAction::ToTable`] (sent as `FRA_TABLE`, and in the
    /// header when it fits a byte).
    pub table: Option<u32>,
    /// Priority.
    pub priority: Option<u32>,
    /// Source prefix.
    pub src: Option<(IpAddr, u8)>,
    /// Destination prefix.
    pub dst: Option<(IpAddr, u8)>,
    /// Input interface name.
    pub iif: Option<&'a str>,
    /// Output interface name.
    pub oif: Option<&'a str>,
    /// Firewall mark and mask.
    pub fwmark: Option<(u32, u32)>,
    /// Uid range.
    pub uid_range: Option<(u32, u32)>,
    /// IP protocol.
    pub ip_proto: Option<u8>,
    /// Source port range.
    pub sport: Option<(u16, u16)>,
    /// Destination port range.
    pub dport: Option<(u16, u16)>,
    /// Goto target for [`RuleAction::Goto`].
    pub goto: Option<u32>,
    /// Who installs the rule (`RTPROT_*`).
    pub protocol: Option<u8>,
    /// Suppress routes with a prefix this long or shorter.
    pub suppress_prefixlen: Option<u32>,
    /// TOS to match.
    pub tos: u8,
    /// Invert the match (`not`).
    pub invert: bool,
}

impl<'a> RuleSpec<'a> {
    /// A rule of `family` that looks up `table`, everything else unset.
    pub fn lookup(family: AddressFamily, table: u32) -> Self {
        RuleSpec {
            family,
            action: RuleAction::ToTable,
            table: Some(table),
            priority: None,
            src: None,
            dst: None,
            iif: None,
            oif: None,
            fwmark: None,
            uid_range: None,
            ip_proto: None,
            sport: None,
            dport: None,
            goto: None,
            protocol: None,
            suppress_prefixlen: None,
            tos: 0,
            invert: false,
        }
    }

    fn header(&self) -> RuleHeader {
        let table = match self.table {
            Some(id) => u8::try_from(id).unwrap_or(table::COMPAT as u8),
            None => 0,
        };
        RuleHeader {
            family: self.family.into(),
            dst_len: self.dst.map_or(0, |(_, len)| len),
            src_len: self.src.map_or(0, |(_, len)| len),
            tos: self.tos,
            table,
            res1: 0,
            res2: 0,
            action: self.action.into(),
            flags: U32::new(if self.invert { RuleFlags::INVERT } else { 0 }),
        }
    }

    /// Bytes of attributes, after checking every value.
    fn attrs_space(&self) -> Result<usize, Error> {
        let mut n = 0;
        let mut add = |space: Result<usize, Error>| -> Result<(), Error> {
            n += space?;
            Ok(())
        };
        if let Some(v) = self.table {
            add(RuleAttrs::TABLE.space(&v))?;
        }
        if let Some(v) = self.priority {
            add(RuleAttrs::PRIORITY.space(&v))?;
        }
        if let Some((a, _)) = self.src {
            add(RuleAttrs::SRC.space(&a))?;
        }
        if let Some((a, _)) = self.dst {
            add(RuleAttrs::DST.space(&a))?;
        }
        if let Some(v) = self.iif {
            add(RuleAttrs::IIFNAME.space(&v))?;
        }
        if let Some(v) = self.oif {
            add(RuleAttrs::OIFNAME.space(&v))?;
        }
        if let Some((mark, mask)) = self.fwmark {
            add(RuleAttrs::FWMARK.space(&mark))?;
            add(RuleAttrs::FWMASK.space(&mask))?;
        }
        if self.uid_range.is_some() {
            add(RuleAttrs::UID_RANGE.space(&&UidRange::default()))?;
        }
        if let Some(v) = self.ip_proto {
            add(RuleAttrs::IP_PROTO.space(&v))?;
        }
        if self.sport.is_some() {
            add(RuleAttrs::SPORT_RANGE.space(&&PortRange::default()))?;
        }
        if self.dport.is_some() {
            add(RuleAttrs::DPORT_RANGE.space(&&PortRange::default()))?;
        }
        if let Some(v) = self.goto {
            add(RuleAttrs::GOTO.space(&v))?;
        }
        if let Some(v) = self.protocol {
            add(RuleAttrs::PROTOCOL.space(&v))?;
        }
        if let Some(v) = self.suppress_prefixlen {
            add(RuleAttrs::SUPPRESS_PREFIXLEN.space(&v))?;
        }
        Ok(n)
    }

    fn put_attrs(&self, w: &mut crate::Writer<'_>) -> Result<(), Error> {
        if let Some(v) = self.table {
            w.put(RuleAttrs::TABLE, v)?;
        }
        if let Some(v) = self.priority {
            w.put(RuleAttrs::PRIORITY, v)?;
        }
        if let Some((a, _)) = self.src {
            w.put(RuleAttrs::SRC, a)?;
        }
        if let Some((a, _)) = self.dst {
            w.put(RuleAttrs::DST, a)?;
        }
        if let Some(v) = self.iif {
            w.put(RuleAttrs::IIFNAME, v)?;
        }
        if let Some(v) = self.oif {
            w.put(RuleAttrs::OIFNAME, v)?;
        }
        if let Some((mark, mask)) = self.fwmark {
            w.put(RuleAttrs::FWMARK, mark)?;
            w.put(RuleAttrs::FWMASK, mask)?;
        }
        if let Some((start, end)) = self.uid_range {
            let range = UidRange {
                start: U32::new(start),
                end: U32::new(end),
            };
            w.put(RuleAttrs::UID_RANGE, &range)?;
        }
        if let Some(v) = self.ip_proto {
            w.put(RuleAttrs::IP_PROTO, v)?;
        }
        for (field, range) in [
            (RuleAttrs::SPORT_RANGE, self.sport),
            (RuleAttrs::DPORT_RANGE, self.dport),
        ] {
            if let Some((start, end)) = range {
                let range = PortRange {
                    start: U16::new(start),
                    end: U16::new(end),
                };
                w.put(field, &range)?;
            }
        }
        if let Some(v) = self.goto {
            w.put(RuleAttrs::GOTO, v)?;
        }
        if let Some(v) = self.protocol {
            w.put(RuleAttrs::PROTOCOL, v)?;
        }
        if let Some(v) = self.suppress_prefixlen {
            w.put(RuleAttrs::SUPPRESS_PREFIXLEN, v)?;
        }
        Ok(())
    }
}

/// Builds `RTM_NEWRULE` for `spec` into `buf`. `flags` adds `NLM_F_CREATE`,
/// `NLM_F_EXCL`… (`NLM_F_REQUEST` is always set).
pub fn new_rule<'b>(
    buf: &'b mut [u8],
    seq: u32,
    flags: Flags,
    spec: &RuleSpec<'_>,
) -> Result<&'b [u8], Error> {
    let attrs = spec.attrs_space()?;
    build(buf, RTM_NEWRULE, flags, seq, &spec.header(), attrs, |w| {
        spec.put_attrs(w)
    })
}

/// Builds `RTM_DELRULE` for the rule matching `spec` into `buf` (the kernel
/// deletes the first rule equal in every field given).
pub fn del_rule<'b>(buf: &'b mut [u8], seq: u32, spec: &RuleSpec<'_>) -> Result<&'b [u8], Error> {
    let attrs = spec.attrs_space()?;
    build(
        buf,
        RTM_DELRULE,
        Flags::NONE,
        seq,
        &spec.header(),
        attrs,
        |w| spec.put_attrs(w),
    )
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::vec::Vec;

    use super::*;
    use crate::nlmsg::Message;

    /// `ip rule add pref 100 fwmark 0x10/0xff iif lo uidrange 1000-2000
    /// ipproto tcp sport 1000-2000 dport 80 table 1000`, as this kernel
    /// (6.18) dumps it.
    #[rustfmt::skip]
    static FULL: [u8; 128] = [
        0x80, 0x00, 0x00, 0x00, // nlmsg_len = 128
        0x20, 0x00,             // nlmsg_type = RTM_NEWRULE
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0xc1, 0x68, 0x00, 0x00, // nlmsg_pid
        0x02, 0x00, 0x00, 0x00, // family = AF_INET, dst_len 0, src_len 0, tos 0
        0xfc, 0x00, 0x00, 0x01, // table = RT_TABLE_COMPAT, res, action = FR_ACT_TO_TBL
        0x00, 0x00, 0x00, 0x00, // flags = 0
        0x08, 0x00, 0x0f, 0x00, // nla_len = 8, FRA_TABLE
        0xe8, 0x03, 0x00, 0x00, // 1000
        0x08, 0x00, 0x0e, 0x00, // nla_len = 8, FRA_SUPPRESS_PREFIXLEN
        0xff, 0xff, 0xff, 0xff, // -1 (unset)
        0x05, 0x00, 0x15, 0x00, // nla_len = 5, FRA_PROTOCOL
        0x00, 0x00, 0x00, 0x00, // RTPROT_UNSPEC + 3 padding
        0x07, 0x00, 0x03, 0x00, // nla_len = 7, FRA_IIFNAME
        0x6c, 0x6f, 0x00, 0x00, // "lo\0" + 1 padding
        0x08, 0x00, 0x06, 0x00, // nla_len = 8, FRA_PRIORITY
        0x64, 0x00, 0x00, 0x00, // 100
        0x08, 0x00, 0x0a, 0x00, // nla_len = 8, FRA_FWMARK
        0x10, 0x00, 0x00, 0x00, // 0x10
        0x08, 0x00, 0x10, 0x00, // nla_len = 8, FRA_FWMASK
        0xff, 0x00, 0x00, 0x00, // 0xff
        0x0c, 0x00, 0x14, 0x00, // nla_len = 12, FRA_UID_RANGE
        0xe8, 0x03, 0x00, 0x00, // start = 1000
        0xd0, 0x07, 0x00, 0x00, // end = 2000
        0x08, 0x00, 0x17, 0x00, // nla_len = 8, FRA_SPORT_RANGE
        0xe8, 0x03, 0xd0, 0x07, // 1000-2000
        0x08, 0x00, 0x18, 0x00, // nla_len = 8, FRA_DPORT_RANGE
        0x50, 0x00, 0x50, 0x00, // 80-80
        0x06, 0x00, 0x1d, 0x00, // nla_len = 6, FRA_DPORT_MASK
        0xff, 0xff, 0x00, 0x00, // 0xffff + 2 padding
        0x05, 0x00, 0x16, 0x00, // nla_len = 5, FRA_IP_PROTO
        0x06, 0x00, 0x00, 0x00, // IPPROTO_TCP + 3 padding
    ];

    /// `ip -6 rule add pref 200 from 2001:db8::/32 oif v0 table 300`.
    #[rustfmt::skip]
    static V6: [u8; 88] = [
        0x58, 0x00, 0x00, 0x00, // nlmsg_len = 88
        0x20, 0x00,             // nlmsg_type = RTM_NEWRULE
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0xeb, 0x68, 0x00, 0x00, // nlmsg_pid
        0x0a, 0x00, 0x20, 0x00, // family = AF_INET6, dst_len 0, src_len 32, tos 0
        0xfc, 0x00, 0x00, 0x01, // table = RT_TABLE_COMPAT, res, action = FR_ACT_TO_TBL
        0x00, 0x00, 0x00, 0x00, // flags = 0
        0x08, 0x00, 0x0f, 0x00, // nla_len = 8, FRA_TABLE
        0x2c, 0x01, 0x00, 0x00, // 300
        0x08, 0x00, 0x0e, 0x00, // nla_len = 8, FRA_SUPPRESS_PREFIXLEN
        0xff, 0xff, 0xff, 0xff, // -1 (unset)
        0x05, 0x00, 0x15, 0x00, // nla_len = 5, FRA_PROTOCOL
        0x00, 0x00, 0x00, 0x00, // RTPROT_UNSPEC + 3 padding
        0x07, 0x00, 0x11, 0x00, // nla_len = 7, FRA_OIFNAME
        0x76, 0x30, 0x00, 0x00, // "v0\0" + 1 padding
        0x08, 0x00, 0x06, 0x00, // nla_len = 8, FRA_PRIORITY
        0xc8, 0x00, 0x00, 0x00, // 200
        0x14, 0x00, 0x02, 0x00, // nla_len = 20, FRA_SRC
        0x20, 0x01, 0x0d, 0xb8, // 2001:db8::
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
    ];

    /// `ip rule add pref 300 to 10.0.0.0/8 prohibit`.
    #[rustfmt::skip]
    static PROHIBIT: [u8; 68] = [
        0x44, 0x00, 0x00, 0x00, // nlmsg_len = 68
        0x20, 0x00,             // nlmsg_type = RTM_NEWRULE
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0xc1, 0x68, 0x00, 0x00, // nlmsg_pid
        0x02, 0x08, 0x00, 0x00, // family = AF_INET, dst_len 8, src_len 0, tos 0
        0x00, 0x00, 0x00, 0x08, // table 0, res, action = FR_ACT_PROHIBIT
        0x00, 0x00, 0x00, 0x00, // flags = 0
        0x08, 0x00, 0x0f, 0x00, // nla_len = 8, FRA_TABLE
        0x00, 0x00, 0x00, 0x00, // 0
        0x08, 0x00, 0x0e, 0x00, // nla_len = 8, FRA_SUPPRESS_PREFIXLEN
        0xff, 0xff, 0xff, 0xff, // -1 (unset)
        0x05, 0x00, 0x15, 0x00, // nla_len = 5, FRA_PROTOCOL
        0x00, 0x00, 0x00, 0x00, // RTPROT_UNSPEC + 3 padding
        0x08, 0x00, 0x06, 0x00, // nla_len = 8, FRA_PRIORITY
        0x2c, 0x01, 0x00, 0x00, // 300
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, FRA_DST
        0x0a, 0x00, 0x00, 0x00, // 10.0.0.0
    ];

    fn rule(bytes: &[u8]) -> Result<Rule<'_>, Error> {
        Rule::parse(&Message::parse(bytes)?)
    }

    #[test]
    fn decode_a_rule_with_every_selector() {
        let r = rule(&FULL).unwrap();
        assert_eq!(r.family(), AddressFamily::Inet);
        assert_eq!(r.action(), RuleAction::ToTable);
        assert_eq!(r.header.table, 252);
        assert_eq!(r.table(), 1000);
        assert_eq!(r.priority(), 100);
        assert_eq!(r.iif().unwrap(), "lo");
        assert_eq!(r.fwmark(), Some((0x10, 0xff)));
        assert_eq!(r.uid_range(), Some((1000, 2000)));
        assert_eq!(r.sport(), Some((1000, 2000)));
        assert_eq!(r.dport(), Some((80, 80)));
        assert_eq!(r.attrs.get(RuleAttrs::DPORT_MASK), Some(0xffff));
        assert_eq!(r.ip_proto(), Some(6));
        assert_eq!(r.protocol(), Some(0));
        assert_eq!(r.suppress_prefixlen(), None);
        assert_eq!(r.src(), None);
        assert_eq!(r.attrs.unknown(), 0);
        assert_eq!(
            format!("{r}"),
            "100:\tfrom all fwmark 0x10/0xff iif lo uidrange 1000-2000 ipproto tcp \
             sport 1000-2000 dport 80 lookup 1000"
        );
    }

    #[test]
    fn decode_v6_and_prohibit_rules() {
        let r = rule(&V6).unwrap();
        assert_eq!(r.family(), AddressFamily::Inet6);
        assert_eq!(r.src(), Some(("2001:db8::".parse().unwrap(), 32)));
        assert_eq!(r.oif().unwrap(), "v0");
        assert_eq!(r.table(), 300);
        assert_eq!(format!("{r}"), "200:\tfrom 2001:db8::/32 oif v0 lookup 300");

        let r = rule(&PROHIBIT).unwrap();
        assert_eq!(r.action(), RuleAction::Prohibit);
        assert_eq!(r.dst(), Some(("10.0.0.0".parse().unwrap(), 8)));
        assert_eq!(format!("{r}"), "300:\tfrom all to 10.0.0.0/8 prohibit");
    }

    #[test]
    fn actions_round_trip_with_names() {
        let names = [
            "unspec",
            "to_tbl",
            "goto",
            "nop",
            "action 4",
            "action 5",
            "blackhole",
            "unreachable",
            "prohibit",
            "action 9",
        ];
        for (raw, name) in (0u8..).zip(names) {
            let action = RuleAction::from(raw);
            assert_eq!(u8::from(action), raw);
            assert_eq!(format!("{action}"), name);
        }
        assert_eq!(table::name(254), Some("main"));
        assert_eq!(table::name(1000), None);
    }

    #[test]
    fn truncated_and_bad_attributes_are_errors() {
        let mut short = Vec::from(&PROHIBIT[..24]);
        short[0] = 24;
        assert_eq!(rule(&short).unwrap_err(), Error::Truncated);
        // A UID_RANGE of 4 bytes is shorter than the struct.
        let mut bad = Vec::from(&FULL[..]);
        bad[84] = 0x08;
        bad.truncate(92);
        bad[0] = 92;
        assert!(rule(&bad).is_err());
    }

    fn full_spec() -> RuleSpec<'static> {
        RuleSpec {
            priority: Some(100),
            iif: Some("lo"),
            fwmark: Some((0x10, 0xff)),
            uid_range: Some((1000, 2000)),
            ip_proto: Some(6),
            sport: Some((1000, 2000)),
            dport: Some((80, 80)),
            ..RuleSpec::lookup(AddressFamily::Inet, 1000)
        }
    }

    #[test]
    fn new_rule_request() {
        let mut buf = [0xa5u8; 120];
        let request = new_rule(&mut buf, 3, Flags::CREATE | Flags::EXCL, &full_spec()).unwrap();
        #[rustfmt::skip]
        let want: [u8; 104] = [
            0x68, 0x00, 0x00, 0x00, // nlmsg_len = 104
            0x20, 0x00,             // nlmsg_type = RTM_NEWRULE
            0x01, 0x06,             // NLM_F_REQUEST | NLM_F_EXCL | NLM_F_CREATE
            0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x02, 0x00, 0x00, 0x00, // family = AF_INET, dst_len, src_len, tos
            0xfc, 0x00, 0x00, 0x01, // table = RT_TABLE_COMPAT, res, FR_ACT_TO_TBL
            0x00, 0x00, 0x00, 0x00, // flags = 0
            0x08, 0x00, 0x0f, 0x00, // nla_len = 8, FRA_TABLE
            0xe8, 0x03, 0x00, 0x00, // 1000
            0x08, 0x00, 0x06, 0x00, // nla_len = 8, FRA_PRIORITY
            0x64, 0x00, 0x00, 0x00, // 100
            0x07, 0x00, 0x03, 0x00, // nla_len = 7, FRA_IIFNAME
            0x6c, 0x6f, 0x00, 0x00, // "lo\0" + 1 padding
            0x08, 0x00, 0x0a, 0x00, // nla_len = 8, FRA_FWMARK
            0x10, 0x00, 0x00, 0x00, // 0x10
            0x08, 0x00, 0x10, 0x00, // nla_len = 8, FRA_FWMASK
            0xff, 0x00, 0x00, 0x00, // 0xff
            0x0c, 0x00, 0x14, 0x00, // nla_len = 12, FRA_UID_RANGE
            0xe8, 0x03, 0x00, 0x00, // 1000
            0xd0, 0x07, 0x00, 0x00, // 2000
            0x05, 0x00, 0x16, 0x00, // nla_len = 5, FRA_IP_PROTO
            0x06, 0x00, 0x00, 0x00, // IPPROTO_TCP + 3 padding
            0x08, 0x00, 0x17, 0x00, // nla_len = 8, FRA_SPORT_RANGE
            0xe8, 0x03, 0xd0, 0x07, // 1000-2000
            0x08, 0x00, 0x18, 0x00, // nla_len = 8, FRA_DPORT_RANGE
            0x50, 0x00, 0x50, 0x00, // 80-80
        ];
        assert_eq!(request, &want[..]);
        // It decodes back to the same selectors.
        let r = rule(request).unwrap();
        assert_eq!(r.table(), 1000);
        assert_eq!(r.fwmark(), Some((0x10, 0xff)));
        assert_eq!(r.dport(), Some((80, 80)));
        assert_eq!(&buf[104..], &[0xa5; 16]);
    }

    #[test]
    fn dump_and_del_requests() {
        let mut buf = [0xa5u8; 32];
        let request = dump(&mut buf, 7, AddressFamily::Inet6).unwrap();
        #[rustfmt::skip]
        let want: [u8; 28] = [
            0x1c, 0x00, 0x00, 0x00, // nlmsg_len = 28
            0x22, 0x00,             // nlmsg_type = RTM_GETRULE
            0x01, 0x03,             // NLM_F_REQUEST | NLM_F_DUMP
            0x07, 0x00, 0x00, 0x00, // nlmsg_seq = 7
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x0a, 0x00, 0x00, 0x00, // family = AF_INET6
            0x00, 0x00, 0x00, 0x00, // table, res, action
            0x00, 0x00, 0x00, 0x00, // flags
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[28..], &[0xa5; 4]);

        let mut buf = [0xa5u8; 48];
        let spec = RuleSpec {
            priority: Some(300),
            dst: Some(("10.0.0.0".parse().unwrap(), 8)),
            action: RuleAction::Prohibit,
            table: None,
            ..RuleSpec::lookup(AddressFamily::Inet, 0)
        };
        let request = del_rule(&mut buf, 8, &spec).unwrap();
        #[rustfmt::skip]
        let want: [u8; 44] = [
            0x2c, 0x00, 0x00, 0x00, // nlmsg_len = 44
            0x21, 0x00,             // nlmsg_type = RTM_DELRULE
            0x01, 0x00,             // NLM_F_REQUEST
            0x08, 0x00, 0x00, 0x00, // nlmsg_seq = 8
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x02, 0x08, 0x00, 0x00, // family = AF_INET, dst_len = 8
            0x00, 0x00, 0x00, 0x08, // table 0, res, FR_ACT_PROHIBIT
            0x00, 0x00, 0x00, 0x00, // flags
            0x08, 0x00, 0x06, 0x00, // nla_len = 8, FRA_PRIORITY
            0x2c, 0x01, 0x00, 0x00, // 300
            0x08, 0x00, 0x01, 0x00, // nla_len = 8, FRA_DST
            0x0a, 0x00, 0x00, 0x00, // 10.0.0.0
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[44..], &[0xa5; 4]);
    }

    #[test]
    fn requests_without_room_write_nothing_and_report_the_total() {
        type Build = fn(&mut [u8]) -> Result<&[u8], Error>;
        let builders: [(Build, usize); 3] = [
            (|b| dump(b, 1, AddressFamily::Inet), 28),
            (|b| new_rule(b, 1, Flags::CREATE, &full_spec()), 104),
            (|b| del_rule(b, 1, &full_spec()), 104),
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
        let mut buf = [0xa5u8; 128];
        let spec = RuleSpec {
            iif: Some("a-name-longer-than-15"),
            ..full_spec()
        };
        assert!(matches!(
            new_rule(&mut buf, 1, Flags::CREATE, &spec),
            Err(Error::BadAttrLength { ty: 3, .. })
        ));
        assert_eq!(buf, [0xa5; 128]);
    }

    mod properties {
        use proptest::prelude::*;
        use std::string::{String, ToString};

        use super::*;

        fn poke(r: &Rule<'_>) -> String {
            let _ = (
                r.family(),
                r.action(),
                r.flags(),
                r.table(),
                r.priority(),
                r.src(),
            );
            let _ = (
                r.dst(),
                r.iif(),
                r.oif(),
                r.fwmark(),
                r.uid_range(),
                r.sport(),
            );
            let _ = (r.dport(), r.ip_proto(), r.protocol(), r.goto());
            let _ = (r.suppress_prefixlen(), r.suppress_ifgroup());
            format!("{r}")
        }

        proptest! {
            #[test]
            fn arbitrary_payloads_never_panic(payload in prop::collection::vec(any::<u8>(), 0..200)) {
                if let Ok(r) = Rule::parse_payload(RTM_NEWRULE, &payload) {
                    poke(&r);
                }
            }

            #[test]
            fn rules_round_trip(
                table in any::<u32>(),
                priority in prop::option::of(any::<u32>()),
                src in prop::option::of((any::<[u8; 4]>(), 0u8..=32)),
                fwmark in prop::option::of((any::<u32>(), any::<u32>())),
                uid_range in prop::option::of((any::<u32>(), any::<u32>())),
                sport in prop::option::of((any::<u16>(), any::<u16>())),
                dport in prop::option::of((any::<u16>(), any::<u16>())),
                ip_proto in prop::option::of(any::<u8>()),
                iif in prop::option::of("[a-z0-9]{1,15}"),
                invert in any::<bool>(),
            ) {
                let spec = RuleSpec {
                    priority,
                    src: src.map(|(a, l)| (IpAddr::from(a), l)),
                    fwmark,
                    uid_range,
                    sport,
                    dport,
                    ip_proto,
                    iif: iif.as_deref(),
                    invert,
                    ..RuleSpec::lookup(AddressFamily::Inet, table)
                };
                let mut buf = [0u8; 256];
                let msg = new_rule(&mut buf, 1, Flags::CREATE, &spec).unwrap();
                let r = rule(msg).unwrap();
                prop_assert_eq!(r.table(), table);
                prop_assert_eq!(r.priority(), priority.unwrap_or(0));
                prop_assert_eq!(r.src(), spec.src);
                prop_assert_eq!(r.fwmark(), fwmark);
                prop_assert_eq!(r.uid_range(), uid_range);
                prop_assert_eq!(r.sport(), sport);
                prop_assert_eq!(r.dport(), dport);
                prop_assert_eq!(r.ip_proto(), ip_proto);
                prop_assert_eq!(r.iif().map(|s| s.to_string()), iif);
                prop_assert_eq!(r.flags().contains(RuleFlags::INVERT), invert);
                poke(&r);
            }
        }
    }
}
