//! `nl-bench`: live measurements of large route tables (needs root; makes
//! and enters its own network namespaces, never touches the host's).
//!
//! ```text
//! nl-bench compare [--routes N] [--runs K]
//!     per run, each in a fresh namespace: install N /32 routes on lo with
//!     the raw floor (64 per send, no ACK), blocking bulk, ring bulk and
//!     `ip -batch`; then dump them with the raw floor (32 KiB recv, walk
//!     headers), blocking and ring (full typed decode) and `ip route show`.
//!     Prints medians, min–max and ratios to the floor.
//! nl-bench dump-routes --transport floor|blocking|ring
//! nl-bench install-routes N [--start-prefix A.B.C.D] --transport floor|blocking|ring|ip
//!     one measurement in the current namespace, as key=value lines.
//! ```

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::ops::ControlFlow;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use nl_core::nlmsg::{Flags, Header};
use nl_core::route::AddressFamily;
use nl_core::route::route::{
    DumpFilter, Route, RouteScope, RouteSpec, RouteTable, dump_routes, new_route,
};
use nl_uring::{Acks, BulkOptions, Error, Protocol, Ring, Socket};

/// Interface 1: `lo` in a fresh namespace.
const LO: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Transport {
    Floor,
    Blocking,
    Ring,
    Ip,
}

impl Transport {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "floor" => Transport::Floor,
            "blocking" => Transport::Blocking,
            "ring" => Transport::Ring,
            "ip" => Transport::Ip,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Transport::Floor => "floor",
            Transport::Blocking => "blocking",
            Transport::Ring => "ring",
            Transport::Ip => "ip",
        }
    }
}

/// What one measurement found.
struct Measured {
    messages: usize,
    seconds: f64,
    errors: usize,
}

fn route(start: Ipv4Addr, i: usize) -> RouteSpec<'static> {
    let dst = Ipv4Addr::from(u32::from(start).wrapping_add(i as u32));
    RouteSpec {
        dst: Some(IpAddr::V4(dst)),
        dst_len: 32,
        oif: Some(LO),
        scope: RouteScope::Link,
        ..RouteSpec::new(AddressFamily::Inet)
    }
}

fn install(n: usize, start: Ipv4Addr, transport: Transport) -> Result<Measured, Error> {
    let flags = Flags::CREATE | Flags::EXCL;
    match transport {
        Transport::Ip => {
            let batch: String = (0..n)
                .map(|i| {
                    format!(
                        "route add {}/32 dev lo\n",
                        Ipv4Addr::from(u32::from(start) + i as u32)
                    )
                })
                .collect();
            let path = std::env::temp_dir().join(format!("nl-bench-{}.batch", std::process::id()));
            std::fs::write(&path, batch)?;
            let began = Instant::now();
            let status = Command::new("ip")
                .arg("-batch")
                .arg(&path)
                .stderr(Stdio::null())
                .status()?;
            let seconds = began.elapsed().as_secs_f64();
            std::fs::remove_file(&path)?;
            Ok(Measured {
                messages: n,
                seconds,
                errors: usize::from(!status.success()),
            })
        }
        Transport::Floor => {
            // 64 messages per send, no ACK; one ACKed NOOP at the end says
            // the kernel has processed them all.
            let mut socket = Socket::open(Protocol::Route)?;
            let mut buf = vec![0u8; 64 * 256];
            let began = Instant::now();
            let mut i = 0;
            while i < n {
                let mut len = 0;
                for _ in 0..64.min(n - i) {
                    let room = buf.get_mut(len..).unwrap_or_default();
                    len += nl_core::align(new_route(room, 0, flags, &route(start, i))?.len())
                        .unwrap_or(0);
                    i += 1;
                }
                socket.send(buf.get(..len).unwrap_or_default())?;
            }
            let mut noop = [0u8; 16];
            let mut w = nl_core::Writer::new(&mut noop);
            let seq = socket.next_seq();
            let at = w.begin_message(Header::new(1, Flags::REQUEST | Flags::ACK, seq, 0))?;
            w.end_message(at)?;
            let errors = match socket.request(w.as_bytes(), None) {
                Ok(_) => 0,
                Err(_) => 1,
            };
            Ok(Measured {
                messages: n,
                seconds: began.elapsed().as_secs_f64(),
                errors,
            })
        }
        Transport::Blocking | Transport::Ring => {
            let mut ring = if transport == Transport::Ring {
                Ring::new()
            } else {
                Ring::blocking()
            };
            let mut socket = Socket::open(Protocol::Route)?;
            let options = BulkOptions {
                acks: Acks::PerSend,
                ..BulkOptions::default()
            };
            let began = Instant::now();
            let report = ring.bulk(&mut socket, n, &options, |i, buf| {
                Ok(new_route(buf, 0, flags, &route(start, i))?.len())
            })?;
            Ok(Measured {
                messages: n,
                seconds: began.elapsed().as_secs_f64(),
                errors: report.failed() + report.unknown_count(),
            })
        }
    }
}

fn dump(transport: Transport) -> Result<Measured, Error> {
    let filter = DumpFilter {
        table: Some(RouteTable::Main.into()),
        ..DumpFilter::family(AddressFamily::Inet)
    };
    let mut buf = [0u8; 128];
    match transport {
        Transport::Ip => {
            let began = Instant::now();
            let out = Command::new("ip").args(["route", "show"]).output()?;
            Ok(Measured {
                messages: out.stdout.iter().filter(|b| **b == b'\n').count(),
                seconds: began.elapsed().as_secs_f64(),
                errors: usize::from(!out.status.success()),
            })
        }
        Transport::Floor => {
            // One recv into 32 KiB per datagram, walk the headers, no parsing.
            let mut socket = Socket::open(Protocol::Route)?;
            socket.set_recv_buffer_len(32 * 1024);
            socket.set_strict_check(true)?;
            let began = Instant::now();
            let request = dump_routes(&mut buf, socket.next_seq(), &filter)?;
            socket.send(request)?;
            let (mut messages, mut done) = (0, false);
            while !done {
                socket.recv(|m| {
                    if m.ty() == 3 {
                        done = true;
                    } else {
                        messages += 1;
                    }
                    Ok::<(), Error>(())
                })?;
            }
            Ok(Measured {
                messages,
                seconds: began.elapsed().as_secs_f64(),
                errors: 0,
            })
        }
        Transport::Blocking | Transport::Ring => {
            let mut ring = if transport == Transport::Ring {
                Ring::new()
            } else {
                Ring::blocking()
            };
            let mut socket = Socket::open(Protocol::Route)?;
            socket.set_strict_check(true)?;
            let began = Instant::now();
            let request = dump_routes(&mut buf, socket.next_seq(), &filter)?.to_vec();
            let (mut errors, mut sum) = (0, 0u64);
            let summary = ring.dump(&mut socket, &request, None, |m| {
                // Full typed decode of what a route carries.
                match Route::parse(&m) {
                    Ok(r) => {
                        sum += u64::from(r.dst_len())
                            + u64::from(r.table_id())
                            + u64::from(r.oif().unwrap_or(0));
                        sum += r
                            .dst()
                            .map_or(0, |ip| u64::from(matches!(ip, IpAddr::V4(_))));
                        sum += u64::from(r.priority().unwrap_or(0)) + r.gateway().map_or(0, |_| 1);
                    }
                    Err(_) => errors += 1,
                }
                ControlFlow::Continue(())
            })?;
            std::hint::black_box(sum);
            Ok(Measured {
                messages: summary.messages,
                seconds: began.elapsed().as_secs_f64(),
                errors,
            })
        }
    }
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let mid = v.get(v.len() / 2).copied().unwrap_or(f64::NAN);
    (
        mid,
        v.first().copied().unwrap_or(f64::NAN),
        v.last().copied().unwrap_or(f64::NAN),
    )
}

fn fresh_namespace() -> Result<(), Error> {
    nl_uring::enter_new_netns()?;
    let status = Command::new("ip")
        .args(["link", "set", "lo", "up"])
        .status()?;
    if !status.success() {
        return Err(Error::InvalidRequest("ip link set lo up failed"));
    }
    Ok(())
}

fn compare(routes: usize, runs: usize) -> Result<(), Error> {
    let start = Ipv4Addr::new(16, 0, 0, 0);
    let installs = [
        Transport::Floor,
        Transport::Blocking,
        Transport::Ring,
        Transport::Ip,
    ];
    let dumps = [
        Transport::Floor,
        Transport::Blocking,
        Transport::Ring,
        Transport::Ip,
    ];
    let mut install_times = vec![Vec::new(); installs.len()];
    let mut dump_times = vec![Vec::new(); dumps.len()];
    for run in 0..runs {
        for (k, t) in installs.iter().enumerate() {
            fresh_namespace()?;
            let m = install(routes, start, *t)?;
            eprintln!(
                "run {run}: install {routes} {}: {:.3} s, {} errors",
                t.name(),
                m.seconds,
                m.errors
            );
            install_times[k].push(m.seconds);
        }
        // The namespace now holds the table `ip -batch` installed.
        for (k, t) in dumps.iter().enumerate() {
            let m = dump(*t)?;
            eprintln!(
                "run {run}: dump {} {}: {:.3} s, {} errors",
                m.messages,
                t.name(),
                m.seconds,
                m.errors
            );
            dump_times[k].push(m.seconds);
        }
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "| scenario | transport | median s | min–max s | × floor |\n|---|---|---|---|---|"
    );
    for (name, list, times) in [
        ("install", &installs, &install_times),
        ("dump", &dumps, &dump_times),
    ] {
        let floor = median(times[0].clone()).0;
        for (t, v) in list.iter().zip(times.iter()) {
            let (mid, lo, hi) = median(v.clone());
            let _ = writeln!(
                out,
                "| {name} {routes} | {} | {mid:.3} | {lo:.3}–{hi:.3} | {:.2} |",
                t.name(),
                mid / floor
            );
        }
    }
    Ok(())
}

fn run(args: &[String]) -> Result<bool, Error> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| *a == name)
            .and_then(|i| args.get(i + 1))
            .copied()
    };
    let transport = value("--transport").and_then(Transport::parse);
    match args.first().copied() {
        Some("compare") => {
            let routes = value("--routes")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1_000_000);
            let runs = value("--runs").and_then(|v| v.parse().ok()).unwrap_or(5);
            compare(routes, runs)?;
        }
        Some("dump-routes") => {
            let Some(t) = transport else { return Ok(false) };
            let m = dump(t)?;
            println!(
                "messages={}\nseconds={:.6}\nerrors={}",
                m.messages, m.seconds, m.errors
            );
        }
        Some("install-routes") => {
            let (Some(n), Some(t)) = (args.get(1).and_then(|v| v.parse().ok()), transport) else {
                return Ok(false);
            };
            let start = value("--start-prefix")
                .and_then(|v| v.parse().ok())
                .unwrap_or(Ipv4Addr::new(16, 0, 0, 0));
            let m = install(n, start, t)?;
            println!(
                "messages={}\nseconds={:.6}\nerrors={}",
                m.messages, m.seconds, m.errors
            );
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!(
                "usage: nl-bench compare [--routes N] [--runs K]\n       nl-bench dump-routes --transport floor|blocking|ring|ip\n       nl-bench install-routes N [--start-prefix A.B.C.D] --transport floor|blocking|ring|ip"
            );
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
