//! One entry as one line of `conntrack -L`:
//!
//! ```text
//! tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1000 dport=80
//!   [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=80 dport=1000 [ASSURED] mark=0 zone=5 use=1
//! ```
//!
//! (on one line): protocol name padded to 8 and number, seconds left, the
//! TCP state, the original tuple and its counters, `[UNREPLIED]` without
//! `seen-reply`, the reply tuple and its counters, `[ASSURED]`,
//! `[OFFLOAD]`/`[HW_OFFLOAD]`, then `mark=`, `secctx=`, `zone=`, `use=`
//! for what the message carries. A malformed tuple prints as `<error: …>`.

use core::fmt;

use super::attrs::{CtStatus, TcpState};
use super::tuple::Tuple;
use super::view::{Conntrack, Counters};

/// The name `conntrack` prints for a layer-4 protocol.
fn proto_name(proto: u8) -> &'static str {
    match proto {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        33 => "dccp",
        47 => "gre",
        58 => "icmpv6",
        132 => "sctp",
        136 => "udplite",
        _ => "unknown",
    }
}

/// The name `conntrack` prints for a TCP state.
fn tcp_state_name(state: TcpState) -> Option<&'static str> {
    Some(match state {
        TcpState::None => "NONE",
        TcpState::SynSent => "SYN_SENT",
        TcpState::SynRecv => "SYN_RECV",
        TcpState::Established => "ESTABLISHED",
        TcpState::FinWait => "FIN_WAIT",
        TcpState::CloseWait => "CLOSE_WAIT",
        TcpState::LastAck => "LAST_ACK",
        TcpState::TimeWait => "TIME_WAIT",
        TcpState::Close => "CLOSE",
        TcpState::SynSent2 => "SYN_SENT2",
        _ => return None,
    })
}

/// `src=… dst=… sport=… dport=…` (or `type=… code=… id=…`).
fn write_tuple(f: &mut fmt::Formatter<'_>, tuple: &Tuple) -> fmt::Result {
    write!(f, "src={} dst={}", tuple.src, tuple.dst)?;
    if let Some(port) = tuple.src_port {
        write!(f, " sport={port}")?;
    }
    if let Some(port) = tuple.dst_port {
        write!(f, " dport={port}")?;
    }
    if let Some(icmp) = tuple.icmp {
        write!(f, " type={} code={} id={}", icmp.ty, icmp.code, icmp.id)?;
    }
    Ok(())
}

/// ` packets=… bytes=…` when counted.
fn write_counters(f: &mut fmt::Formatter<'_>, counters: Option<Counters>) -> fmt::Result {
    match counters {
        Some(c) => write!(f, " packets={} bytes={}", c.packets, c.bytes),
        None => Ok(()),
    }
}

impl fmt::Display for Conntrack<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let orig = self.orig();
        let proto = orig.as_ref().map(|t| t.proto).unwrap_or(0);
        write!(f, "{:<8} {}", proto_name(proto), proto)?;
        if let Some(timeout) = self.timeout() {
            write!(f, " {timeout}")?;
        }
        if let Some(name) = self.tcp_state().and_then(tcp_state_name) {
            write!(f, " {name}")?;
        }
        f.write_str(" ")?;
        match orig {
            Ok(tuple) => write_tuple(f, &tuple)?,
            Err(e) => write!(f, "<error: {e}>")?,
        }
        write_counters(f, self.counters_orig())?;
        let status = self.status();
        if !status.contains(CtStatus::SEEN_REPLY) {
            f.write_str(" [UNREPLIED]")?;
        }
        f.write_str(" ")?;
        match self.reply() {
            Ok(tuple) => write_tuple(f, &tuple)?,
            Err(e) => write!(f, "<error: {e}>")?,
        }
        write_counters(f, self.counters_reply())?;
        for (bit, text) in [
            (CtStatus::ASSURED, " [ASSURED]"),
            (CtStatus::OFFLOAD, " [OFFLOAD]"),
            (CtStatus::HW_OFFLOAD, " [HW_OFFLOAD]"),
        ] {
            if status.contains(bit) {
                f.write_str(text)?;
            }
        }
        if let Some(mark) = self.mark() {
            write!(f, " mark={mark}")?;
        }
        if let Some(secctx) = self.secctx() {
            write!(f, " secctx={secctx}")?;
        }
        if let Some(zone) = self.zone() {
            write!(f, " zone={zone}")?;
        }
        if let Some(count) = self.use_count() {
            write!(f, " use={count}")?;
        }
        Ok(())
    }
}
