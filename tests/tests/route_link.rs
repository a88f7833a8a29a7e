//! Links through `nl_core::route::link` on a private netns: a veth pair, a
//! bridge with a veth port, a vxlan and a macvlan built with `ip`, decoded
//! and compared field by field with `ip -j -d link show`; then the same
//! kinds created, changed and deleted with nl and checked with `ip -j`.

use nl_core::nlmsg::Flags;
use nl_core::route::link::{
    self, BridgeAttrs, IfFlags, Link, LinkAttrs, LinkChange, LinkData, LinkFilter, LinkRef,
    MacvlanAttrs, MacvlanMode, NewKind, NewLink, VxlanAttrs, link_type_name,
};
use nl_tests::{iproute2_error_text, netns_or_skip, run, run_ok};
use nl_uring::{Error, Protocol, Socket};
use serde_json::Value;

/// A decoded link, owned.
struct Owned {
    ty: u16,
    payload: Vec<u8>,
}

impl Owned {
    fn view(&self) -> Link<'_> {
        Link::parse_payload(self.ty, &self.payload).unwrap()
    }
}

fn socket() -> Socket {
    let socket = Socket::open(Protocol::Route).unwrap();
    socket.set_strict_check(true).unwrap();
    socket
}

fn dump(socket: &mut Socket, filter: LinkFilter<'_>) -> Vec<Owned> {
    let mut buf = [0u8; 128];
    let request = link::dump_links(&mut buf, socket.next_seq(), filter).unwrap();
    let mut out = Vec::new();
    socket
        .try_dump(request, Some(link::layout()), |m| {
            Link::parse(&m)?;
            out.push(Owned {
                ty: m.ty(),
                payload: m.payload().to_vec(),
            });
            Ok::<(), Error>(())
        })
        .unwrap();
    out
}

fn get(socket: &mut Socket, which: LinkRef<'_>) -> Result<Owned, Error> {
    let mut buf = [0u8; 64];
    let request = link::get_link(&mut buf, socket.next_seq(), which).unwrap();
    let mut out = None;
    socket.request_with(request, Some(link::layout()), |m| {
        Link::parse(&m)?;
        out = Some(Owned {
            ty: m.ty(),
            payload: m.payload().to_vec(),
        });
        Ok::<(), Error>(())
    })?;
    Ok(out.expect("a reply before the ACK"))
}

fn ip_link(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["-j", "-d", "link", "show"];
    all.extend_from_slice(args);
    let text = run_ok("ip", &all);
    match serde_json::from_str(&text).expect("ip -j output is JSON") {
        Value::Array(links) => links,
        other => panic!("not a list: {other}"),
    }
}

fn ip_one(name: &str) -> Value {
    let mut links = ip_link(&["dev", name]);
    assert_eq!(links.len(), 1, "{name}");
    links.remove(0)
}

fn mac(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Checks every field both `ip -j -d link show` and nl have for link `l`.
/// Returns how many fields were compared.
fn compare(l: &Link<'_>, ip: &Value, names: &[(i32, String)]) -> usize {
    let name_of = |index: i64| {
        names
            .iter()
            .find(|(i, _)| i64::from(*i) == index)
            .map(|(_, n)| n.clone())
    };
    let mut checked = 0;
    let mut check = |key: &str, ours: Value| {
        if let Some(theirs) = ip.get(key) {
            assert_eq!(&ours, theirs, "{}: {key}", l.name());
            checked += 1;
        }
    };
    check("ifindex", l.index().into());
    check("ifname", l.name().to_string().into());
    check("mtu", l.mtu().unwrap().into());
    let ours: Vec<Value> = l.flags().ip_names().map(Value::from).collect();
    let theirs: Vec<Value> = ip["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| *f != "M-DOWN") // the master's state, not this link's
        .cloned()
        .collect();
    assert_eq!(ours, theirs, "{}: flags", l.name());
    assert_eq!(l.flags().ip_unknown(), 0);
    check("operstate", l.operstate().unwrap().to_string().into());
    check("linkmode", l.linkmode().unwrap().to_string().into());
    let group = l.attrs.get(LinkAttrs::GROUP).unwrap();
    check(
        "group",
        if group == 0 {
            "default".into()
        } else {
            group.to_string().into()
        },
    );
    check("txqlen", l.attrs.get(LinkAttrs::TXQLEN).unwrap().into());
    check(
        "qdisc",
        l.attrs.get(LinkAttrs::QDISC).unwrap().to_string().into(),
    );
    check("link_type", link_type_name(l.link_type()).unwrap().into());
    check("address", mac(l.address().unwrap()).into());
    check("broadcast", mac(l.broadcast().unwrap()).into());
    if let Some(p) = l.attrs.get(LinkAttrs::PERM_ADDRESS) {
        check("permaddr", mac(p).into());
    }
    if let Some(master) = l.master() {
        check("master", name_of(i64::from(master)).unwrap().into());
    } else {
        assert!(ip.get("master").is_none());
    }
    if let Some(lower) = l.attrs.get(LinkAttrs::LINK) {
        if lower != l.index() {
            check("link", name_of(i64::from(lower)).unwrap().into());
        }
    }
    for (key, field) in [
        ("promiscuity", LinkAttrs::PROMISCUITY),
        ("allmulti", LinkAttrs::ALLMULTI),
        ("min_mtu", LinkAttrs::MIN_MTU),
        ("max_mtu", LinkAttrs::MAX_MTU),
        ("num_tx_queues", LinkAttrs::NUM_TX_QUEUES),
        ("num_rx_queues", LinkAttrs::NUM_RX_QUEUES),
        ("gso_max_size", LinkAttrs::GSO_MAX_SIZE),
        ("gso_max_segs", LinkAttrs::GSO_MAX_SEGS),
        ("tso_max_size", LinkAttrs::TSO_MAX_SIZE),
        ("tso_max_segs", LinkAttrs::TSO_MAX_SEGS),
        ("gro_max_size", LinkAttrs::GRO_MAX_SIZE),
    ] {
        check(key, l.attrs.get(field).unwrap().into());
    }
    // Counters move; with `-s` ip prints them, here both sides are quiet
    // links, so only their presence is checked.
    assert!(l.stats64().is_some());
    let Some(info) = l.linkinfo().unwrap() else {
        assert!(ip.get("linkinfo").is_none(), "{}", l.name());
        return checked;
    };
    let ipinfo = &ip["linkinfo"];
    assert_eq!(
        info.kind().map(|k| k.to_string()).as_deref(),
        ipinfo["info_kind"].as_str()
    );
    assert_eq!(
        info.slave_kind().map(|k| k.to_string()).as_deref(),
        ipinfo["info_slave_kind"].as_str()
    );
    checked += 2;
    let data = &ipinfo["info_data"];
    let mut check_data = |key: &str, ours: Value| {
        assert_eq!(&ours, &data[key], "{}: info_data.{key}", l.name());
        checked += 1;
    };
    assert_eq!(info.attrs.unknown(), 0);
    match info.data().unwrap() {
        Some(LinkData::Bridge(b)) => {
            assert_eq!(b.unknown(), 0, "every bridge attribute is known");
            for (key, field) in [
                ("forward_delay", BridgeAttrs::FORWARD_DELAY),
                ("hello_time", BridgeAttrs::HELLO_TIME),
                ("max_age", BridgeAttrs::MAX_AGE),
                ("ageing_time", BridgeAttrs::AGEING_TIME),
                ("stp_state", BridgeAttrs::STP_STATE),
                ("root_path_cost", BridgeAttrs::ROOT_PATH_COST),
            ] {
                check_data(key, b.get(field).unwrap().into());
            }
            check_data("priority", b.get(BridgeAttrs::PRIORITY).unwrap().into());
            check_data(
                "vlan_filtering",
                b.get(BridgeAttrs::VLAN_FILTERING).unwrap().into(),
            );
            check_data("root_port", b.get(BridgeAttrs::ROOT_PORT).unwrap().into());
            let id = b.get(BridgeAttrs::BRIDGE_ID).unwrap();
            assert_eq!(
                data["bridge_id"].as_str().unwrap(),
                format!(
                    "{:x}{:02x}.{}",
                    id.prio[0],
                    id.prio[1],
                    id.addr
                        .iter()
                        .map(|b| format!("{b:x}"))
                        .collect::<Vec<_>>()
                        .join(":")
                )
            );
        }
        Some(LinkData::Vxlan(v)) => {
            assert_eq!(v.unknown(), 0, "every vxlan attribute is known");
            check_data("id", v.get(VxlanAttrs::ID).unwrap().into());
            check_data("port", v.get(VxlanAttrs::PORT).unwrap().into());
            check_data("ttl", v.get(VxlanAttrs::TTL).unwrap().into());
            check_data("ageing", v.get(VxlanAttrs::AGEING).unwrap().into());
            check_data(
                "learning",
                (v.get(VxlanAttrs::LEARNING).unwrap() != 0).into(),
            );
            let lower = v.get(VxlanAttrs::LINK).unwrap();
            check_data("link", name_of(i64::from(lower)).unwrap().into());
            let range = v.get(VxlanAttrs::PORT_RANGE).unwrap();
            assert_eq!(data["port_range"]["low"], range.low.get());
            assert_eq!(data["port_range"]["high"], range.high.get());
        }
        Some(LinkData::Macvlan(m)) => {
            assert_eq!(m.unknown(), 0, "every macvlan attribute is known");
            let mode = MacvlanMode::from(m.get(MacvlanAttrs::MODE).unwrap());
            check_data("mode", mode.to_string().into());
            check_data(
                "bcqueuelen",
                m.get(MacvlanAttrs::BC_QUEUE_LEN).unwrap().into(),
            );
        }
        Some(LinkData::Veth(_)) | Some(LinkData::Other(_)) | None => {}
    }
    checked
}

fn build_with_ip() {
    for cmd in [
        "link add v0 type veth peer name v1",
        "link add br0 type bridge",
        "link set v0 master br0",
        "link set v1 mtu 1400",
        "link set v1 up",
        "link set v0 up",
        "link add vx0 type vxlan id 42 dstport 4789 dev v1 ttl 5",
        "link add mv0 link v1 type macvlan mode bridge",
        "link set mv0 promisc on",
        "link property add dev v1 altname v1-alt",
    ] {
        run_ok("ip", &cmd.split(' ').collect::<Vec<_>>());
    }
    // Carrier comes up asynchronously (linkwatch): wait for it, so both
    // dumps see the same state.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while ["v0", "v1"]
        .iter()
        .any(|name| ip_one(name)["operstate"] != "UP")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "carrier never came up"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn links_decode_like_ip_d_link_show() {
    netns_or_skip!();
    build_with_ip();
    let mut socket = socket();
    let links = dump(&mut socket, LinkFilter::default());
    let names: Vec<(i32, String)> = links
        .iter()
        .map(|o| (o.view().index(), o.view().name().to_string()))
        .collect();
    let theirs = ip_link(&[]);
    assert_eq!(links.len(), theirs.len());
    let mut kinds = Vec::new();
    for owned in &links {
        let l = owned.view();
        let ip = theirs
            .iter()
            .find(|t| t["ifindex"] == l.index())
            .unwrap_or_else(|| panic!("{} missing from ip", l.name()));
        let checked = compare(&l, ip, &names);
        assert_eq!(
            l.attrs.unknown(),
            0,
            "{}: every attribute is known",
            l.name()
        );
        assert!(checked >= 15, "{}: only {checked} fields", l.name());
        if let Some(info) = l.linkinfo().unwrap() {
            kinds.push(info.kind().unwrap().to_string());
        }
        // Display reads like ip's first line.
        let text = l.to_string();
        assert!(
            text.starts_with(&format!("{}: {}", l.index(), l.name())),
            "{text}"
        );
    }
    kinds.sort();
    assert_eq!(kinds, ["bridge", "macvlan", "veth", "veth", "vxlan"]);
    let v1 = links.iter().find(|o| o.view().name() == "v1").unwrap();
    let alt: Vec<String> = v1
        .view()
        .alt_names()
        .unwrap()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(alt, ["v1-alt"]);
    assert_eq!(ip_one("v1")["altnames"], serde_json::json!(["v1-alt"]));
    let mv0 = links.iter().find(|o| o.view().name() == "mv0").unwrap();
    assert!(mv0.view().flags().contains(IfFlags::PROMISC));
}

#[test]
fn dump_filters_and_gets() {
    netns_or_skip!();
    build_with_ip();
    let mut socket = socket();
    let br0 = get(&mut socket, LinkRef::Name("br0"))
        .unwrap()
        .view()
        .index();
    let names = |links: Vec<Owned>| {
        let mut n: Vec<String> = links.iter().map(|o| o.view().name().to_string()).collect();
        n.sort();
        n
    };
    let ports = dump(
        &mut socket,
        LinkFilter {
            master: Some(br0.unsigned_abs()),
            kind: None,
        },
    );
    assert_eq!(names(ports), ["v0"]);
    let veths = dump(
        &mut socket,
        LinkFilter {
            master: None,
            kind: Some("veth"),
        },
    );
    assert_eq!(names(veths), ["v0", "v1"]);
    let bridges = dump(
        &mut socket,
        LinkFilter {
            master: None,
            kind: Some("bridge"),
        },
    );
    assert_eq!(names(bridges), ["br0"]);
    // By index gives the same link as by name.
    let by_name = get(&mut socket, LinkRef::Name("vx0")).unwrap();
    let by_index = get(&mut socket, LinkRef::Index(by_name.view().index())).unwrap();
    assert_eq!(by_index.view().name(), "vx0");
    let err = get(&mut socket, LinkRef::Name("nope")).err().unwrap();
    assert_eq!(err.kernel().unwrap().errno.0, libc_enodev());
}

fn libc_enodev() -> i32 {
    19
}

fn request(socket: &mut Socket, msg: &[u8]) -> Result<(), Error> {
    socket.request(msg, Some(link::layout())).map(|_| ())
}

#[test]
fn create_change_and_delete_with_nl() {
    netns_or_skip!();
    let mut socket = socket();
    let mut buf = [0u8; 256];
    let create = Flags::CREATE | Flags::EXCL;
    // A veth pair.
    let veth = NewLink::new("a0", NewKind::Veth { peer: "a1" });
    let msg = link::new_link(&mut buf, socket.next_seq(), create, &veth).unwrap();
    request(&mut socket, msg).unwrap();
    assert_eq!(ip_one("a0")["linkinfo"]["info_kind"], "veth");
    assert_eq!(ip_one("a0")["link"], "a1");
    assert_eq!(ip_one("a1")["link"], "a0");
    // A bridge, up.
    let mut bridge = NewLink::new("br1", NewKind::Bridge);
    bridge.up = true;
    let msg = link::new_link(&mut buf, socket.next_seq(), create, &bridge).unwrap();
    request(&mut socket, msg).unwrap();
    let br1 = ip_one("br1");
    assert_eq!(br1["linkinfo"]["info_kind"], "bridge");
    assert!(br1["flags"].as_array().unwrap().contains(&"UP".into()));
    let br1_index = i32::try_from(br1["ifindex"].as_i64().unwrap()).unwrap();
    let a0 = i32::try_from(ip_one("a0")["ifindex"].as_i64().unwrap()).unwrap();
    let a1 = i32::try_from(ip_one("a1")["ifindex"].as_i64().unwrap()).unwrap();
    // SETLINK: up, MTU, master.
    let change = LinkChange {
        up: Some(true),
        mtu: Some(1280),
        master: Some(br1_index.unsigned_abs()),
        name: None,
    };
    let msg = link::set_link(&mut buf, socket.next_seq(), a0, &change).unwrap();
    request(&mut socket, msg).unwrap();
    let ip = ip_one("a0");
    assert_eq!(ip["mtu"], 1280);
    assert_eq!(ip["master"], "br1");
    assert!(ip["flags"].as_array().unwrap().contains(&"UP".into()));
    // Down again, out of the bridge, renamed.
    let change = LinkChange {
        up: Some(false),
        master: Some(0),
        name: Some("a0-new"),
        mtu: None,
    };
    let msg = link::set_link(&mut buf, socket.next_seq(), a0, &change).unwrap();
    request(&mut socket, msg).unwrap();
    let ip = ip_one("a0-new");
    assert_eq!(ip["ifindex"], a0);
    assert!(ip.get("master").is_none());
    assert!(!ip["flags"].as_array().unwrap().contains(&"UP".into()));
    // A vxlan on a1 and a macvlan on a1.
    let vxlan = NewKind::Vxlan {
        id: 4242,
        port: Some(4789),
        link: Some(a1.unsigned_abs()),
    };
    let msg = link::new_link(
        &mut buf,
        socket.next_seq(),
        create,
        &NewLink::new("vx1", vxlan),
    )
    .unwrap();
    request(&mut socket, msg).unwrap();
    let data = &ip_one("vx1")["linkinfo"]["info_data"];
    assert_eq!(data["id"], 4242);
    assert_eq!(data["port"], 4789);
    assert_eq!(data["link"], "a1");
    let macvlan = NewKind::Macvlan {
        link: a1,
        mode: MacvlanMode::Private,
    };
    let mut spec = NewLink::new("mv1", macvlan);
    spec.mtu = Some(1400);
    let msg = link::new_link(&mut buf, socket.next_seq(), create, &spec).unwrap();
    request(&mut socket, msg).unwrap();
    let ip = ip_one("mv1");
    assert_eq!(ip["linkinfo"]["info_data"]["mode"], "private");
    assert_eq!(ip["link"], "a1");
    assert_eq!(ip["mtu"], 1400);
    // Our own decode agrees with what we asked for.
    let ours = get(&mut socket, LinkRef::Name("mv1")).unwrap();
    assert_eq!(ours.view().attrs.get(LinkAttrs::LINK), Some(a1));
    // DELLINK by name and by index.
    for which in [LinkRef::Name("vx1"), LinkRef::Index(br1_index)] {
        let msg = link::del_link(&mut buf, socket.next_seq(), which).unwrap();
        request(&mut socket, msg).unwrap();
    }
    let left: Vec<String> = ip_link(&[])
        .iter()
        .map(|l| l["ifname"].as_str().unwrap().to_owned())
        .collect();
    assert!(!left.contains(&"vx1".to_owned()), "{left:?}");
    assert!(!left.contains(&"br1".to_owned()), "{left:?}");
    assert!(left.contains(&"mv1".to_owned()), "{left:?}");
}

#[test]
fn rejected_requests_carry_the_kernel_error() {
    netns_or_skip!();
    run_ok(
        "ip",
        &["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
    );
    let mut socket = socket();
    let mut buf = [0u8; 256];
    // A duplicate name with EXCL: EEXIST, as ip reports it.
    let veth = NewLink::new("v0", NewKind::Veth { peer: "v9" });
    let msg = link::new_link(
        &mut buf,
        socket.next_seq(),
        Flags::CREATE | Flags::EXCL,
        &veth,
    )
    .unwrap();
    let err = request(&mut socket, msg).unwrap_err();
    let k = err.kernel().unwrap();
    assert_eq!(k.errno.name(), Some("EEXIST"));
    let ip = run(
        "ip",
        &["link", "add", "v0", "type", "veth", "peer", "name", "v9"],
    );
    assert!(!ip.status.success());
    let ip_text = iproute2_error_text(&String::from_utf8_lossy(&ip.stderr));
    assert_eq!(k.message, ip_text);
    // An MTU below the minimum: EINVAL with the kernel's text, as ip prints it.
    let v0 = get(&mut socket, LinkRef::Name("v0"))
        .unwrap()
        .view()
        .index();
    let change = LinkChange {
        mtu: Some(10),
        ..LinkChange::default()
    };
    let msg = link::set_link(&mut buf, socket.next_seq(), v0, &change).unwrap();
    let err = request(&mut socket, msg).unwrap_err();
    let k = err.kernel().unwrap();
    assert_eq!(k.errno.name(), Some("EINVAL"));
    let ip = run("ip", &["link", "set", "v0", "mtu", "10"]);
    let ip_text = iproute2_error_text(&String::from_utf8_lossy(&ip.stderr));
    assert!(ip_text.is_some(), "ip printed the kernel's text");
    assert_eq!(k.message, ip_text);
    assert_eq!(ip_one("v0")["mtu"], 1500, "nothing changed");
}
