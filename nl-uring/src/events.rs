//! Subscribing to notifications: the rtnetlink groups by name
//! ([`RouteGroup`], [`Socket::join_route_groups`]) and generic netlink
//! groups resolved through nlctrl ([`join_genl_group`]). The streams
//! themselves are [`Ring::events`](crate::Ring::events),
//! [`Ring::events_with`](crate::Ring::events_with) and, decoded,
//! [`Ring::route_events`] (here),
//! [`Ring::mptcp_events`](crate::Ring::mptcp_events) and
//! [`Ring::conntrack_events`](crate::Ring::conntrack_events).
//!
//! ```no_run
//! use std::ops::ControlFlow;
//! use nl_uring::{Protocol, Ring, RouteGroup, Socket};
//!
//! let mut socket = Socket::open(Protocol::Route)?;
//! socket.join_route_groups(&RouteGroup::ALL)?;
//! let mut ring = Ring::new();
//! ring.route_events(&mut socket, None, |event| {
//!     println!("{event}");
//!     ControlFlow::Continue(())
//! })?;
//! # Ok::<(), nl_uring::Error>(())
//! ```

use std::fmt;
use std::ops::ControlFlow;
use std::time::Duration;

use nl_core::route::event::RouteEvent;
use nl_core::route::group;

use crate::error::Error;
use crate::genl::GenlFamilies;
use crate::ring::Ring;
use crate::socket::{Protocol, Socket};

/// An rtnetlink multicast group (`RTNLGRP_*`) that [`RouteEvent`]s come
/// from.
///
/// [`RouteEvent`]: nl_core::route::event::RouteEvent
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RouteGroup {
    /// `RTNLGRP_LINK`: links appearing, changing, going away.
    Link,
    /// `RTNLGRP_IPV4_IFADDR`: IPv4 interface addresses.
    Ipv4Addr,
    /// `RTNLGRP_IPV6_IFADDR`: IPv6 interface addresses.
    Ipv6Addr,
    /// `RTNLGRP_IPV4_ROUTE`: IPv4 routes.
    Ipv4Route,
    /// `RTNLGRP_IPV6_ROUTE`: IPv6 routes.
    Ipv6Route,
    /// `RTNLGRP_NEIGH`: neighbour (ARP, NDP, FDB) entries.
    Neigh,
    /// `RTNLGRP_IPV4_RULE`: IPv4 policy rules.
    Ipv4Rule,
    /// `RTNLGRP_IPV6_RULE`: IPv6 policy rules.
    Ipv6Rule,
}

impl RouteGroup {
    /// Every group, in `RTNLGRP_*` order of the topics `ip monitor` lists.
    pub const ALL: [RouteGroup; 8] = [
        RouteGroup::Link,
        RouteGroup::Ipv4Addr,
        RouteGroup::Ipv6Addr,
        RouteGroup::Ipv4Route,
        RouteGroup::Ipv6Route,
        RouteGroup::Neigh,
        RouteGroup::Ipv4Rule,
        RouteGroup::Ipv6Rule,
    ];

    /// The group number, for [`Socket::join_group`].
    pub const fn id(self) -> u32 {
        match self {
            RouteGroup::Link => group::LINK,
            RouteGroup::Ipv4Addr => group::IPV4_IFADDR,
            RouteGroup::Ipv6Addr => group::IPV6_IFADDR,
            RouteGroup::Ipv4Route => group::IPV4_ROUTE,
            RouteGroup::Ipv6Route => group::IPV6_ROUTE,
            RouteGroup::Neigh => group::NEIGH,
            RouteGroup::Ipv4Rule => group::IPV4_RULE,
            RouteGroup::Ipv6Rule => group::IPV6_RULE,
        }
    }

    /// The kernel's name for it, lower case without the `RTNLGRP_`
    /// prefix: `link`, `ipv4_ifaddr`, … `ipv6_rule`.
    pub const fn name(self) -> &'static str {
        match self {
            RouteGroup::Link => "link",
            RouteGroup::Ipv4Addr => "ipv4_ifaddr",
            RouteGroup::Ipv6Addr => "ipv6_ifaddr",
            RouteGroup::Ipv4Route => "ipv4_route",
            RouteGroup::Ipv6Route => "ipv6_route",
            RouteGroup::Neigh => "neigh",
            RouteGroup::Ipv4Rule => "ipv4_rule",
            RouteGroup::Ipv6Rule => "ipv6_rule",
        }
    }

    /// The group with number `id`, if it is one of these.
    pub fn from_id(id: u32) -> Option<RouteGroup> {
        RouteGroup::ALL.into_iter().find(|g| g.id() == id)
    }

    /// The groups behind a topic as `ip monitor` names it: `link`,
    /// `neigh`, and both IP versions for `addr` (also `address`), `route`
    /// and `rule`; `None` for any other word.
    pub fn for_topic(topic: &str) -> Option<&'static [RouteGroup]> {
        Some(match topic {
            "link" => &[RouteGroup::Link],
            "addr" | "address" => &[RouteGroup::Ipv4Addr, RouteGroup::Ipv6Addr],
            "route" => &[RouteGroup::Ipv4Route, RouteGroup::Ipv6Route],
            "neigh" | "neighbour" => &[RouteGroup::Neigh],
            "rule" => &[RouteGroup::Ipv4Rule, RouteGroup::Ipv6Rule],
            _ => return None,
        })
    }
}

impl fmt::Display for RouteGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Socket {
    /// Joins each of `groups` (`NETLINK_ADD_MEMBERSHIP`); the socket must
    /// be [`Protocol::Route`] ([`Error::InvalidRequest`] otherwise, since
    /// group numbers mean something else on other protocols). Groups
    /// joined before a failure stay joined.
    pub fn join_route_groups(&self, groups: &[RouteGroup]) -> Result<(), Error> {
        if self.protocol() != Protocol::Route {
            return Err(Error::InvalidRequest(
                "rtnetlink groups need a Protocol::Route socket",
            ));
        }
        for g in groups {
            self.join_group(g.id())?;
        }
        Ok(())
    }
}

/// Resolves multicast group `group` of generic netlink family `family`
/// through nlctrl (cached in `families`), joins it on `socket` and
/// returns its id. `socket` must be [`Protocol::Generic`]; the nlctrl
/// request runs on it before the join, so no notification is mixed into
/// the reply. An unknown family is the kernel's error (`ENOENT`); a family
/// without that group is [`Error::UnknownGroup`].
///
/// ```
/// use nl_uring::{GenlFamilies, Protocol, Socket, join_genl_group};
///
/// let mut socket = Socket::open(Protocol::Generic)?;
/// let mut families = GenlFamilies::new();
/// assert_eq!(join_genl_group(&mut socket, &mut families, "nlctrl", "notify")?, 0x10);
/// # Ok::<(), nl_uring::Error>(())
/// ```
pub fn join_genl_group(
    socket: &mut Socket,
    families: &mut GenlFamilies,
    family: &str,
    group: &str,
) -> Result<u32, Error> {
    let id = families
        .resolve_group(socket, family, group)?
        .ok_or_else(|| Error::UnknownGroup {
            family: family.to_owned(),
            group: group.to_owned(),
        })?;
    socket.join_group(id)?;
    Ok(id)
}

impl Ring {
    /// [`Ring::events`] decoded: each notification is handed to `f` as a
    /// [`RouteEvent`] (join the groups with
    /// [`Socket::join_route_groups`]). A message that does not decode as
    /// one (another type, a malformed payload) is [`Error::Codec`],
    /// returned rather than skipped; the messages after it are kept for
    /// the next call.
    pub fn route_events(
        &mut self,
        socket: &mut Socket,
        timeout: Option<Duration>,
        mut f: impl FnMut(RouteEvent<'_>) -> ControlFlow<()>,
    ) -> Result<usize, Error> {
        self.events_with(socket, timeout, |m| {
            Ok::<_, Error>(f(RouteEvent::parse(&m)?))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ops::ControlFlow;
    use std::time::Duration;

    use super::*;
    use crate::Ring;

    /// An `RTM_NEWLINK` (or any `ty`) for interface `index` named `ifN`:
    /// nlmsghdr (16) + ifinfomsg (16) + IFLA_IFNAME "ifN\0" (8) = 40 bytes.
    fn link_message(ty: u16, index: u8) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(&40u32.to_ne_bytes()); // nlmsg_len = 40
        m.extend_from_slice(&ty.to_ne_bytes()); // nlmsg_type
        m.extend_from_slice(&[0; 2]); // nlmsg_flags = 0
        m.extend_from_slice(&[0; 8]); // nlmsg_seq = 0, nlmsg_pid = 0
        m.extend_from_slice(&[0, 0, 1, 0]); // ifi_family, pad, ifi_type = ARPHRD_ETHER
        m.extend_from_slice(&i32::from(index).to_ne_bytes()); // ifi_index
        m.extend_from_slice(&[0; 8]); // ifi_flags = 0, ifi_change = 0
        m.extend_from_slice(&[8, 0, 3, 0]); // nla_len = 8, IFLA_IFNAME
        m.extend_from_slice(&[b'i', b'f', b'0' + index, 0]); // "ifN\0"
        m
    }

    /// One datagram holding `messages`, back to back, as the kernel
    /// packs them.
    fn datagram(messages: &[Vec<u8>]) -> Vec<u8> {
        messages.concat()
    }

    fn rings() -> [Ring; 2] {
        [Ring::new(), Ring::blocking()]
    }

    #[test]
    fn a_callback_error_keeps_the_rest_of_the_datagram() {
        for mut ring in rings() {
            let mut socket = Socket::open(Protocol::Route).unwrap();
            let messages: Vec<Vec<u8>> = (1..=3).map(|i| link_message(16, i)).collect();
            socket.keep_pending(&datagram(&messages), 0);
            let mut seen = Vec::new();
            let result = ring.events_with(&mut socket, Some(Duration::ZERO), |m| {
                seen.push(m.payload()[4]);
                if seen.len() == 2 {
                    return Err(Error::InvalidRequest("stop here"));
                }
                Ok(ControlFlow::Continue(()))
            });
            assert!(matches!(result, Err(Error::InvalidRequest("stop here"))));
            // The third message, and only it, is there for the next call.
            let count = ring
                .route_events(&mut socket, Some(Duration::from_millis(50)), |e| {
                    seen.push(e.ifindex().and_then(|i| u8::try_from(i).ok()).unwrap());
                    ControlFlow::Continue(())
                })
                .unwrap();
            assert_eq!((count, seen), (1, vec![1, 2, 3]), "{:?}", ring.transport());
        }
    }

    #[test]
    fn a_message_that_is_no_route_event_is_reported_not_skipped() {
        for mut ring in rings() {
            let mut socket = Socket::open(Protocol::Route).unwrap();
            // A link, a qdisc (RTM_NEWQDISC = 36: not a route event), a link.
            let messages = [
                link_message(16, 1),
                link_message(36, 2),
                link_message(17, 3),
            ];
            socket.keep_pending(&datagram(&messages), 0);
            let mut names = Vec::new();
            let result = ring.route_events(&mut socket, Some(Duration::ZERO), |e| {
                names.push(e.name());
                ControlFlow::Continue(())
            });
            assert!(
                matches!(
                    result,
                    Err(Error::Codec(nl_core::Error::UnexpectedType { ty: 36 }))
                ),
                "{result:?}"
            );
            ring.route_events(&mut socket, Some(Duration::from_millis(50)), |e| {
                names.push(e.name());
                ControlFlow::Continue(())
            })
            .unwrap();
            assert_eq!(names, ["newlink", "dellink"], "{:?}", ring.transport());
        }
    }

    #[test]
    fn group_numbers_match_rtnetlink_h() {
        // enum rtnetlink_groups in linux/rtnetlink.h.
        let expected = [1, 5, 9, 7, 11, 3, 8, 19];
        let ids: Vec<u32> = RouteGroup::ALL.iter().map(|g| g.id()).collect();
        assert_eq!(ids, expected);
        for g in RouteGroup::ALL {
            assert_eq!(RouteGroup::from_id(g.id()), Some(g));
        }
        assert_eq!(RouteGroup::from_id(2), None);
        assert_eq!(RouteGroup::Ipv6Rule.to_string(), "ipv6_rule");
    }

    #[test]
    fn topics_name_both_ip_versions() {
        assert_eq!(RouteGroup::for_topic("link"), Some(&[RouteGroup::Link][..]));
        assert_eq!(
            RouteGroup::for_topic("addr"),
            Some(&[RouteGroup::Ipv4Addr, RouteGroup::Ipv6Addr][..])
        );
        assert_eq!(
            RouteGroup::for_topic("route"),
            Some(&[RouteGroup::Ipv4Route, RouteGroup::Ipv6Route][..])
        );
        assert_eq!(
            RouteGroup::for_topic("neigh"),
            Some(&[RouteGroup::Neigh][..])
        );
        assert_eq!(
            RouteGroup::for_topic("rule"),
            Some(&[RouteGroup::Ipv4Rule, RouteGroup::Ipv6Rule][..])
        );
        assert_eq!(RouteGroup::for_topic("mptcp"), None);
        let all: Vec<RouteGroup> = ["link", "addr", "route", "neigh", "rule"]
            .iter()
            .flat_map(|t| RouteGroup::for_topic(t).unwrap_or_default())
            .copied()
            .collect();
        assert_eq!(all.len(), RouteGroup::ALL.len());
        assert!(RouteGroup::ALL.iter().all(|g| all.contains(g)));
    }

    #[test]
    fn route_groups_need_a_route_socket() {
        let socket = Socket::open(Protocol::Generic).unwrap();
        assert!(matches!(
            socket.join_route_groups(&[RouteGroup::Link]),
            Err(Error::InvalidRequest(_))
        ));
    }

    #[test]
    fn genl_groups_resolve_and_a_missing_one_is_named() {
        let mut socket = Socket::open(Protocol::Generic).unwrap();
        let mut families = GenlFamilies::new();
        let id = join_genl_group(&mut socket, &mut families, "nlctrl", "notify").unwrap();
        assert_eq!(id, 0x10);
        let e = join_genl_group(&mut socket, &mut families, "nlctrl", "nope").unwrap_err();
        assert!(
            matches!(&e, Error::UnknownGroup { family, group } if family == "nlctrl" && group == "nope"),
            "{e}"
        );
        assert_eq!(
            e.to_string(),
            "generic netlink family nlctrl has no multicast group nope"
        );
    }
}
