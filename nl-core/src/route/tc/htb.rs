//! htb (hierarchical token bucket) options: `TCA_HTB_*`,
//! `struct tc_htb_glob` for the qdisc and `struct tc_htb_opt` for classes.
//!
//! Header: `linux/pkt_sched.h`.

use zerocopy::byteorder::native_endian::U32;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::TcRatespec;
use crate::table::{Binary, Flag, Struct};

/// `struct tc_htb_glob` (`TCA_HTB_INIT`).
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
pub struct TcHtbGlob {
    /// Protocol version (`TC_HTB_PROTOVER` = 3 in the high half).
    pub version: U32,
    /// Rate to quantum divisor (`r2q`).
    pub rate2quantum: U32,
    /// Default class minor number.
    pub defcls: U32,
    /// Debug level.
    pub debug: U32,
    /// Packets sent directly (statistics).
    pub direct_pkts: U32,
}

// tc-htb-glob.
impl crate::table::WireStruct for TcHtbGlob {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("version", 0, MemberKind::U32),
            Member::new("rate2quantum", 4, MemberKind::U32),
            Member::new("defcls", 8, MemberKind::U32),
            Member::new("debug", 12, MemberKind::U32),
            Member::new("direct-pkts", 16, MemberKind::U32),
        ]
    };
}

/// `struct tc_htb_opt` (`TCA_HTB_PARMS`, classes).
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
pub struct TcHtbOpt {
    /// Guaranteed rate.
    pub rate: TcRatespec,
    /// Ceiling rate.
    pub ceil: TcRatespec,
    /// Rate bucket in ticks.
    pub buffer: U32,
    /// Ceiling bucket in ticks.
    pub cbuffer: U32,
    /// Quantum.
    pub quantum: U32,
    /// Level in the tree.
    pub level: U32,
    /// Priority.
    pub prio: U32,
}

// tc-htb-opt (rate and ceil are binary in the spec: printed as hex).
impl crate::table::WireStruct for TcHtbOpt {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("rate", 0, MemberKind::Bytes(12)),
            Member::new("ceil", 12, MemberKind::Bytes(12)),
            Member::new("buffer", 24, MemberKind::U32),
            Member::new("cbuffer", 28, MemberKind::U32),
            Member::new("quantum", 32, MemberKind::U32),
            Member::new("level", 36, MemberKind::U32),
            Member::new("prio", 40, MemberKind::U32),
        ]
    };
}

crate::attr_set! {
    /// `TCA_HTB_*`: htb options.
    pub struct HtbAttrs = "htb-attrs" {
        /// [`TcHtbOpt`] (classes).
        1 PARMS "parms": Struct<TcHtbOpt>;
        /// [`TcHtbGlob`] (the qdisc).
        2 INIT "init": Struct<TcHtbGlob>;
        /// Ceiling table, raw.
        3 CTAB "ctab": Binary<0, 0xffff>;
        /// Rate table, raw.
        4 RTAB "rtab": Binary<0, 0xffff>;
        /// Direct queue length.
        5 DIRECT_QLEN "direct-qlen": u32;
        /// 64-bit rate.
        6 RATE64 "rate64": u64;
        /// 64-bit ceiling.
        7 CEIL64 "ceil64": u64;
        /// Offloaded.
        9 OFFLOAD "offload": Flag;
    }
}

/// `TC_HTB_PROTOVER`: the version a request's `TCA_HTB_INIT` must carry.
pub const HTB_PROTOVER: u32 = 3;
/// The version the kernel reports in dumps (`HTB_VER`: protocol 3, minor 17).
pub const HTB_VERSION: u32 = 0x0003_0011;

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    use super::*;
    use crate::table::Index;

    /// The `TCA_OPTIONS` payload of `htb default 10`, as this kernel dumps it.
    #[rustfmt::skip]
    const INIT: [u8; 32] = [
        0x18, 0x00, 0x02, 0x00, // nla_len = 24, TCA_HTB_INIT
        0x11, 0x00, 0x03, 0x00, // version = HTB_VER (3.17)
        0x0a, 0x00, 0x00, 0x00, // rate2quantum = 10
        0x10, 0x00, 0x00, 0x00, // defcls = 0x10
        0x00, 0x00, 0x00, 0x00, // debug
        0x00, 0x00, 0x00, 0x00, // direct_pkts
        0x08, 0x00, 0x05, 0x00, // nla_len = 8, TCA_HTB_DIRECT_QLEN
        0xe8, 0x03, 0x00, 0x00, // 1000
    ];

    #[test]
    fn struct_sizes_match_the_uapi() {
        assert_eq!(size_of::<TcHtbGlob>(), 20);
        assert_eq!(size_of::<TcHtbOpt>(), 44);
    }

    #[test]
    fn decode_the_qdisc_options() {
        let htb = Index::<HtbAttrs>::parse(&INIT).unwrap();
        let init = htb.get(HtbAttrs::INIT).unwrap();
        assert_eq!(init.version.get() >> 16, HTB_PROTOVER);
        assert_eq!(init.version.get(), HTB_VERSION);
        assert_eq!(init.rate2quantum.get(), 10);
        assert_eq!(init.defcls.get(), 0x10);
        assert_eq!(htb.get(HtbAttrs::DIRECT_QLEN), Some(1000));
        assert!(!htb.has(HtbAttrs::OFFLOAD));
    }
}
