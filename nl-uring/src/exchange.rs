//! One request and its replies, as a pure state machine: fed the received
//! datagrams one by one, it checks and classifies every message, hands data
//! messages to the caller and says when the exchange has ended. No I/O
//! here, so every rule is unit-tested with byte vectors.
//!
//! The rules:
//! - A datagram from a sender the socket does not accept is not processed;
//!   [`Error::ForeignSender`] is reported when the exchange ends.
//! - A message that does not belong to this exchange (other sequence
//!   number or port: a leftover of an abandoned exchange, or a notification
//!   on a socket that also joined groups) is reported as
//!   [`nl_core::Error::UnexpectedSeq`] / `UnexpectedPort` when the exchange
//!   ends, never silently skipped. The exchange still runs to its own end,
//!   so the socket stays in step with the kernel.
//! - The first error wins; later ones are dropped.
//! - A malformed message, or a malformed ACK/DONE, ends the exchange at once:
//!   its end cannot be found reliably any more.
//! - A request ends at its `NLMSG_ERROR` (ACK or error). A dump ends at its
//!   `NLMSG_DONE`, or at an `NLMSG_ERROR` when the kernel refused to start it.

use std::ops::ControlFlow;

use nl_core::nlmsg::{
    self, Ack, Done, Message, Messages, Reply, RequestLayout, Senders, check_reply, check_sender,
};

use crate::error::{Error, KernelError};

/// What kind of exchange this is: what ends it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A request with `NLM_F_ACK`: ends at the ACK or error.
    Request,
    /// A dump: ends at `NLMSG_DONE` (or an error refusing the dump).
    Dump,
}

/// Whether more datagrams are needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The exchange has not ended: receive another datagram.
    More,
    /// The exchange has ended (successfully or not): call [`Exchange::finish`].
    Finished,
}

/// Counters and flags of a finished exchange.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Data messages received.
    pub(crate) messages: usize,
    /// Data messages handed to the caller (fewer when it stopped early).
    pub(crate) delivered: usize,
    /// Datagrams received.
    pub(crate) datagrams: usize,
    /// A message carried `NLM_F_DUMP_INTR`.
    pub(crate) interrupted: bool,
    /// The caller asked to stop.
    pub(crate) stopped: bool,
    /// Extended-ACK text sent with a successful ACK or DONE.
    pub(crate) warning: Option<String>,
}

/// One exchange in progress.
pub(crate) struct Exchange<'r> {
    mode: Mode,
    request: &'r [u8],
    layout: Option<RequestLayout>,
    seq: u32,
    port: u32,
    senders: Senders,
    error: Option<Error>,
    stats: Stats,
}

impl<'r> Exchange<'r> {
    /// Starts an exchange for `request` (as sent), whose header carries
    /// sequence number `seq`, on a socket bound to `port`.
    pub(crate) fn new(
        mode: Mode,
        request: &'r [u8],
        layout: Option<RequestLayout>,
        seq: u32,
        port: u32,
        senders: Senders,
    ) -> Self {
        Exchange {
            mode,
            request,
            layout,
            seq,
            port,
            senders,
            error: None,
            stats: Stats::default(),
        }
    }

    /// Processes one datagram of `sender`, handing data messages that belong
    /// to the exchange to `on_data` until it breaks.
    pub(crate) fn datagram(
        &mut self,
        datagram: &[u8],
        sender: u32,
        on_data: &mut dyn FnMut(Message<'_>) -> ControlFlow<()>,
    ) -> Step {
        self.stats.datagrams += 1;
        if check_sender(sender, self.senders).is_err() {
            self.fail(Error::ForeignSender { port: sender });
            return Step::More;
        }
        for message in Messages::new(datagram) {
            let message = match message {
                Ok(m) => m,
                Err(e) => return self.abort(e.into()),
            };
            if let Err(e) = check_reply(&message, self.seq, self.port) {
                self.fail(e.into());
                continue;
            }
            if message.dump_interrupted() {
                self.stats.interrupted = true;
            }
            let reply = match Reply::classify(message) {
                Ok(r) => r,
                Err(e) => return self.abort(e.into()),
            };
            match reply {
                Reply::Data(m) => self.data(m, on_data),
                Reply::Noop(_) => {}
                Reply::Overrun(_) => self.fail(Error::Overrun),
                Reply::Ack(ack) => {
                    self.warning(&ack.ext);
                    return Step::Finished;
                }
                Reply::Error(ack) => {
                    self.kernel_error(&ack);
                    return Step::Finished;
                }
                Reply::Done(done) => {
                    if self.done(&done) == Step::Finished {
                        return Step::Finished;
                    }
                }
            }
        }
        Step::More
    }

    /// The outcome: the first error seen, or the counters.
    pub(crate) fn finish(self) -> Result<Stats, Error> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.stats),
        }
    }

    fn data(
        &mut self,
        message: Message<'_>,
        on_data: &mut dyn FnMut(Message<'_>) -> ControlFlow<()>,
    ) {
        self.stats.messages += 1;
        if self.stats.stopped {
            return;
        }
        self.stats.delivered += 1;
        if on_data(message).is_break() {
            self.stats.stopped = true;
        }
    }

    fn done(&mut self, done: &Done<'_>) -> Step {
        if done.status != 0 {
            self.fail(
                KernelError::new(
                    done.errno(),
                    self.seq,
                    true,
                    &done.ext,
                    self.request,
                    self.layout,
                )
                .into(),
            );
        } else {
            self.warning(&done.ext);
        }
        match self.mode {
            Mode::Dump => Step::Finished,
            // A multipart reply to a request: its ACK follows.
            Mode::Request => Step::More,
        }
    }

    fn kernel_error(&mut self, ack: &Ack<'_>) {
        let error = KernelError::new(
            ack.errno(),
            self.seq,
            false,
            &ack.ext,
            self.request,
            self.layout,
        );
        self.fail(error.into());
    }

    fn warning(&mut self, ext: &nlmsg::ExtAck<'_>) {
        if let Some(text) = ext.message() {
            self.stats.warning = Some(text.to_string());
        }
    }

    /// Records `error` if it is the first.
    fn fail(&mut self, error: Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    fn abort(&mut self, error: Error) -> Step {
        self.fail(error);
        Step::Finished
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nl_core::Writer;
    use nl_core::errno::Errno;
    use nl_core::nlmsg::{Flags, Header};

    const SEQ: u32 = 7;
    const PORT: u32 = 4242;

    nl_core::attr_set! {
        /// A request set for offset mapping.
        struct Demo = "demo" {
            1 NAME "name": nl_core::table::Str<0>;
            2 MTU "mtu": u32;
        }
    }

    /// Appends one message of type `ty` with `payload`.
    fn msg(w: &mut Writer<'_>, ty: u16, flags: Flags, seq: u32, pid: u32, payload: &[u8]) {
        let start = w.begin_message(Header::new(ty, flags, seq, pid)).unwrap();
        w.put_bytes(payload).unwrap();
        w.end_message(start).unwrap();
    }

    /// The request used by every test: type 16, a 4-byte family header,
    /// then `name="ab"` (offset 20) and `mtu=9` (offset 28).
    fn request(buf: &mut [u8]) -> &[u8] {
        let mut w = Writer::new(buf);
        let start = w
            .begin_message(Header::new(16, Flags::REQUEST | Flags::ACK, SEQ, 0))
            .unwrap();
        w.put_bytes(&[0; 4]).unwrap();
        w.attr(1, b"ab\0").unwrap();
        w.attr(2, &9u32.to_ne_bytes()).unwrap();
        w.end_message(start).unwrap();
        w.into_bytes()
    }

    /// An NLMSG_ERROR payload: code, the request's header (capped), TLVs.
    fn error_payload(code: i32, request: &[u8], tlvs: &[u8]) -> Vec<u8> {
        let mut p = code.to_ne_bytes().to_vec();
        p.extend_from_slice(&request[..16]);
        p.extend_from_slice(tlvs);
        p
    }

    fn tlv(ty: u16, payload: &[u8]) -> Vec<u8> {
        let mut buf = vec![0u8; 64];
        let mut w = Writer::new(&mut buf);
        w.attr(ty, payload).unwrap();
        let n = w.len();
        buf.truncate(n);
        buf
    }

    fn run(
        mode: Mode,
        req: &[u8],
        datagrams: &[(&[u8], u32)],
    ) -> (Result<Stats, Error>, Vec<u32>, Vec<Step>) {
        let layout = RequestLayout {
            header_len: 4,
            attrs: <Demo as nl_core::table::AttrSet>::table(),
        };
        let mut ex = Exchange::new(mode, req, Some(layout), SEQ, PORT, Senders::Kernel);
        let mut seen = Vec::new();
        let mut steps = Vec::new();
        for (d, sender) in datagrams {
            steps.push(ex.datagram(d, *sender, &mut |m| {
                seen.push(m.seq());
                ControlFlow::Continue(())
            }));
        }
        (ex.finish(), seen, steps)
    }

    fn build(f: impl FnOnce(&mut Writer<'_>)) -> Vec<u8> {
        let mut buf = vec![0xa5u8; 1024];
        let mut w = Writer::new(&mut buf);
        f(&mut w);
        let n = w.len();
        buf.truncate(n);
        buf
    }

    #[test]
    fn request_ends_at_ack_after_data_and_multipart_done() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let d = build(|w| {
            msg(w, 16, Flags::MULTI, SEQ, PORT, &[1, 2, 3, 4]);
            msg(w, nlmsg::DONE, Flags::MULTI, SEQ, PORT, &0i32.to_ne_bytes());
        });
        let ack = build(|w| {
            msg(
                w,
                nlmsg::ERROR,
                Flags::CAPPED,
                SEQ,
                PORT,
                &error_payload(0, req, &[]),
            );
        });
        let (out, seen, steps) = run(Mode::Request, req, &[(&d, 0), (&ack, 0)]);
        assert_eq!(steps, [Step::More, Step::Finished]);
        assert_eq!(seen, [SEQ]);
        let stats = out.unwrap();
        assert_eq!((stats.messages, stats.datagrams), (1, 2));
    }

    #[test]
    fn kernel_error_maps_offset_to_attribute_and_keeps_text() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let mut tlvs = tlv(1, b"bad mtu\0"); // NLMSGERR_ATTR_MSG
        tlvs.extend(tlv(2, &30u32.to_ne_bytes())); // OFFS: inside "mtu" (starts at 28)
        tlvs.extend(tlv(5, &1u32.to_ne_bytes())); // MISS_TYPE: 1 = name
        let e = build(|w| {
            let p = error_payload(-22, req, &tlvs);
            msg(
                w,
                nlmsg::ERROR,
                Flags::CAPPED | Flags::ACK_TLVS,
                SEQ,
                PORT,
                &p,
            );
        });
        let (out, _, steps) = run(Mode::Request, req, &[(&e, 0)]);
        assert_eq!(steps, [Step::Finished]);
        let err = out.unwrap_err();
        let k = err.kernel().unwrap();
        assert_eq!(k.errno, Errno(22));
        assert_eq!(k.message.as_deref(), Some("bad mtu"));
        assert_eq!(k.offset, Some(30));
        assert_eq!(k.path.as_ref().unwrap().to_string(), "mtu");
        assert_eq!(k.missing_name, Some("name"));
        assert!(!k.in_done);
        assert_eq!(
            k.to_string(),
            "EINVAL (22): bad mtu (attribute mtu) (missing attribute name)"
        );
    }

    #[test]
    fn dump_streams_until_done_and_reports_dump_intr() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let first = build(|w| {
            msg(w, 20, Flags::MULTI, SEQ, PORT, &[]);
            msg(w, 20, Flags::MULTI | Flags::DUMP_INTR, SEQ, PORT, &[]);
        });
        let last = build(|w| {
            msg(w, 20, Flags::MULTI, SEQ, PORT, &[]);
            msg(w, nlmsg::DONE, Flags::MULTI, SEQ, PORT, &0i32.to_ne_bytes());
        });
        let (out, seen, steps) = run(Mode::Dump, req, &[(&first, 0), (&last, 0)]);
        assert_eq!(steps, [Step::More, Step::Finished]);
        assert_eq!(seen.len(), 3);
        let stats = out.unwrap();
        assert!(stats.interrupted);
        assert_eq!(
            (stats.messages, stats.delivered, stats.datagrams),
            (3, 3, 2)
        );
    }

    #[test]
    fn error_in_done_is_a_kernel_error() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let mut p = (-90i32).to_ne_bytes().to_vec();
        p.extend(tlv(1, b"too big\0"));
        let d = build(|w| {
            msg(
                w,
                nlmsg::DONE,
                Flags::MULTI | Flags::ACK_TLVS,
                SEQ,
                PORT,
                &p,
            )
        });
        let (out, _, _) = run(Mode::Dump, req, &[(&d, 0)]);
        let err = out.unwrap_err();
        let k = err.kernel().unwrap();
        assert_eq!((k.errno, k.in_done), (Errno(90), true));
        assert_eq!(k.message.as_deref(), Some("too big"));
    }

    #[test]
    fn stale_message_is_reported_after_the_exchange_is_drained() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let d = build(|w| {
            msg(w, 20, Flags::MULTI, SEQ - 1, PORT, &[]); // leftover of an older dump
            msg(w, 20, Flags::MULTI, SEQ, PORT, &[]);
            msg(w, nlmsg::DONE, Flags::MULTI, SEQ, PORT, &0i32.to_ne_bytes());
        });
        let (out, seen, steps) = run(Mode::Dump, req, &[(&d, 0)]);
        assert_eq!(steps, [Step::Finished]);
        assert_eq!(seen, [SEQ], "the stale message is not delivered");
        match out {
            Err(Error::Codec(nl_core::Error::UnexpectedSeq { expected, found })) => {
                assert_eq!((expected, found), (SEQ, SEQ - 1))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn message_for_another_port_is_reported() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let d = build(|w| {
            msg(w, 20, Flags::NONE, SEQ, PORT + 1, &[]);
            msg(w, nlmsg::DONE, Flags::MULTI, SEQ, PORT, &0i32.to_ne_bytes());
        });
        let (out, seen, _) = run(Mode::Dump, req, &[(&d, 0)]);
        assert!(seen.is_empty());
        assert!(matches!(
            out,
            Err(Error::Codec(nl_core::Error::UnexpectedPort { port })) if port == PORT + 1
        ));
    }

    #[test]
    fn foreign_sender_datagram_is_not_processed() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let spoof = build(|w| msg(w, nlmsg::DONE, Flags::MULTI, SEQ, PORT, &0i32.to_ne_bytes()));
        let real = build(|w| {
            msg(w, 20, Flags::MULTI, SEQ, PORT, &[]);
            msg(w, nlmsg::DONE, Flags::MULTI, SEQ, PORT, &0i32.to_ne_bytes());
        });
        let (out, seen, steps) = run(Mode::Dump, req, &[(&spoof, 99), (&real, 0)]);
        assert_eq!(
            steps,
            [Step::More, Step::Finished],
            "the spoofed DONE did not end it"
        );
        assert_eq!(seen.len(), 1);
        assert!(matches!(out, Err(Error::ForeignSender { port: 99 })));
    }

    #[test]
    fn malformed_message_ends_the_exchange_with_an_error() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let mut d = build(|w| msg(w, 20, Flags::MULTI, SEQ, PORT, &[]));
        d.extend_from_slice(&[40, 0, 0, 0, 20, 0]); // header claims 40 bytes, has 6
        let (out, seen, steps) = run(Mode::Dump, req, &[(&d, 0)]);
        assert_eq!(steps, [Step::Finished]);
        assert_eq!(seen.len(), 1);
        assert!(matches!(out, Err(Error::Codec(nl_core::Error::Truncated))));
    }

    #[test]
    fn stopping_early_still_drains_to_done() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let d = build(|w| {
            for _ in 0..3 {
                msg(w, 20, Flags::MULTI, SEQ, PORT, &[]);
            }
            msg(w, nlmsg::DONE, Flags::MULTI, SEQ, PORT, &0i32.to_ne_bytes());
        });
        let mut ex = Exchange::new(Mode::Dump, req, None, SEQ, PORT, Senders::Kernel);
        let mut calls = 0;
        let step = ex.datagram(&d, 0, &mut |_| {
            calls += 1;
            ControlFlow::Break(())
        });
        assert_eq!(step, Step::Finished);
        assert_eq!(calls, 1);
        let stats = ex.finish().unwrap();
        assert_eq!(
            (stats.messages, stats.delivered, stats.stopped),
            (3, 1, true)
        );
    }

    #[test]
    fn overrun_message_is_reported() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let d = build(|w| {
            msg(w, nlmsg::OVERRUN, Flags::NONE, SEQ, PORT, &[]);
            msg(w, nlmsg::DONE, Flags::MULTI, SEQ, PORT, &0i32.to_ne_bytes());
        });
        let (out, _, _) = run(Mode::Dump, req, &[(&d, 0)]);
        assert!(matches!(out, Err(Error::Overrun)));
    }

    #[test]
    fn ack_warning_is_kept() {
        let mut rb = [0u8; 64];
        let req = request(&mut rb);
        let a = build(|w| {
            let p = error_payload(0, req, &tlv(1, b"careful\0"));
            msg(
                w,
                nlmsg::ERROR,
                Flags::CAPPED | Flags::ACK_TLVS,
                SEQ,
                PORT,
                &p,
            );
        });
        let (out, _, _) = run(Mode::Request, req, &[(&a, 0)]);
        assert_eq!(out.unwrap().warning.as_deref(), Some("careful"));
    }
}
