//! What every scenario shares: the methods compared, one measurement, the
//! raw dump floor, and the statistics over runs.

use std::time::Instant;

use nl_uring::nl_core::nlmsg;
use nl_uring::{Error, Ring, Socket};

/// How a table is read or written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transport {
    /// The floor: raw messages, no decoding (dumps) or no ACKs (installs).
    Floor,
    /// nl-uring's blocking fallback, with full decode / per-message errors.
    Blocking,
    /// nl-uring's io_uring transport, likewise.
    Ring,
    /// The system tool: iproute2's `ip`, or `conntrack` for conntrack.
    Tool,
}

impl Transport {
    /// Every method, in the order the report lists them.
    pub(crate) const ALL: [Transport; 4] = [
        Transport::Floor,
        Transport::Blocking,
        Transport::Ring,
        Transport::Tool,
    ];

    /// Parses a `--transport` value.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "floor" => Transport::Floor,
            "blocking" => Transport::Blocking,
            "ring" => Transport::Ring,
            "ip" | "tool" => Transport::Tool,
            _ => return None,
        })
    }

    /// Its name in reports (`tool` is named by the scenario).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Transport::Floor => "floor",
            Transport::Blocking => "blocking",
            Transport::Ring => "ring",
            Transport::Tool => "tool",
        }
    }

    /// The nl-uring transport for [`Transport::Blocking`] and
    /// [`Transport::Ring`] (the floor and the tool use none).
    pub(crate) fn ring(self) -> Ring {
        if self == Transport::Ring {
            Ring::new()
        } else {
            Ring::blocking()
        }
    }
}

/// What one measurement found.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Measured {
    /// Messages sent or received (routes, entries; lines for a tool).
    pub(crate) messages: usize,
    /// Wall-clock seconds.
    pub(crate) seconds: f64,
    /// Messages the kernel rejected, or that did not decode.
    pub(crate) errors: usize,
}

impl Measured {
    /// Times `f`, which returns `(messages, errors)`.
    pub(crate) fn time(
        f: impl FnOnce() -> Result<(usize, usize), Error>,
    ) -> Result<Measured, Error> {
        let began = Instant::now();
        let (messages, errors) = f()?;
        Ok(Measured {
            messages,
            seconds: began.elapsed().as_secs_f64(),
            errors,
        })
    }

    /// The `key=value` lines the scripting subcommands print.
    pub(crate) fn key_values(&self) -> String {
        format!(
            "messages={}\nseconds={:.6}\nerrors={}",
            self.messages, self.seconds, self.errors
        )
    }
}

/// The raw dump floor: sends `request`, then one `recv` into 32 KiB per
/// datagram, walking message headers to `NLMSG_DONE` (or the kernel's
/// error, which ends a dump too), decoding nothing. Returns the data
/// messages seen and 1 error if the dump ended in one.
pub(crate) fn floor_dump(socket: &mut Socket, request: &[u8]) -> Result<(usize, usize), Error> {
    socket.set_recv_buffer_len(32 * 1024);
    socket.send(request)?;
    let (mut messages, mut errors, mut done) = (0, 0, false);
    while !done {
        socket.recv(|m| {
            match m.ty() {
                nlmsg::DONE => done = true,
                nlmsg::ERROR => (done, errors) = (true, 1),
                _ => messages += 1,
            }
            Ok::<(), Error>(())
        })?;
    }
    Ok((messages, errors))
}

/// Median, minimum and maximum of some runs' seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Spread {
    /// The median (the upper one of an even count).
    pub(crate) median: f64,
    /// The fastest run.
    pub(crate) min: f64,
    /// The slowest run.
    pub(crate) max: f64,
}

impl Spread {
    /// The spread of `seconds`; `None` when there are none.
    pub(crate) fn of(seconds: &[f64]) -> Option<Spread> {
        let mut sorted = seconds.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Spread {
            median: *sorted.get(sorted.len() / 2)?,
            min: *sorted.first()?,
            max: *sorted.last()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_of_odd_even_and_empty_runs() {
        let odd = Spread::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((odd.median, odd.min, odd.max), (2.0, 1.0, 3.0));
        let even = Spread::of(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((even.median, even.min, even.max), (3.0, 1.0, 4.0));
        assert_eq!(Spread::of(&[]), None);
    }

    #[test]
    fn transports_parse_back_from_their_names() {
        for t in Transport::ALL {
            assert_eq!(Transport::parse(t.name()), Some(t));
        }
        assert_eq!(Transport::parse("ip"), Some(Transport::Tool));
        assert_eq!(Transport::parse("uring"), None);
    }
}
