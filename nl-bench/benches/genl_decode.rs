//! Offline decode of a generic netlink family dump: nl-core's full typed
//! decode side by side with the TLV-walk floor (headers only, no decoding).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use nl_bench::genl::family_dump;
use nl_core::attr::AttrIter;
use nl_core::genl::ctrl::Family;
use nl_core::nlmsg::{Messages, Reply};

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

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("genl_family_decode");
    for count in [1_000usize, 100_000] {
        let dump = family_dump(count);
        group.throughput(Throughput::ElementsAndBytes {
            elements: dump.messages as u64,
            bytes: dump.bytes() as u64,
        });
        group.bench_with_input(BenchmarkId::new("nl-core", count), &dump, |b, dump| {
            b.iter(|| nl_core_decode(black_box(&dump.datagrams)))
        });
        group.bench_with_input(BenchmarkId::new("tlv-walk", count), &dump, |b, dump| {
            b.iter(|| tlv_walk(black_box(&dump.datagrams)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
