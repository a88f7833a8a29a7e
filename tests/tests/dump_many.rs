//! `dump_many` live: four network namespaces, each made by its own thread
//! and holding its own 5,000 routes, dumped at once. Every job's table comes
//! back complete and tagged with the right job; a job the kernel refuses,
//! or whose socket fails, gets its error while the others succeed.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr};
use std::ops::ControlFlow;

use nl_core::route::AddressFamily;
use nl_core::route::route::{DumpFilter, Route, RouteFlags, dump_routes};
use nl_tests::{ip_batch, netns_or_skip, run_ok};
use nl_uring::{DumpJob, Error, Protocol, Ring, Socket};

const NAMESPACES: u8 = 4;
const ROUTES: u32 = 5_000;

/// Route `i` of namespace `ns`: `10.ns.x.y/32`.
fn route_of(ns: u8, i: u32) -> Ipv4Addr {
    Ipv4Addr::new(10, ns, (i >> 8) as u8, i as u8)
}

/// On a new thread: enters a fresh netns, brings `lo` up, installs
/// namespace `ns`'s routes, opens a strict-check route socket there.
/// Returns the socket (it stays in that namespace) and the number of IPv4
/// routes `ip` shows in every table.
fn namespace(ns: u8) -> std::thread::JoinHandle<(Socket, usize)> {
    std::thread::spawn(move || {
        nl_uring::enter_new_netns().expect("unshare(CLONE_NEWNET)");
        run_ok("ip", &["link", "set", "lo", "up"]);
        let batch: String = (0..ROUTES)
            .map(|i| format!("route add {}/32 dev lo\n", route_of(ns, i)))
            .collect();
        ip_batch(&batch);
        let shown = run_ok("ip", &["-4", "route", "show", "table", "all"])
            .lines()
            .count();
        let socket = Socket::open(Protocol::Route).unwrap();
        socket.set_strict_check(true).unwrap();
        (socket, shown)
    })
}

#[test]
fn four_namespaces_dump_at_once_complete_and_tagged() {
    netns_or_skip!();
    let made: Vec<(Socket, usize)> = (1..=NAMESPACES)
        .map(namespace)
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let (mut sockets, shown): (Vec<Socket>, Vec<usize>) = made.into_iter().unzip();
    for &n in &shown {
        assert!(n > ROUTES as usize, "{n}: lo's own routes are shown too");
    }

    let filter = DumpFilter::family(AddressFamily::Inet);
    let mut bufs = [[0u8; 64]; NAMESPACES as usize];
    let requests: Vec<&[u8]> = sockets
        .iter_mut()
        .zip(bufs.iter_mut())
        .map(|(s, b)| dump_routes(b, s.next_seq(), &filter).unwrap())
        .collect();
    let mut jobs: Vec<DumpJob<'_>> = sockets
        .iter_mut()
        .zip(&requests)
        .map(|(s, r)| DumpJob::new(s, r, Some(Route::layout())))
        .collect();

    // Per job: every IPv4 destination seen (all /32 here but 127.0.0.0/8).
    let mut seen: Vec<Vec<(Ipv4Addr, u8)>> = vec![Vec::new(); NAMESPACES as usize];
    let mut failures = Vec::new();
    let results = Ring::new().dump_many(&mut jobs, |job, m| {
        match Route::parse(&m) {
            Ok(route) if !route.flags().contains(RouteFlags::CLONED) => match route.dst() {
                Some(IpAddr::V4(a)) => seen[job].push((a, route.dst_len())),
                other => failures.push(format!("job {job}: dst {other:?}")),
            },
            Ok(_) => {}
            Err(e) => failures.push(format!("job {job}: {e}")),
        }
        ControlFlow::Continue(())
    });
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(results.len(), NAMESPACES as usize);

    for (job, result) in results.iter().enumerate() {
        let ns = job as u8 + 1;
        let summary = result.as_ref().unwrap_or_else(|e| panic!("job {job}: {e}"));
        assert_eq!(summary.seq, 1);
        assert!(!summary.stopped && !summary.interrupted, "{summary:?}");
        let routes = &seen[job];
        assert_eq!(summary.messages, routes.len());
        assert_eq!(routes.len(), shown[job], "job {job}: as many as ip shows");
        let set: HashSet<Ipv4Addr> = routes
            .iter()
            .filter(|(_, len)| *len == 32)
            .map(|(a, _)| *a)
            .collect();
        let missing = (0..ROUTES)
            .filter(|&i| !set.contains(&route_of(ns, i)))
            .count();
        assert_eq!(missing, 0, "job {job}: routes missing");
        let mine = routes
            .iter()
            .filter(|(a, _)| a.octets()[0] == 10)
            .inspect(|(a, _)| assert_eq!(a.octets()[1], ns, "job {job} got {a}"))
            .count();
        assert_eq!(mine, ROUTES as usize, "job {job}: each route once");
        let kernel_own = routes.len() - mine;
        assert!(
            routes
                .iter()
                .filter(|(a, _)| a.octets()[0] != 10)
                .all(|(a, _)| a.is_loopback()),
            "job {job}: only lo's routes besides ours"
        );
        assert!(kernel_own > 0, "job {job}: lo's own routes");
    }
}

#[test]
fn rejected_and_failed_jobs_get_their_errors_and_the_others_succeed() {
    netns_or_skip!();
    run_ok("ip", &["link", "set", "lo", "up"]);
    let shown = run_ok("ip", &["-4", "route", "show", "table", "all"])
        .lines()
        .count();
    let mut sockets: Vec<Socket> = (0..3)
        .map(|_| {
            let s = Socket::open(Protocol::Route).unwrap();
            s.set_strict_check(true).unwrap();
            s
        })
        .collect();
    let all = DumpFilter::family(AddressFamily::Inet);
    // With strict checking, a dump filtered on a device that does not exist
    // is refused.
    let no_such_device = DumpFilter {
        oif: Some(999_999),
        ..DumpFilter::family(AddressFamily::Inet)
    };
    // A receive buffer too small for the first datagram: the worker's
    // receive fails with Truncated.
    sockets.push(Socket::open_with_tiny_recv_buffer(Protocol::Route, 64).unwrap());
    let (mut b0, mut b1, mut b2, mut b3) = ([0u8; 64], [0u8; 64], [0u8; 64], [0u8; 64]);
    let requests = [
        dump_routes(&mut b0, 11, &all).unwrap(),
        dump_routes(&mut b1, 12, &no_such_device).unwrap(),
        dump_routes(&mut b2, 13, &all).unwrap(),
        dump_routes(&mut b3, 14, &all).unwrap(),
    ];
    let mut jobs: Vec<DumpJob<'_>> = sockets
        .iter_mut()
        .zip(requests)
        .map(|(s, r)| DumpJob::new(s, r, Some(Route::layout())))
        .collect();
    let mut counts = [0usize; 4];
    let results = Ring::new().dump_many(&mut jobs, |job, _| {
        counts[job] += 1;
        ControlFlow::Continue(())
    });
    for job in [0, 2] {
        let summary = results[job].as_ref().unwrap();
        assert_eq!(summary.seq, 11 + job as u32);
        assert_eq!((summary.messages, counts[job]), (shown, shown), "job {job}");
    }
    assert_eq!(counts[1], 0);
    match &results[1] {
        Err(Error::Kernel(k)) => {
            assert_eq!(k.errno.name(), Some("ENODEV"), "{k}");
            assert_eq!(k.seq, 12);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(results[3], Err(Error::Truncated { buffer: 64, .. })),
        "{:?}",
        results[3]
    );
    assert_eq!(counts[3], 0);
}
