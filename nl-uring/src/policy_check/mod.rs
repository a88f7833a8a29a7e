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
//! Ours is [`Kind`](nl_core::table::Kind), the kernel's
//! [`AttrKindCode`](nl_core::policy::AttrKindCode). Lengths are in bytes;
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

mod compare;
mod kernel;
mod report;
#[cfg(test)]
mod tests;

pub use compare::compare;
pub use kernel::{AttrPolicy, KernelOp, KernelPolicies, Policy};
pub use report::{At, Bounds, Difference, Note, PolicyReport, Request};

use std::collections::BTreeMap;

use nl_core::errno::Errno;
use nl_core::genl::ctrl::{OpFlags, PolicyReply};
use nl_core::genl::decl::FamilyDecl;

use crate::error::Error;
use crate::genl;
use crate::socket::Socket;

/// How deep nests are followed; deeper ones get a [`Note::TooDeep`].
const MAX_NEST_DEPTH: usize = 8;

/// `ENOENT`: the kernel has no such operation.
const ENOENT: Errno = Errno(2);
/// `ENODATA`: the operation has no policy.
const ENODATA: Errno = Errno(61);

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
