//! The policy check (`nl_uring::policy_check`) against this kernel: nl-core's
//! declarations of nlctrl and mptcp_pm agree with `CTRL_CMD_GETPOLICY`, a
//! planted mismatch is found, and the per-operation policies fetched are
//! the ones iproute2's `genl ctrl policy` lists.

use std::collections::BTreeSet;

use nl_core::genl::ctrl::{self, CtrlAttrs};
use nl_core::genl::decl::{FamilyDecl, OpDecl};
use nl_core::policy::AttrKindCode;
use nl_core::table::AttrSet;
use nl_tests::{netns_or_skip, run_ok};
use nl_uring::policy_check::{
    self, At, AttrPolicy, Difference, KernelOp, KernelPolicies, Note, Request,
};
use nl_uring::{Protocol, Socket};

fn generic_socket() -> Socket {
    Socket::open(Protocol::Generic).unwrap()
}

/// Every `(attribute type, TYPE)` pair `genl ctrl policy name FAMILY`
/// prints, from lines like `policy[0]:attr[1]: type=U16 range:[0,65535]`.
fn genl_attr_kinds(family: &str) -> BTreeSet<(u16, String)> {
    let text = run_ok("genl", &["ctrl", "policy", "name", family]);
    text.lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once(":attr[")?;
            let (ty, rest) = rest.split_once("]: type=")?;
            let kind = rest.split_whitespace().next()?;
            Some((ty.parse().unwrap(), kind.to_owned()))
        })
        .collect()
}

/// The same pairs from the per-operation policies we fetched, in genl's
/// words (`NUL_STRING` for `nul-string`).
fn our_attr_kinds(kernel: &KernelPolicies) -> BTreeSet<(u16, String)> {
    kernel
        .ops
        .values()
        .flat_map(|op| op.policies.values())
        .flat_map(|policy| policy.iter())
        .map(|(&ty, p)| {
            let name = p.kind.name().expect("a kind this library names");
            (ty, name.to_uppercase().replace('-', "_"))
        })
        .collect()
}

#[test]
fn nlctrl_agrees_with_its_declaration() {
    netns_or_skip!();
    let mut socket = generic_socket();
    let report = policy_check::check(&mut socket, &ctrl::FAMILY).unwrap();
    assert_eq!(report.family, "nlctrl");
    assert!(report.passed(), "{:#?}", report.differences);
    assert_eq!(report.notes, [], "nlctrl has exactly the ops we declare");
}

#[test]
fn nlctrl_policies_as_fetched_per_operation() {
    netns_or_skip!();
    let mut socket = generic_socket();
    let kernel = policy_check::fetch(&mut socket, &ctrl::FAMILY).unwrap();
    assert_eq!(kernel.family, "nlctrl");
    assert_eq!(kernel.ops.keys().copied().collect::<Vec<_>>(), [3, 10]);
    let id = AttrPolicy::new(AttrKindCode::U16).range_u(0, 65535);
    let name = AttrPolicy::new(AttrKindCode::NulString).lengths(None, Some(15));
    let op = AttrPolicy::new(AttrKindCode::U32).range_u(0, u32::MAX.into());
    // getfamily: do and dump share policy 0.
    let getfamily = &kernel.ops[&3];
    assert_eq!(
        getfamily,
        &KernelOp {
            has_do: true,
            has_dump: true,
            do_policy: Some(0),
            dump_policy: Some(0),
            policies: [(0, [(1, id), (2, name)].into())].into(),
        }
    );
    // getpolicy is dump-only: its own dump numbers its policy 0 too.
    let getpolicy = &kernel.ops[&10];
    assert_eq!(
        getpolicy,
        &KernelOp {
            has_do: false,
            has_dump: true,
            do_policy: None,
            dump_policy: Some(0),
            policies: [(0, [(1, id), (2, name), (10, op)].into())].into(),
        }
    );
    assert_eq!(our_attr_kinds(&kernel), genl_attr_kinds("nlctrl"));
}

nl_core::attr_set! {
    /// nlctrl's attributes, declared wrong on purpose: `family-id` as a
    /// u32, no `family-name`, and a `maxattr` the requests do not take.
    pub struct WrongCtrlAttrs = "wrong-ctrl-attrs" {
        /// Family id, as a u32 (the kernel: u16).
        1 FAMILY_ID "family-id": u32;
        /// Highest attribute type: the kernel takes no such request attribute.
        5 MAXATTR "maxattr": u32;
        /// Restrict a policy dump to one operation (right).
        10 OP "op": u32;
    }
}

/// getfamily (do only) with `family-id` and `maxattr`; getpolicy (dump)
/// with `family-id` and `op`.
static WRONG_NLCTRL: FamilyDecl = FamilyDecl {
    name: "nlctrl",
    ops: &[
        OpDecl {
            cmd: 3,
            name: "getfamily",
            attrs: <WrongCtrlAttrs as AttrSet>::table,
            do_request: Some(&[1, 5]),
            dump_request: None,
        },
        OpDecl {
            cmd: 10,
            name: "getpolicy",
            attrs: <WrongCtrlAttrs as AttrSet>::table,
            do_request: None,
            dump_request: Some(&[1, 10]),
        },
    ],
};

#[test]
fn a_planted_mismatch_is_found() {
    netns_or_skip!();
    let mut socket = generic_socket();
    let report = policy_check::check(&mut socket, &WRONG_NLCTRL).unwrap();
    let at = |op, request, path: &str| At {
        op,
        request,
        path: path.to_owned(),
    };
    assert_eq!(
        report.differences,
        [
            Difference::KindMismatch {
                at: at("getfamily", Request::Do, "family-id"),
                ours: "u32",
                kernel: AttrKindCode::U16,
            },
            Difference::AttrNotAccepted {
                at: at("getfamily", Request::Do, "maxattr"),
                ours: "u32",
            },
            Difference::AttrNotDeclared {
                at: at("getfamily", Request::Do, "2"),
                kernel: AttrKindCode::NulString,
            },
            Difference::RequestNotDeclared {
                op: "getfamily",
                request: Request::Dump,
            },
            Difference::KindMismatch {
                at: at("getpolicy", Request::Dump, "family-id"),
                ours: "u32",
                kernel: AttrKindCode::U16,
            },
            Difference::AttrNotDeclared {
                at: at("getpolicy", Request::Dump, "2"),
                kernel: AttrKindCode::NulString,
            },
        ]
    );
    let texts: Vec<String> = report.differences.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        texts,
        [
            "getfamily: family-id: ours u32, kernel u16",
            "getfamily: maxattr: ours u32, not accepted by the kernel",
            "getfamily: 2: kernel accepts nul-string, not declared",
            "getfamily: the kernel has a dump, not declared",
            "getpolicy (dump): family-id: ours u32, kernel u16",
            "getpolicy (dump): 2: kernel accepts nul-string, not declared",
        ]
    );
    assert!(!report.passed());
}

/// nlctrl with an operation it does not have (99) and a request kind it
/// lacks (a do of getpolicy).
static MISSING_NLCTRL: FamilyDecl = FamilyDecl {
    name: "nlctrl",
    ops: &[
        OpDecl {
            cmd: 10,
            name: "getpolicy",
            attrs: <CtrlAttrs as AttrSet>::table,
            do_request: Some(&[1]),
            dump_request: Some(&[1, 2, 10]),
        },
        OpDecl {
            cmd: 99,
            name: "nosuchop",
            attrs: <CtrlAttrs as AttrSet>::table,
            do_request: Some(&[1]),
            dump_request: None,
        },
    ],
};

#[test]
fn missing_operations_and_request_kinds() {
    netns_or_skip!();
    let mut socket = generic_socket();
    let report = policy_check::check(&mut socket, &MISSING_NLCTRL).unwrap();
    assert_eq!(
        report.differences,
        [
            Difference::RequestMissing {
                op: "getpolicy",
                request: Request::Do,
            },
            Difference::OpMissing {
                op: "nosuchop",
                cmd: 99,
            },
        ]
    );
    assert_eq!(report.notes, [Note::OpNotDeclared { cmd: 3 }]);
}

#[test]
fn an_unknown_family_is_the_kernels_error() {
    netns_or_skip!();
    static NOSUCH: FamilyDecl = FamilyDecl {
        name: "nosuchfamily",
        ops: &[],
    };
    let mut socket = generic_socket();
    let err = policy_check::check(&mut socket, &NOSUCH).unwrap_err();
    assert_eq!(err.kernel().map(|k| k.errno.name()), Some(Some("ENOENT")));
}

#[test]
fn mptcp_pm_agrees_with_its_declaration() {
    netns_or_skip!();
    let mut socket = generic_socket();
    let report = policy_check::check(&mut socket, &nl_core::mptcp::FAMILY).unwrap();
    assert_eq!(report.family, "mptcp_pm");
    assert!(report.passed(), "{:#?}", report.differences);
    // addr4 (an NLA_BE32) is the one attribute the dump cannot describe.
    for note in &report.notes {
        match note {
            Note::Undescribed { at, ours } => {
                assert!(at.path.ends_with(".addr4"), "{note}");
                assert_eq!(*ours, "ipv4", "{note}");
            }
            other => panic!("unexpected note: {other}"),
        }
    }
    assert!(!report.notes.is_empty());
    let kernel = policy_check::fetch(&mut socket, &nl_core::mptcp::FAMILY).unwrap();
    assert_eq!(our_attr_kinds(&kernel), genl_attr_kinds("mptcp_pm"));
}
