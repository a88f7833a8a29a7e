//! # nl-uring: netlink sockets over nl-core
//!
//! A blocking [`Socket`] with request/ACK and dump helpers; [`Ring`], the
//! io_uring transport (multishot reads into provided buffers, bulk writes
//! with one result per message, many dumps at once, notification streams),
//! which falls back to the blocking calls behind the same methods; generic
//! netlink family resolution ([`GenlFamilies`]); and owned errors that
//! carry the kernel's extended ACK with the offending attribute named
//! ([`KernelError`]).
//!
//! ## Guarantees
//!
//! - One `recvfrom` per datagram into a buffer of at least
//!   [`MIN_RECV_BUFFER`] bytes, never `MSG_PEEK`; a truncated datagram
//!   (`MSG_TRUNC`) is an error, never passed on short.
//! - Datagrams from any port but the kernel's are rejected unless asked for.
//! - Messages are borrowed from the receive buffer, never copied.
//! - A message that fails to decode, or does not belong to the exchange,
//!   is reported, never skipped; `NLM_F_DUMP_INTR` is reported in the
//!   dump's summary; an error in `NLMSG_DONE` is an error.
//! - All `unsafe` is in one private module (`sys`: the socket calls and the
//!   io_uring ring), each block with its `SAFETY` note. Buffers the kernel
//!   may touch belong to the transport until the kernel is done with them.
//!
//! ## Example
//!
//! ```
//! use nl_uring::{GenlFamilies, Protocol, Socket};
//!
//! let mut socket = Socket::open(Protocol::Generic)?;
//! let mut families = GenlFamilies::new();
//! let nlctrl = families.resolve(&mut socket, "nlctrl")?;
//! assert_eq!(nlctrl.id, 0x10);
//! assert_eq!(
//!     families.resolve_group(&mut socket, "nlctrl", "notify")?,
//!     Some(0x10)
//! );
//! # Ok::<(), nl_uring::Error>(())
//! ```

#![deny(unsafe_code)]
#![deny(missing_docs)]

mod bulk;
pub mod conntrack;
mod error;
mod events;
mod exchange;
pub mod genl;
mod many;
pub mod mptcp;
mod netns;
mod overlap;
pub mod policy_check;
mod request;
mod ring;
mod socket;
#[allow(unsafe_code)]
mod sys;

pub use bulk::{Acks, BulkOptions, BulkReport, Failure, Outcome};
pub use error::{Error, KernelError};
pub use events::{RouteGroup, join_genl_group};
pub use genl::{GenlFamilies, GenlFamily, GenlGroup};
pub use many::{DumpJob, POOL_BUFFERS};
pub use netns::enter_new_netns;
pub use policy_check::{Difference, Note, PolicyReport};
pub use request::{Acked, DumpSummary};
pub use ring::{Ring, RingConfig, Transport};
pub use socket::{DEFAULT_RECV_BUFFER, MIN_RECV_BUFFER, Protocol, Socket};

pub use nl_core;
