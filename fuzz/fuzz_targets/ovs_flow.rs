//! ovs_flow, the message level: `Flow::parse` and its getters, `Display`
//! and `Debug`; the key, mask and actions walked only through the table
//! `Index`/`Nested` API (so this target does not depend on the key and
//! action readers).
//!
//! Properties: nothing panics; a flow that decodes, written back as a
//! `set` request (its key, mask and actions copied as runs), decodes to the
//! same attributes; the same flow written in place through `append_flow`
//! gives the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_core::Writer;
use nl_core::nlmsg::{Flags, Message, Messages};
use nl_core::ovs::Cmd;
use nl_core::ovs::flow::{Flow, FlowSpec, append_flow, request};
use nl_core::table::{AttrSet, Index, Nested};
use nl_fuzz::{debug, display};

fuzz_target!(|data: &[u8]| {
    for message in Messages::new(data).map_while(Result::ok) {
        if let Ok(flow) = Flow::parse(&message) {
            check(&flow);
        }
    }
});

/// Indexes a nest with its set's table and prints it (the table's text
/// form follows nests to its depth bound).
fn walk<S: AttrSet>(nest: Option<Nested<'_, S>>) {
    if let Some(nest) = nest
        && let Ok(index) = nest.parse()
    {
        display(&index);
        debug(&index);
        let _: Index<'_, S> = index;
        assert_eq!(
            index.iter().filter_map(Result::ok).count(),
            index.iter().count()
        );
    }
}

fn check(flow: &Flow<'_>) {
    display(flow);
    debug(flow);
    walk(flow.key());
    walk(flow.mask());
    walk(flow.actions());
    let _ = (
        flow.stats(),
        flow.used(),
        flow.tcp_flags(),
        flow.ufid_flags(),
    );
    let spec = FlowSpec {
        key: flow.key().map(|n| n.bytes()),
        mask: flow.mask().map(|n| n.bytes()),
        actions: flow.actions().map(|n| n.bytes()),
        ufid: flow.ufid(),
        ufid_flags: flow.ufid_flags(),
        probe: flow.probe(),
        clear: flow.clear(),
    };
    let mut buf = vec![0xa5u8; 70_000];
    let Ok(bytes) = request::set(&mut buf, 0x23, 1, flow.dp_ifindex(), &spec) else {
        return; // a nest whose run no longer fits once its header is added
    };
    let message = Message::parse(bytes).expect("a request parses");
    let back = Flow::parse(&message).expect("what set writes decodes");
    assert_eq!(back.dp_ifindex(), flow.dp_ifindex());
    assert_eq!(back.key().map(|n| n.bytes()), spec.key);
    assert_eq!(back.mask().map(|n| n.bytes()), spec.mask);
    assert_eq!(back.actions().map(|n| n.bytes()), spec.actions);
    assert_eq!(back.ufid(), flow.ufid());
    assert_eq!(back.ufid_flags(), flow.ufid_flags());
    assert_eq!((back.probe(), back.clear()), (flow.probe(), flow.clear()));

    // The same through the in-place writer (which pads a run it copies:
    // only whole-word runs give the same bytes).
    let runs = [spec.key, spec.mask, spec.actions];
    if runs.iter().flatten().any(|run| run.len() % 4 != 0) {
        return;
    }
    let set = bytes.to_vec();
    let mut buf = vec![0xa5u8; 70_000];
    let mut w = Writer::new(&mut buf);
    append_flow(
        &mut w,
        0x23,
        Flags::REQUEST,
        1,
        0,
        Cmd::Set,
        flow.dp_ifindex(),
        |f| {
            if let Some(key) = spec.key {
                f.key(|w| w.put_bytes(key))?;
            }
            if let Some(actions) = spec.actions {
                f.actions(|w| w.put_bytes(actions))?;
            }
            if spec.clear {
                f.clear()?;
            }
            if let Some(mask) = spec.mask {
                f.mask(|w| w.put_bytes(mask))?;
            }
            if spec.probe {
                f.probe()?;
            }
            if let Some(ufid) = spec.ufid {
                f.ufid(ufid)?;
            }
            if let Some(flags) = spec.ufid_flags {
                f.ufid_flags(flags)?;
            }
            Ok(())
        },
    )
    .expect("fits as the spec did");
    assert_eq!(w.as_bytes(), &set[..]);
}
