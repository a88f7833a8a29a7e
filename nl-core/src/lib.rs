//! # nl-core: a `no_std`, allocation-free netlink codec
//!
//! ## Promises
//!
//! - `#![no_std]`, never `alloc`. Decoding borrows from the caller's `&[u8]`;
//!   encoding appends into the caller's `&mut [u8]`. Nothing allocates,
//!   nothing copies a payload.
//! - No input panics. Every length comes from the wire and is checked before
//!   use; no indexing, `unwrap` or arithmetic that wire data can overflow.
//!   An error is a value ([`Error`]).
//! - A failed append leaves the buffer as it was and reports the room needed.
//!   A length that does not fit its wire field is an error, never wrapped.
//! - Netlink is host-endian; big-endian attributes are declared as such.
//!   Reads are unaligned-safe (zerocopy unaligned types or byte copies),
//!   never pointer casts.
//!
//! ## Layers
//!
//! Each usable without the ones above it, as in libmnl:
//! 1. [`nlmsg`]: message header, flags, datagram iterator, [`nlmsg::Reply`]
//!    classification (data, ACK, error, DONE, overrun) with extended ACKs,
//!    sequence and port checks.
//! 2. [`attr`]: attribute view, iterator, and writer with nests.
//! 3. [`table`]: const-generic attribute tables declared with [`attr_set!`]:
//!    one-pass parse into an O(1) index, validation per kind, typed getters
//!    and appends, names for `Display`, defmt and extended-ACK mapping.
//! 4. Families behind features: [`genl`] (generic netlink and nlctrl),
//!    `route` (rtnetlink), `mptcp` (the MPTCP path manager, `mptcp_pm`),
//!    `ovs` (Open vSwitch), `netfilter` (nfnetlink and conntrack).
//!
//! ## Example
//!
//! ```
//! # #[cfg(feature = "genl")] {
//! use nl_core::genl::ctrl;
//! use nl_core::nlmsg::{Messages, Reply};
//!
//! // Ask nlctrl for the family "mptcp_pm".
//! let mut buf = [0u8; 64];
//! let request = ctrl::get_family_by_name(&mut buf, 1, "mptcp_pm").unwrap();
//! assert_eq!(request.len(), 36);
//!
//! // Classify whatever came back.
//! for message in Messages::new(request) {
//!     match Reply::classify(message.unwrap()).unwrap() {
//!         Reply::Data(msg) => assert_eq!(msg.ty(), ctrl::GENL_ID_CTRL),
//!         other => panic!("unexpected {other:?}"),
//!     }
//! }
//! # }
//! ```

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

pub mod attr;
#[cfg(feature = "defmt")]
mod defmt_impls;
pub mod errno;
mod error;
pub mod family;
#[cfg(feature = "genl")]
pub mod genl;
#[cfg(feature = "mptcp")]
pub mod mptcp;
pub mod named;
#[cfg(feature = "netfilter")]
pub mod netfilter;
pub mod nlmsg;
#[cfg(feature = "ovs")]
pub mod ovs;
pub mod policy;
#[cfg(feature = "route")]
pub mod route;
pub mod table;
mod writer;

pub use error::Error;
pub use writer::{ALIGNTO, Writer, align};
