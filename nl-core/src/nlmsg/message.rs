//! A borrowed view of one message and the iterator over a datagram.

use zerocopy::FromBytes;

use super::header::{Flags, Header};
use crate::Error;
use crate::writer::align;

/// One netlink message borrowed from a receive buffer.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Message<'a> {
    header: &'a Header,
    payload: &'a [u8],
}

impl<'a> Message<'a> {
    /// Reads the message at the start of `bytes`; `bytes` may hold more after it.
    ///
    /// Checks that the header fits and that `nlmsg_len` is at least the header
    /// and at most the input.
    #[inline]
    pub fn parse(bytes: &'a [u8]) -> Result<Self, Error> {
        let (header, _) = Header::ref_from_prefix(bytes).map_err(|_| Error::Truncated)?;
        let len = usize::try_from(header.len.get()).map_err(|_| Error::Truncated)?;
        if len < Header::LEN {
            return Err(Error::BadLength);
        }
        let payload = bytes.get(Header::LEN..len).ok_or(Error::Truncated)?;
        Ok(Message { header, payload })
    }

    /// The header.
    pub fn header(&self) -> &'a Header {
        self.header
    }

    /// `nlmsg_type`.
    pub fn ty(&self) -> u16 {
        self.header.ty.get()
    }

    /// `nlmsg_flags`.
    pub fn flags(&self) -> Flags {
        self.header.flags()
    }

    /// `nlmsg_seq`.
    pub fn seq(&self) -> u32 {
        self.header.seq.get()
    }

    /// `nlmsg_pid`.
    pub fn pid(&self) -> u32 {
        self.header.pid.get()
    }

    /// Everything after the header, up to `nlmsg_len`.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// True when the kernel flagged this dump message as inconsistent
    /// (`NLM_F_DUMP_INTR`): the table changed while it was being dumped.
    pub fn dump_interrupted(&self) -> bool {
        self.flags().contains(Flags::DUMP_INTR)
    }

    /// Length on the wire without trailing padding (`nlmsg_len`).
    pub fn len(&self) -> usize {
        Header::LEN + self.payload.len()
    }

    /// Never true: a message always has its header. Present for API symmetry.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Splits the payload into a fixed family header `T` and what follows it
    /// (aligned to 4 bytes). A payload longer than `T` is fine; shorter is
    /// [`Error::Truncated`].
    pub fn split_header<T>(&self) -> Result<(&'a T, &'a [u8]), Error>
    where
        T: FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
    {
        split_fixed(self.payload)
    }
}

/// Splits a payload into a fixed family header `T` and what follows it
/// (from the next 4-byte boundary). A payload longer than `T` is fine;
/// shorter is [`Error::Truncated`]. For payloads that are not a whole
/// message (a veth peer's `ifinfomsg` inside an attribute, say).
pub fn split_fixed<T>(payload: &[u8]) -> Result<(&T, &[u8]), Error>
where
    T: FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
{
    let (fixed, _) = T::ref_from_prefix(payload).map_err(|_| Error::Truncated)?;
    let start = align(core::mem::size_of::<T>()).ok_or(Error::Truncated)?;
    Ok((fixed, payload.get(start..).unwrap_or_default()))
}

/// Iterates over the messages packed in one datagram.
///
/// Yields each message, or one error for malformed input and then stops:
/// never loops, never reads past the input.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Messages<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Messages<'a> {
    /// Iterates over `datagram`.
    pub fn new(datagram: &'a [u8]) -> Self {
        Messages {
            rest: datagram,
            offset: 0,
        }
    }

    /// Offset of the next message from the start of the datagram.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<Message<'a>, Error>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match Message::parse(self.rest) {
            Ok(msg) => {
                // The last message of a datagram may lack its padding.
                let step = align(msg.len()).unwrap_or(usize::MAX).min(self.rest.len());
                self.rest = self.rest.get(step..).unwrap_or_default();
                self.offset += step;
                Some(Ok(msg))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for Messages<'_> {}

// Byte vectors are host-endian as netlink is; they are written for little-endian hosts.
#[cfg(all(test, target_endian = "little"))]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::*;
    use crate::Writer;

    /// The ACK this kernel (6.18) sent for `CTRL_CMD_GETFAMILY "nlctrl"` with `NLM_F_ACK`.
    #[rustfmt::skip]
    static ACK: [u8; 36] = [
        0x24, 0x00, 0x00, 0x00, // nlmsg_len = 36
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x01,             // nlmsg_flags = NLM_F_CAPPED
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x6b, 0x22, 0x00, 0x00, // nlmsg_pid = 8811 (the requester's port)
        0x00, 0x00, 0x00, 0x00, // error = 0 (an ACK)
        0x20, 0x00, 0x00, 0x00, // request nlmsg_len = 32
        0x10, 0x00,             // request nlmsg_type = GENL_ID_CTRL
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x01, 0x00, 0x00, 0x00, // request nlmsg_seq = 1
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
    ];

    /// This kernel's error reply for `CTRL_CMD_GETFAMILY "nope"`: ENOENT,
    /// with the whole request echoed (no NETLINK_CAP_ACK).
    #[rustfmt::skip]
    static ENOENT: [u8; 52] = [
        0x34, 0x00, 0x00, 0x00, // nlmsg_len = 52
        0x02, 0x00,             // nlmsg_type = NLMSG_ERROR
        0x00, 0x00,             // nlmsg_flags = 0
        0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
        0xad, 0x22, 0x00, 0x00, // nlmsg_pid = 8877
        0xfe, 0xff, 0xff, 0xff, // error = -2 (ENOENT)
        0x20, 0x00, 0x00, 0x00, // request nlmsg_len = 32
        0x10, 0x00,             // request nlmsg_type = GENL_ID_CTRL
        0x05, 0x00,             // request nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK
        0x02, 0x00, 0x00, 0x00, // request nlmsg_seq = 2
        0x00, 0x00, 0x00, 0x00, // request nlmsg_pid = 0
        0x03, 0x02, 0x00, 0x00, // genlmsghdr: cmd = CTRL_CMD_GETFAMILY, version = 2
        0x09, 0x00, 0x02, 0x00, // nla_len = 9, CTRL_ATTR_FAMILY_NAME
        b'n', b'o', b'p', b'e', 0x00, 0x00, 0x00, 0x00, // "nope\0" + 3 padding
    ];

    #[test]
    fn deconstruct() {
        let msg = Message::parse(&ACK).unwrap();
        assert_eq!(msg.len(), 36);
        assert!(!msg.is_empty());
        assert_eq!(msg.ty(), crate::nlmsg::ERROR);
        assert_eq!(msg.flags(), Flags::CAPPED);
        assert_eq!(msg.seq(), 1);
        assert_eq!(msg.pid(), 8811);
        assert_eq!(msg.header().len.get(), 36);
        assert_eq!(msg.payload(), &ACK[16..]);
        assert!(!msg.dump_interrupted());
    }

    #[test]
    fn construct() {
        let mut buf = [0xa5u8; 40];
        let mut w = Writer::new(&mut buf);
        let start = w
            .begin_message(Header::new(crate::nlmsg::ERROR, Flags::CAPPED, 1, 8811))
            .unwrap();
        w.put_bytes(&0i32.to_ne_bytes()).unwrap();
        w.put_struct(&{
            let mut h = Header::new(0x10, Flags::REQUEST | Flags::ACK, 1, 0);
            h.len.set(32);
            h
        })
        .unwrap();
        assert_eq!(w.end_message(start), Ok(36));
        assert_eq!(&buf[..36], &ACK[..]);
        assert_eq!(&buf[36..], &[0xa5; 4]);
    }

    #[test]
    fn every_prefix_is_truncated() {
        for n in 0..ACK.len() {
            assert_eq!(
                Message::parse(&ACK[..n]).unwrap_err(),
                Error::Truncated,
                "{n}"
            );
        }
        for n in 0..ENOENT.len() {
            assert_eq!(
                Message::parse(&ENOENT[..n]).unwrap_err(),
                Error::Truncated,
                "{n}"
            );
        }
    }

    #[test]
    fn trailing_bytes_are_not_part_of_the_message() {
        let mut long = Vec::from(&ACK[..]);
        long.extend_from_slice(&[0xa5; 7]);
        let msg = Message::parse(&long).unwrap();
        assert_eq!(msg.len(), 36);
        assert_eq!(msg.payload(), &ACK[16..]);
    }

    #[test]
    fn length_below_the_header_is_bad_length() {
        for len in 0u8..16 {
            let mut bytes = ACK;
            bytes[0] = len; // nlmsg_len = 0..=15
            assert_eq!(
                Message::parse(&bytes).unwrap_err(),
                Error::BadLength,
                "{len}"
            );
        }
        let mut bytes = ACK;
        bytes[0] = 16; // nlmsg_len = 16: a header alone is a message
        assert_eq!(Message::parse(&bytes).unwrap().payload(), &[] as &[u8]);
    }

    #[test]
    fn huge_length_is_truncated() {
        let mut bytes = ACK;
        bytes[..4].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]); // nlmsg_len = u32::MAX
        assert_eq!(Message::parse(&bytes).unwrap_err(), Error::Truncated);
    }

    #[test]
    fn dump_interrupted_flag() {
        let mut bytes = ACK;
        bytes[6..8].copy_from_slice(&[0x12, 0x00]); // nlmsg_flags = NLM_F_MULTI | NLM_F_DUMP_INTR
        assert!(Message::parse(&bytes).unwrap().dump_interrupted());
    }

    #[test]
    fn datagram_of_two_messages() {
        let mut datagram = Vec::from(&ENOENT[..]);
        datagram.extend_from_slice(&ACK);
        let mut iter = Messages::new(&datagram);
        assert_eq!(iter.offset(), 0);
        let first = iter.next().unwrap().unwrap();
        assert_eq!((first.seq(), first.len()), (2, 52));
        assert_eq!(iter.offset(), 52);
        let second = iter.next().unwrap().unwrap();
        assert_eq!((second.seq(), second.len()), (1, 36));
        assert_eq!(iter.offset(), 88);
        assert!(iter.next().is_none());
        assert!(iter.next().is_none());
    }

    #[test]
    fn unaligned_lengths_step_over_padding_and_the_last_may_lack_it() {
        #[rustfmt::skip]
        let datagram: [u8; 41] = [
            0x15, 0x00, 0x00, 0x00, // nlmsg_len = 21
            0x20, 0x00,             // nlmsg_type = 0x20
            0x00, 0x00,             // nlmsg_flags = 0
            0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0xaa, 0xbb, 0xcc, 0xdd, 0xee, // payload (5 bytes)
            0x00, 0x00, 0x00,       // padding to 24
            0x11, 0x00, 0x00, 0x00, // nlmsg_len = 17
            0x21, 0x00,             // nlmsg_type = 0x21
            0x00, 0x00,             // nlmsg_flags = 0
            0x02, 0x00, 0x00, 0x00, // nlmsg_seq = 2
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            0xff,                   // payload (1 byte), no padding: end of datagram
        ];
        let mut iter = Messages::new(&datagram);
        let first = iter.next().unwrap().unwrap();
        assert_eq!(first.payload(), &[0xaa, 0xbb, 0xcc, 0xdd, 0xee]);
        assert_eq!(iter.offset(), 24);
        let second = iter.next().unwrap().unwrap();
        assert_eq!(second.ty(), 0x21);
        assert_eq!(second.payload(), &[0xff]);
        assert_eq!(iter.offset(), 41);
        assert!(iter.next().is_none());
    }

    #[test]
    fn malformed_message_yields_one_error_then_stops() {
        let mut datagram = Vec::from(&ACK[..]);
        datagram.extend_from_slice(&[0x08, 0x00, 0x00, 0x00]); // nlmsg_len = 8: too short
        datagram.extend_from_slice(&ACK);
        let mut iter = Messages::new(&datagram);
        assert!(iter.next().unwrap().is_ok());
        assert_eq!(iter.next().unwrap().unwrap_err(), Error::BadLength);
        assert!(iter.next().is_none());

        let zeros = [0u8; 32];
        let mut iter = Messages::new(&zeros);
        assert_eq!(iter.next().unwrap().unwrap_err(), Error::BadLength);
        assert!(iter.next().is_none());

        // Fewer bytes than a header after a good message.
        let mut datagram = Vec::from(&ACK[..]);
        datagram.extend_from_slice(&[0xa5; 5]);
        let mut iter = Messages::new(&datagram);
        assert!(iter.next().unwrap().is_ok());
        assert_eq!(iter.next().unwrap().unwrap_err(), Error::Truncated);
        assert!(iter.next().is_none());
    }

    #[test]
    fn every_prefix_of_a_datagram_yields_whole_messages_then_at_most_one_error() {
        let mut datagram = Vec::from(&ENOENT[..]);
        datagram.extend_from_slice(&ACK);
        for n in 0..=datagram.len() {
            let items: Vec<_> = Messages::new(&datagram[..n]).collect();
            let whole = match n {
                0..52 => 0,
                52..88 => 1,
                _ => 2,
            };
            let oks = items.iter().take_while(|m| m.is_ok()).count();
            assert_eq!(oks, whole, "{n}");
            let partial = !(n == 0 || n == 52 || n == 88);
            assert_eq!(items.len(), whole + usize::from(partial), "{n}");
            if partial {
                assert!(items.last().unwrap().is_err());
            }
        }
    }

    #[test]
    fn split_header_aligns_what_follows() {
        #[rustfmt::skip]
        let bytes: [u8; 28] = [
            0x1c, 0x00, 0x00, 0x00, // nlmsg_len = 28
            0x20, 0x00,             // nlmsg_type = 0x20
            0x00, 0x00,             // nlmsg_flags = 0
            0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
            0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
            1, 2, 3, 4, 5, 6,       // a 6-byte family header
            0x00, 0x00,             // padding to 8
            0x04, 0x00, 0x01, 0x00, // nla_len = 4, type 1 (empty attribute)
        ];
        let msg = Message::parse(&bytes).unwrap();
        let (fixed, rest) = msg.split_header::<[u8; 6]>().unwrap();
        assert_eq!(fixed, &[1, 2, 3, 4, 5, 6]);
        assert_eq!(rest, &[0x04, 0x00, 0x01, 0x00]);
        let (fixed, rest) = msg.split_header::<[u8; 12]>().unwrap();
        assert_eq!(fixed[11], 0x00);
        assert!(rest.is_empty());
        assert_eq!(
            msg.split_header::<[u8; 13]>().unwrap_err(),
            Error::Truncated
        );

        // A 6-byte header without its padding at the end of the message.
        let mut short = bytes;
        short[0] = 22; // nlmsg_len = 22
        let msg = Message::parse(&short[..22]).unwrap();
        let (fixed, rest) = msg.split_header::<[u8; 6]>().unwrap();
        assert_eq!(fixed, &[1, 2, 3, 4, 5, 6]);
        assert!(rest.is_empty());
    }
}
