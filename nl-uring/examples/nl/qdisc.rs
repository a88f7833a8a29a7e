//! `nl qdisc ...`: traffic control qdiscs (RTM_GETQDISC / NEWQDISC / DELQDISC).

use std::io::Write;

use nl_uring::Protocol;
use nl_uring::nl_core::nlmsg::Flags;
use nl_uring::nl_core::route::tc::{
    self, HtbAttrs, Qdisc, QdiscConfig, QdiscOptions, TbfParams, TcAttrs, TcHandle,
};

use crate::transport::Nl;
use serde_json::{Map, Value, json};

use crate::Fail;
use crate::link::index_of;
use crate::neigh::{link_names, name_of};

/// Runs `nl qdisc ARGS`.
pub(crate) fn run(out: &mut impl Write, args: &[&str], json: bool) -> Result<(), Fail> {
    match args {
        ["show"] => show(out, None, json),
        ["show", "dev", name] => show(out, Some(name), json),
        ["add", "dev", dev, rest @ ..] => add(dev, rest),
        ["del" | "delete", "dev", dev, rest @ ..] => del(dev, rest),
        _ => Err(Fail::Usage),
    }
}

/// One qdisc kept as the kernel sent it.
struct Owned(u16, Vec<u8>);

fn show(out: &mut impl Write, dev: Option<&str>, json: bool) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    socket.set_strict_check(true)?;
    let names = link_names(&mut socket)?;
    let ifindex = match dev {
        Some(d) => Some(index_of(&mut socket, d)?),
        None => None,
    };
    let mut buf = [0u8; 64];
    let request = tc::dump(&mut buf, socket.next_seq(), false)?;
    let mut qdiscs = Vec::new();
    socket.try_dump(request, Some(tc::layout()), |m| {
        Qdisc::parse(&m)?;
        qdiscs.push(Owned(m.ty(), m.payload().to_vec()));
        Ok::<(), Fail>(())
    })?;
    let mut rows = Vec::new();
    for owned in &qdiscs {
        let q = Qdisc::parse_payload(owned.0, &owned.1)?;
        // The kernel dumps every device; `tc qdisc show dev X` filters here.
        if ifindex.is_some_and(|i| i != q.ifindex()) {
            continue;
        }
        let name = name_of(&names, i64::from(q.ifindex()));
        if json {
            rows.push(Value::Object(to_json(&q, &name)?));
        } else {
            let mut line = String::new();
            q.write_text(&mut line, Some(&name))
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

/// The keys `tc -j -s qdisc show` prints for one qdisc.
fn to_json(q: &Qdisc<'_>, dev: &str) -> Result<Map<String, Value>, Fail> {
    let mut m = Map::new();
    m.insert("kind".into(), json!(q.kind().to_string()));
    // `tc` prints a qdisc's handle as its major number alone (`0:`, `1:`).
    m.insert("handle".into(), json!(format!("{:x}:", q.handle().major())));
    m.insert("dev".into(), json!(dev));
    match q.parent() {
        TcHandle::ROOT => {
            m.insert("root".into(), json!(true));
        }
        TcHandle::UNSPEC => {}
        parent => {
            m.insert("parent".into(), json!(parent.to_string()));
        }
    }
    if q.refcnt() != 1 {
        m.insert("refcnt".into(), json!(q.refcnt()));
    }
    if q.attrs.get(TcAttrs::HW_OFFLOAD).is_some_and(|v| v != 0) {
        m.insert("offloaded".into(), json!(true));
    }
    let mut options = Map::new();
    match q.options()? {
        QdiscOptions::Htb(htb) => {
            if let Some(init) = htb.get(HtbAttrs::INIT) {
                options.insert("r2q".into(), json!(init.rate2quantum.get()));
                options.insert("default".into(), json!(format!("{:#x}", init.defcls.get())));
                options.insert("direct_packets_stat".into(), json!(init.direct_pkts.get()));
            }
            if let Some(qlen) = htb.get(HtbAttrs::DIRECT_QLEN) {
                options.insert("direct_qlen".into(), json!(qlen));
            }
            if htb.has(HtbAttrs::OFFLOAD) {
                options.insert("offload".into(), json!(true));
            }
        }
        QdiscOptions::Tbf(tbf) => {
            if let Some(t) = TbfParams::from_attrs(&tbf) {
                options.insert("rate".into(), json!(t.rate));
                options.insert("burst".into(), json!(t.burst));
                match t.latency_us {
                    Some(lat) => options.insert("lat".into(), json!(lat)),
                    None => options.insert("limit".into(), json!(t.limit)),
                };
            }
        }
        QdiscOptions::Fifo(fifo) => {
            options.insert("limit".into(), json!(fifo.limit.get()));
        }
        QdiscOptions::None | QdiscOptions::Raw(_) => {}
    }
    m.insert("options".into(), Value::Object(options));
    if let Some(s) = q.stats()? {
        m.insert("bytes".into(), json!(s.bytes));
        m.insert("packets".into(), json!(s.packets));
        m.insert("drops".into(), json!(s.drops));
        m.insert("overlimits".into(), json!(s.overlimits));
        m.insert("requeues".into(), json!(s.requeues));
        m.insert("backlog".into(), json!(s.backlog));
        m.insert("qlen".into(), json!(s.qlen));
    }
    Ok(m)
}

fn handle(text: &str) -> Result<TcHandle, Fail> {
    let (major, minor) = text.split_once(':').ok_or(Fail::Usage)?;
    let hex = |s: &str| -> Result<u16, Fail> {
        if s.is_empty() {
            Ok(0)
        } else {
            u16::from_str_radix(s, 16).map_err(|_| Fail::Usage)
        }
    };
    Ok(TcHandle::new(hex(major)?, hex(minor)?))
}

/// `1mbit`, `125000` (bytes/s), `8kbit`… into bytes per second.
fn rate(text: &str) -> Result<u64, Fail> {
    let lower = text.to_ascii_lowercase();
    for (suffix, bits) in [
        ("gbit", 1_000_000_000u64),
        ("mbit", 1_000_000),
        ("kbit", 1_000),
        ("bit", 1),
    ] {
        if let Some(n) = lower.strip_suffix(suffix) {
            let n: u64 = n.parse().map_err(|_| Fail::Usage)?;
            return Ok(n * bits / 8);
        }
    }
    lower.parse().map_err(|_| Fail::Usage)
}

/// `32k`, `1m`, `1500` (bytes).
fn size(text: &str) -> Result<u32, Fail> {
    let lower = text.to_ascii_lowercase();
    let lower = lower.trim_end_matches('b');
    let (n, mult) = match lower.strip_suffix('k') {
        Some(n) => (n, 1024),
        None => match lower.strip_suffix('m') {
            Some(n) => (n, 1024 * 1024),
            None => (lower, 1),
        },
    };
    let n: u32 = n.parse().map_err(|_| Fail::Usage)?;
    n.checked_mul(mult).ok_or(Fail::Usage)
}

/// `[root|ingress|parent H] [handle H]`: the parent and handle; the rest.
fn place<'a>(mut args: &'a [&'a str]) -> Result<(TcHandle, TcHandle, &'a [&'a str]), Fail> {
    let mut parent = TcHandle::ROOT;
    let mut own = TcHandle::UNSPEC;
    loop {
        match args {
            ["root", rest @ ..] => {
                parent = TcHandle::ROOT;
                args = rest;
            }
            ["ingress", rest @ ..] => {
                parent = TcHandle::INGRESS;
                own = TcHandle::new(0xffff, 0);
                args = rest;
            }
            ["parent", h, rest @ ..] => {
                parent = handle(h)?;
                args = rest;
            }
            ["handle", h, rest @ ..] => {
                own = handle(h)?;
                args = rest;
            }
            _ => return Ok((parent, own, args)),
        }
    }
}

fn add(dev: &str, args: &[&str]) -> Result<(), Fail> {
    let (parent, own, rest) = place(args)?;
    let config = match rest {
        [] if parent == TcHandle::INGRESS => QdiscConfig::Ingress,
        ["htb", opts @ ..] => {
            let mut default = 0;
            let mut r2q = 10;
            let mut direct_qlen = None;
            let mut o = opts;
            while let [key, value, more @ ..] = o {
                match *key {
                    "default" => {
                        default = u32::from_str_radix(value, 16).map_err(|_| Fail::Usage)?
                    }
                    "r2q" => r2q = value.parse().map_err(|_| Fail::Usage)?,
                    "direct_qlen" => direct_qlen = Some(value.parse().map_err(|_| Fail::Usage)?),
                    _ => return Err(Fail::Usage),
                }
                o = more;
            }
            if !o.is_empty() {
                return Err(Fail::Usage);
            }
            QdiscConfig::Htb {
                default,
                r2q,
                direct_qlen,
            }
        }
        ["tbf", "rate", r, "burst", b, "limit", l] => QdiscConfig::Tbf {
            rate: rate(r)?,
            burst: size(b)?,
            limit: size(l)?,
        },
        ["pfifo", "limit", n] => QdiscConfig::Pfifo {
            limit: n.parse().map_err(|_| Fail::Usage)?,
        },
        ["bfifo", "limit", n] => QdiscConfig::Bfifo { limit: size(n)? },
        _ => return Err(Fail::Usage),
    };
    let mut socket = Nl::open(Protocol::Route)?;
    let ifindex = index_of(&mut socket, dev)?.unsigned_abs();
    let mut buf = [0u8; 256];
    let request = tc::new_qdisc(
        &mut buf,
        socket.next_seq(),
        Flags::CREATE | Flags::EXCL,
        ifindex,
        own,
        parent,
        &config,
    )?;
    socket.request(request, Some(tc::layout()))?;
    Ok(())
}

fn del(dev: &str, args: &[&str]) -> Result<(), Fail> {
    let (parent, own, rest) = place(args)?;
    if !rest.is_empty() {
        return Err(Fail::Usage);
    }
    let mut socket = Nl::open(Protocol::Route)?;
    let ifindex = index_of(&mut socket, dev)?.unsigned_abs();
    let mut buf = [0u8; 64];
    let request = tc::del_qdisc(&mut buf, socket.next_seq(), ifindex, own, parent)?;
    socket.request(request, Some(tc::layout()))?;
    Ok(())
}
