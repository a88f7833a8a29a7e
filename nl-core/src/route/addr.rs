//! Addresses (`RTM_NEWADDR` / `RTM_DELADDR` / `RTM_GETADDR`): IPv4 and IPv6
//! addresses of interfaces.
//!
//! Spec: `rt-addr.yaml`; header: `linux/if_addr.h`.
//!
//! ```text
//!  0               1               2               3
//! +---------------+---------------+---------------+---------------+
//! | family (u8)   | prefixlen (u8)| flags (u8)    | scope (u8)    |
//! +---------------+---------------+---------------+---------------+
//! |                       index (u32)                             |
//! +---------------------------------------------------------------+
//! |  attributes (IFA_*) ...                                       |
//! ```

use core::fmt;
use core::net::{IpAddr, Ipv4Addr};

use zerocopy::byteorder::native_endian::U32;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::{AddressFamily, RTM_DELADDR, RTM_GETADDR, RTM_NEWADDR, Scope};
use crate::family::{FamilyMessage, FixedHeader};
use crate::nlmsg::{self, Flags, RequestLayout};
use crate::table::{Ip, Ipv4, NlStr, Str, Struct};
use crate::{Error, Writer};

/// Longest label, without the NUL (`IFNAMSIZ - 1`).
pub const LABEL_MAX: usize = 15;
/// A lifetime of "forever" in [`CacheInfo`] (`INFINITY_LIFE_TIME`).
pub const FOREVER: u32 = u32::MAX;

crate::flag_set! {
    /// `IFA_F_*`: address flags (the header byte, or all 32 bits in
    /// `IFA_FLAGS`), named as in `ip`'s table; [`AddrFlags::ip_names`] gives
    /// what `ip addr` prints.
    pub struct AddrFlags(u32) {
        /// `IFA_F_SECONDARY` (IPv4) / `IFA_F_TEMPORARY` (IPv6).
        SECONDARY = 0x01 => "secondary",
        /// `IFA_F_NODAD`: no duplicate address detection.
        NODAD = 0x02 => "nodad",
        /// `IFA_F_OPTIMISTIC`
        OPTIMISTIC = 0x04 => "optimistic",
        /// `IFA_F_DADFAILED`
        DADFAILED = 0x08 => "dadfailed",
        /// `IFA_F_HOMEADDRESS`
        HOMEADDRESS = 0x10 => "home",
        /// `IFA_F_DEPRECATED`
        DEPRECATED = 0x20 => "deprecated",
        /// `IFA_F_TENTATIVE`
        TENTATIVE = 0x40 => "tentative",
        /// `IFA_F_PERMANENT`: configured, not learned (`ip` prints `dynamic`
        /// when this is missing).
        PERMANENT = 0x80 => "permanent",
        /// `IFA_F_MANAGETEMPADDR`
        MANAGETEMPADDR = 0x100 => "mngtmpaddr",
        /// `IFA_F_NOPREFIXROUTE`: no prefix route is added.
        NOPREFIXROUTE = 0x200 => "noprefixroute",
        /// `IFA_F_MCAUTOJOIN`
        MCAUTOJOIN = 0x400 => "autojoin",
        /// `IFA_F_STABLE_PRIVACY`
        STABLE_PRIVACY = 0x800 => "stable-privacy",
    }
}

impl AddrFlags {
    /// The names `ip addr` prints for the flags of an address of `family`,
    /// in its order (bit order): `secondary` (IPv6: `temporary`), and
    /// `dynamic` in `PERMANENT`'s place when that bit is missing
    /// (`permanent` itself is not printed). These are also the boolean keys
    /// of `ip -j addr`.
    pub fn ip_names(self, family: AddressFamily) -> impl Iterator<Item = &'static str> {
        // PERMANENT flipped: named where it is missing, then called `dynamic`.
        AddrFlags(self.0 ^ Self::PERMANENT)
            .names()
            .map(move |name| match name {
                "permanent" => "dynamic",
                "secondary" if family == AddressFamily::Inet6 => "temporary",
                other => other,
            })
    }
}

/// `struct ifaddrmsg`: the fixed header of every address message.
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
pub struct IfAddrMsg {
    /// Address family.
    pub family: u8,
    /// Prefix length.
    pub prefixlen: u8,
    /// Low 8 bits of the `IFA_F_*` flags.
    pub flags: u8,
    /// [`Scope`].
    pub scope: u8,
    /// Interface index.
    pub index: U32,
}

impl IfAddrMsg {
    /// Size on the wire.
    pub const LEN: usize = 8;
}

/// `struct ifa_cacheinfo`: lifetimes (seconds) and timestamps (hundredths
/// of a second since boot).
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
pub struct CacheInfo {
    /// Preferred lifetime ([`FOREVER`]: forever).
    pub preferred: U32,
    /// Valid lifetime ([`FOREVER`]: forever).
    pub valid: U32,
    /// Created at.
    pub cstamp: U32,
    /// Last updated at.
    pub tstamp: U32,
}

// ifa-cacheinfo (the spec spells "prefered" as the header does).
impl crate::table::WireStruct for CacheInfo {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("ifa-prefered", 0, MemberKind::U32),
            Member::new("ifa-valid", 4, MemberKind::U32),
            Member::new("cstamp", 8, MemberKind::U32),
            Member::new("tstamp", 12, MemberKind::U32),
        ]
    };
}

#[cfg(feature = "defmt")]
impl defmt::Format for IfAddrMsg {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "IfAddrMsg {{ family: {=u8}, prefixlen: {=u8}, flags: {=u8:#x}, scope: {=u8}, index: {=u32} }}",
            self.family,
            self.prefixlen,
            self.flags,
            self.scope,
            self.index.get()
        )
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for CacheInfo {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "CacheInfo {{ preferred: {=u32}, valid: {=u32}, cstamp: {=u32}, tstamp: {=u32} }}",
            self.preferred.get(),
            self.valid.get(),
            self.cstamp.get(),
            self.tstamp.get()
        )
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for AddrSpec<'_> {
    /// Index, prefix length, scope, flags and label (addresses as debug text).
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "AddrSpec {{ index: {=u32}, prefixlen: {=u8}, scope: {}, flags: {}, label: {} }}",
            self.index,
            self.prefixlen,
            self.scope,
            self.flags,
            self.label
        )
    }
}

crate::attr_set! {
    /// `IFA_*`: the attributes of address messages.
    pub struct AddrAttrs = "addr-attrs" {
        /// Peer address on point-to-point links, else the local address.
        1 ADDRESS "address": Ip;
        /// Local address.
        2 LOCAL "local": Ip;
        /// Label (IPv4).
        3 LABEL "label": Str<15>;
        /// Broadcast address (IPv4).
        4 BROADCAST "broadcast": Ipv4;
        /// Anycast address.
        5 ANYCAST "anycast": Ip;
        /// Lifetimes and timestamps.
        6 CACHEINFO "cacheinfo": Struct<CacheInfo>;
        /// Multicast address.
        7 MULTICAST "multicast": Ip;
        /// All 32 bits of the flags; overrides the header byte.
        8 FLAGS "flags": u32, flags(super::spec_values::IfaFlags);
        /// Priority of the prefix route.
        9 RT_PRIORITY "rt-priority": u32;
        /// Act on the netns with this id.
        10 TARGET_NETNSID "target-netnsid": i32;
        /// Who added the address (`IFAPROT_*`).
        11 PROTO "proto": u8;
    }
}

/// Where requests' attributes start and which set they are, for naming a
/// kernel error's offset.
pub fn layout() -> RequestLayout {
    Addr::layout()
}

/// An address message: `RTM_NEWADDR` (reply or event), `RTM_DELADDR`, or a request.
pub type Addr<'a> = FamilyMessage<'a, IfAddrMsg, AddrAttrs>;

impl FixedHeader for IfAddrMsg {
    const TYPES: &'static [u16] = &[RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR];
}

// ifaddrmsg, as rt-addr.yaml names it.
impl crate::table::WireStruct for IfAddrMsg {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("ifa-family", 0, MemberKind::U8),
            Member::new("ifa-prefixlen", 1, MemberKind::U8),
            Member::new("ifa-flags", 2, MemberKind::U8).flags::<super::spec_values::IfaFlags>(),
            Member::new("ifa-scope", 3, MemberKind::U8),
            Member::new("ifa-index", 4, MemberKind::U32),
        ]
    };
}

impl<'a> Addr<'a> {
    /// Address family.
    #[inline]
    pub fn family(&self) -> AddressFamily {
        self.header.family.into()
    }

    /// Prefix length.
    #[inline]
    pub fn prefixlen(&self) -> u8 {
        self.header.prefixlen
    }

    /// Interface index.
    #[inline]
    pub fn index(&self) -> u32 {
        self.header.index.get()
    }

    /// Scope.
    #[inline]
    pub fn scope(&self) -> Scope {
        self.header.scope.into()
    }

    /// Flags: `IFA_FLAGS` when present, else the header byte.
    pub fn flags(&self) -> AddrFlags {
        AddrFlags(
            self.attrs
                .get(AddrAttrs::FLAGS)
                .unwrap_or(u32::from(self.header.flags)),
        )
    }

    /// The local address (`IFA_LOCAL`, else `IFA_ADDRESS`).
    pub fn local(&self) -> Option<IpAddr> {
        self.attrs
            .get(AddrAttrs::LOCAL)
            .or_else(|| self.attrs.get(AddrAttrs::ADDRESS))
    }

    /// The peer address, when it differs from the local one.
    pub fn peer(&self) -> Option<IpAddr> {
        let address = self.attrs.get(AddrAttrs::ADDRESS)?;
        let local = self.attrs.get(AddrAttrs::LOCAL)?;
        (address != local).then_some(address)
    }

    /// Label.
    #[inline]
    pub fn label(&self) -> Option<NlStr<'a>> {
        self.attrs.get(AddrAttrs::LABEL)
    }

    /// Broadcast address.
    #[inline]
    pub fn broadcast(&self) -> Option<Ipv4Addr> {
        self.attrs.get(AddrAttrs::BROADCAST)
    }

    /// Lifetimes and timestamps.
    #[inline]
    pub fn cacheinfo(&self) -> Option<&'a CacheInfo> {
        self.attrs.get(AddrAttrs::CACHEINFO)
    }
}

struct Lifetime(u32);

impl fmt::Display for Lifetime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == FOREVER {
            f.write_str("forever")
        } else {
            write!(f, "{}sec", self.0)
        }
    }
}

impl fmt::Display for Addr<'_> {
    /// Like one address of `ip addr show`:
    ///
    /// ```text
    /// inet 10.1.2.3/24 brd 10.1.2.255 scope global v0:a
    ///    valid_lft forever preferred_lft forever
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.family())?;
        if let Some(local) = self.local() {
            write!(f, " {local}")?;
        }
        match self.peer() {
            Some(peer) => write!(f, " peer {peer}/{}", self.prefixlen())?,
            None => write!(f, "/{}", self.prefixlen())?,
        }
        if let Some(brd) = self.broadcast() {
            write!(f, " brd {brd}")?;
        }
        if let Some(any) = self.attrs.get(AddrAttrs::ANYCAST) {
            write!(f, " any {any}")?;
        }
        write!(f, " scope {}", self.scope())?;
        let flags = self.flags();
        for name in flags.ip_names(self.family()) {
            write!(f, " {name}")?;
        }
        if flags.unknown() != 0 {
            write!(f, " flags {:02x}", flags.unknown())?;
        }
        if let Some(label) = self.label() {
            write!(f, " {label}")?;
        }
        if let Some(ci) = self.cacheinfo() {
            write!(
                f,
                "\n   valid_lft {} preferred_lft {}",
                Lifetime(ci.valid.get()),
                Lifetime(ci.preferred.get())
            )?;
        }
        Ok(())
    }
}

/// Builds an `RTM_GETADDR` dump of `family` (`Unspec`: all) into `buf`;
/// with `index`, only that interface's addresses (a strict-check filter:
/// the socket needs `NETLINK_GET_STRICT_CHK` on).
pub fn dump_addrs(
    buf: &mut [u8],
    seq: u32,
    family: AddressFamily,
    index: Option<u32>,
) -> Result<&[u8], Error> {
    let header = IfAddrMsg {
        family: family.into(),
        index: U32::new(index.unwrap_or(0)),
        ..IfAddrMsg::default()
    };
    nlmsg::build(buf, RTM_GETADDR, Flags::DUMP, seq, &header, 0, |_| Ok(()))
}

/// An address to add or delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddrSpec<'l> {
    /// Interface index.
    pub index: u32,
    /// The local address; its family is the message's.
    pub local: IpAddr,
    /// Prefix length.
    pub prefixlen: u8,
    /// Peer address (point-to-point); `IFA_ADDRESS` is `local` without it.
    pub peer: Option<IpAddr>,
    /// Broadcast address (IPv4).
    pub broadcast: Option<Ipv4Addr>,
    /// Label (IPv4).
    pub label: Option<&'l str>,
    /// Scope.
    pub scope: Scope,
    /// `IFA_F_*` flags (sent in `IFA_FLAGS`, low byte also in the header).
    pub flags: AddrFlags,
}

impl<'l> AddrSpec<'l> {
    /// `local/prefixlen` on interface `index`, global scope, no flags.
    pub fn new(index: u32, local: IpAddr, prefixlen: u8) -> Self {
        AddrSpec {
            index,
            local,
            prefixlen,
            peer: None,
            broadcast: None,
            label: None,
            scope: Scope::Universe,
            flags: AddrFlags(0),
        }
    }

    fn header(&self) -> IfAddrMsg {
        let family = match self.local {
            IpAddr::V4(_) => AddressFamily::Inet,
            IpAddr::V6(_) => AddressFamily::Inet6,
        };
        IfAddrMsg {
            family: family.into(),
            prefixlen: self.prefixlen,
            flags: (self.flags.0 & 0xff) as u8,
            scope: self.scope.into(),
            index: U32::new(self.index),
        }
    }

    fn space(&self, with_flags: bool) -> Result<usize, Error> {
        let address = self.peer.unwrap_or(self.local);
        let mut n = AddrAttrs::LOCAL.space(&self.local)? + AddrAttrs::ADDRESS.space(&address)?;
        if let Some(brd) = self.broadcast {
            n += AddrAttrs::BROADCAST.space(&brd)?;
        }
        if let Some(label) = self.label {
            n += AddrAttrs::LABEL.space(&label)?;
        }
        if with_flags && self.flags.0 != 0 {
            n += AddrAttrs::FLAGS.space(&self.flags.0)?;
        }
        Ok(n)
    }

    fn put(&self, w: &mut Writer<'_>, with_flags: bool) -> Result<(), Error> {
        w.put(AddrAttrs::LOCAL, self.local)?;
        w.put(AddrAttrs::ADDRESS, self.peer.unwrap_or(self.local))?;
        if let Some(brd) = self.broadcast {
            w.put(AddrAttrs::BROADCAST, brd)?;
        }
        if let Some(label) = self.label {
            w.put(AddrAttrs::LABEL, label)?;
        }
        if with_flags && self.flags.0 != 0 {
            w.put(AddrAttrs::FLAGS, self.flags.0)?;
        }
        Ok(())
    }

    fn check(&self) -> Result<(), Error> {
        let peer_ok = match self.peer {
            None => true,
            Some(peer) => peer.is_ipv4() == self.local.is_ipv4(),
        };
        let max = if self.local.is_ipv4() { 32 } else { 128 };
        if !peer_ok || self.prefixlen > max {
            return Err(Error::BadPayload {
                ty: AddrAttrs::ADDRESS.ty(),
            });
        }
        Ok(())
    }
}

/// Builds `RTM_NEWADDR` adding `addr` into `buf`; `flags` adds
/// `NLM_F_CREATE`, `NLM_F_EXCL`, `NLM_F_REPLACE`...
/// A peer of the other family or a prefix longer than the address is
/// [`Error::BadPayload`].
pub fn new_addr<'b>(
    buf: &'b mut [u8],
    seq: u32,
    flags: Flags,
    addr: &AddrSpec<'_>,
) -> Result<&'b [u8], Error> {
    addr.check()?;
    nlmsg::build(
        buf,
        RTM_NEWADDR,
        flags,
        seq,
        &addr.header(),
        addr.space(true)?,
        |w| addr.put(w, true),
    )
}

/// Builds `RTM_DELADDR` removing `addr` into `buf` (its flags are not sent).
pub fn del_addr<'b>(buf: &'b mut [u8], seq: u32, addr: &AddrSpec<'_>) -> Result<&'b [u8], Error> {
    addr.check()?;
    let mut header = addr.header();
    header.flags = 0;
    nlmsg::build(
        buf,
        RTM_DELADDR,
        Flags::NONE,
        seq,
        &header,
        addr.space(false)?,
        |w| addr.put(w, false),
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

    /// This kernel's `RTM_GETADDR` dump reply for
    /// `ip addr add 10.1.2.3/24 brd + dev v0 label v0:a`.
    #[rustfmt::skip]
    const V4: [u8; 88] = [
        0x58, 0x00, 0x00, 0x00, // nlmsg_len = 88
        0x14, 0x00,             // nlmsg_type = RTM_NEWADDR
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x43, 0x68, 0x00, 0x00, // nlmsg_pid
        0x02,                   // ifa_family = AF_INET
        0x18,                   // ifa_prefixlen = 24
        0x80,                   // ifa_flags = IFA_F_PERMANENT
        0x00,                   // ifa_scope = RT_SCOPE_UNIVERSE
        0x03, 0x00, 0x00, 0x00, // ifa_index = 3
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, IFA_ADDRESS
        0x0a, 0x01, 0x02, 0x03, // 10.1.2.3
        0x08, 0x00, 0x02, 0x00, // nla_len = 8, IFA_LOCAL
        0x0a, 0x01, 0x02, 0x03, // 10.1.2.3
        0x08, 0x00, 0x04, 0x00, // nla_len = 8, IFA_BROADCAST
        0x0a, 0x01, 0x02, 0xff, // 10.1.2.255
        0x09, 0x00, 0x03, 0x00, // nla_len = 9, IFA_LABEL
        b'v', b'0', b':', b'a', 0x00, 0x00, 0x00, 0x00, // "v0:a\0" + 3 padding
        0x08, 0x00, 0x08, 0x00, // nla_len = 8, IFA_FLAGS
        0x80, 0x00, 0x00, 0x00, // IFA_F_PERMANENT
        0x14, 0x00, 0x06, 0x00, // nla_len = 20, IFA_CACHEINFO
        0xff, 0xff, 0xff, 0xff, // ifa_prefered = forever
        0xff, 0xff, 0xff, 0xff, // ifa_valid = forever
        0xc0, 0x0a, 0x06, 0x00, // cstamp
        0xc0, 0x0a, 0x06, 0x00, // tstamp
    ];

    /// This kernel's `RTM_GETADDR` dump reply for
    /// `ip addr add 2001:db8::1/64 dev v0 nodad noprefixroute`.
    #[rustfmt::skip]
    const V6: [u8; 72] = [
        0x48, 0x00, 0x00, 0x00, // nlmsg_len = 72
        0x14, 0x00,             // nlmsg_type = RTM_NEWADDR
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x6d, 0x29, 0x00, 0x00, // nlmsg_pid
        0x0a,                   // ifa_family = AF_INET6
        0x40,                   // ifa_prefixlen = 64
        0x82,                   // ifa_flags = PERMANENT | NODAD (low byte)
        0x00,                   // ifa_scope = RT_SCOPE_UNIVERSE
        0x03, 0x00, 0x00, 0x00, // ifa_index = 3
        0x14, 0x00, 0x01, 0x00, // nla_len = 20, IFA_ADDRESS
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, // 2001:db8::1
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x14, 0x00, 0x06, 0x00, // nla_len = 20, IFA_CACHEINFO
        0xff, 0xff, 0xff, 0xff, // ifa_prefered = forever
        0xff, 0xff, 0xff, 0xff, // ifa_valid = forever
        0x0d, 0xfe, 0x07, 0x00, // cstamp
        0x0d, 0xfe, 0x07, 0x00, // tstamp
        0x08, 0x00, 0x08, 0x00, // nla_len = 8, IFA_FLAGS
        0x82, 0x02, 0x00, 0x00, // PERMANENT | NODAD | NOPREFIXROUTE
    ];

    #[test]
    fn decode_an_ipv6_address() {
        let a = addr(&V6).unwrap();
        assert_eq!(a.family(), AddressFamily::Inet6);
        assert_eq!(a.prefixlen(), 64);
        assert_eq!(a.index(), 3);
        assert_eq!(a.local(), Some("2001:db8::1".parse().unwrap()));
        assert_eq!(a.peer(), None);
        assert_eq!(a.label(), None);
        assert_eq!(a.broadcast(), None);
        assert_eq!(
            a.flags(),
            AddrFlags(AddrFlags::PERMANENT | AddrFlags::NODAD | AddrFlags::NOPREFIXROUTE)
        );
        assert_eq!(
            a.header.flags, 0x82,
            "the header byte cannot hold NOPREFIXROUTE"
        );
        assert_eq!(
            format!("{a}"),
            "inet6 2001:db8::1/64 scope global nodad noprefixroute\n   \
             valid_lft forever preferred_lft forever"
        );
    }

    fn addr(bytes: &[u8]) -> Result<Addr<'_>, Error> {
        Addr::parse(&Message::parse(bytes)?)
    }

    #[test]
    fn decode_an_ipv4_address() {
        let a = addr(&V4).unwrap();
        assert_eq!(a.ty, RTM_NEWADDR);
        assert_eq!(a.family(), AddressFamily::Inet);
        assert_eq!(a.prefixlen(), 24);
        assert_eq!(a.index(), 3);
        assert_eq!(a.scope(), Scope::Universe);
        assert_eq!(a.flags(), AddrFlags(AddrFlags::PERMANENT));
        assert_eq!(a.local(), Some(IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3))));
        assert_eq!(a.peer(), None);
        assert_eq!(a.broadcast(), Some(Ipv4Addr::new(10, 1, 2, 255)));
        assert_eq!(a.label().unwrap(), "v0:a");
        let ci = a.cacheinfo().unwrap();
        assert_eq!((ci.valid.get(), ci.preferred.get()), (FOREVER, FOREVER));
        assert_eq!(ci.cstamp.get(), 0x060ac0);
        assert_eq!(a.attrs.unknown(), 0);
    }

    #[test]
    fn display_reads_like_ip_addr() {
        assert_eq!(
            format!("{}", addr(&V4).unwrap()),
            "inet 10.1.2.3/24 brd 10.1.2.255 scope global v0:a\n   \
             valid_lft forever preferred_lft forever"
        );
    }

    #[test]
    fn flags_attribute_overrides_the_header_byte() {
        let mut bytes = V4;
        bytes[18] = 0x00; // ifa_flags = 0
        bytes[64] = 0x82; // IFA_FLAGS = PERMANENT | NODAD
        bytes[65] = 0x02; // | NOPREFIXROUTE
        let a = addr(&bytes).unwrap();
        assert_eq!(a.flags(), AddrFlags(0x282));
        assert_eq!(
            a.flags().ip_names(a.family()).collect::<Vec<_>>(),
            ["nodad", "noprefixroute"]
        );
        let dynamic = AddrFlags(AddrFlags::SECONDARY);
        assert_eq!(
            dynamic.ip_names(AddressFamily::Inet6).collect::<Vec<_>>(),
            ["temporary", "dynamic"]
        );
        assert_eq!(
            dynamic.ip_names(AddressFamily::Inet).collect::<Vec<_>>(),
            ["secondary", "dynamic"]
        );
        assert_eq!(AddrFlags(0x1080).unknown(), 0x1000);
        // `dynamic` stands where PERMANENT's bit is, as ip prints it.
        assert_eq!(
            AddrFlags(AddrFlags::NODAD | AddrFlags::NOPREFIXROUTE)
                .ip_names(AddressFamily::Inet6)
                .collect::<Vec<_>>(),
            ["nodad", "dynamic", "noprefixroute"]
        );
    }

    #[test]
    fn parse_errors() {
        let mut other = V4;
        other[4] = 0x10;
        assert_eq!(
            addr(&other).unwrap_err(),
            Error::UnexpectedType { ty: 0x10 }
        );
        let mut bad = V4;
        bad[24] = 0x07; // IFA_ADDRESS nla_len = 7: 3 bytes
        assert_eq!(
            addr(&bad).unwrap_err(),
            Error::BadAttrLength { ty: 1, len: 3 }
        );
        for n in 0..V4.len() {
            let mut cut = Vec::from(&V4[..n]);
            if n >= 4 {
                cut[..4].copy_from_slice(&u32::try_from(n).unwrap().to_ne_bytes());
            }
            if let Ok(a) = addr(&cut) {
                let _ = format!("{a}");
            }
        }
    }

    #[test]
    fn dump_request_with_index_filter() {
        let mut buf = [0xa5u8; 32];
        let request = dump_addrs(&mut buf, 3, AddressFamily::Inet6, Some(2)).unwrap();
        #[rustfmt::skip]
        let want: [u8; 24] = [
            0x18, 0x00, 0x00, 0x00, // nlmsg_len = 24
            0x16, 0x00,             // nlmsg_type = RTM_GETADDR
            0x01, 0x03,             // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
            0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x0a, 0x00, 0x00, 0x00, // AF_INET6, prefixlen 0, flags 0, scope 0
            0x02, 0x00, 0x00, 0x00, // ifa_index = 2
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[24..], &[0xa5; 8]);
    }

    #[test]
    fn new_and_del_requests() {
        let mut spec = AddrSpec::new(3, IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3)), 24);
        spec.broadcast = Some(Ipv4Addr::new(10, 1, 2, 255));
        spec.label = Some("v0:a");
        spec.flags = AddrFlags(AddrFlags::NOPREFIXROUTE);
        let mut buf = [0xa5u8; 80];
        let request = new_addr(&mut buf, 5, Flags::CREATE | Flags::EXCL, &spec).unwrap();
        #[rustfmt::skip]
        let want: [u8; 68] = [
            0x44, 0x00, 0x00, 0x00, // nlmsg_len = 68
            0x14, 0x00,             // nlmsg_type = RTM_NEWADDR
            0x01, 0x06,             // nlmsg_flags = REQUEST | EXCL | CREATE
            0x05, 0x00, 0x00, 0x00, // nlmsg_seq = 5
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x02, 0x18, 0x00, 0x00, // AF_INET, /24, flags 0 (low byte), scope global
            0x03, 0x00, 0x00, 0x00, // ifa_index = 3
            0x08, 0x00, 0x02, 0x00, // nla_len = 8, IFA_LOCAL
            0x0a, 0x01, 0x02, 0x03, // 10.1.2.3
            0x08, 0x00, 0x01, 0x00, // nla_len = 8, IFA_ADDRESS
            0x0a, 0x01, 0x02, 0x03, // 10.1.2.3
            0x08, 0x00, 0x04, 0x00, // nla_len = 8, IFA_BROADCAST
            0x0a, 0x01, 0x02, 0xff, // 10.1.2.255
            0x09, 0x00, 0x03, 0x00, // nla_len = 9, IFA_LABEL
            b'v', b'0', b':', b'a', 0x00, 0x00, 0x00, 0x00, // "v0:a\0" + 3 padding
            0x08, 0x00, 0x08, 0x00, // nla_len = 8, IFA_FLAGS
            0x00, 0x02, 0x00, 0x00, // IFA_F_NOPREFIXROUTE
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[68..], &[0xa5; 12]);
        let request = del_addr(&mut buf, 6, &spec).unwrap();
        assert_eq!(request.len(), 60, "no IFA_FLAGS");
        assert_eq!(&request[4..6], &[0x15, 0x00], "RTM_DELADDR");
        // What we write, we read back.
        let a = addr(&want).unwrap();
        assert_eq!(a.flags(), AddrFlags(AddrFlags::NOPREFIXROUTE));
        assert_eq!(a.label().unwrap(), "v0:a");
    }

    #[test]
    fn bad_specs_write_nothing() {
        let mut buf = [0xa5u8; 128];
        let mut spec = AddrSpec::new(1, "2001:db8::1".parse().unwrap(), 129);
        assert_eq!(
            new_addr(&mut buf, 1, Flags::CREATE, &spec).unwrap_err(),
            Error::BadPayload { ty: 1 }
        );
        spec.prefixlen = 64;
        spec.peer = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(new_addr(&mut buf, 1, Flags::CREATE, &spec).is_err());
        spec.peer = None;
        spec.label = Some("sixteen_chars_xx");
        assert_eq!(
            new_addr(&mut buf, 1, Flags::CREATE, &spec).unwrap_err(),
            Error::BadAttrLength { ty: 3, len: 17 }
        );
        assert_eq!(buf, [0xa5; 128]);
    }

    #[test]
    fn requests_without_room_write_nothing_and_report_the_total() {
        type Build = fn(&mut [u8]) -> Result<&[u8], Error>;
        let builders: [Build; 4] = [
            |b| dump_addrs(b, 1, AddressFamily::Unspec, None),
            |b| {
                let mut spec = AddrSpec::new(2, "2001:db8::1".parse().unwrap(), 64);
                spec.flags = AddrFlags(AddrFlags::NODAD | AddrFlags::NOPREFIXROUTE);
                new_addr(b, 1, Flags::CREATE, &spec)
            },
            |b| {
                let mut spec = AddrSpec::new(2, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)), 8);
                spec.label = Some("x");
                spec.broadcast = Some(Ipv4Addr::new(10, 255, 255, 255));
                new_addr(b, 1, Flags::CREATE, &spec)
            },
            |b| del_addr(b, 1, &AddrSpec::new(2, "::1".parse().unwrap(), 128)),
        ];
        for build in builders {
            let mut big = std::vec![0xa5u8; 256];
            let total = build(&mut big).unwrap().len();
            Addr::parse(&Message::parse(&big[..total]).unwrap()).unwrap();
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
    fn scopes_convert_both_ways() {
        for raw in 0..=u8::MAX {
            assert_eq!(u8::from(Scope::from(raw)), raw);
        }
        let names: Vec<_> = [0u8, 200, 253, 254, 255, 100]
            .into_iter()
            .map(|r| format!("{}", Scope::from(r)))
            .collect();
        assert_eq!(names, ["global", "site", "link", "host", "nowhere", "100"]);
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        proptest! {
            #[test]
            fn arbitrary_payloads_never_panic(payload in prop::collection::vec(any::<u8>(), 0..200)) {
                if let Ok(a) = Addr::parse_payload(RTM_NEWADDR, &payload) {
                    let _ = (a.family(), a.prefixlen(), a.index(), a.scope(), a.flags());
                    let _ = (a.local(), a.peer(), a.label(), a.broadcast(), a.cacheinfo());
                    let _ = a.flags().ip_names(a.family()).count();
                    let _ = format!("{a}");
                }
            }

            #[test]
            fn addresses_round_trip(
                v6 in any::<bool>(),
                octets in any::<[u8; 16]>(),
                prefixlen in 0u8..=32,
                index in any::<u32>(),
                label in prop::option::of("[a-z0-9:]{1,15}"),
                flags in any::<u32>(),
                scope in any::<u8>(),
            ) {
                let local = if v6 {
                    IpAddr::from(octets)
                } else {
                    IpAddr::from([octets[0], octets[1], octets[2], octets[3]])
                };
                let mut spec = AddrSpec::new(index, local, prefixlen);
                spec.label = label.as_deref();
                spec.flags = AddrFlags(flags);
                spec.scope = Scope::from(scope);
                let mut buf = [0u8; 128];
                let bytes = new_addr(&mut buf, 1, Flags::CREATE, &spec).unwrap();
                let a = addr(bytes).unwrap();
                prop_assert_eq!(a.local(), Some(local));
                prop_assert_eq!(a.peer(), None);
                prop_assert_eq!(a.prefixlen(), prefixlen);
                prop_assert_eq!(a.index(), index);
                prop_assert_eq!(a.scope(), Scope::from(scope));
                prop_assert_eq!(a.flags(), AddrFlags(flags));
                prop_assert_eq!(a.label().map(|l| std::string::ToString::to_string(&l)), label);
                prop_assert_eq!(
                    a.family(),
                    if v6 { AddressFamily::Inet6 } else { AddressFamily::Inet }
                );
            }
        }
    }
}
