//! The command language: steps separated by `--`, each a few words.
//!
//! ```text
//! addr add|del PREFIX dev NAME
//! route add|del PREFIX|default [via ADDR] [dev NAME] [metric N]
//! route dump
//! mptcp endpoint add ADDR [id N] [dev NAME] [port N] [signal|subflow|backup|fullmesh]...
//! mptcp endpoint del id N
//! ```

use core::net::IpAddr;

use nl_agent::{decimal, ip};
use nl_core::mptcp::EndpointFlags;

use crate::sys::Args;

/// The most words one step may have.
pub(crate) const MAX_WORDS: usize = 24;

/// What the usage error message shows.
pub(crate) const USAGE: &str = "\
usage: nl-agent STEP [-- STEP]...
  addr add|del PREFIX dev NAME
  route add|del PREFIX|default [via ADDR] [dev NAME] [metric N]
  route dump
  mptcp endpoint add ADDR [id N] [dev NAME] [port N] [signal|subflow|backup|fullmesh]...
  mptcp endpoint del id N
";

/// A bad command line: the step, the word at fault, and why.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Usage {
    /// The step's number, from 1.
    pub(crate) step: u32,
    /// The word at fault (`None`: the step ended too early).
    pub(crate) word: Option<&'static str>,
    /// What is wrong.
    pub(crate) why: &'static str,
}

/// The words of one step.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Words {
    words: [&'static str; MAX_WORDS],
    len: usize,
}

impl Words {
    /// The words, in order.
    pub(crate) fn as_slice(&self) -> &[&'static str] {
        self.words.get(..self.len).unwrap_or_default()
    }
}

/// Splits the command line into steps at `--`.
pub(crate) struct Steps {
    args: Args,
    number: u32,
    done: bool,
}

impl Steps {
    /// The steps of `args`.
    pub(crate) fn new(args: Args) -> Self {
        Steps {
            args,
            number: 0,
            done: false,
        }
    }
}

impl Iterator for Steps {
    /// The step's number (from 1) and its words.
    type Item = Result<(u32, Words), Usage>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.number += 1;
        let mut words = Words {
            words: [""; MAX_WORDS],
            len: 0,
        };
        let usage = |word, why| Usage {
            step: self.number,
            word,
            why,
        };
        loop {
            let Some(arg) = self.args.next() else {
                self.done = true;
                break;
            };
            let Ok(word) = core::str::from_utf8(arg) else {
                self.done = true;
                return Some(Err(usage(None, "a word is not UTF-8")));
            };
            if word == "--" {
                break;
            }
            let Some(slot) = words.words.get_mut(words.len) else {
                self.done = true;
                return Some(Err(usage(Some(word), "too many words in one step")));
            };
            *slot = word;
            words.len += 1;
        }
        if words.len == 0 {
            self.done = true;
            return Some(Err(usage(None, "empty step")));
        }
        Some(Ok((self.number, words)))
    }
}

/// An address and prefix length; no address for `default`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Prefix {
    /// The address (`None`: `default`).
    pub(crate) addr: Option<IpAddr>,
    /// The prefix length.
    pub(crate) len: u8,
}

/// `PREFIX dev NAME`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AddrArgs {
    /// The address.
    pub(crate) local: IpAddr,
    /// Its prefix length.
    pub(crate) len: u8,
    /// The interface.
    pub(crate) dev: &'static str,
}

/// A route's destination and options.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RouteArgs {
    /// The destination.
    pub(crate) dst: Prefix,
    /// `via ADDR`.
    pub(crate) via: Option<IpAddr>,
    /// `dev NAME`.
    pub(crate) dev: Option<&'static str>,
    /// `metric N`.
    pub(crate) metric: Option<u32>,
}

/// An MPTCP endpoint to add.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EndpointArgs {
    /// The address.
    pub(crate) addr: IpAddr,
    /// `id N`.
    pub(crate) id: Option<u8>,
    /// `dev NAME`.
    pub(crate) dev: Option<&'static str>,
    /// `port N`.
    pub(crate) port: Option<u16>,
    /// The flag words.
    pub(crate) flags: EndpointFlags,
}

/// One step.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Step {
    /// `addr add`.
    AddrAdd(AddrArgs),
    /// `addr del`.
    AddrDel(AddrArgs),
    /// `route add`.
    RouteAdd(RouteArgs),
    /// `route del`.
    RouteDel(RouteArgs),
    /// `route dump`.
    RouteDump,
    /// `mptcp endpoint add`.
    EndpointAdd(EndpointArgs),
    /// `mptcp endpoint del id N`.
    EndpointDel(u8),
}

/// A parse failure inside a step: the word at fault and why.
type Bad = (Option<&'static str>, &'static str);

impl Step {
    /// Parses the words of step number `number`.
    pub(crate) fn parse(number: u32, words: &[&'static str]) -> Result<Step, Usage> {
        Step::parse_words(words).map_err(|(word, why)| Usage {
            step: number,
            word,
            why,
        })
    }

    fn parse_words(words: &[&'static str]) -> Result<Step, Bad> {
        match words {
            ["addr", "add", rest @ ..] => Ok(Step::AddrAdd(addr_args(rest)?)),
            ["addr", "del" | "delete", rest @ ..] => Ok(Step::AddrDel(addr_args(rest)?)),
            ["route", "add", rest @ ..] => Ok(Step::RouteAdd(route_args(rest)?)),
            ["route", "del" | "delete", rest @ ..] => Ok(Step::RouteDel(route_args(rest)?)),
            ["route", "dump" | "show"] => Ok(Step::RouteDump),
            ["mptcp", "endpoint", "add", rest @ ..] => Ok(Step::EndpointAdd(endpoint_args(rest)?)),
            ["mptcp", "endpoint", "del" | "delete", "id", id] => Ok(Step::EndpointDel(number(id)?)),
            ["addr" | "route" | "mptcp", second, ..] => Err((Some(second), "unknown command")),
            [first, ..] => Err((Some(first), "unknown object")),
            [] => Err((None, "empty step")),
        }
    }
}

fn addr_args(words: &[&'static str]) -> Result<AddrArgs, Bad> {
    match words {
        [prefix, "dev", dev] => {
            let Prefix {
                addr: Some(local),
                len,
            } = parse_prefix(prefix)?
            else {
                return Err((Some(prefix), "an address is needed"));
            };
            Ok(AddrArgs { local, len, dev })
        }
        [_, "dev"] | [_] | [] => Err((None, "expected PREFIX dev NAME")),
        [_, word, ..] => Err((Some(word), "expected dev NAME")),
    }
}

fn route_args(words: &[&'static str]) -> Result<RouteArgs, Bad> {
    let [dst, options @ ..] = words else {
        return Err((None, "expected a destination"));
    };
    let mut options = options;
    let mut route = RouteArgs {
        dst: parse_prefix(dst)?,
        via: None,
        dev: None,
        metric: None,
    };
    while let [key, rest @ ..] = options {
        let [value, rest @ ..] = rest else {
            return Err((Some(key), "a value must follow"));
        };
        match *key {
            "via" => route.via = Some(address(value)?),
            "dev" | "oif" => route.dev = Some(value),
            "metric" | "priority" => route.metric = Some(number(value)?),
            _ => return Err((Some(key), "unknown route option")),
        }
        options = rest;
    }
    Ok(route)
}

fn endpoint_args(words: &[&'static str]) -> Result<EndpointArgs, Bad> {
    let [addr, options @ ..] = words else {
        return Err((None, "expected an address"));
    };
    let mut options = options;
    let mut endpoint = EndpointArgs {
        addr: address(addr)?,
        id: None,
        dev: None,
        port: None,
        flags: EndpointFlags(0),
    };
    while let [key, rest @ ..] = options {
        options = rest;
        if let Some(bit) = EndpointFlags::from_name(key).filter(|_| *key != "implicit") {
            endpoint.flags.0 |= bit;
            continue;
        }
        let [value, rest @ ..] = options else {
            return Err((Some(key), "a value must follow"));
        };
        match *key {
            "id" => endpoint.id = Some(number(value)?),
            "dev" => endpoint.dev = Some(value),
            "port" => endpoint.port = Some(number(value)?),
            _ => return Err((Some(key), "unknown endpoint option")),
        }
        options = rest;
    }
    Ok(endpoint)
}

/// `ADDR/LEN`, `ADDR` (a host route) or `default`.
fn parse_prefix(word: &'static str) -> Result<Prefix, Bad> {
    if word == "default" {
        return Ok(Prefix { addr: None, len: 0 });
    }
    let (addr, len) = match word.split_once('/') {
        Some((addr, len)) => (address(addr)?, Some(number::<u8>(len)?)),
        None => (address(word)?, None),
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let len = len.unwrap_or(max);
    if len > max {
        return Err((Some(word), "prefix length too long"));
    }
    Ok(Prefix {
        addr: Some(addr),
        len,
    })
}

fn address(word: &'static str) -> Result<IpAddr, Bad> {
    ip::parse(word).ok_or((Some(word), "not an IP address"))
}

fn number<T: TryFrom<u32>>(word: &'static str) -> Result<T, Bad> {
    decimal::parse(word).ok_or((Some(word), "not a number in range"))
}
