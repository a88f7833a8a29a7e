//! Qdisc statistics: `struct tc_stats` (`TCA_STATS`) and the
//! `TCA_STATS2` nest of `gnet_stats_*` blocks.
//!
//! Header: `linux/gen_stats.h`, `pkt_sched.h`.

use zerocopy::byteorder::native_endian::{U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::table::{Binary, Struct};

/// `struct tc_stats`: the legacy statistics block (`TCA_STATS`).
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
pub struct TcStats {
    /// Bytes sent.
    pub bytes: U64,
    /// Packets sent.
    pub packets: U32,
    /// Packets dropped.
    pub drops: U32,
    /// Times the qdisc was over its limit.
    pub overlimits: U32,
    /// Estimated bytes per second.
    pub bps: U32,
    /// Estimated packets per second.
    pub pps: U32,
    /// Queue length in packets.
    pub qlen: U32,
    /// Queue length in bytes.
    pub backlog: U32,
}

// tc-stats.
impl crate::table::WireStruct for TcStats {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("bytes", 0, MemberKind::U64),
            Member::new("packets", 8, MemberKind::U32),
            Member::new("drops", 12, MemberKind::U32),
            Member::new("overlimits", 16, MemberKind::U32),
            Member::new("bps", 20, MemberKind::U32),
            Member::new("pps", 24, MemberKind::U32),
            Member::new("qlen", 28, MemberKind::U32),
            Member::new("backlog", 32, MemberKind::U32),
        ]
    };
}

/// `struct gnet_stats_basic` (`TCA_STATS_BASIC`); the kernel pads it to 16 bytes.
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
pub struct GnetStatsBasic {
    /// Bytes.
    pub bytes: U64,
    /// Packets.
    pub packets: U32,
}

// gnet-stats-basic.
impl crate::table::WireStruct for GnetStatsBasic {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("bytes", 0, MemberKind::U64),
            Member::new("packets", 8, MemberKind::U32),
        ]
    };
}

/// `struct gnet_stats_queue` (`TCA_STATS_QUEUE`).
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
pub struct GnetStatsQueue {
    /// Queue length in packets.
    pub qlen: U32,
    /// Queue length in bytes.
    pub backlog: U32,
    /// Packets dropped.
    pub drops: U32,
    /// Packets requeued.
    pub requeues: U32,
    /// Times over the limit.
    pub overlimits: U32,
}

// gnet-stats-queue.
impl crate::table::WireStruct for GnetStatsQueue {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("qlen", 0, MemberKind::U32),
            Member::new("backlog", 4, MemberKind::U32),
            Member::new("drops", 8, MemberKind::U32),
            Member::new("requeues", 12, MemberKind::U32),
            Member::new("overlimits", 16, MemberKind::U32),
        ]
    };
}

/// `struct gnet_stats_rate_est` (`TCA_STATS_RATE_EST`).
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
pub struct GnetStatsRateEst {
    /// Bytes per second.
    pub bps: U32,
    /// Packets per second.
    pub pps: U32,
}

// gnet-stats-rate-est.
impl crate::table::WireStruct for GnetStatsRateEst {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("bps", 0, MemberKind::U32),
            Member::new("pps", 4, MemberKind::U32),
        ]
    };
}

/// `struct gnet_stats_rate_est64` (`TCA_STATS_RATE_EST64`).
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
pub struct GnetStatsRateEst64 {
    /// Bytes per second.
    pub bps: U64,
    /// Packets per second.
    pub pps: U64,
}

// gnet-stats-rate-est64.
impl crate::table::WireStruct for GnetStatsRateEst64 {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("bps", 0, MemberKind::U64),
            Member::new("pps", 8, MemberKind::U64),
        ]
    };
}

crate::attr_set! {
    /// `TCA_STATS_*`: the statistics nest (`TCA_STATS2`).
    pub struct StatsAttrs = "tca-stats-attrs" {
        /// [`GnetStatsBasic`].
        1 BASIC "basic": Struct<GnetStatsBasic>;
        /// [`GnetStatsRateEst`].
        2 RATE_EST "rate-est": Struct<GnetStatsRateEst>;
        /// [`GnetStatsQueue`].
        3 QUEUE "queue": Struct<GnetStatsQueue>;
        /// Kind-specific statistics, raw.
        4 APP "app": Binary<0, 0xffff>;
        /// [`GnetStatsRateEst64`].
        5 RATE_EST64 "rate-est64": Struct<GnetStatsRateEst64>;
        /// Hardware [`GnetStatsBasic`].
        7 BASIC_HW "basic-hw": Struct<GnetStatsBasic>;
        /// 64-bit packet count.
        8 PKT64 "pkt64": u64;
    }
}

/// Counters from `TCA_STATS2` (or the legacy `TCA_STATS`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct QdiscStats {
    /// Bytes sent.
    pub bytes: u64,
    /// Packets sent.
    pub packets: u64,
    /// Packets dropped.
    pub drops: u32,
    /// Times over the limit.
    pub overlimits: u32,
    /// Packets requeued.
    pub requeues: u32,
    /// Queue length in bytes.
    pub backlog: u32,
    /// Queue length in packets.
    pub qlen: u32,
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    use super::*;
    use crate::table::Index;

    /// The `TCA_STATS2` payload and the `TCA_STATS` attribute of a pfifo
    /// after 3 UDP packets (141 bytes), as this kernel (6.18) dumps them.
    #[rustfmt::skip]
    const STATS2_PAYLOAD: [u8; 44] = [
        0x14, 0x00, 0x01, 0x00, // nla_len = 20, TCA_STATS_BASIC
        0x8d, 0x00, 0x00, 0x00, // bytes = 141
        0x00, 0x00, 0x00, 0x00,
        0x03, 0x00, 0x00, 0x00, // packets = 3
        0x00, 0x00, 0x00, 0x00, // (the C struct's tail padding)
        0x18, 0x00, 0x03, 0x00, // nla_len = 24, TCA_STATS_QUEUE
        0x00, 0x00, 0x00, 0x00, // qlen
        0x00, 0x00, 0x00, 0x00, // backlog
        0x00, 0x00, 0x00, 0x00, // drops
        0x00, 0x00, 0x00, 0x00, // requeues
        0x00, 0x00, 0x00, 0x00, // overlimits
    ];

    #[rustfmt::skip]
    const TC_STATS_PAYLOAD: [u8; 40] = [
        0x8d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // bytes = 141
        0x03, 0x00, 0x00, 0x00, // packets = 3
        0x00, 0x00, 0x00, 0x00, // drops
        0x00, 0x00, 0x00, 0x00, // overlimits
        0x00, 0x00, 0x00, 0x00, // bps
        0x00, 0x00, 0x00, 0x00, // pps
        0x00, 0x00, 0x00, 0x00, // qlen
        0x00, 0x00, 0x00, 0x00, // backlog
        0x00, 0x00, 0x00, 0x00, // (the C struct's tail padding)
    ];

    #[test]
    fn struct_sizes_are_the_packed_uapi_fields() {
        assert_eq!(size_of::<TcStats>(), 36);
        assert_eq!(size_of::<GnetStatsBasic>(), 12);
        assert_eq!(size_of::<GnetStatsQueue>(), 20);
        assert_eq!(size_of::<GnetStatsRateEst>(), 8);
        assert_eq!(size_of::<GnetStatsRateEst64>(), 16);
    }

    #[test]
    fn padded_kernel_structs_decode() {
        let stats = Index::<StatsAttrs>::parse(&STATS2_PAYLOAD).unwrap();
        let basic = stats.get(StatsAttrs::BASIC).unwrap();
        assert_eq!((basic.bytes.get(), basic.packets.get()), (141, 3));
        let queue = stats.get(StatsAttrs::QUEUE).unwrap();
        assert_eq!(queue.drops.get(), 0);
        assert_eq!(stats.unknown(), 0);
        let (old, _) = TcStats::ref_from_prefix(&TC_STATS_PAYLOAD).unwrap();
        assert_eq!((old.bytes.get(), old.packets.get()), (141, 3));
        // A BASIC shorter than the struct is refused.
        let mut short = STATS2_PAYLOAD;
        short[0] = 0x0c;
        assert!(Index::<StatsAttrs>::parse(&short[..12]).is_err());
    }
}
