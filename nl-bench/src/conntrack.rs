//! Conntrack table dumps, as `IPCTNL_MSG_CT_GET` with `NLM_F_DUMP` returns
//! them: one `IPCTNL_MSG_CT_NEW` per entry with both tuples, status,
//! protoinfo (TCP), timeout, mark, counters both ways, use, id and zone,
//! in the kernel's attribute order.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use nl_core::netfilter::NfGenMsg;
use nl_core::netfilter::conntrack::{
    ConntrackAttrs, CounterAttrs, CtMsg, CtStatus, ProtoinfoAttrs, ProtoinfoTcpAttrs, TcpState,
    Tuple, msg_type,
};
use nl_core::nlmsg::{Flags, Header};
use nl_core::{Error, Writer};

use crate::{Dump, pack};

/// Sequence number and port id written in every generated message.
pub const SEQ: u32 = 7;
/// See [`SEQ`].
pub const PORT: u32 = 4242;

/// `AF_INET`.
const AF_INET: u8 = 2;

/// Entry `i`'s original tuple: TCP on even `i`, UDP on odd, distinct for
/// every `i` below 2^24.
pub fn tuple(i: usize) -> Tuple {
    let n = i as u32;
    let src = SocketAddr::new(
        IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | (n & 0x00ff_ffff))),
        1024 + (n % 50_000) as u16,
    );
    let dst = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)), 80);
    if i % 2 == 0 {
        Tuple::tcp(src, dst)
    } else {
        Tuple::udp(src, dst)
    }
}

/// Appends entry `i` as the kernel dumps it; on failure the writer is as
/// it was.
pub fn write_entry(w: &mut Writer<'_>, i: usize) -> Result<(), Error> {
    w.all_or_nothing(|w| entry(w, i))
}

fn entry(w: &mut Writer<'_>, i: usize) -> Result<(), Error> {
    let n = i as u32;
    let orig = tuple(i);
    let header = Header::new(msg_type(CtMsg::New), Flags::MULTI, SEQ, PORT);
    let start = w.begin_message_with(header, &NfGenMsg::new(AF_INET))?;
    orig.put(w, ConntrackAttrs::TUPLE_ORIG)?;
    orig.reversed().put(w, ConntrackAttrs::TUPLE_REPLY)?;
    let status = CtStatus::SEEN_REPLY | CtStatus::ASSURED | CtStatus::CONFIRMED;
    w.put(ConntrackAttrs::STATUS, status)?;
    if orig.proto == 6 {
        let info = w.nest(ConntrackAttrs::PROTOINFO)?;
        let tcp = w.nest(ProtoinfoAttrs::TCP)?;
        w.put(ProtoinfoTcpAttrs::STATE, TcpState::Established.into())?;
        w.put(ProtoinfoTcpAttrs::WSCALE_ORIGINAL, 7)?;
        w.put(ProtoinfoTcpAttrs::WSCALE_REPLY, 7)?;
        w.nest_end(tcp)?;
        w.nest_end(info)?;
    }
    w.put(ConntrackAttrs::TIMEOUT, 431_000 + n % 1000)?;
    w.put(ConntrackAttrs::MARK, n % 16)?;
    for field in [
        ConntrackAttrs::COUNTERS_ORIG,
        ConntrackAttrs::COUNTERS_REPLY,
    ] {
        let counters = w.nest(field)?;
        w.put(CounterAttrs::PACKETS, u64::from(n % 100 + 1))?;
        w.put(CounterAttrs::BYTES, u64::from(n % 100 + 1) * 60)?;
        w.nest_end(counters)?;
    }
    w.put(ConntrackAttrs::USE, 1)?;
    w.put(ConntrackAttrs::ID, n.wrapping_mul(2_654_435_761))?;
    w.put(ConntrackAttrs::ZONE, (n % 4) as u16)?;
    w.end_message(start)?;
    Ok(())
}

/// A dump of `count` entries, packed into datagrams, ending with `NLMSG_DONE`.
pub fn conntrack_dump(count: usize) -> Dump {
    pack(count, SEQ, PORT, write_entry)
}

#[cfg(test)]
mod tests {
    use nl_core::netfilter::conntrack::Conntrack;
    use nl_core::nlmsg::{Messages, Reply};

    use super::*;

    #[test]
    fn every_entry_decodes_back() {
        let dump = conntrack_dump(2_000);
        assert!(dump.datagrams.len() > 1, "more than one datagram");
        let mut seen = 0;
        for datagram in &dump.datagrams {
            assert!(datagram.len() <= crate::DATAGRAM_LEN);
            for message in Messages::new(datagram) {
                let Reply::Data(message) = Reply::classify(message.unwrap()).unwrap() else {
                    continue;
                };
                let ct = Conntrack::parse(&message).unwrap();
                assert_eq!(ct.orig().unwrap(), tuple(seen));
                assert_eq!(ct.reply().unwrap(), tuple(seen).reversed());
                assert_eq!(ct.mark(), Some(seen as u32 % 16));
                assert_eq!(ct.zone(), Some((seen % 4) as u16));
                let want_state = (seen % 2 == 0).then_some(TcpState::Established);
                assert_eq!(ct.tcp_state(), want_state);
                assert_eq!(ct.counters_orig().unwrap().packets, seen as u64 % 100 + 1);
                seen += 1;
            }
        }
        assert_eq!((seen, dump.messages), (2_000, 2_000));
    }
}
