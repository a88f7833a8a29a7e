//! The `nl-bench` command, live, on small tables: `run` must see every
//! route and entry with every method, and the scripting subcommands must
//! change and read the namespace they run in. Needs root (a private
//! network namespace); skipped without it, except in CI (`CI=true`).

use std::collections::BTreeMap;
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_nl-bench");

/// Moves this test's thread into a fresh network namespace; false (skip)
/// without the privilege, outside CI.
fn private_netns() -> bool {
    match nl_uring::enter_new_netns() {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "cannot make a private netns in CI: {e}"
            );
            eprintln!("skipped: needs root (CAP_SYS_ADMIN) for a private netns");
            false
        }
        Err(e) => panic!("unshare(CLONE_NEWNET): {e}"),
    }
}

fn nl_bench(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run nl-bench")
}

/// The `key=value` lines of a scripting subcommand.
fn key_values(out: &Output) -> BTreeMap<String, String> {
    assert!(
        out.status.success(),
        "nl-bench failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn ip_routes(family: &str) -> usize {
    let out = Command::new("ip")
        .args([family, "-j", "route", "show"])
        .output()
        .expect("run ip");
    let routes: Value = serde_json::from_slice(&out.stdout).expect("ip -j output");
    routes.as_array().expect("a list").len()
}

#[test]
fn run_sees_every_route_and_entry_with_every_method() {
    if !private_netns() {
        return;
    }
    let json = std::env::temp_dir().join(format!("nl-bench-live-{}.json", std::process::id()));
    let json_arg = json.to_str().unwrap();
    let out = nl_bench(&[
        "run",
        "--routes",
        "2000",
        "--routes6",
        "300",
        "--flows",
        "500",
        "--runs",
        "2",
        "--json",
        json_arg,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    std::fs::remove_file(&json).unwrap();

    let scenarios = report["scenarios"].as_array().unwrap();
    let names: Vec<&str> = scenarios
        .iter()
        .map(|s| s["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "install 2000 IPv4 routes",
            "dump 2000 IPv4 routes",
            "dump 300 IPv6 routes",
            "dump 4 namespaces × 500 routes",
            "dump 500 conntrack entries",
        ]
    );
    for scenario in scenarios {
        let expected = scenario["expected_messages"].as_u64().unwrap();
        let rows = scenario["rows"].as_array().unwrap();
        assert!(rows.len() >= 3, "{scenario}");
        assert_eq!(rows[0]["ratio_to_base"], 1.0, "{scenario}");
        for row in rows {
            let runs = row["runs"].as_array().unwrap();
            assert_eq!(runs.len(), 2, "{row}");
            for run in runs {
                assert_eq!(run["messages"].as_u64(), Some(expected), "{row}");
                assert_eq!(run["errors"], 0, "{row}");
                assert!(run["seconds"].as_f64().unwrap() > 0.0, "{row}");
            }
            assert_eq!(row["check"], "ok");
        }
    }
    let methods: Vec<&str> = scenarios[0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["floor", "blocking", "ring", "ip -batch"]);

    // The markdown table: a header, a rule, and one row per method.
    let table = String::from_utf8_lossy(&out.stdout);
    let rows = table.lines().filter(|l| l.starts_with("| ")).count();
    let want: usize = scenarios
        .iter()
        .map(|s| s["rows"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows, want + 1, "{table}");

    // The namespaces it made were its own: this one is still empty.
    assert_eq!(ip_routes("-4"), 0);
}

#[test]
fn scripting_subcommands_work_on_the_current_namespace() {
    if !private_netns() {
        return;
    }
    let up = Command::new("ip")
        .args(["link", "set", "lo", "up"])
        .status()
        .unwrap();
    assert!(up.success());
    let installs = [
        ("floor", "16.0.0.0"),
        ("blocking", "17.0.0.0"),
        ("ring", "18.0.0.0"),
        ("ring", "2001:db8::"),
    ];
    for (transport, start) in installs {
        let kv = key_values(&nl_bench(&[
            "install-routes",
            "300",
            "--start-prefix",
            start,
            "--transport",
            transport,
        ]));
        assert_eq!(kv["messages"], "300");
        assert_eq!(kv["errors"], "0");
        assert!(kv["seconds"].parse::<f64>().unwrap() > 0.0);
    }
    assert_eq!(ip_routes("-4"), 900);
    assert_eq!(ip_routes("-6"), 300);

    // A route that exists already is an error the ring reports per route.
    let kv = key_values(&nl_bench(&[
        "install-routes",
        "10",
        "--start-prefix",
        "18.0.1.39",
        "--transport",
        "ring",
    ]));
    assert_eq!(kv["errors"], "5", "routes 18.0.1.39..43 exist");

    for transport in ["floor", "blocking", "ring", "ip"] {
        let kv = key_values(&nl_bench(&["dump-routes", "--transport", transport]));
        assert_eq!(kv["messages"], "905", "{transport}");
        let kv = key_values(&nl_bench(&[
            "dump-routes",
            "--family",
            "inet6",
            "--transport",
            transport,
        ]));
        assert_eq!(kv["messages"], "300", "{transport}");
    }

    let out = nl_bench(&["dump-routes", "--transport", "carrier-pigeon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--transport: unknown"));
}
