//! Offline decode of an OVS flow dump (`OVS_FLOW_CMD_GET` with
//! `NLM_F_DUMP`, as `nl_bench::ovs::flow_dump` builds it): nl-core's full
//! typed decode (every key and mask field the flows carry, every action,
//! stats, used, tcp-flags, ufid) side by side with the TLV-walk floor
//! (message and attribute headers, two nest levels, nothing decoded).

mod common;

use common::{Decoder, bench_decoders};
use criterion::{Criterion, criterion_group, criterion_main};
use nl_bench::alloc_count::CountingAlloc;
use nl_bench::ovs::flow_dump;
use nl_core::attr::AttrIter;
use nl_core::nlmsg::{Messages, Reply};
use nl_core::ovs::flow::Flow;
use nl_core::ovs::flow::action::{Action, Actions};
use nl_core::ovs::flow::key::FlowKey;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Sums the fields of a key (or mask) the generated flows carry.
fn key_sum(key: &FlowKey<'_>) -> u64 {
    let mut sum = u64::from(key.priority().unwrap_or(0)) + u64::from(key.in_port().unwrap_or(0));
    if let Some(eth) = key.eth() {
        sum += u64::from(eth.eth_src[5]) + u64::from(eth.eth_dst[5]);
    }
    sum += u64::from(key.ethertype().unwrap_or(0));
    if let Some(ip) = key.ipv4() {
        sum += u64::from(ip.ipv4_src.get()) + u64::from(ip.ipv4_dst.get());
        sum += u64::from(ip.ipv4_proto) + u64::from(ip.ipv4_ttl);
    }
    if let Some(tcp) = key.tcp() {
        sum += u64::from(tcp.tcp_src.get()) + u64::from(tcp.tcp_dst.get());
    }
    if let Some(udp) = key.udp() {
        sum += u64::from(udp.udp_src.get()) + u64::from(udp.udp_dst.get());
    }
    sum += u64::from(key.skb_mark().unwrap_or(0)) + u64::from(key.recirc_id().unwrap_or(0));
    sum += u64::from(key.dp_hash().unwrap_or(0));
    sum += u64::from(key.ct_state().map_or(0, |s| s.0)) + u64::from(key.ct_zone().unwrap_or(0));
    sum + u64::from(key.ct_mark().unwrap_or(0))
}

/// Decodes every flow; returns a checksum so nothing is optimised away.
fn nl_core_decode(datagrams: &[Vec<u8>]) -> u64 {
    let mut sum = 0u64;
    for datagram in datagrams {
        for message in Messages::new(datagram) {
            let Ok(Reply::Data(message)) = Reply::classify(message.expect("valid")) else {
                continue;
            };
            let flow = Flow::parse(&message).expect("valid flow");
            let key = FlowKey::parse(flow.key().expect("key").bytes()).expect("valid key");
            let mask = FlowKey::parse(flow.mask().expect("mask").bytes()).expect("valid mask");
            sum += key_sum(&key) + key_sum(&mask);
            for action in Actions::new(flow.actions().expect("actions").bytes()) {
                sum += match action.expect("valid action") {
                    Action::Output(port) => u64::from(port),
                    Action::Recirc(id) => u64::from(id),
                    Action::SetMasked(set) => (set.value.len() + set.mask.len()) as u64,
                    Action::Ct(ct) => u64::from(ct.zone.unwrap_or(0)) + u64::from(ct.commit),
                    _ => 1,
                };
            }
            if let Some(stats) = flow.stats() {
                sum += stats.n_packets.get() + stats.n_bytes.get();
            }
            sum += flow.used().unwrap_or(0) + u64::from(flow.tcp_flags().map_or(0, |f| f.0));
            sum += flow.ufid().map_or(0, |u| u.len() as u64);
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
            // genlmsghdr and ovs_header: 8 bytes.
            let attrs = message.payload().get(8..).unwrap_or_default();
            for attr in AttrIter::new(attrs) {
                let attr = attr.expect("valid");
                sum += u64::from(attr.ty());
                if matches!(attr.ty(), 1 | 2 | 7) {
                    for inner in attr.nested() {
                        let inner = inner.expect("valid");
                        sum += u64::from(inner.ty()) + inner.payload().len() as u64;
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
    bench_decoders(c, "ovs_flow_decode", flow_dump, &DECODERS);
}

criterion_group!(benches, bench);
criterion_main!(benches);
