//! A received datagram: `Messages`, `Reply::classify` on every message, and
//! the sequence/port checks.
//!
//! Properties: the iterator ends (at most one item per 16 bytes, plus one
//! error, then nothing), every message and every part of a reply lies inside
//! the input, the classification follows the message type, and the checks
//! accept exactly the matching sequence number and port.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_core::Error;
use nl_core::nlmsg::{
    self, Ack, ExtAck, Flags, Header, Message, Messages, Reply, Senders, check_reply, check_sender,
    check_seq,
};
use nl_fuzz::{debug, display, within};

fuzz_target!(|data: &[u8]| {
    let mut messages = Messages::new(data);
    let mut items = 0;
    loop {
        let offset = messages.offset();
        let Some(item) = messages.next() else { break };
        items += 1;
        assert!(items <= data.len() / Header::LEN + 1, "too many messages");
        match item {
            Ok(message) => {
                let bytes = &data[offset..];
                assert!(message.len() >= Header::LEN && message.len() <= bytes.len());
                assert_eq!(message.header().len.get() as usize, message.len());
                assert_eq!(message.payload().as_ptr(), bytes[Header::LEN..].as_ptr());
                assert!(messages.offset() > offset && messages.offset() <= data.len());
                check_message(message);
            }
            Err(_) => {
                assert!(messages.next().is_none(), "an item after the error");
                break;
            }
        }
    }
    assert_eq!(items == 0, data.is_empty());
    assert!(messages.next().is_none(), "not fused");
});

fn check_message(message: Message<'_>) {
    let (seq, pid) = (message.seq(), message.pid());
    assert!(check_seq(&message, seq).is_ok());
    assert_eq!(
        check_seq(&message, seq.wrapping_add(1)),
        Err(Error::UnexpectedSeq {
            expected: seq.wrapping_add(1),
            found: seq
        })
    );
    assert!(check_reply(&message, seq, pid).is_ok());
    assert_eq!(
        check_reply(&message, seq, pid ^ 1),
        Err(Error::UnexpectedPort { port: pid })
    );
    assert!(check_reply(&message, seq ^ 1, pid).is_err());
    assert_eq!(check_sender(pid, Senders::Kernel).is_ok(), pid == 0);
    assert!(check_sender(pid, Senders::KernelAnd(pid)).is_ok());
    assert!(check_sender(pid, Senders::Any).is_ok());
    assert_eq!(
        message.dump_interrupted(),
        message.flags().contains(Flags::DUMP_INTR)
    );

    let ty = message.ty();
    let reply = Reply::classify(message);
    debug(&reply);
    match reply {
        Ok(Reply::Data(m)) => assert!(ty >= nlmsg::MIN_TYPE && m.len() == message.len()),
        Ok(Reply::Overrun(_)) => assert_eq!(ty, nlmsg::OVERRUN),
        Ok(Reply::Noop(_)) => assert!(ty < nlmsg::MIN_TYPE && ![2, 3, 4].contains(&ty)),
        Ok(Reply::Ack(ack)) => {
            assert_eq!((ty, ack.code, ack.errno().0), (nlmsg::ERROR, 0, 0));
            check_ack(&message, &ack);
        }
        Ok(Reply::Error(ack)) => {
            assert_eq!(ty, nlmsg::ERROR);
            assert!(ack.code != 0 && ack.errno().0 == ack.code.saturating_neg());
            check_ack(&message, &ack);
        }
        Ok(Reply::Done(done)) => {
            assert_eq!(ty, nlmsg::DONE);
            assert_eq!(done.errno().0, done.status.saturating_neg());
            if message.payload().is_empty() {
                assert_eq!(done.status, 0);
            }
            check_ext(&message, &done.ext);
        }
        // Only ERROR and DONE have a payload to get wrong.
        Err(_) => assert!(ty == nlmsg::ERROR || ty == nlmsg::DONE),
    }
}

fn check_ack(message: &Message<'_>, ack: &Ack<'_>) {
    let payload = message.payload();
    assert!(payload.len() >= 4 + Header::LEN);
    let echoed = &payload[4..];
    assert!(core::ptr::eq(
        (ack.request as *const Header).cast::<u8>(),
        echoed.as_ptr()
    ));
    assert!(within(echoed, ack.request_payload));
    if message.flags().contains(Flags::CAPPED) || ack.code == 0 {
        assert!(ack.request_payload.is_empty());
    } else {
        // The whole request was echoed: as long as its header says.
        let echoed_len = (ack.request.len.get() as usize).max(Header::LEN);
        assert_eq!(ack.request_payload.len(), echoed_len - Header::LEN);
    }
    check_ext(message, &ack.ext);
}

fn check_ext(message: &Message<'_>, ext: &ExtAck<'_>) {
    assert!(within(message.payload(), ext.attrs().bytes()));
    if !message.flags().contains(Flags::ACK_TLVS) {
        assert!(ext.is_empty());
    }
    if let Some(text) = ext.message() {
        display(&text);
    }
    if let Some(cookie) = ext.cookie() {
        assert!(cookie.len() <= 20);
    }
    if let Some(Ok(policy)) = ext.policy().map(|p| p.parse()) {
        display(&policy);
    }
    let _ = (ext.offset(), ext.missing_type(), ext.missing_nest());
    display(ext.attrs());
}
