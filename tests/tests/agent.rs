//! The firmware-like agent (`agent/`, its own workspace: static, no libc,
//! no heap, nl-core alone) against the live kernel, each test in a fresh
//! netns: every step's effect checked with `ip -j`, its route dump checked
//! against `ip -j route show`, a failing step's errno and extended-ACK text
//! checked against what iproute2 reports for the same request, and a bad
//! command line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use nl_tests::{iproute2_error_text, netns_or_skip, run, run_ok};
use serde_json::Value;

/// Builds the agent once (release, as shipped) and returns its path.
///
/// Cargo runs inside `agent/` so that `agent/.cargo/config.toml` (the
/// static, no-libc link flags) applies; flags from the environment would
/// replace it, so they are removed.
fn agent() -> &'static Path {
    static AGENT: OnceLock<PathBuf> = OnceLock::new();
    AGENT.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the repository root");
        let dir = repo.join("agent");
        let target = dir.join("target");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let out = Command::new(cargo)
            .current_dir(&dir)
            .args([
                "build",
                "--release",
                "--locked",
                "--quiet",
                "--manifest-path",
            ])
            .arg(dir.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .env_remove("CARGO_BUILD_TARGET")
            .output()
            .expect("cannot run cargo");
        assert!(
            out.status.success(),
            "building the agent failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        target.join("x86_64-unknown-linux-gnu/release/nl-agent")
    })
}

/// Runs the agent with `args` (in the calling thread's netns).
fn run_agent(args: &[&str]) -> Output {
    Command::new(agent())
        .args(args)
        .output()
        .expect("cannot run the agent")
}

/// The agent's arguments: `steps` joined with `--`.
fn steps<'a>(steps: &[&[&'a str]]) -> Vec<&'a str> {
    let mut args = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            args.push("--");
        }
        args.extend_from_slice(step);
    }
    args
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&run_ok("ip", args)).expect("ip's JSON")
}

/// A veth pair `v0`/`v1`, both up (an interface must be up for routes
/// through it; this kernel has no dummy links).
fn veth() {
    run_ok(
        "ip",
        &["link", "add", "v0", "type", "veth", "peer", "name", "v1"],
    );
    run_ok("ip", &["link", "set", "v0", "up"]);
    run_ok("ip", &["link", "set", "v1", "up"]);
}

/// `(local/prefixlen, family)` of each address `ip -j addr show dev DEV` lists.
fn addresses(dev: &str) -> Vec<(String, String)> {
    let links = json(&["-j", "addr", "show", "dev", dev]);
    links[0]["addr_info"]
        .as_array()
        .expect("addr_info")
        .iter()
        .map(|a| {
            (
                format!("{}/{}", a["local"].as_str().unwrap(), a["prefixlen"]),
                a["family"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `ip -j route show` (IPv4, main table).
fn routes() -> Vec<Value> {
    json(&["-j", "route", "show"]).as_array().unwrap().clone()
}

/// The route of `ip -j route show` whose destination is `dst`.
fn route(dst: &str) -> Option<Value> {
    routes().into_iter().find(|r| r["dst"] == dst)
}

/// One route of `ip -j route show` written as `ip route show` writes it
/// (the agent's dump format), from the JSON keys.
fn route_line(r: &Value) -> String {
    let mut line = r["dst"].as_str().unwrap().to_owned();
    let mut word = |key: &str, value: &Value| {
        if let Some(s) = value.as_str() {
            line.push_str(&format!(" {key} {s}"));
        } else if let Some(n) = value.as_u64() {
            line.push_str(&format!(" {key} {n}"));
        }
    };
    word("via", &r["gateway"]);
    word("dev", &r["dev"]);
    word("proto", &r["protocol"]);
    word("scope", &r["scope"]);
    word("src", &r["prefsrc"]);
    word("metric", &r["metric"]);
    for flag in r["flags"].as_array().into_iter().flatten() {
        line.push(' ');
        line.push_str(flag.as_str().unwrap());
    }
    line
}

/// `ip -j mptcp endpoint show`: `(address, id, dev, flags)` per endpoint,
/// the flags sorted.
fn endpoints() -> Vec<(String, u64, Option<String>, Vec<String>)> {
    let flags = ["signal", "subflow", "backup", "fullmesh"];
    json(&["-j", "mptcp", "endpoint", "show"])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut set: Vec<String> = flags
                .iter()
                .filter(|f| e[**f] == true)
                .map(|f| (*f).to_owned())
                .collect();
            // Older iproute2 prints the flags as a list.
            for f in e["flags"].as_array().into_iter().flatten() {
                set.push(f.as_str().unwrap().to_owned());
            }
            set.sort();
            (
                e["address"].as_str().unwrap().to_owned(),
                e["id"].as_u64().unwrap(),
                e["dev"].as_str().map(str::to_owned),
                set,
            )
        })
        .collect()
}

#[test]
fn applies_every_step_and_dumps_the_routes() {
    agent();
    netns_or_skip!();
    veth();
    let out = run_agent(&steps(&[
        &["addr", "add", "10.1.0.1/24", "dev", "v0"],
        &[
            "route",
            "add",
            "10.2.0.0/16",
            "via",
            "10.1.0.254",
            "dev",
            "v0",
        ],
        &["route", "add", "10.3.0.0/16", "dev", "v0", "metric", "7"],
        &["route", "add", "10.4.0.0/16", "via", "10.1.0.253"],
        &["route", "add", "10.5.0.0/16", "via", "10.1.0.252"],
        &["route", "del", "10.5.0.0/16"],
        &[
            "mptcp", "endpoint", "add", "10.1.0.1", "id", "1", "dev", "v0", "signal",
        ],
        &[
            "mptcp", "endpoint", "add", "10.1.0.2", "id", "2", "subflow", "backup",
        ],
        &["route", "dump"],
    ]));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");

    assert!(
        addresses("v0").contains(&("10.1.0.1/24".to_owned(), "inet".to_owned())),
        "{:?}",
        addresses("v0")
    );
    let r = route("10.2.0.0/16").expect("10.2.0.0/16 installed");
    assert_eq!(r["gateway"], "10.1.0.254");
    assert_eq!(r["dev"], "v0");
    let r = route("10.3.0.0/16").expect("10.3.0.0/16 installed");
    assert_eq!(r["dev"], "v0");
    assert_eq!(r["metric"], 7);
    assert_eq!(r["scope"], "link", "a route without gateway is on-link");
    let r = route("10.4.0.0/16").expect("10.4.0.0/16 installed");
    assert_eq!(r["gateway"], "10.1.0.253");
    assert_eq!(
        r["dev"], "v0",
        "the kernel found the device from the gateway"
    );
    assert_eq!(route("10.5.0.0/16"), None, "deleted again");

    let endpoints = endpoints();
    assert_eq!(endpoints.len(), 2, "{endpoints:?}");
    assert!(endpoints.contains(&(
        "10.1.0.1".to_owned(),
        1,
        Some("v0".to_owned()),
        vec!["signal".to_owned()]
    )));
    assert!(endpoints.contains(&(
        "10.1.0.2".to_owned(),
        2,
        None,
        vec!["backup".to_owned(), "subflow".to_owned()]
    )));

    // The dump: one line per route, as ip lists them (the connected route
    // of 10.1.0.0/24 included), and as `ip route show` prints them.
    let expected: Vec<String> = routes().iter().map(route_line).collect();
    let dumped: Vec<String> = text(&out.stdout).lines().map(str::to_owned).collect();
    assert_eq!(dumped, expected);
    let shown: Vec<String> = run_ok("ip", &["route", "show"])
        .lines()
        .map(|l| l.trim_end().to_owned())
        .collect();
    assert_eq!(dumped, shown);
    assert_eq!(dumped.len(), 4, "{dumped:?}");
}

/// The agent's stderr for a failed step: `(errno, extended ACK text)`.
fn failure(stderr: &str, step: &str) -> (i32, Option<String>) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("nl-agent: "))
        .unwrap_or_else(|| panic!("no agent message in {stderr:?}"));
    let rest = line
        .strip_prefix(&format!("nl-agent: {step}: "))
        .unwrap_or_else(|| panic!("{line:?} does not name {step:?}"));
    // ERRNAME (errno N)[: TEXT]
    let (_, after) = rest.split_once("(errno ").expect("an errno");
    let (number, after) = after.split_once(')').expect("the errno's end");
    let text = after.strip_prefix(": ").map(str::to_owned);
    (number.parse().expect("errno number"), text)
}

#[test]
fn a_duplicate_route_stops_the_run_with_the_kernel_error() {
    agent();
    netns_or_skip!();
    veth();
    let out = run_agent(&steps(&[
        &["addr", "add", "10.1.0.1/24", "dev", "v0"],
        &["route", "add", "10.2.0.0/16", "via", "10.1.0.254"],
        &["route", "add", "10.2.0.0/16", "via", "10.1.0.254"],
        &["mptcp", "endpoint", "add", "10.1.0.1", "id", "1", "signal"],
        &["route", "dump"],
    ]));
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "",
        "the dump after the failure never ran"
    );
    let stderr = text(&out.stderr);
    let (errno, extack) = failure(&stderr, "step 3 (route add 10.2.0.0/16 via 10.1.0.254)");
    assert!(stderr.contains("EEXIST"), "{stderr}");

    // iproute2 reports the same request's failure the same way.
    let ip = run("ip", &["route", "add", "10.2.0.0/16", "via", "10.1.0.254"]);
    assert!(!ip.status.success());
    let ip_err = text(&ip.stderr);
    match iproute2_error_text(&ip_err) {
        Some(ip_text) => assert_eq!(extack.as_deref(), Some(ip_text.as_str()), "{stderr}"),
        None => {
            assert_eq!(extack, None, "{stderr}");
            let description = std::io::Error::from_raw_os_error(errno).to_string();
            let description = description.split(" (os error").next().unwrap();
            assert_eq!(
                ip_err.trim(),
                format!("RTNETLINK answers: {description}"),
                "agent: {stderr}"
            );
        }
    }

    // The steps before the failure stay applied, the ones after never ran.
    assert!(addresses("v0").contains(&("10.1.0.1/24".to_owned(), "inet".to_owned())));
    assert_eq!(route("10.2.0.0/16").unwrap()["gateway"], "10.1.0.254");
    assert_eq!(endpoints(), Vec::new());
}

#[test]
fn a_rejected_gateway_is_reported_with_the_extack_text() {
    agent();
    netns_or_skip!();
    veth();
    let step = ["route", "add", "10.9.0.0/16", "via", "10.99.0.1"];
    let out = run_agent(&step);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let (errno, extack) = failure(&stderr, &format!("step 1 ({})", step.join(" ")));

    let ip = run("ip", &step);
    assert!(!ip.status.success());
    let ip_text = iproute2_error_text(&text(&ip.stderr)).expect("iproute2 printed an extack");
    assert_eq!(extack.as_deref(), Some(ip_text.as_str()), "{stderr}");
    assert!(errno > 0);
    assert_eq!(route("10.9.0.0/16"), None);
}

#[test]
fn a_missing_device_is_an_error_and_nothing_after_it_runs() {
    agent();
    netns_or_skip!();
    let out = run_agent(&steps(&[
        &["addr", "add", "10.1.0.1/24", "dev", "nosuch0"],
        &["route", "dump"],
    ]));
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let (errno, _) = failure(&stderr, "step 1 (addr add 10.1.0.1/24 dev nosuch0)");
    assert_eq!(errno, 19, "ENODEV: {stderr}");
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn a_bad_command_line_is_a_usage_error_and_applies_nothing() {
    agent();
    netns_or_skip!();
    veth();
    for (args, word) in [
        (vec![], None),
        (vec!["route", "frobnicate"], Some("\"frobnicate\"")),
        (vec!["route", "add", "10.2.0.0/33"], Some("\"10.2.0.0/33\"")),
        (
            vec!["addr", "add", "10.1.0.1/24", "dev", "v0", "--", "bogus"],
            Some("\"bogus\""),
        ),
        (vec!["addr", "add", "10.1.0.1/24", "dev", "v0", "--"], None),
        (
            vec!["mptcp", "endpoint", "add", "10.1.0.1", "id", "300"],
            Some("\"300\""),
        ),
        (vec!["route", "add", "10.2.0.0/16", "via"], Some("\"via\"")),
    ] {
        let out = run_agent(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("nl-agent: step "), "{args:?}: {stderr}");
        assert!(stderr.contains("usage: nl-agent"), "{args:?}: {stderr}");
        if let Some(word) = word {
            assert!(stderr.contains(word), "{args:?} names {word}: {stderr}");
        }
        assert_eq!(text(&out.stdout), "");
    }
    // The valid first step of a bad command line was not applied.
    assert_eq!(addresses("v0").iter().filter(|a| a.1 == "inet").count(), 0);
}
