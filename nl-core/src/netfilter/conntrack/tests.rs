//! Tests of the conntrack codec: vectors this kernel (6.18) sent, captured
//! in a fresh network namespace after `conntrack -I` (accounting and
//! timestamps on), and the requests, byte by byte.

extern crate std;
use std::format;
use std::string::ToString;

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;

use super::*;
use crate::Error;
use crate::netfilter::NfGenMsg;
use crate::nlmsg::{Flags, Message};
use crate::table::AttrSet;

/// `conntrack -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80
/// --state ESTABLISHED -t 120 -u ASSURED,SEEN_REPLY -m 7 -w 5`, as a dump
/// (`conntrack -L`) returned it.
#[rustfmt::skip]
pub(crate) const TCP_ENTRY: [u8; 320] = [
    0x40, 0x01, 0x00, 0x00, // nlmsg_len 320
    0x00, 0x01, // nlmsg_type 0x0100
    0x02, 0x00, // nlmsg_flags 0x2
    0x01, 0x00, 0x00, 0x00, // seq 1
    0xca, 0x0b, 0x00, 0x00, // pid 3018
    0x02, // nfgen_family 2
    0x00, // version 0
    0x00, 0x00, // res_id 0 (big-endian)
    0x34, 0x00, 0x01, 0x80, // len 52, type 1 tuple-orig (NESTED)
        0x14, 0x00, 0x01, 0x80, // len 20, type 1 tuple-ip (NESTED)
            0x08, 0x00, 0x01, 0x00, // len 8, type 1 ip-v4-src
                0x0a, 0x00, 0x00, 0x01, // 10.0.0.1
            0x08, 0x00, 0x02, 0x00, // len 8, type 2 ip-v4-dst
                0x0a, 0x00, 0x00, 0x02, // 10.0.0.2
        0x1c, 0x00, 0x02, 0x80, // len 28, type 2 tuple-proto (NESTED)
            0x05, 0x00, 0x01, 0x00, // len 5, type 1 proto-num
                0x06, // 6
                0x00, 0x00, 0x00, // padding
            0x06, 0x00, 0x02, 0x00, // len 6, type 2 proto-src-port
                0x03, 0xe8, // 1000 (big-endian)
                0x00, 0x00, // padding
            0x06, 0x00, 0x03, 0x00, // len 6, type 3 proto-dst-port
                0x00, 0x50, // 80 (big-endian)
                0x00, 0x00, // padding
    0x34, 0x00, 0x02, 0x80, // len 52, type 2 tuple-reply (NESTED)
        0x14, 0x00, 0x01, 0x80, // len 20, type 1 tuple-ip (NESTED)
            0x08, 0x00, 0x01, 0x00, // len 8, type 1 ip-v4-src
                0x0a, 0x00, 0x00, 0x02, // 10.0.0.2
            0x08, 0x00, 0x02, 0x00, // len 8, type 2 ip-v4-dst
                0x0a, 0x00, 0x00, 0x01, // 10.0.0.1
        0x1c, 0x00, 0x02, 0x80, // len 28, type 2 tuple-proto (NESTED)
            0x05, 0x00, 0x01, 0x00, // len 5, type 1 proto-num
                0x06, // 6
                0x00, 0x00, 0x00, // padding
            0x06, 0x00, 0x02, 0x00, // len 6, type 2 proto-src-port
                0x00, 0x50, // 80 (big-endian)
                0x00, 0x00, // padding
            0x06, 0x00, 0x03, 0x00, // len 6, type 3 proto-dst-port
                0x03, 0xe8, // 1000 (big-endian)
                0x00, 0x00, // padding
    0x06, 0x00, 0x12, 0x00, // len 6, type 18 zone
        0x00, 0x05, // 5 (big-endian)
        0x00, 0x00, // padding
    0x08, 0x00, 0x03, 0x00, // len 8, type 3 status
        0x00, 0x00, 0x00, 0x0e, // 14 (big-endian)
    0x08, 0x00, 0x08, 0x00, // len 8, type 8 mark
        0x00, 0x00, 0x00, 0x07, // 7 (big-endian)
    0x08, 0x00, 0x0c, 0x00, // len 8, type 12 id
        0xb2, 0x7e, 0xbf, 0x45, // 2994650949 (big-endian)
    0x08, 0x00, 0x0b, 0x00, // len 8, type 11 use
        0x00, 0x00, 0x00, 0x01, // 1 (big-endian)
    0x08, 0x00, 0x07, 0x00, // len 8, type 7 timeout
        0x00, 0x00, 0x00, 0x77, // 119 (big-endian)
    0x30, 0x00, 0x04, 0x80, // len 48, type 4 protoinfo (NESTED)
        0x2c, 0x00, 0x01, 0x80, // len 44, type 1 protoinfo-tcp (NESTED)
            0x05, 0x00, 0x01, 0x00, // len 5, type 1 tcp-state
                0x03, // 3
                0x00, 0x00, 0x00, // padding
            0x05, 0x00, 0x02, 0x00, // len 5, type 2 tcp-wscale-original
                0x00, // 0
                0x00, 0x00, 0x00, // padding
            0x05, 0x00, 0x03, 0x00, // len 5, type 3 tcp-wscale-reply
                0x00, // 0
                0x00, 0x00, 0x00, // padding
            0x06, 0x00, 0x04, 0x00, // len 6, type 4 tcp-flags-original
                0x0a, 0x00, // raw
                0x00, 0x00, // padding
            0x06, 0x00, 0x05, 0x00, // len 6, type 5 tcp-flags-reply
                0x0a, 0x00, // raw
                0x00, 0x00, // padding
    0x1c, 0x00, 0x09, 0x80, // len 28, type 9 counters-orig (NESTED)
        0x0c, 0x00, 0x01, 0x00, // len 12, type 1 packets
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x0c, 0x00, 0x02, 0x00, // len 12, type 2 bytes
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x1c, 0x00, 0x0a, 0x80, // len 28, type 10 counters-reply (NESTED)
        0x0c, 0x00, 0x01, 0x00, // len 12, type 1 packets
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x0c, 0x00, 0x02, 0x00, // len 12, type 2 bytes
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x10, 0x00, 0x14, 0x80, // len 16, type 20 timestamp (NESTED)
        0x0c, 0x00, 0x01, 0x00, // len 12, type 1 start
            0x18, 0xea, 0x7f, 0xec, 0x49, 0x63, 0x65, 0x08, // 1795388054280824072 (big-endian)
    0x1c, 0x00, 0x18, 0x80, // len 28, type 24 synproxy (NESTED)
        0x08, 0x00, 0x01, 0x00, // len 8, type 1 isn
            0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x08, 0x00, 0x02, 0x00, // len 8, type 2 its
            0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x08, 0x00, 0x03, 0x00, // len 8, type 3 tsoff
            0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
];

/// `conntrack -I -p icmp -s 10.0.0.1 -d 10.0.0.2 --icmp-type 8
/// --icmp-code 0 --icmp-id 77 -t 30`, dumped.
#[rustfmt::skip]
pub(crate) const ICMP_ENTRY: [u8; 280] = [
    0x18, 0x01, 0x00, 0x00, // nlmsg_len 280
    0x00, 0x01, // nlmsg_type 0x0100
    0x02, 0x00, // nlmsg_flags 0x2
    0x01, 0x00, 0x00, 0x00, // seq 1
    0xca, 0x0b, 0x00, 0x00, // pid 3018
    0x02, // nfgen_family 2
    0x00, // version 0
    0x00, 0x00, // res_id 0 (big-endian)
    0x3c, 0x00, 0x01, 0x80, // len 60, type 1 tuple-orig (NESTED)
        0x14, 0x00, 0x01, 0x80, // len 20, type 1 tuple-ip (NESTED)
            0x08, 0x00, 0x01, 0x00, // len 8, type 1 ip-v4-src
                0x0a, 0x00, 0x00, 0x01, // 10.0.0.1
            0x08, 0x00, 0x02, 0x00, // len 8, type 2 ip-v4-dst
                0x0a, 0x00, 0x00, 0x02, // 10.0.0.2
        0x24, 0x00, 0x02, 0x80, // len 36, type 2 tuple-proto (NESTED)
            0x05, 0x00, 0x01, 0x00, // len 5, type 1 proto-num
                0x01, // 1
                0x00, 0x00, 0x00, // padding
            0x06, 0x00, 0x04, 0x00, // len 6, type 4 proto-icmp-id
                0x00, 0x4d, // 77 (big-endian)
                0x00, 0x00, // padding
            0x05, 0x00, 0x05, 0x00, // len 5, type 5 proto-icmp-type
                0x08, // 8
                0x00, 0x00, 0x00, // padding
            0x05, 0x00, 0x06, 0x00, // len 5, type 6 proto-icmp-code
                0x00, // 0
                0x00, 0x00, 0x00, // padding
    0x3c, 0x00, 0x02, 0x80, // len 60, type 2 tuple-reply (NESTED)
        0x14, 0x00, 0x01, 0x80, // len 20, type 1 tuple-ip (NESTED)
            0x08, 0x00, 0x01, 0x00, // len 8, type 1 ip-v4-src
                0x0a, 0x00, 0x00, 0x02, // 10.0.0.2
            0x08, 0x00, 0x02, 0x00, // len 8, type 2 ip-v4-dst
                0x0a, 0x00, 0x00, 0x01, // 10.0.0.1
        0x24, 0x00, 0x02, 0x80, // len 36, type 2 tuple-proto (NESTED)
            0x05, 0x00, 0x01, 0x00, // len 5, type 1 proto-num
                0x01, // 1
                0x00, 0x00, 0x00, // padding
            0x06, 0x00, 0x04, 0x00, // len 6, type 4 proto-icmp-id
                0x00, 0x4d, // 77 (big-endian)
                0x00, 0x00, // padding
            0x05, 0x00, 0x05, 0x00, // len 5, type 5 proto-icmp-type
                0x00, // 0
                0x00, 0x00, 0x00, // padding
            0x05, 0x00, 0x06, 0x00, // len 5, type 6 proto-icmp-code
                0x00, // 0
                0x00, 0x00, 0x00, // padding
    0x08, 0x00, 0x03, 0x00, // len 8, type 3 status
        0x00, 0x00, 0x00, 0x08, // 8 (big-endian)
    0x08, 0x00, 0x08, 0x00, // len 8, type 8 mark
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x0c, 0x00, // len 8, type 12 id
        0xba, 0x6e, 0xd1, 0xb3, // 3127824819 (big-endian)
    0x08, 0x00, 0x0b, 0x00, // len 8, type 11 use
        0x00, 0x00, 0x00, 0x01, // 1 (big-endian)
    0x08, 0x00, 0x07, 0x00, // len 8, type 7 timeout
        0x00, 0x00, 0x00, 0x1d, // 29 (big-endian)
    0x1c, 0x00, 0x09, 0x80, // len 28, type 9 counters-orig (NESTED)
        0x0c, 0x00, 0x01, 0x00, // len 12, type 1 packets
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x0c, 0x00, 0x02, 0x00, // len 12, type 2 bytes
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x1c, 0x00, 0x0a, 0x80, // len 28, type 10 counters-reply (NESTED)
        0x0c, 0x00, 0x01, 0x00, // len 12, type 1 packets
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x0c, 0x00, 0x02, 0x00, // len 12, type 2 bytes
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x10, 0x00, 0x14, 0x80, // len 16, type 20 timestamp (NESTED)
        0x0c, 0x00, 0x01, 0x00, // len 12, type 1 start
            0x18, 0xea, 0x7f, 0xec, 0x49, 0x7b, 0x74, 0x0b, // 1795388054282400779 (big-endian)
    0x1c, 0x00, 0x18, 0x80, // len 28, type 24 synproxy (NESTED)
        0x08, 0x00, 0x01, 0x00, // len 8, type 1 isn
            0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x08, 0x00, 0x02, 0x00, // len 8, type 2 its
            0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x08, 0x00, 0x03, 0x00, // len 8, type 3 tsoff
            0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
];

/// `conntrack -I -p udp -s fd00::1 -d fd00::2 --sport 53 --dport 5353 -t 30`, dumped.
#[rustfmt::skip]
pub(crate) const UDP6_ENTRY: [u8; 312] = [
    0x38, 0x01, 0x00, 0x00, // nlmsg_len 312
    0x00, 0x01, // nlmsg_type 0x0100
    0x02, 0x00, // nlmsg_flags 0x2
    0x01, 0x00, 0x00, 0x00, // seq 1
    0xca, 0x0b, 0x00, 0x00, // pid 3018
    0x0a, // nfgen_family 10
    0x00, // version 0
    0x00, 0x00, // res_id 0 (big-endian)
    0x4c, 0x00, 0x01, 0x80, // len 76, type 1 tuple-orig (NESTED)
        0x2c, 0x00, 0x01, 0x80, // len 44, type 1 tuple-ip (NESTED)
            0x14, 0x00, 0x03, 0x00, // len 20, type 3 ip-v6-src
                0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // fd00::1
            0x14, 0x00, 0x04, 0x00, // len 20, type 4 ip-v6-dst
                0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, // fd00::2
        0x1c, 0x00, 0x02, 0x80, // len 28, type 2 tuple-proto (NESTED)
            0x05, 0x00, 0x01, 0x00, // len 5, type 1 proto-num
                0x11, // 17
                0x00, 0x00, 0x00, // padding
            0x06, 0x00, 0x02, 0x00, // len 6, type 2 proto-src-port
                0x00, 0x35, // 53 (big-endian)
                0x00, 0x00, // padding
            0x06, 0x00, 0x03, 0x00, // len 6, type 3 proto-dst-port
                0x14, 0xe9, // 5353 (big-endian)
                0x00, 0x00, // padding
    0x4c, 0x00, 0x02, 0x80, // len 76, type 2 tuple-reply (NESTED)
        0x2c, 0x00, 0x01, 0x80, // len 44, type 1 tuple-ip (NESTED)
            0x14, 0x00, 0x03, 0x00, // len 20, type 3 ip-v6-src
                0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, // fd00::2
            0x14, 0x00, 0x04, 0x00, // len 20, type 4 ip-v6-dst
                0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // fd00::1
        0x1c, 0x00, 0x02, 0x80, // len 28, type 2 tuple-proto (NESTED)
            0x05, 0x00, 0x01, 0x00, // len 5, type 1 proto-num
                0x11, // 17
                0x00, 0x00, 0x00, // padding
            0x06, 0x00, 0x02, 0x00, // len 6, type 2 proto-src-port
                0x14, 0xe9, // 5353 (big-endian)
                0x00, 0x00, // padding
            0x06, 0x00, 0x03, 0x00, // len 6, type 3 proto-dst-port
                0x00, 0x35, // 53 (big-endian)
                0x00, 0x00, // padding
    0x08, 0x00, 0x03, 0x00, // len 8, type 3 status
        0x00, 0x00, 0x00, 0x08, // 8 (big-endian)
    0x08, 0x00, 0x08, 0x00, // len 8, type 8 mark
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x0c, 0x00, // len 8, type 12 id
        0x32, 0x1f, 0xe0, 0x2f, // 840949807 (big-endian)
    0x08, 0x00, 0x0b, 0x00, // len 8, type 11 use
        0x00, 0x00, 0x00, 0x01, // 1 (big-endian)
    0x08, 0x00, 0x07, 0x00, // len 8, type 7 timeout
        0x00, 0x00, 0x00, 0x1d, // 29 (big-endian)
    0x1c, 0x00, 0x09, 0x80, // len 28, type 9 counters-orig (NESTED)
        0x0c, 0x00, 0x01, 0x00, // len 12, type 1 packets
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x0c, 0x00, 0x02, 0x00, // len 12, type 2 bytes
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x1c, 0x00, 0x0a, 0x80, // len 28, type 10 counters-reply (NESTED)
        0x0c, 0x00, 0x01, 0x00, // len 12, type 1 packets
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x0c, 0x00, 0x02, 0x00, // len 12, type 2 bytes
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x10, 0x00, 0x14, 0x80, // len 16, type 20 timestamp (NESTED)
        0x0c, 0x00, 0x01, 0x00, // len 12, type 1 start
            0x18, 0xea, 0x7f, 0xec, 0x49, 0x6f, 0x69, 0xd1, // 1795388054281611729 (big-endian)
    0x1c, 0x00, 0x18, 0x80, // len 28, type 24 synproxy (NESTED)
        0x08, 0x00, 0x01, 0x00, // len 8, type 1 isn
            0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x08, 0x00, 0x02, 0x00, // len 8, type 2 its
            0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
        0x08, 0x00, 0x03, 0x00, // len 8, type 3 tsoff
            0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
];

/// The destroy event (group 3) of `conntrack -D` of a UDP entry
/// 10.1.0.1:5000 -> 10.1.0.2:53 with mark 2 (accounting off here).
#[rustfmt::skip]
pub(crate) const DESTROY_EVENT: [u8; 156] = [
    0x9c, 0x00, 0x00, 0x00, // nlmsg_len 156
    0x02, 0x01, // nlmsg_type 0x0102
    0x00, 0x00, // nlmsg_flags 0x0
    0x00, 0x00, 0x00, 0x00, // seq 0
    0x31, 0xb9, 0x2e, 0xc3, // pid 3274619185
    0x02, // nfgen_family 2
    0x00, // version 0
    0x00, 0x00, // res_id 0 (big-endian)
    0x34, 0x00, 0x01, 0x80, // len 52, type 1 tuple-orig (NESTED)
        0x14, 0x00, 0x01, 0x80, // len 20, type 1 tuple-ip (NESTED)
            0x08, 0x00, 0x01, 0x00, // len 8, type 1 ip-v4-src
                0x0a, 0x01, 0x00, 0x01, // 10.1.0.1
            0x08, 0x00, 0x02, 0x00, // len 8, type 2 ip-v4-dst
                0x0a, 0x01, 0x00, 0x02, // 10.1.0.2
        0x1c, 0x00, 0x02, 0x80, // len 28, type 2 tuple-proto (NESTED)
            0x05, 0x00, 0x01, 0x00, // len 5, type 1 proto-num
                0x11, // 17
                0x00, 0x00, 0x00, // padding
            0x06, 0x00, 0x02, 0x00, // len 6, type 2 proto-src-port
                0x13, 0x88, // 5000 (big-endian)
                0x00, 0x00, // padding
            0x06, 0x00, 0x03, 0x00, // len 6, type 3 proto-dst-port
                0x00, 0x35, // 53 (big-endian)
                0x00, 0x00, // padding
    0x34, 0x00, 0x02, 0x80, // len 52, type 2 tuple-reply (NESTED)
        0x14, 0x00, 0x01, 0x80, // len 20, type 1 tuple-ip (NESTED)
            0x08, 0x00, 0x01, 0x00, // len 8, type 1 ip-v4-src
                0x0a, 0x01, 0x00, 0x02, // 10.1.0.2
            0x08, 0x00, 0x02, 0x00, // len 8, type 2 ip-v4-dst
                0x0a, 0x01, 0x00, 0x01, // 10.1.0.1
        0x1c, 0x00, 0x02, 0x80, // len 28, type 2 tuple-proto (NESTED)
            0x05, 0x00, 0x01, 0x00, // len 5, type 1 proto-num
                0x11, // 17
                0x00, 0x00, 0x00, // padding
            0x06, 0x00, 0x02, 0x00, // len 6, type 2 proto-src-port
                0x00, 0x35, // 53 (big-endian)
                0x00, 0x00, // padding
            0x06, 0x00, 0x03, 0x00, // len 6, type 3 proto-dst-port
                0x13, 0x88, // 5000 (big-endian)
                0x00, 0x00, // padding
    0x08, 0x00, 0x0c, 0x00, // len 8, type 12 id
        0x4c, 0xa6, 0x49, 0xeb, // 1285966315 (big-endian)
    0x08, 0x00, 0x03, 0x00, // len 8, type 3 status
        0x00, 0x00, 0x02, 0x08, // 520 (big-endian)
    0x08, 0x00, 0x07, 0x00, // len 8, type 7 timeout
        0x00, 0x00, 0x00, 0x1d, // 29 (big-endian)
    0x08, 0x00, 0x08, 0x00, // len 8, type 8 mark
        0x00, 0x00, 0x00, 0x02, // 2 (big-endian)
];

/// The `get-stats` reply (`conntrack -C`): 3 entries.
#[rustfmt::skip]
pub(crate) const STATS_REPLY: [u8; 36] = [
    0x24, 0x00, 0x00, 0x00, // nlmsg_len 36
    0x05, 0x01, // nlmsg_type 0x0105
    0x02, 0x00, // nlmsg_flags 0x2
    0x01, 0x00, 0x00, 0x00, // seq 1
    0xf3, 0x0b, 0x00, 0x00, // pid 3059
    0x00, // nfgen_family 0
    0x00, // version 0
    0x00, 0x00, // res_id 0 (big-endian)
    0x08, 0x00, 0x01, 0x00, // len 8, type 1 entries
        0x00, 0x00, 0x00, 0x03, // 3 (big-endian)
    0x08, 0x00, 0x02, 0x00, // len 8, type 2 max-entries
        0x00, 0x04, 0x00, 0x00, // 262144 (big-endian)
];

/// The second message of a `get-stats-cpu` dump (`conntrack -S`): CPU 1.
#[rustfmt::skip]
pub(crate) const STATS_CPU_REPLY: [u8; 100] = [
    0x64, 0x00, 0x00, 0x00, // nlmsg_len 100
    0x04, 0x01, // nlmsg_type 0x0104
    0x02, 0x00, // nlmsg_flags 0x2
    0x01, 0x00, 0x00, 0x00, // seq 1
    0x1c, 0x0c, 0x00, 0x00, // pid 3100
    0x00, // nfgen_family 0
    0x00, // version 0
    0x00, 0x01, // res_id 1 (big-endian)
    0x08, 0x00, 0x02, 0x00, // len 8, type 2 found
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x04, 0x00, // len 8, type 4 invalid
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x08, 0x00, // len 8, type 8 insert
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x09, 0x00, // len 8, type 9 insert-failed
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x0a, 0x00, // len 8, type 10 drop
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x0b, 0x00, // len 8, type 11 early-drop
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x0c, 0x00, // len 8, type 12 error
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x0d, 0x00, // len 8, type 13 search-restart
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x0e, 0x00, // len 8, type 14 clash-resolve
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
    0x08, 0x00, 0x0f, 0x00, // len 8, type 15 chain-toolong
        0x00, 0x00, 0x00, 0x00, // 0 (big-endian)
];

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

fn entry(bytes: &[u8]) -> Conntrack<'_> {
    Conntrack::parse(&Message::parse(bytes).unwrap()).unwrap()
}

fn tcp_orig() -> Tuple {
    Tuple::tcp(
        "10.0.0.1:1000".parse().unwrap(),
        "10.0.0.2:80".parse().unwrap(),
    )
}

#[test]
fn message_types_follow_the_header() {
    assert_eq!(msg_type(CtMsg::New), 0x0100);
    assert_eq!(msg_type(CtMsg::Get), 0x0101);
    assert_eq!(msg_type(CtMsg::Delete), 0x0102);
    assert_eq!(msg_type(CtMsg::GetCtrZero), 0x0103);
    assert_eq!(msg_type(CtMsg::GetStatsCpu), 0x0104);
    assert_eq!(msg_type(CtMsg::GetStats), 0x0105);
    assert_eq!(msg_type(CtMsg::GetUnconfirmed), 0x0107);
    assert_eq!(msg_type(CtMsg::Unknown(9)), 0x0109);
    assert_eq!(CtMsg::from(3).name(), Some("get-ctrzero"));
}

#[test]
fn status_and_states_have_the_uapi_values() {
    assert_eq!(
        format!("{}", CtStatus(0x0e)),
        "seen-reply|assured|confirmed"
    );
    assert_eq!(format!("{}", CtStatus(0x1_0001)), "expected|0x10000");
    assert_eq!(CtStatus::from_name("hw-offload"), Some(0x8000));
    assert_eq!(TcpState::from(3), TcpState::Established);
    assert_eq!(TcpState::SynSent2.name(), Some("syn-sent2"));
    assert_eq!(TcpState::from(15), TcpState::Unknown(15));
    assert_eq!(format!("{}", TcpFlags(0x0a)), "sack-perm|be-liberal");
    let table = ConntrackAttrs::table();
    assert_eq!(table.name_of(18), Some("zone"));
    assert_eq!(table.name_of(26), Some("status-mask"));
    assert_eq!(NatAttrs::table().name_of(3), Some("nat-proto"));
    assert_eq!(StatsAttrs::table().name_of(15), Some("chain-toolong"));
}

#[test]
fn tcp_entry_reads_every_field() {
    let ct = entry(&TCP_ENTRY);
    assert_eq!(ct.family(), 2);
    assert_eq!(ct.header, &NfGenMsg::new(2));
    assert_eq!(ct.orig().unwrap(), tcp_orig());
    assert_eq!(ct.reply().unwrap(), tcp_orig().reversed());
    assert_eq!(
        ct.status(),
        CtStatus(CtStatus::SEEN_REPLY | CtStatus::ASSURED | CtStatus::CONFIRMED)
    );
    assert_eq!(ct.tcp_state(), Some(TcpState::Established));
    assert_eq!(ct.timeout(), Some(119));
    assert_eq!(ct.mark(), Some(7));
    assert_eq!(ct.zone(), Some(5));
    assert_eq!(ct.use_count(), Some(1));
    assert_eq!(ct.id(), Some(0xb27e_bf45));
    let zero = Some(Counters {
        packets: 0,
        bytes: 0,
    });
    assert_eq!(ct.counters_orig(), zero);
    assert_eq!(ct.counters_reply(), zero);
    assert_eq!(ct.timestamp_start(), Some(0x18ea_7fec_4963_6508));
    assert_eq!(ct.timestamp_stop(), None);
    assert_eq!(ct.labels(), None);
    assert_eq!(ct.secctx(), None);
    assert_eq!(ct.master(), None);
    assert_eq!(ct.attrs.unknown(), 0);
    // Kept raw: the SYN proxy nest.
    assert_eq!(ct.attrs.raw(24).map(<[u8]>::len), Some(24));
    assert_eq!(
        ct.to_string(),
        "tcp      6 119 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1000 dport=80 \
         packets=0 bytes=0 src=10.0.0.2 dst=10.0.0.1 sport=80 dport=1000 \
         packets=0 bytes=0 [ASSURED] mark=7 zone=5 use=1"
    );
}

#[test]
fn icmp_entry_reads_id_type_and_code() {
    let ct = entry(&ICMP_ENTRY);
    let orig = Tuple::icmp(v4(10, 0, 0, 1), v4(10, 0, 0, 2), 77, 8, 0);
    assert_eq!(ct.orig().unwrap(), orig);
    assert_eq!(ct.reply().unwrap(), orig.reversed());
    assert_eq!(
        ct.reply().unwrap().icmp,
        Some(Icmp {
            id: 77,
            ty: 0,
            code: 0
        })
    );
    assert_eq!(ct.tcp_state(), None);
    assert_eq!(
        ct.to_string(),
        "icmp     1 29 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=77 packets=0 bytes=0 \
         [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=77 packets=0 bytes=0 \
         mark=0 use=1"
    );
}

#[test]
fn udp6_entry_reads_v6_addresses() {
    let ct = entry(&UDP6_ENTRY);
    assert_eq!(ct.family(), 10);
    let orig = Tuple::udp(
        "[fd00::1]:53".parse().unwrap(),
        "[fd00::2]:5353".parse().unwrap(),
    );
    assert_eq!(ct.orig().unwrap(), orig);
    assert_eq!(ct.reply().unwrap(), orig.reversed());
    assert_eq!(ct.status(), CtStatus(CtStatus::CONFIRMED));
    assert!(ct.to_string().starts_with(
        "udp      17 29 src=fd00::1 dst=fd00::2 sport=53 dport=5353 packets=0 bytes=0 [UNREPLIED] "
    ));
}

#[test]
fn icmpv6_tuples_reverse_echo() {
    let a = IpAddr::V6(Ipv6Addr::LOCALHOST);
    let b = IpAddr::V6(Ipv6Addr::UNSPECIFIED);
    let t = Tuple::icmp(a, b, 1, 128, 0);
    assert_eq!(t.proto, 58);
    assert_eq!(t.reversed().icmp.unwrap().ty, 129);
    assert_eq!(t.reversed().src, b);
    // A type without a reply stays.
    assert_eq!(Tuple::icmp(a, b, 1, 1, 4).reversed().icmp.unwrap().ty, 1);
}

#[test]
fn events_follow_the_flags_and_type() {
    // This kernel sends creations as `new` with NLM_F_CREATE | NLM_F_EXCL
    // (0x600), updates as `new` without flags, destroys as `delete`.
    let mut created = TCP_ENTRY;
    created[6..8].copy_from_slice(&0x600u16.to_ne_bytes());
    let m = Message::parse(&created).unwrap();
    assert!(matches!(
        ConntrackEvent::parse(&m).unwrap(),
        ConntrackEvent::New(_)
    ));
    let mut updated = TCP_ENTRY;
    updated[6..8].copy_from_slice(&0u16.to_ne_bytes());
    let m = Message::parse(&updated).unwrap();
    assert!(matches!(
        ConntrackEvent::parse(&m).unwrap(),
        ConntrackEvent::Update(_)
    ));
    let m = Message::parse(&DESTROY_EVENT).unwrap();
    let event = ConntrackEvent::parse(&m).unwrap();
    let ConntrackEvent::Destroy(ct) = event else {
        panic!("{event:?}")
    };
    assert_eq!(
        ct.orig().unwrap(),
        Tuple::udp(
            "10.1.0.1:5000".parse().unwrap(),
            "10.1.0.2:53".parse().unwrap()
        )
    );
    assert_eq!(event.entry().mark(), Some(2));
    let stats = Message::parse(&STATS_REPLY).unwrap();
    assert_eq!(
        ConntrackEvent::parse(&stats).err(),
        Some(Error::UnexpectedType { ty: 0x0105 })
    );
}

#[test]
fn stats_replies() {
    let m = Message::parse(&STATS_REPLY).unwrap();
    assert_eq!(
        Stats::parse(&m).unwrap(),
        Stats {
            entries: 3,
            max_entries: 262_144
        }
    );
    let m = Message::parse(&STATS_CPU_REPLY).unwrap();
    assert_eq!(
        StatsCpu::parse(&m).unwrap(),
        StatsCpu {
            cpu: 1,
            ..StatsCpu::default()
        }
    );
    assert_eq!(
        Stats::parse(&m).err(),
        Some(Error::UnexpectedType { ty: 0x0104 })
    );
    // Without `entries`.
    let mut bare = STATS_REPLY;
    bare[22] = 9; // `entries` renamed to an unknown type
    assert_eq!(
        Stats::parse(&Message::parse(&bare).unwrap()).err(),
        Some(Error::MissingAttr { ty: 1 })
    );
}

#[test]
fn truncated_and_malformed_entries_are_errors() {
    // Every cut of the message is refused by the message parser or the view.
    for len in 0..TCP_ENTRY.len() {
        let mut cut = TCP_ENTRY;
        cut[0..4].copy_from_slice(&(len as u32).to_ne_bytes());
        if let Ok(m) = Message::parse(&cut[..len]) {
            let ct = Conntrack::parse(&m);
            if len >= 20 {
                // A whole nfgenmsg, then attributes cut somewhere.
                if let Ok(ct) = ct {
                    let _ = ct.orig();
                    let _ = ct.to_string();
                }
            } else {
                assert_eq!(ct.err(), Some(Error::Truncated), "len {len}");
            }
        }
    }
    // The first attribute cut inside: the nest's length runs past the end.
    let mut cut = [0u8; 40];
    cut.copy_from_slice(&TCP_ENTRY[..40]);
    cut[0..2].copy_from_slice(&40u16.to_ne_bytes());
    assert_eq!(
        Conntrack::parse(&Message::parse(&cut).unwrap()).err(),
        Some(Error::Truncated)
    );
    // `status` of 2 bytes.
    let mut short_status = TCP_ENTRY;
    let at = 20 + 52 + 52 + 8; // after the tuples and the zone
    assert_eq!(short_status[at + 2], 3);
    short_status[at] = 6;
    assert_eq!(
        Conntrack::parse(&Message::parse(&short_status).unwrap()).err(),
        Some(Error::BadAttrLength { ty: 3, len: 2 })
    );
    // A tuple without its `tuple-ip`: the nest's first attribute renamed.
    let mut no_ip = TCP_ENTRY;
    no_ip[20 + 6] = 9;
    let ct = entry(&no_ip);
    assert_eq!(ct.orig(), Err(Error::MissingAttr { ty: 1 }));
    assert!(ct.to_string().contains("<error: "));
    // A `get-stats` reply is not an entry.
    assert_eq!(
        Conntrack::parse(&Message::parse(&STATS_REPLY).unwrap()).err(),
        Some(Error::UnexpectedType { ty: 0x0105 })
    );
}

/// The tuple-orig of `tcp_orig()`, as the kernel writes it (52 bytes).
#[rustfmt::skip]
const TCP_TUPLE: [u8; 52] = [
    0x34, 0x00, 0x01, 0x80, // len 52, tuple-orig | NLA_F_NESTED
    0x14, 0x00, 0x01, 0x80, //   len 20, tuple-ip | NLA_F_NESTED
    0x08, 0x00, 0x01, 0x00, //     len 8, ip-v4-src
    0x0a, 0x00, 0x00, 0x01, //       10.0.0.1
    0x08, 0x00, 0x02, 0x00, //     len 8, ip-v4-dst
    0x0a, 0x00, 0x00, 0x02, //       10.0.0.2
    0x1c, 0x00, 0x02, 0x80, //   len 28, tuple-proto | NLA_F_NESTED
    0x05, 0x00, 0x01, 0x00, //     len 5, proto-num
    0x06, 0x00, 0x00, 0x00, //       6 (TCP), padding
    0x06, 0x00, 0x02, 0x00, //     len 6, proto-src-port
    0x03, 0xe8, 0x00, 0x00, //       1000 big-endian, padding
    0x06, 0x00, 0x03, 0x00, //     len 6, proto-dst-port
    0x00, 0x50, 0x00, 0x00, //       80 big-endian, padding
];

#[test]
fn get_and_delete_name_the_tuple_and_zone() {
    #[rustfmt::skip]
    let header = |ty: u8| [
        0x50, 0x00, 0x00, 0x00, // nlmsg_len 80
        ty, 0x01,               // nlmsg_type 0x01xx
        0x01, 0x00,             // NLM_F_REQUEST
        0x07, 0x00, 0x00, 0x00, // seq 7
        0x00, 0x00, 0x00, 0x00, // pid 0
        0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET, version 0, res_id 0
    ];
    #[rustfmt::skip]
    let zone = [
        0x06, 0x00, 0x12, 0x00, // len 6, zone
        0x00, 0x05, 0x00, 0x00, // 5 big-endian, padding
    ];
    for (ty, build) in [
        (
            1u8,
            get as for<'b> fn(&'b mut [u8], u32, &Tuple, Option<u16>) -> Result<&'b [u8], Error>,
        ),
        (2, delete),
    ] {
        let mut buf = [0xa5u8; 96];
        let out = build(&mut buf, 7, &tcp_orig(), Some(5)).unwrap();
        assert_eq!(&out[..20], &header(ty));
        assert_eq!(&out[20..72], &TCP_TUPLE);
        assert_eq!(&out[72..], &zone);
        assert_eq!(buf[80..], [0xa5; 16]);
        // Too small: nothing written, the room needed reported.
        let mut small = [0xa5u8; 79];
        assert_eq!(
            build(&mut small, 7, &tcp_orig(), Some(5)).err(),
            Some(Error::NoRoom { needed: 80 })
        );
        assert_eq!(small, [0xa5; 79]);
    }
    // The kernel's own tuple reads back the same.
    assert_eq!(Tuple::parse(&TCP_ENTRY[24..72]).unwrap(), tcp_orig());
    assert_eq!(tcp_orig().space(), 52);
}

#[test]
fn dumps_carry_their_filters() {
    let filter = DumpFilter {
        family: 2,
        mark: Some((7, 0xff)),
        zone: Some(5),
        status: Some((CtStatus::ASSURED, CtStatus::ASSURED)),
    };
    let mut buf = [0xa5u8; 96];
    let out = dump(&mut buf, 1, &filter).unwrap();
    #[rustfmt::skip]
    let want: [u8; 60] = [
        0x3c, 0x00, 0x00, 0x00, // nlmsg_len 60
        0x01, 0x01,             // nlmsg_type 0x0101 get
        0x01, 0x03,             // NLM_F_REQUEST | NLM_F_DUMP
        0x01, 0x00, 0x00, 0x00, // seq 1
        0x00, 0x00, 0x00, 0x00, // pid 0
        0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET, version 0, res_id 0
        0x08, 0x00, 0x08, 0x00, // len 8, mark
        0x00, 0x00, 0x00, 0x07, //   7 big-endian
        0x08, 0x00, 0x15, 0x00, // len 8, mark-mask
        0x00, 0x00, 0x00, 0xff, //   0xff big-endian
        0x06, 0x00, 0x12, 0x00, // len 6, zone
        0x00, 0x05, 0x00, 0x00, //   5 big-endian, padding
        0x08, 0x00, 0x03, 0x00, // len 8, status
        0x00, 0x00, 0x00, 0x04, //   assured
        0x08, 0x00, 0x1a, 0x00, // len 8, status-mask
        0x00, 0x00, 0x00, 0x04, //   assured
    ];
    assert_eq!(out, &want);
    assert_eq!(buf[60..], [0xa5; 36]);

    let mut buf = [0xa5u8; 24];
    let out = dump_zero(&mut buf, 1, &DumpFilter::default()).unwrap();
    #[rustfmt::skip]
    assert_eq!(out, &[
        0x14, 0x00, 0x00, 0x00, // nlmsg_len 20
        0x03, 0x01,             // nlmsg_type 0x0103 get-ctrzero
        0x01, 0x03,             // NLM_F_REQUEST | NLM_F_DUMP
        0x01, 0x00, 0x00, 0x00, // seq 1
        0x00, 0x00, 0x00, 0x00, // pid 0
        0x00, 0x00, 0x00, 0x00, // nfgenmsg: AF_UNSPEC (all)
    ]);
}

#[test]
fn flush_and_stats_have_no_attributes() {
    let mut buf = [0xa5u8; 24];
    #[rustfmt::skip]
    let want = |ty: u8, flags: u8, family: u8| [
        0x14, 0x00, 0x00, 0x00, // nlmsg_len 20
        ty, 0x01,               // nlmsg_type 0x01xx
        0x01, flags,            // NLM_F_REQUEST [| NLM_F_DUMP]
        0x02, 0x00, 0x00, 0x00, // seq 2
        0x00, 0x00, 0x00, 0x00, // pid 0
        family, 0x00, 0x00, 0x00, // nfgenmsg
    ];
    assert_eq!(flush(&mut buf, 2, 10).unwrap(), &want(2, 0, 10));
    assert_eq!(stats(&mut buf, 2).unwrap(), &want(5, 0, 0));
    assert_eq!(stats_cpu(&mut buf, 2).unwrap(), &want(4, 3, 0));
    assert_eq!(buf[20..], [0xa5; 4]);
    assert_eq!(layout().header_len, 4);
    assert_eq!(layout().attrs.name, "conntrack-attrs");
}

#[test]
fn new_writes_the_whole_entry() {
    let labels = [0x80u8; 16];
    let spec = ConntrackSpec {
        status: CtStatus(CtStatus::ASSURED | CtStatus::SEEN_REPLY),
        mark: Some(7),
        zone: Some(5),
        labels: Some(&labels),
        tcp_state: Some(TcpState::Established),
        ..ConntrackSpec::new(tcp_orig(), 120)
    };
    let mut buf = [0xa5u8; 256];
    let out = new(&mut buf, 3, Flags::CREATE | Flags::EXCL, &spec).unwrap();
    let len = out.len();
    #[rustfmt::skip]
    assert_eq!(&out[..20], &[
        len as u8, 0x00, 0x00, 0x00, // nlmsg_len
        0x00, 0x01,             // nlmsg_type 0x0100 new
        0x01, 0x06,             // NLM_F_REQUEST | NLM_F_EXCL | NLM_F_CREATE
        0x03, 0x00, 0x00, 0x00, // seq 3
        0x00, 0x00, 0x00, 0x00, // pid 0
        0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
    ]);
    assert_eq!(&out[20..72], &TCP_TUPLE);
    // 2 tuples, status, timeout, mark, zone, labels (20), protoinfo (16).
    assert_eq!(len, 20 + 52 + 52 + 8 + 8 + 8 + 8 + 20 + 16);
    assert!(buf[len..].iter().all(|&b| b == 0xa5));
    let ct = entry(&buf[..len]);
    assert_eq!(ct.reply().unwrap(), tcp_orig().reversed());
    assert_eq!(
        ct.status(),
        CtStatus(CtStatus::ASSURED | CtStatus::SEEN_REPLY | CtStatus::CONFIRMED)
    );
    assert_eq!(ct.timeout(), Some(120));
    assert_eq!(ct.labels(), Some(&labels[..]));
    assert_eq!(ct.tcp_state(), Some(TcpState::Established));
    #[rustfmt::skip]
    assert_eq!(&buf[len - 16..len], &[
        0x10, 0x00, 0x04, 0x80, // len 16, protoinfo | NLA_F_NESTED
        0x0c, 0x00, 0x01, 0x80, //   len 12, protoinfo-tcp | NLA_F_NESTED
        0x05, 0x00, 0x01, 0x00, //     len 5, tcp-state
        0x03, 0x00, 0x00, 0x00, //       established, padding
    ]);
    let mut small = [0xa5u8; 100];
    assert_eq!(
        new(&mut small, 3, Flags::NONE, &spec).err(),
        Some(Error::NoRoom { needed: len })
    );
    assert_eq!(small, [0xa5; 100]);
}

fn any_ip() -> impl Strategy<Value = (IpAddr, IpAddr)> {
    prop_oneof![
        (any::<[u8; 4]>(), any::<[u8; 4]>()).prop_map(|(a, b)| (IpAddr::from(a), IpAddr::from(b))),
        (any::<[u8; 16]>(), any::<[u8; 16]>())
            .prop_map(|(a, b)| (IpAddr::from(a), IpAddr::from(b))),
    ]
}

fn any_tuple() -> impl Strategy<Value = Tuple> {
    (
        any_ip(),
        any::<u16>(),
        any::<u16>(),
        any::<(u16, u8, u8)>(),
        any::<bool>(),
    )
        .prop_map(|((src, dst), sport, dport, (id, ty, code), icmp)| {
            if icmp {
                Tuple::icmp(src, dst, id, ty, code)
            } else {
                Tuple {
                    src,
                    dst,
                    proto: 17,
                    src_port: Some(sport),
                    dst_port: Some(dport),
                    icmp: None,
                }
            }
        })
}

proptest! {
    #[test]
    fn entries_round_trip(
        orig in any_tuple(),
        timeout in any::<u32>(),
        status in any::<u32>(),
        mark in any::<Option<u32>>(),
        zone in any::<Option<u16>>(),
        labels in any::<Option<[u8; 16]>>(),
        state in any::<Option<u8>>(),
    ) {
        let spec = ConntrackSpec {
            status: CtStatus(status),
            mark,
            zone,
            labels: labels.as_ref(),
            tcp_state: state.map(TcpState::from),
            ..ConntrackSpec::new(orig, timeout)
        };
        let mut buf = [0xa5u8; 512];
        let out = new(&mut buf, 1, Flags::CREATE, &spec).unwrap();
        let m = Message::parse(out).unwrap();
        let ct = Conntrack::parse(&m).unwrap();
        prop_assert_eq!(ct.orig().unwrap(), orig);
        prop_assert_eq!(ct.reply().unwrap(), orig.reversed());
        prop_assert_eq!(ct.status(), CtStatus(status | CtStatus::CONFIRMED));
        prop_assert_eq!(ct.timeout(), Some(timeout));
        prop_assert_eq!(ct.mark(), mark);
        prop_assert_eq!(ct.zone(), zone);
        prop_assert_eq!(ct.labels(), labels.as_ref().map(|l| &l[..]));
        prop_assert_eq!(ct.tcp_state(), state.map(TcpState::from));
        prop_assert!(matches!(ConntrackEvent::parse(&m), Ok(ConntrackEvent::New(_))));
    }

    #[test]
    fn arbitrary_payloads_never_panic(payload in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(ct) = Conntrack::parse_payload(&payload) {
            let _ = (ct.orig(), ct.reply(), ct.tcp_state(), ct.counters_orig(), ct.secctx());
            let _ = (ct.timestamp_start(), ct.master());
            let _ = ct.to_string();
        }
        let _ = Tuple::parse(&payload);
    }
}
