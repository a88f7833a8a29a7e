//! tbf (token bucket filter) options: `TCA_TBF_*`, `struct tc_tbf_qopt`.
//!
//! Header: `linux/pkt_sched.h`.

use zerocopy::byteorder::native_endian::U32;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::TcRatespec;
use crate::table::{Binary, Index, Struct};

/// `struct tc_tbf_qopt` (`TCA_TBF_PARMS`).
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
pub struct TcTbfQopt {
    /// Token rate.
    pub rate: TcRatespec,
    /// Peak rate.
    pub peakrate: TcRatespec,
    /// Queue limit in bytes.
    pub limit: U32,
    /// Bucket size in scheduler ticks.
    pub buffer: U32,
    /// Peak bucket size in ticks.
    pub mtu: U32,
}

// tc-tbf-qopt (rate and peakrate are binary in the spec: printed as hex).
impl crate::table::WireStruct for TcTbfQopt {
    const MEMBERS: &'static [crate::table::Member] = {
        use crate::table::{Member, MemberKind};
        &[
            Member::new("rate", 0, MemberKind::Bytes(12)),
            Member::new("peakrate", 12, MemberKind::Bytes(12)),
            Member::new("limit", 24, MemberKind::U32),
            Member::new("buffer", 28, MemberKind::U32),
            Member::new("mtu", 32, MemberKind::U32),
        ]
    };
}

crate::attr_set! {
    /// `TCA_TBF_*`: tbf options.
    pub struct TbfAttrs = "tbf-attrs" {
        /// [`TcTbfQopt`].
        1 PARMS "parms": Struct<TcTbfQopt>;
        /// Rate table, raw.
        2 RTAB "rtab": Binary<0, 0xffff>;
        /// Peak rate table, raw.
        3 PTAB "ptab": Binary<0, 0xffff>;
        /// Rate when it does not fit 32 bits.
        4 RATE64 "rate64": u64;
        /// Peak rate when it does not fit 32 bits.
        5 PRATE64 "prate64": u64;
        /// Bucket size in bytes.
        6 BURST "burst": u32;
        /// Peak bucket size in bytes.
        7 PBURST "pburst": u32;
    }
}

/// Nanoseconds per scheduler tick (`PSCHED_SHIFT` = 6).
pub const NS_PER_TICK: u64 = 64;

/// Microseconds for `ticks` scheduler ticks.
pub fn ticks_to_us(ticks: u32) -> u64 {
    u64::from(ticks) * NS_PER_TICK / 1000
}

/// tbf parameters in the units `tc` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TbfParams {
    /// Rate in bytes per second.
    pub rate: u64,
    /// Bucket size in bytes.
    pub burst: u64,
    /// Queue limit in bytes.
    pub limit: u32,
    /// Latency in microseconds, as `tc` derives it from the limit
    /// (`None` when it would be negative).
    pub latency_us: Option<u64>,
}

impl TbfParams {
    /// Computes them from tbf options (`None` without `TCA_TBF_PARMS`).
    pub fn from_attrs(tbf: &Index<'_, TbfAttrs>) -> Option<Self> {
        let parms = tbf.get(TbfAttrs::PARMS)?;
        let rate = tbf
            .get(TbfAttrs::RATE64)
            .unwrap_or(u64::from(parms.rate.rate.get()));
        let buffer_us = ticks_to_us(parms.buffer.get());
        let burst = rate.checked_mul(buffer_us).map_or(0, |b| b / 1_000_000);
        let limit = parms.limit.get();
        let latency_us = (rate != 0)
            .then(|| u64::from(limit) * 1_000_000 / rate)
            .and_then(|total| total.checked_sub(buffer_us));
        Some(TbfParams {
            rate,
            burst,
            limit,
            latency_us,
        })
    }
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;

    use super::*;

    /// The `TCA_OPTIONS` payload of `tbf rate 1mbit burst 32k latency 50ms`,
    /// as this kernel (6.18) dumps it.
    #[rustfmt::skip]
    const PARMS: [u8; 40] = [
        0x28, 0x00, 0x01, 0x00, // nla_len = 40, TCA_TBF_PARMS
        0x00, 0x01, 0x00, 0x00, // rate: cell_log 0, linklayer ethernet, overhead 0
        0x00, 0x00, 0x00, 0x00, //   cell_align 0, mpu 0
        0x48, 0xe8, 0x01, 0x00, //   rate = 125000 bytes/s
        0x00, 0x00, 0x00, 0x00, // peakrate: all zero
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x6a, 0x98, 0x00, 0x00, // limit = 39018
        0x00, 0x80, 0x3e, 0x00, // buffer = 4096000 ticks
        0x00, 0x00, 0x00, 0x00, // mtu = 0
    ];

    #[test]
    fn struct_sizes_match_the_uapi() {
        assert_eq!(size_of::<TcRatespec>(), 12);
        assert_eq!(size_of::<TcTbfQopt>(), 36);
    }

    #[test]
    fn parameters_in_tc_units() {
        let tbf = Index::<TbfAttrs>::parse(&PARMS).unwrap();
        let t = TbfParams::from_attrs(&tbf).unwrap();
        assert_eq!(t.rate, 125_000);
        assert_eq!(t.burst, 32_768);
        assert_eq!(t.limit, 39_018);
        assert_eq!(t.latency_us, Some(50_000));
        assert_eq!(ticks_to_us(4_096_000), 262_144);
        // Without PARMS there is nothing to compute.
        assert_eq!(TbfParams::from_attrs(&Index::parse(&[]).unwrap()), None);
    }

    #[test]
    fn rate64_overrides_the_32_bit_rate() {
        let mut bytes = std::vec::Vec::from(&PARMS[..]);
        #[rustfmt::skip]
        bytes.extend_from_slice(&[
            0x0c, 0x00, 0x04, 0x00, // nla_len = 12, TCA_TBF_RATE64
            0x00, 0x00, 0x00, 0x00, // 2^33 bytes/s
            0x02, 0x00, 0x00, 0x00,
        ]);
        let tbf = Index::<TbfAttrs>::parse(&bytes).unwrap();
        assert_eq!(TbfParams::from_attrs(&tbf).unwrap().rate, 1 << 33);
    }
}
