//! `nl-bench run`: builds the tables, then runs every scenario K times,
//! each method interleaved with its floor and peers (the order rotates
//! from run to run so slow drift of the machine spreads evenly).

use std::net::IpAddr;
use std::process::{Command, Stdio};

use nl_uring::Error;
use nl_uring::nl_core::route::AddressFamily;
use serde_json::json;

use crate::conntrack;
use crate::measure::{Measured, Transport};
use crate::namespaces::Shards;
use crate::progress::Progress;
use crate::report::{self, Scenario};
use crate::routes::{self, default_start, set_lo};

/// Namespaces in the concurrent-dump scenario.
const SHARDS: usize = 4;

/// What `nl-bench run` was asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Config {
    /// IPv4 routes to install and dump.
    pub(crate) routes: usize,
    /// IPv6 routes in the dumped table.
    pub(crate) routes6: usize,
    /// Conntrack entries (0: no conntrack scenario).
    pub(crate) flows: usize,
    /// Runs of every scenario.
    pub(crate) runs: usize,
    /// Where to write the JSON results, if anywhere.
    pub(crate) json: Option<String>,
}

/// Runs everything, printing the markdown table on stdout.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let ip = tool_present("ip", "-V");
    let conntrack_tool = tool_present("conntrack", "--version");

    // This thread's namespace holds the tables that are dumped.
    nl_uring::enter_new_netns()?;
    set_lo(true)?;
    set_up_table(config.routes, AddressFamily::Inet)?;
    set_up_table(config.routes6, AddressFamily::Inet6)?;
    let flows = if config.flows > 0 {
        let refused = conntrack::create(config.flows)?;
        if refused > 0 {
            return Err(std::io::Error::other(format!(
                "the kernel refused {refused} of {} conntrack entries (nf_conntrack_max?)",
                config.flows
            ))
            .into());
        }
        config.flows
    } else {
        0
    };
    let mut progress = Progress::new(format!("make {SHARDS} namespaces"), 1);
    let mut shards = Shards::make(SHARDS, config.routes / SHARDS)?;
    progress.set(1, "");
    progress.finish("");

    let names = |tool: Option<&'static str>| -> Vec<&'static str> {
        Transport::ALL
            .iter()
            .filter_map(|t| match t {
                Transport::Tool => tool,
                other => Some(other.name()),
            })
            .collect()
    };
    let ip_batch = ip.then_some("ip -batch");
    let ip_show = ip.then_some("ip route show");
    let mut install = Scenario::new(
        format!("install {} IPv4 routes", config.routes),
        config.routes,
        &names(ip_batch),
    );
    let mut dump4 = Scenario::new(
        format!("dump {} IPv4 routes", config.routes),
        config.routes,
        &names(ip_show),
    );
    let mut dump6 = Scenario::new(
        format!("dump {} IPv6 routes", config.routes6),
        config.routes6,
        &names(ip_show),
    );
    let each = shards.routes_each;
    let mut sharded = Scenario::new(
        format!("dump {SHARDS} namespaces × {each} routes"),
        SHARDS * each,
        &[
            "sequential ring",
            "concurrent ring",
            "sequential floor",
            "concurrent floor",
        ],
    );
    let mut ct = Scenario::new(
        format!("dump {flows} conntrack entries"),
        flows,
        &names(conntrack_tool.then_some("conntrack -L")),
    );

    let steps = config.runs * 5;
    let mut progress = Progress::new(format!("{} runs", config.runs), steps);
    for run in 0..config.runs {
        let order: Vec<Transport> = Transport::ALL
            .iter()
            .cycle()
            .skip(run % Transport::ALL.len())
            .take(Transport::ALL.len())
            .copied()
            .collect();
        let label = |s: &Scenario| format!("run {}/{}: {}", run + 1, config.runs, s.name);

        progress.set(run * 5, &label(&install));
        for &t in &order {
            if t == Transport::Tool && !ip {
                continue;
            }
            let measured = install_in_fresh_namespace(config.routes, t)?;
            install.record(method(t, ip_batch), measured);
        }

        for (step, scenario, family) in [
            (1, &mut dump4, AddressFamily::Inet),
            (2, &mut dump6, AddressFamily::Inet6),
        ] {
            progress.set(run * 5 + step, &label(scenario));
            for &t in &order {
                if t == Transport::Tool && !ip {
                    continue;
                }
                scenario.record(method(t, ip_show), routes::dump(family, t)?);
            }
        }

        progress.set(run * 5 + 3, &label(&sharded));
        for t in [Transport::Ring, Transport::Floor] {
            let (seq, conc) = if run % 2 == 0 {
                let seq = shards.sequential(t)?;
                (seq, shards.concurrent(t)?)
            } else {
                let conc = shards.concurrent(t)?;
                (shards.sequential(t)?, conc)
            };
            sharded.record(&format!("sequential {}", t.name()), seq);
            sharded.record(&format!("concurrent {}", t.name()), conc);
        }

        progress.set(run * 5 + 4, &label(&ct));
        if flows > 0 {
            for &t in &order {
                if t == Transport::Tool && !conntrack_tool {
                    continue;
                }
                ct.record(method(t, Some("conntrack -L")), conntrack::dump_table(t)?);
            }
        }
    }
    progress.finish("done");

    let mut scenarios = vec![install, dump4, dump6, sharded];
    if flows > 0 {
        scenarios.push(ct);
    }
    println!("{}", machine_line());
    println!();
    print!("{}", report::markdown(&scenarios));
    if let Some(path) = &config.json {
        let settings = json!({
            "routes": config.routes,
            "routes6": config.routes6,
            "flows": config.flows,
            "runs": config.runs,
            "machine": machine_line(),
        });
        let text = serde_json::to_string_pretty(&report::json(&scenarios, settings))
            .map_err(std::io::Error::other)?;
        std::fs::write(path, text + "\n")?;
    }
    Ok(())
}

/// A method's name in a scenario: the transport, or the tool's name.
fn method(t: Transport, tool: Option<&'static str>) -> &'static str {
    match t {
        Transport::Tool => tool.unwrap_or("tool"),
        other => other.name(),
    }
}

/// Installs `count` routes of `family` in this namespace with the ring,
/// showing progress; any refused route is an error.
fn set_up_table(count: usize, family: AddressFamily) -> Result<(), Error> {
    if count == 0 {
        return Ok(());
    }
    let name = if family == AddressFamily::Inet6 {
        "IPv6"
    } else {
        "IPv4"
    };
    let progress = Progress::new(format!("install {count} {name} routes"), count);
    let installed = routes::install(count, default_start(family), Transport::Ring)?;
    progress.finish(&format!("{:.2} s", installed.seconds));
    if installed.errors > 0 {
        return Err(std::io::Error::other(format!(
            "the kernel refused {} of {count} {name} routes",
            installed.errors
        ))
        .into());
    }
    Ok(())
}

/// One install measurement on its own thread, in a fresh namespace; the
/// routes are removed again (by taking `lo` down) before it returns, so
/// dropping the namespace leaves the kernel no work to do in the
/// background of the next measurement.
fn install_in_fresh_namespace(count: usize, t: Transport) -> Result<Measured, Error> {
    let start: IpAddr = default_start(AddressFamily::Inet);
    std::thread::scope(|s| {
        s.spawn(|| {
            nl_uring::enter_new_netns()?;
            set_lo(true)?;
            let measured = routes::install(count, start, t)?;
            set_lo(false)?;
            Ok(measured)
        })
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("an install thread panicked").into()))
    })
}

/// True when `program flag` runs and succeeds.
fn tool_present(program: &str, flag: &str) -> bool {
    Command::new(program)
        .arg(flag)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The machine the numbers come from: CPU model, CPUs, kernel.
pub(crate) fn machine_line() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    format!("Machine: {cpu}, {cpus} CPUs, Linux {kernel}")
}
