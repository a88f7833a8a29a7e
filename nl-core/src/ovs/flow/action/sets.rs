//! The attribute sets of an action list, as `ovs_flow.yaml` and
//! `linux/openvswitch.h` declare them.
//!
//! Where the two disagree the header wins: `trunc` is `struct
//! ovs_action_trunc`, the MPLS structs are 8 bytes (see [`super::structs`]).
//! `drop` (24) and `psample` (25) are in the kernel's uapi header since Linux
//! 6.4 and 6.11; neither the spec nor the 6.1 header installed here has them.

use crate::ovs::flow::key::{KeyAttrs, NshKeyAttrs};
use crate::table::{Be16, Binary, Flag, Ip, Nest, Str, Struct};

use super::structs::{AddMpls, Hash, PushEth, PushMpls, PushVlan, Trunc};

/// Longest binary payload an attribute can carry (`u16::MAX` minus the header).
const ANY_LEN: u16 = u16::MAX - 4;

crate::attr_set! {
    /// `OVS_ACTION_ATTR_*`: the attributes of an action list (one per action).
    pub struct ActionAttrs = "action-attrs" {
        /// Output to this datapath port number.
        1 OUTPUT "output": u32;
        /// Send the packet to userspace.
        2 USERSPACE "userspace": Nest<UserspaceAttrs>;
        /// Replace a header: one nested key attribute with its new value.
        3 SET "set": Nest<KeyAttrs>;
        /// Push an 802.1Q or 802.1ad header.
        4 PUSH_VLAN "push-vlan": Struct<PushVlan>;
        /// Pop the outermost VLAN header.
        5 POP_VLAN "pop-vlan": Flag;
        /// Run actions on a sampled fraction of packets.
        6 SAMPLE "sample": Nest<SampleAttrs>;
        /// Recirculate with this id.
        7 RECIRC "recirc": u32;
        /// Compute the datapath hash.
        8 HASH "hash": Struct<Hash>;
        /// Push an MPLS label stack entry.
        9 PUSH_MPLS "push-mpls": Struct<PushMpls>;
        /// Pop an MPLS label stack entry; the payload is the new ethertype.
        10 POP_MPLS "pop-mpls": Be16;
        /// Replace header bits: one nested key attribute holding value then mask.
        11 SET_MASKED "set-masked": Nest<KeyAttrs>;
        /// Send through conntrack.
        12 CT "ct": Nest<CtAttrs>;
        /// Truncate the packet on output.
        13 TRUNC "trunc": Struct<Trunc>;
        /// Push an Ethernet header.
        14 PUSH_ETH "push-eth": Struct<PushEth>;
        /// Pop the outermost Ethernet header.
        15 POP_ETH "pop-eth": Flag;
        /// Clear the conntrack state.
        16 CT_CLEAR "ct-clear": Flag;
        /// Push an NSH header described by NSH key attributes.
        17 PUSH_NSH "push-nsh": Nest<NshKeyAttrs>;
        /// Pop the outermost NSH header.
        18 POP_NSH "pop-nsh": Flag;
        /// Run through this meter.
        19 METER "meter": u32;
        /// Run an action list on a copy of the packet.
        20 CLONE "clone": Nest<ActionAttrs>;
        /// Choose an action list by packet length.
        21 CHECK_PKT_LEN "check-pkt-len": Nest<CheckPktLenAttrs>;
        /// Add an MPLS label stack entry at the packet or L3 start.
        22 ADD_MPLS "add-mpls": Struct<AddMpls>;
        /// Decrement the TTL; run the nested actions when it expires.
        23 DEC_TTL "dec-ttl": Nest<DecTtlAttrs>;
        /// Drop explicitly, with an error code (0: no error). Linux 6.4 and later.
        24 DROP "drop": u32;
        /// Send a sample to psample observers. Linux 6.11 and later.
        25 PSAMPLE "psample": Nest<PsampleAttrs>;
    }
}

crate::attr_set! {
    /// `OVS_USERSPACE_ATTR_*`: what `userspace` sends up.
    pub struct UserspaceAttrs = "userspace-attrs" {
        /// Netlink port id that receives the upcall.
        1 PID "pid": u32;
        /// Cookie copied into the upcall.
        2 USERDATA "userdata": Binary<0, ANY_LEN>;
        /// Output port whose tunnel information goes with the upcall.
        3 EGRESS_TUN_PORT "egress-tun-port": u32;
        /// Send the actions with the upcall.
        4 ACTIONS "actions": Flag;
    }
}

crate::attr_set! {
    /// `OVS_SAMPLE_ATTR_*`.
    pub struct SampleAttrs = "sample-attrs" {
        /// Fraction of packets sampled, out of `u32::MAX`.
        1 PROBABILITY "probability": u32;
        /// Actions run on sampled packets.
        2 ACTIONS "actions": Nest<ActionAttrs>;
    }
}

crate::attr_set! {
    /// `OVS_CT_ATTR_*`: the conntrack action.
    pub struct CtAttrs = "ct-attrs" {
        /// Commit the connection.
        1 COMMIT "commit": Flag;
        /// Conntrack zone.
        2 ZONE "zone": u16;
        /// Mark: u32 value then u32 mask.
        3 MARK "mark": Binary<8, 8>;
        /// Labels: 16-byte value then 16-byte mask.
        4 LABELS "labels": Binary<32, 32>;
        /// Helper name (`NF_CT_HELPER_NAME_LEN` is 16 with the NUL).
        5 HELPER "helper": Str<15>;
        /// Network address translation.
        6 NAT "nat": Nest<NatAttrs>;
        /// Commit, replacing an entry of the other direction.
        7 FORCE_COMMIT "force-commit": Flag;
        /// Conntrack events reported (bits `1 << IPCT_*`).
        8 EVENTMASK "eventmask": u32;
        /// Timeout policy name (`CTNL_TIMEOUT_NAME_MAX` is 32 with the NUL).
        9 TIMEOUT "timeout": Str<31>;
    }
}

crate::attr_set! {
    /// `OVS_NAT_ATTR_*`: the NAT of a conntrack action.
    pub struct NatAttrs = "nat-attrs" {
        /// Source NAT.
        1 SRC "src": Flag;
        /// Destination NAT.
        2 DST "dst": Flag;
        /// Lowest address (`struct in_addr` or `struct in6_addr`).
        3 IP_MIN "ip-min": Ip;
        /// Highest address.
        4 IP_MAX "ip-max": Ip;
        /// Lowest port (host-endian u16).
        5 PROTO_MIN "proto-min": u16;
        /// Highest port.
        6 PROTO_MAX "proto-max": u16;
        /// Persistent address mapping.
        7 PERSISTENT "persistent": Flag;
        /// Pseudo-random (hashed) port mapping.
        8 PROTO_HASH "proto-hash": Flag;
        /// Fully random port mapping.
        9 PROTO_RANDOM "proto-random": Flag;
    }
}

crate::attr_set! {
    /// `OVS_CHECK_PKT_LEN_ATTR_*`.
    pub struct CheckPktLenAttrs = "check-pkt-len-attrs" {
        /// Length compared with.
        1 PKT_LEN "pkt-len": u16;
        /// Actions for longer packets.
        2 ACTIONS_IF_GREATER "actions-if-greater": Nest<ActionAttrs>;
        /// Actions for packets of this length or shorter.
        3 ACTIONS_IF_LESS_EQUAL "actions-if-less-equal": Nest<ActionAttrs>;
    }
}

crate::attr_set! {
    /// `OVS_DEC_TTL_ATTR_*`.
    pub struct DecTtlAttrs = "dec-ttl-attrs" {
        /// Actions run when the TTL expires.
        1 ACTION "action": Nest<ActionAttrs>;
    }
}

crate::attr_set! {
    /// `OVS_PSAMPLE_ATTR_*` (Linux 6.11 and later).
    pub struct PsampleAttrs = "psample-attrs" {
        /// psample group.
        1 GROUP "group": u32;
        /// Cookie, at most `OVS_PSAMPLE_COOKIE_MAX_SIZE` (16) bytes.
        2 COOKIE "cookie": Binary<0, 16>;
    }
}
