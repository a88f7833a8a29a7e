//! ctnetlink: every decoder entry point — `Conntrack::parse` (and its
//! getters), `ConntrackEvent::parse`, `Tuple::parse`, `Stats::parse`,
//! `StatsCpu::parse` — with the `Display` and `Debug` of what they return,
//! and the requests built back from what was decoded.
//!
//! Properties: nothing panics; a tuple decoded from the input (alone, or
//! from an entry) encodes and decodes back to itself, alone and inside
//! `get`, `delete` and `new`; an entry's status, mark, zone and timeout
//! survive a `new` request; an event is exactly an entry of type `new` or
//! `delete`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_core::Writer;
use nl_core::netfilter::conntrack::{
    self, Conntrack, ConntrackAttrs, ConntrackEvent, ConntrackSpec, CtMsg, CtStatus, Stats,
    StatsCpu, Tuple, msg_type,
};
use nl_core::nlmsg::{Flags, Message, Messages};
use nl_fuzz::{debug, display};

fuzz_target!(|data: &[u8]| {
    if let Ok(tuple) = Tuple::parse(data) {
        check_tuple(&tuple);
    }
    for message in Messages::new(data).map_while(Result::ok) {
        check_message(&message);
    }
});

fn check_message(message: &Message<'_>) {
    let entry = Conntrack::parse(message);
    let is_entry_type = [CtMsg::New, CtMsg::Delete, CtMsg::Get]
        .iter()
        .any(|&m| msg_type(m) == message.ty());
    if let Ok(ct) = &entry {
        assert!(is_entry_type);
        check_entry(ct);
    }
    match ConntrackEvent::parse(message) {
        Ok(event) => {
            assert!(entry.is_ok(), "an event is an entry");
            let kind_ok = match event {
                ConntrackEvent::Destroy(_) => message.ty() == msg_type(CtMsg::Delete),
                ConntrackEvent::New(_) => message.flags().contains(Flags::CREATE),
                ConntrackEvent::Update(_) => !message.flags().contains(Flags::CREATE),
            };
            assert!(kind_ok);
            debug(&event);
            display(event.entry());
        }
        Err(_) => {
            let event_type =
                message.ty() == msg_type(CtMsg::New) || message.ty() == msg_type(CtMsg::Delete);
            assert!(!event_type || entry.is_err());
        }
    }
    if let Ok(stats) = Stats::parse(message) {
        debug(&stats);
    }
    if let Ok(stats) = StatsCpu::parse(message) {
        debug(&stats);
    }
}

/// Reads every getter, and builds the entry back as a `new` request.
fn check_entry(ct: &Conntrack<'_>) {
    display(ct);
    debug(ct);
    display(&ct.attrs);
    let _ = (
        ct.tcp_state(),
        ct.counters_orig(),
        ct.counters_reply(),
        ct.secctx(),
    );
    let _ = (
        ct.timestamp_start(),
        ct.timestamp_stop(),
        ct.labels(),
        ct.id(),
    );
    if let Some(Ok(master)) = ct.master() {
        check_tuple(&master);
    }
    let Ok(orig) = ct.orig() else { return };
    check_tuple(&orig);
    let reply = ct.reply().ok();
    if let Some(reply) = reply {
        check_tuple(&reply);
    }
    let labels: Option<[u8; 16]> = ct.labels().and_then(|l| l.try_into().ok());
    let spec = ConntrackSpec {
        reply,
        status: ct.status(),
        mark: ct.mark(),
        zone: ct.zone(),
        labels: labels.as_ref(),
        tcp_state: ct.tcp_state(),
        ..ConntrackSpec::new(orig, ct.timeout().unwrap_or(0))
    };
    let mut buf = [0xa5u8; 512];
    let request = conntrack::new(&mut buf, 1, Flags::CREATE, &spec).expect("fits");
    let len = request.len();
    let message = Message::parse(request).expect("a request parses");
    let back = Conntrack::parse(&message).expect("a request reads back");
    assert_eq!(back.orig(), Ok(orig));
    assert_eq!(back.reply(), Ok(reply.unwrap_or_else(|| orig.reversed())));
    assert_eq!(back.status(), CtStatus(spec.status.0 | CtStatus::CONFIRMED));
    assert_eq!(back.mark(), spec.mark);
    assert_eq!(back.zone(), spec.zone);
    assert_eq!(back.timeout(), Some(spec.timeout));
    assert_eq!(back.tcp_state(), spec.tcp_state);
    assert_eq!(back.attrs.unknown(), 0);
    assert!(buf[len..].iter().all(|&b| b == 0xa5));
}

/// Encodes `tuple` as a nest and in `get` and `delete`; each decodes back.
fn check_tuple(tuple: &Tuple) {
    debug(tuple);
    let mut buf = [0xa5u8; 256];
    let mut w = Writer::new(&mut buf);
    tuple
        .put(&mut w, ConntrackAttrs::TUPLE_ORIG)
        .expect("room for any tuple");
    assert_eq!(w.len(), tuple.space());
    let space = tuple.space();
    assert_eq!(Tuple::parse(&buf[4..space]), Ok(*tuple));
    assert!(buf[space..].iter().all(|&b| b == 0xa5));
    let mut buf = [0u8; 256];
    for build in [conntrack::get, conntrack::delete] {
        let request = build(&mut buf, 1, tuple, Some(3)).expect("fits");
        let message = Message::parse(request).expect("a request parses");
        let ct = Conntrack::parse(&message).expect("a request reads back");
        assert_eq!(ct.orig(), Ok(*tuple));
        assert_eq!(ct.zone(), Some(3));
    }
}
