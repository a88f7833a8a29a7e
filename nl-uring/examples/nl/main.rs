//! `nl`: a small netlink tool over nl-uring, works unprivileged.
//!
//! ```text
//! nl genl list            every generic netlink family, like `genl ctrl list`
//! nl genl show NAME       one family
//! nl genl policy NAME     its attribute policies (CTRL_CMD_GETPOLICY)
//! nl policy-check FAMILY  nl-core's declaration of FAMILY against the kernel's policies
//! nl [-j] link show [dev NAME]   links, like `ip [-j] -d link show`
//! nl link set|add|del ...        change, create, delete links
//! nl [-j] addr show [dev NAME]   addresses, like `ip [-j] addr show`
//! nl addr add|del ADDR/LEN dev NAME
//! nl [-j] neigh show [dev NAME]  neighbours, like `ip [-j] neigh show`
//! nl [-j] rule show [-6]         policy rules, like `ip [-j] rule show`
//! nl [-j] qdisc show [dev NAME]  qdiscs, like `tc [-j] -s qdisc show`
//! nl [-j] monitor [TOPIC]...     events as they arrive, like `ip monitor`
//! nl [-j] mptcp endpoint|limits ...  the MPTCP path manager, like `ip mptcp`
//! nl [-j] conntrack list|add|del|flush|monitor ...  the conntrack table, like `conntrack`
//! nl decode FAMILY [--hex] [FILE]  raw messages as JSON (see decode.rs)
//! ```
//!
//! Every command reads through io_uring (`nl_uring::Ring`), or through
//! blocking socket calls when io_uring is unavailable or a leading
//! `--blocking` asks for them.
//!
//! Exit status: 0 on success, 1 when the kernel or the socket fails (the
//! kernel's extended-ACK text is printed), 2 on bad arguments.

mod addr;
mod conntrack;
mod decode;
mod genl;
mod link;
mod monitor;
mod mptcp;
mod neigh;
mod qdisc;
mod route;
mod rule;
mod transport;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use nl_uring::Error;
use nl_uring::nl_core;

const USAGE: &str = "\
usage: nl [--blocking] [-j] COMMAND (io_uring unless --blocking), COMMAND one of:
       nl genl list
       nl genl show NAME
       nl genl policy NAME
       nl policy-check nlctrl|mptcp_pm
       nl [-j] link show [dev NAME]
       nl link set NAME up|down|mtu N|name NEW|master DEV|nomaster ...
       nl link add NAME type veth peer NAME|bridge|vxlan id N [dstport P] [dev D]|macvlan link DEV mode MODE
       nl link del NAME
       nl [-j] addr show [dev NAME]
       nl addr add|del ADDR/LEN dev NAME
       nl [-j] route show [-6] [table ID|all]
       nl [-j] route get [fibmatch] ADDR [from ADDR] [iif NAME] [oif NAME] [mark N] [uid N]
       nl route add|del|replace|append [-6] [TYPE] PREFIX [via GW] [dev NAME] [table ID]
                [metric N] [proto P] [scope S] [src ADDR] [onlink] [mtu [lock] N]
                [advmss N] [congctl NAME] [nexthop via GW dev NAME weight W]...
       nl [-j] neigh show [dev NAME] [nud all]
       nl neigh add|replace ADDR lladdr MAC dev NAME [nud permanent|reachable|stale|noarp]
       nl neigh del ADDR dev NAME
       nl [-j] neigh get ADDR dev NAME
       nl [-j] rule show [-6]
       nl rule add|del [-6] [not] [pref N] [from P] [to P] [iif N] [oif N] [fwmark M[/MASK]]
                [uidrange A-B] [ipproto P] [sport A[-B]] [dport A[-B]]
                [table ID|goto N|prohibit|blackhole|unreachable|nop]
       nl [-j] qdisc show [dev NAME]
       nl qdisc add dev NAME [root|ingress|parent H] [handle H] htb [default N] [r2q N]
                |tbf rate R burst B limit L|pfifo limit N|bfifo limit N
       nl qdisc del dev NAME [root|ingress|parent H] [handle H]
       nl [-j] monitor [link|addr|route|neigh|rule|mptcp|conntrack]... (none: all but conntrack;
                runs until interrupted)
       nl [-j] mptcp endpoint show [id N]
       nl mptcp endpoint add ADDR [id N] [port P] [dev NAME] [signal|subflow|backup|fullmesh]...
       nl mptcp endpoint del id N [ADDR]
       nl mptcp endpoint change id N [ADDR] [backup|nobackup|fullmesh|nofullmesh]...
       nl mptcp endpoint flush
       nl [-j] mptcp limits show
       nl mptcp limits set [subflows N] [add_addr_accepted N]
       nl [-j] conntrack list [--mark M[/MASK]] [--zone Z] [-f ipv4|ipv6]
       nl conntrack add -p tcp|udp|icmp|icmpv6 -s SRC -d DST [--sport P --dport P]
                [--icmp-id N --icmp-type T --icmp-code C] -t TIMEOUT [--mark M] [--zone Z] [--state S]
       nl conntrack del -p PROTO -s SRC -d DST [--sport P --dport P] [--icmp-id N ...] [--zone Z]
       nl conntrack flush
       nl [-j] conntrack monitor
       nl decode rt-link|rt-addr|rt-route|rt-neigh|rt-rule|tc|route|nlctrl|mptcp_pm|mptcp_pm-events
                 |ovs_datapath|ovs_vport|ovs_flow [--hex] [FILE]";

/// Why a command failed: bad arguments (exit 2), or netlink or output (exit 1).
pub(crate) enum Fail {
    Usage,
    Nl(Error),
    Io(io::Error),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Nl(e)
    }
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Io(e)
    }
}

impl From<nl_core::Error> for Fail {
    fn from(e: nl_core::Error) -> Self {
        Fail::Nl(e.into())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    // Leading options, in any order: `-j` asks for `ip -j`-style JSON,
    // `--blocking` skips io_uring.
    let mut json = false;
    let mut args = args.as_slice();
    loop {
        match args {
            ["-j", ..] => json = true,
            ["--blocking", ..] => transport::use_blocking(),
            _ => break,
        }
        args = args.get(1..).unwrap_or_default();
    }
    let result = match args {
        ["help" | "-h" | "--help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        ["genl", rest @ ..] => genl::run(&mut out, rest),
        ["policy-check", rest @ ..] => genl::policy_check(&mut out, rest),
        ["link", rest @ ..] => link::run(&mut out, rest, json),
        ["addr" | "address", rest @ ..] => addr::run(&mut out, rest, json),
        ["route", rest @ ..] => route::run(&mut out, rest, json),
        ["neigh" | "neighbour", rest @ ..] => neigh::run(&mut out, rest, json),
        ["rule", rest @ ..] => rule::run(&mut out, rest, json),
        ["qdisc", rest @ ..] => qdisc::run(&mut out, rest, json),
        ["monitor", rest @ ..] => monitor::run(&mut out, rest, json),
        ["mptcp", rest @ ..] => mptcp::run(&mut out, rest, json),
        ["conntrack", rest @ ..] => conntrack::run(&mut out, rest, json),
        ["decode", rest @ ..] => decode::run(&mut out, rest),
        _ => Err(Fail::Usage),
    };
    let result = result.and_then(|()| out.flush().map_err(Fail::Io));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Usage) => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
        Err(Fail::Nl(Error::Kernel(k))) => {
            match k.errno.name() {
                Some(name) => eprintln!("error: {} ({name})", k.text()),
                None => eprintln!("error: {}", k.text()),
            }
            if let Some(path) = k.path.as_ref().filter(|p| !p.elems.is_empty()) {
                eprintln!("  at attribute {path}");
            }
            if let Some(name) = k.missing_name {
                eprintln!("  missing attribute {name}");
            }
            ExitCode::from(1)
        }
        Err(Fail::Nl(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(Fail::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Fail::Io(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
