//! The MPTCP path manager (`mptcp_pm`, generic netlink): endpoints and
//! limits of the in-kernel path manager, the commands of the userspace path
//! manager, and the connection and subflow events.
//!
//! Spec: `mptcp_pm.yaml`; header: `linux/mptcp.h`. Messages are generic
//! netlink ([`GenlHeader`](crate::genl::GenlHeader), version [`VERSION`]),
//! with no family header; the family id is resolved at run time through
//! nlctrl ([`FAMILY_NAME`]).
//!
//! ```text
//! nlmsghdr (16) | genlmsghdr (4): cmd, version 1 | attributes:
//!   requests and replies: PmAttrs (add/del/flush-addrs: EndpointAttrs)
//!     addr / addr-remote: nest of AddressAttrs
//!   events (group mptcp_pm_events, cmd = event type): EventAttrs
//! ```
//!
//! - [`attrs`]: the attribute sets and value sets.
//! - [`address`]: one endpoint ([`Address`]), read and written.
//! - [`limits`]: the in-kernel path manager's [`Limits`].
//! - [`request`]: every request, its [`layout`] and the [`FAMILY`] declaration.
//! - [`event`]: the [`Event`]s of the event group.
//!
//! ```
//! use nl_core::mptcp::{self, Address, EndpointFlags};
//! use nl_core::nlmsg::Message;
//!
//! // `ip mptcp endpoint add 10.0.0.1 id 1 signal`, to the family id
//! // nlctrl resolved (0x1c here); the transport adds NLM_F_ACK.
//! let mut endpoint = Address::new("10.0.0.1".parse().unwrap());
//! endpoint.id = Some(1);
//! endpoint.flags = EndpointFlags(EndpointFlags::SIGNAL);
//! let mut buf = [0u8; 128];
//! let request = mptcp::add_addr(&mut buf, 0x1c, 1, &endpoint).unwrap();
//! assert_eq!(request.len(), 56);
//!
//! // Its `addr` nest reads back as the endpoint, as a get-addr reply does.
//! let message = Message::parse(request).unwrap();
//! assert_eq!(mptcp::parse_endpoint(&message).unwrap(), endpoint);
//! assert_eq!(endpoint.to_string(), "10.0.0.1 id 1 signal");
//! ```

pub mod address;
pub mod attrs;
pub mod event;
pub mod limits;
pub mod request;

pub use address::{Address, parse_endpoint};
pub use attrs::{
    AddressAttrs, Cmd, EndpointAttrs, EndpointFlags, EventAttrs, EventFlags, EventType, PmAttrs,
    SubflowAttrs,
};
pub use event::{Connection, Event, Listener, Subflow};
pub use limits::Limits;
pub use request::{
    FAMILY, add_addr, announce, del_addr, dump_addrs, flush_addrs, get_addr, get_limits, layout,
    remove, set_flags, set_limits, subflow_create, subflow_destroy,
};

/// The family's name, as nlctrl resolves it (`MPTCP_PM_NAME`).
pub const FAMILY_NAME: &str = "mptcp_pm";
/// The interface version we speak (`MPTCP_PM_VER`).
pub const VERSION: u8 = 1;
/// The multicast group of connection and subflow events (`MPTCP_PM_EV_GRP_NAME`).
pub const EVENTS_GROUP: &str = "mptcp_pm_events";
/// The multicast group of endpoint changes (`MPTCP_PM_CMD_GRP_NAME`).
pub const CMDS_GROUP: &str = "mptcp_pm_cmds";
