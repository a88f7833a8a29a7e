//! The attribute layer: a TLV view, its iterator and its writer.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     nla_len (u16, header + payload)  |N|B|   type (14 bits)   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          payload (nla_len - 4 bytes), padded to 4 ...         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!   N = NLA_F_NESTED, B = NLA_F_NET_BYTEORDER; both host-endian u16.
//! ```

mod iter;
mod write;

pub use iter::{Attr, Attrs as AttrIter};
pub use write::NestStart;

/// Size of an attribute header.
pub const HEADER_LEN: usize = 4;
/// `NLA_F_NESTED`: the payload is itself a list of attributes.
pub const F_NESTED: u16 = 1 << 15;
/// `NLA_F_NET_BYTEORDER`: the payload is big-endian.
pub const F_NET_BYTEORDER: u16 = 1 << 14;
/// `NLA_TYPE_MASK`: the bits of the type number.
pub const TYPE_MASK: u16 = !(F_NESTED | F_NET_BYTEORDER);
