//! `nl decode FAMILY --hex`: one vector per family, captured from this
//! kernel (6.18) in a fresh namespace or built by hand, each compared with
//! JSON written by hand from the vector's known contents. Offline: no
//! namespace needed. Vectors are little-endian (host order on x86-64).

#![cfg(target_endian = "little")]

use std::io::Write;
use std::process::{Command, Stdio};

use nl_core::Error;
use serde_json::{Value, json};

/// Runs `nl decode FAMILY --hex` on `hex` (on stdin); one value per line.
/// `None` when the example is not built.
fn decode(family: &str, hex: &str) -> Option<Vec<Value>> {
    let nl = nl_tests::nl_example()?;
    let mut child = Command::new(nl)
        .args(["decode", family, "--hex"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nl runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(hex.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "nl decode {family} failed: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    Some(
        text.lines()
            .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
            .collect(),
    )
}

/// A DONE message closing a dump of sequence 1 to port `pid` (captured).
fn done(pid: u32) -> Value {
    json!({"nlmsg": {"len": 20, "type": 3, "flags": ["multi"], "seq": 1, "pid": pid},
           "msg": "done", "status": 0})
}

#[test]
fn rt_addr_dump_of_loopback() {
    // `RTM_GETADDR` dump (AF_INET) in a namespace with lo up, captured.
    let hex = "
        4c000000 1400 0200 01000000 8f7c0000  # len 76, RTM_NEWADDR, MULTI, seq 1, pid 31887
        02 08 80 fe 01000000                  # AF_INET, /8, IFA_F_PERMANENT, scope host (254), index 1
        0800 0100 7f000001                    # IFA_ADDRESS 127.0.0.1
        0800 0200 7f000001                    # IFA_LOCAL 127.0.0.1
        0700 0300 6c6f00 00                   # IFA_LABEL \"lo\"
        0800 0800 80000000                    # IFA_FLAGS permanent
        1400 0600 ffffffff ffffffff 3db41500 3db41500  # IFA_CACHEINFO forever, forever, 1422397, 1422397
        14000000 0300 0200 01000000 8f7c0000 00000000  # DONE, status 0
    ";
    let Some(lines) = decode("rt-addr", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [
            json!({
                "nlmsg": {"len": 76, "type": 20, "flags": ["multi"], "seq": 1, "pid": 31887},
                "msg": "newaddr",
                "header": {"ifa-family": 2, "ifa-prefixlen": 8, "ifa-flags": ["permanent"],
                           "ifa-scope": 254, "ifa-index": 1},
                "attrs": {
                    "address": "127.0.0.1",
                    "local": "127.0.0.1",
                    "label": "lo",
                    "flags": ["permanent"],
                    "cacheinfo": {"ifa-prefered": 4294967295u32, "ifa-valid": 4294967295u32,
                                  "cstamp": 1422397, "tstamp": 1422397},
                },
            }),
            done(31887),
        ]
    );
}

#[test]
fn rt_route_connected_route() {
    // First message of an `RTM_GETROUTE` dump (AF_INET), v0 at 10.0.0.1/24, captured.
    let hex = "
        3c000000 1800 0200 01000000 317d0000  # len 60, RTM_NEWROUTE, MULTI, seq 1, pid 32049
        02 18 00 00 fe 02 fd 01 00000000      # AF_INET, dst /24, src /0, tos 0, main, kernel, link, unicast, flags 0
        0800 0f00 fe000000                    # RTA_TABLE 254
        0800 0100 0a000000                    # RTA_DST 10.0.0.0
        0800 0700 0a000001                    # RTA_PREFSRC 10.0.0.1
        0800 0400 03000000                    # RTA_OIF 3
    ";
    let Some(lines) = decode("rt-route", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [json!({
            "nlmsg": {"len": 60, "type": 24, "flags": ["multi"], "seq": 1, "pid": 32049},
            "msg": "newroute",
            "header": {"rtm-family": 2, "rtm-dst-len": 24, "rtm-src-len": 0, "rtm-tos": 0,
                       "rtm-table": 254, "rtm-protocol": 2, "rtm-scope": 253,
                       "rtm-type": "unicast", "rtm-flags": 0},
            "attrs": {"table": 254, "dst": "10.0.0.0", "prefsrc": "10.0.0.1", "oif": 3},
        })]
    );
}

#[test]
fn rt_neigh_permanent_entry() {
    // `RTM_GETNEIGH` dump (AF_INET) after `ip neigh replace 10.0.0.2 lladdr
    // 02:00:00:00:00:02 dev v0 nud permanent`, captured.
    let hex = "
        4c000000 1c00 0200 01000000 5b7d0000  # len 76, RTM_NEWNEIGH, MULTI, seq 1, pid 32091
        02 000000 03000000 8000 00 01         # AF_INET, pad, ifindex 3, NUD_PERMANENT, flags 0, RTN_UNICAST
        0800 0100 0a000002                    # NDA_DST 10.0.0.2
        0a00 0200 020000000002 0000           # NDA_LLADDR 02:00:00:00:00:02
        0800 0400 00000000                    # NDA_PROBES 0
        1400 0300 15000000 15000000 15000000 00000000  # NDA_CACHEINFO 21, 21, 21, refcnt 0
        14000000 0300 0200 01000000 5b7d0000 00000000  # DONE
    ";
    let Some(lines) = decode("rt-neigh", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [
            json!({
                "nlmsg": {"len": 76, "type": 28, "flags": ["multi"], "seq": 1, "pid": 32091},
                "msg": "newneigh",
                "header": {"ndm-family": 2, "ndm-ifindex": 3, "ndm-state": ["permanent"],
                           "ndm-flags": [], "ndm-type": "unicast"},
                "attrs": {
                    "dst": "10.0.0.2",
                    "lladdr": "020000000002",
                    "probes": 0,
                    "cacheinfo": {"confirmed": 21, "used": 21, "updated": 21, "refcnt": 0},
                },
            }),
            done(32091),
        ]
    );
}

#[test]
fn rt_rule_local_table_rule() {
    // First message of an `RTM_GETRULE` dump (AF_INET): `0: from all lookup local`, captured.
    let hex = "
        34000000 2000 0200 01000000 847d0000  # len 52, RTM_NEWRULE, MULTI, seq 1, pid 32132
        02 00 00 00 ff 00 00 01 00000000      # AF_INET, /0, /0, tos 0, table 255, res, res, FR_ACT_TO_TBL, flags 0
        0800 0f00 ff000000                    # FRA_TABLE 255
        0800 0e00 ffffffff                    # FRA_SUPPRESS_PREFIXLEN -1
        0500 1500 02 000000                   # FRA_PROTOCOL kernel (2)
    ";
    let Some(lines) = decode("rt-rule", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [json!({
            "nlmsg": {"len": 52, "type": 32, "flags": ["multi"], "seq": 1, "pid": 32132},
            "msg": "newrule",
            "header": {"family": 2, "dst-len": 0, "src-len": 0, "tos": 0, "table": 255,
                       "action": "to-tbl", "flags": 0},
            "attrs": {"table": 255, "suppress-prefixlen": 4294967295u32, "protocol": 2},
        })]
    );
}

#[test]
fn tc_pfifo_qdisc_with_stats() {
    // `RTM_GETQDISC` dump after `tc qdisc add dev v0 root pfifo limit 100`
    // (its third message), captured.
    let hex = "
        9c000000 2400 0200 01000000 af7d0000  # len 156, RTM_NEWQDISC, MULTI, seq 1, pid 32175
        00 000000 03000000 00000180 ffffffff 03000000  # AF_UNSPEC, ifindex 3, handle 8001:, parent root, info 3
        0a00 0100 706669666f00 0000           # TCA_KIND \"pfifo\"
        0800 0200 64000000                    # TCA_OPTIONS (pfifo: limit 100, as binary)
        0500 0c00 00 000000                   # TCA_HW_OFFLOAD 0
        3000 0700                             # TCA_STATS2
          1400 0100 5600000000000000 01000000 00000000  # TCA_STATS_BASIC 86 bytes, 1 packet (+ pad)
          1800 0300 00000000 00000000 00000000 00000000 00000000  # TCA_STATS_QUEUE all 0
        2c00 0300                             # TCA_STATS (struct tc_stats)
          5600000000000000 01000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
    ";
    let Some(lines) = decode("tc", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [json!({
            "nlmsg": {"len": 156, "type": 36, "flags": ["multi"], "seq": 1, "pid": 32175},
            "msg": "newqdisc",
            "header": {"family": 0, "ifindex": 3, "handle": 0x8001_0000u32,
                       "parent": 0xffff_ffffu32, "info": 3},
            "attrs": {
                "kind": "pfifo",
                "options": "64000000",
                "hw-offload": 0,
                "stats2": {
                    "basic": {"bytes": 86, "packets": 1},
                    "queue": {"qlen": 0, "backlog": 0, "drops": 0, "requeues": 0, "overlimits": 0},
                },
                "stats": {"bytes": 86, "packets": 1, "drops": 0, "overlimits": 0, "bps": 0,
                          "pps": 0, "qlen": 0, "backlog": 0},
            },
        })]
    );
}

#[test]
fn rt_link_unit_vector_with_bad_and_unknown_attributes() {
    // Built by hand: names, a flag word, a nest, a payload of the wrong
    // length and a type the table does not know.
    let hex = "
        60000000 1000 0000 07000000 00000000  # len 96, RTM_NEWLINK, no flags, seq 7, pid 0
        00 00 0403 01000000 49000100 00000000 # AF_UNSPEC, pad, ARPHRD_LOOPBACK (772), index 1,
                                              # UP|LOOPBACK|RUNNING|LOWER_UP, change 0
        0700 0300 6c6f00 00                   # IFLA_IFNAME \"lo\"
        0800 0400 00000100                    # IFLA_MTU 65536
        0600 0d00 0100 0000                   # IFLA_TXQLEN with 2 bytes: bad length
        0500 1000 06 000000                   # IFLA_OPERSTATE 6 (up; no enum in the spec)
        0800 1d00 09000100                    # IFLA_EXT_MASK VF|SKIP_STATS and unknown bit 16
        1000 1280                             # IFLA_LINKINFO (NLA_F_NESTED)
          0900 0100 7665746800 000000         #   IFLA_INFO_KIND \"veth\"
        0800 f00f deadbeef                    # type 0xff0: unknown
    ";
    let Some(lines) = decode("rt-link", hex) else {
        return;
    };
    let bad_len = Error::BadAttrLength { ty: 13, len: 2 }.to_string();
    assert_eq!(
        lines,
        [json!({
            "nlmsg": {"len": 96, "type": 16, "flags": [], "seq": 7, "pid": 0},
            "msg": "newlink",
            "header": {"ifi-family": 0, "ifi-type": 772, "ifi-index": 1,
                       "ifi-flags": ["up", "loopback", "running", "lower-up"], "ifi-change": 0},
            "attrs": {
                "ifname": "lo",
                "mtu": 65536,
                "txqlen": {"error": bad_len, "hex": "0100"},
                "operstate": 6,
                "ext-mask": ["vf", "skip-stats", 65536],
                "linkinfo": {"kind": "veth"},
                "unknown-attrs": [{"type": 0xff0, "hex": "deadbeef"}],
            },
        })]
    );
}

#[test]
fn nlctrl_unit_vector_with_an_indexed_array() {
    // Built by hand: a CTRL_CMD_NEWFAMILY reply with one operation.
    let hex = "
        4c000000 1000 0000 01000000 00000000  # len 76, GENL_ID_CTRL, seq 1, pid 0
        01 02 0000                            # CTRL_CMD_NEWFAMILY, version 2
        0600 0100 1c00 0000                   # CTRL_ATTR_FAMILY_ID 28
        0d00 0200 6d707463705f706d00 000000   # CTRL_ATTR_FAMILY_NAME \"mptcp_pm\"
        0800 0300 01000000                    # CTRL_ATTR_VERSION 1
        1800 0680                             # CTRL_ATTR_OPS (nested)
          1400 0180                           #   [1]
            0800 0100 01000000                #     CTRL_ATTR_OP_ID 1
            0800 0200 0b000000                #     CTRL_ATTR_OP_FLAGS ADMIN_PERM|CMD_CAP_DO|CMD_CAP_HASPOL
    ";
    let Some(lines) = decode("nlctrl", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [json!({
            "nlmsg": {"len": 76, "type": 16, "flags": [], "seq": 1, "pid": 0},
            "genlmsghdr": {"cmd": 1, "version": 2, "reserved": 0},
            "msg": "newfamily",
            "attrs": {
                "family-id": 28,
                "family-name": "mptcp_pm",
                "version": 1,
                "ops": [{"id": 1, "flags": ["admin-perm", "cmd-cap-do", "cmd-cap-haspol"]}],
            },
        })]
    );
}

#[test]
fn mptcp_pm_endpoint_dump() {
    // `MPTCP_PM_CMD_GET_ADDR` dump after `ip mptcp endpoint add 10.0.0.1 id 1 signal`, captured.
    let hex = "
        40000000 1c00 0200 01000000 d97d0000  # len 64, family id 28, MULTI, seq 1, pid 32217
        03 01 0000                            # MPTCP_PM_CMD_GET_ADDR, version 1
        2c00 0180                             # MPTCP_PM_ATTR_ADDR (nested)
          0600 0100 0200 0000                 #   family AF_INET
          0600 0500 0000 0000                 #   port 0
          0500 0200 01 000000                 #   id 1
          0800 0600 01000000                  #   flags signal
          0800 0300 0a000001                  #   addr4 10.0.0.1
        14000000 0300 0200 01000000 d97d0000 00000000  # DONE
    ";
    let Some(lines) = decode("mptcp_pm", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [
            json!({
                "nlmsg": {"len": 64, "type": 28, "flags": ["multi"], "seq": 1, "pid": 32217},
                "genlmsghdr": {"cmd": 3, "version": 1, "reserved": 0},
                "msg": "get-addr",
                "attrs": {"addr": {"family": 2, "port": 0, "id": 1, "flags": ["signal"],
                                   "addr4": "10.0.0.1"}},
            }),
            done(32217),
        ]
    );
}

#[test]
fn mptcp_pm_events_unit_vector() {
    // Built by hand: MPTCP_EVENT_CREATED from the mptcp_pm_events group.
    let hex = "
        44000000 1d00 0000 00000000 00000000  # len 68, family id 29, seq 0, pid 0
        01 01 0000                            # MPTCP_EVENT_CREATED, version 1
        0800 0100 78563412                    # token 0x12345678
        0600 0200 0200 0000                   # family AF_INET
        0800 0500 0a000001                    # saddr4 10.0.0.1
        0800 0700 0a000002                    # daddr4 10.0.0.2
        0600 0900 1f90 0000                   # sport 8080 (big-endian)
        0600 0a00 01bb 0000                   # dport 443 (big-endian)
    ";
    let Some(lines) = decode("mptcp_pm-events", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [json!({
            "nlmsg": {"len": 68, "type": 29, "flags": [], "seq": 0, "pid": 0},
            "genlmsghdr": {"cmd": 1, "version": 1, "reserved": 0},
            "msg": "created",
            "attrs": {"token": 0x1234_5678, "family": 2, "saddr4": "10.0.0.1",
                      "daddr4": "10.0.0.2", "sport": 8080, "dport": 443},
        })]
    );
}

#[test]
fn conntrack_dump_of_a_tcp_entry() {
    // `IPCTNL_MSG_CT_GET` dump after `conntrack -I -p tcp -s 10.0.0.1 -d
    // 10.0.0.2 --sport 1000 --dport 80 --state ESTABLISHED -t 120 -u
    // ASSURED,SEEN_REPLY -m 7 -w 5` in a fresh namespace (accounting and
    // timestamps on), captured. Integers are big-endian.
    let hex = "
        40010000 0001 0200 01000000 ca0b0000  # len 320, IPCTNL_MSG_CT_NEW (0x100), MULTI, seq 1, pid 3018
        02 00 0000                            # nfgenmsg: AF_INET, version 0, res_id 0
        34000180                            # tuple-orig (nested)
          14000180                          #   tuple-ip (nested)
            08000100 0a000001               #     ip-v4-src 10.0.0.1
            08000200 0a000002               #     ip-v4-dst 10.0.0.2
          1c000280                          #   tuple-proto (nested)
            05000100 06 000000              #     proto-num 6
            06000200 03e8 0000              #     proto-src-port 1000 (big-endian)
            06000300 0050 0000              #     proto-dst-port 80 (big-endian)
        34000280                            # tuple-reply (nested)
          14000180                          #   tuple-ip (nested)
            08000100 0a000002               #     ip-v4-src 10.0.0.2
            08000200 0a000001               #     ip-v4-dst 10.0.0.1
          1c000280                          #   tuple-proto (nested)
            05000100 06 000000              #     proto-num 6
            06000200 0050 0000              #     proto-src-port 80 (big-endian)
            06000300 03e8 0000              #     proto-dst-port 1000 (big-endian)
        06001200 0005 0000                  # zone 5 (big-endian)
        08000300 0000000e                   # status seen-reply|assured|confirmed (big-endian)
        08000800 00000007                   # mark 7 (big-endian)
        08000c00 b27ebf45                   # id 2994650949 (big-endian)
        08000b00 00000001                   # use 1 (big-endian)
        08000700 00000077                   # timeout 119 (big-endian)
        30000480                            # protoinfo (nested)
          2c000180                          #   protoinfo-tcp (nested)
            05000100 03 000000              #     tcp-state established
            05000200 00 000000              #     tcp-wscale-original 0
            05000300 00 000000              #     tcp-wscale-reply 0
            06000400 0a00 0000              #     tcp-flags-original: sack-perm|be-liberal, mask 0
            06000500 0a00 0000              #     tcp-flags-reply: sack-perm|be-liberal, mask 0
        1c000980                            # counters-orig (nested)
          0c000100 0000000000000000         #   packets 0 (big-endian)
          0c000200 0000000000000000         #   bytes 0 (big-endian)
        1c000a80                            # counters-reply (nested)
          0c000100 0000000000000000         #   packets 0 (big-endian)
          0c000200 0000000000000000         #   bytes 0 (big-endian)
        10001480                            # timestamp (nested)
          0c000100 18ea7fec49636508         #   start 1795388054280824072 (big-endian)
        1c001880                            # synproxy (nested)
          08000100 00000000                 #   isn 0 (big-endian)
          08000200 00000000                 #   its 0 (big-endian)
          08000300 00000000                 #   tsoff 0 (big-endian)
        14000000 0300 0200 01000000 ca0b0000 00000000  # DONE
    ";
    let Some(lines) = decode("conntrack", hex) else {
        return;
    };
    let tuple = |src: &str, dst: &str, sport: u16, dport: u16| {
        json!({"tuple-ip": {"ip-v4-src": src, "ip-v4-dst": dst},
               "tuple-proto": {"proto-num": 6, "proto-src-port": sport, "proto-dst-port": dport}})
    };
    let flags = json!({"flags": ["sack-perm", "be-liberal"], "mask": []});
    let zero = json!({"packets": 0, "bytes": 0});
    assert_eq!(
        lines,
        [
            json!({
                "nlmsg": {"len": 320, "type": 256, "flags": ["multi"], "seq": 1, "pid": 3018},
                "header": {"nfgen-family": 2, "version": 0, "res-id": 0},
                "msg": "new",
                "attrs": {
                    "tuple-orig": tuple("10.0.0.1", "10.0.0.2", 1000, 80),
                    "tuple-reply": tuple("10.0.0.2", "10.0.0.1", 80, 1000),
                    "zone": 5,
                    "status": ["seen-reply", "assured", "confirmed"],
                    "mark": 7,
                    "id": 2_994_650_949u32,
                    "use": 1,
                    "timeout": 119,
                    "protoinfo": {"protoinfo-tcp": {
                        "tcp-state": "established",
                        "tcp-wscale-original": 0,
                        "tcp-wscale-reply": 0,
                        "tcp-flags-original": flags,
                        "tcp-flags-reply": flags,
                    }},
                    "counters-orig": zero,
                    "counters-reply": zero,
                    "timestamp": {"start": 1_795_388_054_280_824_072u64},
                    "synproxy": {"isn": 0, "its": 0, "tsoff": 0},
                },
            }),
            done(3018),
        ]
    );
}

/// OVS messages: the kernel here has no openvswitch module, so these are
/// unit vectors built from linux/openvswitch.h (the same as nl-core's), in
/// the kernel's shape: nests without `NLA_F_NESTED`.
#[test]
fn ovs_datapath_get_reply() {
    let hex = "8c000000 2100 0000 02000000 10000000  # len 140, ovs_datapath 0x21, seq 2, pid 16
01020000                               # OVS_DP_CMD_NEW, version 2
05000000                               # dp_ifindex 5
0f00 0100 6f76732d73797374656d00 00    # NAME \"ovs-system\"
2400 0300 0a00000000000000 0200000000000000 0100000000000000 0300000000000000  # STATS hit 10, missed 2, lost 1, flows 3
2400 0400 0c00000000000000 01000000 00000000 0700000000000000 0000000000000000  # MEGAFLOW_STATS mask hit 12, masks 1, cache hit 7
0800 0500 03000000                     # USER_FEATURES unaligned | vport-pids
0800 0700 00010000                     # MASKS_CACHE_SIZE 256
0c00 0800 64000000 65000000            # PER_CPU_PIDS 100, 101
";
    let Some(lines) = decode("ovs_datapath", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [json!({
            "nlmsg": {"len": 140, "type": 0x21, "flags": [], "seq": 2, "pid": 16},
            "msg": "new",
            "genlmsghdr": {"cmd": 1, "version": 2, "reserved": 0},
            "header": {"dp-ifindex": 5},
            "attrs": {
                "name": "ovs-system",
                "stats": {"n-hit": 10, "n-missed": 2, "n-lost": 1, "n-flows": 3},
                "megaflow-stats": {"n-mask-hit": 12, "n-masks": 1, "padding": 0,
                                   "n-cache-hit": 7, "pad1": 0},
                "user-features": ["unaligned", "vport-pids"],
                "masks-cache-size": 256,
                "per-cpu-pids": [100, 101],
            },
        })]
    );
}

#[test]
fn ovs_vport_vxlan_reply() {
    let hex = "b4000000 2200 0000 02000000 10000000  # len 180, ovs_vport 0x22, seq 2, pid 16
01010000 05000000                      # OVS_VPORT_CMD_NEW v1; dp_ifindex 5
0800 0100 02000000                     # PORT_NO 2
0800 0200 04000000                     # TYPE vxlan (4)
0800 0300 76783000                     # NAME \"vx0\"
0800 0800 07000000                     # IFINDEX 7
4400 0600 0100000000000000 0200000000000000 0300000000000000 0400000000000000 0500000000000000 0600000000000000 0700000000000000 0800000000000000
1c00 0a00 0c00 0000 0900000000000000 0c00 0100 0a00000000000000  # UPCALL_STATS success 9 (type 0), fail 10
0800 0500 64000000                     # UPCALL_PID [100]
1400 0400 0600 0100 b512 0000 0800 0200 0400 0100  # OPTIONS dst-port 4789, extension {gbp}
";
    let Some(lines) = decode("ovs_vport", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [json!({
            "nlmsg": {"len": 180, "type": 0x22, "flags": [], "seq": 2, "pid": 16},
            "msg": "new",
            "genlmsghdr": {"cmd": 1, "version": 1, "reserved": 0},
            "header": {"dp-ifindex": 5},
            "attrs": {
                "port-no": 2,
                "type": "vxlan",
                "name": "vx0",
                "ifindex": 7,
                "stats": {"rx-packets": 1, "tx-packets": 2, "rx-bytes": 3, "tx-bytes": 4,
                          "rx-errors": 5, "tx-errors": 6, "rx-dropped": 7, "tx-dropped": 8},
                "upcall-stats": {"success": 9, "fail": 10},
                "upcall-pid": [100],
                "options": {"dst-port": 4789, "extension": {"gbp": true}},
            },
        })]
    );
}

#[test]
fn ovs_flow_dump_reply_keeps_the_action_order() {
    let hex = "c0000000 2300 0200 02000000 10000000  # len 192, ovs_flow 0x23, MULTI, seq 2, pid 16
01010000 05000000                      # OVS_FLOW_CMD_NEW v1; dp_ifindex 5
1400 0900 00112233445566778899aabbccddeeff  # UFID
2c00 0100                              # KEY
  0800 0200 00000000                   #   priority 0
  0800 0300 01000000                   #   in-port 1
  0600 0600 0800 0000                  #   ethertype 0x0800
  1000 0700 0a000001 0a000002 06 00 40 00  # ipv4 10.0.0.1 > 10.0.0.2, proto 6, tos 0, ttl 64, frag none
1c00 0700                              # MASK
  0800 0200 ffffffff
  0800 0300 ffffffff
  0600 0600 ffff 0000
0c00 0500 dc05000000000000             # USED 1500
1400 0300 0300000000000000 b400000000000000  # STATS 3, 180
0500 0400 12 000000                    # TCP_FLAGS 0x12
2400 0200                              # ACTIONS
  1000 0c00 0400 0100 0600 0200 0500 0000  # ct(commit, zone 5)
  0800 0700 01000000                   #   recirc 1
  0800 0100 02000000                   #   output 2
";
    let Some(lines) = decode("ovs_flow", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [json!({
            "nlmsg": {"len": 192, "type": 0x23, "flags": ["multi"], "seq": 2, "pid": 16},
            "msg": "new",
            "genlmsghdr": {"cmd": 1, "version": 1, "reserved": 0},
            "header": {"dp-ifindex": 5},
            "attrs": {
                "ufid": "00112233445566778899aabbccddeeff",
                "key": {
                    "priority": 0,
                    "in-port": 1,
                    "ethertype": 0x0800,
                    "ipv4": {"ipv4-src": "10.0.0.1", "ipv4-dst": "10.0.0.2", "ipv4-proto": 6,
                             "ipv4-tos": 0, "ipv4-ttl": 64, "ipv4-frag": "none"},
                },
                "mask": {"priority": 0xffff_ffffu32, "in-port": 0xffff_ffffu32, "ethertype": 0xffff},
                "used": 1500,
                "stats": {"n-packets": 3, "n-bytes": 180},
                "tcp-flags": 0x12,
                "actions": [{"ct": {"commit": true, "zone": 5}}, {"recirc": 1}, {"output": 2}],
            },
        })]
    );
}

#[test]
fn route_error_with_extended_ack() {
    // `RTM_NEWADDR` (ifindex 999, no address) with NETLINK_EXT_ACK set: the
    // kernel's EINVAL, captured, decoded with `route` (any rtnetlink kind).
    let hex = "
        54000000 0200 0002 01000000 2b7e0000  # len 84, NLMSG_ERROR, ACK_TLVS, seq 1, pid 32299
        eaffffff                              # error -22
        18000000 1400 0504 01000000 00000000  # request: len 24, RTM_NEWADDR, REQUEST|ACK|CREATE, seq 1
        020800fe e7030000                     # its ifaddrmsg (echoed): AF_INET, /8, scope host, index 999
        2800 0100 697076343a204c6f63616c2061646472657373206973206e6f7420737570706c69656400
                                              # NLMSGERR_ATTR_MSG
    ";
    let Some(lines) = decode("route", hex) else {
        return;
    };
    assert_eq!(
        lines,
        [json!({
            "nlmsg": {"len": 84, "type": 2, "flags": ["ack-tlvs"], "seq": 1, "pid": 32299},
            "msg": "error",
            "error-code": -22,
            "errno": "EINVAL",
            "request": {"len": 24, "type": 20, "flags": ["request", "ack", "create"], "seq": 1, "pid": 0},
            "request-payload": {
                "msg": "newaddr",
                "header": {"ifa-family": 2, "ifa-prefixlen": 8, "ifa-flags": [],
                           "ifa-scope": 254, "ifa-index": 999},
                "attrs": {},
            },
            "extack": {"msg": "ipv4: Local address is not supplied"},
        })]
    );
}

#[test]
fn messages_that_do_not_decode_report_error_and_offset() {
    let hex = "
        14000000 6300 0000 01000000 00000000 00000000  # type 99: no rtnetlink kind
        14000000 1000 0000 02000000 00000000 00000000  # RTM_NEWLINK, 4 bytes: too short for ifinfomsg
        20000000 1400 0000 03000000 00000000           # RTM_NEWADDR, len 32
        02 08 00 fe 01000000                           #   ifaddrmsg
        ff00 0100 7f000001                             #   an attribute longer than the message
        14000000 0300 0000 04000000 00000000 00000000  # DONE: still decoded
        10000000 1400                                  # a header cut short: the stream stops
    ";
    let Some(lines) = decode("route", hex) else {
        return;
    };
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(
        lines[0],
        json!({"error": Error::UnexpectedType { ty: 99 }.to_string(), "offset": 4})
    );
    assert_eq!(
        lines[1],
        json!({"error": Error::Truncated.to_string(), "offset": 20 + 16})
    );
    // The third message starts at 40; its attributes at 40 + 16 + 8.
    assert_eq!(
        lines[2]["error"],
        json!(Error::Truncated.to_string()),
        "{:?}",
        lines[2]
    );
    assert_eq!(lines[2]["offset"], json!(64));
    assert_eq!(lines[3]["msg"], json!("done"));
    // DONE at 72, 20 bytes; the cut header at 92.
    assert_eq!(
        lines[4],
        json!({"error": Error::Truncated.to_string(), "offset": 92})
    );
}

#[test]
fn unknown_family_is_a_usage_error() {
    let Some(nl) = nl_tests::nl_example() else {
        return;
    };
    let out = Command::new(nl)
        .args(["decode", "no-such-family"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn binary_input_from_a_file() {
    let Some(nl) = nl_tests::nl_example() else {
        return;
    };
    // The rt-route vector above, as raw bytes.
    let bytes: Vec<u8> = [
        &[
            0x3c, 0, 0, 0, 0x18, 0, 0x02, 0, 1, 0, 0, 0, 0x31, 0x7d, 0, 0,
        ][..], // nlmsghdr
        &[2, 0x18, 0, 0, 0xfe, 2, 0xfd, 1, 0, 0, 0, 0], // rtmsg
        &[8, 0, 0x0f, 0, 0xfe, 0, 0, 0],                // RTA_TABLE 254
        &[8, 0, 1, 0, 10, 0, 0, 0],                     // RTA_DST 10.0.0.0
        &[8, 0, 7, 0, 10, 0, 0, 1],                     // RTA_PREFSRC 10.0.0.1
        &[8, 0, 4, 0, 3, 0, 0, 0],                      // RTA_OIF 3
    ]
    .concat();
    let path = std::env::temp_dir().join(format!("nl-decode-{}.bin", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let out = Command::new(nl)
        .args(["decode", "route"])
        .arg(&path)
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(out.status.success(), "{out:?}");
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["msg"], json!("newroute"));
    assert_eq!(
        line["attrs"],
        json!({"table": 254, "dst": "10.0.0.0", "prefsrc": "10.0.0.1", "oif": 3})
    );
}

/// Dumps `RTM_GETADDR` (all families) over a raw socket in the calling
/// thread's namespace: every datagram up to DONE, back to back.
fn dump_addresses_raw() -> Vec<u8> {
    use socket2::{Domain, Protocol, Socket, Type};
    use std::io::Read;

    const AF_NETLINK: i32 = 16;
    const SOCK_RAW: i32 = 3;
    let mut socket = Socket::new(
        Domain::from(AF_NETLINK),
        Type::from(SOCK_RAW),
        Some(Protocol::from(0)),
    )
    .unwrap();
    let request: Vec<u8> = [
        &[24, 0, 0, 0][..],        // len 24
        &22u16.to_ne_bytes(),      // RTM_GETADDR
        &0x301u16.to_ne_bytes(),   // REQUEST | DUMP
        &[1, 0, 0, 0, 0, 0, 0, 0], // seq 1, pid 0
        &[0, 0, 0, 0, 0, 0, 0, 0], // ifaddrmsg: AF_UNSPEC
    ]
    .concat();
    socket.send(&request).unwrap();
    let mut all = Vec::new();
    let mut buf = vec![0u8; 65536];
    loop {
        let n = socket.read(&mut buf).unwrap();
        let datagram = &buf[..n];
        all.extend_from_slice(datagram);
        // Done when the datagram holds NLMSG_DONE (type 3) or an error (2).
        let mut at = 0;
        let mut done = false;
        while at + 16 <= n {
            let len = u32::from_ne_bytes(datagram[at..at + 4].try_into().unwrap()) as usize;
            let ty = u16::from_ne_bytes(datagram[at + 4..at + 6].try_into().unwrap());
            done |= ty == 2 || ty == 3;
            at += len.next_multiple_of(4).max(16);
        }
        if done {
            return all;
        }
    }
}

#[test]
fn live_address_dump_matches_ip() {
    nl_tests::netns_or_skip!();
    let Some(nl) = nl_tests::nl_example() else {
        return;
    };
    nl_tests::ip_batch(
        "link set lo up\n\
         link add v0 type veth peer name v1\n\
         addr add 10.1.2.3/24 dev v0 label v0:x\n\
         addr add 2001:db8::7/64 dev v0 nodad\n",
    );
    let raw = dump_addresses_raw();
    let path = std::env::temp_dir().join(format!("nl-decode-live-{}.bin", std::process::id()));
    std::fs::write(&path, &raw).unwrap();
    let out = Command::new(nl)
        .args(["decode", "rt-addr"])
        .arg(&path)
        .output()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(out.status.success(), "{out:?}");
    let ours: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(ours.last().unwrap()["msg"], json!("done"));
    // (ifindex, address, prefix length) from our decode and from `ip -j addr`.
    let mut decoded: Vec<(u64, String, u64)> = ours
        .iter()
        .filter(|m| m["msg"] == json!("newaddr"))
        .map(|m| {
            (
                m["header"]["ifa-index"].as_u64().unwrap(),
                m["attrs"]["local"]
                    .as_str()
                    .or(m["attrs"]["address"].as_str())
                    .unwrap()
                    .to_owned(),
                m["header"]["ifa-prefixlen"].as_u64().unwrap(),
            )
        })
        .collect();
    let ip: Value = serde_json::from_str(&nl_tests::run_ok("ip", &["-j", "addr", "show"])).unwrap();
    let mut expected: Vec<(u64, String, u64)> = ip
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|link| {
            let index = link["ifindex"].as_u64().unwrap();
            link["addr_info"].as_array().unwrap().iter().map(move |a| {
                (
                    index,
                    a["local"].as_str().unwrap().to_owned(),
                    a["prefixlen"].as_u64().unwrap(),
                )
            })
        })
        .collect();
    decoded.sort();
    expected.sort();
    assert_eq!(decoded, expected);
    assert!(decoded.iter().any(|(_, a, p)| a == "10.1.2.3" && *p == 24));
    let labelled = ours
        .iter()
        .find(|m| m["attrs"]["label"] == json!("v0:x"))
        .expect("the label");
    assert_eq!(labelled["attrs"]["local"], json!("10.1.2.3"));
    let v6 = ours
        .iter()
        .find(|m| m["attrs"]["address"] == json!("2001:db8::7"))
        .expect("the v6 address");
    let flags = v6["attrs"]["flags"].as_array().unwrap();
    assert!(
        flags.contains(&json!("nodad")) && flags.contains(&json!("permanent")),
        "{flags:?}"
    );
}
