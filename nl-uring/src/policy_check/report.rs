//! The result of a check: differences, notes, and where each one is.

use std::fmt;

use nl_core::policy::AttrKindCode;

use super::MAX_NEST_DEPTH;

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
