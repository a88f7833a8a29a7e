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

/// Bytes an attribute with `payload_len` bytes of payload takes on the wire
/// (header, payload, padding); [`crate::Error::TooLong`] when its length
/// does not fit the u16 length field.
pub fn space(payload_len: usize) -> Result<usize, crate::Error> {
    let len = payload_len
        .checked_add(HEADER_LEN)
        .ok_or(crate::Error::TooLong)?;
    if len > usize::from(u16::MAX) {
        return Err(crate::Error::TooLong);
    }
    crate::align(len).ok_or(crate::Error::TooLong)
}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
pub(crate) mod tests {
    use super::*;

    /// Hand-built attributes: a string, a nest, a big-endian value, and an
    /// empty attribute with both flag bits.
    #[rustfmt::skip]
    pub(crate) static ATTRS: [u8; 36] = [
        0x0b, 0x00, 0x02, 0x00, // nla_len = 11, type 2
        b'n', b'l', b'c', b't', b'r', b'l', 0x00, // "nlctrl\0"
        0x00,                   // padding
        0x0c, 0x00, 0x06, 0x80, // nla_len = 12, type 6 | NLA_F_NESTED
        0x08, 0x00, 0x01, 0x00, //   nla_len = 8, type 1
        0x03, 0x00, 0x00, 0x00, //   3
        0x06, 0x00, 0x03, 0x40, // nla_len = 6, type 3 | NLA_F_NET_BYTEORDER
        0x12, 0x34,             // 0x1234, big-endian
        0x00, 0x00,             // padding
        0x04, 0x00, 0x05, 0xc0, // nla_len = 4, type 5 | NLA_F_NESTED | NLA_F_NET_BYTEORDER
    ];

    #[test]
    fn constants_have_the_uapi_values() {
        // linux/netlink.h
        assert_eq!(HEADER_LEN, 4); //          NLA_HDRLEN
        assert_eq!(F_NESTED, 0x8000); //        NLA_F_NESTED
        assert_eq!(F_NET_BYTEORDER, 0x4000); // NLA_F_NET_BYTEORDER
        assert_eq!(TYPE_MASK, 0x3fff); //       NLA_TYPE_MASK
    }
}
