//! OVS flow keys from arbitrary bytes: parse `key-attrs`, validate (encap
//! recursion bounded by MAX_KEY_DEPTH), walk every getter and nest, print
//! (alone and as its own mask), then re-encode what decoded with the typed
//! writer and check that it decodes to the same typed values.
#![no_main]

use std::fmt::Write as _;

use libfuzzer_sys::fuzz_target;
use nl_core::Writer;
use nl_core::ovs::flow::key::{FlowKey, KeyWriter, VxlanExtAttrs};

/// Every typed value of one level and its nests, as text.
fn summary(key: &FlowKey<'_>, out: &mut String) {
    let _ = write!(
        out,
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} ",
        key.priority(),
        key.in_port(),
        key.eth(),
        key.vlan(),
        key.ethertype(),
        key.ipv4(),
        key.ipv6(),
        key.tcp(),
        key.udp(),
        key.icmp(),
        key.icmpv6(),
        key.arp(),
        key.nd(),
        key.skb_mark(),
        key.sctp(),
        key.tcp_flags(),
    );
    let _ = write!(
        out,
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} ",
        key.dp_hash(),
        key.recirc_id(),
        key.mpls().map(|m| m.iter().collect::<Vec<_>>()),
        key.ct_state(),
        key.ct_zone(),
        key.ct_mark(),
        key.ct_labels(),
        key.ct_orig_tuple_ipv4(),
        key.ct_orig_tuple_ipv6(),
        key.packet_type(),
        key.nd_extensions(),
        key.tunnel_info(),
        key.ipv6_exthdrs(),
    );
    if let Some(Ok(t)) = key.tunnel() {
        let _ = write!(
            out,
            "tunnel {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {} {} {} {:?} {:?} {:?} {:?} ",
            t.id(),
            t.ipv4_src(),
            t.ipv4_dst(),
            t.ipv6_src(),
            t.ipv6_dst(),
            t.tos(),
            t.ttl(),
            t.dont_fragment(),
            t.csum(),
            t.oam(),
            t.ipv4_info_bridge(),
            t.tp_src(),
            t.tp_dst(),
            t.geneve_opts(),
            t.erspan_opts(),
        );
        // An empty VXLAN nest has no typed value: only the GBP counts.
        if let Some(gbp) = t.vxlan_opts().and_then(|v| v.ok()?.get(VxlanExtAttrs::GBP)) {
            let _ = write!(out, "gbp {gbp} ");
        }
    }
    if let Some(Ok(n)) = key.nsh() {
        let _ = write!(out, "nsh {:?} {:?} {:?} ", n.base(), n.md1(), n.md2());
    }
    if let Some(Ok(inner)) = key.encap() {
        out.push_str("encap[");
        summary(&inner, out);
        out.push(']');
    }
}

/// Writes back every typed value of a validated key.
fn copy(key: &FlowKey<'_>, k: &mut KeyWriter<'_, '_>) -> Result<(), nl_core::Error> {
    macro_rules! opt {
        ($get:ident, $put:ident) => {
            if let Some(v) = key.$get() {
                k.$put(v)?;
            }
        };
    }
    opt!(priority, priority);
    opt!(in_port, in_port);
    opt!(eth, eth);
    opt!(vlan, vlan);
    opt!(ethertype, ethertype);
    opt!(ipv4, ipv4);
    opt!(ipv6, ipv6);
    opt!(tcp, tcp);
    opt!(udp, udp);
    opt!(icmp, icmp);
    opt!(icmpv6, icmpv6);
    opt!(arp, arp);
    opt!(nd, nd);
    opt!(skb_mark, skb_mark);
    opt!(sctp, sctp);
    opt!(tcp_flags, tcp_flags);
    opt!(dp_hash, dp_hash);
    opt!(recirc_id, recirc_id);
    if let Some(m) = key.mpls() {
        k.mpls(&m.iter().collect::<Vec<_>>())?;
    }
    opt!(ct_state, ct_state);
    opt!(ct_zone, ct_zone);
    opt!(ct_mark, ct_mark);
    opt!(ct_labels, ct_labels);
    opt!(ct_orig_tuple_ipv4, ct_orig_tuple_ipv4);
    opt!(ct_orig_tuple_ipv6, ct_orig_tuple_ipv6);
    opt!(packet_type, packet_type);
    opt!(nd_extensions, nd_extensions);
    opt!(tunnel_info, tunnel_info);
    opt!(ipv6_exthdrs, ipv6_exthdrs);
    if let Some(t) = key.tunnel() {
        let t = t?;
        k.tunnel(|w| {
            macro_rules! topt {
                ($get:ident) => {
                    if let Some(v) = t.$get() {
                        w.$get(v)?;
                    }
                };
            }
            topt!(id);
            topt!(ipv4_src);
            topt!(ipv4_dst);
            topt!(ipv6_src);
            topt!(ipv6_dst);
            topt!(tos);
            topt!(ttl);
            topt!(tp_src);
            topt!(tp_dst);
            topt!(geneve_opts);
            topt!(erspan_opts);
            if t.dont_fragment() {
                w.dont_fragment()?;
            }
            if t.csum() {
                w.csum()?;
            }
            if t.oam() {
                w.oam()?;
            }
            if t.ipv4_info_bridge() {
                w.ipv4_info_bridge()?;
            }
            if let Some(v) = t.vxlan_opts() {
                if let Some(gbp) = v?.get(VxlanExtAttrs::GBP) {
                    w.vxlan_gbp(gbp)?;
                }
            }
            Ok(())
        })?;
    }
    if let Some(n) = key.nsh() {
        let n = n?;
        k.nsh(n.base(), n.md1(), n.md2())?;
    }
    if let Some(inner) = key.encap() {
        let inner = inner?;
        k.encap(|k| copy(&inner, k))?;
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let Ok(key) = FlowKey::parse(data) else {
        return;
    };
    let text = key.to_string();
    let _ = key.with_mask(key).to_string();
    let mut before = String::new();
    summary(&key, &mut before);
    if key.validate().is_err() {
        return;
    }
    assert!(
        !text.contains("<error"),
        "a valid key prints cleanly: {text}"
    );
    let mut buf = vec![0u8; data.len() * 2 + 64];
    let mut w = Writer::new(&mut buf);
    copy(&key, &mut KeyWriter::new(&mut w)).expect("a valid key re-encodes");
    let again = FlowKey::parse(w.as_bytes()).expect("what we wrote parses");
    again.validate().expect("what we wrote validates");
    let mut after = String::new();
    summary(&again, &mut after);
    assert_eq!(before, after);
});
