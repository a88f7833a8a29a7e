//! `nl conntrack ...`: the connection tracking table over ctnetlink, like
//! conntrack-tools' `conntrack -L|-I|-D|-F|-E`, with its flag names.
//!
//! ```text
//! nl [-j] conntrack list [--mark M[/MASK]] [--zone Z] [-f ipv4|ipv6]
//! nl conntrack add -p tcp|udp|icmp|icmpv6 -s SRC -d DST [--sport P --dport P]
//!                  [--icmp-id N --icmp-type T --icmp-code C] -t TIMEOUT
//!                  [--mark M] [--zone Z] [--state ESTABLISHED]
//! nl conntrack del ...the same tuple flags... [--zone Z]
//! nl conntrack flush
//! nl [-j] conntrack monitor
//! ```
//!
//! `list` prints one line per entry as `conntrack -L` does, or with `-j` a
//! JSON array of objects keyed by the spec's attribute names
//! (`tuple-orig`, `status`, `timeout`, `mark`, …); `monitor` prints one
//! line per event, `[NEW]`, `[UPDATE]` or `[DESTROY]` and the entry, or
//! one JSON object per line with `"event"`.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::ops::ControlFlow;

use nl_uring::conntrack::{self, Group};
use nl_uring::nl_core::netfilter::conntrack::{
    Conntrack, ConntrackEvent, ConntrackSpec, DumpFilter, TcpState, Tuple,
};
use nl_uring::{Error, Protocol};
use serde_json::{Map, Value, json};

use crate::Fail;
use crate::transport::Nl;

const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;

/// Runs `nl conntrack ARGS`.
pub(crate) fn run(out: &mut impl Write, args: &[&str], json: bool) -> Result<(), Fail> {
    let mut nl = Nl::open(Protocol::Netfilter)?;
    match args {
        ["list" | "-L", rest @ ..] => list(out, &mut nl, &filter_args(rest)?, json),
        ["add" | "-I", rest @ ..] => {
            let spec = spec_args(rest)?;
            let (ring, socket) = nl.parts();
            Ok(conntrack::create(ring, socket, &spec)?)
        }
        ["del" | "delete" | "-D", rest @ ..] => {
            let flags = TupleFlags::parse(rest)?;
            let orig = flags.tuple()?;
            let (ring, socket) = nl.parts();
            Ok(conntrack::delete(ring, socket, &orig, flags.zone)?)
        }
        ["flush" | "-F"] => {
            let (ring, socket) = nl.parts();
            Ok(conntrack::flush(ring, socket, 0)?)
        }
        ["monitor" | "-E"] => monitor(out, &mut nl, json),
        _ => Err(Fail::Usage),
    }
}

fn number<T: std::str::FromStr>(text: &str) -> Result<T, Fail> {
    text.parse().map_err(|_| Fail::Usage)
}

/// A number in decimal or, with `0x`, hex (as conntrack-tools reads marks).
fn mark_number(text: &str) -> Result<u32, Fail> {
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).map_err(|_| Fail::Usage),
        None => number(text),
    }
}

/// `M[/MASK]`; the mask is all ones when left out.
fn mark_args(text: &str) -> Result<(u32, u32), Fail> {
    match text.split_once('/') {
        Some((mark, mask)) => Ok((mark_number(mark)?, mark_number(mask)?)),
        None => Ok((mark_number(text)?, u32::MAX)),
    }
}

/// `list`'s flags: `--mark M[/MASK]`, `--zone Z`, `-f ipv4|ipv6`.
fn filter_args(mut rest: &[&str]) -> Result<DumpFilter, Fail> {
    let mut filter = DumpFilter::default();
    while let [flag, value, tail @ ..] = rest {
        match *flag {
            "--mark" | "-m" => filter.mark = Some(mark_args(value)?),
            "--zone" | "-w" => filter.zone = Some(number(value)?),
            "-f" | "--family" => {
                filter.family = match *value {
                    "ipv4" => AF_INET,
                    "ipv6" => AF_INET6,
                    _ => return Err(Fail::Usage),
                }
            }
            _ => return Err(Fail::Usage),
        }
        rest = tail;
    }
    if rest.is_empty() {
        Ok(filter)
    } else {
        Err(Fail::Usage)
    }
}

/// The flags that name an entry, and the ones `add` takes besides.
#[derive(Default)]
struct TupleFlags {
    proto: Option<String>,
    src: Option<IpAddr>,
    dst: Option<IpAddr>,
    sport: Option<u16>,
    dport: Option<u16>,
    icmp_id: Option<u16>,
    icmp_type: Option<u8>,
    icmp_code: Option<u8>,
    timeout: Option<u32>,
    mark: Option<u32>,
    zone: Option<u16>,
    state: Option<TcpState>,
}

impl TupleFlags {
    fn parse(mut rest: &[&str]) -> Result<TupleFlags, Fail> {
        let mut flags = TupleFlags::default();
        while let [flag, value, tail @ ..] = rest {
            match *flag {
                "-p" | "--proto" => flags.proto = Some(value.to_ascii_lowercase()),
                "-s" | "--src" | "--orig-src" => flags.src = Some(number(value)?),
                "-d" | "--dst" | "--orig-dst" => flags.dst = Some(number(value)?),
                "--sport" | "--orig-port-src" => flags.sport = Some(number(value)?),
                "--dport" | "--orig-port-dst" => flags.dport = Some(number(value)?),
                "--icmp-id" | "--icmpv6-id" => flags.icmp_id = Some(number(value)?),
                "--icmp-type" | "--icmpv6-type" => flags.icmp_type = Some(number(value)?),
                "--icmp-code" | "--icmpv6-code" => flags.icmp_code = Some(number(value)?),
                "-t" | "--timeout" => flags.timeout = Some(number(value)?),
                "-m" | "--mark" => flags.mark = Some(mark_number(value)?),
                "-w" | "--zone" => flags.zone = Some(number(value)?),
                "--state" => {
                    // conntrack-tools writes SYN_SENT; the spec, syn-sent.
                    let name = value.to_ascii_lowercase().replace('_', "-");
                    flags.state = Some(TcpState::from_name(&name).ok_or(Fail::Usage)?);
                }
                _ => return Err(Fail::Usage),
            }
            rest = tail;
        }
        if rest.is_empty() {
            Ok(flags)
        } else {
            Err(Fail::Usage)
        }
    }

    /// The original tuple the flags name.
    fn tuple(&self) -> Result<Tuple, Fail> {
        let (src, dst) = match (self.src, self.dst) {
            (Some(src), Some(dst)) if src.is_ipv4() == dst.is_ipv4() => (src, dst),
            _ => return Err(Fail::Usage),
        };
        let ports = || -> Result<(SocketAddr, SocketAddr), Fail> {
            match (self.sport, self.dport) {
                (Some(s), Some(d)) => Ok((SocketAddr::new(src, s), SocketAddr::new(dst, d))),
                _ => Err(Fail::Usage),
            }
        };
        Ok(match self.proto.as_deref() {
            Some("tcp" | "6") => {
                let (s, d) = ports()?;
                Tuple::tcp(s, d)
            }
            Some("udp" | "17") => {
                let (s, d) = ports()?;
                Tuple::udp(s, d)
            }
            Some("icmp" | "1" | "icmpv6" | "58") => {
                // An echo request unless told otherwise.
                let echo = if src.is_ipv4() { 8 } else { 128 };
                Tuple::icmp(
                    src,
                    dst,
                    self.icmp_id.unwrap_or(0),
                    self.icmp_type.unwrap_or(echo),
                    self.icmp_code.unwrap_or(0),
                )
            }
            _ => return Err(Fail::Usage),
        })
    }
}

/// `add`'s flags as an entry to create; the timeout is required.
fn spec_args(rest: &[&str]) -> Result<ConntrackSpec<'static>, Fail> {
    let flags = TupleFlags::parse(rest)?;
    let mut spec = ConntrackSpec::new(flags.tuple()?, flags.timeout.ok_or(Fail::Usage)?);
    spec.mark = flags.mark;
    spec.zone = flags.zone;
    spec.tcp_state = flags.state;
    Ok(spec)
}

fn list(out: &mut impl Write, nl: &mut Nl, filter: &DumpFilter, json: bool) -> Result<(), Fail> {
    let mut objects = Vec::new();
    let mut failed = None;
    let (ring, socket) = nl.parts();
    conntrack::dump(ring, socket, filter, |ct| {
        let written = if json {
            entry_json(&ct).map(|o| objects.push(Value::Object(o)))
        } else {
            writeln!(out, "{ct}").map_err(Fail::Io)
        };
        match written {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                failed = Some(e);
                ControlFlow::Break(())
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    if json {
        writeln!(out, "{}", Value::Array(objects))?;
    }
    Ok(())
}

fn monitor(out: &mut impl Write, nl: &mut Nl, json: bool) -> Result<(), Fail> {
    let (ring, socket) = nl.parts();
    conntrack::join_events(socket, &Group::ALL)?;
    if socket.force_recv_queue_size(1 << 20).is_err() {
        socket.set_recv_queue_size(1 << 20)?;
    }
    loop {
        let mut failed = None;
        let result = ring.conntrack_events(socket, None, |event| {
            let written = event_line(&event, json).and_then(|line| {
                out.write_all(line.as_bytes())?;
                out.flush().map_err(Fail::Io)
            });
            match written {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    failed = Some(e);
                    ControlFlow::Break(())
                }
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        match result {
            Err(Error::Overrun) => {
                eprintln!(
                    "nl conntrack monitor: the kernel dropped events (receive queue overrun)"
                );
            }
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
    }
}

/// One event as a line: `[NEW] tcp      6 ...` like `conntrack -E`, or
/// JSON with `"event"`.
pub(crate) fn event_line(event: &ConntrackEvent<'_>, json: bool) -> Result<String, Fail> {
    let (name, ct) = match event {
        ConntrackEvent::New(ct) => ("new", ct),
        ConntrackEvent::Update(ct) => ("update", ct),
        ConntrackEvent::Destroy(ct) => ("destroy", ct),
    };
    if json {
        let mut object = Map::new();
        object.insert("event".into(), json!(name));
        object.extend(entry_json(ct)?);
        let mut line = Value::Object(object).to_string();
        line.push('\n');
        Ok(line)
    } else {
        Ok(format!("[{}] {ct}\n", name.to_ascii_uppercase()))
    }
}

/// A tuple as JSON, keyed by the spec's names (`tuple-ip`, `tuple-proto`
/// flattened into their members).
fn tuple_json(t: &Tuple) -> Value {
    let mut m = Map::new();
    let (src, dst) = if t.src.is_ipv4() {
        ("ip-v4-src", "ip-v4-dst")
    } else {
        ("ip-v6-src", "ip-v6-dst")
    };
    m.insert(src.into(), json!(t.src.to_string()));
    m.insert(dst.into(), json!(t.dst.to_string()));
    m.insert("proto-num".into(), json!(t.proto));
    if let Some(port) = t.src_port {
        m.insert("proto-src-port".into(), json!(port));
    }
    if let Some(port) = t.dst_port {
        m.insert("proto-dst-port".into(), json!(port));
    }
    if let Some(icmp) = t.icmp {
        let prefix = if t.src.is_ipv4() {
            "proto-icmp"
        } else {
            "proto-icmpv6"
        };
        m.insert(format!("{prefix}-id"), json!(icmp.id));
        m.insert(format!("{prefix}-type"), json!(icmp.ty));
        m.insert(format!("{prefix}-code"), json!(icmp.code));
    }
    Value::Object(m)
}

/// An entry as JSON, keyed by the spec's `conntrack-attrs` names.
fn entry_json(ct: &Conntrack<'_>) -> Result<Map<String, Value>, Fail> {
    let mut m = Map::new();
    m.insert("tuple-orig".into(), tuple_json(&ct.orig()?));
    m.insert("tuple-reply".into(), tuple_json(&ct.reply()?));
    let status: Vec<&str> = ct.status().names().collect();
    m.insert("status".into(), json!(status));
    if let Some(state) = ct.tcp_state() {
        m.insert("tcp-state".into(), json!(state.to_string()));
    }
    if let Some(timeout) = ct.timeout() {
        m.insert("timeout".into(), json!(timeout));
    }
    if let Some(mark) = ct.mark() {
        m.insert("mark".into(), json!(mark));
    }
    if let Some(zone) = ct.zone() {
        m.insert("zone".into(), json!(zone));
    }
    if let Some(c) = ct.counters_orig() {
        m.insert(
            "counters-orig".into(),
            json!({"packets": c.packets, "bytes": c.bytes}),
        );
    }
    if let Some(c) = ct.counters_reply() {
        m.insert(
            "counters-reply".into(),
            json!({"packets": c.packets, "bytes": c.bytes}),
        );
    }
    if let Some(use_count) = ct.use_count() {
        m.insert("use".into(), json!(use_count));
    }
    if let Some(id) = ct.id() {
        m.insert("id".into(), json!(id));
    }
    Ok(m)
}
