//! The message layer: `nlmsghdr`, flags, the datagram iterator, the
//! classification of each message, extended ACKs, and the seq/port checks.

mod build;
mod check;
mod extack;
mod header;
mod message;
mod reply;

pub use build::build;
pub use check::{KERNEL_PORT, Senders, check_reply, check_sender, check_seq};
pub use extack::{ExtAck, ExtAckAttrs, RequestLayout};
pub use header::{DONE, ERROR, Flags, Header, MIN_TYPE, MessageStart, NOOP, OVERRUN};
pub use message::{Message, Messages, split_fixed};
pub use reply::{Ack, Done, Reply};
