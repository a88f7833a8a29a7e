//! `RTA_METRICS`: the `RTAX_*` nest of per-route TCP and path metrics.

use core::fmt;

use crate::table::{Index, NlStr, NulStr};

crate::attr_set! {
    /// `RTAX_*`: route metrics.
    pub struct MetricAttrs = "metrics" {
        /// Bit `1 << RTAX_x` set: metric x is locked (not learned).
        1 LOCK "lock": u32;
        /// Path MTU.
        2 MTU "mtu": u32;
        /// Window clamp.
        3 WINDOW "window": u32;
        /// Round-trip time (ms × 8 on the wire).
        4 RTT "rtt": u32;
        /// RTT variance (ms × 4 on the wire).
        5 RTTVAR "rttvar": u32;
        /// Slow-start threshold.
        6 SSTHRESH "ssthresh": u32;
        /// Congestion window clamp.
        7 CWND "cwnd": u32;
        /// Advertised MSS.
        8 ADVMSS "advmss": u32;
        /// Reordering.
        9 REORDERING "reordering": u32;
        /// Hop limit.
        10 HOPLIMIT "hoplimit": u32;
        /// Initial congestion window.
        11 INITCWND "initcwnd": u32;
        /// Features (`RTAX_FEATURE_*`).
        12 FEATURES "features": u32;
        /// Minimum retransmission timeout (ms).
        13 RTO_MIN "rto-min": u32;
        /// Initial receive window.
        14 INITRWND "initrwnd": u32;
        /// Quick ACK.
        15 QUICKACK "quickack": u32;
        /// Congestion control algorithm name.
        16 CC_ALGO "cc-algo": NulStr<15>;
        /// No TCP Fast Open cookie needed.
        17 FASTOPEN_NO_COOKIE "fastopen-no-cookie": u32;
    }
}

/// The names `ip` uses for metrics 2..=17 (`RTAX_MTU`..), JSON keys and
/// text words alike (the congestion control algorithm is `congctl` in
/// text and `congestion` in JSON).
pub const IP_NAMES: [(u16, &str); 16] = [
    (2, "mtu"),
    (3, "window"),
    (4, "rtt"),
    (5, "rttvar"),
    (6, "ssthresh"),
    (7, "cwnd"),
    (8, "advmss"),
    (9, "reordering"),
    (10, "hoplimit"),
    (11, "initcwnd"),
    (12, "features"),
    (13, "rto_min"),
    (14, "initrwnd"),
    (15, "quickack"),
    (16, "congctl"),
    (17, "fastopen_no_cookie"),
];

/// Looks up the `RTAX_*` number of a metric by its `ip` name.
pub fn metric_from_name(name: &str) -> Option<u16> {
    IP_NAMES.iter().find(|(_, n)| *n == name).map(|(t, _)| *t)
}

/// A route's metrics (the parsed `RTA_METRICS` nest).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Metrics<'a>(pub Index<'a, MetricAttrs>);

impl<'a> Metrics<'a> {
    /// The lock mask (`1 << RTAX_x` per locked metric).
    pub fn lock(&self) -> u32 {
        self.0.get(MetricAttrs::LOCK).unwrap_or(0)
    }

    /// True when metric `ty` is locked.
    pub fn locked(&self, ty: u16) -> bool {
        1u32.checked_shl(u32::from(ty))
            .is_some_and(|bit| self.lock() & bit != 0)
    }

    /// The congestion control algorithm.
    pub fn cc_algo(&self) -> Option<NlStr<'a>> {
        self.0.get(MetricAttrs::CC_ALGO)
    }

    /// The numeric metrics present, as (`RTAX_*`, value), in type order
    /// (lock and the algorithm name left out).
    pub fn values(&self) -> impl Iterator<Item = (u16, u32)> + '_ {
        IP_NAMES.iter().filter_map(|(ty, _)| {
            let raw = self.0.raw(*ty)?;
            let value = u32::from_ne_bytes(raw.try_into().ok()?);
            Some((*ty, value))
        })
    }

    /// The value of numeric metric `ty`.
    pub fn get(&self, ty: u16) -> Option<u32> {
        self.values().find(|(t, _)| *t == ty).map(|(_, v)| v)
    }
}

impl fmt::Display for Metrics<'_> {
    /// Like `ip route`: ` mtu lock 1400 advmss 1300 congctl cubic`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (ty, name) in IP_NAMES {
            let locked = if self.locked(ty) { " lock" } else { "" };
            if ty == MetricAttrs::CC_ALGO.ty() {
                if let Some(algo) = self.cc_algo() {
                    write!(f, " {name}{locked} {algo}")?;
                }
            } else if let Some(value) = self.get(ty) {
                write!(f, " {name}{locked} {value}")?;
            }
        }
        Ok(())
    }
}
