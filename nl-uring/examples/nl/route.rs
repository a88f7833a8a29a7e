//! `nl route ...`: the routing tables (show, get, add, del, replace, append).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::net::IpAddr;

use nl_uring::nl_core::nlmsg::{Flags, Header, Message};
use nl_uring::nl_core::route::route::metrics::{self, MetricAttrs};
use nl_uring::nl_core::route::route::{
    CacheFlags, DumpFilter, MetricsSpec, NextHopSpec, Route, RouteFlags, RouteProtocol, RouteQuery,
    RouteScope, RouteSpec, RouteTable, RouteType, del_route, dump_routes, get_route, new_route,
};
use nl_uring::nl_core::route::{AddressFamily, RTM_GETLINK};
use nl_uring::nl_core::table::{Index, NulStr};
use nl_uring::nl_core::{self, Writer};
use nl_uring::{Error, Protocol};

use crate::transport::Nl;

use crate::Fail;

/// Runs `nl route ARGS`; `json` selects `ip -j` output for `show`.
pub(crate) fn run(out: &mut impl Write, args: &[&str], json: bool) -> Result<(), Fail> {
    // `-4` / `-6` may stand anywhere among the arguments.
    let mut family = AddressFamily::Unspec;
    let args: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| match *a {
            "-4" => {
                family = AddressFamily::Inet;
                false
            }
            "-6" => {
                family = AddressFamily::Inet6;
                false
            }
            _ => true,
        })
        .collect();
    match args.as_slice() {
        [] | ["show" | "list"] => show(out, family, Some(RouteTable::Main.into()), json),
        ["show" | "list", "table", "all"] => show(out, family, None, json),
        ["show" | "list", "table", id] => {
            let table = RouteTable::from_name(id).ok_or(Fail::Usage)?;
            show(out, family, Some(table.into()), json)
        }
        ["add", rest @ ..] => modify(family, Cmd::New(Flags::CREATE | Flags::EXCL), rest),
        ["replace", rest @ ..] => modify(family, Cmd::New(Flags::CREATE | Flags::REPLACE), rest),
        ["append", rest @ ..] => modify(family, Cmd::New(Flags::CREATE | Flags::APPEND), rest),
        ["del" | "delete", rest @ ..] => modify(family, Cmd::Del, rest),
        ["get", rest @ ..] => get(out, rest, json),
        _ => Err(Fail::Usage),
    }
}

fn show(
    out: &mut impl Write,
    family: AddressFamily,
    table: Option<u32>,
    json: bool,
) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    let names = link_names(&mut socket)?;
    socket.set_strict_check(true)?;
    // Like `ip`: one table means IPv4 unless told otherwise; all tables
    // means every family.
    let family = match family {
        AddressFamily::Unspec if table.is_some() => AddressFamily::Inet,
        other => other,
    };
    let filter = DumpFilter {
        table,
        ..DumpFilter::family(family)
    };
    let mut buf = [0u8; 64];
    let request = dump_routes(&mut buf, socket.next_seq(), &filter)?;
    let mut first = true;
    if json {
        out.write_all(b"[")?;
    }
    let result = socket.try_dump(request, Some(Route::layout()), |m: Message<'_>| {
        let route = Route::parse(&m)?;
        // Cache clones are not table entries; the filter is also checked
        // here in case the kernel did not apply it.
        if route.flags().contains(RouteFlags::CLONED)
            || table.is_some_and(|t| t != route.table_id())
        {
            return Ok::<(), Fail>(());
        }
        if json {
            if !first {
                out.write_all(b",")?;
            }
            out.write_all(route_json(&route, &names, table.is_none()).as_bytes())?;
        } else {
            let text =
                route.display_with(|index, f| names.get(&index).map(|name| f.write_str(name)));
            if table.is_some() {
                writeln!(out, "{}", text.without_table())?;
            } else {
                writeln!(out, "{text}")?;
            }
        }
        first = false;
        Ok(())
    });
    match result {
        // A table that does not exist has no routes (as `ip` shows it).
        Err(Fail::Nl(Error::Kernel(k))) if k.errno.0 == libc_enoent() => {}
        other => {
            other?;
        }
    }
    if json {
        out.write_all(b"]\n")?;
    }
    Ok(())
}

const fn libc_enoent() -> i32 {
    2
}

/// `nl route get [fibmatch] ADDR [from ADDR] [iif NAME] [oif NAME] [mark N] [uid N]`:
/// the route the kernel would use, printed as `ip route get` prints it.
fn get(out: &mut impl Write, args: &[&str], json: bool) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    let names = link_names(&mut socket)?;
    let (fib_match, args) = match args {
        ["fibmatch", rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    let [dst, options @ ..] = args else {
        return Err(Fail::Usage);
    };
    let mut query = RouteQuery {
        fib_match,
        ..RouteQuery::to(dst.parse().map_err(|_| Fail::Usage)?)
    };
    let mut words = options.iter();
    while let Some(word) = words.next() {
        let value = words.next();
        match *word {
            "from" => query.src = Some(number(value)?),
            "iif" => query.iif = Some(ifindex(&names, value)?),
            "oif" => query.oif = Some(ifindex(&names, value)?),
            "mark" => query.mark = Some(number(value)?),
            "uid" => query.uid = Some(number(value)?),
            _ => return Err(Fail::Usage),
        }
    }
    let mut buf = [0u8; 128];
    let request = get_route(&mut buf, socket.next_seq(), &query)?;
    let mut lines = Vec::new();
    socket.request_with(request, Some(Route::layout()), |m: Message<'_>| {
        let route = Route::parse(&m)?;
        lines.push(if json {
            lookup_json(&route, &names)
        } else {
            lookup_text(&route, &names)
        });
        Ok::<(), Fail>(())
    })?;
    if json {
        writeln!(out, "[{}]", lines.join(","))?;
    } else {
        for line in lines {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// A lookup answer as text: the route line, then `cache` and its flags for
/// a resolved (cloned) route.
fn lookup_text(route: &Route<'_>, names: &HashMap<u32, String>) -> String {
    let mut text = route
        .display_with(|index, f| names.get(&index).map(|name| f.write_str(name)))
        .to_string();
    if route.flags().contains(RouteFlags::CLONED) {
        let cache = CacheFlags::of(route.flags());
        let _ = write!(text, "\n    cache");
        if cache.bits() != 0 {
            let _ = write!(text, " <{cache}>");
        }
    }
    text
}

/// A lookup answer as `ip -j route get` prints it: the route's keys, then
/// `mark`, `uid` and, for a resolved route, `cache`.
fn lookup_json(route: &Route<'_>, names: &HashMap<u32, String>) -> String {
    let mut json = route_json(route, names, true);
    json.pop(); // the closing brace, reopened for the lookup's own keys
    if let Some(mark) = route.mark() {
        let _ = write!(json, ",\"mark\":{mark}");
    }
    if let Some(uid) = route.uid() {
        let _ = write!(json, ",\"uid\":{uid}");
    }
    if route.flags().contains(RouteFlags::CLONED) {
        let cache: Vec<String> = CacheFlags::of(route.flags())
            .names()
            .map(json_str)
            .collect();
        let _ = write!(json, ",\"cache\":[{}]", cache.join(","));
    }
    json.push('}');
    json
}

/// Interface index → name, from an `RTM_GETLINK` dump.
fn link_names(socket: &mut Nl) -> Result<HashMap<u32, String>, Fail> {
    nl_core::attr_set! {
        /// `IFLA_IFNAME` only.
        struct NameAttrs = "link-name" {
            /// `IFLA_IFNAME`.
            3 IFNAME "ifname": NulStr<15>;
        }
    }
    const IFINFOMSG_LEN: usize = 16;
    let mut buf = [0u8; 64];
    let mut w = Writer::new(&mut buf);
    let start = w.begin_message(Header::new(
        RTM_GETLINK,
        Flags::REQUEST | Flags::DUMP,
        socket.next_seq(),
        0,
    ))?;
    w.put_bytes(&[0; IFINFOMSG_LEN])?;
    w.end_message(start)?;
    let mut names = HashMap::new();
    socket.try_dump(w.as_bytes(), None, |m: Message<'_>| {
        let payload = m.payload();
        let index = payload
            .get(4..8)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_ne_bytes)
            .ok_or(nl_core::Error::Truncated)?;
        let attrs = Index::<NameAttrs>::parse(payload.get(IFINFOMSG_LEN..).unwrap_or_default())?;
        if let Some(name) = attrs.get(NameAttrs::IFNAME) {
            names.insert(index, name.to_string());
        }
        Ok::<(), Fail>(())
    })?;
    Ok(names)
}

/// A JSON string literal.
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn prefix(addr: Option<IpAddr>, len: u8) -> String {
    match addr {
        None if len == 0 => "default".to_owned(),
        None => format!("0/{len}"),
        Some(IpAddr::V4(a)) if len == 32 => a.to_string(),
        Some(IpAddr::V6(a)) if len == 128 => a.to_string(),
        Some(a) => format!("{a}/{len}"),
    }
}

fn dev_name(names: &HashMap<u32, String>, index: u32) -> String {
    names
        .get(&index)
        .cloned()
        .unwrap_or_else(|| format!("if{index}"))
}

fn flags_json(flags: RouteFlags) -> String {
    let list: Vec<String> = flags.names().map(json_str).collect();
    format!("[{}]", list.join(","))
}

/// One route as `ip -j route show` prints it (same keys, same order);
/// like `ip`, the table is left out when one table was asked for.
pub(crate) fn route_json(r: &Route<'_>, names: &HashMap<u32, String>, show_table: bool) -> String {
    let mut f: Vec<String> = Vec::new();
    let mut kv = |k: &str, v: String| f.push(format!("{}:{v}", json_str(k)));
    if r.kind() != RouteType::Unicast {
        kv("type", json_str(&r.kind().to_string()));
    }
    kv("dst", json_str(&prefix(r.dst(), r.dst_len())));
    if r.src().is_some() || r.src_len() != 0 {
        kv("from", json_str(&prefix(r.src(), r.src_len())));
    }
    if let Some(gw) = r.gateway() {
        kv("gateway", json_str(&gw.to_string()));
    }
    if let Some(Ok(via)) = r.via() {
        let host = via.ip().map(|ip| ip.to_string()).unwrap_or_default();
        kv(
            "via",
            format!(
                "{{\"family\":{},\"host\":{}}}",
                json_str(&via.address_family().to_string()),
                json_str(&host)
            ),
        );
    }
    if let Some(oif) = r.oif() {
        kv("dev", json_str(&dev_name(names, oif)));
    }
    if show_table && r.table() != RouteTable::Main {
        kv("table", json_str(&r.table().to_string()));
    }
    // A resolved (cloned) route is not a table entry: `ip` prints neither
    // its protocol nor its scope, and reads its high flag bits as cache flags
    // (as `Route`'s Display does).
    let cloned = r.flags().contains(RouteFlags::CLONED);
    if !cloned && r.protocol() != RouteProtocol::Boot {
        kv("protocol", json_str(&r.protocol().to_string()));
    }
    if !cloned && r.scope() != RouteScope::Universe {
        kv("scope", json_str(&r.scope().to_string()));
    }
    if let Some(prefsrc) = r.prefsrc() {
        kv("prefsrc", json_str(&prefsrc.to_string()));
    }
    if let Some(metric) = r.priority() {
        kv("metric", metric.to_string());
    }
    let flags = if cloned {
        RouteFlags(r.flags().0 & 0xffff)
    } else {
        r.flags()
    };
    kv("flags", flags_json(flags));
    if let Some(seconds) = r.expires_in() {
        kv("expires", seconds.to_string());
    }
    if let Some(pref) = r.pref() {
        kv("pref", json_str(&pref.to_string()));
    }
    if let Some(Ok(m)) = r.metrics() {
        let mut items: Vec<String> = Vec::new();
        for (ty, name) in metrics::IP_NAMES {
            if ty == MetricAttrs::CC_ALGO.ty() {
                if let Some(algo) = m.cc_algo() {
                    items.push(format!("\"congestion\":{}", json_str(&algo.to_string())));
                }
            } else if let Some(value) = m.get(ty) {
                items.push(format!("{}:{value}", json_str(name)));
            }
        }
        if !items.is_empty() {
            kv("metrics", format!("[{{{}}}]", items.join(",")));
        }
    }
    let hops: Vec<String> = r
        .multipath()
        .filter_map(Result::ok)
        .map(|hop| {
            let mut h: Vec<String> = Vec::new();
            if let Some(gw) = hop.gateway() {
                h.push(format!("\"gateway\":{}", json_str(&gw.to_string())));
            }
            if hop.ifindex != 0 {
                h.push(format!(
                    "\"dev\":{}",
                    json_str(&dev_name(names, hop.ifindex))
                ));
            }
            h.push(format!("\"weight\":{}", hop.weight()));
            h.push(format!("\"flags\":{}", flags_json(hop.flags)));
            format!("{{{}}}", h.join(","))
        })
        .collect();
    if !hops.is_empty() {
        kv("nexthops", format!("[{}]", hops.join(",")));
    }
    format!("{{{}}}", f.join(","))
}

enum Cmd {
    New(Flags),
    Del,
}

fn parse_prefix(
    s: &str,
    family: AddressFamily,
) -> Result<(Option<IpAddr>, u8, AddressFamily), Fail> {
    if s == "default" {
        let family = match family {
            AddressFamily::Unspec => AddressFamily::Inet,
            f => f,
        };
        return Ok((None, 0, family));
    }
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let addr: IpAddr = addr.parse().map_err(|_| Fail::Usage)?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let len = match len {
        Some(l) => l
            .parse::<u8>()
            .ok()
            .filter(|l| *l <= max)
            .ok_or(Fail::Usage)?,
        None => max,
    };
    let fam = if addr.is_ipv4() {
        AddressFamily::Inet
    } else {
        AddressFamily::Inet6
    };
    if family != AddressFamily::Unspec && family != fam {
        return Err(Fail::Usage);
    }
    Ok((Some(addr), len, fam))
}

fn number<T: std::str::FromStr>(s: Option<&&str>) -> Result<T, Fail> {
    s.and_then(|s| s.parse().ok()).ok_or(Fail::Usage)
}

fn ifindex(names: &HashMap<u32, String>, name: Option<&&str>) -> Result<u32, Fail> {
    let name = name.ok_or(Fail::Usage)?;
    names
        .iter()
        .find(|(_, n)| n == name)
        .map(|(i, _)| *i)
        .ok_or_else(|| {
            Fail::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("cannot find device \"{name}\""),
            ))
        })
}

fn modify(family: AddressFamily, cmd: Cmd, args: &[&str]) -> Result<(), Fail> {
    let mut socket = Nl::open(Protocol::Route)?;
    let names = link_names(&mut socket)?;
    let mut args = args.iter().peekable();
    let mut kind = None;
    if let Some(t) = args.peek().and_then(|a| RouteType::from_name(a)) {
        kind = Some(t);
        args.next();
    }
    let (dst, dst_len, family) = parse_prefix(args.next().ok_or(Fail::Usage)?, family)?;
    let mut spec = RouteSpec {
        dst,
        dst_len,
        ..RouteSpec::new(family)
    };
    let mut scope = None;
    let mut protocol = None;
    let mut values: Vec<(u16, u32)> = Vec::new();
    let mut lock = 0u32;
    let mut cc_algo: Option<&str> = None;
    let mut hops: Vec<NextHopSpec> = Vec::new();
    while let Some(word) = args.next() {
        match *word {
            "via" => spec.gateway = Some(number(args.next())?),
            "dev" | "oif" => spec.oif = Some(ifindex(&names, args.next())?),
            "table" => {
                let t =
                    RouteTable::from_name(args.next().ok_or(Fail::Usage)?).ok_or(Fail::Usage)?;
                spec.table = t.into();
            }
            "metric" | "priority" | "preference" => spec.priority = Some(number(args.next())?),
            "proto" | "protocol" => {
                protocol = Some(
                    RouteProtocol::from_name(args.next().ok_or(Fail::Usage)?).ok_or(Fail::Usage)?,
                );
            }
            "scope" => {
                scope = Some(
                    RouteScope::from_name(args.next().ok_or(Fail::Usage)?).ok_or(Fail::Usage)?,
                );
            }
            "src" => spec.prefsrc = Some(number(args.next())?),
            "onlink" => spec.flags |= RouteFlags::ONLINK,
            "congctl" => {
                if args.peek() == Some(&&"lock") {
                    args.next();
                    lock |= 1 << MetricAttrs::CC_ALGO.ty();
                }
                cc_algo = Some(args.next().ok_or(Fail::Usage)?);
            }
            "nexthop" => {
                let mut hop = NextHopSpec {
                    gateway: None,
                    ifindex: 0,
                    weight: 1,
                    flags: 0,
                };
                while let Some(w) = args.peek() {
                    match **w {
                        "via" => {
                            args.next();
                            hop.gateway = Some(number(args.next())?);
                        }
                        "dev" => {
                            args.next();
                            hop.ifindex = ifindex(&names, args.next())?;
                        }
                        "weight" => {
                            args.next();
                            hop.weight = number(args.next())?;
                            if !(1..=256).contains(&hop.weight) {
                                return Err(Fail::Usage);
                            }
                        }
                        "onlink" => {
                            args.next();
                            hop.flags |= RouteFlags::ONLINK as u8;
                        }
                        _ => break,
                    }
                }
                hops.push(hop);
            }
            other => match metrics::metric_from_name(other) {
                Some(ty) if ty != MetricAttrs::CC_ALGO.ty() => {
                    if args.peek() == Some(&&"lock") {
                        args.next();
                        lock |= 1 << ty;
                    }
                    values.push((ty, number(args.next())?));
                }
                _ => match RouteType::from_name(other) {
                    Some(t) if kind.is_none() => kind = Some(t),
                    _ => return Err(Fail::Usage),
                },
            },
        }
    }
    spec.metrics = MetricsSpec {
        lock,
        values: &values,
        cc_algo,
    };
    spec.nexthops = &hops;
    let (ty, flags) = match cmd {
        Cmd::New(flags) => {
            let kind = kind.unwrap_or(RouteType::Unicast);
            spec.kind = kind;
            spec.protocol = protocol.unwrap_or(RouteProtocol::Boot);
            spec.scope = scope.unwrap_or(match kind {
                RouteType::Local | RouteType::Nat => RouteScope::Host,
                RouteType::Broadcast | RouteType::Multicast | RouteType::Anycast => {
                    RouteScope::Link
                }
                RouteType::Unicast | RouteType::Unspec
                    if spec.gateway.is_none() && hops.is_empty() =>
                {
                    RouteScope::Link
                }
                _ => RouteScope::Universe,
            });
            (true, flags)
        }
        Cmd::Del => {
            spec.kind = kind.unwrap_or(RouteType::Unspec);
            spec.protocol = protocol.unwrap_or(RouteProtocol::Unspec);
            spec.scope = scope.unwrap_or(RouteScope::Nowhere);
            (false, Flags::NONE)
        }
    };
    let mut buf = vec![0u8; 4096];
    let seq = socket.next_seq();
    let request = if ty {
        new_route(&mut buf, seq, flags, &spec)?
    } else {
        del_route(&mut buf, seq, &spec)?
    };
    socket.request(request, Some(Route::layout()))?;
    Ok(())
}
