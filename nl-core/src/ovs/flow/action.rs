//! Flow actions (`action-attrs`) and every set nested in them.
//!
//! An action list is a run of attributes, one per action, executed in
//! order. Some actions nest further lists (`clone`, `sample`,
//! `check-pkt-len`, `dec-ttl`); those nest at most [`MAX_ACTION_DEPTH`]
//! deep, as in the kernel.
//!
//! - [`sets`]: the attribute tables ([`ActionAttrs`] and the nested sets).
//! - [`structs`]: the fixed C structs (`struct ovs_action_*`).
//! - Reading: [`Actions`] iterates a list lazily and yields [`Action`]s;
//!   nested lists are [`Actions`] again. [`validate`] and [`walk`] go down
//!   every nested list, bounded by [`MAX_ACTION_DEPTH`].
//! - Writing: [`ActionWriter`] appends one action per call; nested lists
//!   are written by closures, so recursion reads naturally. Every method
//!   fails cleanly: on any error (no room, a length that does not fit, a
//!   closure's error, nesting deeper than [`MAX_ACTION_DEPTH`]) the nests
//!   it opened are cancelled and the writer is as it was before the call.
//! - Printing: `Display` on [`Actions`] and [`Action`] writes what
//!   `ovs-dpctl dump-flows` writes after `actions:` (the prefix is the
//!   flow's to print): actions separated by commas, an empty list as
//!   `drop`, `set` keys under their `key-attrs` name with the value (and
//!   `/mask`) in hex. Malformed input prints as `error(<message>)` where it
//!   is found, and printing stops there.
//!
//! ```
//! # use nl_core::{Error, Writer};
//! # use nl_core::ovs::flow::action::{ActionWriter, Actions, Ct, Nat};
//! # use core::net::Ipv4Addr;
//! let mut buf = [0u8; 128];
//! let mut w = Writer::new(&mut buf);
//! let mut actions = ActionWriter::new(&mut w);
//! actions.output(1)?;
//! let nat = Nat {
//!     src: true,
//!     ip_min: Some(Ipv4Addr::new(10, 0, 0, 1).into()),
//!     ip_max: Some(Ipv4Addr::new(10, 0, 0, 9).into()),
//!     proto_min: Some(1000),
//!     proto_max: Some(2000),
//!     ..Nat::default()
//! };
//! actions.ct(&Ct { commit: true, zone: Some(5), nat: Some(nat), ..Ct::default() })?;
//! actions.recirc(1)?;
//! actions.clone_with(|inner| inner.output(2))?;
//! assert_eq!(
//!     Actions::new(w.as_bytes()).to_string(),
//!     "1,ct(commit,zone=5,nat(src=10.0.0.1-10.0.0.9:1000-2000)),recirc(0x1),clone(2)"
//! );
//! # Ok::<(), Error>(())
//! ```

mod display;
mod reader;
pub mod sets;
pub mod structs;
mod writer;

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests;

pub use reader::{
    Action, Actions, CT_LABELS_LEN, CheckPktLen, Ct, KeyAttr, Masked, MaskedKeyAttr, Nat, Psample,
    Sample, Userspace, validate, walk,
};
pub use sets::{
    ActionAttrs, CheckPktLenAttrs, CtAttrs, DecTtlAttrs, NatAttrs, PsampleAttrs, SampleAttrs,
    UserspaceAttrs,
};
pub use structs::{AddMpls, Hash, PushEth, PushMpls, PushVlan, Trunc};
pub use writer::{ActionWriter, ListFn};

/// How deep action lists may nest: a list inside `clone`, `sample`,
/// `check-pkt-len` or `dec-ttl` is one level below its parent, the flow's
/// own list is level 0. Deeper is [`crate::Error::TooDeep`]. The kernel's
/// bound is the same (`OVS_COPY_ACTIONS_MAX_DEPTH`).
pub const MAX_ACTION_DEPTH: usize = 16;
