//! Offline decode of a conntrack table dump (`nl_bench::conntrack`):
//! nl-core's full typed decode (both tuples, status, TCP state, timeout,
//! mark, counters both ways, use, id, zone) side by side with the TLV-walk
//! floor (message and attribute headers, one nest level, nothing decoded).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use nl_bench::conntrack::conntrack_dump;
use nl_core::attr::AttrIter;
use nl_core::netfilter::conntrack::{Conntrack, Tuple};
use nl_core::nlmsg::{Messages, Reply};

fn tuple_sum(t: &Tuple) -> u64 {
    let ip = |a: std::net::IpAddr| match a {
        std::net::IpAddr::V4(v4) => u64::from(u32::from(v4)),
        std::net::IpAddr::V6(v6) => u128::from(v6) as u64,
    };
    ip(t.src)
        + ip(t.dst)
        + u64::from(t.proto)
        + u64::from(t.src_port.unwrap_or(0))
        + u64::from(t.dst_port.unwrap_or(0))
}

/// Decodes every entry; returns a checksum so nothing is optimised away.
fn nl_core_decode(datagrams: &[Vec<u8>]) -> u64 {
    let mut sum = 0u64;
    for datagram in datagrams {
        for message in Messages::new(datagram) {
            let Ok(Reply::Data(message)) = Reply::classify(message.expect("valid")) else {
                continue;
            };
            let ct = Conntrack::parse(&message).expect("valid entry");
            sum += tuple_sum(&ct.orig().expect("orig")) + tuple_sum(&ct.reply().expect("reply"));
            sum += u64::from(ct.status().0) + u64::from(ct.tcp_state().map_or(0, u8::from));
            sum += u64::from(ct.timeout().unwrap_or(0)) + u64::from(ct.mark().unwrap_or(0));
            for counters in [ct.counters_orig(), ct.counters_reply()]
                .into_iter()
                .flatten()
            {
                sum += counters.packets + counters.bytes;
            }
            sum += u64::from(ct.use_count().unwrap_or(0)) + u64::from(ct.id().unwrap_or(0));
            sum += u64::from(ct.zone().unwrap_or(0));
        }
    }
    sum
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

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("conntrack_decode");
    for count in [1_000usize, 100_000] {
        let dump = conntrack_dump(count);
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
