//! The value sets and attribute sets of `mptcp_pm`, in the spec's order.
//!
//! ```text
//! PmAttrs ("attr")                      EndpointAttrs ("endpoint")
//!  1 addr ──────────┐                    1 addr ─────┐
//!  2 rcv-add-addrs  │                                │
//!  3 subflows       ├─> AddressAttrs ("address") <───┘
//!  4 token          │     1 family  u16   4 addr6  16 bytes
//!  5 loc-id         │     2 id      u8    5 port   u16, host order
//!  6 addr-remote ───┘     3 addr4   be32  6 flags  u32
//!                                         7 if-idx s32
//! ```

use crate::table::{Be16, Binary, Ipv4, Ipv6, Nest};

crate::value_enum! {
    /// `MPTCP_PM_CMD_*`: the commands (`genlmsghdr.cmd` of requests and replies).
    pub enum Cmd(u8) {
        /// Add an endpoint to the in-kernel path manager.
        AddAddr = 1 => "add-addr",
        /// Delete an endpoint.
        DelAddr = 2 => "del-addr",
        /// Get one endpoint, or dump them all.
        GetAddr = 3 => "get-addr",
        /// Delete every endpoint.
        FlushAddrs = 4 => "flush-addrs",
        /// Set the in-kernel path manager's limits.
        SetLimits = 5 => "set-limits",
        /// Get the limits.
        GetLimits = 6 => "get-limits",
        /// Change an endpoint's (or a userspace-managed subflow's) flags.
        SetFlags = 7 => "set-flags",
        /// Userspace path manager: announce an address (ADD_ADDR).
        Announce = 8 => "announce",
        /// Userspace path manager: withdraw an address (REMOVE_ADDR).
        Remove = 9 => "remove",
        /// Userspace path manager: open a subflow.
        SubflowCreate = 10 => "subflow-create",
        /// Userspace path manager: close a subflow.
        SubflowDestroy = 11 => "subflow-destroy",
    }
}

crate::value_enum! {
    /// `MPTCP_EVENT_*`: the event types (`genlmsghdr.cmd` of events).
    pub enum EventType(u8) {
        /// A connection was created (token, addresses, ports, server side).
        Created = 1 => "created",
        /// A connection is established: it can open subflows.
        Established = 2 => "established",
        /// A connection is closed (token).
        Closed = 3 => "closed",
        /// The peer announced an address (token, remote id, address, port).
        Announced = 6 => "announced",
        /// The peer withdrew an address (token, remote id).
        Removed = 7 => "removed",
        /// A subflow is established.
        SubEstablished = 10 => "sub-established",
        /// A subflow is closed (an error may say why).
        SubClosed = 11 => "sub-closed",
        /// A subflow's backup priority changed.
        SubPriority = 13 => "sub-priority",
        /// A path manager listener was created (kernel 6.7+; not in older headers).
        ListenerCreated = 15 => "listener-created",
        /// A path manager listener was closed (kernel 6.7+).
        ListenerClosed = 16 => "listener-closed",
    }
}

crate::flag_set! {
    /// `MPTCP_PM_ADDR_FLAG_*`: an endpoint's flags, printed as `ip mptcp
    /// endpoint` does (space-separated names, unknown bits in hex).
    pub struct EndpointFlags(u32), sep = " " {
        /// Announce the address to the peer (ADD_ADDR).
        SIGNAL = 0x01 => "signal",
        /// Open subflows from this address.
        SUBFLOW = 0x02 => "subflow",
        /// Subflows from this address are backups.
        BACKUP = 0x04 => "backup",
        /// One subflow to each address the peer announced.
        FULLMESH = 0x08 => "fullmesh",
        /// Created by the kernel for a subflow the peer opened.
        IMPLICIT = 0x10 => "implicit",
        /// Laminar subflows (kernel 6.18+; not in older headers).
        LAMINAR = 0x20 => "laminar",
    }
}

crate::flag_set! {
    /// `MPTCP_PM_EV_FLAG_*`: the flags of connection events (`EventAttrs::FLAGS`).
    pub struct EventFlags(u16), sep = " " {
        /// The peer refuses subflows to its address id 0.
        DENY_JOIN_ID0 = 0x01 => "deny-join-id0",
        /// This end accepted the connection (newer kernels; the
        /// `server-side` attribute says the same).
        SERVER_SIDE = 0x02 => "server-side",
    }
}

crate::attr_set! {
    /// `MPTCP_PM_ADDR_ATTR_*`: one address or endpoint (the `address` nest).
    pub struct AddressAttrs = "address" {
        /// Address family: `AF_INET` (2) or `AF_INET6` (10).
        1 FAMILY "family": u16;
        /// Endpoint id (0: none given, or the connection's first address).
        2 ID "id": u8;
        /// IPv4 address (a big-endian u32, so network order).
        3 ADDR4 "addr4": Ipv4;
        /// IPv6 address (exactly 16 bytes).
        4 ADDR6 "addr6": Ipv6;
        /// Port, in host byte order (unlike the events' ports).
        5 PORT "port": u16;
        /// [`EndpointFlags`].
        6 FLAGS "flags": u32, flags(EndpointFlags);
        /// Interface index.
        7 IF_IDX "if-idx": i32;
    }
}

crate::attr_set! {
    /// `MPTCP_SUBFLOW_ATTR_*`: a subflow as `inet_diag` reports it (ULP info).
    pub struct SubflowAttrs = "subflow-attribute" {
        /// The peer's token.
        1 TOKEN_REM "token-rem": u32;
        /// The local token.
        2 TOKEN_LOC "token-loc": u32;
        /// Relative write sequence.
        3 RELWRITE_SEQ "relwrite-seq": u32;
        /// Mapping: data sequence number.
        4 MAP_SEQ "map-seq": u64;
        /// Mapping: subflow sequence number.
        5 MAP_SFSEQ "map-sfseq": u32;
        /// Subflow sequence offset.
        6 SSN_OFFSET "ssn-offset": u32;
        /// Mapping: data length.
        7 MAP_DATALEN "map-datalen": u16;
        /// `MPTCP_SUBFLOW_FLAG_*`.
        8 FLAGS "flags": u32;
        /// The peer's address id.
        9 ID_REM "id-rem": u8;
        /// The local address id.
        10 ID_LOC "id-loc": u8;
        /// Padding for 64-bit alignment.
        11 PAD "pad": Binary<0, 65535>;
    }
}

crate::attr_set! {
    /// `MPTCP_PM_ENDPOINT_*`: the requests `add-addr`, `del-addr` and `flush-addrs`.
    pub struct EndpointAttrs = "endpoint" {
        /// The endpoint.
        1 ADDR "addr": Nest<AddressAttrs>;
    }
}

crate::attr_set! {
    /// `MPTCP_PM_ATTR_*`: the other requests and the replies.
    pub struct PmAttrs = "attr" {
        /// An address or endpoint.
        1 ADDR "addr": Nest<AddressAttrs>;
        /// Limit: ADD_ADDRs accepted per connection (`add_addr_accepted`).
        2 RCV_ADD_ADDRS "rcv-add-addrs": u32;
        /// Limit: subflows per connection.
        3 SUBFLOWS "subflows": u32;
        /// A connection's token (userspace path manager).
        4 TOKEN "token": u32;
        /// A local address id.
        5 LOC_ID "loc-id": u8;
        /// The remote address of a subflow.
        6 ADDR_REMOTE "addr-remote": Nest<AddressAttrs>;
    }
}

crate::attr_set! {
    /// `MPTCP_ATTR_*`: the attributes of events.
    ///
    /// `saddr6`/`daddr6` are exactly 16 bytes (the spec says "at least 16";
    /// the kernel writes an `in6_addr`, so anything else is refused).
    /// `if_idx` is read as s32: the header says s32 and the kernel writes
    /// `sk_bound_dev_if`, an `int` (the spec's u32 is the same 4 bytes).
    pub struct EventAttrs = "event-attr" {
        /// The connection's token.
        1 TOKEN "token": u32;
        /// Address family of the addresses.
        2 FAMILY "family": u16;
        /// Local address id.
        3 LOC_ID "loc-id": u8;
        /// Remote address id.
        4 REM_ID "rem-id": u8;
        /// Local IPv4 address.
        5 SADDR4 "saddr4": Ipv4;
        /// Local IPv6 address.
        6 SADDR6 "saddr6": Ipv6;
        /// Remote IPv4 address.
        7 DADDR4 "daddr4": Ipv4;
        /// Remote IPv6 address.
        8 DADDR6 "daddr6": Ipv6;
        /// Local port (big-endian).
        9 SPORT "sport": Be16;
        /// Remote port (big-endian).
        10 DPORT "dport": Be16;
        /// The subflow is a backup (0 or 1).
        11 BACKUP "backup": u8;
        /// The subflow's socket error (`sk_err`).
        12 ERROR "error": u8;
        /// [`EventFlags`].
        13 FLAGS "flags": u16;
        /// Timeout.
        14 TIMEOUT "timeout": u32;
        /// Interface the subflow is bound to.
        15 IF_IDX "if_idx": i32;
        /// Reset reason (`MPTCP_RST_*`).
        16 RESET_REASON "reset-reason": u32;
        /// Reset flags.
        17 RESET_FLAGS "reset-flags": u32;
        /// This end accepted the connection (1).
        18 SERVER_SIDE "server-side": u8;
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;

    use super::*;
    use crate::table::{AttrSet, Kind};

    #[test]
    fn commands_and_event_types_follow_the_header_and_the_spec() {
        assert_eq!(u8::from(Cmd::AddAddr), 1);
        assert_eq!(u8::from(Cmd::SubflowDestroy), 11);
        assert_eq!(Cmd::from(12), Cmd::Unknown(12));
        assert_eq!(Cmd::from_name("flush-addrs"), Some(Cmd::FlushAddrs));
        for (ty, name) in [
            (1, "created"),
            (2, "established"),
            (3, "closed"),
            (6, "announced"),
            (7, "removed"),
            (10, "sub-established"),
            (11, "sub-closed"),
            (13, "sub-priority"),
            (15, "listener-created"),
            (16, "listener-closed"),
        ] {
            assert_eq!(EventType::from(ty).name(), Some(name));
            assert_eq!(u8::from(EventType::from(ty)), ty);
        }
        assert_eq!(format!("{}", EventType::from(4)), "4");
    }

    #[test]
    fn endpoint_flags_print_like_ip() {
        let flags = EndpointFlags(EndpointFlags::SIGNAL | EndpointFlags::BACKUP);
        assert_eq!(format!("{flags}"), "signal backup");
        assert_eq!(
            format!("{}", EndpointFlags(0x3f)),
            "signal subflow backup fullmesh implicit laminar"
        );
        assert_eq!(format!("{}", EndpointFlags(0x42)), "subflow 0x40");
        assert_eq!(EndpointFlags::from_name("fullmesh"), Some(8));
        assert_eq!(format!("{}", EventFlags(3)), "deny-join-id0 server-side");
    }

    #[test]
    fn tables_name_every_attribute() {
        let address = AddressAttrs::table();
        assert_eq!(address.name, "address");
        assert_eq!(address.name_of(7), Some("if-idx"));
        assert!(matches!(address.def(3).unwrap().kind, Kind::Ipv4));
        assert!(matches!(address.def(4).unwrap().kind, Kind::Ipv6));
        let pm = PmAttrs::table();
        assert_eq!(pm.name_of(6), Some("addr-remote"));
        match pm.def(6).unwrap().kind {
            Kind::Nest(inner) => assert_eq!(inner().name, "address"),
            other => panic!("{other:?}"),
        }
        assert_eq!(EndpointAttrs::table().name_of(1), Some("addr"));
        assert_eq!(EventAttrs::table().name_of(18), Some("server-side"));
        assert!(matches!(
            EventAttrs::table().def(9).unwrap().kind,
            Kind::Be16
        ));
        assert_eq!(SubflowAttrs::table().name_of(11), Some("pad"));
        assert_eq!(SubflowAttrs::table().defs.len(), 12);
    }
}
