//! Unit tests of the comparison, with planted kernel policies.

use std::collections::BTreeMap;

use nl_core::genl::decl::{FamilyDecl, OpDecl};
use nl_core::policy::{AttrKindCode as K, PolicyAttrs};
use nl_core::table::{AttrSet, Binary, Index, Ipv4, Ipv6, Kind, Nest, NulStr};

use super::compare::Walk;
use super::*;

nl_core::attr_set! {
    /// An address nest, like mptcp_pm's.
    pub struct AddrAttrs = "address" {
        /// Address family.
        1 FAMILY "family": u16;
        /// Endpoint id.
        2 ID "id": u8;
        /// IPv4 address (big-endian).
        3 ADDR4 "addr4": Ipv4;
        /// IPv6 address.
        4 ADDR6 "addr6": Ipv6;
        /// Port.
        5 PORT "port": u16;
    }
}

nl_core::attr_set! {
    /// The requests' top-level set.
    pub struct TopAttrs = "top" {
        /// The address.
        1 ADDR "addr": Nest<AddrAttrs>;
        /// A name of at most 15 bytes.
        2 NAME "name": NulStr<15>;
        /// A token.
        3 TOKEN "token": u32;
        /// Opaque bytes.
        4 BLOB "blob": Binary<4, 8>;
    }
}

/// add-addr: do with `addr`; get-addr: do and dump with `addr`, `token`;
/// set-name: do with `name`, `blob`.
static DECL: FamilyDecl = FamilyDecl {
    name: "test",
    ops: &[
        OpDecl {
            cmd: 1,
            name: "add-addr",
            attrs: <TopAttrs as AttrSet>::table,
            do_request: Some(&[1]),
            dump_request: None,
        },
        OpDecl {
            cmd: 3,
            name: "get-addr",
            attrs: <TopAttrs as AttrSet>::table,
            do_request: Some(&[1, 3]),
            dump_request: Some(&[1, 3]),
        },
        OpDecl {
            cmd: 4,
            name: "set-name",
            attrs: <TopAttrs as AttrSet>::table,
            do_request: Some(&[2, 4]),
            dump_request: None,
        },
    ],
};

fn u16_policy() -> AttrPolicy {
    AttrPolicy::new(K::U16).range_u(0, u16::MAX.into())
}

/// The address policy as this kernel dumps mptcp_pm's: no type 3.
fn addr_policy() -> Policy {
    Policy::from([
        (1, u16_policy()),
        (2, AttrPolicy::new(K::U8).range_u(0, 255)),
        (4, AttrPolicy::new(K::Binary).lengths(Some(16), Some(16))),
        (5, u16_policy()),
    ])
}

/// A kernel that agrees with [`DECL`].
fn kernel() -> KernelPolicies {
    let addr_op = KernelOp {
        has_do: true,
        do_policy: Some(0),
        policies: BTreeMap::from([
            (
                0,
                Policy::from([(1, AttrPolicy::new(K::Nested).nested(1, 5))]),
            ),
            (1, addr_policy()),
        ]),
        ..KernelOp::default()
    };
    let get_op = KernelOp {
        has_do: true,
        has_dump: true,
        do_policy: Some(0),
        dump_policy: Some(0),
        policies: BTreeMap::from([
            (
                0,
                Policy::from([
                    (1, AttrPolicy::new(K::Nested).nested(1, 5)),
                    (3, AttrPolicy::new(K::U32).range_u(0, u32::MAX.into())),
                ]),
            ),
            (1, addr_policy()),
        ]),
    };
    let name_op = KernelOp {
        has_do: true,
        do_policy: Some(0),
        policies: BTreeMap::from([(
            0,
            Policy::from([
                (2, AttrPolicy::new(K::NulString).lengths(None, Some(15))),
                (4, AttrPolicy::new(K::Binary).lengths(Some(4), Some(8))),
            ]),
        )]),
        ..KernelOp::default()
    };
    KernelPolicies {
        family: "test".to_owned(),
        ops: BTreeMap::from([(1, addr_op), (3, get_op), (4, name_op)]),
    }
}

fn at(op: &'static str, request: Request, path: &str) -> At {
    At {
        op,
        request,
        path: path.to_owned(),
    }
}

fn texts<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

#[test]
fn an_agreeing_kernel_passes_with_the_undescribed_be32_noted() {
    let report = compare(&DECL, &kernel());
    assert!(report.passed(), "{:?}", report.differences);
    assert_eq!(report.family, "test");
    assert_eq!(
        texts(&report.notes),
        [
            "add-addr: addr.addr4: ours ipv4, undescribed by the kernel's policy dump",
            "get-addr: addr.addr4: ours ipv4, undescribed by the kernel's policy dump",
            "get-addr (dump): addr.addr4: ours ipv4, undescribed by the kernel's policy dump",
        ]
    );
}

#[test]
fn a_kind_mismatch_in_a_nest_names_the_path() {
    let mut kernel = kernel();
    let add = kernel.ops.get_mut(&1).unwrap();
    let addr = add.policies.get_mut(&1).unwrap();
    addr.insert(5, AttrPolicy::new(K::U32).range_u(0, u32::MAX.into()));
    let report = compare(&DECL, &kernel);
    assert_eq!(
        report.differences,
        [Difference::KindMismatch {
            at: at("add-addr", Request::Do, "addr.port"),
            ours: "u16",
            kernel: K::U32,
        }]
    );
    assert_eq!(
        texts(&report.differences),
        ["add-addr: addr.port: ours u16, kernel u32"]
    );
    assert!(!report.passed());
}

#[test]
fn nested_attributes_missing_on_either_side() {
    let mut kernel = kernel();
    let get = kernel.ops.get_mut(&3).unwrap();
    let addr = get.policies.get_mut(&1).unwrap();
    addr.remove(&2); // the kernel no longer takes "id"
    addr.insert(6, AttrPolicy::new(K::U32)); // and takes a new type 6
    let report = compare(&DECL, &kernel);
    // The do and the dump share the policy: each reports it.
    assert_eq!(
        texts(&report.differences),
        [
            "get-addr: addr.id: ours u8, not accepted by the kernel",
            "get-addr: addr.6: kernel accepts u32, not declared",
            "get-addr (dump): addr.id: ours u8, not accepted by the kernel",
            "get-addr (dump): addr.6: kernel accepts u32, not declared",
        ]
    );
}

#[test]
fn length_mismatches() {
    let mut kernel = kernel();
    let name = kernel
        .ops
        .get_mut(&4)
        .unwrap()
        .policies
        .get_mut(&0)
        .unwrap();
    name.insert(2, AttrPolicy::new(K::NulString).lengths(None, Some(10)));
    name.insert(4, AttrPolicy::new(K::Binary).lengths(Some(4), Some(6)));
    let report = compare(&DECL, &kernel);
    assert_eq!(
        report.differences,
        [
            Difference::LengthMismatch {
                at: at("set-name", Request::Do, "name"),
                ours_kind: "nul-string",
                ours: Bounds {
                    min: 0,
                    max: Some(15)
                },
                kernel: Bounds {
                    min: 0,
                    max: Some(10)
                },
            },
            Difference::LengthMismatch {
                at: at("set-name", Request::Do, "blob"),
                ours_kind: "binary",
                ours: Bounds {
                    min: 4,
                    max: Some(8)
                },
                kernel: Bounds {
                    min: 4,
                    max: Some(6)
                },
            },
        ]
    );
    assert_eq!(
        texts(&report.differences),
        [
            "set-name: name: ours nul-string of length 0..=15, kernel accepts 0..=10",
            "set-name: blob: ours binary of length 4..=8, kernel accepts 4..=6",
        ]
    );
}

#[test]
fn a_be32_above_the_nested_maxtype_is_not_accepted() {
    let mut kernel = kernel();
    let add = kernel.ops.get_mut(&1).unwrap();
    // The kernel's address nest stops at type 2.
    add.policies.insert(
        0,
        Policy::from([(1, AttrPolicy::new(K::Nested).nested(1, 2))]),
    );
    add.policies.insert(
        1,
        Policy::from([(1, u16_policy()), (2, AttrPolicy::new(K::U8))]),
    );
    let report = compare(&DECL, &kernel);
    assert_eq!(
        texts(&report.differences),
        [
            "add-addr: addr.addr4: ours ipv4, not accepted by the kernel",
            "add-addr: addr.addr6: ours ipv6, not accepted by the kernel",
            "add-addr: addr.port: ours u16, not accepted by the kernel",
        ]
    );
    assert!(report.notes.iter().all(|n| n.op() != Some("add-addr")));
}

#[test]
fn operations_and_request_kinds_on_either_side() {
    let mut kernel = kernel();
    kernel.ops.remove(&4); // no set-name
    let add = kernel.ops.get_mut(&1).unwrap();
    add.has_dump = true; // add-addr gains a dump
    let get = kernel.ops.get_mut(&3).unwrap();
    get.has_dump = false; // get-addr loses its dump
    get.dump_policy = None;
    kernel.ops.insert(9, KernelOp::default()); // an op we do not know
    let report = compare(&DECL, &kernel);
    assert_eq!(
        report.differences,
        [
            Difference::RequestNotDeclared {
                op: "add-addr",
                request: Request::Dump
            },
            Difference::RequestMissing {
                op: "get-addr",
                request: Request::Dump
            },
            Difference::OpMissing {
                op: "set-name",
                cmd: 4
            },
        ]
    );
    assert_eq!(
        texts(&report.differences),
        [
            "add-addr: the kernel has a dump, not declared",
            "get-addr: declared with a dump, the kernel has none",
            "set-name: the kernel has no operation 4",
        ]
    );
    assert!(report.notes.contains(&Note::OpNotDeclared { cmd: 9 }));
}

#[test]
fn a_request_without_a_kernel_policy_accepts_nothing() {
    // ENODATA from the per-op dump: the op exists, without a policy.
    let mut kernel = kernel();
    let name = kernel.ops.get_mut(&4).unwrap();
    name.do_policy = None;
    name.policies.clear();
    let report = compare(&DECL, &kernel);
    assert_eq!(
        texts(&report.differences),
        [
            "set-name: name: ours nul-string, not accepted by the kernel",
            "set-name: blob: ours binary, not accepted by the kernel",
        ]
    );
}

#[test]
fn a_type_missing_from_the_table_is_a_declaration_error() {
    static BAD: FamilyDecl = FamilyDecl {
        name: "test",
        ops: &[OpDecl {
            cmd: 4,
            name: "set-name",
            attrs: <TopAttrs as AttrSet>::table,
            do_request: Some(&[2, 4, 9]),
            dump_request: None,
        }],
    };
    let report = compare(&BAD, &kernel());
    assert_eq!(
        report.differences,
        [Difference::AttrNotInTable {
            at: at("set-name", Request::Do, "9")
        }]
    );
}

/// Our `kind` (type 3 of a one-attribute request) against the kernel's
/// `policy`; the nested policies for nests and arrays are `nested`.
fn judge(kind: Kind, policy: AttrPolicy, nested: Policy) -> PolicyReport {
    let mut report = PolicyReport::default();
    let policies = BTreeMap::from([(1, nested)]);
    let mut walk = Walk {
        op: "op",
        request: Request::Do,
        policies: &policies,
        report: &mut report,
    };
    walk.attr(at("op", Request::Do, "x"), &kind, &policy, 0);
    report
}

fn ok(kind: Kind, policy: AttrPolicy) -> bool {
    judge(kind, policy, Policy::new()).passed()
}

#[test]
fn kind_compatibility() {
    let bin = |min, max| AttrPolicy::new(K::Binary).lengths(min, max);
    let string = |max| AttrPolicy::new(K::String).lengths(None, max);
    // Integers: the same code only.
    assert!(ok(Kind::U32, AttrPolicy::new(K::U32)));
    assert!(!ok(Kind::U32, AttrPolicy::new(K::U16)));
    assert!(!ok(Kind::S32, AttrPolicy::new(K::U32)));
    assert!(ok(Kind::Uint, AttrPolicy::new(K::Uint)));
    assert!(
        !ok(Kind::Uint, AttrPolicy::new(K::U32)),
        "we may write 8 bytes"
    );
    assert!(
        !ok(Kind::Uint, AttrPolicy::new(K::U64)),
        "we may write 4 bytes"
    );
    assert!(ok(Kind::Sint, AttrPolicy::new(K::Sint)));
    // Big-endian integers as the host-order code of their width.
    assert!(ok(Kind::Be16, AttrPolicy::new(K::U16)));
    assert!(ok(Kind::Be32, AttrPolicy::new(K::U32)));
    assert!(ok(Kind::Be64, AttrPolicy::new(K::U64)));
    assert!(!ok(Kind::Be16, AttrPolicy::new(K::U32)));
    // Addresses.
    assert!(ok(Kind::Ipv4, AttrPolicy::new(K::U32)));
    assert!(ok(Kind::Ipv4, bin(Some(4), Some(4))));
    assert!(!ok(Kind::Ipv4, bin(Some(16), Some(16))));
    assert!(ok(Kind::Ipv6, bin(Some(16), Some(16))));
    assert!(ok(Kind::Ipv6, bin(None, None)));
    assert!(!ok(Kind::Ipv6, bin(Some(4), Some(4))));
    assert!(ok(Kind::Ip, bin(Some(4), Some(16))));
    assert!(!ok(Kind::Ip, bin(Some(16), Some(16))));
    assert!(!ok(Kind::Ipv6, AttrPolicy::new(K::U32)));
    // Strings: our bound within the kernel's, either string kind.
    assert!(ok(Kind::Str { max: 0 }, string(None)));
    assert!(!ok(Kind::Str { max: 0 }, string(Some(15))), "unbounded");
    assert!(ok(Kind::Str { max: 10 }, string(Some(15))));
    assert!(ok(Kind::NulStr { max: 15 }, string(Some(15))));
    assert!(!ok(Kind::NulStr { max: 16 }, string(Some(15))));
    let nul = AttrPolicy::new(K::NulString).lengths(None, Some(15));
    assert!(ok(Kind::NulStr { max: 15 }, nul));
    assert!(ok(Kind::Str { max: 15 }, nul), "our writer adds the NUL");
    assert!(!ok(Kind::Str { max: 15 }, bin(None, Some(15))));
    // Binary, structs, flags, bitfields.
    assert!(ok(Kind::Binary { min: 4, max: 8 }, bin(Some(2), Some(8))));
    assert!(ok(Kind::Binary { min: 4, max: 8 }, bin(None, None)));
    assert!(!ok(Kind::Binary { min: 4, max: 8 }, bin(Some(5), None)));
    assert!(ok(
        Kind::Struct {
            len: 12,
            members: &[]
        },
        bin(Some(12), None)
    ));
    assert!(ok(
        Kind::Struct {
            len: 12,
            members: &[]
        },
        bin(Some(8), Some(12))
    ));
    assert!(!ok(
        Kind::Struct {
            len: 12,
            members: &[]
        },
        bin(Some(16), None)
    ));
    assert!(ok(Kind::Flag, AttrPolicy::new(K::Flag)));
    assert!(!ok(Kind::Flag, AttrPolicy::new(K::U8)));
    assert!(ok(
        Kind::Struct {
            len: 8,
            members: &[]
        },
        AttrPolicy::new(K::Bitfield32)
    ));
    assert!(ok(
        Kind::Binary { min: 8, max: 8 },
        AttrPolicy::new(K::Bitfield32)
    ));
    assert!(!ok(Kind::U64, AttrPolicy::new(K::Bitfield32)));
    assert!(!ok(Kind::U32, AttrPolicy::new(K::Unknown(99))));
    // Nests without a nested policy are not looked into.
    assert!(ok(Kind::Nest(AddrAttrs::table), AttrPolicy::new(K::Nested)));
    assert!(!ok(
        Kind::Nest(AddrAttrs::table),
        AttrPolicy::new(K::NestedArray)
    ));
    assert!(ok(Kind::Array(&Kind::U32), AttrPolicy::new(K::NestedArray)));
    assert!(!ok(
        Kind::Array(&Kind::U32),
        AttrPolicy::new(K::NestedArray).nested(1, 5)
    ));
    assert!(!ok(Kind::Array(&Kind::U32), AttrPolicy::new(K::Nested)));
}

#[test]
fn the_mismatch_names_both_kinds() {
    let report = judge(Kind::Uint, AttrPolicy::new(K::U32), Policy::new());
    assert_eq!(texts(&report.differences), ["op: x: ours uint, kernel u32"]);
}

#[test]
fn array_elements_are_compared_against_the_element_policy() {
    static ELEMENT: Kind = Kind::Nest(AddrAttrs::table);
    let policy = AttrPolicy::new(K::NestedArray).nested(1, 5);
    let report = judge(Kind::Array(&ELEMENT), policy, addr_policy());
    assert!(report.passed(), "{:?}", report.differences);
    assert_eq!(
        texts(&report.notes),
        ["op: x[].addr4: ours ipv4, undescribed by the kernel's policy dump"]
    );
    let mut narrower = addr_policy();
    narrower.insert(5, AttrPolicy::new(K::U8));
    let report = judge(Kind::Array(&ELEMENT), policy, narrower);
    assert_eq!(
        texts(&report.differences),
        ["op: x[].port: ours u16, kernel u8"]
    );
}

#[test]
fn narrower_ranges_are_notes() {
    let full = AttrPolicy::new(K::U8).range_u(0, 255);
    assert!(judge(Kind::U8, full, Policy::new()).notes.is_empty());
    let narrow = AttrPolicy::new(K::U8).range_u(1, 15);
    let report = judge(Kind::U8, narrow, Policy::new());
    assert!(report.passed());
    assert_eq!(texts(&report.notes), ["op: x: kernel accepts only 1..=15"]);
    let signed = AttrPolicy::new(K::S32).range_s(-1, 7);
    let report = judge(Kind::S32, signed, Policy::new());
    assert_eq!(
        report.notes,
        [Note::Range {
            at: at("op", Request::Do, "x"),
            min: -1,
            max: 7
        }]
    );
    let full = AttrPolicy::new(K::S64).range_s(i64::MIN, i64::MAX);
    assert!(judge(Kind::S64, full, Policy::new()).notes.is_empty());
    // No range reported: nothing to say.
    assert!(
        judge(Kind::U16, AttrPolicy::new(K::U16), Policy::new())
            .notes
            .is_empty()
    );
}

#[test]
fn top_level_big_endian_uses_the_highest_listed_type() {
    nl_core::attr_set! {
        /// A top-level set with a big-endian attribute.
        pub struct BeTop = "be-top" {
            /// A number.
            1 A "a": u32;
            /// A big-endian port.
            2 PORT "port": nl_core::table::Be16;
            /// Another number.
            3 B "b": u32;
        }
    }
    static BE: FamilyDecl = FamilyDecl {
        name: "be",
        ops: &[OpDecl {
            cmd: 1,
            name: "set",
            attrs: <BeTop as AttrSet>::table,
            do_request: Some(&[1, 2, 3]),
            dump_request: None,
        }],
    };
    let kernel = |policy: Policy| KernelPolicies {
        family: "be".to_owned(),
        ops: BTreeMap::from([(
            1,
            KernelOp {
                has_do: true,
                do_policy: Some(0),
                policies: BTreeMap::from([(0, policy)]),
                ..KernelOp::default()
            },
        )]),
    };
    let u32_policy = AttrPolicy::new(K::U32);
    // Types 1 and 3 listed, 2 (be16) left out: undescribed.
    let report = compare(
        &BE,
        &kernel(Policy::from([(1, u32_policy), (3, u32_policy)])),
    );
    assert!(report.passed(), "{:?}", report.differences);
    assert_eq!(
        report.notes,
        [Note::Undescribed {
            at: at("set", Request::Do, "port"),
            ours: "be16"
        }]
    );
    // Only type 1 listed: nothing shows the policy reaches type 2.
    let report = compare(&BE, &kernel(Policy::from([(1, u32_policy)])));
    assert_eq!(
        texts(&report.differences),
        [
            "set: port: ours be16, not accepted by the kernel",
            "set: b: ours u32, not accepted by the kernel",
        ]
    );
}

#[test]
fn self_nesting_tables_stop_at_the_depth_limit() {
    nl_core::attr_set! {
        /// A set that nests itself.
        pub struct Tree = "tree" {
            /// A subtree.
            1 CHILD "child": Nest<Tree>;
        }
    }
    let policy = AttrPolicy::new(K::Nested).nested(1, 1);
    let report = judge(Kind::Nest(Tree::table), policy, Policy::from([(1, policy)]));
    assert!(report.passed());
    let deep = ["x"]
        .into_iter()
        .chain(std::iter::repeat_n("child", MAX_NEST_DEPTH))
        .collect::<Vec<_>>()
        .join(".");
    assert_eq!(
        report.notes,
        [Note::TooDeep {
            at: at("op", Request::Do, &deep)
        }]
    );
}

#[test]
fn a_policy_entry_from_the_kernel() {
    // CTRL_ATTR_POLICY entry from this kernel's nlctrl dump: policy 1,
    // attribute 10 (CTRL_ATTR_OP), a u32 of any value.
    #[rustfmt::skip]
    let bytes: [u8; 32] = [
        0x0c, 0x00, 0x04, 0x00, // nla_len = 12, NL_POLICY_TYPE_ATTR_MIN_VALUE_U
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0
        0x0c, 0x00, 0x05, 0x00, // nla_len = 12, NL_POLICY_TYPE_ATTR_MAX_VALUE_U
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, // 4294967295
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_TYPE
        0x04, 0x00, 0x00, 0x00, // NL_ATTR_TYPE_U32
    ];
    let index = Index::<PolicyAttrs>::parse(&bytes).unwrap();
    assert_eq!(
        AttrPolicy::from_index(&index),
        AttrPolicy::new(K::U32).range_u(0, u32::MAX.into())
    );
    // A nest in mptcp_pm's add-addr policy: policy 1, max type 7.
    #[rustfmt::skip]
    let bytes: [u8; 24] = [
        0x08, 0x00, 0x08, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_POLICY_IDX
        0x01, 0x00, 0x00, 0x00, // 1
        0x08, 0x00, 0x09, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE
        0x07, 0x00, 0x00, 0x00, // 7
        0x08, 0x00, 0x01, 0x00, // nla_len = 8, NL_POLICY_TYPE_ATTR_TYPE
        0x0d, 0x00, 0x00, 0x00, // NL_ATTR_TYPE_NESTED
    ];
    let index = Index::<PolicyAttrs>::parse(&bytes).unwrap();
    assert_eq!(
        AttrPolicy::from_index(&index),
        AttrPolicy::new(K::Nested).nested(1, 7)
    );
    // Without a type: invalid.
    let index = Index::<PolicyAttrs>::parse(&[]).unwrap();
    assert_eq!(AttrPolicy::from_index(&index), AttrPolicy::new(K::Invalid));
}

#[test]
fn display_of_places_and_bounds() {
    assert_eq!(
        at("get-addr", Request::Dump, "addr.id").to_string(),
        "get-addr (dump): addr.id"
    );
    assert_eq!(
        at("add-addr", Request::Do, "addr").to_string(),
        "add-addr: addr"
    );
    assert_eq!(Bounds { min: 4, max: None }.to_string(), "4..");
    assert_eq!(
        Bounds {
            min: 0,
            max: Some(15)
        }
        .to_string(),
        "0..=15"
    );
    assert_eq!(Request::Dump.to_string(), "dump");
    assert_eq!(
        Note::OpNotDeclared { cmd: 12 }.to_string(),
        "the kernel has operation 12, not declared"
    );
}
