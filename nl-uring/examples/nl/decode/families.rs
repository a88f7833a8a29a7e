//! The families `nl decode` knows: per family, its fixed header and which
//! attribute set each message type (rtnetlink) or command (generic netlink)
//! carries. Adding a family is one [`Family`] entry in [`FAMILIES`].
//!
//! ```text
//! rtnetlink:  nlmsghdr | fixed header (ifinfomsg…)           | attrs
//! genl:       nlmsghdr | genlmsghdr | family header (if any) | attrs
//! ```

use nl_core::genl::GenlHeader;
use nl_core::genl::ctrl::CtrlAttrs;
use nl_core::mptcp::attrs::{EndpointAttrs, EventAttrs, PmAttrs};
use nl_core::netfilter::NfGenMsg;
use nl_core::netfilter::conntrack::{ConntrackAttrs, StatsAttrs, StatsGlobalAttrs};
use nl_core::ovs::OvsHeader;
use nl_core::ovs::datapath::DatapathAttrs;
use nl_core::ovs::flow::FlowAttrs;
use nl_core::ovs::vport::VportAttrs;
use nl_core::route::addr::{AddrAttrs, IfAddrMsg};
use nl_core::route::link::{IfInfoMsg, LinkAttrs};
use nl_core::route::neigh::{NeighAttrs, NeighHeader};
use nl_core::route::route::{RouteAttrs, RtMsg};
use nl_core::route::rule::{RuleAttrs, RuleHeader};
use nl_core::route::tc::{TcAttrs, TcHeader};
use nl_core::table::{AttrSet, Member, Table, WireStruct};
use nl_uring::nl_core;

/// One family.
pub(crate) struct Family {
    /// The spec's name (`rt-link`, `nlctrl`, `mptcp_pm`…), what the user types.
    pub(crate) name: &'static str,
    /// Generic netlink: a `genlmsghdr` comes first and messages are told
    /// apart by its `cmd` (the `nlmsg_type` is the family's dynamic id).
    pub(crate) genl: bool,
    /// The fixed header after the `nlmsghdr` (and `genlmsghdr`), if any.
    pub(crate) header: Option<Header>,
    /// Message types (rtnetlink) or commands (genl), with their sets.
    pub(crate) messages: &'static [Msg],
}

/// A fixed header: its size and named members.
pub(crate) struct Header {
    /// Bytes on the wire.
    pub(crate) len: usize,
    /// Its members, printed under `"header"`.
    pub(crate) members: &'static [Member],
}

/// The header of struct `H`.
const fn header<H: WireStruct>() -> Option<Header> {
    Some(Header {
        len: size_of::<H>(),
        members: H::MEMBERS,
    })
}

/// One message type or command.
pub(crate) struct Msg {
    /// `nlmsg_type` (rtnetlink) or `genlmsghdr.cmd` (genl).
    pub(crate) key: u16,
    /// The spec's name of the message or command (`newlink`, `add-addr`…).
    pub(crate) name: &'static str,
    /// Its top-level attribute set.
    pub(crate) attrs: fn() -> &'static Table,
}

/// Message `key` called `name`, attributes of set `S`.
const fn msg<S: AttrSet>(key: u16, name: &'static str) -> Msg {
    Msg {
        key,
        name,
        attrs: S::table,
    }
}

impl Family {
    /// The message with type or command `key`.
    pub(crate) fn message(&self, key: u16) -> Option<&'static Msg> {
        self.messages.iter().find(|m| m.key == key)
    }
}

/// The `genlmsghdr` members.
pub(crate) const GENL_HEADER: Header = Header {
    len: GenlHeader::LEN,
    members: GenlHeader::MEMBERS,
};

/// The families nl-core's default features bring. `route` (any rtnetlink
/// kind) is not an entry: it tries the `rt-*` and `tc` entries by message
/// type. Families behind other features go in their own slice, chained in
/// [`all`].
pub(crate) const FAMILIES: &[Family] = &[
    Family {
        name: "rt-link",
        genl: false,
        header: header::<IfInfoMsg>(),
        messages: &[
            msg::<LinkAttrs>(16, "newlink"),
            msg::<LinkAttrs>(17, "dellink"),
            msg::<LinkAttrs>(18, "getlink"),
            msg::<LinkAttrs>(19, "setlink"),
        ],
    },
    Family {
        name: "rt-addr",
        genl: false,
        header: header::<IfAddrMsg>(),
        messages: &[
            msg::<AddrAttrs>(20, "newaddr"),
            msg::<AddrAttrs>(21, "deladdr"),
            msg::<AddrAttrs>(22, "getaddr"),
        ],
    },
    Family {
        name: "rt-route",
        genl: false,
        header: header::<RtMsg>(),
        messages: &[
            msg::<RouteAttrs>(24, "newroute"),
            msg::<RouteAttrs>(25, "delroute"),
            msg::<RouteAttrs>(26, "getroute"),
        ],
    },
    Family {
        name: "rt-neigh",
        genl: false,
        header: header::<NeighHeader>(),
        messages: &[
            msg::<NeighAttrs>(28, "newneigh"),
            msg::<NeighAttrs>(29, "delneigh"),
            msg::<NeighAttrs>(30, "getneigh"),
        ],
    },
    Family {
        name: "rt-rule",
        genl: false,
        header: header::<RuleHeader>(),
        messages: &[
            msg::<RuleAttrs>(32, "newrule"),
            msg::<RuleAttrs>(33, "delrule"),
            msg::<RuleAttrs>(34, "getrule"),
        ],
    },
    Family {
        name: "tc",
        genl: false,
        header: header::<TcHeader>(),
        messages: &[
            msg::<TcAttrs>(36, "newqdisc"),
            msg::<TcAttrs>(37, "delqdisc"),
            msg::<TcAttrs>(38, "getqdisc"),
            msg::<TcAttrs>(40, "newtclass"),
            msg::<TcAttrs>(41, "deltclass"),
            msg::<TcAttrs>(42, "gettclass"),
            msg::<TcAttrs>(44, "newtfilter"),
            msg::<TcAttrs>(45, "deltfilter"),
            msg::<TcAttrs>(46, "gettfilter"),
        ],
    },
    Family {
        name: "nlctrl",
        genl: true,
        header: None,
        messages: &[
            msg::<CtrlAttrs>(1, "newfamily"),
            msg::<CtrlAttrs>(2, "delfamily"),
            msg::<CtrlAttrs>(3, "getfamily"),
            msg::<CtrlAttrs>(7, "newmcast-grp"),
            msg::<CtrlAttrs>(8, "delmcast-grp"),
            msg::<CtrlAttrs>(10, "getpolicy"),
        ],
    },
    // Requests and their replies: `endpoint` for the endpoint requests,
    // `attr` for the rest (and every reply).
    Family {
        name: "mptcp_pm",
        genl: true,
        header: None,
        messages: &[
            msg::<EndpointAttrs>(1, "add-addr"),
            msg::<EndpointAttrs>(2, "del-addr"),
            msg::<PmAttrs>(3, "get-addr"),
            msg::<EndpointAttrs>(4, "flush-addrs"),
            msg::<PmAttrs>(5, "set-limits"),
            msg::<PmAttrs>(6, "get-limits"),
            msg::<PmAttrs>(7, "set-flags"),
            msg::<PmAttrs>(8, "announce"),
            msg::<PmAttrs>(9, "remove"),
            msg::<PmAttrs>(10, "subflow-create"),
            msg::<PmAttrs>(11, "subflow-destroy"),
        ],
    },
    // Events of the `mptcp_pm_events` group: `cmd` is the event type, whose
    // numbers overlap the commands', so they are their own entry.
    Family {
        name: "mptcp_pm-events",
        genl: true,
        header: None,
        messages: &[
            msg::<EventAttrs>(1, "created"),
            msg::<EventAttrs>(2, "established"),
            msg::<EventAttrs>(3, "closed"),
            msg::<EventAttrs>(6, "announced"),
            msg::<EventAttrs>(7, "removed"),
            msg::<EventAttrs>(10, "sub-established"),
            msg::<EventAttrs>(11, "sub-closed"),
            msg::<EventAttrs>(13, "sub-priority"),
            msg::<EventAttrs>(15, "listener-created"),
            msg::<EventAttrs>(16, "listener-closed"),
        ],
    },
    // Open vSwitch: `ovs_header` after `genlmsghdr`, one set per family for
    // every command (`OVS_*_CMD_NEW`, `DEL`, `GET`, `SET`).
    Family {
        name: "ovs_datapath",
        genl: true,
        header: header::<OvsHeader>(),
        messages: &[
            msg::<DatapathAttrs>(1, "new"),
            msg::<DatapathAttrs>(2, "del"),
            msg::<DatapathAttrs>(3, "get"),
            msg::<DatapathAttrs>(4, "set"),
        ],
    },
    Family {
        name: "ovs_vport",
        genl: true,
        header: header::<OvsHeader>(),
        messages: &[
            msg::<VportAttrs>(1, "new"),
            msg::<VportAttrs>(2, "del"),
            msg::<VportAttrs>(3, "get"),
            msg::<VportAttrs>(4, "set"),
        ],
    },
    Family {
        name: "ovs_flow",
        genl: true,
        header: header::<OvsHeader>(),
        messages: &[
            msg::<FlowAttrs>(1, "new"),
            msg::<FlowAttrs>(2, "del"),
            msg::<FlowAttrs>(3, "get"),
            msg::<FlowAttrs>(4, "set"),
        ],
    },
    Family {
        name: "conntrack",
        genl: false,
        header: header::<NfGenMsg>(),
        messages: &[
            msg::<ConntrackAttrs>(0x100, "new"),
            msg::<ConntrackAttrs>(0x101, "get"),
            msg::<ConntrackAttrs>(0x102, "delete"),
            msg::<ConntrackAttrs>(0x103, "get-ctrzero"),
            msg::<StatsAttrs>(0x104, "get-stats-cpu"),
            msg::<StatsGlobalAttrs>(0x105, "get-stats"),
        ],
    },
];

/// Every family known to this build.
pub(crate) fn all() -> impl Iterator<Item = &'static Family> {
    FAMILIES.iter()
}

/// The family called `name`.
pub(crate) fn find(name: &str) -> Option<&'static Family> {
    all().find(|f| f.name == name)
}

/// The rtnetlink family whose message type is `ty` (for `nl decode route`).
pub(crate) fn rtnetlink_by_type(ty: u16) -> Option<&'static Family> {
    all().filter(|f| !f.genl).find(|f| f.message(ty).is_some())
}
