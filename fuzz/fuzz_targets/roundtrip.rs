//! decode → encode → decode equality for nlctrl attributes.
//!
//! 1. The input as `ctrl-attrs`: decode it into the owned model, re-emit every
//!    known attribute with the typed appends, decode again: same values, and
//!    encoding the second model gives the same bytes.
//! 2. The input as an `arbitrary` model: build a whole nlctrl message with the
//!    `Writer`, read it back through `Messages`, `Reply` and `Family`: same
//!    values. Then build it again into a too-small buffer pre-filled with junk:
//!    the error says how much room was needed and nothing past the written
//!    length was touched.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use nl_core::genl::GenlHeader;
use nl_core::genl::ctrl::{Cmd, Family, GENL_ID_CTRL, Op, OpFlags, PolicyReply};
use nl_core::nlmsg::{Flags, Message, Messages, Reply};
use nl_core::{Error, Writer};
use nl_fuzz::model::{Ctrl, Policy};

const JUNK: u8 = 0xa5;
const SEQ: u32 = 7;

fuzz_target!(|data: &[u8]| {
    // Room for anything the input can describe: wire data re-encodes to about
    // its own size, an arbitrary model to at most 8 bytes per input byte.
    let big = 16 * data.len() + 4096;
    wire_first(data, big);
    let mut u = Unstructured::new(data);
    if let Ok(mut model) = Ctrl::arbitrary(&mut u) {
        model.normalize();
        let cap = usize::from(u.arbitrary::<u16>().unwrap_or(0));
        model_first(&model, cap, big);
    }
});

/// Encodes the model's attributes into a junk-filled buffer of `cap` bytes.
fn encode_attrs(model: &Ctrl, cap: usize) -> Result<Vec<u8>, Error> {
    let mut buf = vec![JUNK; cap];
    let mut w = Writer::new(&mut buf);
    let res = model.encode(&mut w);
    let len = w.len();
    assert!(
        buf[len..].iter().all(|&b| b == JUNK),
        "bytes past the end touched"
    );
    res.map(|()| buf[..len].to_vec())
}

fn wire_first(data: &[u8], big: usize) {
    let Ok(first) = Ctrl::decode(data) else {
        return;
    };
    let bytes = match encode_attrs(&first, big) {
        Ok(bytes) => bytes,
        // Re-adding padding may grow a nest that was already near 64 KiB.
        Err(Error::TooLong) if data.len() > 60_000 => return,
        Err(e) => panic!("a decoded model does not encode: {e:?}"),
    };
    let second = Ctrl::decode(&bytes).expect("re-encoded attributes decode");
    assert_eq!(first, second);
    assert_eq!(encode_attrs(&second, big).expect("encodes again"), bytes);
}

/// Builds the whole message into `buf`; returns its length.
fn build(model: &Ctrl, buf: &mut [u8]) -> (usize, Result<usize, Error>) {
    let mut w = Writer::new(buf);
    let header = GenlHeader::new(Cmd::NewFamily.into(), 2);
    let res = w
        .begin_genl(GENL_ID_CTRL, Flags::NONE, SEQ, header)
        .and_then(|start| {
            model.encode(&mut w)?;
            w.end_message(start)
        });
    (w.len(), res)
}

fn model_first(model: &Ctrl, cap: usize, big: usize) {
    let mut buf = vec![JUNK; big];
    let len = match build(model, &mut buf) {
        (_, Ok(len)) => len,
        // The typed append refuses what the table would reject.
        (_, Err(Error::BadAttrLength { .. })) if !model.names_fit() => return,
        (_, Err(e)) => panic!("encode failed: {e:?}"),
    };
    assert!(
        model.names_fit(),
        "a name longer than its table allows was encoded"
    );
    let bytes = &buf[..len];

    let mut messages = Messages::new(bytes);
    let message = messages.next().expect("one message").expect("it parses");
    assert!(messages.next().is_none());
    let Ok(Reply::Data(message)) = Reply::classify(message) else {
        panic!("not data");
    };
    assert_eq!(
        (message.ty(), message.seq(), message.flags()),
        (GENL_ID_CTRL, SEQ, Flags::REQUEST)
    );
    let family = Family::parse(&message).expect("family parses");
    assert_eq!(family.cmd, Cmd::NewFamily);
    let decoded = Ctrl::decode(family.attrs.bytes()).expect("attributes decode");
    assert_eq!(&decoded, model);
    check_family(&family, model);
    check_policy_reply(&message, model);

    // Again into a buffer that may be too small.
    let cap = cap % (len + 1);
    let mut small = vec![JUNK; cap];
    let (written, res) = build(model, &mut small);
    assert!(
        small[written..].iter().all(|&b| b == JUNK),
        "bytes past the end touched"
    );
    match res {
        Ok(n) => assert_eq!((n, &small[..n]), (len, bytes)),
        Err(Error::NoRoom { needed }) => assert!(
            cap < needed && needed <= len,
            "needed {needed}, cap {cap}, len {len}"
        ),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

/// The `Family` helpers agree with the model.
fn check_family(family: &Family<'_>, model: &Ctrl) {
    assert_eq!(family.id(), model.family_id.unwrap_or(0));
    assert_eq!(
        family.name().as_bytes(),
        model.family_name.as_deref().unwrap_or_default()
    );
    assert_eq!(family.version(), model.version.unwrap_or(0));
    let ops: Vec<Op> = family.ops().map(|op| op.expect("op decodes")).collect();
    let want: Vec<Op> = (model.ops.iter().flatten())
        .map(|(_, op)| Op {
            id: op.id.unwrap_or(0),
            flags: OpFlags(op.flags.unwrap_or(0)),
        })
        .collect();
    assert_eq!(ops, want);
    let groups: Vec<(Vec<u8>, u32)> = (family.mcast_groups())
        .map(|g| g.expect("group decodes"))
        .map(|g| (g.name.as_bytes().to_vec(), g.id))
        .collect();
    let want: Vec<(Vec<u8>, u32)> = (model.mcast_groups.iter().flatten())
        .map(|(_, g)| (g.name.clone().unwrap_or_default(), g.id.unwrap_or(0)))
        .collect();
    assert_eq!(groups, want);
}

fn check_policy_reply(message: &Message<'_>, model: &Ctrl) {
    let first_attr = model.policy.as_ref().map(|p| {
        p.first()
            .and_then(|(i, attrs)| attrs.first().map(|(j, pol)| (*i, *j, pol)))
    });
    let first_op = model.op_policy.as_ref().map(|ops| ops.first());
    let reply = PolicyReply::parse(message).expect("policy reply parses");
    match (first_attr, first_op, reply) {
        (
            Some(Some((i, j, pol))),
            _,
            PolicyReply::Attr {
                policy, attr, info, ..
            },
        ) => {
            assert_eq!((policy, attr), (i, j));
            assert_eq!(&Policy::decode(&info), pol);
        }
        (Some(None), _, PolicyReply::Empty { .. }) => {}
        (
            None,
            Some(Some((op, p))),
            PolicyReply::Op {
                op: got,
                do_policy,
                dump_policy,
                ..
            },
        ) => {
            assert_eq!((got, do_policy, dump_policy), (*op, p.do_, p.dump));
        }
        (None, Some(None) | None, PolicyReply::Empty { .. }) => {}
        (a, o, r) => panic!("policy reply {r:?} for {a:?} / {o:?}"),
    }
}
