//! What nl-core declares about a generic family's operations: for each
//! command, the attribute set its requests use and which attributes of that
//! set a `do` or a `dump` request may carry. The policy check (nl-uring's
//! `policy_check`) compares these declarations with the running kernel's
//! `CTRL_CMD_GETPOLICY` dump.

use crate::table::Table;

/// One operation of a generic family.
#[derive(Clone, Copy, Debug)]
pub struct OpDecl {
    /// Command number (`genlmsghdr.cmd`).
    pub cmd: u8,
    /// The operation's name in the kernel's spec (`add-addr`…).
    pub name: &'static str,
    /// The attribute set of its requests.
    pub attrs: fn() -> &'static Table,
    /// The attribute types a `do` request may carry; `None`: the operation
    /// has no `do`.
    pub do_request: Option<&'static [u16]>,
    /// The attribute types a `dump` request may carry; `None`: the
    /// operation has no `dump`.
    pub dump_request: Option<&'static [u16]>,
}

/// A generic family as nl-core declares it: its name and its operations.
#[derive(Clone, Copy, Debug)]
pub struct FamilyDecl {
    /// Family name, as nlctrl resolves it (`mptcp_pm`).
    pub name: &'static str,
    /// Every operation nl-core can send.
    pub ops: &'static [OpDecl],
}

impl FamilyDecl {
    /// The operation with command number `cmd`.
    pub fn op(&self, cmd: u8) -> Option<&'static OpDecl> {
        self.ops.iter().find(|op| op.cmd == cmd)
    }
}
