//! # nl-agent: a firmware-like netlink agent
//!
//! A static executable with no libc, no allocator and no std: Linux system
//! calls made directly (`sys`), every netlink message built and read with
//! nl-core, all buffers fixed arrays on the stack. It applies the steps of
//! its command line in order, each acknowledged by the kernel:
//!
//! ```text
//! nl-agent addr add 10.1.0.1/24 dev v0 -- route add 10.2.0.0/16 via 10.1.0.254 \
//!          -- mptcp endpoint add 10.1.0.1 id 1 signal -- route dump
//! ```
//!
//! Exit status: 0 when every step succeeded; 1 when one failed (the rest
//! are not applied; the kernel's error and extended-ACK text on stderr);
//! 2 for a bad command line (nothing applied); 101 on an internal error.
//!
//! Size (at most 32 KiB stripped, `check.sh`): no `core::fmt` and no
//! `core::net` text code anywhere; the requests are built with nl-core's
//! message builder and attribute writer rather than its general typed
//! builders, the dump and the replies are read with its message layer and
//! attribute iterator rather than its attribute-table views. Those pure
//! parts are the `nl_agent` library (`lib.rs`), tested on the host.

#![no_std]
#![no_main]
#![deny(unsafe_code)]
// A failure carries the kernel's extended-ACK text in a fixed array (no
// heap to box it in); it is copied only on the way out.
#![allow(clippy::result_large_err)]

mod args;
mod names;
mod netlink;
mod out;
mod replies;
mod report;
mod steps;
#[allow(unsafe_code)]
mod sys;

use args::{Step, Steps};
use out::Out;
use steps::Agent;

/// Checks the whole command line, then runs its steps; the exit status.
fn main(args: sys::Args) -> u8 {
    let mut err = Out::stderr();
    // Nothing is applied unless every step parses.
    for step in Steps::new(args.clone()) {
        if let Err(usage) = step.and_then(|(n, words)| Step::parse(n, words.as_slice())) {
            report::usage(&mut err, &usage);
            let _ = err.flush();
            return 2;
        }
    }
    let mut agent = Agent::new();
    let mut out = Out::stdout();
    for (number, words) in Steps::new(args).flatten() {
        // The same words parsed in the first pass: this cannot fail.
        let Ok(step) = Step::parse(number, words.as_slice()) else {
            return 2;
        };
        if let Err(failure) = agent.run(&step, &mut out) {
            let _ = out.flush();
            report::failure(&mut err, number, words.as_slice(), &failure);
            let _ = err.flush();
            return 1;
        }
    }
    if let Err(e) = out.flush() {
        report::output(&mut err, e);
        let _ = err.flush();
        return 1;
    }
    0
}

/// A panic is a bug: say so and exit with status 101.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    let _ = sys::write_all(2, b"nl-agent: internal error (panic)\n");
    sys::exit(101)
}
