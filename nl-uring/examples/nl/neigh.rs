//! `nl neigh ...`: the neighbour (ARP / NDP) tables.

use std::io::Write;
use std::net::IpAddr;

use nl_uring::Protocol;
use nl_uring::nl_core::nlmsg::Flags;
use nl_uring::nl_core::route::neigh::{
    self, Neigh, NeighDumpFilter, NeighFlags, NeighSpec, NudState,
};
use nl_uring::nl_core::route::route::RouteProtocol;

use crate::transport::Nl;
use serde_json::{Map, Value, json};

use crate::Fail;
use crate::link::{dump_all, index_of};

/// Runs `nl neigh ARGS`.
pub(crate) fn run(out: &mut impl Write, args: &[&str], json: bool) -> Result<(), Fail> {
    match args {
        ["show"] => show(out, None, false, json),
        ["show", "nud", "all"] => show(out, None, true, json),
        ["show", "dev", name] => show(out, Some(name), false, json),
        ["show", "dev", name, "nud", "all"] => show(out, Some(name), true, json),
        [
            "add" | "replace",
            addr,
            "lladdr",
            mac,
            "dev",
            dev,
            rest @ ..,
        ] => {
            let state = match rest {
                [] | ["nud", "permanent"] => NudState::PERMANENT,
                ["nud", "reachable"] => NudState::REACHABLE,
                ["nud", "stale"] => NudState::STALE,
                ["nud", "noarp"] => NudState::NOARP,
                _ => return Err(Fail::Usage),
            };
            let replace = args.first() == Some(&"replace");
            add(addr, Some(mac), dev, state, replace)
        }
        ["del" | "delete", addr, "dev", dev] => del(addr, dev),
        ["get", addr, "dev", dev] => get(out, addr, dev, json),
        _ => Err(Fail::Usage),
    }
}

/// Interface names by index, from one link dump.
pub(crate) fn link_names(socket: &mut Nl) -> Result<Vec<(i32, String)>, Fail> {
    let mut names = Vec::new();
    for owned in dump_all(socket)? {
        let l = owned.view()?;
        names.push((l.index(), l.name().to_string()));
    }
    Ok(names)
}

/// The name of interface `index`, or `ifN` when it is not in this namespace.
pub(crate) fn name_of(names: &[(i32, String)], index: i64) -> String {
    names
        .iter()
        .find(|(i, _)| i64::from(*i) == index)
        .map_or_else(|| format!("if{index}"), |(_, n)| n.clone())
}

/// One entry kept as the kernel sent it.
struct Owned(u16, Vec<u8>);

fn show(out: &mut impl Write, dev: Option<&str>, all: bool, json: bool) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    socket.set_strict_check(true)?;
    let names = link_names(&mut socket)?;
    let ifindex = match dev {
        Some(d) => Some(index_of(&mut socket, d)?.unsigned_abs()),
        None => None,
    };
    let filter = NeighDumpFilter {
        ifindex,
        ..NeighDumpFilter::default()
    };
    let mut buf = [0u8; 64];
    let request = neigh::dump(&mut buf, socket.next_seq(), &filter)?;
    let mut entries = Vec::new();
    socket.try_dump(request, Some(neigh::layout()), |m| {
        Neigh::parse(&m)?;
        entries.push(Owned(m.ty(), m.payload().to_vec()));
        Ok::<(), Fail>(())
    })?;
    let mut rows = Vec::new();
    for owned in &entries {
        let n = Neigh::parse_payload(owned.0, &owned.1)?;
        // Like `ip neigh show`: NOARP entries only with `nud all`.
        if !all && n.state().contains(NudState::NOARP) {
            continue;
        }
        let name = name_of(&names, i64::from(n.ifindex()));
        if json {
            rows.push(Value::Object(to_json(&n, dev.is_none().then_some(&name))));
        } else {
            let mut line = String::new();
            n.write_text(&mut line, Some(&name))
                .map_err(std::io::Error::other)?;
            writeln!(out, "{line}")?;
        }
    }
    if json {
        serde_json::to_writer(&mut *out, &Value::Array(rows)).map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The keys `ip -j neigh show` prints for one entry.
pub(crate) fn to_json(n: &Neigh<'_>, dev: Option<&String>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(dst) = n.dst() {
        m.insert("dst".into(), json!(dst.to_string()));
    }
    if let Some(dev) = dev {
        m.insert("dev".into(), json!(dev));
    }
    if let Some(vlan) = n.vlan() {
        m.insert("vlan".into(), json!(vlan));
    }
    if let Some(lladdr) = n.lladdr() {
        m.insert("lladdr".into(), json!(lladdr.to_string()));
    }
    // `ip` does not print `NTF_USE`.
    for name in NeighFlags(n.flags().0 & !NeighFlags::USE).names() {
        m.insert(name.into(), Value::Null);
    }
    for name in n.flags_ext().names() {
        m.insert(name.into(), Value::Null);
    }
    if let Some(p) = n.protocol() {
        m.insert("protocol".into(), json!(RouteProtocol::from(p).to_string()));
    }
    let states: Vec<Value> = n.state().names().map(|s| json!(s)).collect();
    m.insert("state".into(), Value::Array(states));
    m
}

fn parse_mac(text: &str) -> Result<Vec<u8>, Fail> {
    text.split(':')
        .map(|b| u8::from_str_radix(b, 16).map_err(|_| Fail::Usage))
        .collect()
}

fn add(addr: &str, mac: Option<&str>, dev: &str, state: u16, replace: bool) -> Result<(), Fail> {
    let dst: IpAddr = addr.parse().map_err(|_| Fail::Usage)?;
    let lladdr = match mac {
        Some(m) => Some(parse_mac(m)?),
        None => None,
    };
    let mut socket = Nl::open(Protocol::Route)?;
    let ifindex = index_of(&mut socket, dev)?.unsigned_abs();
    let spec = NeighSpec {
        ifindex,
        dst,
        lladdr: lladdr.as_deref(),
        state,
        flags: 0,
    };
    let flags = if replace {
        Flags::CREATE | Flags::REPLACE
    } else {
        Flags::CREATE | Flags::EXCL
    };
    let mut buf = [0u8; 128];
    let request = neigh::new_neigh(&mut buf, socket.next_seq(), flags, &spec)?;
    socket.request(request, Some(neigh::layout()))?;
    Ok(())
}

/// `nl neigh get ADDR dev NAME`: the one entry, as `ip neigh get` prints it.
fn get(out: &mut impl Write, addr: &str, dev: &str, json: bool) -> Result<(), Fail> {
    let dst: IpAddr = addr.parse().map_err(|_| Fail::Usage)?;
    let mut socket = Nl::open(Protocol::Route)?;
    let names = link_names(&mut socket)?;
    let ifindex = index_of(&mut socket, dev)?.unsigned_abs();
    let mut buf = [0u8; 128];
    let request = neigh::get_neigh(&mut buf, socket.next_seq(), ifindex, dst)?;
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    socket.request_with(request, Some(neigh::layout()), |m| {
        let n = Neigh::parse(&m)?;
        let name = name_of(&names, i64::from(n.ifindex()));
        if json {
            rows.push(Value::Object(to_json(&n, Some(&name))));
        } else {
            let mut line = String::new();
            n.write_text(&mut line, Some(&name))
                .map_err(std::io::Error::other)?;
            lines.push(line);
        }
        Ok::<(), Fail>(())
    })?;
    if json {
        serde_json::to_writer(&mut *out, &Value::Array(rows)).map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn del(addr: &str, dev: &str) -> Result<(), Fail> {
    let dst: IpAddr = addr.parse().map_err(|_| Fail::Usage)?;
    let mut socket = Nl::open(Protocol::Route)?;
    let ifindex = index_of(&mut socket, dev)?.unsigned_abs();
    let mut buf = [0u8; 128];
    let request = neigh::del_neigh(&mut buf, socket.next_seq(), ifindex, dst)?;
    socket.request(request, Some(neigh::layout()))?;
    Ok(())
}
