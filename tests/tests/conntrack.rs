//! Conntrack (ctnetlink) against the live kernel, each test in a fresh
//! netns: 10,000 entries created through netlink in bulk (TCP, UDP, ICMP;
//! IPv4 and IPv6; with marks and zones), dumped back complete and
//! cross-checked with `conntrack -L` (conntrack-tools), the kernel's
//! mark and zone filters, get, delete with DESTROY events, NEW and UPDATE
//! events, flush, a rejected duplicate, and the `nl conntrack` commands.
//! Entries created through ctnetlink need no traffic.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::ops::ControlFlow;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nl_core::netfilter::conntrack::{
    Conntrack, ConntrackEvent, ConntrackSpec, DumpFilter, TcpState, Tuple,
};
use nl_tests::{netns_or_skip, run, run_ok};
use nl_uring::conntrack::{self, Group};
use nl_uring::{BulkOptions, Protocol, Ring, Socket};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(5);
const ENTRIES: usize = 10_000;
const TIMEOUT: u32 = 600;
const AF_INET6: u8 = 10;
/// The zone every fifth entry is in.
const ZONE: u16 = 7;

/// What identifies an entry: its original tuple flattened, and its zone.
type Key = (
    IpAddr,
    IpAddr,
    u8,
    Option<u16>,
    Option<u16>,
    Option<(u16, u8, u8)>,
    u16,
);

fn key(t: &Tuple, zone: Option<u16>) -> Key {
    (
        t.src,
        t.dst,
        t.proto,
        t.src_port,
        t.dst_port,
        t.icmp.map(|i| (i.id, i.ty, i.code)),
        zone.unwrap_or(0),
    )
}

/// Entry `i` of the test set: protocol by `i % 3` (TCP, UDP, ICMP), IP
/// version by `(i / 3) % 2`, a unique source; every fourth entry has a
/// mark `0x100 | i % 7`, every fifth is in [`ZONE`].
fn spec(i: usize) -> ConntrackSpec<'static> {
    let n = u32::try_from(i).unwrap();
    let v6 = (i / 3) % 2 == 1;
    let (src, dst): (IpAddr, IpAddr) = if v6 {
        (
            Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, (n >> 16) as u16, n as u16).into(),
            Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0xffff, 1).into(),
        )
    } else {
        (
            Ipv4Addr::from(0x0a00_0000 | n).into(),
            Ipv4Addr::new(10, 200, 0, 1).into(),
        )
    };
    let sport = 1024 + u16::try_from(i % 50_000).unwrap();
    let orig = match i % 3 {
        0 => Tuple::tcp(SocketAddr::new(src, sport), SocketAddr::new(dst, 80)),
        1 => Tuple::udp(SocketAddr::new(src, sport), SocketAddr::new(dst, 53)),
        _ => Tuple::icmp(src, dst, sport, if v6 { 128 } else { 8 }, 0),
    };
    let mut spec = ConntrackSpec::new(orig, TIMEOUT);
    if i % 3 == 0 {
        spec.tcp_state = Some(TcpState::Established);
    }
    if i % 4 == 0 {
        spec.mark = Some(0x100 | u32::try_from(i % 7).unwrap());
    }
    if i % 5 == 0 {
        spec.zone = Some(ZONE);
    }
    spec
}

fn specs(count: usize) -> Vec<ConntrackSpec<'static>> {
    (0..count).map(spec).collect()
}

/// What the test expects back of `spec`: its key and its mark (0 when none).
fn expected(spec: &ConntrackSpec<'_>) -> (Key, u32) {
    (key(&spec.orig, spec.zone), spec.mark.unwrap_or(0))
}

fn open() -> (Ring, Socket) {
    (
        nl_tests::uring(),
        Socket::open(Protocol::Netfilter).unwrap(),
    )
}

/// Creates `specs` in bulk and expects every one applied.
fn create_all(ring: &mut Ring, socket: &mut Socket, specs: &[ConntrackSpec<'_>]) {
    let report = conntrack::create_many(ring, socket, specs, &BulkOptions::default()).unwrap();
    assert!(report.all_ok(), "{report}: {:?}", report.failures.first());
}

/// Every entry `filter` selects, by key, with its mark.
fn dumped(ring: &mut Ring, socket: &mut Socket, filter: &DumpFilter) -> BTreeMap<Key, u32> {
    let mut found = BTreeMap::new();
    let mut duplicates = Vec::new();
    conntrack::dump(ring, socket, filter, |ct: Conntrack<'_>| {
        let orig = ct.orig().unwrap();
        let k = key(&orig, ct.zone());
        if found.insert(k, ct.mark().unwrap_or(0)).is_some() {
            duplicates.push(k);
        }
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(duplicates.is_empty(), "dumped twice: {duplicates:?}");
    found
}

fn need_conntrack_tool() -> bool {
    let found = Command::new("conntrack").arg("--version").output().is_ok();
    if !found {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "conntrack (conntrack-tools) is not installed"
        );
        eprintln!("skipped: conntrack (conntrack-tools) is not installed");
    }
    found
}

/// One line of `conntrack -L`, read back: the original tuple's key (with
/// the zone) and the mark.
fn parse_conntrack_line(line: &str) -> (Key, u32) {
    let mut words = line.split_whitespace();
    let _name = words.next().unwrap();
    let proto: u8 = words.next().unwrap().parse().unwrap();
    let mut fields: Vec<(&str, &str)> = Vec::new();
    for word in words {
        if let Some((k, v)) = word.split_once('=') {
            fields.push((k, v));
        }
    }
    // The first occurrence of each tuple field is the original direction.
    let first = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("no {name}= in {line}"))
    };
    let number = |name: &str| -> Option<u16> {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.parse().unwrap())
    };
    let icmp = match (number("type"), number("code"), number("id")) {
        (Some(ty), Some(code), Some(id)) => {
            Some((id, u8::try_from(ty).unwrap(), u8::try_from(code).unwrap()))
        }
        _ => None,
    };
    let key = (
        first("src").parse().unwrap(),
        first("dst").parse().unwrap(),
        proto,
        number("sport"),
        number("dport"),
        icmp,
        number("zone").unwrap_or(0),
    );
    let mark = fields
        .iter()
        .find(|(k, _)| *k == "mark")
        .map_or(0, |(_, v)| v.parse().unwrap());
    (key, mark)
}

/// `conntrack -L ARGS`, read back.
fn conntrack_list(args: &[&str]) -> BTreeMap<Key, u32> {
    let mut all = vec!["-L"];
    all.extend_from_slice(args);
    let out = run("conntrack", &all);
    assert!(out.status.success(), "conntrack {all:?}: {out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(parse_conntrack_line)
        .collect()
}

/// Hands the events arriving on `socket` to `each` until it returns
/// true (all expected events seen); fails after [`WAIT`].
fn collect_events(
    ring: &mut Ring,
    socket: &mut Socket,
    mut each: impl FnMut(ConntrackEvent<'_>) -> bool,
) {
    let deadline = Instant::now() + WAIT;
    let mut done = false;
    while !done {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "events did not all arrive in {WAIT:?}");
        ring.conntrack_events(socket, Some(left), |event| {
            done = each(event);
            if done {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
    }
}

#[test]
fn ten_thousand_entries_dump_complete_and_match_conntrack_tools() {
    netns_or_skip!();
    let (mut ring, mut socket) = open();
    let specs = specs(ENTRIES);
    let started = Instant::now();
    create_all(&mut ring, &mut socket, &specs);
    eprintln!("{ENTRIES} entries created in {:?}", started.elapsed());
    let want: BTreeMap<Key, u32> = specs.iter().map(expected).collect();
    assert_eq!(want.len(), ENTRIES, "the test set has duplicates");

    let got = dumped(&mut ring, &mut socket, &DumpFilter::default());
    assert_eq!(got.len(), ENTRIES);
    assert_eq!(got, want);

    // The count is this netns's; the limit is the host's.
    let stats = conntrack::stats(&mut ring, &mut socket).unwrap();
    assert_eq!(stats.entries, u32::try_from(ENTRIES).unwrap(), "{stats:?}");
    let max: u32 = std::fs::read_to_string("/proc/sys/net/netfilter/nf_conntrack_max")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(stats.max_entries, max);
    let per_cpu = conntrack::stats_cpu(&mut ring, &mut socket).unwrap();
    assert!(!per_cpu.is_empty());

    if need_conntrack_tool() {
        assert_eq!(conntrack_list(&[]), want, "conntrack -L disagrees");
        // Its text for a few entries, field by field against the dump.
        let out = run_ok("conntrack", &["-L", "-p", "tcp", "--sport", "1024"]);
        let line = out.lines().next().unwrap();
        assert!(line.starts_with("tcp      6 "), "{line}");
        assert!(
            line.contains(" ESTABLISHED src=10.0.0.0 dst=10.200.0.1 sport=1024 dport=80 "),
            "{line}"
        );
        assert!(line.contains(" mark=256 zone=7 "), "{line}");
    }
}

#[test]
fn filtered_dumps_give_exactly_the_subsets() {
    netns_or_skip!();
    let (mut ring, mut socket) = open();
    let specs = specs(ENTRIES);
    create_all(&mut ring, &mut socket, &specs);
    let all: Vec<(Key, u32)> = specs.iter().map(expected).collect();
    let subset = |keep: &dyn Fn(usize) -> bool| -> BTreeMap<Key, u32> {
        all.iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, e)| *e)
            .collect()
    };

    // Any mark in 0x100..0x1ff: every fourth entry.
    let by_mask = DumpFilter {
        mark: Some((0x100, 0xff00)),
        ..DumpFilter::default()
    };
    assert_eq!(
        dumped(&mut ring, &mut socket, &by_mask),
        subset(&|i| i % 4 == 0)
    );
    // Exactly 0x103.
    let exact = DumpFilter {
        mark: Some((0x103, 0xffff_ffff)),
        ..DumpFilter::default()
    };
    let want = subset(&|i| i % 4 == 0 && i % 7 == 3);
    assert!(!want.is_empty());
    assert_eq!(dumped(&mut ring, &mut socket, &exact), want);
    // Zone 7: every fifth entry.
    let zone = DumpFilter {
        zone: Some(ZONE),
        ..DumpFilter::default()
    };
    assert_eq!(
        dumped(&mut ring, &mut socket, &zone),
        subset(&|i| i % 5 == 0)
    );
    // IPv6 only.
    let v6 = DumpFilter {
        family: AF_INET6,
        ..DumpFilter::default()
    };
    assert_eq!(
        dumped(&mut ring, &mut socket, &v6),
        subset(&|i| (i / 3) % 2 == 1)
    );

    if need_conntrack_tool() {
        let tool = conntrack_list(&["--mark", "0x100/0xff00"]);
        assert_eq!(tool, subset(&|i| i % 4 == 0), "conntrack -L --mark");
        let tool = conntrack_list(&["--zone", "7"]);
        assert_eq!(tool, subset(&|i| i % 5 == 0), "conntrack -L --zone");
    }
}

#[test]
fn get_delete_and_destroy_events() {
    netns_or_skip!();
    let (mut ring, mut socket) = open();
    // With net.netfilter.nf_conntrack_events = 2 (the default), an entry
    // carries the event extension only when a listener exists as it is
    // created: this one, made before any, is deleted without an event.
    let early = spec(5000);
    conntrack::create(&mut ring, &mut socket, &early).unwrap();
    let mut events = Socket::open(Protocol::Netfilter).unwrap();
    conntrack::join_events(&events, &[Group::Destroy]).unwrap();
    let specs = specs(300);
    create_all(&mut ring, &mut socket, &specs);

    // Get one (in its zone) and one that is not there.
    let wanted = &specs[60]; // tcp, v4, mark 0x104, zone 7
    let (orig, mark, zone, state) =
        conntrack::get(&mut ring, &mut socket, &wanted.orig, wanted.zone, |ct| {
            (ct.orig().unwrap(), ct.mark(), ct.zone(), ct.tcp_state())
        })
        .unwrap();
    assert_eq!(orig, wanted.orig);
    assert_eq!(mark, wanted.mark);
    assert_eq!(zone, Some(ZONE));
    assert_eq!(state, Some(TcpState::Established));
    let missing = conntrack::get(&mut ring, &mut socket, &wanted.orig, None, |_| ()).unwrap_err();
    assert_eq!(missing.kernel().unwrap().errno.name(), Some("ENOENT"));

    // Delete the early entry, then every third one: exactly the DESTROY
    // events of the latter arrive (the early one's would come first).
    conntrack::delete(&mut ring, &mut socket, &early.orig, early.zone).unwrap();
    let gone: BTreeSet<Key> = specs
        .iter()
        .step_by(3)
        .map(|s| key(&s.orig, s.zone))
        .collect();
    for s in specs.iter().step_by(3) {
        conntrack::delete(&mut ring, &mut socket, &s.orig, s.zone).unwrap();
    }
    let mut destroyed = BTreeSet::new();
    let mut others = Vec::new();
    collect_events(&mut ring, &mut events, |event| match event {
        ConntrackEvent::Destroy(ct) => {
            destroyed.insert(key(&ct.orig().unwrap(), ct.zone()));
            destroyed.len() >= gone.len()
        }
        other => {
            others.push(format!("{other:?}"));
            false
        }
    });
    assert!(others.is_empty(), "{others:?}");
    assert_eq!(destroyed, gone);

    let left = dumped(&mut ring, &mut socket, &DumpFilter::default());
    let want: BTreeMap<Key, u32> = specs
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, s)| expected(s))
        .collect();
    assert_eq!(left, want);

    // Deleting again: ENOENT.
    let again =
        conntrack::delete(&mut ring, &mut socket, &specs[0].orig, specs[0].zone).unwrap_err();
    assert_eq!(again.kernel().unwrap().errno.name(), Some("ENOENT"));
}

#[test]
fn new_and_update_events() {
    netns_or_skip!();
    let (mut ring, mut socket) = open();
    let mut events = Socket::open(Protocol::Netfilter).unwrap();
    conntrack::join_events(&events, &[Group::New, Group::Update]).unwrap();
    let specs = specs(60);
    create_all(&mut ring, &mut socket, &specs);
    let want: BTreeSet<Key> = specs.iter().map(|s| key(&s.orig, s.zone)).collect();
    let mut created = BTreeSet::new();
    let mut others = Vec::new();
    collect_events(&mut ring, &mut events, |event| match event {
        ConntrackEvent::New(ct) => {
            created.insert(key(&ct.orig().unwrap(), ct.zone()));
            created.len() >= want.len()
        }
        other => {
            others.push(format!("{other:?}"));
            false
        }
    });
    assert!(others.is_empty(), "{others:?}");
    assert_eq!(created, want);

    // A new mark on an existing entry: one UPDATE with it.
    let mut changed = specs[1];
    changed.mark = Some(0xbeef);
    conntrack::update(&mut ring, &mut socket, &changed).unwrap();
    let mut marks = Vec::new();
    collect_events(&mut ring, &mut events, |event| match event {
        ConntrackEvent::Update(ct) => {
            assert_eq!(ct.orig().unwrap(), changed.orig);
            marks.push(ct.mark());
            true
        }
        other => panic!("{other:?}"),
    });
    assert_eq!(marks, [Some(0xbeef)]);
}

#[test]
fn a_duplicate_is_eexist_and_flush_empties_the_table() {
    netns_or_skip!();
    let (mut ring, mut socket) = open();
    let specs = specs(30);
    create_all(&mut ring, &mut socket, &specs);
    let err = conntrack::create(&mut ring, &mut socket, &specs[2]).unwrap_err();
    let kernel = err.kernel().unwrap_or_else(|| panic!("{err}"));
    assert_eq!(kernel.errno.name(), Some("EEXIST"));
    assert_eq!(kernel.text(), "File exists");
    // The same tuple in another zone is another entry.
    let mut other_zone = specs[2];
    other_zone.zone = Some(ZONE + 1);
    conntrack::create(&mut ring, &mut socket, &other_zone).unwrap();
    assert_eq!(
        dumped(&mut ring, &mut socket, &DumpFilter::default()).len(),
        31
    );

    // Bulk: the duplicates fail one by one, the rest are applied.
    let again = conntrack::create_many(
        &mut ring,
        &mut socket,
        &[specs[0], spec(1000), specs[5]],
        &BulkOptions::default(),
    )
    .unwrap();
    let failed: Vec<(usize, Option<&str>)> = again
        .failures
        .iter()
        .map(|f| (f.index, f.error.errno.name()))
        .collect();
    assert_eq!(failed, [(0, Some("EEXIST")), (2, Some("EEXIST"))]);

    // Reading with the counters zeroed gives every entry too.
    let mut zeroed = 0;
    conntrack::dump_zero(&mut ring, &mut socket, &DumpFilter::default(), |_| {
        zeroed += 1;
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(zeroed, 32);

    conntrack::flush(&mut ring, &mut socket, 0).unwrap();
    assert!(dumped(&mut ring, &mut socket, &DumpFilter::default()).is_empty());
    if need_conntrack_tool() {
        assert!(conntrack_list(&[]).is_empty());
    }
}

/// Waits until `count` netfilter sockets of this netns have joined the
/// three conntrack groups (protocol 12, groups 0x7 in
/// `/proc/thread-self/net/netlink`: `/proc/net` would show the main
/// thread's netns), so monitors just started see what follows.
fn wait_for_conntrack_listeners(count: usize) {
    let deadline = Instant::now() + WAIT;
    loop {
        let table = std::fs::read_to_string("/proc/thread-self/net/netlink").unwrap();
        let joined = table
            .lines()
            .skip(1)
            .filter(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                fields.get(1) == Some(&"12") && fields.get(3) == Some(&"00000007")
            })
            .count();
        if joined >= count {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the monitors never joined:\n{table}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn nl(binary: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(binary).args(args).output().unwrap()
}

#[test]
fn the_nl_conntrack_commands() {
    netns_or_skip!();
    let Some(binary) = nl_tests::nl_example() else {
        return;
    };
    if !need_conntrack_tool() {
        return;
    }
    let ok = |args: &[&str]| {
        let out = nl(&binary, args);
        assert!(out.status.success(), "nl {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    // Monitors first, so they see what follows: `nl conntrack monitor`
    // and `nl -j monitor conntrack`.
    let spawn = |args: &[&str]| {
        Killed(
            Command::new(&binary)
                .args(args)
                .stdout(Stdio::piped())
                .spawn()
                .unwrap(),
        )
    };
    let mut monitor = spawn(&["conntrack", "monitor"]);
    let mut json_monitor = spawn(&["-j", "monitor", "conntrack"]);
    wait_for_conntrack_listeners(2);

    ok(&[
        "conntrack",
        "add",
        "-p",
        "tcp",
        "-s",
        "10.1.0.1",
        "-d",
        "10.1.0.2",
        "--sport",
        "1000",
        "--dport",
        "80",
        "-t",
        "300",
        "--state",
        "ESTABLISHED",
        "--mark",
        "5",
        "--zone",
        "3",
    ]);
    ok(&[
        "conntrack",
        "add",
        "-p",
        "udp",
        "-s",
        "fd00::1",
        "-d",
        "fd00::2",
        "--sport",
        "999",
        "--dport",
        "53",
        "-t",
        "300",
    ]);
    ok(&[
        "conntrack",
        "add",
        "-p",
        "icmp",
        "-s",
        "10.1.0.1",
        "-d",
        "10.1.0.2",
        "--icmp-type",
        "8",
        "--icmp-code",
        "0",
        "--icmp-id",
        "77",
        "-t",
        "300",
    ]);
    let text: BTreeMap<Key, u32> = ok(&["conntrack", "list"])
        .lines()
        .map(parse_conntrack_line)
        .collect();
    assert_eq!(text.len(), 3);
    assert_eq!(text, conntrack_list(&[]));
    // Line for line the same text, but for the timeouts (they tick).
    let without_timeout = |text: &str| -> BTreeSet<String> {
        text.lines()
            .map(|l| {
                let mut words: Vec<&str> = l.split_whitespace().collect();
                words.remove(2);
                words.join(" ")
            })
            .collect()
    };
    assert_eq!(
        without_timeout(&ok(&["conntrack", "list"])),
        without_timeout(&run_ok("conntrack", &["-L"]))
    );
    // The same through a filter.
    let marked: BTreeMap<Key, u32> = ok(&["conntrack", "list", "--mark", "5"])
        .lines()
        .map(parse_conntrack_line)
        .collect();
    assert_eq!(marked, conntrack_list(&["--mark", "5"]));
    let zoned = ok(&["conntrack", "list", "--zone", "3"]);
    assert_eq!(zoned.lines().count(), 1, "{zoned}");
    let v6 = ok(&["conntrack", "list", "-f", "ipv6"]);
    assert_eq!(v6.lines().count(), 1, "{v6}");
    assert!(
        v6.contains("src=fd00::1 dst=fd00::2 sport=999 dport=53"),
        "{v6}"
    );

    // JSON: one object per entry, with the spec's names.
    let json: Value = serde_json::from_str(&ok(&["-j", "conntrack", "list"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3, "{json}");

    // A duplicate: the kernel's errno, exit status 1.
    let dup = nl(
        &binary,
        &[
            "conntrack",
            "add",
            "-p",
            "udp",
            "-s",
            "fd00::1",
            "-d",
            "fd00::2",
            "--sport",
            "999",
            "--dport",
            "53",
            "-t",
            "300",
        ],
    );
    assert_eq!(dup.status.code(), Some(1), "{dup:?}");
    assert!(
        String::from_utf8_lossy(&dup.stderr).contains("EEXIST"),
        "{dup:?}"
    );

    ok(&[
        "conntrack",
        "del",
        "-p",
        "udp",
        "-s",
        "fd00::1",
        "-d",
        "fd00::2",
        "--sport",
        "999",
        "--dport",
        "53",
    ]);
    assert_eq!(conntrack_list(&[]).len(), 2);
    ok(&["conntrack", "flush"]);
    assert!(conntrack_list(&[]).is_empty());

    // The monitors saw three NEW and three DESTROY events.
    let seen = read_lines(&mut monitor, 6);
    let kinds: Vec<&str> = seen
        .iter()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(
        kinds,
        [
            "[NEW]",
            "[NEW]",
            "[NEW]",
            "[DESTROY]",
            "[DESTROY]",
            "[DESTROY]"
        ],
        "{seen:#?}"
    );
    assert!(
        seen[1].contains("src=fd00::1 dst=fd00::2 sport=999 dport=53"),
        "{seen:#?}"
    );
    let objects: Vec<Value> = read_lines(&mut json_monitor, 6)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let events: Vec<&str> = objects
        .iter()
        .map(|o| o["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        ["new", "new", "new", "destroy", "destroy", "destroy"],
        "{objects:#?}"
    );
    let first = &objects[0];
    assert_eq!(first["tuple-orig"]["ip-v4-src"], "10.1.0.1", "{first}");
    assert_eq!(first["tuple-orig"]["proto-dst-port"], 80, "{first}");
    assert_eq!(first["tuple-reply"]["proto-src-port"], 80, "{first}");
    assert_eq!(first["mark"], 5, "{first}");
    assert_eq!(first["zone"], 3, "{first}");
}

/// A child process killed when dropped, so a failing test leaves no
/// monitor behind.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Up to `count` lines of `child`'s output (fewer if it stops or [`WAIT`]
/// passes).
fn read_lines(child: &mut Killed, count: usize) -> Vec<String> {
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().take(count) {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + WAIT;
    let mut lines = Vec::new();
    while lines.len() < count {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => lines.push(line),
            Err(_) => break,
        }
    }
    lines
}
