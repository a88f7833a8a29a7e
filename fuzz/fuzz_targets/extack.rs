//! Extended ACK attributes: `ExtAck::parse`, its getters, and the mapping of
//! its offsets back into a fixed request with nests and nested arrays.
//!
//! The request is built here with the `Writer`, recording where each
//! attribute starts and ends; `locate` and `missing_name` must agree with
//! that record for whatever offsets the input carries. The input is also
//! used as a request of its own, where only the outermost attribute is known.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use nl_core::Writer;
use nl_core::attr::AttrIter;
use nl_core::genl::GenlHeader;
use nl_core::genl::ctrl::{Cmd, CtrlAttrs, GENL_ID_CTRL, OpAttrs};
use nl_core::nlmsg::{ExtAck, Flags, RequestLayout};
use nl_core::policy::PolicyAttrs;
use nl_core::table::{AttrPath, AttrSet, MAX_DEPTH, PathElem, Table, locate};
use nl_fuzz::display;

/// A path as (type, how `Display` shows the step) pairs, outermost first.
type Elems = Vec<(u16, String)>;

/// One attribute of the fixed request.
struct Span {
    start: usize,
    /// Header plus payload, without padding.
    end: usize,
    depth: usize,
    ty: u16,
    /// `name`, `[index]` for an array element, `type N` for an unknown type.
    label: &'static str,
    /// The set its payload belongs to, when it is a nest of a named set.
    inner: Option<&'static Table>,
}

struct Request {
    bytes: Vec<u8>,
    spans: Vec<Span>,
}

fuzz_target!(|data: &[u8]| {
    let Ok(ext) = ExtAck::parse(data) else { return };
    getters(&ext);
    let req = request();
    let layout = RequestLayout {
        header_len: GenlHeader::LEN,
        attrs: CtrlAttrs::table(),
    };

    let expected = ext.offset().and_then(|off| req.path(off as usize));
    let got = ext.locate(&req.bytes, layout);
    assert_eq!(
        got.as_ref().map(flatten),
        expected.as_ref().map(|p| p.0.clone())
    );
    if let (Some(got), Some((_, inner))) = (&got, &expected) {
        assert_eq!(got.inner_table.map(|t| t.name), inner.map(|t| t.name));
        check_display(got);
    }

    let table = match ext.missing_nest() {
        Some(nest) => req.path(nest as usize).and_then(|(_, inner)| inner),
        None => Some(CtrlAttrs::table()),
    };
    let ty = ext.missing_type().and_then(|ty| u16::try_from(ty).ok());
    let expected = table.zip(ty).and_then(|(t, ty)| t.name_of(ty));
    assert_eq!(ext.missing_name(&req.bytes, layout), expected);

    // The input as the attributes of a request of its own.
    for off in [
        ext.offset(),
        ext.missing_nest(),
        Some(data.len() as u32 / 2),
    ]
    .into_iter()
    .flatten()
    {
        let off = off as usize;
        let Some(path) = locate(data, off, CtrlAttrs::table()) else {
            continue;
        };
        assert!(!path.elems.is_empty() && path.elems.len() <= MAX_DEPTH);
        let mut it = AttrIter::new(data);
        let outer = loop {
            let start = it.offset();
            let attr = it
                .next()
                .expect("locate found an attribute")
                .expect("before any error");
            if (start..start + 4 + attr.payload().len()).contains(&off) {
                break attr;
            }
        };
        assert_eq!(path.elems[0].ty, outer.ty());
        check_display(&path);
    }
});

fn getters(ext: &ExtAck<'_>) {
    if let Some(text) = ext.message() {
        assert!(!text.as_bytes().contains(&0));
        display(&text);
    }
    if let Some(cookie) = ext.cookie() {
        assert!(cookie.len() <= 20);
    }
    if let Some(Ok(policy)) = ext.policy().map(|p| p.parse()) {
        let _ = (policy.get(PolicyAttrs::TYPE), policy.get(PolicyAttrs::MASK));
        display(&policy);
    }
    assert_eq!(ext.is_empty(), ext.attrs().bytes().is_empty());
    display(ext.attrs());
}

fn flatten(path: &AttrPath) -> Elems {
    path.elems.iter().map(|e| (e.ty, label(e))).collect()
}

fn label(e: &PathElem) -> String {
    match (e.name, e.element) {
        (Some(name), _) => name.to_owned(),
        (None, true) => format!("[{}]", e.ty),
        (None, false) => format!("type {}", e.ty),
    }
}

/// Steps joined with dots.
fn check_display(path: &AttrPath) {
    let want: Vec<String> = path.elems.iter().map(label).collect();
    assert_eq!(path.to_string(), want.join("."));
}

impl Request {
    /// The attributes holding `offset`, outermost first, and the set of the
    /// innermost one's payload; `None` when no attribute holds it.
    fn path(&self, offset: usize) -> Option<(Elems, Option<&'static Table>)> {
        let held: Vec<&Span> = self
            .spans
            .iter()
            .filter(|s| (s.start..s.end).contains(&offset))
            .collect();
        let last = held.last()?;
        assert!(held.iter().enumerate().all(|(i, s)| s.depth == i));
        Some((
            held.iter().map(|s| (s.ty, s.label.to_owned())).collect(),
            last.inner,
        ))
    }
}

/// `CTRL_CMD_GETPOLICY` with a name, an ops array of op nests, a policy
/// array of arrays of policy nests, an op, and an attribute nlctrl lacks.
fn request() -> &'static Request {
    static REQUEST: OnceLock<Request> = OnceLock::new();
    REQUEST.get_or_init(|| {
        let mut buf = [0u8; 256];
        let mut w = Writer::new(&mut buf);
        let mut spans = Vec::new();
        let header = GenlHeader::new(Cmd::GetPolicy.into(), 2);
        let msg = w.begin_genl(GENL_ID_CTRL, Flags::ACK, 1, header).unwrap();
        let ops = OpAttrs::table();
        let policy = PolicyAttrs::table();

        let at = w.len();
        w.put(CtrlAttrs::FAMILY_NAME, "nlctrl").unwrap(); // 11 bytes and 1 of padding
        spans.push(span(&w, at, 0, 2, "family-name", None));

        let outer = w.len();
        let nest = w.nest(CtrlAttrs::OPS).unwrap();
        for (i, (id, flags)) in [(3u32, 0x0eu32), (10, 0x0c)].into_iter().enumerate() {
            let el = w.len();
            let token = w.nest_start(i as u16).unwrap();
            for (ty, name, value) in [(1, "id", id), (2, "flags", flags)] {
                let at = w.len();
                w.attr(ty, &value.to_ne_bytes()).unwrap();
                spans.push(span(&w, at, 2, ty, name, None));
            }
            w.nest_end(token).unwrap();
            spans.push(span(&w, el, 1, i as u16, ["[0]", "[1]"][i], Some(ops)));
        }
        w.nest_end(nest).unwrap();
        spans.push(span(&w, outer, 0, 6, "ops", None));

        let outer = w.len();
        let nest = w.nest(CtrlAttrs::POLICY).unwrap();
        let mid = w.len();
        let idx = w.nest_start(0).unwrap();
        let el = w.len();
        let attr = w.nest_start(3).unwrap();
        let at = w.len();
        w.put(PolicyAttrs::TYPE, 3).unwrap();
        spans.push(span(&w, at, 3, 1, "type", None));
        let at = w.len();
        w.put(PolicyAttrs::MAX_VALUE_U, 0xffff).unwrap();
        spans.push(span(&w, at, 3, 5, "max-value-u", None));
        w.nest_end(attr).unwrap();
        spans.push(span(&w, el, 2, 3, "[3]", Some(policy)));
        w.nest_end(idx).unwrap();
        spans.push(span(&w, mid, 1, 0, "[0]", None));
        w.nest_end(nest).unwrap();
        spans.push(span(&w, outer, 0, 8, "policy", None));

        let at = w.len();
        w.put(CtrlAttrs::OP, 3).unwrap();
        spans.push(span(&w, at, 0, 10, "op", None));
        let at = w.len();
        w.attr(60, &[1, 2, 3, 4]).unwrap();
        spans.push(span(&w, at, 0, 60, "type 60", None));

        w.end_message(msg).unwrap();
        spans.sort_by_key(|s| (s.start, s.depth));
        Request {
            bytes: w.as_bytes().to_vec(),
            spans,
        }
    })
}

fn span(
    w: &Writer<'_>,
    start: usize,
    depth: usize,
    ty: u16,
    label: &'static str,
    inner: Option<&'static Table>,
) -> Span {
    let bytes = w.as_bytes();
    let len = u16::from_ne_bytes([bytes[start], bytes[start + 1]]);
    Span {
        start,
        end: start + usize::from(len),
        depth,
        ty,
        label,
        inner,
    }
}
