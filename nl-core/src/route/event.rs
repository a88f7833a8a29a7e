//! rtnetlink notifications as one typed value: [`RouteEvent`] is whichever
//! of the link, address, route, neighbour and rule views a multicast
//! message decodes into, with whether it announces or withdraws.
//!
//! Every notification is an ordinary message of its family; the message
//! type says which view and which way:
//!
//! ```text
//! nlmsg_type       view        group (RTNLGRP_*)
//! RTM_NEWLINK  16  Link        LINK
//! RTM_DELLINK  17  Link        LINK
//! RTM_NEWADDR  20  Addr        IPV4_IFADDR / IPV6_IFADDR (by ifa_family)
//! RTM_DELADDR  21  Addr        IPV4_IFADDR / IPV6_IFADDR
//! RTM_NEWROUTE 24  Route       IPV4_ROUTE  / IPV6_ROUTE  (by rtm_family)
//! RTM_DELROUTE 25  Route       IPV4_ROUTE  / IPV6_ROUTE
//! RTM_NEWNEIGH 28  Neigh       NEIGH
//! RTM_DELNEIGH 29  Neigh       NEIGH
//! RTM_NEWRULE  32  Rule        IPV4_RULE   / IPV6_RULE   (by family)
//! RTM_DELRULE  33  Rule        IPV4_RULE   / IPV6_RULE
//! ```

use core::fmt;

use super::addr::Addr;
use super::link::Link;
use super::neigh::Neigh;
use super::route::Route;
use super::rule::Rule;
use super::{
    AddressFamily, RTM_DELADDR, RTM_DELLINK, RTM_DELNEIGH, RTM_DELROUTE, RTM_DELRULE, RTM_NEWADDR,
    RTM_NEWLINK, RTM_NEWNEIGH, RTM_NEWROUTE, RTM_NEWRULE, group,
};
use crate::Error;
use crate::nlmsg::Message;

/// One rtnetlink notification, decoded into the view of its type and
/// borrowed from the receive buffer.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RouteEvent<'a> {
    /// `RTM_NEWLINK`: a link appeared or changed.
    NewLink(Link<'a>),
    /// `RTM_DELLINK`: a link went away.
    DelLink(Link<'a>),
    /// `RTM_NEWADDR`: an address was added or changed.
    NewAddr(Addr<'a>),
    /// `RTM_DELADDR`: an address was removed.
    DelAddr(Addr<'a>),
    /// `RTM_NEWROUTE`: a route was added or changed.
    NewRoute(Route<'a>),
    /// `RTM_DELROUTE`: a route was removed.
    DelRoute(Route<'a>),
    /// `RTM_NEWNEIGH`: a neighbour entry was added or changed state.
    NewNeigh(Neigh<'a>),
    /// `RTM_DELNEIGH`: a neighbour entry was removed.
    DelNeigh(Neigh<'a>),
    /// `RTM_NEWRULE`: a policy rule was added.
    NewRule(Rule<'a>),
    /// `RTM_DELRULE`: a policy rule was removed.
    DelRule(Rule<'a>),
}

/// What a [`RouteEvent`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Topic {
    /// Links (`RTM_*LINK`).
    Link,
    /// Interface addresses (`RTM_*ADDR`).
    Addr,
    /// Routes (`RTM_*ROUTE`).
    Route,
    /// Neighbours (`RTM_*NEIGH`).
    Neigh,
    /// Policy rules (`RTM_*RULE`).
    Rule,
}

impl Topic {
    /// The name `ip monitor` takes for it: `link`, `addr`, `route`,
    /// `neigh`, `rule`.
    pub const fn name(self) -> &'static str {
        match self {
            Topic::Link => "link",
            Topic::Addr => "addr",
            Topic::Route => "route",
            Topic::Neigh => "neigh",
            Topic::Rule => "rule",
        }
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl<'a> RouteEvent<'a> {
    /// Decodes a notification; a type other than the ten above is
    /// [`Error::UnexpectedType`], a malformed payload the view's error.
    pub fn parse(message: &Message<'a>) -> Result<Self, Error> {
        Ok(match message.ty() {
            RTM_NEWLINK => RouteEvent::NewLink(Link::parse(message)?),
            RTM_DELLINK => RouteEvent::DelLink(Link::parse(message)?),
            RTM_NEWADDR => RouteEvent::NewAddr(Addr::parse(message)?),
            RTM_DELADDR => RouteEvent::DelAddr(Addr::parse(message)?),
            RTM_NEWROUTE => RouteEvent::NewRoute(Route::parse(message)?),
            RTM_DELROUTE => RouteEvent::DelRoute(Route::parse(message)?),
            RTM_NEWNEIGH => RouteEvent::NewNeigh(Neigh::parse(message)?),
            RTM_DELNEIGH => RouteEvent::DelNeigh(Neigh::parse(message)?),
            RTM_NEWRULE => RouteEvent::NewRule(Rule::parse(message)?),
            RTM_DELRULE => RouteEvent::DelRule(Rule::parse(message)?),
            ty => return Err(Error::UnexpectedType { ty }),
        })
    }

    /// The message type it came as (`RTM_NEWLINK`…).
    pub fn message_type(&self) -> u16 {
        match self {
            RouteEvent::NewLink(v) | RouteEvent::DelLink(v) => v.ty,
            RouteEvent::NewAddr(v) | RouteEvent::DelAddr(v) => v.ty,
            RouteEvent::NewRoute(v) | RouteEvent::DelRoute(v) => v.ty,
            RouteEvent::NewNeigh(v) | RouteEvent::DelNeigh(v) => v.ty,
            RouteEvent::NewRule(v) | RouteEvent::DelRule(v) => v.ty,
        }
    }

    /// What it is about.
    pub fn topic(&self) -> Topic {
        match self {
            RouteEvent::NewLink(_) | RouteEvent::DelLink(_) => Topic::Link,
            RouteEvent::NewAddr(_) | RouteEvent::DelAddr(_) => Topic::Addr,
            RouteEvent::NewRoute(_) | RouteEvent::DelRoute(_) => Topic::Route,
            RouteEvent::NewNeigh(_) | RouteEvent::DelNeigh(_) => Topic::Neigh,
            RouteEvent::NewRule(_) | RouteEvent::DelRule(_) => Topic::Rule,
        }
    }

    /// True for the `RTM_DEL*` half: the object went away.
    pub fn is_delete(&self) -> bool {
        matches!(
            self,
            RouteEvent::DelLink(_)
                | RouteEvent::DelAddr(_)
                | RouteEvent::DelRoute(_)
                | RouteEvent::DelNeigh(_)
                | RouteEvent::DelRule(_)
        )
    }

    /// The message type's name in lower case, as the kernel's specs
    /// spell it: `newlink`, `dellink`, `newaddr`… `delrule`.
    pub fn name(&self) -> &'static str {
        match self {
            RouteEvent::NewLink(_) => "newlink",
            RouteEvent::DelLink(_) => "dellink",
            RouteEvent::NewAddr(_) => "newaddr",
            RouteEvent::DelAddr(_) => "deladdr",
            RouteEvent::NewRoute(_) => "newroute",
            RouteEvent::DelRoute(_) => "delroute",
            RouteEvent::NewNeigh(_) => "newneigh",
            RouteEvent::DelNeigh(_) => "delneigh",
            RouteEvent::NewRule(_) => "newrule",
            RouteEvent::DelRule(_) => "delrule",
        }
    }

    /// The multicast group (`RTNLGRP_*`, see [`group`]) the kernel sends
    /// this event to; `None` for families outside the groups named there
    /// (IPv4 multicast routes, MPLS).
    pub fn group(&self) -> Option<u32> {
        let by_family = |family: AddressFamily, v4: u32, v6: u32| match family {
            AddressFamily::Inet => Some(v4),
            AddressFamily::Inet6 => Some(v6),
            _ => None,
        };
        match self {
            RouteEvent::NewLink(_) | RouteEvent::DelLink(_) => Some(group::LINK),
            RouteEvent::NewAddr(a) | RouteEvent::DelAddr(a) => {
                by_family(a.family(), group::IPV4_IFADDR, group::IPV6_IFADDR)
            }
            RouteEvent::NewRoute(r) | RouteEvent::DelRoute(r) => {
                by_family(r.family(), group::IPV4_ROUTE, group::IPV6_ROUTE)
            }
            RouteEvent::NewNeigh(_) | RouteEvent::DelNeigh(_) => Some(group::NEIGH),
            RouteEvent::NewRule(r) | RouteEvent::DelRule(r) => {
                by_family(r.family(), group::IPV4_RULE, group::IPV6_RULE)
            }
        }
    }

    /// The interface the event concerns, when it names one: the link's
    /// own index, an address's or neighbour's interface, a route's output
    /// interface (`RTA_OIF`). Rules name interfaces by name, not index.
    pub fn ifindex(&self) -> Option<u32> {
        match self {
            RouteEvent::NewLink(l) | RouteEvent::DelLink(l) => u32::try_from(l.index()).ok(),
            RouteEvent::NewAddr(a) | RouteEvent::DelAddr(a) => Some(a.index()),
            RouteEvent::NewRoute(r) | RouteEvent::DelRoute(r) => r.oif(),
            RouteEvent::NewNeigh(n) | RouteEvent::DelNeigh(n) => u32::try_from(n.ifindex()).ok(),
            RouteEvent::NewRule(_) | RouteEvent::DelRule(_) => None,
        }
    }
}

impl fmt::Display for RouteEvent<'_> {
    /// One line: the topic, `add` or `del`, then the view as its own
    /// `Display` writes it, folded onto the line (interfaces by index):
    ///
    /// ```text
    /// link add 3: v0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 link/ether
    /// addr del 3: inet 10.0.0.1/24 scope global
    /// route add 192.0.2.0/24 via 10.0.0.2 dev if3 table 1000 proto static metric 7
    /// neigh del 10.0.0.2 ifindex 3 lladdr 02:00:00:00:00:02 PERMANENT
    /// rule add 100:  from all lookup 100
    /// ```
    ///
    /// (A rule's priority is followed by a tab, as `ip rule` prints it.)
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = if self.is_delete() { "del" } else { "add" };
        write!(f, "{} {action} ", self.topic())?;
        let mut line = OneLine {
            out: f,
            folding: false,
        };
        use fmt::Write as _;
        match self {
            RouteEvent::NewLink(v) | RouteEvent::DelLink(v) => write!(line, "{v}"),
            RouteEvent::NewAddr(v) | RouteEvent::DelAddr(v) => {
                write!(line, "{}: {v}", v.index())
            }
            RouteEvent::NewRoute(v) | RouteEvent::DelRoute(v) => write!(line, "{v}"),
            RouteEvent::NewNeigh(v) | RouteEvent::DelNeigh(v) => write!(line, "{v}"),
            RouteEvent::NewRule(v) | RouteEvent::DelRule(v) => write!(line, "{v}"),
        }
    }
}

/// Folds multi-line text onto one line: each line break, with the
/// indentation after it, becomes one space; a break at the very end is
/// dropped.
struct OneLine<'w, W: fmt::Write + ?Sized> {
    out: &'w mut W,
    /// A line break was seen and its replacement not yet written.
    folding: bool,
}

impl<W: fmt::Write + ?Sized> fmt::Write for OneLine<'_, W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for (i, piece) in s.split('\n').enumerate() {
            if i > 0 {
                self.folding = true;
            }
            let piece = if self.folding {
                piece.trim_start_matches([' ', '\t'])
            } else {
                piece
            };
            if piece.is_empty() {
                continue;
            }
            if self.folding {
                self.out.write_char(' ')?;
                self.folding = false;
            }
            self.out.write_str(piece)?;
        }
        Ok(())
    }
}

#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::string::String;

    use core::net::{IpAddr, Ipv4Addr};

    use super::*;
    use crate::route::route::tests::V4_TABLE_1000;

    /// `RTM_NEWLINK` for `3: v0`, up, mtu 1500 (a minimal notification).
    #[rustfmt::skip]
    const NEW_LINK: [u8; 48] = [
        0x30, 0x00, 0x00, 0x00,    // nlmsg_len = 48
        0x10, 0x00,                // nlmsg_type = RTM_NEWLINK
        0x00, 0x00,                // nlmsg_flags = 0 (a notification)
        0x00, 0x00, 0x00, 0x00,    // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00,    // nlmsg_pid = 0 (the kernel)
        0x00, 0x00,                // ifi_family = AF_UNSPEC, pad
        0x01, 0x00,                // ifi_type = ARPHRD_ETHER
        0x03, 0x00, 0x00, 0x00,    // ifi_index = 3
        0x43, 0x10, 0x01, 0x00,    // ifi_flags = UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
        0x00, 0x00, 0x00, 0x00,    // ifi_change = 0
        0x07, 0x00, 0x03, 0x00,    // nla_len = 7, IFLA_IFNAME
        b'v', b'0', 0x00, 0x00,    //   "v0\0", 1 byte of padding
        0x08, 0x00, 0x04, 0x00,    // nla_len = 8, IFLA_MTU
        0xdc, 0x05, 0x00, 0x00,    //   1500
    ];

    /// `RTM_DELADDR` of `10.0.0.1/24` on interface 3.
    #[rustfmt::skip]
    const DEL_ADDR: [u8; 40] = [
        0x28, 0x00, 0x00, 0x00,    // nlmsg_len = 40
        0x15, 0x00,                // nlmsg_type = RTM_DELADDR
        0x00, 0x00,                // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00,    // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00,    // nlmsg_pid = 0
        0x02, 0x18, 0x80, 0x00,    // ifa_family = AF_INET, ifa_prefixlen = 24,
                                   // ifa_flags = IFA_F_PERMANENT, ifa_scope = universe
        0x03, 0x00, 0x00, 0x00,    // ifa_index = 3
        0x08, 0x00, 0x01, 0x00,    // nla_len = 8, IFA_ADDRESS
        0x0a, 0x00, 0x00, 0x01,    //   10.0.0.1
        0x08, 0x00, 0x02, 0x00,    // nla_len = 8, IFA_LOCAL
        0x0a, 0x00, 0x00, 0x01,    //   10.0.0.1
    ];

    /// `RTM_DELNEIGH` of `10.0.0.2 lladdr 02:00:00:00:00:02` on interface 3.
    #[rustfmt::skip]
    const DEL_NEIGH: [u8; 48] = [
        0x30, 0x00, 0x00, 0x00,    // nlmsg_len = 48
        0x1d, 0x00,                // nlmsg_type = RTM_DELNEIGH
        0x00, 0x00,                // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00,    // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00,    // nlmsg_pid = 0
        0x02, 0x00, 0x00, 0x00,    // ndm_family = AF_INET, pad1, pad2
        0x03, 0x00, 0x00, 0x00,    // ndm_ifindex = 3
        0x80, 0x00,                // ndm_state = NUD_PERMANENT
        0x00,                      // ndm_flags = 0
        0x01,                      // ndm_type = RTN_UNICAST
        0x08, 0x00, 0x01, 0x00,    // nla_len = 8, NDA_DST
        0x0a, 0x00, 0x00, 0x02,    //   10.0.0.2
        0x0a, 0x00, 0x02, 0x00,    // nla_len = 10, NDA_LLADDR
        0x02, 0x00, 0x00, 0x00,    //   02:00:00:00
        0x00, 0x02, 0x00, 0x00,    //   00:02, 2 bytes of padding
    ];

    /// `RTM_NEWRULE` `100: from all lookup 100` (IPv6).
    #[rustfmt::skip]
    const NEW_RULE_V6: [u8; 44] = [
        0x2c, 0x00, 0x00, 0x00,    // nlmsg_len = 44
        0x20, 0x00,                // nlmsg_type = RTM_NEWRULE
        0x00, 0x00,                // nlmsg_flags = 0
        0x00, 0x00, 0x00, 0x00,    // nlmsg_seq = 0
        0x00, 0x00, 0x00, 0x00,    // nlmsg_pid = 0
        0x0a, 0x00, 0x00, 0x00,    // family = AF_INET6, dst_len = 0, src_len = 0, tos = 0
        0x64, 0x00, 0x00, 0x01,    // table = 100, res1, res2, action = FR_ACT_TO_TBL
        0x00, 0x00, 0x00, 0x00,    // flags = 0
        0x08, 0x00, 0x06, 0x00,    // nla_len = 8, FRA_PRIORITY
        0x64, 0x00, 0x00, 0x00,    //   100
        0x08, 0x00, 0x0f, 0x00,    // nla_len = 8, FRA_TABLE
        0x64, 0x00, 0x00, 0x00,    //   100
    ];

    fn event(bytes: &[u8]) -> Result<RouteEvent<'_>, Error> {
        RouteEvent::parse(&Message::parse(bytes)?)
    }

    /// A copy of `bytes` with `nlmsg_type` replaced.
    fn retyped<const N: usize>(bytes: &[u8; N], ty: u16) -> [u8; N] {
        let mut copy = *bytes;
        copy[4..6].copy_from_slice(&ty.to_le_bytes());
        copy
    }

    #[test]
    fn new_link_decodes_into_the_link_view() {
        let e = event(&NEW_LINK).unwrap();
        let RouteEvent::NewLink(link) = e else {
            panic!("{e:?}");
        };
        assert_eq!(
            (link.index(), link.name().to_str().unwrap(), link.mtu()),
            (3, "v0", Some(1500))
        );
        assert_eq!(e.message_type(), RTM_NEWLINK);
        assert_eq!(
            (e.topic(), e.name(), e.is_delete()),
            (Topic::Link, "newlink", false)
        );
        assert_eq!((e.group(), e.ifindex()), (Some(group::LINK), Some(3)));
        assert_eq!(
            format!("{e}"),
            "link add 3: v0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 link/ether"
        );
    }

    #[test]
    fn del_link_is_the_same_view_the_other_way() {
        let bytes = retyped(&NEW_LINK, RTM_DELLINK);
        let e = event(&bytes).unwrap();
        assert!(matches!(e, RouteEvent::DelLink(l) if l.index() == 3));
        assert_eq!((e.name(), e.is_delete()), ("dellink", true));
        assert!(format!("{e}").starts_with("link del 3: v0: "));
    }

    #[test]
    fn del_addr_decodes_with_its_family_group() {
        let e = event(&DEL_ADDR).unwrap();
        let RouteEvent::DelAddr(addr) = e else {
            panic!("{e:?}");
        };
        assert_eq!(addr.local(), Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))));
        assert_eq!((addr.prefixlen(), addr.index()), (24, 3));
        assert_eq!((e.topic(), e.name()), (Topic::Addr, "deladdr"));
        assert_eq!(
            (e.group(), e.ifindex()),
            (Some(group::IPV4_IFADDR), Some(3))
        );
        assert_eq!(format!("{e}"), "addr del 3: inet 10.0.0.1/24 scope global");
        let added = retyped(&DEL_ADDR, RTM_NEWADDR);
        assert!(matches!(event(&added).unwrap(), RouteEvent::NewAddr(_)));
    }

    #[test]
    fn new_route_reuses_the_route_tests_kernel_vector() {
        let e = event(&V4_TABLE_1000).unwrap();
        let RouteEvent::NewRoute(route) = e else {
            panic!("{e:?}");
        };
        assert_eq!((route.table_id(), route.oif()), (1000, Some(3)));
        assert_eq!((e.group(), e.ifindex()), (Some(group::IPV4_ROUTE), Some(3)));
        assert_eq!(
            format!("{e}"),
            "route add 192.0.2.0/24 via 10.0.0.2 dev if3 table 1000 proto static metric 7"
        );
        let deleted = retyped(&V4_TABLE_1000, RTM_DELROUTE);
        let e = event(&deleted).unwrap();
        assert!(matches!(e, RouteEvent::DelRoute(_)));
        assert_eq!(e.name(), "delroute");
    }

    #[test]
    fn del_neigh_decodes_with_its_link_address() {
        let e = event(&DEL_NEIGH).unwrap();
        let RouteEvent::DelNeigh(neigh) = e else {
            panic!("{e:?}");
        };
        assert_eq!(neigh.dst(), Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))));
        assert_eq!(neigh.lladdr().map(|l| l.0), Some(&[2, 0, 0, 0, 0, 2][..]));
        assert_eq!((e.group(), e.ifindex()), (Some(group::NEIGH), Some(3)));
        assert_eq!(
            format!("{e}"),
            "neigh del 10.0.0.2 ifindex 3 lladdr 02:00:00:00:00:02 PERMANENT"
        );
        let added = retyped(&DEL_NEIGH, RTM_NEWNEIGH);
        assert_eq!(event(&added).unwrap().name(), "newneigh");
    }

    #[test]
    fn new_rule_v6_goes_to_the_v6_rule_group() {
        let e = event(&NEW_RULE_V6).unwrap();
        let RouteEvent::NewRule(rule) = e else {
            panic!("{e:?}");
        };
        assert_eq!((rule.priority(), rule.table()), (100, 100));
        assert_eq!((e.group(), e.ifindex()), (Some(group::IPV6_RULE), None));
        assert_eq!(format!("{e}"), "rule add 100:\tfrom all lookup 100");
        let deleted = retyped(&NEW_RULE_V6, RTM_DELRULE);
        assert!(matches!(event(&deleted).unwrap(), RouteEvent::DelRule(_)));
    }

    #[test]
    fn every_other_type_is_unexpected() {
        // RTM_GETLINK heads the same ifinfomsg but is a request, not an
        // event; RTM_NEWQDISC (36) is traffic control; 3 is NLMSG_DONE.
        for ty in [super::super::RTM_GETLINK, 36, 3] {
            let bytes = retyped(&NEW_LINK, ty);
            assert_eq!(event(&bytes).unwrap_err(), Error::UnexpectedType { ty });
        }
    }

    #[test]
    fn truncated_payloads_are_errors() {
        // nlmsg_len cut to 20: the 16-byte ifinfomsg no longer fits.
        let mut short = NEW_LINK;
        short[0] = 20;
        assert_eq!(
            event(short.get(..20).unwrap()).unwrap_err(),
            Error::Truncated
        );
        // An attribute running past the message: nla_len 12 for IFA_LOCAL.
        let mut over = DEL_ADDR;
        over[32] = 12;
        assert_eq!(event(&over).unwrap_err(), Error::Truncated);
        // The message longer than its datagram: nlmsg_len 44 of 40 bytes.
        let mut long = DEL_ADDR;
        long[0] = 44;
        assert_eq!(event(&long).unwrap_err(), Error::Truncated);
        // Trailing bytes past nlmsg_len are not this message's.
        let mut padded = [0xa5u8; 44];
        padded[..40].copy_from_slice(&DEL_ADDR);
        assert!(matches!(event(&padded).unwrap(), RouteEvent::DelAddr(_)));
        // A group of messages cut short is the message parser's error.
        assert_eq!(
            event(DEL_NEIGH.get(..30).unwrap()).unwrap_err(),
            Error::Truncated
        );
    }

    #[test]
    fn one_line_folds_breaks_and_their_indentation() {
        let mut out = String::new();
        let mut line = OneLine {
            out: &mut out,
            folding: false,
        };
        use core::fmt::Write as _;
        line.write_str("a\n    b").unwrap();
        line.write_str("\n").unwrap();
        line.write_str("\tc\n\n  d\n").unwrap();
        assert_eq!(out, "a b c d");
    }
}
