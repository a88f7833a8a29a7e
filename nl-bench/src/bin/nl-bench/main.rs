//! `nl-bench`: live measurements of large route and conntrack tables, side
//! by side with the floors and iproute2 / conntrack-tools. Needs root; it
//! makes and enters its own network namespaces and never touches the
//! host's.
//!
//! ```text
//! nl-bench run [--routes N] [--routes6 N] [--flows N] [--runs K] [--json FILE]
//!     builds the tables (defaults: 1M IPv4 routes, N/5 IPv6 routes,
//!     100k conntrack entries), runs every scenario K times (default 7),
//!     each method interleaved with its floor and peers, and prints a
//!     markdown table of medians, min–max and ratios to the floor.
//! nl-bench dump-routes [--family inet|inet6] --transport floor|blocking|ring|ip
//! nl-bench install-routes N [--start-prefix ADDR] --transport floor|blocking|ring|ip
//!     one measurement in the current namespace, as key=value lines
//!     (messages=, seconds=, errors=); ADDR's family picks IPv4 /32s or
//!     IPv6 /64s.
//! ```

mod conntrack;
mod measure;
mod namespaces;
mod progress;
mod report;
mod routes;
mod run;

use std::net::IpAddr;
use std::process::ExitCode;

use nl_uring::Error;
use nl_uring::nl_core::route::AddressFamily;

use crate::measure::Transport;

const USAGE: &str =
    "usage: nl-bench run [--routes N] [--routes6 N] [--flows N] [--runs K] [--json FILE]
       nl-bench dump-routes [--family inet|inet6] --transport floor|blocking|ring|ip
       nl-bench install-routes N [--start-prefix ADDR] --transport floor|blocking|ring|ip";

/// A command line that does not parse: what was wrong with it.
struct Usage(String);

/// The value after `--name`, parsed; absent gives `default`.
fn option<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, Usage> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(at) => {
            let value = args
                .get(at + 1)
                .ok_or_else(|| Usage(format!("{name} needs a value")))?;
            value
                .parse()
                .map_err(|_| Usage(format!("{name}: cannot parse {value:?}")))
        }
    }
}

/// Rejects arguments the subcommand does not know.
fn only(args: &[String], positional: usize, options: &[&str]) -> Result<(), Usage> {
    let mut rest = args.iter().skip(positional);
    while let Some(arg) = rest.next() {
        if !options.contains(&arg.as_str()) {
            return Err(Usage(format!("unexpected argument {arg:?}")));
        }
        rest.next();
    }
    Ok(())
}

fn transport(args: &[String]) -> Result<Transport, Usage> {
    let name: String = option(args, "--transport", String::new())?;
    Transport::parse(&name).ok_or_else(|| Usage(format!("--transport: unknown {name:?}")))
}

/// What the command line asks for.
enum Job {
    Run(run::Config),
    DumpRoutes(AddressFamily, Transport),
    InstallRoutes(usize, IpAddr, Transport),
}

fn parse(args: &[String]) -> Result<Job, Usage> {
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("run") => {
            only(
                rest,
                0,
                &["--routes", "--routes6", "--flows", "--runs", "--json"],
            )?;
            let routes = option(rest, "--routes", 1_000_000)?;
            let runs = option(rest, "--runs", 7)?;
            if runs == 0 {
                return Err(Usage("--runs must be at least 1".into()));
            }
            let json: String = option(rest, "--json", String::new())?;
            Ok(Job::Run(run::Config {
                routes,
                routes6: option(rest, "--routes6", routes / 5)?,
                flows: option(rest, "--flows", 100_000)?,
                runs,
                json: (!json.is_empty()).then_some(json),
            }))
        }
        Some("dump-routes") => {
            only(rest, 0, &["--family", "--transport"])?;
            let family = match option(rest, "--family", String::from("inet"))?.as_str() {
                "inet" => AddressFamily::Inet,
                "inet6" => AddressFamily::Inet6,
                other => return Err(Usage(format!("--family: unknown {other:?}"))),
            };
            Ok(Job::DumpRoutes(family, transport(rest)?))
        }
        Some("install-routes") => {
            let count = rest
                .first()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| Usage("install-routes needs a route count".into()))?;
            only(rest, 1, &["--start-prefix", "--transport"])?;
            let start = option(
                rest,
                "--start-prefix",
                routes::default_start(AddressFamily::Inet),
            )?;
            Ok(Job::InstallRoutes(count, start, transport(rest)?))
        }
        Some(other) => Err(Usage(format!("unknown command {other:?}"))),
        None => Err(Usage("no command".into())),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let job = match parse(&args) {
        Ok(job) => job,
        Err(Usage(why)) => {
            eprintln!("nl-bench: {why}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result: Result<(), Error> = match job {
        Job::Run(config) => run::run(&config),
        Job::DumpRoutes(family, t) => {
            routes::dump(family, t).map(|m| println!("{}", m.key_values()))
        }
        Job::InstallRoutes(count, start, t) => {
            routes::install(count, start, t).map(|m| println!("{}", m.key_values()))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nl-bench: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn usage(line: &str) -> String {
        match parse(&args(line)) {
            Err(Usage(why)) => why,
            Ok(_) => panic!("{line:?} parsed"),
        }
    }

    #[test]
    fn run_defaults_and_options() {
        let Ok(Job::Run(c)) = parse(&args("run")) else {
            panic!("run did not parse")
        };
        assert_eq!(
            (c.routes, c.routes6, c.flows, c.runs, c.json),
            (1_000_000, 200_000, 100_000, 7, None)
        );
        let Ok(Job::Run(c)) = parse(&args("run --routes 1000 --runs 3 --flows 0 --json r.json"))
        else {
            panic!("run with options did not parse")
        };
        assert_eq!(
            (c.routes, c.routes6, c.flows, c.runs, c.json.as_deref()),
            (1000, 200, 0, 3, Some("r.json"))
        );
    }

    #[test]
    fn scripting_subcommands() {
        assert!(matches!(
            parse(&args("dump-routes --family inet6 --transport ring")),
            Ok(Job::DumpRoutes(AddressFamily::Inet6, Transport::Ring))
        ));
        let Ok(Job::InstallRoutes(n, start, t)) = parse(&args(
            "install-routes 500 --start-prefix 2001:db8:1:: --transport ip",
        )) else {
            panic!("install-routes did not parse")
        };
        assert_eq!(
            (n, start.to_string(), t),
            (500, "2001:db8:1::".into(), Transport::Tool)
        );
    }

    #[test]
    fn bad_command_lines_say_what_is_wrong() {
        assert_eq!(usage(""), "no command");
        assert_eq!(usage("compare"), "unknown command \"compare\"");
        assert_eq!(usage("run --routes"), "--routes needs a value");
        assert_eq!(
            usage("run --routes many"),
            "--routes: cannot parse \"many\""
        );
        assert_eq!(usage("run --runs 0"), "--runs must be at least 1");
        assert_eq!(usage("run --fast"), "unexpected argument \"--fast\"");
        assert_eq!(
            usage("dump-routes --transport"),
            "--transport needs a value"
        );
        assert_eq!(
            usage("dump-routes --transport udp"),
            "--transport: unknown \"udp\""
        );
        assert_eq!(
            usage("dump-routes --family ipx --transport ring"),
            "--family: unknown \"ipx\""
        );
        assert_eq!(
            usage("install-routes --transport ring"),
            "install-routes needs a route count"
        );
    }
}
