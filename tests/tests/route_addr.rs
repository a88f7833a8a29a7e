//! Addresses through `nl_core::route::addr` on a private netns: IPv4 and
//! IPv6 addresses built with `ip` (label, broadcast, flags), decoded and
//! compared field by field with `ip -j addr show`; then added and deleted
//! with nl and checked with `ip -j`.

use std::net::{IpAddr, Ipv4Addr};

use nl_core::nlmsg::Flags;
use nl_core::route::AddressFamily;
use nl_core::route::addr::{self, Addr, AddrFlags, AddrSpec};
use nl_tests::{netns_or_skip, run_ok};
use nl_uring::{Error, Protocol, Socket};
use serde_json::Value;

struct Owned {
    ty: u16,
    payload: Vec<u8>,
}

impl Owned {
    fn view(&self) -> Addr<'_> {
        Addr::parse_payload(self.ty, &self.payload).unwrap()
    }
}

fn socket() -> Socket {
    let socket = Socket::open(Protocol::Route).unwrap();
    socket.set_strict_check(true).unwrap();
    socket
}

fn dump(socket: &mut Socket, family: AddressFamily, index: Option<u32>) -> Vec<Owned> {
    let mut buf = [0u8; 32];
    let request = addr::dump_addrs(&mut buf, socket.next_seq(), family, index).unwrap();
    let mut out = Vec::new();
    socket
        .try_dump(request, Some(addr::layout()), |m| {
            Addr::parse(&m)?;
            out.push(Owned {
                ty: m.ty(),
                payload: m.payload().to_vec(),
            });
            Ok::<(), Error>(())
        })
        .unwrap();
    out
}

/// `ip -j addr show`: (ifindex, addr_info entry) pairs.
fn ip_addrs(args: &[&str]) -> Vec<(i64, Value)> {
    let mut all = vec!["-j"];
    if args.first() == Some(&"-6") {
        all.push("-6");
    }
    all.extend_from_slice(&["addr", "show"]);
    all.extend(args.iter().filter(|a| **a != "-6"));
    let links: Value = serde_json::from_str(&run_ok("ip", &all)).unwrap();
    let mut out = Vec::new();
    for link in links.as_array().unwrap() {
        let index = link["ifindex"].as_i64().unwrap();
        for a in link["addr_info"].as_array().unwrap() {
            out.push((index, a.clone()));
        }
    }
    out
}

fn index_of(name: &str) -> u32 {
    let links: Value = serde_json::from_str(&run_ok("ip", &["-j", "link", "show", name])).unwrap();
    u32::try_from(links[0]["ifindex"].as_i64().unwrap()).unwrap()
}

/// A lifetime counting down may have ticked once between the two dumps.
fn near(ours: u32, theirs: &Value) -> Value {
    let t = theirs.as_u64().unwrap();
    if ours != u32::MAX && u64::from(ours).abs_diff(t) <= 1 {
        theirs.clone()
    } else {
        ours.into()
    }
}

/// Checks every key of ip's entry against our decode.
fn compare(a: &Addr<'_>, ip: &Value) {
    let local = a.local().unwrap().to_string();
    let obj = ip.as_object().unwrap();
    for (key, theirs) in obj {
        let ours: Value = match key.as_str() {
            "family" => a.family().to_string().into(),
            "local" => local.clone().into(),
            "address" => a.peer().unwrap().to_string().into(),
            "prefixlen" => a.prefixlen().into(),
            "broadcast" => a.broadcast().unwrap().to_string().into(),
            "scope" => a.scope().to_string().into(),
            "label" => a.label().unwrap().to_string().into(),
            "valid_life_time" => near(a.cacheinfo().unwrap().valid.get(), theirs),
            "preferred_life_time" => near(a.cacheinfo().unwrap().preferred.get(), theirs),
            flag => {
                assert!(
                    a.flags().ip_names(a.family()).any(|n| n == flag),
                    "{local}: ip says {flag}, we have {:?}",
                    a.flags()
                );
                true.into()
            }
        };
        assert_eq!(&ours, theirs, "{local}: {key}");
    }
    // And every flag we name, ip names too.
    for name in a.flags().ip_names(a.family()) {
        assert_eq!(obj.get(name), Some(&Value::Bool(true)), "{local}: {name}");
    }
}

#[test]
fn addresses_decode_like_ip_addr_show() {
    netns_or_skip!();
    for cmd in [
        "link add v0 type veth peer name v1",
        // No link-local addresses: their DAD would race the two dumps.
        "link set v0 addrgenmode none",
        "link set v1 addrgenmode none",
        "link set v0 up",
        "link set v1 up",
        "addr add 10.1.2.3/24 brd + dev v0 label v0:a",
        "addr add 10.1.2.4/24 dev v0",
        "addr add 192.0.2.1 peer 192.0.2.2/32 dev v1",
        "addr add 2001:db8::1/64 dev v0 nodad noprefixroute",
        "addr add 2001:db8:1::1/64 dev v0 nodad valid_lft 3000 preferred_lft 2000",
        "addr add 2001:db8:2::1/64 dev v1 nodad home",
        "addr add 127.0.0.1/8 dev lo",
    ] {
        run_ok("ip", &cmd.split(' ').collect::<Vec<_>>());
    }
    let mut socket = socket();
    let ours = dump(&mut socket, AddressFamily::Unspec, None);
    let theirs = ip_addrs(&[]);
    assert_eq!(ours.len(), theirs.len());
    for owned in &ours {
        let a = owned.view();
        let local = a.local().unwrap().to_string();
        let (_, ip) = theirs
            .iter()
            .find(|(i, t)| *i == i64::from(a.index()) && t["local"] == local.as_str())
            .unwrap_or_else(|| panic!("{local} missing from ip"));
        compare(&a, ip);
        assert_eq!(a.attrs.unknown(), 0, "{local}");
        assert!(
            a.to_string()
                .starts_with(&format!("{} {local}", a.family()))
        );
    }
    let find = |text: &str| {
        ours.iter()
            .find(|o| o.view().local().unwrap().to_string() == text)
            .unwrap()
    };
    let a = find("10.1.2.4").view();
    assert!(
        a.flags().contains(AddrFlags::SECONDARY),
        "second in the subnet"
    );
    let a = find("2001:db8::1").view();
    assert!(
        a.flags()
            .contains(AddrFlags::NODAD | AddrFlags::NOPREFIXROUTE | AddrFlags::PERMANENT)
    );
    let a = find("2001:db8:1::1").view();
    assert!(!a.flags().contains(AddrFlags::PERMANENT), "has lifetimes");
    assert!(a.cacheinfo().unwrap().valid.get() <= 3000);
    let a = find("192.0.2.1").view();
    assert_eq!(a.peer(), Some("192.0.2.2".parse().unwrap()));
    // Strict filters: one family, one interface.
    let v0 = index_of("v0");
    let only_v0 = dump(&mut socket, AddressFamily::Unspec, Some(v0));
    assert!(!only_v0.is_empty());
    assert!(only_v0.iter().all(|o| o.view().index() == v0));
    assert_eq!(only_v0.len(), ip_addrs(&["dev", "v0"]).len());
    let v6 = dump(&mut socket, AddressFamily::Inet6, Some(v0));
    assert!(v6.iter().all(|o| o.view().family() == AddressFamily::Inet6));
    assert_eq!(v6.len(), ip_addrs(&["-6", "dev", "v0"]).len());
}

#[test]
fn add_and_delete_with_nl() {
    netns_or_skip!();
    run_ok(
        "ip",
        &["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
    );
    let v0 = index_of("v0");
    let mut socket = socket();
    let mut buf = [0u8; 128];
    let mut v4 = AddrSpec::new(v0, IpAddr::V4(Ipv4Addr::new(10, 7, 0, 1)), 16);
    v4.broadcast = Some(Ipv4Addr::new(10, 7, 255, 255));
    v4.label = Some("v0:nl");
    let mut v6 = AddrSpec::new(v0, "2001:db8:7::1".parse().unwrap(), 64);
    v6.flags = AddrFlags(AddrFlags::NODAD | AddrFlags::NOPREFIXROUTE);
    for spec in [&v4, &v6] {
        let msg = addr::new_addr(
            &mut buf,
            socket.next_seq(),
            Flags::CREATE | Flags::EXCL,
            spec,
        )
        .unwrap();
        socket.request(msg, Some(addr::layout())).unwrap();
    }
    let theirs = ip_addrs(&["dev", "v0"]);
    let ip4 = &theirs
        .iter()
        .find(|(_, a)| a["local"] == "10.7.0.1")
        .unwrap()
        .1;
    assert_eq!(ip4["prefixlen"], 16);
    assert_eq!(ip4["broadcast"], "10.7.255.255");
    assert_eq!(ip4["label"], "v0:nl");
    assert_eq!(ip4["scope"], "global");
    let ip6 = &theirs
        .iter()
        .find(|(_, a)| a["local"] == "2001:db8:7::1")
        .unwrap()
        .1;
    assert_eq!(ip6["prefixlen"], 64);
    assert_eq!(ip6["nodad"], true);
    assert_eq!(ip6["noprefixroute"], true);
    // Adding the same again with EXCL: EEXIST.
    let msg = addr::new_addr(
        &mut buf,
        socket.next_seq(),
        Flags::CREATE | Flags::EXCL,
        &v4,
    )
    .unwrap();
    let err = socket.request(msg, Some(addr::layout())).unwrap_err();
    assert_eq!(err.kernel().unwrap().errno.name(), Some("EEXIST"));
    // DELADDR both.
    for spec in [&v4, &v6] {
        let msg = addr::del_addr(&mut buf, socket.next_seq(), spec).unwrap();
        socket.request(msg, Some(addr::layout())).unwrap();
    }
    let left = ip_addrs(&["dev", "v0"]);
    assert!(
        left.iter()
            .all(|(_, a)| a["local"] != "10.7.0.1" && a["local"] != "2001:db8:7::1"),
        "{left:?}"
    );
    // Deleting what is gone: the kernel's error.
    let msg = addr::del_addr(&mut buf, socket.next_seq(), &v4).unwrap();
    let err = socket.request(msg, Some(addr::layout())).unwrap_err();
    assert_eq!(err.kernel().unwrap().errno.name(), Some("EADDRNOTAVAIL"));
}
