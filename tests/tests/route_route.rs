//! Routes on a private netns with a veth pair: what nl decodes equals
//! `ip -j route show table all` (IPv4 and IPv6) field by field; routes
//! created with nl's requests read back equal through `ip -j`; a table of
//! 100k routes is dumped complete.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use nl_core::nlmsg::Flags;
use nl_core::route::AddressFamily;
use nl_core::route::route::metrics::{self, MetricAttrs};
use nl_core::route::route::{
    CacheFlags, DumpFilter, MetricsSpec, NextHopSpec, Route, RouteFlags, RouteProtocol, RouteQuery,
    RouteScope, RouteSpec, RouteTable, RouteType, del_route, dump_routes, get_route, new_route,
};
use nl_tests::{ip_batch, netns_or_skip, run, run_ok};
use nl_uring::{Error, Protocol, Socket};
use serde_json::{Map, Value, json};

fn ip(args: &[&str]) {
    run_ok("ip", args);
}

/// A veth pair `v0`/`v1`, up, with IPv4 and IPv6 addresses on both ends.
fn setup_links() {
    ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"]);
    for dev in ["lo", "v0", "v1"] {
        ip(&["link", "set", dev, "up"]);
    }
    ip(&["addr", "add", "10.0.0.1/24", "dev", "v0"]);
    ip(&["addr", "add", "10.1.0.1/24", "dev", "v1"]);
    ip(&["-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"]);
    ip(&[
        "-6",
        "addr",
        "add",
        "2001:db8:1::1/64",
        "dev",
        "v1",
        "nodad",
    ]);
}

/// Interface index → name, from `ip -j link show`.
fn link_names() -> HashMap<u32, String> {
    let links: Value = serde_json::from_str(&run_ok("ip", &["-j", "link", "show"])).unwrap();
    links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                u32::try_from(l["ifindex"].as_u64().unwrap()).unwrap(),
                l["ifname"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn index_of(names: &HashMap<u32, String>, name: &str) -> u32 {
    *names.iter().find(|(_, n)| *n == name).unwrap().0
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

fn flags(f: RouteFlags) -> Value {
    Value::Array(f.names().map(|n| json!(n)).collect())
}

/// The fields `ip -j route show table all` prints for a route, from nl's
/// decoded view (keys as `ip` names them).
fn as_ip_json(r: &Route<'_>, names: &HashMap<u32, String>) -> Value {
    let mut o = Map::new();
    if r.kind() != RouteType::Unicast {
        o.insert("type".into(), json!(r.kind().to_string()));
    }
    o.insert("dst".into(), json!(prefix(r.dst(), r.dst_len())));
    if r.src().is_some() {
        o.insert("from".into(), json!(prefix(r.src(), r.src_len())));
    }
    if let Some(gw) = r.gateway() {
        o.insert("gateway".into(), json!(gw.to_string()));
    }
    if let Some(via) = r.via() {
        let via = via.unwrap();
        o.insert(
            "via".into(),
            json!({"family": via.address_family().to_string(), "host": via.ip().unwrap().to_string()}),
        );
    }
    if let Some(oif) = r.oif() {
        o.insert("dev".into(), json!(names[&oif]));
    }
    if r.table() != RouteTable::Main {
        o.insert("table".into(), json!(r.table().to_string()));
    }
    if r.protocol() != RouteProtocol::Boot {
        o.insert("protocol".into(), json!(r.protocol().to_string()));
    }
    if r.scope() != RouteScope::Universe {
        o.insert("scope".into(), json!(r.scope().to_string()));
    }
    if let Some(prefsrc) = r.prefsrc() {
        o.insert("prefsrc".into(), json!(prefsrc.to_string()));
    }
    if let Some(metric) = r.priority() {
        o.insert("metric".into(), json!(metric));
    }
    o.insert("flags".into(), flags(r.flags()));
    if let Some(pref) = r.pref() {
        o.insert("pref".into(), json!(pref.to_string()));
    }
    if let Some(m) = r.metrics() {
        let m = m.unwrap();
        let mut mo = Map::new();
        for (ty, value) in m.values() {
            let name = metrics::IP_NAMES.iter().find(|(t, _)| *t == ty).unwrap().1;
            mo.insert(name.into(), json!(value));
        }
        if let Some(algo) = m.cc_algo() {
            mo.insert("congestion".into(), json!(algo.to_string()));
        }
        o.insert("metrics".into(), json!([mo]));
    }
    let hops: Vec<Value> = r
        .multipath()
        .map(|h| {
            let h = h.unwrap();
            let mut ho = Map::new();
            if let Some(gw) = h.gateway() {
                ho.insert("gateway".into(), json!(gw.to_string()));
            }
            ho.insert("dev".into(), json!(names[&h.ifindex]));
            ho.insert("weight".into(), json!(h.weight()));
            ho.insert("flags".into(), flags(h.flags));
            Value::Object(ho)
        })
        .collect();
    if !hops.is_empty() {
        o.insert("nexthops".into(), Value::Array(hops));
    }
    Value::Object(o)
}

/// Every route of `family` in every table, through a strict-check socket.
fn dump(socket: &mut Socket, filter: &DumpFilter, mut f: impl FnMut(&Route<'_>)) -> usize {
    let mut buf = [0u8; 64];
    let request = dump_routes(&mut buf, socket.next_seq(), filter).unwrap();
    let mut n = 0;
    socket
        .try_dump(request, Some(Route::layout()), |m| {
            let route = Route::parse(&m)?;
            assert_eq!(route.attrs.unknown(), 0, "{route}");
            if !route.flags().contains(RouteFlags::CLONED) {
                f(&route);
                n += 1;
            }
            Ok::<(), Error>(())
        })
        .unwrap();
    n
}

fn ip_routes(family: &str) -> Vec<Value> {
    let text = run_ok("ip", &[family, "-j", "route", "show", "table", "all"]);
    serde_json::from_str::<Vec<Value>>(&text).unwrap()
}

fn check_against_ip(socket: &mut Socket) -> (Vec<Value>, Vec<Value>) {
    let names = link_names();
    let mut results = Vec::new();
    for (family, flag) in [(AddressFamily::Inet, "-4"), (AddressFamily::Inet6, "-6")] {
        let mut ours = Vec::new();
        dump(socket, &DumpFilter::family(family), |r| {
            ours.push(as_ip_json(r, &names));
        });
        let theirs = ip_routes(flag);
        assert_eq!(ours.len(), theirs.len(), "{family}: {ours:#?}\n{theirs:#?}");
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(a, b);
        }
        results.push(ours);
    }
    let v6 = results.pop().unwrap();
    let v4 = results.pop().unwrap();
    (v4, v6)
}

fn find<'v>(routes: &'v [Value], dst: &str, table: Option<&str>) -> &'v Value {
    routes
        .iter()
        .find(|r| r["dst"] == dst && r.get("table").and_then(Value::as_str) == table)
        .unwrap_or_else(|| panic!("{dst} (table {table:?}) missing from {routes:#?}"))
}

#[test]
fn routes_built_by_ip_decode_like_ip_shows_them() {
    netns_or_skip!();
    setup_links();
    for args in [
        "route add 192.0.2.0/24 via 10.0.0.2 dev v0 table 1000 metric 7 proto static",
        "route add 192.0.2.0/25 via 10.1.0.2 dev v1 table 100 proto bgp",
        "route add 198.51.100.0/24 proto 188 mtu lock 1400 advmss 1300 congctl cubic nexthop via 10.0.0.2 dev v0 weight 1 nexthop via 10.1.0.2 dev v1 weight 3",
        "route add 192.0.3.0/24 via 10.9.9.9 dev v0 onlink",
        "route add blackhole 203.0.113.0/24",
        "route add unreachable 203.0.114.0/24 table 300",
        "route add prohibit 203.0.115.0/24 metric 9",
        "route add default via 10.0.0.254 dev v0 table 70000",
        "-6 route add 2001:db8:5::/48 nexthop via 2001:db8::2 dev v0 weight 2 nexthop via 2001:db8:1::2 dev v1",
        "-6 route add 2001:db8:6::/48 via 2001:db8::2 dev v0 metric 100 table 5000 mtu 1300 hoplimit 9",
        "-6 route add blackhole 2001:db8:7::/48",
        "-6 route add 2001:db8:9::/48 from 2001:db8::/64 dev v0",
        "route add 192.0.9.0/24 via inet6 fe80::1 dev v0",
    ] {
        ip(&args.split(' ').collect::<Vec<_>>());
    }
    let mut socket = Socket::open(Protocol::Route).unwrap();
    socket.set_strict_check(true).unwrap();
    let (v4, v6) = check_against_ip(&mut socket);
    // The values themselves, besides being equal to ip's.
    let r = find(&v4, "192.0.2.0/24", Some("1000"));
    assert_eq!(r["gateway"], "10.0.0.2");
    assert_eq!(r["metric"], 7);
    let r = find(&v4, "198.51.100.0/24", None);
    assert_eq!(r["protocol"], "ospf");
    assert_eq!(
        r["metrics"],
        json!([{"mtu": 1400, "advmss": 1300, "congestion": "cubic"}])
    );
    assert_eq!(r["nexthops"][1]["weight"], 3);
    assert_eq!(find(&v4, "192.0.3.0/24", None)["flags"], json!(["onlink"]));
    assert_eq!(find(&v4, "default", Some("70000"))["gateway"], "10.0.0.254");
    assert_eq!(
        find(&v4, "203.0.114.0/24", Some("300"))["type"],
        "unreachable"
    );
    assert_eq!(
        find(&v6, "2001:db8:5::/48", None)["nexthops"][0]["weight"],
        2
    );
    assert_eq!(find(&v6, "2001:db8:9::/48", None)["from"], "2001:db8::/64");
    assert_eq!(
        find(&v4, "192.0.9.0/24", None)["via"],
        json!({"family": "inet6", "host": "fe80::1"})
    );
    assert_eq!(
        find(&v6, "2001:db8:6::/48", Some("5000"))["metrics"],
        json!([{"mtu": 1300, "hoplimit": 9}])
    );
}

#[test]
fn strict_check_filters_apply() {
    netns_or_skip!();
    setup_links();
    ip(&[
        "route",
        "add",
        "192.0.2.0/24",
        "via",
        "10.0.0.2",
        "table",
        "1000",
        "proto",
        "static",
    ]);
    ip(&[
        "route",
        "add",
        "192.0.3.0/24",
        "via",
        "10.1.0.2",
        "table",
        "1000",
    ]);
    ip(&["route", "add", "blackhole", "192.0.4.0/24", "table", "1000"]);
    let names = link_names();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    socket.set_strict_check(true).unwrap();
    let base = DumpFilter::family(AddressFamily::Inet);
    let mut dsts = Vec::new();
    let table = DumpFilter {
        table: Some(1000),
        ..base
    };
    dump(&mut socket, &table, |r| {
        dsts.push(prefix(r.dst(), r.dst_len()))
    });
    assert_eq!(dsts, ["192.0.2.0/24", "192.0.3.0/24", "192.0.4.0/24"]);
    dsts.clear();
    let static_only = DumpFilter {
        protocol: Some(RouteProtocol::Static),
        ..table
    };
    dump(&mut socket, &static_only, |r| {
        dsts.push(prefix(r.dst(), r.dst_len()))
    });
    assert_eq!(dsts, ["192.0.2.0/24"]);
    dsts.clear();
    let blackholes = DumpFilter {
        kind: Some(RouteType::Blackhole),
        ..table
    };
    dump(&mut socket, &blackholes, |r| {
        dsts.push(prefix(r.dst(), r.dst_len()))
    });
    assert_eq!(dsts, ["192.0.4.0/24"]);
    dsts.clear();
    let via_v1 = DumpFilter {
        oif: Some(index_of(&names, "v1")),
        ..table
    };
    dump(&mut socket, &via_v1, |r| {
        dsts.push(prefix(r.dst(), r.dst_len()))
    });
    assert_eq!(dsts, ["192.0.3.0/24"]);
}

fn request(socket: &mut Socket, bytes: &[u8]) -> Result<(), Error> {
    socket.request(bytes, Some(Route::layout())).map(|_| ())
}

#[test]
fn routes_built_by_nl_read_back_through_ip() {
    netns_or_skip!();
    setup_links();
    let names = link_names();
    let (v0, v1) = (index_of(&names, "v0"), index_of(&names, "v1"));
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let mut buf = vec![0u8; 1024];
    let add = Flags::CREATE | Flags::EXCL;
    let ipv4 = |s: &str| Some(s.parse::<IpAddr>().unwrap());

    let table_1000 = RouteSpec {
        dst: ipv4("192.0.2.0"),
        dst_len: 24,
        gateway: ipv4("10.0.0.2"),
        oif: Some(v0),
        table: 1000,
        priority: Some(7),
        protocol: RouteProtocol::Static,
        ..RouteSpec::new(AddressFamily::Inet)
    };
    let seq = socket.next_seq();
    request(
        &mut socket,
        new_route(&mut buf, seq, add, &table_1000).unwrap(),
    )
    .unwrap();
    // The same again with EXCL: the kernel refuses it.
    let seq = socket.next_seq();
    match request(
        &mut socket,
        new_route(&mut buf, seq, add, &table_1000).unwrap(),
    ) {
        Err(Error::Kernel(k)) => assert_eq!(k.errno.name(), Some("EEXIST")),
        other => panic!("{other:?}"),
    }
    // REPLACE changes the gateway.
    let replaced = RouteSpec {
        gateway: ipv4("10.0.0.3"),
        ..table_1000
    };
    let seq = socket.next_seq();
    let flags = Flags::CREATE | Flags::REPLACE;
    request(
        &mut socket,
        new_route(&mut buf, seq, flags, &replaced).unwrap(),
    )
    .unwrap();

    let hops = [
        NextHopSpec {
            gateway: ipv4("10.0.0.2"),
            ifindex: v0,
            weight: 1,
            flags: 0,
        },
        NextHopSpec {
            gateway: ipv4("10.1.0.2"),
            ifindex: v1,
            weight: 3,
            flags: 0,
        },
    ];
    let multipath = RouteSpec {
        dst: ipv4("198.51.100.0"),
        dst_len: 24,
        protocol: RouteProtocol::Ospf,
        metrics: MetricsSpec {
            lock: 1 << MetricAttrs::MTU.ty(),
            values: &[
                (MetricAttrs::MTU.ty(), 1400),
                (MetricAttrs::ADVMSS.ty(), 1300),
            ],
            cc_algo: Some("cubic"),
        },
        nexthops: &hops,
        ..RouteSpec::new(AddressFamily::Inet)
    };
    let onlink = RouteSpec {
        dst: ipv4("192.0.3.0"),
        dst_len: 24,
        gateway: ipv4("10.9.9.9"),
        oif: Some(v0),
        flags: RouteFlags::ONLINK,
        ..RouteSpec::new(AddressFamily::Inet)
    };
    let unreachable = RouteSpec {
        dst: ipv4("203.0.114.0"),
        dst_len: 24,
        kind: RouteType::Unreachable,
        table: 300,
        ..RouteSpec::new(AddressFamily::Inet)
    };
    let blackhole = RouteSpec {
        dst: ipv4("203.0.113.0"),
        dst_len: 24,
        kind: RouteType::Blackhole,
        ..RouteSpec::new(AddressFamily::Inet)
    };
    let prohibit = RouteSpec {
        dst: ipv4("203.0.115.0"),
        dst_len: 24,
        kind: RouteType::Prohibit,
        priority: Some(9),
        ..RouteSpec::new(AddressFamily::Inet)
    };
    let hops6 = [
        NextHopSpec {
            gateway: ipv4("2001:db8::2"),
            ifindex: v0,
            weight: 2,
            flags: 0,
        },
        NextHopSpec {
            gateway: ipv4("2001:db8:1::2"),
            ifindex: v1,
            weight: 1,
            flags: 0,
        },
    ];
    let multipath6 = RouteSpec {
        dst: ipv4("2001:db8:5::"),
        dst_len: 48,
        nexthops: &hops6,
        ..RouteSpec::new(AddressFamily::Inet6)
    };
    let table_5000 = RouteSpec {
        dst: ipv4("2001:db8:6::"),
        dst_len: 48,
        gateway: ipv4("2001:db8::2"),
        oif: Some(v0),
        table: 5000,
        priority: Some(100),
        metrics: MetricsSpec {
            lock: 0,
            values: &[(MetricAttrs::MTU.ty(), 1300)],
            cc_algo: None,
        },
        ..RouteSpec::new(AddressFamily::Inet6)
    };
    for spec in [
        multipath,
        onlink,
        unreachable,
        blackhole,
        prohibit,
        multipath6,
        table_5000,
    ] {
        let seq = socket.next_seq();
        request(&mut socket, new_route(&mut buf, seq, add, &spec).unwrap())
            .unwrap_or_else(|e| panic!("{spec:?}: {e}"));
    }
    // APPEND a second IPv6 route to the same prefix with another metric.
    let appended = RouteSpec {
        priority: Some(200),
        ..table_5000
    };
    let seq = socket.next_seq();
    let flags = Flags::CREATE | Flags::APPEND;
    request(
        &mut socket,
        new_route(&mut buf, seq, flags, &appended).unwrap(),
    )
    .unwrap();

    let v4 = ip_routes("-4");
    assert_eq!(
        *find(&v4, "192.0.2.0/24", Some("1000")),
        json!({"dst": "192.0.2.0/24", "gateway": "10.0.0.3", "dev": "v0", "table": "1000",
               "protocol": "static", "metric": 7, "flags": []})
    );
    assert_eq!(
        *find(&v4, "198.51.100.0/24", None),
        json!({"dst": "198.51.100.0/24", "protocol": "ospf", "flags": [],
               "metrics": [{"mtu": 1400, "advmss": 1300, "congestion": "cubic"}],
               "nexthops": [
                   {"gateway": "10.0.0.2", "dev": "v0", "weight": 1, "flags": []},
                   {"gateway": "10.1.0.2", "dev": "v1", "weight": 3, "flags": []}]})
    );
    assert_eq!(
        *find(&v4, "192.0.3.0/24", None),
        json!({"dst": "192.0.3.0/24", "gateway": "10.9.9.9", "dev": "v0", "flags": ["onlink"]})
    );
    assert_eq!(
        *find(&v4, "203.0.114.0/24", Some("300")),
        json!({"type": "unreachable", "dst": "203.0.114.0/24", "table": "300", "flags": []})
    );
    assert_eq!(
        *find(&v4, "203.0.113.0/24", None),
        json!({"type": "blackhole", "dst": "203.0.113.0/24", "flags": []})
    );
    assert_eq!(
        *find(&v4, "203.0.115.0/24", None),
        json!({"type": "prohibit", "dst": "203.0.115.0/24", "metric": 9, "flags": []})
    );
    let v6 = ip_routes("-6");
    assert_eq!(
        *find(&v6, "2001:db8:5::/48", None),
        json!({"dst": "2001:db8:5::/48", "metric": 1024, "flags": [], "pref": "medium",
               "nexthops": [
                   {"gateway": "2001:db8::2", "dev": "v0", "weight": 2, "flags": []},
                   {"gateway": "2001:db8:1::2", "dev": "v1", "weight": 1, "flags": []}]})
    );
    let in_5000: Vec<&Value> = v6
        .iter()
        .filter(|r| r["dst"] == "2001:db8:6::/48")
        .collect();
    assert_eq!(
        in_5000,
        [
            &json!({"dst": "2001:db8:6::/48", "gateway": "2001:db8::2", "dev": "v0",
                    "table": "5000", "metric": 100, "flags": [], "pref": "medium",
                    "metrics": [{"mtu": 1300}]}),
            &json!({"dst": "2001:db8:6::/48", "gateway": "2001:db8::2", "dev": "v0",
                    "table": "5000", "metric": 200, "flags": [], "pref": "medium",
                    "metrics": [{"mtu": 1300}]}),
        ]
    );
    // And nl decodes what it built like ip shows it.
    socket.set_strict_check(true).unwrap();
    check_against_ip(&mut socket);

    // DELROUTE: delete the replaced route, then it is gone; deleting it
    // again is the kernel's ESRCH.
    let del = RouteSpec {
        protocol: RouteProtocol::Unspec,
        scope: RouteScope::Nowhere,
        kind: RouteType::Unspec,
        gateway: None,
        priority: None,
        oif: None,
        ..table_1000
    };
    let seq = socket.next_seq();
    request(&mut socket, del_route(&mut buf, seq, &del).unwrap()).unwrap();
    let v4 = ip_routes("-4");
    assert!(!v4.iter().any(|r| r["dst"] == "192.0.2.0/24"));
    let seq = socket.next_seq();
    match request(&mut socket, del_route(&mut buf, seq, &del).unwrap()) {
        Err(Error::Kernel(k)) => assert_eq!(k.errno.name(), Some("ESRCH")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_table_of_100k_routes_is_dumped_complete() {
    netns_or_skip!();
    setup_links();
    const N: u32 = 100_000;
    // 100k /24s from 20.0.0.0 on, installed by `ip -batch`.
    let prefixes: Vec<String> = (0..N)
        .map(|i| {
            let base = (20u32 << 24) + (i << 8);
            format!("{}/24", std::net::Ipv4Addr::from(base))
        })
        .collect();
    let batch: String = prefixes
        .iter()
        .map(|p| format!("route add {p} dev v0\n"))
        .collect();
    ip_batch(&batch);

    let ip_count = run_ok("ip", &["route", "show"]).lines().count();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    socket.set_strict_check(true).unwrap();
    let filter = DumpFilter {
        table: Some(RouteTable::Main.into()),
        ..DumpFilter::family(AddressFamily::Inet)
    };
    let mut seen = HashSet::with_capacity(prefixes.len() + 8);
    let count = dump(&mut socket, &filter, |r| {
        seen.insert(prefix(r.dst(), r.dst_len()));
    });
    assert!(count >= N as usize, "{count}");
    assert_eq!(count, ip_count);
    assert_eq!(seen.len(), count, "no route twice");
    let missing: Vec<&String> = prefixes.iter().filter(|p| !seen.contains(*p)).collect();
    assert!(
        missing.is_empty(),
        "{} missing, first {:?}",
        missing.len(),
        missing.first()
    );
}

/// One lookup through nl: the type and payload of the single route message
/// the kernel answers with.
fn lookup(socket: &mut Socket, query: &RouteQuery) -> Result<(u16, Vec<u8>), Error> {
    let mut buf = [0u8; 128];
    let request = get_route(&mut buf, socket.next_seq(), query).unwrap();
    let mut replies = Vec::new();
    socket.request_with(request, Some(Route::layout()), |m| {
        replies.push((m.ty(), m.payload().to_vec()));
        Ok::<(), Error>(())
    })?;
    assert_eq!(replies.len(), 1, "one answer per lookup");
    Ok(replies.remove(0))
}

#[test]
fn lookups_answer_like_ip_route_get() {
    netns_or_skip!();
    setup_links();
    ip(&[
        "route",
        "add",
        "10.2.0.0/16",
        "via",
        "10.0.0.254",
        "metric",
        "100",
    ]);
    ip(&[
        "route",
        "add",
        "10.3.0.0/16",
        "via",
        "10.0.0.253",
        "table",
        "300",
    ]);
    ip(&["rule", "add", "fwmark", "7", "table", "300"]);
    let names = link_names();
    let v0 = index_of(&names, "v0");
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let v4 = |a: &str| -> IpAddr { a.parse().unwrap() };
    let queries: [(&[&str], RouteQuery); 6] = [
        (&["10.2.3.4"], RouteQuery::to(v4("10.2.3.4"))),
        (
            &["10.3.3.4", "mark", "7"],
            RouteQuery {
                mark: Some(7),
                ..RouteQuery::to(v4("10.3.3.4"))
            },
        ),
        (
            &["fibmatch", "10.2.3.4"],
            RouteQuery {
                fib_match: true,
                ..RouteQuery::to(v4("10.2.3.4"))
            },
        ),
        (&["10.0.0.1"], RouteQuery::to(v4("10.0.0.1"))),
        (&["10.0.0.255"], RouteQuery::to(v4("10.0.0.255"))),
        (
            &["2001:db8::5", "from", "2001:db8::1", "oif", "v0"],
            RouteQuery {
                src: Some(v4("2001:db8::1")),
                oif: Some(v0),
                ..RouteQuery::to(v4("2001:db8::5"))
            },
        ),
    ];
    for (args, query) in queries {
        let want: Value =
            serde_json::from_str(&run_ok("ip", &[&["-j", "route", "get"], args].concat())).unwrap();
        let want = &want[0];
        let (ty, payload) = lookup(&mut socket, &query).unwrap();
        let route = Route::parse_payload(ty, &payload).unwrap();
        let got_dst = prefix(route.dst(), route.dst_len());
        assert_eq!(want["dst"], got_dst.as_str(), "{args:?}");
        assert_eq!(
            want["dev"],
            names[&route.oif().unwrap()].as_str(),
            "{args:?}"
        );
        assert_eq!(
            want.get("gateway").and_then(Value::as_str),
            route.gateway().map(|g| g.to_string()).as_deref(),
            "{args:?}"
        );
        assert_eq!(
            want.get("prefsrc").and_then(Value::as_str),
            route.prefsrc().map(|p| p.to_string()).as_deref(),
            "{args:?}"
        );
        // ip names the table only when it is not main.
        let table = (route.table() != RouteTable::Main).then(|| route.table().to_string());
        assert_eq!(
            want.get("table").and_then(Value::as_str),
            table.as_deref(),
            "{args:?}"
        );
        assert_eq!(
            want.get("mark").and_then(Value::as_u64),
            route.mark().map(u64::from),
            "{args:?}"
        );
        assert_eq!(
            want.get("uid").and_then(Value::as_u64),
            route.uid().map(u64::from),
            "{args:?}"
        );
        let cloned = route.flags().contains(RouteFlags::CLONED);
        assert_eq!(
            cloned,
            want.get("cache").is_some(),
            "{args:?}: resolved, not a table entry"
        );
        if cloned {
            let cache: Vec<&str> = CacheFlags::of(route.flags()).names().collect();
            assert_eq!(want["cache"], json!(cache), "{args:?}");
        } else {
            assert_eq!(want["metric"], route.priority().unwrap(), "{args:?}");
        }
    }
    // No route: the kernel's ENETUNREACH, as `ip route get` reports it.
    let err = lookup(&mut socket, &RouteQuery::to(v4("192.0.2.1"))).unwrap_err();
    match err {
        Error::Kernel(k) => assert_eq!(k.errno.name(), Some("ENETUNREACH")),
        other => panic!("{other:?}"),
    }
    assert!(!run("ip", &["route", "get", "192.0.2.1"]).status.success());
}

#[test]
fn expiring_routes_report_their_remaining_seconds_like_ip() {
    netns_or_skip!();
    setup_links();
    ip(&[
        "-6",
        "route",
        "add",
        "2001:db8:5::/64",
        "dev",
        "v0",
        "expires",
        "300",
    ]);
    ip(&[
        "-6",
        "route",
        "add",
        "2001:db8:6::/64",
        "via",
        "2001:db8::2",
        "expires",
        "60",
    ]);
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let mut ours = HashMap::new();
    dump(
        &mut socket,
        &DumpFilter::family(AddressFamily::Inet6),
        |r| {
            ours.insert(prefix(r.dst(), r.dst_len()), r.expires_in());
        },
    );
    let theirs = ip_routes("-6");
    for (dst, set) in [("2001:db8:5::/64", 300), ("2001:db8:6::/64", 60)] {
        let want = find(&theirs, dst, None)["expires"].as_i64().unwrap();
        let got = i64::from(ours[dst].unwrap());
        // Both count down from what was set; the two dumps may straddle a tick.
        assert!(
            (want - got).abs() <= 1 && got <= set && got >= set - 5,
            "{dst}: ip {want}, nl {got}"
        );
    }
    // A route without an expiry has none.
    assert_eq!(ours["2001:db8::/64"], None);
}
