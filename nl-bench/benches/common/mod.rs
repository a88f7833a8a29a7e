//! Code the decode and encode benches share: walking a dump's data
//! messages (nl-core's and netlink-packet-route's way), the TLV-walk floor,
//! folding addresses into checksums, and one driver that times several
//! decoders of the same dump side by side after checking they agree and
//! printing their allocations per message.

// Each bench binary compiles this module and uses part of it.
#![allow(dead_code)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput};
use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
use netlink_packet_route::RouteNetlinkMessage;
use nl_bench::Dump;
use nl_bench::alloc_count;
use nl_core::attr::AttrIter;
use nl_core::nlmsg::{Message, Messages, Reply};

/// The dump sizes every decode bench runs.
pub(crate) const COUNTS: [usize; 2] = [1_000, 100_000];

/// The data messages of a dump (not `NLMSG_DONE`), split by nl-core.
pub(crate) fn data_messages(datagrams: &[Vec<u8>]) -> impl Iterator<Item = Message<'_>> {
    datagrams.iter().flat_map(|datagram| {
        Messages::new(datagram).filter_map(|message| {
            match Reply::classify(message.expect("well-formed message")) {
                Ok(Reply::Data(message)) => Some(message),
                _ => None,
            }
        })
    })
}

/// The data messages of one datagram, each fully decoded by
/// netlink-packet-route, as its users read a dump (`NLMSG_DONE` ends it).
pub(crate) fn npr_messages(datagram: &[u8]) -> impl Iterator<Item = RouteNetlinkMessage> + '_ {
    let mut offset = 0;
    std::iter::from_fn(move || {
        let rest = datagram.get(offset..).filter(|rest| !rest.is_empty())?;
        let message = NetlinkMessage::<RouteNetlinkMessage>::deserialize(rest)
            .expect("netlink-packet-route decodes the message");
        offset += (message.header.length as usize + 3) & !3;
        match message.payload {
            NetlinkPayload::InnerMessage(inner) => Some(inner),
            NetlinkPayload::Done(_) => None,
            other => panic!("unexpected message in a dump: {other:?}"),
        }
    })
}

/// The TLV-walk floor: walks every message header and attribute header
/// after a fixed header of `fixed_len` bytes, and one level into the
/// attributes whose type is in `descend`, decoding nothing.
pub(crate) fn tlv_walk(datagrams: &[Vec<u8>], fixed_len: usize, descend: &[u16]) -> u64 {
    let mut sum = 0u64;
    for message in data_messages(datagrams) {
        let attrs = message.payload().get(fixed_len..).unwrap_or_default();
        for attr in AttrIter::new(attrs) {
            let attr = attr.expect("well-formed attribute");
            sum += u64::from(attr.ty()) + attr.payload().len() as u64;
            if descend.contains(&attr.ty()) {
                for inner in attr.nested() {
                    let inner = inner.expect("well-formed attribute");
                    sum += u64::from(inner.ty()) + inner.payload().len() as u64;
                }
            }
        }
    }
    sum
}

/// One decoder of a dump, returning a checksum of what it read.
pub(crate) struct Decoder {
    /// The function id in criterion's report (`nl-core`, a peer, `tlv-walk`).
    pub(crate) id: &'static str,
    /// Decodes a whole dump.
    pub(crate) run: fn(&[Vec<u8>]) -> u64,
    /// Its checksum must equal the first decoder's (false for the floor,
    /// which reads other things).
    pub(crate) same_checksum: bool,
}

/// Benches `decoders` on the dump `make(count)` for every count in
/// [`COUNTS`], in group `group`. Before timing, each decoder runs once:
/// its allocations per message are printed, and its checksum is checked
/// against the first decoder's.
pub(crate) fn bench_decoders(
    c: &mut Criterion,
    group: &str,
    make: fn(usize) -> Dump,
    decoders: &[Decoder],
) {
    let mut g = c.benchmark_group(group);
    for count in COUNTS {
        let dump = make(count);
        assert_eq!(dump.messages, count);
        g.throughput(Throughput::ElementsAndBytes {
            elements: dump.messages as u64,
            bytes: dump.bytes() as u64,
        });
        let mut reference = None;
        for decoder in decoders {
            let id = format!("{group}/{}/{count}", decoder.id);
            let sum = alloc_count::report(&id, dump.messages, || (decoder.run)(&dump.datagrams));
            if decoder.same_checksum {
                let want = *reference.get_or_insert(sum);
                assert_eq!(sum, want, "{id} read other values than {}", decoders[0].id);
            }
            g.bench_with_input(BenchmarkId::new(decoder.id, count), &dump, |b, dump| {
                b.iter(|| (decoder.run)(black_box(&dump.datagrams)))
            });
        }
    }
    g.finish();
}
