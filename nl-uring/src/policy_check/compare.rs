//! The comparison itself: a declaration against fetched policies, pure.

use std::collections::BTreeMap;

use nl_core::genl::decl::{FamilyDecl, OpDecl};
use nl_core::policy::AttrKindCode;
use nl_core::table::{Kind, Table};

use super::{
    At, AttrPolicy, Bounds, Difference, KernelOp, KernelPolicies, MAX_NEST_DEPTH, Note, Policy,
    PolicyReport, Request,
};

/// Compares a declaration with the kernel's policies (see the module
/// documentation for the rules).
pub fn compare(decl: &FamilyDecl, kernel: &KernelPolicies) -> PolicyReport {
    let mut report = PolicyReport {
        family: decl.name.to_owned(),
        ..PolicyReport::default()
    };
    for op in decl.ops {
        match kernel.ops.get(&op.cmd) {
            None => report.differences.push(Difference::OpMissing {
                op: op.name,
                cmd: op.cmd,
            }),
            Some(kop) => {
                compare_request(&mut report, op, kop, Request::Do);
                compare_request(&mut report, op, kop, Request::Dump);
            }
        }
    }
    for &cmd in kernel.ops.keys() {
        if decl.op(cmd).is_none() {
            report.notes.push(Note::OpNotDeclared { cmd });
        }
    }
    report
}

/// One request kind of one operation.
fn compare_request(report: &mut PolicyReport, op: &OpDecl, kop: &KernelOp, request: Request) {
    let (ours, has, policy) = match request {
        Request::Do => (op.do_request, kop.has_do, kop.do_policy),
        Request::Dump => (op.dump_request, kop.has_dump, kop.dump_policy),
    };
    let types = match (ours, has) {
        (None, false) => return,
        (Some(_), false) => {
            report.differences.push(Difference::RequestMissing {
                op: op.name,
                request,
            });
            return;
        }
        (None, true) => {
            report.differences.push(Difference::RequestNotDeclared {
                op: op.name,
                request,
            });
            return;
        }
        (Some(types), true) => types,
    };
    let mut walk = Walk {
        op: op.name,
        request,
        policies: &kop.policies,
        report,
    };
    let kernel = policy.and_then(|idx| kop.policies.get(&idx));
    walk.set("", (op.attrs)(), types, kernel, None, 0);
}

/// The state of one request's comparison.
pub(super) struct Walk<'k, 'r> {
    pub(super) op: &'static str,
    pub(super) request: Request,
    pub(super) policies: &'k BTreeMap<u32, Policy>,
    pub(super) report: &'r mut PolicyReport,
}

impl Walk<'_, '_> {
    fn at(&self, path: String) -> At {
        At {
            op: self.op,
            request: self.request,
            path,
        }
    }

    fn differ(&mut self, difference: Difference) {
        self.report.differences.push(difference);
    }

    fn note(&mut self, note: Note) {
        self.report.notes.push(note);
    }

    /// Our attribute types `types` of `table` against the kernel's `policy`
    /// (`None`: the kernel has none, so accepts nothing).
    fn set(
        &mut self,
        prefix: &str,
        table: &'static Table,
        types: &[u16],
        policy: Option<&Policy>,
        maxtype: Option<u32>,
        depth: usize,
    ) {
        let empty = Policy::new();
        let policy = policy.unwrap_or(&empty);
        let highest = maxtype.or_else(|| policy.keys().next_back().map(|&ty| u32::from(ty)));
        let name = |ty: u16| {
            let leaf = table
                .name_of(ty)
                .map_or_else(|| ty.to_string(), str::to_owned);
            join(prefix, &leaf)
        };
        for &ty in types {
            let Some(def) = table.def(ty) else {
                let at = self.at(name(ty));
                self.differ(Difference::AttrNotInTable { at });
                continue;
            };
            let at = self.at(name(ty));
            match policy.get(&ty) {
                Some(kernel) => self.attr(at, &def.kind, kernel, depth),
                None if is_big_endian(&def.kind) && highest.is_some_and(|h| u32::from(ty) <= h) => {
                    let ours = def.kind.name();
                    self.note(Note::Undescribed { at, ours });
                }
                None => {
                    let ours = def.kind.name();
                    self.differ(Difference::AttrNotAccepted { at, ours });
                }
            }
        }
        for (&ty, kernel) in policy {
            if !types.contains(&ty) {
                let at = self.at(name(ty));
                let kernel = kernel.kind;
                self.differ(Difference::AttrNotDeclared { at, kernel });
            }
        }
    }

    /// Every attribute of `table` against nested policy `idx`.
    fn nest(&mut self, at: At, table: &'static Table, kernel: &AttrPolicy, depth: usize) {
        let Some(idx) = kernel.policy_idx else {
            return; // The kernel does not check the nest's contents.
        };
        if depth >= MAX_NEST_DEPTH {
            self.note(Note::TooDeep { at });
            return;
        }
        let types: Vec<u16> = table.iter().map(|def| def.ty).collect();
        let policy = self.policies.get(&idx);
        self.set(
            &at.path,
            table,
            &types,
            policy,
            kernel.policy_maxtype,
            depth + 1,
        );
    }

    /// One attribute: our `kind` against the kernel's policy.
    pub(super) fn attr(&mut self, at: At, kind: &Kind, kernel: &AttrPolicy, depth: usize) {
        use AttrKindCode as K;
        let ours = kind.name();
        let code = kernel.kind;
        let mismatch = |at| Difference::KindMismatch {
            at,
            ours,
            kernel: code,
        };
        let bounds = Bounds {
            min: kernel.min_length.unwrap_or(0),
            max: kernel.max_length,
        };
        let length = |at, lo: u16, hi: Option<u16>| {
            let ours = Bounds {
                min: u32::from(lo),
                max: hi.map(u32::from),
            };
            if within(ours, bounds) {
                None
            } else {
                Some(Difference::LengthMismatch {
                    at,
                    ours_kind: kind.name(),
                    ours,
                    kernel: bounds,
                })
            }
        };
        let found = match (*kind, code) {
            (Kind::U8, K::U8)
            | (Kind::U16, K::U16)
            | (Kind::U32, K::U32)
            | (Kind::U64, K::U64)
            | (Kind::S8, K::S8)
            | (Kind::S16, K::S16)
            | (Kind::S32, K::S32)
            | (Kind::S64, K::S64)
            | (Kind::Uint, K::Uint)
            | (Kind::Sint, K::Sint) => {
                self.range(at, code, kernel);
                None
            }
            (Kind::Be16, K::U16)
            | (Kind::Be32, K::U32)
            | (Kind::Be64, K::U64)
            | (Kind::Ipv4, K::U32)
            | (Kind::Flag, K::Flag)
            | (Kind::Struct { len: 8, .. }, K::Bitfield32)
            | (Kind::Binary { min: 8, max: 8 }, K::Bitfield32) => None,
            (Kind::Str { max } | Kind::NulStr { max }, K::String | K::NulString) => {
                // Content without the NUL on both sides; our 0 is no limit.
                length(at, 0, (max != 0).then_some(max))
            }
            (Kind::Binary { min, max }, K::Binary) => length(at, min, Some(max)),
            (Kind::U32s { max }, K::Binary) => length(at, 0, Some(max.saturating_mul(4))),
            (Kind::Ipv4, K::Binary) => length(at, 4, Some(4)),
            (Kind::Ipv6, K::Binary) => length(at, 16, Some(16)),
            (Kind::Ip, K::Binary) => length(at, 4, Some(16)),
            (Kind::Struct { len, .. }, K::Binary) => length(at, len, Some(len)),
            (Kind::Nest(table), K::Nested) => {
                self.nest(at, table(), kernel, depth);
                None
            }
            (Kind::Array(elem), K::NestedArray) => match (elem.nested_table(), kernel.policy_idx) {
                (Some(table), Some(_)) => {
                    let at = At {
                        path: format!("{}[]", at.path),
                        ..at
                    };
                    self.nest(at, table, kernel, depth);
                    None
                }
                (None, Some(_)) => Some(mismatch(at)),
                (_, None) => None,
            },
            _ => Some(mismatch(at)),
        };
        if let Some(difference) = found {
            self.differ(difference);
        }
    }

    /// Notes a value range narrower than the kind's.
    fn range(&mut self, at: At, code: AttrKindCode, kernel: &AttrPolicy) {
        let Some((full_min, full_max)) = full_range(code) else {
            return;
        };
        let (min, max) = match (kernel.range_u, kernel.range_s) {
            (Some((min, max)), _) => (i128::from(min), i128::from(max)),
            (None, Some((min, max))) => (i128::from(min), i128::from(max)),
            (None, None) => return,
        };
        if (min, max) != (full_min, full_max) {
            self.note(Note::Range { at, min, max });
        }
    }
}

/// `prefix.leaf`, or `leaf` at the top.
fn join(prefix: &str, leaf: &str) -> String {
    if prefix.is_empty() {
        leaf.to_owned()
    } else {
        format!("{prefix}.{leaf}")
    }
}

/// True when every length in `ours` is within `kernel`.
fn within(ours: Bounds, kernel: Bounds) -> bool {
    let max_ok = match (ours.max, kernel.max) {
        (_, None) => true,
        (Some(ours), Some(kernel)) => ours <= kernel,
        (None, Some(_)) => false,
    };
    kernel.min <= ours.min && max_ok
}

/// Kinds written in network byte order, which the kernel's policy dump may
/// leave out (`NLA_BE16`, `NLA_BE32`, and IPv4 addresses declared as such).
fn is_big_endian(kind: &Kind) -> bool {
    matches!(kind, Kind::Be16 | Kind::Be32 | Kind::Be64 | Kind::Ipv4)
}

/// Every value an integer kind holds.
fn full_range(code: AttrKindCode) -> Option<(i128, i128)> {
    use AttrKindCode as K;
    let unsigned = |max: u64| (0, i128::from(max));
    let signed = |min: i64, max: i64| (i128::from(min), i128::from(max));
    Some(match code {
        K::U8 => unsigned(u8::MAX.into()),
        K::U16 => unsigned(u16::MAX.into()),
        K::U32 => unsigned(u32::MAX.into()),
        K::U64 | K::Uint => unsigned(u64::MAX),
        K::S8 => signed(i8::MIN.into(), i8::MAX.into()),
        K::S16 => signed(i16::MIN.into(), i16::MAX.into()),
        K::S32 => signed(i32::MIN.into(), i32::MAX.into()),
        K::S64 | K::Sint => signed(i64::MIN, i64::MAX),
        _ => return None,
    })
}
