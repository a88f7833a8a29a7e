#!/usr/bin/env python3
"""Writes the seed corpora into fuzz/seeds/<target>/ (committed; run again
after changing a vector). The vectors are nlctrl replies, ACKs, errors with
extended ACKs and DONE messages as this kernel (6.18) sends them: the
family, ACK, error and policy replies mirror real replies captured from
it; the miss-nest, cookie and DONE-with-error ones are built from
linux/netlink.h. Netlink is host-endian: these are for little-endian hosts.
"""

import os
import shutil
import struct

# linux/netlink.h
NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN = 1, 2, 3, 4
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP_INTR = 0x1, 0x2, 0x4, 0x10
NLM_F_DUMP = 0x300
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_COOKIE = 1, 2, 3
NLMSGERR_ATTR_POLICY, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MISS_NEST = 4, 5, 6
NL_POLICY_TYPE_ATTR_TYPE, NL_POLICY_TYPE_ATTR_MIN_VALUE_U = 1, 4
NL_POLICY_TYPE_ATTR_MAX_VALUE_U, NL_POLICY_TYPE_ATTR_MAX_LENGTH = 5, 7
NL_ATTR_TYPE_U16, NL_ATTR_TYPE_U32, NL_ATTR_TYPE_NUL_STRING = 3, 4, 12
# linux/genetlink.h
GENL_ID_CTRL = 0x10
CTRL_CMD_NEWFAMILY, CTRL_CMD_DELFAMILY, CTRL_CMD_GETFAMILY = 1, 2, 3
CTRL_CMD_NEWMCAST_GRP, CTRL_CMD_GETPOLICY = 7, 10
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_VERSION = 1, 2, 3
CTRL_ATTR_HDRSIZE, CTRL_ATTR_MAXATTR, CTRL_ATTR_OPS = 4, 5, 6
CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_POLICY, CTRL_ATTR_OP_POLICY = 7, 8, 9
CTRL_ATTR_OP_ID, CTRL_ATTR_OP_FLAGS = 1, 2
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
CTRL_ATTR_POLICY_DO, CTRL_ATTR_POLICY_DUMP = 1, 2

PORT = 0x6ADA  # the requesting socket's port id, echoed in replies


def pad(b):
    return b + b"\0" * (-len(b) % 4)


def attr(ty, payload):
    return pad(struct.pack("=HH", 4 + len(payload), ty) + payload)


def nest(ty, *children, flag=True):
    return attr(ty | (NLA_F_NESTED if flag else 0), b"".join(children))


def u16(ty, v):
    return attr(ty, struct.pack("=H", v))


def u32(ty, v):
    return attr(ty, struct.pack("=I", v))


def u64(ty, v):
    return attr(ty, struct.pack("=Q", v))


def string(ty, s):
    return attr(ty, s.encode() + b"\0")


def msg(ty, flags, payload, seq=1, pid=PORT):
    return pad(struct.pack("=IHHII", 16 + len(payload), ty, flags, seq, pid) + payload)


def genl(cmd, attrs, flags=0, seq=1, pid=PORT):
    return msg(GENL_ID_CTRL, flags, struct.pack("=BBH", cmd, 2, 0) + attrs, seq, pid)


def genl_attrs(message):
    """The attributes of a generic netlink message (after both headers)."""
    return message[20 : struct.unpack_from("=I", message)[0]]


def error(code, request, flags=0, ext=b""):
    """NLMSG_ERROR: the code, the request's header (all of it unless capped
    or an ACK), then the extended ACK."""
    echo = request[:16] if code == 0 or flags & NLM_F_CAPPED else request
    return msg(NLMSG_ERROR, flags, struct.pack("=i", code) + pad(echo) + ext)


def done(status=0, flags=NLM_F_MULTI, ext=b""):
    return msg(NLMSG_DONE, flags, struct.pack("=i", status) + ext)


def ops(*pairs):
    """CTRL_ATTR_OPS: an array (no NESTED flag, as nlctrl sends it)."""
    return nest(
        CTRL_ATTR_OPS,
        *(nest(i + 1, u32(CTRL_ATTR_OP_ID, o), u32(CTRL_ATTR_OP_FLAGS, f), flag=False)
          for i, (o, f) in enumerate(pairs)),
        flag=False,
    )


def groups(*pairs):
    return nest(
        CTRL_ATTR_MCAST_GROUPS,
        *(nest(i + 1, u32(CTRL_ATTR_MCAST_GRP_ID, g), string(CTRL_ATTR_MCAST_GRP_NAME, n), flag=False)
          for i, (n, g) in enumerate(pairs)),
        flag=False,
    )


def family(name, fid, version, maxattr, op_list, group_list, cmd=CTRL_CMD_NEWFAMILY, flags=0):
    attrs = (string(CTRL_ATTR_FAMILY_NAME, name) + u16(CTRL_ATTR_FAMILY_ID, fid)
             + u32(CTRL_ATTR_VERSION, version) + u32(CTRL_ATTR_HDRSIZE, 0)
             + u32(CTRL_ATTR_MAXATTR, maxattr))
    if op_list:
        attrs += ops(*op_list)
    if group_list:
        attrs += groups(*group_list)
    return genl(cmd, attrs, flags)


# --- Requests -------------------------------------------------------------

GET_NLCTRL = genl(CTRL_CMD_GETFAMILY, string(CTRL_ATTR_FAMILY_NAME, "nlctrl"),
                  NLM_F_REQUEST | NLM_F_ACK, pid=0)
GET_TOO_LONG = genl(CTRL_CMD_GETFAMILY, string(CTRL_ATTR_FAMILY_NAME, "x" * 20),
                    NLM_F_REQUEST | NLM_F_ACK, pid=0)
GET_MISSING = genl(CTRL_CMD_GETFAMILY, string(CTRL_ATTR_FAMILY_NAME, "nosuchfam"),
                   NLM_F_REQUEST | NLM_F_ACK, pid=0)

# --- Replies --------------------------------------------------------------

# `genl ctrl get name nlctrl`: getfamily, getpolicy; group "notify".
NLCTRL = family("nlctrl", GENL_ID_CTRL, 2, 0, [(3, 0x0E), (10, 0x0C)], [("notify", 0x10)])
# mptcp_pm: eleven admin-perm do commands, two groups.
MPTCP = family("mptcp_pm", 0x1C, 1, 0,
               [(i, 0x1A if i not in (3, 6) else (0x0E if i == 3 else 0x0A)) for i in range(1, 12)],
               [("mptcp_pm_cmds", 8), ("mptcp_pm_events", 9)])
ACK = error(0, GET_NLCTRL, NLM_F_CAPPED)

POLICY_OF_NAME = nest(NLMSGERR_ATTR_POLICY, u32(NL_POLICY_TYPE_ATTR_MAX_LENGTH, 15),
                      u32(NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_NUL_STRING))
TOO_LONG_EXT = (string(NLMSGERR_ATTR_MSG, "Attribute failed policy validation")
                + u32(NLMSGERR_ATTR_OFFS, 20) + POLICY_OF_NAME)
ERR_TOO_LONG = error(-22, GET_TOO_LONG, NLM_F_ACK_TLVS, TOO_LONG_EXT)
ERR_TOO_LONG_CAPPED = error(-22, GET_TOO_LONG, NLM_F_CAPPED | NLM_F_ACK_TLVS, TOO_LONG_EXT)
ERR_NOENT = error(-2, GET_MISSING)

# Offsets into the extack fuzz target's fixed request (see extack.rs): 36 is
# ops[0], 48 its flags, 84 policy[0][3], 96 that entry's max-value-u, 116
# an attribute nlctrl does not know.
MISS_IN_NEST_EXT = (string(NLMSGERR_ATTR_MSG, "Missing attribute")
                    + u32(NLMSGERR_ATTR_MISS_TYPE, CTRL_ATTR_OP_FLAGS)
                    + u32(NLMSGERR_ATTR_MISS_NEST, 36))
ERR_MISS_IN_NEST = error(-22, GET_NLCTRL, NLM_F_CAPPED | NLM_F_ACK_TLVS, MISS_IN_NEST_EXT)
COOKIE_EXT = attr(NLMSGERR_ATTR_COOKIE, bytes(range(1, 9))) + u32(NLMSGERR_ATTR_OFFS, 48)
ERR_COOKIE = error(-95, GET_NLCTRL, NLM_F_CAPPED | NLM_F_ACK_TLVS, COOKIE_EXT)
DEEP_EXT = (u32(NLMSGERR_ATTR_OFFS, 96) + u32(NLMSGERR_ATTR_MISS_TYPE, 1)
            + u32(NLMSGERR_ATTR_MISS_NEST, 84))
UNKNOWN_EXT = u32(NLMSGERR_ATTR_OFFS, 116) + u32(NLMSGERR_ATTR_MISS_TYPE, CTRL_ATTR_MAXATTR)

DONE_OK = done()
DONE_ERR = done(-22, NLM_F_MULTI | NLM_F_ACK_TLVS,
                string(NLMSGERR_ATTR_MSG, "dump interrupted") + u32(NLMSGERR_ATTR_OFFS, 20))


def policy_msg(*attrs):
    return genl(CTRL_CMD_GETPOLICY, u16(CTRL_ATTR_FAMILY_ID, GENL_ID_CTRL) + b"".join(attrs),
                NLM_F_MULTI)


# The start of `CTRL_CMD_GETPOLICY` for nlctrl: which policy each op uses,
# then policy 0's attributes (family-id: u16 0..0xffff; family-name: nul-string of 15).
OP_POLICY = policy_msg(nest(CTRL_ATTR_OP_POLICY, nest(3, u32(CTRL_ATTR_POLICY_DO, 0),
                                                      u32(CTRL_ATTR_POLICY_DUMP, 0))))
OP_POLICY_DUMP = policy_msg(nest(CTRL_ATTR_OP_POLICY, nest(0, u32(CTRL_ATTR_POLICY_DUMP, 1))))
POLICY_ID = policy_msg(nest(CTRL_ATTR_POLICY, nest(0, nest(
    CTRL_ATTR_FAMILY_ID, u64(NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 0),
    u64(NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 0xFFFF), u32(NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U16)))))
POLICY_NAME = policy_msg(nest(CTRL_ATTR_POLICY, nest(0, nest(
    CTRL_ATTR_FAMILY_NAME, u32(NL_POLICY_TYPE_ATTR_MAX_LENGTH, 15),
    u32(NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_NUL_STRING)))))
POLICY_DUMP = OP_POLICY + OP_POLICY_DUMP + POLICY_ID + POLICY_NAME + DONE_OK

FAMILY_DUMP = (family("nlctrl", GENL_ID_CTRL, 2, 0, [(3, 0x0E)], [("notify", 0x10)], flags=NLM_F_MULTI)
               + family("mptcp_pm", 0x1C, 1, 0, [], [], flags=NLM_F_MULTI | NLM_F_DUMP_INTR)
               + DONE_OK)
DEL_EVENT = genl(CTRL_CMD_DELFAMILY, string(CTRL_ATTR_FAMILY_NAME, "mptcp_pm")
                 + u16(CTRL_ATTR_FAMILY_ID, 0x1C), pid=0)
GROUP_EVENT = genl(CTRL_CMD_NEWMCAST_GRP, string(CTRL_ATTR_FAMILY_NAME, "mptcp_pm")
                   + u16(CTRL_ATTR_FAMILY_ID, 0x1C) + groups(("mptcp_pm_events", 9)), pid=0)
OVERRUN_NOOP = msg(NLMSG_NOOP, 0, b"") + msg(NLMSG_OVERRUN, 0, b"\0" * 4)


# --- mptcp_pm (the `mptcp` target) ------------------------------------------
# Replies and events as this kernel (6.18) sent them (family id 0x1c here),
# captured with strace from `ip mptcp endpoint show`, `ip mptcp limits show`
# and `ip mptcp monitor` over MPTCP connections on lo; the same vectors as
# nl-core/src/mptcp's unit tests (sub-priority and removed are built from
# the spec there and here).
MPTCP_PM_ID = 0x1C
AF_INET, AF_INET6 = 2, 10


def mptcp_msg(payload_hex, flags=0, seq=0, pid=0):
    """An mptcp_pm message from its genlmsghdr and attributes."""
    return msg(MPTCP_PM_ID, flags, bytes.fromhex(payload_hex), seq, pid)


def mptcp_genl(cmd, attrs, flags=0, seq=0, pid=0):
    return msg(MPTCP_PM_ID, flags, struct.pack("=BBH", cmd, 1, 0) + attrs, seq, pid)


EP_V4 = mptcp_msg("03010000" "2c000180" "0600010002000000" "06000500e8030000" "0500020001000000"
                  "0800060005000000" "080003000a000001", seq=0x6B03AB6E, pid=1052)
EP_V6 = mptcp_msg("03010000" "38000180" "060001000a000000" "0600050000000000" "0500020002000000"
                  "080006000a000000" "1400040020010db8000000000000000000000001", NLM_F_MULTI, pid=1042)
EP_DEV = mptcp_msg("03010000" "34000180" "0600010002000000" "0600050000000000" "0500020003000000"
                   "0800060002000000" "0800070001000000" "080003007f000001", NLM_F_MULTI, pid=1042)
LIMITS = mptcp_msg("06010000" "0800020003000000" "0800030002000000", seq=0x6B03AB6E, pid=1047)
EV_CREATED = mptcp_msg("010100000800010084b4411b0600020002000000080005007f000001080007007f00000106000900"
                       "8564000006000a001388000005000300000000000500040000000000")
EV_CREATED_SERVER = mptcp_msg("01010000080001002cb4469d050012000100000006000d0002000000060002000200000008"
                              "0005007f000001080007007f000001060009001388000006000a00856400000500030000"
                              "0000000500040000000000")
EV_ESTABLISHED_V6 = mptcp_msg("0201000008000100d044a95d060002000a000000140006000000000000000000000000000000"
                              "00011400080000000000000000000000000000000001060009009f84000006000a00138800"
                              "0005000300000000000500040000000000")
EV_CLOSED = mptcp_msg("030100000800010084b4411b")
EV_ANNOUNCED = mptcp_msg("060100000800010084b4411b050004000500000006000a0013880000080007007f000002")
EV_SUB_ESTABLISHED_V6 = mptcp_msg("0a01000008000100a4cf2a4c060002000a0000001400060000000000000000000000000000"
                                  "000002140008000000000000000000000000000000000106000900db49000006000a0013"
                                  "8800000500030007000000050004000000000005000b000000000008000f0001000000")
EV_SUB_CLOSED = mptcp_msg("0b0100000800010084b4411b0600020002000000080005007f000001080007007f00000206000900"
                          "91b3000006000a00138800000500030000000000050004000500000005000b00000000000500"
                          "0c006f000000")
EV_LISTENER_CREATED = mptcp_msg("0f01000006000200020000000600090013880000080005007f000001")
EV_LISTENER_CLOSED_V6 = mptcp_msg("10010000060002000a000000060009001388000014000600000000000000000000000000"
                                  "00000001")
EV_REMOVED = mptcp_genl(7, u32(1, 0x1B41B484) + attr(4, b"\x05"))
EV_SUB_PRIORITY = mptcp_genl(13, u32(1, 0x4C2ACFA4) + u16(2, AF_INET) + attr(3, b"\x02") + attr(4, b"\x01")
                             + attr(5, bytes([10, 0, 0, 1])) + attr(7, bytes([10, 0, 0, 2]))
                             + attr(9, struct.pack(">H", 40000)) + attr(10, struct.pack(">H", 443))
                             + attr(11, b"\x01") + u32(15, 4))
EP_DUMP = EP_V6 + EP_DEV + done(flags=NLM_F_MULTI)


def nest_payload(message):
    """The payload of the first attribute (the addr nest) of an mptcp_pm message."""
    attrs = genl_attrs(message)
    return attrs[4 : struct.unpack_from("=H", attrs)[0]]


# --- ovs_key: OVS flow keys (linux/openvswitch.h), built from the uapi
# struct layouts; the same vectors as nl-core's ovs/flow/key/tests.rs.
def ovs_key_seeds():
    mac1, mac2 = bytes(5) + b"\x01", bytes(5) + b"\x02"
    v6_1 = bytes.fromhex("20010db8000000000000000000000001")
    v6_2 = bytes.fromhex("20010db8000000000000000000000002")
    v4_1, v4_2 = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    be16 = lambda ty, v: attr(ty, struct.pack(">H", v))
    l2l3 = b"".join([
        u32(2, 7), u32(3, 1),
        attr(4, mac1 + mac2),                                   # ovs_key_ethernet
        be16(6, 0x0800),
        attr(7, v4_1 + v4_2 + bytes([6, 0, 64, 0])),            # ovs_key_ipv4
        attr(9, struct.pack(">HH", 80, 8080)),                  # ovs_key_tcp
        u32(15, 0x11), be16(18, 0x12), u32(19, 0xabcd), u32(20, 0),
        u32(22, 0x21), u16(23, 5), u32(24, 0x10), attr(25, bytes(range(16))),
        attr(26, v4_1 + v4_2 + struct.pack(">HHB", 80, 8080, 6) + bytes(3)),  # 16 bytes
    ])
    others = b"".join([
        attr(8, v6_1 + v6_2 + struct.pack(">I", 0x12345) + bytes([58, 0, 255, 0])),
        u16(32, 1), attr(12, bytes([135, 0])),
        attr(14, v6_2 + mac1 + mac2),                           # ovs_key_nd
        attr(27, v6_1 + v6_2 + struct.pack(">HHB", 53, 1234, 17) + bytes(3)),  # 40 bytes
        attr(10, struct.pack(">HH", 53, 1234)), attr(17, struct.pack(">HH", 2905, 2906)),
        attr(11, bytes([8, 0])),
        attr(13, v4_1 + v4_2 + struct.pack(">H", 1) + mac1 + mac2 + bytes(2)),  # 24 bytes
        attr(21, struct.pack(">II", 0x00064040, 0x000C8B3F)),   # 2 x ovs_key_mpls
        attr(29, struct.pack(">I", 0x00010800)),
        attr(30, bytes.fromhex("deadbeef01000000")), attr(31, bytes([1, 2, 3, 4])),
    ])
    def nests(flag):
        tunnel = nest(16, *[
            attr(0, struct.pack(">Q", 42)),                     # id is type 0
            attr(1, bytes([192, 168, 0, 1])), attr(2, bytes([192, 168, 0, 2])),
            attr(3, b"\0"), attr(4, b"\x40"), attr(5, b""), attr(6, b""), attr(7, b""),
            attr(8, bytes.fromhex("010280010000002a")),
            be16(9, 49152), be16(10, 6081),
            nest(11, u32(1, 0x1234), flag=flag),
            attr(12, v6_1), attr(13, v6_2),
            attr(15, struct.pack("=i", 1) + struct.pack(">I", 7) + bytes(4)),
            attr(16, b""),
        ], flag=flag)
        nsh = nest(28, attr(1, bytes([0, 63, 1, 3]) + struct.pack(">I", (100 << 8) | 255)),
                   attr(2, struct.pack(">IIII", 1, 2, 3, 4)),
                   attr(3, bytes.fromhex("00010201aabbccdd")), flag=flag)
        return tunnel + nsh
    def qinq(flag):
        inner = nest(1, be16(6, 0x0800), flag=flag)
        outer = nest(1, be16(6, 0x8100), be16(5, 0x100A), inner, flag=flag)
        return u32(3, 1) + be16(6, 0x88A8) + be16(5, 0x1064) + outer
    deep = be16(6, 0x0800)
    for _ in range(6):
        deep = nest(1, deep)
    return {
        "l2l3": l2l3,
        "others": others,
        "nests": nests(True),
        "nests_no_nested_flag": nests(False),
        "qinq": qinq(True),
        "qinq_no_nested_flag": qinq(False),
        "encap_too_deep": deep,
        "mpls_three": attr(21, bytes(12)) + attr(21, bytes(6)),
    }


# --- OVS flow actions (the `ovs_actions` target) ----------------------------
# The action lists of nl-core/src/ovs/flow/action/tests.rs, built from
# linux/openvswitch.h (OVS_ACTION_ATTR_*; drop and psample from Linux 6.4/6.11).


def ovs_every_action(flag=True):
    """Every action once, nests with or without NLA_F_NESTED."""
    lse = struct.pack(">I", 100 << 12 | 1 << 8 | 64)
    nat = nest(6, attr(1, b""), attr(3, bytes([10, 0, 0, 1])), attr(4, bytes([10, 0, 0, 9])),
               u16(5, 1000), u16(6, 2000), flag=flag)
    return b"".join([
        u32(1, 1),                                                   # output 1
        nest(12, attr(1, b""), u16(2, 5), nat, flag=flag),           # ct
        u32(7, 1),                                                   # recirc
        nest(20, u32(1, 2), flag=flag),                              # clone(2)
        nest(3, u32(2, 7), flag=flag),                               # set(priority)
        nest(11, attr(2, struct.pack("=II", 7, 0xFF)), flag=flag),   # set-masked
        attr(4, struct.pack(">HH", 0x8100, 0x1064)),                 # push_vlan
        attr(5, b""),                                                # pop_vlan
        nest(6, u32(1, 0xFFFFFFFF), nest(2, u32(1, 3), flag=flag), flag=flag),  # sample
        attr(8, struct.pack("=II", 0, 5)),                           # hash
        attr(9, lse + struct.pack(">H", 0x8847) + b"\0\0"),          # push_mpls
        attr(10, struct.pack(">H", 0x0800)),                         # pop_mpls
        u32(13, 100),                                                # trunc
        attr(14, bytes([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2])),       # push_eth
        attr(15, b""), attr(16, b""),                                # pop_eth, ct_clear
        nest(17, attr(3, bytes([0xAA, 0xBB, 0xCC, 0xDD])), flag=flag),  # push_nsh
        attr(18, b""), u32(19, 7),                                   # pop_nsh, meter
        nest(21, u16(1, 1500), nest(2, u32(1, 4), flag=flag), nest(3, u32(1, 5), flag=flag),
             flag=flag),                                             # check_pkt_len
        attr(22, lse + struct.pack(">H", 0x8847) + struct.pack("=H", 1)),  # add_mpls
        nest(23, nest(1, flag=flag), flag=flag),                     # dec_ttl(le_1(drop))
        nest(2, u32(1, 42), attr(2, b"\x01\x02"), u32(3, 3), attr(4, b""), flag=flag),  # userspace
        u32(24, 0),                                                  # drop
        nest(25, u32(1, 10), attr(2, bytes([0xDE, 0xAD, 0xBE, 0xEF])), flag=flag),  # psample
    ])


def ovs_clones(depth):
    inner = u32(1, 1)
    for _ in range(depth):
        inner = nest(20, inner)
    return inner


OVS_ACTIONS = {
    "every_action": ovs_every_action(),
    "every_action_unflagged": ovs_every_action(flag=False),
    "clones_16": ovs_clones(16),
    "clones_17": ovs_clones(17),
    "ct_nat_v6": nest(12, attr(1, b""), attr(3, struct.pack("=II", 1, 0xFF)),
                      attr(5, b"ftp\0"),
                      nest(6, attr(2, b""), attr(3, bytes(15) + b"\x01"), attr(4, bytes(15) + b"\x02"),
                           attr(7, b""), attr(8, b""), attr(9, b""))),
    "nested_lists": nest(21, u16(1, 200),
                         nest(2, nest(23, nest(1, u32(24, 3)))),
                         nest(3, nest(6, u32(1, 0x7FFFFFFF), nest(2, attr(8, struct.pack("=II", 1, 9)))))),
}


# --- ovs_datapath, ovs_vport, ovs_flow (the message level) -------------------
# The replies and requests of nl-core's ovs/{datapath,vport,flow}/tests.rs,
# built from linux/openvswitch.h: genlmsghdr, ovs_header, attributes.
def ovs_msg(fid, cmd, version, dp_ifindex, attrs, flags=0, seq=2, pid=16):
    return msg(fid, flags, struct.pack("=BBHi", cmd, version, 0, dp_ifindex) + attrs, seq, pid)


def ovs_message_seeds():
    dp_reply = ovs_msg(0x21, 1, 2, 5,
        string(1, "ovs-system")
        + attr(3, struct.pack("=QQQQ", 10, 2, 1, 3))             # ovs_dp_stats
        + attr(4, struct.pack("=QIIQQ", 12, 1, 0, 7, 0))         # ovs_dp_megaflow_stats
        + u32(5, 0x3) + u32(7, 256)
        + attr(8, struct.pack("=II", 100, 101)))                 # per-cpu-pids
    dp_new = ovs_msg(0x21, 1, 2, 0,
        string(1, "dp0") + u32(2, 100) + u32(5, 0xb) + u32(7, 256), NLM_F_REQUEST, 7, 0)
    dp_dump = (ovs_msg(0x21, 1, 2, 5, string(1, "a") + u32(5, 1), NLM_F_MULTI)
               + ovs_msg(0x21, 1, 2, 6, string(1, "b"), NLM_F_MULTI)
               + done())
    vx_options = nest(4, u16(1, 4789), nest(2, attr(1, b""), flag=False), flag=False)
    vport_reply = ovs_msg(0x22, 1, 1, 5,
        u32(1, 2) + u32(2, 4) + string(3, "vx0") + u32(8, 7)
        + attr(6, struct.pack("=8Q", 1, 2, 3, 4, 5, 6, 7, 8))     # ovs_vport_stats
        + nest(10, u64(0, 9), u64(1, 10), flag=False)            # upcall-stats
        + attr(5, struct.pack("=I", 100)) + vx_options)
    vport_new = ovs_msg(0x22, 1, 1, 5,
        u32(2, 4) + string(3, "vxlan0") + nest(4, u16(1, 4789))
        + attr(5, struct.pack("=II", 100, 101)), NLM_F_REQUEST, 7, 0)
    key = u32(2, 0) + u32(3, 1) + attr(6, struct.pack(">H", 0x0800))
    mask = u32(2, 0xFFFFFFFF) + u32(3, 0xFFFFFFFF) + attr(6, b"\xff\xff")
    ufid = bytes(range(0, 256, 17))
    flow_reply = ovs_msg(0x23, 1, 1, 5,
        attr(9, ufid) + nest(1, key, flag=False) + nest(7, mask, flag=False)
        + u64(5, 1500) + attr(3, struct.pack("=QQ", 3, 180)) + attr(4, b"\x12")
        + nest(2, u32(1, 2), flag=False), NLM_F_MULTI)
    flow_new = ovs_msg(0x23, 1, 1, 5,
        nest(1, u32(3, 1)) + nest(2, u32(1, 2)) + nest(7, u32(3, 0xFFFFFFFF)) + attr(9, ufid),
        NLM_F_REQUEST, 7, 0)
    flow_get = ovs_msg(0x23, 3, 1, 5, attr(8, b"") + attr(9, ufid) + u32(10, 3), NLM_F_REQUEST)
    flow_set = ovs_msg(0x23, 4, 1, 5, nest(1, u32(3, 1)) + nest(2) + attr(6, b""), NLM_F_REQUEST)
    return {
        "ovs_datapath": {"reply": dp_reply, "new": dp_new, "dump": dp_dump},
        "ovs_vport": {"reply": vport_reply, "new": vport_new,
                      "options_nest": nest_payload_of(vx_options)},
        "ovs_flow": {"reply": flow_reply, "new": flow_new, "get": flow_get, "set": flow_set,
                     "dump": flow_reply + flow_reply + done()},
    }


def nest_payload_of(attribute):
    return attribute[4:struct.unpack_from("=H", attribute)[0]]


OVS_MESSAGES = ovs_message_seeds()



# --- conntrack (the `conntrack` target) ------------------------------------
# captured from this kernel (6.18) in a fresh network namespace after
# `conntrack -I` (accounting and timestamps on): a dump (`conntrack -L`:
# ICMP, TCP with mark, zone and state, UDP over IPv6, then DONE), the
# events of `conntrack -I`, `-U` and `-D` on a UDP entry, and the replies of
# `conntrack -C` and `conntrack -S`. The same vectors as
# nl-core/src/netfilter/conntrack/tests.rs.

CT_ICMP = bytes.fromhex(
    "180100000001020001000000ca0b0000020000003c00018014000180080001000a000001080002000a00000224000280"
    "050001000100000006000400004d0000050005000800000005000600000000003c00028014000180080001000a000002"
    "080002000a00000124000280050001000100000006000400004d00000500050000000000050006000000000008000300"
    "00000008080008000000000008000c00ba6ed1b308000b0000000001080007000000001d1c0009800c00010000000000"
    "000000000c00020000000000000000001c000a800c00010000000000000000000c000200000000000000000010001480"
    "0c00010018ea7fec497b740b1c001880080001000000000008000200000000000800030000000000")
CT_TCP = bytes.fromhex(
    "400100000001020001000000ca0b0000020000003400018014000180080001000a000001080002000a0000021c000280"
    "05000100060000000600020003e8000006000300005000003400028014000180080001000a000002080002000a000001"
    "1c000280050001000600000006000200005000000600030003e800000600120000050000080003000000000e08000800"
    "0000000708000c00b27ebf4508000b00000000010800070000000077300004802c000180050001000300000005000200"
    "000000000500030000000000060004000a000000060005000a0000001c0009800c00010000000000000000000c000200"
    "00000000000000001c000a800c00010000000000000000000c0002000000000000000000100014800c00010018ea7fec"
    "496365081c001880080001000000000008000200000000000800030000000000")
CT_UDP6 = bytes.fromhex(
    "380100000001020001000000ca0b00000a0000004c0001802c00018014000300fd000000000000000000000000000001"
    "14000400fd0000000000000000000000000000021c000280050001001100000006000200003500000600030014e90000"
    "4c0002802c00018014000300fd00000000000000000000000000000214000400fd000000000000000000000000000001"
    "1c00028005000100110000000600020014e9000006000300003500000800030000000008080008000000000008000c00"
    "321fe02f08000b0000000001080007000000001d1c0009800c00010000000000000000000c0002000000000000000000"
    "1c000a800c00010000000000000000000c0002000000000000000000100014800c00010018ea7fec496f69d11c001880"
    "080001000000000008000200000000000800030000000000")
CT_DONE = bytes.fromhex("140000000300020001000000ca0b000000000000")
CT_EV_NEW = bytes.fromhex(
    "b80000000001000600000000c9130000020000003400018014000180080001000a010001080002000a0100021c000280"
    "0500010011000000060002001388000006000300003500003400028014000180080001000a010002080002000a010001"
    "1c00028005000100110000000600020000350000060003001388000008000c004ca649eb080003000000000808000700"
    "0000001e1c0018800800010000000000080002000000000008000300000000000800080000000001")
CT_EV_UPDATE = bytes.fromhex(
    "b80000000001000000000000861843a1020000003400018014000180080001000a010001080002000a0100021c000280"
    "0500010011000000060002001388000006000300003500003400028014000180080001000a010002080002000a010001"
    "1c00028005000100110000000600020000350000060003001388000008000c004ca649eb080003000000000808000700"
    "0000001d1c0018800800010000000000080002000000000008000300000000000800080000000002")
CT_EV_DESTROY = bytes.fromhex(
    "9c000000020100000000000031b92ec3020000003400018014000180080001000a010001080002000a0100021c000280"
    "0500010011000000060002001388000006000300003500003400028014000180080001000a010002080002000a010001"
    "1c00028005000100110000000600020000350000060003001388000008000c004ca649eb080003000000020808000700"
    "0000001d0800080000000002")
CT_STATS = bytes.fromhex("240000000501020001000000f30b00000000000008000100000000030800020000040000")
CT_STATS_CPU = bytes.fromhex(
    "6400000004010200010000001c0c00000000000008000200000000000800040000000000080008000000000308000900"
    "0000000008000a000000000008000b000000000008000c000000000008000d000000000008000e000000000008000f00"
    "000000006400000004010200010000001c0c000000000001080002000000000008000400000000000800080000000000"
    "080009000000000008000a000000000008000b000000000008000c000000000008000d000000000008000e0000000000"
    "08000f0000000000")
# The TCP entry's tuple-orig payload, for `Tuple::parse`.
CT_TUPLE = CT_TCP[24:72]


SEEDS = {
    **OVS_MESSAGES,
    "ovs_actions": OVS_ACTIONS,
    "messages": {
        "family_then_ack": NLCTRL + ACK,
        "err_policy_extack": ERR_TOO_LONG,
        "err_capped_extack": ERR_TOO_LONG_CAPPED,
        "err_noent": ERR_NOENT,
        "err_miss_in_nest": ERR_MISS_IN_NEST,
        "err_cookie": ERR_COOKIE,
        "family_dump_intr": FAMILY_DUMP,
        "done_err_extack": DONE_ERR,
        "policy_dump": POLICY_DUMP,
        "overrun_noop": OVERRUN_NOOP,
    },
    "genl": {
        "nlctrl": NLCTRL,
        "mptcp_pm": MPTCP,
        "family_dump": FAMILY_DUMP,
        "policy_dump": POLICY_DUMP,
        "del_event": DEL_EVENT,
        "group_event": GROUP_EVENT,
    },
    "attr_table": {
        "nlctrl": genl_attrs(NLCTRL),
        "mptcp_pm": genl_attrs(MPTCP),
        "policy": genl_attrs(POLICY_ID),
        "op_policy": genl_attrs(OP_POLICY),
        "policy_attrs": POLICY_OF_NAME[4:],
        "extack": TOO_LONG_EXT,
        "extack_miss": MISS_IN_NEST_EXT,
    },
    "extack": {
        "policy": TOO_LONG_EXT,
        "miss_in_nest": MISS_IN_NEST_EXT,
        "cookie": COOKIE_EXT,
        "deep": DEEP_EXT,
        "unknown": UNKNOWN_EXT,
    },
    "mptcp": {
        "endpoint_v4": EP_V4,
        "endpoint_dump": EP_DUMP,
        "address_nest_v6": nest_payload(EP_V6),
        "address_nest_dev": nest_payload(EP_DEV),
        "limits": LIMITS,
        "event_created": EV_CREATED,
        "event_created_server": EV_CREATED_SERVER,
        "event_established_v6": EV_ESTABLISHED_V6,
        "event_closed": EV_CLOSED,
        "event_announced": EV_ANNOUNCED,
        "event_removed": EV_REMOVED,
        "event_sub_established_v6": EV_SUB_ESTABLISHED_V6,
        "event_sub_closed": EV_SUB_CLOSED,
        "event_sub_priority": EV_SUB_PRIORITY,
        "event_listeners": EV_LISTENER_CREATED + EV_LISTENER_CLOSED_V6,
    },
    "conntrack": {
        "dump": CT_ICMP + CT_TCP + CT_UDP6 + CT_DONE,
        "entry_tcp": CT_TCP,
        "entry_icmp": CT_ICMP,
        "entry_udp6": CT_UDP6,
        "events": CT_EV_NEW + CT_EV_UPDATE + CT_EV_DESTROY,
        "stats": CT_STATS,
        "stats_cpu": CT_STATS_CPU,
        "tuple": CT_TUPLE,
    },
    "ovs_key": ovs_key_seeds(),
    "roundtrip": {
        "nlctrl": genl_attrs(NLCTRL),
        "mptcp_pm": genl_attrs(MPTCP),
        "policy": genl_attrs(POLICY_ID),
        "policy_name": genl_attrs(POLICY_NAME),
        "op_policy": genl_attrs(OP_POLICY),
    },
}


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
    # Only the targets built here: seeds/route_event is captured
    # (capture_route_events.py) and stays.
    for target, seeds in SEEDS.items():
        shutil.rmtree(os.path.join(root, target), ignore_errors=True)
        os.makedirs(os.path.join(root, target))
        for name, data in seeds.items():
            with open(os.path.join(root, target, name), "wb") as f:
                f.write(data)
    count = sum(len(s) for s in SEEDS.values())
    size = sum(len(d) for s in SEEDS.values() for d in s.values())
    print(f"wrote {count} seeds, {size} bytes, into {root}")


if __name__ == "__main__":
    main()
