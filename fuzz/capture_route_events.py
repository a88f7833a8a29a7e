#!/usr/bin/env python3
"""Writes the seeds of the `route_event` target into fuzz/seeds/route_event/:
rtnetlink notifications (links, addresses, routes with metrics and
multipath, neighbours, rules; v4 and v6; new and del) as this kernel sends
them, captured on a socket bound to their groups while `ip` makes and
removes the objects. Needs root; runs itself in a fresh network namespace:

    sudo python3 fuzz/capture_route_events.py

make_seeds.py leaves this folder alone (it is captured, not built).
"""

import os
import shutil
import socket
import subprocess
import sys

# RTNLGRP_*: LINK, NEIGH, IPV4_IFADDR, IPV4_ROUTE, IPV4_RULE, IPV6_IFADDR,
# IPV6_ROUTE, IPV6_RULE (linux/rtnetlink.h)
GROUPS = [1, 3, 5, 7, 8, 9, 11, 19]

COMMANDS = """link set lo up
link add v0 type veth peer name v1
link set v0 up
link set v1 up
addr add 10.1.0.1/24 brd + dev v0 label v0:a
addr add 2001:db8::1/64 dev v0 nodad
route add 10.2.0.0/16 via 10.1.0.254 dev v0 metric 100 mtu lock 1400
route add 10.3.0.0/16 nexthop via 10.1.0.2 dev v0 weight 1 nexthop via 10.1.0.3 dev v0 weight 3
route add 2001:db8:1::/48 via 2001:db8::fe dev v0
neigh add 10.1.0.7 lladdr 02:00:00:00:00:07 dev v0 nud permanent
rule add from 10.9.0.0/16 fwmark 0x10/0xff table 100 pref 1000
-6 rule add to 2001:db8:9::/48 table 200 pref 2000
rule del pref 1000
neigh del 10.1.0.7 dev v0
route del 10.2.0.0/16
addr del 10.1.0.1/24 dev v0
link del v0"""

# At most this many datagrams of each message type, of distinct sizes.
PER_TYPE = 3


def main():
    if os.environ.get("NL_CAPTURE_IN_NETNS") != "1":
        env = dict(os.environ, NL_CAPTURE_IN_NETNS="1")
        sys.exit(subprocess.run(["unshare", "-n", sys.executable, __file__], env=env).returncode)
    mask = 0
    for group in GROUPS:
        mask |= 1 << (group - 1)
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    sock.bind((0, mask))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    for command in COMMANDS.split("\n"):
        subprocess.run(["ip"] + command.split(), check=True)
    sock.settimeout(0.5)
    kept = {}
    try:
        while True:
            datagram = sock.recv(65536)
            ty = int.from_bytes(datagram[4:6], sys.byteorder)
            same = kept.setdefault(ty, [])
            if len(same) < PER_TYPE and all(len(d) != len(datagram) for d in same):
                same.append(datagram)
    except socket.timeout:
        pass
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds", "route_event")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    for ty, datagrams in sorted(kept.items()):
        for i, datagram in enumerate(datagrams):
            with open(os.path.join(root, f"type{ty}_{i}"), "wb") as f:
                f.write(datagram)
    print(f"wrote {sum(len(d) for d in kept.values())} seeds into {root}")


if __name__ == "__main__":
    main()
