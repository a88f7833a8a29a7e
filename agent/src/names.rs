//! Interface index → name, for printing routes: a small cache filled by
//! `RTM_GETLINK` requests on a socket of its own.

use nl_core::route::link::{self, LinkRef};

use crate::netlink::{Conn, Failure};
use crate::replies;

/// Names kept at once; a route needs one per interface it uses.
const SLOTS: usize = 16;
/// `IFNAMSIZ` less the NUL.
const NAME_MAX: usize = 15;
/// Room for the request (a few dozen bytes) and, after it, the reply.
const BUF_LEN: usize = 16 * 1024;
/// The part of the buffer for the request.
const REQUEST_LEN: usize = 256;

#[derive(Clone, Copy)]
struct Slot {
    index: u32,
    name: [u8; NAME_MAX],
    len: usize,
}

/// Recently seen interface names, replaced oldest first.
pub(crate) struct Names {
    conn: Conn,
    slots: [Option<Slot>; SLOTS],
    next: usize,
    buf: [u8; BUF_LEN],
}

impl Names {
    /// An empty cache asking over `conn` (a `NETLINK_ROUTE` socket).
    pub(crate) fn new(conn: Conn) -> Self {
        Names {
            conn,
            slots: [None; SLOTS],
            next: 0,
            buf: [0; BUF_LEN],
        }
    }

    /// The name of interface `index`, if learnt.
    pub(crate) fn get(&self, index: u32) -> Option<&[u8]> {
        let slot = self.slots.iter().flatten().find(|s| s.index == index)?;
        slot.name.get(..slot.len)
    }

    /// Asks the kernel for the name of interface `index` unless known.
    pub(crate) fn learn(&mut self, index: u32) -> Result<(), Failure> {
        if index == 0 || self.get(index).is_some() {
            return Ok(());
        }
        let Ok(signed) = i32::try_from(index) else {
            return Ok(());
        };
        let seq = self.conn.next_seq();
        let (request, reply) = self.buf.split_at_mut(REQUEST_LEN);
        let len = link::get_link(request, seq, LinkRef::Index(signed))?.len();
        let request = request
            .get_mut(..len)
            .ok_or(Failure::Codec(nl_core::Error::Truncated))?;
        let mut found = None;
        self.conn.exchange(request, reply, &mut |m| {
            let name = replies::link_name(&m)?;
            let bytes = name.as_bytes();
            let mut slot = Slot {
                index,
                name: [0; NAME_MAX],
                len: bytes.len().min(NAME_MAX),
            };
            if let (Some(dst), Some(src)) = (slot.name.get_mut(..slot.len), bytes.get(..slot.len)) {
                dst.copy_from_slice(src);
            }
            found = Some(slot);
            Ok(())
        })?;
        let slot = found.ok_or(Failure::NoAnswer)?;
        if let Some(place) = self.slots.get_mut(self.next) {
            *place = Some(slot);
        }
        self.next = (self.next + 1) % SLOTS;
        Ok(())
    }
}
