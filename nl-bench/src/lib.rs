//! Deterministic, kernel-shaped inputs for nl's benchmarks.
//!
//! Every generator builds its buffers with nl-core's own [`Writer`], packs
//! messages into datagrams the way the kernel fills a dump read (whole
//! messages, at most [`DATAGRAM_LEN`] bytes each), and is a pure function of
//! its arguments, so runs compare.

#![deny(missing_docs)]

use nl_core::nlmsg::{self, Flags, Header};
use nl_core::{Error, Writer};

pub mod alloc_count;
pub mod checksum;
pub mod conntrack;
pub mod genl;
pub mod link;
pub mod ovs;
pub mod route;

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

/// Packs `count` messages written by `write(w, i)` into datagrams of at most
/// [`DATAGRAM_LEN`] bytes, as the kernel fills dump reads, and ends the dump
/// with `NLMSG_DONE` (sequence `seq`, port `port`). `write` appends one
/// whole message or fails and leaves the writer as it was.
pub fn pack(
    count: usize,
    seq: u32,
    port: u32,
    mut write: impl FnMut(&mut Writer<'_>, usize) -> Result<(), Error>,
) -> Dump {
    let mut dump = Dump::default();
    let mut buf = vec![0u8; DATAGRAM_LEN];
    let mut w = Writer::new(&mut buf);
    for i in 0..count {
        let before = w.len();
        if write(&mut w, i).is_err() {
            // Datagram full: ship it and start the next one with this message.
            w.truncate(before);
            dump.datagrams.push(w.as_bytes().to_vec());
            w.truncate(0);
            write(&mut w, i).expect("one message fits an empty datagram");
        }
        dump.messages += 1;
    }
    let done = |w: &mut Writer<'_>| -> Result<(), Error> {
        let start = w.begin_message(Header::new(nlmsg::DONE, Flags::MULTI, seq, port))?;
        w.put_bytes(&0i32.to_ne_bytes())?;
        w.end_message(start)?;
        Ok(())
    };
    let before = w.len();
    if done(&mut w).is_err() {
        w.truncate(before);
        dump.datagrams.push(w.as_bytes().to_vec());
        w.truncate(0);
        done(&mut w).expect("DONE fits an empty datagram");
    }
    dump.datagrams.push(w.as_bytes().to_vec());
    dump
}
