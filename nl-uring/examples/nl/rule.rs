//! `nl rule ...`: routing policy rules (RTM_GETRULE / NEWRULE / DELRULE).

use std::io::Write;
use std::net::IpAddr;

use nl_uring::Protocol;
use nl_uring::nl_core::nlmsg::Flags;
use nl_uring::nl_core::route::AddressFamily;
use nl_uring::nl_core::route::route::RouteProtocol;
use nl_uring::nl_core::route::rule::{self, Rule, RuleAction, RuleFlags, RuleSpec, table};

use crate::transport::Nl;
use serde_json::{Map, Value, json};

use crate::Fail;

/// Runs `nl rule ARGS`.
pub(crate) fn run(out: &mut impl Write, args: &[&str], json: bool) -> Result<(), Fail> {
    match args {
        ["show" | "list"] => show(out, AddressFamily::Inet, json),
        ["show" | "list", "-6"] => show(out, AddressFamily::Inet6, json),
        ["add", rest @ ..] => change(rest, true),
        ["del" | "delete", rest @ ..] => change(rest, false),
        _ => Err(Fail::Usage),
    }
}

/// One rule kept as the kernel sent it.
struct Owned(u16, Vec<u8>);

fn show(out: &mut impl Write, family: AddressFamily, json: bool) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    socket.set_strict_check(true)?;
    let mut buf = [0u8; 32];
    let request = rule::dump(&mut buf, socket.next_seq(), family)?;
    let mut rules = Vec::new();
    socket.try_dump(request, Some(rule::layout()), |m| {
        Rule::parse(&m)?;
        rules.push(Owned(m.ty(), m.payload().to_vec()));
        Ok::<(), Fail>(())
    })?;
    let mut rows = Vec::new();
    for owned in &rules {
        let r = Rule::parse_payload(owned.0, &owned.1)?;
        if json {
            rows.push(Value::Object(to_json(&r)));
        } else {
            writeln!(out, "{r}")?;
        }
    }
    if json {
        serde_json::to_writer(&mut *out, &Value::Array(rows)).map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}

/// `ip`'s names for IP protocols.
fn ip_proto_name(p: u8) -> String {
    rule::ip_proto_name(p).map_or_else(|| p.to_string(), str::to_owned)
}

fn host_len(family: AddressFamily) -> u8 {
    if family == AddressFamily::Inet6 {
        128
    } else {
        32
    }
}

/// The keys `ip -j rule show` prints for one rule.
pub(crate) fn to_json(r: &Rule<'_>) -> Map<String, Value> {
    let mut m = Map::new();
    let full = host_len(r.family());
    m.insert("priority".into(), json!(r.priority()));
    if r.flags().contains(RuleFlags::INVERT) {
        m.insert("not".into(), Value::Null);
    }
    for (key, len_key, value, len) in [
        (
            "src",
            "srclen",
            r.attrs.get(rule::RuleAttrs::SRC),
            r.header.src_len,
        ),
        (
            "dst",
            "dstlen",
            r.attrs.get(rule::RuleAttrs::DST),
            r.header.dst_len,
        ),
    ] {
        match value {
            Some(addr) => {
                m.insert(key.into(), json!(addr.to_string()));
                if len != full {
                    m.insert(len_key.into(), json!(len));
                }
            }
            None if len != 0 => {
                m.insert(key.into(), json!("0"));
                m.insert(len_key.into(), json!(len));
            }
            None if key == "src" => {
                m.insert(key.into(), json!("all"));
            }
            None => {}
        }
    }
    if r.header.tos != 0 {
        m.insert("tos".into(), json!(format!("{:#x}", r.header.tos)));
    }
    if let Some((mark, mask)) = r.fwmark() {
        m.insert("fwmark".into(), json!(format!("{mark:#x}")));
        if mask != u32::MAX {
            m.insert("fwmask".into(), json!(format!("{mask:#x}")));
        }
    }
    if let Some(iif) = r.iif() {
        m.insert("iif".into(), json!(iif.to_string()));
        if r.flags().contains(RuleFlags::IIF_DETACHED) {
            m.insert("iif_detached".into(), Value::Null);
        }
    }
    if let Some(oif) = r.oif() {
        m.insert("oif".into(), json!(oif.to_string()));
        if r.flags().contains(RuleFlags::OIF_DETACHED) {
            m.insert("oif_detached".into(), Value::Null);
        }
    }
    if let Some((start, end)) = r.uid_range() {
        m.insert("uid_start".into(), json!(start));
        m.insert("uid_end".into(), json!(end));
    }
    if let Some(p) = r.ip_proto() {
        m.insert("ipproto".into(), json!(ip_proto_name(p)));
    }
    for (key, range) in [("sport", r.sport()), ("dport", r.dport())] {
        match range {
            Some((start, end)) if start == end => {
                m.insert(key.into(), json!(start));
            }
            Some((start, end)) => {
                m.insert(format!("{key}_start"), json!(start));
                m.insert(format!("{key}_end"), json!(end));
            }
            None => {}
        }
    }
    if let Some(id) = r.attrs.get(rule::RuleAttrs::TUN_ID) {
        m.insert("tun_id".into(), json!(id));
    }
    let id = r.table();
    if id != 0 {
        let name = table::name(id).map_or_else(|| id.to_string(), str::to_owned);
        m.insert("table".into(), json!(name));
        if let Some(len) = r.suppress_prefixlen() {
            m.insert("suppress_prefixlen".into(), json!(len));
        }
        if let Some(group) = r.suppress_ifgroup() {
            m.insert("suppress_ifgroup".into(), json!(group.to_string()));
        }
    }
    match r.action() {
        RuleAction::ToTable => {}
        RuleAction::Goto => {
            match r.goto() {
                Some(target) => m.insert("goto".into(), json!(target)),
                None => m.insert("goto".into(), json!("none")),
            };
            if r.flags().contains(RuleFlags::UNRESOLVED) {
                m.insert("unresolved".into(), Value::Null);
            }
        }
        RuleAction::Nop => {
            m.insert("nop".into(), Value::Null);
        }
        other => {
            m.insert("action".into(), json!(other.to_string()));
        }
    }
    if let Some(p) = r.protocol().filter(|&p| p != 0 && p != 2) {
        m.insert("protocol".into(), json!(RouteProtocol::from(p).to_string()));
    }
    m
}

fn prefix(text: &str) -> Result<(IpAddr, u8), Fail> {
    let (addr, len) = match text.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (text, None),
    };
    let addr: IpAddr = addr.parse().map_err(|_| Fail::Usage)?;
    let full = if addr.is_ipv4() { 32 } else { 128 };
    let len = match len {
        Some(l) => l.parse().map_err(|_| Fail::Usage)?,
        None => full,
    };
    Ok((addr, len))
}

fn range<T: std::str::FromStr + Copy>(text: &str) -> Result<(T, T), Fail> {
    let parse = |s: &str| s.parse::<T>().map_err(|_| Fail::Usage);
    match text.split_once('-') {
        Some((a, b)) => Ok((parse(a)?, parse(b)?)),
        None => {
            let v = parse(text)?;
            Ok((v, v))
        }
    }
}

fn number(text: &str) -> Result<u32, Fail> {
    match text.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).map_err(|_| Fail::Usage),
        None => text.parse().map_err(|_| Fail::Usage),
    }
}

/// Parses `ip rule add|del` selectors and action into a spec.
fn parse_spec<'a>(mut args: &[&'a str], add: bool) -> Result<RuleSpec<'a>, Fail> {
    let mut spec = RuleSpec::lookup(AddressFamily::Inet, table::MAIN);
    let mut table_given = false;
    while let Some((&word, rest)) = args.split_first() {
        if word == "-6" {
            spec.family = AddressFamily::Inet6;
            args = rest;
            continue;
        }
        if word == "not" {
            spec.invert = true;
            args = rest;
            continue;
        }
        if let Some(action) = match word {
            "prohibit" => Some(RuleAction::Prohibit),
            "blackhole" => Some(RuleAction::Blackhole),
            "unreachable" => Some(RuleAction::Unreachable),
            "nop" => Some(RuleAction::Nop),
            _ => None,
        } {
            spec.action = action;
            spec.table = None;
            args = rest;
            continue;
        }
        let [value, rest @ ..] = rest else {
            return Err(Fail::Usage);
        };
        match word {
            "pref" | "priority" | "preference" => spec.priority = Some(number(value)?),
            "from" => spec.src = Some(prefix(value)?),
            "to" => spec.dst = Some(prefix(value)?),
            "iif" => spec.iif = Some(value),
            "oif" => spec.oif = Some(value),
            "fwmark" => {
                spec.fwmark = Some(match value.split_once('/') {
                    Some((mark, mask)) => (number(mark)?, number(mask)?),
                    None => (number(value)?, u32::MAX),
                });
            }
            "uidrange" => spec.uid_range = Some(range(value)?),
            "ipproto" => {
                spec.ip_proto = Some(match *value {
                    "tcp" => 6,
                    "udp" => 17,
                    "icmp" => 1,
                    "sctp" => 132,
                    other => other.parse().map_err(|_| Fail::Usage)?,
                });
            }
            "sport" => spec.sport = Some(range(value)?),
            "dport" => spec.dport = Some(range(value)?),
            "table" | "lookup" => {
                spec.action = RuleAction::ToTable;
                spec.table = Some(match *value {
                    "main" => table::MAIN,
                    "local" => table::LOCAL,
                    "default" => table::DEFAULT,
                    other => number(other)?,
                });
                table_given = true;
            }
            "goto" => {
                spec.action = RuleAction::Goto;
                spec.goto = Some(number(value)?);
                spec.table = None;
            }
            "protocol" | "proto" => {
                spec.protocol = Some(u8::try_from(number(value)?).map_err(|_| Fail::Usage)?);
            }
            "suppress_prefixlength" => spec.suppress_prefixlen = Some(number(value)?),
            _ => return Err(Fail::Usage),
        }
        args = rest;
    }
    let fits = |a: IpAddr| (a.is_ipv6()) == (spec.family == AddressFamily::Inet6);
    if spec.src.is_some_and(|(a, _)| !fits(a)) || spec.dst.is_some_and(|(a, _)| !fits(a)) {
        return Err(Fail::Usage);
    }
    // A delete matches only what is given: no table, no action by default.
    if !add && !table_given && spec.action == RuleAction::ToTable {
        spec.action = RuleAction::Unspec;
        spec.table = None;
    }
    Ok(spec)
}

fn change(args: &[&str], add: bool) -> Result<(), Fail> {
    let spec = parse_spec(args, add)?;
    let mut socket = Nl::open(Protocol::Route)?;
    let mut buf = [0u8; 512];
    let seq = socket.next_seq();
    let request = if add {
        rule::new_rule(&mut buf, seq, Flags::CREATE | Flags::EXCL, &spec)?
    } else {
        rule::del_rule(&mut buf, seq, &spec)?
    };
    socket.request(request, Some(rule::layout()))?;
    Ok(())
}
