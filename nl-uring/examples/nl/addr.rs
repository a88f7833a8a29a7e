//! `nl addr ...`: interface addresses (RTM_GETADDR / NEWADDR / DELADDR).

use std::io::Write;
use std::net::IpAddr;

use nl_uring::Protocol;
use nl_uring::nl_core::nlmsg::Flags;
use nl_uring::nl_core::route::AddressFamily;
use nl_uring::nl_core::route::addr::{self, Addr, AddrSpec, FOREVER};

use crate::transport::Nl;
use serde_json::{Map, Value, json};

use crate::Fail;
use crate::link::{Names, dump_all, index_of, to_json, write_text};

/// Runs `nl addr ARGS`.
pub(crate) fn run(out: &mut impl Write, args: &[&str], json: bool) -> Result<(), Fail> {
    match args {
        ["show"] => show(out, None, json),
        ["show", "dev", name] | ["show", name] => show(out, Some(name), json),
        ["add", prefix, "dev", name] => change(prefix, name, true),
        ["del" | "delete", prefix, "dev", name] => change(prefix, name, false),
        _ => Err(Fail::Usage),
    }
}

/// One address of a dump, kept as the kernel sent it.
struct Owned(u16, Vec<u8>);

fn dump(socket: &mut Nl, index: Option<u32>) -> Result<Vec<Owned>, Fail> {
    socket.set_strict_check(true)?;
    let mut buf = [0u8; 32];
    let request = addr::dump_addrs(&mut buf, socket.next_seq(), AddressFamily::Unspec, index)?;
    let mut addrs = Vec::new();
    socket.try_dump(request, Some(addr::layout()), |m| {
        Addr::parse(&m)?;
        addrs.push(Owned(m.ty(), m.payload().to_vec()));
        Ok::<(), Fail>(())
    })?;
    Ok(addrs)
}

fn view(owned: &Owned) -> Result<Addr<'_>, Fail> {
    Ok(Addr::parse_payload(owned.0, &owned.1)?)
}

fn lifetime(secs: u32) -> String {
    if secs == FOREVER {
        "forever".to_owned()
    } else {
        format!("{secs}sec")
    }
}

/// The keys `ip -j addr show` prints for one address.
pub(crate) fn addr_json(a: &Addr<'_>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("family".into(), json!(a.family().to_string()));
    if let Some(local) = a.local() {
        m.insert("local".into(), json!(local.to_string()));
    }
    if let Some(peer) = a.peer() {
        m.insert("address".into(), json!(peer.to_string()));
    }
    m.insert("prefixlen".into(), json!(a.prefixlen()));
    if let Some(brd) = a.broadcast() {
        m.insert("broadcast".into(), json!(brd.to_string()));
    }
    m.insert("scope".into(), json!(a.scope().to_string()));
    for name in a.flags().ip_names(a.family()) {
        m.insert(name.into(), json!(true));
    }
    if let Some(label) = a.label() {
        m.insert("label".into(), json!(label.to_string()));
    }
    if let Some(ci) = a.cacheinfo() {
        m.insert("valid_life_time".into(), json!(ci.valid.get()));
        m.insert("preferred_life_time".into(), json!(ci.preferred.get()));
    }
    m
}

fn show(out: &mut impl Write, dev: Option<&str>, json: bool) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    let index = match dev {
        Some(d) => Some(index_of(&mut socket, d)?.unsigned_abs()),
        None => None,
    };
    let links = dump_all(&mut socket)?;
    let names = Names::of(&links)?;
    let addrs = dump(&mut socket, index)?;
    let mut rows = Vec::new();
    for owned in &links {
        let l = owned.view()?;
        if index.is_some_and(|i| i64::from(i) != i64::from(l.index())) {
            continue;
        }
        let mut mine = Vec::new();
        for a in &addrs {
            let a = view(a)?;
            if i64::from(a.index()) == i64::from(l.index()) {
                mine.push(a);
            }
        }
        if json {
            let mut m = to_json(&l, &names)?;
            let list: Vec<Value> = mine.iter().map(|a| Value::Object(addr_json(a))).collect();
            m.insert("addr_info".into(), Value::Array(list));
            rows.push(Value::Object(m));
            continue;
        }
        write_text(out, &l, &names, false)?;
        writeln!(out)?;
        for a in &mine {
            write!(
                out,
                "    {} {}",
                a.family(),
                a.local().map(|x| x.to_string()).unwrap_or_default()
            )?;
            match a.peer() {
                Some(peer) => write!(out, " peer {peer}/{}", a.prefixlen())?,
                None => write!(out, "/{}", a.prefixlen())?,
            }
            if let Some(brd) = a.broadcast() {
                write!(out, " brd {brd}")?;
            }
            // As ip: each word after the scope ends with a space, the label does not.
            write!(out, " scope {} ", a.scope())?;
            for name in a.flags().ip_names(a.family()) {
                write!(out, "{name} ")?;
            }
            if let Some(label) = a.label() {
                write!(out, "{label}")?;
            }
            writeln!(out)?;
            if let Some(ci) = a.cacheinfo() {
                writeln!(
                    out,
                    "       valid_lft {} preferred_lft {}",
                    lifetime(ci.valid.get()),
                    lifetime(ci.preferred.get())
                )?;
            }
        }
    }
    if json {
        serde_json::to_writer(&mut *out, &Value::Array(rows)).map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}

fn change(prefix: &str, dev: &str, add: bool) -> Result<(), Fail> {
    let (address, len) = prefix.split_once('/').ok_or(Fail::Usage)?;
    let local: IpAddr = address.parse().map_err(|_| Fail::Usage)?;
    let prefixlen: u8 = len.parse().map_err(|_| Fail::Usage)?;
    let mut socket = Nl::open(Protocol::Route)?;
    let index = index_of(&mut socket, dev)?.unsigned_abs();
    let spec = AddrSpec::new(index, local, prefixlen);
    let mut buf = [0u8; 128];
    let seq = socket.next_seq();
    let request = if add {
        addr::new_addr(&mut buf, seq, Flags::CREATE | Flags::EXCL, &spec)?
    } else {
        addr::del_addr(&mut buf, seq, &spec)?
    };
    socket.request(request, Some(addr::layout()))?;
    Ok(())
}
