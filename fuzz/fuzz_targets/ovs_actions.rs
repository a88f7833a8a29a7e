//! OVS flow actions from arbitrary bytes: iterate the list, validate and
//! walk the nested lists (bounded by MAX_ACTION_DEPTH), print it, then
//! re-encode what decoded with the typed writer.
//!
//! Properties: validate succeeds exactly when the walk does; a valid list
//! re-encodes, and the copy is valid, decodes to the same actions (nested
//! lists compared action by action), prints the same text, and re-encodes
//! to exactly itself; a failed re-encode leaves the writer empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_core::ovs::flow::action::{Action, ActionWriter, Actions, MAX_ACTION_DEPTH, validate, walk};
use nl_core::{Error, Writer};
use nl_fuzz::display;

/// Compares two decoded lists action by action; `Ok(false)` when they differ.
fn same(a: Actions<'_>, b: Actions<'_>) -> Result<bool, Error> {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ok(true),
            (Some(x), Some(y)) => {
                let (x, y) = (x?, y?);
                if !same_action(&x, &y)? {
                    return Ok(false);
                }
            }
            _ => return Ok(false),
        }
    }
}

fn same_action(x: &Action<'_>, y: &Action<'_>) -> Result<bool, Error> {
    let (xl, yl) = (x.nested_lists(), y.nested_lists());
    if xl[0].is_some() || yl[0].is_some() {
        if x.ty() != y.ty() {
            return Ok(false);
        }
        if let (Action::Sample(s), Action::Sample(t)) = (x, y) {
            if s.probability != t.probability {
                return Ok(false);
            }
        }
        if let (Action::CheckPktLen(s), Action::CheckPktLen(t)) = (x, y) {
            if s.pkt_len != t.pkt_len {
                return Ok(false);
            }
        }
        for (p, q) in xl.into_iter().zip(yl) {
            match (p, q) {
                (None, None) => {}
                (Some(p), Some(q)) => {
                    if !same(p, q)? {
                        return Ok(false);
                    }
                }
                _ => return Ok(false),
            }
        }
        return Ok(true);
    }
    Ok(match (x, y) {
        // The NSH nest is copied as bytes; the copy is padded to 4.
        (Action::PushNsh(p), Action::PushNsh(q)) => {
            q.starts_with(p) && q.len() == p.len().next_multiple_of(4)
        }
        _ => x == y,
    })
}

fuzz_target!(|data: &[u8]| {
    let list = Actions::new(data);
    let mut count = 0usize;
    for action in list.clone() {
        match action {
            Ok(a) => {
                count += 1;
                display(&a);
            }
            Err(_) => break,
        }
    }
    let mut deepest = 0usize;
    let walked = walk(list.clone(), 0, &mut |depth, _| {
        deepest = deepest.max(depth);
        Ok(())
    });
    let valid = validate(data);
    assert_eq!(valid, walked);
    assert!(deepest <= MAX_ACTION_DEPTH);
    let text_len = display(&list);
    assert!(text_len > 0);
    assert!(count <= data.len() / 4);

    // Re-encode: may grow by padding, never past this.
    let mut buf = vec![0u8; 4 * data.len() + 64];
    let mut w = Writer::new(&mut buf);
    let copied = ActionWriter::new(&mut w).actions(list.clone());
    match copied {
        Err(e) => {
            assert!(w.is_empty(), "a failed copy leaves nothing");
            assert!(
                valid.is_err() || e == Error::TooLong,
                "{e:?} on a valid list"
            );
        }
        Ok(()) => {
            let copy = w.as_bytes().to_vec();
            assert_eq!(validate(&copy), Ok(()));
            assert!(valid.is_ok(), "copied an invalid list");
            assert_eq!(same(list.clone(), Actions::new(&copy)), Ok(true));
            // The copy is canonical: copying it again gives the same bytes.
            let mut again = vec![0u8; copy.len()];
            let mut w2 = Writer::new(&mut again);
            ActionWriter::new(&mut w2)
                .actions(Actions::new(&copy))
                .expect("a copy re-encodes in its own length");
            assert_eq!(w2.as_bytes(), &copy[..]);
            display(&Actions::new(&copy));
        }
    }
});
