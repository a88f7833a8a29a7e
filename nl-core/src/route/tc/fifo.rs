//! pfifo and bfifo options: a bare `struct tc_fifo_qopt`, not a nest.
//!
//! Header: `linux/pkt_sched.h`.

use zerocopy::byteorder::native_endian::U32;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// `struct tc_fifo_qopt`: the whole `TCA_OPTIONS` of pfifo and bfifo.
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
pub struct TcFifoQopt {
    /// Queue limit (packets for pfifo, bytes for bfifo).
    pub limit: U32,
}

#[cfg(all(test, target_endian = "little"))]
mod tests {
    use super::*;

    #[test]
    fn the_options_are_the_bare_struct() {
        // `tc qdisc add ... pfifo limit 100`: TCA_OPTIONS payload as dumped.
        let payload = [0x64, 0x00, 0x00, 0x00];
        let (qopt, rest) = TcFifoQopt::ref_from_prefix(&payload).unwrap();
        assert_eq!(qopt.limit.get(), 100);
        assert!(rest.is_empty());
        assert_eq!(qopt.as_bytes(), &payload);
        assert!(TcFifoQopt::ref_from_prefix(&payload[..3]).is_err());
    }
}
