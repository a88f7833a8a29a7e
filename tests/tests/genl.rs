//! Generic netlink family resolution through nl-uring, checked against
//! iproute2's `genl ctrl list` / `genl ctrl get` / `genl ctrl policy`.

use std::collections::BTreeSet;

use nl_core::errno::Errno;
use nl_core::genl::ctrl::{OpFlags, PolicyReply};
use nl_core::policy::{AttrKindCode, PolicyAttrs};
use nl_core::table::Index;
use nl_tests::genl_text::{self, GenlText};
use nl_tests::{netns_or_skip, run, run_ok};
use nl_uring::{Error, GenlFamilies, GenlFamily, Protocol, Socket, genl};

/// Checks `ours` against what `genl` printed for the same family.
fn assert_same(ours: &GenlFamily, theirs: &GenlText) {
    let name = &ours.name;
    assert_eq!(ours.name, theirs.name);
    assert_eq!(ours.id, theirs.id, "{name}: id");
    assert_eq!(ours.version, theirs.version, "{name}: version");
    assert_eq!(ours.hdrsize, theirs.hdrsize, "{name}: hdrsize");
    assert_eq!(ours.maxattr, theirs.maxattr, "{name}: maxattr");
    let ids: Vec<u32> = ours.ops.iter().map(|op| op.id).collect();
    let their_ids: Vec<u32> = theirs.ops.iter().map(|op| op.0).collect();
    assert_eq!(ids, their_ids, "{name}: operation ids");
    for (op, (id, flags)) in ours.ops.iter().zip(&theirs.ops) {
        match flags {
            Some(flags) => assert_eq!(op.flags, OpFlags(*flags), "{name}: op {id:#x} flags"),
            // genl prints flags for version >= 2 only.
            None => assert!(theirs.version < 2, "{name}: op {id:#x} without flags"),
        }
    }
    let groups: Vec<(u32, String)> = ours.groups.iter().map(|g| (g.id, g.name.clone())).collect();
    assert_eq!(groups, theirs.groups, "{name}: multicast groups");
}

fn genl_list() -> Vec<GenlText> {
    let families = genl_text::parse(&run_ok("genl", &["ctrl", "list"]));
    assert!(families.len() >= 2, "genl ctrl list printed too little");
    families
}

#[test]
fn resolves_nlctrl_and_mptcp_pm_like_genl() {
    netns_or_skip!();
    let listed = genl_list();
    let mut socket = Socket::open(Protocol::Generic).unwrap();
    let mut families = GenlFamilies::new();
    for name in ["nlctrl", "mptcp_pm"] {
        let theirs = listed
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("genl does not list {name}"));
        let ours = families.resolve(&mut socket, name).unwrap().clone();
        assert_same(&ours, theirs);
    }
    // Facts worth pinning beyond the cross-check.
    let nlctrl = families.cached("nlctrl").unwrap();
    assert_eq!(nlctrl.id, 0x10);
    let getfamily = nlctrl.op(3).expect("CTRL_CMD_GETFAMILY");
    assert!(
        getfamily
            .flags
            .contains(OpFlags::CMD_CAP_DO | OpFlags::CMD_CAP_DUMP)
    );
    let mptcp_events = listed
        .iter()
        .find(|f| f.name == "mptcp_pm")
        .and_then(|f| f.groups.iter().find(|g| g.1 == "mptcp_pm_events"))
        .map(|g| g.0);
    assert_eq!(
        families
            .resolve_group(&mut socket, "mptcp_pm", "mptcp_pm_events")
            .unwrap(),
        mptcp_events
    );
    assert_eq!(
        families
            .resolve_group(&mut socket, "mptcp_pm", "no_such_group")
            .unwrap(),
        None
    );
}

#[test]
fn resolving_from_the_cache_sends_nothing() {
    netns_or_skip!();
    let mut socket = Socket::open(Protocol::Generic).unwrap();
    let mut families = GenlFamilies::new();
    let first = families.resolve(&mut socket, "nlctrl").unwrap().clone();
    let before = socket.next_seq();
    let again = families.resolve(&mut socket, "nlctrl").unwrap().clone();
    assert_eq!(socket.next_seq(), before + 1, "no request was sent");
    assert_eq!(first, again);
    families.forget("nlctrl");
    assert!(families.cached("nlctrl").is_none());
    families.resolve(&mut socket, "nlctrl").unwrap();
    assert_eq!(socket.next_seq(), before + 3, "one request after forget");
}

#[test]
fn dump_of_all_families_matches_genl_ctrl_list() {
    netns_or_skip!();
    let listed = genl_list();
    let mut socket = Socket::open(Protocol::Generic).unwrap();
    let mut cache = GenlFamilies::new();
    let ours = cache.refresh(&mut socket).unwrap();
    let names: Vec<&str> = ours.iter().map(|f| f.name.as_str()).collect();
    let their_names: Vec<&str> = listed.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, their_names);
    for (ours, theirs) in ours.iter().zip(&listed) {
        assert_same(ours, theirs);
        assert_eq!(cache.cached(&ours.name), Some(ours));
    }
}

#[test]
fn unknown_family_is_enoent_like_genl_reports() {
    netns_or_skip!();
    let name = "nosuchfamily";
    let out = run("genl", &["ctrl", "get", "name", name]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();

    let mut socket = Socket::open(Protocol::Generic).unwrap();
    let mut families = GenlFamilies::new();
    let err = families.resolve(&mut socket, name).unwrap_err();
    let kernel = err
        .kernel()
        .unwrap_or_else(|| panic!("not a kernel error: {err}"));
    assert_eq!(kernel.errno, Errno(2), "ENOENT");
    assert!(!kernel.in_done);
    // genl prints the extack text as "Error: TEXT." when there is one and
    // then strerror after "RTNETLINK answers: ".
    assert_eq!(
        kernel.message,
        nl_tests::iproute2_error_text(&stderr),
        "genl said: {stderr}"
    );
    if kernel.message.is_none() {
        assert!(
            stderr.contains(&format!("RTNETLINK answers: {}", kernel.text())),
            "genl said: {stderr}, we say: {}",
            kernel.text()
        );
    }
    assert!(families.cached(name).is_none(), "failures are not cached");
    // The socket is still in step.
    families.resolve(&mut socket, "nlctrl").unwrap();
}

#[test]
fn family_requests_need_a_generic_socket() {
    netns_or_skip!();
    let mut socket = Socket::open(Protocol::Route).unwrap();
    let err = GenlFamilies::new()
        .resolve(&mut socket, "nlctrl")
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
}

/// One line of `genl ctrl policy`, normalized: `op 3: do=0 dump=0` or
/// `policy[0]:attr[1]: type=U16 range:[0,65535]` with only the fields
/// both sides print.
fn genl_policy_lines(family: &str) -> BTreeSet<String> {
    run_ok("genl", &["ctrl", "policy", "name", family])
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let (_, rest) = line.split_once("  ")?;
            Some(match rest.strip_prefix("op ") {
                Some(op) => format!("op {}", op.replace(" policies:", ":")),
                None => rest.to_owned(),
            })
        })
        .collect()
}

/// The same line from our decoded reply.
fn our_policy_line(reply: &PolicyReply<'_>) -> Option<String> {
    match reply {
        PolicyReply::Op {
            op,
            do_policy,
            dump_policy,
            ..
        } => {
            let mut line = format!("op {op}:");
            if let Some(p) = do_policy {
                line += &format!(" do={p}");
            }
            if let Some(p) = dump_policy {
                line += &format!(" dump={p}");
            }
            Some(line)
        }
        PolicyReply::Attr {
            policy, attr, info, ..
        } => Some(format!("policy[{policy}]:attr[{attr}]: {}", describe(info))),
        PolicyReply::Empty { .. } => None,
    }
}

/// Written in iproute2's words, field by field, from the decoded policy.
fn describe(info: &Index<'_, PolicyAttrs>) -> String {
    let kind = AttrKindCode::from(info.get(PolicyAttrs::TYPE).unwrap());
    let mut text = format!(
        "type={}",
        kind.name()
            .unwrap_or("unknown")
            .to_uppercase()
            .replace('-', "_")
    );
    if let Some(idx) = info.get(PolicyAttrs::POLICY_IDX) {
        text += &format!(" policy:{idx}");
    }
    if let Some(max) = info.get(PolicyAttrs::POLICY_MAXTYPE) {
        text += &format!(" maxattr:{max}");
    }
    if let (Some(min), Some(max)) = (
        info.get(PolicyAttrs::MIN_VALUE_S),
        info.get(PolicyAttrs::MAX_VALUE_S),
    ) {
        text += &format!(" range:[{min},{max}]");
    }
    if let (Some(min), Some(max)) = (
        info.get(PolicyAttrs::MIN_VALUE_U),
        info.get(PolicyAttrs::MAX_VALUE_U),
    ) {
        text += &format!(" range:[{min},{max}]");
    }
    if let Some(min) = info.get(PolicyAttrs::MIN_LENGTH) {
        text += &format!(" min len:{min}");
    }
    if let Some(max) = info.get(PolicyAttrs::MAX_LENGTH) {
        text += &format!(" max len:{max}");
    }
    text
}

#[test]
fn policy_dump_matches_genl_ctrl_policy() {
    netns_or_skip!();
    let mut socket = Socket::open(Protocol::Generic).unwrap();
    for family in ["nlctrl", "mptcp_pm"] {
        let mut ours = BTreeSet::new();
        let summary = genl::dump_policy(&mut socket, family, None, |reply| {
            ours.extend(our_policy_line(&reply));
        })
        .unwrap();
        assert!(summary.messages > 0);
        let theirs = genl_policy_lines(family);
        assert!(theirs.len() > 2, "genl printed too little for {family}");
        assert_eq!(ours, theirs, "{family}");
    }
    let err = genl::dump_policy(&mut socket, "nosuchfamily", None, |_| {}).unwrap_err();
    assert_eq!(err.kernel().map(|k| k.errno), Some(Errno(2)), "{err}");
}
