//! Checksums that fold what a decoder read into one number, so the
//! decoding cannot be optimised away and two decoders can be shown to have
//! read the same values (the benches fold each peer's view the same way).

use std::net::IpAddr;

use nl_core::Error;
use nl_core::netfilter::conntrack::{Conntrack, Tuple};
use nl_core::route::route::Route;

/// An address folded into 64 bits.
pub fn ip_sum(addr: IpAddr) -> u64 {
    match addr {
        IpAddr::V4(a) => u64::from(u32::from(a)),
        IpAddr::V6(a) => {
            let bits = u128::from(a);
            (bits as u64) ^ ((bits >> 64) as u64)
        }
    }
}

/// The `rtmsg` fields but the table (counted with `RTA_TABLE`); `rest` is
/// protocol, scope and type.
pub fn header_sum(family: u8, dst_len: u8, src_len: u8, tos: u8, rest: [u8; 3], flags: u32) -> u64 {
    let [protocol, scope, kind] = rest;
    1 + u64::from(family)
        + u64::from(dst_len)
        + u64::from(src_len)
        + u64::from(tos)
        + u64::from(protocol)
        + u64::from(scope)
        + u64::from(kind)
        + u64::from(flags)
}

/// One next hop.
pub fn hop_sum(ifindex: u32, weight: u16, flags: u8, gateway: Option<IpAddr>) -> u64 {
    u64::from(ifindex) + u64::from(weight) + u64::from(flags) + gateway.map_or(0, ip_sum)
}

/// One metric.
pub fn metric_sum(ty: u16, value: u32) -> u64 {
    u64::from(ty) * 65_536 + u64::from(value)
}

/// The five `rta_cacheinfo` fields the spec lists.
pub fn cacheinfo_sum(fields: [u32; 5]) -> u64 {
    fields.iter().map(|&f| u64::from(f)).sum::<u64>() + 7
}

/// Every field a route carries, read with nl-core's typed getters: the
/// header, table, dst, prefsrc, gateway, oif, priority, each metric, each
/// next hop of a multipath route, cacheinfo and pref.
pub fn route(r: &Route<'_>) -> Result<u64, Error> {
    let mut sum = header_sum(
        r.family().into(),
        r.dst_len(),
        r.src_len(),
        r.tos(),
        [r.protocol().into(), r.scope().into(), r.kind().into()],
        r.flags().0,
    );
    sum += u64::from(r.table_id());
    sum += r.dst().map_or(0, ip_sum) + r.prefsrc().map_or(0, ip_sum);
    sum += r.gateway().map_or(0, ip_sum);
    sum += u64::from(r.oif().unwrap_or(0)) + u64::from(r.priority().unwrap_or(0));
    if let Some(metrics) = r.metrics() {
        for (ty, value) in metrics?.values() {
            sum += metric_sum(ty, value);
        }
    }
    for hop in r.multipath() {
        let hop = hop?;
        sum += hop_sum(hop.ifindex, hop.weight(), hop.flags.0 as u8, hop.gateway());
    }
    if let Some(c) = r.cacheinfo() {
        let f = [c.clntref, c.lastuse, c.expires, c.error, c.used];
        sum += cacheinfo_sum(f.map(|x| x.get()));
    }
    Ok(sum + r.pref().map_or(0, |p| u64::from(u8::from(p)) + 1))
}

/// A conntrack tuple: addresses, protocol, ports.
pub fn tuple(t: &Tuple) -> u64 {
    ip_sum(t.src)
        + ip_sum(t.dst)
        + u64::from(t.proto)
        + u64::from(t.src_port.unwrap_or(0))
        + u64::from(t.dst_port.unwrap_or(0))
}

/// Every field a conntrack entry of `nl_bench::conntrack`'s table carries:
/// both tuples, status, TCP state, timeout, mark, counters both ways, use,
/// id and zone.
pub fn conntrack(ct: &Conntrack<'_>) -> Result<u64, Error> {
    let mut sum = tuple(&ct.orig()?) + tuple(&ct.reply()?);
    sum += u64::from(ct.status().0) + u64::from(ct.tcp_state().map_or(0, u8::from));
    sum += u64::from(ct.timeout().unwrap_or(0)) + u64::from(ct.mark().unwrap_or(0));
    for counters in [ct.counters_orig(), ct.counters_reply()]
        .into_iter()
        .flatten()
    {
        sum += counters.packets + counters.bytes;
    }
    sum += u64::from(ct.use_count().unwrap_or(0)) + u64::from(ct.id().unwrap_or(0));
    Ok(sum + u64::from(ct.zone().unwrap_or(0)))
}
