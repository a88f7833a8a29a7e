//! mptcp_pm against the live kernel, each test in a fresh netns:
//! endpoints and limits cross-checked with `ip mptcp`, a rejected request's
//! errno and extack text, and the events of real MPTCP connections over
//! loopback, with the in-kernel and with the userspace path manager.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use nl_core::mptcp::{Address, EndpointFlags, Event, Limits};
use nl_tests::mptcp::{self, Connection};
use nl_tests::{iproute2_error_text, netns_or_skip, run, run_ok};
use nl_uring::mptcp::MptcpPm;
use nl_uring::{GenlFamilies, Protocol, Ring, Socket};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(5);

/// A request socket, the resolved family, and a ring.
fn open() -> (Ring, Socket, MptcpPm) {
    let mut socket = Socket::open(Protocol::Generic).unwrap();
    let pm = MptcpPm::resolve(&mut socket, &mut GenlFamilies::new()).unwrap();
    (nl_tests::uring(), socket, pm)
}

fn ip(addr: &str) -> IpAddr {
    addr.parse().unwrap()
}

fn endpoint(addr: &str, id: u8, flags: u32) -> Address {
    let mut endpoint = Address::new(ip(addr));
    endpoint.id = Some(id);
    endpoint.flags = EndpointFlags(flags);
    endpoint
}

fn lo_index() -> i32 {
    let links: Value = serde_json::from_str(&run_ok("ip", &["-j", "link", "show", "lo"])).unwrap();
    i32::try_from(links[0]["ifindex"].as_i64().unwrap()).unwrap()
}

/// `ip -j mptcp endpoint show`, read back into [`Address`]es, by id.
fn ip_endpoints() -> Vec<Address> {
    let shown: Value =
        serde_json::from_str(&run_ok("ip", &["-j", "mptcp", "endpoint", "show"])).unwrap();
    let mut endpoints: Vec<Address> = shown
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut address = Address::new(ip(e["address"].as_str().unwrap()));
            address.id = Some(u8::try_from(e["id"].as_u64().unwrap()).unwrap());
            address.port = e["port"].as_u64().map(|p| u16::try_from(p).unwrap());
            for (name, flag) in [
                ("signal", EndpointFlags::SIGNAL),
                ("subflow", EndpointFlags::SUBFLOW),
                ("backup", EndpointFlags::BACKUP),
                ("fullmesh", EndpointFlags::FULLMESH),
                ("implicit", EndpointFlags::IMPLICIT),
            ] {
                if e[name] == Value::Bool(true) {
                    address.flags.0 |= flag;
                }
            }
            address.ifindex = e["dev"].as_str().map(|dev| {
                assert_eq!(dev, "lo", "the tests only use lo");
                lo_index()
            });
            address
        })
        .collect();
    endpoints.sort_by_key(|e| e.id);
    endpoints
}

/// `endpoints` in id order.
fn sorted(mut endpoints: Vec<Address>) -> Vec<Address> {
    endpoints.sort_by_key(|e| e.id);
    endpoints
}

#[test]
fn endpoints_added_read_changed_and_removed_agree_with_ip() {
    netns_or_skip!();
    run_ok("ip", &["link", "set", "lo", "up"]);
    let (mut ring, mut socket, pm) = open();
    let lo = lo_index();
    // A signal endpoint with a port gets a listener: its address must be local.
    let mut with_port = endpoint("127.0.0.1", 1, EndpointFlags::SIGNAL);
    with_port.port = Some(10_000);
    let mut with_dev = endpoint("10.0.0.2", 2, EndpointFlags::SUBFLOW);
    with_dev.ifindex = Some(lo);
    let wanted = vec![
        with_port,
        with_dev,
        endpoint(
            "10.0.0.3",
            3,
            EndpointFlags::SUBFLOW | EndpointFlags::BACKUP,
        ),
        endpoint(
            "10.0.0.4",
            4,
            EndpointFlags::SUBFLOW | EndpointFlags::FULLMESH,
        ),
        endpoint(
            "2001:db8::1",
            5,
            EndpointFlags::SIGNAL | EndpointFlags::BACKUP,
        ),
        endpoint("2001:db8::2", 6, EndpointFlags::SUBFLOW),
    ];
    for e in &wanted {
        pm.add_endpoint(&mut ring, &mut socket, e).unwrap();
    }

    let dumped = sorted(pm.endpoints(&mut ring, &mut socket).unwrap());
    assert_eq!(dumped, wanted);
    assert_eq!(ip_endpoints(), wanted, "ip agrees with what was added");
    for e in &wanted {
        let id = e.id.unwrap();
        assert_eq!(&pm.endpoint(&mut ring, &mut socket, id).unwrap(), e);
    }

    // set-flags: backup on, then off again.
    let mut changed = wanted[2];
    changed.flags = EndpointFlags(EndpointFlags::SUBFLOW);
    let mut request = Address::new(changed.addr.unwrap());
    request.id = Some(3);
    pm.set_flags(&mut ring, &mut socket, &request, None, None)
        .unwrap();
    assert_eq!(pm.endpoint(&mut ring, &mut socket, 3).unwrap(), changed);
    request.flags = EndpointFlags(EndpointFlags::BACKUP);
    pm.set_flags(&mut ring, &mut socket, &request, None, None)
        .unwrap();
    assert_eq!(
        ip_endpoints()[2].flags,
        EndpointFlags(EndpointFlags::SUBFLOW | EndpointFlags::BACKUP)
    );

    // del one, then flush the rest.
    pm.del_endpoint(&mut ring, &mut socket, &wanted[1]).unwrap();
    let rest: Vec<Address> = wanted.iter().filter(|e| e.id != Some(2)).copied().collect();
    assert_eq!(sorted(pm.endpoints(&mut ring, &mut socket).unwrap()), rest);
    assert_eq!(ip_endpoints(), rest);
    let gone = pm.endpoint(&mut ring, &mut socket, 2).unwrap_err();
    assert!(gone.kernel().is_some(), "{gone}");

    pm.flush_endpoints(&mut ring, &mut socket).unwrap();
    assert_eq!(pm.endpoints(&mut ring, &mut socket).unwrap(), vec![]);
    assert_eq!(ip_endpoints(), vec![]);
}

/// `ip mptcp limits show`: `add_addr_accepted N subflows M`.
fn ip_limits() -> Limits {
    let text = run_ok("ip", &["mptcp", "limits", "show"]);
    let words: Vec<&str> = text.split_whitespace().collect();
    let value = |key: &str| {
        let at = words.iter().position(|w| *w == key).unwrap();
        words[at + 1].parse().unwrap()
    };
    Limits {
        subflows: Some(value("subflows")),
        add_addr_accepted: Some(value("add_addr_accepted")),
    }
}

#[test]
fn limits_set_and_read_agree_with_ip() {
    netns_or_skip!();
    let (mut ring, mut socket, pm) = open();
    assert_eq!(pm.limits(&mut ring, &mut socket).unwrap(), ip_limits());
    let wanted = Limits {
        subflows: Some(5),
        add_addr_accepted: Some(3),
    };
    pm.set_limits(&mut ring, &mut socket, &wanted).unwrap();
    assert_eq!(pm.limits(&mut ring, &mut socket).unwrap(), wanted);
    assert_eq!(ip_limits(), wanted);
    // Only one of them: the other stays.
    let one = Limits {
        subflows: Some(1),
        add_addr_accepted: None,
    };
    pm.set_limits(&mut ring, &mut socket, &one).unwrap();
    let both = Limits {
        subflows: Some(1),
        add_addr_accepted: Some(3),
    };
    assert_eq!(ip_limits(), both);
    assert_eq!(pm.limits(&mut ring, &mut socket).unwrap(), both);
}

#[test]
fn a_duplicate_id_is_rejected_with_the_kernels_errno_and_text() {
    netns_or_skip!();
    let (mut ring, mut socket, pm) = open();
    let first = endpoint("10.0.0.1", 7, EndpointFlags::SIGNAL);
    pm.add_endpoint(&mut ring, &mut socket, &first).unwrap();
    let again = endpoint("10.0.0.2", 7, EndpointFlags::SIGNAL);
    let err = pm.add_endpoint(&mut ring, &mut socket, &again).unwrap_err();
    let kernel = err
        .kernel()
        .unwrap_or_else(|| panic!("not a kernel error: {err}"));

    let out = run(
        "ip",
        &["mptcp", "endpoint", "add", "10.0.0.2", "id", "7", "signal"],
    );
    assert!(!out.status.success());
    let ip_text = iproute2_error_text(&String::from_utf8_lossy(&out.stderr));
    assert!(kernel.message.is_some(), "the kernel explains: {err}");
    assert_eq!(kernel.message, ip_text, "the same extack text as ip prints");
    assert!(kernel.errno.0 > 0);
    assert_eq!(ip_endpoints(), vec![first], "nothing was added");
}

/// Collects decoded events until `done` says the list is complete.
fn events_until(
    ring: &mut Ring,
    socket: &mut Socket,
    seen: &mut Vec<Event>,
    mut done: impl FnMut(&[Event]) -> bool,
) {
    let deadline = Instant::now() + WAIT;
    while !done(seen) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "still waiting; saw {seen:#?}");
        ring.mptcp_events(socket, Some(left), |event| {
            seen.push(event);
            ControlFlow::Break(())
        })
        .unwrap();
    }
}

/// A socket that joined the event group.
fn listener_socket(pm: &MptcpPm) -> Socket {
    let socket = Socket::open(Protocol::Generic).unwrap();
    pm.join_events(&socket).unwrap();
    socket
}

fn v4(a: u8, b: u8, c: u8, d: u8, port: u16) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(a, b, c, d)), port)
}

/// The token of the connection whose `Established` event has `local` as
/// its local address.
fn token_of(events: &[Event], local: SocketAddr) -> Option<u32> {
    events.iter().find_map(|e| match e {
        Event::Established(c) if c.local == local => Some(c.token),
        _ => None,
    })
}

#[test]
fn a_connection_with_the_in_kernel_pm_gives_its_events() {
    netns_or_skip!();
    run_ok("ip", &["link", "set", "lo", "up"]);
    let (mut ring, mut socket, pm) = open();
    let mut events = listener_socket(&pm);
    // A second local address the path manager opens a subflow from.
    pm.add_endpoint(
        &mut ring,
        &mut socket,
        &endpoint("127.0.0.2", 1, EndpointFlags::SUBFLOW),
    )
    .unwrap();

    let listener = mptcp::listen(v4(0, 0, 0, 0, 0));
    let port = listener.local_addr().unwrap().port();
    let conn: Connection = mptcp::connect(&listener, v4(127, 0, 0, 1, port));
    let client = conn.client_addr;
    let server = conn.server_addr;

    let mut seen = Vec::new();
    let subflows = |seen: &[Event]| {
        seen.iter()
            .filter(|e| matches!(e, Event::SubEstablished(_)))
            .count()
    };
    events_until(&mut ring, &mut events, &mut seen, |seen| {
        token_of(seen, client).is_some() && token_of(seen, server).is_some() && subflows(seen) == 2
    });
    let client_token = token_of(&seen, client).unwrap();
    let server_token = token_of(&seen, server).unwrap();
    assert_ne!(client_token, server_token);

    // Both ends were created, with their addresses and sides.
    let created: Vec<_> = seen
        .iter()
        .filter_map(|e| match e {
            Event::Created(c) => Some((c.token, c.local, c.remote, c.server_side)),
            _ => None,
        })
        .collect();
    assert!(
        created.contains(&(client_token, client, server, false)),
        "{seen:#?}"
    );
    assert!(
        created.contains(&(server_token, server, client, true)),
        "{seen:#?}"
    );

    // The subflow from 127.0.0.2, seen from both ends.
    for e in &seen {
        if let Event::SubEstablished(s) = e {
            let (local, remote) = if s.token == client_token {
                (s.local, s.remote)
            } else {
                assert_eq!(s.token, server_token);
                (s.remote, s.local)
            };
            assert_eq!(local.ip(), ip("127.0.0.2"), "{s:?}");
            assert_eq!(remote, server, "{s:?}");
            assert_eq!(s.error, None);
        }
    }

    drop(conn);
    events_until(&mut ring, &mut events, &mut seen, |seen| {
        let closed: BTreeSet<u32> = seen
            .iter()
            .filter_map(|e| match e {
                Event::Closed { token } => Some(*token),
                _ => None,
            })
            .collect();
        closed.contains(&client_token) && closed.contains(&server_token)
    });
}

#[test]
fn a_signal_endpoint_with_a_port_opens_and_closes_a_listener() {
    netns_or_skip!();
    run_ok("ip", &["link", "set", "lo", "up"]);
    let (mut ring, mut socket, pm) = open();
    let mut events = listener_socket(&pm);
    let mut signal = endpoint("127.0.0.1", 1, EndpointFlags::SIGNAL);
    signal.port = Some(10_001);
    pm.add_endpoint(&mut ring, &mut socket, &signal).unwrap();
    let mut seen = Vec::new();
    events_until(&mut ring, &mut events, &mut seen, |seen| !seen.is_empty());
    match &seen[..] {
        [Event::ListenerCreated(l)] => assert_eq!(l.local, v4(127, 0, 0, 1, 10_001)),
        other => panic!("{other:#?}"),
    }
    pm.del_endpoint(&mut ring, &mut socket, &signal).unwrap();
    events_until(&mut ring, &mut events, &mut seen, |seen| seen.len() == 2);
    match &seen[1] {
        Event::ListenerClosed(l) => assert_eq!(l.local, v4(127, 0, 0, 1, 10_001)),
        other => panic!("{other:#?}"),
    }
}

#[test]
fn the_userspace_pm_announces_removes_and_opens_and_closes_subflows() {
    netns_or_skip!();
    run_ok("ip", &["link", "set", "lo", "up"]);
    std::fs::write("/proc/sys/net/mptcp/pm_type", "1").expect("net.mptcp.pm_type = 1");
    let (mut ring, mut socket, pm) = open();
    let mut events = listener_socket(&pm);

    let listener = mptcp::listen(v4(0, 0, 0, 0, 0));
    let port = listener.local_addr().unwrap().port();
    let conn = mptcp::connect(&listener, v4(127, 0, 0, 1, port));
    let (client, server) = (conn.client_addr, conn.server_addr);
    let mut seen = Vec::new();
    events_until(&mut ring, &mut events, &mut seen, |seen| {
        token_of(seen, client).is_some() && token_of(seen, server).is_some()
    });
    let client_token = token_of(&seen, client).unwrap();
    let server_token = token_of(&seen, server).unwrap();

    // announce: the server offers 127.0.0.2 (id 5); the client hears it.
    // No port was announced, yet the event carries the connection's.
    let offered = endpoint("127.0.0.2", 5, EndpointFlags::SIGNAL);
    pm.announce(&mut ring, &mut socket, server_token, &offered)
        .unwrap();
    events_until(&mut ring, &mut events, &mut seen, |seen| {
        seen.iter().any(|e| matches!(e, Event::Announced { .. }))
    });
    let announced = seen
        .iter()
        .find(|e| matches!(e, Event::Announced { .. }))
        .unwrap();
    assert_eq!(
        *announced,
        Event::Announced {
            token: client_token,
            rem_id: 5,
            addr: ip("127.0.0.2"),
            port: Some(port),
        }
    );
    let listed = pm
        .connection_addresses(&mut ring, &mut socket, server_token)
        .unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(
        (listed[0].id, listed[0].addr),
        (Some(5), Some(ip("127.0.0.2")))
    );

    // subflow-create: the client opens a subflow from 127.0.0.3 (id 3) to
    // the announced address; both ends see it established.
    let local = endpoint("127.0.0.3", 3, 0);
    let mut remote = Address::new(ip("127.0.0.2"));
    remote.port = Some(port);
    pm.subflow_create(&mut ring, &mut socket, client_token, &local, &remote)
        .unwrap();
    let sub = |seen: &[Event]| {
        seen.iter().find_map(|e| match e {
            Event::SubEstablished(s) if s.token == client_token => Some(*s),
            _ => None,
        })
    };
    events_until(&mut ring, &mut events, &mut seen, |seen| {
        sub(seen).is_some()
            && seen
                .iter()
                .any(|e| matches!(e, Event::SubEstablished(s) if s.token == server_token))
    });
    let subflow = sub(&seen).unwrap();
    assert_eq!(subflow.local.ip(), ip("127.0.0.3"));
    assert_eq!(subflow.remote, v4(127, 0, 0, 2, port));
    assert_eq!(subflow.loc_id, 3);
    assert!(!subflow.backup);

    // set-flags on that subflow: backup. The peer gets MP_PRIO and reports
    // the priority change of its end of the subflow.
    let mut local_port = local;
    local_port.port = Some(subflow.local.port());
    local_port.flags = EndpointFlags(EndpointFlags::BACKUP);
    let mut remote_port = remote;
    remote_port.id = None;
    pm.set_flags(
        &mut ring,
        &mut socket,
        &local_port,
        Some(client_token),
        Some(&remote_port),
    )
    .unwrap();
    events_until(&mut ring, &mut events, &mut seen, |seen| {
        seen.iter().any(|e| {
            matches!(e, Event::SubPriority(s)
                if s.token == server_token && s.backup && s.remote == subflow.local)
        })
    });

    // subflow-destroy: closed on the client.
    local_port.flags = EndpointFlags(0);
    pm.subflow_destroy(
        &mut ring,
        &mut socket,
        client_token,
        &local_port,
        &remote_port,
    )
    .unwrap();
    events_until(&mut ring, &mut events, &mut seen, |seen| {
        seen.iter().any(|e| {
            matches!(e, Event::SubClosed(s) if s.token == client_token && s.local == subflow.local)
        })
    });

    // remove: the server withdraws id 5; the client hears it.
    pm.remove(&mut ring, &mut socket, server_token, 5).unwrap();
    events_until(&mut ring, &mut events, &mut seen, |seen| {
        seen.contains(&Event::Removed {
            token: client_token,
            rem_id: 5,
        })
    });
    drop(conn);
}

/// Runs the `nl` example with `args`; its output, stderr and status.
fn nl(binary: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(binary)
        .args(args)
        .output()
        .expect("cannot run nl")
}

#[test]
fn the_nl_mptcp_commands_agree_with_ip() {
    netns_or_skip!();
    let Some(binary) = nl_tests::nl_example() else {
        return;
    };
    run_ok("ip", &["link", "set", "lo", "up"]);
    let ok = |args: &[&str]| {
        let out = nl(&binary, args);
        assert!(out.status.success(), "nl {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    ok(&[
        "mptcp", "endpoint", "add", "10.0.0.9", "id", "9", "subflow", "backup", "dev", "lo",
    ]);
    ok(&[
        "mptcp",
        "endpoint",
        "add",
        "2001:db8::9",
        "id",
        "10",
        "signal",
    ]);
    ok(&[
        "mptcp", "endpoint", "change", "id", "9", "nobackup", "fullmesh",
    ]);
    let ours: Value = serde_json::from_str(&ok(&["-j", "mptcp", "endpoint", "show"])).unwrap();
    let theirs: Value =
        serde_json::from_str(&run_ok("ip", &["-j", "mptcp", "endpoint", "show"])).unwrap();
    assert_eq!(ours, theirs);
    assert_eq!(ours[0]["fullmesh"], Value::Bool(true), "{ours}");
    assert_eq!(
        ok(&["mptcp", "endpoint", "show"]).trim_end(),
        run_ok("ip", &["mptcp", "endpoint", "show"])
            .trim_end()
            .replace(" \n", "\n"),
        "the text of ip, without its trailing spaces"
    );

    ok(&[
        "mptcp",
        "limits",
        "set",
        "subflows",
        "4",
        "add_addr_accepted",
        "2",
    ]);
    assert_eq!(
        ok(&["mptcp", "limits", "show"]).trim(),
        run_ok("ip", &["mptcp", "limits", "show"]).trim()
    );

    // A duplicate id: exit 1 and the kernel's text, as ip prints it.
    let out = nl(
        &binary,
        &["mptcp", "endpoint", "add", "10.0.0.8", "id", "9"],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let ip_out = run("ip", &["mptcp", "endpoint", "add", "10.0.0.8", "id", "9"]);
    let text = iproute2_error_text(&String::from_utf8_lossy(&ip_out.stderr)).unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&text),
        "{out:?}"
    );

    ok(&["mptcp", "endpoint", "del", "id", "10"]);
    assert_eq!(ip_endpoints().len(), 1);
    ok(&["mptcp", "endpoint", "flush"]);
    assert_eq!(ip_endpoints(), vec![]);

    // The declaration nl-core carries matches this kernel's policies.
    let report = ok(&["policy-check", "mptcp_pm"]);
    assert!(report.contains("add-addr: ok"), "{report}");
}
