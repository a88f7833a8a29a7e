//! `nl`: a small netlink tool over nl-uring, works unprivileged.
//!
//! ```text
//! nl genl list            every generic netlink family, like `genl ctrl list`
//! nl genl show NAME       one family
//! nl genl policy NAME     its attribute policies (CTRL_CMD_GETPOLICY)
//! nl link show            links: index, name, flags, mtu (RTM_GETLINK dump)
//! ```
//!
//! Exit status: 0 on success, 1 when the kernel or the socket fails (the
//! kernel's extended-ACK text is printed), 2 on bad arguments.

mod genl;
mod link;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use nl_uring::Error;
use nl_uring::nl_core;

const USAGE: &str = "\
usage: nl genl list
       nl genl show NAME
       nl genl policy NAME
       nl link show";

/// Why a command failed: bad arguments (exit 2), or netlink or output (exit 1).
pub(crate) enum Fail {
    Usage,
    Nl(Error),
    Io(io::Error),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Nl(e)
    }
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Io(e)
    }
}

impl From<nl_core::Error> for Fail {
    fn from(e: nl_core::Error) -> Self {
        Fail::Nl(e.into())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match args.as_slice() {
        ["help" | "-h" | "--help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        ["genl", rest @ ..] => genl::run(&mut out, rest),
        ["link", rest @ ..] => link::run(&mut out, rest),
        _ => Err(Fail::Usage),
    };
    let result = result.and_then(|()| out.flush().map_err(Fail::Io));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Usage) => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
        Err(Fail::Nl(Error::Kernel(k))) => {
            match k.errno.name() {
                Some(name) => eprintln!("error: {} ({name})", k.text()),
                None => eprintln!("error: {}", k.text()),
            }
            if let Some(path) = k.path.as_ref().filter(|p| !p.elems.is_empty()) {
                eprintln!("  at attribute {path}");
            }
            if let Some(name) = k.missing_name {
                eprintln!("  missing attribute {name}");
            }
            ExitCode::from(1)
        }
        Err(Fail::Nl(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(Fail::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Fail::Io(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
