//! rtnetlink (`NETLINK_ROUTE`): links, addresses, routes, neighbours,
//! rules and traffic control, one file per message type.
//!
//! Specs: `rt-link.yaml`, `rt-addr.yaml`, `rt-route.yaml`, `rt-neigh.yaml`,
//! `rt-rule.yaml`, `tc.yaml`; headers: `linux/rtnetlink.h`, `if_link.h`,
//! `if_addr.h`, `neighbour.h`, `fib_rules.h`, `pkt_sched.h`.

pub mod addr;
pub mod event;
pub mod link;
pub mod neigh;
pub mod route;
pub mod rule;
pub mod spec_values;
pub mod tc;

/// `RTM_NEWLINK`: a link, or create one.
pub const RTM_NEWLINK: u16 = 16;
/// `RTM_DELLINK`: delete a link (or a link went away).
pub const RTM_DELLINK: u16 = 17;
/// `RTM_GETLINK`: get one link or dump all.
pub const RTM_GETLINK: u16 = 18;
/// `RTM_SETLINK`: change a link.
pub const RTM_SETLINK: u16 = 19;
/// `RTM_NEWADDR`.
pub const RTM_NEWADDR: u16 = 20;
/// `RTM_DELADDR`.
pub const RTM_DELADDR: u16 = 21;
/// `RTM_GETADDR`.
pub const RTM_GETADDR: u16 = 22;
/// `RTM_NEWROUTE`.
pub const RTM_NEWROUTE: u16 = 24;
/// `RTM_DELROUTE`.
pub const RTM_DELROUTE: u16 = 25;
/// `RTM_GETROUTE`.
pub const RTM_GETROUTE: u16 = 26;
/// `RTM_NEWNEIGH`.
pub const RTM_NEWNEIGH: u16 = 28;
/// `RTM_DELNEIGH`.
pub const RTM_DELNEIGH: u16 = 29;
/// `RTM_GETNEIGH`.
pub const RTM_GETNEIGH: u16 = 30;
/// `RTM_NEWRULE`.
pub const RTM_NEWRULE: u16 = 32;
/// `RTM_DELRULE`.
pub const RTM_DELRULE: u16 = 33;
/// `RTM_GETRULE`.
pub const RTM_GETRULE: u16 = 34;
/// `RTM_NEWQDISC`.
pub const RTM_NEWQDISC: u16 = 36;
/// `RTM_DELQDISC`.
pub const RTM_DELQDISC: u16 = 37;
/// `RTM_GETQDISC`.
pub const RTM_GETQDISC: u16 = 38;

/// `RTNLGRP_*`: the multicast groups (join with `NETLINK_ADD_MEMBERSHIP`).
pub mod group {
    /// `RTNLGRP_LINK`
    pub const LINK: u32 = 1;
    /// `RTNLGRP_NEIGH`
    pub const NEIGH: u32 = 3;
    /// `RTNLGRP_TC`
    pub const TC: u32 = 4;
    /// `RTNLGRP_IPV4_IFADDR`
    pub const IPV4_IFADDR: u32 = 5;
    /// `RTNLGRP_IPV4_ROUTE`
    pub const IPV4_ROUTE: u32 = 7;
    /// `RTNLGRP_IPV4_RULE`
    pub const IPV4_RULE: u32 = 8;
    /// `RTNLGRP_IPV6_IFADDR`
    pub const IPV6_IFADDR: u32 = 9;
    /// `RTNLGRP_IPV6_ROUTE`
    pub const IPV6_ROUTE: u32 = 11;
    /// `RTNLGRP_IPV6_RULE`
    pub const IPV6_RULE: u32 = 19;
}

crate::value_enum! {
    /// An address family (`AF_*`) as carried in rtnetlink headers, with the
    /// names `ip -j` prints.
    pub enum AddressFamily(u8) {
        /// `AF_UNSPEC`: any.
        Unspec = 0 => "unspec",
        /// `AF_INET`: IPv4.
        Inet = 2 => "inet",
        /// `AF_BRIDGE`.
        Bridge = 7 => "bridge",
        /// `AF_INET6`: IPv6.
        Inet6 = 10 => "inet6",
        /// `AF_MPLS`.
        Mpls = 28 => "mpls",
    }
}

crate::value_enum! {
    /// `RT_SCOPE_*`: how far an address is valid or a destination is
    /// (`ifa_scope`, `rtm_scope`), with the names `ip` prints; `from_name`
    /// also takes a number, as `ip` does.
    pub enum Scope(u8), numbers = true {
        /// `RT_SCOPE_UNIVERSE`: everywhere; `ip` says `global`.
        Universe = 0 => "global",
        /// `RT_SCOPE_SITE`
        Site = 200 => "site",
        /// `RT_SCOPE_LINK`: on an attached link.
        Link = 253 => "link",
        /// `RT_SCOPE_HOST`: this host.
        Host = 254 => "host",
        /// `RT_SCOPE_NOWHERE`: no destination.
        Nowhere = 255 => "nowhere",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_families_match_the_uapi_values() {
        for (raw, family) in [
            (0u8, AddressFamily::Unspec),
            (2, AddressFamily::Inet),
            (7, AddressFamily::Bridge),
            (10, AddressFamily::Inet6),
            (28, AddressFamily::Mpls),
            (99, AddressFamily::Unknown(99)),
        ] {
            assert_eq!(AddressFamily::from(raw), family);
            assert_eq!(u8::from(family), raw);
        }
    }

    #[test]
    fn scopes_match_the_uapi_values_and_parse_names_or_numbers() {
        for (raw, scope) in [
            (0u8, Scope::Universe),
            (200, Scope::Site),
            (253, Scope::Link),
            (254, Scope::Host),
            (255, Scope::Nowhere),
            (100, Scope::Unknown(100)),
        ] {
            assert_eq!(Scope::from(raw), scope);
            assert_eq!(u8::from(scope), raw);
        }
        assert_eq!(Scope::from_name("global"), Some(Scope::Universe));
        assert_eq!(Scope::from_name("253"), Some(Scope::Link));
        assert_eq!(Scope::from_name("universe"), None);
    }
}
