//! Shared helpers for nl's live-kernel tests.
//!
//! Every live test starts with [`netns_or_skip!`]: it moves the test's
//! thread into a fresh network namespace, so tests run in parallel and
//! never touch the host's network. Without the privilege to do that, the
//! test prints why it is skipped and passes, except in CI (`CI=true`),
//! where it fails.

use std::io::Write;
use std::process::{Command, Output, Stdio};

pub mod genl_text;
pub mod link;
pub mod mptcp;

/// What [`enter_netns`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Netns {
    /// The thread is now in a fresh network namespace.
    Entered,
    /// No privilege: the test should return (outside CI only).
    Skip,
}

/// Moves the calling thread into a fresh network namespace.
///
/// On `EPERM`: in CI (`CI=true`) panics, elsewhere prints a skip notice to
/// stderr and returns [`Netns::Skip`]. Any other error panics.
pub fn enter_netns(module: &str) -> Netns {
    // The test harness names each test's thread after the test.
    let thread = std::thread::current();
    let test = match thread.name() {
        Some(name) if name != "main" => format!("{module}::{name}"),
        _ => module.to_owned(),
    };
    match nl_uring::enter_new_netns() {
        Ok(()) => Netns::Entered,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{test}: cannot create a private netns in CI: {e}");
            }
            eprintln!("{test}: skipped: needs root (CAP_SYS_ADMIN) for a private netns");
            Netns::Skip
        }
        Err(e) => panic!("{test}: unshare(CLONE_NEWNET) failed: {e}"),
    }
}

/// Enters a fresh network namespace, or returns from the calling test
/// (see [`enter_netns`]).
#[macro_export]
macro_rules! netns_or_skip {
    () => {
        if $crate::enter_netns(module_path!()) == $crate::Netns::Skip {
            return;
        }
    };
}

/// Runs `program` with `args` (from the calling thread, so in its netns).
pub fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
}

/// Runs `ip -batch -` with `batch` (one command per line) on its stdin,
/// from the calling thread (so in its netns); expects success.
pub fn ip_batch(batch: &str) {
    let mut child = Command::new("ip")
        .args(["-batch", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run ip");
    child
        .stdin
        .take()
        .expect("ip's stdin")
        .write_all(batch.as_bytes())
        .expect("writing ip's batch");
    let out = child.wait_with_output().expect("waiting for ip");
    assert!(
        out.status.success(),
        "ip -batch: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A [`nl_uring::Ring`] that must run on io_uring in CI (`CI=true`);
/// elsewhere the blocking fallback is accepted, with a notice.
pub fn uring() -> nl_uring::Ring {
    let ring = nl_uring::Ring::new();
    if ring.transport() == nl_uring::Transport::Blocking {
        let why = ring.fallback_reason().map(ToString::to_string);
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "io_uring unavailable in CI: {why:?}"
        );
        eprintln!("io_uring unavailable ({why:?}): the fallback is tested instead");
    }
    ring
}

/// The `nl` example, built next to the calling test binary (`cargo test
/// --workspace` builds examples). When it is missing, the test should
/// return: outside CI with a notice; in CI (`CI=true`) this panics.
pub fn nl_example() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().expect("the test binary's path");
    let path = exe.parent()?.parent()?.join("examples").join("nl");
    if path.exists() {
        return Some(path);
    }
    assert_ne!(
        std::env::var("CI").as_deref(),
        Ok("true"),
        "{} is not built: run `cargo test --workspace`",
        path.display()
    );
    eprintln!(
        "skipped: {} is not built (cargo test --workspace builds it)",
        path.display()
    );
    None
}

/// Runs `program` with `args`, expects success, returns its stdout.
pub fn run_ok(program: &str, args: &[&str]) -> String {
    let out = run(program, args);
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The extended-ACK text iproute2 printed on stderr (`Error: TEXT.`), with
/// the final period iproute2 adds taken off.
pub fn iproute2_error_text(stderr: &str) -> Option<String> {
    stderr.lines().find_map(|line| {
        let text = line.strip_prefix("Error: ")?;
        Some(text.strip_suffix('.').unwrap_or(text).to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iproute2_error_text_strips_prefix_and_period() {
        assert_eq!(
            iproute2_error_text("Error: Unknown device type.\n").as_deref(),
            Some("Unknown device type")
        );
        assert_eq!(iproute2_error_text("RTNETLINK answers: No such file"), None);
    }
}

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
