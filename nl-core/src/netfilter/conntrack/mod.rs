//! ctnetlink: the kernel's connection tracking table over nfnetlink
//! (subsystem [`NFNL_SUBSYS_CTNETLINK`](super::NFNL_SUBSYS_CTNETLINK)).
//!
//! Spec: `conntrack.yaml`; headers: `linux/netfilter/nfnetlink.h`,
//! `linux/netfilter/nfnetlink_conntrack.h`. Nearly every integer
//! attribute is big-endian and declared so.
//!
//! ```text
//! nlmsghdr (16): type = 1 << 8 | CtMsg | nfgenmsg (4) | ConntrackAttrs
//!   0x100 new, 0x101 get, 0x102 delete, 0x103 get-ctrzero,
//!   0x104 get-stats-cpu (StatsAttrs), 0x105 get-stats (StatsGlobalAttrs)
//! ```
//!
//! - [`attrs`]: the value sets and attribute sets.
//! - [`tuple`](mod@tuple): one direction ([`Tuple`]).
//! - [`view`]: one entry ([`Conntrack`]), and its `Display` (as `conntrack -L`).
//! - [`request`]: every request and its [`layout`].
//! - [`stats`](mod@stats): [`Stats`] and [`StatsCpu`].
//! - [`event`]: [`ConntrackEvent`]s of the groups in [`group`](super::group).
//!
//! ```
//! use nl_core::netfilter::conntrack::{self, Conntrack, ConntrackSpec, CtStatus, TcpState, Tuple};
//! use nl_core::nlmsg::{Flags, Message};
//!
//! // `conntrack -I -p tcp -s 10.0.0.1 -d 10.0.0.2 --sport 1000 --dport 80
//! //  --state ESTABLISHED -t 120 -u ASSURED,SEEN_REPLY -m 7 -w 5`
//! let orig = Tuple::tcp("10.0.0.1:1000".parse().unwrap(), "10.0.0.2:80".parse().unwrap());
//! let mut spec = ConntrackSpec::new(orig, 120);
//! spec.status = CtStatus(CtStatus::ASSURED | CtStatus::SEEN_REPLY);
//! spec.mark = Some(7);
//! spec.zone = Some(5);
//! spec.tcp_state = Some(TcpState::Established);
//! let mut buf = [0u8; 256];
//! let request = conntrack::new(&mut buf, 1, Flags::CREATE | Flags::EXCL, &spec).unwrap();
//!
//! // It reads back as an entry.
//! let entry = Conntrack::parse(&Message::parse(request).unwrap()).unwrap();
//! assert_eq!(entry.orig().unwrap(), orig);
//! assert_eq!(entry.reply().unwrap(), orig.reversed());
//! assert_eq!(
//!     entry.to_string(),
//!     "tcp      6 120 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1000 dport=80 \
//!      src=10.0.0.2 dst=10.0.0.1 sport=80 dport=1000 [ASSURED] mark=7 zone=5"
//! );
//! ```

pub mod attrs;
mod display;
pub mod event;
pub mod request;
pub mod stats;
pub mod tuple;
pub mod view;

#[cfg(all(test, target_endian = "little"))]
mod tests;

pub use attrs::{
    ConntrackAttrs, CounterAttrs, CtMsg, CtStatus, FilterAttrs, HelpAttrs, NatAttrs, NatProtoAttrs,
    ProtoinfoAttrs, ProtoinfoDccpAttrs, ProtoinfoSctpAttrs, ProtoinfoTcpAttrs, SctpState,
    SecctxAttrs, SeqadjAttrs, StatsAttrs, StatsGlobalAttrs, SynproxyAttrs, TcpFlags, TcpFlagsMask,
    TcpState, TimestampAttrs, TupleAttrs, TupleIpAttrs, TupleProtoAttrs, msg_type,
};
pub use event::ConntrackEvent;
pub use request::{
    ConntrackSpec, DumpFilter, delete, dump, dump_zero, flush, get, layout, new, stats, stats_cpu,
};
pub use stats::{Stats, StatsCpu};
pub use tuple::{Icmp, Tuple};
pub use view::{Conntrack, Counters};
