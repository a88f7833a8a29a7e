//! `nl mptcp ...`: endpoints and limits of the in-kernel MPTCP path
//! manager (generic netlink family `mptcp_pm`), like `ip mptcp`.

use std::io::Write;
use std::net::IpAddr;

use nl_uring::mptcp::MptcpPm;
use nl_uring::nl_core::mptcp::{Address, EndpointFlags, Limits};
use nl_uring::{GenlFamilies, Protocol};
use serde_json::{Map, Value, json};

use crate::Fail;
use crate::link::{Names, dump_all, index_of};
use crate::transport::Nl;

/// Runs `nl mptcp ARGS`.
pub(crate) fn run(out: &mut impl Write, args: &[&str], json: bool) -> Result<(), Fail> {
    let (mut nl, pm) = open()?;
    match args {
        ["endpoint", "show"] => show(out, &mut nl, &pm, None, json),
        ["endpoint", "show", "id", id] => show(out, &mut nl, &pm, Some(number(id)?), json),
        ["endpoint", "add", addr, rest @ ..] => {
            let endpoint = endpoint_args(addr, rest)?;
            let endpoint = with_dev(&endpoint, rest)?;
            let (ring, socket) = nl.parts();
            Ok(pm.add_endpoint(ring, socket, &endpoint)?)
        }
        ["endpoint", "del" | "delete", "id", id, rest @ ..] => {
            let endpoint = by_id(id, rest)?;
            let (ring, socket) = nl.parts();
            Ok(pm.del_endpoint(ring, socket, &endpoint)?)
        }
        ["endpoint", "change", "id", id, rest @ ..] => {
            let (addr, flags) = match rest {
                [addr, flags @ ..] if addr.parse::<IpAddr>().is_ok() => (Some(*addr), flags),
                flags => (None, flags),
            };
            let mut endpoint = by_id(id, addr.as_slice())?;
            endpoint.flags = change_flags(flags)?;
            let (ring, socket) = nl.parts();
            Ok(pm.set_flags(ring, socket, &endpoint, None, None)?)
        }
        ["endpoint", "flush"] => {
            let (ring, socket) = nl.parts();
            Ok(pm.flush_endpoints(ring, socket)?)
        }
        ["limits", "show"] => {
            let (ring, socket) = nl.parts();
            let limits = pm.limits(ring, socket)?;
            if json {
                writeln!(out, "{}", limits_json(&limits))?;
            } else {
                writeln!(out, "{limits}")?;
            }
            Ok(())
        }
        ["limits", "set", rest @ ..] if !rest.is_empty() => {
            let limits = limits_args(rest)?;
            let (ring, socket) = nl.parts();
            Ok(pm.set_limits(ring, socket, &limits)?)
        }
        _ => Err(Fail::Usage),
    }
}

fn open() -> Result<(Nl, MptcpPm), Fail> {
    let mut nl = Nl::open(Protocol::Generic)?;
    let pm = MptcpPm::resolve(nl.socket(), &mut GenlFamilies::new())?;
    Ok((nl, pm))
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, Fail> {
    text.parse().map_err(|_| Fail::Usage)
}

/// `ADDR [id N] [port P] [dev NAME] [signal|subflow|backup|fullmesh]...`
/// without the device (resolved by [`with_dev`]).
fn endpoint_args(addr: &str, mut rest: &[&str]) -> Result<Address, Fail> {
    let mut endpoint = Address::new(number(addr)?);
    while let Some((word, tail)) = rest.split_first() {
        rest = match (*word, tail) {
            ("id", [id, tail @ ..]) => {
                endpoint.id = Some(number(id)?);
                tail
            }
            ("port", [port, tail @ ..]) => {
                endpoint.port = Some(number(port)?);
                tail
            }
            ("dev", [_, tail @ ..]) => tail,
            (flag, tail) => {
                endpoint.flags.0 |= EndpointFlags::from_name(flag).ok_or(Fail::Usage)?;
                tail
            }
        };
    }
    Ok(endpoint)
}

/// `endpoint` with the index of `dev NAME` from `args`, when given.
fn with_dev(endpoint: &Address, args: &[&str]) -> Result<Address, Fail> {
    let mut endpoint = *endpoint;
    if let Some(at) = args.iter().position(|w| *w == "dev") {
        let name = args.get(at + 1).ok_or(Fail::Usage)?;
        endpoint.ifindex = Some(index_of(&mut Nl::open(Protocol::Route)?, name)?);
    }
    Ok(endpoint)
}

/// `id N [ADDR]`: the kernel finds an endpoint by id (by address for id 0).
fn by_id(id: &str, addr: &[&str]) -> Result<Address, Fail> {
    let mut endpoint = match addr {
        [] => Address::default(),
        [addr] => Address::new(number(addr)?),
        _ => return Err(Fail::Usage),
    };
    endpoint.id = Some(number(id)?);
    Ok(endpoint)
}

/// `backup|nobackup|fullmesh|nofullmesh`...: the flags `set-flags` sends
/// (a flag not named is cleared, as with `ip mptcp endpoint change`).
fn change_flags(words: &[&str]) -> Result<EndpointFlags, Fail> {
    let mut flags = EndpointFlags(0);
    for word in words {
        match *word {
            "backup" => flags.0 |= EndpointFlags::BACKUP,
            "fullmesh" => flags.0 |= EndpointFlags::FULLMESH,
            "nobackup" => flags.0 &= !EndpointFlags::BACKUP,
            "nofullmesh" => flags.0 &= !EndpointFlags::FULLMESH,
            _ => return Err(Fail::Usage),
        }
    }
    Ok(flags)
}

/// `[subflows N] [add_addr_accepted N]`.
fn limits_args(mut rest: &[&str]) -> Result<Limits, Fail> {
    let mut limits = Limits::default();
    while let [key, value, tail @ ..] = rest {
        match *key {
            "subflows" => limits.subflows = Some(number(value)?),
            "add_addr_accepted" => limits.add_addr_accepted = Some(number(value)?),
            _ => return Err(Fail::Usage),
        }
        rest = tail;
    }
    if rest.is_empty() {
        Ok(limits)
    } else {
        Err(Fail::Usage)
    }
}

/// `ip mptcp endpoint show`, text or `ip -j`'s keys.
fn show(
    out: &mut impl Write,
    nl: &mut Nl,
    pm: &MptcpPm,
    id: Option<u8>,
    json: bool,
) -> Result<(), Fail> {
    let (ring, socket) = nl.parts();
    let endpoints = match id {
        Some(id) => vec![pm.endpoint(ring, socket, id)?],
        None => pm.endpoints(ring, socket)?,
    };
    let names = if endpoints.iter().any(|e| e.ifindex.is_some()) {
        Some(Names::of(&dump_all(&mut Nl::open(Protocol::Route)?)?)?)
    } else {
        None
    };
    let dev = |e: &Address| -> Option<String> {
        let index = e.ifindex?;
        let name = names.as_ref().and_then(|n| n.name(i64::from(index)));
        Some(name.map_or_else(|| index.to_string(), str::to_owned))
    };
    if json {
        let list: Vec<Value> = endpoints
            .iter()
            .map(|e| Value::Object(endpoint_json(e, dev(e))))
            .collect();
        writeln!(out, "{}", Value::Array(list))?;
        return Ok(());
    }
    for e in &endpoints {
        // Address's Display ends in `dev INDEX`; ip prints the name.
        let mut plain = *e;
        plain.ifindex = None;
        match dev(e) {
            Some(dev) => writeln!(out, "{plain} dev {dev}")?,
            None => writeln!(out, "{plain}")?,
        }
    }
    Ok(())
}

/// The keys `ip -j mptcp endpoint show` prints for one endpoint.
fn endpoint_json(e: &Address, dev: Option<String>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(addr) = e.addr {
        m.insert("address".into(), json!(addr.to_string()));
    }
    if let Some(port) = e.port {
        m.insert("port".into(), json!(port));
    }
    if let Some(id) = e.id {
        m.insert("id".into(), json!(id));
    }
    for name in e.flags.names() {
        m.insert(name.into(), json!(true));
    }
    if let Some(dev) = dev {
        m.insert("dev".into(), json!(dev));
    }
    m
}

fn limits_json(limits: &Limits) -> Value {
    let mut m = Map::new();
    if let Some(n) = limits.add_addr_accepted {
        m.insert("add_addr_accepted".into(), json!(n));
    }
    if let Some(n) = limits.subflows {
        m.insert("subflows".into(), json!(n));
    }
    Value::Object(m)
}
