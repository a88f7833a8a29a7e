//! Qdiscs through `nl_core::route::tc` on a private netns: htb (with a
//! class), tbf, ingress, pfifo and bfifo built with `tc`, decoded and
//! compared field by field with `tc -j -s qdisc show`; then the same kinds
//! created and deleted with nl and checked with `tc -j`.

use nl_core::nlmsg::Flags;
use nl_core::route::tc::{self, HtbAttrs, Qdisc, QdiscConfig, QdiscOptions, TbfParams, TcHandle};
use nl_tests::{netns_or_skip, run_ok};
use nl_uring::{Error, Protocol, Socket};
use serde_json::{Map, Value, json};

struct Owned(u16, Vec<u8>);

fn socket() -> Socket {
    let socket = Socket::open(Protocol::Route).unwrap();
    socket.set_strict_check(true).unwrap();
    socket
}

fn dump(socket: &mut Socket) -> Vec<Owned> {
    let mut buf = [0u8; 64];
    let request = tc::dump(&mut buf, socket.next_seq(), false).unwrap();
    let mut out = Vec::new();
    socket
        .try_dump(request, Some(tc::layout()), |m| {
            Qdisc::parse(&m)?;
            out.push(Owned(m.ty(), m.payload().to_vec()));
            Ok::<(), Error>(())
        })
        .unwrap();
    out
}

fn ifname(index: i32) -> String {
    let links: Value = serde_json::from_str(&run_ok("ip", &["-j", "link", "show"])).unwrap();
    links
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["ifindex"].as_i64() == Some(i64::from(index)))
        .map(|l| l["ifname"].as_str().unwrap().to_owned())
        .unwrap()
}

fn ifindex(name: &str) -> u32 {
    let links: Value = serde_json::from_str(&run_ok("ip", &["-j", "link", "show", name])).unwrap();
    u32::try_from(links[0]["ifindex"].as_u64().unwrap()).unwrap()
}

/// What `tc -j -s qdisc show` prints for the qdisc, built from nl's decode.
fn as_tc_json(q: &Qdisc<'_>) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), json!(q.kind().to_string()));
    m.insert("handle".into(), json!(format!("{:x}:", q.handle().major())));
    m.insert("dev".into(), json!(ifname(q.ifindex())));
    if q.parent() == TcHandle::ROOT {
        m.insert("root".into(), json!(true));
    } else {
        m.insert("parent".into(), json!(q.parent().to_string()));
    }
    if q.refcnt() != 1 {
        m.insert("refcnt".into(), json!(q.refcnt()));
    }
    let mut o = Map::new();
    match q.options().unwrap() {
        QdiscOptions::Htb(htb) => {
            let init = htb.get(HtbAttrs::INIT).unwrap();
            o.insert("r2q".into(), json!(init.rate2quantum.get()));
            o.insert("default".into(), json!(format!("{:#x}", init.defcls.get())));
            o.insert("direct_packets_stat".into(), json!(init.direct_pkts.get()));
            o.insert(
                "direct_qlen".into(),
                json!(htb.get(HtbAttrs::DIRECT_QLEN).unwrap()),
            );
        }
        QdiscOptions::Tbf(tbf) => {
            let t = TbfParams::from_attrs(&tbf).unwrap();
            o.insert("rate".into(), json!(t.rate));
            o.insert("burst".into(), json!(t.burst));
            o.insert("lat".into(), json!(t.latency_us.unwrap()));
        }
        QdiscOptions::Fifo(fifo) => {
            o.insert("limit".into(), json!(fifo.limit.get()));
        }
        QdiscOptions::None => {}
        QdiscOptions::Raw(raw) => panic!("unexpected raw options {raw:?}"),
    }
    m.insert("options".into(), Value::Object(o));
    let s = q.stats().unwrap().unwrap();
    for (key, value) in [
        ("bytes", s.bytes),
        ("packets", s.packets),
        ("drops", u64::from(s.drops)),
        ("overlimits", u64::from(s.overlimits)),
        ("requeues", u64::from(s.requeues)),
        ("backlog", u64::from(s.backlog)),
        ("qlen", u64::from(s.qlen)),
    ] {
        m.insert(key.into(), json!(value));
    }
    Value::Object(m)
}

fn ours(socket: &mut Socket) -> Vec<Value> {
    dump(socket)
        .iter()
        .map(|o| as_tc_json(&Qdisc::parse_payload(o.0, &o.1).unwrap()))
        .collect()
}

fn tc_qdiscs() -> Vec<Value> {
    let all: Value = serde_json::from_str(&run_ok("tc", &["-j", "-s", "qdisc", "show"])).unwrap();
    all.as_array().unwrap().clone()
}

fn sorted(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by_key(|x| format!("{}{}", x["dev"], x["handle"]));
    v
}

fn sh(program: &str, args: &str) {
    let args: Vec<&str> = args.split_whitespace().collect();
    run_ok(program, &args);
}

fn links() {
    sh("ip", "link add v0 type veth peer name v1");
    sh("ip", "link add v2 type veth peer name v3");
    sh("ip", "link set lo up");
}

#[test]
fn qdisc_dump_matches_tc_qdisc_show() {
    netns_or_skip!();
    links();
    sh("tc", "qdisc add dev v0 root handle 1: htb default 10");
    sh(
        "tc",
        "class add dev v0 parent 1: classid 1:10 htb rate 1mbit",
    );
    sh("tc", "qdisc add dev v0 ingress");
    sh(
        "tc",
        "qdisc add dev v1 root handle 2: tbf rate 1mbit burst 32k latency 50ms",
    );
    sh("tc", "qdisc add dev v2 root handle 3: pfifo limit 100");
    sh("tc", "qdisc add dev v3 root handle 4: bfifo limit 10000");
    // Some traffic through v0's htb, so the counters are not all zero
    // (a permanent neighbour and no IPv6: nothing else is sent later).
    sh("sysctl", "-qw net.ipv6.conf.v0.disable_ipv6=1");
    sh("sysctl", "-qw net.ipv6.conf.v1.disable_ipv6=1");
    sh("ip", "link set v0 up");
    sh("ip", "link set v1 up");
    sh("ip", "addr add 10.9.0.1/24 dev v0");
    sh(
        "ip",
        "neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent",
    );
    let udp = std::net::UdpSocket::bind("10.9.0.1:0").unwrap();
    for _ in 0..3 {
        udp.send_to(b"hello", "10.9.0.2:9").unwrap();
    }
    let mut socket = socket();
    let ours = ours(&mut socket);
    let theirs = tc_qdiscs();
    assert_eq!(ours.len(), 6, "{ours:?}");
    let htb = theirs.iter().find(|q| q["kind"] == "htb").unwrap();
    assert!(htb["packets"].as_u64().unwrap() >= 3, "{htb}");
    assert_eq!(sorted(ours), sorted(theirs));
}

fn request(socket: &mut Socket, build: impl FnOnce(&mut [u8], u32) -> &[u8]) -> Result<(), Error> {
    let mut buf = [0u8; 256];
    let seq = socket.next_seq();
    let msg = build(&mut buf, seq);
    socket.request(msg, Some(tc::layout())).map(|_| ())
}

fn add(socket: &mut Socket, dev: &str, handle: TcHandle, parent: TcHandle, config: QdiscConfig) {
    let index = ifindex(dev);
    request(socket, |b, s| {
        tc::new_qdisc(
            b,
            s,
            Flags::CREATE | Flags::EXCL,
            index,
            handle,
            parent,
            &config,
        )
        .unwrap()
    })
    .unwrap();
}

fn shown(dev: &str, handle: &str) -> Value {
    tc_qdiscs()
        .into_iter()
        .find(|q| q["dev"] == dev && q["handle"] == handle)
        .unwrap_or_else(|| panic!("no qdisc {handle} on {dev}"))
}

#[test]
fn qdiscs_created_with_nl_show_in_tc_qdisc() {
    netns_or_skip!();
    links();
    let mut socket = socket();
    let h = |major| TcHandle::new(major, 0);
    add(
        &mut socket,
        "v0",
        h(1),
        TcHandle::ROOT,
        QdiscConfig::Htb {
            default: 0x20,
            r2q: 5,
            direct_qlen: Some(64),
        },
    );
    add(
        &mut socket,
        "v0",
        h(0xffff),
        TcHandle::INGRESS,
        QdiscConfig::Ingress,
    );
    add(
        &mut socket,
        "v1",
        h(2),
        TcHandle::ROOT,
        QdiscConfig::Tbf {
            rate: 125_000,
            burst: 32_768,
            limit: 39_018,
        },
    );
    add(
        &mut socket,
        "v2",
        h(3),
        TcHandle::ROOT,
        QdiscConfig::Pfifo { limit: 50 },
    );
    add(
        &mut socket,
        "v3",
        h(4),
        TcHandle::ROOT,
        QdiscConfig::Bfifo { limit: 5000 },
    );
    assert_eq!(
        shown("v0", "1:")["options"],
        json!({"r2q": 5, "default": "0x20", "direct_packets_stat": 0, "direct_qlen": 64})
    );
    assert_eq!(shown("v0", "ffff:")["parent"], json!("ffff:fff1"));
    assert_eq!(shown("v0", "ffff:")["kind"], json!("ingress"));
    assert_eq!(
        shown("v1", "2:")["options"],
        json!({"rate": 125000, "burst": 32768, "lat": 50000})
    );
    assert_eq!(shown("v2", "3:")["options"], json!({"limit": 50}));
    assert_eq!(shown("v3", "4:")["options"], json!({"limit": 5000}));
    // A class under nl's htb works as under tc's.
    sh(
        "tc",
        "class add dev v0 parent 1: classid 1:20 htb rate 1mbit",
    );
    // nl decodes what it created as tc shows it.
    assert_eq!(sorted(ours(&mut socket)), sorted(tc_qdiscs()));
    // EXCL on an existing root: the kernel refuses.
    let v2 = ifindex("v2");
    let again = request(&mut socket, |b, s| {
        let c = QdiscConfig::Pfifo { limit: 1 };
        tc::new_qdisc(
            b,
            s,
            Flags::CREATE | Flags::EXCL,
            v2,
            h(3),
            TcHandle::ROOT,
            &c,
        )
        .unwrap()
    });
    assert!(matches!(again, Err(Error::Kernel(_))), "{again:?}");
    // Delete with nl: the roots fall back to the default qdisc.
    for (dev, handle, parent) in [
        ("v0", h(1), TcHandle::ROOT),
        ("v0", h(0xffff), TcHandle::INGRESS),
        ("v1", h(2), TcHandle::ROOT),
        ("v2", h(3), TcHandle::ROOT),
        ("v3", h(4), TcHandle::ROOT),
    ] {
        let index = ifindex(dev);
        request(&mut socket, |b, s| {
            tc::del_qdisc(b, s, index, handle, parent).unwrap()
        })
        .unwrap();
    }
    let kinds: Vec<Value> = tc_qdiscs().iter().map(|q| q["kind"].clone()).collect();
    assert!(kinds.iter().all(|k| k == "noqueue"), "{kinds:?}");
}
