//! Neighbours through `nl_core::route::neigh` on a private netns: entries
//! built with `ip neigh` (permanent, reachable, stale, router, IPv4 and
//! IPv6), decoded and compared field by field with `ip -j neigh show`;
//! strict dump filters by interface and master; then entries added,
//! replaced and deleted with nl and checked with `ip -j`.

use std::net::IpAddr;

use nl_core::nlmsg::Flags;
use nl_core::route::neigh::{self, Neigh, NeighDumpFilter, NeighFlags, NeighSpec, NudState};
use nl_tests::{netns_or_skip, run, run_ok};
use nl_uring::{Error, Protocol, Socket};
use serde_json::{Map, Value, json};

struct Owned(u16, Vec<u8>);

impl Owned {
    fn view(&self) -> Neigh<'_> {
        Neigh::parse_payload(self.0, &self.1).unwrap()
    }
}

fn socket() -> Socket {
    let socket = Socket::open(Protocol::Route).unwrap();
    socket.set_strict_check(true).unwrap();
    socket
}

fn dump(socket: &mut Socket, filter: &NeighDumpFilter) -> Vec<Owned> {
    let mut buf = [0u8; 64];
    let request = neigh::dump(&mut buf, socket.next_seq(), filter).unwrap();
    let mut out = Vec::new();
    socket
        .try_dump(request, Some(neigh::layout()), |m| {
            Neigh::parse(&m)?;
            out.push(Owned(m.ty(), m.payload().to_vec()));
            Ok::<(), Error>(())
        })
        .unwrap();
    out
}

fn ifindex(name: &str) -> u32 {
    let links: Value = serde_json::from_str(&run_ok("ip", &["-j", "link", "show", name])).unwrap();
    u32::try_from(links[0]["ifindex"].as_u64().unwrap()).unwrap()
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

/// What `ip -j neigh show` prints for the entry, built from nl's decode.
fn as_ip_json(n: &Neigh<'_>) -> Value {
    let mut m = Map::new();
    m.insert("dst".into(), json!(n.dst().unwrap().to_string()));
    m.insert("dev".into(), json!(ifname(n.ifindex())));
    if let Some(lladdr) = n.lladdr() {
        m.insert("lladdr".into(), json!(lladdr.to_string()));
    }
    for name in n.flags().names() {
        m.insert(name.into(), Value::Null);
    }
    let states: Vec<Value> = n.state().names().map(|s| json!(s)).collect();
    m.insert("state".into(), Value::Array(states));
    Value::Object(m)
}

fn ip_neighs() -> Vec<Value> {
    let all: Value = serde_json::from_str(&run_ok("ip", &["-j", "neigh", "show"])).unwrap();
    all.as_array().unwrap().clone()
}

fn sorted(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by_key(|x| x["dst"].as_str().unwrap_or_default().to_owned());
    v
}

fn setup() {
    run_ok(
        "ip",
        &["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
    );
    run_ok("ip", &["link", "set", "v0", "up"]);
    run_ok("ip", &["link", "set", "v1", "up"]);
    run_ok("ip", &["addr", "add", "10.0.0.1/24", "dev", "v0"]);
}

#[test]
fn neigh_dump_matches_ip_neigh_show() {
    netns_or_skip!();
    setup();
    for args in [
        &[
            "10.0.0.2",
            "lladdr",
            "02:00:00:00:00:02",
            "dev",
            "v0",
            "nud",
            "permanent",
        ][..],
        &[
            "10.0.0.3",
            "lladdr",
            "02:00:00:00:00:03",
            "dev",
            "v0",
            "nud",
            "reachable",
        ],
        &[
            "10.0.0.4",
            "lladdr",
            "02:00:00:00:00:04",
            "dev",
            "v1",
            "nud",
            "stale",
        ],
        &[
            "2001:db8::3",
            "lladdr",
            "02:00:00:00:00:05",
            "dev",
            "v0",
            "nud",
            "stale",
            "router",
        ],
        &[
            "2001:db8::4",
            "lladdr",
            "02:00:00:00:00:06",
            "dev",
            "v1",
            "nud",
            "permanent",
        ],
    ] {
        let mut all = vec!["neigh", "add"];
        all.extend_from_slice(args);
        run_ok("ip", &all);
    }
    let mut socket = socket();
    let entries = dump(&mut socket, &NeighDumpFilter::default());
    // `ip neigh show` leaves NOARP entries (multicast) out.
    let ours: Vec<Value> = entries
        .iter()
        .map(Owned::view)
        .filter(|n| !n.state().contains(NudState::NOARP))
        .map(|n| as_ip_json(&n))
        .collect();
    let theirs = ip_neighs();
    assert_eq!(theirs.len(), 5);
    assert_eq!(sorted(ours), sorted(theirs));
    // The fields ip does not print.
    for owned in &entries {
        let n = owned.view();
        assert_ne!(n.kind(), 0, "ndm_type is an RTN_* type");
        if n.dst() == Some("10.0.0.2".parse().unwrap()) {
            assert_eq!(n.family(), nl_core::route::AddressFamily::Inet);
            assert_eq!(n.probes(), Some(0));
            assert!(n.cacheinfo().is_some());
        }
    }
}

#[test]
fn strict_dump_filters_by_interface_and_master() {
    netns_or_skip!();
    setup();
    run_ok("ip", &["link", "add", "br0", "type", "bridge"]);
    run_ok("ip", &["link", "set", "v1", "master", "br0"]);
    run_ok(
        "ip",
        &[
            "neigh",
            "add",
            "10.0.0.2",
            "lladdr",
            "02:00:00:00:00:02",
            "dev",
            "v0",
            "nud",
            "permanent",
        ],
    );
    run_ok(
        "ip",
        &[
            "neigh",
            "add",
            "10.0.9.2",
            "lladdr",
            "02:00:00:00:00:09",
            "dev",
            "v1",
            "nud",
            "permanent",
        ],
    );
    let mut socket = socket();
    let v0 = ifindex("v0");
    let only_v0 = dump(
        &mut socket,
        &NeighDumpFilter {
            ifindex: Some(v0),
            ..Default::default()
        },
    );
    assert!(!only_v0.is_empty());
    assert!(only_v0.iter().all(|o| o.view().ifindex() == v0 as i32));
    assert!(
        only_v0
            .iter()
            .any(|o| o.view().dst() == Some("10.0.0.2".parse().unwrap()))
    );
    let br0 = ifindex("br0");
    let under_br0 = dump(
        &mut socket,
        &NeighDumpFilter {
            master: Some(br0),
            ..Default::default()
        },
    );
    let dsts: Vec<Option<IpAddr>> = under_br0.iter().map(|o| o.view().dst()).collect();
    assert!(
        dsts.contains(&Some("10.0.9.2".parse().unwrap())),
        "{dsts:?}"
    );
    assert!(
        !dsts.contains(&Some("10.0.0.2".parse().unwrap())),
        "{dsts:?}"
    );
    let v4_only = dump(
        &mut socket,
        &NeighDumpFilter {
            family: Some(nl_core::route::AddressFamily::Inet),
            ..Default::default()
        },
    );
    assert!(v4_only.iter().all(|o| o.view().dst().unwrap().is_ipv4()));
}

fn request(socket: &mut Socket, build: impl FnOnce(&mut [u8], u32) -> &[u8]) -> Result<(), Error> {
    let mut buf = [0u8; 128];
    let seq = socket.next_seq();
    let msg = build(&mut buf, seq);
    socket.request(msg, Some(neigh::layout())).map(|_| ())
}

#[test]
fn neighbours_created_with_nl_show_in_ip_neigh() {
    netns_or_skip!();
    setup();
    let v0 = ifindex("v0");
    let mut socket = socket();
    let v4 = NeighSpec {
        ifindex: v0,
        dst: "10.0.0.7".parse().unwrap(),
        lladdr: Some(&[2, 0, 0, 0, 0, 7]),
        state: NudState::PERMANENT,
        flags: 0,
    };
    let v6 = NeighSpec {
        ifindex: v0,
        dst: "2001:db8::7".parse().unwrap(),
        lladdr: Some(&[2, 0, 0, 0, 0, 8]),
        state: NudState::REACHABLE,
        flags: NeighFlags::ROUTER,
    };
    for spec in [&v4, &v6] {
        request(&mut socket, |b, s| {
            neigh::new_neigh(b, s, Flags::CREATE | Flags::EXCL, spec).unwrap()
        })
        .unwrap();
    }
    let theirs = sorted(ip_neighs());
    assert_eq!(
        theirs,
        vec![
            json!({"dst": "10.0.0.7", "dev": "v0", "lladdr": "02:00:00:00:00:07", "state": ["PERMANENT"]}),
            json!({"dst": "2001:db8::7", "dev": "v0", "lladdr": "02:00:00:00:00:08", "router": null, "state": ["REACHABLE"]}),
        ]
    );
    // EXCL on an existing entry: the kernel says EEXIST.
    let err = request(&mut socket, |b, s| {
        neigh::new_neigh(b, s, Flags::CREATE | Flags::EXCL, &v4).unwrap()
    })
    .unwrap_err();
    let Error::Kernel(k) = err else {
        panic!("{err:?}")
    };
    assert_eq!(k.errno.name(), Some("EEXIST"));
    // REPLACE changes the state.
    let stale = NeighSpec {
        state: NudState::STALE,
        ..v4
    };
    request(&mut socket, |b, s| {
        neigh::new_neigh(b, s, Flags::CREATE | Flags::REPLACE, &stale).unwrap()
    })
    .unwrap();
    let out = run_ok("ip", &["-j", "neigh", "show", "10.0.0.7"]);
    let shown: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown[0]["state"], json!(["STALE"]));
    // Delete both with nl.
    for spec in [&v4, &v6] {
        request(&mut socket, |b, s| {
            neigh::del_neigh(b, s, spec.ifindex, spec.dst).unwrap()
        })
        .unwrap();
    }
    assert_eq!(ip_neighs(), Vec::<Value>::new());
    let again = request(&mut socket, |b, s| {
        neigh::del_neigh(b, s, v0, v4.dst).unwrap()
    });
    assert!(matches!(again, Err(Error::Kernel(_))));
    // iproute2 sees the same error for the same request.
    assert!(
        !run("ip", &["neigh", "del", "10.0.0.7", "dev", "v0"])
            .status
            .success()
    );
}

#[test]
fn get_returns_the_one_entry_ip_shows() {
    netns_or_skip!();
    setup();
    run_ok(
        "ip",
        &[
            "neigh",
            "add",
            "10.0.0.9",
            "lladdr",
            "02:00:00:00:00:09",
            "dev",
            "v0",
            "nud",
            "permanent",
        ],
    );
    run_ok(
        "ip",
        &[
            "neigh",
            "add",
            "10.0.0.8",
            "lladdr",
            "02:00:00:00:00:08",
            "dev",
            "v0",
            "nud",
            "reachable",
        ],
    );
    let v0 = ifindex("v0");
    let mut socket = socket();
    let shown = ip_neighs();
    for dst in ["10.0.0.9", "10.0.0.8"] {
        let addr: IpAddr = dst.parse().unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 64];
        let request = neigh::get_neigh(&mut buf, socket.next_seq(), v0, addr).unwrap();
        socket
            .request_with(request, Some(neigh::layout()), |m| {
                got.push(Owned(m.ty(), m.payload().to_vec()));
                Ok::<(), Error>(())
            })
            .unwrap();
        assert_eq!(got.len(), 1, "{dst}: one entry");
        let entry = got[0].view();
        assert_eq!(entry.dst(), Some(addr));
        let want = shown.iter().find(|n| n["dst"] == dst).unwrap();
        assert_eq!(as_ip_json(&entry), *want, "{dst}");
    }
    // An entry that does not exist: ENOENT with the text `ip neigh get` prints.
    let mut buf = [0u8; 64];
    let request = neigh::get_neigh(
        &mut buf,
        socket.next_seq(),
        v0,
        "10.0.0.77".parse().unwrap(),
    )
    .unwrap();
    let Err(Error::Kernel(k)) = socket.request(request, Some(neigh::layout())) else {
        panic!("a missing entry is an error");
    };
    assert_eq!(k.errno.name(), Some("ENOENT"));
    let ip = run("ip", &["neigh", "get", "10.0.0.77", "dev", "v0"]);
    let ip_text = String::from_utf8_lossy(&ip.stderr);
    assert!(
        ip_text.contains(k.text().trim_end_matches('.')),
        "ip says {ip_text:?}, nl says {:?}",
        k.text()
    );
}

#[test]
fn neighbour_text_reads_like_ip_neigh_show() {
    netns_or_skip!();
    setup();
    run_ok(
        "ip",
        &[
            "neigh",
            "add",
            "10.0.0.5",
            "lladdr",
            "02:00:00:00:00:05",
            "dev",
            "v0",
            "nud",
            "stale",
            "proto",
            "bgp",
        ],
    );
    run_ok(
        "ip",
        &[
            "neigh",
            "add",
            "10.0.0.6",
            "lladdr",
            "02:00:00:00:00:06",
            "dev",
            "v0",
            "nud",
            "permanent",
        ],
    );
    let mut socket = socket();
    let mut ours: Vec<String> = dump(&mut socket, &NeighDumpFilter::default())
        .iter()
        .map(|o| o.view())
        .filter(|n| !n.state().contains(NudState::NOARP))
        .map(|n| {
            let mut line = String::new();
            n.write_text(&mut line, Some(&ifname(n.ifindex()))).unwrap();
            line
        })
        .collect();
    // `ip` ends each line with a space.
    let mut ip: Vec<String> = run_ok("ip", &["neigh", "show"])
        .lines()
        .map(|l| l.trim_end().to_owned())
        .collect();
    ours.sort();
    ip.sort();
    assert_eq!(ours, ip);
}
