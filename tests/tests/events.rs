//! Typed rtnetlink notifications (`Ring::route_events`) on io_uring and on
//! blocking calls: a veth pair with addresses, a route, a neighbour and a
//! rule made and removed with `ip`, each change heard as the event of its
//! kind with the names, addresses and interface indexes `ip` reports; an
//! error from an `events_with` callback stops the stream without losing
//! what follows; and `nl monitor -j` printing one JSON object per event.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::ops::ControlFlow;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nl_core::route::event::RouteEvent;
use nl_tests::link::ip_links;
use nl_tests::{ip_batch, netns_or_skip, nl_example, run, run_ok, uring};
use nl_uring::{Error, Protocol, Ring, RouteGroup, Socket};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(5);

/// One event, owned: its name (`newlink`…), the interface it concerns and
/// a key naming the object.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Seen {
    event: &'static str,
    ifindex: Option<u32>,
    key: String,
}

fn prefix(addr: Option<IpAddr>, len: u8) -> String {
    match addr {
        Some(a) => format!("{a}/{len}"),
        None => format!("default/{len}"),
    }
}

impl Seen {
    fn of(e: &RouteEvent<'_>) -> Seen {
        let key = match e {
            RouteEvent::NewLink(l) | RouteEvent::DelLink(l) => l.name().to_string(),
            RouteEvent::NewAddr(a) | RouteEvent::DelAddr(a) => prefix(a.local(), a.prefixlen()),
            RouteEvent::NewRoute(r) | RouteEvent::DelRoute(r) => {
                let mut key = format!("{} table {}", prefix(r.dst(), r.dst_len()), r.table_id());
                if let Some(gw) = r.gateway() {
                    key += &format!(" via {gw}");
                }
                key
            }
            RouteEvent::NewNeigh(n) | RouteEvent::DelNeigh(n) => {
                let mut key = n.dst().map(|d| d.to_string()).unwrap_or_default();
                if let Some(lladdr) = n.lladdr() {
                    key += &format!(" lladdr {lladdr}");
                }
                key
            }
            RouteEvent::NewRule(r) | RouteEvent::DelRule(r) => {
                let from = r.src().map(|(a, l)| prefix(Some(a), l)).unwrap_or_default();
                format!("pref {} from {from} table {}", r.priority(), r.table())
            }
        };
        Seen {
            event: e.name(),
            ifindex: e.ifindex(),
            key,
        }
    }
}

/// Receives events until `done` holds for what was seen (fails after
/// [`WAIT`]); every event is also checked to print as one line.
fn collect(ring: &mut Ring, socket: &mut Socket, done: impl Fn(&[Seen]) -> bool) -> Vec<Seen> {
    let deadline = Instant::now() + WAIT;
    let mut seen = Vec::new();
    while !done(&seen) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "timed out; saw\n{}", lines(&seen));
        ring.route_events(socket, Some(left), |e| {
            let text = e.to_string();
            assert!(!text.contains('\n'), "{text}");
            assert!(text.starts_with(e.topic().name()), "{text}");
            seen.push(Seen::of(&e));
            if done(&seen) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
    }
    seen
}

/// One event per line, for failure messages.
fn lines(seen: &[Seen]) -> String {
    let lines: Vec<String> = seen.iter().map(|s| format!("{s:?}")).collect();
    lines.join("\n")
}

/// Whether `wanted` occurs in `seen` in this order (other events between).
fn in_order(seen: &[Seen], wanted: &[Seen]) -> bool {
    let mut rest = seen.iter();
    wanted.iter().all(|w| rest.any(|s| s == w))
}

fn seen(event: &'static str, ifindex: Option<u32>, key: &str) -> Seen {
    Seen {
        event,
        ifindex,
        key: key.to_owned(),
    }
}

/// Makes and removes one of each object on a veth pair, and checks that
/// `ring` delivers the event of each change, in order.
fn every_kind_of_change_is_heard(mut ring: Ring) {
    let mut socket = Socket::open(Protocol::Route).unwrap();
    socket.join_route_groups(&RouteGroup::ALL).unwrap();
    socket.force_recv_queue_size(1 << 20).unwrap();

    ip_batch(
        "link add e0 type veth peer name e1\n\
         link set e0 up\n\
         link set e1 up\n\
         addr add 10.10.0.1/24 dev e0\n\
         addr add 2001:db8::1/64 dev e0 nodad\n",
    );
    // The indexes as `ip` reports them, before the pair goes away.
    let links = ip_links();
    let index = |name: &str| {
        let link = links.iter().find(|l| l.name == name).unwrap();
        Some(u32::try_from(link.index).unwrap())
    };
    let (e0, e1) = (index("e0"), index("e1"));
    let made = [
        seen("newlink", e0, "e0"),
        seen("newaddr", e0, "10.10.0.1/24"),
        // The prefix route the address brings, in the main table.
        seen("newroute", e0, "10.10.0.0/24 table 254"),
    ];
    // IPv6 announces a new address from a work queue once it is ready
    // (even with `nodad`), so later changes may be heard before it, and
    // one removed before the work ran is never announced at all: wait for
    // it before going on.
    let v6 = seen("newaddr", e0, "2001:db8::1/64");
    let e1_made = seen("newlink", e1, "e1");
    let first = collect(&mut ring, &mut socket, |s| {
        in_order(s, &made) && s.contains(&v6) && s.contains(&e1_made)
    });
    // The IPv6 address came with its prefix route, on its own group.
    assert!(
        first
            .iter()
            .any(|s| s.event == "newroute" && s.key == "2001:db8::/64 table 254"),
        "{}",
        lines(&first)
    );

    ip_batch(
        "route add 192.0.2.0/24 via 10.10.0.2 dev e0\n\
         neigh add 10.10.0.2 lladdr 02:00:00:00:00:02 dev e0 nud permanent\n\
         rule add pref 100 from 198.51.100.0/24 table 100\n\
         rule del pref 100\n\
         neigh del 10.10.0.2 dev e0\n\
         route del 192.0.2.0/24 via 10.10.0.2 dev e0\n\
         addr del 2001:db8::1/64 dev e0\n\
         addr del 10.10.0.1/24 dev e0\n\
         link del e0\n",
    );
    let changed = [
        seen("newroute", e0, "192.0.2.0/24 table 254 via 10.10.0.2"),
        seen("newneigh", e0, "10.10.0.2 lladdr 02:00:00:00:00:02"),
        seen("newrule", None, "pref 100 from 198.51.100.0/24 table 100"),
        seen("delrule", None, "pref 100 from 198.51.100.0/24 table 100"),
        // This kernel withdraws a permanent entry without its lladdr.
        seen("delneigh", e0, "10.10.0.2"),
        seen("delroute", e0, "192.0.2.0/24 table 254 via 10.10.0.2"),
        seen("deladdr", e0, "2001:db8::1/64"),
        seen("deladdr", e0, "10.10.0.1/24"),
        seen("dellink", e0, "e0"),
    ];
    let peer_gone = seen("dellink", e1, "e1");
    collect(&mut ring, &mut socket, |s| {
        in_order(s, &changed) && s.contains(&peer_gone)
    });

    // Nothing else is pending: a short wait hears nothing.
    let quiet = ring
        .route_events(&mut socket, Some(Duration::from_millis(200)), |e| {
            panic!("unexpected {e}")
        })
        .unwrap();
    assert_eq!(quiet, 0);
}

#[test]
fn route_events_on_io_uring() {
    netns_or_skip!();
    every_kind_of_change_is_heard(uring());
}

#[test]
fn route_events_on_blocking_calls() {
    netns_or_skip!();
    every_kind_of_change_is_heard(Ring::blocking());
}

/// An error that is not the transport's, from an `events_with` callback.
#[derive(Debug)]
enum Stop {
    Mine(u32),
    Nl(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Nl(e)
    }
}

#[test]
fn a_failing_callback_stops_the_stream_and_loses_nothing() {
    netns_or_skip!();
    run_ok("ip", &["link", "set", "lo", "up"]);
    for mut ring in [uring(), Ring::blocking()] {
        let mut socket = Socket::open(Protocol::Route).unwrap();
        socket.join_route_groups(&[RouteGroup::Ipv4Addr]).unwrap();
        let batch: String = (1..=4)
            .map(|i| format!("addr add 10.20.0.{i}/32 dev lo\n"))
            .collect();
        ip_batch(&batch);
        // Each address is its own notification; fail on the second.
        let mut got = Vec::new();
        let result = ring.events_with(&mut socket, Some(WAIT), |m| {
            let RouteEvent::NewAddr(a) = RouteEvent::parse(&m).map_err(Error::from)? else {
                panic!("not an address event");
            };
            got.push(a.local().unwrap().to_string());
            if got.len() == 2 {
                return Err(Stop::Mine(2));
            }
            Ok(ControlFlow::Continue(()))
        });
        if let Err(Stop::Nl(e)) = &result {
            panic!("the transport failed: {e}");
        }
        assert!(matches!(result, Err(Stop::Mine(2))), "{result:?}");
        // The next call starts with the third, although the ring may have
        // read it (and the fourth) before the callback failed.
        let count = ring
            .route_events(&mut socket, Some(WAIT), |e| {
                let RouteEvent::NewAddr(a) = e else {
                    panic!("{e}");
                };
                got.push(a.local().unwrap().to_string());
                if got.len() == 4 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
            .unwrap();
        assert_eq!(count, 2);
        let wanted: Vec<String> = (1..=4).map(|i| format!("10.20.0.{i}")).collect();
        assert_eq!(got, wanted);
        run_ok("ip", &["addr", "flush", "dev", "lo", "to", "10.20.0.0/24"]);
        // The flush's deletions are for the next ring's socket to ignore:
        // this socket goes away with them.
    }
}

#[test]
fn nl_monitor_prints_one_json_object_per_event() {
    netns_or_skip!();
    let Some(nl) = nl_example() else {
        return;
    };
    let mut child = Command::new(nl)
        .args(["-j", "monitor", "link", "addr"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("cannot run nl");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    run_ok(
        "ip",
        &["link", "add", "m0", "type", "veth", "peer", "name", "m1"],
    );
    let index = ip_links().iter().find(|l| l.name == "m0").unwrap().index;
    // The monitor may not have joined its groups yet: keep changing m0
    // (its MTU, one more address) until the monitor has reported both
    // kinds; after a while, end the monitor so the test fails instead of
    // hanging. The thread shares this thread's network namespace.
    let stop = Arc::new(AtomicBool::new(false));
    let changer = {
        let stop = Arc::clone(&stop);
        let pid = child.id().to_string();
        std::thread::spawn(move || {
            let deadline = Instant::now() + 4 * WAIT;
            for i in 1u32.. {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                if Instant::now() > deadline {
                    run("kill", &[&pid]);
                    return;
                }
                let mtu = (1400 + i % 100).to_string();
                run_ok("ip", &["link", "set", "m0", "mtu", &mtu]);
                let addr = format!("10.30.{}.{}/24", i / 250, i % 250 + 1);
                run_ok("ip", &["addr", "add", &addr, "dev", "m0"]);
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let mut events: HashMap<String, serde_json::Value> = HashMap::new();
    while !(events.contains_key("newlink") && events.contains_key("newaddr")) {
        let line = lines.next().expect("nl monitor ended").unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let event = v["event"].as_str().unwrap().to_owned();
        let ours = match event.as_str() {
            "newlink" => v["ifname"] == "m0",
            "newaddr" => v["ifindex"] == index,
            _ => false,
        };
        if ours {
            events.insert(event, v);
        }
    }
    stop.store(true, Ordering::Relaxed);
    changer.join().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(events["newlink"]["ifindex"], index);
    let mtu = events["newlink"]["mtu"].as_u64().unwrap();
    assert!((1400..1500).contains(&mtu), "{mtu}");
    let addr = &events["newaddr"]["addr_info"][0];
    assert!(
        addr["local"].as_str().unwrap().starts_with("10.30."),
        "{addr}"
    );
    assert_eq!(
        (&addr["family"], &addr["prefixlen"]),
        (&json!("inet"), &json!(24))
    );
}
