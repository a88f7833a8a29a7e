//! Conntrack events: what the groups in [`group`](crate::netfilter::group)
//! deliver.
//!
//! ```text
//! type 0x0100 new, flags NLM_F_CREATE [| NLM_F_EXCL]  -> New
//! type 0x0100 new, other flags                        -> Update
//! type 0x0102 delete                                  -> Destroy
//! ```

use super::attrs::{CtMsg, msg_type};
use super::view::Conntrack;
use crate::Error;
use crate::nlmsg::{Flags, Message};

/// One conntrack event.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ConntrackEvent<'a> {
    /// An entry was created.
    New(Conntrack<'a>),
    /// An entry changed.
    Update(Conntrack<'a>),
    /// An entry was deleted or expired.
    Destroy(Conntrack<'a>),
}

impl<'a> ConntrackEvent<'a> {
    /// Reads an event message; a type other than `new` or `delete` of the
    /// conntrack subsystem is [`Error::UnexpectedType`].
    pub fn parse(m: &Message<'a>) -> Result<Self, Error> {
        let ty = m.ty();
        if ty == msg_type(CtMsg::New) {
            let entry = Conntrack::parse_payload(m.payload())?;
            if m.flags().contains(Flags::CREATE) {
                Ok(ConntrackEvent::New(entry))
            } else {
                Ok(ConntrackEvent::Update(entry))
            }
        } else if ty == msg_type(CtMsg::Delete) {
            Ok(ConntrackEvent::Destroy(Conntrack::parse_payload(
                m.payload(),
            )?))
        } else {
            Err(Error::UnexpectedType { ty })
        }
    }

    /// The entry, whatever happened to it.
    pub fn entry(&self) -> &Conntrack<'a> {
        match self {
            ConntrackEvent::New(c) | ConntrackEvent::Update(c) | ConntrackEvent::Destroy(c) => c,
        }
    }
}
