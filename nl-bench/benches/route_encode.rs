//! Encoding route installs: N `RTM_NEWROUTE` requests (`NLM_F_CREATE |
//! NLM_F_EXCL | NLM_F_ACK`) with dst, table, gateway, oif and priority,
//! back to back in one output buffer, by nl-core (`new_route`) and by
//! netlink-packet-route (build a `RouteMessage`, `finalize`, `serialize`).
//!
//! Output buffer: one per function, allocated (and zeroed) outside the
//! timed loop and written from offset 0 again in every iteration, so
//! no iteration pays for page faults the other did not. Both encoders
//! must produce the same bytes, checked before timing.

mod common;

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use netlink_packet_core::{
    NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, NetlinkHeader, NetlinkMessage,
    NetlinkPayload,
};
use netlink_packet_route::route::{
    RouteAddress, RouteAttribute, RouteMessage, RouteProtocol as NprProtocol,
    RouteScope as NprScope, RouteType as NprType,
};
use netlink_packet_route::{AddressFamily as NprFamily, RouteNetlinkMessage};
use nl_bench::alloc_count::{self, CountingAlloc};
use nl_core::nlmsg::Flags;
use nl_core::route::AddressFamily;
use nl_core::route::route::{RouteSpec, new_route};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// The table every route goes to: above 255, so both encoders send `RTA_TABLE`.
const TABLE: u32 = 1000;

/// One route to install.
#[derive(Clone, Copy)]
struct Install {
    dst: Ipv4Addr,
    gateway: Ipv4Addr,
    oif: u32,
    priority: u32,
}

/// Route `i` to install: a /24, one of 8 gateways and 4 interfaces.
fn install(i: usize) -> Install {
    Install {
        dst: Ipv4Addr::from(0x0100_0000u32.wrapping_add((i as u32) << 8)),
        gateway: Ipv4Addr::new(10, 0, 0, (i % 8) as u8 + 1),
        oif: 2 + (i % 4) as u32,
        priority: 20,
    }
}

/// Writes every route into `out` from offset 0; returns the bytes written.
fn nl_core_encode(routes: &[Install], out: &mut [u8]) -> usize {
    let mut offset = 0;
    for (seq, r) in routes.iter().enumerate() {
        let spec = RouteSpec {
            dst: Some(IpAddr::V4(r.dst)),
            dst_len: 24,
            table: TABLE,
            gateway: Some(IpAddr::V4(r.gateway)),
            oif: Some(r.oif),
            priority: Some(r.priority),
            ..RouteSpec::new(AddressFamily::Inet)
        };
        let written = new_route(
            &mut out[offset..],
            seq as u32,
            Flags::CREATE | Flags::EXCL,
            &spec,
        )
        .expect("the buffer fits every route");
        offset += written.len();
    }
    offset
}

/// The same with netlink-packet-route.
fn npr_encode(routes: &[Install], out: &mut [u8]) -> usize {
    let mut offset = 0;
    for (seq, r) in routes.iter().enumerate() {
        let mut route = RouteMessage::default();
        route.header.address_family = NprFamily::Inet;
        route.header.destination_prefix_length = 24;
        route.header.protocol = NprProtocol::Boot;
        route.header.scope = NprScope::Universe;
        route.header.kind = NprType::Unicast;
        route.attributes = vec![
            RouteAttribute::Destination(RouteAddress::Inet(r.dst)),
            RouteAttribute::Table(TABLE),
            RouteAttribute::Gateway(RouteAddress::Inet(r.gateway)),
            RouteAttribute::Oif(r.oif),
            RouteAttribute::Priority(r.priority),
        ];
        let mut header = NetlinkHeader::default();
        header.flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
        header.sequence_number = seq as u32;
        let mut message = NetlinkMessage::new(
            header,
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewRoute(route)),
        );
        message.finalize();
        let len = message.buffer_len();
        message.serialize(&mut out[offset..offset + len]);
        offset += len;
    }
    offset
}

type Encoder = fn(&[Install], &mut [u8]) -> usize;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("route_encode_v4");
    for count in common::COUNTS {
        let routes: Vec<Install> = (0..count).map(install).collect();
        // Every request is 68 bytes: nlmsghdr, rtmsg and five 8-byte attributes.
        let len = count * 68;
        let encoders: [(&str, Encoder); 2] = [
            ("nl-core", nl_core_encode),
            ("netlink-packet-route", npr_encode),
        ];
        let mut reference: Option<Vec<u8>> = None;
        for (id, encode) in encoders {
            let mut out = vec![0u8; len];
            let name = format!("route_encode_v4/{id}/{count}");
            let written = alloc_count::report(&name, count, || encode(&routes, &mut out));
            assert_eq!(written, len, "{name}: every request is 68 bytes");
            match &reference {
                None => reference = Some(out.clone()),
                Some(want) => assert!(*want == out, "{name} wrote other bytes than nl-core"),
            }
            group.throughput(Throughput::ElementsAndBytes {
                elements: count as u64,
                bytes: len as u64,
            });
            group.bench_function(BenchmarkId::new(id, count), |b| {
                b.iter(|| encode(black_box(&routes), black_box(&mut out)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
