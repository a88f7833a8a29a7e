//! Policy rules through `nl_core::route::rule` on a private netns: IPv4 and
//! IPv6 rules built with `ip rule` (fwmark/mask, uid range, port ranges,
//! ipproto, iif/oif, priority, tables above 255, `not`, prohibit,
//! blackhole, goto), decoded and compared field by field with
//! `ip -j rule show`; then rules added and deleted with nl and checked
//! with `ip -j`.

use nl_core::nlmsg::Flags;
use nl_core::route::AddressFamily;
use nl_core::route::rule::{self, Rule, RuleAction, RuleFlags, RuleSpec, table};
use nl_tests::{netns_or_skip, run_ok};
use nl_uring::{Error, Protocol, Socket};
use serde_json::{Map, Value, json};

struct Owned(u16, Vec<u8>);

fn socket() -> Socket {
    let socket = Socket::open(Protocol::Route).unwrap();
    socket.set_strict_check(true).unwrap();
    socket
}

fn dump(socket: &mut Socket, family: AddressFamily) -> Vec<Owned> {
    let mut buf = [0u8; 32];
    let request = rule::dump(&mut buf, socket.next_seq(), family).unwrap();
    let mut out = Vec::new();
    socket
        .try_dump(request, Some(rule::layout()), |m| {
            Rule::parse(&m)?;
            out.push(Owned(m.ty(), m.payload().to_vec()));
            Ok::<(), Error>(())
        })
        .unwrap();
    out
}

/// What `ip -j rule show` prints for the rule, built from nl's decode.
fn as_ip_json(r: &Rule<'_>) -> Value {
    let mut m = Map::new();
    let full = if r.family() == AddressFamily::Inet6 {
        128
    } else {
        32
    };
    m.insert("priority".into(), json!(r.priority()));
    if r.flags().contains(RuleFlags::INVERT) {
        m.insert("not".into(), Value::Null);
    }
    match r.src() {
        Some((addr, len)) => {
            m.insert("src".into(), json!(addr.to_string()));
            if len != full {
                m.insert("srclen".into(), json!(len));
            }
        }
        None => {
            m.insert("src".into(), json!("all"));
        }
    }
    if let Some((addr, len)) = r.dst() {
        m.insert("dst".into(), json!(addr.to_string()));
        if len != full {
            m.insert("dstlen".into(), json!(len));
        }
    }
    if let Some((mark, mask)) = r.fwmark() {
        m.insert("fwmark".into(), json!(format!("{mark:#x}")));
        if mask != u32::MAX {
            m.insert("fwmask".into(), json!(format!("{mask:#x}")));
        }
    }
    if let Some(iif) = r.iif() {
        m.insert("iif".into(), json!(iif.to_string()));
    }
    if let Some(oif) = r.oif() {
        m.insert("oif".into(), json!(oif.to_string()));
    }
    if let Some((start, end)) = r.uid_range() {
        m.insert("uid_start".into(), json!(start));
        m.insert("uid_end".into(), json!(end));
    }
    if let Some(p) = r.ip_proto() {
        m.insert("ipproto".into(), json!(rule::ip_proto_name(p).unwrap()));
    }
    for (key, range) in [("sport", r.sport()), ("dport", r.dport())] {
        match range {
            Some((a, b)) if a == b => {
                m.insert(key.into(), json!(a));
            }
            Some((a, b)) => {
                m.insert(format!("{key}_start"), json!(a));
                m.insert(format!("{key}_end"), json!(b));
            }
            None => {}
        }
    }
    let id = r.table();
    if id != 0 {
        let name = table::name(id).map_or_else(|| id.to_string(), str::to_owned);
        m.insert("table".into(), json!(name));
    }
    match r.action() {
        RuleAction::ToTable => {}
        RuleAction::Goto => {
            m.insert("goto".into(), json!(r.goto().unwrap()));
        }
        other => {
            m.insert("action".into(), json!(other.to_string()));
        }
    }
    Value::Object(m)
}

fn ours(socket: &mut Socket, family: AddressFamily) -> Vec<Value> {
    dump(socket, family)
        .iter()
        .map(|o| as_ip_json(&Rule::parse_payload(o.0, &o.1).unwrap()))
        .collect()
}

fn ip_rules(v6: bool) -> Vec<Value> {
    let args: &[&str] = if v6 {
        &["-j", "-6", "rule", "show"]
    } else {
        &["-j", "rule", "show"]
    };
    let all: Value = serde_json::from_str(&run_ok("ip", args)).unwrap();
    all.as_array().unwrap().clone()
}

fn ip_rule(args: &str) {
    let args: Vec<&str> = args.split_whitespace().collect();
    run_ok("ip", &args);
}

#[test]
fn rule_dumps_match_ip_rule_show() {
    netns_or_skip!();
    ip_rule("link add v0 type veth peer name v1");
    ip_rule(
        "rule add pref 100 fwmark 0x10/0xff iif lo uidrange 1000-2000 ipproto tcp sport 1000-2000 dport 80 table 1000",
    );
    ip_rule("rule add pref 110 not from 10.1.0.0/16 oif v0 ipproto udp dport 53-60 table 2000");
    ip_rule("rule add pref 120 fwmark 7 table 300");
    ip_rule("rule add pref 130 to 10.0.0.0/8 prohibit");
    ip_rule("rule add pref 140 from 192.0.2.1 blackhole");
    ip_rule("rule add pref 150 goto 32766");
    ip_rule("-6 rule add pref 200 from 2001:db8::/32 oif v0 table 300");
    ip_rule("-6 rule add pref 210 to 2001:db8:1::1 iif v1 ipproto tcp sport 22 table 70000");
    ip_rule("-6 rule add pref 220 uidrange 0-0 unreachable");
    let mut socket = socket();
    let v4 = ours(&mut socket, AddressFamily::Inet);
    assert_eq!(v4.len(), 9, "{v4:?}");
    assert_eq!(v4, ip_rules(false));
    let v6 = ours(&mut socket, AddressFamily::Inet6);
    assert_eq!(v6.len(), 5, "{v6:?}");
    assert_eq!(v6, ip_rules(true));
    // The header and attributes behind what ip shows.
    let raw = dump(&mut socket, AddressFamily::Inet);
    let r = Rule::parse_payload(raw[1].0, &raw[1].1).unwrap();
    assert_eq!(r.header.table, 252, "RT_TABLE_COMPAT for a table above 255");
    assert_eq!(r.table(), 1000);
    assert_eq!(r.attrs.unknown(), 0);
}

fn request(socket: &mut Socket, build: impl FnOnce(&mut [u8], u32) -> &[u8]) -> Result<(), Error> {
    let mut buf = [0u8; 256];
    let seq = socket.next_seq();
    let msg = build(&mut buf, seq);
    socket.request(msg, Some(rule::layout())).map(|_| ())
}

#[test]
fn rules_created_with_nl_show_in_ip_rule() {
    netns_or_skip!();
    ip_rule("link add v0 type veth peer name v1");
    let mut socket = socket();
    let v4 = RuleSpec {
        priority: Some(100),
        iif: Some("lo"),
        fwmark: Some((0x10, 0xff)),
        uid_range: Some((1000, 2000)),
        ip_proto: Some(6),
        sport: Some((1000, 2000)),
        dport: Some((80, 80)),
        ..RuleSpec::lookup(AddressFamily::Inet, 1000)
    };
    let prohibit = RuleSpec {
        priority: Some(130),
        dst: Some(("10.0.0.0".parse().unwrap(), 8)),
        action: RuleAction::Prohibit,
        table: None,
        invert: true,
        ..RuleSpec::lookup(AddressFamily::Inet, 0)
    };
    let v6 = RuleSpec {
        priority: Some(200),
        src: Some(("2001:db8::".parse().unwrap(), 32)),
        oif: Some("v0"),
        ip_proto: Some(17),
        dport: Some((53, 60)),
        ..RuleSpec::lookup(AddressFamily::Inet6, 70000)
    };
    for spec in [&v4, &prohibit, &v6] {
        request(&mut socket, |b, s| {
            rule::new_rule(b, s, Flags::CREATE | Flags::EXCL, spec).unwrap()
        })
        .unwrap();
    }
    let theirs = ip_rules(false);
    assert_eq!(
        theirs[1],
        json!({"priority": 100, "src": "all", "fwmark": "0x10", "fwmask": "0xff", "iif": "lo",
               "uid_start": 1000, "uid_end": 2000, "ipproto": "tcp", "sport_start": 1000,
               "sport_end": 2000, "dport": 80, "table": "1000"})
    );
    assert_eq!(
        theirs[2],
        json!({"priority": 130, "not": null, "src": "all", "dst": "10.0.0.0", "dstlen": 8,
               "action": "prohibit"})
    );
    assert_eq!(
        ip_rules(true)[1],
        json!({"priority": 200, "src": "2001:db8::", "srclen": 32, "oif": "v0",
               "ipproto": "udp", "dport_start": 53, "dport_end": 60, "table": "70000"})
    );
    // And nl reads back what it wrote, as ip does.
    assert_eq!(ours(&mut socket, AddressFamily::Inet), theirs);
    // Delete with nl: the kernel matches the fields given.
    for spec in [&v4, &prohibit, &v6] {
        request(&mut socket, |b, s| rule::del_rule(b, s, spec).unwrap()).unwrap();
    }
    assert_eq!(ip_rules(false).len(), 3);
    assert_eq!(ip_rules(true).len(), 2);
    let again = request(&mut socket, |b, s| rule::del_rule(b, s, &v4).unwrap());
    let Err(Error::Kernel(k)) = again else {
        panic!("{again:?}")
    };
    assert_eq!(k.errno.name(), Some("ENOENT"));
}

#[test]
fn rule_text_reads_like_ip_rule_show() {
    netns_or_skip!();
    ip_rule("rule add pref 100 fwmark 0x3 table 100 proto bgp");
    ip_rule("rule add pref 101 fwmark 0x4 table 101 proto 77");
    ip_rule("rule add pref 102 not from 10.1.0.0/16 ipproto udp dport 53-60 table 2000");
    let mut socket = socket();
    let ours: Vec<String> = dump(&mut socket, AddressFamily::Inet)
        .iter()
        .map(|o| Rule::parse_payload(o.0, &o.1).unwrap().to_string())
        .collect();
    // `ip` ends each line with a space.
    let ip: Vec<String> = run_ok("ip", &["rule", "show"])
        .lines()
        .map(|l| l.trim_end().to_owned())
        .collect();
    assert_eq!(ours, ip);
}
