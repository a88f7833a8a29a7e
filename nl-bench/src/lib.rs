//! Deterministic, kernel-shaped inputs for nl's benchmarks.
//!
//! Every generator builds its buffers with nl-core's own [`Writer`](nl_core::Writer), packs
//! messages into datagrams the way the kernel fills a dump read (whole
//! messages, at most [`DATAGRAM_LEN`] bytes each), and is a pure function of
//! its arguments, so runs compare.

#![deny(missing_docs)]

pub mod genl;
pub mod ovs;

/// The most payload the kernel puts in one dump read (one skb), in bytes.
pub const DATAGRAM_LEN: usize = 32_400;

/// Messages packed into datagrams, each at most [`DATAGRAM_LEN`] bytes.
#[derive(Clone, Debug, Default)]
pub struct Dump {
    /// The datagrams, in order; the last one ends with `NLMSG_DONE`.
    pub datagrams: Vec<Vec<u8>>,
    /// Data messages in all datagrams (not counting `NLMSG_DONE`).
    pub messages: usize,
}

impl Dump {
    /// Total bytes in all datagrams.
    pub fn bytes(&self) -> usize {
        self.datagrams.iter().map(Vec::len).sum()
    }
}
