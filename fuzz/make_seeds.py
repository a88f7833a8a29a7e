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


SEEDS = {
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
