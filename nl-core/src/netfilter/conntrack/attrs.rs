//! The value sets and attribute sets of ctnetlink, from `conntrack.yaml`
//! and `linux/netfilter/nfnetlink_conntrack.h` (where they disagree, the
//! header and the live kernel win; each such place says so).
//!
//! ```text
//! ConntrackAttrs
//!  1 tuple-orig, 2 tuple-reply, 13 tuple-master ─> TupleAttrs
//!        1 tuple-ip ─> TupleIpAttrs (v4 src/dst be32, v6 src/dst 16 bytes)
//!        2 tuple-proto ─> TupleProtoAttrs (num u8, ports be16, icmp id/type/code)
//!        3 tuple-zone be16
//!  3 status be32 (CtStatus)     4 protoinfo ─> ProtoinfoAttrs ─> tcp/dccp/sctp
//!  7 timeout be32   8 mark be32   9/10 counters ─> CounterAttrs (be64)
//! 11 use be32  12 id be32  18 zone be16  19 secctx  20 timestamp ─> TimestampAttrs
//! 22 labels (bytes)  ... every other attribute kept raw
//! ```

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::table::{
    Be16, Be32, Be64, Binary, Ipv4, Ipv6, Member, MemberKind, Nest, Str, Struct, WireStruct,
};

use super::super::NFNL_SUBSYS_CTNETLINK;

crate::value_enum! {
    /// `IPCTNL_MSG_CT_*`: the message types of the subsystem (the low byte
    /// of `nlmsg_type`; see [`msg_type`]).
    pub enum CtMsg(u8) {
        /// Create or update an entry; every entry in replies and events.
        New = 0 => "new",
        /// Get one entry (by tuple), or dump them all with `NLM_F_DUMP`.
        Get = 1 => "get",
        /// Delete one entry, or all of them (flush) without a tuple.
        Delete = 2 => "delete",
        /// Dump and zero the counters.
        GetCtrZero = 3 => "get-ctrzero",
        /// Per-CPU statistics (one message per CPU).
        GetStatsCpu = 4 => "get-stats-cpu",
        /// Global statistics (entries, maximum).
        GetStats = 5 => "get-stats",
        /// Dump the entries being destroyed.
        GetDying = 6 => "get-dying",
        /// Dump the entries not yet confirmed.
        GetUnconfirmed = 7 => "get-unconfirmed",
    }
}

/// The full `nlmsg_type` of message `msg`: `NFNL_SUBSYS_CTNETLINK << 8 | msg`.
pub const fn msg_type(msg: CtMsg) -> u16 {
    let low = match msg {
        CtMsg::New => 0,
        CtMsg::Get => 1,
        CtMsg::Delete => 2,
        CtMsg::GetCtrZero => 3,
        CtMsg::GetStatsCpu => 4,
        CtMsg::GetStats => 5,
        CtMsg::GetDying => 6,
        CtMsg::GetUnconfirmed => 7,
        CtMsg::Unknown(raw) => raw,
    };
    (NFNL_SUBSYS_CTNETLINK as u16) << 8 | low as u16
}

crate::flag_set! {
    /// `IPS_*` (`nf-ct-status`): an entry's status bits, named as the spec
    /// names them (`Display`: names joined by `|`, unknown bits in hex).
    pub struct CtStatus(u32), sep = "|" {
        /// Expected connection (of a helper's expectation).
        EXPECTED = 0x0001 => "expected",
        /// Packets were seen in both directions.
        SEEN_REPLY = 0x0002 => "seen-reply",
        /// Never expired early (`[ASSURED]`).
        ASSURED = 0x0004 => "assured",
        /// In the table (confirmed).
        CONFIRMED = 0x0008 => "confirmed",
        /// Source NAT applies.
        SRC_NAT = 0x0010 => "src-nat",
        /// Destination NAT applies.
        DST_NAT = 0x0020 => "dst-nat",
        /// Sequence numbers are adjusted (`IPS_SEQ_ADJUST`).
        SEQ_ADJUST = 0x0040 => "seq-adj",
        /// Source NAT set up.
        SRC_NAT_DONE = 0x0080 => "src-nat-done",
        /// Destination NAT set up.
        DST_NAT_DONE = 0x0100 => "dst-nat-done",
        /// Being destroyed.
        DYING = 0x0200 => "dying",
        /// The timeout does not change with the state.
        FIXED_TIMEOUT = 0x0400 => "fixed-timeout",
        /// A template (`CT` target), not a connection.
        TEMPLATE = 0x0800 => "template",
        /// Lost a NAT clash (the header's `IPS_UNTRACKED` bit; the kernel
        /// reuses it as `IPS_NAT_CLASH`).
        NAT_CLASH = 0x1000 => "nat-clash",
        /// A helper was set from userspace (`IPS_HELPER`).
        HELPER = 0x2000 => "helper",
        /// Offloaded to a flow table.
        OFFLOAD = 0x4000 => "offload",
        /// Offloaded to hardware.
        HW_OFFLOAD = 0x8000 => "hw-offload",
    }
}

crate::value_enum! {
    /// `TCP_CONNTRACK_*` (`nf-ct-tcp-state`): a TCP entry's state.
    pub enum TcpState(u8) {
        /// No state.
        None = 0 => "none",
        /// SYN sent.
        SynSent = 1 => "syn-sent",
        /// SYN received (SYN-ACK seen).
        SynRecv = 2 => "syn-recv",
        /// Established.
        Established = 3 => "established",
        /// FIN sent.
        FinWait = 4 => "fin-wait",
        /// FIN received.
        CloseWait = 5 => "close-wait",
        /// Last ACK awaited.
        LastAck = 6 => "last-ack",
        /// TIME_WAIT.
        TimeWait = 7 => "time-wait",
        /// Closed.
        Close = 8 => "close",
        /// Simultaneous open: SYN sent in both directions.
        SynSent2 = 9 => "syn-sent2",
        /// `TCP_CONNTRACK_MAX` (a bound, not a state).
        Max = 10 => "max",
        /// Ignored.
        Ignore = 11 => "ignore",
        /// Timeout index of retransmissions.
        Retrans = 12 => "retrans",
        /// Timeout index of unacknowledged data.
        Unack = 13 => "unack",
        /// `TCP_CONNTRACK_TIMEOUT_MAX` (a bound).
        TimeoutMax = 14 => "timeout-max",
    }
}

crate::flag_set! {
    /// `IP_CT_TCP_FLAG_*` (`nf-ct-tcp-flags`): a TCP direction's flags.
    pub struct TcpFlags(u8), sep = "|" {
        /// Window scaling is in use.
        WINDOW_SCALE = 0x01 => "window-scale",
        /// SACK is permitted.
        SACK_PERM = 0x02 => "sack-perm",
        /// This direction closed first.
        CLOSE_INIT = 0x04 => "close-init",
        /// Window tracking is liberal.
        BE_LIBERAL = 0x08 => "be-liberal",
        /// Unacknowledged data.
        UNACKED = 0x10 => "unacked",
        /// `maxack` is set.
        MAXACK = 0x20 => "maxack",
        /// A challenge ACK was sent.
        CHALLENGE_ACK = 0x40 => "challenge-ack",
        /// Simultaneous open.
        SIMULTANEOUS_OPEN = 0x80 => "simultaneous-open",
    }
}

crate::value_enum! {
    /// `SCTP_CONNTRACK_*` (`nf-ct-sctp-state`).
    pub enum SctpState(u8) {
        /// No state.
        None = 0 => "none",
        /// Cloned.
        Cloned = 1 => "cloned",
        /// COOKIE WAIT.
        CookieWait = 2 => "cookie-wait",
        /// COOKIE ECHOED.
        CookieEchoed = 3 => "cookie-echoed",
        /// Established.
        Established = 4 => "established",
        /// SHUTDOWN sent.
        ShutdownSent = 5 => "shutdown-sent",
        /// SHUTDOWN received.
        ShutdownReceived = 6 => "shutdown-received",
        /// SHUTDOWN ACK sent.
        ShutdownAckSent = 7 => "shutdown-ack-sent",
        /// HEARTBEAT sent.
        ShutdownHeartbeatSent = 8 => "shutdown-heartbeat-sent",
    }
}

/// `struct nf_ct_tcp_flags`: flags to set and which of them to change.
///
/// ```text
/// +---------------+---------------+
/// | flags (u8)    | mask (u8)     |
/// +---------------+---------------+
/// ```
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
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(C)]
pub struct TcpFlagsMask {
    /// [`TcpFlags`] bits.
    pub flags: u8,
    /// The bits of `flags` that count.
    pub mask: u8,
}

impl WireStruct for TcpFlagsMask {
    const MEMBERS: &'static [Member] = &[
        Member::new("flags", 0, MemberKind::U8).flags::<TcpFlags>(),
        Member::new("mask", 1, MemberKind::U8).flags::<TcpFlags>(),
    ];
}

crate::attr_set! {
    /// `CTA_COUNTERS_*`: packets and bytes of one direction.
    pub struct CounterAttrs = "counter-attrs" {
        /// Packets (big-endian u64).
        1 PACKETS "packets": Be64;
        /// Bytes (big-endian u64).
        2 BYTES "bytes": Be64;
        /// Old 32-bit packet counter (unused).
        3 PACKETS_OLD "packets-old": u32;
        /// Old 32-bit byte counter (unused).
        4 BYTES_OLD "bytes-old": u32;
        /// Padding for 64-bit alignment.
        5 PAD "pad": Binary<0, 65535>;
    }
}

crate::attr_set! {
    /// `CTA_PROTO_*`: the layer-4 part of a tuple.
    pub struct TupleProtoAttrs = "tuple-proto-attrs" {
        /// Layer-4 protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6…).
        1 NUM "proto-num": u8;
        /// Source port (big-endian).
        2 SRC_PORT "proto-src-port": Be16;
        /// Destination port (big-endian).
        3 DST_PORT "proto-dst-port": Be16;
        /// ICMP id (big-endian).
        4 ICMP_ID "proto-icmp-id": Be16;
        /// ICMP type.
        5 ICMP_TYPE "proto-icmp-type": u8;
        /// ICMP code.
        6 ICMP_CODE "proto-icmp-code": u8;
        /// ICMPv6 id (big-endian).
        7 ICMPV6_ID "proto-icmpv6-id": Be16;
        /// ICMPv6 type.
        8 ICMPV6_TYPE "proto-icmpv6-type": u8;
        /// ICMPv6 code.
        9 ICMPV6_CODE "proto-icmpv6-code": u8;
    }
}

crate::attr_set! {
    /// `CTA_IP_*`: the layer-3 part of a tuple. The spec allows IPv6
    /// addresses of at least 16 bytes; the kernel writes exactly 16, and
    /// only 16 are accepted.
    pub struct TupleIpAttrs = "tuple-ip-attrs" {
        /// IPv4 source.
        1 V4_SRC "ip-v4-src": Ipv4;
        /// IPv4 destination.
        2 V4_DST "ip-v4-dst": Ipv4;
        /// IPv6 source.
        3 V6_SRC "ip-v6-src": Ipv6;
        /// IPv6 destination.
        4 V6_DST "ip-v6-dst": Ipv6;
    }
}

crate::attr_set! {
    /// `CTA_TUPLE_*`: one direction of a connection.
    pub struct TupleAttrs = "tuple-attrs" {
        /// Addresses.
        1 IP "tuple-ip": Nest<TupleIpAttrs>;
        /// Protocol, ports, ICMP id/type/code.
        2 PROTO "tuple-proto": Nest<TupleProtoAttrs>;
        /// Zone of this direction (big-endian).
        3 ZONE "tuple-zone": Be16;
    }
}

crate::attr_set! {
    /// `CTA_PROTOINFO_TCP_*`.
    pub struct ProtoinfoTcpAttrs = "protoinfo-tcp-attrs" {
        /// [`TcpState`].
        1 STATE "tcp-state": u8, enum(TcpState);
        /// Window scale, original direction.
        2 WSCALE_ORIGINAL "tcp-wscale-original": u8;
        /// Window scale, reply direction.
        3 WSCALE_REPLY "tcp-wscale-reply": u8;
        /// [`TcpFlags`] of the original direction.
        4 FLAGS_ORIGINAL "tcp-flags-original": Struct<TcpFlagsMask>;
        /// [`TcpFlags`] of the reply direction.
        5 FLAGS_REPLY "tcp-flags-reply": Struct<TcpFlagsMask>;
    }
}

crate::attr_set! {
    /// `CTA_PROTOINFO_DCCP_*`.
    pub struct ProtoinfoDccpAttrs = "protoinfo-dccp-attrs" {
        /// DCCP state.
        1 STATE "dccp-state": u8;
        /// Role.
        2 ROLE "dccp-role": u8;
        /// Handshake sequence (big-endian).
        3 HANDSHAKE_SEQ "dccp-handshake-seq": Be64;
        /// Padding.
        4 PAD "dccp-pad": Binary<0, 65535>;
    }
}

crate::attr_set! {
    /// `CTA_PROTOINFO_SCTP_*`.
    pub struct ProtoinfoSctpAttrs = "protoinfo-sctp-attrs" {
        /// [`SctpState`].
        1 STATE "sctp-state": u8, enum(SctpState);
        /// Verification tag, original direction.
        2 VTAG_ORIGINAL "vtag-original": Be32;
        /// Verification tag, reply direction.
        3 VTAG_REPLY "vtag-reply": Be32;
    }
}

crate::attr_set! {
    /// `CTA_PROTOINFO_*`: per-protocol state.
    pub struct ProtoinfoAttrs = "protoinfo-attrs" {
        /// TCP.
        1 TCP "protoinfo-tcp": Nest<ProtoinfoTcpAttrs>;
        /// DCCP.
        2 DCCP "protoinfo-dccp": Nest<ProtoinfoDccpAttrs>;
        /// SCTP.
        3 SCTP "protoinfo-sctp": Nest<ProtoinfoSctpAttrs>;
    }
}

crate::attr_set! {
    /// `CTA_HELP_*`: the entry's helper.
    pub struct HelpAttrs = "help-attrs" {
        /// Helper name.
        1 NAME "help-name": Str<0>;
        /// Helper private data (header only).
        2 INFO "help-info": Binary<0, 65535>;
    }
}

crate::attr_set! {
    /// `CTA_PROTONAT_*`: a NAT port range.
    pub struct NatProtoAttrs = "nat-proto-attrs" {
        /// Lowest port (big-endian).
        1 PORT_MIN "nat-port-min": Be16;
        /// Highest port (big-endian).
        2 PORT_MAX "nat-port-max": Be16;
    }
}

crate::attr_set! {
    /// `CTA_NAT_*`: a NAT range. Numbered as the header numbers them
    /// (`nat-proto` is 3, the IPv6 bounds 4 and 5; the spec lists them in
    /// another order).
    pub struct NatAttrs = "nat-attrs" {
        /// Lowest IPv4 address.
        1 V4_MINIP "nat-v4-minip": Ipv4;
        /// Highest IPv4 address.
        2 V4_MAXIP "nat-v4-maxip": Ipv4;
        /// Port range.
        3 PROTO "nat-proto": Nest<NatProtoAttrs>;
        /// Lowest IPv6 address.
        4 V6_MINIP "nat-v6-minip": Ipv6;
        /// Highest IPv6 address.
        5 V6_MAXIP "nat-v6-maxip": Ipv6;
    }
}

crate::attr_set! {
    /// `CTA_SEQADJ_*`: a sequence number adjustment.
    pub struct SeqadjAttrs = "seqadj-attrs" {
        /// Position of the correction.
        1 CORRECTION_POS "correction-pos": Be32;
        /// Offset before it.
        2 OFFSET_BEFORE "offset-before": Be32;
        /// Offset after it.
        3 OFFSET_AFTER "offset-after": Be32;
    }
}

crate::attr_set! {
    /// `CTA_SECCTX_*`: the security context.
    pub struct SecctxAttrs = "secctx-attrs" {
        /// Context name.
        1 NAME "secctx-name": Str<0>;
    }
}

crate::attr_set! {
    /// `CTA_SYNPROXY_*`: SYN proxy state.
    pub struct SynproxyAttrs = "synproxy-attrs" {
        /// Initial sequence number.
        1 ISN "isn": Be32;
        /// Initial timestamp.
        2 ITS "its": Be32;
        /// Timestamp offset.
        3 TSOFF "tsoff": Be32;
    }
}

crate::attr_set! {
    /// `CTA_TIMESTAMP_*`: when the entry started and stopped, in
    /// nanoseconds since the epoch. The spec calls `timestamp` a u64; the
    /// header and the kernel make it this nest.
    pub struct TimestampAttrs = "timestamp-attrs" {
        /// Start (big-endian ns).
        1 START "start": Be64;
        /// Stop (big-endian ns; destroy events only).
        2 STOP "stop": Be64;
        /// Padding.
        3 PAD "pad": Binary<0, 65535>;
    }
}

crate::attr_set! {
    /// `CTA_FILTER_*`: which tuple fields a dump filter compares (the
    /// header's set; the spec calls the nest `tuple-attrs`).
    pub struct FilterAttrs = "filter-attrs" {
        /// `CTA_FILTER_FLAG_*` of the original tuple.
        1 ORIG_FLAGS "orig-flags": u32;
        /// `CTA_FILTER_FLAG_*` of the reply tuple.
        2 REPLY_FLAGS "reply-flags": u32;
    }
}

crate::attr_set! {
    /// `CTA_*`: an entry, and the requests about entries.
    pub struct ConntrackAttrs = "conntrack-attrs" {
        /// Original direction.
        1 TUPLE_ORIG "tuple-orig": Nest<TupleAttrs>;
        /// Reply direction.
        2 TUPLE_REPLY "tuple-reply": Nest<TupleAttrs>;
        /// [`CtStatus`] bits (big-endian).
        3 STATUS "status": Be32, flags(CtStatus);
        /// Per-protocol state.
        4 PROTOINFO "protoinfo": Nest<ProtoinfoAttrs>;
        /// Helper.
        5 HELP "help": Nest<HelpAttrs>;
        /// Source NAT.
        6 NAT_SRC "nat-src": Nest<NatAttrs>;
        /// Seconds left (big-endian).
        7 TIMEOUT "timeout": Be32;
        /// Mark (big-endian).
        8 MARK "mark": Be32;
        /// Original direction counters.
        9 COUNTERS_ORIG "counters-orig": Nest<CounterAttrs>;
        /// Reply direction counters.
        10 COUNTERS_REPLY "counters-reply": Nest<CounterAttrs>;
        /// Reference count (big-endian).
        11 USE "use": Be32;
        /// Entry id (big-endian).
        12 ID "id": Be32;
        /// Destination NAT.
        13 NAT_DST "nat-dst": Nest<NatAttrs>;
        /// The master's original tuple (expected connections).
        14 TUPLE_MASTER "tuple-master": Nest<TupleAttrs>;
        /// Sequence adjustment, original direction.
        15 SEQ_ADJ_ORIG "seq-adj-orig": Nest<SeqadjAttrs>;
        /// Sequence adjustment, reply direction.
        16 SEQ_ADJ_REPLY "seq-adj-reply": Nest<SeqadjAttrs>;
        /// Obsolete.
        17 SECMARK "secmark": Binary<0, 65535>;
        /// Zone (big-endian).
        18 ZONE "zone": Be16;
        /// Security context.
        19 SECCTX "secctx": Nest<SecctxAttrs>;
        /// Start and stop times.
        20 TIMESTAMP "timestamp": Nest<TimestampAttrs>;
        /// Mask of `mark` (dump filters and updates; big-endian).
        21 MARK_MASK "mark-mask": Be32;
        /// Labels (a bit map, 16 bytes on this kernel).
        22 LABELS "labels": Binary<0, 65535>;
        /// Mask of `labels`.
        23 LABELS_MASK "labels mask": Binary<0, 65535>;
        /// SYN proxy state.
        24 SYNPROXY "synproxy": Nest<SynproxyAttrs>;
        /// Dump filter: tuple fields to compare.
        25 FILTER "filter": Nest<FilterAttrs>;
        /// Mask of `status` (dump filters; big-endian).
        26 STATUS_MASK "status-mask": Be32, flags(CtStatus);
        /// Event timestamp (big-endian ns; newer kernels).
        27 TIMESTAMP_EVENT "timestamp-event": Be64;
    }
}

crate::attr_set! {
    /// `CTA_STATS_*` (`conntrack-stats-attrs`): one CPU's statistics
    /// (`get-stats-cpu` replies).
    pub struct StatsAttrs = "conntrack-stats-attrs" {
        /// Obsolete.
        1 SEARCHED "searched": Be32;
        /// Lookups that found an entry.
        2 FOUND "found": Be32;
        /// Obsolete.
        3 NEW "new": Be32;
        /// Packets that could not be tracked.
        4 INVALID "invalid": Be32;
        /// Obsolete.
        5 IGNORE "ignore": Be32;
        /// Obsolete.
        6 DELETE "delete": Be32;
        /// Obsolete.
        7 DELETE_LIST "delete-list": Be32;
        /// Entries inserted.
        8 INSERT "insert": Be32;
        /// Insertions that failed.
        9 INSERT_FAILED "insert-failed": Be32;
        /// Packets dropped.
        10 DROP "drop": Be32;
        /// Entries dropped early to make room.
        11 EARLY_DROP "early-drop": Be32;
        /// ICMP errors (and other errors).
        12 ERROR "error": Be32;
        /// Lookups restarted.
        13 SEARCH_RESTART "search-restart": Be32;
        /// Clashes resolved.
        14 CLASH_RESOLVE "clash-resolve": Be32;
        /// Hash chains found too long.
        15 CHAIN_TOOLONG "chain-toolong": Be32;
    }
}

crate::attr_set! {
    /// `CTA_STATS_GLOBAL_*`: the table's size (`get-stats` replies; the
    /// header's set, not in the spec).
    pub struct StatsGlobalAttrs = "conntrack-stats-global-attrs" {
        /// Entries in the table.
        1 ENTRIES "entries": Be32;
        /// Maximum entries (`nf_conntrack_max`).
        2 MAX_ENTRIES "max-entries": Be32;
    }
}
