//! Offline decode of a generic netlink family dump: nl-core's full typed
//! decode side by side with the TLV-walk floor (headers only, no decoding).

mod common;

use common::{Decoder, bench_decoders};
use criterion::{Criterion, criterion_group, criterion_main};
use nl_bench::alloc_count::CountingAlloc;
use nl_bench::genl::family_dump;
use nl_core::attr::AttrIter;
use nl_core::genl::ctrl::Family;
use nl_core::nlmsg::{Messages, Reply};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Decodes every field of every family; returns a checksum so nothing is optimised away.
fn nl_core_decode(datagrams: &[Vec<u8>]) -> u64 {
    let mut sum = 0u64;
    for datagram in datagrams {
        for message in Messages::new(datagram) {
            let Ok(Reply::Data(message)) = Reply::classify(message.expect("valid")) else {
                continue;
            };
            let family = Family::parse(&message).expect("valid family");
            sum += u64::from(family.id()) + family.name().as_bytes().len() as u64;
            sum += u64::from(family.version() + family.hdrsize() + family.maxattr());
            for op in family.ops() {
                let op = op.expect("valid op");
                sum += u64::from(op.id + op.flags.0);
            }
            for group in family.mcast_groups() {
                let group = group.expect("valid group");
                sum += u64::from(group.id) + group.name.as_bytes().len() as u64;
            }
        }
    }
    sum
}

/// Walks message and attribute headers (two nest levels), decoding nothing.
fn tlv_walk(datagrams: &[Vec<u8>]) -> u64 {
    let mut sum = 0u64;
    for datagram in datagrams {
        for message in Messages::new(datagram) {
            let message = message.expect("valid");
            let attrs = message.payload().get(4..).unwrap_or_default();
            for attr in AttrIter::new(attrs) {
                let attr = attr.expect("valid");
                sum += u64::from(attr.ty());
                if attr.is_nested() {
                    for element in attr.nested() {
                        for inner in element.expect("valid").nested() {
                            sum += u64::from(inner.expect("valid").ty());
                        }
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
    bench_decoders(c, "genl_family_decode", family_dump, &DECODERS);
}

criterion_group!(benches, bench);
criterion_main!(benches);
