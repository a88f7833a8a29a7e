//! Traffic control qdiscs (`RTM_NEWQDISC`, `RTM_DELQDISC`, `RTM_GETQDISC`)
//! with typed options for htb, tbf, pfifo/bfifo and ingress.
//!
//! Spec: `tc.yaml`; headers: `linux/rtnetlink.h`, `pkt_sched.h`, `gen_stats.h`.
//!
//! ```text
//!  0               1               2               3
//! +---------------+---------------+-------------------------------+
//! | family (u8)   | pad1 (u8)     |          pad2 (u16)           |
//! +---------------+---------------+-------------------------------+
//! |                        ifindex (s32)                          |
//! +---------------------------------------------------------------+
//! |                 handle (u32: major << 16 | minor)             |
//! +---------------------------------------------------------------+
//! |                         parent (u32)                          |
//! +---------------------------------------------------------------+
//! |                 info (u32: refcount in replies)               |
//! +---------------------------------------------------------------+
//! | attributes (TCA_*) ...                                        |
//! ```

use core::fmt;

use zerocopy::byteorder::native_endian::{I16, I32, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::{RTM_DELQDISC, RTM_GETQDISC, RTM_NEWQDISC};
use crate::family::{FamilyMessage, FixedHeader};
use crate::nlmsg::{Flags, RequestLayout, build};
use crate::table::{Binary, Flag, Index, Nest, NlStr, Str, Struct};
use crate::{Error, Writer};

mod fifo;
mod htb;
mod stats;
mod tbf;

pub use fifo::TcFifoQopt;
pub use htb::{HTB_PROTOVER, HTB_VERSION, HtbAttrs, TcHtbGlob, TcHtbOpt};
pub use stats::{
    GnetStatsBasic, GnetStatsQueue, GnetStatsRateEst, GnetStatsRateEst64, QdiscStats, StatsAttrs,
    TcStats,
};
pub use tbf::{NS_PER_TICK, TbfAttrs, TbfParams, TcTbfQopt, ticks_to_us};

/// A qdisc or class handle (`major:minor`), printed as `tc` prints it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TcHandle(pub u32);

impl TcHandle {
    /// `TC_H_ROOT`: the root of the egress tree.
    pub const ROOT: TcHandle = TcHandle(0xffff_ffff);
    /// `TC_H_INGRESS` (also `TC_H_CLSACT`): the ingress hook.
    pub const INGRESS: TcHandle = TcHandle(0xffff_fff1);
    /// `TC_H_UNSPEC`: let the kernel choose.
    pub const UNSPEC: TcHandle = TcHandle(0);

    /// `major:minor`.
    pub const fn new(major: u16, minor: u16) -> Self {
        TcHandle(((major as u32) << 16) | minor as u32)
    }

    /// The major number (the qdisc's).
    pub const fn major(self) -> u16 {
        (self.0 >> 16) as u16
    }

    /// The minor number (the class's).
    pub const fn minor(self) -> u16 {
        (self.0 & 0xffff) as u16
    }
}

impl fmt::Display for TcHandle {
    /// `root`, `none`, `1:`, `:a`, `1:10` (hex numbers), as `tc` prints them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TcHandle::ROOT => f.write_str("root"),
            TcHandle::UNSPEC => f.write_str("none"),
            h if h.major() == 0 => write!(f, ":{:x}", h.minor()),
            h if h.minor() == 0 => write!(f, "{:x}:", h.major()),
            h => write!(f, "{:x}:{:x}", h.major(), h.minor()),
        }
    }
}

/// `struct tcmsg`: the fixed header of traffic control messages.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct TcHeader {
    /// `tcm_family` (`AF_UNSPEC`).
    pub family: u8,
    /// `tcm__pad1`.
    pub pad1: u8,
    /// `tcm__pad2`.
    pub pad2: U16,
    /// `tcm_ifindex`.
    pub ifindex: I32,
    /// `tcm_handle`.
    pub handle: U32,
    /// `tcm_parent`.
    pub parent: U32,
    /// `tcm_info`: the reference count in qdisc replies.
    pub info: U32,
}

impl TcHeader {
    /// Size on the wire.
    pub const LEN: usize = 20;
}

crate::attr_set! {
    /// `TCA_*`: the attributes of qdisc messages.
    pub struct TcAttrs = "tc-attrs" {
        /// Qdisc kind (`htb`, `tbf`, `ingress`…).
        1 KIND "kind": Str<15>;
        /// Kind-specific options: a nest for most kinds, a bare struct for
        /// pfifo/bfifo; read them with [`Qdisc::options`].
        2 OPTIONS "options": Binary<0, 0xffff>;
        /// [`TcStats`].
        3 STATS "stats": Struct<TcStats>;
        /// Kind-specific statistics, raw.
        4 XSTATS "xstats": Binary<0, 0xffff>;
        /// Rate estimator (`struct tc_estimator`), raw.
        5 RATE "rate": Binary<0, 0xffff>;
        /// Filter count.
        6 FCNT "fcnt": u32;
        /// Statistics, [`StatsAttrs`].
        7 STATS2 "stats2": Nest<StatsAttrs>;
        /// Size table, raw nest.
        8 STAB "stab": Binary<0, 0xffff>;
        /// Also dump invisible qdiscs (request).
        10 DUMP_INVISIBLE "dump-invisible": Flag;
        /// Filter chain.
        11 CHAIN "chain": u32;
        /// Offloaded to hardware.
        12 HW_OFFLOAD "hw-offload": u8;
        /// Ingress block index.
        13 INGRESS_BLOCK "ingress-block": u32;
        /// Egress block index.
        14 EGRESS_BLOCK "egress-block": u32;
        /// Dump flags (`struct nla_bitfield32`), raw.
        15 DUMP_FLAGS "dump-flags": Binary<8, 8>;
        /// A warning from the kernel.
        16 EXT_WARN_MSG "ext-warn-msg": Str<0>;
    }
}

/// `struct tc_ratespec`.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
)]
#[repr(C)]
pub struct TcRatespec {
    /// Log2 of the rate table cell size.
    pub cell_log: u8,
    /// `TC_LINKLAYER_*` (1: ethernet).
    pub linklayer: u8,
    /// Per-packet overhead.
    pub overhead: U16,
    /// Cell alignment.
    pub cell_align: I16,
    /// Minimum packet unit.
    pub mpu: U16,
    /// Rate in bytes per second (saturates at `u32::MAX`; see the `*64` attributes).
    pub rate: U32,
}

/// Qdisc options, typed by kind.
#[derive(Clone, Copy, Debug)]
pub enum QdiscOptions<'a> {
    /// No `TCA_OPTIONS` or an empty one (`ingress`, `noqueue`…).
    None,
    /// htb.
    Htb(Index<'a, HtbAttrs>),
    /// tbf.
    Tbf(Index<'a, TbfAttrs>),
    /// pfifo or bfifo: a bare struct.
    Fifo(&'a TcFifoQopt),
    /// Any other kind: the payload as sent.
    Raw(&'a [u8]),
}

/// Where a qdisc request's attributes start and which set they are, for
/// naming the attribute a kernel error points at.
pub fn layout() -> RequestLayout {
    Qdisc::layout()
}

/// A qdisc message: `RTM_NEWQDISC` (reply or event), `RTM_DELQDISC`, or a request.
pub type Qdisc<'a> = FamilyMessage<'a, TcHeader, TcAttrs>;

impl FixedHeader for TcHeader {
    const TYPES: &'static [u16] = &[RTM_NEWQDISC, RTM_DELQDISC, RTM_GETQDISC];
}

// tcmsg, as tc.yaml names it.
impl crate::table::WireStruct for TcHeader {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("family", 0, MemberKind::U8),
            Member::new("ifindex", 4, MemberKind::S32),
            Member::new("handle", 8, MemberKind::U32),
            Member::new("parent", 12, MemberKind::U32),
            Member::new("info", 16, MemberKind::U32),
        ]
    };
}

impl<'a> Qdisc<'a> {
    /// Interface index.
    pub fn ifindex(&self) -> i32 {
        self.header.ifindex.get()
    }

    /// Handle.
    pub fn handle(&self) -> TcHandle {
        TcHandle(self.header.handle.get())
    }

    /// Parent.
    pub fn parent(&self) -> TcHandle {
        TcHandle(self.header.parent.get())
    }

    /// Reference count.
    pub fn refcnt(&self) -> u32 {
        self.header.info.get()
    }

    /// Kind (empty when absent).
    pub fn kind(&self) -> NlStr<'a> {
        self.attrs.get(TcAttrs::KIND).unwrap_or(NlStr(&[]))
    }

    /// Options typed by kind; a malformed payload is an error.
    pub fn options(&self) -> Result<QdiscOptions<'a>, Error> {
        let Some(raw) = self.attrs.get(TcAttrs::OPTIONS) else {
            return Ok(QdiscOptions::None);
        };
        let kind = self.kind();
        Ok(match kind.as_bytes() {
            _ if raw.is_empty() => QdiscOptions::None,
            b"htb" => QdiscOptions::Htb(Index::parse(raw)?),
            b"tbf" => QdiscOptions::Tbf(Index::parse(raw)?),
            b"pfifo" | b"bfifo" => QdiscOptions::Fifo(
                TcFifoQopt::ref_from_prefix(raw)
                    .map_err(|_| Error::BadAttrLength {
                        ty: TcAttrs::OPTIONS.ty(),
                        len: raw.len(),
                    })?
                    .0,
            ),
            _ => QdiscOptions::Raw(raw),
        })
    }

    /// Counters: from `TCA_STATS2` when present, else from `TCA_STATS`.
    pub fn stats(&self) -> Result<Option<QdiscStats>, Error> {
        if let Some(nest) = self.attrs.get(TcAttrs::STATS2) {
            let s = nest.parse()?;
            let mut out = QdiscStats::default();
            if let Some(b) = s.get(StatsAttrs::BASIC) {
                out.bytes = b.bytes.get();
                out.packets = u64::from(b.packets.get());
            }
            if let Some(p) = s.get(StatsAttrs::PKT64) {
                out.packets = p;
            }
            if let Some(q) = s.get(StatsAttrs::QUEUE) {
                out.drops = q.drops.get();
                out.overlimits = q.overlimits.get();
                out.requeues = q.requeues.get();
                out.backlog = q.backlog.get();
                out.qlen = q.qlen.get();
            }
            return Ok(Some(out));
        }
        Ok(self.attrs.get(TcAttrs::STATS).map(|s| QdiscStats {
            bytes: s.bytes.get(),
            packets: u64::from(s.packets.get()),
            drops: s.drops.get(),
            overlimits: s.overlimits.get(),
            requeues: 0,
            backlog: s.backlog.get(),
            qlen: s.qlen.get(),
        }))
    }

    /// Writes the qdisc as one line of `tc qdisc show` does, naming the
    /// device `dev` (or `ifindex N` when `None`).
    pub fn write_text(&self, f: &mut dyn fmt::Write, dev: Option<&str>) -> fmt::Result {
        write!(f, "qdisc {} {:x}:", self.kind(), self.handle().major())?;
        match dev {
            Some(dev) => write!(f, " dev {dev}")?,
            None => write!(f, " ifindex {}", self.ifindex())?,
        }
        match self.parent() {
            TcHandle::ROOT => f.write_str(" root")?,
            TcHandle::UNSPEC => {}
            parent => write!(f, " parent {parent}")?,
        }
        if self.refcnt() != 0 {
            write!(f, " refcnt {}", self.refcnt())?;
        }
        match self.options() {
            Ok(QdiscOptions::Htb(htb)) => {
                if let Some(init) = htb.get(HtbAttrs::INIT) {
                    write!(
                        f,
                        " r2q {} default {:#x} direct_packets_stat {}",
                        init.rate2quantum.get(),
                        init.defcls.get(),
                        init.direct_pkts.get()
                    )?;
                }
                if let Some(qlen) = htb.get(HtbAttrs::DIRECT_QLEN) {
                    write!(f, " direct_qlen {qlen}")?;
                }
            }
            Ok(QdiscOptions::Tbf(tbf)) => {
                if let Some(t) = TbfParams::from_attrs(&tbf) {
                    write!(f, " rate {} burst {}", Rate(t.rate), Size(t.burst))?;
                    match t.latency_us {
                        Some(lat) => write!(f, " lat {}", Time(lat))?,
                        None => write!(f, " limit {}", Size(u64::from(t.limit)))?,
                    }
                }
            }
            // pfifo counts packets (`100p`), bfifo bytes (`10Kb`).
            Ok(QdiscOptions::Fifo(fifo)) if self.kind() == "pfifo" => {
                write!(f, " limit {}p", fifo.limit.get())?
            }
            Ok(QdiscOptions::Fifo(fifo)) => {
                write!(f, " limit {}", Size(u64::from(fifo.limit.get())))?
            }
            Ok(QdiscOptions::None | QdiscOptions::Raw(_)) => {}
            Err(e) => write!(f, " <error: {e}>")?,
        }
        Ok(())
    }
}

impl fmt::Display for Qdisc<'_> {
    /// Like `tc qdisc show`, with the interface index for the device name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_text(f, None)
    }
}

/// A rate in bytes per second, written in bits as `tc` does (`1Mbit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate(pub u64);

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = ["", "K", "M", "G", "T"];
        let mut rate = self.0.saturating_mul(8);
        let mut unit = "";
        for u in units {
            unit = u;
            if rate < 1000 || (rate % 1000 != 0 && rate < 1_000_000) || u == "T" {
                break;
            }
            rate /= 1000;
        }
        write!(f, "{rate}{unit}bit")
    }
}

/// A size in bytes, written as `tc` does (`32Kb`, `1Mb`, `1500b`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        if n >= 1 << 20 && n % (1 << 20) == 0 {
            write!(f, "{}Mb", n >> 20)
        } else if n >= 1 << 10 && n % (1 << 10) == 0 {
            write!(f, "{}Kb", n >> 10)
        } else {
            write!(f, "{n}b")
        }
    }
}

/// A time in microseconds, written as `tc` does (`50ms`, `1.5s`, `200us`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Time(pub u64);

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let us = self.0;
        let (whole, frac, unit) = if us >= 1_000_000 {
            (us / 1_000_000, us % 1_000_000 / 100_000, "s")
        } else if us >= 1000 {
            (us / 1000, us % 1000 / 100, "ms")
        } else {
            return write!(f, "{us}us");
        };
        if frac == 0 {
            write!(f, "{whole}{unit}")
        } else {
            write!(f, "{whole}.{frac}{unit}")
        }
    }
}

/// Builds an `RTM_GETQDISC` dump into `buf` (the kernel dumps every
/// device's qdiscs; filter by [`Qdisc::ifindex`]). `invisible` adds
/// `TCA_DUMP_INVISIBLE`.
pub fn dump(buf: &mut [u8], seq: u32, invisible: bool) -> Result<&[u8], Error> {
    let attrs = if invisible {
        TcAttrs::DUMP_INVISIBLE.space(&())?
    } else {
        0
    };
    build(
        buf,
        RTM_GETQDISC,
        Flags::DUMP,
        seq,
        &TcHeader::default(),
        attrs,
        |w| {
            if invisible {
                w.put(TcAttrs::DUMP_INVISIBLE, ())?;
            }
            Ok(())
        },
    )
}

/// The qdisc to create, with its options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum QdiscConfig {
    /// htb with `default` as the default class minor and `r2q` (10 is `tc`'s default).
    Htb {
        /// Default class minor number.
        default: u32,
        /// Rate to quantum divisor.
        r2q: u32,
        /// Direct queue length.
        direct_qlen: Option<u32>,
    },
    /// tbf: `rate` bytes/s, `burst` bytes, `limit` bytes queued.
    Tbf {
        /// Rate in bytes per second.
        rate: u64,
        /// Bucket size in bytes.
        burst: u32,
        /// Queue limit in bytes.
        limit: u32,
    },
    /// ingress (no options; use handle `ffff:` and parent [`TcHandle::INGRESS`]).
    Ingress,
    /// pfifo with a limit in packets.
    Pfifo {
        /// Packets.
        limit: u32,
    },
    /// bfifo with a limit in bytes.
    Bfifo {
        /// Bytes.
        limit: u32,
    },
}

impl QdiscConfig {
    fn kind(&self) -> &'static str {
        match self {
            QdiscConfig::Htb { .. } => "htb",
            QdiscConfig::Tbf { .. } => "tbf",
            QdiscConfig::Ingress => "ingress",
            QdiscConfig::Pfifo { .. } => "pfifo",
            QdiscConfig::Bfifo { .. } => "bfifo",
        }
    }

    fn tbf_parms(rate: u64, burst: u32, limit: u32) -> TcTbfQopt {
        // Bucket in ticks: burst bytes at `rate` bytes/s.
        let ns = u128::from(burst) * 1_000_000_000 / u128::from(rate.max(1));
        let ticks = u32::try_from(ns / u128::from(NS_PER_TICK)).unwrap_or(u32::MAX);
        TcTbfQopt {
            rate: TcRatespec {
                linklayer: 1,
                rate: U32::new(u32::try_from(rate).unwrap_or(u32::MAX)),
                ..TcRatespec::default()
            },
            limit: U32::new(limit),
            buffer: U32::new(ticks),
            ..TcTbfQopt::default()
        }
    }

    /// Bytes of the `TCA_OPTIONS` attribute (0 when there is none).
    fn options_space(&self) -> Result<usize, Error> {
        let nest = |inner: usize| crate::attr::space(inner);
        match *self {
            QdiscConfig::Htb { direct_qlen, .. } => {
                let mut n = HtbAttrs::INIT.space(&&TcHtbGlob::default())?;
                if let Some(q) = direct_qlen {
                    n += HtbAttrs::DIRECT_QLEN.space(&q)?;
                }
                nest(n)
            }
            QdiscConfig::Tbf { rate, burst, .. } => {
                let mut n = TbfAttrs::PARMS.space(&&TcTbfQopt::default())?;
                n += TbfAttrs::BURST.space(&burst)?;
                if u32::try_from(rate).is_err() {
                    n += TbfAttrs::RATE64.space(&rate)?;
                }
                nest(n)
            }
            QdiscConfig::Ingress => nest(0),
            QdiscConfig::Pfifo { .. } | QdiscConfig::Bfifo { .. } => {
                crate::attr::space(core::mem::size_of::<TcFifoQopt>())
            }
        }
    }

    fn put_options(&self, w: &mut Writer<'_>) -> Result<(), Error> {
        let options = TcAttrs::OPTIONS.ty();
        match *self {
            QdiscConfig::Htb {
                default,
                r2q,
                direct_qlen,
            } => {
                let nest = w.nest_start(options)?;
                let glob = TcHtbGlob {
                    version: U32::new(HTB_PROTOVER),
                    rate2quantum: U32::new(r2q),
                    defcls: U32::new(default),
                    ..TcHtbGlob::default()
                };
                w.put(HtbAttrs::INIT, &glob)?;
                if let Some(q) = direct_qlen {
                    w.put(HtbAttrs::DIRECT_QLEN, q)?;
                }
                w.nest_end(nest)
            }
            QdiscConfig::Tbf { rate, burst, limit } => {
                let nest = w.nest_start(options)?;
                w.put(TbfAttrs::PARMS, &Self::tbf_parms(rate, burst, limit))?;
                w.put(TbfAttrs::BURST, burst)?;
                if u32::try_from(rate).is_err() {
                    w.put(TbfAttrs::RATE64, rate)?;
                }
                w.nest_end(nest)
            }
            QdiscConfig::Ingress => {
                let nest = w.nest_start(options)?;
                w.nest_end(nest)
            }
            QdiscConfig::Pfifo { limit } | QdiscConfig::Bfifo { limit } => {
                let qopt = TcFifoQopt {
                    limit: U32::new(limit),
                };
                w.attr(options, qopt.as_bytes())
            }
        }
    }
}

/// Builds `RTM_NEWQDISC` creating `config` on `ifindex` with `handle` under
/// `parent` into `buf`. `flags` adds `NLM_F_CREATE`, `NLM_F_EXCL`,
/// `NLM_F_REPLACE` (`NLM_F_REQUEST` is always set).
pub fn new_qdisc<'b>(
    buf: &'b mut [u8],
    seq: u32,
    flags: Flags,
    ifindex: u32,
    handle: TcHandle,
    parent: TcHandle,
    config: &QdiscConfig,
) -> Result<&'b [u8], Error> {
    let header = tc_header(ifindex, handle, parent)?;
    let kind = config.kind();
    let attrs = TcAttrs::KIND.space(&kind)? + config.options_space()?;
    build(buf, RTM_NEWQDISC, flags, seq, &header, attrs, |w| {
        w.put(TcAttrs::KIND, kind)?;
        config.put_options(w)
    })
}

/// Builds `RTM_DELQDISC` for the qdisc `handle` under `parent` on `ifindex`.
pub fn del_qdisc(
    buf: &mut [u8],
    seq: u32,
    ifindex: u32,
    handle: TcHandle,
    parent: TcHandle,
) -> Result<&[u8], Error> {
    let header = tc_header(ifindex, handle, parent)?;
    build(buf, RTM_DELQDISC, Flags::NONE, seq, &header, 0, |_| Ok(()))
}

fn tc_header(ifindex: u32, handle: TcHandle, parent: TcHandle) -> Result<TcHeader, Error> {
    Ok(TcHeader {
        ifindex: I32::new(i32::try_from(ifindex).map_err(|_| Error::TooLong)?),
        handle: U32::new(handle.0),
        parent: U32::new(parent.0),
        ..TcHeader::default()
    })
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::format;
    use std::vec::Vec;

    use super::*;
    use crate::nlmsg::Message;

    /// The STATS2 and STATS attributes of every qdisc below: all counters zero.
    #[rustfmt::skip]
    const ZERO_STATS: [u8; 92] = [
        0x30, 0x00, 0x07, 0x00, // nla_len = 48, TCA_STATS2
        0x14, 0x00, 0x01, 0x00, //   nla_len = 20, TCA_STATS_BASIC
        0x00, 0x00, 0x00, 0x00, //   bytes = 0
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, //   packets = 0
        0x00, 0x00, 0x00, 0x00, //   (padding of the C struct)
        0x18, 0x00, 0x03, 0x00, //   nla_len = 24, TCA_STATS_QUEUE
        0x00, 0x00, 0x00, 0x00, //   qlen
        0x00, 0x00, 0x00, 0x00, //   backlog
        0x00, 0x00, 0x00, 0x00, //   drops
        0x00, 0x00, 0x00, 0x00, //   requeues
        0x00, 0x00, 0x00, 0x00, //   overlimits
        0x2c, 0x00, 0x03, 0x00, // nla_len = 44, TCA_STATS (struct tc_stats, 40 bytes)
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// `tc qdisc add dev v0 root handle 1: htb default 10`, as this kernel
    /// (6.18) dumps it, up to the statistics.
    #[rustfmt::skip]
    const HTB_HEAD: [u8; 88] = [
        0xb4, 0x00, 0x00, 0x00, // nlmsg_len = 180
        0x24, 0x00,             // nlmsg_type = RTM_NEWQDISC
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x66, 0x69, 0x00, 0x00, // nlmsg_pid
        0x00, 0x00, 0x00, 0x00, // tcm_family = AF_UNSPEC, pad
        0x03, 0x00, 0x00, 0x00, // tcm_ifindex = 3
        0x00, 0x00, 0x01, 0x00, // tcm_handle = 1:
        0xff, 0xff, 0xff, 0xff, // tcm_parent = TC_H_ROOT
        0x03, 0x00, 0x00, 0x00, // tcm_info = refcnt 3
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, TCA_KIND
        0x68, 0x74, 0x62, 0x00, // "htb\0"
        0x24, 0x00, 0x02, 0x00, // nla_len = 36, TCA_OPTIONS
        0x18, 0x00, 0x02, 0x00, //   nla_len = 24, TCA_HTB_INIT
        0x11, 0x00, 0x03, 0x00, //   version = 3.17
        0x0a, 0x00, 0x00, 0x00, //   rate2quantum = 10
        0x10, 0x00, 0x00, 0x00, //   defcls = 0x10
        0x00, 0x00, 0x00, 0x00, //   debug = 0
        0x00, 0x00, 0x00, 0x00, //   direct_pkts = 0
        0x08, 0x00, 0x05, 0x00, //   nla_len = 8, TCA_HTB_DIRECT_QLEN
        0xe8, 0x03, 0x00, 0x00, //   1000
        0x05, 0x00, 0x0c, 0x00, // nla_len = 5, TCA_HW_OFFLOAD
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
    ];

    /// `tc qdisc add dev v1 root handle 2: tbf rate 1mbit burst 32k latency 50ms`.
    #[rustfmt::skip]
    const TBF_HEAD: [u8; 96] = [
        0xbc, 0x00, 0x00, 0x00, // nlmsg_len = 188
        0x24, 0x00,             // nlmsg_type = RTM_NEWQDISC
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x66, 0x69, 0x00, 0x00, // nlmsg_pid
        0x00, 0x00, 0x00, 0x00, // tcm_family = AF_UNSPEC, pad
        0x02, 0x00, 0x00, 0x00, // tcm_ifindex = 2
        0x00, 0x00, 0x02, 0x00, // tcm_handle = 2:
        0xff, 0xff, 0xff, 0xff, // tcm_parent = TC_H_ROOT
        0x03, 0x00, 0x00, 0x00, // tcm_info = refcnt 3
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, TCA_KIND
        0x74, 0x62, 0x66, 0x00, // "tbf\0"
        0x2c, 0x00, 0x02, 0x00, // nla_len = 44, TCA_OPTIONS
        0x28, 0x00, 0x01, 0x00, //   nla_len = 40, TCA_TBF_PARMS
        0x00, 0x01, 0x00, 0x00, //   rate: cell_log 0, linklayer ethernet, overhead 0
        0x00, 0x00, 0x00, 0x00, //   cell_align 0, mpu 0
        0x48, 0xe8, 0x01, 0x00, //   rate = 125000 bytes/s
        0x00, 0x00, 0x00, 0x00, //   peakrate: all zero
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x6a, 0x98, 0x00, 0x00, //   limit = 39018
        0x00, 0x80, 0x3e, 0x00, //   buffer = 4096000 ticks
        0x00, 0x00, 0x00, 0x00, //   mtu = 0
        0x05, 0x00, 0x0c, 0x00, // nla_len = 5, TCA_HW_OFFLOAD
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
    ];

    /// `tc qdisc add dev v0 ingress`.
    #[rustfmt::skip]
    const INGRESS_HEAD: [u8; 60] = [
        0x98, 0x00, 0x00, 0x00, // nlmsg_len = 152
        0x24, 0x00,             // nlmsg_type = RTM_NEWQDISC
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x66, 0x69, 0x00, 0x00, // nlmsg_pid
        0x00, 0x00, 0x00, 0x00, // tcm_family = AF_UNSPEC, pad
        0x03, 0x00, 0x00, 0x00, // tcm_ifindex = 3
        0x00, 0x00, 0xff, 0xff, // tcm_handle = ffff:
        0xf1, 0xff, 0xff, 0xff, // tcm_parent = TC_H_INGRESS
        0x01, 0x00, 0x00, 0x00, // tcm_info = refcnt 1
        0x0c, 0x00, 0x01, 0x00, // nla_len = 12, TCA_KIND
        0x69, 0x6e, 0x67, 0x72, // "ingress\0"
        0x65, 0x73, 0x73, 0x00,
        0x04, 0x00, 0x02, 0x00, // nla_len = 4, TCA_OPTIONS (empty nest)
        0x05, 0x00, 0x0c, 0x00, // nla_len = 5, TCA_HW_OFFLOAD
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
    ];

    /// `tc qdisc add dev v3 root handle 4: bfifo limit 10000`.
    #[rustfmt::skip]
    const BFIFO_HEAD: [u8; 64] = [
        0x9c, 0x00, 0x00, 0x00, // nlmsg_len = 156
        0x24, 0x00,             // nlmsg_type = RTM_NEWQDISC
        0x02, 0x00,             // nlmsg_flags = NLM_F_MULTI
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x66, 0x69, 0x00, 0x00, // nlmsg_pid
        0x00, 0x00, 0x00, 0x00, // tcm_family = AF_UNSPEC, pad
        0x04, 0x00, 0x00, 0x00, // tcm_ifindex = 4
        0x00, 0x00, 0x04, 0x00, // tcm_handle = 4:
        0xff, 0xff, 0xff, 0xff, // tcm_parent = TC_H_ROOT
        0x03, 0x00, 0x00, 0x00, // tcm_info = refcnt 3
        0x0a, 0x00, 0x01, 0x00, // nla_len = 10, TCA_KIND
        0x62, 0x66, 0x69, 0x66, // "bfifo\0" + 2 padding
        0x6f, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x02, 0x00, // nla_len = 8, TCA_OPTIONS (bare tc_fifo_qopt)
        0x10, 0x27, 0x00, 0x00, // limit = 10000
        0x05, 0x00, 0x0c, 0x00, // nla_len = 5, TCA_HW_OFFLOAD
        0x00, 0x00, 0x00, 0x00, // 0 + 3 padding
    ];

    fn whole(head: &[u8]) -> Vec<u8> {
        let mut v = Vec::from(head);
        v.extend_from_slice(&ZERO_STATS);
        assert_eq!(v.len(), usize::from(v[0]) | usize::from(v[1]) << 8);
        v
    }

    fn qdisc(bytes: &[u8]) -> Result<Qdisc<'_>, Error> {
        Qdisc::parse(&Message::parse(bytes)?)
    }

    #[test]
    fn decode_htb() {
        let bytes = whole(&HTB_HEAD);
        let q = qdisc(&bytes).unwrap();
        assert_eq!(q.kind(), "htb");
        assert_eq!(q.ifindex(), 3);
        assert_eq!(q.handle(), TcHandle::new(1, 0));
        assert_eq!(q.parent(), TcHandle::ROOT);
        assert_eq!(q.refcnt(), 3);
        assert_eq!(q.attrs.get(TcAttrs::HW_OFFLOAD), Some(0));
        let QdiscOptions::Htb(htb) = q.options().unwrap() else {
            panic!("not htb")
        };
        let init = htb.get(HtbAttrs::INIT).unwrap();
        assert_eq!(init.version.get(), HTB_VERSION);
        assert_eq!(init.rate2quantum.get(), 10);
        assert_eq!(init.defcls.get(), 0x10);
        assert_eq!(htb.get(HtbAttrs::DIRECT_QLEN), Some(1000));
        assert_eq!(q.stats().unwrap(), Some(QdiscStats::default()));
        assert_eq!(q.attrs.unknown(), 0);
        assert_eq!(
            format!("{q}"),
            "qdisc htb 1: ifindex 3 root refcnt 3 r2q 10 default 0x10 \
             direct_packets_stat 0 direct_qlen 1000"
        );
    }

    #[test]
    fn decode_tbf() {
        let bytes = whole(&TBF_HEAD);
        let q = qdisc(&bytes).unwrap();
        let QdiscOptions::Tbf(tbf) = q.options().unwrap() else {
            panic!("not tbf")
        };
        let parms = tbf.get(TbfAttrs::PARMS).unwrap();
        assert_eq!(parms.rate.linklayer, 1);
        assert_eq!(parms.rate.rate.get(), 125_000);
        assert_eq!(parms.limit.get(), 39_018);
        assert_eq!(parms.buffer.get(), 4_096_000);
        assert_eq!(
            TbfParams::from_attrs(&tbf),
            Some(TbfParams {
                rate: 125_000,
                burst: 32_768,
                limit: 39_018,
                latency_us: Some(50_000),
            })
        );
        let mut text = std::string::String::new();
        q.write_text(&mut text, Some("v1")).unwrap();
        assert_eq!(
            text,
            "qdisc tbf 2: dev v1 root refcnt 3 rate 1Mbit burst 32Kb lat 50ms"
        );
    }

    #[test]
    fn decode_ingress_and_bfifo() {
        let bytes = whole(&INGRESS_HEAD);
        let q = qdisc(&bytes).unwrap();
        assert_eq!(q.kind(), "ingress");
        assert_eq!(q.handle(), TcHandle(0xffff_0000));
        assert_eq!(q.parent(), TcHandle::INGRESS);
        assert!(matches!(q.options().unwrap(), QdiscOptions::None));
        assert_eq!(
            format!("{q}"),
            "qdisc ingress ffff: ifindex 3 parent ffff:fff1 refcnt 1"
        );

        let bytes = whole(&BFIFO_HEAD);
        let q = qdisc(&bytes).unwrap();
        let QdiscOptions::Fifo(fifo) = q.options().unwrap() else {
            panic!("not fifo")
        };
        assert_eq!(fifo.limit.get(), 10_000);
        assert_eq!(
            format!("{q}"),
            "qdisc bfifo 4: ifindex 4 root refcnt 3 limit 10000b"
        );
    }

    #[test]
    fn fifo_limits_print_with_their_units() {
        let mut buf = [0u8; 64];
        let pfifo = QdiscConfig::Pfifo { limit: 100 };
        let root = TcHandle::ROOT;
        let msg = new_qdisc(
            &mut buf,
            1,
            Flags::CREATE,
            3,
            TcHandle::new(3, 0),
            root,
            &pfifo,
        );
        let q = qdisc(msg.unwrap()).unwrap();
        assert_eq!(format!("{q}"), "qdisc pfifo 3: ifindex 3 root limit 100p");
        let mut buf = [0u8; 64];
        let bfifo = QdiscConfig::Bfifo { limit: 10_240 };
        let msg = new_qdisc(
            &mut buf,
            1,
            Flags::CREATE,
            3,
            TcHandle::new(4, 0),
            root,
            &bfifo,
        );
        let q = qdisc(msg.unwrap()).unwrap();
        assert_eq!(format!("{q}"), "qdisc bfifo 4: ifindex 3 root limit 10Kb");
    }

    #[test]
    fn bad_options_and_truncation_are_errors() {
        // A bfifo whose options are 2 bytes.
        let mut bytes = whole(&BFIFO_HEAD);
        bytes[48] = 0x06;
        let q = qdisc(&bytes).unwrap();
        assert_eq!(
            q.options().unwrap_err(),
            Error::BadAttrLength { ty: 2, len: 2 }
        );
        let mut short = Vec::from(&BFIFO_HEAD[..30]);
        short[0] = 30;
        short[1] = 0;
        assert_eq!(qdisc(&short).unwrap_err(), Error::Truncated);
    }

    #[test]
    fn handles_print_as_tc_does() {
        assert_eq!(format!("{}", TcHandle::ROOT), "root");
        assert_eq!(format!("{}", TcHandle::UNSPEC), "none");
        assert_eq!(format!("{}", TcHandle::new(1, 0)), "1:");
        assert_eq!(format!("{}", TcHandle::new(0xffff, 0)), "ffff:");
        assert_eq!(format!("{}", TcHandle::new(1, 0x10)), "1:10");
        assert_eq!(format!("{}", TcHandle::new(0, 0xa)), ":a");
        assert_eq!(format!("{}", TcHandle::INGRESS), "ffff:fff1");
        assert_eq!(format!("{}", Rate(125_000)), "1Mbit");
        assert_eq!(format!("{}", Rate(1_500)), "12Kbit");
        assert_eq!(format!("{}", Rate(100)), "800bit");
        assert_eq!(format!("{}", Size(32_768)), "32Kb");
        assert_eq!(format!("{}", Size(1_500)), "1500b");
        assert_eq!(format!("{}", Time(50_000)), "50ms");
        assert_eq!(format!("{}", Time(1_500_000)), "1.5s");
        assert_eq!(format!("{}", Time(20)), "20us");
    }

    #[test]
    fn new_qdisc_requests() {
        let mut buf = [0xa5u8; 80];
        let config = QdiscConfig::Htb {
            default: 0x10,
            r2q: 10,
            direct_qlen: None,
        };
        let request = new_qdisc(
            &mut buf,
            2,
            Flags::CREATE | Flags::EXCL,
            3,
            TcHandle::new(1, 0),
            TcHandle::ROOT,
            &config,
        )
        .unwrap();
        #[rustfmt::skip]
        let want: [u8; 72] = [
            0x48, 0x00, 0x00, 0x00, // nlmsg_len = 72
            0x24, 0x00,             // nlmsg_type = RTM_NEWQDISC
            0x01, 0x06,             // NLM_F_REQUEST | NLM_F_EXCL | NLM_F_CREATE
            0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x00, 0x00, 0x00, 0x00, // tcm_family, pad
            0x03, 0x00, 0x00, 0x00, // tcm_ifindex = 3
            0x00, 0x00, 0x01, 0x00, // tcm_handle = 1:
            0xff, 0xff, 0xff, 0xff, // tcm_parent = TC_H_ROOT
            0x00, 0x00, 0x00, 0x00, // tcm_info = 0
            0x08, 0x00, 0x01, 0x00, // nla_len = 8, TCA_KIND
            0x68, 0x74, 0x62, 0x00, // "htb\0"
            0x1c, 0x00, 0x02, 0x80, // nla_len = 28, TCA_OPTIONS | NLA_F_NESTED
            0x18, 0x00, 0x02, 0x00, //   nla_len = 24, TCA_HTB_INIT
            0x03, 0x00, 0x00, 0x00, //   version = TC_HTB_PROTOVER (what `tc` sends)
            0x0a, 0x00, 0x00, 0x00, //   rate2quantum = 10
            0x10, 0x00, 0x00, 0x00, //   defcls = 0x10
            0x00, 0x00, 0x00, 0x00, //   debug
            0x00, 0x00, 0x00, 0x00, //   direct_pkts
        ];
        assert_eq!(request, &want[..]);
        assert_eq!(&buf[72..], &[0xa5; 8]);

        let mut buf = [0xa5u8; 56];
        let request = new_qdisc(
            &mut buf,
            3,
            Flags::CREATE,
            4,
            TcHandle::new(4, 0),
            TcHandle::ROOT,
            &QdiscConfig::Bfifo { limit: 10_000 },
        )
        .unwrap();
        #[rustfmt::skip]
        let want: [u8; 56] = [
            0x38, 0x00, 0x00, 0x00, // nlmsg_len = 56
            0x24, 0x00,             // nlmsg_type = RTM_NEWQDISC
            0x01, 0x04,             // NLM_F_REQUEST | NLM_F_CREATE
            0x03, 0x00, 0x00, 0x00, // nlmsg_seq = 3
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0x00, 0x00, 0x00, 0x00, // tcm_family, pad
            0x04, 0x00, 0x00, 0x00, // tcm_ifindex = 4
            0x00, 0x00, 0x04, 0x00, // tcm_handle = 4:
            0xff, 0xff, 0xff, 0xff, // tcm_parent = TC_H_ROOT
            0x00, 0x00, 0x00, 0x00, // tcm_info = 0
            0x0a, 0x00, 0x01, 0x00, // nla_len = 10, TCA_KIND
            0x62, 0x66, 0x69, 0x66, // "bfifo\0" + 2 padding
            0x6f, 0x00, 0x00, 0x00,
            0x08, 0x00, 0x02, 0x00, // nla_len = 8, TCA_OPTIONS
            0x10, 0x27, 0x00, 0x00, // limit = 10000
        ];
        assert_eq!(request, &want[..]);
    }

    #[test]
    fn tbf_request_decodes_to_the_same_parameters() {
        let mut buf = [0u8; 128];
        let config = QdiscConfig::Tbf {
            rate: 125_000,
            burst: 32_768,
            limit: 39_018,
        };
        let request = new_qdisc(
            &mut buf,
            1,
            Flags::CREATE,
            2,
            TcHandle::new(2, 0),
            TcHandle::ROOT,
            &config,
        )
        .unwrap();
        let q = qdisc(request).unwrap();
        let QdiscOptions::Tbf(tbf) = q.options().unwrap() else {
            panic!("not tbf")
        };
        // The same PARMS as `tc` sent for the same command (see TBF_HEAD).
        assert_eq!(
            tbf.get(TbfAttrs::PARMS).unwrap().as_bytes(),
            &TBF_HEAD[52..88]
        );
        assert_eq!(tbf.get(TbfAttrs::BURST), Some(32_768));
    }

    #[test]
    fn requests_without_room_write_nothing_and_report_the_total() {
        type Build = fn(&mut [u8]) -> Result<&[u8], Error>;
        let builders: [(Build, usize); 5] = [
            (|b| dump(b, 1, true), 40),
            (
                |b| del_qdisc(b, 1, 2, TcHandle::new(1, 0), TcHandle::ROOT),
                36,
            ),
            (
                |b| {
                    let c = QdiscConfig::Ingress;
                    new_qdisc(
                        b,
                        1,
                        Flags::CREATE,
                        2,
                        TcHandle::new(0xffff, 0),
                        TcHandle::INGRESS,
                        &c,
                    )
                },
                52,
            ),
            (
                |b| {
                    let c = QdiscConfig::Tbf {
                        rate: 1 << 33,
                        burst: 1000,
                        limit: 1000,
                    };
                    new_qdisc(
                        b,
                        1,
                        Flags::CREATE,
                        2,
                        TcHandle::new(1, 0),
                        TcHandle::ROOT,
                        &c,
                    )
                },
                108,
            ),
            (
                |b| {
                    let c = QdiscConfig::Htb {
                        default: 1,
                        r2q: 10,
                        direct_qlen: Some(5),
                    };
                    new_qdisc(
                        b,
                        1,
                        Flags::CREATE,
                        2,
                        TcHandle::new(1, 0),
                        TcHandle::ROOT,
                        &c,
                    )
                },
                80,
            ),
        ];
        for (build, total) in builders {
            let mut buf = std::vec![0xa5u8; total];
            assert_eq!(build(&mut buf).unwrap().len(), total);
            for cap in 0..total {
                let mut buf = std::vec![0xa5u8; cap];
                assert_eq!(
                    build(&mut buf).unwrap_err(),
                    Error::NoRoom { needed: total }
                );
                assert!(buf.iter().all(|&b| b == 0xa5), "{cap}: nothing written");
            }
        }
    }

    mod properties {
        use proptest::prelude::*;
        use std::string::String;

        use super::*;

        fn poke(q: &Qdisc<'_>) -> String {
            let _ = (q.ifindex(), q.handle(), q.parent(), q.refcnt(), q.kind());
            let _ = q.stats();
            if let Ok(QdiscOptions::Tbf(tbf)) = q.options() {
                let _ = TbfParams::from_attrs(&tbf);
            }
            format!("{q}")
        }

        proptest! {
            #[test]
            fn arbitrary_payloads_never_panic(
                kind in prop::sample::select(&["htb", "tbf", "pfifo", "bfifo", "ingress", "x"][..]),
                tail in prop::collection::vec(any::<u8>(), 0..200),
            ) {
                // A tcmsg and KIND, then arbitrary bytes (often an OPTIONS).
                let mut payload = std::vec![0u8; TcHeader::LEN];
                let kind_len = u16::try_from(kind.len() + 5).unwrap();
                payload.extend_from_slice(&kind_len.to_ne_bytes());
                payload.extend_from_slice(&1u16.to_ne_bytes());
                payload.extend_from_slice(kind.as_bytes());
                payload.push(0);
                while payload.len() % 4 != 0 {
                    payload.push(0);
                }
                payload.extend_from_slice(&tail);
                if let Ok(q) = Qdisc::parse_payload(RTM_NEWQDISC, &payload) {
                    poke(&q);
                }
                if let Ok(q) = Qdisc::parse_payload(RTM_NEWQDISC, &tail) {
                    poke(&q);
                }
            }

            #[test]
            fn configs_round_trip(
                which in 0u8..5,
                a in any::<u32>(),
                b in 1u32..0x00ff_ffff,
                rate in 1u64..u64::MAX / 8,
                handle in any::<u32>(),
            ) {
                let config = match which {
                    0 => QdiscConfig::Htb { default: a, r2q: b, direct_qlen: Some(a) },
                    1 => QdiscConfig::Tbf { rate, burst: b, limit: a },
                    2 => QdiscConfig::Ingress,
                    3 => QdiscConfig::Pfifo { limit: a },
                    _ => QdiscConfig::Bfifo { limit: a },
                };
                let mut buf = [0u8; 256];
                let msg = new_qdisc(
                    &mut buf, 1, Flags::CREATE, 7, TcHandle(handle), TcHandle::ROOT, &config,
                )
                .unwrap();
                let q = qdisc(msg).unwrap();
                prop_assert_eq!(q.handle(), TcHandle(handle));
                prop_assert_eq!(q.ifindex(), 7);
                match (config, q.options().unwrap()) {
                    (QdiscConfig::Htb { default, r2q, direct_qlen }, QdiscOptions::Htb(h)) => {
                        let init = h.get(HtbAttrs::INIT).unwrap();
                        prop_assert_eq!(init.defcls.get(), default);
                        prop_assert_eq!(init.rate2quantum.get(), r2q);
                        prop_assert_eq!(h.get(HtbAttrs::DIRECT_QLEN), direct_qlen);
                    }
                    (QdiscConfig::Tbf { rate, burst, limit }, QdiscOptions::Tbf(t)) => {
                        let p = TbfParams::from_attrs(&t).unwrap();
                        prop_assert_eq!(p.rate, rate);
                        prop_assert_eq!(p.limit, limit);
                        prop_assert_eq!(t.get(TbfAttrs::BURST), Some(burst));
                    }
                    (QdiscConfig::Ingress, QdiscOptions::None) => {}
                    (QdiscConfig::Pfifo { limit } | QdiscConfig::Bfifo { limit }, QdiscOptions::Fifo(f)) => {
                        prop_assert_eq!(f.limit.get(), limit);
                    }
                    (c, o) => prop_assert!(false, "{c:?} came back as {o:?}"),
                }
                poke(&q);
            }
        }
    }
}
