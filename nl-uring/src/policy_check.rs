//! The policy check: what nl-core declares about a generic family
//! ([`FamilyDecl`]) against what the running kernel says it accepts
//! (`CTRL_CMD_GETPOLICY`).
//!
//! [`check`] asks the kernel ([`fetch`]: `CTRL_CMD_GETFAMILY` for the
//! operations and their do/dump flags, then one `CTRL_CMD_GETPOLICY` dump
//! per declared operation) and compares ([`compare`], pure, so tests can
//! plant mismatches without a kernel). Per operation and per request kind
//! (`do`, `dump`):
//!
//! - every attribute the kernel's policy lists must be declared, with a
//!   compatible kind and length bounds (else [`Difference::AttrNotDeclared`],
//!   [`Difference::KindMismatch`], [`Difference::LengthMismatch`]);
//! - every attribute we declare must be in the kernel's policy (else
//!   [`Difference::AttrNotAccepted`]), except the ones the kernel cannot
//!   describe (below);
//! - a nest is compared set against set: every attribute of our nested
//!   table against the kernel's nested policy, recursively.
//!
//! ## What the kernel says, and how it is read
//!
//! - Policies are asked per operation (`CTRL_ATTR_OP`): a whole-family
//!   dump numbers a dump-only operation 0 in its `CTRL_ATTR_OP_POLICY`,
//!   so it cannot be told apart; a per-operation dump can (we know what
//!   we asked for). Policy indices are local to each dump.
//! - Whether an operation has a `do` or a `dump` comes from its flags in
//!   `CTRL_CMD_GETFAMILY` (`GENL_CMD_CAP_DO`, `GENL_CMD_CAP_DUMP`): the
//!   policy dump lists only the handlers that have a policy.
//! - An operation the kernel does not have: `ENOENT` (naming `op`), and it
//!   is missing from `CTRL_CMD_GETFAMILY`: [`Difference::OpMissing`].
//!   An operation without any policy: `ENODATA`; it then accepts no
//!   attribute, so each one we declare is not accepted.
//! - The dump leaves out attributes whose kernel type it cannot describe
//!   (`NLA_BE16`, `NLA_BE32`, `NLA_UNSPEC`, `NLA_REJECT`…; mptcp_pm's
//!   address nest lists 1, 2, 4, 5, 6, 7 but not 3, `addr4`, an
//!   `NLA_BE32`). An attribute we declare that the kernel does not list is
//!   [`Note::Undescribed`] when its kind is big-endian (be16, be32, be64,
//!   ipv4) and its type is at most the policy's highest type; otherwise it
//!   is [`Difference::AttrNotAccepted`]. A nested policy's highest type is
//!   its `POLICY_MAXTYPE`. A top-level policy has none in the dump; there
//!   the highest type the kernel listed stands in for it (a lower bound of
//!   the real one: a big-endian attribute above every listed type is
//!   reported as not accepted).
//!
//! ## Kind compatibility
//!
//! Ours is [`Kind`], the kernel's [`AttrKindCode`]. Lengths are in bytes;
//! the kernel's bounds are `MIN_LENGTH` (absent: 0) and `MAX_LENGTH`
//! (absent: none). Anything not in this table is a kind mismatch.
//!
//! | ours                         | kernel             | compatible when                                  |
//! |------------------------------|--------------------|--------------------------------------------------|
//! | u8…u64, s8…s64               | the same code      | always; a narrower value range is a note         |
//! | uint / sint                  | uint / sint        | always (not u32/u64: we write 4 or 8 by value)   |
//! | be16 / be32 / be64           | u16 / u32 / u64    | always (the dump usually cannot describe them)   |
//! | ipv4                         | u32                | always                                           |
//! | ipv4 / ipv6                  | binary             | its bounds accept 4 / 16                         |
//! | ip                           | binary             | its bounds accept 4 and 16                       |
//! | flag                         | flag               | always                                           |
//! | string{max}, nul-string{max} | string, nul-string | our max ≤ its max-length (see below)             |
//! | binary{min, max}             | binary             | its min ≤ our min and our max ≤ its max          |
//! | struct{len}                  | binary             | its bounds accept `len` (we write exactly `len`) |
//! | struct{8}, binary{8, 8}      | bitfield32         | always                                           |
//! | nest(table)                  | nested             | recursively: table against the nested policy     |
//! | indexed-array(nest(table))   | nested-array       | recursively, per element (path `name[]`)         |
//! | indexed-array(other)         | nested-array       | only without an element policy                   |
//!
//! A nest or nested array without a nested policy (no `POLICY_IDX`) is not
//! looked into: the kernel does not check its contents.
//!
//! Strings: both kernel string types bound the content without its
//! trailing NUL (a `NulStr<15>` against `max-length 15` matches), and our
//! writers always append a NUL, so either of our string kinds fits either
//! of the kernel's. Our writer must never exceed the kernel's bound: our
//! max of 0 (no limit) against a kernel max-length is a
//! [`Difference::LengthMismatch`], as is a max above the kernel's. A max
//! below the kernel's is fine.

use std::collections::BTreeMap;
use std::fmt;

use nl_core::errno::Errno;
use nl_core::genl::ctrl::{OpFlags, PolicyReply};
use nl_core::genl::decl::{FamilyDecl, OpDecl};
use nl_core::policy::{AttrKindCode, PolicyAttrs};
use nl_core::table::{Index, Kind, Table};

use crate::error::Error;
use crate::genl;
use crate::socket::Socket;

/// How deep nests are followed; deeper ones get a [`Note::TooDeep`].
const MAX_NEST_DEPTH: usize = 8;

/// `ENOENT`: the kernel has no such operation.
const ENOENT: Errno = Errno(2);
/// `ENODATA`: the operation has no policy.
const ENODATA: Errno = Errno(61);

/// What the kernel accepts for one attribute (`NL_POLICY_TYPE_ATTR_*`),
/// owned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttrPolicy {
    /// The kernel's kind.
    pub kind: AttrKindCode,
    /// Smallest and largest signed value accepted.
    pub range_s: Option<(i64, i64)>,
    /// Smallest and largest unsigned value accepted.
    pub range_u: Option<(u64, u64)>,
    /// Shortest payload accepted.
    pub min_length: Option<u32>,
    /// Longest payload (for strings: content without the NUL) accepted.
    pub max_length: Option<u32>,
    /// Index of the nested policy (nests, nested arrays).
    pub policy_idx: Option<u32>,
    /// Highest attribute type of the nested policy.
    pub policy_maxtype: Option<u32>,
}

impl AttrPolicy {
    /// A policy of kind `kind` with no bounds.
    pub fn new(kind: AttrKindCode) -> Self {
        AttrPolicy {
            kind,
            range_s: None,
            range_u: None,
            min_length: None,
            max_length: None,
            policy_idx: None,
            policy_maxtype: None,
        }
    }

    /// The same, with length bounds.
    pub fn lengths(self, min: Option<u32>, max: Option<u32>) -> Self {
        AttrPolicy {
            min_length: min,
            max_length: max,
            ..self
        }
    }

    /// The same, with an unsigned value range.
    pub fn range_u(self, min: u64, max: u64) -> Self {
        AttrPolicy {
            range_u: Some((min, max)),
            ..self
        }
    }

    /// The same, with a signed value range.
    pub fn range_s(self, min: i64, max: i64) -> Self {
        AttrPolicy {
            range_s: Some((min, max)),
            ..self
        }
    }

    /// The same, pointing at nested policy `idx` of highest type `maxtype`.
    pub fn nested(self, idx: u32, maxtype: u32) -> Self {
        AttrPolicy {
            policy_idx: Some(idx),
            policy_maxtype: Some(maxtype),
            ..self
        }
    }

    /// Copies one entry of a policy dump.
    pub fn from_index(info: &Index<'_, PolicyAttrs>) -> Self {
        AttrPolicy {
            kind: info
                .get(PolicyAttrs::TYPE)
                .map_or(AttrKindCode::Invalid, AttrKindCode::from),
            range_s: info
                .get(PolicyAttrs::MIN_VALUE_S)
                .zip(info.get(PolicyAttrs::MAX_VALUE_S)),
            range_u: info
                .get(PolicyAttrs::MIN_VALUE_U)
                .zip(info.get(PolicyAttrs::MAX_VALUE_U)),
            min_length: info.get(PolicyAttrs::MIN_LENGTH),
            max_length: info.get(PolicyAttrs::MAX_LENGTH),
            policy_idx: info.get(PolicyAttrs::POLICY_IDX),
            policy_maxtype: info.get(PolicyAttrs::POLICY_MAXTYPE),
        }
    }
}

/// One kernel policy: attribute type → what is accepted.
pub type Policy = BTreeMap<u16, AttrPolicy>;

/// One operation as the kernel has it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KernelOp {
    /// It has a `do` handler (`GENL_CMD_CAP_DO`).
    pub has_do: bool,
    /// It has a `dump` handler (`GENL_CMD_CAP_DUMP`).
    pub has_dump: bool,
    /// Index in [`KernelOp::policies`] of the `do` policy.
    pub do_policy: Option<u32>,
    /// Index in [`KernelOp::policies`] of the `dump` policy.
    pub dump_policy: Option<u32>,
    /// Every policy of this operation's dump, by index (nested ones
    /// included); empty when it was not asked for or has none.
    pub policies: BTreeMap<u32, Policy>,
}

/// A family's operations as the kernel has them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KernelPolicies {
    /// Family name.
    pub family: String,
    /// Every operation of the family, by command number; policies are
    /// filled in for the declared ones.
    pub ops: BTreeMap<u8, KernelOp>,
}

/// A request kind of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Request {
    /// A `do` request.
    Do,
    /// A `dump` request (`NLM_F_DUMP`).
    Dump,
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Request::Do => "do",
            Request::Dump => "dump",
        })
    }
}

/// Where a finding is: operation, request kind and attribute path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    /// The operation's spec name.
    pub op: &'static str,
    /// Its request kind.
    pub request: Request,
    /// Attribute names from the top, joined by `.` (a type number where we
    /// have no name; `name[]` for the elements of an indexed array).
    pub path: String,
}

/// Prints `add-addr: addr.port` for a `do`, `get-addr (dump): addr.id` for a dump.
impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.op)?;
        if self.request == Request::Dump {
            f.write_str(" (dump)")?;
        }
        write!(f, ": {}", self.path)
    }
}

/// Accepted payload lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Shortest.
    pub min: u32,
    /// Longest; `None`: no limit.
    pub max: Option<u32>,
}

/// Prints `4..=16`, or `4..` without a maximum.
impl fmt::Display for Bounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) => write!(f, "{}..={max}", self.min),
            None => write!(f, "{}..", self.min),
        }
    }
}

/// A disagreement between our declaration and the kernel: the check fails.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Difference {
    /// We declare an operation the kernel does not have.
    OpMissing {
        /// The operation's spec name.
        op: &'static str,
        /// Its command number.
        cmd: u8,
    },
    /// We declare a request kind the operation does not have in the kernel.
    RequestMissing {
        /// The operation's spec name.
        op: &'static str,
        /// The request kind.
        request: Request,
    },
    /// The kernel's operation has a request kind we do not declare.
    RequestNotDeclared {
        /// The operation's spec name.
        op: &'static str,
        /// The request kind.
        request: Request,
    },
    /// The kernel accepts an attribute we do not declare.
    AttrNotDeclared {
        /// Where.
        at: At,
        /// The kernel's kind.
        kernel: AttrKindCode,
    },
    /// We declare an attribute the kernel does not accept.
    AttrNotAccepted {
        /// Where.
        at: At,
        /// Our kind.
        ours: &'static str,
    },
    /// A request lists an attribute type its table does not define.
    AttrNotInTable {
        /// Where (the path ends in the type number).
        at: At,
    },
    /// Our kind cannot be written the way the kernel's kind is read.
    KindMismatch {
        /// Where.
        at: At,
        /// Our kind.
        ours: &'static str,
        /// The kernel's kind.
        kernel: AttrKindCode,
    },
    /// Lengths we may write fall outside what the kernel accepts.
    LengthMismatch {
        /// Where.
        at: At,
        /// Our kind.
        ours_kind: &'static str,
        /// Lengths we may write (strings: content without the NUL).
        ours: Bounds,
        /// Lengths the kernel accepts (strings: content without the NUL).
        kernel: Bounds,
    },
}

impl Difference {
    /// The operation it is about.
    pub fn op(&self) -> &'static str {
        match self {
            Difference::OpMissing { op, .. }
            | Difference::RequestMissing { op, .. }
            | Difference::RequestNotDeclared { op, .. } => op,
            Difference::AttrNotDeclared { at, .. }
            | Difference::AttrNotAccepted { at, .. }
            | Difference::AttrNotInTable { at }
            | Difference::KindMismatch { at, .. }
            | Difference::LengthMismatch { at, .. } => at.op,
        }
    }
}

/// Prints `add-addr: addr.port: ours u32, kernel u16` and the like.
impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::OpMissing { op, cmd } => {
                write!(f, "{op}: the kernel has no operation {cmd}")
            }
            Difference::RequestMissing { op, request } => {
                write!(f, "{op}: declared with a {request}, the kernel has none")
            }
            Difference::RequestNotDeclared { op, request } => {
                write!(f, "{op}: the kernel has a {request}, not declared")
            }
            Difference::AttrNotDeclared { at, kernel } => {
                write!(f, "{at}: kernel accepts {kernel}, not declared")
            }
            Difference::AttrNotAccepted { at, ours } => {
                write!(f, "{at}: ours {ours}, not accepted by the kernel")
            }
            Difference::AttrNotInTable { at } => {
                write!(f, "{at}: listed in the request, not in the table")
            }
            Difference::KindMismatch { at, ours, kernel } => {
                write!(f, "{at}: ours {ours}, kernel {kernel}")
            }
            Difference::LengthMismatch {
                at,
                ours_kind,
                ours,
                kernel,
            } => write!(
                f,
                "{at}: ours {ours_kind} of length {ours}, kernel accepts {kernel}"
            ),
        }
    }
}

/// Worth knowing, but not a failure.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Note {
    /// We declare an attribute the kernel's dump cannot describe (a
    /// big-endian kind within the policy's highest type).
    Undescribed {
        /// Where.
        at: At,
        /// Our kind.
        ours: &'static str,
    },
    /// The kernel accepts a narrower value range than the kind holds.
    Range {
        /// Where.
        at: At,
        /// Smallest value accepted.
        min: i128,
        /// Largest value accepted.
        max: i128,
    },
    /// Nests deeper than the check follows.
    TooDeep {
        /// Where.
        at: At,
    },
    /// The kernel has an operation we do not declare.
    OpNotDeclared {
        /// Its command number.
        cmd: u8,
    },
}

impl Note {
    /// The operation it is about (`None` for one we do not declare).
    pub fn op(&self) -> Option<&'static str> {
        match self {
            Note::Undescribed { at, .. } | Note::Range { at, .. } | Note::TooDeep { at } => {
                Some(at.op)
            }
            Note::OpNotDeclared { .. } => None,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Undescribed { at, ours } => write!(
                f,
                "{at}: ours {ours}, undescribed by the kernel's policy dump"
            ),
            Note::Range { at, min, max } => {
                write!(f, "{at}: kernel accepts only {min}..={max}")
            }
            Note::TooDeep { at } => {
                write!(f, "{at}: nested deeper than {MAX_NEST_DEPTH}, not followed")
            }
            Note::OpNotDeclared { cmd } => {
                write!(f, "the kernel has operation {cmd}, not declared")
            }
        }
    }
}

/// The outcome of a policy check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyReport {
    /// Family name.
    pub family: String,
    /// Disagreements: the check fails when there is any.
    pub differences: Vec<Difference>,
    /// Remarks that do not fail the check.
    pub notes: Vec<Note>,
}

impl PolicyReport {
    /// True when there are no differences.
    pub fn passed(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Asks the kernel for `family`'s policies and compares them with the
/// declaration. The kernel not having the family is an error (`ENOENT`);
/// any disagreement is in the report.
pub fn check(socket: &mut Socket, family: &FamilyDecl) -> Result<PolicyReport, Error> {
    Ok(compare(family, &fetch(socket, family)?))
}

/// The kernel's operations of `family` (`CTRL_CMD_GETFAMILY`) and, for each
/// declared one it has, its policies (a `CTRL_CMD_GETPOLICY` dump
/// restricted to that operation).
pub fn fetch(socket: &mut Socket, family: &FamilyDecl) -> Result<KernelPolicies, Error> {
    let resolved = genl::get_family(socket, family.name)?;
    let mut ops = BTreeMap::new();
    for op in &resolved.ops {
        // Generic netlink commands are one byte: anything else is not ours.
        let Ok(cmd) = u8::try_from(op.id) else {
            continue;
        };
        let flags = op.flags;
        let mut kernel = KernelOp {
            has_do: flags.contains(OpFlags::CMD_CAP_DO),
            has_dump: flags.contains(OpFlags::CMD_CAP_DUMP),
            ..KernelOp::default()
        };
        if family.op(cmd).is_some()
            && flags.contains(OpFlags::CMD_CAP_HASPOL)
            && !fetch_op(socket, family.name, cmd, &mut kernel)?
        {
            continue;
        }
        ops.insert(cmd, kernel);
    }
    Ok(KernelPolicies {
        family: resolved.name,
        ops,
    })
}

/// Fills `kernel` from the policy dump of operation `cmd`; false when the
/// kernel says it has no such operation.
fn fetch_op(
    socket: &mut Socket,
    family: &str,
    cmd: u8,
    kernel: &mut KernelOp,
) -> Result<bool, Error> {
    let mut seen_op = false;
    let dumped = genl::dump_policy(socket, family, Some(u32::from(cmd)), |reply| match reply {
        // The op number is not used: a dump-only operation comes back as 0.
        PolicyReply::Op {
            do_policy,
            dump_policy,
            ..
        } if !seen_op => {
            seen_op = true;
            kernel.do_policy = do_policy;
            kernel.dump_policy = dump_policy;
        }
        PolicyReply::Attr {
            policy, attr, info, ..
        } => {
            kernel
                .policies
                .entry(u32::from(policy))
                .or_default()
                .insert(attr, AttrPolicy::from_index(&info));
        }
        PolicyReply::Op { .. } | PolicyReply::Empty { .. } => {}
    });
    match dumped {
        Ok(_) => Ok(true),
        Err(e) => match e.kernel().map(|k| k.errno) {
            Some(ENODATA) => Ok(true),
            Some(ENOENT) => Ok(false),
            _ => Err(e),
        },
    }
}

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
struct Walk<'k, 'r> {
    op: &'static str,
    request: Request,
    policies: &'k BTreeMap<u32, Policy>,
    report: &'r mut PolicyReport,
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
    fn attr(&mut self, at: At, kind: &Kind, kernel: &AttrPolicy, depth: usize) {
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
            | (Kind::Struct { len: 8 }, K::Bitfield32)
            | (Kind::Binary { min: 8, max: 8 }, K::Bitfield32) => None,
            (Kind::Str { max } | Kind::NulStr { max }, K::String | K::NulString) => {
                // Content without the NUL on both sides; our 0 is no limit.
                length(at, 0, (max != 0).then_some(max))
            }
            (Kind::Binary { min, max }, K::Binary) => length(at, min, Some(max)),
            (Kind::Ipv4, K::Binary) => length(at, 4, Some(4)),
            (Kind::Ipv6, K::Binary) => length(at, 16, Some(16)),
            (Kind::Ip, K::Binary) => length(at, 4, Some(16)),
            (Kind::Struct { len }, K::Binary) => length(at, len, Some(len)),
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

#[cfg(test)]
mod tests {
    use nl_core::table::{AttrSet, Binary, Ipv4, Ipv6, Nest, NulStr};

    use super::*;
    use AttrKindCode as K;

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
        assert!(ok(Kind::Struct { len: 12 }, bin(Some(12), None)));
        assert!(ok(Kind::Struct { len: 12 }, bin(Some(8), Some(12))));
        assert!(!ok(Kind::Struct { len: 12 }, bin(Some(16), None)));
        assert!(ok(Kind::Flag, AttrPolicy::new(K::Flag)));
        assert!(!ok(Kind::Flag, AttrPolicy::new(K::U8)));
        assert!(ok(Kind::Struct { len: 8 }, AttrPolicy::new(K::Bitfield32)));
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
}
