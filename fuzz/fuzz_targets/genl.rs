//! nlctrl replies: `Family::parse` with its getters, operations, multicast
//! groups and `Display`; `PolicyReply::parse`; and requests built back from
//! what was decoded.
//!
//! Properties: only nlctrl messages parse; the getters agree with the index;
//! the fixed-capacity copies agree with the iterators (same first error,
//! `CapacityExceeded` exactly past capacity); a request for the decoded name
//! or id decodes to that name or id.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nl_core::Error;
use nl_core::genl::ctrl::{
    self, Cmd, CtrlAttrs, Family, FamilyRef, GENL_ID_CTRL, McastGroup, Op, PolicyReply,
};
use nl_core::genl::split;
use nl_core::nlmsg::{Message, Messages};
use nl_core::table::NlStr;
use nl_fuzz::{debug, display};

fuzz_target!(|data: &[u8]| {
    for message in Messages::new(data).map_while(Result::ok) {
        match Family::parse(&message) {
            Ok(family) => check_family(&message, &family),
            Err(e) if message.ty() != GENL_ID_CTRL => {
                assert_eq!(e, Error::UnexpectedType { ty: message.ty() })
            }
            Err(_) => {}
        }
        check_policy(&message);
    }
});

fn check_family(message: &Message<'_>, f: &Family<'_>) {
    let (header, attrs) = split(message).expect("Family::parse split it");
    assert_eq!(
        (u8::from(f.cmd), f.cmd),
        (header.cmd, Cmd::from(header.cmd))
    );
    assert_eq!(f.attrs.bytes(), attrs);
    assert_eq!(f.id(), f.attrs.get(CtrlAttrs::FAMILY_ID).unwrap_or(0));
    assert_eq!(
        f.name(),
        f.attrs.get(CtrlAttrs::FAMILY_NAME).unwrap_or(NlStr(&[]))
    );
    assert_eq!(f.version(), f.attrs.get(CtrlAttrs::VERSION).unwrap_or(0));
    assert_eq!(f.hdrsize(), f.attrs.get(CtrlAttrs::HDRSIZE).unwrap_or(0));
    assert_eq!(f.maxattr(), f.attrs.get(CtrlAttrs::MAXATTR).unwrap_or(0));

    let ops: Vec<Result<Op, Error>> = f.ops().collect();
    assert!(ops.len() <= attrs.len() / 4);
    let got = f.ops_vec::<8>().map(|v| v.to_vec());
    assert_eq!(got, copy(&ops, 8));

    let groups: Vec<Result<McastGroup<'_>, Error>> = f.mcast_groups().collect();
    assert!(groups.len() <= attrs.len() / 4);
    let got = f.mcast_groups_vec::<4>().map(|v| v.to_vec());
    assert_eq!(got, copy(&groups, 4));
    for group in groups.iter().map_while(|g| g.as_ref().ok()) {
        let Ok(name) = group.name.to_str() else {
            continue;
        };
        let mut want = Ok(None);
        for g in &groups {
            match g {
                Err(e) => want = Err(*e),
                Ok(g) if g.name == name => want = Ok(Some(g.id)),
                Ok(_) => continue,
            }
            break;
        }
        assert_eq!(f.mcast_group(name), want);
    }

    display(f);
    debug(f);
    requests(f);
}

/// What `ops_vec` / `mcast_groups_vec` must give: the first error, or
/// `CapacityExceeded` on the element past `cap`.
fn copy<T: Clone>(items: &[Result<T, Error>], cap: usize) -> Result<Vec<T>, Error> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item = item.clone()?;
        if i == cap {
            return Err(Error::CapacityExceeded);
        }
        out.push(item);
    }
    Ok(out)
}

/// Requests for the decoded name and id decode back to them.
fn requests(f: &Family<'_>) {
    let mut buf = [0xa5u8; 64];
    if let Ok(name) = f.name().to_str() {
        match ctrl::get_family_by_name(&mut buf, 1, name) {
            Ok(request) => assert_eq!(request_family(request).name(), name),
            Err(e) => assert!(name.len() > 15, "{e:?} for {name:?}"),
        }
    }
    let request = ctrl::get_family_by_id(&mut buf, 2, f.id()).expect("fits");
    assert_eq!(request_family(request).id(), f.id());
    let op = f.ops().next().and_then(Result::ok).map(|op| op.id);
    let request = ctrl::dump_policy(&mut buf, 3, FamilyRef::Id(f.id()), op).expect("fits");
    let parsed = request_family(request);
    assert_eq!(
        (parsed.cmd, parsed.id(), parsed.attrs.get(CtrlAttrs::OP)),
        (Cmd::GetPolicy, f.id(), op)
    );
}

fn request_family(request: &[u8]) -> Family<'_> {
    let message = Message::parse(request).expect("request parses");
    assert_eq!(message.len(), request.len());
    Family::parse(&message).expect("request is an nlctrl message")
}

fn check_policy(message: &Message<'_>) {
    let reply = PolicyReply::parse(message);
    let Ok(family) = Family::parse(message) else {
        assert!(reply.is_err());
        return;
    };
    let has_policy = family.attrs.has(CtrlAttrs::POLICY);
    match reply {
        Ok(PolicyReply::Attr {
            family: id, info, ..
        }) => {
            assert!(has_policy && id == family.id());
            display(&info);
        }
        Ok(PolicyReply::Op { family: id, .. }) => {
            assert!(!has_policy && family.attrs.has(CtrlAttrs::OP_POLICY) && id == family.id());
        }
        Ok(PolicyReply::Empty { family: id }) => assert_eq!(id, family.id()),
        Err(_) => assert!(has_policy || family.attrs.has(CtrlAttrs::OP_POLICY)),
    }
}
