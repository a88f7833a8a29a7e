//! Offline decode of a conntrack table dump (`nl_bench::conntrack`):
//! nl-core's full typed decode (both tuples, status, TCP state, timeout,
//! mark, counters both ways, use, id, zone) side by side with the TLV-walk
//! floor (message and attribute headers, one nest level, nothing decoded).

mod common;

use common::{Decoder, bench_decoders, data_messages};
use criterion::{Criterion, criterion_group, criterion_main};
use nl_bench::alloc_count::CountingAlloc;
use nl_bench::checksum;
use nl_bench::conntrack::conntrack_dump;
use nl_core::attr::AttrIter;
use nl_core::netfilter::conntrack::Conntrack;
use nl_core::nlmsg::Messages;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Decodes every entry; returns a checksum so nothing is optimised away.
fn nl_core_decode(datagrams: &[Vec<u8>]) -> u64 {
    data_messages(datagrams)
        .map(|message| {
            let ct = Conntrack::parse(&message).expect("valid entry");
            checksum::conntrack(&ct).expect("a well-formed entry")
        })
        .sum()
}

/// Walks message and attribute headers (one nest level), decoding nothing.
fn tlv_walk(datagrams: &[Vec<u8>]) -> u64 {
    let mut sum = 0u64;
    for datagram in datagrams {
        for message in Messages::new(datagram) {
            let message = message.expect("valid");
            // nfgenmsg: 4 bytes.
            let attrs = message.payload().get(4..).unwrap_or_default();
            for attr in AttrIter::new(attrs) {
                let attr = attr.expect("valid");
                sum += u64::from(attr.ty());
                if attr.is_nested() {
                    for inner in attr.nested() {
                        sum += u64::from(inner.expect("valid").ty());
                    }
                }
            }
        }
    }
    sum
}

const DECODERS: [Decoder; 2] = [
    Decoder {
        id: "nl-core",
        run: nl_core_decode,
        same_checksum: true,
    },
    Decoder {
        id: "tlv-walk",
        run: tlv_walk,
        same_checksum: false,
    },
];

fn bench(c: &mut Criterion) {
    bench_decoders(c, "conntrack_decode", conntrack_dump, &DECODERS);
}

criterion_group!(benches, bench);
criterion_main!(benches);
